/* SPDX-License-Identifier: LGPL-2.1-or-later */

#include <fcntl.h>
#include <limits.h>
#include <linux/openat2.h>
#include <linux/stat.h>             /* struct statx, also for C libraries that have no statx() (musl < 1.2.5) */
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/sysmacros.h>

#include "alloc-util.h"
#include "error-message.h"
#include "fileio.h"
#include "landlock-resolve.h"
#include "strv.h"

#ifndef __NR_openat2
#define __NR_openat2 437                /* the same on every architecture (Linux 5.6) */
#endif

#ifndef ST_NOSYMFOLLOW
#define ST_NOSYMFOLLOW 0x2000           /* statfs f_flags: mounted "nosymfollow" (Linux 5.10) */
#endif

/* Every right that changes entries but refer, which ABI 1 cannot handle and always denies. */
#define ENTRY_RIGHTS_HANDLED_BY_ABI_1 (LANDLOCK_ACCESS_FS_CHANGES_ENTRIES & ~LANDLOCK_ACCESS_FS_REFER)

/* Deep enough for any real tree; a deeper walk up is refused rather than cut short. */
#define MAX_DEPTH 4096

typedef struct Ident {
        dev_t dev;
        ino_t ino;
        int mnt_id;                     /* -1 if the kernel does not say */
} Ident;

/* The inode and mount of "fd", from statx(): asked only where a rule path crosses a symlink and a writable
 * area exists (a filter that does not know statx() may kill for it). An answer without the inode (a
 * filter answering 0) is none. */
static int fd_ident(int fd, Ident *ret) {
        struct statx sx = {};

        if (syscall(__NR_statx, fd, "", AT_EMPTY_PATH, STATX_INO | STATX_MNT_ID, &sx) < 0)
                return negative_errno();
        if (!(sx.stx_mask & STATX_INO))
                return -EBADMSG;
        *ret = (Ident) {
                .dev = makedev(sx.stx_dev_major, sx.stx_dev_minor),
                .ino = sx.stx_ino,
                .mnt_id = (sx.stx_mask & STATX_MNT_ID) ? (int) sx.stx_mnt_id : -1,
        };
        return 0;
}

/* The root directory's identity, asked once: -EBUSY if it is not the directory init() stat'ed. */
static int root_ident(LandlockResolver *r, Ident *ret) {
        if (!r->root_ident_known) {
                Ident id;
                int k;

                k = fd_ident(r->root_fd, &id);
                if (k < 0)
                        return k;
                if (id.dev != r->root_st.st_dev || id.ino != r->root_st.st_ino)
                        return -EBUSY;
                r->root_mnt_id = id.mnt_id;
                r->root_ident_known = true;
        }
        *ret = (Ident) { .dev = r->root_st.st_dev, .ino = r->root_st.st_ino, .mnt_id = r->root_mnt_id };
        return 0;
}

/* The directory a walk is at: "cur", or the root directory while "cur" is -EBADF. */
static int walk_fd(const LandlockResolver *r, int cur) {
        return cur >= 0 ? cur : r->root_fd;
}

static const char *display(const char *walked) {
        return isempty(walked) ? "/" : walked;
}

/* ---- Writable areas ---- */

static int open_without_symlinks(int dirfd, const char *path);

/* Absolute, without "//", "." or ".." components, and no trailing "/" (but for "/" itself): the form
 * the kernel gives a path of an open file, so that such a path opened crossing no symlink is that path. */
static bool path_is_normal(const char *p) {
        if (p[0] != '/')
                return false;
        if (p[1] == '\0')
                return true;
        for (const char *c = p; *c; ) {
                size_t n;

                c++;                    /* the '/' */
                n = strcspn(c, "/");
                if (n == 0 || (n == 1 && c[0] == '.') || (n == 2 && c[0] == '.' && c[1] == '.'))
                        return false;
                c += n;
        }
        return true;
}

static int area_add(LandlockResolver *r, const LandlockPathRule *rule, int fd, const struct stat *st,
                    const char *path) {

        if (!GREEDY_REALLOC(r->areas, r->n_areas + 1))
                return -ENOMEM;
        r->areas[r->n_areas++] = (LandlockWritableArea) {
                .rule = rule,
                .fd = fd,
                .path = path,
                .st = *st,
        };
        return 0;
}

static int file_add(LandlockResolver *r, const LandlockPathRule *rule, int fd, const struct stat *st) {

        if (!GREEDY_REALLOC(r->files, r->n_files + 1))
                return -ENOMEM;
        r->files[r->n_files++] = (LandlockOpenedFile) {
                .rule = rule,
                .fd = fd,
                .st = *st,
        };
        return 0;
}

int landlock_resolver_init(LandlockResolver *r, const LandlockCompiled *c, char **ret_error) {
        _cleanup_close_ int root = -EBADF;
        struct stat st;
        int k;

        assert(r);
        assert(c);

        *r = LANDLOCK_RESOLVER_INIT;
        r->list_mounts = c->list_mounts;

        /* Whether fstat() is the kernel's: on a descriptor no process can have open it fails with EBADF,
         * unless a seccomp filter answers it with 0 without running it. Areas, files and directories are
         * told apart by it. */
        if (fstat(INT_MAX, &st) >= 0)
                return set_error(ret_error, -EBADMSG, "fstat() of a descriptor that is not open succeeds: a seccomp "
                                 "filter answers it without running it (SystemCallFilter=~fstat:0?), and what a "
                                 "rule path names cannot be told");
        root = openat(AT_FDCWD, "/", O_PATH|O_DIRECTORY|O_CLOEXEC);   /* no fcntl() after it with musl */
        if (root < 0)
                return set_error(ret_error, negative_errno(), "cannot open the root directory: %m");
        k = fd_stat(root, &r->root_st);
        if (k < 0)
                return set_error(ret_error, k, "cannot stat the root directory: %m");

        /* compile() handles every filesystem right of the kernel, so this does not happen; if it did, the
         * service could change entries anywhere. */
        if (c->n_paths > 0 && (ENTRY_RIGHTS_HANDLED_BY_ABI_1 & ~c->handled_fs) != 0) {
                int fd = fd_dup_cloexec(root);

                if (fd < 0)
                        return set_error(ret_error, fd, "cannot duplicate a descriptor: %m");
                k = area_add(r, NULL, fd, &r->root_st, "/");
                if (k < 0) {
                        safe_close(fd);
                        return k;
                }
        }

        /* Found as the kernel finds them, following every symlink: if the service redirected one of these
         * too, the area is larger than what the rule will grant (the rule itself is refused later), which
         * only makes more symlinks count as writable. */
        for (size_t i = 0; i < c->n_paths; i++) {
                const LandlockPathRule *rule = c->paths + i;
                const char *path = NULL;
                int fd;

                if (rule->fd > 0 || !(rule->access & LANDLOCK_ACCESS_FS_CHANGES_ENTRIES))
                        continue;       /* an open file: no entries, nothing to resolve */
                fd = path_is_normal(rule->path) ? open_without_symlinks(AT_FDCWD, rule->path) : -ELOOP;
                if (fd >= 0)
                        path = rule->path;
                else
                        fd = openat(AT_FDCWD, rule->path, O_PATH|O_CLOEXEC);
                if (fd < 0)
                        continue;       /* missing or unreachable: opening the rule says so */
                k = fd_stat(fd, &st);
                if (k < 0) {
                        safe_close(fd);
                        return set_error(ret_error, k, "cannot stat %s: %m", rule->path);
                }
                if (!S_ISDIR(st.st_mode) && !path) {
                        safe_close(fd);
                        continue;       /* a file reached through a symlink: opening the rule finds it */
                }
                /* A file cannot carry these rights: no area, but the rule is added with this fd. */
                k = S_ISDIR(st.st_mode) ? area_add(r, rule, fd, &st, path) : file_add(r, rule, fd, &st);
                if (k < 0) {
                        safe_close(fd);
                        return k;
                }
        }

        r->root_fd = TAKE_FD(root);
        return 0;
}

void landlock_resolver_done(LandlockResolver *r) {
        if (!r)
                return;
        safe_close(r->root_fd);
        safe_close(r->opened_fd);
        for (size_t i = 0; i < r->n_files; i++)
                safe_close(r->files[i].fd);
        free(r->files);
        for (size_t i = 0; i < r->n_areas; i++) {
                safe_close(r->areas[i].fd);
                strv_free(r->areas[i].aliases);
                free(r->areas[i].aliases_error);
        }
        free(r->areas);
        mount_table_done(&r->mounts);
        free(r->mounts_error);
        for (size_t i = 0; i < r->n_checked; i++)
                free(r->checked[i].reason);
        free(r->checked);
        *r = LANDLOCK_RESOLVER_INIT;
}

/* Why "a" is a writable area, for messages: "/var/lib/foo, where the service may create, remove or
 * rename entries (rule from foo.service:7)". */
static char *area_to_string(const LandlockWritableArea *a) {
        _cleanup_free_ char *rights = NULL;
        const LandlockSource *src;
        char *s;
        int k;

        if (!a->rule) {
                rights = landlock_mask_to_string(LANDLOCK_KIND_FS, ENTRY_RIGHTS_HANDLED_BY_ABI_1);
                return asprintf(&s, "/, since the ruleset does not handle all of %s and the service may change "
                                "entries in any directory", strna(rights)) < 0 ? NULL : s;
        }
        src = &a->rule->source;
        if (src->file && src->line > 0)
                k = asprintf(&s, "%s, where the service may create, remove or rename entries (rule from %s:%u)",
                             a->rule->path, src->file, src->line);
        else if (src->file)
                k = asprintf(&s, "%s, where the service may create, remove or rename entries (rule from %s)",
                             a->rule->path, src->file);
        else
                k = asprintf(&s, "%s, where the service may create, remove or rename entries", a->rule->path);
        return k < 0 ? NULL : s;
}

/* ---- Is a directory in a writable area? ---- */

/* Whether "id" is the root directory: the same inode on the same mount (a bind mount of the root
 * directory elsewhere is another mount), whose ".." is itself. Not known without mount IDs. */
static bool is_root(const LandlockResolver *r, const Ident *id) {
        return id->mnt_id >= 0 && id->mnt_id == r->root_mnt_id && id->dev == r->root_st.st_dev &&
               id->ino == r->root_st.st_ino;
}

/* Walks up ".." from "fd" to the root directory. ".." at a mount's root goes to the parent of its mount
 * point, as Landlock's own walk up a path does, so this meets exactly the directories whose rules apply
 * to "fd" reached by this path. Returns 1, the area's index and how many steps up it is, or 0. */
static int area_on_dotdot_chain(LandlockResolver *r, int fd, const Ident *start, size_t *ret_index,
                                unsigned *ret_depth) {
        _cleanup_close_ int owned = -EBADF;
        Ident prev = {}, id = *start;
        int cur = fd, k;

        for (unsigned depth = 0; depth < MAX_DEPTH; depth++) {
                if (depth > 0) {
                        k = fd_ident(cur, &id);
                        if (k < 0)
                                return k;
                        if (id.dev == prev.dev && id.ino == prev.ino && id.mnt_id == prev.mnt_id)
                                return 0;       /* ".." of the root directory is itself */
                }
                for (size_t i = 0; i < r->n_areas; i++)
                        if (r->areas[i].st.st_dev == id.dev && r->areas[i].st.st_ino == id.ino) {
                                *ret_index = i;
                                *ret_depth = depth;
                                return 1;
                        }
                if (is_root(r, &id))
                        return 0;

                k = openat(cur, "..", O_PATH|O_DIRECTORY|O_CLOEXEC);
                if (k < 0)
                        return negative_errno();
                safe_close(owned);
                cur = owned = k;
                prev = id;
        }
        return -ELOOP;
}

/* Listing the table costs one statmount() per mount, and one more per mount of the filesystems a question
 * concerns; reading mountinfo costs about one and a half per mount, and opening /proc/self in a process
 * just started. With many mounts, most of them bind mounts of one filesystem (a hardened service's
 * namespace), listing costs more: beyond this many mounts, mountinfo is read. */
#define LIST_MOUNTS_MAX 32

static int mounts_load(LandlockResolver *r) {
        int k = -EOPNOTSUPP;

        if (r->mounts_state != 0)
                return 0;
        /* Asked here, where the table is needed, not at every start: a seccomp filter could kill us for a
         * call it does not know (systemd's allow-lists do), so no listing under any. */
        if (r->list_mounts && prctl(PR_GET_SECCOMP, 0, 0, 0, 0) == 0)
                k = mount_table_list(&r->mounts, LIST_MOUNTS_MAX, r->root_mnt_id, &r->mounts_error);
        if (k == -EOPNOTSUPP || k == -E2BIG) {
                r->mounts_error = mfree(r->mounts_error);
                k = mount_table_read(&r->mounts, &r->mounts_error);
        }
        if (k == -ENOMEM)
                return k;
        r->mounts_state = k < 0 ? k : 1;
        return 0;
}

/* Where the service sees directory "fd": 1 and the list in *ret_aliases; 0 and the reason in
 * *ret_unknown when that cannot be told. "known_path", if not NULL, is the kernel's path of "fd" (a normal
 * path it was reached at crossing no symlink); else it is read from /proc/self/fd. */
static int fd_aliases(LandlockResolver *r, int fd, const Ident *known, const char *known_path, char ***ret_aliases,
                      char **ret_unknown) {
        _cleanup_free_ char *read_path = NULL, *fs_path = NULL;
        const char *path = known_path;
        Ident id;
        dev_t dev;
        int k;

        k = mounts_load(r);
        if (k < 0)
                return k;
        if (r->mounts_state < 0)
                return set_error(ret_unknown, 0, "%s", strna(r->mounts_error)), 0;

        if (known)
                id = *known;
        else {
                k = fd_ident(fd, &id);
                if (k < 0)
                        return set_error(ret_unknown, k, "cannot stat it: %m"), 0;
        }
        if (id.mnt_id < 0)
                return set_error(ret_unknown, 0, "the kernel does not report its mount (STATX_MNT_ID)"), 0;
        if (!path) {
                k = fd_get_path(fd, &read_path);
                if (k == -ENOMEM)
                        return k;
                if (k < 0)
                        return set_error(ret_unknown, k, "its path cannot be read from /proc/self/fd: %m"), 0;
                path = read_path;
        }
        k = mount_table_fs_path(&r->mounts, id.mnt_id, path, &dev, &fs_path);
        if (k == -ENOMEM)
                return k;
        if (k == -ENOENT)
                return set_error(ret_unknown, 0, "its mount (ID %i, at %s) is not in %s, or went away, or shows no "
                                 "directory there", id.mnt_id, path, r->mounts.source), 0;
        if (k < 0)
                return set_error(ret_unknown, k, "its mount (ID %i, at %s) cannot be read: %m", id.mnt_id, path), 0;
        k = mount_table_aliases(&r->mounts, dev, fs_path, ret_aliases);
        if (k == -ENOMEM)
                return k;
        if (k < 0)
                return set_error(ret_unknown, k, "the mounts of its filesystem cannot be read: %m"), 0;
        return 1;
}

static int area_aliases(LandlockResolver *r, LandlockWritableArea *a) {
        int k;

        if (a->aliases_state == 0) {
                k = fd_aliases(r, a->fd, NULL, a->path, &a->aliases, &a->aliases_error);
                if (k < 0)
                        return k;
                a->aliases_state = k > 0 ? 1 : -EUCLEAN;
        }
        return 0;
}

/* Whether the service may reach directory "fd" at some other path, through a bind mount, beneath a
 * writable area. "shown" is the path the walk reached it at, component by component without following
 * any symlink: the kernel's own path of "fd". Returns 1 and the reason (or why it cannot be told) in
 * *ret_reason, or 0. */
static int area_by_alias(LandlockResolver *r, int fd, const Ident *id, const char *shown, char **ret_reason) {
        _cleanup_strv_free_ char **aliases = NULL;
        _cleanup_free_ char *unknown = NULL;
        int k;

        k = fd_aliases(r, fd, id, path_is_normal(shown) ? shown : NULL, &aliases, &unknown);
        if (k < 0)
                return k;
        if (k == 0)
                return set_error(ret_reason, 0, "it lies in %s, and whether the service can reach that through a "
                                 "bind mount beneath a directory where it may create or remove entries cannot be "
                                 "told: %s", shown, strna(unknown)) == -ENOMEM ? -ENOMEM : 1;

        for (size_t i = 0; i < r->n_areas; i++) {
                LandlockWritableArea *a = r->areas + i;

                k = area_aliases(r, a);
                if (k < 0)
                        return k;
                if (a->aliases_state < 0) {
                        _cleanup_free_ char *area = area_to_string(a);

                        return set_error(ret_reason, 0, "it lies in %s, and where the service sees %s cannot be "
                                         "told: %s", shown, strna(area), strna(a->aliases_error)) == -ENOMEM ? -ENOMEM : 1;
                }
                STRV_FOREACH(alias, aliases)
                        STRV_FOREACH(area_alias, a->aliases) {
                                _cleanup_free_ char *area = NULL;

                                if (!path_beneath(*alias, *area_alias))
                                        continue;
                                area = area_to_string(a);
                                if (!area)
                                        return -ENOMEM;
                                if (a->rule && streq(*area_alias, a->rule->path))
                                        k = set_error(ret_reason, 0, "it lies in %s, which the service can also "
                                                      "reach as %s through a bind mount, in or beneath %s",
                                                      shown, *alias, area);
                                else
                                        k = set_error(ret_reason, 0, "it lies in %s, which the service can also "
                                                      "reach as %s through a bind mount, in or beneath %s, which is %s",
                                                      shown, *alias, *area_alias, area);
                                return k < 0 ? k : 1;
                        }
        }
        return 0;
}

/* Whether directory "fd" (shown as "shown") lies in a writable area: 0, or 1 with the reason in
 * *ret_reason (owned by the resolver). Checked once per directory. */
static int directory_check(LandlockResolver *r, int fd, const char *shown, const char **ret_reason) {
        _cleanup_free_ char *reason = NULL;
        unsigned depth = 0;
        size_t index = 0;
        Ident id;
        int k;

        *ret_reason = NULL;
        if (r->n_areas == 0)
                return 0;

        /* The root directory's is needed anyway: the walk up ".." stops there (is_root()). */
        k = root_ident(r, &id);
        if (k >= 0 && fd != r->root_fd)
                k = fd_ident(fd, &id);
        if (k < 0)
                return k;
        for (size_t i = 0; i < r->n_checked; i++)
                if (r->checked[i].dev == id.dev && r->checked[i].ino == id.ino) {
                        *ret_reason = r->checked[i].reason;
                        return !!*ret_reason;
                }

        k = area_on_dotdot_chain(r, fd, &id, &index, &depth);
        if (k < 0)
                return k;
        if (k > 0) {
                _cleanup_free_ char *area = area_to_string(r->areas + index);

                if (!area)
                        return -ENOMEM;
                if (depth > 0)
                        k = asprintf(&reason, "it lies in %s, beneath %s", shown, area);
                else if (r->areas[index].rule && streq(shown, r->areas[index].rule->path))
                        k = asprintf(&reason, "it lies in %s", area);
                else    /* the same directory under another name (a bind mount, a symlink) */
                        k = asprintf(&reason, "it lies in %s, which is %s", shown, area);
                if (k < 0)
                        return -ENOMEM;
        } else {
                k = area_by_alias(r, fd, &id, shown, &reason);
                if (k < 0)
                        return k;
        }

        if (!GREEDY_REALLOC(r->checked, r->n_checked + 1))
                return -ENOMEM;
        r->checked[r->n_checked++] = (LandlockCheckedDir) { .dev = id.dev, .ino = id.ino, .reason = reason };
        *ret_reason = TAKE_PTR(reason);
        return !!*ret_reason;
}

/* ---- Resolving a rule path ---- */

/* The kernel's own conditions for following a symlink, which reading it does not check: a mount with
 * "nosymfollow" refuses (ELOOP); fs.protected_symlinks refuses a symlink in a sticky world-writable
 * directory owned by neither the follower nor the directory's owner (EACCES; applied whatever the
 * sysctl says). */
static bool sticky_world_writable(const struct stat *dir_st) {
        return (dir_st->st_mode & (S_ISVTX|S_IWOTH)) == (S_ISVTX|S_IWOTH);
}

/* "link_st" may be NULL where "dir_st" is not sticky_world_writable(): who owns the symlink does not
 * matter there. */
static int may_follow(int dirfd, const struct stat *dir_st, const struct stat *link_st) {
        struct statfs sfs;

        if (fstatfs(dirfd, &sfs) < 0)
                return negative_errno();
        if (sfs.f_flags & ST_NOSYMFOLLOW)
                return -ELOOP;
        if (!sticky_world_writable(dir_st))
                return 0;
        assert(link_st);
        if (link_st->st_uid == geteuid() || link_st->st_uid == dir_st->st_uid)
                return 0;
        return -EACCES;
}

/* The target of symlink "name" in "dirfd" (of "dirfd" itself with name ""). -EINVAL: not a symlink. */
static int read_link(int dirfd, const char *name, char **ret) {
        char buf[PATH_MAX];
        ssize_t n;

        n = readlinkat(dirfd, name, buf, sizeof buf);
        if (n < 0)
                return negative_errno();
        if ((size_t) n >= sizeof buf)
                return -ENAMETOOLONG;
        if (n == 0)
                return -ENOENT;         /* an empty symlink resolves to nothing */
        *ret = strndup(buf, (size_t) n);
        return *ret ? 0 : -ENOMEM;
}

static int walked_push(char **walked, const char *name) {
        char *s;

        if (asprintf(&s, "%s/%s", *walked, name) < 0)
                return -ENOMEM;
        free(*walked);
        *walked = s;
        return 0;
}

static void walked_pop(char *walked) {
        char *s = strrchr(walked, '/');

        if (s)
                *s = '\0';
}

/* A rule that grants entry rights on a directory must open the directory init() took as its area:
 * otherwise the areas checked are not the ones granted. It could only differ if something was replaced
 * meanwhile. */
static int verify_area(const LandlockResolver *r, const LandlockPathRule *rule, const struct stat *st, char **ret_error) {
        if (!(rule->access & LANDLOCK_ACCESS_FS_CHANGES_ENTRIES) || !S_ISDIR(st->st_mode))
                return 0;
        for (size_t i = 0; i < r->n_areas; i++)
                if (r->areas[i].rule == rule && r->areas[i].st.st_dev == st->st_dev && r->areas[i].st.st_ino == st->st_ino)
                        return 0;
        return set_error(ret_error, -EBUSY, "%s was replaced while the Landlock ruleset was being built", rule->path);
}

/* Follows the symlink "name" (target "target"), found in directory "dirfd" (shown as "walked", stat'ed
 * as "dir_st"; "link_st" as may_follow() takes it): replaces "*todo" (whose unresolved rest starts at
 * "rest") with its target and the rest, unless the symlink lies in a writable area. */
static int follow_symlink(LandlockResolver *r, const LandlockPathRule *rule, int dirfd, const struct stat *dir_st,
                          const char *walked, const char *name, const char *target, const struct stat *link_st,
                          unsigned *n_links, char **todo, const char *rest, char **ret_error) {
        _cleanup_free_ char *link = NULL, *next = NULL;
        const char *reason;
        int k;

        if (asprintf(&link, "%s/%s", walked, name) < 0)
                return -ENOMEM;

        if (++*n_links > LANDLOCK_RESOLVE_MAX_SYMLINKS)
                return set_error(ret_error, -ELOOP, "too many levels of symbolic links on the way to %s (more than %u, "
                                 "the last %s -> %s)", rule->path, LANDLOCK_RESOLVE_MAX_SYMLINKS, link, target);

        k = may_follow(dirfd, dir_st, link_st);
        if (k == -ELOOP)
                return set_error(ret_error, k, "the symlink %s -> %s on the way to %s is on a filesystem mounted "
                                 "nosymfollow", link, target, rule->path);
        if (k == -EACCES)
                return set_error(ret_error, k, "the symlink %s -> %s on the way to %s is in a sticky world-writable "
                                 "directory and owned by someone else (see fs.protected_symlinks)", link, target,
                                 rule->path);
        if (k < 0)
                return set_error(ret_error, k, "cannot stat the directory of the symlink %s: %m", link);

        k = directory_check(r, dirfd, display(walked), &reason);
        if (k == -ENOMEM)
                return k;
        if (k < 0)
                return set_error(ret_error, k, "cannot tell whether the service may change the symlink %s on the way "
                                 "to %s: %m", link, rule->path);
        if (k > 0)
                return set_error(ret_error, -ELOOP,
                                 "not following the symlink %s -> %s on the way to %s: %s. The service could make "
                                 "it point anywhere; name the symlink's target in the rule instead",
                                 link, target, rule->path, reason);

        if (asprintf(&next, "%s%s", target, rest) < 0)
                return -ENOMEM;
        free(*todo);
        *todo = TAKE_PTR(next);
        return 0;
}

/* The common case in one system call: a path without any symlink, opened by the kernel with symlinks
 * refused (".." physically, as the walk does), is exactly what the walk below would open from "dirfd".
 * Returns the fd; -ELOOP when the path has a symlink (or a loop); -ENOENT/-ENOTDIR when it is missing
 * before any symlink; another error (openat2() unknown or filtered by seccomp, EACCES…) leaves it to the
 * walk. */
static int open_without_symlinks(int dirfd, const char *path) {
        struct open_how how = {
                .flags = O_PATH|O_CLOEXEC,
                .resolve = RESOLVE_NO_SYMLINKS,
        };
        long fd;

        fd = syscall(__NR_openat2, dirfd, path, &how, sizeof how);
        if (fd < 0)
                return negative_errno();
        /* 0, 1 or 2 is ours only if stdin, stdout or stderr was closed: then it has O_CLOEXEC. Else a
         * filter answered 0 (SystemCallFilter=~openat2:0) and this is stdin: not to be used or closed;
         * the walk opens the path. */
        if (fd <= STDERR_FILENO && !(fcntl((int) fd, F_GETFD) & FD_CLOEXEC))
                return -EBADMSG;
        return (int) fd;
}

/* Where a walk through a path with symlinks stands. */
typedef struct Walk {
        char *todo;                     /* the path still to walk, from "pos" on (symlink targets spliced in) */
        size_t pos;
        char *walked;                   /* what was walked so far, for messages ("" at the root) */
        int cur;                        /* where we are; -EBADF: the root directory (borrowed) */
        unsigned n_links;
        bool link_ahead;                /* the kernel met a symlink in the rest of the path (ELOOP) */
} Walk;

static void walk_done(Walk *w) {
        w->todo = mfree(w->todo);
        w->walked = mfree(w->walked);
        w->cur = safe_close(w->cur);
}

/* The common case, a path without symlinks ("path" from "dirfd": the rule's path, or what is left of it
 * after a symlink), in one open. Returns 1 with *ret_fd, or the error, when that settles it; 0 when the
 * path must be walked component by component. */
static int resolver_open_direct(LandlockResolver *r, const LandlockPathRule *rule, int dirfd, const char *path,
                                bool *ret_link_ahead, struct stat *ret_st, int *ret_fd, char **ret_error) {
        _cleanup_close_ int fd = -EBADF;
        int k;

        fd = open_without_symlinks(dirfd, path);
        *ret_link_ahead = fd == -ELOOP;
        if (fd == -ENOENT || fd == -ENOTDIR)
                return fd;
        if (fd < 0)
                return 0;
        /* Only a rule that grants entry rights needs to know now what it opened; the others are added
         * without a stat (the kernel refuses directory rights on a file: the caller stats then). */
        if (rule->access & LANDLOCK_ACCESS_FS_CHANGES_ENTRIES) {
                k = fd_stat(fd, ret_st);
                if (k < 0)
                        return set_error(ret_error, k, "cannot stat %s: %m", rule->path);
                k = verify_area(r, rule, ret_st, ret_error);
                if (k < 0)
                        return k;
        } else
                *ret_st = (struct stat) {};     /* st_mode 0: not known */
        *ret_fd = TAKE_FD(fd);
        return 1;
}

/* "..", physically, as the kernel does: the parent of where we are, not of the text. */
static int walk_dotdot(LandlockResolver *r, Walk *w, char **ret_error) {
        int fd;

        fd = openat(walk_fd(r, w->cur), "..", O_PATH|O_DIRECTORY|O_CLOEXEC);
        if (fd < 0)
                return set_error(ret_error, negative_errno(), "cannot open %s/..: %m", display(w->walked));
        walked_pop(w->walked);
        safe_close(w->cur);
        w->cur = fd;
        return 0;
}

/* The directory a walk is at, stat'ed (the root directory's is known). */
static int walk_dir_stat(const LandlockResolver *r, const Walk *w, struct stat *ret, char **ret_error) {
        int k;

        if (w->cur < 0) {
                *ret = r->root_st;
                return 0;
        }
        k = fd_stat(w->cur, ret);
        if (k < 0)
                return set_error(ret_error, k, "cannot stat %s: %m", display(w->walked));
        return 0;
}

/* Follows symlink "name" of the directory the walk is at; the walk goes on at its target. */
static int walk_follow(LandlockResolver *r, const LandlockPathRule *rule, Walk *w, const struct stat *dir_st,
                       const char *name, const char *target, const struct stat *link_st, const char *rest,
                       char **ret_error) {
        int k;

        k = follow_symlink(r, rule, walk_fd(r, w->cur), dir_st, w->walked, name, target, link_st, &w->n_links,
                           &w->todo, rest, ret_error);
        if (k < 0)
                return k;
        w->pos = 0;
        if (w->todo[0] == '/') {
                /* An absolute target starts again at the root directory. */
                w->cur = safe_close(w->cur);
                w->walked[0] = '\0';
        }
        return 0;
}

/* One component "name" (followed by "rest"). Returns 0 to go on, 1 with *ret_fd and *ret_st when it is the
 * file or directory the path names, or an error. */
static int walk_step(LandlockResolver *r, const LandlockPathRule *rule, Walk *w, const char *name, const char *rest,
                     struct stat *ret_st, int *ret_fd, char **ret_error) {
        /* Not the last component, or followed by "/": must be a directory, as for the kernel. */
        bool want_dir = *rest == '/', have_dir_st = false;
        _cleanup_free_ char *target = NULL;
        _cleanup_close_ int fd = -EBADF;
        struct stat st, dir_st;
        int k;

        /* A directory is opened with O_DIRECTORY, which fails on a symlink (ENOTDIR): the common case costs
         * one openat(). */
        if (want_dir) {
                fd = openat(walk_fd(r, w->cur), name, O_PATH|O_NOFOLLOW|O_CLOEXEC|O_DIRECTORY);
                if (fd >= 0) {
                        k = walked_push(&w->walked, name);
                        if (k < 0)
                                return k;
                        safe_close(w->cur);
                        w->cur = TAKE_FD(fd);
                        return 0;
                }
                k = negative_errno();
                if (k == -ENOENT)
                        return k;
                if (k != -ENOTDIR && k != -ELOOP)
                        return set_error(ret_error, k, "cannot open %s/%s: %m", w->walked, name);
        }

        /* A symlink most likely (a directory's name that is none, or the kernel met one ahead): read without
         * opening it, one readlinkat(), where who owns it does not matter (not in a sticky world-writable
         * directory, see may_follow()). */
        if (want_dir || w->link_ahead) {
                k = walk_dir_stat(r, w, &dir_st, ret_error);
                if (k < 0)
                        return k;
                have_dir_st = true;
                if (!sticky_world_writable(&dir_st)) {
                        k = read_link(walk_fd(r, w->cur), name, &target);
                        if (k >= 0)
                                return walk_follow(r, rule, w, &dir_st, name, target, NULL, rest, ret_error);
                        if (k == -ENOMEM || k == -ENOENT)
                                return k;       /* -ENOENT: gone, or an empty symlink, which resolves to nothing */
                        if (k != -EINVAL)
                                return set_error(ret_error, k, "cannot read the symlink %s/%s on the way to %s: %m",
                                                 w->walked, name, rule->path);
                        if (want_dir)
                                return -ENOTDIR;        /* a file where a directory is needed */
                        /* The last component, not a symlink: opened below. */
                }
        }

        /* The last component may be a file, and needs fstat() anyway. */
        fd = openat(walk_fd(r, w->cur), name, O_PATH|O_NOFOLLOW|O_CLOEXEC);
        if (fd < 0) {
                k = negative_errno();
                if (k == -ENOENT || k == -ENOTDIR)
                        return k;
                return set_error(ret_error, k, "cannot open %s/%s: %m", w->walked, name);
        }
        k = fd_stat(fd, &st);
        if (k < 0)
                return set_error(ret_error, k, "cannot stat %s/%s: %m", w->walked, name);

        if (S_ISLNK(st.st_mode)) {
                if (!have_dir_st) {
                        k = walk_dir_stat(r, w, &dir_st, ret_error);
                        if (k < 0)
                                return k;
                }
                k = read_link(fd, "", &target);
                if (k == -ENOMEM)
                        return k;
                if (k < 0)
                        return set_error(ret_error, k, "cannot read the symlink %s/%s on the way to %s: %m",
                                         w->walked, name, rule->path);
                return walk_follow(r, rule, w, &dir_st, name, target, &st, rest, ret_error);
        }
        if (want_dir)
                return -ENOTDIR;        /* a file where a directory is needed */

        /* The last component, not a symlink: this is it. */
        k = verify_area(r, rule, &st, ret_error);
        if (k < 0)
                return k;
        *ret_st = st;
        *ret_fd = TAKE_FD(fd);
        return 1;
}

/* The path ended in a directory: where the walk stands. */
static int walk_finish(LandlockResolver *r, const LandlockPathRule *rule, Walk *w, struct stat *ret_st,
                       char **ret_error) {
        int k;

        if (w->cur < 0) {
                w->cur = fd_dup_cloexec(r->root_fd);
                if (w->cur < 0)
                        return set_error(ret_error, w->cur, "cannot duplicate a descriptor: %m");
        }
        k = fd_stat(w->cur, ret_st);
        if (k < 0)
                return set_error(ret_error, k, "cannot stat %s: %m", rule->path);
        k = verify_area(r, rule, ret_st, ret_error);
        if (k < 0)
                return k;
        return TAKE_FD(w->cur);
}

static int resolver_open(LandlockResolver *r, const LandlockPathRule *rule, struct stat *ret_st, char **ret_error) {
        _cleanup_(walk_done) Walk w = { .cur = -EBADF };
        int fd = -EBADF, k;

        k = rule->path[0] == '/' ?
                resolver_open_direct(r, rule, AT_FDCWD, rule->path, &w.link_ahead, ret_st, &fd, ret_error) : 0;
        if (k != 0)
                return k < 0 ? k : fd;

        /* A symlink on the way: one component at a time, checking each symlink before following it. */
        w.todo = strdup(rule->path);
        w.walked = strdup("");
        if (!w.todo || !w.walked)
                return -ENOMEM;

        for (;;) {
                _cleanup_free_ char *name = NULL;
                const char *p = w.todo + w.pos + strspn(w.todo + w.pos, "/"), *rest;
                size_t n;

                if (*p == '\0')
                        return walk_finish(r, rule, &w, ret_st, ret_error);
                n = strcspn(p, "/");
                name = strndup(p, n);
                if (!name)
                        return -ENOMEM;
                rest = p + n;
                w.pos = (size_t) (rest - w.todo);

                if (streq(name, "."))
                        continue;
                k = streq(name, "..") ? walk_dotdot(r, &w, ret_error) :
                        walk_step(r, rule, &w, name, rest, ret_st, &fd, ret_error);
                if (k == 0 && w.pos == 0)       /* a symlink followed: the rest in one open, if it can be */
                        k = resolver_open_direct(r, rule, walk_fd(r, w.cur), w.todo, &w.link_ahead, ret_st, &fd,
                                                 ret_error);
                if (k < 0)
                        return k;
                if (k > 0)
                        return fd;
        }
}

/* What init() opened for "rule" crossing no symlink, a writable area or a file: that very file, not a
 * second lookup of the same path (which verify_area() would then have to match to the area). Its fd,
 * borrowed, or -EBADF. */
static int opened_by_init(const LandlockResolver *r, const LandlockPathRule *rule, struct stat *ret_st) {
        for (size_t i = 0; i < r->n_areas; i++)
                if (r->areas[i].rule == rule && r->areas[i].path) {
                        *ret_st = r->areas[i].st;
                        return r->areas[i].fd;
                }
        for (size_t i = 0; i < r->n_files; i++)
                if (r->files[i].rule == rule) {
                        *ret_st = r->files[i].st;
                        return r->files[i].fd;
                }
        return -EBADF;
}

int landlock_resolver_open(LandlockResolver *r, const LandlockPathRule *rule, struct stat *ret_st, char **ret_error) {
        int fd;

        assert(r);
        assert(r->root_fd >= 0);
        assert(rule);
        assert(ret_st);

        r->opened_fd = safe_close(r->opened_fd);
        fd = opened_by_init(r, rule, ret_st);
        if (fd >= 0)
                return fd;
        fd = resolver_open(r, rule, ret_st, ret_error);
        if (fd >= 0)
                r->opened_fd = fd;
        return fd;
}
