#!/usr/bin/env bash
# The test rig itself: every test kernel boots, loads a module built by the
# project, runs the static guest tools; and the runner's failure rules work
# (console warnings, guest script status, timeouts).
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
. "$here/lib.sh"
. "$TOP_DIR/tests/lib/check.sh"
kernels=${KSPLICE_TEST_KERNELS:-x86_64 debian i386}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

cat >"$tmp/smoke.sh" <<'GUEST'
insmod smoke.ko
line=$(cat /proc/ksplice_smoke)
rel=$(uname -r)
want="ksplice-smoke $rel $(( ${#rel} * 1000 + 42 ))"
[ "$line" = "$want" ] || { echo "smoke: got '$line', want '$want'"; exit 1; }
rmmod smoke
[ ! -e /proc/ksplice_smoke ] || { echo "smoke: /proc entry survived rmmod"; exit 1; }
[ -z "$(ksplice-view -q)" ] || { echo "ksplice-view listed updates on a fresh kernel"; exit 1; }
if ksplice-view --id nosuch 2>/dev/null; then echo "ksplice-view --id nosuch succeeded"; exit 1; fi
insmod ksplice.ko
[ -d /sys/kernel/ksplice ] || { echo "ksplice.ko did not create /sys/kernel/ksplice"; exit 1; }
[ -z "$(ksplice-view -q)" ] || { echo "ksplice-view listed updates with an empty core"; exit 1; }
rmmod ksplice
[ ! -e /sys/kernel/ksplice ] || { echo "/sys/kernel/ksplice survived rmmod"; exit 1; }
echo "SMOKE-OK $rel $(uname -m)"
GUEST

for k in $kernels; do
	eval "$("$VM_DIR/kernel" "$k")" || { fail "smoke-$k" "kernel fixture unavailable"; continue; }
	ko=$("$VM_DIR/build-module" "$k" "$TOP_DIR/tests/modules/smoke") || { fail "smoke-$k" "module build failed"; continue; }
	core=$("$VM_DIR/build-module" "$k" "$TOP_DIR/kmodule") || { fail "smoke-$k" "ksplice.ko build failed"; continue; }
	out=$("$VM_DIR/run-guest" --file "$ko" --file "$core" --file "$TOP_DIR/build/static/$KERNEL_TOOLS_ARCH/ksplice-view:bin/ksplice-view" \
		"$k" "$tmp/smoke.sh" 2>"$tmp/err")
	if [ $? = 0 ] && grep -q '^SMOKE-OK ' <<<"$out"; then
		pass "smoke-$k ($(grep '^SMOKE-OK' <<<"$out" | cut -d' ' -f2-))"
	else
		fail "smoke-$k" "$out $(cat "$tmp/err")"
	fi
done

# A module that WARN()s must fail the run even though the script succeeds.
ko=$("$VM_DIR/build-module" x86_64 "$TOP_DIR/tests/modules/warn")
echo 'insmod warn.ko; echo loaded' >"$tmp/warn.sh"
if "$VM_DIR/run-guest" --file "$ko" x86_64 "$tmp/warn.sh" >/dev/null 2>"$tmp/err"; then
	fail runner-reports-warning "a WARN() on the console did not fail the run"
elif grep -q 'kernel errors on the console' "$tmp/err" && grep -q 'deliberate warning' "$tmp/err"; then
	pass runner-reports-warning
else
	fail runner-reports-warning "failed for another reason: $(head -3 "$tmp/err")"
fi

# The guest script's exit status is the run's.
echo 'exit 3' >"$tmp/exit3.sh"
if "$VM_DIR/run-guest" x86_64 "$tmp/exit3.sh" >/dev/null 2>"$tmp/err"; then
	fail runner-reports-script-status "a failing guest script passed"
else
	grep -q 'exited with status 3' "$tmp/err" && pass runner-reports-script-status ||
		fail runner-reports-script-status "$(head -3 "$tmp/err")"
fi

# A hung guest is stopped at the timeout.
echo 'sleep 600' >"$tmp/hang.sh"
if "$VM_DIR/run-guest" --timeout 15 x86_64 "$tmp/hang.sh" >/dev/null 2>"$tmp/err"; then
	fail runner-enforces-timeout "a hung guest passed"
else
	grep -q 'timed out after 15s' "$tmp/err" && pass runner-enforces-timeout ||
		fail runner-enforces-timeout "$(head -3 "$tmp/err")"
fi
check_done
