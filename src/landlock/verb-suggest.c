/* SPDX-License-Identifier: LGPL-2.1-or-later */

/* "systemd-landlock suggest UNIT [--write] [--coarse]": the unit's denials turned into a commented
 * drop-in (suggest.c has the sizing rules). --write installs it beside the drop-ins "systemctl edit"
 * writes, merged with what an earlier run wrote there, so that the loop
 *     start → suggest --write → daemon-reload → restart
 * only ever adds grants. */

#include <sys/stat.h>

#include "denials-visibility.h"
#include "denials.h"
#include "landlock-unit.h"
#include "log.h"
#include "strv.h"
#include "suggest.h"
#include "verbs.h"

#define SUGGEST_DROPIN "landlock-suggest.conf"

static SuggestPathKind path_kind(const char *path, void *userdata) {
        struct stat st;

        if (stat(path, &st) < 0)
                return SUGGEST_PATH_MISSING;
        return S_ISDIR(st.st_mode) ? SUGGEST_PATH_DIRECTORY : SUGGEST_PATH_FILE;
}

/* A directory the unit names may count as the service's own only if it is no shared top: /etc/redis,
 * /run/redis, /var/lib/redis, but not /var/lib or /usr/lib. */
static bool own_dir_acceptable(const char *path) {
        unsigned depth = 0;

        if (path[0] != '/' || strchr(path, '%'))
                return false;
        for (const char *p = path; *p; p++)
                depth += *p == '/' && p[1] != '\0' && p[1] != '/';
        if (depth >= 3)
                return !startswith(path, "/usr/") && !startswith(path, "/proc/") && !startswith(path, "/sys/");
        return depth == 2 && (startswith(path, "/etc/") || startswith(path, "/run/") || startswith(path, "/srv/") ||
                              startswith(path, "/opt/"));
}

static int add_own_dirs(const LandlockUnit *u, const char *key, const char *prefix, char ***dirs) {
        _cleanup_strv_free_ char **words = NULL;
        const char *v = landlock_unit_get(u, key);
        int r;

        if (!v)
                return 0;
        r = strv_split(v, " \t", &words);
        if (r < 0)
                return r;
        STRV_FOREACH(w, words) {
                _cleanup_free_ char *d = NULL;
                const char *p = *w + strspn(*w, "-+:");

                /* "RuntimeDirectory=redis", "StateDirectory=foo:bar" (a symlink target after ':') */
                if (asprintf(&d, "%s%.*s", prefix, (int) strcspn(p, ":"), p) < 0)
                        return -ENOMEM;
                if (own_dir_acceptable(d) && !strv_contains(*dirs, d) && strv_consume(dirs, TAKE_PTR(d)) < 0)
                        return -ENOMEM;
        }
        return 0;
}

static int suggest_context_fill(const char *unit, SuggestContext *c) {
        _cleanup_(landlock_unit_done) LandlockUnit u = {};
        _cleanup_strv_free_ char **commands = NULL;
        static const struct {
                const char *key, *prefix;
        } dir_keys[] = {
                { "RuntimeDirectory", "/run/" }, { "StateDirectory", "/var/lib/" }, { "LogsDirectory", "/var/log/" },
                { "CacheDirectory", "/var/cache/" }, { "ConfigurationDirectory", "/etc/" },
                { "ReadWritePaths", "" }, { "ReadWriteDirectories", "" }, { "ReadOnlyPaths", "" },
        };
        int r;

        r = landlock_unit_load_offline(unit, arg_scope, arg_root, &u);
        if (r < 0)
                log_debug_errno(r, "Failed to read the unit files of %s, sizing without them: %m", unit);
        else {
                for (size_t i = 0; i < u.n_commands; i++)
                        if (u.commands[i].path && strv_extend(&commands, u.commands[i].path) < 0)
                                return log_oom();
                for (size_t i = 0; i < ELEMENTSOF(dir_keys); i++)
                        if (add_own_dirs(&u, dir_keys[i].key, dir_keys[i].prefix, &c->own_dirs) < 0)
                                return log_oom();
        }

        r = suggest_service_names(unit, commands, r >= 0 ? landlock_unit_get(&u, "User") : NULL, &c->names);
        if (r < 0)
                return log_oom();
        c->coarse = arg_coarse;
        c->path_kind = path_kind;
        return 0;
}

static char *dropin_dir(const char *unit) {
        const char *config = getenv("XDG_CONFIG_HOME"), *home = getenv("HOME");
        char *d = NULL;
        int k;

        if (arg_scope == UNIT_SCOPE_USER)
                k = config ? asprintf(&d, "%s%s/systemd/user/%s.d", strempty(arg_root), config, unit)
                           : asprintf(&d, "%s%s/.config/systemd/user/%s.d", strempty(arg_root), strempty(home), unit);
        else
                k = asprintf(&d, "%s/etc/systemd/system/%s.d", strempty(arg_root), unit);
        return k < 0 ? NULL : d;
}

static int mkdir_parents(const char *path) {
        _cleanup_free_ char *p = strdup(path);

        if (!p)
                return -ENOMEM;
        for (char *s = p + 1; *s; s++) {
                if (*s != '/')
                        continue;
                *s = '\0';
                if (mkdir(p, 0755) < 0 && errno != EEXIST)
                        return -errno;
                *s = '/';
        }
        if (mkdir(p, 0755) < 0 && errno != EEXIST)
                return -errno;
        return 0;
}

/* The blocks (comment lines, then one directive) of an earlier suggestion whose directive the new one
 * does not have: kept, so that a grant stays when its denials have left the journal. */
static int old_blocks_to_keep(const char *path, const char *new_text, char **ret) {
        _cleanup_fclose_ FILE *f = NULL, *out = NULL;
        _cleanup_free_ char *line = NULL, *block = NULL, *kept = NULL;
        size_t size = 0, block_size = 0, kept_size = 0;
        FILE *b = NULL;

        *ret = NULL;
        f = fopen(path, "re");
        if (!f)
                return errno == ENOENT ? 0 : -errno;
        out = open_memstream(&kept, &kept_size);
        if (!out)
                return -ENOMEM;

        while (getline(&line, &size, f) >= 0) {
                if (!b) {
                        free(block);
                        block = NULL;
                        b = open_memstream(&block, &block_size);
                        if (!b)
                                return -ENOMEM;
                }
                if (line[0] == '#') {
                        fputs(line, b);
                        continue;
                }
                if (line[0] == '\n' || line[0] == '[') {
                        fclose(b);
                        b = NULL;
                        continue;
                }
                /* A directive: keep its block unless the new text has the same line. */
                fclose(b);
                b = NULL;
                bool present = false;
                for (const char *p = new_text; (p = strstr(p, line)); p++)
                        if (p == new_text || p[-1] == '\n') {
                                present = true;
                                break;
                        }
                if (!present && !startswith(block, "# Suggested by"))
                        fprintf(out, "\n%s%s", block, line);
                else if (!present)
                        /* the header of the old file comes first in its first block: drop it */
                        fprintf(out, "\n%s", line);
        }
        if (b)
                fclose(b);
        if (fclose(out) != 0) {
                out = NULL;
                return -ENOMEM;
        }
        out = NULL;
        if (!isempty(kept))
                *ret = TAKE_PTR(kept);
        return 0;
}

static int write_dropin(const char *unit, const char *text) {
        _cleanup_free_ char *dir = dropin_dir(unit), *path = NULL, *kept = NULL, *tmp = NULL;
        _cleanup_fclose_ FILE *f = NULL;
        int r;

        if (!dir || asprintf(&path, "%s/" SUGGEST_DROPIN, dir) < 0 || asprintf(&tmp, "%s.tmp", path) < 0)
                return log_oom();
        r = mkdir_parents(dir);
        if (r < 0)
                return log_error_errno(r, "Failed to create %s: %m", dir);
        r = old_blocks_to_keep(path, text, &kept);
        if (r < 0)
                return log_error_errno(r, "Failed to read the earlier suggestion %s: %m", path);

        f = fopen(tmp, "we");
        if (!f)
                return log_error_errno(errno, "Failed to create %s: %m", tmp);
        fputs(text, f);
        if (kept)
                fprintf(f, "\n# Kept from earlier suggestions:%s", kept);
        if (fflush(f) != 0 || ferror(f))
                return log_error_errno(EIO, "Failed to write %s.", tmp);
        if (rename(tmp, path) < 0)
                return log_error_errno(errno, "Failed to install %s: %m", path);

        log_info("Wrote %s. Next: systemctl daemon-reload, then restart %s, and run suggest again until no denial "
                 "is left.", path, unit);
        return 0;
}

int verb_suggest(int argc, char *argv[]) {
        _cleanup_(denial_set_done) DenialSet s = {};
        _cleanup_(suggestion_done) Suggestion sug = {};
        _cleanup_free_ char *unit = NULL, *text = NULL;
        SuggestContext c = {};
        AuditFacts facts;
        int v, r;

        if (argc != 2)
                return log_error_errno(EINVAL, "\"suggest\" takes exactly one unit, got %i.", argc - 1);
        unit = unit_name_with_suffix(argv[1]);
        if (!unit)
                return log_oom();

        r = denials_load((char *[]) { unit, NULL }, &s, &facts, NULL);
        if (r < 0)
                return r;
        r = denials_flush(&s, /* final= */ true, NULL, NULL);
        if (r < 0)
                return log_oom();
        v = denials_warn_visibility((char *[]) { unit, NULL }, &facts);
        if (v < 0)
                return v;
        if (s.n_denials == 0) {
                if (audit_visibility_blocks((AuditVisibility) v))
                        return log_error_errno(ENODATA, "Cannot suggest anything for %s: its denials cannot be seen "
                                               "(see above).", unit);
                log_info("No denials of %s%s: nothing to suggest.", unit, arg_since ? " since then" : " in this boot");
                return 0;
        }

        r = suggest_context_fill(unit, &c);
        if (r < 0)
                goto finish;
        r = suggest_from_denials(&c, s.denials, s.n_denials, &sug);
        if (r < 0) {
                log_oom();
                goto finish;
        }
        text = suggestion_format(&sug, unit);
        if (!text) {
                r = log_oom();
                goto finish;
        }

        fputs(text, stdout);
        fflush(stdout);
        if (arg_write)
                r = write_dropin(unit, text);
finish:
        strv_free(c.names);
        strv_free(c.own_dirs);
        return r < 0 ? r : 0;
}
