/* SPDX-License-Identifier: LGPL-2.1-or-later */

/* libFuzzer target: arbitrary bytes as a unit file, through the reader, the Landlock directive parser
 * and the generator's drop-in writer (exec-line rewriting and quoting included). The drop-in is read
 * back: every Exec line we wrapped must split again the way systemd would split it, so a quoting bug
 * is a crash here rather than a unit that does something else. */

#include "fuzz.h"
#include "generator-exec.h"
#include "generator-unit.h"
#include "strv.h"
#include "unit-file.h"

#define EXEC_PATH "/usr/libexec/systemd-landlock-exec"

static void check_dropin(const char *dropin) {
        UnitFile back = UNIT_FILE_INIT;

        if (unit_file_parse_string(&back, "/fuzz/dropin", dropin, NULL) < 0)
                return;         /* out of memory */
        /* What we write must read back whole: systemd would ignore the rest of a drop-in it stops in. */
        fuzz_assert(back.n_entries > 0, "the drop-in has no assignment: %s", dropin);
        fuzz_assert(!back.fatal, "the drop-in does not read back whole: %s", back.fatal ? back.fatal[0] : "");

        for (size_t i = 0; i < back.n_entries; i++) {
                const UnitFileEntry *e = &back.entries[i];
                ExecCommandRaw *cmds = NULL;
                size_t n = 0;
                int r;

                if (!startswith(e->key, "Exec") || isempty(e->value) || !strstr(e->value, EXEC_PATH))
                        continue;
                r = exec_line_split(e->value, &cmds, &n);
                /* A line we wrote must parse; one we kept as written may not (systemd ignores it too). */
                fuzz_assert(r != -EINVAL || !startswith(e->value + strspn(e->value, "-:!"), EXEC_PATH),
                            "a line the generator wrote does not split: %s", e->value);
                exec_commands_free(cmds);
        }
        unit_file_done(&back);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
        static const char * const names[] = { "fuzz.service", "fuzz@.service", "fuzz.socket", "fuzz.mount" };
        UnitFile u = UNIT_FILE_INIT;

        if (size > 64 * 1024)
                return 0;

        /* Raw bytes: NULs and lone CRs end lines, as for systemd. */
        if (unit_file_parse_buffer(&u, "/fuzz/unit", (const char *) data, size, NULL) >= 0)
                for (size_t i = 0; i < ELEMENTSOF(names); i++) {
                        char **errors = NULL, *dropin = NULL;

                        if (generator_unit_dropin(names[i], "/fuzz/unit", &u, EXEC_PATH, 0, u.fatal, false, &dropin, &errors) > 0)
                                check_dropin(dropin);
                        strv_free(errors);
                        free(dropin);
                }

        unit_file_done(&u);
        return 0;
}
