/* SPDX-License-Identifier: LGPL-2.1-or-later */

/* libFuzzer target: the enforcer's command line. The input is its words, one per line, followed by
 * "-- /bin/true" so that most inputs get as far as a policy.
 *
 * Invariant: the generator writes a policy with landlock_args_from_policy(), the enforcer reads it back
 * with landlock_args_parse(); whatever the enforcer accepted must survive that round trip unchanged
 * (same rules, rights, named rights, ports, scopes and options), and writing it again gives the same
 * words. A rejected command line must come with a message. */

#include "fuzz.h"
#include "landlock-args.h"
#include "strv.h"

#define EXEC_PATH "/usr/libexec/systemd-landlock-exec"

static void assert_policy_equal(const LandlockPolicy *a, const LandlockPolicy *b) {
        fuzz_assert(a->n_paths == b->n_paths, "%zu path rules became %zu", a->n_paths, b->n_paths);
        for (size_t i = 0; i < a->n_paths; i++) {
                const LandlockPathRule *x = a->paths + i, *y = b->paths + i;

                fuzz_assert(streq(x->path, y->path), "path \"%s\" became \"%s\"", x->path, y->path);
                fuzz_assert(x->access == y->access && x->named == y->named && x->optional == y->optional,
                            "%s: access 0x%llx named 0x%llx optional %d became 0x%llx 0x%llx %d", x->path,
                            (unsigned long long) x->access, (unsigned long long) x->named, x->optional,
                            (unsigned long long) y->access, (unsigned long long) y->named, y->optional);
        }
        fuzz_assert(a->n_ports == b->n_ports, "%zu port rules became %zu", a->n_ports, b->n_ports);
        for (size_t i = 0; i < a->n_ports; i++) {
                const LandlockPortRule *x = a->ports + i, *y = b->ports + i;

                fuzz_assert(x->access == y->access && x->first == y->first && x->last == y->last,
                            "port rule 0x%llx %u-%u became 0x%llx %u-%u", (unsigned long long) x->access,
                            x->first, x->last, (unsigned long long) y->access, y->first, y->last);
        }
        fuzz_assert(a->handle_fs == b->handle_fs, "handle_fs %d became %d", a->handle_fs, b->handle_fs);
        fuzz_assert(a->handled_net == b->handled_net, "handled_net 0x%llx became 0x%llx",
                    (unsigned long long) a->handled_net, (unsigned long long) b->handled_net);
        fuzz_assert(a->scoped == b->scoped, "scoped 0x%llx became 0x%llx", (unsigned long long) a->scoped,
                    (unsigned long long) b->scoped);
        fuzz_assert(a->compat == b->compat && a->log == b->log && a->process_wide == b->process_wide &&
                    a->allow_command == b->allow_command, "an option changed");
        fuzz_assert(strv_length(a->programs) == strv_length(b->programs), "%zu programs became %zu",
                    strv_length(a->programs), strv_length(b->programs));
        for (size_t i = 0; i < strv_length(a->programs); i++)
                fuzz_assert(streq(a->programs[i], b->programs[i]), "program \"%s\" became \"%s\"",
                            a->programs[i], b->programs[i]);
}

static void assert_words_equal(char **a, char **b) {
        size_t i;

        for (i = 0; a[i] && b[i]; i++)
                fuzz_assert(streq(a[i], b[i]), "word %zu: \"%s\" became \"%s\"", i, a[i], b[i]);
        fuzz_assert(!a[i] && !b[i], "%zu words became %zu", strv_length(a), strv_length(b));
}

/* Parses "words" as the generator would have written them, followed by "-- /bin/true". */
static int parse_words(char **words, LandlockExecOptions *o, char **error) {
        _cleanup_strv_free_ char **argv = NULL;

        if (strv_extend(&argv, EXEC_PATH) < 0 || strv_extend_strv(&argv, words) < 0 ||
            strv_extend(&argv, "--") < 0 || strv_extend(&argv, "/bin/true") < 0)
                abort();
        return landlock_args_parse((int) strv_length(argv), argv, o, error);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
        _cleanup_(landlock_exec_options_done) LandlockExecOptions first = { .policy = LANDLOCK_POLICY_INIT },
                                                                 second = { .policy = LANDLOCK_POLICY_INIT };
        _cleanup_strv_free_ char **input = NULL, **words = NULL, **again = NULL;
        _cleanup_free_ char *text = NULL, *error = NULL;
        int r;

        if (size > 4096)
                return 0;
        text = strndup((const char *) data, size);
        if (!text)
                return 0;
        /* Words, one per line; empty lines are empty words. */
        for (char *p = text, *e; ; p = e + 1) {
                e = strchrnul(p, '\n');
                if (strv_consume(&input, strndup(p, e - p)) < 0)
                        return 0;
                if (!*e)
                        break;
        }

        r = parse_words(input, &first, &error);
        if (r < 0) {
                fuzz_assert(r == -EINVAL || r == -ENOMEM, "landlock_args_parse() returned %d", r);
                fuzz_assert(r == -ENOMEM || error, "rejected without a message");
                return 0;
        }
        fuzz_assert(first.command, "accepted without a command");

        r = landlock_args_from_policy(&first.policy, &words);
        if (r == -ENOMEM)
                return 0;
        fuzz_assert(r >= 0, "landlock_args_from_policy() returned %d", r);

        free(error);
        error = NULL;
        r = parse_words(words, &second, &error);
        fuzz_assert(r >= 0, "the enforcer rejects what the generator wrote for an accepted policy: %s", strna(error));
        assert_policy_equal(&first.policy, &second.policy);

        r = landlock_args_from_policy(&second.policy, &again);
        fuzz_assert(r >= 0, "landlock_args_from_policy() returned %d", r);
        assert_words_equal(words, again);
        return 0;
}
