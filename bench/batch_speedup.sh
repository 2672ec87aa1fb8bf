#!/usr/bin/env bash
# Benchmark (not a test): the speedup of `dartdiag batch --jobs 2` over `--jobs 1`.
# Generates small DART bundles (a plugin log and an event log each, a verdict in every third)
# into a temporary folder, then times both job counts alternately: with hyperfine when it is
# installed, else with a plain loop. Prints the medians and the ratio. Figures: docs/scaling.md.
#
#   bench/batch_speedup.sh [DARTDIAG] [BUNDLES] [LINES_PER_LOG] [RUNS]
#   defaults: build/dartdiag 200 4000 10
set -euo pipefail

dartdiag=$(realpath "${1:-build/dartdiag}")
bundles=${2:-200}
lines=${3:-4000}
runs=${4:-10}
[[ -x "$dartdiag" ]] || { echo "no dartdiag binary at $dartdiag (build first)" >&2; exit 2; }

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

python3 - "$work/queue" "$bundles" "$lines" <<'PY'
import os, sys, zipfile
out, bundles, lines = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
os.makedirs(out)
probe = ("{t} [8880] [DEBUG] < 12> Dns Protection IPv4 State Machine: checking reachability of primary OpenDNS "
         "resolver candidates using port {p} (candidates are 208.67.222.222, 208.67.220.220) \n")
reject = "{t} [8880] [DEBUG] < 12> Dns Protection IPv4 State Machine: rejected all candidate resolvers for port 53\n"
for b in range(bundles):
    plugin = ["2024-08-27 03:07:40 [8880] [INFO] < 1> Umbrella Plugin: plugin started, version 5.1.4.74 \n"]
    for i in range(lines):
        t = "2024-08-27 %02d:%02d:%02d" % (4 + i // 3600 % 20, i // 60 % 60, i % 60)
        plugin.append(probe.format(t=t, p=443 if i % 2 else 53))
    if b % 3 == 0:
        plugin.append(reject.format(t="2024-08-27 23:59:59"))
    events = []
    for i in range(lines // 8):
        events.append("Date : 08/27/2024 \nTime : 06:%02d:%02d \nType : Information \nSource : csc_swgagent \n \n"
                      "Description : INFO | Thread 27cc | SWG agent heartbeat %d. \n \n" % (i // 60 % 60, i % 60, i))
    name = os.path.join(out, "ticket-%04d.zip" % b)
    with zipfile.ZipFile(name, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("Cisco Secure Client/Umbrella/csccumbrellaplugin.txt", "".join(plugin))
        z.writestr("Cisco Secure Client/Umbrella/Umbrella.txt", "".join(events))
        z.writestr("System/systeminfo.txt", "ticket %d\n" % b)
PY

size=$(du -sh "$work/queue" | cut -f1)
echo "bundles: $bundles zips ($size) in $work/queue, $lines plugin lines each; $(nproc) CPUs"
"$dartdiag" batch --jobs 1 --quiet "$work/queue" > /dev/null || true  # warm the page cache

: > "$work/1"
: > "$work/2"
median() { sort -n | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2}'; }

if command -v hyperfine > /dev/null; then
  # One hyperfine round per pair, --jobs 1 then --jobs 2, so drift on the machine hits both alike.
  for ((i = 0; i < runs; ++i)); do
    hyperfine --style none --runs 1 -N --ignore-failure --export-json "$work/round.json" \
      "$dartdiag batch --jobs 1 --quiet $work/queue" "$dartdiag batch --jobs 2 --quiet $work/queue" \
      > /dev/null 2> >(grep -v -e 'Ignoring non-zero exit code' -e '^ *$' >&2)  # exit 1: findings
    python3 -c '
import json, sys
r = json.load(open(sys.argv[1]))["results"]
open(sys.argv[2], "a").write("%f\n" % r[0]["times"][0]); open(sys.argv[3], "a").write("%f\n" % r[1]["times"][0])' \
      "$work/round.json" "$work/1" "$work/2"
  done
  tool=hyperfine
else
  for ((i = 0; i < runs; ++i)); do  # alternate, so drift hits both alike
    for j in 1 2; do
      start=$(date +%s.%N)
      "$dartdiag" batch --jobs "$j" --quiet "$work/queue" > /dev/null || true
      python3 -c 'import sys; print(float(sys.argv[1]) - float(sys.argv[2]))' "$(date +%s.%N)" "$start" >> "$work/$j"
    done
  done
  tool=loop
fi
one=$(median < "$work/1")
two=$(median < "$work/2")
ratio=$(python3 -c 'import sys; print(float(sys.argv[1]) / float(sys.argv[2]))' "$one" "$two")
printf 'median of %d alternating runs (%s): --jobs 1 %.3f s, --jobs 2 %.3f s, speedup %.2fx\n' \
  "$runs" "$tool" "$one" "$two" "$ratio"
