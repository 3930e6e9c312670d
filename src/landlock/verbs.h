/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/* The verbs of systemd-landlock and the options they share. Each verb returns 0 or a positive exit status
 * for a finding (EXIT_FINDINGS), or a negative errno after logging it. */

#include "output.h"
#include "unit-lookup.h"

/* Documented in systemd-landlock(1). */
#define EXIT_FINDINGS 2         /* security: exposure above --threshold; verify: invalid directives */

extern JsonFormat arg_json;
extern bool arg_pager;
extern bool arg_legend;
extern UnitScope arg_scope;
extern const char *arg_root;
extern bool arg_offline;
extern int arg_threshold;               /* 0…100, -1 unset */
extern bool arg_with_systemd;
extern int arg_abi;
extern uint64_t arg_since;              /* denials, suggest: µs since the epoch; 0: this boot */
extern bool arg_follow;                 /* denials */
extern bool arg_write;                  /* suggest: install the drop-in */
extern bool arg_coarse;                 /* suggest: broader grants, fewer rounds */                     /* compile for this ABI instead of probing; -1 unset */

int verb_abi(int argc, char *argv[]);
int verb_security(int argc, char *argv[]);
int verb_show(int argc, char *argv[]);
int verb_verify(int argc, char *argv[]);
int verb_run(int argc, char *argv[]);
int verb_denials(int argc, char *argv[]);
int verb_suggest(int argc, char *argv[]);
int verb_profile(int argc, char *argv[]);
int verb_preset(int argc, char *argv[]);

/* The ABI "security" and "show" assess against: --abi=N, or the running kernel's (0 without Landlock). */
int cli_target_abi(unsigned *ret_abi, uint32_t *ret_errata);

/* Shared by "denials" and "suggest" (verb-denials.c): reads the denials of "units" (all when empty) into
 * *s and the machine's audit facts into *facts; *ret_journal (may be NULL) keeps the journal open at its
 * end for --follow. */
typedef struct DenialSet DenialSet;
typedef struct AuditFacts AuditFacts;
typedef struct sd_journal sd_journal;
int denials_load(char **units, DenialSet *s, AuditFacts *facts, sd_journal **ret_journal);
/* Logs why denials may be missing (the machine's audit, LandlockLog=no of the units); returns the
 * AuditVisibility. */
int denials_warn_visibility(char **units, const AuditFacts *facts);
