/* SPDX-License-Identifier: LGPL-2.1-or-later */

/* The drop-in of one unit as a whole: its structure, its name, and the refusals that keep every
 * command inside the domain (see also the golden cases). */

#include "generator-exec.h"
#include "generator-unit.h"
#include "landlock-directives.h"
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

/* systemd's own LandlockConfig= (landlock-directives.h): where systemd handles it, a unit with nothing
 * else gets no drop-in (it is not wrapped for it); where it does not, the unit is refused. */
TEST(systemd_own_landlock_setting_is_not_wrapped_where_systemd_handles_it) {
        _cleanup_(unit_file_done) UnitFile future = UNIT_FILE_INIT, now = UNIT_FILE_INIT;
        _cleanup_free_ char *text = NULL, *text_now = NULL;
        _cleanup_strv_free_ char **errors = NULL;
        const char *unit = "[Service]\nExecStart=/bin/a\nLandlockConfig=/etc/landlock\n";

        future.systemd_version = SYSTEMD_VERSION_UNRELEASED;
        ASSERT_OK(unit_file_parse_string(&future, "/etc/systemd/system/x.service", unit, NULL));
        ASSERT_EQ(generator_unit_dropin("x.service", NULL, &future, EXEC, SYSTEMD_VERSION_UNRELEASED, NULL, false,
                                        &text, NULL), 0);
        ASSERT_TRUE(!text);

        now.systemd_version = 262;
        ASSERT_OK(unit_file_parse_string(&now, "/etc/systemd/system/x.service", unit, NULL));
        ASSERT_EQ(generator_unit_dropin("x.service", NULL, &now, EXEC, 262, NULL, false, &text_now, &errors), 1);
        ASSERT_TRUE(errors && strstr(errors[0], "LandlockConfig= is not a directive of systemd-landlock"));
        ASSERT_TRUE(strstr(text_now, "--error="));
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


static const char *line_of(const char *text, const char *key) {
        _cleanup_free_ char *needle = NULL;
        const char *at;

        ASSERT_TRUE(asprintf(&needle, "\n%s=" EXEC, key) > 0);
        at = strstr(text, needle);
        ASSERT_TRUE(at);
        return at + 1;
}

static bool line_has(const char *line, const char *word) {
        _cleanup_free_ char *l = strndup(line, strchrnul(line, '\n') - line);

        ASSERT_TRUE(l);
        return strstr(l, word);
}

/* Each command is its own domain: a signal-scoped ExecReload= could not signal the main process. The
 * commands that control it keep every other restriction, and only they lose signal scoping. */
TEST(control_commands_are_not_signal_scoped) {
        _cleanup_free_ char *text = NULL;
        _cleanup_strv_free_ char **errors = NULL;

        ASSERT_EQ(dropin("x.service",
                         "[Service]\nExecStartPre=/bin/pre\nExecStart=/bin/main\nExecStartPost=/bin/post\n"
                         "ExecReload=/bin/kill -HUP $MAINPID\nExecStop=/bin/stop\nExecStopPost=/bin/stoppost\n"
                         "LandlockScope=signal abstract-unix-socket\nLandlockReadOnlyPaths=/etc\n", &text, &errors), 1);
        ASSERT_TRUE(!errors);

        ASSERT_TRUE(line_has(line_of(text, "ExecStart"), "--scope=abstract-unix-socket,signal"));
        ASSERT_TRUE(line_has(line_of(text, "ExecStartPre"), "--scope=abstract-unix-socket,signal"));
        static const char * const control[] = { "ExecStartPost", "ExecReload", "ExecStop", "ExecStopPost" };
        for (size_t k = 0; k < ELEMENTSOF(control); k++) {
                const char *l = line_of(text, control[k]);

                ASSERT_TRUE(line_has(l, "--scope=abstract-unix-socket "));
                ASSERT_TRUE(!line_has(l, "signal"));
                ASSERT_TRUE(line_has(l, "--path=/etc:"));
        }
}

/* The non-empty line of "key" (with any prefix before the enforcer): not the reset. */
static const char *line_of_key(const char *text, const char *key) {
        _cleanup_free_ char *needle = NULL;
        const char *at = text;

        ASSERT_TRUE(asprintf(&needle, "\n%s=", key) > 0);
        do {
                at = strstr(at + 1, needle);
                ASSERT_TRUE(at);
        } while (at[strlen(needle)] == '\n');
        return at + 1;
}

/* The policy words are quoted once per kind of command and reused: "$" is doubled where systemd expands
 * variables, not after ":"; control commands get their own words. Each kind must get its own. */
TEST(policy_words_are_quoted_for_each_kind_of_command) {
        _cleanup_free_ char *text = NULL;
        _cleanup_strv_free_ char **errors = NULL;
        const char *l;

        ASSERT_EQ(dropin("x.service",
                         "[Service]\nExecStartPre=/bin/pre\nExecStart=:/bin/main\nExecStartPost=/bin/post\n"
                         "ExecStop=:/bin/stop\nExecStopPost=/bin/stoppost\nExecReload=:/bin/reload\n"
                         "LandlockScope=signal\nLandlockReadOnlyPaths=/srv/a$b\n", &text, &errors), 1);
        ASSERT_TRUE(!errors);

        l = line_of_key(text, "ExecStartPre");
        ASSERT_TRUE(line_has(l, "--path=/srv/a$$b:ro") && line_has(l, "--scope=signal"));
        l = line_of_key(text, "ExecStart");
        ASSERT_TRUE(line_has(l, "--path=/srv/a$b:ro") && !line_has(l, "$$") && line_has(l, "--scope=signal"));
        l = line_of_key(text, "ExecStartPost");
        ASSERT_TRUE(line_has(l, "--path=/srv/a$$b:ro") && !line_has(l, "signal"));
        l = line_of_key(text, "ExecStop");
        ASSERT_TRUE(line_has(l, "--path=/srv/a$b:ro") && !line_has(l, "$$") && !line_has(l, "signal"));
        l = line_of_key(text, "ExecStopPost");
        ASSERT_TRUE(line_has(l, "--path=/srv/a$$b:ro") && !line_has(l, "signal"));
        l = line_of_key(text, "ExecReload");
        ASSERT_TRUE(line_has(l, "--path=/srv/a$b:ro") && !line_has(l, "$$") && !line_has(l, "signal"));
}

TEST(socket_commands_stay_signal_scoped) {
        _cleanup_free_ char *text = NULL;
        _cleanup_strv_free_ char **errors = NULL;

        ASSERT_EQ(dropin("x.socket", "[Socket]\nExecStartPost=/bin/post\nExecStopPost=/bin/stoppost\n"
                         "LandlockScope=signal\n", &text, &errors), 1);
        ASSERT_TRUE(!errors);
        ASSERT_TRUE(line_has(line_of(text, "ExecStartPost"), "--scope=signal"));
        ASSERT_TRUE(line_has(line_of(text, "ExecStopPost"), "--scope=signal"));
}

/* Debian's redis unit: NoExecPaths=/ and its own ExecPaths=. Without the enforcer among them, every
 * command would fail with 203/EXEC. */
TEST(no_exec_paths_gets_the_enforcer_in_exec_paths) {
        _cleanup_free_ char *text = NULL, *plain = NULL;
        _cleanup_strv_free_ char **errors = NULL, **errors2 = NULL;

        ASSERT_EQ(dropin("x.service", "[Service]\nExecStart=/usr/bin/redis-server\nNoExecPaths=/\n"
                         "ExecPaths=/usr/bin/redis-server /usr/lib /lib\nLandlockReadOnlyPaths=/etc\n", &text, &errors), 1);
        ASSERT_TRUE(!errors);
        ASSERT_TRUE(strstr(text, "\nExecPaths=" EXEC "\n"));

        /* Reset: nothing restricts exec any more, nothing to add. */
        ASSERT_EQ(dropin("x.service", "[Service]\nExecStart=/bin/a\nNoExecPaths=/\nNoExecPaths=\n"
                         "LandlockReadOnlyPaths=/etc\n", &plain, &errors2), 1);
        ASSERT_TRUE(!strstr(plain, "ExecPaths="));
}

static void expect_hidden(const char *settings, unsigned line, const char *reason) {
        _cleanup_free_ char *where = NULL;
        _cleanup_free_ char *unit = NULL, *text = NULL;
        _cleanup_strv_free_ char **errors = NULL;

        ASSERT_TRUE(asprintf(&unit, "[Service]\nExecStart=/bin/a\nLandlockReadOnlyPaths=/etc\n%s\n", settings) > 0);
        ASSERT_EQ(dropin("x.service", unit, &text, &errors), 1);
        if (!errors || !strstr(errors[0], reason) || !strstr(errors[0], "the enforcer " EXEC " would not be there"))
                printf("# %s: %s\n", settings, errors ? errors[0] : "(no error)");
        ASSERT_TRUE(errors && strstr(errors[0], reason));
        ASSERT_TRUE(asprintf(&where, "/etc/systemd/system/x.service:%u: ", line) > 0);
        ASSERT_TRUE(startswith(errors[0], where));
        /* Nothing is run, not even the enforcer: an assertion that never holds; and the command lists hold
         * only the refusal, which could not run either. */
        ASSERT_TRUE(strstr(text, "\nAssertPathExists=!/\n"));
        ASSERT_TRUE(strstr(text, "\nExecStart=\n"));
        ASSERT_TRUE(strstr(text, "\nExecStart=" EXEC " --unit=x.service \"--error="));
        ASSERT_TRUE(!strstr(text, "-- /bin/a"));
}

static void expect_visible(const char *settings) {
        _cleanup_free_ char *unit = NULL, *text = NULL;
        _cleanup_strv_free_ char **errors = NULL;

        ASSERT_TRUE(asprintf(&unit, "[Service]\nExecStart=/bin/a\nLandlockReadOnlyPaths=/etc\n%s\n", settings) > 0);
        ASSERT_EQ(dropin("x.service", unit, &text, &errors), 1);
        if (errors)
                printf("# %s: %s\n", settings, errors[0]);
        ASSERT_TRUE(!errors);
        ASSERT_TRUE(strstr(text, "\nExecStart=" EXEC " "));
}

TEST(hidden_enforcer_is_refused_at_generation) {
        expect_hidden("InaccessiblePaths=/usr/libexec", 4, "InaccessiblePaths=/usr/libexec mounts over " EXEC);
        expect_hidden("InaccessiblePaths=-/usr", 4, "mounts over");
        expect_hidden("InaccessiblePaths=/usr//libexec/", 4, "mounts over");
        expect_hidden("InaccessiblePaths=" EXEC, 4, "mounts over");
        expect_hidden("TemporaryFileSystem=/usr:ro", 4, "TemporaryFileSystem=/usr:ro mounts over");
        expect_hidden("BindReadOnlyPaths=/opt/empty:/usr/libexec", 4, "mounts over");
        expect_hidden("MountImages=/img.raw:/usr", 4, "mounts over");
        expect_hidden("RootDirectory=/srv/root", 4, "gives the service a root of its own");
        expect_hidden("RootImage=/srv/root.raw", 4, "gives the service a root of its own");
        expect_hidden("RootDirectory=/srv/root\nBindReadOnlyPaths=/opt:/usr", 5, "mounts over");
        expect_hidden("InaccessiblePaths=%t/../usr", 4, "cannot tell whether it hides it");
        expect_hidden("TemporaryFileSystem=%E", 4, "cannot tell whether it hides it");
}

TEST(visible_enforcer_is_wrapped) {
        expect_visible("InaccessiblePaths=/usr/lib /usr/libexecx /var");
        expect_visible("InaccessiblePaths=/usr\nInaccessiblePaths=");
        expect_visible("TemporaryFileSystem=/var:ro");
        expect_visible("BindReadOnlyPaths=/usr");
        expect_visible("BindPaths=/usr/libexec:/usr/libexec");
        expect_visible("RootDirectory=/srv/root\nBindReadOnlyPaths=/usr");
        expect_visible("RootDirectory=/srv/root\nBindReadOnlyPaths=-/usr/libexec");
        expect_visible("ProtectHome=yes\nProtectSystem=strict\nPrivateTmp=yes");
}

#define IDDIR "/run/systemd/generator/landlock-exec"

static int dropin_ids(const char *text, char **ret, char ***ret_identities) {
        _cleanup_(unit_file_done) UnitFile u = UNIT_FILE_INIT;
        _cleanup_strv_free_ char **errors = NULL;
        int r;

        ASSERT_OK(unit_file_parse_string(&u, "/etc/systemd/system/x.service", text, NULL));
        r = generator_unit_dropin_full("x.service", NULL, &u, EXEC, IDDIR, 0, NULL, false, ret, &errors, ret_identities);
        if (errors)
                printf("# %s\n", errors[0]);
        ASSERT_TRUE(!errors);
        return r;
}

/* systemd names a command's journal stream after the file name of the path it executes (252: basename(),
 * 257: path_extract_filename() of command->path; "@" changes argv[0], not the path): each command runs the
 * enforcer through a link of that name. "+" commands are not wrapped and keep theirs. */
TEST(commands_keep_their_journal_identity) {
        _cleanup_free_ char *text = NULL;
        _cleanup_strv_free_ char **ids = NULL;

        ASSERT_EQ(dropin_ids("[Service]\nExecStartPre=/bin/sh -c true\nExecStart=@/usr/sbin/nginx nginx-master -g x\n"
                             "ExecReload=/usr/sbin/nginx -s reload\nExecStop=+/bin/kill $MAINPID\nExecStopPost=/opt/bin/odd%i\n"
                             "LandlockReadOnlyPaths=/etc\n", &text, &ids), 1);
        ASSERT_TRUE(strstr(text, "\nExecStartPre=" IDDIR "/sh --unit=x.service "));
        ASSERT_TRUE(strstr(text, "\nExecStart=" IDDIR "/nginx --unit=x.service "));
        ASSERT_TRUE(strstr(text, "\nExecReload=" IDDIR "/nginx --unit=x.service "));
        ASSERT_TRUE(strstr(text, "\nExecStop=+/bin/kill $MAINPID\n"));
        /* A specifier in the file name: systemd's identifier is known only once it is expanded. */
        ASSERT_TRUE(strstr(text, "\nExecStopPost=" EXEC " --unit=x.service "));
        ASSERT_EQ(strv_length(ids), 2u);
        ASSERT_TRUE(strv_contains(ids, "sh") && strv_contains(ids, "nginx"));
}

TEST(syslog_identifier_or_hidden_links_keep_the_enforcer) {
        _cleanup_free_ char *a = NULL, *b = NULL, *c = NULL;
        _cleanup_strv_free_ char **ia = NULL, **ib = NULL, **ic = NULL;

        ASSERT_EQ(dropin_ids("[Service]\nExecStart=/usr/sbin/nginx\nSyslogIdentifier=web\nLandlockReadOnlyPaths=/etc\n",
                             &a, &ia), 1);
        ASSERT_TRUE(strstr(a, "\nExecStart=" EXEC " ") && !ia);

        ASSERT_EQ(dropin_ids("[Service]\nExecStart=/usr/sbin/nginx\nTemporaryFileSystem=/run\nLandlockReadOnlyPaths=/etc\n",
                             &b, &ib), 1);
        ASSERT_TRUE(strstr(b, "\nExecStart=" EXEC " ") && !ib);

        /* Reset: systemd uses the command's name again. */
        ASSERT_EQ(dropin_ids("[Service]\nExecStart=/usr/sbin/nginx\nSyslogIdentifier=web\nSyslogIdentifier=\n"
                             "LandlockReadOnlyPaths=/etc\n", &c, &ic), 1);
        ASSERT_TRUE(strstr(c, "\nExecStart=" IDDIR "/nginx ") && strv_contains(ic, "nginx"));
}

TEST(exec_identity_is_the_plain_file_name) {
        ASSERT_STREQ(exec_identity("/usr/sbin/nginx"), "nginx");
        ASSERT_STREQ(exec_identity("redis-server"), "redis-server");
        ASSERT_STREQ(exec_identity("/usr/lib/postgresql/15/bin/pg_ctl"), "pg_ctl");
        ASSERT_TRUE(!exec_identity("/opt/%i"));
        ASSERT_TRUE(!exec_identity("/opt/a b"));
        ASSERT_TRUE(!exec_identity("/opt/$x"));
        ASSERT_TRUE(!exec_identity("/opt/"));
}
