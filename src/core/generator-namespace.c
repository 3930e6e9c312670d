/* SPDX-License-Identifier: LGPL-2.1-or-later */

#include <assert.h>
#include <stdarg.h>

#include "generator-namespace.h"
#include "landlock-policy.h"
#include "strv.h"

/* How the settings that mount something over a path name it. systemd's exec-context settings
 * (load-fragment.c); "+" in InaccessiblePaths= means "beneath RootDirectory=", which is hidden anyway. */
typedef enum PathSyntax {
        SYNTAX_PATH,            /* [-][+]PATH */
        SYNTAX_PATH_OPTIONS,    /* PATH[:OPTIONS] */
        SYNTAX_SOURCE_DEST,     /* [-]SOURCE[:DEST[:OPTIONS]]: only DEST, else SOURCE, is mounted over */
} PathSyntax;

static const struct {
        const char *key;
        PathSyntax syntax;
} mount_settings[] = {
        { "InaccessiblePaths",   SYNTAX_PATH         },
        { "TemporaryFileSystem", SYNTAX_PATH_OPTIONS },
        { "BindPaths",           SYNTAX_SOURCE_DEST  },
        { "BindReadOnlyPaths",   SYNTAX_SOURCE_DEST  },
        { "MountImages",         SYNTAX_SOURCE_DEST  },
};

/* ProtectHome=yes and =tmpfs hide these (read-only keeps them). */
static const char * const home_paths[] = { "/home", "/root", "/run/user", NULL };

static int why(char **ret_why, const UnitFileEntry *e, const char *format, ...) _printf_(3, 4);
static int why(char **ret_why, const UnitFileEntry *e, const char *format, ...) {
        _cleanup_free_ char *m = NULL;
        va_list ap;
        int r;

        va_start(ap, format);
        r = vasprintf(&m, format, ap);
        va_end(ap);
        if (r < 0)
                return -ENOMEM;
        if (asprintf(ret_why, "%s:%u: %s=%s %s", e->file, e->line, e->key, e->value, m) < 0)
                return -ENOMEM;
        return 1;
}

/* "a" is "b" or one of its parent directories, both normalized. */
static bool path_covers(const char *a, const char *b) {
        size_t l = strlen(a);

        if (streq(a, "/"))
                return true;
        return strneq(a, b, l) && (b[l] == '\0' || b[l] == '/');
}

/* "//" and "/./" collapsed, no trailing "/": as systemd's path_simplify() leaves them. NULL for what we
 * cannot compare safely: relative, "..", a specifier or an escape left in it. */
static char *path_normalize(const char *p) {
        char *n, *t;

        if (p[0] != '/' || strstr(p, "..") || strpbrk(p, "%\\"))
                return NULL;
        n = t = strdup(p);
        if (!n)
                return NULL;
        for (const char *c = p; *c; c++) {
                if (*c == '/' && t > n && t[-1] == '/')
                        continue;
                if (*c == '.' && t[-1] == '/' && (c[1] == '/' || c[1] == '\0'))
                        continue;
                *t++ = *c;
        }
        while (t > n + 1 && t[-1] == '/')
                t--;
        *t = '\0';
        return n;
}

/* The path an item mounts over and, for SOURCE:DEST, its source (NULL when it has none). */
static int item_paths(const char *item, PathSyntax syntax, char **ret_target, char **ret_source) {
        _cleanup_free_ char *first = NULL;
        const char *p = item, *colon;

        *ret_target = *ret_source = NULL;
        if (syntax != SYNTAX_PATH_OPTIONS && *p == '-')
                p++;
        if (syntax == SYNTAX_PATH && *p == '+')
                p++;
        if (syntax == SYNTAX_PATH) {
                *ret_target = strdup(p);
                return *ret_target ? 0 : -ENOMEM;
        }

        colon = strchr(p, ':');
        first = colon ? strndup(p, colon - p) : strdup(p);
        if (!first)
                return -ENOMEM;
        if (syntax == SYNTAX_PATH_OPTIONS || !colon) {
                *ret_target = TAKE_PTR(first);
                return 0;
        }
        p = colon + 1;
        colon = strchr(p, ':');
        *ret_target = colon ? strndup(p, colon - p) : strdup(p);
        if (!*ret_target)
                return -ENOMEM;
        *ret_source = TAKE_PTR(first);
        return 0;
}

/* The assignments of "key" in effect: those after its last reset. */
static size_t first_in_effect(const UnitFile *u, const char *section, const char *key) {
        size_t first = 0;

        for (size_t i = 0; i < u->n_entries; i++)
                if (streq(u->entries[i].key, key) && streq(u->entries[i].section, section) &&
                    isempty(u->entries[i].value))
                        first = i + 1;
        return first;
}

static const UnitFileEntry *last_entry(const UnitFile *u, const char *section, const char *key) {
        const UnitFileEntry *e = NULL;

        for (size_t i = 0; i < u->n_entries; i++)
                if (streq(u->entries[i].key, key) && streq(u->entries[i].section, section))
                        e = isempty(u->entries[i].value) ? NULL : &u->entries[i];
        return e;
}

/* An item's paths, as written and normalized (NULL where path_normalize() cannot compare them). */
typedef struct MountItem {
        char *target, *source;
        char *target_normalized, *source_normalized;
} MountItem;

static void mount_item_done(MountItem *m) {
        free(m->target);
        free(m->source);
        free(m->target_normalized);
        free(m->source_normalized);
}

static int mount_item_parse(const char *item, PathSyntax syntax, MountItem *ret) {
        int r;

        r = item_paths(item, syntax, &ret->target, &ret->source);
        if (r < 0)
                return r;
        ret->target_normalized = path_normalize(ret->target);
        ret->source_normalized = ret->source ? path_normalize(ret->source) : NULL;
        return 0;
}

/* Calls f() on each item of each assignment in effect of "key": stops at the first non-zero answer. */
typedef int (*item_fn)(const UnitFileEntry *e, const MountItem *m, PathSyntax syntax, const char *path,
                       char **ret_why);

static int foreach_item(const UnitFile *u, const char *section, const char *key, PathSyntax syntax,
                        const char *path, item_fn f, char **ret_why) {
        int r;

        for (size_t i = first_in_effect(u, section, key); i < u->n_entries; i++) {
                const UnitFileEntry *e = &u->entries[i];

                if (!streq(e->key, key) || !streq(e->section, section))
                        continue;
                for (const char *p = e->value;;) {
                        _cleanup_(mount_item_done) MountItem m = {};
                        _cleanup_free_ char *item = NULL;

                        r = extract_first_word(&p, &item, NULL, EXTRACT_UNQUOTE|EXTRACT_CUNESCAPE|EXTRACT_CUNESCAPE_RELAX);
                        if (r == -ENOMEM)
                                return r;
                        if (r < 0)
                                return why(ret_why, e, "cannot be parsed: cannot tell what it mounts");
                        if (r == 0)
                                break;
                        r = mount_item_parse(item, syntax, &m);
                        if (r < 0)
                                return r;
                        r = f(e, &m, syntax, path, ret_why);
                        if (r != 0)
                                return r;
                }
        }
        return 0;
}

static int item_hides(const UnitFileEntry *e, const MountItem *m, PathSyntax syntax, const char *path,
                      char **ret_why) {
        const char *t = m->target_normalized;

        if (!t)
                return why(ret_why, e, "names \"%s\", which cannot be compared with %s here (a specifier, an "
                           "escape, \"..\"): cannot tell whether it hides it", m->target, path);
        if (!path_covers(t, path) && !path_covers(path, t))
                return 0;
        if (m->source) {
                /* A path bound onto itself stays what it was. */
                if (m->source_normalized && streq(m->source_normalized, t) &&
                    STR_IN_SET(e->key, "BindReadOnlyPaths", "BindPaths"))
                        return 0;
        } else if (syntax == SYNTAX_SOURCE_DEST && !streq(e->key, "MountImages"))
                return 0;
        return why(ret_why, e, "mounts over %s in the service's view of the file system", path);
}

/* Under RootDirectory=/RootImage=, a path is there as itself only when bound in from the host as itself. */
static int item_binds_in(const UnitFileEntry *e, const MountItem *m, PathSyntax syntax, const char *path,
                         char **ret_why) {
        const char *t = m->target_normalized;

        if (t && (!m->source || (m->source_normalized && streq(m->source_normalized, t))) && path_covers(t, path))
                return 1;
        return 0;
}

int unit_path_hidden(const UnitFile *u, const char *section, const char *path, char **ret_why) {
        const UnitFileEntry *root, *home;
        int r;

        assert(u);
        assert(section);
        assert(path);
        assert(ret_why);

        *ret_why = NULL;

        for (size_t i = 0; i < ELEMENTSOF(mount_settings); i++) {
                r = foreach_item(u, section, mount_settings[i].key, mount_settings[i].syntax, path, item_hides, ret_why);
                if (r != 0)
                        return r;
        }

        home = last_entry(u, section, "ProtectHome");
        if (home && !streq(home->value, "read-only") && parse_boolean(home->value) != 0)
                for (size_t i = 0; home_paths[i]; i++)
                        if (path_covers(home_paths[i], path))
                                return why(ret_why, home, "hides %s", home_paths[i]);

        root = last_entry(u, section, "RootDirectory") ?: last_entry(u, section, "RootImage");
        if (root) {
                _cleanup_free_ char *ignored = NULL;

                r = foreach_item(u, section, "BindReadOnlyPaths", SYNTAX_SOURCE_DEST, path, item_binds_in, &ignored);
                if (r == 0)
                        r = foreach_item(u, section, "BindPaths", SYNTAX_SOURCE_DEST, path, item_binds_in, &ignored);
                if (r < 0)
                        return r;
                if (r == 0)
                        return why(ret_why, root, "gives the service a root of its own, where %s is not bound in "
                                   "from the host (BindReadOnlyPaths=%s)", path, path);
        }
        return 0;
}

bool unit_restricts_exec(const UnitFile *u, const char *section) {
        assert(u);
        assert(section);

        return last_entry(u, section, "NoExecPaths");
}
