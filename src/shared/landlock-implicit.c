/* SPDX-License-Identifier: LGPL-2.1-or-later */

#include "landlock-implicit.h"
#include "log.h"
#include "strv.h"

const char *const landlock_implicit_devices[] = {
        "/dev/null",
        "/dev/zero",
        "/dev/full",
        "/dev/random",
        "/dev/urandom",
        NULL,
};

static int add_grant(LandlockPolicy *p, const char *path, uint64_t access, const char *source) {
        return landlock_policy_add_path(p, path, access, 0, /* optional= */ true,
                                        &(LandlockSource) { .file = (char *) source });
}

/* The files "command" needs, each granted read-file,execute: rules on the files opened while finding
 * them when "open" (the enforcer), else on their canonical paths (what "show" lists). "program": the
 * LandlockAllowPrograms= entry "command" comes from, NULL for the command itself. */
static int add_closure(LandlockPolicy *p, const char *command, const ExecClosureOptions *closure, bool open,
                       const char *program, char **ret_interpreter) {
        const char *source = program ? LANDLOCK_IMPLICIT_PROGRAM : LANDLOCK_IMPLICIT_COMMAND;
        const uint64_t access = LANDLOCK_ACCESS_FS_READ_FILE | LANDLOCK_ACCESS_FS_EXECUTE;
        _cleanup_strv_free_ char **files = NULL;
        _cleanup_free_ int *fds = NULL;
        ExecClosureOptions defaults = {};
        size_t n = 0;
        int r;

        if (open)
                r = exec_closure_compute_open(command, closure ?: &defaults, &files, &fds, ret_interpreter);
        else
                r = exec_closure_compute_full(command, closure ?: &defaults, &files, ret_interpreter);
        if (r < 0)
                return r;
        n = strv_length(files);
        r = 0;
        for (size_t i = 0; i < n; i++) {
                if (r < 0) {
                        if (open)
                                safe_close(fds[i]);     /* the rest, after a failure */
                        continue;
                }
                if (open && fds[i] >= 0)
                        r = landlock_policy_add_open_file(p, fds[i], files[i], access,
                                                          &(LandlockSource) { .file = (char *) source });
                else    /* a canonical path (exec_closure_compute_open() ran out of descriptors) */
                        r = add_grant(p, files[i], access, source);
                if (r >= 0 && program)
                        log_debug("Grant for LandlockAllowPrograms=%s: %s (read-file,execute)", program, files[i]);
                else if (r >= 0)
                        log_debug("Implicit grant for the command: %s (read-file,execute)", files[i]);
        }
        return r;
}

static int add_command_files(LandlockPolicy *p, const char *command, const ExecClosureOptions *closure, bool open,
                             char **ret_interpreter) {
        return add_closure(p, command, closure, open, /* program= */ NULL, ret_interpreter);
}

int landlock_policy_add_program_files(LandlockPolicy *p, const char *program, const ExecClosureOptions *closure,
                                      bool open_files) {
        assert(p);
        assert(program);

        return add_closure(p, program, closure, open_files, program, NULL);
}

static int add_notify_socket(LandlockPolicy *p, const char *socket, unsigned abi) {
        if (!socket || socket[0] != '/')
                return 0;
        if (!(landlock_abi_mask(LANDLOCK_KIND_FS, abi) & LANDLOCK_ACCESS_FS_RESOLVE_UNIX))
                return 0;       /* not handled: connecting is allowed anyway */

        log_debug("Implicit grant for $NOTIFY_SOCKET: %s (resolve-unix)", socket);
        return add_grant(p, socket, LANDLOCK_ACCESS_FS_RESOLVE_UNIX, LANDLOCK_IMPLICIT_NOTIFY);
}

int landlock_policy_add_implicit(LandlockPolicy *p, const LandlockImplicitContext *c) {
        int r;

        assert(p);
        assert(c);

        if (!p->handle_fs || c->abi == 0)
                return 0;

        if (p->allow_command && c->command) {
                r = add_command_files(p, c->command, c->closure, c->open_files, c->ret_interpreter);
                if (r < 0)
                        return r;
        }
        r = add_notify_socket(p, c->notify_socket, c->abi);
        if (r < 0)
                return r;
        for (const char *const *d = landlock_implicit_devices; *d; d++) {
                r = add_grant(p, *d, LANDLOCK_IMPLICIT_DEVICE_ACCESS, LANDLOCK_IMPLICIT_DEVICE);
                if (r < 0)
                        return r;
        }
        return 0;
}
