/* SPDX-License-Identifier: LGPL-2.1-or-later */

/* Telling a kernel without Landlock from a seccomp filter that makes it look absent: the parsers of the
 * kernel's lists, and the decision table (pure; the real filters are in test-exec-enforcer.c, the real
 * kernels without Landlock in the QEMU matrix). */

#include <errno.h>

#include "landlock-availability.h"
#include "tests.h"

TEST(lsm_names_with_landlock_are_active) {
        ASSERT_EQ(landlock_lsm_state_from_names("lockdown,capability,landlock,yama,apparmor"), LANDLOCK_LSM_ACTIVE);
        ASSERT_EQ(landlock_lsm_state_from_names("capability,landlock\n"), LANDLOCK_LSM_ACTIVE);
}

TEST(lsm_names_without_landlock_are_inactive) {
        ASSERT_EQ(landlock_lsm_state_from_names("capability,yama"), LANDLOCK_LSM_INACTIVE);
        /* A name that merely contains "landlock" is another module. */
        ASSERT_EQ(landlock_lsm_state_from_names("capability,notlandlock,landlocker"), LANDLOCK_LSM_INACTIVE);
}

TEST(lsm_names_without_capability_prove_nothing) {
        ASSERT_EQ(landlock_lsm_state_from_names(""), LANDLOCK_LSM_UNKNOWN);
        ASSERT_EQ(landlock_lsm_state_from_names("yama,apparmor"), LANDLOCK_LSM_UNKNOWN);
        ASSERT_EQ(landlock_lsm_state_from_names("landlock"), LANDLOCK_LSM_UNKNOWN);
}

TEST(lsm_ids_are_read_like_the_names) {
        ASSERT_EQ(landlock_lsm_state_from_ids((const uint64_t[]) { 108, 100, 110, 105 }, 4), LANDLOCK_LSM_ACTIVE);
        ASSERT_EQ(landlock_lsm_state_from_ids((const uint64_t[]) { 100, 105 }, 2), LANDLOCK_LSM_INACTIVE);
        ASSERT_EQ(landlock_lsm_state_from_ids((const uint64_t[]) { 110 }, 1), LANDLOCK_LSM_UNKNOWN);
        ASSERT_EQ(landlock_lsm_state_from_ids(NULL, 0), LANDLOCK_LSM_UNKNOWN);
}

TEST(seccomp_fields_of_proc_status) {
        int mode, filters;

        ASSERT_OK(seccomp_mode_from_status("Name:\tx\nNoNewPrivs:\t1\nSeccomp:\t2\nSeccomp_filters:\t3\nSpeculation_Store_Bypass:\tx\n",
                                           &mode, &filters));
        ASSERT_EQ(mode, 2);
        ASSERT_EQ(filters, 3);

        /* Before Linux 5.9 there is no count. */
        ASSERT_OK(seccomp_mode_from_status("Seccomp:\t0\n", &mode, &filters));
        ASSERT_EQ(mode, 0);
        ASSERT_EQ(filters, -1);

        ASSERT_ERROR(seccomp_mode_from_status("Name:\tx\n", &mode, &filters), ENOENT);
        ASSERT_ERROR(seccomp_mode_from_status("Seccomp:\tzero\n", &mode, &filters), EINVAL);
        ASSERT_ERROR(seccomp_mode_from_status("Seccomp:\t0 junk\n", &mode, &filters), EINVAL);
}

/* ---- The decision ---- */

static LandlockVerdict verdict(int abi, SeccompState seccomp, LandlockLsmState fs, LandlockLsmState sys) {
        LandlockAvailability a = {
                .abi = abi,
                .add_rule = abi > 0 ? -EBADF : 0,
                .restrict_self = abi > 0 ? -EBADF : 0,
                .seccomp = seccomp,
                .seccomp_filters = seccomp == SECCOMP_STATE_FILTER ? 1 : -1,
                .lsm_securityfs = fs,
                .lsm_syscall = sys,
        };
        return landlock_availability_verdict(&a);
}

#define U LANDLOCK_LSM_UNKNOWN
#define A LANDLOCK_LSM_ACTIVE
#define I LANDLOCK_LSM_INACTIVE

TEST(an_abi_is_available) {
        ASSERT_EQ(verdict(7, SECCOMP_STATE_FILTER, U, U), LANDLOCK_VERDICT_AVAILABLE);
        ASSERT_EQ(verdict(1, SECCOMP_STATE_NONE, A, A), LANDLOCK_VERDICT_AVAILABLE);
}

TEST(no_filter_means_the_kernel_answered) {
        ASSERT_EQ(verdict(-ENOSYS, SECCOMP_STATE_NONE, U, U), LANDLOCK_VERDICT_ABSENT);
        ASSERT_EQ(verdict(-EOPNOTSUPP, SECCOMP_STATE_NONE, U, U), LANDLOCK_VERDICT_ABSENT);
}

TEST(a_filter_and_no_list_is_unsure) {
        ASSERT_EQ(verdict(-ENOSYS, SECCOMP_STATE_FILTER, U, U), LANDLOCK_VERDICT_UNSURE);
        ASSERT_EQ(verdict(-EOPNOTSUPP, SECCOMP_STATE_FILTER, U, U), LANDLOCK_VERDICT_UNSURE);
        /* /proc/self/status unreadable: a filter cannot be ruled out. */
        ASSERT_EQ(verdict(-ENOSYS, SECCOMP_STATE_UNKNOWN, U, U), LANDLOCK_VERDICT_UNSURE);
}

TEST(a_list_without_landlock_proves_absence) {
        ASSERT_EQ(verdict(-ENOSYS, SECCOMP_STATE_FILTER, I, U), LANDLOCK_VERDICT_ABSENT);
        ASSERT_EQ(verdict(-EOPNOTSUPP, SECCOMP_STATE_FILTER, U, I), LANDLOCK_VERDICT_ABSENT);
        ASSERT_EQ(verdict(-ENOSYS, SECCOMP_STATE_UNKNOWN, I, I), LANDLOCK_VERDICT_ABSENT);
}

TEST(a_list_with_landlock_proves_a_filter_hides_it) {
        ASSERT_EQ(verdict(-ENOSYS, SECCOMP_STATE_FILTER, A, U), LANDLOCK_VERDICT_HIDDEN);
        ASSERT_EQ(verdict(-EOPNOTSUPP, SECCOMP_STATE_FILTER, U, A), LANDLOCK_VERDICT_HIDDEN);
        /* Even where no filter shows: the answer is not the kernel's (a tracer?). */
        ASSERT_EQ(verdict(-ENOSYS, SECCOMP_STATE_NONE, A, U), LANDLOCK_VERDICT_HIDDEN);
}

TEST(lists_that_disagree_refuse) {
        ASSERT_EQ(verdict(-ENOSYS, SECCOMP_STATE_FILTER, A, I), LANDLOCK_VERDICT_HIDDEN);
        ASSERT_EQ(verdict(-ENOSYS, SECCOMP_STATE_FILTER, I, A), LANDLOCK_VERDICT_HIDDEN);
}

TEST(other_errors_are_blocked) {
        ASSERT_EQ(verdict(-EPERM, SECCOMP_STATE_FILTER, A, A), LANDLOCK_VERDICT_BLOCKED);
        ASSERT_EQ(verdict(-EACCES, SECCOMP_STATE_NONE, I, I), LANDLOCK_VERDICT_BLOCKED);
}

TEST(abi_0_is_no_kernel_answer) {
        ASSERT_EQ(verdict(0, SECCOMP_STATE_FILTER, I, I), LANDLOCK_VERDICT_HIDDEN);
}

TEST(a_faked_or_blocked_call_next_to_a_working_one_is_hidden) {
        LandlockAvailability a = {
                .abi = 7,
                .add_rule = -EBADF,
                .restrict_self = 0,
                .seccomp = SECCOMP_STATE_FILTER,
        };

        ASSERT_EQ(landlock_availability_verdict(&a), LANDLOCK_VERDICT_HIDDEN);
        a.restrict_self = -ENOSYS;
        ASSERT_EQ(landlock_availability_verdict(&a), LANDLOCK_VERDICT_HIDDEN);
        a.restrict_self = -EPERM;       /* the kernel's answer without no_new_privs */
        ASSERT_EQ(landlock_availability_verdict(&a), LANDLOCK_VERDICT_AVAILABLE);
        a.add_rule = 0;
        ASSERT_EQ(landlock_availability_verdict(&a), LANDLOCK_VERDICT_HIDDEN);
        a.add_rule = -EOPNOTSUPP;
        ASSERT_EQ(landlock_availability_verdict(&a), LANDLOCK_VERDICT_HIDDEN);
}
