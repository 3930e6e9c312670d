/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The mount table as the enforcer reads it: parsing /proc/self/mountinfo text, and the paths at which a
 * directory can be seen through bind mounts. Pure logic. */

#include <sys/sysmacros.h>

#include "mount-table.h"
#include "strv.h"
#include "tests.h"

/* A service namespace as systemd builds it: the root filesystem (8:1), /var/lib/foo bound onto itself
 * (ReadWritePaths=), /srv/shared bound beneath it, /var/lib/foo/sub bound at /pub, a tmpfs on /tmp, and a
 * directory with a space in its name bound at /opt/my dir. */
static const char mountinfo[] =
        "22 1 8:1 / / rw,relatime shared:1 - ext4 /dev/sda1 rw\n"
        "30 22 8:1 /var/lib/foo /var/lib/foo rw,relatime - ext4 /dev/sda1 rw\n"
        "31 30 8:1 /srv/shared /var/lib/foo/shared rw,relatime - ext4 /dev/sda1 rw\n"
        "32 22 8:1 /var/lib/foo/sub /pub ro,relatime - ext4 /dev/sda1 rw\n"
        "33 22 0:40 / /tmp rw,nosuid - tmpfs tmpfs rw\n"
        "34 22 8:1 /srv/with\\040space /opt/my\\040dir rw - ext4 /dev/sda1 rw\n";

static void parse(MountTable *t) {
        _cleanup_free_ char *e = NULL;

        ASSERT_OK(mount_table_parse(mountinfo, t, &e));
        ASSERT_EQ(t->n, 6);
}

static char **aliases_of(MountTable *t, dev_t dev, const char *fs_path) {
        char **l = NULL;

        ASSERT_OK(mount_table_aliases(t, dev, fs_path, &l));
        return l;
}

TEST(mountinfo_fields_and_escapes_are_parsed) {
        _cleanup_(mount_table_done) MountTable t = {};

        parse(&t);
        ASSERT_EQ(t.entries[0].id, 22);
        ASSERT_EQ(t.entries[0].parent_id, 1);
        ASSERT_TRUE(t.entries[0].dev == makedev(8, 1));
        ASSERT_STREQ(t.entries[2].root, "/srv/shared");
        ASSERT_STREQ(t.entries[2].where, "/var/lib/foo/shared");
        ASSERT_TRUE(t.entries[4].dev == makedev(0, 40));
        ASSERT_STREQ(t.entries[5].root, "/srv/with space");
        ASSERT_STREQ(t.entries[5].where, "/opt/my dir");
}

TEST(malformed_mountinfo_line_is_refused_naming_it) {
        _cleanup_(mount_table_done) MountTable t = {};
        _cleanup_free_ char *e = NULL;

        ASSERT_ERROR(mount_table_parse("22 1 8:1 / / rw\n23 22 8:1 / relative rw\n", &t, &e), EINVAL);
        ASSERT_STREQ(e, "mountinfo line 2 is not \"ID PARENT MAJOR:MINOR ROOT MOUNTPOINT ...\": 23 22 8:1 / relative rw");
        ASSERT_ERROR(mount_table_parse("22 1 8:1 /\n", &t, &e), EINVAL);
        ASSERT_ERROR(mount_table_parse("x 1 8:1 / / rw\n", &t, &e), EINVAL);
        ASSERT_ERROR(mount_table_parse("2147483648 1 8:1 / / rw\n", &t, &e), EINVAL);
        ASSERT_ERROR(mount_table_parse("22 1 8 / / rw\n", &t, &e), EINVAL);
        ASSERT_ERROR(mount_table_parse("22 1 8: / / rw\n", &t, &e), EINVAL);
        ASSERT_ERROR(mount_table_parse("22 1 4294967296:1 / / rw\n", &t, &e), EINVAL);
        ASSERT_ERROR(mount_table_parse("22 -1 8:1 / / rw\n", &t, &e), EINVAL);
}

/* Split in place: empty lines, a last line without newline, escapes that end a field, the largest
 * numbers. */
TEST(mountinfo_edges_are_parsed) {
        _cleanup_(mount_table_done) MountTable t = {};
        _cleanup_free_ char *e = NULL;

        ASSERT_OK(mount_table_parse("\n2147483647 22 4294967295:7 /a\\134 /b\\011c rw\n\n"
                                    "23 22 0:40 / /tmp rw", &t, &e));
        ASSERT_EQ(t.n, 2);
        ASSERT_EQ(t.entries[0].id, INT32_MAX);
        ASSERT_EQ(t.entries[0].parent_id, 22);
        ASSERT_TRUE(t.entries[0].dev == makedev(UINT32_MAX, 7));
        ASSERT_STREQ(t.entries[0].root, "/a\\");
        ASSERT_STREQ(t.entries[0].where, "/b\tc");
        ASSERT_STREQ(t.entries[1].where, "/tmp");
}

TEST(path_beneath_respects_component_boundaries) {
        ASSERT_STREQ(path_beneath("/a/b", "/a"), "/b");
        ASSERT_STREQ(path_beneath("/a", "/a"), "");
        ASSERT_TRUE(path_beneath("/ab", "/a") == NULL);
        ASSERT_TRUE(path_beneath("/a", "/a/b") == NULL);
        ASSERT_STREQ(path_beneath("/a/b", "/"), "/a/b");
        ASSERT_STREQ(path_beneath("/", "/"), "");
}

TEST(fs_path_is_the_mount_root_plus_the_rest) {
        _cleanup_(mount_table_done) MountTable t = {};
        _cleanup_free_ char *a = NULL, *b = NULL, *c = NULL;
        dev_t dev;

        parse(&t);
        ASSERT_OK(mount_table_fs_path(&t, 31, "/var/lib/foo/shared/x", &dev, &a));
        ASSERT_STREQ(a, "/srv/shared/x");
        ASSERT_TRUE(dev == makedev(8, 1));
        ASSERT_OK(mount_table_fs_path(&t, 22, "/etc", &dev, &b));
        ASSERT_STREQ(b, "/etc");
        ASSERT_OK(mount_table_fs_path(&t, 32, "/pub", &dev, &c));
        ASSERT_STREQ(c, "/var/lib/foo/sub");
        /* Not listed (outside the root directory), or not beneath its mount point: unknown. */
        ASSERT_ERROR(mount_table_fs_path(&t, 99, "/etc", &dev, &a), ENOENT);
        ASSERT_ERROR(mount_table_fs_path(&t, 31, "/etc", &dev, &a), ENOENT);
}

TEST(aliases_list_every_mount_showing_the_directory) {
        _cleanup_(mount_table_done) MountTable t = {};
        _cleanup_strv_free_ char **shared = NULL, **sub = NULL, **etc = NULL, **tmp = NULL, **space = NULL;

        parse(&t);
        /* A bind mount beneath a writable directory: seen at both places. */
        shared = aliases_of(&t, makedev(8, 1), "/srv/shared/bin");
        ASSERT_EQ(strv_length(shared), 2);
        ASSERT_STREQ(shared[0], "/srv/shared/bin");
        ASSERT_STREQ(shared[1], "/var/lib/foo/shared/bin");
        /* A writable directory's subdirectory bound elsewhere: the same (the self-bind adds nothing new). */
        sub = aliases_of(&t, makedev(8, 1), "/var/lib/foo/sub/x");
        ASSERT_EQ(strv_length(sub), 2);
        ASSERT_STREQ(sub[0], "/var/lib/foo/sub/x");
        ASSERT_STREQ(sub[1], "/pub/x");
        /* No bind mount shows /etc elsewhere. */
        etc = aliases_of(&t, makedev(8, 1), "/etc");
        ASSERT_EQ(strv_length(etc), 1);
        ASSERT_STREQ(etc[0], "/etc");
        /* Another filesystem is only where it is mounted. */
        tmp = aliases_of(&t, makedev(0, 40), "/x");
        ASSERT_EQ(strv_length(tmp), 1);
        ASSERT_STREQ(tmp[0], "/tmp/x");
        space = aliases_of(&t, makedev(8, 1), "/srv/with space");
        ASSERT_EQ(strv_length(space), 2);
        ASSERT_STREQ(space[1], "/opt/my dir");
}

/* A bind mount of a namespace file ("ip netns add" makes one at /run/netns/NAME): nsfs prints its root as
 * "net:[…]". Such a line once failed the whole table, so that every symlink counted as writable. It shows
 * no directory; the rest of the table is read as usual. */
TEST(namespace_file_mounts_show_no_directory) {
        _cleanup_(mount_table_done) MountTable t = {};
        _cleanup_strv_free_ char **etc = NULL, **ns = NULL;
        _cleanup_free_ char *e = NULL, *p = NULL;
        dev_t dev;

        ASSERT_OK(mount_table_parse("22 1 8:1 / / rw - ext4 /dev/sda1 rw\n"
                                    "65 22 0:4 net:[4026531833] /run/netns/blue rw - nsfs nsfs rw\n", &t, &e));
        ASSERT_EQ(t.n, 2);
        ASSERT_STREQ(t.entries[1].root, "net:[4026531833]");
        ASSERT_ERROR(mount_table_fs_path(&t, 65, "/run/netns/blue", &dev, &p), ENOENT);
        ns = aliases_of(&t, makedev(0, 4), "/");
        ASSERT_EQ(strv_length(ns), 0);
        etc = aliases_of(&t, makedev(8, 1), "/etc");
        ASSERT_EQ(strv_length(etc), 1);
        ASSERT_STREQ(etc[0], "/etc");
}
