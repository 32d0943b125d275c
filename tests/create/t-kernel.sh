#!/usr/bin/env bash
# ksplice-create --kernel: the clear errors, without building anything.
#   - a release that is not Debian's shape, and one no package has;
#   - --to a version of another series, and one no longer in the archive;
#   - offline: apt-get download cannot reach the archive (a stand-in
#     apt-get on PATH answers like an offline one; the cache is empty);
#   - --to/--fetch-only without --kernel, --to with --git.
# The -57 fixture's packages are reused from the cache when there.
set -uo pipefail
top=$(cd "$(dirname "$0")/../.." && pwd)
. "$top/tests/lib/check.sh"
. "$top/tests/vm/lib.sh"
create=$top/build/bin/ksplice-create
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# expect NAME WANT_RC PATTERN ARGS...: exit status and a line on stderr.
expect() {
	local name=$1 want=$2 pattern=$3 rc
	shift 3
	"$@" >"$tmp/out" 2>"$tmp/err" </dev/null
	rc=$?
	if [ $rc = "$want" ] && grep -q -- "$pattern" "$tmp/err"; then
		pass "$name"
	else
		fail "$name" "rc $rc (want $want), stderr: $(grep -v '^Kernel\|^Download\|^Unpack' "$tmp/err" | head -2)"
	fi
}

expect kernel-not-debian-shape 1 'is not a Debian kernel release' \
	"$create" --kernel=5.15.0-custom --fetch-only
expect kernel-no-package 1 'is not a Debian kernel: no package linux-image-6.1.0-999-cloud-amd64' \
	"$create" --kernel=6.1.0-999-cloud-amd64 --fetch-only
expect to-needs-kernel 2 '--to needs --kernel' "$create" --to 6.1.192-3 /tmp
expect fetch-only-needs-kernel 2 '--fetch-only needs --kernel' "$create" --fetch-only /tmp
expect to-with-git 2 '--to goes with --patch only' "$create" --kernel --to 6.1.192-3 --git HEAD
expect no-change-source 2 'give exactly one of --patch, --diffext and --git, or --to' \
	"$create" --kernel=6.1.0-57-cloud-amd64
release=$(basename "$("$VM_DIR/fetch-debian")" | sed 's/-6\.1\..*//') ||
	{ fail kernel-fixture "no Debian fixture"; check_done; exit; }
expect to-other-series 1 'not a version of the linux 6.1 series' \
	"$create" --kernel="$release" --to 5.10.200-1 --fetch-only
expect to-not-in-archive 1 'linux-source-6.1 6.1.100-1 is not in the apt archive' \
	"$create" --kernel="$release" --to 6.1.100-1 --fetch-only

# Offline: apt-cache still answers from its lists, apt-get download fails.
mkdir -p "$tmp/bin"
cat >"$tmp/bin/apt-get" <<'FAKE'
#!/bin/sh
echo "Err:1 http://deb.debian.org/debian-security bookworm-security/main amd64 $3"
echo "  Temporary failure resolving 'deb.debian.org'"
echo "E: Failed to fetch http://deb.debian.org/debian-security/pool/x.deb  Temporary failure resolving 'deb.debian.org'"
exit 100
FAKE
chmod +x "$tmp/bin/apt-get"
expect offline 1 "cannot download linux-headers-$release .* from the Debian archive: offline?" \
	env PATH="$tmp/bin:$PATH" KSPLICE_CACHE="$tmp/cache" "$create" --kernel="$release" --fetch-only
[ ! -e "$tmp/cache/deb/$release-"*/.headers-ready ] && pass offline-nothing-marked-ready ||
	fail offline-nothing-marked-ready "a failed fetch left a ready entry"
check_done
