/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/* What a test's forked child sets up before it execs the enforcer: a seccomp filter such as systemd
 * installs for SystemCallFilter=~CALLS with SystemCallErrorNumber=ERROR, and a /sys/kernel/security of its
 * own. Used by the kernel suite and by the QEMU matrix. */

#include <linux/seccomp.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* The numbers the tests filter (the Landlock calls, listmount and statmount, lsm_list_modules), defined
 * where old headers lack them. */
#include "landlock-abi.h"
#include "mount-table.h"
#ifndef __NR_lsm_list_modules
#define __NR_lsm_list_modules 461
#endif

/* Sets no_new_privs and installs a filter under which each of the n system calls gets "action" (a
 * SECCOMP_RET_* value) and every other call runs. Returns 0 or -errno. */
int test_seccomp_filter(const long *syscalls, size_t n, uint32_t action);

#define TEST_SECCOMP_FILTER(action, ...)                                                \
        test_seccomp_filter((const long[]) { __VA_ARGS__ },                             \
                            sizeof((const long[]) { __VA_ARGS__ }) / sizeof(long), (action))
/* Each call fails with "error" without running (error 0: returns 0 without running). */
#define TEST_SECCOMP_DENY(error, ...) TEST_SECCOMP_FILTER(SECCOMP_RET_ERRNO | (uint32_t) (error), __VA_ARGS__)
/* Each call kills the process, as systemd's filters do by default. */
#define TEST_SECCOMP_KILL(...) TEST_SECCOMP_FILTER(SECCOMP_RET_KILL_PROCESS, __VA_ARGS__)

/* Moves into a mount namespace of its own where /sys/kernel/security is a fresh securityfs, or an empty
 * tmpfs (securityfs=false). Needs root. Returns 0 or -errno. */
int test_private_security_dir(bool securityfs);
