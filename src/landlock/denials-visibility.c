/* SPDX-License-Identifier: LGPL-2.1-or-later */

#include <inttypes.h>
#include <linux/audit.h>
#include <linux/netlink.h>
#include <stdio.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <systemd/sd-bus.h>

#include "denials-visibility.h"
#include "landlock-abi.h"
#include "log.h"

#define JOURNALD_AUDIT_SOCKET "systemd-journald-audit.socket"

/* AUDIT_GET over netlink: enabled, the daemon's pid, the rate limit. Needs CAP_AUDIT_CONTROL. */
static int audit_get_status(struct audit_status *ret) {
        _cleanup_close_ int fd = -EBADF;
        struct sockaddr_nl sa = { .nl_family = AF_NETLINK };
        struct nlmsghdr req = {
                .nlmsg_len = NLMSG_LENGTH(0),
                .nlmsg_type = AUDIT_GET,
                .nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK,
                .nlmsg_seq = 1,
        };
        struct timeval tv = { .tv_sec = 2 };
        union {
                struct nlmsghdr h;
                char buf[8192];
        } reply;

        fd = socket(AF_NETLINK, SOCK_RAW|SOCK_CLOEXEC, NETLINK_AUDIT);
        if (fd < 0)
                return -errno;
        (void) setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
        if (sendto(fd, &req, req.nlmsg_len, 0, (struct sockaddr *) &sa, sizeof sa) < 0)
                return -errno;

        /* The status and the acknowledgement come in either order. */
        for (int i = 0; i < 4; i++) {
                ssize_t n = recv(fd, &reply, sizeof reply, 0);
                if (n < 0)
                        return -errno;
                for (struct nlmsghdr *h = &reply.h; NLMSG_OK(h, (size_t) n); h = NLMSG_NEXT(h, n)) {
                        if (h->nlmsg_type == NLMSG_ERROR) {
                                const struct nlmsgerr *e = NLMSG_DATA(h);
                                if (e->error < 0)
                                        return e->error;
                                continue;
                        }
                        if (h->nlmsg_type == AUDIT_GET) {
                                memset(ret, 0, sizeof *ret);
                                memcpy(ret, NLMSG_DATA(h), MIN(sizeof *ret, (size_t) NLMSG_PAYLOAD(h, 0)));
                                return 0;
                        }
                }
        }
        return -EBADMSG;
}

static bool kernel_cmdline_has(const char *word) {
        _cleanup_fclose_ FILE *f = fopen("/proc/cmdline", "re");
        char buf[4096];
        size_t n = strlen(word);

        if (!f || !fgets(buf, sizeof buf, f))
                return false;
        for (char *p = buf; (p = strstr(p, word)); p += n)
                if ((p == buf || p[-1] == ' ') && (p[n] == ' ' || p[n] == '\n' || p[n] == '\0'))
                        return true;
        return false;
}

static int journal_socket_active(void) {
        _cleanup_(sd_bus_flush_close_unrefp) sd_bus *bus = NULL;
        sd_bus_error error = SD_BUS_ERROR_NULL;
        sd_bus_message *reply = NULL;
        _cleanup_free_ char *state = NULL;
        const char *path;
        int r;

        r = sd_bus_open_system(&bus);
        if (r < 0)
                return -1;
        r = sd_bus_call_method(bus, "org.freedesktop.systemd1", "/org/freedesktop/systemd1",
                               "org.freedesktop.systemd1.Manager", "LoadUnit", &error, &reply, "s",
                               JOURNALD_AUDIT_SOCKET);
        if (r < 0 || sd_bus_message_read(reply, "o", &path) < 0) {
                sd_bus_error_free(&error);
                sd_bus_message_unref(reply);
                return -1;
        }
        r = sd_bus_get_property_string(bus, "org.freedesktop.systemd1", path, "org.freedesktop.systemd1.Unit",
                                       "ActiveState", &error, &state);
        sd_bus_message_unref(reply);
        sd_bus_error_free(&error);
        if (r < 0)
                return -1;
        return streq(state, "active");
}

void audit_facts_gather(AuditFacts *ret) {
        struct audit_status st;
        int r;

        *ret = (AuditFacts) { .audit_enabled = -1, .auditd = -1, .journal_socket = -1 };

        ret->abi = landlock_abi_probe();
        ret->audit_off_at_boot = kernel_cmdline_has("audit=0");

        r = audit_get_status(&st);
        if (r < 0)
                log_debug_errno(r, "Failed to ask the kernel whether audit is enabled: %m");
        else {
                ret->audit_enabled = (int) st.enabled;
                ret->auditd = st.pid != 0;
                ret->rate_limit = st.rate_limit;
        }
        ret->journal_socket = journal_socket_active();
}

bool audit_visibility_blocks(AuditVisibility v) {
        return !IN_SET(v, AUDIT_VISIBLE, AUDIT_LOST);
}

int audit_visibility(const AuditFacts *f, char **ret_sentence) {
        char *s = NULL;
        AuditVisibility v;
        int k;

        assert(f);

        if (f->abi <= 0) {
                v = AUDIT_NO_LANDLOCK;
                k = asprintf(&s, "Landlock is not available on this kernel: nothing is enforced, so nothing is denied.");
        } else if (f->abi < LANDLOCK_ABI_AUDIT) {
                v = AUDIT_KERNEL_TOO_OLD;
                k = asprintf(&s, "Denials cannot be logged: this kernel's Landlock is ABI %i (Linux %s), and Landlock "
                             "writes audit records from ABI %i (Linux %s) on: boot a newer kernel.",
                             f->abi, strna(landlock_abi_linux_version((unsigned) f->abi)), LANDLOCK_ABI_AUDIT,
                             landlock_abi_linux_version(LANDLOCK_ABI_AUDIT));
        } else if (f->audit_off_at_boot && f->audit_enabled <= 0) {
                v = AUDIT_OFF_AT_BOOT;
                k = asprintf(&s, "Denials are not logged: the kernel was booted with audit=0, which keeps audit off "
                             "until the next boot: remove audit=0 from the kernel command line (or replace it "
                             "with audit=1) and reboot.");
        } else if (f->audit_enabled == 0) {
                v = AUDIT_DISABLED;
                k = asprintf(&s, "Denials are not logged: the kernel's audit is disabled: turn it on with "
                             "\"auditctl -e 1\" (package auditd), or boot with audit=1 on the kernel command line.");
        } else if (f->journal_socket == 0 && f->auditd == 0) {
                v = AUDIT_NO_LISTENER;
                k = asprintf(&s, "Denials reach only the kernel log, which drops most of them: let the journal "
                             "receive them with \"systemctl enable --now " JOURNALD_AUDIT_SOCKET "\".");
        } else if (f->lost_rate_limit > 0) {
                v = AUDIT_LOST;
                k = asprintf(&s, "Some denials were not logged: the kernel's audit rate limit dropped records "
                             "(%" PRIu64 " times \"audit: rate limit exceeded\"): lift it with \"auditctl -r 0\".",
                             f->lost_rate_limit);
        } else if (f->lost_backlog > 0) {
                v = AUDIT_LOST;
                k = asprintf(&s, "Some denials were not logged: the kernel's audit backlog overflowed "
                             "(%" PRIu64 " times \"audit: backlog limit exceeded\"): raise it with \"auditctl -b 8192\".",
                             f->lost_backlog);
        } else if (f->printk_suppressed > 0 && !f->audit_transport) {
                v = AUDIT_LOST;
                k = asprintf(&s, "Some denials are missing: the kernel log suppressed %" PRIu64 " audit records "
                             "(\"kauditd_printk_skb: … callbacks suppressed\"): let the journal receive them all with "
                             "\"systemctl enable --now " JOURNALD_AUDIT_SOCKET "\".", f->printk_suppressed);
        } else {
                v = AUDIT_VISIBLE;
                k = 0;
        }

        if (k < 0)
                return -ENOMEM;
        if (ret_sentence)
                *ret_sentence = s;
        else
                free(s);
        return (int) v;
}
