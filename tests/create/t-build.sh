#!/usr/bin/env bash
# t-build.sh: the pre/post build stage of ksplice-create against the real
# linux-source-6.1 tree with Debian's config. Needs the unpacked source and
# the Debian fixture in $KSPLICE_CACHE (tests/vm/fetch-debian makes both);
# skips otherwise. The first run prepares the cached tree (about a minute).
# Prints ok/not ok/skip per case.
set -uo pipefail
top=$(cd "$(dirname "$0")/../.." && pwd)
KSPLICE_CACHE=${KSPLICE_CACHE:-$HOME/.cache/ksplice}
export KSPLICE_CACHE
create=$top/build/bin/ksplice-create

ok() { echo "ok $1"; }
fail() { echo "not ok $1: $2"; }
skip_all() {
	for c in usage malformed_patch patch_does_not_apply assembly_refused \
		vmlinux_object module_object header_objects diffext interrupted_post \
		killed_post_left_patched killed_post_refused killed_post_recovered \
		kbuild_walk_cached kbuild_walk_redone replayed_commands; do
		echo "skip $c: $1"
	done
	exit 0
}

[ -x "$create" ] || skip_all "build/bin/ksplice-create not built"
# The installed linux-source-6.1 and the Debian fixture of that version.
ver=$(dpkg-query -W -f='${Version}' linux-source-6.1 2>/dev/null)
pristine=$(ls -d "$KSPLICE_CACHE/src/linux-source-$ver" 2>/dev/null)
config=$(ls "$KSPLICE_CACHE"/deb/*-"$ver"/kdir/.config 2>/dev/null | head -1)
[ -n "$pristine" ] && [ -f "$pristine/Makefile" ] || skip_all "no unpacked linux-source (run tests/vm/fetch-debian)"
[ -n "$config" ] || skip_all "no Debian fixture config (run tests/vm/fetch-debian)"

# A hard-linked copy at a stable path, so the prepared tree is reused across
# runs. GNU patch replaces files, so the pristine tree is never written.
tree=$KSPLICE_CACHE/test-trees/$(basename "$pristine")
if [ ! -f "$tree/.ksplice-copied" ]; then
	rm -rf "$tree" && mkdir -p "$(dirname "$tree")" &&
		cp -al "$pristine" "$tree" && touch "$tree/.ksplice-copied" ||
		skip_all "cannot copy $pristine"
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
# Work directories of ksplice-create go there too.
export TMPDIR=$tmp

# "path inode mtime sha" of the files a case touches.
state() { for f in "$@"; do stat -c "$f %i %Y" "$tree/$f"; sha256sum <"$tree/$f"; done; }

# make_patch FILE SED-EXPR -> $tmp/p.diff, a -p1 patch of FILE.
make_patch() {
	sed "$2" "$tree/$1" >"$tmp/new"
	diff -u --label "a/$1" --label "b/$1" "$tree/$1" "$tmp/new" >"$tmp/p.diff"
}

run() { "$create" --config "$config" --output-dir "$tmp" --keep-temp "$@" "$tree" >"$tmp/out" 2>&1; }
workdir() { sed -n 's/^Work files kept in //p' "$tmp/out" | tail -1; }

# usage
if "$create" >/dev/null 2>&1; then fail usage "no arguments accepted"
elif "$create" --patch /nonexistent --config "$config" "$tree" 2>"$tmp/err"; then
	fail usage "missing patch file accepted"
elif ! grep -q 'cannot read patch' "$tmp/err"; then fail usage "$(cat "$tmp/err")"
else ok usage; fi

# malformed_patch
printf -- '--- a/kernel/sys.c\n+++ b/kernel/sys.c\n@@ -1,3 +1,3 @@\n x\n' >"$tmp/bad.diff"
before=$(state kernel/sys.c)
if run --patch "$tmp/bad.diff"; then fail malformed_patch "accepted"
elif ! grep -q 'malformed patch' "$tmp/out"; then fail malformed_patch "$(cat "$tmp/out")"
elif [ "$before" != "$(state kernel/sys.c)" ]; then fail malformed_patch "tree changed"
else ok malformed_patch; fi

# patch_does_not_apply
printf -- '--- a/kernel/sys.c\n+++ b/kernel/sys.c\n@@ -1,1 +1,1 @@\n-no such line\n+x\n' >"$tmp/na.diff"
if run --patch "$tmp/na.diff"; then fail patch_does_not_apply "accepted"
elif ! grep -q 'does not apply' "$tmp/out"; then fail patch_does_not_apply "$(cat "$tmp/out")"
elif [ "$before" != "$(state kernel/sys.c)" ]; then fail patch_does_not_apply "tree changed"
else ok patch_does_not_apply; fi

# assembly_refused
make_patch arch/x86/entry/entry_64.S '0,/^SYM_CODE_START/s//\/* x *\/\n&/'
if run --patch "$tmp/p.diff"; then fail assembly_refused "accepted"
elif ! grep -q 'assembly' "$tmp/out"; then fail assembly_refused "$(cat "$tmp/out")"
else ok assembly_refused; fi

# check_build NAME TARGET OBJECT COUNT FILE: the last run built COUNT objects,
# OBJECT in TARGET with differing pre/post, and FILE is as before.
check_build() {
	local name=$1 target=$2 obj=$3 count=$4 file=$5 w
	w=$(workdir)
	if [ -z "$w" ] || [ ! -f "$w/targets" ]; then fail "$name" "no targets: $(tail -5 "$tmp/out")"
	elif [ "$(wc -l <"$w/targets")" != "$count" ]; then fail "$name" "expected $count objects: $(cat "$w/targets")"
	elif ! grep -q "^$target [^ ]* $obj " "$w/targets"; then fail "$name" "no $target $obj: $(cat "$w/targets")"
	elif cmp -s "$w/pre/$obj" "$w/post/$obj"; then fail "$name" "pre and post $obj are identical"
	elif [ "$before" != "$(state "$file")" ]; then fail "$name" "$file not restored"
	elif ! cmp -s "$tree/$file" "$pristine/$file"; then fail "$name" "$file differs from pristine"
	else ok "$name"; fi
	[ -n "$w" ] && rm -rf "$w"
}

# vmlinux_object
make_patch kernel/sys.c '/^SYSCALL_DEFINE0(getpid)/,/return/s/\treturn task_tgid_vnr(current);/\tpr_debug("getpid\\n");\n&/'
before=$(state kernel/sys.c)
run --patch "$tmp/p.diff"
check_build vmlinux_object vmlinux kernel/sys.o 1 kernel/sys.c

# module_object (CONFIG_AUTOFS_FS=m in Debian's config)
make_patch fs/autofs/inode.c 's/seq_puts(m, ",indirect");/seq_puts(m, ",indirect ");/'
before=$(state fs/autofs/inode.c)
run --patch "$tmp/p.diff"
check_build module_object autofs4 fs/autofs/inode.o 1 fs/autofs/inode.c

# header_objects: every autofs object includes autofs_i.h
make_patch fs/autofs/autofs_i.h 's/#define AUTOFS_SBI_MAGIC 0x6d4a556d/#define AUTOFS_SBI_MAGIC 0x6d4a556e/'
before=$(state fs/autofs/autofs_i.h)
run --patch "$tmp/p.diff"
check_build header_objects autofs4 fs/autofs/inode.o 7 fs/autofs/autofs_i.h

# diffext: FILE.EXT is the new version of FILE
sed 's/seq_puts(m, ",indirect");/seq_puts(m, ",indirect ");/' "$tree/fs/autofs/inode.c" \
	>"$tree/fs/autofs/inode.c.ksplicetest"
before=$(state fs/autofs/inode.c)
run --diffext ksplicetest
rm -f "$tree/fs/autofs/inode.c.ksplicetest"
check_build diffext autofs4 fs/autofs/inode.o 1 fs/autofs/inode.c

# kbuild_walk_cached: the Makefile walk is kept with the prepared tree and
# reused; kbuild_walk_redone: not once a Makefile it read has changed.
make_patch fs/autofs/inode.c 's/seq_puts(m, ",indirect");/seq_puts(m, ",indirect ");/'
run -v --patch "$tmp/p.diff"
if ! grep -q '^  kbuild: .*(walk cached in ' "$tmp/out"; then fail kbuild_walk_cached "$(grep kbuild: "$tmp/out")"
else ok kbuild_walk_cached; fi
rm -rf "$(workdir)"
sed -i '$a # a comment' "$tree/fs/autofs/Makefile"	# a new file: the pristine link is kept
run -v --patch "$tmp/p.diff"
ln -f "$pristine/fs/autofs/Makefile" "$tree/fs/autofs/Makefile"
if grep -q '(walk cached in ' "$tmp/out" || ! grep -q '^  kbuild: [0-9]* directories' "$tmp/out"; then
	fail kbuild_walk_redone "$(grep kbuild: "$tmp/out")"
else ok kbuild_walk_redone; fi

# replayed_commands: after the walk is redone, pre goes through kbuild and
# post runs the command kbuild recorded; the next run (walk cached) replays
# both, and its objects are byte for byte the kbuild-built ones.
replays() { grep -c 'compiling with the commands kbuild recorded' "$tmp/out"; }
rm -rf "$(workdir)"
run -v --patch "$tmp/p.diff"	# the Makefile is back: walked again
w1=$(workdir) n1=$(replays)
run -v --patch "$tmp/p.diff"
w2=$(workdir) n2=$(replays)
if [ "$n1" != 1 ] || [ "$n2" != 2 ]; then fail replayed_commands "replays: $n1 then $n2, wanted 1 then 2"
elif ! cmp -s "$w1/pre/fs/autofs/inode.o" "$w2/pre/fs/autofs/inode.o" ||
	! cmp -s "$w1/post/fs/autofs/inode.o" "$w2/post/fs/autofs/inode.o"; then
	fail replayed_commands "replayed objects differ from kbuild's"
else ok replayed_commands; fi
rm -rf "$w1" "$w2"

# interrupted_post: SIGTERM while the tree is patched
make_patch fs/autofs/autofs_i.h 's/#define AUTOFS_SBI_MAGIC 0x6d4a556d/#define AUTOFS_SBI_MAGIC 0x6d4a556e/'
before=$(state fs/autofs/autofs_i.h)
: >"$tmp/out"
"$create" --config "$config" --patch "$tmp/p.diff" "$tree" >"$tmp/out" 2>&1 &
pid=$!
for _ in $(seq 600); do grep -q 'Building post' "$tmp/out" && break; sleep 0.1; done
kill -TERM "$pid"
wait "$pid"
rc=$?
w=$(workdir)
[ -n "$w" ] && rm -rf "$w"
if [ "$rc" != 130 ]; then fail interrupted_post "exit status $rc: $(cat "$tmp/out")"
elif [ "$before" != "$(state fs/autofs/autofs_i.h)" ]; then fail interrupted_post "tree not restored"
else ok interrupted_post; fi

# killed_post_*: SIGKILL (no chance to restore) while the tree is patched.
# The next run puts the tree back from the journal and saved originals in
# the cache before anything else, or refuses when it cannot.
journal() { grep -lxF "$(printf 'tree\t%s' "$tree")" "$KSPLICE_CACHE"/create/source-*.saved/journal 2>/dev/null | head -1; }
file=fs/autofs/autofs_i.h
before=$(stat -c %Y "$tree/$file")
"$create" --config "$config" --patch "$tmp/p.diff" "$tree" >"$tmp/out" 2>&1 &
pid=$!
for _ in $(seq 600); do grep -q 'Building post' "$tmp/out" && break; sleep 0.1; done
kill -KILL "$pid"
wait "$pid" 2>/dev/null
j=$(journal)
if [ -z "$j" ] || cmp -s "$tree/$file" "$pristine/$file"; then
	fail killed_post_left_patched "journal '$j'; $(tail -2 "$tmp/out")"
else
	ok killed_post_left_patched
	saved=$(dirname "$j")
	mv "$saved"/round-0 "$saved"/round-0.hidden
	if run --patch "$tmp/na.diff"; then fail killed_post_refused "accepted"
	elif ! grep -q "$file may still be patched by an interrupted ksplice-create" "$tmp/out" ||
		! grep -q 'refusing to build from' "$tmp/out"; then fail killed_post_refused "$(cat "$tmp/out")"
	elif cmp -s "$tree/$file" "$pristine/$file" || [ ! -f "$j" ]; then
		fail killed_post_refused "tree or journal changed"
	else ok killed_post_refused; fi
	mv "$saved"/round-0.hidden "$saved"/round-0
	run --patch "$tmp/na.diff"
	if ! grep -q "restored $tree/$file, left patched" "$tmp/out"; then
		fail killed_post_recovered "$(cat "$tmp/out")"
	elif ! grep -q 'does not apply' "$tmp/out"; then fail killed_post_recovered "the run did not go on: $(cat "$tmp/out")"
	elif ! cmp -s "$tree/$file" "$pristine/$file" || [ "$(stat -c %Y "$tree/$file")" != "$before" ] ||
		[ "$(stat -c %i "$tree/$file")" != "$(stat -c %i "$pristine/$file")" ]; then
		fail killed_post_recovered "$file not as before (contents, mtime or inode)"
	elif [ -e "$j" ] || [ -e "$saved" ]; then fail killed_post_recovered "journal or saved files left"
	else ok killed_post_recovered; fi
fi
# Never leave the shared tree patched, whatever happened above.
cmp -s "$tree/$file" "$pristine/$file" || ln -f "$pristine/$file" "$tree/$file"
