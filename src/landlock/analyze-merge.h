/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/* "security --with-systemd": run "systemd-analyze security" for the same unit and read back its rows
 * (--json=short) and its overall exposure, so both appear in one report. */

#include "macro.h"
#include "unit-lookup.h"

typedef struct AnalyzeRow {
        int set;                        /* 1 ✓, 0 ✗, -1 null (does not apply) */
        char *name;
        char *json_field;
        char *description;
        char *exposure;                 /* "0.2", or NULL */
} AnalyzeRow;

typedef struct AnalyzeReport {
        AnalyzeRow *rows;
        size_t n_rows;
        int exposure;                   /* 0…100, or -1 if it could not be read */
        char *raw_json;                 /* systemd-analyze's JSON, verbatim */
} AnalyzeReport;

void analyze_report_done(AnalyzeReport *r);

/* Parses systemd-analyze's "--json=short" array of flat objects. -EBADMSG on anything else. */
int analyze_parse_json(const char *text, AnalyzeReport *ret);

/* "→ Overall exposure level for foo.service: 9.6 UNSAFE" → 96, or -EBADMSG. */
int analyze_parse_overall(const char *text);

/* Runs SYSTEMD_ANALYZE_PATH twice (JSON rows, then text for the overall) for "unit". */
int analyze_security_unit(const char *unit, UnitScope scope, bool offline, const char *root,
                          AnalyzeReport *ret);
