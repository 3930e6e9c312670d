/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/* Building the kernel ruleset of a compiled policy: system calls, run in the service's own mount
 * namespace (by the enforcer) so that paths resolve in the service's view of the filesystem. */

#include "landlock-policy.h"

typedef struct LandlockSkippedPath {
        char *path;
        int error;                      /* -ENOENT/-ENOTDIR: optional and missing; -ELOOP: optional and
                                         * not safely resolvable (a symlink the service may change, a
                                         * symlink loop); 0: a non-directory left with no right a file
                                         * can take */
        uint64_t access;                /* what the rule asked for */
        char *message;                  /* for -ELOOP: the sentence to log as a warning, naming the
                                         * symlink and why; else NULL */
} LandlockSkippedPath;

typedef struct LandlockRulesetReport {
        size_t n_path_rules;            /* path rules added to the ruleset */
        size_t n_file_rules;            /* … of which on non-directories known as such: those whose rights
                                         * were masked to what a file takes (a rule granting only file rights
                                         * is added without a stat, and not counted here) */
        size_t n_port_rules;            /* port rules added (one per port of each range) */
        LandlockSkippedPath *skipped;
        size_t n_skipped;
} LandlockRulesetReport;

void landlock_ruleset_report_done(LandlockRulesetReport *r);

/* Creates the ruleset for "c" (c->abi ≥ 1) and adds its rules. Returns 0 and the ruleset fd in *ret_fd, or
 * a negative errno and, when ret_error is non-NULL, a message in *ret_error (caller frees) naming what
 * failed, e.g. "required path /x does not exist (prefix it with '-' to make it optional)". "report" may be
 * NULL.
 *
 * Each path is opened through landlock-resolve.h: a symlink in a directory where the policy lets the
 * service create or remove entries is not followed. A required path that needs one fails with -ELOOP (as
 * does a symlink loop); an optional one is skipped and reported with a message. */
int landlock_ruleset_build(const LandlockCompiled *c, int *ret_fd, LandlockRulesetReport *report, char **ret_error);
