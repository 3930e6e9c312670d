/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/* The "%" specifiers systemd expands in unit files, and the first version that knows each. A word with
 * a specifier systemd does not know makes config_parse_exec() fail; without the "-" prefix that is a
 * fatal error which ends the drop-in at that line (and every later line of it is lost). Whoever writes
 * words into a unit file checks them here first. */

#include "macro.h"

/* The oldest systemd we support; also what to assume when the running version is unknown. */
#define SYSTEMD_VERSION_MIN 252U

/* The version that introduced specifier "c" in unit files, or 0 if no version we know has it. */
unsigned unit_specifier_since(char c);

/* Checks every "%X" of "s" (a word as systemd sees it after unquoting) against what systemd "version"
 * knows (0: the oldest we support). Returns 0 if systemd expands them all, -EBADSLT if not, with the
 * first unknown letter in *ret_bad. Like systemd, "%" before a character that is not a letter or a digit
 * is kept as written, and so is a "%" at the end. */
int unit_specifiers_check(const char *s, unsigned version, char *ret_bad);

/* Specifiers whose value is fit for a path in a Landlock rule: directories, names of the unit, its user
 * and its host. Others (the OS release, the cgroup, the fragment's own path…) may be empty, may fail, or
 * differ between versions: Landlock paths do not accept them. Same return convention. */
int unit_specifiers_check_path(const char *s, unsigned version, char *ret_bad);

/* "%b %C %d …": the specifiers unit_specifiers_check_path() accepts, for messages and the man page. */
char *unit_specifiers_path_list(unsigned version);
