#!/bin/bash
# tests/stress.sh: no worker can hang a run (issue 7, item 6).
#
# Every bundled lesson (scenarios/*.yaml) runs headless under the random,
# round-robin and os schedules, twice each, while this script attacks it
# from outside: at a random moment it SIGKILLs or SIGSTOPs a random child
# of lockstep (a worker, or the manager).  Every run must end by itself
# (a hang guard gives up after GUARD seconds, which no run needs: --timeout
# ends each within 2 s, and a stepped worker that does not answer is
# killed after 2 s), exit 0 with an outcome in its summary, and leave no
# survivor: none of its children, nothing in its process group.  The
# runs use --workers=6 where the lesson allows it, so a lesson of 100
# workers does not make the test slow.
#
# The random moment of the attack is the attack, not synchronisation:
# what is waited for (lockstep's first child, the end of each run) is
# polled with a deadline.
# RANDOM is seeded from $STRESS_SEED (printed), so a failure can be
# replayed with the same attacks, up to the kernel's timing.
#
# Environment (make check exports them): LOCKSTEP, SCENARIOS, TESTDIR.
# Output: TAP (the plan comes last).

set -u
LOCKSTEP=${LOCKSTEP:-}
SCENARIOS=${SCENARIOS:-}
TESTDIR=${TESTDIR:-$(cd "$(dirname "$0")" && pwd)}
. "$TESTDIR/tap.sh"

tap_need_lockstep

GUARD=30          # seconds: a hang guard, never a measurement
MYPGID=$(ps -o pgid= -p $$ | tr -d ' ')
PARALLEL=4
STRESS_SEED=${STRESS_SEED:-$(( $(date +%s) % 32768 ))}
RANDOM=$STRESS_SEED
tap_diag "STRESS_SEED=$STRESS_SEED"

tap_tmpdir stress

pid_ended() {
	! pid_alive "$1"
}

# KIDS = the children of PID now (builtins only, no fork: quick enough to
# land inside a run of a few milliseconds).
children_of() {
	KIDS=""
	read -r KIDS <"/proc/$1/task/$1/children" 2>/dev/null
}

# One attacked run; writes "status|outcome|survivors|what" to $TMP/N.res.
# Args: N FILE SCHEDULE SIGNAL SEED SPINS [OPTIONS...]
# The attack comes once lockstep has children (a bounded poll), after
# SPINS more looks at them: a random moment during the forks or the run.
attacked_run() {
	local n=$1 file=$2 sched=$3 sig=$4 seed=$5 spins=$6
	shift 6
	local base=$TMP/$n
	"$LOCKSTEP" --headless -q --schedule="$sched" --seed="$seed" --timeout=2 "$@" \
		"$file" >"$base.out" 2>"$base.err" &
	local pid=$! kids="" seen="" victim pgid="" what="nobody (it had ended)" i stat
	for ((i = 0; i < 1000000; i++)); do
		children_of "$pid"
		[ -n "$KIDS" ] && break
		[ -d "/proc/$pid" ] || break
	done
	for ((i = 0; i < spins; i++)); do
		children_of "$pid"
		[ -n "$KIDS" ] || break
		seen="$seen $KIDS"
	done
	children_of "$pid"
	kids=$KIDS
	if [ -n "$kids" ]; then
		set -- $kids
		local nk=$#
		shift $((RANDOM % nk))
		victim=$1
		stat=""
		read -r stat <"/proc/$victim/stat" 2>/dev/null
		kill "-$sig" "$victim" 2>/dev/null && what="pid $victim of $nk"
		stat=${stat##*) }
		set -- $stat
		pgid=${3:-}
		# Just forked, it may still be in our own group: no group of its own to check.
		[ "$pgid" = "$MYPGID" ] && pgid=""
	fi
	local status=guard
	if wait_until "$GUARD" pid_ended "$pid"; then
		wait "$pid"
		status=$?
	else
		kill -KILL "$pid" 2>/dev/null
		wait "$pid" 2>/dev/null
	fi
	local left="" p
	for p in $(echo $seen $kids | tr ' ' '\n' | sort -u); do
		pid_alive "$p" && left="$left child $p"
	done
	if [ -n "$pgid" ] && pgrep -g "$pgid" >/dev/null 2>&1; then
		left="$left group $pgid: $(pgrep -g "$pgid" | tr '\n' ' ')"
	fi
	local outcome
	outcome=$(sed -n 's/^  outcome *\([a-z]*\).*/\1/p' "$base.out" | head -1)
	printf '%s|%s|%s|%s\n' "$status" "$outcome" "$left" "$what" >"$base.res"
}

# Which lessons take --workers (one worker group): ask lockstep itself.
declare -A WORKERS_OK
files=("$SCENARIOS"/*.yaml)
for f in "${files[@]}"; do
	"$LOCKSTEP" --headless -q --schedule=round-robin --timeout=1 --workers=6 "$f" \
		>/dev/null 2>&1 && WORKERS_OK[$f]=1
done

runs=()
n=0
for f in "${files[@]}"; do
	for sched in random round-robin os; do
		for sig in KILL STOP; do
			opts=()
			[ -n "${WORKERS_OK[$f]:-}" ] && opts=(--workers=6)
			[ "$sched" = os ] && opts+=(--speed=20)
			runs+=("$n|$f|$sched|$sig|$RANDOM|$((RANDOM % 40))|${opts[*]}")
			n=$((n + 1))
		done
	done
done

# Run them PARALLEL at a time; read the results back in order.
active=()
for r in "${runs[@]}"; do
	IFS='|' read -r idx file sched sig seed delay opts <<<"$r"
	# shellcheck disable=SC2086
	attacked_run "$idx" "$file" "$sched" "$sig" "$seed" "$delay" $opts &
	BGPIDS+=($!)
	active+=($!)
	if [ ${#active[@]} -ge $PARALLEL ]; then
		wait "${active[0]}"
		active=("${active[@]:1}")
	fi
done
wait

for r in "${runs[@]}"; do
	IFS='|' read -r idx file sched sig seed delay opts <<<"$r"
	name="$(basename "$file" .yaml) --schedule=$sched --seed=$seed $opts, SIG$sig after $delay looks"
	if ! [ -f "$TMP/$idx.res" ]; then
		tap_not_ok "$name" "no result"
		continue
	fi
	IFS='|' read -r status outcome left what <"$TMP/$idx.res"
	case "$outcome" in
	finished|deadlock|timeout) good_outcome=1 ;;
	*) good_outcome=0 ;;
	esac
	if [ "$status" = 0 ] && [ "$good_outcome" = 1 ] && [ -z "$left" ]; then
		tap_ok "$name: $outcome (attacked $what)"
	else
		tap_not_ok "$name" "exit status: $status ('guard': it hung)" "outcome: $outcome" \
			"survivors: ${left:-none}" "attacked: $what" \
			"stderr: $(head -c 300 "$TMP/$idx.err")"
	fi
done
tap_done
