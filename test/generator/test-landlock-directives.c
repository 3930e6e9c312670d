/* SPDX-License-Identifier: LGPL-2.1-or-later */

#include "landlock-directives.h"
#include "strv.h"
#include "tests.h"

static void policy_of(const char *text, const char *section, LandlockUnitPolicy *up) {
        UnitFile u = UNIT_FILE_INIT;

        ASSERT_OK(unit_file_parse_string(&u, "/etc/systemd/system/x.service", text, NULL));
        ASSERT_OK(landlock_unit_policy_from_unit_file(&u, section, up));
        unit_file_done(&u);
}

TEST(table_is_complete_and_unique) {
        ASSERT_TRUE(landlock_n_directives >= 11);
        for (size_t i = 0; i < landlock_n_directives; i++) {
                ASSERT_TRUE(landlock_directives[i].parse);
                ASSERT_TRUE(!isempty(landlock_directives[i].syntax));
                ASSERT_TRUE(!isempty(landlock_directives[i].description));
                for (size_t j = i + 1; j < landlock_n_directives; j++)
                        ASSERT_FALSE(streq(landlock_directives[i].name, landlock_directives[j].name));
        }
        ASSERT_TRUE(landlock_directive_from_key("LandlockPaths") == landlock_directive_from_key("X-LandlockPaths"));
        ASSERT_TRUE(landlock_directive_from_key("ReadOnlyPaths") == NULL);
        ASSERT_STREQ(landlock_section_for_unit("a@b.socket"), "Socket");
        ASSERT_TRUE(landlock_section_for_unit("a.timer") == NULL);
}

/* One row per setting: each directive with a value other than its default reaches the enforcer's command
 * line through the table's formatters and comes back the same through the table's parsers. A row whose
 * setting no formatter writes (or no option parses) fails here. */
TEST(every_directive_round_trips_through_the_enforcer_options) {
        static const struct {
                const char *key, *value;
        } samples[] = {
                { "LandlockPaths",          "/etc/a:rw,make-char -/srv/b\\:c" },
                { "LandlockReadOnlyPaths",  "/usr/share" },
                { "LandlockReadWritePaths", "-/var/lib/x" },
                { "LandlockExecPaths",      "/opt/bin" },
                { "LandlockAllowCommand",   "no" },
                { "LandlockAllowPrograms",  "/usr/bin/env -/opt/a\\:b" },
                { "LandlockBindPorts",      "tcp:80-81 udp:none" },
                { "LandlockConnectPorts",   "udp:53 tcp:5432" },
                { "LandlockScope",          "signal abstract-unix-socket" },
                { "LandlockCompatibility",  "strict" },
                { "LandlockLog",            "no" },
                { "LandlockProcessWide",    "yes" },
                /* Expanded into path rules; nameservice's resolve-unix is best effort ("?resolve-unix"). */
                { "LandlockPreset",         "nameservice" },
        };

        ASSERT_EQ(ELEMENTSOF(samples), landlock_n_directives);
        for (size_t i = 0; i < ELEMENTSOF(samples); i++) {
                LandlockPolicy p = LANDLOCK_POLICY_INIT, back = LANDLOCK_POLICY_INIT, def = LANDLOCK_POLICY_INIT;
                const LandlockDirective *d = landlock_directive_from_key(samples[i].key);
                _cleanup_(strv_builder_done) StrvBuilder words = {};
                _cleanup_free_ char *error = NULL;

                ASSERT_TRUE(d);
                ASSERT_OK(landlock_directive_apply(d, samples[i].value, &(LandlockSource) {}, &p, &error));
                ASSERT_OK(landlock_directives_format(&p, &words));
                ASSERT_TRUE(words.n > 0);
                STRV_FOREACH(w, words.l) {
                        const LandlockDirective *o;
                        const char *v;

                        printf("# %s=%s → %s\n", samples[i].key, samples[i].value, *w);
                        if (streq(*w, "--handle-fs")) {
                                back.handle_fs = true;
                                continue;
                        }
                        o = landlock_directive_from_option(*w, &v);
                        ASSERT_TRUE(o);
                        ASSERT_OK(o->parse(o, v, &(LandlockSource) {}, LANDLOCK_PARSE_EXPANDED, &back, &error));
                }
                ASSERT_EQ(back.n_paths, p.n_paths);
                for (size_t j = 0; j < p.n_paths; j++) {
                        ASSERT_STREQ(back.paths[j].path, p.paths[j].path);
                        ASSERT_U64_EQ(back.paths[j].access, p.paths[j].access);
                        ASSERT_U64_EQ(back.paths[j].named, p.paths[j].named);
                        ASSERT_EQ(back.paths[j].optional, p.paths[j].optional);
                }
                ASSERT_EQ(back.n_ports, p.n_ports);
                for (size_t j = 0; j < p.n_ports; j++) {
                        ASSERT_U64_EQ(back.ports[j].access, p.ports[j].access);
                        ASSERT_EQ(back.ports[j].first, p.ports[j].first);
                        ASSERT_EQ(back.ports[j].last, p.ports[j].last);
                }
                ASSERT_EQ(back.handle_fs, p.handle_fs);
                ASSERT_U64_EQ(back.handled_net, p.handled_net);
                ASSERT_U64_EQ(back.scoped, p.scoped);
                ASSERT_EQ(back.compat, p.compat);
                ASSERT_EQ(back.log, p.log);
                ASSERT_EQ(back.process_wide, p.process_wide);
                ASSERT_EQ(back.allow_command, p.allow_command);
                ASSERT_TRUE(strv_equal(back.programs, p.programs));
                /* The sample is not the default: the round trip carried something. */
                ASSERT_TRUE(p.n_paths != def.n_paths || p.n_ports != def.n_ports || p.scoped != def.scoped ||
                            strv_length(p.programs) != strv_length(def.programs) ||
                            p.compat != def.compat || p.log != def.log || p.process_wide != def.process_wide ||
                            p.allow_command != def.allow_command);
                landlock_policy_done(&p);
                landlock_policy_done(&back);
        }
}

static void policy_at_version(const char *text, unsigned version, LandlockUnitPolicy *up) {
        UnitFile u = UNIT_FILE_INIT;

        u.systemd_version = version;
        ASSERT_OK(unit_file_parse_string(&u, "/etc/systemd/system/x.service", text, NULL));
        ASSERT_OK(landlock_unit_policy_from_unit_file(&u, "Service", up));
        unit_file_done(&u);
}

/* A Landlock setting of systemd's own (upstream's LandlockConfig=) is systemd's where systemd handles it: no
 * error, no directive of ours (no drop-in, no second wrapping). Where it does not (every release so far),
 * or the version is unknown, it is an error: the unit would run without it. X-LandlockConfig= is ours, an
 * unknown directive. */
TEST(systemd_own_landlock_keys_per_version) {
        LandlockUnitPolicy up;

        ASSERT_TRUE(systemd_landlock_key_from_name("LandlockConfig"));
        ASSERT_TRUE(!systemd_landlock_key_from_name("X-LandlockConfig"));
        ASSERT_TRUE(!systemd_landlock_key_from_name("LandlockPaths"));
        for (size_t i = 0; i < systemd_n_landlock_keys; i++)
                ASSERT_TRUE(!landlock_directive_from_key(systemd_landlock_keys[i].name));

        for (unsigned v = 0; v <= 262; v += 262) {
                policy_at_version("[Service]\nLandlockConfig=/etc/landlock\n", v, &up);
                ASSERT_TRUE(up.has_directives);
                ASSERT_EQ(strv_length(up.errors), 1);
                printf("# %s\n", up.errors[0]);
                ASSERT_TRUE(strstr(up.errors[0], "x.service:2: LandlockConfig= is not a directive of systemd-landlock"));
                ASSERT_TRUE(strstr(up.errors[0], "no systemd release yet"));
                landlock_unit_policy_done(&up);
        }

        /* A systemd that handles it (none yet: the greatest version stands for it). */
        policy_at_version("[Service]\nLandlockConfig=/etc/landlock\n", SYSTEMD_VERSION_UNRELEASED, &up);
        ASSERT_FALSE(up.has_directives);
        ASSERT_TRUE(!up.errors);
        landlock_unit_policy_done(&up);
        policy_at_version("[Service]\nLandlockConfig=/etc/landlock\nLandlockPaths=/etc\n", SYSTEMD_VERSION_UNRELEASED, &up);
        ASSERT_TRUE(up.has_directives);
        ASSERT_TRUE(!up.errors);
        ASSERT_EQ(up.policy.n_paths, 1);
        landlock_unit_policy_done(&up);

        policy_at_version("[Service]\nX-LandlockConfig=/etc/landlock\n", SYSTEMD_VERSION_UNRELEASED, &up);
        ASSERT_EQ(strv_length(up.errors), 1);
        ASSERT_TRUE(strstr(up.errors[0], "Unknown Landlock directive X-LandlockConfig="));
        landlock_unit_policy_done(&up);
}

TEST(both_spellings_and_sources) {
        LandlockUnitPolicy up;

        policy_of("[Service]\n"
                  "LandlockPaths=/etc/a /srv/b:rw\n"
                  "X-LandlockReadOnlyPaths=-/opt/c\n"
                  "X-LandlockExecPaths=/usr/bin\n"
                  "LandlockReadWritePaths=%S/d\n", "Service", &up);
        ASSERT_TRUE(up.has_directives);
        ASSERT_TRUE(up.errors == NULL);
        ASSERT_EQ(up.policy.n_paths, 5);
        ASSERT_STREQ(up.policy.paths[0].path, "/etc/a");
        ASSERT_STREQ(up.policy.paths[2].path, "/opt/c");
        ASSERT_TRUE(up.policy.paths[2].optional);
        ASSERT_U64_EQ(up.policy.paths[3].access & LANDLOCK_ACCESS_FS_EXECUTE, LANDLOCK_ACCESS_FS_EXECUTE);
        ASSERT_U64_EQ(up.policy.paths[1].access & LANDLOCK_ACCESS_FS_WRITE_FILE, LANDLOCK_ACCESS_FS_WRITE_FILE);
        ASSERT_U64_EQ(up.policy.paths[0].access & LANDLOCK_ACCESS_FS_WRITE_FILE, 0);
        ASSERT_STREQ(up.policy.paths[4].path, "%S/d");
        ASSERT_STREQ(up.policy.paths[1].source.file, "/etc/systemd/system/x.service");
        ASSERT_EQ(up.policy.paths[4].source.line, 5);
        ASSERT_TRUE(up.policy.handle_fs);
        landlock_unit_policy_done(&up);
}

TEST(empty_assignment_resets_only_that_directive) {
        LandlockUnitPolicy up;

        policy_of("[Service]\n"
                  "LandlockPaths=/a\n"
                  "LandlockReadOnlyPaths=/b\n"
                  "LandlockPaths=\n"
                  "LandlockPaths=/c\n"
                  "LandlockConnectPorts=tcp:5432\n"
                  "X-LandlockConnectPorts=\n"
                  "LandlockCompatibility=strict\n"
                  "LandlockCompatibility=\n", "Service", &up);
        ASSERT_EQ(up.policy.n_paths, 2);
        ASSERT_STREQ(up.policy.paths[0].path, "/b");
        ASSERT_STREQ(up.policy.paths[1].path, "/c");
        ASSERT_EQ(up.policy.n_ports, 0);
        ASSERT_U64_EQ(up.policy.handled_net, 0);
        ASSERT_EQ(up.policy.compat, LANDLOCK_COMPAT_BEST_EFFORT);
        landlock_unit_policy_done(&up);

        policy_of("[Service]\nLandlockPaths=/a\nLandlockPaths=\n", "Service", &up);
        ASSERT_FALSE(up.has_directives);
        landlock_unit_policy_done(&up);
}

TEST(ports_scope_scalars) {
        LandlockUnitPolicy up;

        policy_of("[Socket]\n"
                  "LandlockBindPorts=80 tcp:8000-8080\n"
                  "LandlockConnectPorts=udp:none\n"
                  "LandlockScope=signal abstract-unix-socket\n"
                  "LandlockLog=no\n"
                  "LandlockAllowCommand=false\n"
                  "LandlockProcessWide=yes\n"
                  "LandlockCompatibility=strict\n", "Socket", &up);
        ASSERT_TRUE(up.errors == NULL);
        ASSERT_EQ(up.policy.n_ports, 3);
        ASSERT_EQ(up.policy.ports[1].first, 8000);
        ASSERT_EQ(up.policy.ports[1].last, 8080);
        ASSERT_U64_EQ(up.policy.handled_net, LANDLOCK_ACCESS_NET_BIND_TCP | LANDLOCK_ACCESS_NET_CONNECT_SEND_UDP);
        ASSERT_U64_EQ(up.policy.scoped, LANDLOCK_SCOPE_SIGNAL | LANDLOCK_SCOPE_ABSTRACT_UNIX_SOCKET);
        ASSERT_FALSE(up.policy.log);
        ASSERT_FALSE(up.policy.allow_command);
        ASSERT_EQ(up.policy.process_wide, LANDLOCK_PROCESS_WIDE_YES);
        ASSERT_EQ(up.policy.compat, LANDLOCK_COMPAT_STRICT);
        ASSERT_FALSE(up.policy.handle_fs);
        landlock_unit_policy_done(&up);
}

TEST(quoting_in_values) {
        LandlockUnitPolicy up;

        policy_of("[Service]\nLandlockPaths=\"/with space:rw\" '/x\\:y'\n", "Service", &up);
        ASSERT_TRUE(up.errors == NULL);
        ASSERT_EQ(up.policy.n_paths, 2);
        ASSERT_STREQ(up.policy.paths[0].path, "/with space");
        ASSERT_STREQ(up.policy.paths[1].path, "/x:y");
        landlock_unit_policy_done(&up);
}

/* systemd.landlock(5): a directive in the wrong section is an error, never silently without effect. */
TEST(directives_in_other_sections_are_errors) {
        LandlockUnitPolicy up;

        policy_of("[Unit]\nLandlockPaths=/etc\n[Install]\nX-LandlockReadOnlyPaths=/x\n[Service]\nExecStart=/bin/a\n", "Service", &up);
        ASSERT_TRUE(up.has_directives);
        ASSERT_EQ(strv_length(up.errors), 2u);
        ASSERT_TRUE(strstr(up.errors[0], ":2: LandlockPaths= is in section [Unit], where it does not apply (expected in [Service])"));
        ASSERT_TRUE(strstr(up.errors[1], ":4: X-LandlockReadOnlyPaths= is in section [Install]"));
        landlock_unit_policy_done(&up);

        /* Other keys of other sections are none of our business. */
        policy_of("[Unit]\nDescription=Landlock\n[Install]\nWantedBy=x.target\n", "Service", &up);
        ASSERT_FALSE(up.has_directives);
        landlock_unit_policy_done(&up);
}

static void expect_error(const char *text, const char *section, const char *message) {
        LandlockUnitPolicy up;

        policy_of(text, section, &up);
        ASSERT_TRUE(up.has_directives);
        ASSERT_EQ(strv_length(up.errors), 1);
        if (!startswith(up.errors[0], message)) {
                printf("# got: %s\n", up.errors[0]);
                ASSERT_STREQ(up.errors[0], message);
        }
        landlock_unit_policy_done(&up);
}

TEST(errors_name_file_and_line) {
        expect_error("[Service]\nExecStart=/bin/true\nLandlockPaths=relative/path\n", "Service",
                     "/etc/systemd/system/x.service:3: Failed to parse LandlockPaths= value \"relative/path\": path \"relative/path\" is not absolute");
        expect_error("[Service]\nX-LandlockPaths=/etc:bogus\n", "Service",
                     "/etc/systemd/system/x.service:2: Failed to parse X-LandlockPaths= value \"/etc:bogus\": ");
        expect_error("[Service]\n\nLandlockReadOnlyPaths=/etc:rw\n", "Service",
                     "/etc/systemd/system/x.service:3: Failed to parse LandlockReadOnlyPaths= value \"/etc:rw\": \"/etc:rw\" has an access suffix");
        expect_error("[Service]\nLandlockBindPorts=tcp:99999\n", "Service",
                     "/etc/systemd/system/x.service:2: Failed to parse LandlockBindPorts= value \"tcp:99999\": port out of range");
        expect_error("[Service]\nLandlockConnectPorts=sctp:1\n", "Service",
                     "/etc/systemd/system/x.service:2: Failed to parse LandlockConnectPorts= value \"sctp:1\": invalid port specification");
        expect_error("[Service]\nLandlockScope=signals\n", "Service",
                     "/etc/systemd/system/x.service:2: Failed to parse LandlockScope= value \"signals\": unknown scope \"signals\"");
        expect_error("[Service]\nLandlockLog=maybe\n", "Service",
                     "/etc/systemd/system/x.service:2: Failed to parse LandlockLog= value \"maybe\": \"maybe\" is not a boolean");
        expect_error("[Service]\nLandlockCompatibility=lenient\n", "Service",
                     "/etc/systemd/system/x.service:2: Failed to parse LandlockCompatibility= value \"lenient\": unknown compatibility mode");
        expect_error("[Service]\nLandlockProcessWide=sometimes\n", "Service",
                     "/etc/systemd/system/x.service:2: Failed to parse LandlockProcessWide= value \"sometimes\": invalid value");
        expect_error("[Service]\nLandlockPaths=\"/unterminated\n", "Service",
                     "/etc/systemd/system/x.service:2: Failed to parse LandlockPaths= value \"\"/unterminated\": bad quoting");
        expect_error("[Service]\nLandlockReadOnlyPath=/etc\n", "Service",
                     "/etc/systemd/system/x.service:2: Unknown Landlock directive LandlockReadOnlyPath= in section [Service]");
        expect_error("[Mount]\nWhat=/dev/sda1\nLandlockPaths=/mnt\n", "Mount",
                     "/etc/systemd/system/x.service:3: LandlockPaths= is not allowed in section [Mount]");
        expect_error("[Swap]\nX-LandlockScope=signal\n", "Swap",
                     "/etc/systemd/system/x.service:2: X-LandlockScope= is not allowed in section [Swap]");
}

TEST(every_error_is_listed) {
        LandlockUnitPolicy up;

        policy_of("[Service]\nLandlockPaths=a\nLandlockPaths=/ok\nLandlockBindPorts=x\n", "Service", &up);
        ASSERT_EQ(strv_length(up.errors), 2);
        ASSERT_TRUE(startswith(up.errors[0], "/etc/systemd/system/x.service:2:"));
        ASSERT_TRUE(startswith(up.errors[1], "/etc/systemd/system/x.service:4:"));
        landlock_unit_policy_done(&up);
}

/* Programs a command execs and modules it loads: kept as named, "-" for optional, reset like a list;
 * they make the filesystem handled, like any grant of files. */
TEST(allow_programs) {
        LandlockUnitPolicy up;

        policy_of("[Service]\n"
                  "LandlockAllowPrograms=/usr/bin/gone\n"
                  "LandlockAllowPrograms=\n"
                  "X-LandlockAllowPrograms=/usr/bin/memcached -/usr/lib/x86_64-linux-gnu/libnss_systemd.so.2\n"
                  "LandlockAllowPrograms=\"/opt/my prog\" /usr/bin/memcached\n", "Service", &up);
        ASSERT_TRUE(up.errors == NULL);
        ASSERT_EQ(strv_length(up.policy.programs), 3u);
        ASSERT_STREQ(up.policy.programs[0], "/usr/bin/memcached");
        ASSERT_STREQ(up.policy.programs[1], "-/usr/lib/x86_64-linux-gnu/libnss_systemd.so.2");
        ASSERT_STREQ(up.policy.programs[2], "/opt/my prog");
        ASSERT_TRUE(up.policy.handle_fs);
        ASSERT_EQ(up.policy.n_paths, 0u);
        landlock_unit_policy_done(&up);

        expect_error("[Service]\nLandlockAllowPrograms=usr/bin/x\n", "Service",
                     "/etc/systemd/system/x.service:2: Failed to parse LandlockAllowPrograms= value \"usr/bin/x\": path \"usr/bin/x\" is not absolute");
        expect_error("[Service]\nLandlockAllowPrograms=/usr/bin/x:rx\n", "Service",
                     "/etc/systemd/system/x.service:2: Failed to parse LandlockAllowPrograms= value \"/usr/bin/x:rx\": \"/usr/bin/x:rx\" has an access suffix");
}
