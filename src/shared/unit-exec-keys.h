/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/* The settings whose commands systemd executes, per section, in the order it runs them: one table for
 * the generator, the command line (offline and over D-Bus) and the documentation. */

#include "macro.h"
#include "unit-file.h"

/* NULL-terminated names ("ExecStart"), or NULL for a section without commands we wrap. */
const char * const *unit_exec_keys(const char *section);

/* The first systemd version that knows the setting; SYSTEMD_VERSION_MIN for those every supported
 * version knows, 0 for a name that is not an Exec setting. */
unsigned unit_exec_key_since(const char *key);

bool unit_exec_key_is_valid(const char *section, const char *key);

/* Whether the setting's commands run beside the service's main process to control it (ExecStartPost=,
 * ExecReload=, ExecStop=, …). Each command gets its own Landlock domain, so signal scoping would keep
 * these from signalling the main process: they are not signal-scoped (systemd.landlock(5)). */
bool unit_exec_key_controls_main(const char *section, const char *key);

/* ExecSearchPath= as systemd applies it: a list whose assignments accumulate (an empty one resets it),
 * joined with ":", specifiers unexpanded; *ret = NULL when none is in effect (the default $PATH then).
 * Returns 0 or -ENOMEM. The generator writes it into --search-path= and "show" looks commands up in it:
 * both read it here. */
int unit_exec_search_path(const UnitFile *u, const char *section, char **ret);
