/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The stand-in for the programs the documentation's examples name but the reader supplies: /usr/bin/myd
 * (systemd-landlock(1)) and /usr/bin/mydaemon (README.md, the SYNOPSIS of systemd.landlock(5)). Installed
 * under both names; NAME is the name it was run as. It tries what those examples grant and a little they
 * do not, and prints one line per attempt, "WHAT: ok" or "WHAT: ERRNO", which the case compares:
 *   read /etc/NAME/NAME.conf, read /etc/lltest/secret, connect tcp 5432, connect tcp 5433, signal 1,
 *   write /var/lib/NAME/report (mydaemon only: the report is also written there), and "uid: UID"
 * "--once" prints the lines and exits (0 when its configuration was readable); otherwise it writes the
 * report into /var/lib/NAME/report and waits, as a daemon would. */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

static char report[4096];
static size_t report_len;

static const char *errno_name(int e) {
        static char buf[16];
        switch (e) {
        case 0: return "ok";
        case EACCES: return "EACCES";
        case EPERM: return "EPERM";
        case ENOENT: return "ENOENT";
        case ECONNREFUSED: return "ECONNREFUSED";
        default:
                snprintf(buf, sizeof buf, "errno %d", e);
                return buf;
        }
}

static void say(const char *what, int e) {
        int n = snprintf(report + report_len, sizeof report - report_len, "%s: %s\n", what, errno_name(e));
        if (n > 0 && (size_t) n < sizeof report - report_len)
                report_len += n;
}

static int try_read(const char *path) {
        int fd = open(path, O_RDONLY | O_CLOEXEC);
        if (fd < 0)
                return errno;
        close(fd);
        return 0;
}

static int try_connect(uint16_t port) {
        struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = htons(port) };
        int fd, e = 0;

        a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
        if (fd < 0)
                return errno;
        if (connect(fd, (struct sockaddr *) &a, sizeof a) < 0)
                e = errno;
        close(fd);
        return e;
}

int main(int argc, char **argv) {
        char path[256], what[300];
        const char *name = basename(argv[0]);
        int once = argc > 1 && strcmp(argv[1], "--once") == 0, conf, fd;

        snprintf(path, sizeof path, "/etc/%s/%s.conf", name, name);
        conf = try_read(path);
        snprintf(what, sizeof what, "read %s", path);
        say(what, conf);
        say("read /etc/lltest/secret", try_read("/etc/lltest/secret"));
        say("connect tcp 5432", try_connect(5432));
        say("connect tcp 5433", try_connect(5433));
        say("signal 1", kill(1, 0) < 0 ? errno : 0);
        report_len += snprintf(report + report_len, sizeof report - report_len, "uid: %u\n", (unsigned) getuid());

        if (!once) {
                snprintf(path, sizeof path, "/var/lib/%s/report", name);
                fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
                snprintf(what, sizeof what, "write %s", path);
                say(what, fd < 0 ? errno : 0);
                if (fd >= 0) {
                        if (write(fd, report, report_len) != (ssize_t) report_len)
                                return 1;
                        close(fd);
                }
        }
        fwrite(report, 1, report_len, stdout);
        fflush(stdout);
        if (once)
                return conf == 0 ? 0 : 1;
        for (;;)
                pause();
}
