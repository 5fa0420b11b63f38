#!/bin/bash
# tests/parity.sh: lockstep against CPython itself.
#
# Each tests/parity/NAME.py is a small multiprocessing program that makes
# one claim about CPython (a Lock released by another process is fine; a
# killed Lock holder leaves it taken for ever; ...), and NAME.yaml is the
# same program as a lockstep scenario.  The system's python3 runs the
# program; lockstep runs the scenario headless (--json) under the
# schedules the file names (default: random and os).  Their verdicts must
# agree:
#   - the outcome: python exits = "finished", python hangs = "deadlock"
#     (tests/parity-run.py tells a hang: every process of the program
#     asleep, using no CPU, for 2 s in a row);
#   - the exception: the last "SomethingError: text" line python's
#     children print (or none) must be what lockstep's error quotes as
#     "(Python: SomethingError: text)" (or lockstep has no error);
#   - the values: each "value NAME=N" line python prints must be the
#     summary's "values" entry NAME.
# Comment lines at the top of NAME.yaml may add:
#   # lockstep-schedules: round-robin     the schedules to run (space list)
#   # lockstep-json: TEXT                 the JSON summary contains TEXT
#   # lockstep-says: TEXT                 the text trace (deadlock line) has TEXT
#
# The python programs run in the background (a few at a time) while
# lockstep runs its side.
#
# Environment (make check exports them): LOCKSTEP, TESTDIR.
# PYTHON (default python3); PARITY_ONLY (a glob: only the pairs whose
# name matches); PARITY_IDLE_S, PARITY_LIMIT_S, PARITY_JOBS (see
# tests/parity-run.py).

set -u
LOCKSTEP=${LOCKSTEP:-}
TESTDIR=${TESTDIR:-$(cd "$(dirname "$0")" && pwd)}
PYTHON=${PYTHON:-python3}
. "$TESTDIR/tap.sh"

tap_need_lockstep

tap_tmpdir parity

# Python's verdict, from its exit code, stderr and stdout.
py_verdict() {
	local name=$1 rc
	rc=$(cat "$TMP/$name.rc" 2>/dev/null)
	if [ "$rc" = hang ]; then
		echo "outcome=deadlock"
	else
		echo "outcome=finished"
	fi
	grep -E '^[A-Za-z_.]*(Error|Exception): ' "$TMP/$name.err" | tail -1 | sed 's/^/error=/'
	sed -n 's/^value \(.*\)=\(-\{0,1\}[0-9]*\)$/value \1=\2/p' "$TMP/$name.out"
}

# lockstep's verdict, for the names python printed values of.
ls_verdict() {
	local json=$1 pyv=$2
	"$PYTHON" - "$json" "$pyv" <<'EOF'
import json, re, sys
events, summary, crashes = [], None, 0
for line in open(sys.argv[1]):
    try:
        d = json.loads(line)
    except ValueError:
        continue
    if d.get("type") == "summary":
        summary = d
    elif d.get("event") == "error" and d.get("says", "").startswith("error"):
        # an op that failed (a crash op is a kill, not an exception)
        events.append(d.get("text", "?"))
    elif d.get("event") == "error":
        crashes += 1
if summary is None:
    print("outcome=none")
    sys.exit(0)
print("outcome=" + summary["outcome"])
for text in events[-1:]:
    m = re.search(r"\(Python: (.*)\)$", text)
    print("error=" + (m.group(1) if m else text))
# a worker that died neither by its crash op nor by a reported error
if summary["died"] > crashes + len(events):
    print("died=%d, unexplained" % (summary["died"] - crashes - len(events)))
for line in open(sys.argv[2]):
    m = re.match(r"value (.*)=", line)
    if m:
        print("value %s=%s" % (m.group(1), summary["values"].get(m.group(1))))
EOF
}

names=()
programs=()
for y in "$TESTDIR"/parity/*.yaml; do
	name=$(basename "$y" .yaml)
	[ -f "$TESTDIR/parity/$name.py" ] || continue
	# shellcheck disable=SC2053
	[[ $name == ${PARITY_ONLY:-*} ]] || continue
	names+=("$name")
	programs+=("$TESTDIR/parity/$name.py")
done
"$PYTHON" "$TESTDIR/parity-run.py" "$TMP" "${programs[@]}" &
BGPIDS+=($!)

for name in "${names[@]}"; do
	y="$TESTDIR/parity/$name.yaml"
	scheds=$(sed -n 's/^# lockstep-schedules: //p' "$y")
	[ -n "$scheds" ] || scheds="random os"
	for sched in $scheds; do
		timeout -s KILL 30 "$LOCKSTEP" --headless --json --schedule="$sched" --seed=1 \
			--speed=20 --timeout=20 "$y" >"$TMP/$name.$sched.json" 2>"$TMP/$name.$sched.stderr"
		grep -q '^# lockstep-says: ' "$y" &&
			timeout -s KILL 30 "$LOCKSTEP" --headless --schedule="$sched" --seed=1 \
				--speed=20 --timeout=20 "$y" >"$TMP/$name.$sched.txt" 2>&1
	done
done

wait "${BGPIDS[0]}"
BGPIDS=()

for name in "${names[@]}"; do
	y="$TESTDIR/parity/$name.yaml"
	py_verdict "$name" >"$TMP/$name.py.v"
	scheds=$(sed -n 's/^# lockstep-schedules: //p' "$y")
	[ -n "$scheds" ] || scheds="random os"
	for sched in $scheds; do
		ls_verdict "$TMP/$name.$sched.json" "$TMP/$name.py.v" >"$TMP/$name.$sched.v"
		if cmp -s "$TMP/$name.py.v" "$TMP/$name.$sched.v"; then
			tap_ok "$name ($sched): lockstep agrees with CPython: $(tr '\n' ' ' <"$TMP/$name.py.v")"
		else
			tap_not_ok "$name ($sched): lockstep disagrees with CPython" \
				"python:   $(tr '\n' ' ' <"$TMP/$name.py.v")" \
				"lockstep: $(tr '\n' ' ' <"$TMP/$name.$sched.v")" \
				"$(tail -5 "$TMP/$name.err")"
		fi
		while IFS= read -r want; do
			if grep -qF -- "$want" "$TMP/$name.$sched.json"; then
				tap_ok "$name ($sched): the summary says $want"
			else
				tap_not_ok "$name ($sched): the summary does not say $want" \
					"$(tail -1 "$TMP/$name.$sched.json")"
			fi
		done < <(sed -n 's/^# lockstep-json: //p' "$y")
		while IFS= read -r want; do
			if grep -qF -- "$want" "$TMP/$name.$sched.txt"; then
				tap_ok "$name ($sched): the trace says $want"
			else
				tap_not_ok "$name ($sched): the trace does not say $want" \
					"$(grep -i deadlock "$TMP/$name.$sched.txt" | tail -2)"
			fi
		done < <(sed -n 's/^# lockstep-says: //p' "$y")
	done
done

tap_done
