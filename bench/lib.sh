# Shared by the benchmark scripts (sourced, not run): the work folder, the Release build, medians,
# alternating hyperfine rounds and the CPU-seconds of a run. Expects ROUNDS and RUNS set; sets WORK
# (a temporary folder, removed at exit, unless WORK is set) and dartdiag (the Release binary of BUILD).

if [[ -n "${WORK:-}" ]]; then
  mkdir -p "$WORK"
else
  WORK=$(mktemp -d)
  trap 'rm -rf "$WORK"' EXIT
fi

BUILD=${BUILD:-build-release}
cmake -S . -B "$BUILD" -G Ninja -DCMAKE_BUILD_TYPE=Release -DDARTDIAG_TESTS=OFF \
  $(command -v ccache > /dev/null && echo -DCMAKE_CXX_COMPILER_LAUNCHER=ccache) > /dev/null
cmake --build "$BUILD" --target dartdiag -j2 > /dev/null
dartdiag=$(realpath "$BUILD/dartdiag")

median() { sort -g | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2}'; }

# Runs the commands ($@) in ROUNDS hyperfine rounds of RUNS runs each (warmup 1), so drift on the
# machine hits them alike; prints one median in seconds per command, in order. --ignore-failure:
# dartdiag exits 1 when it finds a failure.
alternate() {
  local n=$#
  for ((i = 0; i < n; ++i)); do : > "$WORK/times.$i"; done
  for ((r = 0; r < ROUNDS; ++r)); do
    hyperfine --style none --warmup 1 --runs "$RUNS" --ignore-failure --export-json "$WORK/round.json" "$@" \
      > /dev/null 2> "$WORK/hyperfine.err" || { cat "$WORK/hyperfine.err" >&2; exit 1; }
    python3 - "$WORK/round.json" "$WORK/times" <<'PY'
import json, sys
for i, result in enumerate(json.load(open(sys.argv[1]))["results"]):
    with open("%s.%d" % (sys.argv[2], i), "a") as out:
        out.writelines("%f\n" % t for t in result["times"])
PY
  done
  for ((i = 0; i < n; ++i)); do median < "$WORK/times.$i"; done
}

# The log mixes of the sweeps (bench/sweep.sh, bench/memory_mix.sh): gen_bundle.py arguments per
# point, all with LF line ends but crlf.
declare -A mix_args=(
  [match-1]="--match-share 0.01"
  [match-15]="--match-share 0.15"
  [match-50]="--match-share 0.5"
  [match-90]="--match-share 0.9"
  [warn-unique]="--match-share 0.15 --warning-share 0.2 --unique-warnings"
  [clock-back]="--match-share 0.15 --clock-back"
  [clock-jitter]="--match-share 0.15 --clock-jitter 30"
  [crlf]="--match-share 0.15 --crlf"
)
ALL_POINTS="match-1 match-15 match-50 match-90 warn-unique clock-back clock-jitter crlf"

# User + system seconds of one run of a command (its words as arguments), from the child's rusage
# in microseconds (what `perf stat` calls task-clock). /usr/bin/time cuts user and system to 10 ms
# steps each, which read 5-10% low on runs of 0.05-0.3 s. The rusage before the run is taken off:
# the interpreter's own start may have run children.
cpu_of_run() {
  python3 -c '
import resource, subprocess, sys
before = resource.getrusage(resource.RUSAGE_CHILDREN)
subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
after = resource.getrusage(resource.RUSAGE_CHILDREN)
print(f"{after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime:.6f}")' "$@"
}
