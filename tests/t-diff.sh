#!/bin/sh
# charter diff OLD NEW: governance changes between two repos.  OLD and NEW
# are copies of tests/rules/base (with its decision log) plus the systems
# of tests/diff/, NEW edited here: a system added and one removed, a stage
# and a tier moved, an owner changed, a decision-table row changed and one
# added, a KPI target set, a decision right changed, a finding fixed and,
# in a second NEW, one introduced.  Each change is asserted in Markdown,
# text and JSON; then the exit statuses, identical and shifted repos,
# hostile text through cmark-gfm, untouched inputs and determinism.
#
#   sh tests/t-diff.sh
. "$(cd "$(dirname "$0")" && pwd)/lib.sh"

AS_OF=2026-11-22
S=$(scratch diff)
BASE=$TOP/tests/rules/base
FIX=$TOP/tests/diff

# repo DIR: base with its decision log and expense-check.
repo() {
	mkdir -p "$1" && (cd "$BASE" && tar cf - --exclude='*.sql' .) |
	    (cd "$1" && tar xf -) &&
	    "$CHARTER" log init "$1/logs/invoice-triage.db" >/dev/null &&
	    sqlite3 -bail "$1/logs/invoice-triage.db" \
	    <"$BASE/logs/invoice-triage.db.sql" &&
	    cp "$FIX/expense-check.yaml" "$1/systems/"
}

# edit FILE: apply the python replacements FROM TO... given as arguments;
# each FROM must occur exactly once, so a drifting fixture fails here.
edit() {
	"$PY" - "$@" <<'EOF' || fail diff.setup "cannot edit $1"
import sys
path, pairs = sys.argv[1], sys.argv[2:]
text = open(path, encoding="utf-8").read()
for a, b in zip(pairs[0::2], pairs[1::2]):
    a = a.encode().decode("unicode_escape")
    b = b.encode().decode("unicode_escape")
    if text.count(a) != 1:
        sys.exit("%s: %r occurs %d times" % (path, a, text.count(a)))
    text = text.replace(a, b)
open(path, "w", encoding="utf-8").write(text)
EOF
}

# diffrun NAME ARGS...: charter diff; stdout in $S/NAME.out, stderr in
# $S/NAME.err, status in RC.
diffrun() {
	n=$1
	shift
	"$CHARTER" diff --as-of $AS_OF "$@" >"$S/$n.out" 2>"$S/$n.err"
	RC=$?
}

# has NAME FILE TEXT...: every TEXT is a line fragment of FILE.
has() {
	n=$1 f=$2
	shift 2
	miss=
	for t in "$@"; do
		grep -qF -- "$t" "$f" || miss="$miss [$t]"
	done
	if [ -z "$miss" ]; then
		pass "$n"
	else
		fail "$n" "missing:$miss" "$(head -40 "$f")"
	fi
}

status() {	# NAME WANT
	if [ "$RC" -eq "$2" ]; then
		pass "$1"
	else
		fail "$1" "exit $RC, expected $2" "$(head -5 "$S/$3.err")"
	fi
}

# ---- the fixtures ---------------------------------------------------------

O=$S/old N=$S/new E=$S/new-error
repo "$O" && repo "$N" || fail diff.setup "cannot copy the base repo"
# OLD lacks the kill switch its tier requires: a finding NEW fixes.
edit "$O/systems/invoice-triage.yaml" \
    'controls: [decision-logging, kill-switch]' 'controls: [decision-logging]'
rm "$N/systems/cv-screening.yaml"
cp "$FIX/web-assistant.yaml" "$N/systems/"
edit "$N/systems/expense-check.yaml" 'stage: idea' 'stage: pilot' \
    'risk_tier: low' 'risk_tier: high' \
    'classification: minimal-risk' 'classification: high-risk\n  annex_iii: 4(b)'
edit "$N/systems/invoice-triage.yaml" \
    '  outcome: a.berg' '  outcome: c.lange' \
    'min_confidence: 0.9' 'min_confidence: 0.85' \
    '  - exception: missing-po' '  - exception: duplicate-invoice\n    ai_may_resolve: false\n    escalate_to: m.kaya\n  - exception: missing-po' \
    '    level: business\n' '    level: business\n    target: 2.5\n'
edit "$N/decision-rights.yaml" \
    '    name: Deploy to shadow or production\n    default:\n      decides: ai-board' \
    '    name: Deploy to shadow or production\n    default:\n      decides: c.lange'
# NEW with an error OLD does not have: a production system loses its
# outcome owner (owners.unassigned).
cp -R "$N" "$E"
edit "$E/systems/invoice-triage.yaml" '  outcome: c.lange\n' ''

before_o=$(snapshot "$O") before_n=$(snapshot "$N") before_e=$(snapshot "$E")

# ---- the changes, in each format ------------------------------------------

diffrun md "$O" "$N"
status diff.no-new-errors-exit-0 0 md
has diff.md.headline "$S/md.out" '## Governance changes' \
    '**1 system added, 1 removed, 2 changed; 3 decision rights changed; 0 new findings (0 errors), 1 fixed.**'
has diff.md.system-added "$S/md.out" '### Systems added' \
    '| web-assistant | Website assistant | idea | low | limited-risk |'
has diff.md.system-removed "$S/md.out" '### Systems removed' \
    '| cv-screening | Application screening assistant | pilot | high | high-risk |'
has diff.md.stage-and-tier "$S/md.out" '#### expense-check: Expense claim checker' \
    '| stage | idea | pilot |' '| risk tier | low | high |' \
    '| EU AI Act classification | minimal-risk | high-risk |' \
    '| Annex III point | none | 4(b) |'
has diff.md.owner "$S/md.out" '| outcome owner | a.berg | c.lange |'
has diff.md.decision-table "$S/md.out" \
    '| decision table row **price-mismatch**: min_confidence | 0.9 | 0.85 |' \
    '| decision table row **duplicate-invoice** added |  | ai\_may\_resolve false, escalate\_to m.kaya |'
has diff.md.kpi "$S/md.out" '| KPI **cost-per-invoice**: target | none | 2.5 |'
has diff.md.control "$S/md.out" '| control **kill-switch** added |  |  |'
has diff.md.rights "$S/md.out" '### Decision rights' \
    '| deploy | high | decides | ai-board | c.lange |' \
    '| deploy | low | decides | ai-board | c.lange |'
has diff.md.finding-fixed "$S/md.out" '### Fixed findings' \
    "| error | tier.missing-control | invoice-triage | system 'invoice-triage' is in production without control 'kill-switch', which tier 'low' requires | systems/invoice-triage.yaml\\:19 |"
if grep -q 'New findings' "$S/md.out"; then
	fail diff.md.no-new-findings "$(grep -A5 'New findings' "$S/md.out")"
else
	pass diff.md.no-new-findings
fi
# Untouched systems and decisions are not mentioned.
if grep -q 'shut\-down\|fund |' "$S/md.out"; then
	fail diff.md.only-changes "$(grep 'shut\|fund' "$S/md.out")"
else
	pass diff.md.only-changes
fi

diffrun text --format text "$O" "$N"
status diff.text-exit-0 0 text
has diff.text.changes "$S/text.out" \
    'Governance changes: 1 system added, 1 removed, 2 changed;' \
    '  + web-assistant "Website assistant": idea, risk tier low, limited-risk' \
    '  - cv-screening "Application screening assistant": pilot, risk tier high, high-risk' \
    'system expense-check:' '  stage: idea -> pilot' '  risk tier: low -> high' \
    '  outcome owner: a.berg -> c.lange' \
    "  decision table row 'price-mismatch': min_confidence: 0.9 -> 0.85" \
    "  decision table row 'duplicate-invoice' added: ai_may_resolve false, escalate_to m.kaya" \
    "  KPI 'cost-per-invoice': target: none -> 2.5" \
    '  deploy, tier high, decides: ai-board -> c.lange' \
    'fixed findings:' "  - error: invoice-triage: system 'invoice-triage' is in production without control 'kill-switch', which tier 'low' requires [tier.missing-control] (was at systems/invoice-triage.yaml:"

diffrun json --format json "$O" "$N"
status diff.json-exit-0 0 json
if "$PY" - "$S/json.out" <<'EOF' >"$S/json.check" 2>&1
import json, sys
d = json.load(open(sys.argv[1], encoding="utf-8"))
s = d["summary"]
assert (s["systems_added"], s["systems_removed"], s["systems_changed"],
        s["rights_changed"], s["findings_new"], s["findings_fixed"],
        s["new_errors"]) == (1, 1, 2, 3, 0, 1, 0), s
assert [x["id"] for x in d["systems"]["added"]] == ["web-assistant"]
assert d["systems"]["added"][0] == {"id": "web-assistant",
    "name": "Website assistant", "stage": "idea", "risk_tier": "low",
    "classification": "limited-risk"}
assert [x["id"] for x in d["systems"]["removed"]] == ["cv-screening"]
ch = {x["id"]: x["changes"] for x in d["systems"]["changed"]}
assert list(ch) == ["expense-check", "invoice-triage"], list(ch)
def find(sid, field, item=None, attr=None):
    m = [c for c in ch[sid] if c["field"] == field and c["item"] == item
         and c["attribute"] == attr]
    assert len(m) == 1, (sid, field, item, attr, ch[sid])
    return (m[0]["change"], m[0]["old"], m[0]["new"])
assert find("expense-check", "stage") == ("changed", "idea", "pilot")
assert find("expense-check", "risk_tier") == ("changed", "low", "high")
assert find("expense-check", "eu_ai_act.annex_iii") == ("changed", None, "4(b)")
assert find("invoice-triage", "owners", "outcome") == \
    ("changed", "a.berg", "c.lange")
assert find("invoice-triage", "decision_table", "price-mismatch",
            "min_confidence") == ("changed", "0.9", "0.85")
assert find("invoice-triage", "decision_table", "duplicate-invoice")[:2] == \
    ("added", None)
assert find("invoice-triage", "kpis", "cost-per-invoice", "target") == \
    ("changed", None, "2.5")
assert find("invoice-triage", "controls", "kill-switch") == \
    ("added", None, None)
r = d["decision_rights"]
assert [(x["decision"], x["tier"], x["role"]) for x in r] == \
    [("deploy", "banned", "decides"), ("deploy", "high", "decides"),
     ("deploy", "low", "decides")], r
assert r[0]["old"] == "ai-board" and r[0]["new"] == "c.lange", r[0]
assert d["findings"]["new"] == []
f = d["findings"]["fixed"]
assert [(x["rule"], x["system"]) for x in f] == \
    [("tier.missing-control", "invoice-triage")], f
assert f[0]["at"].startswith("systems/invoice-triage.yaml:"), f[0]
EOF
then
	pass diff.json.changes
else
	fail diff.json.changes "$(tail -5 "$S/json.check")"
fi

# ---- a new error: exit 1, with its NEW location ---------------------------

diffrun err "$O" "$E"
status diff.new-error-exit-1 1 err
has diff.md.finding-new "$S/err.out" '### New findings' \
    "| error | owners.unassigned | invoice-triage | system 'invoice-triage' is in production but has no outcome owner | systems/invoice-triage.yaml\\:8 |" \
    "| warning | rights.unresolved | invoice-triage | decision 'fund' consults 'owner\\:outcome', but system 'invoice-triage' has no outcome owner | systems/invoice-triage.yaml\\:8 |" \
    '| outcome owner | a.berg | unassigned |'
diffrun errjson --format json "$O" "$E"
status diff.json.new-error-exit-1 1 errjson
if "$PY" - "$S/errjson.out" <<'EOF' >"$S/errjson.check" 2>&1
import json, sys
d = json.load(open(sys.argv[1], encoding="utf-8"))
# owners.unassigned, and approve-use-case decided by the missing owner.
assert d["summary"]["new_errors"] == 2, d["summary"]
n = [x for x in d["findings"]["new"] if x["rule"] == "owners.unassigned"]
assert len(n) == 1, d["findings"]["new"]
assert n[0]["severity"] == "error" and n[0]["system"] == "invoice-triage"
assert n[0]["at"] == "systems/invoice-triage.yaml:8" and n[0]["line"] == 8, n[0]
assert [x["severity"] for x in d["findings"]["new"]] == \
    ["error", "error", "warning", "warning"], d["findings"]["new"]
o = [c for c in d["systems"]["changed"][1]["changes"] if c["field"] == "owners"]
assert o == [{"field": "owners", "item": "outcome", "attribute": None,
              "change": "changed", "old": "a.berg", "new": None}], o
EOF
then
	pass diff.json.finding-new
else
	fail diff.json.finding-new "$(tail -5 "$S/errjson.check")"
fi
# The other way round those errors are fixed and nothing is new: exit 0.
diffrun back "$E" "$N"
status diff.errors-fixed-exit-0 0 back
has diff.md.errors-fixed "$S/back.out" '### Fixed findings' \
    '4 fixed.**' \
    "| error | owners.unassigned | invoice-triage | system 'invoice-triage' is in production but has no outcome owner | systems/invoice-triage.yaml\\:8 |"

# ---- no changes -----------------------------------------------------------

for fmt in markdown text; do
	diffrun same-$fmt --format $fmt "$O" "$O"
	if [ "$RC" -eq 0 ] && [ "$(cat "$S/same-$fmt.out")" = "No governance changes." ] &&
	    [ ! -s "$S/same-$fmt.err" ]; then
		pass "diff.identical-$fmt"
	else
		fail "diff.identical-$fmt" "exit $RC" "$(head -5 "$S/same-$fmt.out" "$S/same-$fmt.err")"
	fi
done
diffrun same-json --format json "$O" "$O"
if [ "$RC" -eq 0 ] && "$PY" -c '
import json, sys
d = json.load(open(sys.argv[1]))
assert set(d["summary"].values()) == {0}, d["summary"]
assert d["systems"] == {"added": [], "removed": [], "changed": []}
assert d["decision_rights"] == [] and d["findings"] == {"new": [], "fixed": []}
' "$S/same-json.out" 2>"$S/same-json.check"; then
	pass diff.identical-json
else
	fail diff.identical-json "exit $RC" "$(tail -3 "$S/same-json.check")"
fi
# Lines moved (comments added at the top of every file) in a repo with
# findings, one naming another file's path and line (a duplicate id):
# they are at other lines of another folder in the copy, which is no
# change.
D=$S/dup M=$S/moved
cp -R "$O" "$D"
cp "$FIX/expense-check.yaml" "$D/systems/zz-duplicate.yaml"
cp -R "$D" "$M"
for f in "$M"/*.yaml "$M"/systems/*.yaml; do
	{ printf '# moved\n#\n\n'; cat "$f"; } >"$f.tmp" && mv "$f.tmp" "$f"
done
diffrun moved "$D" "$M"
if [ "$RC" -eq 0 ] && [ "$(cat "$S/moved.out")" = "No governance changes." ] &&
    "$CHARTER" check --content "$M" --as-of $AS_OF 2>&1 |
    grep -q "first at $M/systems/expense-check.yaml:7)"; then
	pass diff.moved-lines-no-change
else
	fail diff.moved-lines-no-change "exit $RC" "$(head -20 "$S/moved.out")"
fi

# ---- usage, unreadable repos, options -------------------------------------

diffrun one "$O"
status diff.one-argument-exit-2 2 one
has diff.one-argument-says "$S/one.err" 'expected two folders' 'usage: charter diff'
diffrun three "$O" "$N" "$E"
status diff.three-arguments-exit-2 2 three
diffrun fmt --format sarif "$O" "$N"
status diff.bad-format-exit-2 2 fmt
diffrun content --content "$O" "$O" "$N"
status diff.content-is-no-option-exit-2 2 content
"$CHARTER" diff --as-of 2026-02-30 "$O" "$N" >"$S/date.out" 2>"$S/date.err"
RC=$?
status diff.bad-date-exit-2 2 date
"$CHARTER" diff --help >"$S/help.out" 2>"$S/help.err"
RC=$?
status diff.help-exit-0 0 help
has diff.help-says-exit-1 "$S/help.out" 'usage: charter diff' \
    '1 NEW has error' 'gate CI on it' '--no-logs' '--limit NAME=N'
diffrun missing-new "$O" "$S/no-such-repo"
status diff.missing-new-exit-3 3 missing-new
has diff.missing-new-named "$S/missing-new.err" \
    "NEW repo '$S/no-such-repo' could not be read"
if [ ! -s "$S/missing-new.out" ]; then
	pass diff.missing-new-no-stdout
else
	fail diff.missing-new-no-stdout "$(head -3 "$S/missing-new.out")"
fi
diffrun missing-old "$S/no-such-repo" "$N"
status diff.missing-old-exit-3 3 missing-old
has diff.missing-old-named "$S/missing-old.err" \
    "OLD repo '$S/no-such-repo' could not be read"
# A broken decision log: unreadable (exit 3) unless --no-logs.
L=$S/badlog
cp -R "$O" "$L"
printf 'not a database, not at all; just text\n%.0s' 1 2 3 4 5 6 7 8 \
    >"$L/logs/invoice-triage.db"
diffrun badlog "$O" "$L"
status diff.broken-log-exit-3 3 badlog
has diff.broken-log-named "$S/badlog.err" 'log.' "NEW repo '$L' could not be read"
diffrun nologs --no-logs "$O" "$L"
if [ "$RC" -eq 0 ] && [ "$(cat "$S/nologs.out")" = "No governance changes." ]; then
	pass diff.no-logs
else
	fail diff.no-logs "exit $RC" "$(head -5 "$S/nologs.out" "$S/nologs.err")"
fi
diffrun limit --limit file=64 "$O" "$N"
status diff.limit-applies-exit-3 3 limit
has diff.limit-applies "$S/limit.err" '[input.too-large]' "OLD repo"
diffrun limit-ok --limit files=100 "$O" "$N"
status diff.limit-raised-exit-0 0 limit-ok

# ---- hostile text ---------------------------------------------------------

H=$S/hostile
cp -R "$O" "$H"
cp "$FIX/hostile.yaml" "$H/systems/"
edit "$H/systems/invoice-triage.yaml" \
    'name: Invoice exception triage' 'name: "<b>bold</b> [y](javascript:alert(2)) | z\\n| a | b |"' \
    '    metric: autonomous_rate\n' '    metric: autonomous_rate\n  - id: hostile-kpi\n    name: "[k](javascript:alert(3)) <iframe> www.e.example a.b@c.example @org/team https://e.example/p"\n    level: operational\n    supports: cost-per-invoice\n    values:\n      - {period: "2026-10", value: 1}\n'
diffrun hostile "$O" "$H"
status diff.hostile-exit-0 0 hostile
# Through cmark-gfm with tables, autolinks and raw HTML allowed: nothing
# but text comes out (no link, not even an autolinked URL or address), and
# every table row keeps its cells.
if "$PY" - "$S/hostile.out" <<'EOF' >"$S/hostile.check" 2>&1
import ctypes, ctypes.util, re, sys
md = open(sys.argv[1], "rb").read()
lib = ctypes.CDLL(ctypes.util.find_library("cmark-gfm") or "libcmark-gfm.so")
ext = ctypes.CDLL(ctypes.util.find_library("cmark-gfm-extensions") or
                  "libcmark-gfm-extensions.so")
ext.cmark_gfm_core_extensions_ensure_registered()
vp = ctypes.c_void_p
lib.cmark_parser_new.restype = vp
lib.cmark_find_syntax_extension.restype = vp
lib.cmark_find_syntax_extension.argtypes = [ctypes.c_char_p]
lib.cmark_parser_attach_syntax_extension.argtypes = [vp, vp]
lib.cmark_parser_feed.argtypes = [vp, ctypes.c_char_p, ctypes.c_size_t]
lib.cmark_parser_finish.restype = vp
lib.cmark_parser_finish.argtypes = [vp]
lib.cmark_parser_get_syntax_extensions.restype = vp
lib.cmark_parser_get_syntax_extensions.argtypes = [vp]
lib.cmark_render_html.restype = ctypes.c_char_p
lib.cmark_render_html.argtypes = [vp, ctypes.c_int, vp]
UNSAFE = 1 << 17
p = lib.cmark_parser_new(UNSAFE)
for name in (b"table", b"autolink", b"strikethrough", b"tagfilter"):
    e = lib.cmark_find_syntax_extension(name)
    assert e, name
    lib.cmark_parser_attach_syntax_extension(p, e)
lib.cmark_parser_feed(p, md, len(md))
doc = lib.cmark_parser_finish(p)
html = lib.cmark_render_html(doc, UNSAFE,
                             lib.cmark_parser_get_syntax_extensions(p))
html = html.decode()
for bad in ("<script", "<img", "<iframe", "<b>", "<a ", "<em>", "<strong>x",
            "<code>", "<h1", "<del>"):
    assert bad not in html, (bad, html)
# The text itself is all there, shown as typed.
for text in ("[x](javascript:alert(1)) &lt;script&gt;alert(1)&lt;/script&gt; | cell # heading *b* `c`",
             "[y](javascript:alert(2)) | z | a | b |",
             "[k](javascript:alert(3)) &lt;iframe&gt; www.e.example a.b@\u2060c.example @\u2060org/team https://e.example/p"):
    assert text in html, (text, html)
# Every row of every table has as many cells as its header.
for table in re.findall(r"<table>.*?</table>", html, re.S):
    rows = re.findall(r"<tr>(.*?)</tr>", table, re.S)
    cells = [len(re.findall(r"<t[hd][ >]", r)) for r in rows]
    assert len(set(cells)) == 1, (cells, table)
# Headings: only Charter's own.
heads = re.findall(r"<h(\d)>", html)
assert heads and all(h in "234" for h in heads), heads
print("ok")
EOF
then
	pass diff.hostile-markdown-inert
else
	fail diff.hostile-markdown-inert "$(tail -5 "$S/hostile.check")"
fi
# Raw, each hostile value is on one line, its markup escaped.
has diff.hostile-escaped "$S/hostile.out" \
    '\[x\](javascript\:alert(1)) \<script\>alert(1)\</script\> \| cell \# heading' \
    '| name | Invoice exception triage | \<b\>bold\</b\> \[y\](javascript\:alert(2)) \| z \| a \| b \| |'
diffrun hostile-text --format text "$O" "$H"
if [ "$RC" -eq 0 ] && ! grep -q "$(printf '\033')" "$S/hostile-text.out" &&
    grep -qF '| z\x0a| a | b |' "$S/hostile-text.out"; then
	pass diff.hostile-text-one-line
else
	fail diff.hostile-text-one-line "exit $RC" "$(grep -n 'name' "$S/hostile-text.out")"
fi
diffrun hostile-json --format json "$O" "$H"
if "$PY" -c '
import json, sys
d = json.load(open(sys.argv[1]))
a = d["systems"]["added"][0]
assert a["id"] == "hostile" and a["name"].startswith("[x](javascript:"), a
assert "\n" in a["name"]
' "$S/hostile-json.out" 2>"$S/hostile-json.check" &&
    ! grep -q '<script' "$S/hostile-json.out"; then
	pass diff.hostile-json
else
	fail diff.hostile-json "$(tail -3 "$S/hostile-json.check")"
fi

# ---- inputs untouched, output deterministic -------------------------------

if [ "$(snapshot "$O")" = "$before_o" ] && [ "$(snapshot "$N")" = "$before_n" ] &&
    [ "$(snapshot "$E")" = "$before_e" ] &&
    [ -z "$(find "$O" "$N" "$E" -newer "$S/md.out" -print)" ]; then
	pass diff.inputs-unchanged
else
	fail diff.inputs-unchanged "$(find "$O" "$N" "$E" -newer "$S/md.out")"
fi
for fmt in markdown text json; do
	"$CHARTER" diff --as-of $AS_OF --format $fmt "$O" "$E" >"$S/det1" 2>&1
	(cd "$S" && TZ=Pacific/Kiritimati LANG=de_DE.UTF-8 LC_ALL=de_DE.UTF-8 \
	    "$CHARTER" diff --as-of $AS_OF --format $fmt "$O" "$E") \
	    >"$S/det2" 2>&1
	if cmp -s "$S/det1" "$S/det2"; then
		pass "diff.deterministic-$fmt"
	else
		fail "diff.deterministic-$fmt" "$(diff "$S/det1" "$S/det2" | head -5)"
	fi
done
# Trailing slashes name the same repo: the same report.
"$CHARTER" diff --as-of $AS_OF "$O/" "$E//" >"$S/slash" 2>&1
"$CHARTER" diff --as-of $AS_OF "$O" "$E" >"$S/noslash" 2>&1
if cmp -s "$S/slash" "$S/noslash"; then
	pass diff.trailing-slash
else
	fail diff.trailing-slash "$(diff "$S/slash" "$S/noslash" | head -5)"
fi

exit 0
