/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/* The one whole-file reader. */

#include "macro.h"

/* Reads "fd" to its end (retrying on EINTR) into a NUL-terminated buffer; *ret_size (may be NULL) gets the
 * bytes read, NULs included. Returns 0 or -errno. */
int read_full_fd(int fd, char **ret, size_t *ret_size);

/* Reads a whole regular file (or /dev/null, which reads as empty) the same way. -EISDIR for a directory,
 * -EBADFD for anything else that is not a regular file (a FIFO or a device could never end), else -errno. */
int read_full_file(const char *path, char **ret, size_t *ret_size);

/* The same, "path" relative to the directory "dir_fd" (or AT_FDCWD). */
int read_full_file_at(int dir_fd, const char *path, char **ret, size_t *ret_size);
