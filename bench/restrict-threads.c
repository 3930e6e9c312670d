/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* How long process-wide restriction takes: the median over RUNS forked children of the time of
 * landlock_restrict_process() with 1, 64 and 1000 threads, through the userspace fallback and, when the
 * kernel has ABI ≥ 8, through TSYNC; the single-thread restriction measured in the same run is the
 * baseline for the ratios. Built with libpsx (libcap's, HAVE_PSX; linked with -Wl,-wrap,pthread_create
 * so that it knows every thread started here), it also times psx_syscall3(landlock_restrict_self), what
 * a program would use instead of our fallback, alternating with the fallback run by run; the "psx" rows
 * and the "fallback/psx" lines compare the two. Depends on libc and pthreads only otherwise, so it also
 * links statically. */

#include <pthread.h>
#if HAVE_PSX
#include <sys/psx_syscall.h>
#endif
#include <sys/prctl.h>
#include <sys/wait.h>
#include <time.h>

#include <assert.h>

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
        METHOD_PSX,             /* libpsx: every thread it started makes the system call */
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
#if HAVE_PSX
        if (m == METHOD_PSX)
                /* As root (CAP_SYS_ADMIN), no no_new_privs needed, as for the fallback here. */
                r = psx_syscall3(__NR_landlock_restrict_self, ruleset, 0, 0) < 0 ? -errno : 0;
        else
#endif
        r = landlock_restrict_process(ruleset, &(LandlockRestrictOptions) {
                        .abi = abi,
                        .process_wide = m != METHOD_THREAD,
                        .force_fallback = m == METHOD_FALLBACK,
                        /* Generous: a slow sweep (1000 threads under QEMU/TCG on a loaded host) is measured,
                         * never killed; the benchmark's result must not depend on the machine's speed. */
                        .timeout_usec = 60 * 1000 * 1000ULL,
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

/* One child's time in ns; 0 on failure. */
static uint64_t measure(unsigned abi, Method m, unsigned n) {
        uint64_t v = 0;
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
        if (read(p[0], &v, sizeof v) != sizeof v)
                v = 0;
        close(p[0]);
        (void) waitpid(pid, &status, 0);
        if (v == 0 || !WIFEXITED(status) || WEXITSTATUS(status) != 0) {
                fprintf(stderr, "method %d (%u threads) failed, status 0x%x\n", (int) m, n, status);
                return 0;
        }
        return v;
}

/* Medians over RUNS children of each of the n_methods methods, alternating run by run so that noise hits
 * every method alike; in ns, 0 on failure. */
static int medians(unsigned abi, const Method *methods, size_t n_methods, unsigned n, uint64_t *ret) {
        uint64_t v[4][RUNS];

        assert(n_methods <= 4);
        for (unsigned i = 0; i < RUNS; i++)
                for (size_t k = 0; k < n_methods; k++) {
                        v[k][i] = measure(abi, methods[k], n);
                        if (v[k][i] == 0)
                                return -1;
                }
        for (size_t k = 0; k < n_methods; k++) {
                qsort(v[k], RUNS, sizeof v[k][0], cmp_u64);
                ret[k] = v[k][RUNS / 2];
        }
        return 0;
}

static void row(const char *what, unsigned n, uint64_t ns, uint64_t base) {
        printf("%-10s %5u thread%s  %10.3f ms  %8.1fx\n", what, n, n == 1 ? " " : "s", ns / 1e6,
               base ? (double) ns / (double) base : 0.0);
}

/*   restrict-threads [--no-psx]     (--no-psx: the fallback and TSYNC only, as in the QEMU boot, where
 *                                     TCG makes every run slow and libpsx is compared on the host) */
int main(int argc, char *argv[]) {
        static const unsigned counts[] = { 1, 64, 1000 };
        Method methods[3] = { METHOD_FALLBACK };
        size_t n_methods = 1;
        uint64_t base, t[ELEMENTSOF(counts)][3];
        bool psx = HAVE_PSX && !(argc > 1 && streq(argv[1], "--no-psx"));
        int abi;

        abi = landlock_abi_probe();
        if (abi < 0) {
                fprintf(stderr, "Landlock is not available: %s\n", strerror(-abi));
                return 1;
        }
        printf("Landlock ABI %d; median of %d runs; ratio to the single-thread restriction\n", abi, RUNS);
        if (psx)
                methods[n_methods++] = METHOD_PSX;
        if (abi >= 8)
                methods[n_methods++] = METHOD_TSYNC;

        if (medians((unsigned) abi, (Method[]) { METHOD_THREAD }, 1, 1, &base) < 0)
                return 1;
        row("thread", 1, base, base);

        for (size_t i = 0; i < ELEMENTSOF(counts); i++)
                if (medians((unsigned) abi, methods, n_methods, counts[i], t[i]) < 0)
                        return 1;
        for (size_t k = 0; k < n_methods; k++)
                for (size_t i = 0; i < ELEMENTSOF(counts); i++)
                        row(methods[k] == METHOD_FALLBACK ? "fallback" : methods[k] == METHOD_PSX ? "psx" : "tsync",
                            counts[i], t[i][k], base);
        if (abi < 8)
                printf("tsync      (needs Landlock ABI 8, this kernel has %d)\n", abi);
        if (!HAVE_PSX)
                printf("psx        (not built: libpsx was not found, Debian: libcap-dev)\n");
        else if (psx)
                for (size_t i = 0; i < ELEMENTSOF(counts); i++)
                        printf("fallback/psx %4u threads: %.2f\n", counts[i], (double) t[i][0] / (double) t[i][1]);
        return 0;
}
