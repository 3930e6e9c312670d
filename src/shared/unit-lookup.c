/* SPDX-License-Identifier: LGPL-2.1-or-later */

#include <assert.h>
#include <fcntl.h>
#include <limits.h>
#include <stdint.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "alloc-util.h"
#include "fileio.h"
#include "strv.h"
#include "unit-file.h"
#include "unit-lookup.h"

static const char * const unit_scope_table[_UNIT_SCOPE_MAX] = {
        [UNIT_SCOPE_SYSTEM] = "system",
        [UNIT_SCOPE_USER] = "user",
};

const char *unit_scope_to_string(UnitScope s) {
        return s >= 0 && s < _UNIT_SCOPE_MAX ? unit_scope_table[s] : NULL;
}

UnitScope unit_scope_from_string(const char *s) {
        for (UnitScope i = 0; i < _UNIT_SCOPE_MAX; i++)
                if (s && streq(s, unit_scope_table[i]))
                        return i;
        return _UNIT_SCOPE_INVALID;
}

/* ---- Unit names ---- */

static const char * const unit_suffixes[] = {
        ".service", ".socket", ".target", ".device", ".mount", ".automount", ".swap", ".timer", ".path",
        ".slice", ".scope",
};

const char *unit_name_suffix(const char *name) {
        const char *dot = strrchr(name, '.');

        if (!dot)
                return NULL;
        for (size_t i = 0; i < ELEMENTSOF(unit_suffixes); i++)
                if (streq(dot, unit_suffixes[i]))
                        return dot;
        return NULL;
}

int unit_name_mangle(const char *name, char **ret) {
        assert(name);
        assert(ret);

        if (isempty(name) || strchr(name, '/'))
                return -EINVAL;
        if (unit_name_suffix(name))
                *ret = strdup(name);
        else if (asprintf(ret, "%s.service", name) < 0)
                *ret = NULL;
        return *ret ? 0 : -ENOMEM;
}

bool unit_name_is_valid(const char *name, UnitNameType type) {
        const char *suffix, *at;
        size_t n;

        if (isempty(name))
                return false;
        suffix = unit_name_suffix(name);
        if (!suffix || suffix == name)
                return false;
        n = strlen(name);
        if (n > 255)
                return false;
        for (const char *c = name; c < suffix; c++)
                if (!strchr("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789:-_.\\@", *c))
                        return false;

        /* Further "@" belong to the instance. */
        at = memchr(name, '@', suffix - name);
        if (!at)
                return type & UNIT_NAME_PLAIN;
        if (at == name)
                return false;
        if (at + 1 == suffix)
                return type & UNIT_NAME_TEMPLATE;
        return type & UNIT_NAME_INSTANCE;
}

int unit_name_template(const char *name, char **ret) {
        const char *at, *suffix;

        assert(name);
        assert(ret);

        if (!unit_name_is_valid(name, UNIT_NAME_INSTANCE))
                return -EINVAL;
        at = strchr(name, '@');
        suffix = unit_name_suffix(name);
        if (asprintf(ret, "%.*s%s", (int) (at + 1 - name), name, suffix) < 0)
                return -ENOMEM;
        return 0;
}

int unit_name_replace_instance(const char *name, const char *instance, char **ret) {
        const char *at;
        char *n;

        assert(name);
        assert(instance);
        assert(ret);

        if (!unit_name_is_valid(name, UNIT_NAME_TEMPLATE|UNIT_NAME_INSTANCE))
                return -EINVAL;
        at = strchr(name, '@');
        if (asprintf(&n, "%.*s%s%s", (int) (at + 1 - name), name, instance, unit_name_suffix(name)) < 0)
                return -ENOMEM;
        if (!unit_name_is_valid(n, UNIT_NAME_INSTANCE)) {
                free(n);
                return -EINVAL;
        }
        *ret = n;
        return 0;
}

/* ---- Search paths ---- */

void unit_lookup_paths_done(UnitLookupPaths *p) {
        assert(p);

        free(p->root);
        strv_free(p->search_path);
        strv_free(p->generator_dirs);
        *p = (UnitLookupPaths) {};
}

static int add_xdg_dirs(char ***l, const char *var, const char *fallback, const char *suffix) {
        const char *v = getenv(var);
        _cleanup_free_ char *copy = NULL;
        char *state = NULL;
        int r;

        copy = strdup(isempty(v) ? fallback : v);
        if (!copy)
                return -ENOMEM;
        for (char *d = strtok_r(copy, ":", &state); d; d = strtok_r(NULL, ":", &state)) {
                if (*d != '/')
                        continue;
                r = strv_extendf(l, "%s/%s", d, suffix);
                if (r < 0)
                        return r;
        }
        return 0;
}

/* "$VAR/suffix", or "$HOME/home_fallback/suffix" when VAR is unset; nothing when neither is usable. */
static int add_user_dir(char ***l, const char *var, const char *home_fallback, const char *suffix) {
        const char *v = getenv(var), *home;

        if (!isempty(v) && *v == '/')
                return strv_extendf(l, "%s/%s", v, suffix);
        if (!home_fallback)
                return 0;
        home = getenv("HOME");
        if (isempty(home) || *home != '/')
                return 0;
        return strv_extendf(l, "%s/%s/%s", home, home_fallback, suffix);
}

static int default_search_path(UnitScope scope, char ***ret_path, char ***ret_generators) {
        _cleanup_strv_free_ char **l = NULL, **g = NULL;
        int r = 0;

        if (scope == UNIT_SCOPE_SYSTEM) {
                static const char * const system_path[] = {
                        "/etc/systemd/system.control",
                        "/run/systemd/system.control",
                        "/run/systemd/transient",
                        "/run/systemd/generator.early",
                        "/etc/systemd/system",
                        "/etc/systemd/system.attached",
                        "/run/systemd/system",
                        "/run/systemd/system.attached",
                        "/run/systemd/generator",
                        "/usr/local/lib/systemd/system",
                        "/lib/systemd/system",          /* Debian 12 still lists it (split-usr build) */
                        "/usr/lib/systemd/system",
                        "/run/systemd/generator.late",
                };

                for (size_t i = 0; i < ELEMENTSOF(system_path) && r >= 0; i++)
                        r = strv_extend(&l, system_path[i]);
                if (r >= 0)
                        r = strv_extend(&g, "/run/systemd/generator.early");
                if (r >= 0)
                        r = strv_extend(&g, "/run/systemd/generator");
                if (r >= 0)
                        r = strv_extend(&g, "/run/systemd/generator.late");
        } else {
                const char *rt = getenv("XDG_RUNTIME_DIR");
                bool have_rt = !isempty(rt) && *rt == '/';

                r = add_user_dir(&l, "XDG_CONFIG_HOME", ".config", "systemd/user.control");
                if (r >= 0 && have_rt)
                        r = strv_extendf(&l, "%s/systemd/user.control", rt);
                if (r >= 0 && have_rt)
                        r = strv_extendf(&l, "%s/systemd/transient", rt);
                if (r >= 0 && have_rt)
                        r = strv_extendf(&l, "%s/systemd/generator.early", rt);
                if (r >= 0)
                        r = add_user_dir(&l, "XDG_CONFIG_HOME", ".config", "systemd/user");
                if (r >= 0)
                        r = add_xdg_dirs(&l, "XDG_CONFIG_DIRS", "/etc/xdg", "systemd/user");
                if (r >= 0)
                        r = strv_extend(&l, "/etc/systemd/user");
                if (r >= 0 && have_rt)
                        r = strv_extendf(&l, "%s/systemd/user", rt);
                if (r >= 0)
                        r = strv_extend(&l, "/run/systemd/user");
                if (r >= 0 && have_rt)
                        r = strv_extendf(&l, "%s/systemd/generator", rt);
                if (r >= 0)
                        r = add_user_dir(&l, "XDG_DATA_HOME", ".local/share", "systemd/user");
                if (r >= 0)
                        r = add_xdg_dirs(&l, "XDG_DATA_DIRS", "/usr/local/share:/usr/share", "systemd/user");
                if (r >= 0)
                        r = strv_extend(&l, "/usr/local/lib/systemd/user");
                if (r >= 0)
                        r = strv_extend(&l, "/usr/lib/systemd/user");
                if (r >= 0 && have_rt)
                        r = strv_extendf(&l, "%s/systemd/generator.late", rt);
                if (r >= 0 && have_rt)
                        r = strv_extendf(&g, "%s/systemd/generator.early", rt);
                if (r >= 0 && have_rt)
                        r = strv_extendf(&g, "%s/systemd/generator", rt);
                if (r >= 0 && have_rt)
                        r = strv_extendf(&g, "%s/systemd/generator.late", rt);
        }
        if (r < 0)
                return r;

        *ret_path = TAKE_PTR(l);
        *ret_generators = TAKE_PTR(g);
        return 0;
}

static int set_root(UnitLookupPaths *p, const char *root) {
        if (isempty(root) || streq(root, "/"))
                return 0;
        p->root = strdup(root);
        return p->root ? 0 : -ENOMEM;
}

int unit_lookup_paths_init_from(UnitLookupPaths *p, UnitScope scope, const char *root, char * const *search_path) {
        int r;

        assert(p);

        *p = (UnitLookupPaths) { .scope = scope };
        r = set_root(p, root);
        if (r >= 0)
                r = strv_extend_strv(&p->search_path, search_path);
        if (r < 0) {
                unit_lookup_paths_done(p);
                return r;
        }
        return 0;
}

int unit_lookup_paths_init(UnitLookupPaths *p, UnitScope scope, const char *root) {
        _cleanup_strv_free_ char **defaults = NULL, **generators = NULL, **l = NULL;
        const char *e;
        int r;

        assert(p);

        r = default_search_path(scope, &defaults, &generators);
        if (r < 0)
                return r;

        e = getenv("SYSTEMD_UNIT_PATH");
        if (e) {
                _cleanup_free_ char *copy = strdup(e);
                char *state = NULL;

                if (!copy)
                        return -ENOMEM;
                for (char *d = strtok_r(copy, ":", &state); d; d = strtok_r(NULL, ":", &state))
                        if (!strv_contains(l, d)) {
                                r = strv_extend(&l, d);
                                if (r < 0)
                                        return r;
                        }
                /* A trailing ':' (or an empty value) means "and then the usual directories". */
                if (isempty(e) || endswith(e, ":")) {
                        r = strv_extend_strv(&l, defaults);
                        if (r < 0)
                                return r;
                }
        } else
                l = TAKE_PTR(defaults);

        *p = (UnitLookupPaths) {
                .scope = scope,
                .search_path = TAKE_PTR(l),
                .generator_dirs = TAKE_PTR(generators),
        };
        r = set_root(p, root);
        if (r < 0) {
                unit_lookup_paths_done(p);
                return r;
        }
        return 0;
}

static char *path_under_root(const char *root, const char *path) {
        char *r;

        if (!root)
                return strdup(path);
        if (asprintf(&r, "%s%s", root, path) < 0)
                return NULL;
        return r;
}

/* ---- Drop-in directory names, as systemd's unit_file_find_dirs() (src/shared/dropin.c) ---- */

/* "foo-bar@x.service" → "foo-bar"; "foo.service" → "foo". */
static char *unit_name_prefix(const char *name) {
        const char *at = strchr(name, '@');

        return strndup(name, (at ?: unit_name_suffix(name)) - name);
}

static int strv_extend_unique(char ***l, const char *s) {
        return strv_contains(*l, s) ? 0 : strv_extend(l, s);
}

/* The drop-in directory names systemd tries for "name" in each search path directory, in its order: the
 * name; for an instance, then what its template gets; then the same for the name's dash prefix (the name up
 * to and including its last "-", keeping the instance: "foo-bar@x.service" → "foo-@x.service"), which in
 * turn gets its own template and dash prefix. A template's dash prefix loses the "@": "foo-bar@.service" →
 * "foo-.service". So an instance foo-bar@x.service reads foo-bar@x.service.d, foo-bar@.service.d,
 * foo-.service.d, foo-@x.service.d and foo-@.service.d, in that order (same in 252, 257 and 262). */
static int dropin_dir_names(const char *name, char ***l) {
        _cleanup_free_ char *prefix = NULL, *built = NULL;
        const char *suffix = unit_name_suffix(name), *at = strchr(name, '@');
        bool instance = unit_name_is_valid(name, UNIT_NAME_INSTANCE), chopped = false;
        size_t n;
        int r;

        r = strv_extend_unique(l, name);
        if (r < 0)
                return r;

        if (instance) {
                _cleanup_free_ char *template = NULL;

                r = unit_name_template(name, &template);
                if (r < 0)
                        return r;
                r = dropin_dir_names(template, l);
                if (r < 0)
                        return r;
        }

        prefix = unit_name_prefix(name);
        if (!prefix)
                return -ENOMEM;

        /* The last dash; a trailing one is dropped once first ("foo-bar-" → "foo-"); a leading one ends it. */
        for (;;) {
                char *dash = strrchr(prefix, '-');

                if (!dash || dash == prefix)
                        return 0;
                n = dash - prefix;
                if (prefix[n + 1] != '\0' || chopped) {
                        prefix[n + 1] = '\0';
                        break;
                }
                prefix[n] = '\0';
                chopped = true;
        }

        if (asprintf(&built, "%s%.*s%s", prefix, instance ? (int) (suffix - at) : 0, instance ? at : "", suffix) < 0)
                return -ENOMEM;
        if (!unit_name_is_valid(built, UNIT_NAME_ANY))
                return 0;
        return dropin_dir_names(built, l);
}

/* For a template, which systemd never loads itself: the directories that apply to every one of its instances
 * (those of an instance, minus the ones named after the instance), in an instance's order. */
static int dropin_dir_names_for(const char *name, char ***ret) {
        _cleanup_strv_free_ char **l = NULL;
        _cleanup_free_ char *instance = NULL;
        int r;

        if (!unit_name_is_valid(name, UNIT_NAME_TEMPLATE))
                return dropin_dir_names(name, ret);

        r = unit_name_replace_instance(name, "x", &instance);
        if (r < 0)
                return r;
        r = dropin_dir_names(instance, &l);
        if (r < 0)
                return r;
        STRV_FOREACH(d, l)
                if (!unit_name_is_valid(*d, UNIT_NAME_INSTANCE)) {
                        r = strv_extend_unique(ret, *d);
                        if (r < 0)
                                return r;
                }
        return 0;
}

/* ---- The scanned search path, as systemd's unit_file_build_name_map() (src/shared/unit-file.c) ---- */

typedef struct MapUnit {
        char *name;
        unsigned dir;                   /* index in the search path of the entry that claims the name */
        char *fragment;                 /* what systemd opens, beneath the root: a regular file, or a symlink
                                         * pointing out of the search path (a linked unit, or a mask); NULL for
                                         * an alias */
        char *alias_of;                 /* an alias (a symlink within the search path): the name it points to */
        bool masked;                    /* the fragment is empty or a character device (/dev/null) */
        bool unreadable;                /* the fragment is a symlink to nothing: the unit fails to load */
} MapUnit;

typedef struct MapDropinDir {
        char *name;                     /* "foo.service", "foo-.service", "service" (without ".d") */
        unsigned dir;
        char **confs;                   /* *.conf entries (files, symlinks, anything), sorted */
        char **links;                   /* those of them that are symbolic links (or of unknown type) */
} MapDropinDir;

typedef struct MapAlias {
        char *unit;                     /* the name a unit loads as (its fragment's name) */
        char *name;                     /* a name that leads to it */
} MapAlias;

struct UnitMap {
        const UnitLookupPaths *paths;
        char **dirs;                    /* the search path beneath the root, and (without a root) where its
                                         * symlinked entries really are: a symlink into these is an alias */
        MapUnit *units;                 /* sorted by name, one per name (the highest-priority one) */
        size_t n_units;
        MapDropinDir *dropin_dirs;      /* sorted by name, then priority */
        size_t n_dropin_dirs;
        MapAlias *aliases;              /* sorted by unit */
        size_t n_aliases;
        DIR **dir_streams;              /* each search path entry scanned, open (else NULL): its files are
                                         * opened relative to it, without walking the whole path again */
        size_t n_dir_streams;
};

UnitMap *unit_map_free(UnitMap *m) {
        if (!m)
                return NULL;
        for (size_t i = 0; i < m->n_units; i++) {
                free(m->units[i].name);
                free(m->units[i].fragment);
                free(m->units[i].alias_of);
        }
        free(m->units);
        for (size_t i = 0; i < m->n_dropin_dirs; i++) {
                free(m->dropin_dirs[i].name);
                strv_free(m->dropin_dirs[i].confs);
                strv_free(m->dropin_dirs[i].links);
        }
        free(m->dropin_dirs);
        for (size_t i = 0; i < m->n_aliases; i++) {
                free(m->aliases[i].unit);
                free(m->aliases[i].name);
        }
        free(m->aliases);
        for (size_t i = 0; i < m->n_dir_streams; i++)
                if (m->dir_streams[i])
                        closedir(m->dir_streams[i]);
        free(m->dir_streams);
        strv_free(m->dirs);
        free(m);
        return NULL;
}

/* Follows a chain of symlinks beneath the root. Returns the final path (beneath the root) in *ret. */
static int follow_symlinks(const char *root, const char *path, char **ret) {
        _cleanup_free_ char *cur = strdup(path);

        if (!cur)
                return -ENOMEM;

        for (unsigned hops = 0; hops < 32; hops++) {
                _cleanup_free_ char *full = path_under_root(root, cur);
                char target[PATH_MAX];
                ssize_t k;

                if (!full)
                        return -ENOMEM;
                k = readlink(full, target, sizeof(target) - 1);
                if (k < 0) {
                        if (errno != EINVAL)    /* not a symlink: the end of the chain */
                                return negative_errno();
                        *ret = TAKE_PTR(cur);
                        return 0;
                }
                target[k] = '\0';

                if (target[0] == '/') {
                        free(cur);
                        cur = strdup(target);
                } else {
                        char *slash = strrchr(cur, '/'), *n;

                        if (asprintf(&n, "%.*s/%s", slash ? (int) (slash - cur) : 0, cur, target) < 0)
                                return -ENOMEM;
                        free(cur);
                        cur = n;
                }
                if (!cur)
                        return -ENOMEM;
        }
        return -ELOOP;
}

/* "/a/./b//../c" → "/a/c", without looking at the file system (a symlink's target is judged by its name). */
static char *path_normalize(const char *path) {
        char *r = malloc(strlen(path) + 2), *t = r;

        if (!r)
                return NULL;
        for (const char *p = path; *p; ) {
                size_t k;

                p += strspn(p, "/");
                k = strcspn(p, "/");
                if (k == 0)
                        break;
                if (k == 2 && strneq(p, "..", 2)) {
                        while (t > r && t[-1] != '/')
                                t--;
                        if (t > r)
                                t--;
                } else if (!(k == 1 && *p == '.')) {
                        *t++ = '/';
                        memcpy(t, p, k);
                        t += k;
                }
                p += k;
        }
        if (t == r)
                *t++ = '/';
        *t = '\0';
        return r;
}

static bool path_is_beneath(const char *path, const char *dir) {
        size_t n = strlen(dir);

        return strneq(path, dir, n) && (path[n] == '/' || path[n] == '\0');
}

static bool unit_type_may_alias(const char *suffix) {
        return STR_IN_SET(suffix, ".service", ".socket", ".target", ".device", ".timer", ".path");
}

static bool unit_type_may_template(const char *suffix) {
        return STR_IN_SET(suffix, ".service", ".socket", ".target", ".timer", ".path");
}

static const char *unit_name_instance(const char *name) {
        const char *at = strchr(name, '@');

        return at && at[1] != '.' ? at + 1 : NULL;
}

/* systemd's unit_validate_alias_symlink_or_warn(): may the symlink "src" name the unit "dst"? Same type,
 * a type that may be aliased; a template only to a template, an instance to the same instance or to a
 * template (then it names that instance of it); never to itself. */
bool unit_alias_is_valid(const char *src, const char *dst) {
        const char *src_suffix = unit_name_suffix(src), *dst_suffix;
        const char *si, *di;

        if (!unit_name_is_valid(src, UNIT_NAME_ANY) || !unit_type_may_alias(src_suffix))
                return false;
        if (!unit_name_is_valid(src, UNIT_NAME_PLAIN) && !unit_type_may_template(src_suffix))
                return false;
        if (streq(src, dst) || !unit_name_is_valid(dst, UNIT_NAME_ANY))
                return false;
        dst_suffix = unit_name_suffix(dst);
        if (!streq(src_suffix, dst_suffix))
                return false;

        if (unit_name_is_valid(src, UNIT_NAME_PLAIN))
                return unit_name_is_valid(dst, UNIT_NAME_PLAIN);
        if (unit_name_is_valid(src, UNIT_NAME_TEMPLATE))
                return unit_name_is_valid(dst, UNIT_NAME_TEMPLATE);
        if (unit_name_is_valid(dst, UNIT_NAME_TEMPLATE))
                return true;
        si = unit_name_instance(src);
        di = unit_name_instance(dst);
        return di && (size_t) (src_suffix - si) == (size_t) (dst_suffix - di) && strneq(si, di, src_suffix - si);
}

static int map_add_unit(UnitMap *m, MapUnit *u) {
        MapUnit *n = reallocarray(m->units, m->n_units + 1, sizeof(MapUnit));

        if (!n)
                return -ENOMEM;
        m->units = n;
        m->units[m->n_units++] = *u;
        *u = (MapUnit) {};
        return 0;
}

static void map_unit_done(MapUnit *u) {
        free(u->name);
        free(u->fragment);
        free(u->alias_of);
}

/* A unit file or symlink in search path entry "dir", as systemd's name map sees it. */
static int add_unit(UnitMap *m, const char *name, unsigned dir, bool is_link) {
        _cleanup_(map_unit_done) MapUnit u = { .dir = dir };
        _cleanup_free_ char *path = NULL, *full = NULL, *final = NULL;
        struct stat st;
        int r;

        if (asprintf(&path, "%s/%s", m->paths->search_path[dir], name) < 0)
                return -ENOMEM;
        u.name = strdup(name);
        if (!u.name)
                return -ENOMEM;

        if (is_link) {
                _cleanup_free_ char *target = NULL, *normalized = NULL;
                char buf[PATH_MAX];
                ssize_t k;

                full = path_under_root(m->paths->root, path);
                if (!full)
                        return -ENOMEM;
                k = readlink(full, buf, sizeof(buf) - 1);
                if (k < 0)
                        return 0;
                buf[k] = '\0';
                if (buf[0] == '/')
                        target = strdup(buf);
                else if (asprintf(&target, "%s/%s", m->paths->search_path[dir], buf) < 0)
                        target = NULL;
                if (!target)
                        return -ENOMEM;
                normalized = path_normalize(target);
                if (!normalized)
                        return -ENOMEM;

                STRV_FOREACH(d, m->dirs)
                        if (path_is_beneath(normalized, *d)) {
                                const char *base = strrchr(normalized, '/') + 1;

                                /* An alias. One systemd refuses does not even claim the name: a unit
                                 * file of that name lower in the search path is used instead. */
                                if (!unit_alias_is_valid(name, base))
                                        return 0;
                                u.alias_of = strdup(base);
                                if (!u.alias_of)
                                        return -ENOMEM;
                                return map_add_unit(m, &u);
                        }

                /* Pointing out of the search path: a linked unit file, or a mask; systemd opens the
                 * symlink itself. One pointing to nothing still claims the name, and fails to load. */
                r = follow_symlinks(m->paths->root, path, &final);
                if (r == -ENOMEM)
                        return r;
        }

        if (final) {
                free(full);
                full = path_under_root(m->paths->root, final);
                if (!full)
                        return -ENOMEM;
                r = stat(full, &st);
        } else
                /* The same file as "root/path", one lookup instead of a walk down the whole path. */
                r = fstatat(dirfd(m->dir_streams[dir]), name, &st, 0);
        if (r < 0)
                u.unreadable = true;
        else if (S_ISDIR(st.st_mode))
                return 0;
        else
                u.masked = (S_ISREG(st.st_mode) && st.st_size == 0) || S_ISCHR(st.st_mode);

        u.fragment = TAKE_PTR(path);
        return map_add_unit(m, &u);
}

static bool dropin_dir_name_is_valid(const char *name) {
        /* "foo.service", "foo@.service", "foo@bar.service", "foo-.service", or a bare type "service". */
        for (size_t i = 0; i < ELEMENTSOF(unit_suffixes); i++)
                if (streq(name, unit_suffixes[i] + 1))
                        return true;
        return unit_name_is_valid(name, UNIT_NAME_ANY);
}

/* The kernel's record of one directory entry (getdents64(2)). */
struct linux_dirent64 {
        uint64_t d_ino;
        int64_t d_off;
        unsigned short d_reclen;
        unsigned char d_type;
        char d_name[];
};

/* Like systemd's conf_files_list(): every entry ending in ".conf" but hidden ones, whatever its type (a
 * directory, a dangling symlink: systemd reads nothing from them, but they hide lower files of the same
 * name). The entries are read straight from the kernel: readdir() would add an fstat() per directory, and
 * there is one directory per unit. */
static int list_confs(int fd, char ***confs, char ***links) {
        _Alignas(struct linux_dirent64) char buf[8192];
        int r;

        for (;;) {
                long n = syscall(SYS_getdents64, fd, buf, sizeof(buf));

                if (n < 0)
                        return negative_errno();
                if (n == 0)
                        return 0;
                for (long o = 0; o < n; ) {
                        const struct linux_dirent64 *de = (const struct linux_dirent64 *) (buf + o);

                        o += de->d_reclen;
                        if (de->d_name[0] == '.' || !endswith(de->d_name, ".conf"))
                                continue;
                        r = strv_extend(confs, de->d_name);
                        /* Only a link can mask a lower drop-in (to /dev/null): the others are not read again. */
                        if (r >= 0 && IN_SET(de->d_type, DT_LNK, DT_UNKNOWN))
                                r = strv_extend(links, de->d_name);
                        if (r < 0)
                                return r;
                }
        }
}

static int add_dropin_dir(UnitMap *m, const char *name, unsigned dir) {
        _cleanup_strv_free_ char **confs = NULL, **links = NULL;
        _cleanup_free_ char *path = NULL;
        _cleanup_close_ int fd = -EBADF;
        int r;

        if (asprintf(&path, "%s.d", name) < 0)
                return -ENOMEM;
        /* As opendir() of "search path entry/name.d" would, following a symlink (dropin_link_counts()). */
        fd = openat(dirfd(m->dir_streams[dir]), path, O_RDONLY|O_NONBLOCK|O_CLOEXEC|O_DIRECTORY);
        if (fd < 0)
                return 0;
        /* A read error keeps what was listed before it, as readdir() would. */
        r = list_confs(fd, &confs, &links);
        if (r == -ENOMEM)
                return r;
        if (!confs)
                return 0;
        strv_sort(confs);

        if (!GREEDY_REALLOC(m->dropin_dirs, m->n_dropin_dirs + 1))
                return -ENOMEM;
        m->dropin_dirs[m->n_dropin_dirs] = (MapDropinDir) {
                .name = strdup(name),
                .dir = dir,
                .confs = TAKE_PTR(confs),
                .links = TAKE_PTR(links),
        };
        if (!m->dropin_dirs[m->n_dropin_dirs].name)
                return -ENOMEM;
        m->n_dropin_dirs++;
        return 0;
}

/* systemd's unit_file_build_name_map() takes a symbolic link "foo.service.d" for a drop-in directory only
 * if is_dir() of its target text holds: that text is taken relative to PID 1's working directory, "/",
 * not to the link's directory (so "../x" names "/x"). The directory is then read through the link. */
static bool dropin_link_counts(const char *root, int dir_fd, const char *name) {
        _cleanup_free_ char *target = NULL, *path = NULL;
        char buf[PATH_MAX];
        struct stat st;
        ssize_t n;

        n = readlinkat(dir_fd, name, buf, sizeof(buf) - 1);
        if (n <= 0)
                return false;
        buf[n] = '\0';
        /* Relative to "/": "../x" is "/x". */
        target = path_normalize(buf);
        if (!target)
                return false;
        path = path_under_root(root, target);
        return path && stat(path, &st) >= 0 && S_ISDIR(st.st_mode);
}

static int scan_dir(UnitMap *m, unsigned dir) {
        _cleanup_free_ char *dir_path = path_under_root(m->paths->root, m->paths->search_path[dir]);
        struct dirent *de;
        DIR *d;
        int r;

        if (!dir_path)
                return -ENOMEM;
        d = opendir(dir_path);
        if (!d)
                return 0;       /* most search path entries do not exist */
        m->dir_streams[dir] = d;        /* kept open: the map reads the files relative to it */

        while ((de = readdir(d))) {
                unsigned char type = de->d_type;
                const char *dot_d;

                if (de->d_name[0] == '.')
                        continue;
                if (type == DT_UNKNOWN) {
                        struct stat st;

                        if (fstatat(dirfd(d), de->d_name, &st, AT_SYMLINK_NOFOLLOW) < 0)
                                continue;
                        type = S_ISREG(st.st_mode) ? DT_REG : S_ISDIR(st.st_mode) ? DT_DIR : S_ISLNK(st.st_mode) ? DT_LNK : DT_UNKNOWN;
                }

                dot_d = endswith(de->d_name, ".d");
                if (dot_d && IN_SET(type, DT_DIR, DT_LNK)) {
                        _cleanup_free_ char *name = strndup(de->d_name, dot_d - de->d_name);

                        if (!name)
                                return -ENOMEM;
                        if (type == DT_LNK && !dropin_link_counts(m->paths->root, dirfd(d), de->d_name))
                                continue;
                        if (dropin_dir_name_is_valid(name)) {
                                r = add_dropin_dir(m, name, dir);
                                if (r < 0)
                                        return r;
                        }
                        continue;
                }

                if (!unit_name_is_valid(de->d_name, UNIT_NAME_ANY) || !IN_SET(type, DT_REG, DT_LNK))
                        continue;
                r = add_unit(m, de->d_name, dir, type == DT_LNK);
                if (r < 0)
                        return r;
        }
        return 0;
}

static int map_unit_compare(const void *a, const void *b) {
        const MapUnit *x = a, *y = b;
        int c = strcmp(x->name, y->name);

        return c != 0 ? c : (x->dir > y->dir) - (x->dir < y->dir);
}

static int map_dropin_dir_compare(const void *a, const void *b) {
        const MapDropinDir *x = a, *y = b;
        int c = strcmp(x->name, y->name);

        return c != 0 ? c : (x->dir > y->dir) - (x->dir < y->dir);
}

static int map_alias_compare(const void *a, const void *b) {
        const MapAlias *x = a, *y = b;
        int c = strcmp(x->unit, y->unit);

        return c != 0 ? c : strcmp(x->name, y->name);
}

/* The highest-priority entry of this name. */
static const MapUnit *map_find_unit(const UnitMap *m, const char *name) {
        size_t lo = 0, hi = m->n_units;

        while (lo < hi) {
                size_t mid = (lo + hi) / 2;

                if (strcmp(m->units[mid].name, name) < 0)
                        lo = mid + 1;
                else
                        hi = mid;
        }
        return lo < m->n_units && streq(m->units[lo].name, name) ? &m->units[lo] : NULL;
}

/* The drop-in directories named "name", one per search path entry that has one, highest priority first:
 * *ret_first points to the first, and the number is returned. One binary search per name, whatever the
 * length of the search path. */
static size_t map_find_dropin_dirs(const UnitMap *m, const char *name, const MapDropinDir **ret_first) {
        size_t lo = 0, hi = m->n_dropin_dirs, n = 0;

        while (lo < hi) {
                size_t mid = (lo + hi) / 2;

                if (strcmp(m->dropin_dirs[mid].name, name) < 0)
                        lo = mid + 1;
                else
                        hi = mid;
        }
        while (lo + n < m->n_dropin_dirs && streq(m->dropin_dirs[lo + n].name, name))
                n++;
        *ret_first = n > 0 ? &m->dropin_dirs[lo] : NULL;
        return n;
}

static bool map_has_dropin_dirs(const UnitMap *m, const char *name) {
        const MapDropinDir *first;

        return map_find_dropin_dirs(m, name, &first) > 0;
}

/* systemd's unit_ids_map_get(): follows aliases to the entry whose fragment the unit loads; a name an alias
 * points to that has no entry of its own, if it is an instance, is looked up as its template. */
static int map_resolve(const UnitMap *m, const char *name, const MapUnit **ret) {
        _cleanup_free_ char *template = NULL;
        const MapUnit *u = map_find_unit(m, name);

        if (!u)
                return -ENOENT;
        for (unsigned hops = 0; hops < 32; hops++) {
                const char *next;

                if (u->fragment) {
                        *ret = u;
                        return 0;
                }
                next = u->alias_of;
                u = map_find_unit(m, next);
                if (!u) {
                        free(template);
                        template = NULL;
                        if (unit_name_template(next, &template) < 0)
                                return -ENXIO;
                        u = map_find_unit(m, template);
                        if (!u)
                                return -ENXIO;
                }
        }
        return -ELOOP;
}

/* The name of the unit a fragment is loaded for: the fragment's file name, with "instance" put into it
 * when the fragment is a template. */
static int unit_name_of_fragment(const MapUnit *f, const char *instance, char **ret) {
        const char *base = strrchr(f->fragment, '/');

        base = base ? base + 1 : f->fragment;
        if (instance && unit_name_is_valid(base, UNIT_NAME_TEMPLATE))
                return unit_name_replace_instance(base, instance, ret);
        *ret = strdup(base);
        return *ret ? 0 : -ENOMEM;
}

/* The reverse of map_resolve() for every name: which names lead to which unit (systemd's unit_name_map). */
static int map_build_aliases(UnitMap *m) {
        for (size_t i = 0; i < m->n_units; i++) {
                _cleanup_free_ char *unit = NULL, *instance = NULL;
                const char *src = m->units[i].name, *inst;
                const MapUnit *f;
                int r;

                if (map_resolve(m, src, &f) < 0 || f->masked || f->unreadable)
                        continue;
                inst = unit_name_instance(src);
                if (inst) {
                        instance = strndup(inst, unit_name_suffix(src) - inst);
                        if (!instance)
                                return -ENOMEM;
                }
                r = unit_name_of_fragment(f, instance, &unit);
                if (r == -ENOMEM)
                        return r;
                if (r < 0)
                        continue;

                if (!GREEDY_REALLOC(m->aliases, m->n_aliases + 1))
                        return -ENOMEM;
                m->aliases[m->n_aliases] = (MapAlias) { .unit = TAKE_PTR(unit), .name = strdup(src) };
                if (!m->aliases[m->n_aliases].name) {
                        free(m->aliases[m->n_aliases].unit);
                        return -ENOMEM;
                }
                m->n_aliases++;
        }
        if (m->n_aliases > 1)
                qsort(m->aliases, m->n_aliases, sizeof(MapAlias), map_alias_compare);
        return 0;
}

static int search_dirs_init(UnitMap *m) {
        STRV_FOREACH(d, m->paths->search_path) {
                _cleanup_free_ char *full = path_under_root(m->paths->root, *d);
                char *real;
                int r;

                if (!full)
                        return -ENOMEM;
                r = strv_extend(&m->dirs, *d);
                if (r < 0)
                        return r;
                /* A search path entry that is a symlink (/lib → /usr/lib): symlinks into where it really is
                 * are aliases too. Beneath a root we would have to resolve within it; tests do not need it. */
                if (m->paths->root)
                        continue;
                real = realpath(full, NULL);
                if (real && !strv_contains(m->dirs, real))
                        r = strv_consume(&m->dirs, real);
                else
                        free(real);
                if (r < 0)
                        return r;
        }
        return 0;
}

int unit_map_new(const UnitLookupPaths *p, bool skip_generator_dirs, UnitMap **ret) {
        _cleanup_unit_map_free_ UnitMap *m = NULL;
        size_t n;
        int r;

        assert(p);
        assert(ret);

        m = calloc(1, sizeof(UnitMap));
        if (!m)
                return -ENOMEM;
        m->paths = p;

        r = search_dirs_init(m);
        if (r < 0)
                return r;
        m->n_dir_streams = strv_length(p->search_path);
        m->dir_streams = calloc(MAX(m->n_dir_streams, (size_t) 1), sizeof(DIR *));
        if (!m->dir_streams)
                return -ENOMEM;

        for (unsigned i = 0; p->search_path && p->search_path[i]; i++) {
                /* Generators run in parallel: what the others have written so far is incomplete, and our
                 * own output must not feed back into us. */
                if (skip_generator_dirs && strv_contains(p->generator_dirs, p->search_path[i]))
                        continue;
                r = scan_dir(m, i);
                if (r < 0)
                        return r;
        }

        /* The first entry of a name in the search path claims it. */
        if (m->n_units > 1)
                qsort(m->units, m->n_units, sizeof(MapUnit), map_unit_compare);
        n = 0;
        for (size_t i = 0; i < m->n_units; i++) {
                if (n > 0 && streq(m->units[n - 1].name, m->units[i].name)) {
                        map_unit_done(&m->units[i]);
                        continue;
                }
                m->units[n++] = m->units[i];
        }
        m->n_units = n;

        if (m->n_dropin_dirs > 1)
                qsort(m->dropin_dirs, m->n_dropin_dirs, sizeof(MapDropinDir), map_dropin_dir_compare);

        r = map_build_aliases(m);
        if (r < 0)
                return r;

        *ret = TAKE_PTR(m);
        return 0;
}

/* Instances systemd may load with drop-ins that not every instance of their template gets: for each drop-in
 * directory named like an instance ("foo-@x.service"), that name, and the instances of every template that
 * reads it ("foo-bar@x.service" when foo-bar@.service exists). */
static int map_instances_with_own_dropins(const UnitMap *m, char ***l) {
        int r;

        for (size_t i = 0; i < m->n_dropin_dirs; i++) {
                const char *name = m->dropin_dirs[i].name, *instance = unit_name_instance(name);
                _cleanup_free_ char *inst = NULL;

                if (!unit_name_is_valid(name, UNIT_NAME_INSTANCE) || (i > 0 && streq(name, m->dropin_dirs[i - 1].name)))
                        continue;
                r = strv_extend_unique(l, name);
                if (r < 0)
                        return r;

                inst = strndup(instance, unit_name_suffix(name) - instance);
                if (!inst)
                        return -ENOMEM;
                for (size_t j = 0; j < m->n_units; j++) {
                        _cleanup_strv_free_ char **dirs = NULL;
                        _cleanup_free_ char *candidate = NULL;
                        const char *t = m->units[j].name;

                        /* Only T@ itself or a T with a dash prefix P- reads P-@x (cheap test first). */
                        if (!strneq(t, name, instance - 1 - name) || !unit_name_is_valid(t, UNIT_NAME_TEMPLATE) ||
                            !streq(unit_name_suffix(t), unit_name_suffix(name)))
                                continue;
                        r = unit_name_replace_instance(t, inst, &candidate);
                        if (r == -ENOMEM)
                                return r;
                        if (r < 0 || streq(candidate, name))
                                continue;
                        r = dropin_dir_names(candidate, &dirs);
                        if (r < 0)
                                return r;
                        if (strv_contains(dirs, name)) {
                                r = strv_extend_unique(l, candidate);
                                if (r < 0)
                                        return r;
                        }
                }
        }
        return 0;
}

char **unit_map_names(const UnitMap *m) {
        _cleanup_strv_free_ char **l = NULL;

        assert(m);

        for (size_t i = 0; i < m->n_units; i++)
                if (strv_extend(&l, m->units[i].name) < 0)
                        return NULL;

        if (map_instances_with_own_dropins(m, &l) < 0)
                return NULL;

        if (!l)
                l = calloc(1, sizeof(char *));
        else
                strv_sort(l);
        return TAKE_PTR(l);
}

void unit_info_done(UnitInfo *i) {
        assert(i);

        free(i->name);
        free(i->fragment);
        strv_free(i->aliases);
        strv_free(i->dropins);
        strv_free(i->dropin_names);
        strv_free(i->ambiguous_dropins);
        *i = (UnitInfo) {};
}

/* systemd's add_names(): "name" itself (unless "unit" is a template), and every name that leads to the unit
 * "name". For an instance, a template alias stands for the same instance of it, unless that instance has
 * a fragment of another name. */
static int add_names(const UnitMap *m, const char *unit, const char *fragment_name, const char *name, char ***names) {
        const char *instance = unit_name_instance(unit);
        bool is_instance = unit_name_is_valid(unit, UNIT_NAME_INSTANCE);
        size_t lo = 0, hi = m->n_aliases;
        _cleanup_free_ char *inst = NULL;
        int r;

        if (!unit_name_is_valid(unit, UNIT_NAME_TEMPLATE)) {
                r = strv_extend_unique(names, name);
                if (r < 0)
                        return r;
        }
        if (is_instance) {
                inst = strndup(instance, unit_name_suffix(unit) - instance);
                if (!inst)
                        return -ENOMEM;
        }

        while (lo < hi) {
                size_t mid = (lo + hi) / 2;

                if (strcmp(m->aliases[mid].unit, name) < 0)
                        lo = mid + 1;
                else
                        hi = mid;
        }
        for (size_t i = lo; i < m->n_aliases && streq(m->aliases[i].unit, name); i++) {
                const char *alias = m->aliases[i].name;

                if (is_instance && unit_name_is_valid(alias, UNIT_NAME_TEMPLATE)) {
                        _cleanup_free_ char *a = NULL, *other = NULL;
                        const MapUnit *f;

                        r = unit_name_replace_instance(alias, inst, &a);
                        if (r == -ENOMEM)
                                return r;
                        if (r < 0)
                                continue;
                        if (fragment_name && map_resolve(m, a, &f) >= 0) {
                                r = unit_name_of_fragment(f, NULL, &other);
                                if (r < 0)
                                        return r;
                                if (!streq(other, fragment_name))
                                        continue;
                        }
                        r = strv_extend_unique(names, a);
                } else
                        r = strv_extend_unique(names, alias);
                if (r < 0)
                        return r;
        }
        return 0;
}

/* The drop-in directories of a unit, in the order systemd reads them: its own name in every search path
 * entry, then each alias in every entry (systemd takes the aliases in hash order), then the unit type's
 * directory ("service.d") in every entry. */
typedef struct DropinSource {
        const MapDropinDir *dir;
        size_t block;                   /* 0: the unit's own name, 1…n: an alias, n+1: the type */
} DropinSource;

static int dropin_sources(const UnitMap *m, char * const *blocks, const char *type, DropinSource **ret, size_t *ret_n) {
        _cleanup_free_ DropinSource *s = NULL;
        size_t n = 0, n_blocks = strv_length(blocks);
        int r;

        for (size_t b = 0; b <= n_blocks; b++) {
                _cleanup_strv_free_ char **names = NULL;
                _cleanup_free_ const MapDropinDir **next = NULL;
                _cleanup_free_ size_t *left = NULL;
                size_t n_names;

                if (b < n_blocks)
                        r = dropin_dir_names_for(blocks[b], &names);
                else
                        r = strv_extend(&names, type);
                if (r < 0)
                        return r;

                /* Each name's directories, in search path order; merged below into systemd's order: every
                 * search path entry in turn, and in each the names in order. */
                n_names = strv_length(names);
                next = calloc(MAX(n_names, (size_t) 1), sizeof(*next));
                left = calloc(MAX(n_names, (size_t) 1), sizeof(*left));
                if (!next || !left)
                        return -ENOMEM;
                for (size_t k = 0; k < n_names; k++)
                        left[k] = map_find_dropin_dirs(m, names[k], &next[k]);

                for (unsigned dir = 0; m->paths->search_path[dir]; dir++)
                        for (size_t k = 0; k < n_names; k++) {
                                if (left[k] == 0 || next[k]->dir != dir)
                                        continue;
                                if (!GREEDY_REALLOC(s, n + 1))
                                        return -ENOMEM;
                                s[n++] = (DropinSource) { .dir = next[k], .block = b };
                                next[k]++;
                                left[k]--;
                        }
        }

        *ret = TAKE_PTR(s);
        *ret_n = n;
        return 0;
}

static int collect_dropins(const UnitMap *m, char * const *blocks, const char *type, UnitInfo *info) {
        _cleanup_free_ DropinSource *s = NULL;
        _cleanup_strv_free_ char **names = NULL;
        size_t n = 0, n_blocks = strv_length(blocks);
        int r;

        r = dropin_sources(m, blocks, type, &s, &n);
        if (r < 0)
                return r;

        for (size_t i = 0; i < n; i++) {
                r = strv_extend_strv(&names, s[i].dir->confs);
                if (r < 0)
                        return r;
        }
        strv_sort(names);

        for (size_t k = 0; names && names[k]; k++) {
                const DropinSource *winner = NULL, *alias_first = NULL;
                _cleanup_free_ char *path = NULL, *full = NULL;
                size_t last_block = SIZE_MAX;
                bool ambiguous = false;
                char target[16];
                ssize_t len;

                if (k > 0 && streq(names[k], names[k - 1]))
                        continue;

                /* The first directory in systemd's order that has this name wins. Between aliases that order
                 * is a hash order we cannot know: if the first copies in two aliases' directories are
                 * different files, which one systemd reads is up to chance. */
                for (size_t i = 0; i < n; i++) {
                        if (!strv_contains(s[i].dir->confs, names[k]))
                                continue;
                        if (!winner)
                                winner = &s[i];
                        if (s[i].block == 0 || s[i].block >= n_blocks || s[i].block == last_block)
                                continue;
                        last_block = s[i].block;
                        if (!alias_first)
                                alias_first = &s[i];
                        else if (s[i].dir != alias_first->dir)
                                ambiguous = true;
                }
                if (ambiguous && winner->block != 0) {
                        r = strv_extend(&info->ambiguous_dropins, names[k]);
                        if (r < 0)
                                return r;
                }

                r = strv_extend(&info->dropin_names, names[k]);
                if (r < 0)
                        return r;

                if (asprintf(&path, "%s/%s.d/%s", m->paths->search_path[winner->dir->dir], winner->dir->name, names[k]) < 0)
                        return -ENOMEM;
                /* A drop-in symlinked to /dev/null masks the lower ones and adds nothing. */
                if (strv_contains(winner->dir->links, names[k])) {
                        full = path_under_root(m->paths->root, path);
                        if (!full)
                                return -ENOMEM;
                        len = readlink(full, target, sizeof(target) - 1);
                        if (len == 9 && strneq(target, "/dev/null", 9))
                                continue;
                }
                r = strv_consume(&info->dropins, TAKE_PTR(path));
                if (r < 0)
                        return r;
        }
        return 0;
}

/* systemd's unit_file_find_fragment(): the fragment of the name, or of its template; *ret = NULL when
 * there is none. */
static int map_find_fragment(const UnitMap *m, const char *name, const char *instance, const MapUnit **ret) {
        _cleanup_free_ char *template = NULL;
        int r;

        r = map_resolve(m, name, ret);
        if (r < 0 && instance) {
                r = unit_name_template(name, &template);
                if (r < 0)
                        return r;
                r = map_resolve(m, template, ret);
        }
        if (r == -ENOMEM)
                return r;
        if (r < 0)
                *ret = NULL;
        return 0;
}

/* The name the unit is loaded under: its fragment's (with the instance put in), whose other names are
 * added to *names; without a fragment, the name asked for. */
static int map_unit_id(const UnitMap *m, const char *name, const char *instance, const MapUnit *f, char ***names,
                       char **ret) {
        _cleanup_free_ char *base = NULL;
        int r;

        if (!f) {
                *ret = strdup(name);
                return *ret ? 0 : -ENOMEM;
        }
        r = unit_name_of_fragment(f, NULL, &base);
        if (r < 0)
                return r;
        if (!streq(base, name)) {
                r = add_names(m, name, base, base, names);
                if (r < 0)
                        return r;
        }
        return unit_name_of_fragment(f, instance, ret);
}

/* The aliases (every name but the id) into info->aliases, and every name whose drop-in directories apply
 * into *blocks (the id first). A template name added for an instance stands for that instance
 * (unit_add_name()). */
static int map_collect_aliases(char **names, const char *instance, UnitInfo *info, char ***blocks) {
        int r;

        STRV_FOREACH(n, names) {
                _cleanup_free_ char *a = NULL;

                if (instance && unit_name_is_valid(*n, UNIT_NAME_TEMPLATE)) {
                        r = unit_name_replace_instance(*n, instance, &a);
                        if (r == -ENOMEM)
                                return r;
                        if (r < 0)
                                continue;
                } else {
                        a = strdup(*n);
                        if (!a)
                                return -ENOMEM;
                }
                if (strv_contains(*blocks, a))
                        continue;
                r = strv_extend(&info->aliases, a);
                if (r >= 0)
                        r = strv_extend(blocks, a);
                if (r < 0)
                        return r;
        }
        strv_sort(info->aliases);
        /* Our order for the aliases' directories: sorted (systemd's is a hash order; collect_dropins() says
         * when that matters). */
        strv_sort(*blocks + 1);
        return 0;
}

/* An instance reading a directory named after it (foo@x.service.d, foo-@x.service.d) has drop-ins of its
 * own: a template-wide view of it is not enough. */
static int map_has_own_dropins(const UnitMap *m, char **blocks, bool *ret) {
        int r;

        *ret = false;
        STRV_FOREACH(b, blocks) {
                _cleanup_strv_free_ char **dirs = NULL;

                r = dropin_dir_names(*b, &dirs);
                if (r < 0)
                        return r;
                STRV_FOREACH(d, dirs)
                        if (unit_name_is_valid(*d, UNIT_NAME_INSTANCE) && map_has_dropin_dirs(m, *d))
                                *ret = true;
        }
        return 0;
}

static int map_lookup(const UnitMap *m, const char *name, UnitInfo *ret) {
        _cleanup_(unit_info_done) UnitInfo info = {};
        _cleanup_strv_free_ char **names = NULL, **blocks = NULL;
        _cleanup_free_ char *instance = NULL, *id = NULL;
        const MapUnit *f;
        const char *inst;
        int r;

        if (!unit_name_is_valid(name, UNIT_NAME_ANY))
                return -EINVAL;

        inst = unit_name_instance(name);
        if (inst) {
                instance = strndup(inst, unit_name_suffix(name) - inst);
                if (!instance)
                        return -ENOMEM;
        }
        r = add_names(m, name, NULL, name, &names);
        if (r >= 0)
                r = map_find_fragment(m, name, instance, &f);
        if (r >= 0)
                r = map_unit_id(m, name, instance, f, &names, &id);
        if (r >= 0)
                r = strv_extend(&blocks, id);
        if (r >= 0)
                r = map_collect_aliases(names, instance, &info, &blocks);
        if (r < 0)
                return r;

        info.name = TAKE_PTR(id);
        if (f) {
                info.masked = f->masked;
                if (!f->masked) {
                        info.fragment = strdup(f->fragment);
                        if (!info.fragment)
                                return -ENOMEM;
                }
        }

        r = collect_dropins(m, blocks, unit_name_suffix(name) + 1, &info);
        if (r >= 0 && unit_name_is_valid(info.name, UNIT_NAME_INSTANCE))
                r = map_has_own_dropins(m, blocks, &info.has_own_dropins);
        if (r < 0)
                return r;

        *ret = info;
        info = (UnitInfo) {};
        return 0;
}

int unit_map_lookup(const UnitMap *m, const char *name, UnitInfo *ret) {
        assert(m);
        assert(name);
        assert(ret);

        return map_lookup(m, name, ret);
}

int unit_lookup(const UnitLookupPaths *p, const char *name, UnitInfo *ret) {
        _cleanup_unit_map_free_ UnitMap *m = NULL;
        int r;

        r = unit_map_new(p, false, &m);
        if (r < 0)
                return r;
        return unit_map_lookup(m, name, ret);
}

/* The text of each file of the unit (fragment first, then drop-ins), read once. A file that cannot be read
 * has no text and its error; a drop-in that is gone or a directory is left out, as systemd skips it. */
typedef struct UnitTexts {
        struct {
                const char *name;       /* as systemd names it (without the root) */
                char *text;
                size_t size;
                int error;              /* < 0: could not be read */
        } *files;
        size_t n;
} UnitTexts;

static void unit_texts_done(UnitTexts *t) {
        for (size_t i = 0; i < t->n; i++)
                free(t->files[i].text);
        free(t->files);
}

/* A directory the map holds open that "path" (as systemd names it) is beneath, and the rest of the path
 * relative to it: opening that is opening "root/path", without walking the whole path again. -EBADF when
 * there is none. */
static int map_dir_fd_of(const UnitMap *m, const char *path, const char **ret_rest) {
        for (size_t i = 0; m && i < m->n_dir_streams; i++) {
                const char *rest;

                if (!m->dir_streams[i])
                        continue;
                rest = startswith(path, m->paths->search_path[i]);
                if (rest && rest[0] == '/' && rest[1] != '/' && rest[1] != '\0') {
                        *ret_rest = rest + 1;
                        return dirfd(m->dir_streams[i]);
                }
        }
        return -EBADF;
}

static int unit_texts_add(UnitTexts *t, const UnitLookupPaths *p, const UnitMap *m, const char *name, bool dropin) {
        _cleanup_free_ char *full = NULL, *text = NULL;
        const char *rest = NULL;
        size_t size = 0;
        int r, fd;
        void *f;

        fd = map_dir_fd_of(m, name, &rest);
        if (fd >= 0)
                r = read_full_file_at(fd, rest, &text, &size);
        else {
                full = path_under_root(p->root, name);
                if (!full)
                        return -ENOMEM;
                r = read_full_file(full, &text, &size);
        }
        if (r == -ENOMEM)
                return r;
        /* systemd silently skips a drop-in that is gone, and reads nothing from a directory. */
        if (dropin && IN_SET(r, -ENOENT, -EISDIR))
                return 0;
        f = reallocarray(t->files, t->n + 1, sizeof(t->files[0]));
        if (!f)
                return -ENOMEM;
        t->files = f;
        t->files[t->n].name = name;
        t->files[t->n].text = TAKE_PTR(text);
        t->files[t->n].size = size;
        t->files[t->n].error = MIN(r, 0);
        t->n++;
        return 0;
}

/* Whether any file says "word", or cannot be read (and so could). */
static bool unit_texts_mention(const UnitTexts *t, const char *word) {
        for (size_t i = 0; i < t->n; i++)
                if (t->files[i].error < 0 || memmem(t->files[i].text, t->files[i].size, word, strlen(word)))
                        return true;
        return false;
}

static int load_mentioning(const UnitLookupPaths *p, const UnitMap *m, const UnitInfo *info, const char *word,
                           UnitFile *u, char ***warnings) {
        _cleanup_(unit_texts_done) UnitTexts t = {};
        int r;

        assert(p);
        assert(info);
        assert(u);

        if (info->masked)
                return 0;

        if (info->fragment) {
                r = unit_texts_add(&t, p, m, info->fragment, /* dropin= */ false);
                if (r < 0)
                        return r;
        }
        STRV_FOREACH(d, info->dropins) {
                r = unit_texts_add(&t, p, m, *d, /* dropin= */ true);
                if (r < 0)
                        return r;
        }
        if (word && !unit_texts_mention(&t, word))
                return 0;

        for (size_t i = 0; i < t.n; i++) {
                /* systemd fails to load a unit whose fragment it cannot read. */
                if (t.files[i].error < 0)
                        r = unit_file_add_read_error(u, t.files[i].name, t.files[i].error, warnings);
                else
                        r = unit_file_parse_buffer(u, t.files[i].name, t.files[i].text, t.files[i].size, warnings);
                if (r < 0)
                        return r;
        }
        return 1;
}

int unit_info_load_mentioning(const UnitLookupPaths *p, const UnitInfo *info, const char *word, UnitFile *u,
                              char ***warnings) {
        return load_mentioning(p, NULL, info, word, u, warnings);
}

int unit_map_load_mentioning(const UnitMap *m, const UnitInfo *info, const char *word, UnitFile *u,
                             char ***warnings) {
        assert(m);
        return load_mentioning(m->paths, m, info, word, u, warnings);
}

int unit_info_load(const UnitLookupPaths *p, const UnitInfo *info, UnitFile *u, char ***warnings) {
        int r = unit_info_load_mentioning(p, info, NULL, u, warnings);
        return MIN(r, 0);
}
