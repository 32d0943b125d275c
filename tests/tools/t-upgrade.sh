#!/usr/bin/env bash
# The update repository on the host: ksplice-repo builds and signs one (gpg,
# a throwaway key), ksplice-upgrade --list / --download-only read it over
# file:// and over HTTP from 127.0.0.1, and refuse an unsigned, badly
# signed, tampered, out-of-order or wrong-kernel one. Nothing is installed
# for real here (the packages hold no modules a kernel would take); the
# upgrade that installs and applies is tested in a Debian guest
# (tests/service/t-service.sh).
set -uo pipefail
top=$(cd "$(dirname "$0")/../.." && pwd)
. "$top/tests/lib/check.sh"
bin=$top/build/bin
tmp=$(mktemp -d)
server=
trap '[ -z "$server" ] || kill $server 2>/dev/null; rm -rf "$tmp"' EXIT
export KSPLICE_SYSFS_DIR=$tmp/sys KSPLICE_RECORDS_DIR=$tmp/run KSPLICE_STATE_DIR=$tmp/state
export KSPLICE_CONF=$tmp/ksplice.conf TMPDIR=$tmp
command -v gpg >/dev/null && command -v gpgv >/dev/null || { skip upgrade "gpg/gpgv not installed"; exit 0; }


# Two keys: the trusted one signs the repository, the other one is an attacker's.
for who in good evil; do
	mkdir -m 700 -p "$tmp/gpg-$who"
	gpg --homedir "$tmp/gpg-$who" --batch --quiet --passphrase '' \
		--quick-gen-key "ksplice $who <$who@ksplice.test>" ed25519 sign never 2>/dev/null
done
gpg --homedir "$tmp/gpg-good" --export >"$tmp/trusted.gpg"
printf 'repository = file://%s/repo\nkeyring = %s/trusted.gpg\n' "$tmp" "$tmp" >"$KSPLICE_CONF"

release=$(uname -r) version=$(cat /proc/sys/kernel/version)
# make_pkg ID [VERSION]: a package for this kernel build (or VERSION of it).
make_pkg() {
	local d=$tmp/pkg/ksplice-$1
	rm -rf "$tmp/pkg" && mkdir -p "$d/modules"
	printf 'format 1\nid %s\nkernel_release %s\nkernel_version %s\nbuild_identity 00\nmachine x86_64\ntarget vmlinux p.ko h.ko\n' \
		"$1" "$release" "${2:-$version}" >"$d/manifest"
	echo "update $1" >"$d/description"
	: >"$d/patch"
	echo "not a module" >"$d/modules/p.ko"
	echo "not a module" >"$d/modules/h.ko"
	tar -C "$tmp/pkg" -czf "$tmp/$1.tar.gz" "ksplice-$1"
}
make_pkg first1
make_pkg second2
make_pkg third3

expect_run repo-usage 2 usage "$bin/ksplice-repo"
expect_run repo-add 0 'index: 2 updates, signed' "$bin/ksplice-repo" add --gpg-homedir "$tmp/gpg-good" \
	"$tmp/repo" "$tmp/first1.tar.gz" "$tmp/second2.tar.gz"
build=$(ls -d "$tmp/repo/$release"/*)
grep -q "^update 2 second2 $(sha256sum "$tmp/second2.tar.gz" | cut -c1-64)$" "$build/index" &&
	gpgv --keyring "$tmp/trusted.gpg" "$build/index.sig" "$build/index" 2>/dev/null &&
	pass repo-index-signed || fail repo-index-signed "$(cat "$build/index")"
expect_run repo-add-twice 3 'update first1 is already in the repository' "$bin/ksplice-repo" add \
	--gpg-homedir "$tmp/gpg-good" "$tmp/repo" "$tmp/first1.tar.gz"

expect_run upgrade-list 0 'pending 2 second2' "$bin/ksplice-upgrade" --list
grep -q '^pending 1 first1$' <<<"$check_out" && pass upgrade-list-order || fail upgrade-list-order "$check_out"
"$bin/ksplice" upgrade --list --json >"$tmp/up.json" 2>&1
python3 - "$tmp/up.json" <<'PY' && pass upgrade-list-json || fail upgrade-list-json "$(cat "$tmp/up.json")"
import json, sys
d = json.load(open(sys.argv[1]))
assert d["installed"] == 0 and d["published"] and d["pending"] == [{"order": 1, "id": "first1"}, {"order": 2, "id": "second2"}], d
PY
expect_run upgrade-download 0 '0002-second2.tar.gz' "$bin/ksplice-upgrade" --download-only "$tmp/dl"
cmp -s "$tmp/dl/0001-first1.tar.gz" "$tmp/first1.tar.gz" && cmp -s "$tmp/dl/0002-second2.tar.gz" "$tmp/second2.tar.gz" &&
	pass upgrade-download-files || fail upgrade-download-files "$(ls "$tmp/dl")"
expect_run upgrade-needs-root 4 'must be run as root' setpriv --reuid=65534 --regid=65534 --clear-groups \
	env KSPLICE_CONF="$KSPLICE_CONF" "$bin/ksplice-upgrade"

# Over HTTP, from a server on the loopback address only.
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
python3 -m http.server --bind 127.0.0.1 --directory "$tmp/repo" "$port" >/dev/null 2>&1 &
server=$!
for _ in $(seq 50); do python3 -c "import socket; socket.create_connection(('127.0.0.1', $port))" 2>/dev/null && break; sleep 0.1; done
expect_run upgrade-http 0 'pending 2 second2' "$bin/ksplice-upgrade" --repository "http://127.0.0.1:$port" --list
expect_run upgrade-http-missing 0 'no updates for this kernel' "$bin/ksplice-upgrade" \
	--repository "http://127.0.0.1:$port/elsewhere" --list
expect_run upgrade-missing-json 0 '"published": false' "$bin/ksplice-upgrade" \
	--repository "http://127.0.0.1:$port/elsewhere" --list --json

# Refusals: each leaves nothing fetched for installing and nothing installed.
cp -a "$tmp/repo" "$tmp/repo.good"
rm -rf "$tmp/dl"
restore() { rm -rf "$tmp/repo" "$tmp/dl"; cp -a "$tmp/repo.good" "$tmp/repo"; }
echo tampered >>"$build/second2.tar.gz"
expect_run refuse-tampered 3 'second2: its SHA-256 is not the one of the signed index' \
	"$bin/ksplice-upgrade" --download-only "$tmp/dl"
[ ! -e "$tmp/dl" ] && pass refuse-tampered-nothing-kept || fail refuse-tampered-nothing-kept "$(ls "$tmp/dl")"
restore
rm "$build/index.sig"
expect_run refuse-unsigned 3 'index is not signed' "$bin/ksplice-upgrade" --list
restore
gpg --homedir "$tmp/gpg-evil" --batch --yes --quiet --output "$build/index.sig" --detach-sign "$build/index"
expect_run refuse-bad-signature 3 'index is not trusted: the signature' "$bin/ksplice-upgrade" --list
restore
sed -i 's/^update 2 /update 3 /' "$build/index"
expect_run refuse-index-changed-after-signing 3 'index is not trusted' "$bin/ksplice-upgrade" --list
gpg --homedir "$tmp/gpg-good" --batch --yes --quiet --output "$build/index.sig" --detach-sign "$build/index"
expect_run refuse-out-of-order 3 'number 3 where 2 comes next: out of order' "$bin/ksplice-upgrade" --list
restore
sed -i "s/^kernel_version .*/kernel_version #9 another build/" "$build/index"
gpg --homedir "$tmp/gpg-good" --batch --yes --quiet --output "$build/index.sig" --detach-sign "$build/index"
expect_run refuse-wrong-kernel 3 'is for kernel .* build "#9 another build", not this kernel' "$bin/ksplice-upgrade" --list
restore
# A package that is not the one the index names (swapped, same checksum line rewritten and re-signed).
cp "$tmp/third3.tar.gz" "$build/second2.tar.gz"
sed -i "s/^update 2 second2 .*/update 2 second2 $(sha256sum "$tmp/third3.tar.gz" | cut -c1-64)/" "$build/index"
gpg --homedir "$tmp/gpg-good" --batch --yes --quiet --output "$build/index.sig" --detach-sign "$build/index"
expect_run refuse-swapped-package 3 'the package is third3' "$bin/ksplice-upgrade" --download-only "$tmp/dl"
restore
# Installed updates must be the index's first ones.
"$bin/ksplice-install" --no-apply "$tmp/second2.tar.gz" >/dev/null 2>&1
expect_run refuse-installed-out-of-order 3 'second2 (number 2) is installed but first1 (number 1) before it is not' \
	"$bin/ksplice-upgrade" --list
"$bin/ksplice-install" --no-apply "$tmp/first1.tar.gz" >/dev/null 2>&1
rm -rf "$tmp/state" && "$bin/ksplice-install" --no-apply "$tmp/first1.tar.gz" >/dev/null 2>&1
expect_run upgrade-pending-after-install 0 'pending 2 second2' "$bin/ksplice-upgrade" --list
grep -q first1 <<<"$check_out" && fail upgrade-installed-not-pending "$check_out" || pass upgrade-installed-not-pending
"$bin/ksplice-install" --no-apply "$tmp/second2.tar.gz" >/dev/null 2>&1
expect_run upgrade-up-to-date 0 'Up to date: all 2 updates' "$bin/ksplice-upgrade" --list

printf 'repository = file:///nowhere\ncolour = blue\n' >"$tmp/bad.conf"
expect_run config-unknown-key 3 'bad.conf:2: expected' env KSPLICE_CONF="$tmp/bad.conf" "$bin/ksplice-upgrade" --list
: >"$tmp/empty.conf"
expect_run config-no-repository 2 'no repository' env KSPLICE_CONF="$tmp/empty.conf" "$bin/ksplice-upgrade" --list
check_done
