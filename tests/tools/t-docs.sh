#!/usr/bin/env bash
# The man pages (docs/man/) and the bash completion (tools/completion/ksplice)
# against the programs in build/bin: the pages render without warnings, every
# option a program's --help (or its getopt table) has is documented, every
# option a page shows is accepted, and the completion registers and completes.
# The programs only ever see bad usage here (an option plus surplus
# arguments), so nothing is applied, installed or built.
set -uo pipefail
top=$(cd "$(dirname "$0")/../.." && pwd)
. "$top/tests/lib/check.sh"
set -f	# words of man pages and help texts are split, never globbed
bin=$top/build/bin
mandir=$top/docs/man
completion=$top/tools/completion/ksplice
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
# Should a program get further than its argument check, it finds nothing of ours.
export KSPLICE_SYSFS_DIR=$tmp/sys KSPLICE_RECORDS_DIR=$tmp/run KSPLICE_STATE_DIR=$tmp/state \
	KSPLICE_DEBUGFS_DIR=$tmp/debug KSPLICE_CONF=$tmp/ksplice.conf KSPLICE_CACHE=$tmp/cache \
	HOME=$tmp TMPDIR=$tmp

pages="ksplice.8 ksplice-apply.8 ksplice-undo.8 ksplice-view.8 ksplice-create.1 ksplice-inspect.1
ksplice-patch.7"
commands="ksplice ksplice-install ksplice-remove ksplice-list ksplice-reapply ksplice-upgrade
ksplice-repo ksplice-apply ksplice-undo ksplice-view ksplice-create ksplice-inspect"

# page_of COMMAND: the page that documents its options.
page_of() {
	case $1 in
	ksplice | ksplice-install | ksplice-remove | ksplice-list | ksplice-reapply | ksplice-upgrade | \
		ksplice-repo) echo ksplice.8 ;;
	ksplice-create | ksplice-inspect) echo "$1.1" ;;
	*) echo "$1.8" ;;
	esac
}

# source_of COMMAND: its main C file.
source_of() {
	case $1 in
	ksplice-create | ksplice-inspect) echo "$top/create/$1.c" ;;
	*) echo "$top/tools/$1.c" ;;
	esac
}

have_groff=false
command -v groff >/dev/null 2>&1 && have_groff=true

# text PAGE: the page as plain text, one line per output line (wide: no
# wrapping); without groff, the roff source with its escapes taken out.
text() {
	if $have_groff; then
		groff -man -Tascii -P-cbou -rLL=250n "$mandir/$1" 2>/dev/null
	else
		sed -e 's/\\-/-/g; s/\\f[BIRP]//g; s/\\&//g; s/\\(..//g; s/^\.[A-Za-z]* *//' "$mandir/$1"
	fi
}

# documented PAGE_TEXT OPTION: OPTION appears as a word of its own.
documented() {
	grep -qE -- "(^|[^A-Za-z0-9_-])$2([^A-Za-z0-9_-]|\$)" <<<"$1"
}

# Every page exists and renders without a warning.
for p in $pages; do
	if [ ! -f "$mandir/$p" ]; then
		fail "man-renders-$p" "no $mandir/$p"
	elif ! $have_groff; then
		skip "man-renders-$p" "groff is not installed"
	else
		err=$(groff -man -ww -z -t "$mandir/$p" 2>&1 >/dev/null)
		[ -z "$err" ] && pass "man-renders-$p" || fail "man-renders-$p" "$(head -3 <<<"$err")"
	fi
done

# Every long option of a command's --help is in its page; so is every option
# of its getopt table (long names and the short option string).
for c in $commands; do
	page=$(page_of "$c")
	if [ ! -x "$bin/$c" ]; then
		fail "man-documents-help-options-$c" "no $bin/$c (make all)"
		continue
	fi
	t=$(text "$page")
	help=$("$bin/$c" --help 2>&1)
	missing=
	for o in $(grep -o -- '--[a-z][a-z-]*' <<<"$help" | sort -u); do
		documented "$t" "$o" || missing+=" $o"
	done
	[ -z "$missing" ] && pass "man-documents-help-options-$c" ||
		fail "man-documents-help-options-$c" "not in $page:$missing"

	src=$(source_of "$c")
	missing=
	for o in $(grep -oE '\{ *"[a-z][a-z-]*", *(no|required|optional)_argument' "$src" |
		sed -E 's/\{ *"([a-z-]*)".*/--\1/' | sort -u); do
		documented "$t" "$o" || missing+=" $o"
	done
	for o in $(grep -oE 'getopt_long\([^"]*"[^"]*"' "$src" | sed -E 's/.*"(.*)"/\1/' | tr -d ':' | fold -w1); do
		documented "$t" "-$o" || missing+=" -$o"
	done
	[ -z "$missing" ] && pass "man-documents-source-options-$c" ||
		fail "man-documents-source-options-$c" "not in $page:$missing"
done

# accepted OPTION WORDS...: run the command (WORDS: "ksplice VERB" or
# "ksplice-NAME", "ksplice repo add") with OPTION, a value for it, and two
# surplus arguments, so that it stops at its usage check (ksplice repo add:
# at its missing package); prints why if it did not know OPTION.
mkdir -p "$tmp/cwd"
accepted() {
	local opt=$1 out
	shift
	set -- "$bin/$1" "${@:2}"
	out=$(cd "$tmp/cwd" && timeout 20 "$@" "$opt" x surplus1 surplus2 </dev/null 2>&1)
	if grep -qE "unrecognized option|invalid option|is not a ksplice command|no command ksplice-" <<<"$out"; then
		echo "${*#"$bin/"} $opt: $(head -1 <<<"$out")"
	fi
}

verbs=$("$bin/ksplice" --help 2>/dev/null | awk 'NR > 1 && NF { print $1 }')

# command_words LINE: the command a synopsis line or section heading names
# ("ksplice install", "ksplice-apply", "ksplice repo add"), or nothing.
command_words() {
	local first second third
	read -r first second third _ <<<"$1"
	case $first in
	ksplice)
		if [ -n "$second" ] && grep -qx -- "$second" <<<"$verbs"; then
			[ "$second $third" = "repo add" ] && echo "ksplice repo add" || echo "ksplice $second"
		else
			echo ksplice
		fi
		;;
	ksplice-repo) [ "$second" = add ] && echo "ksplice-repo add" || echo ksplice-repo ;;
	ksplice-*) echo "$first" ;;
	esac
}

option_re='^--?[A-Za-z][A-Za-z0-9-]*'

# Every option in a page's SYNOPSIS and in the tags of its OPTIONS section is
# accepted by the command it belongs to.
for p in $pages; do
	[ "$p" = ksplice-patch.7 ] && continue
	if ! $have_groff; then
		skip "man-synopsis-options-accepted-$p" "groff is not installed"
		skip "man-options-accepted-$p" "groff is not installed"
		continue
	fi
	t=$(text "$p")
	default=$(command_words "${p%.[0-9]}")

	# SYNOPSIS: a line at the section's indent starts a command; deeper lines continue it.
	bad='' cmd='' n=0
	while IFS= read -r line; do
		[[ $line =~ ^\ {7}[^\ ] ]] && cmd=$(command_words "$line")
		[ -n "$cmd" ] || continue
		for w in $(tr '[]{}|,' '      ' <<<"$line"); do
			[[ $w =~ $option_re ]] || continue
			n=$((n + 1))
			bad+=$(accepted "${BASH_REMATCH[0]}" $cmd)
		done
	done < <(sed -n '/^SYNOPSIS/,/^[A-Z]/{/^[A-Z]/d;p}' <<<"$t")
	if [ "$n" = 0 ]; then
		fail "man-synopsis-options-accepted-$p" "no option found in the SYNOPSIS"
	else
		[ -z "$bad" ] && pass "man-synopsis-options-accepted-$p" ||
			fail "man-synopsis-options-accepted-$p" "$bad"
	fi

	# OPTIONS: ".SS ksplice VERB" headings name the command (ksplice.8);
	# a tag line is options and their argument names up to its text.
	bad='' cmd=$default n=0
	while IFS= read -r line; do
		if [[ $line =~ ^\ {3}([^\ ].*) ]]; then
			c=$(command_words "${BASH_REMATCH[1]}")
			[ -n "$c" ] && cmd=$c
			continue
		fi
		[[ $line =~ ^\ {7}- ]] || continue
		for w in $(tr ',|' '  ' <<<"$line"); do
			if [[ $w =~ $option_re ]]; then
				n=$((n + 1))
				bad+=$(accepted "${BASH_REMATCH[0]}" $cmd)
			elif ! [[ $w =~ ^(\[?=|[A-Z][A-Z_]*(\.\.\.)?$) ]]; then
				break
			fi
		done
	done < <(sed -n '/^OPTIONS/,/^[A-Z]/{/^[A-Z]/d;p}' <<<"$t")
	if [ "$n" = 0 ]; then
		fail "man-options-accepted-$p" "no option found in OPTIONS"
	else
		[ -z "$bad" ] && pass "man-options-accepted-$p" || fail "man-options-accepted-$p" "$bad"
	fi
done

# The completion.
if [ ! -f "$completion" ]; then
	fail completion-syntax "no $completion"
	check_done
	exit
fi
bash -n "$completion" 2>"$tmp/syntax" && pass completion-syntax ||
	fail completion-syntax "$(head -3 "$tmp/syntax")"

out=$(bash -c '. "$1" && complete -p ksplice ksplice-apply ksplice-install' _ "$completion" 2>&1)
[ "$(grep -c '^complete -F ' <<<"$out")" = 3 ] && pass completion-registers ||
	fail completion-registers "$out"

# complete [VAR=VALUE...] -- WORDS...: what the registered function offers for
# the last word (run in $tmp/cwd), one per line, sorted.
mkdir -p "$tmp/cwd/dir"
touch "$tmp/cwd/a.tar.gz" "$tmp/cwd/fix.patch" "$tmp/cwd/notes.txt" "$tmp/cwd/m.ko"
complete_words() {
	local vars=()
	while [ "$1" != -- ]; do
		vars+=("$1")
		shift
	done
	shift
	(cd "$tmp/cwd" && env "${vars[@]}" bash -c '
		. "$1"
		shift
		COMP_WORDS=("$@")
		COMP_CWORD=$((${#COMP_WORDS[@]} - 1))
		COMPREPLY=()
		f=$(complete -p "${COMP_WORDS[0]##*/}" | sed -n "s/.*-F \([^ ]*\) .*/\1/p")
		"$f" "${COMP_WORDS[0]}" "${COMP_WORDS[COMP_CWORD]}" "${COMP_WORDS[COMP_CWORD - 1]}"
		printf "%s\n" "${COMPREPLY[@]}"' _ "$completion" "$@" 2>&1 | sort | tr '\n' ' ')
}

# expect_completion NAME WANT [VAR=VALUE...] -- WORDS...
expect_completion() {
	local name=$1 want=$2 got
	shift 2
	got=$(complete_words "$@")
	[ "$got" = "$want" ] && pass "$name" || fail "$name" "got '$got', want '$want'"
}

expect_completion completion-verb "install " -- ksplice ins
expect_completion completion-verbs "$(printf '%s\n' $verbs help --help -h | sort -u | tr '\n' ' ')" -- ksplice ''
expect_completion completion-apply-packages "a.tar.gz dir " -- ksplice-apply --dry-run ''
expect_completion completion-install-packages "a.tar.gz dir " -- ksplice install ''
expect_completion completion-create-patch "dir fix.patch " -- ksplice-create --patch ''
expect_completion completion-view-id-value "--id " -- ksplice-view --i
mkdir -p "$tmp/state/updates/0.0-ksplice-test/0001-aaa1" "$tmp/state/updates/0.0-ksplice-test/.new-zzz9" \
	"$tmp/state/updates/9.9-other/0002-bbb2"
expect_completion completion-remove-installed-ids "aaa1 bbb2 " -- "$bin/ksplice" remove ''
mkdir -p "$tmp/sys/ccc3" "$tmp/sys/ddd4"
echo applied >"$tmp/sys/ccc3/stage"
echo applied >"$tmp/sys/ddd4/stage"
expect_completion completion-undo-applied-ids "ccc3 ddd4 " -- "$bin/ksplice-undo" ''
expect_completion completion-undo-applied-ids-path "ccc3 " PATH="$bin:$PATH" -- ksplice undo c

# Each command's options in the completion: those of its --help and getopt table.
for c in $commands; do
	[ "$c" = ksplice ] && continue
	want=$( ("$bin/$c" --help 2>&1 | grep -o -- '--[a-z][a-z-]*'
		grep -oE '\{ *"[a-z][a-z-]*", *(no|required|optional)_argument' "$(source_of "$c")" |
			sed -E 's/\{ *"([a-z-]*)".*/--\1/'
		echo --help) | sort -u | tr '\n' ' ')
	words=("$c")
	[ "$c" = ksplice-repo ] && words+=(add)
	got=$(complete_words -- "${words[@]}" -- | tr ' ' '\n' | grep -v '=$' | sort -u | tr '\n' ' ')
	got=${got# }
	[ "$got" = "$want" ] && pass "completion-options-$c" ||
		fail "completion-options-$c" "got '$got', want '$want'"
done
check_done
