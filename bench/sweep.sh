#!/usr/bin/env bash
# Benchmark (not a test): the log mix sweep. For each point below, a zip bundle from
# bench/gen_bundle.py with a SIZE_MB plugin log (and the same zip unzipped, for folder input), and
# one table row:
#   - the plugin lines a default rule uses (the manual route's count) and their share of the lines;
#   - the verdicts dartdiag gives (rule ids that fired, from --format json);
#   - dartdiag on the zip against the manual route
#       unzip -p bundle.zip '*csccumbrellaplugin.txt' | grep -E -c '<the rule patterns>'
#     wall-time medians of ROUNDS hyperfine rounds of RUNS runs each (warmup 1), the two commands
#     alternating in each round as in bench/compare.sh, and their ratio (target <= 0.25);
#   - folder input: MB/s of log text (plugin log + Umbrella.txt, as compare.sh counts it) per wall
#     second (median, same rounds) and per CPU-second (user+sys from the child's rusage, in
#     microseconds, median of CPU_RUNS runs) (target >= 1000);
#   - peak RSS of one run on the zip (/usr/bin/time -f %M) (target <= 64 MB on a 1 GB log);
#   - with BEFORE=/path/to/an/older/dartdiag: that binary on the same folder, in the same hyperfine
#     rounds and alternating with this one for the CPU-seconds, and the ratio of CPU-seconds
#     now/before (a side-by-side comparison of two builds at every point).
# Points (all with --failures late: IPv4 ends Unprotected, IPv6 unencrypted):
#   match 1%, 15%, 50%, 90%     --match-share 0.01 / 0.15 / 0.5 / 0.9 (rest DEBUG/INFO of other components)
#   warn 20% unique             --match-share 0.15 --warning-share 0.2 --unique-warnings
#   clock back                  --match-share 0.15 --clock-back
#   clock jitter                --match-share 0.15 --clock-jitter 30 (about half the lines step back)
#   CRLF                        --match-share 0.15 --crlf   (every other point has LF line ends)
#
#   bash bench/sweep.sh                 # SIZE_MB=200 ROUNDS=3 RUNS=3 BUILD=build-release
#   SIZE_MB=50 bash bench/sweep.sh      # a quicker look
#   POINTS="match-1 crlf" SIZE_MB=20 bash bench/sweep.sh   # some points only
# Settings (environment): SIZE_MB (200), ROUNDS (3), RUNS (3), CPU_RUNS (9), BUILD (build-release), BEFORE (unset), POINTS (all),
# WORK (a temporary folder, removed at the end unless set). Needs python3, hyperfine, unzip and
# /usr/bin/time. Run nothing else heavy beside it: wall times on a shared machine measure the wait
# for a core.
set -euo pipefail
cd "$(dirname "$0")/.."
SIZE_MB=${SIZE_MB:-200}
ROUNDS=${ROUNDS:-3}
RUNS=${RUNS:-3}
CPU_RUNS=${CPU_RUNS:-9}
BUILD=${BUILD:-build-release}
source bench/lib.sh  # WORK, the Release build ($dartdiag), median, alternate, the points (mix_args)
POINTS=${POINTS:-$ALL_POINTS}

# The plugin-log patterns of the default rules (src/rules/default_rules.json): cycle starts and rejections.
pattern='checking reachability of primary OpenDNS resolver candidates|rejected all candidate resolvers for port'

cpu_seconds() {  # user + system seconds of each command ($@, one string each): medians of CPU_RUNS runs, alternating
  local n=$#
  for ((i = 0; i < n; ++i)); do : > "$WORK/cpu.$i"; done
  for ((r = 0; r < CPU_RUNS; ++r)); do
    local i=0
    for command in "$@"; do
      # shellcheck disable=SC2086
      cpu_of_run $command >> "$WORK/cpu.$i"
      i=$((i + 1))
    done
  done
  for ((i = 0; i < n; ++i)); do median < "$WORK/cpu.$i"; done
}
peak_rss_mb() {  # peak RSS in MB of one run of "$@"
  /usr/bin/time -f '%M' -o "$WORK/rss.txt" "$@" > /dev/null 2>&1 || true
  tail -n 1 "$WORK/rss.txt" | awk '{printf "%.1f", $1 / 1024}'
}
calc() { python3 -c 'import sys; print(eval(sys.argv[1] % tuple(sys.argv[2:])))' "$@"; }
log_bytes() {  # bytes of Umbrella log text in a bundle folder
  find "$1" -iname csccumbrellaplugin.txt -o -iname umbrella.txt | xargs -d '\n' stat -c %s | awk '{s += $1} END {print s}'
}
verdicts() {  # the verdicts (rule/group) of the JSON report on stdin, and the coverage outcome when not complete
  python3 -c '
import json, sys
r = json.load(sys.stdin)
out = [v["rule"] + ("/" + v["group"] if v["group"] else "") for v in r["verdicts"]]
if r["coverage"]["outcome"] != "complete":
    out.append("coverage " + r["coverage"]["outcome"])
print(", ".join(out) or "none")'
}

echo "machine: $(nproc) CPUs, $(lscpu | sed -n 's/^Model name: *//p'), load average $(cut -d' ' -f1-3 /proc/loadavg)"
echo "dartdiag: $dartdiag ($(git rev-parse --short HEAD 2>/dev/null || echo unknown)); plugin log $SIZE_MB MB;" \
  "medians of $((ROUNDS * RUNS)) runs ($ROUNDS alternating hyperfine rounds)"
echo
if [ -n "${BEFORE:-}" ]; then
  echo "before: $BEFORE"
  echo "| point | matched lines (share) | verdicts | dartdiag zip s | manual s | ratio | folder MB/s wall | folder MB/CPU-s | peak RSS MB | before: folder s | before: folder MB/CPU-s | CPU-s now/before |"
  echo "|---|---|---|---|---|---|---|---|---|---|---|---|"
else
  echo "| point | matched lines (share) | verdicts | dartdiag zip s | manual s | ratio | folder MB/s wall | folder MB/CPU-s | peak RSS MB |"
  echo "|---|---|---|---|---|---|---|---|---|"
fi
for point in $POINTS; do
  zip="$WORK/$point.zip" dir="$WORK/$point"
  # shellcheck disable=SC2086
  python3 bench/gen_bundle.py --plugin-mb "$SIZE_MB" --failures late ${mix_args[$point]} --out "$zip"
  mkdir -p "$dir" && unzip -q -o "$zip" -d "$dir"
  plugin=$(find "$dir" -iname csccumbrellaplugin.txt)
  bytes=$(log_bytes "$dir")
  lines=$(wc -l < "$plugin")
  manual="unzip -p $zip '*csccumbrellaplugin.txt' | grep -E -c '$pattern'"
  matched=$(bash -c "$manual")
  "$dartdiag" --format json "$zip" > "$WORK/report.json" || true  # exit code 1: a failure found
  fired=$(verdicts < "$WORK/report.json") || fired="(no report)"
  commands=("$dartdiag --format json $zip" "$manual" "$dartdiag --format json $dir")
  cpu_commands=("$dartdiag --format json $dir")
  if [ -n "${BEFORE:-}" ]; then
    commands+=("$BEFORE --format json $dir")
    cpu_commands+=("$BEFORE --format json $dir")
  fi
  mapfile -t m < <(alternate "${commands[@]}")
  mapfile -t cpu < <(cpu_seconds "${cpu_commands[@]}")
  rss=$(peak_rss_mb "$dartdiag" --format json "$zip")
  before=""
  if [ -n "${BEFORE:-}" ]; then
    before=$(printf ' %.3f | %.0f | %.2f |' "${m[3]}" "$(calc '%s / 1e6 / %s' "$bytes" "${cpu[1]}")" \
      "$(calc '%s / %s' "${cpu[0]}" "${cpu[1]}")")
  fi
  printf '| %s | %s (%.1f%%) | %s | %.3f | %.3f | %.3f | %.0f | %.0f | %s |%s\n' "$point" "$matched" \
    "$(calc '100.0 * %s / %s' "$matched" "$lines")" "$fired" "${m[0]}" "${m[1]}" "$(calc '%s / %s' "${m[0]}" "${m[1]}")" \
    "$(calc '%s / 1e6 / %s' "$bytes" "${m[2]}")" "$(calc '%s / 1e6 / %s' "$bytes" "${cpu[0]}")" "$rss" "$before"
  rm -rf "$zip" "$dir"
done
echo
echo "load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)"
