/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/* C escapes as systemd reads them in unit files (its cunescape_one()). */

#include "macro.h"

/* One C escape after a backslash, at p (\n, \t, \xNN, \NNN octal, \uXXXX, \UXXXXXXXX, …): writes its bytes
 * (at most 4) to out and their count to *ret_len, returns how many input characters it used, or -EINVAL
 * (unknown escape, or one that stands for NUL, as systemd refuses it). */
int cunescape_one(const char *p, char *out, size_t *ret_len);
