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

# The files, total and nodes limits at exactly N and at N+1, on check and
# on build, with the input (not the limit) one over.  What Charter counts
# (src/input.c, src/ydoc.c): the input files are the *.yaml, *.yml and
# *.md regular files below the content folder but hidden entries, the
# top-level templates/ and schemas/ folders and (build) the output folder
# when it is a top-level folder of the repo; 'total' is the sum of their
# sizes; 'nodes' is one file's YAML nodes (every scalar, sequence and
# mapping, keys included), an alias counting its target's nodes again.
# The fixture plants what must not count: a hidden folder and file, a
# template folder, the schemas (which hold YAML), the decision log, a
# text file and (build) the previous output, whose packs hold Markdown;
# an alias of a three-item list stands for four nodes.  N is counted here
# independently (find, wc, PyYAML), so a decoy counted or an off-by-one
# fails the case at N.  The extra files are named zz-* so the walk (sorted
# names) reads them last: the (N+1)-th file, the byte past the total and
# the node past the budget are all in them.  A build at N+1 writes
# nothing: out/ stays as it was (same files, same folder), no temporary
# folder is left, and the inputs are untouched.
d=$(newrepo limits)
mkdir -p "$d/.hidden" "$d/templates"
printf 'kind: system\n' >"$d/.hidden/extra.yaml"
printf '# hidden\n' >"$d/.notes.md"
printf '# not a template Charter asks for\n' >"$d/templates/decoy.md"
printf 'not an input\n' >"$d/notes.txt"
sed -e 's/^    escalate_to: m.kaya$/    escalate_to: \&ap m.kaya/' \
    -e 's/^    documentation: \[PO price, invoice price, contract clause\]$/    documentation: \&docs [PO price, invoice price, contract clause]/' \
    -e 's/^    documentation: \[candidate POs found by supplier and amount\]$/    documentation: *docs/' \
    -e 's/^  reviewer: m.kaya$/  reviewer: *ap/' \
    "$BASE/systems/invoice-triage.yaml" >"$d/systems/invoice-triage.yaml"
[ "$(grep -c '[&*]\(ap\|docs\)' "$d/systems/invoice-triage.yaml")" -eq 4 ] ||
    fail "hostile: limits fixture" "the anchors and aliases were not planted"
printf '# Extra page\n\nOne more page of the site.\n' >"$d/zz-extra-1.md"

# lim_inputs DIR: the input files below DIR, counted as Charter counts.
lim_inputs() {
	find "$1" -mindepth 1 \( -name '.*' -o -path "$1/schemas" -o \
	    -path "$1/templates" -o -path "$1/out" \) -prune -o -type f \
	    \( -name '*.yaml' -o -name '*.yml' -o -name '*.md' \) -print
}
# lim_nodes FILE: its YAML nodes, aliases expanded (PyYAML's node graph
# walked as a tree: a shared node counts at every place it appears).
lim_nodes() {
	"$PY" - "$1" <<'EOF'
import sys, yaml
def count(n):
    if isinstance(n, yaml.SequenceNode):
        return 1 + sum(count(i) for i in n.value)
    if isinstance(n, yaml.MappingNode):
        return 1 + sum(count(k) + count(v) for k, v in n.value)
    return 1
print(sum(count(doc) for doc in yaml.compose_all(open(sys.argv[1]))))
EOF
}
nfiles=$(lim_inputs "$d" | wc -l)
nbytes=$(lim_inputs "$d" | xargs cat | wc -c)
nfiles=$((nfiles + 0))
nbytes=$((nbytes + 0))
sys=systems/invoice-triage.yaml
nnodes=$(lim_nodes "$d/$sys")
for f in $(lim_inputs "$d" | grep '\.yaml$'); do
	[ "$f" = "$d/$sys" ] || [ "$(lim_nodes "$f")" -lt "$nnodes" ] ||
	    fail "hostile: limits fixture" "$f has as many nodes as $sys"
done
echo "# limits fixture: $nfiles input files, $nbytes bytes, $nnodes nodes in $sys"

# In check: at N the repo checks clean, at N+1 one finding at the file (or
# node) one over.
hcase files-limit-N-files "$d" 0 - "" "" --limit "files=$nfiles"
hcase total-limit-N-bytes "$d" 0 - "" "" --limit "total=$nbytes"
hcase nodes-limit-N-nodes "$d" 0 - "" "" --limit "nodes=$nnodes"
cp "$d/zz-extra-1.md" "$d/zz-extra-2.md"
hcase files-limit-N+1-files "$d" 3 input.too-large zz-extra-2.md \
    "more than $nfiles input files (limit 'files')" --limit "files=$nfiles"
rm "$d/zz-extra-2.md"
printf 'x' >>"$d/zz-extra-1.md"
hcase total-limit-N+1-bytes "$d" 3 input.too-large zz-extra-1.md \
    "inputs exceed $nbytes bytes in all (limit 'total')" \
    --limit "total=$nbytes"
printf '# Extra page\n\nOne more page of the site.\n' >"$d/zz-extra-1.md"
cp "$d/$sys" "$S/limits-sys.yaml"
# One more item at the end of the last list: one node more, the last one.
printf '  - one more\n' >>"$d/$sys"
[ "$(lim_nodes "$d/$sys")" -eq $((nnodes + 1)) ] ||
    fail "hostile: limits fixture" "the extra list item is not one node"
nline=$(wc -l <"$d/$sys")
hcase nodes-limit-N+1-nodes "$d" 3 input.too-large "$sys:$nline:5" \
    "more than $nnodes YAML nodes in one file (limit 'nodes')" \
    --limit "nodes=$nnodes"
cp "$S/limits-sys.yaml" "$d/$sys"

# The same on build, into out/ inside the repo (a top-level folder, which
# is not read as input); a reference build without limits first.
# lim_build NAME RC RULE WHERE MSG LIMIT: a build with --limit LIMIT.
#   RC 0: it exits as the reference did, with no finding about a limit,
#         and replaces out/ with a complete output;
#   RC 3: exactly one RULE finding at WHERE holding MSG, and out/ is left
#         as it was (same files, same folder), no temporary folder.
#   Either way the inputs are untouched.
lim_snap() {
	snapshot "$d" | grep -v -e " $d/out/" -e " $d/out -> " -e "$d/.out.lock"
}
lim_build() {
	name=$1 want=$2 rule=$3 where=$4 msg=$5 lim=$6
	p=
	before=$(lim_snap)
	outsnap=$(snapshot "$d/out")
	ino=$(stat -c %i "$d/out")
	timeout 30 "$CHARTER" build -q --content "$d" --out "$d/out" \
	    --as-of "$AS_OF" --limit "$lim" >"$S/out" 2>"$S/err"
	rc=$?
	if [ "$want" -eq 0 ]; then
		[ "$rc" -eq "$lim_ref" ] ||
			p="$p|exit $rc, expected $lim_ref (the reference)"
		! grep -q "(limit '" "$S/err" ||
			p="$p|a finding about a limit"
		[ "$(snapshot "$d/out")" = "$lim_outref" ] ||
			p="$p|out/ unlike the reference build"
	else
		[ "$rc" -eq "$want" ] || p="$p|exit $rc, expected $want"
		[ "$(grep -c ' \[[a-z0-9.-]*\]$' "$S/err")" -eq 1 ] ||
			p="$p|not exactly one finding"
		grep -qF "$d/$where: error: $msg [$rule]" "$S/err" ||
			p="$p|no '$where: error: $msg [$rule]'"
		[ "$(snapshot "$d/out")" = "$outsnap" ] &&
		    [ "$(stat -c %i "$d/out")" = "$ino" ] ||
			p="$p|out/ changed"
	fi
	[ -z "$(find "$d" -maxdepth 1 -name '.out.tmp.*')" ] ||
		p="$p|a temporary folder is left"
	[ "$(lim_snap)" = "$before" ] || p="$p|the inputs changed"
	if [ -z "$p" ]; then
		pass "hostile: $name"
	else
		fail "hostile: $name" "$(echo "${p#|}" | tr '|' '\n')" \
		    "stderr:" "$(head -c 1000 "$S/err")"
	fi
}
timeout 30 "$CHARTER" build -q --content "$d" --out "$d/out" --as-of "$AS_OF" \
    >/dev/null 2>&1
lim_ref=$?
lim_outref=$(snapshot "$d/out")
if [ "$lim_ref" -gt 1 ] || [ ! -f "$d/out/index.html" ] ||
    [ -z "$(find "$d/out" -name '*.md')" ]; then
	fail "hostile: limits fixture" "the reference build exited $lim_ref"
fi
lim_build build-files-limit-N-files 0 - "" "" "files=$nfiles"
lim_build build-total-limit-N-bytes 0 - "" "" "total=$nbytes"
lim_build build-nodes-limit-N-nodes 0 - "" "" "nodes=$nnodes"
cp "$d/zz-extra-1.md" "$d/zz-extra-2.md"
lim_build build-files-limit-N+1-files 3 input.too-large zz-extra-2.md \
    "more than $nfiles input files (limit 'files')" "files=$nfiles"
rm "$d/zz-extra-2.md"
printf 'x' >>"$d/zz-extra-1.md"
lim_build build-total-limit-N+1-bytes 3 input.too-large zz-extra-1.md \
    "inputs exceed $nbytes bytes in all (limit 'total')" "total=$nbytes"
printf '# Extra page\n\nOne more page of the site.\n' >"$d/zz-extra-1.md"
printf '  - one more\n' >>"$d/$sys"
lim_build build-nodes-limit-N+1-nodes 3 input.too-large "$sys:$nline:5" \
    "more than $nnodes YAML nodes in one file (limit 'nodes')" \
    "nodes=$nnodes"
cp "$S/limits-sys.yaml" "$d/$sys"

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

# In free text the same characters are kept but never written raw: every
# page, pack file and summary.md shows each as a visible marker, "[U+202E]"
# (in HTML a <span class="char-mark"> titled with the character's name in
# text, plain text in attributes and <title>; "\[U+202E\]" in Markdown).
# The free text: YAML scalars of the system, the organisation, a person, a
# team, a KPI (its SVG chart too), a decision-table row and an evidence
# link; Markdown fields (rendered by cmark, and kept as Markdown in the
# pack) with character references cmark would decode; a Markdown page.
# The YAML is written with JSON escapes, so it stays ASCII; the page holds
# the raw UTF-8.  The workbook (audit.xlsx) is left out: its cells keep
# the characters (see tests/hostile-catalogue.md, A10).
INVISIBLE="061C 180E 200B 200C 200D 200E 200F 2028 2029 202A 202B 202C 202D 202E 2060 2061 2062 2063 2064 2066 2067 2068 2069 206A 206B 206C 206D 206E 206F FEFF"
d=$(newrepo invisible)
"$PY" - "$d" "$INVISIBLE" <<'EOF'
import json, re, sys
d, cps = sys.argv[1], [int(x, 16) for x in sys.argv[2].split()]
ALL = "".join(chr(c) for c in cps)
q = json.dumps


def edit(rel, pairs):
    p = d + "/" + rel
    s = open(p, encoding="utf-8").read()
    for old, new in pairs:
        n = re.subn(old, lambda m: new, s, count=1, flags=re.M)
        assert n[1] == 1, old
        s = n[0]
    open(p, "w", encoding="utf-8").write(s)


md = ("Purpose \u202eesoprup\u202c " + ALL + " [a link](https://e.example/x "
      "\"ti\u202etle\") ![alt\u200b](x.png) `code\u2066` &#x202E; &#8238; "
      "&rlm; &ZeroWidthSpace;\n\n    code block " + ALL + "\n")
edit("systems/invoice-triage.yaml", [
    (r"^name: .*$", "name: " + q("Invoice " + ALL + " triage")),
    (r"^summary: .*$", "summary: " + q("Resolves\u202e " + ALL)),
    (r"^purpose: \|\n(  .*\n)+", "purpose: " + q(md) + "\n"),
    (r"^    name: AP cost per invoice$", "    name: " + q("AP cost " + ALL)),
    (r"^    description: Price differs.*$",
     "    description: " + q("Price " + ALL)),
    (r"^  mechanism: .*$", "  mechanism: " + q("Review " + ALL)),
    (r"^  - title: Shadow-mode results$", "  - title: " + q("Shadow " + ALL)),
])
edit("organization.yaml", [
    (r"^name: .*$", "name: " + q("Example\u202e Trading " + ALL)),
    (r"^    name: Anna Berg$", "    name: " + q("Anna " + ALL + " Berg")),
    (r"^    name: Finance Operations$",
     "    name: " + q("Finance " + ALL + " Operations")),
])
with open(d + "/README.md", "a", encoding="utf-8") as f:
    f.write("\nPage \u202etxet\u202c " + ALL + " &#x202e; &lrm; "
            "[l](https://e.example/\u202e \"t\u2067\")\n\n| a" + ALL +
            " | b |\n| --- | --- |\n")
EOF
before=$(snapshot "$d")
timeout 60 "$CHARTER" build --content "$d" --out "$S/invisible-out" \
    --as-of "$AS_OF" >"$S/out" 2>"$S/err"
RC=$?
after=$(snapshot "$d")
o=$S/invisible-out
if [ "$RC" -eq 0 ] && [ "$before" = "$after" ] &&
    [ -f "$o/packs/invoice-triage/index.md" ]; then
	pass "hostile: invisible-in-text-builds"
else
	fail "hostile: invisible-in-text-builds" "exit $RC" \
	    "$([ "$before" = "$after" ] || echo 'the content folder changed')" \
	    "$(head -5 "$S/err")"
fi
# No raw UTF-8 sequence of any of them in any file below out/, nor in a
# file of the pack zip (whose compressed bytes cannot be grepped).
"$PY" - "$o" "$INVISIBLE" >"$S/py" 2>&1 <<'EOF'
import os, sys, zipfile
out, cps = sys.argv[1], [int(x, 16) for x in sys.argv[2].split()]
bad, n = [], 0


def check(name, data):
    global n
    n += 1
    for c in cps:
        if chr(c).encode() in data:
            bad.append("%s: U+%04X" % (name, c))


for root, dirs, files in os.walk(out):
    for f in sorted(files):
        p = os.path.join(root, f)
        rel = os.path.relpath(p, out)
        if f == "audit.xlsx":
            continue
        if f.endswith(".zip"):
            with zipfile.ZipFile(p) as z:
                for m in z.namelist():
                    check(rel + ":" + m, z.read(m))
            continue
        check(rel, open(p, "rb").read())
print(n, "files")
if bad:
    print("\n".join(bad[:10]))
    sys.exit(1)
EOF
if [ $? -eq 0 ] && [ "$RC" -eq 0 ]; then
	pass "hostile: invisible-never-raw"
else
	fail "hostile: invisible-never-raw" "$(head -8 "$S/py")"
fi
# Each is shown: its marker in the system page and in the pack's index.md,
# titled in HTML text, plain inside <title> and attributes and in the SVG
# charts; character references decoded by cmark are marked too.
"$PY" - "$o" "$INVISIBLE" >"$S/py" 2>&1 <<'EOF'
import re, sys
out, cps = sys.argv[1], [int(x, 16) for x in sys.argv[2].split()]
page = open(out + "/systems/invoice-triage.html", encoding="utf-8").read()
idx = open(out + "/packs/invoice-triage/index.md", encoding="utf-8").read()
sec = open(out + "/packs/invoice-triage/02-general-description.md",
           encoding="utf-8").read()
readme = open(out + "/pages/README.html", encoding="utf-8").read()
summary = open(out + "/summary.md", encoding="utf-8").read()
span = ('<span class="char-mark" title="invisible character U+202E '
        'RIGHT-TO-LEFT OVERRIDE, shown here instead of applied">[U+202E]'
        '</span>')
problems = []
for c in cps:
    m = "[U+%04X]" % c
    if m not in page:
        problems.append("system page lacks " + m)
    if "\\" + m[:-1] + "\\]" not in idx:
        problems.append("pack index.md lacks \\" + m[:-1] + "\\]")
    if m not in sec:
        problems.append("pack section 2 lacks " + m)
title = re.search(r"<title>(.*?)</title>", page).group(1)
checks = [
    (span in page, "no titled span for U+202E in the system page"),
    ("[U+202E]" in title and "<span" not in title, "<title>: " + title[:80]),
    (re.search(r'<title id="kpi-0-t">AP cost \[U\+061C\]', page) is not None,
     "the KPI chart's SVG title lacks the plain marker"),
    ('title="ti[U+202E]tle"' in page, "a link title is not marked as text"),
    ('alt="alt[U+200B]"' in page, "an image's alt is not marked as text"),
    ("Purpose " + span in page, "Markdown field: no marker"),
    (sec.count("[U+202E] [U+202E] [U+200F] [U+200B]") == 1,
     "character references in the pack's Markdown are not marked"),
    ("Page " + span in readme, "Markdown page: no marker"),
    (readme.count(span) >= 4, "references in the page not decoded to markers"),
    ('title="t[U+2067]"' in readme, "the page's link title is not marked"),
    ("# Charter: Example\\[U+202E\\] Trading" in summary,
     "summary.md: " + summary.split("\n")[0][:80]),
]
problems += [why for ok, why in checks if not ok]
if problems:
    print("\n".join(problems[:10]))
    sys.exit(1)
EOF
if [ $? -eq 0 ]; then
	pass "hostile: invisible-shown-as-marker"
else
	fail "hostile: invisible-shown-as-marker" "$(head -10 "$S/py")"
fi
# Diagnostics escape every one of them too (the set is one table).
d=$(newrepo invisible-diag)
sed -e 's/^stage: production$/stage: "x\\u2060\\u180E\\u2064\\u206Ay\\uFEFF"/' \
    "$BASE/systems/invoice-triage.yaml" >"$d/systems/invoice-triage.yaml"
l=$(grep -n '^stage: ' "$d/systems/invoice-triage.yaml" | cut -d: -f1)
hcase invisible-in-diagnostic "$d" 1 schema.enum \
    "systems/invoice-triage.yaml:$l:8" \
    "'x\\u{2060}\\u{180e}\\u{2064}\\u{206a}y\\u{feff}' is not a valid value"

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

# A long value is shortened in a message between characters, never inside
# one (which would print as "\xc3..."): of 40 two-byte characters, 28.
dl=$(newrepo long-utf8)
e=$(printf '\303\251')
v40="" v28=""
i=0
while [ $i -lt 40 ]; do
	v40="$v40$e"
	[ $i -lt 28 ] && v28="$v28$e"
	i=$((i + 1))
done
sed -e "s/^stage: production\$/stage: $v40/" \
    "$BASE/systems/invoice-triage.yaml" >"$dl/systems/invoice-triage.yaml"
l=$(grep -n '^stage: ' "$dl/systems/invoice-triage.yaml" | cut -d: -f1)
hcase long-value-cut-between-characters "$dl" 1 schema.enum \
    "systems/invoice-triage.yaml:$l:8" "'$v28...' is not a valid value"

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
    if 0x80 <= o < 0xa0 or 0x200b <= o <= 0x200f or 0x2028 <= o <= 0x202e \
       or 0x2060 <= o <= 0x2064 or 0x2066 <= o <= 0x206f \
       or o in (0xfeff, 0x061c, 0x180e):
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
