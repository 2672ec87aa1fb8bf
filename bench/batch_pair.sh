#!/usr/bin/env bash
# Benchmark (not a test): `dartdiag batch --jobs 2` on bundles with large logs, against what two
# independent CPU-bound processes gain on the same machine, both measured in one run:
#   - batch: BUNDLES zips with a SIZE_MB plugin log each (bench/gen_bundle.py, seeds differ, so
#     no two are duplicates), `dartdiag batch --quiet --jobs 1` against `--jobs 2`;
#   - reference: the same number of `gzip -dc` of one plugin log (about as long as analysing one
#     bundle), one after the other against two lanes at once.
# Prints the medians, both speedups, and the share of the reference's gain that batch gets:
# (batch speedup - 1) / (reference speedup - 1), target >= 0.9.
#
#   bash bench/batch_pair.sh                        # BUNDLES=8 SIZE_MB=20 ROUNDS=3 RUNS=3
# Settings (environment): BUNDLES, SIZE_MB, ROUNDS, RUNS, BUILD (build-release), WORK. Needs
# python3, hyperfine, gzip and unzip. Run nothing else beside it.
set -euo pipefail
cd "$(dirname "$0")/.."
BUNDLES=${BUNDLES:-8}
SIZE_MB=${SIZE_MB:-20}
ROUNDS=${ROUNDS:-3}
RUNS=${RUNS:-3}
source bench/lib.sh  # WORK, the Release build ($dartdiag), median, alternate

python3 bench/gen_bundle.py --plugin-mb "$SIZE_MB" --match-share 0.5 --failures late --copies "$BUNDLES" \
  --out "$WORK/queue" > /dev/null
unzip -p "$WORK/queue/bundle-0000.zip" '*csccumbrellaplugin.txt' | gzip -c > "$WORK/log.gz"
half=$((BUNDLES / 2))
lane() { echo "for i in \$(seq $1); do gzip -dc $WORK/log.gz > /dev/null; done"; }

echo "machine: $(nproc) CPUs, load average $(cut -d' ' -f1-3 /proc/loadavg)"
echo "dartdiag: $dartdiag ($(git rev-parse --short HEAD)); $BUNDLES bundles of a $SIZE_MB MB plugin log; medians of $((ROUNDS * RUNS)) runs"
mapfile -t t < <(alternate "$dartdiag batch --quiet --jobs 1 $WORK/queue" "$dartdiag batch --quiet --jobs 2 $WORK/queue" \
  "bash -c '$(lane "$BUNDLES")'" "bash -c '($(lane "$half")) & ($(lane $((BUNDLES - half)))) & wait'")
python3 - "${t[@]}" <<'PY'
import sys
j1, j2, g1, g2 = map(float, sys.argv[1:5])
batch, ref = j1 / j2, g1 / g2
print("batch --jobs 1 %.3f s, --jobs 2 %.3f s: speedup %.2fx" % (j1, j2, batch))
print("gzip -dc one lane %.3f s, two lanes %.3f s: speedup %.2fx" % (g1, g2, ref))
print("batch gets %.0f%% of the reference's gain (target >= 90%%)" % (100 * (batch - 1) / (ref - 1) if ref > 1 else float("nan")))
PY
