#!/bin/bash
# tests/python.sh: lockstep's Python parser against python3's.
#
# For each of the lesson's programs (tests/python/*.py, indentation
# restored from the lesson text) and for constructs.py (every construct of
# the subset): python3 accepts it; the statements lockstep's parser sees
# (tests/py-dump --lines: "LINE:COL Kind" each) are the ones python3's ast
# sees (tests/python/astlines.py); and the whole trees are the same
# (py-dump's S-expression against tests/python/astdump.py, which writes
# python3's ast in that form: operators, precedence, strings, numbers,
# positions of statements).  Then every case
# of tests/python/syntax_errors.py: a genuine syntax error is reported at
# python3's LINE:COL, and valid Python outside the subset is refused as
# "not supported by lockstep".  Last, 150 seeded random mutations of those
# programs (tests/python/mutations.py): lockstep and python3 must agree on
# which are Python.
#
# make check exports TESTDIR and PY_DUMP (the built tests/py-dump).
set -u
. "$TESTDIR/tap.sh"

if [ -z "${PY_DUMP:-}" ] || ! [ -x "$PY_DUMP" ]; then
	echo "1..0 # SKIP PY_DUMP is not an executable (run through make check)"
	exit 0
fi
if ! command -v python3 >/dev/null 2>&1; then
	echo "1..0 # SKIP python3 is needed as the reference"
	exit 0
fi

dir=$TESTDIR/python
for f in "$dir"/*.py; do
	name=$(basename "$f")
	case $name in astlines.py|astdump.py|syntax_errors.py|mutations.py) continue ;; esac
	tap_check "python3 accepts $name" \
		python3 -c 'import ast, sys; ast.parse(open(sys.argv[1], "rb").read())' "$f"
	want=$(python3 "$dir/astlines.py" "$f" 2>&1)
	got=$("$PY_DUMP" --lines "$f" 2>&1)
	if [ "$got" = "$want" ] && [ -n "$got" ]; then
		tap_ok "$name: the same statements at the same places as python3's ast"
	else
		tap_not_ok "$name: the same statements at the same places as python3's ast" \
			"$(diff <(printf '%s\n' "$want") <(printf '%s\n' "$got"))"
	fi
	want=$(python3 "$dir/astdump.py" "$f" 2>&1)
	got=$("$PY_DUMP" --tree "$f" 2>&1)
	if [ "$got" = "$want" ] && [ -n "$got" ]; then
		tap_ok "$name: the same tree as python3's ast"
	else
		tap_not_ok "$name: the same tree as python3's ast" \
			"$(diff <(printf '%s\n' "$want") <(printf '%s\n' "$got") | head -20)"
	fi
done

results=$(python3 "$dir/syntax_errors.py" "$PY_DUMP" 2>&1)
[ -n "$results" ] || tap_not_ok "syntax_errors.py printed nothing"
while IFS='|' read -r verdict case rest; do
	if [ "$verdict" = ok ]; then
		tap_ok "error case $case"
	else
		tap_not_ok "error case $case" "$rest"
	fi
done <<<"$results"

lessons=()
for f in "$dir"/*.py; do
	case $(basename "$f") in astlines.py|astdump.py|syntax_errors.py|mutations.py) ;; *) lessons+=("$f") ;; esac
done
results=$(python3 "$dir/mutations.py" "$PY_DUMP" 150 "${lessons[@]}" 2>&1)
[ -n "$results" ] || tap_not_ok "mutations.py printed nothing"
while IFS='|' read -r verdict check rest; do
	case $verdict in
	ok) tap_ok "mutations: $check" ;;
	'#') tap_diag "$check" ;;
	*) tap_not_ok "mutations: $check" "$rest" ;;
	esac
done <<<"$results"
tap_done
