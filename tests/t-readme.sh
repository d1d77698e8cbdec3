#!/bin/sh
# The README documents what the binary does: its rule reference is exactly
# the rule table, and every subcommand and option of --help appears in it.
. "$(cd "$(dirname "$0")" && pwd)/lib.sh"
tmp=$(scratch readme)
if sh "$TOP/tests/readme-rules.sh" "$tmp/README.md" &&
    cmp -s "$TOP/README.md" "$tmp/README.md"; then
	pass "readme.rule-reference-current"
else
	fail "readme.rule-reference-current" "run 'make readme-rules' and commit" \
	    "$(diff -u "$TOP/README.md" "$tmp/README.md" | head -20)"
fi
for word in check init rules --content --as-of --format --strict --limit \
    --version --help; do
	if grep -q -- "$word" "$TOP/README.md"; then
		pass "readme.mentions $word"
	else
		fail "readme.mentions $word" "README.md does not document '$word'"
	fi
done
for word in $("$CHARTER" check --help | grep -o -- '--[a-z-]*' | sort -u); do
	grep -q -- "$word" "$TOP/README.md" ||
		fail "readme.check-option $word" "--help lists $word, README does not"
done
grep -q 'make check' "$TOP/README.md" && pass "readme.test-command" ||
	fail "readme.test-command" "README.md must show 'make check'"
