/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/* C escapes as systemd reads them in unit files (its cunescape_one()). */

#include "macro.h"

/* One C escape after a backslash, at p (\n, \t, \xNN, \NNN octal, \uXXXX, \UXXXXXXXX, …): writes its bytes
 * (at most 4) to out and their count to *ret_len, returns how many input characters it used, or -EINVAL
 * (unknown escape, or one that stands for NUL, as systemd refuses it). */
int cunescape_one(const char *p, char *out, size_t *ret_len);

/* The one escape pair of paths in "PATH:ACCESS" items (LandlockPaths=, the enforcer's --path=): ":" and
 * "\\" are written "\\:" and "\\\\"; any other backslash stands for itself. */
char *path_colon_escape(const char *path);
/* Unescapes "s" up to its first unescaped ":" into *ret; *ret_rest (may be NULL) points just after that
 * colon, or is NULL when there is none. Returns 0 or -ENOMEM. */
int path_colon_unescape(const char *s, char **ret, const char **ret_rest);
