/* SPDX-License-Identifier: LGPL-2.1-or-later */

/* UDP port rules (ABI 10) and resolve-unix (ABI 9): enforced where the kernel has them, and on older
 * kernels really left unrestricted, as the best-effort drop says. */

#include <fcntl.h>
#include <sys/socket.h>

#include "qemu-test.h"

#define PORT_UDP_ALLOWED 7201
#define PORT_UDP_DENIED  7202
#define SOCKET_PATH      FIXTURE_DIR "/sock/s"

typedef struct NetContext {
        int ruleset_fd;
        const LandlockCompiled *c;
        uint64_t checks;        /* which family of attempts the child makes */
} NetContext;

static int child_udp(void *userdata) {
        NetContext *ctx = userdata;
        bool udp = ctx->c->abi >= 10;
        int fails = 0;

        if (restrict_self_with(ctx->ruleset_fd, ctx->c) < 0)
                return CHILD_SETUP_FAILED;

        if (ctx->checks == LANDLOCK_ACCESS_NET_BIND_UDP) {
                fails += expect_result("bind udp allowed port", try_bind(SOCK_DGRAM, PORT_UDP_ALLOWED), 0);
                fails += expect_result("bind udp other port", try_bind(SOCK_DGRAM, PORT_UDP_DENIED),
                                       udp ? -EACCES : 0);
                /* TCP is not handled by this policy: the same port stays free for TCP. */
                fails += expect_result("bind tcp other port (tcp not handled)", try_bind(SOCK_STREAM, PORT_UDP_DENIED), 0);
                fails += expect_result("read denied/file", try_open(FIXTURE_DIR "/denied/file", O_RDONLY), -EACCES);
        } else {
                fails += expect_result("sendto udp allowed port", try_udp_sendto(PORT_UDP_ALLOWED), 0);
                fails += expect_result("sendto udp other port", try_udp_sendto(PORT_UDP_DENIED),
                                       udp ? -EACCES : 0);
                fails += expect_result("connect udp allowed port", try_connect(SOCK_DGRAM, PORT_UDP_ALLOWED), 0);
                fails += expect_result("connect udp other port", try_connect(SOCK_DGRAM, PORT_UDP_DENIED),
                                       udp ? -EACCES : 0);
        }
        return fails;
}

static void check_udp(uint64_t access) {
        _cleanup_(landlock_policy_done) LandlockPolicy p = LANDLOCK_POLICY_INIT;
        _cleanup_(landlock_compiled_done) LandlockCompiled c = {};
        _cleanup_close_ int fd = -EBADF;
        unsigned abi = (unsigned) expected_abi();

        if (abi == 0)
                return;
        ASSERT_OK(landlock_policy_add_port(&p, access, PORT_UDP_ALLOWED, PORT_UDP_ALLOWED, NULL));
        /* A filesystem rule too, so that the domain is real on every kernel, also where the UDP rules are
         * dropped. */
        ASSERT_OK(landlock_policy_add_path(&p, FIXTURE_DIR "/ro", access_from_string("ro"), 0, false, NULL));
        ASSERT_OK(compile_and_build(&p, abi, &c, &fd));
        ASSERT_U64_EQ(c.handled_net, abi >= 10 ? access : 0);
        ASSERT_EQ(fork_and_wait(child_udp, &(NetContext) { fd, &c, access }), 0);
}

TEST(udp_bind_rules_enforced_from_abi_10) {
        check_udp(LANDLOCK_ACCESS_NET_BIND_UDP);
}

TEST(udp_connect_send_rules_enforced_from_abi_10) {
        check_udp(LANDLOCK_ACCESS_NET_CONNECT_SEND_UDP);
}

static int child_unix(void *userdata) {
        NetContext *ctx = userdata;
        bool granted = ctx->checks != 0, handled = ctx->c->abi >= 9;

        if (restrict_self_with(ctx->ruleset_fd, ctx->c) < 0)
                return CHILD_SETUP_FAILED;
        return expect_result(granted ? "connect to a socket under a resolve-unix rule"
                                     : "connect to a socket outside the rules",
                             try_connect_unix(SOCKET_PATH), handled && !granted ? -EACCES : 0);
}

static void check_resolve_unix(bool granted) {
        _cleanup_(landlock_policy_done) LandlockPolicy p = LANDLOCK_POLICY_INIT;
        _cleanup_(landlock_compiled_done) LandlockCompiled c = {};
        _cleanup_close_ int fd = -EBADF, listener = -EBADF;
        unsigned abi = (unsigned) expected_abi();
        uint64_t access, named;

        if (abi == 0)
                return;
        ASSERT_OK(fixture_setup());
        ASSERT_OK(listener = listen_unix(SOCKET_PATH));

        ASSERT_OK(landlock_policy_add_path(&p, FIXTURE_DIR "/ro", access_from_string("ro"), 0, false, NULL));
        if (granted) {
                ASSERT_OK(landlock_parse_access("ro,resolve-unix", &access, &named, NULL));
                ASSERT_OK(landlock_policy_add_path(&p, FIXTURE_DIR "/sock", access, named, false, NULL));
        }
        ASSERT_OK(compile_and_build(&p, abi, &c, &fd));
        ASSERT_EQ(!!(c.handled_fs & LANDLOCK_ACCESS_FS_RESOLVE_UNIX), abi >= 9);
        ASSERT_EQ(fork_and_wait(child_unix, &(NetContext) { fd, &c, granted }), 0);
}

TEST(resolve_unix_denies_sockets_outside_the_rules_from_abi_9) {
        check_resolve_unix(false);
}

TEST(resolve_unix_grant_allows_the_socket) {
        check_resolve_unix(true);
}
