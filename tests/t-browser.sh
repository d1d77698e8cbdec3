#!/bin/sh
# The built site as its readers' tools see it.
#
#   sh tests/t-browser.sh                 build content/ and check the site
#   SITE_OUT=DIR sh tests/t-browser.sh    check an existing site instead
#   BROWSER_PAGES=all ...                 browser checks on every page, not
#                                         index.html and two system pages
#
# Builds content/ (charter build --as-of 2026-11-22) into tests/tmp/browser/
# and runs on it:
#   tests/site/dom_check.py   every page: <head> (charset, exact CSP), no
#                             script/handler/inline style/frames/forms, only
#                             relative or http(s)/mailto URLs, no broken
#                             relative link or #fragment, CSS url()s
#   tests/browser/vnu.sh      the Nu HTML checker on every .html and .css
#   tests/browser/check.mjs   headless Debian Chromium via playwright-core on
#                             index.html, the first two systems/*.html and
#                             two pages of cv-screening's pack, at
#                             desktop and phone width: console errors (CSP
#                             violations among them), any non-file:// or
#                             failed request, JS-on DOM == JS-off DOM, no
#                             horizontal scroll, axe-core serious/critical
# and the same browser checks on tests/site/hostile/ built (markup in every
# text field): no console error, no request, JS-on DOM == JS-off DOM; and
# on a system whose name and summary hold bidi controls and zero-width
# characters, whose markers must read in order (browser.invisible-marker).
#
# Screenshots: tests/artifacts/browser/NAME-desktop.png, NAME-phone.png
# (gitignored; look at them).  Tools: `make test-deps` installs chromium and
# java (apt, as root) and tests/browser/node_modules (npm ci).  A missing
# tool is a FAIL line naming it, never a silent skip.
. "$(cd "$(dirname "$0")" && pwd)/lib.sh"

S=$(scratch browser)
B=$TOP/tests/browser
ART=$TOP/tests/artifacts/browser
AS_OF=2026-11-22
CHROMIUM=${CHROMIUM:-/usr/bin/chromium}
export CHROMIUM
rm -rf "$ART"
mkdir -p "$ART"

# tool NAME OK_RCS CMD...: run a checker that prints PASS:/FAIL: lines and
# pass its lines through.  An exit status outside OK_RCS (space-separated),
# or no PASS/FAIL line at all, is a FAIL of its own: a crashed checker
# cannot pass silently.
tool() {
	tname=$1 okrc=$2
	shift 2
	"$@" >"$S/tool.out" 2>"$S/tool.err"
	trc=$?
	cat "$S/tool.out"
	case " $okrc " in
	*" $trc "*) ;;
	*)
		fail "$tname.exit" "$* exited $trc"
		tail -n 8 "$S/tool.err" | sed 's/^/    /'
		return
		;;
	esac
	if ! grep -q '^\(PASS\|FAIL\): ' "$S/tool.out"; then
		fail "$tname.ran" "$* printed no PASS/FAIL line"
		tail -n 8 "$S/tool.err" | sed 's/^/    /'
	fi
}

# ---- what the suite needs ----------------------------------------------
: >"$S/missing"
need() { echo "$1" >>"$S/missing"; }
if ! command -v node >/dev/null 2>&1; then
	need "node (Node.js 18 or later) on PATH: apt-get install nodejs npm"
	have_node=0
else
	have_node=1
fi
for m in playwright-core axe-core vnu-jar; do
	if [ ! -f "$B/node_modules/$m/package.json" ]; then
		need "tests/browser/node_modules/$m: make test-deps (npm ci in tests/browser)"
	elif [ "$have_node" = 1 ]; then
		stale=$(cd "$B" && node -e '
			const m = process.argv[1];
			const want = require("./package.json").devDependencies[m];
			const got = require("./node_modules/" + m + "/package.json").version;
			if (want !== got) console.log(got + ", package.json pins " + want);
		' "$m" 2>&1)
		[ -z "$stale" ] || need "tests/browser/node_modules/$m is $stale: make test-deps"
	fi
done
[ -x "$CHROMIUM" ] ||
    need "$CHROMIUM: make test-deps (as root: apt-get install chromium)"
command -v java >/dev/null 2>&1 ||
    need "java: make test-deps (as root: apt-get install openjdk-17-jre-headless)"
if [ -s "$S/missing" ]; then
	fail browser.deps "the browser checks need what is missing here:"
	sed 's/^/    /' "$S/missing"
else
	pass browser.deps
fi
can_browse=1
[ "$have_node" = 1 ] && [ -x "$CHROMIUM" ] &&
    [ -f "$B/node_modules/playwright-core/package.json" ] &&
    [ -f "$B/node_modules/axe-core/package.json" ] || can_browse=0
can_vnu=1
command -v java >/dev/null 2>&1 &&
    [ -f "$B/node_modules/vnu-jar/build/dist/vnu.jar" ] || can_vnu=0

# ---- the site ----------------------------------------------------------
# build NAME CONTENT OUT [ARGS...]: charter build; exit 0 (clean) and 1
# (built, with findings: content/ plants some) both leave a site.
build() {
	bname=$1 bcontent=$2 bout=$3
	shift 3
	"$CHARTER" build --content "$bcontent" --out "$bout" --as-of "$AS_OF" \
	    "$@" >"$S/build.out" 2>"$S/build.err"
	brc=$?
	if { [ "$brc" -eq 0 ] || [ "$brc" -eq 1 ]; } &&
	    [ -f "$bout/index.html" ]; then
		pass "$bname"
		return 0
	fi
	fail "$bname" "charter build --content $bcontent exited $brc" \
	    "(or wrote no index.html); its last words:"
	tail -n 6 "$S/build.err" | sed 's/^/    /'
	return 1
}

if [ -n "${SITE_OUT:-}" ]; then
	OUT=$(cd "$SITE_OUT" 2>/dev/null && pwd)
	if [ -n "$OUT" ] && [ -f "$OUT/index.html" ]; then
		pass "browser.site $SITE_OUT"
	else
		fail "browser.site" "SITE_OUT=$SITE_OUT has no index.html"
		OUT=""
	fi
else
	# A copy of content/ with freshly generated sample logs, as make
	# builds it (content/logs/ may not exist: make clean removes it).
	OUT=$S/out
	mkdir -p "$S/content" && (cd "$TOP/content" &&
	    tar cf - --exclude=./logs .) | (cd "$S/content" && tar xf -) &&
	    "$CHARTER" log sample --content "$S/content" --as-of "$AS_OF" \
	    --problems -q ||
	    fail browser.sample-logs "charter log sample failed"
	build browser.build "$S/content" "$OUT" || OUT=""
fi

if [ -n "$OUT" ]; then
	tool dom_check "0 1" "$PY" "$TOP/tests/site/dom_check.py" "$OUT"
	[ "$can_vnu" = 1 ] && tool vnu "0" sh "$B/vnu.sh" "$OUT"
	if [ "$can_browse" = 1 ]; then
		if [ "${BROWSER_PAGES:-}" = all ]; then
			pages=$(cd "$OUT" && find . -name '*.html' | sed 's|^\./||' |
			    LC_ALL=C sort)
		else
			pages="index.html $(cd "$OUT" && find systems -maxdepth 1 \
			    -name '*.html' 2>/dev/null | LC_ALL=C sort | head -n 2)"
			# A pack's index and a section with tables and Markdown.
			pages="$pages $(cd "$OUT" && find packs -path \
			    '*/cv-screening/index.html' -o -path \
			    '*/cv-screening/10-human-oversight.html' 2>/dev/null |
			    LC_ALL=C sort)"
		fi
		# shellcheck disable=SC2086
		tool check.mjs "0" timeout 600 node "$B/check.mjs" "$OUT" "$ART" \
		    $pages
	fi
fi

# ---- hostile text, in a browser ------------------------------------------
# tests/site/hostile/ (t-site.sh's fixture: markup, quotes and handlers in
# every text field) proves statically, in t-site.sh, that it renders as text.
# Here: a browser shows those pages with no console error (an attribute or
# script that slipped through would break the CSP), no request, and the same
# DOM with JavaScript on and off.  Without that fixture, a copy of
# templates/init/ with markup planted in a system's name and summary.
H=$S/hostile
P1='<script>alert(1)</script>'
P2='"><img src=x onerror=alert(2)>'
if [ -d "$TOP/tests/site/hostile" ]; then
	cp -R "$TOP/tests/site/hostile" "$H"
	hpages="index.html systems/invoice-triage.html pages/notes.html"
	hexpect=""
else
	cp -R "$TOP/templates/init" "$H"
	hpages="index.html systems/invoice-triage.html"
	hexpect=1
	"$PY" - "$H/systems/invoice-triage.yaml" "$P1" "$P2" <<'EOF'
import re, sys
path, p1, p2 = sys.argv[1:4]
s = open(path, encoding="utf-8").read()
s = re.sub(r"(?m)^name: .*$", lambda m: 'name: "Invoice %s triage"' % p1, s, count=1)
s = re.sub(r"(?m)^summary: .*$", lambda m: "summary: '%s Resolves price differences.'" % p2, s, count=1)
open(path, "w", encoding="utf-8").write(s)
EOF
fi
if build browser.hostile-build "$H" "$S/hostile-out" --no-logs; then
	if [ -n "$hexpect" ]; then
		tool hostile.dom_check "0 1" "$PY" "$TOP/tests/site/dom_check.py" \
		    "$S/hostile-out" --prefix hostile. --expect-text "$P1" \
		    --expect-text "$P2"
	fi
	if [ "$can_browse" = 1 ]; then
		# shellcheck disable=SC2086
		tool hostile.check.mjs "0" timeout 300 node "$B/check.mjs" \
		    --prefix hostile. "$S/hostile-out" "$ART/hostile" $hpages
	fi
fi

# ---- invisible characters, in a browser ----------------------------------
# A bidi override, its pop, a zero-width space and an isolate in a system's
# name and summary (hostile-inputs A10): the page passes the browser checks
# with its markers, and each marker is there to read: the heading's text
# runs in the order written, with "[U+202E]" and the others where the
# characters were, each a box of its own with a title naming it, none of
# the characters left in the DOM.  Screenshot: invisible-marker.png.
I=$S/invisible
cp -R "$TOP/templates/init" "$I"
"$PY" - "$I/systems/invoice-triage.yaml" <<'EOF'
import json, re, sys
p = sys.argv[1]
s = open(p, encoding="utf-8").read()
s = re.sub(r"(?m)^name: .*$", lambda m: "name: " +
           json.dumps("Invoice \u202eetaert\u202c triage"), s, count=1)
s = re.sub(r"(?m)^summary: .*$", lambda m: "summary: " + json.dumps(
    "Routes\u200b every \u2066exception\u2069 to a person."), s, count=1)
open(p, "w", encoding="utf-8").write(s)
EOF
build browser.invisible-build "$I" "$S/invisible-out" --no-logs || can_browse=0
# shellcheck disable=SC2016
[ "$can_vnu" = 1 ] && [ -f "$S/invisible-out/index.html" ] &&
    tool invisible.vnu "0" sh -c 'sh "$1" "$2" |
    sed "s/^\(PASS\|FAIL\): /&invisible./"' sh "$B/vnu.sh" "$S/invisible-out"
if [ "$can_browse" = 1 ]; then
	tool invisible.check.mjs "0" timeout 300 node "$B/check.mjs" \
	    --prefix invisible. "$S/invisible-out" "$ART/invisible" \
	    systems/invoice-triage.html
	cat >"$S/marker.cjs" <<'EOF'
const [nm, page, shot] = process.argv.slice(2);
const { chromium } = require(nm + '/playwright-core');
(async () => {
  const b = await chromium.launch({ executablePath: process.env.CHROMIUM,
    headless: true, args: ['--no-sandbox', '--disable-gpu'] });
  const p = await b.newPage({ viewport: { width: 1000, height: 400 } });
  await p.goto('file://' + page);
  const r = await p.evaluate(() => {
    const h = document.querySelector('h1'), l = document.querySelector('.lede');
    const marks = [...h.querySelectorAll('.char-mark')].map((m) => {
      const b = m.getBoundingClientRect(), st = getComputedStyle(m);
      return { text: m.textContent, title: m.title, x: b.left, w: b.width,
        h: b.height, vis: st.visibility, color: st.color, bg: st.backgroundColor };
    });
    return { h1: h.innerText, lede: l.innerText, marks,
      raw: /[\u061c\u180e\u200b-\u200f\u2028-\u202e\u2060-\u2064\u2066-\u206f\ufeff]/.test(document.documentElement.outerHTML + document.title),
      title: document.title };
  });
  await p.locator('main header, main h1').first().screenshot({ path: shot });
  await b.close();
  const bad = [];
  if (r.h1 !== 'Invoice [U+202E]etaert[U+202C] triage') bad.push('h1 reads ' + JSON.stringify(r.h1));
  if (r.lede !== 'Routes[U+200B] every [U+2066]exception[U+2069] to a person.') bad.push('summary reads ' + JSON.stringify(r.lede));
  if (r.marks.length !== 2 || r.marks[0].title !== 'invisible character U+202E RIGHT-TO-LEFT OVERRIDE, shown here instead of applied') bad.push('markers: ' + JSON.stringify(r.marks));
  for (const m of r.marks) {
    if (!(m.w > 20 && m.h > 8) || m.vis !== 'visible' || m.color === m.bg) bad.push('marker not shown: ' + JSON.stringify(m));
  }
  if (r.marks.length === 2 && !(r.marks[0].x < r.marks[1].x)) bad.push('markers out of order: ' + JSON.stringify(r.marks));
  if (r.raw) bad.push('an invisible character is in the DOM');
  if (!r.title.startsWith('Invoice [U+202E]etaert[U+202C] triage')) bad.push('title: ' + r.title);
  console.log((bad.length ? 'FAIL: ' : 'PASS: ') + 'browser.invisible-marker');
  for (const x of bad) console.log('    ' + x.replace(/[\x00-\x1f]/g, ' '));
})().catch((e) => { console.log('FAIL: browser.invisible-marker\n    ' + String(e).split('\n')[0]); });
EOF
	tool browser.invisible-marker "0" timeout 120 node "$S/marker.cjs" \
	    "$B/node_modules" "$S/invisible-out/systems/invoice-triage.html" \
	    "$ART/invisible-marker.png"
fi
exit 0
