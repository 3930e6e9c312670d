/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/* One unit as the command line sees it: its files (fragment and drop-ins), the Landlock directives in
 * them merged into a policy, its Exec*= commands as written, and, when the manager was asked, the
 * commands the manager will really run. Offline everything comes from the files (the shared unit
 * lookup); online the manager names the files and the running commands (unit-bus.c). */

#include "landlock-args.h"
#include "landlock-directives.h"
#include "unit-file.h"
#include "unit-lookup.h"

typedef struct ExecLine {
        char *field;                    /* "ExecStart" */
        char *prefix;                   /* "", "-", "+", "@-", … */
        char *path;                     /* the first word after the prefix, unquoted */
        char *value;                    /* the whole value as written */
        char *file;                     /* where it was written (NULL: from the manager) */
        unsigned line;
} ExecLine;

typedef struct RunningCommand {
        char *field;                    /* "ExecStart" */
        char **argv;                    /* as the manager will exec it */
        bool privileged;                /* "+": systemd runs it without sandboxing */
        bool wrapped;                   /* argv goes through LANDLOCK_EXEC_PATH */
        LandlockExecOptions options;    /* when wrapped: the policy really in force */
        char *parse_error;              /* when wrapped but the words do not parse */
} RunningCommand;

typedef struct LandlockUnit {
        char *name;
        char *fragment;                 /* NULL: not found */
        char **dropins;
        bool masked;

        UnitFile file;
        LandlockUnitPolicy policy;      /* policy, has_directives, errors */
        char **warnings;                /* syntax warnings from the reader */

        ExecLine *commands;
        size_t n_commands;

        bool online;
        char *load_state, *active_state;
        char *invocation_id;            /* of the running invocation, 32 hex digits; NULL when none */
        RunningCommand *running;
        size_t n_running;
} LandlockUnit;

/* Whether the running processes of the unit still have the policy they were started with although the
 * unit now says another (a daemon-reload after a change: a restart applies it). The record is what the
 * enforcer logged before executing the first command of the running invocation (LANDLOCK_POLICY_ID_MESSAGE),
 * read from the journal; it is compared with the policy of the commands the manager would run now. */
typedef enum PolicyRecord {
        POLICY_RECORD_NOT_RUNNING,      /* no running invocation, or no wrapped command to compare with */
        POLICY_RECORD_UNKNOWN,          /* no record: stderr not to the journal, journal not readable, … */
        POLICY_RECORD_CURRENT,
        POLICY_RECORD_STALE,
} PolicyRecord;

PolicyRecord landlock_unit_policy_record(const LandlockUnit *u, uint64_t *ret_recorded, uint64_t *ret_current);

void landlock_unit_done(LandlockUnit *u);
void landlock_unit_freep(LandlockUnit **u);

/* Loads "name" from unit files only, beneath "root" (NULL: /). -ENOENT if there is no such unit. */
int landlock_unit_load_offline(const char *name, UnitScope scope, const char *root, LandlockUnit *ret);

/* Loads the files of "path" directly, as "verify" does: the unit name is the file's base name, no
 * drop-ins. */
int landlock_unit_load_file(const char *path, LandlockUnit *ret);

/* Fills u->file, u->policy and u->commands from u->fragment and u->dropins (absolute, beneath root).
 * skip_prefix: drop-ins beneath this directory are read for nothing (the generator's own output). */
int landlock_unit_parse_files(LandlockUnit *u, const char *root);

/* Fills RunningCommand.wrapped/options/parse_error from argv. */
int running_command_classify(RunningCommand *c);
void running_command_done(RunningCommand *c);

/* All unit names of "scope" beneath root that the security report covers when no unit is given: service
 * units that can be loaded as they are (no templates). */
int landlock_unit_list_offline(UnitScope scope, const char *root, char ***ret);

/* The section of the unit's directives and commands ("Service"; NULL for types we do not handle). */
const char *landlock_unit_section(const LandlockUnit *u);
