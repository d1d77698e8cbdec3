#!/bin/sh
# The command line: help, version, usage errors and their exit status (2),
# the as-of date (--as-of, SOURCE_DATE_EPOCH), --strict, 'charter init',
# 'charter rules', and the default content folder.
. "$(cd "$(dirname "$0")" && pwd)/lib.sh"

S=$(scratch cli)

# run CMD...: RC; stdout in $S/out, stderr in $S/err.
run() {
	"$@" >"$S/out" 2>"$S/err"
	RC=$?
}

# has FILE WHAT: WHAT is "" (FILE must be empty), "*" (anything) or a
# fragment FILE must contain.
has() {
	case $2 in
	"") [ ! -s "$1" ] ;;
	"*") true ;;
	*) grep -qF -- "$2" "$1" ;;
	esac
}

# expect NAME RC STDOUT STDERR CMD...: run CMD and check all three.
expect() {
	name=$1 want=$2 wout=$3 werr=$4
	shift 4
	run "$@"
	problems=""
	[ "$RC" -eq "$want" ] || problems="exit $RC, expected $want"
	has "$S/out" "$wout" || problems="$problems; stdout: want '${wout:-nothing}'"
	has "$S/err" "$werr" || problems="$problems; stderr: want '${werr:-nothing}'"
	if [ -z "$problems" ]; then
		pass "cli: $name"
	else
		fail "cli: $name" "$problems" "stdout: $(head -c 300 "$S/out")" \
		    "stderr: $(head -c 300 "$S/err")"
	fi
}

# --- help, version, usage errors --------------------------------------------------

for h in --help -h help; do
	expect "charter $h" 0 "usage: charter <command>" "" "$CHARTER" "$h"
done
# Charter's version, then the libraries that shape the output (catalogue
# G6), as loaded: the versions pkg-config gives for the ones Charter was
# built against (a runtime library older than its headers would differ).
run "$CHARTER" --version
# libxlsxwriter's pkg-config version is its soname's; its headers say more.
want=$(printf 'cmark %s\nlibzip %s\nzlib %s\nlibxlsxwriter %s' \
    "$(pkg-config --modversion libcmark)" \
    "$(pkg-config --modversion libzip)" "$(pkg-config --modversion zlib)" \
    "$(sed -n 's/^#define LXW_VERSION "\(.*\)"$/\1/p' \
    "$(pkg-config --variable=includedir xlsxwriter)/xlsxwriter.h")")
if [ "$RC" -eq 0 ] && [ ! -s "$S/err" ] &&
    head -1 "$S/out" | grep -qE '^charter [0-9]+\.[0-9]+\.[0-9]+$' &&
    [ "$(sed 1d "$S/out")" = "$want" ]; then
	pass "cli: charter --version"
else
	fail "cli: charter --version" "exit $RC" "$(cat "$S/out" "$S/err")" \
	    "expected after the first line:" "$want"
fi
run "$CHARTER" check --help
ok=1
for o in --content --as-of --format --strict --limit "exit status"; do
	grep -qF -- "$o" "$S/out" || ok=0
done
if [ "$RC" -eq 0 ] && [ "$ok" -eq 1 ] && [ ! -s "$S/err" ] &&
    grep -q '^usage: charter check' "$S/out"; then
	pass "cli: check --help lists every option"
else
	fail "cli: check --help lists every option" "exit $RC" \
	    "$(head -5 "$S/out" "$S/err")"
fi
expect "rules --help" 0 "usage: charter rules" "" "$CHARTER" rules --help
expect "init --help" 0 "usage: charter init" "" "$CHARTER" init --help

expect "metrics --help" 0 "usage: charter metrics" "" "$CHARTER" metrics --help
expect "log --help" 0 "usage: charter log init" "" "$CHARTER" log --help
expect "log with no command" 2 "" "usage: charter log init" "$CHARTER" log
expect "log frobnicate" 2 "" "unknown log command 'frobnicate'" \
    "$CHARTER" log frobnicate
expect "log init with two files" 2 "" "log init takes one FILE" \
    "$CHARTER" log init a.db b.db
expect "log sample --days 0" 2 "" "--days takes 1 to 3660" \
    "$CHARTER" log sample --days 0
expect "log sample --rows x" 2 "" "--rows takes 1 to" \
    "$CHARTER" log sample --rows x
expect "metrics --format sarif" 2 "" "unknown format 'sarif'" \
    "$CHARTER" metrics --format sarif
expect "metrics --period year" 2 "" "unknown period 'year'" \
    "$CHARTER" metrics --period year
expect "log schema" 0 "CREATE TABLE decisions" "" "$CHARTER" log schema
expect "no command" 2 "" "usage: charter <command>" "$CHARTER"
expect "unknown command" 2 "" "unknown command 'frobnicate'" \
    "$CHARTER" frobnicate
has "$S/err" "usage: charter <command>" ||
    fail "cli: unknown command prints the usage" "$(cat "$S/err")"
expect "unknown top-level option" 2 "" "usage: charter <command>" \
    "$CHARTER" --frobnicate
expect "check: unknown option" 2 "" "usage: charter check" \
    "$CHARTER" check --frobnicate
expect "check: unknown short option" 2 "" "usage: charter check" \
    "$CHARTER" check -x
expect "check: stray argument" 2 "" "unexpected argument 'extra'" \
    "$CHARTER" check --content "$TOP/templates/init" extra
expect "check: --content without a value" 2 "" "usage: charter check" \
    "$CHARTER" check --content
expect "check: unknown format" 2 "" "unknown format 'xml'" \
    "$CHARTER" check --format xml
expect "check: markdown is not a check format" 2 "" "unknown format" \
    "$CHARTER" check --format markdown
expect "rules: unknown option" 2 "" "usage: charter rules" \
    "$CHARTER" rules --frobnicate
expect "rules: unknown format" 2 "" "unknown format 'sarif'" \
    "$CHARTER" rules --format sarif
expect "rules: stray argument" 2 "" "unexpected argument 'x'" \
    "$CHARTER" rules x
expect "init: no folder" 2 "" "usage: charter init" "$CHARTER" init
expect "init: two folders" 2 "" "usage: charter init" \
    "$CHARTER" init "$S/a" "$S/b"
expect "init: unknown option" 2 "" "unknown option '--frobnicate'" \
    "$CHARTER" init --frobnicate
if [ -e "$S/a" ] || [ -e "$S/b" ]; then
	fail "cli: init usage errors create nothing" "$(ls "$S")"
else
	pass "cli: init usage errors create nothing"
fi

# --- the as-of date ---------------------------------------------------------------------

R=$S/repo
mkdir -p "$R"
cp -R "$TOP/templates/init/." "$R/"
mklog "$R"
for d in 2026-02-30 2026-13-01 2026-00-10 20261122 2026-1-1 2026-01-01x \
    ' 2026-01-01' 0000-01-01 yesterday ''; do
	expect "--as-of '$d' is a usage error" 2 "" "--as-of '$d' is not a date" \
	    "$CHARTER" check --content "$R" --as-of "$d"
done
expect "--as-of 2024-02-29 (a leap day)" 0 "" "0 errors" \
    "$CHARTER" check --content "$R" --as-of 2024-02-29

# The template's system was last reviewed on 2026-10-01 and its tier wants a
# review every 365 days: overdue from 2027-10-02 on, not on 2027-10-01.
line=$(grep -n '^last_review:' "$R/systems/invoice-triage.yaml" | cut -d: -f1)
E1001=1822348800	# 2027-10-01T00:00:00Z
E1002=1822435200	# 2027-10-02T00:00:00Z
run env SOURCE_DATE_EPOCH=$((E1001 + 86399)) "$CHARTER" check --content "$R" --no-logs
if [ "$RC" -eq 0 ] && [ "$(cat "$S/err")" = "0 errors, 0 warnings, 0 notes" ]
then
	pass "cli: SOURCE_DATE_EPOCH 2027-10-01T23:59:59Z: not overdue"
else
	fail "cli: SOURCE_DATE_EPOCH 2027-10-01T23:59:59Z: not overdue" \
	    "exit $RC" "$(cat "$S/err")"
fi
run env SOURCE_DATE_EPOCH=$E1002 "$CHARTER" check --content "$R" --no-logs
if [ "$RC" -eq 0 ] && grep -qF \
    "systems/invoice-triage.yaml:$line:14: warning: system 'invoice-triage' was last reviewed on 2026-10-01, 366 days before 2027-10-02" \
    "$S/err"; then
	pass "cli: SOURCE_DATE_EPOCH 2027-10-02: review.overdue"
else
	fail "cli: SOURCE_DATE_EPOCH 2027-10-02: review.overdue" "exit $RC" \
	    "$(cat "$S/err")"
fi
run env SOURCE_DATE_EPOCH=$E1002 "$CHARTER" check --content "$R" --no-logs --format json
if [ "$RC" -eq 0 ] && "$PY" -c '
import json, sys
assert json.load(open(sys.argv[1]))["as_of"] == "2027-10-02"' "$S/out"; then
	pass "cli: SOURCE_DATE_EPOCH sets the json as_of"
else
	fail "cli: SOURCE_DATE_EPOCH sets the json as_of" "exit $RC" \
	    "$(head -5 "$S/out")"
fi
run env SOURCE_DATE_EPOCH=$E1002 "$CHARTER" check --content "$R" --no-logs \
    --as-of 2027-10-01
if [ "$RC" -eq 0 ] && [ "$(cat "$S/err")" = "0 errors, 0 warnings, 0 notes" ]
then
	pass "cli: --as-of wins over SOURCE_DATE_EPOCH"
else
	fail "cli: --as-of wins over SOURCE_DATE_EPOCH" "exit $RC" "$(cat "$S/err")"
fi
run "$CHARTER" check --content "$R" --format json
today=$(date -u +%Y-%m-%d)
if [ "$RC" -eq 0 ] && "$PY" -c '
import json, sys
assert json.load(open(sys.argv[1]))["as_of"] == sys.argv[2]' "$S/out" "$today"
then
	pass "cli: no date given: as_of is today (UTC)"
else
	fail "cli: no date given: as_of is today (UTC)" "$(head -5 "$S/out")"
fi
for v in abc 1.5 -1 1e9 0x10 12abc 99999999999999999999; do
	run env SOURCE_DATE_EPOCH="$v" "$CHARTER" check --content "$R"
	if [ "$RC" -eq 2 ] && grep -q SOURCE_DATE_EPOCH "$S/err"; then
		pass "cli: SOURCE_DATE_EPOCH='$v' is a usage error"
	else
		fail "cli: SOURCE_DATE_EPOCH='$v' is a usage error" "exit $RC" \
		    "$(head -3 "$S/err")"
	fi
done

# --- --strict ----------------------------------------------------------------------------

run "$CHARTER" check --content "$R" --no-logs --as-of 2027-10-02
rc_plain=$RC
w=$(grep -c '\[review.overdue\]$' "$S/err")
run "$CHARTER" check --content "$R" --no-logs --as-of 2027-10-02 --strict
if [ "$rc_plain" -eq 0 ] && [ "$w" -eq 1 ] && [ "$RC" -eq 1 ] &&
    grep -q '^0 errors, 1 warning, 0 notes$' "$S/err"; then
	pass "cli: --strict turns a warning-only run into exit 1"
else
	fail "cli: --strict turns a warning-only run into exit 1" \
	    "exit $rc_plain without, $RC with --strict" "$(cat "$S/err")"
fi
expect "--strict on a clean repo" 0 "" "0 errors, 0 warnings, 0 notes" \
    "$CHARTER" check --content "$R" --as-of 2026-11-22 --strict

# --- init ----------------------------------------------------------------------------------

I=$S/init-new
expect "init DIR" 0 "created a governance repo in $I" "" "$CHARTER" init "$I"
# Its decision log is empty: the one warning says the agent has not logged.
run "$CHARTER" check --content "$I" --as-of 2026-11-22
if [ "$RC" -eq 0 ] && [ "$(tail -n 1 "$S/err")" = \
    "0 errors, 1 warning, 0 notes" ] && grep -q '\[log.no-rows\]' "$S/err" &&
    [ "$(grep -c ': warning: ' "$S/err")" -eq 1 ]
then
	pass "cli: an init repo checks with 0 errors, only log.no-rows"
else
	fail "cli: an init repo checks with 0 errors, only log.no-rows" \
	    "exit $RC" "$(cat "$S/err")"
fi
# The empty log init made is replaced without --force; a filled one is not.
run "$CHARTER" log sample --content "$I" --as-of 2026-11-22 --days 30 -q
if [ "$RC" -eq 0 ]; then
	pass "cli: log sample replaces the empty log init made"
else
	fail "cli: log sample replaces the empty log init made" "exit $RC" \
	    "$(cat "$S/err")"
fi
cksum "$I/logs/invoice-triage.db" >"$S/sum1"
expect "log sample refuses a log with rows" 4 "" "is not an empty log" \
    "$CHARTER" log sample --content "$I" --as-of 2026-11-22 --days 30 -q
cksum "$I/logs/invoice-triage.db" >"$S/sum2"
if cmp -s "$S/sum1" "$S/sum2"; then
	pass "cli: a refused log sample leaves the log as it was"
else
	fail "cli: a refused log sample leaves the log as it was"
fi
run "$CHARTER" check --content "$I" --as-of 2026-11-22
if [ "$RC" -eq 0 ] && [ "$(cat "$S/err")" = "0 errors, 0 warnings, 0 notes" ]
then
	pass "cli: an init repo with a sampled log checks clean"
else
	fail "cli: an init repo with a sampled log checks clean" "exit $RC" \
	    "$(cat "$S/err")"
fi
missing=""
for f in organization.yaml risk-tiers.yaml decision-rights.yaml \
    systems/invoice-triage.yaml schemas/system.schema.json \
    schemas/organization.schema.json; do
	[ -f "$I/$f" ] || missing="$missing $f"
done
if [ -z "$missing" ] && [ -f "$I/logs/invoice-triage.db" ] &&
    diff -r "$TOP/templates/init" "$I" -x schemas -x logs \
    >"$S/diff" 2>&1; then
	pass "cli: init writes the template and the schemas"
else
	fail "cli: init writes the template and the schemas" \
	    "missing:${missing:- none}" "$(head -5 "$S/diff")"
fi

mkdir "$S/init-empty"
expect "init into an empty folder" 0 "created a governance repo" "" \
    "$CHARTER" init "$S/init-empty"

# A folder holding a repo: refused, and nothing is touched or added.
O=$S/init-existing
mkdir "$O"
printf 'kind: organization\nid: mine\n' >"$O/organization.yaml"
before=$(cd "$O" && find . -exec ls -ld {} + | sort; cksum organization.yaml)
expect "init refuses a folder holding a repo (exit 4)" 4 "" \
    "init writes only into a new or empty folder" "$CHARTER" init "$O"
after=$(cd "$O" && find . -exec ls -ld {} + | sort; cksum organization.yaml)
if [ "$before" = "$after" ]; then
	pass "cli: a refused init leaves the folder as it was"
else
	fail "cli: a refused init leaves the folder as it was" "$after"
fi

# Any non-empty folder is refused (the usage: "must not exist or be empty").
N=$S/init-nonempty
mkdir "$N"
echo "my notes" >"$N/notes.txt"
run "$CHARTER" init "$N"
if [ "$RC" -eq 4 ] && [ "$(ls -A "$N")" = "notes.txt" ]; then
	pass "cli: init refuses a non-empty folder (exit 4)"
else
	fail "cli: init refuses a non-empty folder (exit 4)" "exit $RC" \
	    "folder now holds: $(cd "$N" && find . | sort | tr '\n' ' ')"
fi

: >"$S/init-file"
expect "init onto a regular file (exit 4)" 4 "" "charter: cannot" \
    "$CHARTER" init "$S/init-file"
expect "init below a missing folder (exit 4)" 4 "" "charter: cannot" \
    "$CHARTER" init "$S/no/such/parent"

# --- rules ---------------------------------------------------------------------------------

run "$CHARTER" rules --format json
cp "$S/out" "$S/rules.json"
"$CHARTER" rules >"$S/rules.txt"
"$CHARTER" rules --format markdown >"$S/rules.md"
if [ "$RC" -eq 0 ] && "$PY" - "$S/rules.json" "$S/rules.txt" "$S/rules.md" \
    >"$S/py" 2>&1 <<'EOF'
import json, sys
rules = json.load(open(sys.argv[1], encoding="utf-8"))
assert isinstance(rules, list) and len(rules) > 10, "too few rules"
ids = [r["id"] for r in rules]
assert len(set(ids)) == len(ids), "duplicate ids"
for r in rules:
    assert set(r) == {"id", "severity", "class", "summary"}, r
    assert r["severity"] in ("note", "warning", "error"), r
    assert r["class"] in ("input", "finding"), r
    assert r["summary"], r
text = [l.split()[0] for l in open(sys.argv[2], encoding="utf-8") if l.strip()]
assert text == ids, "text and json list different rules"
md = [l.split("`")[1] for l in open(sys.argv[3], encoding="utf-8")
      if l.startswith("| `")]
assert md == ids, "markdown and json list different rules"
EOF
then
	pass "cli: rules --format json parses and matches text and markdown"
else
	fail "cli: rules --format json parses and matches text and markdown" \
	    "exit $RC" "$(tail -3 "$S/py")"
fi

# --- output errors ------------------------------------------------------------------------

if [ -w /dev/full ]; then
	run "$CHARTER" check --content "$R" --as-of 2026-11-22 --format json
	"$CHARTER" check --content "$R" --as-of 2026-11-22 --format json \
	    >/dev/full 2>"$S/err"
	rc=$?
	if [ "$rc" -eq 4 ] && grep -q 'cannot write output' "$S/err"; then
		pass "cli: check --format json to a full disk: exit 4"
	else
		fail "cli: check --format json to a full disk: exit 4" "exit $rc" \
		    "$(cat "$S/err")"
	fi
	"$CHARTER" rules >/dev/full 2>"$S/err"
	rc=$?
	if [ "$rc" -eq 4 ]; then
		pass "cli: rules to a full disk: exit 4"
	else
		fail "cli: rules to a full disk: exit 4" "exit $rc"
	fi
fi

# --- metrics ------------------------------------------------------------------------------

expect "metrics --system nope" 2 "" "no system 'nope'" \
    "$CHARTER" metrics --content "$R" --as-of 2026-11-22 --system nope
run "$CHARTER" metrics --content "$R" --as-of 2026-11-22 --format json
if [ "$RC" -eq 0 ] && "$PY" -c '
import json, sys
d = json.load(open(sys.argv[1]))
s = d["systems"][0]
assert d["as_of"] == "2026-11-22" and s["id"] == "invoice-triage"
assert s["decisions"] == 5 and s["metrics"]["volume"] == 5
assert [p["period"] for p in s["periods"]["month"]] == ["2026-11"]
' "$S/out"; then
	pass "cli: metrics --format json on a small log"
else
	fail "cli: metrics --format json on a small log" "exit $RC" \
	    "$(head -c 300 "$S/err")"
fi
expect "metrics on a missing log: exit 3" 3 "" "[log.unreadable]" \
    "$CHARTER" metrics --content "$TOP/templates/init" --as-of 2026-11-22

# --- the current folder ----------------------------------------------------------------------

C=$S/cwd
mkdir -p "$C"
cp -R "$TOP/templates/init/." "$C/"
mklog "$C"
run sh -c 'cd "$1" && "$2" check --as-of 2026-11-22' sh "$C" "$CHARTER"
if [ "$RC" -eq 0 ] && grep -q '^0 errors' "$S/err" &&
    ! grep -q "^$C" "$S/err"; then
	pass "cli: --content defaults to the current folder"
else
	fail "cli: --content defaults to the current folder" "exit $RC" \
	    "$(tail -3 "$S/err")"
fi
