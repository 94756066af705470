#!/usr/bin/env bash
# Pre-commit hook latency: a typical commit (10 files, 1,000 added lines) staged in a clone of a
# large repository, checked by secretscan's installed pre-commit hook and, in the same run, by
# git-secrets' own pre-commit hook (Debian package git-secrets) with its --register-aws patterns.
#
# usage: bench/hook_latency.sh REPO SECRETSCAN_BINARY
#   REPO     a git repository (bare is fine) the size of git/git: the clone is made from it
#   RUNS=31  timed runs per tool (median and 90th percentile reported)
#   WORK=    scratch folder (default: a temporary one, removed at the end)
# Prints one table: tool, p50 ms, p90 ms, p50 / 30 ms target, p50 / git-secrets p50.
set -euo pipefail
die() { echo "hook_latency.sh: $*" >&2; exit 2; }
[ $# -eq 2 ] || die "usage: $0 REPO SECRETSCAN_BINARY"
REPO=$(cd "$1" && pwd) || die "no such repository: $1"
BIN=$(cd "$(dirname "$2")" && pwd)/$(basename "$2")
[ -x "$BIN" ] || die "not executable: $2"
RUNS=${RUNS:-31}
GIT_SECRETS=${GIT_SECRETS:-/usr/bin/git-secrets}
WORK=${WORK:-}
if [ -z "$WORK" ]; then WORK=$(mktemp -d); trap 'rm -rf "$WORK"' EXIT; fi
export GIT_CONFIG_NOSYSTEM=1 GIT_CONFIG_GLOBAL=/dev/null

clone="$WORK/clone"
if [ ! -d "$clone/.git" ]; then
  git clone -q --shared "$REPO" "$clone"
fi
cd "$clone"
git config user.name bench; git config user.email bench@example.invalid
git reset -q --hard HEAD
files=$(git ls-files | wc -l)

# The typical commit: 5 files edited and 5 added, 100 added lines each.
mapfile -t edit < <(git ls-files '*.c' | head -n 5)
for i in $(seq 0 9); do
  if [ "$i" -lt 5 ]; then f=${edit[$i]}; else f="bench/new_$i.c"; mkdir -p bench; : > "$f"; fi
  for j in $(seq 1 100); do
    printf 'static int bench_%d_%d(const char *key, int password_len) { return strlen(key) + %d; }\n' "$i" "$j" "$j" >> "$f"
  done
done
git add -A
added=$(git diff --cached --numstat | awk '{s+=$1} END {print s}')
staged=$(git diff --cached --name-only | wc -l)

time_runs() { # command... ; prints the sorted wall times in ms, one per line
  local t0 t1
  for _ in $(seq "$RUNS"); do
    t0=$EPOCHREALTIME
    "$@" >/dev/null 2>&1 || true
    t1=$EPOCHREALTIME
    echo "$t0 $t1" | awk '{printf "%.2f\n", ($2 - $1) * 1000}'
  done | sort -n
}
pct() { awk -v p="$1" '{a[NR]=$1} END {i=int((NR-1)*p)+1; print a[i]}'; }

# secretscan: its real hook, as git runs it (.git/hooks/pre-commit, via sh).
"$BIN" install --hooks pre-commit >/dev/null
ours=$(time_runs sh .git/hooks/pre-commit)
"$BIN" uninstall --hooks pre-commit >/dev/null

# git-secrets: its real hook, with the AWS patterns.
if [ -x "$GIT_SECRETS" ]; then
  "$GIT_SECRETS" --register-aws >/dev/null
  theirs=$(PATH="$(dirname "$GIT_SECRETS"):$PATH" time_runs "$GIT_SECRETS" --pre_commit_hook --)
else
  theirs=""
fi

ours50=$(pct 0.5 <<<"$ours"); ours90=$(pct 0.9 <<<"$ours")
echo "# repository: $REPO ($files files at HEAD); commit: $staged files, $added added lines; $RUNS runs each"
printf '%-26s %8s %8s %12s %16s\n' tool "p50 ms" "p90 ms" "p50/30ms" "p50/git-secrets"
if [ -n "$theirs" ]; then
  t50=$(pct 0.5 <<<"$theirs"); t90=$(pct 0.9 <<<"$theirs")
  printf '%-26s %8s %8s %12s %16s\n' "git-secrets pre-commit" "$t50" "$t90" "$(awk -v a="$t50" 'BEGIN{printf "%.2f", a/30}')" 1.00
  printf '%-26s %8s %8s %12s %16s\n' "secretscan pre-commit" "$ours50" "$ours90" "$(awk -v a="$ours50" 'BEGIN{printf "%.2f", a/30}')" "$(awk -v a="$ours50" -v b="$t50" 'BEGIN{printf "%.3f", a/b}')"
else
  printf '%-26s %8s %8s %12s %16s\n' "secretscan pre-commit" "$ours50" "$ours90" "$(awk -v a="$ours50" 'BEGIN{printf "%.2f", a/30}')" "n/a"
fi
