#!/usr/bin/env bash
# A jump label on a non-exported static key in new code follows the live
# key: comm-tracepoint-jumplabel's primary holds the task_rename
# tracepoint, whose key ksplice.ko fills in while the primary loads. With
# the event enabled before the update loads, renaming a task through the
# new code records the event; disabled, it does not; enabled again, it
# does; after undo the primary unloads cleanly.
# And a jump label under the trampoline (rss-stat-tracepoint-entry: the
# rss_stat tracepoint's site is where the jump goes): with the event turned
# off while the update is applied, undo must write the site as the kernel's
# own NOP (i386's differ from x86-64's), so that enabling the event again
# after undo finds the bytes it expects and the event fires, unpatched.
# KSPLICE_LIVE_KERNELS (default "x86_64 debian i386") picks the kernels.
set -uo pipefail
top=$(cd "$(dirname "$0")/../.." && pwd)
. "$top/tests/vm/lib.sh"
. "$top/tests/lib/check.sh"
name=comm-tracepoint-jumplabel
id=$(corpus_id "$name")
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

cat >"$tmp/guest.sh" <<GUEST
id=$id
GUEST
cat >>"$tmp/guest.sh" <<'GUEST'
T=/sys/kernel/debug/tracing
[ -d $T ] || T=/sys/kernel/tracing
E=$T/events/task/task_rename/enable
rename() { sh -c 'echo -n ksplice-comm > /proc/$$/comm; c=$(cat /proc/$$/comm); echo $c'; }
events() { echo > $T/trace; r=$(rename); echo "$1 $r $(grep -c 'newcomm=ksplice-comm' $T/trace)"; }
echo 1 > $E
ksplice-apply --core ksplice.ko pkg.tar.gz >/dev/null
events enabled-before-load
echo 0 > $E
events disabled
echo 1 > $E
events enabled-again
echo 0 > $E
ksplice-undo "$id" >/dev/null && echo undone
events after-undo
echo "JUMPLABEL-END"
GUEST

under=rss-stat-tracepoint-entry
under_id=$(corpus_id "$under")
cat >"$tmp/under.sh" <<GUEST
id=$under_id
GUEST
cat >>"$tmp/under.sh" <<'GUEST'
T=/sys/kernel/debug/tracing
[ -d $T ] || T=/sys/kernel/tracing
E=$T/events/kmem/rss_stat/enable
yn() { [ "$1" -gt 0 ] && echo yes || echo no; }
rss() {
	echo > $T/trace
	sh -c 'echo -n ksplice-rss > /proc/self/comm; cat /proc/self/status > /dev/null; x=$(seq 1 2000); exit 0'
	echo "$1 patched=$(yn $(grep -c 'size=17375232B' $T/trace)) events=$(yn $(grep -c 'rss_stat:' $T/trace))"
}
echo 1 > $E
ksplice-apply --core ksplice.ko pkg.tar.gz >/dev/null
rss applied-on
echo 0 > $E
rss applied-off
ksplice-undo "$id" >/dev/null && echo undone-off
rss after-undo-off
echo 1 > $E
rss after-undo-on
echo 0 > $E
rss after-undo-off-again
echo "JUMPLABEL-END"
GUEST

# run_case KERNEL NAME SCRIPT: the guest's output, for the package of corpus case NAME.
run_case() {
	local kernel=$1 case=$2 script=$3 pkg core tools=()
	pkg=$("$top/tests/lib/corpus-package" "$kernel" "$case" 2>"$tmp/err") ||
		{ echo "CREATE-FAILED $(tail -2 "$tmp/err")"; return 1; }
	core=$("$VM_DIR/build-module" "$kernel" "$top/kmodule") || { echo "CORE-FAILED"; return 1; }
	for tool in ksplice-apply ksplice-undo; do
		tools+=(--file "$top/build/static/$KERNEL_TOOLS_ARCH/$tool:bin/$tool")
	done
	"$VM_DIR/run-guest" --timeout 300 --file "$pkg:pkg.tar.gz" --file "$core:ksplice.ko" \
		"${tools[@]}" "$kernel" "$script" 2>"$tmp/err"
}

# expect_steps PREFIX OUT STEP-LINE...: each line in OUT, then a clean end.
expect_steps() {
	local prefix=$1 out=$2 want step
	shift 2
	for want in "$@"; do
		step=${want%% *}
		grep -qx "$want" <<<"$out" && pass "$prefix-$step" ||
			fail "$prefix-$step" "want '$want', got: $(grep "^$step" <<<"$out" || head -2 <<<"$out")"
	done
	grep -q '^JUMPLABEL-END' <<<"$out" && [ "$rc" = 0 ] && pass "$prefix-console-clean" ||
		fail "$prefix-console-clean" "$(tail -5 "$tmp/err")"
}

for kernel in ${KSPLICE_LIVE_KERNELS:-x86_64 debian i386}; do
	eval "$("$VM_DIR/kernel" "$kernel")"
	out=$(run_case "$kernel" "$name" "$tmp/guest.sh")
	rc=$?
	expect_steps "jumplabel-$kernel" "$out" "enabled-before-load ksplice-renamed 1" "disabled ksplice-renamed 0" \
		"enabled-again ksplice-renamed 1" "after-undo ksplice-comm 0" undone
	out=$(run_case "$kernel" "$under" "$tmp/under.sh")
	rc=$?
	expect_steps "jumplabel-under-$kernel" "$out" "applied-on patched=yes events=yes" \
		"applied-off patched=no events=no" undone-off "after-undo-off patched=no events=no" \
		"after-undo-on patched=no events=yes" "after-undo-off-again patched=no events=no"
done
check_done
