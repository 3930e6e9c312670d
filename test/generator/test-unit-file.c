/* SPDX-License-Identifier: LGPL-2.1-or-later */

#include <stdlib.h>
#include <sys/stat.h>

#include "fileio.h"
#include "strv.h"
#include "tests.h"
#include "text.h"
#include "unit-file.h"

static const UnitFileEntry *find(const UnitFile *u, const char *section, const char *key, unsigned nth) {
        for (size_t i = 0; i < u->n_entries; i++)
                if (streq(u->entries[i].section, section) && streq(u->entries[i].key, key) && nth-- == 0)
                        return &u->entries[i];
        return NULL;
}

/* read_full_file() reads a regular file in one read() when it can: every size around the buffer sizes
 * comes back whole, and so does a file that grows after its size was taken (read as it is then). */
TEST(read_full_file_returns_every_byte) {
        static const size_t sizes[] = { 0, 1, 8191, 8192, 8193, 16385, 70000 };
        char path[] = "/tmp/test-read-full-XXXXXX";
        int fd = mkstemp(path);

        ASSERT_TRUE(fd >= 0);
        for (size_t k = 0; k < ELEMENTSOF(sizes); k++) {
                _cleanup_free_ char *want = malloc(sizes[k] + 1);
                _cleanup_free_ char *got = NULL;
                size_t n = SIZE_MAX;

                ASSERT_TRUE(want != NULL);
                for (size_t i = 0; i < sizes[k]; i++)
                        want[i] = (char) ('a' + (i * 7 + k) % 26);
                ASSERT_OK(ftruncate(fd, 0));
                ASSERT_EQ(pwrite(fd, want, sizes[k], 0), (ssize_t) sizes[k]);
                ASSERT_OK(read_full_file(path, &got, &n));
                ASSERT_EQ(n, sizes[k]);
                ASSERT_TRUE(memcmp(got, want, sizes[k]) == 0);
                ASSERT_EQ(got[n], '\0');
        }
        close(fd);
        unlink(path);
}

TEST(sections_keys_comments) {
        UnitFile u = UNIT_FILE_INIT;
        char **warnings = NULL;

        ASSERT_OK(unit_file_parse_string(&u, "a.service",
                                         "# comment\n"
                                         "; also a comment\n"
                                         "[Unit]\n"
                                         "Description = hello world  \n"
                                         "\n"
                                         "   [Service]\n"
                                         "  ExecStart=/bin/true\n"
                                         "NoEquals\n"
                                         "X-LandlockPaths=/etc\n", &warnings));
        ASSERT_EQ(u.n_entries, 3);
        ASSERT_STREQ(find(&u, "Unit", "Description", 0)->value, "hello world");
        ASSERT_EQ(find(&u, "Unit", "Description", 0)->line, 4);
        ASSERT_STREQ(find(&u, "Service", "ExecStart", 0)->value, "/bin/true");
        ASSERT_STREQ(find(&u, "Service", "X-LandlockPaths", 0)->file, "a.service");
        ASSERT_EQ(find(&u, "Service", "X-LandlockPaths", 0)->line, 9);
        ASSERT_EQ(strv_length(warnings), 1);
        ASSERT_STREQ(warnings[0], "a.service:8: Missing '=', ignoring line.");
        strv_free(warnings);
        unit_file_done(&u);
}

TEST(assignment_outside_section_is_skipped) {
        UnitFile u = UNIT_FILE_INIT;
        char **warnings = NULL;

        ASSERT_OK(unit_file_parse_string(&u, "b.service", "Foo=bar\n[Service]\nA=1", &warnings));
        ASSERT_EQ(u.n_entries, 1);
        ASSERT_STREQ(u.entries[0].key, "A");
        ASSERT_STREQ(warnings[0], "b.service:1: Assignment outside of section. Ignoring.");
        strv_free(warnings);
        unit_file_done(&u);
}

TEST(continuations) {
        UnitFile u = UNIT_FILE_INIT;

        ASSERT_OK(unit_file_parse_string(&u, "c.service",
                                         "[Service]\n"
                                         "LandlockPaths=/etc \\\n"
                                         "# a comment inside is skipped\n"
                                         "   /usr:rx \\\n"
                                         "  /var\n"
                                         "ExecStart=/bin/echo a\\\\\n"
                                         "ExecStart=/bin/echo b\n", NULL));
        ASSERT_EQ(u.n_entries, 3);
        ASSERT_STREQ(u.entries[0].value, "/etc     /usr:rx    /var");
        ASSERT_EQ(u.entries[0].line, 2);
        /* An even number of backslashes does not continue the line. */
        ASSERT_STREQ(u.entries[1].value, "/bin/echo a\\\\");
        ASSERT_EQ(u.entries[1].line, 6);
        ASSERT_STREQ(u.entries[2].value, "/bin/echo b");
        unit_file_done(&u);
}

TEST(continuation_at_end_of_file) {
        UnitFile u = UNIT_FILE_INIT;

        ASSERT_OK(unit_file_parse_string(&u, "d.service", "[Service]\nExecStart=/bin/a \\", NULL));
        ASSERT_EQ(u.n_entries, 1);
        ASSERT_STREQ(u.entries[0].value, "/bin/a");
        unit_file_done(&u);
}

TEST(extract_quotes_and_escapes) {
        const char *p = "  \"a b\"  'c\\\"d' e\\x41f \"\\n\" %i/x \"\" last";
        char *w;

        ASSERT_EQ(extract_first_word(&p, &w, NULL, EXTRACT_UNQUOTE|EXTRACT_CUNESCAPE), 1);
        ASSERT_STREQ(w, "a b"); free(w);
        ASSERT_EQ(extract_first_word(&p, &w, NULL, EXTRACT_UNQUOTE|EXTRACT_CUNESCAPE), 1);
        ASSERT_STREQ(w, "c\"d"); free(w);
        ASSERT_EQ(extract_first_word(&p, &w, NULL, EXTRACT_UNQUOTE|EXTRACT_CUNESCAPE), 1);
        ASSERT_STREQ(w, "eAf"); free(w);
        ASSERT_EQ(extract_first_word(&p, &w, NULL, EXTRACT_UNQUOTE|EXTRACT_CUNESCAPE), 1);
        ASSERT_STREQ(w, "\n"); free(w);
        /* Specifiers are systemd's business: untouched. */
        ASSERT_EQ(extract_first_word(&p, &w, NULL, EXTRACT_UNQUOTE|EXTRACT_CUNESCAPE), 1);
        ASSERT_STREQ(w, "%i/x"); free(w);
        ASSERT_EQ(extract_first_word(&p, &w, NULL, EXTRACT_UNQUOTE|EXTRACT_CUNESCAPE), 1);
        ASSERT_STREQ(w, ""); free(w);
        ASSERT_EQ(extract_first_word(&p, &w, NULL, EXTRACT_UNQUOTE|EXTRACT_CUNESCAPE), 1);
        ASSERT_STREQ(w, "last"); free(w);
        ASSERT_EQ(extract_first_word(&p, &w, NULL, EXTRACT_UNQUOTE|EXTRACT_CUNESCAPE), 0);
        ASSERT_TRUE(w == NULL);
}

TEST(extract_errors_and_relax) {
        const char *p;
        char *w = NULL;

        p = "\"unterminated";
        ASSERT_ERROR(extract_first_word(&p, &w, NULL, EXTRACT_UNQUOTE), EINVAL);
        p = "bad\\q";
        ASSERT_ERROR(extract_first_word(&p, &w, NULL, EXTRACT_UNQUOTE|EXTRACT_CUNESCAPE), EINVAL);
        p = "nul\\x00";
        ASSERT_ERROR(extract_first_word(&p, &w, NULL, EXTRACT_UNQUOTE|EXTRACT_CUNESCAPE), EINVAL);
        /* Relaxed: unknown escapes stay as written, so "\:" reaches the path parser. */
        p = "/a\\:b:ro";
        ASSERT_EQ(extract_first_word(&p, &w, NULL, EXTRACT_UNQUOTE|EXTRACT_CUNESCAPE|EXTRACT_CUNESCAPE_RELAX), 1);
        ASSERT_STREQ(w, "/a\\:b:ro");
        free(w);
}

TEST(extract_raw_span) {
        const char *line = "-\"/bin/a b\" 'x y'  z", *p = line, *s, *e;
        char *w;

        ASSERT_EQ(extract_first_word_raw(&p, &w, NULL, EXTRACT_UNQUOTE|EXTRACT_CUNESCAPE, &s, &e), 1);
        ASSERT_STREQ(w, "-/bin/a b");
        ASSERT_EQ(s - line, 0);
        ASSERT_EQ(e - line, 11);
        free(w);
        ASSERT_EQ(extract_first_word_raw(&p, &w, NULL, EXTRACT_UNQUOTE|EXTRACT_CUNESCAPE, &s, &e), 1);
        ASSERT_STREQ(w, "x y");
        ASSERT_EQ(e - s, 5);
        free(w);
}

TEST(quote_word_round_trips) {
        static const char *words[] = { "/plain", "with space", "quote\"s", "back\\slash", "tab\there", "", ";",
                                       "new\nline", "%S/x", "ünï", "it's" };

        for (size_t i = 0; i < ELEMENTSOF(words); i++) {
                char *q = unit_file_quote_word(words[i], false), *w = NULL;
                const char *p = q;

                ASSERT_TRUE(q);
                ASSERT_EQ(extract_first_word(&p, &w, NULL, EXTRACT_UNQUOTE|EXTRACT_CUNESCAPE), 1);
                ASSERT_STREQ(w, words[i]);
                ASSERT_TRUE(*p == '\0');
                free(w);
                free(q);
        }
}

TEST(quote_word_dollar_and_specifiers) {
        char *q;

        q = unit_file_quote_word("/a/$HOME/%i", true);
        ASSERT_STREQ(q, "/a/$$HOME/%i");
        free(q);
        q = unit_file_quote_word("/a/$HOME", false);
        ASSERT_STREQ(q, "/a/$HOME");
        free(q);
        q = unit_file_quote_word("/a b", false);
        ASSERT_STREQ(q, "\"/a b\"");
        free(q);
}

/* ---- Reading exactly as systemd's config_parse() (src/shared/conf-parser.c) and read_line()
 * (src/basic/fileio.c) do; each behaviour below was also observed with systemd 252, 257 and 262. ---- */

static void parse_bytes(UnitFile *u, unsigned version, const char *data, size_t size, char ***warnings) {
        *u = UNIT_FILE_INIT;
        u->systemd_version = version;
        ASSERT_OK(unit_file_parse_buffer(u, "t.conf", data, size, warnings));
}

static void parse_text(UnitFile *u, unsigned version, const char *text) {
        parse_bytes(u, version, text, strlen(text), NULL);
}

/* The value of the nth assignment of "key" in [Service], or NULL. */
static const char *value(const UnitFile *u, const char *key, unsigned nth) {
        const UnitFileEntry *e = find(u, "Service", key, nth);

        return e ? e->value : NULL;
}

static unsigned line_of(const UnitFile *u, const char *key) {
        const UnitFileEntry *e = find(u, "Service", key, 0);

        return e ? e->line : 0;
}

/* A file of "size" bytes: "[Service]\n", then "KEY=" padded with 'x' to a line of line_len bytes, then
 * "\nAfter=1\n". */
static char *long_line_file(size_t line_len, size_t *ret_size) {
        const char *head = "[Service]\n", *tail = "\nAfter=1\n";
        size_t h = strlen(head), t = strlen(tail);
        char *buf = malloc(h + line_len + t + 1);

        ASSERT_TRUE(buf && line_len > 4);
        memcpy(buf, head, h);
        memcpy(buf + h, "Key=", 4);
        memset(buf + h + 4, 'x', line_len - 4);
        memcpy(buf + h + line_len, tail, t + 1);
        *ret_size = h + line_len + t;
        return buf;
}

TEST(bom_is_removed_once_from_the_first_non_comment_line) {
        UnitFile u;

        /* On the first line: the section header is recognised. */
        parse_text(&u, 257, "\xef\xbb\xbf[Service]\nA=1\n\xef\xbb\xbf" "B=2\n");
        ASSERT_STREQ(value(&u, "A", 0), "1");
        /* Only once: the second one stays part of the key, which systemd then does not know. */
        ASSERT_TRUE(value(&u, "B", 0) == NULL);
        ASSERT_STREQ(value(&u, "\xef\xbb\xbf" "B", 0), "2");
        unit_file_done(&u);

        /* Comment lines do not count (they are skipped before the mark is looked for), and the first line
         * with a mark need not be the first line of the file. */
        parse_text(&u, 257, "# comment\n[Service]\n\xef\xbb\xbf" "A=1\n");
        ASSERT_STREQ(value(&u, "A", 0), "1");
        unit_file_done(&u);

        /* A mark in front of "#" hides the comment: the line is read (and is no assignment here). */
        parse_text(&u, 257, "[Service]\n\xef\xbb\xbf# A=1\n");
        ASSERT_STREQ(value(&u, "# A", 0), "1");
        unit_file_done(&u);
}

TEST(lone_cr_nul_and_combined_line_ends) {
        static const char data[] = "[Service]\rA=1\rB=2\r\rC=3\r\nD=4\n\rE=5\0F=6\n\0G=7\0\nH=8";
        UnitFile u;

        parse_bytes(&u, 257, data, sizeof(data) - 1, NULL);
        ASSERT_STREQ(value(&u, "A", 0), "1");
        ASSERT_EQ(line_of(&u, "A"), 2);
        ASSERT_EQ(line_of(&u, "B"), 3);
        ASSERT_EQ(line_of(&u, "C"), 5);                 /* "\r\r" is two line ends */
        ASSERT_EQ(line_of(&u, "D"), 6);                 /* "\r\n" is one */
        ASSERT_EQ(line_of(&u, "E"), 7);                 /* "\n\r" is one */
        ASSERT_EQ(line_of(&u, "F"), 8);                 /* NUL ends a line */
        ASSERT_EQ(line_of(&u, "G"), 9);                 /* "\n\0" is one */
        ASSERT_EQ(line_of(&u, "H"), 11);                /* "\0\n" is two: nothing follows a NUL */
        ASSERT_STREQ(value(&u, "H", 0), "8");
        ASSERT_TRUE(u.fatal == NULL);
        unit_file_done(&u);

        /* Without the byte API: a CR alone is a line end too. */
        parse_text(&u, 252, "[Service]\rExecStart=/bin/a\rExecStart=/bin/b");
        ASSERT_STREQ(value(&u, "ExecStart", 1), "/bin/b");
        unit_file_done(&u);
}

TEST(line_length_limit_is_fatal_and_keeps_what_came_before) {
        size_t size;
        char *data;
        UnitFile u;

        /* LONG_LINE_MAX - 1 bytes is the longest line systemd reads. */
        data = long_line_file(LONG_LINE_MAX - 1, &size);
        parse_bytes(&u, 257, data, size, NULL);
        ASSERT_EQ(strlen(value(&u, "Key", 0)), LONG_LINE_MAX - 1 - 4);
        ASSERT_STREQ(value(&u, "After", 0), "1");
        ASSERT_TRUE(u.fatal == NULL);
        unit_file_done(&u);
        free(data);

        /* One more byte and systemd stops reading the file at that line. */
        data = long_line_file(LONG_LINE_MAX, &size);
        parse_bytes(&u, 257, data, size, NULL);
        ASSERT_TRUE(value(&u, "Key", 0) == NULL);
        ASSERT_TRUE(value(&u, "After", 0) == NULL);
        ASSERT_EQ(strv_length(u.fatal), 1);
        ASSERT_TRUE(startswith(u.fatal[0], "t.conf:2: Line too long"));
        ASSERT_STREQ(unit_file_fatal_of(&u, "t.conf"), u.fatal[0]);
        unit_file_done(&u);

        /* Also on the last line, without a line end. */
        parse_bytes(&u, 257, data, size - strlen("\nAfter=1\n"), NULL);
        ASSERT_EQ(strv_length(u.fatal), 1);
        unit_file_done(&u);
        free(data);
}

/* test-conf-parser.c, test_config_parse(): a line above the limit, and many continuation lines that are
 * above it together; both are -ENOBUFS and the setting stays unset. */
TEST(continued_assignment_limit_is_fatal) {
        char *data = malloc(LONG_LINE_MAX + 64), *p;
        size_t first = 1000;
        UnitFile u;

        /* "[Service]\nA=1\nKey=xxx…x\\\n" + "yyy…y": the joined line is (first + 1) + rest bytes. */
        ASSERT_TRUE(data);
        for (int extra = 0; extra <= 1; extra++) {
                size_t rest = LONG_LINE_MAX - (4 + first + 1) + extra;

                p = stpcpy(data, "[Service]\nA=1\nKey=");
                memset(p, 'x', first);
                p = stpcpy(p + first, "\\\n");
                memset(p, 'y', rest);
                p = stpcpy(p + rest, "\nB=2\n");

                parse_bytes(&u, 257, data, p - data, NULL);
                ASSERT_STREQ(value(&u, "A", 0), "1");
                if (extra == 0) {
                        ASSERT_EQ(strlen(value(&u, "Key", 0)), LONG_LINE_MAX - 4);
                        ASSERT_STREQ(value(&u, "B", 0), "2");
                        ASSERT_TRUE(u.fatal == NULL);
                } else {
                        ASSERT_TRUE(value(&u, "Key", 0) == NULL);
                        ASSERT_TRUE(value(&u, "B", 0) == NULL);
                        ASSERT_TRUE(startswith(u.fatal[0], "t.conf:4: Continuation line too long"));
                }
                unit_file_done(&u);
        }
        free(data);
}

TEST(invalid_section_header_is_fatal) {
        static const char * const headers[] = {
                "[Service",             /* no "]" */
                "[Service] # comment",  /* no comment after a header */
                "[",
                "[Ser\x01vice]",        /* control character */
                "[Ser\"vice]",          /* quote */
                "[Ser\\vice]",          /* backslash */
                "[Ser\x7fvice]",        /* DEL */
        };

        for (size_t i = 0; i < ELEMENTSOF(headers); i++) {
                char *text = NULL, **warnings = NULL;
                UnitFile u;

                ASSERT_TRUE(asprintf(&text, "[Service]\nA=1\n%s\nB=2\n[Service]\nC=3\n", headers[i]) > 0);
                parse_bytes(&u, 257, text, strlen(text), &warnings);
                ASSERT_STREQ(value(&u, "A", 0), "1");
                ASSERT_TRUE(value(&u, "B", 0) == NULL);
                ASSERT_TRUE(value(&u, "C", 0) == NULL);
                ASSERT_EQ(strv_length(u.fatal), 1);
                ASSERT_TRUE(startswith(u.fatal[0], "t.conf:3: "));
                /* Also among the warnings, for callers that only print those. */
                ASSERT_TRUE(strv_contains(warnings, u.fatal[0]));
                strv_free(warnings);
                unit_file_done(&u);
                free(text);
        }
}

TEST(section_name_rules_depend_on_the_version) {
        static const char * const headers[] = { "[]", "[A*B]", "[A?B]", "[A[B]" };

        for (size_t i = 0; i < ELEMENTSOF(headers); i++) {
                char *text = NULL;
                UnitFile u;

                ASSERT_TRUE(asprintf(&text, "[Service]\nA=1\n%s\nB=2\n[Service]\nC=3\n", headers[i]) > 0);

                /* Up to 257 an unknown section: ignored, reading goes on. */
                parse_text(&u, 252, text);
                ASSERT_STREQ(value(&u, "C", 0), "3");
                ASSERT_TRUE(u.fatal == NULL);
                unit_file_done(&u);

                /* 262 stops there; so does an unknown version (the strictest rules). */
                parse_text(&u, 262, text);
                ASSERT_TRUE(value(&u, "C", 0) == NULL);
                ASSERT_EQ(strv_length(u.fatal), 1);
                unit_file_done(&u);
                parse_text(&u, 0, text);
                ASSERT_EQ(strv_length(u.fatal), 1);
                unit_file_done(&u);
                free(text);
        }
}

TEST(unknown_and_odd_sections_are_kept_by_name) {
        UnitFile u;

        parse_text(&u, 262, "[X-Foo]\nA=1\n[ Service ]\nB=2\n[A]B]\nC=3\n[\xc3\xa9]\nD=4\n");
        ASSERT_STREQ(find(&u, "X-Foo", "A", 0)->value, "1");
        ASSERT_STREQ(find(&u, " Service ", "B", 0)->value, "2");        /* not [Service] */
        ASSERT_STREQ(find(&u, "A]B", "C", 0)->value, "3");
        ASSERT_STREQ(find(&u, "\xc3\xa9", "D", 0)->value, "4");
        ASSERT_TRUE(u.fatal == NULL);
        unit_file_done(&u);
}

TEST(invalid_utf8_line_is_fatal_but_not_in_comments) {
        static const char * const bad[] = {
                "\xff", "\xc0\x80" /* overlong */, "\xed\xa0\x80" /* surrogate */, "\xef\xbf\xbe" /* U+FFFE */,
                "\xef\xb7\x90" /* U+FDD0 */, "\xf4\x8f\xbf\xbf" /* U+10FFFF */, "\xf4\x90\x80\x80" /* > U+10FFFF */,
                "\xf8\x88\x80\x80\x80" /* five bytes */, "\xe2\x82" /* truncated */,
        };
        static const char * const good[] = { "\xc2\x80", "\xef\xb7\xb0", "\xf4\x8f\xbf\xbd", "\xef\xbb\xbf", "\xe2\x82\xac" };
        UnitFile u;

        for (size_t i = 0; i < ELEMENTSOF(bad); i++) {
                char *text = NULL;

                ASSERT_TRUE(asprintf(&text, "[Service]\nA=1\nDescription=x%sy\nB=2\n", bad[i]) > 0);
                parse_text(&u, 257, text);
                ASSERT_STREQ(value(&u, "A", 0), "1");
                ASSERT_TRUE(value(&u, "Description", 0) == NULL);
                ASSERT_TRUE(value(&u, "B", 0) == NULL);
                ASSERT_TRUE(startswith(u.fatal[0], "t.conf:3: Line is not valid UTF-8"));
                unit_file_done(&u);
                free(text);
        }
        for (size_t i = 0; i < ELEMENTSOF(good); i++) {
                char *text = NULL;

                ASSERT_TRUE(asprintf(&text, "[Service]\nDescription=x%sy\n", good[i]) > 0);
                parse_text(&u, 257, text);
                ASSERT_TRUE(value(&u, "Description", 0) != NULL);
                ASSERT_TRUE(u.fatal == NULL);
                unit_file_done(&u);
                free(text);
        }

        parse_text(&u, 257, "[Service]\n# caf\xe9\nB=2\n");
        ASSERT_STREQ(value(&u, "B", 0), "2");
        ASSERT_TRUE(u.fatal == NULL);
        unit_file_done(&u);
}

TEST(lines_systemd_ignores_with_a_warning) {
        char **warnings = NULL;
        UnitFile u;

        const char *text = "A=0\n[Service]\n=1\n.include /etc/x.conf\n  = 2\nB=3\n";

        parse_bytes(&u, 257, text, strlen(text), &warnings);
        ASSERT_EQ(u.n_entries, 1);
        ASSERT_STREQ(value(&u, "B", 0), "3");
        ASSERT_EQ(strv_length(warnings), 4);
        ASSERT_STREQ(warnings[0], "t.conf:1: Assignment outside of section. Ignoring.");
        ASSERT_STREQ(warnings[1], "t.conf:3: Missing key name before '=', ignoring line.");
        ASSERT_STREQ(warnings[2], "t.conf:4: Missing '=', ignoring line.");    /* .include is long gone */
        ASSERT_STREQ(warnings[3], "t.conf:5: Missing key name before '=', ignoring line.");
        ASSERT_TRUE(u.fatal == NULL);
        strv_free(warnings);
        unit_file_done(&u);
}

/* test-conf-parser.c, test_config_parse(): the continuation inputs (comments before and inside a
 * continuation, blanks before comments and keys, an empty line ending it, a trailing backslash on the last
 * line, backslashes escaping each other). */
TEST(continuations_as_systemd_joins_them) {
        UnitFile u;

        parse_text(&u, 257, "[Service]\n#note\\\nA=1\\\n2\\\n3\n");
        ASSERT_STREQ(value(&u, "A", 0), "1 2 3");       /* a comment's backslash continues nothing */
        unit_file_done(&u);

        parse_text(&u, 257, "[Service]\n  A=1\\\n  #note\\\n;also\n2\\\n3\n");
        ASSERT_STREQ(value(&u, "A", 0), "1 2 3");       /* comments inside are skipped */
        unit_file_done(&u);

        parse_text(&u, 257, "[Service]\nA=1\\\n   \nA=2\n");
        ASSERT_STREQ(value(&u, "A", 0), "1");           /* a blank line ends the continuation */
        ASSERT_STREQ(value(&u, "A", 1), "2");
        unit_file_done(&u);

        parse_text(&u, 257, "[Service]\nA=1\\\n2\\\n3\\\n");
        ASSERT_STREQ(value(&u, "A", 0), "1 2 3");       /* a backslash on the last line */
        unit_file_done(&u);

        parse_text(&u, 257, "[Service]\nA=1\\\\\\\n\\\\2\n");
        ASSERT_STREQ(value(&u, "A", 0), "1\\\\ \\\\2");
        unit_file_done(&u);

        /* A continued header is a header; a continued assignment may run into "[…]" text. */
        parse_text(&u, 257, "[Serv\\\nice]\nA=1\n[Service]\nB=x \\\n[Service]\n");
        ASSERT_STREQ(find(&u, "Serv ice", "A", 0)->value, "1");
        ASSERT_STREQ(value(&u, "B", 0), "x  [Service]");
        unit_file_done(&u);
}

TEST(only_space_tab_cr_lf_are_blanks) {
        UnitFile u;

        /* A vertical tab or form feed is not stripped, and hides a comment. */
        parse_text(&u, 257, "[Service]\n\v#A=1\n\fB=2\nC=\v3\v\n");
        ASSERT_STREQ(value(&u, "\v#A", 0), "1");
        ASSERT_STREQ(value(&u, "\fB", 0), "2");
        ASSERT_STREQ(value(&u, "C", 0), "\v3\v");
        unit_file_done(&u);
}

TEST(long_continuations_are_read_in_linear_time) {
        /* 1 MiB of continuation lines (about 350000): joined and scanned once each. Re-joining the whole
         * continuation at every line, as the reader once did, takes minutes here and hits the test timeout. */
        size_t n = 1024 * 1024 / 3, size = 0;
        char *data = malloc(16 + n * 3 + 8), *p;
        UnitFile u;

        ASSERT_TRUE(data);
        p = stpcpy(data, "[Service]\nA=");
        for (size_t i = 0; i < n; i++)
                p = stpcpy(p, "x\\\n");
        p = stpcpy(p, "end\n");
        size = p - data;

        parse_bytes(&u, 257, data, size, NULL);
        ASSERT_EQ(strlen(value(&u, "A", 0)), n * 2 + 3);
        ASSERT_TRUE(u.fatal == NULL);
        unit_file_done(&u);
        free(data);
}

TEST(fatal_stop_is_per_file) {
        UnitFile u = UNIT_FILE_INIT;

        ASSERT_OK(unit_file_parse_string(&u, "/a.service", "[Service]\nA=1\n[Bad\nB=2\n", NULL));
        ASSERT_OK(unit_file_parse_string(&u, "/b.conf", "[Service]\nC=3\n", NULL));
        ASSERT_STREQ(value(&u, "A", 0), "1");
        ASSERT_TRUE(value(&u, "B", 0) == NULL);
        ASSERT_STREQ(value(&u, "C", 0), "3");
        ASSERT_STREQ(u.fatal[0], "/a.service:3: Invalid section header '[Bad'; systemd stops reading the file here");
        ASSERT_TRUE(unit_file_fatal_of(&u, "/a.service") != NULL);
        ASSERT_TRUE(unit_file_fatal_of(&u, "/b.conf") == NULL);
        ASSERT_TRUE(unit_file_fatal_of(&u, "/a") == NULL);
        unit_file_done(&u);
}

TEST(loading_special_files) {
        char dir[] = "/tmp/test-unit-file-XXXXXX", fifo[64];
        UnitFile u = UNIT_FILE_INIT;

        ASSERT_TRUE(mkdtemp(dir));
        /* A directory named like a drop-in: systemd fails to read it; so do we, with EISDIR. */
        ASSERT_ERROR(unit_file_load(&u, dir, NULL, NULL), EISDIR);
        /* /dev/null masks: it reads as empty. */
        ASSERT_OK(unit_file_load(&u, "/dev/null", NULL, NULL));
        ASSERT_EQ(u.n_entries, 0);
        /* A FIFO would block systemd forever; we refuse it at once. */
        snprintf(fifo, sizeof(fifo), "%s/x.conf", dir);
        ASSERT_EQ(mkfifo(fifo, 0600), 0);
        ASSERT_ERROR(unit_file_load(&u, fifo, NULL, NULL), EBADFD);
        ASSERT_EQ(unlink(fifo), 0);
        ASSERT_EQ(rmdir(dir), 0);
        unit_file_done(&u);
}

TEST(quote_word_escapes_bytes_that_are_not_utf8) {
        /* A decoded value may hold any byte ("\xce" in a unit is byte 0xce). Written raw into a drop-in it would
         * make the line invalid UTF-8: systemd would stop reading the drop-in there (found by the fuzzer). */
        static const char * const words[] = { "\xce]", "a\xff", "\xc0\x80", "\xef\xbf\xbe", "ok \xc3\xa9", "\x80\x80" };

        for (size_t i = 0; i < ELEMENTSOF(words); i++) {
                char *q = unit_file_quote_word(words[i], false), *w = NULL, *line = NULL;
                const char *p = q;
                UnitFile u;

                ASSERT_TRUE(q);
                ASSERT_EQ(extract_first_word(&p, &w, NULL, EXTRACT_UNQUOTE|EXTRACT_CUNESCAPE), 1);
                ASSERT_STREQ(w, words[i]);
                ASSERT_TRUE(asprintf(&line, "[Service]\nA=%s\nB=1\n", q) > 0);
                parse_text(&u, 257, line);
                ASSERT_TRUE(u.fatal == NULL);
                ASSERT_STREQ(value(&u, "B", 0), "1");
                unit_file_done(&u);
                free(line);
                free(w);
                free(q);
        }

        /* Valid UTF-8 needs no quotes. */
        {
                char *q = unit_file_quote_word("/srv/caf\xc3\xa9", false);

                ASSERT_STREQ(q, "/srv/caf\xc3\xa9");
                free(q);
        }
}

/* The string builder the generator writes drop-ins with: formatted in place while it fits, grown when not,
 * and what was there stays. */
TEST(text_appendf_formats_in_place_and_grows) {
        _cleanup_(text_done) Text t = {};
        _cleanup_free_ char *expected = NULL, *big = malloc(5001);

        ASSERT_TRUE(big);
        memset(big, 'x', 5000);
        big[5000] = '\0';

        ASSERT_OK(text_appendf(&t, "%s", ""));
        ASSERT_EQ(t.n, 0);
        ASSERT_OK(text_appendf(&t, "[%s]\n", "Service"));
        ASSERT_OK(text_appendf(&t, "%s=%u\n", "Key", 42u));
        ASSERT_OK(text_appendf(&t, "%s|", big));
        ASSERT_OK(text_appendf(&t, "%s", "end"));
        ASSERT_TRUE(asprintf(&expected, "[Service]\nKey=42\n%s|end", big) > 0);
        ASSERT_EQ(t.n, strlen(expected));
        ASSERT_STREQ(t.buf, expected);
}
