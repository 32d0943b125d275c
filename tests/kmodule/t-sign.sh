#!/usr/bin/env bash
# Signed updates for kernels that enforce module signatures: the x86-64 test
# kernel is built with CONFIG_MODULE_SIG (kbuild's own key in its trusted
# keyring) and booted with module.sig_enforce=1. An update made with
# ksplice-create --sign-key/--sign-cert (that key) applies and undoes; an
# unsigned update, and an unsigned ksplice.ko, are refused with a message
# that says why, and nothing is left loaded.
set -uo pipefail
top=$(cd "$(dirname "$0")/../.." && pwd)
. "$top/tests/vm/lib.sh"
. "$top/tests/lib/check.sh"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
create=$top/build/bin/ksplice-create
name=uname-domainname

eval "$("$VM_DIR/kernel" x86_64)"
key=$KERNEL_KDIR/certs/signing_key.pem cert=$KERNEL_KDIR/certs/signing_key.x509
[ -f "$key" ] && [ -x "$KERNEL_KDIR/scripts/sign-file" ] && pass sign-test-kernel-has-key ||
	{ fail sign-test-kernel-has-key "no $key or scripts/sign-file: is CONFIG_MODULE_SIG on?"; check_done; exit; }
tree=$(patchable_tree x86_64)

# create's refusals come before any build.
"$create" --id signx --config "$KERNEL_KDIR" --patch "$top/tests/patches/$name.patch" \
	--sign-key "$key" "$tree" >"$tmp/out" 2>&1
[ $? = 2 ] && grep -q 'sign-key and --sign-cert go together' "$tmp/out" && pass sign-create-needs-both ||
	fail sign-create-needs-both "$(cat "$tmp/out")"
"$create" --id signx --config "$KERNEL_KDIR" --patch "$top/tests/patches/$name.patch" \
	--sign-key "$tmp/nokey.pem" --sign-cert "$cert" "$tree" >"$tmp/out" 2>&1
[ $? = 2 ] && grep -q "sign-key $tmp/nokey.pem: cannot read it" "$tmp/out" && pass sign-create-unreadable-key ||
	fail sign-create-unreadable-key "$(cat "$tmp/out")"
i386_kdir=$(eval "$("$VM_DIR/kernel" i386)"; echo "$KERNEL_KDIR")
"$create" --id signx --config "$i386_kdir" --patch "$top/tests/patches/$name.patch" \
	--sign-key "$key" --sign-cert "$cert" "$(patchable_tree i386)" >"$tmp/out" 2>&1
[ $? = 2 ] && grep -q 'has no module signing (CONFIG_MODULE_SIG)' "$tmp/out" && pass sign-create-config-without-signing ||
	fail sign-create-config-without-signing "$(cat "$tmp/out")"

id=signeduname
if ! "$create" -q --id $id --config "$KERNEL_KDIR" --output-dir "$tmp" --patch "$top/tests/patches/$name.patch" \
	--sign-key "$key" --sign-cert "$cert" "$tree" >"$tmp/create.log" 2>&1; then
	fail sign-create "$(tail -3 "$tmp/create.log")"; check_done; exit
fi
mkdir "$tmp/x" && tar -C "$tmp/x" -xzf "$tmp/ksplice-$id.tar.gz"
signed=0
for ko in "$tmp/x/ksplice-$id/modules"/*.ko; do
	tail -c 28 "$ko" | grep -q '~Module signature appended~' && signed=$((signed + 1))
done
[ $signed = 2 ] && pass sign-create-signs-modules || fail sign-create-signs-modules "$signed of 2 signed"
unsigned=$("$top/tests/lib/corpus-package" x86_64 "$name" 2>"$tmp/err") ||
	{ fail sign-unsigned-package "$(tail -2 "$tmp/err")"; check_done; exit; }
core=$("$VM_DIR/build-module" x86_64 "$top/kmodule") || { fail sign-core-build "ksplice.ko"; check_done; exit; }
cp "$core" "$tmp/ksplice-unsigned.ko"
cp "$core" "$tmp/ksplice.ko"
"$KERNEL_KDIR/scripts/sign-file" sha256 "$key" "$cert" "$tmp/ksplice.ko" || fail sign-core "sign-file failed"

cat >"$tmp/guest.sh" <<GUEST
id=$id uid=$(corpus_id "$name")
GUEST
cat >>"$tmp/guest.sh" <<'GUEST'
echo "enforced $(cat /sys/module/module/parameters/sig_enforce)"
leftover() { [ -d /sys/kernel/ksplice ] || grep -q '^ksplice' /proc/modules && echo loaded || echo none; }
rc=0; ksplice-apply --core ksplice-unsigned.ko signed.tar.gz >/tmp/a 2>&1 || rc=$?
echo "unsigned-core rc=$rc left=$(leftover)"
sed 's/^/  | /' /tmp/a
rc=0; ksplice-apply --core ksplice.ko unsigned.tar.gz >/tmp/b 2>&1 || rc=$?
echo "unsigned-update rc=$rc left=$(leftover)"
sed 's/^/  | /' /tmp/b
grep -q 'loads only signed modules' /tmp/a && echo "unsigned-core-message ok" || true
grep -q "not signed by a key it trusts (ksplice-create --sign-key" /tmp/b && echo "unsigned-update-message ok" || true
sh check.sh && echo "unsigned-update-patched yes" || echo "unsigned-update-patched no"
rc=0; ksplice-apply --core ksplice.ko signed.tar.gz >/tmp/c 2>&1 || rc=$?
echo "signed rc=$rc"
sed 's/^/  | /' /tmp/c
sh check.sh && echo "signed-patched yes" || echo "signed-patched no"
rc=0; ksplice-undo $id >/dev/null 2>&1 || rc=$?
echo "signed-undo rc=$rc"
sh check.sh && echo "undone-patched yes" || echo "undone-patched no"
echo SIGN-END
GUEST
tools=()
for tool in ksplice-apply ksplice-undo; do
	tools+=(--file "$top/build/static/$KERNEL_TOOLS_ARCH/$tool:bin/$tool")
done
out=$("$VM_DIR/run-guest" --timeout 300 --append module.sig_enforce=1 --file "$tmp/ksplice-$id.tar.gz:signed.tar.gz" \
	--file "$unsigned:unsigned.tar.gz" --file "$tmp/ksplice.ko" --file "$tmp/ksplice-unsigned.ko" \
	--file "$top/tests/patches/$name.check:check.sh" "${tools[@]}" x86_64 "$tmp/guest.sh" 2>"$tmp/err")
rc=$?
echo "$out" | grep '^  |'
for want in "enforced Y" "unsigned-core rc=4 left=none" "unsigned-update rc=4 left=none" \
	    "unsigned-core-message ok" "unsigned-update-message ok" "unsigned-update-patched no" \
	    "signed rc=0" "signed-patched yes" "signed-undo rc=0" "undone-patched no"; do
	step=${want%% *}
	grep -qx "$want" <<<"$out" && pass "sign-$step" || fail "sign-$step" "want '$want', got: $(grep "^$step " <<<"$out")"
done
[ $rc = 0 ] && grep -q '^SIGN-END' <<<"$out" && pass sign-console-clean || fail sign-console-clean "$(tail -5 "$tmp/err")"
check_done
