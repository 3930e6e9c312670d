/* SPDX-License-Identifier: LGPL-2.1-or-later */

#include <assert.h>

#include "strv.h"
#include "systemd-version.h"

/* "libsystemd-shared-252.so", "libsystemd-core-256.11-1.fc41.so" → 252, 256; 0 for anything else. */
static unsigned version_of_library(const char *name) {
        const char *p, *dot;
        unsigned v = 0;

        p = startswith(name, "libsystemd-shared-") ?: startswith(name, "libsystemd-core-");
        if (!p || !endswith(name, ".so") || *p < '1' || *p > '9')
                return 0;
        for (; *p >= '0' && *p <= '9'; p++) {
                v = v * 10 + (*p - '0');
                if (v > 100000)
                        return 0;
        }
        dot = endswith(name, ".so");
        return p <= dot && strchr(".-~_", *p) ? v : 0;
}

static int scan_library_dir(const char *path, unsigned *version) {
        _cleanup_closedir_ DIR *d = opendir(path);
        struct dirent *de;

        if (!d)
                return 0;
        while ((de = readdir(d))) {
                unsigned v = version_of_library(de->d_name);

                if (v == 0)
                        continue;
                if (*version != 0 && *version != v)
                        return -ENOTUNIQ;
                *version = v;
        }
        return 0;
}

int systemd_version_detect(const char *root, unsigned *ret) {
        static const char * const libdirs[] = { "/usr/lib", "/usr/lib64", "/lib", "/lib64" };
        const char *r = isempty(root) || streq(root, "/") ? "" : root;
        unsigned version = 0;
        int k;

        assert(ret);

        for (size_t i = 0; i < ELEMENTSOF(libdirs); i++) {
                _cleanup_closedir_ DIR *d = NULL;
                _cleanup_free_ char *dir = NULL, *systemd = NULL;
                struct dirent *de;

                if (asprintf(&dir, "%s%s", r, libdirs[i]) < 0 || asprintf(&systemd, "%s/systemd", dir) < 0)
                        return -ENOMEM;
                k = scan_library_dir(systemd, &version);
                if (k < 0)
                        return k;

                /* Multiarch: /usr/lib/x86_64-linux-gnu/systemd, /usr/lib/aarch64-linux-gnu/systemd, … */
                d = opendir(dir);
                if (!d)
                        continue;
                while ((de = readdir(d))) {
                        _cleanup_free_ char *sub = NULL;

                        if (de->d_name[0] == '.' || !strstr(de->d_name, "-linux"))
                                continue;
                        if (asprintf(&sub, "%s/%s/systemd", dir, de->d_name) < 0)
                                return -ENOMEM;
                        k = scan_library_dir(sub, &version);
                        if (k < 0)
                                return k;
                }
        }

        if (version == 0)
                return -ENOENT;
        *ret = version;
        return 0;
}

bool systemd_version_is_verified(unsigned version) {
        return (version >= 252 && version <= 257) || version == 262;
}

bool systemd_refuses_empty_or_glob_section_names(unsigned version) {
        return !(version >= 252 && version <= 257);
}
