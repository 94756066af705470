#!/usr/bin/env bash
# Runs every libFuzzer target of BUILD_DIR (configured with -DSECRETSCAN_FUZZ=ON, built with
# --target secretscan_fuzz) for SECONDS each, on a copy of its seed corpus (tests/fuzz/corpus/TARGET)
# in BUILD_DIR/fuzz/TARGET/corpus: the source tree is never written. Prints each target's runs,
# coverage (cov) and features (ft) from libFuzzer's final stats; exits 1 when a target crashes
# (a sanitizer report, an escaped exception, a timeout, out of memory), naming the crash file.
set -euo pipefail
if [[ $# -ne 2 || ! $2 =~ ^[1-9][0-9]*$ ]]; then
  echo "usage: $0 BUILD_DIR SECONDS" >&2
  exit 2
fi
build=$(cd "$1" && pwd)
seconds=$2
source_dir=$(cd "$(dirname "$0")" && pwd)
targets=(fuzz_pack fuzz_config fuzz_baseline fuzz_scanner fuzz_ere fuzz_decoders fuzz_glob)
failed=()

for target in "${targets[@]}"; do
  binary=$build/tests/fuzz/$target
  if [[ ! -x $binary ]]; then
    echo "$target: $binary not built (cmake --build $1 --target secretscan_fuzz)" >&2
    exit 2
  fi
  work=$build/fuzz/$target
  rm -rf "$work/artifacts"
  mkdir -p "$work/corpus" "$work/artifacts"
  cp -r "$source_dir/corpus/$target/." "$work/corpus/"
  log=$work/log.txt
  status=0
  "$binary" -max_total_time="$seconds" -rss_limit_mb=2048 -timeout=10 -print_final_stats=1 \
    -artifact_prefix="$work/artifacts/" "$work/corpus" >"$log" 2>&1 || status=$?
  runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -n 1)
  cov=$(grep -oE ' cov: [0-9]+' "$log" | tail -n 1 | grep -oE '[0-9]+' || true)
  ft=$(grep -oE ' ft: [0-9]+' "$log" | tail -n 1 | grep -oE '[0-9]+' || true)
  printf '%-14s runs %-9s cov %-6s ft %-6s' "$target" "${runs:-?}" "${cov:-?}" "${ft:-?}"
  if [[ $status -ne 0 ]]; then
    echo " CRASH (exit $status)"
    grep -E '^(==[0-9]+==ERROR|SUMMARY|.*runtime error|.*deadly signal|.*Test unit written to|.*ERROR: libFuzzer)' "$log" | head -n 20 || true
    ls -1 "$work/artifacts"/* 2>/dev/null | sed 's/^/  crash file: /' || true
    echo "  log: $log"
    failed+=("$target")
  else
    echo " ok"
  fi
done

if [[ ${#failed[@]} -ne 0 ]]; then
  echo "fuzzing: ${failed[*]} crashed" >&2
  exit 1
fi
echo "fuzzing: ${#targets[@]} targets, ${seconds} s each, no crash"
