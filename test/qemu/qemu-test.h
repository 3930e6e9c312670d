/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <sys/wait.h>

#include "landlock-abi.h"
#include "tests.h"

/* What the host expects of the kernel this VM runs (from the kernel command line). */
typedef struct QemuTestExpect {
        const char *name;
        int abi;                        /* 0: Landlock disabled at boot; -1: not given */
        uint32_t errata;
        bool bench;                     /* run the restrict-threads benchmark in this boot */
        const char *tap_device;         /* where the TAP lines go (a second serial port), NULL: stdout */
} QemuTestExpect;

extern QemuTestExpect expect;

/* The expected ABI; skips the test (a failure under CI) when the host did not say. */
int expected_abi(void);

/* Runs child(userdata) in a forked process and returns its exit status (128+N if killed by signal N), or
 * a negative errno if fork/wait failed. The child must not use the ASSERT_*() macros. */
int fork_and_wait(int (*child)(void *userdata), void *userdata);

/* Child exit codes the checks use; anything else is printed as is. */
enum {
        CHILD_OK = 0,
        CHILD_SETUP_FAILED = 90,        /* the test could not set up what it checks: a failure */
};

/* ---- qemu-util.c ---- */

#include "landlock-policy.h"
#include "landlock-restrict.h"
#include "landlock-ruleset.h"

#define FIXTURE_DIR "/tmp/lltest"

/* FIXTURE_DIR/{ro,rw,denied}/file and FIXTURE_DIR/sock/. */
int fixture_setup(void);
int loopback_up(void);

uint64_t access_from_string(const char *s);     /* through the project's own parser; aborts if invalid */
int probed_abi(void);                           /* the running kernel's ABI, 0 without Landlock */

/* Attempts: 0 or -errno. */
int try_open(const char *path, int flags);
int try_bind(int type, uint16_t port);
int try_connect(int type, uint16_t port);
int try_udp_sendto(uint16_t port);
int try_connect_unix(const char *path);
int listen_tcp(uint16_t port);                  /* listening fd on 127.0.0.1:port, or -errno */
int listen_unix(const char *path);

/* Prints one "#   what: result" line; returns 1 on a mismatch, 0 otherwise. */
int expect_result(const char *what, int r, int expected);

/* Compiles "p" for "abi" and builds the kernel ruleset; prints why on failure. */
int compile_and_build(const LandlockPolicy *p, unsigned abi, LandlockCompiled *c, int *ret_fd);
/* Restricts the calling thread only, with c's restrict flags. */
int restrict_self_with(int ruleset_fd, const LandlockCompiled *c);

/* Runs argv (argv[0] an absolute path) with stdout and stderr captured; returns the exit status (128+N if
 * killed by signal N) or a negative errno. */
int run_command(char *const argv[], char **ret_stdout, char **ret_stderr);
/* The same, after setup() ran in the child (0, or -errno and the child exits with CHILD_SETUP_FAILED). */
int run_command_after(int (*setup)(void), char *const argv[], char **ret_stdout, char **ret_stderr);

/* The enforcer under test: $LLTEST_ENFORCER, else where run.sh puts it in the initramfs. */
const char *enforcer_path(void);

/* bench.c: runs the restrict-threads benchmark and prints "# bench:" lines (lltest.bench=1). */
void bench_run(void);
