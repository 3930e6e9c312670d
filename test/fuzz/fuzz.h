/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/* Shared by the libFuzzer targets: an invariant that does not hold is a crash, with a message saying
 * which one, so that the reproducer committed to the corpus explains itself. */

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerInitialize(int *argc, char ***argv);

#define fuzz_assert(expr, ...)                                                  \
        do {                                                                    \
                if (!(expr)) {                                                  \
                        fprintf(stderr, "%s:%d: invariant broken: %s\n",        \
                                __FILE__, __LINE__, #expr);                     \
                        fprintf(stderr, "  " __VA_ARGS__);                      \
                        fputc('\n', stderr);                                    \
                        abort();                                                \
                }                                                               \
        } while (0)

/* A bug found in code that is not to be changed along with the fuzzers is recorded in findings/ (a
 * reproducer and a line in findings/README.md) and tolerated in one narrow place of the target, named
 * after it, so that CI stays deterministic. With $FUZZ_STRICT set, nothing is tolerated: run.sh replays
 * the findings that way to tell whether they still reproduce. */
static inline bool fuzz_tolerate_known_bug(const char *name) {
        return !getenv("FUZZ_STRICT");
}
