/* SPDX-License-Identifier: LGPL-2.1-or-later */

#include <assert.h>

#include "exec-line.h"
#include "generator-exec.h"
#include "strv.h"
#include "unit-file.h"

char *exec_quote_word(const char *word, bool no_env, bool escape_percent) {
        _cleanup_free_ char *q = NULL;
        char *r, *t;
        size_t n = 0;

        q = unit_file_quote_word(word, !no_env);
        if (!q || !escape_percent)
                return TAKE_PTR(q);

        for (const char *c = q; *c; c++)
                n += *c == '%' ? 2 : 1;
        r = t = malloc(n + 1);
        if (!r)
                return NULL;
        for (const char *c = q; *c; c++) {
                if (*c == '%')
                        *t++ = '%';
                *t++ = *c;
        }
        *t = '\0';
        return r;
}

int buf_append(char **buf, size_t *n, const char *s, size_t len) {
        char *b = realloc(*buf, *n + len + 1);

        if (!b)
                return -ENOMEM;
        memcpy(b + *n, s, len);
        *n += len;
        b[*n] = '\0';
        *buf = b;
        return 0;
}

static int append_word(char **buf, size_t *n, const char *word, bool no_env, bool escape_percent) {
        _cleanup_free_ char *q = exec_quote_word(word, no_env, escape_percent);

        if (!q)
                return -ENOMEM;
        if (*n > 0 && buf_append(buf, n, " ", 1) < 0)
                return -ENOMEM;
        return buf_append(buf, n, q, strlen(q));
}

static int append_option(char **buf, size_t *n, const char *option, const char *value, bool no_env,
                         bool escape_percent) {
        _cleanup_free_ char *w = NULL;

        if (asprintf(&w, "%s%s", option, value) < 0)
                return -ENOMEM;
        return append_word(buf, n, w, no_env, escape_percent);
}

static int wrap_one(const ExecCommandRaw *c, const ExecWrapContext *ctx, char **buf, size_t *n) {
        bool no_env = strchr(c->prefix, ':');
        size_t k = strlen(c->prefix);
        char prefix[8];
        size_t m = 0;
        int r;

        /* Full privileges: systemd does not sandbox these, neither do we. */
        if (strchr(c->prefix, '+'))
                return buf_append(buf, n, c->raw_start, c->raw_end - c->raw_start);

        /* Our prefixes, minus "@": the enforcer gets argv[0] as --argv0. */
        for (const char *p = c->prefix; *p; p++)
                if (*p != '@')
                        prefix[m++] = *p;
        prefix[m] = '\0';

        r = buf_append(buf, n, prefix, m);
        if (r < 0)
                return r;
        r = buf_append(buf, n, ctx->exec_path, strlen(ctx->exec_path));
        if (r < 0)
                return r;
        if (ctx->unit) {
                r = append_option(buf, n, "--unit=", ctx->unit, no_env, false);
                if (r < 0)
                        return r;
        }
        if (ctx->error) {
                r = append_option(buf, n, "--error=", ctx->error, no_env, true);
                if (r < 0)
                        return r;
        } else
                STRV_FOREACH(w, ctx->policy_words) {
                        r = append_word(buf, n, *w, no_env, false);
                        if (r < 0)
                                return r;
                }
        if (ctx->search_path) {
                r = append_option(buf, n, "--search-path=", ctx->search_path, no_env, false);
                if (r < 0)
                        return r;
        }
        if (c->argv0_raw_start) {
                r = buf_append(buf, n, " --argv0 ", 9);
                if (r >= 0)
                        r = buf_append(buf, n, c->argv0_raw_start, c->argv0_raw_end - c->argv0_raw_start);
                if (r < 0)
                        return r;
        }
        r = buf_append(buf, n, " --", 3);
        if (r < 0)
                return r;

        /* The executable moves from systemd's path slot into argv, where "$" would now be expanded: keep
         * the token as written unless that changes its meaning or the prefixes are not plainly in front. */
        if (strneq(c->path_raw_start, c->prefix, k) &&
            (no_env || !memchr(c->path_raw_start, '$', c->path_raw_end - c->path_raw_start))) {
                r = buf_append(buf, n, " ", 1);
                if (r >= 0)
                        r = buf_append(buf, n, c->path_raw_start + k, c->path_raw_end - c->path_raw_start - k);
        } else
                r = append_word(buf, n, c->path, no_env, true);
        if (r < 0)
                return r;

        if (c->args_raw_end > c->args_raw_start) {
                r = buf_append(buf, n, " ", 1);
                if (r >= 0)
                        r = buf_append(buf, n, c->args_raw_start, c->args_raw_end - c->args_raw_start);
        }
        return r;
}

int exec_line_refusal(const ExecWrapContext *ctx, const char *error, char **ret) {
        _cleanup_free_ char *buf = NULL;
        size_t n = 0;
        int r;

        assert(ctx);
        assert(error);
        assert(ret);

        r = buf_append(&buf, &n, ctx->exec_path, strlen(ctx->exec_path));
        if (r >= 0 && ctx->unit)
                r = append_option(&buf, &n, "--unit=", ctx->unit, false, false);
        if (r >= 0)
                r = append_option(&buf, &n, "--error=", error, false, true);
        if (r >= 0)
                r = buf_append(&buf, &n, " --", 3);
        if (r < 0)
                return r;

        *ret = TAKE_PTR(buf);
        return 0;
}

int exec_line_wrap(const char *value, const ExecWrapContext *ctx, char **ret) {
        _cleanup_free_ char *buf = NULL;
        ExecCommandRaw *cmds = NULL;
        size_t n_cmds = 0, n = 0;
        int r;

        assert(value);
        assert(ctx);
        assert(ret);

        r = exec_line_split(value, &cmds, &n_cmds);
        if (r == -EINVAL) {
                _cleanup_free_ char *error = NULL;

                /* Kept as written, a line we cannot split could still be run by systemd, in part (the
                 * commands before a bad one on a ";" line), and then unconfined. Refuse it instead. */
                if (asprintf(&error, "Cannot parse the command line \"%s\" of a unit with Landlock directives; "
                             "refusing to run it rather than risk running it unconfined.", value) < 0)
                        return -ENOMEM;
                return exec_line_refusal(ctx, error, ret);
        }
        if (r < 0)
                return r;

        /* systemd 258's "|" prefix runs the command line through the user's shell. We do not wrap that
         * (yet): refuse clearly rather than let the enforcer look for a program named "|…". */
        for (size_t i = 0; i < n_cmds; i++)
                if (cmds[i].path[0] == '|') {
                        _cleanup_free_ char *error = NULL;

                        for (size_t j = 0; j < n_cmds; j++)
                                exec_command_raw_done(&cmds[j]);
                        free(cmds);
                        if (asprintf(&error, "The \"|\" prefix (run through the user's shell) of \"%s\" is not supported "
                                     "with Landlock directives: name the shell explicitly, e.g. /bin/sh -c '…'.", value) < 0)
                                return -ENOMEM;
                        return exec_line_refusal(ctx, error, ret);
                }

        for (size_t i = 0; i < n_cmds && r >= 0; i++) {
                if (i > 0)
                        r = buf_append(&buf, &n, " ; ", 3);
                if (r >= 0)
                        r = wrap_one(&cmds[i], ctx, &buf, &n);
        }
        for (size_t i = 0; i < n_cmds; i++)
                exec_command_raw_done(&cmds[i]);
        free(cmds);
        if (r < 0)
                return r;

        if (!buf) {
                buf = strdup("");
                if (!buf)
                        return -ENOMEM;
        }
        *ret = TAKE_PTR(buf);
        return 0;
}
