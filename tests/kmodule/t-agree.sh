#!/usr/bin/env bash
# Three answers to "does this update apply?" must agree, per corpus case:
# `ksplice-apply --dry-run` and the real apply (then undo) in a guest, and
# `ksplice-inspect --match` on the host, offline, over the kernel's vmlinux
# (extracted from the vmlinuz for Debian) and the guest's /proc/kallsyms.
# Every applying corpus patch must say ok three times; a foreign update
# (built from a tree whose __do_sys_newuname differs) must say no_match
# three times. Module targets are checked offline with the loaded .ko files
# and the guest's /sys/module/*/sections; without their module in the
# dumps they are target_not_loaded. Bad input to --match is refused with
# one message. One guest boot per kernel.
# KSPLICE_AGREE_KERNELS (default: KSPLICE_LIVE_KERNELS, else "x86_64 debian i386")
# picks the kernels, corpus_runs (tests/vm/lib.sh) the cases.
set -uo pipefail
top=$(cd "$(dirname "$0")/../.." && pwd)
. "$top/tests/vm/lib.sh"
. "$top/tests/lib/check.sh"
create=$top/build/bin/ksplice-create
inspect=$top/build/bin/ksplice-inspect
tmp=$(mktemp -d)
trap '[ -n "${KSPLICE_KEEP_TMP:-}" ] || rm -rf "$tmp"' EXIT

cat >"$tmp/guest.sh" <<'GUEST'
# Module targets must be loaded for dry-run and apply alike; their symbols
# are in the dump too (tagged [module]), for the offline check of module
# targets, with where their sections were loaded.
for m in $(find mods -name '*.ko'); do insmod "$m"; done
# The kallsyms dump, as root (it is): the addresses are real. Kernel
# messages would land inside it on the console: quiet them meanwhile. Hex,
# not base64: base64 text can spell a word run-guest treats as a kernel error
# ("Oops"), hex digits cannot.
level=$(cut -f1 /proc/sys/kernel/printk)
echo 1 >/proc/sys/kernel/printk
echo KALLSYMS-BEGIN
gzip -c /proc/kallsyms | xxd -p
echo KALLSYMS-END
echo SECTIONS-BEGIN
grep -r . /sys/module/*/sections
echo SECTIONS-END
echo "$level" >/proc/sys/kernel/printk
first() { head -1 | grep . || echo error; }
while read -r name id; do
	dry=$(ksplice-apply --core ksplice.ko --dry-run --raw-errors "pkgs/$name.tar.gz" 2>/tmp/err | first)
	real=$(ksplice-apply --core ksplice.ko --raw-errors "pkgs/$name.tar.gz" 2>>/tmp/err | first)
	undo=-
	[ "$real" != ok ] || undo=$(ksplice-undo --raw-errors "$id" 2>>/tmp/err | first)
	echo "AGREE $name $dry $real $undo"
	sed 's/^/  | /' /tmp/err | head -5
done <cases
echo AGREE-END
GUEST

. "$top/tests/lib/test-packages.sh"

# The target modules of the corpus, where the guest loads them from.
copy_target_modules() {
	local kernel=$1 dest=$2 rel src
	for rel in drivers/net/dummy.ko fs/configfs/configfs.ko; do
		if [ "$kernel" = debian ]; then
			src=$(dirname "$KERNEL_IMAGE")/modules/kernel/$rel
		else
			src=$KERNEL_KDIR/$rel
		fi
		mkdir -p "$dest/$(dirname "$rel")" && cp "$src" "$dest/$rel" || return 1
	done
}

# The uncompressed vmlinux of the kernel: the build tree's, or extracted.
kernel_vmlinux() {
	local kernel=$1 dest=$2
	if [ -f "$KERNEL_KDIR/vmlinux" ]; then
		echo "$KERNEL_KDIR/vmlinux"
	else
		sh "$(pristine_source)/scripts/extract-vmlinux" "$KERNEL_IMAGE" >"$dest" &&
			echo "$dest"
	fi
}

# Queue case NAME (expected verdict WANT) with package PKG for the guest.
queue() {
	local name=$1 want=$2 pkg=$3 id
	id=$(tar -xzOf "$pkg" --wildcards '*/manifest' | sed -n 's/^id //p')
	cp "$pkg" "$g/pkgs/$name.tar.gz"
	echo "$name $id" >>"$g/cases"
	echo "$name $want" >>"$g/want"
}

# offline_match KALLSYMS SECTIONS PACKAGE: ksplice-inspect --match with the
# kernel's vmlinux and every target module the guest loaded.
offline_match() {
	local mods=() ko
	for ko in $(find "$g/mods" -name '*.ko'); do mods+=(--module "$ko"); done
	"$inspect" --match "$vmlinux" --kallsyms "$1" --sections "$2" "${mods[@]}" "$3"
}

# Without configfs in the dumps, a package for it is target_not_loaded.
check_not_loaded() {
	local k=$1 name=multi-target-vmlinux-configfs out
	[ -f "$g/pkgs/$name.tar.gz" ] || return 0
	grep -v '\[configfs\]' "$g/kallsyms" >"$g/kallsyms-noconfigfs"
	grep -v '/configfs/' "$g/sections" >"$g/sections-noconfigfs"
	out=$(offline_match "$g/kallsyms-noconfigfs" "$g/sections-noconfigfs" "$g/pkgs/$name.tar.gz")
	[ $? = 3 ] && grep -q '^verdict: target_not_loaded:' <<<"$out" && pass "agree-$k-offline-not-loaded" ||
		fail "agree-$k-offline-not-loaded" "$(tail -2 <<<"$out")"
}

# ksplice-inspect --match's exit status for verdict WANT.
want_exit() {
	[ "$1" = ok ] && echo 0 || echo 3
}

# check_case KERNEL NAME WANT: the three verdicts against each other and WANT.
check_case() {
	local k=$1 name=$2 want=$3 line dry real undo offline rc
	line=$(grep "^AGREE $name " "$g/out")
	read -r _ _ dry real undo <<<"$line"
	offline_match "$g/kallsyms" "$g/sections" "$g/pkgs/$name.tar.gz" >"$g/$name.match" 2>&1
	rc=$?
	offline=$(sed -n 's/^verdict: \([a-z_]*\):.*/\1/p' "$g/$name.match")
	if [ -z "$line" ]; then
		fail "agree-$k-$name" "no result from the guest"
	elif [ "$dry" = "$want" ] && [ "$real" = "$want" ] && [ "$offline" = "$want" ] &&
		[ $rc = "$(want_exit "$want")" ] && { [ "$want" != ok ] || [ "$undo" = ok ]; }; then
		pass "agree-$k-$name"
	else
		fail "agree-$k-$name" "dry-run $dry, apply $real (undo $undo), offline ${offline:-none} (exit $rc); want $want: $(grep -v 'matched at' "$g/$name.match" | tail -3 | tr '\n' ' ')"
	fi
}

# refused KERNEL CASE MESSAGE ARGS...: ksplice-inspect ARGS exits 1 saying MESSAGE.
refused() {
	local k=$1 case=$2 msg=$3 out rc
	shift 3
	out=$("$inspect" "$@" 2>&1)
	rc=$?
	[ $rc = 1 ] && grep -q "$msg" <<<"$out" && [ "$(wc -l <<<"$out")" = 1 ] &&
		pass "agree-$k-refuses-$case" || fail "agree-$k-refuses-$case" "exit $rc: $out"
}

# Bad input to --match: one clear message, exit 1.
check_bad_input() {
	local k=$1 name=$2 pkg=$g/pkgs/$2.tar.gz
	refused "$k" vmlinuz "not an ELF file" --match "$KERNEL_IMAGE" --kallsyms "$g/kallsyms" "$pkg"
	sed 's/^[0-9a-f]*/0000000000000000/' "$g/kallsyms" >"$g/kallsyms-user"
	refused "$k" unprivileged-dump "take it as root" --match "$vmlinux" --kallsyms "$g/kallsyms-user" "$pkg"
	refused "$k" not-a-package "not a package" --match "$vmlinux" --kallsyms "$g/kallsyms" "$g/kallsyms"
	awk '$3 == "_etext" { $1 = "ffffffffffff0000" } 1' "$g/kallsyms" >"$g/kallsyms-other"
	refused "$k" other-kernel "not of a kernel booted from this vmlinux" --match "$vmlinux" --kallsyms "$g/kallsyms-other" "$pkg"
}

for kernel in ${KSPLICE_AGREE_KERNELS:-${KSPLICE_LIVE_KERNELS:-x86_64 debian i386}}; do
	eval "$("$VM_DIR/kernel" "$kernel")" || { fail "agree-$kernel" "kernel fixture unavailable"; continue; }
	g=$tmp/$kernel
	mkdir -p "$g/pkgs"
	: >"$g/cases"
	: >"$g/want"
	for patch in "$top"/tests/patches/*.patch; do
		name=$(basename "$patch" .patch)
		[ -f "${patch%.patch}.check" ] || continue
		corpus_runs "$kernel" "$name" || continue
		[ ! -f "${patch%.patch}.pending" ] || continue	# t-live.sh reports these
		# A hook that refuses (NAME.abort) aborts after matching by design:
		# t-hooks.sh checks that case.
		[ ! -f "${patch%.patch}.abort" ] || continue
		if pkg=$("$top/tests/lib/corpus-package" "$kernel" "$name" 2>"$g/err"); then
			queue "$name" ok "$pkg"
		else
			fail "agree-$kernel-$name" "ksplice-create failed: $(tail -2 "$g/err")"
		fi
	done
	if pkg=$(foreign_package "$kernel"); then
		queue foreign no_match "$pkg"
	else
		fail "agree-$kernel-foreign" "cannot build the foreign package"
	fi
	core=$("$VM_DIR/build-module" "$kernel" "$top/kmodule") || { fail "agree-$kernel" "ksplice.ko build failed"; continue; }
	vmlinux=$(kernel_vmlinux "$kernel" "$g/vmlinux") || { fail "agree-$kernel" "no vmlinux for $KERNEL_IMAGE"; continue; }
	copy_target_modules "$kernel" "$g/mods" || { fail "agree-$kernel" "target modules missing"; continue; }
	"$VM_DIR/run-guest" --timeout 900 --file "$core:ksplice.ko" --file "$g/pkgs:pkgs" \
		--file "$g/mods:mods" --file "$g/cases:cases" \
		--file "$top/build/static/$KERNEL_TOOLS_ARCH/ksplice-apply:bin/ksplice-apply" \
		--file "$top/build/static/$KERNEL_TOOLS_ARCH/ksplice-undo:bin/ksplice-undo" \
		"$kernel" "$tmp/guest.sh" >"$g/out" 2>"$g/guest.err"
	rc=$?
	mkdir -p "$top/build/test-logs" && grep -v '^[0-9a-f]*$' "$g/out" >"$top/build/test-logs/t-agree-$kernel.guest"
	if ! sed -n '/^KALLSYMS-BEGIN$/,/^KALLSYMS-END$/{/^KALLSYMS-/d;p}' "$g/out" |
		perl -ne 'chomp; print pack("H*", $_)' | gunzip >"$g/kallsyms" 2>/dev/null || [ ! -s "$g/kallsyms" ]; then
		fail "agree-$kernel" "no kallsyms dump from the guest (exit $rc): $(tail -3 "$g/guest.err")"
		continue
	fi
	sed -n '/^SECTIONS-BEGIN$/,/^SECTIONS-END$/{/^SECTIONS-/d;p}' "$g/out" >"$g/sections"
	while read -r name want; do
		check_case "$kernel" "$name" "$want"
	done <"$g/want"
	check_bad_input "$kernel" "$(head -1 "$g/cases" | cut -d' ' -f1)"
	check_not_loaded "$kernel"
	[ $rc = 0 ] && grep -q '^AGREE-END' "$g/out" && pass "agree-$kernel-guest-clean" ||
		fail "agree-$kernel-guest-clean" "$(grep -m1 "^run-guest:" "$g/guest.err") $(tail -3 "$g/guest.err")"
done
check_done
