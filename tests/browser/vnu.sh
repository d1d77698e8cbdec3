#!/bin/sh
# The Nu HTML Checker (vnu-jar, pinned in package-lock.json) on a built site.
#
#   sh tests/browser/vnu.sh OUTDIR
#
# Checks every .html and .css file under OUTDIR (one JVM for all the HTML,
# one for all the CSS, side by side: each takes seconds to start) and prints "PASS: vnu FILE" or "FAIL: vnu FILE" for
# each, with one indented line per error: LINE:COL: message.  Errors only;
# warnings are not reported.  Exit 0 whatever it found (the caller counts
# FAIL lines); 3 if java or vnu.jar is missing.
set -u
HERE=$(cd "$(dirname "$0")" && pwd)
JAR=$HERE/node_modules/vnu-jar/build/dist/vnu.jar
PY=/usr/bin/python3
[ -x "$PY" ] || PY=python3
OUT=${1:?usage: vnu.sh OUTDIR}
OUT=$(cd "$OUT" && pwd) || exit 3

if ! command -v java >/dev/null 2>&1; then
	echo "FAIL: vnu.java"
	echo "    no java on PATH; install it with: make test-deps" \
	    "(apt-get install openjdk-17-jre-headless)"
	exit 3
fi
if [ ! -f "$JAR" ]; then
	echo "FAIL: vnu.jar"
	echo "    no $JAR; install it with: make test-deps" \
	    "(npm ci in tests/browser)"
	exit 3
fi

tmp=$(mktemp -d) || exit 3
trap 'rm -rf "$tmp"' EXIT
(cd "$OUT" && find . -type f -name '*.html' | sed 's|^\./||' |
    LC_ALL=C sort) >"$tmp/html"
(cd "$OUT" && find . -type f -name '*.css' | sed 's|^\./||' |
    LC_ALL=C sort) >"$tmp/css"
if [ ! -s "$tmp/html" ]; then
	echo "FAIL: vnu $OUT"
	echo "    no .html file under it"
	exit 0
fi
# One JVM for all the HTML, a second beside it for all the CSS (--css: with
# --also-check-css in one run, vnu 26.9 reports HTML errors a line early).
# -Xss: the HTML schema needs a deep stack.
# shellcheck disable=SC2086 # $2: no word, or one flag
vnu() {
	(cd "$OUT" && tr '\n' '\0' <"$tmp/$1" | xargs -0 java -Xss4m \
	    -jar "$JAR" --errors-only --format json $2) >"$tmp/$1.json" 2>&1
}
vnu html "" &
if [ -s "$tmp/css" ]; then vnu css --css; else echo '{"messages":[]}' >"$tmp/css.json"; fi
wait
"$PY" - "$OUT" "$tmp" <<'EOF'
import json, re, sys
from urllib.parse import unquote
out, tmp = sys.argv[1:3]
safe = lambda s: re.sub(r"[\x00-\x1f\x7f]", lambda m: "\\x%02x" % ord(m.group(0)), str(s))
files, msgs = [], []
for kind in ("html", "css"):
    files += [l.rstrip("\n") for l in open("%s/%s" % (tmp, kind), encoding="utf-8") if l.strip()]
    raw = open("%s/%s.json" % (tmp, kind), encoding="utf-8", errors="replace").read()
    try:
        msgs += json.loads(raw[raw.index("{"):])["messages"]
    except (ValueError, KeyError):
        print("FAIL: vnu.run %s" % kind)
        for l in raw.splitlines()[:10]:
            print("    " + safe(l))
files.sort()
per = {f: [] for f in files}
other = []
for m in msgs:
    if m.get("type") not in ("error", "non-document-error"):
        continue
    url = unquote(m.get("url", ""))
    rel = None
    if url.startswith("file:"):
        path = re.sub(r"^file:(//)?", "", url)
        if path.startswith(out + "/"):
            rel = path[len(out) + 1:]
    line = "%s:%s: %s" % (m.get("firstLine", m.get("lastLine", "?")),
                          m.get("firstColumn", m.get("lastColumn", "?")),
                          m.get("message", ""))
    if rel in per:
        per[rel].append(line)
    else:
        other.append("%s: %s" % (url, line))
for f in files:
    if per[f]:
        print("FAIL: vnu %s" % safe(f))
        for l in per[f][:30]:
            print("    " + safe(l))
        if len(per[f]) > 30:
            print("    ... and %d more" % (len(per[f]) - 30))
    else:
        print("PASS: vnu %s" % safe(f))
if other:
    print("FAIL: vnu.other")
    for l in other[:10]:
        print("    " + safe(l))
EOF
exit 0
