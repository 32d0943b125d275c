# Shell side of the test protocol (see tests/lib/check.h): source it, then
#   pass NAME | fail NAME WHY | skip NAME REASON
# and finish with `check_done` as the script's exit status.
check_failures=0
pass() { echo "ok $1"; }
fail() { echo "not ok $1: ${*:2}"; check_failures=$((check_failures + 1)); }
skip() { echo "skip $1: ${*:2}"; }
check_done() { [ "$check_failures" = 0 ]; }

# expect_result PREFIX KERNEL CASE WANT OUT: the guest's "RESULT CASE ..."
# line in OUT must read WANT; reported as PREFIX-KERNEL-CASE.
expect_result() {
	local got
	got=$(sed -n "s/^RESULT $3 //p" <<<"$5" | head -1)
	[ "$got" = "$4" ] && pass "$1-$2-$3" || fail "$1-$2-$3" "got '$got', want '$4'"
}
