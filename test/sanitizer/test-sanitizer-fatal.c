/* SPDX-License-Identifier: LGPL-2.1-or-later */

/* Each finding is made in a forked child, which must die with the sanitizer's report instead of carrying
 * on: UndefinedBehaviorSanitizer built with -fno-sanitize-recover, AddressSanitizer, and LeakSanitizer at
 * exit (detect_leaks=1 in $ASAN_OPTIONS, as test/sanitize.sh sets it). */

#include <sys/wait.h>

#include "macro.h"
#include "tests.h"

static int cmp_int(const void *a, const void *b) {
        return *(const int *) a - *(const int *) b;
}

static void overflow_signed_int(void) {
        volatile int i = INT32_MAX;

        i = i + 1;
        printf("%d\n", i);
}

static void bsearch_null_array(void) {
        int key = 1, *volatile base = NULL;

        /* The finding the restriction fallback had: nonnull argument, even for zero elements. */
        printf("%p\n", bsearch(&key, base, 0, sizeof(int), cmp_int));
}

static void read_past_heap_buffer(void) {
        char *volatile p = malloc(8);
        volatile size_t i = 8;

        printf("%d\n", p[i]);
        free(p);
}

static void *volatile leaked;

static void leak_and_exit(void) {
        leaked = malloc(64);
        leaked = NULL;
        exit(EXIT_SUCCESS);     /* not _exit(): LeakSanitizer checks at exit */
}

/* Runs "fn" in a child; returns its wait status, and its stderr in "err". */
static int run_child(void (*fn)(void), char *err, size_t size) {
        int pipefd[2], status;
        size_t n = 0;
        ssize_t k;
        pid_t pid;

        ASSERT_OK(pipe(pipefd));
        fflush(stdout);
        pid = fork();
        ASSERT_TRUE(pid >= 0);
        if (pid == 0) {
                close(pipefd[0]);
                dup2(pipefd[1], STDOUT_FILENO);
                dup2(pipefd[1], STDERR_FILENO);
                fn();
                _exit(0);       /* the finding did not stop us */
        }
        close(pipefd[1]);
        while (n < size - 1 && (k = read(pipefd[0], err + n, size - 1 - n)) > 0)
                n += k;
        err[n] = '\0';
        close(pipefd[0]);
        ASSERT_EQ(waitpid(pid, &status, 0), pid);
        return status;
}

static void assert_child_stopped(void (*fn)(void), const char *report) {
        char err[16384];
        int status = run_child(fn, err, sizeof err);
        const char *found = strstr(err, report);

        printf("# child status 0x%x, output %zu bytes\n", status, strlen(err));
        ASSERT_FALSE(WIFEXITED(status) && WEXITSTATUS(status) == 0);
        if (!found)
                test_fail(__FILE__, __LINE__, "child output lacks \"%s\": %s", report, err);
        printf("# %.*s\n", (int) strcspn(found, "\n"), found);
}

TEST(signed_overflow_stops_the_program) {
        assert_child_stopped(overflow_signed_int, "runtime error: signed integer overflow");
}

TEST(bsearch_on_a_null_array_stops_the_program) {
        assert_child_stopped(bsearch_null_array, "runtime error: null pointer passed as argument 2");
}

TEST(heap_buffer_overflow_stops_the_program) {
        assert_child_stopped(read_past_heap_buffer, "AddressSanitizer: heap-buffer-overflow");
}

TEST(leak_fails_the_exit) {
        assert_child_stopped(leak_and_exit, "LeakSanitizer: detected memory leaks");
}
