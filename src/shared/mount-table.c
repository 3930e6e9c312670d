/* SPDX-License-Identifier: LGPL-2.1-or-later */

#include <fcntl.h>
#include <linux/stat.h>             /* struct statx, also for C libraries that have no statx() (musl < 1.2.5) */
#include <sys/syscall.h>
#include <sys/sysmacros.h>

#include "alloc-util.h"
#include "fileio.h"
#include "error-message.h"
#include "mount-table.h"
#include "strv.h"

void mount_table_done(MountTable *t) {
        if (!t)
                return;
        for (size_t i = 0; i < t->n; i++)
                free(t->entries[i].paths);
        free(t->entries);
        free(t->text);
        free(t->answer);
        *t = (MountTable) {};
}

/* A mount of something that is no directory tree shows no directory: nsfs prints its root as
 * "net:[4026531840]" (a bind mount of /proc/PID/ns/net, as "ip netns add" makes). */
static bool shows_directories(const MountEntry *m) {
        return m->root && m->root[0] == '/' && m->where && m->where[0] == '/';
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
        /* The root is a path but for filesystems of no directories (nsfs: "net:[4026531840]"); the mount
         * point is always one, mountinfo lists only mounts reachable from the root directory. */
        if (!parse_decimal(f[0], len[0], INT32_MAX, &id) || !parse_decimal(f[1], len[1], INT32_MAX, &parent) ||
            !parse_devnum(f[2], len[2], &dev) || f[4][0] != '/')
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

        r = mount_table_parse_owned(buf, ret, ret_error);
        if (r >= 0)
                ret->source = "/proc/self/mountinfo";
        return r;
}

/* ---- listmount(2) and statmount(2) ---- */

#define LSMT_ROOT_ID UINT64_MAX                 /* listmount(): the mounts beneath the root directory */
#define STATMOUNT_MASK_SB_BASIC 0x01U           /* sb_dev_major, sb_dev_minor… */
#define STATMOUNT_MASK_MNT_BASIC 0x02U          /* mnt_id, mnt_id_old, mnt_parent_id_old… */
#define STATMOUNT_MASK_MNT_ROOT 0x08U           /* mnt_root: the root of the mount in its filesystem */
#define STATMOUNT_MASK_MNT_POINT 0x10U          /* mnt_point: the mount point, from the root directory */
#define STATX_MASK_MNT_ID_UNIQUE 0x4000U        /* statx(): stx_mnt_id as statmount()'s ID (Linux 6.8) */

/* struct mnt_id_req, first version. Named apart from the kernel's header, which newer C libraries have. */
typedef struct MountIdRequest {
        uint32_t size;
        uint32_t spare;
        uint64_t mnt_id;
        uint64_t param;
} MountIdRequest;

/* struct statmount as Linux 6.8 defined it; later kernels add fields only in its spare space. */
typedef struct MountAnswer {
        uint32_t size;
        uint32_t spare1;
        uint64_t mask;
        uint32_t sb_dev_major, sb_dev_minor;
        uint64_t sb_magic;
        uint32_t sb_flags;
        uint32_t fs_type;
        uint64_t mnt_id, mnt_parent_id;
        uint32_t mnt_id_old, mnt_parent_id_old;
        uint64_t mnt_attr, mnt_propagation, mnt_peer_group, mnt_master, propagate_from;
        uint32_t mnt_root, mnt_point;
        uint64_t spare2[50];
        char str[];
} MountAnswer;

_Static_assert(sizeof(MountIdRequest) == 24, "struct mnt_id_req, version 0");
_Static_assert(sizeof(MountAnswer) == 512, "struct statmount before its strings");

/* Asks statmount() about mount "id" into t->answer, growing it while the strings do not fit. Returns what
 * of "mask" the answer holds (the kernel leaves out what it cannot say), or -errno. */
static int statmount_ask(MountTable *t, uint64_t id, uint64_t mask, uint64_t *ret_mask) {
        MountIdRequest req = { .size = sizeof req, .mnt_id = id, .param = mask };
        const MountAnswer *a;

        /* Room for the structure and two short paths: most answers. A longer one grows it. */
        if (!t->answer) {
                t->answer = malloc(1024);
                if (!t->answer)
                        return -ENOMEM;
                t->answer_size = 1024;
        }
        for (;;) {
#if HAVE_LISTMOUNT
                if (syscall(__NR_statmount, &req, t->answer, t->answer_size, 0) >= 0)
                        break;
#else
                errno = ENOSYS;
#endif
                if (errno != EOVERFLOW || t->answer_size >= 1024 * 1024)
                        return negative_errno();
                free(t->answer);
                t->answer = malloc(t->answer_size * 4);
                if (!t->answer)
                        return -ENOMEM;
                t->answer_size *= 4;
        }
        a = t->answer;
        /* An answer about another mount, or none at all (a filter that fakes success): not an answer. */
        if (!(a->mask & STATMOUNT_MASK_MNT_BASIC) || a->mnt_id != id)
                return -EBADMSG;
        *ret_mask = a->mask & mask;
        return 0;
}

static int list_add(MountTable *t, uint64_t id) {
        const MountAnswer *a;
        uint64_t got;
        int r;

        r = statmount_ask(t, id, STATMOUNT_MASK_SB_BASIC|STATMOUNT_MASK_MNT_BASIC, &got);
        if (r == -ENOENT)
                return 0;       /* unmounted meanwhile */
        if (r < 0)
                return r;
        if (got != (STATMOUNT_MASK_SB_BASIC|STATMOUNT_MASK_MNT_BASIC))
                return -EOPNOTSUPP;
        if (!GREEDY_REALLOC(t->entries, t->n + 1))
                return -ENOMEM;
        a = t->answer;
        t->entries[t->n++] = (MountEntry) {
                .id = (int) a->mnt_id_old,
                .parent_id = (int) a->mnt_parent_id_old,
                .dev = makedev(a->sb_dev_major, a->sb_dev_minor),
                .unique_id = id,
        };
        return 0;
}

int mount_table_list(MountTable *ret, size_t max_mounts, int root_mnt_id, char **ret_error) {
        _cleanup_(mount_table_done) MountTable t = { .source = "listmount()" };
        uint64_t ids[64], last = 0;
        bool root_listed = false;
        struct statx sx;
        long n;
        int r;

        assert(ret);

        if (!HAVE_LISTMOUNT)
                return -EOPNOTSUPP;
        do {
                MountIdRequest req = { .size = sizeof req, .mnt_id = LSMT_ROOT_ID, .param = last };

                n = syscall(__NR_listmount, &req, ids, ELEMENTSOF(ids), 0);
                if (n < 0) {
                        r = negative_errno();
                        return r == -ENOMEM ? r : -EOPNOTSUPP;
                }
                if (t.n + (size_t) n > max_mounts)
                        return -E2BIG;
                for (long i = 0; i < n; i++) {
                        r = list_add(&t, ids[i]);
                        if (r == -ENOMEM)
                                return r;
                        if (r < 0)
                                return -EOPNOTSUPP;
                        last = ids[i];
                }
        } while (n == (long) ELEMENTSOF(ids));

        /* The mount of the root directory itself, which not every kernel lists: asked for unless the
         * caller's ID of it is among those listed. */
        for (size_t i = 0; i < t.n && !root_listed; i++)
                root_listed = root_mnt_id >= 0 && t.entries[i].id == root_mnt_id;
        if (!root_listed) {
                if (syscall(__NR_statx, AT_FDCWD, "/", 0, STATX_MASK_MNT_ID_UNIQUE, &sx) < 0 ||
                    !(sx.stx_mask & STATX_MASK_MNT_ID_UNIQUE))
                        return -EOPNOTSUPP;
                for (size_t i = 0; i < t.n && sx.stx_mnt_id != 0; i++)
                        if (t.entries[i].unique_id == sx.stx_mnt_id)
                                sx.stx_mnt_id = 0;
                r = sx.stx_mnt_id != 0 ? list_add(&t, sx.stx_mnt_id) : 0;
                if (r == -ENOMEM)
                        return r;
                if (r < 0)
                        return -EOPNOTSUPP;
        }
        if (t.n == 0)
                return set_error(ret_error, -EOPNOTSUPP, "listmount() lists no mount");

        *ret = t;
        t = (MountTable) {};
        return 0;
}

/* The paths of "m", fetched once for a listed table. A mount that the root directory cannot reach has no
 * mount point: statmount() gives it an empty one (Linux 6.8…6.17) or none at all (6.18); it then shows no
 * directory, as mountinfo leaves it out. */
static int entry_paths(MountTable *t, MountEntry *m) {
        const MountAnswer *a;
        size_t room, root_len, point_len = 0;
        uint64_t got;
        int r;

        if (m->root || m->unique_id == 0)
                return 0;
        r = statmount_ask(t, m->unique_id, STATMOUNT_MASK_MNT_BASIC|STATMOUNT_MASK_MNT_ROOT|STATMOUNT_MASK_MNT_POINT,
                          &got);
        if (r < 0)
                return r;
        if (!(got & STATMOUNT_MASK_MNT_ROOT))
                return -EOPNOTSUPP;
        a = t->answer;
        room = t->answer_size - sizeof(MountAnswer);
        if (a->mnt_root >= room || ((got & STATMOUNT_MASK_MNT_POINT) && a->mnt_point >= room))
                return -EBADMSG;
        root_len = strnlen(a->str + a->mnt_root, room - a->mnt_root);
        if (got & STATMOUNT_MASK_MNT_POINT)
                point_len = strnlen(a->str + a->mnt_point, room - a->mnt_point);
        if (root_len == room - a->mnt_root || ((got & STATMOUNT_MASK_MNT_POINT) && point_len == room - a->mnt_point))
                return -EBADMSG;        /* not terminated */
        m->paths = malloc(root_len + 1 + point_len + 1);
        if (!m->paths)
                return -ENOMEM;
        memcpy(m->paths, a->str + a->mnt_root, root_len + 1);
        if (got & STATMOUNT_MASK_MNT_POINT)
                memcpy(m->paths + root_len + 1, a->str + a->mnt_point, point_len + 1);
        else
                m->paths[root_len + 1] = '\0';
        m->root = m->paths;
        m->where = m->paths + root_len + 1;
        return 0;
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

static MountEntry *mount_table_find(MountTable *t, int id) {
        for (size_t i = 0; i < t->n; i++)
                if (t->entries[i].id == id)
                        return t->entries + i;
        return NULL;
}

int mount_table_fs_path(MountTable *t, int mnt_id, const char *path, dev_t *ret_dev, char **ret_fs_path) {
        MountEntry *m;
        const char *rest;
        char *fs;
        int r;

        assert(t);
        assert(path);
        assert(ret_dev);
        assert(ret_fs_path);

        m = mount_table_find(t, mnt_id);
        if (!m)
                return -ENOENT;
        r = entry_paths(t, m);
        if (r < 0)
                return r;
        if (!shows_directories(m))
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

int mount_table_aliases(MountTable *t, dev_t dev, const char *fs_path, char ***ret) {
        _cleanup_strv_free_ char **l = NULL;

        assert(t);
        assert(fs_path);
        assert(ret);

        for (size_t i = 0; i < t->n; i++) {
                MountEntry *m = t->entries + i;
                const char *rest;
                char *a;
                int r;

                if (m->dev != dev)
                        continue;
                r = entry_paths(t, m);
                if (r < 0)
                        return r;
                if (!shows_directories(m))
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
