#!/bin/sh
# tests/hostile-catalogue.md stays honest: one table row per row of the
# hostile-input catalogue (../shared/hostile-inputs.md, when it is there),
# each with a known status, and every test it names real.
#
#   catalogue.format       the table: four columns, row ids A1..H99 once
#                          each, a status "tested", "not applicable: WHY"
#                          or "not yet tested: WHAT", references written
#                          `SCRIPT: CASE, CASE`, and the counts line equal
#                          to the statuses
#   catalogue.row ID       every reference of the row resolves: the script
#                          exists below tests/, each case is in it (how a
#                          case is found: the table's preamble); a tested
#                          row names at least one case
#   catalogue.complete     every row id of the catalogue is in the table,
#                          and the table has no row the catalogue lacks
#                          (a SKIP: line when ../shared is absent)
#
#   sh tests/t-catalogue.sh
. "$(cd "$(dirname "$0")" && pwd)/lib.sh"

TABLE=$TOP/tests/hostile-catalogue.md
CATALOGUE=${CATALOGUE:-$TOP/../shared/hostile-inputs.md}

if [ ! -f "$TABLE" ]; then
	fail catalogue.format "no $TABLE"
	exit 1
fi
[ -f "$CATALOGUE" ] || CATALOGUE=

"$PY" - "$TOP" "$TABLE" "$CATALOGUE" <<'EOF'
import os, re, sys

top, table, catalogue = sys.argv[1], sys.argv[2], sys.argv[3]
tests = os.path.join(top, "tests")
fails = 0


def report(name, problems):
    global fails
    if problems:
        fails += 1
        print("FAIL: " + name)
        for p in problems[:12]:
            print("    " + p)
        if len(problems) > 12:
            print("    ... and %d more" % (len(problems) - 12))
    else:
        print("PASS: " + name)


def cells(line):
    """A Markdown table line's cells; '\\|' is a literal pipe."""
    parts = re.split(r"(?<!\\)\|", line.strip())
    if len(parts) < 3 or parts[0].strip() or parts[-1].strip():
        return None
    return [c.strip() for c in parts[1:-1]]


ROW_ID = re.compile(r"[A-H][0-9]{1,2}")

# ---- the table --------------------------------------------------------------

rows, order, problems = {}, [], []
counts_line = None
for n, line in enumerate(open(table, encoding="utf-8"), 1):
    if line.startswith("Counts:"):
        counts_line = (n, line.strip())
    if not line.startswith("|"):
        continue
    c = cells(line)
    if c is None:
        problems.append("line %d: not a table row" % n)
        continue
    if c[0] in ("row", "---"):
        continue
    if len(c) != 4:
        problems.append("line %d: %d cells, expected 4" % (n, len(c)))
        continue
    rid, behaviour, where, status = c
    if not ROW_ID.fullmatch(rid):
        problems.append("line %d: row id %r is not like A1 or C13" % (n, rid))
        continue
    if rid in rows:
        problems.append("line %d: row %s twice" % (n, rid))
        continue
    if not behaviour:
        problems.append("line %d: %s has no behaviour" % (n, rid))
    if re.match(r"tested\b", status):
        kind = "tested"
    elif re.match(r"not applicable: \S", status):
        kind = "not applicable"
    elif re.match(r"not yet tested: \S", status):
        kind = "not yet tested"
    else:
        problems.append("line %d: %s: status %r is not 'tested', "
                        "'not applicable: WHY' or 'not yet tested: WHAT'"
                        % (n, rid, status[:40]))
        continue
    refs = re.findall(r"`([^`]*)`", where)
    rest = re.sub(r"`[^`]*`", "", where).replace(";", "").strip()
    if rest and rest != "none":
        problems.append("line %d: %s: %r outside `SCRIPT: CASE` references"
                        % (n, rid, rest[:40]))
    rows[rid] = (n, kind, refs)
    order.append(rid)

want = {k: sum(1 for r in rows.values() if r[1] == k)
        for k in ("tested", "not applicable", "not yet tested")}
expect = ("Counts: %d tested, %d not applicable, %d not yet tested "
          "(%d rows)." % (want["tested"], want["not applicable"],
                          want["not yet tested"], len(rows)))
if counts_line is None:
    problems.append("no 'Counts:' line; it should read: " + expect)
elif counts_line[1] != expect:
    problems.append("line %d: %r; the statuses give %r"
                    % (counts_line[0], counts_line[1], expect))
if not rows:
    problems.append("no row at all")
report("catalogue.format", problems)

# ---- every reference resolves ---------------------------------------------------

WORD = r"(?<![A-Za-z0-9_.-])%s(?![A-Za-z0-9_-]|\.[A-Za-z0-9])"
VAR = re.compile(r"\$\{[^}]*\}|\$[A-Za-z_][A-Za-z0-9_]*")
texts, templates = {}, {}


def text(path):
    if path not in texts:
        with open(path, encoding="utf-8", errors="replace") as f:
            texts[path] = f.read()
    return texts[path]


def has_word(path, w):
    return re.search(WORD % re.escape(w), text(path)) is not None


def loop_templates(path):
    """Double-quoted strings and bare words with a variable (case names
    built in a loop) as regexes; a leading 'suite: ' label is dropped."""
    if path not in templates:
        out = []
        strings = [m.group(1) for m in
                   re.finditer(r'"((?:[^"\\\n]|\\.)*)"', text(path))]
        # and bare words: check huge-$col
        strings += re.findall(r"""[^\s"'`;|&()<>]*\$[^\s"'`;|&()<>]*""",
                              text(path))
        for s in strings:
            if "$" not in s or "$(" in s:
                continue
            s = re.sub(r"^[a-z-]+: ", "", s)
            parts = VAR.split(s)
            lit = "".join(parts)
            if len(VAR.findall(s)) == 0 or len(lit) < 4:
                continue
            rx = "(.+?)".join(re.escape(p) for p in parts)
            out.append(re.compile(rx))
        templates[path] = out
    return templates[path]


def find_case(script, case):
    path = os.path.join(tests, script)
    base = os.path.basename(script)
    if base == "t-rules.sh":
        return os.path.isdir(os.path.join(tests, "rules", "cases", case))
    if base == "t-schema.sh":
        m = re.fullmatch(r"schema\.([a-z-]+)\.([A-Za-z0-9_.-]+)", case)
        return m is not None and os.path.isfile(os.path.join(
            tests, "schema", "corpus", m.group(1), m.group(2) + ".json"))
    if has_word(path, case):
        return True
    for rx in loop_templates(path):
        m = rx.fullmatch(case)
        if m and all(has_word(path, g) for g in m.groups()):
            return True
    return False


for rid in order:
    n, kind, refs = rows[rid]
    problems = []
    ncases = 0
    for ref in refs:
        m = re.fullmatch(r"([A-Za-z0-9_./-]+): (.+)", ref)
        if not m:
            problems.append("%r is not `SCRIPT: CASE, CASE`" % ref)
            continue
        script, cases = m.group(1), [c.strip() for c in
                                     m.group(2).split(", ")]
        path = os.path.normpath(os.path.join(tests, script))
        if not path.startswith(tests + os.sep) or not os.path.isfile(path):
            problems.append("no script tests/%s" % script)
            continue
        for case in cases:
            ncases += 1
            if not case or not find_case(script, case):
                problems.append("%s: no case %r" % (script, case))
    if kind == "tested" and ncases == 0:
        problems.append("marked tested but names no case")
    report("catalogue.row %s" % rid, problems)

# ---- every row of the catalogue -----------------------------------------------------

if not catalogue:
    print("SKIP: catalogue.complete (../shared/hostile-inputs.md is absent;"
          " only the table's own format was checked)")
else:
    ids = []
    for line in open(catalogue, encoding="utf-8"):
        c = cells(line) if line.startswith("|") else None
        if c and ROW_ID.fullmatch(c[0]):
            ids.append(c[0])
    problems = []
    if not ids:
        problems.append("no row ids found in " + catalogue)
    for i in ids:
        if i not in rows:
            problems.append("catalogue row %s is not in the table" % i)
    for i in order:
        if i not in ids:
            problems.append("table row %s is not in the catalogue" % i)
    report("catalogue.complete (%d rows)" % len(ids), problems)

sys.exit(1 if fails else 0)
EOF
