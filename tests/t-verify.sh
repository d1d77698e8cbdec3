#!/bin/sh
# MANIFEST.sha256, the zip writer and charter verify.
#
# The build's manifest: sha256sum -c accepts it, it lists exactly the files
# of out/ (sorted, not itself), and two builds write the same one.  verify
# on a folder: a clean tree passes; a changed byte, a removed file and an
# added file are named; a symbolic link or FIFO is reported, never
# followed or read; names are escaped; a malformed manifest, or one naming
# '../x', an absolute path or a backslash, is exit 3 with FILE:LINE:COL.
# The zip writer (tests/zip-test drives src/zipw.c): identical bytes
# whatever TZ, umask or argument order; unzip -t and Python's zipfile read
# it back (content, UTC time, mode 0644, no extra field); unsafe names are
# refused.  verify on a zip: a pack-shaped zip passes; a changed, added or
# unsafe entry is exit 1 and nothing is extracted; a zip bomb, a lying
# header, a zip with no manifest or a broken one is exit 3.
#
#   sh tests/t-verify.sh
. "$(cd "$(dirname "$0")" && pwd)/lib.sh"

AS_OF=2026-11-22
MTIME=1795305600	# 2026-11-22T00:00:00Z
S=$(scratch verify)
ZT=$TOP/tests/zip-test
R=$S/repo
OUT=$S/out

# vrun ARG...: charter verify, output in $S/vout and $S/verr, status in rc.
vrun() {
	"$CHARTER" verify "$@" >"$S/vout" 2>"$S/verr"
	rc=$?
}

# expect NAME STATUS [LINE...]: the last vrun's status, and exactly these
# lines before its summary line (none: no difference printed).
expect() {
	name=$1 want=$2
	shift 2
	got=$(sed '$d' "$S/vout")
	exp=$(if [ $# -gt 0 ]; then printf '%s\n' "$@"; fi)
	if [ "$rc" -eq "$want" ] && [ "$got" = "$exp" ]; then
		pass "$name"
	else
		fail "$name" "exit $rc, expected $want" "stdout:" \
		    "$(head -8 "$S/vout")" "stderr:" "$(head -4 "$S/verr")" \
		    "expected lines:" "$exp"
	fi
}

# has NAME PATTERN FILE: a fixed string in a file.
has() {
	if grep -qF -- "$2" "$3"; then
		pass "$1"
	else
		fail "$1" "'$2' not in $(basename "$3"):" "$(head -5 "$3")"
	fi
}

# A fresh copy of the build to damage.
work() {
	rm -rf "$S/w"
	cp -a "$OUT" "$S/w"
}

# ---- the build's manifest --------------------------------------------------

mkdir -p "$R" && (cd "$TOP/tests/rules/base" && tar cf - --exclude='*.db' .) |
    (cd "$R" && tar xf -)
mklog "$R" || fail verify.setup "cannot make the decision log"
"$CHARTER" build --content "$R" --out "$OUT" --as-of $AS_OF 2>"$S/err"
rc=$?
if [ $rc -eq 0 ] && [ -s "$OUT/MANIFEST.sha256" ]; then
	pass verify.build-writes-manifest
else
	fail verify.build-writes-manifest "exit $rc" "$(head -5 "$S/err")"
	exit 1
fi

if (cd "$OUT" && sha256sum --strict --quiet -c MANIFEST.sha256) \
    >"$S/sum" 2>&1; then
	pass verify.sha256sum-accepts
else
	fail verify.sha256sum-accepts "$(head -5 "$S/sum")"
fi

(cd "$OUT" && find . -type f ! -path ./MANIFEST.sha256 | sed 's|^\./||' |
    LC_ALL=C sort) >"$S/files"
cut -c67- "$OUT/MANIFEST.sha256" >"$S/listed"
if cmp -s "$S/files" "$S/listed" && grep -qx audit.xlsx "$S/listed" &&
    grep -q '^systems/.*\.html$' "$S/listed"; then
	pass verify.manifest-lists-every-file-sorted
else
	fail verify.manifest-lists-every-file-sorted \
	    "$(diff "$S/files" "$S/listed" | head -5)"
fi
if [ "$(grep -cvE '^[0-9a-f]{64}  [^ ]' "$OUT/MANIFEST.sha256")" = 0 ] &&
    [ "$(tail -c 1 "$OUT/MANIFEST.sha256" | od -An -c | tr -d ' ')" = '\n' ]
then
	pass verify.manifest-format
else
	fail verify.manifest-format "$(head -3 "$OUT/MANIFEST.sha256")"
fi

# Another build from elsewhere, in another time zone and umask.
(cd /tmp && umask 077 && TZ=Asia/Tokyo "$CHARTER" build --content "$R" \
    --out "$S/out2" --as-of $AS_OF 2>/dev/null)
if cmp -s "$OUT/MANIFEST.sha256" "$S/out2/MANIFEST.sha256"; then
	pass verify.manifest-deterministic
else
	fail verify.manifest-deterministic \
	    "$(diff "$OUT/MANIFEST.sha256" "$S/out2/MANIFEST.sha256" | head -5)"
fi

# The manifest is the build's last write: the last write failing (found
# by counting down from one past the files listed) is the manifest's, and
# leaves out/ as it was.
cp -a "$OUT" "$S/last"
k=$(($(wc -l <"$S/listed") + 2))
while [ $k -gt 0 ]; do
	k=$((k - 1))
	CHARTER_TEST_FAIL_WRITE=$k "$CHARTER" build --content "$R" \
	    --out "$S/last" --as-of $AS_OF >/dev/null 2>"$S/err"
	rc=$?
	[ $rc -eq 0 ] || break
done
if [ $rc -eq 4 ] && grep -q "cannot write '.*/MANIFEST.sha256'" "$S/err" &&
    diff -r "$OUT" "$S/last" >/dev/null; then
	pass verify.manifest-last-write
else
	fail verify.manifest-last-write "exit $rc at write $k" "$(head -3 "$S/err")"
fi

# ---- verify DIR ------------------------------------------------------------

N=$(wc -l <"$S/files" | tr -d ' ')
vrun "$OUT"
expect verify.dir-clean 0
has verify.dir-clean-summary "verify: $N files match $OUT/MANIFEST.sha256" \
    "$S/vout"
vrun "$OUT/"
expect verify.dir-trailing-slash 0

# Every pack the build zipped verifies on its own (when there are packs).
for z in "$OUT"/packs/*.zip; do
	[ -f "$z" ] || continue
	vrun "$z"
	expect "verify.build-pack $(basename "$z")" 0
done

# One byte changed, size kept.
work
page=$(cd "$S/w" && ls systems/*.html | head -1)
printf 'X' | dd of="$S/w/$page" bs=1 seek=10 conv=notrunc 2>/dev/null
vrun "$S/w"
expect verify.dir-changed-byte 1 "changed: $page"

work
rm "$S/w/findings.json"
vrun "$S/w"
expect verify.dir-missing 1 "missing: findings.json"

work
echo new >"$S/w/new.txt"
mkdir -p "$S/w/systems/sub"
echo deep >"$S/w/systems/sub/deep.txt"
vrun "$S/w"
expect verify.dir-added 1 "added: new.txt" "added: systems/sub/deep.txt"

work
echo x >>"$S/w/index.html"
rm "$S/w/summary.md"
echo new >"$S/w/aaa.txt"
vrun "$S/w"
expect verify.dir-all-three-sorted 1 "added: aaa.txt" "changed: index.html" \
    "missing: summary.md"
has verify.dir-summary-counts "verify: 1 changed, 1 missing, 1 added;" \
    "$S/vout"

# A listed file replaced by a link to an identical copy outside, and a link
# to a folder outside: reported, neither followed.
work
mkdir -p "$S/outside/d"
cp "$S/w/style.css" "$S/outside/style.css"
echo secret >"$S/outside/d/secret.txt"
rm "$S/w/style.css"
ln -s "$S/outside/style.css" "$S/w/style.css"
ln -s "$S/outside/d" "$S/w/dirlink"
vrun "$S/w"
expect verify.dir-symlinks-not-followed 1 \
    "added: dirlink (a symbolic link, not followed)" \
    "changed: style.css (a symbolic link, not followed)"

# FIFOs: reported without being opened (opening one would block).
work
mkfifo "$S/w/pipe"
rm "$S/w/summary.md"
mkfifo "$S/w/summary.md"
timeout 20 "$CHARTER" verify "$S/w" >"$S/vout" 2>"$S/verr"
rc=$?
expect verify.dir-fifo-not-read 1 "added: pipe (not a regular file)" \
    "changed: summary.md (not a regular file)"

# Control characters in names reach the terminal escaped.
work
touch "$S/w/$(printf 'evil\033[31m')" "$S/w/$(printf 'a\nb')"
vrun "$S/w"
if [ $rc -eq 1 ] && grep -qF 'added: evil\x1b[31m' "$S/vout" &&
    grep -qF 'added: a\x0ab' "$S/vout" &&
    ! grep -q "$(printf '\033')" "$S/vout"; then
	pass verify.dir-names-escaped
else
	fail verify.dir-names-escaped "exit $rc" "$(od -c "$S/vout" | head -5)"
fi

work
d="$S/w"
i=0
while [ $i -lt 70 ]; do d="$d/d"; i=$((i + 1)); done
mkdir -p "$d"
vrun "$S/w"
if [ $rc -eq 3 ] && grep -q 'levels deep' "$S/verr"; then
	pass verify.dir-depth-bounded
else
	fail verify.dir-depth-bounded "exit $rc" "$(head -3 "$S/verr")"
fi

# ---- malformed manifests: exit 3, FILE:LINE:COL ----------------------------

# bad NAME WHERE SED-SCRIPT: the manifest edited by sed, exit 3 and an
# error at WHERE (":LINE:COL: error:").
bad() {
	work
	sed "$3" "$OUT/MANIFEST.sha256" >"$S/w/MANIFEST.sha256"
	vrun "$S/w"
	if [ $rc -eq 3 ] &&
	    grep -qF "$S/w/MANIFEST.sha256$2: error:" "$S/verr"; then
		pass "$1"
	else
		fail "$1" "exit $rc, expected 3 and '$2: error:'" \
		    "$(head -3 "$S/verr")"
	fi
}
bad verify.manifest-short-digest :2:64 '2s/^.//'
bad verify.manifest-upper-case :1:1 '1s/^./A/'
bad verify.manifest-one-space :3:66 '3s/  / /'
bad verify.manifest-empty-line :2:1 '1a\
'
bad verify.manifest-crlf :1:67 's/$/\r/'
bad verify.manifest-twice :2:67 '1p'
bad verify.manifest-dotdot :1:67 '1s/  .*/  ..\/secret/'
bad verify.manifest-absolute :1:67 '1s|  .*|  /etc/hostname|'
bad verify.manifest-backslash :1:67 '1s/  .*/  systems\\x.html/'
bad verify.manifest-dot-part :1:67 '1s/  .*/  .\/index.html/'
bad verify.manifest-lists-itself "" '1s/  .*/  MANIFEST.sha256/'

# '*' (binary mode) is accepted.
work
sed 's/^\([0-9a-f]*\)  /\1 */' "$OUT/MANIFEST.sha256" >"$S/w/MANIFEST.sha256"
vrun "$S/w"
expect verify.manifest-binary-mode 0

# A manifest naming ../secret with secret's true digest, beside the tree:
# refused, and (where strace exists) never opened.
work
echo secret >"$S/secret"
printf '%s  ../secret\n' "$(sha256sum <"$S/secret" | cut -c1-64)" \
    >>"$S/w/MANIFEST.sha256"
vrun "$S/w"
opened=0
# LeakSanitizer cannot run under ptrace: no leak check in this second run.
if command -v strace >/dev/null 2>&1 && strace -o /dev/null true 2>/dev/null
then
	ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0" \
	    strace -f -e trace=open,openat,openat2 -o "$S/trace" \
	    "$CHARTER" verify "$S/w" >/dev/null 2>&1
	opened=$(grep -c 'secret' "$S/trace")
fi
if [ $rc -eq 3 ] && [ "$opened" = 0 ] &&
    grep -q "MANIFEST.sha256:$((N + 1)):67: error:.*'\.\./secret'" \
    "$S/verr"; then
	pass verify.manifest-outside-refused
else
	fail verify.manifest-outside-refused "exit $rc, $opened opens" \
	    "$(head -3 "$S/verr")"
fi

work
rm "$S/w/MANIFEST.sha256"
vrun "$S/w"
if [ $rc -eq 3 ] && grep -q "cannot open '.*MANIFEST.sha256'" "$S/verr"; then
	pass verify.manifest-absent
else
	fail verify.manifest-absent "exit $rc" "$(head -3 "$S/verr")"
fi

work
mv "$S/w/MANIFEST.sha256" "$S/real.sha256"
ln -s "$S/real.sha256" "$S/w/MANIFEST.sha256"
vrun "$S/w"
if [ $rc -eq 3 ] && grep -q 'symbolic link' "$S/verr"; then
	pass verify.manifest-symlink-refused
else
	fail verify.manifest-symlink-refused "exit $rc" "$(head -3 "$S/verr")"
fi

# ---- the command line ------------------------------------------------------

for args in "" "$OUT $OUT" "--bogus $OUT"; do
	# shellcheck disable=SC2086
	vrun $args
	if [ $rc -eq 2 ] && grep -q '^usage: charter verify' "$S/verr"; then
		pass "verify.usage '$args'"
	else
		fail "verify.usage '$args'" "exit $rc" "$(head -3 "$S/verr")"
	fi
done
vrun --help
if [ $rc -eq 0 ] && grep -q '^usage: charter verify DIR|ZIP' "$S/vout" &&
    grep -q 'exit status' "$S/vout"; then
	pass verify.help
else
	fail verify.help "exit $rc"
fi
if "$CHARTER" --help | grep -q '^  verify '; then
	pass verify.in-main-help
else
	fail verify.in-main-help "charter --help does not list verify"
fi
vrun /dev/null
if [ $rc -eq 3 ]; then pass verify.not-folder-or-zip; else
	fail verify.not-folder-or-zip "exit $rc"; fi
vrun "$S/no-such"
if [ $rc -eq 3 ]; then pass verify.no-such-path; else
	fail verify.no-such-path "exit $rc"; fi

# ---- the zip writer --------------------------------------------------------

Z=$S/z
mkdir -p "$Z"
printf 'hello\n' >"$Z/a.txt"
"$PY" -c 'import sys; sys.stdout.buffer.write(bytes(range(256)) * 400)' \
    >"$Z/b.bin"
: >"$Z/empty"
printf 'caf\303\251\n' >"$Z/u.txt"
(umask 022 && TZ=UTC "$ZT" "$S/z1.zip" $MTIME ID/a.txt="$Z/a.txt" \
    ID/b.bin="$Z/b.bin" ID/empty="$Z/empty" \
    "ID/caf$(printf '\303\251').txt=$Z/u.txt" ID/sub/x.md="$Z/a.txt")
rc1=$?
(umask 077 && TZ=Asia/Tokyo "$ZT" "$S/z2.zip" $MTIME ID/sub/x.md="$Z/a.txt" \
    "ID/caf$(printf '\303\251').txt=$Z/u.txt" ID/empty="$Z/empty" \
    ID/b.bin="$Z/b.bin" ID/a.txt="$Z/a.txt")
(umask 002 && env -u TZ "$ZT" "$S/z3.zip" $MTIME ID/empty="$Z/empty" \
    ID/a.txt="$Z/a.txt" ID/sub/x.md="$Z/a.txt" ID/b.bin="$Z/b.bin" \
    "ID/caf$(printf '\303\251').txt=$Z/u.txt")
(TZ=America/Los_Angeles "$ZT" "$S/z4.zip" $MTIME ID/b.bin="$Z/b.bin" \
    ID/a.txt="$Z/a.txt" ID/empty="$Z/empty" ID/sub/x.md="$Z/a.txt" \
    "ID/caf$(printf '\303\251').txt=$Z/u.txt")
if [ $rc1 -eq 0 ] && cmp "$S/z1.zip" "$S/z2.zip" >"$S/cmp" 2>&1 &&
    cmp "$S/z1.zip" "$S/z3.zip" >>"$S/cmp" 2>&1 &&
    cmp "$S/z1.zip" "$S/z4.zip" >>"$S/cmp" 2>&1; then
	pass zip.deterministic-tz-umask-order
else
	fail zip.deterministic-tz-umask-order "exit $rc1" "$(cat "$S/cmp")"
fi
if unzip -tq "$S/z1.zip" >"$S/unzip" 2>&1; then
	pass zip.unzip-t
else
	fail zip.unzip-t "$(head -5 "$S/unzip")"
fi
if unzip -Z -v "$S/z1.zip" >"$S/zinfo" 2>&1 &&
    [ "$(grep -c 'length of extra field: *0 bytes' "$S/zinfo")" = 5 ] &&
    [ "$(grep -c 'Unix file attributes (100644 octal)' "$S/zinfo")" = 5 ] &&
    [ "$(grep -c '2026 Nov 22 00:00:00' "$S/zinfo")" = 5 ]; then
	pass zip.zipinfo
else
	fail zip.zipinfo "$(grep -E 'extra field|attributes|modified' \
	    "$S/zinfo" | head -6)"
fi

"$PY" - "$S/z1.zip" "$Z" >"$S/py" 2>&1 <<'EOF'
import struct, sys, zipfile
path, d = sys.argv[1], sys.argv[2]
want = {
    "ID/a.txt": open(f"{d}/a.txt", "rb").read(),
    "ID/b.bin": open(f"{d}/b.bin", "rb").read(),
    "ID/caf\u00e9.txt": open(f"{d}/u.txt", "rb").read(),
    "ID/empty": b"",
    "ID/sub/x.md": open(f"{d}/a.txt", "rb").read(),
}
raw = open(path, "rb").read()
bad = []
with zipfile.ZipFile(path) as z:
    infos = z.infolist()
    names = [i.filename for i in infos]
    if names != sorted(want, key=lambda n: n.encode()):
        bad.append(f"names {names}")
    for i in infos:
        if z.read(i) != want.get(i.filename):
            bad.append(f"{i.filename}: content")
        if i.date_time != (2026, 11, 22, 0, 0, 0):
            bad.append(f"{i.filename}: date_time {i.date_time}")
        if i.external_attr >> 16 != 0o100644 or i.create_system != 3:
            bad.append(f"{i.filename}: mode {oct(i.external_attr >> 16)} "
                       f"system {i.create_system}")
        if i.extra != b"" or i.comment != b"":
            bad.append(f"{i.filename}: extra {i.extra!r} {i.comment!r}")
        if i.compress_type != zipfile.ZIP_DEFLATED:
            bad.append(f"{i.filename}: method {i.compress_type}")
        if i.flag_bits & 0x8:
            bad.append(f"{i.filename}: data descriptor")
        # The local header's own extra field.
        nl, xl = struct.unpack_from("<HH", raw, i.header_offset + 26)
        if xl != 0:
            bad.append(f"{i.filename}: local extra field of {xl} bytes")
    if z.comment != b"":
        bad.append(f"archive comment {z.comment!r}")
print("\n".join(bad) if bad else "ok")
EOF
if [ "$(cat "$S/py")" = ok ]; then
	pass zip.python-reads-back
else
	fail zip.python-reads-back "$(head -8 "$S/py")"
fi

"$ZT" --name-ok ../a /a 'a\b' con.txt a/nul a:b a./b CON 'Lpt1.log' \
    'com9' 'a/aux.tar.gz' 'a/b ' '' 'a//b' 'a/' 'a/./b' "$(printf 'a\tb')" \
    'a<b' 'a>b' 'a|b' 'a?b' 'a*b' 'a"b' "$(printf 'bad\377')" \
    "$(printf 'com\302\271')" "$(printf '%0241d' 0)" >"$S/names"
rc=$?
if [ $rc -eq 0 ] && [ "$(grep -c '^bad ' "$S/names")" = 26 ]; then
	pass zip.name-ok-refuses
else
	fail zip.name-ok-refuses "exit $rc" "$(grep -v '^bad ' "$S/names")"
fi
"$ZT" --name-ok a ID/index.html "caf$(printf '\303\251').txt" console.txt \
    com10 lpt 'a b/c d.txt' .hidden 'a/b..c' "$(printf '%0240d' 0)" \
    >"$S/names"
rc=$?
if [ $rc -eq 0 ] && [ "$(grep -c '^ok ' "$S/names")" = 10 ]; then
	pass zip.name-ok-accepts
else
	fail zip.name-ok-accepts "exit $rc" "$(grep -v '^ok ' "$S/names")"
fi
"$ZT" "$S/refused.zip" $MTIME ../a="$Z/a.txt" 2>"$S/err"
rc=$?
if [ $rc -eq 1 ] && [ ! -e "$S/refused.zip" ] &&
    grep -q "'../a' cannot be a name in a zip" "$S/err"; then
	pass zip.build-refuses-unsafe-name
else
	fail zip.build-refuses-unsafe-name "exit $rc" "$(cat "$S/err")"
fi
"$ZT" "$S/refused.zip" $MTIME a="$Z/a.txt" a="$Z/b.bin" 2>"$S/err"
rc=$?
if [ $rc -eq 1 ] && [ ! -e "$S/refused.zip" ]; then
	pass zip.build-refuses-duplicate
else
	fail zip.build-refuses-duplicate "exit $rc" "$(cat "$S/err")"
fi

# ---- verify ZIP ------------------------------------------------------------

P=$S/pack
mkdir -p "$P"
cp "$Z/a.txt" "$Z/b.bin" "$Z/empty" "$P/"
(cd "$P" && sha256sum a.txt b.bin empty >MANIFEST.sha256)
printf 'HELLO\n' >"$S/a-changed.txt"
printf '%s\n' 'not hex  a.txt' >"$S/broken.sha256"
# pack ZIP [NAME=PATH...]: the pack's files and manifest under ID/.
pack() {
	out=$1
	shift
	"$ZT" "$out" $MTIME ID/MANIFEST.sha256="$P/MANIFEST.sha256" \
	    ID/b.bin="$P/b.bin" ID/empty="$P/empty" "$@"
}

pack "$S/good.zip" ID/a.txt="$P/a.txt"
vrun "$S/good.zip"
expect zip.verify-clean 0
has zip.verify-summary "verify: 3 files match $S/good.zip:ID/MANIFEST.sha256" \
    "$S/vout"

"$ZT" "$S/top.zip" $MTIME MANIFEST.sha256="$P/MANIFEST.sha256" \
    a.txt="$P/a.txt" b.bin="$P/b.bin" empty="$P/empty"
vrun "$S/top.zip"
expect zip.verify-manifest-at-top 0

pack "$S/changed.zip" ID/a.txt="$S/a-changed.txt"
vrun "$S/changed.zip"
expect zip.verify-changed 1 "changed: ID/a.txt"

pack "$S/added.zip" ID/a.txt="$P/a.txt" ID/sub/extra.txt="$P/a.txt"
vrun "$S/added.zip"
expect zip.verify-added 1 "added: ID/sub/extra.txt"

pack "$S/missing.zip"
vrun "$S/missing.zip"
expect zip.verify-missing 1 "missing: ID/a.txt"

# Unsafe names, crafted with Python: reported, nothing extracted anywhere.
"$PY" - "$S/evil.zip" "$P" <<'EOF'
import sys, zipfile
path, p = sys.argv[1], sys.argv[2]
with zipfile.ZipFile(path, "w") as z:
    for n in ("MANIFEST.sha256", "a.txt", "b.bin", "empty"):
        z.write(f"{p}/{n}", f"ID/{n}")
    z.writestr("../evil", "x")
    z.writestr("ID/../../evil2", "x")
    z.writestr("/tmp/charter-verify-evil3", "x")
    z.writestr("ID/con.txt", "x")
    link = zipfile.ZipInfo("ID/link")
    link.create_system = 3
    link.external_attr = 0o120777 << 16
    z.writestr(link, "/etc/passwd")
EOF
mkdir -p "$S/cwd"
(cd "$S/cwd" && "$CHARTER" verify "$S/evil.zip" >"$S/vout" 2>"$S/verr")
rc=$?
expect zip.verify-unsafe-names 1 \
    "unsafe: ../evil (a '.' or '..' part)" \
    "unsafe: /tmp/charter-verify-evil3 (an absolute path)" \
    "unsafe: ID/../../evil2 (a '.' or '..' part)" \
    "unsafe: ID/con.txt (a Windows device name)" \
    "unsafe: ID/link (a symbolic link or special file)"
if [ -z "$(ls -A "$S/cwd")" ] && [ ! -e "$S/evil" ] &&
    [ ! -e "$TOP/tests/tmp/evil" ] && [ ! -e "$S/evil2" ] &&
    [ ! -e /tmp/charter-verify-evil3 ]; then
	pass zip.verify-extracts-nothing
else
	fail zip.verify-extracts-nothing "$(ls -A "$S/cwd" "$S")"
fi

"$PY" - "$S/dup.zip" "$P" <<'EOF' 2>/dev/null
import sys, zipfile
path, p = sys.argv[1], sys.argv[2]
with zipfile.ZipFile(path, "w") as z:
    for n in ("MANIFEST.sha256", "a.txt", "b.bin", "empty"):
        z.write(f"{p}/{n}", f"ID/{n}")
    z.writestr("ID/a.txt", "other")
EOF
vrun "$S/dup.zip"
if [ $rc -eq 3 ] && grep -q 'two entries have the same name' "$S/verr"; then
	pass zip.verify-duplicate-entry
else
	fail zip.verify-duplicate-entry "exit $rc" "$(head -3 "$S/verr")"
fi

# A real bomb: 300 MiB of zeros in 300 KB, past the 256 MiB entry cap.
"$PY" - "$S/bomb.zip" <<'EOF'
import sys, zipfile
with zipfile.ZipFile(sys.argv[1], "w", zipfile.ZIP_DEFLATED) as z:
    z.writestr("ID/MANIFEST.sha256", "0" * 64 + "  big\n")
    with z.open("ID/big", "w") as f:
        chunk = b"\0" * (1 << 20)
        for _ in range(300):
            f.write(chunk)
EOF
vrun "$S/bomb.zip"
if [ $rc -eq 3 ] && grep -q "entry 'ID/big' inflates to more than 268435456" \
    "$S/verr"; then
	pass zip.verify-bomb-entry-cap
else
	fail zip.verify-bomb-entry-cap "exit $rc" "$(head -3 "$S/verr")"
fi

# The total cap (lowered for the test): three 1 MiB entries, 2.5 MB in all.
"$PY" - "$S/total.zip" <<'EOF'
import hashlib, sys, zipfile
big = b"\0" * (1 << 20)
h = hashlib.sha256(big).hexdigest()
with zipfile.ZipFile(sys.argv[1], "w", zipfile.ZIP_DEFLATED) as z:
    z.writestr("ID/MANIFEST.sha256", "".join(f"{h}  {n}\n" for n in "abc"))
    for n in "abc":
        z.writestr(f"ID/{n}", big)
EOF
vrun "$S/total.zip"
expect zip.verify-total-under-default-cap 0
CHARTER_TEST_ZIP_MAX=2000000,2500000 "$CHARTER" verify "$S/total.zip" \
    >"$S/vout" 2>"$S/verr"
rc=$?
if [ $rc -eq 3 ] && grep -q 'inflate to more than 2500000 bytes in all' \
    "$S/verr"; then
	pass zip.verify-total-cap
else
	fail zip.verify-total-cap "exit $rc" "$(head -3 "$S/verr")"
fi

# A header that claims 10 bytes for 2 MiB: the bytes read are what count.
"$PY" - "$S/lie.zip" <<'EOF'
import hashlib, struct, sys, zipfile
path = sys.argv[1]
big = b"\0" * (2 << 20)
with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
    z.writestr("ID/MANIFEST.sha256", hashlib.sha256(big).hexdigest() +
               "  big\n")
    z.writestr("ID/big", big)
d = bytearray(open(path, "rb").read())
off = zipfile.ZipFile(path).getinfo("ID/big").header_offset
struct.pack_into("<I", d, off + 22, 10)
p = d.find(b"PK\x01\x02")
while p != -1:
    nl = struct.unpack_from("<H", d, p + 28)[0]
    if d[p + 46:p + 46 + nl] == b"ID/big":
        struct.pack_into("<I", d, p + 24, 10)
    p = d.find(b"PK\x01\x02", p + 4)
open(path, "wb").write(d)
EOF
vrun "$S/lie.zip"
if [ $rc -eq 3 ] &&
    grep -q 'inflates to 2097152 bytes, but its header says 10' "$S/verr"; then
	pass zip.verify-lying-header
else
	fail zip.verify-lying-header "exit $rc" "$(head -3 "$S/verr")"
fi
CHARTER_TEST_ZIP_MAX=1048576,4194304 "$CHARTER" verify "$S/lie.zip" \
    >"$S/vout" 2>"$S/verr"
rc=$?
if [ $rc -eq 3 ] && grep -q "entry 'ID/big' inflates to more than 1048576" \
    "$S/verr"; then
	pass zip.verify-lying-header-capped
else
	fail zip.verify-lying-header-capped "exit $rc" "$(head -3 "$S/verr")"
fi

# Zips verify cannot use: exit 3.
"$ZT" "$S/noman.zip" $MTIME ID/a.txt="$P/a.txt"
"$ZT" "$S/twotops.zip" $MTIME A/MANIFEST.sha256="$P/MANIFEST.sha256" \
    B/MANIFEST.sha256="$P/MANIFEST.sha256"
"$ZT" "$S/broken.zip" $MTIME ID/MANIFEST.sha256="$S/broken.sha256" \
    ID/a.txt="$P/a.txt"
for z in noman twotops; do
	vrun "$S/$z.zip"
	if [ $rc -eq 3 ] && grep -q 'has no MANIFEST.sha256' "$S/verr"; then
		pass "zip.verify-no-manifest $z"
	else
		fail "zip.verify-no-manifest $z" "exit $rc" \
		    "$(head -3 "$S/verr")"
	fi
done
vrun "$S/broken.zip"
if [ $rc -eq 3 ] &&
    grep -qF "$S/broken.zip:ID/MANIFEST.sha256:1:1: error:" "$S/verr"; then
	pass zip.verify-malformed-manifest
else
	fail zip.verify-malformed-manifest "exit $rc" "$(head -3 "$S/verr")"
fi
vrun "$S/files"
if [ $rc -eq 3 ] && grep -q 'cannot open zip' "$S/verr"; then
	pass zip.verify-not-a-zip
else
	fail zip.verify-not-a-zip "exit $rc" "$(head -3 "$S/verr")"
fi

[ "$T_FAILS" -eq 0 ]
