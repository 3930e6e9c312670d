/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/* Restricting the calling thread, or every thread of the process, with a built ruleset. */

#include <signal.h>

#include "landlock-abi.h"

/* The realtime signal the userspace fallback sends to each sibling thread. glibc keeps the two signals
 * below SIGRTMIN for itself; SIGRTMIN+7 is not used by glibc, libcap's libpsx (SIGSYS) or systemd. The
 * previous disposition is restored afterwards. */
#define LANDLOCK_RESTRICT_SIGNAL (SIGRTMIN + 7)

#define LANDLOCK_RESTRICT_TIMEOUT_USEC_DEFAULT (1000 * 1000ULL)

/* How the no_new_privs requirement of landlock_restrict_self() was met. */
typedef enum LandlockNoNewPrivs {
        LANDLOCK_NNP_ALREADY_SET,       /* no_new_privs was already set (e.g. NoNewPrivileges=yes) */
        LANDLOCK_NNP_CAP_SYS_ADMIN,     /* not needed: CAP_SYS_ADMIN in the effective set */
        LANDLOCK_NNP_PRCTL,             /* set with prctl(PR_SET_NO_NEW_PRIVS) before restricting */
        LANDLOCK_NNP_RESTRICT_FLAG,     /* set by LANDLOCK_RESTRICT_SELF_NO_NEW_PRIVS (ABI 11), only on success */
        _LANDLOCK_NNP_MAX,
} LandlockNoNewPrivs;

const char *landlock_nnp_to_string(LandlockNoNewPrivs n) _const_;

/* Decides how to meet the no_new_privs requirement on "abi": already set, CAP_SYS_ADMIN, or needed (then
 * the ABI 11 flag if the ABI has it, else prctl). Returns 0 or a negative errno. */
int landlock_no_new_privs_plan(unsigned abi, LandlockNoNewPrivs *ret);

/* landlock_restrict_self() on the calling thread with "flags" as given, no no_new_privs handling.
 * Returns 0 or a negative errno. */
int landlock_restrict_thread(int ruleset_fd, uint32_t flags);

typedef struct LandlockRestrictOptions {
        unsigned abi;                   /* the running kernel's ABI (≥ 1) */
        uint32_t flags;                 /* LandlockCompiled.restrict_flags; TSYNC/NO_NEW_PRIVS are added here */
        bool process_wide;              /* false: only the calling thread */
        uint64_t timeout_usec;          /* fallback: wait per sweep for the threads to answer; 0 = default */
        bool force_fallback;            /* use the signal fallback even when TSYNC exists (tests, benchmark) */
} LandlockRestrictOptions;

typedef struct LandlockRestrictResult {
        LandlockNoNewPrivs nnp;
        bool tsync;                     /* one TSYNC call did it */
        bool fallback;                  /* the signal fallback did it */
        unsigned n_threads;             /* threads restricted by the fallback, the caller included */
        unsigned n_sweeps;              /* sweeps of /proc/self/task, the last one finding nothing new */
} LandlockRestrictResult;

/* Restricts the calling thread, or with o->process_wide every thread: one TSYNC call on ABI ≥ 8, else the
 * userspace fallback. The fallback restricts a caller proven alone at once; else it opens /proc/self/task
 * first, installs a handler for LANDLOCK_RESTRICT_SIGNAL, lists the directory, then signals each new
 * sibling with rt_tgsigqueueinfo(), where the handler restricts the thread with the same flags (setting
 * no_new_privs first if needed) and acknowledges; it sweeps again until a sweep finds no new thread and
 * lists as many threads as the directory counted before it, then restricts the caller.
 *
 * All or nothing: returns a negative errno only while no thread is restricted. Once any thread is, a
 * failure of another thread, or a thread that does not answer within the timeout, is logged (naming the
 * tid and the error) and the whole process is killed with SIGKILL: it never goes on half-restricted. */
int landlock_restrict_process(int ruleset_fd, const LandlockRestrictOptions *o, LandlockRestrictResult *ret);

/* Number of threads of this process, or a negative errno: 1 without /proc when unshare(CLONE_THREAD) proves
 * the caller alone (no seccomp filter), else the entries of /proc/self/task. */
int landlock_count_threads(void);
