# Helpers for test scripts (sourced).  Each case prints PASS:/FAIL: lines.
# A suite also runs on its own: TOP and CHARTER default to this checkout.
set -u
TOP=${TOP:-$(cd "$(dirname "$0")/.." && pwd)}
CHARTER=${CHARTER:-$TOP/charter}
case $CHARTER in /*) ;; *) CHARTER=$(pwd)/$CHARTER ;; esac
LC_ALL=C.UTF-8 TZ=UTC
export TOP CHARTER LC_ALL TZ
unset SOURCE_DATE_EPOCH
# The system Python, which Debian's python3-* packages serve (a pyenv
# python3 first on PATH cannot see them, and costs ~0.7 s a call).
PY=/usr/bin/python3
[ -x "$PY" ] || PY=python3
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

# mklog REPO: give a copy of templates/init/ a small clean decision log
# (the rows of tests/rules/base, whose system has the same decision table).
mklog() {
	rm -f "$1/logs/invoice-triage.db"
	mkdir -p "$1/logs" &&
	    "$CHARTER" log init "$1/logs/invoice-triage.db" >/dev/null &&
	    sqlite3 -bail "$1/logs/invoice-triage.db" \
	    <"$TOP/tests/rules/base/logs/invoice-triage.db.sql"
}

# A listing of everything under $1 that changes if a file or folder is
# created, removed, renamed, resized, re-moded or rewritten (with the -newer
# check after the run, which catches a rewrite of the same size).  Never
# reads a FIFO.
snapshot() {
	if [ -d "$1" ]; then
		(cd "$1" && ls -lnRA . && find . -type f -exec cksum {} +)
	elif [ -e "$1" ] || [ -L "$1" ]; then
		ls -ldn "$1"
	else
		echo "(absent)"
	fi
	return 0
}
