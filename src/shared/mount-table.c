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
        free(t->entries);
        free(t->text);
        *t = (MountTable) {};
}

/* mountinfo writes space, tab, newline and backslash in paths as \NNN (octal). Undone in place (the text
 * only shrinks), and the field terminated. The enforcer reads the table at every start where a rule path
 * crosses a symlink: no allocation per field. */
static char *unescape_octal_in_place(char *s, size_t n) {
        char *w = s;

        for (size_t i = 0; i < n; i++) {
                if (s[i] == '\\' && i + 3 < n && s[i + 1] >= '0' && s[i + 1] <= '3' &&
                    s[i + 2] >= '0' && s[i + 2] <= '7' && s[i + 3] >= '0' && s[i + 3] <= '7') {
                        *w++ = (char) ((s[i + 1] - '0') << 6 | (s[i + 2] - '0') << 3 | (s[i + 3] - '0'));
                        i += 3;
                } else
                        *w++ = s[i];
        }
        *w = '\0';
        return s;
}

/* The next space-separated field of the line at *p (which ends at "end"), advancing *p; NULL at the end
 * of the line. */
static char *next_field(char **p, const char *end, size_t *ret_len) {
        char *s = *p, *e;

        while (s < end && *s == ' ')
                s++;
        if (s >= end)
                return NULL;
        for (e = s; e < end && *e != ' '; e++)
                ;
        *ret_len = (size_t) (e - s);
        *p = e;
        return s;
}

/* A decimal number that is the whole field, at most "max". */
static bool parse_decimal(const char *s, size_t n, unsigned long max, unsigned long *ret) {
        unsigned long v = 0;

        if (n == 0)
                return false;
        for (size_t i = 0; i < n; i++) {
                if (s[i] < '0' || s[i] > '9' || v > (max - (unsigned long) (s[i] - '0')) / 10)
                        return false;
                v = v * 10 + (unsigned long) (s[i] - '0');
        }
        *ret = v;
        return true;
}

/* "MAJOR:MINOR", each as the kernel prints it (decimal). */
static bool parse_devnum(const char *s, size_t n, dev_t *ret) {
        const char *colon = memchr(s, ':', n);
        unsigned long major, minor;

        if (!colon || !parse_decimal(s, (size_t) (colon - s), UINT32_MAX, &major) ||
            !parse_decimal(colon + 1, n - (size_t) (colon + 1 - s), UINT32_MAX, &minor))
                return false;
        *ret = makedev(major, minor);
        return true;
}

/* Splits the line [line, end) in place. */
static int parse_line(char *line, char *end, MountEntry *ret) {
        char *p = line, *f[5];
        size_t len[5];
        unsigned long id, parent;
        dev_t dev;

        for (size_t i = 0; i < ELEMENTSOF(f); i++) {
                f[i] = next_field(&p, end, len + i);
                if (!f[i])
                        return -EINVAL;
        }
        if (!parse_decimal(f[0], len[0], INT32_MAX, &id) || !parse_decimal(f[1], len[1], INT32_MAX, &parent) ||
            !parse_devnum(f[2], len[2], &dev) || f[3][0] != '/' || f[4][0] != '/')
                return -EINVAL;

        *ret = (MountEntry) {
                .id = (int) id,
                .parent_id = (int) parent,
                .dev = dev,
                .root = unescape_octal_in_place(f[3], len[3]),
                .where = unescape_octal_in_place(f[4], len[4]),
        };
        return 0;
}

/* Takes "text" (a NUL-terminated buffer), also on failure. */
static int mount_table_parse_owned(char *text, MountTable *ret, char **ret_error) {
        _cleanup_(mount_table_done) MountTable t = { .text = text };
        unsigned line = 0;
        size_t n_lines = 1;

        for (const char *c = text; (c = strchr(c, '\n')); c++)
                n_lines++;
        t.entries = calloc(n_lines, sizeof(MountEntry));
        if (!t.entries)
                return -ENOMEM;

        for (char *p = text; *p; ) {
                char *end = strchrnul(p, '\n'), *next = *end ? end + 1 : end;
                int r;

                line++;
                if (end > p) {
                        r = parse_line(p, end, t.entries + t.n);
                        if (r < 0) {
                                /* parse_line() changes a line only once it is known to be well-formed. */
                                _cleanup_free_ char *copy = strndup(p, (size_t) (end - p));

                                return set_error(ret_error, r, "mountinfo line %u is not \"ID PARENT MAJOR:MINOR ROOT "
                                                 "MOUNTPOINT ...\": %s", line, strna(copy));
                        }
                        t.n++;
                }
                p = next;
        }

        *ret = t;
        t = (MountTable) {};
        return 0;
}

int mount_table_parse(const char *text, MountTable *ret, char **ret_error) {
        char *copy;

        assert(text);
        assert(ret);

        copy = strdup(text);
        if (!copy)
                return -ENOMEM;
        return mount_table_parse_owned(copy, ret, ret_error);
}

int mount_table_read(MountTable *ret, char **ret_error) {
        _cleanup_close_ int fd = -EBADF;
        char *buf = NULL;
        int r;

        assert(ret);

        fd = openat(AT_FDCWD, "/proc/self/mountinfo", O_RDONLY|O_CLOEXEC);
        if (fd < 0)
                return set_error(ret_error, negative_errno(), "cannot open /proc/self/mountinfo: %m");
        r = read_full_fd(fd, &buf, NULL);
        if (r < 0)
                return set_error(ret_error, r, "cannot read /proc/self/mountinfo: %m");

        return mount_table_parse_owned(buf, ret, ret_error);
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
