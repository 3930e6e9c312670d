/* SPDX-License-Identifier: LGPL-2.1-or-later */

/* The smallest exec wrapper: skips its options up to "--" and execs the rest, nothing else. Linked like
 * systemd-landlock-exec, it measures what any program exec'd in front of the command costs (the kernel's
 * execve(), the C library's start-up), so that exec-overhead can tell that apart from the enforcer's own
 * work. */

#include <string.h>
#include <unistd.h>

int main(int argc, char *argv[]) {
        int i = 1;

        while (i < argc && strcmp(argv[i], "--") != 0)
                i++;
        if (i + 1 >= argc)
                return 127;
        execv(argv[i + 1], argv + i + 1);
        return 127;
}
