/* SPDX-License-Identifier: LGPL-2.1-or-later */

#include <assert.h>
#include <fcntl.h>
#include <inttypes.h>
#include <signal.h>
#include <sys/wait.h>

#include "log.h"
#include "landlock-policy.h"
#include "output.h"
#include "strv.h"

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


int json_add(json_object *o, const char *key, json_object *v) {
        assert(o);
        assert(key);

        if (!v || json_object_object_add(o, key, v) < 0) {
                json_object_put(v);
                return -ENOMEM;
        }
        return 0;
}

int json_add_string(json_object *o, const char *key, const char *s) {
        if (!s)
                return json_object_object_add(o, key, NULL) < 0 ? -ENOMEM : 0;
        return json_add(o, key, json_object_new_string(s));
}

int json_add_uint(json_object *o, const char *key, uint64_t u) {
        return json_add(o, key, json_object_new_uint64(u));
}

int json_add_bool(json_object *o, const char *key, bool b) {
        return json_add(o, key, json_object_new_boolean(b));
}

int json_add_tenths(json_object *o, const char *key, unsigned tenths) {
        char buf[32];

        /* With its text: json-c writes it as given, "9.6", not as the nearest double's 17 digits. */
        snprintf(buf, sizeof buf, "%u.%u", tenths / 10, tenths % 10);
        return json_add(o, key, json_object_new_double_s(tenths / 10.0, buf));
}

int json_append(json_object *array, json_object *v) {
        assert(array);

        if (!v || json_object_array_add(array, v) < 0) {
                json_object_put(v);
                return -ENOMEM;
        }
        return 0;
}

int json_append_string(json_object *array, const char *s) {
        return json_append(array, s ? json_object_new_string(s) : NULL);
}

int json_add_strv(json_object *o, const char *key, char * const *l) {
        json_object *a = json_object_new_array();
        int r;

        if (!a)
                return -ENOMEM;
        STRV_FOREACH(s, l) {
                r = json_append_string(a, *s);
                if (r < 0) {
                        json_object_put(a);
                        return r;
                }
        }
        return json_add(o, key, a);
}

json_object *json_get(json_object *o, const char *key) {
        json_object *v = NULL;

        if (!o || !json_object_object_get_ex(o, key, &v))
                return NULL;
        return v;
}

const char *json_get_string(json_object *o, const char *key) {
        json_object *v = json_get(o, key);

        return v && json_object_is_type(v, json_type_string) ? json_object_get_string(v) : NULL;
}

uint64_t json_get_uint(json_object *o, const char *key) {
        json_object *v = json_get(o, key);

        return v ? json_object_get_uint64(v) : 0;
}

bool json_get_bool(json_object *o, const char *key) {
        json_object *v = json_get(o, key);

        return v && json_object_get_boolean(v);
}

size_t json_get_length(json_object *o, const char *key) {
        json_object *v = json_get(o, key);

        return v && json_object_is_type(v, json_type_array) ? json_object_array_length(v) : 0;
}

char *json_get_joined(json_object *o, const char *key) {
        json_object *a = json_get(o, key);
        _cleanup_strv_free_ char **l = NULL;
        size_t n = json_get_length(o, key);

        for (size_t i = 0; i < n; i++)
                if (strv_extend(&l, json_object_get_string(json_object_array_get_idx(a, i))) < 0)
                        return NULL;
        return l ? strv_join(l, ",") : strdup("none");
}

int json_print(json_object *o, JsonFormat format) {
        int flags = JSON_C_TO_STRING_NOSLASHESCAPE |
                (format == JSON_PRETTY ? JSON_C_TO_STRING_PRETTY | JSON_C_TO_STRING_SPACED : JSON_C_TO_STRING_PLAIN);
        const char *s = json_object_to_json_string_ext(o, flags);

        if (!s)
                return -ENOMEM;
        puts(s);
        return 0;
}
