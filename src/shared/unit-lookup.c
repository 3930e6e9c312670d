/* SPDX-License-Identifier: LGPL-2.1-or-later */

#include <assert.h>
#include <sys/stat.h>

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

        at = memchr(name, '@', suffix - name);
        if (!at)
                return type & UNIT_NAME_PLAIN;
        if (at == name || memchr(at + 1, '@', suffix - at - 1))
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

/* ---- The scanned search path ---- */

typedef struct MapUnit {
        char *name;
        unsigned dir;                   /* index in the search path: lower wins */
        bool masked;                    /* symlink to /dev/null, or an empty file */
        char *target;                   /* symlinks: the final target's path (beneath the root), else NULL */
} MapUnit;

typedef struct MapDropinDir {
        char *name;                     /* "foo.service", "foo-.service", "service" (without ".d") */
        unsigned dir;
        char **confs;                   /* *.conf file names, sorted */
} MapDropinDir;

struct UnitMap {
        const UnitLookupPaths *paths;
        char **dirs;                    /* the search path entries actually scanned (beneath root) */
        MapUnit *units;
        size_t n_units;
        MapDropinDir *dropin_dirs;
        size_t n_dropin_dirs;
};

UnitMap *unit_map_free(UnitMap *m) {
        if (!m)
                return NULL;
        for (size_t i = 0; i < m->n_units; i++) {
                free(m->units[i].name);
                free(m->units[i].target);
        }
        free(m->units);
        for (size_t i = 0; i < m->n_dropin_dirs; i++) {
                free(m->dropin_dirs[i].name);
                strv_free(m->dropin_dirs[i].confs);
        }
        free(m->dropin_dirs);
        strv_free(m->dirs);
        free(m);
        return NULL;
}

/* Follows a chain of symlinks the way the manager does for aliases, staying beneath the root. Returns
 * the final path (beneath the root) in *ret, or NULL in *ret with *ret_masked set for /dev/null. */
static int follow_symlinks(const char *root, const char *path, char **ret, bool *ret_masked) {
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
                        *ret_masked = false;
                        *ret = TAKE_PTR(cur);
                        return 0;
                }
                target[k] = '\0';

                if (streq(target, "/dev/null")) {
                        *ret_masked = true;
                        *ret = NULL;
                        return 0;
                }

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

static int add_unit(UnitMap *m, const char *name, unsigned dir, const char *dir_path, bool is_link) {
        _cleanup_free_ char *path = NULL, *target = NULL;
        bool masked = false;
        MapUnit *u;
        int r;

        if (asprintf(&path, "%s/%s", m->paths->search_path[dir], name) < 0)
                return -ENOMEM;

        if (is_link) {
                r = follow_symlinks(m->paths->root, path, &target, &masked);
                if (r < 0)
                        return 0;       /* dangling or looping: systemd ignores it as well */
        }

        if (!masked) {
                _cleanup_free_ char *full = path_under_root(m->paths->root, target ?: path);
                struct stat st;

                if (!full)
                        return -ENOMEM;
                if (stat(full, &st) < 0)
                        return 0;
                if (S_ISDIR(st.st_mode))
                        return 0;
                masked = S_ISREG(st.st_mode) && st.st_size == 0;
        }

        u = realloc(m->units, sizeof(MapUnit) * (m->n_units + 1));
        if (!u)
                return -ENOMEM;
        m->units = u;
        m->units[m->n_units] = (MapUnit) {
                .name = strdup(name),
                .dir = dir,
                .masked = masked,
                .target = TAKE_PTR(target),
        };
        if (!m->units[m->n_units].name)
                return -ENOMEM;
        m->n_units++;
        return 0;
}

static bool dropin_dir_name_is_valid(const char *name) {
        /* "foo.service", "foo@.service", "foo@bar.service", "foo-.service", or a bare type "service". */
        for (size_t i = 0; i < ELEMENTSOF(unit_suffixes); i++)
                if (streq(name, unit_suffixes[i] + 1))
                        return true;
        return unit_name_is_valid(name, UNIT_NAME_ANY);
}

static int add_dropin_dir(UnitMap *m, const char *name, unsigned dir, const char *dir_path) {
        _cleanup_closedir_ DIR *d = NULL;
        _cleanup_strv_free_ char **confs = NULL;
        _cleanup_free_ char *path = NULL;
        MapDropinDir *dd;
        struct dirent *de;
        int r;

        if (asprintf(&path, "%s/%s.d", dir_path, name) < 0)
                return -ENOMEM;
        d = opendir(path);
        if (!d)
                return 0;

        while ((de = readdir(d))) {
                if (de->d_name[0] == '.' || !endswith(de->d_name, ".conf"))
                        continue;
                r = strv_extend(&confs, de->d_name);
                if (r < 0)
                        return r;
        }
        if (!confs)
                return 0;
        strv_sort(confs);

        dd = realloc(m->dropin_dirs, sizeof(MapDropinDir) * (m->n_dropin_dirs + 1));
        if (!dd)
                return -ENOMEM;
        m->dropin_dirs = dd;
        m->dropin_dirs[m->n_dropin_dirs] = (MapDropinDir) {
                .name = strdup(name),
                .dir = dir,
                .confs = TAKE_PTR(confs),
        };
        if (!m->dropin_dirs[m->n_dropin_dirs].name)
                return -ENOMEM;
        m->n_dropin_dirs++;
        return 0;
}

static int scan_dir(UnitMap *m, unsigned dir) {
        _cleanup_free_ char *dir_path = path_under_root(m->paths->root, m->paths->search_path[dir]);
        _cleanup_closedir_ DIR *d = NULL;
        struct dirent *de;
        int r;

        if (!dir_path)
                return -ENOMEM;
        d = opendir(dir_path);
        if (!d)
                return 0;       /* most search path entries do not exist */

        while ((de = readdir(d))) {
                const char *dot_d;

                if (de->d_name[0] == '.')
                        continue;

                dot_d = endswith(de->d_name, ".d");
                if (dot_d && (de->d_type == DT_DIR || de->d_type == DT_LNK || de->d_type == DT_UNKNOWN)) {
                        _cleanup_free_ char *name = strndup(de->d_name, dot_d - de->d_name);

                        if (!name)
                                return -ENOMEM;
                        if (dropin_dir_name_is_valid(name)) {
                                r = add_dropin_dir(m, name, dir, dir_path);
                                if (r < 0)
                                        return r;
                        }
                        continue;
                }

                if (!unit_name_is_valid(de->d_name, UNIT_NAME_ANY))
                        continue;
                if (de->d_type != DT_REG && de->d_type != DT_LNK && de->d_type != DT_UNKNOWN)
                        continue;
                r = add_unit(m, de->d_name, dir, dir_path, de->d_type != DT_REG);
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

int unit_map_new(const UnitLookupPaths *p, bool skip_generator_dirs, UnitMap **ret) {
        _cleanup_unit_map_free_ UnitMap *m = NULL;
        int r;

        assert(p);
        assert(ret);

        m = calloc(1, sizeof(UnitMap));
        if (!m)
                return -ENOMEM;
        m->paths = p;

        for (unsigned i = 0; p->search_path && p->search_path[i]; i++) {
                /* Generators run in parallel: what the others have written so far is incomplete, and our
                 * own output must not feed back into us. */
                if (skip_generator_dirs && strv_contains(p->generator_dirs, p->search_path[i]))
                        continue;
                r = scan_dir(m, i);
                if (r < 0)
                        return r;
        }

        qsort_safe(m->units, m->n_units, sizeof(MapUnit), map_unit_compare);
        qsort_safe(m->dropin_dirs, m->n_dropin_dirs, sizeof(MapDropinDir), map_dropin_dir_compare);

        *ret = TAKE_PTR(m);
        return 0;
}

/* The highest-priority entry of this name (the first one: sorted by name, then by priority). */
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

static size_t map_find_dropin_dirs(const UnitMap *m, const char *name, const MapDropinDir **ret) {
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
        *ret = n > 0 ? &m->dropin_dirs[lo] : NULL;
        return n;
}

/* The name a unit file entry stands for: itself, or for an alias symlink the name of its target. */
static const char *map_unit_real_name(const MapUnit *u) {
        const char *base;

        if (!u->target)
                return u->name;
        base = strrchr(u->target, '/');
        base = base ? base + 1 : u->target;
        if (!unit_name_is_valid(base, UNIT_NAME_ANY))
                return u->name;
        /* foo@bar.service → foo@.service is an instance of that template, not an alias. */
        if (unit_name_is_valid(u->name, UNIT_NAME_INSTANCE) && unit_name_is_valid(base, UNIT_NAME_TEMPLATE) &&
            strneq(u->name, base, strchr(base, '@') - base + 1))
                return u->name;
        return base;
}

char **unit_map_names(const UnitMap *m) {
        _cleanup_strv_free_ char **l = NULL;

        assert(m);

        for (size_t i = 0; i < m->n_units; i++) {
                if (i > 0 && streq(m->units[i].name, m->units[i - 1].name))
                        continue;
                if (strv_extend(&l, m->units[i].name) < 0)
                        return NULL;
        }

        /* Instances have no file of their own, but drop-ins of their own make them worth a look. */
        for (size_t i = 0; i < m->n_dropin_dirs; i++) {
                const char *name = m->dropin_dirs[i].name;

                if (!unit_name_is_valid(name, UNIT_NAME_INSTANCE) || map_find_unit(m, name) ||
                    strv_contains(l, name))
                        continue;
                if (strv_extend(&l, name) < 0)
                        return NULL;
        }

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
        *i = (UnitInfo) {};
}

/* "foo-bar-baz.service" → "foo-bar-.service", "foo-.service"; for templates and instances, the part
 * before the "@" is used. */
static int dash_prefixes(const char *name, char ***l) {
        const char *suffix = unit_name_suffix(name), *end = strchr(name, '@');
        int r;

        if (!suffix)
                return 0;
        if (!end)
                end = suffix;

        for (const char *d = end; d > name; d--) {
                if (d[-1] != '-' || d == end)
                        continue;
                r = strv_extendf(l, "%.*s%s", (int) (d - name), name, suffix);
                if (r < 0)
                        return r;
        }
        return 0;
}

/* The drop-in directory names to look at for one unit name, in the order systemd tries them. */
static int dropin_dir_candidates(const char *name, char ***l) {
        int r;

        r = strv_extend(l, name);
        if (r < 0)
                return r;
        if (unit_name_is_valid(name, UNIT_NAME_INSTANCE)) {
                _cleanup_free_ char *t = NULL;

                r = unit_name_template(name, &t);
                if (r < 0)
                        return r;
                r = strv_extend(l, t);
                if (r < 0)
                        return r;
        }
        return dash_prefixes(name, l);
}

typedef struct Dropin {
        char *name;
        char *path;
} Dropin;

static int dropin_compare(const void *a, const void *b) {
        return strcmp(((const Dropin *) a)->name, ((const Dropin *) b)->name);
}

static int collect_dropins(const UnitMap *m, char * const *names, const char *type, UnitInfo *info) {
        _cleanup_strv_free_ char **candidates = NULL;
        Dropin *d = NULL;
        size_t n = 0;
        int r = 0;

        STRV_FOREACH(name, names) {
                r = dropin_dir_candidates(*name, &candidates);
                if (r < 0)
                        return r;
        }
        r = strv_extend(&candidates, type);
        if (r < 0)
                return r;

        for (unsigned dir = 0; m->paths->search_path[dir]; dir++)
                STRV_FOREACH(c, candidates) {
                        const MapDropinDir *dd;
                        size_t k = map_find_dropin_dirs(m, *c, &dd);

                        for (size_t i = 0; i < k; i++) {
                                if (dd[i].dir != dir)
                                        continue;
                                STRV_FOREACH(conf, dd[i].confs) {
                                        bool seen = false;
                                        Dropin *nd;

                                        for (size_t j = 0; j < n && !seen; j++)
                                                seen = streq(d[j].name, *conf);
                                        if (seen)       /* overridden by a higher-priority directory */
                                                continue;

                                        nd = realloc(d, sizeof(Dropin) * (n + 1));
                                        if (!nd)
                                                goto oom;
                                        d = nd;
                                        d[n].name = strdup(*conf);
                                        if (asprintf(&d[n].path, "%s/%s.d/%s", m->paths->search_path[dir], *c, *conf) < 0)
                                                d[n].path = NULL;
                                        n++;
                                        if (!d[n - 1].name || !d[n - 1].path)
                                                goto oom;
                                }
                        }
                }

        qsort_safe(d, n, sizeof(Dropin), dropin_compare);
        for (size_t i = 0; i < n && r >= 0; i++) {
                _cleanup_free_ char *full = path_under_root(m->paths->root, d[i].path);
                char target[16];
                ssize_t k;

                r = strv_extend(&info->dropin_names, d[i].name);
                if (r < 0 || !full)
                        break;
                /* A drop-in symlinked to /dev/null masks the lower ones and adds nothing. */
                k = full ? readlink(full, target, sizeof(target) - 1) : -1;
                if (k == 9 && strneq(target, "/dev/null", 9))
                        continue;
                r = strv_extend(&info->dropins, d[i].path);
        }
        goto done;
oom:
        r = -ENOMEM;
done:
        for (size_t i = 0; i < n; i++) {
                free(d[i].name);
                free(d[i].path);
        }
        free(d);
        return r;
}

static int map_lookup_depth(const UnitMap *m, const char *name, UnitInfo *ret, unsigned depth) {
        _cleanup_(unit_info_done) UnitInfo info = {};
        _cleanup_strv_free_ char **names = NULL;
        const MapUnit *u;
        const char *suffix;
        int r;

        if (!unit_name_is_valid(name, UNIT_NAME_ANY))
                return -EINVAL;
        if (depth > 8)
                return -ELOOP;

        u = map_find_unit(m, name);
        if (u && u->target && !u->masked) {
                const char *real = map_unit_real_name(u);

                /* An alias: the unit is loaded under the name of its target. */
                if (!streq(real, name) && map_find_unit(m, real))
                        return map_lookup_depth(m, real, ret, depth + 1);
        }

        info.name = strdup(name);
        if (!info.name)
                return -ENOMEM;

        if (!u && unit_name_is_valid(name, UNIT_NAME_INSTANCE)) {
                _cleanup_free_ char *t = NULL;

                r = unit_name_template(name, &t);
                if (r < 0)
                        return r;
                u = map_find_unit(m, t);
        }

        if (u) {
                info.masked = u->masked;
                if (!u->masked) {
                        if (u->target)
                                info.fragment = strdup(u->target);
                        else if (asprintf(&info.fragment, "%s/%s", m->paths->search_path[u->dir], u->name) < 0)
                                info.fragment = NULL;
                        if (!info.fragment)
                                return -ENOMEM;
                }
        }

        /* Other names of the same unit: symlinks whose target is this name. */
        for (size_t i = 0; i < m->n_units; i++) {
                const MapUnit *a = &m->units[i];

                if (i > 0 && streq(a->name, m->units[i - 1].name))
                        continue;
                if (!a->target || a->masked || streq(a->name, name) || !streq(map_unit_real_name(a), name))
                        continue;
                r = strv_extend(&info.aliases, a->name);
                if (r < 0)
                        return r;
        }

        r = strv_extend(&names, name);
        if (r >= 0)
                r = strv_extend_strv(&names, info.aliases);
        if (r < 0)
                return r;

        suffix = unit_name_suffix(name);
        r = collect_dropins(m, names, suffix + 1, &info);
        if (r < 0)
                return r;

        if (unit_name_is_valid(name, UNIT_NAME_INSTANCE)) {
                const MapDropinDir *dd;

                info.has_own_dropins = map_find_dropin_dirs(m, name, &dd) > 0;
        }

        *ret = info;
        info = (UnitInfo) {};
        return 0;
}

int unit_map_lookup(const UnitMap *m, const char *name, UnitInfo *ret) {
        assert(m);
        assert(name);
        assert(ret);

        return map_lookup_depth(m, name, ret, 0);
}

int unit_lookup(const UnitLookupPaths *p, const char *name, UnitInfo *ret) {
        _cleanup_unit_map_free_ UnitMap *m = NULL;
        int r;

        r = unit_map_new(p, false, &m);
        if (r < 0)
                return r;
        return unit_map_lookup(m, name, ret);
}

int unit_info_load(const UnitLookupPaths *p, const UnitInfo *info, UnitFile *u, char ***warnings) {
        int r;

        assert(p);
        assert(info);
        assert(u);

        if (info->masked)
                return 0;

        if (info->fragment) {
                _cleanup_free_ char *full = path_under_root(p->root, info->fragment);

                if (!full)
                        return -ENOMEM;
                r = unit_file_load(u, full, info->fragment, warnings);
                if (r < 0)
                        return r;
        }

        STRV_FOREACH(d, info->dropins) {
                _cleanup_free_ char *full = path_under_root(p->root, *d);

                if (!full)
                        return -ENOMEM;
                r = unit_file_load(u, full, *d, warnings);
                if (r < 0 && r != -ENOENT)
                        return r;
        }
        return 0;
}
