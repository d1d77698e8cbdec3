#!/bin/sh
# Run every test suite and print one closing line "N passed, N failed".
#
# Each suite is a script tests/t-*.sh (or a test binary) that prints one line
# per test case: "PASS: name" or "FAIL: name", with any detail on indented
# lines after a failure.  A suite that exits non-zero without printing a
# FAIL line counts as one failure, so a crashing suite cannot pass silently.
#
#   sh tests/run.sh [t-NAME...]    every suite, or only those named
#   VALGRIND=1 sh tests/run.sh ... charter under valgrind (tests/valgrind.sh)
set -u
cd "$(dirname "$0")/.." || exit 2
CHARTER="$(pwd)/charter"
TOP="$(pwd)"
if [ "${VALGRIND:-0}" = 1 ]; then
	CHARTER_REAL=$CHARTER
	CHARTER="$(pwd)/tests/valgrind.sh"
	export CHARTER_REAL
fi
export CHARTER TOP
export LC_ALL=C.UTF-8 TZ=UTC
unset SOURCE_DATE_EPOCH
# In a sanitizer build, a leak or an error exits 23 or 24: never a status a
# test expects (0 to 4), so it cannot hide behind an expected exit 1.
export ASAN_OPTIONS="exitcode=23:detect_leaks=1${ASAN_OPTIONS:+:$ASAN_OPTIONS}"
export UBSAN_OPTIONS="exitcode=24:print_stacktrace=1${UBSAN_OPTIONS:+:$UBSAN_OPTIONS}"
mkdir -p tests/tmp
log=tests/tmp/run.log
: >"$log"
pass=0
fail=0

run_suite() {
	name=$1
	shift
	out=tests/tmp/suite.out
	"$@" >"$out" 2>&1
	rc=$?
	p=$(grep -c '^PASS: ' "$out")
	f=$(grep -c '^FAIL: ' "$out")
	if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then
		echo "FAIL: $name (suite exited $rc)" >>"$out"
		f=1
	fi
	if [ "$p" -eq 0 ] && [ "$f" -eq 0 ]; then
		echo "FAIL: $name (suite ran no test)" >>"$out"
		f=1
	fi
	pass=$((pass + p))
	fail=$((fail + f))
	printf '%-28s %4d passed, %d failed\n' "$name" "$p" "$f"
	cat "$out" >>"$log"
	if [ "$f" -ne 0 ]; then
		grep -A8 '^FAIL: ' "$out" | head -60 | sed 's/^/    /'
	fi
}

if [ $# -gt 0 ]; then
	for t in "$@"; do
		[ -f "tests/$t.sh" ] || { echo "no suite tests/$t.sh" >&2; exit 2; }
		run_suite "$t" sh "tests/$t.sh"
	done
else
	run_suite unit tests/unit
	run_suite unit-metrics tests/unit-metrics
	for t in tests/t-*.sh; do
		run_suite "$(basename "$t" .sh)" sh "$t"
	done
fi
echo "full log: $log"
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
