/* SPDX-License-Identifier: LGPL-2.1-or-later */

#include <assert.h>
#include <inttypes.h>
#include <libgen.h>
#include <systemd/sd-journal.h>

#include "alloc-util.h"
#include "exec-line.h"
#include "landlock-unit.h"
#include "unit-exec-keys.h"
#include "log.h"
#include "strv.h"

static void exec_line_done(ExecLine *l) {
        free(l->field);
        free(l->prefix);
        free(l->path);
        free(l->value);
        free(l->file);
}

void running_command_done(RunningCommand *c) {
        free(c->field);
        strv_free(c->argv);
        landlock_exec_options_done(&c->options);
        free(c->parse_error);
}

void landlock_unit_done(LandlockUnit *u) {
        if (!u)
                return;
        free(u->name);
        free(u->fragment);
        strv_free(u->dropins);
        unit_file_done(&u->file);
        landlock_unit_policy_done(&u->policy);
        strv_free(u->warnings);
        for (size_t i = 0; i < u->n_commands; i++)
                exec_line_done(u->commands + i);
        free(u->commands);
        free(u->load_state);
        free(u->active_state);
        free(u->invocation_id);
        for (size_t i = 0; i < u->n_running; i++)
                running_command_done(u->running + i);
        free(u->running);
        *u = (LandlockUnit) {};
}

void landlock_unit_freep(LandlockUnit **u) {
        landlock_unit_done(*u);
        free(*u);
}


const char *landlock_unit_section(const LandlockUnit *u) {
        return landlock_section_for_unit(u->name);
}

static int command_add(LandlockUnit *u, const UnitFileEntry *e, ExecCommandRaw *c) {
        ExecLine *l;

        if (!GREEDY_REALLOC(u->commands, u->n_commands + 1))
                return -ENOMEM;
        l = u->commands + u->n_commands++;
        *l = (ExecLine) {
                .field = strdup(e->key),
                .prefix = strdup(c->prefix),
                .path = TAKE_PTR(c->path),
                .value = strndup(c->raw_start, c->raw_end - c->raw_start),
                .file = e->file ? strdup(e->file) : NULL,
                .line = e->line,
        };
        if (!l->field || !l->prefix || !l->value || (e->file && !l->file))
                return -ENOMEM;
        return 0;
}

/* One ExecLine per command of the entry, split as the generator splits it (exec-line.h). */
static int commands_add(LandlockUnit *u, const UnitFileEntry *e) {
        _cleanup_exec_commands_ ExecCommandRaw *cmds = NULL;
        size_t n = 0;
        int r;

        r = exec_line_split(e->value, &cmds, &n);
        if (r == -EINVAL)
                return 0;       /* the generator turns it into a refusal: nothing of it runs */
        if (r < 0)
                return r;

        for (size_t i = 0; i < n; i++) {
                r = command_add(u, e, &cmds[i]);
                if (r < 0)
                        return r;
        }
        return 0;
}

/* The commands in effect, key by key in the order systemd runs them (unit-exec-keys.h). */
static int landlock_unit_parse_commands(LandlockUnit *u, const char *section) {
        const char * const *keys = unit_exec_keys(section);
        int r;

        for (size_t k = 0; keys && keys[k]; k++) {
                _cleanup_free_ const UnitFileEntry **l = NULL;
                size_t n;

                r = unit_file_get_list(&u->file, section, keys[k], &l, &n);
                if (r < 0)
                        return r;
                for (size_t i = 0; i < n; i++) {
                        r = commands_add(u, l[i]);
                        if (r < 0)
                                return r;
                }
        }
        return 0;
}

static int landlock_unit_parse_entries(LandlockUnit *u) {
        const char *section = landlock_unit_section(u);
        int r;

        if (!section)
                return 0;

        r = landlock_unit_policy_from_unit_file(&u->file, section, &u->policy);
        if (r < 0)
                return r;
        return landlock_unit_parse_commands(u, section);
}

/* The generator's own drop-in restates the commands, wrapped: we want what the administrator wrote. */
static bool path_is_generated(const char *path) {
        return strstr(path, "/systemd/generator") != NULL;
}

int landlock_unit_parse_files(LandlockUnit *u, const char *root) {
        int r;

        assert(u);

        for (size_t i = 0; ; i++) {
                const char *f = i == 0 ? u->fragment : u->dropins ? u->dropins[i - 1] : NULL;
                _cleanup_free_ char *full = NULL;

                if (i > 0 && !f)
                        break;
                if (!f || path_is_generated(f))
                        continue;
                if (root && !streq(root, "/") && asprintf(&full, "%s%s", root, f) < 0)
                        return log_oom();
                r = unit_file_load(&u->file, full ?: f, f, &u->warnings);
                if (r == -ENOENT)
                        continue;       /* the manager may name files that are gone since */
                if (r < 0)
                        return log_error_errno(r, "Failed to read %s: %m", f);
        }
        r = landlock_unit_parse_entries(u);
        if (r < 0)
                return log_error_errno(r, "Failed to parse the directives of %s: %m", u->name);
        return 0;
}

int landlock_unit_load_offline(const char *name, UnitScope scope, const char *root, LandlockUnit *ret) {
        _cleanup_(unit_lookup_paths_done) UnitLookupPaths p = {};
        _cleanup_(unit_info_done) UnitInfo info = {};
        LandlockUnit u = {};
        int r;

        assert(name);
        assert(ret);

        r = unit_lookup_paths_init(&p, scope, root);
        if (r < 0)
                return log_error_errno(r, "Failed to build the unit search path: %m");
        r = unit_lookup(&p, name, &info);
        if (r < 0)
                return log_error_errno(r, "Failed to look up %s: %m", name);
        if (!info.fragment && strv_length(info.dropins) == 0 && !info.masked)
                return log_error_errno(ENOENT, "Unit %s not found%s%s.", name,
                                       root ? " beneath " : "", root ?: "");

        u.name = strdup(info.name ?: name);
        if (!u.name)
                return log_oom();
        u.masked = info.masked;

        r = unit_info_load(&p, &info, &u.file, &u.warnings);
        if (r >= 0)
                r = landlock_unit_parse_entries(&u);
        if (r < 0) {
                landlock_unit_done(&u);
                return log_error_errno(r, "Failed to load %s: %m", name);
        }
        u.fragment = TAKE_PTR(info.fragment);
        u.dropins = TAKE_PTR(info.dropins);
        *ret = u;
        return 0;
}

/* The section a drop-in's directives belong to comes from the unit it configures: its directory
 * "nginx.service.d/", "foo-.service.d/", or "service.d/" for every service. A ".conf" elsewhere says it
 * with its first section whose commands we would know ([Service], [Socket], [Mount], [Swap]). Returns
 * a name whose suffix gives the type ("nginx.service", "*.service"), or NULL when none can be told. */
static char *dropin_unit_name(const char *path, const UnitFile *f) {
        static const char *const types[][2] = {
                { "Service", ".service" }, { "Socket", ".socket" }, { "Mount", ".mount" }, { "Swap", ".swap" },
        };
        _cleanup_free_ char *copy = strdup(path);
        const char *dir, *slash;
        char *name;

        if (!copy)
                return NULL;
        slash = strrchr(copy, '/');
        if (slash) {
                copy[slash - copy] = '\0';
                dir = strrchr(copy, '/') ? strrchr(copy, '/') + 1 : copy;
                if (endswith(dir, ".d") && strlen(dir) > 2) {
                        if (!strchr(dir, '.') || strchr(dir, '.') == dir + strlen(dir) - 2)
                                /* "service.d": every unit of that type. */
                                return asprintf(&name, "*.%.*s", (int) (strlen(dir) - 2), dir) < 0 ? NULL : name;
                        return strndup(dir, strlen(dir) - 2);
                }
        }
        for (size_t i = 0; i < f->n_entries; i++)
                for (size_t t = 0; t < ELEMENTSOF(types); t++)
                        if (streq(f->entries[i].section, types[t][0]))
                                return asprintf(&name, "%s%s", strrchr(path, '/') ? strrchr(path, '/') + 1 : path,
                                                types[t][1]) < 0 ? NULL : name;
        return NULL;
}

int landlock_unit_load_file(const char *path, LandlockUnit *ret) {
        _cleanup_free_ char *copy = NULL;
        LandlockUnit u = {};
        int r;

        copy = strdup(path);
        if (!copy)
                return log_oom();
        u.name = strdup(basename(copy));
        u.fragment = strdup(path);
        if (!u.name || !u.fragment) {
                landlock_unit_done(&u);
                return log_oom();
        }

        r = unit_file_load(&u.file, path, NULL, &u.warnings);
        if (r < 0) {
                landlock_unit_done(&u);
                return log_error_errno(r, "Failed to read %s: %m", path);
        }
        if (endswith(u.name, ".conf")) {
                char *name = dropin_unit_name(path, &u.file);

                if (name) {
                        free(u.name);
                        u.name = name;
                }
        }
        r = landlock_unit_parse_entries(&u);
        if (r < 0) {
                landlock_unit_done(&u);
                return log_error_errno(r, "Failed to parse %s: %m", path);
        }
        *ret = u;
        return 0;
}

static bool path_is_enforcer_binary(const char *p) {
        return streq(p, LANDLOCK_EXEC_PATH) || endswith(p, "/systemd-landlock-exec");
}

/* The enforcer, or one of the generator's links to it named after a command (LANDLOCK_EXEC_IDENTITY_DIR):
 * the link must be there and point to the enforcer. */
static bool path_is_enforcer(const char *p) {
        char target[PATH_MAX];
        const char *slash;
        ssize_t k;

        if (!p)
                return false;
        if (path_is_enforcer_binary(p))
                return true;
        slash = strrchr(p, '/');
        if (!slash || slash - p < (ptrdiff_t) strlen("/" LANDLOCK_EXEC_IDENTITY_DIR) ||
            !strneq(slash - strlen("/" LANDLOCK_EXEC_IDENTITY_DIR), "/" LANDLOCK_EXEC_IDENTITY_DIR "/",
                    strlen("/" LANDLOCK_EXEC_IDENTITY_DIR "/")))
                return false;
        k = readlink(p, target, sizeof target - 1);
        if (k < 0)
                return false;
        target[k] = '\0';
        return path_is_enforcer_binary(target);
}

int running_command_classify(RunningCommand *c) {
        int r;

        assert(c);

        c->wrapped = c->argv && path_is_enforcer(c->argv[0]);
        if (!c->wrapped)
                return 0;

        r = landlock_args_parse((int) strv_length(c->argv), c->argv, &c->options, &c->parse_error);
        if (r == -ENOMEM)
                return r;
        if (r < 0 && !c->parse_error)
                c->parse_error = strdup("the enforcer's arguments do not parse");
        return 0;
}

int landlock_unit_list_offline(UnitScope scope, const char *root, char ***ret) {
        _cleanup_(unit_lookup_paths_done) UnitLookupPaths p = {};
        _cleanup_unit_map_free_ UnitMap *m = NULL;
        _cleanup_strv_free_ char **names = NULL, **result = NULL;
        int r;

        r = unit_lookup_paths_init(&p, scope, root);
        if (r < 0)
                return log_error_errno(r, "Failed to build the unit search path: %m");
        r = unit_map_new(&p, false, &m);
        if (r < 0)
                return log_error_errno(r, "Failed to scan the unit search path: %m");
        names = unit_map_names(m);
        if (!names)
                return log_oom();

        for (char **n = names; *n; n++) {
                _cleanup_(unit_info_done) UnitInfo info = {};

                if (!endswith(*n, ".service") || unit_name_is_valid(*n, UNIT_NAME_TEMPLATE))
                        continue;
                r = unit_map_lookup(m, *n, &info);
                if (r < 0)
                        return log_error_errno(r, "Failed to look up %s: %m", *n);
                /* Aliases are listed under the name they load as, once. */
                if (info.masked || !info.fragment || strv_contains(result, info.name ?: *n))
                        continue;
                r = strv_extend(&result, info.name ?: *n);
                if (r < 0)
                        return log_oom();
        }
        *ret = TAKE_PTR(result);
        return 0;
}

/* The policy of the commands the manager would run now that are not control commands (those have their
 * own words, without signal scoping): the one the first command of an invocation logs. */
static int current_policy_id(const LandlockUnit *u, uint64_t *ret) {
        const char *section = landlock_unit_section(u);

        for (size_t i = 0; i < u->n_running; i++) {
                const RunningCommand *c = u->running + i;

                if (!c->wrapped || c->parse_error || c->options.error || unit_exec_key_controls_main(section, c->field))
                        continue;
                *ret = c->options.policy_id;
                return 1;
        }
        return 0;
}

/* The first record of the invocation: written by the enforcer before the first command of it ran, so
 * nothing the service printed later can stand in for it. */
static int recorded_policy_id(const char *invocation_id, uint64_t *ret) {
        _cleanup_free_ char *match = NULL;
        sd_journal *j = NULL;
        int r, found = 0;

        if (asprintf(&match, "_SYSTEMD_INVOCATION_ID=%s", invocation_id) < 0)
                return -ENOMEM;
        r = sd_journal_open(&j, SD_JOURNAL_LOCAL_ONLY);
        if (r < 0)
                return r;
        r = sd_journal_add_match(j, match, 0);
        if (r >= 0) {
                SD_JOURNAL_FOREACH(j) {
                        const void *data;
                        const char *at;
                        char text[256];
                        size_t n;

                        if (sd_journal_get_data(j, "MESSAGE", &data, &n) < 0)
                                continue;
                        n = MIN(n, sizeof text - 1);
                        memcpy(text, data, n);
                        text[n] = '\0';
                        at = strstr(text, LANDLOCK_POLICY_ID_MESSAGE);
                        if (at && sscanf(at + strlen(LANDLOCK_POLICY_ID_MESSAGE), "%16" SCNx64, ret) == 1) {
                                found = 1;
                                break;
                        }
                }
        }
        sd_journal_close(j);
        return r < 0 ? r : found;
}

PolicyRecord landlock_unit_policy_record(const LandlockUnit *u, uint64_t *ret_recorded, uint64_t *ret_current) {
        uint64_t current, recorded;

        assert(u);

        if (!u->online || isempty(u->invocation_id) || !u->active_state ||
            !STR_IN_SET(u->active_state, "active", "reloading", "activating", "deactivating"))
                return POLICY_RECORD_NOT_RUNNING;
        if (current_policy_id(u, &current) <= 0)
                return POLICY_RECORD_NOT_RUNNING;
        if (ret_current)
                *ret_current = current;
        if (recorded_policy_id(u->invocation_id, &recorded) <= 0)
                return POLICY_RECORD_UNKNOWN;
        if (ret_recorded)
                *ret_recorded = recorded;
        return recorded == current ? POLICY_RECORD_CURRENT : POLICY_RECORD_STALE;
}
