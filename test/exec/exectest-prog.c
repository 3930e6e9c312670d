/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* A dynamically linked program with two libraries of its own, found through DT_RPATH=$ORIGIN (the test
 * links it with old-style tags), for the exec closure tests. Prints its argv[0], a string from its
 * libraries, then for each argument whether it could open it for reading. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

const char *exectest_a(void);

int main(int argc, char *argv[]) {
        printf("argv0=%s\n%s\n", argv[0], exectest_a());
        for (int i = 1; i < argc; i++) {
                int fd = open(argv[i], O_RDONLY|O_CLOEXEC);
                if (fd < 0)
                        printf("open %s: %s\n", argv[i], errno == EACCES ? "EACCES" : strerror(errno));
                else {
                        printf("open %s: ok\n", argv[i]);
                        close(fd);
                }
        }
        return 0;
}
