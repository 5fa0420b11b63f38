# tests/tmux.sh: drive the real lockstep binary in a private tmux server
# and read its screen: the helpers tests/tui.sh and tests/tui-classroom.sh
# share.  Source it after setting LOCKSTEP, SCENARIOS, TMUX_BIN, WAIT; it
# skips the whole script (plan 1..0) when tmux or lockstep is missing.
#
#   new_pane [COLS [ROWS]]   a fresh pane running a shell whose prompt we know
#   run ARGS...              type a command line into it (then LOCKSTEP-EXIT=N)
#   keys KEYS...             tmux send-keys
#   screen                   the pane's text
#   wait_for RE [SECONDS]    poll until the screen matches (grep -E)
#   wait_gone RE [SECONDS]   poll until it no longer does
#   wait_all RE...           each in turn
#   check DESC CMD...        ok / not ok (the screen as # comments)
#   shell_back, tty_sane     the shell has the terminal back, cooked
#   read_to_end              press l until the page is read to its end
# Nothing sleeps in place of a condition: every wait polls with a bound.

if [ -z "$TMUX_BIN" ] || [ "$TMUX_BIN" = no ] || ! [ -x "$TMUX_BIN" ]; then
	echo "1..0 # SKIP tmux not found"
	exit 0
fi
if [ -z "$LOCKSTEP" ] || ! [ -x "$LOCKSTEP" ]; then
	echo "1..0 # SKIP LOCKSTEP is not an executable (run through make check)"
	exit 0
fi

SOCK=lockstep-test-$$
tm() { "$TMUX_BIN" -L "$SOCK" -f /dev/null "$@"; }
# Only the test's own shell ends the server (see tap_cleanup in tap.sh).
trap '[ "$BASHPID" = "$$" ] && tm kill-server >/dev/null 2>&1' EXIT
trap 'exit 1' INT TERM HUP

n=0
failed=0
screen() { tm capture-pane -p -t t 2>/dev/null; }
ok() { n=$((n + 1)); echo "ok $n - $1"; }
not_ok() {
	n=$((n + 1))
	failed=$((failed + 1))
	echo "not ok $n - $1"
	screen | sed 's/^/#   /'
}

# wait_for REGEX [SECONDS]: until the screen matches (grep -E).
wait_for() {
	local deadline=$(( $(date +%s%N) / 1000000 + ${2:-$WAIT} * 1000 ))
	while :; do
		screen | grep -Eq -- "$1" && return 0
		[ $(( $(date +%s%N) / 1000000 )) -ge "$deadline" ] && return 1
		sleep 0.05
	done
}
# wait_gone REGEX [SECONDS]: until the screen no longer matches.
wait_gone() {
	local deadline=$(( $(date +%s%N) / 1000000 + ${2:-$WAIT} * 1000 ))
	while :; do
		screen | grep -Eq -- "$1" || return 0
		[ $(( $(date +%s%N) / 1000000 )) -ge "$deadline" ] && return 1
		sleep 0.05
	done
}
# wait_all REGEX...: each in turn.
wait_all() { local p; for p; do wait_for "$p" || return 1; done; }
check() { local what=$1; shift; if "$@"; then ok "$what"; else not_ok "$what"; fi; }
keys() { tm send-keys -t t "$@"; }

# A fresh pane with a shell whose prompt we know, at 100x30.
PROMPT='lockstep-test$ '
new_pane() {
	# A session that stays keeps the server up: killing the last session
	# ends the server, and the new-session below could race its exit
	# ("server exited unexpectedly").
	tm has-session -t keep 2>/dev/null || tm new-session -d -s keep "sleep 3600"
	tm kill-session -t t >/dev/null 2>&1
	tm new-session -d -s t -x "${1:-100}" -y "${2:-30}" \
		"env -u NO_COLOR PS1='$PROMPT' LC_ALL=C.UTF-8 TERM=screen-256color sh" || return 1
	tm set-option -t t -g window-size manual >/dev/null 2>&1
	wait_for 'lockstep-test\$'
}
# run ARGS...: type a lockstep command line into the pane's shell.
run() {
	keys "clear; $*; echo LOCKSTEP-EXIT=\$?" Enter
}
# The shell has the terminal again and no lockstep process of this pane
# is left (the program nor any worker).
shell_back() {
	wait_for 'LOCKSTEP-EXIT=' || return 1
	local pid sid i
	pid=$(tm display-message -p -t t '#{pane_pid}')
	sid=$(ps -o sid= -p "$pid" | tr -d ' ')
	for i in $(seq 1 40); do
		pgrep -s "$sid" -f "$LOCKSTEP" >/dev/null || return 0
		sleep 0.05
	done
	return 1
}
# The terminal modes are back to cooked (icanon, echo) after the program.
tty_sane() {
	keys "clear; echo RAW=\$(stty -a | tr ' ;' '\n\n' | grep -cx -e -icanon -e -echo)" Enter
	wait_for '^RAW=0'
}

# Press l until the page on screen is read to its end (a page that fits
# is at its end already); each press must scroll it.
read_to_end() {
	local i shown
	for i in $(seq 1 30); do
		screen | grep -q 'lines [0-9]*-[0-9]* of' || return 0
		screen | grep -q 'l: next page\|end of the lesson' && return 0
		shown=$(screen | grep -o 'lines [0-9]*-[0-9]* of [0-9]*')
		keys l
		wait_gone "$shown" || return 1
	done
	return 1
}

