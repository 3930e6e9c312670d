/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/* Grants the enforcer makes by itself whenever a policy handles the filesystem, whatever the directives
 * say, so that ordinary programs keep working: the harmless character devices every service may open
 * (systemd's PrivateDevices= keeps the same ones). The enforcer adds them, "systemd-landlock show" lists
 * them, the man pages document them: this list is their one definition. */

#include "landlock-policy.h"

#define LANDLOCK_IMPLICIT_SOURCE "implicit"

#define LANDLOCK_IMPLICIT_DEVICE_ACCESS (LANDLOCK_ACCESS_FS_READ_FILE | LANDLOCK_ACCESS_FS_WRITE_FILE)

extern const char *const landlock_implicit_devices[];   /* NULL-terminated */

/* Adds read-file,write-file on each implicit device (optional: skipped where it does not exist). */
int landlock_policy_add_implicit_devices(LandlockPolicy *p);
