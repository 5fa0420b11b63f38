#!/bin/bash
# tests/i18n.sh: the student's language (GNU gettext, po/zh_CN.po).
#
# - every string the sources mark with _() or N_() (or pass to a function
#   po/Makevars names as an xgettext keyword) has a Chinese translation,
#   none untranslated or fuzzy, not even after `make update-po`; the
#   catalogue has no msgid the sources no longer have; it compiles with
#   its formats checked (msgfmt -c);
# - in the files listed in MARKED (those whose strings are all marked), no
#   string with words reaches the output unmarked (tests/i18n-marks.py);
# - every source file is in po/POTFILES.in, so xgettext sees it;
# - a Chinese headless run (trace and summary) of deadlock and ktv has no
#   English interface word left, only the scenario's own names and texts
#   (tests/i18n-english.py), and its JSON is the English run's, word for
#   word;
# - --lang=zh and a Chinese locale select the catalogue, also on a machine
#   with only C.UTF-8 (as CI); --lang=en keeps English under a Chinese
#   locale.
#
# Environment (make check exports them): LOCKSTEP, SCENARIOS, TESTDIR.
# Output: TAP (the plan comes last).

set -u
LOCKSTEP=${LOCKSTEP:-}
SCENARIOS=${SCENARIOS:-}
TESTDIR=${TESTDIR:-$(cd "$(dirname "$0")" && pwd)}
. "$TESTDIR/tap.sh"

tap_need_lockstep
TOP=$(cd "$TESTDIR/.." && pwd)
PO=$TOP/po/zh_CN.po
TMP=$(mktemp -d "${TMPDIR:-/tmp}/lockstep-i18n.XXXXXX")
trap '[ "$BASHPID" = "$$" ] && rm -rf "$TMP"' EXIT   # see tap_cleanup

if ! command -v xgettext >/dev/null || ! command -v msgcmp >/dev/null; then
	tap_skip "catalogue checks" "gettext's tools are not installed"
	tap_done
fi

# Every source file is listed for xgettext.
missing=$(cd "$TOP" && for f in src/*.c; do
	grep -qxF "$f" po/POTFILES.in || echo "$f"
done)
tap_is "every src/*.c is in po/POTFILES.in" "$missing" ""

# The files whose every user-facing string is marked: a new source file
# with strings goes here too.
MARKED="src/trace.c src/words.c src/headless.c src/runs.c src/main.c src/kinds.c
	src/scenario.c src/scenario_doc.c src/scenario_expr.c src/scenario_objects.c
	src/scenario_ops.c src/scenario_schema.c src/catalog.c src/deadlock.c
	src/engine.c src/schedule.c src/plan.c src/worker.c src/worker_ops.c src/worker_sync.c
	src/i18n.c src/timeline_print.c src/explore.c src/tally.c src/py_compile.c
	src/scenario_dump.c src/py_lex.c $(cd "$TOP" && echo src/tui*.c)"
if command -v python3 >/dev/null; then
	if out=$(cd "$TOP" && python3 "$TESTDIR/i18n-marks.py" po/Makevars $MARKED 2>&1); then
		tap_ok "every user-facing string in the finished files is marked for translation"
	else
		tap_not_ok "every user-facing string in the finished files is marked for translation" \
		           "$(printf '%s\n' "$out" | head -20)"
	fi
else
	tap_skip "every user-facing string is marked" "python3 is not installed"
fi

# xgettext as po/Makevars runs it (`make update-po`): the same keywords.
keywords=$(sed -n '/^XGETTEXT_OPTIONS/,/[^\\]$/p' "$TOP/po/Makevars" | grep -o -- '--keyword=[^ ]*')
(cd "$TOP" && xgettext $keywords --from-code=UTF-8 \
	--files-from=po/POTFILES.in -o "$TMP/lockstep.pot" 2>"$TMP/xgettext.err")
tap_check "xgettext reads every source" test -s "$TMP/lockstep.pot"
if msgcmp "$PO" "$TMP/lockstep.pot" >"$TMP/msgcmp.out" 2>&1; then
	tap_ok "po/zh_CN.po has every marked string"
else
	tap_not_ok "po/zh_CN.po has every marked string" "$(head -20 "$TMP/msgcmp.out")"
fi
stats=$(LC_ALL=C msgfmt -c --statistics -o /dev/null "$PO" 2>&1)
case $stats in
*untranslated*|*fuzzy*) tap_not_ok "po/zh_CN.po: nothing untranslated or fuzzy" "$stats" ;;
*) tap_ok "po/zh_CN.po: nothing untranslated or fuzzy ($stats)" ;;
esac
# What `make update-po` would make of it: merged with the sources, still
# nothing untranslated or fuzzy, and nothing left over (obsolete).
msgmerge -q "$PO" "$TMP/lockstep.pot" -o "$TMP/merged.po" 2>"$TMP/msgmerge.err"
stats=$(LC_ALL=C msgfmt -c --statistics -o /dev/null "$TMP/merged.po" 2>&1)
case $stats in
*untranslated*|*fuzzy*) tap_not_ok "after make update-po: nothing untranslated or fuzzy" "$stats" ;;
*) tap_ok "after make update-po: nothing untranslated or fuzzy" ;;
esac
obsolete=$(msgattrib --only-obsolete --no-wrap "$TMP/merged.po" 2>&1 | grep '^#~ msgid')
tap_is "po/zh_CN.po has no msgid the sources no longer have" "$obsolete" ""

# A Chinese run says everything in Chinese: the trace and the summary of
# deadlock (--lang=zh) and ktv (a zh_CN locale, installed or not), beside
# the same run in JSON, which names what is the scenario's own.
english_left() {   # NAME DESC LANG=... [OPTION...]
	local name=$1 desc=$2 lang=$3
	shift 3
	env -i PATH="$PATH" "$lang" "$LOCKSTEP" "$@" --headless --seed=5 "$name" \
		>"$TMP/$name.txt" 2>&1
	"$LOCKSTEP" --headless --json --seed=5 "$name" >"$TMP/$name.json" 2>&1
	if out=$(python3 "$TESTDIR/i18n-english.py" "$TMP/$name.json" "$TMP/$name.txt"); then
		tap_ok "$desc"
	else
		tap_not_ok "$desc" "$(printf '%s\n' "$out" | head -10)"
	fi
}
if command -v python3 >/dev/null; then
	english_left deadlock "--lang=zh --headless deadlock: no English interface word" \
	             LANG=C.UTF-8 --lang=zh
	english_left ktv "LANG=zh_CN.UTF-8 --headless ktv: no English interface word" \
	             LANG=zh_CN.UTF-8
	english_left crash-in-lock "--lang=zh --headless crash-in-lock: no English interface word" \
	             LANG=C.UTF-8 --lang=zh
	# JSON is an interface: the same, key for key and value for value,
	# whatever the language (pids aside).
	for lang in en zh; do
		env -i PATH="$PATH" LANG=C.UTF-8 "$LOCKSTEP" --lang=$lang --headless --json \
			--seed=5 crash-in-lock | sed -E 's/"(pid|value)":[0-9]+/"\1":N/g; s/pid [0-9]+/pid N/g' \
			>"$TMP/json.$lang"
	done
	if cmp -s "$TMP/json.en" "$TMP/json.zh" && test -s "$TMP/json.en"; then
		tap_ok "--lang=zh --json says exactly what --lang=en --json says"
	else
		tap_not_ok "--lang=zh --json says exactly what --lang=en --json says" \
		           "$(diff "$TMP/json.en" "$TMP/json.zh" | head -6)"
	fi
	grep -q '死锁' "$TMP/deadlock.txt"
	tap_check "the Chinese deadlock summary says 死锁" test $? -eq 0
else
	tap_skip "Chinese headless runs" "python3 is not installed"
fi

# The language is chosen by --lang or the locale, on a C.UTF-8-only machine.


zh=$(env -i PATH="$PATH" LANG=C.UTF-8 "$LOCKSTEP" --lang=zh --check "$SCENARIOS/ktv.yaml" 2>&1)
case $zh in *检查通过*) tap_ok "--lang=zh speaks Chinese under C.UTF-8" ;;
*) tap_not_ok "--lang=zh speaks Chinese under C.UTF-8" "$zh" ;; esac
zh=$(env -i PATH="$PATH" LANG=zh_CN.UTF-8 "$LOCKSTEP" --check "$SCENARIOS/ktv.yaml" 2>&1)
case $zh in *检查通过*) tap_ok "a zh_CN locale speaks Chinese, installed or not" ;;
*) tap_not_ok "a zh_CN locale speaks Chinese, installed or not" "$zh" ;; esac
en=$(env -i PATH="$PATH" LANG=zh_CN.UTF-8 "$LOCKSTEP" --lang=en --check "$SCENARIOS/ktv.yaml" 2>&1)
case $en in *": ok ("*) tap_ok "--lang=en speaks English under a zh_CN locale" ;;
*) tap_not_ok "--lang=en speaks English under a zh_CN locale" "$en" ;; esac
err=$(env -i PATH="$PATH" LANG=C.UTF-8 "$LOCKSTEP" --lang=zh --frobnicate 2>&1)
case $err in *"用法见 lockstep --help"*) tap_ok "usage errors are translated" ;;
*) tap_not_ok "usage errors are translated" "$err" ;; esac

tap_done
