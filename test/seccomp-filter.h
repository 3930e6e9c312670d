/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/* A seccomp filter such as systemd installs for SystemCallFilter=~CALLS with SystemCallErrorNumber=ERROR,
 * for the forked child of a test that then execs the enforcer. */

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
