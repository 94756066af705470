#!/usr/bin/python3
"""What tests/ci/ci_integrations.sh needs from the CI files and the reports.

usage:
  ci_yaml.py step ACTION_YML STEP_ID [EXPRESSION=VALUE...]
      a bash script running the composite action's step as GitHub would: its env exported and its
      run text, with each ${{ EXPRESSION }} replaced by the value given, or for inputs.NAME by the
      input's default; an expression with neither is an error
  ci_yaml.py job-script TEMPLATE JOB
      the script: lines of a GitLab CI job (following extends:), one command a line
  ci_yaml.py check ACTION_YML TEMPLATE
      the structure both files need; prints each problem, exit 1 if any
  ci_yaml.py findings json|sarif|gitlab REPORT
      one line a finding, sorted: RULE PATH:LINE
"""
import json
import re
import shlex
import sys

import yaml

EXPRESSION = re.compile(r"\$\{\{\s*(.*?)\s*\}\}")


def load(path):
    with open(path, encoding="utf-8") as f:
        return yaml.safe_load(f)


def substitute(text, values):
    def value(match):
        if match.group(1) not in values:
            raise SystemExit(f"no value for the expression ${{{{ {match.group(1)} }}}}")
        return values[match.group(1)]
    return EXPRESSION.sub(value, str(text))


def step_script(action_path, step_id, assignments):
    action = load(action_path)
    values = {f"inputs.{name}": str(spec.get("default", "")) for name, spec in action["inputs"].items()}
    values.update(a.split("=", 1) for a in assignments)
    step = next(s for s in action["runs"]["steps"] if s.get("id", s.get("name")) == step_id)
    lines = [f"export {name}={shlex.quote(substitute(v, values))}" for name, v in step.get("env", {}).items()]
    return "\n".join(lines + [substitute(step["run"], values)])


def merge(base, override):
    """GitLab's extends: hashes merge key by key, anything else is replaced."""
    if not (isinstance(base, dict) and isinstance(override, dict)):
        return override
    return {**base, **{key: merge(base.get(key), value) for key, value in override.items()}}


def job(template, name):
    spec = dict(template[name])
    parent = spec.pop("extends", None)
    return merge(job(template, parent), spec) if parent else spec


def check_action(action):
    problems = []
    if action.get("runs", {}).get("using") != "composite":
        problems.append("action.yml: runs.using is not composite")
    for i, step in enumerate(action["runs"]["steps"]):
        if "run" in step and "shell" not in step:
            problems.append(f"action.yml: step {i} ({step.get('name')}) has run: but no shell:")
        if ("run" in step) == ("uses" in step):
            problems.append(f"action.yml: step {i} needs run: or uses:, not both or neither")
        if "github.action_path" in step.get("run", "") + json.dumps(step.get("env", {})):
            problems.append(f"action.yml: step {i} uses github.action_path: a container job needs $GITHUB_ACTION_PATH")
        for name in re.findall(r"\binputs\.([\w-]+)", json.dumps(step)):
            if name not in action["inputs"]:
                problems.append(f"action.yml: step {i} uses an undeclared input: {name}")
    ids = {step.get("id") for step in action["runs"]["steps"]}
    for name in re.findall(r"\bsteps\.([\w-]+)\.", json.dumps(action)):
        if name not in ids:
            problems.append(f"action.yml: no step has the id {name}")
    return problems


def check_template(template):
    spec = job(template, "secretscan")
    want = {"image": "debian:12", "variables": {"GIT_DEPTH": 0},
            "rules": [{"if": '$CI_PIPELINE_SOURCE == "merge_request_event"'}, {"if": "$CI_COMMIT_BRANCH"}],
            "artifacts": {"when": "always", "reports": {"secret_detection": "gl-secret-detection-report.json"}}}
    problems = [f"template: job secretscan has {key}: {spec.get(key)!r}, not {value!r}"
                for key, value in want.items() if spec.get(key) != value]
    if not any("--output gl-secret-detection-report.json" in line for line in spec["script"]):
        problems.append("template: no script line writes gl-secret-detection-report.json")
    return problems


def findings(kind, path):
    with open(path, encoding="utf-8") as f:
        report = json.load(f)
    if kind == "json":
        rows = [(f["rule_id"], f["path"], f["line"]) for f in report["findings"]]
    elif kind == "sarif":
        rows = [(r["ruleId"], r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
                 r["locations"][0]["physicalLocation"]["region"]["startLine"]) for r in report["runs"][0]["results"]]
    else:
        rows = [(v["identifiers"][0]["value"], v["location"]["file"], v["location"]["start_line"])
                for v in report["vulnerabilities"]]
    return "\n".join(f"{rule} {file}:{line}" for rule, file, line in sorted(rows))


def main(argv):
    command = argv[1]
    if command == "step":
        print(step_script(argv[2], argv[3], argv[4:]))
    elif command == "job-script":
        print("\n".join(job(load(argv[2]), argv[3])["script"]))
    elif command == "check":
        problems = check_action(load(argv[2])) + check_template(load(argv[3]))
        print("\n".join(problems))
        return 1 if problems else 0
    elif command == "findings":
        print(findings(argv[2], argv[3]))
    else:
        raise SystemExit(__doc__)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
