/* SPDX-License-Identifier: LGPL-2.1-or-later */

/* The built systemd-landlock-exec, run as a subprocess on this kernel: every error path with its exit
 * status and message, and real commands (a script, dynamically linked programs, a static one) that run
 * under the policy while a file outside it is denied. Paths of the built binaries come from meson through
 * the environment: LANDLOCK_EXEC, EXECTEST_PROG, PRELOAD_THREADS_LIB, and ENFORCER_STATIC (the
 * static-enforcer option: "true" or "false"). */

#include <fcntl.h>
#include <sched.h>
#include <stdarg.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include "exec-closure.h"
#include "exec-exit.h"
#include "landlock-abi.h"
#include "child-setup.h"
#include "strv.h"
#include "landlock-args.h"
#include "tests.h"

#define PATH_MAX_LEN 4096

static char tmpdir[] = "/tmp/test-exec-enforcer-XXXXXX";
static char allowed[PATH_MAX_LEN], secret[PATH_MAX_LEN], allowed_file[PATH_MAX_LEN], bindir[PATH_MAX_LEN],
        script[PATH_MAX_LEN];

static void write_file(const char *path, const char *content, mode_t mode) {
        int fd = open(path, O_WRONLY|O_CREAT|O_TRUNC|O_CLOEXEC, mode);
        ASSERT_TRUE(fd >= 0);
        ASSERT_EQ(write(fd, content, strlen(content)), (ssize_t) strlen(content));
        close(fd);
}

/* A tree with an allowed directory, a secret file outside it, and a script outside both. */
static void setup_tree(void) {
        static bool done = false;

        if (done)
                return;
        ASSERT_TRUE(mkdtemp(tmpdir) != NULL);
        snprintf(allowed, sizeof allowed, "%s/allowed", tmpdir);
        snprintf(allowed_file, sizeof allowed_file, "%s/allowed/file", tmpdir);
        snprintf(secret, sizeof secret, "%s/secret", tmpdir);
        snprintf(bindir, sizeof bindir, "%s/bin", tmpdir);
        snprintf(script, sizeof script, "%s/bin/probe.sh", tmpdir);
        ASSERT_EQ(mkdir(allowed, 0755), 0);
        ASSERT_EQ(mkdir(bindir, 0755), 0);
        write_file(allowed_file, "hello\n", 0644);
        write_file(secret, "secret\n", 0644);
        write_file(script,
                   "#!/bin/sh\n"
                   "for f; do\n"
                   "  if read -r line < \"$f\"; then echo \"read $f: $line\"; else echo \"read $f: denied\"; fi\n"
                   "done\n"
                   "echo script-ran\n", 0755);
        done = true;
}

typedef struct Run {
        int status;             /* exit status, or 128 + signal */
        char *output;           /* stdout and stderr */
} Run;

static void run_done(Run *r) {
        free(r->output);
}

/* In the forked child before it execs the enforcer (a seccomp filter, a mount namespace…): 0, or the
 * child exits with CHILD_SETUP_FAILED. */
typedef int (*ChildSetup)(void);
#define CHILD_SETUP_FAILED 125

/* Runs the enforcer with "args" (NULL-terminated) and "env" (NAME=VALUE…, NULL-terminated, added to ours),
 * returns its exit status and combined output. Extra descriptor "keep_fd" stays open in the child. */
static Run run_enforcer_argv(char **env, int keep_fd, ChildSetup setup, const char *first, va_list ap) {
        _cleanup_strv_free_ char **argv = NULL;
        const char *exe = getenv("LANDLOCK_EXEC");
        int pipefd[2], status;
        size_t size = 0, n = 0;
        char *buf = NULL;
        pid_t pid;
        Run r = {};

        ASSERT_TRUE(exe);
        ASSERT_OK(strv_extend(&argv, exe));
        for (const char *a = first; a; a = va_arg(ap, const char *))
                ASSERT_OK(strv_extend(&argv, a));

        ASSERT_EQ(pipe2(pipefd, O_CLOEXEC), 0);
        pid = fork();
        ASSERT_TRUE(pid >= 0);
        if (pid == 0) {
                dup2(pipefd[1], STDOUT_FILENO);
                dup2(pipefd[1], STDERR_FILENO);
                /* meson points it at our libraries: let DT_RPATH find them, as in a service. */
                unsetenv("LD_LIBRARY_PATH");
                /* Sanitizer build (test/sanitize.sh): the enforcer and its command run under Landlock, which
                 * denies the /proc/self/task LeakSanitizer reads at exit, so it would fail there. */
                setenv("LSAN_OPTIONS", "detect_leaks=0", 1);
                if (keep_fd >= 0)
                        fcntl(keep_fd, F_SETFD, 0);
                STRV_FOREACH(e, env)
                        putenv(*e);
                if (setup && setup() < 0)
                        _exit(CHILD_SETUP_FAILED);
                execv(exe, argv);
                _exit(127);
        }
        close(pipefd[1]);
        for (;;) {
                ssize_t k;

                if (size - n < 4096) {
                        size += 65536;
                        buf = realloc(buf, size);
                        ASSERT_TRUE(buf);
                }
                k = read(pipefd[0], buf + n, size - n - 1);
                if (k <= 0)
                        break;
                n += k;
        }
        buf[n] = '\0';
        close(pipefd[0]);
        ASSERT_EQ(waitpid(pid, &status, 0), pid);

        r.status = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
        r.output = buf;
        printf("# exit %d, output:\n", r.status);
        for (char *line = buf, *e; *line; line = e + 1) {
                e = strchrnul(line, '\n');
                printf("#   %.*s\n", (int) (e - line), line);
                if (!*e)
                        break;
        }
        if (r.status == CHILD_SETUP_FAILED)
                test_fail(__FILE__, __LINE__, "the child could not set up what the test checks");
        return r;
}

static Run run_enforcer_env(char **env, int keep_fd, const char *first, ...) {
        va_list ap;
        Run r;

        va_start(ap, first);
        r = run_enforcer_argv(env, keep_fd, NULL, first, ap);
        va_end(ap);
        return r;
}

/* With "env", "keep_fd" and "setup" all at once. */
static Run run_enforcer_env_after(char **env, int keep_fd, ChildSetup setup, const char *first, ...) {
        va_list ap;
        Run r;

        va_start(ap, first);
        r = run_enforcer_argv(env, keep_fd, setup, first, ap);
        va_end(ap);
        return r;
}

static Run run_enforcer_after_(ChildSetup setup, const char *first, ...) {
        va_list ap;
        Run r;

        va_start(ap, first);
        r = run_enforcer_argv(NULL, -1, setup, first, ap);
        va_end(ap);
        return r;
}

#define run_enforcer(...) run_enforcer_env(NULL, -1, __VA_ARGS__, NULL)
/* The same, after setup() ran in the child. */
#define run_enforcer_after(setup, ...) run_enforcer_after_((setup), __VA_ARGS__, NULL)

#define ASSERT_CONTAINS(haystack, needle)                                               \
        do {                                                                            \
                if (!strstr((haystack), (needle)))                                      \
                        test_fail(__FILE__, __LINE__, "output lacks \"%s\"", (needle)); \
        } while (0)
#define ASSERT_NOT_CONTAINS(haystack, needle)                                           \
        do {                                                                            \
                if (strstr((haystack), (needle)))                                       \
                        test_fail(__FILE__, __LINE__, "output has \"%s\"", (needle));   \
        } while (0)

static char *path_arg(const char *path, const char *access) {
        static char buf[4][PATH_MAX_LEN + 32];
        static unsigned i;
        char *b = buf[i++ % 4];

        snprintf(b, sizeof buf[0], "--path=%s:%s", path, access);
        return b;
}

static int kernel_abi(void) {
        int abi = landlock_abi_probe();
        if (abi < 0)
                test_skip("Landlock is not available on this kernel");
        return abi;
}

/* ---- Error paths ---- */

TEST(unknown_option_exits_247_naming_it) {
        _cleanup_(run_done) Run r = run_enforcer("--bogus=1", "--", "/bin/true");
        ASSERT_EQ(r.status, EXIT_LANDLOCK_POLICY);
        ASSERT_CONTAINS(r.output, "'--bogus=1'");
}

TEST(missing_separator_exits_247) {
        _cleanup_(run_done) Run r = run_enforcer("--path=/etc:ro", "/bin/true");
        ASSERT_EQ(r.status, EXIT_LANDLOCK_POLICY);
        ASSERT_CONTAINS(r.output, "'/bin/true'");
}

TEST(bad_access_exits_247_naming_the_token) {
        _cleanup_(run_done) Run r = run_enforcer("--path=/etc:ro,fly", "--", "/bin/true");
        ASSERT_EQ(r.status, EXIT_LANDLOCK_POLICY);
        ASSERT_CONTAINS(r.output, "fly");
}

TEST(error_option_never_runs_the_command) {
        _cleanup_(run_done) Run r = run_enforcer("--unit=foo.service", "--error=foo.service:7: bad access 'fly'",
                                                 "--", "/bin/sh", "-c", "echo command-ran");
        ASSERT_EQ(r.status, EXIT_LANDLOCK_POLICY);
        ASSERT_CONTAINS(r.output, "foo.service: foo.service:7: bad access 'fly'");
        ASSERT_NOT_CONTAINS(r.output, "command-ran");
}

TEST(command_not_found_exits_203) {
        _cleanup_(run_done) Run r = run_enforcer("--path=/etc:ro", "--", "no-such-command-for-landlock-tests");
        ASSERT_EQ(r.status, EXIT_LANDLOCK_EXEC);
        ASSERT_CONTAINS(r.output, "no-such-command-for-landlock-tests");
}

TEST(required_path_missing_exits_248_naming_it) {
        _cleanup_(run_done) Run r = run_enforcer("--path=/nonexistent/landlock-test:ro", "--", "/bin/sh", "-c",
                                                 "echo command-ran");
        kernel_abi();
        ASSERT_EQ(r.status, EXIT_LANDLOCK_PATH);
        ASSERT_CONTAINS(r.output, "/nonexistent/landlock-test");
        ASSERT_NOT_CONTAINS(r.output, "command-ran");
}

TEST(optional_path_missing_runs) {
        _cleanup_(run_done) Run r = run_enforcer("--path=-/nonexistent/landlock-test:ro", "--", "/bin/true");
        kernel_abi();
        ASSERT_EQ(r.status, 0);
}

/* A directory the service may write, holding a symlink it could have swapped in: "state/bin" -> "/". */
static const char *writable_with_symlink(void) {
        static char state[PATH_MAX_LEN], link[PATH_MAX_LEN + 8];

        setup_tree();
        snprintf(state, sizeof state, "%s/state", tmpdir);
        snprintf(link, sizeof link, "%s/bin", state);
        if (mkdir(state, 0755) < 0)
                ASSERT_EQ(errno, EEXIST);
        if (symlink("/", link) < 0)
                ASSERT_EQ(errno, EEXIST);
        return state;
}

TEST(required_path_through_a_symlink_the_service_may_change_exits_248) {
        const char *state = writable_with_symlink();
        char rule[PATH_MAX_LEN + 32];

        snprintf(rule, sizeof rule, "--path=%s/bin:rx", state);
        _cleanup_(run_done) Run r = run_enforcer(path_arg(state, "rw"), rule, "--", "/bin/sh", "-c", "echo command-ran");
        kernel_abi();
        ASSERT_EQ(r.status, EXIT_LANDLOCK_PATH);
        ASSERT_CONTAINS(r.output, "refusing the required path ");
        ASSERT_CONTAINS(r.output, "/state/bin -> / on the way to ");
        ASSERT_CONTAINS(r.output, "where the service may create, remove or rename entries");
        ASSERT_NOT_CONTAINS(r.output, "command-ran");
}

TEST(optional_path_through_a_symlink_the_service_may_change_is_skipped_with_a_warning) {
        const char *state = writable_with_symlink();
        char rule[PATH_MAX_LEN + 32];

        snprintf(rule, sizeof rule, "--path=-%s/bin:rx", state);
        _cleanup_(run_done) Run r = run_enforcer(path_arg(state, "rw"), rule, "--", script, secret);
        kernel_abi();
        ASSERT_EQ(r.status, 0);
        ASSERT_CONTAINS(r.output, "Skipping optional path ");
        ASSERT_CONTAINS(r.output, "/state/bin -> / on the way to ");
        ASSERT_CONTAINS(r.output, "/secret: denied");
        ASSERT_CONTAINS(r.output, "script-ran");
}

/* Runs the enforcer, after "setup" (may be NULL) in the child, with a rule through a symlink whose
 * directory is in no writable area, next to a writable area: following it needs the mount table (could
 * the service reach that directory through a bind mount?). The symlink is followed: the command runs. */
static void run_with_symlinked_rule(ChildSetup setup) {
        const char *state = writable_with_symlink();
        char dir[PATH_MAX_LEN], link[PATH_MAX_LEN + 8], target[PATH_MAX_LEN + 8];
        _cleanup_free_ char *rule = NULL;

        snprintf(dir, sizeof dir, "%s/ro", tmpdir);
        snprintf(link, sizeof link, "%s/link", dir);
        snprintf(target, sizeof target, "%s/real", dir);
        if (mkdir(dir, 0755) < 0)
                ASSERT_EQ(errno, EEXIST);
        if (mkdir(target, 0755) < 0)
                ASSERT_EQ(errno, EEXIST);
        if (symlink("real", link) < 0)
                ASSERT_EQ(errno, EEXIST);
        ASSERT_TRUE(asprintf(&rule, "--path=%s:rx", link) > 0);

        _cleanup_(run_done) Run r = run_enforcer_after(setup, path_arg(state, "rw"), rule,
                                                       "--", "/bin/sh", "-c", "echo command-ran");
        kernel_abi();
        ASSERT_EQ(r.status, 0);
        ASSERT_CONTAINS(r.output, "command-ran");
        ASSERT_NOT_CONTAINS(r.output, "Skipping optional path");
}

/* An allow-list that does not name listmount() and statmount() kills them (systemd's default action, and
 * systemd 252 knows neither): under any seccomp filter the enforcer reads /proc/self/mountinfo. */
static int kill_mount_listing(void) {
        return TEST_SECCOMP_KILL(__NR_listmount, __NR_statmount);
}

TEST(mount_table_is_read_without_listmount_under_a_seccomp_filter) {
        run_with_symlinked_rule(kill_mount_listing);
}

/* The same rule without a filter: the table is listed (or read, before Linux 6.8). */
TEST(mount_table_is_read_without_a_seccomp_filter) {
        run_with_symlinked_rule(NULL);
}

TEST(strict_refuses_named_resolve_unix_before_abi_9) {
        setup_tree();
        _cleanup_(run_done) Run r = run_enforcer(path_arg(allowed, "ro,resolve-unix"), "--compat=strict", "--",
                                                 "/bin/sh", "-c", "echo command-ran");
        if (kernel_abi() >= 9) {
                ASSERT_EQ(r.status, 0);
                return;
        }
        ASSERT_EQ(r.status, EXIT_LANDLOCK);
        ASSERT_CONTAINS(r.output, "resolve-unix");
        ASSERT_NOT_CONTAINS(r.output, "command-ran");
}

TEST(strict_refuses_udp_ports_before_abi_10) {
        _cleanup_(run_done) Run r = run_enforcer("--connect=udp:53", "--compat=strict", "--", "/bin/sh", "-c",
                                                 "echo command-ran");
        if (kernel_abi() >= 10) {
                ASSERT_EQ(r.status, 0);
                return;
        }
        ASSERT_EQ(r.status, EXIT_LANDLOCK);
        ASSERT_CONTAINS(r.output, "udp");
        ASSERT_NOT_CONTAINS(r.output, "command-ran");
}

TEST(best_effort_runs_and_says_what_it_dropped) {
        _cleanup_(run_done) Run r = run_enforcer("--connect=udp:53", "--", "/bin/sh", "-c", "echo command-ran");
        ASSERT_EQ(r.status, 0);
        ASSERT_CONTAINS(r.output, "command-ran");
        if (kernel_abi() < 10)
                ASSERT_CONTAINS(r.output, "connect-send-udp");
}

TEST(allow_command_no_denies_the_command_itself) {
        setup_tree();
        _cleanup_(run_done) Run r = run_enforcer(path_arg(allowed, "ro"), "--allow-command=no", "--", "true");
        kernel_abi();
        ASSERT_EQ(r.status, EXIT_LANDLOCK_EXEC);
        ASSERT_CONTAINS(r.output, "policy denies execute on /usr/bin/true");
        ASSERT_CONTAINS(r.output, "LandlockExecPaths=");
}

/* Denied for want of its interpreter: the message names both files to grant. */
TEST(allow_command_no_names_the_interpreter_of_a_denied_script) {
        setup_tree();
        _cleanup_(run_done) Run r = run_enforcer(path_arg(bindir, "rx"), "--allow-command=no", "--", script);
        kernel_abi();
        ASSERT_EQ(r.status, EXIT_LANDLOCK_EXEC);
        ASSERT_CONTAINS(r.output, "or on its interpreter /bin/sh");
        ASSERT_CONTAINS(r.output, " and /bin/sh to LandlockExecPaths=");
}

TEST(allow_command_no_runs_what_exec_paths_grant) {
        setup_tree();
        _cleanup_(run_done) Run r = run_enforcer(path_arg(allowed, "ro"), "--path=/usr:rx", "--path=-/lib64:rx",
                                                 "--path=/etc/ld.so.cache:ro", "--allow-command=no", "--",
                                                 "/bin/cat", allowed_file);
        kernel_abi();
        ASSERT_EQ(r.status, 0);
        ASSERT_CONTAINS(r.output, "hello");
}

/* ---- Real commands under the policy ---- */

/* LandlockAllowPrograms=: a program the command execs gets its files (ls: its libraries too), nothing
 * else does. */
TEST(allow_programs_grants_what_the_command_execs) {
        char cmd[PATH_MAX_LEN + 32];

        setup_tree();
        snprintf(cmd, sizeof cmd, "ls %s && echo listed", allowed);
        _cleanup_(run_done) Run denied = run_enforcer(path_arg(allowed, "ro"), "--", "/bin/sh", "-c", cmd);
        _cleanup_(run_done) Run ok = run_enforcer(path_arg(allowed, "ro"), "--program=/usr/bin/ls", "--", "/bin/sh", "-c", cmd);
        _cleanup_(run_done) Run other = run_enforcer(path_arg(allowed, "ro"), "--program=/usr/bin/ls", "--", "/bin/sh", "-c",
                                                     "cat /etc/hostname || echo cat-denied");
        kernel_abi();
        ASSERT_NOT_CONTAINS(denied.output, "listed");
        ASSERT_CONTAINS(denied.output, "Permission denied");
        ASSERT_EQ(ok.status, 0);
        ASSERT_CONTAINS(ok.output, "listed");
        ASSERT_CONTAINS(other.output, "cat-denied");
}

TEST(allow_programs_missing_or_directory) {
        setup_tree();
        _cleanup_(run_done) Run missing = run_enforcer(path_arg(allowed, "ro"), "--program=/nonexistent/prog", "--", "true");
        _cleanup_(run_done) Run optional = run_enforcer(path_arg(allowed, "ro"), "--program=-/nonexistent/prog", "--", "true");
        _cleanup_(run_done) Run dir = run_enforcer(path_arg(allowed, "ro"), "--program=/usr/bin", "--", "true");
        kernel_abi();
        ASSERT_EQ(missing.status, EXIT_LANDLOCK_PATH);
        ASSERT_CONTAINS(missing.output, "LandlockAllowPrograms=/nonexistent/prog");
        ASSERT_EQ(optional.status, 0);
        ASSERT_EQ(dir.status, EXIT_LANDLOCK_POLICY);
        ASSERT_CONTAINS(dir.output, "is a directory");
}


/* What the service can write chooses files the closure reads: a program replaced by a symlink to a
 * file it may not read, a "#!" line naming that file, a program named env that reads its argument. None
 * of them may make a grant at the next start (the secret is readable by its mode, denied by the policy). */
TEST(files_the_service_wrote_never_widen_the_closure) {
        char helper[PATH_MAX_LEN + 16], start[PATH_MAX_LEN + 16], fake_env[PATH_MAX_LEN + 16],
             admin[PATH_MAX_LEN + 16], content[3 * PATH_MAX_LEN], cmd[PATH_MAX_LEN + 128],
             program[PATH_MAX_LEN + 32];

        setup_tree();
        snprintf(helper, sizeof helper, "%s/helper", allowed);
        snprintf(start, sizeof start, "%s/start", allowed);
        snprintf(fake_env, sizeof fake_env, "%s/env", allowed);
        snprintf(admin, sizeof admin, "%s/admin.sh", tmpdir);
        snprintf(cmd, sizeof cmd, "if read -r l < %s; then echo read-secret; else echo read-denied; fi", secret);
        snprintf(program, sizeof program, "--program=%s", helper);
        (void) unlink(helper);
        ASSERT_EQ(symlink(secret, helper), 0);
        _cleanup_(run_done) Run by_link = run_enforcer(path_arg(allowed, "rw"), program, "--",
                                                       "/bin/sh", "-c", cmd);
        ASSERT_EQ(unlink(helper), 0);
        snprintf(content, sizeof content, "#!%s\n", secret);
        write_file(helper, content, 0755);
        _cleanup_(run_done) Run by_shebang = run_enforcer(path_arg(allowed, "rw"), program, "--",
                                                          "/bin/sh", "-c", cmd);
        /* admin.sh: executable, so a "#!" may name it; only its owner (root) may read it. */
        write_file(admin, "#!/bin/sh\n# PASSWORD=hunter2\n", 0700);
        write_file(fake_env, "#!/bin/sh\nwhile read -r l; do echo \"$l\"; done < \"$1\"\n", 0755);
        snprintf(content, sizeof content, "#!%s %s\n", fake_env, admin);
        write_file(start, content, 0755);
        _cleanup_(run_done) Run by_env = run_enforcer(path_arg(allowed, "rw"), "--", start);
        unlink(helper);
        unlink(start);
        unlink(fake_env);
        unlink(admin);

        kernel_abi();
        ASSERT_EQ(by_link.status, EXIT_LANDLOCK);
        ASSERT_CONTAINS(by_link.output, "Permission denied (the program, or an interpreter its \"#!\" line names, "
                        "cannot be read or is not an executable file; nothing is granted on it)");
        ASSERT_NOT_CONTAINS(by_link.output, "read-secret");
        ASSERT_EQ(by_shebang.status, EXIT_LANDLOCK);
        ASSERT_NOT_CONTAINS(by_shebang.output, "read-secret");
        ASSERT_NOT_CONTAINS(by_env.output, "hunter2");
        ASSERT_CONTAINS(by_env.output, "Permission denied");
}

TEST(shell_script_runs_and_secret_is_denied) {
        setup_tree();
        _cleanup_(run_done) Run r = run_enforcer(path_arg(allowed, "ro"), "--", script, allowed_file, secret);
        kernel_abi();
        ASSERT_EQ(r.status, 0);
        /* The record "show" and "security" read back after a daemon-reload. */
        ASSERT_CONTAINS(r.output, LANDLOCK_POLICY_ID_MESSAGE);
        ASSERT_CONTAINS(r.output, "script-ran");
        ASSERT_CONTAINS(r.output, ": hello");
        ASSERT_CONTAINS(r.output, "/secret: denied");
}

TEST(bare_command_name_uses_search_path) {
        char sp[PATH_MAX_LEN + 32];

        setup_tree();
        snprintf(sp, sizeof sp, "--search-path=/nonexistent:%s", bindir);
        _cleanup_(run_done) Run r = run_enforcer(path_arg(allowed, "ro"), sp, "--", "probe.sh", secret);
        kernel_abi();
        ASSERT_EQ(r.status, 0);
        ASSERT_CONTAINS(r.output, "script-ran");
        ASSERT_CONTAINS(r.output, "/secret: denied");
}

TEST(dynamic_program_with_system_libraries_runs_and_secret_is_denied) {
        setup_tree();
        /* ls needs libselinux, libpcre2 and libc; listing the tree's top needs read-dir there. */
        _cleanup_(run_done) Run ok = run_enforcer(path_arg(allowed, "ro"), "--", "ls", allowed);
        _cleanup_(run_done) Run denied = run_enforcer(path_arg(allowed, "ro"), "--", "ls", tmpdir);
        kernel_abi();
        ASSERT_EQ(ok.status, 0);
        ASSERT_CONTAINS(ok.output, "file");
        ASSERT_EQ(denied.status, 2);
        ASSERT_CONTAINS(denied.output, "Permission denied");
}

TEST(dynamic_program_with_origin_rpath_libraries_runs_and_secret_is_denied) {
        const char *prog = getenv("EXECTEST_PROG");

        setup_tree();
        ASSERT_TRUE(prog);
        _cleanup_(run_done) Run r = run_enforcer(path_arg(allowed, "ro"), "--separate-argv0", "--", prog,
                                                 "custom-argv0", allowed_file, secret);
        kernel_abi();
        ASSERT_EQ(r.status, 0);
        ASSERT_CONTAINS(r.output, "argv0=custom-argv0");
        ASSERT_CONTAINS(r.output, "exectest-libs-loaded");
        ASSERT_CONTAINS(r.output, "/allowed/file: ok");
        ASSERT_CONTAINS(r.output, "/secret: EACCES");
}

/* "@/prog $VAR" with VAR="x --path=/:rwx": systemd splits $VAR into words after "--"; none of them is
 * policy, the program gets them as argv. */
TEST(words_after_the_separator_do_not_widen_the_policy) {
        const char *prog = getenv("EXECTEST_PROG");

        setup_tree();
        ASSERT_TRUE(prog);
        _cleanup_(run_done) Run r = run_enforcer(path_arg(allowed, "ro"), "--separate-argv0", "--", prog,
                                                 "x", "--path=/:rwx", allowed_file, secret);
        kernel_abi();
        ASSERT_EQ(r.status, 0);
        ASSERT_CONTAINS(r.output, "argv0=x");
        ASSERT_CONTAINS(r.output, "/allowed/file: ok");
        ASSERT_CONTAINS(r.output, "/secret: EACCES");
}

/* In ExecCondition=, 1-254 only skips the unit: every refusal must exit 255 there. */
TEST(condition_refusals_exit_255) {
        {
                _cleanup_(run_done) Run r = run_enforcer("--condition", "--error=x.service:3: bad", "--");
                ASSERT_EQ(r.status, EXIT_LANDLOCK_CONDITION);
                ASSERT_CONTAINS(r.output, "x.service:3: bad");
        }
        {
                _cleanup_(run_done) Run r = run_enforcer("--condition", "--bogus", "--", "/bin/true");
                ASSERT_EQ(r.status, EXIT_LANDLOCK_CONDITION);
        }
        {
                _cleanup_(run_done) Run r = run_enforcer("--condition", "--path=/nonexistent/landlock-test:ro", "--",
                                                         "/bin/true");
                kernel_abi();
                ASSERT_EQ(r.status, EXIT_LANDLOCK_CONDITION);
                ASSERT_CONTAINS(r.output, "/nonexistent/landlock-test");
        }
        {
                /* The command's own status is its own: a condition that says "no" still skips. */
                _cleanup_(run_done) Run r = run_enforcer("--condition", "--path=/etc:ro", "--", "/bin/sh", "-c", "exit 1");
                ASSERT_EQ(r.status, 1);
        }
}

TEST(static_program_runs_and_secret_is_denied) {
        setup_tree();
        if (access("/bin/busybox", X_OK) < 0)
                test_skip("/bin/busybox (busybox-static) is not installed");
        _cleanup_(run_done) Run ok = run_enforcer(path_arg(allowed, "ro"), "--", "/bin/busybox", "cat", allowed_file);
        _cleanup_(run_done) Run denied = run_enforcer(path_arg(allowed, "ro"), "--", "/bin/busybox", "cat", secret);
        kernel_abi();
        ASSERT_EQ(ok.status, 0);
        ASSERT_CONTAINS(ok.output, "hello");
        ASSERT_TRUE(denied.status != 0);
        ASSERT_CONTAINS(denied.output, "Permission denied");
        ASSERT_NOT_CONTAINS(denied.output, "secret\n");
}

TEST(implicit_devices_are_writable_and_other_devices_are_not) {
        setup_tree();
        if (access("/bin/busybox", X_OK) < 0)
                test_skip("/bin/busybox (busybox-static) is not installed");
        /* /dev/null is granted by the enforcer itself (landlock-implicit.h); /dev/tty is not. */
        _cleanup_(run_done) Run null = run_enforcer(path_arg(allowed, "ro"), "--", "/bin/busybox", "sh", "-c",
                                                    "echo x >/dev/null && echo null-ok");
        _cleanup_(run_done) Run ptmx = run_enforcer(path_arg(allowed, "ro"), "--", "/bin/busybox", "sh", "-c",
                                                    "cat /dev/ptmx </dev/null || echo ptmx-denied");
        kernel_abi();
        ASSERT_EQ(null.status, 0);
        ASSERT_CONTAINS(null.output, "null-ok");
        ASSERT_CONTAINS(ptmx.output, "Permission denied");
        ASSERT_CONTAINS(ptmx.output, "ptmx-denied");
}

TEST(process_wide_yes_with_one_thread_runs) {
        setup_tree();
        _cleanup_(run_done) Run r = run_enforcer(path_arg(allowed, "ro"), "--process-wide=yes", "--", script, secret);
        kernel_abi();
        ASSERT_EQ(r.status, 0);
        ASSERT_CONTAINS(r.output, "/secret: denied");
}

/* ---- How the enforcer is linked ---- */

/* ENFORCER_STATIC comes from meson's static-enforcer option: the built enforcer must be what was asked for. */
static bool enforcer_static(void) {
        const char *e = getenv("ENFORCER_STATIC");

        ASSERT_TRUE(e && (streq(e, "true") || streq(e, "false")));
        return streq(e, "true");
}

TEST(enforcer_is_linked_as_configured) {
        _cleanup_strv_free_ char **closure = NULL;
        _cleanup_free_ char *interpreter = NULL;
        const char *exe = getenv("LANDLOCK_EXEC");
        int r;

        ASSERT_TRUE(exe);
        r = exec_interpreter(exe, &interpreter);
        ASSERT_OK(r);
        ASSERT_OK(exec_closure_compute(exe, NULL, &closure));
        printf("# %s: interpreter %s, %zu files to map\n", exe, strna(interpreter), strv_length(closure));
        if (enforcer_static()) {
                /* No PT_INTERP, no DT_NEEDED: nothing but the kernel maps it, no ld.so ever runs in it. */
                ASSERT_EQ(r, 0);
                ASSERT_EQ(strv_length(closure), 1);
        } else {
                ASSERT_EQ(r, 1);
                ASSERT_TRUE(strv_length(closure) > 2);
        }
}

/* ---- Libraries preloaded with $LD_PRELOAD or /etc/ld.so.preload, starting threads ----
 *
 * A statically linked enforcer never loads them: they first run in the command, already confined, and so
 * do their threads. A dynamic enforcer (-Dstatic-enforcer=false) loads them before its main(): their
 * constructors run unconfined there, and LandlockProcessWide= decides whether their threads are
 * restricted with the enforcer (systemd-landlock-exec(8)). */

typedef struct ThreadLog {
        /* Records written inside the enforcer (a dynamic one only). */
        unsigned in_enforcer;
        bool ctor_in_enforcer_ok;       /* the constructor had access, i.e. ran before any restriction */
        unsigned ok_before;             /* thread attempts that succeeded before the marker */
        bool main_denied;               /* the restricted calling thread itself */
        unsigned ok_after, denied_after; /* enforcer thread attempts between the marker and exec */
        bool exec_seen;
        /* Records written by the command, after the exec. */
        bool ctor_in_command, ctor_in_command_denied;
        unsigned command_ok, command_denied; /* thread attempts in the command */
        bool exit_seen;
        unsigned elsewhere;             /* records from any other program: none expected */
} ThreadLog;

static ThreadLog parse_thread_log(const char *log, const char *enforcer, const char *command) {
        ThreadLog t = {};
        int stage = 0;          /* in the enforcer: 0 before "main", 1 until "exec" */

        for (const char *line = log; *line; ) {
                const char *e = strchrnul(line, '\n');
                char what[16] = "", result[32] = "", exe[PATH_MAX_LEN] = "";
                int pid, ph;
                long tid;

                if (sscanf(line, "%d %ld %d %15s %31s %4095s", &pid, &tid, &ph, what, result, exe) == 6) {
                        bool ok = streq(result, "ok");

                        if (streq(exe, enforcer)) {
                                t.in_enforcer++;
                                if (streq(what, "ctor"))
                                        t.ctor_in_enforcer_ok = ok;
                                else if (streq(what, "main")) {
                                        stage = 1;
                                        t.main_denied = !ok;
                                } else if (streq(what, "exec"))
                                        t.exec_seen = true;
                                else if (stage == 0 && ok)
                                        t.ok_before++;
                                else if (stage == 1 && ok)
                                        t.ok_after++;
                                else if (stage == 1)
                                        t.denied_after++;
                        } else if (streq(exe, command)) {
                                if (streq(what, "ctor")) {
                                        t.ctor_in_command = true;
                                        t.ctor_in_command_denied = streq(result, "EACCES");
                                } else if (streq(what, "thread")) {
                                        t.command_ok += ok;
                                        t.command_denied += streq(result, "EACCES");
                                } else if (streq(what, "exit"))
                                        t.exit_seen = true;
                        } else
                                t.elsewhere++;
                }
                if (!*e)
                        break;
                line = e + 1;
        }
        return t;
}

typedef enum PreloadHow {
        PRELOAD_ENV,            /* Environment=LD_PRELOAD= */
        PRELOAD_ETC,            /* /etc/ld.so.preload */
} PreloadHow;

static char etc_upper[PATH_MAX_LEN], etc_work[PATH_MAX_LEN];

/* In the enforcer's child: a private mount namespace whose /etc has the test's ld.so.preload on top of the
 * real /etc (an overlay: the real /etc/ld.so.preload, present or not, is never touched). */
static int setup_etc_ld_so_preload(void) {
        char options[3 * PATH_MAX_LEN];

        snprintf(options, sizeof options, "lowerdir=/etc,upperdir=%s,workdir=%s", etc_upper, etc_work);
        if (unshare(CLONE_NEWNS) < 0 ||
            mount(NULL, "/", NULL, MS_REC|MS_PRIVATE, NULL) < 0 ||
            mount("overlay", "/etc", "overlay", 0, options) < 0) {
                fprintf(stderr, "setting up /etc/ld.so.preload in a private mount namespace failed: %m\n");
                return -errno;
        }
        return 0;
}

/* Runs "/bin/true" through the enforcer with the library preloaded "how", its constructor and 4 threads
 * trying to read the secret, and returns what they recorded. */
static ThreadLog run_with_preloaded_threads(PreloadHow how, const char *process_wide) {
        const char *lib = getenv("PRELOAD_THREADS_LIB"), *exe = getenv("LANDLOCK_EXEC");
        char logpath[PATH_MAX_LEN + 32], env_preload[PATH_MAX_LEN + 16], env_target[PATH_MAX_LEN + 32],
                env_fd[64], pw[64], buf[1 << 16];
        _cleanup_free_ char *enforcer = NULL, *command = NULL;
        int fd, k;

        setup_tree();
        kernel_abi();
        ASSERT_TRUE(lib);
        ASSERT_TRUE(exe);
        ASSERT_TRUE(enforcer = realpath(exe, NULL));
        ASSERT_TRUE(command = realpath("/bin/true", NULL));

        snprintf(logpath, sizeof logpath, "%s/threads-%s-%s.log", tmpdir, how == PRELOAD_ENV ? "env" : "etc",
                 process_wide);
        fd = open(logpath, O_RDWR|O_CREAT|O_TRUNC|O_APPEND|O_CLOEXEC, 0644);
        ASSERT_TRUE(fd >= 0);

        snprintf(env_target, sizeof env_target, "LLTEST_THREADS_TARGET=%s", secret);
        snprintf(env_fd, sizeof env_fd, "LLTEST_THREADS_LOG_FD=%d", fd);
        snprintf(pw, sizeof pw, "--process-wide=%s", process_wide);
        char *env[] = { env_target, env_fd, (char *) "LLTEST_THREADS_COUNT=4", NULL, NULL };

        if (how == PRELOAD_ENV) {
                snprintf(env_preload, sizeof env_preload, "LD_PRELOAD=%s", lib);
                env[3] = env_preload;
        } else {
                char path[PATH_MAX_LEN + 32];

                if (geteuid() != 0)
                        test_skip("an overlay over /etc in a private mount namespace needs root");
                snprintf(etc_upper, sizeof etc_upper, "%s/etc-upper", tmpdir);
                snprintf(etc_work, sizeof etc_work, "%s/etc-work", tmpdir);
                (void) mkdir(etc_upper, 0755);
                (void) mkdir(etc_work, 0755);
                snprintf(path, sizeof path, "%s/ld.so.preload", etc_upper);
                write_file(path, lib, 0644);
        }

        _cleanup_(run_done) Run r = run_enforcer_env_after(env, fd,
                                                           how == PRELOAD_ETC ? setup_etc_ld_so_preload : NULL,
                                                           path_arg(allowed, "ro"), pw, "--", "/bin/true", NULL);
        ASSERT_EQ(r.status, 0);

        k = pread(fd, buf, sizeof buf - 1, 0);
        ASSERT_TRUE(k > 0);
        buf[k] = '\0';
        close(fd);

        ThreadLog t = parse_thread_log(buf, enforcer, command);
        printf("# %s, process-wide=%s: %u records in the enforcer (constructor had access: %s; threads: ok before "
               "%u, main denied %s, after restriction ok %u, denied %u); in the command: constructor %s, "
               "threads ok %u, denied %u\n",
               how == PRELOAD_ENV ? "LD_PRELOAD" : "/etc/ld.so.preload", process_wide, t.in_enforcer,
               yes_no(t.ctor_in_enforcer_ok), t.ok_before, yes_no(t.main_denied), t.ok_after, t.denied_after,
               t.ctor_in_command ? (t.ctor_in_command_denied ? "denied" : "NOT denied") : "did not run",
               t.command_ok, t.command_denied);

        /* In either build, the command's own copy of the library runs confined, its threads too. */
        ASSERT_EQ(t.elsewhere, 0);
        ASSERT_TRUE(t.ctor_in_command);
        ASSERT_TRUE(t.ctor_in_command_denied);
        ASSERT_TRUE(t.exit_seen);
        ASSERT_EQ(t.command_ok, 0);
        ASSERT_TRUE(t.command_denied >= 4);

        if (enforcer_static()) {
                /* Never loaded into the enforcer: not one instruction of it ran outside the domain. */
                ASSERT_EQ(t.in_enforcer, 0);
                return t;
        }

        /* A dynamic enforcer: the constructor ran before main(), unconfined, and the threads had access.
         * The test is only meaningful if they did, and if all of them reported after the restriction. */
        ASSERT_TRUE(t.ctor_in_enforcer_ok);
        ASSERT_TRUE(t.ok_before > 0);
        ASSERT_TRUE(t.main_denied);
        ASSERT_TRUE(t.exec_seen);
        ASSERT_TRUE(t.ok_after + t.denied_after >= 4);
        return t;
}

TEST(preloaded_threads_never_run_unconfined_with_process_wide_auto) {
        ThreadLog t = run_with_preloaded_threads(PRELOAD_ENV, "auto");
        ASSERT_EQ(t.ok_after, 0);
}

TEST(preloaded_threads_never_run_unconfined_with_process_wide_yes) {
        ThreadLog t = run_with_preloaded_threads(PRELOAD_ENV, "yes");
        ASSERT_EQ(t.ok_after, 0);
}

TEST(preloaded_threads_keep_access_with_process_wide_no_only_in_a_dynamic_enforcer) {
        /* Documented in systemd-landlock-exec(8): only the calling thread is restricted; in a dynamic
         * enforcer its siblings keep their access until execve() ends them. A static one has none. */
        ThreadLog t = run_with_preloaded_threads(PRELOAD_ENV, "no");
        if (enforcer_static())
                ASSERT_EQ(t.ok_after, 0);
        else
                ASSERT_TRUE(t.ok_after > 0);
}

TEST(ld_so_preload_runs_only_in_the_command_with_a_static_enforcer) {
        ThreadLog t = run_with_preloaded_threads(PRELOAD_ETC, "auto");
        /* Dynamic: it ran in the enforcer too (checked above), its threads restricted by "auto". */
        ASSERT_EQ(t.ok_after, 0);
}

/* ---- Seccomp filters that make Landlock look absent, or fake it ---- */

/* On this kernel Landlock is active, so whatever a filter makes the Landlock calls answer, the command
 * must never run unconfined: the enforcer refuses (246) in best effort as in strict. */

#define LANDLOCK_CALLS __NR_landlock_create_ruleset, __NR_landlock_add_rule, __NR_landlock_restrict_self

static int deny_landlock_enosys(void) {
        return TEST_SECCOMP_DENY(ENOSYS, LANDLOCK_CALLS);
}

static int deny_landlock_eopnotsupp(void) {
        return TEST_SECCOMP_DENY(EOPNOTSUPP, LANDLOCK_CALLS);
}

static int fake_restrict_self(void) {
        return TEST_SECCOMP_DENY(0, __NR_landlock_restrict_self);
}

static int fake_create_ruleset(void) {
        return TEST_SECCOMP_DENY(0, __NR_landlock_create_ruleset);
}

static int deny_restrict_self_enosys(void) {
        return TEST_SECCOMP_DENY(ENOSYS, __NR_landlock_restrict_self);
}

/* A hardened unit's filter that has nothing to do with Landlock. */
static int deny_unrelated(void) {
        return TEST_SECCOMP_DENY(ENOSYS, __NR_acct, __NR_swapon);
}

/* Looks like the real file, on the wrong file system: it must prove nothing. */
static int mount_fake_lsm_list(void) {
        int fd, r;

        r = test_private_security_dir(/* securityfs= */ false);
        if (r < 0)
                return r;
        fd = open("/sys/kernel/security/lsm", O_WRONLY|O_CREAT|O_CLOEXEC, 0444);
        if (fd < 0)
                return -errno;
        if (write(fd, "capability,yama", 15) != 15) {
                close(fd);
                return -EIO;
        }
        close(fd);
        return 0;
}

static int hide_all_lists_enosys(void) {
        int r = test_private_security_dir(/* securityfs= */ false);
        return r < 0 ? r : TEST_SECCOMP_DENY(ENOSYS, LANDLOCK_CALLS, __NR_lsm_list_modules);
}

static int securityfs_only_enosys(void) {
        int r = test_private_security_dir(/* securityfs= */ true);
        return r < 0 ? r : TEST_SECCOMP_DENY(ENOSYS, LANDLOCK_CALLS, __NR_lsm_list_modules);
}

static int fake_lsm_list_enosys(void) {
        int r = mount_fake_lsm_list();
        return r < 0 ? r : TEST_SECCOMP_DENY(ENOSYS, LANDLOCK_CALLS, __NR_lsm_list_modules);
}

/* An allow-list that does not name lsm_list_modules() kills it (systemd's default action). */
static int kill_lsm_list_modules(void) {
        return TEST_SECCOMP_KILL(__NR_lsm_list_modules);
}

static int hide_landlock_kill_lsm_list_enosys(void) {
        int r = test_private_security_dir(/* securityfs= */ false);
        if (r >= 0)
                r = TEST_SECCOMP_DENY(ENOSYS, LANDLOCK_CALLS);
        return r < 0 ? r : TEST_SECCOMP_KILL(__NR_lsm_list_modules);
}

static void need_root_for_mounts(void) {
        if (geteuid() != 0)
                test_skip("mounting in a mount namespace of the test's own needs root");
}

/* The command never ran, the exit status is the documented one, and the message says what to fix. */
static void assert_refused(const Run *r) {
        ASSERT_EQ(r->status, EXIT_LANDLOCK);
        ASSERT_NOT_CONTAINS(r->output, "command-ran");
        ASSERT_NOT_CONTAINS(r->output, "UNCONFINED");
        ASSERT_CONTAINS(r->output, "SystemCallFilter=");
        ASSERT_CONTAINS(r->output, "landlock_create_ruleset, landlock_add_rule and landlock_restrict_self");
}

#define RUN_COMMAND_RAN "--", "/bin/sh", "-c", "echo command-ran"

TEST(seccomp_enosys_best_effort_refuses_when_landlock_is_active) {
        setup_tree();
        kernel_abi();
        _cleanup_(run_done) Run r = run_enforcer_after(deny_landlock_enosys, path_arg(allowed, "ro"), RUN_COMMAND_RAN);
        assert_refused(&r);
        /* This kernel (≥ 6.8) answers lsm_list_modules(); securityfs may not be mounted. */
        ASSERT_CONTAINS(r.output, "fails with ENOSYS, yet Landlock is active in this kernel");
}

TEST(seccomp_enosys_strict_refuses_when_landlock_is_active) {
        setup_tree();
        kernel_abi();
        _cleanup_(run_done) Run r = run_enforcer_after(deny_landlock_enosys, path_arg(allowed, "ro"), "--compat=strict",
                                                       RUN_COMMAND_RAN);
        assert_refused(&r);
        ASSERT_CONTAINS(r.output, "yet Landlock is active in this kernel");
}

TEST(seccomp_eopnotsupp_best_effort_refuses_when_landlock_is_active) {
        setup_tree();
        kernel_abi();
        _cleanup_(run_done) Run r = run_enforcer_after(deny_landlock_eopnotsupp, path_arg(allowed, "ro"), RUN_COMMAND_RAN);
        assert_refused(&r);
        ASSERT_CONTAINS(r.output, "fails with EOPNOTSUPP, yet Landlock is active in this kernel");
}

TEST(seccomp_enosys_refuses_naming_securityfs_when_it_says_landlock_is_active) {
        setup_tree();
        kernel_abi();
        need_root_for_mounts();
        _cleanup_(run_done) Run r = run_enforcer_after(securityfs_only_enosys, path_arg(allowed, "ro"), RUN_COMMAND_RAN);
        assert_refused(&r);
        ASSERT_CONTAINS(r.output, "/sys/kernel/security/lsm lists it");
}

TEST(seccomp_enosys_refuses_when_nothing_tells_whether_the_kernel_has_landlock) {
        setup_tree();
        kernel_abi();
        need_root_for_mounts();
        _cleanup_(run_done) Run r = run_enforcer_after(hide_all_lists_enosys, path_arg(allowed, "ro"), RUN_COMMAND_RAN);
        assert_refused(&r);
        ASSERT_CONTAINS(r.output, "nothing here tells whether the kernel really lacks Landlock");
}

TEST(seccomp_enosys_refuses_with_an_lsm_list_that_is_not_on_securityfs) {
        setup_tree();
        kernel_abi();
        need_root_for_mounts();
        _cleanup_(run_done) Run r = run_enforcer_after(fake_lsm_list_enosys, path_arg(allowed, "ro"), RUN_COMMAND_RAN);
        assert_refused(&r);
        ASSERT_CONTAINS(r.output, "nothing here tells whether the kernel really lacks Landlock");
}

TEST(seccomp_faking_restrict_self_success_refuses) {
        setup_tree();
        kernel_abi();
        _cleanup_(run_done) Run r = run_enforcer_after(fake_restrict_self, path_arg(allowed, "ro"), "--", script, secret);
        ASSERT_EQ(r.status, EXIT_LANDLOCK);
        ASSERT_NOT_CONTAINS(r.output, "script-ran");
        ASSERT_CONTAINS(r.output, "landlock_restrict_self() returns 0 without doing anything");
        ASSERT_CONTAINS(r.output, "SystemCallFilter=");
}

TEST(seccomp_faking_create_ruleset_answer_0_refuses) {
        setup_tree();
        kernel_abi();
        _cleanup_(run_done) Run r = run_enforcer_after(fake_create_ruleset, path_arg(allowed, "ro"), "--", script, secret);
        ASSERT_EQ(r.status, EXIT_LANDLOCK);
        ASSERT_NOT_CONTAINS(r.output, "script-ran");
        ASSERT_CONTAINS(r.output, "landlock_create_ruleset() returns 0 without doing anything");
}

TEST(seccomp_blocking_restrict_self_only_refuses_naming_it) {
        setup_tree();
        kernel_abi();
        _cleanup_(run_done) Run r = run_enforcer_after(deny_restrict_self_enosys, path_arg(allowed, "ro"), RUN_COMMAND_RAN);
        assert_refused(&r);
        ASSERT_CONTAINS(r.output, "landlock_create_ruleset() works but landlock_restrict_self() fails");
}

/* After "setup" in the child, the script runs with "access" on the allowed directory, confined: it reads
 * the allowed file and not the secret. */
static void assert_runs_confined_after(ChildSetup setup, const char *access) {
        setup_tree();
        kernel_abi();
        _cleanup_(run_done) Run r = run_enforcer_after(setup, path_arg(allowed, access), "--", script, allowed_file,
                                                       secret);
        ASSERT_EQ(r.status, 0);
        ASSERT_CONTAINS(r.output, "script-ran");
        ASSERT_CONTAINS(r.output, ": hello");
        ASSERT_CONTAINS(r.output, "/secret: denied");
}

TEST(seccomp_filter_unrelated_to_landlock_runs_confined) {
        assert_runs_confined_after(deny_unrelated, "ro");
}

/* statx() is asked only where a rule path crosses a symlink next to a writable area: an allow-list that
 * does not name it (which kills, as systemd's do) leaves rules that cross no symlink working. */
static int kill_statx(void) {
        return TEST_SECCOMP_KILL(__NR_statx);
}

TEST(seccomp_filter_killing_statx_runs_a_writable_area_confined) {
        assert_runs_confined_after(kill_statx, "rw");
}

/* A filter that answers statx() with 0 (SystemCallFilter=~statx:0) fills in nothing: whether the service
 * may change the symlink cannot be told then, and the command does not run. */
static int fake_statx(void) {
        return TEST_SECCOMP_DENY(0, __NR_statx);
}

TEST(seccomp_filter_faking_statx_refuses_a_symlink_the_service_may_change) {
        const char *state = writable_with_symlink();
        char rule[PATH_MAX_LEN + 32];

        snprintf(rule, sizeof rule, "--path=%s/bin:rx", state);
        _cleanup_(run_done) Run r = run_enforcer_after(fake_statx, path_arg(state, "rw"), rule, "--", "/bin/sh", "-c",
                                                       "echo command-ran");
        kernel_abi();
        ASSERT_NOT_CONTAINS(r.output, "command-ran");
        ASSERT_EQ(r.status, EXIT_LANDLOCK);
        ASSERT_CONTAINS(r.output, "cannot tell whether the service may change the symlink");
}

/* openat2() answered with 0 "returns" descriptor 0, stdin: never taken for the rule path (the walk opens
 * it with openat()), and never closed. */
#ifndef __NR_openat2
#define __NR_openat2 437                /* the same on every architecture (Linux 5.6) */
#endif

static int fake_openat2(void) {
        return TEST_SECCOMP_DENY(0, __NR_openat2);
}

TEST(seccomp_filter_faking_openat2_runs_confined) {
        assert_runs_confined_after(fake_openat2, "rw");
}

/* The same for fstat(): a writable area whose type is not known is not taken for a file. musl's fstat()
 * is the fstat call, glibc's newfstatat (fstatat64 on 32-bit architectures). */
static int fake_fstat(void) {
#if defined(__NR_newfstatat)
        return TEST_SECCOMP_DENY(0, __NR_fstat, __NR_newfstatat);
#elif defined(__NR_fstatat64)
        return TEST_SECCOMP_DENY(0, __NR_fstat64, __NR_fstatat64);
#else
        return TEST_SECCOMP_DENY(0, __NR_fstat);
#endif
}

TEST(seccomp_filter_faking_fstat_refuses) {
        setup_tree();
        kernel_abi();
        _cleanup_(run_done) Run r = run_enforcer_after(fake_fstat, path_arg(allowed, "rw"), "--path=/dev/null:ro",
                                                       "--allow-command=no", "--", "/bin/true");
        if (!enforcer_static()) {
                /* ld.so maps the libraries of a dynamic enforcer with what fstat() says: it fails first
                 * (symbol lookup error). */
                ASSERT_EQ(r.status, 127);
                return;
        }
        ASSERT_EQ(r.status, EXIT_LANDLOCK);
        ASSERT_CONTAINS(r.output, "fstat() of a descriptor that is not open succeeds");
}

/* Started with stdin closed (by hand: systemd always opens 0, 1 and 2), the files of the command the
 * closure reads may land on descriptor 0: they are kept at 3 or above all the same. */
static int close_stdin(void) {
        return close(STDIN_FILENO);
}

TEST(started_with_stdin_closed_runs_confined) {
        assert_runs_confined_after(close_stdin, "rw");
}

/* With Landlock answering, the enforcer asks nothing a service's filter may kill. */
TEST(seccomp_filter_killing_lsm_list_modules_runs_confined) {
        assert_runs_confined_after(kill_lsm_list_modules, "ro");
}

/* The one question that may be killed is asked from a child: the enforcer refuses with its message. */
TEST(seccomp_enosys_and_a_killing_lsm_list_modules_refuses_with_a_message) {
        setup_tree();
        kernel_abi();
        need_root_for_mounts();
        _cleanup_(run_done) Run r = run_enforcer_after(hide_landlock_kill_lsm_list_enosys, path_arg(allowed, "ro"),
                                                       RUN_COMMAND_RAN);
        assert_refused(&r);
        ASSERT_CONTAINS(r.output, "nothing here tells whether the kernel really lacks Landlock");
}
