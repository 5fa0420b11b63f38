#!/bin/bash
# tests/switch.sh: the switch dial, --switch=P (issue 9, item 5), through
# the real binary.
#
#  - A bad P is one line on stderr and exit 2.
#  - At P = 1 the random schedule is what it always was: the trace is the
#    one without --switch.  Below 1 the same seed gives another trace, and
#    the same seed and dial give the same trace twice.
#  - The summary (text and JSON) says the dial, the replay line carries
#    it, and running the replay line gives the same run.
#  - What the dial is for: over the same 100 seeds, 10 unlocked workers
#    lose far fewer updates at P = 0.1 than at P = 1, and fewer still at
#    0.01.  The seeds are fixed, so these counts are the same every time:
#    nothing here depends on timing.
#
# Environment (make check exports them): LOCKSTEP, SCENARIOS, TESTDIR.
# Output: TAP (the plan comes last).

set -u
LOCKSTEP=${LOCKSTEP:-}
SCENARIOS=${SCENARIOS:-}
TESTDIR=${TESTDIR:-$(cd "$(dirname "$0")" && pwd)}
. "$TESTDIR/tap.sh"

tap_need_lockstep
tap_tmpdir switch
GUARD=120

strip_pids() {
	sed -E 's/"pid":[0-9]+/"pid":_/g; s/\(pid [0-9]+\)/(pid _)/g;
		/"event":"start"/ s/"value":[0-9]+/"value":_/' "$1"
}

# run NAME ARGS...: stdout to $TMP/NAME.out, stderr to $TMP/NAME.err, $RC.
run() {
	local name=$1
	shift
	timeout -s KILL $GUARD "$LOCKSTEP" "$@" >"$TMP/$name.out" 2>"$TMP/$name.err"
	RC=$?
}

same() { cmp -s <(strip_pids "$TMP/$1.out") <(strip_pids "$TMP/$2.out"); }

# --- bad values ----------------------------------------------------------------
for bad in 0 0.0 -0.5 1.5 2 abc "" 0.1234567 1e-3 0x1 " 0.5" 0.5x; do
	run bad --headless -q --switch="$bad" counter-unlocked
	if [ "$RC" = 2 ] && [ "$(wc -l <"$TMP/bad.err")" = 1 ] &&
	   grep -q -- "--switch: '$bad' is not a number above 0 and at most 1" "$TMP/bad.err" &&
	   [ ! -s "$TMP/bad.out" ]; then
		tap_ok "--switch='$bad': one line and exit 2"
	else
		tap_not_ok "--switch='$bad': one line and exit 2" "exit $RC" "$(cat "$TMP/bad.err")"
	fi
done
for good in 1 1.0 .5 0.000001 0.25; do
	run good --headless -q --switch="$good" --workers=3 counter-unlocked
	tap_is "--switch=$good is taken" "$RC" 0
done

# --- the same seed and dial, the same trace -----------------------------------
run plain --headless --json --seed=7 counter-unlocked
run one --headless --json --seed=7 --switch=1 counter-unlocked
if [ "$RC" = 0 ] && same plain one; then
	tap_ok "--switch=1 is the random schedule as it always was"
else
	tap_not_ok "--switch=1 is the random schedule as it always was" \
		"$(diff <(strip_pids "$TMP/plain.out") <(strip_pids "$TMP/one.out") | head -5)"
fi
run low1 --headless --json --seed=7 --switch=0.1 counter-unlocked
run low2 --headless --json --seed=7 --switch=0.1 counter-unlocked
if [ "$RC" = 0 ] && [ -s "$TMP/low1.out" ] && same low1 low2; then
	tap_ok "--seed=7 --switch=0.1 twice: the same trace, pids aside"
else
	tap_not_ok "--seed=7 --switch=0.1 twice: the same trace" \
		"$(diff <(strip_pids "$TMP/low1.out") <(strip_pids "$TMP/low2.out") | head -5)"
fi
if ! cmp -s <(strip_pids "$TMP/plain.out" | head -n -1) <(strip_pids "$TMP/low1.out" | head -n -1); then
	tap_ok "--seed=7: the dial at 0.1 gives another trace than at 1"
else
	tap_not_ok "--seed=7: the dial at 0.1 gives another trace than at 1"
fi
# Below 1, the worker that ran last mostly runs on: count how often the
# next step's worker is the one before (workers end after 2 steps, so
# "the same" can only be the write after its own read).
runs_on() {
	python3 - "$TMP/$1.out" <<'PY'
import json, sys
ops = [e for e in map(json.loads, open(sys.argv[1])) if e.get("event") in ("load", "store")]
print(sum(1 for a, b in zip(ops, ops[1:]) if a["worker"] == b["worker"]))
PY
}
on_low=$(runs_on low1)
on_one=$(runs_on plain)
if [ "$on_low" -gt 80 ] && [ "$on_one" -lt 20 ]; then
	tap_ok "a read is followed by the same worker's write $on_low times in 100 at 0.1, $on_one at 1"
else
	tap_not_ok "a read is mostly followed by the same worker's write at 0.1" \
		"0.1: $on_low, 1: $on_one"
fi

# --- the summary says it, and its replay line replays it ------------------------
if python3 -c 'import json, sys; s = [json.loads(l) for l in open(sys.argv[1])][-1]
sys.exit(not (s["switch"] == 0.1 and "--switch=0.1 " in s["replay"]))' "$TMP/low1.out" &&
   python3 -c 'import json, sys; s = [json.loads(l) for l in open(sys.argv[1])][-1]
sys.exit(not (s["switch"] == 1 and "--switch" not in s["replay"]))' "$TMP/plain.out"; then
	tap_ok "JSON summary: \"switch\" is the dial, the replay carries it below 1"
else
	tap_not_ok "JSON summary: \"switch\" is the dial" "$(tail -n 1 "$TMP/low1.out" | cut -c1-300)"
fi
run text --headless --seed=9 --switch=0.05 --workers=20 counter-unlocked
replay=$(sed -n 's/^  replay  *//p' "$TMP/text.out")
if grep -q '^  schedule   random, seed 9, switch 0.05$' "$TMP/text.out" &&
   [ "$replay" = "lockstep --headless --schedule=random --seed=9 --switch=0.05 --workers=20 counter-unlocked" ]; then
	tap_ok "text summary: the schedule line and the replay line say switch 0.05"
else
	tap_not_ok "text summary says the dial" "$(tail -n 6 "$TMP/text.out")"
fi
# shellcheck disable=SC2086
run again ${replay#lockstep }
if [ "$RC" = 0 ] && same text again; then
	tap_ok "the replay line gives the same run again"
else
	tap_not_ok "the replay line gives the same run again" \
		"$(diff <(strip_pids "$TMP/text.out") <(strip_pids "$TMP/again.out") | head -5)"
fi

# --- what it is for: lost updates become rare ----------------------------------
# mean_lost P: the mean final count (= updates lost) over seeds 1..100.
mean_lost() {
	timeout -s KILL $GUARD "$LOCKSTEP" --runs=100 --json --seed=1 --workers=10 \
		--switch="$1" counter-unlocked |
	python3 -c 'import json, sys
v = json.loads(sys.stdin.read())["values"]["count"]
print("%.2f %d" % (sum(int(k) * n for k, n in v.items()) / sum(v.values()), v.get("0", 0)))'
}
read -r at1 zero1 < <(mean_lost 1)
read -r at01 zero01 < <(mean_lost 0.1)
read -r at001 zero001 < <(mean_lost 0.01)
tap_diag "10 workers, seeds 1..100: mean updates lost $at1 at P=1 ($zero1 runs lose none)," \
	"$at01 at P=0.1 ($zero01 lose none), $at001 at P=0.01 ($zero001 lose none)"
if python3 -c 'import sys; a, b, c = map(float, sys.argv[1:]); sys.exit(not (b * 2.5 < a and c < b))' \
	"$at1" "$at01" "$at001"; then
	tap_ok "fewer lost updates as the dial goes down: $at1 at 1, $at01 at 0.1, $at001 at 0.01"
else
	tap_not_ok "fewer lost updates as the dial goes down" "$at1 $at01 $at001"
fi
if [ "$zero1" -lt 5 ] && [ "$zero01" -gt 30 ]; then
	tap_ok "runs that lose nothing: $zero1 of 100 at 1, $zero01 at 0.1"
else
	tap_not_ok "runs that lose nothing: few at 1, many at 0.1" "$zero1 $zero01"
fi
run runs --runs=5 --seed=3 --switch=0.2 --workers=3 counter-unlocked
if grep -q '^  switch     0.2 ' "$TMP/runs.out" && grep -q 'first with --seed=[0-9]* --switch=0.2$' "$TMP/runs.out"; then
	tap_ok "--runs says the dial, and each row's hint carries it"
else
	tap_not_ok "--runs says the dial" "$(cat "$TMP/runs.out")"
fi

tap_done
