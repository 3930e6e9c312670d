/* SPDX-License-Identifier: LGPL-2.1-or-later */

#include <unistd.h>

#include "landlock-abi.h"

#define FS(bit, name, abi, file_ok, desc) \
        { LANDLOCK_KIND_FS, LANDLOCK_ACCESS_FS_##bit, name, "LANDLOCK_ACCESS_FS_" #bit, abi, file_ok, desc }
#define NET(bit, name, abi, desc) \
        { LANDLOCK_KIND_NET, LANDLOCK_ACCESS_NET_##bit, name, "LANDLOCK_ACCESS_NET_" #bit, abi, false, desc }
#define SCOPE(bit, name, abi, desc) \
        { LANDLOCK_KIND_SCOPE, LANDLOCK_SCOPE_##bit, name, "LANDLOCK_SCOPE_" #bit, abi, false, desc }
#define FLAG(bit, name, abi, desc) \
        { LANDLOCK_KIND_RESTRICT_FLAG, LANDLOCK_RESTRICT_SELF_##bit, name, "LANDLOCK_RESTRICT_SELF_" #bit, abi, false, desc }

const LandlockRight landlock_rights[] = {
        /* ABI 1, Linux 5.13 */
        FS(EXECUTE,      "execute",      1, true,  "execute a file"),
        FS(WRITE_FILE,   "write-file",   1, true,  "open a file for writing"),
        FS(READ_FILE,    "read-file",    1, true,  "open a file for reading"),
        FS(READ_DIR,     "read-dir",     1, false, "open a directory and list its content"),
        FS(REMOVE_DIR,   "remove-dir",   1, false, "remove an empty directory or rename one"),
        FS(REMOVE_FILE,  "remove-file",  1, false, "unlink or rename a file"),
        FS(MAKE_CHAR,    "make-char",    1, false, "create a character device"),
        FS(MAKE_DIR,     "make-dir",     1, false, "create a directory"),
        FS(MAKE_REG,     "make-reg",     1, false, "create a regular file"),
        FS(MAKE_SOCK,    "make-sock",    1, false, "create a UNIX domain socket"),
        FS(MAKE_FIFO,    "make-fifo",    1, false, "create a named pipe"),
        FS(MAKE_BLOCK,   "make-block",   1, false, "create a block device"),
        FS(MAKE_SYM,     "make-sym",     1, false, "create a symbolic link"),
        /* ABI 2, Linux 5.19 */
        FS(REFER,        "refer",        2, false, "link or rename a file into another directory"),
        /* ABI 3, Linux 6.2 */
        FS(TRUNCATE,     "truncate",     3, true,  "truncate a file"),
        /* ABI 4, Linux 6.7 */
        NET(BIND_TCP,    "bind-tcp",     4, "bind a TCP socket to a local port"),
        NET(CONNECT_TCP, "connect-tcp",  4, "connect a TCP socket to a remote port"),
        /* ABI 5, Linux 6.10 */
        FS(IOCTL_DEV,    "ioctl-dev",    5, true,  "ioctl(2) on a device file"),
        /* ABI 6, Linux 6.12 */
        SCOPE(ABSTRACT_UNIX_SOCKET, "abstract-unix-socket", 6, "connect to abstract UNIX sockets outside the domain"),
        SCOPE(SIGNAL,    "signal",       6, "send signals to processes outside the domain"),
        /* ABI 7, Linux 6.15 */
        FLAG(LOG_SAME_EXEC_OFF,  "log-same-exec-off",  7, "do not log denials of the restricting program"),
        FLAG(LOG_NEW_EXEC_ON,    "log-new-exec-on",    7, "log denials of programs executed after restriction"),
        FLAG(LOG_SUBDOMAINS_OFF, "log-subdomains-off", 7, "do not log denials of nested domains"),
        /* ABI 8, Linux 7.0 */
        FLAG(TSYNC,      "tsync",        8, "restrict every thread of the process at once"),
        /* ABI 9, Linux 7.1 */
        FS(RESOLVE_UNIX, "resolve-unix", 9, true,  "connect to a pathname UNIX socket"),
        /* ABI 10, Linux 7.2 */
        NET(BIND_UDP,    "bind-udp",     10, "bind a UDP socket to a local port"),
        NET(CONNECT_SEND_UDP, "connect-send-udp", 10, "connect a UDP socket or send to a remote port"),
        /* ABI 11, Linux 7.3 */
        FLAG(NO_NEW_PRIVS, "no-new-privs", 11, "set no_new_privs only if the restriction succeeds"),
};
const size_t landlock_n_rights = ELEMENTSOF(landlock_rights);

const LandlockAbiVersion landlock_abi_versions[] = {
        { 1, "5.13" }, { 2, "5.19" }, { 3, "6.2" }, { 4, "6.7" }, { 5, "6.10" }, { 6, "6.12" },
        { 7, "6.15" }, { 8, "7.0" }, { 9, "7.1" }, { 10, "7.2" }, { 11, "7.3" },
};

const LandlockErratum landlock_errata[] = {
        { 1, 4, "TCP rules applied to non-TCP stream sockets (e.g. MPTCP, SMC)" },
        { 2, 6, "signal scoping wrongly denied signals between threads of one process" },
        { 3, 1, "access through disconnected directories (bind mounts moved away)" },
        { 4, 1, "creating OverlayFS whiteouts needed make-char instead of make-reg" },
};
const size_t landlock_n_errata = ELEMENTSOF(landlock_errata);

const char *landlock_kind_to_string(LandlockRightKind kind) {
        static const char *const table[_LANDLOCK_KIND_MAX] = {
                [LANDLOCK_KIND_FS] = "filesystem",
                [LANDLOCK_KIND_NET] = "network",
                [LANDLOCK_KIND_SCOPE] = "scope",
                [LANDLOCK_KIND_RESTRICT_FLAG] = "restrict flag",
        };
        return kind < _LANDLOCK_KIND_MAX ? table[kind] : NULL;
}

const char *landlock_abi_linux_version(unsigned abi) {
        for (size_t i = 0; i < ELEMENTSOF(landlock_abi_versions); i++)
                if (landlock_abi_versions[i].abi == abi)
                        return landlock_abi_versions[i].linux_version;
        return NULL;
}

uint64_t landlock_abi_mask(LandlockRightKind kind, unsigned abi) {
        uint64_t m = 0;

        for (size_t i = 0; i < landlock_n_rights; i++)
                if (landlock_rights[i].kind == kind && landlock_rights[i].abi <= abi)
                        m |= landlock_rights[i].bit;
        return m;
}

uint64_t landlock_fs_file_mask(void) {
        uint64_t m = 0;

        for (size_t i = 0; i < landlock_n_rights; i++)
                if (landlock_rights[i].kind == LANDLOCK_KIND_FS && landlock_rights[i].file_ok)
                        m |= landlock_rights[i].bit;
        return m;
}

const LandlockRight *landlock_right_from_name(LandlockRightKind kind, const char *name) {
        for (size_t i = 0; i < landlock_n_rights; i++)
                if (landlock_rights[i].kind == kind && streq(landlock_rights[i].name, name))
                        return landlock_rights + i;
        return NULL;
}

const LandlockRight *landlock_right_from_bit(LandlockRightKind kind, uint64_t bit) {
        for (size_t i = 0; i < landlock_n_rights; i++)
                if (landlock_rights[i].kind == kind && landlock_rights[i].bit == bit)
                        return landlock_rights + i;
        return NULL;
}

char *landlock_mask_to_string(LandlockRightKind kind, uint64_t mask) {
        char *buf;
        size_t n = 0, sz = 1;

        for (size_t i = 0; i < landlock_n_rights; i++)
                if (landlock_rights[i].kind == kind)
                        sz += strlen(landlock_rights[i].name) + 1;
        sz += 24;       /* ",0x…" for unknown bits */

        buf = malloc(sz);
        if (!buf)
                return NULL;
        buf[0] = '\0';

        for (size_t i = 0; i < landlock_n_rights; i++) {
                const LandlockRight *r = landlock_rights + i;

                if (r->kind != kind || !(mask & r->bit))
                        continue;
                n += snprintf(buf + n, sz - n, "%s%s", n > 0 ? "," : "", r->name);
                mask &= ~r->bit;
        }
        if (mask != 0)
                snprintf(buf + n, sz - n, "%s0x%llx", n > 0 ? "," : "", (unsigned long long) mask);
        return buf;
}

int landlock_create_ruleset(const struct landlock_ruleset_attr *attr, size_t size, uint32_t flags) {
        return (int) syscall(__NR_landlock_create_ruleset, attr, size, flags);
}

int landlock_add_rule(int ruleset_fd, int rule_type, const void *rule_attr, uint32_t flags) {
        return (int) syscall(__NR_landlock_add_rule, ruleset_fd, rule_type, rule_attr, flags);
}

int landlock_restrict_self(int ruleset_fd, uint32_t flags) {
        return (int) syscall(__NR_landlock_restrict_self, ruleset_fd, flags);
}

size_t landlock_ruleset_attr_size(unsigned abi) {
        if (abi >= 6)
                return offsetof(struct landlock_ruleset_attr, scoped) + sizeof(uint64_t);
        if (abi >= 4)
                return offsetof(struct landlock_ruleset_attr, handled_access_net) + sizeof(uint64_t);
        return offsetof(struct landlock_ruleset_attr, handled_access_fs) + sizeof(uint64_t);
}

int landlock_abi_probe(void) {
        int abi;

        abi = landlock_create_ruleset(NULL, 0, LANDLOCK_CREATE_RULESET_VERSION);
        if (abi < 0)
                return negative_errno();
        return abi;
}

int landlock_errata_probe(void) {
        int errata;

        errata = landlock_create_ruleset(NULL, 0, LANDLOCK_CREATE_RULESET_ERRATA);
        if (errata < 0) {
                if (errno == EINVAL)    /* a kernel before ABI 7 does not know the flag */
                        return 0;
                return negative_errno();
        }
        return errata;
}
