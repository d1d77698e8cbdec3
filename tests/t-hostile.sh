#!/bin/sh
# Hostile inputs (shared/hostile-inputs.md 2A, E1, E3, E4, E6, C13, H1) against
# 'charter check'.
#
# Every input is generated here into a scratch copy of templates/init/ (plus
# schemas/), never committed.  Each case asserts:
#   - the exit status, and that charter was neither killed by a signal nor
#     stopped by 'timeout 10';
#   - the rule id in stderr, at the expected FILE:LINE:COL where that means
#     something, plus a message fragment where the wording matters (hints);
#   - the number of findings (by default exactly one), so a cascade of
#     follow-on findings is noticed;
#   - that the content folder is byte-for-byte unchanged afterwards.
#
# Not covered: an unreadable file (chmod 000).  The suite runs as root in CI
# and in the dev container, where chmod 000 does not stop a read, so the case
# cannot be made to fail; it is left out rather than passed vacuously.
. "$(cd "$(dirname "$0")" && pwd)/lib.sh"


S=$(scratch hostile)
BASE=$S/base
AS_OF=2026-11-22
SLOW_MS=0
SLOW_NAME=none

mkdir -p "$BASE"
cp -R "$TOP/templates/init/." "$BASE/"
cp -R "$TOP/schemas" "$BASE/schemas"
mklog "$BASE" || fail hostile.base "cannot build the base decision log"

# newrepo NAME: a fresh copy of the base repo; prints its path.
newrepo() {
	rm -rf "${S:?}/$1"
	cp -R "$BASE" "$S/$1"
	echo "$S/$1"
}

# A listing of every entry below $1 with its type (and a link's target),
# and a checksum for each regular file.  find -type f does not follow links
# and never opens a FIFO.
snapshot() {
	find "$1" \( -type f -exec cksum {} + \) -o -printf '%y %p -> %l\n' \
	    2>/dev/null | LC_ALL=C sort
}

# run_charter DIR ARGS...: RC, MS; stdout in $S/out, stderr in $S/err.
run_charter() {
	rd=$1
	shift
	t0=$(date +%s%N)
	timeout 10 "$CHARTER" check --content "$rd" --as-of "$AS_OF" "$@" \
	    >"$S/out" 2>"$S/err"
	RC=$?
	t1=$(date +%s%N)
	MS=$(((t1 - t0) / 1000000))
}

# Number of finding lines ("... [rule.id]") in $S/err.
nfindings() {
	grep -c ' \[[a-z0-9.-]*\]$' "$S/err"
}

# hcase NAME DIR RC RULE WHERE MSG [CHARTER ARGS...]
#   RULE   the rule id that must appear, or - for "no finding at all"
#   WHERE  where the finding must be: "rel/path:LINE:COL", "rel/path" (a
#          file-level finding), "=" (the content folder itself), or "" (any)
#   MSG    a fragment the finding's line must hold, or ""
#   NF     (variable, default 1) the exact number of findings, or "any"
hcase() {
	name=$1 d=$2 want=$3 rule=$4 where=$5 msg=$6
	shift 6
	problems=""
	before=$(snapshot "$d")
	run_charter "$d" "$@"
	after=$(snapshot "$d")
	if [ "$MS" -gt "$SLOW_MS" ]; then
		SLOW_MS=$MS
		SLOW_NAME=$name
	fi
	if [ "$RC" -eq 124 ]; then
		problems="$problems|did not finish within 10 s (timeout)"
	elif [ "$RC" -ge 128 ]; then
		problems="$problems|killed by signal $((RC - 128))"
	fi
	[ "$RC" -eq "$want" ] ||
		problems="$problems|exit status $RC, expected $want"
	if [ "$rule" = "-" ]; then
		[ "$(nfindings)" -eq 0 ] ||
			problems="$problems|expected no finding"
	else
		if ! grep -qF "[$rule]" "$S/err"; then
			problems="$problems|no [$rule] finding in stderr"
		else
			case $where in
			"") prefix="" ;;
			=) prefix="$d: " ;;
			*) prefix="$d/$where: " ;;
			esac
			line=$(grep -F "[$rule]" "$S/err" | while IFS= read -r l; do
				case $l in
				"$prefix"*) echo "$l"; break ;;
				esac
			done)
			if [ -z "$line" ]; then
				# shellcheck disable=SC2089
				problems="$problems|no [$rule] finding at '$where'"
			elif [ -n "$msg" ]; then
				case $line in
				*"$msg"*) ;;
				*) problems="$problems|the finding lacks '$msg'" ;;
				esac
			fi
		fi
		nf=${NF:-1}
		got=$(nfindings)
		if [ "$nf" != any ] && [ "$got" -ne "$nf" ]; then
			problems="$problems|$got findings, expected $nf"
		fi
	fi
	[ "$before" = "$after" ] ||
		problems="$problems|the content folder changed during the check"
	if [ -z "$problems" ]; then
		pass "hostile: $name"
	else
		oldifs=$IFS
		IFS='|'
		set -f
		# shellcheck disable=SC2086,SC2090
		set -- $problems
		set +f
		IFS=$oldifs
		shift
		fail "hostile: $name" "$@" "stderr:" \
		    "$(head -c 1500 "$S/err" | sed 's/^/  /')"
	fi
	NF=1
}
NF=1

# nest N OPEN CLOSE: N opening then N closing brackets on one line.
nest() {
	awk -v n="$1" -v o="$2" -v c="$3" 'BEGIN {
		s = ""; for (i = 0; i < n; i++) s = s o
		t = ""; for (i = 0; i < n; i++) t = t c
		print s t }'
}

# nest_block N: N nested block mappings ("a:" each two spaces deeper).
nest_block() {
	awk -v n="$1" 'BEGIN {
		ind = ""
		for (i = 1; i < n; i++) { print ind "a:"; ind = ind "  " }
		print ind "a: 1" }'
}

# --- A1, A2: aliases ---------------------------------------------------------

d=$(newrepo laughs)
{
	echo 'a: &a ["x","x","x","x","x","x","x","x","x"]'
	prev=a
	for l in b c d e f g h i; do
		printf '%s: &%s [' "$l" "$l"
		for k in 1 2 3 4 5 6 7 8; do
			printf '*%s,' "$prev"
		done
		printf '*%s]\n' "$prev"
		prev=$l
	done
} >"$d/laughs.yaml"
# Charged by target size: a=10, b=91, c=820, d=7381, e=66430 nodes; the
# first *e on line 6 takes the file over the 100000-node budget.
hcase billion-laughs "$d" 3 yaml.alias laughs.yaml:6:8 \
    "alias expansion exceeds 100000 nodes"
run_charter "$d" --format json
if [ "$RC" -eq 3 ] && "$PY" -c 'import json,sys; d=json.load(open(sys.argv[1])); assert d["findings"][0]["rule"] == "yaml.alias"' "$S/out" 2>"$S/py"; then
	pass "hostile: billion-laughs --format json parses"
else
	fail "hostile: billion-laughs --format json parses" "exit $RC" \
	    "$(cat "$S/py")"
fi

d=$(newrepo alias-self)
printf 'kind: system\nx: &a [*a]\n' >"$d/self.yaml"
hcase alias-self-cycle "$d" 3 yaml.alias self.yaml:2:8 "(a cycle)"

d=$(newrepo alias-nested)
printf 'kind: system\nx: &a\n  y: &b [1, *a]\n' >"$d/nested.yaml"
hcase alias-nested-cycle "$d" 3 yaml.alias nested.yaml:3:13 "(a cycle)"

d=$(newrepo alias-unknown)
printf 'kind: system\nx: *nope\n' >"$d/unknown.yaml"
hcase alias-unknown-anchor "$d" 3 yaml.alias unknown.yaml:2:4 \
    "unknown anchor 'nope'"

# --- A3, H1: depth, and the file limit at N and N+1 -------------------------

# 1 MiB of '[' is exactly the default file limit (1048576 bytes): read, then
# stopped by the depth counter at the 65th bracket.
d=$(newrepo brackets-1mib)
head -c 1048576 /dev/zero | tr '\0' '[' >"$d/deep.yaml"
hcase brackets-1mib-at-file-limit "$d" 3 yaml.depth deep.yaml:1:65 \
    "nesting deeper than 64 levels"
# One byte more is over the file limit and never parsed ...
head -c 1048577 /dev/zero | tr '\0' '[' >"$d/deep.yaml"
hcase brackets-1mib+1-over-file-limit "$d" 3 input.too-large deep.yaml \
    "1048577 bytes, over the limit of 1048576 (limit 'file')"
# ... unless the file limit is raised: then the depth limit stops it.
hcase brackets-1mib+1-file-limit-raised "$d" 3 yaml.depth deep.yaml:1:65 \
    "nesting deeper than 64 levels" --limit file=2M
rm -f "$d/deep.yaml"

d=$(newrepo depth)
nest 64 '[' ']' >"$d/deep.yaml"
hcase depth-64-flow-ok "$d" 1 schema.type deep.yaml:1:1 "not a list"
nest 65 '[' ']' >"$d/deep.yaml"
hcase depth-65-flow "$d" 3 yaml.depth deep.yaml:1:65 \
    "nesting deeper than 64 levels (limit 'depth')"
nest 65 '{a: ' '}' >"$d/deep.yaml"
hcase depth-65-flow-maps "$d" 3 yaml.depth deep.yaml:1:257 \
    "nesting deeper than 64 levels"
hcase depth-65-limit-raised "$d" 1 schema.kind deep.yaml:1:1 "no 'kind'" \
    --limit depth=65
nest_block 64 >"$d/deep.yaml"
hcase depth-64-block-ok "$d" 1 schema.kind deep.yaml:1:1 "no 'kind'"
nest_block 65 >"$d/deep.yaml"
hcase depth-65-block "$d" 3 yaml.depth deep.yaml:65:129 \
    "nesting deeper than 64 levels"
nest 10 '[' ']' >"$d/deep.yaml"
hcase depth-limit-10-at-10 "$d" 1 schema.type deep.yaml:1:1 "not a list" \
    --limit depth=10
nest 11 '[' ']' >"$d/deep.yaml"
hcase depth-limit-10-at-11 "$d" 3 yaml.depth deep.yaml:1:11 \
    "nesting deeper than 10 levels" --limit depth=10

# --- A4, A15, H1: size limits -------------------------------------------------

d=$(newrepo huge)
{
	printf 'kind: system\nsummary: '
	head -c 67108864 /dev/zero | tr '\0' 'a'
	echo
} >"$d/huge.yaml"
hcase scalar-64mib-over-file-limit "$d" 3 input.too-large huge.yaml \
    "over the limit of 1048576 (limit 'file')"
rm -f "$d/huge.yaml"

# The scalar limit at N and N+1 (N = 1000; no value in the base repo is as
# long, so only the planted one can trip it).
d=$(newrepo scalar)
{ printf 'x: '; head -c 1000 /dev/zero | tr '\0' 'a'; echo; } >"$d/s.yaml"
hcase scalar-limit-at-N "$d" 1 schema.kind s.yaml:1:1 "no 'kind'" \
    --limit scalar=1000
{ printf 'x: '; head -c 1001 /dev/zero | tr '\0' 'a'; echo; } >"$d/s.yaml"
hcase scalar-limit-at-N+1 "$d" 3 input.too-large s.yaml:1:4 \
    "a value of 1001 bytes exceeds the limit of 1000 (limit 'scalar')" \
    --limit scalar=1000
{ printf 'x: |\n  '; head -c 300000 /dev/zero | tr '\0' 'a'; echo; } \
    >"$d/s.yaml"
hcase scalar-default-limit-block "$d" 3 input.too-large s.yaml:1:4 \
    "exceeds the limit of 262144 (limit 'scalar')"

# The node budget at N and N+1: a list of 999 items is 1000 nodes.
d=$(newrepo nodes)
awk 'BEGIN { s = "["; for (i = 1; i < 999; i++) s = s "1,"; print s "1]" }' \
    >"$d/n.yaml"
hcase nodes-limit-at-N "$d" 1 schema.type n.yaml:1:1 "not a list" \
    --limit nodes=1000
hcase nodes-limit-at-N+1 "$d" 3 input.too-large n.yaml:1:1998 \
    "more than 999 YAML nodes in one file (limit 'nodes')" --limit nodes=999

# The file-count and total-size limits at N and N+1, N measured on the base.
d=$(newrepo counts)
nfiles=$(find "$d" -path "$d/schemas" -prune -o -type f \
    \( -name '*.yaml' -o -name '*.yml' -o -name '*.md' \) -print | wc -l)
nbytes=$(find "$d" -path "$d/schemas" -prune -o -type f \
    \( -name '*.yaml' -o -name '*.yml' -o -name '*.md' \) -exec cat {} + |
    wc -c)
nfiles=$((nfiles + 0))
nbytes=$((nbytes + 0))
hcase files-limit-at-N "$d" 0 - "" "" --limit "files=$nfiles"
hcase files-limit-at-N-1 "$d" 3 input.too-large "" \
    "more than $((nfiles - 1)) input files (limit 'files')" \
    --limit "files=$((nfiles - 1))"
hcase total-limit-at-N "$d" 0 - "" "" --limit "total=$nbytes"
hcase total-limit-at-N-1 "$d" 3 input.too-large "" \
    "inputs exceed $((nbytes - 1)) bytes in all (limit 'total')" \
    --limit "total=$((nbytes - 1))"

# A15: a 10 MiB line; the column of the bad byte at its end is computed in
# linear time (and counted in code points).
d=$(newrepo longline)
{
	printf 'x: '
	head -c 10485760 /dev/zero | tr '\0' 'a'
	printf '\351\n'
} >"$d/long.yaml"
hcase long-line-10mib "$d" 3 yaml.encoding long.yaml:1:10485764 \
    "invalid UTF-8 (byte 0xe9)" --limit file=11M
rm -f "$d/long.yaml"

# --- A7: tabs -------------------------------------------------------------------

d=$(newrepo tabs)
printf 'kind: system\nid: x\nowners:\n\toutcome: a.berg\n' >"$d/tab.yaml"
hcase tab-indent "$d" 3 yaml.syntax tab.yaml:4:1 "YAML is indented with spaces, never tabs"
printf 'kind: system\nid: x\nmodel:\n  name: x\n\tversion: y\n' >"$d/tab.yaml"
hcase tab-indent-in-map "$d" 3 yaml.syntax tab.yaml:5:1 \
    "YAML is indented with spaces, never tabs"
rm -f "$d/tab.yaml"
# Tabs inside a value are fine.
sed 's/^summary: Resolves small/summary: Resolves	small/' \
    "$d/systems/invoice-triage.yaml" >"$d/t" &&
    mv "$d/t" "$d/systems/invoice-triage.yaml"
grep -q '^summary: Resolves	small' "$d/systems/invoice-triage.yaml" ||
    fail "hostile: tab-inside-value setup" "the sed found no summary line"
hcase tab-inside-value-ok "$d" 0 - "" ""

# --- A8, A9: encodings ----------------------------------------------------------

d=$(newrepo utf8)
# Each bad sequence follows "name: café" (10 code points, 11 bytes).
for bad in latin1:'\351' overlong-c0af:'\300\257' overlong-e080af:'\340\200\257' \
    continuation-80:'\200' surrogate-eda080:'\355\240\200' \
    five-byte-f8:'\370\210\200\200\200' above-10ffff-f4908080:'\364\220\200\200' \
    truncated-e282:'\342\202'; do
	what=${bad%%:*}
	bytes=${bad#*:}
	# shellcheck disable=SC2059
	printf "kind: system\nid: x\nname: caf\303\251$bytes\n" >"$d/enc.yaml"
	# shellcheck disable=SC2059
	first=$(printf "$bytes" | od -An -tx1 | awk '{ print $1 }')
	hcase "invalid-utf8-$what" "$d" 3 yaml.encoding enc.yaml:3:11 \
	    "invalid UTF-8 (byte 0x$first)"
done
rm -f "$d/enc.yaml"

d=$(newrepo bom)
o=$d/organization.yaml
{ printf '\357\273\277'; cat "$o"; } >"$o.new" && mv "$o.new" "$o"
hcase utf8-bom-accepted "$d" 0 - "" ""

d=$(newrepo utf16)
"$PY" -c 'import sys; t = open(sys.argv[1], encoding="utf-8").read(); open(sys.argv[2], "wb").write(b"\xff\xfe" + t.encode("utf-16-le"))' \
    "$d/systems/invoice-triage.yaml" "$d/systems/u16le.yaml"
hcase utf16le-bom-rejected "$d" 3 yaml.encoding systems/u16le.yaml:1:1 \
    "UTF-16 is not supported"
rm -f "$d/systems/u16le.yaml"
"$PY" -c 'import sys; t = open(sys.argv[1], encoding="utf-8").read(); open(sys.argv[2], "wb").write(b"\xfe\xff" + t.encode("utf-16-be"))' \
    "$d/systems/invoice-triage.yaml" "$d/systems/u16be.yaml"
hcase utf16be-bom-rejected "$d" 3 yaml.encoding systems/u16be.yaml:1:1 \
    "UTF-16 is not supported"

# --- A10: NUL, C0, bidi ---------------------------------------------------------

d=$(newrepo nul)
printf 'kind: system\nid: a\000b\n' >"$d/nul.yaml"
hcase nul-byte-raw "$d" 3 yaml.encoding nul.yaml:2:6 ""
printf 'kind: system\nid: "a\\0b"\n' >"$d/nul.yaml"
hcase nul-escaped "$d" 3 yaml.encoding nul.yaml:2:5 "control character U+0000 in a value"
printf 'kind: system\nid: a\033b\n' >"$d/nul.yaml"
hcase c0-esc-raw "$d" 3 yaml.encoding nul.yaml:2:6 "control characters"
# An escape sequence must not smuggle in what a raw byte may not carry:
# C0 controls other than tab and line breaks (they corrupt XLSX, D5).
printf 'kind: system\nid: x\nname: "a\\x01b"\n' >"$d/nul.yaml"
hcase c0-escaped "$d" 3 yaml.encoding nul.yaml:3:7 ""
rm -f "$d/nul.yaml"
# A bidi override in an id fails the id grammar.
sed 's/^id: invoice-triage/id: "invoice\\u202Etriage"/' \
    "$d/systems/invoice-triage.yaml" >"$d/t" &&
    mv "$d/t" "$d/systems/invoice-triage.yaml"
l=$(grep -n '^id: ' "$d/systems/invoice-triage.yaml" | cut -d: -f1)
hcase bidi-in-id "$d" 1 schema.pattern "systems/invoice-triage.yaml:$l:5" \
    "is not a valid id" 

# --- A5, A12, A13: duplicate keys, tags, merge keys ------------------------------

d=$(newrepo keys)
printf 'kind: system\nid: x\nname: a\nid: y\n' >"$d/dup.yaml"
hcase duplicate-key "$d" 3 yaml.duplicate-key dup.yaml:4:1 \
    "duplicate key 'id' (first at line 2)"
printf 'kind: system\nowners:\n  outcome: a\n  exception_path: b\n  outcome: c\n' \
    >"$d/dup.yaml"
hcase duplicate-key-nested "$d" 3 yaml.duplicate-key dup.yaml:5:3 \
    "duplicate key 'outcome' (first at line 3)"
printf 'kind: system\n"id": x\nid: y\n' >"$d/dup.yaml"
hcase duplicate-key-quoted "$d" 3 yaml.duplicate-key dup.yaml:3:1 \
    "(first at line 2)"
rm -f "$d/dup.yaml"

printf 'kind: system\nid: !!python/object/apply:os.system ["rm -rf /"]\n' \
    >"$d/tag.yaml"
hcase tag-python-apply-list "$d" 3 yaml.tag tag.yaml:2:5 \
    "!!python/object/apply:os.system"
printf 'kind: system\nid: !!python/object/apply:os.system x\n' >"$d/tag.yaml"
hcase tag-python-apply-scalar "$d" 3 yaml.tag tag.yaml:2:5 \
    "!!python/object/apply:os.system"
printf 'kind: system\nid: !include x\n' >"$d/tag.yaml"
hcase tag-include "$d" 3 yaml.tag tag.yaml:2:5 "unknown tag '!include'"
rm -f "$d/tag.yaml"

printf 'base: &base\n  name: x\nkind: system\nmodel:\n  <<: *base\n' >"$d/merge.yaml"
hcase merge-key "$d" 3 yaml.merge-key merge.yaml:5:3 "merge keys ('<<')"
rm -f "$d/merge.yaml"

# --- A14: empty and odd roots ------------------------------------------------------

d=$(newrepo roots)
: >"$d/r.yaml"
hcase empty-file "$d" 1 schema.kind r.yaml:1:1 "holds no YAML document"
printf '# only a comment\n# and another\n' >"$d/r.yaml"
hcase comments-only "$d" 1 schema.kind r.yaml:1:1 "holds no YAML document"
printf '~\n' >"$d/r.yaml"
hcase null-root "$d" 1 schema.type r.yaml:1:1 "not a null"
printf -- '- a\n- b\n' >"$d/r.yaml"
hcase list-root "$d" 1 schema.type r.yaml:1:1 "not a list"
printf 'just text\n' >"$d/r.yaml"
hcase scalar-root "$d" 1 schema.type r.yaml:1:1 "not a string"
rm -f "$d/r.yaml"

# --- A11: several documents in one file --------------------------------------------

d=$(newrepo multidoc)
sys=$d/systems/invoice-triage.yaml
# Document 2 is the same system under another id, without a data_domain
# owner: its warning proves the second document was loaded.
{
	cat "$sys"
	echo '---'
	sed -e 's/^id: invoice-triage$/id: second-system/' -e '/^  data_domain:/d' \
	    -e 's|logs/invoice-triage.db|logs/second-system.db|' "$sys"
} >"$d/systems/both.yaml"
rm -f "$sys"
"$CHARTER" log init "$d/logs/second-system.db" >/dev/null &&
    sed 's/invoice-triage/second-system/g' \
    "$TOP/tests/rules/base/logs/invoice-triage.db.sql" |
    sqlite3 -bail "$d/logs/second-system.db"
l=$(grep -n '^owners:' "$d/systems/both.yaml" | sed -n '2s/:.*//p')
hcase multidoc-both-systems-land "$d" 0 owners.unassigned \
    "systems/both.yaml:$((l + 1)):3" "system 'second-system'"
{
	cat "$TOP/templates/init/systems/invoice-triage.yaml"
	echo '---'
	cat "$TOP/templates/init/systems/invoice-triage.yaml"
} >"$d/systems/both.yaml"
l=$(grep -n '^id: ' "$d/systems/both.yaml" | sed -n '2s/:.*//p')
hcase multidoc-same-id-twice "$d" 1 schema.duplicate-id \
    "systems/both.yaml:$l:5" "duplicate system id 'invoice-triage'"

# --- E4, E6: symlinks, special files, missing folder ------------------------------

d=$(newrepo symlink)
ln -s /etc/passwd "$d/evil.yaml"
hcase symlink-to-etc-passwd "$d" 3 input.symlink evil.yaml "a symbolic link"
if [ "$RC" -ne 3 ] || grep -q 'root:' "$S/err" "$S/out"; then
	fail "hostile: symlink-to-etc-passwd leaks nothing" "exit $RC" \
	    "$(cat "$S/err")"
else
	pass "hostile: symlink-to-etc-passwd leaks nothing"
fi
rm -f "$d/evil.yaml"
ln -s "$d/nowhere.yaml" "$d/dangling.yaml"
hcase symlink-dangling "$d" 3 input.symlink dangling.yaml "a symbolic link"
rm -f "$d/dangling.yaml"

mkdir -p "$S/outside"
sed 's/^id: invoice-triage$/id: outside-system/' \
    "$BASE/systems/invoice-triage.yaml" >"$S/outside/outside.yaml"
ln -s "$S/outside" "$d/linked"
hcase symlinked-dir-top "$d" 3 input.symlink linked "a symbolic link"
rm -f "$d/linked"
# A linked folder below the top must not be skipped silently either: the
# systems in it would go unchecked (hostile-inputs E4: fail on any symlink).
ln -s "$S/outside" "$d/systems/linked"
hcase symlinked-dir-nested "$d" 3 input.symlink systems/linked \
    "a symbolic link"
rm -f "$d/systems/linked"

d=$(newrepo fifo)
mkfifo "$d/pipe.yaml"
hcase fifo-not-regular "$d" 3 input.not-regular pipe.yaml "not a regular file"
rm -f "$d/pipe.yaml"

d=$(newrepo socket)
if "$PY" -c 'import socket, sys; socket.socket(socket.AF_UNIX).bind(sys.argv[1])' \
    "$d/sock.yaml" 2>"$S/py"; then
	hcase socket-not-regular "$d" 3 input.not-regular sock.yaml \
	    "not a regular file"
else
	fail "hostile: socket-not-regular" "cannot make a socket:" "$(cat "$S/py")"
fi

# Folder nesting: 31 levels are read, the 32nd folder is refused.
d=$(newrepo deepdirs)
p=$d
i=0
while [ $i -lt 31 ]; do
	p=$p/d
	i=$((i + 1))
done
mkdir -p "$p"
printf 'kind: bogus\n' >"$p/x.yaml"
rel=${p#"$d"/}
hcase folders-31-deep "$d" 1 schema.kind "$rel/x.yaml:1:7" "unknown kind"
mkdir "$p/d"
mv "$p/x.yaml" "$p/d/x.yaml"
hcase folders-32-deep "$d" 3 input.too-large "$rel/d" \
    "folders nested too deeply"

hcase content-folder-missing "$S/no-such-folder" 3 input.unreadable = \
    "cannot open content folder"
: >"$S/a-file"
hcase content-is-a-file "$S/a-file" 3 input.unreadable = \
    "cannot open content folder"

# --- A6: the Norway problem -------------------------------------------------------

d=$(newrepo norway)
awk 'BEGIN { split("NO yes on 010 off 1.10 2024-01-02", v, " ") }
    /^    title: / { print "    title: " v[++n]; next } { print }' \
    "$BASE/organization.yaml" >"$d/organization.yaml"
sed -e 's/^summary: .*/summary: 1.10/' -e 's/^  version: .*/  version: 1.10/' \
    -e 's/^  name: example-llm/  name: 12:30:00/' \
    "$BASE/systems/invoice-triage.yaml" >"$d/systems/invoice-triage.yaml"
if grep -q '^    title: 010' "$d/organization.yaml" &&
    grep -q '^summary: 1.10$' "$d/systems/invoice-triage.yaml" &&
    grep -q '^  name: 12:30:00' "$d/systems/invoice-triage.yaml"; then
	hcase norway-strings-kept-as-text "$d" 0 - "" ""
else
	fail "hostile: norway-strings-kept-as-text" "setup: a sed found nothing"
fi
# The literal text survives: an unknown tier is echoed as written, not as
# a number (10, 8, 1.1).
for v in 010 1.10 0o17 1e3; do
	sed "s/^risk_tier: low/risk_tier: $v/" "$BASE/systems/invoice-triage.yaml" \
	    >"$d/systems/invoice-triage.yaml"
	l=$(grep -n '^risk_tier: ' "$d/systems/invoice-triage.yaml" | cut -d: -f1)
	hcase "norway-literal-text-$v" "$d" 1 ref.unknown \
	    "systems/invoice-triage.yaml:$l:12" "risk tier '$v' does not exist"
done
for v in yes no on off; do
	sed "s/^  profiling: false/  profiling: $v/" \
	    "$BASE/systems/invoice-triage.yaml" >"$d/systems/invoice-triage.yaml"
	l=$(grep -n '^  profiling: ' "$d/systems/invoice-triage.yaml" | cut -d: -f1)
	hcase "norway-boolean-$v" "$d" 1 schema.type \
	    "systems/invoice-triage.yaml:$l:14" \
	    "not string '$v' (YAML 1.2: only true and false are booleans)"
done

# --- C13: control characters and CI commands in echoed text -----------------------

# Control characters are refused even when written as escapes (they would
# corrupt a workbook and spoof a terminal): yaml.encoding, exit 3, and the
# message does not echo the value.
d=$(newrepo inject-c0)
sed -e 's/^stage: production$/stage: "x\\u001b[31mRED\\r::set-output name=x::y"/' \
    "$BASE/systems/invoice-triage.yaml" >"$d/systems/invoice-triage.yaml"
l=$(grep -n '^stage: ' "$d/systems/invoice-triage.yaml" | cut -d: -f1)
hcase ansi-escape-in-value "$d" 3 yaml.encoding \
    "systems/invoice-triage.yaml:$l:8" "control character U+001B in a value"
sed -e 's/^risk_tier: low .*/&\n"st\\u001b]0;title\\u0007age": 1/' \
    "$BASE/systems/invoice-triage.yaml" >"$d/systems/invoice-triage.yaml"
k=$(grep -n '^"st' "$d/systems/invoice-triage.yaml" | cut -d: -f1)
hcase ansi-escape-in-key "$d" 3 yaml.encoding \
    "systems/invoice-triage.yaml:$k:1" "control character U+001B in a value"
sed -e 's/^stage: production$/stage: "x\\u0085y"/' \
    "$BASE/systems/invoice-triage.yaml" >"$d/systems/invoice-triage.yaml"
hcase c1-escape-in-value "$d" 3 yaml.encoding \
    "systems/invoice-triage.yaml:$l:8" "control character U+0085 in a value"

# What is allowed in text but can still spoof a screen or a CI log (bidi
# overrides, zero-width characters, line separators, "::" commands) is
# echoed escaped.
d=$(newrepo inject)
sed -e 's/^stage: production$/stage: "x\\u202Eevil\\u2028::error::pwned\\u200Bz"/' \
    -e 's/^risk_tier: low .*/&\n"st\\u202Eage\\u2029::warning::x": 1/' \
    "$BASE/systems/invoice-triage.yaml" >"$d/systems/invoice-triage.yaml"
l=$(grep -n '^stage: ' "$d/systems/invoice-triage.yaml" | cut -d: -f1)
k=$(grep -n '^"st' "$d/systems/invoice-triage.yaml" | cut -d: -f1)
NF=2 hcase bidi-in-enum-value "$d" 1 schema.enum \
    "systems/invoice-triage.yaml:$l:8" \
    "'x\\u{202e}evil\\u{2028}::error::pwned\\u{200b}z' is not a valid value for 'stage'"
NF=2 hcase bidi-in-key-name "$d" 1 schema.unknown-key \
    "systems/invoice-triage.yaml:$k:1" "unknown field 'st\\u{202e}age\\u{2029}::warning::x'"
# Byte checks on the text output: no C0 but LF, no DEL, no C1, no bidi or
# zero-width code point, no line a CI runner would take as a command.
termcheck='
import sys
b = open(sys.argv[1], "rb").read()
bad = []
for i, c in enumerate(b):
    if (c < 0x20 and c != 0x0a) or c == 0x7f:
        bad.append("byte 0x%02x at %d" % (c, i))
t = b.decode("utf-8")
for ch in t:
    o = ord(ch)
    if 0x80 <= o < 0xa0 or 0x200b <= o <= 0x200f or 0x202a <= o <= 0x202e \
       or 0x2066 <= o <= 0x2069 or o in (0x2028, 0x2029, 0xfeff, 0x061c):
        bad.append("code point U+%04X" % o)
for line in t.split("\n"):
    if line.startswith("::"):
        bad.append("a line starting with \"::\": " + line[:60])
if bad:
    print("; ".join(bad[:5]))
    sys.exit(1)
'
run_charter "$d"
if [ "$RC" -eq 1 ] && grep -qF '[schema.enum]' "$S/err" &&
    "$PY" -c "$termcheck" "$S/err" >"$S/py" 2>&1; then
	pass "hostile: escapes-in-text-output"
else
	fail "hostile: escapes-in-text-output" "exit $RC" "$(cat "$S/py")" \
	    "$(head -3 "$S/err")"
fi
run_charter "$d" --format json
if "$PY" -c '
import json, sys
d = json.load(open(sys.argv[1]))
want = "x\u202eevil\u2028::error::pwned\u200bz"
msgs = [f["message"] for f in d["findings"] if f["rule"] == "schema.enum"]
assert len(msgs) == 1 and want in msgs[0], msgs
for line in open(sys.argv[1], "rb").read().split(b"\n"):
    assert not line.startswith(b"::"), line
    assert b"\x1b" not in line and b"\r" not in line, line
' "$S/out" >"$S/py" 2>&1 && [ "$RC" -eq 1 ] && [ ! -s "$S/err" ]; then
	pass "hostile: escapes-in-json-output"
else
	fail "hostile: escapes-in-json-output" "exit $RC" "$(tail -3 "$S/py")" \
	    "$(head -3 "$S/err")"
fi
run_charter "$d" --format sarif
if "$PY" -c '
import json, sys
d = json.load(open(sys.argv[1]))
for line in open(sys.argv[1], "rb").read().split(b"\n"):
    assert not line.lstrip().startswith(b"::"), line
    assert b"\x1b" not in line and b"\r" not in line, line
' "$S/out" >"$S/py" 2>&1 && [ "$RC" -eq 1 ]; then
	pass "hostile: escapes-in-sarif-output"
else
	fail "hostile: escapes-in-sarif-output" "exit $RC" "$(tail -3 "$S/py")"
fi

# A file name is untrusted text too.  With the default --content . the
# display path is the bare name, so it must not start a line with "::".
d=$(newrepo inject-name)
printf 'kind: bogus\n' >"$d/::error file=x::pwned.yaml"
( cd "$d" && timeout 10 "$CHARTER" check --as-of "$AS_OF" 2>"$S/err" )
RC=$?
if [ "$RC" -eq 1 ] && grep -qF '[schema.kind]' "$S/err" &&
    "$PY" -c "$termcheck" "$S/err" >"$S/py" 2>&1; then
	pass "hostile: ci-command-in-file-name"
else
	fail "hostile: ci-command-in-file-name" "exit $RC" "$(cat "$S/py")" \
	    "$(head -3 "$S/err")"
fi

# --- E1, A10: ids that would become file names ---------------------------------------

# Every payload of hostile-inputs E1 (plus zero-width and decomposed
# characters, A10 and E3) as a system id: refused by the id grammar, naming
# the field, at the id's line and column; the system never reaches a file
# name.  Python writes each value as a JSON (so YAML) double-quoted string.
d=$(newrepo ids)
sys=$d/systems/invoice-triage.yaml
l=$(grep -n '^id: invoice-triage$' "$BASE/systems/invoice-triage.yaml" |
    cut -d: -f1)
for p in dotdot-slash dotdot dot inner-dotdot absolute drive unc backslash \
    percent-encoded fullwidth-dots long-256 empty leading-dash leading-dot \
    trailing-dot trailing-space upper-case zero-width decomposed \
    device-upper device-con device-com1-html; do
	"$PY" - "$p" "$BASE/systems/invoice-triage.yaml" "$sys" <<'EOF'
import json, sys
payload = {
    "dotdot-slash": "../x", "dotdot": "..", "dot": ".",
    "inner-dotdot": "a/../../b", "absolute": "/etc/passwd",
    "drive": "C:\\x", "unc": "\\\\server\\share", "backslash": "a\\b",
    "percent-encoded": "%2e%2e%2f", "fullwidth-dots": "\uff0e\uff0e",
    "long-256": "a" * 256, "empty": "", "leading-dash": "-a",
    "leading-dot": ".a", "trailing-dot": "a.", "trailing-space": "a ",
    "upper-case": "Policy-1", "zero-width": "a\u200bb",
    "decomposed": "cafe\u0301", "device-upper": "CON",
    "device-con": "con", "device-com1-html": "com1.html",
}[sys.argv[1]]
src = open(sys.argv[2], encoding="utf-8").read()
line = "id: " + json.dumps(payload) + "\n"
out = src.replace("id: invoice-triage\n", line, 1)
assert out != src
open(sys.argv[3], "w", encoding="utf-8").write(out)
EOF
	case $p in
	device-con | device-com1-html)
		rule=schema.not msg="is not allowed for 'id'" ;;
	*)	rule=schema.pattern msg="is not a valid id for 'id'" ;;
	esac
	# The system is left out of the model, so the rules about it are not
	# run: exactly one finding.
	hcase "id-payload-$p" "$d" 1 "$rule" "systems/invoice-triage.yaml:$l:5" \
	    "$msg"
done
cp "$BASE/systems/invoice-triage.yaml" "$sys"

# --- A4: very many keys in one mapping ---------------------------------------------

# 600 keys (1201 nodes with their values and the mapping) against a node
# budget of 1000: the count stops the file, whatever the shape.
d=$(newrepo manykeys)
awk 'BEGIN { for (i = 0; i < 600; i++) printf "k%d: %d\n", i, i }' \
    >"$d/keys.yaml"
hcase many-keys-over-node-limit "$d" 3 input.too-large "" \
    "more than 1000 YAML nodes in one file (limit 'nodes')" --limit nodes=1000
hcase many-keys-under-node-limit "$d" 1 schema.kind keys.yaml:1:1 \
    "no 'kind'" --limit nodes=1201

# --- E3: page names that collide once normalised -------------------------------------

# "café.md" composed (NFC) and decomposed (NFD) are two files here but one
# on macOS: page names are ASCII, so both are refused, never written.
d=$(newrepo nfc)
printf '# a\n' >"$d/caf$(printf '\303\251').md"
printf '# b\n' >"$d/cafe$(printf '\314\201').md"
NF=2 hcase page-name-nfc-nfd "$d" 1 page.name "" \
    "cannot become a file of the site: only letters, digits"

# --- --limit values ------------------------------------------------------------------

d=$BASE
for v in file=0 file= =1 file bogus=1 file=-1 file=1T file=1KB file=1.5M \
    'file= 1' depth=0x10 file=1099511627777 \
    scalar=18446744073709551617 file=17592186044417M; do
	run_charter "$d" --limit "$v"
	if [ "$RC" -eq 2 ] && grep -qF "bad limit '$v'" "$S/err"; then
		pass "hostile: bad --limit '$v' is a usage error"
	else
		fail "hostile: bad --limit '$v' is a usage error" "exit $RC" \
		    "$(head -3 "$S/err")"
	fi
done
run_charter "$d" --limit file=1024K --limit depth=64 --limit nodes=100000 \
    --limit output=1G --limit cpu=60
if [ "$RC" -eq 0 ]; then
	pass "hostile: good --limit values accepted"
else
	fail "hostile: good --limit values accepted" "exit $RC" "$(head -3 "$S/err")"
fi

echo "# slowest case: $SLOW_NAME ($SLOW_MS ms)"
# Keep the scratch folder for a look when something failed.
[ "$T_FAILS" -eq 0 ] && rm -rf "$S"
exit 0
