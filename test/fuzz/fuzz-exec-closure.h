/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/* Shared by fuzz-elf and fuzz-ld-so-cache: the readers of src/shared/exec-closure.c read files by path,
 * so the input is written to a file in a directory of the fuzzer's own (removed at exit), and the
 * closure's result is checked against what exec_closure_compute() promises. */

#include <fcntl.h>
#include <ftw.h>
#include <limits.h>
#include <sys/stat.h>

#include "exec-closure.h"
#include "fuzz.h"
#include "strv.h"

static char fuzz_dir[PATH_MAX];

static int fuzz_remove_one(const char *path, const struct stat *st, int flag, struct FTW *ftw) {
        return remove(path) < 0 ? -1 : 0;
}

static void fuzz_dir_remove(void) {
        (void) nftw(fuzz_dir, fuzz_remove_one, 16, FTW_DEPTH | FTW_PHYS);
}

/* Creates the directory once; returns "<dir>/<name>". */
static const char *fuzz_path(const char *name) {
        static char path[PATH_MAX];

        if (!fuzz_dir[0]) {
                snprintf(fuzz_dir, sizeof fuzz_dir, "%s/fuzz-exec-closure-XXXXXX", getenv("TMPDIR") ?: "/tmp");
                if (!mkdtemp(fuzz_dir))
                        abort();
                atexit(fuzz_dir_remove);
        }
        snprintf(path, sizeof path, "%s/%s", fuzz_dir, name);
        return path;
}

static void fuzz_write_file(const char *path, const uint8_t *data, size_t size, mode_t mode) {
        int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode);

        if (fd < 0 || (size > 0 && write(fd, data, size) != (ssize_t) size) || close(fd) < 0)
                abort();
}

/* The result: canonical absolute paths of existing files, no duplicates, the executable first. */
static void fuzz_assert_closure(const char *executable, char **files) {
        _cleanup_free_ char *canonical = realpath(executable, NULL);

        fuzz_assert(files && files[0], "an empty closure for %s", executable);
        fuzz_assert(canonical && streq(files[0], canonical), "the closure starts with %s, not %s", files[0],
                    strna(canonical));
        STRV_FOREACH(f, files) {
                _cleanup_free_ char *c = realpath(*f, NULL);

                fuzz_assert(c && streq(c, *f), "%s is not the canonical path of an existing file", *f);
                for (char *const *g = files; g < f; g++)
                        fuzz_assert(!streq(*g, *f), "%s is listed twice", *f);
        }
}
