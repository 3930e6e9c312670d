/* SPDX-License-Identifier: LGPL-2.1-or-later */

#include "exec-exit.h"
#include "macro.h"

const ExecExitStatus exec_exit_statuses[] = {
        { EXIT_LANDLOCK_EXEC,
          "The command was not found, or\n.BR execve (2)\nfailed (systemd's\n.BR EXIT_EXEC ).\n"
          ".B EACCES\nhere usually means the policy denies execute on the command or its interpreter; the "
          "message says\nwhich file and what to change." },
        { EXIT_LANDLOCK,
          "Landlock could not be enforced as requested: strict mode on a kernel lacking something requested,\n"
          "Landlock system calls blocked, hidden or faked by a seccomp filter (a\n.B SystemCallFilter=\n"
          "that does not allow\n.BR landlock_* ),\na kernel that may or may not have Landlock behind such a "
          "filter (see\n.BR \"KERNELS WITHOUT LANDLOCK\" ),\na failed restriction." },
        { EXIT_LANDLOCK_POLICY,
          "Invalid arguments, or invalid Landlock directives in the unit\n.RB ( \\-\\-error= )." },
        { EXIT_LANDLOCK_PATH,
          "A required path of the policy does not exist (prefix it with\n.B \\-\nto make it optional), or "
          "cannot be resolved safely: a symlink on the way lies in a directory the service\nmay change (see "
          "step 6 and\n.BR systemd.landlock (5)),\nmore than 40 symlinks (a loop), a symlink on a\n"
          ".B nosymfollow\nmount. The message names the rule, the symlink and why." },
        { EXIT_LANDLOCK_CONDITION,
          "Any of the refusals above in an\n.B ExecCondition=\ncommand\n.RB ( \\-\\-condition ),\nso that "
          "the unit fails instead of being skipped." },
};
const size_t exec_n_exit_statuses = ELEMENTSOF(exec_exit_statuses);
