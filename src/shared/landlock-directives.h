/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/* The Landlock unit-file directives (systemd.landlock(5)): ONE table, a row per directive, with everything about its
 * setting: its name and value syntax and description (for --help, verify and the man page's directive
 * table), its parser (for unit files, "systemd-landlock run -p" and the enforcer's command line alike), the
 * enforcer's option word for it and the formatter that writes that option from a policy. Adding a
 * directive is adding a row.
 *
 * Each directive is accepted as "LandlockX=" and "X-LandlockX=", in [Service] and [Socket]; in [Mount]
 * and [Swap] it is an error. An empty assignment resets the directive (lists are emptied, scalars go
 * back to their default). */

#include <limits.h>

#include "landlock-policy.h"
#include "strv.h"
#include "unit-file.h"

typedef struct LandlockDirective LandlockDirective;

typedef enum LandlockParseFlags {
        /* The value comes from the enforcer's command line: systemd has expanded the specifiers already, a
         * "%" left in a path is a literal one. */
        LANDLOCK_PARSE_EXPANDED = 1 << 0,
} LandlockParseFlags;

/* Applies one item (of a list directive) or the whole value (of a scalar one) to the policy. On failure
 * returns -EINVAL/-ERANGE/-ENOMEM and may set *ret_error to what is wrong (without file:line or option,
 * the caller adds them). */
typedef int (*landlock_directive_parse_t)(const LandlockDirective *d, const char *item, const LandlockSource *source,
                                          LandlockParseFlags flags, LandlockPolicy *p, char **ret_error);
/* Appends the enforcer's options for what "p" holds of this setting ("--path=/etc:ro", …); options equal
 * to their default are not written. */
typedef int (*landlock_directive_format_t)(const LandlockDirective *d, const LandlockPolicy *p, StrvBuilder *words);

struct LandlockDirective {
        const char *name;               /* "LandlockPaths", without "X-" and "=" */
        const char *syntax;             /* "[-]PATH[:ACCESS] …" */
        const char *description;        /* one line, for --help, verify and the man page */
        landlock_directive_parse_t parse;
        /* The enforcer's option ("--path"): its value is one item, parsed by "parse" with
         * LANDLOCK_PARSE_EXPANDED. NULL for directives that are spelled as another one on the command line
         * (LandlockReadOnlyPaths=PATH as --path=PATH:ro). */
        const char *option;
        /* Writes the policy fields "parse" fills; NULL when another row's formatter writes them (the
         * rules of every path directive are --path= options, those of both port directives are written
         * in the order they were given). */
        landlock_directive_format_t format;
        const char *default_bundle;     /* path directives: the access of an item without ":ACCESS" */
        bool access_suffix;             /* path directives: items may carry ":ACCESS" */
        bool list;                      /* whitespace-separated items, may repeat; else one value */
};

extern const LandlockDirective landlock_directives[];
extern const size_t landlock_n_directives;

/* "LandlockPaths" or "X-LandlockPaths" → its row; NULL if the key is not a Landlock directive. */
const LandlockDirective *landlock_directive_from_key(const char *key) _pure_;
/* True for any key that looks like one of ours ("Landlock…"/"X-Landlock…"), known or not: unknown ones
 * are errors (a typo must not silently drop the sandbox), unless systemd itself handles them (below). */
bool landlock_directive_key_is_ours(const char *key) _pure_;

/* Landlock settings of systemd's own, which look like ours: one table, per key the first systemd version
 * that handles it. On a systemd that handles the key, it is systemd's (no error, no wrapping: a unit with
 * nothing else gets no drop-in, one with our directives too gets its two domains stacked); on one that
 * does not (or an unknown version), it is an error like any unknown key: the unit must not run without it. */
typedef struct SystemdLandlockKey {
        const char *name;               /* "LandlockConfig", without "=" */
        unsigned since;                 /* SYSTEMD_VERSION_UNRELEASED: in no release yet */
        const char *what;               /* for messages and the man page */
} SystemdLandlockKey;

#define SYSTEMD_VERSION_UNRELEASED UINT_MAX

extern const SystemdLandlockKey systemd_landlock_keys[];
extern const size_t systemd_n_landlock_keys;

/* Its row, or NULL for a key systemd never handles (every "X-…" key is one). */
const SystemdLandlockKey *systemd_landlock_key_from_name(const char *key) _pure_;
/* Whether this systemd (0: unknown) handles the key itself. */
bool systemd_handles_landlock_key(const char *key, unsigned systemd_version) _pure_;

/* Applies "value" (non-empty, systemd quoting) to "p", as one assignment of directive "d": each item of a
 * list, or the value. */
int landlock_directive_apply(const LandlockDirective *d, const char *value, const LandlockSource *source,
                             LandlockPolicy *p, char **ret_error);

/* The row whose enforcer option "arg" is ("--path=…" → LandlockPaths), with *ret_value pointing after
 * the "="; NULL when "arg" is no directive's option. */
const LandlockDirective *landlock_directive_from_option(const char *arg, const char **ret_value);
/* The enforcer's options for "p", every row's formatter in table order. */
int landlock_directives_format(const LandlockPolicy *p, StrvBuilder *words);

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
