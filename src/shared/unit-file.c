/* SPDX-License-Identifier: LGPL-2.1-or-later */

#include <assert.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>

#include "alloc-util.h"
#include "fileio.h"
#include "strv.h"
#include "systemd-version.h"
#include "text.h"
#include "unit-file.h"
#include "utf8.h"

#define COMMENTS "#;"
#define UTF8_BYTE_ORDER_MARK "\xef\xbb\xbf"

void unit_file_done(UnitFile *u) {
        assert(u);

        for (size_t i = 0; i < u->n_entries; i++) {
                free(u->entries[i].key);
                free(u->entries[i].value);
        }
        free(u->entries);
        strv_free(u->files);
        strv_free(u->strings);
        strv_free(u->fatal);
        *u = UNIT_FILE_INIT;
}

const char *unit_file_fatal_of(const UnitFile *u, const char *file) {
        size_t n;

        assert(u);
        assert(file);

        n = strlen(file);
        STRV_FOREACH(f, u->fatal)
                if (strneq(*f, file, n) && (*f)[n] == ':' && (*f)[n + 1] >= '0' && (*f)[n + 1] <= '9')
                        return *f;
        return NULL;
}

static bool entry_is(const UnitFileEntry *e, const char *section, const char *key) {
        /* The key first: most entries of a unit are in the section asked for, few have the key. */
        return streq(e->key, key) && streq(e->section, section);
}

const UnitFileEntry *unit_file_get_last(const UnitFile *u, const char *section, const char *key,
                                        UnitFileEmpty empty) {
        assert(u);
        assert(section);
        assert(key);

        for (size_t i = u->n_entries; i > 0; i--) {
                const UnitFileEntry *e = &u->entries[i - 1];

                if (!entry_is(e, section, key))
                        continue;
                if (!isempty(e->value))
                        return e;
                if (empty == UNIT_FILE_EMPTY_RESETS)
                        return NULL;
        }
        return NULL;
}

int unit_file_get_list(const UnitFile *u, const char *section, const char *key, const UnitFileEntry ***ret,
                       size_t *ret_n) {
        _cleanup_free_ const UnitFileEntry **l = NULL;
        size_t n = 0;

        assert(u);
        assert(section);
        assert(key);
        assert(ret);
        assert(ret_n);

        for (size_t i = 0; i < u->n_entries; i++) {
                const UnitFileEntry *e = &u->entries[i];

                if (!entry_is(e, section, key))
                        continue;
                if (isempty(e->value))
                        n = 0;
                else if (!GREEDY_APPEND(l, n, e))
                        return -ENOMEM;
        }
        if (n == 0)
                l = mfree(l);
        *ret = TAKE_PTR(l);
        *ret_n = n;
        return (int) MIN(n, (size_t) INT_MAX);
}

static char *strip(char *s) {
        char *e;

        s += strspn(s, WHITESPACE);
        e = s + strlen(s);
        while (e > s && strchr(WHITESPACE, e[-1]))
                e--;
        *e = '\0';
        return s;
}

static const char *intern(UnitFile *u, const char *s) {
        size_t n = u->n_strings;
        char *c;

        /* Sections come in runs; looking back a little is enough to share most of them. */
        for (size_t i = n; i > 0 && i + 8 > n; i--)
                if (streq(u->strings[i - 1], s))
                        return u->strings[i - 1];

        if (!GREEDY_REALLOC(u->strings, n + 2))
                return NULL;
        c = strdup(s);
        if (!c)
                return NULL;
        u->strings[n] = c;
        u->strings[n + 1] = NULL;
        u->n_strings = n + 1;
        return c;
}

static int add_entry(UnitFile *u, const char *section, const char *file, unsigned line, const char *key,
                     const char *value) {
        UnitFileEntry *e;

        if (!GREEDY_REALLOC(u->entries, u->n_entries + 1))
                return -ENOMEM;

        e = &u->entries[u->n_entries];
        *e = (UnitFileEntry) {
                .section = section,
                .file = file,
                .line = line,
                .key = strdup(key),
                .value = strdup(value),
        };
        if (!e->key || !e->value) {
                free(e->key);
                free(e->value);
                return -ENOMEM;
        }
        u->n_entries++;
        return 0;
}

/* The bytes of "s" that may not go raw into a log line (controls, DEL, and anything not ASCII, which may be
 * invalid UTF-8 — the reason we print it) as \xNN. */
static char *escape_for_message(const char *s) {
        char *r = malloc(strlen(s) * 4 + 1), *t = r;

        if (!r)
                return NULL;
        for (const unsigned char *c = (const unsigned char *) s; *c; c++)
                if (*c < ' ' || *c >= 0x7f)
                        t += sprintf(t, "\\x%02x", *c);
                else
                        *t++ = *c;
        *t = '\0';
        return r;
}

/* Records that reading "file" stops at "line": systemd ignores the rest of it. Returns 1 (stop), or -ENOMEM. */
static int fatal(UnitFile *u, const char *file, unsigned line, char ***warnings, const char *format, ...) _printf_(5, 6);
static int fatal(UnitFile *u, const char *file, unsigned line, char ***warnings, const char *format, ...) {
        _cleanup_free_ char *reason = NULL;
        va_list ap;
        int r;

        va_start(ap, format);
        r = vasprintf(&reason, format, ap);
        va_end(ap);
        if (r < 0)
                return -ENOMEM;

        r = strv_extendf(&u->fatal, "%s:%u: %s; systemd stops reading the file here", file, line, reason);
        if (r >= 0 && warnings)
                r = strv_extend(warnings, u->fatal[strv_length(u->fatal) - 1]);
        return r < 0 ? r : 1;
}

static int warn(char ***warnings, const char *file, unsigned line, const char *message) {
        return warnings ? strv_extendf(warnings, "%s:%u: %s", file, line, message) : 0;
}

/* Whether systemd accepts "name" between the brackets of a section header: no control characters, quotes,
 * backslash or DEL (string_is_safe()); in newer versions not empty either, and no glob characters. */
static bool section_name_is_accepted(const char *name, unsigned systemd_version) {
        if (systemd_refuses_empty_or_glob_section_names(systemd_version) && (isempty(name) || strpbrk(name, "*?[")))
                return false;
        for (const unsigned char *c = (const unsigned char *) name; *c; c++)
                if (*c < ' ' || *c == 0x7f || strchr("\"'\\", *c))
                        return false;
        return true;
}

typedef struct Reader {
        UnitFile *u;
        const char *file;               /* interned in u->files */
        char ***warnings;
        const char *section;            /* interned, or NULL before the first header */
} Reader;

/* One logical line (continuations joined), as systemd's parse_line(). Returns 0, 1 when the file stops
 * here, or -ENOMEM. */
static int parse_logical_line(Reader *rd, unsigned line, char *l) {
        _cleanup_free_ char *escaped = NULL;
        char *eq;

        l = strip(l);
        if (isempty(l))
                return 0;

        if (!utf8_is_valid(l))
                return fatal(rd->u, rd->file, line, rd->warnings, "Line is not valid UTF-8");

        if (*l == '[') {
                size_t k = strlen(l);

                escaped = escape_for_message(l);
                if (!escaped)
                        return -ENOMEM;
                if (l[k - 1] != ']')
                        return fatal(rd->u, rd->file, line, rd->warnings, "Invalid section header '%s'", escaped);

                l[k - 1] = '\0';
                if (!section_name_is_accepted(l + 1, rd->u->systemd_version))
                        return fatal(rd->u, rd->file, line, rd->warnings,
                                     "Invalid characters in section header '%s'", escaped);
                rd->section = intern(rd->u, l + 1);
                return rd->section ? 0 : -ENOMEM;
        }

        /* Unknown sections are kept under their names: what a section means is the caller's business. */
        if (!rd->section)
                return warn(rd->warnings, rd->file, line, "Assignment outside of section. Ignoring.");

        eq = strchr(l, '=');
        if (!eq)
                return warn(rd->warnings, rd->file, line, "Missing '=', ignoring line.");
        if (eq == l)
                return warn(rd->warnings, rd->file, line, "Missing key name before '=', ignoring line.");
        *eq = '\0';

        return add_entry(rd->u, rd->section, rd->file, line, strip(l), strip(eq + 1));
}

enum {
        EOL_NUL = 1 << 0,
        EOL_LF  = 1 << 1,
        EOL_CR  = 1 << 2,
};

static unsigned eol_kind(char c) {
        return c == '\0' ? EOL_NUL : c == '\n' ? EOL_LF : c == '\r' ? EOL_CR : 0;
}

/* systemd's read_line(): the length of the line at p (without its end) in *ret_len, and how many bytes the
 * line and its end take. A run of end-of-line bytes is one line end as long as no kind repeats and nothing
 * follows a NUL: "\r\n", "\n\r", "\r\n\0" are one end, "\n\n" and "\0\n" are two. */
static size_t next_line(const char *p, size_t n, size_t *ret_len) {
        size_t i = 0;
        unsigned seen = 0;

        while (i < n && eol_kind(p[i]) == 0)
                i++;
        *ret_len = i;

        while (i < n) {
                unsigned k = eol_kind(p[i]);

                if (k == 0 || (seen & (k | EOL_NUL)))
                        break;
                seen |= k;
                i++;
        }
        return i;
}

static bool line_is_comment(const char *l, size_t len) {
        size_t blanks = 0;

        while (blanks < len && strchr(" \t", l[blanks]))
                blanks++;
        return blanks < len && strchr(COMMENTS, l[blanks]);
}

/* Appends a physical line to the logical one. An odd run of backslashes at the end continues it: the last
 * backslash becomes a space, and 1 is returned; 0 when the logical line is complete. The joined text before
 * this line ends in the space that replaced the previous backslash, so scanning only the new part gives
 * what systemd gets by scanning the whole: linear, not quadratic, in the number of lines. */
static int logical_line_append(Text *logical, const char *l, size_t len) {
        size_t old_len = logical->n;
        bool escaped = false;
        int r;

        r = text_append(logical, l, len);
        if (r < 0)
                return r;
        for (size_t i = old_len; i < logical->n; i++)
                escaped = !escaped && logical->buf[i] == '\\';
        if (!escaped)
                return 0;
        logical->buf[logical->n - 1] = ' ';
        return 1;
}

int unit_file_parse_buffer(UnitFile *u, const char *filename, const char *data, size_t size, char ***warnings) {
        _cleanup_(text_done) Text logical = {};
        bool bom_seen = false, continued = false;
        unsigned line = 0, first_line = 0;
        Reader rd = { .u = u, .warnings = warnings };
        size_t n_files;
        int r;

        assert(u);
        assert(filename);
        assert(data || size == 0);

        n_files = strv_length(u->files);
        r = strv_extend(&u->files, filename);
        if (r < 0)
                return r;
        rd.file = u->files[n_files];

        for (size_t offset = 0; offset < size; ) {
                const char *l = data + offset;
                size_t len;

                offset += next_line(l, size - offset, &len);
                line++;

                if (len >= LONG_LINE_MAX)
                        return fatal(u, rd.file, line, warnings, "Line too long (%zu bytes, the limit is %u)",
                                     len, LONG_LINE_MAX - 1) < 0 ? -ENOMEM : 0;

                /* Comments are recognised before the byte-order mark is removed, and inside continuations. */
                if (line_is_comment(l, len))
                        continue;

                if (!bom_seen && len >= 3 && memcmp(l, UTF8_BYTE_ORDER_MARK, 3) == 0) {
                        l += 3;
                        len -= 3;
                        bom_seen = true;
                }

                if (continued) {
                        if (logical.n + len > LONG_LINE_MAX)
                                return fatal(u, rd.file, line, warnings,
                                             "Continuation line too long (%zu bytes, the limit is %u)",
                                             logical.n + len, LONG_LINE_MAX) < 0 ? -ENOMEM : 0;
                } else {
                        logical.n = 0;
                        first_line = line;
                }
                r = logical_line_append(&logical, l, len);
                if (r < 0)
                        return r;
                continued = r > 0;
                if (continued)
                        continue;

                r = parse_logical_line(&rd, first_line, logical.buf);
                if (r != 0)
                        return r < 0 ? r : 0;
        }

        /* A backslash on the last line: what was joined so far is still an assignment. */
        if (continued) {
                r = parse_logical_line(&rd, first_line, logical.buf);
                if (r < 0)
                        return r;
        }

        return 0;
}

int unit_file_parse_string(UnitFile *u, const char *filename, const char *text, char ***warnings) {
        assert(text);

        return unit_file_parse_buffer(u, filename, text, strlen(text), warnings);
}

int unit_file_add_read_error(UnitFile *u, const char *file, int error, char ***warnings) {
        int r;

        assert(u);
        assert(file);
        assert(error < 0);

        r = strv_extend(&u->files, file);
        if (r < 0)
                return r;
        r = fatal(u, u->files[strv_length(u->files) - 1], 0, warnings, "Cannot read the file: %s", strerror(-error));
        return r < 0 ? r : 0;
}

int unit_file_load(UnitFile *u, const char *path, const char *display_name, char ***warnings) {
        _cleanup_free_ char *text = NULL;
        size_t size;
        int r;

        assert(u);
        assert(path);

        r = read_full_file(path, &text, &size);
        if (r < 0)
                return r;

        return unit_file_parse_buffer(u, display_name ?: path, text, size, warnings);
}

static bool char_needs_quoting(unsigned char c) {
        return c < ' ' || c == 0x7f || strchr(WHITESPACE "\"'\\", c);
}

char *unit_file_quote_word(const char *s, bool double_dollar) {
        bool quote = isempty(s) || streq(s, ";");
        size_t n = 3;
        char *r, *t;

        assert(s);

        /* Bytes that are not valid UTF-8 are written as \xNN: systemd stops reading a file at the first line
         * that is not valid UTF-8, and would then miss every line after it. */
        for (const unsigned char *c = (const unsigned char *) s; *c; c++) {
                size_t k = *c >= 0x80 ? utf8_valid_char(c, NULL) : 1;

                if (char_needs_quoting(*c) || k == 0)
                        quote = true;
                n += 4 * (k > 1 ? k : 1);      /* worst case: \xNN for each byte */
                if (k > 1)
                        c += k - 1;
        }

        r = t = malloc(n);
        if (!r)
                return NULL;

        if (quote)
                *t++ = '"';
        for (const unsigned char *c = (const unsigned char *) s; *c; c++) {
                size_t k;

                if (*c == '$' && double_dollar) {
                        *t++ = '$';
                        *t++ = '$';
                } else if (!quote)
                        *t++ = *c;
                else if (*c == '"' || *c == '\\') {
                        *t++ = '\\';
                        *t++ = *c;
                } else if (*c == '\n') {
                        *t++ = '\\';
                        *t++ = 'n';
                } else if (*c == '\t') {
                        *t++ = '\\';
                        *t++ = 't';
                } else if (*c < ' ' || *c == 0x7f)
                        t += sprintf(t, "\\x%02x", *c);
                else if (*c < 0x80)
                        *t++ = *c;
                else if ((k = utf8_valid_char(c, NULL)) == 0)
                        t += sprintf(t, "\\x%02x", *c);
                else {
                        memcpy(t, c, k);
                        t += k;
                        c += k - 1;
                }
        }
        if (quote)
                *t++ = '"';
        *t = '\0';
        return r;
}
