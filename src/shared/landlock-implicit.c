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

static int add_command_files(LandlockPolicy *p, const char *command, const ExecClosureOptions *closure,
                             char **ret_interpreter) {
        _cleanup_strv_free_ char **files = NULL;
        ExecClosureOptions defaults = {};
        int r;

        r = exec_closure_compute_full(command, closure ?: &defaults, &files, ret_interpreter);
        if (r < 0)
                return r;
        STRV_FOREACH(f, files) {
                r = add_grant(p, *f, LANDLOCK_ACCESS_FS_READ_FILE | LANDLOCK_ACCESS_FS_EXECUTE,
                              LANDLOCK_IMPLICIT_COMMAND);
                if (r < 0)
                        return r;
                log_debug("Implicit grant for the command: %s (read-file,execute)", *f);
        }
        return 0;
}

int landlock_policy_add_program_files(LandlockPolicy *p, const char *program, const ExecClosureOptions *closure) {
        _cleanup_strv_free_ char **files = NULL;
        ExecClosureOptions defaults = {};
        int r;

        assert(p);
        assert(program);

        r = exec_closure_compute(program, closure ?: &defaults, &files);
        if (r < 0)
                return r;
        STRV_FOREACH(f, files) {
                r = add_grant(p, *f, LANDLOCK_ACCESS_FS_READ_FILE | LANDLOCK_ACCESS_FS_EXECUTE,
                              LANDLOCK_IMPLICIT_PROGRAM);
                if (r < 0)
                        return r;
                log_debug("Grant for LandlockAllowPrograms=%s: %s (read-file,execute)", program, *f);
        }
        return 0;
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
                r = add_command_files(p, c->command, c->closure, c->ret_interpreter);
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
