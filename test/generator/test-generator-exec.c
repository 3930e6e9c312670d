/* SPDX-License-Identifier: LGPL-2.1-or-later */

#include "generator-exec.h"
#include "strv.h"
#include "tests.h"

static char *words[] = { (char *) "--path=/etc:ro", (char *) "--path=/srv/a b:rw", (char *) "--path=%S/x$y:ro", NULL };

static const ExecWrapContext ctx = {
        .exec_path = "/E",
        .unit = "u.service",
        .policy_words = words,
};

static void expect(const ExecWrapContext *c, const char *line, const char *wrapped) {
        char *w = NULL, *why = NULL;

        ASSERT_OK(exec_line_wrap(line, c, &w, &why));
        ASSERT_TRUE(!why);
        ASSERT_STREQ(w, wrapped);
        free(w);
}

/* What systemd rejects, or what we cannot be sure how systemd splits, is never wrapped: the generator
 * refuses the unit (the reason names the problem). */
static void expect_problem(const ExecWrapContext *c, const char *line, const char *reason) {
        char *w = NULL, *why = NULL;

        ASSERT_EQ(exec_line_wrap(line, c, &w, &why), -EBADMSG);
        ASSERT_TRUE(!w);
        ASSERT_TRUE(!!why);
        if (!strstr(why, reason))
                ASSERT_STREQ(why, reason);
        free(why);
}

#define POLICY "--unit=u.service --path=/etc:ro \"--path=/srv/a b:rw\""

TEST(plain_command_keeps_raw_words) {
        expect(&ctx, "/usr/bin/foo --opt \"a b\" 'c d' $VAR ${X} %i \\x41",
               "/E " POLICY " --path=%S/x$$y:ro -- /usr/bin/foo --opt \"a b\" 'c d' $VAR ${X} %i \\x41");
}

TEST(every_prefix) {
        expect(&ctx, "-/bin/a", "-/E " POLICY " --path=%S/x$$y:ro -- /bin/a");
        expect(&ctx, ":/bin/a $X", ":/E " POLICY " --path=%S/x$y:ro -- /bin/a $X");
        expect(&ctx, "!/bin/a", "!/E " POLICY " --path=%S/x$$y:ro -- /bin/a");
        expect(&ctx, "!!/bin/a", "!!/E " POLICY " --path=%S/x$$y:ro -- /bin/a");
        expect(&ctx, "-:/bin/a", "-:/E " POLICY " --path=%S/x$y:ro -- /bin/a");
        /* "@": after "--", the executable, then argv[0], as written. */
        expect(&ctx, "@/bin/a aname arg", "/E " POLICY " --path=%S/x$$y:ro --separate-argv0 -- /bin/a aname arg");
        expect(&ctx, "-@/bin/a \"a name\"", "-/E " POLICY " --path=%S/x$$y:ro --separate-argv0 -- /bin/a \"a name\"");
        /* "+": not sandboxed by systemd, not wrapped by us. */
        expect(&ctx, "+/bin/a  x", "+/bin/a  x");
        expect(&ctx, "-+/bin/a", "-+/bin/a");
}

TEST(several_commands_on_one_line) {
        expect(&ctx, "/bin/a x ; +/bin/b ; -/bin/c \\; y",
               "/E " POLICY " --path=%S/x$$y:ro -- /bin/a x ; +/bin/b ; -/E " POLICY " --path=%S/x$$y:ro -- /bin/c \\; y");
}

TEST(quoted_or_dollar_executable_is_requoted) {
        expect(&ctx, "\"-/bin/with space\" x", "-/E " POLICY " --path=%S/x$$y:ro -- \"/bin/with space\" x");
        expect(&ctx, "/bin/$weird", "/E " POLICY " --path=%S/x$$y:ro -- /bin/$$weird");
        expect(&ctx, ":/bin/$weird", ":/E " POLICY " --path=%S/x$y:ro -- /bin/$weird");
}

/* Found by the fuzzer: a requoted executable keeps its specifiers (systemd expands them in the path slot
 * too); a "$" written as an escape is still a "$"; a command named ";" must not become a separator. */
TEST(executable_moved_into_argv_keeps_its_meaning) {
        ExecWrapContext c = ctx;

        c.policy_words = NULL;
        expect(&c, "\"-/opt/%i/bin/run\" x", "-/E --unit=u.service -- /opt/%i/bin/run x");
        expect(&c, "/bin/\\x24X", "/E --unit=u.service -- /bin/$$X");
        expect(&c, ":/bin/\\x24X", ":/E --unit=u.service -- /bin/\\x24X");
        expect(&c, "-!; /bin/cat /secret", "-!/E --unit=u.service -- \";\" /bin/cat /secret");
}

TEST(bare_names_and_search_path) {
        ExecWrapContext c = ctx;

        c.policy_words = NULL;
        c.search_path = "/opt/bin:/usr/bin";
        expect(&c, "foo --x", "/E --unit=u.service --search-path=/opt/bin:/usr/bin -- foo --x");
}

TEST(error_replaces_policy) {
        ExecWrapContext c = ctx;

        c.error = "/etc/x.service:3: bad \"value\" 100%";
        expect(&c, "/bin/a", "/E --unit=u.service \"--error=/etc/x.service:3: bad \\\"value\\\" 100%%\" -- /bin/a");
}

/* "$VAR" in argv[0]'s slot may become several words ("x --path=/:rwx"): it comes after "--", where the
 * enforcer reads no option. */
TEST(argv0_words_follow_the_separator) {
        expect(&ctx, "@/bin/a $VAR b", "/E " POLICY " --path=%S/x$$y:ro --separate-argv0 -- /bin/a $VAR b");
}

TEST(condition_commands_are_marked) {
        ExecWrapContext c = ctx;
        char *w = NULL;

        c.policy_words = NULL;
        c.condition = true;
        expect(&c, "/bin/a", "/E --unit=u.service --condition -- /bin/a");
        ASSERT_OK(exec_line_refusal(&c, "no", &w));
        ASSERT_STREQ(w, "/E --unit=u.service --condition --error=no --");
        free(w);
}

/* systemd skips a first word that is ";": nothing of ours may become a command named ";", and a line of
 * separators only must not be written (an empty value resets the list). */
TEST(lone_semicolons_are_skipped) {
        ExecWrapContext c = ctx;
        char *w = NULL, *why = NULL;

        c.policy_words = NULL;
        expect(&c, "/bin/a x ; ; /bin/b", "/E --unit=u.service -- /bin/a x ; /E --unit=u.service -- /bin/b");
        expect(&c, "; /bin/a", "/E --unit=u.service -- /bin/a");
        expect(&c, "/bin/a ;", "/E --unit=u.service -- /bin/a");
        expect(&c, "\";\" /bin/a", "/E --unit=u.service -- /bin/a");
        ASSERT_OK(exec_line_wrap(";", &c, &w, &why));
        ASSERT_TRUE(!w);
        ASSERT_TRUE(!why);
        ASSERT_OK(exec_line_wrap(" ;  ; ", &c, &w, &why));
        ASSERT_TRUE(!w);
}

TEST(shell_prefix_is_refused_not_wrapped) {
        expect_problem(&ctx, "|echo a >/tmp/flag", "The \"|\" prefix");
        /* A prefix on systemd 258 and later, not an error that "-" would excuse (found by the fuzzer). */
        expect_problem(&ctx, "-|echo a", "The \"|\" prefix");
        expect_problem(&ctx, "/bin/a ; -|echo a", "The \"|\" prefix");
}

/* systemd might still run part of a line we cannot split (the commands before a bad one on a ";" line). */
TEST(unparsable_lines_are_refused) {
        expect_problem(&ctx, "/bin/a \"unterminated", "Cannot parse");
        expect_problem(&ctx, "/bin/a ; /bin/b \"unterminated", "Cannot parse");
        expect_problem(&ctx, "-", "Cannot parse");
        expect_problem(&ctx, "@/bin/a", "Cannot parse");
}

/* A specifier systemd does not know makes it reject the line; in our drop-in that would end the file. */
TEST(unknown_specifiers_are_problems) {
        ExecWrapContext c = ctx;

        expect_problem(&ctx, "/bin/a %z", "Unknown specifier '%z'");
        expect_problem(&ctx, "/bin/%Q", "Unknown specifier '%Q'");
        expect_problem(&ctx, "@/bin/a %9 b", "Unknown specifier '%9'");
        expect_problem(&ctx, "/bin/a ; /bin/b %z", "Unknown specifier '%z'");
        /* %D arrived in systemd 256. */
        expect_problem(&ctx, "/bin/a %D", "Unknown specifier '%D'");
        c.version = 257;
        c.policy_words = NULL;
        expect(&c, "/bin/a %D", "/E --unit=u.service -- /bin/a %D");
        /* Kept as written by systemd: "%%", "%" before a non-alphanumeric, a trailing "%". */
        expect(&c, "/bin/a %% %- 100%", "/E --unit=u.service -- /bin/a %% %- 100%");
}

/* The executable moves from systemd's path slot into our arguments, where systemd no longer checks it. */
TEST(invalid_executables_are_problems) {
        ExecWrapContext c = ctx;

        c.policy_words = NULL;
        expect_problem(&ctx, "/bin/", "specifies a directory");
        expect_problem(&ctx, "\"/bin/a\\\\b\"", "special characters");
        expect_problem(&ctx, "\"/bin/a\\tb\"", "special characters");
        expect_problem(&ctx, "bin/a", "neither a valid executable name nor an absolute path");
        /* "-": systemd ignores the bad command and the rest of the line, keeps those before it. */
        expect(&c, "/bin/a ; -bin/b ; /bin/c", "/E --unit=u.service -- /bin/a");
        expect(&c, "/bin/a ; -/bin/b %z ; /bin/c", "/E --unit=u.service -- /bin/a");
        /* "+" commands are written back as they are: systemd would reject the same there. */
        expect_problem(&ctx, "+/bin/a %z", "Unknown specifier '%z'");
        expect(&c, "+/bin/a %i", "+/bin/a %i");
}

TEST(split_reports_prefixes) {
        ExecCommandRaw *c;
        size_t n;

        ASSERT_EQ(exec_line_split("-@/bin/a zero one ; :/bin/b", &c, &n), 2);
        ASSERT_STREQ(c[0].prefix, "-@");
        ASSERT_STREQ(c[0].path, "/bin/a");
        ASSERT_EQ(c[0].argv0_raw_end - c[0].argv0_raw_start, 4);
        ASSERT_EQ(c[0].args_raw_end - c[0].args_raw_start, 3);
        ASSERT_STREQ(c[1].prefix, ":");
        ASSERT_STREQ(c[1].path, "/bin/b");
        exec_commands_free(c);
}
