/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/* The policy model: what a unit asks for, independent of the running kernel, and its compilation to
 * what a given Landlock ABI can enforce. Pure logic: no system calls here. */

#include "landlock-abi.h"

typedef enum LandlockCompat {
        LANDLOCK_COMPAT_BEST_EFFORT,
        LANDLOCK_COMPAT_STRICT,
        _LANDLOCK_COMPAT_MAX,
        _LANDLOCK_COMPAT_INVALID = -EINVAL,
} LandlockCompat;

typedef enum LandlockProcessWide {
        LANDLOCK_PROCESS_WIDE_AUTO,
        LANDLOCK_PROCESS_WIDE_YES,
        LANDLOCK_PROCESS_WIDE_NO,
        _LANDLOCK_PROCESS_WIDE_MAX,
        _LANDLOCK_PROCESS_WIDE_INVALID = -EINVAL,
} LandlockProcessWide;

/* Named bundles; their contents are fixed sets of named rights, the same on every kernel, masked to
 * what the kernel has at compile time. */
typedef struct LandlockBundle {
        const char *name;
        uint64_t access;
        const char *description;
} LandlockBundle;

extern const LandlockBundle landlock_bundles[];
extern const size_t landlock_n_bundles;

/* The bundle of this name, or NULL. */
const LandlockBundle *landlock_bundle_from_name(const char *name) _pure_;
/* The largest bundle whose rights are all in "access" (unique: the bundles of equal size are equal), or
 * NULL. */
const LandlockBundle *landlock_bundle_largest_in(uint64_t access) _pure_;

typedef struct LandlockSource {
        char *file;                     /* may be NULL (e.g. command line) */
        unsigned line;
} LandlockSource;

typedef struct LandlockPathRule {
        char *path;                     /* absolute, unescaped; may contain systemd specifiers (%i) */
        uint64_t access;                /* LANDLOCK_ACCESS_FS_* bits requested (bundles expanded) */
        uint64_t named;                 /* the subset named one by one rather than through a bundle: strict
                                         * mode refuses a kernel that lacks one of these */
        bool optional;                  /* "-" prefix: skip when missing */
        LandlockSource source;
        int fd;                         /* 0: the rule is on "path", opened when the ruleset is built.
                                         * Else an open file (3 or above) the rule is added on as it is,
                                         * "path" only naming it: owned by the LandlockPolicy, borrowed by
                                         * the LandlockCompiled made from it */
} LandlockPathRule;

typedef struct LandlockPortRule {
        uint64_t access;                /* exactly one LANDLOCK_ACCESS_NET_* bit */
        uint16_t first, last;           /* inclusive range */
        LandlockSource source;
} LandlockPortRule;

typedef struct LandlockPolicy {
        LandlockPathRule *paths;
        size_t n_paths;
        LandlockPortRule *ports;
        size_t n_ports;

        bool handle_fs;                 /* some path directive was given: handle every fs right */
        uint64_t handled_net;           /* network rights named by port directives (incl. "none") */
        uint64_t scoped;                /* LANDLOCK_SCOPE_* */

        LandlockCompat compat;
        bool log;                       /* LandlockLog= */
        LandlockProcessWide process_wide;
        bool allow_command;             /* LandlockAllowCommand= */
        char **programs;                /* LandlockAllowPrograms=: "[-]PATH" each, granted like the command */
} LandlockPolicy;

#define LANDLOCK_POLICY_INIT                            \
        (LandlockPolicy) {                              \
                .compat = LANDLOCK_COMPAT_BEST_EFFORT,  \
                .log = true,                            \
                .process_wide = LANDLOCK_PROCESS_WIDE_AUTO, \
                .allow_command = true,                  \
        }

void landlock_policy_done(LandlockPolicy *p);   /* frees members, resets to LANDLOCK_POLICY_INIT */

/* A program a command execs or a module it loads (LandlockAllowPrograms=), absolute; "optional": skip it
 * when missing. Its files are granted as the command's are (exec-closure.h); handles the filesystem. */
int landlock_policy_add_program(LandlockPolicy *p, const char *path, bool optional);
bool landlock_policy_is_empty(const LandlockPolicy *p);  /* handles nothing at all */

/* Both copy their arguments. add_path() also sets p->handle_fs (a path rule means the filesystem is
 * handled) and keeps only the named bits that are in "access"; add_port() also adds "access" to
 * p->handled_net, and keeps "none" entries (first > last) so that they can be printed back. */
int landlock_policy_add_path(LandlockPolicy *p, const char *path, uint64_t access, uint64_t named,
                             bool optional, const LandlockSource *source);
int landlock_policy_add_port(LandlockPolicy *p, uint64_t access, uint16_t first, uint16_t last,
                             const LandlockSource *source);
/* A rule on the file open at "fd" (3 or above), which "p" then owns, even on failure; "name" (copied) is
 * how messages call it. For files the enforcer has just found and opened itself, as exec or ld.so will
 * find them (the command's own files): nothing is resolved again. Sets p->handle_fs. */
int landlock_policy_add_open_file(LandlockPolicy *p, int fd, const char *name, uint64_t access,
                                  const LandlockSource *source);

/* Value parsers shared by the unit-file directives, the enforcer's command line and the CLI. Each
 * returns 0 or -EINVAL/-ERANGE/-ENOMEM, and on failure may store a human-readable explanation in
 * *ret_error (caller frees), naming the offending token and what was expected. */

/* "ro", "read-file,read-dir", "rw,execute" → bits; *ret_named (may be NULL) gets the rights named one by
 * one, not through a bundle. */
int landlock_parse_access(const char *s, uint64_t *ret, uint64_t *ret_named, char **ret_error);
/* "[-]PATH[:ACCESS]" with "\:" and "\\" escapes in PATH; default_access is used when ACCESS is
 * omitted. PATH must be absolute (a leading systemd specifier such as "%S" or "%h" is accepted). */
int landlock_parse_path_spec(const char *s, uint64_t default_access, char **ret_path, uint64_t *ret_access,
                             uint64_t *ret_named, bool *ret_optional, char **ret_error);
/* "[tcp:|udp:]PORT[-PORT]" or "[tcp:|udp:]none"; bind selects bind (true) or connect (false) rights.
 * For "none" *ret_first > *ret_last (an empty range): the family is handled with no port allowed. */
int landlock_parse_port_spec(const char *s, bool bind, uint64_t *ret_access, uint16_t *ret_first,
                             uint16_t *ret_last, char **ret_error);
/* "abstract-unix-socket signal" (whitespace or comma separated) → LANDLOCK_SCOPE_* bits. */
int landlock_parse_scope(const char *s, uint64_t *ret, char **ret_error);

const char *landlock_compat_to_string(LandlockCompat c) _const_;
LandlockCompat landlock_compat_from_string(const char *s) _pure_;
const char *landlock_process_wide_to_string(LandlockProcessWide w) _const_;
LandlockProcessWide landlock_process_wide_from_string(const char *s) _pure_;
int parse_boolean(const char *s) _pure_;       /* 1, 0, or -EINVAL (systemd's spellings) */

/* Shortest readable spelling of an access mask: a bundle name when it matches exactly, else the largest
 * bundle it contains plus extra rights, else the right names ("rw", "rw,make-char", "read-file"; note that
 * ro+execute is "rx"). 0 gives "". It parses back to the same mask with landlock_parse_access(). */
char *landlock_access_to_string(uint64_t access);

/* ---- Compilation for one ABI ---- */

typedef enum LandlockDropKind {
        LANDLOCK_DROP_FS_HANDLED,       /* fs rights the ABI cannot handle at all */
        LANDLOCK_DROP_FS_RULE,          /* a grant on one path narrowed (e.g. refer on ABI 1) */
        LANDLOCK_DROP_NET,              /* network rights the ABI lacks: those ports are not restricted */
        LANDLOCK_DROP_SCOPE,
        LANDLOCK_DROP_LOG,              /* audit logging flags (ABI 7) */
        LANDLOCK_DROP_ALL,              /* no Landlock at all: nothing enforced */
        _LANDLOCK_DROP_KIND_MAX,
} LandlockDropKind;

typedef struct LandlockDrop {
        LandlockDropKind kind;
        uint64_t bits;                  /* the rights/scopes/flags concerned, in the kind's bit space */
        unsigned abi_needed;            /* the first ABI that would enforce it */
        bool weakens;                   /* true: less confinement than asked; false: only a narrower grant
                                         * or lost logging */
        char *message;                  /* "resolve-unix (ABI 9, Linux 7.1) is not handled: …" */
} LandlockDrop;

typedef struct LandlockCompiled {
        unsigned abi;                   /* the ABI compiled for; 0 = no Landlock */
        uint32_t errata;

        uint64_t handled_fs, handled_net, scoped;
        uint32_t restrict_flags;        /* log flags; TSYNC/NO_NEW_PRIVS are added by the restrict layer */

        LandlockPathRule *paths;        /* access masked to handled_fs; rules left with nothing are dropped */
        size_t n_paths;
        LandlockPortRule *ports;        /* only for handled network rights; "none" entries removed */
        size_t n_ports;

        LandlockDrop *drops;
        size_t n_drops;

        LandlockCompat compat;
        LandlockProcessWide process_wide;
        bool allow_command;
        bool list_mounts;               /* not compiled: set by the caller to read the mount table with
                                         * listmount(2) and statmount(2) where no seccomp filter is in
                                         * effect (see landlock-resolve.h) */
} LandlockCompiled;

void landlock_compiled_done(LandlockCompiled *c);

/* Compiles "p" for "abi" (0 = Landlock unavailable) with "errata". Best effort: always succeeds (short of
 * OOM) and lists in c->drops what was not enforced. Strict: if anything that weakens confinement would be
 * dropped, returns -EOPNOTSUPP and stores in *ret_error a message naming each missing feature and the ABI
 * it needs; "c" is still filled so callers can show the drops.
 *
 * What strict counts as weakening: no Landlock at all; a right named one by one in a path rule (not via a
 * bundle) that the ABI lacks; port rules of a family the ABI cannot handle (TCP < 4, UDP < 10); a scope
 * the ABI lacks. Filesystem rights are always handled as far as the kernel knows them; the rights it
 * does not know are listed as drops (weakens = true) but do not make strict refuse, otherwise strict
 * could only ever run on the newest kernel. Lost audit logging and the REFER grant on ABI 1 (which the
 * kernel always denies there) are drops with weakens = false. */
int landlock_policy_compile(const LandlockPolicy *p, unsigned abi, uint32_t errata, LandlockCompiled *c,
                            char **ret_error);
