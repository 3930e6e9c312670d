/* SPDX-License-Identifier: LGPL-2.1-or-later */

/* "systemd-landlock show UNIT": the merged directives with their file:line, then what they compile to
 * on this kernel (or --abi=N): handled masks, rules, flags, what best effort drops, and the grants the
 * enforcer adds on its own. */

#include "alloc-util.h"
#include "landlock-implicit.h"
#include <assert.h>
#include <inttypes.h>
#include <sys/stat.h>

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

                r = landlock_policy_add_program_files(&p, path, &closure);
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

static bool entry_is_directive(const LandlockUnit *u, const UnitFileEntry *e) {
        (void) u;
        return landlock_directive_key_is_ours(e->key);
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

static void print_masks(const LandlockCompiled *c) {
        _cleanup_free_ char *fs = landlock_mask_to_string(LANDLOCK_KIND_FS, c->handled_fs),
                *net = landlock_mask_to_string(LANDLOCK_KIND_NET, c->handled_net),
                *scope = landlock_mask_to_string(LANDLOCK_KIND_SCOPE, c->scoped),
                *flags = landlock_mask_to_string(LANDLOCK_KIND_RESTRICT_FLAG, c->restrict_flags);

        printf("  Handled filesystem: %s\n", isempty(fs) ? "none" : fs);
        printf("  Handled network:    %s\n", isempty(net) ? "none" : net);
        printf("  Scopes:             %s\n", isempty(scope) ? "none" : scope);
        if (c->scoped & LANDLOCK_SCOPE_SIGNAL)
                /* The generator drops it for them: unit_exec_key_controls_main(). */
                printf("                      (signal: not for ExecStartPost=, ExecReload=, ExecStop=, … of a service,\n"
                       "                      which must signal its main process)\n");
        printf("  Restrict flags:     %s\n", isempty(flags) ? "none" : flags);
        printf("  Compatibility:      %s\n", landlock_compat_to_string(c->compat));
        printf("  Process-wide:       %s\n", landlock_process_wide_to_string(c->process_wide));
}

static void print_source(const LandlockSource *s) {
        if (s->file)
                printf("  %s(%s:%u)%s", ansi_grey(), s->file, s->line, ansi_normal());
}

static void print_port_range(const LandlockPortRule *p) {
        _cleanup_free_ char *name = landlock_mask_to_string(LANDLOCK_KIND_NET, p->access);

        if (p->first == p->last)
                printf("    %-16s %u", strna(name), p->first);
        else
                printf("    %-16s %u-%u", strna(name), p->first, p->last);
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

static int show_print_text(const ShowData *d) {
        const LandlockUnit *u = &d->unit;
        const LandlockCompiled *c = &d->compiled;
        const char *v;

        printf("%s%s%s\n", ansi_highlight(), u->name, ansi_normal());
        printf("  Fragment: %s\n", u->fragment ?: "(none)");
        for (char **f = u->dropins; f && *f; f++)
                printf("  %s %s\n", f == u->dropins ? "Drop-ins:" : "         ", *f);
        if (u->online) {
                uint64_t recorded = 0, current = 0;

                printf("  State:    %s, %s\n", strna(u->load_state), strna(u->active_state));
                switch (landlock_unit_policy_record(u, &recorded, &current)) {
                case POLICY_RECORD_CURRENT:
                        printf("  Policy:   the running processes have the policy shown below (%016" PRIx64 ")\n", current);
                        break;
                case POLICY_RECORD_STALE:
                        printf("  Policy:   %sOLD: the running processes were started with policy %016" PRIx64 "; the "
                               "unit now says %016" PRIx64 " (changed before a daemon-reload). Restart the unit "
                               "to apply it: systemctl restart %s%s\n", ansi_red(), recorded, current, u->name,
                               ansi_normal());
                        break;
                case POLICY_RECORD_UNKNOWN:
                        printf("  Policy:   cannot tell whether the running processes have the policy shown below: "
                               "no record of the enforcer in the journal for this invocation (its stderr not "
                               "in the journal, or the journal not readable)\n");
                        break;
                default:
                        break;
                }
        }

        printf("\n%sDirectives [%s]:%s\n", ansi_highlight(), section_of(u), ansi_normal());
        if (!u->policy.has_directives && strv_length(u->policy.errors) == 0)
                printf("  (none)\n");
        for (size_t i = 0; i < u->file.n_entries; i++) {
                const UnitFileEntry *e = u->file.entries + i;

                if (entry_is_directive(u, e))
                        printf("  %s=%s  %s(%s:%u)%s\n", e->key, e->value, ansi_grey(), e->file, e->line,
                               ansi_normal());
        }
        for (char **e = u->policy.errors; e && *e; e++)
                printf("  %s%s%s\n", ansi_red(), *e, ansi_normal());
        if (strv_length(u->policy.errors) > 0)
                printf("  %sThe directives are invalid: the unit refuses to start.%s\n", ansi_red(), ansi_normal());

        v = landlock_abi_linux_version(c->abi);
        printf("\n%sKernel rules on Landlock ABI %u%s%s%s:%s\n", ansi_highlight(), c->abi, v ? " (Linux " : "",
               v ?: "", v ? ")" : "", ansi_normal());
        if (!u->policy.has_directives)
                printf("  (none: the unit runs without Landlock)\n");
        else {
                print_masks(c);
                printf("  Path rules:\n");
                if (c->n_paths == 0)
                        printf("    (none)\n");
                for (size_t i = 0; i < c->n_paths; i++) {
                        _cleanup_free_ char *a = landlock_mask_to_string(LANDLOCK_KIND_FS,
                                                                         rule_access_here(c->paths[i].path, c->paths[i].access));

                        printf("    %s%s  %s", c->paths[i].optional ? "-" : "", c->paths[i].path, strna(a));
                        print_source(&c->paths[i].source);
                        printf("\n");
                }
                printf("  Port rules:\n");
                if (c->n_ports == 0)
                        printf("    (none)\n");
                for (size_t i = 0; i < c->n_ports; i++) {
                        print_port_range(c->ports + i);
                        print_source(&c->ports[i].source);
                        printf("\n");
                }
        }

        if (c->n_drops > 0 || d->strict_error) {
                printf("\n%sNot enforced on this kernel%s:%s\n", ansi_highlight(),
                       d->strict_error ? " (strict: the unit refuses to start)" :
                       c->compat == LANDLOCK_COMPAT_STRICT ? " (strict mode accepts these)" :
                       " (best effort drops them)", ansi_normal());
                for (size_t i = 0; i < c->n_drops; i++)
                        printf("  %s%s%s [%s]\n", c->drops[i].weakens ? ansi_yellow() : "", c->drops[i].message,
                               ansi_normal(), drop_kind_to_string(c->drops[i].kind));
                if (d->strict_error)
                        printf("  %s%s%s\n", ansi_red(), d->strict_error, ansi_normal());
        }

        if (d->n_implicit > 0 || d->notes) {
                printf("\n%sImplicit grants (added by systemd-landlock-exec):%s\n", ansi_highlight(), ansi_normal());
                for (size_t i = 0; i < d->n_implicit; i++) {
                        _cleanup_free_ char *a = landlock_mask_to_string(LANDLOCK_KIND_FS, d->implicit[i].access);

                        printf("  %s  %s  %s(%s)%s\n", d->implicit[i].path, strna(a), ansi_grey(),
                               d->implicit[i].reason, ansi_normal());
                }
                for (char **n = d->notes; n && *n; n++)
                        printf("  %s\n", *n);
        }

        printf("\n%sCommands:%s\n", ansi_highlight(), ansi_normal());
        for (size_t i = 0; i < u->n_commands; i++) {
                const ExecLine *l = u->commands + i;

                printf("  %s=%s%s%s\n", l->field, l->value,
                       strchr(l->prefix, '+') ? "  " : "", strchr(l->prefix, '+') ? "(\"+\": runs without Landlock)" : "");
        }
        if (u->online) {
                printf("\n%sRunning commands (as the manager will exec them):%s\n", ansi_highlight(), ansi_normal());
                for (size_t i = 0; i < u->n_running; i++) {
                        const RunningCommand *rc = u->running + i;
                        const char *state = rc->privileged ? "privileged, not confined" :
                                rc->parse_error ? rc->parse_error :
                                rc->wrapped ? "through the enforcer" :
                                u->policy.has_directives ? "NOT through the enforcer: runs without Landlock" :
                                "not confined";

                        printf("  %s=%s  %s%s%s\n", rc->field, rc->argv && rc->argv[0] ? rc->argv[0] : "?",
                               rc->wrapped && !rc->parse_error ? ansi_green() : u->policy.has_directives ? ansi_red() : "",
                               state, ansi_normal());
                        if (rc->wrapped && !rc->parse_error && rc->options.command)
                                printf("      → %s\n", rc->options.command[0]);
                }
        }
        return 0;
}

static void json_source(JsonWriter *w, const LandlockSource *s) {
        json_pair_string(w, "file", s->file);
        json_key(w, "line");
        if (s->file)
                json_unsigned(w, s->line);
        else
                json_null(w);
}

static void json_mask(JsonWriter *w, const char *key, LandlockRightKind kind, uint64_t mask) {
        _cleanup_free_ char *s = landlock_mask_to_string(kind, mask);
        _cleanup_strv_free_ char **l = NULL;

        json_key(w, key);
        json_begin_array(w);
        if (s && strv_split(s, ",", &l) >= 0)
                for (char **i = l; i && *i; i++)
                        json_string(w, *i);
        json_end_array(w);
}

static int show_print_json(const ShowData *d) {
        const LandlockUnit *u = &d->unit;
        const LandlockCompiled *c = &d->compiled;
        JsonWriter w;

        json_writer_init(&w, stdout, arg_json);
        json_begin_object(&w);
        json_pair_string(&w, "unit", u->name);
        json_pair_string(&w, "fragment", u->fragment);
        json_key(&w, "dropins");
        json_begin_array(&w);
        for (char **f = u->dropins; f && *f; f++)
                json_string(&w, *f);
        json_end_array(&w);
        json_pair_bool(&w, "has_directives", u->policy.has_directives);

        json_key(&w, "directives");
        json_begin_array(&w);
        for (size_t i = 0; i < u->file.n_entries; i++) {
                const UnitFileEntry *e = u->file.entries + i;

                if (!entry_is_directive(u, e))
                        continue;
                json_begin_object(&w);
                json_pair_string(&w, "key", e->key);
                json_pair_string(&w, "value", e->value);
                json_pair_string(&w, "file", e->file);
                json_pair_unsigned(&w, "line", e->line);
                json_end_object(&w);
        }
        json_end_array(&w);

        json_key(&w, "errors");
        json_begin_array(&w);
        for (char **e = u->policy.errors; e && *e; e++)
                json_string(&w, *e);
        json_end_array(&w);

        json_key(&w, "compiled");
        json_begin_object(&w);
        json_pair_unsigned(&w, "abi", c->abi);
        json_mask(&w, "handled_fs", LANDLOCK_KIND_FS, c->handled_fs);
        json_mask(&w, "handled_net", LANDLOCK_KIND_NET, c->handled_net);
        json_mask(&w, "scoped", LANDLOCK_KIND_SCOPE, c->scoped);
        json_mask(&w, "restrict_flags", LANDLOCK_KIND_RESTRICT_FLAG, c->restrict_flags);
        json_pair_string(&w, "compatibility", landlock_compat_to_string(c->compat));
        json_pair_string(&w, "process_wide", landlock_process_wide_to_string(c->process_wide));
        json_pair_bool(&w, "allow_command", c->allow_command);
        json_key(&w, "paths");
        json_begin_array(&w);
        for (size_t i = 0; i < c->n_paths; i++) {
                json_begin_object(&w);
                json_pair_string(&w, "path", c->paths[i].path);
                json_mask(&w, "access", LANDLOCK_KIND_FS, rule_access_here(c->paths[i].path, c->paths[i].access));
                json_pair_bool(&w, "optional", c->paths[i].optional);
                json_source(&w, &c->paths[i].source);
                json_end_object(&w);
        }
        json_end_array(&w);
        json_key(&w, "ports");
        json_begin_array(&w);
        for (size_t i = 0; i < c->n_ports; i++) {
                json_begin_object(&w);
                json_mask(&w, "access", LANDLOCK_KIND_NET, c->ports[i].access);
                json_pair_unsigned(&w, "first", c->ports[i].first);
                json_pair_unsigned(&w, "last", c->ports[i].last);
                json_source(&w, &c->ports[i].source);
                json_end_object(&w);
        }
        json_end_array(&w);
        json_key(&w, "drops");
        json_begin_array(&w);
        for (size_t i = 0; i < c->n_drops; i++) {
                json_begin_object(&w);
                json_pair_string(&w, "kind", drop_kind_to_string(c->drops[i].kind));
                json_pair_unsigned(&w, "abi_needed", c->drops[i].abi_needed);
                json_pair_bool(&w, "weakens", c->drops[i].weakens);
                json_pair_string(&w, "message", c->drops[i].message);
                json_end_object(&w);
        }
        json_end_array(&w);
        json_pair_string(&w, "strict_refusal", d->strict_error);
        json_end_object(&w);

        json_key(&w, "implicit");
        json_begin_array(&w);
        for (size_t i = 0; i < d->n_implicit; i++) {
                json_begin_object(&w);
                json_pair_string(&w, "path", d->implicit[i].path);
                json_mask(&w, "access", LANDLOCK_KIND_FS, d->implicit[i].access);
                json_pair_string(&w, "reason", d->implicit[i].reason);
                json_end_object(&w);
        }
        json_end_array(&w);

        json_key(&w, "commands");
        json_begin_array(&w);
        for (size_t i = 0; i < u->n_commands; i++) {
                json_begin_object(&w);
                json_pair_string(&w, "field", u->commands[i].field);
                json_pair_string(&w, "prefix", u->commands[i].prefix);
                json_pair_string(&w, "path", u->commands[i].path);
                json_pair_bool(&w, "privileged", strchr(u->commands[i].prefix, '+'));
                json_pair_string(&w, "file", u->commands[i].file);
                json_pair_unsigned(&w, "line", u->commands[i].line);
                json_end_object(&w);
        }
        json_end_array(&w);

        if (u->online) {
                static const char *const records[] = {
                        [POLICY_RECORD_NOT_RUNNING] = NULL, [POLICY_RECORD_UNKNOWN] = "unknown",
                        [POLICY_RECORD_CURRENT] = "current", [POLICY_RECORD_STALE] = "old",
                };
                const char *record = records[landlock_unit_policy_record(u, NULL, NULL)];

                if (record)
                        json_pair_string(&w, "running_policy", record);
                json_key(&w, "running");
                json_begin_array(&w);
                for (size_t i = 0; i < u->n_running; i++) {
                        const RunningCommand *rc = u->running + i;

                        json_begin_object(&w);
                        json_pair_string(&w, "field", rc->field);
                        json_key(&w, "argv");
                        json_begin_array(&w);
                        for (char **a = rc->argv; a && *a; a++)
                                json_string(&w, *a);
                        json_end_array(&w);
                        json_pair_bool(&w, "privileged", rc->privileged);
                        json_pair_bool(&w, "wrapped", rc->wrapped);
                        json_pair_string(&w, "error", rc->parse_error);
                        json_end_object(&w);
                }
                json_end_array(&w);
        }
        json_end_object(&w);
        json_finish(&w);
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

        if (arg_json != JSON_OFF)
                return show_print_json(&d);
        return show_print_text(&d);
}
