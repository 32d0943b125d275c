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

# expect_run NAME WANT_RC PATTERN CMD...: run CMD; it must exit with WANT_RC
# and print (on stdout or stderr) a line matching PATTERN (grep). Its output
# stays in $check_out for further checks.
check_out=
expect_run() {
	local name=$1 want=$2 pattern=$3 rc
	shift 3
	check_out=$("$@" 2>&1)
	rc=$?
	if [ $rc = "$want" ] && grep -q -- "$pattern" <<<"$check_out"; then
		pass "$name"
	else
		fail "$name" "rc $rc (want $want), output: $(head -3 <<<"$check_out")"
	fi
}
