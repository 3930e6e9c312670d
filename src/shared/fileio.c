/* SPDX-License-Identifier: LGPL-2.1-or-later */

#include <fcntl.h>
#include <limits.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>

#include "alloc-util.h"
#include "fileio.h"

/* "size": what fstat() says a regular file holds, 0 if unknown. A read of a regular file returns fewer bytes
 * than asked only at its end: asking for one more than its size, a file that did not grow meanwhile is
 * read in one read(), without a second one to find the end. */
static int read_full_fd_sized(int fd, size_t size, char **ret, size_t *ret_size) {
        _cleanup_free_ char *buf = NULL;
        size_t n = 0;

        assert(fd >= 0);
        assert(ret);

        for (;;) {
                /* Reads as large as what came so far: a file of n bytes takes O(log n) reads. */
                size_t chunk = n == 0 && size > 0 && size < SIZE_MAX / 4 ? size + 1 : MAX(n, (size_t) 8192);
                ssize_t k;

                if (chunk > SIZE_MAX / 2 - n || !GREEDY_REALLOC(buf, n + chunk + 1))
                        return -ENOMEM;
                k = read(fd, buf + n, chunk);
                if (k < 0) {
                        if (errno == EINTR)
                                continue;
                        return negative_errno();
                }
                if (k == 0)
                        break;
                n += (size_t) k;
                if (size > 0 && (size_t) k < chunk)
                        break;          /* the end of a regular file */
        }

        buf[n] = '\0';
        if (ret_size)
                *ret_size = n;
        *ret = TAKE_PTR(buf);
        return 0;
}

int read_full_fd(int fd, char **ret, size_t *ret_size) {
        return read_full_fd_sized(fd, 0, ret, ret_size);
}

int read_full_file_at(int dir_fd, const char *path, char **ret, size_t *ret_size) {
        _cleanup_close_ int fd = -EBADF;
        struct stat st;

        assert(path);
        assert(ret);

        /* O_NONBLOCK: a FIFO must not hang us (PID 1 would hang on it; the caller refuses instead). */
        /* openat(): musl's open() follows O_CLOEXEC with an fcntl() (for kernels before 2.6.23). */
        fd = openat(dir_fd, path, O_RDONLY|O_CLOEXEC|O_NOCTTY|O_NONBLOCK);
        if (fd < 0)
                return negative_errno();
        if (fstat(fd, &st) < 0)
                return negative_errno();
        if (S_ISDIR(st.st_mode))
                return -EISDIR;
        /* /dev/null is how drop-ins are masked: it reads as empty. Other devices could never end. */
        if (!S_ISREG(st.st_mode) && !(S_ISCHR(st.st_mode) && st.st_rdev == makedev(1, 3)))
                return -EBADFD;

        return read_full_fd_sized(fd, S_ISREG(st.st_mode) ? (size_t) st.st_size : 0, ret, ret_size);
}

int read_full_file(const char *path, char **ret, size_t *ret_size) {
        return read_full_file_at(AT_FDCWD, path, ret, ret_size);
}

int fd_dup_cloexec(int fd) {
        long r = syscall(__NR_fcntl, fd, F_DUPFD_CLOEXEC, 3);

        return r < 0 ? negative_errno() : (int) r;
}

int fd_get_path(int fd, char **ret) {
        char link[64], buf[PATH_MAX + 1];
        ssize_t n;

        snprintf(link, sizeof link, "/proc/self/fd/%i", fd);
        n = readlink(link, buf, sizeof buf);
        if (n < 0)
                return negative_errno();
        if ((size_t) n >= sizeof buf)
                return -ENAMETOOLONG;
        buf[n] = '\0';
        /* Unreachable from the root directory, or removed: no path the mount table can place. */
        if (buf[0] != '/' || endswith(buf, " (deleted)"))
                return -EXDEV;
        *ret = strdup(buf);
        return *ret ? 0 : -ENOMEM;
}

int fd_stat(int fd, struct stat *ret) {
        *ret = (struct stat) {};
        if (fstat(fd, ret) < 0)
                return -errno;
        if ((ret->st_mode & S_IFMT) == 0)
                return -EBADMSG;
        return 0;
}
