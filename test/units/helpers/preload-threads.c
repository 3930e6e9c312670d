/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Loaded with Environment=LD_PRELOAD= into the enforcer: its constructor starts threads before main(),
 * the situation LandlockProcessWide= exists for. With LLTEST_THREADS_BLOCK_SIGNALS=1 the threads block
 * every signal with the raw system call (bypassing libc, which would keep its own signals open), so no
 * signal-based fallback can reach them: an all-or-nothing enforcer must then refuse to exec.
 */

#define _GNU_SOURCE
#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#define N_THREADS 4

static void *thread_main(void *userdata) {
        if (userdata) {
                unsigned long all = ~0UL;

                syscall(SYS_rt_sigprocmask, SIG_BLOCK, &all, NULL, sizeof all);
        }
        for (;;)
                pause();
        return NULL;
}

__attribute__((constructor)) static void start_threads(void) {
        const char *e = getenv("LLTEST_THREADS_BLOCK_SIGNALS");
        void *block = e && strcmp(e, "1") == 0 ? (void *) 1 : NULL;

        for (int i = 0; i < N_THREADS; i++) {
                pthread_t t;

                if (pthread_create(&t, NULL, thread_main, block) == 0)
                        pthread_detach(t);
        }
        /* Give the threads time to run their first instruction, so they exist for real at main(). */
        usleep(20 * 1000);
}
