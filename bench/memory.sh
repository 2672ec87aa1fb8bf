#!/usr/bin/env bash
# Peak memory against log size: generates bundles with plugin logs of 10 MB, 100 MB and 1 GB
# (bench/gen_bundle.py, deterministic), runs an optimised dartdiag on each (zip and unzipped
# folder), and prints peak RSS from /usr/bin/time -v. Streaming means the figures stay flat.
#   bash bench/memory.sh [sizes in MB...]
set -euo pipefail
cd "$(dirname "$0")/.."
sizes=("$@")
[ ${#sizes[@]} -gt 0 ] || sizes=(10 100 1024)
build=build-release
cmake -S . -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Release -DDARTDIAG_TESTS=OFF >/dev/null
cmake --build "$build" --target dartdiag >/dev/null
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
printf '%-10s %-8s %12s %12s %14s\n' "log MB" "input" "wall s" "peak RSS MB" "exit code"
for mb in "${sizes[@]}"; do
  python3 bench/gen_bundle.py --plugin-mb "$mb" --failures scattered --out "$work/b$mb.zip"
  python3 bench/gen_bundle.py --plugin-mb "$mb" --failures scattered --out "$work/b$mb"
  for input in "$work/b$mb.zip" "$work/b$mb"; do
    kind=$([ -d "$input" ] && echo folder || echo zip)
    set +e
    /usr/bin/time -v "$build/dartdiag" --format json "$input" >/dev/null 2>"$work/time.txt"
    code=$?
    set -e
    rss=$(awk -F: '/Maximum resident set size/ {print $2/1024}' "$work/time.txt")
    wall=$(awk '/Elapsed \(wall clock\)/ {print $NF}' "$work/time.txt")
    printf '%-10s %-8s %12s %12.1f %14s\n' "$mb" "$kind" "$wall" "$rss" "$code"
  done
  rm -rf "$work/b$mb.zip" "$work/b$mb"
done
