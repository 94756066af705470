#!/usr/bin/env bash
# Full-history scans side by side (issue 16, "Measure"): secretscan with one and with two worker
# threads, gitleaks, Kingfisher (no validation) and git-secrets, each beside git's own
# single-core inflate of every object (`git cat-file --batch-all-objects --unordered --batch`, the limit
# row), on one or more repositories. Every tool runs RUNS times, in rounds (one run of each tool
# per round), so that load drift on the machine falls on all of them alike; the table shows the
# medians.
#
# usage: bench/history_peers.sh REPO [REPO...]
#   REPO          a git repository (bare is fine), e.g. clones of jqlang/jq, redis/redis, git/git
#                 (without refs/pull/*). Only read: no config writes, no hooks, no gc.
#   RUNS=3        timed runs of each tool (the median is reported)
#   TIMEOUT=900   seconds one run may take; a run killed at the limit makes its row read
#                 "timeout" (and that tool is not run again on that repository)
#   SECRETSCAN=build/secretscan
#   GITLEAKS=     e.g. /opt/peers/bin/gitleaks (gitleaks 8.x)
#   KINGFISHER=   e.g. the binary `pip install kingfisher-bin` ships: in a venv at /opt/peers/kf,
#                 /opt/peers/kf/lib/python3.*/site-packages/kingfisher/bin/kingfisher (its
#                 bin/kingfisher is a Python wrapper that starts it)
#   GIT_SECRETS=  e.g. /usr/bin/git-secrets (Debian package git-secrets; not secretscan's
#                 git-secrets drop-in, which is refused)
#   A peer whose variable is unset or not executable is skipped, with a line on stderr.
#
# The commands, per repository (REPORT a file in a temporary folder; a report is never written to
# /dev/null, which some tools replace with a regular file):
#   git inflate (1 core)    git -C REPO cat-file --batch-all-objects --unordered --batch >/dev/null
#   secretscan --threads N  $SECRETSCAN -C REPO -q history --no-cache --threads N -o REPORT
#                           (--no-cache: every blob is scanned, as on a first run)
#   gitleaks                $GITLEAKS git REPO --no-banner --log-level error -f json -r REPORT
#   kingfisher              $KINGFISHER scan GIT_DIR --git-history full --no-validate
#                             --no-update-check -q -j $(nproc) -f json -o REPORT
#                           (GIT_DIR, not the work tree, so that it scans the history only, as the
#                           others do; its compiled-rule cache in ~/.cache/kingfisher is used as
#                           a user's second run would use it)
#   git-secrets             cd REPO && git-secrets --scan-history, with the --register-aws patterns
#                           in a temporary GIT_CONFIG_GLOBAL file (`git secrets --register-aws
#                           --global`), never in REPO's config
# Exit codes meaning "secrets found" (1; Kingfisher 200) count as successful runs.
# One untimed inflate runs first, so that every tool finds the pack files in the page cache.
#
# Prints, per repository, a markdown table (for pasting into a closing note): wall seconds
# (median) and every run's, MB/s of blob bytes (the sum of the sizes of every blob in the object
# database, 10^6 bytes), peak RSS in MB (GNU time %M: the largest single process of the run,
# 10^6 bytes), the ratio to git's inflate (wall / inflate wall) and, on secretscan's rows, the
# speed-ups "peer ÷ secretscan" (peer wall / secretscan wall) against gitleaks and Kingfisher;
# then one line:
#   secretscan (2 threads) = X× git inflate; gitleaks/secretscan = Y; kingfisher/secretscan = Z
# Needs: git, GNU time (/usr/bin/time), timeout (coreutils), awk. Progress goes to stderr.
set -euo pipefail
die() { echo "history_peers.sh: $*" >&2; exit 2; }
note() { echo "history_peers.sh: $*" >&2; }
[ $# -ge 1 ] || die "usage: $0 REPO [REPO...]"
RUNS=${RUNS:-3} TIMEOUT=${TIMEOUT:-900}
[[ $RUNS =~ ^[1-9][0-9]*$ ]] || die "RUNS must be a positive integer, not '$RUNS'"
[[ $TIMEOUT =~ ^[1-9][0-9]*$ ]] || die "TIMEOUT must be a positive number of seconds, not '$TIMEOUT'"
[ -x /usr/bin/time ] || die "needs GNU time at /usr/bin/time (Debian package time)"
command -v timeout >/dev/null || die "needs timeout (coreutils)"
SECRETSCAN=${SECRETSCAN:-build/secretscan}
[ -x "$SECRETSCAN" ] && [ ! -d "$SECRETSCAN" ] || die "SECRETSCAN=$SECRETSCAN is not executable (build it, or set SECRETSCAN)"
SECRETSCAN=$(cd "$(dirname "$SECRETSCAN")" && pwd)/$(basename "$SECRETSCAN")
repos=()
for r in "$@"; do
  git -C "$r" rev-parse --git-dir >/dev/null 2>&1 || die "not a git repository: $r"
  repos+=("$(cd "$r" && pwd)")
done
cores=$(nproc)

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# A peer's variable -> 0 when it names an executable file; else a note on stderr and 1.
usable() {
  local var=$1 val=${!1:-}
  if [ -z "$val" ]; then note "$var is not set: no $2 row"; return 1; fi
  if [ ! -x "$val" ] || [ -d "$val" ]; then note "$var=$val is not executable: no $2 row"; return 1; fi
}
have_gitleaks=0 have_kingfisher=0 have_git_secrets=0
usable GITLEAKS gitleaks && have_gitleaks=1
usable KINGFISHER kingfisher && have_kingfisher=1
if usable GIT_SECRETS git-secrets; then
  case $(basename "$(readlink -f "$GIT_SECRETS")") in
    secretscan*) note "GIT_SECRETS=$GIT_SECRETS is secretscan's git-secrets drop-in, not git-secrets (try /usr/bin/git-secrets): no git-secrets row" ;;
    *)
      # git-secrets calls `git secrets --aws-provider` at scan time: a PATH whose git-secrets is
      # this one, and the AWS patterns in a configuration file of our own.
      mkdir "$tmp/gs-bin"
      ln -s "$(readlink -f "$GIT_SECRETS")" "$tmp/gs-bin/git-secrets"
      : >"$tmp/gs-config"
      if (cd "$tmp" && GIT_CONFIG_GLOBAL="$tmp/gs-config" PATH="$tmp/gs-bin:$PATH" git-secrets --register-aws --global >"$tmp/gs-log" 2>&1) &&
        GIT_CONFIG_GLOBAL="$tmp/gs-config" git config --global --get-all secrets.patterns >/dev/null; then
        have_git_secrets=1
      else
        note "git-secrets --register-aws --global failed: no git-secrets row"; cat "$tmp/gs-log" >&2
      fi
      ;;
  esac
fi

q() { local s; s=$(printf '%q ' "$@"); printf '%s' "${s% }"; } # a command line, quoted for bash -c
median() { sort -n | awk '{v[NR]=$1} END {print v[int((NR+1)/2)]}'; }

for repo in "${repos[@]}"; do
  name=$(basename "$repo")
  gitdir=$(git -C "$repo" rev-parse --absolute-git-dir)
  blob_bytes=$(git -C "$repo" cat-file --batch-all-objects --unordered --batch-check='%(objecttype) %(objectsize)' |
    awk '$1 == "blob" {n++; s += $2} END {printf "%d %.0f\n", n, s}')
  blobs=${blob_bytes% *} blob_bytes=${blob_bytes#* }
  commits=$(git -C "$repo" rev-list --all --count)

  # The rows: label, command (for bash -c), exit codes that mean success.
  labels=() cmds=() oks=()
  row() { labels+=("$1"); cmds+=("$2"); oks+=("$3"); }
  row "git inflate (1 core)" "$(q git -C "$repo" cat-file --batch-all-objects --unordered --batch) >/dev/null" "0"
  for t in 1 2; do
    row "secretscan --threads $t" "$(q "$SECRETSCAN" -C "$repo" -q history --no-cache --threads "$t" -o "$tmp/report")" "0 1"
  done
  [ "$have_gitleaks" = 1 ] &&
    row "gitleaks" "$(q "$GITLEAKS" git "$repo" --no-banner --log-level error -f json -r "$tmp/report")" "0 1"
  [ "$have_kingfisher" = 1 ] &&
    row "kingfisher (no validation, -j $cores)" "$(q "$KINGFISHER" scan "$gitdir" --git-history full --no-validate --no-update-check -q -j "$cores" -f json -o "$tmp/report")" "0 1 200"
  [ "$have_git_secrets" = 1 ] &&
    row "git-secrets --scan-history" "cd $(q "$repo") && GIT_CONFIG_GLOBAL=$(q "$tmp/gs-config") PATH=$(q "$tmp/gs-bin"):\"\$PATH\" git-secrets --scan-history" "0 1"

  note "$name: $commits commits, $blobs blobs, $blob_bytes bytes of blobs; $RUNS runs of each, in rounds"
  for k in "${!labels[@]}"; do note "  ${labels[$k]}: ${cmds[$k]}"; done
  git -C "$repo" cat-file --batch-all-objects --unordered --batch >/dev/null # untimed: the page cache

  dead=()
  for k in "${!labels[@]}"; do : >"$tmp/runs-$k"; dead+=(""); done
  for ((i = 1; i <= RUNS; i++)); do
    for k in "${!labels[@]}"; do
      [ -z "${dead[$k]}" ] || continue
      rc=0
      /usr/bin/time -f '%e %M' -o "$tmp/t" timeout -k 10 "$TIMEOUT" bash -c "${cmds[$k]}" >"$tmp/log" 2>&1 || rc=$?
      rm -f "$tmp/report"
      last=$(tail -n 1 "$tmp/t")
      if [[ " ${oks[$k]} " == *" $rc "* ]]; then
        echo "$last" >>"$tmp/runs-$k"
        note "$name, round $i/$RUNS: ${labels[$k]}: ${last% *} s, ${last#* } KB"
      elif [ "$rc" = 124 ] || { [ "$rc" = 137 ] && awk -v e="${last% *}" -v t="$TIMEOUT" 'BEGIN {exit !(e >= t)}'; }; then
        dead[$k]=timeout
        note "$name, round $i/$RUNS: ${labels[$k]}: killed after $TIMEOUT s (timeout)"
      else
        dead[$k]="failed (exit $rc)"
        note "$name, round $i/$RUNS: ${labels[$k]}: exit $rc; its last output:"
        tail -n 5 "$tmp/log" >&2
      fi
    done
  done

  # Medians: wall and RSS per row, "" for a row without them.
  walls=() rss=() all=()
  for k in "${!labels[@]}"; do
    if [ -z "${dead[$k]}" ]; then
      walls+=("$(cut -d' ' -f1 "$tmp/runs-$k" | median)")
      rss+=("$(cut -d' ' -f2 "$tmp/runs-$k" | median)")
      all+=("$(cut -d' ' -f1 "$tmp/runs-$k" | paste -sd' ')")
    else
      walls+=("") rss+=("") all+=("")
    fi
  done
  wall_of() { # label -> its median wall, "timeout", or "" (no row, or its runs failed)
    local k
    for k in "${!labels[@]}"; do
      if [ "${labels[$k]}" = "$1" ]; then
        if [ "${dead[$k]}" = timeout ]; then echo timeout; else echo "${walls[$k]}"; fi
        return
      fi
    done
  }
  inflate=$(wall_of "git inflate (1 core)")
  gitleaks=$(wall_of gitleaks)
  kingfisher=$(wall_of "kingfisher (no validation, -j $cores)")
  ratio() { # numerator denominator format -> the ratio; "> ratio" for a numerator that timed out
    local a=$1 gt=""
    [ "$a" != timeout ] || { a=$TIMEOUT gt="> "; }
    if [ -n "$a" ] && [ -n "$2" ] && [ "$2" != timeout ]; then
      awk -v a="$a" -v b="$2" -v f="$gt$3" 'BEGIN {if (b > 0) printf f, a / b; else print "n/a"}'
    else
      echo "n/a"
    fi
  }

  echo
  echo "### $name: $(printf "%'d" "$commits") commits, $(printf "%'d" "$blobs") blobs, $(awk -v b="$blob_bytes" 'BEGIN {printf "%.1f", b / 1e6}') MB of blobs"
  echo
  runs_text="medians of $RUNS runs in rounds"
  [ "$RUNS" != 1 ] || runs_text="1 run"
  echo "Full history, $runs_text, $cores cores, $(date -u '+%Y-%m-%d')."
  echo
  echo "| | wall s | runs (s) | MB/s of blobs | peak RSS MB | × git inflate | gitleaks ÷ this | Kingfisher ÷ this |"
  echo "|---|---:|---|---:|---:|---:|---:|---:|"
  for k in "${!labels[@]}"; do
    if [ -n "${dead[$k]}" ]; then
      echo "| ${labels[$k]} | ${dead[$k]} | | | | | | |"
      continue
    fi
    w=${walls[$k]}
    mbs=$(ratio "$(awk -v b="$blob_bytes" 'BEGIN {print b / 1e6}')" "$w" "%.0f")
    mb=$(awk -v r="${rss[$k]}" 'BEGIN {printf "%.0f", r * 1024 / 1e6}')
    x=$(ratio "$w" "$inflate" "%.2f×")
    gl="" kf=""
    if [[ ${labels[$k]} == secretscan* ]]; then
      gl=$(ratio "$gitleaks" "$w" "%.1f") kf=$(ratio "$kingfisher" "$w" "%.1f")
    fi
    echo "| ${labels[$k]} | $w | ${all[$k]} | $mbs | $mb | $x | $gl | $kf |"
  done
  ss=$(wall_of "secretscan --threads 2")
  echo
  echo "secretscan (2 threads) = $(ratio "$ss" "$inflate" "%.2f×") git inflate; gitleaks/secretscan = $(ratio "$gitleaks" "$ss" "%.1f"); kingfisher/secretscan = $(ratio "$kingfisher" "$ss" "%.1f")"
done
