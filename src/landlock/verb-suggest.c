/* SPDX-License-Identifier: LGPL-2.1-or-later */

/* "systemd-landlock suggest UNIT [--write] [--coarse]": the unit's denials turned into a commented
 * drop-in (suggest.c has the sizing rules). --write installs it beside the drop-ins "systemctl edit"
 * writes, merged with what an earlier run wrote there, so that the loop
 *     start → suggest --write → daemon-reload → restart
 * only ever adds grants. */

#include <sys/stat.h>

#include "denials-visibility.h"
#include "denials.h"
#include "landlock-preset.h"
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

/* The directories of list setting "key" (each assignment adds, an empty one resets). */
static int add_own_dirs(const LandlockUnit *u, const char *key, const char *prefix, char ***dirs, char ***writable) {
        const char *section = landlock_unit_section(u);
        _cleanup_free_ const UnitFileEntry **entries = NULL;
        _cleanup_strv_free_ char **words = NULL;
        size_t n;
        int r;

        if (!section)
                return 0;
        r = unit_file_get_list(&u->file, section, key, &entries, &n);
        if (r < 0)
                return r;
        for (size_t i = 0; i < n; i++) {
                _cleanup_strv_free_ char **w = NULL;

                r = strv_split(entries[i]->value, " \t", &w);
                if (r < 0)
                        return r;
                r = strv_extend_strv(&words, w);
                if (r < 0)
                        return r;
        }

        STRV_FOREACH(w, words) {
                _cleanup_free_ char *d = NULL;
                const char *p = *w + strspn(*w, "-+:");

                /* "RuntimeDirectory=redis", "StateDirectory=foo:bar" (a symlink target after ':') */
                if (asprintf(&d, "%s%.*s", prefix, (int) strcspn(p, ":"), p) < 0)
                        return -ENOMEM;
                /* /var/run is a symlink to /run, and the kernel names paths as they resolve. */
                if (startswith(d, "/var/run/"))
                        memmove(d, d + strlen("/var"), strlen(d + strlen("/var")) + 1);
                if (!own_dir_acceptable(d))
                        continue;
                if (writable && !strv_contains(*writable, d) && strv_extend(writable, d) < 0)
                        return -ENOMEM;
                if (!strv_contains(*dirs, d) && strv_consume(dirs, TAKE_PTR(d)) < 0)
                        return -ENOMEM;
        }
        return 0;
}

static int suggest_context_fill(const char *unit, SuggestContext *c) {
        _cleanup_(landlock_unit_done) LandlockUnit u = {};
        _cleanup_strv_free_ char **commands = NULL;
        static const struct {
                const char *key, *prefix;
                bool writable;
        } dir_keys[] = {
                { "RuntimeDirectory", "/run/", true }, { "StateDirectory", "/var/lib/", true },
                { "LogsDirectory", "/var/log/", true }, { "CacheDirectory", "/var/cache/", true },
                { "ConfigurationDirectory", "/etc/", false }, { "ReadWritePaths", "", true },
                { "ReadWriteDirectories", "", true }, { "ReadOnlyPaths", "", false },
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
                        if (add_own_dirs(&u, dir_keys[i].key, dir_keys[i].prefix, &c->own_dirs,
                                         dir_keys[i].writable ? &c->writable_dirs : NULL) < 0)
                                return log_oom();
        }

        const UnitFileEntry *user = r >= 0 && landlock_unit_section(&u) ?
                unit_file_get_last(&u.file, landlock_unit_section(&u), "User", UNIT_FILE_EMPTY_RESETS) : NULL;
        r = suggest_service_names(unit, commands, user ? user->value : NULL, &c->names);
        if (r < 0)
                return log_oom();
        c->coarse = arg_coarse;
        c->path_kind = path_kind;
        return 0;
}

/* Every installed preset, expanded: a denial one of them answers is answered with LandlockPreset=. A
 * preset that does not expand here is left out. */
static int load_presets(SuggestPreset **ret, LandlockPolicy **ret_policies, size_t *ret_n) {
        _cleanup_strv_free_ char **names = NULL;
        SuggestPreset *presets = NULL;
        LandlockPolicy *policies = NULL;
        size_t n = 0;
        int r;

        *ret = NULL;
        *ret_policies = NULL;
        *ret_n = 0;
        r = landlock_preset_list(&names);
        if (r < 0)
                return log_debug_errno(r, "No presets to suggest: %m"), 0;

        policies = calloc(strv_length(names) + 1, sizeof(LandlockPolicy));
        presets = calloc(strv_length(names) + 1, sizeof(SuggestPreset));
        if (!policies || !presets) {
                free(policies);
                free(presets);
                return log_oom();
        }
        STRV_FOREACH(name, names) {
                _cleanup_free_ char *error = NULL;

                policies[n] = LANDLOCK_POLICY_INIT;
                r = landlock_preset_apply_list(*name, policies + n, &error);
                if (r < 0) {
                        log_debug("Preset %s left out: %s", *name, strna(error));
                        landlock_policy_done(policies + n);
                        continue;
                }
                presets[n] = (SuggestPreset) { .name = strdup(*name), .policy = policies + n };
                if (!presets[n].name) {
                        landlock_policy_done(policies + n);
                        break;
                }
                n++;
        }
        *ret = presets;
        *ret_policies = policies;
        *ret_n = n;
        return 0;
}

static void presets_free(SuggestPreset *presets, LandlockPolicy *policies, size_t n) {
        for (size_t i = 0; i < n; i++) {
                free((char *) presets[i].name);
                landlock_policy_done(policies + i);
        }
        free(presets);
        free(policies);
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

static char *dropin_path(const char *unit) {
        _cleanup_free_ char *dir = dropin_dir(unit);
        char *path;

        if (!dir || asprintf(&path, "%s/" SUGGEST_DROPIN, dir) < 0)
                return NULL;
        return path;
}

/* The drop-in an earlier run wrote, or NULL. */
static int read_earlier(const char *path, char **ret) {
        _cleanup_fclose_ FILE *f = NULL;
        _cleanup_free_ char *text = NULL;
        size_t size = 0;

        *ret = NULL;
        f = fopen(path, "re");
        if (!f)
                return errno == ENOENT ? 0 : -errno;
        if (getdelim(&text, &size, '\0', f) < 0)
                return feof(f) ? 0 : -errno;
        *ret = TAKE_PTR(text);
        return 0;
}

static int write_dropin(const char *unit, const char *path, const char *text) {
        _cleanup_free_ char *dir = dropin_dir(unit), *tmp = NULL;
        _cleanup_fclose_ FILE *f = NULL;
        int r;

        if (!dir || asprintf(&tmp, "%s.tmp", path) < 0)
                return log_oom();
        r = mkdir_parents(dir);
        if (r < 0)
                return log_error_errno(r, "Failed to create %s: %m", dir);

        f = fopen(tmp, "we");
        if (!f)
                return log_error_errno(errno, "Failed to create %s: %m", tmp);
        fputs(text, f);
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
        _cleanup_free_ char *unit = NULL, *text = NULL, *path = NULL, *earlier = NULL;
        SuggestContext c = {};
        SuggestPreset *presets = NULL;
        LandlockPolicy *preset_policies = NULL;
        size_t n_presets = 0;
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

        path = dropin_path(unit);
        if (!path)
                return log_oom();
        /* With --write, what an earlier run installed is merged in: the loop only ever adds. */
        if (arg_write) {
                r = read_earlier(path, &earlier);
                if (r < 0)
                        return log_error_errno(r, "Failed to read the earlier suggestion %s: %m", path);
        }

        r = suggest_context_fill(unit, &c);
        if (r < 0)
                goto finish;
        r = load_presets(&presets, &preset_policies, &n_presets);
        if (r < 0)
                goto finish;
        c.presets = presets;
        c.n_presets = n_presets;
        r = suggest_from_denials(&c, s.denials, s.n_denials, earlier, &sug);
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
                r = write_dropin(unit, path, text);
finish:
        strv_free(c.names);
        strv_free(c.own_dirs);
        strv_free(c.writable_dirs);
        presets_free(presets, preset_policies, n_presets);
        return r < 0 ? r : 0;
}
