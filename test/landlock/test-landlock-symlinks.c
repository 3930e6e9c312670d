/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Rule paths the service could redirect. Wherever the policy lets the service create or remove entries,
 * it can put a symlink where a rule path passes; the next start must not follow it. Each case builds a
 * tree, lets a restricted child play the service where that matters, then builds the next start's
 * ruleset and, when it builds, checks with real open() calls in a restricted child what it grants. */

#include <fcntl.h>
#include <limits.h>
#include <sched.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include "landlock-policy.h"
#include "landlock-restrict.h"
#include "landlock-ruleset.h"
#include "tests.h"

static int abi;

static void need_landlock(void) {
        abi = landlock_abi_probe();
        if (abi < 0)
                test_skip("Landlock is not available on this kernel");
}

/* ---- A scratch tree ---- */

static char tree[PATH_MAX / 2];

static const char *at(const char *rel) {
        static char buf[16][PATH_MAX];
        static unsigned i;

        i = (i + 1) % ELEMENTSOF(buf);
        snprintf(buf[i], sizeof buf[i], "%s/%s", tree, rel);
        return buf[i];
}

static void make_dir(const char *rel) {
        ASSERT_OK(RET_NERRNO(mkdir(at(rel), 0755)));
}

static void make_file(const char *rel) {
        int fd = open(at(rel), O_CREAT|O_WRONLY|O_CLOEXEC, 0755);

        ASSERT_TRUE(fd >= 0);
        close(fd);
}

static void make_link(const char *target, const char *rel) {
        ASSERT_OK(RET_NERRNO(symlink(target, at(rel))));
}

/* T/foo: the service's state (rw); T/foo/bin: its programs (rx); T/secret: what it must never read;
 * T/usr/lib and T/usr/share/certs with merged-/usr style symlinks T/lib -> usr/lib and
 * T/etc/ssl/certs -> ../../usr/share/certs. */
static void setup_tree(void) {
        snprintf(tree, sizeof tree, "/tmp/test-landlock-symlinks-XXXXXX");
        ASSERT_TRUE(mkdtemp(tree));
        ASSERT_OK(RET_NERRNO(chmod(tree, 0755)));
        make_dir("foo");
        make_dir("foo/bin");
        make_file("foo/bin/tool");
        make_dir("secret");
        make_file("secret/key");
        make_dir("usr");
        make_dir("usr/lib");
        make_file("usr/lib/libx.so");
        make_dir("usr/share");
        make_dir("usr/share/certs");
        make_file("usr/share/certs/ca.pem");
        make_link("usr/lib", "lib");
        make_dir("etc");
        make_dir("etc/ssl");
        make_link("../../usr/share/certs", "etc/ssl/certs");
}

/* ---- Policies ---- */

typedef struct Grant {
        const char *path;               /* relative to the tree, or absolute when it starts with '/' */
        const char *access;
        bool optional;
} Grant;

static void policy_from(LandlockPolicy *p, const Grant *grants) {
        *p = LANDLOCK_POLICY_INIT;
        for (const Grant *g = grants; g->path; g++) {
                uint64_t a;

                ASSERT_OK(landlock_parse_access(g->access, &a, NULL, NULL));
                ASSERT_OK(landlock_policy_add_path(p, g->path[0] == '/' ? g->path : at(g->path), a, 0, g->optional,
                                                   &(LandlockSource) { .file = (char *) "test.service", .line = 7 }));
        }
}

typedef struct Build {
        int r;
        int fd;
        char *error;
        LandlockRulesetReport report;
        LandlockCompiled compiled;
} Build;

static void build_done(Build *b) {
        safe_close(b->fd);
        free(b->error);
        landlock_ruleset_report_done(&b->report);
        landlock_compiled_done(&b->compiled);
}

/* Whether the ruleset is built reading the mount table with listmount(2), as the enforcer does where no
 * seccomp filter could object, or from /proc/self/mountinfo. The cases with bind mounts run both ways. */
static bool list_mounts;

/* What the enforcer does at a start, up to the ruleset. */
static void build(const Grant *grants, Build *ret) {
        LandlockPolicy p;

        *ret = (Build) { .fd = -EBADF };
        policy_from(&p, grants);
        ASSERT_OK(landlock_policy_compile(&p, (unsigned) abi, 0, &ret->compiled, NULL));
        ret->compiled.list_mounts = list_mounts;
        ret->r = landlock_ruleset_build(&ret->compiled, &ret->fd, &ret->report, &ret->error);
        landlock_policy_done(&p);
        if (ret->error)
                printf("# build: %s\n", ret->error);
        for (size_t i = 0; i < ret->report.n_skipped; i++)
                if (ret->report.skipped[i].message)
                        printf("# report: %s\n", ret->report.skipped[i].message);
}

static void assert_contains(const char *s, const char *needle) {
        if (!s || !strstr(s, needle))
                test_fail(__FILE__, __LINE__, "expected \"%s\" in \"%s\"", needle, s ?: "(null)");
}

/* ---- Restricted children ---- */

#define MAX_PROBES 16

typedef struct Probe {
        const char *path;
        int flags;
} Probe;

/* Restricts a child with the ruleset "fd" and returns the errno (0: allowed) of open() on each probe. */
static void probe_in_child(int ruleset_fd, const Probe *probes, int results[MAX_PROBES]) {
        int pipefd[2], status;
        pid_t pid;

        ASSERT_OK(pipe2(pipefd, O_CLOEXEC));
        fflush(stdout);
        pid = fork();
        ASSERT_TRUE(pid >= 0);
        if (pid == 0) {
                int v[MAX_PROBES] = {};
                size_t n = 0;

                if (landlock_restrict_process(ruleset_fd, &(LandlockRestrictOptions) { .abi = (unsigned) abi }, NULL) < 0)
                        _exit(100);
                for (const Probe *p = probes; p->path && n < MAX_PROBES; p++, n++) {
                        int fd = open(p->path, p->flags|O_CLOEXEC);

                        v[n] = fd < 0 ? errno : 0;
                }
                if (write(pipefd[1], v, sizeof v) != sizeof v)
                        _exit(101);
                _exit(0);
        }
        close(pipefd[1]);
        ASSERT_EQ(read(pipefd[0], results, sizeof(int) * MAX_PROBES), (ssize_t) (sizeof(int) * MAX_PROBES));
        close(pipefd[0]);
        ASSERT_EQ(waitpid(pid, &status, 0), pid);
        ASSERT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0);
}

/* The service, restricted by "grants", swaps "rel" (a directory, or nothing) for a symlink to "target",
 * as a compromised service would between two starts. Asserts that its own policy let it. */
static void service_plants_symlink(const Grant *grants, const char *target, const char *rel) {
        _cleanup_(build_done) Build b;
        int pipefd[2], status, v[2];
        pid_t pid;

        build(grants, &b);
        ASSERT_OK(b.r);
        ASSERT_OK(pipe2(pipefd, O_CLOEXEC));
        fflush(stdout);
        pid = fork();
        ASSERT_TRUE(pid >= 0);
        if (pid == 0) {
                char old[PATH_MAX];

                if (landlock_restrict_process(b.fd, &(LandlockRestrictOptions) { .abi = (unsigned) abi }, NULL) < 0)
                        _exit(100);
                snprintf(old, sizeof old, "%s.old", at(rel));
                v[0] = rename(at(rel), old) < 0 && errno != ENOENT ? errno : 0;
                v[1] = symlink(target, at(rel)) < 0 ? errno : 0;
                if (write(pipefd[1], v, sizeof v) != sizeof v)
                        _exit(101);
                _exit(0);
        }
        close(pipefd[1]);
        ASSERT_EQ(read(pipefd[0], v, sizeof v), (ssize_t) sizeof v);
        close(pipefd[0]);
        ASSERT_EQ(waitpid(pid, &status, 0), pid);
        ASSERT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0);
        ASSERT_EQ(v[0], 0);             /* the service may move its directory away… */
        ASSERT_EQ(v[1], 0);             /* …and put a symlink in its place */
}

/* ---- The attack ---- */

static const Grant state_and_programs[] = {
        { "foo", "rw" },
        { "foo/bin", "rx" },
        {}
};

TEST(swapped_symlink_to_root_is_not_followed_at_next_start) {
        _cleanup_(build_done) Build b;
        _cleanup_free_ char *expected = NULL;
        int v[MAX_PROBES];

        need_landlock();
        setup_tree();
        service_plants_symlink(state_and_programs, "/", "foo/bin");

        build(state_and_programs, &b);
        if (b.r >= 0) {
                /* Before the fix: the rule followed foo/bin to "/" and granted rx on everything. */
                probe_in_child(b.fd, (const Probe[]) {
                                { at("secret/key"), O_RDONLY },
                                { "/etc/passwd", O_RDONLY },
                                {} }, v);
                test_fail(__FILE__, __LINE__, "the ruleset was built through the service's symlink: the child's "
                          "open() of %s and /etc/passwd returned errno %d and %d (0 = read allowed)",
                          at("secret/key"), v[0], v[1]);
        }
        ASSERT_ERROR(b.r, ELOOP);
        ASSERT_TRUE(asprintf(&expected, "refusing the required path %s: not following the symlink %s -> / on the "
                             "way to %s: it lies in %s, where the service may create, remove or rename entries (rule "
                             "from test.service:7). The service could make it point anywhere; name the symlink's "
                             "target in the rule instead", at("foo/bin"), at("foo/bin"), at("foo/bin"), at("foo")) > 0);
        ASSERT_STREQ(b.error, expected);
}

TEST(symlink_to_a_secret_planted_for_an_optional_path_is_skipped) {
        static const Grant grants[] = {
                { "foo", "rw" },
                { "foo/plugins", "ro", .optional = true },
                {}
        };
        _cleanup_(build_done) Build before, after;
        int v[MAX_PROBES];

        need_landlock();
        setup_tree();
        /* First start: the optional path does not exist and is skipped as missing. */
        build(grants, &before);
        ASSERT_OK(before.r);
        ASSERT_EQ(before.report.n_skipped, 1);
        ASSERT_EQ(before.report.skipped[0].error, -ENOENT);
        ASSERT_TRUE(before.report.skipped[0].message == NULL);

        service_plants_symlink(grants, at("secret"), "foo/plugins");

        /* Next start: the optional rule is skipped with a warning naming the symlink; the rest holds. */
        build(grants, &after);
        ASSERT_OK(after.r);
        ASSERT_EQ(after.report.n_path_rules, 1);
        ASSERT_EQ(after.report.n_skipped, 1);
        ASSERT_EQ(after.report.skipped[0].error, -ELOOP);
        assert_contains(after.report.skipped[0].message, "Skipping optional path ");
        assert_contains(after.report.skipped[0].message, at("foo/plugins"));
        assert_contains(after.report.skipped[0].message, "-> ");
        assert_contains(after.report.skipped[0].message, at("secret"));
        probe_in_child(after.fd, (const Probe[]) {
                        { at("secret/key"), O_RDONLY },
                        { at("foo/plugins/key"), O_RDONLY },
                        { at("foo/bin/tool"), O_RDWR },
                        {} }, v);
        ASSERT_EQ(v[0], EACCES);
        ASSERT_EQ(v[1], EACCES);
        ASSERT_EQ(v[2], 0);
}

/* ---- Legitimate symlinks ---- */

TEST(symlinks_outside_writable_areas_are_followed) {
        _cleanup_free_ char *abs_target = NULL;
        _cleanup_(build_done) Build b;
        int v[MAX_PROBES];

        need_landlock();
        setup_tree();
        make_dir("a");
        make_dir("a/b");
        make_link("../../usr/share", "a/b/up");         /* ".." from where the symlink is, not from the text */
        make_link("a/b", "x");
        abs_target = strdup(at("usr/share/certs"));
        ASSERT_TRUE(abs_target);
        make_link(abs_target, "abs");

        build((const Grant[]) {
                        { "foo", "rw" },
                        { "lib", "rx" },                /* T/lib -> usr/lib */
                        { "etc/ssl/certs", "ro" },      /* -> ../../usr/share/certs */
                        { "x/up/certs/ca.pem", "ro" },  /* T/x -> a/b, then up -> ../../usr/share */
                        { "abs/", "ro" },               /* absolute target, trailing slash */
                        {} }, &b);
        ASSERT_OK(b.r);
        ASSERT_EQ(b.report.n_path_rules, 5);
        ASSERT_EQ(b.report.n_skipped, 0);
        probe_in_child(b.fd, (const Probe[]) {
                        { at("usr/lib/libx.so"), O_RDONLY },
                        { at("lib/libx.so"), O_RDONLY },
                        { at("usr/share/certs/ca.pem"), O_RDONLY },
                        { at("etc/ssl/certs/ca.pem"), O_RDONLY },
                        { at("secret/key"), O_RDONLY },
                        { at("usr/lib/libx.so"), O_WRONLY },
                        {} }, v);
        ASSERT_EQ(v[0], 0);
        ASSERT_EQ(v[1], 0);
        ASSERT_EQ(v[2], 0);
        ASSERT_EQ(v[3], 0);
        ASSERT_EQ(v[4], EACCES);
        ASSERT_EQ(v[5], EACCES);
}

TEST(writable_area_reached_through_another_symlink_still_counts) {
        _cleanup_(build_done) Build b;

        /* T/srv/data -> T/foo/x (a symlink outside the writable area, followed) and T/foo/x/bin a symlink
         * inside it: not followed. */
        need_landlock();
        setup_tree();
        make_dir("foo/x");
        make_dir("srv");
        make_link(at("foo/x"), "srv/data");
        make_link("/", "foo/x/bin");
        build((const Grant[]) {
                        { "foo", "rw" },
                        { "srv/data/bin", "rx" },
                        {} }, &b);
        ASSERT_ERROR(b.r, ELOOP);
        assert_contains(b.error, "not following the symlink ");
        assert_contains(b.error, at("foo/x/bin"));
        assert_contains(b.error, "it lies in ");
        assert_contains(b.error, at("foo/x"));
        assert_contains(b.error, ", beneath ");
}

TEST(nested_writable_and_read_only_rules) {
        _cleanup_(build_done) Build ok, refused;
        int v[MAX_PROBES];

        /* T/r is read-only and holds the writable T/r/w: a symlink in T/r is followed, one in T/r/w is not. */
        need_landlock();
        setup_tree();
        make_dir("r");
        make_dir("r/w");
        make_dir("r/ro");
        make_link("../usr/share/certs", "r/certs");
        make_link("../../usr/lib", "r/w/lib");
        build((const Grant[]) {
                        { "r", "ro" },
                        { "r/w", "rw" },
                        { "r/ro", "ro" },               /* a plain directory next to the writable one */
                        { "r/certs", "ro" },
                        {} }, &ok);
        ASSERT_OK(ok.r);
        ASSERT_EQ(ok.report.n_path_rules, 4);
        probe_in_child(ok.fd, (const Probe[]) {
                        { at("usr/share/certs/ca.pem"), O_RDONLY },
                        { at("r/w/new"), O_CREAT|O_WRONLY },
                        { at("r/ro/new"), O_CREAT|O_WRONLY },
                        {} }, v);
        ASSERT_EQ(v[0], 0);
        ASSERT_EQ(v[1], 0);
        ASSERT_EQ(v[2], EACCES);

        build((const Grant[]) {
                        { "r", "ro" },
                        { "r/w", "rw" },
                        { "r/w/lib", "rx" },
                        {} }, &refused);
        ASSERT_ERROR(refused.r, ELOOP);
        assert_contains(refused.error, at("r/w/lib"));
}

/* ---- Loops ---- */

TEST(symlink_loop_fails_a_required_path_and_skips_an_optional_one) {
        _cleanup_(build_done) Build req, opt;

        need_landlock();
        setup_tree();
        make_link("loop2", "loop1");
        make_link("loop1", "loop2");
        build((const Grant[]) { { "loop1", "ro" }, {} }, &req);
        ASSERT_ERROR(req.r, ELOOP);
        assert_contains(req.error, "too many levels of symbolic links on the way to ");

        build((const Grant[]) { { "usr", "ro" }, { "loop1/x", "ro", .optional = true }, {} }, &opt);
        ASSERT_OK(opt.r);
        ASSERT_EQ(opt.report.n_path_rules, 1);
        ASSERT_EQ(opt.report.n_skipped, 1);
        ASSERT_EQ(opt.report.skipped[0].error, -ELOOP);
        assert_contains(opt.report.skipped[0].message, "too many levels of symbolic links");
}

/* ---- A writable rule on "/" ---- */

TEST(writable_root_makes_every_symlink_unfollowable) {
        _cleanup_(build_done) Build via_link, direct;
        int v[MAX_PROBES];

        /* With rw on "/", the service may replace any symlink: T/lib -> usr/lib is refused too, while the
         * same grant written without the symlink works. */
        need_landlock();
        setup_tree();
        build((const Grant[]) { { "/", "rw" }, { "lib", "rx" }, {} }, &via_link);
        ASSERT_ERROR(via_link.r, ELOOP);
        assert_contains(via_link.error, ", beneath /, where the service may create, remove or rename entries (rule from test.service:7)");

        build((const Grant[]) { { "/", "rw" }, { "usr/lib", "rx" }, {} }, &direct);
        ASSERT_OK(direct.r);
        probe_in_child(direct.fd, (const Probe[]) { { at("usr/lib/libx.so"), O_RDONLY }, {} }, v);
        ASSERT_EQ(v[0], 0);
}

/* ---- The kernel's own conditions for following a symlink ---- */

/* fs.protected_symlinks: in a sticky world-writable directory, a symlink owned by neither the follower nor
 * the directory's owner is not followed (EACCES), whatever the sysctl says. Each case once as the last
 * component of the rule path and once in the middle of it. */
TEST(symlink_in_a_sticky_world_writable_directory_follows_protected_symlinks) {
        _cleanup_(build_done) Build foreign_last, foreign_middle, owners_last, owners_middle, mine;

        need_landlock();
        if (geteuid() != 0)
                test_skip("symlinks of other owners need root");
        setup_tree();
        make_dir("pub");
        ASSERT_OK(RET_NERRNO(chown(at("pub"), 1000, 1000)));
        ASSERT_OK(RET_NERRNO(chmod(at("pub"), 01777)));
        make_link("../usr/lib", "pub/foreign");
        ASSERT_OK(RET_NERRNO(lchown(at("pub/foreign"), 65534, 65534)));
        make_link("../usr/lib", "pub/owners");
        ASSERT_OK(RET_NERRNO(lchown(at("pub/owners"), 1000, 1000)));
        make_link("../usr/lib", "pub/mine");            /* root's: the follower's own */

        build((const Grant[]) { { "foo", "rw" }, { "pub/foreign", "ro" }, {} }, &foreign_last);
        ASSERT_ERROR(foreign_last.r, EACCES);
        assert_contains(foreign_last.error, "sticky world-writable directory and owned by someone else");
        build((const Grant[]) { { "foo", "rw" }, { "pub/foreign/libx.so", "ro" }, {} }, &foreign_middle);
        ASSERT_ERROR(foreign_middle.r, EACCES);
        assert_contains(foreign_middle.error, "fs.protected_symlinks");

        build((const Grant[]) { { "foo", "rw" }, { "pub/owners", "ro" }, {} }, &owners_last);
        ASSERT_OK(owners_last.r);
        build((const Grant[]) { { "foo", "rw" }, { "pub/owners/libx.so", "ro" }, {} }, &owners_middle);
        ASSERT_OK(owners_middle.r);
        build((const Grant[]) { { "foo", "rw" }, { "pub/mine/", "ro" }, {} }, &mine);
        ASSERT_OK(mine.r);
}

/* ---- Bind mounts (a private mount namespace; needs CAP_SYS_ADMIN) ---- */

static void need_mount_namespace(void) {
        if (geteuid() != 0)
                test_skip("bind mounts need root");
}

/* Runs "fn" in a child with its own mount namespace, twice: with the mount table read from
 * /proc/self/mountinfo, then listed (on a kernel without listmount() the second run reads mountinfo too). */
static void in_mount_namespace(void (*fn)(void)) {
        for (int listed = 0; listed <= 1; listed++) {
                printf("# mount table %s\n", listed ? "listed (listmount())" : "from /proc/self/mountinfo");
                list_mounts = listed;
                test_in_mount_namespace(fn);
        }
        list_mounts = false;
}

#define CHILD_ASSERT(expr)                                                      \
        do {                                                                    \
                if (!(expr)) {                                                  \
                        printf("# %s:%d: expected %s\n", __FILE__, __LINE__, #expr); \
                        fflush(stdout);                                         \
                        _exit(1);                                               \
                }                                                               \
        } while (0)

static void bind(const char *from, const char *to) {
        CHILD_ASSERT(mount(at(from), at(to), NULL, MS_BIND, NULL) == 0);
}

/* A filesystem mounted "nosymfollow": its symlinks are not followed (ELOOP), as the kernel refuses them. */
static void child_nosymfollow(void) {
        _cleanup_(build_done) Build last, middle, elsewhere;

        CHILD_ASSERT(mount("tmpfs", at("nsf"), "tmpfs", MS_NOSYMFOLLOW, "size=1m") == 0);
        CHILD_ASSERT(symlink(at("usr/lib"), at("nsf/link")) == 0);
        build((const Grant[]) { { "foo", "rw" }, { "nsf/link", "ro" }, {} }, &last);
        CHILD_ASSERT(last.r == -ELOOP);
        CHILD_ASSERT(strstr(last.error, "mounted nosymfollow"));
        build((const Grant[]) { { "foo", "rw" }, { "nsf/link/libx.so", "ro" }, {} }, &middle);
        CHILD_ASSERT(middle.r == -ELOOP);
        CHILD_ASSERT(strstr(middle.error, "mounted nosymfollow"));
        build((const Grant[]) { { "foo", "rw" }, { "lib", "rx" }, {} }, &elsewhere);
        CHILD_ASSERT(elsewhere.r == 0);
}

#ifndef MS_NOSYMFOLLOW
#define MS_NOSYMFOLLOW 256
#endif

TEST(symlink_on_a_nosymfollow_mount_is_not_followed) {
        need_landlock();
        if (geteuid() != 0)
                test_skip("mounts need root");
        setup_tree();
        make_dir("nsf");
        test_in_mount_namespace(child_nosymfollow);
}

/* T/opt (read-only for the service) is also bound beneath its writable T/foo: the service can swap
 * T/opt/bin through T/foo/mnt/bin, although T/opt is beneath no writable rule. */
static void child_bind_beneath_writable(void) {
        _cleanup_(build_done) Build b;

        bind("opt", "foo/mnt");
        build((const Grant[]) { { "foo", "rw" }, { "opt/bin", "rx" }, {} }, &b);
        CHILD_ASSERT(b.r == -ELOOP);
        CHILD_ASSERT(strstr(b.error, "through a bind mount"));
        CHILD_ASSERT(strstr(b.error, at("foo/mnt/bin")) || strstr(b.error, at("foo/mnt")));
}

TEST(directory_bound_beneath_a_writable_area_counts_as_writable) {
        need_landlock();
        need_mount_namespace();
        setup_tree();
        make_dir("opt");
        make_dir("foo/mnt");
        make_link("../usr/lib", "opt/bin");
        in_mount_namespace(child_bind_beneath_writable);
}

/* T/foo/sub (writable through T/foo) is also bound at T/pub: a symlink in T/pub is in the writable area
 * although walking up from T/pub never meets T/foo. */
static void child_writable_subdirectory_bound_elsewhere(void) {
        _cleanup_(build_done) Build b;

        bind("foo/sub", "pub");
        build((const Grant[]) { { "foo", "rw" }, { "pub/bin", "rx" }, {} }, &b);
        CHILD_ASSERT(b.r == -ELOOP);
        CHILD_ASSERT(strstr(b.error, "which the service can also reach as "));
        CHILD_ASSERT(strstr(b.error, at("foo/sub")));
}

TEST(writable_subdirectory_bound_elsewhere_counts_as_writable) {
        need_landlock();
        need_mount_namespace();
        setup_tree();
        make_dir("foo/sub");
        make_dir("pub");
        make_link("/", "foo/sub/bin");
        in_mount_namespace(child_writable_subdirectory_bound_elsewhere);
}

/* The writable rule names the bind mount (BindPaths=T/foo:T/srv/data); the symlink is under the original
 * path: the same inode, so the same area. */
static void child_writable_rule_through_bind(void) {
        _cleanup_(build_done) Build b;

        bind("foo", "srv/data");
        build((const Grant[]) { { "srv/data", "rw" }, { "foo/bin", "rx" }, {} }, &b);
        CHILD_ASSERT(b.r == -ELOOP);
        CHILD_ASSERT(strstr(b.error, "it lies in "));
        CHILD_ASSERT(strstr(b.error, at("foo")));
        CHILD_ASSERT(strstr(b.error, ", which is "));
        CHILD_ASSERT(strstr(b.error, at("srv/data")));
}

TEST(writable_rule_through_a_bind_mount_covers_the_original_path) {
        need_landlock();
        need_mount_namespace();
        setup_tree();
        make_dir("srv");
        make_dir("srv/data");
        ASSERT_OK(RET_NERRNO(rename(at("foo/bin"), at("foo/bin.real"))));
        make_link("bin.real", "foo/bin");
        in_mount_namespace(child_writable_rule_through_bind);
}

/* Unrelated bind mounts change nothing: a symlink in a read-only bound directory is followed. */
static void child_unrelated_bind(void) {
        _cleanup_(build_done) Build b;
        int v[MAX_PROBES];

        bind("usr", "usr2");
        build((const Grant[]) { { "foo", "rw" }, { "usr2/libs", "rx" }, {} }, &b);
        CHILD_ASSERT(b.r == 0);
        probe_in_child(b.fd, (const Probe[]) { { at("usr/lib/libx.so"), O_RDONLY }, {} }, v);
        CHILD_ASSERT(v[0] == 0);
}

TEST(unrelated_bind_mounts_keep_symlinks_working) {
        need_landlock();
        need_mount_namespace();
        setup_tree();
        make_dir("usr2");
        make_link("lib", "usr/libs");
        in_mount_namespace(child_unrelated_bind);
}

/* A namespace file bound on a file ("ip netns add" makes /run/netns/NAME so, and every service on the
 * host sees it): nsfs shows it as "net:[…]", no directory. It once made the whole mount table unreadable,
 * and every symlinked rule of a unit with a writable area was refused. */
static void child_with_namespace_file(void) {
        _cleanup_(build_done) Build b;
        int fd, v[MAX_PROBES];

        fd = open(at("netns"), O_CREAT|O_WRONLY|O_CLOEXEC, 0644);
        CHILD_ASSERT(fd >= 0);
        close(fd);
        CHILD_ASSERT(mount("/proc/self/ns/net", at("netns"), NULL, MS_BIND, NULL) == 0);
        build((const Grant[]) { { "foo", "rw" }, { "lib", "rx" }, {} }, &b);
        CHILD_ASSERT(b.r == 0);
        probe_in_child(b.fd, (const Probe[]) { { at("usr/lib/libx.so"), O_RDONLY }, {} }, v);
        CHILD_ASSERT(v[0] == 0);
}

TEST(namespace_file_mount_keeps_symlinks_working) {
        need_landlock();
        need_mount_namespace();
        setup_tree();
        in_mount_namespace(child_with_namespace_file);
}

/* Rooted in a directory that is no mount root (RootDirectory= without namespacing): the mount of the root
 * directory is out of its reach, and has no mount point to show (statmount() gives none on Linux 6.18).
 * That mount shows no directory, as mountinfo leaves it out; a bind mount of the same filesystem into the
 * root keeps its symlinked rule. */
static void child_rooted_in_a_subdirectory(void) {
        _cleanup_(build_done) Build b;
        int v[MAX_PROBES];

        CHILD_ASSERT(mount("tmpfs", at("chfs"), "tmpfs", 0, "size=1m") == 0);
        CHILD_ASSERT(mkdir(at("chfs/ch"), 0755) == 0 && mkdir(at("chfs/ch/data"), 0755) == 0);
        CHILD_ASSERT(mkdir(at("chfs/ch/state"), 0755) == 0 && mkdir(at("chfs/ch/proc"), 0755) == 0);
        CHILD_ASSERT(mkdir(at("chfs/shared"), 0755) == 0 && mkdir(at("chfs/shared/real"), 0755) == 0);
        CHILD_ASSERT(close(open(at("chfs/shared/real/file"), O_CREAT|O_WRONLY|O_CLOEXEC, 0644)) == 0);
        CHILD_ASSERT(symlink("real", at("chfs/shared/link")) == 0);
        CHILD_ASSERT(mount(at("chfs/shared"), at("chfs/ch/data"), NULL, MS_BIND, NULL) == 0);
        CHILD_ASSERT(mount("tmpfs", at("chfs/ch/state"), "tmpfs", 0, "size=1m") == 0);
        CHILD_ASSERT(mount("proc", at("chfs/ch/proc"), "proc", 0, NULL) == 0);
        CHILD_ASSERT(chroot(at("chfs/ch")) == 0 && chdir("/") == 0);
        build((const Grant[]) { { "/state", "rw" }, { "/data/link", "ro" }, {} }, &b);
        CHILD_ASSERT(b.r == 0);
        probe_in_child(b.fd, (const Probe[]) { { "/data/link/file", O_RDONLY }, {} }, v);
        CHILD_ASSERT(v[0] == 0);
}

TEST(rooted_in_a_subdirectory_keeps_symlinks_working) {
        need_landlock();
        need_mount_namespace();
        setup_tree();
        make_dir("chfs");
        in_mount_namespace(child_rooted_in_a_subdirectory);
}

/* With more mounts than listing pays for (32), the table is read from mountinfo: here, with /proc hidden,
 * that fails and the symlink counts as writable, where a listing would have read it. */
static void child_many_mounts_without_proc(void) {
        _cleanup_(build_done) Build b;

        for (unsigned i = 0; i < 40; i++) {
                char rel[32];

                snprintf(rel, sizeof rel, "many/%u", i);
                CHILD_ASSERT(mkdir(at(rel), 0755) == 0 || errno == EEXIST);
                CHILD_ASSERT(mount("tmpfs", at(rel), "tmpfs", 0, "size=64k") == 0);
        }
        CHILD_ASSERT(mount("tmpfs", "/proc", "tmpfs", 0, NULL) == 0);
        build((const Grant[]) { { "foo", "rw" }, { "lib", "rx" }, {} }, &b);
        CHILD_ASSERT(b.r == -ELOOP);
        CHILD_ASSERT(strstr(b.error, "cannot be told: cannot open /proc/self/mountinfo"));
}

TEST(many_mounts_are_read_from_mountinfo) {
        need_landlock();
        need_mount_namespace();
        setup_tree();
        make_dir("many");
        in_mount_namespace(child_many_mounts_without_proc);
}

/* Without /proc/self/mountinfo, bind mounts cannot be seen: a symlink that walking up does not place in
 * a writable area is refused all the same, since it might be. A listed table needs no /proc: there the
 * symlink, in no writable area, is followed. */
static void child_without_proc(void) {
        _cleanup_(build_done) Build b;
        int v[MAX_PROBES];

        CHILD_ASSERT(mount("tmpfs", "/proc", "tmpfs", 0, NULL) == 0);
        build((const Grant[]) { { "foo", "rw" }, { "lib", "rx" }, {} }, &b);
        if (list_mounts && test_kernel_at_least(6, 8)) {
                CHILD_ASSERT(b.r == 0);
                probe_in_child(b.fd, (const Probe[]) { { at("usr/lib/libx.so"), O_RDONLY }, {} }, v);
                CHILD_ASSERT(v[0] == 0);
                return;
        }
        CHILD_ASSERT(b.r == -ELOOP);
        CHILD_ASSERT(strstr(b.error, "cannot be told: cannot open /proc/self/mountinfo"));
        CHILD_ASSERT(strstr(b.error, "/proc/self/mountinfo"));
}

TEST(unknown_mount_table_counts_as_writable) {
        need_landlock();
        need_mount_namespace();
        setup_tree();
        in_mount_namespace(child_without_proc);
}

/* No writable rule: nothing to check, every symlink is followed (even one in a world-writable place the
 * service cannot write under this policy). */
TEST(policy_without_writable_rules_follows_symlinks) {
        _cleanup_(build_done) Build b;
        int v[MAX_PROBES];

        need_landlock();
        setup_tree();
        make_link("/", "foo/root");
        build((const Grant[]) { { "foo/root/etc/passwd", "ro" }, { "lib", "rx" }, {} }, &b);
        ASSERT_OK(b.r);
        probe_in_child(b.fd, (const Probe[]) { { "/etc/passwd", O_RDONLY }, { at("secret/key"), O_RDONLY }, {} }, v);
        ASSERT_EQ(v[0], 0);
        ASSERT_EQ(v[1], EACCES);
}
