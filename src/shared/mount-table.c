/* SPDX-License-Identifier: LGPL-2.1-or-later */

#include <fcntl.h>
#include <sys/sysmacros.h>

#include "alloc-util.h"
#include "fileio.h"
#include "error-message.h"
#include "mount-table.h"
#include "strv.h"

void mount_table_done(MountTable *t) {
        if (!t)
                return;
        for (size_t i = 0; i < t->n; i++) {
                free(t->entries[i].root);
                free(t->entries[i].where);
        }
        free(t->entries);
        *t = (MountTable) {};
}

/* mountinfo writes space, tab, newline and backslash in paths as \NNN (octal). */
static char *unescape_octal(const char *s, size_t n) {
        char *r = malloc(n + 1), *w = r;

        if (!r)
                return NULL;
        for (size_t i = 0; i < n; i++) {
                if (s[i] == '\\' && i + 3 < n && s[i + 1] >= '0' && s[i + 1] <= '3' &&
                    s[i + 2] >= '0' && s[i + 2] <= '7' && s[i + 3] >= '0' && s[i + 3] <= '7') {
                        *w++ = (char) ((s[i + 1] - '0') << 6 | (s[i + 2] - '0') << 3 | (s[i + 3] - '0'));
                        i += 3;
                } else
                        *w++ = s[i];
        }
        *w = '\0';
        return r;
}

/* The next space-separated field of *p, advancing *p; NULL at the end of the line. */
static const char *next_field(const char **p, size_t *ret_len) {
        const char *s = *p + strspn(*p, " "), *e;

        if (*s == '\0')
                return NULL;
        e = s + strcspn(s, " ");
        *ret_len = (size_t) (e - s);
        *p = e;
        return s;
}

static int parse_line(const char *line, MountEntry *ret) {
        const char *p = line, *f[5];
        size_t len[5];
        unsigned major, minor;
        char *end;
        long id, parent;

        for (size_t i = 0; i < ELEMENTSOF(f); i++) {
                f[i] = next_field(&p, len + i);
                if (!f[i])
                        return -EINVAL;
        }

        errno = 0;
        id = strtol(f[0], &end, 10);
        if (errno != 0 || end != f[0] + len[0] || id < 0 || id > INT32_MAX)
                return -EINVAL;
        parent = strtol(f[1], &end, 10);
        if (errno != 0 || end != f[1] + len[1] || parent < 0 || parent > INT32_MAX)
                return -EINVAL;
        if (sscanf(f[2], "%u:%u", &major, &minor) != 2)
                return -EINVAL;
        if (f[3][0] != '/' || f[4][0] != '/')
                return -EINVAL;

        *ret = (MountEntry) {
                .id = (int) id,
                .parent_id = (int) parent,
                .dev = makedev(major, minor),
                .root = unescape_octal(f[3], len[3]),
                .where = unescape_octal(f[4], len[4]),
        };
        if (!ret->root || !ret->where) {
                free(ret->root);
                free(ret->where);
                return -ENOMEM;
        }
        return 0;
}

int mount_table_parse(const char *text, MountTable *ret, char **ret_error) {
        _cleanup_(mount_table_done) MountTable t = {};
        unsigned line = 0;

        assert(text);
        assert(ret);

        for (const char *p = text; *p; ) {
                size_t n = strcspn(p, "\n");
                _cleanup_free_ char *l = strndup(p, n);
                int r;

                line++;
                p += n + (p[n] == '\n');
                if (!l)
                        return -ENOMEM;
                if (isempty(l))
                        continue;

                if (!GREEDY_REALLOC(t.entries, t.n + 1))
                        return -ENOMEM;
                r = parse_line(l, t.entries + t.n);
                if (r == -ENOMEM)
                        return r;
                if (r < 0)
                        return set_error(ret_error, r,
                                         "mountinfo line %u is not \"ID PARENT MAJOR:MINOR ROOT MOUNTPOINT ...\": %s",
                                         line, l);
                t.n++;
        }

        *ret = t;
        t = (MountTable) {};
        return 0;
}

int mount_table_read(MountTable *ret, char **ret_error) {
        _cleanup_close_ int fd = -EBADF;
        _cleanup_free_ char *buf = NULL;
        int r;

        assert(ret);

        fd = openat(AT_FDCWD, "/proc/self/mountinfo", O_RDONLY|O_CLOEXEC);
        if (fd < 0)
                return set_error(ret_error, negative_errno(), "cannot open /proc/self/mountinfo: %m");
        r = read_full_fd(fd, &buf, NULL);
        if (r < 0)
                return set_error(ret_error, r, "cannot read /proc/self/mountinfo: %m");

        return mount_table_parse(buf, ret, ret_error);
}

const char *path_beneath(const char *path, const char *prefix) {
        const char *rest;

        assert(path);
        assert(prefix);

        if (streq(prefix, "/"))
                return streq(path, "/") ? path + 1 : path;
        rest = startswith(path, prefix);
        if (!rest || (*rest != '\0' && *rest != '/'))
                return NULL;
        return rest;
}

/* "base" followed by "rest" ("" or "/x…" as path_beneath() returns it). */
static char *path_join_rest(const char *base, const char *rest) {
        char *s;

        if (isempty(rest))
                return strdup(base);
        if (streq(base, "/"))
                return strdup(rest);
        return asprintf(&s, "%s%s", base, rest) < 0 ? NULL : s;
}

static const MountEntry *mount_table_find(const MountTable *t, int id) {
        for (size_t i = 0; i < t->n; i++)
                if (t->entries[i].id == id)
                        return t->entries + i;
        return NULL;
}

int mount_table_fs_path(const MountTable *t, int mnt_id, const char *path, dev_t *ret_dev, char **ret_fs_path) {
        const MountEntry *m;
        const char *rest;
        char *fs;

        assert(t);
        assert(path);
        assert(ret_dev);
        assert(ret_fs_path);

        m = mount_table_find(t, mnt_id);
        if (!m)
                return -ENOENT;
        rest = path_beneath(path, m->where);
        if (!rest)
                return -ENOENT;
        fs = path_join_rest(m->root, rest);
        if (!fs)
                return -ENOMEM;
        *ret_dev = m->dev;
        *ret_fs_path = fs;
        return 0;
}

int mount_table_aliases(const MountTable *t, dev_t dev, const char *fs_path, char ***ret) {
        _cleanup_strv_free_ char **l = NULL;

        assert(t);
        assert(fs_path);
        assert(ret);

        for (size_t i = 0; i < t->n; i++) {
                const MountEntry *m = t->entries + i;
                const char *rest;
                char *a;
                int r;

                if (m->dev != dev)
                        continue;
                rest = path_beneath(fs_path, m->root);
                if (!rest)
                        continue;
                a = path_join_rest(m->where, rest);
                if (!a)
                        return -ENOMEM;
                if (strv_contains(l, a)) {
                        free(a);
                        continue;
                }
                r = strv_consume(&l, a);
                if (r < 0)
                        return r;
        }

        *ret = TAKE_PTR(l);     /* NULL: no mount shows it */
        return 0;
}
