/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <assert.h>
#include <errno.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <dirent.h>

#define MIN(a, b) ((a) < (b) ? (a) : (b))
#define MAX(a, b) ((a) > (b) ? (a) : (b))
#define ELEMENTSOF(x) (sizeof(x) / sizeof((x)[0]))
#define _unused_ __attribute__((__unused__))
#define _pure_ __attribute__((__pure__))
/* A large zero-filled object placed after all the others (x86-64's .lbss section, which the linker puts
 * after .bss): the small variables of the program and of its C library then share a page or two instead
 * of lying on both sides of it, and each page touched is a fault in a process just started. Elsewhere
 * an ordinary .bss object. */
#if defined(__x86_64__) && defined(__GNUC__) && !defined(__clang__)
#  define _large_bss_ __attribute__((__section__(".lbss")))
#else
#  define _large_bss_
#endif
#define _const_ __attribute__((__const__))
#define _printf_(a, b) __attribute__((__format__(printf, a, b)))
#define _noreturn_ __attribute__((__noreturn__))
#define _warn_unused_result_ __attribute__((__warn_unused_result__))

#define _cleanup_(f) __attribute__((__cleanup__(f)))

static inline void freep(void *p) {
        free(*(void **) p);
}
#define _cleanup_free_ _cleanup_(freep)

static inline void *mfree(void *p) {
        free(p);
        return NULL;
}

static inline int safe_close(int fd) {
        if (fd >= 0) {
                int saved = errno;
                (void) close(fd);
                errno = saved;
        }
        return -EBADF;
}
static inline void closep(int *fd) {
        safe_close(*fd);
}
#define _cleanup_close_ _cleanup_(closep)

static inline void fclosep(FILE **f) {
        if (*f)
                fclose(*f);
}
#define _cleanup_fclose_ _cleanup_(fclosep)

static inline void closedirp(DIR **d) {
        if (*d)
                closedir(*d);
}
#define _cleanup_closedir_ _cleanup_(closedirp)

/* Take ownership: returns the pointer and clears the variable, so the cleanup handler does nothing. */
#define TAKE_PTR(p)                             \
        ({                                      \
                typeof(p) _p_ = (p);            \
                (p) = NULL;                     \
                _p_;                            \
        })
/* Frees "a" and moves "b" into it; "b" becomes NULL. */
#define free_and_replace(a, b)                  \
        ({                                      \
                free(a);                        \
                (a) = TAKE_PTR(b);              \
                0;                              \
        })
#define TAKE_FD(fd)                             \
        ({                                      \
                int _fd_ = (fd);                \
                (fd) = -EBADF;                  \
                _fd_;                           \
        })

/* Whether x equals one of the (constant) values listed. */
#define IN_SET(x, ...)                                                  \
        ({                                                              \
                const typeof(x) _x_ = (x), _set_[] = { __VA_ARGS__ };   \
                bool _found_ = false;                                   \
                for (size_t _i_ = 0; _i_ < ELEMENTSOF(_set_); _i_++)    \
                        if (_set_[_i_] == _x_)                          \
                                _found_ = true;                         \
                _found_;                                                \
        })

#define streq(a, b) (strcmp((a), (b)) == 0)
#define strneq(a, b, n) (strncmp((a), (b), (n)) == 0)
#define isempty(s) (!(s) || (s)[0] == '\0')

/* streq() that takes NULL (equal only to NULL). */
static inline bool streq_ptr(const char *a, const char *b) {
        return a && b ? streq(a, b) : a == b;
}

static inline const char *startswith(const char *s, const char *prefix) {
        size_t l = strlen(prefix);
        return strncmp(s, prefix, l) == 0 ? s + l : NULL;
}

static inline const char *endswith(const char *s, const char *suffix) {
        size_t sl = strlen(s), xl = strlen(suffix);
        return sl >= xl && memcmp(s + sl - xl, suffix, xl) == 0 ? s + sl - xl : NULL;
}

static inline const char *strempty(const char *s) {
        return s ?: "";
}

static inline const char *strna(const char *s) {
        return s ?: "n/a";
}

static inline const char *yes_no(bool b) {
        return b ? "yes" : "no";
}

/* Negative errno from a libc call that sets errno; never returns 0 for a failure. */
static inline int negative_errno(void) {
        return errno > 0 ? -errno : -EIO;
}

#define RET_NERRNO(expr)                        \
        ({                                      \
                long _r_ = (long) (expr);       \
                _r_ < 0 ? negative_errno() : (int) _r_; \
        })

/* qsort() and bsearch() declare their array nonnull even for zero elements, and an empty list here is
 * often NULL: these take it. */
static inline void qsort_safe(void *base, size_t n, size_t size, int (*compare)(const void *, const void *)) {
        if (n <= 1)
                return;
        assert(base);
        qsort(base, n, size, compare);
}

static inline void *bsearch_safe(const void *key, const void *base, size_t n, size_t size,
                                 int (*compare)(const void *, const void *)) {
        if (n == 0)
                return NULL;
        assert(base);
        return bsearch(key, base, n, size, compare);
}
