/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/* From a unit's denials to directives that answer them: the sizing rules of "suggest". Pure logic: what
 * the file system looks like comes in through a callback, so the rules are tested without one.
 *
 * The rules, narrowest first:
 *  - a path beneath a directory of the service's own (named after the unit, its commands or its User=,
 *    or named by the unit's *Directory=/ReadWritePaths=/ReadOnlyPaths=) → that directory, with the
 *    smallest bundle holding the rights denied beneath it (ro, rx, rw, rwx); "rw" at least where the unit
 *    itself says the service writes (ReadWritePaths=, RuntimeDirectory=, StateDirectory=, …);
 *  - /proc/PID/… (the pid changes at every start) → /proc, read-only, with ProtectProc=invisible and,
 *    when nothing outside the pid directories was denied, ProcSubset=pid;
 *  - a path a shipped preset grants with the rights denied (nameservice: passwd, group, nsswitch.conf and
 *    the NSS modules; tls: openssl.cnf and the certificates) → LandlockPreset=NAME, the smallest such;
 *  - a file → that file, with exactly the rights denied; a file gone by now → the same, optional ("-"):
 *    it is covered whenever it exists as a command starts (a pid file read by ExecStop=); a file the
 *    kernel saw deleted (a temporary file) → its directory;
 *  - creating files in a shared directory (a pid file in /run) → that directory, with the right to create
 *    and also to write and remove what is created there: Landlock rules follow inodes, so a file created
 *    anew can only be written through a grant on its directory;
 *  - ports → LandlockBindPorts=/LandlockConnectPorts=; signal and abstract-socket scopes, ptrace and
 *    mount-topology denials cannot be granted by a rule: a comment says so.
 * --coarse: files get their directory, rights their bundle. Never, even coarse: a grant on /, /etc or /var
 * as a whole, or a write right beneath /usr (those become comments). */

#include "denials.h"

typedef enum SuggestPathKind {
        SUGGEST_PATH_MISSING,
        SUGGEST_PATH_FILE,              /* anything but a directory */
        SUGGEST_PATH_DIRECTORY,
} SuggestPathKind;

/* A preset as suggest sees it: its name and the policy it expands to. */
typedef struct SuggestPreset {
        const char *name;
        const LandlockPolicy *policy;
} SuggestPreset;

typedef struct SuggestContext {
        char **names;                   /* what the service's own directories are called */
        char **own_dirs;                /* directories the unit names itself */
        char **writable_dirs;           /* … of them, those the unit says the service writes (ReadWritePaths=,
                                         * StateDirectory=, …): "rw" whatever was denied there */
        const SuggestPreset *presets;   /* LandlockPreset= that may answer a denial, the smallest first */
        size_t n_presets;
        bool coarse;
        SuggestPathKind (*path_kind)(const char *path, void *userdata);
        void *userdata;
} SuggestContext;

typedef struct SuggestLine {
        char *directive;                /* "LandlockPaths=/etc/nginx:ro"; NULL: a comment only */
        char *path;                     /* path grants: merged by path */
        uint64_t access;
        bool optional;                  /* "-": the file may not exist when a command starts */
        char **reasons;                 /* comment lines above it */
} SuggestLine;

typedef struct Suggestion {
        SuggestLine *lines;
        size_t n_lines;
        unsigned n_denials;             /* the denials answered */
} Suggestion;

void suggestion_done(Suggestion *s);

/* The service's names: "nginx.service" → nginx; "redis-server.service" → redis-server, redis; plus the
 * base names of the commands and "user". */
int suggest_service_names(const char *unit, char *const *commands, const char *user, char ***ret);

/* "earlier": the drop-in an earlier run wrote (NULL: none); its directives are kept and merged, so that
 * the loop only ever adds grants, even when their denials have left the journal. */
int suggest_from_denials(const SuggestContext *c, const Denial *denials, size_t n, const char *earlier,
                         Suggestion *ret);

/* The drop-in text: a header, "[Service]", each line with its comments. */
char *suggestion_format(const Suggestion *s, const char *unit);
