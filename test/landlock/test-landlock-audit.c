/* SPDX-License-Identifier: LGPL-2.1-or-later */

/* The parser of Landlock's audit records, on the text every channel gives it: the journal's MESSAGE=,
 * auditd's log (with and without the type's name), the kernel log, and the kernel's messages about lost
 * records. The sample records follow the kernel's admin guide and security/landlock/audit.c (6.15 to
 * 7.2: the fields did not change, the blockers grew). */

#include "landlock-abi.h"
#include "landlock-audit.h"
#include "tests.h"

static LandlockAuditRecord parse_ok(const char *line) {
        LandlockAuditRecord r = {};
        int k = landlock_audit_parse_line(line, &r);
        if (k != 1)
                test_fail(__FILE__, __LINE__, "expected a Landlock record (1), got %i for: %s", k, line);
        return r;
}

TEST(journal_message_access_path) {
        _cleanup_(landlock_audit_record_done) LandlockAuditRecord r =
                parse_ok("LANDLOCK_ACCESS domain=1a6fdc679 blockers=fs.write_file path=\"/etc/passwd\" dev=\"vda2\" ino=143821");

        ASSERT_EQ(r.type, AUDIT_LANDLOCK_ACCESS);
        ASSERT_U64_EQ(r.domain, 0x1a6fdc679ULL);
        ASSERT_U64_EQ(r.fs, LANDLOCK_ACCESS_FS_WRITE_FILE);
        ASSERT_EQ(r.object, LANDLOCK_AUDIT_OBJECT_PATH);
        ASSERT_STREQ(r.path, "/etc/passwd");
        ASSERT_STREQ(r.dev, "vda2");
        ASSERT_U64_EQ(r.ino, 143821);
        ASSERT_STREQ(r.blockers, "fs.write_file");
        ASSERT_FALSE(r.unknown_blocker);
}

TEST(journal_message_of_older_journald_audit_number) {
        /* journald built against headers without the type: "AUDIT%04i". */
        _cleanup_(landlock_audit_record_done) LandlockAuditRecord r =
                parse_ok("AUDIT1423 domain=195ba459b blockers=fs.make_reg,fs.refer path=\"/usr/local\" dev=\"vda2\" ino=365");

        ASSERT_U64_EQ(r.fs, LANDLOCK_ACCESS_FS_MAKE_REG | LANDLOCK_ACCESS_FS_REFER);
        ASSERT_STREQ(r.path, "/usr/local");
}

TEST(auditd_log_unknown_type) {
        /* auditd (libaudit) that does not know 1423 writes "UNKNOWN[1423]"; enriched format adds 0x1d. */
        _cleanup_(landlock_audit_record_done) LandlockAuditRecord r =
                parse_ok("type=UNKNOWN[1423] msg=audit(1729738800.221:33): domain=1a6fdc679 blockers=fs.read_file "
                         "path=\"/etc/nginx/nginx.conf\" dev=\"nvme0n1\" ino=12\x1dUID=\"root\"");

        ASSERT_U64_EQ(r.usec, 1729738800221000ULL);
        ASSERT_U64_EQ(r.serial, 33);
        ASSERT_U64_EQ(r.fs, LANDLOCK_ACCESS_FS_READ_FILE);
        ASSERT_STREQ(r.path, "/etc/nginx/nginx.conf");
        ASSERT_U64_EQ(r.ino, 12);
}

TEST(auditd_log_named_domain_allocated) {
        _cleanup_(landlock_audit_record_done) LandlockAuditRecord r =
                parse_ok("type=LANDLOCK_DOMAIN msg=audit(1729738800.268:30): domain=1a6fdc66f status=allocated "
                         "mode=enforcing pid=286 uid=0 exe=\"/root/sandboxer\" comm=\"sandboxer\"");

        ASSERT_EQ(r.type, AUDIT_LANDLOCK_DOMAIN);
        ASSERT_TRUE(r.allocated);
        ASSERT_EQ(r.pid, 286);
        ASSERT_EQ(r.uid, 0);
        ASSERT_STREQ(r.exe, "/root/sandboxer");
        ASSERT_STREQ(r.comm, "sandboxer");
}

TEST(domain_deallocated) {
        _cleanup_(landlock_audit_record_done) LandlockAuditRecord r =
                parse_ok("type=LANDLOCK_DOMAIN msg=audit(1729738800.324:31): domain=1a6fdc66f status=deallocated denials=3");

        ASSERT_FALSE(r.allocated);
        ASSERT_U64_EQ(r.denials, 3);
}

TEST(kernel_log_line) {
        /* Without a listener, kauditd prints "audit: type=%d %s" to the kernel log. */
        _cleanup_(landlock_audit_record_done) LandlockAuditRecord r =
                parse_ok("[   12.345678] audit: type=1423 audit(1764450000.123:412): domain=10b4f2c3e "
                         "blockers=scope.signal opid=1 ocomm=\"systemd\"");

        ASSERT_U64_EQ(r.scope, LANDLOCK_SCOPE_SIGNAL);
        ASSERT_EQ(r.object, LANDLOCK_AUDIT_OBJECT_TASK);
        ASSERT_EQ(r.opid, 1);
        ASSERT_STREQ(r.ocomm, "systemd");
        ASSERT_U64_EQ(r.serial, 412);
}

TEST(hex_encoded_and_deleted_path) {
        /* A path with a blank is printed as hex; a deleted file's d_path ends in " (deleted)". */
        _cleanup_(landlock_audit_record_done) LandlockAuditRecord r =
                parse_ok("LANDLOCK_ACCESS domain=1 blockers=fs.read_file "
                         "path=2F746D702F612062202864656C6574656429 dev=\"tmpfs\" ino=7");

        ASSERT_STREQ(r.path, "/tmp/a b");
        ASSERT_TRUE(r.deleted);
}

TEST(net_bind_and_connect) {
        _cleanup_(landlock_audit_record_done) LandlockAuditRecord b =
                parse_ok("LANDLOCK_ACCESS domain=2 blockers=net.bind_tcp src=8080");
        _cleanup_(landlock_audit_record_done) LandlockAuditRecord c =
                parse_ok("LANDLOCK_ACCESS domain=2 blockers=net.connect_tcp daddr=127.0.0.1 dest=5432");
        _cleanup_(landlock_audit_record_done) LandlockAuditRecord u =
                parse_ok("LANDLOCK_ACCESS domain=2 blockers=net.connect_send_udp daddr=10.0.0.53 dest=53");

        ASSERT_U64_EQ(b.net, LANDLOCK_ACCESS_NET_BIND_TCP);
        ASSERT_EQ(b.port, 8080);
        ASSERT_EQ(b.object, LANDLOCK_AUDIT_OBJECT_NET);
        ASSERT_U64_EQ(c.net, LANDLOCK_ACCESS_NET_CONNECT_TCP);
        ASSERT_EQ(c.port, 5432);
        ASSERT_STREQ(c.addr, "127.0.0.1");
        ASSERT_U64_EQ(u.net, LANDLOCK_ACCESS_NET_CONNECT_SEND_UDP);
}

TEST(abstract_unix_socket_and_resolve_unix) {
        _cleanup_(landlock_audit_record_done) LandlockAuditRecord a =
                parse_ok("LANDLOCK_ACCESS domain=3 blockers=scope.abstract_unix_socket path=00666F6F");
        _cleanup_(landlock_audit_record_done) LandlockAuditRecord u =
                parse_ok("LANDLOCK_ACCESS domain=3 blockers=fs.resolve_unix path=\"/run/dbus/system_bus_socket\" dev=\"tmpfs\" ino=9");

        ASSERT_U64_EQ(a.scope, LANDLOCK_SCOPE_ABSTRACT_UNIX_SOCKET);
        ASSERT_STREQ(a.path, "@foo");
        ASSERT_U64_EQ(u.fs, LANDLOCK_ACCESS_FS_RESOLVE_UNIX);
}

TEST(blockers_without_a_right) {
        _cleanup_(landlock_audit_record_done) LandlockAuditRecord p =
                parse_ok("LANDLOCK_ACCESS domain=4 blockers=ptrace opid=12 ocomm=\"bash\"");
        _cleanup_(landlock_audit_record_done) LandlockAuditRecord t =
                parse_ok("LANDLOCK_ACCESS domain=4 blockers=fs.change_topology name=\"mnt\" dev=\"tmpfs\" ino=1");
        _cleanup_(landlock_audit_record_done) LandlockAuditRecord n =
                parse_ok("LANDLOCK_ACCESS domain=4 blockers=fs.read_file,fs.future_right path=\"/x\"");

        ASSERT_TRUE(p.ptrace);
        ASSERT_TRUE(t.change_topology);
        ASSERT_STREQ(t.path, "mnt");
        ASSERT_TRUE(n.unknown_blocker);
        ASSERT_U64_EQ(n.fs, LANDLOCK_ACCESS_FS_READ_FILE);
}

TEST(other_records_are_not_ours) {
        LandlockAuditRecord r = {};

        ASSERT_EQ(landlock_audit_parse_line("type=SYSCALL msg=audit(1729738800.268:30): arch=c000003e syscall=62", &r), 0);
        ASSERT_EQ(landlock_audit_parse_line("SYSCALL arch=c000003e syscall=62 success=no", &r), 0);
        ASSERT_EQ(landlock_audit_parse_line("audit: type=1400 audit(1.2:3): apparmor=\"DENIED\"", &r), 0);
        ASSERT_EQ(landlock_audit_parse_line("nginx: [emerg] open() failed", &r), 0);
        ASSERT_EQ(landlock_audit_parse_line("", &r), 0);
}

TEST(malformed_records_are_refused) {
        LandlockAuditRecord r = {};

        ASSERT_EQ(landlock_audit_parse_line("LANDLOCK_ACCESS blockers=fs.read_file path=\"/x\"", &r), -EBADMSG);
        ASSERT_EQ(landlock_audit_parse_line("LANDLOCK_ACCESS domain=zz blockers=fs.read_file", &r), -EBADMSG);
        ASSERT_EQ(landlock_audit_parse_line("LANDLOCK_ACCESS domain=1 path=\"/x\"", &r), -EBADMSG);
        ASSERT_EQ(landlock_audit_parse_line("LANDLOCK_DOMAIN domain=1 status=weird", &r), -EBADMSG);
        ASSERT_EQ(landlock_audit_parse_line("LANDLOCK_ACCESS domain=1 blockers=net.bind_tcp src=70000", &r), -EBADMSG);
}

TEST(path_containing_type_is_still_a_journal_message) {
        _cleanup_(landlock_audit_record_done) LandlockAuditRecord r =
                parse_ok("LANDLOCK_ACCESS domain=5 blockers=fs.read_dir path=\"/srv/type=1423\" dev=\"vda\" ino=2");

        ASSERT_STREQ(r.path, "/srv/type=1423");
        ASSERT_U64_EQ(r.fs, LANDLOCK_ACCESS_FS_READ_DIR);
}

TEST(loss_messages) {
        uint64_t n;

        ASSERT_EQ(landlock_audit_parse_loss("kauditd_printk_skb: 12 callbacks suppressed", &n), LANDLOCK_AUDIT_LOSS_PRINTK);
        ASSERT_U64_EQ(n, 12);
        ASSERT_EQ(landlock_audit_parse_loss("audit: audit_lost=5 audit_rate_limit=0 audit_backlog_limit=64", &n),
                  LANDLOCK_AUDIT_LOSS_COUNT);
        ASSERT_U64_EQ(n, 5);
        ASSERT_EQ(landlock_audit_parse_loss("audit: rate limit exceeded", NULL), LANDLOCK_AUDIT_LOSS_RATE_LIMIT);
        ASSERT_EQ(landlock_audit_parse_loss("audit: backlog limit exceeded", NULL), LANDLOCK_AUDIT_LOSS_BACKLOG);
        ASSERT_EQ(landlock_audit_parse_loss("audit: kauditd hold queue overflow", NULL), LANDLOCK_AUDIT_LOSS_HOLD_QUEUE);
        ASSERT_EQ(landlock_audit_parse_loss("LANDLOCK_ACCESS domain=1 blockers=fs.read_file", NULL), LANDLOCK_AUDIT_LOSS_NONE);
}

TEST(every_kernel_blocker_name_maps_to_a_right) {
        static const char *const blockers[] = {
                "fs.execute", "fs.write_file", "fs.read_file", "fs.read_dir", "fs.remove_dir", "fs.remove_file",
                "fs.make_char", "fs.make_dir", "fs.make_reg", "fs.make_sock", "fs.make_fifo", "fs.make_block",
                "fs.make_sym", "fs.refer", "fs.truncate", "fs.ioctl_dev", "fs.resolve_unix",
                "net.bind_tcp", "net.connect_tcp", "net.bind_udp", "net.connect_send_udp",
                "scope.abstract_unix_socket", "scope.signal",
        };
        for (size_t i = 0; i < ELEMENTSOF(blockers); i++)
                if (!landlock_audit_blocker_to_name(blockers[i], NULL))
                        test_fail(__FILE__, __LINE__, "no right for the kernel's blocker \"%s\"", blockers[i]);
        ASSERT_STREQ(landlock_audit_blocker_to_name("fs.write_file", NULL), "write-file");
        ASSERT_TRUE(landlock_audit_blocker_to_name("fs.nonsense", NULL) == NULL);
}
