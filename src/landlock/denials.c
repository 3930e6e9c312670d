/* SPDX-License-Identifier: LGPL-2.1-or-later */

#include <inttypes.h>
#include <stdio.h>
#include <time.h>

#include "alloc-util.h"
#include "denials.h"
#include "landlock-abi.h"
#include "log.h"
#include "strv.h"
#include "unit-lookup.h"

static void denial_owner_done(DenialOwner *o) {
        free(o->boot);
        free(o->unit);
        free(o->argv);
}

static void denial_done(Denial *d) {
        free(d->unit);
        free(d->command);
        free(d->rights);
        free(d->object);
        landlock_audit_record_done(&d->record);
}

void denial_set_done(DenialSet *s) {
        for (size_t i = 0; i < s->n_owners; i++)
                denial_owner_done(s->owners + i);
        free(s->owners);
        for (size_t i = 0; i < s->n_domains; i++) {
                free(s->domains[i].boot);
                free(s->domains[i].exe);
        }
        free(s->domains);
        for (size_t i = 0; i < s->n_pending; i++) {
                free(s->pending[i].boot);
                landlock_audit_record_done(&s->pending[i].record);
        }
        free(s->pending);
        for (size_t i = 0; i < s->n_denials; i++)
                denial_done(s->denials + i);
        free(s->denials);
        strv_free(s->units);
        free(s->boot);
        sd_journal_close(s->lookup);
        *s = (DenialSet) {};
}

char *unit_name_with_suffix(const char *name) {
        char *s;

        if (unit_name_suffix(name))
                return strdup(name);
        if (asprintf(&s, "%s.service", name) < 0)
                return NULL;
        return s;
}

/* ---- what a record denied, in words ---- */

static char *record_rights(const LandlockAuditRecord *r) {
        _cleanup_strv_free_ char **words = NULL;
        static const LandlockRightKind kinds[] = { LANDLOCK_KIND_FS, LANDLOCK_KIND_NET, LANDLOCK_KIND_SCOPE };
        const uint64_t masks[] = { r->fs, r->net, r->scope };

        for (size_t i = 0; i < ELEMENTSOF(kinds); i++) {
                if (masks[i] == 0)
                        continue;
                if (strv_consume(&words, landlock_mask_to_string(kinds[i], masks[i])) < 0)
                        return NULL;
        }
        if (r->ptrace && strv_extend(&words, "ptrace") < 0)
                return NULL;
        if (r->change_topology && strv_extend(&words, "change-topology") < 0)
                return NULL;
        if ((r->unknown_blocker || strv_isempty(words)) && strv_extendf(&words, "(%s)", strna(r->blockers)) < 0)
                return NULL;
        return strv_join(words, ",");
}

static char *record_object(const LandlockAuditRecord *r) {
        char *s = NULL;
        int k = 0;

        switch (r->object) {
        case LANDLOCK_AUDIT_OBJECT_PATH:
                k = asprintf(&s, "%s%s", r->path, r->deleted ? " (deleted)" : "");
                break;
        case LANDLOCK_AUDIT_OBJECT_NET: {
                const char *proto = r->net & (LANDLOCK_ACCESS_NET_BIND_UDP | LANDLOCK_ACCESS_NET_CONNECT_SEND_UDP) ? "udp" : "tcp";
                if (r->port < 0)
                        k = asprintf(&s, "%s %s", proto, strna(r->addr));
                else if (r->addr)
                        k = asprintf(&s, "%s port %i (%s)", proto, r->port, r->addr);
                else
                        k = asprintf(&s, "%s port %i", proto, r->port);
                break;
        }
        case LANDLOCK_AUDIT_OBJECT_TASK:
                k = asprintf(&s, "pid %i (%s)", (int) r->opid, strna(r->ocomm));
                break;
        default:
                s = strdup("-");
        }
        return k < 0 ? NULL : s;
}

/* ---- journal fields ---- */

static int entry_field(sd_journal *j, const char *field, char **ret) {
        const void *data;
        size_t len, fl = strlen(field);
        int r;

        r = sd_journal_get_data(j, field, &data, &len);
        if (r == -ENOENT) {
                *ret = NULL;
                return 0;
        }
        if (r < 0)
                return r;
        if (len < fl + 1)
                return -EBADMSG;
        *ret = strndup((const char *) data + fl + 1, len - fl - 1);
        return *ret ? 1 : -ENOMEM;
}

int denials_add_journal_matches(sd_journal *j, const char *boot) {
        char id[64], t1[32], t2[32], b[64];
        int r;

        snprintf(id, sizeof id, "MESSAGE_ID=%s", LANDLOCK_DOMAIN_MESSAGE_ID);
        snprintf(t1, sizeof t1, "_AUDIT_TYPE=%i", AUDIT_LANDLOCK_ACCESS);
        snprintf(t2, sizeof t2, "_AUDIT_TYPE=%i", AUDIT_LANDLOCK_DOMAIN);
        snprintf(b, sizeof b, "_BOOT_ID=%s", strempty(boot));

        /* Terms of different fields are ANDed within a group: each group gets the boot, if one is asked. */
        if ((r = sd_journal_add_match(j, t1, 0)) < 0 ||
            (r = sd_journal_add_match(j, t2, 0)) < 0 ||
            (boot && (r = sd_journal_add_match(j, b, 0)) < 0) ||
            (r = sd_journal_add_disjunction(j)) < 0 ||
            (r = sd_journal_add_match(j, id, 0)) < 0 ||
            (boot && (r = sd_journal_add_match(j, b, 0)) < 0) ||
            (r = sd_journal_add_disjunction(j)) < 0 ||
            (r = sd_journal_add_match(j, "_TRANSPORT=kernel", 0)) < 0 ||
            (boot && (r = sd_journal_add_match(j, b, 0)) < 0))
                return r;
        return 0;
}

/* ---- attribution ---- */

static const DenialDomain *find_domain(const DenialSet *s, const char *boot, uint64_t id) {
        for (size_t i = s->n_domains; i > 0; i--) {
                const DenialDomain *d = s->domains + i - 1;
                if (d->id == id && streq_ptr(d->boot, boot))
                        return d;
        }
        return NULL;
}

/* The enforcer entry of the pid that created the domain: the last one logged before the domain's record. */
static const DenialOwner *find_owner(const DenialSet *s, const DenialDomain *d) {
        const DenialOwner *best = NULL;

        for (size_t i = 0; i < s->n_owners; i++) {
                const DenialOwner *o = s->owners + i;
                if (o->pid != d->pid || !streq_ptr(o->boot, d->boot) || o->usec > d->usec)
                        continue;
                if (!best || o->usec >= best->usec)
                        best = o;
        }
        return best;
}

static bool unit_wanted(const DenialSet *s, const char *unit) {
        if (!s->units)
                return true;
        return unit && strv_contains(s->units, unit);
}

static int count_denial(DenialSet *s, const char *unit, const char *command, LandlockAuditRecord *rec,
                        uint64_t usec, void (*on_new)(const Denial *d, void *userdata), void *userdata) {
        _cleanup_free_ char *rights = NULL, *object = NULL;
        Denial *d;

        if (!unit_wanted(s, unit) || usec < s->since_usec)
                return 0;

        rights = record_rights(rec);
        object = record_object(rec);
        if (!rights || !object)
                return -ENOMEM;

        for (size_t i = 0; i < s->n_denials; i++) {
                d = s->denials + i;
                if (streq_ptr(d->unit, unit) && streq_ptr(d->command, command) && streq(d->rights, rights) &&
                    streq(d->object, object)) {
                        d->count++;
                        d->first_usec = MIN(d->first_usec, usec);
                        d->last_usec = MAX(d->last_usec, usec);
                        if (on_new)
                                on_new(d, userdata);
                        return 0;
                }
        }

        if (!GREEDY_REALLOC(s->denials, s->n_denials + 1))
                return -ENOMEM;
        d = s->denials + s->n_denials++;
        *d = (Denial) {
                .unit = unit ? strdup(unit) : NULL,
                .command = command ? strdup(command) : NULL,
                .record = *rec,
                .rights = TAKE_PTR(rights),
                .object = TAKE_PTR(object),
                .count = 1,
                .first_usec = usec,
                .last_usec = usec,
        };
        *rec = (LandlockAuditRecord) { .port = -1 };
        if ((unit && !d->unit) || (command && !d->command))
                return -ENOMEM;
        if (on_new)
                on_new(d, userdata);
        return 0;
}

/* The enforcer's line on the command's own stderr stream (written instead of its journal entry under a
 * seccomp filter): the last one of that pid before the domain's record. Added to s->owners. */
static const DenialOwner *find_stream_owner(DenialSet *s, const DenialDomain *d) {
        _cleanup_free_ char *unit = NULL, *argv = NULL;
        char match[64], prefix[64];
        uint64_t best_usec = 0;
        DenialOwner *o;
        int r;

        if (!s->lookup && sd_journal_open(&s->lookup, SD_JOURNAL_LOCAL_ONLY | SD_JOURNAL_SYSTEM) < 0)
                return NULL;
        sd_journal_flush_matches(s->lookup);
        snprintf(match, sizeof match, "_PID=%i", (int) d->pid);
        snprintf(prefix, sizeof prefix, LANDLOCK_DOMAIN_LINE_PREFIX "%i: ", (int) d->pid);
        if (sd_journal_add_match(s->lookup, match, 0) < 0 ||
            sd_journal_add_match(s->lookup, "_TRANSPORT=stdout", 0) < 0)
                return NULL;
        if (d->boot) {
                _cleanup_free_ char *b = NULL;
                if (asprintf(&b, "_BOOT_ID=%s", d->boot) < 0 || sd_journal_add_match(s->lookup, b, 0) < 0)
                        return NULL;
        }

        SD_JOURNAL_FOREACH(s->lookup) {
                _cleanup_free_ char *message = NULL, *u = NULL;
                uint64_t usec;
                const char *a;

                if (sd_journal_get_realtime_usec(s->lookup, &usec) < 0 || usec > d->usec || usec < best_usec)
                        continue;
                r = entry_field(s->lookup, "MESSAGE", &message);
                if (r <= 0 || !(a = startswith(message, prefix)))
                        continue;
                r = entry_field(s->lookup, "_SYSTEMD_UNIT", &u);
                if (r < 0)
                        continue;
                free(argv);
                argv = strdup(a);
                free_and_replace(unit, u);
                best_usec = usec;
                if (!argv)
                        return NULL;
        }
        if (!argv)
                return NULL;

        if (!GREEDY_REALLOC(s->owners, s->n_owners + 1))
                return NULL;
        o = s->owners + s->n_owners++;
        *o = (DenialOwner) {
                .boot = d->boot ? strdup(d->boot) : NULL,
                .pid = d->pid,
                .usec = best_usec,
                .unit = TAKE_PTR(unit),
                .argv = TAKE_PTR(argv),
        };
        return o;
}

int denials_flush(DenialSet *s, bool final, void (*on_new)(const Denial *d, void *userdata), void *userdata) {
        size_t kept = 0;
        int r = 0;

        for (size_t i = 0; i < s->n_pending; i++) {
                PendingAccess *p = s->pending + i;
                const DenialDomain *d = find_domain(s, p->boot, p->record.domain);

                if (!d && !final) {
                        s->pending[kept++] = *p;
                        continue;
                }

                const DenialOwner *o = d ? find_owner(s, d) : NULL;
                if (d && !o)
                        o = find_stream_owner(s, d);
                if (r >= 0)
                        r = count_denial(s, o ? o->unit : NULL, o ? o->argv : d ? d->exe : NULL, &p->record,
                                         p->usec, on_new, userdata);
                free(p->boot);
                landlock_audit_record_done(&p->record);
        }
        s->n_pending = kept;
        return r;
}

static int add_record(DenialSet *s, const char *boot, uint64_t usec, LandlockAuditRecord *rec) {
        if (rec->type == AUDIT_LANDLOCK_DOMAIN) {
                DenialDomain *d;

                if (!rec->allocated || find_domain(s, boot, rec->domain))
                        return 0;
                if (!GREEDY_REALLOC(s->domains, s->n_domains + 1))
                        return -ENOMEM;
                d = s->domains + s->n_domains++;
                *d = (DenialDomain) {
                        .boot = boot ? strdup(boot) : NULL,
                        .id = rec->domain,
                        .pid = rec->pid,
                        .usec = usec,
                        .exe = TAKE_PTR(rec->exe),
                };
                return 0;
        }

        if (s->boot && !streq_ptr(s->boot, boot))
                return 0;

        PendingAccess *p;

        if (!GREEDY_REALLOC(s->pending, s->n_pending + 1))
                return -ENOMEM;
        p = s->pending + s->n_pending++;
        *p = (PendingAccess) { .boot = boot ? strdup(boot) : NULL, .usec = usec, .record = *rec };
        *rec = (LandlockAuditRecord) { .port = -1 };
        return 0;
}

static int add_owner(DenialSet *s, sd_journal *j, const char *boot, uint64_t usec) {
        _cleanup_free_ char *pid = NULL, *unit = NULL, *trusted_unit = NULL, *argv = NULL;
        DenialOwner *o;
        int r;

        if ((r = entry_field(j, LANDLOCK_FIELD_PID, &pid)) < 0 ||
            (r = entry_field(j, LANDLOCK_FIELD_UNIT, &unit)) < 0 ||
            (r = entry_field(j, "_SYSTEMD_UNIT", &trusted_unit)) < 0 ||
            (r = entry_field(j, LANDLOCK_FIELD_ARGV, &argv)) < 0)
                return r;
        if (!pid)
                return 0;

        if (!GREEDY_REALLOC(s->owners, s->n_owners + 1))
                return -ENOMEM;
        o = s->owners + s->n_owners++;
        *o = (DenialOwner) {
                .boot = boot ? strdup(boot) : NULL,
                .pid = (pid_t) atoi(pid),
                .usec = usec,
                .unit = !isempty(trusted_unit) ? TAKE_PTR(trusted_unit) : !isempty(unit) ? TAKE_PTR(unit) : NULL,
                .argv = TAKE_PTR(argv),
        };
        return 0;
}

/* A copy of a record in the kernel log is used only when the journal has no audit socket records:
 * with the socket, journald has every record and the kernel log only some of them. */
static int add_kernel_line(DenialSet *s, const char *boot, uint64_t usec, const char *message) {
        _cleanup_(landlock_audit_record_done) LandlockAuditRecord rec = { .port = -1 };
        uint64_t n;
        int r;

        switch (landlock_audit_parse_loss(message, &n)) {
        case LANDLOCK_AUDIT_LOSS_RATE_LIMIT:
                s->lost_rate_limit += n;
                return 0;
        case LANDLOCK_AUDIT_LOSS_BACKLOG:
                s->lost_backlog += n;
                return 0;
        case LANDLOCK_AUDIT_LOSS_PRINTK:
                s->printk_suppressed += n;
                return 0;
        default:
                break;
        }

        if (s->audit_transport)
                return 0;
        r = landlock_audit_parse_line(message, &rec);
        if (r == -EBADMSG) {
                s->n_malformed++;
                return 0;
        }
        if (r <= 0)
                return r;
        return add_record(s, boot, rec.usec > 0 ? rec.usec : usec, &rec);
}

int denials_read_journal(sd_journal *j, DenialSet *s, void (*on_new)(const Denial *d, void *userdata),
                         void *userdata) {
        int r;

        for (;;) {
                _cleanup_free_ char *transport = NULL, *message = NULL, *boot = NULL, *message_id = NULL;
                uint64_t usec;

                r = sd_journal_next(j);
                if (r < 0)
                        return log_error_errno(r, "Failed to read the journal: %m");
                if (r == 0)
                        break;

                r = sd_journal_get_realtime_usec(j, &usec);
                if (r < 0)
                        continue;
                if ((r = entry_field(j, "_TRANSPORT", &transport)) < 0 ||
                    (r = entry_field(j, "MESSAGE", &message)) < 0 ||
                    (r = entry_field(j, "_BOOT_ID", &boot)) < 0 ||
                    (r = entry_field(j, "MESSAGE_ID", &message_id)) < 0)
                        return log_error_errno(r, "Failed to read a journal entry: %m");

                if (message_id && streq(message_id, LANDLOCK_DOMAIN_MESSAGE_ID)) {
                        r = add_owner(s, j, boot, usec);
                } else if (transport && streq(transport, "audit") && message) {
                        _cleanup_(landlock_audit_record_done) LandlockAuditRecord rec = { .port = -1 };

                        s->audit_transport = true;
                        r = landlock_audit_parse_line(message, &rec);
                        if (r == -EBADMSG) {
                                log_debug("Not a Landlock record I can read: %s", message);
                                s->n_malformed++;
                                continue;
                        }
                        if (r > 0)
                                r = add_record(s, boot, usec, &rec);
                } else if (transport && streq(transport, "kernel") && message)
                        r = add_kernel_line(s, boot, usec, message);
                else
                        r = 0;
                if (r < 0)
                        return log_oom();
        }

        r = denials_flush(s, /* final= */ false, on_new, userdata);
        return r < 0 ? log_oom() : 0;
}

int denials_read_audit_log(const char *path, DenialSet *s) {
        _cleanup_fclose_ FILE *f = NULL;
        _cleanup_free_ char *line = NULL;
        size_t size = 0;
        int r;

        f = fopen(path, "re");
        if (!f)
                return -errno;

        while (getline(&line, &size, f) >= 0) {
                _cleanup_(landlock_audit_record_done) LandlockAuditRecord rec = { .port = -1 };

                r = landlock_audit_parse_line(line, &rec);
                if (r == -EBADMSG) {
                        s->n_malformed++;
                        continue;
                }
                if (r < 0)
                        return r;
                if (r == 0)
                        continue;
                /* auditd's log has no boot id: it is taken to be the current boot's. */
                r = add_record(s, s->boot, rec.usec, &rec);
                if (r < 0)
                        return r;
        }
        return 0;
}

/* journalctl's --since= spellings that matter here: "-30s", "-5min", "-2h", "-1d" (before now), "@EPOCH",
 * "YYYY-MM-DD [HH:MM[:SS]]" (local time), "today", "now". */
int parse_since(const char *s, uint64_t now_usec, uint64_t *ret) {
        static const struct {
                const char *suffix;
                uint64_t usec;
        } units[] = {
                { "s", 1000000ULL }, { "sec", 1000000ULL }, { "min", 60000000ULL }, { "m", 60000000ULL },
                { "h", 3600000000ULL }, { "d", 86400000000ULL }, { "", 1000000ULL },
        };
        unsigned long long n;
        struct tm tm = {};
        const char *end;
        int k = 0;

        assert(s);
        assert(ret);

        if (streq(s, "now")) {
                *ret = now_usec;
                return 0;
        }
        if (s[0] == '-' && sscanf(s + 1, "%llu%n", &n, &k) == 1) {
                for (size_t i = 0; i < ELEMENTSOF(units); i++)
                        if (streq(s + 1 + k, units[i].suffix)) {
                                uint64_t d = (uint64_t) n * units[i].usec;
                                *ret = d > now_usec ? 1 : now_usec - d;
                                return 0;
                        }
                return -EINVAL;
        }
        if (s[0] == '@') {
                if (sscanf(s + 1, "%llu%n", &n, &k) != 1 || s[1 + k] != '\0')
                        return -EINVAL;
                *ret = (uint64_t) n * 1000000ULL;
                return 0;
        }
        if (streq(s, "today")) {
                time_t t = (time_t) (now_usec / 1000000);
                if (!localtime_r(&t, &tm))
                        return -EINVAL;
                tm.tm_hour = tm.tm_min = tm.tm_sec = 0;
                end = "";
        } else {
                end = strptime(s, "%Y-%m-%d %H:%M:%S", &tm);
                if (!end || *end) {
                        tm = (struct tm) {};
                        end = strptime(s, "%Y-%m-%d %H:%M", &tm);
                }
                if (!end || *end) {
                        tm = (struct tm) {};
                        end = strptime(s, "%Y-%m-%d", &tm);
                }
                if (!end || *end)
                        return -EINVAL;
        }
        tm.tm_isdst = -1;
        time_t t = mktime(&tm);
        if (t == (time_t) -1 || t < 0)
                return -EINVAL;
        *ret = (uint64_t) t * 1000000ULL;
        return 0;
}
