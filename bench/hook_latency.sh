#!/usr/bin/env bash
# Pre-commit hook latency: a typical commit (10 files, 1,000 added lines) staged in a clone of a
# large repository, checked by secretscan's installed pre-commit hook and, in the same run, by
# git-secrets' own pre-commit hook (Debian package git-secrets) with its --register-aws patterns.
#
# usage: bench/hook_latency.sh REPO SECRETSCAN_BINARY [SECRETSCAN_BINARY...]
#   REPO     a git repository (bare is fine) the size of git/git: the clones are made from it
#            (git clone --shared: REPO itself is only read)
#   several binaries (e.g. a build before and after a change) are timed in the same run
#   RUNS=31  timed runs per tool (median and 90th percentile reported)
#   WORK=    scratch folder (default: a temporary one, removed at the end)
# The tools take turns, one run each per round, so that load from other processes falls on all
# of them alike. git-secrets runs in a clone of its own holding the same staged changes, so its
# --register-aws configuration is not seen by secretscan (which would load its patterns too).
# On a shared machine, run it as root under `chrt -f 50` (every tool then runs ahead of the other
# load, as on a quiet machine); the ratio to git-secrets holds either way.
# Prints one table: tool, p50 ms, p90 ms, p50 / 30 ms target, p50 / git-secrets p50.
set -euo pipefail
die() { echo "hook_latency.sh: $*" >&2; exit 2; }
[ $# -ge 2 ] || die "usage: $0 REPO SECRETSCAN_BINARY [SECRETSCAN_BINARY...]"
REPO=$(cd "$1" && pwd) || die "no such repository: $1"
shift
BINS=()
for b in "$@"; do
  abs=$(cd "$(dirname "$b")" && pwd)/$(basename "$b")
  [ -x "$abs" ] || die "not executable: $b"
  BINS+=("$abs")
done
RUNS=${RUNS:-31}
GIT_SECRETS=${GIT_SECRETS:-/usr/bin/git-secrets}
WORK=${WORK:-}
if [ -z "$WORK" ]; then WORK=$(mktemp -d); trap 'rm -rf "$WORK"' EXIT; fi
export GIT_CONFIG_NOSYSTEM=1 GIT_CONFIG_GLOBAL=/dev/null

# A clone of REPO at $1 with the typical commit staged: 5 files edited and 5 added, 100 added
# lines each.
stage_commit() {
  local clone=$1
  if [ ! -d "$clone/.git" ]; then
    git clone -q --shared "$REPO" "$clone"
  fi
  (
    cd "$clone"
    git config user.name bench; git config user.email bench@example.invalid
    git reset -q --hard HEAD
    mapfile -t edit < <(git ls-files '*.c' | head -n 5)
    for i in $(seq 0 9); do
      if [ "$i" -lt 5 ]; then f=${edit[$i]}; else f="bench/new_$i.c"; mkdir -p bench; : > "$f"; fi
      for j in $(seq 1 100); do
        printf 'static int bench_%d_%d(const char *key, int password_len) { return strlen(key) + %d; }\n' "$i" "$j" "$j" >> "$f"
      done
    done
    git add -A
  )
}

clone="$WORK/clone"
stage_commit "$clone"
cd "$clone"
files=$(git ls-files | wc -l)
added=$(git diff --cached --numstat | awk '{s+=$1} END {print s}')
staged=$(git diff --cached --name-only | wc -l)

# secretscan: each binary's real hook, as `install` writes it, run via sh from the work tree's
# top as git runs it. Each is kept beside .git/hooks/pre-commit under its own name.
names=() dirs=() hooks=()
for k in "${!BINS[@]}"; do
  "${BINS[$k]}" install --hooks pre-commit >/dev/null
  cp .git/hooks/pre-commit ".git/hooks/pre-commit-bench-$k"
  "${BINS[$k]}" uninstall --hooks pre-commit >/dev/null
  label="secretscan pre-commit"
  [ "${#BINS[@]}" -gt 1 ] && label="secretscan #$((k + 1))"
  names+=("$label"); dirs+=("$clone"); hooks+=(".git/hooks/pre-commit-bench-$k")
done

# git-secrets: its real hook, with the AWS patterns, in its own clone.
gs=-1
if [ -x "$GIT_SECRETS" ]; then
  stage_commit "$WORK/clone-gs"
  (cd "$WORK/clone-gs" && "$GIT_SECRETS" --register-aws >/dev/null)
  gs=${#names[@]}
  names+=("git-secrets pre-commit")
  dirs+=("$WORK/clone-gs"); hooks+=("")
fi

# The runs, in rounds: each tool once per round. Wall times in ms, one file per tool.
gs_path="$(dirname "$GIT_SECRETS"):$PATH"
for k in "${!names[@]}"; do : > "$WORK/times-$k"; done
for _ in $(seq "$RUNS"); do
  for k in "${!names[@]}"; do
    cd "${dirs[$k]}"
    t0=$EPOCHREALTIME
    if [ "$k" -eq "$gs" ]; then
      PATH=$gs_path "$GIT_SECRETS" --pre_commit_hook -- >/dev/null 2>&1 || true
    else
      sh "${hooks[$k]}" >/dev/null 2>&1 || true
    fi
    t1=$EPOCHREALTIME
    echo "$t0 $t1" | awk '{printf "%.2f\n", ($2 - $1) * 1000}' >> "$WORK/times-$k"
  done
done
pct() { sort -n "$2" | awk -v p="$1" '{a[NR]=$1} END {i=int((NR-1)*p)+1; print a[i]}'; }

echo "# repository: $REPO ($files files at HEAD); commit: $staged files, $added added lines; $RUNS runs each, in turns"
for k in "${!BINS[@]}"; do echo "# ${names[$k]}: ${BINS[$k]}"; done
printf '%-26s %8s %8s %12s %16s\n' tool "p50 ms" "p90 ms" "p50/30ms" "p50/git-secrets"
t50=""
[ "$gs" -ge 0 ] && t50=$(pct 0.5 "$WORK/times-$gs")
for k in "${!names[@]}"; do
  p50=$(pct 0.5 "$WORK/times-$k"); p90=$(pct 0.9 "$WORK/times-$k")
  ratio=n/a
  [ -n "$t50" ] && ratio=$(awk -v a="$p50" -v b="$t50" 'BEGIN{printf "%.3f", a/b}')
  printf '%-26s %8s %8s %12s %16s\n' "${names[$k]}" "$p50" "$p90" "$(awk -v a="$p50" 'BEGIN{printf "%.2f", a/30}')" "$ratio"
done
