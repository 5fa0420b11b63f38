#!/bin/sh
# bench/run.sh: time lockstep against the lesson's Python and a bare
# fork/wait.  A benchmark, not a test: it prints numbers and whether the
# targets were met, and exits 0 either way (non-zero only when something
# could not run at all).
#
# Usage: bench/run.sh [BUILD_DIR]
#   lockstep is $LOCKSTEP, else BUILD_DIR/src/lockstep, else ./src/lockstep.
#   REPEAT (default 5): runs of each command; the best one counts.
#   SIZES (default "100 1000"): the worker counts.
#   CC (default cc): the compiler for bench/forkwait.c.
#   PYTHON (default python3).
#
# Measured, for each N:
#   lockstep --headless counter-locked --workers=N --schedule=os
#   lockstep --headless counter-locked --workers=N      (default schedule)
#   python3 bench/manager_counter.py N                  (the lesson's program)
#   forkwait N                                          (fork N, wait N)
# Targets: N=100: lockstep >= 50x faster than Python and <= 2x forkwait;
#          N=1000: lockstep <= 3x forkwait.
set -eu

here=$(cd "$(dirname "$0")" && pwd)
srcdir=$(dirname "$here")
REPEAT=${REPEAT:-5}
SIZES=${SIZES:-"100 1000"}
CC=${CC:-cc}
PYTHON=${PYTHON:-python3}

if [ -n "${LOCKSTEP:-}" ]; then
	lockstep=$LOCKSTEP
elif [ $# -ge 1 ]; then
	lockstep=$1/src/lockstep
else
	lockstep=./src/lockstep
fi
if [ ! -x "$lockstep" ]; then
	echo "run.sh: no lockstep at '$lockstep': build it, then give the build" \
	     "directory as \$1 or the program as \$LOCKSTEP" >&2
	exit 2
fi
lockstep=$(cd "$(dirname "$lockstep")" && pwd)/$(basename "$lockstep")

# The scenario from this source tree when there is one, else by name.
scenario=$srcdir/scenarios/counter-locked.yaml
[ -f "$scenario" ] || scenario=counter-locked

tmp=$(mktemp -d "${TMPDIR:-/tmp}/lockstep-bench.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
trap 'exit 130' INT TERM
$CC -O2 -o "$tmp/forkwait" "$here/forkwait.c"

# best_ms CMD...: run CMD $REPEAT times (stdout to /dev/null) and print the
# best wall-clock time in milliseconds.  A failing run stops the benchmark.
best_ms() {
	"$PYTHON" - "$REPEAT" "$@" <<'PY'
import subprocess, sys, time
repeat, cmd = int(sys.argv[1]), sys.argv[2:]
best = None
for _ in range(repeat):
    t0 = time.perf_counter()
    r = subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    t = (time.perf_counter() - t0) * 1000.0
    if r.returncode != 0:
        sys.stderr.write("run.sh: %s exited with %d\n%s"
                         % (" ".join(cmd), r.returncode, r.stderr.decode(errors="replace")))
        sys.exit(1)
    best = t if best is None else min(best, t)
print("%.1f" % best)
PY
}

# row N LABEL MS PY_MS FW_MS TARGET
row() {
	awk -v n="$1" -v label="$2" -v ms="$3" -v py="$4" -v fw="$5" -v target="$6" 'BEGIN {
		vs_py = "-"; vs_fw = "-"; verdict = "";
		if (py != "") vs_py = sprintf("%.4f (%.0fx faster)", ms / py, py / ms);
		if (fw != "") vs_fw = sprintf("%.2f", ms / fw);
		if (target == "100")
			verdict = (py / ms >= 50 && ms / fw <= 2) ? "met" : "MISSED";
		else if (target == "1000")
			verdict = (ms / fw <= 3) ? "met" : "MISSED";
		line = sprintf("%6s  %-24s %10.1f  %-24s %-17s %s", n, label, ms, vs_py, vs_fw, verdict);
		sub(/ +$/, "", line);
		print line;
	}'
}

echo "lockstep: $lockstep"
echo "scenario: $scenario"
echo "python:   $("$PYTHON" --version 2>&1)"
echo "host:     $(uname -srm), $(getconf _NPROCESSORS_ONLN 2>/dev/null || echo '?') CPUs"
echo "best of $REPEAT runs each, wall-clock milliseconds"
echo
printf "%6s  %-24s %10s  %-24s %-17s %s\n" N run ms lockstep/python lockstep/forkwait target
for n in $SIZES; do
	os=$(best_ms "$lockstep" --headless "$scenario" --workers="$n" --schedule=os)
	rnd=$(best_ms "$lockstep" --headless "$scenario" --workers="$n")
	py=$(best_ms "$PYTHON" "$here/manager_counter.py" "$n")
	fw=$(best_ms "$tmp/forkwait" "$n")
	target=
	case $n in 100|1000) target=$n ;; esac
	row "$n" "lockstep --schedule=os" "$os" "$py" "$fw" "$target"
	row "$n" "lockstep (default)" "$rnd" "$py" "$fw" "$target"
	row "$n" "python3 manager_counter" "$py" "" "" ""
	row "$n" "forkwait" "$fw" "" "" ""
done
echo
echo "targets: 100 workers: lockstep >= 50x faster than python and <= 2x forkwait;"
echo "         1000 workers: lockstep <= 3x forkwait"
