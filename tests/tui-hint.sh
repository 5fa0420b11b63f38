#!/bin/bash
# tests/tui-hint.sh: the TUI's hint key (h, issue 11 item 5): in the
# deadlock lesson it names the shortest way on to the deadlock and selects
# its first worker (it was replayed on real processes first); stepping
# the hint's workers reaches the deadlock in
# that many steps; where nothing can go wrong it says so.
#
# Environment (make check exports them): LOCKSTEP, SCENARIOS, TMUX_BIN.
# Output: TAP.  On a failure the screen is printed as # comments.

set -u
LOCKSTEP=${LOCKSTEP:-}
SCENARIOS=${SCENARIOS:-}
TMUX_BIN=${TMUX_BIN:-}
WAIT=${WAIT:-10}

. "${TESTDIR:-$(dirname "$0")}/tmux.sh"

new_pane 200 40 || { echo "1..0 # SKIP cannot start tmux"; exit 0; }

run "$LOCKSTEP" --seed=3 deadlock
wait_for 'step 0 +paused'
keys h
check "h in the deadlock lesson names the shortest way to its deadlock (16 steps)" \
	wait_for 'Hint: one way to reach a deadlock in 16 steps from here: Thread-1 Thread-1'
# Step 9 times by hand with Enter (the selected worker), asking again each time.
for i in 1 2 3 4 5 6 7 8 9; do
	keys Enter
	wait_for "step $i +paused" >/dev/null
	keys h
done
check "after 9 of its steps, h says 7 are left, Thread-2 first" \
	wait_for 'Hint: one way to reach a deadlock in 7 steps from here: Thread-2'
for i in 10 11 12 13 14 15 16; do
	keys Enter
	wait_for "step $i " >/dev/null
	keys h
done
check "stepping the hint's workers reaches the deadlock at step 16" wait_for 'step 16 +deadlock'
keys q
shell_back

run "$LOCKSTEP" --seed=3 --workers=3 counter-unlocked
wait_for 'step 0 +paused'
keys h
check "h in counter-unlocked shows how to lose an update" \
	wait_for 'Hint: one way to lose an update in [0-9]+ steps from here: work'
keys q
shell_back

run "$LOCKSTEP" --seed=3 --workers=3 counter-locked
wait_for 'step 0 +paused'
keys h
check "h where nothing can go wrong says so" \
	wait_for 'Hint: from here no interleaving deadlocks or loses an update'
keys q
shell_back

echo "1..$n"
[ "$failed" -eq 0 ]
