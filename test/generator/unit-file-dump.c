/* SPDX-License-Identifier: LGPL-2.1-or-later */

/* unit-file-dump SYSTEMD_ROOT TREE UNIT DIR…: looks UNIT up in the search path DIR… beneath TREE and reads it
 * with the rules of the systemd installed beneath SYSTEMD_ROOT, then prints what the reader applied: one
 * "key KEY" line for each [Service] assignment whose key starts with "M" (the markers of
 * test/systemd-matrix/oracle.sh), in order, then "fatal …" and "ambiguous …" lines. The oracle compares the
 * keys with the unknown-key warnings systemd-analyze verify prints for the same tree. */

#include "strv.h"
#include "systemd-version.h"
#include "unit-file.h"
#include "unit-lookup.h"

int main(int argc, char *argv[]) {
        _cleanup_(unit_lookup_paths_done) UnitLookupPaths p = {};
        _cleanup_(unit_info_done) UnitInfo info = {};
        _cleanup_(unit_file_done) UnitFile u = UNIT_FILE_INIT;
        _cleanup_strv_free_ char **search = NULL;
        int r;

        if (argc < 5) {
                fprintf(stderr, "usage: %s SYSTEMD_ROOT TREE UNIT DIR…\n", argv[0]);
                return EXIT_FAILURE;
        }
        r = systemd_version_detect(argv[1], &u.systemd_version);
        if (r < 0) {
                fprintf(stderr, "No systemd found beneath %s: %s\n", argv[1], strerror(-r));
                return EXIT_FAILURE;
        }
        for (int i = 4; i < argc; i++)
                if (strv_extend(&search, argv[i]) < 0)
                        return EXIT_FAILURE;

        r = unit_lookup_paths_init_from(&p, UNIT_SCOPE_SYSTEM, argv[2], search);
        if (r >= 0)
                r = unit_lookup(&p, argv[3], &info);
        if (r >= 0)
                r = unit_info_load(&p, &info, &u, NULL);
        if (r < 0) {
                fprintf(stderr, "Failed to look up %s: %s\n", argv[3], strerror(-r));
                return EXIT_FAILURE;
        }

        printf("systemd %u\n", u.systemd_version);
        for (size_t i = 0; i < u.n_entries; i++)
                if (streq(u.entries[i].section, "Service") && u.entries[i].key[0] == 'M')
                        printf("key %s\n", u.entries[i].key);
        STRV_FOREACH(f, u.fatal)
                printf("fatal %s\n", *f);
        STRV_FOREACH(a, info.ambiguous_dropins)
                printf("ambiguous %s\n", *a);
        return EXIT_SUCCESS;
}
