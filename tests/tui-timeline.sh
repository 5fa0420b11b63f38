#!/bin/bash
# tests/tui-timeline.sh: the timeline view (t) and many runs (m) in the
# real terminal UI, driven through a private tmux server (tests/tmux.sh).
#
#  - t on the deadlock lesson, in the mono theme: the swimlanes replace the
#    panes, the run goes on under them (r), the cycle's two workers end in
#    '#' with what they hold and wait for, a legend says what the glyphs
#    mean; t again brings the panes back.
#  - With 100 workers the rows follow the selected worker (Down, PgDn),
#    and Left scrolls the steps back, End follows the newest again.
#  - m runs the lesson 100 times and the Result panel draws the histogram:
#    with a controlled schedule its rows are exactly what --runs=100 counts
#    from the same seed; under os its rows add up to 100 runs.  While 100
#    runs of 100 workers go, the panel shows their progress and the UI
#    answers: m stops them, q then quits, and no worker is left.
#
# Every wait polls the screen with a bound; nothing sleeps in place of a
# condition.  Environment (make check exports them): LOCKSTEP, SCENARIOS,
# TMUX_BIN.  Output: TAP (the plan comes last).

set -u
LOCKSTEP=${LOCKSTEP:-}
SCENARIOS=${SCENARIOS:-$(cd "$(dirname "$0")/../scenarios" && pwd)}
TMUX_BIN=${TMUX_BIN:-$(command -v tmux || true)}
WAIT=${WAIT:-15}
. "$(dirname "$0")/tmux.sh"

# --- the deadlock's cycle, in mono ------------------------------------------------
new_pane 80 24
run "$LOCKSTEP --theme=mono --seed=1 deadlock"
check "the lesson opens" wait_for 'step 0'
keys t
check "t shows the timeline instead of the panes" \
	eval "wait_for 'Timeline: a row per worker' && ! screen | grep -q 'Workers'"
keys r
check "the run goes on under it, to the deadlock" wait_for 'deadlock *$'
check "the cycle's workers end in '#' with what they hold and wait for" wait_all \
	'Thread-1 +[^ ]*#  in the cycle: holds mutexB, waits for mutexA' \
	'Thread-2 +[^ ]*#  in the cycle: holds mutexA, waits for mutexB'
check "a bar under Thread-2 says it holds mutexA" \
	eval "screen | grep -A1 '^ Thread-2 ' | sed -n 2p | grep -Eq '^ +a+ *$'"
check "the legend says what the glyphs mean" wait_all 'W must wait' 'a holds mutexA' \
	"# in the deadlock's cycle"
keys t
check "t again brings the panes back" \
	eval "wait_gone 'Timeline: a row per worker' && screen | grep -q 'Thread-1'"
keys q
check "q quits, no worker left" shell_back

# --- 100 workers: rows and steps scroll ---------------------------------------------
# The same pane: its shell has the terminal back.
run "$LOCKSTEP --seed=1 counter-unlocked"
check "counter-unlocked opens" wait_for 'step 0'
keys t
wait_for 'Timeline: a row per worker'
for i in $(seq 1 50); do keys Down; done
check "Down 50 times: work50 is selected, in sight" wait_for '^>work50 '
check "the rows scrolled: work0 is out of sight" eval "! screen | grep -q '^ work0 '"
keys NPage
check "PgDn: a page further down" eval "wait_gone '^>work50 ' && screen | grep -Eq '^>work(6|7)[0-9] '"
for i in $(seq 1 90); do keys Space; done
check "90 steps: the ruler follows the newest step" \
	eval "wait_for 'step 90 ' && screen | sed -n 3p | grep -Eq ' 80\$' && ! screen | sed -n 3p | grep -Eq '^ +0 '"
keys Left
check "Left: the steps scroll back" eval "wait_gone '^ +[0-9 ]* 80\$'"
keys Home
check "Home: the first steps" eval "wait_for '^ +0 +10 +20'"
keys End
check "End: the newest again" eval "wait_for ' 80\$' && ! screen | sed -n 3p | grep -Eq '^ +0 '"
keys q
check "q quits, no worker left" shell_back

# --- many runs (m) ------------------------------------------------------------------
# The histogram's rows on screen: "VALUE COUNT" for each "  VALUE  ###  COUNT".
rows_on_screen() {
	screen | sed -n 's/.*  \([0-9][0-9]*\)  #* *\([0-9][0-9]*\) *$/\1 \2/p' | sort -n
}
rows_want() {
	"$LOCKSTEP" "$@" | python3 -c 'import json, sys
for v, c in sorted(json.loads(sys.stdin.read())["values"]["count"].items(), key=lambda x: int(x[0])):
    print(v, c)'
}
run "$LOCKSTEP --seed=5 --workers=3 counter-unlocked"
check "counter-unlocked with 3 workers opens" wait_for 'step 0'
keys m
check "m: 100 runs, then the panel says they are done" wait_for 'Runs: 100, ' 60
got=$(rows_on_screen)
want=$(rows_want --runs=100 --json --seed=5 --workers=3 counter-unlocked)
if [ -n "$got" ] && [ "$got" = "$want" ]; then
	ok "the panel's histogram is what --runs=100 counts from the same seed"
else
	not_ok "the panel's histogram is what --runs=100 counts from the same seed"
	printf 'got:\n%s\nwant:\n%s\n' "$got" "$want" | sed 's/^/#   /'
fi
keys m
check "m again: the lesson's own panels are back" wait_gone 'Runs: 100, '
keys q
check "q quits, no worker left" shell_back

run "$LOCKSTEP --schedule=os --workers=5 counter-unlocked"
check "counter-unlocked under os opens" wait_for ' os '
keys m
check "os: 100 runs done" wait_for 'Runs: 100, ' 60
total=$(rows_on_screen | awk '{ n += $2 } END { print n + 0 }')
if [ "$total" = 100 ]; then ok "os: the rows add up to 100 runs"
else not_ok "os: the rows add up to 100 runs (got $total)"; fi
keys q
check "q quits, no worker left" shell_back

run "$LOCKSTEP --seed=1 counter-unlocked"
check "counter-unlocked with 100 workers opens" wait_for 'step 0'
keys m
check "100 runs of 100 workers: the panel shows how far they are" \
	wait_for 'Runs: [0-9]+ of 100, '
keys m
check "m stops them at once, what they gathered stays" \
	eval "wait_for 'Runs stopped after [0-9]+ of 100' 5 && screen | grep -Eq 'Runs: [0-9]+, '"
keys m
check "m closes the tally" wait_gone 'Runs: [0-9]+, '
keys m
wait_for 'Runs: [0-9]+ of 100, '
keys q
check "q while the runs go stops them, and does not quit" \
	eval "wait_for 'Runs stopped after [0-9]+ of 100' 5 && screen | grep -q 'Workers'"
keys q
check "q again quits, no worker left" shell_back

echo "1..$n"
[ "$failed" -eq 0 ]
