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

echo "1..$n"
[ "$failed" -eq 0 ]
