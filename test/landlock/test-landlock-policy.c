/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Pure tests of the policy model: parsers, bundles, printing, compilation for every ABI. No system calls,
 * but to own a descriptor for a rule on an open file. */

#include <fcntl.h>

#include "landlock-policy.h"
#include "tests.h"

static uint64_t fs(const char *name) {
        const LandlockRight *r = landlock_right_from_name(LANDLOCK_KIND_FS, name);

        if (!r)
                test_fail(__FILE__, __LINE__, "no filesystem right named \"%s\"", name);
        return r->bit;
}

static uint64_t bundle(const char *name) {
        for (size_t i = 0; i < landlock_n_bundles; i++)
                if (streq(landlock_bundles[i].name, name))
                        return landlock_bundles[i].access;
        test_fail(__FILE__, __LINE__, "no bundle named \"%s\"", name);
}

static bool contains(const char *haystack, const char *needle) {
        return haystack && strstr(haystack, needle);
}

#define ASSERT_CONTAINS(h, n)                                                           \
        do {                                                                            \
                if (!contains((h), (n)))                                                \
                        test_fail(__FILE__, __LINE__, "\"%s\" does not contain \"%s\"", (h) ?: "(null)", (n)); \
        } while (0)

TEST(bundles_have_the_documented_rights) {
        uint64_t ro = fs("read-file") | fs("read-dir");
        uint64_t rw = ro | fs("write-file") | fs("truncate") | fs("remove-dir") | fs("remove-file") |
                      fs("make-dir") | fs("make-reg") | fs("make-sock") | fs("make-fifo") | fs("make-sym") |
                      fs("refer") | fs("ioctl-dev") | fs("resolve-unix");

        ASSERT_EQ(landlock_n_bundles, 4);
        ASSERT_U64_EQ(bundle("ro"), ro);
        ASSERT_U64_EQ(bundle("rx"), ro | fs("execute"));
        ASSERT_U64_EQ(bundle("rw"), rw);
        ASSERT_U64_EQ(bundle("rwx"), rw | fs("execute"));
        for (size_t i = 0; i < landlock_n_bundles; i++)
                ASSERT_U64_EQ(landlock_bundles[i].access & (fs("make-char") | fs("make-block")), 0);
}

TEST(parse_access_bundles_and_rights) {
        uint64_t a, named;

        ASSERT_OK(landlock_parse_access("ro", &a, &named, NULL));
        ASSERT_U64_EQ(a, bundle("ro"));
        ASSERT_U64_EQ(named, 0);

        ASSERT_OK(landlock_parse_access("rw,execute", &a, &named, NULL));
        ASSERT_U64_EQ(a, bundle("rwx"));
        ASSERT_U64_EQ(named, fs("execute"));

        ASSERT_OK(landlock_parse_access("read-file,read-dir,make-char", &a, &named, NULL));
        ASSERT_U64_EQ(a, fs("read-file") | fs("read-dir") | fs("make-char"));
        ASSERT_U64_EQ(named, a);

        for (size_t i = 0; i < landlock_n_rights; i++) {
                if (landlock_rights[i].kind != LANDLOCK_KIND_FS)
                        continue;
                ASSERT_OK(landlock_parse_access(landlock_rights[i].name, &a, NULL, NULL));
                ASSERT_U64_EQ(a, landlock_rights[i].bit);
        }
}

TEST(parse_access_rejects_bad_tokens_and_names_them) {
        _cleanup_free_ char *e1 = NULL, *e2 = NULL, *e3 = NULL, *e4 = NULL;
        uint64_t a;

        ASSERT_ERROR(landlock_parse_access("ro,bogus", &a, NULL, &e1), EINVAL);
        ASSERT_CONTAINS(e1, "\"bogus\"");
        ASSERT_CONTAINS(e1, "rwx");             /* lists what is valid */
        ASSERT_CONTAINS(e1, "resolve-unix");
        ASSERT_ERROR(landlock_parse_access("", &a, NULL, &e2), EINVAL);
        ASSERT_CONTAINS(e2, "empty");
        ASSERT_ERROR(landlock_parse_access("ro,,rw", &a, NULL, &e3), EINVAL);
        ASSERT_CONTAINS(e3, "ro,,rw");
        ASSERT_ERROR(landlock_parse_access("RO", &a, NULL, &e4), EINVAL);   /* names are case-sensitive */
        ASSERT_CONTAINS(e4, "\"RO\"");
}

TEST(parse_path_spec_good) {
        _cleanup_free_ char *p1 = NULL, *p2 = NULL, *p3 = NULL, *p4 = NULL, *p5 = NULL, *p6 = NULL;
        uint64_t a, named;
        bool opt;

        ASSERT_OK(landlock_parse_path_spec("/etc", bundle("ro"), &p1, &a, &named, &opt, NULL));
        ASSERT_STREQ(p1, "/etc");
        ASSERT_U64_EQ(a, bundle("ro"));
        ASSERT_FALSE(opt);

        ASSERT_OK(landlock_parse_path_spec("-/var/cache/x:rw,make-char", bundle("ro"), &p2, &a, &named, &opt, NULL));
        ASSERT_STREQ(p2, "/var/cache/x");
        ASSERT_U64_EQ(a, bundle("rw") | fs("make-char"));
        ASSERT_U64_EQ(named, fs("make-char"));
        ASSERT_TRUE(opt);

        ASSERT_OK(landlock_parse_path_spec("/srv/a\\:b:rx", bundle("ro"), &p3, &a, NULL, &opt, NULL));
        ASSERT_STREQ(p3, "/srv/a:b");
        ASSERT_U64_EQ(a, bundle("rx"));

        ASSERT_OK(landlock_parse_path_spec("/srv/back\\\\:ro", bundle("rw"), &p4, &a, NULL, NULL, NULL));
        ASSERT_STREQ(p4, "/srv/back\\");
        ASSERT_U64_EQ(a, bundle("ro"));

        ASSERT_OK(landlock_parse_path_spec("%S/mydaemon:rw", bundle("ro"), &p5, &a, NULL, NULL, NULL));
        ASSERT_STREQ(p5, "%S/mydaemon");
        ASSERT_OK(landlock_parse_path_spec("-%h", bundle("ro"), &p6, &a, NULL, &opt, NULL));
        ASSERT_STREQ(p6, "%h");
        ASSERT_TRUE(opt);
}

static void assert_path_spec_fails(const char *spec, const char *expect_in_error) {
        _cleanup_free_ char *p = NULL, *e = NULL;
        uint64_t a;

        if (landlock_parse_path_spec(spec, bundle("ro"), &p, &a, NULL, NULL, &e) != -EINVAL)
                test_fail(__FILE__, __LINE__, "\"%s\" was accepted", spec);
        if (!contains(e, expect_in_error))
                test_fail(__FILE__, __LINE__, "error for \"%s\" is \"%s\", expected it to mention \"%s\"",
                          spec, e ?: "(null)", expect_in_error);
}

TEST(parse_path_spec_rejects_bad_paths) {
        assert_path_spec_fails("etc/foo", "\"etc/foo\" is not absolute");
        assert_path_spec_fails("", "empty path");
        assert_path_spec_fails("-", "empty path");
        assert_path_spec_fails(":ro", "empty path");
        assert_path_spec_fails("/a/../b", "\"..\"");
        assert_path_spec_fails("/..", "\"..\"");
        assert_path_spec_fails("%i/x", "not absolute");
        assert_path_spec_fails("%Sx", "not absolute");
        assert_path_spec_fails("/a:", "empty access");
        assert_path_spec_fails("/a:ro,wrtie-file", "\"wrtie-file\"");
}

TEST(parse_path_spec_accepts_dots_in_names) {
        _cleanup_free_ char *p = NULL;

        ASSERT_OK(landlock_parse_path_spec("/a/..b/.../c.", bundle("ro"), &p, NULL, NULL, NULL, NULL));
        ASSERT_STREQ(p, "/a/..b/.../c.");
}

TEST(parse_port_spec_good) {
        uint64_t a;
        uint16_t f, l;

        ASSERT_OK(landlock_parse_port_spec("80", true, &a, &f, &l, NULL));
        ASSERT_U64_EQ(a, LANDLOCK_ACCESS_NET_BIND_TCP);
        ASSERT_EQ(f, 80);
        ASSERT_EQ(l, 80);
        ASSERT_OK(landlock_parse_port_spec("tcp:5432", false, &a, &f, &l, NULL));
        ASSERT_U64_EQ(a, LANDLOCK_ACCESS_NET_CONNECT_TCP);
        ASSERT_EQ(f, 5432);
        ASSERT_OK(landlock_parse_port_spec("udp:53", false, &a, &f, &l, NULL));
        ASSERT_U64_EQ(a, LANDLOCK_ACCESS_NET_CONNECT_SEND_UDP);
        ASSERT_OK(landlock_parse_port_spec("udp:1000-2000", true, &a, &f, &l, NULL));
        ASSERT_U64_EQ(a, LANDLOCK_ACCESS_NET_BIND_UDP);
        ASSERT_EQ(f, 1000);
        ASSERT_EQ(l, 2000);
        ASSERT_OK(landlock_parse_port_spec("0-65535", true, &a, &f, &l, NULL));
        ASSERT_EQ(f, 0);
        ASSERT_EQ(l, 65535);
        ASSERT_OK(landlock_parse_port_spec("none", true, &a, &f, &l, NULL));
        ASSERT_U64_EQ(a, LANDLOCK_ACCESS_NET_BIND_TCP);
        ASSERT_TRUE(f > l);
        ASSERT_OK(landlock_parse_port_spec("udp:none", false, &a, &f, &l, NULL));
        ASSERT_U64_EQ(a, LANDLOCK_ACCESS_NET_CONNECT_SEND_UDP);
        ASSERT_TRUE(f > l);
}

TEST(parse_port_spec_rejects_bad_ports) {
        static const struct {
                const char *spec;
                int error;
                const char *in_error;
        } bad[] = {
                { "65536",      ERANGE, "65536" },
                { "99999999",   EINVAL, "99999999" },
                { "2000-1000",  EINVAL, "2000 is greater than 1000" },
                { "http",       EINVAL, "\"http\"" },
                { "tcp:",       EINVAL, "\"tcp:\"" },
                { "1-",         EINVAL, "\"1-\"" },
                { "-1",         EINVAL, "\"-1\"" },
                { "sctp:80",    EINVAL, "\"sctp:80\"" },
                { "+80",        EINVAL, "\"+80\"" },
                { "",           EINVAL, "[tcp:|udp:]PORT" },
        };

        for (size_t i = 0; i < ELEMENTSOF(bad); i++) {
                _cleanup_free_ char *e = NULL;
                uint64_t a;
                uint16_t f, l;
                int r = landlock_parse_port_spec(bad[i].spec, true, &a, &f, &l, &e);

                if (r != -bad[i].error)
                        test_fail(__FILE__, __LINE__, "\"%s\": expected %s, got %d", bad[i].spec,
                                  strerror(bad[i].error), r);
                if (!contains(e, bad[i].in_error))
                        test_fail(__FILE__, __LINE__, "\"%s\": error \"%s\" lacks \"%s\"", bad[i].spec,
                                  e ?: "(null)", bad[i].in_error);
        }
}

TEST(parse_scope) {
        _cleanup_free_ char *e1 = NULL, *e2 = NULL;
        uint64_t s;

        ASSERT_OK(landlock_parse_scope("abstract-unix-socket signal", &s, NULL));
        ASSERT_U64_EQ(s, LANDLOCK_SCOPE_ABSTRACT_UNIX_SOCKET | LANDLOCK_SCOPE_SIGNAL);
        ASSERT_OK(landlock_parse_scope("signal,", &s, NULL));
        ASSERT_U64_EQ(s, LANDLOCK_SCOPE_SIGNAL);
        ASSERT_ERROR(landlock_parse_scope("signal ipc", &s, &e1), EINVAL);
        ASSERT_CONTAINS(e1, "\"ipc\"");
        ASSERT_CONTAINS(e1, "abstract-unix-socket");
        ASSERT_ERROR(landlock_parse_scope("  ", &s, &e2), EINVAL);
}

TEST(parse_enums_and_booleans) {
        static const char *const yes[] = { "1", "yes", "y", "true", "t", "on", "YES" };
        static const char *const no[] = { "0", "no", "n", "false", "f", "off" };

        for (size_t i = 0; i < ELEMENTSOF(yes); i++)
                ASSERT_EQ(parse_boolean(yes[i]), 1);
        for (size_t i = 0; i < ELEMENTSOF(no); i++)
                ASSERT_EQ(parse_boolean(no[i]), 0);
        ASSERT_ERROR(parse_boolean("2"), EINVAL);
        ASSERT_ERROR(parse_boolean(""), EINVAL);
        ASSERT_ERROR(parse_boolean("yess"), EINVAL);

        ASSERT_EQ(landlock_compat_from_string("best-effort"), LANDLOCK_COMPAT_BEST_EFFORT);
        ASSERT_EQ(landlock_compat_from_string("strict"), LANDLOCK_COMPAT_STRICT);
        ASSERT_EQ(landlock_compat_from_string("lax"), _LANDLOCK_COMPAT_INVALID);
        ASSERT_STREQ(landlock_compat_to_string(LANDLOCK_COMPAT_STRICT), "strict");

        ASSERT_EQ(landlock_process_wide_from_string("auto"), LANDLOCK_PROCESS_WIDE_AUTO);
        ASSERT_EQ(landlock_process_wide_from_string("yes"), LANDLOCK_PROCESS_WIDE_YES);
        ASSERT_EQ(landlock_process_wide_from_string("off"), LANDLOCK_PROCESS_WIDE_NO);
        ASSERT_EQ(landlock_process_wide_from_string("sometimes"), _LANDLOCK_PROCESS_WIDE_INVALID);
        ASSERT_STREQ(landlock_process_wide_to_string(LANDLOCK_PROCESS_WIDE_NO), "no");
}

static void assert_access_string(uint64_t access, const char *expected) {
        _cleanup_free_ char *s = landlock_access_to_string(access);
        uint64_t back;

        if (!s || !streq(s, expected))
                test_fail(__FILE__, __LINE__, "0x%" PRIx64 " printed as \"%s\", expected \"%s\"", access,
                          s ?: "(null)", expected);
        if (landlock_parse_access(s, &back, NULL, NULL) < 0 || back != access)
                test_fail(__FILE__, __LINE__, "\"%s\" does not parse back to 0x%" PRIx64, s, access);
}

TEST(access_to_string_shortest_spelling) {
        assert_access_string(bundle("ro"), "ro");
        assert_access_string(bundle("rx"), "rx");
        assert_access_string(bundle("rw"), "rw");
        assert_access_string(bundle("rwx"), "rwx");
        assert_access_string(bundle("ro") | fs("write-file"), "ro,write-file");
        assert_access_string(bundle("rw") | fs("make-block"), "rw,make-block");
        assert_access_string(bundle("rwx") | fs("make-char") | fs("make-block"), "rwx,make-char,make-block");
        assert_access_string(fs("read-file"), "read-file");
        assert_access_string(fs("execute") | fs("read-file"), "execute,read-file");
}

TEST(access_to_string_round_trips) {
        uint64_t all = landlock_abi_mask(LANDLOCK_KIND_FS, LANDLOCK_ABI_MAX);

        /* Every single right, every right added to every bundle, every right removed from rwx. */
        for (size_t i = 0; i < landlock_n_rights; i++) {
                uint64_t bit = landlock_rights[i].bit, back;

                if (landlock_rights[i].kind != LANDLOCK_KIND_FS)
                        continue;
                for (size_t j = 0; j <= landlock_n_bundles; j++) {
                        uint64_t masks[2] = {
                                (j < landlock_n_bundles ? landlock_bundles[j].access : 0) | bit,
                                all & ~bit,
                        };

                        for (size_t k = 0; k < 2; k++) {
                                _cleanup_free_ char *s = landlock_access_to_string(masks[k]);

                                ASSERT_TRUE(s);
                                ASSERT_OK(landlock_parse_access(s, &back, NULL, NULL));
                                ASSERT_U64_EQ(back, masks[k]);
                        }
                }
        }
}

/* ---- Compilation ---- */

static void policy_add_path(LandlockPolicy *p, const char *spec) {
        _cleanup_free_ char *path = NULL;
        uint64_t a, named;
        bool opt;

        ASSERT_OK(landlock_parse_path_spec(spec, bundle("ro"), &path, &a, &named, &opt, NULL));
        ASSERT_OK(landlock_policy_add_path(p, path, a, named, opt, &(LandlockSource) { (char *) "t.service", 7 }));
}

static void policy_add_port(LandlockPolicy *p, const char *spec, bool bind) {
        uint64_t a;
        uint16_t f, l;

        ASSERT_OK(landlock_parse_port_spec(spec, bind, &a, &f, &l, NULL));
        ASSERT_OK(landlock_policy_add_port(p, a, f, l, NULL));
}

/* "H:truncate R:refer N:bind-tcp S:signal L:log-new-exec-on A:": one word per drop. */
static char *drops_to_string(const LandlockCompiled *c) {
        static const char kinds[_LANDLOCK_DROP_KIND_MAX] = {
                [LANDLOCK_DROP_FS_HANDLED] = 'H', [LANDLOCK_DROP_FS_RULE] = 'R', [LANDLOCK_DROP_NET] = 'N',
                [LANDLOCK_DROP_SCOPE] = 'S', [LANDLOCK_DROP_LOG] = 'L', [LANDLOCK_DROP_ALL] = 'A',
        };
        static const LandlockRightKind spaces[_LANDLOCK_DROP_KIND_MAX] = {
                [LANDLOCK_DROP_FS_HANDLED] = LANDLOCK_KIND_FS, [LANDLOCK_DROP_FS_RULE] = LANDLOCK_KIND_FS,
                [LANDLOCK_DROP_NET] = LANDLOCK_KIND_NET, [LANDLOCK_DROP_SCOPE] = LANDLOCK_KIND_SCOPE,
                [LANDLOCK_DROP_LOG] = LANDLOCK_KIND_RESTRICT_FLAG, [LANDLOCK_DROP_ALL] = LANDLOCK_KIND_FS,
        };
        char *s = strdup("");

        for (size_t i = 0; s && i < c->n_drops; i++) {
                _cleanup_free_ char *bits = landlock_mask_to_string(spaces[c->drops[i].kind], c->drops[i].bits);
                char *n;

                if (asprintf(&n, "%s%s%c:%s", s, i > 0 ? " " : "", kinds[c->drops[i].kind], bits) < 0)
                        n = NULL;
                free(s);
                s = n;
        }
        return s;
}

static void matrix_policy(LandlockPolicy *p) {
        *p = LANDLOCK_POLICY_INIT;
        policy_add_path(p, "/usr:rx");
        policy_add_path(p, "/var/lib/x:rw");
        policy_add_port(p, "tcp:80", true);
        policy_add_port(p, "udp:53", false);
        ASSERT_OK(landlock_parse_scope("abstract-unix-socket signal", &p->scoped, NULL));
}

TEST(compile_best_effort_for_every_abi) {
        static const char *const expected_drops[LANDLOCK_ABI_MAX + 1] = {
                [0] = "A:",
                [1] = "H:truncate H:ioctl-dev H:resolve-unix R:refer N:bind-tcp N:connect-send-udp "
                      "S:abstract-unix-socket S:signal L:log-new-exec-on",
                [2] = "H:truncate H:ioctl-dev H:resolve-unix N:bind-tcp N:connect-send-udp "
                      "S:abstract-unix-socket S:signal L:log-new-exec-on",
                [3] = "H:ioctl-dev H:resolve-unix N:bind-tcp N:connect-send-udp "
                      "S:abstract-unix-socket S:signal L:log-new-exec-on",
                [4] = "H:ioctl-dev H:resolve-unix N:connect-send-udp S:abstract-unix-socket S:signal L:log-new-exec-on",
                [5] = "H:resolve-unix N:connect-send-udp S:abstract-unix-socket S:signal L:log-new-exec-on",
                [6] = "H:resolve-unix N:connect-send-udp L:log-new-exec-on",
                [7] = "H:resolve-unix N:connect-send-udp",
                [8] = "H:resolve-unix N:connect-send-udp",
                [9] = "N:connect-send-udp",
                [10] = "",
                [11] = "",
        };
        /* Written out rather than derived, so that a wrong ABI table fails here. */
        static const uint64_t expected_fs[LANDLOCK_ABI_MAX + 1] = {
                0, 0x1fff, 0x3fff, 0x7fff, 0x7fff, 0xffff, 0xffff, 0xffff, 0xffff, 0x1ffff, 0x1ffff, 0x1ffff,
        };
        LandlockPolicy p;

        matrix_policy(&p);

        for (unsigned abi = 0; abi <= LANDLOCK_ABI_MAX; abi++) {
                LandlockCompiled c;
                _cleanup_free_ char *drops = NULL;

                ASSERT_OK(landlock_policy_compile(&p, abi, 0, &c, NULL));
                drops = drops_to_string(&c);
                if (!drops || !streq(drops, expected_drops[abi]))
                        test_fail(__FILE__, __LINE__, "ABI %u: drops \"%s\", expected \"%s\"", abi,
                                  drops ?: "(null)", expected_drops[abi]);

                ASSERT_U64_EQ(c.handled_fs, expected_fs[abi]);
                ASSERT_U64_EQ(c.handled_net, abi >= 10 ? (LANDLOCK_ACCESS_NET_BIND_TCP | LANDLOCK_ACCESS_NET_CONNECT_SEND_UDP) :
                                             abi >= 4 ? LANDLOCK_ACCESS_NET_BIND_TCP : 0);
                ASSERT_U64_EQ(c.scoped, abi >= 6 ? (LANDLOCK_SCOPE_ABSTRACT_UNIX_SOCKET | LANDLOCK_SCOPE_SIGNAL) : 0);
                ASSERT_EQ(c.restrict_flags, abi >= 7 ? LANDLOCK_RESTRICT_SELF_LOG_NEW_EXEC_ON : 0);
                ASSERT_EQ(c.n_paths, abi == 0 ? 0 : 2);
                ASSERT_EQ(c.n_ports, abi >= 10 ? 2 : abi >= 4 ? 1 : 0);
                if (abi > 0) {
                        ASSERT_STREQ(c.paths[1].path, "/var/lib/x");
                        ASSERT_U64_EQ(c.paths[1].access, bundle("rw") & expected_fs[abi]);
                        ASSERT_STREQ(c.paths[1].source.file, "t.service");
                        ASSERT_EQ(c.paths[1].source.line, 7);
                }
                for (size_t i = 0; i < c.n_drops; i++) {
                        ASSERT_TRUE(c.drops[i].message && c.drops[i].message[0]);
                        /* Only lost logging and the refer grant on ABI 1 do not weaken. */
                        ASSERT_EQ(c.drops[i].weakens, c.drops[i].kind != LANDLOCK_DROP_LOG &&
                                                      c.drops[i].kind != LANDLOCK_DROP_FS_RULE);
                }
                landlock_compiled_done(&c);
        }
        landlock_policy_done(&p);
}

TEST(compile_empty_policy_drops_nothing) {
        LandlockPolicy p = LANDLOCK_POLICY_INIT;
        LandlockCompiled c;

        ASSERT_TRUE(landlock_policy_is_empty(&p));
        p.compat = LANDLOCK_COMPAT_STRICT;
        ASSERT_OK(landlock_policy_compile(&p, 0, 0, &c, NULL));
        ASSERT_EQ(c.n_drops, 0);
        landlock_compiled_done(&c);
}

static void assert_strict_refuses(LandlockPolicy *p, unsigned abi, const char *const *in_error) {
        _cleanup_free_ char *e = NULL;
        LandlockCompiled c;

        p->compat = LANDLOCK_COMPAT_STRICT;
        ASSERT_ERROR(landlock_policy_compile(p, abi, 0, &c, &e), EOPNOTSUPP);
        for (; *in_error; in_error++)
                ASSERT_CONTAINS(e, *in_error);
        ASSERT_TRUE(c.n_drops > 0);     /* still filled for display */
        landlock_compiled_done(&c);
}

TEST(strict_refuses_named_resolve_unix_on_abi_7) {
        LandlockPolicy p = LANDLOCK_POLICY_INIT;
        LandlockCompiled c;

        policy_add_path(&p, "/run/x:ro,resolve-unix");
        assert_strict_refuses(&p, 7, (const char *[]) { "resolve-unix (ABI 9, Linux 7.1)", "/run/x", "ABI 7", NULL });
        ASSERT_OK(landlock_policy_compile(&p, 9, 0, &c, NULL));
        landlock_compiled_done(&c);
        landlock_policy_done(&p);
}

TEST(strict_accepts_bundles_missing_rights_on_old_abi) {
        LandlockPolicy p = LANDLOCK_POLICY_INIT;
        LandlockCompiled c;

        policy_add_path(&p, "/var/lib/x:rw");
        p.compat = LANDLOCK_COMPAT_STRICT;
        ASSERT_OK(landlock_policy_compile(&p, 7, 0, &c, NULL));
        ASSERT_EQ(c.n_drops, 1);        /* resolve-unix is listed, as weakening, but not refused */
        ASSERT_TRUE(c.drops[0].weakens);
        landlock_compiled_done(&c);
        landlock_policy_done(&p);
}

TEST(strict_refuses_udp_ports_on_abi_7) {
        LandlockPolicy p = LANDLOCK_POLICY_INIT;

        policy_add_port(&p, "udp:53", false);
        policy_add_port(&p, "tcp:443", false);
        assert_strict_refuses(&p, 7, (const char *[]) { "connect-send-udp (ABI 10, Linux 7.2)", NULL });
        landlock_policy_done(&p);
}

TEST(strict_refuses_tcp_ports_on_abi_3) {
        LandlockPolicy p = LANDLOCK_POLICY_INIT;

        policy_add_port(&p, "tcp:none", true);
        assert_strict_refuses(&p, 3, (const char *[]) { "bind-tcp (ABI 4, Linux 6.7)", NULL });
        landlock_policy_done(&p);
}

TEST(strict_refuses_scopes_on_abi_5) {
        LandlockPolicy p = LANDLOCK_POLICY_INIT;

        ASSERT_OK(landlock_parse_scope("signal", &p.scoped, NULL));
        assert_strict_refuses(&p, 5, (const char *[]) { "signal (ABI 6, Linux 6.12)", NULL });
        landlock_policy_done(&p);
}

TEST(strict_refuses_everything_on_abi_0) {
        LandlockPolicy p = LANDLOCK_POLICY_INIT;

        policy_add_path(&p, "/etc");
        assert_strict_refuses(&p, 0, (const char *[]) { "Landlock is not available", NULL });
        landlock_policy_done(&p);
}

TEST(refer_on_abi_1_is_a_narrower_grant_not_a_weakening) {
        LandlockPolicy p = LANDLOCK_POLICY_INIT;
        LandlockCompiled c;

        policy_add_path(&p, "/srv:ro,refer");
        p.compat = LANDLOCK_COMPAT_STRICT;
        ASSERT_OK(landlock_policy_compile(&p, 1, 0, &c, NULL));
        ASSERT_U64_EQ(c.handled_fs & fs("refer"), 0);
        ASSERT_EQ(c.n_paths, 1);
        ASSERT_U64_EQ(c.paths[0].access, bundle("ro"));
        ASSERT_EQ(c.n_drops, 5);        /* truncate, ioctl-dev, resolve-unix not handled; refer on /srv; logging */
        ASSERT_EQ(c.drops[3].kind, LANDLOCK_DROP_FS_RULE);
        ASSERT_FALSE(c.drops[3].weakens);
        ASSERT_EQ(c.drops[3].abi_needed, 2);
        ASSERT_CONTAINS(c.drops[3].message, "/srv");
        ASSERT_CONTAINS(c.drops[3].message, "EXDEV");
        landlock_compiled_done(&c);

        /* From ABI 2 on it is handled and granted. */
        ASSERT_OK(landlock_policy_compile(&p, 2, 0, &c, NULL));
        ASSERT_U64_EQ(c.paths[0].access, bundle("ro") | fs("refer"));
        landlock_compiled_done(&c);
        landlock_policy_done(&p);
}

TEST(compile_drops_rules_left_empty_and_none_ports) {
        LandlockPolicy p = LANDLOCK_POLICY_INIT;
        LandlockCompiled c;

        policy_add_path(&p, "/tmp/t:truncate");
        policy_add_path(&p, "/etc");
        policy_add_port(&p, "none", true);
        ASSERT_OK(landlock_policy_compile(&p, 4, 0, &c, NULL));
        ASSERT_EQ(c.n_paths, 2);        /* truncate is handled from ABI 3 */
        ASSERT_EQ(c.n_ports, 0);        /* "none": handled, no port allowed */
        ASSERT_U64_EQ(c.handled_net, LANDLOCK_ACCESS_NET_BIND_TCP);
        landlock_compiled_done(&c);

        ASSERT_OK(landlock_policy_compile(&p, 2, 0, &c, NULL));
        ASSERT_EQ(c.n_paths, 1);
        ASSERT_STREQ(c.paths[0].path, "/etc");
        ASSERT_U64_EQ(c.handled_net, 0);
        {
                bool found = false;

                for (size_t i = 0; i < c.n_drops; i++)
                        if (c.drops[i].kind == LANDLOCK_DROP_FS_RULE) {
                                ASSERT_CONTAINS(c.drops[i].message, "/tmp/t:truncate is dropped");
                                found = true;
                        }
                ASSERT_TRUE(found);
        }
        landlock_compiled_done(&c);
        landlock_policy_done(&p);
}

TEST(compile_merges_rules_on_the_same_path) {
        LandlockPolicy p = LANDLOCK_POLICY_INIT;
        LandlockCompiled c;

        /* An optional read-only grant and a required write-file on the same path: one kernel rule with
         * both, required; a path alone stays optional. */
        policy_add_path(&p, "-/srv/x:ro");
        policy_add_path(&p, "-/srv/y");
        policy_add_path(&p, "/srv/x:write-file");
        ASSERT_OK(landlock_policy_compile(&p, 7, 0, &c, NULL));
        ASSERT_EQ(c.n_paths, 2);
        ASSERT_STREQ(c.paths[0].path, "/srv/x");
        ASSERT_U64_EQ(c.paths[0].access, bundle("ro") | fs("write-file"));
        ASSERT_U64_EQ(c.paths[0].named, fs("write-file"));
        ASSERT_FALSE(c.paths[0].optional);
        ASSERT_STREQ(c.paths[1].path, "/srv/y");
        ASSERT_TRUE(c.paths[1].optional);
        landlock_compiled_done(&c);
        landlock_policy_done(&p);
}

TEST(compile_keeps_a_rule_on_an_open_file_apart_from_a_path_rule_of_its_name) {
        LandlockPolicy p = LANDLOCK_POLICY_INIT;
        LandlockCompiled c;
        int fd;

        /* The enforcer's rules on the command's own files, opened while finding them: the name is only a
         * name, so a unit's rule on the same path is not merged into it (that one is resolved safely). */
        fd = fcntl(STDIN_FILENO, F_DUPFD_CLOEXEC, 3);
        ASSERT_TRUE(fd >= 3);
        ASSERT_OK(landlock_policy_add_open_file(&p, fd, "/usr/bin/true", fs("read-file") | fs("execute"),
                                                &(LandlockSource) { (char *) "implicit" }));
        ASSERT_TRUE(p.handle_fs);
        policy_add_path(&p, "/usr/bin/true:ro");
        policy_add_path(&p, "/etc");
        ASSERT_EQ(p.paths[1].fd, 0);
        ASSERT_OK(landlock_policy_compile(&p, 7, 0, &c, NULL));
        ASSERT_EQ(c.n_paths, 3);
        ASSERT_EQ(c.paths[0].fd, fd);
        ASSERT_STREQ(c.paths[0].path, "/usr/bin/true");
        ASSERT_U64_EQ(c.paths[0].access, fs("read-file") | fs("execute"));
        ASSERT_FALSE(c.paths[0].optional);
        ASSERT_EQ(c.paths[1].fd, 0);
        ASSERT_U64_EQ(c.paths[1].access, bundle("ro"));
        landlock_compiled_done(&c);
        ASSERT_TRUE(fcntl(fd, F_GETFD) >= 0);           /* the compiled rules only borrow it */
        landlock_policy_done(&p);
        ASSERT_TRUE(fcntl(fd, F_GETFD) < 0 && errno == EBADF);  /* the policy owned it */
}

TEST(compile_log_flags) {
        LandlockPolicy p = LANDLOCK_POLICY_INIT;
        LandlockCompiled c;

        policy_add_path(&p, "/etc");
        p.log = false;
        ASSERT_OK(landlock_policy_compile(&p, 7, 0, &c, NULL));
        ASSERT_EQ(c.restrict_flags, LANDLOCK_RESTRICT_SELF_LOG_SAME_EXEC_OFF);
        landlock_compiled_done(&c);
        ASSERT_OK(landlock_policy_compile(&p, 6, 0, &c, NULL));
        ASSERT_EQ(c.restrict_flags, 0);
        for (size_t i = 0; i < c.n_drops; i++)
                ASSERT_TRUE(c.drops[i].kind != LANDLOCK_DROP_LOG);      /* no logging before ABI 7 anyway */
        landlock_compiled_done(&c);
        landlock_policy_done(&p);
}

TEST(compile_keeps_errata_for_reporting_only) {
        LandlockPolicy p;
        LandlockCompiled a, b;

        matrix_policy(&p);
        ASSERT_OK(landlock_policy_compile(&p, 7, 0, &a, NULL));
        ASSERT_OK(landlock_policy_compile(&p, 7, 0x7, &b, NULL));
        ASSERT_EQ(b.errata, 0x7);
        ASSERT_U64_EQ(a.handled_fs, b.handled_fs);
        ASSERT_U64_EQ(a.handled_net, b.handled_net);
        ASSERT_U64_EQ(a.scoped, b.scoped);
        ASSERT_EQ(a.n_drops, b.n_drops);
        landlock_compiled_done(&a);
        landlock_compiled_done(&b);
        landlock_policy_done(&p);
}
