# Helpers for test scripts (sourced).  Each case prints PASS:/FAIL: lines.
: "${CHARTER:?run the tests through tests/run.sh or make check}"
: "${TOP:?}"
T_FAILS=0

pass() { echo "PASS: $*"; }
fail() { echo "FAIL: $1"; shift; for l in "$@"; do echo "    $l"; done; T_FAILS=$((T_FAILS + 1)); }

# A fresh scratch folder for this script: tests/tmp/NAME.
scratch() {
	d="$TOP/tests/tmp/$1"
	rm -rf "$d"
	mkdir -p "$d"
	echo "$d"
}
