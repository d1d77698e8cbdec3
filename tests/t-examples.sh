#!/bin/sh
# The governance repos in examples/: each is self-contained and builds
# cleanly.  For every examples/*/ with an organization.yaml: a copy in a
# scratch folder gets its sample decision logs, `charter check` exits 0
# with no warning or note, `charter build` exits 0 with the site and one
# pack per system, every relative evidence and FRIA link names a file of
# the example, and the example folder itself is unchanged afterwards.
# Then what each example is there to show, read from the packs: the
# bank's credit score complete with its Art. 27 FRIA, the municipality's
# eligibility assistant registered as a public-body deployer, the small
# company without a high-risk system.
#
#   sh tests/t-examples.sh
. "$(cd "$(dirname "$0")" && pwd)/lib.sh"

AS_OF=2026-11-22
S=$(scratch examples)
EX=$TOP/examples

# The system ids of a repo, one a line, sorted.
system_ids() {
	for y in "$1"/systems/*.yaml "$1"/systems/*.yml; do
		[ -f "$y" ] && sed -n 's/^id: *//p' "$y"
	done | LC_ALL=C sort
}

# Does any system of the repo name a decision log (log.database)?
has_logs() {
	grep -qs '^  database:' "$1"/systems/*.yaml "$1"/systems/*.yml
}

n=0
for dir in "$EX"/*/; do
	dir=${dir%/}
	[ -f "$dir/organization.yaml" ] || continue
	name=$(basename "$dir")
	n=$((n + 1))
	c=$S/$name
	o=$S/out-$name

	snapshot "$dir" >"$S/$name.before"
	touch "$S/$name.stamp"

	# A copy without anything generated (a developer may have run log
	# sample or build inside the example).
	mkdir -p "$c" && (cd "$dir" && tar cf - --exclude=./logs \
	    --exclude=./out .) | (cd "$c" && tar xf -)
	ids=$(system_ids "$c")
	if [ -z "$ids" ]; then
		fail "examples.$name.systems" "no systems/*.yaml with an id"
	else
		pass "examples.$name.systems"
	fi

	if has_logs "$c"; then
		"$CHARTER" log sample --content "$c" --as-of $AS_OF -q \
		    >"$S/$name.sample" 2>&1
		rc=$?
		if [ $rc -eq 0 ] && [ -n "$(ls "$c/logs" 2>/dev/null)" ]; then
			pass "examples.$name.log-sample"
		else
			fail "examples.$name.log-sample" "exit $rc" \
			    "$(head -5 "$S/$name.sample")"
		fi
	fi

	"$CHARTER" check --content "$c" --as-of $AS_OF >"$S/$name.check" 2>&1
	rc=$?
	if [ $rc -eq 0 ]; then
		pass "examples.$name.check"
	else
		fail "examples.$name.check" "exit $rc, expected 0" \
		    "$(head -8 "$S/$name.check")"
	fi
	# The READMEs promise a clean check: a new warning or note needs
	# explaining there, or fixing.
	if grep -qx '0 errors, 0 warnings, 0 notes' "$S/$name.check"; then
		pass "examples.$name.no-findings"
	else
		fail "examples.$name.no-findings" "$(head -8 "$S/$name.check")"
	fi

	"$CHARTER" build --content "$c" --out "$o" --as-of $AS_OF \
	    >"$S/$name.build" 2>&1
	rc=$?
	missing=
	for f in index.html findings.json audit.xlsx MANIFEST.sha256; do
		[ -s "$o/$f" ] || missing="$missing $f"
	done
	for id in $ids; do
		[ -s "$o/systems/$id.html" ] || missing="$missing systems/$id.html"
		[ -s "$o/packs/$id/index.md" ] || missing="$missing packs/$id/index.md"
		[ -s "$o/packs/$id.zip" ] || missing="$missing packs/$id.zip"
	done
	packs=$(cd "$o/packs" 2>/dev/null && for p in *; do
		[ -d "$p" ] && echo "$p"; done | LC_ALL=C sort)
	if [ $rc -eq 0 ] && [ -z "$missing" ] && [ "$packs" = "$ids" ]; then
		pass "examples.$name.build"
	else
		fail "examples.$name.build" "exit $rc (0 expected)" \
		    "missing:${missing:- none}" \
		    "packs: $(echo "$packs" | tr '\n' ' ')" \
		    "systems: $(echo "$ids" | tr '\n' ' ')" \
		    "$(head -5 "$S/$name.build")"
	fi
	if "$CHARTER" verify "$o" >"$S/$name.verify" 2>&1; then
		pass "examples.$name.verify"
	else
		fail "examples.$name.verify" "$(head -5 "$S/$name.verify")"
	fi

	# Every relative href (evidence, fria) names a file of the example.
	bad=
	for h in $(sed -n 's/^ *\(- \)\{0,1\}href: *//p' "$c"/systems/*.yaml |
	    tr -d '"'"'"); do
		case $h in *://*) continue ;; esac
		[ -f "$c/$h" ] || bad="$bad $h"
	done
	if [ -z "$bad" ]; then
		pass "examples.$name.links"
	else
		fail "examples.$name.links" "no such file:$bad"
	fi

	# Nothing was written into the example: same listing and checksums,
	# and nothing rewritten in place.
	snapshot "$dir" >"$S/$name.after"
	newer=$(find "$dir" -newer "$S/$name.stamp" -print 2>/dev/null | head -5)
	if cmp -s "$S/$name.before" "$S/$name.after" && [ -z "$newer" ]; then
		pass "examples.$name.unchanged"
	else
		fail "examples.$name.unchanged" \
		    "$(diff "$S/$name.before" "$S/$name.after" | head -5)" \
		    "newer: $newer"
	fi
done
if [ $n -ge 3 ]; then
	pass examples.found
else
	fail examples.found "$n examples with an organization.yaml, expected at least 3"
fi

# ---- what each example shows --------------------------------------------------

# The completeness row of section NN in a pack's index.md.
section_row() {	# PACK_DIR NN
	grep "^| \[$2\. " "$1/index.md" 2>/dev/null
}

# The bank: a private provider-and-deployer of an Annex III 5(b) system,
# whose FRIA Art. 27 requires for that reason alone, and documents.
p=$S/out-bank/packs/consumer-credit-scoring
if grep -qxF '**18 of 18 required sections documented**' "$p/index.md" 2>/dev/null; then
	pass examples.bank.credit-pack-complete
else
	fail examples.bank.credit-pack-complete \
	    "$(grep '^\*\*[0-9p]' "$p/index.md" 2>&1)" \
	    "$(grep '^| \[' "$p/index.md" 2>/dev/null | grep -v '| Documented |' | head -5)"
fi
if grep -qxF -- '- **FRIA required (Art. 27)**: For information — yes: a high-risk system under Annex III 5(b)' \
    "$p/13-deployer-duties.md" 2>/dev/null &&
    grep -qxF -- '- **Fundamental rights impact assessment**: Documented — completed 2026-07-09: docs/credit-scoring-fria.md' \
    "$p/13-deployer-duties.md" &&
    section_row "$p" 13 | grep -q '| Documented |'; then
	pass examples.bank.fria-required-documented
else
	fail examples.bank.fria-required-documented \
	    "$(grep -h 'FRIA\|Fundamental' "$p/13-deployer-duties.md" 2>&1)"
fi
# Fraud detection is not 5(b): minimal-risk, and its pack asks no FRIA.
p=$S/out-bank/packs/card-fraud-detection
if grep -qx -- '- Classification: Minimal risk' "$p/index.md" 2>/dev/null &&
    grep -qxF -- '- **FRIA required (Art. 27)**: For information — no: not a high-risk Annex III system deployed by a public body or a provider of public services, nor one under the points Art. 27 names' \
    "$p/13-deployer-duties.md"; then
	pass examples.bank.fraud-not-high-risk
else
	fail examples.bank.fraud-not-high-risk \
	    "$(grep -h 'Classification:\|FRIA required' "$p/index.md" "$p/13-deployer-duties.md" 2>&1)"
fi

# The municipality: a deployer, yet registration (section 14) is required
# of it as a public body, and documented; so is its FRIA.
p=$S/out-public-agency/packs/special-assistance-eligibility
if grep -qx -- '- Role: Deployer' "$p/index.md" 2>/dev/null &&
    section_row "$p" 14 | grep -q '| Documented |' &&
    grep -qx -- '- Status: Documented' "$p/14-registration.md" &&
    grep -qxF -- '- **EU database registration**: Documented — EUDB-DEP-2026-NL-000158' \
    "$p/14-registration.md"; then
	pass examples.public-agency.registration-documented
else
	fail examples.public-agency.registration-documented \
	    "$(section_row "$p" 14)" \
	    "$(grep -h 'Role:\|Status:\|registration' "$p/index.md" "$p/14-registration.md" 2>&1 | head -5)"
fi
if grep -qxF -- '- **FRIA required (Art. 27)**: For information — yes: a high-risk system under Annex III 5(a) deployed by a public body or a provider of public services' \
    "$p/13-deployer-duties.md" 2>/dev/null &&
    section_row "$p" 13 | grep -q '| Documented |' &&
    section_row "$p" 18 | grep -q '| Not required'; then
	pass examples.public-agency.fria-documented
else
	fail examples.public-agency.fria-documented \
	    "$(grep -h 'FRIA' "$p/13-deployer-duties.md" 2>&1)" \
	    "$(section_row "$p" 13)" "$(section_row "$p" 18)"
fi

# The small company: no high-risk system, in the YAML or in the packs,
# and every pack complete for what its classification requires.
c=$S/small-company
o=$S/out-small-company
if [ -d "$c/systems" ] && [ -d "$o/packs" ] &&
    ! grep -q '^  classification: *high-risk' "$c"/systems/*.yaml &&
    ! grep -qx -- '- Classification: High-risk' "$o"/packs/*/index.md &&
    [ "$(grep -lx -- '- Classification: \(Minimal\|Limited\) risk' \
    "$o"/packs/*/index.md | wc -l)" -eq "$(system_ids "$c" | wc -l)" ]; then
	pass examples.small-company.no-high-risk
else
	fail examples.small-company.no-high-risk \
	    "$(grep -h '^- Classification:' "$o"/packs/*/index.md 2>&1)"
fi
bad=
for i in "$o"/packs/*/index.md; do
	s=$(grep '^\*\*[0-9]' "$i" 2>/dev/null)
	case $s in
	'**'*' of '*' required sections documented**')
		x=${s#\*\*}; x=${x%% *}; y=${s#* of }; y=${y%% *}
		[ "$x" = "$y" ] || bad="$bad $(basename "$(dirname "$i")")" ;;
	*)	bad="$bad $i" ;;
	esac
done
if [ -z "$bad" ]; then
	pass examples.small-company.packs-complete
else
	fail examples.small-company.packs-complete "incomplete:$bad"
fi

exit 0
