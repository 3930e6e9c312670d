/* SPDX-License-Identifier: LGPL-2.1-or-later */

#include <stdlib.h>

#include "landlock-directives.h"
#include "landlock-preset.h"
#include "strv.h"
#include "tests.h"
#include "tree-util.h"

/* Two preset directories, the first overriding the second, beneath a throwaway tree. */
static char *presets_new(void) {
        char *t = tree_new();
        char path[4200];

        snprintf(path, sizeof(path), "%s/etc/p:%s/usr/p", t, t);
        ASSERT_EQ(setenv("SYSTEMD_LANDLOCK_PRESET_PATH", path, 1), 0);
        landlock_preset_set_root(NULL);
        return t;
}

static void policy_of(const char *text, LandlockUnitPolicy *up) {
        UnitFile u = UNIT_FILE_INIT;

        ASSERT_OK(unit_file_parse_string(&u, "/etc/systemd/system/x.service", text, NULL));
        ASSERT_OK(landlock_unit_policy_from_unit_file(&u, "Service", up));
        unit_file_done(&u);
}

static const LandlockPathRule *rule_for(const LandlockPolicy *p, const char *path) {
        for (size_t i = 0; i < p->n_paths; i++)
                if (streq(p->paths[i].path, path))
                        return &p->paths[i];
        return NULL;
}

static bool errors_contain(char **errors, const char *needle) {
        STRV_FOREACH(e, errors)
                if (strstr(*e, needle))
                        return true;
        return false;
}

TEST(preset_grants_join_the_policy_with_their_file_and_line) {
        _cleanup_free_ char *t = presets_new();
        char file[4200];
        const LandlockPathRule *r;
        LandlockUnitPolicy up;

        tree_write(t, "usr/p/web.preset",
                   "[Preset]\nDescription=web\nVersion=2\n"
                   "LandlockReadOnlyPaths=/etc/web -/opt/web\n"
                   "LandlockPaths=/run/web:ro,resolve-unix\n");
        policy_of("[Service]\nLandlockReadWritePaths=/var/lib/x\nLandlockPreset=web\n", &up);
        ASSERT_TRUE(up.errors == NULL);
        ASSERT_EQ(up.policy.n_paths, 4);
        ASSERT_TRUE(up.policy.handle_fs);

        r = rule_for(&up.policy, "/opt/web");
        ASSERT_TRUE(r);
        ASSERT_TRUE(r->optional);
        snprintf(file, sizeof(file), "%s/usr/p/web.preset", t);
        ASSERT_STREQ(r->source.file, file);
        ASSERT_EQ(r->source.line, 4);
        ASSERT_TRUE(rule_for(&up.policy, "/var/lib/x"));

        /* A right a preset names one by one is best effort: never a reason for strict mode to refuse. */
        r = rule_for(&up.policy, "/run/web");
        ASSERT_TRUE(r);
        ASSERT_U64_EQ(r->access & LANDLOCK_ACCESS_FS_RESOLVE_UNIX, LANDLOCK_ACCESS_FS_RESOLVE_UNIX);
        ASSERT_U64_EQ(r->named, 0);
        landlock_unit_policy_done(&up);
        tree_remove(t);
}

TEST(earlier_directory_overrides_by_name) {
        _cleanup_free_ char *t = presets_new();
        _cleanup_strv_free_ char **names = NULL;
        LandlockUnitPolicy up;

        tree_write(t, "usr/p/web.preset", "[Preset]\nVersion=1\nLandlockReadOnlyPaths=/shipped\n");
        tree_write(t, "usr/p/other.preset", "[Preset]\nVersion=1\n");
        tree_write(t, "etc/p/web.preset", "[Preset]\nVersion=1\nLandlockReadOnlyPaths=/admin\n");
        policy_of("[Service]\nLandlockPreset=web\n", &up);
        ASSERT_TRUE(up.errors == NULL);
        ASSERT_EQ(up.policy.n_paths, 1);
        ASSERT_STREQ(up.policy.paths[0].path, "/admin");
        landlock_unit_policy_done(&up);

        ASSERT_OK(landlock_preset_list(&names));
        ASSERT_EQ(strv_length(names), 2);
        ASSERT_STREQ(names[0], "other");
        ASSERT_STREQ(names[1], "web");
        tree_remove(t);
}

TEST(version_must_match_when_named) {
        _cleanup_free_ char *t = presets_new();
        LandlockUnitPolicy up;

        tree_write(t, "usr/p/web.preset", "[Preset]\nVersion=3\nLandlockReadOnlyPaths=/etc/web\n");
        policy_of("[Service]\nLandlockPreset=web@3\n", &up);
        ASSERT_TRUE(up.errors == NULL);
        ASSERT_EQ(up.policy.n_paths, 1);
        landlock_unit_policy_done(&up);

        policy_of("[Service]\nLandlockPreset=web@2\n", &up);
        ASSERT_TRUE(errors_contain(up.errors, "/etc/systemd/system/x.service:2:"));
        ASSERT_TRUE(errors_contain(up.errors, "is version 3, but version 2 is asked for"));
        landlock_unit_policy_done(&up);

        policy_of("[Service]\nLandlockPreset=web@0 web@x web@\n", &up);
        ASSERT_TRUE(errors_contain(up.errors, "bad version \"0\""));
        landlock_unit_policy_done(&up);
        tree_remove(t);
}

TEST(missing_or_bad_presets_refuse_the_unit) {
        _cleanup_free_ char *t = presets_new();
        LandlockUnitPolicy up;

        policy_of("[Service]\nLandlockPreset=nosuch\n", &up);
        ASSERT_TRUE(up.has_directives);
        ASSERT_TRUE(errors_contain(up.errors, "no preset \"nosuch\" (looked for nosuch.preset in"));
        landlock_unit_policy_done(&up);

        policy_of("[Service]\nLandlockPreset=../etc/passwd\n", &up);
        ASSERT_TRUE(errors_contain(up.errors, "is not a preset name"));
        landlock_unit_policy_done(&up);

        /* Only path grants: a port rule would change what the unit handles. */
        tree_write(t, "usr/p/net.preset", "[Preset]\nVersion=1\nLandlockConnectPorts=53\n");
        policy_of("[Service]\nLandlockPreset=net\n", &up);
        ASSERT_TRUE(errors_contain(up.errors, "net.preset:3: LandlockConnectPorts= cannot be used in a preset"));
        landlock_unit_policy_done(&up);

        tree_write(t, "usr/p/reset.preset", "[Preset]\nVersion=1\nLandlockPaths=\n");
        policy_of("[Service]\nLandlockPreset=reset\n", &up);
        ASSERT_TRUE(errors_contain(up.errors, "reset.preset:3: LandlockPaths= has no value"));
        landlock_unit_policy_done(&up);

        tree_write(t, "usr/p/badpath.preset", "[Preset]\nVersion=1\nLandlockReadOnlyPaths=relative\n");
        policy_of("[Service]\nLandlockPreset=badpath\n", &up);
        ASSERT_TRUE(errors_contain(up.errors, "badpath.preset:3: LandlockReadOnlyPaths=relative:"));
        landlock_unit_policy_done(&up);

        tree_write(t, "usr/p/sect.preset", "[Grants]\nLandlockReadOnlyPaths=/a\n");
        policy_of("[Service]\nLandlockPreset=sect\n", &up);
        ASSERT_TRUE(errors_contain(up.errors, "is in section [Grants] (expected [Preset])"));
        landlock_unit_policy_done(&up);
        tree_remove(t);
}

TEST(includes_and_loops) {
        _cleanup_free_ char *t = presets_new();
        LandlockUnitPolicy up;

        tree_write(t, "usr/p/a.preset", "[Preset]\nVersion=1\nLandlockPreset=b\nLandlockReadOnlyPaths=/a\n");
        tree_write(t, "usr/p/b.preset", "[Preset]\nVersion=1\nLandlockReadOnlyPaths=/b\n");
        policy_of("[Service]\nLandlockPreset=a\n", &up);
        ASSERT_TRUE(up.errors == NULL);
        ASSERT_TRUE(rule_for(&up.policy, "/a") && rule_for(&up.policy, "/b"));
        landlock_unit_policy_done(&up);

        tree_write(t, "usr/p/b.preset", "[Preset]\nVersion=1\nLandlockPreset=a\n");
        policy_of("[Service]\nLandlockPreset=a\n", &up);
        ASSERT_TRUE(errors_contain(up.errors, "presets include each other more than 8 deep"));
        landlock_unit_policy_done(&up);
        tree_remove(t);
}

TEST(empty_assignment_drops_earlier_presets_only) {
        _cleanup_free_ char *t = presets_new();
        LandlockUnitPolicy up;

        tree_write(t, "usr/p/a.preset", "[Preset]\nVersion=1\nLandlockReadOnlyPaths=/a\n");
        tree_write(t, "usr/p/b.preset", "[Preset]\nVersion=1\nLandlockReadOnlyPaths=/b\n");
        policy_of("[Service]\nLandlockPreset=a\nLandlockReadOnlyPaths=/own\nLandlockPreset=\nLandlockPreset=b\n", &up);
        ASSERT_TRUE(up.errors == NULL);
        ASSERT_EQ(up.policy.n_paths, 2);
        ASSERT_TRUE(rule_for(&up.policy, "/own") && rule_for(&up.policy, "/b"));
        ASSERT_FALSE(rule_for(&up.policy, "/a"));
        landlock_unit_policy_done(&up);
        tree_remove(t);
}

TEST(computed_nss_modules_and_localtime_beneath_the_root) {
        _cleanup_free_ char *t = presets_new();
        const LandlockPathRule *r;
        LandlockUnitPolicy up;

        tree_write(t, "usr/p/ns.preset", "[Preset]\nVersion=1\nComputed=nss-modules localtime\n");
        tree_write(t, "etc/nsswitch.conf",
                   "# comment: passwd: ghost\n"
                   "passwd:  files foo [NOTFOUND=return] bar\n"
                   "hosts:   foo [ !UNAVAIL=return ] dns # trailing: inline\n");
        tree_write(t, "usr/lib/libnss_foo.so.2", "");
        tree_write(t, "usr/lib/libnss_dns.so.2", "");
        tree_write(t, "usr/lib/libnss_ghost.so.2", "");
        tree_write(t, "usr/lib/libnss_inline.so.2", "");
        tree_write(t, "usr/lib/libnss_UNAVAIL.so.2", "");
        tree_symlink(t, "etc/localtime", "../usr/share/zoneinfo/Europe/Paris");
        /* The preset path is beneath the root too. */
        ASSERT_EQ(setenv("SYSTEMD_LANDLOCK_PRESET_PATH", "/usr/p", 1), 0);
        landlock_preset_set_root(t);

        policy_of("[Service]\nLandlockPreset=ns\n", &up);
        ASSERT_TRUE(up.errors == NULL);
        r = rule_for(&up.policy, "/usr/lib/libnss_foo.so.2");
        ASSERT_TRUE(r);
        ASSERT_STREQ(r->source.file, "/etc/nsswitch.conf");
        ASSERT_EQ(r->source.line, 2);
        ASSERT_U64_EQ(r->access, LANDLOCK_ACCESS_FS_READ_FILE);
        ASSERT_TRUE(rule_for(&up.policy, "/usr/lib/libnss_dns.so.2"));
        ASSERT_FALSE(rule_for(&up.policy, "/usr/lib/libnss_ghost.so.2"));
        ASSERT_FALSE(rule_for(&up.policy, "/usr/lib/libnss_inline.so.2"));
        ASSERT_FALSE(rule_for(&up.policy, "/usr/lib/libnss_UNAVAIL.so.2"));
        /* The relative link resolved against /etc: the enforcer refuses a path with a ".." component. */
        ASSERT_TRUE(rule_for(&up.policy, "/usr/share/zoneinfo/Europe/Paris"));
        ASSERT_EQ(up.policy.n_paths, 3);
        landlock_unit_policy_done(&up);

        tree_write(t, "usr/p/bad.preset", "[Preset]\nVersion=1\nComputed=nss-modulez\n");
        policy_of("[Service]\nLandlockPreset=bad\n", &up);
        ASSERT_TRUE(errors_contain(up.errors, "unknown computed grant \"nss-modulez\" (expected one of: nss-modules, localtime)"));
        landlock_unit_policy_done(&up);
        landlock_preset_set_root(NULL);
        tree_remove(t);
}

/* The rules of two policies, in order, with their sources. */
static void assert_same_rules(const LandlockPolicy *a, const LandlockPolicy *b) {
        ASSERT_EQ(a->n_paths, b->n_paths);
        ASSERT_EQ(a->handle_fs, b->handle_fs);
        for (size_t i = 0; i < a->n_paths; i++) {
                ASSERT_STREQ(a->paths[i].path, b->paths[i].path);
                ASSERT_U64_EQ(a->paths[i].access, b->paths[i].access);
                ASSERT_U64_EQ(a->paths[i].named, b->paths[i].named);
                ASSERT_EQ(a->paths[i].optional, b->paths[i].optional);
                ASSERT_STREQ(a->paths[i].source.file, b->paths[i].source.file);
                ASSERT_EQ(a->paths[i].source.line, b->paths[i].source.line);
        }
}

/* The generator's run-long cache: every unit gets what it would get without it (rules, order, sources,
 * errors), the files are read once in a run, and a new run reads them afresh. */
TEST(preset_cache_gives_the_same_policies_and_forgets_at_the_end_of_a_run) {
        _cleanup_free_ char *t = presets_new();
        static const char unit[] = "[Service]\nLandlockReadOnlyPaths=/own\nLandlockPreset=a b@1\n";
        LandlockUnitPolicy plain, first, second, bad;

        tree_write(t, "usr/p/a.preset", "[Preset]\nVersion=1\nLandlockPreset=b\nLandlockReadWritePaths=-/a\n");
        tree_write(t, "usr/p/b.preset", "[Preset]\nVersion=1\nLandlockPaths=/b:rx,?refer\n");
        policy_of(unit, &plain);
        ASSERT_TRUE(plain.errors == NULL);

        landlock_preset_cache_begin();
        policy_of(unit, &first);
        /* Changed within the run: the run goes on with what it read (as a daemon-reload reads once). */
        tree_write(t, "usr/p/b.preset", "[Preset]\nVersion=1\nLandlockPaths=/changed:ro\n");
        policy_of(unit, &second);
        policy_of("[Service]\nLandlockPreset=b@2\n", &bad);
        landlock_preset_cache_end();

        ASSERT_TRUE(first.errors == NULL && second.errors == NULL);
        assert_same_rules(&plain.policy, &first.policy);
        assert_same_rules(&plain.policy, &second.policy);
        ASSERT_TRUE(errors_contain(bad.errors, "is version 1, but version 2 is asked for"));
        landlock_unit_policy_done(&first);
        landlock_unit_policy_done(&second);
        landlock_unit_policy_done(&bad);

        /* The next run reads the files again. */
        landlock_preset_cache_begin();
        policy_of(unit, &first);
        landlock_preset_cache_end();
        ASSERT_TRUE(rule_for(&first.policy, "/changed"));
        ASSERT_FALSE(rule_for(&first.policy, "/b"));
        landlock_unit_policy_done(&first);
        landlock_unit_policy_done(&plain);
        tree_remove(t);
}

/* What is installed: every shipped preset reads without error, has a version and a description. */
TEST(shipped_presets_are_valid) {
        _cleanup_strv_free_ char **names = NULL;

        ASSERT_EQ(setenv("SYSTEMD_LANDLOCK_PRESET_PATH", getenv("PRESETS_DIR"), 1), 0);
        landlock_preset_set_root(NULL);
        ASSERT_OK(landlock_preset_list(&names));
        ASSERT_TRUE(strv_contains(names, "base") && strv_contains(names, "nameservice") &&
                    strv_contains(names, "tls") && strv_contains(names, "proc-self"));

        STRV_FOREACH(n, names) {
                _cleanup_free_ char *description = NULL, *error = NULL;
                LandlockPolicy p = LANDLOCK_POLICY_INIT;
                unsigned version;

                ASSERT_OK(landlock_preset_describe(*n, &description, &version, &error));
                ASSERT_TRUE(version > 0 && !isempty(description));
                ASSERT_OK(landlock_preset_apply_list(*n, &p, &error));
                ASSERT_TRUE(p.n_paths > 0);
                landlock_policy_done(&p);
        }
}

