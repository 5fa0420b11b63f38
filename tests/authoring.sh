#!/bin/bash
# tests/authoring.sh: what a teacher writing lessons uses (issue 10, items
# 5 and 6), through the real binary:
#  - a folder of lessons: `lockstep --list DIR`, `--check DIR`, the menu of
#    `lockstep DIR` (in tmux), LOCKSTEP_PATH and $XDG_DATA_HOME adding
#    folders to the bundled lessons for --list and name lookup, a bundled
#    name still meaning the bundled lesson, replay lines that resolve;
#  - --watch: the TUI starts the lesson again when its file is saved (in
#    place or renamed over it, as editors do), shows a load error in the
#    status line without quitting, and recovers when the file is fixed;
#  - the JSON Schema (tests/schema.py): every bundled scenario and
#    tests/good file valid, the schema errors of tests/bad refused.
#
# Environment (make check exports them): LOCKSTEP, SCENARIOS, TESTDIR,
# TMUX_BIN.  Output: TAP.

set -u
LOCKSTEP=${LOCKSTEP:-}
SCENARIOS=${SCENARIOS:-}
TESTDIR=${TESTDIR:-$(cd "$(dirname "$0")" && pwd)}
TMUX_BIN=${TMUX_BIN:-}
. "$TESTDIR/tap.sh"

tap_need_lockstep
tap_tmpdir authoring

# A teacher's folder: one lesson of its own, one broken file, a FIFO named
# like a lesson (never opened), a hidden file.
LES=$TMP/lessons
mkdir -p "$LES"
sed -e 's/^id: deadlock$/id: my-deadlock/' -e 's/^title: .*/title: {en: "My deadlock", zh: "我的死锁"}/' \
	"$SCENARIOS/deadlock.yaml" >"$LES/my-deadlock.yaml"
printf 'lockstep: 1\nid: broken\n' >"$LES/broken.yaml"
mkfifo "$LES/fifo.yaml"
# A Python program is a lesson too (the compiler makes its scenario).
cp "$TESTDIR/pycompile/counter_unlocked.py" "$LES/vote_race.py"
cp "$SCENARIOS/ktv.yaml" "$LES/.hidden.yaml"

# --- --list and --check on a folder ------------------------------------------
out=$(timeout -s KILL 10 "$LOCKSTEP" --list "$LES" 2>&1)
tap_is "--list DIR lists that folder's lessons only" "$(echo "$out" | grep -c '^  ')" 2
tap_check "--list DIR names them" grep -q "my-deadlock *My deadlock" <<<"$out"
tap_check "--list DIR lists its Python program" grep -q "vote-race *vote_race.py" <<<"$out"
timeout -s KILL 10 "$LOCKSTEP" --check "$LES" >"$TMP/out" 2>"$TMP/err"
st=$?
tap_is "--check DIR: exit 2 for the broken file" "$st" 2
tap_check "--check DIR: the good one is ok" grep -q "my-deadlock.yaml: ok" "$TMP/out"
tap_check "--check DIR: its Python program compiles" grep -q "vote_race.py: ok" "$TMP/out"
tap_is "--check DIR: one line for the broken one, with its position" \
	"$(grep -c "broken.yaml:[0-9]*:[0-9]*: error: missing required key 'title'" "$TMP/err")" 1
tap_is "--check DIR: the FIFO named like a lesson is refused without hanging" \
	"$(grep -c "fifo.yaml:1:1: error: not a regular file" "$TMP/err")" 1
tap_is "--check DIR: two lines in all, the hidden file is not read" "$(wc -l <"$TMP/err")" 2
"$LOCKSTEP" --headless "$LES" >"$TMP/out" 2>"$TMP/err"
tap_is "--headless DIR is a usage error" "$?:$(wc -l <"$TMP/err")" "2:1"

# --- LOCKSTEP_PATH and XDG_DATA_HOME add folders -------------------------------
out=$(LOCKSTEP_PATH="/nonexistent:$LES" timeout -s KILL 10 "$LOCKSTEP" --list)
tap_check "LOCKSTEP_PATH adds its lessons to --list" grep -q "my-deadlock" <<<"$out"
tap_check "LOCKSTEP_PATH keeps the bundled ones" grep -q "counter-unlocked" <<<"$out"
json=$(LOCKSTEP_PATH="$LES" timeout -s KILL 20 "$LOCKSTEP" --headless -q --json --seed=3 my-deadlock)
tap_check "a lesson of LOCKSTEP_PATH runs by its name" grep -q '"outcome"' <<<"$json"
json=$(LOCKSTEP_PATH="$LES" timeout -s KILL 20 "$LOCKSTEP" --headless -q --json --seed=3 vote_race)
tap_check "a Python program of LOCKSTEP_PATH runs by its name" grep -q '"outcome"' <<<"$json"
replay=$(LOCKSTEP_PATH="$LES" timeout -s KILL 20 "$LOCKSTEP" --headless -q --seed=3 my-deadlock |
	sed -n 's/^  replay *//p')
tap_is "its replay line names its path, which resolves in any shell" \
	"$replay" "lockstep --headless --schedule=random --seed=3 $LES/my-deadlock.yaml"
bundled=$(LOCKSTEP_PATH="$LES" timeout -s KILL 20 "$LOCKSTEP" --headless -q --seed=3 deadlock |
	sed -n 's/^  replay *//p')
tap_is "a bundled lesson's replay line stays its name" \
	"$bundled" "lockstep --headless --schedule=random --seed=3 deadlock"
mkdir -p "$TMP/xdg/lockstep/scenarios"
cp "$LES/my-deadlock.yaml" "$TMP/xdg/lockstep/scenarios/"
sed -e 's/^id: my-deadlock$/id: deadlock/' -e 's/My deadlock/Not the bundled one/' \
	"$LES/my-deadlock.yaml" >"$TMP/xdg/lockstep/scenarios/deadlock.yaml"
out=$(XDG_DATA_HOME="$TMP/xdg" timeout -s KILL 10 "$LOCKSTEP" --list)
tap_check "XDG_DATA_HOME/lockstep/scenarios adds its lessons" grep -q "my-deadlock" <<<"$out"
title=$(XDG_DATA_HOME="$TMP/xdg" timeout -s KILL 20 "$LOCKSTEP" --headless -q --seed=1 deadlock | head -1)
if grep -q "Not the bundled one" <<<"$title"; then
	tap_not_ok "a bundled name still means the bundled lesson" "$title"
else
	tap_ok "a bundled name still means the bundled lesson"
fi
out=$(env -u XDG_DATA_HOME HOME="$TMP/home" LOCKSTEP_PATH= "$LOCKSTEP" nosuch 2>&1)
tap_is "an unknown name lists where it looked, in one line" \
	"$(wc -l <<<"$out"):$(grep -c "not in .*scenarios" <<<"$out")" "1:1"

# --- the JSON Schema -------------------------------------------------------------
if /usr/bin/python3 -c 'import jsonschema, yaml' 2>/dev/null; then
	/usr/bin/python3 "$TESTDIR/schema.py" "$TESTDIR/../docs/scenario.schema.json" \
		"$SCENARIOS" "$TESTDIR" >"$TMP/schema" 2>&1
	while IFS= read -r line; do
		case $line in
		"ok "*) tap_ok "schema: ${line#ok * - }" ;;
		"not ok "*) tap_not_ok "schema: ${line#not ok * - }" ;;
		"#"*) echo "$line" ;;
		esac
	done <"$TMP/schema"
	grep -q '^1\.\.' "$TMP/schema" || tap_not_ok "schema.py ran to its end" "$(tail -5 "$TMP/schema")"
else
	tap_not_ok "the schema test needs Debian's python3-jsonschema and python3-yaml" \
		"run sh bootstrap.sh, which installs them"
fi

# --- the TUI: a folder's menu, --watch ----------------------------------------------
if [ -z "$TMUX_BIN" ] || [ "$TMUX_BIN" = no ] || ! [ -x "$TMUX_BIN" ]; then
	tap_skip "the folder's menu and --watch" "tmux not found"
	tap_done
	exit
fi
SOCK=lockstep-authoring-$$
tm() { "$TMUX_BIN" -L "$SOCK" -f /dev/null "$@"; }
trap '[ "$BASHPID" = "$$" ] && tm kill-server >/dev/null 2>&1; tap_cleanup' EXIT
screen() { tm capture-pane -p -t t 2>/dev/null; }
shows() { screen | grep -Eq -- "$1"; }
# A session that stays keeps the server up: killing the last session ends
# the server, and a new-session racing its exit fails.
tm new-session -d -s keep "sleep 600"
pane() {
	tm kill-session -t t >/dev/null 2>&1
	tm new-session -d -s t -x 100 -y 30 "env LC_ALL=C.UTF-8 TERM=screen-256color $*; echo EXITED=\$?; sleep 60"
}
see() {
	if wait_until 20 shows "$2"; then
		tap_ok "$1"
	else
		tap_not_ok "$1" "$(screen)"
	fi
}

pane "'$LOCKSTEP' '$LES'"
see "lockstep DIR opens the menu of that folder's lessons" "My deadlock"
if shows "Counter|KTV: a semaphore"; then
	tap_not_ok "the folder's menu holds only its lessons" "$(screen)"
else
	tap_ok "the folder's menu holds only its lessons"
fi
tm send-keys -t t q
see "q leaves the folder's menu" "EXITED=0"

W=$TMP/watched.yaml
sed 's/^title: .*/title: {en: "Watch version one"}/' "$SCENARIOS/ktv.yaml" >"$W"
pane "'$LOCKSTEP' --watch '$W'"
see "--watch opens the lesson" "Watch version one"
sed 's/^title: .*/title: {en: "Watch version two"}/' "$SCENARIOS/ktv.yaml" >"$W"
see "saving the file in place starts it again from the new text" "Watch version two"
see "the status line says it was reloaded" "watched.yaml was saved"
printf 'lockstep: 1\nid: ktv\ntitle: {en: "x"}\nobjects: [\n' >"$W.tmp"
mv "$W.tmp" "$W"
see "a broken save shows its error in the TUI, with its position" "watched.yaml:[0-9]+:[0-9]+: error:"
see "the lesson that was running stays on the screen" "Watch version two"
sed 's/^title: .*/title: {en: "Watch version three"}/' "$SCENARIOS/ktv.yaml" >"$W.tmp"
mv "$W.tmp" "$W"   # as editors save: a new file renamed over the old one
see "a fixed file renamed over it loads again" "Watch version three"
tm send-keys -t t q
see "q quits, exit 0" "EXITED=0"
"$LOCKSTEP" --watch --headless "$W" >"$TMP/out" 2>"$TMP/err"
tap_is "--watch with --headless is a usage error" "$?:$(wc -l <"$TMP/err")" "2:1"

tap_done
