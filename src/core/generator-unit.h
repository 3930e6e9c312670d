/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/* What systemd-landlock-generator writes for one unit, and the walk over every unit of a manager.
 * Everything but main(): the tests and the benchmark call these directly on a temporary tree. */

#include "unit-file.h"
#include "unit-lookup.h"

/* The name of our drop-in: one that sorts after every name in "seen" (strcmp(), as systemd orders
 * drop-ins): "~landlock.conf" when that does. -ENOSPC if no valid drop-in name sorts after them. */
int generator_dropin_name(char * const *seen, char **ret);

/* The drop-in for one unit whose assignments (fragment, then drop-ins) are in "u". Returns 1 and the text
 * in *ret_text, or 0 when the unit has no Landlock directives (and "force" is false). *ret_errors (may be
 * NULL) gets why the unit must refuse to start, "FILE:LINE: …": invalid directives, Exec lines systemd
 * would reject or that cannot be wrapped faithfully, and "problems" (the caller's reasons, e.g. files
 * systemd stops reading early). "version" is the running systemd's (0: unknown, assume the oldest). */
int generator_unit_dropin(const char *unit_name, const char *fragment, const UnitFile *u, const char *exec_path,
                          unsigned version, char * const *problems, bool force, char **ret_text, char ***ret_errors);

/* The same, executing the enforcer through links in "identity_dir" named after each command's executable
 * (exec_identity()), so that the commands keep their journal identity, unless the unit sets
 * SyslogIdentifier= or would not see identity_dir; *ret_identities gets the names of the links to create
 * there. identity_dir NULL: as generator_unit_dropin(). */
int generator_unit_dropin_full(const char *unit_name, const char *fragment, const UnitFile *u, const char *exec_path,
                               const char *identity_dir, unsigned version, char * const *problems, bool force,
                               char **ret_text, char ***ret_errors, char ***ret_identities);

typedef struct GeneratorOptions {
        UnitScope scope;
        const char *root;               /* look units up beneath this directory (tests); NULL = / */
        char **search_path;             /* NULL: the manager's search path for the scope */
        const char *output_dir;         /* the "normal" generator directory (argv[1]) */
        const char *early_dir;          /* the "early" one (argv[2]): where a unit is masked; may be NULL */
        unsigned systemd_version;       /* of the manager, 0 if unknown */
        const char *exec_path;          /* the enforcer; NULL = LANDLOCK_EXEC_PATH */
        bool identity_links;            /* run the enforcer through links in output_dir/LANDLOCK_EXEC_IDENTITY_DIR,
                                         * so that commands keep their journal identity */
} GeneratorOptions;

/* Writes a drop-in for every unit with Landlock directives. Problems with one unit are logged and do not
 * stop the others. Returns the number of drop-ins written, or -errno when nothing could be done. */
int generator_run(const GeneratorOptions *o);
