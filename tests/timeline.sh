#!/bin/bash
# tests/timeline.sh: --timeline and --svg=FILE, the timeline of one run
# (issue 11, item 3), through the real binary on real processes.
#
#  - The deadlock lesson's timeline has a row per worker; the two workers
#    of the cycle end in '#' and say what they hold and wait for, the
#    others do not; the summary follows.
#  - A long run comes out in blocks of 60 steps, each with every worker.
#  - --svg writes a file python3's XML parser reads, an <svg> with a row
#    per worker and the cycle; a title full of XML's special characters
#    comes back as written (escaped, not broken).
#  - A run longer than the picture keeps is drawn from a later step, and
#    says so; a full disk is one line and exit 1.
#  - Bad combinations and an unopenable --svg file are one line, exit 2.
#
# Environment (make check exports them): LOCKSTEP, SCENARIOS, TESTDIR.
# Output: TAP (the plan comes last).

set -u
LOCKSTEP=${LOCKSTEP:-}
SCENARIOS=${SCENARIOS:-}
TESTDIR=${TESTDIR:-$(cd "$(dirname "$0")" && pwd)}
. "$TESTDIR/tap.sh"

tap_need_lockstep
tap_tmpdir timeline
GUARD=60

# --- the deadlock's cycle, as text --------------------------------------------
timeout -s KILL $GUARD "$LOCKSTEP" --timeline --seed=1 deadlock >"$TMP/dl" 2>"$TMP/err"
tap_is "--timeline deadlock: exit 0, nothing on stderr" "$?:$(cat "$TMP/err")" "0:"
rows=$(grep -cE '^  Thread-[1-5] ' "$TMP/dl")
tap_is "a row per worker (5)" "$rows" 5
cyc=$(grep -E '^  Thread-[0-9]+ +[^ ]*#  in the cycle: holds mutex[AB], waits for mutex[AB]$' "$TMP/dl" |
	awk '{ print $1 }' | sort | tr '\n' ' ')
tap_is "the cycle's two workers end in '#' and say what they hold and wait for" \
	"$cyc" "Thread-1 Thread-2 "
if grep -E '^  Thread-[345] ' "$TMP/dl" | grep -q '#'; then
	tap_not_ok "the workers only waiting are not in the cycle" "$(cat "$TMP/dl")"
else
	tap_ok "the workers only waiting are not in the cycle"
fi
if grep -qE '^  step +0 +10 +#$' "$TMP/dl" && grep -q '# in the deadlock.s cycle' "$TMP/dl"; then
	tap_ok "the ruler marks the cycle's column and the legend says what '#' means"
else
	tap_not_ok "the ruler marks the cycle's column and the legend says what '#' means" \
		"$(cat "$TMP/dl")"
fi
if grep -q '^== deadlock: deadlock ==$' "$TMP/dl" && ! grep -q 'what happened' "$TMP/dl"; then
	tap_ok "the summary follows the timeline, which replaces the trace"
else
	tap_not_ok "the summary follows the timeline, which replaces the trace" "$(cat "$TMP/dl")"
fi
# What Thread-2 holds: mutexA from its acquire to the deadlock ('a' under it).
held=$(grep -A1 -E '^  Thread-2 ' "$TMP/dl" | sed -n 2p | tr -d ' ')
tap_is "a bar under Thread-2 says it holds mutexA" "$held" "$(printf 'a%.0s' $(seq ${#held}))"

# --- a long run: blocks of 60 steps, each with every worker --------------------
timeout -s KILL $GUARD "$LOCKSTEP" --timeline --seed=2 counter-unlocked >"$TMP/long"
steps=$(sed -n 's/^  outcome .* after \([0-9]*\) steps.*/\1/p' "$TMP/long")
blocks=$(grep -cE '^  step ' "$TMP/long")
tap_is "counter-unlocked: $steps steps in $(( steps / 60 + 1 )) blocks of 60" "$blocks" \
	"$(( steps / 60 + 1 ))"
tap_is "every block has the 100 workers" "$(grep -cE '^  work[0-9]+( |$)' "$TMP/long")" \
	"$(( blocks * 100 ))"
os=$(timeout -s KILL $GUARD "$LOCKSTEP" --timeline --schedule=os --workers=5 counter-unlocked |
	grep -cE '^  work[0-4] +\*.*r.*w\|$')
tap_is "os: each worker starts, reads, writes and ends" "$os" 5

# --- SVG ---------------------------------------------------------------------------
svgcheck() {
	python3 - "$@" <<'EOF'
import sys, xml.etree.ElementTree as ET
root = ET.parse(sys.argv[1]).getroot()
ns = '{http://www.w3.org/2000/svg}'
assert root.tag == ns + 'svg', root.tag
texts = [''.join(t.itertext()) for t in root.iter(ns + 'text')]
for want in sys.argv[2:]:
    assert any(want in t for t in texts), (want, texts[:20])
print('ok')
EOF
}
timeout -s KILL $GUARD "$LOCKSTEP" --svg="$TMP/dl.svg" --seed=1 deadlock >"$TMP/out" 2>"$TMP/err"
tap_is "--svg: exit 0" "$?:$(cat "$TMP/err")" "0:"
tap_is "--svg writes well-formed XML: an <svg> with every worker and the cycle" \
	"$(svgcheck "$TMP/dl.svg" Thread-1 Thread-5 "in the cycle: holds mutexB, waits for mutexA" 2>&1)" ok
tap_check "--svg alone prints the trace and the summary as --headless does" \
	grep -q '^== deadlock: deadlock ==$' "$TMP/out"

sed -e 's/^title: .*/title: {en: "Tom \& Jerry <say> \\"hi\\" '"'"'n'"'"' \&amp; bye"}/' \
	"$SCENARIOS/deadlock.yaml" >"$TMP/odd.yaml"
"$LOCKSTEP" --check "$TMP/odd.yaml" >/dev/null 2>&1 || tap_diag "odd.yaml does not load"
timeout -s KILL $GUARD "$LOCKSTEP" --svg="$TMP/odd.svg" --seed=1 -q "$TMP/odd.yaml" >/dev/null 2>&1
tap_is "a title with & < > \" ' comes back from the SVG as written" \
	"$(svgcheck "$TMP/odd.svg" "Tom & Jerry <say> \"hi\" 'n' &amp; bye" 2>&1)" ok

# A run longer than the picture keeps: its newest steps, and it says from which.
timeout -s KILL $GUARD "$LOCKSTEP" --svg="$TMP/big.svg" --seed=1 -q --workers=1100 counter-unlocked \
	>/dev/null 2>&1
tap_is "2200 steps of 1100 workers: a well-formed picture of the newest steps, saying from which" \
	"$(svgcheck "$TMP/big.svg" "work1099" "from step" 2>&1)" ok
# A picture that cannot be written: exit 1, one line.
"$LOCKSTEP" --svg=/dev/full --seed=1 -q deadlock >/dev/null 2>"$TMP/err"
st=$?
if [ "$st" = 1 ] && [ "$(wc -l <"$TMP/err")" = 1 ] && grep -q "/dev/full" "$TMP/err"; then
	tap_ok "--svg=/dev/full: one line, exit 1"
else
	tap_not_ok "--svg=/dev/full: one line, exit 1" "exit $st" "$(cat "$TMP/err")"
fi

# --- bad input: one line, exit 2 ---------------------------------------------------
one_line_2() {
	local desc=$1
	shift
	"$LOCKSTEP" "$@" >"$TMP/out" 2>"$TMP/err"
	local st=$?
	if [ "$st" = 2 ] && [ "$(wc -l <"$TMP/err")" = 1 ] && [ ! -s "$TMP/out" ]; then
		tap_ok "$desc: one line, exit 2"
	else
		tap_not_ok "$desc: one line, exit 2" "exit $st" "$(cat "$TMP/err" "$TMP/out")"
	fi
}
one_line_2 "--timeline --json" --timeline --json deadlock
one_line_2 "--timeline --runs" --timeline --runs=3 deadlock
one_line_2 "--svg --runs" --svg="$TMP/x.svg" --runs=3 deadlock
one_line_2 "--svg into a missing directory" --svg="$TMP/no/such/x.svg" deadlock
one_line_2 "--svg=" --svg= deadlock

tap_done
