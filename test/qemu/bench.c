/* SPDX-License-Identifier: LGPL-2.1-or-later */

/* The restrict-threads benchmark (bench/restrict-threads.c) in the VM that has TSYNC, so that TSYNC and
 * the userspace fallback are timed in the same boot; prints its table and the fallback/TSYNC ratio per
 * thread count as "# bench:" lines for the host. Not a test: nothing here asserts a duration. */

#include "qemu-test.h"

#define BENCH_PATH "/usr/bin/restrict-threads"

typedef struct BenchRow {
        unsigned n;
        double fallback_ms, tsync_ms;
} BenchRow;

static void bench_parse_line(const char *line, BenchRow rows[], size_t n_rows) {
        char method[16];
        unsigned n;
        double ms;

        if (sscanf(line, "%15s %u %*s %lf ms", method, &n, &ms) != 3)
                return;
        for (size_t i = 0; i < n_rows; i++) {
                if (rows[i].n != n)
                        continue;
                if (streq(method, "fallback"))
                        rows[i].fallback_ms = ms;
                else if (streq(method, "tsync"))
                        rows[i].tsync_ms = ms;
        }
}

void bench_run(void) {
        _cleanup_free_ char *out = NULL, *err = NULL;
        BenchRow rows[] = { { .n = 1 }, { .n = 64 }, { .n = 1000 } };
        char *saveptr = NULL;
        int r;

        printf("# bench: %s (median of its runs, in this VM under TCG: compare ratios, not absolute times)\n",
               BENCH_PATH);
        /* libpsx is compared on the host (bench/run.sh): here, under TCG, it would only make the boot longer. */
        r = run_command((char *const[]) { (char *) BENCH_PATH, (char *) "--no-psx", NULL }, &out, &err);
        for (char *line = out ? strtok_r(out, "\n", &saveptr) : NULL; line; line = strtok_r(NULL, "\n", &saveptr)) {
                printf("# bench: %s\n", line);
                bench_parse_line(line, rows, ELEMENTSOF(rows));
        }
        if (r != 0) {
                printf("# bench: FAILED: exit status %d: %s\n", r, err ?: "");
                return;
        }
        for (size_t i = 0; i < ELEMENTSOF(rows); i++) {
                if (rows[i].fallback_ms <= 0 || rows[i].tsync_ms <= 0) {
                        printf("# bench: FAILED: no fallback/tsync row for %u threads\n", rows[i].n);
                        continue;
                }
                printf("# bench: ratio %4u threads: fallback %.3f ms / TSYNC %.3f ms = %.1fx\n", rows[i].n,
                       rows[i].fallback_ms, rows[i].tsync_ms, rows[i].fallback_ms / rows[i].tsync_ms);
        }
}
