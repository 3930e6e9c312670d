/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/* "security --with-systemd": run "systemd-analyze security" for the same unit and read back its rows
 * (--json=short, with json-c), so both appear in one report. Its overall exposure is not in its JSON: it
 * is computed from the rows' weight, badness and range (which systemd-analyze adds to each row when
 * $SYSTEMD_ANALYZE_DEBUG is set) with the formula of its analyze-security.c, never read from its text. */

#include "macro.h"
#include "unit-lookup.h"

typedef struct AnalyzeRow {
        int set;                        /* 1 ✓, 0 ✗, -1 null (does not apply) */
        char *name;
        char *json_field;
        char *description;
        char *exposure;                 /* "0.2", or NULL */
        uint64_t weight, badness, range;/* badness UINT64_MAX: does not apply; range 0: not given */
} AnalyzeRow;

typedef struct AnalyzeReport {
        AnalyzeRow *rows;
        size_t n_rows;
        int exposure;                   /* 0…100, or -1 when the rows do not carry what it takes */
} AnalyzeReport;

void analyze_report_done(AnalyzeReport *r);

/* Parses systemd-analyze's "--json=short" array of objects (strict JSON). -EBADMSG on anything else. */
int analyze_parse_json(const char *text, AnalyzeReport *ret);

/* systemd-analyze's overall exposure (0…100, its "9.6" as 96) from the rows, or -EBADMSG when a row
 * that applies lacks its weight, badness or range, or none applies. */
int analyze_overall_exposure(const AnalyzeRow *rows, size_t n_rows);

/* A row's exposure ("0.2") in tenths (2), or -EBADMSG when it is not one digit after the point. */
int analyze_row_exposure(const AnalyzeRow *row);

/* Runs SYSTEMD_ANALYZE_PATH for "unit". */
int analyze_security_unit(const char *unit, UnitScope scope, bool offline, const char *root,
                          AnalyzeReport *ret);
