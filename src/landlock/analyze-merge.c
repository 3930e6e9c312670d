/* SPDX-License-Identifier: LGPL-2.1-or-later */

#include <assert.h>
#include <ctype.h>
#include <json-c/json.h>
#include <limits.h>
#include <fcntl.h>
#include <sys/wait.h>

#include "alloc-util.h"
#include "fileio.h"
#include "analyze-merge.h"
#include "log.h"
#include "text.h"
#include "utf8.h"

static void analyze_row_done(AnalyzeRow *r) {
        free(r->name);
        free(r->json_field);
        free(r->description);
        free(r->exposure);
}

static void json_object_putp(json_object **o) {
        json_object_put(*o);
}

static void json_tokener_freep(json_tokener **t) {
        if (*t)
                json_tokener_free(*t);
}

void analyze_report_done(AnalyzeReport *r) {
        for (size_t i = 0; i < r->n_rows; i++)
                analyze_row_done(r->rows + i);
        free(r->rows);
        *r = (AnalyzeReport) { .exposure = -1 };
}

static int json_string_field(json_object *o, const char *key, char **ret) {
        json_object *v;
        char *s;

        if (!json_object_object_get_ex(o, key, &v) || json_object_is_type(v, json_type_null))
                return 0;
        /* Numbers too ("exposure"), as their text: json-c keeps the text of a number it read. */
        if (!json_object_is_type(v, json_type_string) && !json_object_is_type(v, json_type_double) &&
            !json_object_is_type(v, json_type_int))
                return -EBADMSG;
        s = strdup(json_object_get_string(v));
        if (!s)
                return -ENOMEM;
        free_and_replace(*ret, s);
        return 0;
}

static int json_uint64_field(json_object *o, const char *key, uint64_t *ret) {
        json_object *v;

        if (!json_object_object_get_ex(o, key, &v))
                return 0;
        if (!json_object_is_type(v, json_type_int))
                return -EBADMSG;
        errno = 0;
        *ret = json_object_get_uint64(v);
        return errno != 0 ? -EBADMSG : 0;
}

static int parse_row(json_object *o, AnalyzeRow *row) {
        json_object *set = NULL;
        int r;

        *row = (AnalyzeRow) { .set = -1 };
        if (!json_object_is_type(o, json_type_object))
                return -EBADMSG;

        if (json_object_object_get_ex(o, "set", &set) && json_object_is_type(set, json_type_boolean))
                row->set = json_object_get_boolean(set);
        else if (set && !json_object_is_type(set, json_type_null))
                return -EBADMSG;

        r = json_string_field(o, "name", &row->name);
        if (r >= 0)
                r = json_string_field(o, "json_field", &row->json_field);
        if (r >= 0)
                r = json_string_field(o, "description", &row->description);
        if (r >= 0)
                r = json_string_field(o, "exposure", &row->exposure);
        if (r >= 0)
                r = json_uint64_field(o, "weight", &row->weight);
        if (r >= 0)
                r = json_uint64_field(o, "badness", &row->badness);
        if (r >= 0)
                r = json_uint64_field(o, "range", &row->range);
        return r;
}

/* json-c 0.18's strict mode (trixie, sid) rejects every non-ASCII byte in a string as an "invalid string
 * sequence" (json-c issues 875 and 892), and systemd-analyze writes "…" in its rows. So every non-ASCII
 * character, which valid JSON has only inside strings, is handed to json-c as the \uXXXX escape (or
 * surrogate pair) that means the same; outside a string the escape is as invalid as the character was.
 * Invalid UTF-8, and a character right after an escaping backslash, are refused. */
static int json_escape_non_ascii(const char *text, char **ret) {
        _cleanup_(text_done) Text t = {};
        bool escaped = false;
        int r = 0;

        for (const unsigned char *p = (const unsigned char *) text; *p && r >= 0; ) {
                uint32_t c;
                size_t k;

                if (*p < 0x80) {
                        escaped = *p == '\\' && !escaped;
                        r = text_append(&t, (const char *) p++, 1);
                        continue;
                }
                k = utf8_valid_char(p, &c);
                if (k == 0 || escaped)
                        return -EBADMSG;
                p += k;
                if (c < 0x10000)
                        r = text_appendf(&t, "\\u%04x", (unsigned) c);
                else
                        r = text_appendf(&t, "\\u%04x\\u%04x", (unsigned) (0xd800 + ((c - 0x10000) >> 10)),
                                         (unsigned) (0xdc00 + ((c - 0x10000) & 0x3ff)));
        }
        if (r < 0)
                return r;
        *ret = text_steal(&t) ?: strdup("");
        return *ret ? 0 : -ENOMEM;
}

/* The whole text is one JSON value, nothing after it but blanks (strict json-c). */
static int parse_text(const char *text, json_object **ret) {
        _cleanup_(json_tokener_freep) json_tokener *tok = NULL;
        _cleanup_free_ char *ascii = NULL;
        json_object *o;
        size_t end;
        int r;

        r = json_escape_non_ascii(text, &ascii);
        if (r < 0)
                return r;
        tok = json_tokener_new();
        if (!tok)
                return -ENOMEM;
        json_tokener_set_flags(tok, JSON_TOKENER_STRICT);
        o = json_tokener_parse_ex(tok, ascii, (int) MIN(strlen(ascii), (size_t) INT_MAX));
        if (!o || json_tokener_get_error(tok) != json_tokener_success) {
                json_object_put(o);
                return -EBADMSG;
        }
        end = json_tokener_get_parse_end(tok);
        if (ascii[end + strspn(ascii + end, " \t\n\r")] != '\0') {
                json_object_put(o);
                return -EBADMSG;
        }
        *ret = o;
        return 0;
}

int analyze_parse_json(const char *text, AnalyzeReport *ret) {
        _cleanup_(json_object_putp) json_object *array = NULL;
        _cleanup_(analyze_report_done) AnalyzeReport rep = { .exposure = -1 };
        size_t n;
        int r;

        assert(text);
        assert(ret);

        r = parse_text(text, &array);
        if (r < 0)
                return r;
        if (!json_object_is_type(array, json_type_array))
                return -EBADMSG;

        n = json_object_array_length(array);
        rep.rows = calloc(MAX(n, (size_t) 1), sizeof(AnalyzeRow));
        if (!rep.rows)
                return -ENOMEM;
        for (size_t i = 0; i < n; i++) {
                r = parse_row(json_object_array_get_idx(array, i), rep.rows + rep.n_rows++);
                if (r < 0)
                        return r;
        }

        r = analyze_overall_exposure(rep.rows, rep.n_rows);
        rep.exposure = r < 0 ? -1 : r;

        *ret = rep;
        rep = (AnalyzeReport) { .exposure = -1 };
        return 0;
}

int analyze_row_exposure(const AnalyzeRow *row) {
        unsigned whole, tenth;
        int n = 0;

        if (!row->exposure || sscanf(row->exposure, "%3u.%1u%n", &whole, &tenth, &n) != 2 ||
            row->exposure[n] != '\0' || !isdigit((unsigned char) row->exposure[0]) || whole > 10)
                return -EBADMSG;
        return (int) (whole * 10 + tenth);
}

#define DIV_ROUND_UP(x, y) ((x) / (y) + !!((x) % (y)))

int analyze_overall_exposure(const AnalyzeRow *rows, size_t n_rows) {
        uint64_t badness_sum = 0, weight_sum = 0;

        for (size_t i = 0; i < n_rows; i++) {
                const AnalyzeRow *row = rows + i;

                if (row->badness == UINT64_MAX)
                        continue;       /* does not apply */
                if (row->range == 0 || row->badness > row->range || row->weight > UINT32_MAX)
                        return -EBADMSG;
                badness_sum += DIV_ROUND_UP(row->badness * row->weight, row->range);
                weight_sum += row->weight;
        }
        if (weight_sum == 0 || badness_sum > weight_sum)
                return -EBADMSG;
        return (int) DIV_ROUND_UP(badness_sum * 100U, weight_sum);
}

/* Runs argv with stdout captured; stderr passes through (systemd-analyze warns about our unknown keys
 * there). Returns the exit status (≥ 0) or -errno. */
static int run_capture(char *const argv[], char **ret_output) {
        _cleanup_free_ char *buf = NULL;
        int fds[2], status, r;
        pid_t pid;

        if (pipe2(fds, O_CLOEXEC) < 0)
                return -errno;
        pid = fork();
        if (pid < 0) {
                safe_close(fds[0]);
                safe_close(fds[1]);
                return -errno;
        }
        if (pid == 0) {
                if (dup2(fds[1], STDOUT_FILENO) < 0)
                        _exit(EXIT_FAILURE);
                /* Its "Unknown key" notices about our directives are expected: keep them out of our
                 * report unless debugging. */
                if (log_get_max_level() < LOG_DEBUG) {
                        int null = open("/dev/null", O_WRONLY | O_CLOEXEC);

                        if (null >= 0)
                                (void) dup2(null, STDERR_FILENO);
                }
                /* Each row with its weight, badness and range: what the overall exposure is computed from. */
                if (setenv("SYSTEMD_ANALYZE_DEBUG", "1", 1) < 0)
                        _exit(EXIT_FAILURE);
                execv(argv[0], argv);
                _exit(127);
        }
        safe_close(fds[1]);

        r = read_full_fd(fds[0], &buf, NULL);
        safe_close(fds[0]);
        if (waitpid(pid, &status, 0) < 0)
                return -errno;
        if (r < 0)
                return r;       /* whatever came is not the whole report */
        *ret_output = TAKE_PTR(buf);
        return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

int analyze_security_unit(const char *unit, UnitScope scope, bool offline, const char *root,
                          AnalyzeReport *ret) {
        _cleanup_free_ char *json = NULL, *root_arg = NULL;
        char *argv[10];
        size_t n = 0;
        int r, status;

        argv[n++] = (char *) SYSTEMD_ANALYZE_PATH;
        argv[n++] = (char *) "security";
        argv[n++] = (char *) "--no-pager";
        if (scope == UNIT_SCOPE_USER)
                argv[n++] = (char *) "--user";
        if (offline)
                argv[n++] = (char *) "--offline=true";
        if (root) {
                if (asprintf(&root_arg, "--root=%s", root) < 0)
                        return log_oom();
                argv[n++] = root_arg;
        }
        argv[n++] = (char *) "--json=short";
        argv[n++] = (char *) unit;
        argv[n] = NULL;

        status = run_capture(argv, &json);
        if (status < 0)
                return log_error_errno(status, "Failed to run %s: %m", SYSTEMD_ANALYZE_PATH);
        if (status == 127)
                return log_error_errno(ENOENT, "Failed to run %s: not found.", SYSTEMD_ANALYZE_PATH);
        if (status != 0)
                return log_error_errno(EIO, "%s security %s failed with status %d.", SYSTEMD_ANALYZE_PATH,
                                       unit, status);

        r = analyze_parse_json(json, ret);
        if (r < 0)
                return log_error_errno(r, "Failed to parse the JSON output of %s security %s: %m",
                                       SYSTEMD_ANALYZE_PATH, unit);
        if (ret->exposure < 0)
                log_warning("Could not compute the overall exposure from the rows of %s security %s (no weight, "
                            "badness and range in them).", SYSTEMD_ANALYZE_PATH, unit);
        return 0;
}
