# Shared shell helpers for the VM test rig. Source it; do not run it.
# Everything slow to rebuild lives in $KSPLICE_CACHE, outside the checkout.

KSPLICE_CACHE=${KSPLICE_CACHE:-$HOME/.cache/ksplice}
VM_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
TOP_DIR=$(cd "$VM_DIR/../.." && pwd)
KSPLICE_JOBS=${KSPLICE_JOBS:-$(nproc)}

die() { echo "error: $*" >&2; exit 1; }
note() { echo "[vm] $*" >&2; }

# Version of the installed linux-source-6.1 package, e.g. 6.1.192-2.
linux_source_version() {
	dpkg-query -W -f='${Version}' linux-source-6.1 2>/dev/null ||
		die "linux-source-6.1 is not installed (run: make deps)"
}

# Unpack /usr/src/linux-source-6.1.tar.xz once per package version and print
# the pristine tree's path. Trees under the cache are never modified in place.
pristine_source() {
	local ver dir
	ver=$(linux_source_version)
	dir=$KSPLICE_CACHE/src/linux-source-$ver
	if [ ! -f "$dir/.ksplice-unpacked" ]; then
		note "unpacking linux-source-$ver"
		rm -rf "$dir" "$dir.tmp"
		mkdir -p "$dir.tmp"
		tar -C "$dir.tmp" -xf /usr/src/linux-source-6.1.tar.xz ||
			die "cannot unpack /usr/src/linux-source-6.1.tar.xz"
		mv "$dir.tmp/linux-source-6.1" "$dir"
		rmdir "$dir.tmp"
		touch "$dir/.ksplice-unpacked"
	fi
	echo "$dir"
}

# Short hash of files' contents plus extra strings: the cache key.
content_key() {
	{ for f in "$@"; do if [ -f "$f" ]; then cat "$f"; else echo "$f"; fi; done; } |
		sha256sum | cut -c1-12
}

# The update id the corpus tests use for patch NAME: its letters and digits.
corpus_id() {
	echo "$1" | tr -cd 'a-z0-9' | cut -c1-24
}

# corpus_runs KERNEL NAME: whether this run takes corpus case NAME on KERNEL.
# A KSPLICE_CORPUS name pattern picks cases on every kernel. Otherwise every
# case runs on Debian's kernel (the one users run), and on the test kernels
# only those of tests/patches/test-kernel-slice (the mechanisms that depend
# on the architecture or the kernel build), unless KSPLICE_CORPUS_ALL=1
# (make check-all) asks for every case everywhere.
corpus_runs() {
	if [ -n "${KSPLICE_CORPUS:-}" ]; then
		case $2 in *$KSPLICE_CORPUS*) return 0 ;; *) return 1 ;; esac
	fi
	[ "$1" = debian ] || [ "${KSPLICE_CORPUS_ALL:-}" = 1 ] ||
		grep -qx -- "$2" "$TOP_DIR/tests/patches/test-kernel-slice"
}

# patchable_tree [KERNEL]: a copy of the pristine source that ksplice-create
# may patch (it restores every file): hard links at a stable path, so its
# prepared tree is reused. GNU patch replaces files rather than writing
# through links. The test kernels' corpus updates are made in copies of
# their own: ksplice-create locks a tree for its whole run, and t-corpus
# builds the three kernels' updates at once.
patchable_tree() {
	local pristine tree suffix=
	case ${1:-} in x86_64 | i386) suffix=-$1 ;; esac
	pristine=$(pristine_source)
	tree=$KSPLICE_CACHE/test-trees/$(basename "$pristine")$suffix
	if [ ! -f "$tree/.ksplice-copied" ]; then
		rm -rf "$tree" && mkdir -p "$(dirname "$tree")" && cp -al "$pristine" "$tree" &&
			touch "$tree/.ksplice-copied" || die "cannot copy $pristine to $tree"
	fi
	echo "$tree"
}
