#!/usr/bin/env bash
# ksplice as a service on a real Debian system: a debootstrapped bookworm
# (systemd, sshd) booted on Debian's stock kernel in QEMU. The project's
# packages (make deb, lintian-clean) are installed there with dpkg -i, and
# DKMS builds ksplice.ko against the installed headers. `ksplice upgrade` installs
# two updates from a signed repository (file://) after refusing a tampered,
# a badly signed and a wrong-kernel copy of it with nothing applied; the
# machine reboots: the unit must apply both again, in install order, say so
# in the journal, and the kernel must behave patched; `ksplice remove` and
# another reboot must leave no trace.
set -uo pipefail
top=$(cd "$(dirname "$0")/../.." && pwd)
. "$top/tests/vm/lib.sh"
. "$top/tests/lib/check.sh"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

if ! debs=$("$top/tools/make-deb" 2>"$tmp/deb.err"); then
	fail service-make-deb "$(tail -5 "$tmp/deb.err")"
	check_done; exit
fi
pass service-make-deb-lintian-clean
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

# The repository, signed with a throwaway key, and three bad copies of it.
mkdir -m 700 "$tmp/gpg"
gpg --homedir "$tmp/gpg" --batch --quiet --passphrase '' \
	--quick-gen-key "ksplice test <test@ksplice.test>" ed25519 sign never 2>/dev/null
gpg --homedir "$tmp/gpg" --export >"$tmp/trusted.gpg"
"$top/build/bin/ksplice-repo" add --gpg-homedir "$tmp/gpg" "$tmp/repo" "$tmp/$first.tar.gz" "$tmp/$second.tar.gz" \
	>"$tmp/repo.log" 2>&1 || { fail service-repository "$(cat "$tmp/repo.log")"; check_done; exit; }
build=$(cd "$tmp/repo" && ls -d */*)
cp -a "$tmp/repo" "$tmp/repo-tampered" && echo x >>"$tmp/repo-tampered/$build/$id2.tar.gz"
cp -a "$tmp/repo" "$tmp/repo-badsig" && mkdir -m 700 "$tmp/gpg-evil" &&
	gpg --homedir "$tmp/gpg-evil" --batch --quiet --passphrase '' \
		--quick-gen-key "evil <evil@ksplice.test>" ed25519 sign never 2>/dev/null &&
	gpg --homedir "$tmp/gpg-evil" --batch --yes --quiet -o "$tmp/repo-badsig/$build/index.sig" \
		--detach-sign "$tmp/repo-badsig/$build/index"
cp -a "$tmp/repo" "$tmp/repo-otherkernel" &&
	sed -i 's/^kernel_version .*/kernel_version #1 another build/' "$tmp/repo-otherkernel/$build/index" &&
	gpg --homedir "$tmp/gpg" --batch --yes --quiet -o "$tmp/repo-otherkernel/$build/index.sig" \
		--detach-sign "$tmp/repo-otherkernel/$build/index"

cat >"$tmp/guest.sh" <<GUEST
id1=$id1 id2=$id2 first=$first second=$second
GUEST
cat >>"$tmp/guest.sh" <<'GUEST'
say() { if eval "$2"; then echo "ok service-$1"; else echo "not ok service-$1: $2"; fi; }
patched() { sh "$1.check" >/dev/null 2>&1; }
unit_log() { journalctl -b -o cat -u ksplice.service --no-pager; }
case $BOOT in
1)
	dpkg -i debs/*.deb >/tmp/dpkg 2>&1 ||
		{ sed 's/^/  dpkg: /' /tmp/dpkg; tail -20 /var/lib/dkms/ksplice/*/build/make.log | sed 's/^/  make.log: /'; false; }
	grep -v '^\(Selecting\|Preparing\|Unpacking\|(Reading\)' /tmp/dpkg | sed 's/^/  dpkg: /'
	say dkms-built-core '[ -f /lib/modules/$(uname -r)/updates/dkms/ksplice.ko ] && dkms status ksplice | grep -q "$(uname -r).*installed"'
	# DKMS signs what it builds with its machine owner key (enrolled with mokutil on Secure Boot hosts).
	say dkms-signed-core 'modinfo -F signer /lib/modules/$(uname -r)/updates/dkms/ksplice.ko | grep -q .'
	say unit-enabled '[ "$(systemctl is-enabled ksplice.service)" = enabled ]'
	say man-page 'man -w ksplice-upgrade >/dev/null 2>&1 || [ -f /usr/share/man/man8/ksplice.8.gz ]'
	say sshd-runs 'systemctl is-active -q ssh'
	say unit-idle-without-updates '! unit_log | grep -q "applied"'
	say unpatched-before '! patched $first && ! patched $second'
	mkdir -p /etc/ksplice && cp trusted.gpg /etc/ksplice/trusted.gpg
	echo "repository = file:///ksplice-test/repo" >/etc/ksplice/ksplice.conf
	say upgrade-lists-pending 'ksplice upgrade --list | tr "\n" " " | grep -q "pending 1 $id1 pending 2 $id2"'
	for bad in tampered badsig otherkernel; do
		ksplice upgrade --repository file:///ksplice-test/repo-$bad >/tmp/$bad 2>&1 && echo "  $bad accepted"
		sed "s/^/  $bad: /" /tmp/$bad
		say refuses-$bad '[ -z "$(ksplice view -q)" ] && [ -z "$(ls /var/lib/ksplice/updates/* 2>/dev/null)" ] && ! patched $first'
	done
	ksplice upgrade >/tmp/up 2>&1 || echo "  upgrade failed: $?"; sed "s/^/  upgrade: /" /tmp/up
	say upgrade-applies 'patched $first && patched $second'
	say upgrade-up-to-date 'ksplice upgrade --list | grep -q "Up to date: all 2 updates"'
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
	say install-by-hand 'ksplice install $first.tar.gz >/dev/null 2>&1 && patched $first && ksplice remove $id1 >/dev/null 2>&1 && ! patched $first'
	want_reboot ;;
3)
	unit_log | sed 's/^/  journal: /'
	say gone-after-reboot '! patched $first && ! patched $second'
	say nothing-applied-at-boot '! unit_log | grep -q "^applied: "'
	say nothing-installed '[ "$(ksplice list --all --json)" = "{\"kernel_release\": \"$(uname -r)\", \"updates\": []}" ]'
	say no-update-modules '! grep -q "^ksplice_" /proc/modules'
	echo SERVICE-END ;;
esac
GUEST

files=(--file "$tmp/trusted.gpg")
for r in repo repo-tampered repo-badsig repo-otherkernel; do files+=(--file "$tmp/$r"); done
for name in $first $second; do files+=(--file "$tmp/$name.tar.gz" --file "$tmp/$name.check"); done
"$VM_DIR/debian-system" --timeout 1200 --debs "$(dirname "$(head -1 <<<"$debs")")" "${files[@]}" "$tmp/guest.sh" >"$tmp/out" 2>"$tmp/err"
rc=$?
grep -v '^\(ok\|not ok\) ' "$tmp/out" | sed 's/^/  /'
grep '^\(ok\|not ok\) ' "$tmp/out"
[ $rc = 0 ] || fail service-guest "$(tail -5 "$tmp/err")"
# Every boot ran to its end (a script that stops early fails the run too).
grep -q '^SERVICE-END$' "$tmp/out" && pass service-three-boots || fail service-three-boots "the third boot never finished"
grep -q '^not ok ' "$tmp/out" && check_failures=$((check_failures + 1))
check_done
