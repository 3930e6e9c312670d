/* SPDX-License-Identifier: LGPL-2.1-or-later */

#include <assert.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <sys/stat.h>

#include "generator-exec.h"
#include "generator-namespace.h"
#include "generator-unit.h"
#include "landlock-args.h"
#include "landlock-directives.h"
#include "landlock-preset.h"
#include "log.h"
#include "fileio.h"
#include "strv.h"
#include "systemd-version.h"
#include "text.h"
#include "unit-exec-keys.h"
#include "unit-specifier.h"


#define LANDLOCK_SYSCALLS "landlock_create_ruleset landlock_add_rule landlock_restrict_self"

/* Drop-ins apply in the order of their file names (strcmp(), whatever directory they are in), and the
 * last one wins. Ours must be the last, whatever bytes the others' names contain: "~landlock.conf" when
 * it already sorts after them, else a name after the greatest of them. "~" sorts after every other
 * printable ASCII character, so that a drop-in added later, without daemon-reload, to a unit that is
 * not loaded yet (systemd then reads its files afresh, with our old drop-in) still sorts before ours,
 * unless its name starts with "~" or a non-ASCII byte. */
#define DROPIN_NAME "~landlock.conf"
#define DROPIN_SUFFIX ".conf"

static bool dropin_name_is_valid(const char *name) {
        size_t n = strlen(name);

        /* What systemd's conf_files_list() takes: a regular file name ending in ".conf", not hidden. */
        return n > strlen(DROPIN_SUFFIX) && n <= NAME_MAX && name[0] != '.' && !strchr(name, '/') &&
               endswith(name, DROPIN_SUFFIX);
}

int generator_dropin_name(char * const *seen, char **ret) {
        const char *max = NULL;
        char *name;
        size_t n;

        assert(ret);

        STRV_FOREACH(s, seen)
                if (!max || strcmp(*s, max) > 0)
                        max = *s;
        if (!max || strcmp(DROPIN_NAME, max) > 0) {
                name = strdup(DROPIN_NAME);
                if (!name)
                        return -ENOMEM;
                *ret = name;
                return 0;
        }

        /* "STEM.conf" → "STEM~landlock.conf": '~' sorts after '.', so it sorts after "max". */
        n = strlen(max);
        if (endswith(max, DROPIN_SUFFIX) && n - strlen(DROPIN_SUFFIX) + strlen("~landlock" DROPIN_SUFFIX) <= NAME_MAX) {
                if (asprintf(&name, "%.*s~landlock" DROPIN_SUFFIX, (int) (n - strlen(DROPIN_SUFFIX)), max) < 0)
                        return -ENOMEM;
                *ret = name;
                return 0;
        }

        /* Too long for that: keep a prefix of "max" and raise its last byte, then ".conf". */
        for (size_t i = MIN(n, (size_t) NAME_MAX - strlen(DROPIN_SUFFIX)); i > 0; i--) {
                unsigned char c = (unsigned char) max[i - 1];

                if (c == 0xff)
                        continue;
                c = c + 1 == '/' ? c + 2 : c + 1;
                if (asprintf(&name, "%.*s%c" DROPIN_SUFFIX, (int) (i - 1), max, c) < 0)
                        return -ENOMEM;
                if (dropin_name_is_valid(name) && strcmp(name, max) > 0) {
                        *ret = name;
                        return 0;
                }
                free(name);
        }
        return -ENOSPC;         /* "max" is the greatest name a drop-in can have */
}

/* Whether a system call filter is in effect, an allow-list or a deny-list ("~"): either way, naming the
 * Landlock calls without "~" after it lets them through (added to an allow-list, removed from a
 * deny-list). Without any filter, such a line would create an allow-list: write none then. */
static bool has_syscall_filter(const UnitFile *u, const char *section) {
        return unit_file_get_last(u, section, "SystemCallFilter", UNIT_FILE_EMPTY_RESETS) != NULL;
}

/* A line of ours that systemd would not read whole ("Line too long") would end the drop-in there. */
static bool line_fits(const char *key, const char *value) {
        return strlen(key) + 1 + strlen(value) < LONG_LINE_MAX;
}

/* A comment line: one line whatever the message contains, and never too long. */
static int add_comment(Text *t, const char *prefix, const char *message) {
        _cleanup_free_ char *one = strndup(message, 4096);

        if (!one)
                return -ENOMEM;
        for (char *c = one; *c; c++)
                if (*c == '\n' || *c == '\r')
                        *c = ' ';
        return text_appendf(t, "%s%s\n", prefix, one);
}

static int add_error_comment(Text *t, char * const *errors) {
        int r;

        r = text_appendf(t, "# The Landlock directives of this unit are invalid, or its commands cannot be wrapped;\n"
                        "# it will refuse to start:\n");
        STRV_FOREACH(e, errors)
                if (r >= 0)
                        r = add_comment(t, "#   ", *e);
        return r;
}

/* A path systemd reads back as written in SourcePath=: printable, no "%" (specifiers), no "\\". */
static bool source_path_is_plain(const char *p) {
        for (; *p; p++)
                if ((unsigned char) *p < ' ' || *p == 0x7f || *p == '%' || *p == '\\')
                        return false;
        return true;
}

/* The first line of every drop-in we write: the package's prerm recognises our drop-ins by it
 * (debian/systemd-landlock.prerm). */
static int add_header(Text *t, char * const *errors) {
        int r;

        r = text_appendf(t, "# Automatically generated by systemd-landlock-generator\n");
        if (r >= 0 && errors) {
                r = text_appendf(t, "\n");
                if (r >= 0)
                        r = add_error_comment(t, errors);
        }
        return r;
}

/* Last, so that nothing about it can keep systemd from reading what matters. */
static int add_source_path(Text *t, const char *fragment) {
        if (!fragment || !source_path_is_plain(fragment))
                return 0;
        return text_appendf(t, "\n[Unit]\nSourcePath=%s\n", fragment);
}

/* Mounts and swaps exec nothing we could wrap: an assertion that never holds fails every start. */
static int unit_dropin_refuse(const char *fragment, char * const *errors, Text *t) {
        int r;

        r = add_header(t, errors);
        if (r >= 0)
                r = text_appendf(t, "\n[Unit]\nAssertPathExists=!/\n");
        if (r >= 0)
                r = add_source_path(t, fragment);
        return r;
}

/* Every Exec line of the unit, wrapped, appended to "lines" as "Key=value\n". Whatever systemd would
 * reject, or we cannot wrap faithfully, is appended to *problems as "FILE:LINE: …". */
static int wrap_exec_lines(const UnitFile *u, const char *section, const char * const *keys, ExecWrapContext *ctx,
                           Text *lines, char ***problems) {
        int r;

        for (size_t k = 0; keys[k]; k++) {
                _cleanup_free_ const UnitFileEntry **entries = NULL;
                size_t n;

                r = unit_file_get_list(u, section, keys[k], &entries, &n);
                if (r < 0)
                        return r;

                ctx->condition = streq(keys[k], "ExecCondition");
                ctx->control = unit_exec_key_controls_main(section, keys[k]);
                for (size_t i = 0; i < n; i++) {
                        _cleanup_free_ char *w = NULL, *why = NULL;

                        r = exec_line_wrap(entries[i]->value, ctx, &w, &why);
                        if (r == -EBADMSG)
                                r = strv_extendf(problems, "%s:%u: %s=: %s; refusing to run any command of this unit "
                                                 "rather than risk running one unconfined.",
                                                 entries[i]->file, entries[i]->line, keys[k], why);
                        else if (r >= 0 && w && strpbrk(w, "\r\n"))
                                /* systemd would end the line there: the rest would be a line of its own. */
                                r = strv_extendf(problems, "%s:%u: %s=: the command line contains a line break; "
                                                 "refusing to run any command of this unit.",
                                                 entries[i]->file, entries[i]->line, keys[k]);
                        else if (r >= 0 && w && !line_fits(keys[k], w))
                                r = strv_extendf(problems, "%s:%u: %s=: the command line is too long once wrapped "
                                                 "through the enforcer (systemd reads lines of at most %u bytes).",
                                                 entries[i]->file, entries[i]->line, keys[k], LONG_LINE_MAX - 1);
                        else if (r >= 0 && w)
                                r = text_appendf(lines, "%s=%s\n", keys[k], w);
                        if (r < 0)
                                return r;
                }
        }
        ctx->condition = false;
        ctx->control = false;
        return 0;
}

/* A unit that must not run: every Exec list emptied, and one command that refuses, with the reason.
 * Services also get it as ExecStart=, so that they still load (systemd refuses a service without
 * ExecStart=) and "systemctl start" shows our message. */
static int refusal_lines(const char *section, ExecWrapContext *ctx, char * const *errors, Text *lines) {
        _cleanup_(text_done) Text error = {};
        _cleanup_free_ char *w = NULL;
        int r;

        /* The enforcer logs this one message; all of them are in the comment and in the kernel log. */
        STRV_FOREACH(e, errors) {
                r = error.n > 0 ? text_append(&error, "; ", 2) : 0;
                if (r >= 0)
                        r = text_append(&error, *e, MIN(strlen(*e), (size_t) 4096));
                if (r < 0)
                        return r;
                if (error.n > 16384)
                        break;
        }

        ctx->error = error.buf;
        r = exec_line_refusal(ctx, error.buf, &w);
        ctx->error = NULL;
        if (r < 0)
                return r;

        r = text_appendf(lines, "ExecStartPre=%s\n", w);
        if (r >= 0 && streq(section, "Service"))
                r = text_appendf(lines, "ExecStart=%s\n", w);
        return r;
}

/* Each command is its own Landlock domain, and a signal-scoped domain cannot signal processes outside it:
 * "kill -HUP $MAINPID" in ExecReload= would fail. Commands that control the main process therefore keep
 * every restriction but signal scoping (they still obey kill(2)'s own permission checks). NULL when
 * they need no words of their own. */
static int control_policy_words(const LandlockPolicy *p, const char *section, char ***ret) {
        LandlockPolicy control = *p;    /* shallow: only read to write the words */

        *ret = NULL;
        if (!(p->scoped & LANDLOCK_SCOPE_SIGNAL) || !streq(section, "Service"))
                return 0;

        control.scoped &= ~LANDLOCK_SCOPE_SIGNAL;
        return landlock_args_from_policy(&control, ret);
}

/* Whatever we checked line by line, the drop-in must read back whole as systemd reads it; else, rather than
 * a drop-in that systemd stops reading early, one that refuses everything. */
static int check_reads_back(Text *t, unsigned version) {
        _cleanup_(unit_file_done) UnitFile back = UNIT_FILE_INIT;
        int r;

        back.systemd_version = version;
        r = unit_file_parse_string(&back, "drop-in", t->buf, NULL);
        if (r < 0)
                return r;
        if (!back.fatal)
                return 0;

        log_error("The generated drop-in would not read back whole (%s): writing one that refuses the unit.",
                  back.fatal[0]);
        text_done(t);
        return text_appendf(t, "# Automatically generated by systemd-landlock-generator\n"
                           "# The drop-in for this unit could not be written safely: it refuses to start.\n"
                           "\n[Unit]\nAssertPathExists=!/\n");
}

/* ExecSearchPath= goes into every command line we write, specifiers and all: one systemd does not know
 * would make it reject every line. */
static int search_path_of(const UnitFile *u, const char *section, unsigned version, char **ret, char ***errors) {
        _cleanup_free_ const UnitFileEntry **l = NULL;
        _cleanup_free_ char *search_path = NULL;
        size_t n;
        char bad;
        int r;

        *ret = NULL;
        r = unit_exec_search_path(u, section, &search_path);
        if (r < 0)
                return r;
        if (!search_path || unit_specifiers_check(search_path, version, &bad) >= 0) {
                *ret = TAKE_PTR(search_path);
                return 0;
        }

        r = unit_file_get_list(u, section, "ExecSearchPath", &l, &n);
        if (r < 0)
                return r;
        for (size_t i = 0; i < n; i++)
                if (unit_specifiers_check(l[i]->value, version, &bad) < 0)
                        return strv_extendf(errors, "%s:%u: ExecSearchPath=: unknown specifier '%%%c'; refusing to "
                                            "run any command of this unit.", l[i]->file, l[i]->line, bad);
        return strv_extendf(errors, "ExecSearchPath=: unknown specifier '%%%c'; refusing to run any command of "
                            "this unit.", bad);
}

/* The Exec lines of the drop-in: every command wrapped, or, when anything is wrong, one that refuses. */
static int dropin_exec_lines(const char *unit_name, const UnitFile *u, const char *section,
                             const LandlockPolicy *policy, const char *exec_path, const char *identity_dir,
                             unsigned version, char ***errors, Text *lines, char ***identities) {
        _cleanup_strv_free_ char **words = NULL, **control_words = NULL;
        _cleanup_free_ char *search_path = NULL, *identity_hidden = NULL;
        _cleanup_(exec_words_quoted_done) ExecWordsQuoted quoted = {};
        ExecWrapContext ctx;
        int r;

        if (!*errors) {
                r = landlock_args_from_policy(policy, &words);
                if (r >= 0)
                        r = control_policy_words(policy, section, &control_words);
                if (r >= 0)
                        r = search_path_of(u, section, version, &search_path, errors);
                if (r < 0)
                        return r;
        }

        ctx = (ExecWrapContext) {
                .exec_path = exec_path,
                .unit = unit_name_is_valid(unit_name, UNIT_NAME_TEMPLATE) ? "%n" : unit_name,
                .policy_words = words,
                .control_words = control_words,
                .search_path = search_path,
                .version = version,
                .quoted = &quoted,
        };

        /* The journal identity systemd would give each command, unless the unit names one itself or would
         * not see the links (then the commands log as the enforcer; the enforcer's messages name the unit). */
        if (identity_dir && !unit_file_get_last(u, section, "SyslogIdentifier", UNIT_FILE_EMPTY_RESETS)) {
                r = unit_path_hidden(u, section, identity_dir, &identity_hidden);
                if (r < 0)
                        return r;
                if (r == 0) {
                        ctx.identity_dir = identity_dir;
                        ctx.identities = identities;
                }
        }

        if (!*errors) {
                r = wrap_exec_lines(u, section, unit_exec_keys(section), &ctx, lines, errors);
                if (r < 0)
                        return r;
        }
        if (!*errors)
                return 0;

        text_done(lines);
        *identities = strv_free(*identities);
        ctx.identity_dir = NULL;
        return refusal_lines(section, &ctx, *errors, lines);
}

/* Every Exec list is reset first, whether the unit has lines for it or not: should systemd ever stop
 * reading this file at a later line, commands would be missing, never unwrapped; and a unit loaded after
 * its files changed, without daemon-reload, runs only what was generated. */
static int dropin_service_text(const UnitFile *u, const char *section, const char *fragment, const char *exec_path,
                               unsigned version, char * const *errors, const Text *lines, Text *t) {
        const char * const *keys = unit_exec_keys(section);
        int r;

        r = add_header(t, errors);
        if (r >= 0)
                r = text_appendf(t, "\n[%s]\n", section);
        for (size_t k = 0; keys[k] && r >= 0; k++)
                if (version == 0 || unit_exec_key_since(keys[k]) <= version)
                        /* A setting this systemd does not know would only be an "Unknown key" warning. */
                        r = text_appendf(t, "%s=\n", keys[k]);
        if (r >= 0 && has_syscall_filter(u, section))
                r = text_appendf(t, "SystemCallFilter=" LANDLOCK_SYSCALLS "\n");
        if (r >= 0 && unit_restricts_exec(u, section))
                /* NoExecPaths= would make the enforcer itself fail with 203/EXEC. */
                r = text_appendf(t, "ExecPaths=%s\n", exec_path);
        if (r >= 0 && lines->buf)
                r = text_append(t, lines->buf, lines->n);
        if (r >= 0)
                r = add_source_path(t, fragment);
        return r;
}

int generator_unit_dropin(const char *unit_name, const char *fragment, const UnitFile *u, const char *exec_path,
                          unsigned version, char * const *problems, bool force, char **ret_text, char ***ret_errors) {
        return generator_unit_dropin_full(unit_name, fragment, u, exec_path, NULL, version, problems, force,
                                          ret_text, ret_errors, NULL);
}

int generator_unit_dropin_full(const char *unit_name, const char *fragment, const UnitFile *u, const char *exec_path,
                               const char *identity_dir, unsigned version, char * const *problems, bool force,
                               char **ret_text, char ***ret_errors, char ***ret_identities) {
        _cleanup_(landlock_unit_policy_done) LandlockUnitPolicy up = {};
        _cleanup_strv_free_ char **errors = NULL, **identities = NULL;
        _cleanup_(text_done) Text lines = {}, t = {};
        _cleanup_free_ char *hidden = NULL;
        const char *section;
        int r;

        assert(unit_name);
        assert(u);
        assert(exec_path);
        assert(ret_text);

        section = landlock_section_for_unit(unit_name);
        if (!section)
                return 0;

        r = landlock_unit_policy_from_unit_file(u, section, &up);
        if (r < 0)
                return r;
        if (!up.has_directives && !force)
                return 0;
        errors = TAKE_PTR(up.errors);
        r = strv_extend_strv(&errors, problems);
        if (r < 0)
                return r;

        /* Where the enforcer is not there in the service's view, no command of ours could run, not even
         * the one that says why: refuse the unit before any command, with the reason. */
        r = landlock_section_allows_directives(section) ? unit_path_hidden(u, section, exec_path, &hidden) : 0;
        if (r < 0)
                return r;
        if (r > 0) {
                r = strv_extendf(&errors, "%s: the enforcer %s would not be there for the service's commands; "
                                 "refusing the unit. Bind it in (BindReadOnlyPaths=%s) or remove the setting.",
                                 hidden, exec_path, exec_path);
                if (r < 0)
                        return r;
        }

        if (!landlock_section_allows_directives(section))
                r = unit_dropin_refuse(fragment, errors, &t);
        else {
                r = dropin_exec_lines(unit_name, u, section, &up.policy, exec_path, identity_dir, version, &errors,
                                      &lines, &identities);
                if (r >= 0)
                        r = dropin_service_text(u, section, fragment, exec_path, version, errors, &lines, &t);
                /* The refusing command could not run either (203/EXEC): an assertion that never holds says
                 * it before any command, and the command lists hold no unwrapped command anyway. */
                if (r >= 0 && hidden)
                        r = text_appendf(&t, "\n[Unit]\nAssertPathExists=!/\n");
        }
        if (r >= 0)
                r = check_reads_back(&t, version);
        if (r < 0)
                return r;

        *ret_text = text_steal(&t);
        if (ret_errors)
                *ret_errors = TAKE_PTR(errors);
        if (ret_identities)
                *ret_identities = TAKE_PTR(identities);
        return 1;
}

/* One run of the generator over every unit. What it remembers lives for this run only: the output
 * directory is fresh at every run of the generators, and nothing is kept across runs. */
typedef struct GeneratorRun {
        const GeneratorOptions *o;
        int output_fd;                  /* o->output_dir: drop-ins are made relative to it, one lookup each */
        int identity_fd;                /* its LANDLOCK_EXEC_IDENTITY_DIR once made, else -EBADF */
        char **links;                   /* the names of the identity links made there in this run */
        char **done;                    /* units with other names, already done under their real name */
} GeneratorRun;

static void generator_run_done(GeneratorRun *run) {
        run->output_fd = safe_close(run->output_fd);
        run->identity_fd = safe_close(run->identity_fd);
        run->links = strv_free(run->links);
        run->done = strv_free(run->done);
}

static int write_all(int fd, const char *text, size_t n) {
        for (const char *p = text; n > 0; ) {
                ssize_t k = write(fd, p, n);

                if (k < 0) {
                        if (errno == EINTR)
                                continue;
                        return -errno;
                }
                p += k;
                n -= k;
        }
        return 0;
}

static int write_dropin(GeneratorRun *run, const char *unit_name, const char *dropin_name, const char *text) {
        _cleanup_free_ char *dir = NULL, *path = NULL;
        _cleanup_close_ int fd = -EBADF;
        const char *out = run->o->output_dir;
        int r;

        if (run->output_fd < 0)
                return log_error_errno(run->output_fd, "Failed to open %s: %m", out);
        if (asprintf(&dir, "%s.d", unit_name) < 0 || asprintf(&path, "%s/%s", dir, dropin_name) < 0)
                return -ENOMEM;

        if (mkdirat(run->output_fd, dir, 0755) < 0 && errno != EEXIST)
                return log_error_errno(errno, "Failed to create %s/%s: %m", out, dir);

        fd = openat(run->output_fd, path, O_WRONLY|O_CREAT|O_TRUNC|O_CLOEXEC|O_NOFOLLOW, 0644);
        if (fd < 0)
                return log_error_errno(errno, "Failed to create %s/%s: %m", out, path);
        r = write_all(fd, text, strlen(text));
        if (r < 0)
                return log_error_errno(r, "Failed to write %s/%s: %m", out, path);
        return 0;
}

/* The directory of the identity links, made once per run. Ours and fresh: a link in its place is not
 * followed. */
static int identity_dir_fd(GeneratorRun *run) {
        if (run->identity_fd >= 0)
                return run->identity_fd;
        if (run->output_fd < 0)
                return run->output_fd;
        if (mkdirat(run->output_fd, LANDLOCK_EXEC_IDENTITY_DIR, 0755) < 0 && errno != EEXIST)
                return log_error_errno(errno, "Failed to create %s/" LANDLOCK_EXEC_IDENTITY_DIR ": %m",
                                       run->o->output_dir);
        run->identity_fd = openat(run->output_fd, LANDLOCK_EXEC_IDENTITY_DIR,
                                  O_RDONLY|O_DIRECTORY|O_CLOEXEC|O_NOFOLLOW);
        if (run->identity_fd < 0)
                return log_error_errno(errno, "Failed to open %s/" LANDLOCK_EXEC_IDENTITY_DIR ": %m",
                                       run->o->output_dir);
        return run->identity_fd;
}

/* name → the enforcer, in the identity directory. A link already there that this run made is the same
 * link; one it did not make is checked, and replaced if it is something else (we own the directory). */
static int identity_link(GeneratorRun *run, const char *name, const char *exec_path) {
        char target[PATH_MAX];
        ssize_t k;
        int fd;

        if (strv_contains(run->links, name))
                return 0;
        fd = identity_dir_fd(run);
        if (fd < 0)
                return fd;
        if (symlinkat(exec_path, fd, name) < 0) {
                if (errno != EEXIST)
                        return log_error_errno(errno, "Failed to create the link %s/" LANDLOCK_EXEC_IDENTITY_DIR
                                               "/%s: %m", run->o->output_dir, name);
                k = readlinkat(fd, name, target, sizeof target - 1);
                if (k < 0 || (target[k] = '\0', !streq(target, exec_path)))
                        if (unlinkat(fd, name, 0) < 0 || symlinkat(exec_path, fd, name) < 0)
                                return log_error_errno(errno, "Failed to create the link %s/"
                                                       LANDLOCK_EXEC_IDENTITY_DIR "/%s: %m",
                                                       run->o->output_dir, name);
        }
        return strv_extend(&run->links, name);
}

/* When no drop-in of ours can be the last one, the unit must not run at all: a link to /dev/null in the
 * early generator directory masks it, above /etc. */
static int mask_unit(const GeneratorOptions *o, const char *name) {
        _cleanup_free_ char *path = NULL;

        if (!o->early_dir) {
                log_error("%s: cannot mask it either: no early generator directory.", name);
                return -ENOSPC;
        }
        if (asprintf(&path, "%s/%s", o->early_dir, name) < 0)
                return -ENOMEM;
        if (symlink("/dev/null", path) < 0 && errno != EEXIST)
                return log_error_errno(errno, "Failed to mask %s with %s: %m", name, path);
        return 0;
}

/* What keeps us from being sure that we read the unit as systemd does, each a reason to refuse it when it
 * has Landlock directives: a file systemd stops reading at a fatal line (we stop there too, but what
 * follows was meant to apply), and same-named drop-ins of two aliases (systemd's choice between them
 * follows a hash order). *ret_force: a file that stops early mentions Landlock at all, so directives may
 * be among the lines nobody reads: refuse even if none is left. */
static int reading_problems(const UnitLookupPaths *paths, const UnitInfo *info, const UnitFile *u, char ***ret,
                            bool *ret_force) {
        _cleanup_strv_free_ char **problems = NULL;
        bool force = false;
        int r;

        STRV_FOREACH(f, u->fatal) {
                r = strv_extendf(&problems, "%s: nothing after that line applies, for systemd or for us; fix the file.", *f);
                if (r < 0)
                        return r;
        }
        STRV_FOREACH(file, u->files) {
                _cleanup_free_ char *text = NULL, *path = NULL;
                size_t size;

                if (!unit_file_fatal_of(u, *file))
                        continue;
                if (asprintf(&path, "%s%s", strempty(paths->root), *file) < 0)
                        return -ENOMEM;
                if (read_full_file(path, &text, &size) < 0 || memmem(text, size, "Landlock", strlen("Landlock")))
                        force = true;
        }
        STRV_FOREACH(d, info->ambiguous_dropins) {
                r = strv_extendf(&problems, "Drop-ins named \"%s\" exist for two names of the unit; which one systemd "
                                 "applies cannot be known (it follows a hash order): rename one.", *d);
                if (r < 0)
                        return r;
        }

        *ret = TAKE_PTR(problems);
        *ret_force = force;
        return 0;
}

/* The unit has Landlock directives and no drop-in of ours can be written for it: rather than leave it to
 * run unconfined, mask it (from the early directory, above /etc). */
static int fail_closed(const GeneratorOptions *o, const char *name, int error, const char *what) {
        int r;

        log_error_errno(error, "%s: %s: %m. Masking the unit rather than running it unconfined.", name, what);
        r = mask_unit(o, name);
        return r < 0 ? r : 1;
}

static int identity_links(GeneratorRun *run, char * const *names, const char *exec_path) {
        int r;

        STRV_FOREACH(i, names) {
                r = identity_link(run, *i, exec_path);
                if (r < 0)
                        return r;
        }
        return 0;
}

/* Looks "name" up and reads its files: 1 and the unit parsed into "u" when it must be generated, 0 when
 * not (masked, no fragment, done under another name, or no mention of Landlock). */
static int unit_load_for_run(GeneratorRun *run, const UnitMap *map, const char *name, UnitInfo *info, UnitFile *u) {
        int r;

        r = unit_map_lookup(map, name, info);
        if (r < 0)
                return log_warning_errno(r, "Failed to look up %s, ignoring: %m", name);
        if (info->masked || !info->fragment)
                return 0;
        /* Aliases resolve to the same unit; do it once, under its real name. Only units with other names
         * are remembered (the names are unique): a long list of plain units costs no quadratic time. */
        if (strv_contains(run->done, info->name))
                return 0;
        if (!streq(info->name, name) || !strv_isempty(info->aliases)) {
                r = strv_extend(&run->done, info->name);
                if (r < 0)
                        return r;
        }

        /* Most units have no Landlock directive: those are read, not parsed. The byte scan is exact: every
         * directive's key starts with "Landlock" (LandlockPreset= too, also after "X-"), and keys are
         * matched literally, case and all (landlock_directive_from_key()); a key is never unescaped. Our
         * reader joins a continued line by turning its final backslash into a space (as systemd's
         * config_parse() does), skips comment lines in between, drops a byte-order mark only at the start
         * of a physical line and ends lines at CR, LF and NUL: a key's eight bytes "Landlock" are therefore
         * contiguous in one physical line of the file (memmem(), NULs included). systemd 252+ has no
         * ".include"; what else makes a file part of the unit (drop-ins of aliases, of templates, dash
         * prefixes, the type's directory, in every search path entry) is in info->dropins, all scanned. A
         * file that cannot be read counts as mentioning it: the unit is parsed, and refused. A unit whose
         * files never mention it gets nothing from us, as it always did. */
        u->systemd_version = run->o->systemd_version;
        r = unit_map_load_mentioning(map, info, "Landlock", u, NULL);
        if (r < 0)
                return log_warning_errno(r, "Failed to read %s, ignoring: %m", info->fragment);
        return r;
}

static int generate_one(GeneratorRun *run, const UnitLookupPaths *paths, const UnitMap *map, const char *name) {
        _cleanup_(unit_info_done) UnitInfo info = {};
        _cleanup_(unit_file_done) UnitFile u = UNIT_FILE_INIT;
        _cleanup_strv_free_ char **errors = NULL, **problems = NULL;
        _cleanup_free_ char *text = NULL, *dropin_name = NULL, *identity_dir = NULL;
        _cleanup_strv_free_ char **identities = NULL;
        const GeneratorOptions *o = run->o;
        const char *exec_path = o->exec_path ?: LANDLOCK_EXEC_PATH;
        bool force;
        int r;

        if (!landlock_section_for_unit(name))
                return 0;

        r = unit_load_for_run(run, map, name, &info, &u);
        if (r <= 0)
                return r;

        r = reading_problems(paths, &info, &u, &problems, &force);
        if (r < 0)
                return r;

        if (o->identity_links && asprintf(&identity_dir, "%s/" LANDLOCK_EXEC_IDENTITY_DIR, o->output_dir) < 0)
                return -ENOMEM;
        r = generator_unit_dropin_full(info.name, info.fragment, &u, exec_path, identity_dir, o->systemd_version,
                                       problems, force, &text, &errors, &identities);
        if (r == -ENOMEM)
                return r;
        if (r < 0)
                return fail_closed(o, info.name, r, "Failed to generate its Landlock drop-in");
        if (r == 0)
                return 0;

        STRV_FOREACH(e, errors)
                log_error("%s: %s (%s will refuse to start)", info.name, *e, info.name);

        r = generator_dropin_name(info.dropin_names, &dropin_name);
        if (r == -ENOSPC)
                return fail_closed(o, info.name, r, "A drop-in of it has the greatest name a drop-in can have, so "
                                   "no drop-in can be applied after it");
        if (r < 0)
                return r;

        /* The links first: a drop-in naming a missing one would fail the unit's commands (203/EXEC). Where
         * one cannot be made, the commands keep the enforcer's own path (and identifier). */
        r = identity_links(run, identities, exec_path);
        if (r == -ENOMEM)
                return r;
        if (r < 0) {
                text = mfree(text);
                errors = strv_free(errors);
                identities = strv_free(identities);
                r = generator_unit_dropin_full(info.name, info.fragment, &u, exec_path, NULL, o->systemd_version,
                                               problems, force, &text, &errors, &identities);
                if (r == -ENOMEM)
                        return r;
                if (r <= 0)
                        return fail_closed(o, info.name, r < 0 ? r : -EINVAL, "Failed to generate its Landlock drop-in");
        }

        r = write_dropin(run, info.name, dropin_name, text);
        if (r < 0 && r != -ENOMEM)
                return fail_closed(o, info.name, r, "Failed to write its Landlock drop-in");
        return r < 0 ? r : 1;
}

static void preset_cache_endp(bool *begun) {
        if (*begun)
                landlock_preset_cache_end();
}

int generator_run(const GeneratorOptions *options) {
        _cleanup_(unit_lookup_paths_done) UnitLookupPaths paths = {};
        _cleanup_unit_map_free_ UnitMap *map = NULL;
        _cleanup_(generator_run_done) GeneratorRun run = { .output_fd = -EBADF, .identity_fd = -EBADF };
        _cleanup_strv_free_ char **names = NULL;
        _cleanup_(preset_cache_endp) bool preset_cache_begun = false;
        GeneratorOptions opts, *o = &opts;
        int r, n = 0;

        assert(options);
        assert(options->output_dir);

        opts = *options;
        if (o->systemd_version == 0) {
                r = systemd_version_detect(o->root, &o->systemd_version);
                if (r < 0)
                        log_notice_errno(r, "Cannot tell which systemd version runs (%m): applying the rules of "
                                         "every supported version at once.");
        }
        if (o->systemd_version > 0 && !systemd_version_is_verified(o->systemd_version))
                log_notice("systemd %u: how it reads unit files was not verified for this version; applying the "
                           "strictest rules of the versions we know.", o->systemd_version);

        /* Presets and the files their computed grants read are the system's, beneath the same root. Each
         * is read once in this run, however many units use it (and forgotten at its end). */
        landlock_preset_set_root(o->root);
        landlock_preset_cache_begin();
        preset_cache_begun = true;

        if (o->search_path)
                r = unit_lookup_paths_init_from(&paths, o->scope, o->root, o->search_path);
        else
                r = unit_lookup_paths_init(&paths, o->scope, o->root);
        if (r < 0)
                return log_error_errno(r, "Failed to determine the unit search path: %m");

        r = unit_map_new(&paths, true, &map);
        if (r < 0)
                return log_error_errno(r, "Failed to scan the unit search path: %m");

        names = unit_map_names(map);
        if (!names)
                return log_oom();

        /* Where it cannot be opened, every unit with directives is masked (write_dropin() fails). */
        run.o = o;
        run.output_fd = open(o->output_dir, O_RDONLY|O_DIRECTORY|O_CLOEXEC);
        if (run.output_fd < 0)
                run.output_fd = -errno;

        STRV_FOREACH(name, names) {
                r = generate_one(&run, &paths, map, *name);
                if (r == -ENOMEM)
                        return log_oom();
                if (r > 0)
                        n++;
        }
        return n;
}
