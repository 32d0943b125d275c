#!/usr/bin/env bash
# Every applying corpus patch, live: in a guest of each kernel, its check
# must fail before ksplice-apply, pass after it, and fail again after
# ksplice-undo; the kernel keeps running and the console stays clean.
# KSPLICE_LIVE_KERNELS (default "x86_64 debian i386") picks the kernels,
# which cases: corpus_runs (tests/vm/lib.sh); NAME.skip.KERNEL skips a case.
set -uo pipefail
top=$(cd "$(dirname "$0")/../.." && pwd)
. "$top/tests/vm/lib.sh"
. "$top/tests/lib/check.sh"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

cat >"$tmp/guest.sh" <<'GUEST'
export MODULES_DIR=/ksplice/mods
run_check() { sh "checks/$1.check" >/dev/null 2>&1 && echo pass || echo fail; }
while read -r name id; do
	before=$(run_check "$name")
	if ksplice-apply --core ksplice.ko "pkgs/$name.tar.gz" >"/tmp/$name.apply" 2>&1; then
		applied=ok
	else
		applied=error
	fi
	after=$(run_check "$name")
	undone=skipped
	if [ $applied = ok ]; then
		ksplice-undo "$id" >"/tmp/$name.undo" 2>&1 && undone=ok || undone=error
	fi
	reverted=$(run_check "$name")
	echo "CASE $name $before $applied $after $undone $reverted"
	for f in "/tmp/$name.apply" "/tmp/$name.undo"; do
		[ -f "$f" ] && grep -v '^Done!$' "$f" | sed 's/^/  | /'
	done
done < cases
echo "LIVE-END"
GUEST

# Target modules where the checks look for them: $MODULES_DIR/<path>.ko.
copy_target_modules() {
	local kernel=$1 dest=$2 rel
	mkdir -p "$dest"
	for rel in drivers/net/dummy.ko fs/configfs/configfs.ko; do
		if [ "$kernel" = debian ]; then
			src=$(dirname "$KERNEL_IMAGE")/modules/kernel/$rel
			mkdir -p "$dest/kernel/$(dirname "$rel")" && cp "$src" "$dest/kernel/$rel"
		else
			src=$KERNEL_KDIR/$rel
			mkdir -p "$dest/$(dirname "$rel")" && cp "$src" "$dest/$rel"
		fi
	done
}

for kernel in ${KSPLICE_LIVE_KERNELS:-x86_64 debian i386}; do
	eval "$("$VM_DIR/kernel" "$kernel")"
	g=$tmp/$kernel
	mkdir -p "$g/pkgs" "$g/checks"
	: >"$g/cases"
	for patch in "$top"/tests/patches/*.patch; do
		name=$(basename "$patch" .patch)
		[ -f "${patch%.patch}.check" ] || continue
		# Updates that must be refused at apply: tests/kmodule/t-hooks.sh.
		[ -f "${patch%.patch}.abort" ] && continue
		corpus_runs "$kernel" "$name" || continue
		if [ -f "${patch%.patch}.skip.$kernel" ]; then
			skip "live-$kernel-$name" "$(head -1 "${patch%.patch}.skip.$kernel")"
			continue
		fi
		if [ -f "${patch%.patch}.pending" ]; then
			skip "live-$kernel-$name" "pending: $(head -1 "${patch%.patch}.pending")"
			continue
		fi
		if ! pkg=$("$top/tests/lib/corpus-package" "$kernel" "$name" 2>"$g/$name.err"); then
			fail "live-$kernel-$name" "ksplice-create failed: $(tail -2 "$g/$name.err")"
			continue
		fi
		cp "$pkg" "$g/pkgs/$name.tar.gz"
		cp "${patch%.patch}.check" "$g/checks/"
		echo "$name $(corpus_id "$name")" >>"$g/cases"
	done
	[ -s "$g/cases" ] || continue
	core=$("$VM_DIR/build-module" "$kernel" "$top/kmodule") || { fail "live-$kernel" "ksplice.ko build failed"; continue; }
	copy_target_modules "$kernel" "$g/mods"
	cp "$core" "$g/ksplice.ko"
	# One --file per tool: run-guest copies a directory *into* an existing bin/.
	tools=()
	for tool in ksplice-apply ksplice-undo; do
		tools+=(--file "$top/build/static/$KERNEL_TOOLS_ARCH/$tool:bin/$tool")
	done
	out=$("$VM_DIR/run-guest" --timeout 900 --file "$g/pkgs:pkgs" --file "$g/checks:checks" \
		--file "$g/mods:mods" --file "$g/cases:cases" --file "$g/ksplice.ko:ksplice.ko" \
		"${tools[@]}" "$kernel" "$tmp/guest.sh" 2>"$g/err")
	rc=$?
	while read -r name id; do
		line=$(grep "^CASE $name " <<<"$out")
		details=$(sed -n "/^CASE $name /,/^CASE /p" <<<"$out" | grep '^  | ' | head -5)
		if [ "$line" = "CASE $name fail ok pass ok fail" ]; then
			pass "live-$kernel-$name"
		else
			fail "live-$kernel-$name" "${line:-no result} (want: fail ok pass ok fail) $details"
		fi
	done <"$g/cases"
	[ $rc = 0 ] && grep -q '^LIVE-END' <<<"$out" && pass "live-$kernel-console-clean" ||
		fail "live-$kernel-console-clean" "$(tail -5 "$g/err")"
done
check_done
