#!/usr/bin/env bash
# --skip-refused on the real tree with Debian's config (the fixture's):
# one patch changes three files:
#   kernel/sys.c        __do_sys_newuname: fine                -> in-update
#   fs/proc/version.c   changes __init code (refused) and adds
#                       a function                             -> left-out, init
#   fs/proc/cmdline.c   calls the function version.c adds      -> left-out, depends
# The package must carry kernel/sys.o only; the report says so, in text and
# JSON. Without --skip-refused the same patch fails, naming the __init
# change, and the report still classifies the files.
set -uo pipefail
top=$(cd "$(dirname "$0")/../.." && pwd)
. "$top/tests/lib/check.sh"
. "$top/tests/vm/lib.sh"
create=$top/build/bin/ksplice-create
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
export TMPDIR=$tmp

eval "$("$VM_DIR/kernel" debian)" || { fail skip-refused "no Debian fixture"; check_done; exit; }
tree=$(patchable_tree)
mk() { # FILE SED: append FILE's diff to the patch
	sed "$2" "$tree/$1" >"$tmp/new"
	diff -u --label "a/$1" --label "b/$1" "$tree/$1" "$tmp/new" >>"$tmp/p.diff"
}
: >"$tmp/p.diff"
mk kernel/sys.c '/^SYSCALL_DEFINE1(newuname/,/^}/ s/^\tup_read(&uts_sem);$/&\n\tstrscpy(tmp.domainname, "ksplice", sizeof(tmp.domainname));/'
mk fs/proc/version.c 's/^\tpde_make_permanent(pde);$/&\n\tpr_debug("version registered\\n");/; $ a\
int ksplice_test_helper(void);\
int ksplice_test_helper(void)\
{\
	return 7;\
}'
mk fs/proc/cmdline.c 's/^\tseq_putc(m, .\\n.);$/&\n\tif (ksplice_test_helper() == 8)\n\t\tseq_putc(m, 0);/; s/^static int cmdline_proc_show/int ksplice_test_helper(void);\n&/'
[ "$(grep -c '^+++ ' "$tmp/p.diff")" = 3 ] || { fail skip-refused "test patch did not build: $(cat "$tmp/p.diff")"; check_done; exit; }

json() { # REPORT PATH FIELD
	python3 -c 'import json,sys
for f in json.load(open(sys.argv[1]))["files"]:
    if f["path"] == sys.argv[2]: print(f[sys.argv[3]])' "$@"
}

"$create" --id skiptest --config "$KERNEL_KDIR" --patch "$tmp/p.diff" --output-dir "$tmp" \
	--skip-refused --report "$tmp/r.json" "$tree" >"$tmp/out" 2>&1
rc=$?
[ $rc = 0 ] && [ -f "$tmp/ksplice-skiptest.tar.gz" ] && pass skip-refused-writes-package ||
	fail skip-refused-writes-package "exit $rc: $(tail -3 "$tmp/out")"
[ "$(json "$tmp/r.json" kernel/sys.c outcome)" = in-update ] &&
	[ "$(json "$tmp/r.json" kernel/sys.c functions)" = "['__do_sys_newuname']" ] &&
	pass skip-refused-keeps-good-file || fail skip-refused-keeps-good-file "$(grep -A3 'kernel/sys.c' "$tmp/out")"
[ "$(json "$tmp/r.json" fs/proc/version.c class)" = init ] && pass skip-refused-init-left-out ||
	fail skip-refused-init-left-out "$(grep -A3 'version.c' "$tmp/out" | head -4)"
[ "$(json "$tmp/r.json" fs/proc/cmdline.c class)" = depends ] && pass skip-refused-dependent-left-out ||
	fail skip-refused-dependent-left-out "$(grep -A3 'cmdline.c' "$tmp/out" | head -4)"
objs=$(tar -xzOf "$tmp/ksplice-skiptest.tar.gz" --wildcards '*/debug/summary' 2>/dev/null | awk '{print $2}' | sort -u)
[ "$objs" = kernel/sys.o ] && pass skip-refused-package-has-only-kept || fail skip-refused-package-has-only-kept "summary objects: $objs"
grep -q '^1 file in the update, 2 left out, init 1, depends 1' "$tmp/out" && pass skip-refused-text-report ||
	fail skip-refused-text-report "$(grep 'in the update' "$tmp/out")"

"$create" --id skiptest2 --config "$KERNEL_KDIR" --patch "$tmp/p.diff" --output-dir "$tmp" \
	--report "$tmp/r2.json" "$tree" >"$tmp/out2" 2>&1
rc=$?
[ $rc = 1 ] && [ ! -f "$tmp/ksplice-skiptest2.tar.gz" ] && grep -q 'proc_version_init' "$tmp/out2" &&
	[ "$(json "$tmp/r2.json" fs/proc/version.c class)" = init ] && pass refused-without-skip ||
	fail refused-without-skip "exit $rc: $(grep -m2 error "$tmp/out2")"
check_done
