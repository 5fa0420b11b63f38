# tests/tap.sh: shared helpers for the shell tests, which speak TAP.
#
# Source it from a bash test script:
#
#     . "$TESTDIR/tap.sh"
#     tap_check "lockstep --version exits 0" "$LOCKSTEP" --version
#     wait_until 5 some_condition arg... || tap_diag "gave up waiting"
#     tap_done
#
# The plan ("1..N") is printed last, by tap_done, so a script can add
# checks freely; a script that dies before tap_done has no plan, and the
# TAP driver reports that as an error.  Every test script exits 0: the
# driver counts the "not ok" lines.
#
# Nothing here sleeps in place of synchronising: wait_until polls a
# condition until it holds or a deadline passes, so a fast machine does
# not wait and a slow one does not fail (deadlines are generous limits,
# never what a test measures).
#
# Functions:
#   tap_ok DESC                 record a pass
#   tap_not_ok DESC [LINE...]   record a failure, each LINE as a "#" comment
#   tap_is DESC GOT WANT        pass when the strings are equal
#   tap_check DESC CMD...       pass when CMD exits 0
#   tap_skip DESC REASON        record a skipped check ("ok N - DESC # SKIP REASON")
#   tap_diag LINE...            print "#" comments (also stdin, when no LINE)
#   tap_done                    print the plan and exit 0
#   now_ms                      milliseconds since the epoch
#   wait_until SECONDS CMD...   run CMD every 20 ms until it exits 0 (return 0)
#                               or SECONDS pass (return 1); SECONDS may be
#                               fractional (e.g. 0.5)
#   pid_alive PID               true while PID runs (a zombie counts as dead:
#                               it runs nothing, and whoever is its parent
#                               now may never reap it)
#   pids_gone PID...            true when none of the PIDs is alive
#   tap_tmpdir NAME             make $TMP (removed at exit) and BGPIDS, an
#                               array of background pids killed at exit
#   field JSON EXPR             print the Python expression EXPR over the
#                               parsed JSON line j
#   tap_need_lockstep           skip the whole script (plan 1..0) unless
#                               $LOCKSTEP is an executable and python3 is
#                               there; default SCENARIOS to ../scenarios
#
# Counters: TAP_N (checks so far), TAP_FAILED (failures so far).

TAP_N=0
TAP_FAILED=0

tap_diag() {
	if [ $# -eq 0 ]; then
		sed 's/^/#   /'
	else
		local line
		for line in "$@"; do
			printf '%s\n' "$line" | sed 's/^/#   /'
		done
	fi
}

tap_ok() {
	TAP_N=$((TAP_N + 1))
	printf 'ok %d - %s\n' "$TAP_N" "$1"
}

tap_not_ok() {
	TAP_N=$((TAP_N + 1))
	TAP_FAILED=$((TAP_FAILED + 1))
	printf 'not ok %d - %s\n' "$TAP_N" "$1"
	shift
	[ $# -gt 0 ] && tap_diag "$@"
	return 0
}

tap_is() {
	if [ "$2" = "$3" ]; then
		tap_ok "$1"
	else
		tap_not_ok "$1" "got:  $2" "want: $3"
	fi
}

tap_check() {
	local desc=$1
	shift
	if "$@"; then
		tap_ok "$desc"
	else
		tap_not_ok "$desc" "failed: $*"
	fi
}

tap_skip() {
	TAP_N=$((TAP_N + 1))
	printf 'ok %d - %s # SKIP %s\n' "$TAP_N" "$1" "$2"
}

tap_done() {
	printf '1..%d\n' "$TAP_N"
	exit 0
}

now_ms() {
	echo $(( $(date +%s%N) / 1000000 ))
}

wait_until() {
	local secs=$1
	shift
	local ms
	ms=$(awk -v s="$secs" 'BEGIN { printf "%d", s * 1000 }')
	local deadline=$(( $(now_ms) + ms ))
	while :; do
		"$@" && return 0
		[ "$(now_ms)" -ge "$deadline" ] && return 1
		sleep 0.02
	done
}

pid_alive() {
	kill -0 "$1" 2>/dev/null || return 1
	local stat
	stat=$(cat "/proc/$1/stat" 2>/dev/null) || return 1
	# The state is the field after the ")" that ends the command name.
	stat=${stat##*) }
	[ "${stat%% *}" != Z ]
}

pids_gone() {
	local p
	for p in "$@"; do
		pid_alive "$p" && return 1
	done
	return 0
}

tap_need_lockstep() {
	if [ -z "${LOCKSTEP:-}" ] || ! [ -x "$LOCKSTEP" ]; then
		echo "1..0 # SKIP LOCKSTEP is not an executable (run through make check)"
		exit 0
	fi
	if ! command -v python3 >/dev/null 2>&1; then
		echo "1..0 # SKIP python3 is needed to read the JSON output"
		exit 0
	fi
	[ -n "${SCENARIOS:-}" ] || SCENARIOS=$(cd "$TESTDIR/../scenarios" && pwd)
}

# field JSON PYTHON-EXPRESSION: evaluate the expression over the parsed
# JSON line `j` (a summary, a runs or an explore line) and print it.
field() {
	python3 -c 'import json, sys; j = json.loads(sys.argv[1]); print(eval(sys.argv[2]))' "$1" "$2"
}

tap_tmpdir() {
	TMP=$(mktemp -d "${TMPDIR:-/tmp}/lockstep-$1.XXXXXX")
	BGPIDS=()
	trap tap_cleanup EXIT
}

# Only the test's own shell cleans up: a background subshell killed just
# after it was forked can still run the EXIT trap it inherited (bash does
# so before it resets its traps), and would remove $TMP under the test.
tap_cleanup() {
	local p
	[ "$BASHPID" = "$$" ] || return 0
	for p in "${BGPIDS[@]}"; do
		kill -KILL "$p" 2>/dev/null
	done
	rm -rf "$TMP"
}
