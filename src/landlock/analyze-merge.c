/* SPDX-License-Identifier: LGPL-2.1-or-later */

#include <assert.h>
#include <ctype.h>
#include <fcntl.h>
#include <sys/wait.h>

#include "alloc-util.h"
#include "fileio.h"
#include "analyze-merge.h"
#include "log.h"

static void analyze_row_done(AnalyzeRow *r) {
        free(r->name);
        free(r->json_field);
        free(r->description);
        free(r->exposure);
}

void analyze_report_done(AnalyzeReport *r) {
        for (size_t i = 0; i < r->n_rows; i++)
                analyze_row_done(r->rows + i);
        free(r->rows);
        free(r->raw_json);
        *r = (AnalyzeReport) { .exposure = -1 };
}

/* JSON's whitespace, not isspace()'s (no \f or \v). */
static void skip_space(const char **p) {
        *p += strspn(*p, " \t\n\r");
}

/* "\uXXXX": exactly four hex digits. */
static int parse_hex4(const char *q, unsigned *ret) {
        unsigned v = 0;

        for (int i = 0; i < 4; i++) {
                if (!isxdigit((unsigned char) q[i]))
                        return -EBADMSG;
                v = v << 4 | (unsigned) (isdigit((unsigned char) q[i]) ? q[i] - '0' : (q[i] | 0x20) - 'a' + 10);
        }
        *ret = v;
        return 0;
}

/* A JSON string at *p (escapes decoded, \u only for ASCII, which is all systemd-analyze emits for
 * control characters; others are kept as '?'). The text is embedded in our own JSON output as it is,
 * so it must be JSON: no raw control characters. */
static int parse_string(const char **p, char **ret) {
        _cleanup_free_ char *s = NULL;
        size_t n = 0;
        const char *q = *p;

        if (*q != '"')
                return -EBADMSG;
        s = malloc(strlen(q) + 1);
        if (!s)
                return -ENOMEM;
        for (q++; *q != '"'; q++) {
                if ((unsigned char) *q < 0x20)
                        return -EBADMSG;        /* the end of the text included */
                if (*q != '\\') {
                        s[n++] = *q;
                        continue;
                }
                q++;
                switch (*q) {
                case '"': case '\\': case '/': s[n++] = *q; break;
                case 'n': s[n++] = '\n'; break;
                case 't': s[n++] = '\t'; break;
                case 'r': s[n++] = '\r'; break;
                case 'b': s[n++] = '\b'; break;
                case 'f': s[n++] = '\f'; break;
                case 'u': {
                        unsigned v;

                        if (parse_hex4(q + 1, &v) < 0)
                                return -EBADMSG;
                        s[n++] = v < 0x80 ? (char) v : '?';
                        q += 4;
                        break;
                }
                default:
                        return -EBADMSG;
                }
        }
        s[n] = '\0';
        *p = q + 1;
        *ret = TAKE_PTR(s);
        return 0;
}

static size_t digits(const char *q) {
        return strspn(q, "0123456789");
}

/* The length of the JSON number at q ("-0.5e3"), or 0 if there is none. */
static size_t json_number_length(const char *q) {
        const char *start = q;
        size_t k;

        if (*q == '-')
                q++;
        k = digits(q);
        if (k == 0 || (q[0] == '0' && k > 1))
                return 0;       /* no digits, or a leading zero */
        q += k;
        if (*q == '.') {
                k = digits(++q);
                if (k == 0)
                        return 0;
                q += k;
        }
        if (*q == 'e' || *q == 'E') {
                q++;
                if (*q == '+' || *q == '-')
                        q++;
                k = digits(q);
                if (k == 0)
                        return 0;
                q += k;
        }
        return q - start;
}

/* A scalar value: string (*ret_string), true/false (1/0), null (-1). Numbers are kept as strings. */
static int parse_scalar(const char **p, char **ret_string, int *ret_bool) {
        *ret_string = NULL;
        *ret_bool = -1;

        if (**p == '"')
                return parse_string(p, ret_string);
        if (startswith(*p, "true")) {
                *ret_bool = 1;
                *p += 4;
        } else if (startswith(*p, "false")) {
                *ret_bool = 0;
                *p += 5;
        } else if (startswith(*p, "null"))
                *p += 4;
        else {
                size_t l = json_number_length(*p);

                if (l == 0)
                        return -EBADMSG;
                *ret_string = strndup(*p, l);
                if (!*ret_string)
                        return -ENOMEM;
                *p += l;
        }
        return 0;
}

static int parse_row(const char **p, AnalyzeRow *row) {
        int r;

        *row = (AnalyzeRow) { .set = -1 };
        if (**p != '{')
                return -EBADMSG;
        (*p)++;
        skip_space(p);
        if (**p == '}') {
                (*p)++;
                return 0;
        }
        for (;;) {
                _cleanup_free_ char *key = NULL, *s = NULL;
                int b;

                skip_space(p);
                r = parse_string(p, &key);
                if (r < 0)
                        return r;
                skip_space(p);
                if (**p != ':')
                        return -EBADMSG;
                (*p)++;
                skip_space(p);
                r = parse_scalar(p, &s, &b);
                if (r < 0)
                        return r;

                /* A key given twice: the last one counts, as with most JSON readers. */
                if (streq(key, "set"))
                        row->set = b;
                else if (streq(key, "name"))
                        free_and_replace(row->name, s);
                else if (streq(key, "json_field"))
                        free_and_replace(row->json_field, s);
                else if (streq(key, "description"))
                        free_and_replace(row->description, s);
                else if (streq(key, "exposure"))
                        free_and_replace(row->exposure, s);

                skip_space(p);
                if (**p == ',') {
                        (*p)++;
                        continue;
                }
                if (**p == '}') {
                        (*p)++;
                        return 0;
                }
                return -EBADMSG;
        }
}

int analyze_parse_json(const char *text, AnalyzeReport *ret) {
        AnalyzeReport rep = { .exposure = -1 };
        const char *p = text;
        int r;

        assert(text);
        assert(ret);

        skip_space(&p);
        if (*p != '[')
                return -EBADMSG;
        p++;
        skip_space(&p);
        if (*p == ']')
                p++;
        else
                for (;;) {

                        if (!GREEDY_REALLOC(rep.rows, rep.n_rows + 1)) {
                                analyze_report_done(&rep);
                                return -ENOMEM;
                        }
                        skip_space(&p);
                        r = parse_row(&p, rep.rows + rep.n_rows);
                        rep.n_rows++;
                        if (r < 0) {
                                analyze_report_done(&rep);
                                return r;
                        }
                        skip_space(&p);
                        if (*p == ',') {
                                p++;
                                continue;
                        }
                        if (*p == ']') {
                                p++;
                                break;
                        }
                        analyze_report_done(&rep);
                        return -EBADMSG;
                }

        skip_space(&p);
        if (*p != '\0') {
                analyze_report_done(&rep);
                return -EBADMSG;
        }
        *ret = rep;
        return 0;
}

int analyze_parse_overall(const char *text) {
        const char *p = strstr(text, "Overall exposure level for ");
        unsigned whole, tenth;

        if (!p)
                return -EBADMSG;
        p = strstr(p, ": ");
        if (!p || sscanf(p + 2, "%u.%1u", &whole, &tenth) != 2 || whole > 10)
                return -EBADMSG;
        return (int) (whole * 10 + tenth);
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
        _cleanup_free_ char *json = NULL, *text = NULL, *root_arg = NULL;
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
        /* Embedded in our own JSON: no trailing newline. */
        for (size_t l = strlen(json); l > 0 && isspace((unsigned char) json[l - 1]); l--)
                json[l - 1] = '\0';
        ret->raw_json = TAKE_PTR(json);

        /* The JSON has no overall figure: run once more in text mode for it. */
        argv[n - 2] = (char *) unit;
        argv[n - 1] = NULL;
        status = run_capture(argv, &text);
        if (status >= 0)
                ret->exposure = analyze_parse_overall(text);
        if (ret->exposure < 0)
                log_warning("Could not read the overall exposure from %s security %s.", SYSTEMD_ANALYZE_PATH, unit);
        return 0;
}
