/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/* Grants the enforcer makes by itself whenever a policy handles the filesystem on a kernel with Landlock,
 * whatever the directives say, so that ordinary programs keep working. landlock_policy_add_implicit() is
 * their one definition: the enforcer adds them before compiling, "systemd-landlock show" lists what the
 * same call adds, the man pages document them. */

#include "exec-closure.h"
#include "landlock-policy.h"

/* The source of each implicit grant (LandlockSource.file), also what "show" says of it. */
#define LANDLOCK_IMPLICIT_COMMAND "implicit: a file the command needs to run (LandlockAllowCommand=yes)"
#define LANDLOCK_IMPLICIT_NOTIFY  "implicit: $NOTIFY_SOCKET, where resolve-unix is handled"
#define LANDLOCK_IMPLICIT_DEVICE  "implicit: harmless device, every service may open it"
#define LANDLOCK_IMPLICIT_PROGRAM "LandlockAllowPrograms=: a file a program or module named there needs"

#define LANDLOCK_IMPLICIT_DEVICE_ACCESS (LANDLOCK_ACCESS_FS_READ_FILE | LANDLOCK_ACCESS_FS_WRITE_FILE)

/* The harmless character devices every service may open (systemd's PrivateDevices= keeps the same
 * ones); NULL-terminated. */
extern const char *const landlock_implicit_devices[];

typedef struct LandlockImplicitContext {
        const char *command;                    /* the executable, resolved (exec_command_find()); NULL:
                                                 * none known, no files of it are granted */
        const ExecClosureOptions *closure;      /* how to find its files; NULL: the defaults */
        const char *notify_socket;              /* $NOTIFY_SOCKET as the service gets it, or NULL */
        unsigned abi;                           /* of the kernel the policy is compiled for */
        char **ret_interpreter;                 /* if not NULL: the command's interpreter, when its files
                                                 * were read (exec_closure_compute_full()); else unchanged */
        bool open_files;                        /* the command's files become rules on the files opened
                                                 * while finding them (landlock_policy_add_open_file()), as
                                                 * the enforcer adds them; else rules on their canonical
                                                 * paths, as "show" lists them */
} LandlockImplicitContext;

/* When p handles the filesystem and abi > 0, adds (each optional: skipped where it does not exist)
 *  - read-file,execute on every file the command needs to be exec'd, when p->allow_command;
 *  - resolve-unix on $NOTIFY_SOCKET when it is a path and the ABI handles resolve-unix (elsewhere
 *    connecting is not restricted; an abstract "@…" socket is no path);
 *  - read-file,write-file on the harmless devices.
 * Returns 0, or -errno when the command's files cannot be found (the enforcer then refuses to run it). */
int landlock_policy_add_implicit(LandlockPolicy *p, const LandlockImplicitContext *c);

/* LandlockAllowPrograms=: read-file,execute on every file "program" (absolute, a program a command execs
 * or a module it loads) needs, found as the command's are. Returns 0, or -errno when "program" cannot be
 * read. */
int landlock_policy_add_program_files(LandlockPolicy *p, const char *program, const ExecClosureOptions *closure,
                                      bool open_files);
