/* SPDX-License-Identifier: LGPL-2.1-or-later */

#include <errno.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <stddef.h>
#include <sched.h>
#include <sys/mount.h>
#include <sys/prctl.h>

#include "child-setup.h"

int test_seccomp_filter(const long *syscalls, size_t n, uint32_t action) {
        struct sock_filter insns[64];
        size_t k = 0;

        if (n + 3 > sizeof insns / sizeof insns[0])
                return -EINVAL;

        /* No architecture check: the test and the programs it execs make native calls only. */
        insns[k++] = (struct sock_filter) BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr));
        for (size_t i = 0; i < n; i++)
                /* Equal: jump over the remaining comparisons and the ALLOW, onto the action. */
                insns[k++] = (struct sock_filter) BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, (unsigned) syscalls[i],
                                                           (unsigned char) (n - i), 0);
        insns[k++] = (struct sock_filter) BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW);
        insns[k++] = (struct sock_filter) BPF_STMT(BPF_RET | BPF_K, action);

        struct sock_fprog prog = {
                .len = (unsigned short) k,
                .filter = insns,
        };

        if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0)
                return -errno;
        if (prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &prog, 0, 0) < 0)
                return -errno;
        return 0;
}

int test_private_security_dir(bool securityfs) {
        int r;

        if (unshare(CLONE_NEWNS) < 0)
                return -errno;
        if (mount(NULL, "/", NULL, MS_REC|MS_PRIVATE, NULL) < 0)
                return -errno;
        if (securityfs)
                r = mount("securityfs", "/sys/kernel/security", "securityfs", 0, NULL);
        else
                r = mount("tmpfs", "/sys/kernel/security", "tmpfs", 0, "mode=0755");
        return r < 0 ? -errno : 0;
}
