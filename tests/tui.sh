#!/bin/bash
# tests/tui.sh: drive the real lockstep binary in tmux and read its screen.
#
# Each check types keys into a pane of a private tmux server and waits
# (polling capture-pane, up to $WAIT seconds) for the text the feature must
# put on screen, so a broken feature fails and a slow machine does not.
# The pane runs a plain shell; lockstep is typed into it, so every check
# can also see the shell get the terminal back.
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

# ---- not a terminal: exit status 2 and a message ----------------------------
out=$("$LOCKSTEP" counter-locked </dev/null 2>&1 >/dev/null); rc=$?
if [ "$rc" = 2 ] && printf '%s' "$out" | grep -q 'needs a terminal'; then
	ok "without a terminal: status 2 and a message"
else
	not_ok "without a terminal: status 2 and a message (got $rc: $out)"
fi

# ---- every bundled scenario opens paused at step 0 --------------------------
for f in "$SCENARIOS"/*.yaml; do
	name=$(basename "$f" .yaml)
	run "$LOCKSTEP" "$f"
	check "$name opens paused at step 0 with its panes" \
		wait_for 'step 0 +paused'
	if screen | grep -q 'Workers (' && screen | grep -q 'Shared objects' &&
	   screen | grep -q 'Page 1/'; then ok "$name shows workers, objects and lesson page 1"
	else not_ok "$name shows workers, objects and lesson page 1"; fi
	keys q
	check "$name: q gives the shell back, no process left" shell_back
	check "$name: q exits with status 0" wait_for 'LOCKSTEP-EXIT=0$'
done

# ---- stepping the counter ---------------------------------------------------
run "$LOCKSTEP" --seed=1 counter-locked
wait_for 'step 0 +paused'
check "counter starts at 100" wait_for 'count = 100 '
keys 1
check "1 steps worker work0: it takes the lock" wait_for 'lock +taken by work0'
keys 1 1
check "two more steps of work0: the counter changes to 99" wait_for 'count = 99 '
check "the header counts 3 steps" wait_for 'step 3 +paused'
check "the status line says what the step did" \
	wait_for 'Step 3: work0 wrote count = 99 \(register 100 -1\)'
keys 2 2
check "a refused step says why" wait_for 'work1 is blocked on lock'
keys b
check "b steps back one step" wait_for 'step 3 +paused'
keys b b
check "two more steps back undo the store: 100 again" \
	wait_all 'step 1 +paused' 'count = 100 ' 
keys Space
check "space steps once (the schedule picks)" wait_for 'step 2 +paused'
keys R
check "R restarts at step 0" wait_for 'step 0 +paused'
seed=$(screen | grep -o 'seed [0-9]*' | head -1)
keys n
check "n starts a new interleaving: the next seed, at step 0" \
	wait_all "seed $(( ${seed#seed } + 1 ))" 'step 0 +paused'
read_to_end
keys l
check "l shows the next lesson page" wait_for 'Page 2/'
keys L
check "L shows the previous lesson page" wait_for 'Page 1/'
keys +
check "+ doubles the speed (header)" wait_for '· 2x ·'
keys - -
check "- halves it" wait_for '· 1/2x ·'
keys q
shell_back

# ---- running to the end -----------------------------------------------------
run "$LOCKSTEP" --seed=3 --speed=512 counter-locked
wait_for 'step 0 +paused'
keys r
check "r runs counter-locked to finished" wait_for ' finished' 30
check "counter-locked ends with count 0 and no lost update" wait_for 'count = 0 intended 0 expect 0 lost 0'
check "the result panel shows when the run has ended" wait_for 'Result: finished'
keys q
shell_back

# ktv-rush's point is a peak (6 people in the rooms at once) that is gone
# by the end (inside = 0): the result panel must show it, on the screen.
run "$LOCKSTEP" --seed=3 --speed=512 ktv-rush
wait_for 'step 0 +paused'
keys r
check "ktv-rush's result shows the peak of 6 inside" wait_all 'Result: finished' 'inside += 0 .*highest 6'
check "the result says how many processes were started" wait_for 'processes +6 started'
keys q
shell_back

# ---- the lesson's words win the status line ---------------------------------
# A lost update on a Manager dict: the status line says the update was lost
# (the worker's own event), not only that the manager served the set.
run "$LOCKSTEP" --seed=1 --workers=2 manager
wait_for 'step 0 +paused'
keys 1 2 1
wait_for 'step 3 +paused'
keys 2
check "manager: the status line tells the lost update, not the manager's serving" \
	wait_for "Step 4: work1 wrote d\\['count'\\] = 1 .*lost"
keys q
shell_back

# A worker that stops with an error (a release too many) is not drawn as
# killed.
run "$LOCKSTEP" --seed=1 --speed=512 bounded-semaphore
wait_for 'step 0 +paused'
keys r
wait_for ' finished' 30
check "bounded-semaphore: the error exit says so, not killed" \
	wait_for 'buggy0 .*stopped with an error'
check "bounded-semaphore: no worker is counted as killed" eval '! screen | grep -q "[0-9] killed"'
keys q
shell_back

# ---- deadlock, the cycle, and killing a victim ------------------------------
run "$LOCKSTEP" --seed=1 --speed=512 deadlock
wait_for 'step 0 +paused'
keys r
check "deadlock runs into a deadlock (header)" wait_for ' deadlock *$' 30
check "the result panel says deadlock" wait_for 'Result: deadlock'
check "the cycle is drawn: worker -> lock -> worker" \
	wait_for 'DEADLOCK: Thread-[0-9] → mutex[AB] → Thread-[0-9] → mutex[AB] → Thread-[0-9]'
keys g
check "g shows the wait-for graph" wait_for 'Wait-for graph'
keys x
wait_gone 'Wait-for graph'
keys k
check "k kills the selected worker for real" wait_for 'Killed Thread-[0-9] \(pid [0-9]+\)'
check "k says what happens to its Lock: taken for ever, as in Python" \
	wait_for 'Thread-[0-9] took mutex[AB] and is killed: it stays taken for ever'
check "the killed worker is shown killed" wait_for '✗ Thread-[0-9] +[0-9]+ killed'
check "the run stays deadlocked: the dead worker's Lock is never given back" \
	wait_for ' deadlock *$'
keys q
shell_back

# ---- help, big digits -------------------------------------------------------
run "$LOCKSTEP" --seed=1 ktv
wait_for 'step 0 +paused'
# A click on user3's row (x 3, y 7, 1-based: header, title, column
# names, user0..user3), as an X10 mouse report: ESC [ M, then button,
# x and y, each + 32.
tm send-keys -t t -l $'\e[M #\'\e[M##\''
check "a mouse click picks a worker" wait_for 'Python · user3 is at line'
keys '?'
check "? shows the key help" wait_for 'Keys \(any key closes\)'
keys x
keys B
check "B shows big digits" wait_for '██'
check "big digits are labelled (rooms taken, of 4)" wait_for 'sem: taken \(of 4\)'
keys q
shell_back

# ---- schedules --------------------------------------------------------------
run "$LOCKSTEP" --seed=1 --schedule=random counter-locked
wait_for 'step 0 +paused'
keys s
check "s switches to round-robin" wait_for '· round-robin'
keys s
check "s switches to os: it runs by itself" wait_for '· os · .* (live|finished)'
keys Space
check "space in os says there is nothing to step" wait_for 'runs by itself'
keys q
shell_back

# ---- Chinese ----------------------------------------------------------------
run "$LOCKSTEP" --lang=zh counter-locked
check "--lang=zh shows the Chinese title" wait_for '共享计数器（加锁）'
check "--lang=zh shows the Chinese lesson page" wait_for '100 个进程'
check "--lang=zh: the key bar and the status line are Chinese" \
	wait_all '空格 单步 1-9 选进程 r 运行' '暂停在第 0 步'
keys q
shell_back
run "$LOCKSTEP" --lang=zh --seed=1 --speed=512 deadlock
wait_for '已暂停'
keys r
check "--lang=zh: the deadlock banner, state and result are Chinese" \
	wait_all '死锁： *Thread-' '死锁 *$' '结果：死锁'
keys q
shell_back

# ---- the lesson menu --------------------------------------------------------
run "$LOCKSTEP"
check "lockstep alone opens the lesson menu" wait_for 'Shared counter, with a lock'
check "the menu has sections" wait_all '^ +Data sharing$' '^ +Semaphore$'
keys End
check "End scrolls the menu to the last lesson" wait_gone '^ +Data sharing$'
keys Home
wait_for '^ +Data sharing$'
keys Down Enter
check "Enter opens the chosen lesson" wait_for 'step 0 +paused'
keys q
check "q comes back to the menu" wait_for 'pick a scenario'
keys q
check "q in the menu leaves" shell_back

# ---- resizing ---------------------------------------------------------------
run "$LOCKSTEP" --seed=1 ktv
wait_for 'step 0 +paused'
tm resize-window -t t -x 80 -y 24
check "at 80x24 the screen is redrawn" \
	wait_all 'Shared objects' 'step 0 +paused$' 'space Step'
check "at 80x24 the key bar keeps every key (on two rows)" \
	wait_all '^space Step 1-9 Pick r Run' 'R Restart' 'l Page' 'B Big' 'n New seed' 's Sched' '\+- Speed' 'q Quit'
# At 80x24 a page is longer than its pane: l reads on to its end, then
# turns the page, so every line of every page can be reached.
check "a page too long for 80x24 offers to read on" wait_for 'l: read on'
keys l
check "l scrolls the page" wait_for 'Page 1/[0-9]+, lines ([2-9]|[1-9][0-9])-'
check "l reaches the end of the page" read_to_end
keys l
check "then l turns to the next page" wait_for 'Page 2/'
keys L L
wait_for 'Page 1/'

tm resize-window -t t -x 70 -y 20
check "below 80x24: the enlarge message" wait_for 'enlarge the terminal to 80×24 \(now 70×20\)'
tm resize-window -t t -x 100 -y 30
check "enlarged again: the panes are back" wait_for 'Shared objects'
keys Space
check "keys still work after resizing" wait_for 'step 1 +paused'
keys q
shell_back
check "the terminal modes are restored after q" tty_sane

# ---- Ctrl-C -----------------------------------------------------------------
# lockstep dies of the SIGINT (after cleaning up), so the shell drops the
# rest of the command line, as for any program Ctrl-C ends: ask $? after.
keys "clear; $LOCKSTEP --seed=1 counter-locked" Enter
wait_for 'step 0 +paused'
keys C-c
wait_gone 'Shared objects'
keys 'echo LOCKSTEP-EXIT=$?' Enter
check "Ctrl-C leaves, no process left" shell_back
check "Ctrl-C: exit status 130 (128 + SIGINT)" wait_for 'LOCKSTEP-EXIT=130$'
check "the terminal modes are restored after Ctrl-C" tty_sane

# ---- SIGTERM, SIGHUP, a crash ----------------------------------------------
# lockstep_pid: the program itself (not a worker) running in the pane.
lockstep_pid() {
	local pid sid p
	pid=$(tm display-message -p -t t '#{pane_pid}')
	sid=$(ps -o sid= -p "$pid" | tr -d ' ')
	for p in $(pgrep -s "$sid" -f "$LOCKSTEP"); do
		[ "$(ps -o ppid= -p "$p" | tr -d ' ')" = "$pid" ] && { echo "$p"; return; }
	done
}
# The pane's modes, as tmux keeps them: keypad-transmit (smkx sets both
# flags), cursor visible, alternate screen.  A shell wants "0 0 1 0".
pane_modes() { tm display-message -p -t t '#{keypad_cursor_flag} #{keypad_flag} #{cursor_flag} #{alternate_on}'; }
modes_are() { [ "$(pane_modes)" = "$1" ]; }
for sig in TERM HUP SEGV ABRT BUS FPE; do
	run "$LOCKSTEP" --seed=1 ktv
	wait_for 'step 0 +paused'
	keys 1 2
	wait_for 'step 2 +paused'
	[ "$sig" = TERM ] && check "while it runs: keypad mode on, cursor hidden, alternate screen" \
		modes_are "1 1 0 1"
	kill -s "$sig" "$(lockstep_pid)" 2>/dev/null
	check "SIG$sig: lockstep leaves and no worker is left" shell_back
	check "SIG$sig: keypad mode off, cursor shown, alternate screen left" \
		modes_are "0 0 1 0"
	check "SIG$sig: the terminal modes are restored" tty_sane
	check "SIG$sig: the alternate screen is left" wait_gone 'Shared objects'
done

# ---- a lesson at rest costs nothing -----------------------------------------
# Paused, deadlocked or finished, the program sleeps in poll(): over a few
# seconds it uses (almost) no CPU and writes nothing.  The window is a
# measurement, not a synchronisation: a spinning loop burns hundreds of
# ticks in it and writes kilobytes.
cpu_ticks() { local st; st=$(cat "/proc/$1/stat") || return 1; st=${st##*) }
	set -- $st; echo $(( ${12} + ${13} )); }
written() { sed -n 's/^wchar: //p' "/proc/$1/io"; }
at_rest() {
	local what=$1 pid c0 w0 c1 w1
	pid=$(lockstep_pid)
	c0=$(cpu_ticks "$pid") w0=$(written "$pid")
	sleep 3
	c1=$(cpu_ticks "$pid") w1=$(written "$pid")
	if [ -n "$c1" ] && [ $((c1 - c0)) -le 15 ] && [ "$w1" = "$w0" ]; then
		ok "$what: at rest ($((c1 - c0)) ticks in 3 s, nothing written)"
	else
		not_ok "$what: at rest (got $((c1 - c0)) ticks in 3 s, $((w1 - w0)) bytes written)"
	fi
}
run "$LOCKSTEP" --seed=1 --speed=512 ktv
wait_for 'step 0 +paused'
at_rest "paused at step 0"
keys r
wait_for ' finished' 30
at_rest "ktv run to finished"
keys q
shell_back
run "$LOCKSTEP" --seed=1 --speed=512 deadlock
wait_for 'step 0 +paused'
keys r
wait_for ' deadlock *$' 30
at_rest "deadlock run into its deadlock"
keys q
shell_back
run "$LOCKSTEP" --schedule=os counter-locked
wait_for ' finished' 30
at_rest "counter-locked --schedule=os finished"
check "the os clock stopped when it finished" eval \
	'a=$(screen | grep -Eo " t [0-9.]+s " | head -1); [ -n "$a" ] && sleep 0.5 && [ "$(screen | grep -Eo " t [0-9.]+s " | head -1)" = "$a" ]'
keys q
shell_back

# ---- goals: listed, ticked the moment they are met, said in the status line --
run "$LOCKSTEP" --seed=1 --workers=3 counter-unlocked
wait_for 'step 0 +paused'
check "the goals pane lists the lesson's goals, none met" \
	wait_all 'Goals: 0 of 2 met' '\[ \] Lose exactly one update'
# work0 and work1 both read before either writes, then work2 alone: one lost.
for k in 1 2 1 2 3; do keys $k; done
wait_for 'step 5 '
check "not met before the run is over" wait_for '\[ \] Lose exactly one update'
keys 3
check "ticked the moment the run ends with the count at 1" \
	wait_all 'Goals: 2 of 2 met' '\[x\] \(step 6\) Lose exactly one update'
check "the status line says what the step did and which goal it met" \
	wait_for '^ Step 6: work2 wrote count = 1 .*Goal met: Lose exactly one update'
keys q
shell_back
run "$LOCKSTEP" --big --seed=1 --workers=3 counter-unlocked
wait_for 'step 0 +paused'
for k in 1 2 1 2 3 3; do keys $k; done
check "--big: a banner says the goal was met" wait_for '\*\*\* GOAL MET: Lose exactly one update'
keys q
shell_back

# ---- w: the run's choices to a replay file, and --replay in the UI -----------
# (by hand, another order than seed 4's own: work2 work0 work2)
rf=$(mktemp /tmp/lockstep-tui-XXXXXX)
run "$LOCKSTEP" --seed=4 --workers=3 --record="$rf" counter-unlocked
wait_for 'step 0 +paused'
keys 2
wait_for 'Step 1:'
keys 2
wait_for 'Step 2:'
keys 1
wait_for 'Step 3:'
keys w
check "w says where it wrote the run's choices" wait_for "Saved 3 steps to $rf"
keys q
shell_back
check "the file lists the steps picked by hand" \
	eval '[ "$(grep -v "^#" "$rf" | tr "\n" " ")" = "work1 work1 work0 " ]'
run "$LOCKSTEP" --replay="$rf"
wait_for 'step 0 +paused'
keys Space
check "space follows the replay file: step 1" wait_for 'Step 1: work1 '
keys Space
check "space follows the replay file: step 2" wait_for 'Step 2: work1 '
keys Space
check "space follows the replay file: step 3" wait_for 'Step 3: work0 '
keys q
shell_back
rm -f "$rf"

# ---- colours ----------------------------------------------------------------
colours() { tm capture-pane -e -p -t t | grep -Eq $'\e\\[([0-9;]*;)?(3[0-7]|4[0-7]|9[0-7]|38;5;[0-9]+)(;[0-9;]*)?m'; }
run "$LOCKSTEP" --seed=1 ktv
wait_for 'step 0 +paused'
check "the default theme uses colours" colours
keys q
shell_back
run NO_COLOR=1 "$LOCKSTEP" --seed=1 ktv
wait_for 'step 0 +paused'
check "NO_COLOR: no colour at all" eval '! colours'
check "NO_COLOR: states still have symbols" wait_for '^[1-9 ] [·z] user[0-9]+ '
keys q
shell_back

echo "1..$n"
[ "$failed" -eq 0 ]
