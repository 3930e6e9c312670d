/* SPDX-License-Identifier: LGPL-2.1-or-later */

#include <assert.h>
#include <elf.h>
#include <fcntl.h>
#include <limits.h>
#include <sys/auxv.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/utsname.h>

#include "alloc-util.h"
#include "exec-closure.h"
#include "fileio.h"
#include "log.h"

/* Sanity bounds on what we read from a file, so a corrupt or hostile ELF cannot make us allocate
 * without limit. Real binaries are far below them. */
#define ELF_MAX_PHNUM    4096U
#define ELF_MAX_DYNAMIC  (1U << 20)
#define ELF_MAX_STRTAB   (16U << 20)
#define ELF_MAX_CACHE    (64U << 20)

/* The kernel reads this much of a file to find "#!" (BINPRM_BUF_SIZE). */
#define SHEBANG_MAX 256

/* ---- Reading ELF files ---- */

typedef struct ElfIdent {
        unsigned char class;            /* ELFCLASS32 / ELFCLASS64 */
        unsigned char data;             /* ELFDATA2LSB / ELFDATA2MSB */
        uint16_t type;                  /* ET_EXEC, ET_DYN, ... */
        uint16_t machine;
} ElfIdent;

typedef struct ElfInfo {
        ElfIdent ident;
        char *interp;                   /* PT_INTERP */
        char **needed;                  /* DT_NEEDED, in order */
        char *rpath, *runpath;          /* DT_RPATH, DT_RUNPATH */
        char *soname;                   /* DT_SONAME */
        bool nodeflib;                  /* DF_1_NODEFLIB: no ld.so.cache, no default directories */
} ElfInfo;

static void elf_info_done(ElfInfo *e) {
        free(e->interp);
        strv_free(e->needed);
        free(e->rpath);
        free(e->runpath);
        free(e->soname);
        *e = (ElfInfo) {};
}

static uint16_t elf_16(const ElfIdent *id, const void *p) {
        const uint8_t *b = p;
        return id->data == ELFDATA2MSB ? (uint16_t) (b[0] << 8 | b[1]) : (uint16_t) (b[1] << 8 | b[0]);
}

static uint32_t elf_32(const ElfIdent *id, const void *p) {
        const uint8_t *b = p;
        if (id->data == ELFDATA2MSB)
                return (uint32_t) b[0] << 24 | (uint32_t) b[1] << 16 | (uint32_t) b[2] << 8 | b[3];
        return (uint32_t) b[3] << 24 | (uint32_t) b[2] << 16 | (uint32_t) b[1] << 8 | b[0];
}

static uint64_t elf_64(const ElfIdent *id, const void *p) {
        const uint8_t *b = p;
        uint64_t hi = elf_32(id, id->data == ELFDATA2MSB ? b : b + 4),
                 lo = elf_32(id, id->data == ELFDATA2MSB ? b + 4 : b);
        return hi << 32 | lo;
}

/* A "word" of the file's class: the 32 or 64 bit field at p. */
static uint64_t elf_word(const ElfIdent *id, const void *p) {
        return id->class == ELFCLASS64 ? elf_64(id, p) : elf_32(id, p);
}

static int read_exact(int fd, void *buf, size_t size, uint64_t offset) {
        ssize_t n;

        if (offset > (uint64_t) LLONG_MAX)
                return -EBADMSG;
        n = pread(fd, buf, size, (off_t) offset);
        if (n < 0)
                return -errno;
        if ((size_t) n != size)
                return -EBADMSG;        /* truncated file */
        return 0;
}

/* The start of a file, read once: it holds the "#!" line of a script, and for nearly every ELF file its
 * header, program headers and PT_INTERP, so that one pread() serves all of them (3 of 1279 64-bit ELF
 * files of a Debian system need more, read then with a pread() of their own). Not a page: two of these
 * are on the stack at once, and each page of stack touched is a page fault in a process just started. */
#define FILE_HEAD_SIZE 1024

/* Opens a file we are about to read as an executable, a script, a loader file or ld.so's lists.
 * O_NONBLOCK: a FIFO would block open() until someone writes to it, for ever; the kernel and ld.so only
 * take regular files, so anything else is refused as execve() refuses it (-EACCES, -EISDIR). */
static int open_regular(const char *path, struct stat *ret_st) {
        _cleanup_close_ int fd = -EBADF;
        struct stat before, st;

        /* Looked at before it is opened: opening a device can act (a watchdog starts, a tape rewinds), and
         * the path may come from a file or a symlink the service wrote. */
        if (stat(path, &before) < 0)
                return -errno;
        if (S_ISDIR(before.st_mode))
                return -EISDIR;
        if (!S_ISREG(before.st_mode))
                return -EACCES;

        /* openat(): musl's open() follows O_CLOEXEC with an fcntl() (for kernels before 2.6.23). */
        fd = openat(AT_FDCWD, path, O_RDONLY|O_CLOEXEC|O_NOCTTY|O_NONBLOCK);
        if (fd < 0)
                return -errno;
        if (fstat(fd, &st) < 0)
                return -errno;
        if (!S_ISREG(st.st_mode) || st.st_dev != before.st_dev || st.st_ino != before.st_ino)
                return -EAGAIN;         /* replaced in between */
        if (ret_st)
                *ret_st = st;
        return TAKE_FD(fd);
}

typedef struct FileHead {
        uint8_t data[FILE_HEAD_SIZE];
        size_t size;
} FileHead;

static int file_head_read(int fd, FileHead *ret) {
        ssize_t n;

        n = pread(fd, ret->data, sizeof ret->data, 0);
        if (n < 0)
                return -errno;
        ret->size = (size_t) n;
        return 0;
}

/* Bytes [offset, offset + size) of the file: from its head when they are in it, else read. */
static int read_at(int fd, const FileHead *head, void *buf, size_t size, uint64_t offset) {
        if (offset <= head->size && size <= head->size - offset) {
                memcpy(buf, head->data + offset, size);
                return 0;
        }
        return read_exact(fd, buf, size, offset);
}

/* Returns 1 and fills *ret for an ELF file, 0 if the file is not ELF. */
static int elf_read_ident(const FileHead *head, ElfIdent *ret) {
        const uint8_t *h = head->data;
        ElfIdent id;

        if (head->size < EI_NIDENT + 4 || memcmp(h, ELFMAG, SELFMAG) != 0)
                return 0;

        id = (ElfIdent) { .class = h[EI_CLASS], .data = h[EI_DATA] };
        if (!(id.class == ELFCLASS32 || id.class == ELFCLASS64) ||
            !(id.data == ELFDATA2LSB || id.data == ELFDATA2MSB))
                return 0;
        id.type = elf_16(&id, h + EI_NIDENT);           /* e_type, then e_machine */
        id.machine = elf_16(&id, h + EI_NIDENT + 2);

        *ret = id;
        return 1;
}

typedef struct ElfLoad {
        uint64_t vaddr, offset, filesz;
} ElfLoad;

static int elf_vaddr_to_offset(const ElfLoad *loads, size_t n_loads, uint64_t vaddr, uint64_t *ret) {
        for (size_t i = 0; i < n_loads; i++)
                if (vaddr >= loads[i].vaddr && vaddr - loads[i].vaddr < loads[i].filesz) {
                        *ret = loads[i].offset + (vaddr - loads[i].vaddr);
                        return 0;
                }
        return -EBADMSG;
}

/* The strings of the dynamic string table (at file offset "strtab_off", "strtab_size" bytes long) that
 * ld.so looks at. Only the span between the first and the last of them is read, not the whole table (the
 * symbol names of a libc are tens of KiB). */
typedef struct ElfStrings {
        int fd;
        uint64_t strtab_off, strtab_size;
        char *window;                   /* bytes [window_start, window_start + window_size) of the table */
        uint64_t window_start, window_size;
} ElfStrings;

/* How much to read past the offset of the last string wanted: names and search paths are short. */
#define ELF_STRING_SLACK 512U

static int elf_strings_read_window(ElfStrings *t, const uint64_t *offsets, size_t n) {
        uint64_t first = UINT64_MAX, last = 0;
        int r;

        for (size_t i = 0; i < n; i++) {
                if (offsets[i] == UINT64_MAX)
                        continue;
                if (offsets[i] >= t->strtab_size)
                        return -EBADMSG;
                first = MIN(first, offsets[i]);
                last = MAX(last, offsets[i]);
        }
        if (first == UINT64_MAX)
                return 0;

        t->window_start = first;
        t->window_size = MIN(last + ELF_STRING_SLACK, t->strtab_size) - first;
        t->window = malloc(t->window_size);
        if (!t->window)
                return -ENOMEM;
        r = read_exact(t->fd, t->window, t->window_size, t->strtab_off + first);
        if (r < 0)
                return r;
        return 0;
}

/* A copy of the string at "offset" of the table; a string running past the window is read on its own,
 * up to the end of the table. */
static int elf_strings_get(const ElfStrings *t, uint64_t offset, char **ret) {
        _cleanup_free_ char *buf = NULL;
        uint64_t size;
        int r;

        if (offset >= t->strtab_size)
                return -EBADMSG;
        if (t->window && offset >= t->window_start && offset - t->window_start < t->window_size) {
                const char *s = t->window + (offset - t->window_start);
                size_t left = t->window_size - (offset - t->window_start);

                if (memchr(s, 0, left)) {
                        *ret = strdup(s);
                        return *ret ? 0 : -ENOMEM;
                }
        }

        size = t->strtab_size - offset;
        buf = malloc(size);
        if (!buf)
                return -ENOMEM;
        r = read_exact(t->fd, buf, size, t->strtab_off + offset);
        if (r < 0)
                return r;
        if (!memchr(buf, 0, size))
                return -EBADMSG;
        *ret = TAKE_PTR(buf);
        return 0;
}

/* What the program headers say: where the segments are loaded, where the dynamic section is. */
typedef struct ElfProgram {
        ElfLoad *loads;
        size_t n_loads;
        uint64_t dyn_off, dyn_size;
} ElfProgram;

static void elf_program_done(ElfProgram *p) {
        p->loads = mfree(p->loads);
}

/* What the dynamic section says: the offsets of the names in the string table. */
typedef struct ElfDynamic {
        uint64_t *needed_off;           /* n_needed, then three free slots (for one read of all strings) */
        size_t n_needed;
        uint64_t strtab_addr, strtab_size, rpath, runpath, soname, flags_1;
} ElfDynamic;

static void elf_dynamic_done(ElfDynamic *d) {
        d->needed_off = mfree(d->needed_off);
}

static void elf_phdr_fields(const ElfIdent *id, const uint8_t *ph, uint64_t *offset, uint64_t *vaddr,
                            uint64_t *filesz) {
        if (id->class == ELFCLASS64) {
                *offset = elf_64(id, ph + offsetof(Elf64_Phdr, p_offset));
                *vaddr = elf_64(id, ph + offsetof(Elf64_Phdr, p_vaddr));
                *filesz = elf_64(id, ph + offsetof(Elf64_Phdr, p_filesz));
        } else {
                *offset = elf_32(id, ph + offsetof(Elf32_Phdr, p_offset));
                *vaddr = elf_32(id, ph + offsetof(Elf32_Phdr, p_vaddr));
                *filesz = elf_32(id, ph + offsetof(Elf32_Phdr, p_filesz));
        }
}

static int elf_read_interp(int fd, const FileHead *head, uint64_t offset, uint64_t filesz, char **interp) {
        if (filesz == 0 || filesz > PATH_MAX)
                return -EBADMSG;
        free(*interp);
        *interp = calloc(1, filesz + 1);
        if (!*interp)
                return -ENOMEM;
        return read_at(fd, head, *interp, filesz, offset);
}

/* The ELF header and the program headers: the loaded segments, the dynamic section and, if "interp", the
 * interpreter (into e->interp; ld.so ignores a library's). An object without program headers (a
 * relocatable one) has nothing for the loader. */
static int elf_read_program(int fd, const FileHead *head, bool interp, ElfInfo *e, ElfProgram *ret) {
        const ElfIdent *id = &e->ident;
        bool is64 = id->class == ELFCLASS64;
        _cleanup_free_ uint8_t *phdrs_read = NULL;
        const uint8_t *phdrs;
        uint8_t ehdr[sizeof(Elf64_Ehdr)];
        size_t phentsize, phnum;
        uint64_t phoff;
        int r;

        r = read_at(fd, head, ehdr, is64 ? sizeof(Elf64_Ehdr) : sizeof(Elf32_Ehdr), 0);
        if (r < 0)
                return r;
        phoff = elf_word(id, ehdr + (is64 ? offsetof(Elf64_Ehdr, e_phoff) : offsetof(Elf32_Ehdr, e_phoff)));
        phentsize = elf_16(id, ehdr + (is64 ? offsetof(Elf64_Ehdr, e_phentsize) : offsetof(Elf32_Ehdr, e_phentsize)));
        phnum = elf_16(id, ehdr + (is64 ? offsetof(Elf64_Ehdr, e_phnum) : offsetof(Elf32_Ehdr, e_phnum)));
        if (phnum == 0)
                return 0;
        if (phnum > ELF_MAX_PHNUM || phentsize < (is64 ? sizeof(Elf64_Phdr) : sizeof(Elf32_Phdr)))
                return -EBADMSG;

        ret->loads = calloc(phnum, sizeof(ElfLoad));
        if (!ret->loads)
                return -ENOMEM;
        if (phoff <= head->size && phnum * phentsize <= head->size - phoff)
                phdrs = head->data + phoff;     /* nearly always: read with the head */
        else {
                phdrs = phdrs_read = malloc(phnum * phentsize);
                if (!phdrs_read)
                        return -ENOMEM;
                r = read_at(fd, head, phdrs_read, phnum * phentsize, phoff);
                if (r < 0)
                        return r;
        }

        for (size_t i = 0; i < phnum; i++) {
                const uint8_t *ph = phdrs + i * phentsize;
                uint64_t offset, vaddr, filesz;

                elf_phdr_fields(id, ph, &offset, &vaddr, &filesz);
                switch (elf_32(id, ph)) {
                case PT_LOAD:
                        ret->loads[ret->n_loads++] = (ElfLoad) { vaddr, offset, filesz };
                        break;
                case PT_DYNAMIC:
                        ret->dyn_off = offset;
                        ret->dyn_size = filesz;
                        break;
                case PT_INTERP:
                        if (!interp)
                                break;
                        r = elf_read_interp(fd, head, offset, filesz, &e->interp);
                        if (r < 0)
                                return r;
                        break;
                }
        }
        return 0;
}

/* The entries of the dynamic section we need: DT_NEEDED, the string table, RPATH, RUNPATH, SONAME,
 * FLAGS_1. */
static int elf_read_dynamic(int fd, const FileHead *head, const ElfIdent *id, const ElfProgram *prog,
                            ElfDynamic *ret) {
        size_t dynentsize = id->class == ELFCLASS64 ? sizeof(Elf64_Dyn) : sizeof(Elf32_Dyn);
        _cleanup_free_ uint8_t *dyn = NULL;
        int r;

        if (prog->dyn_size > ELF_MAX_DYNAMIC)
                return -EBADMSG;

        *ret = (ElfDynamic) { .rpath = UINT64_MAX, .runpath = UINT64_MAX, .soname = UINT64_MAX };
        dyn = malloc(prog->dyn_size);
        ret->needed_off = calloc(prog->dyn_size / dynentsize + 3, sizeof(uint64_t));
        if (!dyn || !ret->needed_off)
                return -ENOMEM;
        r = read_at(fd, head, dyn, prog->dyn_size, prog->dyn_off);
        if (r < 0)
                return r;

        for (size_t i = 0; i + dynentsize <= prog->dyn_size; i += dynentsize) {
                uint64_t tag = elf_word(id, dyn + i), val = elf_word(id, dyn + i + dynentsize / 2);

                if (tag == DT_NULL)
                        break;
                switch (tag) {
                case DT_NEEDED:
                        ret->needed_off[ret->n_needed++] = val;
                        break;
                case DT_STRTAB:
                        ret->strtab_addr = val;
                        break;
                case DT_STRSZ:
                        ret->strtab_size = val;
                        break;
                case DT_RPATH:
                        ret->rpath = val;
                        break;
                case DT_RUNPATH:
                        ret->runpath = val;
                        break;
                case DT_SONAME:
                        ret->soname = val;
                        break;
                case DT_FLAGS_1:
                        ret->flags_1 = val;
                        break;
                }
        }
        return 0;
}

/* The names the dynamic section points to, read from the string table in one go. */
static int elf_read_dynamic_strings(int fd, const ElfProgram *prog, ElfDynamic *d, ElfInfo *e) {
        _cleanup_strv_free_ char **needed = NULL;
        _cleanup_free_ char *window = NULL;
        ElfStrings t = { .fd = fd };
        int r;

        if (d->n_needed == 0 && d->rpath == UINT64_MAX && d->runpath == UINT64_MAX && d->soname == UINT64_MAX)
                return 0;
        if (d->strtab_size == 0 || d->strtab_size > ELF_MAX_STRTAB ||
            elf_vaddr_to_offset(prog->loads, prog->n_loads, d->strtab_addr, &t.strtab_off) < 0)
                return -EBADMSG;
        t.strtab_size = d->strtab_size;
        /* ld.so only compares a DT_SONAME: one it could not read is no reason to refuse the object. */
        if (d->soname != UINT64_MAX && d->soname >= d->strtab_size)
                d->soname = UINT64_MAX;

        d->needed_off[d->n_needed] = d->rpath;
        d->needed_off[d->n_needed + 1] = d->runpath;
        d->needed_off[d->n_needed + 2] = d->soname;
        r = elf_strings_read_window(&t, d->needed_off, d->n_needed + 3);
        window = t.window;
        if (r < 0)
                return r;

        for (size_t i = 0; i < d->n_needed; i++) {
                char *name;

                r = elf_strings_get(&t, d->needed_off[i], &name);
                if (r < 0)
                        return r;
                r = strv_push(&needed, name);
                if (r < 0)
                        return r;
        }
        if (d->rpath != UINT64_MAX) {
                r = elf_strings_get(&t, d->rpath, &e->rpath);
                if (r < 0)
                        return r;
        }
        if (d->runpath != UINT64_MAX) {
                r = elf_strings_get(&t, d->runpath, &e->runpath);
                if (r < 0)
                        return r;
        }
        if (d->soname != UINT64_MAX) {
                r = elf_strings_get(&t, d->soname, &e->soname);
                if (r == -ENOMEM)
                        return r;
                if (r < 0)
                        e->soname = NULL;       /* unreadable: as if there were none (see above) */
        }
        e->needed = TAKE_PTR(needed);
        return 0;
}

/* Reads what the dynamic loader looks at: PT_INTERP and, if "dynamic", the PT_DYNAMIC entries. Returns 1
 * for an ELF file, 0 for anything else, -errno on a read error or a malformed ELF. */
static int elf_read_info(int fd, const FileHead *head, bool dynamic, bool interp, ElfInfo *ret) {
        _cleanup_(elf_program_done) ElfProgram prog = {};
        _cleanup_(elf_dynamic_done) ElfDynamic dyn = {};
        _cleanup_(elf_info_done) ElfInfo e = {};
        int r;

        r = elf_read_ident(head, &e.ident);
        if (r <= 0)
                return r;

        r = elf_read_program(fd, head, interp, &e, &prog);
        if (r < 0)
                return r;

        /* The dynamic section only when asked for, and when there is one (not statically linked). */
        if (dynamic && prog.dyn_size > 0) {
                r = elf_read_dynamic(fd, head, &e.ident, &prog, &dyn);
                if (r >= 0)
                        r = elf_read_dynamic_strings(fd, &prog, &dyn, &e);
                if (r < 0)
                        return r;
                e.nodeflib = dyn.flags_1 & DF_1_NODEFLIB;
        }

        *ret = e;
        e = (ElfInfo) {};
        return 1;
}

/* ---- /etc/ld.so.cache, glibc's "glibc-ld.so.cache1.1" format ---- */

#define CACHE_MAGIC_OLD "ld.so-1.7.0"
#define CACHE_MAGIC_NEW "glibc-ld.so.cache"
#define CACHE_VERSION_NEW "1.1"

/* glibc sysdeps ldconfig.h: entry flags = type (low byte) | required ABI (second byte). */
#define CACHE_FLAG_TYPE_MASK      0x00ff
#define CACHE_FLAG_ELF_LIBC6      0x0003
#define CACHE_FLAG_REQUIRED_MASK  0xff00

typedef struct CacheHeaderNew {
        char magic[sizeof(CACHE_MAGIC_NEW) - 1];
        char version[sizeof(CACHE_VERSION_NEW) - 1];
        uint32_t nlibs;
        uint32_t len_strings;
        uint8_t flags;                  /* endianness of the file (glibc >= 2.33), 0 = unknown */
        uint8_t padding[3];
        uint32_t extension_offset;
        uint32_t unused[3];
} CacheHeaderNew;

typedef struct CacheEntryNew {
        int32_t flags;
        uint32_t key, value;            /* offsets of the soname and the path, from the new header */
        uint32_t osversion;
        uint64_t hwcap;
} CacheEntryNew;

/* What ld.so of each kind of ELF object looks at, as glibc is built for it: the one table of per-machine
 * facts. The multiarch triplet (Debian's /lib/TRIPLET, /usr/lib/TRIPLET and $LIB = lib/TRIPLET), the
 * other value $LIB may have (lib64, lib32…), the subdirectories of each directory searched before it
 * (glibc-hwcaps levels, best first; legacy hwcap directories), and the "required" flags of its entries in
 * /etc/ld.so.cache (_DL_CACHEDEFAULT_ID). A kind not listed gets the generic values below. */
typedef struct ArchFacts {
        uint16_t machine;
        unsigned char class;
        const char *triplet;            /* NULL: no multiarch directories known */
        const char *libdir;             /* "lib64", "lib32"… */
        const char *const *subdirs;     /* "glibc-hwcaps/x86-64-v3/"…, NULL-terminated; NULL: none */
        int cache_required;             /* -1: not known, only the ELF header check of a candidate decides */
        const char *compat_platform;    /* AT_PLATFORM of such a process where it is not of this program's
                                         * own kind (a 32-bit one on a 64-bit kernel); NULL: not known */
} ArchFacts;

static const char *const x86_64_subdirs[] = {
        "glibc-hwcaps/x86-64-v4/", "glibc-hwcaps/x86-64-v3/", "glibc-hwcaps/x86-64-v2/", "tls/", "x86_64/", NULL,
};

static const ArchFacts arch_facts[] = {
        { EM_X86_64,  ELFCLASS64, "x86_64-linux-gnu",    "lib64",  x86_64_subdirs, 0x0300 }, /* FLAG_X8664_LIB64 */
        { EM_X86_64,  ELFCLASS32, "x86_64-linux-gnux32", "libx32", NULL,           0x0800 }, /* FLAG_X8664_LIBX32 */
        { EM_386,     ELFCLASS32, "i386-linux-gnu",      "lib32",  NULL,           0x0000, "i686" }, /* COMPAT_ELF_PLATFORM */
        { EM_AARCH64, ELFCLASS64, "aarch64-linux-gnu",   "lib64",  NULL,           0x0a00 }, /* FLAG_AARCH64_LIB64 */
        { EM_S390,    ELFCLASS64, "s390x-linux-gnu",     "lib64",  NULL,           0x0400 }, /* FLAG_S390_LIB64 */
        { EM_PPC64,   ELFCLASS64, "powerpc64le-linux-gnu", "lib64", NULL,          0x0500 }, /* FLAG_POWERPC_LIB64 */
};

static const ArchFacts arch_generic = { .libdir = "lib64", .cache_required = -1 };

/* The machine and class this code was built for: the kind of ELF object a module it dlopen()s must be,
 * and the kind whose AT_PLATFORM is this program's own. */
#if defined(__x86_64__)
#  define NATIVE_MACHINE EM_X86_64
#elif defined(__i386__)
#  define NATIVE_MACHINE EM_386
#elif defined(__aarch64__)
#  define NATIVE_MACHINE EM_AARCH64
#elif defined(__s390x__)
#  define NATIVE_MACHINE EM_S390
#elif defined(__powerpc64__)
#  define NATIVE_MACHINE EM_PPC64
#else
#  define NATIVE_MACHINE EM_NONE        /* not known: every object counts as of this program's kind */
#endif
#define NATIVE_CLASS (sizeof(void *) == 8 ? ELFCLASS64 : ELFCLASS32)

static const ArchFacts *arch_facts_of(const ElfIdent *id) {
        for (size_t i = 0; i < ELEMENTSOF(arch_facts); i++)
                if (arch_facts[i].machine == id->machine && arch_facts[i].class == id->class)
                        return arch_facts + i;
        return &arch_generic;
}

typedef struct LdCache {
        void *map;                      /* the whole file, mapped as ld.so maps it */
        size_t map_size;
        size_t size;
        const uint8_t *base;            /* the new-format header; string offsets count from here */
        uint32_t nlibs;
} LdCache;

static void ld_cache_done(LdCache *c) {
        if (c->map)
                (void) munmap(c->map, c->map_size);
        *c = (LdCache) {};
}

/* Maps the cache open at "fd". */
static int ld_cache_map(const char *path, int fd, const struct stat *st, LdCache *ret) {
        const CacheHeaderNew *h;
        const uint8_t *data;
        size_t start = 0;
        void *map;

        if (st->st_size <= 0 || st->st_size > (off_t) ELF_MAX_CACHE)
                return 0;

        /* Mapped, not read: only the pages the lookups touch are ever copied. */
        map = mmap(NULL, st->st_size, PROT_READ, MAP_PRIVATE, fd, 0);
        if (map == MAP_FAILED)
                return -errno;
        *ret = (LdCache) { .map = map, .map_size = st->st_size };
        data = map;

        /* Before glibc 2.32 the new format could follow an old-format table. */
        if ((size_t) st->st_size >= 16 && memcmp(data, CACHE_MAGIC_OLD, strlen(CACHE_MAGIC_OLD)) == 0) {
                uint32_t nlibs_old;

                memcpy(&nlibs_old, data + 12, sizeof nlibs_old);
                start = 16 + (size_t) nlibs_old * 12;
                start = (start + 7) & ~(size_t) 7;
        }

        if (start + sizeof(CacheHeaderNew) > (size_t) st->st_size)
                goto unknown;
        h = (const CacheHeaderNew *) (data + start);
        if (memcmp(h->magic, CACHE_MAGIC_NEW, sizeof h->magic) != 0 ||
            memcmp(h->version, CACHE_VERSION_NEW, sizeof h->version) != 0)
                goto unknown;
        /* Written for another byte order (flags: 2 = little, 3 = big endian): not ours to read. */
        if ((h->flags == 2 && __BYTE_ORDER__ != __ORDER_LITTLE_ENDIAN__) ||
            (h->flags == 3 && __BYTE_ORDER__ != __ORDER_BIG_ENDIAN__))
                goto unknown;
        if (h->nlibs > ((size_t) st->st_size - start - sizeof(CacheHeaderNew)) / sizeof(CacheEntryNew))
                goto unknown;

        ret->nlibs = h->nlibs;
        ret->size = st->st_size - start;
        ret->base = data + start;
        return 0;

unknown:
        log_debug("%s is not in the glibc-ld.so.cache1.1 format, ignoring it.", path);
        ld_cache_done(ret);
        return 0;
}

/* Loads the cache; a missing or unreadable cache is an empty one (ld.so then uses the default dirs). If
 * "ret_fd" is not NULL and the file could be opened, it is left open there (the mapping holds its own
 * reference to the file), its stat in *ret_st. */
static int ld_cache_load(const char *path, LdCache *ret, int *ret_fd, struct stat *ret_st) {
        _cleanup_close_ int fd = -EBADF;
        struct stat st;
        int r;

        *ret = (LdCache) {};

        fd = open_regular(path, &st);
        if (fd < 0) {
                log_debug_errno(fd, "Cannot open %s, looking up libraries without it: %m", path);
                return 0;
        }
        r = ld_cache_map(path, fd, &st, ret);
        if (r >= 0 && ret_fd) {
                *ret_fd = TAKE_FD(fd);
                *ret_st = st;
        }
        return r;
}

static const char *ld_cache_string(const LdCache *c, uint32_t offset) {
        if (offset >= c->size || !memchr(c->base + offset, 0, c->size - offset))
                return NULL;
        return (const char *) c->base + offset;
}

static bool ascii_isdigit(char c) {
        return c >= '0' && c <= '9';
}

/* The order ldconfig sorts the cache in, and ld.so searches it with: runs of digits compare as numbers
 * ("libfoo.so.10" after "libfoo.so.9", "libfoo.so.01" equal to "libfoo.so.1"), a digit after any other
 * character, other characters as the (signed) chars they are. The entries are in descending order. */
static int soname_compare(const char *a, const char *b) {
        while (*a != '\0') {
                if (ascii_isdigit(*a) && ascii_isdigit(*b)) {
                        uint64_t x = 0, y = 0;

                        for (; ascii_isdigit(*a); a++)
                                x = x * 10 + (uint64_t) (*a - '0');
                        for (; ascii_isdigit(*b); b++)
                                y = y * 10 + (uint64_t) (*b - '0');
                        if (x != y)
                                return x < y ? -1 : 1;
                        continue;
                }
                if (ascii_isdigit(*a))
                        return 1;
                if (ascii_isdigit(*b))
                        return -1;
                if (*a != *b)
                        return (signed char) *a < (signed char) *b ? -1 : 1;
                a++;
                b++;
        }
        return *b == '\0' ? 0 : (signed char) *b > 0 ? -1 : 1;
}

/* The range [*ret_first, *ret_last] of cache entries whose key equals "name" in soname_compare() order,
 * found by binary search as ld.so finds it. Returns 1 if there is one, 0 if not, -EBADMSG if a key on the
 * way is not a string inside the cache (then only a full scan can tell). */
static int ld_cache_find(const LdCache *c, const CacheEntryNew *entries, const char *name, uint32_t *ret_first,
                         uint32_t *ret_last) {
        uint32_t left = 0, right = c->nlibs, first, last;

        while (left < right) {
                uint32_t middle = left + (right - left) / 2;
                const char *key = ld_cache_string(c, entries[middle].key);
                int cmp;

                if (!key)
                        return -EBADMSG;
                cmp = soname_compare(name, key);
                if (cmp == 0) {
                        first = last = middle;
                        while (first > 0) {
                                key = ld_cache_string(c, entries[first - 1].key);
                                if (!key)
                                        return -EBADMSG;
                                if (soname_compare(name, key) != 0)
                                        break;
                                first--;
                        }
                        while (last + 1 < c->nlibs) {
                                key = ld_cache_string(c, entries[last + 1].key);
                                if (!key)
                                        return -EBADMSG;
                                if (soname_compare(name, key) != 0)
                                        break;
                                last++;
                        }
                        *ret_first = first;
                        *ret_last = last;
                        return 1;
                }
                if (cmp < 0)
                        left = middle + 1;      /* descending: smaller names further on */
                else
                        right = middle;
        }
        return 0;
}

/* ---- The closure ---- */

typedef struct Object {
        char *path;                     /* canonical (as found in open mode) */
        char *origin;                   /* directory of the path ld.so knows it by, for $ORIGIN; NULL until
                                         * needed for the executable in open mode (object_origin()) */
        ElfInfo info;
        ssize_t loader;                 /* index of the object whose DT_NEEDED loaded it; -1 for roots */
        size_t file;                    /* its index in the result */
} Object;

/* A file as ld.so tells files apart (_dl_file_id_match_p): by device and inode. */
typedef struct FileId {
        dev_t dev;
        ino_t ino;
} FileId;

/* Descriptors left free while keeping files open, for the reading itself. */
#define CLOSURE_FD_RESERVE 16

typedef struct Closure {
        const ExecClosureOptions *options;
        bool open;                      /* exec_closure_compute_open(): keep every file open */
        char **files;                   /* the result, canonical paths (as found in open mode) */
        int *fds;                       /* open mode: each file's own descriptor */
        FileId *file_ids;               /* of each entry of "files" */
        size_t n_files;
        Object *objects;                /* ELF objects whose dependencies are (to be) resolved */
        size_t n_objects;
        char **loaded_names;            /* DT_NEEDED names already satisfied, and the DT_SONAME of every
                                         * object loaded: ld.so reuses those */
        LdCache cache;
        bool cache_loaded;
        int cache_fd;                   /* open mode: the cache, left open by ld_cache_load(); else -EBADF */
        int keep_below;                 /* open mode: descriptors kept only below this number */
        struct stat cache_st;
        char *machine;                  /* uname()'s, asked when first needed */
        char *interpreter;              /* of the executable itself: "#!" or PT_INTERP, as written there */
} Closure;

static void closure_done(Closure *c) {
        strv_free(c->files);
        if (c->fds)
                for (size_t i = 0; i < c->n_files; i++)
                        safe_close(c->fds[i]);
        free(c->fds);
        free(c->file_ids);
        for (size_t i = 0; i < c->n_objects; i++) {
                free(c->objects[i].path);
                free(c->objects[i].origin);
                elf_info_done(&c->objects[i].info);
        }
        free(c->objects);
        strv_free(c->loaded_names);
        ld_cache_done(&c->cache);
        safe_close(c->cache_fd);
        free(c->machine);
        free(c->interpreter);
}

static char *path_dirname(const char *path) {
        const char *slash = strrchr(path, '/');

        if (!slash)
                return strdup(".");
        if (slash == path)
                return strdup("/");
        return strndup(path, slash - path);
}

/* The canonical path of the file open at "fd" (-1: none), found as "path". The kernel's own path of the
 * open file is the one realpath() computes, in one system call instead of one per component of the path
 * (the enforcer does this for every file of the command); realpath() where that cannot be read (no /proc)
 * or names no path (the file was replaced meanwhile). */
static int canonical_path(int fd, const char *path, char **ret) {
        int r;

        if (fd >= 0) {
                r = fd_get_path(fd, ret);
                if (r >= 0 || r == -ENOMEM)
                        return r;
        }
        *ret = realpath(path, NULL);
        return *ret ? 0 : -errno;
}

/* Adds the file "st", open at "fd" (negative if it is not open) and found as "path", to the result unless
 * it is there already. Returns 1 and its canonical path (in open mode: "path") in *ret_canonical (if not
 * NULL) if it is new, 0 if it was known.
 *
 * In open mode the result keeps "*fd" itself instead of a path, taken from the caller (*fd becomes
 * -EBADF; the descriptor stays open until the closure is freed, so a copy of it may still be read): the
 * caller adds its rule on that very file, so its canonical path, one read of /proc/self/fd each, is not
 * needed. Only when no descriptor is left is the file kept as its canonical path, with -EBADF for its
 * descriptor. */
static int closure_add_stat(Closure *c, int *fd, const struct stat *st, const char *path, char **ret_canonical) {
        _cleanup_free_ char *canonical = NULL;
        _cleanup_close_ int kept = -EBADF;
        int r = 0, read_fd = *fd;

        for (size_t i = 0; i < c->n_files; i++)
                if (c->file_ids[i].dev == st->st_dev && c->file_ids[i].ino == st->st_ino)
                        return 0;

        if (c->open) {
                if (!GREEDY_REALLOC(c->fds, c->n_files + 1))
                        return -ENOMEM;
                /* Taken only at 3 or above (the caller's stdin, stdout or stderr was closed otherwise:
                         * then a duplicate, as exec_closure_compute_open() promises). */
                if (*fd >= 3 && *fd < c->keep_below)
                        kept = TAKE_FD(*fd);
                else if (*fd >= 0) {
                        kept = fd_dup_cloexec(*fd);
                        if (kept < 0 && kept != -EMFILE && kept != -ENFILE)
                                return kept;
                        if (kept >= c->keep_below)
                                kept = safe_close(kept);
                }
        }
        /* Short of descriptors (a unit's small LimitNOFILE=): this one is named by its canonical path. */
        if (kept >= 0)
                canonical = strdup(path);
        else
                r = canonical_path(read_fd, path, &canonical);
        if (!canonical)
                return kept >= 0 ? -ENOMEM : r;

        if (!GREEDY_REALLOC(c->file_ids, c->n_files + 1))
                return -ENOMEM;
        r = strv_extend(&c->files, canonical);
        if (r < 0)
                return r;
        if (c->open)
                c->fds[c->n_files] = TAKE_FD(kept);
        c->file_ids[c->n_files++] = (FileId) { st->st_dev, st->st_ino };

        if (ret_canonical)
                *ret_canonical = TAKE_PTR(canonical);
        return 1;
}

/* Adds "path" (/etc/ld.so.preload, the cache) to the result. Returns 1 if new, 0 if known. */
static int closure_add_file(Closure *c, const char *path) {
        _cleanup_close_ int fd = -EBADF;
        struct stat st;

        if (c->open) {
                fd = open_regular(path, &st);
                if (fd < 0 && fd != -EMFILE && fd != -ENFILE)
                        return fd;
        }
        if (fd < 0 && stat(path, &st) < 0)      /* path mode, or out of descriptors */
                return -errno;
        return closure_add_stat(c, &fd, &st, path, NULL);
}

/* Queues the ELF object open at "fd" (found as "path", loaded by object "loader", -1 for the command
 * itself) for its own dependencies, and adds it to the result. Returns 1 if it is new, 0 if it was known or
 * is not ELF (then it is still in the result: the kernel may know how to run it). */
static int closure_queue_object(Closure *c, int *fd, const struct stat *st, const FileHead *head, const char *path,
                                ssize_t loader) {
        _cleanup_free_ char *canonical = NULL, *origin = NULL;
        ElfInfo info = {};
        int r, read_fd = *fd;   /* open until the closure is freed if closure_add_stat() takes it */

        r = closure_add_stat(c, fd, st, path, &canonical);
        if (r <= 0)
                return r;

        r = elf_read_info(read_fd, head, /* dynamic= */ true, /* interp= */ loader < 0, &info);
        if (r < 0)
                return log_debug_errno(r, "Cannot parse ELF file %s, not following its dependencies: %m", path);
        if (r == 0)
                return 0;

        /* A DT_NEEDED name equal to the DT_SONAME of an object already loaded is that object, for ld.so
         * (e.g. libc's "ld-linux-x86-64.so.2": the interpreter): no search, no file. */
        if (info.soname && !strv_contains(c->loaded_names, info.soname)) {
                r = strv_extend(&c->loaded_names, info.soname);
                if (r < 0) {
                        elf_info_done(&info);
                        return r;
                }
        }

        /* $ORIGIN of the executable is where the kernel found it (/proc/self/exe, i.e. canonical); of a
         * library, the directory of the path it was found under. In open mode the executable's is read
         * only if some entry uses it (object_origin()). */
        if (loader >= 0 || !c->open) {
                origin = path_dirname(loader < 0 ? canonical : path);
                if (!origin) {
                        elf_info_done(&info);
                        return -ENOMEM;
                }
        }

        if (!GREEDY_REALLOC(c->objects, c->n_objects + 1)) {
                elf_info_done(&info);
                return -ENOMEM;
        }
        c->objects[c->n_objects++] = (Object) {
                .path = TAKE_PTR(canonical),
                .origin = TAKE_PTR(origin),
                .info = info,
                .loader = loader,
                .file = c->n_files - 1,
        };
        return 1;
}

/* $ORIGIN for entries of object "i". */
static int object_origin(Closure *c, size_t i, const char **ret) {
        Object *o = c->objects + i;

        if (!o->origin) {
                _cleanup_free_ char *canonical = NULL;
                int r;

                assert(c->open);
                r = canonical_path(c->fds[o->file], o->path, &canonical);
                if (r < 0)
                        return r;
                o->origin = path_dirname(canonical);
                if (!o->origin)
                        return -ENOMEM;
        }
        *ret = o->origin;
        return 0;
}

/* Whether ld.so or the kernel would map this ELF file as code: a shared object or an executable, never a
 * core dump or a relocatable object. A search directory, a symlink in it or $LD_PRELOAD may be the
 * service's own: what is granted must be a file that would run, not any file it points at. */
static bool elf_is_loadable(const ElfIdent *id) {
        return id->type == ET_DYN || id->type == ET_EXEC;
}

/* Adds "path" if it is an ELF object the loader of "want" accepts (any ELF file if "want" is NULL), as ld.so
 * would map it for object "loader". Returns 1 if it is (or already was) in the closure, 0 if "path" is no
 * such object: missing, not a regular file, not a loadable ELF object (elf_is_loadable()), or of another
 * class, byte order or machine. */
static int closure_add_library(Closure *c, const char *path, const ElfIdent *want, size_t loader) {
        _cleanup_close_ int fd = -EBADF;
        FileHead head;
        ElfIdent id;
        struct stat st;
        int r;

        /* A FIFO planted in a search directory must not hang the service's start. */
        fd = open_regular(path, &st);
        if (fd < 0)
                return 0;
        if (file_head_read(fd, &head) < 0 || elf_read_ident(&head, &id) <= 0 || !elf_is_loadable(&id))
                return 0;
        if (want && (id.class != want->class || id.data != want->data || id.machine != want->machine))
                return 0;

        r = closure_queue_object(c, &fd, &st, &head, path, (ssize_t) loader);
        if (r < 0)
                return r;
        return 1;
}

/* $PLATFORM for an object of kind "want": what the kernel gives ld.so in AT_PLATFORM when it runs such a
 * program. For this program's own kind that is its own AT_PLATFORM (uname() may say otherwise, under
 * setarch); for another kind the kernel's compat platform where known, else uname()'s machine. */
static int platform_of(Closure *c, const ElfIdent *want, const char **ret) {
        const char *p = NULL;

        if (NATIVE_MACHINE == EM_NONE || (want->machine == NATIVE_MACHINE && want->class == NATIVE_CLASS))
                p = (const char *) getauxval(AT_PLATFORM);
        else
                p = arch_facts_of(want)->compat_platform;
        if (!p) {
                if (!c->machine) {
                        struct utsname u;

                        c->machine = strdup(uname(&u) >= 0 ? u.machine : "");
                        if (!c->machine)
                                return -ENOMEM;
                }
                p = c->machine;
        }
        *ret = p;
        return 0;
}

/* Expands the dynamic string tokens ld.so knows in one search path entry of an object of kind "want".
 * $LIB has several plausible values (it depends on how glibc was built); every expansion is returned. */
static int expand_dst(Closure *c, const ElfIdent *want, const char *s, size_t origin_object, char ***ret) {
        const ArchFacts *arch = arch_facts_of(want);
        _cleanup_strv_free_ char **out = NULL, **lib_values = NULL;
        int r;

        if (arch->triplet)
                r = strv_extendf(&lib_values, "lib/%s", arch->triplet);
        else
                r = 0;
        if (r >= 0)
                r = strv_extend(&lib_values, arch->libdir);
        if (r >= 0)
                r = strv_extend(&lib_values, "lib");
        if (r >= 0)
                r = strv_extend(&out, "");
        if (r < 0)
                return r;

        for (const char *p = s; *p; ) {
                const char *const *values = NULL;
                const char *single = NULL;
                size_t n_values = 0, skip = 0;

                if (*p == '$') {
                        const char *q = p + 1;
                        bool braced = *q == '{';
                        const char *name = braced ? q + 1 : q;
                        size_t len = strspn(name, "ABCDEFGHIJKLMNOPQRSTUVWXYZ");

                        if (len > 0 && (!braced || name[len] == '}')) {
                                skip = 1 + braced + len + braced;
                                if (len == 6 && strneq(name, "ORIGIN", 6)) {
                                        r = object_origin(c, origin_object, &single);
                                        if (r < 0)
                                                return r;
                                } else if (len == 8 && strneq(name, "PLATFORM", 8)) {
                                        r = platform_of(c, want, &single);
                                        if (r < 0)
                                                return r;
                                }
                                else if (len == 3 && strneq(name, "LIB", 3)) {
                                        values = (const char *const *) lib_values;
                                        n_values = strv_length(lib_values);
                                } else
                                        skip = 0;
                        }
                }
                if (single) {
                        values = &single;
                        n_values = 1;
                }

                if (skip == 0) {
                        /* A literal character: append to every expansion so far. */
                        for (char **i = out; *i; i++) {
                                size_t l = strlen(*i);
                                char *t = realloc(*i, l + 2);
                                if (!t)
                                        return -ENOMEM;
                                t[l] = *p;
                                t[l + 1] = '\0';
                                *i = t;
                        }
                        p++;
                        continue;
                }

                _cleanup_strv_free_ char **next = NULL;
                for (char **i = out; *i; i++)
                        for (size_t v = 0; v < n_values; v++) {
                                char *t;
                                if (asprintf(&t, "%s%s", *i, values[v]) < 0)
                                        return -ENOMEM;
                                r = strv_push(&next, t);
                                if (r < 0)
                                        return r;
                        }
                strv_free(out);
                out = TAKE_PTR(next);
                p += skip;
        }

        *ret = TAKE_PTR(out);
        return 0;
}

/* Looks for "name" in one directory, including the glibc-hwcaps and legacy hwcap subdirectories that
 * ld.so may prefer depending on the CPU: every compatible candidate is queued. Returns the number found. */
static int search_dir_one(Closure *c, const char *dir, const char *subdir, const char *name, const ElfIdent *want,
                          size_t requester) {
        _cleanup_free_ char *p = NULL;

        if (asprintf(&p, "%s/%s%s", dir, subdir, name) < 0)
                return -ENOMEM;
        return closure_add_library(c, p, want, requester);
}

static int search_dir(Closure *c, const char *dir, const char *name, size_t requester) {
        /* A copy: adding objects moves c->objects. */
        const ElfIdent want = c->objects[requester].info.ident;
        const ArchFacts *arch = arch_facts_of(&want);
        int found = 0, r;

        if (isempty(dir))
                dir = ".";      /* an empty entry means the current directory, as in $PATH */

        for (const char *const *sub = arch->subdirs; sub && *sub; sub++) {
                r = search_dir_one(c, dir, *sub, name, &want, requester);
                if (r < 0)
                        return r;
                found += r;
        }
        r = search_dir_one(c, dir, "", name, &want, requester);
        if (r < 0)
                return r;
        return found + r;
}

static int search_path_list(Closure *c, const char *list, size_t origin_object, const char *name, size_t requester) {
        _cleanup_strv_free_ char **dirs = NULL;
        int r;

        if (!list)
                return 0;

        /* ld.so splits on ':' and ';' (it would also take an empty entry as the current directory). */
        r = strv_split(list, ":;", &dirs);
        if (r < 0)
                return r;

        for (char **d = dirs; *d; d++) {
                _cleanup_strv_free_ char **expanded = NULL;

                r = expand_dst(c, &c->objects[requester].info.ident, *d, origin_object, &expanded);
                if (r < 0)
                        return r;
                for (char **e = expanded; *e; e++) {
                        r = search_dir(c, *e, name, requester);
                        if (r != 0)
                                return r;
                }
        }
        return 0;
}

static int search_cache(Closure *c, const char *name, size_t requester) {
        /* A copy: adding objects moves c->objects. */
        const ElfIdent want = c->objects[requester].info.ident;
        const CacheEntryNew *entries;
        uint32_t first, last;
        int required, found = 0, r;

        if (!c->cache_loaded) {
                r = ld_cache_load(c->options->ld_so_cache ?: "/etc/ld.so.cache", &c->cache,
                                  c->open ? &c->cache_fd : NULL, &c->cache_st);
                if (r < 0)
                        return r;
                c->cache_loaded = true;
        }
        if (!c->cache.base)
                return 0;

        required = arch_facts_of(&want)->cache_required;
        entries = (const CacheEntryNew *) (c->cache.base + sizeof(CacheHeaderNew));

        r = ld_cache_find(&c->cache, entries, name, &first, &last);
        if (r == 0)
                return 0;
        if (r < 0) {
                log_debug("Invalid key in the library cache, reading all of it for %s.", name);
                first = 0;
                last = c->cache.nlibs - 1;
        }

        for (uint32_t i = first; i <= last; i++) {
                const char *key, *value;

                if ((entries[i].flags & CACHE_FLAG_TYPE_MASK) != CACHE_FLAG_ELF_LIBC6)
                        continue;
                if (required >= 0 && (entries[i].flags & CACHE_FLAG_REQUIRED_MASK) != required)
                        continue;
                key = ld_cache_string(&c->cache, entries[i].key);
                if (!key || soname_compare(name, key) != 0)
                        continue;
                value = ld_cache_string(&c->cache, entries[i].value);
                if (!value)
                        continue;
                /* There may be one entry per glibc-hwcaps level; take all that fit. */
                r = closure_add_library(c, value, &want, requester);
                if (r < 0)
                        return r;
                found += r;
        }
        return found;
}

/* glibc's default directories (ld.so --help: "system search path"): the multiarch ones, then those of the
 * word size, then /lib and /usr/lib. Only compatible files are taken, so listing more is harmless. */
static int arch_default_dirs(const ArchFacts *arch, char ***ret) {
        _cleanup_strv_free_ char **dirs = NULL;
        int r = 0;

        if (arch->triplet)
                r = strv_extendf(&dirs, "/lib/%s", arch->triplet);
        if (r >= 0 && arch->triplet)
                r = strv_extendf(&dirs, "/usr/lib/%s", arch->triplet);
        if (r >= 0)
                r = strv_extendf(&dirs, "/%s", arch->libdir);
        if (r >= 0)
                r = strv_extendf(&dirs, "/usr/%s", arch->libdir);
        if (r >= 0)
                r = strv_extend(&dirs, "/lib");
        if (r >= 0)
                r = strv_extend(&dirs, "/usr/lib");
        if (r < 0)
                return r;
        *ret = TAKE_PTR(dirs);
        return 0;
}

int exec_default_library_dirs(char ***ret) {
        ElfIdent native = {
                .class = NATIVE_CLASS,
                .machine = NATIVE_MACHINE,
        };

        assert(ret);
        return arch_default_dirs(arch_facts_of(&native), ret);
}

static int search_default_dirs(Closure *c, const char *name, size_t requester) {
        _cleanup_strv_free_ char **dirs = NULL;
        int r;

        r = arch_default_dirs(arch_facts_of(&c->objects[requester].info.ident), &dirs);
        if (r < 0)
                return r;

        STRV_FOREACH(d, dirs) {
                r = search_dir(c, *d, name, requester);
                if (r != 0)
                        return r;
        }
        return 0;
}

/* Resolves one DT_NEEDED (or LD_PRELOAD) name of object "requester" in ld.so's order. */
static int closure_resolve_library(Closure *c, const char *name, size_t requester) {
        const Object *o = &c->objects[requester];
        int r;

        if (strchr(name, '/')) {
                _cleanup_strv_free_ char **expanded = NULL;

                r = expand_dst(c, &o->info.ident, name, requester, &expanded);
                if (r < 0)
                        return r;
                for (char **e = expanded; *e; e++) {
                        r = closure_add_library(c, *e, &o->info.ident, requester);
                        if (r != 0)
                                return r;
                }
                return 0;
        }

        /* DT_RPATH of the object and of its loaders, unless the object has a DT_RUNPATH; an object with
         * DT_RUNPATH contributes no DT_RPATH either. */
        if (!o->info.runpath)
                for (ssize_t l = (ssize_t) requester; l >= 0; l = c->objects[l].loader) {
                        const Object *lo = &c->objects[l];

                        if (lo->info.runpath || !lo->info.rpath)
                                continue;
                        r = search_path_list(c, lo->info.rpath, (size_t) l, name, requester);
                        if (r != 0)
                                return r;
                }

        r = search_path_list(c, c->options->ld_library_path, 0, name, requester);
        if (r != 0)
                return r;

        /* "o" may have moved: search_*() append to c->objects. */
        o = &c->objects[requester];
        if (o->info.runpath) {
                r = search_path_list(c, o->info.runpath, requester, name, requester);
                if (r != 0)
                        return r;
        }

        if (c->objects[requester].info.nodeflib)
                return 0;

        r = search_cache(c, name, requester);
        if (r != 0)
                return r;

        return search_default_dirs(c, name, requester);
}

static int closure_add_preloads(Closure *c, const char *list, size_t executable) {
        _cleanup_strv_free_ char **names = NULL;
        int r;

        if (isempty(list))
                return 0;

        /* LD_PRELOAD takes spaces and colons; /etc/ld.so.preload any whitespace. */
        r = strv_split(list, ": \t\n", &names);
        if (r < 0)
                return r;

        for (char **n = names; *n; n++) {
                r = closure_resolve_library(c, *n, executable);
                if (r < 0)
                        return r;
                if (r == 0)
                        log_debug("Preloaded library %s not found, ld.so will ignore it.", *n);
        }
        return 0;
}

static int read_small_file(const char *path, char **ret) {
        _cleanup_fclose_ FILE *f = NULL;
        _cleanup_free_ char *buf = NULL;
        size_t n;
        int fd;

        fd = open_regular(path, NULL);
        if (fd < 0)
                return fd;
        f = fdopen(fd, "re");
        if (!f) {
                safe_close(fd);
                return -errno;
        }
        buf = calloc(1, 65537);
        if (!buf)
                return -ENOMEM;
        n = fread(buf, 1, 65536, f);
        if (ferror(f))
                return -EIO;
        buf[n] = '\0';
        *ret = TAKE_PTR(buf);
        return 0;
}

/* Everything ld.so reads for a dynamically linked executable: its interpreter, the preloads, the
 * libraries (breadth first, as ld.so loads them, so a name once loaded is not searched again). */
static int closure_add_dynamic_executable(Closure *c, size_t exe) {
        const char *preload_path = c->options->ld_so_preload ?: "/etc/ld.so.preload";
        int r;

        if (c->objects[exe].info.interp) {
                /* A copy: adding objects moves c->objects. */
                _cleanup_free_ char *interp = strdup(c->objects[exe].info.interp);

                if (!interp)
                        return -ENOMEM;
                r = closure_add_library(c, interp, /* want= */ NULL, exe);
                if (r < 0)
                        return r;
        }

        r = closure_add_preloads(c, c->options->ld_preload, exe);
        if (r < 0)
                return r;

        if (access(preload_path, F_OK) >= 0) {
                _cleanup_free_ char *content = NULL;

                r = closure_add_file(c, preload_path);
                if (r < 0)
                        return r;
                r = read_small_file(preload_path, &content);
                if (r < 0)
                        return log_debug_errno(r, "Cannot read %s: %m", preload_path);
                r = closure_add_preloads(c, content, exe);
                if (r < 0)
                        return r;
        }

        for (size_t i = exe; i < c->n_objects; i++) {
                size_t n_needed = strv_length(c->objects[i].info.needed);

                for (size_t j = 0; j < n_needed; j++) {
                        /* Copy: resolving may move c->objects. */
                        _cleanup_free_ char *name = strdup(c->objects[i].info.needed[j]);
                        if (!name)
                                return -ENOMEM;

                        if (strv_contains(c->loaded_names, name))
                                continue;
                        r = closure_resolve_library(c, name, i);
                        if (r < 0)
                                return r;
                        if (r == 0) {
                                log_debug("%s needs %s, which ld.so will not find.", c->objects[i].path, name);
                                continue;
                        }
                        r = strv_extend(&c->loaded_names, name);
                        if (r < 0)
                                return r;
                }
        }

        /* ld.so opens the cache whenever it looks a library up there. */
        if (c->cache.base) {
                const char *cache = c->options->ld_so_cache ?: "/etc/ld.so.cache";

                if (c->cache_fd >= 0)   /* open mode: still open from loading it (taken if kept) */
                        r = closure_add_stat(c, &c->cache_fd, &c->cache_st, cache, NULL);
                else
                        r = closure_add_file(c, cache);
                if (r < 0 && r != -ENOENT)
                        return r;
        }
        return 0;
}

static int parse_shebang(const FileHead *head, char **ret_interpreter, char **ret_argument) {
        char buf[SHEBANG_MAX + 1];
        size_t n = MIN(head->size, (size_t) SHEBANG_MAX);
        char *p, *end;

        if (n < 2 || head->data[0] != '#' || head->data[1] != '!')
                return 0;
        memcpy(buf, head->data, n);
        buf[n] = '\0';

        end = strchrnul(buf, '\n');
        *end = '\0';
        p = buf + 2 + strspn(buf + 2, " \t");
        if (*p == '\0')
                return 0;

        size_t l = strcspn(p, " \t");
        *ret_interpreter = strndup(p, l);
        if (!*ret_interpreter)
                return -ENOMEM;
        p += l;
        p += strspn(p, " \t");
        /* The kernel passes the rest of the line as one argument. */
        while (end > p && (end[-1] == ' ' || end[-1] == '\t'))
                *--end = '\0';
        *ret_argument = *p ? strdup(p) : NULL;
        if (*p && !*ret_argument) {
                free(*ret_interpreter);
                return -ENOMEM;
        }
        return 1;
}

static int closure_add_command(Closure *c, const char *path, unsigned depth);

/* Whether "interpreter" is the system's env, the same file as /usr/bin/env or /bin/env: a program that is
 * only named env (one the service wrote, say) does not exec its argument, it may read it. */
static bool is_system_env(const char *interpreter) {
        static const char *const system_env[] = { "/usr/bin/env", "/bin/env" };
        struct stat st, env;

        if (stat(interpreter, &st) < 0)
                return false;
        for (size_t i = 0; i < ELEMENTSOF(system_env); i++)
                if (stat(system_env[i], &env) >= 0 && env.st_dev == st.st_dev && env.st_ino == st.st_ino)
                        return true;
        return false;
}

/* "#!/usr/bin/env NAME": env execs NAME from $PATH; follow it too, it is what the service runs. */
static int closure_follow_env(Closure *c, const char *interpreter, const char *argument, unsigned depth) {
        _cleanup_free_ char *resolved = NULL;
        const char *base = strrchr(interpreter, '/');

        if (!argument || !streq(base ? base + 1 : interpreter, "env") || argument[0] == '-' ||
            strchr(argument, ' '))
                return 0;
        if (!is_system_env(interpreter)) {
                log_debug("\"#!%s %s\": %s is not the system's env, not following its argument.", interpreter,
                          argument, interpreter);
                return 0;
        }

        if (exec_command_find(argument, c->options->search_path, &resolved) < 0) {
                log_debug("\"#!%s %s\": %s not found in the search path.", interpreter, argument, argument);
                return 0;
        }
        return closure_add_command(c, resolved, depth + 1);
}

static int closure_add_command(Closure *c, const char *path, unsigned depth) {
        _cleanup_free_ char *interpreter = NULL, *argument = NULL;
        _cleanup_close_ int fd = -EBADF;
        size_t index = c->n_objects;
        FileHead head;
        struct stat st;
        int r;

        if (depth > EXEC_CLOSURE_MAX_INTERPRETER_DEPTH)
                return log_debug_errno(ELOOP, "Interpreter chain deeper than %u at %s, the kernel refuses it.",
                                       EXEC_CLOSURE_MAX_INTERPRETER_DEPTH, path);

        fd = open_regular(path, &st);
        if (fd < 0)
                return fd;
        /* The kernel executes no regular file without an execute bit, whoever asks (root too): a "#!"
         * line or a symlink the service wrote must not make a grant of a file that cannot run. */
        if (!(st.st_mode & (S_IXUSR|S_IXGRP|S_IXOTH)))
                return log_debug_errno(EACCES, "%s is not executable.", path);
        r = file_head_read(fd, &head);
        if (r < 0)
                return r;

        r = parse_shebang(&head, &interpreter, &argument);
        if (r < 0)
                return r;
        if (r > 0 && depth == 0) {
                c->interpreter = strdup(interpreter);
                if (!c->interpreter)
                        return -ENOMEM;
        }
        if (r > 0) {
                r = closure_add_stat(c, &fd, &st, path, NULL);
                if (r < 0)
                        return r;
                r = closure_add_command(c, interpreter, depth + 1);
                if (r < 0)
                        return log_debug_errno(r, "Cannot follow interpreter %s of %s: %m", interpreter, path);
                return closure_follow_env(c, interpreter, argument, depth);
        }

        /* An interpreter is an ELF executable or another script. The command itself may be anything
         * binfmt_misc runs, since the unit names it. */
        if (depth > 0) {
                ElfIdent id;

                if (elf_read_ident(&head, &id) <= 0 || !elf_is_loadable(&id))
                        return log_debug_errno(ENOEXEC, "Interpreter %s is neither a script nor an ELF executable.",
                                               path);
        }

        r = closure_queue_object(c, &fd, &st, &head, path, /* loader= */ -1);
        if (r < 0)
                return r;
        if (r == 0)
                return 0;       /* not ELF (binfmt_misc?), or already seen */
        if (depth == 0 && c->objects[index].info.interp) {
                c->interpreter = strdup(c->objects[index].info.interp);
                if (!c->interpreter)
                        return -ENOMEM;
        }

        if (!c->objects[index].info.interp && !c->objects[index].info.needed)
                return 0;       /* static */
        return closure_add_dynamic_executable(c, index);
}

static int closure_compute(const char *path, const ExecClosureOptions *o, bool open, char ***ret, int **ret_fds,
                           char **ret_interpreter) {
        static const ExecClosureOptions empty = {};
        _cleanup_(closure_done) Closure c = {};
        int r;

        assert(path);
        assert(ret);

        c.options = o ?: &empty;
        c.open = open;
        c.cache_fd = -EBADF;
        if (open) {
                /* Descriptors are allocated lowest first: one kept at or above this number would leave
                 * fewer than CLOSURE_FD_RESERVE for reading the files that follow. */
                struct rlimit rl;

                c.keep_below = getrlimit(RLIMIT_NOFILE, &rl) < 0 || rl.rlim_cur > INT_MAX ? INT_MAX :
                               (int) rl.rlim_cur - CLOSURE_FD_RESERVE;
        }
        r = closure_add_command(&c, path, 0);
        if (r < 0)
                return r;

        if (!c.files)
                return -ENOENT;
        *ret = TAKE_PTR(c.files);
        if (ret_fds)
                *ret_fds = TAKE_PTR(c.fds);
        if (ret_interpreter)
                *ret_interpreter = TAKE_PTR(c.interpreter);
        return 0;
}

int exec_closure_compute_full(const char *path, const ExecClosureOptions *o, char ***ret,
                              char **ret_interpreter) {
        return closure_compute(path, o, /* open= */ false, ret, NULL, ret_interpreter);
}

int exec_closure_compute(const char *path, const ExecClosureOptions *o, char ***ret) {
        return closure_compute(path, o, /* open= */ false, ret, NULL, NULL);
}

int exec_closure_compute_open(const char *path, const ExecClosureOptions *o, char ***ret, int **ret_fds,
                              char **ret_interpreter) {
        assert(ret_fds);
        return closure_compute(path, o, /* open= */ true, ret, ret_fds, ret_interpreter);
}

void exec_closure_options_from_environment(ExecClosureOptions *o, const char *search_path) {
        assert(o);

        *o = (ExecClosureOptions) {
                .search_path = search_path,
                .ld_library_path = getenv("LD_LIBRARY_PATH"),
                .ld_preload = getenv("LD_PRELOAD"),
        };
}

int exec_command_find(const char *name, const char *search_path, char **ret_path) {
        _cleanup_strv_free_ char **dirs = NULL;
        bool found_non_executable = false;
        int r;

        assert(name);
        assert(ret_path);

        if (strchr(name, '/')) {
                char *p;

                if (name[0] != '/')
                        return -EINVAL;
                if (access(name, X_OK) < 0)
                        return -errno;
                p = strdup(name);
                if (!p)
                        return -ENOMEM;
                *ret_path = p;
                return 0;
        }

        r = strv_split(search_path ?: EXEC_DEFAULT_SEARCH_PATH, ":", &dirs);
        if (r < 0)
                return r;

        for (char **d = dirs; *d; d++) {
                _cleanup_free_ char *p = NULL;
                struct stat st;

                if ((*d)[0] != '/')
                        continue;       /* systemd ignores relative entries */
                if (asprintf(&p, "%s/%s", *d, name) < 0)
                        return -ENOMEM;
                if (stat(p, &st) < 0 || !S_ISREG(st.st_mode))
                        continue;
                if (access(p, X_OK) < 0) {
                        found_non_executable = true;
                        continue;
                }
                *ret_path = TAKE_PTR(p);
                return 0;
        }
        return found_non_executable ? -EACCES : -ENOENT;
}

int exec_interpreter(const char *path, char **ret) {
        _cleanup_(elf_info_done) ElfInfo info = {};
        _cleanup_free_ char *argument = NULL;
        _cleanup_close_ int fd = -EBADF;
        FileHead head;
        int r;

        assert(path);
        assert(ret);

        fd = open_regular(path, NULL);
        if (fd < 0)
                return fd;
        r = file_head_read(fd, &head);
        if (r < 0)
                return r;

        r = parse_shebang(&head, ret, &argument);
        if (r != 0)
                return r;

        r = elf_read_info(fd, &head, /* dynamic= */ false, /* interp= */ true, &info);
        if (r <= 0)
                return r;
        if (!info.interp)
                return 0;
        *ret = TAKE_PTR(info.interp);
        return 1;
}
