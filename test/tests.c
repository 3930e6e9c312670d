/* SPDX-License-Identifier: LGPL-2.1-or-later */

#include <stdarg.h>
#include <stdlib.h>

#include <sched.h>
#include <sys/mount.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <unistd.h>

#include "tests.h"

TestCase *test_cases = NULL;
size_t test_n_cases = 0;

static jmp_buf test_jmp;
static const char *test_skip_reason;

void test_register(const char *name, void (*func)(void)) {
        test_cases = realloc(test_cases, (test_n_cases + 1) * sizeof(TestCase));
        if (!test_cases)
                abort();
        test_cases[test_n_cases++] = (TestCase) { name, func };
}

void test_fail(const char *file, int line, const char *fmt, ...) {
        va_list ap;

        printf("# %s:%d: ", file, line);
        va_start(ap, fmt);
        vprintf(fmt, ap);
        va_end(ap);
        printf("\n");
        fflush(stdout);
        longjmp(test_jmp, 1);
}

bool test_kernel_at_least(unsigned major, unsigned minor) {
        struct utsname u;
        unsigned a = 0, b = 0;

        if (uname(&u) < 0 || sscanf(u.release, "%u.%u", &a, &b) != 2)
                test_fail(__FILE__, __LINE__, "cannot read the kernel's release");
        return a > major || (a == major && b >= minor);
}

void test_in_mount_namespace(void (*fn)(void)) {
        int status;
        pid_t pid;

        fflush(stdout);
        pid = fork();
        if (pid < 0)
                test_fail(__FILE__, __LINE__, "fork: %m");
        if (pid == 0) {
                if (unshare(CLONE_NEWNS) < 0 || mount(NULL, "/", NULL, MS_REC|MS_PRIVATE, NULL) < 0) {
                        printf("# cannot set up a mount namespace: %m\n");
                        _exit(100);
                }
                fn();
                fflush(stdout);
                _exit(0);
        }
        if (waitpid(pid, &status, 0) != pid)
                test_fail(__FILE__, __LINE__, "waitpid: %m");
        if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
                test_fail(__FILE__, __LINE__, "the child in its mount namespace failed (status 0x%x)", status);
}

void test_skip(const char *why) {
        const char *ci = getenv("CI");

        if (ci && strcmp(ci, "true") == 0) {
                printf("# skip is a failure under CI: %s\n", why);
                longjmp(test_jmp, 1);
        }
        test_skip_reason = why;
        longjmp(test_jmp, 2);
}

int main(int argc, char *argv[]) {
        volatile unsigned failed = 0;

        /* Run in registration order, optionally only those named on the command line. */
        printf("1..%zu\n", test_n_cases);
        for (size_t i = 0; i < test_n_cases; i++) {
                bool selected = argc <= 1;

                for (int j = 1; j < argc; j++)
                        if (strcmp(argv[j], test_cases[i].name) == 0)
                                selected = true;
                if (!selected) {
                        printf("ok %zu - %s # SKIP not selected\n", i + 1, test_cases[i].name);
                        continue;
                }

                fflush(stdout);
                switch (setjmp(test_jmp)) {
                case 0:
                        test_cases[i].func();
                        printf("ok %zu - %s\n", i + 1, test_cases[i].name);
                        break;
                case 1:
                        printf("not ok %zu - %s\n", i + 1, test_cases[i].name);
                        failed++;
                        break;
                default:
                        printf("ok %zu - %s # SKIP %s\n", i + 1, test_cases[i].name, test_skip_reason);
                        break;
                }
                fflush(stdout);
        }
        return failed > 0 ? EXIT_FAILURE : EXIT_SUCCESS;
}
