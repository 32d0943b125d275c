#!/usr/bin/env bash
# A small sample of the stable-update evaluation (make eval-stable runs the
# whole one): tests/eval/stable-eval over KSPLICE_EVAL_SAMPLE_PAIRS (default
# the 6.1.192-1 -> 6.1.192-2 update of the -55 image, whose fixtures
# t-debian-update.sh already made), one candidate: the table must have its
# row, created and applied, and the paper's closing line must count it.
set -uo pipefail
top=$(cd "$(dirname "$0")/../.." && pwd)
. "$top/tests/lib/check.sh"
out=$top/build/eval-sample
rm -rf "$out/table.md"
KSPLICE_EVAL_OUT=$out KSPLICE_EVAL_PAIRS=${KSPLICE_EVAL_SAMPLE_PAIRS:-6.1.0-55-cloud-amd64:6.1.192-2} \
	KSPLICE_EVAL_SAMPLE=1 "$top/tests/eval/stable-eval" >"$out.log" 2>&1
rc=$?
[ $rc = 0 ] && pass eval-sample-runs || fail eval-sample-runs "exit $rc: $(tail -3 "$out.log")"
row=$(grep '^| `' "$out/table.md" 2>/dev/null | head -1)
[ -n "$row" ] && pass eval-sample-table-row || fail eval-sample-table-row "no candidate row in $out/table.md"
grep -q '| in-update | - | ok |$' <<<"$row" && pass eval-sample-created-and-applied ||
	fail eval-sample-created-and-applied "row: ${row:-none}"
grep -q '^applied 1 of 1 without new code' "$out/table.md" 2>/dev/null && pass eval-sample-paper-line ||
	fail eval-sample-paper-line "$(tail -1 "$out/table.md" 2>/dev/null)"
check_done
