/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/* What the generator can tell, from a unit's settings alone, about the service's own view of the file
 * system: whether a path it needs there (the enforcer) is hidden or replaced by the unit's namespace
 * settings, and whether the unit restricts what may be executed (NoExecPaths=). Pure logic on the
 * assignments of the unit; nothing is resolved on this machine. */

#include "unit-file.h"

/* 0 if "path" is plainly visible as itself in the service's mount namespace; 1 if a setting hides it,
 * replaces it, or leaves us unsure (a specifier we cannot resolve, a root of its own), with the reason in
 * *ret_why as "FILE:LINE: Setting=VALUE …". -ENOMEM. */
int unit_path_hidden(const UnitFile *u, const char *section, const char *path, char **ret_why);

/* Whether NoExecPaths= is in effect (non-empty after resets): then only ExecPaths= may be executed. */
bool unit_restricts_exec(const UnitFile *u, const char *section);
