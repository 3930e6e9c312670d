/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/* A structured journal entry through journald's native protocol: one datagram of "FIELD=value\n" lines
 * to /run/systemd/journal/socket, for programs linked without libsystemd (the static enforcer). journald
 * adds the trusted fields (_PID=, _SYSTEMD_UNIT=, …) from the sender's credentials. */

#include <stddef.h>

#define JOURNAL_NATIVE_SOCKET "/run/systemd/journal/socket"

/* "fields" are "NAME=value" strings; a value containing a newline is sent in the protocol's binary
 * form. Returns 0, or -errno (e.g. -ENOENT when there is no journal, -EMSGSIZE). */
int journal_send_fields(const char *socket_path, char *const *fields, size_t n_fields);
