#!/usr/bin/env bash
# Registration with ksplice.ko and run-pre matching, in guests of the Debian
# kernel (default CPU and -cpu max) and the x86_64 and i386 test kernels
# (KSPLICE_TEST_KERNELS, default "x86_64 debian i386"). Per kernel,
# packages are built from corpus patches; one boot loads ksplice.ko and all
# of them and checks:
#   - /sys/kernel/ksplice/<id>/ with stage (preparing), abort_cause (ok),
#     conflicts (empty), debug; the directory goes with the last module;
#   - `echo match > stage` gives abort_cause ok for every patch, including
#     one whose target is a module (dummy), once that module is loaded;
#     target_not_loaded before;
#   - foreign code: an update built from a tree whose function differs from
#     the running kernel's (an extra unrelated change) -> no_match, with
#     the section and offset in debug;
#   - (Debian, i386) modules built for the x86_64 test kernel do not load.
# The corpus cases' packages are the corpus tests' (tests/lib/corpus-package,
# built once per kernel); their update ids are the corpus ids. Each guest's
# output is kept in build/test-logs/t-match-KERNEL.guest.
set -uo pipefail
top=$(cd "$(dirname "$0")/../.." && pwd)
. "$top/tests/vm/lib.sh"
. "$top/tests/lib/check.sh"
. "$top/tests/lib/test-packages.sh"
create=$top/build/bin/ksplice-create
kernels=${KSPLICE_TEST_KERNELS:-x86_64 debian i386}
cases="uname-domainname proc-consoles-newfn execdomains-string dummy-module-stats readdir-extable"
uname=$(corpus_id uname-domainname) dummy_id=$(corpus_id dummy-module-stats)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
export TMPDIR=$tmp

# unpack KERNEL ID TARBALL: the modules and targets into $tmp/KERNEL/pkg/ID.
unpack() {
	local out=$tmp/$1 id=$2
	mkdir -p "$out/pkg/$id" "$out/tar" &&
		tar -C "$out/tar" -xzf "$3" && cp "$out/tar/ksplice-$id"/modules/*.ko "$out/pkg/$id/" &&
		sed -n 's/^target \([^ ]*\).*/\1/p' "$out/tar/ksplice-$id/manifest" >"$out/pkg/$id/targets"
}

# corpus KERNEL NAME: the corpus package of NAME, unpacked.
corpus() {
	local pkg
	pkg=$("$top/tests/lib/corpus-package" "$1" "$2" 2>"$tmp/err") || { tail -3 "$tmp/err"; return 1; }
	unpack "$1" "$(corpus_id "$2")" "$pkg"
}

cat >"$tmp/guest.sh" <<GUEST
uname=$uname dummy=$dummy_id
GUEST
cat >>"$tmp/guest.sh" <<'GUEST'
sys=/sys/kernel/ksplice
insmod ksplice.ko
# load ID: helper and primary of every target of update ID.
load() {
	for t in $(cat pkg/$1/targets); do
		insmod pkg/$1/ksplice-$1-$t-helper.ko && insmod pkg/$1/ksplice-$1-$t.ko ||
			echo "RESULT $1 insmod-failed"
	done
}
# match NAME ID: run matching, report abort_cause and the debug log.
match() {
	if echo match >$sys/$2/stage; then
		echo "RESULT $1 $(cat $sys/$2/abort_cause)"
		sed "s/^/DEBUG $1 /" $sys/$2/debug
	else
		echo "RESULT $1 write-failed"
	fi
}
ids=$(ls pkg)
for id in $ids; do load $id; done
a=$sys/$uname
[ "$(ls $a | tr '\n' ' ')" = "abort_cause conflicts debug stage " ] &&
	[ "$(cat $a/stage)" = preparing ] && [ "$(cat $a/abort_cause)" = ok ] &&
	[ -z "$(cat $a/conflicts)" ] && echo "RESULT attributes ok" || echo "RESULT attributes $(ls $a)"
echo "RESULT registered $(ls $sys | tr '\n' ' ')"
[ ! -d pkg/$dummy ] || match dummy-unloaded $dummy
[ ! -e targets/dummy.ko ] || insmod targets/dummy.ko
for id in $ids; do match $id $id; done
if [ -d otherkernel ]; then
	if insmod otherkernel/ksplice-$uname-vmlinux-helper.ko 2>/dev/null; then
		echo "RESULT vermagic loaded"
	else
		echo "RESULT vermagic refused"
	fi
fi
rmmod ksplice_${uname}_vmlinux
[ -d $sys/$uname ] && echo "RESULT dir-after-primary kept" || echo "RESULT dir-after-primary gone"
for id in $ids; do
	for t in $(cat pkg/$id/targets); do
		rmmod ksplice_${id}_$t 2>/dev/null || true
		rmmod ksplice_${id}_${t}_helper
	done
done
echo "RESULT unregistered $(ls $sys | tr '\n' ' ')end"
rmmod ksplice
GUEST

# expect NAME WANT OUT: the guest's RESULT line for NAME must be WANT.
expect() {
	local got
	got=$(sed -n "s/^RESULT $2 //p" <<<"$4" | head -1)
	[ "$got" = "$3" ] && pass "$1" || fail "$1" "got '$got', want '$3'; $(grep "^DEBUG $2 " <<<"$4" | head -3)"
}

check_guest() {
	local k=$1 out=$2 name id
	expect "match-$k-registration" attributes ok "$out"
	expect "match-$k-registration-grouped" registered "$(for c in $cases foreign; do corpus_id "$c"; done | sort | tr '\n' ' ')" "$out"
	expect "match-$k-unregistration" unregistered end "$out"
	expect "match-$k-dir-stays-with-helper" dir-after-primary kept "$out"
	for name in $cases; do
		id=$(corpus_id "$name")
		expect "match-$k-$name" "$id" ok "$out"
		grep -q "^DEBUG $id .*: ok: [0-9]* sections matched, [0-9]* symbols bound" <<<"$out" ||
			fail "match-$k-$name-debug" "no success line in debug"
	done
	expect "match-$k-target-not-loaded" dummy-unloaded target_not_loaded "$out"
	expect "match-$k-foreign-code" foreign no_match "$out"
	grep -q '^DEBUG foreign vmlinux: no_match: section __do_sys_newuname at 0x[0-9a-f]* offset 0x[0-9a-f]*: bytes differ: expected [0-9a-f ]* found' <<<"$out" &&
		pass "match-$k-foreign-code-debug" ||
		fail "match-$k-foreign-code-debug" "$(grep '^DEBUG foreign' <<<"$out" | head -2)"
}

for k in $kernels; do
	eval "$("$VM_DIR/kernel" "$k")" || { fail "match-$k" "kernel fixture unavailable"; continue; }
	core=$("$VM_DIR/build-module" "$k" "$top/kmodule") || { fail "match-$k" "ksplice.ko build failed"; continue; }
	ok=1
	for name in $cases; do
		corpus "$k" "$name" || { fail "match-$k-$name" "ksplice-create failed"; ok=; }
	done
	# The foreign edit must not reach the shared tree through its hard links.
	if pkg=$(foreign_package "$k") && unpack "$k" foreign "$pkg" &&
		cmp -s "$(patchable_tree)/kernel/sys.c" "$(pristine_source)/kernel/sys.c" &&
		! cmp -s "$(foreign_tree)/kernel/sys.c" "$(pristine_source)/kernel/sys.c"; then
		pass "match-$k-foreign-tree-untouched"
	else
		fail "match-$k-foreign-code" "cannot build the foreign update"; ok=
	fi
	[ -n "$ok" ] || continue
	mkdir -p "$tmp/$k/targets"
	case $k in
	debian) dummy=$(find "$(dirname "$KERNEL_IMAGE")/modules/" -name dummy.ko | head -1) ;;
	x86_64 | i386) dummy=$KERNEL_KDIR/drivers/net/dummy.ko ;;
	esac
	cp "$dummy" "$tmp/$k/targets/" || fail "match-$k" "no dummy.ko for $k"
	files=(--file "$core" --file "$tmp/$k/pkg:pkg" --file "$tmp/$k/targets:targets")
	# Modules of the test kernel on Debian's: refused by the loader.
	[ "$k" != x86_64 ] && [ -d "$tmp/x86_64/pkg/$uname" ] && files+=(--file "$tmp/x86_64/pkg/$uname:otherkernel")
	cpus=default
	[ "$k" = debian ] && cpus="default max"
	for cpu in $cpus; do
		tag=$k
		opts=()
		[ "$cpu" = default ] || { tag=$k-cpu-$cpu; opts=(--cpu "$cpu"); }
		out=$("$VM_DIR/run-guest" --timeout 180 "${opts[@]}" "${files[@]}" "$k" "$tmp/guest.sh" 2>"$tmp/err")
		if [ $? != 0 ]; then
			fail "match-$tag-guest" "$(tail -8 "$tmp/err")"
			continue
		fi
		mkdir -p "$top/build/test-logs" && echo "$out" >"$top/build/test-logs/t-match-$tag.guest"
		check_guest "$tag" "$out"
		[ "$k" = x86_64 ] || [ ! -d "$tmp/x86_64/pkg/$uname" ] ||
			expect "match-$tag-foreign-kernel-refused" vermagic refused "$out"
	done
done
check_done
