#!/bin/sh
# Replay the committed fuzz corpora through the fuzz targets (no libFuzzer
# needed): every input that once mattered keeps running in make check.
. "$(cd "$(dirname "$0")" && pwd)/lib.sh"
for t in load template markdown pipeline; do
	n=$(ls "$TOP"/tests/fuzz/corpus/$t | wc -l)
	if [ "$n" -lt 10 ]; then
		fail "fuzz.corpus" "only $n seed inputs in tests/fuzz/corpus/$t"
	fi
	(cd "$TOP/tests/fuzz/corpus/$t" && "$TOP/tests/fuzz-replay" $t *) ||
	    fail "fuzz-replay $t" "exited $?"
done
[ "$T_FAILS" -eq 0 ]
