/* SPDX-License-Identifier: LGPL-2.1-or-later */

/* systemd-landlock-generator: run by the system and user managers at boot and at every daemon-reload
 * (systemd.generator(7)). For every unit with Landlock directives it writes a drop-in into the normal
 * generator directory that routes each Exec*= command through systemd-landlock-exec. It never fails:
 * problems are logged to the kernel log and only affect the unit concerned. */

#include <getopt.h>

#include "generator-unit.h"
#include "log.h"

static UnitScope scope_from_invocation(const char *argv0) {
        const char *e = getenv("SYSTEMD_SCOPE");
        UnitScope s;

        /* systemd 254 and newer say it in $SYSTEMD_SCOPE; 252 tells generators nothing, and where we are
         * installed says it. */
        if (e && (s = unit_scope_from_string(e)) >= 0)
                return s;
        if (argv0 && strstr(argv0, "user-generators"))
                return UNIT_SCOPE_USER;
        return UNIT_SCOPE_SYSTEM;
}

static void help(void) {
        printf("%s [OPTIONS] NORMAL_DIR [EARLY_DIR LATE_DIR]\n\n"
               "Writes drop-ins that apply the Landlock directives of units.\n\n"
               "  -h --help           Show this help\n"
               "     --version        Show the version\n"
               "     --scope=SCOPE    system or user (default: from the installation directory)\n"
               "     --root=DIR       Look units up beneath DIR\n"
               "     --exec-path=PATH The enforcer to write into the drop-ins\n",
               program_invocation_short_name);
}

int main(int argc, char *argv[]) {
        enum { ARG_VERSION = 0x100, ARG_SCOPE, ARG_ROOT, ARG_EXEC_PATH };
        static const struct option options[] = {
                { "help",      no_argument,       NULL, 'h'           },
                { "version",   no_argument,       NULL, ARG_VERSION   },
                { "scope",     required_argument, NULL, ARG_SCOPE     },
                { "root",      required_argument, NULL, ARG_ROOT      },
                { "exec-path", required_argument, NULL, ARG_EXEC_PATH },
                {}
        };
        GeneratorOptions o = {
                .scope = scope_from_invocation(argv[0]),
                .identity_links = true,
        };
        int c, r;

        log_set_target(LOG_TARGET_KMSG);
        log_set_prefix(program_invocation_short_name);
        log_parse_environment();

        while ((c = getopt_long(argc, argv, "h", options, NULL)) >= 0)
                switch (c) {
                case 'h':
                        help();
                        return 0;
                case ARG_VERSION:
                        puts(PROJECT_VERSION);
                        return 0;
                case ARG_SCOPE:
                        o.scope = unit_scope_from_string(optarg);
                        if (o.scope < 0) {
                                log_error("Invalid --scope=%s (expected system or user), ignoring.", optarg);
                                o.scope = scope_from_invocation(argv[0]);
                        }
                        break;
                case ARG_ROOT:
                        o.root = optarg;
                        break;
                case ARG_EXEC_PATH:
                        o.exec_path = optarg;
                        break;
                default:
                        break;
                }

        /* systemd passes one or three directories: drop-ins go to the normal one, masks to the early one. */
        if (optind >= argc) {
                log_error("Expected the generator output directories as arguments, doing nothing.");
                return 0;
        }
        o.output_dir = argv[optind];
        if (optind + 1 < argc)
                o.early_dir = argv[optind + 1];

        r = generator_run(&o);
        if (r >= 0)
                log_debug("Wrote %i Landlock drop-in(s).", r);
        return 0;
}
