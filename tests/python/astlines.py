"""Print "LINE:COL Kind" for every statement of a Python file, as python3's
ast sees it, in the order tests/py-dump --lines prints lockstep's tree:
each statement, then its body, then its orelse.  COL is 1-based and counts
characters (ast's col_offset counts UTF-8 bytes from 0)."""
import ast
import sys


def walk(stmts, lines, out):
    for s in stmts:
        line = lines[s.lineno - 1]
        col = len(line[:s.col_offset].decode("utf-8")) + 1
        out.append("%d:%d %s" % (s.lineno, col, type(s).__name__))
        walk(getattr(s, "body", []), lines, out)
        if isinstance(s, (ast.If, ast.For, ast.While)):
            walk(s.orelse, lines, out)


def main():
    with open(sys.argv[1], "rb") as f:
        src = f.read()
    tree = ast.parse(src, sys.argv[1])
    out = []
    walk(tree.body, src.splitlines(), out)
    print("\n".join(out))


main()
