#!/usr/bin/env bash
# The scanned-blob cache on one full-history scan: cold runs (each with a fresh, empty cache
# folder) against warm runs (the cache a cold run filled), alternating cold and warm so machine
# noise falls on both: wall time and peak RSS of each, the medians and the ratio warm/cold
# (issue 16: at most 0.10 on redis). Also checks that warm and cold reports are the same (JSON,
# `seconds` removed).
#
# usage: bench/cache.sh REPO [BINARY]
#   REPO    a git repository (bare is fine), e.g. a clone of redis/redis
#   BINARY  default build/secretscan
#   RUNS=3  runs of each (median reported)
set -euo pipefail
repo=$1 bin=${2:-build/secretscan} runs=${RUNS:-3}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
one() { # cache folder, label -> appends "seconds rss_kb" to $tmp/label
  /usr/bin/time -f '%e %M' -o "$tmp/t" "$bin" -C "$repo" -q --exit-zero history --cache "$1" >/dev/null 2>&1
  cat "$tmp/t" >>"$tmp/$2"
}
for ((i = 0; i < runs; i++)); do
  rm -rf "$tmp/cold-cache"
  one "$tmp/cold-cache" cold
  one "$tmp/cold-cache" warm # what the cold run just filled
done
median() { sort -n | awk '{v[NR]=$1} END {print v[int((NR+1)/2)]}'; }
for x in cold warm; do
  echo "$x: times $(cut -d' ' -f1 "$tmp/$x" | tr '\n' ' ')s; median $(cut -d' ' -f1 "$tmp/$x" | median) s, median RSS $(cut -d' ' -f2 "$tmp/$x" | median) KB"
done
awk -v c="$(cut -d' ' -f1 "$tmp/cold" | median)" -v w="$(cut -d' ' -f1 "$tmp/warm" | median)" 'BEGIN {printf "ratio warm/cold: %.3f\n", w / c}'
report() { "$bin" -C "$repo" --format json --exit-zero history "$@" 2>/dev/null | python3 -c 'import json,sys; d=json.load(sys.stdin); d["stats"].pop("seconds"); print(json.dumps(d, sort_keys=True))'; }
if [ "$(report --cache "$tmp/cold-cache")" = "$(report --no-cache)" ]; then echo "reports: identical"; else echo "reports: DIFFER"; exit 1; fi
