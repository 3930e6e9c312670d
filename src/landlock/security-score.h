/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/* The Landlock exposure assessment of one unit: a table of items, each with a weight and a range, and the
 * overall exposure computed the way "systemd-analyze security" computes its own:
 *
 *   exposure = ceil(Σ ceil(badness·weight/range) · 100 / Σ weight)     (0…100, shown as 0.0…10.0)
 *
 * Items that do not apply (e.g. the fail-open check offline) are left out of both sums. Pure logic: the
 * caller gathers the facts into a SecurityFacts. */

#include "landlock-policy.h"

typedef struct SecurityFacts {
        bool has_directives;            /* some Landlock directive in effect */
        const LandlockPolicy *policy;   /* merged directives (empty policy when none) */
        const LandlockCompiled *compiled;  /* for the ABI assessed; NULL when not compiled (invalid) */
        unsigned abi;                   /* the ABI assessed, 0 = no Landlock */
        bool invalid;                   /* directives have errors: the unit refuses to start */

        unsigned n_commands;            /* Exec*= commands of the unit */
        unsigned n_privileged;          /* … of them with the "+" prefix: never confined */

        bool online;                    /* the running commands below are known */
        unsigned n_running;             /* commands the manager will run, "+" ones excepted */
        unsigned n_running_unwrapped;   /* … of them not going through the enforcer */
        unsigned n_running_privileged;  /* "+" commands the manager will run */
        bool stale_policy;              /* the running processes were started with another policy than the
                                         * unit's now (landlock_unit_policy_record()) */

        bool needs_interpreter;         /* a command is, or runs through, a shell or interpreter (or we
                                         * cannot tell) */
        const char *protect_proc;       /* ProtectProc= of the unit, NULL when unset */
        const char *proc_subset;        /* ProcSubset= */

        const char *log_invisible;      /* why this machine cannot show the denials it logs (audit off, …);
                                         * NULL: it can, or the running machine is not assessed */
} SecurityFacts;

typedef struct SecurityItem {
        const char *id;                 /* JSON field, "LandlockFilesystem" */
        const char *name;               /* the row's NAME, usually the directive concerned */
        uint64_t weight;
        uint64_t range;
        const char *badness;            /* what makes it bad, for systemd-landlock(1)'s table (tbl text) */
} SecurityItem;

extern const SecurityItem security_items[];
extern const size_t security_n_items;

#define SECURITY_NOT_APPLICABLE UINT64_MAX

typedef struct SecurityResult {
        const SecurityItem *item;
        uint64_t badness;               /* 0…range, or SECURITY_NOT_APPLICABLE */
        char *description;              /* what this unit does about it */
        uint64_t exposure;              /* ceil(badness·weight/range), in thousandths; 0 if n/a */
} SecurityResult;

typedef struct SecurityReport {
        SecurityResult *results;        /* one per security_items[] */
        size_t n_results;
        unsigned exposure;              /* 0…100 */
} SecurityReport;

void security_report_done(SecurityReport *r);

int security_assess(const SecurityFacts *f, SecurityReport *ret);

/* ceil(Σ exposures · 100 / Σ weights) over the applicable results. */
unsigned security_exposure(const SecurityResult *results, size_t n);

/* systemd-analyze's levels: "PERFECT", "SAFE", "OK", "MEDIUM", "EXPOSED", "UNSAFE", "DANGEROUS". */
const char *security_level(unsigned exposure) _const_;
const char *security_level_emoji(unsigned exposure) _const_;

/* The paths that count as broad write grants, and the rights that count as writing. */
extern const char *const security_sensitive_paths[];
uint64_t security_write_mask(void) _const_;

/* Whether "path" names a shell or an interpreter ("/bin/sh", "python3.11", "perl"). */
bool security_is_interpreter(const char *path);
