#!/bin/sh
# charter build: the site's files, determinism, the atomic swap of out/
# (a killed, interrupted or failing build leaves the previous output), the
# machine-readable outputs, template overrides, and hostile text rendered
# inert (checked by parsing the HTML with tests/site/dom_check.py).
#
#   sh tests/t-site.sh
. "$(cd "$(dirname "$0")" && pwd)/lib.sh"

AS_OF=2026-11-22
S=$(scratch site)
DOM=$TOP/tests/site/dom_check.py

# A copy of content/ with its sample logs, as `make` builds it.
mkdir -p "$S/content" && (cd "$TOP/content" && tar cf - --exclude=./logs .) |
    (cd "$S/content" && tar xf -)
"$CHARTER" log sample --content "$S/content" --as-of $AS_OF --problems -q ||
    fail site.setup "log sample failed"

build() {
	"$CHARTER" build --content "$1" --out "$2" --as-of $AS_OF \
	    >"$S/stdout" 2>"$S/err"
}

# expect NAME STATUS: the last build's exit status.
expect() {
	if [ "$rc" -eq "$2" ]; then
		pass "$1"
	else
		fail "$1" "exit $rc, expected $2" "$(head -5 "$S/err")"
	fi
}

# ---- the site of content/ ---------------------------------------------------

build "$S/content" "$S/out"
rc=$?
expect site.build-content 1	# content/ plants errors (t-content.sh)
# The closing summary on stdout, its counts those of the output.
npacks=$(ls "$S"/content/systems/*.yaml | wc -l)
nfiles=$(find "$S/out" -type f | wc -l)
# The overview, a page per system, four registers, a page per .md file.
npages=$((1 + npacks + 4 + $(find "$S/content" -name '*.md' | wc -l)))
if grep -qE "^charter: built $S/out in [0-9]+\.[0-9] s: $npages pages, $npacks packs \([0-9]+ complete\), audit\.xlsx with [0-9]+ decision rows; $nfiles files, [0-9.]+ MB; 4 errors, 1 warning, 0 notes\$" "$S/stdout" &&
    [ "$(wc -l <"$S/stdout")" -eq 1 ]; then
	pass site.summary
else
	fail site.summary "$(cat "$S/stdout")" "expected $npacks packs, $nfiles files"
fi
"$CHARTER" build -q --format json --content "$S/content" --out "$S/out" \
    --as-of $AS_OF >"$S/quiet" 2>/dev/null
"$CHARTER" build --format json --content "$S/content" --out "$S/out" \
    --as-of $AS_OF >"$S/json" 2>/dev/null
rc=$?
if [ ! -s "$S/quiet" ] && [ $rc -eq 1 ] && "$PY" - "$S/json" "$nfiles" "$npacks" "$npages" <<'EOF'
import json, sys
j = json.load(open(sys.argv[1]))
assert j["exit"] == 1 and j["files"] == int(sys.argv[2]), j
assert j["packs"] == int(sys.argv[3]) and j["pages"] == int(sys.argv[4]), j
assert j["errors"] == 4 and j["warnings"] == 1 and j["workbook_rows"] > 0, j
EOF
then
	pass site.summary-json-quiet
else
	fail site.summary-json-quiet "exit $rc" "$(cat "$S/json" "$S/quiet")"
fi
# The output limit at N and N - 1, N being what the build writes.
bytes=$(sed -n 's/.*"bytes": \([0-9]*\).*/\1/p' "$S/json")
"$CHARTER" build -q --limit output="$bytes" --content "$S/content" \
    --out "$S/out" --as-of $AS_OF 2>/dev/null
rc_n=$?
before=$(snapshot "$S/out")
"$CHARTER" build -q --limit output=$((bytes - 1)) --content "$S/content" \
    --out "$S/out" --as-of $AS_OF 2>"$S/lim"
rc_n1=$?
if [ -n "$bytes" ] && [ $rc_n -eq 1 ] && [ $rc_n1 -eq 4 ] &&
    grep -q "the output would pass the limit of $((bytes - 1)) bytes (limit 'output')" "$S/lim" &&
    [ "$(snapshot "$S/out")" = "$before" ] &&
    [ -z "$(find "$S" -maxdepth 1 -name '.out.tmp.*')" ]; then
	pass site.limit-output
else
	fail site.limit-output "bytes $bytes: exit $rc_n at N, $rc_n1 at N-1" \
	    "$(tail -3 "$S/lim")"
fi
# The CPU-time limit: a build of content/ takes several CPU seconds.
"$CHARTER" build -q --limit cpu=1 --content "$S/content" --out "$S/out" \
    --as-of $AS_OF 2>"$S/cpu"
rc=$?
if [ $rc -eq 3 ] && grep -q "stopped after 1 s of CPU time (limit 'cpu')" "$S/cpu" &&
    [ "$(snapshot "$S/out")" = "$before" ] &&
    [ -z "$(find "$S" -maxdepth 1 -name '.out.tmp.*')" ]; then
	pass site.limit-cpu
else
	fail site.limit-cpu "exit $rc" "$(grep -v ': \(error\|warning\|note\):' "$S/cpu" | tail -3)"
fi
"$CHARTER" build --format sarif --content "$S/content" --out "$S/out" \
    --as-of $AS_OF >/dev/null 2>"$S/bad"
rc=$?
if [ $rc -eq 2 ] && grep -q "unknown format 'sarif'" "$S/bad"; then
	pass site.summary-bad-format
else
	fail site.summary-bad-format "exit $rc" "$(cat "$S/bad")"
fi
missing=
for f in index.html ownership.html decision-rights.html risk-register.html \
    findings.html style.css findings.json findings.sarif summary.md \
    pages/about.html pages/policies/shadow-mode.html; do
	[ -s "$S/out/$f" ] || missing="$missing $f"
done
for y in "$S"/content/systems/*.yaml; do
	id=$(sed -n 's/^id: *//p' "$y")
	[ -s "$S/out/systems/$id.html" ] || missing="$missing systems/$id.html"
done
if [ -z "$missing" ]; then
	pass site.files
else
	fail site.files "missing:$missing"
fi
# Every page, of the site and of the packs, names the libraries whose
# versions shape its bytes (catalogue G6) in its generator tag: the
# versions pkg-config gives, as charter --version prints them.
gen="Charter $("$CHARTER" --version | sed -n '1s/^charter //p') (cmark $(pkg-config --modversion libcmark), libzip $(pkg-config --modversion libzip), zlib $(pkg-config --modversion zlib))"
n=$(find "$S/out" -name '*.html' | wc -l)
bad=$(find "$S/out" -name '*.html' -exec grep -LxF \
    "<meta name=\"generator\" content=\"$gen\">" {} + | head -3)
if [ "$n" -gt "$npages" ] && [ -z "$bad" ]; then
	pass site.generator-libraries
else
	# shellcheck disable=SC2086
	fail site.generator-libraries "expected: $gen" "lacking it:" $bad
fi
if [ -z "$(find "$S" -maxdepth 1 -name '.out.tmp.*')" ]; then
	pass site.no-temp-left
else
	fail site.no-temp-left "$(ls -a "$S")"
fi

# Built again from another working directory, in another time zone and
# umask: byte for byte the same.
(cd /tmp && umask 077 && TZ=Asia/Tokyo "$CHARTER" build --content \
    "$S/content" --out "$S/out2" --as-of $AS_OF 2>/dev/null)
if diff -r "$S/out" "$S/out2" >"$S/diff" 2>&1; then
	pass site.deterministic
else
	fail site.deterministic "$(head -5 "$S/diff")"
fi
if [ "$(stat -c %a "$S/out2/index.html" "$S/out2/systems")" = "644
755" ]; then
	pass site.modes-umask-independent
else
	fail site.modes-umask-independent \
	    "$(stat -c '%a %n' "$S/out2/index.html" "$S/out2/systems")"
fi

# The pages never show the builder's folders: built from an absolute
# path, every HTML page is the same as built from a relative one (the
# findings name their files as given, and MANIFEST.sha256 hashes them).
(cd "$S" && "$CHARTER" build --content content --out out-rel --as-of $AS_OF \
    2>/dev/null)
if diff -r -x '*.json' -x '*.sarif' -x summary.md -x MANIFEST.sha256 \
    "$S/out" "$S/out-rel" \
    >"$S/diff" 2>&1 && ! grep -rq "$S" --include='*.html' "$S/out"; then
	pass site.no-build-paths
else
	fail site.no-build-paths "$(head -5 "$S/diff")"
fi

# The machine-readable findings are what check prints.
"$CHARTER" check --content "$S/content" --as-of $AS_OF --format json \
    >"$S/check.json" 2>/dev/null
"$CHARTER" check --content "$S/content" --as-of $AS_OF --format sarif \
    >"$S/check.sarif" 2>/dev/null
if cmp -s "$S/check.json" "$S/out/findings.json" &&
    cmp -s "$S/check.sarif" "$S/out/findings.sarif"; then
	pass site.findings-json-sarif
else
	fail site.findings-json-sarif "findings.json or .sarif differ from check"
fi
if grep -q '^| error | log.boundary-breach | ap-invoice-agent |' \
    "$S/out/summary.md" && grep -q '^As of 2026-11-22' "$S/out/summary.md"
then
	pass site.summary-md
else
	fail site.summary-md "$(head -12 "$S/out/summary.md")"
fi

# Every page parses, carries the CSP, and has no script, handler,
# dangerous URL or broken relative link.
if "$PY" "$DOM" "$S/out" >"$S/dom" 2>&1; then
	pass site.dom-content
else
	fail site.dom-content "$(grep -A3 '^FAIL' "$S/dom" | head -12)"
fi

# ---- atomic output ------------------------------------------------------------

before=$(snapshot "$S/out")

# wait_temp: until the stalled build's temporary folder appears (10 s).
wait_temp() {
	i=0
	while [ $i -lt 100 ]; do
		[ -n "$(find "$S" -maxdepth 1 -name '.out.tmp.*' 2>/dev/null)" ] &&
		    return 0
		sleep 0.1
		i=$((i + 1))
	done
	return 1
}

# SIGKILL in the middle of writing: the old out/ is untouched.
CHARTER_TEST_STALL_WRITE=20 "$CHARTER" build --content "$S/content" \
    --out "$S/out" --as-of 2026-11-23 2>/dev/null &
pid=$!
if wait_temp; then
	kill -KILL $pid
	wait $pid 2>/dev/null
	if [ "$(snapshot "$S/out")" = "$before" ]; then
		pass site.kill-midway
	else
		fail site.kill-midway "out/ changed after SIGKILL"
	fi
else
	kill -KILL $pid 2>/dev/null
	fail site.kill-midway "no temporary folder appeared"
fi
# The killed build's folder is left; the next build sweeps it, but never
# the folder of a build still running (it holds that folder's lock).  The
# sweeping build fails its first write, so out/ stays as it was.
stale=$(find "$S" -maxdepth 1 -name '.out.tmp.*')
CHARTER_TEST_STALL_WRITE=20 "$CHARTER" build -q --content "$S/content" \
    --out "$S/out" --as-of 2026-11-23 2>/dev/null &
pid=$!
i=0
while [ $i -lt 100 ] &&
    [ "$(find "$S" -maxdepth 1 -name '.out.tmp.*' | wc -l)" -lt 2 ]; do
	sleep 0.1
	i=$((i + 1))
done
live=$(find "$S" -maxdepth 1 -name '.out.tmp.*' | grep -vxF "$stale")
CHARTER_TEST_FAIL_WRITE=1 "$CHARTER" build -q --content "$S/content" \
    --out "$S/out" --as-of 2026-11-23 2>/dev/null
rc=$?
if [ -n "$stale" ] && [ ! -e "$stale" ] && [ -n "$live" ] &&
    [ -d "$live" ] && [ $rc -eq 4 ] &&
    [ "$(snapshot "$S/out")" = "$before" ]; then
	pass site.stale-temp-swept
else
	fail site.stale-temp-swept "exit $rc; stale: $stale" "live: $live" \
	    "$(ls -a "$S")"
fi
kill -KILL $pid 2>/dev/null
wait $pid 2>/dev/null
rm -rf "$S"/.out.tmp.*

# SIGTERM: exit 143, old out/ kept, the temporary folder removed.
CHARTER_TEST_STALL_WRITE=20 "$CHARTER" build --content "$S/content" \
    --out "$S/out" --as-of 2026-11-23 2>"$S/err" &
pid=$!
if wait_temp; then
	kill -TERM $pid
	wait $pid
	rc=$?
	if [ $rc -eq 143 ] && [ "$(snapshot "$S/out")" = "$before" ] &&
	    [ -z "$(find "$S" -maxdepth 1 -name '.out.tmp.*')" ]; then
		pass site.sigterm
	else
		fail site.sigterm "exit $rc" "$(ls -a "$S")" "$(cat "$S/err")"
	fi
else
	kill -KILL $pid 2>/dev/null
	fail site.sigterm "no temporary folder appeared"
fi

# A write that fails (a full disk, simulated): exit 4, out/ kept.
CHARTER_TEST_FAIL_WRITE=7 "$CHARTER" build --content "$S/content" \
    --out "$S/out" --as-of 2026-11-23 2>"$S/err"
rc=$?
if [ $rc -eq 4 ] && [ "$(snapshot "$S/out")" = "$before" ] &&
    [ -z "$(find "$S" -maxdepth 1 -name '.out.tmp.*')" ]; then
	pass site.write-fails
else
	fail site.write-fails "exit $rc" "$(cat "$S/err" | tail -3)"
fi

# A real file-size limit: EFBIG on the largest page, out/ kept.
(ulimit -f 8 && trap '' XFSZ && "$CHARTER" build --content "$S/content" \
    --out "$S/out" --as-of 2026-11-23 2>"$S/err")
rc=$?
if [ $rc -eq 4 ] && [ "$(snapshot "$S/out")" = "$before" ]; then
	pass site.file-size-limit
else
	fail site.file-size-limit "exit $rc" "$(tail -3 "$S/err")"
fi
rm -rf "$S"/.out.tmp.*

# Unreadable input: exit 3, nothing written.
cp -R "$S/content" "$S/broken" && printf 'kind: system\nid: [\n' \
    >"$S/broken/systems/zz-broken.yaml"
build "$S/broken" "$S/out"
rc=$?
if [ $rc -eq 3 ] && [ "$(snapshot "$S/out")" = "$before" ] &&
    grep -q 'not written' "$S/err"; then
	pass site.input-error-writes-nothing
else
	fail site.input-error-writes-nothing "exit $rc" "$(tail -3 "$S/err")"
fi

# out/ as a symbolic link: refused, the link's target untouched.
mkdir -p "$S/elsewhere" && echo keep >"$S/elsewhere/keep" &&
    ln -s elsewhere "$S/linked"
build "$S/content" "$S/linked"
rc=$?
if [ $rc -eq 4 ] && [ "$(ls "$S/elsewhere")" = keep ] && [ -L "$S/linked" ]
then
	pass site.out-symlink-refused
else
	fail site.out-symlink-refused "exit $rc" "$(ls "$S/elsewhere")"
fi

# --out never replaces the repo, a folder holding it, or a folder that is
# not an earlier build's; a top-level out/ inside the repo is not read back.
before=$(snapshot "$S/content")
bad=
for o in "$S/content" "$S/content/systems" "$S" "$S/content/docs/site"; do
	"$CHARTER" build --content "$S/content" --out "$o" --as-of $AS_OF \
	    2>"$S/err"
	rc=$?
	[ $rc -eq 2 ] || bad="$bad $o:exit-$rc"
done
if [ -z "$bad" ] && [ "$(snapshot "$S/content")" = "$before" ]; then
	pass site.out-never-the-repo
else
	fail site.out-never-the-repo "$bad" "$(tail -2 "$S/err")"
fi
# (content/ plants errors: each build exits 1.)
(cd "$S/content" && { "$CHARTER" build --out out --as-of $AS_OF 2>/dev/null
    "$CHARTER" build --out out --as-of $AS_OF 2>/dev/null; })
if [ -f "$S/content/out/index.html" ] && [ ! -e "$S/content/out/pages/out" ]
then
	pass site.out-inside-repo-not-read
else
	fail site.out-inside-repo-not-read "$(ls "$S/content/out/pages")"
fi
rm -rf "$S/content/out" "$S/content/.out.lock"

# ---- templates ------------------------------------------------------------------

# Only values Charter renders itself (cmark's safe HTML, chart.c's SVG)
# are written unescaped by the built-in templates; in the Markdown of the
# packs (*-md), Markdown from the repo too (*_md).
raw=$(grep -o '{{{[^}]*}}}\|{{&[^}]*}}' "$TOP"/templates/site/*.mustache |
    grep -v '_html}}}$\|_svg}}}$\|-md\.mustache:{{{[a-z_]*_md}}}$' || true)
if [ -z "$raw" ]; then
	pass site.raw-only-html-svg
else
	fail site.raw-only-html-svg "$raw"
fi

# A governance repo's own template overrides the built-in one by name.
cp -R "$S/content" "$S/over" && rm -rf "$S/over/logs" && mkdir "$S/over/templates"
cat >"$S/over/templates/ownership.mustache" <<'EOF'
{{<layout}}{{$content}}<h1>Our owners</h1><p>{{org.name}} has {{gaps}} gaps.</p>{{/content}}{{/layout}}
EOF
"$CHARTER" build --content "$S/over" --out "$S/over-out" --as-of $AS_OF \
    --no-logs 2>"$S/err"
rc=$?
if [ $rc -le 1 ] && grep -q '<h1>Our owners</h1>' "$S/over-out/ownership.html" &&
    grep -q 'Lindqvist &amp; Brandt' "$S/over-out/ownership.html"; then
	pass site.template-override
else
	fail site.template-override "exit $rc" "$(tail -3 "$S/err")"
fi

# A template error is a diagnostic at its line and column; nothing written.
printf '<h1>{{title}}</h1>\n<ul>{{#nav}}<li>{{title}}</li>\n' \
    >"$S/over/templates/ownership.mustache"
before=$(snapshot "$S/over-out")
"$CHARTER" build --content "$S/over" --out "$S/over-out" --as-of $AS_OF \
    --no-logs 2>"$S/err"
rc=$?
if [ $rc -eq 3 ] && grep -q "templates/ownership.mustache:2:5: error: .*\[template.syntax\]" "$S/err" &&
    [ "$(snapshot "$S/over-out")" = "$before" ]; then
	pass site.template-syntax-error
else
	fail site.template-syntax-error "exit $rc" "$(grep template "$S/err")"
fi

# A template that is a symbolic link is never followed.
rm "$S/over/templates/ownership.mustache"
ln -s /etc/passwd "$S/over/templates/ownership.mustache"
"$CHARTER" build --content "$S/over" --out "$S/over-out" --as-of $AS_OF \
    --no-logs 2>"$S/err"
rc=$?
if [ $rc -eq 3 ] && grep -q 'input.symlink' "$S/err" &&
    ! grep -rq 'root:' "$S/over-out"; then
	pass site.template-symlink
else
	fail site.template-symlink "exit $rc" "$(tail -3 "$S/err")"
fi

# ---- hostile text ---------------------------------------------------------------

H=$S/hostile
cp -R "$TOP/tests/site/hostile" "$H" && mklog "$H" ||
    fail site.hostile-setup "cannot copy tests/site/hostile"
"$CHARTER" build --content "$H" --out "$S/hostile-out" --as-of $AS_OF \
    2>"$S/err"
rc=$?
if [ $rc -le 1 ] && [ -s "$S/hostile-out/index.html" ]; then
	pass site.hostile-builds
else
	fail site.hostile-builds "exit $rc" "$(head -5 "$S/err")"
fi
if "$PY" "$DOM" "$S/hostile-out" \
    --expect-text '<script>alert("org")</script>' \
    --expect-text 'x" onmouseover="alert(1)' \
    --expect-text "x' autofocus onfocus='alert(2)" \
    --expect-text '{{org.name}} and {{{raw}}}' \
    --expect-text '&amp; stays &amp;' \
    --expect-text '<img src=x onerror=alert(3)>' \
    --expect-text 'KPI <b>bold</b>' \
    >"$S/dom" 2>&1; then
	pass site.hostile-inert
else
	fail site.hostile-inert "$(grep -A3 '^FAIL' "$S/dom" | head -20)"
fi
# Every page is valid UTF-8, whatever bytes or character references
# (cmark writes &#xFFFF; as a lone 0xFF byte) the inputs carry.
if "$PY" -c 'import pathlib, sys
for f in pathlib.Path(sys.argv[1]).rglob("*"):
    if f.is_file() and f.suffix not in (".xlsx", ".zip"):
        f.read_bytes().decode("utf-8")' "$S/hostile-out" \
    2>"$S/utf8"; then
	pass site.hostile-utf8
else
	fail site.hostile-utf8 "$(tail -2 "$S/utf8")"
fi
# Markdown: raw HTML dropped, javascript: links emptied, on every page.
if grep -q 'raw HTML omitted' "$S/hostile-out/pages/notes.html"; then
	pass site.hostile-markdown
else
	fail site.hostile-markdown "raw HTML kept in pages/notes.html"
fi

exit 0
