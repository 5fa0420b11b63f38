#!/bin/bash
# tests/pycompile.sh: lockstep runs the lesson's Python programs.
#
# For each of the lesson's programs (tests/python/*.py, and the counter
# without its lock, tests/pycompile/counter_unlocked.py) and for
# tests/pycompile/constructs.py (the constructs the compiler works out)
# and tests/pycompile/sync.py (Queue, Event, Barrier, Condition, RLock,
# BoundedSemaphore):
#  - `lockstep --check FILE.py` compiles it;
#  - a headless JSON run shows what the lesson says it shows: the locked
#    Manager counter ends at 0 and prints {'count': 0} after its joins, the
#    unlocked one loses updates under some seed, KTV lets at most 4 of the
#    13 users in at once and every one of them gets in, the 6-person rush
#    lets all 6 in, the two-lock deadlock deadlocks between two threads;
#  - the same file under python3 (tests/pycompile/run-scaled.py: sleeps
#    scaled down 100 times) prints the same lines: in the same order for
#    the deterministic constructs.py, as the same set of lines for the
#    others (colour escapes aside, which lockstep leaves out), and the
#    deadlock hangs in python3 too (killed after a timeout: a hang is the
#    outcome, the timeout decides nothing about timing);
#  - --dump: the YAML a program compiles to loads back (--check), dumps
#    to itself again, and runs the same trace as the .py for the same seed
#    (tests/pycompile/same-trace.py: pids aside); the same for every
#    bundled scenario, whose ops use what the compiler does not (labels,
#    jumps, timeouts, crashes; seed 1 only), and for
#    tests/good/read-write.yaml and python-only.yaml (a scenario file whose
#    `python` makes its objects and workers: it runs as the .py does);
#  - every file in tests/pycompile/bad/ is refused, exit 2, with the one
#    message its first line gives (after "# "), at its exact LINE:COL, and
#    in Chinese under --lang=zh.
# The compile time of each program is reported as a diagnostic
# (tests/py-dump --compile-time), never checked: timing decides nothing.
#
# Environment (make check exports them): LOCKSTEP, TESTDIR, PY_DUMP.
set -u
LOCKSTEP=${LOCKSTEP:-}
TESTDIR=${TESTDIR:-$(cd "$(dirname "$0")" && pwd)}
. "$TESTDIR/tap.sh"

tap_need_lockstep
tap_tmpdir pycompile
dir=$TESTDIR/pycompile
lesson=$TESTDIR/python

compiles() { "$LOCKSTEP" --check "$1" >/dev/null; }

# run FILE SEED: the JSON lines of a headless run (random schedule).
run() {
	"$LOCKSTEP" --headless --json --seed="$2" "$1" 2>"$TMP/stderr"
}

# summary FILE SEED EXPR: a Python expression over the summary `s` and the
# lines printed `lines`, printed.
judge() {
	local f=$1 seed=$2 expr=$3
	run "$f" "$seed" > "$TMP/run.json"
	python3 - "$TMP/run.json" "$expr" <<'EOF'
import json, sys
events = [json.loads(l) for l in open(sys.argv[1])]
s = [e for e in events if e.get('type') == 'summary'][-1]
lines = [e['text'] for e in events if e.get('event') == 'print']
print(eval(sys.argv[2]))
EOF
}

for f in "$lesson"/manager_counter.py "$dir"/counter_unlocked.py "$lesson"/ktv13.py \
	 "$lesson"/ktv6_rush.py "$lesson"/ktv6_semaphore.py "$lesson"/deadlock.py \
	 "$dir"/constructs.py "$dir"/sync.py; do
	tap_check "$(basename "$f") compiles (--check)" compiles "$f"
done

# The locked counter: 0 at the end, whatever the schedule.
for seed in 1 2 3; do
	tap_is "manager_counter.py, seed $seed: finished at {'count': 0}" \
		"$(judge "$lesson/manager_counter.py" $seed \
			"(s['outcome'], s['values'], s.get('printed_after'))")" \
		"('finished', {\"dic['count']\": 0}, [\"{'count': 0}\"])"
done
# Without the lock some schedule loses updates (seeds fixed: the same runs
# every time).
lost=0
for seed in 1 2 3 4 5; do
	[ "$(judge "$dir/counter_unlocked.py" $seed "s['lost'][\"dic['count']\"] > 0")" = True ] &&
		lost=$((lost + 1))
done
tap_check "counter_unlocked.py: updates are lost in some of seeds 1..5 ($lost of 5)" \
	test "$lost" -gt 0
tap_is "counter_unlocked.py, seed 1: the main process prints what is left" \
	"$(judge "$dir/counter_unlocked.py" 1 \
		"s['printed_after'] == [\"{'count': %d}\" % s['values'][\"dic['count']\"]]")" True
for seed in 1 2; do
	tap_is "ktv13.py, seed $seed: 4 in the KTV at most and at some point, all 13 get in" \
		"$(judge "$lesson/ktv13.py" $seed \
			"(s['outcome'], s['peak']['sem'], sorted(lines) == sorted('user%d 占到一间ktv小屋' % i for i in range(13)), s['printed_after'])")" \
		"('finished', 4, True, ['============》'])"
	tap_is "ktv6_rush.py, seed $seed: all 6 rush in" \
		"$(judge "$lesson/ktv6_rush.py" $seed \
			"(s['outcome'], sum('进来唱歌了' in l for l in lines), sum('出去了' in l for l in lines))")" \
		"('finished', 6, 6)"
	tap_is "ktv6_semaphore.py, seed $seed: 4 at most in the KTV" \
		"$(judge "$lesson/ktv6_semaphore.py" $seed "(s['outcome'], s['peak']['sem'])")" \
		"('finished', 4)"
	tap_is "deadlock.py, seed $seed: two threads each hold one lock and wait for the other" \
		"$(judge "$lesson/deadlock.py" $seed \
			"(s['outcome'], sorted((d['holds'], d['waits']) for d in s['deadlock']))")" \
		"('deadlock', [('mutexA', 'mutexB'), ('mutexB', 'mutexA')])"
done

# Against python3.
strip_colours() { sed 's/\x1b\[[0-9;]*m//g'; }
py_lines() {
	timeout 20 python3 "$dir/run-scaled.py" "$1" 2>"$TMP/py-stderr" | strip_colours
}
lk_lines() { run "$1" 1 | python3 "$dir/lines.py"; }
want=$(py_lines "$dir/constructs.py")
got=$(lk_lines "$dir/constructs.py")
if [ -n "$want" ] && [ "$got" = "$want" ]; then
	tap_ok "constructs.py prints the same lines as python3, in the same order"
else
	tap_not_ok "constructs.py prints the same lines as python3, in the same order" \
		"$(diff <(printf '%s\n' "$want") <(printf '%s\n' "$got"))"
fi
for f in "$lesson"/manager_counter.py "$lesson"/ktv13.py "$lesson"/ktv6_rush.py \
	 "$lesson"/ktv6_semaphore.py "$dir"/sync.py; do
	want=$(py_lines "$f" | sort)
	got=$(lk_lines "$f" | sort)
	if [ -n "$want" ] && [ "$got" = "$want" ]; then
		tap_ok "$(basename "$f") prints the same lines as python3"
	else
		tap_not_ok "$(basename "$f") prints the same lines as python3" \
			"$(diff <(printf '%s\n' "$want") <(printf '%s\n' "$got"))"
	fi
done
timeout 3 python3 "$dir/run-scaled.py" "$lesson/deadlock.py" >/dev/null 2>&1
tap_is "deadlock.py hangs under python3 too (killed by timeout)" "$?" 124

# --dump round trips.
same_run() {   # FILE YAML SEED
	run "$1" "$3" > "$TMP/a.json"
	run "$2" "$3" > "$TMP/b.json"
	python3 "$dir/same-trace.py" "$TMP/a.json" "$TMP/b.json"
}
for f in "$lesson"/manager_counter.py "$dir"/counter_unlocked.py "$lesson"/ktv13.py \
	 "$lesson"/ktv6_rush.py "$lesson"/ktv6_semaphore.py "$lesson"/deadlock.py \
	 "$dir"/constructs.py "$dir"/sync.py "$SCENARIOS"/*.yaml "$TESTDIR"/good/read-write.yaml \
	 "$TESTDIR"/good/python-only.yaml; do
	b=$(basename "$f")
	y=$TMP/${b%.*}.dump.yaml
	if ! "$LOCKSTEP" --dump "$f" > "$y" 2>"$TMP/err" || ! compiles "$y" ||
	   ! "$LOCKSTEP" --dump "$y" > "$y.again" || ! cmp -s "$y" "$y.again"; then
		tap_not_ok "$b: --dump loads back and dumps to itself" "$(cat "$TMP/err")" \
			"$("$LOCKSTEP" --check "$y" 2>&1)"
		continue
	fi
	tap_ok "$b: --dump loads back and dumps to itself"
	diffs=""
	seeds="1 2"
	case $b in *.yaml) seeds=1 ;; esac   # the bundled ones: one run each
	for seed in $seeds; do
		d=$(same_run "$f" "$y" $seed) || diffs="$diffs seed $seed: $d"
	done
	tap_is "$b: its --dump runs the same trace (seeds $seeds)" "$diffs" ""
done

# A scenario file whose python makes its objects and workers runs as the
# program does.
same=$(same_run "$lesson/ktv13.py" "$TESTDIR/good/python-only.yaml" 1)
tap_is "good/python-only.yaml (ktv13's program in a python: key) runs as ktv13.py does" "$same" ""

# Refused constructs, at their place.
for f in "$dir"/bad/*.py; do
	want="$f:$(head -1 "$f" | sed 's/^# //')"
	got=$("$LOCKSTEP" --check "$f" 2>&1)
	rc=$?
	tap_is "bad/$(basename "$f"): exit 2 and its message at its place" "$rc $got" "2 $want"
done

got=$("$LOCKSTEP" --lang=zh --check "$dir/bad/two-reads.py" 2>&1)
tap_is "--lang=zh: the compiler's message in Chinese, at the same place" "$got" \
	"$dir/bad/two-reads.py:7:5: error: 这里用到的值是在又一次读共享对象之前读来的：lockstep 同一时刻只保留一个这样的值"

if [ -n "${PY_DUMP:-}" ] && [ -x "$PY_DUMP" ]; then
	for f in "$lesson"/manager_counter.py "$lesson"/ktv13.py "$lesson"/ktv6_rush.py \
		 "$lesson"/ktv6_semaphore.py "$lesson"/deadlock.py "$dir"/constructs.py; do
		tap_diag "compile $(basename "$f"): $("$PY_DUMP" --compile-time 100 "$f")"
	done
fi
tap_done
