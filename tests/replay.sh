#!/bin/bash
# tests/replay.sh: saved interleavings, --record and --replay (issue 11,
# item 2), through the real binary.
#
#  - A recorded run replays to the same trace, pids aside, for several
#    lessons and both controlled schedules (with the file's own seed, and
#    for lessons without random sleeps with another seed too: then only
#    the file can make the trace the same), and under --switch.
#  - Hand-written files are followed: two orders of the same 3 workers end
#    with different counts; a file built by hand reaches the deadlock
#    lesson's deadlock, at the step the file says.
#  - When the file ends first, the schedule goes on from the seed: a
#    recording cut in half replays to the whole run.
#  - Every bad file of tests/replay/bad-*.replay gets the one line its
#    first line expects, and exit 2; an oversized file is refused at once.
#
# Environment (make check exports them): LOCKSTEP, SCENARIOS, TESTDIR.
# Output: TAP (the plan comes last).

set -u
LOCKSTEP=${LOCKSTEP:-}
SCENARIOS=${SCENARIOS:-}
TESTDIR=${TESTDIR:-$(cd "$(dirname "$0")" && pwd)}
. "$TESTDIR/tap.sh"

tap_need_lockstep
tap_tmpdir replay
GUARD=60
R=$TESTDIR/replay

# trace ARGS...: the headless trace with the pids and the summary's
# seed lines left out.
trace() {
	timeout -s KILL $GUARD "$LOCKSTEP" --headless "$@" |
		sed -e 's/pid [0-9]*/pid/' -e '/^  schedule /d' -e '/^  replay /d'
}

# --- record, then replay: the same trace ----------------------------------------
for run in "counter-unlocked --workers=4 --seed=3" "counter-locked --workers=3 --seed=8" \
           "deadlock --seed=1" "ktv --seed=2" "manager --workers=3 --seed=4" \
           "queue --seed=5" "event --seed=6" "ktv-rush --schedule=round-robin --seed=1" \
           "deadlock --schedule=round-robin" "counter-unlocked --workers=4 --seed=2 --switch=0.2"; do
	set -- $run
	f=$TMP/rec.replay
	rm -f "$f"
	trace "$@" --record="$f" >"$TMP/a"
	trace --replay="$f" >"$TMP/b"
	if [ -s "$f" ] && grep -qv '^#' "$f" && cmp -s "$TMP/a" "$TMP/b"; then
		tap_ok "$run: the recording replays to the same trace"
	else
		tap_not_ok "$run: the recording replays to the same trace" "$(diff "$TMP/a" "$TMP/b" | head -5)"
	fi
done
# Without random sleeps, a replay under another seed is the same run.
for run in "counter-unlocked --workers=5 --seed=3" "counter-locked --workers=4 --seed=2" "manager --workers=4 --seed=9"; do
	set -- $run
	trace "$@" --record="$TMP/rec.replay" >"$TMP/a"
	trace --replay="$TMP/rec.replay" --seed=123456 >"$TMP/b"
	trace "${@:1:$#-1}" --seed=123456 >"$TMP/c"
	if cmp -s "$TMP/a" "$TMP/b" && ! cmp -s "$TMP/a" "$TMP/c"; then
		tap_ok "$run: replayed under another seed, the file decides the trace"
	else
		tap_not_ok "$run: replayed under another seed, the file decides the trace" \
			"$(diff "$TMP/a" "$TMP/b" | head -5)"
	fi
done
# JSON traces too.
"$LOCKSTEP" --headless --json --seed=7 --record="$TMP/j.replay" deadlock |
	sed 's/"pid": *[0-9]*//; s/"value": *[0-9]*, "text": null, "kind": "start"//' >"$TMP/a"
"$LOCKSTEP" --headless --json --replay="$TMP/j.replay" deadlock |
	sed 's/"pid": *[0-9]*//; s/"value": *[0-9]*, "text": null, "kind": "start"//' >"$TMP/b"
tap_is "the JSON trace replays, line count" "$(wc -l <"$TMP/b")" "$(wc -l <"$TMP/a")"
# The replayed run's replay line names the file (checked below), so the
# summaries agree but for the --replay in it.
tap_is "the JSON summary replays" "$(tail -1 "$TMP/b" | sed 's| --replay=[^ "]*||')" "$(tail -1 "$TMP/a")"

# --- hand-written files ------------------------------------------------------
count() { python3 -c 'import json, sys; print(json.loads(sys.stdin.readlines()[-1])["values"]["count"])'; }
tap_is "counter-unlocked: three reads before any write lose two updates" \
	"$("$LOCKSTEP" --headless --json -q --replay="$R/lost-two.replay" | count)" 2
tap_is "counter-unlocked: one after another loses none" \
	"$("$LOCKSTEP" --headless --json -q --replay="$R/serial.replay" | count)" 0
for seed in 1 2 3; do
	out=$("$LOCKSTEP" --headless --seed=$seed --replay="$R/deadlock-by-hand.replay")
	rc=$?
	if [ $rc = 0 ] && printf '%s\n' "$out" | grep -q '^  outcome    deadlock after 16 steps' &&
	   printf '%s\n' "$out" | grep -q 'DEADLOCK: Thread-1 holds mutexB and waits for mutexA; Thread-2 holds mutexA and waits for mutexB'; then
		tap_ok "deadlock by hand (seed $seed): the file's cycle at its last step"
	else
		tap_not_ok "deadlock by hand (seed $seed): the file's cycle at its last step" "rc=$rc" \
			"$(printf '%s\n' "$out" | tail -12)"
	fi
done

# The summary's replay line names the file: run as it is, it reproduces the
# file's interleaving, not the seed's.
line=$("$LOCKSTEP" --headless -q --seed=9 --replay="$R/lost-two.replay" | sed -n 's/^  replay *//p')
case $line in
*" --replay=$R/lost-two.replay "*) tap_ok "a replayed run's replay line names its file" ;;
*) tap_not_ok "a replayed run's replay line names its file" "$line" ;;
esac
tap_is "... and running that line loses the file's two updates" \
	"$(eval "\"\$LOCKSTEP\" ${line#lockstep } --json" | count)" 2

# --- the file ends first: the schedule goes on from the seed ------------------
for run in "--seed=11 --workers=6" "--schedule=round-robin --workers=5" "--seed=4 --switch=0.3 --workers=5"; do
	trace $run --record="$TMP/full.replay" counter-unlocked >"$TMP/a"
	head -n $(( $(grep -c . "$TMP/full.replay") - 9 )) "$TMP/full.replay" >"$TMP/half.replay"
	trace --replay="$TMP/half.replay" >"$TMP/b"
	tap_check "$run: a recording cut short replays to the whole run (the schedule goes on)" \
		cmp -s "$TMP/a" "$TMP/b"
done
grep -qx '# switch: 0.3' "$TMP/full.replay"
tap_is "the header says the switch dial" $? 0

# --- bad files ---------------------------------------------------------------
for f in "$R"/bad-*.replay; do
	exp=$(sed -n '1s/^# expect: //p' "$f")
	want="$f:${exp%%: *}: error: ${exp#*: }"
	got=$(timeout -s KILL $GUARD "$LOCKSTEP" --headless -q --replay="$f" 2>&1 >/dev/null)
	rc=$?
	if [ "$got" = "$want" ] && [ $rc = 2 ]; then
		tap_ok "$(basename "$f"): one line, exit 2"
	else
		tap_not_ok "$(basename "$f"): one line, exit 2" "rc=$rc" "got:  $got" "want: $want"
	fi
done
head -c $((5 << 20)) /dev/zero | tr '\0' 'a' >"$TMP/big.replay"
got=$(timeout -s KILL $GUARD "$LOCKSTEP" --headless -q --replay="$TMP/big.replay" counter-unlocked 2>&1)
tap_is "a 5 MB file is refused before it is read" "$got" \
	"$TMP/big.replay:1:1: error: a replay file is at most 4194304 bytes; this one has 5242880"
mkfifo "$TMP/fifo"
got=$(timeout -s KILL $GUARD "$LOCKSTEP" --headless -q --replay="$TMP/fifo" counter-unlocked 2>&1)
tap_is "a FIFO is refused without blocking" "$got" "$TMP/fifo:1:1: error: not a regular file"
got=$("$LOCKSTEP" --headless --replay="$R/serial.replay" --schedule=os 2>&1)
tap_is "--replay under os: one line" "$got" \
	"lockstep: --replay: the os schedule cannot be recorded or replayed: the kernel decides (see lockstep --help)"
got=$("$LOCKSTEP" --runs=3 --record="$TMP/x" counter-unlocked 2>&1)
tap_is "--record with --runs: one line" "$got" \
	"lockstep: --record is one run: it does not go with --runs (see lockstep --help)"
printf 'work0\n' >"$TMP/noscenario.replay"
got=$("$LOCKSTEP" --headless --replay="$TMP/noscenario.replay" 2>&1)
tap_is "a file without a scenario needs one on the command line" "$got" \
	"lockstep: --replay needs a scenario: name one, or a '# scenario:' line in the file (see lockstep --help)"
got=$("$LOCKSTEP" --headless -q --seed=1 --record=/nonexistent/dir/x counter-unlocked 2>&1 >/dev/null)
tap_is "--record to a folder that is not there: exit 1, one line" "$? $got" \
	"1 lockstep: cannot write /nonexistent/dir/x: No such file or directory"

tap_done
