#!/bin/sh
# charter export xlsx: the audit workbook read back with openpyxl
# (tests/xlsx/check.py): every sheet with a bold, frozen, filtered header
# row; row counts equal to the model's, the findings' and the databases';
# hostile text (formula-looking YAML and log values, invalid UTF-8,
# control characters, "_xHHHH_", cells at and past 32,767 characters) kept
# as inert strings; real dates and numbers; links that resolve; the
# evidence continued on "Decisions (2)", ... with no row lost; the limit
# log-value applied to rationale; byte-identical repeated exports; and a
# full disk (a file-size limit) failing with exit 4, never a damaged file.
#
# The sheet split relies on CHARTER_TEST_SHEET_ROWS, which the CLI reads
# for tests only (evidence rows per sheet; Excel's limit is too big to
# reach here).
#
#   sh tests/t-xlsx.sh
. "$(cd "$(dirname "$0")" && pwd)/lib.sh"

AS_OF=2026-11-22
S=$(scratch xlsx)
CHECK=$TOP/tests/xlsx/check.py
R=$S/repo
DB=$R/logs/invoice-triage.db

if ! "$CHARTER" export xlsx --help >"$S/help" 2>&1 ||
    ! grep -q -- '--system' "$S/help"; then
	fail xlsx.cli "'charter export xlsx --help' failed: this suite needs" \
	    "charter export xlsx --content DIR --out FILE [--system ID]" \
	    "[--as-of DATE]" "$(head -3 "$S/help")"
	exit 0
fi
if ! "$PY" -c 'import openpyxl' 2>/dev/null; then
	fail xlsx.openpyxl "$PY cannot import openpyxl:" \
	    "apt-get install python3-openpyxl (make test-deps)"
	exit 0
fi
pass xlsx.cli

# ---- the fixture: tests/rules/base with hostile values ---------------------

# The second system reads the same database under its own key, so the
# evidence interleaves two systems' rows in rowid order.
mkdir -p "$R" && (cd "$TOP/tests/rules/base" && tar cf - --exclude='*.db' .) |
    (cd "$R" && tar xf -)
"$PY" - "$R/systems" <<'EOF'
import sys
d = sys.argv[1]
p = f"{d}/invoice-triage.yaml"
s = open(p, encoding="utf-8").read()
s = s.replace("name: Invoice exception triage",
              'name: "=HYPERLINK(\\"http://x\\",\\"y\\")"\n'
              "summary: \"+cmd|' /C calc'!A0\"")
s = s.replace("name: AP cost per invoice", 'name: "@SUM(1)"')
s = s.replace("  - exception: missing-po\n",
              '  - exception: missing-po\n    description: "-2+3"\n')
open(p, "w", encoding="utf-8").write(s)
p = f"{d}/cv-screening.yaml"
s = open(p, encoding="utf-8").read()
s += ('summary: "\\t=1+1"\n'
      "log:\n  database: logs/invoice-triage.db\n  system_key: cv\n"
      "  retention_days: 3650\n")
open(p, "w", encoding="utf-8").write(s)
EOF
mklog "$R" || fail xlsx.setup "cannot make the log"
sqlite3 -bail "$DB" <<'EOF' || fail xlsx.setup "cannot fill the log"
INSERT INTO decisions (id, ts, system, case_ref, exception, actor, action,
    mode, confidence, amount, reviewer, corrected, cycle_seconds, cost,
    rationale) VALUES
 (100, '2026-11-21T10:00:00Z', 'invoice-triage', '=1+2', '@SUM(A1)',
  'agent', 'escalated', 'live', 0.5, -120.5, '-2', 0, 3, 0.1,
  CAST(X'ff' AS TEXT)),
 (101, '2026-11-21T10:01:00Z', 'invoice-triage', 'c', NULL, 'agent',
  'escalated', 'live', 0.5, 1, NULL, 0, 3, 0.1, hex(zeroblob(20000))),
 (102, '2026-11-21T10:02:00Z', 'cv', 'c', NULL, 'agent', 'escalated',
  'live', 0.5, 1, NULL, 0, 3, 0.1, substr(hex(zeroblob(16384)), 1, 32767)),
 (103, '2026-11-21T10:03:00Z', 'cv', 'c', NULL, 'agent', 'escalated',
  'live', 0.5, 1, NULL, 0, 3, 0.1, substr(hex(zeroblob(16384)), 1, 32768)),
 (104, '2026-11-21T10:04:00Z', 'cv', 'c', NULL, 'agent', 'escalated',
  'live', 0.5, 1, NULL, 0, 3, 0.1,
  replace(hex(zeroblob(16384)), '00', char(128512))),
 (105, '2026-11-21T10:05:00Z', 'cv', 'c', NULL, 'agent', 'escalated',
  'live', 0.5, 1, NULL, 0, 3, 0.1,
  replace(hex(zeroblob(16383)), '00', char(128512)) || 'a'),
 (106, '2026-11-21T10:06:00Z', 'invoice-triage', 'c', NULL, 'agent',
  'escalated', 'live', 0.5, 1, NULL, 0, 3, 0.1, '_x0041_ and _x00e9_'),
 (107, '2026-11-21T10:07:00Z', 'invoice-triage', char(9) || '=1', NULL,
  'agent', 'escalated', 'live', 0.5, 1, NULL, 0, 3, 0.1,
  'a' || char(1) || 'b' || char(9) || 'c' || char(10) || 'd' || char(13)
  || char(65534)),
 (108, '2026-11-21T10:08:00Z', 'nobody', 'c', NULL, 'agent', 'escalated',
  'live', 0.5, 1, NULL, 0, 3, 0.1, 'not in scope'),
 (109, 'yesterday', 'cv', char(13) || '=1', NULL, 'robot', 'escalated',
  'live', 'high', NULL, NULL, 0, 3, 0.1, NULL),
 (110, '2026-11-21T10:10:00+02:00', 'cv', 'c', NULL, 'agent', 'escalated',
  'live', 1.5, 7, NULL, 0, -3, 0.1, 'out of range'),
 (111, '2026-11-21T10:11:00Z', 'cv', 'INV-' || char(8238) || 'fdp.exe', NULL,
  'agent', 'escalated', 'live', 0.5, 1, NULL, 0, 3, 0.1,
  'ok' || char(8203) || char(65279) || ' ' || char(8294) || 'x' ||
  char(8297));
INSERT INTO incidents (id, system, opened, severity, serious, summary,
    reported) VALUES
 (1, 'invoice-triage', '2026-11-01', 'high', 1, '=evil()', NULL),
 (2, 'cv', '2026-10-01T08:00:00Z', 'low', 0, 'minor', '2026-10-02');
WITH RECURSIVE n(i) AS (SELECT 1000 UNION ALL SELECT i + 1 FROM n
    WHERE i < 20999)
INSERT INTO decisions (id, ts, system, case_ref, actor, action, mode,
    confidence, amount, corrected, cycle_seconds, cost, input_ref, rationale)
SELECT i, printf('2026-11-%02dT%02d:%02d:00Z', 1 + i % 20, i % 24, i % 60),
    CASE i % 3 WHEN 0 THEN 'cv' WHEN 1 THEN 'invoice-triage'
    ELSE 'nobody' END, 'case-' || i, 'agent', 'escalated', 'live',
    CASE WHEN i % 7 = 0 THEN NULL ELSE (i % 100) / 100.0 END, i * 1.25, 0,
    5, 0.05, 'in:' || i, 'row ' || i
FROM n;
EOF

# The databases' own counts.
WHERE="system IN ('invoice-triage', 'cv')"
ROWS=$(sqlite3 "$DB" "SELECT count(*) FROM decisions WHERE $WHERE")
CV_ROWS=$(sqlite3 "$DB" "SELECT count(*) FROM decisions WHERE system = 'cv'")
INCIDENTS=$(sqlite3 "$DB" "SELECT count(*) FROM incidents WHERE $WHERE")
FINDINGS=$("$CHARTER" check --content "$R" --as-of $AS_OF --format json |
    "$PY" -c 'import json, sys; print(len(json.load(sys.stdin)["findings"]))')

# expect FILE SYSTEMS FINDINGS INCIDENTS WHERE PER_SHEET ROWS: EXPECT.json
expect() {
	"$PY" - "$@" "$DB" <<'EOF'
import json, sys
out, nsys, nfind, ninc, where, per, rows, db = sys.argv[1:9]
nsys, per, rows = int(nsys), int(per), int(rows)
base = ["Cover", "Systems", "Owners", "Decision rights", "Decision tables",
        "Risk register", "KPIs", "KPI series", "Findings", "Incidents"]
nev = max(1, -(-rows // per)) if per else 1
ev = ["Decisions"] + [f"Decisions ({i})" for i in range(2, nev + 1)]
mark = "\u2026 [truncated, see HTML]"
e = {
    "sheets": base + ev,
    "counts": {"Systems": nsys, "Owners": nsys, "Risk register": nsys,
               "Decision rights": 7 * nsys, "Findings": int(nfind),
               "Incidents": int(ninc)},
    "evidence": {"db": [db], "where": where, "per_sheet": per},
}
if nsys == 2:
    e["counts"].update({"Decision tables": 2, "KPIs": 2})
    e["strings"] = [
        ["Systems", "Name", '=HYPERLINK("http://x","y")'],
        ["Systems", "Summary", "+cmd|' /C calc'!A0"],
        ["Systems", "Summary", "\t=1+1"],
        ["KPIs", "Name", "@SUM(1)"],
        ["Decision tables", "Description", "-2+3"],
        ["Incidents", "Summary", "=evil()"],
        ["Decisions", "case_ref", "=1+2"],
        ["Decisions", "case_ref", "\t=1"],
        ["Decisions", "case_ref", "=1"],
        ["Decisions", "exception", "@SUM(A1)"],
        ["Decisions", "reviewer", "-2"],
        ["Decisions", "ts", "yesterday"],
        ["Decisions", "actor", "(invalid value)"],
        ["Decisions", "confidence", "(invalid value)"],
        ["Decisions", "case_ref", "INV-[U+202E]fdp.exe"],
    ]
    e["rationale"] = {
        "100": {"equals": "\ufffd"},
        "101": {"prefix": "0" * 32000, "cut": True},
        "102": {"equals": "0" * 32767, "cut": False},
        "103": {"prefix": "0" * 32000, "cut": True},
        "104": {"prefix": "\U0001F600" * 16000, "cut": True},
        "105": {"equals": "\U0001F600" * 16383 + "a", "cut": False},
        "106": {"equals": "_x0041_ and _x00e9_"},
        "107": {"equals": "ab\tc\nd\ufffd"},
        "111": {"equals": "ok[U+200B][U+FEFF] [U+2066]x[U+2069]"},
        "1000": {"equals": "row 1000"},
    }
json.dump(e, open(out, "w", encoding="utf-8"))
EOF
}

# ---- every system ----------------------------------------------------------

"$CHARTER" export xlsx --content "$R" --out "$S/all.xlsx" --as-of $AS_OF \
    2>"$S/err"
rc=$?
if [ "$rc" -eq 0 ] && [ -s "$S/all.xlsx" ] && [ ! -s "$S/err" ]; then
	pass xlsx.export
else
	fail xlsx.export "exit $rc (expected 0, nothing on stderr)" \
	    "$(head -5 "$S/err")"
fi
expect "$S/all.json" 2 "$FINDINGS" "$INCIDENTS" "$WHERE" 0 "$ROWS"
"$PY" "$CHECK" xlsx.all "$S/all.xlsx" "$S/all.json" ||
    fail xlsx.all.check "tests/xlsx/check.py failed"

# The cover names the libxlsxwriter that wrote the bytes (catalogue G6),
# the version of the headers Charter was built against.
LXW=$(sed -n 's/^#define LXW_VERSION "\(.*\)"$/\1/p' \
    "$(pkg-config --variable=includedir xlsxwriter)/xlsxwriter.h")
VER=$("$CHARTER" --version | sed -n '1s/^charter //p')
got=$("$PY" - "$S/all.xlsx" <<'EOF'
import sys, openpyxl
ws = openpyxl.load_workbook(sys.argv[1], read_only=True)["Cover"]
print(next((r[1] for r in ws.iter_rows(values_only=True)
            if r[0] == "Generated by"), None))
EOF
)
if [ -n "$LXW" ] && [ "$got" = "Charter $VER (libxlsxwriter $LXW)" ]; then
	pass xlsx.cover-library-version
else
	fail xlsx.cover-library-version "cover: '$got'" \
	    "expected 'Charter $VER (libxlsxwriter $LXW)'"
fi

# Bidi controls and invisible characters (row 111) are shown, never
# applied: no part of the workbook holds one raw (catalogue A10).
if "$PY" - "$S/all.xlsx" <<'EOF'
import re, sys, zipfile
bad = re.compile("[\u061c\u180e\u200b-\u200f\u2028-\u202e\u2060-\u2064"
                 "\u2066-\u206f\ufeff]")
z = zipfile.ZipFile(sys.argv[1])
text = "".join(z.read(n).decode("utf-8") for n in z.namelist()
               if n.endswith(".xml"))
sys.exit(bad.search(text) is not None or
         "INV-[U+202E]fdp.exe" not in text or
         "ok[U+200B][U+FEFF] [U+2066]x[U+2069]" not in text)
EOF
then
	pass xlsx.invisible-marked
else
	fail xlsx.invisible-marked "a raw invisible character, or no marker"
fi

# Written twice, from another folder and time zone: the same bytes.
(cd /tmp && TZ=Asia/Tokyo "$CHARTER" export xlsx --content "$R" \
    --out "$S/again.xlsx" --as-of $AS_OF 2>/dev/null)
if cmp -s "$S/all.xlsx" "$S/again.xlsx"; then
	pass xlsx.deterministic
else
	fail xlsx.deterministic "two exports differ"
fi
if unzip -p "$S/all.xlsx" docProps/core.xml 2>/dev/null |
    grep -q '<dcterms:created [^>]*>2026-11-22T00:00:00Z<'; then
	pass xlsx.created-as-of
else
	fail xlsx.created-as-of "docProps/core.xml does not say 2026-11-22"
fi

# ---- one system ------------------------------------------------------------

"$CHARTER" export xlsx --content "$R" --out "$S/cv.xlsx" --as-of $AS_OF \
    --system cv-screening 2>"$S/err"
rc=$?
if [ "$rc" -eq 0 ] && [ ! -s "$S/err" ]; then
	pass xlsx.export-system
else
	fail xlsx.export-system "exit $rc" "$(head -5 "$S/err")"
fi
CV_FINDINGS=$("$PY" - "$S/cv.xlsx" <<'EOF'
import openpyxl, sys
ws = openpyxl.load_workbook(sys.argv[1])["Findings"]
print(sum(1 for r in ws.iter_rows(min_row=2) if r[2].value != "cv-screening"))
EOF
)
if [ "$CV_FINDINGS" = 0 ]; then
	pass xlsx.system-findings-only
else
	fail xlsx.system-findings-only "$CV_FINDINGS findings of other systems"
fi
CV_INC=$(sqlite3 "$DB" "SELECT count(*) FROM incidents WHERE system = 'cv'")
CV_NF=$("$PY" - "$S/cv.xlsx" <<'EOF'
import openpyxl, sys
print(openpyxl.load_workbook(sys.argv[1])["Findings"].max_row - 1)
EOF
)
expect "$S/cv.json" 1 "$CV_NF" "$CV_INC" "system = 'cv'" 0 "$CV_ROWS"
"$PY" "$CHECK" xlsx.system "$S/cv.xlsx" "$S/cv.json" ||
    fail xlsx.system.check "tests/xlsx/check.py failed"

# ---- past the rows of one sheet --------------------------------------------

CHARTER_TEST_SHEET_ROWS=5000 "$CHARTER" export xlsx --content "$R" \
    --out "$S/split.xlsx" --as-of $AS_OF 2>"$S/err"
rc=$?
if [ "$rc" -eq 0 ] && [ ! -s "$S/err" ]; then
	pass xlsx.export-split
else
	fail xlsx.export-split "exit $rc" "$(head -5 "$S/err")"
fi
expect "$S/split.json" 2 "$FINDINGS" "$INCIDENTS" "$WHERE" 5000 "$ROWS"
"$PY" "$CHECK" xlsx.split "$S/split.xlsx" "$S/split.json" ||
    fail xlsx.split.check "tests/xlsx/check.py failed"

# ---- the limit log-value holds for rationale too ---------------------------

# 40,000 bytes in row 101's rationale, which the evidence pass reads only
# when it feeds a workbook.
"$CHARTER" export xlsx --content "$R" --out "$S/limit.xlsx" --as-of $AS_OF \
    --limit log-value=30000 2>"$S/err"
rc=$?
if [ "$rc" -eq 3 ] && [ ! -e "$S/limit.xlsx" ] &&
    grep -q "decisions:101:.*'rationale'.*\[log.limit\]" "$S/err"; then
	pass xlsx.rationale-limit
else
	fail xlsx.rationale-limit "exit $rc (expected 3, log.limit, row 101)" \
	    "$(ls -a "$S" | grep limit)" "$(head -5 "$S/err")"
fi
# ---- a disk that fills up --------------------------------------------------

# A file-size limit (SIGXFSZ ignored, so writes fail with EFBIG) stands in
# for a full disk: small, so the sheet data fail; and just under the
# biggest part's size, so its data fit but libxlsxwriter's temporary copy
# of the whole part, which it never checks, is cut short.  Either way: no
# workbook and exit 4, never a damaged file and exit 0.
# ulimit -f counts 512-byte blocks in sh (POSIX).
PART_BLOCKS=$("$PY" -c 'import sys, zipfile
print(max(i.file_size for i in zipfile.ZipFile(sys.argv[1]).infolist())
    // 512)' "$S/all.xlsx")
for t in early:128 late:$PART_BLOCKS; do
	blocks=${t#*:}
	(trap '' XFSZ; ulimit -f "$blocks"; exec "$CHARTER" export xlsx \
	    --content "$R" --out "$S/full.xlsx" --as-of $AS_OF) 2>"$S/err"
	rc=$?
	cp "$S/err" "$S/err-${t%:*}"
	if [ "$rc" -eq 4 ] && [ ! -e "$S/full.xlsx" ] &&
	    grep -q "cannot write the workbook" "$S/err"; then
		pass "xlsx.disk-full-${t%:*}"
	else
		fail "xlsx.disk-full-${t%:*}" "exit $rc (expected 4, no file)" \
		    "$(head -5 "$S/err")"
	fi
done

# ---- a signal while the logs are read ------------------------------------

# The workbook is written while the evidence pass reads the logs, inside
# the build's temporary folder: a SIGTERM then (the folder already holds
# audit.xlsx's temporary sheet data) stops the build, removes the folder
# and leaves the previous out/ as it was.
G=$S/big
mkdir -p "$G" && (cd "$TOP/tests/rules/base" && tar cf - --exclude='*.db' \
    --exclude='*.sql' .) | (cd "$G" && tar xf -)
"$CHARTER" log sample --content "$G" --as-of $AS_OF --days 365 \
    --rows 400000 --quiet 2>"$S/err" ||
    fail xlsx.setup "cannot make the big log" "$(head -3 "$S/err")"
"$CHARTER" build --content "$G" --out "$S/sig-out" --as-of $AS_OF \
    --no-logs -q 2>/dev/null
before=$(cd "$S/sig-out" && find . -type f -exec sha256sum {} + | sort)
"$CHARTER" build --content "$G" --out "$S/sig-out" --as-of $AS_OF -q \
    >/dev/null 2>"$S/err" &
pid=$!
n=0
while [ $n -lt 200 ] && ! ls "$S"/.sig-out.tmp.*/audit.xlsx >/dev/null 2>&1
do
	sleep 0.05
	n=$((n + 1))
done
sleep 0.3
kill -TERM $pid
wait $pid
rc=$?
after=$(cd "$S/sig-out" && find . -type f -exec sha256sum {} + | sort)
if [ "$rc" -eq 143 ] && [ "$before" = "$after" ] &&
    grep -q "interrupted by signal 15" "$S/err" &&
    [ -z "$(find "$S" -maxdepth 1 -name '.sig-out.tmp.*')" ]; then
	pass xlsx.sigterm-reading-logs
else
	fail xlsx.sigterm-reading-logs "exit $rc (expected 143)" \
	    "$(head -5 "$S/err")" "$(ls -a "$S" | grep sig-out)"
fi
rm -rf "$G"

if [ -z "$(find "$S" -maxdepth 1 -name '.*.tmp.*')" ]; then
	pass xlsx.no-temp-left
else
	fail xlsx.no-temp-left "$(ls -a "$S")"
fi

exit 0
