#!/usr/bin/env python3
"""Checks action.yml the way GitHub and a careful reviewer would, without a runner.

1. It is valid YAML with the keys GitHub requires (check-jsonschema's github-actions schema runs
   beside this in .ci/run).
2. No `run:` script contains `${{`: inputs reach shells only through `env:` (script injection).
3. Every `run:` script passes shellcheck.
4. The Lint step's script runs for real against a built sendlint, with inputs holding spaces,
   quoted globs and shell metacharacters, and writes its outputs.
5. The workflow docs/ci.md shows is valid for GitHub's workflow schema and passes zizmor, and
   actionlint when $ACTIONLINT names its binary.

Usage: check-action.py ACTION_YML SENDLINT_BINARY
"""
import os, subprocess, sys, tempfile, yaml

action_path, binary = sys.argv[1], sys.argv[2]
action = yaml.safe_load(open(action_path))
failed = False
steps = action["runs"]["steps"]
for step in steps:
    script = step.get("run")
    if script is None:
        continue
    name = step.get("name", "?")
    if "${{" in script:
        print(f"FAIL: step {name!r}: run script interpolates an expression; pass it through env:")
        failed = True
    with tempfile.NamedTemporaryFile("w", suffix=".sh", delete=False) as handle:
        handle.write("#!/usr/bin/env bash\nset -eo pipefail\n" + script)
    result = subprocess.run(["shellcheck", "-S", "warning", handle.name], capture_output=True, text=True)
    if result.returncode != 0:
        print(f"FAIL: step {name!r}: shellcheck\n{result.stdout}")
        failed = True
    else:
        print(f"ok: step {name!r} passes shellcheck")
    os.unlink(handle.name)

lint = next(step for step in steps if step.get("id") == "lint")
def run_lint(paths, expect_status, marker=None):
    global failed
    with tempfile.TemporaryDirectory() as temp:
        output = os.path.join(temp, "output")
        open(output, "w").close()
        env = dict(os.environ, GITHUB_OUTPUT=output, RUNNER_TEMP=temp, SENDLINT_PATHS=paths,
                   SENDLINT_POLICY="", SENDLINT_FAIL_ON="error", SENDLINT_MAX_WARNINGS="",
                   SENDLINT_BIN=binary, GITHUB_ACTIONS="true")
        env.pop("GITHUB_STEP_SUMMARY", None)
        result = subprocess.run(["bash", "-eo", "pipefail", "-c", lint["run"]], env=env,
                                capture_output=True, text=True)
        outputs = dict(line.split("=", 1) for line in open(output).read().splitlines() if "=" in line)
        ok = result.returncode == expect_status and outputs.get("exit-code") == str(expect_status)
        ok = ok and os.path.exists(outputs.get("sarif-file", "")) if expect_status != 2 else ok
        if marker is not None and os.path.exists(marker):
            print(f"FAIL: paths {paths!r} executed a shell command")
            ok = False
        print(("ok" if ok else "FAIL") + f": Lint step with paths {paths!r} exited {result.returncode} "
              f"(want {expect_status}), outputs {sorted(outputs)}")
        if not ok:
            print(result.stdout[-2000:], result.stderr[-2000:])
            failed = True

run_lint("Examples/ms03-026-fixed Examples/newsletter", 0)
run_lint("Examples/ms03-026", 1)
with tempfile.TemporaryDirectory() as temp:
    marker = os.path.join(temp, "pwned")
    # A hostile input: command substitution and a glob must reach sendlint as plain words.
    run_lint(f"Examples/ms03-026-fixed $(touch {marker}) `touch {marker}` ;touch {marker}", 2, marker)

import re
docs = open(os.path.join(os.path.dirname(os.path.abspath(action_path)), "docs", "ci.md")).read()
blocks = [b for b in re.findall(r"```yaml\n(.*?)```", docs, re.S) if b.startswith("# .github/workflows/")]
if not blocks:
    print("FAIL: docs/ci.md shows no workflow starting with '# .github/workflows/'")
    failed = True
for block in blocks:
    with tempfile.TemporaryDirectory() as temp:
        workflows = os.path.join(temp, ".github", "workflows")
        os.makedirs(workflows)
        path = os.path.join(workflows, "sendlint.yml")
        open(path, "w").write(block)
        schema = subprocess.run(["check-jsonschema", "--builtin-schema", "vendor.github-workflows", path],
                                capture_output=True, text=True)
        config = os.path.join(os.path.dirname(os.path.abspath(action_path)), ".github", "zizmor.yml")
        audit = subprocess.run(["zizmor", "--offline", "--config", config, path], capture_output=True, text=True)
        ok = schema.returncode == 0 and audit.returncode == 0
        print(("ok" if ok else "FAIL") + ": docs/ci.md workflow: schema and zizmor")
        if not ok:
            print(schema.stdout, schema.stderr, audit.stdout[-3000:])
            failed = True
        # actionlint (with shellcheck) when .ci/run could install it: it needs GitHub releases.
        actionlint = os.environ.get("ACTIONLINT")
        if actionlint:
            lint = subprocess.run([actionlint, "-no-color", path], capture_output=True, text=True)
            print(("ok" if lint.returncode == 0 else "FAIL") + ": docs/ci.md workflow: actionlint")
            if lint.returncode != 0:
                print(lint.stdout[-3000:], lint.stderr[-1000:])
                failed = True
        else:
            print("skipped: actionlint (not installed: .ci/run says why)")
sys.exit(1 if failed else 0)
