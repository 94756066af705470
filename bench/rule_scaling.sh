#!/usr/bin/env bash
# History-scan cost of the rule count: the same binary scans the same repository's history with
# 8 packs (aws, github, gitlab, stripe, npm, pypi, jwt, sendgrid: 26 rules, about the size of the
# first release) and with every shipped pack, interleaved.
#
# usage: bench/rule_scaling.sh REPO SECRETSCAN_BINARY
#   REPO    a git repository (bare is fine), e.g. a clone of redis/redis
#   RUNS=3  runs of each (median reported)
# Prints the rule counts, each run's wall time, the medians and their ratio (target < 1.5).
set -euo pipefail
repo=$1 bin=$2 runs=${RUNS:-3}
here=$(cd "$(dirname "$0")/.." && pwd)
few=$(mktemp -d)
trap 'rm -rf "$few"' EXIT
# The shipped packs may share text through YAML anchors, which packs loaded with --rules may not:
# python3-yaml writes each one out.
for p in aws github gitlab stripe npm pypi jwt sendgrid; do
  python3 -c 'import sys, yaml
class NoAliases(yaml.SafeDumper):
    def ignore_aliases(self, data): return True
yaml.dump(yaml.safe_load(open(sys.argv[1])), open(sys.argv[2], "w"), Dumper=NoAliases, sort_keys=False)' \
    "$here/patterns/$p.yaml" "$few/$p.yaml"
done
n_few=$("$bin" --no-builtin --rules "$few" rules list | tail -1)
n_all=$("$bin" rules list | tail -1)
time_of() { /usr/bin/time -f %e "$@" -C "$repo" -q --exit-zero history 2>&1 >/dev/null | tail -1; }
a=() b=()
for ((i = 0; i < runs; i++)); do
  a+=("$(time_of "$bin" --no-builtin --rules "$few")")
  b+=("$(time_of "$bin")")
done
median() { printf '%s\n' "$@" | sort -n | awk '{v[NR]=$1} END {print v[int((NR+1)/2)]}'; }
ma=$(median "${a[@]}") mb=$(median "${b[@]}")
echo "few packs ($n_few): ${a[*]} s, median $ma s"
echo "all packs ($n_all): ${b[*]} s, median $mb s"
awk -v a="$ma" -v b="$mb" 'BEGIN {printf "ratio all/few: %.2f (target < 1.5)\n", b / a}'
