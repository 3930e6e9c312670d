/* SPDX-License-Identifier: LGPL-2.1-or-later */

#include <fcntl.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/vfs.h>
#include <sys/wait.h>

#include "fileio.h"
#include "landlock-abi.h"
#include "landlock-availability.h"

/* Since Linux 6.8, the same number on every architecture but alpha (as the Landlock calls). */
#ifndef __NR_lsm_list_modules
#define __NR_lsm_list_modules 461
#endif

/* include/uapi/linux/lsm.h */
#define LSM_ID_CAPABILITY 100
#define LSM_ID_LANDLOCK   110

#define SECURITYFS_MAGIC_NUMBER 0x73636673      /* "scfs", include/uapi/linux/magic.h */

/* The capability module is always active and always listed first-class: a list without it is no list
 * the kernel wrote (an empty read, a call faked to return 0). */
LandlockLsmState landlock_lsm_state_from_names(const char *text) {
        bool capability = false, landlock = false;

        assert(text);

        for (const char *p = text; *p; ) {
                size_t n = strcspn(p, ",\n");

                if (n == strlen("capability") && strneq(p, "capability", n))
                        capability = true;
                else if (n == strlen("landlock") && strneq(p, "landlock", n))
                        landlock = true;
                p += n;
                p += strspn(p, ",\n");
        }
        if (!capability)
                return LANDLOCK_LSM_UNKNOWN;
        return landlock ? LANDLOCK_LSM_ACTIVE : LANDLOCK_LSM_INACTIVE;
}

LandlockLsmState landlock_lsm_state_from_ids(const uint64_t *ids, size_t n) {
        bool capability = false, landlock = false;

        assert(ids || n == 0);

        for (size_t i = 0; i < n; i++) {
                capability = capability || ids[i] == LSM_ID_CAPABILITY;
                landlock = landlock || ids[i] == LSM_ID_LANDLOCK;
        }
        if (!capability)
                return LANDLOCK_LSM_UNKNOWN;
        return landlock ? LANDLOCK_LSM_ACTIVE : LANDLOCK_LSM_INACTIVE;
}

static int parse_status_number(const char *text, const char *key, int *ret) {
        for (const char *line = text; line && *line; line = strchr(line, '\n'), line = line ? line + 1 : NULL) {
                const char *v = startswith(line, key);
                char *end;
                long l;

                if (!v)
                        continue;
                v += strspn(v, " \t");
                errno = 0;
                l = strtol(v, &end, 10);
                if (errno != 0 || end == v || l < 0 || l > INT32_MAX || (*end != '\n' && *end != '\0'))
                        return -EINVAL;
                *ret = (int) l;
                return 0;
        }
        return -ENOENT;
}

int seccomp_mode_from_status(const char *text, int *ret_mode, int *ret_filters) {
        int mode, filters, r;

        assert(text);
        assert(ret_mode);
        assert(ret_filters);

        r = parse_status_number(text, "Seccomp:", &mode);
        if (r < 0)
                return r;
        r = parse_status_number(text, "Seccomp_filters:", &filters);
        if (r == -ENOENT)
                filters = -1;           /* before Linux 5.9 */
        else if (r < 0)
                return r;

        *ret_mode = mode;
        *ret_filters = filters;
        return 0;
}

/* Both must agree: prctl() answers from the kernel directly, but a filter returning errno 0 for it reads
 * as "mode 0"; /proc/self/status may be missing from the service's mount namespace. */
static SeccompState seccomp_state_probe(int *ret_filters) {
        _cleanup_close_ int fd = -EBADF;
        _cleanup_free_ char *buf = NULL;
        int mode, filters, r;

        *ret_filters = -1;

        r = prctl(PR_GET_SECCOMP, 0, 0, 0, 0);
        if (r > 0)
                return SECCOMP_STATE_FILTER;

        fd = open("/proc/self/status", O_RDONLY|O_CLOEXEC|O_NOCTTY);
        if (fd < 0 || read_full_fd(fd, &buf, NULL) < 0)
                return SECCOMP_STATE_UNKNOWN;
        if (seccomp_mode_from_status(buf, &mode, &filters) < 0)
                return SECCOMP_STATE_UNKNOWN;
        *ret_filters = filters;

        if (mode > 0 || filters > 0)
                return SECCOMP_STATE_FILTER;
        return r == 0 ? SECCOMP_STATE_NONE : SECCOMP_STATE_UNKNOWN;
}

/* The file counts only on securityfs itself: anything else mounted or bound there proves nothing. */
static LandlockLsmState lsm_state_from_securityfs(void) {
        _cleanup_close_ int fd = -EBADF;
        struct statfs sfs;
        _cleanup_free_ char *buf = NULL;
        size_t n;

        fd = open(LANDLOCK_SECURITYFS_LSM, O_RDONLY|O_CLOEXEC|O_NOCTTY);
        if (fd < 0)
                return LANDLOCK_LSM_UNKNOWN;
        if (fstatfs(fd, &sfs) < 0 || sfs.f_type != SECURITYFS_MAGIC_NUMBER)
                return LANDLOCK_LSM_UNKNOWN;
        if (read_full_fd(fd, &buf, &n) < 0 || n == 0)
                return LANDLOCK_LSM_UNKNOWN;
        return landlock_lsm_state_from_names(buf);
}

static LandlockLsmState lsm_state_from_syscall(void) {
        uint64_t ids[64] = {};
        uint32_t size = sizeof ids;
        long n;

        n = syscall(__NR_lsm_list_modules, ids, &size, 0);
        if (n <= 0 || (size_t) n > ELEMENTSOF(ids) || size != (size_t) n * sizeof ids[0])
                return LANDLOCK_LSM_UNKNOWN;
        return landlock_lsm_state_from_ids(ids, (size_t) n);
}

/* Under a filter, lsm_list_modules() may kill (an allow-list that does not name it: systemd's default
 * action): ask from a child, whose death only means "unknown". */
static LandlockLsmState lsm_state_from_syscall_in_child(void) {
        int status;
        pid_t pid;

        pid = fork();
        if (pid < 0)
                return LANDLOCK_LSM_UNKNOWN;
        if (pid == 0)
                _exit(lsm_state_from_syscall());

        while (waitpid(pid, &status, 0) < 0)
                if (errno != EINTR)
                        return LANDLOCK_LSM_UNKNOWN;
        if (!WIFEXITED(status))
                return LANDLOCK_LSM_UNKNOWN;
        switch (WEXITSTATUS(status)) {
        case LANDLOCK_LSM_ACTIVE:
                return LANDLOCK_LSM_ACTIVE;
        case LANDLOCK_LSM_INACTIVE:
                return LANDLOCK_LSM_INACTIVE;
        default:
                return LANDLOCK_LSM_UNKNOWN;
        }
}

/* Only what the answer needs: a service's seccomp filter may kill calls it does not expect, so with a
 * working Landlock nothing is asked but the Landlock calls themselves (which the generator allows). */
void landlock_availability_probe(LandlockAvailability *ret) {
        assert(ret);

        *ret = (LandlockAvailability) {
                .abi = landlock_abi_probe(),
                .seccomp_filters = -1,
        };
        if (ret->abi > 0) {
                /* Arguments no kernel accepts: the kernel's own answer is an error (EBADF, EPERM without
                 * no_new_privs…); a call that "succeeds" was never run, ENOSYS or EOPNOTSUPP next to a
                 * working landlock_create_ruleset() is a filter on this one call. */
                ret->add_rule = RET_NERRNO(landlock_add_rule(-1, 0, NULL, 0));
                ret->restrict_self = RET_NERRNO(landlock_restrict_self(-1, 0));
                return;
        }
        if (ret->abi != -ENOSYS && ret->abi != -EOPNOTSUPP)
                return;

        ret->seccomp = seccomp_state_probe(&ret->seccomp_filters);
        ret->lsm_securityfs = lsm_state_from_securityfs();
        if (ret->lsm_securityfs == LANDLOCK_LSM_UNKNOWN)
                ret->lsm_syscall = ret->seccomp == SECCOMP_STATE_NONE ? lsm_state_from_syscall() :
                                                                       lsm_state_from_syscall_in_child();
}

static bool error_is_unavailable(int error) {
        return error == -ENOSYS || error == -EOPNOTSUPP;
}

/* Two lists that disagree cannot both be the kernel's: "active" wins, which refuses. */
LandlockLsmState landlock_availability_lsm_state(const LandlockAvailability *a) {
        assert(a);

        if (a->lsm_securityfs == LANDLOCK_LSM_ACTIVE || a->lsm_syscall == LANDLOCK_LSM_ACTIVE)
                return LANDLOCK_LSM_ACTIVE;
        if (a->lsm_securityfs == LANDLOCK_LSM_INACTIVE || a->lsm_syscall == LANDLOCK_LSM_INACTIVE)
                return LANDLOCK_LSM_INACTIVE;
        return LANDLOCK_LSM_UNKNOWN;
}

const char *landlock_lsm_state_source(const LandlockAvailability *a, LandlockLsmState state) {
        assert(a);

        if (state == LANDLOCK_LSM_UNKNOWN)
                return NULL;
        if (a->lsm_securityfs == state)
                return LANDLOCK_SECURITYFS_LSM;
        if (a->lsm_syscall == state)
                return "lsm_list_modules()";
        return NULL;
}

LandlockVerdict landlock_availability_verdict(const LandlockAvailability *a) {
        assert(a);

        if (a->abi > 0) {
                if (a->add_rule == 0 || a->restrict_self == 0 ||
                    error_is_unavailable(a->add_rule) || error_is_unavailable(a->restrict_self))
                        return LANDLOCK_VERDICT_HIDDEN;
                return LANDLOCK_VERDICT_AVAILABLE;
        }
        if (a->abi == 0)                /* the kernel answers the ABI version, ≥ 1, or an error */
                return LANDLOCK_VERDICT_HIDDEN;
        if (!error_is_unavailable(a->abi))
                return LANDLOCK_VERDICT_BLOCKED;

        /* ENOSYS or EOPNOTSUPP: the kernel's answer, or a filter's? */
        switch (landlock_availability_lsm_state(a)) {
        case LANDLOCK_LSM_ACTIVE:
                return LANDLOCK_VERDICT_HIDDEN;
        case LANDLOCK_LSM_INACTIVE:
                return LANDLOCK_VERDICT_ABSENT;
        default:
                return a->seccomp == SECCOMP_STATE_NONE ? LANDLOCK_VERDICT_ABSENT : LANDLOCK_VERDICT_UNSURE;
        }
}

const char *landlock_unavailable_errno_name(int error) {
        switch (error) {
        case -ENOSYS:
                return "ENOSYS";
        case -EOPNOTSUPP:
                return "EOPNOTSUPP";
        default:
                return NULL;
        }
}
