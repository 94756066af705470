#!/usr/bin/env bash
# Two builds of secretscan on the same history scan, interleaved (A, B, A, B, ...), so machine
# noise falls on both: wall time and peak RSS of each run, the medians and the ratio B/A. Also
# checks that both report the same findings (JSON, timings removed).
#
# usage: bench/ab_history.sh REPO BINARY_A BINARY_B
#   REPO   a git repository (bare is fine), e.g. a clone of redis/redis
#   RUNS=5 runs of each (median reported)
set -euo pipefail
repo=$1 a=$2 b=$3 runs=${RUNS:-5}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
one() { # binary, label -> appends "seconds rss_kb" to $tmp/label
  /usr/bin/time -f '%e %M' -o "$tmp/t" "$1" -C "$repo" -q --exit-zero history >/dev/null 2>&1
  cat "$tmp/t" >>"$tmp/$2"
}
for ((i = 0; i < runs; i++)); do one "$a" A; one "$b" B; done
median() { sort -n | awk '{v[NR]=$1} END {print v[int((NR+1)/2)]}'; }
for x in A B; do
  echo "$x: times $(cut -d' ' -f1 "$tmp/$x" | tr '\n' ' ')s; median $(cut -d' ' -f1 "$tmp/$x" | median) s, median RSS $(cut -d' ' -f2 "$tmp/$x" | median) KB"
done
awk -v a="$(cut -d' ' -f1 "$tmp/A" | median)" -v b="$(cut -d' ' -f1 "$tmp/B" | median)" 'BEGIN {printf "ratio B/A: %.3f\n", b / a}'
findings() { "$1" -C "$repo" --format json --exit-zero history 2>/dev/null | python3 -c 'import json,sys; d=json.load(sys.stdin); print(json.dumps(d["findings"], sort_keys=True))'; }
if [ "$(findings "$a")" = "$(findings "$b")" ]; then echo "findings: identical"; else echo "findings: DIFFER"; exit 1; fi
