# Shell side of the test protocol (see tests/lib/check.h): source it, then
#   pass NAME | fail NAME WHY | skip NAME REASON
# and finish with `check_done` as the script's exit status.
check_failures=0
pass() { echo "ok $1"; }
fail() { echo "not ok $1: ${*:2}"; check_failures=$((check_failures + 1)); }
skip() { echo "skip $1: ${*:2}"; }
check_done() { [ "$check_failures" = 0 ]; }
