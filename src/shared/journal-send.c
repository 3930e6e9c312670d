/* SPDX-License-Identifier: LGPL-2.1-or-later */

#include <endian.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "journal-send.h"
#include "macro.h"

/* Appends one field to buf: "NAME=value\n", or, when the value has a newline, "NAME\n" + its length as
 * 64-bit little endian + the value + "\n" (journald's native protocol). */
static int append_field(char **buf, size_t *size, const char *field) {
        const char *eq = strchr(field, '=');
        size_t name_len, value_len, need;
        char *p;

        if (!eq || eq == field)
                return -EINVAL;
        name_len = eq - field;
        value_len = strlen(eq + 1);
        need = name_len + 1 + 8 + value_len + 1;

        p = realloc(*buf, *size + need);
        if (!p)
                return -ENOMEM;
        *buf = p;
        p += *size;

        if (!strchr(eq + 1, '\n')) {
                memcpy(p, field, name_len + 1 + value_len);
                p[name_len + 1 + value_len] = '\n';
                *size += name_len + 1 + value_len + 1;
                return 0;
        }

        uint64_t le = htole64((uint64_t) value_len);
        memcpy(p, field, name_len);
        p[name_len] = '\n';
        memcpy(p + name_len + 1, &le, 8);
        memcpy(p + name_len + 1 + 8, eq + 1, value_len);
        p[need - 1] = '\n';
        *size += need;
        return 0;
}

int journal_send_fields(const char *socket_path, char *const *fields, size_t n_fields) {
        _cleanup_free_ char *buf = NULL;
        _cleanup_close_ int fd = -EBADF;
        struct sockaddr_un sa = { .sun_family = AF_UNIX };
        size_t size = 0;
        int r;

        assert(socket_path);
        assert(fields || n_fields == 0);

        if (strlen(socket_path) >= sizeof sa.sun_path)
                return -EINVAL;
        strcpy(sa.sun_path, socket_path);

        for (size_t i = 0; i < n_fields; i++) {
                r = append_field(&buf, &size, fields[i]);
                if (r < 0)
                        return r;
        }

        fd = socket(AF_UNIX, SOCK_DGRAM|SOCK_CLOEXEC, 0);
        if (fd < 0)
                return -errno;
        if (sendto(fd, buf, size, MSG_NOSIGNAL, (struct sockaddr *) &sa, sizeof sa) < 0)
                return -errno;
        return 0;
}
