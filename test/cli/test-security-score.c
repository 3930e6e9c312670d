/* SPDX-License-Identifier: LGPL-2.1-or-later */

/* The Landlock exposure score: systemd-analyze's formula, the rows for no/weak/strong policies, the
 * fail-open check, and reading back systemd-analyze's own report for --with-systemd. */

#include "analyze-merge.h"
#include "landlock-directives.h"
#include "security-score.h"
#include "fileio.h"
#include "strv.h"
#include "tests.h"

/* Parses "text" as a unit's [Service] section, as the CLI does for a unit file. */
static void policy_from_text(const char *text, LandlockUnitPolicy *ret) {
        _cleanup_(unit_file_done) UnitFile f = UNIT_FILE_INIT;

        ASSERT_OK(unit_file_parse_string(&f, "test.service", text, NULL));
        ASSERT_OK(landlock_unit_policy_from_unit_file(&f, "Service", ret));
        ASSERT_EQ(strv_length(ret->errors), 0);
}

static const SecurityResult *result_by_id(const SecurityReport *r, const char *id) {
        for (size_t i = 0; i < r->n_results; i++)
                if (streq(r->results[i].item->id, id))
                        return r->results + i;
        return NULL;
}

static uint64_t badness_of(const SecurityReport *r, const char *id) {
        const SecurityResult *res = result_by_id(r, id);

        if (!res)
                test_fail(__FILE__, __LINE__, "no item %s", id);
        return res->badness;
}

/* Assesses "text" compiled for "abi"; n_privileged and the online facts as given. */
static void assess_text(const char *text, unsigned abi, unsigned n_privileged, bool online, unsigned n_unwrapped,
                        SecurityReport *ret) {
        _cleanup_(landlock_unit_policy_done) LandlockUnitPolicy up = {};
        _cleanup_(landlock_compiled_done) LandlockCompiled c = {};
        _cleanup_free_ char *error = NULL;
        SecurityFacts f;
        int r;

        policy_from_text(text, &up);
        r = landlock_policy_compile(&up.policy, abi, 0, &c, &error);
        ASSERT_TRUE(r >= 0 || r == -EOPNOTSUPP);
        f = (SecurityFacts) {
                .has_directives = up.has_directives,
                .policy = &up.policy,
                .compiled = &c,
                .abi = abi,
                .n_commands = 1 + n_privileged,
                .n_privileged = n_privileged,
                .online = online,
                .n_running = online ? 1 : 0,
                .n_running_unwrapped = n_unwrapped,
        };
        ASSERT_OK(security_assess(&f, ret));
}

TEST(exposure_formula_matches_systemd_analyze) {
        /* Two items: weight 1000 range 1 bad, weight 300 range 2 with badness 1 → ceil(300/2) = 150;
         * overall ceil((1000 + 150) * 100 / 1300) = ceil(88.46) = 89. */
        SecurityItem a = { "A", "A=", 1000, 1 }, b = { "B", "B=", 300, 2 }, c = { "C", "C=", 5000, 1 };
        SecurityResult res[] = {
                { .item = &a, .badness = 1, .exposure = 1000 },
                { .item = &b, .badness = 1, .exposure = 150 },
                { .item = &c, .badness = SECURITY_NOT_APPLICABLE },   /* left out of both sums */
        };

        ASSERT_EQ(security_exposure(res, 3), 89);
        ASSERT_EQ(security_exposure(res, 0), 0);
}

TEST(levels_follow_systemd_analyze) {
        ASSERT_STREQ(security_level(100), "DANGEROUS");
        ASSERT_STREQ(security_level(90), "UNSAFE");
        ASSERT_STREQ(security_level(89), "EXPOSED");
        ASSERT_STREQ(security_level(75), "EXPOSED");
        ASSERT_STREQ(security_level(50), "MEDIUM");
        ASSERT_STREQ(security_level(10), "OK");
        ASSERT_STREQ(security_level(1), "SAFE");
        ASSERT_STREQ(security_level(0), "PERFECT");
}

TEST(no_directives_is_fully_exposed) {
        SecurityReport rep = {};

        assess_text("[Service]\nExecStart=/bin/true\n", 7, 0, false, 0, &rep);
        ASSERT_EQ(rep.exposure, 100);
        ASSERT_EQ(badness_of(&rep, "LandlockConfigured"), 1);
        ASSERT_EQ(badness_of(&rep, "LandlockWriteSystem"), 4);
        /* Rows about how a policy is enforced do not apply without one. */
        ASSERT_U64_EQ(badness_of(&rep, "LandlockCompatibility"), SECURITY_NOT_APPLICABLE);
        ASSERT_U64_EQ(badness_of(&rep, "LandlockEnforced"), SECURITY_NOT_APPLICABLE);
        security_report_done(&rep);
}

TEST(write_on_root_and_exec_on_usr_are_broad_grants) {
        SecurityReport rep = {};

        assess_text("[Service]\nLandlockPaths=/:rw\nLandlockExecPaths=/usr\n", 7, 1, false, 0, &rep);
        ASSERT_EQ(badness_of(&rep, "LandlockConfigured"), 0);
        ASSERT_EQ(badness_of(&rep, "LandlockFilesystem"), 0);
        ASSERT_EQ(badness_of(&rep, "LandlockWriteSystem"), 4);        /* "/" covers every tree */
        ASSERT_EQ(badness_of(&rep, "LandlockWriteExec"), 1);
        ASSERT_EQ(badness_of(&rep, "LandlockExec"), 1);
        ASSERT_EQ(badness_of(&rep, "LandlockPrivileged"), 1);
        ASSERT_TRUE(rep.exposure > 50 && rep.exposure < 100);
        security_report_done(&rep);
}

TEST(write_beneath_etc_is_not_broad_but_write_on_etc_is) {
        SecurityReport rep = {};

        assess_text("[Service]\nLandlockReadWritePaths=/etc/foo /homework\n", 7, 0, false, 0, &rep);
        ASSERT_EQ(badness_of(&rep, "LandlockWriteSystem"), 0);         /* /homework is not /home */
        security_report_done(&rep);

        assess_text("[Service]\nLandlockReadWritePaths=/etc /home\n", 7, 0, false, 0, &rep);
        ASSERT_EQ(badness_of(&rep, "LandlockWriteSystem"), 2);
        ASSERT_EQ(badness_of(&rep, "LandlockWriteExec"), 0);
        security_report_done(&rep);
}

TEST(strong_policy_scores_low_and_names_what_abi_7_drops) {
        static const char strong[] =
                "[Service]\n"
                "LandlockReadOnlyPaths=/etc/hostname\n"
                "LandlockReadWritePaths=/var/lib/strong\n"
                "LandlockBindPorts=tcp:none udp:none\n"
                "LandlockConnectPorts=tcp:5432 udp:53\n"
                "LandlockScope=signal abstract-unix-socket\n"
                "LandlockCompatibility=best-effort\n";
        const SecurityResult *k;
        SecurityReport rep = {};

        /* On the newest ABI nothing is dropped: only best effort itself counts, ceil(100·100/12500) = 1. */
        assess_text(strong, LANDLOCK_ABI_MAX, 0, false, 0, &rep);
        ASSERT_EQ(badness_of(&rep, "LandlockKernel"), 0);
        ASSERT_EQ(badness_of(&rep, "LandlockBind"), 0);
        ASSERT_EQ(badness_of(&rep, "LandlockConnect"), 0);
        ASSERT_EQ(badness_of(&rep, "LandlockScope"), 0);
        ASSERT_EQ(rep.exposure, 1);
        ASSERT_STREQ(security_level(rep.exposure), "SAFE");
        security_report_done(&rep);

        /* ABI 7 lacks UDP (10) and resolve-unix (9): the kernel row says so, in the table's names. */
        assess_text(strong, 7, 0, false, 0, &rep);
        k = result_by_id(&rep, "LandlockKernel");
        ASSERT_EQ(k->badness, 1);
        ASSERT_TRUE(strstr(k->description, "udp") != NULL);
        ASSERT_TRUE(strstr(k->description, "resolve-unix") != NULL);
        ASSERT_TRUE(rep.exposure > 1);
        security_report_done(&rep);

        /* No Landlock at all: nothing requested is enforced. */
        assess_text(strong, 0, 0, false, 0, &rep);
        ASSERT_EQ(badness_of(&rep, "LandlockKernel"), 2);
        security_report_done(&rep);
}

TEST(fail_open_is_judged_online_only) {
        SecurityReport rep = {};

        assess_text("[Service]\nLandlockPaths=/srv\n", 7, 0, false, 0, &rep);
        ASSERT_U64_EQ(badness_of(&rep, "LandlockEnforced"), SECURITY_NOT_APPLICABLE);
        security_report_done(&rep);

        assess_text("[Service]\nLandlockPaths=/srv\n", 7, 0, true, 0, &rep);
        ASSERT_EQ(badness_of(&rep, "LandlockEnforced"), 0);
        security_report_done(&rep);

        assess_text("[Service]\nLandlockPaths=/srv\n", 7, 0, true, 1, &rep);
        ASSERT_EQ(badness_of(&rep, "LandlockEnforced"), 1);
        security_report_done(&rep);
}

TEST(log_and_process_wide_rows) {
        SecurityReport rep = {};

        assess_text("[Service]\nLandlockPaths=/srv\nLandlockLog=no\nLandlockProcessWide=no\n", 7, 0, false, 0, &rep);
        ASSERT_EQ(badness_of(&rep, "LandlockLog"), 1);
        ASSERT_EQ(badness_of(&rep, "LandlockProcessWide"), 1);
        security_report_done(&rep);

        assess_text("[Service]\nLandlockPaths=/srv\nLandlockProcessWide=yes\n", 7, 0, false, 0, &rep);
        ASSERT_EQ(badness_of(&rep, "LandlockLog"), 0);
        ASSERT_EQ(badness_of(&rep, "LandlockProcessWide"), 0);
        security_report_done(&rep);
}

TEST(systemd_analyze_json_is_read_back) {
        AnalyzeReport rep = {};

        ASSERT_OK(analyze_parse_json(
                "[{\"set\":false,\"name\":\"RootDirectory=/RootImage=\",\"json_field\":\"RootDirectoryOrRootImage\","
                "\"description\":\"Service runs within the host's root directory\",\"exposure\":\"0.1\"},"
                "{\"set\":null,\"name\":\"SupplementaryGroups=\",\"json_field\":\"SupplementaryGroups\","
                "\"description\":\"Service runs as root, \\\"option\\\" does not matter\",\"exposure\":null},"
                "{\"set\":true,\"name\":\"NotifyAccess=\",\"json_field\":\"NotifyAccess\",\"description\":\"x\","
                "\"exposure\":null}]\n", &rep));
        ASSERT_EQ(rep.n_rows, 3);
        ASSERT_EQ(rep.rows[0].set, 0);
        ASSERT_STREQ(rep.rows[0].exposure, "0.1");
        ASSERT_EQ(rep.rows[1].set, -1);
        ASSERT_STREQ(rep.rows[1].description, "Service runs as root, \"option\" does not matter");
        ASSERT_TRUE(rep.rows[1].exposure == NULL);
        ASSERT_EQ(rep.rows[2].set, 1);
        analyze_report_done(&rep);

        ASSERT_ERROR(analyze_parse_json("{\"set\":true}", &rep), EBADMSG);
        ASSERT_ERROR(analyze_parse_json("[{\"set\":true}", &rep), EBADMSG);

        /* Without weight, badness and range there is no overall figure: never a guessed one. */
        ASSERT_OK(analyze_parse_json("[{\"set\":false,\"name\":\"a\",\"exposure\":\"0.1\"}]", &rep));
        ASSERT_EQ(rep.exposure, -1);
        analyze_report_done(&rep);
}

/* The overall exposure, as systemd-analyze computes it (analyze-security.c): the rows that apply, each
 * badness scaled to its weight (rounded up), over the sum of their weights, rounded up, in tenths. The
 * rows are what "SYSTEMD_ANALYZE_DEBUG=1 systemd-analyze security --json=short" prints. */
TEST(systemd_analyze_overall_exposure_is_computed_from_the_rows) {
        AnalyzeReport rep = {};

        ASSERT_OK(analyze_parse_json(
                "[{\"set\":false,\"name\":\"RootDirectory=/RootImage=\",\"json_field\":\"RootDirectoryOrRootImage\","
                "\"description\":\"Service runs within the host\\u2019s root directory\",\"weight\":200,\"badness\":1,"
                "\"range\":1,\"exposure\":\"0.1\"},"
                "{\"set\":null,\"name\":\"SupplementaryGroups=\",\"weight\":200,\"badness\":18446744073709551615,"
                "\"range\":1,\"exposure\":null},"
                "{\"set\":true,\"name\":\"PrivateTmp=\",\"weight\":100,\"badness\":0,\"range\":1,\"exposure\":null},"
                "{\"set\":false,\"name\":\"RestrictNamespaces=~CLONE_NEWUSER\",\"weight\":300,\"badness\":3,"
                "\"range\":9,\"exposure\":\"0.2\"}]", &rep));
        /* 200·1/1 + 100·0/1 + ⌈300·3/9⌉ = 300 of 600: 5.0 */
        ASSERT_EQ(rep.exposure, 50);
        /* A non-ASCII escape is the character it stands for, not "?". */
        ASSERT_STREQ(rep.rows[0].description, "Service runs within the host’s root directory");
        ASSERT_EQ(analyze_row_exposure(&rep.rows[0]), 1);
        ASSERT_ERROR(analyze_row_exposure(&rep.rows[1]), EBADMSG);
        analyze_report_done(&rep);
}

/* Characters beyond ASCII as systemd-analyze writes them, unescaped ("…" in 257's rows): json-c 0.18's strict
 * mode would refuse them, so they reach it escaped, and come back as themselves. */
TEST(systemd_analyze_output_with_raw_utf8_is_read) {
        AnalyzeReport rep = {};

        ASSERT_OK(analyze_parse_json("[{\"name\":\"RestrictAddressFamilies=~\xe2\x80\xa6\",\"description\":"
                                     "\"\xf0\x9f\x98\x80 \xc3\xa9\\\\\",\"exposure\":\"0.1\"}]", &rep));
        ASSERT_STREQ(rep.rows[0].name, "RestrictAddressFamilies=~\xe2\x80\xa6");
        ASSERT_STREQ(rep.rows[0].description, "\xf0\x9f\x98\x80 \xc3\xa9\\");
        analyze_report_done(&rep);

        static const char *const bad[] = {
                "[{\"name\":\"\xe2\x80\"}]",        /* a sequence cut short */
                "[{\"name\":\"\xc0\xaf\"}]",        /* an overlong '/' */
                "[{\"name\":\"\\\xc3\xa9\"}]",    /* an escaping backslash before a character */
                "[\xc3\xa9]",                          /* a character outside any string */
        };
        for (size_t i = 0; i < ELEMENTSOF(bad); i++)
                ASSERT_ERROR(analyze_parse_json(bad[i], &rep), EBADMSG);
}

/* What is not JSON is refused (strict json-c; some of these were found by test/fuzz/fuzz-analyze-json
 * in the hand-written reader this replaced). Nothing of the text is embedded in our own JSON as it is:
 * the rows are written again, typed. */
TEST(systemd_analyze_output_that_is_not_json_is_refused) {
        static const char *const bad[] = {
                "[{\"name\":\"\\u1",                  /* \u and fewer than four digits, then the end */
                "[{\"name\":\"\\u 12a\"}]",           /* sscanf() took a blank for a digit */
                "[\f{}]",                                /* \f is not JSON whitespace */
                "[{\"exposure\":1e}]", "[{\"exposure\":--1}]", "[{\"exposure\":01}]",
                "[{\"exposure\":+1}]", "[{\"exposure\":.5}]",
        };
        AnalyzeReport rep = {};

        for (size_t i = 0; i < ELEMENTSOF(bad); i++) {
                printf("# %s\n", bad[i]);
                ASSERT_ERROR(analyze_parse_json(bad[i], &rep), EBADMSG);
        }

        ASSERT_OK(analyze_parse_json("[{\"exposure\":-0.5e+3,\"name\":\"a\",\"name\":\"\\u0041\"}]", &rep));
        ASSERT_STREQ(rep.rows[0].exposure, "-0.5e+3");
        ASSERT_STREQ(rep.rows[0].name, "A");     /* a key given twice: the last one */
        analyze_report_done(&rep);
}

TEST(man_page_table_matches_the_items) {
        const char *man = getenv("SYSTEMD_LANDLOCK_MAN");
        _cleanup_free_ char *text = NULL;

        if (!man)
                test_fail(__FILE__, __LINE__, "$SYSTEMD_LANDLOCK_MAN is not set (meson sets it)");
        ASSERT_OK(read_full_file(man, &text, NULL));

        /* Each item is one tbl row: "ID<TAB>WEIGHT<TAB>RANGE<TAB>…" at the start of a line. */
        for (size_t i = 0; i < security_n_items; i++) {
                _cleanup_free_ char *row = NULL;
                const char *p;

                ASSERT_TRUE(asprintf(&row, "\n%s\t%" PRIu64 "\t%" PRIu64 "\t", security_items[i].id,
                                     security_items[i].weight, security_items[i].range) > 0);
                p = strstr(text, row);
                if (!p)
                        test_fail(__FILE__, __LINE__, "systemd-landlock.1 lacks the row \"%s\"", row + 1);
        }
}

static void assess_facts(const char *text, unsigned abi, SecurityFacts *extra, SecurityReport *ret) {
        _cleanup_(landlock_unit_policy_done) LandlockUnitPolicy up = {};
        _cleanup_(landlock_compiled_done) LandlockCompiled c = {};
        _cleanup_free_ char *error = NULL;
        SecurityFacts f = *extra;
        int r;

        policy_from_text(text, &up);
        r = landlock_policy_compile(&up.policy, abi, 0, &c, &error);
        ASSERT_TRUE(r >= 0 || r == -EOPNOTSUPP);
        f.has_directives = up.has_directives;
        f.policy = &up.policy;
        f.compiled = &c;
        f.abi = abi;
        ASSERT_OK(security_assess(&f, ret));
}

/* "+" commands are not "every command": the fail-open row says how many it leaves out. */
TEST(fail_open_row_counts_plus_commands_apart) {
        SecurityReport rep = {};
        const SecurityResult *res;

        assess_facts("[Service]\nLandlockPaths=/srv\n", 7,
                     &(SecurityFacts) { .online = true, .n_running = 2, .n_running_privileged = 2, .n_privileged = 2 },
                     &rep);
        res = result_by_id(&rep, "LandlockEnforced");
        ASSERT_EQ(res->badness, 0);
        ASSERT_TRUE(strstr(res->description, "except the 2 with \"+\""));
        ASSERT_EQ(badness_of(&rep, "LandlockPrivileged"), 1);
        security_report_done(&rep);
}

/* What the kernel cannot enforce earns nothing: scopes before ABI 6, ports before 4, anything at 0. */
TEST(no_credit_for_what_the_kernel_cannot_enforce) {
        static const char text[] = "[Service]\nLandlockPaths=/srv\nLandlockScope=signal abstract-unix-socket\n"
                                   "LandlockBindPorts=tcp:none udp:none\nLandlockConnectPorts=tcp:none udp:none\n";
        SecurityReport rep = {};

        assess_facts(text, LANDLOCK_ABI_MAX, &(SecurityFacts) {}, &rep);
        ASSERT_EQ(badness_of(&rep, "LandlockScope"), 0);
        ASSERT_EQ(badness_of(&rep, "LandlockBind"), 0);
        ASSERT_EQ(badness_of(&rep, "LandlockFilesystem"), 0);
        security_report_done(&rep);

        assess_facts(text, 5, &(SecurityFacts) {}, &rep);
        ASSERT_EQ(badness_of(&rep, "LandlockScope"), 2);
        ASSERT_EQ(badness_of(&rep, "LandlockBind"), 1);         /* TCP yes, UDP needs ABI 10 */
        ASSERT_EQ(badness_of(&rep, "LandlockLog"), 1);          /* audit logging needs ABI 7 */
        security_report_done(&rep);

        assess_facts(text, 3, &(SecurityFacts) {}, &rep);
        ASSERT_EQ(badness_of(&rep, "LandlockBind"), 2);
        ASSERT_EQ(badness_of(&rep, "LandlockConnect"), 2);
        security_report_done(&rep);

        assess_facts(text, 0, &(SecurityFacts) {}, &rep);
        ASSERT_EQ(badness_of(&rep, "LandlockFilesystem"), 1);
        ASSERT_EQ(badness_of(&rep, "LandlockWriteSystem"), 4);
        ASSERT_EQ(badness_of(&rep, "LandlockExec"), 2);
        ASSERT_EQ(badness_of(&rep, "LandlockScope"), 2);
        security_report_done(&rep);
}

TEST(shell_grants_are_flagged_when_no_command_needs_one) {
        SecurityReport rep = {};

        assess_facts("[Service]\nLandlockPaths=/srv\nLandlockExecPaths=/bin/sh\n", 7, &(SecurityFacts) {}, &rep);
        ASSERT_EQ(badness_of(&rep, "LandlockInterpreter"), 1);
        security_report_done(&rep);

        assess_facts("[Service]\nLandlockPaths=/srv\nLandlockExecPaths=/usr/bin\n", 7, &(SecurityFacts) {}, &rep);
        ASSERT_EQ(badness_of(&rep, "LandlockInterpreter"), 1);
        security_report_done(&rep);

        assess_facts("[Service]\nLandlockPaths=/srv\nLandlockAllowPrograms=/usr/bin/python3.11\n", 7, &(SecurityFacts) {}, &rep);
        ASSERT_EQ(badness_of(&rep, "LandlockInterpreter"), 1);
        security_report_done(&rep);

        /* The unit's command is a shell script: it needs one. */
        assess_facts("[Service]\nLandlockPaths=/srv\nLandlockExecPaths=/bin/sh\n", 7,
                     &(SecurityFacts) { .needs_interpreter = true }, &rep);
        ASSERT_EQ(badness_of(&rep, "LandlockInterpreter"), 0);
        security_report_done(&rep);

        assess_facts("[Service]\nLandlockPaths=/srv\nLandlockExecPaths=/usr/lib/foo /usr/bin/shred\n", 7,
                     &(SecurityFacts) {}, &rep);
        ASSERT_EQ(badness_of(&rep, "LandlockInterpreter"), 0);
        security_report_done(&rep);

        ASSERT_TRUE(security_is_interpreter("/usr/bin/perl5.36.0"));
        ASSERT_TRUE(security_is_interpreter("dash"));
        ASSERT_FALSE(security_is_interpreter("/usr/bin/shred"));
        ASSERT_FALSE(security_is_interpreter("/usr/sbin/nginx"));
}

/* A process's own /proc/PID cannot be named; /proc as a whole is safe only with ProtectProc= and
 * ProcSubset=pid. */
TEST(proc_grant_is_safe_only_with_protect_proc_and_proc_subset) {
        static const char text[] = "[Service]\nLandlockPaths=/srv /proc:ro\n";
        SecurityReport rep = {};

        assess_facts(text, 7, &(SecurityFacts) {}, &rep);
        ASSERT_EQ(badness_of(&rep, "LandlockProc"), 1);
        security_report_done(&rep);

        assess_facts(text, 7, &(SecurityFacts) { .protect_proc = "invisible" }, &rep);
        ASSERT_EQ(badness_of(&rep, "LandlockProc"), 1);
        security_report_done(&rep);

        assess_facts(text, 7, &(SecurityFacts) { .protect_proc = "invisible", .proc_subset = "pid" }, &rep);
        ASSERT_EQ(badness_of(&rep, "LandlockProc"), 0);
        security_report_done(&rep);

        assess_facts("[Service]\nLandlockPaths=/srv /proc/sys/net:ro\n", 7, &(SecurityFacts) {}, &rep);
        ASSERT_EQ(badness_of(&rep, "LandlockProc"), 0);
        security_report_done(&rep);
}

/* Control commands are not signal-scoped so that they need no "+": the score must never prefer "+". */
TEST(score_does_not_prefer_plus_for_control_commands) {
        static const char text[] = "[Service]\nLandlockPaths=/srv\nLandlockScope=signal abstract-unix-socket\n";
        SecurityReport confined = {}, plus = {};

        assess_facts(text, 7, &(SecurityFacts) { .online = true, .n_running = 2 }, &confined);
        assess_facts(text, 7, &(SecurityFacts) { .online = true, .n_running = 1, .n_running_privileged = 1,
                                                 .n_privileged = 1 }, &plus);
        ASSERT_EQ(badness_of(&confined, "LandlockScope"), 0);
        ASSERT_TRUE(confined.exposure < plus.exposure);
        security_report_done(&confined);
        security_report_done(&plus);
}
