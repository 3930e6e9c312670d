/* SPDX-License-Identifier: LGPL-2.1-or-later */

/* systemd-landlock-exec: what PID 1 execs in place of a service command. It runs in the service's forked
 * child after all of systemd's own sandboxing, builds the Landlock ruleset in the service's mount
 * namespace, restricts itself (every thread if needed), and execs the real command, which therefore never
 * runs a single instruction outside the domain. See systemd-landlock-exec(8).
 *
 * The steps between start and execve() are all in main(), in order, bubblewrap style. */

#include <assert.h>
#include <inttypes.h>
#include <sys/prctl.h>
#include <sys/stat.h>

#include "exec-closure.h"
#include "exec-exit.h"
#include "journal-send.h"
#include "landlock-audit.h"
#include "landlock-args.h"
#include "landlock-availability.h"
#include "landlock-implicit.h"
#include "landlock-restrict.h"
#include "landlock-ruleset.h"
#include "log.h"
#include "strv.h"

static bool error_is_denial(int error) {
        return error == -EACCES || error == -EPERM;
}

/* A required path that does not exist, or that cannot be resolved safely (ELOOP: a symlink the service
 * could have changed, or a loop): the path status. */
static bool error_is_path(int error) {
        return error == -ENOENT || error == -ENOTDIR || error == -ELOOP;
}

#define LANDLOCK_SYSCALLS "landlock_create_ruleset, landlock_add_rule and landlock_restrict_self"

/* Step 3: the call a filter fakes (answer 0) or blocks while Landlock answers, and that answer. */
static const char *faulty_call(const LandlockAvailability *a, int *ret_error) {
        if (a->abi == 0) {
                *ret_error = 0;
                return "landlock_create_ruleset()";
        }
        if (a->add_rule == 0 || landlock_unavailable_errno_name(a->add_rule)) {
                *ret_error = a->add_rule;
                return "landlock_add_rule()";
        }
        *ret_error = a->restrict_self;
        return "landlock_restrict_self()";
}

/* Step 3, on refusal: what the kernel answered, why that cannot be trusted, and what to change. */
static void log_availability_refusal(const LandlockAvailability *a, LandlockVerdict verdict, const char *path) {
        const char *answer = landlock_unavailable_errno_name(a->abi);
        LandlockLsmState lsm = landlock_availability_lsm_state(a);

        switch (verdict) {
        case LANDLOCK_VERDICT_BLOCKED:
                log_error_errno(a->abi, "Cannot use Landlock: landlock_create_ruleset() fails (%m): the Landlock "
                                "system calls are blocked, probably by a seccomp filter. The unit's SystemCallFilter= "
                                "must allow " LANDLOCK_SYSCALLS ". Not running %s.", path);
                return;

        case LANDLOCK_VERDICT_HIDDEN:
                if (a->abi >= 0) {
                        int error;
                        const char *call = faulty_call(a, &error);

                        if (error == 0)
                                log_error("Cannot use Landlock: %s returns 0 without doing anything: a seccomp "
                                          "filter answers it with error number 0 (SystemCallFilter=~…:0). The unit's "
                                          "SystemCallFilter= must allow " LANDLOCK_SYSCALLS ". Not running %s.",
                                          call, path);
                        else
                                log_error_errno(error, "Cannot use Landlock: landlock_create_ruleset() works but %s "
                                                "fails (%m): a seccomp filter blocks it. The unit's SystemCallFilter= "
                                                "must allow " LANDLOCK_SYSCALLS ". Not running %s.", call, path);
                } else
                        log_error("Cannot use Landlock: landlock_create_ruleset() fails with %s, yet Landlock is "
                                  "active in this kernel (%s lists it): a seccomp filter hides the Landlock system "
                                  "calls (SystemCallFilter=~landlock_create_ruleset with SystemCallErrorNumber=%s?). "
                                  "The unit's SystemCallFilter= must allow " LANDLOCK_SYSCALLS ". Not running %s.",
                                  answer, strna(landlock_lsm_state_source(a, lsm)), answer, path);
                return;

        case LANDLOCK_VERDICT_UNSURE:
                log_error("Cannot use Landlock: landlock_create_ruleset() fails with %s while a seccomp filter is "
                          "active%s, and nothing here tells whether the kernel really lacks Landlock (%s is not "
                          "readable, lsm_list_modules() is not available): refusing to run %s unconfined. If the "
                          "unit's SystemCallFilter= denies " LANDLOCK_SYSCALLS ", allow them; if the kernel truly "
                          "lacks Landlock, make securityfs visible to the service at /sys/kernel/security, or "
                          "remove the unit's Landlock directives.",
                          answer,
                          a->seccomp == SECCOMP_STATE_FILTER ? "" : " or cannot be ruled out (/proc/self/status)",
                          LANDLOCK_SECURITYFS_LSM, path);
                return;

        default:
                assert(false);
        }
}

/* Why reading a command's files can fail where its path exists: something it names (its "#!" line, a
 * symlink) is not a file that runs, which the closure never grants (exec-closure.c). */
static const char *closure_hint(int error) {
        if (error == -EACCES || error == -ENOEXEC)
                return " (the program, or an interpreter its \"#!\" line names, cannot be read or is not an "
                       "executable file; nothing is granted on it)";
        return "";
}

/* Step 4: the grants every service gets (landlock-implicit.h): the command's own files, $NOTIFY_SOCKET,
 * the harmless devices. */
static int add_implicit(LandlockPolicy *p, const char *path, const char *search_path, unsigned abi,
                        char **ret_interpreter) {
        ExecClosureOptions closure;
        int r;

        exec_closure_options_from_environment(&closure, search_path);
        r = landlock_policy_add_implicit(p, &(LandlockImplicitContext) {
                        .command = path,
                        .closure = &closure,
                        .notify_socket = getenv("NOTIFY_SOCKET"),
                        .abi = abi,
                        .ret_interpreter = ret_interpreter,
                        .open_files = true,
                });
        if (r == -ENOMEM)
                return log_oom();
        if (r < 0)
                return log_error_errno(r, "Failed to find the files %s needs to run: %m%s", path, closure_hint(r));
        return 0;
}

/* Step 4: LandlockAllowPrograms=, looked up in the service's own view of the file system, like the
 * command. A directory would grant everything beneath it: that is LandlockPaths='s business. Returns the
 * exit status to fail with, or 0. */
static int add_programs(LandlockPolicy *p, const char *search_path) {
        _cleanup_strv_free_ char **programs = TAKE_PTR(p->programs);
        ExecClosureOptions closure;
        struct stat st;
        int r;

        exec_closure_options_from_environment(&closure, search_path);
        STRV_FOREACH(item, programs) {
                bool optional = (*item)[0] == '-';
                const char *path = *item + optional;

                if (stat(path, &st) < 0) {
                        r = -errno;
                        if (r == -ENOENT && optional) {
                                log_debug("Skipping LandlockAllowPrograms=-%s: it does not exist.", path);
                                continue;
                        }
                        log_error_errno(r, "LandlockAllowPrograms=%s: %m (prefix it with \"-\" if it may be "
                                        "missing).", path);
                        return r == -ENOENT ? EXIT_LANDLOCK_PATH : EXIT_LANDLOCK;
                }
                if (S_ISDIR(st.st_mode)) {
                        log_error("LandlockAllowPrograms=%s is a directory, expected a program or a module (grant "
                                  "directories with LandlockPaths=).", path);
                        return EXIT_LANDLOCK_POLICY;
                }
                r = landlock_policy_add_program_files(p, path, &closure, /* open_files= */ true);
                if (r == -ENOMEM)
                        return log_oom(), EXIT_LANDLOCK;
                if (r < 0) {
                        log_error_errno(r, "Failed to find the files LandlockAllowPrograms=%s needs: %m%s", path,
                                        closure_hint(r));
                        return EXIT_LANDLOCK;
                }
        }
        return 0;
}

/* What the unit asked for and does not get is a warning at every start. Filesystem rights this kernel
 * cannot handle at all were not asked for by name and no directive can change that: a notice. */
static void log_drops(const LandlockCompiled *c) {
        for (size_t i = 0; i < c->n_drops; i++)
                log_full(c->drops[i].weakens && c->drops[i].kind != LANDLOCK_DROP_FS_HANDLED ? LOG_WARNING : LOG_NOTICE,
                         "%s", c->drops[i].message);
}

static void log_ruleset_report(const LandlockRulesetReport *report) {
        for (size_t i = 0; i < report->n_skipped; i++) {
                const LandlockSkippedPath *s = report->skipped + i;

                if (s->message)
                        log_warning("%s", s->message);
                else if (s->error == 0)
                        log_notice("Skipping %s: a file cannot take any of the rights granted on it.", s->path);
                else    /* what the "-" asked for: as systemd, nothing to say but at debug level */
                        log_debug_errno(s->error, "Skipping optional path %s: %m", s->path);
        }
        log_debug("Ruleset: %zu path rules (%zu on files masked to file rights), %zu port rules.",
                  report->n_path_rules, report->n_file_rules, report->n_port_rules);
}

/* Step 9, on failure: EACCES/EPERM after restriction most likely means the policy denies the command or
 * its interpreter (the command was found executable before restricting). */
static int log_exec_failure(int error, const char *path, const char *interpreter, bool allow_command) {
        if (!error_is_denial(error))
                return log_error_errno(error, "Failed to execute %s: %m", path);

        if (!allow_command)
                return log_error_errno(error,
                                       "Failed to execute %s: %m. The policy denies execute on %s%s%s: add %s%s%s to "
                                       "LandlockExecPaths= or keep LandlockAllowCommand=yes.",
                                       path, path, interpreter ? " or on its interpreter " : "", strempty(interpreter),
                                       path, interpreter ? " and " : "", strempty(interpreter));

        return log_error_errno(error,
                               "Failed to execute %s: %m. The policy denies execute or read on it%s%s, although "
                               "LandlockAllowCommand=yes granted them: is a path rule with fewer rights nested "
                               "inside? Add the file to LandlockExecPaths=.",
                               path, interpreter ? " or on its interpreter " : "", strempty(interpreter));
}

/* Step 7, when denials are logged: the kernel's record of this domain will name our pid (which the command
 * keeps); this journal entry says which unit and command that pid runs, so that "systemd-landlock
 * denials" can attribute each denial. Sent before restricting: the domain may deny reaching the socket.
 * Under a seccomp filter, socket() or sendto() might be what the filter kills for: then only write() to
 * the journal stream stderr already is. */
static void log_domain_owner(const char *unit, const char *path, char *const *command, SeccompState seccomp) {
        _cleanup_free_ char *argv_field = NULL, *message = NULL, *pid_field = NULL, *unit_field = NULL,
                *command_field = NULL, *joined = NULL;
        int r;

        joined = strv_join(command, " ");
        if (!joined) {
                log_oom();
                return;
        }

        if (seccomp != SECCOMP_STATE_NONE) {
                if (log_stderr_is_journal())
                        fprintf(stderr, "<%i>" LANDLOCK_DOMAIN_LINE_PREFIX "%i: %s\n", LOG_INFO, (int) getpid(), joined);
                else
                        log_debug("Not telling the journal which command this domain runs: a seccomp filter is "
                                  "active and stderr is not the journal.");
                return;
        }

        if (asprintf(&message, "MESSAGE=" LANDLOCK_DOMAIN_LINE_PREFIX "%i: %s%s%s", (int) getpid(), joined,
                     unit ? " in " : "", strempty(unit)) < 0 ||
            asprintf(&pid_field, LANDLOCK_FIELD_PID "=%i", (int) getpid()) < 0 ||
            asprintf(&command_field, LANDLOCK_FIELD_COMMAND "=%s", path) < 0 ||
            asprintf(&argv_field, LANDLOCK_FIELD_ARGV "=%s", joined) < 0 ||
            asprintf(&unit_field, LANDLOCK_FIELD_UNIT "=%s", strempty(unit)) < 0) {
                log_oom();
                return;
        }

        char *fields[] = {
                message, (char *) "MESSAGE_ID=" LANDLOCK_DOMAIN_MESSAGE_ID, (char *) "PRIORITY=6",
                (char *) "SYSLOG_IDENTIFIER=systemd-landlock-exec",
                pid_field, command_field, argv_field, unit_field,
        };
        r = journal_send_fields(JOURNAL_NATIVE_SOCKET, fields, ELEMENTSOF(fields));
        if (r < 0)
                log_debug_errno(r, "Failed to tell the journal which command this domain runs: %m");
}

/* Steps 1-9. Returns only when the command is not run: the exit status says why. */
static int run(int argc, char *argv[]) {
        _cleanup_(landlock_exec_options_done) LandlockExecOptions o = { .policy = LANDLOCK_POLICY_INIT };
        _cleanup_(landlock_compiled_done) LandlockCompiled compiled = {};
        _cleanup_(landlock_ruleset_report_done) LandlockRulesetReport report = {};
        _cleanup_free_ char *error = NULL, *path = NULL, *interpreter = NULL;
        _cleanup_close_ int ruleset_fd = -EBADF;
        LandlockRestrictResult result = {};
        LandlockAvailability availability;
        LandlockVerdict verdict;
        bool process_wide;
        int abi, errata, r;

        log_set_target(LOG_TARGET_STDERR);
        log_set_prefix(program_invocation_short_name);
        log_parse_environment();

        /* 1. The policy. --error= means the generator found the unit's directives invalid: never run
         *    anything then. */
        r = landlock_args_parse(argc, argv, &o, &error);
        if (r == -ENOMEM)
                return log_oom(), EXIT_LANDLOCK_POLICY;
        if (r < 0) {
                log_error("Invalid arguments: %s", strna(error));
                return EXIT_LANDLOCK_POLICY;
        }
        if (o.unit)
                log_set_prefix(o.unit);
        if (o.error) {
                log_error("%s", o.error);
                log_error("Refusing to run %s: the unit's Landlock directives are invalid.",
                          o.command ? o.command[0] : "the command");
                return EXIT_LANDLOCK_POLICY;
        }

        /* 2. The command, resolved as systemd resolves it (ExecSearchPath=, else the default $PATH). */
        r = exec_command_find(o.command[0], o.search_path, &path);
        if (r == -ENOMEM)
                return log_oom(), EXIT_LANDLOCK_EXEC;
        if (r < 0) {
                log_error_errno(r, "Failed to find command %s in %s: %m", o.command[0],
                                strchr(o.command[0], '/') ? "the file system" : o.search_path ?: EXEC_DEFAULT_SEARCH_PATH);
                return EXIT_LANDLOCK_EXEC;
        }
        if (landlock_policy_is_empty(&o.policy)) {
                log_debug("The policy handles nothing, executing %s without a Landlock domain.", path);
                goto exec;
        }

        /* 3. What the running kernel supports, and whether that answer is the kernel's own: a seccomp
         *    filter can make Landlock look absent (ENOSYS, EOPNOTSUPP) or fake a success (errno 0). */
        landlock_availability_probe(&availability);
        verdict = landlock_availability_verdict(&availability);
        switch (verdict) {
        case LANDLOCK_VERDICT_AVAILABLE:
                abi = availability.abi;
                break;
        case LANDLOCK_VERDICT_ABSENT:
                if (landlock_availability_lsm_state(&availability) == LANDLOCK_LSM_INACTIVE)
                        log_debug("landlock_create_ruleset() fails with %s and %s does not list Landlock: the "
                                  "kernel has none.", landlock_unavailable_errno_name(availability.abi),
                                  landlock_lsm_state_source(&availability, LANDLOCK_LSM_INACTIVE));
                else
                        log_debug("landlock_create_ruleset() fails with %s and no seccomp filter is active: the "
                                  "kernel has no Landlock.", landlock_unavailable_errno_name(availability.abi));
                abi = 0;
                break;
        default:
                log_availability_refusal(&availability, verdict, path);
                return EXIT_LANDLOCK;
        }
        /* Errata are only reported (landlock.rst advises against acting on them): asked only for that. */
        if (log_get_max_level() >= LOG_DEBUG) {
                errata = abi > 0 ? landlock_errata_probe() : 0;
                if (errata < 0)
                        errata = 0;
                log_debug("Landlock ABI %i, errata 0x%x.", abi, (unsigned) errata);
        } else
                errata = 0;

        /* 4. Implicit grants, only meaningful when the filesystem is handled. Reading the command's files
         *    also tells its interpreter, for the message if execve() is denied (after restricting we may
         *    no longer read the file); without LandlockAllowCommand= it is read for that alone. */
        r = add_implicit(&o.policy, path, o.search_path, (unsigned) abi, &interpreter);
        if (r < 0)
                return EXIT_LANDLOCK;
        if (o.policy.handle_fs && abi > 0 && !o.policy.allow_command)
                (void) exec_interpreter(path, &interpreter);
        if (o.policy.handle_fs && abi > 0) {
                r = add_programs(&o.policy, o.search_path);
                if (r > 0)
                        return r;
        }

        /* 5. Compile for this kernel: strict refuses what it cannot enforce, best effort says what it drops. */
        r = landlock_policy_compile(&o.policy, (unsigned) abi, (uint32_t) errata, &compiled, &error);
        if (r == -EOPNOTSUPP) {
                log_error("%s. Not running %s.", strna(error), path);
                return EXIT_LANDLOCK;
        }
        if (r < 0) {
                log_error_errno(r, "Failed to compile the Landlock policy: %s%m", error ? error : "");
                return EXIT_LANDLOCK;
        }
        log_drops(&compiled);
        if (compiled.abi == 0) {
                log_warning("Landlock is NOT available on this kernel: running %s UNCONFINED "
                            "(LandlockCompatibility=best-effort). Use LandlockCompatibility=strict to refuse instead.",
                            path);
                goto exec;
        }

        if (compiled.handled_fs == 0 && compiled.handled_net == 0 && compiled.scoped == 0) {
                log_notice("Nothing of the Landlock policy can be enforced on this kernel (Landlock ABI %u): "
                           "running %s without a Landlock domain.", compiled.abi, path);
                goto exec;
        }

        /* 6. The ruleset, built here, in the service's own mount namespace. Where a rule path crosses a
         *    symlink the mount table is read, with listmount(2) where no seccomp filter is in effect. */
        compiled.list_mounts = true;
        r = landlock_ruleset_build(&compiled, &ruleset_fd, &report, &error);
        if (r < 0) {
                log_error_errno(r, "%s. Not running %s.", error ?: "Failed to build the Landlock ruleset: %m", path);
                return error_is_path(r) ? EXIT_LANDLOCK_PATH : EXIT_LANDLOCK;
        }
        log_ruleset_report(&report);

        /* 7.+8. Restrict: every thread when asked, or (auto) when libraries preloaded into us started
         *    threads; the restrict layer sets no_new_privs only if neither it nor CAP_SYS_ADMIN is there. */
        switch (compiled.process_wide) {
        case LANDLOCK_PROCESS_WIDE_YES:
                process_wide = true;
                break;
        case LANDLOCK_PROCESS_WIDE_NO:
                process_wide = false;
                break;
        default:
                /* Statically linked, nothing but this program runs here (no preloaded library), and it
                 * starts no thread: counting them would only cost a walk through /proc. */
                if (ENFORCER_STATIC) {
                        process_wide = false;
                        break;
                }
                r = landlock_count_threads();
                if (r < 0) {
                        log_error_errno(r, "Failed to count the threads of this process in /proc/self/task: %m. "
                                        "Not running %s.", path);
                        return EXIT_LANDLOCK;
                }
                process_wide = r > 1;
                if (process_wide)
                        log_debug("%i threads (started by preloaded libraries?): restricting all of them.", r);
        }

        if (compiled.restrict_flags & LANDLOCK_RESTRICT_SELF_LOG_NEW_EXEC_ON)
                log_domain_owner(o.unit, path, o.separate_argv0 ? o.command + 1 : o.command, availability.seccomp);

        r = landlock_restrict_process(ruleset_fd, &(LandlockRestrictOptions) {
                                              .abi = (unsigned) abi,
                                              .flags = compiled.restrict_flags,
                                              .process_wide = process_wide,
                                      }, &result);
        if (r < 0) {
                log_error_errno(r, "Failed to enforce the Landlock ruleset: %m. Not running %s.", path);
                return EXIT_LANDLOCK;
        }
        log_debug("no_new_privs: %s.", landlock_nnp_to_string(result.nnp));
        if (result.tsync)
                log_debug("Restricted every thread with LANDLOCK_RESTRICT_SELF_TSYNC.");
        else if (result.fallback)
                log_debug("Restricted %u threads in %u sweeps of /proc/self/task.", result.n_threads, result.n_sweeps);
        ruleset_fd = safe_close(ruleset_fd);
        /* The record of what this process runs under, for "show" and "security" after a daemon-reload. */
        log_info(LANDLOCK_POLICY_ID_MESSAGE "%016" PRIx64 " on %s.", o.policy_id, path);

exec:
        /* 9. The command. With systemd's "@" prefix, argv[0] and the arguments follow the executable. */
        execv(path, o.separate_argv0 ? o.command + 1 : o.command);
        r = -errno;
        log_exec_failure(r, path, interpreter, o.policy.allow_command);
        return EXIT_LANDLOCK_EXEC;
}

/* Whether the generator marked this as an ExecCondition= command; read before anything can fail. */
static bool is_condition(int argc, char *argv[]) {
        for (int i = 1; i < argc && !streq(argv[i], "--"); i++)
                if (streq(argv[i], "--condition"))
                        return true;
        return false;
}

int main(int argc, char *argv[]) {
        int status = run(argc, argv);

        if (is_condition(argc, argv)) {
                log_error("Exiting with status %i instead of %i: in ExecCondition=, a refusal must fail the unit, "
                          "not skip it.", EXIT_LANDLOCK_CONDITION, status);
                return EXIT_LANDLOCK_CONDITION;
        }
        return status;
}
