/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/* The denials of wrapped services, as "denials" and "suggest" see them: Landlock's audit records read
 * from the journal (or auditd's log), each ACCESS record attributed to a unit and a command through the
 * DOMAIN record (which names the pid that restricted itself) and the enforcer's journal entry for that
 * pid (which names its unit and command), then counted per unit, command, right and object. */

#include <stdint.h>
#include <systemd/sd-journal.h>

#include "landlock-audit.h"

typedef struct DenialOwner {
        char *boot;                     /* _BOOT_ID */
        pid_t pid;
        uint64_t usec;
        char *unit;                     /* _SYSTEMD_UNIT (trusted), else the enforcer's --unit= */
        char *argv;                     /* the command line */
} DenialOwner;

typedef struct DenialDomain {
        char *boot;
        uint64_t id;
        pid_t pid;
        uint64_t usec;
        char *exe;                      /* the restricting program (our enforcer, or another sandbox) */
} DenialDomain;

typedef struct Denial {
        char *unit;                     /* NULL: not a domain of the enforcer */
        char *command;                  /* the command line, or the domain's exe when not ours */
        LandlockAuditRecord record;     /* the first ACCESS record of this kind */
        char *rights;                   /* "read-file,read-dir", "bind-tcp", "signal", "ptrace" */
        char *object;                   /* "/etc/nginx/nginx.conf", "tcp port 80", "pid 1 (systemd)" */
        unsigned count;
        uint64_t first_usec, last_usec;
} Denial;

/* An ACCESS record waiting for its DOMAIN record (the kernel logs it right after the first denial). */
typedef struct PendingAccess {
        char *boot;
        uint64_t usec;
        LandlockAuditRecord record;
} PendingAccess;

typedef struct DenialSet {
        /* filters */
        char **units;                   /* only these units; NULL: all */
        uint64_t since_usec;            /* only denials at or after; 0: all */
        char *boot;                     /* only this boot; NULL: all */

        DenialOwner *owners;
        size_t n_owners;
        DenialDomain *domains;
        size_t n_domains;
        PendingAccess *pending;
        size_t n_pending;

        Denial *denials;
        size_t n_denials;

        /* what the kernel log says was lost */
        uint64_t lost_rate_limit, lost_backlog, printk_suppressed;
        bool audit_transport;           /* the journal has records from its audit socket */
        sd_journal *lookup;             /* for the enforcer's stderr lines, looked up by pid */
        unsigned n_malformed;
} DenialSet;

void denial_set_done(DenialSet *s);

/* Adds the matches for our entries to j: Landlock records from the audit socket, the enforcer's entries,
 * and the kernel log (copies of records printed without a listener, and the loss messages); only those of
 * "boot" (a _BOOT_ID), unless NULL. */
int denials_add_journal_matches(sd_journal *j, const char *boot);

/* Reads the entries from j's current position to its end into s. If "on_new" is not NULL, calls it
 * for each denial counted (new or repeated), once its attribution is known. */
int denials_read_journal(sd_journal *j, DenialSet *s, void (*on_new)(const Denial *d, void *userdata),
                         void *userdata);

/* Reads auditd's log (its lines parse as records; attribution still needs the journal's owner entries,
 * read first). */
int denials_read_audit_log(const char *path, DenialSet *s);

/* Attributes the pending ACCESS records whose DOMAIN record has been read (or all of them when "final":
 * those stay unattributed). */
int denials_flush(DenialSet *s, bool final, void (*on_new)(const Denial *d, void *userdata), void *userdata);

/* "foo" → "foo.service"; a name with a unit suffix stays. */
char *unit_name_with_suffix(const char *name);

/* --since=: "-5min", "-2h", "-1d", "-30s", "@EPOCH", "YYYY-MM-DD [HH:MM[:SS]]", "today", "now" → µs since
 * the epoch. -EINVAL for anything else. */
int parse_since(const char *s, uint64_t now_usec, uint64_t *ret);
