/* SPDX-License-Identifier: LGPL-2.1-or-later */

#include <stdarg.h>

#include "error-message.h"

int set_error(char **ret_error, int error, const char *format, ...) {
        va_list ap;
        char *s;

        if (!ret_error)
                return error;

        errno = error < 0 ? -error : error;
        va_start(ap, format);
        if (vasprintf(&s, format, ap) < 0)
                s = NULL;
        va_end(ap);

        free(*ret_error);
        *ret_error = s;
        return s ? error : -ENOMEM;
}
