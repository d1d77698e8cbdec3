#!/usr/bin/python3
"""Check Charter's schemas and the schema test corpus against jsonschema.

Usage: check_corpus.py [-v]

1. Lints every schemas/*.schema.json: it must be valid draft 2020-12, use
   only the keyword subset the C validator implements, use only regexes that
   mean the same in ECMA-262, Python re and POSIX ERE, give a description on
   every property and $def, and close every object with
   additionalProperties.
2. Validates every tests/schema/corpus/SCHEMA/{valid,invalid}-*.json with
   python3-jsonschema (through jsonschema_verdict.Validator) and checks the verdict matches the file-name prefix.

Prints each problem on one line and a summary; exits 1 on any problem.
"""
import json
import os
import re
import sys

import jsonschema

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
sys.dont_write_bytecode = True  # leave no __pycache__ in the source tree
from jsonschema_verdict import Validator  # noqa: E402  (ECMA-262 '$')
TOP = os.path.dirname(os.path.dirname(HERE))
SCHEMAS = os.path.join(TOP, "schemas")
CORPUS = os.path.join(HERE, "corpus")

KEYWORDS = set("""$schema $id $defs $ref title description examples default
type properties required additionalProperties propertyNames items minItems
maxItems uniqueItems enum const pattern minLength maxLength minimum maximum
exclusiveMinimum exclusiveMaximum minProperties maxProperties oneOf anyOf
allOf not""".split())
# Keywords whose value is a map of names to schemas / a list of schemas /
# a single schema.
SCHEMA_MAPS = {"properties", "$defs"}
SCHEMA_LISTS = {"oneOf", "anyOf", "allOf"}
SCHEMA_ONE = {"additionalProperties", "propertyNames", "items", "not"}

problems = []


def problem(msg):
    problems.append(msg)
    print(msg)


def reject_constant(name):
    raise ValueError("non-JSON constant %s" % name)


def load(path):
    with open(path, encoding="utf-8") as f:
        return json.load(f, parse_constant=reject_constant)


def regex_ok(p):
    """Return None if p is in the portable subset, else the reason."""
    if not p.startswith("^") or not p.endswith("$") or p.endswith("\\$"):
        return "not anchored with ^...$"
    body = p[1:-1]
    i = 0
    depth = 0
    atom = False  # something a quantifier may follow
    while i < len(body):
        c = body[i]
        if c == "\\":
            if i + 1 >= len(body) or body[i + 1] not in ".()":
                return "escape other than \\. \\( \\) at %d" % i
            i += 2
            atom = True
            continue
        if c == "[":
            j = i + 1
            if j < len(body) and body[j] == "^":
                j += 1
            if j < len(body) and body[j] == "]":
                return "']' first in a bracket (means different things)"
            start = j
            while j < len(body) and body[j] != "]":
                if body[j] == "\\":
                    return "backslash inside brackets"
                if body[j] == "[":
                    return "'[' inside brackets (POSIX classes are not portable)"
                j += 1
            if j >= len(body):
                return "unterminated bracket"
            inner = body[start:j]
            if "-" in inner[1:-1]:
                # ranges are fine only as X-Y between alnum characters
                for m in re.finditer("-", inner):
                    k = m.start()
                    if k in (0, len(inner) - 1):
                        continue
                    a, b = inner[k - 1], inner[k + 1]
                    if not (a.isalnum() and b.isalnum()):
                        return "'-' neither a range nor last in brackets"
            i = j + 1
            atom = True
            continue
        if c == "(":
            if body[i + 1:i + 2] == "?":
                return "(? group"
            depth += 1
            atom = False
        elif c == ")":
            depth -= 1
            if depth < 0:
                return "unbalanced )"
            atom = True
        elif c == "|":
            atom = False
        elif c in "*+?":
            if not atom:
                return "quantifier without an atom at %d" % i
            if i + 1 < len(body) and body[i + 1] in "?+":
                return "non-greedy or possessive quantifier"
            atom = False
        elif c == "{":
            m = re.match(r"\{([0-9]+)(,([0-9]+))?\}", body[i:])
            if not m or not atom:
                return "bad {m,n} at %d" % i
            i += m.end()
            if i < len(body) and body[i] in "?+":
                return "non-greedy or possessive quantifier"
            atom = False
            continue
        elif c in "^$":
            return "'%s' inside the pattern" % c
        elif c in "}]":
            return "unescaped '%s'" % c
        else:
            atom = True
        i += 1
    if depth != 0:
        return "unbalanced ("
    return None


def lint(node, where, name, is_root=False):
    if isinstance(node, bool):
        return
    if not isinstance(node, dict):
        problem("%s: %s: a schema must be an object" % (name, where))
        return
    for k in node:
        if k not in KEYWORDS:
            problem("%s: %s: keyword '%s' is outside the subset" % (name, where, k))
    if "$ref" in node and not re.match(r"^#/\$defs/[A-Za-z0-9_]+$", node["$ref"]):
        problem("%s: %s: $ref must be #/$defs/NAME" % (name, where))
    if "$ref" in node and node["$ref"].split("/")[-1] not in ROOT_DEFS:
        problem("%s: %s: $ref to a missing $def" % (name, where))
    if "pattern" in node:
        why = regex_ok(node["pattern"])
        if why:
            problem("%s: %s: pattern %r: %s" % (name, where, node["pattern"], why))
    if "properties" in node and node.get("additionalProperties") is not False:
        problem("%s: %s: object without additionalProperties: false" % (name, where))
    if node.get("type") == "object" and "properties" not in node \
            and "additionalProperties" not in node:
        problem("%s: %s: open object" % (name, where))
    for k, v in node.items():
        if k in SCHEMA_MAPS:
            for sub, s in v.items():
                if not isinstance(s, dict) or "description" not in s:
                    problem("%s: %s/%s/%s: no description" % (name, where, k, sub))
                lint(s, "%s/%s/%s" % (where, k, sub), name)
        elif k in SCHEMA_LISTS:
            for n, s in enumerate(v):
                lint(s, "%s/%s/%d" % (where, k, n), name)
        elif k in SCHEMA_ONE:
            lint(v, "%s/%s" % (where, k), name)


ROOT_DEFS = set()


def lint_schemas():
    names = []
    for fn in sorted(os.listdir(SCHEMAS)):
        if not fn.endswith(".schema.json"):
            continue
        name = fn[:-len(".schema.json")]
        names.append(name)
        path = os.path.join(SCHEMAS, fn)
        try:
            s = load(path)
            jsonschema.Draft202012Validator.check_schema(s)
        except (OSError, ValueError, jsonschema.exceptions.SchemaError) as e:
            problem("%s: bad schema: %s" % (fn, getattr(e, "message", e)))
            continue
        if s.get("$schema") != "https://json-schema.org/draft/2020-12/schema":
            problem("%s: $schema is not draft 2020-12" % fn)
        if s.get("$id") != "https://charter.invalid/schemas/" + fn:
            problem("%s: $id should be https://charter.invalid/schemas/%s" % (fn, fn))
        for k in ("title", "description"):
            if k not in s:
                problem("%s: no %s" % (fn, k))
        ROOT_DEFS.clear()
        ROOT_DEFS.update(s.get("$defs", {}))
        lint(s, "#", fn, True)
    return names


def check_corpus(names, verbose):
    counts = {}
    for name in names:
        d = os.path.join(CORPUS, name)
        if not os.path.isdir(d):
            problem("corpus/%s: missing" % name)
            continue
        s = load(os.path.join(SCHEMAS, name + ".schema.json"))
        v = Validator(s)
        for fn in sorted(os.listdir(d)):
            rel = "corpus/%s/%s" % (name, fn)
            m = re.match(r"^(valid|invalid)-[0-9]{3}-[a-z0-9-]+\.json$", fn)
            if not m:
                problem("%s: name is not (valid|invalid)-NNN-desc.json" % rel)
                continue
            try:
                doc = load(os.path.join(d, fn))
            except (OSError, ValueError) as e:
                problem("%s: %s" % (rel, e))
                continue
            errors = list(v.iter_errors(doc))
            got = "invalid" if errors else "valid"
            counts[(name, got)] = counts.get((name, got), 0) + 1
            if got != m.group(1):
                why = "; ".join("%s: %s" % ("/".join(map(str, e.absolute_path)) or "(root)",
                                             e.message[:120]) for e in errors[:3])
                problem("%s: expected %s, jsonschema says %s%s" % (
                    rel, m.group(1), got, (" (" + why + ")") if why else ""))
            elif verbose and errors:
                print("%s: %s" % (rel, errors[0].message[:160]))
    return counts


def main(argv):
    verbose = "-v" in argv[1:]
    names = lint_schemas()
    counts = check_corpus(names, verbose)
    total = sum(counts.values())
    per = ", ".join("%s %d/%d" % (n, counts.get((n, "valid"), 0),
                                  counts.get((n, "invalid"), 0)) for n in names)
    print("%d schemas, %d documents (valid/invalid: %s), %d problems" % (
        len(names), total, per, len(problems)))
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
