/* SPDX-License-Identifier: LGPL-2.1-or-later */

#include <assert.h>
#include <fcntl.h>
#include <sys/stat.h>

#include "strv.h"
#include "unit-file.h"

#define WHITESPACE " \t\n\r"
#define COMMENTS "#;"

void unit_file_done(UnitFile *u) {
        assert(u);

        for (size_t i = 0; i < u->n_entries; i++) {
                free(u->entries[i].key);
                free(u->entries[i].value);
        }
        free(u->entries);
        strv_free(u->files);
        strv_free(u->strings);
        *u = UNIT_FILE_INIT;
}

int read_full_file(const char *path, char **ret, size_t *ret_size) {
        _cleanup_close_ int fd = -EBADF;
        _cleanup_free_ char *buf = NULL;
        size_t n = 0, allocated = 0;

        assert(path);
        assert(ret);

        fd = open(path, O_RDONLY|O_CLOEXEC|O_NOCTTY);
        if (fd < 0)
                return negative_errno();

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
        size_t n = strv_length(u->strings);

        /* Sections come in runs; looking back a little is enough to share most of them. */
        for (size_t i = n; i > 0 && i + 8 > n; i--)
                if (streq(u->strings[i - 1], s))
                        return u->strings[i - 1];
        if (strv_extend(&u->strings, s) < 0)
                return NULL;
        return u->strings[n];
}

static int add_entry(UnitFile *u, const char *section, const char *file, unsigned line, const char *key,
                     const char *value) {
        UnitFileEntry *e;

        e = realloc(u->entries, sizeof(UnitFileEntry) * (u->n_entries + 1));
        if (!e)
                return -ENOMEM;
        u->entries = e;

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

static int parse_line(UnitFile *u, const char *file, unsigned line, char *l, const char **section,
                      char ***warnings) {
        char *eq;

        l = strip(l);
        if (isempty(l))
                return 0;

        if (*l == '[') {
                size_t k = strlen(l);

                if (l[k - 1] != ']') {
                        *section = NULL;
                        return warnings ? strv_extendf(warnings, "%s:%u: Invalid section header '%s', ignoring.", file, line, l) : 0;
                }
                l[k - 1] = '\0';
                *section = intern(u, l + 1);
                return *section ? 0 : -ENOMEM;
        }

        if (!*section)
                return warnings ? strv_extendf(warnings, "%s:%u: Assignment outside of section. Ignoring.", file, line) : 0;

        eq = strchr(l, '=');
        if (!eq)
                return warnings ? strv_extendf(warnings, "%s:%u: Missing '=', ignoring line.", file, line) : 0;
        *eq = '\0';

        return add_entry(u, *section, file, line, strip(l), strip(eq + 1));
}

int unit_file_parse_string(UnitFile *u, const char *filename, const char *text, char ***warnings) {
        _cleanup_free_ char *continuation = NULL;
        const char *section = NULL, *file;
        unsigned line = 0, first_line = 0;
        size_t n_files;
        int r;

        assert(u);
        assert(filename);
        assert(text);

        n_files = strv_length(u->files);
        r = strv_extend(&u->files, filename);
        if (r < 0)
                return r;
        file = u->files[n_files];

        for (const char *p = text; *p; ) {
                _cleanup_free_ char *buf = NULL;
                const char *nl = strchrnul(p, '\n'), *l;
                bool escaped = false;
                char *e;

                buf = strndup(p, nl - p);
                if (!buf)
                        return -ENOMEM;
                p = *nl ? nl + 1 : nl;
                line++;

                /* Comment lines are skipped, also in the middle of a continued assignment. */
                l = buf + strspn(buf, WHITESPACE);
                if (*l && strchr(COMMENTS, *l))
                        continue;

                if (continuation) {
                        char *c;

                        if (asprintf(&c, "%s%s", continuation, buf) < 0)
                                return -ENOMEM;
                        free(continuation);
                        continuation = c;
                } else {
                        continuation = TAKE_PTR(buf);
                        first_line = line;
                }

                /* An odd run of backslashes at the end continues the line; the backslash becomes a space. */
                for (e = continuation; *e; e++)
                        escaped = !escaped && *e == '\\';
                if (escaped) {
                        e[-1] = ' ';
                        continue;
                }

                r = parse_line(u, file, first_line, continuation, &section, warnings);
                if (r < 0)
                        return r;
                free(continuation);
                continuation = NULL;
        }

        if (continuation) {
                r = parse_line(u, file, first_line, continuation, &section, warnings);
                if (r < 0)
                        return r;
        }

        return 0;
}

int unit_file_load(UnitFile *u, const char *path, const char *display_name, char ***warnings) {
        _cleanup_free_ char *text = NULL;
        int r;

        assert(u);
        assert(path);

        r = read_full_file(path, &text, NULL);
        if (r < 0)
                return r;

        return unit_file_parse_string(u, display_name ?: path, text, warnings);
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
        size_t n = 0;
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

        /* The result is never longer than the input. */
        s = malloc(strlen(q) + 1);
        if (!s)
                return -ENOMEM;

        for (;; q++) {
                char c = *q;

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

        for (const char *c = s; *c; c++) {
                if (char_needs_quoting(*c))
                        quote = true;
                n += 4;         /* worst case: \xNN */
        }

        r = t = malloc(n);
        if (!r)
                return NULL;

        if (quote)
                *t++ = '"';
        for (const unsigned char *c = (const unsigned char *) s; *c; c++) {
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
                else
                        *t++ = *c;
        }
        if (quote)
                *t++ = '"';
        *t = '\0';
        return r;
}
