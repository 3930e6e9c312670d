/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/* The one whole-file reader, the path of an open file, and an fstat() believed only when the kernel
 * answered. */

#include <sys/stat.h>

#include "macro.h"

/* Reads "fd" to its end (retrying on EINTR) into a NUL-terminated buffer; *ret_size (may be NULL) gets the
 * bytes read, NULs included. Returns 0 or -errno. */
int read_full_fd(int fd, char **ret, size_t *ret_size);

/* Reads a whole regular file (or /dev/null, which reads as empty) the same way. -EISDIR for a directory,
 * -EBADFD for anything else that is not a regular file (a FIFO or a device could never end), else -errno. */
int read_full_file(const char *path, char **ret, size_t *ret_size);

/* The same, "path" relative to the directory "dir_fd" (or AT_FDCWD). */
int read_full_file_at(int dir_fd, const char *path, char **ret, size_t *ret_size);

/* The path of "fd" as the process sees it: the kernel's, from /proc/self/fd (one system call, where
 * resolving a path again walks it component by component). -EXDEV when the file was removed or is not
 * reachable from the process's root directory; else -errno (no /proc mounted: -ENOENT). */
int fd_get_path(int fd, char **ret);

/* A duplicate of "fd", close-on-exec, numbered 3 or above (as fcntl(F_DUPFD_CLOEXEC, 3), in one system
 * call: musl follows that fcntl() with an F_SETFD of its own, for kernels before 2.6.24). */
int fd_dup_cloexec(int fd);

/* fstat(), believed only if it names a file type: a seccomp filter that answers the call with 0
 * (SystemCallFilter=~fstat:0) fills in nothing, and -EBADMSG is returned then. (The C library may fill in
 * what its own buffer held: a caller that must know checks first that fstat() is the kernel's.) */
int fd_stat(int fd, struct stat *ret);
