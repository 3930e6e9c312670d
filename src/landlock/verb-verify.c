/* SPDX-License-Identifier: LGPL-2.1-or-later */

/* "systemd-landlock verify FILE…": lint the Landlock directives of unit files, without a manager. */

#include "landlock-directives.h"
#include "landlock-unit.h"
#include "log.h"
#include "strv.h"
#include "verbs.h"

static int verify_result_json(json_object *list, const char *file, const LandlockUnit *u) {
        json_object *o = json_object_new_object();
        int r;

        r = json_append(list, o);
        if (r >= 0)
                r = json_add_string(o, "file", file);
        if (r >= 0)
                r = json_add_bool(o, "has_directives", u->policy.has_directives);
        if (r >= 0)
                r = json_add_strv(o, "errors", u->policy.errors);
        return r;
}

/* What the directive parser cannot see: lines after which systemd stops reading the file (a Landlock
 * directive there would silently not apply), and directives in a file whose unit type runs no command
 * we wrap (a .timer, a .target, a drop-in we cannot place), which systemd ignores. Added to u->policy.errors. */
static int file_problems(LandlockUnit *u, const char *path) {
        int r;

        STRV_FOREACH(f, u->file.fatal) {
                r = strv_extendf(&u->policy.errors, "%s: nothing after that line applies, for systemd or for "
                                 "the generator; fix the file", *f);
                if (r < 0)
                        return r;
        }
        if (landlock_unit_section(u))
                return 0;
        for (size_t i = 0; i < u->file.n_entries; i++) {
                const UnitFileEntry *e = u->file.entries + i;

                if (!landlock_directive_key_is_ours(e->key))
                        continue;
                r = strv_extendf(&u->policy.errors, "%s:%u: %s= in a file that is not a service, socket, mount or "
                                 "swap unit, nor a drop-in of one: systemd would ignore it, nothing would be "
                                 "confined (expected in a .service or .socket unit, or in NAME.service.d/*.conf)",
                                 e->file, e->line, e->key);
                if (r < 0)
                        return r;
        }
        u->policy.has_directives = u->policy.has_directives || u->policy.errors;
        return 0;
}

int verb_verify(int argc, char *argv[]) {
        _cleanup_json_ json_object *list = NULL;
        size_t n_errors = 0;
        int r = 0;

        if (argc < 2)
                return log_error_errno(EINVAL, "\"verify\" needs at least one unit file.");

        if (arg_json != JSON_OFF) {
                list = json_object_new_array();
                if (!list)
                        return log_oom();
        }

        for (int i = 1; i < argc; i++) {
                _cleanup_(landlock_unit_done) LandlockUnit u = {};
                int k;

                k = landlock_unit_load_file(argv[i], &u);
                if (k < 0) {
                        r = k;
                        continue;
                }
                k = file_problems(&u, argv[i]);
                if (k < 0)
                        return log_oom();

                n_errors += strv_length(u.policy.errors);
                if (list) {
                        k = verify_result_json(list, argv[i], &u);
                        if (k < 0)
                                return log_oom();
                } else
                        /* Messages carry FILE:LINE already, as the generator words them. */
                        for (char **e = u.policy.errors; e && *e; e++)
                                fprintf(stderr, "%s%s%s\n", colors_enabled() ? ansi_red() : "", *e,
                                        colors_enabled() ? ansi_normal() : "");
        }

        if (list && json_print(list, arg_json) < 0)
                return log_oom();

        if (r < 0)
                return r;
        return n_errors > 0 ? EXIT_FINDINGS : 0;
}
