/* SPDX-License-Identifier: LGPL-2.1-or-later */

/* /init of the QEMU kernel matrix (test/qemu/run.sh). Runs as PID 1 of a throwaway VM: mounts the API file
 * systems, reads what the host expects of this kernel from the kernel command line (lltest.abi=,
 * lltest.errata=, lltest.bench=, lltest.ci=), runs every TEST() below through the TAP harness, and powers
 * the VM off. Every restriction happens in a forked child: PID 1 itself stays unconfined.
 *
 * It also runs outside a VM (not as PID 1) for development: LLTEST_ABI=7 LLTEST_ERRATA=0x7 ./qemu-test */

#include <fcntl.h>
#include <sys/mount.h>
#include <sys/reboot.h>
#include <sys/stat.h>

#include "qemu-test.h"

QemuTestExpect expect = {
        .abi = -1,
};

static bool is_pid1(void) {
        return getpid() == 1;
}

static void mount_api_filesystems(void) {
        static const struct {
                const char *what, *where, *type;
        } mounts[] = {
                { "proc",     "/proc", "proc" },
                { "sysfs",    "/sys",  "sysfs" },
                { "devtmpfs", "/dev",  "devtmpfs" },
                { "tmpfs",    "/tmp",  "tmpfs" },
        };

        for (size_t i = 0; i < ELEMENTSOF(mounts); i++) {
                (void) mkdir(mounts[i].where, 0755);
                if (mount(mounts[i].what, mounts[i].where, mounts[i].type, 0, NULL) < 0)
                        printf("# qemu-test: failed to mount %s: %m\n", mounts[i].where);
        }
}

/* The kernel opens /dev/console for init only if the initramfs has it; fall back to devtmpfs's. */
static void ensure_console(void) {
        int fd;

        if (fcntl(STDOUT_FILENO, F_GETFD) >= 0)
                return;
        fd = open("/dev/console", O_RDWR|O_NOCTTY);
        if (fd < 0)
                return;
        for (int i = 0; i < 3; i++)
                if (fd != i)
                        (void) dup2(fd, i);
        if (fd > 2)
                (void) close(fd);
}

static void parse_option(const char *key, const char *value) {
        if (streq(key, "name"))
                expect.name = strdup(value);
        else if (streq(key, "abi"))
                expect.abi = atoi(value);
        else if (streq(key, "errata"))
                expect.errata = (uint32_t) strtoul(value, NULL, 0);
        else if (streq(key, "bench"))
                expect.bench = streq(value, "1");
        else if (streq(key, "tap"))
                expect.tap_device = strdup(value);
        else if (streq(key, "ci"))
                (void) setenv("CI", value, 1);
}

static void parse_kernel_command_line(void) {
        _cleanup_fclose_ FILE *f = NULL;
        char buf[4096], *saveptr = NULL;

        f = fopen("/proc/cmdline", "re");
        if (!f || !fgets(buf, sizeof(buf), f))
                return;

        for (char *w = strtok_r(buf, " \t\n", &saveptr); w; w = strtok_r(NULL, " \t\n", &saveptr)) {
                const char *kv = startswith(w, "lltest.");
                char *eq;

                if (!kv || !(eq = strchr(kv, '=')))
                        continue;
                *eq = '\0';
                parse_option(kv, eq + 1);
        }
}

static void parse_environment(void) {
        const char *e;

        if ((e = getenv("LLTEST_ABI")))
                parse_option("abi", e);
        if ((e = getenv("LLTEST_ERRATA")))
                parse_option("errata", e);
        if ((e = getenv("LLTEST_BENCH")))
                parse_option("bench", e);
}

static void finish(void) {
        if (expect.bench)
                bench_run();
        printf("# qemu-test: done\n");
        fflush(stdout);
        if (!is_pid1())
                return;
        sync();
        (void) reboot(RB_POWER_OFF);
        /* PID 1 must not exit: that panics the kernel. */
        for (;;)
                pause();
}

/* The TAP stream goes to a serial port of its own, so kernel messages on the console cannot break its
 * lines; stderr (and the children's) stays on the console. */
static void redirect_stdout(const char *device) {
        int fd;

        fd = open(device, O_WRONLY|O_NOCTTY|O_CLOEXEC);
        if (fd < 0) {
                printf("# qemu-test: failed to open %s, TAP stays on the console: %m\n", device);
                return;
        }
        (void) dup2(fd, STDOUT_FILENO);
        (void) close(fd);
}

/* Runs before the harness's main() and its TEST() registrations are independent of it. */
__attribute__((__constructor__(101))) static void qemu_test_setup(void) {
        if (is_pid1()) {
                mount_api_filesystems();
                ensure_console();
                (void) setenv("PATH", "/bin:/usr/bin", 1);
                parse_kernel_command_line();
                if (expect.tap_device)
                        redirect_stdout(expect.tap_device);
        } else
                parse_environment();

        setvbuf(stdout, NULL, _IOLBF, 0);
        setvbuf(stderr, NULL, _IONBF, 0);
        atexit(finish);

        if (is_pid1() && loopback_up() < 0)
                printf("# qemu-test: failed to bring up lo\n");
        if (fixture_setup() < 0)
                printf("# qemu-test: failed to create %s\n", FIXTURE_DIR);

        printf("# qemu-test: %s, expecting Landlock ABI %d, errata 0x%x\n",
               expect.name ?: "(host)", expect.abi, expect.errata);
}

/* ---- helpers shared by the checks ---- */

int fork_and_wait(int (*child)(void *userdata), void *userdata) {
        pid_t pid;
        int status;

        fflush(stdout);
        fflush(stderr);
        pid = fork();
        if (pid < 0)
                return -errno;
        if (pid == 0)
                _exit(child(userdata));

        if (waitpid(pid, &status, 0) < 0)
                return -errno;
        if (WIFEXITED(status))
                return WEXITSTATUS(status);
        printf("# child killed by signal %d\n", WTERMSIG(status));
        return 128 + WTERMSIG(status);
}

const char *enforcer_path(void) {
        return getenv("LLTEST_ENFORCER") ?: "/usr/libexec/systemd-landlock-exec";
}

int expected_abi(void) {
        if (expect.abi < 0)
                test_skip("no expected ABI given (lltest.abi= or $LLTEST_ABI)");
        return expect.abi;
}
