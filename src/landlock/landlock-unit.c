/* SPDX-License-Identifier: LGPL-2.1-or-later */

#include <assert.h>
#include <libgen.h>

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
        r = landlock_unit_parse_entries(&u);
        if (r < 0) {
                landlock_unit_done(&u);
                return log_error_errno(r, "Failed to parse %s: %m", path);
        }
        *ret = u;
        return 0;
}

static bool path_is_enforcer(const char *p) {
        return p && (streq(p, LANDLOCK_EXEC_PATH) || endswith(p, "/systemd-landlock-exec"));
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
