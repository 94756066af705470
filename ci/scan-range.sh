#!/bin/sh
# Scans the commits a CI run is about with `secretscan history`. The package installs it as
# /usr/share/secretscan/scan-range.sh; the GitHub Action (action.yml) and the GitLab CI template
# (ci/gitlab/secretscan.gitlab-ci.yml) run the copy beside the secretscan on PATH
# (BINDIR/../share/secretscan/). docs/ci.md, "Which commits a job scans".
#
# usage: scan-range.sh [SECRETSCAN OPTION...]    (run it at the top of the clone)
#   e.g. scan-range.sh --format sarif --output secretscan.sarif
# The options go to secretscan before `history`; the exit code is secretscan's. SECRETSCAN names
# the binary (default: secretscan on PATH). One line on stderr says which commits and why.
#
# Which commits:
#   pull request / merge request            BASE..HEAD
#   push whose before-commit is in the clone BEFORE..AFTER
#   new branch (before is all zeros), or     AFTER ^origin/DEFAULT, the commits the default branch
#   force push (before is not in the clone)  lacks; on the default branch itself, or without
#                                            origin/DEFAULT, the whole history of AFTER
#   any other GitHub event                   as a new branch, for GITHUB_SHA
#   no CI environment                        every ref (history without a range)
# GitHub: GITHUB_EVENT_NAME, GITHUB_EVENT_PATH (the event's JSON), GITHUB_SHA.
# GitLab: CI_MERGE_REQUEST_DIFF_BASE_SHA, CI_COMMIT_BEFORE_SHA, CI_COMMIT_SHA, CI_COMMIT_BRANCH,
# CI_DEFAULT_BRANCH (and CI_PIPELINE_SOURCE, for the message).
set -eu
set -f # a range is one or two revisions: split at blanks, never globbed

# The string at a dotted path (pull_request.base.sha) of the event JSON, or nothing. python3
# reads any JSON; without it, awk reads GitHub's event file, which is pretty-printed (one member
# per line).
event_field() {
    [ -r "${GITHUB_EVENT_PATH:-}" ] || return 0
    if command -v python3 >/dev/null 2>&1; then
        python3 -c 'import json, sys
value = json.load(open(sys.argv[1], encoding="utf-8"))
for key in sys.argv[2].split("."):
    value = value.get(key) if isinstance(value, dict) else None
print(value if isinstance(value, str) else "")' "$GITHUB_EVENT_PATH" "$1" ||
            { echo "scan-range: cannot read $GITHUB_EVENT_PATH" >&2; exit 2; } # ends the script: set -e
    else
        awk -v want="$1" '
            function name(  n) { n = $0; sub(/^"/, "", n); sub(/".*/, "", n); return n }
            { sub(/^[ \t]+/, ""); sub(/[ \t\r]+$/, "") }
            /^[]}]/ { depth--; next }
            /^"[^"]*": *[[{]$/ { key[++depth] = name(); next }
            /^[[{]$/ { key[++depth] = "[]"; next }
            /^"[^"]*": *"/ {
                path = name(); for (i = depth; i > 1; i--) path = key[i] "." path
                if (path == want) { sub(/^"[^"]*": *"/, ""); sub(/",?$/, ""); print; exit }
            }' "$GITHUB_EVENT_PATH"
    fi
}

is_commit() { [ -n "$1" ] && git rev-parse --quiet --verify "$1^{commit}" >/dev/null 2>&1; }

choose() { range=$1; reason=$2; }

# not_on_default AFTER DEFAULT BRANCH WHY: the commits origin/DEFAULT lacks; the whole history
# of AFTER when BRANCH is the default branch (with no BRANCH: when AFTER is its tip) or when the
# clone has no origin/DEFAULT.
not_on_default() {
    if [ -z "$2" ] || ! tip=$(git rev-parse --quiet --verify "refs/remotes/origin/$2^{commit}"); then
        choose "$1" "$4, no origin/${2:-<default branch>}: the whole history"
    elif [ "$3" = "$2" ] || { [ -z "$3" ] && [ "$tip" = "$(git rev-parse --verify "$1^{commit}" 2>/dev/null)" ]; }; then
        choose "$1" "$4, on the default branch: its whole history"
    else
        choose "$1 ^origin/$2" "$4: the commits origin/$2 lacks"
    fi
}

# since BASE AFTER DEFAULT BRANCH: BASE..AFTER when BASE is a commit of the clone, else as a new
# branch.
since() {
    if is_commit "$1"; then choose "$1..$2" "the commits since $1"; return; fi
    case "$1" in
        '') why="no base commit" ;;
        *[!0]*) why="$1 is not in the clone" ;; # a force push replaced it
        *) why="new branch" ;;
    esac
    not_on_default "$2" "$3" "$4" "$why"
}

github() {
    default=$(event_field repository.default_branch)
    case "$GITHUB_EVENT_NAME" in
        pull_request | pull_request_target)
            base=$(event_field pull_request.base.sha)
            head=$(event_field pull_request.head.sha)
            since "$base" "${head:-${GITHUB_SHA:-HEAD}}" "$default" "" ;;
        push)
            before=$(event_field before)
            after=$(event_field after)
            case "$after" in '' | *[!0]*) ;; *) after="" ;; esac # all zeros: the branch was deleted
            ref=$(event_field ref)
            case "$ref" in refs/heads/*) branch=${ref#refs/heads/} ;; *) branch="" ;; esac
            since "$before" "${after:-${GITHUB_SHA:-HEAD}}" "$default" "$branch" ;;
        *)
            not_on_default "${GITHUB_SHA:-HEAD}" "$default" "" "no base commit" ;;
    esac
}

gitlab() {
    if [ -n "${CI_MERGE_REQUEST_DIFF_BASE_SHA:-}" ]; then
        since "$CI_MERGE_REQUEST_DIFF_BASE_SHA" "$CI_COMMIT_SHA" "${CI_DEFAULT_BRANCH:-}" ""
    else
        since "${CI_COMMIT_BEFORE_SHA:-}" "$CI_COMMIT_SHA" "${CI_DEFAULT_BRANCH:-}" "${CI_COMMIT_BRANCH:-}"
    fi
}

if [ -n "${GITHUB_EVENT_NAME:-}" ]; then
    github
    source="GitHub $GITHUB_EVENT_NAME"
elif [ -n "${CI_COMMIT_SHA:-}" ]; then
    gitlab
    source="GitLab ${CI_PIPELINE_SOURCE:-pipeline}"
else
    choose "" "every ref"
    source="no CI environment"
fi
echo "scan-range: $source: history${range:+ $range} ($reason)" >&2
# shellcheck disable=SC2086 # $range holds one or two revisions
exec "${SECRETSCAN:-secretscan}" "$@" history $range
