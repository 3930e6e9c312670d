/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* How long process-wide restriction takes: the median over RUNS forked children of the time of
 * landlock_restrict_process() with 1, 64 and 1000 threads, through the userspace fallback and, when the
 * kernel has ABI ≥ 8, through TSYNC; the single-thread restriction measured in the same run is the
 * baseline for the ratios. Depends on libc and pthreads only, so it also links statically. */

#include <pthread.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <time.h>

#include "landlock-restrict.h"

#define RUNS 21

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t cond = PTHREAD_COND_INITIALIZER;
static unsigned started;

static void *parked(void *arg _unused_) {
        pthread_mutex_lock(&lock);
        started++;
        pthread_cond_broadcast(&cond);
        for (;;)
                pthread_cond_wait(&cond, &lock);
        return NULL;
}

static uint64_t now_nsec(void) {
        struct timespec ts;

        clock_gettime(CLOCK_MONOTONIC, &ts);
        return (uint64_t) ts.tv_sec * 1000000000ULL + (uint64_t) ts.tv_nsec;
}

typedef enum Method {
        METHOD_THREAD,          /* the calling thread only: the baseline */
        METHOD_FALLBACK,
        METHOD_TSYNC,
} Method;

/* In a child: start n-1 parked threads, restrict, write the time in ns to fd. */
static int child_measure(int fd, unsigned abi, Method m, unsigned n) {
        struct landlock_ruleset_attr attr = { .handled_access_fs = LANDLOCK_ACCESS_FS_MAKE_BLOCK };
        pthread_attr_t a;
        uint64_t t0, t;
        int ruleset, r;

        pthread_attr_init(&a);
        pthread_attr_setstacksize(&a, 64 * 1024);
        for (unsigned i = 1; i < n; i++) {
                pthread_t id;

                if (pthread_create(&id, &a, parked, NULL) != 0)
                        return 2;
        }
        pthread_mutex_lock(&lock);
        while (started < n - 1)
                pthread_cond_wait(&cond, &lock);
        pthread_mutex_unlock(&lock);

        ruleset = landlock_create_ruleset(&attr, landlock_ruleset_attr_size(1), 0);
        if (ruleset < 0)
                return 3;

        t0 = now_nsec();
        r = landlock_restrict_process(ruleset, &(LandlockRestrictOptions) {
                        .abi = abi,
                        .process_wide = m != METHOD_THREAD,
                        .force_fallback = m == METHOD_FALLBACK,
                }, NULL);
        t = now_nsec() - t0;
        if (r < 0)
                return 4;
        return write(fd, &t, sizeof t) == sizeof t ? 0 : 5;
}

static int cmp_u64(const void *a, const void *b) {
        uint64_t x = *(const uint64_t *) a, y = *(const uint64_t *) b;
        return x < y ? -1 : x > y;
}

/* Median over RUNS children, in ns; 0 on failure. */
static uint64_t median(unsigned abi, Method m, unsigned n) {
        uint64_t v[RUNS];

        for (unsigned i = 0; i < RUNS; i++) {
                int p[2], status;
                pid_t pid;

                if (pipe(p) < 0)
                        return 0;
                pid = fork();
                if (pid < 0)
                        return 0;
                if (pid == 0) {
                        close(p[0]);
                        _exit(child_measure(p[1], abi, m, n));
                }
                close(p[1]);
                if (read(p[0], &v[i], sizeof v[i]) != sizeof v[i])
                        v[i] = 0;
                close(p[0]);
                (void) waitpid(pid, &status, 0);
                if (v[i] == 0 || !WIFEXITED(status) || WEXITSTATUS(status) != 0) {
                        fprintf(stderr, "run %u (%u threads) failed, status 0x%x\n", i, n, status);
                        return 0;
                }
        }
        qsort(v, RUNS, sizeof v[0], cmp_u64);
        return v[RUNS / 2];
}

static void row(const char *what, unsigned n, uint64_t ns, uint64_t base) {
        printf("%-10s %5u thread%s  %10.3f ms  %8.1fx\n", what, n, n == 1 ? " " : "s", ns / 1e6,
               base ? (double) ns / (double) base : 0.0);
}

int main(void) {
        static const unsigned counts[] = { 1, 64, 1000 };
        uint64_t base;
        int abi;

        abi = landlock_abi_probe();
        if (abi < 0) {
                fprintf(stderr, "Landlock is not available: %s\n", strerror(-abi));
                return 1;
        }
        printf("Landlock ABI %d; median of %d runs; ratio to the single-thread restriction\n", abi, RUNS);

        base = median((unsigned) abi, METHOD_THREAD, 1);
        if (base == 0)
                return 1;
        row("thread", 1, base, base);

        for (size_t i = 0; i < ELEMENTSOF(counts); i++) {
                uint64_t t = median((unsigned) abi, METHOD_FALLBACK, counts[i]);

                if (t == 0)
                        return 1;
                row("fallback", counts[i], t, base);
        }
        for (size_t i = 0; i < ELEMENTSOF(counts); i++) {
                uint64_t t;

                if (abi < 8) {
                        printf("tsync      (needs Landlock ABI 8, this kernel has %d)\n", abi);
                        break;
                }
                t = median((unsigned) abi, METHOD_TSYNC, counts[i]);
                if (t == 0)
                        return 1;
                row("tsync", counts[i], t, base);
        }
        return 0;
}
