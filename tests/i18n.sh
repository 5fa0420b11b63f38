#!/bin/bash
# tests/i18n.sh: the student's language (GNU gettext, po/zh_CN.po).
#
# - every string the sources mark with _() or N_() has a Chinese
#   translation, none untranslated or fuzzy, and the catalogue compiles
#   with its formats checked (msgfmt -c);
# - every source file is in po/POTFILES.in, so xgettext sees it;
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
trap 'rm -rf "$TMP"' EXIT

if ! command -v xgettext >/dev/null || ! command -v msgcmp >/dev/null; then
	tap_skip "catalogue checks" "gettext's tools are not installed"
	tap_done
fi

# Every source file is listed for xgettext.
missing=$(cd "$TOP" && for f in src/*.c; do
	grep -qxF "$f" po/POTFILES.in || echo "$f"
done)
tap_is "every src/*.c is in po/POTFILES.in" "$missing" ""

# Every marked string is translated, and nothing is fuzzy.
(cd "$TOP" && xgettext --keyword=_ --keyword=N_ --keyword=trn:2,3 --from-code=UTF-8 \
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
