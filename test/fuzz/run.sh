#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# The CI fuzzing stage, deterministic: the same commit on the same machine image gives the same result.
# Builds the libFuzzer targets with clang, ASan and UBSan in their own build directory, then per target
#   1. replays every committed input once: corpus/<target>/ (the seeds and every crash ever found) and
#      findings/<target>/ (bugs recorded but not fixed yet, tolerated by the target, see findings/README.md);
#   2. fuzzes from that corpus with a fixed seed for a fixed number of runs (the table below, times
#      $1, default 1).
# No clock decides anything: no -max_total_time, no periodic re-reading of the corpus directory
# (-reload), and the mutations that would feed on run-to-run noise (compared values, which include
# addresses and temporary file names) are off. A crash, leak, sanitizer
# report or broken invariant fails the target; its reproducer is kept in $build/fuzz-artifacts/.
# Then the findings are replayed once more with FUZZ_STRICT=1, for information: whether they still
# reproduce. The long random campaign is campaign.sh, which CI does not run.
# Ends with "fuzz: N passed, N failed" (two per target: replay, and fixed-seed run).
set -uo pipefail

src=$(cd "$(dirname "$0")/../.." && pwd)
build=${FUZZ_BUILD_DIR:-$src/build-fuzz}
scale=${1:-1}

# Runs of the fixed-seed run, sized for 5 to 25 s each on the CI machine (2 cores, shared).
declare -A runs=(
        [fuzz-unit-file]=40000
        [fuzz-exec-line]=200000
        [fuzz-landlock-args]=300000
        [fuzz-analyze-json]=500000
        [fuzz-elf]=20000
        [fuzz-ld-so-cache]=10000
)
targets=(fuzz-unit-file fuzz-exec-line fuzz-landlock-args fuzz-analyze-json fuzz-elf fuzz-ld-so-cache)

case $scale in
''|*[!0-9]*|0) echo "Usage: run.sh [SCALE]   (a positive integer multiplying the runs of each target)" >&2; exit 2 ;;
esac

# shellcheck source=test/fuzz/build.sh
. "$src/test/fuzz/build.sh"
fuzz_build "$build" "${targets[@]}" || { echo "fuzz: 0 passed, 1 failed"; exit 1; }

export UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1
export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1
# Temporary files of the exec-closure targets: a name of fixed length whatever the caller's $TMPDIR.
export TMPDIR=/tmp

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
artifacts=$build/fuzz-artifacts
mkdir -p "$artifacts"

# A failure's log without libFuzzer's per-input progress lines.
quiet() {
        grep -a -v -E '^#[0-9]+\s+(NEW|REDUCE|pulse)|^(INFO|MERGE)'
}

committed_inputs() {
        local t=$1
        find "$src/test/fuzz/corpus/$t" "$src/test/fuzz/findings/$t" -maxdepth 1 -type f 2>/dev/null | sort
}

passed=0 failed=0
for t in "${targets[@]}"; do
        fuzzer=$build/test/fuzz/$t
        log=$work/$t.log
        mapfile -t inputs < <(committed_inputs "$t")

        echo "== $t: replay of ${#inputs[@]} committed inputs"
        if [ ${#inputs[@]} -gt 0 ] && "$fuzzer" -runs=1 "${inputs[@]}" >"$log" 2>&1; then
                echo "ok - $t: replay"
                passed=$((passed + 1))
        else
                quiet <"$log" | grep -a -v '^Running:\|^Executed'
                echo "not ok - $t: replay (no inputs, or one of them fails)"
                failed=$((failed + 1))
        fi

        n=$((runs[$t] * scale))
        corpus=$work/$t
        mkdir -p "$corpus" "$artifacts/$t"
        cp "$src/test/fuzz/corpus/$t/"* "$corpus/"
        echo "== $t: seed 1, $n runs"
        if "$fuzzer" -seed=1 -runs="$n" -max_len=4096 -use_cmp=0 -use_memmem=0 -reload=0 -timeout=25 \
                -print_final_stats=1 -artifact_prefix="$artifacts/$t/" "$corpus" >"$log" 2>&1; then
                grep -a -E '^#[0-9]+\s+DONE|^stat::(number_of_executed_units|new_units_added|peak_rss_mb)' "$log"
                # The corpus it ends with, named by content: the same digest twice means the same run.
                echo "# corpus: $(ls "$corpus" | wc -l) inputs, digest $(ls "$corpus" | sort | sha1sum | cut -c1-16)"
                echo "ok - $t: $n runs, no crash, leak, sanitizer report or broken invariant"
                passed=$((passed + 1))
        else
                quiet <"$log"
                echo "not ok - $t: reproducer in $artifacts/$t/ ($fuzzer FILE reproduces it)"
                failed=$((failed + 1))
        fi
done

echo "== findings (test/fuzz/findings/README.md), replayed with FUZZ_STRICT=1, for information"
for f in "$src"/test/fuzz/findings/*/*; do
        [ -f "$f" ] || continue
        t=$(basename "$(dirname "$f")")
        if FUZZ_STRICT=1 "$build/test/fuzz/$t" -runs=1 "$f" >/dev/null 2>&1; then
                echo "# $t/$(basename "$f"): no longer reproduces: move it to corpus/$t/ and drop its tolerance"
        else
                echo "# $t/$(basename "$f"): still reproduces"
        fi
done

echo "fuzz: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
