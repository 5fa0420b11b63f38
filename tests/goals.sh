#!/bin/bash
# tests/goals.sh: a lesson's goals (issue 11, item 1), through the real
# binary: the JSON summary's "goals", the text summary's lines, --goals's
# exit status 3, and each form of condition met and not met by runs whose
# interleaving a replay file fixes (tests/replay).
#
#  - The same lesson, two interleavings: counter-unlocked with 3 workers
#    loses two updates or exactly one; each goal is met or not to match,
#    at the step the run ends.
#  - --goals exits 3 when a goal is not met, 0 when all are; without it
#    the status is 0 either way.
#  - A deadlock built by hand meets the deadlock lesson's goal at the step
#    the deadlock forms; ktv-rush's "more people inside than rooms" is met
#    exactly when the summary's highest `inside` is above 4, over seeds.
#  - `within`, `waits` and `worker`, and a lesson without goals ("goals":[]).
#  - Every bundled lesson has goals, each with an English and a Chinese text,
#    and --dump writes them: the dumped file judges them the same.
#
# Environment (make check exports them): LOCKSTEP, SCENARIOS, TESTDIR.
# Output: TAP (the plan comes last).

set -u
LOCKSTEP=${LOCKSTEP:-}
SCENARIOS=${SCENARIOS:-}
TESTDIR=${TESTDIR:-$(cd "$(dirname "$0")" && pwd)}
. "$TESTDIR/tap.sh"

tap_need_lockstep
tap_tmpdir goals
GUARD=60
R=$TESTDIR/replay

# goals ARGS...: the JSON summary's goals, as "id:met:step ..." words.
goals() {
	timeout -s KILL $GUARD "$LOCKSTEP" --headless --json -q "$@" | tail -1 |
		python3 -c 'import json, sys
s = json.load(sys.stdin)
print(" ".join("%s:%s:%s" % (g["id"], g["met"], g["step"]) for g in s["goals"]))'
}

# --- met and not met, from the same lesson ---------------------------------
tap_is "counter-unlocked, two updates lost: lose-any met at the end, lose-one not" \
	"$(goals --replay="$R/lost-two.replay")" "lose-one:False:None lose-any:True:6"
printf '%s\n' '# scenario: counter-unlocked' '# workers: 3' work0 work1 work0 work1 work2 work2 \
	>"$TMP/one.replay"
tap_is "counter-unlocked, exactly one lost: both met, at step 6" \
	"$(goals --replay="$TMP/one.replay")" "lose-one:True:6 lose-any:True:6"
tap_is "counter-unlocked, none lost: neither met" \
	"$(goals --replay="$R/serial.replay")" "lose-one:False:None lose-any:False:None"

# --- --goals: a grader's exit status ------------------------------------------
"$LOCKSTEP" --headless -q --goals --replay="$R/lost-two.replay" >/dev/null 2>&1
tap_is "--goals: a goal not met exits 3" $? 3
"$LOCKSTEP" --headless -q --goals --replay="$TMP/one.replay" >/dev/null 2>&1
tap_is "--goals: every goal met exits 0" $? 0
"$LOCKSTEP" --headless -q --replay="$R/lost-two.replay" >/dev/null 2>&1
tap_is "without --goals a goal not met is still exit 0" $? 0
"$LOCKSTEP" --headless -q --json --goals --replay="$R/lost-two.replay" >"$TMP/out" 2>&1
tap_is "--goals --json: exit 3, and the summary is still printed" "$? $(tail -1 "$TMP/out" | cut -c1-18)" \
	'3 {"type":"summary",'
got=$("$LOCKSTEP" --goals counter-unlocked 2>&1)
tap_is "--goals without --headless: one line, exit 2" "$? $got" \
	"2 lockstep: --goals goes with --headless (one run) (see lockstep --help)"

# --- the text summary ----------------------------------------------------
"$LOCKSTEP" --headless -q --replay="$R/lost-two.replay" >"$TMP/text"
tap_is "the text summary counts the goals" "$(grep '^  goals ' "$TMP/text")" "  goals      1 of 2 met"
tap_is "the text summary ticks the met one, with its step" \
	"$(grep -c '^    \[x\] Lose at least one update: .* (step 6)$' "$TMP/text") $(grep -c '^    \[ \] Lose exactly one update' "$TMP/text")" "1 1"
tap_is "--lang=zh: the goals in Chinese" \
	"$("$LOCKSTEP" --lang=zh --headless -q --replay="$R/lost-two.replay" | grep -c '至少丢失一次更新')" 1

# --- the deadlock lesson, ktv-rush ---------------------------------------------
tap_is "deadlock by hand: cycle met when the deadlock forms (step 16)" \
	"$(goals --replay="$R/deadlock-by-hand.replay" | cut -d' ' -f1)" "cycle:True:16"
bad=""
for seed in 1 2 3 4 5 6 7 8 9 10 11 12; do
	line=$("$LOCKSTEP" --headless --json -q --seed=$seed ktv-rush | tail -1)
	want=$(python3 -c 'import json, sys; s = json.loads(sys.argv[1]); print(s["highest"]["inside"] > 4)' "$line")
	got=$(python3 -c 'import json, sys; s = json.loads(sys.argv[1]); print(s["goals"][0]["met"])' "$line")
	[ "$got" = "$want" ] || bad="$bad seed $seed: met $got, highest>4 $want;"
done
tap_is "ktv-rush: 'crowded' (its limit broken) is met exactly when more than 4 were inside at once" "$bad" ""

# --- within, waits and worker, no goals ---------------------------------------
lesson() {   # lesson GOAL-LINES...: a 2-worker lesson with those goals
	{
		printf '%s\n' 'lockstep: 1' 'id: goal-test' 'title: {en: x}' \
			'objects:' '  - {name: count, type: value, initial: 2, expect: 0}' \
			'  - {name: lock, type: lock, max-holders: 1}' \
			'workers:' '  - name: w' '    count: 2' '    program:' \
			'      - {acquire: lock}' '      - {update: {value: count, add: -1}}' \
			'      - {release: lock}' 'process-start-ms: 0' 'goals:'
		printf '%s\n' "$@"
	} >"$TMP/lesson.yaml"
}
lesson '  - {id: wait, text: {en: w1 waits}, when: {waits: lock, worker: w1}}' \
	'  - {id: w0-waits, text: {en: w0 waits}, when: {waits: lock, worker: w0}}' \
	'  - {id: soon, text: {en: by step 1}, when: {waits: lock}, within: 1}' \
	'  - {id: later, text: {en: by step 2}, when: {waits: lock}, within: 2}'
printf '%s\n' w0 w1 w0 w0 w0 >"$TMP/w0-first.replay"
tap_is "waits with worker, and within: w1 waits at step 2, w0 never" \
	"$(goals --replay="$TMP/w0-first.replay" "$TMP/lesson.yaml")" \
	"wait:True:2 w0-waits:False:None soon:False:None later:True:2"
{
	printf '%s\n' 'lockstep: 1' 'id: limits' 'title: {en: x}' 'objects:' \
		'  - {name: at, type: value, initial: 0, limit: 2}' \
		'  - {name: over, type: value, initial: 0, limit: 1}' \
		'  - {name: rooms, type: semaphore, initial: 2, max-holders: 2}' \
		'workers:' '  - name: w' '    count: 1' '    program:' \
		'      - {atomic-add: {value: at, add: 2}}' '      - {atomic-add: {value: over, add: 2}}' \
		'      - {acquire: rooms}' '      - {acquire: rooms}' \
		'goals:' \
		'  - {id: at-limit, text: {en: a}, when: {broken: at}}' \
		'  - {id: over-limit, text: {en: b}, when: {broken: over}}' \
		'  - {id: rooms, text: {en: c}, when: {broken: rooms}}'
} >"$TMP/limits.yaml"
tap_is "broken: a value at its limit keeps it, one above breaks it (step 2); max-holders kept" \
	"$(goals --seed=1 "$TMP/limits.yaml")" "at-limit:False:None over-limit:True:2 rooms:False:None"
tap_is "a lesson without goals: \"goals\":[]" \
	"$("$LOCKSTEP" --headless --json -q "$TESTDIR/good/minimal.yaml" | tail -1 | grep -o '"goals":\[\]')" \
	'"goals":[]'

# --- --dump keeps them: the dumped file judges every goal the same ----------------
bad=""
for f in "$SCENARIOS"/*.yaml; do
	n=$(basename "$f" .yaml)
	"$LOCKSTEP" --dump "$f" >"$TMP/$n.yaml" 2>/dev/null || { bad="$bad $n (no dump)"; continue; }
	[ "$(goals --seed=7 "$f")" = "$(goals --seed=7 "$TMP/$n.yaml")" ] || bad="$bad $n"
	grep -q '^goals:' "$TMP/$n.yaml" || bad="$bad $n (no goals)"
done
tap_is "--dump keeps every lesson's goals: the dump judges them the same" "$bad" ""

# --- every bundled lesson has goals, in both languages ----------------------------
missing=$(python3 - "$SCENARIOS" <<'EOF'
import glob, sys, yaml
for f in sorted(glob.glob(sys.argv[1] + "/*.yaml")):
    goals = yaml.safe_load(open(f, encoding="utf-8")).get("goals") or []
    if not goals or any(not g["text"].get("en") or not g["text"].get("zh") for g in goals):
        print(f.rsplit("/", 1)[1])
EOF
)
tap_is "every bundled lesson has goals with en and zh texts" "$missing" ""

tap_done
