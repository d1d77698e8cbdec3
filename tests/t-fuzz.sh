#!/bin/sh
# Replay the committed fuzz corpora through the fuzz targets (no libFuzzer
# needed): every input that once mattered keeps running in make check.
. "$(cd "$(dirname "$0")" && pwd)/lib.sh"
n=$(ls "$TOP"/tests/fuzz/corpus/load | wc -l)
if [ "$n" -lt 10 ]; then
	fail "fuzz.corpus" "only $n seed inputs in tests/fuzz/corpus/load"
fi
cd "$TOP/tests/fuzz/corpus/load" && "$TOP/tests/fuzz-replay" *
