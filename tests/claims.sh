#!/bin/bash
# tests/claims.sh: every bundled lesson's pages make claims (what a run ends
# with, the figures they name); tests/claims.py checks each claim against
# the real binary's --headless --json summaries, under several seeds and
# schedules.  This wrapper only finds the binary and python3.
#
# Environment (make check exports them): LOCKSTEP, SCENARIOS, TESTDIR.
# Output: TAP.

set -u
LOCKSTEP=${LOCKSTEP:-}
SCENARIOS=${SCENARIOS:-}
TESTDIR=${TESTDIR:-$(cd "$(dirname "$0")" && pwd)}
. "$TESTDIR/tap.sh"

tap_need_lockstep
export LOCKSTEP SCENARIOS TESTDIR
exec python3 "$TESTDIR/claims.py"
