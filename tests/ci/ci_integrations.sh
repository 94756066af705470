#!/usr/bin/env bash
# Issue 15: the CI integrations, run on temporary repositories as GitHub and GitLab would run them.
#  (a) ci/scan-range.sh with GitHub push, new-branch, force-push and pull-request events (event
#      JSON in the shape GitHub writes it, read with python3 and with awk alone) and with GitLab's
#      variables: the range it picks, the exact findings, the exit code;
#  (b) action.yml's scan and fail steps with their expressions substituted, against the package's
#      files installed in a temporary prefix: SARIF valid against the 2.1.0 schema, the exit-code
#      output, the findings in the log;
#  (c) the GitLab template's script in a new-branch pipeline whose clone has only its own branch,
#      and in a merge-request pipeline: the range, a report valid against GitLab's schema;
#  (d) action.yml and the template parse and have the structure GitHub and GitLab need.
#
# Usage: tests/ci/ci_integrations.sh BUILD_DIR   (CMAKE names cmake, default: cmake on PATH)
# Exit 77, saying why, when git, cmake, python3 with PyYAML and jsonschema, or the SARIF schema in
# ../shared/schemas is missing. The temporary folder is kept when a check fails.
set -euo pipefail

build=$(cd "${1:?usage: ci_integrations.sh BUILD_DIR}" && pwd)
source_dir=$(cd "$(dirname "$0")/../.." && pwd)
python=/usr/bin/python3
cmake=${CMAKE:-cmake}
sarif_schema=$source_dir/../shared/schemas/sarif-schema-2.1.0.json
for tool in git "$cmake" "$python"; do
    command -v "$tool" >/dev/null || { echo "skipped: $tool not found" >&2; exit 77; }
done
"$python" -c 'import yaml, jsonschema' 2>/dev/null ||
    { echo "skipped: $python lacks yaml or jsonschema (python3-yaml, python3-jsonschema)" >&2; exit 77; }
[[ -r $sarif_schema ]] || { echo "skipped: no SARIF schema at $sarif_schema" >&2; exit 77; }

failures=0
fail() { echo "FAIL: $*" >&2; failures=$((failures + 1)); }
pass() { echo "ok: $*"; }
expect() { # WHAT EXPECTED ACTUAL
    if [[ $2 == "$3" ]]; then pass "$1"; else fail "$1"$'\n--- expected\n'"$2"$'\n--- actual\n'"$3"; fi
}

tmp=$(mktemp -d)
finish() {
    if ((failures)); then echo "kept for inspection: $tmp" >&2; else rm -rf "$tmp"; fi
}
trap finish EXIT

# The test's own environment: none of the CI services' variables, a HOME of its own.
while read -r name; do unset "$name"; done < <(compgen -e | grep -E '^(GITHUB_|GITLAB_|CI_)' || true)
mkdir "$tmp/home"
export HOME=$tmp/home GIT_CONFIG_NOSYSTEM=1 LC_ALL=C.UTF-8
git config --global user.name Dev
git config --global user.email dev@example.com
git config --global init.defaultBranch main
git config --global advice.detachedHead false

ci_yaml() { "$python" "$source_dir/tests/ci/ci_yaml.py" "$@"; }
findings() { # FORMAT REPORT: RULE PATH:LINE lines, or "no report"
    if [[ -s $2 ]]; then ci_yaml findings "$1" "$2"; else echo "no report"; fi
}

# ---- the repository: origin, as the CI service holds it after the pushes -------------------------
zero=0000000000000000000000000000000000000000
origin=$tmp/origin.git
dev=$tmp/dev
git init -q --bare "$origin"
git clone -q "file://$origin" "$dev" 2>/dev/null
commit() { # FILE CONTENT: commits the file in the developer's clone, prints the commit
    printf '%s\n' "$2" >"$dev/$1"
    git -C "$dev" add "$1" && git -C "$dev" commit -q -m "Add $1" && git -C "$dev" rev-parse HEAD
}
A=$(commit a.env 'aws_access_key_id = AKIAQYLPMN5HHHFPZAM2')
B=$(commit b.env $'# deploy\nregion = eu-west-1\naws_access_key_id = AKIAZ7XQ4RT2LMKVNB3D')
git -C "$dev" push -q origin main
git -C "$dev" checkout -q -b feature
C=$(commit c.env $'region = eu-west-1\naws_access_key_id = AKIAW5PJ2HX3KQ7TRB4M')
git -C "$dev" push -q origin feature
git -C "$dev" checkout -q -b rewrite main
D=$(commit d.env 'aws_access_key_id = AKIARX3KD6PLQ2VNTB7J')
git -C "$dev" push -q origin rewrite
git -C "$dev" reset -q --hard main
E=$(commit e.env 'aws_access_key_id = AKIAT6HN4QJ2XKW7PRM5')
git -C "$dev" push -q -f origin rewrite 2>/dev/null

# The job's clone (actions/checkout with fetch-depth: 0 fetches every branch): D, the commit the
# force push replaced, is not in it.
ci=$tmp/ci
git clone -q "file://$origin" "$ci"
git -C "$ci" cat-file -e "$D" 2>/dev/null && { echo "FAIL: the clone holds the force-pushed-away commit" >&2; exit 1; }

# ---- GitHub's event files, pretty-printed as the runner writes them -------------------------------
repository_json() { # DEFAULT_BRANCH INDENT: the repository object GitHub sends, as members
    sed "s/^/$2/" <<JSON
"id": 4242,
"name": "app",
"full_name": "acme/app",
"private": true,
"owner": {
  "login": "acme",
  "id": 77,
  "type": "Organization"
},
"html_url": "https://github.com/acme/app",
"default_branch": "$1",
"master_branch": "$1"
JSON
}

push_event() { # FILE REF BEFORE AFTER DEFAULT_BRANCH
    cat >"$1" <<JSON
{
  "ref": "$2",
  "before": "$3",
  "after": "$4",
  "repository": {
$(repository_json "$5" '    ')
  },
  "pusher": {
    "name": "dev",
    "email": "dev@example.com"
  },
  "created": $([[ $3 == "$zero" ]] && echo true || echo false),
  "deleted": false,
  "forced": false,
  "base_ref": null,
  "compare": "https://github.com/acme/app/compare/${3:0:12}...${4:0:12}",
  "commits": [
    {
      "id": "$4",
      "tree_id": "$zero",
      "distinct": true,
      "message": "Merge \"settings\": {region}, [eu]",
      "author": {
        "name": "Dev",
        "email": "dev@example.com"
      },
      "added": [],
      "removed": [],
      "modified": [
        "c.env"
      ]
    }
  ],
  "head_commit": {
    "id": "$4",
    "message": "Add settings"
  }
}
JSON
}

branch_json() { # REF SHA INDENT: a pull request's head or base
    sed "s/^/$3/" <<JSON
"label": "acme:$1",
"ref": "$1",
"sha": "$2",
"user": {
  "login": "acme"
},
"repo": {
$(repository_json main '  ')
}
JSON
}

pr_event() { # FILE BASE HEAD: a synchronize event, whose top-level before and after are not the range
    cat >"$1" <<JSON
{
  "action": "synchronize",
  "number": 7,
  "before": "$A",
  "after": "$3",
  "pull_request": {
    "number": 7,
    "state": "open",
    "title": "Settings",
    "head": {
$(branch_json feature "$3" '      ')
    },
    "base": {
$(branch_json main "$2" '      ')
    },
    "merge_commit_sha": "$A",
    "labels": []
  },
  "repository": {
$(repository_json main '    ')
  }
}
JSON
}

# ---- (a) scan-range.sh ------------------------------------------------------------------------------
# run_range WHAT RC LINE FINDINGS [VAR=VALUE...]: runs scan-range.sh in the job's clone with these
# variables; checks its exit code, its line on stderr and the findings (RULE PATH:LINE).
run_range() {
    local what=$1 rc=$2 line=$3 want=$4 got=0
    shift 4
    rm -f "$tmp/out.json"
    (cd "$ci" && env "$@" SECRETSCAN="$build/secretscan" "$source_dir/ci/scan-range.sh" \
        --format json --output "$tmp/out.json") 2>"$tmp/err" || got=$?
    expect "$what: exit code" "$rc" "$got"
    expect "$what: range" "$line" "$(grep '^scan-range:' "$tmp/err" || cat "$tmp/err")"
    expect "$what: findings" "$want" "$(findings json "$tmp/out.json")"
}

# Without python3, the awk reader: a PATH holding git and awk only.
no_python=$tmp/no-python
mkdir "$no_python"
ln -s "$(command -v git)" "$(command -v awk)" "$no_python/"
PATH=$no_python command -v python3 >/dev/null && fail "python3 is on the PATH without python3"

github_cases() { # READER PATH
    local ev=$tmp/event.json v=("PATH=$2")
    push_event "$ev" refs/heads/main "$A" "$B" main
    run_range "GitHub push ($1)" 1 "scan-range: GitHub push: history $A..$B (the commits since $A)" \
        "aws-access-key-id b.env:3" "${v[@]}" GITHUB_EVENT_NAME=push GITHUB_EVENT_PATH="$ev" GITHUB_SHA="$B"
    push_event "$ev" refs/heads/feature "$zero" "$C" main
    run_range "GitHub new branch ($1)" 1 \
        "scan-range: GitHub push: history $C ^origin/main (new branch: the commits origin/main lacks)" \
        "aws-access-key-id c.env:2" "${v[@]}" GITHUB_EVENT_NAME=push GITHUB_EVENT_PATH="$ev" GITHUB_SHA="$C"
    push_event "$ev" refs/heads/rewrite "$D" "$E" main
    run_range "GitHub force push ($1)" 1 \
        "scan-range: GitHub push: history $E ^origin/main ($D is not in the clone: the commits origin/main lacks)" \
        "aws-access-key-id e.env:1" "${v[@]}" GITHUB_EVENT_NAME=push GITHUB_EVENT_PATH="$ev" GITHUB_SHA="$E"
    push_event "$ev" refs/heads/main "$zero" "$B" main
    run_range "GitHub first push of the default branch ($1)" 1 \
        "scan-range: GitHub push: history $B (new branch, on the default branch: its whole history)" \
        $'aws-access-key-id a.env:1\naws-access-key-id b.env:3' \
        "${v[@]}" GITHUB_EVENT_NAME=push GITHUB_EVENT_PATH="$ev" GITHUB_SHA="$B"
    push_event "$ev" refs/heads/copy "$zero" "$B" main
    run_range "GitHub new branch with no new commit ($1)" 0 \
        "scan-range: GitHub push: history $B ^origin/main (new branch: the commits origin/main lacks)" "" \
        "${v[@]}" GITHUB_EVENT_NAME=push GITHUB_EVENT_PATH="$ev" GITHUB_SHA="$B"
    push_event "$ev" refs/heads/feature "$zero" "$C" trunk
    run_range "GitHub new branch, no origin/<default> ($1)" 1 \
        "scan-range: GitHub push: history $C (new branch, no origin/trunk: the whole history)" \
        $'aws-access-key-id a.env:1\naws-access-key-id b.env:3\naws-access-key-id c.env:2' \
        "${v[@]}" GITHUB_EVENT_NAME=push GITHUB_EVENT_PATH="$ev" GITHUB_SHA="$C"
    pr_event "$ev" "$B" "$C"
    for name in pull_request pull_request_target; do
        run_range "GitHub $name ($1)" 1 "scan-range: GitHub $name: history $B..$C (the commits since $B)" \
            "aws-access-key-id c.env:2" "${v[@]}" GITHUB_EVENT_NAME=$name GITHUB_EVENT_PATH="$ev" GITHUB_SHA="$A"
    done
}
github_cases python3 "$PATH"
github_cases awk "$no_python"

cat >"$tmp/dispatch.json" <<JSON
{
  "inputs": {},
  "ref": "refs/heads/feature",
  "repository": {
$(repository_json main '    ')
  }
}
JSON
run_range "GitHub workflow_dispatch" 1 \
    "scan-range: GitHub workflow_dispatch: history $C ^origin/main (no base commit: the commits origin/main lacks)" \
    "aws-access-key-id c.env:2" GITHUB_EVENT_NAME=workflow_dispatch GITHUB_EVENT_PATH="$tmp/dispatch.json" GITHUB_SHA="$C"

gitlab=(CI_DEFAULT_BRANCH=main "CI_COMMIT_BEFORE_SHA=$zero")
run_range "GitLab merge request" 1 \
    "scan-range: GitLab merge_request_event: history $B..$C (the commits since $B)" "aws-access-key-id c.env:2" \
    "${gitlab[@]}" CI_PIPELINE_SOURCE=merge_request_event CI_MERGE_REQUEST_DIFF_BASE_SHA="$B" CI_COMMIT_SHA="$C"
run_range "GitLab push" 1 "scan-range: GitLab push: history $A..$B (the commits since $A)" "aws-access-key-id b.env:3" \
    "${gitlab[@]}" CI_PIPELINE_SOURCE=push CI_COMMIT_BEFORE_SHA="$A" CI_COMMIT_SHA="$B" CI_COMMIT_BRANCH=main
run_range "GitLab new branch" 1 \
    "scan-range: GitLab push: history $C ^origin/main (new branch: the commits origin/main lacks)" \
    "aws-access-key-id c.env:2" "${gitlab[@]}" CI_PIPELINE_SOURCE=push CI_COMMIT_SHA="$C" CI_COMMIT_BRANCH=feature
run_range "GitLab force push" 1 \
    "scan-range: GitLab push: history $E ^origin/main ($D is not in the clone: the commits origin/main lacks)" \
    "aws-access-key-id e.env:1" \
    "${gitlab[@]}" CI_PIPELINE_SOURCE=push CI_COMMIT_BEFORE_SHA="$D" CI_COMMIT_SHA="$E" CI_COMMIT_BRANCH=rewrite
run_range "GitLab new default branch" 1 \
    "scan-range: GitLab push: history $B (new branch, on the default branch: its whole history)" \
    $'aws-access-key-id a.env:1\naws-access-key-id b.env:3' \
    "${gitlab[@]}" CI_PIPELINE_SOURCE=push CI_COMMIT_SHA="$B" CI_COMMIT_BRANCH=main
run_range "no CI environment" 1 "scan-range: no CI environment: history (every ref)" \
    $'aws-access-key-id a.env:1\naws-access-key-id b.env:3\naws-access-key-id c.env:2\naws-access-key-id e.env:1'

rc=0
(cd "$ci" && SECRETSCAN=$build/secretscan "$source_dir/ci/scan-range.sh" --format nope) 2>/dev/null || rc=$?
expect "scan-range.sh passes its options to secretscan and exits with its code (2: bad option)" 2 "$rc"

# ---- the package's files, installed in a temporary prefix -------------------------------------------
"$cmake" --install "$build" --prefix "$tmp/usr" --component runtime >/dev/null
installed=$tmp/usr/share/secretscan/scan-range.sh
if [[ -x $installed ]] && cmp -s "$installed" "$source_dir/ci/scan-range.sh"; then
    pass "cmake --install puts ci/scan-range.sh in share/secretscan"
else
    fail "share/secretscan/scan-range.sh not installed"
fi
installed_path=$tmp/usr/bin:$PATH

# ---- (b) the action's steps, as a dry run ---------------------------------------------------------
gh=$tmp/gh
git clone -q "file://$origin" "$gh"
git -C "$gh" checkout -q feature
push_event "$tmp/gh-event.json" refs/heads/feature "$zero" "$C" main
ci_yaml step "$source_dir/action.yml" scan >"$tmp/scan-step.sh"
ci_yaml step "$source_dir/action.yml" "Fail on findings" >"$tmp/fail-step.sh"
ci_yaml step "$source_dir/action.yml" scan "inputs.args=--disable-rule aws-access-key-id" \
    "inputs.sarif=clean.sarif" >"$tmp/scan-step-args.sh"
ci_yaml step "$source_dir/action.yml" scan "inputs.args=--baseline missing.jsonl" >"$tmp/scan-step-error.sh"

run_step() { # SCRIPT: runs an action step in the workspace as GitHub would; prints its exit code
    local rc=0
    : >"$tmp/gh-output"
    (cd "$gh" && env PATH="$installed_path" GITHUB_EVENT_NAME=push GITHUB_EVENT_PATH="$tmp/gh-event.json" \
        GITHUB_SHA="$C" GITHUB_WORKSPACE="$gh" GITHUB_OUTPUT="$tmp/gh-output" \
        bash --noprofile --norc -eo pipefail "$1") >"$tmp/step.out" 2>"$tmp/step.err" || rc=$?
    echo "$rc"
}

expect "action scan step: succeeds on findings, so that the report is uploaded" 0 "$(run_step "$tmp/scan-step.sh")"
expect "action scan step: exit-code output" "exit-code=1" "$(cat "$tmp/gh-output")"
expect "action scan step: range" \
    "scan-range: GitHub push: history $C ^origin/main (new branch: the commits origin/main lacks)" \
    "$(grep '^scan-range:' "$tmp/step.err")"
expect "action scan step: SARIF findings" "aws-access-key-id c.env:2" "$(findings sarif "$gh/secretscan.sarif")"
if "$python" "$source_dir/tests/tools/validate_sarif.py" "$sarif_schema" "$gh/secretscan.sarif"; then
    pass "action scan step: the SARIF report is valid SARIF 2.1.0"
else
    fail "action scan step: invalid SARIF"
fi
expect "action scan step: the workspace is a safe.directory" "$gh" "$(git config --global --get-all safe.directory)"

expect "action fail step: fails" 1 "$(run_step "$tmp/fail-step.sh")"
expect "action fail step: the findings in the log, then the error" \
    $'c.env:2:21: aws-access-key-id\nBy rule: aws-access-key-id 1\nBy secret:\n  AKIA\u2026 (aws-access-key-id, 9081337c): 1 place, 1 commit; refs: refs/heads/feature, refs/remotes/origin/feature\nsecretscan history: 1 finding\n::error title=secretscan::secrets found in the scanned commits; report: secretscan.sarif' \
    "$(sed -E -e '/^c\.env:/s/^([^ ]+ [^:]+):.*/\1/' -e 's/^(secretscan history: [^;]*);.*/\1/' "$tmp/step.out")"

expect "action scan step, args: passes" 0 "$(run_step "$tmp/scan-step-args.sh")"
expect "action scan step, args: exit-code output" "exit-code=0" "$(cat "$tmp/gh-output")"
expect "action scan step, args: no finding in the report it names" "" "$(findings sarif "$gh/clean.sarif")"
expect "action scan step, again: safe.directory listed once" "$gh" "$(git config --global --get-all safe.directory)"

expect "action scan step, error: fails with secretscan's code" 2 "$(run_step "$tmp/scan-step-error.sh")"
expect "action scan step, error: exit-code output" "exit-code=2" "$(cat "$tmp/gh-output")"

# ---- (c) the GitLab template's script -------------------------------------------------------------
# The runner fetches the pipeline's branch alone: refs/remotes/origin/feature, no origin/main.
gl=$tmp/gl
git init -q "$gl"
git -C "$gl" remote add origin "file://$origin"
git -C "$gl" fetch -q origin +refs/heads/feature:refs/remotes/origin/feature
git -C "$gl" checkout -q --detach "$C"
ci_yaml job-script "$source_dir/ci/gitlab/secretscan.gitlab-ci.yml" secretscan >"$tmp/gl-script.sh"
report=$gl/gl-secret-detection-report.json

run_job() { # VAR=VALUE...: runs the job's script in the clone as the runner would; prints its exit code
    local rc=0
    rm -f "$report"
    (cd "$gl" && env PATH="$installed_path" CI_PROJECT_DIR="$gl" CI_DEFAULT_BRANCH=main CI_COMMIT_SHA="$C" \
        CI_COMMIT_BEFORE_SHA="$zero" "$@" bash --noprofile --norc -eo pipefail "$tmp/gl-script.sh") \
        >"$tmp/job.out" 2>"$tmp/job.err" || rc=$?
    echo "$rc"
}
check_report() { # WHAT
    expect "$1: report findings" "aws-access-key-id c.env:2" "$(findings gitlab "$report")"
    if "$python" "$source_dir/tests/tools/validate_gitlab.py" \
        "$source_dir/tests/tools/gitlab_secret_detection.schema.json" "$report"; then
        pass "$1: the report is valid"
    else
        fail "$1: invalid GitLab report"
    fi
}

expect "GitLab job, new branch: fails on findings" 1 "$(run_job CI_PIPELINE_SOURCE=push CI_COMMIT_BRANCH=feature)"
expect "GitLab job, new branch: range (origin/main fetched by the script)" \
    "scan-range: GitLab push: history $C ^origin/main (new branch: the commits origin/main lacks)" \
    "$(grep '^scan-range:' "$tmp/job.err")"
check_report "GitLab job, new branch"
expect "GitLab job, merge request with --exit-zero: passes" 0 "$(run_job CI_PIPELINE_SOURCE=merge_request_event \
    CI_MERGE_REQUEST_DIFF_BASE_SHA="$B" SECRETSCAN_ARGS=--exit-zero)"
expect "GitLab job, merge request: range" \
    "scan-range: GitLab merge_request_event: history $B..$C (the commits since $B)" "$(grep '^scan-range:' "$tmp/job.err")"
check_report "GitLab job, merge request"

# ---- (d) the files' structure -----------------------------------------------------------------------
expect "action.yml and the template: structure" "" \
    "$(ci_yaml check "$source_dir/action.yml" "$source_dir/ci/gitlab/secretscan.gitlab-ci.yml" 2>&1)"
sed '0,/^ *shell: bash$/{/^ *shell: bash$/d}' "$source_dir/action.yml" >"$tmp/broken-action.yml"
expect "the structure check finds a step without shell" \
    "action.yml: step 0 (Install secretscan) has run: but no shell:" \
    "$(ci_yaml check "$tmp/broken-action.yml" "$source_dir/ci/gitlab/secretscan.gitlab-ci.yml" 2>&1)"

if ((failures)); then echo "CI integrations: $failures failed" >&2; exit 1; fi
echo "CI integrations: all checks passed"
