# Update packages the VM tests build beyond the corpus, from scratch trees:
# sourced by tests/kmodule/t-*.sh after tests/vm/lib.sh (patchable_tree) and
# with $top, $create and $KERNEL_KDIR (from tests/vm/kernel) set.

# scratch_tree NAME EDIT...: a hard-linked copy of the cached tree, changed
# by shell command EDIT (run inside it; it must replace the files it
# changes, not write through the links), made once and kept in
# $KSPLICE_CACHE/test-trees/ (its prepared kbuild tree is then reused).
scratch_tree() {
	local name=$1 tree dir
	shift
	tree=$(patchable_tree)
	dir=$KSPLICE_CACHE/test-trees/$name-$(basename "$tree")
	if [ ! -f "$dir/.ksplice-copied" ]; then
		rm -rf "$dir" && cp -al "$tree" "$dir" && (cd "$dir" && eval "$*") &&
			touch "$dir/.ksplice-copied" || { echo "cannot make $dir" >&2; return 1; }
	fi
	echo "$dir"
}

# test_package KERNEL ID PATCH TREE: build (or reuse) update ID from PATCH
# on TREE for KERNEL; prints build/corpus/KERNEL/apply-ID.tar.gz.
test_package() {
	local k=$1 id=$2 patch=$3 src=$4 out=$top/build/corpus/$1
	local pkg=$out/apply-$id.tar.gz
	if [ -f "$pkg" ] && [ "$pkg" -nt "$patch" ] && [ "$pkg" -nt "$create" ] &&
		[ "$pkg" -nt "$src/.ksplice-copied" ]; then
		echo "$pkg"
		return 0
	fi
	mkdir -p "$out"
	"$create" -q --id "$id" --config "$KERNEL_KDIR" --output-dir "$out" --patch "$patch" \
		"$src" >"$out/apply-$id.log" 2>&1 || { tail -3 "$out/apply-$id.log" >&2; return 1; }
	mv "$out/ksplice-$id.tar.gz" "$pkg" && echo "$pkg"
}

# foreign_tree: a tree whose __do_sys_newuname differs from the running
# kernel's (it returns 1), so an update made from it must not match.
foreign_tree() {
	scratch_tree foreign-uname \
		"sed -i '/^SYSCALL_DEFINE1(newuname/,/^}/ s/^\treturn 0;\$/\treturn 1;/' kernel/sys.c"
}

# foreign_package KERNEL: update "foreign", uname-domainname made from foreign_tree.
foreign_package() {
	local tree
	tree=$(foreign_tree) &&
		test_package "$1" foreign "$top/tests/patches/uname-domainname.patch" "$tree"
}
