#!/usr/bin/python3
"""Structure checks of 'charter check --format sarif|json' output.

  check.py sarif LOG RULES_JSON VERSION EXPECT...
  check.py json  LOG TEXT_STDERR VERSION AS_OF EXPECT...
  check.py validator MULTITOOL_OUTPUT

EXPECT is RULE|FILE|LINE|COL|LEVEL: a finding that must be present exactly
once.  FILE is the SARIF artifactLocation.uri (relative, resolved against
uriBaseId %SRCROOT%) or the JSON "file".  The number of results must equal
the number of EXPECTs.  Prints one PASS:/FAIL: line per check.
"""
import json
import sys

failed = 0


def report(name, problems):
    global failed
    if problems:
        failed += 1
        print("FAIL: " + name)
        for p in problems[:10]:
            print("    " + p)
    else:
        print("PASS: " + name)


def expects(args):
    out = []
    for a in args:
        rule, path, line, col, level = a.split("|")
        out.append((rule, path, int(line), int(col), level))
    return out


def check_sarif(path, rules_path, version, want):
    probs = []
    try:
        log = json.load(open(path, encoding="utf-8"))
    except ValueError as e:
        report("sarif: output parses as JSON", [str(e)])
        return
    report("sarif: output parses as JSON", [])

    p = []
    if log.get("version") != "2.1.0":
        p.append("version is %r, not '2.1.0'" % log.get("version"))
    schema = log.get("$schema", "")
    if not (schema.startswith("https://") and
            schema.endswith(("sarif-2.1.0.json", "sarif-schema-2.1.0.json"))):
        p.append("$schema is %r" % schema)
    runs = log.get("runs")
    if not isinstance(runs, list) or len(runs) != 1:
        p.append("expected exactly one run")
        report("sarif: version, $schema, one run", p)
        return
    report("sarif: version, $schema, one run", p)
    run = runs[0]

    p = []
    driver = run.get("tool", {}).get("driver", {})
    if driver.get("name") != "charter":
        p.append("tool.driver.name is %r" % driver.get("name"))
    if driver.get("version") != version:
        p.append("tool.driver.version %r, charter --version says %r" %
                 (driver.get("version"), version))
    rules = driver.get("rules")
    if not isinstance(rules, list) or not rules:
        p.append("tool.driver.rules is missing or empty")
        rules = []
    ids = [r.get("id") for r in rules]
    if len(set(ids)) != len(ids):
        p.append("duplicate rule ids in tool.driver.rules")
    listed = [r["id"] for r in json.load(open(rules_path, encoding="utf-8"))]
    if ids != listed:
        p.append("tool.driver.rules differ from 'charter rules': %s" %
                 sorted(set(ids) ^ set(listed))[:5])
    for r in rules:
        if not r.get("shortDescription", {}).get("text"):
            p.append("rule %s has no shortDescription.text" % r.get("id"))
        lvl = r.get("defaultConfiguration", {}).get("level")
        if lvl not in ("note", "warning", "error"):
            p.append("rule %s: defaultConfiguration.level %r" %
                     (r.get("id"), lvl))
    report("sarif: tool.driver name, version and rules", p)

    p = []
    results = run.get("results", [])
    if run.get("columnKind") != "unicodeCodePoints":
        p.append("columnKind is %r" % run.get("columnKind"))
    # originalUriBaseIds may leave %SRCROOT% to the consumer (SARIF 3.14.14);
    # where it is given, the validator checks that its uri is absolute.
    for i, res in enumerate(results):
        rid, idx = res.get("ruleId"), res.get("ruleIndex")
        if rid not in ids:
            p.append("results[%d].ruleId %r is not in rules" % (i, rid))
        elif not isinstance(idx, int) or idx < 0 or idx >= len(rules) or \
                rules[idx]["id"] != rid:
            p.append("results[%d].ruleIndex %r does not point at %r" %
                     (i, idx, rid))
        if res.get("level") not in ("note", "warning", "error"):
            p.append("results[%d].level %r" % (i, res.get("level")))
        if not res.get("message", {}).get("text"):
            p.append("results[%d] has no message.text" % i)
    report("sarif: every result names a listed rule at its ruleIndex", p)

    p = []
    got = []
    for res in results:
        locs = res.get("locations", [])
        if len(locs) != 1:
            got.append((res.get("ruleId"), None, None, None, None, None))
            continue
        ph = locs[0].get("physicalLocation", {})
        art = ph.get("artifactLocation", {})
        reg = ph.get("region", {})
        got.append((res.get("ruleId"), art.get("uri"), art.get("uriBaseId"),
                    reg.get("startLine"), reg.get("startColumn"),
                    res.get("level")))
    for rule, uri, line, col, level in want:
        key = (rule, uri, "%SRCROOT%", line, col, level)
        n = got.count(key)
        if n != 1:
            p.append("want once: %s at %s:%d:%d (%s) with uriBaseId "
                     "%%SRCROOT%%; found %d" % (rule, uri, line, col, level, n))
    if len(results) != len(want):
        p.append("%d results, expected %d" % (len(results), len(want)))
    if p:
        p.append("results: %r" % got)
    report("sarif: each planted problem at its uri, startLine, startColumn",
           p)


def check_json(path, text_path, version, as_of, want):
    try:
        log = json.load(open(path, encoding="utf-8"))
    except ValueError as e:
        report("json: output parses", [str(e)])
        return
    report("json: output parses", [])

    p = []
    if log.get("tool") != "charter":
        p.append("tool is %r" % log.get("tool"))
    if log.get("version") != version:
        p.append("version %r, charter --version says %r" %
                 (log.get("version"), version))
    if log.get("as_of") != as_of:
        p.append("as_of %r, expected %r" % (log.get("as_of"), as_of))
    report("json: tool, version, as_of", p)

    p = []
    findings = log.get("findings")
    if not isinstance(findings, list):
        report("json: findings[] fields", ["findings is not a list"])
        return
    types = {"rule": str, "severity": str, "file": str, "line": int,
             "column": int, "message": str}
    for i, f in enumerate(findings):
        if set(f) != set(types):
            p.append("findings[%d] has keys %s" % (i, sorted(f)))
            continue
        for k, t in types.items():
            if not isinstance(f[k], t) or isinstance(f[k], bool):
                p.append("findings[%d].%s is %r" % (i, k, f[k]))
        if f["severity"] not in ("note", "warning", "error"):
            p.append("findings[%d].severity %r" % (i, f["severity"]))
    report("json: findings[] have rule, severity, file, line, column, "
           "message", p)

    p = []
    s = log.get("summary", {})
    for key, sev in (("errors", "error"), ("warnings", "warning"),
                     ("notes", "note")):
        n = sum(1 for f in findings if f.get("severity") == sev)
        if s.get(key) != n:
            p.append("summary.%s is %r, findings hold %d" %
                     (key, s.get(key), n))
    if s.get("not_shown") != 0:
        p.append("summary.not_shown is %r" % s.get("not_shown"))
    report("json: summary counts equal the findings by severity", p)

    p = []
    got = [(f.get("rule"), f.get("file"), f.get("line"), f.get("column"),
            f.get("severity")) for f in findings]
    for w in want:
        if got.count(w) != 1:
            p.append("want once: %s at %s:%d:%d (%s); found %d" %
                     (w[0], w[1], w[2], w[3], w[4], got.count(w)))
    if len(findings) != len(want):
        p.append("%d findings, expected %d" % (len(findings), len(want)))
    if p:
        p.append("findings: %r" % got)
    report("json: each planted problem at its file, line, column", p)

    p = []
    text = open(text_path, encoding="utf-8").read().split("\n")
    for f in findings:
        line = "%s:%d:%d: %s: %s [%s]" % (f["file"], f["line"], f["column"],
                                          f["severity"], f["message"],
                                          f["rule"])
        if line not in text:
            p.append("not in the text output: " + line)
    report("json: agrees with the text output line for line", p)


def check_validator(path):
    try:
        log = json.load(open(path, encoding="utf-8"))
        run = log["runs"][0]
    except (ValueError, KeyError, IndexError) as e:
        print("    cannot read the multitool's log: %s" % e)
        return 1
    bad = 0
    for res in run.get("results", []):
        level = res.get("level", "warning")
        msg = res.get("message", {})
        text = msg.get("text") or "%s %s" % (msg.get("id"),
                                             msg.get("arguments"))
        print("    %s %s: %s" % (level, res.get("ruleId"), text))
        if level == "error":
            bad += 1
    ok = all(i.get("executionSuccessful", False)
             for i in run.get("invocations", [{}]))
    if not ok:
        print("    the multitool did not run to completion")
        bad += 1
    return 1 if bad else 0


def main():
    mode = sys.argv[1]
    if mode == "sarif":
        check_sarif(sys.argv[2], sys.argv[3], sys.argv[4],
                    expects(sys.argv[5:]))
    elif mode == "json":
        check_json(sys.argv[2], sys.argv[3], sys.argv[4], sys.argv[5],
                   expects(sys.argv[6:]))
    elif mode == "validator":
        sys.exit(check_validator(sys.argv[2]))
    else:
        sys.exit("check.py: unknown mode " + mode)
    sys.exit(0)


main()
