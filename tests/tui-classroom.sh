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
tm resize-window -t t -x 80 -y 24
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

# ---- the result on the screen -------------------------------------------------------
# The pages point at the panel the screen has, not at a summary it lacks.
said=$(cd "$SCENARIOS" && python3 -c '
import re, sys, glob
for f in sorted(glob.glob("*.yaml")):
    text = open(f, encoding="utf-8").read()
    pages = text[text.find("\npages:"):] if "\npages:" in text else ""
    pages = re.split(r"\n[a-z][a-z-]*:", pages[1:])[0]
    if re.search(r"\b[Tt]he\s+summary\b|总结", pages):
        print(f)')
check "no lesson page talks of \"the summary\": they name the Result panel" eval '[ -z "$said" ]'
# Headless first: the limit is in the summary and the JSON.
out=$("$LOCKSTEP" --headless -q --seed=3 ktv-rush)
check "ktv-rush's summary holds the highest inside against its limit of 4" \
	eval 'printf "%s" "$out" | grep -Eq "^  inside +.*, highest 6 \(limit 4: BROKEN\)$"'
out=$("$LOCKSTEP" --headless -q --json --seed=3 ktv-rush)
check "... and the JSON summary says \"limit\": {\"inside\": 4}" \
	eval 'printf "%s" "$out" | grep -q "\"highest\":{\"inside\":6},\"limit\":{\"inside\":4}"'
tm resize-window -t t -x 120 -y 40
for lang in en zh; do
	run "$LOCKSTEP" --lang=$lang --seed=3 --speed=512 ktv-rush
	wait_for 'step 0 +|第 0 步'
	keys r
	if [ $lang = en ]; then
		check "ktv-rush, en: the Result panel shows the peak of 6 against 4 rooms" \
			wait_all 'Result: finished' 'highest 6 \(limit 4:'
	else
		check "ktv-rush, zh: the Result panel shows the peak of 6 against 4 rooms" \
			wait_all '结果' '最高到过 6（上限 4'
	fi
	keys q
	shell_back
	for pool in pool pool-per-task; do
		n_started=$("$LOCKSTEP" --headless -q --json --seed=3 $pool |
			sed -n 's/.*"processes":\([0-9]*\).*/\1/p')
		run "$LOCKSTEP" --lang=$lang --seed=3 --speed=512 $pool
		wait_for 'step 0 +|第 0 步'
		keys r
		if [ $lang = en ]; then
			check "$pool, en: the Result panel says the $n_started processes started" \
				wait_all 'Result: finished' "processes +$n_started started"
		else
			check "$pool, zh: the Result panel says the $n_started processes started" \
				wait_all '结果' "进程 +启动 $n_started 个"
		fi
		keys q
		shell_back
	done
done

# ---- --big: the figures that matter, nothing dim, high contrast ------------------------
run "$LOCKSTEP" --big --seed=3 --speed=512 ktv-rush
wait_for 'step 0 +paused'
check "--big ktv-rush shows the highest inside against its limit" \
	wait_all '^  inside +inside: highest \(limit 4\)' '^  ██'
keys r
check "--big: at the end the figures are the result, and 6 is drawn" \
	wait_all 'Result: finished' '^  ██  ██ +██████$'
keys q
shell_back
run "$LOCKSTEP" --big --seed=3 counter-unlocked
wait_for 'step 0 +paused'
check "--big counter-unlocked shows the updates lost, not 'waiting'" \
	eval 'wait_for "count: updates lost" && ! screen | grep -q "^  .*waiting"'
keys q
shell_back
run "$LOCKSTEP" --big --seed=3 --speed=512 pool
wait_for 'step 0 +paused'
check "--big pool shows the scenario's own figures: processes started, seconds" \
	wait_all 'processes started +seconds \(virtual time\)'
keys q
shell_back
run "$LOCKSTEP" --big --seed=3 --speed=512 deadlock
wait_for 'step 0 +paused'
keys r
check "--big deadlock: DEADLOCK in block letters with the cycle" \
	wait_all 'deadlock: Thread-[0-9] → Thread-[0-9]' '^  ████    ██████    ██    ████    ██'
# The pane's colours and attributes (tmux capture-pane -e): SGR 2 is dim.
sgr_dim() {
	tm capture-pane -e -p -t t | python3 -c '
import re, sys
for m in re.finditer(r"\x1b\[([0-9;]*)m", sys.stdin.read()):
    p = m.group(1).split(";")
    i = 0
    while i < len(p):
        if p[i] in ("38", "48"):
            i += 3 if p[i + 1 : i + 2] == ["5"] else 5
            continue
        if p[i] == "2":
            sys.exit(0)
        i += 1
sys.exit(1)'
}
check "--big: nothing on the screen is dim" eval '! sgr_dim'
check "--big: the high-contrast scheme (a black background)" \
	eval 'tm capture-pane -e -p -t t | grep -q $'"'"'\e\[40m'"'"
keys q
shell_back
run "$LOCKSTEP" --seed=3 deadlock
wait_for 'step 0 +paused'
check "without --big the default scheme has dim text (so the check above can fail)" sgr_dim
keys q
shell_back

# ---- each worker's code in a column, with its own cursor ------------------------------
run "$LOCKSTEP" --seed=3 deadlock
wait_for 'step 0 +paused'
check "before c, one code pane" eval '! screen | grep -q "Thread-1 .*│2 z Thread-2"'
keys c
check "c: a column per worker, headed by its key, state and name" \
	wait_for '^1 z Thread-1 +│2 z Thread-2 +│3 z Thread-3 +│4 z Thread-4 +│5 z Thread-5'
check "... each with its own cursor at line 10 (mutexA.acquire)" \
	wait_for '^▸10 +mutexA\.acquire.*│▸10 .*│▸10 .*│▸10 .*│▸10 '
keys space space space
wait_for 'step 3 +paused'
check "three steps of Thread-1: its cursor alone moves on (line 13), the others stay at 10" \
	wait_all '^ 10 +mutexA.*│▸10 .*│▸10 .*│▸10 .*│▸10 ' '^▸13 +print'
keys c
check "c again: back to one code pane" wait_gone '│2 z Thread-2'
keys q
shell_back
run "$LOCKSTEP" --seed=3 ktv
wait_for 'step 0 +paused'
keys c
check "c with 13 workers says the columns are for 2 to 5" \
	wait_for 'Code columns are for 2 to 5 workers'
keys q
shell_back

# ---- lines wrap instead of being cut; at 80x24 every key and page is reachable -----------
tm resize-window -t t -x 120 -y 40
run "$LOCKSTEP" --seed=3 --speed=512 ktv-rush
wait_for 'step 0 +paused'
keys r
wait_for 'Result: finished'
check "the event log wraps a long event instead of cutting it: (walks out) is all there" \
	wait_for 'out\)"'
keys q
shell_back
tm resize-window -t t -x 80 -y 24
# The deadlock lesson without its goals, whose "Goal met" lines would take
# the status line from the deadlock's hint.
nogoals=$(mktemp -d "${TMPDIR:-/tmp}/lockstep-classroom.XXXXXX")
sed '/^goals:/,$d' "$SCENARIOS/deadlock.yaml" >"$nogoals/deadlock.yaml"
run "$LOCKSTEP" --seed=3 --speed=512 "$nogoals/deadlock.yaml"
wait_for 'step 0 +paused'
keys r
check "at 80x24 a long status line wraps onto a second row" \
	wait_all '^ Deadlock: k kills the selected worker' '^ wait-for graph$'
# Every key of the table's key bar, from the help (the table is one).
labels=$(python3 -c '
import re, sys
src = open(sys.argv[1], encoding="utf-8").read()
for name, bar in re.findall(r"\{ \{[^}]*\}, (?:N_\()?\"([^\"]*)\"\)?, N_\(\"([^\"]*)\"\)", src):
    print(name.split()[0], bar)' "${TESTDIR:-tests}/../src/tui_keytab.c")
missing=""
while read -r key label; do
	[ -n "$key" ] || continue
	screen | grep -qF -- "$key $label" || missing="$missing [$key $label]"
done <<<"$labels"
check "at 80x24 the key bar shows every key:${missing:- all there}" eval '[ -z "$missing" ] && [ -n "$labels" ]'
keys q
shell_back
run "$LOCKSTEP" --seed=3 counter-unlocked
wait_for 'step 0 +paused'
check "at 80x24 a page longer than its pane says l scrolls it" wait_for 'lines 1-[0-9]+ of [0-9]+ +l more'
shown=$(screen | grep -o 'lines 1-[0-9]* of [0-9]*')
keys l
check "... and l shows its next lines" wait_gone "$shown"
keys q
shell_back
tm resize-window -t t -x 100 -y 30

# The pipe lesson's "Try it" page: press 2 first, pong0 blocks on the
# empty ping_pipe; press 1 twice, ping0 sets n = 1 and sends it, and
# pong0 can go.
run "$LOCKSTEP" --seed=3 pipe
wait_for 'step 0 +paused'
keys 2
check "pipe: 2 steps pong0 first, and it blocks on the empty ping_pipe" \
	wait_for 'pong0 +[0-9]+ +blocked on ping_pipe'
keys 1
check "pipe: 1 steps ping0, which sets n = 1" wait_for 'ping0 register = 1'
keys 1
check "pipe: 1 again, and ping0 sends 1" wait_for 'ping0 .*sen(t|ds) 1|ping_pipe pipe \[1\]'
check "pipe: ... and pong0 can go" wait_for 'pong0 +[0-9]+ +ready'
keys q
shell_back

rm -rf "$nogoals"
echo "1..$n"
[ "$failed" -eq 0 ]
