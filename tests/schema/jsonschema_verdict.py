#!/usr/bin/python3
"""Reference verdicts for Charter's schema validator.

Usage: jsonschema_verdict.py SCHEMA.json DOC.json...

Prints one line per document, "DOC<TAB>valid" or "DOC<TAB>invalid", as
judged by the python3-jsonschema Draft 2020-12 validator.  The C validator
(src/schema.c) is tested against these verdicts.

One correction: JSON Schema patterns are ECMA-262 regexes, where a final
'$' matches only at the very end of the string.  Python's '$' also matches
before a final newline, so "abc\n" would pass "^[a-z]+$".  Charter's
patterns are always anchored with ^...$ and use '$' nowhere else, so the
final '$' is read as Python's '\Z', which is what ECMA-262 and POSIX
regexec (the C side) do.

Exit status: 0 when every document was judged; 2 for bad usage, an
unreadable file or a schema that is not itself valid draft 2020-12.
"""
import json
import re
import sys

import jsonschema
from jsonschema.exceptions import ValidationError


def ecma_pattern(validator, pattern, instance, schema):
    """The pattern keyword with ECMA-262's end-of-string '$'."""
    if not validator.is_type(instance, "string"):
        return
    p = pattern
    if p.endswith("$") and not p.endswith("\\$"):
        p = p[:-1] + "\\Z"
    if re.search(p, instance) is None:
        yield ValidationError("%r does not match %r" % (instance, pattern))


Validator = jsonschema.validators.extend(
    jsonschema.Draft202012Validator, {"pattern": ecma_pattern})


def reject_constant(name):
    # JSON has no NaN or Infinity; Python's json module would accept them.
    raise ValueError("non-JSON constant %s" % name)


def load(path):
    with open(path, encoding="utf-8") as f:
        return json.load(f, parse_constant=reject_constant)


def main(argv):
    if len(argv) < 2:
        sys.stderr.write("usage: jsonschema_verdict.py SCHEMA.json DOC.json...\n")
        return 2
    try:
        schema = load(argv[1])
    except (OSError, ValueError) as e:
        sys.stderr.write("%s: %s\n" % (argv[1], e))
        return 2
    try:
        jsonschema.Draft202012Validator.check_schema(schema)
    except jsonschema.exceptions.SchemaError as e:
        sys.stderr.write("%s: bad schema: %s\n" % (argv[1], e.message))
        return 2
    validator = Validator(schema)
    status = 0
    for path in argv[2:]:
        try:
            doc = load(path)
        except (OSError, ValueError) as e:
            sys.stderr.write("%s: %s\n" % (path, e))
            status = 2
            continue
        verdict = "valid" if validator.is_valid(doc) else "invalid"
        sys.stdout.write("%s\t%s\n" % (path, verdict))
    return status


if __name__ == "__main__":
    sys.exit(main(sys.argv))
