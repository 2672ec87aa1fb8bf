#!/usr/bin/env bash
# Benchmark (not a test): peak memory over the log mixes of bench/sweep.sh, on a large log. For
# each point, a zip bundle with a SIZE_MB plugin log (bench/gen_bundle.py, --failures scattered so
# that failures and recoveries run through the whole log), and one row per rule pack:
#   - the default pack (state models only);
#   - the default pack plus RULES (a condition pack: its rules keep their matched events in event
#     columns, src/event_column.cc, and are evaluated at the end).
# Each row: peak RSS and wall time of RUNS runs (/usr/bin/time, medians), the exit code, and the
# verdicts the JSON report gives. Target: peak RSS <= 64 MB on a 1 GB log at every point.
#   bash bench/memory_mix.sh                      # SIZE_MB=1024 RUNS=1, every point
#   SIZE_MB=100 POINTS="match-90 clock-jitter" bash bench/memory_mix.sh
#   BEFORE=/tmp/old/dartdiag bash bench/memory_mix.sh  # an older binary on the same zips, row by row
# Settings (environment): SIZE_MB (1024), RUNS (1), RULES (testdata/rules/still-unprotected.json),
# BUILD (build-release), POINTS (all of bench/lib.sh), WORK (a temporary folder unless set),
# BEFORE (unset: only the build's binary).
set -euo pipefail
cd "$(dirname "$0")/.."
SIZE_MB=${SIZE_MB:-1024}
RUNS=${RUNS:-1}
ROUNDS=1
RULES=${RULES:-testdata/rules/still-unprotected.json}
source bench/lib.sh  # WORK, the Release build ($dartdiag), median, the points (mix_args)
POINTS=${POINTS:-$ALL_POINTS}

run() {  # prints "peak-RSS-MB wall-s exit-code" medians of RUNS runs of binary $1 on "${@:2}"
  local binary=$1 code=0
  shift
  : > "$WORK/rss" && : > "$WORK/wall"
  for ((i = 0; i < RUNS; ++i)); do
    set +e
    /usr/bin/time -f '%M %e' -o "$WORK/time.txt" "$binary" --format json "$@" > "$WORK/report.json" 2> /dev/null
    code=$?
    set -e
    tail -n 1 "$WORK/time.txt" | awk '{print $1 / 1024}' >> "$WORK/rss"
    tail -n 1 "$WORK/time.txt" | awk '{print $2}' >> "$WORK/wall"
  done
  printf '%.1f %.2f %s' "$(median < "$WORK/rss")" "$(median < "$WORK/wall")" "$code"
}
verdicts() {
  python3 -c '
import json, sys
r = json.load(open(sys.argv[1]))
print(", ".join(v["rule"] + ("/" + v["group"] if v["group"] else "") for v in r["verdicts"]) or "none")' "$WORK/report.json"
}

echo "machine: $(nproc) CPUs, load average $(cut -d' ' -f1-3 /proc/loadavg)"
echo "dartdiag: $dartdiag ($(git rev-parse --short HEAD 2>/dev/null || echo unknown)); plugin log $SIZE_MB MB;" \
  "medians of $RUNS runs; condition pack $RULES"
echo
binaries=("$dartdiag")
if [[ -n "${BEFORE:-}" ]]; then
  binaries=("$(realpath "$BEFORE")" "$dartdiag")
  echo "before: ${binaries[0]}"
fi
echo "| point | pack | binary | peak RSS MB | wall s | exit | verdicts |"
echo "|---|---|---|---|---|---|---|"
for point in $POINTS; do
  zip="$WORK/$point.zip"
  # shellcheck disable=SC2086
  python3 bench/gen_bundle.py --plugin-mb "$SIZE_MB" --failures scattered ${mix_args[$point]} --out "$zip"
  for pack in default conditions; do
    args=("$zip")
    label=default
    if [[ $pack == conditions ]]; then
      args=(--rules "$RULES" "$zip")
      label="default + $(basename "$RULES")"
    fi
    for binary in "${binaries[@]}"; do
      name=now
      [[ ${#binaries[@]} -gt 1 && $binary == "${binaries[0]}" ]] && name=before
      read -r rss wall code <<< "$(run "$binary" "${args[@]}")"
      printf '| %s | %s | %s | %s | %s | %s | %s |\n' "$point" "$label" "$name" "$rss" "$wall" "$code" "$(verdicts)"
    done
  done
  rm -f "$zip"
done
echo
echo "load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)"
