/* SPDX-License-Identifier: LGPL-2.1-or-later */

#include <assert.h>
#include <dirent.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "alloc-util.h"
#include "error-message.h"
#include "extract-word.h"
#include "fileio.h"
#include "exec-closure.h"
#include "landlock-directives.h"
#include "landlock-preset.h"
#include "strv.h"
#include "unit-file.h"

#define PRESET_SECTION "Preset"

static const char *preset_root;

/* What each top-level preset word granted, in order, during one run (landlock_preset_cache_begin()). */
typedef struct PresetCacheEntry {
        char *spec;
        LandlockPolicy grants;          /* only path rules: a preset adds nothing else (apply_entry()) */
} PresetCacheEntry;

static struct {
        bool enabled;
        PresetCacheEntry *entries;
        size_t n;
} preset_cache;

/* strtoul() accepts blanks and signs; versions are plain digits. */
static int parse_version(const char *s, unsigned *ret) {
        unsigned long v;
        char *end;

        if (!strchr("0123456789", s[0]) || s[0] == '\0')
                return -EINVAL;
        errno = 0;
        v = strtoul(s, &end, 10);
        if (*end || errno || v == 0 || v > UINT_MAX)
                return -EINVAL;
        *ret = v;
        return 0;
}

void landlock_preset_set_root(const char *root) {
        preset_root = isempty(root) || streq(root, "/") ? NULL : root;
}

static char *under_root(const char *path) {
        char *s;

        if (asprintf(&s, "%s%s", strempty(preset_root), path) < 0)
                return NULL;
        return s;
}

int landlock_preset_dirs(char ***ret) {
        const char *e = getenv("SYSTEMD_LANDLOCK_PRESET_PATH");

        assert(ret);

        if (!isempty(e))
                return strv_split(e, ":", ret);

        *ret = NULL;
        return strv_extend_strv(ret, (char **) (const char *const[]) {
                        "/etc/systemd-landlock/presets",
                        "/run/systemd-landlock/presets",
                        LANDLOCK_DATA_DIR "/presets",
                        NULL });
}

/* Names are file names without their suffix: no "/", nothing hidden, no "@" (it starts the version). */
static bool preset_name_is_valid(const char *name) {
        if (isempty(name) || name[0] == '.' || strlen(name) > NAME_MAX - strlen(LANDLOCK_PRESET_SUFFIX))
                return false;
        for (const char *c = name; *c; c++)
                if (!strchr("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_.", *c))
                        return false;
        return true;
}

int landlock_preset_find(const char *name, char **ret_path) {
        _cleanup_strv_free_ char **dirs = NULL;
        int r;

        assert(name);
        assert(ret_path);

        if (!preset_name_is_valid(name))
                return -EINVAL;

        r = landlock_preset_dirs(&dirs);
        if (r < 0)
                return r;

        STRV_FOREACH(d, dirs) {
                _cleanup_free_ char *path = NULL, *full = NULL;

                if (asprintf(&path, "%s/%s%s", *d, name, LANDLOCK_PRESET_SUFFIX) < 0)
                        return -ENOMEM;
                full = under_root(path);
                if (!full)
                        return -ENOMEM;
                if (access(full, F_OK) >= 0) {
                        *ret_path = TAKE_PTR(full);
                        return 0;
                }
                if (errno != ENOENT)
                        return -errno;
        }
        return -ENOENT;
}

int landlock_preset_list(char ***ret) {
        _cleanup_strv_free_ char **dirs = NULL, **names = NULL;
        int r;

        assert(ret);

        r = landlock_preset_dirs(&dirs);
        if (r < 0)
                return r;

        STRV_FOREACH(d, dirs) {
                _cleanup_free_ char *full = under_root(*d);
                _cleanup_closedir_ DIR *dir = NULL;
                struct dirent *de;

                if (!full)
                        return -ENOMEM;
                dir = opendir(full);
                if (!dir) {
                        if (errno == ENOENT)
                                continue;
                        return -errno;
                }
                while ((de = readdir(dir))) {
                        const char *suffix = endswith(de->d_name, LANDLOCK_PRESET_SUFFIX);
                        _cleanup_free_ char *name = NULL;

                        if (!suffix)
                                continue;
                        name = strndup(de->d_name, suffix - de->d_name);
                        if (!name)
                                return -ENOMEM;
                        if (!preset_name_is_valid(name) || strv_contains(names, name))
                                continue;
                        r = strv_consume(&names, TAKE_PTR(name));
                        if (r < 0)
                                return r;
                }
        }

        strv_sort(names);
        *ret = TAKE_PTR(names);
        return 0;
}

/* ---- Computed grants ---- */

static bool nss_module_name_is_valid(const char *s) {
        if (isempty(s))
                return false;
        for (; *s; s++)
                if (!strchr("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_", *s))
                        return false;
        return true;
}

/* Grants the module files of one NSS service ("systemd" → libnss_systemd.so.2), each found directory
 * once (a merged /usr makes /lib and /usr/lib the same). */
static int grant_nss_module(LandlockPolicy *p, const char *module, const LandlockSource *source) {
        _cleanup_strv_free_ char **dirs = NULL;
        _cleanup_free_ struct stat *seen = NULL;
        size_t n_seen = 0;
        int r;

        /* Where ld.so looks for a module dlopen()ed by bare name, one entry per file (a merged /usr makes
         * /lib and /usr/lib the same): only the directories that have it are used. */
        r = exec_default_library_dirs(&dirs);
        if (r < 0)
                return r;
        seen = calloc(strv_length(dirs), sizeof(struct stat));
        if (!seen)
                return -ENOMEM;

        STRV_FOREACH(d, dirs) {
                _cleanup_free_ char *path = NULL, *full = NULL;
                struct stat st;
                bool dup = false;

                if (asprintf(&path, "%s/libnss_%s.so.2", *d, module) < 0)
                        return -ENOMEM;
                full = under_root(path);
                if (!full)
                        return -ENOMEM;
                if (stat(full, &st) < 0)
                        continue;
                for (size_t i = 0; i < n_seen; i++)
                        dup = dup || (seen[i].st_dev == st.st_dev && seen[i].st_ino == st.st_ino);
                if (dup)
                        continue;
                seen[n_seen++] = st;

                /* Optional: the service's view may lack it (RootDirectory=); NSS then fails as it would. */
                r = landlock_policy_add_path(p, path, LANDLOCK_ACCESS_FS_READ_FILE, 0, true, source);
                if (r < 0)
                        return r;
        }
        return 0;
}

/* The services of one nsswitch.conf line ("passwd: files systemd [NOTFOUND=return] ldap"): every word
 * outside the "[…]" action groups. Those not in *seen yet go to *modules and *seen. */
static int nss_line_modules(const char *line, char ***seen, char ***modules) {
        const char *colon = strchr(line, ':');
        _cleanup_strv_free_ char **words = NULL;
        int depth = 0, r;

        if (!colon)
                return 0;
        r = strv_split(colon + 1, WHITESPACE, &words);
        if (r < 0)
                return r;
        STRV_FOREACH(w, words) {
                for (const char *c = *w; *c; c++) {
                        if (*c == '[')
                                depth++;
                        else if (*c == ']' && depth > 0)
                                depth--;
                }
                if (strchr(*w, '[') || strchr(*w, ']') || depth > 0)
                        continue;
                if (nss_module_name_is_valid(*w) && !strv_contains(*seen, *w)) {
                        r = strv_extend(seen, *w);
                        if (r < 0)
                                return r;
                        r = strv_extend(modules, *w);
                        if (r < 0)
                                return r;
                }
        }
        return 0;
}

static int computed_nss_modules(LandlockPolicy *p, char **ret_error) {
        static const char nsswitch[] = "/etc/nsswitch.conf";
        _cleanup_free_ char *full = under_root(nsswitch), *text = NULL;
        _cleanup_strv_free_ char **seen = NULL;
        size_t size;
        unsigned n = 0;
        int r;

        if (!full)
                return -ENOMEM;
        r = read_full_file(full, &text, &size);
        if (r == -ENOENT)
                return 0;       /* glibc's built-in defaults: files and dns, both in libc itself */
        if (r < 0)
                return set_error(ret_error, r, "cannot read %s: %s", nsswitch, strerror(-r));

        /* Line by line, keeping numbers, so that each grant names the line that asked for it. */
        for (char *line = text, *next; line; line = next, n++) {
                _cleanup_strv_free_ char **modules = NULL;
                LandlockSource source = { .file = (char *) nsswitch, .line = n + 1 };
                char *hash;

                next = strchr(line, '\n');
                if (next)
                        *next++ = '\0';
                hash = strchr(line, '#');
                if (hash)
                        *hash = '\0';
                r = nss_line_modules(line, &seen, &modules);
                if (r < 0)
                        return r;
                STRV_FOREACH(m, modules) {
                        r = grant_nss_module(p, *m, &source);
                        if (r < 0)
                                return r;
                }
        }
        return 0;
}

/* The absolute path a symlink in DIR (absolute, no ".." component) with the contents TARGET names, its
 * "." and ".." components resolved by name: "/etc" and "../usr/share/zoneinfo/UTC" give
 * "/usr/share/zoneinfo/UTC". By name is what the kernel does as long as DIR's components are directories,
 * as /etc is; ".." above "/" stays at "/", as in the kernel. */
static int resolve_link_target(const char *dir, const char *target, char **ret) {
        _cleanup_free_ char *joined = NULL, *out = NULL;
        size_t len = 0;

        assert(dir && dir[0] == '/');
        assert(target);
        assert(ret);

        if (target[0] == '/')
                joined = strdup(target);
        else if (asprintf(&joined, "%s/%s", dir, target) < 0)
                joined = NULL;
        if (!joined)
                return -ENOMEM;
        out = malloc(strlen(joined) + 2);
        if (!out)
                return -ENOMEM;

        for (const char *c = joined; *c;) {
                size_t k;

                while (*c == '/')
                        c++;
                k = strcspn(c, "/");
                if (k == 0 || (k == 1 && c[0] == '.'))
                        ;
                else if (k == 2 && c[0] == '.' && c[1] == '.') {
                        while (len > 0 && out[len - 1] != '/')
                                len--;
                        if (len > 0)
                                len--;          /* the '/' before the component dropped */
                } else {
                        out[len++] = '/';
                        memcpy(out + len, c, k);
                        len += k;
                }
                c += k;
        }
        if (len == 0)
                out[len++] = '/';
        out[len] = '\0';
        *ret = TAKE_PTR(out);
        return 0;
}

/* /etc/localtime is a symlink into the zone database; an administrator may point it anywhere. */
static int computed_localtime(LandlockPolicy *p, char **ret_error) {
        static const char localtime[] = "/etc/localtime";
        LandlockSource source = { .file = (char *) localtime, .line = 0 };
        _cleanup_free_ char *full = under_root(localtime), *target = NULL, *path = NULL;
        char buf[PATH_MAX];
        ssize_t n;
        int r;

        if (!full)
                return -ENOMEM;
        n = readlink(full, buf, sizeof(buf) - 1);
        if (n < 0)
                return 0;       /* no link (a plain file, or none): the base preset grants the file itself */
        buf[n] = '\0';

        /* systemd's timedatectl writes a relative link ("../usr/share/zoneinfo/…"); the enforcer refuses a
         * path with a ".." component, so the target is resolved against /etc here. */
        r = resolve_link_target("/etc", buf, &path);
        if (r < 0)
                return r;
        return landlock_policy_add_path(p, path, LANDLOCK_ACCESS_FS_READ_FILE, 0, true, &source);
}

const LandlockPresetComputed landlock_preset_computed[] = {
        { "nss-modules", "read access to the NSS module of every service /etc/nsswitch.conf names "
                         "(libnss_NAME.so.2), found in the library directories",
          computed_nss_modules },
        { "localtime",   "read access to the target of the /etc/localtime symlink",
          computed_localtime },
};
const size_t landlock_n_preset_computed = ELEMENTSOF(landlock_preset_computed);

static const LandlockPresetComputed *computed_from_name(const char *name) {
        for (size_t i = 0; i < landlock_n_preset_computed; i++)
                if (streq(landlock_preset_computed[i].name, name))
                        return &landlock_preset_computed[i];
        return NULL;
}

/* ---- Reading and applying a preset ---- */

static int apply_one(const char *spec, LandlockPolicy *p, unsigned depth, char **ret_error);
static int apply_one_cached(const char *spec, LandlockPolicy *p, char **ret_error);

static int apply_list(const char *value, LandlockPolicy *p, unsigned depth, char **ret_error) {
        int r;

        for (const char *q = value;;) {
                _cleanup_free_ char *word = NULL;

                r = extract_first_word(&q, &word, NULL, EXTRACT_UNQUOTE|EXTRACT_CUNESCAPE);
                if (r == -EINVAL)
                        return set_error(ret_error, -EINVAL, "bad quoting in \"%s\"", value);
                if (r <= 0)
                        return r;
                if (preset_cache.enabled && depth == 0)
                        r = apply_one_cached(word, p, ret_error);
                else
                        r = apply_one(word, p, depth, ret_error);
                if (r < 0)
                        return r;
        }
}

void landlock_preset_cache_begin(void) {
        landlock_preset_cache_end();
        preset_cache.enabled = true;
}

void landlock_preset_cache_end(void) {
        for (size_t i = 0; i < preset_cache.n; i++) {
                free(preset_cache.entries[i].spec);
                landlock_policy_done(&preset_cache.entries[i].grants);
        }
        free(preset_cache.entries);
        preset_cache.entries = NULL;
        preset_cache.n = 0;
        preset_cache.enabled = false;
}

static const LandlockPolicy *preset_cache_find(const char *spec) {
        for (size_t i = 0; i < preset_cache.n; i++)
                if (streq(preset_cache.entries[i].spec, spec))
                        return &preset_cache.entries[i].grants;
        return NULL;
}

/* Appends the grants to "p" as applying the preset there would have: applying a preset only appends path
 * rules (landlock_policy_add_path() copies each as is). */
static int grants_append(LandlockPolicy *p, const LandlockPolicy *grants) {
        for (size_t i = 0; i < grants->n_paths; i++) {
                const LandlockPathRule *rule = &grants->paths[i];
                int r = landlock_policy_add_path(p, rule->path, rule->access, rule->named, rule->optional,
                                                 &rule->source);
                if (r < 0)
                        return r;
        }
        return 0;
}

/* A top-level word, through the cache: applied once into grants of its own, then appended. One that fails
 * is not kept, and is applied to "p" directly, so that "p" and the error are what they always were. */
static int apply_one_cached(const char *spec, LandlockPolicy *p, char **ret_error) {
        LandlockPolicy grants = LANDLOCK_POLICY_INIT;
        const LandlockPolicy *cached = preset_cache_find(spec);
        PresetCacheEntry *e;
        int r;

        if (cached)
                return grants_append(p, cached);

        r = apply_one(spec, &grants, 0, NULL);
        if (r >= 0)
                r = grants_append(p, &grants);
        if (r < 0) {
                landlock_policy_done(&grants);
                return r == -ENOMEM ? r : apply_one(spec, p, 0, ret_error);
        }

        e = reallocarray(preset_cache.entries, preset_cache.n + 1, sizeof(PresetCacheEntry));
        if (!e) {
                landlock_policy_done(&grants);
                return -ENOMEM;
        }
        preset_cache.entries = e;
        e[preset_cache.n] = (PresetCacheEntry) { .spec = strdup(spec), .grants = grants };
        if (!e[preset_cache.n].spec) {
                landlock_policy_done(&e[preset_cache.n].grants);
                return -ENOMEM;
        }
        preset_cache.n++;
        return 0;
}

int landlock_preset_apply_list(const char *value, LandlockPolicy *p, char **ret_error) {
        assert(value);
        assert(p);

        return apply_list(value, p, 0, ret_error);
}

static int parse_spec(const char *spec, char **ret_name, unsigned *ret_version, char **ret_error) {
        const char *at = strchr(spec, '@');
        _cleanup_free_ char *name = at ? strndup(spec, at - spec) : strdup(spec);
        unsigned v = 0;

        if (!name)
                return -ENOMEM;
        if (!preset_name_is_valid(name))
                return set_error(ret_error, -EINVAL, "\"%s\" is not a preset name (expected NAME or NAME@VERSION; "
                                 "a name has letters, digits, \"-\", \"_\" and \".\" and does not start with \".\")",
                                 spec);
        if (at && parse_version(at + 1, &v) < 0)
                return set_error(ret_error, -EINVAL, "\"%s\" has a bad version \"%s\" (expected a positive "
                                 "integer: NAME@VERSION)", spec, at + 1);
        *ret_name = TAKE_PTR(name);
        *ret_version = v;
        return 0;
}

static int preset_load(const char *name, char **ret_path, UnitFile *u, char **ret_error) {
        _cleanup_free_ char *path = NULL;
        int r;

        r = landlock_preset_find(name, &path);
        if (r == -ENOENT) {
                _cleanup_strv_free_ char **dirs = NULL;
                _cleanup_free_ char *list = NULL;

                if (landlock_preset_dirs(&dirs) < 0 || !(list = strv_join(dirs, ", ")))
                        return -ENOMEM;
                return set_error(ret_error, -ENOENT, "no preset \"%s\" (looked for %s%s in %s)",
                                 name, name, LANDLOCK_PRESET_SUFFIX, list);
        }
        if (r < 0)
                return set_error(ret_error, r, "cannot look up preset \"%s\": %s", name, strerror(-r));

        r = unit_file_load(u, path, NULL, NULL);
        if (r < 0)
                return set_error(ret_error, r, "cannot read preset file %s: %s", path, strerror(-r));
        if (u->fatal)
                return set_error(ret_error, -EINVAL, "preset file %s is malformed", u->fatal[0]);

        *ret_path = TAKE_PTR(path);
        return 0;
}

/* Version= of a loaded preset: 0 when it has none (a masked preset), else a positive integer. */
static int preset_version(const UnitFile *u, unsigned *ret, char **ret_error) {
        *ret = 0;
        for (size_t i = 0; i < u->n_entries; i++) {
                const UnitFileEntry *e = &u->entries[i];

                if (streq(e->key, "Version") && parse_version(e->value, ret) < 0)
                        return set_error(ret_error, -EINVAL, "%s:%u: Version=%s is not a positive integer",
                                         e->file, e->line, e->value);
        }
        return 0;
}

/* Applies one path directive of a preset. Rights a preset names one by one (resolve-unix on the
 * userdb socket, say) are taken as through a bundle: a preset never makes strict mode refuse a kernel
 * that lacks them, since without them the kernel does not restrict that access either. */
static int apply_grant(const LandlockDirective *d, const UnitFileEntry *e, LandlockPolicy *p, char **ret_error) {
        LandlockPolicy scratch = LANDLOCK_POLICY_INIT;
        LandlockSource source = { .file = (char *) e->file, .line = e->line };
        _cleanup_free_ char *error = NULL;
        int r;

        r = landlock_directive_apply(d, e->value, &source, &scratch, &error);
        if (r >= 0)
                for (size_t i = 0; i < scratch.n_paths && r >= 0; i++) {
                        const LandlockPathRule *rule = &scratch.paths[i];

                        r = landlock_policy_add_path(p, rule->path, rule->access, 0, rule->optional, &rule->source);
                }
        landlock_policy_done(&scratch);
        if (r == -ENOMEM)
                return r;
        if (r < 0)
                return set_error(ret_error, r, "%s:%u: %s=%s: %s", e->file, e->line, e->key, e->value, strna(error));
        return 0;
}

static int apply_computed(const UnitFileEntry *e, LandlockPolicy *p, char **ret_error) {
        int r;

        for (const char *q = e->value;;) {
                _cleanup_free_ char *word = NULL, *error = NULL;
                const LandlockPresetComputed *c;

                r = extract_first_word(&q, &word, NULL, EXTRACT_UNQUOTE);
                if (r <= 0)
                        return r == -EINVAL ? set_error(ret_error, r, "%s:%u: bad quoting in Computed=%s",
                                                        e->file, e->line, e->value) : r;
                c = computed_from_name(word);
                if (!c) {
                        _cleanup_strv_free_ char **known = NULL;
                        _cleanup_free_ char *list = NULL;

                        for (size_t i = 0; i < landlock_n_preset_computed; i++)
                                if (strv_extend(&known, landlock_preset_computed[i].name) < 0)
                                        return -ENOMEM;
                        list = strv_join(known, ", ");
                        return set_error(ret_error, -EINVAL, "%s:%u: unknown computed grant \"%s\" (expected one of: %s)",
                                         e->file, e->line, word, strna(list));
                }
                r = c->apply(p, &error);
                if (r == -ENOMEM)
                        return r;
                if (r < 0)
                        return set_error(ret_error, r, "%s:%u: Computed=%s: %s", e->file, e->line, word, strna(error));
        }
}

static int apply_entry(const UnitFileEntry *e, LandlockPolicy *p, unsigned depth, char **ret_error) {
        const LandlockDirective *d;

        if (!streq(e->section, PRESET_SECTION))
                return set_error(ret_error, -EINVAL, "%s:%u: %s= is in section [%s] (expected [%s])",
                                 e->file, e->line, e->key, e->section, PRESET_SECTION);
        if (STR_IN_SET(e->key, "Description", "Version"))
                return 0;
        if (isempty(e->value))
                /* A reset would remove the unit's own grants of that directive: not a preset's business. */
                return set_error(ret_error, -EINVAL, "%s:%u: %s= has no value (a preset only adds grants)",
                                 e->file, e->line, e->key);
        if (streq(e->key, "Computed"))
                return apply_computed(e, p, ret_error);

        d = landlock_directive_from_key(e->key);
        if (d && streq(d->name, "LandlockPreset")) {
                _cleanup_free_ char *error = NULL;
                int r = apply_list(e->value, p, depth + 1, &error);

                if (r == -ENOMEM)
                        return r;
                if (r < 0)
                        return set_error(ret_error, r, "%s:%u: %s", e->file, e->line, strna(error));
                return 0;
        }
        if (d && d->default_bundle)
                return apply_grant(d, e, p, ret_error);

        return set_error(ret_error, -EINVAL, "%s:%u: %s= cannot be used in a preset (expected Description=, Version=, "
                         "Computed=, LandlockPreset= or a path directive: LandlockPaths=, LandlockReadOnlyPaths=, "
                         "LandlockReadWritePaths=, LandlockExecPaths=)", e->file, e->line, e->key);
}

static int apply_one(const char *spec, LandlockPolicy *p, unsigned depth, char **ret_error) {
        _cleanup_(unit_file_done) UnitFile u = UNIT_FILE_INIT;
        _cleanup_free_ char *name = NULL, *path = NULL;
        unsigned want = 0, have = 0;
        int r;

        if (depth >= LANDLOCK_PRESET_MAX_DEPTH)
                return set_error(ret_error, -ELOOP, "presets include each other more than %u deep at \"%s\" "
                                 "(an inclusion loop?)", LANDLOCK_PRESET_MAX_DEPTH, spec);

        r = parse_spec(spec, &name, &want, ret_error);
        if (r < 0)
                return r;
        r = preset_load(name, &path, &u, ret_error);
        if (r < 0)
                return r;
        r = preset_version(&u, &have, ret_error);
        if (r < 0)
                return r;
        if (want > 0 && want != have)
                return set_error(ret_error, -EINVAL, "preset \"%s\" (%s) is version %u, but version %u is asked for: "
                                 "its grants changed; review them and name the installed version",
                                 name, path, have, want);

        for (size_t i = 0; i < u.n_entries; i++) {
                r = apply_entry(&u.entries[i], p, depth, ret_error);
                if (r < 0)
                        return r;
        }
        return 0;
}

int landlock_preset_describe(const char *name, char **ret_description, unsigned *ret_version, char **ret_error) {
        _cleanup_(unit_file_done) UnitFile u = UNIT_FILE_INIT;
        _cleanup_free_ char *path = NULL, *description = NULL;
        unsigned version;
        int r;

        assert(name);

        r = preset_load(name, &path, &u, ret_error);
        if (r < 0)
                return r;
        r = preset_version(&u, &version, ret_error);
        if (r < 0)
                return r;
        for (size_t i = 0; i < u.n_entries; i++)
                if (streq(u.entries[i].key, "Description")) {
                        free(description);
                        description = strdup(u.entries[i].value);
                        if (!description)
                                return -ENOMEM;
                }

        if (ret_description)
                *ret_description = TAKE_PTR(description);
        if (ret_version)
                *ret_version = version;
        return 0;
}
