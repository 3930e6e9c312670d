/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/* Opening the paths of a compiled policy so that the service cannot redirect its own rules.
 *
 * Wherever a rule grants a right that creates, removes or renames directory entries (make-*, remove-*,
 * refer), the service may put a symlink, or replace one: that directory and everything beneath it is a
 * "writable area". A rule path followed through such a symlink at the next start would grant its rights
 * wherever the service chose. So each rule path is resolved here one component at a time, as the kernel
 * would resolve it, except that a symlink whose directory lies in a writable area is not followed.
 *
 * "Lies in" is decided on inodes, as Landlock decides it: the symlink's directory is in a writable area
 * if walking up ".." from it (which crosses mount points as Landlock's own walk does) meets the
 * directory of a writable rule, or if the service can see that directory at another path, through a bind
 * mount listed in the mount table (listmount(2) where the caller allows it and no seccomp filter is in
 * effect, else /proc/self/mountinfo), that lies beneath one. When that cannot be told (no /proc/self/mountinfo, a
 * mount outside the root directory), the symlink counts as writable.
 *
 * System calls; run in the service's mount namespace before restricting. The fd returned is the one the
 * rule must be added with: no path is looked up twice. */

#include <sys/stat.h>

#include "landlock-policy.h"
#include "mount-table.h"

/* The filesystem rights that create, remove or rename directory entries. */
#define LANDLOCK_ACCESS_FS_CHANGES_ENTRIES                                      \
        (LANDLOCK_ACCESS_FS_REMOVE_DIR | LANDLOCK_ACCESS_FS_REMOVE_FILE |       \
         LANDLOCK_ACCESS_FS_MAKE_CHAR | LANDLOCK_ACCESS_FS_MAKE_DIR |           \
         LANDLOCK_ACCESS_FS_MAKE_REG | LANDLOCK_ACCESS_FS_MAKE_SOCK |           \
         LANDLOCK_ACCESS_FS_MAKE_FIFO | LANDLOCK_ACCESS_FS_MAKE_BLOCK |         \
         LANDLOCK_ACCESS_FS_MAKE_SYM | LANDLOCK_ACCESS_FS_REFER)

/* At most this many symlinks per path, as the kernel (MAXSYMLINKS). */
#define LANDLOCK_RESOLVE_MAX_SYMLINKS 40

typedef struct LandlockWritableArea {
        const LandlockPathRule *rule;   /* the rule that grants entry rights there; NULL: the ruleset does
                                         * not handle some of these rights, so every directory is writable */
        int fd;                         /* O_PATH, found as the kernel resolves the rule path (following
                                         * every symlink: more areas than the rules grant, never fewer) */
        const char *path;               /* the rule path, when "fd" was opened crossing no symlink and the
                                         * path is in normal form: then it is the kernel's own path of
                                         * "fd"; else NULL (read from /proc/self/fd when needed) */
        struct stat st;                 /* of "fd" (a directory) */
        char **aliases;                 /* where the service sees it (computed when first needed) */
        int aliases_state;              /* 0: not computed, 1: computed, < 0: unknown (see message) */
        char *aliases_error;
} LandlockWritableArea;

/* A file a rule names that init() opened while looking for writable areas, crossing no symlink: the rule
 * is added with it, not with a second lookup of the same path. */
typedef struct LandlockOpenedFile {
        const LandlockPathRule *rule;
        int fd;
        struct stat st;
} LandlockOpenedFile;

typedef struct LandlockCheckedDir {
        dev_t dev;
        ino_t ino;
        char *reason;                   /* why it is (or counts as) writable; NULL: it is not */
} LandlockCheckedDir;

typedef struct LandlockResolver {
        int root_fd;
        struct stat root_st;
        bool root_ident_known;          /* root_mnt_id asked (statx(), only where a symlink is checked) */
        int root_mnt_id;                /* -1 if not asked yet, or the kernel does not say */
        LandlockWritableArea *areas;
        size_t n_areas;
        LandlockOpenedFile *files;
        size_t n_files;
        int opened_fd;                  /* what the last landlock_resolver_open() opened, or -EBADF */

        MountTable mounts;
        bool list_mounts;               /* try listmount(2) before /proc/self/mountinfo, where no seccomp
                                         * filter is in effect */
        int mounts_state;               /* 0: not read, 1: read, < 0: failed (see mounts_error) */
        char *mounts_error;

        LandlockCheckedDir *checked;    /* directories holding a symlink, checked once per build */
        size_t n_checked;
} LandlockResolver;

#define LANDLOCK_RESOLVER_INIT (LandlockResolver) { .root_fd = -EBADF, .root_mnt_id = -1, .opened_fd = -EBADF }

/* Opens the root directory and finds the writable areas of "c" (c must outlive the resolver). */
int landlock_resolver_init(LandlockResolver *r, const LandlockCompiled *c, char **ret_error);
void landlock_resolver_done(LandlockResolver *r);

/* Opens rule->path (O_PATH) and returns the fd, with its stat in *ret_st, unless ret_st->st_mode is 0:
 * then it was not needed to open the path safely and the caller stats the fd if it must know. The fd
 * stays the resolver's: valid until the next call or landlock_resolver_done(), never closed by the
 * caller (a writable area's is the area's own, no duplicate). Errors:
 *   -ENOENT, -ENOTDIR: the path does not exist (no message);
 *   -ELOOP: a symlink in a writable area, or too many symlinks (message in *ret_error, naming the
 *           symlink, its target and the reason);
 *   -EBUSY: a writable area was replaced while the ruleset was being built (message);
 *   others: a system call failed (message). */
int landlock_resolver_open(LandlockResolver *r, const LandlockPathRule *rule, struct stat *ret_st, char **ret_error);
