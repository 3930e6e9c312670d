#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# The long fuzzing campaign, NOT run by CI (run.sh is the deterministic CI stage): each target for SECONDS
# (default 600) with a random seed and every mutation strategy, one target after the other, starting from
# the committed corpus plus what earlier campaigns kept ($build/campaign-corpus/<target>, not committed).
# Reports per target: executions, coverage (edges "cov" and features "ft"), corpus size, crashes.
#
# A crash leaves its reproducer in $build/campaign-artifacts/<target>/. Fix the bug, add a test for it,
# and commit the reproducer to corpus/<target>/ so that CI replays it forever; if the fix belongs to
# someone else, record it in findings/ instead (findings/README.md).
#
# Usage: campaign.sh [SECONDS] [TARGET…]
set -uo pipefail

src=$(cd "$(dirname "$0")/../.." && pwd)
build=${FUZZ_BUILD_DIR:-$src/build-fuzz}
seconds=${1:-600}
shift || true
targets=("$@")
[ ${#targets[@]} -gt 0 ] || mapfile -t targets < <(cd "$src/test/fuzz/corpus" && ls)

case $seconds in
''|*[!0-9]*) echo "Usage: campaign.sh [SECONDS] [TARGET…]" >&2; exit 2 ;;
esac

# shellcheck source=test/fuzz/build.sh
. "$src/test/fuzz/build.sh"
fuzz_build "$build" "${targets[@]}" || exit 1

export UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1
export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1

summary=()
for t in "${targets[@]}"; do
        corpus=$build/campaign-corpus/$t
        artifacts=$build/campaign-artifacts/$t
        log=$build/campaign-logs/$t.log
        mkdir -p "$corpus" "$artifacts" "$(dirname "$log")"
        before=$(ls "$artifacts" | wc -l)

        echo "== $t: ${seconds}s, random seed"
        # New inputs go to the first directory only; the committed corpus is read, never written.
        "$build/test/fuzz/$t" -max_total_time="$seconds" -max_len=4096 -timeout=25 -print_final_stats=1 \
                -artifact_prefix="$artifacts/" "$corpus" "$src/test/fuzz/corpus/$t" >"$log" 2>&1
        rc=$?

        seed=$(grep -a -m1 -o 'Seed: [0-9]*' "$log" | cut -d' ' -f2)
        execs=$(grep -a -o 'stat::number_of_executed_units: *[0-9]*' "$log" | grep -o '[0-9]*$')
        last=$(grep -a -E '^#[0-9]+\s+(DONE|NEW|REDUCE|pulse|INITED)' "$log" | tail -n1)
        cov=$(grep -o 'cov: [0-9]*' <<<"$last" | cut -d' ' -f2)
        ft=$(grep -o 'ft: [0-9]*' <<<"$last" | cut -d' ' -f2)
        crashes=$(( $(ls "$artifacts" | wc -l) - before ))
        line="$t: seed ${seed:-?}, ${execs:-?} executions, cov ${cov:-?}, ft ${ft:-?}, corpus $(ls "$corpus" | wc -l) kept, $crashes new crash(es)"
        if [ "$rc" -ne 0 ]; then
                grep -a -E 'invariant broken|^  |ERROR: |SUMMARY' "$log" | head -n 5
                line="$line, stopped early (exit status $rc): $log"
        fi
        echo "$line"
        summary+=("$line")
done

echo
printf '%s\n' "${summary[@]}"
