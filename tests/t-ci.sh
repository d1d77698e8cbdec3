#!/bin/sh
# The CI recipes in examples/ci/, tested as far as this machine allows:
# each is valid YAML of the expected shape; the GitHub workflow uses only
# the actions it means to; every Debian package they install exists; and
# the steps that run Charter are run here, as the runner would, on a copy
# of content/ with its sample logs: the exit statuses, the step outputs,
# the job summary, the SARIF, the Code Quality report, the evidence and
# the published site they leave.
#
#   sh tests/t-ci.sh
. "$(cd "$(dirname "$0")" && pwd)/lib.sh"

AS_OF=2026-11-22
S=$(scratch ci)

if ! "$PY" -c 'import yaml' 2>/dev/null; then
	fail ci.pyyaml "$PY cannot import yaml: apt-get install python3-yaml"
	exit 0
fi
mkdir -p "$S/repo" && (cd "$TOP/content" && tar cf - --exclude=./logs .) |
    (cd "$S/repo" && tar xf -)
"$CHARTER" log sample --content "$S/repo" --as-of $AS_OF --problems -q ||
    fail ci.setup "log sample failed"
mkdir -p "$S/bin" && ln -sf "$CHARTER" "$S/bin/charter"

SOURCE_DATE_EPOCH=1795305600 PATH="$S/bin:$PATH" "$PY" - "$TOP/examples/ci" \
    "$S" <<'EOF'
import json, os, re, shutil, subprocess, sys, yaml

ci, s = sys.argv[1], sys.argv[2]
repo = os.path.join(s, "repo")

def report(name, ok, *detail):
    print(("PASS: " if ok else "FAIL: ") + name)
    if not ok:
        for d in detail:
            for line in str(d).splitlines()[:12]:
                print("    " + line)

def debs(text):
    """Debian package names an apt-get install line names."""
    out = []
    for m in re.finditer(r"apt-get install ([^\n]*(?:\n\s+[^\n-][^\n]*)*)", text):
        out += [w for w in m.group(1).split() if not w.startswith("-")
                and not w.startswith("$")]
    return out

def packages_exist(name, pkgs):
    missing = [p for p in pkgs if subprocess.run(
        ["apt-cache", "show", p], capture_output=True).returncode != 0]
    report(name, pkgs and not missing, "unknown packages: %s" % missing,
           "named: %s" % pkgs)

def run(script, env, cwd):
    e = dict(os.environ)
    e.update(env)
    return subprocess.run(["bash", "--noprofile", "--norc", "-eo",
                           "pipefail", "-c", script], cwd=cwd, env=e,
                          capture_output=True, text=True)

# ---- GitHub Actions ----------------------------------------------------------

gh = yaml.safe_load(open(os.path.join(ci, "github", "governance.yml")))
# PyYAML reads the key `on` as True (YAML 1.1); GitHub reads it as "on".
on = gh.get("on", gh.get(True))
jobs = gh.get("jobs", {})
report("ci.github.shape", isinstance(on, dict) and "pull_request" in on
       and on.get("push", {}).get("branches") == ["main"]
       and "pull_request_target" not in on
       and set(jobs) == {"check", "publish"}
       and jobs["check"]["permissions"].get("security-events") == "write"
       and jobs["publish"]["permissions"].get("pages") == "write",
       json.dumps(gh, default=str)[:600])
allowed = {"actions/checkout@v4", "github/codeql-action/upload-sarif@v3",
           "actions/upload-artifact@v4", "actions/upload-pages-artifact@v3",
           "actions/deploy-pages@v4"}
uses = {st["uses"] for j in jobs.values() for st in j["steps"] if "uses" in st}
report("ci.github.actions", uses <= allowed and len(uses) == 5,
       "unexpected: %s" % (uses - allowed))
packages_exist("ci.github.packages", gh["env"]["CHARTER_DEBS"].split())

def gh_step(job, name):
    for st in jobs[job]["steps"]:
        if st.get("name") == name or st.get("id") == name:
            return st
    raise KeyError(name)

def gh_env(tag):
    rt = os.path.join(s, "gh-" + tag)
    shutil.rmtree(rt, ignore_errors=True)
    os.makedirs(rt)
    return rt, {"RUNNER_TEMP": rt,
                "GITHUB_OUTPUT": os.path.join(rt, "output"),
                "GITHUB_STEP_SUMMARY": os.path.join(rt, "summary"),
                "GITHUB_PATH": os.path.join(rt, "path")}

rt, env = gh_env("check")
r = run(gh_step("check", "Check and build")["run"], env, repo)
out = open(env["GITHUB_OUTPUT"]).read() if os.path.exists(env["GITHUB_OUTPUT"]) else ""
report("ci.github.check-step", r.returncode == 0 and out == "status=1\n"
       and os.path.isfile(os.path.join(rt, "out", "findings.sarif")),
       "exit %d, output %r" % (r.returncode, out), r.stderr[-400:])
r = run(gh_step("check", "Job summary")["run"], env, repo)
summary = open(env["GITHUB_STEP_SUMMARY"]).read() if os.path.exists(env["GITHUB_STEP_SUMMARY"]) else ""
report("ci.github.job-summary", r.returncode == 0 and summary ==
       open(os.path.join(rt, "out", "summary.md")).read() and "error" in summary,
       r.stderr[-400:])
# The governance diff against the base branch: a git repository whose
# "origin" holds main, and a pull request that moves a system's stage.
g = os.path.join(s, "git")
shutil.rmtree(g, ignore_errors=True)
shutil.copytree(repo, g, symlinks=True)
sysfile = os.path.join(g, "systems", "demand-forecasting.yaml")
git = lambda *a: subprocess.run(["git", "-C", g, "-c", "user.name=t",
                                 "-c", "user.email=t@example.invalid"] +
                                list(a), capture_output=True, text=True)
git("init", "-q", "-b", "main"); git("add", "-A"); git("commit", "-qm", "base")
git("remote", "add", "origin", g); git("checkout", "-qb", "pr")
y = open(sysfile).read()
open(sysfile, "w").write(y.replace("stage: pilot", "stage: shadow", 1))
git("commit", "-qam", "promote")
drt, denv = gh_env("diff")
denv["GITHUB_BASE_REF"] = "main"
r = run(gh_step("check", "What the pull request changes")["run"], denv, g)
summary = open(denv["GITHUB_STEP_SUMMARY"]).read() if os.path.exists(denv["GITHUB_STEP_SUMMARY"]) else ""
report("ci.github.governance-diff", r.returncode == 0 and
       "stage: pilot" in y and "demand-forecasting" in summary and
       "shadow" in summary, "exit %d" % r.returncode, summary[:400],
       r.stderr[-400:])
arts = gh_step("check", "Keep the packs, the workbook and the manifest")
paths = [p.replace("${{ runner.temp }}", rt)
         for p in arts["with"]["path"].split("\n") if p.strip()]
import glob
found = [p for p in paths if glob.glob(p)]
report("ci.github.artifacts", len(found) == len(paths) == 3,
       "not found: %s" % (set(paths) - set(found)))
fail_step = gh_step("check", "Fail on errors")["run"].replace(
    "${{ steps.charter.outputs.status }}", out.split("=")[1].strip())
r = run(fail_step, env, repo)
report("ci.github.fails-on-errors", r.returncode == 1, "exit %d" % r.returncode)

rt, env = gh_env("publish")
r = run(gh_step("publish", "Build and verify the site")["run"], env, repo)
report("ci.github.publish", r.returncode == 0 and
       os.path.isfile(os.path.join(rt, "site", "index.html")) and
       "files match" in r.stdout, "exit %d" % r.returncode, r.stdout[-300:],
       r.stderr[-300:])

# ---- GitLab CI ---------------------------------------------------------------

gl = yaml.safe_load(open(os.path.join(ci, "gitlab", ".gitlab-ci.yml")))
report("ci.gitlab.shape", gl.get("stages") == ["check", "publish"] and
       gl["governance-check"]["extends"] == ".charter" and
       gl["pages"]["extends"] == ".charter" and
       gl["pages"]["artifacts"]["paths"] == ["public"] and
       gl["governance-check"]["artifacts"]["reports"]["codequality"] ==
       "gl-code-quality-report.json", json.dumps(gl)[:600])
packages_exist("ci.gitlab.packages",
               debs("\n".join(gl[".charter"]["before_script"])))

def gl_job(name, tag):
    work = os.path.join(s, "gl-" + tag)
    shutil.rmtree(work, ignore_errors=True)
    shutil.copytree(repo, work, symlinks=True)
    r = run("\n".join(gl[name]["script"]), {"CI_PROJECT_DIR": work}, work)
    return work, r

work, r = gl_job("governance-check", "check")
try:
    cq = json.load(open(os.path.join(work, "gl-code-quality-report.json")))
except Exception as e:
    cq = str(e)
keys = {"description", "check_name", "fingerprint", "severity", "location"}
ok = (isinstance(cq, list) and len(cq) > 0 and
      all(keys <= set(i) and i["severity"] in
          ("info", "minor", "major", "critical", "blocker") and
          isinstance(i["location"]["lines"]["begin"], int) and
          i["location"]["lines"]["begin"] >= 1 and
          not i["location"]["path"].startswith("/") and
          os.path.isfile(os.path.join(work, i["location"]["path"]))
          for i in cq) and
      len({i["fingerprint"] for i in cq}) == len(cq))
report("ci.gitlab.code-quality", r.returncode == 1 and ok,
       "exit %d" % r.returncode, str(cq)[:500], r.stderr[-300:])
arts = [p for p in gl["governance-check"]["artifacts"]["paths"]
        if glob.glob(os.path.join(work, p))]
report("ci.gitlab.artifacts", len(arts) == 4,
       "found: %s" % arts)
work, r = gl_job("pages", "pages")
report("ci.gitlab.pages", r.returncode == 0 and
       os.path.isfile(os.path.join(work, "public", "index.html")) and
       "files match" in r.stdout, "exit %d" % r.returncode,
       r.stdout[-300:], r.stderr[-300:])
EOF
[ $? -eq 0 ] || fail ci.runner "the test script itself failed"
exit 0
