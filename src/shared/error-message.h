/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include "macro.h"

/* For functions that explain their failures in words: stores a formatted message in *ret_error (if
 * ret_error is non-NULL, replacing what was there) and returns "error" (a negative errno), or -ENOMEM if
 * the message could not be allocated. %m refers to "error". */
int set_error(char **ret_error, int error, const char *format, ...) _printf_(3, 4);
