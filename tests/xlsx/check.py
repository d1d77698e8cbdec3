#!/usr/bin/python3
"""Read an audit workbook back and check it against expectations.

    check.py NAME WORKBOOK EXPECT.json

Prints one "PASS: NAME.check" or "FAIL: NAME.check" line per check (with
detail on indented lines), as the shell suites do; exits 0 unless the
workbook cannot be read at all.  EXPECT.json holds:

    sheets        the sheet names in tab order (the evidence sheets too)
    counts        {sheet: data rows} for register sheets
    evidence      {"db": [paths], "where": SQL condition, "per_sheet": N}:
                  the evidence rows must be exactly the decisions rows of
                  those databases matching the condition, in order
    strings       [[sheet, column title, text]]: a cell holding exactly
                  this text must exist and be a string cell
    rationale     {id: {"equals": text} | {"prefix": text, "cut": true}}
"""
import json
import re
import sqlite3
import sys
import xml.etree.ElementTree as ET
import zipfile

import openpyxl

MARK = "\u2026 [truncated, see HTML]"
STATUS_FILLS = {"FFC6EFCE", "FFFFEB9C", "FFFFC7CE", "FFEDEDED"}
STATUS_COLS = {
    "Systems": {"Lane"}, "Risk register": {"Lane", "Controls"},
    "KPIs": {"Status"}, "KPI series": {"Status"}, "Findings": {"Severity"},
    "Incidents": {"State"}, "Decision rights": set(),
}
EVIDENCE = re.compile(r"^Decisions( \((\d+)\))?$")

name, path, expect_path = sys.argv[1:4]
with open(expect_path, encoding="utf-8") as f:
    want = json.load(f)


def result(check, problems):
    if problems:
        print(f"FAIL: {name}.{check}")
        for p in problems[:8]:
            print(f"    {p}")
        if len(problems) > 8:
            print(f"    ... and {len(problems) - 8} more")
    else:
        print(f"PASS: {name}.{check}")


def excel_unescape(s):
    """Text as Excel shows it: _xHHHH_ is the character HHHH."""
    return re.sub(r"_x([0-9A-Fa-f]{4})_", lambda m: chr(int(m.group(1), 16)),
                  s)


def units(s):
    """Length in UTF-16 code units, as Excel counts a cell's characters."""
    return len(s.encode("utf-16-le")) // 2


def headers(ws):
    return [c.value for c in ws[1]]


def col_index(ws, title):
    h = headers(ws)
    return h.index(title) if title in h else None


def data_rows(ws):
    return ws.iter_rows(min_row=2)


# ---- every part is well-formed UTF-8 XML (openpyxl's lxml would recover) ---

problems = []
try:
    with zipfile.ZipFile(path) as z:
        for part in z.namelist():
            if not part.endswith((".xml", ".rels")):
                continue
            data = z.read(part)
            try:
                data.decode("utf-8")
                ET.fromstring(data)
            except (UnicodeDecodeError, ET.ParseError) as e:
                problems.append(f"{part}: {e}")
    wb = openpyxl.load_workbook(path)
except Exception as e:  # a missing or unreadable workbook
    result("xml", [f"{path}: {e}"])
    sys.exit(0)
result("xml", problems)

# ---- sheets, headers, panes, filters, widths -------------------------------

problems = []
names = wb.sheetnames
if names != want["sheets"]:
    problems.append(f"sheets {names}, expected {want['sheets']}")
for ws in wb.worksheets:
    h = ws[1]
    if not h or h[0].value is None:
        problems.append(f"{ws.title}: no header row")
        continue
    if not all(c.font.b for c in h if c.value is not None):
        problems.append(f"{ws.title}: header row not bold")
    if ws.freeze_panes != "A2":
        problems.append(f"{ws.title}: panes frozen at {ws.freeze_panes}")
    if ws.title == "Cover":
        continue
    last = openpyxl.utils.get_column_letter(len(h))
    ref = f"A1:{last}{max(ws.max_row, 1)}"
    if ws.auto_filter.ref != ref:
        problems.append(f"{ws.title}: autofilter {ws.auto_filter.ref}, "
                        f"expected {ref}")
    for i in range(1, len(h) + 1):
        letter = openpyxl.utils.get_column_letter(i)
        dim = ws.column_dimensions.get(letter)
        # openpyxl groups equal neighbours under the first letter.
        if dim is None or not dim.customWidth:
            if not any(d.min <= i <= d.max and d.customWidth
                       for d in ws.column_dimensions.values()):
                problems.append(f"{ws.title}: column {letter} has no width")
result("sheets-headers", problems)

# ---- row counts ------------------------------------------------------------

problems = []
for sheet, n in want.get("counts", {}).items():
    if sheet not in wb.sheetnames:
        problems.append(f"{sheet}: missing")
        continue
    got = wb[sheet].max_row - 1
    if got != n:
        problems.append(f"{sheet}: {got} rows, expected {n}")
result("row-counts", problems)

# ---- no formula anywhere, hostile text kept as strings ---------------------

problems = []
for ws in wb.worksheets:
    for row in ws.iter_rows():
        for c in row:
            if c.data_type == "f":
                problems.append(f"{ws.title}!{c.coordinate}: a formula "
                                f"{c.value!r}")
with zipfile.ZipFile(path) as z:
    for part in z.namelist():
        if part.startswith("xl/worksheets/") and b"<f>" in z.read(part):
            problems.append(f"{part}: holds a <f> element")
for sheet, title, text in want.get("strings", []):
    ws = wb[sheet]
    ci = col_index(ws, title)
    if ci is None:
        problems.append(f"{sheet}: no column {title!r}")
        continue
    cells = [r[ci] for r in data_rows(ws) if r[ci].value is not None and
             excel_unescape(str(r[ci].value)) == text]
    if not cells:
        problems.append(f"{sheet}/{title}: no cell {text!r}")
    for c in cells:
        if c.data_type != "s":
            problems.append(f"{sheet}!{c.coordinate}: type {c.data_type}")
result("strings-stay-text", problems)

# ---- links resolve to an existing sheet and row ----------------------------

problems = []
nlinks = 0
for ws in wb.worksheets:
    for row in ws.iter_rows():
        for c in row:
            if c.hyperlink is None:
                continue
            nlinks += 1
            loc = c.hyperlink.location or ""
            m = re.fullmatch(r"'([^']+)'!A(\d+)", loc)
            if c.hyperlink.target or not m:
                problems.append(f"{ws.title}!{c.coordinate}: link "
                                f"{c.hyperlink.target or loc!r}")
                continue
            to, r = m.group(1), int(m.group(2))
            if to not in wb.sheetnames or r > wb[to].max_row:
                problems.append(f"{ws.title}!{c.coordinate}: {loc} points "
                                f"nowhere")
            elif r == 1:
                # The cover's contents: a sheet's top.
                if ws.title != "Cover" or c.value != to:
                    problems.append(f"{ws.title}!{c.coordinate}: "
                                    f"{c.value!r} links to {loc}")
            elif to == "Systems" and wb[to].cell(r, 1).value != c.value:
                problems.append(f"{ws.title}!{c.coordinate}: {c.value!r} "
                                f"links to {wb[to].cell(r, 1).value!r}")
            elif to == "KPI series":
                kpi = ws.cell(c.row, 2).value
                if wb[to].cell(r, 2).value != kpi:
                    problems.append(f"{ws.title}!{c.coordinate}: series "
                                    f"of {kpi!r} at {loc}")
if nlinks == 0:
    problems.append("no links at all")
for sheet in ("Owners", "Decision rights", "Risk register", "KPIs"):
    ws = wb[sheet]
    for row in data_rows(ws):
        if row[0].value is not None and row[0].hyperlink is None:
            problems.append(f"{sheet}!{row[0].coordinate}: system id "
                            f"without a link")
toc = [c.value for c in wb["Cover"]["A"] if c.hyperlink is not None]
if toc != wb.sheetnames[1:]:
    problems.append(f"the cover lists {toc}")
result("links-resolve", problems)

# ---- status cells: a fixed fill and the word -------------------------------

problems = []
for ws in wb.worksheets:
    for ci, title in enumerate(headers(ws)):
        if title not in STATUS_COLS.get(ws.title, ()):
            continue
        for row in data_rows(ws):
            c = row[ci]
            if c.value is None:
                continue
            fill = c.fill.fgColor.rgb if c.fill.fill_type == "solid" else None
            if fill not in STATUS_FILLS:
                problems.append(f"{ws.title}!{c.coordinate}: {c.value!r} "
                                f"fill {fill}")
            if not isinstance(c.value, str) or not c.value.strip():
                problems.append(f"{ws.title}!{c.coordinate}: no word")
result("status-fills", problems)

# ---- the evidence: every row, in order, typed ------------------------------

ev = want.get("evidence")
if ev is not None:
    problems = []
    sheets = [ws for ws in wb.worksheets if EVIDENCE.match(ws.title)]
    rows = []
    for ws in sheets:
        n = ws.max_row - 1
        if ev.get("per_sheet") and ws is not sheets[-1] and \
                n != ev["per_sheet"]:
            problems.append(f"{ws.title}: {n} rows, expected "
                            f"{ev['per_sheet']}")
        if headers(ws)[:4] != ["System", "id", "ts", "system"] or \
                headers(ws)[-1] != "rationale":
            problems.append(f"{ws.title}: header {headers(ws)}")
        rows.extend(data_rows(ws))
    expected = []
    for db in ev["db"]:
        con = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
        con.text_factory = bytes
        q = ("SELECT id, ts, confidence, amount, typeof(ts) FROM decisions "
             f"WHERE {ev['where']} ORDER BY id")
        expected.extend(con.execute(q).fetchall())
        con.close()
    got = [r[1].value for r in rows]
    want_ids = [e[0] for e in expected]
    if got != want_ids:
        at = next((i for i, (a, b) in enumerate(zip(got, want_ids))
                   if a != b), min(len(got), len(want_ids)))
        problems.append(f"{len(got)} evidence rows, expected "
                        f"{len(want_ids)}; first difference at row {at}")
    result("evidence-every-row", problems)

    problems = []
    h = headers(sheets[0])
    ts_i, conf_i, amt_i = h.index("ts"), h.index("confidence"), \
        h.index("amount")
    for r, e in zip(rows, expected):
        ts = r[ts_i]
        if re.match(rb"^\d{4}-\d\d-\d\dT\d\d:\d\d", e[1] or b""):
            if not ts.is_date or ts.number_format != "yyyy-mm-dd hh:mm:ss":
                problems.append(f"{ts.coordinate}: ts {ts.value!r} "
                                f"({ts.number_format})")
        for c, v, fmt in ((r[conf_i], e[2], "0.0%"),
                          (r[amt_i], e[3], "#,##0.00")):
            if isinstance(v, bytes):
                if c.value != "(invalid value)":
                    problems.append(f"{c.coordinate}: {c.value!r} for "
                                    f"{v!r}")
            elif v is None:
                if c.value is not None:
                    problems.append(f"{c.coordinate}: {c.value!r} for NULL")
            elif fmt == "0.0%" and not 0 <= v <= 1:
                # Out of range: the number, marked.
                if c.value != v or c.fill.fgColor.rgb != "FFFFEB9C":
                    problems.append(f"{c.coordinate}: {c.value!r} for "
                                    f"{v}, unmarked")
            elif c.data_type != "n" or abs(c.value - v) > 1e-9 or \
                    c.number_format != fmt:
                problems.append(f"{c.coordinate}: {c.value!r} "
                                f"({c.number_format}), expected {v}")
    result("evidence-types", problems)

    problems = []
    ra = h.index("rationale")
    by_id = {r[1].value: r[ra] for r in rows}
    for rid, spec in want.get("rationale", {}).items():
        c = by_id.get(int(rid))
        if c is None:
            problems.append(f"row {rid}: missing")
            continue
        text = excel_unescape(c.value or "")
        if c.value is not None and c.data_type != "s":
            problems.append(f"row {rid}: type {c.data_type}")
        if units(c.value or "") > 32767:
            problems.append(f"row {rid}: {units(c.value)} units")
        if "equals" in spec and text != spec["equals"]:
            problems.append(f"row {rid}: {text[:60]!r}..., expected "
                            f"{spec['equals'][:60]!r}...")
        if "prefix" in spec and not text.startswith(spec["prefix"]):
            problems.append(f"row {rid}: does not start {spec['prefix']!r}")
        if spec.get("cut") and not (c.value or "").endswith(MARK):
            problems.append(f"row {rid}: no truncation marker")
        if spec.get("cut") is False and (c.value or "").endswith(MARK):
            problems.append(f"row {rid}: truncated")
    result("evidence-text", problems)
