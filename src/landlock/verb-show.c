/* SPDX-License-Identifier: LGPL-2.1-or-later */

/* "systemd-landlock show UNIT": the merged directives with their file:line, then what they compile to
 * on this kernel (or --abi=N): handled masks, rules, flags, what best effort drops, and the grants the
 * enforcer adds on its own. */

#include "alloc-util.h"
#include <assert.h>
#include <inttypes.h>
#include <sys/stat.h>

#include "landlock-implicit.h"

#include "exec-closure.h"
#include "landlock-unit.h"
#include "log.h"
#include "strv.h"
#include "unit-bus.h"
#include "unit-exec-keys.h"
#include "verbs.h"

typedef struct ImplicitGrant {
        char *path;
        uint64_t access;
        char *reason;
} ImplicitGrant;

typedef struct ShowData {
        LandlockUnit unit;
        LandlockCompiled compiled;
        char *strict_error;             /* strict mode would refuse this kernel: why */
        ImplicitGrant *implicit;
        size_t n_implicit;
        char **notes;                   /* why some implicit grants are not listed */
        unsigned abi;                   /* the ABI compiled for (--abi=, else this kernel's) */
} ShowData;

static void show_data_done(ShowData *d) {
        landlock_unit_done(&d->unit);
        landlock_compiled_done(&d->compiled);
        free(d->strict_error);
        for (size_t i = 0; i < d->n_implicit; i++) {
                free(d->implicit[i].path);
                free(d->implicit[i].reason);
        }
        free(d->implicit);
        strv_free(d->notes);
}

static int implicit_add(ShowData *d, const char *path, uint64_t access, const char *reason) {
        ImplicitGrant *g;

        for (size_t i = 0; i < d->n_implicit; i++)
                if (streq(d->implicit[i].path, path)) {
                        d->implicit[i].access |= access;
                        return 0;
                }

        if (!GREEDY_REALLOC(d->implicit, d->n_implicit + 1))
                return -ENOMEM;
        g = d->implicit + d->n_implicit;
        *g = (ImplicitGrant) { .path = strdup(path), .access = access, .reason = strdup(reason) };
        d->n_implicit++;
        return g->path && g->reason ? 0 : -ENOMEM;
}

/* The socket the manager passes in $NOTIFY_SOCKET when it takes notifications from the service: for
 * Type=notify and notify-reload, WatchdogSec=, FileDescriptorStoreMax= or an explicit NotifyAccess=
 * (systemd's service_add_extras()). Empty assignments of these enums are ignored by systemd. */
static const char *notify_socket_of(const LandlockUnit *u) {
        const char *section = landlock_unit_section(u);
        const UnitFileEntry *type, *access, *watchdog, *store;

        if (!section || !streq(section, "Service"))
                return NULL;
        type = unit_file_get_last(&u->file, section, "Type", UNIT_FILE_EMPTY_IS_IGNORED);
        access = unit_file_get_last(&u->file, section, "NotifyAccess", UNIT_FILE_EMPTY_IS_IGNORED);
        watchdog = unit_file_get_last(&u->file, section, "WatchdogSec", UNIT_FILE_EMPTY_RESETS);
        store = unit_file_get_last(&u->file, section, "FileDescriptorStoreMax", UNIT_FILE_EMPTY_RESETS);

        if (access ? !streq(access->value, "none") :
            (type && STR_IN_SET(type->value, "notify", "notify-reload")) ||
            (watchdog && !STR_IN_SET(watchdog->value, "0", "infinity")) || (store && !streq(store->value, "0")))
                return arg_scope == UNIT_SCOPE_USER ? "$XDG_RUNTIME_DIR/systemd/notify" : "/run/systemd/notify";
        return NULL;
}

/* Lists what landlock_policy_add_implicit() added to "p", as the enforcer would for this command. */
static int implicit_add_all(ShowData *d, const LandlockPolicy *p, const char *command_reason) {
        int r;

        for (size_t i = 0; i < p->n_paths; i++) {
                const LandlockPathRule *g = p->paths + i;
                const char *reason = streq(g->source.file, LANDLOCK_IMPLICIT_COMMAND) && command_reason ?
                        command_reason : startswith(g->source.file, "implicit: ") ?: g->source.file;

                r = implicit_add(d, g->path, g->access, reason);
                if (r < 0)
                        return r;
        }
        return 0;
}

/* The grants of one command (or, command == NULL, those of every command), computed as the enforcer
 * computes them: landlock_policy_add_implicit() on a policy that handles the filesystem. */
static int collect_implicit_of(ShowData *d, const char *field, const char *command, const char *search_path) {
        _cleanup_(landlock_policy_done) LandlockPolicy p = LANDLOCK_POLICY_INIT;
        _cleanup_free_ char *reason = NULL;
        ExecClosureOptions closure = { .search_path = search_path };
        int r;

        p.handle_fs = true;
        p.allow_command = d->unit.policy.policy.allow_command;
        r = landlock_policy_add_implicit(&p, &(LandlockImplicitContext) {
                        .command = command,
                        .closure = &closure,
                        .notify_socket = notify_socket_of(&d->unit),
                        .abi = d->abi,
                });
        if (r < 0)
                return r;
        if (command && asprintf(&reason, "%s=%s", field, command) < 0)
                return -ENOMEM;
        return implicit_add_all(d, &p, reason);
}

static int collect_implicit_commands(ShowData *d) {
        const LandlockUnit *u = &d->unit;
        _cleanup_free_ char *search_path = NULL;
        int r;

        r = unit_exec_search_path(&u->file, landlock_unit_section(u), &search_path);
        if (r < 0)
                return r;
        for (size_t i = 0; i < u->n_commands; i++) {
                _cleanup_free_ char *path = NULL;

                if (strchr(u->commands[i].prefix, '+'))
                        continue;       /* not wrapped, runs unconfined anyway */
                r = exec_command_find(u->commands[i].path, search_path, &path);
                if (r >= 0)
                        r = collect_implicit_of(d, u->commands[i].field, path, search_path);
                if (r == -ENOMEM)
                        return r;
                if (r < 0)
                        r = strv_extendf(&d->notes, "%s=%s: %s (the enforcer will refuse it)", u->commands[i].field,
                                         u->commands[i].path, strerror(-r));
                if (r < 0)
                        return r;
        }
        return 0;
}

/* LandlockAllowPrograms=: each program's or module's files, computed as the enforcer will. */
static int collect_program_files(ShowData *d) {
        const LandlockUnit *u = &d->unit;
        _cleanup_free_ char *search_path = NULL;
        int r;

        r = unit_exec_search_path(&u->file, landlock_unit_section(u), &search_path);
        if (r < 0)
                return r;
        STRV_FOREACH(item, u->policy.policy.programs) {
                _cleanup_(landlock_policy_done) LandlockPolicy p = LANDLOCK_POLICY_INIT;
                _cleanup_free_ char *reason = NULL;
                ExecClosureOptions closure = { .search_path = search_path };
                bool optional = (*item)[0] == '-';
                const char *path = *item + optional;

                r = landlock_policy_add_program_files(&p, path, &closure, /* open_files= */ false);
                if (r == -ENOMEM)
                        return r;
                if (r < 0) {
                        r = strv_extendf(&d->notes, "LandlockAllowPrograms=%s: %s (%s)", *item, strerror(-r),
                                         optional && r == -ENOENT ? "skipped" : "the enforcer will refuse it");
                        if (r < 0)
                                return r;
                        continue;
                }
                if (asprintf(&reason, "LandlockAllowPrograms=%s", path) < 0)
                        return -ENOMEM;
                for (size_t i = 0; i < p.n_paths; i++) {
                        r = implicit_add(d, p.paths[i].path, p.paths[i].access, reason);
                        if (r < 0)
                                return r;
                }
        }
        return 0;
}

/* What systemd-landlock-exec adds by itself (systemd-landlock-exec(8), landlock-implicit.h). */
static int collect_implicit(ShowData *d) {
        const LandlockUnit *u = &d->unit;
        int r;

        if (!u->policy.policy.handle_fs)
                return 0;

        if (u->policy.policy.allow_command && arg_root && !streq(arg_root, "/")) {
                r = strv_extend(&d->notes, "The files the commands need (LandlockAllowCommand=yes) are not "
                                "listed with --root=: the enforcer computes them on the running system.");
                if (r < 0)
                        return r;
        } else if (u->policy.policy.allow_command) {
                r = collect_implicit_commands(d);
                if (r < 0)
                        return r;
        }
        if (!arg_root || streq(arg_root, "/")) {
                r = collect_program_files(d);
                if (r < 0)
                        return r;
        }

        /* What every command gets, also when none could be found. */
        return collect_implicit_of(d, NULL, NULL, NULL);
}

static int show_load(sd_bus *bus, const char *name, ShowData *d) {
        uint32_t errata;
        int r;

        r = bus ? bus_landlock_unit_load(bus, name, &d->unit) :
                landlock_unit_load_offline(name, arg_scope, arg_root, &d->unit);
        if (r < 0)
                return r;

        (void) cli_target_abi(&d->abi, &errata);
        r = landlock_policy_compile(&d->unit.policy.policy, d->abi, errata, &d->compiled, &d->strict_error);
        if (r < 0 && r != -EOPNOTSUPP)
                return log_error_errno(r, "Failed to compile the policy of %s: %m", name);

        r = collect_implicit(d);
        if (r < 0)
                return log_error_errno(r, "Failed to compute the implicit grants of %s: %m", name);
        return 0;
}

static const char *section_of(const LandlockUnit *u) {
        return landlock_unit_section(u) ?: "Service";
}

static const char *drop_kind_to_string(LandlockDropKind k) {
        static const char *const table[_LANDLOCK_DROP_KIND_MAX] = {
                [LANDLOCK_DROP_FS_HANDLED] = "filesystem",
                [LANDLOCK_DROP_FS_RULE] = "path rule",
                [LANDLOCK_DROP_NET] = "network",
                [LANDLOCK_DROP_SCOPE] = "scope",
                [LANDLOCK_DROP_LOG] = "logging",
                [LANDLOCK_DROP_ALL] = "everything",
        };
        return k < _LANDLOCK_DROP_KIND_MAX ? table[k] : "?";
}

/* ---- The model: everything "show" says, built once; --json prints it, the text printer reads it. ---- */

/* A new object appended to "array", or NULL when out of memory. */
static json_object *append_object(json_object *array) {
        json_object *o = json_object_new_object();

        return json_append(array, o) < 0 ? NULL : o;
}

/* A new array under "key", or NULL when out of memory. */
static json_object *add_array(json_object *o, const char *key) {
        json_object *a = json_object_new_array();

        return json_add(o, key, a) < 0 ? NULL : a;
}

static int add_mask(json_object *o, const char *key, LandlockRightKind kind, uint64_t mask) {
        _cleanup_free_ char *s = landlock_mask_to_string(kind, mask);
        _cleanup_strv_free_ char **l = NULL;

        if (!s || strv_split(s, ",", &l) < 0)
                return -ENOMEM;
        return json_add_strv(o, key, l);
}

static int add_source(json_object *o, const LandlockSource *s) {
        int r = json_add_string(o, "file", s->file);

        if (r < 0)
                return r;
        return s->file ? json_add_uint(o, "line", s->line) : json_add_string(o, "line", NULL);
}

static int model_unit(const LandlockUnit *u, json_object *m) {
        int r;

        r = json_add_string(m, "unit", u->name);
        if (r >= 0)
                r = json_add_string(m, "fragment", u->fragment);
        if (r >= 0)
                r = json_add_strv(m, "dropins", u->dropins);
        if (r >= 0)
                r = json_add_bool(m, "online", u->online);
        if (r >= 0 && u->online)
                r = json_add_string(m, "load_state", u->load_state);
        if (r >= 0 && u->online)
                r = json_add_string(m, "active_state", u->active_state);
        if (r >= 0)
                r = json_add_string(m, "section", section_of(u));
        if (r >= 0)
                r = json_add_bool(m, "has_directives", u->policy.has_directives);
        if (r >= 0)
                r = json_add_strv(m, "errors", u->policy.errors);
        return r;
}

static int model_directives(const LandlockUnit *u, json_object *m) {
        json_object *l = add_array(m, "directives");
        int r = l ? 0 : -ENOMEM;

        for (size_t i = 0; r >= 0 && i < u->file.n_entries; i++) {
                const UnitFileEntry *e = u->file.entries + i;
                json_object *o;

                if (!landlock_directive_key_is_ours(e->key))
                        continue;
                o = append_object(l);
                r = o ? json_add_string(o, "key", e->key) : -ENOMEM;
                if (r >= 0)
                        r = json_add_string(o, "value", e->value);
                if (r >= 0)
                        r = json_add_string(o, "file", e->file);
                if (r >= 0)
                        r = json_add_uint(o, "line", e->line);
        }
        return r;
}

/* The rights a rule gives where it is: on a file, the kernel takes only those valid on a non-directory,
 * and the enforcer grants just those (landlock-ruleset.c); "read-dir" on a file would be a lie. Looked up
 * here, beneath --root=; a path that is not there is shown as written. */
static uint64_t rule_access_here(const char *path, uint64_t access) {
        _cleanup_free_ char *p = NULL;
        struct stat st;

        if (asprintf(&p, "%s%s", arg_root && !streq(arg_root, "/") ? arg_root : "", path) < 0)
                return access;
        if (stat(p, &st) < 0 || S_ISDIR(st.st_mode))
                return access;
        return access & landlock_fs_file_mask();
}

static int model_rules(const LandlockCompiled *c, json_object *compiled) {
        json_object *paths = add_array(compiled, "paths"), *ports = add_array(compiled, "ports");
        int r = paths && ports ? 0 : -ENOMEM;

        for (size_t i = 0; r >= 0 && i < c->n_paths; i++) {
                json_object *o = append_object(paths);

                r = o ? json_add_string(o, "path", c->paths[i].path) : -ENOMEM;
                if (r >= 0)
                        r = add_mask(o, "access", LANDLOCK_KIND_FS, rule_access_here(c->paths[i].path, c->paths[i].access));
                if (r >= 0)
                        r = json_add_bool(o, "optional", c->paths[i].optional);
                if (r >= 0)
                        r = add_source(o, &c->paths[i].source);
        }
        for (size_t i = 0; r >= 0 && i < c->n_ports; i++) {
                json_object *o = append_object(ports);

                r = o ? add_mask(o, "access", LANDLOCK_KIND_NET, c->ports[i].access) : -ENOMEM;
                if (r >= 0)
                        r = json_add_uint(o, "first", c->ports[i].first);
                if (r >= 0)
                        r = json_add_uint(o, "last", c->ports[i].last);
                if (r >= 0)
                        r = add_source(o, &c->ports[i].source);
        }
        return r;
}

static int model_drops(const LandlockCompiled *c, json_object *compiled) {
        json_object *drops = add_array(compiled, "drops");
        int r = drops ? 0 : -ENOMEM;

        for (size_t i = 0; r >= 0 && i < c->n_drops; i++) {
                json_object *o = append_object(drops);

                r = o ? json_add_string(o, "kind", drop_kind_to_string(c->drops[i].kind)) : -ENOMEM;
                if (r >= 0)
                        r = json_add_uint(o, "abi_needed", c->drops[i].abi_needed);
                if (r >= 0)
                        r = json_add_bool(o, "weakens", c->drops[i].weakens);
                if (r >= 0)
                        r = json_add_string(o, "message", c->drops[i].message);
        }
        return r;
}

static int model_compiled(const ShowData *d, json_object *m) {
        const LandlockCompiled *c = &d->compiled;
        json_object *o = json_object_new_object();
        int r;

        r = json_add(m, "compiled", o);
        if (r >= 0)
                r = json_add_uint(o, "abi", c->abi);
        if (r >= 0)
                r = json_add_string(o, "linux", landlock_abi_linux_version(c->abi));
        if (r >= 0)
                r = add_mask(o, "handled_fs", LANDLOCK_KIND_FS, c->handled_fs);
        if (r >= 0)
                r = add_mask(o, "handled_net", LANDLOCK_KIND_NET, c->handled_net);
        if (r >= 0)
                r = add_mask(o, "scoped", LANDLOCK_KIND_SCOPE, c->scoped);
        if (r >= 0)
                r = add_mask(o, "restrict_flags", LANDLOCK_KIND_RESTRICT_FLAG, c->restrict_flags);
        if (r >= 0)
                r = json_add_string(o, "compatibility", landlock_compat_to_string(c->compat));
        if (r >= 0)
                r = json_add_string(o, "process_wide", landlock_process_wide_to_string(c->process_wide));
        if (r >= 0)
                r = json_add_bool(o, "allow_command", c->allow_command);
        if (r >= 0)
                r = model_rules(c, o);
        if (r >= 0)
                r = model_drops(c, o);
        if (r >= 0)
                r = json_add_string(o, "strict_refusal", d->strict_error);
        return r;
}

static int model_implicit(const ShowData *d, json_object *m) {
        json_object *l = add_array(m, "implicit");
        int r = l ? 0 : -ENOMEM;

        for (size_t i = 0; r >= 0 && i < d->n_implicit; i++) {
                json_object *o = append_object(l);

                r = o ? json_add_string(o, "path", d->implicit[i].path) : -ENOMEM;
                if (r >= 0)
                        r = add_mask(o, "access", LANDLOCK_KIND_FS, d->implicit[i].access);
                if (r >= 0)
                        r = json_add_string(o, "reason", d->implicit[i].reason);
        }
        if (r >= 0)
                r = json_add_strv(m, "notes", d->notes);
        return r;
}

static int model_commands(const LandlockUnit *u, json_object *m) {
        json_object *l = add_array(m, "commands");
        int r = l ? 0 : -ENOMEM;

        for (size_t i = 0; r >= 0 && i < u->n_commands; i++) {
                const ExecLine *c = u->commands + i;
                json_object *o = append_object(l);

                r = o ? json_add_string(o, "field", c->field) : -ENOMEM;
                if (r >= 0)
                        r = json_add_string(o, "prefix", c->prefix);
                if (r >= 0)
                        r = json_add_string(o, "path", c->path);
                if (r >= 0)
                        r = json_add_string(o, "value", c->value);
                if (r >= 0)
                        r = json_add_bool(o, "privileged", strchr(c->prefix, '+'));
                if (r >= 0)
                        r = json_add_string(o, "file", c->file);
                if (r >= 0)
                        r = json_add_uint(o, "line", c->line);
        }
        return r;
}

/* Whether the running processes have the policy shown (the enforcer's record in the journal). */
static int model_running_policy(const LandlockUnit *u, json_object *m) {
        static const char *const records[] = {
                [POLICY_RECORD_NOT_RUNNING] = NULL, [POLICY_RECORD_UNKNOWN] = "unknown",
                [POLICY_RECORD_CURRENT] = "current", [POLICY_RECORD_STALE] = "old",
        };
        uint64_t recorded = 0, current = 0;
        PolicyRecord record = landlock_unit_policy_record(u, &recorded, &current);
        char buf[17];
        int r;

        if (!records[record])
                return 0;
        r = json_add_string(m, "running_policy", records[record]);
        if (r >= 0 && record != POLICY_RECORD_UNKNOWN) {
                snprintf(buf, sizeof buf, "%016" PRIx64, recorded);
                r = json_add_string(m, "running_policy_id", buf);
        }
        if (r >= 0 && record != POLICY_RECORD_UNKNOWN) {
                snprintf(buf, sizeof buf, "%016" PRIx64, current);
                r = json_add_string(m, "policy_id", buf);
        }
        return r;
}

static int model_running(const LandlockUnit *u, json_object *m) {
        json_object *l;
        int r;

        if (!u->online)
                return 0;
        r = model_running_policy(u, m);
        if (r < 0)
                return r;
        l = add_array(m, "running");
        r = l ? 0 : -ENOMEM;
        for (size_t i = 0; r >= 0 && i < u->n_running; i++) {
                const RunningCommand *rc = u->running + i;
                json_object *o = append_object(l);

                r = o ? json_add_string(o, "field", rc->field) : -ENOMEM;
                if (r >= 0)
                        r = json_add_strv(o, "argv", rc->argv);
                if (r >= 0)
                        r = json_add_bool(o, "privileged", rc->privileged);
                if (r >= 0)
                        r = json_add_bool(o, "wrapped", rc->wrapped);
                if (r >= 0)
                        r = json_add_string(o, "error", rc->parse_error);
                if (r >= 0)
                        r = json_add_string(o, "command", rc->wrapped && !rc->parse_error && rc->options.command ?
                                            rc->options.command[0] : NULL);
        }
        return r;
}

static int show_model(const ShowData *d, json_object **ret) {
        _cleanup_json_ json_object *m = json_object_new_object();
        int r;

        if (!m)
                return -ENOMEM;
        r = model_unit(&d->unit, m);
        if (r >= 0)
                r = model_directives(&d->unit, m);
        if (r >= 0)
                r = model_compiled(d, m);
        if (r >= 0)
                r = model_implicit(d, m);
        if (r >= 0)
                r = model_commands(&d->unit, m);
        if (r >= 0)
                r = model_running(&d->unit, m);
        if (r < 0)
                return r;
        *ret = TAKE_PTR(m);
        return 0;
}

/* ---- The text printer, from the model ---- */

#define FOREACH_ITEM(item, m, key)                                                                      \
        for (size_t _i_ = 0; _i_ < json_get_length(m, key); _i_++)                                      \
                for (json_object *item = json_object_array_get_idx(json_get(m, key), _i_); item; item = NULL)

static void print_heading(const char *text) {
        printf("\n%s%s:%s\n", ansi_highlight(), text, ansi_normal());
}

static void print_source(json_object *o) {
        if (json_get_string(o, "file"))
                printf("  %s(%s:%" PRIu64 ")%s", ansi_grey(), json_get_string(o, "file"), json_get_uint(o, "line"),
                       ansi_normal());
}

static void print_running_policy(json_object *m) {
        const char *record = json_get_string(m, "running_policy");

        if (streq_ptr(record, "current"))
                printf("  Policy:   the running processes have the policy shown below (%s)\n",
                       json_get_string(m, "policy_id"));
        else if (streq_ptr(record, "old"))
                printf("  Policy:   %sOLD: the running processes were started with policy %s; the unit now says %s "
                       "(changed before a daemon-reload). Restart the unit to apply it: systemctl restart %s%s\n",
                       ansi_red(), json_get_string(m, "running_policy_id"), json_get_string(m, "policy_id"),
                       json_get_string(m, "unit"), ansi_normal());
        else if (streq_ptr(record, "unknown"))
                printf("  Policy:   cannot tell whether the running processes have the policy shown below: no record "
                       "of the enforcer in the journal for this invocation (its stderr not in the journal, or the "
                       "journal not readable)\n");
}

static void print_unit(json_object *m) {
        _cleanup_free_ char *heading = NULL;
        size_t k = 0;

        printf("%s%s%s\n", ansi_highlight(), json_get_string(m, "unit"), ansi_normal());
        printf("  Fragment: %s\n", json_get_string(m, "fragment") ?: "(none)");
        FOREACH_ITEM(f, m, "dropins")
                printf("  %s %s\n", k++ == 0 ? "Drop-ins:" : "         ", json_object_get_string(f));
        if (json_get_bool(m, "online"))
                printf("  State:    %s, %s\n", strna(json_get_string(m, "load_state")),
                       strna(json_get_string(m, "active_state")));
        print_running_policy(m);

        if (asprintf(&heading, "Directives [%s]", json_get_string(m, "section")) >= 0)
                print_heading(heading);
        if (!json_get_bool(m, "has_directives") && json_get_length(m, "errors") == 0)
                printf("  (none)\n");
        FOREACH_ITEM(e, m, "directives")
                printf("  %s=%s  %s(%s:%" PRIu64 ")%s\n", json_get_string(e, "key"), json_get_string(e, "value"),
                       ansi_grey(), json_get_string(e, "file"), json_get_uint(e, "line"), ansi_normal());
        FOREACH_ITEM(e, m, "errors")
                printf("  %s%s%s\n", ansi_red(), json_object_get_string(e), ansi_normal());
        if (json_get_length(m, "errors") > 0)
                printf("  %sThe directives are invalid: the unit refuses to start.%s\n", ansi_red(), ansi_normal());
}

static void print_masks(json_object *c) {
        static const struct {
                const char *label, *key;
        } masks[] = {
                { "Handled filesystem", "handled_fs" },
                { "Handled network",    "handled_net" },
                { "Scopes",             "scoped" },
                { "Restrict flags",     "restrict_flags" },
        };

        for (size_t i = 0; i < ELEMENTSOF(masks); i++) {
                _cleanup_free_ char *s = json_get_joined(c, masks[i].key);

                printf("  %s:%*s%s\n", masks[i].label, (int) (19 - strlen(masks[i].label)), "", strna(s));
                if (streq(masks[i].key, "scoped") && s && strstr(s, "signal"))
                        /* The generator drops it for them: unit_exec_key_controls_main(). */
                        printf("                      (signal: not for ExecStartPost=, ExecReload=, ExecStop=, … of a "
                               "service,\n                      which must signal its main process)\n");
        }
        printf("  Compatibility:      %s\n", json_get_string(c, "compatibility"));
        printf("  Process-wide:       %s\n", json_get_string(c, "process_wide"));
}

static void print_rules(json_object *c) {
        printf("  Path rules:\n");
        if (json_get_length(c, "paths") == 0)
                printf("    (none)\n");
        FOREACH_ITEM(p, c, "paths") {
                _cleanup_free_ char *a = json_get_joined(p, "access");

                printf("    %s%s  %s", json_get_bool(p, "optional") ? "-" : "", json_get_string(p, "path"), strna(a));
                print_source(p);
                printf("\n");
        }
        printf("  Port rules:\n");
        if (json_get_length(c, "ports") == 0)
                printf("    (none)\n");
        FOREACH_ITEM(p, c, "ports") {
                _cleanup_free_ char *a = json_get_joined(p, "access");
                uint64_t first = json_get_uint(p, "first"), last = json_get_uint(p, "last");

                if (first == last)
                        printf("    %-16s %" PRIu64, strna(a), first);
                else
                        printf("    %-16s %" PRIu64 "-%" PRIu64, strna(a), first, last);
                print_source(p);
                printf("\n");
        }
}

static void print_compiled(json_object *m) {
        json_object *c = json_get(m, "compiled");
        const char *v = json_get_string(c, "linux"), *refusal = json_get_string(c, "strict_refusal");

        printf("\n%sKernel rules on Landlock ABI %" PRIu64 "%s%s%s:%s\n", ansi_highlight(), json_get_uint(c, "abi"),
               v ? " (Linux " : "", v ?: "", v ? ")" : "", ansi_normal());
        if (!json_get_bool(m, "has_directives"))
                printf("  (none: the unit runs without Landlock)\n");
        else {
                print_masks(c);
                print_rules(c);
        }

        if (json_get_length(c, "drops") == 0 && !refusal)
                return;
        printf("\n%sNot enforced on this kernel%s:%s\n", ansi_highlight(),
               refusal ? " (strict: the unit refuses to start)" :
               streq(json_get_string(c, "compatibility"), "strict") ? " (strict mode accepts these)" :
               " (best effort drops them)", ansi_normal());
        FOREACH_ITEM(drop, c, "drops")
                printf("  %s%s%s [%s]\n", json_get_bool(drop, "weakens") ? ansi_yellow() : "",
                       json_get_string(drop, "message"), ansi_normal(), json_get_string(drop, "kind"));
        if (refusal)
                printf("  %s%s%s\n", ansi_red(), refusal, ansi_normal());
}

static void print_implicit(json_object *m) {
        if (json_get_length(m, "implicit") == 0 && json_get_length(m, "notes") == 0)
                return;
        print_heading("Implicit grants (added by systemd-landlock-exec)");
        FOREACH_ITEM(g, m, "implicit") {
                _cleanup_free_ char *a = json_get_joined(g, "access");

                printf("  %s  %s  %s(%s)%s\n", json_get_string(g, "path"), strna(a), ansi_grey(),
                       json_get_string(g, "reason"), ansi_normal());
        }
        FOREACH_ITEM(n, m, "notes")
                printf("  %s\n", json_object_get_string(n));
}

static const char *running_state(json_object *rc, bool has_directives) {
        return json_get_bool(rc, "privileged") ? "privileged, not confined" :
                json_get_string(rc, "error") ?: json_get_bool(rc, "wrapped") ? "through the enforcer" :
                has_directives ? "NOT through the enforcer: runs without Landlock" : "not confined";
}

static void print_commands(json_object *m) {
        bool has_directives = json_get_bool(m, "has_directives");

        print_heading("Commands");
        FOREACH_ITEM(c, m, "commands")
                printf("  %s=%s%s\n", json_get_string(c, "field"), json_get_string(c, "value"),
                       json_get_bool(c, "privileged") ? "  (\"+\": runs without Landlock)" : "");
        if (!json_get_bool(m, "online"))
                return;

        print_heading("Running commands (as the manager will exec them)");
        FOREACH_ITEM(rc, m, "running") {
                json_object *argv = json_get(rc, "argv");
                bool ok = json_get_bool(rc, "wrapped") && !json_get_string(rc, "error");

                printf("  %s=%s  %s%s%s\n", json_get_string(rc, "field"),
                       json_object_array_length(argv) > 0 ? json_object_get_string(json_object_array_get_idx(argv, 0)) : "?",
                       ok ? ansi_green() : has_directives ? ansi_red() : "", running_state(rc, has_directives),
                       ansi_normal());
                if (ok && json_get_string(rc, "command"))
                        printf("      → %s\n", json_get_string(rc, "command"));
        }
}

static int show_print(const ShowData *d) {
        _cleanup_json_ json_object *m = NULL;
        int r;

        r = show_model(d, &m);
        if (r < 0)
                return log_oom();
        if (arg_json != JSON_OFF)
                return json_print(m, arg_json) < 0 ? log_oom() : 0;

        print_unit(m);
        print_compiled(m);
        print_implicit(m);
        print_commands(m);
        return 0;
}

int verb_show(int argc, char *argv[]) {
        _cleanup_(sd_bus_flush_close_unrefp) sd_bus *bus = NULL;
        _cleanup_(show_data_done) ShowData d = {};
        _cleanup_free_ char *name = NULL;
        int r;

        if (argc != 2)
                return log_error_errno(EINVAL, "\"show\" takes exactly one unit name.");

        if (!arg_offline) {
                r = bus_connect_manager(arg_scope, &bus);
                if (r < 0)
                        return r;
        }

        r = unit_name_mangle(argv[1], &name);
        if (r == -EINVAL)
                return log_error_errno(r, "\"%s\" is not a unit name (expected NAME or NAME.service).", argv[1]);
        if (r < 0)
                return log_oom();

        r = show_load(bus, name, &d);
        if (r < 0)
                return r;

        return show_print(&d);
}
