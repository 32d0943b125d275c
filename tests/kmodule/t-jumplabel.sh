#!/usr/bin/env bash
# A jump label on a non-exported static key in new code follows the live
# key: comm-tracepoint-jumplabel's primary holds the task_rename
# tracepoint, whose key ksplice.ko fills in while the primary loads. With
# the event enabled before the update loads, renaming a task through the
# new code records the event; disabled, it does not; enabled again, it
# does; after undo the primary unloads cleanly. KSPLICE_LIVE_KERNELS
# (default "x86_64 debian") picks the kernels.
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

for kernel in ${KSPLICE_LIVE_KERNELS:-x86_64 debian i386}; do
	eval "$("$VM_DIR/kernel" "$kernel")"
	pkg=$("$top/tests/lib/corpus-package" "$kernel" "$name" 2>"$tmp/err") ||
		{ fail "jumplabel-$kernel" "ksplice-create failed: $(tail -2 "$tmp/err")"; continue; }
	core=$("$VM_DIR/build-module" "$kernel" "$top/kmodule") ||
		{ fail "jumplabel-$kernel" "ksplice.ko build failed"; continue; }
	tools=()
	for tool in ksplice-apply ksplice-undo; do
		tools+=(--file "$top/build/static/$KERNEL_TOOLS_ARCH/$tool:bin/$tool")
	done
	out=$("$VM_DIR/run-guest" --timeout 300 --file "$pkg:pkg.tar.gz" --file "$core:ksplice.ko" \
		"${tools[@]}" "$kernel" "$tmp/guest.sh" 2>"$tmp/err")
	rc=$?
	for want in "enabled-before-load ksplice-renamed 1" "disabled ksplice-renamed 0" \
		    "enabled-again ksplice-renamed 1" "after-undo ksplice-comm 0" undone; do
		step=${want%% *}
		grep -qx "$want" <<<"$out" && pass "jumplabel-$kernel-$step" ||
			fail "jumplabel-$kernel-$step" "want '$want', got: $(grep "^$step" <<<"$out")"
	done
	[ $rc = 0 ] && grep -q '^JUMPLABEL-END' <<<"$out" && pass "jumplabel-$kernel-console-clean" ||
		fail "jumplabel-$kernel-console-clean" "$(tail -5 "$tmp/err")"
done
check_done
