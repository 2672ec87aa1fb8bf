#!/usr/bin/env bash
# Benchmark (not a test): what the unexplained-warning template miner costs. Two bundles from
# bench/gen_bundle.py with the same lines, a fifth of them (--warning-share) WARN/ERROR lines of
# twelve shapes no rule uses: in one they are WARN/ERROR (mined), in the other INFO (not mined).
# Runs both alternately (folder input, so inflate does not blur it) and prints the median wall
# time of each, side by side, and the miner's share of the analysis time.
#
# With CALLGRIND=1 (default), also the instruction counts of both runs under callgrind on a 5 MB
# log and the share of UnexplainedCollector::Observe (masking and mining) in the mined run: on a
# shared machine wall times drift by more than the miner costs, instruction counts do not.
#
#   bash bench/miner.sh                        # SIZE_MB=40 RUNS=9 BUILD=build-release
#   SIZE_MB=20 RUNS=5 BUILD=build bash bench/miner.sh
set -euo pipefail
cd "$(dirname "$0")/.."
SIZE_MB=${SIZE_MB:-40}
RUNS=${RUNS:-9}
SHARE=${SHARE:-0.2}
BUILD=${BUILD:-build-release}
CALLGRIND=${CALLGRIND:-1}
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT

if [[ ! -x "$BUILD/dartdiag" ]]; then
  cmake -S . -B "$BUILD" -G Ninja -DCMAKE_BUILD_TYPE=Release -DDARTDIAG_TESTS=OFF > /dev/null
  cmake --build "$BUILD" --target dartdiag > /dev/null
fi
dartdiag=$(realpath "$BUILD/dartdiag")
python3 bench/gen_bundle.py --plugin-mb "$SIZE_MB" --warning-share "$SHARE" --out "$WORK/mined"
python3 bench/gen_bundle.py --plugin-mb "$SIZE_MB" --warning-share "$SHARE" --warning-level INFO --out "$WORK/info"

python3 - "$dartdiag" "$WORK/mined" "$WORK/info" "$RUNS" "$SIZE_MB" "$SHARE" <<'PY'
import json, statistics, subprocess, sys, time
dartdiag, mined, info, runs, size, share = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4]), sys.argv[5], sys.argv[6]
def run(path):
    start = time.perf_counter()
    out = subprocess.run([dartdiag, "--format", "json", path], stdout=subprocess.PIPE, check=False).stdout
    return time.perf_counter() - start, json.loads(out)["unexplained_warnings"]
times = {mined: [], info: []}
run(mined), run(info)  # warm the page cache
for _ in range(runs):
    for path in (mined, info):
        times[path].append(run(path)[0])
m, i = statistics.median(times[mined]), statistics.median(times[info])
warnings = run(mined)[1]
print(f"{size} MB plugin log, {float(share):.0%} of lines unexplained WARN/ERROR, median of {runs} runs each")
print(f"  mined (WARN/ERROR):   {m:.3f} s   ({len(warnings['templates'])} templates, {warnings['uncounted']} uncounted)")
print(f"  not mined (INFO):     {i:.3f} s")
print(f"  miner's share of the analysis time: {(m - i) / m:.1%}")
PY

if [[ "$CALLGRIND" == 1 ]]; then
  for level in WARN INFO; do
    python3 bench/gen_bundle.py --plugin-mb 5 --warning-share "$SHARE" --warning-level $level --out "$WORK/cg-$level"
    valgrind --tool=callgrind --callgrind-out-file="$WORK/cg.$level" "$dartdiag" "$WORK/cg-$level" > /dev/null 2>&1 || true
  done
  total() { callgrind_annotate "$1" 2>/dev/null | awk '/PROGRAM TOTALS/ {gsub(",", "", $1); print $1}'; }
  observe() { callgrind_annotate --inclusive=yes "$1" 2>/dev/null | awk '/UnexplainedCollector::Observe/ && !/=>/ {gsub(",", "", $1); print $1; exit}'; }
  w=$(total "$WORK/cg.WARN"); i=$(total "$WORK/cg.INFO"); o=$(observe "$WORK/cg.WARN") || true  # awk stops reading early
  echo "callgrind, 5 MB plugin log: mined $w instructions, not mined $i"
  awk -v w="$w" -v i="$i" -v o="$o" 'BEGIN {
    printf "  difference: %.1f%% of the mined run; UnexplainedCollector::Observe (every event'"'"'s level check, masking, mining): %.1f%%\n", 100 * (w - i) / w, 100 * o / w }'
fi
