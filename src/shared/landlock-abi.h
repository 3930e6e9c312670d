/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/* The Landlock kernel interface, defined here rather than taken from <linux/landlock.h>, so that the
 * project builds against old kernel headers (Debian 12 ships ABI 3 headers) and knows every ABI up to
 * LANDLOCK_ABI_MAX. Never include <linux/landlock.h> next to this file. */

#include <stdint.h>
#include <sys/syscall.h>

#include "macro.h"

#ifndef __NR_landlock_create_ruleset
#define __NR_landlock_create_ruleset 444
#endif
#ifndef __NR_landlock_add_rule
#define __NR_landlock_add_rule 445
#endif
#ifndef __NR_landlock_restrict_self
#define __NR_landlock_restrict_self 446
#endif

/* landlock_create_ruleset() flags */
#define LANDLOCK_CREATE_RULESET_VERSION (1U << 0)
#define LANDLOCK_CREATE_RULESET_ERRATA  (1U << 1)

/* Rule types */
#define LANDLOCK_RULE_PATH_BENEATH 1
#define LANDLOCK_RULE_NET_PORT     2

/* Filesystem access rights */
#define LANDLOCK_ACCESS_FS_EXECUTE      (1ULL << 0)
#define LANDLOCK_ACCESS_FS_WRITE_FILE   (1ULL << 1)
#define LANDLOCK_ACCESS_FS_READ_FILE    (1ULL << 2)
#define LANDLOCK_ACCESS_FS_READ_DIR     (1ULL << 3)
#define LANDLOCK_ACCESS_FS_REMOVE_DIR   (1ULL << 4)
#define LANDLOCK_ACCESS_FS_REMOVE_FILE  (1ULL << 5)
#define LANDLOCK_ACCESS_FS_MAKE_CHAR    (1ULL << 6)
#define LANDLOCK_ACCESS_FS_MAKE_DIR     (1ULL << 7)
#define LANDLOCK_ACCESS_FS_MAKE_REG     (1ULL << 8)
#define LANDLOCK_ACCESS_FS_MAKE_SOCK    (1ULL << 9)
#define LANDLOCK_ACCESS_FS_MAKE_FIFO    (1ULL << 10)
#define LANDLOCK_ACCESS_FS_MAKE_BLOCK   (1ULL << 11)
#define LANDLOCK_ACCESS_FS_MAKE_SYM     (1ULL << 12)
#define LANDLOCK_ACCESS_FS_REFER        (1ULL << 13)
#define LANDLOCK_ACCESS_FS_TRUNCATE     (1ULL << 14)
#define LANDLOCK_ACCESS_FS_IOCTL_DEV    (1ULL << 15)
#define LANDLOCK_ACCESS_FS_RESOLVE_UNIX (1ULL << 16)

/* Network access rights */
#define LANDLOCK_ACCESS_NET_BIND_TCP         (1ULL << 0)
#define LANDLOCK_ACCESS_NET_CONNECT_TCP      (1ULL << 1)
#define LANDLOCK_ACCESS_NET_BIND_UDP         (1ULL << 2)
#define LANDLOCK_ACCESS_NET_CONNECT_SEND_UDP (1ULL << 3)

/* Scopes */
#define LANDLOCK_SCOPE_ABSTRACT_UNIX_SOCKET (1ULL << 0)
#define LANDLOCK_SCOPE_SIGNAL               (1ULL << 1)

/* landlock_restrict_self() flags */
#define LANDLOCK_RESTRICT_SELF_LOG_SAME_EXEC_OFF  (1U << 0)
#define LANDLOCK_RESTRICT_SELF_LOG_NEW_EXEC_ON    (1U << 1)
#define LANDLOCK_RESTRICT_SELF_LOG_SUBDOMAINS_OFF (1U << 2)
#define LANDLOCK_RESTRICT_SELF_TSYNC              (1U << 3)
#define LANDLOCK_RESTRICT_SELF_NO_NEW_PRIVS       (1U << 4)

/* The attribute grows with the ABI; we never set the ABI 10 "quiet" masks, so 24 bytes is the most we
 * pass. The kernel refuses a size it does not know, hence landlock_ruleset_attr_size(). */
struct landlock_ruleset_attr {
        uint64_t handled_access_fs;     /* ABI 1 */
        uint64_t handled_access_net;    /* ABI 4 */
        uint64_t scoped;                /* ABI 6 */
};

struct landlock_path_beneath_attr {
        uint64_t allowed_access;
        int32_t parent_fd;
} __attribute__((__packed__));

struct landlock_net_port_attr {
        uint64_t allowed_access;
        uint64_t port;
};

#define LANDLOCK_ABI_MAX 11

typedef enum LandlockRightKind {
        LANDLOCK_KIND_FS,
        LANDLOCK_KIND_NET,
        LANDLOCK_KIND_SCOPE,
        LANDLOCK_KIND_RESTRICT_FLAG,
        _LANDLOCK_KIND_MAX,
} LandlockRightKind;

/* One row per kernel bit: the single source of truth for names, bits and the ABI that introduced them.
 * The parser, the printers, the downgrade logic and the man page table are all derived from it. */
typedef struct LandlockRight {
        LandlockRightKind kind;
        uint64_t bit;
        const char *name;               /* user-facing name, as used in unit files */
        const char *kernel_name;        /* the uapi macro */
        unsigned abi;                   /* first ABI that has it */
        bool file_ok;                   /* (fs) may be granted on a non-directory */
        const char *description;
} LandlockRight;

extern const LandlockRight landlock_rights[];
extern const size_t landlock_n_rights;

typedef struct LandlockAbiVersion {
        unsigned abi;
        const char *linux_version;
} LandlockAbiVersion;

extern const LandlockAbiVersion landlock_abi_versions[];        /* ABI 1 … LANDLOCK_ABI_MAX */

typedef struct LandlockErratum {
        unsigned id;                    /* erratum N is bit N-1 of the ERRATA answer */
        unsigned abi;                   /* the ABI whose feature it concerns */
        const char *description;
} LandlockErratum;

extern const LandlockErratum landlock_errata[];
extern const size_t landlock_n_errata;

const char *landlock_kind_to_string(LandlockRightKind kind) _const_;
const char *landlock_abi_linux_version(unsigned abi) _const_;

/* All bits of this kind known at "abi" (0 → none). */
uint64_t landlock_abi_mask(LandlockRightKind kind, unsigned abi) _pure_;
/* Filesystem rights that a rule on a non-directory may carry. */
uint64_t landlock_fs_file_mask(void) _pure_;

const LandlockRight *landlock_right_from_name(LandlockRightKind kind, const char *name) _pure_;
const LandlockRight *landlock_right_from_bit(LandlockRightKind kind, uint64_t bit) _pure_;

/* Comma-separated user-facing names of the bits in "mask" ("read-file,read-dir"). Unknown bits are
 * printed as hex. Returns NULL on OOM. */
char *landlock_mask_to_string(LandlockRightKind kind, uint64_t mask);

/* Raw system calls. They return -1 and set errno, like the kernel wrappers would. */
int landlock_create_ruleset(const struct landlock_ruleset_attr *attr, size_t size, uint32_t flags);
int landlock_add_rule(int ruleset_fd, int rule_type, const void *rule_attr, uint32_t flags);
int landlock_restrict_self(int ruleset_fd, uint32_t flags);

size_t landlock_ruleset_attr_size(unsigned abi) _const_;

/* The running kernel's ABI (≥ 1), or -ENOSYS (not built in), -EOPNOTSUPP (disabled at boot), or another
 * negative errno (e.g. -EPERM when a seccomp filter blocks the call). */
int landlock_abi_probe(void);
/* The errata bitmask (≥ 0, bit N-1 = erratum N fixed), or a negative errno as above. Kernels before ABI 7
 * may not know the ERRATA flag (stable updates backport it: Debian's 6.1.176 answers 0, 6.12.117 0xf):
 * -EINVAL there means "no errata reported", and 0 is returned. */
int landlock_errata_probe(void);
