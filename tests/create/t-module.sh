#!/usr/bin/env bash
# Update modules from real kernel objects: compile one object of the kernel
# source before and after an edit (the kernel's own flags plus
# -ffunction-sections -fdata-sections), build the primary and helper modules
# against a test kernel's KDIR, check their descriptors (module_dump), and
# prove in a guest that both insmod and rmmod cleanly.
#   x86_64: kernel/sys.c, uname reports another release
#   debian: fs/proc/version.c, /proc/version reports another release
# The prepared O= trees are kept in build/module-test/ (keyed by .config).
set -uo pipefail
top=$(cd "$(dirname "$0")/../.." && pwd)
. "$top/tests/lib/check.sh"
. "$top/tests/vm/lib.sh"
vm=$top/tests/vm
tool=$top/build/tests/unit/test-module
kernels=${KSPLICE_TEST_KERNELS:-x86_64 debian i386}
# The installed linux-source-6.1's tree (other versions may sit beside it).
src=$(ls -d "$KSPLICE_CACHE/src/linux-source-$(linux_source_version)" 2>/dev/null)
work=$top/build/module-test
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

[ -x "$tool" ] || make -C "$top" -s build/tests/unit/test-module >/dev/null 2>&1

# prepare NAME CONFIG CC ARCH: an O= tree with CONFIG, reused while CONFIG is the same.
prepare() {
	local o=$work/O-$1 config=$2 cc=$3 arch=$4
	if ! cmp -s "$config" "$o/.config.ksplice-test" || [ ! -f "$o/scripts/mod/modpost" ]; then
		rm -rf "$o" && mkdir -p "$o" && cp "$config" "$o/.config" || return 1
		make -s -C "$src" O="$o" CC="$cc" ARCH="$arch" olddefconfig >"$o/prepare.log" 2>&1 &&
			make -s -C "$src" O="$o" CC="$cc" ARCH="$arch" -j"$(nproc)" modules_prepare >>"$o/prepare.log" 2>&1 ||
			{ tail -5 "$o/prepare.log" >&2; return 1; }
		cp "$config" "$o/.config.ksplice-test"
	fi
	echo "$o"
}

# compile O OBJ CC SRC OUT: OBJ from SRC (a copy of its source) with the
# command line kbuild recorded in OBJ's .cmd file.
compile_variant() {
	local o=$1 obj=$2 s=$3 out=$4 line orig
	line=$(sed -n "s|^cmd_$obj := ||p" "$o/$(dirname "$obj")/.$(basename "$obj").cmd")
	orig=$(grep -o " -o $obj [^ ]*\.c" <<<"$line" | awk '{print $3}')
	[ -n "$orig" ] || return 1
	line=${line// -o $obj $orig/ -o $out -I$(dirname "$orig") $s}
	line=${line//-Wp,-MMD,$(dirname "$obj")\/.$(basename "$obj").d/}
	line=$(sed "s|\(objtool/objtool[^;]*\) $obj|\1 $out|" <<<"$line")
	(cd "$o" && eval "$line")
}

# objects NAME O CC OBJ SED_EXPR: DIR/pre.o and DIR/post.o for one edit.
objects() {
	local name=$1 o=$2 cc=$3 obj=$4 edit=$5 d=$tmp/$1
	mkdir -p "$d"
	make -s -C "$src" O="$o" CC="$cc" ARCH="$KERNEL_ARCH" KCFLAGS='-ffunction-sections -fdata-sections' "$obj" >"$d/make.log" 2>&1 &&
		cp "$o/$obj" "$d/pre.o" || { cat "$d/make.log" >&2; return 1; }
	sed "$edit" "$src/${obj%.o}.c" >"$d/$(basename "${obj%.o}").c"
	! cmp -s "$src/${obj%.o}.c" "$d/$(basename "${obj%.o}").c" || { echo "edit did not apply" >&2; return 1; }
	compile_variant "$o" "$obj" "$d/$(basename "${obj%.o}").c" "$d/post.o"
}

guest_script() {
	cat <<GUEST
insmod ksplice.ko
insmod ksplice-$1-vmlinux-helper.ko
insmod ksplice-$1-vmlinux.ko
grep -q '^ksplice_$1_vmlinux ' /proc/modules
grep -q '^ksplice_$1_vmlinux_helper ' /proc/modules
rmmod ksplice_$1_vmlinux
rmmod ksplice_$1_vmlinux_helper
if grep -q ksplice_ /proc/modules; then echo "a module survived rmmod"; exit 1; fi
rmmod ksplice
echo MODULES-OK
GUEST
}

# run_case KERNEL CONFIG CC OBJ SED_EXPR FUNCTION
run_case() {
	local k=$1 config=$2 cc=$3 obj=$4 edit=$5 fn=$6 id=m0dtest1 o out d=$tmp/$1
	if ! eval "$("$vm/kernel" "$k")"; then fail "module-$k" "kernel fixture unavailable"; return; fi
	[ -f "$config" ] || { fail "module-$k" "no config $config"; return; }
	o=$(prepare "$k" "$config" "$cc" "$KERNEL_ARCH") || { fail "module-$k" "preparing an O= tree failed"; return; }
	objects "$k" "$o" "$cc" "$obj" "$edit" 2>"$tmp/err" || { fail "module-build-$k" "compiling $obj: $(tail -3 "$tmp/err")"; return; }
	mkdir -p "$d/out"
	if ! "$tool" --tool build "$d/pre.o" "$d/post.o" "$KERNEL_KDIR" "$KERNEL_ARCH" $id vmlinux "$d/out" >"$d/kos" 2>"$tmp/err"; then
		fail "module-build-$k" "$(tail -3 "$tmp/err")"; return
	fi
	pass "module-build-$k"
	if "$tool" --tool dump "$d/out/ksplice-$id-vmlinux.ko" >"$d/primary.txt" 2>"$tmp/err" &&
	   "$tool" --tool dump "$d/out/ksplice-$id-vmlinux-helper.ko" >"$d/helper.txt" 2>>"$tmp/err" &&
	   grep -q "^patch $fn -> .text.$fn+0x0 kind=1 helper_section=0" "$d/primary.txt" &&
	   grep -q "^section .ksplice_pre.text.$fn+0x0 " "$d/helper.txt" &&
	   grep -q '^helper .* patches=0' "$d/helper.txt"; then
		pass "module-descriptors-$k"
	else
		fail "module-descriptors-$k" "$(cat "$tmp/err") $(head -3 "$d/primary.txt" "$d/helper.txt")"
	fi
	guest_script $id >"$d/guest.sh"
	core=$("$vm/build-module" "$k" "$top/kmodule") || { fail "module-insmod-rmmod-$k" "ksplice.ko build failed"; return; }
	out=$("$vm/run-guest" --file "$core" --file "$d/out/ksplice-$id-vmlinux.ko" --file "$d/out/ksplice-$id-vmlinux-helper.ko" \
		"$k" "$d/guest.sh" 2>"$tmp/err")
	if [ $? = 0 ] && grep -q '^MODULES-OK' <<<"$out"; then
		pass "module-insmod-rmmod-$k"
	else
		fail "module-insmod-rmmod-$k" "$out $(tail -5 "$tmp/err")"
	fi
}

# uname reports another release (a new string literal in the changed code)
newuname_edit='/^SYSCALL_DEFINE1(newuname/,/^}/ s/^\tup_read(&uts_sem);$/&\n\tstrscpy(tmp.release, "6.1.0-ksplice", sizeof(tmp.release));/'
[ -n "$src" ] || { skip module "no kernel source in the cache"; exit 0; }
for k in $kernels; do
	case $k in
	x86_64)
		run_case x86_64 "$(ls -d "$(dirname "$src")"/../kernels/x86_64-*/.config | head -1)" gcc kernel/sys.o \
			"$newuname_edit" __do_sys_newuname ;;
	i386)
		run_case i386 "$(ls -d "$(dirname "$src")"/../kernels/i386-*/.config | head -1)" gcc kernel/sys.o \
			"$newuname_edit" __do_sys_newuname ;;
	debian)
		# The image's build config, without Debian's certificate paths (not in linux-source).
		eval "$("$vm/kernel" debian)" && cp "$KERNEL_KDIR/.config" "$tmp/debian.config" &&
			"$src/scripts/config" --file "$tmp/debian.config" --set-str SYSTEM_TRUSTED_KEYS "" \
				--set-str SYSTEM_REVOCATION_KEYS ""
		run_case debian "$tmp/debian.config" gcc-12 fs/proc/version.o \
			's/utsname()->release,/"6.1.0-ksplice",/' version_proc_show ;;
	*) skip "module-$k" "unknown kernel $k" ;;
	esac
done
check_done
