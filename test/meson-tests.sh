#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# meson-tests.sh BUILD_DIR [TEST…]: runs the meson suites ("unit": pure logic; "kernel": real Landlock on
# this kernel), or only the tests named, and counts every TAP test case, not just every test program. The
# result line is "LABEL: N passed, N failed", LABEL from $MESON_TESTS_LABEL (default "meson").
set -uo pipefail
build=${1:?usage: meson-tests.sh BUILD_DIR [TEST…]}
shift
label=${MESON_TESTS_LABEL:-meson}

meson test -C "$build" --print-errorlogs --num-processes 2 "$@"
rc=$?

python3 - "$build/meson-logs/testlog.json" "$label" <<'PY'
import json, re, sys
passed = failed = 0
for line in open(sys.argv[1]):
    t = json.loads(line)
    out = t.get("stdout") or ""
    cases = re.findall(r"^(ok|not ok) \d+", out, re.M)
    if not cases:                       # not a TAP program: count the program itself
        cases = ["ok" if t["result"] == "OK" else "not ok"]
    for c in cases:
        if c == "ok":
            passed += 1
        else:
            failed += 1
    if t["result"] not in ("OK", "EXPECTEDFAIL") and "not ok" not in cases:
        failed += 1
    print(f"{t['name']:40s} {t['result']:8s} {len(cases)} cases")
print(f"{sys.argv[2]}: {passed} passed, {failed} failed")
PY
exit $rc
