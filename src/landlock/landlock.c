/* SPDX-License-Identifier: LGPL-2.1-or-later */

/* systemd-landlock: the command line. A thin layer of verbs over src/shared. */

#include <getopt.h>

#include <time.h>

#include "denials.h"
#include "landlock-abi.h"
#include "landlock-preset.h"
#include "log.h"
#include "verbs.h"

static int help(void) {
        printf("%1$s [OPTIONS...] COMMAND ...\n\n"
               "%3$sLandlock directives for systemd services: inspect, lint and run.%4$s\n"
               "\n%3$sCommands:%4$s\n"
               "  security [UNIT...]      Landlock exposure report of units\n"
               "  show UNIT               Merged directives and the kernel rules they compile to\n"
               "  verify FILE...          Check the Landlock directives of unit files\n"
               "  run [OPTIONS...] [--] COMMAND [ARGS...]\n"
               "                          Run a transient service with -p Landlock*= properties\n"
               "  abi                     Show what the running kernel's Landlock supports\n"
               "  denials [UNIT...]       What Landlock denied services, per unit and command\n"
               "  suggest UNIT            Directives that answer the unit's denials, as a drop-in\n"
               "  profile list            List the shipped profiles of packaged services\n"
               "  profile show|enable|disable NAME\n"
               "                          Show a profile, link it into /etc/systemd/system/NAME.service.d/\n"
               "                          and reload, or remove it and reload\n"
               "  preset list             List the presets LandlockPreset= may name\n"
               "  preset show NAME        Show a preset and what it expands to here\n"
               "\n%3$sOptions:%4$s\n"
               "  -h --help               Show this help\n"
               "     --version            Show package version\n"
               "     --no-pager           Do not pipe output into a pager\n"
               "     --no-legend          Do not show the headers and footers\n"
               "     --json=pretty|short|off\n"
               "                          Generate JSON output\n"
               "     --system             Operate on the system manager (default)\n"
               "     --user               Operate on the user manager\n"
               "     --offline            Read unit files only, do not ask the manager\n"
               "     --root=PATH          Read unit files below PATH (implies --offline)\n"
               "     --threshold=N        security: exit with status %2$d if an exposure is above N\n"
               "                          (0.0 ... 10.0)\n"
               "     --with-systemd       security: merge in \"systemd-analyze security\"\n"
               "     --abi=N              security, show: compile for Landlock ABI N instead of\n"
               "                          the running kernel's (0 = no Landlock)\n"
               "     --since=TIME         denials, suggest: only denials since TIME (\"-1h\",\n"
               "                          \"2026-11-29 10:00\", \"today\"; default: this boot)\n"
               "  -f --follow             denials: keep printing denials as they come\n"
               "     --write              suggest: install the drop-in where \"systemctl edit\"\n"
               "                          puts drop-ins\n"
               "     --coarse             suggest: directory grants and bundles, fewer rounds\n"
               "\n\"run\" passes every option it does not know to systemd-run.\n"
               "See the systemd-landlock(1) man page for details.\n",
               program_invocation_short_name, EXIT_FINDINGS, ansi_highlight(), ansi_normal());
        return 0;
}

/* "7.5" → 75 (tenths), the unit systemd-analyze's --threshold uses on its 0…100 scale. */
static int parse_threshold(const char *s, int *ret) {
        unsigned whole, tenth = 0;
        int n = 0;

        if (sscanf(s, "%u%n", &whole, &n) != 1)
                return -EINVAL;
        if (s[n] == '.') {
                const char *f = s + n + 1;

                if (f[0] < '0' || f[0] > '9' || f[1] != '\0')
                        return -EINVAL;
                tenth = f[0] - '0';
        } else if (s[n] != '\0')
                return -EINVAL;
        if (whole > 10 || (whole == 10 && tenth > 0))
                return -ERANGE;
        *ret = whole * 10 + tenth;
        return 0;
}

enum {
        ARG_VERSION = 0x100,
        ARG_NO_PAGER,
        ARG_NO_LEGEND,
        ARG_JSON,
        ARG_SYSTEM,
        ARG_USER,
        ARG_OFFLINE,
        ARG_ROOT,
        ARG_THRESHOLD,
        ARG_WITH_SYSTEMD,
        ARG_ABI,
        ARG_SINCE,
        ARG_WRITE,
        ARG_COARSE,
};

static const struct option options[] = {
        { "help",         no_argument,       NULL, 'h'              },
        { "version",      no_argument,       NULL, ARG_VERSION      },
        { "no-pager",     no_argument,       NULL, ARG_NO_PAGER     },
        { "no-legend",    no_argument,       NULL, ARG_NO_LEGEND    },
        { "json",         required_argument, NULL, ARG_JSON         },
        { "system",       no_argument,       NULL, ARG_SYSTEM       },
        { "user",         no_argument,       NULL, ARG_USER         },
        { "offline",      no_argument,       NULL, ARG_OFFLINE      },
        { "root",         required_argument, NULL, ARG_ROOT         },
        { "threshold",    required_argument, NULL, ARG_THRESHOLD    },
        { "with-systemd", no_argument,       NULL, ARG_WITH_SYSTEMD },
        { "abi",          required_argument, NULL, ARG_ABI          },
        { "since",        required_argument, NULL, ARG_SINCE        },
        { "follow",       no_argument,       NULL, 'f'              },
        { "write",        no_argument,       NULL, ARG_WRITE        },
        { "coarse",       no_argument,       NULL, ARG_COARSE       },
        {}
};

/* Returns 1 to continue, 0 to exit successfully (--help, --version), or -errno. */
/* --root=PATH as systemd-analyze takes it: a relative path is taken from the working directory, and the
 * path is normalized (no "//", "/./" or trailing "/"), since unit paths are appended to it; empty resets. */
static int parse_root(const char *arg) {
        static char *owned = NULL;
        _cleanup_free_ char *cwd = NULL;
        char *p, *w;

        owned = mfree(owned);
        if (isempty(arg)) {
                arg_root = NULL;
                arg_offline = false;
                landlock_preset_set_root(NULL);
                return 0;
        }
        if (arg[0] != '/') {
                cwd = getcwd(NULL, 0);
                if (!cwd)
                        return log_error_errno(errno, "--root=%s: cannot get the working directory: %m", arg);
        }
        if (asprintf(&owned, "%s/%s", strempty(cwd), arg) < 0)
                return log_oom();
        /* In place: each "/", "." component and slash run is dropped, one "/" put back between names. */
        w = owned;
        for (p = owned; *p; ) {
                size_t n;

                p += strspn(p, "/");
                n = strcspn(p, "/");
                if (n == 0 || (n == 1 && p[0] == '.')) {
                        p += n;
                        continue;
                }
                *w++ = '/';
                memmove(w, p, n);
                w += n;
                p += n;
        }
        if (w == owned)
                *w++ = '/';
        *w = '\0';
        arg_root = owned;
        arg_offline = true;
        landlock_preset_set_root(arg_root);
        return 0;
}

/* The options that take a value to check. */
static int parse_value_option(int c) {
        int r;

        switch (c) {
        case ARG_JSON:
                arg_json = json_format_from_string(optarg);
                if (arg_json < 0)
                        return log_error_errno(EINVAL, "Invalid --json= value \"%s\" (expected pretty, short or off).",
                                               optarg);
                return 1;
        case ARG_ROOT:
                r = parse_root(optarg);
                return r < 0 ? r : 1;
        case ARG_THRESHOLD:
                r = parse_threshold(optarg, &arg_threshold);
                if (r < 0)
                        return log_error_errno(r, "Invalid --threshold= value \"%s\" (expected 0.0 to 10.0).", optarg);
                return 1;
        case ARG_ABI: {
                unsigned abi;
                int n = 0;

                if (sscanf(optarg, "%u%n", &abi, &n) != 1 || optarg[n] != '\0' || abi > LANDLOCK_ABI_MAX)
                        return log_error_errno(EINVAL, "Invalid --abi= value \"%s\" (expected 0 to %d).",
                                               optarg, LANDLOCK_ABI_MAX);
                arg_abi = abi;
                return 1;
        }
        case ARG_SINCE: {
                struct timespec ts;

                clock_gettime(CLOCK_REALTIME, &ts);
                r = parse_since(optarg, (uint64_t) ts.tv_sec * 1000000ULL + (uint64_t) ts.tv_nsec / 1000, &arg_since);
                if (r < 0)
                        return log_error_errno(r, "Invalid --since= value \"%s\" (expected e.g. \"-1h\", "
                                               "\"2026-11-29 10:00\", \"@1764410400\" or \"today\").", optarg);
                return 1;
        }
        default:
                abort();
        }
}

static int parse_option(int c) {
        switch (c) {
        case 'h':
                return help();
        case ARG_VERSION:
                printf("systemd-landlock %s\n", PROJECT_VERSION);
                return 0;
        case ARG_NO_PAGER:
                arg_pager = false;
                break;
        case ARG_NO_LEGEND:
                arg_legend = false;
                break;
        case ARG_JSON:
                if (streq(optarg, "help")) {
                        printf("pretty\nshort\noff\n");
                        return 0;
                }
                return parse_value_option(c);
        case ARG_ROOT:
        case ARG_THRESHOLD:
        case ARG_ABI:
        case ARG_SINCE:
                return parse_value_option(c);
        case ARG_SYSTEM:
                arg_scope = UNIT_SCOPE_SYSTEM;
                break;
        case ARG_USER:
                arg_scope = UNIT_SCOPE_USER;
                break;
        case ARG_OFFLINE:
                arg_offline = true;
                break;
        case ARG_WITH_SYSTEMD:
                arg_with_systemd = true;
                break;
        case 'f':
                arg_follow = true;
                break;
        case ARG_WRITE:
                arg_write = true;
                break;
        case ARG_COARSE:
                arg_coarse = true;
                break;
        case '?':
                return -EINVAL;
        default:
                abort();
        }
        return 1;
}

static const struct {
        const char *name;
        int (*func)(int argc, char *argv[]);
        bool pager;
} verbs[] = {
        { "security", verb_security, true  },
        { "show",     verb_show,     true  },
        { "verify",   verb_verify,   false },
        { "run",      verb_run,      false },
        { "abi",      verb_abi,      true  },
        { "denials",  verb_denials,  true  },
        { "suggest",  verb_suggest,  false },
        { "profile",  verb_profile,  false },
        { "preset",   verb_preset,   true  },
};

/* Options go before or after the verb, except for "run", whose own options (passed to systemd-run)
 * follow it untouched. Returns the index of the verb in argv, 0 for "exit now", or -errno. */
static int parse_argv(int argc, char *argv[]) {
        int c, r, verb_index;

        /* "+": stop at the verb. */
        while ((c = getopt_long(argc, argv, "+hf", options, NULL)) >= 0) {
                r = parse_option(c);
                if (r <= 0)
                        return r;
        }
        if (optind >= argc)
                return log_error_errno(EINVAL, "Missing command. See --help.");
        verb_index = optind;
        if (streq(argv[verb_index], "run"))
                return verb_index;

        /* Options after the verb: parse the verb's part of argv on its own (optind = 0 reinitialises
         * getopt), letting it permute the verb's arguments to the end, then put the verb right before
         * them. */
        char **vargv = argv + verb_index, *verb = argv[verb_index];
        int vargc = argc - verb_index;

        optind = 0;
        while ((c = getopt_long(vargc, vargv, "hf", options, NULL)) >= 0) {
                r = parse_option(c);
                if (r <= 0)
                        return r;
        }
        vargv[optind - 1] = verb;
        return verb_index + optind - 1;
}

int main(int argc, char *argv[]) {
        int r, v;

        log_parse_environment();

        v = parse_argv(argc, argv);
        if (v <= 0)
                return v < 0 ? EXIT_FAILURE : EXIT_SUCCESS;

        for (size_t i = 0; i < ELEMENTSOF(verbs); i++) {
                if (!streq(argv[v], verbs[i].name))
                        continue;

                if (verbs[i].pager && !arg_follow)
                        pager_open(arg_pager);
                r = verbs[i].func(argc - v, argv + v);
                pager_close();
                if (r < 0)
                        return EXIT_FAILURE;
                return r;
        }

        log_error("Unknown command \"%s\". See --help.", argv[v]);
        return EXIT_FAILURE;
}
