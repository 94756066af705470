#!/usr/bin/env bash
# git-secrets' own bats suite (awslabs/git-secrets, master) against secretscan's drop-in:
# the binary linked as `git-secrets`, run by ../shared/peers/run-git-secrets-bats.sh.
#
# usage: git_secrets_bats.sh SECRETSCAN_BINARY SHARED_DIR
#   GIT_SECRETS_REPO  a clone (bare is fine) of awslabs/git-secrets; default: the session
#                     mirror at /work/.mirror/awslabs+git-secrets/repo. Never committed here.
#   MIN_PASS=50       the number of the suite's 50 tests that must pass (the README says 50/50)
# Exit: 0 when at least MIN_PASS tests pass, 1 otherwise, 77 (skipped, with the reason printed)
# when the clone, bats or the runner is not available.
set -u
bin=${1:?usage: $0 SECRETSCAN_BINARY SHARED_DIR}
shared=${2:?usage: $0 SECRETSCAN_BINARY SHARED_DIR}
repo=${GIT_SECRETS_REPO:-/work/.mirror/awslabs+git-secrets/repo}
runner="$shared/peers/run-git-secrets-bats.sh"
min=${MIN_PASS:-50}

skip() { echo "SKIPPED: $*"; exit 77; }
[ -f "$runner" ] || skip "no $runner (../shared beside the checkout)"
git --git-dir="$repo" rev-parse --verify -q HEAD >/dev/null 2>&1 || skip "no clone of awslabs/git-secrets at $repo (set GIT_SECRETS_REPO)"
command -v bats >/dev/null || skip "bats is not installed (Debian package bats)"

dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
ln -s "$(cd "$(dirname "$bin")" && pwd)/$(basename "$bin")" "$dir/git-secrets"
out=$(bash "$runner" "$repo" "$dir" 2>&1)
echo "$out" | tail -n 20
pass=$(echo "$out" | sed -n 's/.*pass: \([0-9]*\).*/\1/p' | tail -1)
echo "git-secrets bats suite: ${pass:-0} of 50 passed (need $min)"
[ "${pass:-0}" -ge "$min" ]
