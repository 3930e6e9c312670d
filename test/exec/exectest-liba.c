/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Part of exectest-prog: a library found through $ORIGIN, needing another one (exectest-libb). */
const char *exectest_b(void);
__attribute__((visibility("default"))) const char *exectest_a(void);
const char *exectest_a(void) {
        return exectest_b();
}
