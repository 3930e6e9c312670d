/* SPDX-License-Identifier: LGPL-2.1-or-later */

/* audit-enable 0|1: what "auditctl -e N" does (AUDIT_SET with AUDIT_STATUS_ENABLED), for the audit test's
 * guest, which has no auditd package. */

#include <linux/audit.h>
#include <linux/netlink.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

int main(int argc, char *argv[]) {
        struct {
                struct nlmsghdr h;
                struct audit_status s;
        } req = {
                .h = {
                        .nlmsg_len = NLMSG_LENGTH(sizeof(struct audit_status)),
                        .nlmsg_type = AUDIT_SET,
                        .nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK,
                        .nlmsg_seq = 1,
                },
                .s = { .mask = AUDIT_STATUS_ENABLED },
        };
        struct sockaddr_nl sa = { .nl_family = AF_NETLINK };
        char buf[4096];
        int fd;

        if (argc != 2 || (strcmp(argv[1], "0") != 0 && strcmp(argv[1], "1") != 0)) {
                fprintf(stderr, "usage: audit-enable 0|1\n");
                return 2;
        }
        req.s.enabled = (unsigned) atoi(argv[1]);

        fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_AUDIT);
        if (fd < 0 || sendto(fd, &req, req.h.nlmsg_len, 0, (struct sockaddr *) &sa, sizeof sa) < 0) {
                perror("audit-enable: AUDIT_SET");
                return 1;
        }
        for (;;) {
                ssize_t n = recv(fd, buf, sizeof buf, 0);
                if (n < 0) {
                        perror("audit-enable: recv");
                        return 1;
                }
                for (struct nlmsghdr *h = (struct nlmsghdr *) buf; NLMSG_OK(h, (size_t) n); h = NLMSG_NEXT(h, n))
                        if (h->nlmsg_type == NLMSG_ERROR) {
                                const struct nlmsgerr *e = NLMSG_DATA(h);
                                if (e->error != 0) {
                                        fprintf(stderr, "audit-enable: AUDIT_SET: %s\n", strerror(-e->error));
                                        return 1;
                                }
                                return 0;
                        }
        }
}
