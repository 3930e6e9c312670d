/* SPDX-License-Identifier: LGPL-2.1-or-later */

#include <assert.h>
#include <fcntl.h>
#include <inttypes.h>
#include <signal.h>
#include <sys/wait.h>

#include "log.h"
#include "landlock-policy.h"
#include "output.h"

size_t utf8_width(const char *s) {
        size_t n = 0;

        for (; *s; s++)
                if (((unsigned char) *s & 0xC0) != 0x80)
                        n++;
        return n;
}

JsonFormat json_format_from_string(const char *s) {
        if (streq(s, "off"))
                return JSON_OFF;
        if (streq(s, "short"))
                return JSON_SHORT;
        if (streq(s, "pretty"))
                return JSON_PRETTY;
        return _JSON_FORMAT_INVALID;
}

bool colors_enabled(void) {
        static int cached = -1;
        const char *e;

        if (cached >= 0)
                return cached;

        e = getenv("SYSTEMD_COLORS");
        if (e && parse_boolean(e) >= 0)
                cached = parse_boolean(e);
        else if (getenv("NO_COLOR"))
                cached = false;
        else {
                e = getenv("TERM");
                cached = isatty(STDOUT_FILENO) && !(e && streq(e, "dumb"));
        }
        return cached;
}

#define ANSI(name, seq) const char *name(void) { return colors_enabled() ? seq : ""; }
ANSI(ansi_red, "\x1B[0;1;31m")
ANSI(ansi_green, "\x1B[0;1;32m")
ANSI(ansi_yellow, "\x1B[0;1;33m")
ANSI(ansi_highlight, "\x1B[0;1;39m")
ANSI(ansi_grey, "\x1B[0;38;5;245m")
ANSI(ansi_normal, "\x1B[0m")

static pid_t pager_pid = 0;

void pager_open(bool enabled) {
        const char *pager;
        int fds[2];
        pid_t pid;

        if (!enabled || pager_pid > 0 || !isatty(STDOUT_FILENO))
                return;

        pager = getenv("SYSTEMD_PAGER") ?: getenv("PAGER");
        if (pager && (isempty(pager) || streq(pager, "cat")))
                return;

        /* Decide on colours before stdout stops being the terminal. */
        (void) colors_enabled();

        if (pipe2(fds, O_CLOEXEC) < 0) {
                log_debug_errno(errno, "Failed to create pager pipe, not paging: %m");
                return;
        }

        fflush(stdout);
        pid = fork();
        if (pid < 0) {
                log_debug_errno(errno, "Failed to fork pager, not paging: %m");
                safe_close(fds[0]);
                safe_close(fds[1]);
                return;
        }
        if (pid == 0) {
                (void) dup2(fds[0], STDIN_FILENO);
                setenv("LESS", "FRSXMK", 0);
                setenv("LESSCHARSET", "utf-8", 0);
                if (pager)
                        execl("/bin/sh", "sh", "-c", pager, (char *) NULL);
                execlp("less", "less", (char *) NULL);
                execlp("more", "more", (char *) NULL);
                /* No pager at all: copy through. */
                execlp("cat", "cat", (char *) NULL);
                _exit(EXIT_FAILURE);
        }

        if (dup2(fds[1], STDOUT_FILENO) < 0)
                log_debug_errno(errno, "Failed to redirect stdout to the pager: %m");
        safe_close(fds[0]);
        safe_close(fds[1]);
        pager_pid = pid;
}

void pager_close(void) {
        if (pager_pid <= 0)
                return;

        fflush(stdout);
        (void) close(STDOUT_FILENO);
        (void) waitpid(pager_pid, NULL, 0);
        pager_pid = 0;
}

/* ---- JSON ---- */

void json_writer_init(JsonWriter *w, FILE *f, JsonFormat format) {
        assert(w);
        *w = (JsonWriter) {
                .f = f,
                .pretty = format == JSON_PRETTY,
        };
}

static void json_newline(JsonWriter *w) {
        if (!w->pretty)
                return;
        fputc('\n', w->f);
        for (unsigned i = 0; i < w->depth; i++)
                fputs("  ", w->f);
}

/* Called before every value or key: comma and indentation, unless the value follows its key. */
static void json_prepare(JsonWriter *w) {
        if (w->after_key) {
                w->after_key = false;
                return;
        }
        if (w->need_comma)
                fputc(',', w->f);
        if (w->depth > 0)
                json_newline(w);
}

static void json_begin(JsonWriter *w, char c) {
        json_prepare(w);
        fputc(c, w->f);
        w->depth++;
        w->need_comma = false;
}

static void json_end(JsonWriter *w, char c) {
        assert(w->depth > 0);
        w->depth--;
        if (w->need_comma)
                json_newline(w);
        fputc(c, w->f);
        w->need_comma = true;
}

void json_begin_object(JsonWriter *w) { json_begin(w, '{'); }
void json_end_object(JsonWriter *w) { json_end(w, '}'); }
void json_begin_array(JsonWriter *w) { json_begin(w, '['); }
void json_end_array(JsonWriter *w) { json_end(w, ']'); }

static void json_put_string(FILE *f, const char *s) {
        fputc('"', f);
        for (const unsigned char *p = (const unsigned char *) s; *p; p++)
                switch (*p) {
                case '"':  fputs("\\\"", f); break;
                case '\\': fputs("\\\\", f); break;
                case '\n': fputs("\\n", f); break;
                case '\t': fputs("\\t", f); break;
                case '\r': fputs("\\r", f); break;
                default:
                        if (*p < 0x20)
                                fprintf(f, "\\u%04x", *p);
                        else
                                fputc(*p, f);
                }
        fputc('"', f);
}

void json_key(JsonWriter *w, const char *key) {
        json_prepare(w);
        json_put_string(w->f, key);
        fputs(w->pretty ? ": " : ":", w->f);
        w->after_key = true;
        w->need_comma = false;
}

static void json_value_done(JsonWriter *w) {
        w->need_comma = true;
}

void json_string(JsonWriter *w, const char *s) {
        if (!s)
                return json_null(w);
        json_prepare(w);
        json_put_string(w->f, s);
        json_value_done(w);
}

void json_unsigned(JsonWriter *w, uint64_t u) {
        json_prepare(w);
        fprintf(w->f, "%" PRIu64, u);
        json_value_done(w);
}

void json_integer(JsonWriter *w, int64_t i) {
        json_prepare(w);
        fprintf(w->f, "%" PRIi64, i);
        json_value_done(w);
}

void json_bool(JsonWriter *w, bool b) {
        json_prepare(w);
        fputs(b ? "true" : "false", w->f);
        json_value_done(w);
}

void json_null(JsonWriter *w) {
        json_prepare(w);
        fputs("null", w->f);
        json_value_done(w);
}

void json_raw(JsonWriter *w, const char *text) {
        json_prepare(w);
        fputs(text, w->f);
        json_value_done(w);
}

void json_finish(JsonWriter *w) {
        fputc('\n', w->f);
}

void json_pair_string(JsonWriter *w, const char *key, const char *s) {
        json_key(w, key);
        json_string(w, s);
}

void json_pair_unsigned(JsonWriter *w, const char *key, uint64_t u) {
        json_key(w, key);
        json_unsigned(w, u);
}

void json_pair_bool(JsonWriter *w, const char *key, bool b) {
        json_key(w, key);
        json_bool(w, b);
}
