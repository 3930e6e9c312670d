/* SPDX-License-Identifier: LGPL-2.1-or-later */

/* Best-effort compilation on this kernel drops exactly what the ABI table says the kernel lacks, the
 * ruleset then enforces what remains (real open/bind/connect attempts in restricted children), and strict
 * mode refuses what the kernel lacks. */

#include <fcntl.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/un.h>

#include "qemu-test.h"

#define PORT_BIND_ALLOWED    7001
#define PORT_BIND_DENIED     7002
#define PORT_CONNECT_ALLOWED 7101
#define PORT_CONNECT_DENIED  7102
#define PORT_UDP_ALLOWED     7201
#define PORT_UDP_DENIED      7202

static const uint64_t all_net = LANDLOCK_ACCESS_NET_BIND_TCP | LANDLOCK_ACCESS_NET_CONNECT_TCP |
                                LANDLOCK_ACCESS_NET_BIND_UDP | LANDLOCK_ACCESS_NET_CONNECT_SEND_UDP;

/* Everything the project can ask for: every fs right on one directory, every network right, every
 * scope, logging on. */
static void policy_asking_for_everything(LandlockPolicy *p) {
        uint64_t all_fs = landlock_abi_mask(LANDLOCK_KIND_FS, LANDLOCK_ABI_MAX);

        ASSERT_OK(landlock_policy_add_path(p, FIXTURE_DIR "/rw", all_fs, 0, false, NULL));
        ASSERT_OK(landlock_policy_add_port(p, LANDLOCK_ACCESS_NET_BIND_TCP, PORT_BIND_ALLOWED, PORT_BIND_ALLOWED, NULL));
        ASSERT_OK(landlock_policy_add_port(p, LANDLOCK_ACCESS_NET_CONNECT_TCP, PORT_CONNECT_ALLOWED, PORT_CONNECT_ALLOWED, NULL));
        ASSERT_OK(landlock_policy_add_port(p, LANDLOCK_ACCESS_NET_BIND_UDP, PORT_UDP_ALLOWED, PORT_UDP_ALLOWED, NULL));
        ASSERT_OK(landlock_policy_add_port(p, LANDLOCK_ACCESS_NET_CONNECT_SEND_UDP, PORT_UDP_ALLOWED, PORT_UDP_ALLOWED, NULL));
        p->scoped = landlock_abi_mask(LANDLOCK_KIND_SCOPE, LANDLOCK_ABI_MAX);
        p->log = true;
}

static uint64_t dropped_bits(const LandlockCompiled *c, LandlockDropKind kind) {
        uint64_t bits = 0;

        for (size_t i = 0; i < c->n_drops; i++)
                if (c->drops[i].kind == kind)
                        bits |= c->drops[i].bits;
        return bits;
}

TEST(best_effort_drops_exactly_what_the_kernel_lacks) {
        _cleanup_(landlock_policy_done) LandlockPolicy p = LANDLOCK_POLICY_INIT;
        _cleanup_(landlock_compiled_done) LandlockCompiled c = {};
        unsigned abi = (unsigned) expected_abi();
        uint64_t lacking_fs, lacking_net, lacking_scope;

        policy_asking_for_everything(&p);
        ASSERT_OK(landlock_policy_compile(&p, (unsigned) probed_abi(), (uint32_t) expect.errata, &c, NULL));
        ASSERT_EQ(c.abi, abi);

        for (size_t i = 0; i < c.n_drops; i++) {
                printf("# drop: %s\n", c.drops[i].message);
                ASSERT_TRUE(c.drops[i].abi_needed > abi);
        }

        if (abi == 0) {
                ASSERT_EQ(c.n_drops, 1);
                ASSERT_EQ(c.drops[0].kind, LANDLOCK_DROP_ALL);
                ASSERT_TRUE(c.drops[0].weakens);
                return;
        }

        lacking_fs = landlock_abi_mask(LANDLOCK_KIND_FS, LANDLOCK_ABI_MAX) & ~landlock_abi_mask(LANDLOCK_KIND_FS, abi);
        if (abi == 1)
                lacking_fs &= ~LANDLOCK_ACCESS_FS_REFER;        /* not handled, but always denied */
        lacking_net = all_net & ~landlock_abi_mask(LANDLOCK_KIND_NET, abi);
        lacking_scope = p.scoped & ~landlock_abi_mask(LANDLOCK_KIND_SCOPE, abi);

        ASSERT_U64_EQ(c.handled_fs, landlock_abi_mask(LANDLOCK_KIND_FS, abi));
        ASSERT_U64_EQ(c.handled_net, all_net & landlock_abi_mask(LANDLOCK_KIND_NET, abi));
        ASSERT_U64_EQ(c.scoped, p.scoped & landlock_abi_mask(LANDLOCK_KIND_SCOPE, abi));

        ASSERT_U64_EQ(dropped_bits(&c, LANDLOCK_DROP_FS_HANDLED), lacking_fs);
        ASSERT_U64_EQ(dropped_bits(&c, LANDLOCK_DROP_NET), lacking_net);
        ASSERT_U64_EQ(dropped_bits(&c, LANDLOCK_DROP_SCOPE), lacking_scope);
        ASSERT_EQ(dropped_bits(&c, LANDLOCK_DROP_LOG) != 0, abi < 7);
        ASSERT_EQ(dropped_bits(&c, LANDLOCK_DROP_ALL), 0);
        ASSERT_EQ(dropped_bits(&c, LANDLOCK_DROP_FS_RULE) != 0, abi == 1);

        /* The compiled rule keeps exactly the rights this kernel handles, and the kernel takes it. */
        ASSERT_EQ(c.n_paths, 1);
        ASSERT_U64_EQ(c.paths[0].access, landlock_abi_mask(LANDLOCK_KIND_FS, abi));
}

/* ---- what remains is enforced ---- */

typedef struct EnforceContext {
        int ruleset_fd;
        const LandlockCompiled *c;
} EnforceContext;

static int child_enforce(void *userdata) {
        EnforceContext *ctx = userdata;
        unsigned abi = ctx->c->abi;
        int fails = 0;

        if (restrict_self_with(ctx->ruleset_fd, ctx->c) < 0)
                return CHILD_SETUP_FAILED;

        fails += expect_result("read ro/file", try_open(FIXTURE_DIR "/ro/file", O_RDONLY), 0);
        fails += expect_result("list ro/", try_open(FIXTURE_DIR "/ro", O_RDONLY|O_DIRECTORY), 0);
        fails += expect_result("write ro/file", try_open(FIXTURE_DIR "/ro/file", O_WRONLY), -EACCES);
        fails += expect_result("create ro/new", try_open(FIXTURE_DIR "/ro/new", O_WRONLY|O_CREAT), -EACCES);
        fails += expect_result("read denied/file", try_open(FIXTURE_DIR "/denied/file", O_RDONLY), -EACCES);
        fails += expect_result("list denied/", try_open(FIXTURE_DIR "/denied", O_RDONLY|O_DIRECTORY), -EACCES);
        fails += expect_result("read /tmp/lltest (parent of the rules)", try_open(FIXTURE_DIR, O_RDONLY|O_DIRECTORY), -EACCES);
        fails += expect_result("read+write rw/file", try_open(FIXTURE_DIR "/rw/file", O_RDWR), 0);
        fails += expect_result("create rw/new", try_open(FIXTURE_DIR "/rw/new", O_WRONLY|O_CREAT), 0);
        /* truncate: ABI 3; before that O_TRUNC on a readable-only file is still a write open. */
        fails += expect_result("truncate rw/file", truncate(FIXTURE_DIR "/rw/file", 0) < 0 ? -errno : 0, 0);

        /* TCP: ABI 4. Before it, the port rules are dropped and binding anything must work (that is
         * what the drop said). */
        fails += expect_result("bind tcp allowed port", try_bind(SOCK_STREAM, PORT_BIND_ALLOWED), 0);
        fails += expect_result("bind tcp other port", try_bind(SOCK_STREAM, PORT_BIND_DENIED),
                               abi >= 4 ? -EACCES : 0);
        fails += expect_result("connect tcp allowed port", try_connect(SOCK_STREAM, PORT_CONNECT_ALLOWED), 0);
        fails += expect_result("connect tcp other port", try_connect(SOCK_STREAM, PORT_CONNECT_DENIED),
                               abi >= 4 ? -EACCES : 0);
        return fails;
}

TEST(best_effort_ruleset_enforces_what_remains) {
        _cleanup_(landlock_policy_done) LandlockPolicy p = LANDLOCK_POLICY_INIT;
        _cleanup_(landlock_compiled_done) LandlockCompiled c = {};
        _cleanup_close_ int fd = -EBADF, l1 = -EBADF, l2 = -EBADF;
        unsigned abi = (unsigned) expected_abi();
        int r;

        if (abi == 0)
                return;         /* nothing is enforced: test-disabled.c checks that end to end */

        ASSERT_OK(landlock_policy_add_path(&p, FIXTURE_DIR "/ro", access_from_string("ro"), 0, false, NULL));
        ASSERT_OK(landlock_policy_add_path(&p, FIXTURE_DIR "/rw", access_from_string("rw"), 0, false, NULL));
        ASSERT_OK(landlock_policy_add_port(&p, LANDLOCK_ACCESS_NET_BIND_TCP, PORT_BIND_ALLOWED, PORT_BIND_ALLOWED, NULL));
        ASSERT_OK(landlock_policy_add_port(&p, LANDLOCK_ACCESS_NET_CONNECT_TCP, PORT_CONNECT_ALLOWED, PORT_CONNECT_ALLOWED, NULL));
        /* Listeners for both ports, so a refused connect can only be Landlock's doing. */
        ASSERT_OK(l1 = listen_tcp(PORT_CONNECT_ALLOWED));
        ASSERT_OK(l2 = listen_tcp(PORT_CONNECT_DENIED));
        ASSERT_OK(fixture_setup());

        ASSERT_OK(compile_and_build(&p, abi, &c, &fd));
        r = fork_and_wait(child_enforce, &(EnforceContext) { fd, &c });
        ASSERT_EQ(r, 0);
}

/* ---- strict ---- */

TEST(strict_refuses_what_the_kernel_lacks) {
        unsigned abi = (unsigned) expected_abi();

        /* One request per feature generation this project can name: each must be refused exactly when the
         * kernel lacks it, and the refusal must name it. */
        static const struct {
                const char *name;       /* as the refusal message spells it */
                unsigned abi;
        } features[] = {
                { "bind-tcp",     4 },
                { "signal",       6 },
                { "resolve-unix", 9 },
                { "bind-udp",     10 },
        };

        for (size_t i = 0; i < ELEMENTSOF(features); i++) {
                _cleanup_(landlock_policy_done) LandlockPolicy p = LANDLOCK_POLICY_INIT;
                _cleanup_(landlock_compiled_done) LandlockCompiled c = {};
                _cleanup_free_ char *error = NULL;
                uint64_t named = 0;
                int r;

                p.compat = LANDLOCK_COMPAT_STRICT;
                if (streq(features[i].name, "bind-tcp"))
                        ASSERT_OK(landlock_policy_add_port(&p, LANDLOCK_ACCESS_NET_BIND_TCP, 80, 80, NULL));
                else if (streq(features[i].name, "bind-udp"))
                        ASSERT_OK(landlock_policy_add_port(&p, LANDLOCK_ACCESS_NET_BIND_UDP, 53, 53, NULL));
                else if (streq(features[i].name, "signal"))
                        p.scoped = LANDLOCK_SCOPE_SIGNAL;
                else {
                        uint64_t a;

                        ASSERT_OK(landlock_parse_access("ro,resolve-unix", &a, &named, NULL));
                        ASSERT_OK(landlock_policy_add_path(&p, FIXTURE_DIR "/sock", a, named, false, NULL));
                }

                r = landlock_policy_compile(&p, (unsigned) probed_abi(), 0, &c, &error);
                printf("# strict %-12s (ABI %u) on ABI %u: %s\n", features[i].name, features[i].abi, abi,
                       r < 0 ? error ?: strerror(-r) : "accepted");
                if (abi >= features[i].abi) {
                        ASSERT_OK(r);
                        ASSERT_TRUE(!error);
                } else {
                        ASSERT_ERROR(r, EOPNOTSUPP);
                        ASSERT_TRUE(error);
                        /* "no Landlock at all" says so instead of naming the right */
                        ASSERT_TRUE(strstr(error, abi == 0 ? "Landlock" : features[i].name));
                }
        }
}

/* Strict with only what the kernel has: compiles, and is enforced for real. */
static int child_strict(void *userdata) {
        EnforceContext *ctx = userdata;
        int fails = 0;

        if (restrict_self_with(ctx->ruleset_fd, ctx->c) < 0)
                return CHILD_SETUP_FAILED;
        fails += expect_result("read ro/file", try_open(FIXTURE_DIR "/ro/file", O_RDONLY), 0);
        fails += expect_result("read denied/file", try_open(FIXTURE_DIR "/denied/file", O_RDONLY), -EACCES);
        return fails;
}

TEST(strict_accepts_and_enforces_what_the_kernel_has) {
        _cleanup_(landlock_policy_done) LandlockPolicy p = LANDLOCK_POLICY_INIT;
        _cleanup_(landlock_compiled_done) LandlockCompiled c = {};
        _cleanup_close_ int fd = -EBADF;
        unsigned abi = (unsigned) expected_abi();

        if (abi == 0)
                return;
        p.compat = LANDLOCK_COMPAT_STRICT;
        ASSERT_OK(landlock_policy_add_path(&p, FIXTURE_DIR "/ro", access_from_string("ro"), 0, false, NULL));
        ASSERT_OK(fixture_setup());
        ASSERT_OK(compile_and_build(&p, abi, &c, &fd));
        ASSERT_EQ(fork_and_wait(child_strict, &(EnforceContext) { fd, &c }), 0);
}

/* ---- scopes (ABI 6) ---- */

typedef struct ScopeContext {
        int ruleset_fd;
        const LandlockCompiled *c;
        pid_t outsider;                 /* a process outside the domain */
} ScopeContext;

static int connect_abstract(const char *name) {
        _cleanup_close_ int fd = -EBADF;
        struct sockaddr_un sa = { .sun_family = AF_UNIX };
        size_t l = strlen(name);

        memcpy(sa.sun_path + 1, name, l);
        fd = socket(AF_UNIX, SOCK_STREAM|SOCK_CLOEXEC, 0);
        if (fd < 0)
                return -errno;
        if (connect(fd, (struct sockaddr *) &sa, (socklen_t) (offsetof(struct sockaddr_un, sun_path) + 1 + l)) < 0)
                return -errno;
        return 0;
}

static int listen_abstract(const char *name) {
        struct sockaddr_un sa = { .sun_family = AF_UNIX };
        size_t l = strlen(name);
        int fd;

        memcpy(sa.sun_path + 1, name, l);
        fd = socket(AF_UNIX, SOCK_STREAM|SOCK_CLOEXEC, 0);
        if (fd < 0)
                return -errno;
        if (bind(fd, (struct sockaddr *) &sa, (socklen_t) (offsetof(struct sockaddr_un, sun_path) + 1 + l)) < 0 ||
            listen(fd, 4) < 0) {
                int r = -errno;
                (void) close(fd);
                return r;
        }
        return fd;
}

static int child_scopes(void *userdata) {
        ScopeContext *ctx = userdata;
        bool scoped = ctx->c->abi >= 6;
        int fails = 0;

        if (restrict_self_with(ctx->ruleset_fd, ctx->c) < 0)
                return CHILD_SETUP_FAILED;
        fails += expect_result("signal a process outside the domain",
                               kill(ctx->outsider, 0) < 0 ? -errno : 0, scoped ? -EPERM : 0);
        fails += expect_result("signal itself", kill(getpid(), 0) < 0 ? -errno : 0, 0);
        fails += expect_result("connect to an abstract socket outside the domain",
                               connect_abstract("lltest-scope"), scoped ? -EPERM : 0);
        return fails;
}

TEST(scopes_enforced_from_abi_6) {
        _cleanup_(landlock_policy_done) LandlockPolicy p = LANDLOCK_POLICY_INIT;
        _cleanup_(landlock_compiled_done) LandlockCompiled c = {};
        _cleanup_close_ int fd = -EBADF, listener = -EBADF;
        unsigned abi = (unsigned) expected_abi();
        pid_t outsider;
        int r;

        if (abi == 0)
                return;
        ASSERT_OK(landlock_parse_scope("abstract-unix-socket signal", &p.scoped, NULL));
        /* A filesystem rule too, so that the domain exists on kernels without scopes. */
        ASSERT_OK(landlock_policy_add_path(&p, FIXTURE_DIR "/ro", access_from_string("ro"), 0, false, NULL));
        ASSERT_OK(listener = listen_abstract("lltest-scope"));
        ASSERT_OK(compile_and_build(&p, abi, &c, &fd));

        outsider = fork();
        ASSERT_OK(outsider);
        if (outsider == 0) {
                pause();
                _exit(0);
        }
        r = fork_and_wait(child_scopes, &(ScopeContext) { fd, &c, outsider });
        (void) kill(outsider, SIGKILL);
        (void) waitpid(outsider, NULL, 0);
        ASSERT_EQ(r, 0);
}
