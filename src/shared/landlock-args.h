/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/* The enforcer's command line: the policy as words that stay readable in "systemctl cat" and
 * "systemctl show -p ExecStart", written by the generator, parsed by systemd-landlock-exec:
 *
 *   systemd-landlock-exec [--unit=NAME] [--path=[-]PATH:ACCESS]… [--handle-fs] [--bind=SPEC]… [--connect=SPEC]…
 *                         [--scope=LIST] [--compat=strict] [--log=no] [--process-wide=yes|no]
 *                         [--allow-command=no] [--search-path=DIR:DIR] [--separate-argv0] [--condition]
 *                         [--error=MESSAGE] -- COMMAND [ARG…]
 *
 * PATH uses the same "[-]PATH[:ACCESS]" syntax and escapes as LandlockPaths=, SPEC the same syntax as
 * LandlockBindPorts=, so one parser (landlock-policy.h) serves both. Options equal to their default are
 * not written. The words are returned unquoted: quoting for a unit file is the generator's business.
 *
 * --handle-fs is written only when the policy handles the filesystem without any path rule (everything
 * denied but what LandlockAllowCommand= grants). Every option precedes "--", and nothing after "--" is ever
 * read as an option: the words there come from the unit and its environment ("$VAR" may split into
 * several words), never from the generator. --separate-argv0 is systemd's "@" prefix: after "--" come
 * the executable, then argv[0], then the arguments. --condition marks an ExecCondition= command, where
 * an exit status of 1-254 only skips the unit: a refusal then exits with 255, which fails it. A path rule's ACCESS keeps rights named one by one after the bundle ("rw,resolve-unix"),
 * so that strict mode sees the same named rights after the round trip. */

#include "landlock-policy.h"

/* The directory, in the generator's output directory, of links to the enforcer named after the commands
 * it runs (their journal identity, systemd-landlock-generator(8)): "/run/systemd/generator/landlock-exec/
 * nginx" is the enforcer too. */
#define LANDLOCK_EXEC_IDENTITY_DIR "landlock-exec"

typedef struct LandlockExecOptions {
        LandlockPolicy policy;
        char *unit;                     /* --unit=: for messages only */
        bool separate_argv0;            /* --separate-argv0: systemd's "@" prefix */
        bool condition;                 /* --condition: an ExecCondition= command */
        char *search_path;              /* --search-path=: ExecSearchPath= of the unit */
        char *error;                    /* --error=: the unit's directives are invalid; refuse, log this */
        char **command;                 /* after "--", NULL-terminated; command[0] may be a bare name */
        uint64_t policy_id;             /* of the policy words (not --unit= and the like), see below */
} LandlockExecOptions;

void landlock_exec_options_done(LandlockExecOptions *o);

/* Appends the option words for "p" (not the unit/argv0/… ones) to the NULL-terminated *words. */
int landlock_args_from_policy(const LandlockPolicy *p, char ***words);

/* LandlockExecOptions.policy_id is a short identifier of a policy: FNV-1a (64 bits) over its words as
 * given (each with its NUL), so that the policy a process was started with can be told from the one its
 * unit says now. Not a security digest: it tells versions of an administrator's policy apart. The
 * enforcer logs it, before executing the command, in a message that starts with
 * LANDLOCK_POLICY_ID_MESSAGE and goes on with 16 hex digits; "systemd-landlock show" and "security" read
 * it back from the journal and compare it with the id of the words the manager would run now. */
#define LANDLOCK_POLICY_ID_MESSAGE "Enforcing Landlock policy "

/* Parses argv[1…] of the enforcer. On failure returns -EINVAL and sets *ret_error to a message naming the
 * offending argument. */
int landlock_args_parse(int argc, char *const argv[], LandlockExecOptions *ret, char **ret_error);
