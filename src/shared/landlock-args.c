/* SPDX-License-Identifier: LGPL-2.1-or-later */

#include <assert.h>

#include "error-message.h"
#include "landlock-args.h"
#include "landlock-directives.h"
#include "strv.h"

void landlock_exec_options_done(LandlockExecOptions *o) {
        assert(o);

        landlock_policy_done(&o->policy);
        free(o->unit);
        free(o->search_path);
        free(o->error);
        strv_free(o->command);
        *o = (LandlockExecOptions) { .policy = LANDLOCK_POLICY_INIT };
}

int landlock_args_from_policy(const LandlockPolicy *p, char ***words) {
        _cleanup_(strv_builder_done) StrvBuilder w = {};
        int r;

        assert(p);
        assert(words);

        r = landlock_directives_format(p, &w);
        if (r >= 0 && w.l)
                r = strv_extend_strv(words, w.l);
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

#define POLICY_ID_INIT UINT64_C(0xcbf29ce484222325)

/* FNV-1a over one word and its terminating NUL. */
static uint64_t policy_id_add(uint64_t h, const char *word) {
        for (const char *c = word;; c++) {
                h = (h ^ (uint8_t) *c) * UINT64_C(0x100000001b3);
                if (!*c)
                        return h;
        }
}

/* ---- Parsing ---- */

/* Wraps a value parser's explanation with the argument it came from. */
static int value_error(char **ret_error, const char *arg, char *explanation) {
        int r;

        r = set_error(ret_error, -EINVAL, "Invalid argument '%s': %s", arg, explanation ?: "unexpected value");
        free(explanation);
        return r;
}

static int set_string(char **s, const char *value) {
        char *t = strdup(value);

        if (!t)
                return -ENOMEM;
        free(*s);
        *s = t;
        return 0;
}

/* The options that are not settings of the policy: about the command and the unit. --handle-fs is a
 * word of the policy (landlock_args_from_policy() writes it): it counts in the policy id. */
static int parse_command_option(LandlockExecOptions *o, const char *arg, char **ret_error) {
        const char *v;

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
        /* Written by the LandlockPaths= row's formatter when no --path= carries that the filesystem is
         * handled. */
        if (streq(arg, "--handle-fs")) {
                o->policy.handle_fs = true;
                o->policy_id = policy_id_add(o->policy_id, arg);
                return 0;
        }

        if (startswith(arg, "-"))
                return set_error(ret_error, -EINVAL, "Unknown option '%s'", arg);
        return set_error(ret_error, -EINVAL, "Unexpected argument '%s' before '--': the command must follow '--'", arg);
}

/* A setting: the directive's own parser, for one item, on a value whose specifiers systemd expanded. */
static int parse_one(LandlockExecOptions *o, const char *arg, char **ret_error) {
        char *explanation = NULL;
        const LandlockDirective *d;
        const char *v;
        int r;

        d = landlock_directive_from_option(arg, &v);
        if (!d)
                return parse_command_option(o, arg, ret_error);

        r = d->parse(d, v, &(LandlockSource) {}, LANDLOCK_PARSE_EXPANDED, &o->policy, &explanation);
        if (r == -ENOMEM) {
                free(explanation);
                return r;
        }
        if (r < 0)
                return value_error(ret_error, arg, explanation);
        o->policy_id = policy_id_add(o->policy_id, arg);
        return 0;
}

int landlock_args_parse(int argc, char *const argv[], LandlockExecOptions *ret, char **ret_error) {
        LandlockExecOptions o = { .policy = LANDLOCK_POLICY_INIT, .policy_id = POLICY_ID_INIT };
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
