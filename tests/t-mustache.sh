#!/bin/sh
# The Mustache engine (src/mustache.c) against the official spec, which
# lives outside the repository in ../shared/conformance/mustache-spec/, and
# against Charter's own cases in tests/mustache/ (syntax diagnostics, the
# nesting and output limits, strict mode, escaping).  tests/mustache-spec
# prints the PASS:/FAIL: lines.
. "$(cd "$(dirname "$0")" && pwd)/lib.sh"

RUNNER=$TOP/tests/mustache-spec
SPEC=$TOP/../shared/conformance/mustache-spec

if [ ! -x "$RUNNER" ]; then
	fail mustache "no runner at $RUNNER (run make tests/mustache-spec)"
	exit 1
fi

# Run the runner on some files; a status other than 0 or 1 (an unreadable
# file, a crash) is a failure of its own, since it may have printed nothing.
run() {
	"$RUNNER" "$@"
	rc=$?
	if [ "$rc" -gt 1 ]; then
		fail "mustache-spec $*" "runner exited $rc"
	elif [ "$rc" -eq 1 ]; then
		T_FAILS=$((T_FAILS + 1))
	fi
}

if [ -d "$SPEC" ]; then
	set -- "$SPEC"/*.yml
	if [ ! -f "$1" ]; then
		fail mustache-spec "no spec files in $SPEC"
	else
		run "$@"
	fi
else
	echo "SKIP: mustache-spec: the official spec is absent ($SPEC);" \
	    "conformance tests were not run"
fi

run "$TOP"/tests/mustache/*.yml

[ "$T_FAILS" -eq 0 ]
