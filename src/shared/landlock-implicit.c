/* SPDX-License-Identifier: LGPL-2.1-or-later */

#include "landlock-implicit.h"

const char *const landlock_implicit_devices[] = {
        "/dev/null",
        "/dev/zero",
        "/dev/full",
        "/dev/random",
        "/dev/urandom",
        NULL,
};

int landlock_policy_add_implicit_devices(LandlockPolicy *p) {
        int r;

        assert(p);

        for (const char *const *d = landlock_implicit_devices; *d; d++) {
                r = landlock_policy_add_path(p, *d, LANDLOCK_IMPLICIT_DEVICE_ACCESS, 0, /* optional= */ true,
                                             &(LandlockSource) { .file = (char *) LANDLOCK_IMPLICIT_SOURCE });
                if (r < 0)
                        return r;
        }
        return 0;
}
