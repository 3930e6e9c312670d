/* SPDX-License-Identifier: LGPL-2.1-or-later */

/* "systemd-landlock run [OPTIONS…] -p LandlockPaths=… [--] COMMAND…": transient units cannot carry our
 * directives (the generator never sees them), so the -p Landlock*= properties are compiled into the
 * enforcer's command line here, and systemd-run starts "systemd-landlock-exec WORDS -- COMMAND…". Every
 * other option goes to systemd-run unchanged. */

#include <assert.h>

#include "landlock-args.h"
#include "landlock-directives.h"
#include "log.h"
#include "strv.h"
#include "unit-file.h"
#include "verbs.h"

/* systemd-run options that take their value as the next word (as of v252…v257). Everything else is
 * a flag or carries its value after "=". */
static bool run_option_takes_value(const char *arg) {
        static const char *const long_opts[] = {
                "--property", "--unit", "--description", "--slice", "--setenv", "--uid", "--gid", "--nice",
                "--working-directory", "--host", "--machine", "--on-active", "--on-boot", "--on-startup",
                "--on-unit-active", "--on-unit-inactive", "--on-calendar", "--path-property",
                "--socket-property", "--timer-property", "--service-type", "--json", "--shell-prefix", NULL,
        };

        if (startswith(arg, "--")) {
                if (strchr(arg, '='))
                        return false;
                for (size_t i = 0; long_opts[i]; i++)
                        if (streq(arg, long_opts[i]))
                                return true;
                return false;
        }
        /* Short options: "-p X" but "-pX"; in a group ("-tp X") the last letter decides. */
        size_t l = strlen(arg);

        return l >= 2 && arg[0] == '-' && strchr("puEHM", arg[l - 1]) &&
                (l == 2 || !strchr("puEHM", arg[1]));
}

/* The value of a -p/--property option word (and its separate value word), or NULL if "arg" is not one. */
static const char *run_property_value(const char *arg, const char *next, bool *ret_consumes_next) {
        const char *v;

        *ret_consumes_next = false;
        if (streq(arg, "-p") || streq(arg, "--property")) {
                *ret_consumes_next = true;
                return next;
        }
        v = startswith(arg, "--property=");
        if (v)
                return v;
        if (startswith(arg, "-p") && arg[2] != '\0')
                return arg + 2;
        return NULL;
}

static bool property_is_landlock(const char *assignment) {
        _cleanup_free_ char *key = NULL;
        const char *eq = strchr(assignment, '=');

        if (!eq)
                return false;
        key = strndup(assignment, eq - assignment);
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

int verb_run(int argc, char *argv[]) {
        _cleanup_strv_free_ char **passthrough = NULL, **landlock = NULL, **words = NULL, **final = NULL;
        _cleanup_(landlock_unit_policy_done) LandlockUnitPolicy policy = {};
        const char *run_path, *unit = NULL;
        int i, r;

        /* Split the options: ours (Landlock properties) from systemd-run's. They end at "--" or at the
         * first word that is not an option, like systemd-run's own parsing. */
        for (i = 1; i < argc; i++) {
                const char *a = argv[i], *v;
                bool consumes;

                if (streq(a, "--")) {
                        i++;
                        break;
                }
                if (a[0] != '-' || streq(a, "-"))
                        break;

                v = run_property_value(a, i + 1 < argc ? argv[i + 1] : NULL, &consumes);
                if (consumes && !v)
                        return log_error_errno(EINVAL, "Option %s needs a NAME=VALUE argument.", a);
                if (v && property_is_landlock(v)) {
                        r = strv_extend(&landlock, v);
                        if (r < 0)
                                return log_oom();
                        i += consumes;
                        continue;
                }

                r = strv_extend(&passthrough, a);
                if (r < 0)
                        return log_oom();
                if (startswith(a, "--unit="))
                        unit = a + strlen("--unit=");
                else if ((streq(a, "--unit") || streq(a, "-u")) && i + 1 < argc)
                        unit = argv[i + 1];
                if (run_option_takes_value(a) && i + 1 < argc) {
                        r = strv_extend(&passthrough, argv[++i]);
                        if (r < 0)
                                return log_oom();
                }
        }
        if (i >= argc)
                return log_error_errno(EINVAL, "\"run\" needs a command to run.");

        r = run_compile_policy(landlock, &policy);
        if (r < 0)
                return r;
        if (strv_length(policy.errors) > 0) {
                for (char **e = policy.errors; *e; e++)
                        log_error("%s", *e);
                return log_error_errno(EINVAL, "Invalid Landlock properties, not running anything.");
        }

        run_path = getenv("SYSTEMD_LANDLOCK_SYSTEMD_RUN") ?: SYSTEMD_RUN_PATH;
        r = strv_extend(&final, run_path);
        if (r >= 0 && arg_scope == UNIT_SCOPE_USER)
                r = strv_extend(&final, "--user");
        for (char **p = passthrough; r >= 0 && p && *p; p++)
                r = strv_extend(&final, *p);
        if (r >= 0)
                r = strv_extend(&final, "--");

        if (policy.has_directives) {
                if (r >= 0)
                        r = strv_extend(&final, LANDLOCK_EXEC_PATH);
                if (r >= 0 && unit) {
                        /* The enforcer prefixes its messages with it. */
                        _cleanup_free_ char *w = NULL;

                        if (asprintf(&w, "--unit=%s", unit) < 0)
                                return log_oom();
                        r = strv_extend(&final, w);
                }
                if (r >= 0)
                        r = landlock_args_from_policy(&policy.policy, &words);
                for (char **w = words; r >= 0 && w && *w; w++)
                        r = strv_extend(&final, *w);
                if (r >= 0)
                        r = strv_extend(&final, "--");
        } else
                log_warning("No Landlock properties given: the command runs without Landlock.");

        for (; r >= 0 && i < argc; i++)
                r = strv_extend(&final, argv[i]);
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
