/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/* Whether Landlock's denials can be seen on this machine, and if not, the one thing to do about it.
 * audit_facts_gather() asks the system; audit_visibility() is pure logic over the facts. */

#include <stdint.h>

#include "macro.h"

typedef struct AuditFacts {
        int abi;                        /* the running kernel's Landlock ABI; ≤ 0: none */
        int audit_enabled;              /* 1, 2 (locked on), 0, or -1: unknown (AUDIT_GET needs root) */
        bool audit_off_at_boot;         /* audit=0 on the kernel command line: cannot be turned on */
        int auditd;                     /* an audit daemon is registered: 1, 0, -1 unknown */
        int journal_socket;             /* systemd-journald-audit.socket is active: 1, 0, -1 unknown */
        bool audit_transport;           /* the journal has records from its audit socket */
        uint64_t lost_rate_limit;       /* "audit: rate limit exceeded" messages */
        uint64_t lost_backlog;          /* "audit: backlog limit exceeded" messages */
        uint64_t printk_suppressed;     /* records the kernel log did not print */
        uint32_t rate_limit;            /* the kernel's audit rate limit (0: none), when known */
} AuditFacts;

typedef enum AuditVisibility {
        AUDIT_VISIBLE,
        AUDIT_NO_LANDLOCK,              /* nothing is denied: nothing to see */
        AUDIT_KERNEL_TOO_OLD,           /* Landlock < ABI 7 (Linux 6.15) has no audit records */
        AUDIT_OFF_AT_BOOT,
        AUDIT_DISABLED,
        AUDIT_NO_LISTENER,              /* neither journald's audit socket nor auditd: the kernel log only */
        AUDIT_LOST,                     /* records were dropped (rate or backlog limit, kernel log) */
        _AUDIT_VISIBILITY_MAX,
} AuditVisibility;

/* The kernel's first Landlock ABI that logs denials. */
#define LANDLOCK_ABI_AUDIT 7

void audit_facts_gather(AuditFacts *ret);

/* The worst problem; *ret_sentence (may be NULL) gets one sentence saying what is wrong and the exact
 * fix, NULL for AUDIT_VISIBLE. Returns -ENOMEM on OOM. */
int audit_visibility(const AuditFacts *f, char **ret_sentence);

/* Whether the problem means no denial is seen at all (as opposed to some being lost). */
bool audit_visibility_blocks(AuditVisibility v) _const_;
