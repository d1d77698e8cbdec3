#!/bin/sh
# Known answers for every built-in metric: tests/metrics/check.py builds a
# random decision log and computes each metric itself, with SQL and Python,
# for the whole window, each exception category and each period.
. "$(cd "$(dirname "$0")" && pwd)/lib.sh"

if ! "$PY" -c 'import sqlite3' 2>/dev/null; then
	fail metrics "$PY cannot import sqlite3"
	exit 1
fi
"$PY" "$TOP/tests/metrics/check.py" "$CHARTER" "$TOP/tests/rules/base" \
    "$TOP/tests/tmp/metrics"
