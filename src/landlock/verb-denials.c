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

static void json_denial(JsonWriter *w, const Denial *d) {
        char first[32], last[32];
        const LandlockAuditRecord *r = &d->record;

        format_time(d->first_usec, first, sizeof first);
        format_time(d->last_usec, last, sizeof last);

        json_begin_object(w);
        json_pair_string(w, "unit", d->unit);
        json_pair_string(w, "command", d->command);
        json_pair_string(w, "rights", d->rights);
        json_pair_string(w, "blockers", r->blockers);
        json_pair_string(w, "object", d->object);
        json_key(w, "path");
        r->object == LANDLOCK_AUDIT_OBJECT_PATH ? json_string(w, r->path) : json_null(w);
        json_key(w, "port");
        r->port >= 0 ? json_integer(w, r->port) : json_null(w);
        json_key(w, "targetPid");
        r->object == LANDLOCK_AUDIT_OBJECT_TASK ? json_integer(w, r->opid) : json_null(w);
        json_pair_unsigned(w, "count", d->count);
        json_pair_string(w, "first", first);
        json_pair_string(w, "last", last);
        json_end_object(w);
}

static void print_denials_text(const DenialSet *s) {
        size_t wc = strlen("COMMAND"), wr = strlen("DENIED"), wo = strlen("OBJECT");
        const char *unit = NULL;
        bool first = true;

        for (size_t i = 0; i < s->n_denials; i++) {
                wc = MAX(wc, utf8_width(strna(s->denials[i].command)));
                wr = MAX(wr, utf8_width(s->denials[i].rights));
                wo = MAX(wo, utf8_width(s->denials[i].object));
        }
        wc = MIN(wc, 48);

        for (size_t i = 0; i < s->n_denials; i++) {
                const Denial *d = s->denials + i;

                if (first || !streq(strempty(d->unit), strempty(unit))) {
                        unit = d->unit;
                        printf("%s%s%s%s\n", first ? "" : "\n", ansi_highlight(),
                               d->unit ?: "(not a unit's domain)", ansi_normal());
                        if (arg_legend)
                                printf("  %-*s  %-*s  %-*s  %s\n", (int) wc, "COMMAND", (int) wr, "DENIED",
                                       (int) wo, "OBJECT", "COUNT");
                        first = false;
                }
                printf("  %-*.*s  %s%-*s%s  %-*s  %u\n", (int) wc, (int) wc, strna(d->command), ansi_red(), (int) wr,
                       d->rights, ansi_normal(), (int) wo, d->object, d->count);
        }
        if (arg_legend)
                printf("%s%zu kind(s) of denial.\n", s->n_denials > 0 ? "\n" : "", s->n_denials);
}

static void print_followed(const Denial *d, void *userdata) {
        if (arg_json != JSON_OFF) {
                JsonWriter w;

                json_writer_init(&w, stdout, JSON_SHORT);
                json_denial(&w, d);
                json_finish(&w);
        } else {
                char when[32];

                format_time(d->last_usec, when, sizeof when);
                printf("%s %s: %s denied %s on %s\n", when, d->unit ?: "-", strna(d->command), d->rights, d->object);
        }
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
        r = denials_add_journal_matches(j);
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
        if (arg_json != JSON_OFF) {
                JsonWriter w;

                json_writer_init(&w, stdout, arg_follow ? JSON_SHORT : arg_json);
                json_begin_array(&w);
                for (size_t i = 0; i < s.n_denials; i++)
                        json_denial(&w, s.denials + i);
                json_end_array(&w);
                json_finish(&w);
        } else
                print_denials_text(&s);

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
