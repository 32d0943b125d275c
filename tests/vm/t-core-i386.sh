#!/usr/bin/env bash
# core/ is shared with ksplice.ko, which also runs on i386: its unit tests,
# built as static 32-bit programs (build/tests/m32/), run inside the i386 test
# guest. Each case is reported as m32-NAME. The host kernel need not be able
# to run 32-bit programs (CI's cannot).
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
. "$here/lib.sh"
. "$TOP_DIR/tests/lib/check.sh"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

bins=("$TOP_DIR"/build/tests/m32/test-core-*)
[ -x "${bins[0]}" ] || { fail m32-build "no 32-bit core tests in build/tests/m32 (make unit)"; check_done; exit; }
eval "$("$VM_DIR/kernel" i386)" || { fail m32-kernel "i386 kernel fixture unavailable"; check_done; exit; }

files=() names=()
for b in "${bins[@]}"; do files+=(--file "$b:bin/$(basename "$b")"); names+=("$(basename "$b")"); done
# Each program's lines are tagged with its name; its exit status follows.
cat >"$tmp/run.sh" <<GUEST
for t in ${names[*]}; do
	rc=0; \$t >out 2>&1 || rc=\$?
	sed "s/^/\$t: /" out
	echo "EXIT \$t \$rc"
done
GUEST
out=$("$VM_DIR/run-guest" "${files[@]}" i386 "$tmp/run.sh" 2>"$tmp/err") ||
	{ fail m32-guest "the i386 guest failed: $(tail -5 "$tmp/err")"; check_done; exit; }

for t in "${names[@]}"; do
	lines=$(sed -n "s/^$t: //p" <<<"$out")
	rc=$(sed -n "s/^EXIT $t //p" <<<"$out")
	# Results as the program printed them, renamed m32-CASE.
	sed -n 's/^\(ok\|not ok\|skip\) /\1 m32-/p; s/^  /  /p' <<<"$lines"
	if [ -z "$rc" ]; then
		fail "m32-$t" "did not run in the guest"
	elif [ "$rc" != 0 ]; then
		# A failing case already printed its `not ok` line; count a crash.
		grep -q '^not ok ' <<<"$lines" && check_failures=$((check_failures + 1)) ||
			fail "m32-$t" "exited with status $rc"
	fi
done
check_done
