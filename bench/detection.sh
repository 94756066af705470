#!/usr/bin/env bash
# Side-by-side detection benchmark: secretscan and four peer scanners on one labelled corpus.
#
# usage: bench/detection.sh [--list TOOL] CORPUS [SECRETSCAN_BINARY]
#   CORPUS             tests/corpus/leaks.jsonl or tests/corpus/corpus.jsonl (both shapes are read;
#                      see bench/detection.py)
#   SECRETSCAN_BINARY  default: build/secretscan of this checkout
#   --list TOOL        instead of the table, print each miss, false positive and extra of TOOL
#                      (secretscan, gitleaks, kingfisher, detect-secrets, credsweeper)
#   GITLEAKS, KINGFISHER, DETECT_SECRETS, CREDSWEEPER   the peers' paths (defaults under
#                      /opt/peers); a tool that is not there is reported "not installed" and skipped
#   KEEP=1             keep the scratch folder (samples/, results/ with each report and log)
#   CHECK="R C F"      then exit 1 unless secretscan's recall is at least R % overall and C % in
#                      every category, with at most F % of negative samples flagged (ctest
#                      leaks-corpus: CHECK="95 90 1")
#
# The peers live outside the repository, e.g.
#   GOBIN=/opt/peers/bin go install github.com/zricethezav/gitleaks/v8@latest
#   python3 -m venv /opt/peers/venv
#   /opt/peers/venv/bin/pip install kingfisher-bin detect-secrets credsweeper
#
# Every sample is written to SCRATCH/samples/NNNNN/<its path> (NNNNN: its 0-based place in the
# corpus; not its id, which would hand the label to tools that read paths), so per-file tools see
# real names such as .npmrc or config/settings.xml. Each tool runs once over the whole folder, with
# JSON output, and its wall time is taken. bench/detection.py maps every finding back to (sample,
# line) and scores it at line level (a planted secret is found when a finding covers one of its
# lines). The tools run from inside the folder with target ".", so they see paths as in a checkout
# (00042/config/app.json): detect-secrets prints paths relative to its working directory, and with
# an absolute target under /tmp CredSweeper (its ML model reads the path) and Kingfisher (drops its
# generic-credential-uri findings) report differently.
#
# Options per tool: each tool's documented default rule set, confidence and filters for a plain
# directory, plus only what is needed to run offline, to get a machine-readable report, and to
# not fail the script on findings:
#   secretscan      --format jsonl --exit-zero -q scan --no-ignore .
#                   (--no-ignore: a sample may be named like an ignored file; nothing else off)
#   gitleaks        dir --no-banner --exit-code 0 --report-format json --report-path OUT .
#                   (`dir` is v8.19+'s no-git directory mode; GITLEAKS_CONFIG(_TOML) unset and
#                   no .gitleaks.toml in the folder, so its default config)
#   kingfisher      scan . --no-validate --no-update-check --no-dedup --format json --output OUT
#                   (--no-validate: no live validation; --no-update-check: no network;
#                   --no-dedup: by default one secret value found in several files is reported
#                   once, which would hide all but one of the unrelated samples sharing it;
#                   the first run also compiles its rule cache, ~/.cache/kingfisher, taking ~4 s)
#   detect-secrets  scan --all-files --no-verify .
#                   (--all-files: not a git checkout; --no-verify: no network verification calls)
#   credsweeper     --path . --save-json OUT
#                   (defaults: ML validation on at threshold "medium", severity down to "info",
#                   one job; its report also goes to stdout, kept in the log)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
list=
if [[ ${1:-} == --list ]]; then
  list=${2:?--list needs a tool name}
  shift 2
fi
corpus=${1:?usage: bench/detection.sh [--list TOOL] CORPUS [SECRETSCAN_BINARY]}
declare -A binary=(
  [secretscan]=${2:-$(dirname "$here")/build/secretscan}
  [gitleaks]=${GITLEAKS:-/opt/peers/bin/gitleaks}
  [kingfisher]=${KINGFISHER:-/opt/peers/venv/bin/kingfisher}
  [detect-secrets]=${DETECT_SECRETS:-/opt/peers/venv/bin/detect-secrets}
  [credsweeper]=${CREDSWEEPER:-/opt/peers/venv/bin/credsweeper}
)
tools=(secretscan gitleaks kingfisher detect-secrets credsweeper)
if [[ -n $list && ! -v binary[$list] ]]; then
  echo "--list: no tool $list (one of: ${tools[*]})" >&2
  exit 2
fi

scratch=$(mktemp -d)
if [[ ${KEEP:-} == 1 ]]; then
  echo "scratch folder kept: $scratch" >&2
else
  trap 'rm -rf "$scratch"' EXIT
fi
samples=$scratch/samples results=$scratch/results
mkdir -p "$samples" "$results"

# scan_TOOL BINARY OUT: run in the samples folder
scan_secretscan() { "$1" --format jsonl --exit-zero -q scan --no-ignore . >"$2"; }
scan_gitleaks() {
  env -u GITLEAKS_CONFIG -u GITLEAKS_CONFIG_TOML \
    "$1" dir --no-banner --exit-code 0 --report-format json --report-path "$2" .
}
scan_kingfisher() {
  "$1" scan . --no-validate --no-update-check --no-dedup --format json --output "$2"
}
scan_detect_secrets() { "$1" scan --all-files --no-verify . >"$2"; }
scan_credsweeper() { "$1" --path . --save-json "$2"; }

version_of() { # TOOL BINARY: one line
  if [[ $1 == gitleaks ]]; then # a `go install` build says "version is set by build process"
    go version -m "$2" 2>/dev/null | awk '$1 == "mod" {print $3; exit}' | grep . || "$2" version
  else
    "$2" --version 2>&1 | tail -1
  fi
}

absolute() { # PATH or a command name on PATH: an absolute path (the scans run elsewhere)
  case $1 in
    /*) echo "$1" ;;
    */*) echo "$PWD/$1" ;;
    *) command -v -- "$1" || echo "$1" ;;
  esac
}

# run TOOL BINARY: the tool's scan function in the samples folder; its report goes to
# results/TOOL.out, its output and exit status to results/TOOL.log, its wall seconds to TOOL.time
run() {
  local tool=$1 bin start rc=0
  bin=$(absolute "$2")
  if ! [[ -x $bin && -f $bin ]]; then
    echo "$2 is missing or not executable" >"$results/$tool.missing"
    return
  fi
  echo "$(version_of "$tool" "$bin") ($bin)" >"$results/$tool.version"
  start=$EPOCHREALTIME
  (cd "$samples" && "scan_${tool//-/_}" "$bin" "$results/$tool.out") >"$results/$tool.log" 2>&1 ||
    rc=$?
  awk -v a="$start" -v b="$EPOCHREALTIME" 'BEGIN {printf "%.3f\n", b - a}' >"$results/$tool.time"
  echo "exit status $rc" >>"$results/$tool.log"
  if [[ -s $results/$tool.out ]] || [[ $tool == secretscan && $rc == 0 ]]; then return; fi
  rm -f "$results/$tool.out" # no report: shown as failed
  echo "$tool: no report; last lines of its log:" >&2
  tail -5 "$results/$tool.log" >&2
}

python3 "$here/detection.py" materialise "$corpus" "$samples"
for tool in "${tools[@]}"; do
  if [[ -z $list || $list == "$tool" ]]; then run "$tool" "${binary[$tool]}"; fi
done
if [[ -n $list ]]; then
  python3 "$here/detection.py" report "$corpus" "$scratch" --list "$list"
else
  python3 "$here/detection.py" report "$corpus" "$scratch"
fi
if [[ -n ${CHECK:-} ]]; then
  read -r min_recall min_category max_fp <<<"$CHECK"
  python3 "$here/detection.py" check "$corpus" "$scratch" "$min_recall" "$min_category" "$max_fp"
fi
