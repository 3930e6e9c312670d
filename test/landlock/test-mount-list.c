/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The mount table from listmount(2) and statmount(2) must be the one /proc/self/mountinfo gives. Each
 * namespace below is read both ways, every path of the listed table fetched, and the two compared entry
 * by entry: bind mounts, escapes in paths, a namespace file, a hidden mount, and a root directory that
 * leaves mounts out of reach. A kernel before 6.8 has neither call: listing must say so there, and only
 * there. */

#include <fcntl.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

#include "mount-table.h"
#include "strv.h"
#include "tests.h"

/* Whether this kernel has listmount() and statmount() (Linux 6.8). */
static bool kernel_lists_mounts(void) {
        return test_kernel_at_least(6, 8);
}

static const MountEntry *find(const MountTable *t, int id) {
        for (size_t i = 0; i < t->n; i++)
                if (t->entries[i].id == id)
                        return t->entries + i;
        return NULL;
}

/* Fetches every path of a listed table: asking for the aliases of "/" of a filesystem reads each of its
 * mounts. */
static void fetch_all(MountTable *t) {
        for (size_t i = 0; i < t->n; i++) {
                _cleanup_strv_free_ char **l = NULL;

                ASSERT_OK(mount_table_aliases(t, t->entries[i].dev, "/", &l));
                ASSERT_TRUE(t->entries[i].root && t->entries[i].where);
        }
}

/* Reads the table both ways and compares; returns how many mounts show directories. On a kernel without
 * listmount() the listing must say so and mountinfo alone is read. */
static size_t compare_tables(void) {
        _cleanup_(mount_table_done) MountTable info = {}, listed = {};
        _cleanup_free_ char *e1 = NULL, *e2 = NULL;
        size_t shown = 0;
        int r;

        ASSERT_OK(mount_table_read(&info, &e1));
        r = mount_table_list(&listed, SIZE_MAX, -1, &e2);
        if (!kernel_lists_mounts()) {
                ASSERT_ERROR(r, EOPNOTSUPP);
                printf("# no listmount() on this kernel: mountinfo only, %zu mounts\n", info.n);
                return info.n;
        }
        ASSERT_OK(r);
        ASSERT_STREQ(listed.source, "listmount()");
        fetch_all(&listed);

        /* Told the root directory's mount ID, the listing is the same table. */
        {
                _cleanup_(mount_table_done) MountTable hinted = {};
                struct statx sx;

                ASSERT_OK(RET_NERRNO(statx(AT_FDCWD, "/", 0, STATX_MNT_ID, &sx)));
                ASSERT_TRUE(sx.stx_mask & STATX_MNT_ID);
                ASSERT_OK(mount_table_list(&hinted, SIZE_MAX, (int) sx.stx_mnt_id, NULL));
                ASSERT_EQ(hinted.n, listed.n);
                for (size_t i = 0; i < listed.n; i++)
                        ASSERT_TRUE(find(&hinted, listed.entries[i].id));
                ASSERT_TRUE(find(&hinted, (int) sx.stx_mnt_id));
        }

        /* Every line of mountinfo is a listed mount, with the same parent, filesystem and paths. */
        for (size_t i = 0; i < info.n; i++) {
                const MountEntry *a = info.entries + i, *b = find(&listed, a->id);

                if (!b) {
                        printf("# mountinfo's mount %i (%s) is not listed\n", a->id, a->where);
                        test_fail(__FILE__, __LINE__, "a mount is missing from the listed table");
                }
                ASSERT_EQ(b->parent_id, a->parent_id);
                ASSERT_TRUE(b->dev == a->dev);
                ASSERT_STREQ(b->root, a->root);
                ASSERT_STREQ(b->where, a->where);
                if (a->root[0] == '/')
                        shown++;
        }
        /* A listed mount that mountinfo leaves out is one the root directory cannot reach: statmount()
         * gives it no mount point, and it shows no directory. */
        for (size_t i = 0; i < listed.n; i++)
                if (!find(&info, listed.entries[i].id)) {
                        printf("# listed only: mount %i, mount point \"%s\"\n", listed.entries[i].id,
                               listed.entries[i].where);
                        ASSERT_STREQ(listed.entries[i].where, "");
                }
        return shown;
}

TEST(listing_is_refused_only_by_a_kernel_without_it) {
        _cleanup_(mount_table_done) MountTable t = {};
        int r = mount_table_list(&t, SIZE_MAX, -1, NULL);

        if (kernel_lists_mounts())
                ASSERT_OK(r);
        else
                ASSERT_ERROR(r, EOPNOTSUPP);
}

TEST(listed_table_is_mountinfo_here) {
        ASSERT_TRUE(compare_tables() > 0);
}

/* ---- In a mount namespace of its own ---- */

static char tree[64];

static const char *at(const char *rel) {
        static char buf[8][256];
        static unsigned i;

        i = (i + 1) % 8;
        snprintf(buf[i], sizeof buf[i], "%s/%s", tree, rel);
        return buf[i];
}

static void run_in_namespace(void (*fn)(void)) {
        if (geteuid() != 0)
                test_skip("mounts need root");
        snprintf(tree, sizeof tree, "/tmp/test-mount-list-XXXXXX");
        ASSERT_TRUE(mkdtemp(tree));
        test_in_mount_namespace(fn);
}

static void make_dir(const char *rel) {
        ASSERT_OK(RET_NERRNO(mkdir(at(rel), 0755)));
}

/* Bind mounts (of a directory, of a subdirectory of a tmpfs, one beneath another), names that mountinfo
 * escapes (space, tab, newline, backslash), a namespace file bound on a file (nsfs: "net:[…]" as its
 * root), a tmpfs hidden beneath another, and more mounts than one call lists. */
static void child_many_mounts(void) {
        int fd;

        make_dir("a");
        make_dir("a/sub");
        make_dir("b");
        make_dir("t");
        make_dir("t2");
        make_dir("odd name\twith\nall\\of them");
        make_dir("hidden");
        ASSERT_OK(RET_NERRNO(mount(at("a"), at("b"), NULL, MS_BIND, NULL)));
        ASSERT_OK(RET_NERRNO(mount("tmpfs", at("t"), "tmpfs", 0, "size=1m")));
        ASSERT_OK(RET_NERRNO(mkdir(at("t/deep"), 0755)));
        ASSERT_OK(RET_NERRNO(mount(at("t/deep"), at("t2"), NULL, MS_BIND, NULL)));
        ASSERT_OK(RET_NERRNO(mount(at("t"), at("b/sub"), NULL, MS_BIND, NULL)));
        ASSERT_OK(RET_NERRNO(mount(at("a"), at("odd name\twith\nall\\of them"), NULL, MS_BIND, NULL)));
        fd = open(at("netns"), O_CREAT|O_WRONLY|O_CLOEXEC, 0644);
        ASSERT_TRUE(fd >= 0);
        close(fd);
        ASSERT_OK(RET_NERRNO(mount("/proc/self/ns/net", at("netns"), NULL, MS_BIND, NULL)));
        ASSERT_OK(RET_NERRNO(mount("tmpfs", at("hidden"), "tmpfs", 0, "size=1m")));
        ASSERT_OK(RET_NERRNO(mount("tmpfs", at("hidden"), "tmpfs", 0, "size=1m")));
        /* Paths longer than statmount()'s first answer buffer holds (1 KiB with the structure): a mount
         * point of 800 bytes and more, and a bind mount whose root is that long. */
        {
                char deep[1024], name[201];

                memset(name, 'x', 200);
                name[200] = '\0';
                snprintf(deep, sizeof deep, "%s/long", tree);
                ASSERT_OK(RET_NERRNO(mkdir(deep, 0755)));
                for (unsigned i = 0; i < 4; i++) {
                        size_t l = strlen(deep);

                        snprintf(deep + l, sizeof deep - l, "/%s", name);
                        ASSERT_OK(RET_NERRNO(mkdir(deep, 0755)));
                }
                ASSERT_TRUE(strlen(deep) > 800);
                ASSERT_OK(RET_NERRNO(mount(at("a"), deep, NULL, MS_BIND, NULL)));
                make_dir("from-long");
                ASSERT_OK(RET_NERRNO(mount(deep, at("from-long"), NULL, MS_BIND, NULL)));
        }
        /* More mounts than one listmount() call returns (64): the listing goes on after the last ID. */
        make_dir("many");
        for (unsigned i = 0; i < 80; i++) {
                char rel[32];

                snprintf(rel, sizeof rel, "many/%u", i);
                make_dir(rel);
                ASSERT_OK(RET_NERRNO(mount(at("a"), at(rel), NULL, MS_BIND, NULL)));
        }
        ASSERT_TRUE(compare_tables() > 80);
}

TEST(listed_table_is_mountinfo_with_binds_escapes_and_hidden_mounts) {
        run_in_namespace(child_many_mounts);
}

/* Rooted in a tmpfs (as RootDirectory= roots a service): the mounts outside are out of reach, which
 * mountinfo leaves out and the listed table must not show. */
static void child_rooted_elsewhere(void) {
        make_dir("root");
        ASSERT_OK(RET_NERRNO(mount("tmpfs", at("root"), "tmpfs", 0, "size=1m")));
        ASSERT_OK(RET_NERRNO(mkdir(at("root/proc"), 0755)));
        ASSERT_OK(RET_NERRNO(mkdir(at("root/data"), 0755)));
        ASSERT_OK(RET_NERRNO(mount("proc", at("root/proc"), "proc", 0, NULL)));
        ASSERT_OK(RET_NERRNO(mount("/usr", at("root/data"), NULL, MS_BIND, NULL)));
        ASSERT_OK(RET_NERRNO(chroot(at("root"))));
        ASSERT_OK(RET_NERRNO(chdir("/")));
        ASSERT_TRUE(compare_tables() >= 3);
}

TEST(listed_table_leaves_out_what_the_root_directory_cannot_reach) {
        run_in_namespace(child_rooted_elsewhere);
}

/* Rooted in a directory that is no mount root: the root directory's own mount is out of reach too, and
 * statmount() gives it an empty mount point (Linux 6.8…6.17) or none (6.18): either way it shows no
 * directory, as mountinfo leaves it out. */
static void child_rooted_in_a_subdirectory(void) {
        make_dir("fs");
        ASSERT_OK(RET_NERRNO(mount("tmpfs", at("fs"), "tmpfs", 0, "size=1m")));
        ASSERT_OK(RET_NERRNO(mkdir(at("fs/root"), 0755)));
        ASSERT_OK(RET_NERRNO(mkdir(at("fs/root/proc"), 0755)));
        ASSERT_OK(RET_NERRNO(mkdir(at("fs/root/data"), 0755)));
        ASSERT_OK(RET_NERRNO(mount("proc", at("fs/root/proc"), "proc", 0, NULL)));
        ASSERT_OK(RET_NERRNO(mount(at("fs"), at("fs/root/data"), NULL, MS_BIND, NULL)));
        ASSERT_OK(RET_NERRNO(chroot(at("fs/root"))));
        ASSERT_OK(RET_NERRNO(chdir("/")));
        ASSERT_TRUE(compare_tables() >= 2);
}

TEST(listed_table_leaves_out_the_mount_of_a_root_that_is_no_mount_root) {
        run_in_namespace(child_rooted_in_a_subdirectory);
}
