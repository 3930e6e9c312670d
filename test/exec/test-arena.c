/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The static musl enforcer's allocator (src/core/arena.h), called by its own names: alignment, taking
 * back the most recent block, growing it in place, blocks of their own mapping, zeroing, overflow, and
 * moving on to a new arena. Pure logic. */

#include <errno.h>
#include <stdint.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "arena.h"
#include "tests.h"

static bool aligned(const void *p, size_t a) {
        return ((uintptr_t) p & (a - 1)) == 0;
}

/* Whether the page of "p" is mapped: mincore() fails with ENOMEM on an unmapped one. */
static bool mapped(const void *p) {
        size_t page = (size_t) sysconf(_SC_PAGESIZE);
        unsigned char v;

        return mincore((void *) ((uintptr_t) p & ~(uintptr_t) (page - 1)), page, &v) == 0;
}

TEST(blocks_are_aligned_and_sized) {
        void *a = arena_malloc(1), *b = arena_malloc(0), *c = arena_malloc(100);

        ASSERT_TRUE(a && b && c && a != b && b != c);
        ASSERT_TRUE(aligned(a, ARENA_ALIGN) && aligned(b, ARENA_ALIGN) && aligned(c, ARENA_ALIGN));
        ASSERT_TRUE(arena_usable_size(c) >= 100);
        ASSERT_EQ(arena_usable_size(NULL), 0);
        arena_free(c);
        arena_free(b);
        arena_free(a);
        arena_free(NULL);
}

TEST(the_most_recent_block_is_taken_back_and_reused) {
        void *a = arena_malloc(48), *b = arena_malloc(48);

        arena_free(b);
        ASSERT_TRUE(arena_malloc(48) == b);
        /* Not the most recent one: nothing to take back, the next block comes after. */
        arena_free(a);
        ASSERT_TRUE(arena_malloc(16) != a);
}

TEST(realloc_grows_the_last_block_in_place_and_moves_others) {
        char *a = arena_malloc(16), *b, *moved;

        memcpy(a, "0123456789abcde", 16);
        b = arena_realloc(a, 4000);
        ASSERT_TRUE(b == a);
        ASSERT_STREQ(b, "0123456789abcde");
        ASSERT_TRUE(arena_usable_size(b) >= 4000);

        (void) arena_malloc(8);         /* b is no longer the most recent */
        moved = arena_realloc(b, 8000);
        ASSERT_TRUE(moved != b);
        ASSERT_STREQ(moved, "0123456789abcde");
        ASSERT_TRUE(arena_realloc(moved, 10) == moved);         /* shrinking keeps it */
        ASSERT_STREQ(moved, "0123456789abcde");
}

TEST(large_blocks_are_mappings_of_their_own) {
        char *big = arena_malloc(ARENA_LARGE), *small, *again;

        ASSERT_TRUE(big && aligned(big, ARENA_ALIGN));
        big[0] = 'x';
        big[ARENA_LARGE - 1] = 'y';
        ASSERT_TRUE(mapped(big));
        arena_free(big);
        ASSERT_FALSE(mapped(big));

        /* Into and out of a mapping of its own, the contents kept. */
        small = arena_malloc(32);
        memcpy(small, "kept", 5);
        big = arena_realloc(small, 3 * ARENA_LARGE);
        ASSERT_STREQ(big, "kept");
        again = arena_realloc(big, 64);
        ASSERT_STREQ(again, "kept");
        ASSERT_FALSE(mapped(big));
}

TEST(calloc_zeroes_a_block_taken_back_and_refuses_overflow) {
        unsigned char *a = arena_malloc(64), *z;

        memset(a, 0xff, 64);
        arena_free(a);
        z = arena_calloc(8, 8);
        ASSERT_TRUE(z == a);
        for (size_t i = 0; i < 64; i++)
                ASSERT_EQ(z[i], 0);
        errno = 0;
        ASSERT_TRUE(arena_calloc(SIZE_MAX / 2, 4) == NULL);
        ASSERT_EQ(errno, ENOMEM);
}

TEST(aligned_allocations) {
        void *a = arena_aligned_alloc(256, 100), *b = arena_aligned_alloc(8192, 10);

        ASSERT_TRUE(a && aligned(a, 256));
        ASSERT_TRUE(b && aligned(b, 8192));
        errno = 0;
        ASSERT_TRUE(arena_aligned_alloc(24, 10) == NULL);
        ASSERT_EQ(errno, EINVAL);
        arena_free(b);
        ASSERT_FALSE(mapped(b));
}

/* Far more than the first arena holds: every block distinct, writable, and keeping what was written. */
TEST(new_arenas_when_one_is_full) {
        enum { N = 600, SIZE = 1000 };
        unsigned char *blocks[N];

        for (size_t i = 0; i < N; i++) {
                blocks[i] = arena_malloc(SIZE);
                ASSERT_TRUE(blocks[i] && aligned(blocks[i], ARENA_ALIGN));
                memset(blocks[i], (int) (i & 0xff), SIZE);
        }
        for (size_t i = 0; i < N; i++) {
                ASSERT_EQ(blocks[i][0], i & 0xff);
                ASSERT_EQ(blocks[i][SIZE - 1], i & 0xff);
        }
}
