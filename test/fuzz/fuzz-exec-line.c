/* SPDX-License-Identifier: LGPL-2.1-or-later */

/* libFuzzer target: arbitrary bytes as the value of an Exec*= line, through the splitter
 * (exec_line_split()), the generator's rewriting (exec_line_wrap()) and the enforcer's argument parser.
 *
 * Invariant: what systemd would run is the same before and after wrapping. Each wrapped line must split
 * into as many commands as the original; a "+" command is kept as it was; any other one becomes the
 * enforcer with the same prefixes (minus "@"), and the enforcer, given the words systemd would pass it,
 * must find our options and, after "--", the original program and arguments (and argv[0] for "@").
 * A line that cannot be split must become a refusal that hands the enforcer the message unchanged.
 *
 * "What systemd would pass" is modelled on systemd 252's config_parse_exec() and exec_child(): words
 * are unquoted and C-unescaped, then specifiers are resolved (in the path and in the arguments), then,
 * at exec time and without the ":" prefix, environment variables in the arguments (argv[0] included)
 * but not in the path. Specifiers and variables are not looked up: they become markers (\x02, \x03,
 * \x04), so that "%i" and a literal "%i" (written "%%i") stay different. */

#include "exec-line.h"
#include "fuzz.h"
#include "generator-exec.h"
#include "landlock-args.h"
#include "strv.h"
#include "unit-file.h"

#define EXEC_PATH "/usr/libexec/systemd-landlock-exec"
#define WORD_FLAGS (EXTRACT_UNQUOTE|EXTRACT_CUNESCAPE|EXTRACT_CUNESCAPE_RELAX)

/* Our own words, with a specifier and a "$" in them: both must reach the enforcer as systemd resolves
 * them, whatever the prefixes of the command. */
static char *policy_words[] = { (char *) "--path=/srv/%i$x:ro", (char *) "--connect=tcp:5432", NULL };

/* specifier_printf(): "%%" is a literal "%", "%X" a specifier, a trailing "%" stays. */
static char *resolve_specifiers(const char *w) {
        char *s = malloc(strlen(w) + 1), *t = s;

        if (!s)
                abort();
        for (const char *p = w; *p; p++) {
                if (*p != '%' || p[1] == '\0')
                        *t++ = *p;
                else if (*++p == '%')
                        *t++ = '%';
                else {
                        *t++ = '\x02';
                        *t++ = *p;
                }
        }
        *t = '\0';
        return s;
}

/* replace_env_argv(): a word that is "$NAME" as a whole is replaced by the variable split into words;
 * elsewhere "${NAME}" is replaced and "$$" is a literal "$"; anything else stays. */
static char *resolve_variables(const char *w) {
        char *s = malloc(strlen(w) * 2 + 2), *t = s;

        if (!s)
                abort();
        if (w[0] == '$' && w[1] != '{' && w[1] != '$') {
                *t++ = '\x03';
                strcpy(t, w + 1);
                return s;
        }
        for (const char *p = w; *p; p++) {
                if (p[0] == '$' && p[1] == '$') {
                        *t++ = '$';
                        p++;
                } else if (p[0] == '$' && p[1] == '{' && strchr(p + 2, '}')) {
                        const char *e = strchr(p + 2, '}');

                        *t++ = '\x04';
                        memcpy(t, p + 2, e - p - 2);
                        t += e - p - 2;
                        *t++ = '\x04';
                        p = e;
                } else
                        *t++ = *p;
        }
        *t = '\0';
        return s;
}

/* The words of a span of a line, each as systemd would pass it. */
static char **span_words(const char *start, const char *end, bool expand_variables) {
        char *text = strndup(start, end - start);
        const char *p = text;
        char **l = NULL;

        if (!text)
                abort();
        for (;;) {
                _cleanup_free_ char *w = NULL;
                char *resolved;
                int r = extract_first_word(&p, &w, NULL, WORD_FLAGS);

                fuzz_assert(r >= 0, "a span exec_line_split() accepted does not split again: \"%s\"", text);
                if (r == 0)
                        break;
                resolved = resolve_specifiers(w);
                if (expand_variables) {
                        char *v = resolve_variables(resolved);
                        free(resolved);
                        resolved = v;
                }
                if (strv_push(&l, resolved) < 0)
                        abort();
        }
        free(text);
        return l ?: calloc(1, sizeof(char *));
}

static bool has_prefix(const ExecCommandRaw *c, char p) {
        return strchr(c->prefix, p);
}

static void assert_strv_equal(char **a, char **b, const char *what) {
        size_t i;

        for (i = 0; a[i] && b[i]; i++)
                fuzz_assert(streq(a[i], b[i]), "%s: word %zu differs: \"%s\" vs \"%s\"", what, i, a[i], b[i]);
        fuzz_assert(!a[i] && !b[i], "%s: %zu vs %zu words", what, strv_length(a), strv_length(b));
}

/* What systemd runs for one command: the program, and argv as the program sees it. */
typedef struct Run {
        char *program;
        char *argv0;                    /* NULL: systemd's argv[0] is the program path */
        char **args;                    /* argv[1…] */
} Run;

static void run_done(Run *r) {
        free(r->program);
        free(r->argv0);
        strv_free(r->args);
}

static Run original_run(const ExecCommandRaw *c) {
        bool env = !has_prefix(c, ':');
        Run r = {
                .program = resolve_specifiers(c->path),
                .args = span_words(c->args_raw_start, c->args_raw_end, env),
        };

        if (c->argv0_raw_start) {
                char **w = span_words(c->argv0_raw_start, c->argv0_raw_end, env);

                fuzz_assert(strv_length(w) == 1, "the \"@\" argv[0] is %zu words", strv_length(w));
                r.argv0 = strdup(w[0]);
                strv_free(w);
        }
        return r;
}

/* The enforcer's view of a wrapped command: parse its words, take the program and argv after "--". */
static void parse_wrapped(const ExecCommandRaw *w, LandlockExecOptions *o) {
        _cleanup_strv_free_ char **argv = NULL, **words = NULL;
        _cleanup_free_ char *error = NULL;
        int r;

        words = span_words(w->args_raw_start, w->args_raw_end, !has_prefix(w, ':'));
        /* A word that is a variable as a whole becomes as many words as the variable has (maybe none):
         * among our options, that would shift what the enforcer reads. */
        STRV_FOREACH(word, words) {
                if (streq(*word, "--"))
                        break;
                fuzz_assert((*word)[0] != '\x03', "a whole-word variable among the enforcer's options: %s",
                            *word + 1);
        }
        if (strv_extend(&argv, w->path) < 0 || strv_extend_strv(&argv, words) < 0)
                abort();
        r = landlock_args_parse((int) strv_length(argv), argv, o, &error);
        fuzz_assert(r >= 0, "the enforcer rejects a wrapped command: %s", error ?: "(no message)");
}

static void check_wrapped_command(const ExecCommandRaw *c, const ExecCommandRaw *w, const ExecWrapContext *ctx) {
        _cleanup_(landlock_exec_options_done) LandlockExecOptions o = { .policy = LANDLOCK_POLICY_INIT };
        _cleanup_(run_done) Run orig = original_run(c);
        char expected_prefix[8];
        size_t m = 0;

        if (has_prefix(c, '+')) {
                _cleanup_(run_done) Run kept = original_run(w);

                fuzz_assert(streq(c->prefix, w->prefix), "\"+\" command: prefixes \"%s\" became \"%s\"",
                            c->prefix, w->prefix);
                fuzz_assert(streq(orig.program, kept.program), "\"+\" command: program \"%s\" became \"%s\"",
                            orig.program, kept.program);
                assert_strv_equal(orig.args, kept.args, "\"+\" command arguments");
                return;
        }

        for (const char *p = c->prefix; *p; p++)
                if (*p != '@')
                        expected_prefix[m++] = *p;
        expected_prefix[m] = '\0';
        fuzz_assert(streq(w->prefix, expected_prefix), "prefixes \"%s\" became \"%s\"", c->prefix, w->prefix);
        fuzz_assert(streq(w->path, EXEC_PATH), "the wrapped command runs \"%s\"", w->path);

        parse_wrapped(w, &o);
        fuzz_assert(!o.error, "a policy turned into --error=%s", o.error);
        fuzz_assert(o.command && o.command[0], "no command after \"--\"");
        fuzz_assert(streq(o.command[0], orig.program), "program \"%s\" became \"%s\"", orig.program, o.command[0]);
        /* "@": --separate-argv0, and argv[0] follows the program after "--". */
        fuzz_assert(o.separate_argv0 == !!orig.argv0, "--separate-argv0 %s for a command %s \"@\"",
                    o.separate_argv0 ? "set" : "missing", orig.argv0 ? "with" : "without");
        if (orig.argv0) {
                fuzz_assert(o.command[1] && streq(o.command[1], orig.argv0), "argv[0] \"%s\" became \"%s\"",
                            orig.argv0, strna(o.command[1]));
                assert_strv_equal(orig.args, o.command + 2, "arguments");
        } else
                assert_strv_equal(orig.args, o.command + 1, "arguments");
        fuzz_assert(o.unit && streq(o.unit, "fuzz@\x02" "i.service"), "--unit= is \"%s\"", strna(o.unit));
        if (ctx->search_path)
                fuzz_assert(o.search_path && strstr(o.search_path, "\x02" "i"),
                            "--search-path= is \"%s\"", strna(o.search_path));
        fuzz_assert(o.policy.n_paths == 1 && streq(o.policy.paths[0].path, "/srv/\x02i$x"),
                    "the policy's path arrived as \"%s\"", o.policy.n_paths > 0 ? o.policy.paths[0].path : "");
        fuzz_assert(o.policy.n_ports == 1, "%zu port rules arrived", o.policy.n_ports);
}

/* The line the generator writes for a refused unit must refuse, with the reason. */
static void check_refusal(const ExecWrapContext *ctx, const char *value) {
        _cleanup_(landlock_exec_options_done) LandlockExecOptions o = { .policy = LANDLOCK_POLICY_INIT };
        _cleanup_free_ char *wrapped = NULL;
        ExecCommandRaw *cmds = NULL;
        size_t n = 0;
        int r;

        if (exec_line_refusal(ctx, value, &wrapped) < 0)
                abort();
        r = exec_line_split(wrapped, &cmds, &n);
        fuzz_assert(r == 1, "a refusal splits into %d commands: %s", r, wrapped);
        fuzz_assert(streq(cmds[0].path, EXEC_PATH), "a refusal runs \"%s\"", cmds[0].path);
        parse_wrapped(&cmds[0], &o);
        fuzz_assert(o.error && strstr(o.error, value), "the refusal lost the line: --error=%s", strna(o.error));
        fuzz_assert(!o.command, "a refusal runs a command");
        exec_commands_free(cmds);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
        _cleanup_free_ char *value = NULL, *wrapped = NULL, *problem = NULL;
        ExecCommandRaw *cmds = NULL, *again = NULL;
        size_t n = 0, n_again = 0;
        bool refused = false;
        int r, r2;

        if (size < 1 || size > 4096)
                return 0;
        /* The first byte picks the context: with or without an ExecSearchPath=. */
        ExecWrapContext ctx = {
                .exec_path = EXEC_PATH,
                .unit = "fuzz@%i.service",
                .policy_words = policy_words,
                .search_path = data[0] & 1 ? "/opt/%i/bin:/usr/bin" : NULL,
        };
        value = strndup((const char *) data + 1, size - 1);
        if (!value || strlen(value) != size - 1)
                return 0;       /* unit files cannot carry NUL bytes */

        r = exec_line_split(value, &cmds, &n);
        fuzz_assert(r == -EINVAL || r >= 0, "exec_line_split() returned %d", r);
        for (size_t i = 0; r > 0 && i < n; i++) {
                const ExecCommandRaw *c = &cmds[i];

                fuzz_assert(c->path && c->path[0], "command %zu has an empty path", i);
                fuzz_assert(value <= c->raw_start && c->raw_start <= c->path_raw_start &&
                            c->path_raw_start < c->path_raw_end && c->path_raw_end <= c->args_raw_start &&
                            c->args_raw_start <= c->args_raw_end && c->raw_end <= value + strlen(value),
                            "command %zu: spans out of order", i);
                if (c->path[0] == '|')
                        refused = true;
                /* systemd skips a first word that is ";" once unquoted: never a command of that name
                 * without a prefix. */
                fuzz_assert(strcmp(c->path, ";") != 0 || c->prefix[0], "a lone \";\" became command %zu", i);
        }

        r2 = exec_line_wrap(value, &ctx, &wrapped, &problem);
        fuzz_assert(r2 == 0 || r2 == -EBADMSG, "exec_line_wrap() returned %d", r2);
        /* What cannot be split, and the "|" prefix, are refused: the generator refuses the unit. */
        if (r < 0 || refused)
                fuzz_assert(r2 == -EBADMSG && problem && !wrapped, "not refused: %s", strna(wrapped));
        if (r2 == -EBADMSG) {
                fuzz_assert(problem && !wrapped, "a refusal without its reason, or with a line");
                check_refusal(&ctx, problem);
        } else if (!wrapped)
                fuzz_assert(n == 0 || has_prefix(&cmds[0], '-'), "%zu commands wrote nothing", n);
        else {
                r = exec_line_split(wrapped, &again, &n_again);
                /* A "-" command systemd would reject ends the line, for systemd as for us. */
                fuzz_assert(r >= 0 && n_again <= n && (n_again == n || has_prefix(&cmds[n_again], '-')),
                            "%zu commands became %d: %s", n, r, wrapped);
                for (size_t i = 0; i < n_again; i++)
                        check_wrapped_command(&cmds[i], &again[i], &ctx);
        }

        exec_commands_free(cmds);
        exec_commands_free(again);
        return 0;
}
