/* SPDX-License-Identifier: LGPL-2.1-or-later */

/* The exec closure of real files on this machine: what ld.so would load, compared with what ldd says,
 * libraries of our own found through DT_RPATH=$ORIGIN, scripts, static binaries, command lookup. */

#include <fcntl.h>
#include <sched.h>
#include <endian.h>
#include <elf.h>
#include <sys/inotify.h>
#include <sys/mount.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <sys/wait.h>

#include "exec-closure.h"
#include "strv.h"
#include "tests.h"

static char *canonical(const char *p) {
        char *c = realpath(p, NULL);
        ASSERT_TRUE(c);
        return c;
}

static void assert_has(char **files, const char *path) {
        _cleanup_free_ char *c = canonical(path);
        if (!strv_contains(files, c))
                test_fail(__FILE__, __LINE__, "closure lacks %s (%s)", path, c);
}

/* What ldd (ld.so itself) says "exe" loads: the path of "soname", or with soname NULL the dynamic loader.
 * The reference, so that no test pins the paths of one architecture. */
static char *ldd_path(const char *exe, const char *soname) {
        char cmd[512], line[1024], *found = NULL;
        FILE *f;

        snprintf(cmd, sizeof cmd, "ldd %s", exe);
        f = popen(cmd, "re");
        ASSERT_TRUE(f);
        while (!found && fgets(line, sizeof line, f)) {
                char *p = line + strspn(line, " \t"), *arrow = strstr(p, " => /");

                if (soname && arrow && strneq(p, soname, strlen(soname)) && p[strlen(soname)] == ' ')
                        found = strndup(arrow + 4, strcspn(arrow + 4, " \n"));
                else if (!soname && p[0] == '/' && !arrow)
                        found = strndup(p, strcspn(p, " \n"));
        }
        pclose(f);
        if (!found)
                test_fail(__FILE__, __LINE__, "ldd %s names no %s", exe, soname ?: "dynamic loader");
        return found;
}

static char *libc_path(void) {
        return ldd_path("/usr/bin/ls", "libc.so.6");
}

static char *exectest_prog(void) {
        const char *p = getenv("EXECTEST_PROG");
        ASSERT_TRUE(p);
        return canonical(p);
}

static void print_files(char **files) {
        STRV_FOREACH(f, files)
                printf("#   %s\n", *f);
}

TEST(own_libraries_are_found_through_origin_rpath) {
        _cleanup_strv_free_ char **files = NULL;
        _cleanup_free_ char *prog = exectest_prog(), *dir = NULL, *a = NULL, *b = NULL, *ldso = ldd_path(prog, NULL);

        ASSERT_OK(exec_closure_compute(prog, &(ExecClosureOptions) {}, &files));
        print_files(files);
        dir = strndup(prog, strrchr(prog, '/') - prog);
        ASSERT_TRUE(asprintf(&a, "%s/libexectest-a.so", dir) > 0);
        ASSERT_TRUE(asprintf(&b, "%s/libexectest-b.so", dir) > 0);
        ASSERT_STREQ(files[0], prog);
        assert_has(files, a);
        assert_has(files, b);
        assert_has(files, ldso);
        if (access("/etc/ld.so.cache", F_OK) >= 0)
                assert_has(files, "/etc/ld.so.cache");
}

/* The enforcer's mode: each file kept open and named as found. Run through a symlink in a directory
 * without the libraries, so $ORIGIN (read lazily from the open executable) must be the real directory. */
TEST(open_mode_keeps_each_file_open_and_finds_what_path_mode_finds) {
        _cleanup_strv_free_ char **files = NULL, **names = NULL;
        _cleanup_free_ char *prog = exectest_prog(), *link = NULL, *interpreter = NULL;
        _cleanup_free_ int *fds = NULL;
        char dir[] = "/tmp/test-closure-XXXXXX";
        size_t n;

        ASSERT_TRUE(mkdtemp(dir));
        ASSERT_TRUE(asprintf(&link, "%s/prog", dir) > 0);
        ASSERT_OK(RET_NERRNO(symlink(prog, link)));

        ASSERT_OK(exec_closure_compute(link, &(ExecClosureOptions) {}, &files));
        ASSERT_OK(exec_closure_compute_open(link, &(ExecClosureOptions) {}, &names, &fds, &interpreter));
        print_files(names);
        n = strv_length(files);
        ASSERT_EQ(strv_length(names), n);
        ASSERT_TRUE(n >= 4);                    /* the program, its two libraries, ld.so (and more) */
        ASSERT_STREQ(files[0], prog);
        ASSERT_STREQ(names[0], link);
        ASSERT_TRUE(interpreter);
        for (size_t i = 0; i < n; i++) {
                struct stat a, b;

                ASSERT_TRUE(fds[i] >= 3);
                ASSERT_TRUE(fcntl(fds[i], F_GETFD) & FD_CLOEXEC);
                ASSERT_OK(RET_NERRNO(fstat(fds[i], &a)));
                ASSERT_OK(RET_NERRNO(stat(files[i], &b)));
                ASSERT_TRUE(a.st_dev == b.st_dev && a.st_ino == b.st_ino);
                close(fds[i]);
        }
        ASSERT_OK(RET_NERRNO(unlink(link)));
        ASSERT_OK(RET_NERRNO(rmdir(dir)));
}

/* Open mode under a small LimitNOFILE=: files are kept open only while enough descriptors stay free for
 * the reading; the rest are named by their canonical paths (descriptor -EBADF), and none is missing. */
TEST(open_mode_short_of_descriptors_names_the_rest_by_canonical_path) {
        _cleanup_strv_free_ char **files = NULL, **names = NULL;
        _cleanup_free_ char *prog = exectest_prog();
        _cleanup_free_ int *fds = NULL;
        struct rlimit saved, low;
        size_t n, n_open = 0, n_paths = 0;
        int lowest, r;

        ASSERT_OK(exec_closure_compute(prog, &(ExecClosureOptions) {}, &files));
        n = strv_length(files);
        ASSERT_TRUE(n >= 4);

        /* Room for at most two kept descriptors below the reserve of 16. */
        lowest = fcntl(STDIN_FILENO, F_DUPFD_CLOEXEC, 3);
        ASSERT_TRUE(lowest >= 3);
        close(lowest);
        ASSERT_OK(RET_NERRNO(getrlimit(RLIMIT_NOFILE, &saved)));
        low = (struct rlimit) { .rlim_cur = (rlim_t) lowest + 16 + 2, .rlim_max = saved.rlim_max };
        ASSERT_OK(RET_NERRNO(setrlimit(RLIMIT_NOFILE, &low)));
        r = exec_closure_compute_open(prog, &(ExecClosureOptions) {}, &names, &fds, NULL);
        ASSERT_OK(RET_NERRNO(setrlimit(RLIMIT_NOFILE, &saved)));
        ASSERT_OK(r);

        print_files(names);
        ASSERT_EQ(strv_length(names), n);
        for (size_t i = 0; i < n; i++) {
                if (fds[i] >= 0) {
                        struct stat a, b;

                        ASSERT_TRUE(fds[i] < lowest + 2);
                        ASSERT_OK(RET_NERRNO(fstat(fds[i], &a)));
                        ASSERT_OK(RET_NERRNO(stat(files[i], &b)));
                        ASSERT_TRUE(a.st_dev == b.st_dev && a.st_ino == b.st_ino);
                        close(fds[i]);
                        n_open++;
                } else {
                        ASSERT_EQ(fds[i], -EBADF);
                        ASSERT_STREQ(names[i], files[i]);
                        n_paths++;
                }
        }
        /* The first file's own descriptor is open while its duplicate is made: one or two are kept. */
        ASSERT_TRUE(n_open >= 1 && n_open <= 2);
        ASSERT_EQ(n_paths, n - n_open);
}

/* ldd runs ld.so itself: the reference for what gets loaded. */
static void assert_matches_ldd(const char *exe) {
        _cleanup_strv_free_ char **files = NULL;
        char cmd[512], line[1024];
        FILE *f;
        unsigned n = 0;

        ASSERT_OK(exec_closure_compute(exe, &(ExecClosureOptions) {}, &files));
        print_files(files);
        snprintf(cmd, sizeof cmd, "ldd %s", exe);
        f = popen(cmd, "re");
        ASSERT_TRUE(f);
        while (fgets(line, sizeof line, f)) {
                char *arrow = strstr(line, "=> /"), *end;
                if (!arrow)
                        continue;
                end = strchr(arrow + 3, ' ');
                if (end)
                        *end = '\0';
                assert_has(files, arrow + 3);
                n++;
        }
        pclose(f);
        ASSERT_TRUE(n >= 2);
        /* The executable, ld.so, the cache and the libraries: nothing more. */
        ASSERT_EQ(strv_length(files), n + 3);
}

TEST(system_program_closure_matches_ldd) {
        assert_matches_ldd("/usr/bin/ls");
}

TEST(program_with_many_libraries_matches_ldd) {
        if (access("/usr/bin/curl", X_OK) < 0)
                test_skip("/usr/bin/curl is not installed");
        assert_matches_ldd("/usr/bin/curl");
}

TEST(libraries_are_found_without_the_cache) {
        _cleanup_free_ char *libc = libc_path();
        _cleanup_strv_free_ char **files = NULL;

        ASSERT_OK(exec_closure_compute("/usr/bin/ls", &(ExecClosureOptions) { .ld_so_cache = "/nonexistent" },
                                       &files));
        assert_has(files, libc);
        ASSERT_FALSE(strv_contains(files, "/etc/ld.so.cache"));
}

/* Writes a library cache with ldconfig itself, sorted as ldconfig sorts it, for the system's directories
 * and "dir". In a private mount namespace, so that ldconfig's own auxiliary cache in /var/cache/ldconfig is
 * not touched either. */
static void make_ld_cache(const char *dir, const char *cache) {
        char conf[] = "/tmp/test-exec-closure-conf-XXXXXX";
        int fd, status;
        pid_t pid;

        fd = mkstemp(conf);
        ASSERT_TRUE(fd >= 0);
        ASSERT_TRUE(dprintf(fd, "%s\n", dir) > 0);
        close(fd);

        pid = fork();
        ASSERT_TRUE(pid >= 0);
        if (pid == 0) {
                if (unshare(CLONE_NEWNS) < 0 || mount(NULL, "/", NULL, MS_REC|MS_PRIVATE, NULL) < 0 ||
                    mount("tmpfs", "/var/cache/ldconfig", "tmpfs", 0, NULL) < 0)
                        _exit(125);
                execl("/sbin/ldconfig", "ldconfig", "-X", "-C", cache, "-f", conf, NULL);
                _exit(127);
        }
        ASSERT_EQ(waitpid(pid, &status, 0), pid);
        ASSERT_TRUE(WIFEXITED(status));
        ASSERT_EQ(WEXITSTATUS(status), 0);
        unlink(conf);
}

TEST(libraries_are_found_in_the_cache_as_ld_so_finds_them) {
        _cleanup_free_ char *libc = libc_path();
        _cleanup_strv_free_ char **with = NULL, **without = NULL;
        _cleanup_free_ char *prog = exectest_prog(), *dir = NULL, *lib = NULL;
        char cache[] = "/tmp/test-exec-closure-cache-XXXXXX";
        int fd;

        if (geteuid() != 0 || access("/sbin/ldconfig", X_OK) < 0)
                test_skip("writing a library cache with ldconfig in a private mount namespace needs root");

        /* A library only the cache knows: "true" has no DT_RPATH/DT_RUNPATH, and its directory is none of
         * the default ones. The cache holds the system's hundreds of libraries too, in ldconfig's order, so
         * the lookup has to find it among them. */
        dir = strndup(prog, strrchr(prog, '/') - prog);
        ASSERT_TRUE(asprintf(&lib, "%s/libexectest-b.so", dir) > 0);
        fd = mkstemp(cache);
        ASSERT_TRUE(fd >= 0);
        close(fd);
        make_ld_cache(dir, cache);

        ASSERT_OK(exec_closure_compute("/usr/bin/true", &(ExecClosureOptions) {
                                               .ld_preload = "libexectest-b.so",
                                               .ld_so_cache = cache,
                                       }, &with));
        print_files(with);
        assert_has(with, lib);
        assert_has(with, libc);
        assert_has(with, cache);

        ASSERT_OK(exec_closure_compute("/usr/bin/true", &(ExecClosureOptions) {
                                               .ld_preload = "libexectest-b.so",
                                               .ld_so_cache = "/nonexistent",
                                       }, &without));
        ASSERT_FALSE(strv_contains(without, lib));
        unlink(cache);
}

TEST(fifo_in_a_search_directory_is_skipped_without_blocking) {
        _cleanup_free_ char *libc = libc_path();
        _cleanup_strv_free_ char **files = NULL;
        _cleanup_free_ char *fifo = NULL;
        char dir[] = "/tmp/test-exec-closure-fifo-XXXXXX";

        /* Opening a FIFO for reading blocks until a writer comes: the lookup must not wait for one. */
        ASSERT_TRUE(mkdtemp(dir));
        ASSERT_TRUE(asprintf(&fifo, "%s/libc.so.6", dir) > 0);
        ASSERT_EQ(mkfifo(fifo, 0644), 0);
        ASSERT_OK(exec_closure_compute("/usr/bin/true", &(ExecClosureOptions) { .ld_library_path = dir }, &files));
        print_files(files);
        assert_has(files, libc);
        ASSERT_FALSE(strv_contains(files, fifo));
        unlink(fifo);
        rmdir(dir);
}

TEST(static_binary_is_alone) {
        _cleanup_strv_free_ char **files = NULL;

        if (access("/bin/busybox", X_OK) < 0)
                test_skip("/bin/busybox (busybox-static) is not installed");
        ASSERT_OK(exec_closure_compute("/bin/busybox", &(ExecClosureOptions) {}, &files));
        print_files(files);
        ASSERT_EQ(strv_length(files), 1);
}

static char *write_script(const char *content) {
        char *path = strdup("/tmp/test-exec-closure-XXXXXX");
        int fd = mkstemp(path);

        ASSERT_TRUE(fd >= 0);
        ASSERT_EQ(write(fd, content, strlen(content)), (ssize_t) strlen(content));
        fchmod(fd, 0755);
        close(fd);
        return path;
}

TEST(script_interpreter_chain_is_followed) {
        _cleanup_free_ char *libc = libc_path();
        _cleanup_strv_free_ char **files = NULL;
        _cleanup_free_ char *script = write_script("#!/bin/sh -e\necho hi\n");

        ASSERT_OK(exec_closure_compute(script, &(ExecClosureOptions) {}, &files));
        print_files(files);
        ASSERT_STREQ(files[0], script);
        assert_has(files, "/bin/sh");
        assert_has(files, libc);
        unlink(script);
}

TEST(env_shebang_follows_the_named_program) {
        _cleanup_strv_free_ char **files = NULL;
        _cleanup_free_ char *script = write_script("#!/usr/bin/env ls\n");

        ASSERT_OK(exec_closure_compute(script, &(ExecClosureOptions) {}, &files));
        print_files(files);
        assert_has(files, "/usr/bin/env");
        assert_has(files, "/usr/bin/ls");
        unlink(script);
}

TEST(preloaded_libraries_are_included) {
        _cleanup_strv_free_ char **files = NULL;
        _cleanup_free_ char *prog = exectest_prog(), *lib = NULL;

        ASSERT_TRUE(asprintf(&lib, "%.*s/libexectest-b.so", (int) (strrchr(prog, '/') - prog), prog) > 0);
        ASSERT_OK(exec_closure_compute("/usr/bin/ls", &(ExecClosureOptions) { .ld_preload = lib }, &files));
        assert_has(files, lib);
}

static void remove_tree(const char *dir) {
        _cleanup_free_ char *cmd = NULL;

        ASSERT_TRUE(asprintf(&cmd, "rm -rf %s", dir) > 0);
        ASSERT_EQ(system(cmd), 0);
}

static void copy_file(const char *from, const char *to) {
        char buf[65536];
        ssize_t n;
        int in = open(from, O_RDONLY|O_CLOEXEC), out = open(to, O_WRONLY|O_CREAT|O_TRUNC|O_CLOEXEC, 0755);

        ASSERT_TRUE(in >= 0 && out >= 0);
        while ((n = read(in, buf, sizeof buf)) > 0)
                ASSERT_EQ(write(out, buf, n), n);
        ASSERT_EQ(n, 0);
        close(in);
        close(out);
}

/* A DT_NEEDED name equal to the DT_SONAME of a library already loaded is that library for ld.so: a copy
 * of libexectest-b.so preloaded from elsewhere is what libexectest-a.so gets, and the one next to it is
 * never opened (LD_DEBUG=files shows it), so it is not granted either. */
TEST(a_needed_name_matching_a_loaded_soname_is_not_searched) {
        _cleanup_strv_free_ char **files = NULL;
        _cleanup_free_ char *prog = exectest_prog(), *dir = NULL, *own = NULL, *copy = NULL;
        char tmp[] = "/tmp/test-closure-soname-XXXXXX";

        dir = strndup(prog, strrchr(prog, '/') - prog);
        ASSERT_TRUE(dir && mkdtemp(tmp));
        ASSERT_TRUE(asprintf(&own, "%s/libexectest-b.so", dir) > 0);
        ASSERT_TRUE(asprintf(&copy, "%s/libexectest-b.so", tmp) > 0);
        copy_file(own, copy);

        ASSERT_OK(exec_closure_compute(prog, &(ExecClosureOptions) { .ld_preload = copy }, &files));
        print_files(files);
        assert_has(files, copy);
        ASSERT_FALSE(strv_contains(files, own));
        unlink(copy);
        rmdir(tmp);
}


/* Found by test/fuzz/fuzz-ld-so-cache: queuing the first of several candidates moved the object list
 * under the search (use after free; the sanitizer build sees it). */
/* A glibc-hwcaps level ld.so searches on this machine's architecture (exec-closure.c's table has them). */
static const char *hwcaps_level(void) {
        struct utsname u;

        ASSERT_OK(uname(&u));
        return streq(u.machine, "x86_64") ? "x86-64-v3" : NULL;
}

TEST(every_hwcaps_candidate_of_a_library_is_included) {
        _cleanup_strv_free_ char **files = NULL;
        _cleanup_free_ char *prog = exectest_prog(), *lib = NULL, *v3 = NULL, *plain = NULL, *cmd = NULL;
        char dir[] = "/tmp/test-exec-closure-XXXXXX";
        const char *level = hwcaps_level();

        if (!level)
                test_skip("no glibc-hwcaps level is known for this architecture");
        ASSERT_TRUE(mkdtemp(dir));
        ASSERT_TRUE(asprintf(&lib, "%.*s/libexectest-b.so", (int) (strrchr(prog, '/') - prog), prog) > 0);
        ASSERT_TRUE(asprintf(&v3, "%s/glibc-hwcaps/%s/libcandidate.so", dir, level) > 0);
        ASSERT_TRUE(asprintf(&plain, "%s/libcandidate.so", dir) > 0);
        ASSERT_TRUE(asprintf(&cmd, "mkdir -p %s/glibc-hwcaps/%s", dir, level) > 0);
        ASSERT_EQ(system(cmd), 0);
        copy_file(lib, v3);
        copy_file(lib, plain);

        ASSERT_OK(exec_closure_compute("/usr/bin/ls", &(ExecClosureOptions) {
                                               .ld_library_path = dir,
                                               .ld_preload = "libcandidate.so",
                                       }, &files));
        print_files(files);
        assert_has(files, v3);
        assert_has(files, plain);
        remove_tree(dir);
}

/* $PLATFORM in a search path is the platform the kernel gives ld.so (AT_PLATFORM, which ld.so shows with
 * LD_SHOW_AUXV=1): the library ld.so loads from there is in the closure, in both modes. */
TEST(platform_in_a_search_path_is_what_ld_so_expands) {
        _cleanup_strv_free_ char **files = NULL, **names = NULL;
        _cleanup_free_ char *prog = exectest_prog(), *lib = NULL, *copy = NULL, *cmd = NULL, *search = NULL,
                *interpreter = NULL;
        _cleanup_free_ int *fds = NULL;
        char dir[] = "/tmp/test-exec-closure-XXXXXX", line[512], platform[128] = "";
        FILE *f;

        f = popen("LD_SHOW_AUXV=1 /usr/bin/true", "re");
        ASSERT_TRUE(f);
        while (fgets(line, sizeof line, f))
                if (sscanf(line, "AT_PLATFORM: %127s", platform) == 1)
                        break;
        pclose(f);
        if (!platform[0])
                test_skip("ld.so shows no AT_PLATFORM on this architecture");

        ASSERT_TRUE(mkdtemp(dir));
        ASSERT_TRUE(asprintf(&lib, "%.*s/libexectest-b.so", (int) (strrchr(prog, '/') - prog), prog) > 0);
        ASSERT_TRUE(asprintf(&copy, "%s/%s/libcandidate.so", dir, platform) > 0);
        ASSERT_TRUE(asprintf(&cmd, "mkdir -p %s/%s", dir, platform) > 0);
        ASSERT_EQ(system(cmd), 0);
        copy_file(lib, copy);
        ASSERT_TRUE(asprintf(&search, "%s/$PLATFORM", dir) > 0);

        /* ld.so's own answer first: the copy is what it preloads. */
        free(cmd);
        ASSERT_TRUE(asprintf(&cmd, "LD_LIBRARY_PATH='%s' LD_PRELOAD=libcandidate.so ldd /usr/bin/true | grep -qF '%s'",
                             search, copy) > 0);
        ASSERT_EQ(system(cmd), 0);

        ASSERT_OK(exec_closure_compute("/usr/bin/true", &(ExecClosureOptions) {
                                               .ld_library_path = search,
                                               .ld_preload = "libcandidate.so",
                                       }, &files));
        print_files(files);
        assert_has(files, copy);
        ASSERT_OK(exec_closure_compute_open("/usr/bin/true", &(ExecClosureOptions) {
                                                    .ld_library_path = search,
                                                    .ld_preload = "libcandidate.so",
                                            }, &names, &fds, &interpreter));
        ASSERT_EQ(strv_length(names), strv_length(files));
        assert_has(names, copy);
        for (size_t i = 0; names[i]; i++)
                safe_close(fds[i]);
        remove_tree(dir);
}

/* A 32-bit x86 ELF file at "path": a shared object without program headers, or (needed != NULL) an
 * executable whose one PT_LOAD maps the whole file, with a PT_DYNAMIC naming "needed" and DT_RPATH "rpath". */
static void write_elf32(const char *path, const char *needed, const char *rpath) {
        uint8_t buf[512] = {};
        Elf32_Ehdr *eh = (Elf32_Ehdr *) buf;
        Elf32_Phdr *ph = (Elf32_Phdr *) (buf + sizeof *eh);
        const uint32_t vaddr = 0x08048000;
        size_t str_off = sizeof *eh + 2 * sizeof *ph, dyn_off, total;
        int fd;

        memcpy(eh->e_ident, ELFMAG, SELFMAG);
        eh->e_ident[EI_CLASS] = ELFCLASS32;
        eh->e_ident[EI_DATA] = ELFDATA2LSB;
        eh->e_ident[EI_VERSION] = EV_CURRENT;
        eh->e_type = needed ? ET_EXEC : ET_DYN;
        eh->e_machine = EM_386;
        eh->e_version = EV_CURRENT;
        eh->e_ehsize = sizeof *eh;
        eh->e_phentsize = sizeof *ph;
        total = sizeof *eh;
        if (needed) {
                char *str = (char *) buf + str_off;
                Elf32_Dyn *dyn;

                str[0] = '\0';                                  /* offset 0: the empty string */
                strcpy(str + 1, needed);
                strcpy(str + 2 + strlen(needed), rpath);
                dyn_off = (str_off + 3 + strlen(needed) + strlen(rpath) + 3) & ~(size_t) 3;
                dyn = (Elf32_Dyn *) (buf + dyn_off);
                dyn[0] = (Elf32_Dyn) { .d_tag = DT_NEEDED, .d_un.d_val = 1 };
                dyn[1] = (Elf32_Dyn) { .d_tag = DT_RPATH, .d_un.d_val = 2 + strlen(needed) };
                dyn[2] = (Elf32_Dyn) { .d_tag = DT_STRTAB, .d_un.d_ptr = vaddr + str_off };
                dyn[3] = (Elf32_Dyn) { .d_tag = DT_STRSZ, .d_un.d_val = 3 + strlen(needed) + strlen(rpath) };
                dyn[4] = (Elf32_Dyn) { .d_tag = DT_NULL };
                total = dyn_off + 5 * sizeof *dyn;
                ASSERT_TRUE(total <= sizeof buf);
                eh->e_phoff = sizeof *eh;
                eh->e_phnum = 2;
                ph[0] = (Elf32_Phdr) { .p_type = PT_LOAD, .p_vaddr = vaddr, .p_paddr = vaddr, .p_filesz = total,
                                       .p_memsz = total, .p_flags = PF_R, .p_align = 0x1000 };
                ph[1] = (Elf32_Phdr) { .p_type = PT_DYNAMIC, .p_offset = dyn_off, .p_vaddr = vaddr + dyn_off,
                                       .p_paddr = vaddr + dyn_off, .p_filesz = 5 * sizeof *dyn,
                                       .p_memsz = 5 * sizeof *dyn, .p_flags = PF_R, .p_align = 4 };
        }
        fd = open(path, O_CREAT|O_WRONLY|O_TRUNC|O_CLOEXEC, 0755);
        ASSERT_TRUE(fd >= 0);
        ASSERT_EQ(write(fd, buf, total), (ssize_t) total);
        close(fd);
}

/* $PLATFORM of a 32-bit x86 program on a 64-bit x86 kernel is the kernel's compat platform, i686 (what
 * the 32-bit ld.so shows with LD_SHOW_AUXV=1), not this program's x86_64: its library is taken from
 * plat/i686, never from plat/x86_64. */
TEST(platform_of_a_32_bit_program_is_the_kernels_compat_platform) {
        _cleanup_strv_free_ char **files = NULL;
        _cleanup_free_ char *prog = NULL, *cmd = NULL, *i686 = NULL, *x86_64 = NULL;
        char dir[] = "/tmp/test-exec-closure-XXXXXX";

#if !defined(__x86_64__)
        test_skip("the case of a 32-bit x86 program on a 64-bit x86 kernel");
#endif
        ASSERT_TRUE(mkdtemp(dir));
        ASSERT_TRUE(asprintf(&cmd, "mkdir -p %s/plat/i686 %s/plat/x86_64", dir, dir) > 0);
        ASSERT_EQ(system(cmd), 0);
        ASSERT_TRUE(asprintf(&prog, "%s/prog", dir) > 0);
        ASSERT_TRUE(asprintf(&i686, "%s/plat/i686/libpl.so", dir) > 0);
        ASSERT_TRUE(asprintf(&x86_64, "%s/plat/x86_64/libpl.so", dir) > 0);
        write_elf32(prog, "libpl.so", "$ORIGIN/plat/$PLATFORM");
        write_elf32(i686, NULL, NULL);
        write_elf32(x86_64, NULL, NULL);

        /* Where a 32-bit ld.so is installed, it says so itself. */
        if (access("/lib/ld-linux.so.2", X_OK) >= 0)
                ASSERT_EQ(system("LD_SHOW_AUXV=1 /lib/ld-linux.so.2 2>&1 | grep -qx 'AT_PLATFORM: *i686'"), 0);
        else
                printf("# no 32-bit ld.so here (/lib/ld-linux.so.2) to ask\n");

        ASSERT_OK(exec_closure_compute(prog, &(ExecClosureOptions) {}, &files));
        print_files(files);
        assert_has(files, i686);
        ASSERT_FALSE(strv_contains(files, x86_64));
        remove_tree(dir);
}

/* Opening a FIFO blocks until someone writes to it: a command, an interpreter or a loader file that is a
 * FIFO must be refused (as execve() refuses it), not hang the enforcer before the service starts. */
TEST(fifo_is_refused_without_blocking) {
        _cleanup_free_ char *libc = libc_path();
        _cleanup_strv_free_ char **files = NULL, **files2 = NULL;
        _cleanup_free_ char *i = NULL, *script = NULL, *content = NULL;
        char fifo[] = "/tmp/test-exec-closure-fifo-XXXXXX";
        int fd = mkstemp(fifo);

        ASSERT_TRUE(fd >= 0);
        close(fd);
        ASSERT_EQ(unlink(fifo), 0);
        ASSERT_EQ(mkfifo(fifo, 0755), 0);

        ASSERT_ERROR(exec_interpreter(fifo, &i), EACCES);
        ASSERT_ERROR(exec_closure_compute(fifo, &(ExecClosureOptions) {}, &files), EACCES);

        ASSERT_TRUE(asprintf(&content, "#!%s\n", fifo) > 0);
        script = write_script(content);
        ASSERT_ERROR(exec_closure_compute(script, &(ExecClosureOptions) {}, &files), EACCES);
        ASSERT_ERROR(exec_closure_compute("/usr/bin/ls", &(ExecClosureOptions) { .ld_so_preload = fifo }, &files2),
                     EACCES);
        /* A FIFO for a cache is no cache: the libraries are found in the default directories. */
        ASSERT_OK(exec_closure_compute("/usr/bin/ls", &(ExecClosureOptions) { .ld_so_cache = fifo }, &files2));
        assert_has(files2, libc);

        unlink(script);
        unlink(fifo);
}

TEST(commands_are_resolved_like_systemd) {
        _cleanup_free_ char *a = NULL, *b = NULL, *c = NULL;

        ASSERT_OK(exec_command_find("ls", NULL, &a));
        ASSERT_STREQ(a, "/usr/bin/ls");
        ASSERT_OK(exec_command_find("ls", "/nonexistent:/bin", &b));
        ASSERT_STREQ(b, "/bin/ls");
        ASSERT_OK(exec_command_find("/usr/bin/ls", NULL, &c));
        ASSERT_STREQ(c, "/usr/bin/ls");
        ASSERT_ERROR(exec_command_find("no-such-command-for-landlock-tests", NULL, &c), ENOENT);
        ASSERT_ERROR(exec_command_find("ls", "/nonexistent", &c), ENOENT);
        ASSERT_ERROR(exec_command_find("bin/ls", NULL, &c), EINVAL);
        ASSERT_ERROR(exec_command_find("passwd", "/etc", &c), EACCES);
}

TEST(missing_command_has_no_closure) {
        _cleanup_strv_free_ char **files = NULL;

        ASSERT_ERROR(exec_closure_compute("/nonexistent/cmd", &(ExecClosureOptions) {}, &files), ENOENT);
}

TEST(interpreter_is_reported) {
        _cleanup_free_ char *i = NULL, *s = NULL, *ldso = ldd_path("/usr/bin/ls", NULL);
        _cleanup_free_ char *script = write_script("#!/bin/sh\n");

        ASSERT_EQ(exec_interpreter("/usr/bin/ls", &i), 1);
        ASSERT_STREQ(i, ldso);
        ASSERT_EQ(exec_interpreter(script, &s), 1);
        ASSERT_STREQ(s, "/bin/sh");
        unlink(script);
}

/* The enforcer takes the interpreter from the closure's own reading of the command: the same answer. */
TEST(closure_reports_the_interpreter_as_exec_interpreter_does) {
        _cleanup_free_ char *i = NULL, *c = NULL, *s = NULL, *cs = NULL, *none = NULL;
        _cleanup_free_ char *script = write_script("#!/bin/sh -e\n");
        _cleanup_strv_free_ char **files = NULL, **sfiles = NULL, **bfiles = NULL;

        ASSERT_EQ(exec_interpreter("/usr/bin/ls", &i), 1);
        ASSERT_OK(exec_closure_compute_full("/usr/bin/ls", NULL, &files, &c));
        ASSERT_STREQ(c, i);
        ASSERT_EQ(exec_interpreter(script, &s), 1);
        ASSERT_OK(exec_closure_compute_full(script, NULL, &sfiles, &cs));
        ASSERT_STREQ(cs, s);
        unlink(script);
        if (access("/bin/busybox", X_OK) == 0) {      /* static: no interpreter */
                ASSERT_OK(exec_closure_compute_full("/bin/busybox", NULL, &bfiles, &none));
                ASSERT_TRUE(none == NULL);
        }
}

/* Files the service may have written choose what the closure reads: a "#!" line, a symlink, a search
 * directory, $LD_PRELOAD. Whatever they name, a grant goes only to a file that would run. */
static char *write_file_mode(const char *dir, const char *name, const char *content, mode_t mode) {
        char *path;
        int fd;

        ASSERT_TRUE(asprintf(&path, "%s/%s", dir, name) > 0);
        fd = open(path, O_WRONLY|O_CREAT|O_TRUNC|O_CLOEXEC, mode);
        ASSERT_TRUE(fd >= 0);
        ASSERT_EQ(write(fd, content, strlen(content)), (ssize_t) strlen(content));
        ASSERT_EQ(fchmod(fd, mode), 0);
        close(fd);
        return path;
}

TEST(a_file_that_cannot_run_is_never_granted) {
        _cleanup_strv_free_ char **files = NULL, **data_files = NULL;
        _cleanup_free_ char *secret = NULL, *link = NULL, *script = NULL, *data = NULL, *via_data = NULL,
                            *content = NULL, *content2 = NULL;
        char dir[] = "/tmp/test-exec-closure-XXXXXX";

        ASSERT_TRUE(mkdtemp(dir));
        secret = write_file_mode(dir, "secret", "TOPSECRET\n", 0600);
        data = write_file_mode(dir, "data", "just data\n", 0755);
        ASSERT_TRUE(asprintf(&content, "#!%s\n", secret) > 0);
        ASSERT_TRUE(asprintf(&content2, "#!%s\n", data) > 0);
        script = write_file_mode(dir, "script", content, 0755);
        via_data = write_file_mode(dir, "via-data", content2, 0755);
        ASSERT_TRUE(asprintf(&link, "%s/link", dir) > 0);
        ASSERT_EQ(symlink(secret, link), 0);

        /* Not executable: named by a "#!" line, or reached through a symlink (a program of
         * LandlockAllowPrograms=). */
        ASSERT_ERROR(exec_closure_compute(script, NULL, &files), EACCES);
        ASSERT_ERROR(exec_closure_compute(link, NULL, &files), EACCES);
        ASSERT_ERROR(exec_closure_compute(secret, NULL, &files), EACCES);
        /* Executable, but no interpreter: neither ELF nor "#!". */
        ASSERT_ERROR(exec_closure_compute(via_data, NULL, &files), ENOEXEC);
        /* The unit's own command may be anything binfmt_misc runs. */
        ASSERT_OK(exec_closure_compute(data, NULL, &data_files));
        ASSERT_STREQ(data_files[0], data);
        remove_tree(dir);
}

TEST(only_the_system_env_has_its_argument_followed) {
        _cleanup_strv_free_ char **files = NULL, **real = NULL;
        _cleanup_free_ char *fake = NULL, *script = NULL, *content = NULL, *real_script = NULL;
        char dir[] = "/tmp/test-exec-closure-XXXXXX";

        ASSERT_TRUE(mkdtemp(dir));
        /* A program named env that reads its argument instead of running it. */
        fake = write_file_mode(dir, "env", "#!/bin/sh\nwhile read -r l; do echo \"$l\"; done < \"$1\"\n", 0755);
        ASSERT_TRUE(asprintf(&content, "#!%s /usr/bin/ls\n", fake) > 0);
        script = write_file_mode(dir, "start", content, 0755);
        real_script = write_file_mode(dir, "real", "#!/usr/bin/env ls\n", 0755);

        ASSERT_OK(exec_closure_compute(script, NULL, &files));
        print_files(files);
        assert_has(files, fake);
        assert_has(files, "/bin/sh");
        ASSERT_FALSE(strv_contains(files, "/usr/bin/ls"));
        ASSERT_OK(exec_closure_compute(real_script, NULL, &real));
        assert_has(real, "/usr/bin/ls");
        remove_tree(dir);
}

/* A copy of "from" whose ELF header says it is a core dump (e_type ET_CORE). */
static void write_core_copy(const char *from, const char *to) {
        uint16_t core = ET_CORE;        /* little-endian on the machines this runs on */
        int fd;

        copy_file(from, to);
        fd = open(to, O_WRONLY|O_CLOEXEC);
        ASSERT_TRUE(fd >= 0);
        ASSERT_EQ(pwrite(fd, &core, sizeof core, 16), (ssize_t) sizeof core);
        close(fd);
}

/* A copy of a 64-bit little-endian executable with its program headers moved to the end of the file, far
 * past the head read with the ELF header: they are read on their own, and the closure is the same. */
static void write_far_phdrs_copy(const char *from, const char *to) {
        Elf64_Ehdr eh;
        struct stat st;
        void *phdrs;
        size_t size;
        int in, out;

        copy_file(from, to);
        in = open(from, O_RDONLY|O_CLOEXEC);
        out = open(to, O_WRONLY|O_CLOEXEC);
        ASSERT_TRUE(in >= 0 && out >= 0);
        ASSERT_EQ(pread(in, &eh, sizeof eh, 0), (ssize_t) sizeof eh);
        ASSERT_TRUE(eh.e_ident[EI_CLASS] == ELFCLASS64 && eh.e_phnum > 0);
        size = (size_t) eh.e_phnum * eh.e_phentsize;
        phdrs = malloc(size);
        ASSERT_TRUE(phdrs);
        ASSERT_EQ(pread(in, phdrs, size, (off_t) eh.e_phoff), (ssize_t) size);
        ASSERT_OK(RET_NERRNO(fstat(in, &st)));
        eh.e_phoff = ((uint64_t) st.st_size + 7) & ~(uint64_t) 7;
        ASSERT_TRUE(eh.e_phoff > 4096);
        ASSERT_EQ(pwrite(out, phdrs, size, (off_t) eh.e_phoff), (ssize_t) size);
        ASSERT_EQ(pwrite(out, &eh, sizeof eh, 0), (ssize_t) sizeof eh);
        free(phdrs);
        close(in);
        close(out);
}

TEST(program_headers_past_the_head_are_read) {
        _cleanup_strv_free_ char **files = NULL, **moved = NULL;
        _cleanup_free_ char *copy = NULL;
        char dir[] = "/tmp/test-exec-closure-XXXXXX";

        if (htole16(1) != 1 || sizeof(void *) != 8)
                test_skip("the copy is written as a 64-bit little-endian file");
        ASSERT_TRUE(mkdtemp(dir));
        ASSERT_TRUE(asprintf(&copy, "%s/true", dir) > 0);
        write_far_phdrs_copy("/usr/bin/true", copy);
        ASSERT_OK(exec_closure_compute("/usr/bin/true", &(ExecClosureOptions) {}, &files));
        ASSERT_OK(exec_closure_compute(copy, &(ExecClosureOptions) {}, &moved));
        print_files(moved);
        ASSERT_EQ(strv_length(moved), strv_length(files));
        ASSERT_TRUE(strv_length(files) >= 3);  /* the program, ld.so, libc (and the cache) */
        for (size_t i = 1; files[i]; i++)
                assert_has(moved, files[i]);
        remove_tree(dir);
}

TEST(a_library_that_would_not_load_is_never_granted) {
        _cleanup_free_ char *libc = libc_path(), *core = NULL, *cmd = NULL, *lib = NULL;
        _cleanup_strv_free_ char **files = NULL, **preloaded = NULL;
        char dir[] = "/tmp/test-exec-closure-XXXXXX";

        if (htole16(1) != 1)
                test_skip("the core copy is written little-endian");
        ASSERT_TRUE(mkdtemp(dir));
        /* libc.so.6 of a search directory of the service's, the name found first: a core dump. */
        ASSERT_TRUE(asprintf(&core, "%s/libc.so.6", dir) > 0);
        write_core_copy(libc, core);
        ASSERT_OK(exec_closure_compute("/usr/bin/true", &(ExecClosureOptions) { .ld_library_path = dir }, &files));
        print_files(files);
        ASSERT_FALSE(strv_contains(files, core));
        assert_has(files, libc);
        ASSERT_OK(exec_closure_compute("/usr/bin/true", &(ExecClosureOptions) { .ld_preload = core }, &preloaded));
        ASSERT_FALSE(strv_contains(preloaded, core));
        remove_tree(dir);
}

/* Opening a device can act on it: a file the closure only might use is looked at before it is opened.
 * A FIFO stands for the device here, since inotify sees it opened (IN_OPEN) without anyone writing. */
TEST(a_file_that_is_not_regular_is_never_opened) {
        _cleanup_free_ char *fifo = NULL, *content = NULL, *script = NULL;
        _cleanup_strv_free_ char **files = NULL;
        char dir[] = "/tmp/test-exec-closure-XXXXXX", buf[4096];
        int in, wd;

        ASSERT_TRUE(mkdtemp(dir));
        ASSERT_TRUE(asprintf(&fifo, "%s/libc.so.6", dir) > 0);
        ASSERT_EQ(mkfifo(fifo, 0755), 0);
        ASSERT_TRUE(asprintf(&content, "#!%s\n", fifo) > 0);
        script = write_file_mode(dir, "start", content, 0755);
        in = inotify_init1(IN_NONBLOCK|IN_CLOEXEC);
        ASSERT_TRUE(in >= 0);
        wd = inotify_add_watch(in, fifo, IN_OPEN);
        ASSERT_TRUE(wd >= 0);

        ASSERT_OK(exec_closure_compute("/usr/bin/true", &(ExecClosureOptions) { .ld_library_path = dir }, &files));
        ASSERT_ERROR(exec_closure_compute(script, NULL, &files), EACCES);
        ASSERT_ERROR(exec_closure_compute(fifo, NULL, &files), EACCES);
        ASSERT_EQ(read(in, buf, sizeof buf), -1);
        ASSERT_EQ(errno, EAGAIN);
        close(in);
        remove_tree(dir);
}
