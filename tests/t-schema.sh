#!/bin/sh
# Differential schema test: Charter's validator (tests/schema-validate, in
# strict JSON mode) and python3-jsonschema must give the same verdict on
# every corpus document, and that verdict must be the one the file name
# promises (valid-* or invalid-*), so two validators that both accept
# everything cannot pass.
. "$(cd "$(dirname "$0")" && pwd)/lib.sh"
corpus="$TOP/tests/schema/corpus"
tmp=$(scratch schema)
if ! $PY -c 'import jsonschema' 2>/dev/null; then
	fail "schema.reference" "python3-jsonschema is not installed for $PY" \
	    "install it with: apt-get install python3-jsonschema (make check does, as root)"
	exit 0
fi
total=0
for dir in "$corpus"/*/; do
	kind=$(basename "$dir")
	schema="$TOP/schemas/$kind.schema.json"
	ls "$dir"*.json >/dev/null 2>&1 || continue
	"$TOP/tests/schema-validate" "$schema" "$dir"*.json >"$tmp/c.$kind" 2>&1 ||
		fail "schema.$kind.c-validator" "$(cat "$tmp/c.$kind")"
	$PY "$TOP/tests/schema/jsonschema_verdict.py" "$schema" "$dir"*.json \
	    >"$tmp/py.$kind" 2>&1 ||
		fail "schema.$kind.reference" "$(cat "$tmp/py.$kind")"
	while IFS="$(printf '\t')" read -r doc cv; do
		total=$((total + 1))
		name=$(basename "$doc" .json)
		pv=$(grep -F "$doc	" "$tmp/py.$kind" | cut -f2)
		case "$name" in
		valid-*) want=valid ;;
		*) want=invalid ;;
		esac
		if [ "$cv" = "$want" ] && [ "$pv" = "$want" ]; then
			pass "schema.$kind.$name"
		else
			fail "schema.$kind.$name" "charter: $cv, jsonschema: $pv, file name says: $want" \
			    "$(VERBOSE=1 "$TOP/tests/schema-validate" "$schema" "$doc" | tail -n +2)"
		fi
	done <"$tmp/c.$kind"
done
if [ "$total" -ge 100 ]; then
	pass "schema.corpus-size ($total documents)"
else
	fail "schema.corpus-size" "only $total documents; the differential test needs at least 100"
fi
# The JSON Schemas themselves must be valid draft 2020-12 and keep to the
# keyword subset the C validator implements.
if $PY "$TOP/tests/schema/check_corpus.py" >"$tmp/lint" 2>&1; then
	pass "schema.lint"
else
	fail "schema.lint" "$(tail -20 "$tmp/lint")"
fi
