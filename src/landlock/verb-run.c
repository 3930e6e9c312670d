/* SPDX-License-Identifier: LGPL-2.1-or-later */

/* "systemd-landlock run [OPTIONS…] -p LandlockPaths=… [--] COMMAND…": transient units cannot carry our
 * directives (the generator never sees them), so the -p Landlock*= properties are compiled into the
 * enforcer's command line here, and systemd-run starts "systemd-landlock-exec WORDS -- COMMAND…". The
 * service's other commands (-p ExecStartPre=… and friends) are wrapped the same way; every other option
 * goes to systemd-run with its meaning unchanged. */

#include <assert.h>
#include <getopt.h>

#include "exec-line.h"
#include "generator-exec.h"
#include "generator-unit.h"
#include "landlock-args.h"
#include "landlock-directives.h"
#include "log.h"
#include "strv.h"
#include "unit-file.h"
#include "unit-exec-keys.h"
#include "verbs.h"

/* systemd-run's options, v252 to v262. getopt_long() reads them here exactly as systemd-run will read
 * them (abbreviated long options, short option groups such as "-tpExecStartPre=…", values in the next
 * word), so that no property can reach systemd-run unseen. An option it does not know is refused: it could
 * be one that takes a value, and then the words after it mean something else to systemd-run. */
#define RUN_LONG_ONLY 0x100
static const struct option run_options[] = {
        { "help",               no_argument,       NULL, 'h'           },
        { "version",            no_argument,       NULL, RUN_LONG_ONLY },
        { "no-ask-password",    no_argument,       NULL, RUN_LONG_ONLY },
        { "user",               no_argument,       NULL, RUN_LONG_ONLY },
        { "system",             no_argument,       NULL, RUN_LONG_ONLY },
        { "host",               required_argument, NULL, 'H'           },
        { "machine",            required_argument, NULL, 'M'           },
        { "capsule",            required_argument, NULL, 'C'           },
        { "scope",              no_argument,       NULL, RUN_LONG_ONLY },
        { "unit",               required_argument, NULL, 'u'           },
        { "property",           required_argument, NULL, 'p'           },
        { "description",        required_argument, NULL, RUN_LONG_ONLY },
        { "slice",              required_argument, NULL, RUN_LONG_ONLY },
        { "slice-inherit",      no_argument,       NULL, RUN_LONG_ONLY },
        { "expand-environment", required_argument, NULL, RUN_LONG_ONLY },
        { "no-block",           no_argument,       NULL, RUN_LONG_ONLY },
        { "remain-after-exit",  no_argument,       NULL, 'r'           },
        { "wait",               no_argument,       NULL, RUN_LONG_ONLY },
        { "send-sighup",        no_argument,       NULL, RUN_LONG_ONLY },
        { "service-type",       required_argument, NULL, RUN_LONG_ONLY },
        { "uid",                required_argument, NULL, RUN_LONG_ONLY },
        { "gid",                required_argument, NULL, RUN_LONG_ONLY },
        { "nice",               required_argument, NULL, RUN_LONG_ONLY },
        { "working-directory",  required_argument, NULL, RUN_LONG_ONLY },
        { "same-dir",           no_argument,       NULL, 'd'           },
        { "root-directory",     required_argument, NULL, RUN_LONG_ONLY },
        { "same-root-dir",      no_argument,       NULL, 'R'           },
        { "setenv",             required_argument, NULL, 'E'           },
        { "tty",                no_argument,       NULL, 't'           },
        { "pty",                no_argument,       NULL, 't'           },
        { "pty-late",           no_argument,       NULL, 'T'           },
        { "pipe",               no_argument,       NULL, 'P'           },
        { "quiet",              no_argument,       NULL, 'q'           },
        { "verbose",            no_argument,       NULL, 'v'           },
        { "output",             required_argument, NULL, RUN_LONG_ONLY },
        { "json",               required_argument, NULL, RUN_LONG_ONLY },
        { "collect",            no_argument,       NULL, 'G'           },
        { "shell",              no_argument,       NULL, 'S'           },
        { "job-mode",           required_argument, NULL, RUN_LONG_ONLY },
        { "ignore-failure",     no_argument,       NULL, RUN_LONG_ONLY },
        { "background",         required_argument, NULL, RUN_LONG_ONLY },
        { "no-pager",           no_argument,       NULL, RUN_LONG_ONLY },
        { "path-property",      required_argument, NULL, RUN_LONG_ONLY },
        { "socket-property",    required_argument, NULL, RUN_LONG_ONLY },
        { "timer-property",     required_argument, NULL, RUN_LONG_ONLY },
        { "on-active",          required_argument, NULL, RUN_LONG_ONLY },
        { "on-boot",            required_argument, NULL, RUN_LONG_ONLY },
        { "on-startup",         required_argument, NULL, RUN_LONG_ONLY },
        { "on-unit-active",     required_argument, NULL, RUN_LONG_ONLY },
        { "on-unit-inactive",   required_argument, NULL, RUN_LONG_ONLY },
        { "on-calendar",        required_argument, NULL, RUN_LONG_ONLY },
        { "on-timezone-change", no_argument,       NULL, RUN_LONG_ONLY },
        { "on-clock-change",    no_argument,       NULL, RUN_LONG_ONLY },
        {}
};
/* "+": stop at the first word that is not an option, as systemd-run does; ":": report a missing value. */
static const char run_short_options[] = "+:hrC:H:M:E:p:tTPqvGdSRu:";

/* The name of the property in a NAME=VALUE assignment, or NULL. */
static char *property_name(const char *assignment) {
        const char *eq = strchr(assignment, '=');

        return eq ? strndup(assignment, eq - assignment) : NULL;
}

typedef enum ExecPropertyKind {
        EXEC_PROPERTY_NONE,             /* not a command */
        EXEC_PROPERTY_COMMAND,          /* a command of the service, wrapped like ExecStart */
        EXEC_PROPERTY_UNKNOWN,          /* an Exec…= property this code does not know: refused */
} ExecPropertyKind;

/* The service's command properties (unit-exec-keys.h), each also in its "…Ex" form (systemd-run
 * itself turns ExecStartPre= into ExecStartPreEx= for the ":", "+" and "!" prefixes). */
static ExecPropertyKind exec_property_kind(const char *name) {
        size_t l = strlen(name);

        if (!startswith(name, "Exec") || streq(name, "ExecPaths") || streq(name, "ExecSearchPath"))
                return EXEC_PROPERTY_NONE;
        if (endswith(name, "Ex"))
                l -= 2;
        for (const char * const *k = unit_exec_keys("Service"); *k; k++)
                if (strlen(*k) == l && strneq(*k, name, l))
                        return EXEC_PROPERTY_COMMAND;
        return EXEC_PROPERTY_UNKNOWN;
}

/* "-p ExecStartPre=…": the same enforcer and policy as the main command. systemd-run reads the value as
 * one command (prefixes, then words: a ";" is a word like any other) and the wrapper splits like a unit
 * file, where a lone ";" separates commands: refuse that rather than guess. */
static int run_wrap_exec_property(const char *assignment, const ExecWrapContext *ctx, char **ret) {
        _cleanup_free_ char *name = property_name(assignment), *wrapped = NULL, *problem = NULL;
        const char *value = strchr(assignment, '=') + 1;
        _cleanup_exec_commands_ ExecCommandRaw *cmds = NULL;
        size_t n = 0;
        int r;

        if (!name)
                return log_oom();

        /* An empty assignment resets the list, as in a unit file. */
        if (isempty(value))
                return asprintf(ret, "%s=", name) < 0 ? log_oom() : 0;

        r = exec_line_split(value, &cmds, &n);
        if (r == -ENOMEM)
                return log_oom();
        if (r < 0)
                return log_error_errno(EINVAL, "Cannot parse the command of -p %s: not running anything.", assignment);
        if (n > 1) {
                return log_error_errno(EINVAL, "-p %s: systemd-run runs one command per property and passes \";\" on as "
                                       "a word; quote it (\";\") to mean that, or give each command its own -p %s=.",
                                       assignment, name);
        }
        if (n == 1 && cmds[0].path[0] == '|') {
                return log_error_errno(EINVAL, "-p %s: the \"|\" prefix (run through the user's shell) is not supported with "
                                       "Landlock properties: name the shell explicitly, e.g. /bin/sh -c '…'.", assignment);
        }
        if (n == 1 && strchr(cmds[0].prefix, '+'))
                log_warning("-p %s: the \"+\" prefix runs the command with full privileges, outside Landlock, as in unit "
                            "files.", assignment);
        cmds = exec_commands_free(cmds);

        r = exec_line_wrap(value, ctx, &wrapped, &problem);
        if (r == -EBADMSG)
                return log_error_errno(EINVAL, "-p %s: %s: not running anything.", assignment, problem);
        if (r < 0)
                return log_oom();
        if (!wrapped)
                return log_error_errno(EINVAL, "-p %s: no command: not running anything.", assignment);
        if (asprintf(ret, "%s=%s", name, wrapped) < 0)
                return log_oom();
        return 0;
}

static bool property_is_landlock(const char *assignment) {
        _cleanup_free_ char *key = property_name(assignment);

        return key && landlock_directive_key_is_ours(key);
}

/* The Landlock properties as a [Service] section, parsed exactly like a unit file: resets, quoting and
 * error messages all behave the same. */
static int run_compile_policy(char **assignments, LandlockUnitPolicy *ret) {
        _cleanup_(unit_file_done) UnitFile file = UNIT_FILE_INIT;
        _cleanup_free_ char *text = NULL;
        size_t len = strlen("[Service]\n") + 1;
        int r;

        for (char **a = assignments; a && *a; a++)
                len += strlen(*a) + 1;
        text = malloc(len);
        if (!text)
                return log_oom();
        strcpy(text, "[Service]\n");
        for (char **a = assignments; a && *a; a++) {
                strcat(text, *a);
                strcat(text, "\n");
        }

        /* Line N+1 is the N-th Landlock property: messages read "-p:2: …" for the second one. */
        r = unit_file_parse_string(&file, "-p", text, NULL);
        if (r < 0)
                return log_oom();
        r = landlock_unit_policy_from_unit_file(&file, "Service", ret);
        if (r < 0)
                return log_oom();
        return 0;
}

/* systemd-run's option as one canonical word or two ("--unit=x", "-t"); a property always as "-p"
 * "NAME=VALUE", the value word alone, to be wrapped. */
static int run_option_words(int c, int longindex, char ***l) {
        _cleanup_free_ char *w = NULL;
        int r;

        if (longindex >= 0 && c != 'p') {
                const struct option *o = run_options + longindex;

                r = o->has_arg == no_argument ? asprintf(&w, "--%s", o->name) : asprintf(&w, "--%s=%s", o->name, optarg);
                if (r < 0)
                        return -ENOMEM;
                return strv_extend(l, w);
        }
        if (asprintf(&w, "-%c", c) < 0)
                return -ENOMEM;
        if (strv_extend(l, w) < 0)
                return -ENOMEM;
        return optarg ? strv_extend(l, optarg) : 0;
}

typedef struct RunArgs {
        char **landlock;                /* the Landlock properties */
        char **passthrough;             /* systemd-run's options, canonical */
        size_t *exec;                   /* where the service's command properties are in passthrough */
        size_t n_exec;
        const char *unit;               /* --unit= */
        bool scope;                     /* --scope */
        int expand_environment;         /* --expand-environment=, -1 if not given */
} RunArgs;

static void run_args_done(RunArgs *a) {
        strv_free(a->landlock);
        strv_free(a->passthrough);
        free(a->exec);
}

static int run_args_add_exec(RunArgs *a) {
        size_t *e = reallocarray(a->exec, a->n_exec + 1, sizeof(size_t));

        if (!e)
                return -ENOMEM;
        a->exec = e;
        a->exec[a->n_exec++] = strv_length(a->passthrough) + 1;        /* the value, after "-p" */
        return 0;
}

/* Splits run's options into ours and systemd-run's. Returns the index of the command in argv. */
static int run_parse_options(int argc, char *argv[], RunArgs *a) {
        int c, r;

        opterr = 0;
        optind = 0;     /* reinitialises getopt: the verb's argv is a new one */
        for (;;) {
                const char *name;
                int longindex = -1;

                c = getopt_long(argc, argv, run_short_options, run_options, &longindex);
                if (c < 0)
                        break;
                if (c == '?' || c == ':') {
                        /* optopt: the short option, else 0 and the word is the long one. */
                        char opt[3] = { '-', (char) optopt, '\0' };
                        const char *what = optopt > 0 && optopt < 0x80 ? opt : argv[optind - 1];

                        if (c == ':')
                                return log_error_errno(EINVAL, "The systemd-run option %s needs a value.", what);
                        return log_error_errno(EINVAL, "Unknown or ambiguous systemd-run option %s: systemd-landlock run "
                                               "must read every option as systemd-run will (spell long options out). "
                                               "Not running anything.", what);
                }

                name = longindex >= 0 ? run_options[longindex].name : NULL;
                if (c == 'p' && property_is_landlock(optarg)) {
                        if (strv_extend(&a->landlock, optarg) < 0)
                                return log_oom();
                        continue;
                }
                if (c == 'p' || (name && streq(name, "socket-property"))) {
                        _cleanup_free_ char *key = property_name(optarg);
                        ExecPropertyKind kind = key ? exec_property_kind(key) : EXEC_PROPERTY_NONE;

                        if (kind == EXEC_PROPERTY_UNKNOWN)
                                return log_error_errno(EINVAL, "%s %s: systemd-landlock run does not know this command "
                                                       "property and would pass it on without Landlock. Not running "
                                                       "anything.", c == 'p' ? "-p" : "--socket-property", optarg);
                        if (kind == EXEC_PROPERTY_COMMAND && c != 'p')
                                return log_error_errno(EINVAL, "--socket-property %s: the socket unit's commands would run "
                                                       "without Landlock; systemd-landlock run only wraps the service's. "
                                                       "Not running anything.", optarg);
                        if (kind == EXEC_PROPERTY_COMMAND && run_args_add_exec(a) < 0)
                                return log_oom();
                }
                if (c == 'u')
                        a->unit = optarg;
                if (name && streq(name, "scope"))
                        a->scope = true;
                if (name && streq(name, "expand-environment")) {
                        a->expand_environment = parse_boolean(optarg);
                        if (a->expand_environment < 0)
                                return log_error_errno(EINVAL, "--expand-environment=%s: not a boolean.", optarg);
                }

                r = run_option_words(c, longindex, &a->passthrough);
                if (r < 0)
                        return log_oom();
        }
        return optind;
}

/* "$" as "$$": the manager expands $VAR in the main command's words, unless --expand-environment=no (and
 * by default for --scope, where systemd-run execs the command itself). A "$" in a policy path must stay
 * a "$", not grant the directory above. */
static char *dollar_double(const char *w) {
        size_t n = strlen(w) + 1;
        char *r, *t;

        for (const char *c = w; *c; c++)
                n += *c == '$';
        r = t = malloc(n);
        if (!r)
                return NULL;
        for (const char *c = w; *c; c++) {
                if (*c == '$')
                        *t++ = '$';
                *t++ = *c;
        }
        *t = '\0';
        return r;
}

/* Every command property of the service goes through the enforcer, not only the main command. */
static int run_wrap_exec_properties(RunArgs *a, char **words) {
        int r;

        for (size_t k = 0; k < a->n_exec; k++) {
                ExecWrapContext ctx = {
                        .exec_path = LANDLOCK_EXEC_PATH,
                        .unit = a->unit,
                        .policy_words = words,
                };
                char *wrapped;

                r = run_wrap_exec_property(a->passthrough[a->exec[k]], &ctx, &wrapped);
                if (r < 0)
                        return r;
                free_and_replace(a->passthrough[a->exec[k]], wrapped);
        }
        return 0;
}

/* The enforcer, its options and "--", in front of the main command. systemd-run expands "$" in the
 * command unless told not to: the policy's own "$" are doubled then. */
static int run_add_enforcer(char ***final, const char *unit, char **words, bool expand) {
        int r;

        r = strv_extend(final, LANDLOCK_EXEC_PATH);
        if (r >= 0 && unit)
                /* The enforcer prefixes its messages with it. */
                r = strv_extendf(final, "--unit=%s", unit);
        for (char **w = words; r >= 0 && w && *w; w++) {
                _cleanup_free_ char *d = expand ? dollar_double(*w) : strdup(*w);

                r = d ? strv_extend(final, d) : -ENOMEM;
        }
        if (r >= 0)
                r = strv_extend(final, "--");
        return r;
}

/* systemd-run, its options (ours wrapped), "--", the enforcer when there is a policy, the command. */
static int run_command_line(const RunArgs *a, char **words, bool expand, int n_command, char *const *command,
                            char ***ret) {
        _cleanup_strv_free_ char **final = NULL;
        int r;

        r = strv_extend(&final, getenv("SYSTEMD_LANDLOCK_SYSTEMD_RUN") ?: SYSTEMD_RUN_PATH);
        if (r >= 0 && arg_scope == UNIT_SCOPE_USER)
                r = strv_extend(&final, "--user");
        for (char **p = a->passthrough; r >= 0 && p && *p; p++)
                r = strv_extend(&final, *p);
        if (r >= 0)
                r = strv_extend(&final, "--");
        if (r >= 0 && words)
                r = run_add_enforcer(&final, a->unit, words, expand);
        for (int i = 0; r >= 0 && i < n_command; i++)
                r = strv_extend(&final, command[i]);
        if (r < 0)
                return r;
        *ret = TAKE_PTR(final);
        return 0;
}

int verb_run(int argc, char *argv[]) {
        _cleanup_strv_free_ char **words = NULL, **final = NULL;
        _cleanup_(landlock_unit_policy_done) LandlockUnitPolicy policy = {};
        _cleanup_(run_args_done) RunArgs a = { .expand_environment = -1 };
        int i, r;

        /* Ours (Landlock properties) and systemd-run's options. They end at "--" or at the first word that
         * is not an option, as systemd-run's own parsing does. */
        i = run_parse_options(argc, argv, &a);
        if (i < 0)
                return i;
        if (i >= argc)
                return log_error_errno(EINVAL, "\"run\" needs a command to run.");

        r = run_compile_policy(a.landlock, &policy);
        if (r < 0)
                return r;
        if (strv_length(policy.errors) > 0) {
                for (char **e = policy.errors; *e; e++)
                        log_error("%s", *e);
                return log_error_errno(EINVAL, "Invalid Landlock properties, not running anything.");
        }

        if (policy.has_directives) {
                r = landlock_args_from_policy(&policy.policy, &words);
                if (r < 0)
                        return log_oom();
                r = run_wrap_exec_properties(&a, words);
                if (r < 0)
                        return r;
        } else
                log_warning("No Landlock properties given: the command runs without Landlock.");

        r = run_command_line(&a, words, a.expand_environment >= 0 ? a.expand_environment : !a.scope, argc - i,
                             argv + i, &final);
        if (r < 0)
                return log_oom();

        if (log_get_max_level() >= LOG_DEBUG) {
                log_debug("Running:");
                for (char **f = final; *f; f++)
                        log_debug("  %s", *f);
        }

        fflush(stdout);
        execv(final[0], final);
        return log_error_errno(errno, "Failed to execute %s: %m", final[0]);
}
