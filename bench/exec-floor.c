/* SPDX-License-Identifier: LGPL-2.1-or-later */

/* The floor under the enforcer's cost: the system calls that any program enforcing the same policy in
 * the service's own mount namespace must make, and nothing else. exec-overhead computes what they are
 * for its policy (the canonical rule paths, the command's files, whether a rule path crosses a symlink)
 * and runs this program with them, alternating with the real enforcer, so the difference is the
 * enforcer's own work: parsing, resolving safely, deciding.
 *
 *   exec-floor [--rule=PATH]… [--file=PATH]… [--cache=PATH] [--mounts] -- COMMAND [ARG…]
 *
 *   --rule=PATH   open PATH without following symlinks, add a rule for it, close it
 *   --file=PATH   open an ELF file the command needs, read its header, program headers, dynamic
 *                 section and string table (what finding its libraries takes), add a rule, close it
 *   --cache=PATH  map ld.so.cache and read the pages a binary search touches
 *   --mounts      read the mount table once (a rule path crossed a symlink: where the service sees each
 *                 directory must be known to tell whether it could have changed the symlink), as the
 *                 enforcer reads it without a seccomp filter: listmount(), one statmount() per mount and
 *                 the paths of the root filesystem's mounts; /proc/self/mountinfo on kernels before 6.8
 *                 or with more than 32 mounts
 *
 * Linked like the enforcer (bench/meson.build). Not a test; it only measures. Exits 127 on any failure. */

#include <elf.h>
#include <fcntl.h>
#include <linux/landlock.h>
#include <linux/openat2.h>
#include <stdint.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#define READ_ACCESS (LANDLOCK_ACCESS_FS_READ_FILE | LANDLOCK_ACCESS_FS_EXECUTE)

static int add_rule(int ruleset, int fd) {
        struct landlock_path_beneath_attr attr = { .allowed_access = READ_ACCESS, .parent_fd = fd };

        return (int) syscall(__NR_landlock_add_rule, ruleset, LANDLOCK_RULE_PATH_BENEATH, &attr, 0);
}

static int rule(int ruleset, const char *path) {
        struct open_how how = { .flags = O_PATH | O_CLOEXEC, .resolve = RESOLVE_NO_SYMLINKS };
        int fd = (int) syscall(__NR_openat2, AT_FDCWD, path, &how, sizeof how), r;

        if (fd < 0)
                return -1;
        r = add_rule(ruleset, fd);
        close(fd);
        return r;
}

/* The file offset of virtual address "vaddr", through the PT_LOAD headers. */
static long vaddr_offset(const Elf64_Phdr *ph, unsigned n, Elf64_Addr vaddr) {
        for (unsigned i = 0; i < n; i++)
                if (ph[i].p_type == PT_LOAD && vaddr >= ph[i].p_vaddr && vaddr < ph[i].p_vaddr + ph[i].p_filesz)
                        return (long) (vaddr - ph[i].p_vaddr + ph[i].p_offset);
        return -1;
}

/* What reading an ELF object's dependencies takes: 64-bit objects of the host, the benchmark's case. */
static int elf_file(int ruleset, const char *path) {
        static char head[4096], dyn[8192], strtab[4096];
        const Elf64_Ehdr *eh = (const Elf64_Ehdr *) head;
        const Elf64_Phdr *ph;
        long strtab_off = -1;
        int fd = open(path, O_RDONLY | O_CLOEXEC), r = -1;

        if (fd < 0)
                return -1;
        if (pread(fd, head, sizeof head, 0) < (ssize_t) sizeof(Elf64_Ehdr) || memcmp(head, ELFMAG, SELFMAG) != 0 ||
            eh->e_phoff + (size_t) eh->e_phnum * sizeof(Elf64_Phdr) > sizeof head)
                goto finish;
        ph = (const Elf64_Phdr *) (head + eh->e_phoff);
        for (unsigned i = 0; i < eh->e_phnum; i++) {
                ssize_t n;

                if (ph[i].p_type != PT_DYNAMIC)
                        continue;
                n = pread(fd, dyn, ph[i].p_filesz < sizeof dyn ? ph[i].p_filesz : sizeof dyn, (off_t) ph[i].p_offset);
                for (const Elf64_Dyn *d = (const Elf64_Dyn *) dyn; n > 0 && (const char *) (d + 1) <= dyn + n; d++)
                        if (d->d_tag == DT_STRTAB)
                                strtab_off = vaddr_offset(ph, eh->e_phnum, d->d_un.d_ptr);
        }
        if (strtab_off >= 0 && pread(fd, strtab, sizeof strtab, strtab_off) < 0)
                goto finish;
        r = add_rule(ruleset, fd);
finish:
        close(fd);
        return r;
}

static int cache(int ruleset, const char *path) {
        struct stat st;
        volatile char sum = 0;
        char *m;
        int fd = open(path, O_RDONLY | O_CLOEXEC), r = -1;

        if (fd < 0 || fstat(fd, &st) < 0 || st.st_size == 0)
                goto finish;
        m = mmap(NULL, (size_t) st.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
        if (m == MAP_FAILED)
                goto finish;
        /* A binary search over the entries, then the strings: a page every eighth of the file. */
        for (off_t o = 0; o < st.st_size; o += st.st_size / 8 + 1)
                sum += m[o];
        munmap(m, (size_t) st.st_size);
        r = add_rule(ruleset, fd);
finish:
        if (fd >= 0)
                close(fd);
        return r;
}

static int mountinfo(void) {
        static char buf[65536];
        int fd = open("/proc/self/mountinfo", O_RDONLY | O_CLOEXEC);
        ssize_t n;

        if (fd < 0)
                return -1;
        while ((n = read(fd, buf, sizeof buf)) > 0)
                ;
        close(fd);
        return n < 0 ? -1 : 0;
}

/* struct mnt_id_req (version 0) and the head of struct statmount (Linux 6.8). */
struct mount_request { uint64_t size_and_spare, mnt_id, param; };
struct mount_answer { uint32_t size, spare; uint64_t mask; uint32_t dev_major, dev_minor; };

static int statmount_call(uint64_t id, uint64_t mask, char *buf, size_t size) {
        struct mount_request req = { .size_and_spare = 24, .mnt_id = id, .param = mask };

        return (int) syscall(457, &req, buf, size, 0);
}

static int mounts(void) {
        static char buf[4096];
        struct mount_request req = { .size_and_spare = 24, .mnt_id = UINT64_MAX };
        const struct mount_answer *a = (const struct mount_answer *) buf;
        uint32_t major[256], minor[256];
        uint64_t ids[256];
        long n;

        /* The enforcer lists at most 32 mounts (landlock-resolve.c), else reads mountinfo. */
        n = syscall(458, &req, ids, 256, 0);
        if (n < 0 || n > 32)
                return mountinfo();
        for (long i = 0; i < n; i++) {
                if (statmount_call(ids[i], 0x01 | 0x02, buf, sizeof buf) < 0)
                        return -1;
                major[i] = a->dev_major;
                minor[i] = a->dev_minor;
        }
        /* The paths of the mounts of the filesystem of the first mount listed (the root directory's). */
        for (long i = 1; i < n; i++)
                if (major[i] == major[0] && minor[i] == minor[0] && statmount_call(ids[i], 0x08 | 0x10, buf, sizeof buf) < 0)
                        return -1;
        return statmount_call(ids[0], 0x08 | 0x10, buf, sizeof buf) < 0 ? -1 : 0;
}

int main(int argc, char *argv[]) {
        struct landlock_ruleset_attr attr = { .handled_access_fs = READ_ACCESS | LANDLOCK_ACCESS_FS_READ_DIR };
        int ruleset, i;

        ruleset = (int) syscall(__NR_landlock_create_ruleset, &attr, sizeof attr, 0);
        if (ruleset < 0)
                return 127;
        for (i = 1; i < argc && strcmp(argv[i], "--") != 0; i++) {
                const char *a = argv[i];
                int r;

                if (strncmp(a, "--rule=", 7) == 0)
                        r = rule(ruleset, a + 7);
                else if (strncmp(a, "--file=", 7) == 0)
                        r = elf_file(ruleset, a + 7);
                else if (strncmp(a, "--cache=", 8) == 0)
                        r = cache(ruleset, a + 8);
                else if (strcmp(a, "--mounts") == 0)
                        r = mounts();
                else
                        r = -1;
                if (r < 0)
                        return 127;
        }
        if (i + 1 >= argc || prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0 ||
            syscall(__NR_landlock_restrict_self, ruleset, 0) < 0)
                return 127;
        close(ruleset);
        execv(argv[i + 1], argv + i + 1);
        return 127;
}
