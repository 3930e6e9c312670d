/* SPDX-License-Identifier: LGPL-2.1-or-later */

/* The drop-in of one unit as a whole: its structure, its name, and the refusals that keep every
 * command inside the domain (see also the golden cases). */

#include "generator-unit.h"
#include "strv.h"
#include "unit-exec-keys.h"
#include "tests.h"

#define EXEC "/usr/libexec/systemd-landlock-exec"

static int dropin(const char *unit, const char *text, char **ret, char ***ret_errors) {
        _cleanup_(unit_file_done) UnitFile u = UNIT_FILE_INIT;

        ASSERT_OK(unit_file_parse_string(&u, "/etc/systemd/system/x.service", text, NULL));
        return generator_unit_dropin(unit, NULL, &u, EXEC, 0, NULL, false, ret, ret_errors);
}

/* Should systemd stop reading our drop-in at some line, every Exec list must already be empty: commands
 * would be missing, never unwrapped. */
TEST(every_exec_list_is_reset_before_any_command) {
        _cleanup_free_ char *text = NULL;
        _cleanup_strv_free_ char **errors = NULL;
        const char *first_command = NULL;

        ASSERT_EQ(dropin("x.service",
                         "[Service]\nExecStartPre=/bin/pre\nExecStart=/bin/a\nExecStopPost=/bin/post\n"
                         "X-LandlockReadOnlyPaths=/etc\n", &text, &errors), 1);
        ASSERT_TRUE(!errors);
        for (const char * const *k = unit_exec_keys("Service"); *k; k++) {
                _cleanup_free_ char *reset = NULL, *assign = NULL;
                const char *at;

                ASSERT_TRUE(asprintf(&reset, "\n%s=\n", *k) > 0);
                ASSERT_TRUE(asprintf(&assign, "\n%s=" EXEC, *k) > 0);
                at = strstr(text, reset);
                ASSERT_TRUE(at);
                if (strstr(text, assign) && (!first_command || strstr(text, assign) < first_command))
                        first_command = strstr(text, assign);
                if (first_command)
                        ASSERT_TRUE(at < first_command);
        }
        ASSERT_TRUE(first_command);
}

/* Under systemd's line limit as written, over it once wrapped: systemd would stop reading our drop-in
 * there ("Line too long"). The unit is refused instead. */
TEST(line_too_long_once_wrapped_is_refused) {
        _cleanup_free_ char *unit = NULL, *arg = NULL, *text = NULL;
        _cleanup_strv_free_ char **errors = NULL;
        size_t n = LONG_LINE_MAX - 64;

        arg = malloc(n + 1);
        ASSERT_TRUE(arg);
        memset(arg, 'a', n);
        arg[n] = '\0';
        ASSERT_TRUE(asprintf(&unit, "[Service]\nExecStart=/bin/a %s\nX-LandlockReadOnlyPaths=/etc\n", arg) > 0);

        ASSERT_EQ(dropin("x.service", unit, &text, &errors), 1);
        ASSERT_TRUE(errors && strstr(errors[0], "too long once wrapped"));
        ASSERT_TRUE(startswith(errors[0], "/etc/systemd/system/x.service:2: ExecStart=:"));
        ASSERT_TRUE(!strstr(text, arg));
        ASSERT_TRUE(strstr(text, "\nExecStart=" EXEC " --unit=x.service \"--error="));
        for (char *l = text; l; l = strchr(l, '\n') ? strchr(l, '\n') + 1 : NULL)
                ASSERT_TRUE((size_t) (strchrnul(l, '\n') - l) < LONG_LINE_MAX);
}

/* A huge error message must not make our own lines too long either. */
TEST(refusal_lines_stay_short) {
        _cleanup_free_ char *unit = NULL, *path = NULL, *text = NULL;
        _cleanup_strv_free_ char **errors = NULL;
        size_t n = LONG_LINE_MAX / 2;

        path = malloc(n + 2);
        ASSERT_TRUE(path);
        memset(path, 'b', n + 1);
        path[0] = 'r';          /* relative: invalid */
        path[n + 1] = '\0';
        ASSERT_TRUE(asprintf(&unit, "[Service]\nExecStart=/bin/a\nX-LandlockReadOnlyPaths=%s\nX-LandlockReadOnlyPaths=%s\n"
                             "X-LandlockReadOnlyPaths=%s\n", path, path, path) > 0);
        ASSERT_EQ(dropin("x.service", unit, &text, &errors), 1);
        ASSERT_TRUE(errors);
        for (char *l = text; l; l = strchr(l, '\n') ? strchr(l, '\n') + 1 : NULL)
                ASSERT_TRUE((size_t) (strchrnul(l, '\n') - l) < 64 * 1024);
}

/* ExecSearchPath= is written into every command line: a specifier systemd does not know there would make
 * each of them a line it rejects. */
TEST(search_path_with_unknown_specifier_is_refused) {
        _cleanup_free_ char *text = NULL;
        _cleanup_strv_free_ char **errors = NULL;

        ASSERT_EQ(dropin("x.service", "[Service]\nExecStart=a\nExecSearchPath=/opt/%z\nX-LandlockReadOnlyPaths=/etc\n",
                         &text, &errors), 1);
        ASSERT_TRUE(errors && startswith(errors[0], "/etc/systemd/system/x.service:3: ExecSearchPath=: unknown specifier '%z'"));
        ASSERT_TRUE(!strstr(text, "/opt/%z"));
}

/* ExecSearchPath= is a list for systemd (config_parse_colon_separated_paths()): assignments accumulate,
 * an empty one resets it. The generator and "show" both read it through unit_exec_search_path(): once a
 * drop-in's reset made the generator write no --search-path while "show" searched the empty string and
 * reported every bare command as missing. */
TEST(search_path_accumulates_and_resets_as_systemd_reads_it) {
        _cleanup_(unit_file_done) UnitFile u = UNIT_FILE_INIT, reset = UNIT_FILE_INIT;
        _cleanup_free_ char *joined = NULL, *none = NULL, *text = NULL, *text_reset = NULL;

        ASSERT_OK(unit_file_parse_string(&u, "/etc/systemd/system/x.service",
                                         "[Service]\nExecSearchPath=/opt/a\nExecSearchPath=/opt/b:/opt/c\n", NULL));
        ASSERT_OK(unit_exec_search_path(&u, "Service", &joined));
        ASSERT_STREQ(joined, "/opt/a:/opt/b:/opt/c");

        ASSERT_OK(unit_file_parse_string(&reset, "/etc/systemd/system/x.service",
                                         "[Service]\nExecSearchPath=/opt/a\n", NULL));
        ASSERT_OK(unit_file_parse_string(&reset, "/etc/systemd/system/x.service.d/reset.conf",
                                         "[Service]\nExecSearchPath=\n", NULL));
        ASSERT_OK(unit_exec_search_path(&reset, "Service", &none));
        ASSERT_TRUE(!none);

        ASSERT_EQ(dropin("x.service", "[Service]\nExecSearchPath=/opt/a\nExecSearchPath=/opt/b\nExecStart=foo\n"
                         "X-LandlockReadOnlyPaths=/etc\n", &text, NULL), 1);
        ASSERT_TRUE(strstr(text, " --search-path=/opt/a:/opt/b -- foo"));
        ASSERT_EQ(dropin("x.service", "[Service]\nExecSearchPath=/opt/a\nExecSearchPath=\nExecStart=foo\n"
                         "X-LandlockReadOnlyPaths=/etc\n", &text_reset, NULL), 1);
        ASSERT_TRUE(!strstr(text_reset, "--search-path"));
        ASSERT_TRUE(strstr(text_reset, " -- foo"));
}

static void expect_name(char **seen, const char *expected) {
        _cleanup_free_ char *name = NULL;

        ASSERT_OK(generator_dropin_name(seen, &name));
        ASSERT_STREQ(name, expected);
        STRV_FOREACH(s, seen)
                ASSERT_TRUE(strcmp(name, *s) > 0);
}

/* The name sorts after every other drop-in, whatever bytes theirs contain, and is found at once. */
TEST(dropin_name_sorts_last) {
        char *none[] = { NULL };
        char *usual[] = { (char *) "10-a.conf", (char *) "override.conf", (char *) "zzz-local.conf", (char *) "~a.conf", NULL };
        char *tilde[] = { (char *) "~x.conf", (char *) "override.conf", NULL };
        char *bytes[] = { (char *) "\xff\xfe.conf", (char *) "~x.conf", NULL };
        char *same[] = { (char *) "~landlock.conf", NULL };

        expect_name(none, "~landlock.conf");
        expect_name(usual, "~landlock.conf");
        expect_name(tilde, "~x~landlock.conf");
        expect_name(bytes, "\xff\xfe~landlock.conf");
        expect_name(same, "~landlock~landlock.conf");
}

TEST(dropin_name_for_very_long_names) {
        _cleanup_free_ char *long_name = NULL, *greatest = NULL, *name = NULL;
        char *seen[2] = {};

        /* 250 bytes of stem: no room for "~landlock"; the last byte that can grow grows. */
        long_name = malloc(256);
        ASSERT_TRUE(long_name);
        memset(long_name, 'y', 250);
        strcpy(long_name + 250, ".conf");
        seen[0] = long_name;
        ASSERT_OK(generator_dropin_name(seen, &name));
        ASSERT_TRUE(strcmp(name, long_name) > 0);
        ASSERT_TRUE(strlen(name) <= 255);
        ASSERT_TRUE(endswith(name, ".conf"));

        /* 250 bytes of 0xff then ".conf" is the greatest name there is: nothing can sort after it. */
        greatest = malloc(256);
        ASSERT_TRUE(greatest);
        memset(greatest, 0xff, 250);
        strcpy(greatest + 250, ".conf");
        seen[0] = greatest;
        name = mfree(name);
        ASSERT_ERROR(generator_dropin_name(seen, &name), ENOSPC);
}

