/* SPDX-License-Identifier: LGPL-2.1-or-later */

/* Fixtures and probes the checks share: a directory tree under /tmp, policies compiled for the running
 * kernel, and the access attempts (open, bind, connect) a restricted child makes. */

#include <arpa/inet.h>
#include <fcntl.h>
#include <net/if.h>
#include <netinet/in.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>

#include "qemu-test.h"

static int write_file(const char *path, const char *content) {
        _cleanup_close_ int fd = -EBADF;

        fd = open(path, O_WRONLY|O_CREAT|O_TRUNC|O_CLOEXEC, 0644);
        if (fd < 0)
                return -errno;
        if (write(fd, content, strlen(content)) != (ssize_t) strlen(content))
                return -EIO;
        return 0;
}

int fixture_setup(void) {
        static const char *const dirs[] = {
                FIXTURE_DIR, FIXTURE_DIR "/ro", FIXTURE_DIR "/rw", FIXTURE_DIR "/denied", FIXTURE_DIR "/sock",
        };
        int r;

        for (size_t i = 0; i < ELEMENTSOF(dirs); i++)
                if (mkdir(dirs[i], 0755) < 0 && errno != EEXIST)
                        return -errno;
        r = write_file(FIXTURE_DIR "/ro/file", "readable\n");
        if (r < 0)
                return r;
        r = write_file(FIXTURE_DIR "/rw/file", "writable\n");
        if (r < 0)
                return r;
        return write_file(FIXTURE_DIR "/denied/file", "secret\n");
}

int loopback_up(void) {
        _cleanup_close_ int fd = -EBADF;
        struct ifreq ifr = {};

        fd = socket(AF_INET, SOCK_DGRAM|SOCK_CLOEXEC, 0);
        if (fd < 0)
                return -errno;
        strncpy(ifr.ifr_name, "lo", sizeof(ifr.ifr_name) - 1);
        if (ioctl(fd, SIOCGIFFLAGS, &ifr) < 0)
                return -errno;
        ifr.ifr_flags |= IFF_UP;
        if (ioctl(fd, SIOCSIFFLAGS, &ifr) < 0)
                return -errno;
        return 0;
}

uint64_t access_from_string(const char *s) {
        _cleanup_free_ char *error = NULL;
        uint64_t access = 0;

        if (landlock_parse_access(s, &access, NULL, &error) < 0) {
                printf("# cannot parse access \"%s\": %s\n", s, error ?: "?");
                abort();
        }
        return access;
}

int probed_abi(void) {
        int abi = landlock_abi_probe();

        return abi < 0 ? 0 : abi;
}

/* ---- attempts, from inside a restricted child ---- */

int try_open(const char *path, int flags) {
        int fd;

        fd = open(path, flags|O_CLOEXEC, 0644);
        if (fd < 0)
                return -errno;
        (void) close(fd);
        return 0;
}

static int inet_socket(int type, uint16_t port, bool do_bind, bool do_connect) {
        _cleanup_close_ int fd = -EBADF;
        struct sockaddr_in sa = {
                .sin_family = AF_INET,
                .sin_port = htons(port),
                .sin_addr.s_addr = htonl(INADDR_LOOPBACK),
        };
        int one = 1;

        fd = socket(AF_INET, type|SOCK_CLOEXEC, 0);
        if (fd < 0)
                return -errno;
        (void) setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
        if (do_bind && bind(fd, (struct sockaddr *) &sa, sizeof(sa)) < 0)
                return -errno;
        if (do_connect && connect(fd, (struct sockaddr *) &sa, sizeof(sa)) < 0)
                return -errno;
        return 0;
}

int try_bind(int type, uint16_t port) {
        return inet_socket(type, port, true, false);
}

int try_connect(int type, uint16_t port) {
        return inet_socket(type, port, false, true);
}

int try_udp_sendto(uint16_t port) {
        _cleanup_close_ int fd = -EBADF;
        struct sockaddr_in sa = {
                .sin_family = AF_INET,
                .sin_port = htons(port),
                .sin_addr.s_addr = htonl(INADDR_LOOPBACK),
        };

        fd = socket(AF_INET, SOCK_DGRAM|SOCK_CLOEXEC, 0);
        if (fd < 0)
                return -errno;
        if (sendto(fd, "x", 1, 0, (struct sockaddr *) &sa, sizeof(sa)) < 0)
                return -errno;
        return 0;
}

int try_connect_unix(const char *path) {
        _cleanup_close_ int fd = -EBADF;
        struct sockaddr_un sa = { .sun_family = AF_UNIX };

        strncpy(sa.sun_path, path, sizeof(sa.sun_path) - 1);
        fd = socket(AF_UNIX, SOCK_STREAM|SOCK_CLOEXEC, 0);
        if (fd < 0)
                return -errno;
        if (connect(fd, (struct sockaddr *) &sa, sizeof(sa)) < 0)
                return -errno;
        return 0;
}

int listen_tcp(uint16_t port) {
        int fd, one = 1;
        struct sockaddr_in sa = {
                .sin_family = AF_INET,
                .sin_port = htons(port),
                .sin_addr.s_addr = htonl(INADDR_LOOPBACK),
        };

        fd = socket(AF_INET, SOCK_STREAM|SOCK_CLOEXEC, 0);
        if (fd < 0)
                return -errno;
        (void) setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
        if (bind(fd, (struct sockaddr *) &sa, sizeof(sa)) < 0 || listen(fd, 16) < 0) {
                int r = -errno;
                (void) close(fd);
                return r;
        }
        return fd;
}

int listen_unix(const char *path) {
        int fd;
        struct sockaddr_un sa = { .sun_family = AF_UNIX };

        strncpy(sa.sun_path, path, sizeof(sa.sun_path) - 1);
        (void) unlink(path);
        fd = socket(AF_UNIX, SOCK_STREAM|SOCK_CLOEXEC, 0);
        if (fd < 0)
                return -errno;
        if (bind(fd, (struct sockaddr *) &sa, sizeof(sa)) < 0 || listen(fd, 16) < 0) {
                int r = -errno;
                (void) close(fd);
                return r;
        }
        return fd;
}

/* Counts a mismatch between what an attempt returned and what was expected, and says which. */
int expect_result(const char *what, int r, int expected) {
        if (r == expected) {
                printf("#   %-48s %s (as expected)\n", what, r == 0 ? "allowed" : strerror(-r));
                return 0;
        }
        printf("#   %-48s %s, EXPECTED %s\n", what, r == 0 ? "allowed" : strerror(-r),
               expected == 0 ? "allowed" : strerror(-expected));
        return 1;
}

/* ---- policies compiled for the running kernel ---- */

int compile_and_build(const LandlockPolicy *p, unsigned abi, LandlockCompiled *c, int *ret_fd) {
        _cleanup_free_ char *error = NULL;
        int r;

        r = landlock_policy_compile(p, abi, 0, c, &error);
        if (r < 0) {
                printf("# compiling the policy for ABI %u failed: %s\n", abi, error ?: strerror(-r));
                return r;
        }
        r = landlock_ruleset_build(c, ret_fd, NULL, &error);
        if (r < 0) {
                printf("# building the ruleset failed: %s\n", error ?: strerror(-r));
                return r;
        }
        return 0;
}

int restrict_self_with(int ruleset_fd, const LandlockCompiled *c) {
        LandlockRestrictOptions o = {
                .abi = c->abi,
                .flags = c->restrict_flags,
        };
        LandlockRestrictResult result = {};
        int r;

        r = landlock_restrict_process(ruleset_fd, &o, &result);
        if (r < 0)
                printf("# landlock_restrict_process() failed: %s\n", strerror(-r));
        return r;
}

/* ---- running programs ---- */

static char *read_all(int fd) {
        char *buf = NULL;
        size_t n = 0, allocated = 0;

        for (;;) {
                ssize_t k;

                if (allocated - n < 4096) {
                        char *b = realloc(buf, allocated + 8192);
                        if (!b) {
                                free(buf);
                                return NULL;
                        }
                        buf = b;
                        allocated += 8192;
                }
                k = read(fd, buf + n, allocated - n - 1);
                if (k < 0 && errno == EINTR)
                        continue;
                if (k <= 0)
                        break;
                n += (size_t) k;
        }
        if (buf)
                buf[n] = '\0';
        return buf;
}

int run_command(char *const argv[], char **ret_stdout, char **ret_stderr) {
        return run_command_after(NULL, argv, ret_stdout, ret_stderr);
}

int run_command_after(int (*setup)(void), char *const argv[], char **ret_stdout, char **ret_stderr) {
        int out[2], err[2], status;
        pid_t pid;

        if (pipe2(out, O_CLOEXEC) < 0)
                return -errno;
        if (pipe2(err, O_CLOEXEC) < 0) {
                (void) close(out[0]);
                (void) close(out[1]);
                return -errno;
        }
        fflush(stdout);
        pid = fork();
        if (pid < 0)
                return -errno;
        if (pid == 0) {
                (void) dup2(out[1], STDOUT_FILENO);
                (void) dup2(err[1], STDERR_FILENO);
                int r = setup ? setup() : 0;
                if (r < 0) {
                        fprintf(stderr, "run_command_after: the setup failed: %s\n", strerror(-r));
                        _exit(CHILD_SETUP_FAILED);
                }
                execv(argv[0], argv);
                _exit(127);
        }
        (void) close(out[1]);
        (void) close(err[1]);
        /* Small outputs: reading one pipe after the other cannot dead-lock below the pipe size. */
        *ret_stdout = read_all(out[0]);
        *ret_stderr = read_all(err[0]);
        (void) close(out[0]);
        (void) close(err[0]);

        if (waitpid(pid, &status, 0) < 0)
                return -errno;
        return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}
