#!/usr/bin/env bash
# ksplice-view against a fake sysfs and record directory.
set -uo pipefail
top=$(cd "$(dirname "$0")/../.." && pwd)
. "$top/tests/lib/check.sh"
view=$top/build/bin/ksplice-view
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
export KSPLICE_SYSFS_DIR=$tmp/sys KSPLICE_RECORDS_DIR=$tmp/run

out=$("$view" 2>&1) && [ -z "$out" ] && pass view-without-core || fail view-without-core "rc or output: $out"

mkdir -p "$tmp/sys/abc123" "$tmp/run/abc123"
echo applied >"$tmp/sys/abc123/stage"
echo "fix the frobnicator" >"$tmp/run/abc123/description"
printf -- '--- a/x.c\n+++ b/x.c\n' >"$tmp/run/abc123/patch"
out=$("$view" 2>&1)
[ "$out" = "abc123: fix the frobnicator" ] && pass view-lists-updates || fail view-lists-updates "got: $out"
out=$("$view" -q 2>&1)
[ "$out" = "abc123" ] && pass view-quiet-lists-ids || fail view-quiet-lists-ids "got: $out"
out=$("$view" --id abc123 2>&1)
grep -q '^stage: applied$' <<<"$out" && grep -q '^+++ b/x.c$' <<<"$out" && pass view-id-shows-stage-and-patch ||
	fail view-id-shows-stage-and-patch "got: $out"
printf 'format 1\nid abc123\nkernel_release 0.0-ksplice-test\nbuild_identity 00\nmachine x86_64\ntarget vmlinux p.ko h.ko\ntarget ksplice_no_such_mod p2.ko h2.ko\n' \
	>"$tmp/run/abc123/manifest"
out=$("$view" --id abc123 2>&1)
grep -q '^targets: vmlinux, ksplice_no_such_mod (module, not loaded)$' <<<"$out" && pass view-id-shows-modules ||
	fail view-id-shows-modules "got: $out"
"$view" --json >"$tmp/view.json" 2>&1
python3 - "$tmp/view.json" <<'PY' && pass view-json || fail view-json "$(cat "$tmp/view.json")"
import json, sys
u = json.load(open(sys.argv[1]))["updates"]
assert u == [{"id": "abc123", "stage": "applied", "description": "fix the frobnicator",
              "targets": ["vmlinux", "ksplice_no_such_mod"]}], u
PY
out=$(KSPLICE_SYSFS_DIR=$tmp/none "$view" --json 2>&1)
[ "$out" = '{"updates": []}' ] && pass view-json-without-core || fail view-json-without-core "got: $out"
out=$("$view" --id nosuch 2>&1)
rc=$?
[ $rc != 0 ] && [ "$out" = "ksplice-view: no update with id 'nosuch' is loaded" ] && pass view-unknown-id-refused ||
	fail view-unknown-id-refused "rc $rc: $out"
"$view" --bogus >/dev/null 2>&1; rc=$?
[ $rc = 2 ] && pass view-bad-usage || fail view-bad-usage "rc $rc"
check_done
