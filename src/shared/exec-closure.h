/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/* The files a command needs in order to be exec'd, for LandlockAllowCommand=yes: the executable, its
 * "#!" interpreter chain, its ELF interpreter (PT_INTERP) and the shared libraries the dynamic loader
 * will map (DT_NEEDED, recursively), found the way glibc's ld.so finds them: DT_RPATH (when there is no
 * DT_RUNPATH, also the loaders' DT_RPATH), $LD_LIBRARY_PATH, DT_RUNPATH, /etc/ld.so.cache, then the
 * default directories; $ORIGIN/$LIB/$PLATFORM expanded. LD_PRELOAD and /etc/ld.so.preload libraries are
 * included (they load into the command as well), and so is /etc/ld.so.cache itself.
 *
 * Pure file reading: nothing is executed. Granting a file the loader ends up not using is harmless, so
 * where ld.so's choice depends on the CPU (glibc-hwcaps subdirectories) every candidate is listed. */

#include <stdbool.h>

#include "macro.h"
#include "strv.h"

/* systemd's default $PATH for services, also used to resolve bare command names. */
#define EXEC_DEFAULT_SEARCH_PATH "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin"

/* The kernel follows at most 4 levels of binfmt handlers (BINPRM_MAX_RECURSION). */
#define EXEC_CLOSURE_MAX_INTERPRETER_DEPTH 4

typedef struct ExecClosureOptions {
        const char *search_path;        /* for "#!/usr/bin/env NAME"; NULL: EXEC_DEFAULT_SEARCH_PATH */
        const char *ld_library_path;    /* $LD_LIBRARY_PATH, or NULL */
        const char *ld_preload;         /* $LD_PRELOAD, or NULL */
        const char *ld_so_cache;        /* NULL: /etc/ld.so.cache */
        const char *ld_so_preload;      /* NULL: /etc/ld.so.preload */
} ExecClosureOptions;

/* Resolves a command as systemd does: a name containing '/' is taken as is (it must be absolute); a bare
 * name is looked up in "search_path" (ExecSearchPath=, colon separated) or EXEC_DEFAULT_SEARCH_PATH.
 * Returns -ENOENT if nothing is found, -EACCES if only non-executable candidates were found, -EINVAL for a
 * relative path. */
/* glibc's default library directories for the machine this code was built for (/lib/TRIPLET,
 * /usr/lib/TRIPLET, /lib64, /usr/lib64, /lib, /usr/lib on x86-64): where a module it dlopen()s by bare
 * name, such as an NSS module, is looked for after ld.so.cache. */
int exec_default_library_dirs(char ***ret);

int exec_command_find(const char *name, const char *search_path, char **ret_path);

/* Computes the closure of the executable "path" (absolute). *ret is a NULL-terminated list of canonical
 * absolute paths of existing files, without duplicates (files are told apart by device and inode, as ld.so
 * does); the first entry is the executable itself.
 * Libraries that cannot be found are left out (ld.so will fail on them anyway) and logged at debug
 * level. Returns -errno if "path" itself cannot be read. */
int exec_closure_compute(const char *path, const ExecClosureOptions *o, char ***ret);
/* The same, and the interpreter of "path" as exec_interpreter() returns it (NULL if none) in
 * *ret_interpreter (if not NULL), from the same reading of the file. */
int exec_closure_compute_full(const char *path, const ExecClosureOptions *o, char ***ret,
                              char **ret_interpreter);

/* The same, for a caller that adds a rule on each file at once, as the enforcer does: each file stays
 * open, its descriptor (O_RDONLY, close-on-exec, 3 or above, owned by the caller) in (*ret_fds)[i], and
 * (*ret)[i] is the path it was found at rather than its canonical path (which would take a read of
 * /proc/self/fd for each, and is only a name here: the rule goes on the open file). Where the process ran
 * out of descriptors (EMFILE, ENFILE), (*ret_fds)[i] is -EBADF and (*ret)[i] the canonical path, as
 * exec_closure_compute() gives it. */
int exec_closure_compute_open(const char *path, const ExecClosureOptions *o, char ***ret, int **ret_fds,
                              char **ret_interpreter);

/* Fills "o" from the environment of the calling process ($LD_LIBRARY_PATH, $LD_PRELOAD). */
void exec_closure_options_from_environment(ExecClosureOptions *o, const char *search_path);

/* The interpreter the kernel loads for "path": the "#!" interpreter or the ELF PT_INTERP. Returns 1 and
 * *ret, 0 if there is none (static binary, unknown format), or -errno. For error messages. */
int exec_interpreter(const char *path, char **ret);
