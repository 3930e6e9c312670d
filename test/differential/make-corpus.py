#!/usr/bin/env python3
# SPDX-License-Identifier: LGPL-2.1-or-later
"""Writes the adversarial unit trees of the differential test into test/differential/corpus/ (the
trees are committed; rerun this after changing it: the output is deterministic).

Each tree is a directory with
  description   one line: "CLASS: what it does"
  units         the units to judge, one a line, with optional expectations (see README.md beside);
                "boot NAME" puts the tree into its own boot group
  etc/ run/ usr/  files laid out as in the root, laid in place before PID 1 boots
  fixtures/     laid over / inside the container before each phase (never under etc/systemd)
  after-boot/   laid over / after the last daemon-reload (class i), then the units are run

Every command is the probe (helpers/dprobe.c). Every unit grants /run/differential read-write (where
the probe records) and nothing that covers the canary /etc/differential-canary/canary.
"""

import os
import shutil
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
CORPUS = os.path.join(HERE, "corpus")
T = "/usr/lib/systemd-landlock-tests/differential"
P = f"{T}/dprobe"
PDYN = f"{T}/dprobe-dyn"
PRELOAD = f"{T}/libdpreload.so"
ETC = "etc/systemd/system"
RUN = "run/systemd/system"
USR = "usr/lib/systemd/system"
LOCAL = "usr/local/lib/systemd/system"
GRANT = "LandlockReadWritePaths=/run/differential\n"
ONESHOT = "Type=oneshot\nRemainAfterExit=yes\n"
LONG_LINE_MAX = 1024 * 1024

CLASSES = {
    "a": "a. generated lines systemd rejects",
    "b": "b. drop-in order",
    "c": "c. lookup",
    "d": "d. reading",
    "e": "e. word injection",
    "f": "f. preloaded libraries",
    "g": "g. seccomp filters",
    "h": "h. rule paths beneath writable grants",
    "i": "i. edited after the last daemon-reload",
    "j": "j. ExecCondition with invalid directives",
    "k": "k. sockets",
    "l": "l. the life of a confined service",
    "n": "n. newer systemd",
    "o": "o. several commands",
    "p": "p. Exec prefixes",
    "s": "s. ExecSearchPath",
    "t": "t. from systemd's own tests",
    "u": "u. user units",
    "x": "x. control of the harness",
    "y": "y. fuzz corpus (Exec lines)",
    "z": "z. fuzz corpus",
}

TREES = []


class Tree:
    def __init__(self, name, description):
        cls = name[0]
        assert cls in CLASSES, name
        assert "\n" not in description
        self.name = name
        self.description = f"{CLASSES[cls]}: {description}"
        self.files = {}         # relative path -> bytes, or ("symlink", target), or ("dir",)
        self.units = []
        self.boot = None
        TREES.append(self)

    def file(self, path, content):
        if isinstance(content, str):
            content = content.encode("utf-8")
        assert path not in self.files, (self.name, path)
        self.files[path] = content
        return self

    def symlink(self, path, target):
        self.files[path] = ("symlink", target)
        return self

    def mkdir(self, path):
        self.files[path] = ("dir",)
        return self

    def unit(self, name, *expect):
        self.units.append((name, expect))
        return self


def service(body, *, head=ONESHOT, grant=True, section="Service"):
    """A unit file: [SECTION] with HEAD, BODY and the grant of the records directory."""
    return f"[{section}]\n{head}" + (GRANT if grant else "") + body


def tree(name, description):
    return Tree(name, description)


# --- x: controls ---------------------------------------------------------------------------------------

tree("x01-plain-no-directives", "a unit without Landlock directives runs the probe unconfined (the canary detects it)") \
    .file(f"{ETC}/dx01.service", service(f"ExecStart={P} x01-main\n", grant=False)) \
    .unit("dx01.service", "nodirectives", "unconfined", "runs=1", "start")
tree("x02-plus-unconfined", "a \"+\" command runs unconfined, the others confined") \
    .file(f"{ETC}/dx02.service", service(f"ExecStartPre=+{P} x02-plus\nExecStart={P} x02-main\nExecStop={P} x02-stop\n")) \
    .unit("dx02.service", "start", "runs=3", "unconfined-runs=1")
tree("x03-every-setting", "a valid unit with a command in every Exec setting of a service") \
    .file(f"{ETC}/dx03.service", service(
        f"ExecCondition={P} x03-cond\nExecStartPre={P} x03-pre\nExecStart={P} x03-main\nExecStartPost={P} x03-post\n"
        f"ExecReload={P} x03-reload\nExecStop={P} x03-stop\nExecStopPost={P} x03-stoppost\n")) \
    .unit("dx03.service", "start", "runs=7")
tree("x04-exec-condition-skip", "an ExecCondition= that exits 1 skips the unit (not a failure): the harness tells skip from fail") \
    .file(f"{ETC}/dx04.service", service(f"ExecCondition={P} x04-cond exit 1\nExecStart={P} x04-main\n")) \
    .unit("dx04.service", "start", "runs=1")

# --- a: generated lines systemd rejects ----------------------------------------------------------------

for n, (spec, what, extra) in enumerate([
        ("%z", "a specifier no systemd knows", ""),
        ("%Q", "a specifier no systemd knows", ""),
        ("%D", "a specifier only systemd 257 and newer know", ""),
        ("%z", "unknown specifier; every command carries \"-\" (systemd then drops each wrapped line silently)", "-"),
        ("%", "a lone \"%\" at the end of the path", ""),
        ("%%z", "an escaped \"%%\" (valid: the path is literally \"%z\")", ""),
        ("%t", "a valid specifier (%t is /run)", ""),
], 1):
    name = f"a{n:02d}-specifier-{['z', 'Q', 'D', 'z-dash', 'lone', 'escaped', 'valid-t'][n - 1]}"
    u = f"da{n:02d}.service"
    body = (f"ExecStart={extra}{P} a{n:02d}-main\nExecStartPost={extra}{P} a{n:02d}-post\n"
            f"LandlockReadOnlyPaths=-/run/differential-a{n:02d}/{spec}\n")
    if spec == "%t":
        body = f"ExecStart={P} a{n:02d}-main\nLandlockReadWritePaths=%t/differential\n"
        tree(name, f"LandlockReadWritePaths= with {what}").file(f"{ETC}/{u}", service(body, grant=False)) \
            .unit(u, "start", "runs=1")
        continue
    exp = ("start", "runs=2") if spec == "%%z" else ()
    tree(name, f"LandlockReadOnlyPaths= with {what}").file(f"{ETC}/{u}", service(body)).unit(u, *exp)

tree("a08-dash-specifier-with-plus", "unknown specifier in a Landlock path; the main command carries \"-\", a \"+\" command keeps the unit loadable") \
    .file(f"{ETC}/da08.service", service(
        f"ExecStart=-{P} a08-main\nExecStop=+{P} a08-plus-stop\nLandlockReadOnlyPaths=-/run/%z\n")) \
    .unit("da08.service")


def long_exec_line(key, prefix, tag, total):
    """KEY=PREFIXPROBE TAG word word … of exactly TOTAL bytes (without the newline); words of 1000
    bytes stay below the kernel's 128 KiB limit for one argument."""
    head = f"{key}={prefix}{P} {tag}"
    words, size, i = [], len(head), 0
    while size + 1 + 1000 <= total:
        words.append(f"w{i:05d}".ljust(1000, "x"))
        size += 1001
        i += 1
    rest = total - size - 1
    if rest > 0:
        words.append("y" * rest)
    line = head + "".join(" " + w for w in words)
    assert len(line) == total, (len(line), total)
    return line


tree("a09-long-line-fragment", "an ExecStart= line 20 bytes under LONG_LINE_MAX (1 MiB): wrapped, it is over the limit") \
    .file(f"{ETC}/da09.service", service(long_exec_line("ExecStart", "", "a09-main", LONG_LINE_MAX - 20) + "\n")) \
    .unit("da09.service")
tree("a10-long-line-dropin-dash", "an ExecStartPost=- line 40 bytes under LONG_LINE_MAX in a drop-in") \
    .file(f"{ETC}/da10.service", service(f"ExecStart={P} a10-main\n")) \
    .file(f"{ETC}/da10.service.d/50-long.conf",
          "[Service]\n" + long_exec_line("ExecStartPost", "-", "a10-post", LONG_LINE_MAX - 40) + "\n") \
    .unit("da10.service")


def continued_line(key, tag, total, pieces):
    """KEY=PROBE TAG … split over PIECES continuation lines, together TOTAL bytes once joined."""
    line = long_exec_line(key, "", tag, total)
    step = len(line) // pieces
    out, pos = [], 0
    while pos < len(line):
        cut = min(len(line), pos + step)
        while cut < len(line) and line[cut] != " ":
            cut += 1
        out.append(line[pos:cut])
        pos = cut
    # A continuation's backslash becomes a space: drop the space each piece started with.
    return "\\\n".join([out[0]] + [o[1:] if o.startswith(" ") else o for o in out[1:]]) + "\n"


tree("a11-long-line-continued", "an ExecStart= of 40 continuation lines, 30 bytes under LONG_LINE_MAX once joined") \
    .file(f"{ETC}/da11.service", service(continued_line("ExecStart", "a11-main", LONG_LINE_MAX - 30, 40))) \
    .unit("da11.service")
tree("a12-long-line-long-policy", "an ExecStart= line 1000 bytes under LONG_LINE_MAX in a unit with 40 Landlock paths (a long wrapper)") \
    .file(f"{ETC}/da12.service", service("".join(f"LandlockReadOnlyPaths=-/run/differential-a12/a-rather-long-directory-name-{i:02d}\n" for i in range(40)) +
                                         long_exec_line("ExecStart", "", "a12-main", LONG_LINE_MAX - 1000) + "\n")) \
    .unit("da12.service")
tree("a13-long-line-before-start", "an ExecStartPre= line 20 bytes under LONG_LINE_MAX, then ExecStart= and ExecStartPost=: the rest of a generated drop-in after an over-long line is lost") \
    .file(f"{ETC}/da13.service", service(long_exec_line("ExecStartPre", "", "a13-pre", LONG_LINE_MAX - 20) + "\n" +
                                         f"ExecStart={P} a13-main\nExecStartPost={P} a13-post\n")) \
    .unit("da13.service")

# --- b: drop-in order ----------------------------------------------------------------------------------

ORDER_NAMES = [
    ("b01-tilde-add", "~post.conf", "a drop-in named \"~post.conf\" (\"~\" sorts after \"z\") adds ExecStartPost=", "add"),
    ("b02-tilde-reset", "~reset.conf", "a drop-in named \"~reset.conf\" resets ExecStart= and sets another", "reset"),
    ("b03-zzz-add", "zzz-post.conf", "a drop-in named \"zzz-post.conf\" adds ExecStartPost=", "add"),
    ("b04-zzz-reset", "zzz-reset.conf", "a drop-in named \"zzz-reset.conf\" resets ExecStart= and sets another", "reset"),
    ("b05-same-name", "zz-landlock.conf", "the administrator's own \"zz-landlock.conf\" in /etc masks a generator drop-in of that name", "add"),
    ("b06-zzz-landlock", "zzz-landlock.conf", "a drop-in named \"zzz-landlock.conf\" (the generator's next choice)", "add"),
    ("b07-utf8-name", "zé-post.conf", "a drop-in whose name has a UTF-8 byte (0xc3 sorts after every ASCII letter)", "add"),
    ("b08-invalid-byte", b"\xff-post.conf", "a drop-in whose name starts with the invalid byte 0xff", "add"),
    ("b09-upper-z", "Z-post.conf", "a drop-in named \"Z-post.conf\" (sorts before lower case)", "add"),
    ("b10-dotconf-longer", "zz-landlock.conf.conf", "a drop-in named \"zz-landlock.conf.conf\"", "add"),
    ("b11-tilde-zz", "~~~~.conf", "a drop-in named \"~~~~.conf\"", "add"),
    ("b12-zzzzzz", "zzzzzzzzzzzzzzzzzzzzzzzzzzzzzz-post.conf", "a drop-in with 30 z's", "add"),
    ("b13-braces", "{post}.conf", "a drop-in named \"{post}.conf\" (\"{\" sorts after \"z\")", "add"),
    ("b14-del", b"\x7f-post.conf", "a drop-in whose name starts with DEL (0x7f)", "add"),
]
for n, (name, fname, what, kind) in enumerate(ORDER_NAMES, 1):
    t = name.split("-")[0]
    u = f"d{t}.service"
    tr = tree(name, what)
    tr.file(f"{ETC}/{u}", service(f"ExecStart={P} {t}-main\n"))
    if isinstance(fname, bytes):
        path = f"{ETC}/{u}.d/".encode() + fname
    else:
        path = f"{ETC}/{u}.d/{fname}"
    if kind == "add":
        tr.file(path, f"[Service]\nExecStartPost={P} {t}-post\n")
    else:
        tr.file(path, f"[Service]\nExecStart=\nExecStart={P} {t}-new\n")
    tr.unit(u)

tree("b15-run-tilde", "a \"~\" drop-in in /run/systemd/system adds ExecStopPost=") \
    .file(f"{ETC}/db15.service", service(f"ExecStart={P} b15-main\n")) \
    .file(f"{RUN}/db15.service.d/~stop.conf", f"[Service]\nExecStopPost={P} b15-stoppost\n") \
    .unit("db15.service")
tree("b16-usr-zzz", "a \"zzz\" drop-in in /usr/lib/systemd/system for a unit in /etc") \
    .file(f"{ETC}/db16.service", service(f"ExecStart={P} b16-main\n")) \
    .file(f"{USR}/db16.service.d/zzz-post.conf", f"[Service]\nExecStartPost={P} b16-post\n") \
    .unit("db16.service")
tree("b17-not-conf", "a late drop-in without the .conf suffix: systemd ignores it, so must the generator") \
    .file(f"{ETC}/db17.service", service(f"ExecStart={P} b17-main\n")) \
    .file(f"{ETC}/db17.service.d/zzz-post.conf.disabled", f"[Service]\nExecStart=\nExecStart={P} b17-ignored\n") \
    .file(f"{ETC}/db17.service.d/10-post.CONF", f"[Service]\nExecStartPost={P} b17-ignored-too\n") \
    .unit("db17.service", "start", "runs=1")
tree("b18-hidden", "a hidden drop-in \".zzz.conf\": systemd ignores it") \
    .file(f"{ETC}/db18.service", service(f"ExecStart={P} b18-main\n")) \
    .file(f"{ETC}/db18.service.d/.zzz.conf", f"[Service]\nExecStart=\nExecStart={P} b18-ignored\n") \
    .unit("db18.service", "start", "runs=1")
tree("b19-masked-dropin", "a drop-in in /usr/lib masked by a /dev/null symlink of the same name in /etc") \
    .file(f"{ETC}/db19.service", service(f"ExecStart={P} b19-main\n")) \
    .file(f"{USR}/db19.service.d/50-post.conf", f"[Service]\nExecStartPost={P} b19-masked\n") \
    .symlink(f"{ETC}/db19.service.d/50-post.conf", "/dev/null") \
    .unit("db19.service", "start", "runs=1")
tree("b20-dropin-dir-symlink", "the drop-in directory is a symlink to a directory elsewhere, with a \"zzz\" drop-in") \
    .file(f"{ETC}/db20.service", service(f"ExecStart={P} b20-main\n")) \
    .file("etc/systemd/db20-dropins/zzz-post.conf", f"[Service]\nExecStartPost={P} b20-post\n") \
    .symlink(f"{ETC}/db20.service.d", "../db20-dropins") \
    .unit("db20.service")
tree("b21-dropin-file-symlink", "a \"zzz\" drop-in that is a symlink to a file outside the unit directories") \
    .file(f"{ETC}/db21.service", service(f"ExecStart={P} b21-main\n")) \
    .file("etc/systemd/db21-post.conf", f"[Service]\nExecStartPost={P} b21-post\n") \
    .symlink(f"{ETC}/db21.service.d/zzz-post.conf", "../../db21-post.conf") \
    .unit("db21.service")
tree("b22-directives-late", "the Landlock directives themselves come from a \"~\" drop-in, the commands from the fragment") \
    .file(f"{ETC}/db22.service", f"[Service]\n{ONESHOT}ExecStart={P} b22-main\nExecStartPost={P} b22-post\n") \
    .file(f"{ETC}/db22.service.d/~landlock.conf", f"[Service]\n{GRANT}") \
    .unit("db22.service", "start", "runs=2")
tree("b23-reset-then-empty", "a late drop-in resets ExecStartPost= to nothing, another adds one back") \
    .file(f"{ETC}/db23.service", service(f"ExecStart={P} b23-main\nExecStartPost={P} b23-post-old\n")) \
    .file(f"{ETC}/db23.service.d/zzz-1.conf", "[Service]\nExecStartPost=\n") \
    .file(f"{ETC}/db23.service.d/zzz-2.conf", f"[Service]\nExecStartPost={P} b23-post-new\n") \
    .unit("db23.service")

CONT_LINES = 3000
tree("b24-many-continuations", f"an ExecStart= of {CONT_LINES} continuation lines (performance)") \
    .file(f"{ETC}/db24.service", service(f"ExecStart={P} b24-main \\\n" +
                                         "".join(f"  arg{i:05d} \\\n" for i in range(CONT_LINES)) + "  last\n")) \
    .unit("db24.service", "start", "runs=1")
tree("b25-many-dropins", "200 drop-ins, each adding an ExecStartPost=, the last ones named \"zzz…\"") \
    .file(f"{ETC}/db25.service", service(f"ExecStart={P} b25-main\n")) \
    .unit("db25.service")
for i in range(200):
    fname = f"{i:03d}-post.conf" if i < 190 else f"zzz{i:03d}-post.conf"
    TREES[-1].file(f"{ETC}/db25.service.d/{fname}", f"[Service]\nExecStartPost={P} b25-post{i:03d}\n")

tree("b26-dropin-conf-directory", "a directory named \"zzz-dir.conf\" among the drop-ins, holding a drop-in of its own; \"zz-post.conf\" beside it (drop-in directories listed with getdents64)") \
    .file(f"{ETC}/db26.service", service(f"ExecStart={P} b26-main\n")) \
    .file(f"{ETC}/db26.service.d/zz-post.conf", f"[Service]\nExecStartPost={P} b26-post\n") \
    .file(f"{ETC}/db26.service.d/zzz-dir.conf/inner.conf", f"[Service]\nExecStartPost={P} b26-inner\n") \
    .unit("db26.service")
tree("b27-dangling-dropin-hides-lower", "a dangling symlink \"50-post.conf\" in /etc over a drop-in of that name in /usr/lib that adds a command") \
    .file(f"{ETC}/db27.service", service(f"ExecStart={P} b27-main\n")) \
    .file(f"{USR}/db27.service.d/50-post.conf", f"[Service]\nExecStartPost={P} b27-lower\n") \
    .symlink(f"{ETC}/db27.service.d/50-post.conf", "/nonexistent/50-post.conf") \
    .unit("db27.service")

# --- c: lookup -----------------------------------------------------------------------------------------

# Where a drop-in can add a command (early or late name): for an instance "dcNN-foo-bar@inst.service"
# (template in /usr/lib), or for a plain "dcNN-foo-bar.service".
LOOKUP = [
    ("instance-dir", True, "{u}.d", "the instance's own drop-in directory"),
    ("template-dir", True, "dcNN-foo-bar@.service.d", "the template's drop-in directory"),
    ("dash-instance", True, "dcNN-foo-@inst.service.d", "a dash-prefix directory with the instance (foo-@inst.service.d)"),
    ("dash-template", True, "dcNN-foo-@.service.d", "a dash-prefix template directory (foo-@.service.d)"),
    ("dash-instance-2", True, "dcNN-@inst.service.d", "the shortest dash-prefix directory with the instance"),
    ("dash-1", False, "dcNN-foo-.service.d", "a dash-prefix directory (foo-.service.d) of a plain unit"),
    ("dash-2", False, "dcNN-.service.d", "the shortest dash-prefix directory of a plain unit"),
]
n = 0
for slug, instance, dirpat, what in LOOKUP:
    for order, fname in (("early", "10-post.conf"), ("late", "zzz-post.conf")):
        n += 1
        t = f"c{n:02d}"
        u = f"d{t}-foo-bar@inst.service" if instance else f"d{t}-foo-bar.service"
        d = dirpat.replace("dcNN", f"d{t}").replace("{u}", u)
        frag = f"{USR}/d{t}-foo-bar@.service" if instance else f"{USR}/d{t}-foo-bar.service"
        tree(f"{t}-{slug}-{order}", f"{what}, {order} name \"{fname}\", adds ExecStartPost=") \
            .file(frag, service(f"ExecStart={P} {t}-main %n\n")) \
            .file(f"{ETC}/{d}/{fname}", f"[Service]\nExecStartPost={P} {t}-post\n") \
            .unit(u, "start", "runs=2")

SAME_NAME = [
    ("etc-over-usr", ETC, USR, "/etc over /usr/lib"),
    ("etc-over-run", ETC, RUN, "/etc over /run"),
    ("run-over-usr", RUN, USR, "/run over /usr/lib"),
    ("run-over-local", RUN, LOCAL, "/run over /usr/local/lib"),
    ("local-over-usr", LOCAL, USR, "/usr/local/lib over /usr/lib"),
    ("control-over-etc", "etc/systemd/system.control", ETC, "/etc/systemd/system.control over /etc"),
    ("transient-over-etc", "run/systemd/transient", ETC, "/run/systemd/transient over /etc"),
]
for slug, high, low, what in SAME_NAME:
    n += 1
    t = f"c{n:02d}"
    u = f"d{t}.service"
    tree(f"{t}-same-name-{slug}", f"two drop-ins named \"50-post.conf\", {what}: only the first applies") \
        .file(f"{USR}/{u}", service(f"ExecStart={P} {t}-main\n")) \
        .file(f"{high}/{u}.d/50-post.conf", f"[Service]\nExecStartPost={P} {t}-post-high\n") \
        .file(f"{low}/{u}.d/50-post.conf", f"[Service]\nExecStartPost={P} {t}-post-low\n") \
        .unit(u, "start", "runs=2")

n += 1
t = f"c{n:02d}"
tree(f"{t}-same-name-instance-over-template", "the same drop-in name in the instance's and the template's directory") \
    .file(f"{USR}/d{t}@.service", service(f"ExecStart={P} {t}-main\n")) \
    .file(f"{ETC}/d{t}@.service.d/50-post.conf", f"[Service]\nExecStartPost={P} {t}-post-template\n") \
    .file(f"{USR}/d{t}@x.service.d/50-post.conf", f"[Service]\nExecStartPost={P} {t}-post-instance\n") \
    .unit(f"d{t}@x.service", "start", "runs=2")

n += 1
t = f"c{n:02d}"
tree(f"{t}-alias-dropin-late", "an alias (symlink) with its own drop-in directory holding a \"zzz\" drop-in") \
    .file(f"{USR}/d{t}-real.service", service(f"ExecStart={P} {t}-main\n")) \
    .symlink(f"{ETC}/d{t}-alias.service", f"/usr/lib/systemd/system/d{t}-real.service") \
    .file(f"{ETC}/d{t}-alias.service.d/zzz-post.conf", f"[Service]\nExecStartPost={P} {t}-post\n") \
    .unit(f"d{t}-real.service").unit(f"d{t}-alias.service")
n += 1
t = f"c{n:02d}"
tree(f"{t}-alias-dropin-early", "an alias with an early drop-in; the real name has a late one") \
    .file(f"{USR}/d{t}-real.service", service(f"ExecStart={P} {t}-main\n")) \
    .symlink(f"{USR}/d{t}-alias.service", f"d{t}-real.service") \
    .file(f"{ETC}/d{t}-alias.service.d/10-post.conf", f"[Service]\nExecStartPost={P} {t}-post-alias\n") \
    .file(f"{ETC}/d{t}-real.service.d/zzz-post.conf", f"[Service]\nExecStopPost={P} {t}-stoppost-real\n") \
    .unit(f"d{t}-alias.service", "start", "runs=3")
n += 1
t = f"c{n:02d}"
tree(f"{t}-alias-same-name", "the same drop-in name for the unit and its alias: the unit's own name wins") \
    .file(f"{USR}/d{t}-real.service", service(f"ExecStart={P} {t}-main\n")) \
    .symlink(f"{ETC}/d{t}-alias.service", f"/usr/lib/systemd/system/d{t}-real.service") \
    .file(f"{ETC}/d{t}-alias.service.d/50-post.conf", f"[Service]\nExecStartPost={P} {t}-post-alias\n") \
    .file(f"{USR}/d{t}-real.service.d/50-post.conf", f"[Service]\nExecStartPost={P} {t}-post-real\n") \
    .unit(f"d{t}-real.service", "start", "runs=2")
n += 1
t = f"c{n:02d}"
tree(f"{t}-alias-chain", "an alias of an alias, the drop-in on the middle name") \
    .file(f"{USR}/d{t}-real.service", service(f"ExecStart={P} {t}-main\n")) \
    .symlink(f"{USR}/d{t}-mid.service", f"d{t}-real.service") \
    .symlink(f"{ETC}/d{t}-outer.service", f"/usr/lib/systemd/system/d{t}-mid.service") \
    .file(f"{ETC}/d{t}-mid.service.d/zzz-post.conf", f"[Service]\nExecStartPost={P} {t}-post\n") \
    .unit(f"d{t}-outer.service")
n += 1
t = f"c{n:02d}"
tree(f"{t}-etc-fragment-wins", "the same unit in /etc (no directives) and /usr/lib (directives): /etc wins") \
    .file(f"{ETC}/d{t}.service", service(f"ExecStart={P} {t}-etc\n", grant=False)) \
    .file(f"{USR}/d{t}.service", service(f"ExecStart={P} {t}-usr\nExecStartPost={P} {t}-usr-post\n")) \
    .unit(f"d{t}.service", "nodirectives", "unconfined", "runs=1")
n += 1
t = f"c{n:02d}"
tree(f"{t}-etc-fragment-wins-2", "the same unit in /etc (directives) and /usr/lib (other commands): /etc wins") \
    .file(f"{ETC}/d{t}.service", service(f"ExecStart={P} {t}-etc\n")) \
    .file(f"{USR}/d{t}.service", service(f"ExecStart={P} {t}-usr\nExecStartPost={P} {t}-usr-post\n", grant=False)) \
    .unit(f"d{t}.service", "start", "runs=1")
n += 1
t = f"c{n:02d}"
tree(f"{t}-run-fragment", "a unit in /run/systemd/system with a drop-in in /etc") \
    .file(f"{RUN}/d{t}.service", service(f"ExecStart={P} {t}-main\n")) \
    .file(f"{ETC}/d{t}.service.d/zzz-post.conf", f"[Service]\nExecStartPost={P} {t}-post\n") \
    .unit(f"d{t}.service", "start", "runs=2")
n += 1
t = f"c{n:02d}"
tree(f"{t}-local-fragment", "a unit in /usr/local/lib/systemd/system overridden in part by /etc") \
    .file(f"{LOCAL}/d{t}.service", service(f"ExecStart={P} {t}-main\n")) \
    .file(f"{ETC}/d{t}.service.d/50-post.conf", f"[Service]\nExecStartPost={P} {t}-post\n") \
    .unit(f"d{t}.service", "start", "runs=2")
n += 1
t = f"c{n:02d}"
tree(f"{t}-masked", "a unit masked in /etc (/dev/null) with a fragment in /usr/lib") \
    .file(f"{USR}/d{t}.service", service(f"ExecStart={P} {t}-main\n")) \
    .symlink(f"{ETC}/d{t}.service", "/dev/null") \
    .unit(f"d{t}.service", "refuse", "runs=0")
n += 1
t = f"c{n:02d}"
tree(f"{t}-linked-instance", "an instance whose own file is a symlink to the template") \
    .file(f"{USR}/d{t}@.service", service(f"ExecStart={P} {t}-main %i\n")) \
    .symlink(f"{ETC}/d{t}@one.service", f"/usr/lib/systemd/system/d{t}@.service") \
    .file(f"{ETC}/d{t}@one.service.d/zzz-post.conf", f"[Service]\nExecStartPost={P} {t}-post\n") \
    .unit(f"d{t}@one.service", "start", "runs=2")
n += 1
t = f"c{n:02d}"
tree(f"{t}-instance-directives-only", "the template has no directives, the instance's drop-in adds them") \
    .file(f"{USR}/d{t}@.service", f"[Service]\n{ONESHOT}ExecStart={P} {t}-main %i\n") \
    .file(f"{ETC}/d{t}@x.service.d/50-landlock.conf", f"[Service]\n{GRANT}") \
    .unit(f"d{t}@x.service", "start", "runs=1")
n += 1
t = f"c{n:02d}"
tree(f"{t}-dash-directives-only", "the directives come only from a dash-prefix directory") \
    .file(f"{USR}/d{t}-a-b.service", f"[Service]\n{ONESHOT}ExecStart={P} {t}-main\n") \
    .file(f"{ETC}/d{t}-a-.service.d/50-landlock.conf", f"[Service]\n{GRANT}") \
    .unit(f"d{t}-a-b.service", "start", "runs=1")
n += 1
t = f"c{n:02d}"
tree(f"{t}-trailing-dash-unit", "a unit whose name ends in a dash (\"foo-.service\") and a dash-prefix directory") \
    .file(f"{USR}/d{t}-foo-.service", service(f"ExecStart={P} {t}-main\n")) \
    .file(f"{ETC}/d{t}-.service.d/zzz-post.conf", f"[Service]\nExecStartPost={P} {t}-post\n") \
    .unit(f"d{t}-foo-.service")

# Top-level drop-ins apply to every service: their own boot.
tree("c80-toplevel-late", "a late drop-in in the top-level service.d/ adds ExecStartPost= to every service") \
    .file(f"{ETC}/dc80.service", service(f"ExecStart={P} c80-main\n")) \
    .file(f"{ETC}/service.d/zzz-dglobal.conf", f"[Service]\nExecStartPost=-{P} c80-global-post\n") \
    .unit("dc80.service")
TREES[-1].boot = "toplevel"
tree("c81-toplevel-early", "an early drop-in in /usr/lib's top-level service.d/ adds ExecStopPost= to every service") \
    .file(f"{ETC}/dc81.service", service(f"ExecStart={P} c81-main\n")) \
    .file(f"{USR}/service.d/10-dglobal.conf", f"[Service]\nExecStopPost=-{P} c81-global-stoppost\n") \
    .unit("dc81.service")
TREES[-1].boot = "toplevel"
tree("c82-toplevel-socket", "a late drop-in in the top-level socket.d/ adds ExecStartPost= to every socket") \
    .file(f"{ETC}/dc82.socket", service(f"ListenStream=/run/dc82.sock\nExecStartPre={P} c82-pre\n", head="", section="Socket")) \
    .file(f"{ETC}/dc82.service", service(f"ExecStart={P} c82-service\n")) \
    .file(f"{ETC}/socket.d/zzz-dglobal.conf", f"[Socket]\nExecStartPost=-{P} c82-global-post\n") \
    .unit("dc82.socket")
TREES[-1].boot = "toplevel"

# From test-unit-file.c, TEST(unit_validate_alias_symlink_and_warn): which alias symlinks are valid.
for slug, link, target, what in [
        ("template-alias", "dt01-a@.service", "dt01-b@.service", "a template aliased to a template (valid)"),
        ("instance-to-template", "dt02-a@inst.service", "dt02-b@.service", "an instance symlinked to another template (valid)"),
        ("instance-mismatch", "dt03-a@one.service", "dt03-b@two.service", "an instance aliased to another instance (invalid)"),
        ("type-mismatch", "dt04-a.service", "dt04-b.socket", "a service aliased to a socket (invalid)"),
        ("template-to-plain", "dt05-a@.service", "dt05-b.service", "a template aliased to a plain unit (invalid)"),
]:
    t = link[1:4]
    tr = tree(f"{t}-alias-{slug}", f"test-unit-file.c unit_validate_alias_symlink_and_warn: {what}, late drop-in on the alias")
    tgt_file = target if "@" not in target or target.endswith("@.service") else target.split("@")[0] + "@.service"
    if target.endswith(".socket"):
        tr.file(f"{USR}/{target}", service(f"ListenStream=/run/{t}.sock\nExecStartPre={P} {t}-sock-pre\n", head="", section="Socket"))
        tr.file(f"{USR}/{target[:-7]}.service", service(f"ExecStart={P} {t}-sock-service\n"))
    else:
        tr.file(f"{USR}/{tgt_file}", service(f"ExecStart={P} {t}-main\n"))
    tr.symlink(f"{ETC}/{link}", f"/usr/lib/systemd/system/{target}")
    adir = link.split("@")[0] + "@.service.d" if link.endswith("@.service") else link + ".d"
    tr.file(f"{ETC}/{adir}/zzz-post.conf", f"[Service]\nExecStartPost={P} {t}-post\n")
    started = link.replace("@.service", "@x.service")
    tr.unit(started)

# --- d: reading ----------------------------------------------------------------------------------------

BOM = b"\xef\xbb\xbf"
def unit_bytes(lines, eol=b"\n"):
    return eol.join(l if isinstance(l, bytes) else l.encode() for l in lines) + eol


def reading_tree(name, what, fragment, dropin=None, expect=()):
    t = name.split("-")[0]
    u = f"d{t}.service"
    tr = tree(name, what).file(f"{ETC}/{u}", fragment(t) if callable(fragment) else fragment)
    if dropin is not None:
        tr.file(f"{ETC}/{u}.d/50-dropin.conf", dropin(t) if callable(dropin) else dropin)
    tr.unit(u, *expect)


def std(t, extra=()):
    """The lines of a valid unit; the grant comes first, so that what a tree does to the Exec lines
    never swallows it. Index 4 is ExecStart=."""
    return ["[Service]", GRANT.strip(), "Type=oneshot", "RemainAfterExit=yes", f"ExecStart={P} {t}-main", *extra]


reading_tree("d01-bom-fragment", "a UTF-8 BOM before [Service] in the fragment (systemd strips it)",
             lambda t: BOM + unit_bytes(std(t, [f"ExecStartPost={P} {t}-post"])), expect=("start", "runs=2"))
reading_tree("d02-bom-dropin", "a UTF-8 BOM before [Service] in a drop-in that adds ExecStartPost=",
             lambda t: unit_bytes(std(t)), lambda t: BOM + unit_bytes(["[Service]", f"ExecStartPost={P} {t}-post"]),
             expect=("start", "runs=2"))
reading_tree("d03-bom-line3", "a BOM at the start of line 5 (systemd strips the first BOM on any line)",
             lambda t: unit_bytes(std(t)[:5] + [BOM + f"ExecStartPost={P} {t}-post".encode()] + std(t)[5:]))
reading_tree("d04-bom-twice", "BOMs on lines 1 and 5: only the first is stripped, line 5 is an unknown key",
             lambda t: BOM + unit_bytes(std(t)[:5] + [BOM + f"ExecStartPost={P} {t}-post".encode()] + std(t)[5:]))
reading_tree("d05-bom-comment", "a BOM followed by '#' on line 5: not a comment for the comment check, stripped after",
             lambda t: unit_bytes(std(t)[:5] + [BOM + f"#ExecStartPost={P} {t}-post".encode()] + std(t)[5:]))
reading_tree("d06-lone-cr", "lone CR line ends throughout the fragment",
             lambda t: unit_bytes(std(t, [f"ExecStartPost={P} {t}-post"]), b"\r"), expect=("start", "runs=2"))
reading_tree("d07-crlf", "CRLF line ends throughout the fragment",
             lambda t: unit_bytes(std(t, [f"ExecStartPost={P} {t}-post"]), b"\r\n"), expect=("start", "runs=2"))
reading_tree("d08-cr-inside", "a lone CR inside the ExecStart= line starts a new line (ExecStartPost=)",
             lambda t: unit_bytes(std(t)[:4] + [f"ExecStart={P} {t}-main\rExecStartPost={P} {t}-post".encode()] + std(t)[5:]))
reading_tree("d09-lf-cr", "\\n\\r counts as one line end", lambda t: unit_bytes(std(t, [f"ExecStartPost={P} {t}-post"]), b"\n\r"),
             expect=("start", "runs=2"))
reading_tree("d10-nul-inside", "a NUL byte inside the ExecStart= line ends it; ExecStartPost= follows the NUL",
             lambda t: unit_bytes(std(t)[:4] + [f"ExecStart={P} {t}-main\0ExecStartPost={P} {t}-post".encode()] + std(t)[5:]))
reading_tree("d11-nul-before-directives", "a NUL byte ends a line; the Landlock directive comes after it",
             lambda t: unit_bytes(["[Service]", "Type=oneshot", "RemainAfterExit=yes",
                                   f"ExecStart={P} {t}-main\0" + GRANT.strip()]))
reading_tree("d12-nul-line", "a line that is a single NUL, then ExecStartPost=",
             lambda t: unit_bytes(std(t)[:5] + [b"\0", f"ExecStartPost={P} {t}-post".encode()] + std(t)[5:]))
reading_tree("d13-bad-header-dropin", "an invalid section header \"[Service\" in a drop-in, before an ExecStartPost=",
             lambda t: unit_bytes(std(t)),
             lambda t: unit_bytes(["[Service]", f"ExecStopPost={P} {t}-stoppost", "[Service", f"ExecStartPost={P} {t}-post",
                                   "[Service]", f"ExecStartPost={P} {t}-post2"]))
reading_tree("d14-bad-header-fragment", "an invalid section header in the fragment, between Exec lines",
             lambda t: unit_bytes(["[Service]", "Type=oneshot", "RemainAfterExit=yes", f"ExecStart={P} {t}-main", GRANT.strip(),
                                   "[Service x", f"ExecStartPost={P} {t}-post"]))
reading_tree("d15-header-trailing", "a section header with text after \"]\" before ExecStartPost=",
             lambda t: unit_bytes(std(t)), lambda t: unit_bytes(["[Service] # comment", f"ExecStartPost={P} {t}-post"]))
reading_tree("d16-header-spaces", "a section header \"[ Service ]\" (an unknown section) before ExecStartPost=",
             lambda t: unit_bytes(std(t)), lambda t: unit_bytes(["[ Service ]", f"ExecStartPost={P} {t}-post"]))
reading_tree("d17-x-section", "an [X-Service] section with Exec lines (ignored by systemd)",
             lambda t: unit_bytes(std(t) + ["[X-Service]", f"ExecStartPost={P} {t}-ignored"]), expect=("start", "runs=1"))
reading_tree("d18-lone-semicolon", "a lone \";\" word at the start and the end of ExecStart=",
             lambda t: unit_bytes(std(t)[:4] + [f"ExecStart=; {P} {t}-main ;"] + std(t)[5:]), expect=("start", "runs=1"))
reading_tree("d19-empty-command", "an empty command between two \";\": ExecStart=/probe a ; ; /probe b",
             lambda t: unit_bytes(std(t)[:4] + [f"ExecStart={P} {t}-a ; ; {P} {t}-b"] + std(t)[5:]), expect=("start", "runs=2"))
reading_tree("d20-semicolon-glued", "\";b\" and \"a;\" are words, not separators",
             lambda t: unit_bytes(std(t)[:4] + [f"ExecStart={P} {t}-main a; ;b"] + std(t)[5:]), expect=("start", "runs=1"))
reading_tree("d21-comment-in-continuation", "a '#' line and a line starting with ';' (a comment too) inside a continued ExecStart=: both dropped",
             lambda t: unit_bytes(std(t)[:4] + [f"ExecStart={P} {t}-main \\", f"#ExecStartPost={P} {t}-comment \\",
                                                f"  ; {P} {t}-second"] + std(t)[5:]))
reading_tree("d22-continuation-eof", "the file ends inside a continuation (last line ends in a backslash)",
             lambda t: unit_bytes(["[Service]", "Type=oneshot", "RemainAfterExit=yes", GRANT.strip(),
                                   f"ExecStart={P} {t}-main \\", f"  {t}-arg \\"]))
reading_tree("d23-even-backslashes", "a line ending in two backslashes is not continued",
             lambda t: unit_bytes(std(t)[:4] + [f"ExecStart={P} {t}-main a\\\\\\\\", f"ExecStartPost={P} {t}-post"] + std(t)[5:]))
reading_tree("d24-empty-line-ends-continuation", "an empty line inside a continuation",
             lambda t: unit_bytes(std(t)[:4] + [f"ExecStart={P} {t}-main \\", "", f"ExecStartPost={P} {t}-post"] + std(t)[5:]))
reading_tree("d25-invalid-utf8-arg", "an invalid UTF-8 byte in an ExecStartPost= argument",
             lambda t: unit_bytes(std(t) + [f"ExecStartPost={P} {t}-post ".encode() + b"\xff\xfe"]))
reading_tree("d26-key-spaces", "spaces around the key and \"=\": \"  ExecStartPost  =  /probe\"",
             lambda t: unit_bytes(std(t) + [f"  ExecStartPost  =  {P} {t}-post  "]), expect=("start", "runs=2"))
reading_tree("d27-key-case", "\"execstartpost=\" in lower case is an unknown key",
             lambda t: unit_bytes(std(t) + [f"execstartpost={P} {t}-ignored"]), expect=("start", "runs=1"))
reading_tree("d28-exec-in-unit-section", "ExecStartPost= in the [Unit] section (unknown there)",
             lambda t: unit_bytes(["[Unit]", f"ExecStartPost={P} {t}-ignored"] + std(t)), expect=("start", "runs=1"))
reading_tree("d29-outside-section", "an Exec line before any section header in a drop-in",
             lambda t: unit_bytes(std(t)), lambda t: unit_bytes([f"ExecStartPost={P} {t}-ignored", "[Service]"]),
             expect=("start", "runs=1"))
reading_tree("d30-tabs", "tabs between the words and around the value",
             lambda t: unit_bytes(std(t)[:4] + [f"ExecStart=\t{P}\t{t}-main\targ\t"] + std(t)[5:]), expect=("start", "runs=1"))
reading_tree("d31-prefix-only", "\"ExecStartPost=-\" (a prefix and no command: ignored)",
             lambda t: unit_bytes(std(t) + ["ExecStartPost=-"]))
reading_tree("d32-unterminated-quote-dash", "a \";\" line whose second command has an unterminated quote and \"-\"",
             lambda t: unit_bytes(std(t) + [f"ExecStartPost={P} {t}-post ; -{P} \"{t}-broken"]))
reading_tree("d33-unterminated-quote", "an unterminated quote without \"-\"",
             lambda t: unit_bytes(std(t) + [f"ExecStartPost={P} \"{t}-broken"]))
reading_tree("d34-duplicate-section", "two [Service] sections, Exec lines in both",
             lambda t: unit_bytes(std(t) + ["[Unit]", "Description=between", "[Service]", f"ExecStartPost={P} {t}-post"]),
             expect=("start", "runs=2"))
reading_tree("d35-whitespace-value", "\"ExecStartPost=   \" (whitespace only) resets the list",
             lambda t: unit_bytes(std(t)[:5] + [f"ExecStartPost={P} {t}-dropped", "ExecStartPost=   "] + std(t)[5:]),
             expect=("start", "runs=1"))
reading_tree("d36-cr-in-dropin-name-content", "CR line ends in a drop-in that resets ExecStart=",
             lambda t: unit_bytes(std(t)), lambda t: unit_bytes(["[Service]", "ExecStart=", f"ExecStart={P} {t}-new"], b"\r"),
             expect=("start", "runs=1"))
reading_tree("d37-nul-in-dropin", "a NUL in a drop-in: the ExecStart= reset after it still applies",
             lambda t: unit_bytes(std(t)), lambda t: b"[Service]\nExecStartPost=" + P.encode() + f" {t}-post\0ExecStart=\nExecStart={P} {t}-new\n".encode())
reading_tree("d38-backslash-space-end", "a line ending in a backslash and a space is not continued",
             lambda t: unit_bytes(std(t)[:4] + [f"ExecStart={P} {t}-main \\ ", f"ExecStartPost={P} {t}-post"] + std(t)[5:]))

# From test-conf-parser.c, TEST(config_parse) (the config_file[] situations), applied to Exec lines.
reading_tree("t10-confparser-comment-continued", "test-conf-parser.c config_parse: a comment ending in a backslash does not continue",
             lambda t: unit_bytes(std(t)[:5] + [f"#ExecStartPost={P} {t}-comment \\", f"ExecStartPost={P} {t}-post"] + std(t)[5:]),
             expect=("start", "runs=2"))
reading_tree("t11-confparser-indented-comment", "test-conf-parser.c config_parse: an indented comment inside a continuation",
             lambda t: unit_bytes(std(t)[:4] + [f"   ExecStart={P} {t}-main \\", f"   #{t}-commented \\", f"{t}-arg"] + std(t)[5:]),
             expect=("start", "runs=1"))
reading_tree("t12-confparser-trailing-escapes", "test-conf-parser.c config_parse: three backslashes at the end continue the line",
             lambda t: unit_bytes(std(t)[:4] + [f"ExecStart={P} {t}-main a\\\\\\", f"\\\\b"] + std(t)[5:]))
reading_tree("t13-confparser-no-final-newline", "test-conf-parser.c config_parse: no newline at the end of the file",
             lambda t: unit_bytes(std(t) + [f"ExecStartPost={P} {t}-post"])[:-1], expect=("start", "runs=2"))
reading_tree("t14-confparser-repeated", "test-conf-parser.c config_parse: repeated sections and settings",
             lambda t: unit_bytes(["[Service]", "[Service]"] + std(t)[1:] + [f"ExecStartPost={P} {t}-p1", f"ExecStartPost=    {P} {t}-p2 \t"]),
             expect=("start", "runs=3"))
reading_tree("t15-confparser-long-line", "test-conf-parser.c config_parse: a line above LINE_MAX (4000 bytes of argument)",
             lambda t: unit_bytes(std(t) + [f"ExecStartPost={P} {t}-post " + "ABCD" * 1000]), expect=("start", "runs=2"))
reading_tree("t16-confparser-over-limit", "test-conf-parser.c config_parse: continuation lines, together above LONG_LINE_MAX",
             lambda t: unit_bytes(std(t)[:4] + [f"ExecStart={P} {t}-main \\"] + [" ".join(["x" * 1000] * 27) + " abcde \\"] * 40 + ["end"] + std(t)[5:]))

# From test-load-fragment.c, TEST(config_parse_exec): the situations of ExecStart= parsing.
EXEC_CASES = [
    ("slashes", "{P_SLASHES} {t}-main r1///", "path with repeated slashes (simplified), argument with slashes", ("start", "runs=1")),
    ("argv0-slashes", "@{P_SLASHES} ///argv0 {t}-main", "\"@\" with repeated slashes in the path", ("start", "runs=1")),
    ("ignore-argv0", "-@{P} argv0a {t}-main", "\"-@\" prefixes", ("start", "runs=1")),
    ("argv0-ignore", "@-{P} argv0b {t}-main", "\"@-\" prefixes", ("start", "runs=1")),
    ("ignore-ignore", "--{P} {t}-main", "\"--\" (the second \"-\" is not a prefix)", ()),
    ("semicolon", "-@{P} argv0 {t}-a ; {P} {t}-b", "two commands with a \";\"", ("start", "runs=2")),
    ("two-semicolons", "-@{P} argv0 {t}-a ; ; {P} {t}-b", "two \";\" in a row", ("start", "runs=2")),
    ("trailing-semicolon-quoted", "-@{P} argv0 {t}-a ';'", "a quoted \";\" at the end is an argument", ("start", "runs=1")),
    ("escaped-semicolon", "{P} {t}-main \\;", "an escaped \";\" is an argument", ("start", "runs=1")),
    ("escaped-semicolon-arg", "{P} {t}-main \\; {t}-x", "an escaped \";\" followed by an argument", ("start", "runs=1")),
    ("encoded-semicolon", "{P} {t}-main \\073", "\";\" encoded as \\073", ("start", "runs=1")),
    ("quoted-semicolon-arg", "{P} {t}-main \";\" {t}-x", "a double-quoted \";\" with a following argument", ("start", "runs=1")),
    ("quoted-path", "\"{P}\" {t}-main", "the path in double quotes", ("start", "runs=1")),
    ("single-quoted", "'{P}' '{t}-main' 'a b'", "single quotes", ("start", "runs=1")),
    ("escaped-path", "\\x2f{P_NOSLASH} {t}-main", "the path's first \"/\" written \\x2f", ("start", "runs=1")),
    ("backslash-s", "{P} {t}-main a\\sb", "\\s (a space) inside an argument", ("start", "runs=1")),
    ("quoted-backslashes", "{P} {t}-main '\\w+\\K'", "quoted backslashes", ("start", "runs=1")),
    ("invalid-escape", "{P} {t}-main \\q", "an invalid escape \\q (refused by systemd)", ()),
    ("trailing-backslash", "{P} {t}-main\\", "a trailing backslash in the path word", ()),
    ("space-after-prefix", "- {P} {t}-main", "a space between the prefix and the path (the line is ignored)", ()),
    ("missing-quote-dash", "-{P} '{t}-main", "an unterminated quote after \"-\" (the line is ignored)", ()),
    ("directory-path", "{T}/ {t}-main", "a path ending in \"/\" (a directory: refused)", ()),
    ("argv0-no-args", "@{P}", "\"@\" with no argv[0] word", ()),
]
for i, (slug, line, what, exp) in enumerate(EXEC_CASES, 20):
    t = f"t{i:02d}"
    u = f"d{t}.service"
    value = line.replace("{P_SLASHES}", P.replace("/differential/", "///differential//")) \
        .replace("{P_NOSLASH}", P[1:]).replace("{P}", P).replace("{T}", T).replace("{t}", t)
    tree(f"{t}-exec-{slug}", f"test-load-fragment.c config_parse_exec: {what}") \
        .file(f"{ETC}/{u}", service(f"ExecStart={P} {t}-first\nExecStartPost={value}\n")) \
        .unit(u, *[f"runs={int(e[5:]) + 1}" if e.startswith("runs=") else e for e in exp])

# --- e: word injection ---------------------------------------------------------------------------------

INJECT = [
    ("argv0-var", "@{P} $VAR {t}-main", 'VAR="x --path=/:rwx"', "\"@\" with $VAR (unbraced, split into words) as argv[0]; VAR holds a policy option"),
    ("argv0-var-braced", "@{P} ${VAR} {t}-main", 'VAR="x --path=/:rwx"', "\"@\" with ${VAR} (one word) as argv[0]"),
    ("argv0-var-dashdash", "@{P} $VAR {t}-main", 'VAR="-- --path=/:rwx"', "\"@\" with $VAR = \"-- --path=/:rwx\" as argv[0]"),
    ("argv0-var-canary", "@{P} $VAR {t}-main", 'VAR="x --path=/etc/differential-canary"',
     "\"@\" with $VAR granting the canary's directory"),
    ("argv0-var-dash-bang", "-!@{P} $VAR {t}-main", 'VAR="x --path=/:rwx"', "\"-!@\" with $VAR as argv[0]"),
    ("arg-var", "{P} {t}-main $VAR", 'VAR="--path=/:rwx -- x"', "$VAR as an argument of the command"),
    ("no-env-argv0", ":@{P} $VAR {t}-main", 'VAR="x --path=/:rwx"', "\":@\": $VAR is not expanded"),
    ("argv0-var-unit", "@{P} $VAR {t}-main", 'VAR="x --unit=other.service --error="',
     "$VAR injecting --unit= and an empty --error="),
    ("argv0-var-allow", "@{P} $VAR {t}-main", 'VAR="x --compat=best-effort --handle-fs --path=-/etc:ro"',
     "$VAR injecting a grant of /etc"),
    ("argv0-envfile", "@{P} $VAR {t}-main", None, "\"@\" with $VAR from an EnvironmentFile="),
]
for i, (slug, line, env, what) in enumerate(INJECT, 1):
    t = f"e{i:02d}"
    u = f"d{t}.service"
    value = line.replace("{P}", P).replace("{t}", t)
    tr = tree(f"{t}-{slug}", what)
    if env is None:
        tr.file(f"etc/systemd/d{t}.env", 'VAR=x --path=/:rwx\n')
        env_line = f"EnvironmentFile=/etc/systemd/d{t}.env\n"
    else:
        env_line = f"Environment={env}\n"
    tr.file(f"{ETC}/{u}", service(f"{env_line}ExecStart={value}\n")).unit(u)
tree("e11-instance-specifier-argv0", "\"@\" with %I (an unescaped instance holding \" --path=/:rwx\") as argv[0]") \
    .file(f"{USR}/de11@.service", service(f"ExecStart=@{P} %I e11-main\n")) \
    .unit("de11@x\\x20--path\\x3d-:rwx.service")
tree("e12-dollar-dollar", "$$ in arguments and in a Landlock path") \
    .file(f"{ETC}/de12.service", service(f"ExecStart={P} e12-main $$HOME\nLandlockReadOnlyPaths=-/run/e12$$x\n")) \
    .unit("de12.service")

# --- f: preloaded libraries ----------------------------------------------------------------------------

tree("f01-ld-preload-static", "Environment=LD_PRELOAD= with the static probe: the library must not run unconfined in the enforcer") \
    .file(f"{ETC}/df01.service", service(f"Environment=LD_PRELOAD={PRELOAD} DPRELOAD_TAG=f01\nExecStart={P} f01-main\n")) \
    .unit("df01.service", "runs=1")
tree("f02-ld-preload-dynamic", "Environment=LD_PRELOAD= with a dynamic command: the library runs, confined, in the command") \
    .file(f"{ETC}/df02.service", service(f"Environment=LD_PRELOAD={PRELOAD} DPRELOAD_TAG=f02\nExecStart={PDYN} f02-main\n")) \
    .unit("df02.service", "runs=1")
tree("f03-ld-so-preload", "/etc/ld.so.preload loads the library into every program; the unit sets its tag") \
    .file(f"{ETC}/df03.service", service(f"Environment=DPRELOAD_TAG=f03\nExecStart={PDYN} f03-main\nExecStartPost={P} f03-post\n")) \
    .file("fixtures/etc/ld.so.preload", f"{PRELOAD}\n") \
    .unit("df03.service", "runs=2")
tree("f04-preload-envfile", "LD_PRELOAD= from an EnvironmentFile=") \
    .file("etc/systemd/df04.env", f"LD_PRELOAD={PRELOAD}\nDPRELOAD_TAG=f04\n") \
    .file(f"{ETC}/df04.service", service(f"EnvironmentFile=/etc/systemd/df04.env\nExecStart={P} f04-main\n")) \
    .unit("df04.service", "runs=1")
tree("f05-ld-audit", "Environment=LD_AUDIT= (an auditing library also runs its constructor)") \
    .file(f"{ETC}/df05.service", service(f"Environment=LD_AUDIT={PRELOAD} DPRELOAD_TAG=f05\nExecStart={P} f05-main\n")) \
    .unit("df05.service", "runs=1")
tree("f06-preload-late-dropin", "LD_PRELOAD= set in a \"zzz\" drop-in") \
    .file(f"{ETC}/df06.service", service(f"ExecStart={P} f06-main\n")) \
    .file(f"{ETC}/df06.service.d/zzz-env.conf", f"[Service]\nEnvironment=LD_PRELOAD={PRELOAD} DPRELOAD_TAG=f06\n") \
    .unit("df06.service", "runs=1")

# --- g: seccomp ----------------------------------------------------------------------------------------

SECCOMP = [
    ("create-enosys", "SystemCallFilter=~landlock_create_ruleset\nSystemCallErrorNumber=ENOSYS\n", "deny landlock_create_ruleset with ENOSYS (looks like a kernel without Landlock)"),
    ("create-eperm", "SystemCallFilter=~landlock_create_ruleset\nSystemCallErrorNumber=EPERM\n", "deny landlock_create_ruleset with EPERM"),
    ("create-eopnotsupp", "SystemCallFilter=~landlock_create_ruleset\nSystemCallErrorNumber=EOPNOTSUPP\n", "deny landlock_create_ruleset with EOPNOTSUPP (looks like Landlock disabled at boot)"),
    ("restrict-enosys", "SystemCallFilter=~landlock_restrict_self\nSystemCallErrorNumber=ENOSYS\n", "deny landlock_restrict_self with ENOSYS"),
    ("add-rule-enosys", "SystemCallFilter=~landlock_add_rule\nSystemCallErrorNumber=ENOSYS\n", "deny landlock_add_rule with ENOSYS"),
    ("all-kill", "SystemCallFilter=~landlock_create_ruleset landlock_add_rule landlock_restrict_self\n", "deny all three, default action (kill)"),
    ("sandbox-enosys", "SystemCallFilter=~@sandbox\nSystemCallErrorNumber=ENOSYS\n", "deny ~@sandbox (257+: holds the Landlock calls) with ENOSYS"),
    ("per-call-errno", "SystemCallFilter=~landlock_create_ruleset:ENOSYS\n", "per-call errno: ~landlock_create_ruleset:ENOSYS"),
    ("allow-system-service", "SystemCallFilter=@system-service\n", "allow-list @system-service (252 lacks the Landlock calls there)"),
    ("allow-then-deny", "SystemCallFilter=@system-service\nSystemCallErrorNumber=ENOSYS\n", "allow-list, then a \"zzz\" drop-in denies landlock_create_ruleset"),
    ("allow-reset-late", "SystemCallFilter=@system-service\n", "allow-list, then a \"zzz\" drop-in resets it to a new allow-list without Landlock, ENOSYS"),
    ("strict-enosys", "SystemCallFilter=~landlock_create_ruleset\nSystemCallErrorNumber=ENOSYS\nLandlockCompatibility=strict\n", "ENOSYS with LandlockCompatibility=strict"),
    ("deny-late-dropin", "", "a \"zzz\" drop-in adds ~landlock_create_ruleset with ENOSYS"),
    ("allow-basic-io", "SystemCallFilter=@basic-io @file-system @process @signal @io-event @network-io @default\nSystemCallErrorNumber=ENOSYS\n", "a narrow allow-list with ENOSYS"),
]
for i, (slug, body, what) in enumerate(SECCOMP, 1):
    t = f"g{i:02d}"
    u = f"d{t}.service"
    tr = tree(f"{t}-{slug}", what).file(f"{ETC}/{u}", service(f"{body}ExecStart={P} {t}-main\n"))
    if slug == "allow-then-deny":
        tr.file(f"{ETC}/{u}.d/zzz-deny.conf", "[Service]\nSystemCallFilter=~landlock_create_ruleset\n")
    elif slug == "allow-reset-late":
        tr.file(f"{ETC}/{u}.d/zzz-reset.conf", "[Service]\nSystemCallFilter=\nSystemCallFilter=@basic-io @file-system @process @signal @default\nSystemCallErrorNumber=ENOSYS\n")
    elif slug == "deny-late-dropin":
        tr.file(f"{ETC}/{u}.d/zzz-deny.conf", "[Service]\nSystemCallFilter=~landlock_create_ruleset\nSystemCallErrorNumber=ENOSYS\n")
    exp = ("start", "runs=1") if slug in ("allow-system-service", "allow-basic-io") else ()
    tr.unit(u, *exp)

# --- h: rule paths beneath writable grants -------------------------------------------------------------

SWAP = [
    ("dir-to-canary", "w/sub", "/etc/differential-canary", "LandlockReadOnlyPaths= on a directory beneath a writable grant, swapped for a symlink to the canary's directory"),
    ("file-to-canary", "w/f", "/etc/differential-canary/canary", "LandlockReadOnlyPaths= on a file beneath a writable grant, swapped for a symlink to the canary"),
    ("dir-to-root", "w/sub", "/", "a read-only rule beneath a writable grant, swapped for a symlink to /"),
    ("exec-to-etc", "w/bin", "/etc", "LandlockExecPaths= beneath a writable grant, swapped for a symlink to /etc"),
]
for i, (slug, rel, target, what) in enumerate(SWAP, 1):
    t = f"h{i:02d}"
    u = f"d{t}.service"
    base = f"/run/differential-{t}"
    key = "LandlockExecPaths" if slug.startswith("exec") else "LandlockReadOnlyPaths"
    tr = tree(f"{t}-{slug}", what + "; the service swaps it during its first start, the second start follows it")
    tr.file(f"{ETC}/{u}", service(
        f"ExecStart={P} {t}-main swap-symlink {base}/{rel} {target}\n"
        f"LandlockReadWritePaths={base}/w\n{key}=-{base}/{rel}\n"))
    if rel.endswith("/f"):
        tr.file(f"fixtures/run/differential-{t}/{rel}", "a file\n")
    else:
        tr.mkdir(f"fixtures/run/differential-{t}/{rel}")
    tr.unit(u, "starts=2")

# --- i: edited after the last daemon-reload ------------------------------------------------------------

tree("i01-new-dropin-file", "after the last daemon-reload, a new drop-in file (in an existing directory) adds ExecStartPost=") \
    .file(f"{ETC}/di01.service", service(f"ExecStart={P} i01-main\n")) \
    .file(f"{ETC}/di01.service.d/10-x.conf", "[Service]\nEnvironment=X=1\n") \
    .file(f"after-boot/{ETC}/di01.service.d/50-added.conf", f"[Service]\nExecStartPost={P} i01-post\n") \
    .unit("di01.service")
tree("i02-new-dropin-dir", "after the last daemon-reload, a new drop-in directory with ExecStartPost=") \
    .file(f"{ETC}/di02.service", service(f"ExecStart={P} i02-main\n")) \
    .file(f"after-boot/{ETC}/di02.service.d/50-added.conf", f"[Service]\nExecStartPost={P} i02-post\n") \
    .unit("di02.service")
tree("i03-fragment-edited", "after the last daemon-reload, the fragment's commands are replaced") \
    .file(f"{ETC}/di03.service", service(f"ExecStart={P} i03-old\n")) \
    .file(f"after-boot/{ETC}/di03.service", service(f"ExecStart={P} i03-new\nExecStartPost={P} i03-new-post\n")) \
    .unit("di03.service")
tree("i04-late-dropin-after-boot", "after the last daemon-reload, a \"zzz\" drop-in (it sorted after the old zz-landlock.conf) resets ExecStart=") \
    .file(f"{ETC}/di04.service", service(f"ExecStart={P} i04-main\n")) \
    .file(f"{ETC}/di04.service.d/10-x.conf", "[Service]\nEnvironment=X=1\n") \
    .file(f"after-boot/{ETC}/di04.service.d/zzz-reset.conf", f"[Service]\nExecStart=\nExecStart={P} i04-new\n") \
    .unit("di04.service")
# A drop-in added later whose name sorts after ~landlock.conf ("~m…", non-ASCII) is the documented limit
# (systemd.landlock(5)); one that sorts before it must not get through.
tree("i09-tilde-dropin-after-boot", "after the last daemon-reload, a \"~a\" drop-in (sorting before ~landlock.conf) resets ExecStart=") \
    .file(f"{ETC}/di09.service", service(f"ExecStart={P} i09-main\n")) \
    .file(f"{ETC}/di09.service.d/10-x.conf", "[Service]\nEnvironment=X=1\n") \
    .file(f"after-boot/{ETC}/di09.service.d/~a-reset.conf", f"[Service]\nExecStart=\nExecStart={P} i09-new\n") \
    .unit("di09.service")
tree("i05-dropin-replaced", "after the last daemon-reload, a drop-in's command is replaced") \
    .file(f"{ETC}/di05.service", service(f"ExecStart={P} i05-main\n")) \
    .file(f"{ETC}/di05.service.d/50-post.conf", f"[Service]\nExecStartPost={P} i05-post-old\n") \
    .file(f"after-boot/{ETC}/di05.service.d/50-post.conf", f"[Service]\nExecStartPost={P} i05-post-new\nExecStopPost={P} i05-stoppost-new\n") \
    .unit("di05.service")
tree("i06-run-dropin-added", "after the last daemon-reload, a drop-in appears in /run for a unit in /usr/lib") \
    .file(f"{USR}/di06.service", service(f"ExecStart={P} i06-main\n")) \
    .file(f"{RUN}/di06.service.d/10-x.conf", "[Service]\nEnvironment=X=1\n") \
    .file(f"after-boot/{RUN}/di06.service.d/zzz-post.conf", f"[Service]\nExecStartPost={P} i06-post\n") \
    .unit("di06.service")
# A unit that gets its first Landlock directive after the last daemon-reload is the documented limit
# (systemd.landlock(5)): no generator has seen it. "systemd-landlock security" flags it (test/units).
tree("i08-template-instance-dropin", "after the last daemon-reload, an instance drop-in appears for a template with directives") \
    .file(f"{USR}/di08@.service", service(f"ExecStart={P} i08-main %i\n")) \
    .file(f"{ETC}/di08@.service.d/10-x.conf", "[Service]\nEnvironment=X=1\n") \
    .file(f"after-boot/{ETC}/di08@.service.d/zzz-post.conf", f"[Service]\nExecStartPost={P} i08-post\n") \
    .unit("di08@a.service")

# --- j: ExecCondition with invalid directives ----------------------------------------------------------

INVALID = [
    ("relative-path", "LandlockPaths=relative/path\n", "a relative path"),
    ("bad-right", "LandlockPaths=/run/differential:rw,fly\n", "an unknown access right"),
    ("bad-port", "LandlockBindPorts=tcp:99999\n", "a port out of range"),
    ("bad-scope", "LandlockScope=everything\n", "an unknown scope"),
    ("dash-condition", "LandlockPaths=relative/path\n", "a relative path, ExecCondition= with \"-\""),
    ("wrong-section", None, "a Landlock directive in [Unit]"),
    ("bad-compat", "LandlockCompatibility=maybe\n", "an invalid LandlockCompatibility="),
    ("condition-only", "LandlockPaths=relative/path\n", "a relative path, only ExecCondition= and ExecStart="),
]
for i, (slug, bad, what) in enumerate(INVALID, 1):
    t = f"j{i:02d}"
    u = f"d{t}.service"
    cond = f"ExecCondition=-{P} {t}-cond\n" if slug == "dash-condition" else f"ExecCondition={P} {t}-cond\n"
    if bad is None:
        text = f"[Unit]\nLandlockPaths=/run\n[Service]\n{ONESHOT}{cond}ExecStart={P} {t}-main\n{GRANT}"
    elif slug == "condition-only":
        text = service(f"{cond}ExecStart={P} {t}-main\n{bad}")
    else:
        text = service(f"{cond}ExecStartPre=-{P} {t}-pre\nExecStart={P} {t}-main\nExecStopPost={P} {t}-stoppost\n{bad}")
    tree(f"{t}-{slug}", f"ExecCondition= in a unit whose Landlock directives are invalid ({what}): the start must fail, not be skipped") \
        .file(f"{ETC}/{u}", text).unit(u, "fail", "runs=0")

# --- k: sockets ----------------------------------------------------------------------------------------

tree("k01-socket-all", "a socket with a command in each of its four Exec settings") \
    .file(f"{ETC}/dk01.socket", service(f"ListenStream=/run/dk01.sock\nExecStartPre={P} k01-pre\nExecStartPost={P} k01-post\n"
                                        f"ExecStopPre={P} k01-stoppre\nExecStopPost={P} k01-stoppost\n", head="", section="Socket")) \
    .file(f"{ETC}/dk01.service", service(f"ExecStart={P} k01-service\n")) \
    .unit("dk01.socket", "start", "runs=4")
tree("k02-socket-tilde", "a socket whose \"~\" drop-in adds ExecStartPost=") \
    .file(f"{ETC}/dk02.socket", service(f"ListenStream=/run/dk02.sock\nExecStartPre={P} k02-pre\n", head="", section="Socket")) \
    .file(f"{ETC}/dk02.socket.d/~post.conf", f"[Socket]\nExecStartPost={P} k02-post\n") \
    .file(f"{ETC}/dk02.service", service(f"ExecStart={P} k02-service\n")) \
    .unit("dk02.socket")
tree("k03-socket-zzz", "a socket whose \"zzz\" drop-in adds ExecStopPre=") \
    .file(f"{ETC}/dk03.socket", service(f"ListenStream=/run/dk03.sock\nExecStartPre={P} k03-pre\n", head="", section="Socket")) \
    .file(f"{ETC}/dk03.socket.d/zzz-post.conf", f"[Socket]\nExecStopPre={P} k03-stoppre\n") \
    .file(f"{ETC}/dk03.service", service(f"ExecStart={P} k03-service\n")) \
    .unit("dk03.socket", "start", "runs=2")
tree("k04-socket-invalid", "a socket with an invalid Landlock directive") \
    .file(f"{ETC}/dk04.socket", service(f"ListenStream=/run/dk04.sock\nExecStartPre={P} k04-pre\nLandlockPaths=relative\n", head="", section="Socket")) \
    .file(f"{ETC}/dk04.service", service(f"ExecStart={P} k04-service\n")) \
    .unit("dk04.socket", "refuse")
tree("k05-socket-semicolons", "a socket ExecStartPre= with three commands and prefixes") \
    .file(f"{ETC}/dk05.socket", service(f"ListenStream=/run/dk05.sock\nExecStartPre=-{P} k05-a ; @{P} argv0 k05-b ; :{P} k05-c\n", head="", section="Socket")) \
    .file(f"{ETC}/dk05.service", service(f"ExecStart={P} k05-service\n")) \
    .unit("dk05.socket", "start", "runs=3")
tree("k06-socket-template-service", "an Accept=yes socket (template service) with directives on both") \
    .file(f"{ETC}/dk06.socket", service(f"ListenStream=/run/dk06.sock\nAccept=yes\nExecStartPost={P} k06-post\n", head="", section="Socket")) \
    .file(f"{ETC}/dk06@.service", service(f"ExecStart={P} k06-service\n", head="")) \
    .unit("dk06.socket", "start", "runs=1")
tree("k07-socket-directives-in-dropin", "the socket's Landlock directives come from a drop-in in /run") \
    .file(f"{USR}/dk07.socket", f"[Socket]\nListenStream=/run/dk07.sock\nExecStartPre={P} k07-pre\n") \
    .file(f"{RUN}/dk07.socket.d/50-landlock.conf", f"[Socket]\n{GRANT}") \
    .file(f"{USR}/dk07.service", service(f"ExecStart={P} k07-service\n")) \
    .unit("dk07.socket", "start", "runs=1")

# --- n: newer systemd ----------------------------------------------------------------------------------

tree("n01-pipe-prefix", "the \"|\" prefix (systemd 258+: run through the user's shell); older systemd rejects the line") \
    .file(f"{ETC}/dn01.service", service(f"ExecStart={P} n01-main\nExecStartPost=|{P} n01-post\n")) \
    .unit("dn01.service")
tree("n02-reload-post", "ExecReloadPost= (systemd 262): a command the generator may not know") \
    .file(f"{ETC}/dn02.service", service(f"ExecStart={P} n02-main\nExecReload={P} n02-reload\nExecReloadPost={P} n02-reloadpost\n")) \
    .unit("dn02.service", "runs=3@>=262", "runs=2@<262")
tree("n03-reload-post-late", "ExecReloadPost= from a \"zzz\" drop-in") \
    .file(f"{ETC}/dn03.service", service(f"ExecStart={P} n03-main\nExecReload={P} n03-reload\n")) \
    .file(f"{ETC}/dn03.service.d/zzz-post.conf", f"[Service]\nExecReloadPost={P} n03-reloadpost\n") \
    .unit("dn03.service")
tree("n04-pipe-dash-prefix", "\"-|\" prefixes") \
    .file(f"{ETC}/dn04.service", service(f"ExecStart=-|{P} n04-main\n")) \
    .unit("dn04.service")

# --- l: the life of a confined service ---------------------------------------------------------------

tree("l01-control-commands-signal", "LandlockScope=signal: the commands that control the main process are wrapped and confined (without signal scoping), the others with it") \
    .file(f"{ETC}/dl01.service", service(
        f"ExecStartPre={P} l01-pre\nExecStart={P} l01-main\nExecStartPost={P} l01-post\nExecReload={P} l01-reload\n"
        f"ExecStop={P} l01-stop\nExecStopPost={P} l01-stoppost\nLandlockScope=signal abstract-unix-socket\n")) \
    .unit("dl01.service", "start", "runs=6")
tree("l02-noexec-paths", "NoExecPaths=/ with ExecPaths= (Debian's redis unit): the generator adds the enforcer to ExecPaths=") \
    .file(f"{ETC}/dl02.service", service(f"NoExecPaths=/\nExecPaths={P}\nExecStart={P} l02-main\nExecStop={P} l02-stop\n")) \
    .unit("dl02.service", "start", "runs=2")
tree("l03-enforcer-inaccessible", "InaccessiblePaths= hides the enforcer: the unit is refused, nothing runs") \
    .file(f"{ETC}/dl03.service", service(f"InaccessiblePaths=/usr/libexec\nExecStart={P} l03-main\n")) \
    .unit("dl03.service", "refuse")
tree("l04-enforcer-own-root", "RootDirectory= without the enforcer bound in: refused (when unsure, refuse)") \
    .file(f"{ETC}/dl04.service", service(f"RootDirectory=/\nExecStart={P} l04-main\n")) \
    .unit("dl04.service", "refuse")
tree("l05-syslog-identifier", "SyslogIdentifier= set: commands run through the enforcer's own path") \
    .file(f"{ETC}/dl05.service", service(f"SyslogIdentifier=dl05\nExecStart=@{P} l05-argv0 l05-main\n")) \
    .unit("dl05.service", "start", "runs=1")
tree("l06-identity-links-hidden", "the generator directory hidden from the service: its links are not used") \
    .file(f"{ETC}/dl06.service", service(f"InaccessiblePaths=/run/systemd/generator\nExecStart={P} l06-main\n")) \
    .unit("dl06.service", "start", "runs=1")
tree("l07-allow-programs", "LandlockAllowPrograms=: the program a wrapper execs runs confined") \
    .file(f"{ETC}/dl07.service", service(
        f"ExecStart=/bin/sh -c 'exec {P} l07-main'\nLandlockAllowPrograms={P}\n")) \
    .unit("dl07.service", "start", "runs=1")

# --- o: several commands -------------------------------------------------------------------------------

tree("o01-oneshot-several", "Type=oneshot with several ExecStart= lines") \
    .file(f"{ETC}/do01.service", service(f"ExecStart={P} o01-a\nExecStart={P} o01-b\nExecStart=-{P} o01-c\n")) \
    .unit("do01.service", "start", "runs=3")
tree("o02-oneshot-reset-between", "ExecStart= lines with a reset in between") \
    .file(f"{ETC}/do02.service", service(f"ExecStart={P} o02-dropped\nExecStart=\nExecStart={P} o02-a\nExecStart={P} o02-b\n")) \
    .unit("do02.service", "start", "runs=2")
tree("o03-semicolons-prefixes", "one ExecStart= with four commands and different prefixes, one of them \"+\"") \
    .file(f"{ETC}/do03.service", service(f"ExecStart={P} o03-a ; -{P} o03-b ; @{P} argv0 o03-c ; +{P} o03-d\n")) \
    .unit("do03.service", "start", "runs=4", "unconfined-runs=1")
tree("o04-semicolons-across-dropins", "commands split over the fragment and two drop-ins, with resets") \
    .file(f"{ETC}/do04.service", service(f"ExecStart={P} o04-a ; {P} o04-b\nExecStartPost={P} o04-post-dropped\n")) \
    .file(f"{ETC}/do04.service.d/10-a.conf", f"[Service]\nExecStart={P} o04-c\nExecStartPost=\n") \
    .file(f"{ETC}/do04.service.d/20-b.conf", f"[Service]\nExecStartPost={P} o04-post ; {P} o04-post2\n") \
    .unit("do04.service", "start", "runs=5")
tree("o05-user-nobody", "User=nobody (the enforcer needs no_new_privs) with \"!\" and \"!!\" commands") \
    .file(f"{ETC}/do05.service", service(f"User=nobody\nExecStart={P} o05-main\nExecStartPost=!{P} o05-bang\nExecStartPost=!!{P} o05-bangbang\n")) \
    .unit("do05.service", "start", "runs=3")
tree("o06-dynamic-user", "DynamicUser=yes with ExecStartPre= and ExecStart=") \
    .file(f"{ETC}/do06.service", service(f"DynamicUser=yes\nReadWritePaths=/run/differential\nExecStartPre={P} o06-pre\nExecStart={P} o06-main\n")) \
    .unit("do06.service", "start", "runs=2")
tree("o07-specifiers-args", "specifiers in arguments and argv[0]: %n %N %i %% of an instance") \
    .file(f"{USR}/do07@.service", service(f"ExecStart=@{P} %N o07-main %n %i %%i\n")) \
    .unit("do07@inst.service", "start", "runs=1")
tree("o08-no-new-privileges", "NoNewPrivileges=yes with ProtectSystem=strict (the records directory stays writable)") \
    .file(f"{ETC}/do08.service", service(f"NoNewPrivileges=yes\nProtectSystem=strict\nReadWritePaths=/run/differential\nExecStart={P} o08-main\n")) \
    .unit("do08.service", "start", "runs=1")

tree("o09-empty-argv0", "\"@\" with an empty argv[0] (\"\")") \
    .file(f"{ETC}/do09.service", service(f'ExecStart=@{P} "" o09-main x\n')) \
    .unit("do09.service", "start", "runs=1")
tree("o10-dash-command", "\"--\": the \"-\" prefix and a command named \"-\" (not found, ignored)") \
    .file(f"{ETC}/do10.service", service(f"ExecStartPre=-- o10-pre\nExecStart={P} o10-main\n")) \
    .unit("do10.service", "start", "runs=1")
tree("o11-odd-words", "a \"%\" before a non-ASCII letter, \"$$\", \"\\;\" and a quoted \"\\;\" as arguments") \
    .file(f"{ETC}/do11.service", service(f'ExecStart={P} o11-main %\u00fc $$ \\; "\\;"\n')) \
    .unit("do11.service", "start", "runs=1")
tree("o12-prefix-then-tab", "\"-\", a tab, then the command: systemd ignores the line (empty path), the generator refuses the unit") \
    .file(f"{ETC}/do12.service", service(f"ExecStart=-\t{P} o12-main\n")) \
    .unit("do12.service", "refuse")

# --- p: Exec prefixes ----------------------------------------------------------------------------------

PREFIXES = ["-", "@", ":", "+", "!", "!!", "-@", "@-", ":-", "-:@", "@:", "-+", "+-", "+@", "@+", ":+", "+:",
            "!-", "-!", "!!-", "-!!", "@!!", "!!@", ":!", "-@:!!", "+:@-", "+!", "!+", "@@", "!!!", "::", "+!!"]
for i, pre in enumerate(PREFIXES, 1):
    t = f"p{i:02d}"
    u = f"d{t}.service"
    argv0 = f" argv0-{t}" if "@" in pre else ""
    valid = pre not in ("+!", "!+", "@@", "!!!", "::", "+!!")
    slug = pre.replace("-", "dash").replace("@", "at").replace(":", "colon").replace("+", "plus").replace("!", "bang")
    exp = ("start", "runs=2") if valid else ()
    if valid and "+" in pre:
        exp = exp + ("unconfined-runs=1",)
    tree(f"{t}-prefix-{slug}", f"ExecStartPost= with the prefix \"{pre}\"" + ("" if valid else " (not a valid combination)")) \
        .file(f"{ETC}/{u}", service(f"ExecStart={P} {t}-main\nExecStartPost={pre}{P}{argv0} {t}-post\n")) \
        .unit(u, *exp)

# --- s: ExecSearchPath ---------------------------------------------------------------------------------

tree("s01-search-path", "ExecSearchPath= and a command given by name") \
    .file(f"{ETC}/ds01.service", service(f"ExecSearchPath={T}\nExecStart=dprobe s01-main\n")) \
    .unit("ds01.service", "start", "runs=1")
tree("s02-search-path-reset", "ExecSearchPath= reset by a later drop-in: the name is looked up in the default path") \
    .file(f"{ETC}/ds02.service", service(f"ExecSearchPath={T}\nExecStart=dprobe s02-main\n")) \
    .file(f"{ETC}/ds02.service.d/zzz-reset.conf", "[Service]\nExecSearchPath=\n") \
    .unit("ds02.service")
tree("s03-search-path-two", "ExecSearchPath= with two directories, the probe in the second") \
    .file(f"{ETC}/ds03.service", service(f"ExecSearchPath=/nonexistent:{T}\nExecStart=dprobe s03-main\nExecStartPost=-@dprobe argv0 s03-post\n")) \
    .unit("ds03.service", "start", "runs=2")
tree("s04-search-path-late", "ExecSearchPath= set only in a \"zzz\" drop-in") \
    .file(f"{ETC}/ds04.service", service("ExecStart=dprobe s04-main\n")) \
    .file(f"{ETC}/ds04.service.d/zzz-path.conf", f"[Service]\nExecSearchPath={T}\n") \
    .unit("ds04.service")
tree("s05-search-path-specifier", "ExecSearchPath= with a specifier") \
    .file(f"{USR}/ds05@.service", service("ExecSearchPath=/usr/lib/systemd-landlock-tests/%i\nExecStart=dprobe s05-main\n")) \
    .unit("ds05@differential.service")

# --- u: user units (the test user's manager, user@4711.service) ------------------------------------------

UETC = "etc/systemd/user"
UUSR = "usr/lib/systemd/user"
tree("u01-user-basic", "a user unit with ExecStart= and ExecStartPost=") \
    .file(f"{UETC}/du01.service", service(f"ExecStart={P} u01-main\nExecStartPost={P} u01-post\n")) \
    .unit("user:du01.service", "start", "runs=2")
tree("u02-user-tilde", "a user unit whose \"~\" drop-in adds ExecStartPost=") \
    .file(f"{UETC}/du02.service", service(f"ExecStart={P} u02-main\n")) \
    .file(f"{UETC}/du02.service.d/~post.conf", f"[Service]\nExecStartPost={P} u02-post\n") \
    .unit("user:du02.service")
tree("u03-user-zzz", "a user unit whose \"zzz\" drop-in adds ExecStartPost=") \
    .file(f"{UETC}/du03.service", service(f"ExecStart={P} u03-main\n")) \
    .file(f"{UETC}/du03.service.d/zzz-post.conf", f"[Service]\nExecStartPost={P} u03-post\n") \
    .unit("user:du03.service", "start", "runs=2")
tree("u04-user-same-name", "a user unit in /usr/lib/systemd/user, drop-ins named \"50-post.conf\" in /etc and /usr: only /etc's applies") \
    .file(f"{UUSR}/du04.service", service(f"ExecStart={P} u04-main\n")) \
    .file(f"{UUSR}/du04.service.d/50-post.conf", f"[Service]\nExecStartPost={P} u04-post-usr\n") \
    .file(f"{UETC}/du04.service.d/50-post.conf", f"[Service]\nExecStartPost={P} u04-post-etc\n") \
    .unit("user:du04.service", "start", "runs=2")
tree("u05-user-plus", "a user unit with a \"+\" command") \
    .file(f"{UETC}/du05.service", service(f"ExecStartPre=+{P} u05-plus\nExecStart={P} u05-main\n")) \
    .unit("user:du05.service", "start", "runs=2", "unconfined-runs=1")
tree("u06-user-bom", "a UTF-8 BOM before [Service] in a user unit") \
    .file(f"{UETC}/du06.service", b"\xef\xbb\xbf" + service(f"ExecStart={P} u06-main\n").encode()) \
    .unit("user:du06.service", "start", "runs=1")
tree("u07-user-dash-instance", "a user template instance with a late drop-in in a dash-prefix directory with the instance") \
    .file(f"{UUSR}/du07-foo-bar@.service", service(f"ExecStart={P} u07-main\n")) \
    .file(f"{UETC}/du07-foo-@inst.service.d/zzz-post.conf", f"[Service]\nExecStartPost={P} u07-post\n") \
    .unit("user:du07-foo-bar@inst.service", "start", "runs=2")
tree("u08-user-seccomp-enosys", "a user unit denying landlock_create_ruleset with ENOSYS") \
    .file(f"{UETC}/du08.service", service(f"SystemCallFilter=~landlock_create_ruleset\nSystemCallErrorNumber=ENOSYS\nExecStart={P} u08-main\n")) \
    .unit("user:du08.service")

# --- y, z: the fuzzers' finds ---------------------------------------------------------------------------

FUZZ = os.path.join(HERE, "..", "fuzz", "corpus")

# The unit-file fuzzer's inputs are unit fragments: verbatim.
for i, f in enumerate(sorted(os.listdir(os.path.join(FUZZ, "fuzz-unit-file"))), 1):
    data = open(os.path.join(FUZZ, "fuzz-unit-file", f), "rb").read()
    base, ext = os.path.splitext(f)
    ext = ext if ext in (".service", ".socket") else ".service"
    t = f"z{i:02d}"
    u = f"d{t}-{base}{ext}"
    tr = tree(f"{t}-fuzz-{base}", f"test/fuzz/corpus/fuzz-unit-file/{f} verbatim as a unit fragment")
    tr.file(f"{ETC}/{u}", data)
    if ext == ".socket":
        tr.file(f"{ETC}/d{t}-{base}.service", service(f"ExecStart={P} {t}-service\n"))
    tr.unit(u)

# The Exec-line fuzzer's inputs are one Exec*= value each, after a context byte (bit 0: with
# ExecSearchPath=): as the ExecStart= of a oneshot service with directives.
for i, f in enumerate(sorted(os.listdir(os.path.join(FUZZ, "fuzz-exec-line"))), 1):
    data = open(os.path.join(FUZZ, "fuzz-exec-line", f), "rb").read()
    if not data or b"\n" in data[1:] or b"\r" in data[1:] or b"\0" in data[1:]:
        continue
    t = f"y{i:02d}"
    u = f"d{t}.service"
    search = "ExecSearchPath=/opt/%i/bin:/usr/bin\n" if data[0] & 1 else ""
    tr = tree(f"{t}-fuzz-exec-{f}", f"test/fuzz/corpus/fuzz-exec-line/{f} as the ExecStart= of a unit with directives")
    tr.file(f"{ETC}/{u}", b"[Service]\nType=oneshot\n" + search.encode() + b"ExecStart=" + data[1:] + b"\n" + GRANT.encode())
    tr.unit(u)


def write(tr):
    d = os.path.join(CORPUS, tr.name)
    os.makedirs(d)
    with open(os.path.join(d, "description"), "w") as f:
        f.write(tr.description + "\n")
    with open(os.path.join(d, "units"), "w") as f:
        if tr.boot:
            f.write(f"boot {tr.boot}\n")
        for name, expect in tr.units:
            f.write(" ".join((name,) + tuple(expect)) + "\n")
    for path, content in sorted(tr.files.items(), key=lambda kv: kv[0] if isinstance(kv[0], bytes) else kv[0].encode()):
        full = os.path.join(d.encode(), path if isinstance(path, bytes) else path.encode())
        os.makedirs(os.path.dirname(full), exist_ok=True)
        if isinstance(content, tuple) and content[0] == "symlink":
            os.symlink(content[1], full)
        elif isinstance(content, tuple) and content[0] == "dir":
            os.makedirs(full, exist_ok=True)
            open(os.path.join(full, b".keep"), "w").close()
        else:
            with open(full, "wb") as f:
                f.write(content)


def main():
    names = [t.name for t in TREES]
    assert len(names) == len(set(names)), "duplicate tree names"
    if os.path.isdir(CORPUS):
        shutil.rmtree(CORPUS)
    os.makedirs(CORPUS)
    for t in TREES:
        write(t)
    print(f"{len(TREES)} trees written to {CORPUS}", file=sys.stderr)


if __name__ == "__main__":
    main()
