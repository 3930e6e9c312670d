/* SPDX-License-Identifier: LGPL-2.1-or-later */

#include <sys/stat.h>

#include "strv.h"
#include "systemd-version.h"
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

static void assert_joined(char **l, const char *expected) {
        _cleanup_free_ char *s = strv_join(l, " ");

        ASSERT_STREQ(s, expected);
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

/* systemd checks a symbolic link "foo.service.d" with is_dir() on its target TEXT, relative to its own
 * working directory "/": a relative target such as "../foo-dropins" names "/foo-dropins", which does not
 * exist, and the directory is ignored (checked against systemd 252, 257 and 262 by test/differential, tree
 * b20); a target that names a directory from "/" too counts, and is read through the link. */
TEST(symlinked_dropin_dirs_as_systemd_checks_them) {
        char *root = tree_new(), *s;
        UnitInfo i = {};

        tree_write(root, "etc/systemd/system/rel.service", "[Service]\nExecStart=/bin/true\n");
        tree_write(root, "etc/systemd/rel-dropins/zzz.conf", "");
        tree_symlink(root, "etc/systemd/system/rel.service.d", "../rel-dropins");
        /* Relative, but also valid from "/": counts. */
        tree_write(root, "etc/systemd/both-dropins/zzz.conf", "");
        tree_write(root, "etc/systemd/system/both.service", "[Service]\nExecStart=/bin/true\n");
        tree_symlink(root, "etc/systemd/system/both.service.d", "../../../etc/systemd/both-dropins");

        lookup(root, "rel.service", &i);
        ASSERT_TRUE(strv_isempty(i.dropins));
        unit_info_done(&i);

        lookup(root, "both.service", &i);
        s = joined(i.dropins);
        ASSERT_STREQ(s, "/etc/systemd/system/both.service.d/zzz.conf");
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

/* The generator's shortcut: a unit none of whose files says the word is read, not parsed; the word in a
 * drop-in, or a file that cannot be read, parses everything (as unit_info_load() would). */
TEST(unit_info_load_mentioning_parses_only_units_that_mention_the_word) {
        char *sp[] = { search_etc, search_lib, NULL };
        char *root = tree_new(), *unreadable = NULL;
        UnitLookupPaths p;

        tree_write(root, "usr/lib/systemd/system/plain.service", "[Service]\nExecStart=/bin/one\n");
        tree_write(root, "usr/lib/systemd/system/later.service", "[Service]\nExecStart=/bin/one\n");
        tree_write(root, "etc/systemd/system/later.service.d/ll.conf", "[Service]\nX-LandlockPaths=/srv:ro\n");
        tree_write(root, "usr/lib/systemd/system/hidden.service", "[Service]\nExecStart=/bin/one\n");
        tree_write(root, "etc/systemd/system/hidden.service.d/secret.conf", "[Service]\nX=1\n");
        ASSERT_OK(unit_lookup_paths_init_from(&p, UNIT_SCOPE_SYSTEM, root, sp));

        for (unsigned k = 0; k < 3; k++) {
                static const char *const names[] = { "plain.service", "later.service", "hidden.service" };
                UnitFile u = UNIT_FILE_INIT;
                UnitInfo i = {};
                int r;

                if (k == 2) {   /* a drop-in nobody can read (we run as root: a directory in its place) */
                        ASSERT_TRUE(asprintf(&unreadable, "%s/etc/systemd/system/hidden.service.d/secret.conf", root) > 0);
                        ASSERT_OK(unlink(unreadable));
                        ASSERT_OK(mkfifo(unreadable, 0600));
                }
                ASSERT_OK(unit_lookup(&p, names[k], &i));
                r = unit_info_load_mentioning(&p, &i, "Landlock", &u, NULL);
                ASSERT_EQ(r, k == 0 ? 0 : 1);
                ASSERT_EQ(u.n_entries, k == 0 ? 0 : k == 1 ? 2 : 1);
                if (k == 1)
                        ASSERT_STREQ(u.entries[1].key, "X-LandlockPaths");
                if (k == 2)
                        ASSERT_TRUE(!strv_isempty(u.fatal));
                unit_file_done(&u);
                unit_info_done(&i);
        }
        unit_lookup_paths_done(&p);
        tree_remove(root);
        free(unreadable);
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

/* ---- Drop-in directories and their ranks, as systemd's unit_file_find_dropin_paths() (src/shared/dropin.c)
 * and conf_files_list_strv() (src/basic/conf-files.c); each case was also observed with systemd 252, 257
 * and 262 (systemd-analyze verify with marker keys). ---- */

static char *search_a = (char *) "/a", *search_b = (char *) "/b", *search_c = (char *) "/c";

/* Looks "name" up in the search path /a:/b:/c beneath "root" and loads it; returns the drop-ins joined. */
static char *lookup_abc(const char *root, const char *name, UnitInfo *info, UnitFile *u) {
        char *sp[] = { search_a, search_b, search_c, NULL };
        UnitLookupPaths p;

        ASSERT_OK(unit_lookup_paths_init_from(&p, UNIT_SCOPE_SYSTEM, root, sp));
        ASSERT_OK(unit_lookup(&p, name, info));
        if (u) {
                *u = UNIT_FILE_INIT;
                ASSERT_OK(unit_info_load(&p, info, u, NULL));
        }
        unit_lookup_paths_done(&p);
        return joined(info->dropins);
}

static void write_unit(const char *root, const char *rel) {
        tree_write(root, rel, "[Service]\nExecStart=/bin/true\n");
}

/* Which of two same-named drop-ins ("x.conf" in dir1 and dir2) the unit reads. */
static const char *winner(const char *unit, const char *fragment, const char *dir1, const char *dir2) {
        static char result[256];
        char *root = tree_new(), *rel = NULL, *s;
        UnitInfo i = {};

        write_unit(root, fragment);
        ASSERT_TRUE(asprintf(&rel, "%s/x.conf", dir1) > 0);
        tree_write(root, rel, "");
        free(rel);
        ASSERT_TRUE(asprintf(&rel, "%s/x.conf", dir2) > 0);
        tree_write(root, rel, "");
        free(rel);

        s = lookup_abc(root, unit, &i, NULL);
        ASSERT_EQ(strv_length(i.dropins), 1);
        snprintf(result, sizeof(result), "%s", s);
        free(s);
        unit_info_done(&i);
        tree_remove(root);
        free(root);
        return result;
}

TEST(instance_reads_dash_prefix_directories_with_and_without_its_instance) {
        static const char * const read[] = {
                "foo-bar@inst.service.d", "foo-bar@.service.d", "foo-.service.d", "foo-@inst.service.d",
                "foo-@.service.d", "service.d",
        };
        static const char * const not_read[] = {
                "foo-bar-.service.d", "foo-bar-@.service.d", "foo-bar-@inst.service.d", "foo@.service.d",
                "foo@inst.service.d", "foo-bar.service.d", "socket.d",
        };
        char *root = tree_new(), *rel = NULL;
        UnitInfo i = {};

        write_unit(root, "c/foo-bar@.service");
        for (size_t k = 0; k < ELEMENTSOF(read); k++) {
                ASSERT_TRUE(asprintf(&rel, "b/%s/r%zu.conf", read[k], k) > 0);
                tree_write(root, rel, "");
                free(rel);
        }
        for (size_t k = 0; k < ELEMENTSOF(not_read); k++) {
                ASSERT_TRUE(asprintf(&rel, "b/%s/n%zu.conf", not_read[k], k) > 0);
                tree_write(root, rel, "");
                free(rel);
        }

        free(lookup_abc(root, "foo-bar@inst.service", &i, NULL));
        ASSERT_EQ(strv_length(i.dropins), ELEMENTSOF(read));
        for (size_t k = 0; k < ELEMENTSOF(read); k++) {
                ASSERT_TRUE(asprintf(&rel, "/b/%s/r%zu.conf", read[k], k) > 0);
                ASSERT_TRUE(strv_contains(i.dropins, rel));
                free(rel);
        }
        ASSERT_TRUE(i.has_own_dropins);
        unit_info_done(&i);

        /* Another instance reads only the directories common to all of them. */
        free(lookup_abc(root, "foo-bar@other.service", &i, NULL));
        ASSERT_EQ(strv_length(i.dropins), 4);
        ASSERT_FALSE(i.has_own_dropins);
        unit_info_done(&i);
        tree_remove(root);
        free(root);
}

TEST(same_named_dropin_search_path_ranks_before_name_specificity) {
        /* Each search path entry in turn: the name, its template, its dash prefixes. */
        ASSERT_STREQ(winner("foo-bar@inst.service", "c/foo-bar@.service", "a/foo-.service.d", "b/foo-bar@inst.service.d"),
                     "/a/foo-.service.d/x.conf");
        ASSERT_STREQ(winner("foo-bar@inst.service", "c/foo-bar@.service", "c/foo-bar@inst.service.d", "b/foo-bar@.service.d"),
                     "/b/foo-bar@.service.d/x.conf");
        ASSERT_STREQ(winner("foo-bar@inst.service", "c/foo-bar@.service", "a/foo-@.service.d", "b/foo-bar@inst.service.d"),
                     "/a/foo-@.service.d/x.conf");
        /* Within one entry: the instance before the template before the dash prefixes. */
        ASSERT_STREQ(winner("foo-bar@inst.service", "c/foo-bar@.service", "b/foo-@.service.d", "b/foo-bar@inst.service.d"),
                     "/b/foo-bar@inst.service.d/x.conf");
        ASSERT_STREQ(winner("foo-bar@inst.service", "c/foo-bar@.service", "b/foo-bar@.service.d", "b/foo-bar@inst.service.d"),
                     "/b/foo-bar@inst.service.d/x.conf");
        /* The template's dash prefix (foo-.service.d) comes before the instance's (foo-@inst.service.d). */
        ASSERT_STREQ(winner("foo-bar@inst.service", "c/foo-bar@.service", "b/foo-@inst.service.d", "b/foo-.service.d"),
                     "/b/foo-.service.d/x.conf");
}

TEST(type_directory_ranks_after_the_unit_in_every_search_path) {
        /* /etc's service.d loses against /usr/lib's foo.service.d. */
        ASSERT_STREQ(winner("foo.service", "c/foo.service", "a/service.d", "c/foo.service.d"), "/c/foo.service.d/x.conf");
        ASSERT_STREQ(winner("foo-bar@inst.service", "c/foo-bar@.service", "a/service.d", "c/foo-@.service.d"),
                     "/c/foo-@.service.d/x.conf");
}

TEST(aliases_rank_after_the_unit_and_before_the_type_directory) {
        char *root = tree_new(), *s;
        UnitInfo i = {};

        write_unit(root, "c/real.service");
        tree_symlink(root, "c/al-x.service", "real.service");
        tree_write(root, "a/al-x.service.d/x.conf", "");
        tree_write(root, "c/real.service.d/x.conf", "");       /* the unit's own name, lowest path: wins */
        tree_write(root, "a/service.d/y.conf", "");
        tree_write(root, "c/al-x.service.d/y.conf", "");       /* an alias beats the type directory */
        tree_write(root, "b/al-.service.d/z.conf", "");        /* an alias's dash prefix counts */
        tree_write(root, "b/real-.service.d/n.conf", "");      /* not a prefix of anything here */

        /* The same whichever name it is looked up by. */
        for (int k = 0; k < 2; k++) {
                s = lookup_abc(root, k == 0 ? "al-x.service" : "real.service", &i, NULL);
                ASSERT_STREQ(i.name, "real.service");
                assert_joined(i.aliases, "al-x.service");
                ASSERT_STREQ(s, "/c/real.service.d/x.conf /c/al-x.service.d/y.conf /b/al-.service.d/z.conf");
                ASSERT_TRUE(i.ambiguous_dropins == NULL);
                free(s);
                unit_info_done(&i);
        }
        tree_remove(root);
        free(root);
}

TEST(same_named_dropins_of_two_aliases_are_ambiguous) {
        char *root = tree_new(), *s;
        UnitInfo i = {};

        /* systemd takes the aliases in hash order: 252, 257 and 262 were seen to pick either. */
        write_unit(root, "c/real.service");
        tree_symlink(root, "c/alias1.service", "real.service");
        tree_symlink(root, "c/alias2.service", "real.service");
        tree_write(root, "a/alias1.service.d/x.conf", "");
        tree_write(root, "a/alias2.service.d/x.conf", "");
        tree_write(root, "b/al-.service.d/y.conf", "");                /* no shared dash prefix: al- ≠ alias1 */
        s = lookup_abc(root, "real.service", &i, NULL);
        assert_joined(i.ambiguous_dropins, "x.conf");
        free(s);
        unit_info_done(&i);

        /* The unit's own copy settles it. */
        tree_write(root, "c/real.service.d/x.conf", "");
        s = lookup_abc(root, "real.service", &i, NULL);
        ASSERT_STREQ(s, "/c/real.service.d/x.conf");
        ASSERT_TRUE(i.ambiguous_dropins == NULL);
        free(s);
        unit_info_done(&i);

        /* One directory both aliases read (a dash prefix) is one file, not two. */
        tree_remove(root);
        free(root);
        root = tree_new();
        write_unit(root, "c/real.service");
        tree_symlink(root, "c/al-a.service", "real.service");
        tree_symlink(root, "c/al-b.service", "real.service");
        tree_write(root, "a/al-.service.d/x.conf", "");
        s = lookup_abc(root, "real.service", &i, NULL);
        ASSERT_STREQ(s, "/a/al-.service.d/x.conf");
        ASSERT_TRUE(i.ambiguous_dropins == NULL);
        free(s);
        unit_info_done(&i);
        tree_remove(root);
        free(root);
}

TEST(template_lookup_gives_the_dropins_of_every_instance) {
        char *root = tree_new(), *s;
        UnitInfo i = {};

        write_unit(root, "c/foo-bar@.service");
        tree_write(root, "b/foo-bar@.service.d/1.conf", "");
        tree_write(root, "b/foo-.service.d/2.conf", "");
        tree_write(root, "b/foo-@.service.d/3.conf", "");        /* every instance reads it */
        tree_write(root, "b/foo-@x.service.d/4.conf", "");       /* only foo-bar@x */
        tree_write(root, "b/foo-bar@y.service.d/5.conf", "");    /* only foo-bar@y */
        tree_write(root, "a/service.d/6.conf", "");
        s = lookup_abc(root, "foo-bar@.service", &i, NULL);
        ASSERT_STREQ(s, "/b/foo-bar@.service.d/1.conf /b/foo-.service.d/2.conf /b/foo-@.service.d/3.conf "
                        "/a/service.d/6.conf");
        free(s);
        unit_info_done(&i);
        tree_remove(root);
        free(root);
}

TEST(map_names_include_instances_named_by_dash_prefix_directories) {
        char *sp[] = { search_a, search_b, search_c, NULL };
        char *root = tree_new(), **names, *s;
        UnitLookupPaths p;
        UnitMap *m;
        UnitInfo i = {};

        write_unit(root, "c/foo-bar@.service");
        write_unit(root, "c/foo-baz@.service");
        write_unit(root, "c/other@.service");
        tree_write(root, "a/foo-@x.service.d/a.conf", "");
        ASSERT_OK(unit_lookup_paths_init_from(&p, UNIT_SCOPE_SYSTEM, root, sp));
        ASSERT_OK(unit_map_new(&p, true, &m));
        names = unit_map_names(m);
        s = joined(names);
        ASSERT_STREQ(s, "foo-@x.service foo-bar@.service foo-bar@x.service foo-baz@.service foo-baz@x.service "
                        "other@.service");
        free(s);
        strv_free(names);
        ASSERT_OK(unit_map_lookup(m, "foo-baz@x.service", &i));
        ASSERT_TRUE(i.has_own_dropins);
        ASSERT_EQ(strv_length(i.dropins), 1);
        unit_info_done(&i);
        unit_map_free(m);
        unit_lookup_paths_done(&p);
        tree_remove(root);
        free(root);
}

TEST(dropins_apply_in_strcmp_order_of_file_names_across_directories) {
        char *root = tree_new(), *s;
        UnitInfo i = {};

        write_unit(root, "c/real.service");
        tree_write(root, "a/real.service.d/9-b.conf", "");
        tree_write(root, "c/real.service.d/10-a.conf", "");
        tree_write(root, "b/service.d/B.conf", "");
        tree_write(root, "c/real.service.d/a.conf", "");
        tree_write(root, "a/real.service.d/\xc3\xa4.conf", "");
        tree_write(root, "c/real.service.d/_x.conf", "");
        tree_write(root, "c/real.service.d/10-a.conf.conf", "");
        tree_write(root, "c/real.service.d/.hidden.conf", "");
        tree_write(root, "c/real.service.d/x.conf~", "");
        s = lookup_abc(root, "real.service", &i, NULL);
        ASSERT_STREQ(s, "/c/real.service.d/10-a.conf /c/real.service.d/10-a.conf.conf /a/real.service.d/9-b.conf "
                        "/b/service.d/B.conf /c/real.service.d/_x.conf /c/real.service.d/a.conf "
                        "/a/real.service.d/\xc3\xa4.conf");
        free(s);
        unit_info_done(&i);
        tree_remove(root);
        free(root);
}

TEST(dropin_entries_of_any_type_hide_lower_ones) {
        char *root = tree_new(), *s, *fifo = NULL;
        UnitFile u;
        UnitInfo i = {};

        write_unit(root, "c/real.service");
        tree_write(root, "c/real.service.d/dir.conf", "[Service]\nA=lower\n");
        tree_write(root, "a/real.service.d/dir.conf/inside", "");              /* a directory */
        tree_write(root, "c/real.service.d/gone.conf", "[Service]\nB=lower\n");
        tree_symlink(root, "a/real.service.d/gone.conf", "/nonexistent");      /* dangling */
        tree_write(root, "c/real.service.d/z.conf", "[Service]\nC=read\n");
        s = lookup_abc(root, "real.service", &i, &u);
        ASSERT_STREQ(s, "/a/real.service.d/dir.conf /a/real.service.d/gone.conf /c/real.service.d/z.conf");
        /* systemd reads nothing from either and goes on: no fatal stop. */
        ASSERT_EQ(u.n_entries, 2);
        ASSERT_STREQ(u.entries[1].key, "C");
        ASSERT_TRUE(u.fatal == NULL);
        free(s);
        unit_file_done(&u);
        unit_info_done(&i);

        /* A FIFO would hang systemd: recorded as a file that could not be read; the others still load. */
        ASSERT_TRUE(asprintf(&fifo, "%s/a/real.service.d/fifo.conf", root) > 0);
        ASSERT_EQ(mkfifo(fifo, 0600), 0);
        free(lookup_abc(root, "real.service", &i, &u));
        ASSERT_EQ(strv_length(u.fatal), 1);
        ASSERT_TRUE(startswith(u.fatal[0], "/a/real.service.d/fifo.conf:0: Cannot read the file"));
        ASSERT_STREQ(u.entries[u.n_entries - 1].key, "C");
        unit_file_done(&u);
        unit_info_done(&i);
        free(fifo);
        tree_remove(root);
        free(root);
}

/* ---- Aliases, as systemd's unit_file_build_name_map() and unit_file_find_fragment(). ---- */

/* test-unit-file.c, test_unit_validate_alias_symlink_and_warn(): which symlink names may name which unit. */
TEST(alias_validity) {
        ASSERT_TRUE(unit_alias_is_valid("a.service", "b.service"));
        ASSERT_FALSE(unit_alias_is_valid("a.service", "b.socket"));            /* another type */
        ASSERT_FALSE(unit_alias_is_valid("a.service", "b.nonsense"));
        ASSERT_TRUE(unit_alias_is_valid("a@.service", "b@.service"));
        ASSERT_FALSE(unit_alias_is_valid("a@.service", "b@.socket"));
        ASSERT_FALSE(unit_alias_is_valid("a@i.service", "b@j.service"));       /* another instance */
        ASSERT_FALSE(unit_alias_is_valid("a@.service", "b@j.service"));        /* template to instance */
        ASSERT_TRUE(unit_alias_is_valid("a@i.service", "b@i.service"));
        ASSERT_TRUE(unit_alias_is_valid("a@i.service", "b@.service"));         /* that instance of it */
        ASSERT_FALSE(unit_alias_is_valid("a@.service", "b.service"));
        ASSERT_FALSE(unit_alias_is_valid("a.service", "b@.service"));
        ASSERT_FALSE(unit_alias_is_valid("a.slice", "b.slice"));               /* slices take no aliases */
        ASSERT_FALSE(unit_alias_is_valid("a@.target", "b.target"));
        ASSERT_FALSE(unit_alias_is_valid("a.service", "a.service"));           /* itself */
        ASSERT_TRUE(unit_alias_is_valid("a.device", "b.device"));
        ASSERT_FALSE(unit_alias_is_valid("a@i.device", "b@i.device"));         /* no device templates */
}

TEST(refused_alias_does_not_claim_its_name) {
        char *root = tree_new();
        UnitInfo i = {};

        /* A higher-priority symlink systemd refuses as an alias leaves the name to the unit file below. */
        write_unit(root, "c/foo.service");
        tree_write(root, "c/bar.socket", "[Socket]\nListenStream=/run/x\n");
        tree_symlink(root, "a/foo.service", "/c/bar.socket");
        free(lookup_abc(root, "foo.service", &i, NULL));
        ASSERT_STREQ(i.name, "foo.service");
        ASSERT_STREQ(i.fragment, "/c/foo.service");
        unit_info_done(&i);

        /* A symlink to the same name lower down is no alias either. */
        tree_symlink(root, "b/foo.service", "../c/foo.service");
        free(lookup_abc(root, "foo.service", &i, NULL));
        ASSERT_STREQ(i.fragment, "/c/foo.service");
        unit_info_done(&i);
        tree_remove(root);
        free(root);
}

TEST(linked_unit_file_keeps_its_name) {
        char *root = tree_new();
        UnitInfo i = {};

        /* A symlink out of the search path: systemd reads the unit through it, under the symlink's name. */
        write_unit(root, "opt/elsewhere.service");
        tree_symlink(root, "a/foo.service", "/opt/elsewhere.service");
        write_unit(root, "c/foo.service");
        tree_write(root, "c/foo.service.d/x.conf", "");
        tree_write(root, "c/elsewhere.service.d/y.conf", "");
        free(lookup_abc(root, "foo.service", &i, NULL));
        ASSERT_STREQ(i.name, "foo.service");
        ASSERT_STREQ(i.fragment, "/a/foo.service");
        assert_joined(i.dropins, "/c/foo.service.d/x.conf");
        unit_info_done(&i);

        /* Pointing to nothing, it still claims the name: systemd fails to load the unit, and so the
         * reader records the fragment as unreadable. */
        tree_symlink(root, "a/gone.service", "/opt/nothing.service");
        write_unit(root, "c/gone.service");
        {
                UnitFile u;

                free(lookup_abc(root, "gone.service", &i, &u));
                ASSERT_STREQ(i.fragment, "/a/gone.service");
                ASSERT_TRUE(unit_file_fatal_of(&u, "/a/gone.service") != NULL);
                unit_file_done(&u);
        }
        unit_info_done(&i);
        tree_remove(root);
        free(root);
}

TEST(template_aliases_give_instance_aliases) {
        char *root = tree_new(), *s;
        UnitInfo i = {};

        write_unit(root, "c/foo@.service");
        tree_symlink(root, "c/bar@.service", "foo@.service");
        tree_write(root, "c/foo@i.service.d/1.conf", "");
        tree_write(root, "c/foo@.service.d/2.conf", "");
        tree_write(root, "c/bar@i.service.d/3.conf", "");
        tree_write(root, "c/bar@.service.d/4.conf", "");

        for (int k = 0; k < 2; k++) {
                s = lookup_abc(root, k == 0 ? "bar@i.service" : "foo@i.service", &i, NULL);
                ASSERT_STREQ(i.name, "foo@i.service");
                ASSERT_STREQ(i.fragment, "/c/foo@.service");
                assert_joined(i.aliases, "bar@i.service");
                ASSERT_STREQ(s, "/c/foo@i.service.d/1.conf /c/foo@.service.d/2.conf /c/bar@i.service.d/3.conf "
                                "/c/bar@.service.d/4.conf");
                free(s);
                unit_info_done(&i);
        }

        /* An instance symlink to another template is an alias of that instance (and bar@j is one too). */
        tree_symlink(root, "b/baz@j.service", "/c/foo@.service");
        tree_write(root, "c/baz@.service.d/5.conf", "");
        s = lookup_abc(root, "baz@j.service", &i, NULL);
        ASSERT_STREQ(i.name, "foo@j.service");
        assert_joined(i.aliases, "bar@j.service baz@j.service");
        ASSERT_STREQ(s, "/c/foo@.service.d/2.conf /c/bar@.service.d/4.conf /c/baz@.service.d/5.conf");
        free(s);
        unit_info_done(&i);
        tree_remove(root);
        free(root);
}

TEST(instance_names_may_contain_at) {
        char *t = NULL;

        ASSERT_TRUE(unit_name_is_valid("foo@a@b.service", UNIT_NAME_INSTANCE));
        ASSERT_OK(unit_name_template("foo@a@b.service", &t));
        ASSERT_STREQ(t, "foo@.service");
        free(t);
        ASSERT_OK(unit_name_replace_instance("foo@.service", "x@y", &t));
        ASSERT_STREQ(t, "foo@x@y.service");
        free(t);
}

/* ---- Which systemd: the version from its private libraries' names. ---- */

static void write_empty(const char *root, const char *rel) {
        tree_write(root, rel, "");
}

TEST(version_from_the_libraries_on_disk) {
        char *root;
        unsigned v = 0;

        root = tree_new();
        write_empty(root, "usr/lib/x86_64-linux-gnu/systemd/libsystemd-shared-252.so");  /* Debian */
        write_empty(root, "usr/lib/x86_64-linux-gnu/systemd/libsystemd-core-252.so");
        write_empty(root, "usr/lib/x86_64-linux-gnu/libsystemd.so.0");
        ASSERT_OK(systemd_version_detect(root, &v));
        ASSERT_EQ(v, 252);
        tree_remove(root);
        free(root);

        root = tree_new();
        write_empty(root, "usr/lib64/systemd/libsystemd-shared-256.11-1.fc41.so");        /* Fedora's tag */
        ASSERT_OK(systemd_version_detect(root, &v));
        ASSERT_EQ(v, 256);
        tree_remove(root);
        free(root);

        root = tree_new();
        write_empty(root, "usr/lib/systemd/libsystemd-shared-262.so");                    /* upstream */
        ASSERT_OK(systemd_version_detect(root, &v));
        ASSERT_EQ(v, 262);
        /* An upgrade half done: two versions, so none. */
        write_empty(root, "usr/lib/aarch64-linux-gnu/systemd/libsystemd-core-263.so");
        ASSERT_ERROR(systemd_version_detect(root, &v), ENOTUNIQ);
        tree_remove(root);
        free(root);

        root = tree_new();
        write_empty(root, "usr/lib/systemd/libsystemd-shared.so");
        write_empty(root, "usr/lib/systemd/libsystemd-shared-x.so");
        ASSERT_ERROR(systemd_version_detect(root, &v), ENOENT);
        tree_remove(root);
        free(root);
}

TEST(version_of_this_host_matches_pkg_config) {
        const char *expected = getenv("SYSTEMD_PC_VERSION");
        unsigned v = 0;

        if (isempty(expected))
                test_skip("no systemd.pc at build time");
        ASSERT_OK(systemd_version_detect(NULL, &v));
        ASSERT_EQ(v, strtoul(expected, NULL, 10));
}

TEST(verified_versions_and_their_rules) {
        ASSERT_TRUE(systemd_version_is_verified(252));
        ASSERT_TRUE(systemd_version_is_verified(257));
        ASSERT_TRUE(systemd_version_is_verified(262));
        ASSERT_FALSE(systemd_version_is_verified(0));
        ASSERT_FALSE(systemd_version_is_verified(259));
        ASSERT_FALSE(systemd_version_is_verified(263));
        ASSERT_FALSE(systemd_refuses_empty_or_glob_section_names(252));
        ASSERT_FALSE(systemd_refuses_empty_or_glob_section_names(257));
        ASSERT_TRUE(systemd_refuses_empty_or_glob_section_names(262));
        ASSERT_TRUE(systemd_refuses_empty_or_glob_section_names(0));
        ASSERT_TRUE(systemd_refuses_empty_or_glob_section_names(258));
}
