/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/* Unit lookup the way systemd's manager does it (src/shared/unit-file.c, src/shared/dropin.c,
 * src/basic/conf-files.c; the same in systemd 252, 257 and 262, checked against the sources of the first two
 * and the binaries of all three):
 *
 *  - the search path of the system or the user manager (with $SYSTEMD_UNIT_PATH); the first entry of a
 *    name in it claims the name;
 *  - a symlink pointing into the search path is an alias, if systemd accepts it as one (same type, template
 *    to template, instance to the same instance or to a template; never to itself): a refused alias does
 *    not claim its name. A symlink pointing out of it is a linked unit file, or a mask (/dev/null);
 *  - an instance without a file of its own loads its template's; the unit is loaded under the name of its
 *    fragment, its other names are aliases;
 *  - drop-in directories: for each name of the unit (its own first, then its aliases), in every search
 *    path entry, the directories dropin_dir_names() lists (foo-bar@x.service.d, foo-bar@.service.d,
 *    foo-.service.d, foo-@x.service.d, foo-@.service.d for foo-bar@x.service); then the type's directory
 *    (service.d) in every entry. Of files with the same name the first in that order wins (so
 *    /usr/lib/…/foo.service.d/x.conf beats /etc/…/service.d/x.conf); the winners apply in the order of their
 *    file names (strcmp()), wherever they are. Every "*.conf" entry counts, whatever its type.
 *
 * Everything is looked up beneath an optional root directory, so tests run on a temporary tree. */

#include "macro.h"

typedef enum UnitScope {
        UNIT_SCOPE_SYSTEM,
        UNIT_SCOPE_USER,
        _UNIT_SCOPE_MAX,
        _UNIT_SCOPE_INVALID = -EINVAL,
} UnitScope;

const char *unit_scope_to_string(UnitScope s) _const_;
UnitScope unit_scope_from_string(const char *s) _pure_;

typedef struct UnitLookupPaths {
        UnitScope scope;
        char *root;                     /* NULL or "/" = the real root */
        char **search_path;             /* highest priority first, without the root prefix */
        char **generator_dirs;          /* the generator output dirs in the search path (also in
                                         * search_path); a generator skips them */
} UnitLookupPaths;

void unit_lookup_paths_done(UnitLookupPaths *p);

/* Builds the search path for "scope". $SYSTEMD_UNIT_PATH (when set) replaces it; a trailing ":" appends the
 * defaults. For the user scope $HOME, $XDG_CONFIG_HOME, $XDG_RUNTIME_DIR, $XDG_DATA_HOME, $XDG_CONFIG_DIRS
 * and $XDG_DATA_DIRS are honoured as systemd does. */
int unit_lookup_paths_init(UnitLookupPaths *p, UnitScope scope, const char *root);
/* Same with an explicit search path (tests, --unit-path=). */
int unit_lookup_paths_init_from(UnitLookupPaths *p, UnitScope scope, const char *root, char * const *search_path);

typedef enum UnitNameType {
        UNIT_NAME_PLAIN    = 1 << 0,    /* foo.service */
        UNIT_NAME_TEMPLATE = 1 << 1,    /* foo@.service */
        UNIT_NAME_INSTANCE = 1 << 2,    /* foo@bar.service */
        UNIT_NAME_ANY = UNIT_NAME_PLAIN|UNIT_NAME_TEMPLATE|UNIT_NAME_INSTANCE,
} UnitNameType;

bool unit_name_is_valid(const char *name, UnitNameType type) _pure_;
/* A name as an administrator types it, as systemctl reads it: "nginx" means "nginx.service", a name with
 * a unit type suffix stays as it is. -EINVAL for a path (systemctl's device and mount names are not ours). */
int unit_name_mangle(const char *name, char **ret);
const char *unit_name_suffix(const char *name) _pure_;           /* ".service", or NULL */
int unit_name_template(const char *name, char **ret);            /* foo@bar.service → foo@.service */
/* foo@.service or foo@bar.service, "baz" → foo@baz.service */
int unit_name_replace_instance(const char *name, const char *instance, char **ret);
/* Whether systemd takes a symlink named "src" pointing to a unit file named "dst" within the search path as
 * an alias (unit_validate_alias_symlink_or_warn()). */
bool unit_alias_is_valid(const char *src, const char *dst) _pure_;

/* What systemd would load for one unit name. */
typedef struct UnitInfo {
        char *name;                     /* the name the unit is loaded under (alias targets resolved) */
        char *fragment;                 /* path beneath the root (without it), or NULL: no fragment */
        bool masked;                    /* symlink to /dev/null or an empty file */
        char **aliases;                 /* other names of the same unit found in the search path */
        char **dropins;                 /* drop-in files (without root prefix), in the order systemd
                                         * applies them */
        char **dropin_names;            /* every drop-in file name seen for this unit (sorted), including
                                         * overridden ones */
        /* Drop-in file names found in the directories of two aliases as different files, and not in the
         * unit's own: systemd takes the aliases in an order that is not knowable from outside (a hash
         * order), so which of them it reads cannot be told. The caller should refuse the unit. */
        char **ambiguous_dropins;
        bool has_own_dropins;           /* an instance reading directories named after it (foo@bar.service.d,
                                         * foo-@bar.service.d): its drop-ins are not those of every instance */
} UnitInfo;

void unit_info_done(UnitInfo *i);

/* The whole search path, scanned once: unit files, symlinks and drop-in directories. Makes looking up
 * many units cheap (the generator looks up all of them). */
typedef struct UnitMap UnitMap;

int unit_map_new(const UnitLookupPaths *p, bool skip_generator_dirs, UnitMap **ret);
UnitMap *unit_map_free(UnitMap *m);
static inline void unit_map_freep(UnitMap **m) {
        unit_map_free(*m);
}
#define _cleanup_unit_map_free_ _cleanup_(unit_map_freep)

/* Every name the generator should consider, sorted: unit files, aliases, templates, and instances that
 * have drop-in directories of their own (also through a dash prefix: foo-@x.service.d makes
 * foo-bar@x.service one when foo-bar@.service exists). A template's lookup gives the drop-ins every
 * instance reads; systemd itself never loads a template. */
char **unit_map_names(const UnitMap *m);

/* Looks up "name". Returns 0 and fills *ret (ret->fragment may be NULL if nothing was found), or -errno. */
int unit_map_lookup(const UnitMap *m, const char *name, UnitInfo *ret);

/* Convenience: one lookup without keeping a map. */
int unit_lookup(const UnitLookupPaths *p, const char *name, UnitInfo *ret);

/* Loads fragment and drop-ins of "info" into "u", in order (paths opened beneath p->root, messages
 * name the path without the root), with u->systemd_version's rules. As systemd, it skips a drop-in that is
 * gone or a directory; a file it cannot read otherwise is recorded in u->fatal (a fragment systemd cannot
 * read makes the unit fail to load). Returns 0, or -ENOMEM. */
struct UnitFile;
int unit_info_load(const UnitLookupPaths *p, const UnitInfo *info, struct UnitFile *u, char ***warnings);

/* As unit_info_load(), but reads every file first and parses none when no file contains "word" (nor fails
 * to be read): returns 0 then, 1 when it parsed them. A key systemd reads is contiguous in its file (a
 * line continuation becomes a space), so a unit without the bytes "Landlock" has no Landlock directive. */
int unit_info_load_mentioning(const UnitLookupPaths *p, const UnitInfo *info, const char *word, struct UnitFile *u,
                              char ***warnings);

/* The same, opening the files relative to the search path directories the map holds open (one lookup
 * each, instead of a walk down the whole path): the same files as beneath m's root. */
int unit_map_load_mentioning(const UnitMap *m, const UnitInfo *info, const char *word, struct UnitFile *u,
                             char ***warnings);
