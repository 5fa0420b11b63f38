#!/bin/bash
# tests/cli.sh: the real lockstep binary, from the command line.
#
# Runs the bundled scenarios headless and reads the JSON lines they print
# (with python3), checks every usage error's exit status and message, and
# sends real signals to a real run to see that no worker process outlives
# the controller.  Waits poll a condition up to a generous deadline
# (tests/tap.sh: wait_until); no check passes or fails on time.
#
# Environment (make check exports them): LOCKSTEP, SCENARIOS, TESTDIR.
# Output: TAP (the plan comes last).

set -u
LOCKSTEP=${LOCKSTEP:-}
SCENARIOS=${SCENARIOS:-}
TESTDIR=${TESTDIR:-$(cd "$(dirname "$0")" && pwd)}
. "$TESTDIR/tap.sh"

tap_need_lockstep

# LOCKSTEP_QUICK=1 (make check-fast) skips the few checks that take many
# seconds each (thousands of processes, a load slowed down on purpose);
# make check runs them all.
slow_ok() { [ -z "${LOCKSTEP_QUICK:-}" ]; }

TMP=$(mktemp -d "${TMPDIR:-/tmp}/lockstep-cli.XXXXXX")
BG=""   # a background lockstep still to clean up on an early exit
cleanup() {
	[ "$BASHPID" = "$$" ] || return 0   # not in a subshell: see tap_cleanup
	[ -n "$BG" ] && kill -KILL "$BG" 2>/dev/null
	rm -rf "$TMP"
}
trap cleanup EXIT
trap 'exit 1' INT TERM HUP

# The bundled scenario ids, from the files themselves.
IDS=()
for f in "$SCENARIOS"/*.yaml; do
	IDS+=("$(sed -n 's/^id: *//p' "$f" | head -1)")
done

# ---- helpers ------------------------------------------------------------------

# run NAME ARGS...: run lockstep, stdout to $TMP/NAME.out, stderr to
# $TMP/NAME.err; the exit status in $RC.
run() {
	local name=$1
	shift
	"$LOCKSTEP" "$@" >"$TMP/$name.out" 2>"$TMP/$name.err"
	RC=$?
}

# json NAME EXPR: evaluate a Python expression over the JSON lines of
# $TMP/NAME.out: `lines` is every line parsed, `s` the last (the summary),
# `ev` the events.  True when every line is JSON and EXPR holds.
json() {
	python3 - "$TMP/$1.out" "$2" <<'EOF'
import json, sys
lines = [json.loads(l) for l in open(sys.argv[1], encoding="utf-8") if l.strip()]
s = lines[-1]
ev = lines[:-1]
assert s["type"] == "summary", "the last line is not the summary"
assert all(e["type"] == "event" for e in ev), "a line before the summary is not an event"
sys.exit(0 if eval("(" + sys.argv[2] + "\n)") else 1)
EOF
}

# check_json DESC NAME EXPR: one TAP line; the summary as diagnostics on failure.
check_json() {
	if [ "$RC" = 0 ] && json "$2" "$3" 2>"$TMP/py.err"; then
		tap_ok "$1"
	else
		tap_not_ok "$1" "exit status $RC; expected: $3" \
			"summary: $(tail -n 1 "$TMP/$2.out")" \
			"stderr: $(head -c 500 "$TMP/$2.err")" "$(cat "$TMP/py.err")"
	fi
}

# A run's output with the process ids taken out (they differ every time).
strip_pids() {
	sed -E 's/"pid":[0-9]+/"pid":_/g; s/\(pid [0-9]+\)/(pid _)/g;
		/"event":"start"/ s/"value":[0-9]+/"value":_/' "$1"
}

# The worker pids of a JSON trace (its "start" events).
start_pids() {
	python3 - "$1" <<'EOF'
import json, sys
for l in open(sys.argv[1], encoding="utf-8"):
    if l.strip():
        e = json.loads(l)
        if e.get("event") == "start":
            print(e["pid"])
EOF
}

# usage_error DESC ARGS...: exit status 2, and exactly one line on stderr
# says what is wrong; nothing on stdout.
usage_error() {
	local desc=$1
	shift
	run usage "$@"
	local lines
	lines=$(wc -l <"$TMP/usage.err")
	if [ "$RC" = 2 ] && [ "$lines" = 1 ] && ! [ -s "$TMP/usage.out" ]; then
		tap_ok "$desc: exit 2, one line: $(cat "$TMP/usage.err")"
	else
		tap_not_ok "$desc" "lockstep $*" "exit status $RC (want 2), $lines stderr lines (want 1)" \
			"stderr:" "$(cat "$TMP/usage.err")" "stdout: $(head -c 300 "$TMP/usage.out")"
	fi
}

write() { cat >"$TMP/$1"; }

# ---- runs of the bundled scenarios ---------------------------------------------

run locked --headless --json "$SCENARIOS/counter-locked.yaml"
check_json "counter-locked (random): finished, count 0, lock peak 1, 100 workers" locked \
	's["outcome"] == "finished" and s["values"]["count"] == 0 and s["peak"]["lock"] == 1
	 and s["workers"] == 100 and s["finished"] == 100 and s["died"] == 0 and s["steps"] > 0
	 and s["lost"]["count"] == 0 and s["schedule"] == "random" and s["deadlock"] == []'
check_json "counter-locked trace: 100 starts, 100 acquires, 100 exits, pids" locked \
	'sum(e["event"] == "start" for e in ev) == 100 and sum(e["event"] == "acquired" for e in ev) == 100
	 and sum(e["event"] == "exit" for e in ev) == 100
	 and all(e["pid"] > 0 for e in ev if e["event"] == "start")'

run locked-os --headless --json --schedule=os counter-locked
check_json "counter-locked --schedule=os: finished, count 0, lock peak 1" locked-os \
	's["outcome"] == "finished" and s["values"]["count"] == 0 and s["peak"]["lock"] == 1
	 and s["workers"] == 100 and s["finished"] == 100 and s["steps"] > 0 and s["schedule"] == "os"'

run locked-rr --headless --json --schedule=round-robin counter-locked
check_json "counter-locked --schedule=round-robin: finished, count 0" locked-rr \
	's["outcome"] == "finished" and s["values"]["count"] == 0 and s["peak"]["lock"] == 1
	 and s["schedule"] == "round-robin"'

run unlocked --headless --json --seed=7 counter-unlocked
check_json "counter-unlocked --seed=7 loses updates, and counts them" unlocked \
	's["outcome"] == "finished" and s["seed"] == 7 and s["values"]["count"] > 0
	 and s["lost"]["count"] == s["values"]["count"] - s["expected"]["count"]
	 and s["intended"]["count"] == 0 and s["finished"] == 100'
check_json "counter-unlocked trace: the last write is the final count" unlocked \
	'[e["value"] for e in ev if e["event"] == "store"][-1] == s["values"]["count"]
	 and sum(e["event"] == "store" for e in ev) == 100'

run unlocked-os --headless --json --schedule=os counter-unlocked
check_json "counter-unlocked --schedule=os: lost == count" unlocked-os \
	's["outcome"] == "finished" and s["lost"]["count"] == s["values"]["count"]'

deadlock_ok='s["outcome"] == "deadlock" and len(s["deadlock"]) == 2
	 and all(set(l) == {"worker", "holds", "waits"} for l in s["deadlock"])
	 and s["deadlock"][0]["holds"] == s["deadlock"][1]["waits"]
	 and s["deadlock"][1]["holds"] == s["deadlock"][0]["waits"]
	 and {s["deadlock"][0]["holds"], s["deadlock"][1]["holds"]} == {"mutexA", "mutexB"}
	 and s["deadlock"][0]["worker"] != s["deadlock"][1]["worker"]
	 and all(l["worker"].startswith("Thread-") for l in s["deadlock"])
	 and s["finished"] == 0 and any(e["event"] == "deadlock" for e in ev)'
for seed in $(slow_ok && echo 1 2 3 || echo 1); do
	run deadlock --headless --json --seed=$seed deadlock
	check_json "deadlock --seed=$seed: outcome deadlock, a 2-link cycle over mutexA and mutexB" \
		deadlock "$deadlock_ok"
done
run deadlock-os --headless --json --schedule=os --speed=20 deadlock
check_json "deadlock --schedule=os --speed=20: outcome deadlock, the same cycle" deadlock-os "$deadlock_ok"
# A deadlocked run leaves nobody behind either (checked at once: minutes
# later another process may have been given one of those pids).
mapfile -t DPIDS < <(start_pids "$TMP/deadlock-os.out")
if [ "${#DPIDS[@]}" = 5 ] && pids_gone "${DPIDS[@]}"; then
	tap_ok "deadlock --schedule=os: none of its 5 workers survives the exit"
else
	tap_not_ok "deadlock --schedule=os: none of its workers survives the exit" "${DPIDS[*]}"
fi
run deadlock-rr --headless --json --schedule=round-robin deadlock
check_json "deadlock --schedule=round-robin: outcome deadlock" deadlock-rr "$deadlock_ok"

for seed in $(slow_ok && echo 1 2 3 4 5 || echo 1); do
	run ktv --headless --json --seed=$seed ktv
	check_json "ktv --seed=$seed: never more than 4 in the rooms, all 13 finish" ktv \
		's["outcome"] == "finished" and 1 <= s["peak"]["sem"] <= 4 and s["workers"] == 13
		 and s["finished"] == 13 and s["time"] > 0
		 and all(e["value"] <= 4 for e in ev if e["event"] == "acquired")
		 and sum(e["event"] == "print" for e in ev) == 13'
done
run ktv-os --headless --json --schedule=os --speed=100 ktv
check_json "ktv --schedule=os --speed=100: peak sem <= 4, 13 finish" ktv-os \
	's["outcome"] == "finished" and s["peak"]["sem"] <= 4 and s["finished"] == 13'

if [ -f "$SCENARIOS/ktv-rush.yaml" ]; then
	run ktv-rush --headless --json --seed=3 ktv-rush
	check_json "ktv-rush --seed=3: all 6 get in at once, and all get out" ktv-rush \
		's["outcome"] == "finished" and s["values"]["inside"] == 0 and s["lost"]["inside"] == 0
		 and max(e["value"] for e in ev if e["event"] == "add") > 4'
fi
if [ -f "$SCENARIOS/ktv-six.yaml" ]; then
	run ktv-six --headless --json --seed=3 ktv-six
	check_json "ktv-six --seed=3: never more than 4 inside" ktv-six \
		's["outcome"] == "finished" and s["values"]["inside"] == 0 and s["peak"]["sem"] <= 4
		 and max(e["value"] for e in ev if e["event"] == "add") <= 4'
fi

# Same seed, same output (pids aside); another seed, another trace.
for args in "--seed=7 counter-unlocked" "--seed=3 ktv" "--seed=5 deadlock" "--schedule=round-robin --seed=1 counter-locked"; do
	# shellcheck disable=SC2086
	run same1 --headless --json $args
	# shellcheck disable=SC2086
	run same2 --headless --json $args
	if [ "$RC" = 0 ] && [ -s "$TMP/same1.out" ] &&
	   cmp -s <(strip_pids "$TMP/same1.out") <(strip_pids "$TMP/same2.out"); then
		tap_ok "--json $args twice: the same output, pids aside"
	else
		tap_not_ok "--json $args twice: the same output, pids aside" \
			"$(diff <(strip_pids "$TMP/same1.out") <(strip_pids "$TMP/same2.out") | head -20)"
	fi
done
run same1 --headless --json --seed=7 counter-unlocked
run same2 --headless --json --seed=8 counter-unlocked
if ! cmp -s <(strip_pids "$TMP/same1.out") <(strip_pids "$TMP/same2.out"); then
	tap_ok "counter-unlocked --seed=7 and --seed=8 differ"
else
	tap_not_ok "counter-unlocked --seed=7 and --seed=8 differ"
fi
run text1 --headless --seed=7 counter-unlocked
run text2 --headless --seed=7 counter-unlocked
if cmp -s <(strip_pids "$TMP/text1.out") <(strip_pids "$TMP/text2.out"); then
	tap_ok "text output, same seed twice: the same, pids aside"
else
	tap_not_ok "text output, same seed twice: the same, pids aside" \
		"$(diff <(strip_pids "$TMP/text1.out") <(strip_pids "$TMP/text2.out") | head -20)"
fi

# Text output.
run text --headless counter-locked
if [ "$RC" = 0 ] && grep -q '^== counter-locked: finished ==$' "$TMP/text.out" &&
   grep -Eq '^  outcome +finished after [0-9]+ steps' "$TMP/text.out" &&
   grep -Eq '^  processes +100 started, 100 finished, 0 died' "$TMP/text.out" &&
   grep -Eq '^  count += 0 ' "$TMP/text.out" &&
   grep -Eq '^  replay +lockstep --headless --schedule=random --seed=[0-9]+ counter-locked$' "$TMP/text.out"; then
	tap_ok "text output: a summary that says finished, count 0 and how to replay"
else
	tap_not_ok "text output: a summary that says finished" "exit status $RC" "$(tail -n 12 "$TMP/text.out")"
fi
# ... and replaying it gives the same run.
seed=$(sed -n 's/.*--seed=\([0-9]*\) counter-locked$/\1/p' "$TMP/text.out")
run replay --headless --seed="$seed" counter-locked
if [ -n "$seed" ] && cmp -s <(strip_pids "$TMP/text.out") <(strip_pids "$TMP/replay.out"); then
	tap_ok "the summary's replay line (seed $seed) replays the same run"
else
	tap_not_ok "the summary's replay line replays the same run" "seed '$seed'"
fi
run deadlock-text --headless --seed=1 deadlock
if [ "$RC" = 0 ] && grep -q '^== deadlock: deadlock ==$' "$TMP/deadlock-text.out" &&
   grep -Eq '^  deadlock +Thread-[0-9]+ holds mutex[AB] and waits for mutex[AB]; Thread-[0-9]+ holds' "$TMP/deadlock-text.out"; then
	tap_ok "text output of a deadlock names the cycle"
else
	tap_not_ok "text output of a deadlock names the cycle" "$(tail -n 10 "$TMP/deadlock-text.out")"
fi

run quiet --headless --json -q counter-locked
if [ "$RC" = 0 ] && [ "$(wc -l <"$TMP/quiet.out")" = 1 ] && json quiet 's["outcome"] == "finished"'; then
	tap_ok "-q --json: the summary line only"
else
	tap_not_ok "-q --json: the summary line only" "$(head -3 "$TMP/quiet.out")"
fi

# --workers
if slow_ok; then
	run thousand --headless --json -q --workers=1000 counter-locked
	check_json "--workers=1000 counter-locked: 1000 processes from 1000 to 0 as expected, peak 1" thousand \
		's["outcome"] == "finished" and s["workers"] == 1000 and s["finished"] == 1000
		 and s["values"]["count"] == 0 and s["expected"]["count"] == 0
		 and s["lost"]["count"] == 0 and s["peak"]["lock"] == 1'
	run thousand-os --headless --json -q --schedule=os --workers=1000 counter-locked
	check_json "--workers=1000 --schedule=os counter-locked: count 0 as expected" thousand-os \
		's["outcome"] == "finished" and s["finished"] == 1000 and s["values"]["count"] == 0
		 and s["expected"]["count"] == 0'
else
	tap_skip "--workers=1000 runs" "LOCKSTEP_QUICK"
fi
run one --headless --json --workers=1 --seed=1 counter-unlocked
check_json "--workers=1 counter-unlocked: one worker cannot lose an update" one \
	's["workers"] == 1 and s["values"]["count"] == 0 and s["lost"]["count"] == 0'

# ---- --check, --list, --help, --version ------------------------------------------

all_ok=1
for f in "$SCENARIOS"/*.yaml; do
	run check --check "$f"
	if [ "$RC" != 0 ] || ! grep -q ": ok (" "$TMP/check.out"; then
		all_ok=0
		tap_diag "--check $f: exit $RC" "$(cat "$TMP/check.err")"
	fi
done
if [ $all_ok = 1 ]; then tap_ok "--check passes every bundled scenario (${#IDS[@]})"; else tap_not_ok "--check passes every bundled scenario"; fi
run check --check "$SCENARIOS"/*.yaml
if [ "$RC" = 0 ] && [ "$(grep -c ': ok (' "$TMP/check.out")" = "${#IDS[@]}" ] && ! [ -s "$TMP/check.err" ]; then
	tap_ok "--check with all of them at once: exit 0, one ok line each"
else
	tap_not_ok "--check with all of them at once" "exit $RC" "$(cat "$TMP/check.out" "$TMP/check.err")"
fi

run list --list
missing=""
for id in "${IDS[@]}"; do
	grep -Eq "^[[:space:]]*$id([[:space:]]|\$)" "$TMP/list.out" || missing="$missing $id"
done
if [ "$RC" = 0 ] && [ -z "$missing" ] && [ "$(wc -l <"$TMP/list.out")" -ge "${#IDS[@]}" ]; then
	tap_ok "--list names every bundled scenario: ${IDS[*]}"
else
	tap_not_ok "--list names every bundled scenario" "exit $RC, missing:$missing" "$(cat "$TMP/list.out")"
fi
# Each listed name works as a name.
bad=""
for id in "${IDS[@]}"; do
	run byname --check "$id"
	[ "$RC" = 0 ] || bad="$bad $id: $(cat "$TMP/byname.err")"
done
if [ -z "$bad" ]; then tap_ok "every bundled scenario can be named by its id"
else tap_not_ok "every bundled scenario can be named by its id" "$bad"; fi

run help --help
missing=""
for opt in --headless --json --schedule --seed --speed --timeout --workers --lang --big --theme \
           --check --list --quiet -q --help -h --version -V; do
	grep -q -- "$opt" "$TMP/help.out" || missing="$missing $opt"
done
if [ "$RC" = 0 ] && [ -z "$missing" ] && ! [ -s "$TMP/help.err" ]; then
	tap_ok "--help exits 0 and mentions every option"
else
	tap_not_ok "--help exits 0 and mentions every option" "exit $RC, missing:$missing"
fi
run help -h
tap_is "-h is --help" "$RC $(md5sum <"$TMP/help.out")" "0 $("$LOCKSTEP" --help | md5sum)"

run version --version
if [ "$RC" = 0 ] && grep -Eq '^lockstep [0-9]+\.[0-9]+' "$TMP/version.out"; then
	tap_ok "--version: $(cat "$TMP/version.out")"
else
	tap_not_ok "--version" "exit $RC: $(cat "$TMP/version.out" "$TMP/version.err")"
fi
run version -V
tap_is "-V is --version" "$RC $(cat "$TMP/version.out")" "0 $("$LOCKSTEP" --version)"

# ---- output errors -------------------------------------------------------------

# A write that fails (a full disk) is an error: exit 1, one line.
full_error() {
	local desc=$1
	shift
	"$LOCKSTEP" "$@" >/dev/full 2>"$TMP/full.err"
	RC=$?
	if [ "$RC" = 1 ] && [ "$(cat "$TMP/full.err")" = "lockstep: cannot write output: No space left on device" ]; then
		tap_ok "$desc > /dev/full: exit 1, one line"
	else
		tap_not_ok "$desc > /dev/full: exit 1, one line" "exit $RC" "$(head -c 500 "$TMP/full.err")"
	fi
}
if [ -w /dev/full ]; then
	full_error "--headless counter-locked" --headless counter-locked
	full_error "--headless --json counter-locked" --headless --json counter-locked
	full_error "--headless -q counter-locked" --headless -q counter-locked
	full_error "--list" --list
	full_error "--check" --check "$SCENARIOS/ktv.yaml"
	full_error "--help" --help
	full_error "--version" --version
else
	tap_skip "writes to /dev/full" "no /dev/full"
fi

# A reader that leaves (| head -1) stops the run at the first failed write,
# even one that would loop for ever; the program dies of SIGPIPE (as one
# that never ignored it would), silently, and leaves no worker behind.
write loop.yaml <<'EOF'
lockstep: 1
id: loop-for-ever
title: {en: Printers that never stop}
objects: []
workers:
  - name: spinner
    count: 4
    program:
      - {print: "{name} goes round again", label: top}
      - goto: top
EOF
for sched in round-robin os; do
	{ timeout -s KILL 60 "$LOCKSTEP" --headless --schedule=$sched "$TMP/loop.yaml" 2>"$TMP/pipe.err"
	  echo $? >"$TMP/pipe.rc"; } | head -n 1 >"$TMP/pipe.out"
	rc=$(cat "$TMP/pipe.rc")
	if [ "$rc" = 141 ] && [ -s "$TMP/pipe.out" ] && ! [ -s "$TMP/pipe.err" ]; then
		tap_ok "--schedule=$sched, a loop for ever | head -1: ends by SIGPIPE, silently"
	else
		tap_not_ok "--schedule=$sched, a loop for ever | head -1: ends by SIGPIPE, silently" \
			"exit status $rc (137: killed by the 60 s guard)" "stderr: $(head -c 300 "$TMP/pipe.err")"
	fi
	if wait_until 5 eval '[ -z "$(pgrep -f -- "$TMP/loop.yaml")" ]'; then
		tap_ok "--schedule=$sched | head -1: no worker survives"
	else
		tap_not_ok "--schedule=$sched | head -1: no worker survives" "$(pgrep -f -- "$TMP/loop.yaml")"
		pkill -KILL -f -- "$TMP/loop.yaml"
	fi
done

# ---- usage and scenario errors ------------------------------------------------------

usage_error "unknown option" --headless --frobnicate counter-locked
usage_error "--schedule=foo" --headless --schedule=foo counter-locked
usage_error "--seed=abc" --headless --seed=abc counter-locked
usage_error "--seed=-1" --headless --seed=-1 counter-locked
usage_error "--workers=0" --headless --workers=0 counter-locked
usage_error "--workers=3abc" --headless --workers=3abc counter-locked
usage_error "--workers=5000 (past the bound)" --headless --workers=5000 counter-locked
usage_error "--speed=-1" --headless --speed=-1 counter-locked
usage_error "--speed=abc" --headless --speed=abc counter-locked
usage_error "--timeout=0" --headless --timeout=0 counter-locked
usage_error "--lang=fr" --headless --lang=fr counter-locked
usage_error "--theme=nope" --theme=nope counter-locked
usage_error "--json without --headless" --json counter-locked
usage_error "--headless without a scenario" --headless
usage_error "two scenarios" --headless counter-locked ktv
usage_error "a missing file" --headless "$TMP/no-such-file.yaml"
usage_error "a scenario name that does not exist" --headless no-such-scenario
usage_error "--check with no file" --check
usage_error "an option that needs a value, given none" --headless counter-locked --schedule
usage_error "an option that takes no value, given one" --help=3
usage_error "an unknown short option" -x counter-locked

# Numbers are plain decimal: no hex, sign, space, exponent; every edge of
# every numeric option is one line and exit 2.
usage_error "--timeout=0x10 (hex)" --headless --timeout=0x10 counter-locked
usage_error "--seed=' 5' (a leading space)" --headless "--seed= 5" counter-locked
usage_error "--seed='5 ' (a trailing space)" --headless "--seed=5 " counter-locked
usage_error "--seed=+5 (a sign)" --headless --seed=+5 counter-locked
usage_error "--seed=0x10 (hex)" --headless --seed=0x10 counter-locked
usage_error "--seed=18446744073709551616 (past 2^64-1)" --headless --seed=18446744073709551616 counter-locked
usage_error "--seed= (empty)" --headless --seed= counter-locked
usage_error "--workers= (empty)" --headless --workers= counter-locked
usage_error "--workers=4097 (one past the bound)" --headless --workers=4097 counter-locked
usage_error "--workers=' 5'" --headless "--workers= 5" counter-locked
usage_error "--workers=+5" --headless --workers=+5 counter-locked
usage_error "--workers=0x10" --headless --workers=0x10 counter-locked
usage_error "--workers=99999999999999999999 (overflow)" --headless --workers=99999999999999999999 counter-locked
usage_error "--speed= (empty)" --headless --speed= counter-locked
usage_error "--speed=0.001 (below 0.01)" --headless --speed=0.001 counter-locked
usage_error "--speed=1000.5 (above 1000)" --headless --speed=1000.5 counter-locked
usage_error "--speed=1e2 (an exponent)" --headless --speed=1e2 counter-locked
usage_error "--speed=0x10 (hex)" --headless --speed=0x10 counter-locked
usage_error "--speed=inf" --headless --speed=inf counter-locked
usage_error "--speed=nan" --headless --speed=nan counter-locked
usage_error "--speed=. (no digit)" --headless --speed=. counter-locked
usage_error "--speed=1.2.3" --headless --speed=1.2.3 counter-locked
usage_error "--timeout= (empty)" --headless --timeout= counter-locked
usage_error "--timeout=86401 (past a day)" --headless --timeout=86401 counter-locked
usage_error "--timeout=-1" --headless --timeout=-1 counter-locked
usage_error "--timeout=' 2'" --headless "--timeout= 2" counter-locked
usage_error "--timeout=1e3" --headless --timeout=1e3 counter-locked
# The edges themselves are fine.
for ok_arg in --workers=1 --seed=0 --seed=18446744073709551615 --speed=0.01 --speed=1000 \
	--speed=.5 --timeout=0.001 --timeout=86400; do
	run edge --headless -q "$ok_arg" --workers=2 counter-locked
	tap_is "$ok_arg is accepted" "$RC" 0
done

# Nothing from the command line reaches the terminal as a control byte:
# a file name with a newline or an escape is one line, shown escaped.
has_control() { LC_ALL=C grep -q "$(printf '[\001-\010\013-\037\177]')" "$1"; }
usage_error "a file name with a newline" --headless "$TMP/a
b.yaml"
usage_error "--check: a file name with a newline" --check "$TMP/a
b.yaml"
usage_error "an option value with an escape" --headless "--schedule=$(printf '\033[2J')" counter-locked
usage_error "a scenario name with an escape" --headless "$(printf 'x\033]0;t\007')"
if has_control "$TMP/usage.err"; then
	tap_not_ok "an escape in argv reaches stderr escaped, not raw" "$(od -c "$TMP/usage.err" | head -3)"
else
	tap_ok "an escape in argv reaches stderr escaped, not raw: $(cat "$TMP/usage.err")"
fi

multi=""
for f in "$SCENARIOS"/*.yaml; do
	[ "$(grep -c '^  - name:' "$f")" -gt 1 ] && multi=$f && break
done
write multi.yaml <<'EOF'
lockstep: 1
id: two-groups
title: {en: Two groups}
objects:
  - {name: A, type: lock}
workers:
  - name: left
    count: 1
    program:
      - acquire: A
      - release: A
  - name: right
    count: 2
    program:
      - acquire: A
      - release: A
EOF
if [ -n "$multi" ]; then
	usage_error "--workers=5 on the multi-group $(basename "$multi")" --headless --workers=5 "$multi"
else
	tap_skip "--workers=5 on a bundled multi-group scenario" "no bundled scenario has several groups"
fi
usage_error "--workers=5 on a two-group scenario" --headless --workers=5 "$TMP/multi.yaml"
run multi --headless --json "$TMP/multi.yaml"
check_json "the two-group scenario itself runs: 3 workers" multi 's["workers"] == 3 and s["finished"] == 3'

write bad.yaml <<'EOF'
lockstep: 1
id: bad-key
title: {en: A bad key}
objects:
  - {name: count, type: value, initial: 1}
workers:
  - name: w
    count: 1
    colour: blue
    program:
      - update: {value: count, add: -1}
EOF
for mode in run check; do
	if [ $mode = run ]; then usage_error "a scenario with an unknown key (run)" --headless "$TMP/bad.yaml"
	else usage_error "a scenario with an unknown key (--check)" --check "$TMP/bad.yaml"; fi
	if grep -Eq "^$TMP/bad\.yaml:[0-9]+:[0-9]+: error: " "$TMP/usage.err"; then
		line=$(sed -nE "s|^$TMP/bad\.yaml:([0-9]+):.*|\1|p" "$TMP/usage.err")
		tap_is "  ... its message is FILE:LINE:COL: error: ... at the key's line" "$line" 9
	else
		tap_not_ok "  ... its message is FILE:LINE:COL: error: ..." "$(cat "$TMP/usage.err")"
	fi
done
# --check: a good and a bad file: status 2, the good one still reported.
run check --check "$SCENARIOS/ktv.yaml" "$TMP/bad.yaml"
if [ "$RC" = 2 ] && grep -q ": ok (" "$TMP/check.out" && [ "$(wc -l <"$TMP/check.err")" = 1 ]; then
	tap_ok "--check good bad: exit 2, the good one ok, one error line"
else
	tap_not_ok "--check good bad: exit 2, the good one ok, one error line" "exit $RC" \
		"$(cat "$TMP/check.out" "$TMP/check.err")"
fi

# ---- signals: nobody outlives the controller --------------------------------------

write long.yaml <<'EOF'
lockstep: 1
id: long-sleep
title: {en: Twenty long sleeps}
objects: []
workers:
  - name: sleeper
    count: 20
    program:
      - sleep: 600
      - print: "{name} woke up"
EOF

workers_started() { [ "$(pgrep -P "$1" | wc -l)" -ge "$2" ]; }

# start_long [ARGS...]: lockstep in the background on long.yaml (os
# schedule); sets BG and WPIDS once its 20 workers exist.
start_long() {
	"$LOCKSTEP" --headless --schedule=os "$@" "$TMP/long.yaml" >"$TMP/bg.out" 2>"$TMP/bg.err" &
	BG=$!
	WPIDS=()
	if wait_until 10 workers_started "$BG" 20; then
		mapfile -t WPIDS < <(pgrep -P "$BG")
		return 0
	fi
	return 1
}

# bash tells of a background job that died of SIGQUIT on its stderr, which
# would land in the middle of a TAP line: nothing here needs stderr.
exec 5>&2 2>/dev/null
for sig in TERM INT HUP QUIT; do
	if ! start_long; then
		tap_not_ok "SIG$sig: the 20 workers never appeared" "$(cat "$TMP/bg.err")"
		kill -KILL "$BG" 2>/dev/null
		wait "$BG" 2>/dev/null
		BG=""
		continue
	fi
	kill -"$sig" "$BG"
	if wait_until 10 pids_gone "$BG"; then
		wait "$BG" 2>/dev/null   # (no "Quit" from bash)
		rc=$?
	else
		kill -KILL "$BG" 2>/dev/null
		wait "$BG" 2>/dev/null
		rc="hung"
	fi
	BG=""
	# It says so in the summary, then dies of the signal: 128 + its number.
	signum=$(kill -l "$sig")
	if [ "$rc" = $((128 + signum)) ] && grep -q '^== long-sleep: stopped ==$' "$TMP/bg.out" &&
	   grep -q "^  stopped by signal $signum" "$TMP/bg.out"; then
		tap_ok "SIG$sig: the run stops (outcome stopped, exit $((128 + signum)))"
	else
		tap_not_ok "SIG$sig: the run stops (outcome stopped, exit $((128 + signum)))" \
			"exit status $rc" "$(tail -n 6 "$TMP/bg.out")" "$(cat "$TMP/bg.err")"
	fi
	if wait_until 5 pids_gone "${WPIDS[@]}"; then
		tap_ok "SIG$sig: none of the ${#WPIDS[@]} workers survives"
	else
		left=""
		for p in "${WPIDS[@]}"; do pid_alive "$p" && left="$left $p"; done
		tap_not_ok "SIG$sig: none of the workers survives" "still alive:$left"
		# shellcheck disable=SC2086
		kill -KILL $left 2>/dev/null
	fi
done
exec 2>&5 5>&-

# A stop signal in every phase, not only in the run's poll() loop.
# Start-up: 2000 workers take seconds to fork; the signal comes while
# they are being forked.  No worker may survive (they share the
# controller's command line, so pgrep finds any, even one forked late).
cp "$TMP/long.yaml" "$TMP/startup.yaml"
survivors() { pgrep -f -- "$TMP/$1" | tr '\n' ' '; }
slow_ok || tap_skip "a stop signal while 2000 workers start" "LOCKSTEP_QUICK"
for sig in $(slow_ok && echo TERM INT); do
	"$LOCKSTEP" --headless --json --schedule=os --workers=2000 "$TMP/startup.yaml" \
		>"$TMP/su.out" 2>"$TMP/su.err" &
	BG=$!
	wait_until 20 workers_started "$BG" 10
	kill -"$sig" "$BG"
	if wait_until 10 pids_gone "$BG"; then wait "$BG" 2>/dev/null; rc=$?; else rc=hung; fi
	kill -KILL "$BG" 2>/dev/null
	BG=""
	signum=$(kill -l "$sig")
	tap_is "SIG$sig while 2000 workers start: it dies of it (exit $((128 + signum)))" \
		"$rc" $((128 + signum))
	if wait_until 5 eval '[ -z "$(survivors startup.yaml)" ]'; then
		tap_ok "SIG$sig while 2000 workers start: no worker survives"
	else
		tap_not_ok "SIG$sig while 2000 workers start: no worker survives" "$(survivors startup.yaml)"
		pkill -KILL -f -- "$TMP/startup.yaml"
	fi
done

# Loading: strace holds the read of the scenario file for 2 s (a slow
# disk, a huge file), so the signal surely comes while it loads.  Before,
# the handler only noted it and the run went ahead (exit 0) once loaded.
cp "$SCENARIOS/counter-locked.yaml" "$TMP/slow.yaml"
# in_read PID: PID is stopped inside a read() of slow.yaml.
in_read() {
	local sc fd
	read -r sc fd _ <"/proc/$1/syscall" 2>/dev/null || return 1
	[ "$sc" = 0 ] && [ "$(readlink "/proc/$1/fd/$((fd))")" = "$TMP/slow.yaml" ]
}
tracee() { pgrep -P "$1" | head -1; }
if ! slow_ok; then
	tap_skip "a stop signal while the scenario loads" "LOCKSTEP_QUICK"
elif ! command -v strace >/dev/null 2>&1 || ! strace -o /dev/null true 2>/dev/null; then
	tap_skip "a stop signal while the scenario loads" "strace is missing or cannot trace here"
else
	for mode in run check; do
		for sig in INT TERM HUP; do
			if [ "$mode" = run ]; then set -- --headless; else set -- --check; fi
			strace -o /dev/null -P "$TMP/slow.yaml" -e trace=read \
				-e inject=read:delay_enter=2000000 \
				"$LOCKSTEP" "$@" "$TMP/slow.yaml" >"$TMP/load.out" 2>/dev/null &
			BG=$!
			P=""
			wait_until 10 eval 'P=$(tracee "$BG"); [ -n "$P" ] && in_read "$P"'
			loading=$?
			kill -"$sig" "$P" 2>/dev/null
			if wait_until 10 pids_gone "$BG"; then wait "$BG" 2>/dev/null; rc=$?; else rc=hung; fi
			kill -KILL "$BG" "$P" 2>/dev/null
			BG=""
			signum=$(kill -l "$sig")
			if [ "$loading" = 0 ] && [ "$rc" = $((128 + signum)) ] && ! [ -s "$TMP/load.out" ]; then
				tap_ok "--$mode: SIG$sig while the file loads ends it (exit $rc, nothing run)"
			else
				tap_not_ok "--$mode: SIG$sig while the file loads ends it" \
					"caught in read(): $([ "$loading" = 0 ] && echo yes || echo no)" \
					"exit status $rc, want $((128 + signum))" "stdout: $(head -c 200 "$TMP/load.out")"
			fi
		done
	done
fi

# SIGKILL of the controller: nothing runs in it any more; the workers' own
# parent-death signal must take them down.
if start_long; then
	kill -KILL "$BG"
	wait "$BG" 2>/dev/null
	BG=""
	if wait_until 5 pids_gone "${WPIDS[@]}"; then
		tap_ok "SIGKILL of the controller: its ${#WPIDS[@]} workers die too"
	else
		left=""
		for p in "${WPIDS[@]}"; do pid_alive "$p" && left="$left $p"; done
		tap_not_ok "SIGKILL of the controller: its workers die too" "still alive:$left"
		# shellcheck disable=SC2086
		kill -KILL $left 2>/dev/null
	fi
else
	tap_not_ok "SIGKILL of the controller: the workers never appeared"
	kill -KILL "$BG" 2>/dev/null
	BG=""
fi

# --timeout: the run ends by itself, and takes its workers with it.
run timeout --headless --json --schedule=os --timeout=0.5 "$TMP/long.yaml"
check_json "--timeout=0.5 on 20 ten-minute sleeps: outcome timeout" timeout \
	's["outcome"] == "timeout" and s["workers"] == 20 and s["finished"] == 0'
mapfile -t TPIDS < <(start_pids "$TMP/timeout.out")
if [ "${#TPIDS[@]}" = 20 ] && wait_until 5 pids_gone "${TPIDS[@]}"; then
	tap_ok "--timeout: none of the 20 workers survives"
else
	tap_not_ok "--timeout: none of the workers survives" "${#TPIDS[@]} start pids"
fi

# Controlled schedules: ten minutes of virtual sleep take no real time, so
# this finishes; a wall-clock guard only keeps a hang from blocking make check.
# The last of the 20 starts 20 Process.start()s (20 ms each) after time 0.
if timeout 60 "$LOCKSTEP" --headless --json --seed=1 "$TMP/long.yaml" >"$TMP/virtual.out" 2>"$TMP/virtual.err"; then RC=0; else RC=$?; fi
check_json "--schedule=random on 20 ten-minute sleeps: virtual time 600.4 s, all finish" virtual \
	's["outcome"] == "finished" and s["finished"] == 20 and abs(s["time"] - 600.4) < 1e-9'

tap_done
