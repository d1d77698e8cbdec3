#!/bin/sh
# Reproducible output: content/ built twice, from different working
# folders, with different TZ, LANG, umask and wall clock (faketime when
# installed; SOURCE_DATE_EPOCH gives the as-of date either way), must give
# byte-identical out/: every page, pack, zip, the workbook and the
# manifests.  A third build with --as-of instead of SOURCE_DATE_EPOCH must
# match too.  The content folder is named the same way each time: paths in
# findings.json, findings.sarif and summary.md are the command line's, as
# in a compiler's diagnostics.
#
#   sh tests/t-repro.sh
. "$(cd "$(dirname "$0")" && pwd)/lib.sh"

AS_OF=2026-11-22
EPOCH=1795305600	# 2026-11-22T00:00:00Z
S=$(scratch repro)

mkdir -p "$S/content" && (cd "$TOP/content" && tar cf - --exclude=./logs .) |
    (cd "$S/content" && tar xf -)
"$CHARTER" log sample --content "$S/content" --as-of $AS_OF --problems -q ||
    fail repro.setup "log sample failed"
# The inputs, to show no build touched them.
before=$(snapshot "$S/content")

if command -v faketime >/dev/null 2>&1; then
	# libfaketime is preloaded; a sanitizer runtime must not insist on
	# coming first.
	clock_a() { faketime '2026-11-22 08:00:00' "$@"; }
	clock_b() { faketime '2031-06-30 23:59:59' "$@"; }
	ASAN_OPTIONS="${ASAN_OPTIONS:-}:verify_asan_link_order=0"
	export ASAN_OPTIONS
	# The fake clock reaches charter: without a date source it is today.
	# (At noon: a sanitizer build's start-up must not cross midnight.)
	got=$(faketime '2031-06-30 12:00:00' "$CHARTER" check --content \
	    "$S/content" --no-logs --format json 2>/dev/null |
	    sed -n 's/^  "as_of": "\(.*\)",$/\1/p')
	if [ "$got" = 2031-06-30 ]; then
		pass repro.faketime
	else
		fail repro.faketime "as_of under faketime: '$got'"
	fi
else
	clock_a() { "$@"; }
	clock_b() { "$@"; }
	echo "SKIP: repro.faketime not installed; only SOURCE_DATE_EPOCH varies the date source"
fi

# Build A: the repo's parent as working folder, UTC, C.UTF-8, umask 022.
(cd "$S" && umask 022 && clock_a env -u LC_ALL TZ=UTC LANG=C.UTF-8 \
    SOURCE_DATE_EPOCH=$EPOCH "$CHARTER" build --content "$S/content" \
    --out "$S/out-a") >/dev/null 2>"$S/err-a"
rc_a=$?
# Build B: a deep working folder, UTC+14, another LANG, umask 077.
mkdir -p "$S/x/y/z"
(cd "$S/x/y/z" && umask 077 && clock_b env -u LC_ALL \
    TZ=Pacific/Kiritimati LANG=de_DE.UTF-8 LC_NUMERIC=de_DE.UTF-8 \
    SOURCE_DATE_EPOCH=$EPOCH "$CHARTER" build --content "$S/content" \
    --out "$S/out-b") >/dev/null 2>"$S/err-b"
rc_b=$?
# Build C: --as-of instead of the environment.
(cd "$S" && "$CHARTER" build --content "$S/content" --out "$S/out-c" \
    --as-of $AS_OF) >/dev/null 2>"$S/err-c"
rc_c=$?

if [ $rc_a -eq 1 ] && [ $rc_b -eq 1 ] && [ $rc_c -eq 1 ] &&
    [ -s "$S/out-a/index.html" ] && [ -s "$S/out-b/index.html" ] &&
    [ -s "$S/out-c/index.html" ]; then
	pass repro.builds	# content/ plants errors (t-content.sh)
else
	fail repro.builds "exit $rc_a, $rc_b, $rc_c; expected 1 each" \
	    "$(head -3 "$S/err-a")"
fi
for o in b c; do
	if diff -r "$S/out-a" "$S/out-$o" >"$S/diff-$o" 2>&1; then
		pass "repro.identical-$o"
	else
		fail "repro.identical-$o" "$(head -10 "$S/diff-$o")"
	fi
done
# What must be there for the comparison to mean something.
n=$(find "$S/out-a" -type f | wc -l)
z=$(find "$S/out-a/packs" -name '*.zip' | wc -l)
if [ "$n" -gt 100 ] && [ "$z" -ge 10 ] && [ -s "$S/out-a/audit.xlsx" ] &&
    [ -s "$S/out-a/MANIFEST.sha256" ]; then
	pass repro.compared "($n files, $z zips)"
else
	fail repro.compared "only $n files, $z zips"
fi
# The same stderr too: diagnostics do not depend on the environment.
if [ -s "$S/err-a" ] && cmp -s "$S/err-a" "$S/err-b"; then
	pass repro.same-diagnostics
else
	fail repro.same-diagnostics "$(diff "$S/err-a" "$S/err-b" | head -5)"
fi
# Modes do not follow the umask: files 0644, folders 0755.
modes=$(find "$S/out-b" \( -type f ! -perm 0644 \) -print -o \
    \( -type d ! -perm 0755 \) -print | head -3)
if [ -z "$modes" ]; then
	pass repro.modes
else
	fail repro.modes "$modes"
fi
if [ "$(snapshot "$S/content")" = "$before" ]; then
	pass repro.inputs-untouched
else
	fail repro.inputs-untouched "the content folder changed"
fi
exit 0
