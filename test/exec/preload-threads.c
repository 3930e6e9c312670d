/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* LD_PRELOAD test library: its constructor starts threads before main(), the way a preloaded library
 * (Environment=LD_PRELOAD=…, /etc/ld.so.preload) may, and each thread keeps trying a forbidden access.
 * Used by test/exec/test-exec-enforcer.c and reusable in a container.
 *
 * Environment read:
 *   LLTEST_THREADS_TARGET         file each thread tries to open(O_RDONLY) in a loop; unset: the library
 *                                 starts nothing
 *   LLTEST_THREADS_LOG_FD         inherited descriptor (opened O_APPEND by the caller) records go to;
 *                                 unset: no records, the threads still run
 *   LLTEST_THREADS_COUNT          number of threads, default 2, at most 64
 *   LLTEST_THREADS_BLOCK_SIGNALS  "1": the threads block every signal (a userspace all-thread fallback
 *                                 cannot reach them; only TSYNC can)
 *
 * Records, one write(2) each: "<pid> <tid> <phase> <what> <result>\n", result "ok" or an errno name:
 *   phase 0, what "thread": an attempt by a thread before the marker (the constructor returns only once
 *                           every thread has made one);
 *   phase 1, what "main":   the marker. The library interposes execv() and execve(): the enforcer calls it
 *                           right after restricting, so the calling thread tries the access itself,
 *                           writes this record, and sets phase 1;
 *   phase 1, what "thread": an attempt by a thread after the marker. The interposed exec waits (at most
 *                           5 s) until every thread has made one such attempt, then writes
 *   phase 1, what "exec":   and calls the real exec.
 * So, between "main" and "exec" every thread has reported at least once whether it still has access
 * after the restriction. Records after "exec" come from the new program's own threads. */

#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#define MAX_THREADS 64

static const char *target;
static int log_fd = -1;
static unsigned n_threads;
static atomic_int phase;
static atomic_uint attempts_after[MAX_THREADS];
static atomic_uint threads_tried;       /* threads that made their first attempt */

static void record(int ph, const char *what, int error) {
        char buf[160];
        int n;

        if (log_fd < 0)
                return;
        n = snprintf(buf, sizeof buf, "%d %ld %d %s %s\n", (int) getpid(), (long) syscall(SYS_gettid), ph, what,
                     error == 0 ? "ok" : error == EACCES ? "EACCES" : strerror(error));
        (void) !write(log_fd, buf, n);
}

static int try_access(void) {
        int fd = open(target, O_RDONLY|O_CLOEXEC);
        if (fd < 0)
                return errno;
        close(fd);
        return 0;
}

static void *thread_main(void *arg) {
        unsigned i = (unsigned) (unsigned long) arg;

        for (bool first = true;; first = false) {
                int ph = atomic_load(&phase);
                int error = try_access();

                record(ph, "thread", error);
                if (first)
                        atomic_fetch_add(&threads_tried, 1);
                if (ph == 1)
                        atomic_fetch_add(&attempts_after[i], 1);
                usleep(500);
        }
        return NULL;
}

__attribute__((constructor)) static void preload_threads_start(void) {
        const char *e;
        sigset_t all, saved;

        target = getenv("LLTEST_THREADS_TARGET");
        if (!target)
                return;
        e = getenv("LLTEST_THREADS_LOG_FD");
        if (e)
                log_fd = atoi(e);
        e = getenv("LLTEST_THREADS_COUNT");
        n_threads = e ? (unsigned) atoi(e) : 2;
        if (n_threads > MAX_THREADS)
                n_threads = MAX_THREADS;

        /* Threads inherit the signal mask of their creator. */
        e = getenv("LLTEST_THREADS_BLOCK_SIGNALS");
        sigfillset(&all);
        if (e && strcmp(e, "1") == 0)
                pthread_sigmask(SIG_BLOCK, &all, &saved);
        unsigned started = 0;
        for (unsigned i = 0; i < n_threads; i++) {
                pthread_t t;
                if (pthread_create(&t, NULL, thread_main, (void *) (unsigned long) i) == 0) {
                        pthread_detach(t);
                        started++;
                }
        }
        if (e && strcmp(e, "1") == 0)
                pthread_sigmask(SIG_SETMASK, &saved, NULL);

        /* main() runs only once every thread has tried before any restriction: otherwise, on a loaded
         * machine, the records could have no attempt "before" at all. */
        while (atomic_load(&threads_tried) < started)
                usleep(100);
}

static void before_exec(void) {
        struct timespec start, now;

        if (!target || atomic_load(&phase) == 1)
                return;

        record(1, "main", try_access());
        atomic_store(&phase, 1);

        clock_gettime(CLOCK_MONOTONIC, &start);
        for (;;) {
                unsigned done = 0;
                for (unsigned i = 0; i < n_threads; i++)
                        done += atomic_load(&attempts_after[i]) > 0;
                if (done == n_threads)
                        break;
                clock_gettime(CLOCK_MONOTONIC, &now);
                if (now.tv_sec - start.tv_sec >= 5)
                        break;
                usleep(1000);
        }
        record(1, "exec", 0);
}

__attribute__((visibility("default"))) int execve(const char *path, char *const argv[], char *const envp[]);
int execve(const char *path, char *const argv[], char *const envp[]) {
        int (*real)(const char *, char *const[], char *const[]) = dlsym(RTLD_NEXT, "execve");
        before_exec();
        return real(path, argv, envp);
}

__attribute__((visibility("default"))) int execv(const char *path, char *const argv[]);
int execv(const char *path, char *const argv[]) {
        int (*real)(const char *, char *const[]) = dlsym(RTLD_NEXT, "execv");
        before_exec();
        return real(path, argv);
}
