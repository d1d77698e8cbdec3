#!/bin/sh
# The manual page src/charter.1: it renders without a warning (groff -ww),
# `man -l` shows it, and it names every command and option that
# `charter ... --help` names, and no option that --help does not.
#
#   sh tests/t-man.sh
. "$(cd "$(dirname "$0")" && pwd)/lib.sh"

S=$(scratch man)
MAN=$TOP/src/charter.1

if ! command -v groff >/dev/null 2>&1; then
	fail man.groff "groff is not installed (apt-get install groff-base)"
	exit 0
fi
if groff -ww -man -Tutf8 "$MAN" >"$S/raw" 2>"$S/err" && [ ! -s "$S/err" ]; then
	pass man.renders-without-warnings
else
	fail man.renders-without-warnings "$(head -5 "$S/err")"
fi
# The text as a reader sees it: no overstrike, no hyphenation at line ends.
sed 's/.\x08//g' "$S/raw" >"$S/text"
if command -v man >/dev/null 2>&1; then
	if MANWIDTH=80 man -l "$MAN" >"$S/man" 2>"$S/man.err" &&
	    grep -q 'SYNOPSIS' "$S/man"; then
		pass man.man-l
	else
		fail man.man-l "$(head -3 "$S/man.err")"
	fi
fi

# The commands --help lists.
"$CHARTER" --help >"$S/help" 2>&1
cmds=$(sed -n '/^commands:/,/^$/p' "$S/help" | awk 'NF > 1 { print $1 }' |
    grep -v '^commands:')
[ -n "$cmds" ] || fail man.commands "no commands in charter --help"
missing=
for c in $cmds; do
	grep -q "^       $c\\b\\|^       charter $c\\b" "$S/text" ||
	    missing="$missing $c"
done
if [ -z "$missing" ]; then
	pass man.commands "($(echo $cmds | wc -w) commands)"
else
	fail man.commands "not in the man page's COMMANDS:$missing"
fi

# Every option of every command's --help, and back.
for c in check build verify "export xlsx" metrics log init rules; do
	# shellcheck disable=SC2086
	"$CHARTER" $c --help 2>&1
done >"$S/helps"
grep -o -- '--[a-z][a-z-]*\|\[-q\]' "$S/helps" | tr -d '[]' | sort -u \
    >"$S/help-opts"
grep -o -- '--[a-z][a-z-]*\| -q\b' "$S/text" | tr -d ' ' | sort -u \
    >"$S/man-opts"
only_help=$(comm -23 "$S/help-opts" "$S/man-opts" | tr '\n' ' ')
only_man=$(comm -13 "$S/help-opts" "$S/man-opts" |
    grep -v -- '^--help$\|^--version$' | tr '\n' ' ')
if [ "$(wc -l <"$S/help-opts")" -gt 10 ] && [ -z "$only_help$only_man" ]; then
	pass man.options "($(wc -l <"$S/help-opts") options)"
else
	fail man.options "in --help only: $only_help" "in the man page only: $only_man"
fi

# The limits the man page lists are the ones charter knows.
"$CHARTER" check --limit no-such-limit=1 2>&1 |
    sed -n 's/.*with NAME one of //p' | tr ',' '\n' | tr -d ' ' | grep . |
    sort >"$S/limits-help"
sed -n '/^LIMITS/,/^EXIT STATUS/p' "$S/text" |
    sed -n 's/^       \([a-z][a-z-]*\)\( .*\)\{0,1\}$/\1/p' | sort >"$S/limits-man"
if [ -s "$S/limits-help" ] && cmp -s "$S/limits-help" "$S/limits-man"; then
	pass man.limits
else
	fail man.limits "$(diff "$S/limits-help" "$S/limits-man")"
fi
exit 0
