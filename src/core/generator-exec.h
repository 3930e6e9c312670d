/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/* Rewriting one Exec*= line so that each of its commands runs through systemd-landlock-exec. Pure
 * string logic: the command words are re-emitted as written in the unit file (systemd processes them
 * exactly as before: quoting, environment variables, specifiers), only the words we add are quoted. */

#include "exec-line.h"
#include "macro.h"

/* The policy words of one unit quoted once for all its commands: [control words][no_env]. Each is the
 * words as append_enforcer() writes them, every one after a blank. */
typedef struct ExecWordsQuoted {
        char *text[2][2];
} ExecWordsQuoted;

void exec_words_quoted_done(ExecWordsQuoted *q);

typedef struct ExecWrapContext {
        const char *exec_path;          /* the enforcer (LANDLOCK_EXEC_PATH) */
        const char *unit;               /* --unit= */
        char **policy_words;            /* landlock_args_from_policy(), unquoted */
        char **control_words;           /* the same for commands that control the main process (without
                                         * signal scoping), used when "control" is set; NULL: policy_words */
        const char *search_path;        /* ExecSearchPath= of the unit, or NULL */
        const char *error;              /* invalid directives: --error= instead of a policy */
        unsigned version;               /* of the running systemd, for its specifiers (0: the oldest) */
        bool condition;                 /* ExecCondition=: --condition */
        bool control;                   /* ExecReload=, ExecStop=, …: unit_exec_key_controls_main() */
        /* Where links to the enforcer named after each command's executable live (NULL: none): systemd
         * names a command's journal stream after the file name of the path it executes, so executing the
         * enforcer through "IDENTITY_DIR/nginx" keeps the identifier "nginx". Each name used is added to
         * *identities, for the caller to create the link. */
        const char *identity_dir;
        char ***identities;
        ExecWordsQuoted *quoted;        /* filled as the commands need them; NULL: quote every time */
} ExecWrapContext;

/* The rewritten value for one Exec*= line: *ret, or NULL when the line runs no command (a lone ";"), in
 * which case nothing must be written (an empty value would reset the list). "+" commands are kept as
 * written. A "-" command that systemd would reject ends the line, as systemd ignores it and the rest.
 * Returns -EBADMSG with the reason in *ret_problem when systemd would reject the line (or part of it), or
 * when we cannot be sure how it splits: the caller refuses the unit. */
int exec_line_wrap(const char *value, const ExecWrapContext *ctx, char **ret, char **ret_problem);

/* The journal identifier systemd gives a command run as "path" (the file name of the path, as systemd
 * 252 to 262 do when SyslogIdentifier= is unset), or NULL when it is not plain enough to be the name of a
 * link we write into an Exec line (a specifier, quoting, an unusual character): then the enforcer runs
 * under its own name. */
const char *exec_identity(const char *path);

/* A command line that refuses to run anything: the enforcer with --error=ERROR and no command. */
int exec_line_refusal(const ExecWrapContext *ctx, const char *error, char **ret);

/* Quotes one of our own words for an Exec*= line: systemd quoting, "$" doubled unless no_env (the ":"
 * prefix), "%" kept (specifiers in our paths are for systemd to expand) unless escape_percent. */
char *exec_quote_word(const char *word, bool no_env, bool escape_percent);
