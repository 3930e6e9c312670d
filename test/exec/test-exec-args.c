/* SPDX-License-Identifier: LGPL-2.1-or-later */

/* The enforcer's command line: policy → words → policy gives back the same policy, and bad words are
 * refused with a message naming them. */

#include "landlock-args.h"
#include "strv.h"
#include "tests.h"

static int parse_words(char **words, const char *const *tail, LandlockExecOptions *o, char **error) {
        _cleanup_strv_free_ char **argv = NULL;

        ASSERT_OK(strv_extend(&argv, "systemd-landlock-exec"));
        ASSERT_OK(strv_extend_strv(&argv, words));
        for (const char *const *t = tail; *t; t++)
                ASSERT_OK(strv_extend(&argv, *t));
        return landlock_args_parse((int) strv_length(argv), argv, o, error);
}

static void assert_same_policy(const LandlockPolicy *a, const LandlockPolicy *b) {
        ASSERT_EQ(a->n_paths, b->n_paths);
        for (size_t i = 0; i < a->n_paths; i++) {
                ASSERT_STREQ(a->paths[i].path, b->paths[i].path);
                ASSERT_U64_EQ(a->paths[i].access, b->paths[i].access);
                ASSERT_U64_EQ(a->paths[i].named, b->paths[i].named);
                ASSERT_EQ(a->paths[i].optional, b->paths[i].optional);
        }
        ASSERT_EQ(a->n_ports, b->n_ports);
        for (size_t i = 0; i < a->n_ports; i++) {
                ASSERT_U64_EQ(a->ports[i].access, b->ports[i].access);
                ASSERT_EQ(a->ports[i].first, b->ports[i].first);
                ASSERT_EQ(a->ports[i].last, b->ports[i].last);
        }
        ASSERT_EQ(a->handle_fs, b->handle_fs);
        ASSERT_U64_EQ(a->handled_net, b->handled_net);
        ASSERT_U64_EQ(a->scoped, b->scoped);
        ASSERT_EQ(a->compat, b->compat);
        ASSERT_EQ(a->log, b->log);
        ASSERT_EQ(a->process_wide, b->process_wide);
        ASSERT_EQ(a->allow_command, b->allow_command);
        ASSERT_EQ(strv_length(a->programs), strv_length(b->programs));
        for (size_t i = 0; i < strv_length(a->programs); i++)
                ASSERT_STREQ(a->programs[i], b->programs[i]);
}

static void add_path_spec(LandlockPolicy *p, const char *spec) {
        _cleanup_free_ char *path = NULL, *error = NULL;
        uint64_t access, named;
        bool optional;

        ASSERT_OK(landlock_parse_path_spec(spec, LANDLOCK_ACCESS_FS_READ_FILE | LANDLOCK_ACCESS_FS_READ_DIR, &path,
                                           &access, &named, &optional, &error));
        ASSERT_OK(landlock_policy_add_path(p, path, access, named, optional, NULL));
}

static void add_port_spec(LandlockPolicy *p, const char *spec, bool bind) {
        _cleanup_free_ char *error = NULL;
        uint64_t access;
        uint16_t first, last;

        ASSERT_OK(landlock_parse_port_spec(spec, bind, &access, &first, &last, &error));
        ASSERT_OK(landlock_policy_add_port(p, access, first, last, NULL));
}

static const char *const command_tail[] = { "--", "/usr/bin/foo", "--bar", NULL };

TEST(default_policy_writes_no_words) {
        _cleanup_strv_free_ char **words = NULL;
        LandlockPolicy p = LANDLOCK_POLICY_INIT;

        ASSERT_OK(landlock_args_from_policy(&p, &words));
        ASSERT_EQ(strv_length(words), 0);
}

TEST(full_policy_round_trips) {
        _cleanup_(landlock_exec_options_done) LandlockExecOptions o = {};
        _cleanup_strv_free_ char **words = NULL;
        _cleanup_free_ char *error = NULL;
        LandlockPolicy p = LANDLOCK_POLICY_INIT;

        add_path_spec(&p, "/etc/foo");
        add_path_spec(&p, "-/var/lib/a\\:b\\\\c:rw");
        add_path_spec(&p, "/run/x:rw,resolve-unix");
        add_path_spec(&p, "/srv/%i:read-file,execute");
        add_path_spec(&p, "/dev/null:rw,make-char");
        add_path_spec(&p, "/run/userdb:ro,?resolve-unix,make-fifo");
        add_port_spec(&p, "80-81", true);
        add_port_spec(&p, "udp:none", true);
        add_port_spec(&p, "tcp:5432", false);
        p.scoped = LANDLOCK_SCOPE_SIGNAL | LANDLOCK_SCOPE_ABSTRACT_UNIX_SOCKET;
        p.compat = LANDLOCK_COMPAT_STRICT;
        p.log = false;
        p.process_wide = LANDLOCK_PROCESS_WIDE_YES;
        p.allow_command = false;
        ASSERT_OK(landlock_policy_add_program(&p, "/usr/bin/memcached", false));
        ASSERT_OK(landlock_policy_add_program(&p, "/usr/lib/gconv/UTF-16.so", true));

        ASSERT_OK(landlock_args_from_policy(&p, &words));
        STRV_FOREACH(w, words)
                printf("# %s\n", *w);
        ASSERT_TRUE(strv_contains(words, "--path=/etc/foo:ro"));
        ASSERT_TRUE(strv_contains(words, "--path=-/var/lib/a\\:b\\\\c:rw"));
        ASSERT_TRUE(strv_contains(words, "--path=/run/x:rw,resolve-unix"));
        /* A right granted best effort (a preset's) stays best effort, not named. */
        ASSERT_TRUE(strv_contains(words, "--path=/run/userdb:ro,make-fifo,?resolve-unix"));
        ASSERT_TRUE(strv_contains(words, "--bind=tcp:80-81"));
        ASSERT_TRUE(strv_contains(words, "--bind=udp:none"));
        ASSERT_TRUE(strv_contains(words, "--connect=tcp:5432"));
        ASSERT_TRUE(strv_contains(words, "--scope=abstract-unix-socket,signal"));
        ASSERT_TRUE(strv_contains(words, "--compat=strict"));
        ASSERT_TRUE(strv_contains(words, "--log=no"));
        ASSERT_TRUE(strv_contains(words, "--process-wide=yes"));
        ASSERT_TRUE(strv_contains(words, "--allow-command=no"));

        ASSERT_OK(parse_words(words, command_tail, &o, &error));
        assert_same_policy(&p, &o.policy);
        ASSERT_STREQ(o.command[0], "/usr/bin/foo");
        ASSERT_STREQ(o.command[1], "--bar");
        ASSERT_TRUE(o.command[2] == NULL);
        landlock_policy_done(&p);
}

TEST(handled_filesystem_without_paths_round_trips) {
        _cleanup_(landlock_exec_options_done) LandlockExecOptions o = {};
        _cleanup_strv_free_ char **words = NULL;
        _cleanup_free_ char *error = NULL;
        LandlockPolicy p = LANDLOCK_POLICY_INIT;

        p.handle_fs = true;
        ASSERT_OK(landlock_args_from_policy(&p, &words));
        ASSERT_TRUE(strv_contains(words, "--handle-fs"));
        ASSERT_OK(parse_words(words, command_tail, &o, &error));
        assert_same_policy(&p, &o.policy);
}

TEST(handled_family_without_rule_is_written_as_none) {
        _cleanup_(landlock_exec_options_done) LandlockExecOptions o = {};
        _cleanup_strv_free_ char **words = NULL;
        _cleanup_free_ char *error = NULL;
        LandlockPolicy p = LANDLOCK_POLICY_INIT;

        p.handled_net = LANDLOCK_ACCESS_NET_CONNECT_TCP;
        ASSERT_OK(landlock_args_from_policy(&p, &words));
        ASSERT_TRUE(strv_contains(words, "--connect=tcp:none"));
        ASSERT_OK(parse_words(words, command_tail, &o, &error));
        ASSERT_U64_EQ(o.policy.handled_net, LANDLOCK_ACCESS_NET_CONNECT_TCP);
}

TEST(enforcer_options_are_parsed) {
        _cleanup_(landlock_exec_options_done) LandlockExecOptions o = {};
        _cleanup_free_ char *error = NULL;
        char *argv[] = { (char *) "x", (char *) "--unit=foo@bar.service", (char *) "--separate-argv0", (char *) "--condition",
                         (char *) "--search-path=/opt/bin:/usr/bin", (char *) "--", (char *) "foo", NULL };

        ASSERT_OK(landlock_args_parse(7, argv, &o, &error));
        ASSERT_STREQ(o.unit, "foo@bar.service");
        ASSERT_TRUE(o.separate_argv0);
        ASSERT_TRUE(o.condition);
        ASSERT_STREQ(o.search_path, "/opt/bin:/usr/bin");
        ASSERT_STREQ(o.command[0], "foo");
        ASSERT_TRUE(landlock_policy_is_empty(&o.policy));
}

/* Words after "--" come from the unit and its environment ("$VAR" splits into words): never options. */
TEST(words_after_the_separator_are_never_policy) {
        _cleanup_(landlock_exec_options_done) LandlockExecOptions o = {};
        _cleanup_free_ char *error = NULL;
        char *argv[] = { (char *) "x", (char *) "--path=/etc:ro", (char *) "--separate-argv0", (char *) "--",
                         (char *) "/bin/true", (char *) "x", (char *) "--path=/:rwx", (char *) "--", (char *) "--error=x", NULL };

        ASSERT_OK(landlock_args_parse(9, argv, &o, &error));
        ASSERT_EQ(o.policy.n_paths, 1u);
        ASSERT_TRUE(!o.error);
        ASSERT_STREQ(o.command[0], "/bin/true");
        ASSERT_STREQ(o.command[2], "--path=/:rwx");
        ASSERT_STREQ(o.command[4], "--error=x");
}

/* The old "--argv0 NAME" of drop-ins generated before an upgrade is refused, not misread. */
TEST(old_argv0_option_is_refused) {
        _cleanup_(landlock_exec_options_done) LandlockExecOptions o = {};
        _cleanup_free_ char *error = NULL;
        char *argv[] = { (char *) "x", (char *) "--argv0", (char *) "name", (char *) "--", (char *) "/bin/true", NULL };

        ASSERT_ERROR(landlock_args_parse(5, argv, &o, &error), EINVAL);
}

static void assert_refused(int argc, char **argv, const char *needle) {
        _cleanup_(landlock_exec_options_done) LandlockExecOptions o = {};
        _cleanup_free_ char *error = NULL;

        ASSERT_ERROR(landlock_args_parse(argc, argv, &o, &error), EINVAL);
        ASSERT_TRUE(error);
        printf("# %s\n", error);
        if (!strstr(error, needle))
                test_fail(__FILE__, __LINE__, "error \"%s\" does not name \"%s\"", error, needle);
}

TEST(unknown_option_is_refused_by_name) {
        char *argv[] = { (char *) "x", (char *) "--frobnicate", (char *) "--", (char *) "/bin/true", NULL };
        assert_refused(4, argv, "--frobnicate");
}

TEST(missing_separator_is_refused) {
        char *argv[] = { (char *) "x", (char *) "--path=/etc:ro", NULL };
        assert_refused(2, argv, "--");
}

TEST(command_before_separator_is_refused) {
        char *argv[] = { (char *) "x", (char *) "/bin/true", (char *) "--", NULL };
        assert_refused(3, argv, "/bin/true");
}

TEST(empty_command_is_refused) {
        char *argv[] = { (char *) "x", (char *) "--", NULL };
        assert_refused(2, argv, "command");
}

TEST(bad_values_are_refused_naming_the_argument) {
        char *a1[] = { (char *) "x", (char *) "--path=/etc:ro,fly", (char *) "--", (char *) "y", NULL };
        char *a2[] = { (char *) "x", (char *) "--path=etc:ro", (char *) "--", (char *) "y", NULL };
        char *a3[] = { (char *) "x", (char *) "--bind=tcp:99999", (char *) "--", (char *) "y", NULL };
        char *a4[] = { (char *) "x", (char *) "--scope=signals", (char *) "--", (char *) "y", NULL };
        char *a5[] = { (char *) "x", (char *) "--compat=lenient", (char *) "--", (char *) "y", NULL };
        char *a6[] = { (char *) "x", (char *) "--process-wide=maybe", (char *) "--", (char *) "y", NULL };
        char *a7[] = { (char *) "x", (char *) "--log=perhaps", (char *) "--", (char *) "y", NULL };

        assert_refused(4, a1, "fly");
        assert_refused(4, a2, "--path=etc:ro");
        assert_refused(4, a3, "99999");
        assert_refused(4, a4, "signals");
        assert_refused(4, a5, "lenient");
        assert_refused(4, a6, "maybe");
        assert_refused(4, a7, "perhaps");
}

TEST(error_option_is_kept_without_command) {
        _cleanup_(landlock_exec_options_done) LandlockExecOptions o = {};
        _cleanup_free_ char *error = NULL;
        char *argv[] = { (char *) "x", (char *) "--error=foo.service:3: bad", (char *) "--", NULL };

        ASSERT_OK(landlock_args_parse(3, argv, &o, &error));
        ASSERT_STREQ(o.error, "foo.service:3: bad");
}

/* The id the enforcer logs and the CLI compares: the same for the same policy, also after a round trip
 * through the policy and its words again; not counting the words that are not the policy; different
 * when a rule changes. */
static uint64_t id_of(const LandlockPolicy *p, const char *extra) {
        _cleanup_(landlock_exec_options_done) LandlockExecOptions o = { .policy = LANDLOCK_POLICY_INIT };
        _cleanup_strv_free_ char **words = NULL;
        _cleanup_free_ char *error = NULL;

        ASSERT_OK(landlock_args_from_policy(p, &words));
        if (extra)
                ASSERT_OK(strv_extend(&words, extra));
        ASSERT_OK(parse_words(words, command_tail, &o, &error));
        return o.policy_id;
}

TEST(policy_id_follows_the_policy) {
        _cleanup_(landlock_policy_done) LandlockPolicy a = LANDLOCK_POLICY_INIT, b = LANDLOCK_POLICY_INIT,
                again = LANDLOCK_POLICY_INIT, empty = LANDLOCK_POLICY_INIT;
        _cleanup_(landlock_exec_options_done) LandlockExecOptions o = { .policy = LANDLOCK_POLICY_INIT };
        _cleanup_strv_free_ char **words = NULL;
        _cleanup_free_ char *error = NULL;
        uint64_t ia;

        add_path_spec(&a, "/etc/foo:ro");
        add_port_spec(&a, "tcp:80", true);
        ia = id_of(&a, NULL);
        ASSERT_U64_EQ(id_of(&a, "--unit=foo.service"), ia);
        ASSERT_U64_EQ(id_of(&a, "--separate-argv0"), ia);

        ASSERT_OK(landlock_args_from_policy(&a, &words));
        ASSERT_OK(parse_words(words, command_tail, &o, &error));
        ASSERT_U64_EQ(id_of(&o.policy, NULL), ia);

        add_path_spec(&b, "/etc/foo:ro");
        add_port_spec(&b, "tcp:81", true);
        ASSERT_TRUE(id_of(&b, NULL) != ia);
        again.handle_fs = true;
        ASSERT_TRUE(id_of(&again, NULL) != id_of(&empty, NULL));
}
