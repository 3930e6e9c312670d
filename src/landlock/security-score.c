/* SPDX-License-Identifier: LGPL-2.1-or-later */

#include <assert.h>
#include <stdarg.h>

#include "security-score.h"
#include "strv.h"

/* Weights and ranges are documented in systemd-landlock(1); keep the two in sync. The weights use
 * systemd-analyze's scale (its heaviest items weigh 1500–2000). */
enum {
        ITEM_CONFIGURED,
        ITEM_FILESYSTEM,
        ITEM_WRITE_SYSTEM,
        ITEM_WRITE_EXEC,
        ITEM_EXEC,
        ITEM_BIND,
        ITEM_CONNECT,
        ITEM_SCOPE,
        ITEM_KERNEL,
        ITEM_COMPAT,
        ITEM_PRIVILEGED,
        ITEM_FAIL_OPEN,
        ITEM_LOG,
        ITEM_PROCESS_WIDE,
        ITEM_INTERPRETER,
        ITEM_PROC,
        _ITEM_MAX,
};

const SecurityItem security_items[_ITEM_MAX] = {
        [ITEM_CONFIGURED] = { "LandlockConfigured",   "Landlock*=",                 2000, 1,
                "1: no Landlock directive, or invalid ones" },
        [ITEM_FILESYSTEM] = { "LandlockFilesystem",   "LandlockPaths=",             1500, 1,
                "1: no path directive, so filesystem access is not handled" },
        [ITEM_WRITE_SYSTEM] = { "LandlockWriteSystem",  "LandlockPaths=/ /etc /usr /home", 1500, 4,
                "number of /, /etc, /usr, /home with a write right granted on them or a parent (a grant on / counts 4); 4 without path directives" },
        [ITEM_WRITE_EXEC] = { "LandlockWriteExec",    "LandlockPaths=…:write+exec", 1000, 1,
                "1: a path granted a write right (write-file, remove-*, make-*, refer, truncate) overlaps a path granted execute" },
        [ITEM_EXEC] = { "LandlockExec",         "LandlockExecPaths=",         1000, 2,
                "2: execute not handled; 1: execute granted on /usr or a parent" },
        [ITEM_BIND] = { "LandlockBind",         "LandlockBindPorts=",         1000, 2,
                "number of TCP and UDP not handled for bind (LandlockBindPorts=)" },
        [ITEM_CONNECT] = { "LandlockConnect",      "LandlockConnectPorts=",      1000, 2,
                "number of TCP and UDP not handled for connect (LandlockConnectPorts=)" },
        [ITEM_SCOPE] = { "LandlockScope",        "LandlockScope=",              500, 2,
                "number of the scopes abstract-unix-socket and signal not set" },
        [ITEM_KERNEL] = { "LandlockKernel",       "Landlock ABI",               1500, 2,
                "2: the kernel has no Landlock; 1: it does not enforce something requested (listed)" },
        [ITEM_COMPAT] = { "LandlockCompatibility", "LandlockCompatibility=",     100, 1,
                "1: best effort rather than strict" },
        [ITEM_PRIVILEGED] = { "LandlockPrivileged",   "ExecStart=+…",               1000, 1,
                "1: a command has the \"+\" prefix and runs without the enforcer" },
        [ITEM_FAIL_OPEN] = { "LandlockEnforced",     "ExecStart= (enforcer)",      2000, 1,
                "1 (online only): a command the manager runs does not go through systemd-landlock-exec although the unit has directives (the generator is not installed or no daemon-reload since), or its policy does not parse" },
        [ITEM_LOG] = { "LandlockLog",          "LandlockLog=",                100, 1,
                "1: LandlockLog=no" },
        [ITEM_PROCESS_WIDE] = { "LandlockProcessWide",  "LandlockProcessWide=",        300, 1,
                "1: LandlockProcessWide=no (threads started by preloaded libraries stay unrestricted)" },
        [ITEM_INTERPRETER] = { "LandlockInterpreter",  "LandlockExecPaths=/bin/sh …", 500, 1,
                "1: execute is granted on a shell or an interpreter (sh, bash, perl, python, \\&...: by a path rule on it or on a directory holding the shells, or by LandlockAllowPrograms=), and no command of the unit is one or runs through one; commands that cannot be looked at count as needing one" },
        [ITEM_PROC] = { "LandlockProc",         "LandlockPaths=/proc",         500, 1,
                "1: /proc as a whole is granted (a rule on / or /proc) without both ProtectProc=invisible (or noaccess, ptraceable) and ProcSubset=pid, so every process's entries can be read" },
};
const size_t security_n_items = _ITEM_MAX;

const char *const security_sensitive_paths[] = { "/", "/etc", "/usr", "/home", NULL };

uint64_t security_write_mask(void) {
        return LANDLOCK_ACCESS_FS_WRITE_FILE | LANDLOCK_ACCESS_FS_REMOVE_DIR | LANDLOCK_ACCESS_FS_REMOVE_FILE |
                LANDLOCK_ACCESS_FS_MAKE_CHAR | LANDLOCK_ACCESS_FS_MAKE_DIR | LANDLOCK_ACCESS_FS_MAKE_REG |
                LANDLOCK_ACCESS_FS_MAKE_SOCK | LANDLOCK_ACCESS_FS_MAKE_FIFO | LANDLOCK_ACCESS_FS_MAKE_BLOCK |
                LANDLOCK_ACCESS_FS_MAKE_SYM | LANDLOCK_ACCESS_FS_REFER | LANDLOCK_ACCESS_FS_TRUNCATE;
}

/* "a" is "b" or one of its parent directories ("/usr" covers "/usr/bin", not "/usrx"). */
static bool path_covers(const char *a, const char *b) {
        size_t l;

        if (streq(a, "/"))
                return true;
        l = strlen(a);
        while (l > 1 && a[l - 1] == '/')
                l--;
        return strneq(a, b, l) && (b[l] == '\0' || b[l] == '/');
}

static bool paths_overlap(const char *a, const char *b) {
        return path_covers(a, b) || path_covers(b, a);
}

/* The first rule granting any of "mask" on a path covering "target". */
static const LandlockPathRule *policy_find_grant(const LandlockPolicy *p, const char *target, uint64_t mask) {
        for (size_t i = 0; i < p->n_paths; i++)
                if ((p->paths[i].access & mask) && path_covers(p->paths[i].path, target))
                        return p->paths + i;
        return NULL;
}

/* No credit for what the kernel assessed cannot enforce: the rows judge what it will enforce of the
 * policy, the LandlockKernel row says what it drops. */
static bool fs_enforced(const SecurityFacts *f) {
        return f->policy->handle_fs && f->abi > 0 && (!f->compiled || f->compiled->handled_fs != 0);
}

static uint64_t net_enforced(const SecurityFacts *f) {
        if (f->abi == 0)
                return 0;
        return f->compiled ? f->compiled->handled_net : f->policy->handled_net;
}

static uint64_t scopes_enforced(const SecurityFacts *f) {
        if (f->abi == 0)
                return 0;
        return f->compiled ? f->compiled->scoped : f->policy->scoped;
}

/* Shells and interpreters: granted execute, they run whatever they are given. */
static const char *const interpreter_names[] = {
        "sh", "bash", "dash", "zsh", "ksh", "mksh", "csh", "tcsh", "fish", "busybox", "perl", "python", "ruby",
        "lua", "tclsh", "php", "node", "nodejs", "awk", "gawk", "mawk", NULL,
};
static const char *const interpreter_dirs[] = { "/bin", "/usr/bin", "/usr/local/bin", "/sbin", "/usr/sbin", NULL };

bool security_is_interpreter(const char *path) {
        const char *name = strrchr(path, '/') ? strrchr(path, '/') + 1 : path;

        for (size_t i = 0; interpreter_names[i]; i++) {
                const char *rest = startswith(name, interpreter_names[i]);

                /* "python3", "python3.11", "perl5.36.0", "lua5.4" */
                if (rest && rest[strspn(rest, "0123456789.")] == '\0')
                        return true;
        }
        return false;
}

static int result_set(SecurityResult *r, uint64_t badness, const char *fmt, ...) _printf_(3, 4);
static int result_set(SecurityResult *r, uint64_t badness, const char *fmt, ...) {
        va_list ap;
        int n;

        r->badness = badness;
        va_start(ap, fmt);
        n = vasprintf(&r->description, fmt, ap);
        va_end(ap);
        if (n < 0) {
                r->description = NULL;
                return -ENOMEM;
        }
        return 0;
}

static int assess_configured(const SecurityFacts *f, SecurityResult *r) {
        if (f->invalid)
                return result_set(r, 1, "Landlock directives are invalid: the unit refuses to start (see \"verify\")");
        if (!f->has_directives)
                return result_set(r, 1, "Service has no Landlock directives");
        return result_set(r, 0, "Service has Landlock directives");
}

static int assess_filesystem(const SecurityFacts *f, SecurityResult *r) {
        if (!f->policy->handle_fs)
                return result_set(r, 1, "Filesystem access is not restricted by Landlock");
        if (!fs_enforced(f))
                return result_set(r, 1, "Filesystem access is not restricted: this kernel cannot enforce it");
        return result_set(r, 0, "Filesystem access is denied except beneath %zu listed path(s)",
                          f->policy->n_paths);
}

static int assess_write_system(const SecurityFacts *f, SecurityResult *r) {
        const LandlockPathRule *worst = NULL;
        uint64_t badness = 0;

        if (!fs_enforced(f))
                return result_set(r, r->item->range, "Service may write anywhere, including /etc and /usr");

        for (size_t i = 0; security_sensitive_paths[i]; i++) {
                const LandlockPathRule *g = policy_find_grant(f->policy, security_sensitive_paths[i],
                                                              security_write_mask());
                if (!g)
                        continue;
                /* A grant on "/" covers every tree: count it as all of them. */
                if (streq(security_sensitive_paths[i], "/")) {
                        badness = r->item->range;
                        worst = g;
                        break;
                }
                badness++;
                worst = worst ?: g;
        }
        if (!worst)
                return result_set(r, 0, "No write access to /, /etc, /usr or /home as a whole");
        if (worst->source.file)
                return result_set(r, badness, "Write access granted on %s (%s:%u)", worst->path,
                                  worst->source.file, worst->source.line);
        return result_set(r, badness, "Write access granted on %s", worst->path);
}

static int assess_write_exec(const SecurityFacts *f, SecurityResult *r) {
        if (!fs_enforced(f))
                return result_set(r, 1, "Service may write files it can then execute");

        for (size_t i = 0; i < f->policy->n_paths; i++) {
                const LandlockPathRule *w = f->policy->paths + i;

                if (!(w->access & security_write_mask()))
                        continue;
                for (size_t j = 0; j < f->policy->n_paths; j++) {
                        const LandlockPathRule *x = f->policy->paths + j;

                        if ((x->access & LANDLOCK_ACCESS_FS_EXECUTE) && paths_overlap(w->path, x->path))
                                return result_set(r, 1, "Write access on %s overlaps execute access on %s",
                                                  w->path, x->path);
                }
        }
        return result_set(r, 0, "Nothing writable is executable");
}

static int assess_exec(const SecurityFacts *f, SecurityResult *r) {
        const LandlockPathRule *g;

        if (!fs_enforced(f))
                return result_set(r, 2, "Service may execute any program");

        g = policy_find_grant(f->policy, "/usr", LANDLOCK_ACCESS_FS_EXECUTE);
        if (g)
                return result_set(r, 1, "Execute access granted on %s: any installed program may run", g->path);
        return result_set(r, 0, "Only the listed paths%s may be executed",
                          f->policy->allow_command ? " and the commands' own files" : "");
}

static int assess_net(const SecurityFacts *f, SecurityResult *r, bool bind) {
        uint64_t tcp = bind ? LANDLOCK_ACCESS_NET_BIND_TCP : LANDLOCK_ACCESS_NET_CONNECT_TCP,
                udp = bind ? LANDLOCK_ACCESS_NET_BIND_UDP : LANDLOCK_ACCESS_NET_CONNECT_SEND_UDP;
        bool t = net_enforced(f) & tcp, u = net_enforced(f) & udp;
        const char *what = bind ? "binding" : "connecting";

        if (t && u)
                return result_set(r, 0, "TCP and UDP %s restricted to listed ports", what);
        if (t)
                return result_set(r, 1, "TCP %s restricted, UDP not", what);
        if (u)
                return result_set(r, 1, "UDP %s restricted, TCP not", what);
        return result_set(r, 2, "Network %s is not restricted by Landlock", what);
}

static int assess_scope(const SecurityFacts *f, SecurityResult *r) {
        bool a = scopes_enforced(f) & LANDLOCK_SCOPE_ABSTRACT_UNIX_SOCKET,
                s = scopes_enforced(f) & LANDLOCK_SCOPE_SIGNAL;

        /* Commands that control the main process are not signal-scoped (systemd.landlock(5)): that is the
         * price of "kill -HUP $MAINPID" without "+", which would give up everything. */
        if (a && s)
                return result_set(r, 0, "Abstract UNIX sockets and signals are scoped to the service "
                                  "(ExecReload=, ExecStop=… may signal the main process)");
        if (a)
                return result_set(r, 1, "Abstract UNIX sockets scoped, signals to other processes not");
        if (s)
                return result_set(r, 1, "Signals scoped, abstract UNIX sockets outside the service not");
        return result_set(r, 2, "Service may signal other processes and reach any abstract UNIX socket");
}

static int assess_kernel(const SecurityFacts *f, SecurityResult *r) {
        _cleanup_free_ char *list = NULL;
        size_t n = 0;

        if (!f->has_directives || !f->compiled)
                return result_set(r, SECURITY_NOT_APPLICABLE, "No Landlock policy to enforce");
        if (f->abi == 0)
                return result_set(r, 2, "This kernel has no Landlock: nothing requested is enforced");

        for (size_t i = 0; i < f->compiled->n_drops; i++) {
                const LandlockDrop *d = f->compiled->drops + i;
                _cleanup_free_ char *names = NULL;
                LandlockRightKind kind;
                char *joined;

                if (!d->weakens)
                        continue;
                kind = d->kind == LANDLOCK_DROP_NET ? LANDLOCK_KIND_NET :
                        d->kind == LANDLOCK_DROP_SCOPE ? LANDLOCK_KIND_SCOPE :
                        d->kind == LANDLOCK_DROP_LOG ? LANDLOCK_KIND_RESTRICT_FLAG : LANDLOCK_KIND_FS;
                names = landlock_mask_to_string(kind, d->bits);
                if (!names)
                        return -ENOMEM;
                if (asprintf(&joined, "%s%s%s", list ?: "", list ? "," : "", names) < 0)
                        return -ENOMEM;
                free(list);
                list = joined;
                n++;
        }
        if (n == 0)
                return result_set(r, 0, "This kernel (ABI %u) enforces everything requested", f->abi);
        return result_set(r, 1, "This kernel (ABI %u) does not enforce: %s", f->abi, list);
}

static int assess_compat(const SecurityFacts *f, SecurityResult *r) {
        if (!f->has_directives)
                return result_set(r, SECURITY_NOT_APPLICABLE, "No Landlock policy");
        if (f->policy->compat == LANDLOCK_COMPAT_STRICT)
                return result_set(r, 0, "Service refuses to start unless everything is enforced");
        return result_set(r, 1, "Best effort: on an older kernel the service runs with less confinement");
}

static int assess_privileged(const SecurityFacts *f, SecurityResult *r) {
        if (!f->has_directives)
                return result_set(r, SECURITY_NOT_APPLICABLE, "No Landlock policy");
        if (f->n_privileged > 0)
                return result_set(r, 1, "%u command(s) with the \"+\" prefix run without Landlock",
                                  f->n_privileged);
        return result_set(r, 0, "No command bypasses the enforcer with \"+\"");
}

static int assess_fail_open(const SecurityFacts *f, SecurityResult *r) {
        if (!f->has_directives)
                return result_set(r, SECURITY_NOT_APPLICABLE, "No Landlock policy");
        if (!f->online)
                return result_set(r, SECURITY_NOT_APPLICABLE, "Not checked offline (needs the manager)");
        if (f->n_running_unwrapped > 0)
                return result_set(r, 1, "%u of %u command(s) the manager runs do not go through the enforcer "
                                  "(generator not installed, or no daemon-reload?)",
                                  f->n_running_unwrapped, f->n_running);
        if (f->stale_policy)
                return result_set(r, 1, "The running processes still have the policy from before the last "
                                  "daemon-reload: restart the unit to apply the one shown");
        if (f->n_running_privileged > 0)
                return result_set(r, 0, "Every command the manager runs goes through the enforcer, except the %u "
                                  "with \"+\" (see LandlockPrivileged)", f->n_running_privileged);
        return result_set(r, 0, "Every command the manager runs goes through the enforcer");
}

static int assess_log(const SecurityFacts *f, SecurityResult *r) {
        if (!f->has_directives)
                return result_set(r, SECURITY_NOT_APPLICABLE, "No Landlock policy");
        if (!f->policy->log)
                return result_set(r, 1, "Denials are not logged to the audit log (LandlockLog=no)");
        if (f->abi < 7)
                return result_set(r, 1, "This kernel (ABI %u) cannot log denials to the audit log (ABI 7)", f->abi);
        if (f->log_invisible)
                return result_set(r, 1, "Denials are asked to be logged, but cannot be seen here: %s", f->log_invisible);
        return result_set(r, 0, "Denials by the service are logged to the audit log");
}

static int assess_process_wide(const SecurityFacts *f, SecurityResult *r) {
        if (!f->has_directives)
                return result_set(r, SECURITY_NOT_APPLICABLE, "No Landlock policy");
        if (f->policy->process_wide == LANDLOCK_PROCESS_WIDE_NO)
                return result_set(r, 1, "Threads started by preloaded libraries stay unrestricted");
        return result_set(r, 0, "Every thread of the enforcer is restricted before the command runs");
}

/* The first grant of execute on a shell or an interpreter: a path rule on one, or on a directory that
 * holds them, or LandlockAllowPrograms= naming one. */
static int find_interpreter_grant(const SecurityFacts *f, char **ret) {
        for (size_t i = 0; i < f->policy->n_paths; i++) {
                const LandlockPathRule *g = f->policy->paths + i;

                if (!(g->access & LANDLOCK_ACCESS_FS_EXECUTE))
                        continue;
                if (security_is_interpreter(g->path))
                        return asprintf(ret, "%s", g->path) < 0 ? -ENOMEM : 1;
                for (size_t d = 0; interpreter_dirs[d]; d++)
                        if (path_covers(g->path, interpreter_dirs[d]))
                                return asprintf(ret, "%s (it holds the shells)", g->path) < 0 ? -ENOMEM : 1;
        }
        STRV_FOREACH(p, f->policy->programs)
                if (security_is_interpreter(*p))
                        return asprintf(ret, "LandlockAllowPrograms=%s", *p + ((*p)[0] == '-')) < 0 ? -ENOMEM : 1;
        *ret = NULL;
        return 0;
}

static int assess_interpreter(const SecurityFacts *f, SecurityResult *r) {
        _cleanup_free_ char *grant = NULL;
        int k;

        if (!f->has_directives || !fs_enforced(f))
                return result_set(r, SECURITY_NOT_APPLICABLE, "Execution is not restricted by Landlock");
        k = find_interpreter_grant(f, &grant);
        if (k < 0)
                return k;
        if (k == 0)
                return result_set(r, 0, "No shell or interpreter is granted beyond the commands' own");
        if (f->needs_interpreter)
                return result_set(r, 0, "A shell or interpreter is granted (%s), and a command runs through one",
                                  grant);
        return result_set(r, 1, "A shell or interpreter is granted (%s), but no command needs one: it would run "
                          "whatever a compromised service gives it", grant);
}

/* A process's own /proc/PID cannot be named in a rule, so services get /proc as a whole. That shows every
 * process, unless the unit's ProtectProc=invisible (or noaccess, ptraceable) hides the others and
 * ProcSubset=pid leaves only the process directories. */
static int assess_proc(const SecurityFacts *f, SecurityResult *r) {
        const LandlockPathRule *g;

        if (!f->has_directives || !fs_enforced(f))
                return result_set(r, SECURITY_NOT_APPLICABLE, "Filesystem access is not restricted by Landlock");
        g = NULL;
        for (size_t i = 0; i < f->policy->n_paths && !g; i++)
                if (f->policy->paths[i].access && path_covers(f->policy->paths[i].path, "/proc"))
                        g = f->policy->paths + i;
        if (!g)
                return result_set(r, 0, "No grant on /proc as a whole");
        if (f->protect_proc && STR_IN_SET(f->protect_proc, "invisible", "noaccess", "ptraceable") &&
            f->proc_subset && streq(f->proc_subset, "pid"))
                return result_set(r, 0, "/proc is granted (%s), and ProtectProc=%s with ProcSubset=pid limit it to "
                                  "the service's own processes", g->path, f->protect_proc);
        return result_set(r, 1, "/proc is granted (%s): every process's entries can be read; add "
                          "ProtectProc=invisible and ProcSubset=pid", g->path);
}

void security_report_done(SecurityReport *r) {
        for (size_t i = 0; i < r->n_results; i++)
                free(r->results[i].description);
        free(r->results);
        *r = (SecurityReport) {};
}

unsigned security_exposure(const SecurityResult *results, size_t n) {
        uint64_t s = 0, w = 0;

        for (size_t i = 0; i < n; i++) {
                if (results[i].badness == SECURITY_NOT_APPLICABLE)
                        continue;
                s += results[i].exposure;
                w += results[i].item->weight;
        }
        if (w == 0)
                return 0;
        return (unsigned) ((s * 100 + w - 1) / w);
}

int security_assess(const SecurityFacts *f, SecurityReport *ret) {
        static int (*const assess[_ITEM_MAX])(const SecurityFacts *f, SecurityResult *r) = {
                [ITEM_CONFIGURED]   = assess_configured,
                [ITEM_FILESYSTEM]   = assess_filesystem,
                [ITEM_WRITE_SYSTEM] = assess_write_system,
                [ITEM_WRITE_EXEC]   = assess_write_exec,
                [ITEM_EXEC]         = assess_exec,
                [ITEM_SCOPE]        = assess_scope,
                [ITEM_KERNEL]       = assess_kernel,
                [ITEM_COMPAT]       = assess_compat,
                [ITEM_PRIVILEGED]   = assess_privileged,
                [ITEM_FAIL_OPEN]    = assess_fail_open,
                [ITEM_LOG]          = assess_log,
                [ITEM_PROCESS_WIDE] = assess_process_wide,
                [ITEM_INTERPRETER]  = assess_interpreter,
                [ITEM_PROC]         = assess_proc,
        };
        SecurityReport rep = {};
        int r;

        assert(f);
        assert(f->policy);
        assert(ret);

        rep.results = calloc(_ITEM_MAX, sizeof(SecurityResult));
        if (!rep.results)
                return -ENOMEM;
        rep.n_results = _ITEM_MAX;

        for (size_t i = 0; i < _ITEM_MAX; i++) {
                SecurityResult *res = rep.results + i;

                res->item = security_items + i;
                if (i == ITEM_BIND || i == ITEM_CONNECT)
                        r = assess_net(f, res, i == ITEM_BIND);
                else
                        r = assess[i](f, res);
                if (r < 0) {
                        security_report_done(&rep);
                        return r;
                }
                assert(res->badness == SECURITY_NOT_APPLICABLE || res->badness <= res->item->range);
                if (res->badness != SECURITY_NOT_APPLICABLE)
                        res->exposure = (res->badness * res->item->weight + res->item->range - 1) / res->item->range;
        }

        rep.exposure = security_exposure(rep.results, rep.n_results);
        *ret = rep;
        return 0;
}

const char *security_level(unsigned exposure) {
        if (exposure >= 100)
                return "DANGEROUS";
        if (exposure >= 90)
                return "UNSAFE";
        if (exposure >= 75)
                return "EXPOSED";
        if (exposure >= 50)
                return "MEDIUM";
        if (exposure >= 10)
                return "OK";
        if (exposure >= 1)
                return "SAFE";
        return "PERFECT";
}

const char *security_level_emoji(unsigned exposure) {
        if (exposure >= 100)
                return "😱";
        if (exposure >= 90)
                return "😨";
        if (exposure >= 75)
                return "🙁";
        if (exposure >= 50)
                return "😐";
        if (exposure >= 10)
                return "🙂";
        return "😀";
}
