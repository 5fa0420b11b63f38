#!/bin/bash
# tests/tui-zh.sh: under --lang=zh no English interface word is on any
# screen (issue 9).  The real program is driven in tmux through the
# deadlock lesson to its DEADLOCK (code columns, a hint, help, wait-for
# graph, --big, a refused step, a kill) and through a KTV run to its end
# (the Result panel, the timeline, many runs, --big, a new seed, the switch
# dial, a schedule change), and the lesson menu, at 120x40 and at 80x24;
# every screen is captured and read.
#
# The English words are the catalogue's own (tests/tui-zh-words.py builds
# them from po/zh_CN.po's msgids, minus what the translations keep on
# purpose); what the scenario file shows (its Python, its Chinese texts,
# its workers' and objects' names) is not the interface and is skipped.
#
# Environment (make check exports them): LOCKSTEP, SCENARIOS, TMUX_BIN,
# TESTDIR.  Output: TAP.  On a failure the words found and the screen are
# printed as # comments.

set -u
LOCKSTEP=${LOCKSTEP:-}
SCENARIOS=${SCENARIOS:-}
TMUX_BIN=${TMUX_BIN:-}
TESTDIR=${TESTDIR:-$(cd "$(dirname "$0")" && pwd)}
WAIT=${WAIT:-10}

. "$TESTDIR/tmux.sh"

PO=$TESTDIR/../po/zh_CN.po
WORDS="python3 $TESTDIR/tui-zh-words.py"
if ! python3 -c 'import yaml' 2>/dev/null; then
	echo "1..0 # SKIP python3 with PyYAML is needed to read the scenarios' own words"
	exit 0
fi
nwords=$($WORDS words "$PO" | wc -l)
if [ "$nwords" -lt 200 ]; then
	echo "1..0 # SKIP too few English words in the catalogue ($nwords): is po/ there?"
	exit 0
fi
echo "# $nwords English interface words, from po/zh_CN.po's msgids"

new_pane 120 40 || { echo "1..0 # SKIP cannot start tmux"; exit 0; }

# english: the screen has no English interface word ($SCN: the
# scenario files on it, whose own words are not the interface).
english() {
	local found
	# shellcheck disable=SC2086  # a list of paths without spaces
	found=$(screen | $WORDS check "$PO" $SCN)
	[ -z "$found" ] && return 0
	printf '%s\n' "$found" | sed 's/^/#   english: /'
	return 1
}
# snap WHAT READY-RE: wait for the screen to be ready, then read it.
SIZE=
snap() {
	if ! wait_for "$2"; then
		not_ok "$SIZE $1: the screen came (/$2/)"
		return
	fi
	check "$SIZE $1: no English word" english
}

for size in 120x40 80x24; do
	# One pane, resized: a server that loses its last session may exit.
	tm resize-window -t t -x "${size%x*}" -y "${size#*x}"
	SIZE=$size

	SCN=$SCENARIOS/deadlock.yaml
	run "$LOCKSTEP" --lang=zh --seed=1 --speed=512 deadlock
	snap "deadlock, paused at step 0" '第 0 步 +已暂停'
	keys Space
	snap "deadlock, a step and what it did" '第 1 步：'
	keys c
	snap "each worker's code in its own column" '^1 . Thread-1 +│'
	keys c
	wait_gone '^1 . Thread-1 +│'
	keys h
	snap "a hint" '提示：'
	keys '?'
	snap "the key help" '按键（按任意键关闭）'
	keys x r
	snap "the DEADLOCK banner and the Result panel" '死锁： +Thread-'
	keys g
	snap "the wait-for graph" '等待图（按任意键关闭）'
	keys x B
	# The projector's DEADLOCK in Chinese: a banner, 死 锁, not Latin block letters.
	snap "--big at the deadlock" '死 锁'
	keys B
	wait_gone '死 锁'
	keys Space
	snap "a step refused at the deadlock" '死锁了：谁都走不动'
	keys k
	snap "a worker killed" '杀掉了 Thread-'
	keys q
	check "$size: the deadlock lesson quits" shell_back

	SCN=$SCENARIOS/ktv.yaml
	run "$LOCKSTEP" --lang=zh --seed=1 --speed=512 ktv
	snap "ktv, paused at step 0" '第 0 步 +已暂停'
	keys 1 1
	snap "ktv, a room taken" '第 2 步：'
	keys i
	snap "the switch dial" '切换概率'
	keys r
	snap "ktv at its end: the Result panel" '结果：已结束'
	keys t
	snap "the timeline" '时间线：'
	keys t
	wait_gone '时间线：'
	keys m
	snap "many runs" '100 次运行都跑完了'
	keys m
	wait_gone '100 次运行都跑完了'
	keys B
	snap "--big at the end" '██'
	keys B
	wait_gone '██'
	keys l
	snap "the lesson read on" '第 2/|第 [2-9][0-9]*-'
	keys n
	snap "a new seed" '换了一种交错顺序'
	keys s
	snap "another schedule" '调度方式：'
	keys q
	check "$size: the ktv lesson quits" shell_back

	SCN=$(ls "$SCENARIOS"/*.yaml)
	run "$LOCKSTEP" --lang=zh
	snap "the lesson menu" '多进程课程'
	keys q
	check "$size: the menu quits" shell_back
done

echo "1..$n"
[ "$failed" -eq 0 ]
