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
        char *w = NULL;

        ASSERT_OK(exec_line_wrap(line, c, &w));
        ASSERT_STREQ(w, wrapped);
        free(w);
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
        /* "@": the second word is argv[0], for the enforcer to pass on. */
        expect(&ctx, "@/bin/a aname arg", "/E " POLICY " --path=%S/x$$y:ro --argv0 aname -- /bin/a arg");
        expect(&ctx, "-@/bin/a \"a name\"", "-/E " POLICY " --path=%S/x$$y:ro --argv0 \"a name\" -- /bin/a");
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

/* systemd might still run part of a line we cannot split (the commands before a bad one on a ";" line),
 * unconfined: such a line becomes a refusal, never a command kept as written. */
static void expect_refused(const char *line) {
        char *w = NULL;

        ASSERT_OK(exec_line_wrap(line, &ctx, &w));
        ASSERT_TRUE(startswith(w, "/E --unit=u.service \"--error=Cannot parse the command line "));
        ASSERT_TRUE(endswith(w, "\" --"));
        free(w);
}

TEST(shell_prefix_is_refused_not_wrapped) {
        char *w = NULL;

        ASSERT_OK(exec_line_wrap("|echo a >/tmp/flag", &ctx, &w));
        ASSERT_TRUE(startswith(w, "/E --unit=u.service \"--error=The \\\"|\\\" prefix"));
        ASSERT_TRUE(endswith(w, "\" --"));
        free(w);
}

TEST(unparsable_lines_are_refused) {
        expect_refused("/bin/a \"unterminated");
        expect_refused("/bin/a ; /bin/b \"unterminated");
        expect_refused("-");
        expect_refused("@/bin/a");
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
        for (size_t i = 0; i < n; i++)
                exec_command_raw_done(&c[i]);
        free(c);
}
