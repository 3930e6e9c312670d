/* SPDX-License-Identifier: LGPL-2.1-or-later */

/* The enforcer binary, end to end, exec'ing busybox: what the policy allows works, what it does not is
 * denied; strict refuses (exit 246, the command never runs) what the kernel cannot enforce; with Landlock
 * disabled at boot, best effort runs the command unconfined with a warning and strict refuses. Under a
 * seccomp filter that makes the Landlock calls fail with ENOSYS, the enforcer must still tell the kernel
 * without Landlock (runs unconfined) from the kernel with it (refuses), or refuse when it cannot. */

#include <sys/stat.h>

#include "child-setup.h"
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

static Run enforce_after(int (*setup)(void), const char *options[], const char *command[]) {
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

        r.status = run_command_after(setup, (char *const *) argv, &r.out, &r.err);
        printf("# %s … -- %s %s: exit %d\n", options[0], command[0], command[1] ?: "", r.status);
        for (char *line = r.err, *e; line && *line; line = e ? e + 1 : NULL) {
                e = strchr(line, '\n');
                printf("#   stderr: %.*s\n", e ? (int) (e - line) : (int) strlen(line), line);
        }
        return r;
}

static Run enforce(const char *options[], const char *command[]) {
        return enforce_after(NULL, options, command);
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

/* ---- Seccomp filters over the Landlock calls ---- */

#define LANDLOCK_CALLS __NR_landlock_create_ruleset, __NR_landlock_add_rule, __NR_landlock_restrict_self

/* A hardened service's filter that has nothing to do with Landlock. */
static int deny_unrelated(void) {
        return TEST_SECCOMP_DENY(ENOSYS, __NR_acct, __NR_swapon);
}

/* Only lsm_list_modules() can tell (Linux ≥ 6.8; /init mounts no securityfs). */
static int hide_landlock(void) {
        return TEST_SECCOMP_DENY(ENOSYS, LANDLOCK_CALLS);
}

/* Only securityfs can tell. */
static int hide_landlock_and_lsm_list(void) {
        int r = test_private_security_dir(/* securityfs= */ true);
        return r < 0 ? r : TEST_SECCOMP_DENY(ENOSYS, LANDLOCK_CALLS, __NR_lsm_list_modules);
}

/* Nothing can tell. */
static int hide_everything(void) {
        int r = test_private_security_dir(/* securityfs= */ false);
        return r < 0 ? r : TEST_SECCOMP_DENY(ENOSYS, LANDLOCK_CALLS, __NR_lsm_list_modules);
}

/* A hardened service on a host: securityfs mounted, an allow-list filter that kills what it does not
 * name (here lsm_list_modules(), unknown to systemd 252), the Landlock calls allowed (the generator adds
 * them). */
static int allow_list_on_a_host(void) {
        int r = test_private_security_dir(/* securityfs= */ true);
        return r < 0 ? r : TEST_SECCOMP_KILL(__NR_lsm_list_modules);
}

/* The denied file, read through the enforcer after setup(). */
static Run enforce_cat_denied(int (*setup)(void)) {
        assert_enforcer_exists();
        ASSERT_OK(fixture_setup());
        return enforce_after(setup, (const char *[]) { "--path=" FIXTURE_DIR "/ro:ro", NULL },
                             (const char *[]) { BUSYBOX, "cat", FIXTURE_DIR "/denied/file", NULL });
}

static void assert_ran_unconfined(const Run *r) {
        ASSERT_EQ(r->status, 0);
        ASSERT_STREQ(r->out, "secret\n");
        ASSERT_TRUE(r->err && strstr(r->err, "UNCONFINED"));
}

static void assert_ran_confined(const Run *r) {
        ASSERT_EQ(r->status, 1);
        ASSERT_STREQ(r->out, "");
        ASSERT_TRUE(r->err && strstr(r->err, "Permission denied"));
}

static void assert_refused(const Run *r) {
        ASSERT_EQ(r->status, EXIT_LANDLOCK);
        ASSERT_STREQ(r->out, "");
        ASSERT_TRUE(r->err && strstr(r->err, "SystemCallFilter="));
}

TEST(enforcer_with_an_unrelated_filter_runs_as_without) {
        _cleanup_(run_done) Run r = {};
        int abi = expected_abi();

        r = enforce_cat_denied(deny_unrelated);
        if (abi == 0)
                assert_ran_unconfined(&r);
        else
                assert_ran_confined(&r);
}

/* Kernels with lsm_list_modules() know; 6.1 has none and no securityfs here: unsure, refused. */
TEST(enforcer_with_landlock_hidden_asks_lsm_list_modules) {
        _cleanup_(run_done) Run r = {};
        int abi = expected_abi();

        r = enforce_cat_denied(hide_landlock);
        if (abi == 0)
                assert_ran_unconfined(&r);
        else
                assert_refused(&r);
}

TEST(enforcer_with_landlock_and_lsm_list_hidden_asks_securityfs) {
        _cleanup_(run_done) Run r = {};
        int abi = expected_abi();

        r = enforce_cat_denied(hide_landlock_and_lsm_list);
        if (abi == 0)
                assert_ran_unconfined(&r);
        else {
                assert_refused(&r);
                ASSERT_TRUE(strstr(r.err, "/sys/kernel/security/lsm lists it"));
        }
}

/* Even where the kernel really lacks Landlock: nothing proves it, so best effort refuses too. */
TEST(enforcer_with_nothing_to_ask_refuses) {
        _cleanup_(run_done) Run r = {};

        r = enforce_cat_denied(hide_everything);
        assert_refused(&r);
        ASSERT_TRUE(strstr(r.err, "nothing here tells whether the kernel really lacks Landlock"));
}

TEST(enforcer_under_an_allow_list_asks_securityfs_only) {
        _cleanup_(run_done) Run r = {};
        int abi = expected_abi();

        r = enforce_cat_denied(allow_list_on_a_host);
        if (abi == 0)
                assert_ran_unconfined(&r);
        else
                assert_ran_confined(&r);
}
