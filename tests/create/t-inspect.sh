#!/usr/bin/env bash
# ksplice-inspect on a real package: the uname-domainname corpus patch built
# with Debian's cloud config, then inspected as a package and as its primary
# module (manifest fields, a patch record for __do_sys_newuname, the helper's
# section and relocation records). Then malformed input: each case exits 1
# with one line on stderr, never crashes, and leaves no temporary directory.
set -uo pipefail
top=$(cd "$(dirname "$0")/../.." && pwd)
. "$top/tests/vm/lib.sh"
. "$top/tests/lib/check.sh"
create=$top/build/bin/ksplice-create
inspect=$top/build/bin/ksplice-inspect
patch=$top/tests/patches/uname-domainname.patch
id=tinspect

[ -x "$create" ] && [ -x "$inspect" ] ||
	make -C "$top" -s build/bin/ksplice-create build/bin/ksplice-inspect >/dev/null 2>&1 ||
	{ fail inspect-build "cannot build ksplice-create and ksplice-inspect"; exit 1; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
# ksplice-inspect's temporary directories go here, so leftovers show.
mkdir -p "$tmp/inspect-tmp" "$tmp/pkgs" "$tmp/x"

# run NAME ARGS...: ksplice-inspect ARGS into $tmp/NAME.{out,err}, status in $rc.
run() {
	local name=$1
	shift
	TMPDIR=$tmp/inspect-tmp "$inspect" "$@" >"$tmp/$name.out" 2>"$tmp/$name.err"
	rc=$?
}

# no_leftovers: ksplice-inspect removed its temporary directory.
no_leftovers() { [ -z "$(ls -A "$tmp/inspect-tmp")" ]; }

# expect_error NAME MESSAGE FILE: exit 1, exactly MESSAGE's line on stderr.
expect_error() {
	local name=$1 msg=$2 file=$3 lines
	run "$name" "$file"
	lines=$(wc -l <"$tmp/$name.err")
	if [ "$rc" != 1 ]; then
		fail "$name" "exit status $rc, wanted 1: $(head -3 "$tmp/$name.err")"
	elif [ "$lines" != 1 ] || ! grep -qF -- "$msg" "$tmp/$name.err"; then
		fail "$name" "wanted one line with '$msg', got: $(head -3 "$tmp/$name.err")"
	elif ! no_leftovers; then
		fail "$name" "left $(ls "$tmp/inspect-tmp") behind"
	else
		pass "$name"
	fi
}

# module_block FILE TITLE: the lines under one "target ..." header of a package listing.
module_block() {
	awk -v t="$2" '/^target /{on = ($0 == t); next} on' "$1"
}

# Usage.
run usage-none
[ "$rc" = 2 ] && grep -q '^usage: ksplice-inspect' "$tmp/usage-none.err" && pass inspect-usage ||
	fail inspect-usage "no argument: exit $rc"
run usage-help -h
[ "$rc" = 0 ] && grep -q -- '--records' "$tmp/usage-help.out" && pass inspect-help ||
	fail inspect-help "-h: exit $rc"
run usage-records --records nonsense x.ko
[ "$rc" = 2 ] && pass inspect-usage-records || fail inspect-usage-records "exit $rc, wanted 2"

# Malformed input that needs no real package.
expect_error inspect-missing-file "No such file or directory" "$tmp/nonexistent.tar.gz"
echo "this is not a package" >"$tmp/text.tar.gz"
expect_error inspect-text-file "not gzip-compressed" "$tmp/text.tar.gz"
mkdir -p "$tmp/nomanifest/ksplice-abc" && echo hello >"$tmp/nomanifest/ksplice-abc/description"
tar -C "$tmp/nomanifest" -czf "$tmp/nomanifest.tar.gz" ksplice-abc
expect_error inspect-no-manifest "no manifest" "$tmp/nomanifest.tar.gz"

# A real package.
eval "$("$VM_DIR/kernel" debian)" || { fail inspect-fixture "no Debian fixture"; exit 1; }
pristine=$(pristine_source)
tree=$KSPLICE_CACHE/test-trees/$(basename "$pristine")
if [ ! -f "$tree/.ksplice-copied" ]; then
	rm -rf "$tree" && mkdir -p "$(dirname "$tree")" && cp -al "$pristine" "$tree" &&
		touch "$tree/.ksplice-copied" || { fail inspect-tree "cannot copy $pristine"; exit 1; }
fi
if ! TMPDIR=$tmp "$create" -q --id $id --config "$KERNEL_KDIR" --output-dir "$tmp/pkgs" \
	--patch "$patch" "$tree" >"$tmp/create.out" 2>&1; then
	fail inspect-create "ksplice-create failed: $(tail -3 "$tmp/create.out")"
	check_done
	exit
fi
pkg=$tmp/pkgs/ksplice-$id.tar.gz
tar -C "$tmp/x" -xzf "$pkg" || { fail inspect-create "cannot unpack $pkg"; exit 1; }
dir=$tmp/x/ksplice-$id
primary=$dir/modules/ksplice-$id-vmlinux.ko
helper=$dir/modules/ksplice-$id-vmlinux-helper.ko
release=$(sed -n 's/^kernel_release //p' "$dir/manifest")

# The package: manifest, description, patch, both modules.
run inspect-package "$pkg"
out=$tmp/inspect-package.out
problems=
[ "$rc" = 0 ] || problems+=" exit $rc: $(head -2 "$tmp/inspect-package.err");"
format_version=$(sed -n 's/^#define KSPLICE_FORMAT_VERSION //p' "$top/core/update-format.h")
for want in "manifest format=1" "manifest id=$id" "manifest kernel_release=$release" \
	"manifest machine=x86_64" \
	"manifest target=vmlinux primary=ksplice-$id-vmlinux.ko helper=ksplice-$id-vmlinux-helper.ko" \
	"patch file=kernel/sys.c" "target vmlinux primary ksplice-$id-vmlinux.ko" \
	"target vmlinux helper ksplice-$id-vmlinux-helper.ko"; do
	grep -qxF "$want" "$out" || problems+=" no '$want';"
done
grep -q '^manifest build_identity=[0-9a-f]\+$' "$out" || problems+=" no build identity;"
grep -q '^manifest kernel_version=#1 ' "$out" || problems+=" no kernel version;"
grep -q '^description .*uname-domainname' "$out" || problems+=" no description;"
module_block "$out" "target vmlinux primary ksplice-$id-vmlinux.ko" >"$tmp/p.txt"
module_block "$out" "target vmlinux helper ksplice-$id-vmlinux-helper.ko" >"$tmp/h.txt"
grep -q "^  module kind=primary machine=x86_64 id=$id target=vmlinux version=$format_version " "$tmp/p.txt" ||
	problems+=" no primary descriptor;"
grep -q '^  patch\[[0-9]*\] old=__do_sys_newuname new=\.text\.__do_sys_newuname+0x0 kind=jump ' "$tmp/p.txt" ||
	problems+=" no patch record for __do_sys_newuname;"
grep -q "^  module kind=helper machine=x86_64 id=$id target=vmlinux version=$format_version .* patches=0$" "$tmp/h.txt" ||
	problems+=" no helper descriptor;"
grep -q '^  section\[[0-9]*\] symbol=__do_sys_newuname at=\.ksplice_pre\.text\.__do_sys_newuname+0x0 size=0x[0-9a-f]* flags=text\( scope=[0-9]*\)\?$' "$tmp/h.txt" ||
	problems+=" no helper section record for __do_sys_newuname;"
grep -q '^  reloc\[[0-9]*\] site=\.ksplice_pre\.text\.__do_sys_newuname+0x[0-9a-f]* symbol=uts_sem addend=-\?[0-9]* type=R_X86_64_[A-Z0-9]* size=4 flags=' "$tmp/h.txt" ||
	problems+=" no helper relocation record to uts_sem;"
no_leftovers || problems+=" temporary directory left behind;"
[ -z "$problems" ] && pass inspect-package || fail inspect-package "$problems"

# The primary module alone: the descriptor's counts match the records listed.
run inspect-module "$primary"
out=$tmp/inspect-module.out
problems=
[ "$rc" = 0 ] || problems+=" exit $rc: $(head -2 "$tmp/inspect-module.err");"
head -1 "$out" | grep -q "^module kind=primary machine=x86_64 id=$id target=vmlinux version=$format_version " ||
	problems+=" first line: $(head -1 "$out");"
for pair in reloc:relocs section:sections site:sites patch:patches; do
	want=$(head -1 "$out" | grep -o " ${pair#*:}=[0-9]*" | cut -d= -f2)
	got=$(grep -c "^${pair%:*}\[" "$out")
	[ "$want" = "$got" ] || problems+=" ${pair#*:}=$want in the descriptor, $got listed;"
done
grep -q '^patch\[0\] old=__do_sys_newuname new=\.text\.__do_sys_newuname+0x0 kind=jump helper_section=[0-9]*$' "$out" ||
	problems+=" no patch record;"
grep -q '^reloc\[0\] site=\.text\.__do_sys_newuname+0x' "$out" || problems+=" no relocation record;"
[ -z "$problems" ] && pass inspect-module || fail inspect-module "$problems"

# --records: only the chosen lists, the descriptor line always.
run inspect-records --records patches,sections "$helper"
if [ "$rc" = 0 ] && grep -q '^module kind=helper ' "$tmp/inspect-records.out" &&
	grep -q '^section\[' "$tmp/inspect-records.out" &&
	! grep -qv '^\(module\|section\|patch\)' "$tmp/inspect-records.out"; then
	pass inspect-records
else
	fail inspect-records "exit $rc: $(head -3 "$tmp/inspect-records.out")"
fi

# repack_start NAME, edit $tmp/NAME/, repack_end NAME: a modified copy as $tmp/NAME.tar.gz.
repack_start() { rm -rf "$tmp/$1" && mkdir -p "$tmp/$1" && cp -r "$dir" "$tmp/$1/"; }
repack_end() { tar -C "$tmp/$1" -czf "$tmp/$1.tar.gz" "ksplice-$id"; }

repack_start unknown-key
echo "colour blue" >>"$tmp/unknown-key/ksplice-$id/manifest"
repack_end unknown-key
expect_error inspect-manifest-unknown-key "bad manifest: manifest line 8: unknown key 'colour'" \
	"$tmp/unknown-key.tar.gz"

repack_start missing-ko
rm "$tmp/missing-ko/ksplice-$id/modules/ksplice-$id-vmlinux-helper.ko"
repack_end missing-ko
expect_error inspect-missing-module "helper module modules/ksplice-$id-vmlinux-helper.ko is missing" \
	"$tmp/missing-ko.tar.gz"

head -c "$(($(stat -c %s "$primary") / 2))" "$primary" >"$tmp/truncated.ko"
expect_error inspect-truncated-module "truncated" "$tmp/truncated.ko"

repack_start truncated-ko
cp "$tmp/truncated.ko" "$tmp/truncated-ko/ksplice-$id/modules/ksplice-$id-vmlinux.ko"
repack_end truncated-ko
expect_error inspect-truncated-module-in-package "primary module ksplice-$id-vmlinux.ko: truncated" \
	"$tmp/truncated-ko.tar.gz"

# Data options (ksplice-patch.h): a data patch record and early helper sections.
# expect_lines NAME PACKAGE PATTERN...: every grep -E PATTERN matches the output.
expect_lines() {
	local name=$1 pkg=$2 pattern missing=
	shift 2
	run "$name" "$pkg"
	for pattern in "$@"; do
		grep -qE -- "$pattern" "$tmp/$name.out" || missing+=" '$pattern'"
	done
	[ "$rc" = 0 ] && [ -z "$missing" ] && pass "$name" ||
		fail "$name" "rc $rc, no line for$missing"
}
if pkg=$("$top/tests/lib/corpus-package" debian option-rodata-task-state 2>"$tmp/opt.err"); then
	expect_lines inspect-option-rodata "$pkg" \
		'^  patch\[0\] old=task_state_array new=\.rodata\.task_state_array\+0x0 kind=data helper_section=0$' \
		'^  section\[0\] symbol=task_state_array at=\.ksplice_pre\.rodata\.task_state_array\+0x0 size=0x48 flags=rodata,early( scope=[0-9]+)?$' \
		'string="R \(running\)"'
else
	fail inspect-option-rodata "ksplice-create failed: $(tail -2 "$tmp/opt.err")"
fi
if pkg=$("$top/tests/lib/corpus-package" debian option-match-early-devpts 2>"$tmp/opt.err"); then
	expect_lines inspect-option-match-early "$pkg" \
		'^  section\[[0-9]+\] symbol=tokens at=\.ksplice_pre\.rodata\.tokens\+0x0 size=0x70 flags=rodata,early( scope=[0-9]+)?$' \
		'kind=jump'
else
	fail inspect-option-match-early "ksplice-create failed: $(tail -2 "$tmp/opt.err")"
fi
# Issue 11: a mergeable constant by content, an empty object by its scoped symbol.
if pkg=$("$top/tests/lib/corpus-package" debian trace-marker-cst2 2>"$tmp/cst.err"); then
	expect_lines inspect-const-record "$pkg" \
		'^  reloc\[[0-9]+\] site=\.ksplice_pre\.text\.tracing_mark_write\+0x[0-9a-f]+ const=0a00 addend=-4 '
else
	fail inspect-const-record "ksplice-create failed: $(tail -2 "$tmp/cst.err")"
fi
if pkg=$("$top/tests/lib/corpus-package" debian debugfs-attr-mutex-key 2>"$tmp/key.err"); then
	expect_lines inspect-empty-object "$pkg" \
		'^  reloc\[[0-9]+\] site=\.ksplice_pre\.text\.simple_attr_open\+0x[0-9a-f]+ symbol=__key\.[0-9]+ .* scope=1$'
else
	fail inspect-empty-object "ksplice-create failed: $(tail -2 "$tmp/key.err")"
fi
if pkg=$("$top/tests/lib/corpus-package" debian fifo-open-witness 2>"$tmp/wit.err"); then
	expect_lines inspect-witness "$pkg" \
		'^  section\[[0-9]+\] symbol=create_pipe_files at=\.ksplice_pre\.text\.create_pipe_files\+0x0 size=0x[0-9a-f]+ flags=text,witness$' \
		'^  reloc\[[0-9]+\] site=\.ksplice_pre\.text\.create_pipe_files\+0x[0-9a-f]+ symbol=pipe_mnt .* scope=1$'
else
	fail inspect-witness "ksplice-create failed: $(tail -2 "$tmp/wit.err")"
fi

check_done
