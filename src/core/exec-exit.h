/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <stddef.h>

/* Exit statuses of systemd-landlock-exec, documented in systemd-landlock-exec(8). 203 is systemd's own
 * EXIT_EXEC, so "systemctl status" already explains it; 246…248 are not used by systemd (its codes end
 * at 245, EXIT_BPF; the draft upstream Landlock patch uses 246 for the same purpose as we do). */
enum {
        EXIT_LANDLOCK_EXEC = 203,       /* the command was not found, or execve() failed */
        EXIT_LANDLOCK = 246,            /* Landlock could not be enforced as asked: strict refusal, blocked
                                         * syscalls, failed restriction */
        EXIT_LANDLOCK_POLICY = 247,     /* invalid arguments or directives (--error=): nothing is run */
        EXIT_LANDLOCK_PATH = 248,       /* a required path of the policy does not exist, or cannot be
                                         * resolved safely (a symlink the service may change, a loop) */
        EXIT_LANDLOCK_CONDITION = 255,  /* any refusal in an ExecCondition= command (--condition): 1-254
                                         * there would only skip the unit, 255 fails it */
};

/* What each status means, for systemd-landlock-exec(8)'s EXIT STATUS (tools/landlock-doc): one row per
 * status above, in that order. */
typedef struct ExecExitStatus {
        int status;
        const char *meaning;            /* roff text */
} ExecExitStatus;

extern const ExecExitStatus exec_exit_statuses[];
extern const size_t exec_n_exit_statuses;
