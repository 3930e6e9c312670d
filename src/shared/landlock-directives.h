/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/* The Landlock unit-file directives (SPEC §3): ONE table (name, value syntax, description, parser) used
 * by the unit-file parser, "systemd-landlock verify/show/run", and the man page's directive table.
 * Each directive is accepted as "LandlockX=" and "X-LandlockX=", in [Service] and [Socket]; in [Mount]
 * and [Swap] it is an error. An empty assignment resets the directive (lists are emptied, scalars go
 * back to their default). */

#include "landlock-policy.h"
#include "unit-file.h"

typedef struct LandlockDirective LandlockDirective;

/* Applies one non-empty value to the policy. On failure returns -EINVAL/-ERANGE/-ENOMEM and may set
 * *ret_error to what is wrong (without file:line, the caller adds it). */
typedef int (*landlock_directive_parse_t)(const LandlockDirective *d, const char *value,
                                          const LandlockSource *source, LandlockPolicy *p, char **ret_error);

struct LandlockDirective {
        const char *name;               /* "LandlockPaths", without "X-" and "=" */
        const char *syntax;             /* "[-]PATH[:ACCESS] …" */
        const char *description;        /* one line, for --help, verify and the man page */
        landlock_directive_parse_t parse;
        const char *default_bundle;     /* path directives: the access of an item without ":ACCESS" */
        bool access_suffix;             /* path directives: items may carry ":ACCESS" */
        bool list;                      /* whitespace-separated items, may repeat; else one value */
};

extern const LandlockDirective landlock_directives[];
extern const size_t landlock_n_directives;

/* "LandlockPaths" or "X-LandlockPaths" → its row; NULL if the key is not a Landlock directive. */
const LandlockDirective *landlock_directive_from_key(const char *key) _pure_;
/* True for any key that looks like one of ours ("Landlock…"/"X-Landlock…"), known or not: unknown ones
 * are errors (a typo must not silently drop the sandbox). */
bool landlock_directive_key_is_ours(const char *key) _pure_;

/* Applies "value" (non-empty, systemd quoting) to "p", as one assignment of directive "d". */
int landlock_directive_apply(const LandlockDirective *d, const char *value, const LandlockSource *source,
                             LandlockPolicy *p, char **ret_error);

/* Which section of a unit of this name carries the directives ("Service", "Socket", "Mount", "Swap"),
 * or NULL for unit types whose sections we leave alone. */
const char *landlock_section_for_unit(const char *unit_name) _pure_;
/* Whether directives may appear in this section at all ([Service], [Socket]). */
bool landlock_section_allows_directives(const char *section) _pure_;

typedef struct LandlockUnitPolicy {
        LandlockPolicy policy;
        bool has_directives;            /* some Landlock directive is in effect after resets */
        char **errors;                  /* "FILE:LINE: …", NULL-terminated; non-empty = refuse to start */
} LandlockUnitPolicy;

void landlock_unit_policy_done(LandlockUnitPolicy *p);

/* Collects the Landlock directives of the assignments of "u" in "section" (see
 * landlock_section_for_unit()), applying resets in order, and compiles them into ret->policy with each
 * rule's file:line. Errors do not stop the scan: every one is listed. Returns 0 or -ENOMEM. */
int landlock_unit_policy_from_unit_file(const UnitFile *u, const char *section, LandlockUnitPolicy *ret);
