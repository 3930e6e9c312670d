/* SPDX-License-Identifier: LGPL-2.1-or-later */

/* Expands the tables of a man page from the code tables, so that the ABI table, the right names and the
 * bundles are typed exactly once (in src/shared). A line of the input consisting only of
 *   .\" @TABLE:rights@    .\" @TABLE:bundles@    .\" @TABLE:abi@    .\" @TABLE:directives@
 *   .\" @TABLE:path-specifiers@    .\" @TABLE:systemd-keys@    .\" @TABLE:exit-status@
 *   .\" @TABLE:security-items@
 * is replaced by the corresponding tbl(1) table. Usage: landlock-doc INPUT OUTPUT */

#include <inttypes.h>

#include "exec-exit.h"
#include "landlock-abi.h"
#include "landlock-directives.h"
#include "unit-specifier.h"
#include "landlock-policy.h"
#include "security-score.h"

static void print_rights(FILE *f) {
        fputs(".TS\nallbox;\nlb lb lb lb lb\nl l l l l.\n"
              "Name\tKind\tABI (Linux)\tOn files\tMeaning\n", f);
        for (LandlockRightKind k = 0; k < _LANDLOCK_KIND_MAX; k++)
                for (size_t i = 0; i < landlock_n_rights; i++) {
                        const LandlockRight *r = landlock_rights + i;

                        if (r->kind != k)
                                continue;
                        fprintf(f, "\\fB%s\\fR\t%s\t%u (%s)\t%s\tT{\n%s\nT}\n",
                                r->name, landlock_kind_to_string(r->kind), r->abi,
                                landlock_abi_linux_version(r->abi),
                                r->kind == LANDLOCK_KIND_FS ? yes_no(r->file_ok) : "-",
                                r->description);
                }
        fputs(".TE\n", f);
}

/* The rights of a bundle joined by ", ", not ",": man needs a space to break the cell's line at, or the
 * table is wider than the page (lintian's groff-message). */
static void print_rights_list(FILE *f, const char *s) {
        for (; *s; s++) {
                fputc(*s, f);
                if (*s == ',')
                        fputc(' ', f);
        }
}

static void print_bundles(FILE *f) {
        fputs(".TS\nallbox;\nlb lb\nl l.\nBundle\tRights\n", f);
        for (size_t i = 0; i < landlock_n_bundles; i++) {
                _cleanup_free_ char *s = landlock_mask_to_string(LANDLOCK_KIND_FS, landlock_bundles[i].access);

                fprintf(f, "\\fB%s\\fR\tT{\n", landlock_bundles[i].name);
                print_rights_list(f, strna(s));
                fputs("\nT}\n", f);
        }
        fputs(".TE\n", f);
}

static void print_abi(FILE *f) {
        fputs(".TS\nallbox;\nlb lb lb\nl l l.\nABI\tLinux\tAdded\n", f);
        for (unsigned abi = 1; abi <= LANDLOCK_ABI_MAX; abi++) {
                bool first = true;

                fprintf(f, "%u\t%s\tT{\n", abi, landlock_abi_linux_version(abi));
                for (size_t i = 0; i < landlock_n_rights; i++) {
                        const LandlockRight *r = landlock_rights + i;

                        if (r->abi != abi)
                                continue;
                        fprintf(f, "%s\\fB%s\\fR (%s)", first ? "" : ", ", r->name,
                                landlock_kind_to_string(r->kind));
                        first = false;
                }
                fputs("\nT}\n", f);
        }
        fputs(".TE\n", f);
}

static void print_directives(FILE *f) {
        fputs(".TS\nallbox;\nlb lb lb\nl l l.\nDirective\tValue\tMeaning\n", f);
        for (size_t i = 0; i < landlock_n_directives; i++)
                fprintf(f, "\\fB%s=\\fR\tT{\n%s\nT}\tT{\n%s\nT}\n", landlock_directives[i].name,
                        landlock_directives[i].syntax, landlock_directives[i].description);
        fputs(".TE\n", f);
}

/* systemd's own Landlock settings, and which versions handle them (landlock-directives.h). */
static void print_systemd_keys(FILE *f) {
        fputs(".TS\nallbox;\nlb lb lb\nl l l.\nSetting\tWhat it is\tHandled by\n", f);
        for (size_t i = 0; i < systemd_n_landlock_keys; i++) {
                const SystemdLandlockKey *k = systemd_landlock_keys + i;

                if (k->since == SYSTEMD_VERSION_UNRELEASED)
                        fprintf(f, "\\fB%s=\\fR\tT{\n%s\nT}\tno systemd release yet\n", k->name, k->what);
                else
                        fprintf(f, "\\fB%s=\\fR\tT{\n%s\nT}\tsystemd %u and later\n", k->name, k->what, k->since);
        }
        fputs(".TE\n", f);
}

/* systemd-landlock-exec's exit statuses (exec-exit.h), as a .TP list. */
static void print_exit_statuses(FILE *f) {
        for (size_t i = 0; i < exec_n_exit_statuses; i++)
                fprintf(f, ".TP\n.B %i\n%s\n", exec_exit_statuses[i].status, exec_exit_statuses[i].meaning);
}

/* The items of "systemd-landlock security", with their weight and range (security-score.c). */
static void print_security_items(FILE *f) {
        fputs(".TS\nl l l l.\n\\fBJSON field\\fR\t\\fBweight\\fR\t\\fBrange\\fR\t\\fBbadness\\fR\n", f);
        for (size_t i = 0; i < security_n_items; i++)
                fprintf(f, "%s\t%" PRIu64 "\t%" PRIu64 "\tT{\n%s\nT}\n", security_items[i].id,
                        security_items[i].weight, security_items[i].range, security_items[i].badness);
        fputs(".TE\n", f);
}

/* The specifiers a Landlock path may use, in bold. */
static void print_path_specifiers(FILE *f) {
        _cleanup_free_ char *list = unit_specifiers_path_list(0);

        if (list)
                fprintf(f, ".B \"%s\"\n", list);
}

int main(int argc, char *argv[]) {
        _cleanup_fclose_ FILE *in = NULL, *out = NULL;
        char line[4096];
        unsigned n = 0;

        if (argc != 3) {
                fprintf(stderr, "Usage: %s INPUT OUTPUT\n", argv[0]);
                return EXIT_FAILURE;
        }

        in = fopen(argv[1], "re");
        if (!in) {
                fprintf(stderr, "Failed to open %s: %m\n", argv[1]);
                return EXIT_FAILURE;
        }
        out = fopen(argv[2], "we");
        if (!out) {
                fprintf(stderr, "Failed to create %s: %m\n", argv[2]);
                return EXIT_FAILURE;
        }

        while (fgets(line, sizeof line, in)) {
                n++;
                if (!startswith(line, ".\\\" @TABLE:")) {
                        fputs(line, out);
                        continue;
                }
                if (streq(line, ".\\\" @TABLE:rights@\n"))
                        print_rights(out);
                else if (streq(line, ".\\\" @TABLE:bundles@\n"))
                        print_bundles(out);
                else if (streq(line, ".\\\" @TABLE:abi@\n"))
                        print_abi(out);
                else if (streq(line, ".\\\" @TABLE:directives@\n"))
                        print_directives(out);
                else if (streq(line, ".\\\" @TABLE:exit-status@\n"))
                        print_exit_statuses(out);
                else if (streq(line, ".\\\" @TABLE:security-items@\n"))
                        print_security_items(out);
                else if (streq(line, ".\\\" @TABLE:systemd-keys@\n"))
                        print_systemd_keys(out);
                else if (streq(line, ".\\\" @TABLE:path-specifiers@\n"))
                        print_path_specifiers(out);
                else {
                        fprintf(stderr, "%s:%u: unknown table placeholder: %s", argv[1], n, line);
                        return EXIT_FAILURE;
                }
        }

        if (ferror(in) || fflush(out) != 0 || ferror(out)) {
                fprintf(stderr, "Failed to expand %s into %s.\n", argv[1], argv[2]);
                return EXIT_FAILURE;
        }
        return EXIT_SUCCESS;
}
