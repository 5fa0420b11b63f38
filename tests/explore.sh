#!/bin/bash
# tests/explore.sh: --explore, every interleaving of a scenario (issue 11,
# item 5), through the real binary.
#
#  - 3 unlocked workers on a count of 3 can end at 0, 1 or 2 and nothing
#    else: the search lists exactly those, completely, and its shortest
#    finished schedule is each worker's two steps (6).
#  - The deadlock lesson's deadlock is found with its shortest schedule;
#    --record writes that schedule as a replay file (a worker name a line,
#    # comments), the same as the JSON's, and --replay of it deadlocks in
#    as many steps on real processes.
#  - The reduction loses nothing: on small scenarios (the lessons, and two
#    written here whose workers print between their steps and start at
#    once) the reduced and the full search (--full) find the same
#    outcomes, the same final values and the same shortest lengths.
#  - Goals: counter-unlocked --workers=3 can lose exactly one update (and
#    any); --record --goal=lose-one writes that goal's shortest schedule,
#    and --replay of it on real processes meets the goal (count ends at 1).
#    With a lock no interleaving loses one: unreached, complete, and
#    --record --goal of it fails.  The reduced search reaches the same
#    goals as the full one, also a goal at a print's line (which the
#    reduction would step past).
#  - A budget too small for the space says so: complete false, and the
#    text says INCOMPLETE.
#  - A stop signal ends a search at once (exit 130).
#  - Bad options are one line on stderr and exit 2 (--goal without
#    --explore --record, or naming a goal the lesson does not have).
#
# Environment (make check exports them): LOCKSTEP, SCENARIOS, TESTDIR.
# Output: TAP (the plan comes last).

set -u
LOCKSTEP=${LOCKSTEP:-}
SCENARIOS=${SCENARIOS:-}
TESTDIR=${TESTDIR:-$(cd "$(dirname "$0")" && pwd)}
. "$TESTDIR/tap.sh"

tap_need_lockstep
tap_tmpdir explore
GUARD=120

explore() {
	timeout -s KILL $GUARD "$LOCKSTEP" --explore --json --seed=1 "$@"
}

# --- counter-unlocked: exactly the reachable values ------------------------------
j=$(explore --workers=3 counter-unlocked)
tap_is "counter-unlocked, 3 workers: a complete search" "$(field "$j" 'j["type"], j["complete"]')" \
	"('explore', True)"
tap_is "counter-unlocked, 3 workers: final values exactly 0, 1, 2" \
	"$(field "$j" 'j["values"]["count"]')" "[0, 1, 2]"
tap_is "counter-unlocked, 3 workers: it always finishes" \
	"$(field "$j" 'j["outcomes"]["finished"] > 0, j["outcomes"]["deadlock"]')" "(True, 0)"
tap_is "counter-unlocked, 3 workers: the shortest finish is 6 steps" \
	"$(field "$j" 'j["shortest"], len(j["schedules"]["finished"])')" "({'finished': 6}, 6)"
j=$(explore --workers=2 counter-unlocked)
tap_is "counter-unlocked, 2 workers: final values exactly 0, 1" \
	"$(field "$j" 'j["values"]["count"]')" "[0, 1]"

# --- deadlock: the shortest, recorded ------------------------------------------
j=$(explore --record="$TMP/dl.replay" deadlock)
tap_is "deadlock: a deadlock is reachable and nothing else" \
	"$(field "$j" 'j["complete"], j["outcomes"]["deadlock"] > 0, j["outcomes"]["finished"]')" \
	"(True, True, 0)"
n=$(field "$j" 'j["shortest"]["deadlock"]')
tap_is "deadlock: the schedule is as long as the shortest says" \
	"$(field "$j" 'len(j["schedules"]["deadlock"])')" "$n"
tap_is "--record writes the shortest deadlock, a worker name a line" \
	"$(grep -v '^#' "$TMP/dl.replay" | tr '\n' ' ')" \
	"$(field "$j" '" ".join(j["schedules"]["deadlock"]) + " "')"
tap_check "--record's file says what it is in a # comment" grep -q '^# lockstep replay: deadlock' \
	"$TMP/dl.replay"
r=$(timeout -s KILL $GUARD "$LOCKSTEP" --headless --json --replay="$TMP/dl.replay" | tail -1)
tap_is "--replay of that file deadlocks again, in as many steps" \
	"$(field "$r" 'j["outcome"], j["steps"]')" "('deadlock', $n)"
t=$(timeout -s KILL $GUARD "$LOCKSTEP" --explore --seed=1 deadlock)
tap_check "the text names the shortest deadlock and its replay" \
	grep -q "shortest deadlock: $n steps, replayed on real processes" <<<"$t"

# --- the reduction loses nothing ----------------------------------------------------
cat >"$TMP/cross.yaml" <<'EOF'
lockstep: 1
id: cross
title: {en: "Two locks in opposite orders, with prints"}
process-start-ms: 0
objects:
  - {name: A, type: lock}
  - {name: B, type: lock}
  - {name: n, type: value, initial: 0}
workers:
  - name: ab
    count: 1
    program:
      - {print: "{name} starts"}
      - {acquire: A}
      - {print: "{name} has A"}
      - {acquire: B}
      - {update: {value: n, add: 1}}
      - {release: B}
      - {release: A}
  - name: ba
    count: 1
    program:
      - {print: "{name} starts"}
      - {acquire: B}
      - {print: "{name} has B"}
      - {acquire: A}
      - {update: {value: n, add: 1}}
      - {release: A}
      - {release: B}
  - name: counter
    count: 1
    program:
      - {set-register: 5}
      - {print: "{name} {reg}"}
      - {update: {value: n, add: 10}}
EOF
cat >"$TMP/signal.yaml" <<'EOF'
lockstep: 1
id: signal
title: {en: "An event and a queue, with prints"}
process-start-ms: 0
objects:
  - {name: go, type: event}
  - {name: q, type: queue, capacity: 1}
workers:
  - name: setter
    count: 1
    program:
      - {print: "{name} sets"}
      - {set: go}
      - {put: {queue: q, value: 1}}
      - {put: {queue: q, value: 2}}
  - name: waiter
    count: 2
    program:
      - {wait: go}
      - {print: "{name} passed"}
      - {get: q}
      - {print: "{name} got {reg}"}
EOF
summary='sorted(k for k, v in j["outcomes"].items() if v), j["values"], j["shortest"], j["complete"], sorted(k for k, v in j["goals"].items() if v is not None)'
for sc in "$TMP/cross.yaml" "$TMP/signal.yaml" deadlock deadlock-ordered deadlock-timeout condition \
          event queue barrier pipe ktv-rush "--workers=3 counter-unlocked"; do
	# shellcheck disable=SC2086
	reduced=$(explore $sc) && full=$(explore --full $sc) || reduced="" full=""
	if [ -z "$reduced" ]; then
		tap_not_ok "${sc##*/}: the reduced search finds what the full one does" "explore failed"
		continue
	fi
	tap_is "${sc##*/}: the reduced search finds what the full one does" \
		"$(field "$reduced" "$summary")" "$(field "$full" "$summary")"
done
j=$(explore "$TMP/cross.yaml")
tap_is "cross: a deadlock and a finish are both reachable" \
	"$(field "$j" 'j["outcomes"]["deadlock"] > 0, j["outcomes"]["finished"] > 0')" "(True, True)"
tap_is "cross: n ends at 0 or 10 in a deadlock, 12 or less (a lost update) when all finish" \
	"$(field "$j" 'j["values"]["n"]')" "[0, 2, 10, 11, 12]"
r=$(explore "$TMP/cross.yaml") f=$(explore --full "$TMP/cross.yaml")
tap_check "cross: the reduction visits fewer states" \
	test "$(field "$r" 'j["states"]')" -lt "$(field "$f" 'j["states"]')"

# --- goals: reached or not, and the shortest way, replayed --------------------------
j=$(explore --workers=3 --record="$TMP/lose.replay" --goal=lose-one counter-unlocked)
tap_is "counter-unlocked, 3 workers: both goals (lose one, lose any) are reachable" \
	"$(field "$j" 'sorted(k for k, v in j["goals"].items() if v)')" "['lose-any', 'lose-one']"
n=$(field "$j" 'j["goals"]["lose-one"]')
tap_is "lose-one: its schedule is as long as the goals object says" \
	"$(field "$j" 'len(j["goal_schedules"]["lose-one"])')" "$n"
tap_is "--goal=lose-one: --record writes that goal's schedule" \
	"$(grep -v '^#' "$TMP/lose.replay" | tr '\n' ' ')" \
	"$(field "$j" '" ".join(j["goal_schedules"]["lose-one"]) + " "')"
tap_check "... and its # comment names the goal" grep -q '^# lockstep replay: .*goal lose-one' \
	"$TMP/lose.replay"
r=$(timeout -s KILL $GUARD "$LOCKSTEP" --headless --json --replay="$TMP/lose.replay" | tail -1)
tap_is "--replay of it on real processes meets lose-one, and the count ends at 1" \
	"$(field "$r" '[g["met"] for g in j["goals"] if g["id"] == "lose-one"], j["values"]["count"]')" \
	"([True], 1)"
t=$(timeout -s KILL $GUARD "$LOCKSTEP" --explore --seed=1 --workers=3 counter-unlocked)
tap_check "the text names the goal, its length and its schedule" \
	grep -q "goal lose-one: reached in $n steps, replayed on real processes: work" <<<"$t"
# A goal at a print's line: the reduction takes a print first, so without
# care the waiter never stands at its print while the holder holds the lock.
cat >"$TMP/atline.yaml" <<'EOF'
lockstep: 1
id: atline
title: {en: "A print while another holds the lock"}
process-start-ms: 0
python: |
  print("waiter here")
  lock.acquire()
  lock.release()
objects:
  - {name: lock, type: lock}
workers:
  - name: waiter
    count: 1
    program:
      - {print: "{name} here", line: 1}
      - {acquire: lock, line: 2}
      - {release: lock, line: 3}
  - name: holder
    count: 1
    program:
      - {acquire: lock, line: 2}
      - {release: lock, line: 3}
goals:
  - id: print-while-held
    text: {en: "The waiter at its print while the holder holds the lock"}
    when: {at-line: 1, while-held: lock, worker: waiter}
EOF
j=$(explore "$TMP/atline.yaml")
tap_is "a goal at a print's line while the lock is held: reached, and the reduction keeps it" \
	"$(field "$j" 'j["goals"]')" "$(field "$(explore --full "$TMP/atline.yaml")" 'j["goals"]')"
tap_is "... in one step (the holder's acquire)" "$(field "$j" 'j["goals"]')" \
	"{'print-while-held': 1}"
# A lock makes losing an update impossible: the goal is unreached, and the
# search saw everything, so no interleaving reaches it.
sed 's/^goals:$/goals:\n  - id: lose-one\n    text: {en: "Lose one update"}\n    when: {value: count, ends-at: 1}/' \
	"$SCENARIOS/counter-locked.yaml" >"$TMP/locked.yaml"
j=$(explore --workers=2 "$TMP/locked.yaml")
tap_is "counter-locked + a lose-one goal: complete, lose-one unreached, none-lost reached" \
	"$(field "$j" 'j["complete"], j["goals"]["lose-one"], j["goals"]["none-lost"] > 0')" \
	"(True, None, True)"
t=$(timeout -s KILL $GUARD "$LOCKSTEP" --explore --seed=1 --workers=2 "$TMP/locked.yaml")
tap_check "the text says no interleaving reaches it" \
	grep -q "goal lose-one: no interleaving reaches it" <<<"$t"
timeout -s KILL $GUARD "$LOCKSTEP" --explore --seed=1 --workers=2 --record="$TMP/no.replay" \
	--goal=lose-one "$TMP/locked.yaml" >/dev/null 2>"$TMP/err"
tap_is "--record --goal of an unreached goal: exit 1, one line, no file" \
	"$? $(wc -l <"$TMP/err") $(test -e "$TMP/no.replay" && echo file)" "1 1 "

# --- a budget too small ------------------------------------------------------------------
j=$(explore --explore=10 --workers=3 counter-unlocked)
tap_is "a budget of 10 states: incomplete, and says so" \
	"$(field "$j" 'j["complete"], j["states"] <= 10')" "(False, True)"
t=$(timeout -s KILL $GUARD "$LOCKSTEP" --explore=10 --seed=1 --workers=3 counter-unlocked)
tap_check "the text says INCOMPLETE" grep -q "INCOMPLETE" <<<"$t"
tap_check "... and, when no interleaving reached its end, suggests fewer workers" \
	grep -q "fewer workers (--workers=3)" <<<"$t"

# --- a stop signal ends a long search at once ----------------------------------------
# pool's space is far bigger than a minute of search: SIGINT comes during it.
"$LOCKSTEP" --explore --seed=1 pool >"$TMP/out" 2>&1 &
pid=$!
BGPIDS+=("$pid")
# Any moment will do (loading, searching): a stop signal is obeyed in each.
wait_until 10 grep -q lockstep "/proc/$pid/cmdline"
kill -INT "$pid"
wait "$pid"
rc=$?
tap_is "SIGINT during a search: exit 130 at once, nothing printed (it did not search on)" \
	"$rc $(wc -c <"$TMP/out")" "130 0"

# --- bad options -------------------------------------------------------------------
for bad in "--explore=0 deadlock" "--explore=x deadlock" "--full deadlock" \
           "--explore --schedule=os deadlock" "--explore --runs=3 deadlock" \
           "--explore --replay=$TMP/dl.replay deadlock" "--explore --goal=cycle deadlock" \
           "--goal=cycle --record=$TMP/g.replay deadlock" \
           "--explore --record=$TMP/g.replay --goal=nope deadlock"; do
	# shellcheck disable=SC2086
	timeout -s KILL $GUARD "$LOCKSTEP" $bad >"$TMP/out" 2>"$TMP/err"
	rc=$?
	tap_is "$bad: exit 2, one line on stderr, nothing on stdout" \
		"$rc $(wc -l <"$TMP/err") $(wc -c <"$TMP/out")" "2 1 0"
done

tap_done
