#!/bin/sh
# The shipped example, content/, with its generated decision logs: the
# findings are exactly the planted ones (tests/content/expected), the
# generator is deterministic, and checking leaves the logs untouched.
#
#   sh tests/t-content.sh [--regen]
. "$(cd "$(dirname "$0")" && pwd)/lib.sh"

AS_OF=2026-11-22
S=$(scratch content)
EXPECTED=$TOP/tests/content/expected

# A copy of content/ without whatever logs a previous make left in it.
copy() {
	mkdir -p "$1" && (cd "$TOP/content" && tar cf - --exclude=./logs .) |
	    (cd "$1" && tar xf -)
}

copy "$S/a" && copy "$S/b"
for d in a b; do
	"$CHARTER" log sample --content "$S/$d" --as-of $AS_OF --problems -q \
	    2>"$S/sample-$d.err" || fail "content.sample-$d" \
	    "$(head -5 "$S/sample-$d.err")"
done
same=yes
for f in "$S"/a/logs/*.db; do
	cmp -s "$f" "$S/b/logs/$(basename "$f")" || same="no: $f"
done
if [ "$same" = yes ] && [ -n "$(ls "$S"/a/logs/*.db 2>/dev/null)" ]; then
	pass "content.sample-deterministic"
else
	fail "content.sample-deterministic" "$same"
fi

before=$(snapshot "$S/a")
"$CHARTER" check --content "$S/a" --as-of $AS_OF 2>"$S/raw"
rc=$?
after=$(snapshot "$S/a")
sed "s|$S/a|CONTENT|g" "$S/raw" >"$S/out"
if [ "${1:-}" = "--regen" ]; then
	cp "$S/out" "$EXPECTED"
fi
if diff -u "$EXPECTED" "$S/out" >"$S/diff"; then
	pass "content.findings"
else
	fail "content.findings" "$(head -30 "$S/diff")"
fi
# Boundary breaches are errors (design.md): exit 1, and nothing worse.
if [ "$rc" -eq 1 ]; then
	pass "content.exit-1"
else
	fail "content.exit-1" "exit $rc"
fi
# Only the two systems with planted problems have log findings.
others=$(grep -E '\[(log|incident|contract|kpi)\.' "$S/out" |
    grep -v ': note: ' | grep -v 'ap-invoice-agent' | grep -v 'cv-screening')
if [ -z "$others" ]; then
	pass "content.clean-systems"
else
	fail "content.clean-systems" "$others"
fi
if grep -q 'logs/ap-invoice-agent.db:decisions:[0-9]*: error: .*\[log.boundary-breach\]' \
    "$S/out"; then
	pass "content.breaches-name-rows"
else
	fail "content.breaches-name-rows" "no boundary breach with a row id"
fi
if [ "$before" = "$after" ]; then
	pass "content.logs-untouched"
else
	fail "content.logs-untouched" "the check changed $S/a"
fi

[ "$T_FAILS" -eq 0 ] && rm -rf "$S"
exit 0
