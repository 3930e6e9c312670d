/* SPDX-License-Identifier: LGPL-2.1-or-later */

/* "systemd-landlock denials [UNIT…]": what Landlock denied each wrapped service, per unit, command, right
 * and object, with counts; and, first, whether denials can be seen at all on this machine. */

#include <inttypes.h>
#include <time.h>

#include "denials-visibility.h"
#include "denials.h"
#include "landlock-unit.h"
#include "log.h"
#include "strv.h"
#include "verbs.h"

#define AUDIT_LOG_PATH "/var/log/audit/audit.log"

static int cmp_denial(const void *a, const void *b) {
        const Denial *x = a, *y = b;
        int c;

        c = strcmp(strempty(x->unit), strempty(y->unit));
        if (c == 0)
                c = strcmp(strempty(x->command), strempty(y->command));
        if (c == 0)
                c = x->first_usec < y->first_usec ? -1 : x->first_usec > y->first_usec;
        return c;
}

static void format_time(uint64_t usec, char *buf, size_t size) {
        time_t t = (time_t) (usec / 1000000);
        struct tm tm;

        if (!localtime_r(&t, &tm) || strftime(buf, size, "%Y-%m-%d %H:%M:%S", &tm) == 0)
                snprintf(buf, size, "@%" PRIu64, usec / 1000000);
}

static int add_int_or_null(json_object *o, const char *key, bool present, int v) {
        if (!present)
                return json_object_object_add(o, key, NULL) < 0 ? -ENOMEM : 0;
        return json_add(o, key, json_object_new_int(v));
}

/* The one model of a denial: --json prints it, the text printer reads it. */
static json_object *denial_to_json(const Denial *d) {
        _cleanup_json_ json_object *o = json_object_new_object();
        const LandlockAuditRecord *r = &d->record;
        char first[32], last[32];

        if (!o)
                return NULL;
        format_time(d->first_usec, first, sizeof first);
        format_time(d->last_usec, last, sizeof last);
        if (json_add_string(o, "unit", d->unit) < 0 ||
            json_add_string(o, "command", d->command) < 0 ||
            json_add_string(o, "rights", d->rights) < 0 ||
            json_add_string(o, "blockers", r->blockers) < 0 ||
            json_add_string(o, "object", d->object) < 0 ||
            json_add_string(o, "path", r->object == LANDLOCK_AUDIT_OBJECT_PATH ? r->path : NULL) < 0 ||
            add_int_or_null(o, "port", r->port >= 0, r->port) < 0 ||
            add_int_or_null(o, "targetPid", r->object == LANDLOCK_AUDIT_OBJECT_TASK, (int) r->opid) < 0 ||
            json_add_uint(o, "count", d->count) < 0 ||
            json_add_string(o, "first", first) < 0 ||
            json_add_string(o, "last", last) < 0)
                return NULL;
        return TAKE_PTR(o);
}

static void print_denials_text(json_object *array) {
        size_t n = json_object_array_length(array), wc = strlen("COMMAND"), wr = strlen("DENIED"), wo = strlen("OBJECT");
        const char *unit = NULL;

        for (size_t i = 0; i < n; i++) {
                json_object *d = json_object_array_get_idx(array, i);
                wc = MAX(wc, utf8_width(strna(json_get_string(d, "command"))));
                wr = MAX(wr, utf8_width(strna(json_get_string(d, "rights"))));
                wo = MAX(wo, utf8_width(strna(json_get_string(d, "object"))));
        }
        wc = MIN(wc, 48);

        for (size_t i = 0; i < n; i++) {
                json_object *d = json_object_array_get_idx(array, i);
                const char *u = json_get_string(d, "unit");

                if (i == 0 || !streq(strempty(u), strempty(unit))) {
                        unit = u;
                        printf("%s%s%s%s\n", i == 0 ? "" : "\n", ansi_highlight(), u ?: "(not a unit's domain)",
                               ansi_normal());
                        if (arg_legend)
                                printf("  %-*s  %-*s  %-*s  %s\n", (int) wc, "COMMAND", (int) wr, "DENIED",
                                       (int) wo, "OBJECT", "COUNT");
                }
                printf("  %-*.*s  %s%-*s%s  %-*s  %" PRIu64 "\n", (int) wc, (int) wc,
                       strna(json_get_string(d, "command")), ansi_red(), (int) wr,
                       strna(json_get_string(d, "rights")), ansi_normal(), (int) wo,
                       strna(json_get_string(d, "object")), json_get_uint(d, "count"));
        }
        if (arg_legend)
                printf("%s%zu kind(s) of denial.\n", n > 0 ? "\n" : "", n);
}

static void print_followed(const Denial *d, void *userdata) {
        _cleanup_json_ json_object *o = denial_to_json(d);

        if (!o) {
                log_oom();
                return;
        }
        if (arg_json != JSON_OFF)
                (void) json_print(o, JSON_SHORT);
        else
                printf("%s %s: %s denied %s on %s\n", json_get_string(o, "last"), d->unit ?: "-",
                       strna(d->command), d->rights, d->object);
        fflush(stdout);
}

/* "UNIT sets LandlockLog=no": the one problem that is the unit's own. */
static int check_units_log(char **units, char ***ret_sentences) {
        STRV_FOREACH(name, units) {
                _cleanup_(landlock_unit_done) LandlockUnit unit = {};
                _cleanup_free_ char *full = unit_name_with_suffix(*name);
                const char *const *u = (const char *const *) &full;
                int r;

                if (!full)
                        return log_oom();
                r = landlock_unit_load_offline(*u, arg_scope, arg_root, &unit);

                if (r < 0) {
                        log_debug_errno(r, "Failed to read the unit files of %s: %m", *u);
                        continue;
                }
                if (unit.policy.has_directives && !unit.policy.policy.log &&
                    strv_extendf(ret_sentences, "%s sets LandlockLog=no: its denials are never logged. Remove that "
                                 "line (or set LandlockLog=yes), then \"systemctl daemon-reload\" and restart %s.",
                                 *u, *u) < 0)
                        return log_oom();
        }
        return 0;
}

int denials_load(char **units, DenialSet *s, AuditFacts *facts, sd_journal **ret_journal) {
        _cleanup_(sd_journal_closep) sd_journal *j = NULL;
        sd_id128_t boot;
        int r;

        STRV_FOREACH(u, units) {
                char *n = unit_name_with_suffix(*u);
                if (!n || strv_consume(&s->units, n) < 0)
                        return log_oom();
        }

        s->since_usec = arg_since;
        if (arg_since == 0 && sd_id128_get_boot(&boot) >= 0) {
                s->boot = malloc(SD_ID128_STRING_MAX);
                if (!s->boot)
                        return log_oom();
                sd_id128_to_string(boot, s->boot);
        }

        r = sd_journal_open(&j, SD_JOURNAL_LOCAL_ONLY | SD_JOURNAL_SYSTEM);
        if (r < 0)
                return log_error_errno(r, "Failed to open the journal: %m");
        r = denials_add_journal_matches(j, s->boot);
        if (r < 0)
                return log_error_errno(r, "Failed to filter the journal: %m");
        r = denials_read_journal(j, s, NULL, NULL);
        if (r < 0)
                return r;

        audit_facts_gather(facts);
        /* auditd's log when the journal had no records from its audit socket. */
        if (!s->audit_transport && facts->auditd != 0) {
                r = denials_read_audit_log(AUDIT_LOG_PATH, s);
                if (r < 0 && r != -ENOENT)
                        log_warning_errno(r, "Failed to read %s: %m", AUDIT_LOG_PATH);
                else if (r >= 0)
                        facts->auditd = 1;
        }
        facts->audit_transport = s->audit_transport;
        facts->lost_rate_limit = s->lost_rate_limit;
        facts->lost_backlog = s->lost_backlog;
        facts->printk_suppressed = s->printk_suppressed;

        if (ret_journal)
                *ret_journal = TAKE_PTR(j);
        return 0;
}

/* Prints why denials may be missing; returns the visibility. */
int denials_warn_visibility(char **units, const AuditFacts *facts) {
        _cleanup_strv_free_ char **sentences = NULL;
        _cleanup_free_ char *sentence = NULL;
        int v, r;

        v = audit_visibility(facts, &sentence);
        if (v < 0)
                return log_oom();
        if (sentence)
                log_warning("%s", sentence);
        r = check_units_log(units, &sentences);
        if (r < 0)
                return r;
        STRV_FOREACH(s, sentences)
                log_warning("%s", *s);
        return v;
}

int verb_denials(int argc, char *argv[]) {
        _cleanup_(sd_journal_closep) sd_journal *j = NULL;
        _cleanup_(denial_set_done) DenialSet s = {};
        AuditFacts facts;
        int r;

        r = denials_load(argv + 1, &s, &facts, arg_follow ? &j : NULL);
        if (r < 0)
                return r;
        r = denials_flush(&s, /* final= */ !arg_follow, NULL, NULL);
        if (r < 0)
                return log_oom();
        r = denials_warn_visibility(argv + 1, &facts);
        if (r < 0)
                return r;

        qsort_safe(s.denials, s.n_denials, sizeof(Denial), cmp_denial);
        _cleanup_json_ json_object *array = json_object_new_array();
        if (!array)
                return log_oom();
        for (size_t i = 0; i < s.n_denials; i++)
                if (json_append(array, denial_to_json(s.denials + i)) < 0)
                        return log_oom();
        if (arg_json != JSON_OFF)
                r = json_print(array, arg_follow ? JSON_SHORT : arg_json);
        else {
                print_denials_text(array);
                r = 0;
        }
        if (r < 0)
                return log_oom();

        if (!arg_follow)
                return 0;

        /* From now on each denial is printed as it is read, one line (or one JSON object) each. */
        fflush(stdout);
        for (;;) {
                r = sd_journal_wait(j, UINT64_MAX);
                if (r < 0)
                        return log_error_errno(r, "Failed to wait for the journal: %m");
                r = denials_read_journal(j, &s, print_followed, NULL);
                if (r < 0)
                        return r;
        }
}
