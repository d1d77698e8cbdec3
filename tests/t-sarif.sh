#!/bin/sh
# 'charter check --format sarif' and '--format json' on a repo with planted
# problems whose positions are fixed by the YAML written below:
#
#   systems/alpha.yaml      ref.unknown          10:12  owners.outcome: a.bergg
#                           tier.missing-control 17:11  no kill-switch control
#                           kpi.missing          1:1    (warning) no KPI
#   systems/beta #1.yaml    schema.unknown-key   6:33   'nme', after four
#                           two-byte letters: columns count code points, and
#                           the file name needs percent-encoding in a URI
#
# The SARIF log is also checked against the SARIF 2.1.0 schema and rules by
# Microsoft's validator, npm package @microsoft/sarif-multitool (pinned
# below), installed into tests/tmp/npm on first use.  Without npm, or when
# the install fails, that case FAILS: it never passes silently.
. "$(cd "$(dirname "$0")" && pwd)/lib.sh"

CHECK=$TOP/tests/sarif/check.py
MULTITOOL_PKG=@microsoft/sarif-multitool@5.7.0
NPM_DIR=$TOP/tests/tmp/npm
AS_OF=2026-11-22

S=$(scratch sarif)
R=$S/repo
mkdir -p "$R"
cp -R "$TOP/templates/init/." "$R/"
rm -f "$R"/systems/*.yaml

cat >"$R/systems/alpha.yaml" <<'EOF'
kind: system
id: alpha
name: Alpha
stage: shadow
risk_tier: low
eu_ai_act:
  classification: minimal-risk
  rationale: Internal only.
owners:
  outcome: a.bergg
  data_domain: a.berg
  model_behaviour: s.novak
  workflow_impact: m.kaya
  operating_risk: c.lange
  exception_path: m.kaya
  failure_mode: finance
controls: [decision-logging, human-review]
human_oversight:
  level: spot-check
  reviewer: m.kaya
last_review: "2026-10-01"
EOF
cat >"$R/systems/beta #1.yaml" <<'EOF'
kind: system
id: beta
name: Beta
stage: idea
risk_tier: low
model: {provider: "Ünïcödé AG", nme: example}
eu_ai_act:
  classification: minimal-risk
  rationale: Internal only.
EOF

A=repo/systems/alpha.yaml
B="repo/systems/beta #1.yaml"
BU=repo/systems/beta%20%231.yaml
VERSION=$("$CHARTER" --version | sed -n '1s/^charter //p')
"$CHARTER" rules --format json >"$S/rules.json"

# Run from the scratch folder so that paths are relative: "repo/...".
(cd "$S" && "$CHARTER" check --content repo --as-of "$AS_OF" \
    --format sarif >sarif.json 2>sarif.err)
rc=$?
if [ "$rc" -eq 1 ] && [ ! -s "$S/sarif.err" ]; then
	pass "sarif: exit 1, nothing on stderr"
else
	fail "sarif: exit 1, nothing on stderr" "exit $rc" "$(head -5 "$S/sarif.err")"
fi
"$PY" "$CHECK" sarif "$S/sarif.json" "$S/rules.json" "$VERSION" \
    "ref.unknown|$A|10|12|error" \
    "tier.missing-control|$A|17|11|error" \
    "kpi.missing|$A|1|1|warning" \
    "schema.unknown-key|$BU|6|33|error"

(cd "$S" && "$CHARTER" check --content repo --as-of "$AS_OF" \
    --format json >json.json 2>json.err)
rc=$?
(cd "$S" && "$CHARTER" check --content repo --as-of "$AS_OF" 2>text.err)
if [ "$rc" -eq 1 ] && [ ! -s "$S/json.err" ]; then
	pass "json: exit 1, nothing on stderr"
else
	fail "json: exit 1, nothing on stderr" "exit $rc" "$(head -5 "$S/json.err")"
fi
"$PY" "$CHECK" json "$S/json.json" "$S/text.err" "$VERSION" "$AS_OF" \
    "ref.unknown|$A|10|12|error" \
    "tier.missing-control|$A|17|11|error" \
    "kpi.missing|$A|1|1|warning" \
    "schema.unknown-key|$B|6|33|error"

# An absolute content path gives file:// URIs without a uriBaseId.
"$CHARTER" check --content "$R" --as-of "$AS_OF" --format sarif \
    >"$S/abs.json" 2>/dev/null
if "$PY" - "$S/abs.json" "$R" >"$S/py" 2>&1 <<'EOF'
import json, sys, urllib.parse
log = json.load(open(sys.argv[1], encoding="utf-8"))
uris = set()
for res in log["runs"][0]["results"]:
    art = res["locations"][0]["physicalLocation"]["artifactLocation"]
    assert "uriBaseId" not in art, art
    uris.add(art["uri"])
want = {"file://" + urllib.parse.quote(sys.argv[2] + "/systems/" + f)
        for f in ("alpha.yaml", "beta #1.yaml")}
assert uris == want, (sorted(uris), sorted(want))
EOF
then
	pass "sarif: absolute content path gives file:// URIs"
else
	fail "sarif: absolute content path gives file:// URIs" "$(tail -3 "$S/py")"
fi

# No findings: an empty results array, still a valid log.
C=$S/clean
mkdir -p "$C"
cp -R "$TOP/templates/init/." "$C/"
mklog "$C"
"$CHARTER" check --content "$C" --as-of "$AS_OF" \
    --format sarif >"$S/empty.json"
rc=$?
if [ "$rc" -eq 0 ] && "$PY" -c '
import json, sys
log = json.load(open(sys.argv[1]))
assert log["runs"][0]["results"] == []
' "$S/empty.json" 2>"$S/py"; then
	pass "sarif: a clean repo gives results: []"
else
	fail "sarif: a clean repo gives results: []" "exit $rc" "$(tail -2 "$S/py")"
fi

# --- the SARIF validator ---------------------------------------------------------

# Findings in a decision log: placed at the YAML they were checked against,
# with the database row as a related location.
D=$S/db
mkdir -p "$D"
cp -R "$TOP/tests/rules/base/." "$D/"
cp "$TOP/tests/rules/cases/log.boundary-breach/logs/invoice-triage.db.sql" \
    "$D/logs/"
"$CHARTER" log init "$D/logs/invoice-triage.db" >/dev/null &&
    sqlite3 -bail "$D/logs/invoice-triage.db" \
    <"$D/logs/invoice-triage.db.sql" && rm "$D/logs/invoice-triage.db.sql"
"$CHARTER" check --content "$D" --as-of "$AS_OF" --format sarif >"$S/db.json"
if "$PY" -c '
import json, sys
res = json.load(open(sys.argv[1]))["runs"][0]["results"]
b = [r for r in res if r["ruleId"] == "log.boundary-breach"]
assert len(b) == 3, len(b)
for r in b:
    loc = r["locations"][0]["physicalLocation"]
    assert loc["artifactLocation"]["uri"].endswith("systems/invoice-triage.yaml")
    assert loc["region"]["startLine"] > 0
    rel = r["relatedLocations"][0]
    assert rel["physicalLocation"]["artifactLocation"]["uri"].endswith(
        "logs/invoice-triage.db")
    assert rel["message"]["text"].startswith("row ")
' "$S/db.json" 2>"$S/py"; then
	pass "sarif: a log finding sits at its YAML, the row related"
else
	fail "sarif: a log finding sits at its YAML, the row related" \
	    "$(tail -3 "$S/py")"
fi

MT=$NPM_DIR/node_modules/.bin/sarif-multitool
if [ ! -x "$MT" ]; then
	if ! command -v npm >/dev/null 2>&1; then
		fail "sarif: validator available" \
		    "npm is not installed: cannot fetch $MULTITOOL_PKG" \
		    "install Node.js and npm (Debian: apt-get install npm)"
	elif ! npm install --prefix "$NPM_DIR" --no-audit --no-fund \
	    --loglevel=error "$MULTITOOL_PKG" >"$S/npm.log" 2>&1; then
		fail "sarif: validator available" \
		    "npm install $MULTITOOL_PKG failed:" "$(tail -5 "$S/npm.log")"
	fi
fi
if [ -x "$MT" ]; then
	# npm may skip the package's postinstall (chmod u+x of the binary).
	find "$NPM_DIR/node_modules/@microsoft" -name Sarif.Multitool \
	    -exec chmod u+x {} + 2>/dev/null
	DOTNET_CLI_TELEMETRY_OPTOUT=1
	export DOTNET_CLI_TELEMETRY_OPTOUT

	# validate LOG OUT: the multitool's verdict on LOG, as JSON in OUT.
	validate() {
		rm -f "$2"
		timeout 120 "$MT" validate "$1" --output "$2" >"$2.log" 2>&1 &&
		    [ -s "$2" ]
	}

	# First prove that the validator catches a broken log.
	"$PY" -c '
import json, sys
log = json.load(open(sys.argv[1]))
del log["runs"][0]["results"][0]["message"]
log["runs"][0]["results"][1]["ruleId"] = 7
json.dump(log, open(sys.argv[2], "w"))
' "$S/sarif.json" "$S/broken.json"
	if validate "$S/broken.json" "$S/broken.out" &&
	    ! "$PY" "$CHECK" validator "$S/broken.out" >/dev/null; then
		pass "sarif: the validator rejects a broken log"
	else
		fail "sarif: the validator rejects a broken log" \
		    "$(tail -5 "$S/broken.out.log" | sed '2,$s/^/    /')"
	fi
	for f in sarif empty db; do
		if ! validate "$S/$f.json" "$S/$f.out"; then
			fail "sarif: $f log passes sarif-multitool validate" \
			    "the multitool failed:" "$(tail -5 "$S/$f.out.log")"
		elif "$PY" "$CHECK" validator "$S/$f.out" >"$S/py" 2>&1; then
			pass "sarif: $f log passes sarif-multitool validate"
		else
			fail "sarif: $f log passes sarif-multitool validate" \
			    "$(grep -E ': (error|warning) ' "$S/$f.out.log" |
			    sed -e "s|^$S/||" -e '2,$s/^/    /')"
		fi
	done
fi

# Keep the scratch folder for a look when something failed.
[ "$T_FAILS" -eq 0 ] && rm -rf "$S"
exit 0
