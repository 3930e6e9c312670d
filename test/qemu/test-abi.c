/* SPDX-License-Identifier: LGPL-2.1-or-later */

/* The running kernel against the host's expectation and against the project's ABI table: every right,
 * scope and restrict flag the table says this ABI has must be accepted by the kernel, and every one it
 * says the ABI lacks must be refused. */

#include "qemu-test.h"

TEST(abi_probe_matches_expected_kernel) {
        int abi = expected_abi(), r;

        r = landlock_abi_probe();
        printf("# landlock_abi_probe() = %d%s%s\n", r, r < 0 ? " " : "", r < 0 ? strerror(-r) : "");
        if (abi == 0)
                ASSERT_ERROR(r, EOPNOTSUPP);    /* built in, disabled through lsm= */
        else
                ASSERT_EQ(r, abi);
}

TEST(errata_probe_matches_expected_kernel) {
        int abi = expected_abi(), r;

        r = landlock_errata_probe();
        printf("# landlock_errata_probe() = %d\n", r);
        if (abi == 0) {
                ASSERT_ERROR(r, EOPNOTSUPP);
                return;
        }
        /* At least those: a stable update of the distribution's kernel may backport more fixes, and the
         * next test requires each of them to be in the table. */
        ASSERT_OK(r);
        ASSERT_EQ((uint32_t) r & expect.errata, expect.errata);
        if ((uint32_t) r != expect.errata)
                printf("# more errata than run.sh expects (0x%x): a newer kernel build\n", expect.errata);
}

/* Every erratum the kernel reports must be one the project's table knows (so "systemd-landlock abi" can
 * explain it), and concern a feature this ABI has. */
TEST(every_reported_erratum_is_in_the_table) {
        int abi = expected_abi(), errata;

        if (abi == 0)
                return;
        errata = landlock_errata_probe();
        ASSERT_OK(errata);
        for (unsigned bit = 0; bit < 32; bit++) {
                const LandlockErratum *known = NULL;

                if (!(errata & (1U << bit)))
                        continue;
                for (size_t i = 0; i < landlock_n_errata; i++)
                        if (landlock_errata[i].id == bit + 1)
                                known = landlock_errata + i;
                if (!known)
                        test_fail(__FILE__, __LINE__, "the kernel reports erratum %u, the table does not know it", bit + 1);
                printf("# erratum %u (ABI %u): %s\n", known->id, known->abi, known->description);
                ASSERT_TRUE(known->abi <= (unsigned) abi);
        }
}

static int ruleset_accepts(LandlockRightKind kind, uint64_t bit, unsigned abi) {
        struct landlock_ruleset_attr attr = {};
        int fd;

        switch (kind) {
        case LANDLOCK_KIND_FS:
                attr.handled_access_fs = bit;
                break;
        case LANDLOCK_KIND_NET:
                attr.handled_access_net = bit;
                break;
        case LANDLOCK_KIND_SCOPE:
                attr.scoped = bit;
                break;
        default:
                return -EINVAL;
        }

        /* The largest attribute this project knows: a kernel that does not know a field refuses a non-zero
         * value in it with E2BIG, one that knows the field but not the bit with EINVAL. */
        fd = landlock_create_ruleset(&attr, sizeof(attr), 0);
        if (fd < 0)
                return -errno;
        (void) close(fd);
        return 0;
}

TEST(every_handled_right_in_the_table_matches_the_kernel) {
        int abi = expected_abi();
        unsigned n = 0;

        if (abi == 0)
                return;
        for (size_t i = 0; i < landlock_n_rights; i++) {
                const LandlockRight *right = landlock_rights + i;
                int r;

                if (right->kind == LANDLOCK_KIND_RESTRICT_FLAG)
                        continue;
                r = ruleset_accepts(right->kind, right->bit, abi);
                if ((r == 0) != (right->abi <= (unsigned) abi))
                        test_fail(__FILE__, __LINE__, "%s %s (table: ABI %u): kernel with ABI %d says %s",
                                  landlock_kind_to_string(right->kind), right->name, right->abi, abi,
                                  r == 0 ? "accepted" : strerror(-r));
                if (r < 0 && r != -EINVAL && r != -E2BIG)
                        test_fail(__FILE__, __LINE__, "%s refused with %s, expected EINVAL or E2BIG", right->name,
                                  strerror(-r));
                n++;
        }
        printf("# %u rights and scopes checked against the kernel\n", n);
}

static int child_restrict_flag(void *userdata) {
        const LandlockRight *right = userdata;

        /* With ruleset fd -1: an unknown flag is EINVAL, a known one EBADF (LOG_SUBDOMAINS_OFF alone is
         * valid without a ruleset and succeeds: it only changes this child's logging). */
        if (landlock_restrict_self(-1, (uint32_t) right->bit) == 0)
                return right->bit == LANDLOCK_RESTRICT_SELF_LOG_SUBDOMAINS_OFF ? 0 : 1;
        if (errno == EBADF)
                return 0;
        if (errno == EINVAL)
                return 2;
        return 3;
}

TEST(every_restrict_flag_in_the_table_matches_the_kernel) {
        int abi = expected_abi();

        if (abi == 0)
                return;
        for (size_t i = 0; i < landlock_n_rights; i++) {
                const LandlockRight *right = landlock_rights + i;
                int r;

                if (right->kind != LANDLOCK_KIND_RESTRICT_FLAG)
                        continue;
                r = fork_and_wait(child_restrict_flag, (void *) right);
                ASSERT_OK(r);
                if ((r == 0) != (right->abi <= (unsigned) abi))
                        test_fail(__FILE__, __LINE__, "restrict flag %s (table: ABI %u): kernel with ABI %d %s it (child status %d)",
                                  right->name, right->abi, abi, r == 0 ? "accepts" : "refuses", r);
        }
}

TEST(ruleset_attr_size_accepted) {
        int abi = expected_abi(), fd;
        struct landlock_ruleset_attr attr = {
                .handled_access_fs = LANDLOCK_ACCESS_FS_READ_FILE,
        };

        if (abi == 0)
                return;
        fd = landlock_create_ruleset(&attr, landlock_ruleset_attr_size((unsigned) abi), 0);
        if (fd < 0)
                test_fail(__FILE__, __LINE__, "size %zu for ABI %d refused: %m",
                          landlock_ruleset_attr_size((unsigned) abi), abi);
        (void) close(fd);
}
