/* SPDX-License-Identifier: LGPL-2.1-or-later */

#include <ctype.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>

#include "landlock-abi.h"
#include "landlock-audit.h"

/* How each channel names the two record types: the kernel's uapi name (journald and auditd built with
 * headers that know them), journald's fallback "AUDIT%04i", auditd's fallback "UNKNOWN[%i]", and the
 * kernel log's bare number. */
static const struct {
        const char *name;
        int type;
} type_names[] = {
        { "LANDLOCK_ACCESS", AUDIT_LANDLOCK_ACCESS },
        { "LANDLOCK_DOMAIN", AUDIT_LANDLOCK_DOMAIN },
        { "AUDIT1423",       AUDIT_LANDLOCK_ACCESS },
        { "AUDIT1424",       AUDIT_LANDLOCK_DOMAIN },
        { "UNKNOWN[1423]",   AUDIT_LANDLOCK_ACCESS },
        { "UNKNOWN[1424]",   AUDIT_LANDLOCK_DOMAIN },
        { "1423",            AUDIT_LANDLOCK_ACCESS },
        { "1424",            AUDIT_LANDLOCK_DOMAIN },
};

/* The blocker prefixes of audit.c, and the kind of right each stands for. */
static const struct {
        const char *prefix;
        LandlockRightKind kind;
} blocker_prefixes[] = {
        { "fs.",    LANDLOCK_KIND_FS    },
        { "net.",   LANDLOCK_KIND_NET   },
        { "scope.", LANDLOCK_KIND_SCOPE },
};

void landlock_audit_record_done(LandlockAuditRecord *r) {
        assert(r);

        free(r->blockers);
        free(r->path);
        free(r->dev);
        free(r->addr);
        free(r->ocomm);
        free(r->exe);
        free(r->comm);
        *r = (LandlockAuditRecord) { .port = -1 };
}

const char *landlock_audit_blocker_to_name(const char *blocker, int *ret_kind) {
        assert(blocker);

        for (size_t i = 0; i < ELEMENTSOF(blocker_prefixes); i++) {
                const char *s = startswith(blocker, blocker_prefixes[i].prefix);
                char name[64];
                size_t n;

                if (!s)
                        continue;
                n = strlen(s);
                if (n == 0 || n >= sizeof name)
                        return NULL;
                /* The kernel spells rights with '_', unit files with '-'. */
                for (size_t k = 0; k <= n; k++)
                        name[k] = s[k] == '_' ? '-' : s[k];

                const LandlockRight *right = landlock_right_from_name(blocker_prefixes[i].kind, name);
                if (!right)
                        return NULL;
                if (ret_kind)
                        *ret_kind = (int) blocker_prefixes[i].kind;
                return right->name;
        }
        return NULL;
}

static int add_blockers(LandlockAuditRecord *r, const char *value) {
        const char *p = value;

        r->blockers = strdup(value);
        if (!r->blockers)
                return -ENOMEM;

        while (*p) {
                size_t n = strcspn(p, ",");
                char b[64];
                int kind;

                if (n == 0 || n >= sizeof b)
                        return -EBADMSG;
                memcpy(b, p, n);
                b[n] = '\0';
                p += n + (p[n] == ',');

                if (streq(b, "ptrace")) {
                        r->ptrace = true;
                        continue;
                }
                if (streq(b, "fs.change_topology")) {
                        r->change_topology = true;
                        continue;
                }

                const char *name = landlock_audit_blocker_to_name(b, &kind);
                if (!name) {
                        r->unknown_blocker = true;
                        continue;
                }
                uint64_t bit = landlock_right_from_name((LandlockRightKind) kind, name)->bit;
                switch (kind) {
                case LANDLOCK_KIND_FS:
                        r->fs |= bit;
                        break;
                case LANDLOCK_KIND_NET:
                        r->net |= bit;
                        break;
                default:
                        r->scope |= bit;
                }
        }
        return 0;
}

static int unhex(char c) {
        if (c >= '0' && c <= '9')
                return c - '0';
        if (c >= 'A' && c <= 'F')
                return c - 'A' + 10;
        if (c >= 'a' && c <= 'f')
                return c - 'a' + 10;
        return -1;
}

/* A string field as audit_log_untrustedstring() writes it: "quoted" when it is plain printable ASCII
 * without '"' or space, else hex of its bytes. Anything else ("<too_long>", "?") is kept as it is. */
static int decode_string(const char *value, size_t n, char **ret) {
        char *s;

        if (n >= 2 && value[0] == '"' && value[n - 1] == '"') {
                s = strndup(value + 1, n - 2);
                if (!s)
                        return -ENOMEM;
                *ret = s;
                return 0;
        }

        bool hex = n > 0 && n % 2 == 0;
        for (size_t i = 0; hex && i < n; i++)
                hex = unhex(value[i]) >= 0;
        if (!hex) {
                s = strndup(value, n);
                if (!s)
                        return -ENOMEM;
                *ret = s;
                return 0;
        }

        s = malloc(n / 2 + 1);
        if (!s)
                return -ENOMEM;
        for (size_t i = 0; i < n / 2; i++)
                s[i] = (char) (unhex(value[2 * i]) << 4 | unhex(value[2 * i + 1]));
        s[n / 2] = '\0';
        /* An abstract UNIX socket name starts with NUL: show it as systemd does, with '@'. */
        if (n >= 2 && s[0] == '\0')
                s[0] = '@';
        *ret = s;
        return 0;
}

static int parse_u64(const char *s, size_t n, unsigned base, uint64_t *ret) {
        char buf[32], *end;

        if (n == 0 || n >= sizeof buf)
                return -EBADMSG;
        memcpy(buf, s, n);
        buf[n] = '\0';
        if (!isxdigit((unsigned char) buf[0]))
                return -EBADMSG;
        errno = 0;
        unsigned long long v = strtoull(buf, &end, base);
        if (errno != 0 || *end != '\0')
                return -EBADMSG;
        *ret = v;
        return 0;
}

/* The end of one value starting at p: a quoted string runs to its closing quote, anything else to the
 * next blank. auditd's "enriched" format appends the interpreted fields after a 0x1d byte: stop there. */
static size_t value_length(const char *p) {
        if (*p == '"') {
                const char *q = strchr(p + 1, '"');
                return q ? (size_t) (q - p + 1) : strlen(p);
        }
        return strcspn(p, " \t\n\x1d");
}

static int set_string(char **field, const char *value, size_t n) {
        free(*field);
        *field = NULL;
        return decode_string(value, n, field);
}

#define KEY(s) (kn == strlen(s) && strneq(key, s, kn))

static int parse_uint_field(const char *v, size_t n, uint64_t max, uint64_t *ret) {
        int k = parse_u64(v, n, 10, ret);

        if (k < 0)
                return k;
        return *ret > max ? -EBADMSG : 0;
}

/* The object of an access record: a path, a socket address and port, or a task. Returns 1 when "key" is
 * one of these, 0 when not, or an error. */
static int parse_object_field(LandlockAuditRecord *r, const char *key, size_t kn, const char *v, size_t n) {
        uint64_t u;
        int k;

        if (KEY("path") || KEY("name")) {
                const char *d;

                r->object = LANDLOCK_AUDIT_OBJECT_PATH;
                k = set_string(&r->path, v, n);
                if (k < 0)
                        return k;
                d = endswith(r->path, " (deleted)");
                if (d) {
                        r->path[d - r->path] = '\0';
                        r->deleted = true;
                }
                return 1;
        }
        if (KEY("dev"))
                return (k = set_string(&r->dev, v, n)) < 0 ? k : 1;
        if (KEY("ino"))
                return (k = parse_u64(v, n, 10, &r->ino)) < 0 ? k : 1;
        if (KEY("saddr") || KEY("daddr") || KEY("laddr") || KEY("faddr")) {
                r->object = LANDLOCK_AUDIT_OBJECT_NET;
                return (k = set_string(&r->addr, v, n)) < 0 ? k : 1;
        }
        if (KEY("src") || KEY("dest") || KEY("lport") || KEY("fport")) {
                r->object = LANDLOCK_AUDIT_OBJECT_NET;
                if (parse_uint_field(v, n, 65535, &u) < 0)
                        return -EBADMSG;
                r->port = (int) u;
                return 1;
        }
        if (KEY("opid")) {
                r->object = LANDLOCK_AUDIT_OBJECT_TASK;
                k = parse_u64(v, n, 10, &u);
                if (k < 0)
                        return k;
                r->opid = (pid_t) u;
                return 1;
        }
        if (KEY("ocomm"))
                return (k = set_string(&r->ocomm, v, n)) < 0 ? k : 1;
        return 0;
}

/* The fields of a domain record: its status, the task that created it, the denials it saw. */
static int parse_domain_field(LandlockAuditRecord *r, const char *key, size_t kn, const char *v, size_t n) {
        uint64_t u;
        int k;

        if (KEY("status")) {
                if (n == strlen("allocated") && strneq(v, "allocated", n))
                        r->allocated = true;
                else if (!(n == strlen("deallocated") && strneq(v, "deallocated", n)))
                        return -EBADMSG;
                return 0;
        }
        if (KEY("pid") || KEY("uid")) {
                k = parse_u64(v, n, 10, &u);
                if (k < 0)
                        return k;
                if (KEY("pid"))
                        r->pid = (pid_t) u;
                else
                        r->uid = (uid_t) u;
                return 0;
        }
        if (KEY("exe"))
                return set_string(&r->exe, v, n);
        if (KEY("comm"))
                return set_string(&r->comm, v, n);
        if (KEY("denials"))
                return parse_u64(v, n, 10, &r->denials);
        return 0;       /* a field of a newer kernel (or "mode=enforcing", "netif="): ignored */
}

static int parse_field(LandlockAuditRecord *r, const char *key, size_t kn, const char *v, size_t n) {
        int k;

        if (KEY("domain"))
                return parse_u64(v, n, 16, &r->domain);
        if (KEY("blockers") && r->type == AUDIT_LANDLOCK_ACCESS) {
                _cleanup_free_ char *b = strndup(v, n);
                if (!b)
                        return -ENOMEM;
                free(r->blockers);
                r->blockers = NULL;
                return add_blockers(r, b);
        }
        k = parse_object_field(r, key, kn, v, n);
        if (k != 0)
                return k < 0 ? k : 0;
        return parse_domain_field(r, key, kn, v, n);
}
#undef KEY

int landlock_audit_parse_fields(int type, const char *fields, LandlockAuditRecord *ret) {
        LandlockAuditRecord r = { .type = type, .port = -1 };
        bool has_domain = false, has_blockers = false, has_status = false;
        const char *p = fields;
        int k;

        assert(fields);
        assert(ret);

        if (!IN_SET(type, AUDIT_LANDLOCK_ACCESS, AUDIT_LANDLOCK_DOMAIN))
                return 0;

        for (;;) {
                p += strspn(p, " \t\n");
                if (*p == '\0' || *p == '\x1d')
                        break;

                size_t kn = strcspn(p, "= \t\n");
                if (p[kn] != '=') {
                        p += kn;        /* a word without '=': not ours, skip it */
                        continue;
                }
                const char *v = p + kn + 1;
                size_t n = value_length(v);

                has_domain = has_domain || (kn == 6 && strneq(p, "domain", 6));
                has_blockers = has_blockers || (kn == 8 && strneq(p, "blockers", 8));
                has_status = has_status || (kn == 6 && strneq(p, "status", 6));

                k = parse_field(&r, p, kn, v, n);
                if (k < 0) {
                        landlock_audit_record_done(&r);
                        return k;
                }
                p = v + n;
        }

        if (!has_domain || (type == AUDIT_LANDLOCK_ACCESS ? !has_blockers : !has_status)) {
                landlock_audit_record_done(&r);
                return -EBADMSG;
        }
        *ret = r;
        return 1;
}

/* "audit(1729738800.268:30):" → time and serial; returns the text after it, or NULL. */
static const char *parse_stamp(const char *p, uint64_t *ret_usec, uint64_t *ret_serial) {
        unsigned long long sec, msec, serial;
        int n = 0;

        if (sscanf(p, "audit(%llu.%llu:%llu):%n", &sec, &msec, &serial, &n) != 3 || n == 0)
                return NULL;
        *ret_usec = (uint64_t) sec * 1000000ULL + (uint64_t) msec * 1000ULL;
        *ret_serial = serial;
        return p + n;
}

static int type_from_name(const char *p, size_t n) {
        for (size_t i = 0; i < ELEMENTSOF(type_names); i++)
                if (strlen(type_names[i].name) == n && strneq(p, type_names[i].name, n))
                        return type_names[i].type;
        return 0;
}

int landlock_audit_parse_line(const char *line, LandlockAuditRecord *ret) {
        uint64_t usec = 0, serial = 0;
        const char *p, *fields;
        int type, k;

        assert(line);
        assert(ret);

        /* The journal's MESSAGE=: "NAME fields…", journald having dropped the stamp. Checked first: a
         * quoted path may contain "type=". */
        p = line + strspn(line, " \t");
        size_t n = strcspn(p, " \t");
        type = type_from_name(p, n);
        if (type != 0 && p[n] != '\0' && !strneq(p, "type=", 5)) {
                fields = p + n;
                const char *after = parse_stamp(fields + strspn(fields, " \t"), &usec, &serial);
                if (after)
                        fields = after;
        } else {
                /* auditd's log and the kernel log: "type=NAME msg=audit(…): " or "type=1423 audit(…): "
                 * after a dmesg or syslog prefix. */
                p = strstr(line, "type=");
                if (!p)
                        return 0;
                const char *name = p + strlen("type=");
                n = strcspn(name, " \t");
                type = type_from_name(name, n);
                if (type == 0)
                        return 0;
                p = name + n;
                p += strspn(p, " \t");
                p = startswith(p, "msg=") ?: p;
                fields = parse_stamp(p, &usec, &serial);
                if (!fields)
                        return 0;
        }

        k = landlock_audit_parse_fields(type, fields, ret);
        if (k <= 0)
                return k;
        ret->usec = usec;
        ret->serial = serial;
        return 1;
}

LandlockAuditLoss landlock_audit_parse_loss(const char *line, uint64_t *ret_count) {
        unsigned long long n;
        const char *p;

        assert(line);

        if (ret_count)
                *ret_count = 1;
        if (strstr(line, "audit: rate limit exceeded"))
                return LANDLOCK_AUDIT_LOSS_RATE_LIMIT;
        if (strstr(line, "audit: backlog limit exceeded"))
                return LANDLOCK_AUDIT_LOSS_BACKLOG;
        if (strstr(line, "kauditd hold queue overflow"))
                return LANDLOCK_AUDIT_LOSS_HOLD_QUEUE;
        p = strstr(line, "kauditd_printk_skb: ");
        if (p && sscanf(p, "kauditd_printk_skb: %llu callbacks suppressed", &n) == 1) {
                if (ret_count)
                        *ret_count = n;
                return LANDLOCK_AUDIT_LOSS_PRINTK;
        }
        p = strstr(line, "audit_lost=");
        if (p && sscanf(p, "audit_lost=%llu", &n) == 1) {
                if (ret_count)
                        *ret_count = n;
                return LANDLOCK_AUDIT_LOSS_COUNT;
        }
        return LANDLOCK_AUDIT_LOSS_NONE;
}

const char *landlock_audit_loss_to_string(LandlockAuditLoss l) {
        static const char *const table[_LANDLOCK_AUDIT_LOSS_MAX] = {
                [LANDLOCK_AUDIT_LOSS_NONE] = "none",
                [LANDLOCK_AUDIT_LOSS_RATE_LIMIT] = "rate-limit",
                [LANDLOCK_AUDIT_LOSS_BACKLOG] = "backlog",
                [LANDLOCK_AUDIT_LOSS_PRINTK] = "printk-suppressed",
                [LANDLOCK_AUDIT_LOSS_HOLD_QUEUE] = "hold-queue",
                [LANDLOCK_AUDIT_LOSS_COUNT] = "lost-count",
        };
        return l < _LANDLOCK_AUDIT_LOSS_MAX ? table[l] : NULL;
}
