#!/bin/bash
# tests/limits.sh: runs that cannot set themselves up fail as errors, and
# runs that could block for ever end (issue 7, items 6, 7 and 8), through the
# real binary.
#
#  - Under `ulimit -n 10` (soft and hard) a 100-worker run is refused
#    before anything forks: exit 1 and one line on stderr, no summary.
#  - Under a soft limit of 10 with room in the hard one, the soft limit is
#    raised and the run happens (exit 0, finished).
#  - A run whose workers cannot set up their descriptors (the limit is
#    lowered from outside with prlimit while it forks 2000 workers) fails:
#    exit 1 with the workers' failure named, never "finished".  When the
#    prlimit lands after the forks, the check is skipped, not passed.
#  - A run whose allocations fail (tests/failalloc.so, preloaded) stops
#    with exit 1 and "out of memory for …", for the event log and for the
#    choices kept for step back (item 8): never a run that silently lost
#    what step back would replay.
#  - A sender that fills a real pipe while its receiver takes one item
#    ends under round-robin and random with --timeout=2: the sender waits
#    on the full pipe, a deadlock, or (on a slow machine) the timeout
#    comes first; it used to block in write() for ever, deaf to both.
#
# Each run has a hang guard (timeout -s KILL), never a measurement.
# Environment (make check exports them): LOCKSTEP, SCENARIOS, TESTDIR.
# Output: TAP (the plan comes last).

set -u
LOCKSTEP=${LOCKSTEP:-}
SCENARIOS=${SCENARIOS:-}
TESTDIR=${TESTDIR:-$(cd "$(dirname "$0")" && pwd)}
. "$TESTDIR/tap.sh"

tap_need_lockstep

tap_tmpdir limits
GUARD=60

# --- item 7: the descriptors a run needs ------------------------------------

(ulimit -n 10 && exec timeout -s KILL $GUARD "$LOCKSTEP" --headless --workers=100 \
	counter-locked) >"$TMP/out" 2>"$TMP/err"
st=$?
tap_is "ulimit -n 10, 100 workers: exit 1" "$st" 1
tap_is "ulimit -n 10: one line on stderr" "$(wc -l <"$TMP/err")" 1
if grep -q "open files" "$TMP/err" && grep -q "ulimit -n" "$TMP/err"; then
	tap_ok "ulimit -n 10: it says what is missing"
else
	tap_not_ok "ulimit -n 10: it says what is missing" "$(cat "$TMP/err")"
fi
tap_is "ulimit -n 10: no summary" "$(cat "$TMP/out")" ""

(ulimit -S -n 10 && exec timeout -s KILL $GUARD "$LOCKSTEP" --headless -q --workers=100 \
	counter-locked) >"$TMP/out" 2>"$TMP/err"
st=$?
tap_is "soft limit 10, room in the hard one: exit 0" "$st" 0
if grep -q "^  outcome *finished" "$TMP/out" && grep -q "100 finished, 0 died" "$TMP/out"; then
	tap_ok "soft limit 10: the limit is raised and the run happens"
else
	tap_not_ok "soft limit 10: the limit is raised and the run happens" "$(cat "$TMP/out" "$TMP/err")"
fi

# Workers that cannot set themselves up: the limit drops while they fork.
"$LOCKSTEP" --headless -q --workers=2000 counter-unlocked >"$TMP/out" 2>"$TMP/err" &
pid=$!
wait_until 10 test -s "/proc/$pid/task/$pid/children"
prlimit --pid "$pid" --nofile=5:5 2>/dev/null
(sleep $GUARD && kill -KILL "$pid" 2>/dev/null) &   # the hang guard
guard=$!
wait "$pid"
st=$?
kill "$guard" 2>/dev/null
if [ "$st" = 0 ] && grep -q "2000 finished, 0 died" "$TMP/out"; then
	tap_skip "workers that cannot set up fail the run" "the limit came after the forks"
elif [ "$st" = 1 ] && grep -q "could not set up its descriptors" "$TMP/err" &&
	! grep -q "finished" "$TMP/out"; then
	tap_ok "workers that cannot set up fail the run (exit 1, named)"
else
	tap_not_ok "workers that cannot set up fail the run" "exit $st" "$(cat "$TMP/err")" \
		"$(grep -E "outcome|processes" "$TMP/out")"
fi

# --- item 8: memory that runs out fails the run, loudly ----------------------
# A run that counts for ever keeps every choice for step back and an event
# log; tests/failalloc.so makes every allocation above a size fail, as on
# a machine out of memory.  At 1 MB the event log cannot grow; at 1.5 MB it
# fits and the choices (16 bytes a step) cannot grow past step 65536.
# Each run must stop with exit 1 and one line, never finish or time out as
# if nothing was lost (--timeout=20 is what a silent loss would reach).

cat >"$TMP/loop.yaml" <<'EOF'
lockstep: 1
id: loop
title: {en: Count for ever}
objects:
  - {name: count, type: value, initial: 0}
workers:
  - name: counter
    count: 2
    program:
      - {update: {value: count, add: 1}, label: again}
      - goto: again
EOF
if [ ! -e "${FAILALLOC:-}" ]; then
	tap_skip "memory that runs out fails the run" "FAILALLOC (tests/failalloc.so) is not built"
elif grep -q __asan_init "$LOCKSTEP"; then
	tap_skip "memory that runs out fails the run" "a sanitizer build keeps its own malloc"
else
	for case in "1000000 the event log" "1500000 step 65537's choice"; do
		limit=${case%% *} what=${case#* }
		LOCKSTEP_FAIL_OVER=$limit LD_PRELOAD=$FAILALLOC timeout -s KILL $GUARD "$LOCKSTEP" \
			--headless -q --schedule=round-robin --timeout=20 "$TMP/loop.yaml" \
			>"$TMP/out" 2>"$TMP/err"
		st=$?
		if [ "$st" = 1 ] && [ "$(wc -l <"$TMP/err")" = 1 ] &&
			grep -q "out of memory for $what" "$TMP/err" && ! grep -q outcome "$TMP/out"; then
			tap_ok "allocations over $limit bytes fail: exit 1, out of memory for $what"
		else
			tap_not_ok "allocations over $limit bytes fail the run" "exit $st" \
				"$(cat "$TMP/err")" "$(grep outcome "$TMP/out")"
		fi
	done
fi

# --- item 6: a full pipe is a wait ------------------------------------------

cat >"$TMP/fill.yaml" <<'EOF'
lockstep: 1
id: fill
title: {en: Fill a pipe}
objects:
  - {name: chan, type: pipe}
workers:
  - name: sender
    count: 1
    program:
      - {send: {pipe: chan, value: 7}, label: again}
      - goto: again
  - name: taker
    count: 1
    program:
      - recv: chan
EOF
for sched in round-robin random; do
	timeout -s KILL $GUARD "$LOCKSTEP" --headless -q --schedule=$sched --timeout=2 \
		"$TMP/fill.yaml" >"$TMP/out" 2>"$TMP/err"
	st=$?
	if [ "$st" = 0 ] && { grep -q "^  outcome *timeout" "$TMP/out" ||
		grep -q "sender0 waits for chan" "$TMP/out"; }; then
		tap_ok "$sched: a sender filling a pipe ends (deadlock, or --timeout on a busy machine)"
	else
		tap_not_ok "$sched: a sender on a full pipe waits" "exit $st (137: it hung)" \
			"$(cat "$TMP/out" "$TMP/err")"
	fi
done

tap_done
