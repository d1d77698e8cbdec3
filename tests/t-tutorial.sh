#!/bin/sh
# The README's "Ten-minute start", followed literally: every command of its
# code blocks runs in a fresh folder, in order, with charter on PATH; what
# the README shows a command printing (the "# ..." lines after it, or the
# plain block after "delete the failure_mode: owner line") must be what it
# prints, and the exit statuses must be the ones the text gives.  The date
# is fixed with SOURCE_DATE_EPOCH, as the README's outputs were taken on
# one day.
#
#   sh tests/t-tutorial.sh
. "$(cd "$(dirname "$0")" && pwd)/lib.sh"

S=$(scratch tutorial)
mkdir -p "$S/bin" "$S/work" && ln -sf "$CHARTER" "$S/bin/charter"

SOURCE_DATE_EPOCH=1795305600 PATH="$S/bin:$PATH" "$PY" - "$TOP/README.md" \
    "$S/work" <<'EOF'
import re, shutil, subprocess, sys

readme, work = sys.argv[1], sys.argv[2]
text = open(readme, encoding="utf-8").read()
sec = text[text.index("## Ten-minute start"):]
sec = sec[:sec.index("\n## ", 5)]
blocks = re.findall(r"```(\w*)\n(.*?)```", sec, re.S)

def report(name, ok, *detail):
    print(("PASS: " if ok else "FAIL: ") + name)
    if not ok:
        for d in detail:
            for line in str(d).splitlines()[:12]:
                print("    " + line)

def run(cmd):
    return subprocess.run(cmd, shell=True, cwd=work, capture_output=True,
                          text=True)

sh_blocks = [b for lang, b in blocks if lang == "sh"]
plain = [b for lang, b in blocks if lang == ""]
report("tutorial.blocks", len(sh_blocks) == 2 and len(plain) == 1,
       "found %d sh and %d plain blocks" % (len(sh_blocks), len(plain)))

# Each sh block: commands, each followed by "# ..." lines it must print
# (stderr then stdout), or carrying "# ..." after it on the same line: a
# line it must print (checked for check's summary line only).
step = 0
for block in sh_blocks:
    cmds = []
    for line in block.splitlines():
        if line.startswith("# "):
            cmds[-1][1].append(line[2:])
        elif line.strip():
            cmd, _, note = line.partition("  #")
            cmds.append([cmd.strip(), [], note.strip()])
    for cmd, shown, note in cmds:
        step += 1
        r = run(cmd)
        out = (r.stderr + r.stdout).splitlines()
        name = "tutorial.%d %s" % (step, cmd)
        if shown:
            report(name, r.returncode == 0 and out == shown,
                   "exit %d" % r.returncode, "printed:", *out[:6],
                   "README shows:", *shown)
        elif note.startswith("0 errors"):
            report(name, r.returncode == 0 and note in out,
                   "exit %d" % r.returncode, *out[-3:])
        else:
            report(name, r.returncode == 0, "exit %d" % r.returncode,
                   *out[-3:])

# "delete the failure_mode: owner line and run the check again"
path = work + "/my-governance/systems/invoice-triage.yaml"
orig = open(path, encoding="utf-8").read()
lines = orig.splitlines(keepends=True)
owner = [i for i, l in enumerate(lines) if l.strip().startswith("failure_mode:")]
report("tutorial.failure-mode-line", len(owner) == 1,
       "lines starting 'failure_mode:': %d" % len(owner))
if owner:
    open(path, "w", encoding="utf-8").write(
        "".join(lines[:owner[0]] + lines[owner[0] + 1:]))
r = run("charter check --content my-governance")
shown = plain[0].splitlines() if plain else []
report("tutorial.without-failure-mode", r.returncode == 1 and
       r.stderr.splitlines() == shown, "exit %d" % r.returncode,
       "printed:", r.stderr, "README shows:", *shown)
# "Put the line back and the check passes again."
open(path, "w", encoding="utf-8").write(orig)
r = run("charter check --content my-governance")
report("tutorial.line-back", r.returncode == 0 and
       r.stderr.splitlines()[-1:] == ["0 errors, 0 warnings, 0 notes"],
       "exit %d" % r.returncode, r.stderr)
shutil.rmtree(work + "/my-site", ignore_errors=True)
EOF
[ $? -eq 0 ] || fail tutorial.runner "the test script itself failed"

# The README's Python example of an agent runtime writing its log, run as
# written against a log made by charter log init: one row, as given.
mkdir -p "$S/py/logs" &&
    "$CHARTER" log init "$S/py/logs/ap-invoice-agent.db" >/dev/null
sed -n '/^```python$/,/^```$/p' "$TOP/README.md" | sed '1d;$d' >"$S/py/agent.py"
if [ -s "$S/py/agent.py" ] && (cd "$S/py" && "$PY" agent.py) 2>"$S/py/err" &&
    [ "$(sqlite3 "$S/py/logs/ap-invoice-agent.db" "SELECT count(*), system, case_ref, exception, actor, action, mode, confidence, amount, input_ref FROM decisions")" = "1|ap-invoice-agent|INV-88121|price-mismatch|agent|auto_resolved|live|0.97|412.5|erp://invoices/88121" ] &&
    sqlite3 "$S/py/logs/ap-invoice-agent.db" "SELECT ts FROM decisions" |
    grep -qE '^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}Z$'; then
	pass tutorial.python-agent-example
else
	fail tutorial.python-agent-example "$(cat "$S/py/err")" \
	    "$(sqlite3 "$S/py/logs/ap-invoice-agent.db" "SELECT * FROM decisions" 2>&1)"
fi
exit 0
