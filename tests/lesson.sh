#!/bin/bash
# tests/lesson.sh: every bundled lesson scenario, run by the real binary.
#
# For each scenarios/*.yaml: `lockstep --check` accepts it, and a headless
# JSON run under --schedule=os (speed 50), under --schedule=random with two
# seeds and under --schedule=round-robin ends with the outcome the file's
# own `expect: {outcome: ...}` says.  The summary must respect every
# object's `max-holders` (its `peak`), must report no dead worker except in
# the scenarios that kill one on purpose (crash-in-lock's crash ops,
# bounded-semaphore's over-release), and every process the run started
# (the pids of its start events, and the manager's) must be gone when the
# binary exits.  What each lesson's pages promise
# on top of that is tests/claims.sh's.
#
# Runs of one scenario go in parallel in the background; results are read
# back in a fixed order, so the output is the same on every run.  Nothing
# here sleeps in place of synchronising, and nothing is timed.
#
# Environment (make check exports them): LOCKSTEP, SCENARIOS, TESTDIR.
# Output: TAP (the plan comes last).

set -u
LOCKSTEP=${LOCKSTEP:-}
SCENARIOS=${SCENARIOS:-}
TESTDIR=${TESTDIR:-$(cd "$(dirname "$0")" && pwd)}
. "$TESTDIR/tap.sh"

tap_need_lockstep

tap_tmpdir lesson
trap 'exit 1' INT TERM HUP

# Scenarios whose workers die on purpose.
CRASHERS=" crash-in-lock bounded-semaphore "

# The schedules each scenario runs under: label and options.
RUN_LABELS=(os random-1 random-2 round-robin)
RUN_OPTS=("--schedule=os --speed=50" "--schedule=random --seed=1"
          "--schedule=random --seed=2" "--schedule=round-robin")

# What the file itself says: "outcome X" and "max NAME N" lines, read with
# no YAML library (the format keeps these on one flow-style line each).
yaml_facts() {
	python3 - "$1" <<'EOF'
import re, sys
text = open(sys.argv[1], encoding="utf-8").read()
m = re.search(r"^expect:\s*\{\s*outcome:\s*([a-z]+)\s*\}", text, re.M)
print("outcome", m.group(1) if m else "any")
for line in text.splitlines():
    if not re.match(r"\s*- \{", line):
        continue
    name = re.search(r"\bname:\s*([A-Za-z_][A-Za-z0-9_-]*)", line)
    mh = re.search(r"\bmax-holders:\s*([0-9]+)", line)
    if name and mh:
        print("max", name.group(1), mh.group(1))
crash = re.search(r"^\s*-\s*\{?\s*crash:", text, re.M)
print("crashop", 1 if crash else 0)
EOF
}

# Read a --json run's output: "key value" lines for the shell.
json_facts() {
	python3 - "$1" <<'EOF'
import json, sys
pids, summary, bad = [], None, 0
for line in open(sys.argv[1], encoding="utf-8"):
    line = line.strip()
    if not line:
        continue
    try:
        d = json.loads(line)
    except ValueError:
        bad += 1
        continue
    if d.get("type") == "event" and d.get("event") == "start":
        pids.append(d.get("pid"))
    elif d.get("type") == "summary":
        summary = d
if summary is None:
    print("summary 0")
    sys.exit(0)
print("summary 1")
print("badlines", bad)
print("outcome", summary.get("outcome"))
print("died", summary.get("died"))
print("processes", summary.get("processes"))
print("workers", summary.get("workers"))
man = summary.get("manager") or {}
print("manager_pid", man.get("pid", 0))
for k, v in sorted((summary.get("peak") or {}).items()):
    print("peak", k, v)
print("pids", " ".join(str(p) for p in pids))
EOF
}

fact() {   # fact FILE KEY: the rest of the first line that starts with KEY
	awk -v k="$2" '$1 == k { $1 = ""; sub(/^ /, ""); print; exit }' "$1"
}

ran=0
for f in "$SCENARIOS"/*.yaml; do
	id=$(basename "$f" .yaml)
	ran=$((ran + 1))
	yaml_facts "$f" >"$TMP/$id.yaml.facts"
	want=$(fact "$TMP/$id.yaml.facts" outcome)

	if out=$("$LOCKSTEP" --check "$f" 2>&1); then
		tap_ok "$id: lockstep --check accepts it"
	else
		tap_not_ok "$id: lockstep --check accepts it" "$out"
	fi

	# The four runs at once, each into its own files.
	BGPIDS=()
	for i in "${!RUN_LABELS[@]}"; do
		# shellcheck disable=SC2086
		"$LOCKSTEP" --headless --json --timeout=30 ${RUN_OPTS[$i]} "$f" \
			>"$TMP/$id.$i.out" 2>"$TMP/$id.$i.err" &
		BGPIDS+=($!)
	done
	for i in "${!RUN_LABELS[@]}"; do
		wait "${BGPIDS[$i]}"
		echo $? >"$TMP/$id.$i.rc"
	done
	BGPIDS=()

	for i in "${!RUN_LABELS[@]}"; do
		what="$id (${RUN_LABELS[$i]})"
		rc=$(cat "$TMP/$id.$i.rc")
		if [ "$rc" != 0 ]; then
			tap_not_ok "$what: lockstep exits 0" "exit $rc" \
				"$(head -c 600 "$TMP/$id.$i.err")"
			continue
		fi
		json_facts "$TMP/$id.$i.out" >"$TMP/$id.$i.facts"
		F="$TMP/$id.$i.facts"
		if [ "$(fact "$F" summary)" != 1 ]; then
			tap_not_ok "$what: a JSON summary is printed" \
				"$(tail -c 600 "$TMP/$id.$i.out")"
			continue
		fi
		tap_is "$what: every output line is JSON" "$(fact "$F" badlines)" 0

		if [ "$want" = any ]; then
			tap_skip "$what: outcome" "the file expects none"
		else
			tap_is "$what: outcome is the expected $want" "$(fact "$F" outcome)" "$want"
		fi

		# max-holders: the peak never passes it (and the lock was used).
		while read -r _ name max; do
			peak=$(awk -v n="$name" '$1 == "peak" && $2 == n { print $3; exit }' "$F")
			if [ -z "$peak" ]; then
				tap_not_ok "$what: peak of $name is reported" "no peak for $name"
			elif [ "$peak" -ge 1 ] && [ "$peak" -le "$max" ]; then
				tap_ok "$what: peak of $name ($peak) within max-holders $max"
			else
				tap_not_ok "$what: peak of $name within max-holders $max" "peak $peak"
			fi
		done < <(grep '^max ' "$TMP/$id.yaml.facts")

		died=$(fact "$F" died)
		if [[ $CRASHERS == *" $id "* ]] || [ "$(fact "$TMP/$id.yaml.facts" crashop)" = 1 ]; then
			if [ "$died" -ge 1 ] 2>/dev/null; then
				tap_ok "$what: a worker dies on purpose (died $died)"
			else
				tap_not_ok "$what: a worker dies on purpose" "died: $died"
			fi
		else
			tap_is "$what: no worker died" "$died" 0
		fi

		# Every process it started is gone now that the binary exited.
		read -r -a pids <<<"$(fact "$F" pids)"
		mpid=$(fact "$F" manager_pid)
		[ -n "$mpid" ] && [ "$mpid" != 0 ] && pids+=("$mpid")
		wantn=$(fact "$F" processes)
		if [ "${#pids[@]}" != "$wantn" ]; then
			tap_not_ok "$what: a pid for every process started" \
				"${#pids[@]} pids, processes $wantn"
		fi
		if pids_gone "${pids[@]}"; then
			tap_ok "$what: none of its ${#pids[@]} processes is left"
		else
			left=()
			for p in "${pids[@]}"; do
				pid_alive "$p" && left+=("$p")
			done
			tap_not_ok "$what: none of its processes is left" "alive: ${left[*]}"
		fi
	done
done

# Every lesson scenario was found (a broken glob would check nothing).
if [ "$ran" -ge 20 ]; then
	tap_ok "all $ran bundled scenarios were run"
else
	tap_not_ok "all bundled scenarios were run" "only $ran in $SCENARIOS"
fi

tap_done
