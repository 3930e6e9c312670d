/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Loaded with Environment=LD_PRELOAD= or through /etc/ld.so.preload into every dynamically linked program
 * of a service: into a dynamic enforcer before its main() (the situation LandlockProcessWide= exists
 * for), and into the service's command; never into a statically linked enforcer.
 *
 * Its constructor tries to read $LLTEST_PRELOAD_TARGET (if set) and prints, on stdout, one line
 *   "preload constructor in EXE: read PATH: ok|EACCES|…"
 * then starts 4 threads, each of which prints once
 *   "preload thread in EXE: read PATH: …"
 * and then waits forever. EXE is the program it was loaded into (/proc/self/exe), so a case can tell the
 * enforcer from the command. The constructor returns once every thread has printed its line (at most 30 s).
 * With LLTEST_THREADS_BLOCK_SIGNALS=1 the threads block every signal with the raw system call (bypassing
 * libc, which would keep its own signals open), so no signal-based fallback can reach them: an
 * all-or-nothing enforcer must then refuse to exec.
 */

#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#define N_THREADS 4

static const char *target;
static char exe[PATH_MAX] = "?";
static atomic_int reported;

static void report(const char *who) {
        char line[2 * PATH_MAX + 64];
        const char *result = "ok";
        int fd, n;

        fd = open(target, O_RDONLY|O_CLOEXEC);
        if (fd < 0)
                result = strerrorname_np(errno) ?: "error";
        else
                close(fd);
        /* One write(2), so that lines of the threads never mix. */
        n = snprintf(line, sizeof line, "preload %s in %s: read %s: %s\n", who, exe, target, result);
        (void) !write(STDOUT_FILENO, line, n);
}

static void *thread_main(void *userdata) {
        if (userdata) {
                unsigned long all = ~0UL;

                syscall(SYS_rt_sigprocmask, SIG_BLOCK, &all, NULL, sizeof all);
        }
        if (target) {
                report("thread");
                atomic_fetch_add(&reported, 1);
        }
        for (;;)
                pause();
        return NULL;
}

__attribute__((constructor)) static void start_threads(void) {
        const char *e = getenv("LLTEST_THREADS_BLOCK_SIGNALS");
        void *block = e && strcmp(e, "1") == 0 ? (void *) 1 : NULL;
        struct timespec start, now;
        ssize_t n;

        n = readlink("/proc/self/exe", exe, sizeof exe - 1);
        if (n > 0)
                exe[n] = '\0';
        target = getenv("LLTEST_PRELOAD_TARGET");
        if (target)
                report("constructor");

        for (int i = 0; i < N_THREADS; i++) {
                pthread_t t;

                if (pthread_create(&t, NULL, thread_main, block) == 0)
                        pthread_detach(t);
        }

        /* Let the threads run their first instructions (and report), so they exist for real at main(). */
        if (!target) {
                usleep(20 * 1000);
                return;
        }
        clock_gettime(CLOCK_MONOTONIC, &start);
        do {
                usleep(1000);
                clock_gettime(CLOCK_MONOTONIC, &now);
        } while (atomic_load(&reported) < N_THREADS && now.tv_sec - start.tv_sec < 30);
}
