/* SPDX-License-Identifier: LGPL-2.1-or-later */

#include "strv.h"
#include "tests.h"
#include "unit-file.h"

static const UnitFileEntry *find(const UnitFile *u, const char *section, const char *key, unsigned nth) {
        for (size_t i = 0; i < u->n_entries; i++)
                if (streq(u->entries[i].section, section) && streq(u->entries[i].key, key) && nth-- == 0)
                        return &u->entries[i];
        return NULL;
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
