/* SPDX-License-Identifier: LGPL-2.1-or-later */

#include <assert.h>
#include <stdarg.h>

#include "error-message.h"
#include "escape.h"
#include "landlock-args.h"
#include "strv.h"

/* Which option word and protocol prefix carry each network right. The rights themselves (names, bits,
 * ABI) come from the ABI table; this only says how they are spelled on the command line. */
static const struct {
        uint64_t access;
        const char *option;
        const char *protocol;
} port_words[] = {
        { LANDLOCK_ACCESS_NET_BIND_TCP,         "--bind=",    "tcp" },
        { LANDLOCK_ACCESS_NET_CONNECT_TCP,      "--connect=", "tcp" },
        { LANDLOCK_ACCESS_NET_BIND_UDP,         "--bind=",    "udp" },
        { LANDLOCK_ACCESS_NET_CONNECT_SEND_UDP, "--connect=", "udp" },
};

void landlock_exec_options_done(LandlockExecOptions *o) {
        assert(o);

        landlock_policy_done(&o->policy);
        free(o->unit);
        free(o->search_path);
        free(o->error);
        strv_free(o->command);
        *o = (LandlockExecOptions) { .policy = LANDLOCK_POLICY_INIT };
}

/* The ACCESS part of --path=. Rights named one by one must stay named one by one (strict mode refuses a
 * kernel lacking one of those, but not one lacking a right that only came with a bundle), so with named
 * rights the spelling is "BUNDLE,NAMED…"; rights beyond the bundle that are not named (a preset's) are
 * written "?RIGHT". Parsing it gives back exactly the same access and named masks. */
static char *access_spelling(uint64_t access, uint64_t named) {
        _cleanup_free_ char *names = NULL, *best_effort = NULL;
        _cleanup_strv_free_ char **words = NULL;
        const LandlockBundle *b;
        uint64_t rest;

        b = landlock_bundle_largest_in(access);
        rest = access & ~(b ? b->access : 0);
        if (named == 0 && rest == 0)
                return landlock_access_to_string(access);

        if (b && strv_extend(&words, b->name) < 0)
                return NULL;
        if ((rest | named) & named) {
                names = landlock_mask_to_string(LANDLOCK_KIND_FS, named);
                if (!names || strv_extend(&words, names) < 0)
                        return NULL;
        }
        for (uint64_t bit = 1; bit && bit <= (rest & ~named); bit <<= 1) {
                _cleanup_free_ char *name = NULL;

                if (!(rest & ~named & bit))
                        continue;
                name = landlock_mask_to_string(LANDLOCK_KIND_FS, bit);
                if (!name || strv_extendf(&words, "?%s", name) < 0)
                        return NULL;
        }
        return strv_join(words, ",");
}

/* The words being written, with their count: a policy of many rules must not take quadratic time. */
typedef struct Words {
        char **l;
        size_t n, allocated;
} Words;

static int words_addf(Words *w, const char *format, ...) _printf_(2, 3);
static int words_addf(Words *w, const char *format, ...) {
        va_list ap;
        char *s;
        int r;

        if (w->n + 2 > w->allocated) {
                size_t m = w->allocated ? w->allocated * 2 : 16;
                char **l = reallocarray(w->l, m, sizeof(char *));

                if (!l)
                        return -ENOMEM;
                w->l = l;
                w->allocated = m;
        }
        va_start(ap, format);
        r = vasprintf(&s, format, ap);
        va_end(ap);
        if (r < 0)
                return -ENOMEM;
        w->l[w->n++] = s;
        w->l[w->n] = NULL;
        return 0;
}

static int append_path_rule(Words *words, const LandlockPathRule *rule) {
        _cleanup_free_ char *escaped = NULL, *access = NULL;

        escaped = path_colon_escape(rule->path);
        access = access_spelling(rule->access, rule->named);
        if (!escaped || !access)
                return -ENOMEM;
        return words_addf(words, "--path=%s%s:%s", rule->optional ? "-" : "", escaped, access);
}

static int port_word_index(uint64_t access) {
        for (size_t i = 0; i < ELEMENTSOF(port_words); i++)
                if (port_words[i].access == access)
                        return (int) i;
        return -EINVAL;
}

static int append_port_rule(Words *words, const LandlockPortRule *rule) {
        int i = port_word_index(rule->access);

        if (i < 0)
                return i;
        if (rule->first > rule->last)
                return words_addf(words, "%s%s:none", port_words[i].option, port_words[i].protocol);
        if (rule->first == rule->last)
                return words_addf(words, "%s%s:%u", port_words[i].option, port_words[i].protocol,
                                  (unsigned) rule->first);
        return words_addf(words, "%s%s:%u-%u", port_words[i].option, port_words[i].protocol,
                          (unsigned) rule->first, (unsigned) rule->last);
}

static int policy_words(const LandlockPolicy *p, Words *words) {
        int r;

        for (size_t i = 0; i < p->n_paths; i++) {
                r = append_path_rule(words, p->paths + i);
                if (r < 0)
                        return r;
        }
        /* Handling the filesystem with no grant at all (every path rule was reset, or only the command
         * itself is allowed) has no --path= to carry it. */
        if (p->handle_fs && p->n_paths == 0) {
                r = words_addf(words, "--handle-fs");
                if (r < 0)
                        return r;
        }

        for (size_t i = 0; i < p->n_ports; i++) {
                r = append_port_rule(words, p->ports + i);
                if (r < 0)
                        return r;
        }
        /* A handled family without any rule: "none". */
        for (size_t i = 0; i < ELEMENTSOF(port_words); i++) {
                bool has_rule = false;

                if (!(p->handled_net & port_words[i].access))
                        continue;
                for (size_t j = 0; j < p->n_ports; j++)
                        if (p->ports[j].access == port_words[i].access)
                                has_rule = true;
                if (has_rule)
                        continue;
                r = words_addf(words, "%s%s:none", port_words[i].option, port_words[i].protocol);
                if (r < 0)
                        return r;
        }

        if (p->scoped != 0) {
                _cleanup_free_ char *scopes = landlock_mask_to_string(LANDLOCK_KIND_SCOPE, p->scoped);
                if (!scopes)
                        return -ENOMEM;
                r = words_addf(words, "--scope=%s", scopes);
                if (r < 0)
                        return r;
        }

        if (p->compat != LANDLOCK_COMPAT_BEST_EFFORT) {
                r = words_addf(words, "--compat=%s", landlock_compat_to_string(p->compat));
                if (r < 0)
                        return r;
        }
        if (!p->log) {
                r = words_addf(words, "--log=no");
                if (r < 0)
                        return r;
        }
        if (p->process_wide != LANDLOCK_PROCESS_WIDE_AUTO) {
                r = words_addf(words, "--process-wide=%s", landlock_process_wide_to_string(p->process_wide));
                if (r < 0)
                        return r;
        }
        if (!p->allow_command) {
                r = words_addf(words, "--allow-command=no");
                if (r < 0)
                        return r;
        }
        STRV_FOREACH(prog, p->programs) {
                r = words_addf(words, "--program=%s", *prog);
                if (r < 0)
                        return r;
        }
        return 0;
}

int landlock_args_from_policy(const LandlockPolicy *p, char ***words) {
        Words w = {};
        int r;

        assert(p);
        assert(words);

        r = policy_words(p, &w);
        if (r >= 0 && w.l)
                r = strv_extend_strv(words, w.l);
        strv_free(w.l);
        if (r < 0)
                return r;

        /* An empty policy still needs a list, so callers can tell it from OOM. */
        if (!*words) {
                *words = calloc(1, sizeof(char *));
                if (!*words)
                        return -ENOMEM;
        }
        return 0;
}

int landlock_policy_id(const LandlockPolicy *p, uint64_t *ret) {
        _cleanup_strv_free_ char **words = NULL;
        uint64_t h = UINT64_C(0xcbf29ce484222325);
        int r;

        assert(p);
        assert(ret);

        r = landlock_args_from_policy(p, &words);
        if (r < 0)
                return r;
        STRV_FOREACH(w, words)
                for (const char *c = *w;; c++) {
                        h = (h ^ (uint8_t) *c) * UINT64_C(0x100000001b3);
                        if (!*c)
                                break;
                }
        *ret = h;
        return 0;
}

/* ---- Parsing ---- */

/* Wraps a value parser's explanation with the argument it came from. */
static int value_error(char **ret_error, const char *arg, char *explanation) {
        int r;

        r = set_error(ret_error, -EINVAL, "Invalid argument '%s': %s", arg, explanation ?: "unexpected value");
        free(explanation);
        return r;
}

static int parse_path_arg(LandlockPolicy *p, const char *arg, const char *value, char **ret_error) {
        _cleanup_free_ char *path = NULL;
        char *explanation = NULL;
        uint64_t access, named;
        bool optional;
        int r;

        /* ACCESS is always written by landlock_args_from_policy(); LandlockPaths= defaults to "ro". */
        r = landlock_parse_path_spec(value, landlock_bundle_from_name("ro")->access, &path, &access, &named, &optional,
                                     &explanation);
        if (r == -ENOMEM)
                return r;
        if (r < 0)
                return value_error(ret_error, arg, explanation);

        r = landlock_policy_add_path(p, path, access, named, optional, &(LandlockSource) {});
        if (r < 0)
                return r;
        p->handle_fs = true;
        return 0;
}

static int parse_port_arg(LandlockPolicy *p, bool bind, const char *arg, const char *value, char **ret_error) {
        char *explanation = NULL;
        uint64_t access;
        uint16_t first, last;
        int r;

        r = landlock_parse_port_spec(value, bind, &access, &first, &last, &explanation);
        if (r == -ENOMEM)
                return r;
        if (r < 0)
                return value_error(ret_error, arg, explanation);

        r = landlock_policy_add_port(p, access, first, last, &(LandlockSource) {});
        if (r < 0)
                return r;
        p->handled_net |= access;
        return 0;
}

static int parse_bool_arg(bool *b, const char *arg, const char *value, char **ret_error) {
        int r = parse_boolean(value);

        if (r < 0)
                return set_error(ret_error, -EINVAL, "Invalid argument '%s': expected a boolean (yes/no)", arg);
        *b = r;
        return 0;
}

static int set_string(char **s, const char *value) {
        char *t = strdup(value);

        if (!t)
                return -ENOMEM;
        free(*s);
        *s = t;
        return 0;
}

static int parse_one(LandlockExecOptions *o, const char *arg, char **ret_error) {
        LandlockPolicy *p = &o->policy;
        const char *v;
        int r;

        if ((v = startswith(arg, "--path=")))
                return parse_path_arg(p, arg, v, ret_error);
        if (streq(arg, "--handle-fs")) {
                p->handle_fs = true;
                return 0;
        }
        if ((v = startswith(arg, "--bind=")))
                return parse_port_arg(p, true, arg, v, ret_error);
        if ((v = startswith(arg, "--connect=")))
                return parse_port_arg(p, false, arg, v, ret_error);
        if ((v = startswith(arg, "--scope="))) {
                char *explanation = NULL;
                uint64_t scoped;

                r = landlock_parse_scope(v, &scoped, &explanation);
                if (r == -ENOMEM)
                        return r;
                if (r < 0)
                        return value_error(ret_error, arg, explanation);
                p->scoped |= scoped;
                return 0;
        }
        if ((v = startswith(arg, "--compat="))) {
                LandlockCompat c = landlock_compat_from_string(v);
                if (c < 0)
                        return set_error(ret_error, -EINVAL, "Invalid argument '%s': expected best-effort or strict", arg);
                p->compat = c;
                return 0;
        }
        if ((v = startswith(arg, "--log=")))
                return parse_bool_arg(&p->log, arg, v, ret_error);
        if ((v = startswith(arg, "--process-wide="))) {
                LandlockProcessWide w = landlock_process_wide_from_string(v);
                if (w < 0)
                        return set_error(ret_error, -EINVAL, "Invalid argument '%s': expected auto, yes or no", arg);
                p->process_wide = w;
                return 0;
        }
        if ((v = startswith(arg, "--allow-command=")))
                return parse_bool_arg(&p->allow_command, arg, v, ret_error);
        if ((v = startswith(arg, "--program="))) {
                bool optional = v[0] == '-';

                if (v[optional] != '/')
                        return set_error(ret_error, -EINVAL, "Invalid argument '%s': expected [-]/PATH", arg);
                return landlock_policy_add_program(p, v + optional, optional);
        }

        if ((v = startswith(arg, "--unit=")))
                return set_string(&o->unit, v);
        if ((v = startswith(arg, "--search-path=")))
                return set_string(&o->search_path, v);
        if ((v = startswith(arg, "--error=")))
                return set_string(&o->error, v);
        if (streq(arg, "--separate-argv0")) {
                o->separate_argv0 = true;
                return 0;
        }
        if (streq(arg, "--condition")) {
                o->condition = true;
                return 0;
        }

        if (startswith(arg, "-"))
                return set_error(ret_error, -EINVAL, "Unknown option '%s'", arg);
        return set_error(ret_error, -EINVAL, "Unexpected argument '%s' before '--': the command must follow '--'", arg);
}

int landlock_args_parse(int argc, char *const argv[], LandlockExecOptions *ret, char **ret_error) {
        LandlockExecOptions o = { .policy = LANDLOCK_POLICY_INIT };
        int r, i;

        assert(argc >= 0);
        assert(argv);
        assert(ret);

        for (i = 1; i < argc; i++) {
                if (streq(argv[i], "--"))
                        break;

                r = parse_one(&o, argv[i], ret_error);
                if (r < 0) {
                        /* Keep --error=: it explains why the arguments may be odd. */
                        if (o.error && ret_error && !*ret_error)
                                *ret_error = TAKE_PTR(o.error);
                        landlock_exec_options_done(&o);
                        return r;
                }
        }

        if (i >= argc) {
                landlock_exec_options_done(&o);
                return set_error(ret_error, -EINVAL, "Missing '--' followed by the command to run");
        }
        if (i + 1 >= argc && !o.error) {
                landlock_exec_options_done(&o);
                return set_error(ret_error, -EINVAL, "No command after '--'");
        }

        for (int j = i + 1; j < argc; j++) {
                r = strv_extend(&o.command, argv[j]);
                if (r < 0) {
                        landlock_exec_options_done(&o);
                        return r;
                }
        }

        *ret = o;
        return 0;
}
