/* SPDX-License-Identifier: LGPL-2.1-or-later */

#include <fcntl.h>
#include <stdarg.h>
#include <sys/stat.h>
#include <sys/uio.h>

#include "log.h"

static LogTarget log_target = LOG_TARGET_STDERR;
static int log_max_level = LOG_INFO;
static const char *log_prefix = NULL;
static int kmsg_fd = -EBADF;
static int stderr_is_journal = -1;

void log_set_target(LogTarget target) {
        log_target = target;
}

void log_set_max_level(int level) {
        log_max_level = level;
}

int log_get_max_level(void) {
        return log_max_level;
}

void log_set_prefix(const char *prefix) {
        log_prefix = prefix;
}

static int log_level_from_string(const char *s) {
        static const char *const names[] = {
                [LOG_EMERG] = "emerg", [LOG_ALERT] = "alert", [LOG_CRIT] = "crit",
                [LOG_ERR] = "err", [LOG_WARNING] = "warning", [LOG_NOTICE] = "notice",
                [LOG_INFO] = "info", [LOG_DEBUG] = "debug",
        };

        for (size_t i = 0; i < ELEMENTSOF(names); i++)
                if (streq(s, names[i]))
                        return (int) i;
        if (s[0] >= '0' && s[0] <= '7' && s[1] == '\0')
                return s[0] - '0';
        return -EINVAL;
}

void log_parse_environment(void) {
        const char *e;
        int l;

        e = getenv("SYSTEMD_LANDLOCK_LOG_LEVEL") ?: getenv("SYSTEMD_LOG_LEVEL");
        if (e && (l = log_level_from_string(e)) >= 0)
                log_max_level = l;
}

static bool write_kmsg(int level, const char *msg) {
        char header[64];
        struct iovec iov[3];

        if (kmsg_fd < 0)
                kmsg_fd = open("/dev/kmsg", O_WRONLY|O_NOCTTY|O_CLOEXEC);
        if (kmsg_fd < 0)
                return false;

        snprintf(header, sizeof header, "<%i>%s[%i]: ", LOG_DAEMON | level,
                 log_prefix ?: "systemd-landlock", (int) getpid());
        iov[0] = (struct iovec) { header, strlen(header) };
        iov[1] = (struct iovec) { (char *) msg, strlen(msg) };
        iov[2] = (struct iovec) { (char *) "\n", 1 };
        return writev(kmsg_fd, iov, 3) >= 0;
}

/* Writes iov[0..n) and a newline, all of it, in as few writev() calls as the kernel allows (one, but
 * for a short write). */
static int writev_line(int fd, const struct iovec *iov, size_t n) {
        struct iovec v[8];
        size_t k = 0;

        assert(n < ELEMENTSOF(v));
        for (size_t i = 0; i < n; i++)
                if (iov[i].iov_len > 0)
                        v[k++] = iov[i];
        v[k++] = (struct iovec) { (char *) "\n", 1 };

        for (size_t i = 0; i < k; ) {
                ssize_t w = writev(fd, v + i, (int) (k - i));

                if (w < 0) {
                        if (errno == EINTR)
                                continue;
                        return -errno;
                }
                if (w == 0)
                        return -EIO;
                while (i < k && (size_t) w >= v[i].iov_len)
                        w -= (ssize_t) v[i++].iov_len;
                if (i < k) {
                        v[i].iov_base = (char *) v[i].iov_base + w;
                        v[i].iov_len -= (size_t) w;
                }
        }
        return 0;
}

/* A service's stderr connected to the journal ($JOURNAL_STREAM names its device and inode) understands a
 * "<N>" syslog level prefix: use it, so errors are recorded as errors and not at the stream's level. */
static bool stderr_is_journal_stream(void) {
        const char *e;
        unsigned long long dev, ino;
        struct stat st;

        if (stderr_is_journal >= 0)
                return stderr_is_journal;

        stderr_is_journal = false;
        e = getenv("JOURNAL_STREAM");
        if (e && sscanf(e, "%llu:%llu", &dev, &ino) == 2 && fstat(STDERR_FILENO, &st) >= 0)
                stderr_is_journal = (unsigned long long) st.st_dev == dev && (unsigned long long) st.st_ino == ino;
        return stderr_is_journal;
}

bool log_stderr_is_journal(void) {
        return stderr_is_journal_stream();
}

int log_internal(int level, int error, const char *file, int line, const char *func,
                 const char *format, ...) {
        char buf[2048];
        va_list ap;
        int saved_errno = errno;

        (void) file; (void) line; (void) func;

        if (error < 0)
                error = -error;

        if (level > log_max_level)
                return -error;

        /* %m refers to the error we were given, as in systemd. */
        errno = error;
        va_start(ap, format);
        vsnprintf(buf, sizeof buf, format, ap);
        va_end(ap);

        if (log_target != LOG_TARGET_KMSG || !write_kmsg(level, buf)) {
                /* One write per line: stdio writes an unbuffered stream (stderr) in pieces, each a system
                 * call, and a journal stream could interleave another writer's bytes between them. */
                char lp[8] = "";
                struct iovec iov[4];
                size_t n = 0;

                if (stderr_is_journal_stream())
                        snprintf(lp, sizeof lp, "<%i>", level);
                iov[n++] = (struct iovec) { lp, strlen(lp) };
                if (log_prefix) {
                        iov[n++] = (struct iovec) { (char *) log_prefix, strlen(log_prefix) };
                        iov[n++] = (struct iovec) { (char *) ": ", 2 };
                }
                iov[n++] = (struct iovec) { buf, strlen(buf) };
                fflush(stderr);         /* what stdio may still hold comes first */
                (void) writev_line(STDERR_FILENO, iov, n);
        }

        errno = saved_errno;
        return -error;
}
