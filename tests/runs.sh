#!/bin/bash
# tests/runs.sh: --runs=N, many runs of one scenario and the spread of what
# they ended with (issue 11, item 4), through the real binary.
#
#  - The JSON line counts every run: the outcomes and each final value's
#    tally add up to N; a controlled schedule gives the same line for the
#    same first seed.
#  - Every value in the text histogram names a seed, and a single run with
#    that seed ends with that value: the table is made of real runs.
#  - Under os each run is a new one of the kernel's; a deadlock lesson
#    counts its deadlocks.
#  - A bad --runs is one line and exit 2; a stop signal ends the runs, what
#    was gathered is printed, the exit status is 128+N and no worker is
#    left; the progress bar appears on a terminal only.
#
# Environment (make check exports them): LOCKSTEP, SCENARIOS, TESTDIR.
# Output: TAP (the plan comes last).

set -u
LOCKSTEP=${LOCKSTEP:-}
SCENARIOS=${SCENARIOS:-}
TESTDIR=${TESTDIR:-$(cd "$(dirname "$0")" && pwd)}
. "$TESTDIR/tap.sh"

tap_need_lockstep
tap_tmpdir runs
GUARD=120

# --- the counts add up, and the same seed gives the same table ---------------
run1=$(timeout -s KILL $GUARD "$LOCKSTEP" --runs=30 --json --seed=11 --workers=3 counter-unlocked)
tap_is "30 runs: the JSON line says 30 runs" "$(field "$run1" 'j["type"], j["runs"]')" "('runs', 30)"
tap_is "30 runs: the outcomes add up to 30" "$(field "$run1" 'sum(j["outcomes"].values())')" 30
tap_is "30 runs: count's tally adds up to 30" "$(field "$run1" 'sum(j["values"]["count"].values())')" 30
tap_is "3 unlocked workers end with 0, 1 or 2 left" \
	"$(field "$run1" 'all(0 <= int(v) <= 2 for v in j["values"]["count"])')" True
run2=$(timeout -s KILL $GUARD "$LOCKSTEP" --runs=30 --json --seed=11 --workers=3 counter-unlocked)
tap_is "the same first seed gives the same line" "$run2" "$run1"

# --- each row's seed replays to that row's value ------------------------------
timeout -s KILL $GUARD "$LOCKSTEP" --runs=25 --seed=100 --workers=4 counter-unlocked >"$TMP/text"
rows=$(grep -c -- "--seed=" "$TMP/text")
if [ "$rows" -ge 1 ]; then
	tap_ok "the histogram has $rows rows, each with a seed"
else
	tap_not_ok "the histogram has rows with seeds" "$(cat "$TMP/text")"
fi
bad=""
while read -r value seed; do
	got=$("$LOCKSTEP" --headless -q --json --seed="$seed" --workers=4 counter-unlocked |
		python3 -c 'import json, sys; print(json.loads(sys.stdin.readline())["values"]["count"])')
	[ "$got" = "$value" ] || bad="$bad value $value: --seed=$seed ends at $got;"
done < <(sed -n 's/^ *\([0-9-]*\)  #* *[0-9]*  *first with --seed=\([0-9]*\)$/\1 \2/p' "$TMP/text")
tap_is "each row's --seed ends a single run at that row's value" "$bad" ""
total=$(awk '/--seed=/ { n += $3 } END { print n }' "$TMP/text")
tap_is "the rows count 25 runs" "$total" 25

# --- os, and a deadlock lesson ------------------------------------------------
os=$(timeout -s KILL $GUARD "$LOCKSTEP" --runs=20 --json --schedule=os counter-unlocked)
tap_is "os: 20 runs, every one finished" "$(field "$os" 'j["runs"], j["outcomes"]["finished"]')" "(20, 20)"
tap_is "os: count's tally adds up to 20" "$(field "$os" 'sum(j["values"]["count"].values())')" 20
dl=$(timeout -s KILL $GUARD "$LOCKSTEP" --runs=10 --json --seed=1 deadlock)
tap_is "deadlock: 10 runs, each a deadlock or finished" \
	"$(field "$dl" 'j["outcomes"]["deadlock"] + j["outcomes"]["finished"]')" 10
tap_is "deadlock: no values to tally" "$(field "$dl" 'j["values"]')" "{}"
"$LOCKSTEP" --runs=3 --seed=1 deadlock >"$TMP/text"
if grep -q "^  outcomes  .*deadlock [0-9]" "$TMP/text"; then
	tap_ok "deadlock: the text names the outcomes"
else
	tap_not_ok "deadlock: the text names the outcomes" "$(cat "$TMP/text")"
fi

# --- bad values ----------------------------------------------------------------
for v in 0 -1 100001 1e3 " 5" ""; do
	"$LOCKSTEP" --runs="$v" counter-unlocked >"$TMP/out" 2>"$TMP/err"
	st=$?
	if [ "$st" = 2 ] && [ "$(wc -l <"$TMP/err")" = 1 ] && [ ! -s "$TMP/out" ]; then
		tap_ok "--runs='$v': one line, exit 2"
	else
		tap_not_ok "--runs='$v': one line, exit 2" "exit $st" "$(cat "$TMP/err")"
	fi
done

# --- a stop signal ---------------------------------------------------------------
cp "$SCENARIOS/counter-unlocked.yaml" "$TMP/stop-me.yaml"
survivors() { pgrep -f -- "$TMP/stop-me.yaml" | grep -vx "${1:-0}" | tr '\n' ' '; }
"$LOCKSTEP" --runs=100000 "$TMP/stop-me.yaml" >"$TMP/out" 2>"$TMP/err" &
pid=$!
BGPIDS+=("$pid")
# Wait until a run's workers exist: the runs are under way.
wait_until 30 eval '[ -n "$(pgrep -P "$pid")" ]'
kill -INT "$pid"
wait_until 10 eval '! pid_alive "$pid"'
wait "$pid"
st=$?
tap_is "SIGINT during the runs: exit 130" "$st" 130
if grep -q "stopped after [0-9]* of 100000 runs" "$TMP/out"; then
	tap_ok "SIGINT: what was gathered is printed"
else
	tap_not_ok "SIGINT: what was gathered is printed" "$(cat "$TMP/out" "$TMP/err")"
fi
if wait_until 5 eval '[ -z "$(survivors)" ]'; then
	tap_ok "SIGINT: no worker is left"
else
	tap_not_ok "SIGINT: no worker is left" "$(survivors)"
fi

# --- the progress bar: on a terminal only ----------------------------------------
"$LOCKSTEP" --runs=5 --workers=3 counter-unlocked >/dev/null 2>"$TMP/err"
tap_is "stderr is a file: no progress bar" "$(cat "$TMP/err")" ""
if command -v script >/dev/null; then
	# The bar waits for the runs to take a second: let them go on until it
	# is drawn (or the guard ends), then stop them, rather than guess how
	# many runs take a second on this machine.
	cp "$SCENARIOS/counter-unlocked.yaml" "$TMP/bar-me.yaml"
	script -qec "'$LOCKSTEP' --runs=100000 '$TMP/bar-me.yaml' >'$TMP/out'" /dev/null >"$TMP/tty" &
	BGPIDS+=("$!")
	wait_until 60 eval 'grep -q "runs \[#*\.*\] [0-9]*/100000" "$TMP/tty"'
	pkill -INT -f -- "--runs=100000 $TMP/bar-me.yaml"
	wait_until 10 eval '! pgrep -f -- "$TMP/bar-me.yaml" >/dev/null'
	if grep -q "runs \[#*\.*\] [0-9]*/100000" "$TMP/tty" && grep -q "count: final value" "$TMP/out"; then
		tap_ok "on a terminal a progress bar is drawn on stderr"
	else
		tap_not_ok "on a terminal a progress bar is drawn on stderr" "$(od -c "$TMP/tty" | head -5)"
	fi
else
	tap_skip "on a terminal a progress bar is drawn on stderr" "script(1) is not installed"
fi

tap_done
