/* SPDX-License-Identifier: LGPL-2.1-or-later */

/* suggest's sizing rules on denials as the parser produces them, against a made-up file system; and the
 * verdicts on whether denials can be seen, each with its fix; and --since=. */

#include "denials-visibility.h"
#include "denials.h"
#include "landlock-policy.h"
#include "strv.h"
#include "suggest.h"
#include "tests.h"

/* The file system of these tests: directories end in '/'. */
static const char *const fs[] = {
        "/etc/", "/etc/nginx/", "/etc/nginx/nginx.conf", "/etc/passwd", "/etc/group", "/etc/nsswitch.conf",
        "/run/", "/var/", "/var/www/html/", "/var/www/html/index.html", "/var/lib/redis/", "/usr/share/x/",
        "/usr/share/x/y", "/srv/data/", "/srv/data/a", "/etc/hosts",
};

static SuggestPathKind fake_kind(const char *path, void *userdata) {
        size_t n = strlen(path);

        for (size_t i = 0; i < ELEMENTSOF(fs); i++) {
                size_t m = strlen(fs[i]);
                if (m == n + 1 && fs[i][n] == '/' && strneq(fs[i], path, n))
                        return SUGGEST_PATH_DIRECTORY;
                if (streq(fs[i], path))
                        return SUGGEST_PATH_FILE;
        }
        return SUGGEST_PATH_MISSING;
}

/* One denial from a journal MESSAGE= line, as "denials" would count it. */
static void denial_from(Denial *d, const char *message) {
        ASSERT_EQ(landlock_audit_parse_line(message, &d->record), 1);
        d->unit = strdup("nginx.service");
        d->command = strdup("/usr/sbin/nginx -g daemon on;");
        d->rights = strdup("x");
        d->object = strdup(d->record.path ?: "-");
        d->count = 1;
}

static char *suggest_text_earlier(bool coarse, const char *const *messages, size_t n, const char *earlier) {
        _cleanup_(suggestion_done) Suggestion s = {};
        _cleanup_strv_free_ char **names = NULL;
        Denial d[16] = {};
        SuggestContext c = { .coarse = coarse, .path_kind = fake_kind };
        char *text;

        ASSERT_TRUE(n <= ELEMENTSOF(d));
        ASSERT_OK(suggest_service_names("nginx.service", (char *[]) { (char *) "/usr/sbin/nginx", NULL }, "www-data", &names));
        c.names = names;
        for (size_t i = 0; i < n; i++)
                denial_from(d + i, messages[i]);
        ASSERT_OK(suggest_from_denials(&c, d, n, earlier, &s));
        text = suggestion_format(&s, "nginx.service");
        ASSERT_TRUE(text != NULL);
        for (size_t i = 0; i < n; i++) {
                free(d[i].unit);
                free(d[i].command);
                free(d[i].rights);
                free(d[i].object);
                landlock_audit_record_done(&d[i].record);
        }
        return text;
}

static char *suggest_text(bool coarse, const char *const *messages, size_t n) {
        return suggest_text_earlier(coarse, messages, n, NULL);
}

static bool has_line(const char *text, const char *line) {
        size_t n = strlen(line);

        for (const char *p = text; (p = strstr(p, line)); p++)
                if ((p == text || p[-1] == '\n') && (p[n] == '\n' || p[n] == '\0'))
                        return true;
        return false;
}

#define ASSERT_LINE(text, line) \
        do { if (!has_line(text, line)) test_fail(__FILE__, __LINE__, "no line \"%s\" in:\n%s", line, text); } while (0)
#define ASSERT_NO_LINE(text, line) \
        do { if (has_line(text, line)) test_fail(__FILE__, __LINE__, "unexpected line \"%s\" in:\n%s", line, text); } while (0)

TEST(a_file_in_the_services_own_directory_grants_that_directory_read_only) {
        const char *m[] = { "LANDLOCK_ACCESS domain=1 blockers=fs.read_file path=\"/etc/nginx/nginx.conf\" dev=\"vda\" ino=2" };
        _cleanup_free_ char *t = suggest_text(false, m, 1);

        ASSERT_LINE(t, "LandlockPaths=/etc/nginx:ro");
        ASSERT_LINE(t, "[Service]");
        ASSERT_TRUE(strstr(t, "# x on /etc/nginx/nginx.conf (1×, /usr/sbin/nginx -g daemon on;)") != NULL);
}

TEST(a_shared_file_gets_a_file_grant_with_exactly_the_rights_denied) {
        const char *m[] = { "LANDLOCK_ACCESS domain=1 blockers=fs.read_file path=\"/var/www/html/index.html\" dev=\"vda\" ino=3" };
        _cleanup_free_ char *t = suggest_text(false, m, 1);

        ASSERT_LINE(t, "LandlockPaths=/var/www/html/index.html:read-file");
        ASSERT_NO_LINE(t, "LandlockPaths=/var/www/html:ro");
}

TEST(coarse_grants_the_directory_and_the_bundle) {
        const char *m[] = { "LANDLOCK_ACCESS domain=1 blockers=fs.read_file path=\"/var/www/html/index.html\" dev=\"vda\" ino=3" };
        _cleanup_free_ char *t = suggest_text(true, m, 1);

        ASSERT_LINE(t, "LandlockPaths=/var/www/html:ro");
}

TEST(a_file_a_preset_grants_is_answered_with_the_preset) {
        _cleanup_(landlock_policy_done) LandlockPolicy nameservice = LANDLOCK_POLICY_INIT, big = LANDLOCK_POLICY_INIT;
        _cleanup_(suggestion_done) Suggestion s = {};
        _cleanup_free_ char *t = NULL;
        Denial d[2] = {};
        const SuggestPreset presets[] = { { "big", &big }, { "nameservice", &nameservice } };
        SuggestContext c = {
                .names = (char *[]) { (char *) "nginx", NULL },
                .presets = presets,
                .n_presets = ELEMENTSOF(presets),
                .path_kind = fake_kind,
        };

        ASSERT_OK(landlock_policy_add_path(&nameservice, "/etc/passwd", LANDLOCK_ACCESS_FS_READ_FILE, 0, false, NULL));
        ASSERT_OK(landlock_policy_add_path(&nameservice, "/etc/group", LANDLOCK_ACCESS_FS_READ_FILE, 0, false, NULL));
        /* a larger preset that also grants it: the smaller one is chosen */
        for (int i = 0; i < 5; i++)
                ASSERT_OK(landlock_policy_add_path(&big, "/etc", LANDLOCK_ACCESS_FS_READ_FILE | LANDLOCK_ACCESS_FS_READ_DIR, 0, false, NULL));
        denial_from(d, "LANDLOCK_ACCESS domain=1 blockers=fs.read_file path=\"/etc/passwd\" dev=\"vda\" ino=4");
        /* a right no preset grants: no preset */
        denial_from(d + 1, "LANDLOCK_ACCESS domain=1 blockers=fs.write_file path=\"/etc/group\" dev=\"vda\" ino=5");
        ASSERT_OK(suggest_from_denials(&c, d, 2, NULL, &s));
        t = suggestion_format(&s, "nginx.service");

        ASSERT_LINE(t, "LandlockPreset=nameservice");
        ASSERT_LINE(t, "# the preset nameservice grants it, with what goes with it");
        ASSERT_NO_LINE(t, "LandlockPreset=big");
        ASSERT_NO_LINE(t, "LandlockPaths=/etc/passwd:read-file");
        ASSERT_LINE(t, "LandlockPaths=/etc/group:write-file");
        for (size_t i = 0; i < 2; i++) {
                free(d[i].unit); free(d[i].command); free(d[i].rights); free(d[i].object);
                landlock_audit_record_done(&d[i].record);
        }
}

TEST(creating_a_file_in_run_grants_run_creation_writing_and_removal_but_nothing_else) {
        const char *m[] = { "LANDLOCK_ACCESS domain=1 blockers=fs.make_reg path=\"/run\" dev=\"tmpfs\" ino=1" };
        _cleanup_free_ char *t = suggest_text(false, m, 1);

        ASSERT_LINE(t, "LandlockPaths=/run:write-file,read-file,remove-file,make-reg,truncate");
}

TEST(proc_pid_paths_grant_proc_with_protectproc_and_procsubset) {
        const char *m[] = { "LANDLOCK_ACCESS domain=1 blockers=fs.read_file path=\"/proc/4242/stat\" dev=\"proc\" ino=5" };
        _cleanup_free_ char *t = suggest_text(false, m, 1);

        ASSERT_LINE(t, "LandlockPaths=/proc:ro");
        ASSERT_LINE(t, "ProtectProc=invisible");
        ASSERT_LINE(t, "ProcSubset=pid");
}

TEST(proc_outside_pid_directories_keeps_the_rest_of_proc_visible) {
        const char *m[] = {
                "LANDLOCK_ACCESS domain=1 blockers=fs.read_file path=\"/proc/4242/stat\" dev=\"proc\" ino=5",
                "LANDLOCK_ACCESS domain=1 blockers=fs.read_file path=\"/proc/sys/vm/overcommit_memory\" dev=\"proc\" ino=6",
        };
        _cleanup_free_ char *t = suggest_text(false, m, 2);

        ASSERT_LINE(t, "ProtectProc=invisible");
        ASSERT_NO_LINE(t, "ProcSubset=pid");
}

TEST(never_a_whole_etc_var_or_root_nor_a_write_beneath_usr) {
        const char *m[] = {
                "LANDLOCK_ACCESS domain=1 blockers=fs.make_reg path=\"/etc\" dev=\"vda\" ino=1",
                "LANDLOCK_ACCESS domain=1 blockers=fs.read_dir path=\"/var\" dev=\"vda\" ino=1",
                "LANDLOCK_ACCESS domain=1 blockers=fs.read_dir path=\"/\" dev=\"vda\" ino=1",
                "LANDLOCK_ACCESS domain=1 blockers=fs.write_file path=\"/usr/share/x/y\" dev=\"vda\" ino=1",
                "LANDLOCK_ACCESS domain=1 blockers=fs.read_file path=\"/etc/hosts\" dev=\"vda\" ino=1",
        };
        _cleanup_free_ char *t = suggest_text(true, m, ELEMENTSOF(m));

        ASSERT_TRUE(strstr(t, "LandlockPaths=/etc:") == NULL);
        ASSERT_TRUE(strstr(t, "LandlockPaths=/var:") == NULL);
        ASSERT_TRUE(strstr(t, "LandlockPaths=/:") == NULL);
        ASSERT_TRUE(strstr(t, "LandlockPaths=/usr") == NULL);
        ASSERT_TRUE(strstr(t, "# not suggested: a grant on /etc as a whole") != NULL);
        ASSERT_TRUE(strstr(t, "# not suggested: a write right beneath /usr (/usr/share/x") != NULL);
        /* coarse, but /etc/hosts's directory is /etc: the file itself */
        ASSERT_LINE(t, "LandlockPaths=/etc/hosts:read-file");
}

TEST(a_deleted_file_is_granted_on_its_directory) {
        const char *m[] = { "LANDLOCK_ACCESS domain=1 blockers=fs.write_file path=2F7372762F646174612F746D70202864656C6574656429 dev=\"vda\" ino=9" };
        _cleanup_free_ char *t = suggest_text(false, m, 1);

        ASSERT_LINE(t, "LandlockPaths=/srv/data:write-file");
}

TEST(ports_and_scopes) {
        const char *m[] = {
                "LANDLOCK_ACCESS domain=1 blockers=net.bind_tcp src=8080",
                "LANDLOCK_ACCESS domain=1 blockers=net.connect_tcp daddr=127.0.0.1 dest=5432",
                "LANDLOCK_ACCESS domain=1 blockers=net.connect_send_udp daddr=10.0.0.1 dest=53",
                "LANDLOCK_ACCESS domain=1 blockers=scope.signal opid=1 ocomm=\"systemd\"",
        };
        _cleanup_free_ char *t = suggest_text(false, m, ELEMENTSOF(m));

        ASSERT_LINE(t, "LandlockBindPorts=tcp:8080");
        ASSERT_LINE(t, "LandlockConnectPorts=tcp:5432");
        ASSERT_LINE(t, "LandlockConnectPorts=udp:53");
        ASSERT_TRUE(strstr(t, "# not suggestable: LandlockScope=signal") != NULL);
}

TEST(the_output_parses_as_directives) {
        /* Every directive line suggest writes must be one the directive parser accepts. */
        const char *m[] = {
                "LANDLOCK_ACCESS domain=1 blockers=fs.make_reg path=\"/run\" dev=\"tmpfs\" ino=1",
                "LANDLOCK_ACCESS domain=1 blockers=fs.read_file path=\"/etc/nginx/nginx.conf\" dev=\"vda\" ino=2",
                "LANDLOCK_ACCESS domain=1 blockers=fs.read_file path=\"/srv/data/a\" dev=\"vda\" ino=2",
        };
        _cleanup_free_ char *t = suggest_text(false, m, ELEMENTSOF(m));
        _cleanup_strv_free_ char **lines = NULL;

        ASSERT_OK(strv_split(t, "\n", &lines));
        STRV_FOREACH(l, lines) {
                const char *v = startswith(*l, "LandlockPaths=");
                _cleanup_free_ char *path = NULL, *error = NULL;
                uint64_t access;
                bool optional;

                if (!v)
                        continue;
                if (landlock_parse_path_spec(v, 0, &path, &access, NULL, &optional, &error) < 0)
                        test_fail(__FILE__, __LINE__, "\"%s\" does not parse: %s", *l, strna(error));
        }
}

TEST(service_names) {
        _cleanup_strv_free_ char **n = NULL;

        ASSERT_OK(suggest_service_names("redis-server.service", (char *[]) { (char *) "/usr/bin/redis-server", NULL }, "redis", &n));
        ASSERT_TRUE(strv_contains(n, "redis-server"));
        ASSERT_TRUE(strv_contains(n, "redis"));
        ASSERT_EQ(strv_length(n), 2);
}

static AuditVisibility verdict(AuditFacts f, const char *expect) {
        _cleanup_free_ char *s = NULL;
        int v = audit_visibility(&f, &s);

        ASSERT_OK(v);
        if (expect && (!s || !strstr(s, expect)))
                test_fail(__FILE__, __LINE__, "expected \"%s\" in \"%s\"", expect, strna(s));
        if (!expect && s)
                test_fail(__FILE__, __LINE__, "expected no sentence, got \"%s\"", s);
        return (AuditVisibility) v;
}

TEST(visibility_verdicts_name_the_fix) {
        const AuditFacts good = { .abi = 7, .audit_enabled = 1, .auditd = 0, .journal_socket = 1, .audit_transport = true };
        AuditFacts f;

        ASSERT_EQ(verdict(good, NULL), AUDIT_VISIBLE);
        f = good; f.abi = 6;
        ASSERT_EQ(verdict(f, "ABI 6 (Linux 6.12)"), AUDIT_KERNEL_TOO_OLD);
        f = good; f.abi = -EOPNOTSUPP;
        ASSERT_EQ(verdict(f, "not available"), AUDIT_NO_LANDLOCK);
        f = good; f.audit_enabled = 0; f.audit_off_at_boot = true;
        ASSERT_EQ(verdict(f, "booted with audit=0"), AUDIT_OFF_AT_BOOT);
        f = good; f.audit_enabled = 0;
        ASSERT_EQ(verdict(f, "auditctl -e 1"), AUDIT_DISABLED);
        f = good; f.journal_socket = 0;
        ASSERT_EQ(verdict(f, "systemctl enable --now systemd-journald-audit.socket"), AUDIT_NO_LISTENER);
        f = good; f.journal_socket = 0; f.auditd = 1;
        ASSERT_EQ(verdict(f, NULL), AUDIT_VISIBLE);
        f = good; f.lost_rate_limit = 3;
        ASSERT_EQ(verdict(f, "auditctl -r 0"), AUDIT_LOST);
        f = good; f.lost_backlog = 1;
        ASSERT_EQ(verdict(f, "auditctl -b 8192"), AUDIT_LOST);
        f = good; f.audit_transport = false; f.printk_suppressed = 12;
        ASSERT_EQ(verdict(f, "suppressed 12 audit records"), AUDIT_LOST);
        /* unknown (not root): not claimed to be off */
        f = good; f.audit_enabled = -1; f.journal_socket = -1; f.auditd = -1;
        ASSERT_EQ(verdict(f, NULL), AUDIT_VISIBLE);
        ASSERT_FALSE(audit_visibility_blocks(AUDIT_LOST));
        ASSERT_TRUE(audit_visibility_blocks(AUDIT_DISABLED));
}

TEST(since) {
        const uint64_t now = 1764450000ULL * 1000000ULL;
        uint64_t t;

        ASSERT_OK(parse_since("-5min", now, &t));
        ASSERT_U64_EQ(t, now - 300ULL * 1000000ULL);
        ASSERT_OK(parse_since("-2h", now, &t));
        ASSERT_U64_EQ(t, now - 7200ULL * 1000000ULL);
        ASSERT_OK(parse_since("@1764400000", now, &t));
        ASSERT_U64_EQ(t, 1764400000ULL * 1000000ULL);
        ASSERT_OK(parse_since("2026-11-29 10:00", now, &t));
        ASSERT_OK(parse_since("today", now, &t));
        ASSERT_TRUE(t <= now);
        ASSERT_EQ(parse_since("yesterdayish", now, &t), -EINVAL);
        ASSERT_EQ(parse_since("-5fortnights", now, &t), -EINVAL);
}

TEST(a_file_gone_by_now_is_an_optional_file_grant) {
        /* ExecStop= read the pid file, which is gone once the service stopped. */
        const char *m[] = { "LANDLOCK_ACCESS domain=1 blockers=fs.read_file path=\"/run/nginx.pid\" dev=\"tmpfs\" ino=7" };
        _cleanup_free_ char *t = suggest_text(false, m, 1);

        ASSERT_LINE(t, "LandlockPaths=-/run/nginx.pid:read-file");
}

TEST(an_earlier_suggestion_is_merged_never_lost) {
        const char *m[] = { "LANDLOCK_ACCESS domain=1 blockers=fs.make_reg path=\"/run\" dev=\"tmpfs\" ino=1" };
        const char *earlier =
                "# Suggested by \"systemd-landlock suggest nginx.service\" from 3 denial(s).\n"
                "[Service]\n"
                "\n"
                "# read-file on /run/x (1×, /usr/sbin/nginx)\n"
                "LandlockPaths=/run:read-file\n"
                "\n"
                "# read-file on /srv/data/a (1×, /usr/sbin/nginx)\n"
                "LandlockPaths=/srv/data/a:read-file\n"
                "LandlockBindPorts=tcp:80\n";
        _cleanup_free_ char *t = suggest_text_earlier(false, m, 1, earlier);

        ASSERT_LINE(t, "LandlockPaths=/run:write-file,read-file,remove-file,make-reg,truncate");
        ASSERT_LINE(t, "LandlockPaths=/srv/data/a:read-file");
        ASSERT_TRUE(strstr(t, "LandlockPaths=/run:read-file") == NULL);
        ASSERT_LINE(t, "# read-file on /srv/data/a (1×, /usr/sbin/nginx)");
        ASSERT_LINE(t, "LandlockBindPorts=tcp:80");
        ASSERT_TRUE(strstr(t, "# Suggested by") == strstr(t, "# Suggested by \"systemd-landlock suggest nginx.service\" from 1"));
}

TEST(where_the_unit_says_the_service_writes_a_read_already_gets_rw) {
        _cleanup_(suggestion_done) Suggestion s = {};
        _cleanup_free_ char *t = NULL;
        Denial d = {};
        SuggestContext c = {
                .names = (char *[]) { (char *) "redis", NULL },
                .own_dirs = (char *[]) { (char *) "/var/lib/redis", (char *) "/etc/redis", NULL },
                .writable_dirs = (char *[]) { (char *) "/var/lib/redis", NULL },
                .path_kind = fake_kind,
        };

        denial_from(&d, "LANDLOCK_ACCESS domain=1 blockers=fs.read_file path=\"/var/lib/redis/dump.rdb\" dev=\"vda\" ino=3");
        ASSERT_OK(suggest_from_denials(&c, &d, 1, NULL, &s));
        t = suggestion_format(&s, "redis-server.service");
        ASSERT_LINE(t, "LandlockPaths=/var/lib/redis:rw");
        free(d.unit); free(d.command); free(d.rights); free(d.object);
        landlock_audit_record_done(&d.record);
}

TEST(a_file_gone_from_where_the_service_creates_files_is_granted_on_the_directory) {
        /* nginx -t creates its pid file and removes it: by suggest time it is gone, and it will be a new
         * inode next time. The read comes first here: the order must not matter. */
        const char *m[] = {
                "LANDLOCK_ACCESS domain=1 blockers=fs.write_file path=\"/srv/data/new.pid\" dev=\"vda\" ino=8",
                "LANDLOCK_ACCESS domain=1 blockers=fs.make_reg path=\"/srv/data\" dev=\"vda\" ino=1",
        };
        _cleanup_free_ char *t = suggest_text(false, m, 2);

        ASSERT_LINE(t, "LandlockPaths=/srv/data:write-file,read-file,remove-file,make-reg,truncate");
        ASSERT_TRUE(strstr(t, "new.pid:") == NULL);
}
