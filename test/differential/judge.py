#!/usr/bin/env python3
# SPDX-License-Identifier: LGPL-2.1-or-later
"""The judge of the differential test: reads what inside.sh recorded in each container (PID 1's view
of every unit's commands, how the starts went, the probe records) and prints one TAP test per unit
and systemd version, then "differential: N passed, N failed".

A unit passes when, in every phase it ran in (boot, after daemon-reload, after an edit without
daemon-reload):
  1. every command PID 1 will run is the enforcer or carries "+" (flag "privileged"), or the unit
     refused: it did not load, or its start failed before any unwrapped command ran;
  2. every probe run (and every preloaded library's constructor) was confined, except runs of "+"
     commands;
  3. PID 1 loaded the same commands with the generator as without it (phase "raw"): same number per
     setting, and each wrapped command is the original one (path, argv[0], arguments, prefixes);
  4. the expectations of its tree's "units" file hold.
"""

import argparse
import json
import os
import re
import sys

ENFORCER = "/usr/libexec/systemd-landlock-exec"
# The generator's links to the enforcer, named after the command's executable so that it keeps its
# journal identity (LANDLOCK_EXEC_IDENTITY_DIR); the probe run as each command checks they really confine.
ENFORCER_LINK = re.compile(r"^(/run/systemd/generator|/run/user/[0-9]+/systemd/generator)/landlock-exec/[^/]+$")
RUN_PHASES = ("boot", "reload", "edit")
MAX_DIAG_LINES = 80


def clip(s, n=400):
    s = s.replace("\n", "\\n")
    return s if len(s) <= n else s[:n] + f"… ({len(s)} characters)"


def byte_string(s):
    """A string as the probe escapes it: every byte of its UTF-8 form outside printable ASCII is one
    character (the probe writes \\u00XX per byte)."""
    return "".join(chr(b) for b in s.encode("utf-8", "surrogateescape"))


# --- the corpus --------------------------------------------------------------------------------------

TOKEN_RE = re.compile(r"^(?P<key>[a-z-]+)(=(?P<value>[0-9]+))?(@(?P<op>>=|<=|<|>|=)?(?P<ver>[0-9]+))?$")


class Expectations:
    def __init__(self, tokens, where):
        self.tokens = []
        for t in tokens:
            m = TOKEN_RE.match(t)
            if not m or m["key"] not in ("refuse", "fail", "start", "unconfined", "nodirectives", "runs",
                                         "unconfined-runs", "starts", "preload-runs"):
                raise SystemExit(f"{where}: unknown expectation '{t}'")
            self.tokens.append(m)

    def get(self, key, version):
        val = None
        for m in self.tokens:
            if m["key"] != key:
                continue
            if m["ver"]:
                v, w, op = version, int(m["ver"]), m["op"] or "="
                ok = {">=": v >= w, "<=": v <= w, "<": v < w, ">": v > w, "=": v == w}[op]
                if not ok:
                    continue
            val = int(m["value"]) if m["value"] else True
        return val


def read_units_file(tree_dir):
    units = []
    path = os.path.join(tree_dir, "units")
    with open(path, encoding="utf-8") as f:
        for n, line in enumerate(f, 1):
            line = line.strip()
            if not line or line.startswith("#") or line.startswith("boot "):
                continue
            words = line.split()
            units.append((words[0], Expectations(words[1:], f"{path}:{n}")))
    return units


# --- what inside.sh recorded -------------------------------------------------------------------------

class Command:
    def __init__(self, prop, index, path, argv, flags, pid, code, status):
        self.prop, self.index = prop, index
        self.path, self.argv, self.flags = path, argv, set(flags)
        self.pid, self.code, self.status = pid, code, status

    @property
    def wrapped(self):
        return self.path == ENFORCER or bool(ENFORCER_LINK.match(self.path or ""))

    @property
    def privileged(self):
        return "privileged" in self.flags

    @property
    def ran(self):
        # CLD_EXITED (1) with 203 (EXIT_EXEC): the child never got to execute the command.
        return self.pid != 0 and not (self.code == 1 and self.status == 203)

    def unwrap(self):
        """The enforcer's arguments as it parses them: (words after "--", separate_argv0, error). Every
        option precedes "--"; with --separate-argv0 ("@"), the executable comes first, then argv."""
        separate = False
        error = None
        i = 1
        while i < len(self.argv):
            a = self.argv[i]
            if a == "--":
                break
            if a == "--separate-argv0":
                separate = True
            elif a.startswith("--error="):
                error = a[len("--error="):]
            i += 1
        return self.argv[i + 1:], separate, error

    def describe(self):
        flags = ",".join(sorted(self.flags))
        return f"{self.prop}[{self.index}]: path={clip(self.path, 120)} argv={clip(json.dumps(self.argv), 400)} flags=[{flags}]"


def parse_show_command(prop, index, text):
    """A command from systemctl's text, "{ path=… ; argv[]=… ; flags=… ; … ; pid=N ; code=… ;
    status=N/… }". Words of argv[] are joined with spaces there: exact only for words without
    spaces (the user units of the corpus have none)."""
    fields = {}
    for part in text.strip().lstrip("{").rstrip("}").strip().split(" ; "):
        k, _, v = part.partition("=")
        fields.setdefault(k.strip(), v)
    flags = fields.get("flags", "").split()
    if fields.get("ignore_errors") == "yes":
        flags.append("ignore-failure")
    pid = int(fields.get("pid", "0") or 0) if fields.get("pid", "0").isdigit() else 0
    code = 1 if fields.get("code") == "exited" else (0 if fields.get("code") in (None, "(null)") else 2)
    status = fields.get("status", "0").split("/")[0]
    return Command(prop, index, fields.get("path", ""), fields.get("argv[]", "").split(" "), flags, pid, code,
                   int(status) if status.isdigit() else 0)


def load_exec_lists_text(base):
    """{property: [Command]} from systemctl's text in BASE.show (the Ex form where there is one)."""
    _, lines = load_show(base + ".show")
    plain, ex = {}, {}
    for line in lines:
        m = re.match(r"^(Exec[A-Za-z]*)=(\{.*\})$", line)
        if not m:
            continue
        key = m[1]
        name, target = (key[:-2], ex) if key.endswith("Ex") else (key, plain)
        target.setdefault(name, []).append(m[2])
    result = {}
    for name in set(plain) | set(ex):
        texts = ex.get(name) or plain.get(name)
        result[name] = [parse_show_command(name, i, t) for i, t in enumerate(texts)]
    return result


def load_exec_lists(base):
    """{property base name: [Command]} from BASE.props and BASE.json, or None."""
    try:
        props = open(base + ".props").read().split()
        if props == ["text"]:
            return load_exec_lists_text(base)
        lines = [l for l in open(base + ".json", encoding="utf-8", errors="surrogateescape").read().splitlines() if l]
    except FileNotFoundError:
        return None
    if len(lines) != len(props):
        return None
    result = {}
    for prop, line in zip(props, lines):
        try:
            j = json.loads(line)
        except json.JSONDecodeError:
            return None
        name = prop[:-2] if prop.endswith("Ex") else prop
        cmds = []
        for i, d in enumerate(j["data"]):
            if j["type"] == "a(sasasttttuii)":
                path, argv, flags, pid, code, status = d[0], d[1], d[2], d[7], d[8], d[9]
            else:
                path, argv, ignore, pid, code, status = d[0], d[1], d[2], d[7], d[8], d[9]
                flags = ["ignore-failure"] if ignore else []
            cmds.append(Command(name, i, path, argv, flags, pid, code, status))
        result[name] = cmds
    return result


def load_show(path):
    d, lines = {}, []
    try:
        text = open(path, encoding="utf-8", errors="replace").read()
    except FileNotFoundError:
        return None, []
    for line in text.splitlines():
        lines.append(line)
        k, _, v = line.partition("=")
        d.setdefault(k, v)
    return d, lines


def load_records(path):
    recs, bad = [], 0
    try:
        text = open(path, encoding="utf-8", errors="replace").read()
    except FileNotFoundError:
        return None, 0
    for line in text.splitlines():
        try:
            recs.append(json.loads(line))
        except json.JSONDecodeError:
            bad += 1
    return recs, bad


def run_was_done(base):
    try:
        return not open(base + ".run").read().startswith("not run")
    except FileNotFoundError:
        return False


def load_run(path):
    starts = []
    try:
        for line in open(path):
            m = re.match(r"^(start|reload|stop) (\d+) rc=(\d+) (.*)$", line.strip())
            if m:
                starts.append((m[1], int(m[2]), int(m[3]), m[4]))
    except FileNotFoundError:
        return None
    return starts


class Boot:
    """One container boot: a systemd version and a group of trees."""

    def __init__(self, work, suite, group):
        self.dir = os.path.join(work, suite, group, "results")
        self.suite, self.group = suite, group
        self.info = {}
        try:
            for line in open(os.path.join(self.dir, "info")):
                k, _, v = line.strip().partition(" ")
                self.info[k] = v
        except FileNotFoundError:
            pass
        self.version = int(self.info["systemd"]) if self.info.get("systemd", "").isdigit() else 0
        self.done = os.path.exists(os.path.join(self.dir, "done"))
        self.manifest = {}
        try:
            for line in open(os.path.join(self.dir, "manifest")):
                idx, tree, unit, kind, starts = line.split()
                self.manifest[(tree, unit)] = (idx, kind)
        except FileNotFoundError:
            pass
        self.invocations = {}
        try:
            for line in open(os.path.join(self.dir, "invocations.json"), errors="replace"):
                try:
                    j = json.loads(line)
                except json.JSONDecodeError:
                    continue
                if isinstance(j.get("UNIT"), str) and isinstance(j.get("INVOCATION_ID"), str):
                    self.invocations.setdefault(j["UNIT"], set()).add(j["INVOCATION_ID"])
        except FileNotFoundError:
            pass
        try:
            for line in open(os.path.join(self.dir, "user-invocations.json"), errors="replace"):
                try:
                    j = json.loads(line)
                except json.JSONDecodeError:
                    continue
                if isinstance(j.get("USER_UNIT"), str) and isinstance(j.get("USER_INVOCATION_ID"), str):
                    self.invocations.setdefault("user:" + j["USER_UNIT"], set()).add(j["USER_INVOCATION_ID"])
        except FileNotFoundError:
            pass
        self.records = {}
        for phase in RUN_PHASES:
            self.records[phase] = load_records(os.path.join(self.dir, f"records-{phase}"))

    def label(self):
        return str(self.version) if self.version else self.suite


# --- the checks --------------------------------------------------------------------------------------

def expected_original(cmd):
    """What PID 1 would have run without the generator, from a command of the generated view."""
    if not cmd.wrapped:
        return cmd.path, cmd.argv, cmd.flags
    inner, separate, _ = cmd.unwrap()
    if not inner:
        return None, None, cmd.flags
    # systemd expands variables in argv at exec time, not in the path slot: the generator writes a "$" of
    # the executable as "$$" once it is an argument (unless ":", "no-env-expand"), which the exec turns
    # back into "$". PID 1 shows argv before expansion.
    path = inner[0] if "no-env-expand" in cmd.flags else inner[0].replace("$$", "$")
    argv = inner[1:] if separate else [path] + inner[1:]
    return path, argv, cmd.flags


def same_path(written, resolved):
    if written == resolved:
        return True
    if os.path.normpath(written) == os.path.normpath(resolved):
        return True
    return "/" not in written and resolved.endswith("/" + written)


def compare_with_raw(view, raw):
    """Differences between the generated view and PID 1's own (generator masked)."""
    diffs = []
    for prop in sorted(set(view) | set(raw)):
        w, r = view.get(prop, []), raw.get(prop, [])
        if len(w) != len(r):
            diffs.append(f"{prop}: {len(r)} command(s) without the generator, {len(w)} with it")
            for c in r:
                diffs.append(f"  without: {c.describe()}")
            for c in w:
                diffs.append(f"  with:    {c.describe()}")
            continue
        for a, b in zip(w, r):
            path, argv, flags = expected_original(a)
            problems = []
            if path is None:
                problems.append("the enforcer has no command after '--'")
            else:
                if not same_path(path, b.path):
                    problems.append(f"path {clip(path, 120)!r} instead of {clip(b.path, 120)!r}")
                if argv != b.argv:
                    problems.append(f"argv {clip(json.dumps(argv), 300)} instead of {clip(json.dumps(b.argv), 300)}")
            if a.flags != b.flags:
                problems.append(f"flags {sorted(a.flags)} instead of {sorted(b.flags)}")
            if problems:
                diffs.append(f"{prop}[{a.index}]: " + "; ".join(problems))
    return diffs


def command_ran(cmd, statuses):
    """Whether CMD ran, from the exec statuses recorded after the start (of this phase or of boot)."""
    lst = statuses.get(cmd.prop, [])
    other = lst[cmd.index] if cmd.index < len(lst) else cmd
    return cmd.ran or other.ran


def records_of(records, uid, invocations):
    """The records of a unit: those naming it, and those of its invocations (confined probes cannot
    read /proc/self/cgroup, but they see $INVOCATION_ID)."""
    return [r for r in records
            if r.get("unit") == uid or (r.get("unit") in ("?", "", None) and r.get("invocation") in invocations)]


def check_phase(boot, phase, base, unit, exp, raw_view, boot_base=None):
    """Failures (list of strings) and notes of one unit in one phase, and the unit's Id. A phase in
    which the unit was not run again (same generator output as at boot) takes how the starts went
    from BOOT_BASE."""
    fails, notes = [], []
    v = boot.version
    show, _ = load_show(base + ".show")
    if show is None:
        return [f"[{phase}] the harness recorded nothing for this unit"], notes, unit
    user = unit.startswith("user:")
    uid = show.get("Id") or unit.removeprefix("user:")
    load_state = show.get("LoadState", "?")
    loaded = load_state == "loaded"
    view = load_exec_lists(base)
    ran = run_was_done(base)
    run_base = base if ran or not boot_base else boot_base
    run = load_run(run_base + ".run") or []
    starts = [s for s in run if s[0] == "start"]
    start_failed = bool(starts) and all(s[2] != 0 for s in starts)
    records, _ = boot.records.get(phase) or ([], 0)
    invocations = {m for s in run for m in re.findall(r"InvocationID=([0-9a-f]+)", s[3])}
    invocations |= boot.invocations.get(("user:" if user else "") + uid, set())
    mine = records_of(records or [], uid, invocations) if ran else []
    statuses = load_exec_lists(run_base) or {}
    probes = [r for r in mine if r.get("probe") == "dprobe"]
    preloads = [r for r in mine if r.get("probe") == "preload"]
    nodirectives = exp.get("nodirectives", v)

    if loaded and view is None:
        fails.append(f"[{phase}] cannot read the command lists PID 1 exported (see {base}.json.err)")
        view = {}
    view = view or {}
    cmds = [c for lst in view.values() for c in lst]
    refusals = [c for c in cmds if c.wrapped and c.unwrap()[2] is not None]

    # 1. Every command is the enforcer or privileged, or the unit refused.
    if not nodirectives:
        unwrapped = [c for c in cmds if not c.wrapped and not c.privileged]
        if unwrapped and not loaded:
            notes.append(f"[{phase}] LoadState={load_state}: PID 1 refused to load it")
        elif unwrapped and start_failed and not any(command_ran(c, statuses) for c in unwrapped):
            notes.append(f"[{phase}] start failed before any of its {len(unwrapped)} unwrapped command(s) ran")
        else:
            for c in unwrapped:
                fails.append(f"[{phase}] command not wrapped: {c.describe()}" + (" (it ran)" if command_ran(c, statuses) else ""))

    # 2. Every run was confined, except those of "+" commands.
    plus_tags = {c.argv[1] for c in cmds if c.privileged and len(c.argv) > 1}
    other_tags = set()
    for c in cmds:
        if c.privileged:
            continue
        argv = (expected_original(c)[1] or []) if c.wrapped else c.argv
        if len(argv) > 1:
            other_tags.add(argv[1])
    unconfined_expected = exp.get("unconfined", v)
    n_unconfined = 0
    for r in mine:
        if r.get("confined") == "yes":
            continue
        n_unconfined += 1
        allowed = nodirectives or unconfined_expected or (
            r.get("probe") == "dprobe" and byte_string(r.get("tag", "")) in {byte_string(t) for t in plus_tags - other_tags})
        if not allowed:
            what = ("preloaded library ran unconfined" if r.get("probe") == "preload" else "probe ran unconfined") + \
                " (it could read the canary, which the unit does not grant)" * (r.get("confined") == "no")
            fails.append(f"[{phase}] {what}: tag={r.get('tag')!r} exe={r.get('exe')} confined={r.get('confined')} "
                         f"canary={r.get('canary')} argv={clip(json.dumps(r.get('argv')), 300)}")
    if ran and unconfined_expected and (not mine or n_unconfined != len(mine)):
        fails.append(f"[{phase}] expected every run unconfined (a control of the harness): "
                     f"{n_unconfined} of {len(mine)} were")

    # 3. The same commands as PID 1 loads without the generator.
    if raw_view is not None and loaded and not refusals and phase != "edit":
        for d in compare_with_raw(view, raw_view):
            fails.append(f"[{phase}] unit loaded commands differ: {d}")
    elif refusals:
        notes.append(f"[{phase}] the generator refused it: {clip(refusals[0].unwrap()[2], 300)}")

    # 4. The tree's expectations (where the unit was run).
    if not ran:
        notes.append(f"[{phase}] viewed, not run again: the generator wrote the same as at boot")
        return fails, notes, uid
    if exp.get("refuse", v):
        if loaded and not (start_failed and not probes):
            fails.append(f"[{phase}] expected the unit to refuse to load or start: LoadState={load_state}, "
                         f"starts {[s[2] for s in starts]}, {len(probes)} probe run(s)")
    if exp.get("fail", v):
        states = [s[3] for s in starts]
        if not start_failed or not all("ActiveState=failed" in s for s in states):
            fails.append(f"[{phase}] expected the start to FAIL (not be skipped): {states or 'not started'}")
    if exp.get("start", v):
        if not loaded or not starts or start_failed or any(s[2] != 0 for s in starts):
            fails.append(f"[{phase}] expected the start to succeed: LoadState={load_state}, starts "
                         f"{[(s[2], s[3]) for s in starts]}")
    n = exp.get("runs", v)
    if n is not None and n is not True and len(probes) != n:
        fails.append(f"[{phase}] expected {n} probe run(s), got {len(probes)}: tags {[r.get('tag') for r in probes]}")
    n = exp.get("unconfined-runs", v)
    if n is not None and n is not True and n_unconfined != n:
        fails.append(f"[{phase}] expected {n} unconfined run(s) (of '+' commands), got {n_unconfined}")
    n = exp.get("preload-runs", v)
    if n is not None and n is not True and len(preloads) != n:
        fails.append(f"[{phase}] expected {n} run(s) of the preloaded library, got {len(preloads)}")
    return fails, notes, uid


def diagnostics(boot, phases, uid, names, user=False):
    """systemctl's view and the generated drop-ins, for a failed unit."""
    out = []
    for phase, base in phases:
        _, lines = load_show(base + ".show")
        out.append(f"--- systemctl show ({phase})")
        out += [clip(l, 600) for l in lines if l.startswith("Exec") or l.split("=")[0] in
                ("LoadState", "LoadError", "FragmentPath", "DropInPaths", "Result")]
        run = load_run(base + ".run")
        if run:
            out.append(f"--- runs ({phase})")
            out += [f"{a} {i} rc={rc} {st}" for a, i, rc, st in run]
        gen_phase = "edit" if phase == "edit" else phase
        gdir = os.path.join(boot.dir, f"gen-{gen_phase}" + ("-user" if user else ""))
        for name in sorted(names):
            d = os.path.join(gdir, name + ".d")
            if not os.path.isdir(d):
                continue
            for f in sorted(os.listdir(d)):
                out.append(f"--- generated drop-in ({gen_phase}): {name}.d/{f}")
                try:
                    text = open(os.path.join(d, f), encoding="utf-8", errors="replace").read()
                except OSError as e:
                    text = str(e)
                out += [clip(l, 600) for l in text.splitlines() if l and not l.startswith("# Automatically")]
        if phase == "boot":
            _, raw = load_show(os.path.join(boot.dir, "raw", os.path.basename(base)) + ".show")
            raw = [clip(l, 600) for l in raw if l.startswith("Exec") and "Ex=" not in l.split("{")[0]]
            if raw:
                out.append("--- systemctl show with the generator masked (raw)")
                out += raw
    if len(out) > MAX_DIAG_LINES:
        out = out[:MAX_DIAG_LINES] + [f"… ({len(out) - MAX_DIAG_LINES} more lines in {boot.dir})"]
    return out


def template_of(name):
    m = re.match(r"^([^@]+@)[^.]*(\.[a-z]+)$", name)
    return m[1] + m[2] if m else None


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--corpus", required=True)
    ap.add_argument("--work", required=True)
    ap.add_argument("--trees", nargs="+", required=True)
    ap.add_argument("--suites", nargs="+", required=True)
    ap.add_argument("--groups", nargs="+", required=True)
    args = ap.parse_args()

    trees = {t: read_units_file(os.path.join(args.corpus, t)) for t in args.trees}
    group_of = {}
    for t in args.trees:
        text = open(os.path.join(args.corpus, t, "units")).read()
        m = re.findall(r"^boot\s+(\S+)\s*$", text, re.M)
        group_of[t] = m[-1] if m else "main"

    n = passed = failed = 0
    summary = {}
    for suite in args.suites:
        boots = {g: Boot(args.work, suite, g) for g in args.groups}
        error = None
        try:
            error = open(os.path.join(args.work, suite, "error")).read().strip()
        except FileNotFoundError:
            pass
        version = next((b.label() for b in boots.values() if b.version), suite)
        print(f"# {suite}: {next((b.info.get('version') for b in boots.values() if b.info.get('version')), error or 'did not boot')}")
        sp = sf = 0
        failing_trees = []
        for tree, units in trees.items():
            boot = boots[group_of[tree]]
            preflight_rc = open(os.path.join(args.work, "preflight", tree, "rc")).read().strip()
            for unit, exp in units:
                n += 1
                name = f"{version} {tree} {unit}"
                fails, notes, diag = [], [], []
                if preflight_rc == "124":
                    fails.append("generator timeout: the generator did not finish on this tree alone "
                                 "(outside the container); the tree was left out of the boots")
                elif error:
                    fails.append(error)
                elif not boot.done:
                    fails.append(f"the container of boot group {boot.group} did not finish "
                                 f"(see {os.path.join(args.work, suite, boot.group, 'console.log')})")
                elif (tree, unit) not in boot.manifest:
                    fails.append("the unit is not in the container's manifest")
                else:
                    idx, kind = boot.manifest[(tree, unit)]
                    phases = [("edit", os.path.join(boot.dir, "edit", idx))] if kind == "edit" else \
                        [("boot", os.path.join(boot.dir, "boot", idx)), ("reload", os.path.join(boot.dir, "reload", idx))]
                    raw_view = load_exec_lists(os.path.join(boot.dir, "raw", idx)) if kind != "edit" else None
                    uid = unit
                    for phase, base in phases:
                        f, nt, uid = check_phase(boot, phase, base, unit, exp, raw_view, phases[0][1])
                        fails += f
                        notes += nt
                    if fails:
                        show, _ = load_show(phases[0][1] + ".show")
                        names = set((show or {}).get("Names", "").split()) | {uid, unit.removeprefix("user:")}
                        names |= {t for t in map(template_of, list(names)) if t}
                        diag = diagnostics(boot, phases, uid, names, unit.startswith("user:"))
                if fails:
                    failed += 1
                    sf += 1
                    failing_trees.append(tree)
                    print(f"not ok {n} - {name}")
                    for line in fails + ["notes: " + "; ".join(notes)] * bool(notes) + diag:
                        print(f"#   {line}")
                else:
                    passed += 1
                    sp += 1
                    notes = [x for x in notes if "not run again" not in x]
                    print(f"ok {n} - {name}" + (f" # {clip('; '.join(notes), 200)}" if notes else ""))
        summary[suite] = (version, sp, sf, sorted(set(failing_trees)))
    print(f"1..{n}")
    print("# Summary per systemd version:")
    for suite, (version, sp, sf, ft) in summary.items():
        print(f"#   {suite} (systemd {version}): {sp} passed, {sf} failed" + (f"; failing trees: {' '.join(ft)}" if ft else ""))
    print(f"differential: {passed} passed, {failed} failed")
    return 0 if failed == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
