# SPDX-License-Identifier: LGPL-2.1-or-later
# shellcheck shell=bash
# Sourced: the examples of the documentation, taken from the documents themselves, so that a test that runs
# one fails when the document changes under it. Each function prints the example, or fails when there is
# none (an empty example is never run). Plain bash: the booted roots have no awk.

# roff_example FILE TEXT: the first .EX/.EE or .nf/.fi block of the man page FILE after the first line that
# starts with TEXT, its roff escapes undone.
roff_example() {
        local line found=0 in=0 out=
        while IFS= read -r line; do
                if ((in)); then
                        [[ $line == .EE || $line == .fi ]] && break
                        out+=$line$'\n'
                elif ((found)); then
                        [[ $line == .EX || $line == .nf ]] && in=1
                elif [[ $line == "$2"* ]]; then
                        found=1
                fi
        done < "$1"
        [[ -n $out ]] || { echo "no example after \"$2\" in $1" >&2; return 1; }
        printf '%s' "$out" | sed -e 's/\\-/-/g' -e "s/\\\\(aq/'/g" -e 's/\\(mu/×/g' -e 's/\\&//g' -e 's/\\e/\\/g'
}

# markdown_example FILE TEXT: the first fenced block (```) of FILE after the first line that starts with TEXT.
markdown_example() {
        local line found=0 in=0 out=
        while IFS= read -r line; do
                if ((in)); then
                        [[ $line == '```'* ]] && break
                        out+=$line$'\n'
                elif ((found)); then
                        [[ $line == '```'* ]] && in=1
                elif [[ $line == "$2"* ]]; then
                        found=1
                fi
        done < "$1"
        [[ -n $out ]] || { echo "no example after \"$2\" in $1" >&2; return 1; }
        printf '%s' "$out"
}
