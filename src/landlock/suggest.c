/* SPDX-License-Identifier: LGPL-2.1-or-later */

#include <ctype.h>
#include <stdio.h>

#include "alloc-util.h"
#include "escape.h"
#include "landlock-abi.h"
#include "landlock-policy.h"
#include "strv.h"
#include "suggest.h"

#define FS_RO (LANDLOCK_ACCESS_FS_READ_FILE | LANDLOCK_ACCESS_FS_READ_DIR)
#define FS_MAKE_FILE (LANDLOCK_ACCESS_FS_MAKE_REG | LANDLOCK_ACCESS_FS_MAKE_SOCK | LANDLOCK_ACCESS_FS_MAKE_FIFO | \
                      LANDLOCK_ACCESS_FS_MAKE_SYM)
#define MAX_REASONS 6

/* Never granted as a whole, whatever the denials. */
static const char *const never_whole[] = { "/", "/etc", "/var" };
#define NO_WRITE_BENEATH "/usr"

void suggestion_done(Suggestion *s) {
        for (size_t i = 0; i < s->n_lines; i++) {
                free(s->lines[i].directive);
                free(s->lines[i].path);
                strv_free(s->lines[i].reasons);
        }
        free(s->lines);
        *s = (Suggestion) {};
}

static uint64_t fs_write_mask(void) {
        uint64_t all = landlock_abi_mask(LANDLOCK_KIND_FS, LANDLOCK_ABI_MAX);
        return all & ~(FS_RO | LANDLOCK_ACCESS_FS_EXECUTE | LANDLOCK_ACCESS_FS_IOCTL_DEV |
                       LANDLOCK_ACCESS_FS_RESOLVE_UNIX);
}

/* The smallest bundle holding "access", plus what no bundle holds (ioctl-dev, resolve-unix). */
static uint64_t bundle_round(uint64_t access) {
        uint64_t core = access & (FS_RO | fs_write_mask() | LANDLOCK_ACCESS_FS_EXECUTE), best = 0;

        for (size_t i = 0; i < landlock_n_bundles; i++) {
                uint64_t b = landlock_bundles[i].access;

                if ((core & ~b) == 0 && (best == 0 || __builtin_popcountll(b) < __builtin_popcountll(best)))
                        best = b;
        }
        return access | best;
}

/* "/a/b" begins with "/a" (component-wise); "/" begins everything. */
static bool path_beneath(const char *path, const char *dir) {
        size_t n = strlen(dir);

        if (streq(dir, "/"))
                return true;
        return strneq(path, dir, n) && (path[n] == '\0' || path[n] == '/');
}

static char *parent_dir(const char *path) {
        const char *slash = strrchr(path, '/');

        if (!slash || slash == path)
                return strdup("/");
        return strndup(path, slash - path);
}

static bool proc_pid_path(const char *path) {
        const char *p = startswith(path, "/proc/");
        size_t n;

        if (!p)
                return false;
        if (startswith(p, "self") || startswith(p, "thread-self"))
                return true;
        n = strspn(p, "0123456789");
        return n > 0 && (p[n] == '\0' || p[n] == '/');
}

/* The shallowest directory above "path" that is the service's own, or NULL. */
static char *own_dir(const SuggestContext *c, const char *path) {
        STRV_FOREACH(d, c->own_dirs)
                if (path_beneath(path, *d) && !streq(*d, "/"))
                        return strdup(*d);

        /* Walk the components: /var/lib/nginx/body → "var", "lib", "nginx" (a match), … */
        for (const char *p = path + 1; *p; ) {
                size_t n = strcspn(p, "/");
                bool last = p[n] == '\0';

                if (last)
                        break;  /* the file itself: "/run/nginx.pid" is no directory of nginx's */
                STRV_FOREACH(name, c->names)
                        if (strlen(*name) == n && strneq(p, *name, n))
                                return strndup(path, p + n - path);
                p += n + 1;
        }
        return NULL;
}

static int line_add_reason(SuggestLine *l, const char *reason) {
        if (!reason || strv_contains(l->reasons, reason))
                return 0;
        return strv_extend(&l->reasons, reason);
}

static SuggestLine *line_new(Suggestion *s) {
        SuggestLine *l;

        if (!GREEDY_REALLOC(s->lines, s->n_lines + 1))
                return NULL;
        l = s->lines + s->n_lines++;
        *l = (SuggestLine) {};
        return l;
}

static int add_note(Suggestion *s, const char *reason, const char *note) {
        SuggestLine *l;

        for (size_t i = 0; i < s->n_lines; i++)
                if (!s->lines[i].directive && s->lines[i].reasons && streq(s->lines[i].reasons[strv_length(s->lines[i].reasons) - 1], note))
                        return 0;
        l = line_new(s);
        if (!l)
                return -ENOMEM;
        if (line_add_reason(l, reason) < 0 || strv_extend(&l->reasons, note) < 0)
                return -ENOMEM;
        return 0;
}

static int add_directive(Suggestion *s, const char *directive, const char *reason) {
        SuggestLine *l;

        for (size_t i = 0; i < s->n_lines; i++)
                if (s->lines[i].directive && streq(s->lines[i].directive, directive))
                        return line_add_reason(s->lines + i, reason);
        l = line_new(s);
        if (!l)
                return -ENOMEM;
        l->directive = strdup(directive);
        if (!l->directive)
                return -ENOMEM;
        return line_add_reason(l, reason);
}

/* A path grant, merged with an earlier one on the same path; refused where never allowed. */
static int add_grant(Suggestion *s, const char *path, uint64_t access, bool optional, const char *reason,
                     const char *why) {
        SuggestLine *l = NULL;
        char *note = NULL;
        int k;

        for (size_t i = 0; i < ELEMENTSOF(never_whole); i++)
                if (streq(path, never_whole[i])) {
                        if (asprintf(&note, "not suggested: a grant on %s as a whole", path) < 0)
                                return -ENOMEM;
                        k = add_note(s, reason, note);
                        free(note);
                        return k;
                }
        /* A grant without the write would not answer the denial: none at all. */
        if (path_beneath(path, NO_WRITE_BENEATH) && (access & fs_write_mask())) {
                if (asprintf(&note, "not suggested: a write right beneath " NO_WRITE_BENEATH " (%s)", path) < 0)
                        return -ENOMEM;
                k = add_note(s, reason, note);
                free(note);
                return k;
        }

        for (size_t i = 0; i < s->n_lines; i++)
                if (s->lines[i].path && streq(s->lines[i].path, path))
                        l = s->lines + i;
        if (!l) {
                l = line_new(s);
                if (!l)
                        return -ENOMEM;
                l->path = strdup(path);
                if (!l->path)
                        return -ENOMEM;
                l->optional = optional;
        } else
                l->optional = l->optional && optional;
        l->access |= access;
        if (line_add_reason(l, reason) < 0)
                return -ENOMEM;
        if (why && !strv_contains(l->reasons, why) && strv_extend(&l->reasons, why) < 0)
                return -ENOMEM;
        return 0;
}

static SuggestLine *find_line(Suggestion *s, const char *path, const char *directive);

/* The smallest preset with a rule on "path" itself (or above it) that grants every right in "mask". */
static const char *preset_for(const SuggestContext *c, const char *path, uint64_t mask) {
        const char *best = NULL;
        size_t best_n = SIZE_MAX;

        for (size_t i = 0; i < c->n_presets; i++) {
                const LandlockPolicy *p = c->presets[i].policy;

                for (size_t k = 0; k < p->n_paths; k++)
                        if (path_beneath(path, p->paths[k].path) && !streq(p->paths[k].path, "/") &&
                            (mask & ~p->paths[k].access) == 0 && p->n_paths < best_n) {
                                best = c->presets[i].name;
                                best_n = p->n_paths;
                        }
        }
        return best;
}

static const char created_here[] =
        "files created here (a pid file?) are new inodes, which only a grant on the directory reaches: also "
        "reading, writing and removing them";

typedef struct SuggestState {
        bool proc_pid, proc_other;
} SuggestState;

static int suggest_fs_preset(Suggestion *s, const char *preset, const char *reason) {
        _cleanup_free_ char *directive = NULL, *why = NULL;
        int k;

        if (asprintf(&directive, "LandlockPreset=%s", preset) < 0 ||
            asprintf(&why, "the preset %s grants it, with what goes with it", preset) < 0)
                return -ENOMEM;
        k = add_directive(s, directive, reason);
        if (k < 0)
                return k;
        return line_add_reason(find_line(s, NULL, directive), why);
}

static int suggest_fs_own_dir(const SuggestContext *c, Suggestion *s, const char *own, uint64_t mask,
                              const char *reason) {
        _cleanup_free_ char *why = NULL;
        uint64_t access = mask;
        int k;

        if (mask & (FS_RO | fs_write_mask()))
                access |= FS_RO;
        if (strv_contains(c->writable_dirs, own)) {
                access |= landlock_bundle_from_name("rw")->access;
                k = asprintf(&why, "%s is the service's own directory, where the unit says it writes: rw", own);
        } else
                k = asprintf(&why, "%s is the service's own directory: the smallest bundle holding what was "
                             "denied in it", own);
        if (k < 0)
                return -ENOMEM;
        return add_grant(s, own, bundle_round(access), false, reason, why);
}

static int suggest_fs_missing(const SuggestContext *c, Suggestion *s, const LandlockAuditRecord *r,
                              const char *reason) {
        _cleanup_free_ char *parent = NULL;
        uint64_t mask = r->fs;
        SuggestLine *p;

        parent = parent_dir(r->path);
        if (!parent)
                return -ENOMEM;
        /* Gone because the service made it and removed it again (nginx -t and its pid file):
         * a new inode each time, reached only through its directory. */
        p = find_line(s, parent, NULL);
        if (p && (p->access & LANDLOCK_ACCESS_FS_MAKE_REG))
                return add_grant(s, parent, mask, false, reason, created_here);
        if (!r->deleted && (mask & ~landlock_fs_file_mask()) == 0 && !c->coarse)
                return add_grant(s, r->path, mask, true, reason,
                                 "gone by now: optional (\"-\"), covered whenever it exists as a command starts");
        return add_grant(s, parent, c->coarse ? bundle_round(mask) : mask, false, reason,
                         "the file was deleted (a temporary file?): granted on its directory");
}

static int suggest_fs_file(const SuggestContext *c, Suggestion *s, const char *path, uint64_t mask,
                           const char *reason) {
        if (c->coarse) {
                _cleanup_free_ char *parent = parent_dir(path);
                bool whole = false;

                if (!parent)
                        return -ENOMEM;
                for (size_t i = 0; i < ELEMENTSOF(never_whole); i++)
                        whole = whole || streq(parent, never_whole[i]);
                if (!whole)
                        return add_grant(s, parent, bundle_round(mask | (mask & fs_write_mask() ? FS_RO : 0)),
                                         false, reason, "--coarse: the file's directory");
        }
        return add_grant(s, path, mask & landlock_fs_file_mask(), false, reason, NULL);
}

static int suggest_fs_directory(const SuggestContext *c, Suggestion *s, const char *path, uint64_t mask,
                                const char *reason) {
        uint64_t access = mask;
        const char *w = NULL;

        if (mask & FS_MAKE_FILE) {
                access |= LANDLOCK_ACCESS_FS_REMOVE_FILE;
                if (mask & LANDLOCK_ACCESS_FS_MAKE_REG)
                        access |= LANDLOCK_ACCESS_FS_READ_FILE | LANDLOCK_ACCESS_FS_WRITE_FILE |
                                  LANDLOCK_ACCESS_FS_TRUNCATE;
                w = created_here;
        }
        if (mask & LANDLOCK_ACCESS_FS_MAKE_DIR)
                access |= LANDLOCK_ACCESS_FS_REMOVE_DIR;
        return add_grant(s, path, c->coarse ? bundle_round(access) : access, false, reason, w);
}

static int suggest_fs(const SuggestContext *c, Suggestion *s, SuggestState *st, const LandlockAuditRecord *r,
                      const char *reason) {
        _cleanup_free_ char *own = NULL;
        const char *path = r->path, *preset;
        uint64_t mask = r->fs;
        SuggestPathKind kind;

        if (!path || path[0] != '/')
                return add_note(s, reason, "not suggested: the kernel gave no absolute path");

        if (proc_pid_path(path)) {
                st->proc_pid = true;
                return add_grant(s, "/proc", FS_RO, false, reason,
                                 "/proc/PID changes at every start: /proc read-only, with the process directories "
                                 "of other users hidden (ProtectProc=invisible)");
        }
        if (path_beneath(path, "/proc"))
                st->proc_other = true;

        preset = preset_for(c, path, mask);
        if (preset)
                return suggest_fs_preset(s, preset, reason);

        own = own_dir(c, path);
        if (own)
                return suggest_fs_own_dir(c, s, own, mask, reason);

        kind = r->deleted ? SUGGEST_PATH_MISSING : c->path_kind(path, c->userdata);
        switch (kind) {
        case SUGGEST_PATH_MISSING:
                return suggest_fs_missing(c, s, r, reason);
        case SUGGEST_PATH_FILE:
                return suggest_fs_file(c, s, path, mask, reason);
        case SUGGEST_PATH_DIRECTORY:
                return suggest_fs_directory(c, s, path, mask, reason);
        }
        return 0;
}

static int suggest_net(Suggestion *s, const LandlockAuditRecord *r, const char *reason) {
        char directive[128];
        static const struct {
                uint64_t bit;
                const char *key, *proto;
        } table[] = {
                { LANDLOCK_ACCESS_NET_BIND_TCP,         "LandlockBindPorts",    "tcp" },
                { LANDLOCK_ACCESS_NET_CONNECT_TCP,      "LandlockConnectPorts", "tcp" },
                { LANDLOCK_ACCESS_NET_BIND_UDP,         "LandlockBindPorts",    "udp" },
                { LANDLOCK_ACCESS_NET_CONNECT_SEND_UDP, "LandlockConnectPorts", "udp" },
        };

        if (r->port < 0)
                return add_note(s, reason, "not suggested: the kernel gave no port");
        for (size_t i = 0; i < ELEMENTSOF(table); i++) {
                if (!(r->net & table[i].bit))
                        continue;
                snprintf(directive, sizeof directive, "%s=%s:%i", table[i].key, table[i].proto, r->port);
                int k = add_directive(s, directive, reason);
                if (k < 0)
                        return k;
        }
        return 0;
}

static int suggest_other(Suggestion *s, const LandlockAuditRecord *r, const char *reason) {
        if (r->scope & LANDLOCK_SCOPE_SIGNAL)
                return add_note(s, reason, "not suggestable: LandlockScope=signal forbids signalling processes outside "
                                "the service's domain and no rule makes an exception; remove \"signal\" from "
                                "LandlockScope= if the service must do this");
        if (r->scope & LANDLOCK_SCOPE_ABSTRACT_UNIX_SOCKET)
                return add_note(s, reason, "not suggestable: LandlockScope=abstract-unix-socket forbids connecting to "
                                "abstract sockets outside the domain; remove \"abstract-unix-socket\" from "
                                "LandlockScope= if the service needs this one");
        if (r->ptrace)
                return add_note(s, reason, "not suggestable: a Landlock domain may never trace a process outside it");
        if (r->change_topology)
                return add_note(s, reason, "not suggestable: a Landlock domain may never change the mount topology");
        return add_note(s, reason, "not suggestable: a blocker this program does not know");
}

/* The path as a word of a LandlockPaths= value: the PATH:ACCESS escapes, "%" doubled (specifiers), in
 * quotes when it has blanks or quotes. */
static char *escape_path(const char *path) {
        _cleanup_free_ char *e = path_colon_escape(path);
        bool quote = false;
        size_t n = 0;
        char *s, *p;

        if (!e)
                return NULL;
        for (const char *c = e; *c; c++) {
                n += *c == '%' ? 2 : 1;
                quote = quote || isspace((unsigned char) *c) || *c == '"' || *c == '\'';
        }
        s = p = malloc(n + 3);
        if (!s)
                return NULL;
        if (quote)
                *p++ = '"';
        for (const char *c = e; *c; c++) {
                if (*c == '%')
                        *p++ = '%';
                *p++ = *c;
        }
        if (quote)
                *p++ = '"';
        *p = '\0';
        return s;
}

/* A path grant whose rights an ancestor's grant already holds adds nothing: its reasons move there. */
static int fold_covered(Suggestion *s) {
        for (size_t i = 0; i < s->n_lines; i++) {
                SuggestLine *l = s->lines + i;

                if (!l->path)
                        continue;
                for (size_t k = 0; k < s->n_lines; k++) {
                        SuggestLine *a = s->lines + k;

                        if (k == i || !a->path || streq(a->path, l->path) || !path_beneath(l->path, a->path) ||
                            (l->access & ~a->access) != 0)
                                continue;
                        STRV_FOREACH(reason, l->reasons)
                                if (line_add_reason(a, *reason) < 0)
                                        return -ENOMEM;
                        l->access = 0;  /* dropped below */
                        break;
                }
        }
        return 0;
}

/* Header lines of suggestion_format(), not carried over. */
static bool header_comment(const char *line) {
        return startswith(line, "# Suggested by") || startswith(line, "# Above each directive") ||
                startswith(line, "# sized so") || startswith(line, "# Kept from");
}

static SuggestLine *find_line(Suggestion *s, const char *path, const char *directive) {
        for (size_t i = 0; i < s->n_lines; i++)
                if (path ? s->lines[i].path && streq(s->lines[i].path, path)
                         : s->lines[i].directive && streq(s->lines[i].directive, directive))
                        return s->lines + i;
        return NULL;
}

static int merge_earlier(Suggestion *s, const char *text) {
        _cleanup_strv_free_ char **lines = NULL, **comments = NULL;
        int k;

        k = strv_split(text, "\n", &lines);
        if (k < 0)
                return k;
        STRV_FOREACH(line, lines) {
                _cleanup_free_ char *path = NULL, *error = NULL;
                const char *v;

                if ((*line)[0] == '#') {
                        if (!header_comment(*line) && strv_extend(&comments, *line + strspn(*line, "# ")) < 0)
                                return -ENOMEM;
                        continue;
                }
                if ((*line)[0] == '[' || isempty(*line))
                        continue;

                v = startswith(*line, "LandlockPaths=");
                if (v) {
                        uint64_t access;
                        bool optional;

                        /* A line edited into something we cannot read is left to the unit's own checks. */
                        if (landlock_parse_path_spec(v, 0, &path, &access, NULL, &optional, &error) < 0) {
                                comments = strv_free(comments);
                                continue;
                        }
                        k = add_grant(s, path, access, optional, NULL, NULL);
                } else
                        k = add_directive(s, *line, NULL);
                if (k < 0)
                        return k;

                /* Its comments go with it (a grant refused by add_grant() has no line). */
                SuggestLine *l = find_line(s, path, *line);
                STRV_FOREACH(c, comments)
                        if (l && line_add_reason(l, *c) < 0)
                                return -ENOMEM;
                comments = strv_free(comments);
        }
        return 0;
}

static int cmp_line(const void *a, const void *b) {
        const SuggestLine *x = a, *y = b;

        if (!!x->path != !!y->path)
                return x->path ? -1 : 1;
        if (x->path)
                return strcmp(x->path, y->path);
        if (!!x->directive != !!y->directive)
                return x->directive ? -1 : 1;
        return x->directive ? strcmp(x->directive, y->directive) : 0;
}

int suggest_from_denials(const SuggestContext *c, const Denial *denials, size_t n, const char *earlier,
                         Suggestion *ret) {
        _cleanup_(suggestion_done) Suggestion s = {};
        SuggestState st = {};
        int k;

        assert(c);
        assert(ret);

        /* What an earlier run suggested first: the rules below look at it (a directory where the service
         * already may create files). */
        if (earlier) {
                k = merge_earlier(&s, earlier);
                if (k < 0)
                        return k;
        }

        /* Two passes: where files are created first, so that a file gone by now is known to be one the
         * service created (and removed) whatever the order of the denials. */
        for (size_t pass = 0; pass < 2; pass++)
        for (size_t i = 0; i < n; i++) {
                const Denial *d = denials + i;
                const LandlockAuditRecord *r = &d->record;
                _cleanup_free_ char *reason = NULL;

                if ((pass == 0) != ((r->fs & FS_MAKE_FILE) != 0))
                        continue;

                if (asprintf(&reason, "%s on %s (%u×, %s)", d->rights, d->object, d->count, strna(d->command)) < 0)
                        return -ENOMEM;
                s.n_denials += d->count;

                if (r->object == LANDLOCK_AUDIT_OBJECT_PATH && r->fs != 0 && !r->unknown_blocker)
                        k = suggest_fs(c, &s, &st, r, reason);
                else if (r->net != 0)
                        k = suggest_net(&s, r, reason);
                else
                        k = suggest_other(&s, r, reason);
                if (k < 0)
                        return k;
        }

        if (st.proc_pid) {
                k = add_directive(&s, "ProtectProc=invisible", "/proc/PID paths were denied: other users' processes hidden");
                if (k >= 0 && !st.proc_other)
                        k = add_directive(&s, "ProcSubset=pid", "nothing of /proc but process directories was denied: "
                                          "the rest of /proc hidden");
                if (k < 0)
                        return k;
        }

        k = fold_covered(&s);
        if (k < 0)
                return k;

        /* The directive text of path grants, now that their rights are final. */
        size_t kept = 0;
        for (size_t i = 0; i < s.n_lines; i++) {
                SuggestLine *l = s.lines + i;

                if (l->path && l->access == 0) {
                        free(l->path);
                        free(l->directive);
                        strv_free(l->reasons);
                        continue;
                }
                if (l->path) {
                        _cleanup_free_ char *p = escape_path(l->path), *a = landlock_access_to_string(l->access);
                        if (!p || !a || asprintf(&l->directive, "LandlockPaths=%s%s:%s", l->optional ? "-" : "", p, a) < 0)
                                return -ENOMEM;
                }
                s.lines[kept++] = *l;
        }
        s.n_lines = kept;
        qsort_safe(s.lines, s.n_lines, sizeof(SuggestLine), cmp_line);

        *ret = s;
        s = (Suggestion) {};
        return 0;
}

int suggest_service_names(const char *unit, char *const *commands, const char *user, char ***ret) {
        _cleanup_strv_free_ char **names = NULL;
        const char *dot = strrchr(unit, '.'), *at = strchr(unit, '@');
        size_t n = at ? (size_t) (at - unit) : dot ? (size_t) (dot - unit) : strlen(unit);
        _cleanup_free_ char *stem = strndup(unit, n);

        if (!stem || strv_extend(&names, stem) < 0)
                return -ENOMEM;
        /* "redis-server" → also "redis"; "postgresql@15-main" → "postgresql". */
        size_t dash = strcspn(stem, "-");
        if (stem[dash] == '-' && dash >= 3) {
                _cleanup_free_ char *head = strndup(stem, dash);
                if (!head || strv_extend(&names, head) < 0)
                        return -ENOMEM;
        }
        STRV_FOREACH(c, commands) {
                const char *base = strrchr(*c, '/');
                base = base ? base + 1 : *c;
                if (strlen(base) >= 3 && !strv_contains(names, base) && strv_extend(&names, base) < 0)
                        return -ENOMEM;
        }
        if (user && strlen(user) >= 3 && !streq(user, "root") && !strv_contains(names, user) &&
            strv_extend(&names, user) < 0)
                return -ENOMEM;

        *ret = TAKE_PTR(names);
        return 0;
}

char *suggestion_format(const Suggestion *s, const char *unit) {
        _cleanup_free_ char *text = NULL;
        size_t size = 0;
        FILE *f = open_memstream(&text, &size);

        if (!f)
                return NULL;

        fprintf(f, "# Suggested by \"systemd-landlock suggest %s\" from %u denial(s).\n"
                "# Above each directive: the denials it answers (rights on object, count, command), and why it is\n"
                "# sized so. Review it; systemd-landlock suggest --write installs it.\n"
                "[Service]\n", unit, s->n_denials);
        for (size_t i = 0; i < s->n_lines; i++) {
                const SuggestLine *l = s->lines + i;
                size_t n = strv_length(l->reasons), shown = 0;

                fputc('\n', f);
                STRV_FOREACH(reason, l->reasons) {
                        /* The last reason of a path grant may be its sizing note: always shown. */
                        if (shown >= MAX_REASONS && reason - l->reasons < (ptrdiff_t) n - 1)
                                continue;
                        fprintf(f, "# %s\n", *reason);
                        shown++;
                }
                if (shown < n)
                        fprintf(f, "# … and %zu more\n", n - shown);
                if (l->directive)
                        fprintf(f, "%s\n", l->directive);
        }
        if (fclose(f) != 0)
                return NULL;
        return TAKE_PTR(text);
}
