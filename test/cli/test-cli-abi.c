/* SPDX-License-Identifier: LGPL-2.1-or-later */

/* "systemd-landlock abi" against this kernel: the ABI it prints is the one landlock_abi_probe() finds,
 * and every right of the table is listed as supported exactly when its ABI is ≤ the running one. */

#include <stdlib.h>

#include "landlock-abi.h"
#include "tests.h"

/* Output of "$SYSTEMD_LANDLOCK --no-pager --no-legend abi" (colours off: not a terminal). */
static char *run_abi(void) {
        const char *bin = getenv("SYSTEMD_LANDLOCK");
        _cleanup_free_ char *cmd = NULL;
        char *buf;
        size_t n = 0;
        FILE *f;

        if (!bin)
                test_fail(__FILE__, __LINE__, "$SYSTEMD_LANDLOCK is not set (meson sets it)");
        ASSERT_TRUE(asprintf(&cmd, "'%s' --no-pager --no-legend abi", bin) > 0);
        f = popen(cmd, "r");
        ASSERT_TRUE(f);
        buf = calloc(1, 65536);
        ASSERT_TRUE(buf);
        n = fread(buf, 1, 65535, f);
        buf[n] = '\0';
        ASSERT_EQ(pclose(f), 0);
        return buf;
}

TEST(abi_matches_the_probe) {
        _cleanup_free_ char *out = run_abi();
        int abi = landlock_abi_probe();
        const char *l = strstr(out, "Landlock: ");

        ASSERT_TRUE(l);
        if (abi > 0) {
                int shown = -1;

                ASSERT_EQ(sscanf(l, "Landlock: ABI %d", &shown), 1);
                ASSERT_EQ(shown, abi);
        } else if (abi == -ENOSYS)
                ASSERT_TRUE(strstr(l, "not built in") != NULL);
        else if (abi == -EOPNOTSUPP)
                ASSERT_TRUE(strstr(l, "disabled at boot") != NULL);
        else
                ASSERT_TRUE(strstr(l, "blocked") != NULL || strstr(l, "unavailable") != NULL);
}

TEST(every_right_is_listed_with_its_support) {
        _cleanup_free_ char *out = run_abi();
        int abi = landlock_abi_probe();

        for (size_t i = 0; i < landlock_n_rights; i++) {
                const LandlockRight *r = landlock_rights + i;
                const char *line = strstr(out, r->kernel_name);
                const char *eol;
                bool supported = abi > 0 && r->abi <= (unsigned) abi;
                _cleanup_free_ char *copy = NULL;

                if (!line)
                        test_fail(__FILE__, __LINE__, "%s not listed", r->kernel_name);
                eol = strchrnul(line, '\n');
                copy = strndup(line, eol - line);
                ASSERT_TRUE(copy);
                /* The row ends with yes/no. */
                ASSERT_TRUE(endswith(copy, supported ? " yes" : " no") != NULL);
        }
}

TEST(errata_rows_follow_the_probe) {
        _cleanup_free_ char *out = run_abi();
        int errata = landlock_errata_probe();

        if (errata < 0)
                errata = 0;
        for (size_t i = 0; i < landlock_n_errata; i++) {
                const LandlockErratum *e = landlock_errata + i;
                _cleanup_free_ char *needle = NULL;
                bool fixed = errata & (1 << (e->id - 1));

                ASSERT_TRUE(asprintf(&needle, "%-9s %u: %s", fixed ? "fixed" : "not fixed", e->id, e->description) > 0);
                if (!strstr(out, needle))
                        test_fail(__FILE__, __LINE__, "missing \"%s\" in:\n%s", needle, out);
        }
}
