#!/usr/bin/env bash
# Hooks and shadow data (core/ksplice-patch.h) live, in one guest per kernel
# (KSPLICE_HOOKS_KERNELS, default "x86_64 debian"), beyond what t-live.sh
# checks for the applying hook-* corpus cases:
#   - hook-pre-apply-refuses: its pre_apply hook returns -EBUSY, so
#     ksplice-apply fails with call_failed, /proc/version is unchanged, its
#     fail_apply hook ran (kernel log), and no update is left registered;
#   - hook-shadow-task-reads: while applied, reading /proc/PID/personality
#     attaches a shadow counter to task PID; six tasks get one and exit with
#     their shadows still attached, and undo frees them: the live count in
#     /sys/module/ksplice/parameters/live_shadows goes back to where it was before apply.
set -uo pipefail
top=$(cd "$(dirname "$0")/../.." && pwd)
. "$top/tests/vm/lib.sh"
. "$top/tests/lib/check.sh"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

cat >"$tmp/guest.sh" <<'GUEST'
insmod ksplice.ko
r() { echo "RESULT $*"; }
apply() { ksplice-apply --raw-errors "pkgs/$1.tar.gz" 2>"/tmp/$1.err" | head -1; }
undo() { ksplice-undo --raw-errors "$1" 2>"/tmp/undo-$1.err" | head -1; }
chk() { sh "checks/$1.check" >/dev/null 2>&1 && echo pass || echo fail; }
shadows() { cat /sys/module/ksplice/parameters/live_shadows; }

start=$(shadows)
r refuse "$(apply hookpreapplyrefuses)"
sed 's/^/  | /' /tmp/hookpreapplyrefuses.err
r refuse-unchanged "$(chk hook-pre-apply-refuses)"
r refuse-fail-hook "$(dmesg | grep -c 'ksplice-test: fail_apply hook ran')"
r refuse-left "$(ls /sys/kernel/ksplice | tr '\n' ' ')end"

r shadow-before "$(chk hook-shadow-task-reads)"
r shadow-apply "$(apply hookshadowtaskreads)"
# Six live tasks get a shadow each (live, so no two share an address), then
# exit with it still attached.
pids=
for i in 1 2 3 4 5 6; do
	sleep 600 &
	pids="$pids $!"
done
for p in $pids; do cat /proc/$p/personality >/dev/null; done
r shadow-applied "$(chk hook-shadow-task-reads)"
n=$(shadows)
[ "$n" -ge $((start + 6)) ] && r shadow-live yes || r shadow-live "no ($start -> $n)"
kill $pids
wait
r shadow-undo "$(undo hookshadowtaskreads)"
[ "$(shadows)" = "$start" ] && r shadow-freed yes || r shadow-freed "no ($start -> $(shadows))"
r shadow-undone "$(chk hook-shadow-task-reads)"
r left "$(ls /sys/kernel/ksplice | tr '\n' ' ')end"
GUEST

# expect KERNEL CASE WANT OUT
expect() { expect_result hooks "$@"; }

for k in ${KSPLICE_HOOKS_KERNELS:-x86_64 debian i386}; do
	eval "$("$VM_DIR/kernel" "$k")" || { fail "hooks-$k" "kernel fixture unavailable"; continue; }
	g=$tmp/$k
	mkdir -p "$g/pkgs" "$g/checks"
	ok=1
	for name in hook-pre-apply-refuses hook-shadow-task-reads; do
		pkg=$("$top/tests/lib/corpus-package" "$k" "$name" 2>"$g/err") &&
			cp "$pkg" "$g/pkgs/$(corpus_id "$name").tar.gz" &&
			cp "$top/tests/patches/$name.check" "$g/checks/" ||
			{ fail "hooks-$k-$name" "$(tail -2 "$g/err")"; ok=; }
	done
	core=$("$VM_DIR/build-module" "$k" "$top/kmodule") || { fail "hooks-$k" "ksplice.ko build failed"; ok=; }
	[ -n "$ok" ] || continue
	out=$("$VM_DIR/run-guest" --timeout 300 --file "$core" --file "$g/pkgs:pkgs" \
		--file "$g/checks:checks" \
		--file "$top/build/static/$KERNEL_TOOLS_ARCH/ksplice-apply:bin/ksplice-apply" \
		--file "$top/build/static/$KERNEL_TOOLS_ARCH/ksplice-undo:bin/ksplice-undo" \
		"$k" "$tmp/guest.sh" 2>"$g/guest.err")
	rc=$?
	mkdir -p "$top/build/test-logs" && echo "$out" >"$top/build/test-logs/t-hooks-$k.guest"
	expect "$k" refuse call_failed "$out"
	expect "$k" refuse-unchanged fail "$out"
	expect "$k" refuse-fail-hook 1 "$out"
	expect "$k" refuse-left end "$out"
	expect "$k" shadow-before fail "$out"
	expect "$k" shadow-apply ok "$out"
	expect "$k" shadow-applied pass "$out"
	expect "$k" shadow-live yes "$out"
	expect "$k" shadow-undo ok "$out"
	expect "$k" shadow-freed yes "$out"
	expect "$k" shadow-undone fail "$out"
	expect "$k" left end "$out"
	[ $rc = 0 ] && pass "hooks-$k-console-clean" || fail "hooks-$k-console-clean" "$(tail -5 "$g/guest.err")"
done
check_done
