/* SPDX-License-Identifier: LGPL-2.1-or-later */

/* "systemd-landlock security [UNIT…]": the Landlock exposure report, in the style of
 * "systemd-analyze security". */

#include <assert.h>

#include "analyze-merge.h"
#include "exec-closure.h"
#include "landlock-unit.h"
#include "denials-visibility.h"
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

/* Why this machine cannot show the denials it logs, asked once; NULL when it can, or when not the
 * running machine is assessed (--offline, --root=, --abi=). */
static const char *machine_log_invisible(void) {
        static char *sentence = NULL;
        static bool asked = false;
        AuditFacts facts;

        if (arg_offline || arg_abi >= 0)
                return NULL;
        if (!asked) {
                asked = true;
                audit_facts_gather(&facts);
                if (audit_visibility(&facts, &sentence) < 0)
                        sentence = NULL;
        }
        return sentence;
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
                .log_invisible = machine_log_invisible(),
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

/* One row of the report, ours or systemd-analyze's, with the same fields and types: set (null: does not
 * apply), weight, range and badness (when known; badness null: does not apply), exposure (a number in
 * tenths, null when nothing is exposed). */
typedef struct ItemRow {
        int set;
        const char *name, *json_field, *description;
        bool has_weights;
        uint64_t weight, range, badness;
        int exposure;                   /* tenths, or -1 */
} ItemRow;

static int item_json(json_object *items, const ItemRow *row) {
        json_object *o = json_object_new_object();
        int r;

        r = json_append(items, o);
        if (r >= 0)
                r = row->set < 0 ? json_add_string(o, "set", NULL) : json_add_bool(o, "set", row->set);
        if (r >= 0)
                r = json_add_string(o, "name", row->name);
        if (r >= 0)
                r = json_add_string(o, "json_field", row->json_field);
        if (r >= 0)
                r = json_add_string(o, "description", row->description);
        if (r >= 0 && row->has_weights) {
                r = json_add_uint(o, "weight", row->weight);
                if (r >= 0)
                        r = json_add_uint(o, "range", row->range);
                if (r >= 0)
                        r = row->badness == SECURITY_NOT_APPLICABLE ? json_add_string(o, "badness", NULL) :
                                json_add_uint(o, "badness", row->badness);
        }
        if (r >= 0)
                r = row->exposure < 0 ? json_add_string(o, "exposure", NULL) :
                        json_add_tenths(o, "exposure", (unsigned) row->exposure);
        return r;
}

static int report_items_json(const SecurityReport *report, json_object **ret) {
        _cleanup_json_ json_object *items = json_object_new_array();
        int r;

        if (!items)
                return -ENOMEM;
        for (size_t i = 0; i < report->n_results; i++) {
                const SecurityResult *res = report->results + i;
                bool na = res->badness == SECURITY_NOT_APPLICABLE;

                r = item_json(items, &(ItemRow) {
                                .set = na ? -1 : res->badness == 0,
                                .name = res->item->name,
                                .json_field = res->item->id,
                                .description = res->description,
                                .has_weights = true,
                                .weight = res->item->weight,
                                .range = res->item->range,
                                .badness = res->badness,
                                .exposure = na || res->badness == 0 ? -1 : (int) (res->exposure / 100),
                        });
                if (r < 0)
                        return r;
        }
        *ret = TAKE_PTR(items);
        return 0;
}

/* systemd-analyze's rows as they were read. */
static int analyze_items_json(const AnalyzeReport *rep, json_object **ret) {
        _cleanup_json_ json_object *items = json_object_new_array();
        int r;

        if (!items)
                return -ENOMEM;
        for (size_t i = 0; i < rep->n_rows; i++) {
                const AnalyzeRow *row = rep->rows + i;
                int e = analyze_row_exposure(row);

                r = item_json(items, &(ItemRow) {
                                .set = row->set,
                                .name = row->name,
                                .json_field = row->json_field,
                                .description = row->description,
                                .has_weights = row->range > 0,
                                .weight = row->weight,
                                .range = row->range,
                                .badness = row->badness,
                                .exposure = e < 0 ? -1 : e,
                        });
                if (r < 0)
                        return r;
        }
        *ret = TAKE_PTR(items);
        return 0;
}

static int systemd_json(const UnitAssessment *a, json_object *o) {
        json_object *s = json_object_new_object(), *items = NULL;
        int r;

        r = json_add(o, "systemd", s);
        if (r >= 0)
                r = a->systemd.exposure >= 0 ? json_add_tenths(s, "exposure", a->systemd.exposure) :
                        json_add_string(s, "exposure", NULL);
        if (r >= 0)
                r = analyze_items_json(&a->systemd, &items);
        if (r >= 0)
                r = json_add(s, "items", items);
        if (r >= 0)
                r = json_add_tenths(o, "combined_exposure", a->exposure);
        if (r >= 0)
                r = json_add_string(o, "combined_level", security_level(a->exposure));
        return r;
}

/* The one model of a unit's report: --json prints it, the text printer reads it. */
static int assessment_json(const UnitAssessment *a, json_object **ret) {
        _cleanup_json_ json_object *o = json_object_new_object();
        json_object *items = NULL;
        int r;

        if (!o)
                return -ENOMEM;
        r = json_add_string(o, "unit", a->unit);
        if (r >= 0)
                r = json_add_uint(o, "abi", a->abi);
        if (r >= 0)
                r = json_add_tenths(o, "exposure", a->report.exposure);
        if (r >= 0)
                r = json_add_string(o, "level", security_level(a->report.exposure));
        if (r >= 0)
                r = report_items_json(&a->report, &items);
        if (r >= 0)
                r = json_add(o, "items", items);
        if (r >= 0 && a->has_systemd)
                r = systemd_json(a, o);
        if (r < 0)
                return r;
        *ret = TAKE_PTR(o);
        return 0;
}

static void print_overall_line(const char *unit, const char *what, unsigned e) {
        const char *color = e >= 75 ? ansi_red() : e >= 10 ? ansi_yellow() : ansi_green();

        printf("%s→ %s for %s:%s %s%u.%u %s%s %s\n", ansi_highlight(), what, unit, ansi_normal(), color,
               e / 10, e % 10, security_level(e), ansi_normal(), security_level_emoji(e));
}

static void widths_of(json_object *items, size_t *wn, size_t *wd) {
        for (size_t i = 0; items && i < json_object_array_length(items); i++) {
                json_object *row = json_object_array_get_idx(items, i);

                *wn = MAX(*wn, utf8_width(strna(json_get_string(row, "name"))));
                *wd = MAX(*wd, utf8_width(strna(json_get_string(row, "description"))));
        }
}

/* Our rows that do not apply have their description in grey; systemd-analyze's are printed as it does. */
static void print_rows(json_object *items, size_t wn, size_t wd, bool grey_na) {
        for (size_t i = 0; items && i < json_object_array_length(items); i++) {
                json_object *row = json_object_array_get_idx(items, i), *set = json_get(row, "set");
                const char *name = strna(json_get_string(row, "name")),
                        *description = strna(json_get_string(row, "description"));
                json_object *exposure = json_get(row, "exposure");
                bool na = !set, good = set && json_object_get_boolean(set);

                printf("%s%s%s %s%*s %s%s%s%*s %5s\n",
                       na ? "" : good ? ansi_green() : ansi_red(), na ? " " : good ? "✓" : "✗", ansi_normal(),
                       name, (int) (wn - MIN(wn, utf8_width(name))), "",
                       na && grey_na ? ansi_grey() : "", description, na && grey_na ? ansi_normal() : "",
                       (int) (wd - MIN(wd, utf8_width(description))), "",
                       exposure ? json_object_get_string(exposure) : "");
        }
}

static void print_assessment_text(const UnitAssessment *a, json_object *model) {
        json_object *systemd_items = json_get(json_get(model, "systemd"), "items"), *items = json_get(model, "items");
        size_t wn = strlen("NAME"), wd = strlen("DESCRIPTION");

        widths_of(items, &wn, &wd);
        widths_of(systemd_items, &wn, &wd);
        wn = MIN(wn, 60);
        wd = MIN(wd, 90);

        if (arg_legend)
                printf("%s  %-*s %-*s %s%s\n", ansi_highlight(), (int) wn, "NAME", (int) wd, "DESCRIPTION",
                       "EXPOSURE", ansi_normal());
        print_rows(systemd_items, wn, wd, false);
        print_rows(items, wn, wd, true);

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

static int print_assessments(const UnitAssessment *a, size_t n, bool list_mode) {
        _cleanup_json_ json_object *list = json_object_new_array();
        int r;

        if (!list)
                return -ENOMEM;
        for (size_t i = 0; i < n; i++) {
                json_object *o = NULL;

                r = assessment_json(a + i, &o);
                if (r >= 0)
                        r = json_append(list, o);
                if (r < 0)
                        return r;
        }

        if (arg_json != JSON_OFF)
                return json_print(list, arg_json);
        if (list_mode)
                print_summary(a, n);
        else
                for (size_t i = 0; i < n; i++) {
                        if (i > 0)
                                printf("\n");
                        print_assessment_text(a + i, json_object_array_get_idx(list, i));
                }
        return 0;
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

        r = print_assessments(a, n, list_mode) < 0 ? log_oom() : r;

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
