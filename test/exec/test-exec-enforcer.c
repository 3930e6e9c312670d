/* SPDX-License-Identifier: LGPL-2.1-or-later */

/* The built systemd-landlock-exec, run as a subprocess on this kernel: every error path with its exit
 * status and message, and real commands (a script, dynamically linked programs, a static one) that run
 * under the policy while a file outside it is denied. Paths of the built binaries come from meson through
 * the environment: LANDLOCK_EXEC, EXECTEST_PROG, PRELOAD_THREADS_LIB. */

#include <fcntl.h>
#include <stdarg.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include "exec-exit.h"
#include "landlock-abi.h"
#include "strv.h"
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

/* Runs the enforcer with "args" (NULL-terminated) and "env" (NAME=VALUE…, NULL-terminated, added to ours),
 * returns its exit status and combined output. Extra descriptor "keep_fd" stays open in the child. */
static Run run_enforcer_env(char **env, int keep_fd, const char *first, ...) {
        _cleanup_strv_free_ char **argv = NULL;
        const char *exe = getenv("LANDLOCK_EXEC");
        int pipefd[2], status;
        size_t size = 0, n = 0;
        char *buf = NULL;
        va_list ap;
        pid_t pid;
        Run r = {};

        ASSERT_TRUE(exe);
        ASSERT_OK(strv_extend(&argv, exe));
        va_start(ap, first);
        for (const char *a = first; a; a = va_arg(ap, const char *))
                ASSERT_OK(strv_extend(&argv, a));
        va_end(ap);

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
        return r;
}

#define run_enforcer(...) run_enforcer_env(NULL, -1, __VA_ARGS__, NULL)

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

TEST(allow_command_no_runs_what_exec_paths_grant) {
        setup_tree();
        _cleanup_(run_done) Run r = run_enforcer(path_arg(allowed, "ro"), "--path=/usr:rx", "--path=/lib64:rx",
                                                 "--path=/etc/ld.so.cache:ro", "--allow-command=no", "--",
                                                 "/bin/cat", allowed_file);
        kernel_abi();
        ASSERT_EQ(r.status, 0);
        ASSERT_CONTAINS(r.output, "hello");
}

/* ---- Real commands under the policy ---- */

TEST(shell_script_runs_and_secret_is_denied) {
        setup_tree();
        _cleanup_(run_done) Run r = run_enforcer(path_arg(allowed, "ro"), "--", script, allowed_file, secret);
        kernel_abi();
        ASSERT_EQ(r.status, 0);
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
        _cleanup_(run_done) Run r = run_enforcer(path_arg(allowed, "ro"), "--argv0", "custom-argv0", "--", prog,
                                                 allowed_file, secret);
        kernel_abi();
        ASSERT_EQ(r.status, 0);
        ASSERT_CONTAINS(r.output, "argv0=custom-argv0");
        ASSERT_CONTAINS(r.output, "exectest-libs-loaded");
        ASSERT_CONTAINS(r.output, "/allowed/file: ok");
        ASSERT_CONTAINS(r.output, "/secret: EACCES");
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

/* ---- Threads started by a preloaded library ---- */

typedef struct ThreadLog {
        unsigned ok_before;             /* thread attempts that succeeded before the marker */
        bool main_denied;               /* the restricted calling thread itself */
        unsigned ok_after, denied_after; /* enforcer thread attempts between the marker and exec */
        bool exec_seen;
} ThreadLog;

static ThreadLog parse_thread_log(const char *log) {
        ThreadLog t = {};
        int stage = 0;          /* 0 before "main", 1 until "exec", 2 after */

        for (const char *line = log; *line; ) {
                const char *e = strchrnul(line, '\n');
                char what[16] = "", result[32] = "";
                int pid, ph;
                long tid;

                if (sscanf(line, "%d %ld %d %15s %31s", &pid, &tid, &ph, what, result) == 5) {
                        bool ok = streq(result, "ok");

                        if (streq(what, "main")) {
                                stage = 1;
                                t.main_denied = !ok;
                        } else if (streq(what, "exec")) {
                                stage = 2;
                                t.exec_seen = true;
                        } else if (stage == 0 && ok)
                                t.ok_before++;
                        else if (stage == 1 && ok)
                                t.ok_after++;
                        else if (stage == 1)
                                t.denied_after++;
                }
                if (!*e)
                        break;
                line = e + 1;
        }
        return t;
}

static ThreadLog run_with_preloaded_threads(const char *process_wide) {
        const char *lib = getenv("PRELOAD_THREADS_LIB");
        char logpath[PATH_MAX_LEN + 16], env_preload[PATH_MAX_LEN + 16], env_target[PATH_MAX_LEN + 32],
                env_fd[64], pw[64], buf[1 << 16];
        int fd, k;

        setup_tree();
        kernel_abi();
        ASSERT_TRUE(lib);

        snprintf(logpath, sizeof logpath, "%s/threads-%s.log", tmpdir, process_wide);
        fd = open(logpath, O_RDWR|O_CREAT|O_TRUNC|O_APPEND|O_CLOEXEC, 0644);
        ASSERT_TRUE(fd >= 0);

        snprintf(env_preload, sizeof env_preload, "LD_PRELOAD=%s", lib);
        snprintf(env_target, sizeof env_target, "LLTEST_THREADS_TARGET=%s", secret);
        snprintf(env_fd, sizeof env_fd, "LLTEST_THREADS_LOG_FD=%d", fd);
        snprintf(pw, sizeof pw, "--process-wide=%s", process_wide);
        char *env[] = { env_preload, env_target, env_fd, (char *) "LLTEST_THREADS_COUNT=4", NULL };

        _cleanup_(run_done) Run r = run_enforcer_env(env, fd, path_arg(allowed, "ro"), pw, "--", "/bin/true", NULL);
        ASSERT_EQ(r.status, 0);

        k = pread(fd, buf, sizeof buf - 1, 0);
        ASSERT_TRUE(k > 0);
        buf[k] = '\0';
        close(fd);

        ThreadLog t = parse_thread_log(buf);
        printf("# %s: ok before %u, main denied %s, after restriction: ok %u, denied %u\n", process_wide,
               t.ok_before, t.main_denied ? "yes" : "no", t.ok_after, t.denied_after);
        /* The test is only meaningful if the threads had access before, and all reported after. */
        ASSERT_TRUE(t.ok_before > 0);
        ASSERT_TRUE(t.main_denied);
        ASSERT_TRUE(t.exec_seen);
        ASSERT_TRUE(t.ok_after + t.denied_after >= 4);
        return t;
}

TEST(preloaded_threads_are_denied_from_restriction_on_with_auto) {
        ThreadLog t = run_with_preloaded_threads("auto");
        ASSERT_EQ(t.ok_after, 0);
}

TEST(preloaded_threads_are_denied_from_restriction_on_with_yes) {
        ThreadLog t = run_with_preloaded_threads("yes");
        ASSERT_EQ(t.ok_after, 0);
}

TEST(preloaded_threads_keep_access_with_process_wide_no) {
        /* Documented in systemd-landlock-exec(8): only the calling thread is restricted; its siblings keep
         * their access until execve() ends them. */
        ThreadLog t = run_with_preloaded_threads("no");
        ASSERT_TRUE(t.ok_after > 0);
}
