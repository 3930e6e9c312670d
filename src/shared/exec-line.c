/* SPDX-License-Identifier: LGPL-2.1-or-later */

#include "alloc-util.h"
#include "exec-line.h"
#include "unit-file.h"

void exec_command_raw_done(ExecCommandRaw *c) {
        assert(c);
        free(c->path);
        *c = (ExecCommandRaw) {};
}

ExecCommandRaw *exec_commands_free(ExecCommandRaw *cmds) {
        for (ExecCommandRaw *c = cmds; c && c->path; c++)
                exec_command_raw_done(c);
        return mfree(cmds);
}

/* The prefixes systemd 252 knows, each at most once ("!" twice means "!!"); "+" excludes "!". */
static size_t parse_prefix(const char *f, char prefix[static 8]) {
        bool ignore = false, argv0 = false, no_env = false, plus = false;
        unsigned bang = 0;
        size_t n = 0;

        for (;; f++) {
                if (*f == '-' && !ignore)
                        ignore = true;
                else if (*f == '@' && !argv0)
                        argv0 = true;
                else if (*f == ':' && !no_env)
                        no_env = true;
                else if (*f == '+' && !plus && bang == 0)
                        plus = true;
                else if (*f == '!' && !plus && bang < 2)
                        bang++;
                else
                        break;
                prefix[n++] = *f;
        }
        prefix[n] = '\0';
        return n;
}

static bool is_separator_token(const char *p) {
        return p[0] == ';' && (p[1] == '\0' || strchr(" \t\n\r", p[1]));
}

/* Returns 1 with the next command in *c, 0 at the end of the line. */
static int split_one(const char **p, ExecCommandRaw *c) {
        _cleanup_free_ char *first = NULL;
        const char *s, *e;
        size_t k;
        int r;

        /* systemd skips a first word that is ";" once unquoted: "a ; ; b" and "; a" run a, b and a. */
        do {
                first = mfree(first);
                r = extract_first_word_raw(p, &first, NULL, EXEC_WORD_FLAGS, &s, &e);
                if (r <= 0)
                        return r;
        } while (streq(first, ";"));

        c->raw_start = c->path_raw_start = s;
        c->path_raw_end = c->raw_end = e;

        k = parse_prefix(first, c->prefix);
        if (first[k] == '\0')
                return -EINVAL;         /* "-" or "@" with no command: systemd ignores the line */
        c->path = strdup(first + k);
        if (!c->path)
                return -ENOMEM;

        if (strchr(c->prefix, '@')) {
                _cleanup_free_ char *argv0 = NULL;

                if (is_separator_token(*p))
                        return -EINVAL;
                r = extract_first_word_raw(p, &argv0, NULL, EXEC_WORD_FLAGS, &s, &e);
                if (r < 0)
                        return r;
                if (r == 0)
                        return -EINVAL;
                c->argv0_raw_start = s;
                c->raw_end = c->argv0_raw_end = e;
        }

        c->args_raw_start = c->args_raw_end = *p;
        while (**p && !is_separator_token(*p)) {
                _cleanup_free_ char *w = NULL;

                r = extract_first_word_raw(p, &w, NULL, EXEC_WORD_FLAGS, &s, &e);
                if (r < 0)
                        return r;
                if (r == 0)
                        break;
                c->args_raw_end = c->raw_end = e;
        }

        if (is_separator_token(*p)) {
                (*p)++;
                *p += strspn(*p, " \t\n\r");
        }
        return 1;
}

int exec_line_split(const char *value, ExecCommandRaw **ret, size_t *ret_n) {
        _cleanup_exec_commands_ ExecCommandRaw *cmds = NULL;
        size_t n = 0;
        int r = 0;

        assert(value);
        assert(ret);
        assert(ret_n);

        for (const char *p = value + strspn(value, " \t\n\r"); *p; ) {
                ExecCommandRaw c = {};

                r = split_one(&p, &c);
                if (r <= 0) {
                        exec_command_raw_done(&c);
                        break;
                }

                /* Always one more, zeroed: the end of the list for exec_commands_free(). */
                if (!GREEDY_REALLOC(cmds, n + 2)) {
                        exec_command_raw_done(&c);
                        return -ENOMEM;
                }
                cmds[n++] = c;
                cmds[n] = (ExecCommandRaw) {};
        }
        if (r < 0)
                return r;

        *ret = TAKE_PTR(cmds);
        *ret_n = n;
        return (int) n;
}
