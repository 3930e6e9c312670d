/* SPDX-License-Identifier: LGPL-2.1-or-later */

#include <assert.h>
#include <fcntl.h>
#include <stdarg.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>

#include "strv.h"
#include "systemd-version.h"
#include "unit-file.h"

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

int read_full_file(const char *path, char **ret, size_t *ret_size) {
        _cleanup_close_ int fd = -EBADF;
        _cleanup_free_ char *buf = NULL;
        size_t n = 0, allocated = 0;
        struct stat st;

        assert(path);
        assert(ret);

        /* O_NONBLOCK: a FIFO must not hang us (PID 1 would hang on it; the caller refuses instead). */
        fd = open(path, O_RDONLY|O_CLOEXEC|O_NOCTTY|O_NONBLOCK);
        if (fd < 0)
                return negative_errno();
        if (fstat(fd, &st) < 0)
                return negative_errno();
        if (S_ISDIR(st.st_mode))
                return -EISDIR;
        /* /dev/null is how drop-ins are masked: it reads as empty. Other devices could never end. */
        if (!S_ISREG(st.st_mode) && !(S_ISCHR(st.st_mode) && st.st_rdev == makedev(1, 3)))
                return -EBADFD;

        for (;;) {
                ssize_t k;

                if (allocated - n < 4096 + 1) {
                        char *b;

                        allocated = allocated ? allocated * 2 : 8192;
                        b = realloc(buf, allocated);
                        if (!b)
                                return -ENOMEM;
                        buf = b;
                }
                k = read(fd, buf + n, allocated - n - 1);
                if (k < 0) {
                        if (errno == EINTR)
                                continue;
                        return negative_errno();
                }
                if (k == 0)
                        break;
                n += k;
        }

        buf[n] = '\0';
        if (ret_size)
                *ret_size = n;
        *ret = TAKE_PTR(buf);
        return 0;
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

        /* Grown geometrically: a file of many sections must not take quadratic time. */
        if (n + 1 >= u->n_strings_allocated) {
                size_t m = u->n_strings_allocated ? u->n_strings_allocated * 2 : 16;
                char **l = reallocarray(u->strings, m, sizeof(char *));

                if (!l)
                        return NULL;
                u->strings = l;
                u->n_strings_allocated = m;
        }
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

        if (u->n_entries >= u->n_allocated) {
                size_t n = u->n_allocated ? u->n_allocated * 2 : 16;

                e = reallocarray(u->entries, n, sizeof(UnitFileEntry));
                if (!e)
                        return -ENOMEM;
                u->entries = e;
                u->n_allocated = n;
        }

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

/* systemd's utf8_encoded_valid_unichar() for the character at *s: its length, or 0 when invalid. Overlong
 * forms, surrogates, code points beyond U+10FFFF and the non-characters (U+FDD0…U+FDEF and every U+xxFFFE,
 * U+xxFFFF) are invalid; a byte-order mark in the middle of a line is a valid character. */
static size_t utf8_valid_char(const unsigned char *s) {
        size_t len;
        uint32_t c;

        if (s[0] < 0x80)
                return 1;
        if ((s[0] & 0xe0) == 0xc0)
                len = 2, c = s[0] & 0x1f;
        else if ((s[0] & 0xf0) == 0xe0)
                len = 3, c = s[0] & 0x0f;
        else if ((s[0] & 0xf8) == 0xf0)
                len = 4, c = s[0] & 0x07;
        else
                return 0;       /* a continuation byte, or a 5 or 6 byte form (always beyond U+10FFFF) */

        for (size_t i = 1; i < len; i++) {
                if ((s[i] & 0xc0) != 0x80)
                        return 0;
                c = (c << 6) | (s[i] & 0x3f);
        }

        if (len != (c < 0x80 ? 1u : c < 0x800 ? 2u : c < 0x10000 ? 3u : 4u))
                return 0;       /* overlong */
        if (c >= 0x110000 || (c & 0xfffff800) == 0xd800 || (c >= 0xfdd0 && c <= 0xfdef) || (c & 0xfffe) == 0xfffe)
                return 0;
        return len;
}

static bool utf8_is_valid(const char *s) {
        for (const unsigned char *p = (const unsigned char *) s; *p; ) {
                size_t k = utf8_valid_char(p);

                if (k == 0)
                        return false;
                p += k;
        }
        return true;
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

/* Appends "len" bytes to the continuation buffer (NUL-terminated), growing it geometrically. */
static int buffer_append(char **buf, size_t *len, size_t *allocated, const char *s, size_t n) {
        if (*len + n + 1 > *allocated) {
                size_t a = *allocated * 2 > *len + n + 1 ? *allocated * 2 : *len + n + 1;
                char *b = realloc(*buf, a);

                if (!b)
                        return -ENOMEM;
                *buf = b;
                *allocated = a;
        }
        memcpy(*buf + *len, s, n);
        *len += n;
        (*buf)[*len] = '\0';
        return 0;
}

int unit_file_parse_buffer(UnitFile *u, const char *filename, const char *data, size_t size, char ***warnings) {
        _cleanup_free_ char *logical = NULL;
        size_t logical_len = 0, logical_allocated = 0;
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
                size_t len, old_len;
                bool escaped = false;

                offset += next_line(l, size - offset, &len);
                line++;

                if (len >= LONG_LINE_MAX)
                        return fatal(u, rd.file, line, warnings, "Line too long (%zu bytes, the limit is %u)",
                                     len, LONG_LINE_MAX - 1) < 0 ? -ENOMEM : 0;

                /* Comments are recognised before the byte-order mark is removed, and inside continuations. */
                size_t blanks = 0;
                while (blanks < len && strchr(" \t", l[blanks]))
                        blanks++;
                if (blanks < len && strchr(COMMENTS, l[blanks]))
                        continue;

                if (!bom_seen && len >= 3 && memcmp(l, UTF8_BYTE_ORDER_MARK, 3) == 0) {
                        l += 3;
                        len -= 3;
                        bom_seen = true;
                }

                if (continued) {
                        if (logical_len + len > LONG_LINE_MAX)
                                return fatal(u, rd.file, line, warnings,
                                             "Continuation line too long (%zu bytes, the limit is %u)",
                                             logical_len + len, LONG_LINE_MAX) < 0 ? -ENOMEM : 0;
                } else {
                        logical_len = 0;
                        first_line = line;
                }
                old_len = logical_len;
                r = buffer_append(&logical, &logical_len, &logical_allocated, l, len);
                if (r < 0)
                        return r;

                /* An odd run of backslashes at the end continues the line. The joined text before this line
                 * ends in the space that replaced the previous backslash, so scanning only the new part gives
                 * what systemd gets by scanning the whole: linear, not quadratic, in the number of lines. */
                for (size_t i = old_len; i < logical_len; i++)
                        escaped = !escaped && logical[i] == '\\';
                if (escaped) {
                        logical[logical_len - 1] = ' ';
                        continued = true;
                        continue;
                }
                continued = false;

                r = parse_logical_line(&rd, first_line, logical);
                if (r != 0)
                        return r < 0 ? r : 0;
        }

        /* A backslash on the last line: what was joined so far is still an assignment. */
        if (continued) {
                r = parse_logical_line(&rd, first_line, logical);
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

static int unhex(char c) {
        if (c >= '0' && c <= '9')
                return c - '0';
        if (c >= 'a' && c <= 'f')
                return c - 'a' + 10;
        if (c >= 'A' && c <= 'F')
                return c - 'A' + 10;
        return -EINVAL;
}

static size_t utf8_encode(char *out, uint32_t c) {
        if (c < 0x80) {
                out[0] = c;
                return 1;
        }
        if (c < 0x800) {
                out[0] = 0xc0 | (c >> 6);
                out[1] = 0x80 | (c & 0x3f);
                return 2;
        }
        if (c < 0x10000) {
                out[0] = 0xe0 | (c >> 12);
                out[1] = 0x80 | ((c >> 6) & 0x3f);
                out[2] = 0x80 | (c & 0x3f);
                return 3;
        }
        out[0] = 0xf0 | (c >> 18);
        out[1] = 0x80 | ((c >> 12) & 0x3f);
        out[2] = 0x80 | ((c >> 6) & 0x3f);
        out[3] = 0x80 | (c & 0x3f);
        return 4;
}

/* One C escape after the backslash at *p: writes its bytes to out, returns how many input characters it
 * used, or -EINVAL. Like systemd's cunescape_one(): \0 and other NULs are refused. */
static int cunescape_one(const char *p, char *out, size_t *ret_len) {
        static const char simple[] = "a\ab\bf\fn\nr\rt\tv\v\\\\\"\"''s ";
        uint32_t c = 0;
        int a, b, d;

        if (!*p)
                return -EINVAL;

        for (size_t i = 0; simple[i]; i += 2)
                if (simple[i] == *p) {
                        out[0] = simple[i + 1];
                        *ret_len = 1;
                        return 1;
                }

        switch (*p) {

        case 'x':
                a = unhex(p[1]);
                if (a < 0)
                        return -EINVAL;
                b = unhex(p[2]);
                if (b < 0)
                        return -EINVAL;
                if (a == 0 && b == 0)
                        return -EINVAL;
                out[0] = (char) ((a << 4) | b);
                *ret_len = 1;
                return 3;

        case 'u':
        case 'U': {
                size_t n = *p == 'u' ? 4 : 8;

                for (size_t i = 1; i <= n; i++) {
                        d = unhex(p[i]);
                        if (d < 0)
                                return -EINVAL;
                        c = (c << 4) | d;
                }
                if (c == 0 || c > 0x10ffff || (c >= 0xd800 && c <= 0xdfff))
                        return -EINVAL;
                *ret_len = utf8_encode(out, c);
                return n + 1;
        }

        case '0' ... '7':
                for (size_t i = 0; i < 3; i++) {
                        if (p[i] < '0' || p[i] > '7')
                                return -EINVAL;
                        c = (c << 3) | (p[i] - '0');
                }
                if (c == 0 || c > 255)
                        return -EINVAL;
                out[0] = (char) c;
                *ret_len = 1;
                return 3;

        default:
                return -EINVAL;
        }
}

int extract_first_word_raw(const char **p, char **ret, const char *separators, ExtractFlags flags,
                           const char **ret_raw_start, const char **ret_raw_end) {
        _cleanup_free_ char *s = NULL;
        const char *q, *start;
        size_t n = 0, allocated;
        char quote = 0;

        assert(p);
        assert(ret);

        if (!separators)
                separators = WHITESPACE;

        if (!*p) {
                *ret = NULL;
                return 0;
        }

        q = *p + strspn(*p, separators);
        if (!*q) {
                *p = q;
                *ret = NULL;
                return 0;
        }
        start = q;

        /* Grown as the word grows, never by the length of the rest of the line: a line of many words
         * must take linear time. */
        allocated = 64;
        s = malloc(allocated);
        if (!s)
                return -ENOMEM;

        for (;; q++) {
                char c = *q;

                /* Room for the most one step writes (an escape: up to 4 bytes) and the final NUL. */
                if (n + 8 > allocated) {
                        char *b = realloc(s, allocated * 2);

                        if (!b)
                                return -ENOMEM;
                        s = b;
                        allocated *= 2;
                }

                if (c == '\0') {
                        if (quote && !(flags & EXTRACT_RELAX))
                                return -EINVAL;
                        break;
                }

                if (c == '\\') {
                        if (q[1] == '\0') {
                                if (!(flags & EXTRACT_RELAX))
                                        return -EINVAL;
                                s[n++] = '\\';
                                continue;
                        }
                        if (flags & EXTRACT_CUNESCAPE) {
                                size_t len;
                                int k = cunescape_one(q + 1, s + n, &len);

                                if (k < 0) {
                                        if (!(flags & (EXTRACT_CUNESCAPE_RELAX|EXTRACT_RELAX)))
                                                return -EINVAL;
                                        s[n++] = '\\';
                                        s[n++] = q[1];
                                        q++;
                                        continue;
                                }
                                n += len;
                                q += k;
                        } else
                                s[n++] = *++q;
                        continue;
                }

                if (quote) {
                        if (c == quote)
                                quote = 0;
                        else
                                s[n++] = c;
                        continue;
                }

                if (strchr(separators, c))
                        break;

                if ((flags & EXTRACT_UNQUOTE) && (c == '"' || c == '\'')) {
                        quote = c;
                        continue;
                }

                s[n++] = c;
        }

        s[n] = '\0';
        if (ret_raw_start)
                *ret_raw_start = start;
        if (ret_raw_end)
                *ret_raw_end = q;
        *p = q + strspn(q, separators);
        *ret = TAKE_PTR(s);
        return 1;
}

int extract_first_word(const char **p, char **ret, const char *separators, ExtractFlags flags) {
        return extract_first_word_raw(p, ret, separators, flags, NULL, NULL);
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
                size_t k = *c >= 0x80 ? utf8_valid_char(c) : 1;

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
                else if ((k = utf8_valid_char(c)) == 0)
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
