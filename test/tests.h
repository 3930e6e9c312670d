/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/* A minimal TAP producer: every TEST() is one "ok"/"not ok" line, meson counts them (protocol: 'tap').
 * ASSERT_*() abort the current test only, print file:line and what differed. */

#include <inttypes.h>
#include <setjmp.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

typedef struct TestCase {
        const char *name;
        void (*func)(void);
} TestCase;

extern TestCase *test_cases;
extern size_t test_n_cases;

void test_register(const char *name, void (*func)(void));
void test_fail(const char *file, int line, const char *fmt, ...) __attribute__((__format__(printf, 3, 4), __noreturn__));
/* Whether the running kernel's release (uname) is at least MAJOR.MINOR: for what only a kernel version
 * tells, so that a test expects the right outcome rather than asking the code under test. */
bool test_kernel_at_least(unsigned major, unsigned minor);
/* Runs "fn" in a forked child with a mount namespace of its own (mounts private, so nothing leaks out);
 * the test fails unless the child exits 0 once fn returns. Needs root. */
void test_in_mount_namespace(void (*fn)(void));
/* Skips the current test; under $CI=true a skip counts as a failure, so nothing is skipped silently. */
void test_skip(const char *why) __attribute__((__noreturn__));

#define TEST(name)                                                      \
        static void test_##name(void);                                  \
        __attribute__((__constructor__)) static void test_register_##name(void) { \
                test_register(#name, test_##name);                      \
        }                                                               \
        static void test_##name(void)

#define ASSERT_TRUE(expr)                                               \
        do { if (!(expr)) test_fail(__FILE__, __LINE__, "expected true: %s", #expr); } while (0)
#define ASSERT_FALSE(expr)                                              \
        do { if (expr) test_fail(__FILE__, __LINE__, "expected false: %s", #expr); } while (0)
#define ASSERT_EQ(a, b)                                                 \
        do {                                                            \
                intmax_t _a = (intmax_t) (a), _b = (intmax_t) (b);      \
                if (_a != _b)                                           \
                        test_fail(__FILE__, __LINE__, "%s == %s: %jd != %jd", #a, #b, _a, _b); \
        } while (0)
#define ASSERT_U64_EQ(a, b)                                             \
        do {                                                            \
                uint64_t _a = (uint64_t) (a), _b = (uint64_t) (b);      \
                if (_a != _b)                                           \
                        test_fail(__FILE__, __LINE__, "%s == %s: 0x%" PRIx64 " != 0x%" PRIx64, #a, #b, _a, _b); \
        } while (0)
#define ASSERT_STREQ(a, b)                                              \
        do {                                                            \
                const char *_a = (a), *_b = (b);                        \
                if (!_a || !_b || strcmp(_a, _b) != 0)                  \
                        test_fail(__FILE__, __LINE__, "%s == %s: \"%s\" != \"%s\"", #a, #b, \
                                  _a ?: "(null)", _b ?: "(null)");      \
        } while (0)
#define ASSERT_OK(expr)                                                 \
        do {                                                            \
                intmax_t _r = (intmax_t) (expr);                        \
                if (_r < 0)                                             \
                        test_fail(__FILE__, __LINE__, "%s failed: %jd (%s)", #expr, _r, strerror((int) -_r)); \
        } while (0)
#define ASSERT_ERROR(expr, err)                                         \
        do {                                                            \
                intmax_t _r = (intmax_t) (expr);                        \
                if (_r != -(intmax_t) (err))                            \
                        test_fail(__FILE__, __LINE__, "%s: expected -%s, got %jd (%s)", #expr, #err, _r, \
                                  _r < 0 ? strerror((int) -_r) : "success"); \
        } while (0)
