#!/usr/bin/env bash
# Applying and undoing beyond the corpus, in one guest per kernel
# (KSPLICE_APPLY_KERNELS, default "x86_64 debian i386"):
#   - dry run: --dry-run of the real update says ok and of the foreign one
#     no_match, and neither changes anything nor stays loaded (nor does the
#     core, when the dry run loaded it);
#   - foreign code: an update built from a tree whose __do_sys_newuname
#     differs is refused (no_match), and the kernel text is unchanged: the
#     real update for that function then matches it byte for byte and
#     applies;
#   - stacking: update B (tests/kmodule/stack-uname2.patch, made on top of
#     uname-domainname = A) is refused before A (its code is A's), applies
#     after A, both behaviours show, undoing A first is module_busy, undoing
#     B then A (last in, first out) restores each step;
#   - busy: a reader blocked opening a FIFO sleeps inside fifo_open; the
#     fifo-open-busy update is refused with code_busy naming that task,
#     nothing changes, and it applies once the reader has left.
# Packages are cached in build/corpus/KERNEL/, scratch trees in
# $KSPLICE_CACHE/test-trees/ (their prepared kbuild trees are then reused).
set -uo pipefail
top=$(cd "$(dirname "$0")/../.." && pwd)
. "$top/tests/vm/lib.sh"
. "$top/tests/lib/check.sh"
create=$top/build/bin/ksplice-create
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

. "$top/tests/lib/test-packages.sh"

cat >"$tmp/guest.sh" <<'GUEST'
# A dry run that had to load the core unloads it again: the kernel is left as it was.
v=$(ksplice-apply --raw-errors --dry-run --core ksplice.ko pkgs/unamedomainname.tar.gz 2>/dev/null | head -1)
echo "RESULT dry-run-core $v $(grep -c '^ksplice ' /proc/modules)"
insmod ksplice.ko
r() { echo "RESULT $*"; }
# sysname DOMAIN: what uname -s says while the NIS domain name is DOMAIN.
sysname() {
	old=$(cat /proc/sys/kernel/domainname)
	echo "$1" >/proc/sys/kernel/domainname
	s=$(uname -s)
	echo "$old" >/proc/sys/kernel/domainname
	echo "$s"
}
apply() { ksplice-apply --raw-errors "pkgs/$1.tar.gz" 2>"/tmp/$1.err" | head -1; }
undo() { ksplice-undo --raw-errors "$1" 2>"/tmp/undo-$1.err" | head -1; }

dry() { ksplice-apply --raw-errors --dry-run "pkgs/$1.tar.gz" 2>"/tmp/dry-$1.err" | head -1; }
r dry-run "$(dry unamedomainname)"
r dry-run-foreign "$(dry foreign)"
r dry-run-left "$(sysname ksplice-uname) $(ls /sys/kernel/ksplice | tr '\n' ' ')end"

r foreign-refused "$(apply foreign)"
r foreign-left "$(sysname ksplice-uname) $(ls /sys/kernel/ksplice | tr '\n' ' ')end"

r stack-b-first "$(apply stackuname2)"
r stack-a "$(apply unamedomainname)"
r stack-b "$(apply stackuname2)"
r stack-both "$(sysname ksplice-uname) $(sysname ksplice-uname2)"
r stack-undo-a-first "$(undo unamedomainname)"
r stack-undo-b "$(undo stackuname2)"
r stack-after-b "$(sysname ksplice-uname) $(sysname ksplice-uname2)"
r stack-undo-a "$(undo unamedomainname)"
r stack-after-a "$(sysname ksplice-uname) $(sysname ksplice-uname2)"

mkfifo /tmp/busy-fifo
cat /tmp/busy-fifo >/dev/null &
reader=$!
sleep 1
r busy-refused "$(apply fifoopenbusy)"
grep -q "^[^ ]* $reader fifo_open\$" /tmp/fifoopenbusy.err && r busy-names-reader yes ||
	{ r busy-names-reader "no (reader $reader)"; sed 's/^/  | /' /tmp/fifoopenbusy.err; }
r busy-unchanged "$(sh checks/fifo-open-busy.check && echo pass || echo fail)"
echo x >/tmp/busy-fifo
wait $reader
r busy-then "$(apply fifoopenbusy)"
r busy-applied "$(sh checks/fifo-open-busy.check && echo pass || echo fail)"
r busy-undo "$(undo fifoopenbusy)"
r busy-undone "$(sh checks/fifo-open-busy.check && echo pass || echo fail)"
r left "$(ls /sys/kernel/ksplice | tr '\n' ' ')end"
GUEST

# expect KERNEL CASE WANT OUT
expect() { expect_result apply "$@"; }

for k in ${KSPLICE_APPLY_KERNELS:-x86_64 debian i386}; do
	eval "$("$VM_DIR/kernel" "$k")" || { fail "apply-$k" "kernel fixture unavailable"; continue; }
	g=$tmp/$k
	mkdir -p "$g/pkgs" "$g/checks"
	stacked=$(scratch_tree stack-uname "patch -s -p1 <'$top/tests/patches/uname-domainname.patch'") &&
		foreign=$(foreign_tree) &&
		! cmp -s "$foreign/kernel/sys.c" "$(pristine_source)/kernel/sys.c" &&
		cmp -s "$(patchable_tree)/kernel/sys.c" "$(pristine_source)/kernel/sys.c" ||
		{ fail "apply-$k-trees" "cannot make the scratch trees (or they reached the cached tree)"; continue; }
	ok=1
	for spec in unamedomainname:uname-domainname fifoopenbusy:fifo-open-busy; do
		pkg=$("$top/tests/lib/corpus-package" "$k" "${spec#*:}" 2>"$g/err") &&
			cp "$pkg" "$g/pkgs/${spec%%:*}.tar.gz" || { fail "apply-$k-${spec#*:}" "$(tail -2 "$g/err")"; ok=; }
	done
	pkg=$(test_package "$k" stackuname2 "$top/tests/kmodule/stack-uname2.patch" "$stacked") &&
		cp "$pkg" "$g/pkgs/stackuname2.tar.gz" || { fail "apply-$k-stack-package" "ksplice-create failed"; ok=; }
	pkg=$(test_package "$k" foreign "$top/tests/patches/uname-domainname.patch" "$foreign") &&
		cp "$pkg" "$g/pkgs/foreign.tar.gz" || { fail "apply-$k-foreign-package" "ksplice-create failed"; ok=; }
	core=$("$VM_DIR/build-module" "$k" "$top/kmodule") || { fail "apply-$k" "ksplice.ko build failed"; ok=; }
	[ -n "$ok" ] || continue
	cp "$top/tests/patches/fifo-open-busy.check" "$g/checks/"
	out=$("$VM_DIR/run-guest" --timeout 300 --file "$core" --file "$g/pkgs:pkgs" \
		--file "$g/checks:checks" \
		--file "$top/build/static/$KERNEL_TOOLS_ARCH/ksplice-apply:bin/ksplice-apply" \
		--file "$top/build/static/$KERNEL_TOOLS_ARCH/ksplice-undo:bin/ksplice-undo" \
		"$k" "$tmp/guest.sh" 2>"$g/guest.err")
	rc=$?
	mkdir -p "$top/build/test-logs" && echo "$out" >"$top/build/test-logs/t-apply-$k.guest"
	expect "$k" dry-run-core "ok 0" "$out"
	expect "$k" dry-run ok "$out"
	expect "$k" dry-run-foreign no_match "$out"
	expect "$k" dry-run-left "Linux end" "$out"
	expect "$k" foreign-refused no_match "$out"
	expect "$k" foreign-left "Linux end" "$out"
	expect "$k" stack-b-first no_match "$out"
	expect "$k" stack-a ok "$out"
	expect "$k" stack-b ok "$out"
	expect "$k" stack-both "Ksplice Ksplice2" "$out"
	expect "$k" stack-undo-a-first module_busy "$out"
	expect "$k" stack-undo-b ok "$out"
	expect "$k" stack-after-b "Ksplice Linux" "$out"
	expect "$k" stack-undo-a ok "$out"
	expect "$k" stack-after-a "Linux Linux" "$out"
	expect "$k" busy-refused code_busy "$out"
	expect "$k" busy-names-reader yes "$out"
	expect "$k" busy-unchanged fail "$out"
	expect "$k" busy-then ok "$out"
	expect "$k" busy-applied pass "$out"
	expect "$k" busy-undo ok "$out"
	expect "$k" busy-undone fail "$out"
	expect "$k" left end "$out"
	[ $rc = 0 ] && pass "apply-$k-console-clean" || fail "apply-$k-console-clean" "$(tail -5 "$g/guest.err")"
done
check_done
