/* SPDX-License-Identifier: LGPL-2.1-or-later */

#include <assert.h>
#include <ctype.h>
#include <stdarg.h>

#include "alloc-util.h"
#include "error-message.h"
#include "escape.h"
#include "landlock-policy.h"
#include "strv.h"

#define FS_RO (LANDLOCK_ACCESS_FS_READ_FILE | LANDLOCK_ACCESS_FS_READ_DIR)
#define FS_RW (FS_RO |                                                                  \
               LANDLOCK_ACCESS_FS_WRITE_FILE | LANDLOCK_ACCESS_FS_TRUNCATE |            \
               LANDLOCK_ACCESS_FS_REMOVE_DIR | LANDLOCK_ACCESS_FS_REMOVE_FILE |         \
               LANDLOCK_ACCESS_FS_MAKE_DIR | LANDLOCK_ACCESS_FS_MAKE_REG |              \
               LANDLOCK_ACCESS_FS_MAKE_SOCK | LANDLOCK_ACCESS_FS_MAKE_FIFO |            \
               LANDLOCK_ACCESS_FS_MAKE_SYM | LANDLOCK_ACCESS_FS_REFER |                 \
               LANDLOCK_ACCESS_FS_IOCTL_DEV | LANDLOCK_ACCESS_FS_RESOLVE_UNIX)

/* Ordered from the largest to the smallest, so that landlock_access_to_string() finds the best fit
 * first. Device nodes (make-char, make-block) are in no bundle: they must be named. */
const LandlockBundle landlock_bundles[] = {
        { "rwx", FS_RW | LANDLOCK_ACCESS_FS_EXECUTE, "read, write and execute" },
        { "rw",  FS_RW,                              "read and write: create, remove, rename, truncate files" },
        { "rx",  FS_RO | LANDLOCK_ACCESS_FS_EXECUTE, "read and execute" },
        { "ro",  FS_RO,                              "read files and list directories" },
};
const size_t landlock_n_bundles = ELEMENTSOF(landlock_bundles);

const LandlockBundle *landlock_bundle_from_name(const char *name) {
        for (size_t i = 0; i < landlock_n_bundles; i++)
                if (streq(landlock_bundles[i].name, name))
                        return landlock_bundles + i;
        return NULL;
}

void landlock_policy_done(LandlockPolicy *p) {
        assert(p);

        for (size_t i = 0; i < p->n_paths; i++) {
                free(p->paths[i].path);
                free(p->paths[i].source.file);
                if (p->paths[i].fd > 0)
                        safe_close(p->paths[i].fd);
        }
        free(p->paths);
        for (size_t i = 0; i < p->n_ports; i++)
                free(p->ports[i].source.file);
        free(p->ports);
        strv_free(p->programs);
        *p = LANDLOCK_POLICY_INIT;
}

bool landlock_policy_is_empty(const LandlockPolicy *p) {
        assert(p);
        return !p->handle_fs && p->n_paths == 0 && p->handled_net == 0 && p->scoped == 0;
}

int landlock_policy_add_program(LandlockPolicy *p, const char *path, bool optional) {
        _cleanup_free_ char *item = NULL;

        assert(p);
        assert(path);

        if (asprintf(&item, "%s%s", optional ? "-" : "", path) < 0)
                return -ENOMEM;
        if (!strv_contains(p->programs, item) && strv_extend(&p->programs, item) < 0)
                return -ENOMEM;
        p->handle_fs = true;
        return 0;
}

static int source_copy(LandlockSource *dst, const LandlockSource *src) {
        *dst = (LandlockSource) {};
        if (!src)
                return 0;
        if (src->file) {
                dst->file = strdup(src->file);
                if (!dst->file)
                        return -ENOMEM;
        }
        dst->line = src->line;
        return 0;
}

int landlock_policy_add_path(LandlockPolicy *p, const char *path, uint64_t access, uint64_t named,
                             bool optional, const LandlockSource *source) {
        _cleanup_free_ char *copy = NULL;
        LandlockSource s;

        assert(p);
        assert(path);

        copy = strdup(path);
        if (!copy || source_copy(&s, source) < 0)
                return -ENOMEM;

        if (!GREEDY_REALLOC(p->paths, p->n_paths + 1)) {
                free(s.file);
                return -ENOMEM;
        }
        p->paths[p->n_paths++] = (LandlockPathRule) {
                .path = TAKE_PTR(copy),
                .access = access,
                .named = named & access,
                .optional = optional,
                .source = s,
        };
        p->handle_fs = true;
        return 0;
}

int landlock_policy_add_open_file(LandlockPolicy *p, int fd, const char *name, uint64_t access,
                                  const LandlockSource *source) {
        int r;

        assert(p);
        assert(fd >= 3);

        r = landlock_policy_add_path(p, name, access, 0, /* optional= */ false, source);
        if (r < 0) {
                safe_close(fd);
                return r;
        }
        p->paths[p->n_paths - 1].fd = fd;
        return 0;
}

int landlock_policy_add_port(LandlockPolicy *p, uint64_t access, uint16_t first, uint16_t last,
                             const LandlockSource *source) {
        LandlockSource s;

        assert(p);

        if (source_copy(&s, source) < 0)
                return -ENOMEM;
        if (!GREEDY_REALLOC(p->ports, p->n_ports + 1)) {
                free(s.file);
                return -ENOMEM;
        }
        p->ports[p->n_ports++] = (LandlockPortRule) {
                .access = access,
                .first = first,
                .last = last,
                .source = s,
        };
        p->handled_net |= access;
        return 0;
}

/* ---- Value parsers ---- */

static char *valid_access_names(void) {
        _cleanup_free_ char *rights = landlock_mask_to_string(LANDLOCK_KIND_FS, landlock_abi_mask(LANDLOCK_KIND_FS, LANDLOCK_ABI_MAX));
        char *s;

        if (!rights)
                return NULL;
        /* Bundles are listed smallest first here, which reads better. */
        if (asprintf(&s, "%s,%s,%s,%s,%s", landlock_bundles[3].name, landlock_bundles[2].name,
                     landlock_bundles[1].name, landlock_bundles[0].name, rights) < 0)
                return NULL;
        return s;
}

int landlock_parse_access(const char *s, uint64_t *ret, uint64_t *ret_named, char **ret_error) {
        uint64_t access = 0, named = 0;
        const char *p = s;

        assert(s);
        assert(ret);

        if (isempty(s))
                return set_error(ret_error, -EINVAL, "empty access list, expected bundles (ro, rx, rw, rwx) "
                                 "or rights separated by commas");

        for (;;) {
                size_t n = strcspn(p, ",");
                _cleanup_free_ char *word = strndup(p, n);
                const LandlockBundle *b;
                const LandlockRight *r;
                bool best_effort;

                if (!word)
                        return -ENOMEM;
                if (isempty(word))
                        return set_error(ret_error, -EINVAL, "empty element in access list \"%s\"", s);

                /* "?RIGHT": granted, but best effort like a bundle's rights (strict mode does not refuse a
                 * kernel that lacks it). Presets grant such rights, and --path= carries them so. */
                best_effort = word[0] == '?';
                b = best_effort ? NULL : landlock_bundle_from_name(word);
                r = b ? NULL : landlock_right_from_name(LANDLOCK_KIND_FS, word + best_effort);
                if (b)
                        access |= b->access;
                else if (r) {
                        access |= r->bit;
                        if (!best_effort)
                                named |= r->bit;
                } else {
                        _cleanup_free_ char *valid = valid_access_names();

                        return set_error(ret_error, -EINVAL, "unknown access right \"%s\" in \"%s\", expected one of: %s (a right may be "
                                         "written ?RIGHT: best effort even in strict mode)",
                                         word, s, strna(valid));
                }

                if (p[n] == '\0')
                        break;
                p += n + 1;
        }

        *ret = access;
        if (ret_named)
                *ret_named = named;
        return 0;
}

/* Specifiers that systemd expands to an absolute directory (systemd.unit(5)). */
static bool path_starts_with_dir_specifier(const char *path) {
        return path[0] == '%' && path[1] != '\0' && strchr("ShtCLETV", path[1]) &&
               (path[2] == '/' || path[2] == '\0');
}

static int path_check(const char *path, const char *spec, char **ret_error) {
        if (isempty(path))
                return set_error(ret_error, -EINVAL, "empty path in \"%s\"", spec);
        if (path[0] != '/' && !path_starts_with_dir_specifier(path))
                return set_error(ret_error, -EINVAL, "path \"%s\" is not absolute (expected /… or a directory "
                                 "specifier such as %%S, %%h, %%t, %%C, %%L, %%E, %%T, %%V)", path);

        for (const char *c = path; *c; ) {
                size_t n = strcspn(c, "/");

                if (n == 2 && strneq(c, "..", 2))
                        return set_error(ret_error, -EINVAL, "path \"%s\" contains a \"..\" component", path);
                c += n;
                c += strspn(c, "/");
        }
        return 0;
}

int landlock_parse_path_spec(const char *s, uint64_t default_access, char **ret_path, uint64_t *ret_access,
                             uint64_t *ret_named, bool *ret_optional, char **ret_error) {
        _cleanup_free_ char *path = NULL;
        const char *p = s, *access_s = NULL;
        uint64_t access = default_access, named = 0;
        bool optional = false;
        int r;

        assert(s);
        assert(ret_path);

        if (*p == '-') {
                optional = true;
                p++;
        }

        /* The first unescaped colon ends PATH. */
        r = path_colon_unescape(p, &path, &access_s);
        if (r < 0)
                return r;

        r = path_check(path, s, ret_error);
        if (r < 0)
                return r;

        if (access_s) {
                if (isempty(access_s))
                        return set_error(ret_error, -EINVAL, "empty access after \":\" in \"%s\"", s);
                r = landlock_parse_access(access_s, &access, &named, ret_error);
                if (r < 0)
                        return r;
        }

        *ret_path = TAKE_PTR(path);
        if (ret_access)
                *ret_access = access;
        if (ret_named)
                *ret_named = named;
        if (ret_optional)
                *ret_optional = optional;
        return 0;
}

static int parse_port(const char *s, size_t n, uint16_t *ret) {
        unsigned v = 0;

        if (n == 0 || n > 5)
                return -EINVAL;
        for (size_t i = 0; i < n; i++) {
                if (!isdigit((unsigned char) s[i]))
                        return -EINVAL;
                v = v * 10 + (unsigned) (s[i] - '0');
        }
        if (v > 65535)
                return -ERANGE;
        *ret = (uint16_t) v;
        return 0;
}

int landlock_parse_port_spec(const char *s, bool bind, uint64_t *ret_access, uint16_t *ret_first,
                             uint16_t *ret_last, char **ret_error) {
        const char *p, *dash;
        uint64_t access;
        uint16_t first, last;
        int r;

        assert(s);
        assert(ret_access);
        assert(ret_first);
        assert(ret_last);

        if ((p = startswith(s, "udp:")))
                access = bind ? LANDLOCK_ACCESS_NET_BIND_UDP : LANDLOCK_ACCESS_NET_CONNECT_SEND_UDP;
        else {
                p = startswith(s, "tcp:") ?: s;
                access = bind ? LANDLOCK_ACCESS_NET_BIND_TCP : LANDLOCK_ACCESS_NET_CONNECT_TCP;
        }

        if (streq(p, "none")) {
                *ret_access = access;
                *ret_first = 1;
                *ret_last = 0;
                return 0;
        }

        dash = strchr(p, '-');
        r = parse_port(p, dash ? (size_t) (dash - p) : strlen(p), &first);
        if (r >= 0) {
                if (dash)
                        r = parse_port(dash + 1, strlen(dash + 1), &last);
                else
                        last = first;
        }
        if (r == -ERANGE)
                return set_error(ret_error, -ERANGE, "port out of range in \"%s\", expected 0…65535", s);
        if (r < 0)
                return set_error(ret_error, -EINVAL, "invalid port specification \"%s\", expected "
                                 "[tcp:|udp:]PORT[-PORT] or [tcp:|udp:]none", s);
        if (first > last)
                return set_error(ret_error, -EINVAL, "invalid port range \"%s\": %u is greater than %u",
                                 s, first, last);

        *ret_access = access;
        *ret_first = first;
        *ret_last = last;
        return 0;
}

int landlock_parse_scope(const char *s, uint64_t *ret, char **ret_error) {
        uint64_t scoped = 0;
        const char *p = s;

        assert(s);
        assert(ret);

        for (;;) {
                const LandlockRight *r;
                size_t n;

                p += strspn(p, ", \t\n");
                if (*p == '\0')
                        break;
                n = strcspn(p, ", \t\n");

                _cleanup_free_ char *word = strndup(p, n);
                if (!word)
                        return -ENOMEM;
                r = landlock_right_from_name(LANDLOCK_KIND_SCOPE, word);
                if (!r) {
                        _cleanup_free_ char *valid = landlock_mask_to_string(LANDLOCK_KIND_SCOPE,
                                                                             landlock_abi_mask(LANDLOCK_KIND_SCOPE, LANDLOCK_ABI_MAX));
                        return set_error(ret_error, -EINVAL, "unknown scope \"%s\", expected one of: %s",
                                         word, strna(valid));
                }
                scoped |= r->bit;
                p += n;
        }

        if (scoped == 0)
                return set_error(ret_error, -EINVAL, "empty scope list, expected abstract-unix-socket and/or signal");
        *ret = scoped;
        return 0;
}

static const char *const compat_table[_LANDLOCK_COMPAT_MAX] = {
        [LANDLOCK_COMPAT_BEST_EFFORT] = "best-effort",
        [LANDLOCK_COMPAT_STRICT] = "strict",
};

const char *landlock_compat_to_string(LandlockCompat c) {
        return c >= 0 && c < _LANDLOCK_COMPAT_MAX ? compat_table[c] : NULL;
}

LandlockCompat landlock_compat_from_string(const char *s) {
        for (int i = 0; s && i < _LANDLOCK_COMPAT_MAX; i++)
                if (streq(compat_table[i], s))
                        return (LandlockCompat) i;
        return _LANDLOCK_COMPAT_INVALID;
}

static const char *const process_wide_table[_LANDLOCK_PROCESS_WIDE_MAX] = {
        [LANDLOCK_PROCESS_WIDE_AUTO] = "auto",
        [LANDLOCK_PROCESS_WIDE_YES] = "yes",
        [LANDLOCK_PROCESS_WIDE_NO] = "no",
};

const char *landlock_process_wide_to_string(LandlockProcessWide w) {
        return w >= 0 && w < _LANDLOCK_PROCESS_WIDE_MAX ? process_wide_table[w] : NULL;
}

LandlockProcessWide landlock_process_wide_from_string(const char *s) {
        int b;

        if (!s)
                return _LANDLOCK_PROCESS_WIDE_INVALID;
        if (streq(s, "auto"))
                return LANDLOCK_PROCESS_WIDE_AUTO;
        /* Like systemd's tristate settings: any boolean spelling works for yes/no. */
        b = parse_boolean(s);
        if (b < 0)
                return _LANDLOCK_PROCESS_WIDE_INVALID;
        return b ? LANDLOCK_PROCESS_WIDE_YES : LANDLOCK_PROCESS_WIDE_NO;
}

int parse_boolean(const char *s) {
        static const char *const yes[] = { "1", "yes", "y", "true", "t", "on" };
        static const char *const no[] = { "0", "no", "n", "false", "f", "off" };

        if (!s)
                return -EINVAL;
        for (size_t i = 0; i < ELEMENTSOF(yes); i++)
                if (strcasecmp(s, yes[i]) == 0)
                        return 1;
        for (size_t i = 0; i < ELEMENTSOF(no); i++)
                if (strcasecmp(s, no[i]) == 0)
                        return 0;
        return -EINVAL;
}

const LandlockBundle *landlock_bundle_largest_in(uint64_t access) {
        const LandlockBundle *best = NULL;

        /* "rw" and "rx" are not nested (neither contains the other): compare sizes, not table order. */
        for (size_t i = 0; i < landlock_n_bundles; i++) {
                const LandlockBundle *b = landlock_bundles + i;

                if ((access & b->access) != b->access)
                        continue;
                if (!best || __builtin_popcountll(b->access) > __builtin_popcountll(best->access))
                        best = b;
        }
        return best;
}

char *landlock_access_to_string(uint64_t access) {
        _cleanup_free_ char *extra = NULL;
        const LandlockBundle *best = NULL;
        char *s;

        best = landlock_bundle_largest_in(access);
        if (!best)
                return landlock_mask_to_string(LANDLOCK_KIND_FS, access);
        if (access == best->access)
                return strdup(best->name);

        extra = landlock_mask_to_string(LANDLOCK_KIND_FS, access & ~best->access);
        if (!extra || asprintf(&s, "%s,%s", best->name, extra) < 0)
                return NULL;
        return s;
}

/* ---- Compilation ---- */

void landlock_compiled_done(LandlockCompiled *c) {
        assert(c);

        for (size_t i = 0; i < c->n_paths; i++) {
                free(c->paths[i].path);
                free(c->paths[i].source.file);
        }
        free(c->paths);
        for (size_t i = 0; i < c->n_ports; i++)
                free(c->ports[i].source.file);
        free(c->ports);
        for (size_t i = 0; i < c->n_drops; i++)
                free(c->drops[i].message);
        free(c->drops);
        *c = (LandlockCompiled) {};
}

static int add_drop(LandlockCompiled *c, LandlockDropKind kind, uint64_t bits, unsigned abi_needed,
                    bool weakens, const char *format, ...) _printf_(6, 7);
static int add_drop(LandlockCompiled *c, LandlockDropKind kind, uint64_t bits, unsigned abi_needed,
                    bool weakens, const char *format, ...) {
        va_list ap;
        char *m;
        int r;

        va_start(ap, format);
        r = vasprintf(&m, format, ap);
        va_end(ap);
        if (r < 0)
                return -ENOMEM;

        if (!GREEDY_REALLOC(c->drops, c->n_drops + 1)) {
                free(m);
                return -ENOMEM;
        }
        c->drops[c->n_drops++] = (LandlockDrop) {
                .kind = kind,
                .bits = bits,
                .abi_needed = abi_needed,
                .weakens = weakens,
                .message = m,
        };
        return 0;
}

/* Appends "; msg" (or "msg") to *refusal: the list of reasons strict mode refuses. */
static int refusal_add(char **refusal, const char *msg) {
        char *s;

        if (asprintf(&s, "%s%s%s", *refusal ?: "", *refusal ? "; " : "", msg) < 0)
                return -ENOMEM;
        free(*refusal);
        *refusal = s;
        return 0;
}

/* The paths, comma-separated, of the rules that name "bit" one by one. */
static char *paths_naming(const LandlockPolicy *p, uint64_t bit) {
        char *s = NULL;

        for (size_t i = 0; i < p->n_paths; i++) {
                char *n;

                if (!(p->paths[i].named & bit))
                        continue;
                if (asprintf(&n, "%s%s%s", s ?: "", s ? ", " : "", p->paths[i].path) < 0) {
                        free(s);
                        return NULL;
                }
                free(s);
                s = n;
        }
        return s;
}

/* The rule on the same path to merge "rule" into. Not a rule on an open file: its path is only a name,
 * and a path rule must be resolved as path rules are. */
static LandlockPathRule *compiled_path_find(LandlockCompiled *c, const LandlockPathRule *rule) {
        if (rule->fd > 0)
                return NULL;
        for (size_t i = 0; i < c->n_paths; i++)
                if (c->paths[i].fd == 0 && streq(c->paths[i].path, rule->path))
                        return c->paths + i;
        return NULL;
}

/* The filesystem rights this ABI cannot handle: each is a drop (allowed everywhere), and a refusal in
 * strict mode when a path rule named it. */
static int compile_fs_missing(const LandlockPolicy *p, unsigned abi, LandlockCompiled *c, char **refusal) {
        uint64_t named = 0, missing;
        int r;

        missing = landlock_abi_mask(LANDLOCK_KIND_FS, LANDLOCK_ABI_MAX) & ~c->handled_fs;

        /* REFER on ABI 1: the kernel cannot handle it, and always denies it (landlock.rst, "Previous
         * limitations"; samples/landlock/sandboxer.c does the same). Not handling it is therefore stricter,
         * not weaker: the rest of the filesystem restriction stays, and only a refer grant is lost, which
         * the per-rule drops report. */
        if (abi == 1)
                missing &= ~LANDLOCK_ACCESS_FS_REFER;

        for (size_t i = 0; i < p->n_paths; i++)
                named |= p->paths[i].named;

        for (size_t i = 0; i < landlock_n_rights; i++) {
                const LandlockRight *right = landlock_rights + i;
                _cleanup_free_ char *m = NULL, *paths = NULL;

                if (right->kind != LANDLOCK_KIND_FS || !(missing & right->bit))
                        continue;

                if (named & right->bit) {
                        paths = paths_naming(p, right->bit);
                        if (!paths)
                                return -ENOMEM;
                }
                if (asprintf(&m, "%s (ABI %u, Linux %s) is not handled by Landlock ABI %u: it stays allowed everywhere%s%s%s",
                             right->name, right->abi, landlock_abi_linux_version(right->abi), abi,
                             paths ? " (named for " : "", paths ?: "", paths ? ")" : "") < 0)
                        return -ENOMEM;

                r = add_drop(c, LANDLOCK_DROP_FS_HANDLED, right->bit, right->abi, true, "%s", m);
                if (r < 0)
                        return r;
                if ((named & right->bit) && refusal_add(refusal, m) < 0)
                        return -ENOMEM;
        }
        return 0;
}

/* One path rule, masked to what the ABI handles: 1 when it is kept (appended, or merged into an earlier
 * rule of the same path), 0 when it is dropped. */
static int compile_path_rule(const LandlockPathRule *rule, unsigned abi, LandlockCompiled *c) {
        LandlockPathRule *out;
        int r;

        if (abi == 1 && (rule->access & LANDLOCK_ACCESS_FS_REFER)) {
                r = add_drop(c, LANDLOCK_DROP_FS_RULE, LANDLOCK_ACCESS_FS_REFER, 2, false,
                             "refer on %s is not granted: Landlock ABI 1 always denies it, renaming or "
                             "linking across directories fails with EXDEV (ABI 2, Linux %s, allows it)",
                             rule->path, landlock_abi_linux_version(2));
                if (r < 0)
                        return r;
        }

        if ((rule->access & c->handled_fs) == 0) {
                _cleanup_free_ char *a = landlock_access_to_string(rule->access);

                r = add_drop(c, LANDLOCK_DROP_FS_RULE, rule->access, 0, false,
                             "rule %s:%s is dropped: Landlock ABI %u handles none of these rights",
                             rule->path, strna(a), abi);
                return r < 0 ? r : 0;
        }

        /* The same path twice (a unit's grant and an implicit one, say) is one kernel rule with the rights of
         * both, required if either is: one open() and one landlock_add_rule() less. */
        out = compiled_path_find(c, rule);
        if (out) {
                out->access |= rule->access & c->handled_fs;
                out->named |= rule->named & c->handled_fs;
                out->optional = out->optional && rule->optional;
                return 1;
        }

        out = c->paths + c->n_paths;
        *out = (LandlockPathRule) {
                .path = strdup(rule->path),
                .access = rule->access & c->handled_fs,
                .named = rule->named & c->handled_fs,
                .optional = rule->optional,
                .fd = rule->fd,
        };
        if (!out->path || source_copy(&out->source, &rule->source) < 0) {
                free(out->path);
                return -ENOMEM;
        }
        c->n_paths++;
        return 1;
}

static int compile_fs(const LandlockPolicy *p, unsigned abi, LandlockCompiled *c, char **refusal) {
        int r;

        if (!p->handle_fs && p->n_paths == 0)
                return 0;

        c->handled_fs = landlock_abi_mask(LANDLOCK_KIND_FS, abi);
        r = compile_fs_missing(p, abi, c, refusal);
        if (r < 0)
                return r;

        c->paths = calloc(p->n_paths ?: 1, sizeof(LandlockPathRule));
        if (!c->paths)
                return -ENOMEM;
        for (size_t i = 0; i < p->n_paths; i++) {
                r = compile_path_rule(p->paths + i, abi, c);
                if (r < 0)
                        return r;
        }
        return 0;
}

static int compile_net(const LandlockPolicy *p, unsigned abi, LandlockCompiled *c, char **refusal) {
        uint64_t missing;
        int r;

        c->handled_net = p->handled_net & landlock_abi_mask(LANDLOCK_KIND_NET, abi);
        missing = p->handled_net & ~c->handled_net;

        for (size_t i = 0; i < landlock_n_rights; i++) {
                const LandlockRight *right = landlock_rights + i;
                _cleanup_free_ char *m = NULL;

                if (right->kind != LANDLOCK_KIND_NET || !(missing & right->bit))
                        continue;
                if (asprintf(&m, "%s (ABI %u, Linux %s) is not handled by Landlock ABI %u: those ports are not restricted",
                             right->name, right->abi, landlock_abi_linux_version(right->abi), abi) < 0)
                        return -ENOMEM;
                r = add_drop(c, LANDLOCK_DROP_NET, right->bit, right->abi, true, "%s", m);
                if (r < 0)
                        return r;
                if (refusal_add(refusal, m) < 0)
                        return -ENOMEM;
        }

        c->ports = calloc(p->n_ports ?: 1, sizeof(LandlockPortRule));
        if (!c->ports)
                return -ENOMEM;

        for (size_t i = 0; i < p->n_ports; i++) {
                const LandlockPortRule *rule = p->ports + i;
                LandlockPortRule *out;

                /* "none" (an empty range) handles the right without allowing any port. */
                if (!(rule->access & c->handled_net) || rule->first > rule->last)
                        continue;

                out = c->ports + c->n_ports;
                *out = (LandlockPortRule) {
                        .access = rule->access & c->handled_net,
                        .first = rule->first,
                        .last = rule->last,
                };
                if (source_copy(&out->source, &rule->source) < 0)
                        return -ENOMEM;
                c->n_ports++;
        }
        return 0;
}

static int compile_scope(const LandlockPolicy *p, unsigned abi, LandlockCompiled *c, char **refusal) {
        uint64_t missing;
        int r;

        c->scoped = p->scoped & landlock_abi_mask(LANDLOCK_KIND_SCOPE, abi);
        missing = p->scoped & ~c->scoped;

        for (size_t i = 0; i < landlock_n_rights; i++) {
                const LandlockRight *right = landlock_rights + i;
                _cleanup_free_ char *m = NULL;

                if (right->kind != LANDLOCK_KIND_SCOPE || !(missing & right->bit))
                        continue;
                if (asprintf(&m, "scope %s (ABI %u, Linux %s) is not supported by Landlock ABI %u: not confined",
                             right->name, right->abi, landlock_abi_linux_version(right->abi), abi) < 0)
                        return -ENOMEM;
                r = add_drop(c, LANDLOCK_DROP_SCOPE, right->bit, right->abi, true, "%s", m);
                if (r < 0)
                        return r;
                if (refusal_add(refusal, m) < 0)
                        return -ENOMEM;
        }
        return 0;
}

static int compile_log(const LandlockPolicy *p, unsigned abi, LandlockCompiled *c) {
        const LandlockRight *flag = landlock_right_from_name(LANDLOCK_KIND_RESTRICT_FLAG, "log-new-exec-on");

        assert(flag);

        if (abi >= flag->abi) {
                /* The enforcer execs the service: without LOG_NEW_EXEC_ON the kernel would only log denials
                 * of the enforcer itself. */
                c->restrict_flags = p->log ? LANDLOCK_RESTRICT_SELF_LOG_NEW_EXEC_ON
                                           : LANDLOCK_RESTRICT_SELF_LOG_SAME_EXEC_OFF;
                return 0;
        }

        /* Before ABI 7 Landlock does not audit at all: "no logging" is met, "logging" is lost. */
        if (!p->log)
                return 0;
        return add_drop(c, LANDLOCK_DROP_LOG, flag->bit, flag->abi, false,
                        "audit logging of denials needs Landlock ABI %u (Linux %s), this is ABI %u: denials are not logged",
                        flag->abi, landlock_abi_linux_version(flag->abi), abi);
}

static int compile(const LandlockPolicy *p, unsigned abi, LandlockCompiled *c, char **refusal) {
        int r;

        if (abi == 0) {
                r = add_drop(c, LANDLOCK_DROP_ALL, 0, 1, true,
                             "Landlock is not available: nothing is enforced (needs Landlock ABI 1, Linux %s)",
                             landlock_abi_linux_version(1));
                if (r < 0)
                        return r;
                return refusal_add(refusal, c->drops[0].message);
        }

        r = compile_fs(p, abi, c, refusal);
        if (r < 0)
                return r;
        r = compile_net(p, abi, c, refusal);
        if (r < 0)
                return r;
        r = compile_scope(p, abi, c, refusal);
        if (r < 0)
                return r;
        return compile_log(p, abi, c);
}

int landlock_policy_compile(const LandlockPolicy *p, unsigned abi, uint32_t errata, LandlockCompiled *c,
                            char **ret_error) {
        _cleanup_free_ char *refusal = NULL;
        int r;

        assert(p);
        assert(c);

        *c = (LandlockCompiled) {
                .abi = abi,
                .errata = errata,       /* for reporting only: landlock.rst advises against using errata to
                                         * change what is enforced */
                .compat = p->compat,
                .process_wide = p->process_wide,
                .allow_command = p->allow_command,
        };

        if (landlock_policy_is_empty(p))
                return 0;

        r = compile(p, abi, c, &refusal);
        if (r < 0) {
                landlock_compiled_done(c);
                return r;
        }

        if (p->compat == LANDLOCK_COMPAT_STRICT && refusal)
                return set_error(ret_error, -EOPNOTSUPP,
                                 "LandlockCompatibility=strict, but this kernel (Landlock ABI %u) cannot enforce: %s",
                                 abi, refusal);
        return 0;
}
