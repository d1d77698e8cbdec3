#!/usr/bin/python3
"""Known-answer test of `charter metrics`: every built-in metric, computed
independently here with SQL and Python over a random decision log, for the
whole window, each exception category and each day, ISO week and month.

    check.py CHARTER BASE WORK

BASE is tests/rules/base (its system invoice-triage has the decision table
price-mismatch: may resolve, min_confidence 0.9, max_amount 1000;
missing-po: may not).  Prints PASS:/FAIL: lines.
"""
import json
import math
import os
import random
import shutil
import sqlite3
import subprocess
import sys

CHARTER, BASE, WORK = sys.argv[1:4]
AS_OF = "2026-11-22"
failures = 0


def report(ok, name, detail=""):
    global failures
    if ok:
        print("PASS: " + name)
    else:
        failures += 1
        print("FAIL: " + name + (": " + detail if detail else ""))


shutil.rmtree(WORK, ignore_errors=True)
shutil.copytree(BASE, WORK)
os.remove(os.path.join(WORK, "logs", "invoice-triage.db.sql"))
db = os.path.join(WORK, "logs", "invoice-triage.db")
subprocess.run([CHARTER, "log", "init", db], check=True,
               stdout=subprocess.DEVNULL)

rnd = random.Random(20261122)
ACTIONS = ["auto_resolved", "escalated", "requested_info", "approved",
           "rejected"]


def maybe(p, v):
    return v if rnd.random() < p else None


rows = []
for i in range(1, 4001):
    day = rnd.randrange(0, 113)           # 2026-08-01 .. 2026-11-21
    if i % 500 == 0:
        day = 114 + rnd.randrange(0, 5)   # after the as-of date
    ts = "2026-08-01T00:00:00"
    base_day = 20666                      # days since epoch of 2026-08-01
    import datetime
    d = datetime.date(2026, 8, 1) + datetime.timedelta(days=day)
    ts = "%sT%02d:%02d:%02dZ" % (d.isoformat(), rnd.randrange(24),
                                 rnd.randrange(60), rnd.randrange(60))
    actor = rnd.choice(["agent", "agent", "agent", "human"])
    mode = "live" if rnd.random() < 0.8 else "shadow"
    rows.append((
        i, ts, "invoice-triage", maybe(0.97, "C-%d" % i),
        rnd.choice([None, None, "price-mismatch", "missing-po",
                    "currency"]),
        actor, rnd.choice(ACTIONS), mode,
        maybe(0.9, round(rnd.random(), 3)),
        maybe(0.8, round(rnd.random() * 3000, 2)),
        maybe(0.95, "m-1"), maybe(0.3 if actor == "agent" else 0.95,
                                  "m.kaya"),
        rnd.choice([None] + ACTIONS) if mode == "shadow" else None,
        1 if rnd.random() < 0.05 else 0,
        maybe(0.9, round(rnd.lognormvariate(3, 2), 3)),
        maybe(0.9, round(rnd.random() * 5, 4)),
        maybe(0.97, "in:%d" % i), "r"))
con = sqlite3.connect(db)
con.executemany("INSERT INTO decisions VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,"
                "?,?,?,?)", rows)
con.commit()
con.close()

out = subprocess.run([CHARTER, "metrics", "--content", WORK, "--as-of",
                      AS_OF, "--system", "invoice-triage", "--format",
                      "json"], capture_output=True, text=True)
report(out.returncode == 0, "metrics.exit", out.stderr[-400:])
doc = json.loads(out.stdout)
sysdoc = doc["systems"][0]

# --- the independent computation -------------------------------------------
con = sqlite3.connect(db)
con.row_factory = sqlite3.Row
all_rows = [r for r in con.execute("SELECT * FROM decisions ORDER BY id")
            if r["ts"][:10] <= AS_OF]
TABLE = {"price-mismatch": (True, 0.9, 1000), "missing-po": (False, None,
                                                             None)}


def breach(r):
    if not (r["mode"] == "live" and r["actor"] == "agent" and
            r["action"] == "auto_resolved" and r["exception"] in TABLE):
        return False
    may, minc, maxa = TABLE[r["exception"]]
    if not may:
        return True
    if minc is not None and (r["confidence"] is None or
                             r["confidence"] < minc):
        return True
    # Fails closed: a missing amount where the table sets max_amount.
    return maxa is not None and (r["amount"] is None or r["amount"] > maxa)


def complete(r):
    return (r["case_ref"] is not None and r["input_ref"] is not None and
            not (r["actor"] == "agent" and r["model_version"] is None) and
            not (r["actor"] == "human" and r["reviewer"] is None))


def nearest_rank(vals, q):
    vals = sorted(vals)
    if not vals:
        return None
    k = max(1, math.ceil(q * len(vals) - 1e-9))
    return vals[k - 1]


def ratio(a, b):
    return a / b if b else None


def expected(rs):
    live = [r for r in rs if r["mode"] == "live"]
    exc = [r for r in live if r["exception"] is not None]
    sh = [r for r in rs if r["mode"] == "shadow" and r["actor"] == "agent"
          and r["human_action"] in ACTIONS]
    cyc = [r["cycle_seconds"] for r in live if r["cycle_seconds"] is not None]
    cost = [r["cost"] for r in live if r["cost"] is not None]
    return {
        "volume": len(live),
        "exception_rate": ratio(len(exc), len(live)),
        "autonomous_rate": ratio(sum(1 for r in exc if r["actor"] == "agent"
                                     and r["action"] == "auto_resolved"),
                                 len(exc)),
        "escalation_rate": ratio(sum(r["action"] == "escalated"
                                     for r in live), len(live)),
        "info_request_rate": ratio(sum(r["action"] == "requested_info"
                                       for r in live), len(live)),
        "human_review_rate": ratio(sum(r["actor"] == "human" or
                                       r["reviewer"] is not None
                                       for r in live), len(live)),
        "shadow_agreement": ratio(sum(r["action"] == r["human_action"]
                                      for r in sh), len(sh)),
        "error_rate": ratio(sum(r["corrected"] == 1 for r in live),
                            len(live)),
        "cycle_p50": nearest_rank(cyc, 0.5),
        "cycle_p90": nearest_rank(cyc, 0.9),
        "cost_per_case": ratio(sum(cost), len(cost)),
        "boundary_breaches": sum(breach(r) for r in rs),
        "log_completeness": ratio(sum(complete(r) for r in rs), len(rs)),
    }


def close(name, got, want):
    if want is None or got is None:
        return got is None and want is None
    if name.startswith("cycle_"):
        return abs(got - want) <= 0.01 * abs(want) + 1e-9
    return abs(got - want) <= 1e-9 * max(1, abs(want))


def compare(label, got, rs):
    want = expected(rs)
    bad = [("%s: got %r, want %r" % (k, got.get(k), want[k]))
           for k in want if not close(k, got.get(k), want[k])]
    report(not bad, label, "; ".join(bad))


compare("metrics.total", sysdoc["metrics"], all_rows)
report(sysdoc["after_as_of"] == 4001 // 500, "metrics.after-as-of",
       str(sysdoc["after_as_of"]))
report(sysdoc["decisions"] == len(all_rows), "metrics.decisions",
       "%d vs %d" % (sysdoc["decisions"], len(all_rows)))

cats = {c["exception"]: c for c in sysdoc["categories"]}
for key, label in [("price-mismatch", "price-mismatch"),
                   ("missing-po", "missing-po"), (None, "clean"),
                   ("*", "unlisted")]:
    want_rows = [r for r in all_rows if
                 (r["exception"] == key if key != "*" else
                  r["exception"] is not None and r["exception"] not in TABLE)]
    compare("metrics.category." + label, cats[key]["metrics"], want_rows)
    sh = [r for r in want_rows if r["mode"] == "shadow" and
          r["actor"] == "agent" and r["human_action"] in ACTIONS]
    report(cats[key]["shadow"]["compared"] == len(sh) and
           cats[key]["shadow"]["agreed"] ==
           sum(r["action"] == r["human_action"] for r in sh),
           "metrics.shadow-counts." + label)


def period_of(kind, ts):
    import datetime
    d = datetime.date.fromisoformat(ts[:10])
    if kind == "day":
        return ts[:10]
    if kind == "month":
        return ts[:7]
    y, w, _ = d.isocalendar()
    return "%04d-W%02d" % (y, w)


for kind in ("day", "week", "month"):
    groups = {}
    for r in all_rows:
        groups.setdefault(period_of(kind, r["ts"]), []).append(r)
    got = sysdoc["periods"][kind]
    report([p["period"] for p in got] == sorted(groups),
           "metrics.periods." + kind + ".labels")
    bad = 0
    for p in got:
        want = expected(groups.get(p["period"], []))
        if any(not close(k, p["metrics"].get(k), want[k]) for k in want):
            bad += 1
            if bad == 1:
                print("    first difference in %s %s" % (kind, p["period"]))
    report(bad == 0, "metrics.periods." + kind, "%d periods differ" % bad)

# The KPI with metric: autonomous_rate is the monthly series.
kpi = [k for k in sysdoc["kpis"] if k["id"] == "autonomous-rate"][0]
months = {}
for r in all_rows:
    months.setdefault(r["ts"][:7], []).append(r)
want = [(m, expected(months[m])["autonomous_rate"]) for m in sorted(months)]
report([(p["period"], round(p["value"], 9)) for p in kpi["series"]] ==
       [(m, round(v, 9)) for m, v in want if v is not None],
       "metrics.kpi-series")
report(kpi["latest"] is not None and abs(kpi["latest"] - want[-1][1]) < 1e-9,
       "metrics.kpi-latest")

sys.exit(1 if failures else 0)
