#!/usr/bin/env bash
# Debian's own kernel fixes, live, on Debian's stock image: for each
# RELEASE:VERSION in KSPLICE_DEBIAN_UPDATES (default: the -56 image with
# 6.1.192-3, the -55 image with 6.1.192-2), `ksplice-create --kernel RELEASE
# --to VERSION` builds the update; its per-file report must put every
# changed file in it. In one guest of the image: the update's target
# modules are loaded from the image's own modules (with their dependencies
# from modules.dep), the subsystem's workload runs (tests/debian/), then
# `ksplice-apply --dry-run`, the real apply (Done!, ksplice-view lists the
# modules), a kprobe on the update's new copy of the changed function
# counts calls while the workload reaches it, the workload again, undo
# (Done!), the workload again, and the console stays clean. On the host
# `ksplice-inspect --match` over the image's vmlinux and the guest's
# kallsyms must give the dry-run's verdict.
set -uo pipefail
top=$(cd "$(dirname "$0")/../.." && pwd)
. "$top/tests/vm/lib.sh"
. "$top/tests/lib/check.sh"
create=$top/build/bin/ksplice-create
inspect=$top/build/bin/ksplice-inspect
tmp=$(mktemp -d)
trap '[ -n "${KSPLICE_KEEP_TMP:-}" ] || rm -rf "$tmp"' EXIT

cat >"$tmp/guest.sh" <<'GUEST'
. ./workload.sh
read -r id <id
for m in $(cat mods/order); do insmod "mods/$m"; done
prepare
workload && echo "WORKLOAD before ok" || echo "WORKLOAD before failed"
level=$(cut -f1 /proc/sys/kernel/printk)
echo 1 >/proc/sys/kernel/printk
echo KALLSYMS-BEGIN
gzip -c /proc/kallsyms | xxd -p
echo KALLSYMS-END
echo SECTIONS-BEGIN
grep -r . /sys/module/*/sections
echo SECTIONS-END
echo "$level" >/proc/sys/kernel/printk
dry=$(ksplice-apply --core ksplice.ko --dry-run --raw-errors update.tar.gz 2>/tmp/dry | head -1)
echo "DRYRUN ${dry:-error}"
sed 's/^/  | /' /tmp/dry
ksplice-apply --core ksplice.ko update.tar.gz >/tmp/apply 2>&1 || true
sed 's/^/APPLY /' /tmp/apply
ksplice-view --id "$id" | grep '^targets:' | sed 's/^/VIEW /'
# The update's new copy of the function: a kprobe in its primary module.
if [ -n "$REACH_FUNCTION" ]; then
	mount -t tracefs tracefs /sys/kernel/tracing 2>/dev/null || true
	t=/sys/kernel/tracing
	mod=$(grep " $REACH_FUNCTION\s*\[ksplice_${id}_" /proc/kallsyms | head -1 | sed 's/.*\[\(.*\)\]/\1/')
	echo "REACH-MODULE ${mod:-none}"
	if [ -n "$mod" ] && echo "p:ksp/reach $mod:$REACH_FUNCTION" >>$t/kprobe_events; then
		echo 1 >$t/events/ksp/reach/enable
		reach && echo "WORKLOAD reach ok" || echo "WORKLOAD reach failed"
		echo 0 >$t/events/ksp/reach/enable
		echo "REACH $(grep -c 'reach:' $t/trace)"
		echo "-:ksp/reach" >>$t/kprobe_events
	fi
fi
workload && echo "WORKLOAD applied ok" || echo "WORKLOAD applied failed"
ksplice-undo "$id" 2>&1 | sed 's/^/UNDO /'
workload && echo "WORKLOAD undone ok" || echo "WORKLOAD undone failed"
echo DEBIAN-END
GUEST

# modules_in_order MODDIR NAME...: the .ko paths (relative to MODDIR) to
# insmod, dependencies first, each once (modules.dep of the image).
modules_in_order() {
	local dir=$1 name
	shift
	declare -gA seen=()
	for name in "$@"; do add_module "$dir" "$(grep -m1 "/${name//_/[-_]}\.ko:" "$dir/modules.dep" | cut -d: -f1)"; done
}
add_module() {
	local dir=$1 ko=$2 dep
	[ -n "$ko" ] || return 1
	[ -z "${seen[$ko]:-}" ] || return 0
	seen[$ko]=1
	for dep in $(grep -m1 "^$ko:" "$dir/modules.dep" | cut -d: -f2); do add_module "$dir" "$dep"; done
	echo "$ko"
}

# report_outcomes REPORT: "PATH OUTCOME" per file of the JSON report.
report_outcomes() {
	python3 -c 'import json,sys
for f in json.load(open(sys.argv[1]))["files"]: print(f["path"], f["outcome"], f["class"] or "-", ",".join(f["targets"]), ",".join(f["functions"]))' "$1"
}

# The update package of one case, rebuilt when ksplice-create changes.
build_update() {
	local out=$top/build/debian-updates
	mkdir -p "$out"
	pkg=$out/$id.tar.gz report=$out/$id.json
	if [ -f "$pkg" ] && [ "$pkg" -nt "$create" ] && [ -f "$report" ]; then return 0; fi
	rm -f "$pkg" "$report"
	"$create" --id "$id" --kernel="$release" --to "$to" --report "$report" \
		--output-dir "$out" >"$out/$id.log" 2>&1 && mv "$out/ksplice-$id.tar.gz" "$pkg"
}

for c in ${KSPLICE_DEBIAN_UPDATES:-6.1.0-56-cloud-amd64:6.1.192-3 6.1.0-55-cloud-amd64:6.1.192-2}; do
	release=${c%%:*} to=${c#*:}
	abi=$(cut -d- -f2 <<<"$release")
	id=deb${abi}to$(tr -cd '0-9' <<<"$to")
	k=$abi
	g=$tmp/$k
	mkdir -p "$g/mods"
	eval "$("$VM_DIR/kernel" "debian-$release")" || { fail "debian-$k" "no fixture for $release"; continue; }
	if ! build_update; then
		fail "debian-$k-create" "$(tail -3 "$top/build/debian-updates/$id.log")"
		[ -f "$report" ] && report_outcomes "$report" | sed 's/^/  /'
		continue
	fi
	outcomes=$(report_outcomes "$report")
	echo "$outcomes" | sed 's/^/  report: /'
	if [ -n "$outcomes" ] && ! grep -v ' in-update ' <<<"$outcomes" | grep -q .; then
		pass "debian-$k-create"
	else
		fail "debian-$k-create" "not every file is in the update: $outcomes"
	fi
	file=$(head -1 <<<"$outcomes" | cut -d' ' -f1)
	subsystem=$(cut -d/ -f2 <<<"$file")
	workload=$top/tests/debian/workload-$subsystem
	[ -f "$workload.sh" ] || { fail "debian-$k" "no workload for $subsystem (tests/debian/)"; continue; }
	REACH_FUNCTION=
	. "$workload.host"
	guest_files "$g" || { fail "debian-$k" "guest files for $subsystem"; continue; }
	targets=$(tar -xzOf "$pkg" --wildcards '*/manifest' | awk '$1 == "target" && $2 != "vmlinux" { print $2 }')
	moddir=$(dirname "$KERNEL_IMAGE")/modules
	# shellcheck disable=SC2046
	order=$(modules_in_order "$moddir" $targets $(extra_modules)) ||
		{ fail "debian-$k" "modules $targets $(extra_modules) not in $moddir/modules.dep"; continue; }
	for ko in $order; do cp "$moddir/$ko" "$g/mods/"; done
	for ko in $order; do basename "$ko"; done >"$g/mods/order"
	core=$("$VM_DIR/build-module" "debian-$release" "$top/kmodule") || { fail "debian-$k" "ksplice.ko build failed"; continue; }
	{ cat "$workload.sh"; echo "REACH_FUNCTION=$REACH_FUNCTION"; } >"$g/workload.sh"
	echo "$id" >"$g/id"
	cp "$pkg" "$g/update.tar.gz"
	extra=()
	for f in "$g"/*.img "$g"/*.rpc; do [ -e "$f" ] && extra+=(--file "$f"); done
	tools=()
	for tool in ksplice-apply ksplice-undo ksplice-view; do
		tools+=(--file "$top/build/static/x86_64/$tool:bin/$tool")
	done
	"$VM_DIR/run-guest" --timeout 900 --file "$core:ksplice.ko" --file "$g/mods:mods" \
		--file "$g/workload.sh" --file "$g/id" --file "$g/update.tar.gz" "${extra[@]}" "${tools[@]}" \
		"debian-$release" "$tmp/guest.sh" >"$g/out" 2>"$g/err"
	rc=$?
	mkdir -p "$top/build/test-logs" && grep -v '^[0-9a-f]*$' "$g/out" >"$top/build/test-logs/t-debian-update-$k.guest"
	out=$(grep -v '^[0-9a-f]*$' "$g/out")
	grep -q '^WORKLOAD before ok' <<<"$out" && pass "debian-$k-modules-and-workload" ||
		fail "debian-$k-modules-and-workload" "$(grep -m3 'WORKLOAD\|insmod' <<<"$out")"
	dry=$(sed -n 's/^DRYRUN //p' <<<"$out")
	grep -q '^APPLY Done!' <<<"$out" && pass "debian-$k-apply" ||
		fail "debian-$k-apply" "$(grep '^APPLY\|  |' <<<"$out" | head -6)"
	view=$(grep '^VIEW targets:' <<<"$out")
	ok=$view
	for t in $targets; do grep -qF "$t (module, loaded)" <<<"$view" || ok=; done
	[ -n "$ok" ] && pass "debian-$k-view-modules" || fail "debian-$k-view-modules" "${view:-no targets line}"
	if [ -n "$REACH_FUNCTION" ]; then
		hits=$(sed -n 's/^REACH \([0-9]*\)$/\1/p' <<<"$out")
		[ "${hits:-0}" -gt 0 ] && grep -q '^WORKLOAD reach ok' <<<"$out" &&
			pass "debian-$k-reaches-$REACH_FUNCTION" ||
			fail "debian-$k-reaches-$REACH_FUNCTION" "$(grep '^REACH\|WORKLOAD reach' <<<"$out" | tr '\n' ' ')"
	fi
	grep -q '^WORKLOAD applied ok' <<<"$out" && grep -q '^WORKLOAD undone ok' <<<"$out" &&
		pass "debian-$k-workload-applied-undone" ||
		fail "debian-$k-workload-applied-undone" "$(grep '^WORKLOAD' <<<"$out" | tr '\n' ' ')"
	grep -q '^UNDO Done!' <<<"$out" && pass "debian-$k-undo" || fail "debian-$k-undo" "$(grep '^UNDO' <<<"$out")"
	# Offline: the image's vmlinux, the guest's kallsyms and module sections.
	if sed -n '/^KALLSYMS-BEGIN$/,/^KALLSYMS-END$/{/^KALLSYMS-/d;p}' "$g/out" |
		perl -ne 'chomp; print pack("H*", $_)' | gunzip >"$g/kallsyms" 2>/dev/null && [ -s "$g/kallsyms" ]; then
		sed -n '/^SECTIONS-BEGIN$/,/^SECTIONS-END$/{/^SECTIONS-/d;p}' "$g/out" >"$g/sections"
		sh "$(pristine_source)/scripts/extract-vmlinux" "$KERNEL_IMAGE" >"$g/vmlinux"
		mods=()
		for ko in $order; do mods+=(--module "$moddir/$ko"); done
		"$inspect" --match "$g/vmlinux" --kallsyms "$g/kallsyms" --sections "$g/sections" "${mods[@]}" \
			"$pkg" >"$g/match" 2>&1
		offline=$(sed -n 's/^verdict: \([a-z_]*\):.*/\1/p' "$g/match")
		[ "$dry" = ok ] && [ "$offline" = ok ] && pass "debian-$k-dry-run-and-offline-agree" ||
			fail "debian-$k-dry-run-and-offline-agree" "dry-run ${dry:-none}, offline ${offline:-none}: $(tail -2 "$g/match" | tr '\n' ' ')"
	else
		fail "debian-$k-dry-run-and-offline-agree" "no kallsyms dump from the guest"
	fi
	[ $rc = 0 ] && grep -q '^DEBIAN-END' <<<"$out" && pass "debian-$k-console-clean" ||
		fail "debian-$k-console-clean" "$(grep -m1 "^run-guest:" "$g/err") $(tail -3 "$g/err")"
done
check_done
