/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/* Is Landlock really missing, or does it only look missing? On a kernel without Landlock,
 * landlock_create_ruleset() fails with ENOSYS (not built in, or older than 5.13) or EOPNOTSUPP (disabled at
 * boot). A seccomp filter gives the same answers when a unit says SystemCallFilter=~landlock_create_ruleset
 * with SystemCallErrorNumber=ENOSYS, and with errno 0 it even makes a call "succeed" without running it.
 * Only the first case may run a command unconfined (best effort). This file asks the kernel through
 * channels that such a filter does not control, and decides; when nothing proves that the kernel lacks
 * Landlock, the verdict is "unsure" and the caller refuses.
 *
 * Out of reach by design: a ptrace tracer or a seccomp user-notification supervisor can fake any answer,
 * and whoever controls one of them controls the process anyway. */

#include "macro.h"

typedef enum LandlockLsmState {
        LANDLOCK_LSM_UNKNOWN,           /* no trustworthy list of the active LSMs */
        LANDLOCK_LSM_ACTIVE,            /* the list names landlock */
        LANDLOCK_LSM_INACTIVE,          /* a list that names capability but not landlock */
} LandlockLsmState;

typedef enum SeccompState {
        SECCOMP_STATE_UNKNOWN,          /* prctl() and /proc/self/status do not both say "none" */
        SECCOMP_STATE_NONE,             /* no filter: every answer is the kernel's own */
        SECCOMP_STATE_FILTER,           /* at least one filter (mode 2) */
} SeccompState;

typedef struct LandlockAvailability {
        int abi;                        /* landlock_abi_probe(): ≥ 1, or 0 (no kernel answers that), or -errno */
        int add_rule;                   /* landlock_add_rule(-1, 0, NULL, 0), when abi ≥ 1: 0 or -errno */
        int restrict_self;              /* landlock_restrict_self(-1, 0), when abi ≥ 1: 0 or -errno */
        SeccompState seccomp;
        int seccomp_filters;            /* "Seccomp_filters:" of /proc/self/status (Linux ≥ 5.9), -1: unknown */
        LandlockLsmState lsm_securityfs; /* /sys/kernel/security/lsm, on securityfs */
        LandlockLsmState lsm_syscall;   /* lsm_list_modules() (Linux ≥ 6.8) */
} LandlockAvailability;

typedef enum LandlockVerdict {
        LANDLOCK_VERDICT_AVAILABLE,     /* use Landlock at .abi */
        LANDLOCK_VERDICT_ABSENT,        /* the kernel has no Landlock: best effort runs unconfined */
        LANDLOCK_VERDICT_HIDDEN,        /* Landlock is there, a seccomp filter hides or fakes it */
        LANDLOCK_VERDICT_BLOCKED,       /* the calls fail otherwise (EPERM, …) */
        LANDLOCK_VERDICT_UNSURE,        /* a filter may hide it and nothing proves the kernel lacks it */
        _LANDLOCK_VERDICT_MAX,
} LandlockVerdict;

#define LANDLOCK_SECURITYFS_LSM "/sys/kernel/security/lsm"

/* Pure parsers, for the tests. The text of /sys/kernel/security/lsm ("lockdown,capability,landlock"): */
LandlockLsmState landlock_lsm_state_from_names(const char *text);
/* The IDs lsm_list_modules() returned: */
LandlockLsmState landlock_lsm_state_from_ids(const uint64_t *ids, size_t n);
/* The text of /proc/self/status: sets *ret_mode ("Seccomp:") and *ret_filters ("Seccomp_filters:", -1 if
 * absent); -ENOENT without a "Seccomp:" line. */
int seccomp_mode_from_status(const char *text, int *ret_mode, int *ret_filters);

/* Asks the running kernel, no more than the answer needs: with Landlock answering, only the Landlock
 * calls; otherwise the seccomp state, securityfs, and lsm_list_modules() (from a forked child when a
 * filter is active, since a filter may kill it). No side effect. */
void landlock_availability_probe(LandlockAvailability *ret);
/* The decision, from what was gathered (pure). */
LandlockVerdict landlock_availability_verdict(const LandlockAvailability *a) _pure_;
/* The answer landlock_create_ruleset() gave, for messages: "ENOSYS", "EOPNOTSUPP", or NULL for others. */
const char *landlock_unavailable_errno_name(int error) _const_;
/* Which list proved the LSM state, for messages: LANDLOCK_SECURITYFS_LSM, "lsm_list_modules()", or NULL. */
const char *landlock_lsm_state_source(const LandlockAvailability *a, LandlockLsmState state) _pure_;
LandlockLsmState landlock_availability_lsm_state(const LandlockAvailability *a) _pure_;
