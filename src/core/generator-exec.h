/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/* Rewriting one Exec*= line so that each of its commands runs through systemd-landlock-exec. Pure
 * string logic: the command words are re-emitted as written in the unit file (systemd processes them
 * exactly as before: quoting, environment variables, specifiers), only the words we add are quoted. */

#include "exec-line.h"
#include "macro.h"

typedef struct ExecWrapContext {
        const char *exec_path;          /* the enforcer (LANDLOCK_EXEC_PATH) */
        const char *unit;               /* --unit= */
        char **policy_words;            /* landlock_args_from_policy(), unquoted */
        const char *search_path;        /* ExecSearchPath= of the unit, or NULL */
        const char *error;              /* invalid directives: --error= instead of a policy */
} ExecWrapContext;

/* The rewritten value for one Exec*= line. "+" commands are kept as written; a line that does not
 * parse becomes a refusal (exec_line_refusal()): systemd might still run part of it. */
int exec_line_wrap(const char *value, const ExecWrapContext *ctx, char **ret);

/* A command line that refuses to run anything: the enforcer with --error=ERROR and no command. Used for
 * units whose directives are invalid, and for Exec lines that cannot be split. */
int exec_line_refusal(const ExecWrapContext *ctx, const char *error, char **ret);

/* Appends "len" bytes of "s" to the NUL-terminated *buf of length *n, growing it. */
int buf_append(char **buf, size_t *n, const char *s, size_t len);

/* Quotes one of our own words for an Exec*= line: systemd quoting, "$" doubled unless no_env (the ":"
 * prefix), "%" kept (specifiers in our paths are for systemd to expand) unless escape_percent. */
char *exec_quote_word(const char *word, bool no_env, bool escape_percent);
