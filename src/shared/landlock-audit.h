/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/* Landlock's audit records (Linux 6.15+, Documentation/admin-guide/LSM/landlock.rst), as they reach us
 * through every channel: the journal's MESSAGE= of an audit entry ("LANDLOCK_ACCESS domain=…", or
 * "AUDIT1423 domain=…" from a journald built against older kernel headers), auditd's log
 * ("type=LANDLOCK_ACCESS msg=audit(…): …", "type=UNKNOWN[1423] msg=audit(…): …" from an auditd that
 * does not know the type) and the kernel log ("audit: type=1423 audit(…): …"). Also the kernel's
 * messages saying that audit records were dropped or not printed. Pure logic: no system calls. */

#include <stdint.h>
#include <sys/types.h>

#include "macro.h"

#define AUDIT_LANDLOCK_ACCESS 1423
#define AUDIT_LANDLOCK_DOMAIN 1424

typedef enum LandlockAuditObject {
        LANDLOCK_AUDIT_OBJECT_NONE,
        LANDLOCK_AUDIT_OBJECT_PATH,     /* path= (and dev=, ino=), or name= for a dentry */
        LANDLOCK_AUDIT_OBJECT_NET,      /* saddr=/src= (bind), daddr=/dest= (connect, send) */
        LANDLOCK_AUDIT_OBJECT_TASK,     /* opid=, ocomm= (signal, ptrace) */
} LandlockAuditObject;

typedef struct LandlockAuditRecord {
        int type;                       /* AUDIT_LANDLOCK_ACCESS or AUDIT_LANDLOCK_DOMAIN */
        uint64_t domain;
        uint64_t usec;                  /* from "audit(SEC.MSEC:SERIAL)" when the text has it, else 0 */
        uint64_t serial;

        /* ACCESS: the blockers, as rights of this project's table, plus those no right stands for */
        char *blockers;                 /* as the kernel printed them: "fs.make_reg,fs.refer" */
        uint64_t fs, net, scope;        /* LANDLOCK_ACCESS_FS_*, LANDLOCK_ACCESS_NET_*, LANDLOCK_SCOPE_* */
        bool ptrace, change_topology;   /* "ptrace", "fs.change_topology" */
        bool unknown_blocker;           /* a blocker newer than this program */
        LandlockAuditObject object;
        char *path;                     /* decoded; " (deleted)" removed and recorded below */
        bool deleted;
        char *dev;
        uint64_t ino;
        char *addr;                     /* saddr= or daddr= */
        int port;                       /* src= for bind, dest= for connect/send; -1 if absent */
        pid_t opid;
        char *ocomm;

        /* DOMAIN */
        bool allocated;                 /* status=allocated; else deallocated */
        pid_t pid;                      /* the task that called landlock_restrict_self(): our enforcer */
        uid_t uid;
        char *exe, *comm;
        uint64_t denials;               /* status=deallocated: every denial, logged or not */
} LandlockAuditRecord;

void landlock_audit_record_done(LandlockAuditRecord *r);

/* Parses one line of any of the forms above (leading timestamps such as "[  12.3] " are skipped).
 * Returns 1 and fills *ret for a Landlock record, 0 if the line is no Landlock record, -EBADMSG if it
 * claims to be one but does not have the fields every kernel prints, -ENOMEM. */
int landlock_audit_parse_line(const char *line, LandlockAuditRecord *ret);

/* Parses the fields of a record whose type is known from elsewhere (the journal's _AUDIT_TYPE=), i.e.
 * the text after "type … audit(…): ". Same return values. */
int landlock_audit_parse_fields(int type, const char *fields, LandlockAuditRecord *ret);

/* Kernel messages about audit records that were dropped, or not printed. */
typedef enum LandlockAuditLoss {
        LANDLOCK_AUDIT_LOSS_NONE,
        LANDLOCK_AUDIT_LOSS_RATE_LIMIT,         /* "audit: rate limit exceeded": records dropped at the source */
        LANDLOCK_AUDIT_LOSS_BACKLOG,            /* "audit: backlog limit exceeded": dropped at the source */
        LANDLOCK_AUDIT_LOSS_PRINTK,             /* "kauditd_printk_skb: N callbacks suppressed": not in the kernel log */
        LANDLOCK_AUDIT_LOSS_HOLD_QUEUE,         /* "audit: kauditd hold queue overflow": no audit daemon took them;
                                                 * a journal listening on the audit socket still has them */
        LANDLOCK_AUDIT_LOSS_COUNT,              /* "audit: audit_lost=N …": the kernel's running count */
        _LANDLOCK_AUDIT_LOSS_MAX,
} LandlockAuditLoss;

/* Returns the kind of loss a kernel log line reports (LANDLOCK_AUDIT_LOSS_NONE if none); *ret_count (may be
 * NULL) gets N for PRINTK and COUNT, else 1. */
LandlockAuditLoss landlock_audit_parse_loss(const char *line, uint64_t *ret_count);
const char *landlock_audit_loss_to_string(LandlockAuditLoss l) _const_;

/* "fs.write_file" → this project's right name ("write-file") and kind; NULL if unknown. */
const char *landlock_audit_blocker_to_name(const char *blocker, int *ret_kind);

/* The enforcer's journal entry that ties a Landlock domain to its service: the kernel's DOMAIN record
 * names the pid that restricted itself, this entry names that pid's unit and command. */
#define LANDLOCK_DOMAIN_MESSAGE_ID "37e5fec8bf9b48278316d6237eef6022"
#define LANDLOCK_FIELD_PID     "LANDLOCK_PID"           /* the restricting pid, which the command keeps */
#define LANDLOCK_FIELD_UNIT    "LANDLOCK_UNIT"          /* --unit= (journald adds the trusted _SYSTEMD_UNIT=) */
#define LANDLOCK_FIELD_COMMAND "LANDLOCK_COMMAND"       /* the executable's path */
#define LANDLOCK_FIELD_ARGV    "LANDLOCK_ARGV"          /* the command line, words joined by blanks */
/* Under a seccomp filter the enforcer does not risk socket() and sendto() (a filter may kill for them): it
 * writes "Landlock domain of pid PID: ARGV" to its stderr instead, when that is the journal stream, which
 * journald records with the trusted _PID= and _SYSTEMD_UNIT= of the command. */
#define LANDLOCK_DOMAIN_LINE_PREFIX "Landlock domain of pid "
