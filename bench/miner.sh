#!/usr/bin/env bash
# Benchmark (not a test): what the unexplained-warning template miner costs. Two bundles from
# bench/gen_bundle.py with the same lines, a fifth of them (--warning-share) WARN/ERROR lines of
# twelve shapes no rule uses: in one they are WARN/ERROR (mined), in the other INFO (not mined;
# there is no switch that turns the miner off, and the INFO bundle costs everything else alike).
#
# 1. Wall time: hyperfine runs both bundles (folder input, so inflate does not blur it) in
#    alternating rounds and prints the median of each, side by side, and the miner's share.
# 2. With CALLGRIND=1 (default): the instruction counts of both runs under callgrind on a 5 MB
#    log, the miner's share ((mined - not mined) / mined: the target is at most 10%), and the
#    share of UnexplainedCollector::Observe (level check, masking, mining) in the mined run. On a
#    shared machine wall times drift by more than the miner costs; instruction counts do not.
# With BEFORE=/path/to/older/dartdiag, that binary is measured the same way in the same run.
#
#   bash bench/miner.sh                        # SIZE_MB=40 ROUNDS=3 RUNS=5 BUILD=build-release
#   SIZE_MB=20 BUILD=build BEFORE=/tmp/old/dartdiag bash bench/miner.sh
# Needs python3, hyperfine and valgrind.
set -euo pipefail
cd "$(dirname "$0")/.."
SIZE_MB=${SIZE_MB:-40}
ROUNDS=${ROUNDS:-3}
RUNS=${RUNS:-5}
SHARE=${SHARE:-0.2}
BUILD=${BUILD:-build-release}
CALLGRIND=${CALLGRIND:-1}
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT

if [[ ! -x "$BUILD/dartdiag" ]]; then
  cmake -S . -B "$BUILD" -G Ninja -DCMAKE_BUILD_TYPE=Release -DDARTDIAG_TESTS=OFF > /dev/null
  cmake --build "$BUILD" --target dartdiag > /dev/null
fi
binaries=("$(realpath "$BUILD/dartdiag")")
names=("now")
if [[ -n "${BEFORE:-}" ]]; then
  binaries+=("$(realpath "$BEFORE")")
  names+=("before")
fi
python3 bench/gen_bundle.py --plugin-mb "$SIZE_MB" --warning-share "$SHARE" --out "$WORK/mined"
python3 bench/gen_bundle.py --plugin-mb "$SIZE_MB" --warning-share "$SHARE" --warning-level INFO --out "$WORK/info"
echo "machine: $(nproc) CPUs, load average $(cut -d' ' -f1-3 /proc/loadavg)"
echo "unexplained warnings found: $("${binaries[0]}" --format json "$WORK/mined" |
  python3 -c 'import json, sys; w = json.load(sys.stdin)["unexplained_warnings"]; print(len(w["templates"]), "templates,", w["uncounted"], "uncounted")')"

# 1. Wall time: every command in each of ROUNDS hyperfine rounds of RUNS runs (warmup 1), so
# drift on the machine hits them alike (-i: dartdiag exits 1 when it finds a failure).
commands=()
for b in "${binaries[@]}"; do
  commands+=("$b --format json $WORK/mined" "$b --format json $WORK/info")
done
for r in $(seq 1 "$ROUNDS"); do
  hyperfine -N -i --warmup 1 --runs "$RUNS" --export-json "$WORK/round$r.json" "${commands[@]}" 2>&1 > /dev/null |
    grep -v -e "Ignoring non-zero exit code" -e "^ *$" >&2 || true
done
python3 - "$WORK" "$ROUNDS" "$SIZE_MB" "$SHARE" "${names[@]}" <<'PY'
import json, statistics, sys
work, rounds, size, share, names = sys.argv[1], int(sys.argv[2]), sys.argv[3], float(sys.argv[4]), sys.argv[5:]
times = {}
for r in range(1, rounds + 1):
    for i, result in enumerate(json.load(open(f"{work}/round{r}.json"))["results"]):
        times.setdefault(i, []).extend(result["times"])
print(f"{size} MB plugin log, {share:.0%} of lines unexplained WARN/ERROR; wall-time medians of "
      f"{len(times[0])} runs each (hyperfine, {rounds} alternating rounds)")
medians = {}
for n, name in enumerate(names):
    m, i = statistics.median(times[2 * n]), statistics.median(times[2 * n + 1])
    medians[name] = m
    print(f"  {name:7} mined {m:.4f} s, not mined {i:.4f} s: ratio {m / i:.3f}, miner's share {(m - i) / m:.1%}")
if "before" in medians:
    print(f"  mined run, now / before: {medians['now'] / medians['before']:.3f}")
PY

# 2. Instructions.
if [[ "$CALLGRIND" == 1 ]]; then
  for level in WARN INFO; do
    python3 bench/gen_bundle.py --plugin-mb 5 --warning-share "$SHARE" --warning-level $level --out "$WORK/cg-$level"
  done
  total() { callgrind_annotate "$1" 2>/dev/null | awk '/PROGRAM TOTALS/ {gsub(",", "", $1); print $1}'; }
  observe() { callgrind_annotate --inclusive=yes "$1" 2>/dev/null | awk '/UnexplainedCollector::Observe/ && !/=>/ {gsub(",", "", $1); print $1; exit}'; }
  echo "callgrind, 5 MB plugin log (instructions):"
  for n in "${!binaries[@]}"; do
    for level in WARN INFO; do
      valgrind --tool=callgrind --callgrind-out-file="$WORK/cg.$n.$level" "${binaries[$n]}" "$WORK/cg-$level" > /dev/null 2>&1 || true
    done
    w=$(total "$WORK/cg.$n.WARN"); i=$(total "$WORK/cg.$n.INFO"); o=$(observe "$WORK/cg.$n.WARN") || true  # awk stops early
    awk -v name="${names[$n]}" -v w="$w" -v i="$i" -v o="$o" 'BEGIN {
      printf "  %-7s mined %d, not mined %d: miner'"'"'s share %.1f%% (target <= 10%%); UnexplainedCollector::Observe %.1f%%\n",
             name, w, i, 100 * (w - i) / w, 100 * o / w }'
  done
fi
