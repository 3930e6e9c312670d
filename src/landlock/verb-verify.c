/* SPDX-License-Identifier: LGPL-2.1-or-later */

/* "systemd-landlock verify FILE…": lint the Landlock directives of unit files, without a manager. */

#include "landlock-unit.h"
#include "log.h"
#include "strv.h"
#include "verbs.h"

int verb_verify(int argc, char *argv[]) {
        JsonWriter w;
        size_t n_errors = 0;
        int r = 0;

        if (argc < 2)
                return log_error_errno(EINVAL, "\"verify\" needs at least one unit file.");

        if (arg_json != JSON_OFF) {
                json_writer_init(&w, stdout, arg_json);
                json_begin_array(&w);
        }

        for (int i = 1; i < argc; i++) {
                _cleanup_(landlock_unit_done) LandlockUnit u = {};
                int k;

                k = landlock_unit_load_file(argv[i], &u);
                if (k < 0) {
                        r = k;
                        continue;
                }
                if (!landlock_unit_section(&u) && u.policy.has_directives)
                        log_warning("%s: not a unit type whose commands systemd execs: its Landlock directives "
                                    "are ignored.", argv[i]);

                n_errors += strv_length(u.policy.errors);
                if (arg_json != JSON_OFF) {
                        json_begin_object(&w);
                        json_pair_string(&w, "file", argv[i]);
                        json_pair_bool(&w, "has_directives", u.policy.has_directives);
                        json_key(&w, "errors");
                        json_begin_array(&w);
                        for (char **e = u.policy.errors; e && *e; e++)
                                json_string(&w, *e);
                        json_end_array(&w);
                        json_end_object(&w);
                } else
                        /* Messages carry FILE:LINE already, as the generator words them. */
                        for (char **e = u.policy.errors; e && *e; e++)
                                fprintf(stderr, "%s%s%s\n", colors_enabled() ? ansi_red() : "", *e,
                                        colors_enabled() ? ansi_normal() : "");
        }

        if (arg_json != JSON_OFF) {
                json_end_array(&w);
                json_finish(&w);
        }

        if (r < 0)
                return r;
        return n_errors > 0 ? EXIT_FINDINGS : 0;
}
