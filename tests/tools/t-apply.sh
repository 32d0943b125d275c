#!/usr/bin/env bash
# ksplice-apply / ksplice-undo refusals that happen before anything touches
# the kernel: usage, non-root, bad packages, a package for another kernel.
# Every package here names kernel release "0.0-ksplice-test", which no host
# runs, so the tools stop before loading any module. (Applying for real is
# tested in guests.)
set -uo pipefail
top=$(cd "$(dirname "$0")/../.." && pwd)
. "$top/tests/lib/check.sh"
apply=$top/build/bin/ksplice-apply undo=$top/build/bin/ksplice-undo
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
export KSPLICE_SYSFS_DIR=$tmp/sys KSPLICE_RECORDS_DIR=$tmp/run TMPDIR=$tmp


# make_pkg NAME MANIFEST [FILES...]: a package with that manifest text.
make_pkg() {
	local name=$1 manifest=$2 d=$tmp/pkg-$1/ksplice-x
	shift 2
	mkdir -p "$d/modules"
	[ -z "$manifest" ] || printf '%s' "$manifest" >"$d/manifest"
	echo "a test" >"$d/description"
	: >"$d/patch"
	for f in "$@"; do echo junk >"$d/modules/$f"; done
	tar -C "$tmp/pkg-$name" -czf "$tmp/$name.tar.gz" ksplice-x
}
good='format 1
id x1
kernel_release 0.0-ksplice-test
build_identity 00
machine x86_64
target vmlinux p.ko h.ko
'

expect_run apply-usage 2 usage "$apply"
expect_run apply-non-root 4 'must be run as root' setpriv --reuid=65534 --regid=65534 --clear-groups "$apply" /nonexistent
expect_run apply-missing-file 3 'No such file' "$apply" "$tmp/nonexistent.tar.gz"
echo "not a tarball" >"$tmp/text.tar.gz"
expect_run apply-not-a-package 3 'not a ksplice update package' "$apply" "$tmp/text.tar.gz"
make_pkg nomanifest "" p.ko h.ko
expect_run apply-no-manifest 3 'no manifest' "$apply" "$tmp/nomanifest.tar.gz"
make_pkg badkey "${good}colour blue
" p.ko h.ko
expect_run apply-bad-manifest 3 "unknown key 'colour'" "$apply" "$tmp/badkey.tar.gz"
make_pkg nomodule "$good" p.ko
expect_run apply-module-missing 3 'modules/h.ko is missing' "$apply" "$tmp/nomodule.tar.gz"
make_pkg other "$good" p.ko h.ko
expect_run apply-other-kernel 3 'is for kernel 0.0-ksplice-test' "$apply" "$tmp/other.tar.gz"
make_pkg modtarget "${good}target ksplice_no_such_mod p2.ko h2.ko
" p.ko h.ko p2.ko h2.ko
expect_run apply-lists-modules 3 'targets: vmlinux, ksplice_no_such_mod (module, not loaded)' \
	"$apply" "$tmp/modtarget.tar.gz"
# A symlink in a package (here to a host file) is refused before anything reads through it.
make_pkg symlink "$good" p.ko
ln -s /etc/passwd "$tmp/pkg-symlink/ksplice-x/modules/h.ko"
tar -C "$tmp/pkg-symlink" -czf "$tmp/symlink.tar.gz" ksplice-x
expect_run apply-symlink-refused 3 'modules/h.ko is a symlink or special file\|h.ko is a symlink or special file' \
	"$apply" "$tmp/symlink.tar.gz"
# A ':' in the file name is a file, not a remote host for tar.
cp "$tmp/other.tar.gz" "$tmp/host:other.tar.gz"
expect_run apply-colon-in-name 3 'is for kernel 0.0-ksplice-test' "$apply" "$tmp/host:other.tar.gz"
[ -z "$(ls "$tmp" | grep '^ksplice-')" ] && pass apply-cleans-temp || fail apply-cleans-temp "left: $(ls "$tmp")"

expect_run undo-usage 2 usage "$undo"
expect_run undo-bad-id 2 'is not an update id' "$undo" 'x/../y'
expect_run undo-non-root 4 'must be run as root' setpriv --reuid=65534 --regid=65534 --clear-groups "$undo" abc
expect_run undo-unknown 3 'update abc is not applied' "$undo" abc
check_done
