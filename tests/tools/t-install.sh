#!/usr/bin/env bash
# ksplice install / remove / list / reapply and the `ksplice` front end, on
# the host, with packages for kernel release "0.0-ksplice-test" (which no
# host runs) and the running release with another build: nothing here
# reaches the kernel. Installing and re-applying at boot for real is tested
# in a Debian guest (tests/service/t-service.sh).
set -uo pipefail
top=$(cd "$(dirname "$0")/../.." && pwd)
. "$top/tests/lib/check.sh"
bin=$top/build/bin
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
export KSPLICE_SYSFS_DIR=$tmp/sys KSPLICE_RECORDS_DIR=$tmp/run KSPLICE_STATE_DIR=$tmp/state TMPDIR=$tmp
store=$tmp/state/updates


# make_pkg NAME ID RELEASE [VERSION] [DESCRIPTION]
make_pkg() {
	local d=$tmp/pkg-$1/ksplice-$2
	mkdir -p "$d/modules"
	printf 'format 1\nid %s\nkernel_release %s\n%sbuild_identity 00\nmachine x86_64\ntarget vmlinux p.ko h.ko\n' \
		"$2" "$3" "${4:+kernel_version $4
}" >"$d/manifest"
	printf '%s\n' "${5:-update $2}" >"$d/description"
	: >"$d/patch"
	echo junk >"$d/modules/p.ko"
	echo junk >"$d/modules/h.ko"
	tar -C "$tmp/pkg-$1" -czf "$tmp/$1.tar.gz" "ksplice-$2"
}
other=0.0-ksplice-test
make_pkg a aaa1 $other
make_pkg b bbb2 $other '' $'quote " backslash \\ tab \t and \xff byte'
make_pkg here ccc3 "$(uname -r)" '#1 not this build'

expect_run install-usage 2 usage "$bin/ksplice-install"
expect_run install-non-root 4 'must be run as root' setpriv --reuid=65534 --regid=65534 --clear-groups \
	"$bin/ksplice-install" "$tmp/a.tar.gz"
expect_run install-other-kernel 3 'no-apply keeps it' "$bin/ksplice-install" "$tmp/a.tar.gz"
[ ! -e "$store/$other" ] || [ -z "$(ls -A "$store/$other")" ] && pass install-refused-stores-nothing ||
	fail install-refused-stores-nothing "$(ls -A "$store/$other")"
expect_run install-later "0" "Installed update aaa1 for $other (not applied now)" \
	"$bin/ksplice-install" --no-apply "$tmp/a.tar.gz"
[ -f "$store/$other/0001-aaa1/update.tar.gz" ] && cmp -s "$tmp/a.tar.gz" "$store/$other/0001-aaa1/update.tar.gz" &&
	grep -qx 'id aaa1' "$store/$other/0001-aaa1/manifest" && pass install-stores-package ||
	fail install-stores-package "$(find "$store" | head)"
expect_run install-twice 3 'update aaa1 is already installed' "$bin/ksplice-install" --no-apply "$tmp/a.tar.gz"
# A leftover of an install that was killed is not an installed update.
mkdir -p "$store/$other/.new-zzz9"
expect_run install-second 0 'Installed update bbb2' "$bin/ksplice-install" --no-apply "$tmp/b.tar.gz"
[ -d "$store/$other/0002-bbb2" ] && pass install-order || fail install-order "$(ls -A "$store/$other")"
expect_run install-wrong-build 3 'is for build "#1 not this build"' \
	"$bin/ksplice-install" --no-apply "$tmp/here.tar.gz"

# list: this kernel's updates (none), or every release's with --all.
expect_run list-this-kernel 0 'order' "$bin/ksplice-list"
[ "$(wc -l <<<"$check_out")" = 1 ] && pass list-this-kernel-empty || fail list-this-kernel-empty "$check_out"
"$bin/ksplice" list --all --json >"$tmp/list.json" 2>&1
python3 - "$tmp/list.json" "$other" <<'PY' && pass list-json || fail list-json "$(cat "$tmp/list.json")"
import json, sys
doc = json.load(open(sys.argv[1], encoding="utf-8"))
u = doc["updates"]
assert [x["id"] for x in u] == ["aaa1", "bbb2"], u
assert [x["order"] for x in u] == [1, 2] and all(x["installed"] and not x["applied"] for x in u), u
assert all(x["kernel_release"] == sys.argv[2] for x in u), u
assert u[1]["description"] == 'quote " backslash \\ tab \t and \ufffd byte', u[1]["description"]
PY

# reapply at boot: other releases are left alone; another build is skipped.
expect_run reapply-other-releases 0 '0 applied, 0 already applied, 0 skipped, 0 could not apply; 2 installed for other kernels left alone' \
	"$bin/ksplice-reapply"
mkdir -p "$store/$(uname -r)"
cp -r "$store/$other/0001-aaa1" "$store/$(uname -r)/0001-ccc3"
tar -xzOf "$tmp/here.tar.gz" ksplice-ccc3/manifest >"$store/$(uname -r)/0001-ccc3/manifest"
expect_run reapply-skips-other-build 0 'skipped ccc3: update ccc3 is for build "#1 not this build"' "$bin/ksplice-reapply"
grep -q '1 skipped' <<<"$check_out" && pass reapply-summary || fail reapply-summary "$check_out"
rm -rf "$store/$(uname -r)"

expect_run remove-usage 2 usage "$bin/ksplice-remove"
expect_run remove-bad-id 2 'is not an update id' "$bin/ksplice-remove" '../x'
expect_run remove-unknown 3 'update qqq7 is not installed' "$bin/ksplice-remove" qqq7
expect_run remove-installed 0 "Removed update aaa1 (kernel $other)" "$bin/ksplice-remove" aaa1
[ ! -e "$store/$other/0001-aaa1" ] && [ -d "$store/$other/0002-bbb2" ] && pass remove-only-that ||
	fail remove-only-that "$(ls -A "$store/$other")"
expect_run remove-again 3 'update aaa1 is not installed' "$bin/ksplice-remove" aaa1
# After a removal, the next install still goes last.
expect_run install-after-remove 0 'Installed update aaa1' "$bin/ksplice-install" --no-apply "$tmp/a.tar.gz"
[ -d "$store/$other/0003-aaa1" ] && pass install-after-remove-order || fail install-after-remove-order "$(ls -A "$store/$other")"

expect_run front-end-usage 2 'usage: ksplice VERB' "$bin/ksplice"
expect_run front-end-unknown 2 "'frobnicate' is not a ksplice command" "$bin/ksplice" frobnicate
expect_run front-end-help 0 'reapply' "$bin/ksplice" help
expect_run front-end-runs-verb 3 'update qqq7 is not installed' "$bin/ksplice" remove qqq7
expect_run front-end-old-commands 3 'update abc is not applied' "$bin/ksplice" undo abc
check_done
