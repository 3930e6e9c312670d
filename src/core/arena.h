/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/* The enforcer's memory allocator. systemd-landlock-exec lives for a few hundred microseconds, allocates
 * some kilobytes, and then replaces itself with the command: memory it frees is never needed again, and
 * the process image is dropped whole by execve(). A general-purpose allocator spends most of its time there
 * on what does not matter then: musl's returns freed groups to the kernel at once (munmap(), with a TLB
 * flush) and spreads size classes over many pages, each a page fault; together about a fifth of the
 * enforcer's own cost per start.
 *
 * So: allocation bumps a pointer in an arena (the first one in .bss, then mmap()ed ones); freeing the most
 * recent block takes it back (temporary buffers are mostly freed in the reverse order), other frees are
 * no-ops; realloc() of the most recent block grows it in place (GREEDY_REALLOC()'s pattern). Blocks of
 * ARENA_LARGE bytes or more are mapped on their own and unmapped when freed, so that reading large files
 * (ELF string tables, up to exec-closure.c's limits) never accumulates. What is never returned is bounded
 * by the number of small allocations, each under ARENA_LARGE.
 *
 * Single-threaded: the static enforcer starts no thread, and no signal handler of it allocates. The
 * arena_*() functions are the implementation; enforcer-malloc.c makes them malloc() and friends in the
 * static musl enforcer only. */

#include <stddef.h>

#define ARENA_ALIGN 16
#define ARENA_LARGE (64U * 1024U)               /* and larger: a mapping of its own */
#define ARENA_CHUNK (1024U * 1024U)             /* further arenas, after the first one */

void *arena_malloc(size_t size);
void *arena_calloc(size_t n, size_t size);
void *arena_realloc(void *p, size_t size);
void *arena_aligned_alloc(size_t alignment, size_t size);
void arena_free(void *p);
size_t arena_usable_size(void *p);
