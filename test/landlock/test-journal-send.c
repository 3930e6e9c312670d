/* SPDX-License-Identifier: LGPL-2.1-or-later */

/* The native-protocol writer: what arrives on a datagram socket standing in for journald's. */

#include <sys/socket.h>
#include <sys/un.h>

#include "journal-send.h"
#include "macro.h"
#include "tests.h"

static int listen_at(const char *path) {
        struct sockaddr_un sa = { .sun_family = AF_UNIX };
        int fd = socket(AF_UNIX, SOCK_DGRAM|SOCK_CLOEXEC, 0);

        ASSERT_TRUE(fd >= 0);
        strcpy(sa.sun_path, path);
        unlink(path);
        ASSERT_OK(bind(fd, (struct sockaddr *) &sa, sizeof sa));
        return fd;
}

TEST(fields_arrive_as_lines_and_multiline_values_in_binary_form) {
        char path[] = "/tmp/test-journal-send-XXXXXX", sock[64], buf[512];
        char *fields[] = { (char *) "MESSAGE=hello", (char *) "LANDLOCK_PID=42", (char *) "LANDLOCK_ARGV=a\nb" };
        static const char expected[] = "MESSAGE=hello\nLANDLOCK_PID=42\nLANDLOCK_ARGV\n\3\0\0\0\0\0\0\0a\nb\n";

        ASSERT_TRUE(mkdtemp(path) != NULL);
        snprintf(sock, sizeof sock, "%s/socket", path);
        int fd = listen_at(sock);

        ASSERT_OK(journal_send_fields(sock, fields, ELEMENTSOF(fields)));
        ssize_t n = recv(fd, buf, sizeof buf, 0);
        ASSERT_EQ(n, (ssize_t) sizeof expected - 1);
        ASSERT_TRUE(memcmp(buf, expected, n) == 0);

        close(fd);
        unlink(sock);
        rmdir(path);
}

TEST(no_journal_is_an_error_not_a_crash) {
        char *fields[] = { (char *) "MESSAGE=x" };

        ASSERT_EQ(journal_send_fields("/nonexistent/socket", fields, 1), -ENOENT);
        ASSERT_EQ(journal_send_fields("/tmp/x", (char *[]) { (char *) "novalue" }, 1), -EINVAL);
}
