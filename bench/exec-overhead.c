/* SPDX-License-Identifier: LGPL-2.1-or-later */

/* What systemd-landlock-exec adds to each service start: exec of a tiny command (/bin/true) through the
 * enforcer with a 20-rule policy (LandlockAllowCommand=yes, so the exec closure is computed too), against
 * a plain exec of the same command; against exec through exec-trampoline, a wrapper that does nothing
 * but exec the command, linked as the enforcer is: what any program exec'd in front of the command costs
 * (execve() and the C library's start-up); and against exec-floor, linked the same way, which makes only
 * the system calls that enforcing this policy takes (open each rule path and add its rule, read the
 * command's files, read the mount table once since a rule path crosses a symlink, as the enforcer does
 * without a seccomp filter), computed here before
 * the runs: the floor under any enforcer of this design. Also through the enforcer with the same rules
 * written canonically (/usr/lib64 for /lib64): no rule path crosses a symlink, so no mount table is read;
 * most units' paths are canonical. Alternating, measured in the same run. Prints medians, the ratio, the
 * absolute overhead per exec and how it splits.
 *
 *   build/bench/exec-overhead [ENFORCER [RUNS]]
 *
 * ENFORCER defaults to the one built in this build tree. */

#include <fcntl.h>
#include <limits.h>
#include <sys/wait.h>
#include <time.h>

#include "exec-closure.h"
#include "landlock-implicit.h"
#include "macro.h"
#include "strv.h"

static const char *const policy[] = {
        "--path=-/usr:rx", "--path=-/etc:ro", "--path=-/tmp:rw", "--path=-/var/tmp:rw", "--path=-/var/lib:ro",
        "--path=-/run:ro", "--path=-/opt:ro", "--path=-/home:ro", "--path=-/root:ro", "--path=-/srv:ro",
        "--path=-/proc:ro", "--path=-/sys:ro", "--path=-/dev/null:rw", "--path=-/dev/urandom:ro",
        "--path=-/boot:ro", "--path=-/mnt:ro", "--path=-/media:ro", "--path=-/var/log:ro",
        "--path=-/var/cache:ro", "--path=-/lib64:rx",
};

static uint64_t now_ns(void) {
        struct timespec ts;

        clock_gettime(CLOCK_MONOTONIC, &ts);
        return (uint64_t) ts.tv_sec * 1000000000ULL + (uint64_t) ts.tv_nsec;
}

static int64_t run_ns(char *const argv[]) {
        uint64_t start = now_ns();
        int status;
        pid_t pid;

        pid = fork();
        if (pid < 0)
                return -errno;
        if (pid == 0) {
                /* The enforcer warns about what this kernel cannot enforce at every start: keep it quiet. */
                int null = open("/dev/null", O_WRONLY|O_CLOEXEC);
                if (null >= 0)
                        dup2(null, STDERR_FILENO);
                execv(argv[0], argv);
                _exit(127);
        }
        if (waitpid(pid, &status, 0) < 0)
                return -errno;
        if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
                fprintf(stderr, "%s exited with status %d\n", argv[0], WIFEXITED(status) ? WEXITSTATUS(status) : -1);
                return -EIO;
        }
        return (int64_t) (now_ns() - start);
}

static int cmp_u64(const void *a, const void *b) {
        uint64_t x = *(const uint64_t *) a, y = *(const uint64_t *) b;
        return x < y ? -1 : x > y;
}

static double median_us(uint64_t *v, size_t n) {
        qsort(v, n, sizeof(uint64_t), cmp_u64);
        return (n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2) / 1000.0;
}

static int floor_add(char ***words, const char *prefix, const char *path) {
        char *w;

        if (asprintf(&w, "%s%s", prefix, path) < 0)
                return -ENOMEM;
        return strv_consume(words, w);
}

/* The path of policy word "i" ("--path=-PATH:ACCESS") in *ret_path, and its canonical path in
 * *ret_canonical, NULL where it does not exist (optional, missing). */
static int policy_path(size_t i, char **ret_path, char **ret_canonical) {
        char *path = strdup(policy[i] + strlen("--path=-"));

        if (!path)
                return -ENOMEM;
        *strrchr(path, ':') = '\0';
        *ret_canonical = realpath(path, NULL);
        *ret_path = path;
        return 0;
}

/* The policy's words with each path canonical (realpath()), or NULL if none changed. */
static int canonical_policy(char ***ret) {
        _cleanup_strv_free_ char **words = NULL;
        bool changed = false;
        int r = 0;

        for (size_t i = 0; r >= 0 && i < ELEMENTSOF(policy); i++) {
                _cleanup_free_ char *path = NULL, *canonical = NULL;

                if (policy_path(i, &path, &canonical) < 0)
                        return -ENOMEM;
                if (!canonical || streq(canonical, path)) {
                        r = strv_extend(&words, policy[i]);
                        continue;
                }
                changed = true;
                r = strv_extendf(&words, "--path=-%s%s", canonical, strrchr(policy[i], ':'));
        }
        if (r < 0)
                return r;
        *ret = changed ? TAKE_PTR(words) : NULL;
        return 0;
}

/* exec-floor's arguments for the same policy and command: the canonical rule paths (a symlink crossed
 * means the mount table is read), the devices every service gets, the command's files. */
static int floor_argv(const char *floor, const char *command, char ***ret) {
        _cleanup_strv_free_ char **words = NULL, **rules = NULL, **files = NULL;
        bool crossed = false;
        int r;

        r = strv_extend(&words, floor);
        for (size_t i = 0; r >= 0 && i < ELEMENTSOF(policy); i++) {
                _cleanup_free_ char *path = NULL, *canonical = NULL;

                if (policy_path(i, &path, &canonical) < 0)
                        return -ENOMEM;
                if (!canonical)
                        continue;       /* optional, missing */
                crossed = crossed || !streq(canonical, path);
                if (!strv_contains(rules, canonical))
                        r = strv_extend(&rules, canonical);
        }
        for (const char *const *d = landlock_implicit_devices; r >= 0 && *d; d++)
                if (access(*d, F_OK) == 0 && !strv_contains(rules, *d))
                        r = strv_extend(&rules, *d);
        if (r >= 0 && crossed)
                r = strv_extend(&words, "--mounts");
        STRV_FOREACH(p, rules)
                if (r >= 0)
                        r = floor_add(&words, "--rule=", *p);
        if (r >= 0)
                r = exec_closure_compute(command, NULL, &files);
        STRV_FOREACH(f, files)
                if (r >= 0)
                        r = floor_add(&words, streq(*f, "/etc/ld.so.cache") ? "--cache=" : "--file=", *f);
        if (r >= 0)
                r = strv_extend(&words, "--");
        if (r >= 0)
                r = strv_extend(&words, command);
        if (r < 0)
                return r;
        *ret = TAKE_PTR(words);
        return 0;
}

int main(int argc, char *argv[]) {
        char enforcer[PATH_MAX + 64], trampoline[PATH_MAX + 64], floor_path[PATH_MAX + 64], self[PATH_MAX];
        _cleanup_strv_free_ char **floor = NULL, **canonical = NULL, **wrapped_canonical = NULL;
        char *plain[] = { (char *) "/bin/true", NULL };
        char *wrapped[ELEMENTSOF(policy) + 4], *bare[] = { trampoline, (char *) "--", (char *) "/bin/true", NULL };
        size_t runs = argc > 2 ? strtoul(argv[2], NULL, 10) : 301, k = 0;
        _cleanup_free_ uint64_t *tp = NULL, *tw = NULL, *tt = NULL, *tf = NULL, *tc = NULL;
        ssize_t n;

        n = readlink("/proc/self/exe", self, sizeof self - 1);
        if (n < 0)
                return perror("readlink"), 1;
        self[n] = '\0';
        *strrchr(self, '/') = '\0';
        snprintf(trampoline, sizeof trampoline, "%s/exec-trampoline", self);
        snprintf(floor_path, sizeof floor_path, "%s/exec-floor", self);
        if (floor_argv(floor_path, "/bin/true", &floor) < 0)
                return perror("floor"), 1;
        if (canonical_policy(&canonical) < 0)
                return perror("canonical"), 1;
        if (argc > 1)
                snprintf(enforcer, sizeof enforcer, "%s", argv[1]);
        else
                snprintf(enforcer, sizeof enforcer, "%s/../src/core/systemd-landlock-exec", self);
        if (runs < 3)
                runs = 3;

        wrapped[k++] = enforcer;
        for (size_t i = 0; i < ELEMENTSOF(policy); i++)
                wrapped[k++] = (char *) policy[i];
        wrapped[k++] = (char *) "--";
        wrapped[k++] = (char *) "/bin/true";
        wrapped[k] = NULL;
        if (canonical) {
                if (strv_extend(&wrapped_canonical, enforcer) < 0 ||
                    strv_extend_strv(&wrapped_canonical, canonical) < 0 ||
                    strv_extend(&wrapped_canonical, "--") < 0 || strv_extend(&wrapped_canonical, "/bin/true") < 0)
                        return perror("canonical"), 1;
        }

        tp = calloc(runs, sizeof(uint64_t));
        tw = calloc(runs, sizeof(uint64_t));
        tt = calloc(runs, sizeof(uint64_t));
        tf = calloc(runs, sizeof(uint64_t));
        tc = calloc(runs, sizeof(uint64_t));
        if (!tp || !tw || !tt || !tf || !tc)
                return 1;

        /* Warm up the page cache, then alternate so that noise hits every side alike. */
        if (run_ns(plain) < 0 || run_ns(bare) < 0 || run_ns(floor) < 0 || run_ns(wrapped) < 0 ||
            (wrapped_canonical && run_ns(wrapped_canonical) < 0))
                return 1;
        for (size_t i = 0; i < runs; i++) {
                int64_t a = run_ns(plain), b = run_ns(bare), f = run_ns(floor), c = run_ns(wrapped),
                        e = wrapped_canonical ? run_ns(wrapped_canonical) : 0;
                if (a < 0 || b < 0 || f < 0 || c < 0 || e < 0)
                        return 1;
                tc[i] = (uint64_t) e;
                tp[i] = (uint64_t) a;
                tt[i] = (uint64_t) b;
                tf[i] = (uint64_t) f;
                tw[i] = (uint64_t) c;
        }

        double mp = median_us(tp, runs), mt = median_us(tt, runs), mf = median_us(tf, runs), mw = median_us(tw, runs);
        printf("exec of /bin/true, %zu runs each, medians:\n", runs);
        printf("  plain exec:                                %9.1f us\n", mp);
        printf("  through exec-trampoline (only execs):      %9.1f us\n", mt);
        printf("  through exec-floor (only the system calls): %8.1f us\n", mf);
        printf("  through systemd-landlock-exec (20 rules):  %9.1f us\n", mw);
        printf("  overhead per exec:                         %9.1f us\n", mw - mp);
        printf("    of which any exec'd wrapper:             %9.1f us\n", mt - mp);
        printf("    of which the enforcer's own work:        %9.1f us\n", mw - mt);
        printf("      of which the system calls alone:       %9.1f us\n", mf - mt);
        printf("  floor added per exec (system calls alone): %9.1f us\n", mf - mp);
        printf("  ratio:                                     %9.2fx\n", mw / mp);
        if (wrapped_canonical) {
                double mc = median_us(tc, runs);

                printf("the same rules with canonical paths (no symlink crossed, no mount table read):\n");
                printf("  through systemd-landlock-exec:             %9.1f us\n", mc);
                printf("  canonical overhead per exec:               %9.1f us\n", mc - mp);
                printf("  canonical ratio:                           %9.2fx\n", mc / mp);
        }
        return 0;
}
