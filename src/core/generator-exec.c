/* SPDX-License-Identifier: LGPL-2.1-or-later */

#include <assert.h>
#include <limits.h>
#include <stdarg.h>

#include "error-message.h"
#include "exec-line.h"
#include "generator-exec.h"
#include "strv.h"
#include "text.h"
#include "unit-file.h"
#include "unit-specifier.h"

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

static int append_word(Text *t, const char *word, bool no_env, bool escape_percent) {
        _cleanup_free_ char *q = exec_quote_word(word, no_env, escape_percent);

        if (!q)
                return -ENOMEM;
        if (t->n > 0 && text_append(t, " ", 1) < 0)
                return -ENOMEM;
        return text_append(t, q, strlen(q));
}

static int append_option(Text *t, const char *option, const char *value, bool no_env,
                         bool escape_percent) {
        _cleanup_free_ char *w = NULL;

        if (asprintf(&w, "%s%s", option, value) < 0)
                return -ENOMEM;
        return append_word(t, w, no_env, escape_percent);
}

/* What systemd's config_parse_exec() checks of the executable, after specifiers. The executable moves
 * from systemd's path slot into our arguments, where nobody would check it any more. */
static const char *executable_problem(const char *path) {
        const char *slash = strrchr(path, '/');
        size_t n = strlen(path);

        if (n == 0)
                return "empty executable path";
        for (const char *c = path; *c; c++)
                if ((*c > 0 && *c < ' ') || *c == 0x7f || strchr("\"'\\", *c))
                        return "the executable path contains special characters";
        if (path[n - 1] == '/' || endswith(path, "/.") || endswith(path, "/..") || streq(path, ".") || streq(path, ".."))
                return "the executable path specifies a directory";
        if (path[0] == '/' ? n >= PATH_MAX : (slash || n > NAME_MAX))
                return "neither a valid executable name nor an absolute path";
        return NULL;
}

/* Whether systemd accepts the command as written: -EBADMSG with the reason if not. */
static int check_command(const ExecCommandRaw *c, unsigned version, char **ret_problem) {
        const char *why;
        char bad;
        int r;

        if (unit_specifiers_check(c->path, version, &bad) < 0)
                return set_error(ret_problem, -EBADMSG, "Unknown specifier '%%%c' in the executable \"%s\"", bad, c->path);
        why = executable_problem(c->path);
        if (why)
                return set_error(ret_problem, -EBADMSG, "Invalid executable \"%s\": %s", c->path, why);

        /* argv[0] ("@") and the arguments, each as systemd will take it. */
        for (const char *p = c->argv0_raw_start ?: c->args_raw_start; p < c->args_raw_end; ) {
                _cleanup_free_ char *w = NULL;

                /* "\;" is a literal ";" for systemd, taken without unescaping. */
                if (p[0] == '\\' && p[1] == ';' && (!p[2] || strchr(WHITESPACE, p[2]))) {
                        p += 2;
                        p += strspn(p, WHITESPACE);
                        continue;
                }
                r = extract_first_word(&p, &w, NULL, EXEC_WORD_FLAGS);
                if (r < 0)
                        return set_error(ret_problem, -EBADMSG, "Cannot parse the arguments of \"%s\"", c->path);
                if (r == 0)
                        break;
                if (unit_specifiers_check(w, version, &bad) < 0)
                        return set_error(ret_problem, -EBADMSG, "Unknown specifier '%%%c' in the argument \"%s\" of \"%s\"",
                                       bad, w, c->path);
        }
        return 0;
}

const char *exec_identity(const char *path) {
        const char *name = strrchr(path, '/') ? strrchr(path, '/') + 1 : path;

        if (isempty(name) || streq(name, ".") || streq(name, "..") || strlen(name) > NAME_MAX)
                return NULL;
        for (const char *c = name; *c; c++)
                if (!strchr("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._+-@", *c))
                        return NULL;
        return name;
}

/* The enforcer, through the link named after the command's identity when there is one. */
static int append_enforcer_path(const ExecCommandRaw *c, const ExecWrapContext *ctx, Text *t) {
        const char *identity = ctx->identity_dir ? exec_identity(c->path) : NULL;
        int r;

        if (!identity)
                return text_append(t, ctx->exec_path, strlen(ctx->exec_path));

        if (!strv_contains(*ctx->identities, identity)) {
                r = strv_extend(ctx->identities, identity);
                if (r < 0)
                        return r;
        }
        r = text_append(t, ctx->identity_dir, strlen(ctx->identity_dir));
        if (r >= 0)
                r = text_append(t, "/", 1);
        if (r >= 0)
                r = text_append(t, identity, strlen(identity));
        return r;
}

void exec_words_quoted_done(ExecWordsQuoted *q) {
        for (size_t i = 0; i < 2; i++)
                for (size_t j = 0; j < 2; j++)
                        q->text[i][j] = mfree(q->text[i][j]);
}

/* The policy words (those of control commands for them), quoted, each after a blank: from ctx->quoted
 * once they were quoted for another command of the unit. */
static int append_policy_words(const ExecWrapContext *ctx, bool no_env, Text *t) {
        bool control = ctx->control && ctx->control_words;
        _cleanup_(text_done) Text q = {};
        char **slot;
        int r;

        if (ctx->quoted && ctx->quoted->text[control][no_env]) {
                slot = &ctx->quoted->text[control][no_env];
                return text_append(t, *slot, strlen(*slot));
        }

        r = text_append(&q, "", 0);
        STRV_FOREACH(w, control ? ctx->control_words : ctx->policy_words) {
                _cleanup_free_ char *quoted = r >= 0 ? exec_quote_word(*w, no_env, false) : NULL;

                if (!quoted)
                        return -ENOMEM;
                r = text_append(&q, " ", 1);
                if (r >= 0)
                        r = text_append(&q, quoted, strlen(quoted));
        }
        if (r >= 0)
                r = text_append(t, q.buf ?: "", q.n);
        if (r >= 0 && ctx->quoted)
                ctx->quoted->text[control][no_env] = text_steal(&q) ?: strdup("");
        return r;
}

/* The enforcer and its options, up to and including "--". */
static int append_enforcer(const ExecCommandRaw *c, const ExecWrapContext *ctx, bool no_env, Text *t) {
        int r;

        r = append_enforcer_path(c, ctx, t);
        if (r >= 0 && ctx->unit)
                r = append_option(t, "--unit=", ctx->unit, no_env, false);
        if (r >= 0 && ctx->condition)
                r = append_word(t, "--condition", no_env, false);
        if (r >= 0 && ctx->error)
                r = append_option(t, "--error=", ctx->error, no_env, true);
        else if (r >= 0)
                r = append_policy_words(ctx, no_env, t);
        if (r >= 0 && ctx->search_path)
                r = append_option(t, "--search-path=", ctx->search_path, no_env, false);
        if (r >= 0 && c->argv0_raw_start)
                r = append_word(t, "--separate-argv0", no_env, false);
        if (r < 0)
                return r;
        /* Every word the unit or its environment controls comes after "--": "$VAR" may become several
         * words, and the enforcer never reads a word after "--" as an option. */
        return text_append(t, " --", 3);
}

/* The executable moves from systemd's path slot into argv, where "$" would now be expanded and a lone ";"
 * would separate commands: keep the token as written unless that changes its meaning ("$" checked once
 * unescaped: "\x24" is one too), or the prefixes are not plainly in front. Requoted, specifiers stay
 * specifiers: systemd expands them in the path slot as in argv. */
static int append_executable(const ExecCommandRaw *c, bool no_env, Text *t) {
        size_t k = strlen(c->prefix);
        const char *raw = c->path_raw_start + k;
        size_t raw_n = c->path_raw_end - raw;
        int r;

        if (!strneq(c->path_raw_start, c->prefix, k) || (!no_env && strchr(c->path, '$')) ||
            (raw_n == 1 && raw[0] == ';'))
                return append_word(t, c->path, no_env, false);
        r = text_append(t, " ", 1);
        if (r < 0)
                return r;
        return text_append(t, raw, raw_n);
}

/* A span of the command as written, after a blank. */
static int append_raw(Text *t, const char *start, const char *end) {
        int r;

        r = text_append(t, " ", 1);
        if (r < 0)
                return r;
        return text_append(t, start, end - start);
}

static int wrap_one(const ExecCommandRaw *c, const ExecWrapContext *ctx, Text *t) {
        bool no_env = strchr(c->prefix, ':');
        char prefix[8];
        size_t m = 0;
        int r;

        /* Full privileges: systemd does not sandbox these, neither do we. */
        if (strchr(c->prefix, '+'))
                return text_append(t, c->raw_start, c->raw_end - c->raw_start);

        /* Our prefixes, minus "@": the enforcer is told with --separate-argv0. */
        for (const char *p = c->prefix; *p; p++)
                if (*p != '@')
                        prefix[m++] = *p;
        prefix[m] = '\0';

        r = text_append(t, prefix, m);
        if (r >= 0)
                r = append_enforcer(c, ctx, no_env, t);
        if (r >= 0)
                r = append_executable(c, no_env, t);
        if (r >= 0 && c->argv0_raw_start)
                r = append_raw(t, c->argv0_raw_start, c->argv0_raw_end);
        if (r >= 0 && c->args_raw_end > c->args_raw_start)
                r = append_raw(t, c->args_raw_start, c->args_raw_end);
        return r;
}

int exec_line_refusal(const ExecWrapContext *ctx, const char *error, char **ret) {
        _cleanup_(text_done) Text buf = {};
        int r;

        assert(ctx);
        assert(error);
        assert(ret);

        r = text_append(&buf, ctx->exec_path, strlen(ctx->exec_path));
        if (r >= 0 && ctx->unit)
                r = append_option(&buf, "--unit=", ctx->unit, false, false);
        if (r >= 0 && ctx->condition)
                r = append_word(&buf, "--condition", false, false);
        if (r >= 0)
                r = append_option(&buf, "--error=", error, false, true);
        if (r >= 0)
                r = text_append(&buf, " --", 3);
        if (r < 0)
                return r;

        *ret = text_steal(&buf);
        return 0;
}

int exec_line_wrap(const char *value, const ExecWrapContext *ctx, char **ret, char **ret_problem) {
        _cleanup_exec_commands_ ExecCommandRaw *cmds = NULL;
        _cleanup_(text_done) Text buf = {};
        size_t n_cmds = 0;
        int r;

        assert(value);
        assert(ctx);
        assert(ret);
        assert(ret_problem);

        *ret = NULL;
        *ret_problem = NULL;

        r = exec_line_split(value, &cmds, &n_cmds);
        if (r == -EINVAL)
                /* Kept as written, a line we cannot split could still be run by systemd, in part (the
                 * commands before a bad one on a ";" line), and then unconfined. */
                return set_error(ret_problem, -EBADMSG, "Cannot parse the command line");
        if (r < 0)
                return r;

        /* systemd 258's "|" prefix runs the line through the user's shell: a prefix there, not an error
         * that "-" would excuse. We do not wrap it: refuse, whatever the other prefixes. */
        for (size_t i = 0; i < n_cmds; i++)
                if (cmds[i].path[0] == '|')
                        return set_error(ret_problem, -EBADMSG, "The \"|\" prefix (run through the user's shell) is not "
                                       "supported with Landlock directives: name the shell explicitly, e.g. "
                                       "/bin/sh -c '…'");

        for (size_t i = 0; i < n_cmds && r >= 0; i++) {
                _cleanup_free_ char *why = NULL;

                /* "+" commands too: we write them back as they are, and a line systemd rejects would end
                 * our drop-in. */
                r = check_command(&cmds[i], ctx->version, &why);
                if (r == -EBADMSG && strchr(cmds[i].prefix, '-')) {
                        /* systemd ignores such a command and the rest of the line ("-"). */
                        r = 0;
                        break;
                }
                if (r == -EBADMSG) {
                        *ret_problem = TAKE_PTR(why);
                        break;
                }
                if (r < 0)
                        break;
                if (buf.n > 0)
                        r = text_append(&buf, " ; ", 3);
                if (r >= 0)
                        r = wrap_one(&cmds[i], ctx, &buf);
        }
        if (r < 0)
                return r;

        /* No command at all (e.g. a lone ";"): systemd adds nothing, and we must not write an empty
         * assignment, which would reset the list. */
        *ret = text_steal(&buf);
        return 0;
}
