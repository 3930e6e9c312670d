/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/* A reader for systemd unit files that reads them the way systemd's config_parse() does (checked against
 * the sources of systemd 252 and 257 and the binaries of 252, 257 and 262):
 *
 *  - lines end at "\n", "\r" or NUL, and at the combinations "\r\n", "\n\r" and those followed by one NUL
 *    (read_line()); a line must be shorter than LONG_LINE_MAX bytes;
 *  - a line whose first non-blank character is "#" or ";" is a comment, also in the middle of a continued
 *    assignment (and it is recognised before the byte-order mark is removed);
 *  - the UTF-8 byte-order mark is removed once: from the first non-comment line that starts with it,
 *    whichever line that is;
 *  - an odd number of backslashes at the end of a line continues it: the last backslash becomes a space and
 *    the next line is appended as is; an empty line ends the continuation; a continued assignment may be at
 *    most LONG_LINE_MAX bytes long;
 *  - outer blanks (" \t\n\r") are stripped from the logical line, the key and the value;
 *    "[Section]", "Key=Value"; "=Value" and lines without "=" are ignored with a warning.
 *
 * Some errors are FATAL: systemd stops reading the file there, what came before stays applied. A fatal error
 * in a unit's fragment makes the unit fail to load; in a drop-in, only the rest of that drop-in is lost. They
 * are: a line of LONG_LINE_MAX bytes or more, a continued assignment longer than LONG_LINE_MAX, a logical
 * line that is not valid UTF-8, a section header that does not end in "]", and a section name systemd
 * refuses (control characters, quotes, backslash, DEL; from systemd 262 on also an empty name and the glob
 * characters "*?["). The reader records them in UnitFile.fatal and stops reading that file, as systemd does.
 *
 * Systemd's quoting rules for the words of a value are in extract_first_word(). Specifiers ("%i", "%S"…) are
 * never expanded: they are left for systemd. Pure logic plus plain file reading; no knowledge of Landlock. */

#include "extract-word.h"
#include "macro.h"

/* systemd's limit (fileio.h): read_line() fails on a line of this many bytes or more (EOL excluded), and a
 * continued assignment may not grow beyond it. */
#define LONG_LINE_MAX (1024U * 1024U)

typedef struct UnitFileEntry {
        const char *section;            /* "Service"; points into UnitFile.strings */
        char *key;                      /* "ExecStart", stripped */
        char *value;                    /* raw value: continuations joined, outer whitespace stripped,
                                         * quotes/escapes still in place */
        const char *file;               /* the file it came from; points into UnitFile.files */
        unsigned line;                  /* line of the key (the first line of a continued assignment; systemd's
                                         * own messages name the last one) */
} UnitFileEntry;

/* All assignments of a unit: its fragment, then its drop-ins, in the order systemd applies them. */
typedef struct UnitFile {
        UnitFileEntry *entries;
        size_t n_entries;
        char **files;                   /* NULL-terminated, in load order */
        char **strings;                 /* section names, interned; NULL-terminated */
        size_t n_strings;
        /* One "FILE:LINE: reason" for each file whose reading stopped early at a fatal error (see above),
         * in load order; NULL when every file was read to its end. Assignments before the fatal line are
         * in entries, as systemd applies them; nothing after it is. */
        char **fatal;
        /* The systemd whose rules to apply (systemd_version_detect()), 0 when unknown: then the strictest
         * rules of all versions apply, so that anything some version would stop at is recorded as fatal. */
        unsigned systemd_version;
} UnitFile;

#define UNIT_FILE_INIT (UnitFile) {}

void unit_file_done(UnitFile *u);

/* Parses "size" bytes of "data" (NULs included) as if read from "filename" and appends its assignments.
 * Malformed lines are skipped as systemd skips them (a warning is appended to *warnings as "FILE:LINE: …"
 * when warnings is non-NULL); a fatal error stops the file and is recorded in u->fatal (and also appended to
 * *warnings). Returns 0, or -ENOMEM. */
int unit_file_parse_buffer(UnitFile *u, const char *filename, const char *data, size_t size, char ***warnings);
/* The same for a NUL-terminated string. */
int unit_file_parse_string(UnitFile *u, const char *filename, const char *text, char ***warnings);
/* Reads "path" and appends its assignments; "display_name" (may be NULL: path) is what messages name.
 * Returns -errno when the file cannot be opened or read (-EISDIR for a directory, -EBADFD for anything that
 * is neither a regular file nor /dev/null, which reads as empty, as for systemd). */
int unit_file_load(UnitFile *u, const char *path, const char *display_name, char ***warnings);

/* Records that "file" could not be read at all ("FILE:0: …" in u->fatal, and in *warnings). Returns 0 or
 * -ENOMEM. */
int unit_file_add_read_error(UnitFile *u, const char *file, int error, char ***warnings);

/* systemd's rules for empty assignments, for the settings we read ourselves:
 *  - a single-valued setting takes its last assignment; an empty one resets it to its default (most
 *    settings: UNIT_FILE_EMPTY_RESETS, unit_file_get_last() returns NULL then, as when it is not set at
 *    all), or is ignored with a warning (enums parsed without a default, e.g. Type=, NotifyAccess=:
 *    UNIT_FILE_EMPTY_IS_IGNORED, the last non-empty assignment stays);
 *  - a list setting (Exec*=, ExecSearchPath=, SystemCallFilter=, …) accumulates its assignments; an empty
 *    one empties the list: unit_file_get_list() returns those after the last empty one, in order. */
typedef enum UnitFileEmpty {
        UNIT_FILE_EMPTY_RESETS,
        UNIT_FILE_EMPTY_IS_IGNORED,
} UnitFileEmpty;

const UnitFileEntry *unit_file_get_last(const UnitFile *u, const char *section, const char *key,
                                        UnitFileEmpty empty) _pure_;
/* *ret (NULL when the list is empty) points into u; returns the number of entries, or -ENOMEM. */
int unit_file_get_list(const UnitFile *u, const char *section, const char *key, const UnitFileEntry ***ret,
                       size_t *ret_n);

/* The fatal message of "file" (as named in UnitFile.files), or NULL when it was read to its end. */
const char *unit_file_fatal_of(const UnitFile *u, const char *file) _pure_;

/* The inverse for words we write into unit files: returns "s" as is when systemd would read it back
 * unchanged, otherwise in double quotes with C escapes. With double_dollar, "$" becomes "$$" (a value
 * that systemd expands environment variables in). "%" is left alone: specifiers stay specifiers. */
char *unit_file_quote_word(const char *s, bool double_dollar);
