#!/usr/bin/env bash
# ksplice as a service on a real Debian system: a debootstrapped bookworm
# (systemd, sshd) booted on Debian's stock kernel in QEMU, the project put in
# by `make install` with ksplice.service enabled. Two updates are installed
# (`ksplice install`) and the machine rebooted: the unit must apply both
# again, in install order, say so in the journal, and the kernel must behave
# patched; `ksplice remove` and another reboot must leave no trace.
set -uo pipefail
top=$(cd "$(dirname "$0")/../.." && pwd)
. "$top/tests/vm/lib.sh"
. "$top/tests/lib/check.sh"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

first=uname-domainname second=execdomains-string
for name in $first $second; do
	if ! pkg=$("$top/tests/lib/corpus-package" debian "$name" 2>"$tmp/$name.err"); then
		fail "service-package-$name" "ksplice-create failed: $(tail -2 "$tmp/$name.err")"
		check_done; exit
	fi
	cp "$pkg" "$tmp/$name.tar.gz"
	cp "$top/tests/patches/$name.check" "$tmp/$name.check"
done
id1=$(corpus_id $first) id2=$(corpus_id $second)

cat >"$tmp/guest.sh" <<GUEST
id1=$id1 id2=$id2 first=$first second=$second
GUEST
cat >>"$tmp/guest.sh" <<'GUEST'
say() { if eval "$2"; then echo "ok service-$1"; else echo "not ok service-$1: $2"; fi; }
patched() { sh "$1.check" >/dev/null 2>&1; }
unit_log() { journalctl -b -o cat -u ksplice.service --no-pager; }
case $BOOT in
1)
	say sshd-runs 'systemctl is-active -q ssh'
	say unit-idle-without-updates '! unit_log | grep -q "applied"'
	say unpatched-before '! patched $first && ! patched $second'
	ksplice install $first.tar.gz >/tmp/i1 2>&1; echo "  install: $(tr '\n' ' ' </tmp/i1)"
	ksplice install $second.tar.gz >/tmp/i2 2>&1; echo "  install: $(tr '\n' ' ' </tmp/i2)"
	say install-applies 'patched $first && patched $second'
	# A copy for another release: kept, and left alone at boot.
	mkdir -p /tmp/o && tar -C /tmp/o -xzf $first.tar.gz
	sed -i 's/^id .*/id otherrel1/; s/^kernel_release .*/kernel_release 0.0-other/' /tmp/o/ksplice-$id1/manifest
	mv /tmp/o/ksplice-$id1 /tmp/o/ksplice-otherrel1 && tar -C /tmp/o -czf /tmp/other.tar.gz ksplice-otherrel1
	say install-other-release 'ksplice install --no-apply /tmp/other.tar.gz >/dev/null 2>&1'
	ksplice list --json >/tmp/list.json
	say list-json-order 'tr -d " \n" </tmp/list.json | grep -q "\"id\":\"$id1\",[^}]*\"order\":1,\"applied\":true.*\"id\":\"$id2\",[^}]*\"order\":2,\"applied\":true"'
	want_reboot ;;
2)
	unit_log | sed 's/^/  journal: /'
	say unit-active 'systemctl is-active -q ksplice.service'
	say unit-applied-in-order 'unit_log | grep -n "^applied: " | tr "\n" " " | grep -q "applied: $id1 .*applied: $id2"'
	say unit-summary 'unit_log | grep -q "2 applied, 0 already applied, 0 skipped, 0 could not apply; 1 installed for other kernels left alone"'
	say patched-after-reboot 'patched $first && patched $second'
	say view-after-reboot 'ksplice view -q | sort | tr "\n" " " | grep -q "^$(printf "%s\n" $id1 $id2 | sort | tr "\n" " ")$"'
	say remove-first 'ksplice remove $id1 >/dev/null 2>&1 && ! patched $first && patched $second'
	say remove-second 'ksplice remove $id2 >/dev/null 2>&1 && ! patched $second'
	say remove-other-release 'ksplice remove otherrel1 >/dev/null 2>&1'
	want_reboot ;;
3)
	unit_log | sed 's/^/  journal: /'
	say gone-after-reboot '! patched $first && ! patched $second'
	say nothing-applied-at-boot '! unit_log | grep -q "^applied: "'
	say nothing-installed '[ "$(ksplice list --all --json)" = "{\"kernel_release\": \"$(uname -r)\", \"updates\": []}" ]'
	say no-update-modules '! grep -q "^ksplice_" /proc/modules' ;;
esac
GUEST

files=(--file "$tmp/guest.sh:unused")
for name in $first $second; do files+=(--file "$tmp/$name.tar.gz" --file "$tmp/$name.check"); done
"$VM_DIR/debian-system" --timeout 900 "${files[@]}" "$tmp/guest.sh" >"$tmp/out" 2>"$tmp/err"
rc=$?
grep -v '^\(ok\|not ok\) ' "$tmp/out" | sed 's/^/  /'
grep '^\(ok\|not ok\) ' "$tmp/out"
want=18
got=$(grep -c '^\(ok\|not ok\) ' "$tmp/out")
[ $rc = 0 ] || fail service-guest "$(tail -5 "$tmp/err")"
[ "$got" = $want ] || fail service-all-cases "$got of $want cases reported"
grep -q '^not ok ' "$tmp/out" && check_failures=$((check_failures + 1))
check_done
