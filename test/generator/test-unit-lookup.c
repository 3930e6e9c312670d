/* SPDX-License-Identifier: LGPL-2.1-or-later */

#include "strv.h"
#include "tree-util.h"
#include "unit-file.h"
#include "unit-lookup.h"

static char *search_etc = (char *) "/etc/systemd/system";
static char *search_run = (char *) "/run/systemd/system";
static char *search_lib = (char *) "/usr/lib/systemd/system";

static void lookup(const char *root, const char *name, UnitInfo *info) {
        char *sp[] = { search_etc, search_run, search_lib, NULL };
        UnitLookupPaths p;

        ASSERT_OK(unit_lookup_paths_init_from(&p, UNIT_SCOPE_SYSTEM, root, sp));
        ASSERT_OK(unit_lookup(&p, name, info));
        unit_lookup_paths_done(&p);
}

static char *joined(char **l) {
        return strv_join(l, " ");
}

TEST(unit_names) {
        char *t;

        ASSERT_TRUE(unit_name_is_valid("foo.service", UNIT_NAME_PLAIN));
        ASSERT_TRUE(unit_name_is_valid("foo@.service", UNIT_NAME_TEMPLATE));
        ASSERT_TRUE(unit_name_is_valid("foo@bar.socket", UNIT_NAME_INSTANCE));
        ASSERT_FALSE(unit_name_is_valid("foo@bar.service", UNIT_NAME_PLAIN));
        ASSERT_FALSE(unit_name_is_valid("foo.conf", UNIT_NAME_ANY));
        ASSERT_FALSE(unit_name_is_valid("@x.service", UNIT_NAME_ANY));
        ASSERT_FALSE(unit_name_is_valid(".service", UNIT_NAME_ANY));
        ASSERT_OK(unit_name_template("foo@bar.service", &t));
        ASSERT_STREQ(t, "foo@.service");
        free(t);
        ASSERT_ERROR(unit_name_template("foo.service", &t), EINVAL);
}

TEST(dropins_ordered_by_name_across_dirs_and_overridden_by_priority) {
        char *root = tree_new(), *s;
        UnitInfo i = {};

        tree_write(root, "usr/lib/systemd/system/a.service", "[Service]\nExecStart=/bin/true\n");
        tree_write(root, "usr/lib/systemd/system/a.service.d/10-x.conf", "");
        tree_write(root, "usr/lib/systemd/system/a.service.d/30-z.conf", "");
        tree_write(root, "etc/systemd/system/a.service.d/20-y.conf", "");
        tree_write(root, "run/systemd/system/a.service.d/30-z.conf", "");     /* overrides /usr/lib's */
        tree_write(root, "usr/lib/systemd/system/a.service.d/not-a-dropin.txt", "");

        lookup(root, "a.service", &i);
        ASSERT_STREQ(i.name, "a.service");
        ASSERT_STREQ(i.fragment, "/usr/lib/systemd/system/a.service");
        s = joined(i.dropins);
        ASSERT_STREQ(s, "/usr/lib/systemd/system/a.service.d/10-x.conf /etc/systemd/system/a.service.d/20-y.conf "
                        "/run/systemd/system/a.service.d/30-z.conf");
        free(s);
        s = joined(i.dropin_names);
        ASSERT_STREQ(s, "10-x.conf 20-y.conf 30-z.conf");
        free(s);
        unit_info_done(&i);
        tree_remove(root);
        free(root);
}

TEST(fragment_priority) {
        char *root = tree_new();
        UnitInfo i = {};

        tree_write(root, "usr/lib/systemd/system/b.service", "[Service]\nExecStart=/bin/lib\n");
        tree_write(root, "etc/systemd/system/b.service", "[Service]\nExecStart=/bin/etc\n");
        lookup(root, "b.service", &i);
        ASSERT_STREQ(i.fragment, "/etc/systemd/system/b.service");
        unit_info_done(&i);
        tree_remove(root);
        free(root);
}

TEST(templates_and_instances) {
        char *root = tree_new(), *s;
        UnitInfo i = {};

        tree_write(root, "usr/lib/systemd/system/getty@.service", "[Service]\nExecStart=/bin/getty %i\n");
        tree_write(root, "usr/lib/systemd/system/getty@.service.d/10-template.conf", "");
        tree_write(root, "etc/systemd/system/getty@tty1.service.d/20-instance.conf", "");

        lookup(root, "getty@tty1.service", &i);
        ASSERT_STREQ(i.name, "getty@tty1.service");
        ASSERT_STREQ(i.fragment, "/usr/lib/systemd/system/getty@.service");
        ASSERT_TRUE(i.has_own_dropins);
        s = joined(i.dropins);
        ASSERT_STREQ(s, "/usr/lib/systemd/system/getty@.service.d/10-template.conf "
                        "/etc/systemd/system/getty@tty1.service.d/20-instance.conf");
        free(s);
        unit_info_done(&i);

        lookup(root, "getty@tty2.service", &i);
        ASSERT_FALSE(i.has_own_dropins);
        ASSERT_EQ(strv_length(i.dropins), 1);
        unit_info_done(&i);

        lookup(root, "getty@.service", &i);
        ASSERT_EQ(strv_length(i.dropins), 1);
        unit_info_done(&i);
        tree_remove(root);
        free(root);
}

TEST(dash_prefix_and_type_dropins) {
        char *root = tree_new(), *s;
        UnitInfo i = {};

        tree_write(root, "usr/lib/systemd/system/foo-bar-baz.service", "[Service]\nExecStart=/bin/true\n");
        tree_write(root, "usr/lib/systemd/system/foo-.service.d/10-foo.conf", "");
        tree_write(root, "usr/lib/systemd/system/foo-bar-.service.d/20-foobar.conf", "");
        tree_write(root, "etc/systemd/system/service.d/05-all.conf", "");
        tree_write(root, "etc/systemd/system/socket.d/06-sockets.conf", "");
        tree_write(root, "etc/systemd/system/foo-baz-.service.d/07-other.conf", "");

        lookup(root, "foo-bar-baz.service", &i);
        s = joined(i.dropins);
        ASSERT_STREQ(s, "/etc/systemd/system/service.d/05-all.conf /usr/lib/systemd/system/foo-.service.d/10-foo.conf "
                        "/usr/lib/systemd/system/foo-bar-.service.d/20-foobar.conf");
        free(s);
        unit_info_done(&i);
        tree_remove(root);
        free(root);
}

TEST(aliases_load_under_the_real_name_with_their_dropins) {
        char *root = tree_new(), *s;
        UnitInfo i = {};

        tree_write(root, "usr/lib/systemd/system/real.service", "[Service]\nExecStart=/bin/true\n");
        tree_symlink(root, "etc/systemd/system/alias.service", "/usr/lib/systemd/system/real.service");
        tree_write(root, "etc/systemd/system/alias.service.d/10-alias.conf", "");
        tree_write(root, "usr/lib/systemd/system/real.service.d/20-real.conf", "");

        lookup(root, "alias.service", &i);
        ASSERT_STREQ(i.name, "real.service");
        ASSERT_STREQ(i.fragment, "/usr/lib/systemd/system/real.service");
        s = joined(i.aliases);
        ASSERT_STREQ(s, "alias.service");
        free(s);
        s = joined(i.dropins);
        ASSERT_STREQ(s, "/etc/systemd/system/alias.service.d/10-alias.conf "
                        "/usr/lib/systemd/system/real.service.d/20-real.conf");
        free(s);
        unit_info_done(&i);

        lookup(root, "real.service", &i);
        ASSERT_EQ(strv_length(i.dropins), 2);
        unit_info_done(&i);
        tree_remove(root);
        free(root);
}

TEST(masked_units) {
        char *root = tree_new();
        UnitInfo i = {};

        tree_write(root, "usr/lib/systemd/system/m1.service", "[Service]\nExecStart=/bin/true\n");
        tree_symlink(root, "etc/systemd/system/m1.service", "/dev/null");
        tree_write(root, "usr/lib/systemd/system/m2.service", "[Service]\nExecStart=/bin/true\n");
        tree_write(root, "etc/systemd/system/m2.service", "");

        lookup(root, "m1.service", &i);
        ASSERT_TRUE(i.masked);
        ASSERT_TRUE(i.fragment == NULL);
        unit_info_done(&i);
        lookup(root, "m2.service", &i);
        ASSERT_TRUE(i.masked);
        unit_info_done(&i);
        lookup(root, "missing.service", &i);
        ASSERT_FALSE(i.masked);
        ASSERT_TRUE(i.fragment == NULL);
        unit_info_done(&i);
        tree_remove(root);
        free(root);
}

TEST(masked_dropin_masks_lower_one) {
        char *root = tree_new();
        UnitInfo i = {};

        tree_write(root, "usr/lib/systemd/system/d.service", "[Service]\nExecStart=/bin/true\n");
        tree_write(root, "usr/lib/systemd/system/d.service.d/10-x.conf", "[Service]\nX=1\n");
        tree_symlink(root, "etc/systemd/system/d.service.d/10-x.conf", "/dev/null");
        lookup(root, "d.service", &i);
        ASSERT_EQ(strv_length(i.dropins), 0);
        ASSERT_EQ(strv_length(i.dropin_names), 1);
        unit_info_done(&i);
        tree_remove(root);
        free(root);
}

TEST(unit_info_load_reads_fragment_then_dropins) {
        char *sp[] = { search_etc, search_lib, NULL };
        char *root = tree_new();
        UnitFile u = UNIT_FILE_INIT;
        UnitLookupPaths p;
        UnitInfo i = {};

        tree_write(root, "usr/lib/systemd/system/e.service", "[Service]\nExecStart=/bin/one\n");
        tree_write(root, "etc/systemd/system/e.service.d/override.conf", "[Service]\nExecStart=\nExecStart=/bin/two\n");
        ASSERT_OK(unit_lookup_paths_init_from(&p, UNIT_SCOPE_SYSTEM, root, sp));
        ASSERT_OK(unit_lookup(&p, "e.service", &i));
        ASSERT_OK(unit_info_load(&p, &i, &u, NULL));
        ASSERT_EQ(u.n_entries, 3);
        ASSERT_STREQ(u.entries[0].file, "/usr/lib/systemd/system/e.service");
        ASSERT_STREQ(u.entries[2].value, "/bin/two");
        ASSERT_STREQ(u.entries[2].file, "/etc/systemd/system/e.service.d/override.conf");
        ASSERT_EQ(u.entries[2].line, 3);
        unit_file_done(&u);
        unit_info_done(&i);
        unit_lookup_paths_done(&p);
        tree_remove(root);
        free(root);
}

TEST(search_path_environment) {
        UnitLookupPaths p;

        setenv("SYSTEMD_UNIT_PATH", "/a:/b", 1);
        ASSERT_OK(unit_lookup_paths_init(&p, UNIT_SCOPE_SYSTEM, NULL));
        ASSERT_EQ(strv_length(p.search_path), 2);
        unit_lookup_paths_done(&p);

        setenv("SYSTEMD_UNIT_PATH", "/a:", 1);
        ASSERT_OK(unit_lookup_paths_init(&p, UNIT_SCOPE_SYSTEM, NULL));
        ASSERT_STREQ(p.search_path[0], "/a");
        ASSERT_STREQ(p.search_path[1], "/etc/systemd/system.control");
        ASSERT_TRUE(strv_contains(p.search_path, "/usr/lib/systemd/system"));
        unit_lookup_paths_done(&p);
        unsetenv("SYSTEMD_UNIT_PATH");

        setenv("HOME", "/home/u", 1);
        setenv("XDG_RUNTIME_DIR", "/run/user/1000", 1);
        unsetenv("XDG_CONFIG_HOME");
        ASSERT_OK(unit_lookup_paths_init(&p, UNIT_SCOPE_USER, NULL));
        ASSERT_STREQ(p.search_path[0], "/home/u/.config/systemd/user.control");
        ASSERT_TRUE(strv_contains(p.search_path, "/home/u/.config/systemd/user"));
        ASSERT_TRUE(strv_contains(p.search_path, "/usr/lib/systemd/user"));
        ASSERT_TRUE(strv_contains(p.generator_dirs, "/run/user/1000/systemd/generator"));
        unit_lookup_paths_done(&p);
}

TEST(map_names_include_instances_with_own_dropins) {
        char *sp[] = { search_etc, search_lib, NULL };
        char *root = tree_new(), **names, *s;
        UnitLookupPaths p;
        UnitMap *m;

        tree_write(root, "usr/lib/systemd/system/t@.service", "[Service]\nExecStart=/bin/true\n");
        tree_write(root, "etc/systemd/system/t@x.service.d/a.conf", "");
        tree_write(root, "usr/lib/systemd/system/p.service", "[Service]\nExecStart=/bin/true\n");
        tree_write(root, "usr/lib/systemd/system/p.service.d/a.conf", "");
        tree_write(root, "etc/systemd/system/multi-user.target.wants/p.service", "");
        ASSERT_OK(unit_lookup_paths_init_from(&p, UNIT_SCOPE_SYSTEM, root, sp));
        ASSERT_OK(unit_map_new(&p, true, &m));
        names = unit_map_names(m);
        s = joined(names);
        ASSERT_STREQ(s, "p.service t@.service t@x.service");
        free(s);
        strv_free(names);
        unit_map_free(m);
        unit_lookup_paths_done(&p);
        tree_remove(root);
        free(root);
}
