/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/* Building throwaway unit trees for the lookup and generator tests. */

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "tests.h"

static inline void mkdir_parents(const char *path) {
        char buf[4096];

        snprintf(buf, sizeof(buf), "%s", path);
        for (char *s = buf + 1; *s; s++)
                if (*s == '/') {
                        *s = '\0';
                        (void) mkdir(buf, 0755);
                        *s = '/';
                }
}

static inline void tree_write(const char *root, const char *rel, const char *content) {
        char path[4096];
        FILE *f;

        snprintf(path, sizeof(path), "%s/%s", root, rel);
        mkdir_parents(path);
        f = fopen(path, "we");
        ASSERT_TRUE(f);
        fputs(content, f);
        ASSERT_EQ(fclose(f), 0);
}

static inline void tree_symlink(const char *root, const char *rel, const char *target) {
        char path[4096];

        snprintf(path, sizeof(path), "%s/%s", root, rel);
        mkdir_parents(path);
        ASSERT_EQ(symlink(target, path), 0);
}

static inline char *tree_new(void) {
        char *t = strdup("/tmp/test-generator-XXXXXX");

        ASSERT_TRUE(t && mkdtemp(t));
        return t;
}

static inline void tree_remove(const char *root) {
        char cmd[4200];

        /* Only ever our own mkdtemp() directory. */
        if (root && strncmp(root, "/tmp/test-generator-", 20) == 0) {
                snprintf(cmd, sizeof(cmd), "rm -rf -- '%s'", root);
                (void) system(cmd);
        }
}
