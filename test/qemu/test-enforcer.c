/* SPDX-License-Identifier: LGPL-2.1-or-later */

/* The enforcer binary, end to end, exec'ing busybox: what the policy allows works, what it does not is
 * denied; strict refuses (exit 246, the command never runs) what the kernel cannot enforce; with Landlock
 * disabled at boot, best effort runs the command unconfined with a warning and strict refuses. */

#include <sys/stat.h>

#include "exec-exit.h"
#include "qemu-test.h"

#define BUSYBOX "/bin/busybox"

typedef struct Run {
        int status;
        char *out, *err;
} Run;

static void run_done(Run *r) {
        free(r->out);
        free(r->err);
}

static Run enforce(const char *options[], const char *command[]) {
        const char *argv[32];
        size_t n = 0;
        Run r = {};

        argv[n++] = enforcer_path();
        for (size_t i = 0; options[i]; i++)
                argv[n++] = options[i];
        argv[n++] = "--";
        for (size_t i = 0; command[i]; i++)
                argv[n++] = command[i];
        argv[n] = NULL;

        r.status = run_command((char *const *) argv, &r.out, &r.err);
        printf("# %s … -- %s %s: exit %d\n", options[0], command[0], command[1] ?: "", r.status);
        for (char *line = r.err, *e; line && *line; line = e ? e + 1 : NULL) {
                e = strchr(line, '\n');
                printf("#   stderr: %.*s\n", e ? (int) (e - line) : (int) strlen(line), line);
        }
        return r;
}

static void assert_enforcer_exists(void) {
        if (access(enforcer_path(), X_OK) < 0)
                test_fail(__FILE__, __LINE__, "%s: %m (is systemd-landlock-exec built?)", enforcer_path());
}

TEST(enforcer_runs_the_command_with_the_allowed_file) {
        _cleanup_(run_done) Run r = {};

        assert_enforcer_exists();
        ASSERT_OK(fixture_setup());
        r = enforce((const char *[]) { "--path=" FIXTURE_DIR "/ro:ro", NULL },
                    (const char *[]) { BUSYBOX, "cat", FIXTURE_DIR "/ro/file", NULL });
        ASSERT_EQ(r.status, 0);
        ASSERT_STREQ(r.out, "readable\n");
}

TEST(enforcer_denies_a_file_outside_the_policy) {
        _cleanup_(run_done) Run r = {};
        int abi = expected_abi();

        assert_enforcer_exists();
        ASSERT_OK(fixture_setup());
        r = enforce((const char *[]) { "--path=" FIXTURE_DIR "/ro:ro", NULL },
                    (const char *[]) { BUSYBOX, "cat", FIXTURE_DIR "/denied/file", NULL });
        if (abi == 0) {
                /* Disabled at boot, best effort: the command runs unconfined, and the enforcer says so. */
                ASSERT_EQ(r.status, 0);
                ASSERT_STREQ(r.out, "secret\n");
                ASSERT_TRUE(r.err && strstr(r.err, "UNCONFINED"));
                return;
        }
        ASSERT_EQ(r.status, 1);         /* busybox cat's own failure: it ran, and was denied */
        ASSERT_STREQ(r.out, "");
        ASSERT_TRUE(r.err && strstr(r.err, "Permission denied"));
}

TEST(enforcer_process_wide_yes_runs_the_command) {
        _cleanup_(run_done) Run r = {};
        int abi = expected_abi();

        assert_enforcer_exists();
        ASSERT_OK(fixture_setup());
        r = enforce((const char *[]) { "--path=" FIXTURE_DIR "/ro:ro", "--process-wide=yes", NULL },
                    (const char *[]) { BUSYBOX, "cat", FIXTURE_DIR "/ro/file", FIXTURE_DIR "/denied/file", NULL });
        ASSERT_EQ(r.status, abi == 0 ? 0 : 1);
        ASSERT_TRUE(r.out && startswith(r.out, "readable\n"));
}

/* Strict, with a right named one by one that needs ABI 9: refused before, run from ABI 9 on. The command
 * creates a marker, so "never ran" is checked, not assumed. */
TEST(enforcer_strict_refuses_what_the_kernel_lacks) {
        _cleanup_(run_done) Run r = {};
        const char *marker = FIXTURE_DIR "/rw/strict-marker";
        int abi = expected_abi();
        struct stat st;

        assert_enforcer_exists();
        ASSERT_OK(fixture_setup());
        (void) unlink(marker);
        r = enforce((const char *[]) { "--path=" FIXTURE_DIR "/rw:rw,resolve-unix", "--compat=strict", NULL },
                    (const char *[]) { BUSYBOX, "touch", marker, NULL });
        if (abi >= 9) {
                ASSERT_EQ(r.status, 0);
                ASSERT_OK(stat(marker, &st) < 0 ? -errno : 0);
        } else {
                ASSERT_EQ(r.status, EXIT_LANDLOCK);
                ASSERT_ERROR(stat(marker, &st) < 0 ? -errno : 0, ENOENT);
                ASSERT_TRUE(r.err && strstr(r.err, abi == 0 ? "Landlock" : "resolve-unix"));
        }
}

/* Strict asking only for what every Landlock kernel has: runs, unless Landlock is disabled. */
TEST(enforcer_strict_refuses_without_landlock) {
        _cleanup_(run_done) Run r = {};
        const char *marker = FIXTURE_DIR "/rw/strict-marker-2";
        int abi = expected_abi();
        struct stat st;

        assert_enforcer_exists();
        ASSERT_OK(fixture_setup());
        (void) unlink(marker);
        r = enforce((const char *[]) { "--path=" FIXTURE_DIR "/rw:rw", "--compat=strict", NULL },
                    (const char *[]) { BUSYBOX, "touch", marker, NULL });
        if (abi == 0) {
                ASSERT_EQ(r.status, EXIT_LANDLOCK);
                ASSERT_ERROR(stat(marker, &st) < 0 ? -errno : 0, ENOENT);
        } else {
                ASSERT_EQ(r.status, 0);
                ASSERT_OK(stat(marker, &st) < 0 ? -errno : 0);
        }
}

/* Best effort with nothing left that this kernel can enforce (UDP rules before ABI 10): the drop is
 * logged and the command runs, it is not refused. */
TEST(enforcer_best_effort_runs_when_everything_is_dropped) {
        _cleanup_(run_done) Run r = {};
        int abi = expected_abi();

        assert_enforcer_exists();
        r = enforce((const char *[]) { "--bind=udp:7201", NULL },
                    (const char *[]) { BUSYBOX, "echo", "ran", NULL });
        ASSERT_EQ(r.status, 0);
        ASSERT_STREQ(r.out, "ran\n");
        if (abi > 0 && abi < 10)
                ASSERT_TRUE(r.err && strstr(r.err, "bind-udp"));
}
