/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/* What a test's forked child sets up before it execs the enforcer: a seccomp filter such as systemd
 * installs for SystemCallFilter=~CALLS with SystemCallErrorNumber=ERROR, and a /sys/kernel/security of its
 * own. Used by the kernel suite and by the QEMU matrix. */

#include <stdbool.h>
#include <stddef.h>

/* The numbers the tests filter (the Landlock calls, lsm_list_modules), defined where old headers lack
 * them. */
#include "landlock-abi.h"
#ifndef __NR_lsm_list_modules
#define __NR_lsm_list_modules 461
#endif

/* Sets no_new_privs and installs a filter under which each of the n system calls fails with "error"
 * without running (error 0: it returns 0 without running) and every other call runs. Returns 0 or -errno. */
int test_seccomp_deny(const long *syscalls, size_t n, int error);

#define TEST_SECCOMP_DENY(error, ...)                                                   \
        test_seccomp_deny((const long[]) { __VA_ARGS__ },                               \
                          sizeof((const long[]) { __VA_ARGS__ }) / sizeof(long), (error))

/* Moves into a mount namespace of its own where /sys/kernel/security is a fresh securityfs, or an empty
 * tmpfs (securityfs=false). Needs root. Returns 0 or -errno. */
int test_private_security_dir(bool securityfs);
