/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/* Splitting an Exec*= value into its commands, prefixes and words the way systemd's config_parse_exec()
 * does, keeping where each token stands in the text: the generator re-emits the tokens as written, the
 * command line assesses the commands. One splitter, so both agree on what a line runs. */

#include "macro.h"
#include "unit-file.h"

/* How systemd extracts the words of an Exec*= line (it retries with CUNESCAPE_RELAX on bad escapes). */
#define EXEC_WORD_FLAGS (EXTRACT_UNQUOTE|EXTRACT_CUNESCAPE|EXTRACT_CUNESCAPE_RELAX)

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
/* Frees the commands exec_line_split() returned (the list ends at a zeroed entry), and the array;
 * returns NULL. */
ExecCommandRaw *exec_commands_free(ExecCommandRaw *cmds);
static inline void exec_commands_freep(ExecCommandRaw **cmds) {
        exec_commands_free(*cmds);
}
#define _cleanup_exec_commands_ _cleanup_(exec_commands_freep)

/* Splits "value" into its commands (a lone unquoted ";" separates them), followed by a zeroed entry.
 * Returns the number of commands (≥ 0; *ret is NULL for none), or -EINVAL if systemd could not parse the line either (bad quoting, prefix only). */
int exec_line_split(const char *value, ExecCommandRaw **ret, size_t *ret_n);
