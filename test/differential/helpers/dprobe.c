/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * dprobe TAG [OP ARG…]: the command of every unit of the differential corpus. It records, as one JSON
 * line appended to /run/differential/records (a directory every corpus unit grants read-write) and
 * printed to stdout, which unit ran it, its tag and argv, and whether it runs inside a Landlock domain
 * that handles the filesystem, then exits 0.
 *
 * "Confined" is decided on the canary, a world-readable file (mode 0644) that no corpus unit grants:
 * stat() must succeed and show that mode (Landlock does not restrict stat, while InaccessiblePaths= and
 * friends would replace the file) and open() for reading must fail with EACCES (the probe usually runs
 * as root, so only an LSM can refuse; the only LSM that restricts a container's services here is
 * Landlock, and the only program that creates a Landlock domain is the enforcer). An unconfined run
 * reads the canary, so it always gets to write its record: a missing record never hides a run outside
 * the domain.
 *
 * Operations after the tag:
 *   swap-symlink LINK TARGET   move LINK aside and put a symlink to TARGET in its place
 *   exit N                     exit with status N after recording
 *
 * Linked statically (the enforcer grants a command only its own closure); built dynamically too
 * (dprobe-dyn) so that preloaded libraries load into the command itself. Built with -DDPROBE_PRELOAD it
 * is libdpreload.so instead: a library for LD_PRELOAD= and /etc/ld.so.preload whose constructor writes
 * the same record (probe "preload", with the executable it was loaded into) when $DPRELOAD_TAG is set,
 * so that code a preloaded library runs before the restriction shows up as an unconfined run.
 */

#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define RECORDS "/run/differential/records"
#define CANARY "/etc/differential-canary/canary"
#define MAX_ARGS 24
#define MAX_ARG_LEN 240

typedef struct Out {
        char buf[65536];
        size_t n;
} Out;

static void out_add(Out *o, const char *format, ...) {
        va_list ap;
        int k;

        if (o->n >= sizeof o->buf)
                return;
        va_start(ap, format);
        k = vsnprintf(o->buf + o->n, sizeof o->buf - o->n, format, ap);
        va_end(ap);
        if (k > 0)
                o->n += (size_t) k < sizeof o->buf - o->n ? (size_t) k : sizeof o->buf - o->n - 1;
}

/* A JSON string; bytes outside printable ASCII become \u00XX (lossy for UTF-8, exact for the judge's
 * purpose: it compares these strings with argv as PID 1 reports it, escaped the same way). */
static void out_string(Out *o, const char *s, size_t max) {
        size_t i;

        out_add(o, "\"");
        for (i = 0; s[i] && i < max; i++) {
                unsigned char c = (unsigned char) s[i];

                if (c == '"' || c == '\\')
                        out_add(o, "\\%c", c);
                else if (c < 0x20 || c >= 0x7f)
                        out_add(o, "\\u%04x", c);
                else
                        out_add(o, "%c", c);
        }
        if (s[i])
                out_add(o, "…");
        out_add(o, "\"");
}

static const char *errno_name(int e) {
        const char *n = e ? strerrorname_np(e) : "ok";
        return n ?: "unknown";
}

/* The unit from the last component of the cgroup path ("0::/system.slice/foo.service"). */
static void unit_name(char *buf, size_t size) {
        FILE *f = fopen("/proc/self/cgroup", "re");
        char line[4096], *last = NULL;

        snprintf(buf, size, "?");
        if (!f)
                return;
        while (fgets(line, sizeof line, f))
                if (strncmp(line, "0::", 3) == 0) {
                        line[strcspn(line, "\n")] = 0;
                        last = strrchr(line, '/');
                        snprintf(buf, size, "%s", last ? last + 1 : line + 3);
                }
        fclose(f);
}

static void status_field(const char *key, char *buf, size_t size) {
        FILE *f = fopen("/proc/self/status", "re");
        char line[512];
        size_t k = strlen(key);

        snprintf(buf, size, "?");
        if (!f)
                return;
        while (fgets(line, sizeof line, f))
                if (strncmp(line, key, k) == 0 && line[k] == ':') {
                        line[strcspn(line, "\n")] = 0;
                        snprintf(buf, size, "%s", line + k + 1 + strspn(line + k + 1, " \t"));
                }
        fclose(f);
}

static const char *confinement(int *ret_open_errno) {
        struct stat st;
        int fd;

        *ret_open_errno = 0;
        if (stat(CANARY, &st) < 0) {
                *ret_open_errno = errno;
                return "unknown";       /* the canary is not visible as itself: cannot tell */
        }
        fd = open(CANARY, O_RDONLY | O_CLOEXEC);
        if (fd >= 0) {
                close(fd);
                return "no";
        }
        *ret_open_errno = errno;
        if (errno == EACCES && (st.st_mode & 07777) == 0644 && S_ISREG(st.st_mode))
                return "yes";
        return "unknown";
}

/* Moves LINK aside (a rename within its directory: no "refer" right needed) and puts a symlink to
 * TARGET in its place. */
static int swap_symlink(const char *link, const char *target) {
        char aside[4096];

        snprintf(aside, sizeof aside, "%s.aside-%d", link, (int) getpid());
        if (rename(link, aside) < 0 && errno != ENOENT)
                return -errno;
        if (symlink(target, link) < 0)
                return -errno;
        return 0;
}

static int record(const char *probe, const char *tag, int argc, char *argv[]) {
        char unit[4096], nnp[32], seccomp[32], exe[4096];
        const char *confined;
        int canary_errno, fd, status = 0, op_r = 0;
        const char *op_name = NULL;
        Out o = {};

        /* The operation first: its effect is what the next start of the unit sees. */
        for (int i = 2; strcmp(probe, "dprobe") == 0 && i < argc; i++)
                if (strcmp(argv[i], "swap-symlink") == 0 && i + 2 < argc) {
                        op_name = "swap-symlink";
                        op_r = swap_symlink(argv[i + 1], argv[i + 2]);
                        i += 2;
                } else if (strcmp(argv[i], "exit") == 0 && i + 1 < argc) {
                        status = atoi(argv[++i]);
                }

        confined = confinement(&canary_errno);
        unit_name(unit, sizeof unit);
        ssize_t k = readlink("/proc/self/exe", exe, sizeof exe - 1);
        exe[k < 0 ? 0 : k] = 0;
        status_field("NoNewPrivs", nnp, sizeof nnp);
        status_field("Seccomp", seccomp, sizeof seccomp);

        out_add(&o, "{\"probe\":\"%s\",\"unit\":", probe);
        out_string(&o, unit, sizeof unit);
        out_add(&o, ",\"tag\":");
        out_string(&o, tag, MAX_ARG_LEN);
        out_add(&o, ",\"exe\":");
        out_string(&o, exe, sizeof exe);
        out_add(&o, ",\"invocation\":");
        out_string(&o, getenv("INVOCATION_ID") ?: "", 64);
        out_add(&o, ",\"confined\":\"%s\",\"canary\":\"%s\",\"uid\":%u,\"pid\":%d,\"nnp\":\"%s\",\"seccomp\":\"%s\"",
                confined, errno_name(canary_errno), (unsigned) getuid(), (int) getpid(), nnp, seccomp);
        if (op_name)
                out_add(&o, ",\"op\":\"%s\",\"op_result\":\"%s\"", op_name, errno_name(-op_r));
        out_add(&o, ",\"argc\":%d,\"argv\":[", argc);
        for (int i = 0; i < argc && i < MAX_ARGS; i++) {
                if (i > 0)
                        out_add(&o, ",");
                out_string(&o, argv[i], MAX_ARG_LEN);
        }
        out_add(&o, "]");

        fd = open(RECORDS, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0666);
        out_add(&o, ",\"recorded\":\"%s\"}\n", fd < 0 ? errno_name(errno) : "ok");
        if (o.n >= sizeof o.buf)
                o.buf[sizeof o.buf - 2] = '\n';
        if (fd >= 0) {
                /* One write with O_APPEND: records of concurrent probes never interleave. */
                (void) !write(fd, o.buf, o.n);
                close(fd);
        }
        (void) !write(STDOUT_FILENO, o.buf, o.n);
        return status;
}

#ifdef DPROBE_PRELOAD
__attribute__((constructor)) static void preload_record(int argc, char *argv[]) {
        const char *tag = getenv("DPRELOAD_TAG");

        if (tag)
                (void) record("preload", tag, argc, argv);
}
#else
int main(int argc, char *argv[]) {
        return record("dprobe", argc > 1 ? argv[1] : "", argc, argv);
}
#endif
