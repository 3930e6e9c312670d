/* SPDX-License-Identifier: LGPL-2.1-or-later */

/* Process-wide restriction reaches every sibling thread, including threads created while it runs: through
 * TSYNC on ABI ≥ 8, through the userspace fallback on older kernels (and forced on newer ones). The
 * fallback is all or nothing: a thread that cannot be reached gets the whole process killed. And the
 * ABI 11 NO_NEW_PRIVS restrict flag is what meets the no_new_privs requirement where the kernel has it. */

#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <sys/prctl.h>

#include "qemu-test.h"

#define N_PRESTARTED 16
#define N_SPAWN_MAX  200        /* threads the spawner creates while the restriction runs, at most */

static struct {
        atomic_bool check;              /* the restriction returned: every thread tries the denied file */
        atomic_bool stop_spawning;
        atomic_uint n_created, n_checked, n_unconfined;
} threads;

static void *worker(void *arg) {
        while (!atomic_load(&threads.check))
                usleep(200);
        if (try_open(FIXTURE_DIR "/denied/file", O_RDONLY) != -EACCES)
                atomic_fetch_add(&threads.n_unconfined, 1);
        atomic_fetch_add(&threads.n_checked, 1);
        return NULL;
}

static int start_worker(void) {
        pthread_attr_t attr;
        pthread_t t;
        int r;

        (void) pthread_attr_init(&attr);
        (void) pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
        (void) pthread_attr_setstacksize(&attr, 64 * 1024);
        atomic_fetch_add(&threads.n_created, 1);
        r = pthread_create(&t, &attr, worker, NULL);
        if (r != 0)
                atomic_fetch_sub(&threads.n_created, 1);
        (void) pthread_attr_destroy(&attr);
        return -r;
}

/* Keeps creating threads until told to stop, so some are born while the restriction is in progress. */
static void *spawner(void *arg) {
        unsigned n = 0;

        while (!atomic_load(&threads.stop_spawning) && n < N_SPAWN_MAX) {
                if (start_worker() == 0)
                        n++;
                usleep(100);
        }
        return NULL;
}

typedef struct ThreadsMode {
        bool force_fallback;
} ThreadsMode;

static int child_process_wide(void *userdata) {
        const ThreadsMode *mode = userdata;
        _cleanup_(landlock_policy_done) LandlockPolicy p = LANDLOCK_POLICY_INIT;
        _cleanup_(landlock_compiled_done) LandlockCompiled c = {};
        _cleanup_close_ int fd = -EBADF;
        LandlockRestrictResult result = {};
        unsigned abi = (unsigned) probed_abi(), created_before, created_during;
        bool want_tsync = abi >= 8 && !mode->force_fallback;
        pthread_t spawner_thread;
        int r, fails = 0;

        if (landlock_policy_add_path(&p, FIXTURE_DIR "/ro", access_from_string("ro"), 0, false, NULL) < 0 ||
            compile_and_build(&p, abi, &c, &fd) < 0)
                return CHILD_SETUP_FAILED;

        for (unsigned i = 0; i < N_PRESTARTED; i++)
                if (start_worker() < 0)
                        return CHILD_SETUP_FAILED;
        if (pthread_create(&spawner_thread, NULL, spawner, NULL) != 0)
                return CHILD_SETUP_FAILED;
        while (atomic_load(&threads.n_created) < N_PRESTARTED + 8)      /* the spawner is under way */
                usleep(100);

        created_before = atomic_load(&threads.n_created);
        r = landlock_restrict_process(fd, &(LandlockRestrictOptions) {
                                .abi = abi,
                                .flags = c.restrict_flags,
                                .process_wide = true,
                                .force_fallback = mode->force_fallback,
                        }, &result);
        created_during = atomic_load(&threads.n_created) - created_before;
        if (r < 0) {
                printf("# landlock_restrict_process() failed: %s\n", strerror(-r));
                return CHILD_SETUP_FAILED;
        }
        atomic_store(&threads.stop_spawning, true);
        (void) pthread_join(spawner_thread, NULL);
        atomic_store(&threads.check, true);

        /* The caller and the spawner thread (already gone) are restricted too. */
        fails += expect_result("calling thread reads denied/file",
                               try_open(FIXTURE_DIR "/denied/file", O_RDONLY), -EACCES);

        for (unsigned i = 0; atomic_load(&threads.n_checked) < atomic_load(&threads.n_created); i++) {
                if (i > 30 * 1000) {
                        printf("# only %u of %u threads reported\n", atomic_load(&threads.n_checked),
                               atomic_load(&threads.n_created));
                        return CHILD_SETUP_FAILED;
                }
                usleep(1000);
        }

        printf("# %s: %s, %u fallback threads, %u sweeps; %u threads checked (about %u created during the call), %u unconfined\n",
               mode->force_fallback ? "forced fallback" : "default path",
               result.tsync ? "TSYNC" : result.fallback ? "fallback" : "neither?!",
               result.n_threads, result.n_sweeps, atomic_load(&threads.n_checked),
               created_during, atomic_load(&threads.n_unconfined));

        if (result.tsync != want_tsync || result.fallback == want_tsync) {
                printf("# expected the %s path on ABI %u\n", want_tsync ? "TSYNC" : "fallback", abi);
                fails++;
        }
        if (atomic_load(&threads.n_created) <= N_PRESTARTED) {
                printf("# the spawner created no thread: the check would prove nothing\n");
                return CHILD_SETUP_FAILED;
        }
        return fails + (int) atomic_load(&threads.n_unconfined);
}

TEST(process_wide_reaches_threads_through_the_default_path) {
        if (expected_abi() == 0)
                return;
        ASSERT_OK(fixture_setup());
        ASSERT_EQ(fork_and_wait(child_process_wide, &(ThreadsMode) { .force_fallback = false }), 0);
}

TEST(process_wide_reaches_threads_through_the_fallback) {
        if (expected_abi() == 0)
                return;
        ASSERT_OK(fixture_setup());
        ASSERT_EQ(fork_and_wait(child_process_wide, &(ThreadsMode) { .force_fallback = true }), 0);
}

/* ---- all or nothing ---- */

static atomic_bool blocker_ready;

static void *idle_thread(void *arg) {
        for (;;)
                pause();
        return NULL;
}

static void *blocker(void *arg) {
        sigset_t ss;

        sigemptyset(&ss);
        sigaddset(&ss, LANDLOCK_RESTRICT_SIGNAL);
        (void) pthread_sigmask(SIG_BLOCK, &ss, NULL);
        atomic_store(&blocker_ready, true);
        for (;;)
                pause();
        return NULL;
}

static int child_blocked_thread(void *userdata) {
        _cleanup_(landlock_policy_done) LandlockPolicy p = LANDLOCK_POLICY_INIT;
        _cleanup_(landlock_compiled_done) LandlockCompiled c = {};
        _cleanup_close_ int fd = -EBADF;
        unsigned abi = (unsigned) probed_abi();
        pthread_t t[4];
        int r;

        if (landlock_policy_add_path(&p, FIXTURE_DIR "/ro", access_from_string("ro"), 0, false, NULL) < 0 ||
            compile_and_build(&p, abi, &c, &fd) < 0)
                return CHILD_SETUP_FAILED;

        /* Some threads that can be restricted, and one that will never answer. */
        for (size_t i = 0; i < ELEMENTSOF(t) - 1; i++)
                if (pthread_create(&t[i], NULL, idle_thread, NULL) != 0)
                        return CHILD_SETUP_FAILED;
        if (pthread_create(&t[ELEMENTSOF(t) - 1], NULL, blocker, NULL) != 0)
                return CHILD_SETUP_FAILED;
        while (!atomic_load(&blocker_ready))
                usleep(100);

        r = landlock_restrict_process(fd, &(LandlockRestrictOptions) {
                                .abi = abi,
                                .flags = c.restrict_flags,
                                .process_wide = true,
                                .force_fallback = true,
                                .timeout_usec = 200 * 1000,
                        }, NULL);

        /* Reaching this line at all is the failure: either half-restricted, or an error while some
         * threads already are. */
        printf("# landlock_restrict_process() returned %d with a thread that blocks the signal\n", r);
        return 1;
}

TEST(fallback_kills_the_process_when_a_thread_cannot_be_restricted) {
        int r;

        if (expected_abi() == 0)
                return;
        ASSERT_OK(fixture_setup());
        r = fork_and_wait(child_blocked_thread, NULL);
        ASSERT_EQ(r, 128 + SIGKILL);
}

/* ---- no_new_privs ---- */

static int child_no_new_privs(void *userdata) {
        _cleanup_(landlock_policy_done) LandlockPolicy p = LANDLOCK_POLICY_INIT;
        _cleanup_(landlock_compiled_done) LandlockCompiled c = {};
        _cleanup_close_ int fd = -EBADF, not_a_ruleset = -EBADF;
        LandlockRestrictResult result = {};
        LandlockNoNewPrivs plan;
        unsigned abi = (unsigned) probed_abi();
        int r, fails = 0;

        if (landlock_policy_add_path(&p, FIXTURE_DIR "/ro", access_from_string("ro"), 0, false, NULL) < 0 ||
            compile_and_build(&p, abi, &c, &fd) < 0)
                return CHILD_SETUP_FAILED;

        /* An unprivileged service: no CAP_SYS_ADMIN, no no_new_privs yet. */
        if (setresgid(65534, 65534, 65534) < 0 || setresuid(65534, 65534, 65534) < 0)
                return CHILD_SETUP_FAILED;
        if (prctl(PR_GET_NO_NEW_PRIVS, 0, 0, 0, 0) != 0)
                return CHILD_SETUP_FAILED;

        if (landlock_no_new_privs_plan(abi, &plan) < 0)
                return CHILD_SETUP_FAILED;
        printf("# ABI %u plan: %s\n", abi, landlock_nnp_to_string(plan));
        if (plan != (abi >= 11 ? LANDLOCK_NNP_RESTRICT_FLAG : LANDLOCK_NNP_PRCTL))
                fails++;

        /* ABI 11: a failed restriction must leave no_new_privs unset (that is the point of the flag). */
        not_a_ruleset = open("/", O_PATH|O_CLOEXEC);
        if (abi >= 11 && not_a_ruleset >= 0) {
                r = landlock_restrict_process(not_a_ruleset, &(LandlockRestrictOptions) { .abi = abi }, NULL);
                fails += expect_result("restrict with a non-ruleset fd", r < 0 ? -EBADFD : 0, -EBADFD);
                fails += expect_result("no_new_privs after the failed call",
                                       prctl(PR_GET_NO_NEW_PRIVS, 0, 0, 0, 0) == 1 ? -EPERM : 0, 0);
        }

        r = landlock_restrict_process(fd, &(LandlockRestrictOptions) { .abi = abi, .flags = c.restrict_flags }, &result);
        if (r < 0) {
                printf("# landlock_restrict_process() failed: %s\n", strerror(-r));
                return fails + 1;
        }
        printf("# restricted; no_new_privs: %s\n", landlock_nnp_to_string(result.nnp));
        if (result.nnp != plan)
                fails++;
        fails += expect_result("no_new_privs is set", prctl(PR_GET_NO_NEW_PRIVS, 0, 0, 0, 0) == 1 ? 0 : -EPERM, 0);
        fails += expect_result("read denied/file", try_open(FIXTURE_DIR "/denied/file", O_RDONLY), -EACCES);
        return fails;
}

TEST(no_new_privs_restrict_flag_used_where_the_kernel_has_it) {
        if (expected_abi() == 0)
                return;
        ASSERT_OK(fixture_setup());
        ASSERT_EQ(fork_and_wait(child_no_new_privs, NULL), 0);
}
