#!/usr/bin/env bash
# The debug log and the tools in the way, in one guest per kernel
# (KSPLICE_DEBUG_KERNELS, default "x86_64 debian"):
#   - ksplice-apply --debugfile saves /sys/kernel/debug/ksplice/<id>: the
#     matched sections, the jump sites written and the stop_machine timing;
#     with debugfs unmounted it saves the sysfs first page and says so;
#   - an aborted apply (foreign code, no_match) logs the section, offset,
#     expected and found bytes, and ksplice-apply prints that line;
#   - --partial: an update for vmlinux and configfs, with configfs not
#     loaded, is refused with target_not_loaded without it and applies the
#     vmlinux part with it;
#   - a livepatch of execdomains_proc_show (tests/modules/lp_execdomains)
#     makes the execdomains-string update refuse, naming livepatch, with the
#     text unchanged; once the livepatch is disabled and removed it applies;
#   - a kprobe (kprobe_events) on that function refuses it too, naming
#     kprobes.
set -uo pipefail
top=$(cd "$(dirname "$0")/../.." && pwd)
. "$top/tests/vm/lib.sh"
. "$top/tests/lib/check.sh"
create=$top/build/bin/ksplice-create
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

. "$top/tests/lib/test-packages.sh"

cat >"$tmp/guest.sh" <<'GUEST'
insmod ksplice.ko
r() { echo "RESULT $*"; }
has() { grep -q -- "$2" "$1" && echo yes || echo "no: $2"; }
show() { sed "s/^/LOG $1 /" "$2"; }

# Success: the whole log, saved by --debugfile.
ksplice-apply --debugfile /tmp/ok.log pkgs/uname.tar.gz >/dev/null 2>/tmp/ok.err && rc=0 || rc=$?
r ok-rc $rc
show ok /tmp/ok.log
r ok-matched "$(has /tmp/ok.log '^vmlinux: ok: [0-9]* sections matched, [0-9]* symbols bound')"
r ok-section "$(has /tmp/ok.log '^  __do_sys_newuname at 0x[0-9a-f]* (of 1 candidates)')"
r ok-reloc "$(has /tmp/ok.log '^  reloc [^ ]* at .*: 0x[0-9a-f]* (')"
r ok-site "$(has /tmp/ok.log '^vmlinux: jump written at 0x[0-9a-f]* (__do_sys_newuname+0x[0-9a-f]*): .* -> e9 ')"
r ok-timing "$(has /tmp/ok.log '^stop_machine try 1: [0-9]* ns in stop_machine, [0-9]* ns in the callback')"
r ok-same-as-debugfs "$(cmp -s /tmp/ok.log /sys/kernel/debug/ksplice/unamedomainname && echo yes || echo no)"
ksplice-undo unamedomainname >/dev/null 2>&1 && rc=0 || rc=$?
r ok-undone $rc

# No debugfs: the sysfs first page, and a note.
umount /sys/kernel/debug
ksplice-apply --dry-run --debugfile /tmp/nodebugfs.log pkgs/uname.tar.gz >/dev/null 2>/tmp/nodebugfs.err && rc=0 || rc=$?
r nodebugfs-rc $rc
r nodebugfs-note "$(has /tmp/nodebugfs.err 'debugfs is not mounted')"
r nodebugfs-log "$(has /tmp/nodebugfs.log '^vmlinux: ok: ')"
mount -t debugfs debugfs /sys/kernel/debug

# Aborted: the mismatch, in the file and in the error message.
ksplice-apply --raw-errors --debugfile /tmp/foreign.log pkgs/foreign.tar.gz >/tmp/foreign.out 2>/tmp/foreign.err && rc=0 || rc=$?
r foreign-rc "$rc $(head -1 /tmp/foreign.out)"
show foreign /tmp/foreign.log
sed 's/^/ERR foreign /' /tmp/foreign.err
r foreign-logged "$(has /tmp/foreign.log '^vmlinux: no_match: section __do_sys_newuname at 0x[0-9a-f]* offset 0x[0-9a-f]*: [^:]*: expected [0-9a-f ]* found [0-9a-f ]*$')"
r foreign-candidates "$(has /tmp/foreign.log '^  candidates for __do_sys_newuname: 1 0x')"
r foreign-says "$(has /tmp/foreign.err '^Kernel: vmlinux: no_match: section __do_sys_newuname')"

# --partial: configfs is not loaded.
ksplice-apply --raw-errors pkgs/multi.tar.gz >/tmp/multi.out 2>/tmp/multi.err && rc=0 || rc=$?
r partial-without "$rc $(head -1 /tmp/multi.out) $(ls /sys/kernel/ksplice | tr '\n' ' ')end"
sed 's/^/ERR partial /' /tmp/multi.err
ksplice-apply --partial --raw-errors pkgs/multi.tar.gz >/tmp/multi.out 2>/tmp/multi.err && rc=0 || rc=$?
r partial-with "$rc $(head -1 /tmp/multi.out)"
sed 's/^/ERR partial /' /tmp/multi.err
r partial-applied "$(grep -q ' ksplice$' /proc/uptime && echo yes || echo no)"
ksplice-undo multitargetvmlinuxconfig >/dev/null 2>&1 && rc=0 || rc=$?
r partial-undone "$rc $(grep -q ' ksplice$' /proc/uptime && echo still || echo gone)"

# A livepatch on the function to replace (kernels with livepatch only).
domain() { sed 's/.*\[\(.*\)\].*/\1/' /proc/execdomains; }
if [ -f lp_execdomains.ko ]; then
insmod lp_execdomains.ko
r lp-active "$(domain)"
ksplice-apply --raw-errors --debugfile /tmp/lp.log pkgs/execdom.tar.gz >/tmp/lp.out 2>/tmp/lp.err && rc=0 || rc=$?
r lp-refused "$rc $(head -1 /tmp/lp.out)"
sed 's/^/ERR livepatch /' /tmp/lp.err
r lp-named "$(has /tmp/lp.err '^Kernel: unexpected: execdomains_proc_show is redirected through ftrace by a livepatch')"
r lp-left "$(domain) $(ls /sys/kernel/ksplice | tr '\n' ' ')end"
echo 0 >/sys/kernel/livepatch/lp_execdomains/enabled
i=0
while [ -d /sys/kernel/livepatch/lp_execdomains ] && [ $i -lt 30 ]; do sleep 1; i=$((i + 1)); done
rmmod lp_execdomains || echo "rmmod lp_execdomains failed"
r lp-gone "$(domain)"
ksplice-apply --raw-errors pkgs/execdom.tar.gz >/tmp/lp.out 2>/tmp/lp.err && rc=0 || rc=$?
r lp-then "$rc $(head -1 /tmp/lp.out) $(domain)"
ksplice-undo execdomainsstring >/dev/null 2>&1 && rc=0 || rc=$?
r lp-undone "$rc $(domain)"
fi

# A kprobe on it.
kp=/sys/kernel/tracing
[ -d $kp/events ] || mount -t tracefs tracefs $kp
echo 'p:ksplicetest execdomains_proc_show' >>$kp/kprobe_events
echo 1 >$kp/events/kprobes/ksplicetest/enable
ksplice-apply --raw-errors pkgs/execdom.tar.gz >/tmp/kp.out 2>/tmp/kp.err && rc=0 || rc=$?
r kp-refused "$rc $(head -1 /tmp/kp.out) $(domain)"
sed 's/^/ERR kprobe /' /tmp/kp.err
r kp-named "$(has /tmp/kp.err '^Kernel: unexpected: a kprobe is registered at execdomains_proc_show')"
echo 0 >$kp/events/kprobes/ksplicetest/enable
echo '-:ksplicetest' >>$kp/kprobe_events
ksplice-apply --raw-errors pkgs/execdom.tar.gz >/tmp/kp.out 2>/tmp/kp.err && rc=0 || rc=$?
r kp-then "$rc $(head -1 /tmp/kp.out) $(domain)"
ksplice-undo execdomainsstring >/dev/null 2>&1 || true
r left "$(ls /sys/kernel/ksplice | tr '\n' ' ')end"
GUEST

# expect KERNEL CASE WANT OUT
expect() { expect_result debug "$@"; }

for k in ${KSPLICE_DEBUG_KERNELS:-x86_64 debian i386}; do
	eval "$("$VM_DIR/kernel" "$k")" || { fail "debug-$k" "kernel fixture unavailable"; continue; }
	g=$tmp/$k
	mkdir -p "$g/pkgs"
	ok=1
	for spec in uname:uname-domainname multi:multi-target-vmlinux-configfs \
		execdom:execdomains-string; do
		pkg=$("$top/tests/lib/corpus-package" "$k" "${spec#*:}" 2>"$g/err") &&
			cp "$pkg" "$g/pkgs/${spec%%:*}.tar.gz" || { fail "debug-$k-${spec#*:}" "$(tail -2 "$g/err")"; ok=; }
	done
	pkg=$(foreign_package "$k") && cp "$pkg" "$g/pkgs/foreign.tar.gz" ||
		{ fail "debug-$k-foreign-package" "ksplice-create failed"; ok=; }
	core=$("$VM_DIR/build-module" "$k" "$top/kmodule") || { fail "debug-$k" "ksplice.ko build failed"; ok=; }
	# x86-32 has no livepatch (CONFIG_LIVEPATCH needs x86-64): no livepatch case there.
	lp=
	if grep -q '^CONFIG_LIVEPATCH=y' "$KERNEL_KDIR/.config"; then
		lp=$("$VM_DIR/build-module" "$k" "$top/tests/modules/lp_execdomains") ||
			{ fail "debug-$k" "livepatch module build failed"; ok=; }
	fi
	[ -n "$ok" ] || continue
	out=$("$VM_DIR/run-guest" --timeout 300 --file "$core" ${lp:+--file "$lp"} --file "$g/pkgs:pkgs" \
		--file "$top/build/static/$KERNEL_TOOLS_ARCH/ksplice-apply:bin/ksplice-apply" \
		--file "$top/build/static/$KERNEL_TOOLS_ARCH/ksplice-undo:bin/ksplice-undo" \
		"$k" "$tmp/guest.sh" 2>"$g/guest.err")
	rc=$?
	mkdir -p "$top/build/test-logs" && echo "$out" >"$top/build/test-logs/t-debug-$k.guest"
	expect "$k" ok-rc 0 "$out"
	for c in ok-matched ok-section ok-reloc ok-site ok-timing ok-same-as-debugfs \
		nodebugfs-note nodebugfs-log foreign-logged foreign-candidates foreign-says \
		partial-applied kp-named; do
		expect "$k" "$c" yes "$out"
	done
	expect "$k" ok-undone 0 "$out"
	expect "$k" nodebugfs-rc 0 "$out"
	expect "$k" foreign-rc "1 no_match" "$out"
	expect "$k" partial-without "1 target_not_loaded end" "$out"
	expect "$k" partial-with "0 ok" "$out"
	expect "$k" partial-undone "0 gone" "$out"
	if [ -n "$lp" ]; then
		expect "$k" lp-active livepatch "$out"
		expect "$k" lp-refused "1 unexpected" "$out"
		expect "$k" lp-named yes "$out"
		expect "$k" lp-left "livepatch end" "$out"
		expect "$k" lp-gone kernel "$out"
		expect "$k" lp-then "0 ok ksplice" "$out"
		expect "$k" lp-undone "0 kernel" "$out"
	else
		skip "debug-$k-livepatch" "the kernel has no livepatch (CONFIG_LIVEPATCH is x86-64 only)"
	fi
	expect "$k" kp-refused "1 unexpected kernel" "$out"
	expect "$k" kp-then "0 ok ksplice" "$out"
	expect "$k" left end "$out"
	[ $rc = 0 ] && pass "debug-$k-console-clean" || fail "debug-$k-console-clean" "$(tail -5 "$g/guest.err")"
done
check_done
