#!/usr/bin/env bash
# Benchmark harness (not a test): dartdiag against the manual route on the same generated bundle,
# plus the other performance targets of docs/performance.md, in one run:
#   1. a zip with a SIZE_MB plugin log: dartdiag and `unzip -p | grep -E -c` alternately (rounds
#      of hyperfine with a warmup), medians, the ratio, MB/s of log text, peak RSS;
#   2. the same bundle unzipped (folder input): MB/s of wall time and per CPU-second;
#   3. peak RSS on a RSS_MB plugin log (zip);
#   4. fixed cost per bundle: a tiny bundle (start-up, rule pack load and compile);
#   5. batch of BATCH small bundles, --jobs 2 against --jobs 1;
#   6. callgrind instruction counts on a 20 MB bundle (zip and folder), for comparisons noise
#      cannot blur; with BEFORE=/path/to/older/dartdiag, that binary is counted too;
#   7. the template miner's share on a log where a fifth of the lines are unexplained warnings
#      (bench/miner.sh, 20 MB; MINER=0 skips).
# Bundles come from bench/gen_bundle.py (deterministic). Needs python3, hyperfine, unzip,
# /usr/bin/time and valgrind.
#
#   bash bench/compare.sh                       # all of it (about 5 minutes on 2 cores)
#   SIZE_MB=50 RSS_MB=0 CALLGRIND=0 bash bench/compare.sh   # a quick look
#
# Settings (environment): SIZE_MB (200), RSS_MB (1024; 0 skips), ROUNDS (3) x RUNS (3) per
# comparison, BATCH (200; 0 skips), CALLGRIND (1), BEFORE (unset), BUILD (build-release),
# WORK (a temporary folder, removed at the end unless set).
set -euo pipefail
cd "$(dirname "$0")/.."
SIZE_MB=${SIZE_MB:-200}
RSS_MB=${RSS_MB:-1024}
ROUNDS=${ROUNDS:-3}
RUNS=${RUNS:-3}
BATCH=${BATCH:-200}
CALLGRIND=${CALLGRIND:-1}
BUILD=${BUILD:-build-release}
source bench/lib.sh  # WORK, the Release build ($dartdiag), median, alternate

pattern='rejected all candidate resolvers|TCP handshake to SWG Proxy URL was not successful'

peak_rss_mb() {  # peak RSS in MB of one run of "$@"
  /usr/bin/time -v "$@" > /dev/null 2> "$WORK/time.txt" || true
  awk -F: '/Maximum resident set size/ {printf "%.1f\n", $2 / 1024}' "$WORK/time.txt"
}
ratio() { python3 -c 'import sys; print("%.3f" % (float(sys.argv[1]) / float(sys.argv[2])))' "$1" "$2"; }
mbps() { python3 -c 'import sys; print("%.0f" % (float(sys.argv[1]) / 1e6 / float(sys.argv[2])))' "$1" "$2"; }
log_bytes() {  # bytes of Umbrella log text in a bundle folder
  find "$1" -iname csccumbrellaplugin.txt -o -iname umbrella.txt | xargs -d '\n' stat -c %s | awk '{s += $1} END {print s}'
}

echo "machine: $(nproc) CPUs, $(lscpu | sed -n 's/^Model name: *//p'), load average $(cut -d' ' -f1-3 /proc/loadavg)"
echo "dartdiag: $dartdiag ($(git rev-parse --short HEAD 2>/dev/null || echo unknown))"
echo

# 1 and 2: the SIZE_MB bundle, zipped and unzipped.
python3 bench/gen_bundle.py --plugin-mb "$SIZE_MB" --failures scattered --out "$WORK/b.zip"
python3 bench/gen_bundle.py --plugin-mb "$SIZE_MB" --failures scattered --out "$WORK/b"
bytes=$(log_bytes "$WORK/b")
manual="unzip -p $WORK/b.zip '*csccumbrellaplugin.txt' '*Umbrella.txt' | grep -E -c '$pattern'"
echo "== zip with a $SIZE_MB MB plugin log ($bytes bytes of log text, zip $(stat -c %s "$WORK/b.zip") bytes)"
echo "manual route finds $(bash -c "$manual") lines; dartdiag exit code $("$dartdiag" --format json "$WORK/b.zip" > /dev/null; echo $?)" || true
mapfile -t m < <(alternate "$dartdiag --format json $WORK/b.zip" "$manual")
printf '  dartdiag      median %8.3f s  %6s MB/s  peak RSS %s MB\n' "${m[0]}" "$(mbps "$bytes" "${m[0]}")" \
  "$(peak_rss_mb "$dartdiag" --format json "$WORK/b.zip")"
printf '  manual route  median %8.3f s  %6s MB/s\n' "${m[1]}" "$(mbps "$bytes" "${m[1]}")"
echo "  ratio dartdiag / manual: $(ratio "${m[0]}" "${m[1]}")   (target <= 0.25)"
# On a busy machine wall times mostly measure the wait for a core: CPU time says what each costs.
cpu_d=$(cpu_of_run "$dartdiag" --format json "$WORK/b.zip")
cpu_m=$(cpu_of_run bash -c "$manual")
echo "  CPU seconds (user+sys, one run each): dartdiag $cpu_d, manual route $cpu_m, ratio $(ratio "$cpu_d" "$cpu_m")"

echo "== folder input (the same bundle unzipped)"
mapfile -t f < <(alternate "$dartdiag --format json $WORK/b")
cpu=$(cpu_of_run "$dartdiag" --format json "$WORK/b")
printf '  dartdiag      median %8.3f s  %6s MB/s wall, %s MB per CPU-second (user+sys %s s)  (target >= 1000 per core)\n' \
  "${f[0]}" "$(mbps "$bytes" "${f[0]}")" "$(mbps "$bytes" "$cpu")" "$cpu"
rm -rf "$WORK/b" "$WORK/b.zip"

# 3: peak RSS on a large log.
if [[ "$RSS_MB" != 0 ]]; then
  python3 bench/gen_bundle.py --plugin-mb "$RSS_MB" --failures scattered --out "$WORK/big.zip"
  echo "== zip with a $RSS_MB MB plugin log"
  /usr/bin/time -v "$dartdiag" --format json "$WORK/big.zip" > /dev/null 2> "$WORK/time.txt" || true
  printf '  wall %s, peak RSS %s MB  (target <= 64)\n' "$(awk '/Elapsed \(wall clock\)/ {print $NF}' "$WORK/time.txt")" \
    "$(awk -F: '/Maximum resident set size/ {printf "%.1f", $2 / 1024}' "$WORK/time.txt")"
  rm -f "$WORK/big.zip"
fi

# 4: fixed cost.
python3 bench/gen_bundle.py --plugin-mb 0.001 --eventlog-records 5 --other-entries 3 --out "$WORK/tiny.zip"
hyperfine --style none -N --warmup 5 --runs 100 --ignore-failure --export-json "$WORK/tiny.json" \
  "$dartdiag --format json $WORK/tiny.zip" "$dartdiag --version" > /dev/null
python3 - "$WORK/tiny.json" <<'PY'
import json, statistics, sys
r = json.load(open(sys.argv[1]))["results"]
print("== fixed cost per bundle: tiny bundle median %.2f ms (process start-up alone, --version: %.2f ms)  (target <= 5 ms)"
      % (statistics.median(r[0]["times"]) * 1e3, statistics.median(r[1]["times"]) * 1e3))
PY

# 5: batch.
if [[ "$BATCH" != 0 ]]; then
  python3 bench/gen_bundle.py --plugin-mb 0.05 --eventlog-records 100 --other-entries 20 --copies "$BATCH" --out "$WORK/queue"
  mapfile -t q < <(alternate "$dartdiag batch --quiet --jobs 1 $WORK/queue" "$dartdiag batch --quiet --jobs 2 $WORK/queue")
  printf '== batch of %s small bundles: --jobs 1 %.3f s, --jobs 2 %.3f s, speedup %sx  (target >= 1.8)\n' \
    "$BATCH" "${q[0]}" "${q[1]}" "$(ratio "${q[0]}" "${q[1]}")"
  rm -rf "$WORK/queue"
fi

# 6: instruction counts.
if [[ "$CALLGRIND" != 0 ]]; then
  python3 bench/gen_bundle.py --plugin-mb 20 --failures scattered --out "$WORK/c.zip"
  python3 bench/gen_bundle.py --plugin-mb 20 --failures scattered --out "$WORK/c"
  echo "== callgrind instructions, 20 MB plugin log"
  for binary in ${BEFORE:+"$BEFORE"} "$dartdiag"; do
    for input in "$WORK/c.zip" "$WORK/c"; do
      valgrind --tool=callgrind --callgrind-out-file="$WORK/cg.out" "$binary" --format json "$input" > /dev/null 2> "$WORK/cg.log" || true
      printf '  %-40s %-6s %15s Ir\n' "$binary" "$([[ -d $input ]] && echo folder || echo zip)" \
        "$(sed -n 's/.*Collected : //p' "$WORK/cg.log")"
    done
  done
fi

# 7: the template miner on a log where a fifth of the lines are unexplained WARN/ERROR lines
# (target: at most 10% of the analysis instructions), with BEFORE counted too when set.
if [[ "${MINER:-1}" != 0 ]]; then
  echo "== unexplained-warning template miner (bench/miner.sh)"
  SIZE_MB=20 CALLGRIND="$CALLGRIND" BUILD="$BUILD" BEFORE="${BEFORE:-}" bash bench/miner.sh
fi
