/* SPDX-License-Identifier: LGPL-2.1-or-later */

#include <assert.h>
#include <fcntl.h>
#include <stdarg.h>
#include <string.h>
#include <sys/stat.h>

#include "alloc-util.h"
#include "error-message.h"
#include "fileio.h"
#include "landlock-resolve.h"
#include "landlock-ruleset.h"

void landlock_ruleset_report_done(LandlockRulesetReport *r) {
        if (!r)
                return;
        for (size_t i = 0; i < r->n_skipped; i++) {
                free(r->skipped[i].path);
                free(r->skipped[i].message);
        }
        free(r->skipped);
        *r = (LandlockRulesetReport) {};
}

/* Takes "message" (may be NULL), also on failure. */
static int report_skip(LandlockRulesetReport *report, const char *path, int error, uint64_t access, char *message) {
        _cleanup_free_ char *m = message, *copy = NULL;

        if (!report)
                return 0;
        copy = strdup(path);
        if (!copy)
                return -ENOMEM;
        if (!GREEDY_REALLOC(report->skipped, report->n_skipped + 1))
                return -ENOMEM;
        report->skipped[report->n_skipped++] = (LandlockSkippedPath) {
                .path = TAKE_PTR(copy),
                .error = error,
                .access = access,
                .message = TAKE_PTR(m),
        };
        return 0;
}

/* ENOENT: nothing there; ENOTDIR: a component of the path is a file. Both mean "missing". */
static bool errno_is_missing(int r) {
        return r == -ENOENT || r == -ENOTDIR;
}

static int ruleset_add_path(int ruleset_fd, LandlockResolver *resolver, const LandlockPathRule *rule,
                            LandlockRulesetReport *report, char **ret_error) {
        _cleanup_free_ char *why = NULL;
        struct landlock_path_beneath_attr attr;
        struct stat st = {};
        uint64_t access = rule->access;
        bool file;
        int error, fd;

        /* A file already open (the command's own, found as exec and ld.so find them), or else opened so
         * that the service cannot have redirected it (landlock-resolve.h; the resolver keeps the fd); the
         * rule is added with this very descriptor. */
        fd = rule->fd > 0 ? rule->fd : landlock_resolver_open(resolver, rule, &st, &why);
        if (fd < 0) {
                int r = fd;

                if (r == -ENOMEM)
                        return r;
                if (rule->optional && errno_is_missing(r))
                        return report_skip(report, rule->path, r, rule->access, NULL);
                if (errno_is_missing(r))
                        return set_error(ret_error, -ENOENT,
                                         "required path %s does not exist (prefix it with '-' to make it optional)",
                                         rule->path);
                /* Fewer grants is safe: an optional rule the service could have redirected is left out. */
                if (rule->optional && r == -ELOOP) {
                        char *m;

                        if (asprintf(&m, "Skipping optional path %s: %s.", rule->path, strna(why)) < 0)
                                return -ENOMEM;
                        return report_skip(report, rule->path, r, rule->access, m);
                }
                if (r == -ELOOP)
                        return set_error(ret_error, r, "refusing the required path %s: %s", rule->path, strna(why));
                if (why && strstr(why, rule->path))     /* it names the path already */
                        return set_error(ret_error, r, "%s", why);
                if (why)
                        return set_error(ret_error, r, "cannot open %s: %s", rule->path, why);
                return set_error(ret_error, r, "cannot open %s: %m", rule->path);
        }

        /* The kernel refuses directory-only rights on a non-directory (EINVAL): keep what a file can take.
         * Most rules are on directories: when the resolver did not stat the path, the rule is tried as it
         * is, and the path stat'ed only if the kernel refuses it. */
        for (;;) {
                file = st.st_mode != 0 && !S_ISDIR(st.st_mode);
                if (file) {
                        access &= landlock_fs_file_mask();
                        if (access == 0)
                                return report_skip(report, rule->path, 0, rule->access, NULL);
                }

                attr = (struct landlock_path_beneath_attr) {
                        .allowed_access = access,
                        .parent_fd = fd,
                };
                if (landlock_add_rule(ruleset_fd, LANDLOCK_RULE_PATH_BENEATH, &attr, 0) >= 0)
                        break;
                error = negative_errno();
                if (error == -EINVAL && st.st_mode == 0 && (access & ~landlock_fs_file_mask())) {
                        int k = fd_stat(fd, &st);

                        if (k < 0)
                                return set_error(ret_error, k, "cannot stat %s: %m", rule->path);
                        if (!S_ISDIR(st.st_mode))
                                continue;
                }

                _cleanup_free_ char *a = landlock_mask_to_string(LANDLOCK_KIND_FS, access);
                return set_error(ret_error, error, "cannot add the rule for %s (%s): %m", rule->path, strna(a));
        }

        if (report) {
                report->n_path_rules++;
                report->n_file_rules += file;
        }
        return 0;
}

static int ruleset_add_ports(int ruleset_fd, const LandlockPortRule *rule, LandlockRulesetReport *report,
                             char **ret_error) {
        /* The kernel takes one port per rule: a range becomes as many rules. */
        for (unsigned port = rule->first; port <= rule->last; port++) {
                struct landlock_net_port_attr attr = {
                        .allowed_access = rule->access,
                        .port = port,
                };

                if (landlock_add_rule(ruleset_fd, LANDLOCK_RULE_NET_PORT, &attr, 0) < 0) {
                        _cleanup_free_ char *a = landlock_mask_to_string(LANDLOCK_KIND_NET, rule->access);

                        return set_error(ret_error, negative_errno(), "cannot add the rule for port %u (%s): %m",
                                         port, strna(a));
                }
                if (report)
                        report->n_port_rules++;
        }
        return 0;
}

int landlock_ruleset_build(const LandlockCompiled *c, int *ret_fd, LandlockRulesetReport *report, char **ret_error) {
        _cleanup_(landlock_resolver_done) LandlockResolver resolver = LANDLOCK_RESOLVER_INIT;
        _cleanup_close_ int fd = -EBADF;
        struct landlock_ruleset_attr attr;
        int r;

        assert(c);
        assert(ret_fd);

        if (c->abi == 0)
                return set_error(ret_error, -EOPNOTSUPP, "Landlock is not available on this kernel");

        attr = (struct landlock_ruleset_attr) {
                .handled_access_fs = c->handled_fs,
                .handled_access_net = c->handled_net,
                .scoped = c->scoped,
        };
        fd = landlock_create_ruleset(&attr, landlock_ruleset_attr_size(c->abi), 0);
        if (fd < 0) {
                _cleanup_free_ char *fs = landlock_mask_to_string(LANDLOCK_KIND_FS, c->handled_fs),
                                    *net = landlock_mask_to_string(LANDLOCK_KIND_NET, c->handled_net),
                                    *scope = landlock_mask_to_string(LANDLOCK_KIND_SCOPE, c->scoped);

                return set_error(ret_error, negative_errno(),
                                 "cannot create the Landlock ruleset (ABI %u; fs: %s; net: %s; scopes: %s): %m",
                                 c->abi, strna(fs), strna(net), strna(scope));
        }

        if (c->n_paths > 0) {
                r = landlock_resolver_init(&resolver, c, ret_error);
                if (r < 0)
                        return r;
        }
        for (size_t i = 0; i < c->n_paths; i++) {
                r = ruleset_add_path(fd, &resolver, c->paths + i, report, ret_error);
                if (r < 0)
                        return r;
        }
        for (size_t i = 0; i < c->n_ports; i++) {
                r = ruleset_add_ports(fd, c->ports + i, report, ret_error);
                if (r < 0)
                        return r;
        }

        *ret_fd = TAKE_FD(fd);
        return 0;
}
