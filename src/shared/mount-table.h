/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/* The calling process's mount table (/proc/self/mountinfo, or listmount(2) and statmount(2)) and the
 * question the enforcer asks of it: at which paths can the process see a given directory? A directory is
 * one place in one filesystem; every mount of that filesystem whose root is at or above that place shows
 * it at one more path (bind mounts). Pure logic, except mount_table_read(), mount_table_list() and what
 * a listed table fetches when asked. */

#include <stdint.h>
#include <sys/syscall.h>
#include <sys/types.h>

#include "macro.h"

/* listmount(2) and statmount(2), numbered alike on every architecture but alpha and mips (there
 * /proc/self/mountinfo serves), where old headers lack them. */
#if defined(__alpha__) || defined(__mips__)
#  define HAVE_LISTMOUNT 0
#else
#  define HAVE_LISTMOUNT 1
#  ifndef __NR_statmount
#    define __NR_statmount 457
#  endif
#  ifndef __NR_listmount
#    define __NR_listmount 458
#  endif
#endif

typedef struct MountEntry {
        int id, parent_id;              /* the mount IDs of mountinfo, as statx(STATX_MNT_ID) reports them */
        dev_t dev;                      /* the filesystem, as mountinfo's major:minor (only compared within
                                         * the table: btrfs reports other st_dev values) */
        const char *root;               /* the directory of that filesystem mounted here: "/", "/srv/data" */
        const char *where;              /* the mount point, relative to the process's root directory; both
                                         * NULL in a listed table until a question needs them */
        uint64_t unique_id;             /* statmount()'s ID of the mount (listed tables only) */
        char *paths;                    /* owns root and where, once fetched (listed tables only) */
} MountEntry;

typedef struct MountTable {
        MountEntry *entries;
        size_t n;
        char *text;                     /* the mountinfo text, split in place: root and where point into it */
        const char *source;             /* where the table comes from, for messages */
        void *answer;                   /* statmount()'s answer buffer, kept for the next question */
        size_t answer_size;
} MountTable;

void mount_table_done(MountTable *t);

/* Parses mountinfo text (proc(5)); the \NNN escapes of paths are undone. On a malformed line returns
 * -EINVAL and a message naming the line. */
int mount_table_parse(const char *text, MountTable *ret, char **ret_error);
/* Reads and parses /proc/self/mountinfo. */
int mount_table_read(MountTable *ret, char **ret_error);

/* The same table from listmount(2) and statmount(2) (Linux 6.8), without /proc and without the text of
 * every mount: the IDs and filesystem of each mount at once (one statmount() per mount), the paths only
 * of the mounts of the filesystems a question below concerns (one more each). A mount not reachable from
 * the process's root directory shows no directory, as mountinfo leaves it out. -EOPNOTSUPP when the
 * kernel lacks the calls or something refuses them, -E2BIG with more than "max_mounts" mounts: then read
 * mountinfo. Call it only where no seccomp filter could kill the process for them. "root_mnt_id", if not
 * negative, is the mount ID (STATX_MNT_ID) of the root directory: found in the listing, it saves asking. */
int mount_table_list(MountTable *ret, size_t max_mounts, int root_mnt_id, char **ret_error);

/* Where the directory that the process sees at "path" through mount "mnt_id" lies in its filesystem:
 * *ret_dev and *ret_fs_path (caller frees). -ENOENT when the mount is not listed (mounts outside the
 * process's root directory are not) or "path" is not beneath its mount point. A listed table may fail
 * with statmount()'s error (-ENOENT too when the mount went away meanwhile). */
int mount_table_fs_path(MountTable *t, int mnt_id, const char *path, dev_t *ret_dev, char **ret_fs_path);

/* Every path at which the process may see directory "fs_path" of filesystem "dev": one per mount of
 * that filesystem whose root is at or above it. Mounts hidden beneath others count too, so the list may
 * hold more paths than are reachable, never fewer. A listed table may fail with statmount()'s error. */
int mount_table_aliases(MountTable *t, dev_t dev, const char *fs_path, char ***ret);

/* "/a/b" and "/a" are beneath "/a", "/ab" is not; everything is beneath "/". Returns what follows the
 * prefix ("" or "/b"), or NULL. Both paths must be absolute and normalized (no "//", no trailing "/"). */
const char *path_beneath(const char *path, const char *prefix) _pure_;
