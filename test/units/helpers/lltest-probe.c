/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * lltest-probe: what a confined service does in the integration suite. Each operation is tried for
 * real and its outcome printed as one line, "[TAG ]OP ARG: ok" or "…: ERRNONAME", so that a case script
 * can check what the kernel allowed. Linked statically: it runs inside RootDirectory= trees and under
 * LandlockAllowCommand= without needing shared libraries.
 */

#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

static const char *tag = "";

static int report(const char *op, const char *arg, int r) {
        printf("%s%s%s %s: %s\n", tag, *tag ? " " : "", op, arg, r < 0 ? strerrorname_np(-r) : "ok");
        fflush(stdout);
        return 0;
}

/* What a compromised service would do to redirect a rule at its next start: move PATH away and put a
 * symlink to TARGET in its place. */
static int do_symlink_over(const char *path, const char *target) {
        char old[4096];

        snprintf(old, sizeof old, "%s.old", path);
        if (rename(path, old) < 0 && errno != ENOENT)
                return -errno;
        return symlink(target, path) < 0 ? -errno : 0;
}

static int do_read(const char *path) {
        char buf[1];
        int fd = open(path, O_RDONLY | O_CLOEXEC);
        if (fd < 0)
                return -errno;
        ssize_t n = read(fd, buf, sizeof buf);
        int r = n < 0 ? -errno : 0;
        close(fd);
        return r;
}

static int do_write(const char *path) {
        int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0666);
        if (fd < 0)
                return -errno;
        int r = write(fd, "x\n", 2) < 0 ? -errno : 0;
        close(fd);
        return r;
}

static int do_exec(const char *path) {
        int p[2];
        int err = 0;

        /* The pipe's write end closes on a successful execve(); on failure the child sends errno. */
        if (pipe2(p, O_CLOEXEC) < 0)
                return -errno;
        pid_t pid = fork();
        if (pid < 0)
                return -errno;
        if (pid == 0) {
                char *argv[] = { (char *) path, NULL };
                int fd = open("/dev/null", O_WRONLY);
                if (fd >= 0)
                        dup2(fd, STDOUT_FILENO);
                execv(path, argv);
                err = errno;
                (void) !write(p[1], &err, sizeof err);
                _exit(127);
        }
        close(p[1]);
        if (read(p[0], &err, sizeof err) != sizeof err)
                err = 0;
        close(p[0]);
        waitpid(pid, NULL, 0);
        return -err;
}

static int parse_port(const char *arg, int *type, int *port) {
        if (strncmp(arg, "tcp:", 4) == 0)
                *type = SOCK_STREAM;
        else if (strncmp(arg, "udp:", 4) == 0)
                *type = SOCK_DGRAM;
        else
                return -EINVAL;
        *port = atoi(arg + 4);
        return 0;
}

static int do_inet(const char *arg, bool bind_it) {
        struct sockaddr_in sa = { .sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
        int type, port, r;

        r = parse_port(arg, &type, &port);
        if (r < 0)
                return r;
        sa.sin_port = htons(port);
        int fd = socket(AF_INET, type | SOCK_CLOEXEC, 0);
        if (fd < 0)
                return -errno;
        if (bind_it)
                r = bind(fd, (struct sockaddr *) &sa, sizeof sa) < 0 ? -errno : 0;
        else if (type == SOCK_DGRAM)
                r = sendto(fd, "x", 1, 0, (struct sockaddr *) &sa, sizeof sa) < 0 ? -errno : 0;
        else
                r = connect(fd, (struct sockaddr *) &sa, sizeof sa) < 0 ? -errno : 0;
        close(fd);
        return r;
}

static socklen_t abstract_address(struct sockaddr_un *sa, const char *name) {
        memset(sa, 0, sizeof *sa);
        sa->sun_family = AF_UNIX;
        strncpy(sa->sun_path + 1, name, sizeof sa->sun_path - 2);
        return offsetof(struct sockaddr_un, sun_path) + 1 + strlen(name);
}

static int do_connect_abstract(const char *name) {
        struct sockaddr_un sa;
        socklen_t len = abstract_address(&sa, name);
        int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
        if (fd < 0)
                return -errno;
        int r = connect(fd, (struct sockaddr *) &sa, len) < 0 ? -errno : 0;
        close(fd);
        return r;
}

static int do_connect_unix(const char *path) {
        struct sockaddr_un sa = { .sun_family = AF_UNIX };
        strncpy(sa.sun_path, path, sizeof sa.sun_path - 1);
        int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
        if (fd < 0)
                return -errno;
        int r = connect(fd, (struct sockaddr *) &sa, sizeof sa) < 0 ? -errno : 0;
        close(fd);
        return r;
}

/* Listens on an abstract socket for SECONDS, accepting and closing connections: the peer outside the
 * service that LandlockScope=abstract-unix-socket must make unreachable. */
static int serve_abstract(const char *name, const char *seconds) {
        struct sockaddr_un sa;
        socklen_t len = abstract_address(&sa, name);
        int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
        if (fd < 0 || bind(fd, (struct sockaddr *) &sa, len) < 0 || listen(fd, 16) < 0)
                return -errno;
        alarm(atoi(seconds));
        for (;;) {
                int c = accept(fd, NULL, NULL);
                if (c >= 0)
                        close(c);
        }
}

static int serve_unix(const char *path, const char *seconds) {
        struct sockaddr_un sa = { .sun_family = AF_UNIX };
        strncpy(sa.sun_path, path, sizeof sa.sun_path - 1);
        unlink(path);
        int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
        if (fd < 0 || bind(fd, (struct sockaddr *) &sa, sizeof sa) < 0 || listen(fd, 16) < 0)
                return -errno;
        chmod(path, 0777);
        alarm(atoi(seconds));
        for (;;) {
                int c = accept(fd, NULL, NULL);
                if (c >= 0)
                        close(c);
        }
}

static int do_notify(void) {
        const char *e = getenv("NOTIFY_SOCKET");
        struct sockaddr_un sa = { .sun_family = AF_UNIX };
        socklen_t len;

        if (!e)
                return -ENOENT;
        strncpy(sa.sun_path, e, sizeof sa.sun_path - 1);
        len = offsetof(struct sockaddr_un, sun_path) + strlen(e);
        if (sa.sun_path[0] == '@')
                sa.sun_path[0] = 0;
        int fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
        if (fd < 0)
                return -errno;
        int r = sendto(fd, "READY=1", 7, 0, (struct sockaddr *) &sa, len) < 0 ? -errno : 0;
        close(fd);
        return r;
}

/* Socket activation: accept one connection on fd 3 and greet the client. */
static int do_accept_fd3(void) {
        int c = accept(3, NULL, NULL);
        if (c < 0)
                return -errno;
        int r = write(c, "hello\n", 6) < 0 ? -errno : 0;
        close(c);
        return r;
}

static int do_daemonize(void) {
        pid_t pid = fork();
        if (pid < 0)
                return -errno;
        if (pid > 0)
                _exit(0);
        setsid();
        return 0;
}

int main(int argc, char *argv[]) {
        int i;

        if (argc < 2) {
                fprintf(stderr, "usage: %s OP ARG…\n", argv[0]);
                return 2;
        }
        for (i = 1; i < argc; i++) {
                const char *op = argv[i], *arg = i + 1 < argc ? argv[i + 1] : NULL;
                char buf[64];

                if (strcmp(op, "tag") == 0 && arg) {
                        tag = arg;
                        i++;
                } else if (strcmp(op, "argv0") == 0) {
                        report("argv0", argv[0], 0);
                } else if (strcmp(op, "uid") == 0) {
                        snprintf(buf, sizeof buf, "%u", (unsigned) getuid());
                        report("uid", buf, 0);
                } else if (strcmp(op, "abi") == 0) {
                        /* landlock_create_ruleset(NULL, 0, LANDLOCK_CREATE_RULESET_VERSION) */
                        long v = syscall(SYS_landlock_create_ruleset, NULL, 0, 1U);
                        snprintf(buf, sizeof buf, "%ld", v < 0 ? 0 : v);
                        report("abi", buf, v < 0 ? -errno : 0);
                } else if (strcmp(op, "notify") == 0) {
                        report("notify", "READY=1", do_notify());
                } else if (strcmp(op, "accept-fd3") == 0) {
                        report("accept-fd3", "-", do_accept_fd3());
                } else if (strcmp(op, "daemonize") == 0) {
                        report("daemonize", "-", do_daemonize());
                } else if (!arg) {
                        fprintf(stderr, "%s: operation %s needs an argument\n", argv[0], op);
                        return 2;
                } else {
                        int r;

                        i++;
                        if (strcmp(op, "read") == 0)
                                r = do_read(arg);
                        else if (strcmp(op, "write") == 0)
                                r = do_write(arg);
                        else if (strcmp(op, "mkdir") == 0)
                                r = mkdir(arg, 0755) < 0 ? -errno : 0;
                        else if (strcmp(op, "exec") == 0)
                                r = do_exec(arg);
                        else if (strcmp(op, "bind") == 0)
                                r = do_inet(arg, true);
                        else if (strcmp(op, "connect") == 0)
                                r = do_inet(arg, false);
                        else if (strcmp(op, "connect-abstract") == 0)
                                r = do_connect_abstract(arg);
                        else if (strcmp(op, "connect-unix") == 0)
                                r = do_connect_unix(arg);
                        else if (strcmp(op, "kill") == 0)
                                r = kill(atoi(arg), 0) < 0 ? -errno : 0;
                        else if (strcmp(op, "sleep") == 0) {
                                sleep(atoi(arg));
                                continue;
                        } else if (strcmp(op, "symlink-over") == 0 && i + 1 < argc)
                                r = do_symlink_over(arg, argv[++i]);
                        else if (strcmp(op, "serve-abstract") == 0 && i + 1 < argc)
                                return -serve_abstract(arg, argv[++i]);
                        else if (strcmp(op, "serve-unix") == 0 && i + 1 < argc)
                                return -serve_unix(arg, argv[++i]);
                        else {
                                fprintf(stderr, "%s: unknown operation %s\n", argv[0], op);
                                return 2;
                        }
                        report(op, arg, r);
                }
        }
        return 0;
}
