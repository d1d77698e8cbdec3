#!/bin/sh
# Hostile inputs on the writing side (shared/hostile-inputs.md C8, C11, D9,
# E1, E5, E7, E8, F3, F4, F5, G1, G2, G5, H2, H4): charter build and
# charter export xlsx.  t-hostile.sh covers what 'check' reads, t-site.sh,
# t-outdir.sh, t-xlsx.sh and t-packs.sh the ordinary outputs; this suite
# adds the hostile cases between them.  tests/hostile-catalogue.md maps
# every row of the catalogue to its cases.
#
# Each case asserts the exit status (never a time-out, never a signal
# unless the case is about one), the message where the wording matters,
# that the input folder is unchanged, and that nothing was written outside
# the output folder or file.
#
# Needs: python3 (zipfile), unzip, a C compiler when tests/failmalloc.so
# is not built (F5).  Uses when present: unshare and strace (H4), a tmpfs
# at /dev/shm (G2), valgrind (G5); a missing one prints a SKIP: line for
# that case.  Under an AddressSanitizer build the out-of-memory and
# valgrind cases are skipped (ASan owns malloc, so the failing-allocation
# shim is never called, it reserves terabytes of address space, so
# 'ulimit -v' cannot bound it, and it cannot run under valgrind).
#
#   sh tests/t-hostile-build.sh
. "$(cd "$(dirname "$0")" && pwd)/lib.sh"

AS_OF=2026-11-22
S=$(scratch hostile-build)
SHM=
OOMW=

cleanup() {
	[ -n "$SHM" ] && rm -rf "$SHM"
	[ -n "$OOMW" ] && rm -rf "$OOMW"
}
trap cleanup EXIT
trap 'cleanup; exit 130' INT TERM HUP

# ASAN: 1 when CHARTER is an AddressSanitizer build, or not a binary at all
# (make check-valgrind's wrapper tests/valgrind.sh): then the cases that
# bound its memory or run it under valgrind are skipped.
ASAN=0
if [ "$(head -c 4 "$CHARTER" | od -An -c | tr -d ' ')" != '177ELF' ]; then
	ASAN=1
elif command -v ldd >/dev/null 2>&1 && ldd "$CHARTER" 2>/dev/null |
    grep -q libasan; then
	ASAN=1
fi

# base DIR: a copy of tests/rules/base with its decision log.
base() {
	mkdir -p "$1" && (cd "$TOP/tests/rules/base" && tar cf - \
	    --exclude='*.db.sql' .) | (cd "$1" && tar xf -) && mklog "$1"
}

# packs DIR: a copy of tests/packs/repo (five systems, one per EU AI Act
# classification) with its decision log.
packs() {
	mkdir -p "$1" && (cd "$TOP/tests/packs/repo" && tar cf - \
	    --exclude='*.sql' .) | (cd "$1" && tar xf -) &&
	    "$CHARTER" log init "$1/logs/hiring-ranker.db" >/dev/null &&
	    sqlite3 -bail "$1/logs/hiring-ranker.db" \
	    <"$TOP/tests/packs/repo/logs/hiring-ranker.db.sql"
}

# build DIR OUT ARG...: charter build with a 60 s time-out; RC, stdout in
# $S/stdout, stderr in $S/err.
build() {
	bd=$1 bo=$2
	shift 2
	timeout -k 5 "${WALL:-60}" "$CHARTER" build --content "$bd" \
	    --out "$bo" "$@" >"$S/stdout" 2>"$S/err"
	RC=$?
}

# report NAME PROBLEMS: PASS, or FAIL with each '|'-separated problem.
report() {
	if [ -z "$2" ]; then
		pass "$1"
		return
	fi
	oldifs=$IFS
	IFS='|'
	set -f
	# shellcheck disable=SC2086
	set -- "$1" $2
	set +f
	IFS=$oldifs
	name=$1
	shift
	fail "$name" "$@" "stderr:" "$(grep -v ': \(warning\|note\): ' \
	    "$S/err" | head -c 1200 | sed 's/^/  /')"
}

# ---- E1, E7: hostile ids never become paths ------------------------------

# Five more systems whose ids are paths, a device name and a backslash:
# each refused by the id grammar (and so left out of the model), and the
# build writes only below its output folder, every zip entry below its
# pack's own folder.
R=$S/ids
base "$R" || fail hbuild.setup "cannot copy tests/rules/base"
n=0
for id in '../../escape-sys' '/tmp/charter-hbuild-abs' 'a\\b' con '..'; do
	n=$((n + 1))
	"$PY" - "$id" "$R/systems/invoice-triage.yaml" "$R/systems/h$n.yaml" \
	    <<'EOF'
import json, sys
s = open(sys.argv[2], encoding="utf-8").read()
out = s.replace("id: invoice-triage\n",
                "id: " + json.dumps(sys.argv[1].replace("\\\\", "\\")) +
                "\n", 1)
assert out != s
open(sys.argv[3], "w", encoding="utf-8").write(out)
EOF
done
# beside DIR: the entries of DIR but the output, its lock file (the build's
# lock against a concurrent build, F7) and this script's own logs.
beside() {
	ls -A "$1" | grep -v '^\(ids-out\|\.ids-out\.lock\|err\|stdout\)$'
}
before=$(snapshot "$R")
around=$(beside "$S")
build "$R" "$S/ids-out" --as-of $AS_OF
p=
[ "$RC" -eq 1 ] || p="$p|exit $RC, expected 1"
nf=$(grep -c '\[schema\.\(pattern\|not\)\]$' "$S/err")
[ "$nf" -eq 5 ] || p="$p|$nf id findings, expected 5"
[ "$(snapshot "$R")" = "$before" ] || p="$p|the content folder changed"
[ "$(beside "$S")" = "$around" ] ||
    p="$p|new entries beside the output: $(beside "$S" | tr '\n' ' ')"
for f in /tmp/charter-hbuild-abs "$TOP/tests/escape-sys" "$S/escape-sys"; do
	[ ! -e "$f" ] && [ ! -e "$f.html" ] || p="$p|wrote $f"
done
[ "$(ls "$S/ids-out/systems" 2>/dev/null | tr '\n' ' ')" = \
    "cv-screening.html invoice-triage.html " ] ||
    p="$p|systems/ holds $(ls "$S/ids-out/systems" | tr '\n' ' ')"
bad=$(find "$S/ids-out" \( -name '*escape*' -o -name 'con.*' -o \
    -name '*hbuild-abs*' -o -name '*\\*' -o -type l \) -print | head -3)
[ -z "$bad" ] || p="$p|unexpected paths: $bad"
for z in "$S"/ids-out/packs/*.zip; do
	[ -f "$z" ] || continue
	top=$(basename "$z" .zip)
	if unzip -Z1 "$z" | grep -v "^$top/[^/]" | grep -q .; then
		p="$p|$(basename "$z") holds an entry outside '$top/'"
	fi
done
report hbuild.ids-stay-inside-out "$p"

# ---- C11, H2: pathological Markdown within the file limit --------------------

# cmark's pathological inputs (its test/pathological_tests.py), each grown
# to just under the default file limit (1 MiB), as one page of a small
# repo.  With the cpu limit at 10 s (cmark's own bound is 5 s a case), the
# build either renders the page or stops with exit 3 naming the limit and
# leaves no output; never a time-out, a kill or a leftover temporary
# folder.  The last two are quadratic or worse in Debian's cmark 0.30.2
# (CVE-2023-22486 and the nested-list case fixed in cmark 0.31).
R=$S/md
base "$R" || fail hbuild.setup "cannot copy tests/rules/base"
rm -rf "$R/logs"
for c in nested-strong-emph emph-openers emph-closers link-openers \
    link-closers mismatched-openers-closers bracket-paren nested-brackets \
    nested-blockquotes nested-lists backticks unclosed-links \
    unclosed-comment many-references cve-2023-22486 \
    nested-list-blank-lines; do
	"$PY" - "$c" "$R/patho.md" <<'EOF'
import sys
cases = {
    "nested-strong-emph": lambda n: "*a **a " * n + "b" + " a** a*" * n,
    "emph-openers": lambda n: "_a " * n,
    "emph-closers": lambda n: "a_ " * n,
    "link-openers": lambda n: "[a" * n,
    "link-closers": lambda n: "a]" * n,
    "mismatched-openers-closers": lambda n: "*a_ " * n,
    "bracket-paren": lambda n: "[ (](" * n,
    "nested-brackets": lambda n: "[" * n + "a" + "]" * n,
    "nested-blockquotes": lambda n: ">" * n + "a",
    "nested-lists": lambda n: "".join("  " * i + "* a\n" for i in range(n)),
    "backticks": lambda n: "".join("e" + "`" * i for i in range(1, n)),
    "unclosed-links": lambda n: "[a](<b" * n,
    "unclosed-comment": lambda n: "</" + "<!--" * n,
    "many-references": lambda n: "".join("[%d]: u\n" % i
                                         for i in range(1, n)) + "[0] " * 1200,
    "cve-2023-22486": lambda n: "![[]()" * n,
    "nested-list-blank-lines": lambda n: "- " * n + "x" + "\n" * n,
}
f, limit = cases[sys.argv[1]], (1 << 20) - 256
lo, hi = 1, 2
while len(f(hi)) <= limit:
    lo, hi = hi, hi * 2
while hi - lo > 1:
    mid = (lo + hi) // 2
    lo, hi = (mid, hi) if len(f(mid)) <= limit else (lo, mid)
open(sys.argv[2], "w").write(f(lo))
EOF
	rm -rf "$S/md-out"
	before=$(snapshot "$R")
	t0=$(date +%s)
	build "$R" "$S/md-out" --as-of $AS_OF --no-logs --limit cpu=10
	t=$(($(date +%s) - t0))
	p=
	case $RC in
	0 | 1)	[ -s "$S/md-out/pages/patho.html" ] ||
		    p="$p|exit $RC but no pages/patho.html" ;;
	3)	grep -q "limit 'cpu'" "$S/err" ||
		    p="$p|exit 3 without naming the cpu limit"
		[ ! -e "$S/md-out" ] || p="$p|exit 3, yet the output exists" ;;
	124 | 137)
		p="$p|not finished after ${t} s: killed (exit $RC)" ;;
	*)	p="$p|exit $RC after ${t} s" ;;
	esac
	# A build stopped inside cmark (it never returns to an outdir call)
	# exits without removing its temporary folder; the next build over
	# the same output sweeps it (one that fails its first write is
	# enough, and never renders the page).
	left=$(find "$S" -maxdepth 1 -name '.md-out.tmp.*' | head -1)
	if [ -n "$left" ]; then
		CHARTER_TEST_FAIL_WRITE=1 "$CHARTER" build -q --content "$R" \
		    --out "$S/md-out" --no-logs --as-of $AS_OF >/dev/null 2>&1
		left=$(find "$S" -maxdepth 1 -name '.md-out.tmp.*' | head -1)
		[ -z "$left" ] || p="$p|temporary folder left, even after the next build: $(basename "$left")"
	fi
	rm -rf "$S"/.md-out.tmp.*
	[ "$(snapshot "$R")" = "$before" ] || p="$p|the content folder changed"
	report "hbuild.markdown-bounded-$c" "$p"
done
rm -f "$R/patho.md"

# ---- E8, G1: zip times never before 1980-01-01 --------------------------------

# SOURCE_DATE_EPOCH at the DOS-date floor (315532800, 1980-01-01) and one
# second below it: the packs are written either way, every zip entry dated
# 1980-01-01 00:00:00 (reproducible-builds.org: clamp, never fail).
R=$S/zip
packs "$R" || fail hbuild.setup "cannot copy tests/packs/repo"
for t in at-floor:315532800 below-floor:315532799; do
	rm -rf "$S/zip-out"
	before=$(snapshot "$R")
	SOURCE_DATE_EPOCH=${t#*:} build "$R" "$S/zip-out"
	p=
	[ "$RC" -le 1 ] || p="$p|exit $RC, expected 0 or 1"
	set -- "$S"/zip-out/packs/*.zip
	if [ ! -f "$1" ]; then
		p="$p|no pack zip written"
	elif ! "$PY" - "$@" >"$S/py" 2>&1 <<'EOF'
import sys, zipfile
bad = []
for z in sys.argv[1:]:
    for i in zipfile.ZipFile(z).infolist():
        if i.date_time != (1980, 1, 1, 0, 0, 0):
            bad.append("%s: %s dated %s" % (z, i.filename, i.date_time))
print("\n".join(bad[:3]))
sys.exit(1 if bad else 0)
EOF
	then
		p="$p|$(head -3 "$S/py" | tr '\n' ' ')"
	fi
	[ "$(snapshot "$R")" = "$before" ] || p="$p|the content folder changed"
	report "hbuild.zip-time-${t%:*}" "$p"
done

# ---- E5, F3, F4: the workbook is one file, replaced whole -------------------------

R=$S/x
base "$R" || fail hbuild.setup "cannot copy tests/rules/base"

# --out names a link: the link is replaced by the workbook (or refused),
# never written through; a dangling link's target is never created.
echo keep >"$S/victim"
sum=$(cksum <"$S/victim")
ln -s victim "$S/link.xlsx"
ln -s nowhere.xlsx "$S/dangling.xlsx"
p=
for l in link dangling; do
	"$CHARTER" export xlsx --content "$R" --out "$S/$l.xlsx" --as-of $AS_OF \
	    >/dev/null 2>"$S/err"
	rc=$?
	if [ $rc -eq 0 ]; then
		{ [ ! -L "$S/$l.xlsx" ] && unzip -tq "$S/$l.xlsx" >/dev/null 2>&1; } ||
		    p="$p|$l: exit 0 but $l.xlsx is not a workbook in place of the link"
	elif [ $rc -ne 4 ] || [ ! -L "$S/$l.xlsx" ]; then
		p="$p|$l: exit $rc, expected 0 (link replaced) or 4 (link kept)"
	fi
done
[ "$(cksum <"$S/victim")" = "$sum" ] || p="$p|the link's target was written"
[ ! -e "$S/nowhere.xlsx" ] || p="$p|the dangling link's target was created"
[ -z "$(find "$S" -maxdepth 1 -name '.*.tmp.*')" ] ||
    p="$p|temporary files left: $(ls -a "$S" | grep tmp | tr '\n' ' ')"
report hbuild.export-out-symlink-not-followed "$p"

# A full disk (a file-size limit, SIGXFSZ ignored) while replacing a
# workbook: exit 4, the previous workbook byte for byte as it was, no
# temporary file beside it.
"$CHARTER" export xlsx --content "$R" --out "$S/prev.xlsx" --as-of $AS_OF \
    2>/dev/null
sum=$(cksum <"$S/prev.xlsx")
(trap '' XFSZ; ulimit -f 8; exec "$CHARTER" export xlsx --content "$R" \
    --out "$S/prev.xlsx" --as-of 2026-11-23) >/dev/null 2>"$S/err"
rc=$?
p=
[ $rc -eq 4 ] || p="$p|exit $rc, expected 4"
grep -q 'cannot write the workbook' "$S/err" ||
    p="$p|no 'cannot write the workbook' message"
[ "$(cksum <"$S/prev.xlsx")" = "$sum" ] || p="$p|the previous workbook changed"
[ -z "$(find "$S" -maxdepth 1 -name '.prev.xlsx.tmp.*')" ] ||
    p="$p|temporary file left"
report hbuild.export-disk-full-keeps-previous "$p"

# ---- D9: formats are a fixed set, never derived from data --------------------------

# Two workbooks with different data (tests/rules/base and tests/packs/repo)
# define the same cell formats: the same set of resolved formats (number
# format, font, fill, border, alignment), though libxlsxwriter numbers them
# in the order of first use; and only a handful.
P=$S/p
packs "$P" || fail hbuild.setup "cannot copy tests/packs/repo"
"$CHARTER" export xlsx --content "$P" --out "$S/packs.xlsx" --as-of $AS_OF \
    2>/dev/null
if "$PY" - "$S/prev.xlsx" "$S/packs.xlsx" >"$S/py" 2>&1 <<'EOF'
import sys, zipfile
import xml.etree.ElementTree as ET
NS = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
def formats(path):
    root = ET.fromstring(zipfile.ZipFile(path).read("xl/styles.xml"))
    codes = {f.get("numFmtId"): f.get("formatCode")
             for f in root.iter(NS + "numFmt")}
    def part(tag):
        el = root.find(NS + tag)
        return [ET.tostring(c) for c in el] if el is not None else []
    fonts, fills, borders = part("fonts"), part("fills"), part("borders")
    out = []
    for xf in root.find(NS + "cellXfs"):
        a = dict(xf.attrib)
        num = a.pop("numFmtId", "0")
        al = xf.find(NS + "alignment")
        out.append((codes.get(num, num), fonts[int(a.pop("fontId", 0))],
                    fills[int(a.pop("fillId", 0))],
                    borders[int(a.pop("borderId", 0))],
                    tuple(sorted(a.items())),
                    ET.tostring(al) if al is not None else b""))
    return sorted(out)
a, b = formats(sys.argv[1]), formats(sys.argv[2])
print(len(a), "and", len(b), "cell formats")
sys.exit(0 if a == b and 0 < len(a) < 64 else 1)
EOF
then
	pass "hbuild.workbook-styles-fixed ($(cat "$S/py"))"
else
	fail hbuild.workbook-styles-fixed "two workbooks with different data" \
	    "define different cell formats:" "$(tail -3 "$S/py")"
fi

# ---- D7: hyperlinks per sheet ---------------------------------------------------------

# Seven systems with 10,000 incidents each (the most kept per system) in
# one log: 70,000 rows in Incidents, each system id a link to its row in
# Systems, past Excel's 65,530 links per sheet.  Every row is written; the
# first 65,530 ids are internal links, the rest plain text; nothing on
# stderr.
R=$S/links
base "$R" || fail hbuild.setup "cannot copy tests/rules/base"
keys=invoice-triage
for k in 2 3 4 5 6 7; do
	sed "s/^id: invoice-triage$/id: links-$k/" \
	    "$R/systems/invoice-triage.yaml" >"$R/systems/links-$k.yaml"
	keys="$keys links-$k"
done
for k in $keys; do
	sqlite3 -bail "$R/logs/invoice-triage.db" "WITH RECURSIVE n(i) AS
	    (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 10000)
	    INSERT INTO incidents (system, opened, severity, serious, summary)
	    SELECT '$k', '2026-10-01', 'low', 0, 'incident ' || i FROM n;" ||
	    fail hbuild.setup "cannot fill the incidents"
done
"$CHARTER" export xlsx --content "$R" --out "$S/links.xlsx" --as-of $AS_OF \
    >/dev/null 2>"$S/err"
rc=$?
if "$PY" - "$S/links.xlsx" >"$S/py" 2>&1 <<'EOF'
import re, sys, zipfile
z = zipfile.ZipFile(sys.argv[1])
wb = z.read("xl/workbook.xml").decode()
names = re.findall(r'<sheet name="([^"]*)" sheetId="\d+" r:id="rId(\d+)"', wb)
n = dict(names)["Incidents"]
x = z.read("xl/worksheets/sheet%s.xml" % n).decode()
rows, links = x.count("<row "), x.count("<hyperlink ")
print(rows - 1, "rows,", links, "links")
external = [p for p in z.namelist() if p.endswith(".rels") and
            b'TargetMode="External"' in z.read(p)]
sys.exit(0 if rows - 1 == 70000 and links == 65530 and not external else 1)
EOF
then
	if [ $rc -eq 0 ] && [ ! -s "$S/err" ]; then
		pass "hbuild.workbook-link-cap ($(cat "$S/py"))"
	else
		fail hbuild.workbook-link-cap "exit $rc" "$(head -3 "$S/err")"
	fi
else
	fail hbuild.workbook-link-cap "exit $rc; expected 70000 rows, 65530" \
	    "links, no external link:" "$(tail -3 "$S/py")" "$(head -3 "$S/err")"
fi

# ---- H4: no network -------------------------------------------------------------------

# The same build with no network at all (a new network namespace): the
# same exit status and the same bytes.
build "$P" "$S/net-ref" --as-of $AS_OF
rc_ref=$RC
ns=
for u in "unshare -rn" "unshare -n"; do
	if $u true 2>/dev/null; then
		ns=$u
		break
	fi
done
if [ -z "$ns" ]; then
	echo "SKIP: hbuild.no-network (unshare cannot make a network namespace here)"
else
	rm -rf "$S/net-out"
	$ns "$CHARTER" build --content "$P" --out "$S/net-out" --as-of $AS_OF \
	    >/dev/null 2>"$S/err"
	rc=$?
	if [ $rc -eq "$rc_ref" ] && [ "$rc_ref" -le 1 ] &&
	    diff -r "$S/net-ref" "$S/net-out" >"$S/diff" 2>&1; then
		pass hbuild.no-network
	else
		fail hbuild.no-network "exit $rc without a network, $rc_ref with" \
		    "$(head -3 "$S/diff")" "$(tail -3 "$S/err")"
	fi
fi
# No network system call at all, in build or export.
if command -v strace >/dev/null 2>&1 && strace -o /dev/null true 2>/dev/null
then
	rm -rf "$S/net-out"
	# LeakSanitizer cannot run under ptrace.
	ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0" \
	    strace -f -qq -e trace=%network -o "$S/net.trace" \
	    "$CHARTER" build --content "$P" --out "$S/net-out" --as-of $AS_OF \
	    >/dev/null 2>&1
	rc=$?
	ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0" \
	    strace -f -qq -e trace=%network -o "$S/net2.trace" \
	    "$CHARTER" export xlsx --content "$P" --out "$S/net.xlsx" \
	    --as-of $AS_OF >/dev/null 2>&1
	rc2=$?
	if [ $rc -le 1 ] && [ $rc2 -eq 0 ] && [ ! -s "$S/net.trace" ] &&
	    [ ! -s "$S/net2.trace" ]; then
		pass hbuild.no-network-syscalls
	else
		fail hbuild.no-network-syscalls "exit $rc and $rc2;" \
		    "$(cat "$S/net.trace" "$S/net2.trace" | head -3)"
	fi
else
	echo "SKIP: hbuild.no-network-syscalls (strace is missing or cannot trace)"
fi

# ---- G2: directory order does not matter --------------------------------------------

# The same repo written twice into a tmpfs (where readdir returns entries
# newest first), once in sorted order and once in reverse, so the two
# copies are listed in opposite orders: the builds are byte-identical.
if [ "$(stat -f -c %T /dev/shm 2>/dev/null)" = tmpfs ] &&
    SHM=$(mktemp -d /dev/shm/charter-hbuild.XXXXXX); then
	"$PY" - "$P" "$SHM" <<'EOF'
import os, shutil, sys
src, dst = sys.argv[1], sys.argv[2]
def copy(s, d, rev):
    os.mkdir(d)
    for name in sorted(os.listdir(s), reverse=rev):
        ps, pd = os.path.join(s, name), os.path.join(d, name)
        if os.path.isdir(ps):
            copy(ps, pd, rev)
        else:
            shutil.copyfile(ps, pd)
for tag, rev in (("a", False), ("b", True)):
    os.mkdir(os.path.join(dst, tag))
    copy(src, os.path.join(dst, tag, "content"), rev)
EOF
	la=$(ls -f "$SHM/a/content/systems" | tr '\n' ' ')
	lb=$(ls -f "$SHM/b/content/systems" | tr '\n' ' ')
	if [ "$la" = "$lb" ]; then
		echo "SKIP: hbuild.readdir-order (the two copies list alike: $la)"
	else
		for t in a b; do
			(cd "$SHM/$t" && "$CHARTER" build --content content \
			    --out out --as-of $AS_OF >/dev/null 2>err)
			echo $? >"$SHM/$t/rc"
		done
		if [ "$(cat "$SHM/a/rc")" -le 1 ] &&
		    cmp -s "$SHM/a/rc" "$SHM/b/rc" &&
		    cmp -s "$SHM/a/err" "$SHM/b/err" &&
		    diff -r "$SHM/a/out" "$SHM/b/out" >"$S/diff" 2>&1; then
			pass hbuild.readdir-order
		else
			fail hbuild.readdir-order "listed '$la' and '$lb':" \
			    "exit $(cat "$SHM/a/rc") and $(cat "$SHM/b/rc")" \
			    "$(head -5 "$S/diff")" \
			    "$(diff "$SHM/a/err" "$SHM/b/err" | head -4)"
		fi
	fi
	rm -rf "$SHM"
	SHM=
else
	echo "SKIP: hbuild.readdir-order (no tmpfs at /dev/shm)"
fi

# ---- F5: out of memory ----------------------------------------------------------------

# The N-th allocation fails (tests/failmalloc.c, an LD_PRELOAD shim;
# SQLite's malloc.test loop).  The repo is tests/packs/repo (five
# systems, a Markdown page, the decision log, 19 warnings): a build writes
# the site, five packs and their zips, the workbook and the manifest, then
# prints the findings and its summary.  First the shim counts a whole
# build (hbuild.oom-count: T allocations, the same output as without the
# shim) and a whole 'export xlsx'.  Then, over the previous output:
#   hbuild.oom-once     builds with the N-th allocation failing, every N
#                       from 1 to 300 and 800 more spread evenly to T;
#                       memory comes back after the one failure (every
#                       recovery path runs, and must end cleanly or change
#                       nothing);
#   hbuild.oom-for-good 120 builds, N spread over the run, every
#                       allocation from the N-th on failing (memory stays
#                       exhausted: the exit and its cleanup must need none);
#   hbuild.oom-export   'export xlsx' over a previous workbook, 100 N
#                       spread over its run.
# Each run either exits as the reference did, with the same output and
# stderr (a failure that changes nothing, such as qsort's fallback), or
# exits 3 saying "charter: out of memory" with the previous output as it
# was (the same files in the same folder, or the same workbook file),
# nothing else left beside it (no temporary folder or file; the lock file
# stays by design) and the inputs untouched: never a signal, a time-out or
# another status.  Charter's own malloc (src/util.c) ends the process
# whoever asked, so no library meets a NULL; libxlsxwriter 1.1.4 and its
# minizip, glibc 2.36's regcomp and OpenSSL 3.0 crash or leave cells out
# when one does (seen with CHARTER_NO_MALLOC_WRAP).  hbuild.oom-ulimit-v
# is a build under real address-space limits ('ulimit -v').  Not run
# under a sanitizer, which owns malloc (the shim would never be called).
# Not checked: leaks on the out-of-memory exit, which frees nothing on
# purpose.
if [ $ASAN -eq 1 ]; then
	for c in oom-count oom-once oom-for-good oom-export oom-ulimit-v; do
		echo "SKIP: hbuild.$c (an AddressSanitizer build or a wrapper: it owns malloc)"
	done
else
	R=$S/oom
	packs "$R" || fail hbuild.setup "cannot copy tests/packs/repo"
	SHIM=$TOP/tests/failmalloc.so
	if [ ! -f "$SHIM" ] ||
	    [ -n "$(find "$TOP/tests/failmalloc.c" -newer "$SHIM")" ]; then
		SHIM=$S/failmalloc.so
		${CC:-cc} -std=c11 -O1 -fPIC -shared -o "$SHIM" \
		    "$TOP/tests/failmalloc.c" -ldl 2>"$S/err" ||
		    fail hbuild.oom-count "cannot build the shim:" \
		    "$(head -3 "$S/err")"
	fi
	# Scratch in a tmpfs when there is one: some 1,300 runs each write
	# and remove up to 190 files (half the time on ext4).
	if [ "$(stat -f -c %T /dev/shm 2>/dev/null)" = tmpfs ] &&
	    OOMW=$(mktemp -d /dev/shm/charter-oom.XXXXXX); then
		:
	else
		OOMW=$S/oom-work
	fi
	t0=$(date +%s)
	"$PY" - "$CHARTER" "$SHIM" "$R" "$OOMW/w" "$AS_OF" >"$S/oom.out" \
	    2>&1 <<'EOF'
import concurrent.futures, hashlib, os, shutil, subprocess, sys

charter, shim, content, work, as_of = sys.argv[1:6]
CASES = ("oom-count", "oom-once", "oom-for-good", "oom-export")


def tree(d):
    """Every file and folder below d (or the file d) with a digest."""
    if os.path.isfile(d):
        with open(d, "rb") as f:
            return {"": hashlib.sha256(f.read()).hexdigest()}
    out = {}
    for root, dirs, files in os.walk(d):
        for x in dirs:
            out[os.path.relpath(os.path.join(root, x), d) + "/"] = ""
        for x in files:
            with open(os.path.join(root, x), "rb") as f:
                out[os.path.relpath(os.path.join(root, x), d)] = \
                    hashlib.sha256(f.read()).hexdigest()
    return out


def stats(d):
    """Every entry below d (and d) with its inode, size and times: a run
    never writes into a previous output (it puts a new one in its place),
    so a rewrite or a replacement shows, cheaper than tree()."""
    def one(p):
        st = os.lstat(p)
        return (st.st_ino, st.st_size, st.st_mtime_ns, st.st_ctime_ns)
    out = {"": one(d)}
    for root, dirs, files in os.walk(d):
        for x in dirs + files:
            p = os.path.join(root, x)
            out[os.path.relpath(p, d)] = one(p)
    return out


def run(mode, wd, env):
    """(exit status or None for a time-out, stderr) of one run in wd."""
    if mode == "oom-export":
        cmd = ["export", "xlsx", "--out", os.path.join(wd, "audit.xlsx")]
    else:
        cmd = ["build", "--out", os.path.join(wd, "out")]
    try:
        p = subprocess.run([charter] + cmd + ["--content", content,
                                              "--as-of", as_of],
                           env=dict(os.environ, **env),
                           stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                           timeout=60)
        return p.returncode, p.stderr.decode("utf-8", "replace")
    except subprocess.TimeoutExpired:
        return None, ""


def target(mode, wd):
    return os.path.join(wd, "audit.xlsx" if mode == "oom-export" else "out")


shutil.rmtree(work, ignore_errors=True)
refdir = os.path.join(work, "ref")
os.makedirs(refdir)
inputs = tree(content)
ref, total, problems = {}, {}, []
for mode in ("oom-once", "oom-export"):
    rc, err = run(mode, refdir, {})
    ref[mode] = (rc, err, tree(target(mode, refdir)))
    if rc not in (0, 1):
        problems.append("the reference %s exited %s" % (mode, rc))
    wd = os.path.join(work, "count-" + mode)
    os.makedirs(wd)
    count = os.path.join(work, "n")
    rc, err = run(mode, wd, {"LD_PRELOAD": shim,
                             "CHARTER_FAILMALLOC_COUNT": count})
    total[mode] = int(open(count).read()) if os.path.exists(count) else 0
    if (rc, err, tree(target(mode, wd))) != ref[mode]:
        problems.append("under the shim, %s exits %s, not %s, or writes "
                        "another output" % (mode, rc, ref[mode][0]))
    if total[mode] < 1000:
        problems.append("the shim counted %d allocations" % total[mode])
ref["oom-for-good"] = ref["oom-once"]
total["oom-for-good"] = total["oom-once"]
print("case oom-count %d allocations in a build, %d in an export%s" % (
    total["oom-once"], total["oom-export"],
    "".join("\n  " + p for p in problems)))
if problems:
    sys.exit(0)


def one(job):
    mode, n = job
    wd = os.path.join(work, "w%d" % os.getpid())
    if not os.path.isdir(wd):
        shutil.copytree(refdir, wd, symlinks=True)
    keep = sorted(os.listdir(wd))
    out = target(mode, wd)
    before, inputs_before = stats(out), stats(content)
    who = os.path.join(work, "who%d" % os.getpid())
    if os.path.exists(who):
        os.unlink(who)
    rc, err = run(mode, wd, {
        "LD_PRELOAD": shim, "CHARTER_FAILMALLOC_AT": str(n),
        "CHARTER_FAILMALLOC_PERSIST": "1" if mode == "oom-for-good" else "",
        "CHARTER_FAILMALLOC_WHO": who})
    asked = open(who).read().strip() if os.path.exists(who) else "?"
    rc_ref, err_ref, out_ref = ref[mode]
    p = []
    if rc is None:
        p.append("no exit within 60 s")
    elif rc < 0 or rc >= 128:
        p.append("killed by signal %d" % (-rc if rc < 0 else rc - 128))
    elif rc in (0, 1):
        if (rc, err, tree(out)) != (rc_ref, err_ref, out_ref):
            p.append("exit %d, with an output or stderr unlike the "
                     "reference (exit %d)" % (rc, rc_ref))
    elif rc == 3:
        if "charter: out of memory" not in err:
            p.append("exit 3 without 'charter: out of memory'")
        if stats(out) != before:
            p.append("exit 3, and the previous output changed")
    else:
        p.append("exit %d" % rc)
    left = sorted(set(os.listdir(wd)) - set(keep))
    if left:
        p.append("left: " + " ".join(left))
    if stats(content) != inputs_before:
        p.append("the inputs changed")
    if p:
        line = [x for x in err.splitlines() if ": warning: " not in x]
        p.append("(allocation asked by %s; stderr: %s)" %
                 (asked, line[0][:120] if line else "nothing"))
        shutil.rmtree(wd, ignore_errors=True)
    return mode, n, rc, p


T = total["oom-once"]
step = max(1, -(-(T - 300) // 800))
jobs = [("oom-once", n) for n in range(1, min(T, 300) + 1)]
jobs += [("oom-once", n) for n in range(301, T, step)] + [("oom-once", T)]
jobs += [("oom-for-good", n) for n in range(1, T, -(-T // 120))]
jobs += [("oom-for-good", T)]
E = total["oom-export"]
jobs += [("oom-export", n) for n in range(1, E, -(-E // 100))]
jobs += [("oom-export", E)]
results = {c: [] for c in CASES[1:]}
with concurrent.futures.ProcessPoolExecutor(2) as ex:
    for mode, n, rc, p in ex.map(one, jobs, chunksize=8):
        results[mode].append((n, rc, p))
if tree(content) != inputs:
    results["oom-once"].append((0, 0, ["the inputs changed"]))
for mode, rs in results.items():
    bad = [r for r in rs if r[2]]
    print("case %s %d runs, N from %d to %d of %d, exit %s%s" % (
        mode, len(rs), rs[0][0], rs[-1][0], total[mode],
        "/".join(sorted(set(str(r[1]) for r in rs))),
        "".join("\n  N=%d: %s" % (n, "; ".join(p)) for n, rc, p in bad[:12])))
    if len(bad) > 12:
        print("  ... and %d more" % (len(bad) - 12))
EOF
	rc=$?
	secs=$(($(date +%s) - t0))
	for c in oom-count oom-once oom-for-good oom-export; do
		line=$(grep "^case $c " "$S/oom.out")
		detail=$(sed -n "/^case $c /,/^case /p" "$S/oom.out" |
		    grep '^  ' | sed 's/^  //')
		if [ $rc -ne 0 ] || [ -z "$line" ]; then
			fail "hbuild.$c" "the driver exited $rc:" \
			    "$(tail -5 "$S/oom.out")"
		elif [ -n "$detail" ]; then
			fail "hbuild.$c" "$(echo "$detail" | sed '2,$s/^/    /')"
		else
			pass "hbuild.$c (${line#"case $c "})"
		fi
	done
	echo "# hbuild.oom-*: ${secs} s"
	rm -rf "$OOMW"
	OOMW=

	# A build under real address-space limits, from where the program
	# cannot even load up to where the build succeeds twice in a row.
	rm -rf "$S/oom-out"
	build "$R" "$S/oom-out" --as-of $AS_OF
	ref_rc=$RC
	p=
	[ "$RC" -le 1 ] || p="$p|the reference build exited $RC"
	v=4096 ok=0 failed=0 runs=0
	while [ $ok -lt 2 ] && [ $v -le 262144 ] && [ -z "$p" ]; do
		before=$(snapshot "$S/oom-out")
		ino=$(stat -c %i "$S/oom-out")
		(sh -c 'ulimit -v "$1"; shift; exec "$@"' sh "$v" "$CHARTER" \
		    build --content "$R" --out "$S/oom-out" --as-of $AS_OF \
		    >/dev/null 2>"$S/err"; echo $? >"$S/rc") 2>/dev/null
		rc=$(cat "$S/rc")
		if [ $rc -eq 127 ] && grep -q 'error while loading shared' "$S/err"
		then
			v=$((v + 512))
			continue
		fi
		runs=$((runs + 1))
		case $rc in
		0 | 1)
			ok=$((ok + 1))
			[ "$rc" -eq "$ref_rc" ] ||
			    p="$p|at $v KiB: exit $rc, the reference $ref_rc"
			"$CHARTER" verify "$S/oom-out" >/dev/null 2>&1 ||
			    p="$p|at $v KiB: exit $rc, but verify rejects out/" ;;
		3)
			ok=0
			failed=$((failed + 1))
			grep -q 'charter: out of memory' "$S/err" ||
			    p="$p|at $v KiB: exit 3 without 'charter: out of memory'"
			[ "$(snapshot "$S/oom-out")" = "$before" ] &&
			    [ "$(stat -c %i "$S/oom-out")" = "$ino" ] ||
			    p="$p|at $v KiB: exit 3 and out/ changed" ;;
		*)
			p="$p|at $v KiB: exit $rc: $(grep -v ': warning: ' \
			    "$S/err" | head -1 | cut -c1-100)" ;;
		esac
		left=$(find "$S" -maxdepth 1 -name '.oom-out.*' ! -name '.oom-out.lock')
		[ -z "$left" ] || p="$p|at $v KiB: left $left"
		rm -rf "$S"/.oom-out.tmp.*
		v=$((v + 512))
	done
	[ $failed -gt 0 ] || p="$p|no limit made the build fail ($runs runs)"
	[ $ok -ge 2 ] || p="$p|the build never succeeded up to 256 MiB"
	if [ -z "$p" ]; then
		pass "hbuild.oom-ulimit-v ($runs limits, $failed out of memory, out/ kept)"
	else
		report hbuild.oom-ulimit-v "$p"
	fi
fi

# ---- G5: no uninitialised memory reaches the output ---------------------------------

# memcheck on a build that writes every kind of output (pages, packs, zips,
# the workbook, the manifest): no error, and the same bytes as without it.
if [ $ASAN -eq 1 ]; then
	echo "SKIP: hbuild.valgrind-memcheck (an AddressSanitizer build or a wrapper)"
elif ! command -v valgrind >/dev/null 2>&1; then
	echo "SKIP: hbuild.valgrind-memcheck (valgrind is not installed)"
else
	rm -rf "$S/vg-out"
	valgrind -q --error-exitcode=99 --log-file="$S/vg.log" \
	    --suppressions="$TOP/tests/valgrind.supp" \
	    "$CHARTER" build --content "$P" --out "$S/vg-out" --as-of $AS_OF \
	    >/dev/null 2>"$S/err"
	rc=$?
	if [ $rc -le 1 ] && [ ! -s "$S/vg.log" ] &&
	    diff -r "$S/net-ref" "$S/vg-out" >"$S/diff" 2>&1; then
		pass hbuild.valgrind-memcheck
	else
		fail hbuild.valgrind-memcheck "exit $rc" "$(head -12 "$S/vg.log")" \
		    "$(head -3 "$S/diff")"
	fi
fi

# ---- C8: no target=_blank, so no window.opener to guard -------------------------------

# The hostile site fixture (markup and links in every text field): no page
# opens a link in a new window, which is what rel="noopener" is for.
H=$S/hostile
cp -R "$TOP/tests/site/hostile" "$H" && mklog "$H" ||
    fail hbuild.setup "cannot copy tests/site/hostile"
build "$H" "$S/hostile-out" --as-of $AS_OF
if [ "$RC" -le 1 ] && [ -s "$S/hostile-out/index.html" ] &&
    ! grep -rqi 'target=' --include='*.html' "$S/hostile-out"; then
	pass hbuild.no-target-blank
else
	fail hbuild.no-target-blank "exit $RC" \
	    "$(grep -rli 'target=' --include='*.html' "$S/hostile-out" | head -3)"
fi

# Keep the scratch folder for a look when something failed.
[ "$T_FAILS" -eq 0 ] && rm -rf "$S"
exit 0
