/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Part of exectest-prog: the second-level library. */
__attribute__((visibility("default"))) const char *exectest_b(void);
const char *exectest_b(void) {
        return "exectest-libs-loaded";
}
