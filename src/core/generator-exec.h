/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/* Rewriting one Exec*= line so that each of its commands runs through systemd-landlock-exec. Pure
 * string logic: the command words are re-emitted as written in the unit file (systemd processes them
 * exactly as before: quoting, environment variables, specifiers), only the words we add are quoted. */

#include "macro.h"

typedef struct ExecWrapContext {
        const char *exec_path;          /* the enforcer (LANDLOCK_EXEC_PATH) */
        const char *unit;               /* --unit= */
        char **policy_words;            /* landlock_args_from_policy(), unquoted */
        const char *search_path;        /* ExecSearchPath= of the unit, or NULL */
        const char *error;              /* invalid directives: --error= instead of a policy */
} ExecWrapContext;

/* One command of an Exec*= line, split the way systemd 252's config_parse_exec() splits it. */
typedef struct ExecCommandRaw {
        char prefix[8];                 /* "-", "@", ":", "+", "!", "!!" as written, in order */
        char *path;                     /* the executable, unquoted */
        const char *path_raw_start, *path_raw_end;      /* its token as written, prefixes included */
        const char *argv0_raw_start, *argv0_raw_end;    /* "@": the argv[0] token */
        const char *args_raw_start, *args_raw_end;      /* the arguments, as written */
        const char *raw_start, *raw_end;                /* the whole command, as written */
} ExecCommandRaw;

void exec_command_raw_done(ExecCommandRaw *c);

/* Splits "value" into its commands (a lone unquoted ";" separates them). Returns the number of
 * commands (≥ 0), or -EINVAL if systemd could not parse the line either (bad quoting, prefix only). */
int exec_line_split(const char *value, ExecCommandRaw **ret, size_t *ret_n);

/* The rewritten value for one Exec*= line. "+" commands are kept as written; a line that does not
 * parse is kept as written too (systemd ignores it with a warning, as before). */
int exec_line_wrap(const char *value, const ExecWrapContext *ctx, char **ret);

/* A command line that refuses to run anything: the enforcer with --error=ERROR and no command. Used for
 * units whose directives are invalid, and for Exec lines that cannot be split. */
int exec_line_refusal(const ExecWrapContext *ctx, const char *error, char **ret);

/* Quotes one of our own words for an Exec*= line: systemd quoting, "$" doubled unless no_env (the ":"
 * prefix), "%" kept (specifiers in our paths are for systemd to expand) unless escape_percent. */
char *exec_quote_word(const char *word, bool no_env, bool escape_percent);
