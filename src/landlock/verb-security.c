/* SPDX-License-Identifier: LGPL-2.1-or-later */

/* "systemd-landlock security [UNIT…]": the Landlock exposure report, in the style of
 * "systemd-analyze security". */

#include <assert.h>

#include "analyze-merge.h"
#include "exec-closure.h"
#include "landlock-unit.h"
#include "log.h"
#include "security-score.h"
#include "strv.h"
#include "unit-bus.h"
#include "unit-exec-keys.h"
#include "verbs.h"

typedef struct UnitAssessment {
        char *unit;
        unsigned abi;
        SecurityReport report;
        AnalyzeReport systemd;          /* --with-systemd */
        bool has_systemd;
        unsigned exposure;              /* the figure --threshold judges: Landlock's, or the combined one */
} UnitAssessment;

static void unit_assessment_done(UnitAssessment *a) {
        free(a->unit);
        security_report_done(&a->report);
        if (a->has_systemd)
                analyze_report_done(&a->systemd);
}

int cli_target_abi(unsigned *ret_abi, uint32_t *ret_errata) {
        int abi, errata;

        if (arg_abi >= 0) {
                *ret_abi = arg_abi;
                *ret_errata = 0;
                return 0;
        }
        abi = landlock_abi_probe();
        if (abi < 0) {
                log_debug_errno(abi, "Landlock is not available here, assessing without it: %m");
                *ret_abi = 0;
                *ret_errata = 0;
                return 0;
        }
        errata = landlock_errata_probe();
        *ret_abi = abi > LANDLOCK_ABI_MAX ? LANDLOCK_ABI_MAX : (unsigned) abi;
        *ret_errata = errata > 0 ? (uint32_t) errata : 0;
        return 0;
}

/* Gathers the facts about "u" and scores them. */
/* Whether a command of the unit is, or runs through, a shell or an interpreter: then a grant of one is
 * needed. When a command cannot be looked at (not found, another root, "#!/usr/bin/env …"), assume so:
 * the row must not flag what may be needed. */
static bool unit_needs_interpreter(const LandlockUnit *u) {
        _cleanup_free_ char *search_path = NULL;

        if (unit_exec_search_path(&u->file, landlock_unit_section(u) ?: "Service", &search_path) < 0)
                return true;
        for (size_t i = 0; i < u->n_commands; i++) {
                _cleanup_free_ char *path = NULL, *interpreter = NULL;

                if (strchr(u->commands[i].prefix, '+'))
                        continue;
                if (security_is_interpreter(u->commands[i].path))
                        return true;
                if (arg_root && !streq(arg_root, "/"))
                        return true;
                if (exec_command_find(u->commands[i].path, search_path, &path) < 0 ||
                    exec_interpreter(path, &interpreter) < 0)
                        return true;
                if (interpreter && (security_is_interpreter(interpreter) || endswith(interpreter, "/env")))
                        return true;
        }
        return false;
}

static const char *setting_of(const LandlockUnit *u, const char *key) {
        const char *section = landlock_unit_section(u);
        const UnitFileEntry *e;

        if (!section)
                return NULL;
        e = unit_file_get_last(&u->file, section, key, UNIT_FILE_EMPTY_RESETS);
        return e ? e->value : NULL;
}

static int assess_unit(const LandlockUnit *u, unsigned abi, uint32_t errata, SecurityReport *ret) {
        _cleanup_(landlock_compiled_done) LandlockCompiled compiled = {};
        _cleanup_free_ char *error = NULL;
        bool invalid = strv_length(u->policy.errors) > 0;
        SecurityFacts f = {
                .has_directives = u->policy.has_directives,
                .policy = &u->policy.policy,
                .abi = abi,
                .invalid = invalid,
                .online = u->online,
                .needs_interpreter = unit_needs_interpreter(u),
                .stale_policy = landlock_unit_policy_record(u, NULL, NULL) == POLICY_RECORD_STALE,
                .protect_proc = setting_of(u, "ProtectProc"),
                .proc_subset = setting_of(u, "ProcSubset"),
        };
        int r;

        r = landlock_policy_compile(&u->policy.policy, abi, errata, &compiled, &error);
        if (r < 0 && r != -EOPNOTSUPP)  /* strict refusal still fills "compiled" */
                return log_error_errno(r, "Failed to compile the policy of %s: %m", u->name);
        f.compiled = &compiled;

        for (size_t i = 0; i < u->n_commands; i++) {
                f.n_commands++;
                if (strchr(u->commands[i].prefix, '+'))
                        f.n_privileged++;
        }
        for (size_t i = 0; i < u->n_running; i++) {
                const RunningCommand *c = u->running + i;

                if (c->privileged) {
                        f.n_running_privileged++;
                        continue;
                }
                f.n_running++;
                /* Wrapped but unparsable counts as not enforced: the enforcer refuses it, or worse. */
                if (!c->wrapped || c->parse_error)
                        f.n_running_unwrapped++;
        }

        return security_assess(&f, ret);
}

static void print_exposure_cell(uint64_t x) {
        printf("%3" PRIu64 ".%" PRIu64, x / 1000, (x % 1000) / 100);
}

static void print_overall_line(const char *unit, const char *what, unsigned e) {
        const char *color = e >= 75 ? ansi_red() : e >= 10 ? ansi_yellow() : ansi_green();

        printf("%s→ %s for %s:%s %s%u.%u %s%s %s\n", ansi_highlight(), what, unit, ansi_normal(), color,
               e / 10, e % 10, security_level(e), ansi_normal(), security_level_emoji(e));
}

static void print_assessment_text(const UnitAssessment *a) {
        size_t wn = strlen("NAME"), wd = strlen("DESCRIPTION");

        for (size_t i = 0; i < a->report.n_results; i++) {
                wn = MAX(wn, utf8_width(a->report.results[i].item->name));
                wd = MAX(wd, utf8_width(a->report.results[i].description));
        }
        for (size_t i = 0; a->has_systemd && i < a->systemd.n_rows; i++) {
                wn = MAX(wn, utf8_width(strna(a->systemd.rows[i].name)));
                wd = MAX(wd, utf8_width(strna(a->systemd.rows[i].description)));
        }
        wn = MIN(wn, 60);
        wd = MIN(wd, 90);

        if (arg_legend)
                printf("%s  %-*s %-*s %s%s\n", ansi_highlight(), (int) wn, "NAME", (int) wd, "DESCRIPTION",
                       "EXPOSURE", ansi_normal());

        if (a->has_systemd)
                for (size_t i = 0; i < a->systemd.n_rows; i++) {
                        const AnalyzeRow *row = a->systemd.rows + i;
                        const char *mark = row->set < 0 ? " " : row->set ? "✓" : "✗";

                        printf("%s%s%s %s%*s %s%*s %s\n",
                               row->set < 0 ? "" : row->set ? ansi_green() : ansi_red(), mark, ansi_normal(),
                               strna(row->name), (int) (wn - utf8_width(strna(row->name))), "",
                               strna(row->description), (int) (wd - utf8_width(strna(row->description))), "",
                               row->exposure ? row->exposure : "");
                }

        for (size_t i = 0; i < a->report.n_results; i++) {
                const SecurityResult *res = a->report.results + i;
                bool na = res->badness == SECURITY_NOT_APPLICABLE, good = !na && res->badness == 0;

                printf("%s%s%s %s%*s %s%s%s%*s ",
                       na ? "" : good ? ansi_green() : ansi_red(), na ? " " : good ? "✓" : "✗", ansi_normal(),
                       res->item->name, (int) (wn - utf8_width(res->item->name)), "",
                       na ? ansi_grey() : "", res->description, ansi_normal(),
                       (int) (wd - utf8_width(res->description)), "");
                if (!na && !good)
                        print_exposure_cell(res->exposure);
                printf("\n");
        }

        if (!arg_legend)
                return;
        printf("\n");
        if (a->has_systemd) {
                if (a->systemd.exposure >= 0)
                        print_overall_line(a->unit, "systemd exposure level", a->systemd.exposure);
                print_overall_line(a->unit, "Landlock exposure level", a->report.exposure);
                print_overall_line(a->unit, "Combined exposure level", a->exposure);
        } else
                print_overall_line(a->unit, "Overall Landlock exposure level", a->report.exposure);
}

static void json_exposure(JsonWriter *w, unsigned e) {
        char buf[16];

        snprintf(buf, sizeof buf, "%u.%u", e / 10, e % 10);
        json_raw(w, buf);
}

static void print_assessment_json(JsonWriter *w, const UnitAssessment *a) {
        json_begin_object(w);
        json_pair_string(w, "unit", a->unit);
        json_pair_unsigned(w, "abi", a->abi);
        json_key(w, "exposure");
        json_exposure(w, a->report.exposure);
        json_pair_string(w, "level", security_level(a->report.exposure));

        json_key(w, "items");
        json_begin_array(w);
        for (size_t i = 0; i < a->report.n_results; i++) {
                const SecurityResult *res = a->report.results + i;
                bool na = res->badness == SECURITY_NOT_APPLICABLE;
                char buf[32];

                json_begin_object(w);
                json_key(w, "set");
                if (na)
                        json_null(w);
                else
                        json_bool(w, res->badness == 0);
                json_pair_string(w, "name", res->item->name);
                json_pair_string(w, "json_field", res->item->id);
                json_pair_string(w, "description", res->description);
                json_pair_unsigned(w, "weight", res->item->weight);
                json_pair_unsigned(w, "range", res->item->range);
                json_key(w, "badness");
                if (na)
                        json_null(w);
                else
                        json_unsigned(w, res->badness);
                json_key(w, "exposure");
                if (na || res->badness == 0)
                        json_null(w);
                else {
                        snprintf(buf, sizeof buf, "%" PRIu64 ".%" PRIu64, res->exposure / 1000,
                                 (res->exposure % 1000) / 100);
                        json_string(w, buf);
                }
                json_end_object(w);
        }
        json_end_array(w);

        if (a->has_systemd) {
                json_key(w, "systemd");
                json_begin_object(w);
                json_key(w, "exposure");
                if (a->systemd.exposure >= 0)
                        json_exposure(w, a->systemd.exposure);
                else
                        json_null(w);
                json_key(w, "items");
                json_raw(w, a->systemd.raw_json);
                json_end_object(w);
                json_key(w, "combined_exposure");
                json_exposure(w, a->exposure);
                json_pair_string(w, "combined_level", security_level(a->exposure));
        }
        json_end_object(w);
}

static int load_unit(sd_bus *bus, const char *name, LandlockUnit *ret) {
        if (bus)
                return bus_landlock_unit_load(bus, name, ret);
        return landlock_unit_load_offline(name, arg_scope, arg_root, ret);
}

static int assess_one(sd_bus *bus, const char *name, unsigned abi, uint32_t errata, UnitAssessment *ret) {
        _cleanup_(landlock_unit_done) LandlockUnit u = {};
        UnitAssessment a = { .abi = abi };
        int r;

        r = load_unit(bus, name, &u);
        if (r < 0)
                return r;

        a.unit = strdup(u.name);
        if (!a.unit)
                return log_oom();
        r = assess_unit(&u, abi, errata, &a.report);
        if (r < 0) {
                unit_assessment_done(&a);
                return r;
        }
        a.exposure = a.report.exposure;

        if (arg_with_systemd) {
                r = analyze_security_unit(u.name, arg_scope, !bus, arg_root, &a.systemd);
                if (r < 0) {
                        unit_assessment_done(&a);
                        return r;
                }
                a.has_systemd = true;
                /* Each figure scores one independent layer on the same 0…100 scale: the combined one is
                 * their mean, rounded up (documented in systemd-landlock(1)). */
                if (a.systemd.exposure >= 0)
                        a.exposure = (a.report.exposure + (unsigned) a.systemd.exposure + 1) / 2;
        }
        *ret = a;
        return 0;
}

static void print_summary(const UnitAssessment *a, size_t n) {
        size_t w = strlen("UNIT");

        for (size_t i = 0; i < n; i++)
                w = MAX(w, strlen(a[i].unit));
        if (arg_legend)
                printf("%s%-*s EXPOSURE PREDICATE HAPPY%s\n", ansi_highlight(), (int) w, "UNIT", ansi_normal());
        for (size_t i = 0; i < n; i++) {
                unsigned e = a[i].exposure;
                const char *color = e >= 75 ? ansi_red() : e >= 10 ? ansi_yellow() : ansi_green();

                printf("%-*s %s%6u.%u %-9s%s %s\n", (int) w, a[i].unit, color, e / 10, e % 10, security_level(e),
                       ansi_normal(), security_level_emoji(e));
        }
}

int verb_security(int argc, char *argv[]) {
        _cleanup_(sd_bus_flush_close_unrefp) sd_bus *bus = NULL;
        _cleanup_strv_free_ char **names = NULL;
        UnitAssessment *a = NULL;
        size_t n = 0;
        bool list_mode = argc <= 1, above = false;
        unsigned abi;
        uint32_t errata;
        int r;

        if (!arg_offline) {
                r = bus_connect_manager(arg_scope, &bus);
                if (r < 0)
                        return r;
        }

        if (list_mode) {
                r = bus ? bus_list_service_units(bus, &names) : landlock_unit_list_offline(arg_scope, arg_root, &names);
                if (r < 0)
                        return r;
        } else
                for (int i = 1; i < argc; i++) {
                        char *name;

                        r = unit_name_mangle(argv[i], &name);
                        if (r == -EINVAL)
                                return log_error_errno(r, "\"%s\" is not a unit name (expected NAME or NAME.service).",
                                                       argv[i]);
                        if (r < 0 || strv_consume(&names, name) < 0)
                                return log_oom();
                }

        (void) cli_target_abi(&abi, &errata);

        a = calloc(strv_length(names) + 1, sizeof(UnitAssessment));
        if (!a)
                return log_oom();

        r = 0;
        for (char **name = names; name && *name; name++) {
                int k;

                k = assess_one(bus, *name, abi, errata, a + n);
                if (k < 0) {
                        /* Keep going, like systemd-analyze; the exit status says something failed. */
                        r = k;
                        continue;
                }
                if (arg_threshold >= 0 && a[n].exposure > (unsigned) arg_threshold)
                        above = true;
                n++;
        }

        if (arg_json != JSON_OFF) {
                JsonWriter w;

                json_writer_init(&w, stdout, arg_json);
                json_begin_array(&w);
                for (size_t i = 0; i < n; i++)
                        print_assessment_json(&w, a + i);
                json_end_array(&w);
                json_finish(&w);
        } else if (list_mode)
                print_summary(a, n);
        else
                for (size_t i = 0; i < n; i++) {
                        if (i > 0)
                                printf("\n");
                        print_assessment_text(a + i);
                }

        for (size_t i = 0; i < n; i++)
                unit_assessment_done(a + i);
        free(a);

        if (r < 0)
                return r;
        if (above) {
                log_debug("Exposure above the threshold %d.%d.", arg_threshold / 10, arg_threshold % 10);
                return EXIT_FINDINGS;
        }
        return 0;
}
