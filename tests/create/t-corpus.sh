#!/usr/bin/env bash
# The patch corpus (tests/patches/, format in its README) through
# ksplice-create, for each kernel of KSPLICE_TEST_KERNELS (default "debian
# i386 x86_64": Debian's cloud config and the test kernels'): every NAME.patch
# creates a package whose summary matches NAME.expect (NAME.expect.KERNEL
# if there is one), every NAME-FAIL.patch is refused with its message, a
# code-free patch says "No changes detected." and exits 66, and the source
# tree is unchanged after every run. Then every package's primary and helper
# modules must insmod and rmmod in a guest of that kernel. Case names get a
# KERNEL- prefix except on debian; NAME.skip.KERNEL skips a case there.
# Which cases run on which kernel: corpus_runs in tests/vm/lib.sh. The
# kernels run at once, each in its own copy of the tree (patchable_tree);
# the packages are kept for the live tests (tests/lib/corpus-package).
set -uo pipefail
top=$(cd "$(dirname "$0")/../.." && pwd)
. "$top/tests/vm/lib.sh"
. "$top/tests/lib/check.sh"
create=$top/build/bin/ksplice-create

kernels=${KSPLICE_TEST_KERNELS:-debian i386 x86_64}
pristine=$(pristine_source)
top_tmp=$(mktemp -d)
trap 'rm -rf "$top_tmp"' EXIT
export TMPDIR=$top_tmp

# Files a patch touches, and their contents' hash: must be equal after a run.
touched() { sed -n 's|^+++ b/||p; s|^--- a/||p' "$1" | sort -u; }
tree_state() { (cd "$tree" && touched "$1" | while read -r f; do [ -e "$f" ] && sha256sum "$f"; done); }

# Compare the package's debug/summary with NAME.expect. Lines marked "?"
# may or may not appear; every other changed/new/deleted line must, and
# nothing else may (inlined lines are allowed either way: the heuristic
# that tells them from direct changes is only a report).
compare_summary() {
	local expect=$1 summary=$2 want got line
	want=$(grep -E '^(changed|new|deleted|rewritten) ' "$expect" | grep -v ' ?$' | sort)
	maybe=$(grep -E ' \?$' "$expect" | sed 's/ ?$//' | awk '{print $2, $3}' | sort)
	got=$(grep -E '^(changed|new|deleted|inlined|rewritten) ' "$summary" | sort)
	while read -r line; do
		[ -z "$line" ] && continue
		if ! grep -qxF "$line" <<<"$got" &&
			! grep -qxF "inlined ${line#* }" <<<"$got"; then
			echo "missing: $line"
		fi
	done <<<"$want"
	while read -r line; do
		[ -z "$line" ] && continue
		grep -qxF "$line" <<<"$want" && continue
		grep -qxF "changed ${line#* }" <<<"$want" && continue
		grep -qxF "${line#* }" <<<"$maybe" && continue
		case $line in inlined\ *) continue ;; esac
		echo "unexpected: $line"
	done <<<"$got"
}

# A case whose feature is not built yet has NAME.pending holding the reason:
# it is reported skipped while it fails, and fails once it passes (so the
# file gets removed).
report() {
	local name=$1 why=${2:-} pending=$top/tests/patches/$1.pending test=$prefix$1
	if [ -f "$pending" ]; then
		[ -n "$why" ] && skip "$test" "pending: $(head -1 "$pending")" ||
			fail "$test" "passes now: remove tests/patches/$name.pending"
	elif [ -n "$why" ]; then
		fail "$test" "$why"
	else
		pass "$test"
	fi
}

# Where a target module of the update lives for kernel $kernel.
target_module() {
	if [ "$kernel" = debian ]; then
		find "$(dirname "$KERNEL_IMAGE")/modules/" -name "$1.ko" 2>/dev/null | head -1
	else
		find "$KERNEL_KDIR" -name "$1.ko" 2>/dev/null | head -1
	fi
}

# Every corpus case through ksplice-create for $kernel; modules into $tmp/kos.
create_cases() {
	local patch name expect before after out rc msg pkg dir problems want_targets got_targets t ko
	for patch in "$top"/tests/patches/*.patch; do
		name=$(basename "$patch" .patch)
		corpus_runs "$kernel" "$name" || continue
		if [ -f "${patch%.patch}.skip.$kernel" ]; then
			skip "$prefix$name" "$(head -1 "${patch%.patch}.skip.$kernel")"
			continue
		fi
		expect=${patch%.patch}.expect
		[ -f "$expect.$kernel" ] && expect=$expect.$kernel
		before=$(tree_state "$patch")
		out=$tmp/$name.out
		"$create" -q --id "$(corpus_id "$name")" --config "$KERNEL_KDIR" \
			--output-dir "$tmp/pkgs" --patch "$patch" "$tree" >"$out" 2>&1
		rc=$?
		after=$(tree_state "$patch")
		if [ "$before" != "$after" ]; then
			fail "$prefix$name" "source tree changed by the run"
			continue
		fi
		case $name in
		*-FAIL)
			msg=$(sed -n 's/^error //p' "$expect")
			if [ $rc = 0 ] || [ $rc = 66 ]; then report "$name" "accepted (rc $rc)"
			elif ! grep -qF -- "$msg" "$out"; then report "$name" "rc $rc without '$msg': $(tail -3 "$out")"
			else report "$name"; fi
			continue ;;
		esac
		if grep -qx nochange "$expect"; then
			[ $rc = 66 ] && grep -q '^No changes detected' "$out" && report "$name" ||
				report "$name" "rc $rc, wanted 66 and 'No changes detected.': $(tail -3 "$out")"
			continue
		fi
		pkg=$(ls "$tmp"/pkgs/ksplice-*.tar.gz 2>/dev/null | head -1)
		if [ $rc != 0 ] || [ -z "$pkg" ]; then
			report "$name" "rc $rc: $(grep -v '^ ' "$out" | tail -3)"
			rm -f "$tmp"/pkgs/*.tar.gz
			continue
		fi
		mkdir -p "$tmp/x/$name" "$top/build/corpus/$kernel" && tar -C "$tmp/x/$name" -xzf "$pkg" &&
			mv "$pkg" "$top/build/corpus/$kernel/$name.tar.gz"	# reused by tests/lib/corpus-package
		dir=$(ls -d "$tmp/x/$name"/ksplice-*)
		problems=$(compare_summary "$expect" "$dir/debug/summary")
		want_targets=$(sed -n 's/^target //p' "$expect" | sort | tr '\n' ' ')
		got_targets=$(sed -n 's/^target \([^ ]*\) .*/\1/p' "$dir/manifest" | sort | tr '\n' ' ')
		[ "$want_targets" = "$got_targets" ] || problems+=" targets: got '$got_targets' want '$want_targets'"
		if [ -n "$problems" ]; then
			report "$name" "$(echo $problems)"
			continue
		fi
		report "$name"
		mkdir -p "$tmp/kos" "$tmp/targets"
		cp "$dir"/modules/*.ko "$tmp/kos/"
		# Module targets must be loaded before their update's modules.
		for t in $got_targets; do
			[ "$t" = vmlinux ] && continue
			ko=$(target_module "$t")
			[ -n "$ko" ] && cp "$ko" "$tmp/targets/" || fail "$prefix$name" "target module $t.ko not found"
		done
	done
}

cat >"$top_tmp/load.sh" <<'GUEST'
insmod ksplice.ko
for ko in targets/*.ko; do
	[ -e "$ko" ] && { insmod "$ko" || { echo "insmod target $ko failed"; exit 1; }; }
done
n=0
for ko in kos/*.ko; do
	insmod "$ko" || { echo "insmod $ko failed"; exit 1; }
	name=$(basename "$ko" .ko | tr - _)
	grep -q "^$name " /proc/modules || { echo "$name not listed"; exit 1; }
	rmmod "$name" || { echo "rmmod $name failed"; exit 1; }
	n=$((n + 1))
done
echo "LOADED $n"
GUEST

# run_kernel KERNEL: every case for KERNEL, then its modules in a guest.
run_kernel() {
	kernel=$1 prefix=$1- tmp=$top_tmp/$1
	[ "$kernel" = debian ] && prefix=
	mkdir -p "$tmp/pkgs"
	tree=$(patchable_tree "$kernel")
	eval "$("$VM_DIR/kernel" "$kernel")" || { fail "corpus-$kernel-fixture" "no $kernel kernel"; return 1; }
	create_cases
	# The packages' modules load into the kernel they were built for.
	ls "$tmp"/kos/*.ko >/dev/null 2>&1 || return 0
	count=$(ls "$tmp"/kos/*.ko | wc -l)
	# Update modules register with ksplice.ko (they use its exports).
	core=$("$VM_DIR/build-module" "$kernel" "$top/kmodule") ||
		{ fail "corpus-modules-load-on-$kernel" "ksplice.ko build failed"; return 1; }
	out=$("$VM_DIR/run-guest" --timeout 300 --file "$core" --file "$tmp/kos:kos" \
		--file "$tmp/targets:targets" "$kernel" "$top_tmp/load.sh" 2>&1)
	grep -qx "LOADED $count" <<<"$out" && pass "corpus-modules-load-on-$kernel ($count modules)" ||
		fail "corpus-modules-load-on-$kernel" "$(tail -5 <<<"$out")"
}

# Fixtures and trees first, one at a time (a cold cache builds kernels).
ready=
for kernel in $kernels; do
	if "$VM_DIR/kernel" "$kernel" >/dev/null && patchable_tree "$kernel" >/dev/null; then
		ready+=" $kernel"
	else
		fail "corpus-$kernel-fixture" "no $kernel kernel or tree"
	fi
done
for kernel in $ready; do
	run_kernel "$kernel" >"$top_tmp/$kernel.out" 2>&1 &
done
wait
for kernel in $ready; do cat "$top_tmp/$kernel.out"; done
! cat "$top_tmp"/*.out 2>/dev/null | grep -q '^not ok' && check_done
