/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/* Which systemd reads the units, and where its versions differ in how they read them.
 *
 * A generator must not talk to PID 1, so the version comes from the files on disk: systemd installs its
 * private libraries as libsystemd-shared-TAG.so and libsystemd-core-TAG.so in LIBDIR/systemd (Debian:
 * /usr/lib/x86_64-linux-gnu/systemd/libsystemd-shared-252.so; upstream's default LIBDIR is /usr/lib or
 * /usr/lib64). TAG is the major version, or a distribution's "VERSION-RELEASE" (Fedora); its leading number is
 * the version. What is on disk is what PID 1 runs, except between a package upgrade and the daemon-reexec
 * that distributions run right after it. */

#include "macro.h"

/* Looks beneath "root" (NULL: /). Returns 0 and the major version; -ENOENT when no such library is found;
 * -ENOTUNIQ when libraries of different versions are found (an upgrade half done): the caller does not
 * know the version then. */
int systemd_version_detect(const char *root, unsigned *ret);

/* The versions whose reading and lookup rules this project checked (the sources of 252 and 257, the binaries
 * of 252, 257 and 262; 253…256 lie between two checked versions that agree). For any other version, the
 * rules are a guess: unit_file_parse_*() then applies the strictest ones, and a caller should say so. */
bool systemd_version_is_verified(unsigned version) _const_;

/* The differences (see unit-file.h). A version 0 means unknown. */

/* Section headers: "[]" and names with "*", "?" or "[" stop the file in 262 (are unknown sections, ignored,
 * in 252…257). Unverified versions: stop (the stricter behaviour). */
bool systemd_refuses_empty_or_glob_section_names(unsigned version) _const_;
