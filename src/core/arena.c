/* SPDX-License-Identifier: LGPL-2.1-or-later */

#include <errno.h>
#include <stdalign.h>
#include <stdbool.h>
#include <stdint.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "arena.h"
#include "macro.h"

/* Before every block: its usable size, and where its own mapping starts (0 for a block in an arena). */
typedef struct Header {
        size_t size;
        uintptr_t map;
} Header;

_Static_assert(sizeof(Header) == ARENA_ALIGN, "a header keeps blocks aligned");

/* The first arena: .bss, so that its pages cost a fault only when touched. */
static alignas(ARENA_ALIGN) unsigned char first_arena[128U * 1024U] _large_bss_;

static unsigned char *top = first_arena, *limit = first_arena + sizeof first_arena;
static Header *last;            /* the most recent arena block still allocated, or NULL */

static size_t round_up(size_t n, size_t to) {
        return (n + to - 1) & ~(to - 1);
}

static Header *header_of(void *p) {
        return (Header *) p - 1;
}

static void *map_pages(size_t length) {
        void *m = mmap(NULL, length, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

        if (m == MAP_FAILED) {
                errno = ENOMEM;
                return NULL;
        }
        return m;
}

/* A block of its own mapping, its start aligned to "alignment" (a power of two). */
static void *large_alloc(size_t size, size_t alignment) {
        size_t page = (size_t) sysconf(_SC_PAGESIZE), length;
        unsigned char *m;
        Header *h;

        if (size > SIZE_MAX - alignment - sizeof(Header) - page)
                return errno = ENOMEM, NULL;
        length = round_up(size + alignment + sizeof(Header), page);
        m = map_pages(length);
        if (!m)
                return NULL;
        h = (Header *) (round_up((uintptr_t) m + sizeof(Header), alignment) - sizeof(Header));
        *h = (Header) { .size = size, .map = (uintptr_t) m };
        return h + 1;
}

/* A new arena when the current one cannot hold "need" bytes. The rest of the old one is not used again. */
static bool arena_grow(size_t need) {
        size_t length = need > ARENA_CHUNK ? need : ARENA_CHUNK;
        unsigned char *m = map_pages(length);

        if (!m)
                return false;
        top = m;
        limit = m + length;
        last = NULL;
        return true;
}

void *arena_aligned_alloc(size_t alignment, size_t size) {
        size_t usable, need;
        uintptr_t start;
        Header *h;

        if (alignment < ARENA_ALIGN)
                alignment = ARENA_ALIGN;
        if ((alignment & (alignment - 1)) != 0)
                return errno = EINVAL, NULL;
        if (size >= ARENA_LARGE || alignment > 4096)
                return large_alloc(size, alignment);

        usable = round_up(size ? size : 1, ARENA_ALIGN);
        start = round_up((uintptr_t) top + sizeof(Header), alignment);
        if (start + usable > (uintptr_t) limit) {
                need = usable + alignment + sizeof(Header);
                if (!arena_grow(need))
                        return NULL;
                start = round_up((uintptr_t) top + sizeof(Header), alignment);
        }
        h = (Header *) start - 1;
        *h = (Header) { .size = usable };
        top = (unsigned char *) start + usable;
        last = h;
        return h + 1;
}

void *arena_malloc(size_t size) {
        return arena_aligned_alloc(ARENA_ALIGN, size);
}

void *arena_calloc(size_t n, size_t size) {
        void *p;

        if (size != 0 && n > SIZE_MAX / size)
                return errno = ENOMEM, NULL;
        p = arena_malloc(n * size);
        if (p)
                memset(p, 0, n * size);        /* a block taken back may be handed out again */
        return p;
}

void arena_free(void *p) {
        Header *h;

        if (!p)
                return;
        h = header_of(p);
        if (h->map != 0) {
                munmap((void *) h->map, (size_t) ((unsigned char *) p + h->size - (unsigned char *) h->map));
                return;
        }
        if (h == last) {
                top = (unsigned char *) h;
                last = NULL;    /* the block before it is not known: only one step back */
        }
}

size_t arena_usable_size(void *p) {
        return p ? header_of(p)->size : 0;
}

void *arena_realloc(void *p, size_t size) {
        Header *h;
        void *q;

        if (!p)
                return arena_malloc(size);
        h = header_of(p);
        if (h->map == 0 && h == last && size < ARENA_LARGE) {
                size_t usable = round_up(size ? size : 1, ARENA_ALIGN);

                if ((unsigned char *) p + usable <= limit) {
                        h->size = usable;
                        top = (unsigned char *) p + usable;
                        return p;
                }
        }
        if (size <= h->size && (h->map == 0 || size >= ARENA_LARGE / 2))
                return p;

        q = arena_malloc(size);
        if (!q)
                return NULL;
        memcpy(q, p, h->size < size ? h->size : size);
        arena_free(p);
        return q;
}
