#!/bin/sh
# Golden-file tests of 'charter check', one case per rule and branch.
#
#   sh tests/t-rules.sh [--regen] [CASE...]
#
# tests/rules/base/ is a small valid governance repo.  A case is a folder
# tests/rules/cases/NAME/ whose files replace or add the file of the same
# relative path in a copy of base/, except these control files:
#
#   expected  the exact stderr of 'charter check', the copy's path written
#             as CONTENT
#   status    the expected exit status
#   args      extra options for 'charter check' (one line, split on blanks)
#   delete    relative paths to remove from the copy, one a line
#   build     present: run 'charter build --out DIR' (outside the copy) instead
#             of check, for the template rules
#   setup     a shell script run inside the copy before the check, for
#             inputs that cannot be committed (symlinks, FIFOs, bad bytes,
#             huge files); $CHARTER names the binary
#
# Decision logs are committed as SQL, never as binary files: every
# NAME.db.sql in the copy becomes NAME.db (made by 'charter log init' and
# then filled by the sqlite3 shell, or by the SQL alone when its first line
# is "-- raw"), and the .sql file is removed before the check.
#
# A case is named after the rule it targets: RULE-ID or RULE-ID-WHAT.  Its
# expected output must name [RULE-ID], unless the name ends in "-ok" (a
# negative case), whose output must not.  The last case checks that every
# rule of 'charter rules' appears in at least one expected file.
#
# --regen rewrites every expected and status from the current binary; review
# the result with git diff.
. "$(cd "$(dirname "$0")" && pwd)/lib.sh"

AS_OF=2026-11-22
RULES=$TOP/tests/rules
BASE=$RULES/base
TMP=$TOP/tests/tmp/rules
AUX=$TOP/tests/tmp/rules-out

regen=0
if [ "${1:-}" = "--regen" ]; then
	regen=1
	shift
fi

if [ ! -x "$CHARTER" ]; then
	fail rules "no charter binary at $CHARTER (run make charter)"
	exit 1
fi
rule_ids=$("$CHARTER" rules --format json |
    sed -n 's/^.*{"id": "\([^"]*\)".*$/\1/p')
if [ -z "$rule_ids" ]; then
	fail rules "'charter rules --format json' listed no rule"
	exit 1
fi

mkdir -p "$TMP" "$AUX" || exit 2

# Print s with every occurrence of the literal string p replaced by r.
replace_literal() {
	awk -v p="$1" -v r="$2" '{
		out = ""
		while (p != "" && (i = index($0, p)) > 0) {
			out = out substr($0, 1, i - 1) r
			$0 = substr($0, i + length(p))
		}
		print out $0
	}'
}

# The longest rule id that the case name is, or starts with followed by '-'.
case_rule() {
	best=
	for r in $rule_ids; do
		case "$1" in
		"$r" | "$r"-*)
			[ ${#r} -gt ${#best} ] && best=$r ;;
		esac
	done
	echo "$best"
}

# Turn every NAME.db.sql below $1 into NAME.db.
make_logs() {
	find "$1" -name '*.db.sql' -type f | LC_ALL=C sort |
	while IFS= read -r sql; do
		db=${sql%.sql}
		if [ "$(head -n 1 "$sql")" != "-- raw" ]; then
			"$CHARTER" log init "$db" >/dev/null || exit 1
		fi
		sqlite3 -bail "$db" <"$sql" && rm -f "$sql" || exit 1
	done
}

run_case() {
	name=$1
	src=$RULES/cases/$name
	work=$TMP/$name
	out=$AUX/$name.stderr
	problems=

	rm -rf "$work" "$AUX/$name".*
	mkdir -p "$work" && cp -R "$BASE/." "$work/" || {
		fail "$name" "cannot copy $BASE"
		return
	}
	# Overlay: every file of the case but its control files.
	cp -R "$src/." "$work/" &&
	    rm -f "$work/expected" "$work/status" "$work/args" "$work/delete" \
	    "$work/setup" "$work/build" || {
		fail "$name" "cannot overlay $src"
		return
	}
	if [ -f "$src/delete" ]; then
		while IFS= read -r p; do
			[ -n "$p" ] && rm -rf "${work:?}/$p"
		done <"$src/delete"
	fi
	if ! make_logs "$work" >"$AUX/$name.setup" 2>&1; then
		fail "$name" "cannot build its decision logs:" \
		    "$(head -5 "$AUX/$name.setup")"
		return
	fi
	if [ -f "$src/setup" ] &&
	    ! (cd "$work" && CHARTER=$CHARTER sh -e "$src/setup") \
	    >"$AUX/$name.setup" 2>&1; then
		fail "$name" "setup failed:" "$(head -5 "$AUX/$name.setup")"
		return
	fi
	args=
	[ -f "$src/args" ] && args=$(cat "$src/args")
	# A case with a 'build' file runs charter build (template rules),
	# writing outside the input folder.
	cmd=check
	if [ -f "$src/build" ]; then
		cmd=build
		rm -rf "$AUX/$name.out"
		args="-q --out $AUX/$name.out $args"
	fi

	before=$(snapshot "$work")
	stamp=$AUX/$name.stamp
	: >"$stamp"
	# shellcheck disable=SC2086 # args is a list of options
	timeout 20 "$CHARTER" $cmd --content "$work" --as-of "$AS_OF" $args \
	    >"$AUX/$name.stdout" 2>"$AUX/$name.raw"
	rc=$?
	after=$(snapshot "$work")
	replace_literal "$work" CONTENT <"$AUX/$name.raw" >"$out"

	case $rc in
	125 | 126 | 127)
		fail "$name" "charter check could not be run (exit $rc)" \
		    "$(tail -3 "$out")"
		return ;;
	esac
	if [ "$rc" -eq 124 ] || [ "$rc" -ge 128 ]; then
		fail "$name" "charter check exited $rc (timeout or signal)" \
		    "$(tail -3 "$out")"
		return
	fi
	if [ "$before" != "$after" ] || { [ -d "$work" ] &&
	    [ -n "$(find "$work" -newer "$stamp" -print 2>/dev/null)" ]; }; then
		fail "$name" "charter check changed its input folder $work"
		return
	fi
	if [ -s "$AUX/$name.stdout" ]; then
		fail "$name" "charter check wrote to stdout:" \
		    "$(head -3 "$AUX/$name.stdout")"
		return
	fi

	if [ "$regen" -eq 1 ]; then
		cp "$out" "$src/expected" && echo "$rc" >"$src/status"
	fi

	rule=$(case_rule "$name")
	if [ -z "$rule" ]; then
		problems="the case name does not start with a rule id"
	else
		case "$name" in
		*-ok)
			grep -qF "[$rule]" "$out" &&
			    problems="a negative case, but [$rule] fired" ;;
		*)
			grep -qF "[$rule]" "$out" ||
			    problems="[$rule] did not fire" ;;
		esac
	fi
	if [ ! -f "$src/expected" ] || [ ! -f "$src/status" ]; then
		fail "$name" "no expected or status file (run with --regen)"
		return
	fi
	if ! diff -u "$src/expected" "$out" >"$AUX/$name.diff"; then
		fail "$name" "stderr differs from expected (--- expected, +++ actual):"
		sed 's/^/    /' "$AUX/$name.diff"
		return
	fi
	read -r want <"$src/status"
	if [ "$rc" != "$want" ]; then
		fail "$name" "exit status $rc, expected $want"
		return
	fi
	if [ -n "$problems" ]; then
		fail "$name" "$problems"
		return
	fi
	pass "$name"
}

if [ $# -gt 0 ]; then
	cases="$*"
else
	cases=$(cd "$RULES/cases" && ls | LC_ALL=C sort)
fi
for c in $cases; do
	if [ ! -d "$RULES/cases/$c" ]; then
		fail "$c" "no case folder $RULES/cases/$c"
		continue
	fi
	run_case "$c"
done

# Coverage: a rule without a fixture fails the suite.
if [ $# -eq 0 ]; then
	missing=
	for r in $rule_ids; do
		cat "$RULES"/cases/*/expected 2>/dev/null | grep -qF "[$r]" ||
		    missing="$missing $r"
	done
	if [ -z "$missing" ]; then
		pass "coverage: every rule has a golden case"
	else
		fail "coverage: every rule has a golden case" \
		    "no expected file names:$missing"
	fi
fi

[ "$T_FAILS" -eq 0 ]
