"""Print python3's ast of a file in the S-expression lockstep's
py_ast_dump() prints (src/py_ast.c), so tests/python.sh can compare whole
trees: every statement with its LINE:COL (COL in characters, from 1), every
expression with its operators, in the same order and the same quoting."""
import ast
import sys

OPS = {ast.Add: "+", ast.Sub: "-", ast.Mult: "*", ast.Div: "/",
       ast.FloorDiv: "//", ast.Mod: "%", ast.Pow: "**", ast.USub: "-",
       ast.UAdd: "+", ast.And: "and", ast.Or: "or", ast.Eq: "==",
       ast.NotEq: "!=", ast.Lt: "<", ast.LtE: "<=", ast.Gt: ">",
       ast.GtE: ">=", ast.In: "in", ast.NotIn: "not in", ast.Is: "is",
       ast.IsNot: "is not"}


def q(s):
    out = []
    b = s.encode("utf-8")
    i = 0
    while i < len(b):
        c = b[i]
        if c in (0x5c, 0x27):
            out.append("\\" + chr(c))
        elif c == 0x0a:
            out.append("\\n")
        elif c < 0x20 or c == 0x7f:
            out.append("\\x%02x" % c)
        elif c == 0xc2 and i + 1 < len(b) and 0x80 <= b[i + 1] <= 0x9f:
            out.append("\\x%02x" % b[i + 1])
            i += 1
        else:
            out.append(bytes([c]).decode("latin-1"))
        i += 1
    # Re-read the bytes kept as latin-1 as the UTF-8 they are.
    return "'" + "".join(out).encode("latin-1").decode("utf-8") + "'"


def e(n):
    t = type(n)
    if t is ast.Name:
        return n.id
    if t is ast.Constant:
        v = n.value
        if v is None:
            return "None"
        if v is True or v is False:
            return str(v)
        if isinstance(v, int):
            return str(v)
        if isinstance(v, float):
            return "%.17g" % v
        return q(v)
    if t is ast.JoinedStr:
        return "(JoinedStr%s)" % "".join(" " + e(v) for v in n.values)
    if t is ast.FormattedValue:
        s = "(FormattedValue"
        if n.conversion != -1:
            s += " !" + chr(n.conversion)
        s += " " + e(n.value)
        if n.format_spec is not None:
            s += " " + e(n.format_spec)
        return s + ")"
    if t is ast.Call:
        return "(Call %s%s%s)" % (e(n.func), "".join(" " + e(a) for a in n.args),
                                  "".join(" (keyword %s %s)" % (k.arg, e(k.value)) for k in n.keywords))
    if t is ast.Attribute:
        return "(Attribute %s %s)" % (e(n.value), n.attr)
    if t is ast.Subscript:
        return "(Subscript %s %s)" % (e(n.value), e(n.slice))
    if t in (ast.Tuple, ast.List):
        return "(%s%s)" % (t.__name__, "".join(" " + e(x) for x in n.elts))
    if t is ast.Dict:
        return "(Dict%s)" % "".join(" (%s %s)" % (e(k), e(v)) for k, v in zip(n.keys, n.values))
    if t is ast.UnaryOp:
        if isinstance(n.op, ast.Not):
            return "(not %s)" % e(n.operand)
        return "(%s %s)" % (OPS[type(n.op)], e(n.operand))
    if t is ast.BinOp:
        return "(%s %s %s)" % (OPS[type(n.op)], e(n.left), e(n.right))
    if t is ast.BoolOp:
        return "(%s%s)" % (OPS[type(n.op)], "".join(" " + e(v) for v in n.values))
    if t is ast.Compare:
        return "(Compare %s%s)" % (e(n.left), "".join(
            " (%s %s)" % (OPS[type(o)], e(c)) for o, c in zip(n.ops, n.comparators)))
    if t is ast.IfExp:
        return "(IfExp %s %s %s)" % (e(n.test), e(n.body), e(n.orelse))
    raise SystemExit("astdump.py: no dump for %s" % t.__name__)


def alias(a):
    return "(alias %s%s)" % (a.name, " as " + a.asname if a.asname else "")


def head(s):
    t = type(s)
    if t is ast.Import:
        return "".join(" " + alias(a) for a in s.names)
    if t is ast.ImportFrom:
        return " %s%s" % (s.module, "".join(" " + alias(a) for a in s.names))
    if t is ast.FunctionDef:
        args = s.args.args
        defaults = [None] * (len(args) - len(s.args.defaults)) + list(s.args.defaults)
        return " %s%s" % (s.name, "".join(
            " (arg %s%s)" % (a.arg, " " + e(d) if d is not None else "") for a, d in zip(args, defaults)))
    if t is ast.ClassDef:
        return " %s%s" % (s.name, "".join(" " + e(b) for b in s.bases))
    if t in (ast.If, ast.While):
        return " " + e(s.test)
    if t is ast.For:
        return " %s %s" % (e(s.target), e(s.iter))
    if t is ast.With:
        return "".join(" (withitem %s%s)" % (e(i.context_expr), " " + e(i.optional_vars)
                                             if i.optional_vars else "") for i in s.items)
    if t is ast.Return:
        return " " + e(s.value) if s.value is not None else ""
    if t is ast.Assign:
        return "".join(" " + e(x) for x in s.targets) + " " + e(s.value)
    if t is ast.AugAssign:
        return " %s= %s %s" % (OPS[type(s.op)], e(s.target), e(s.value))
    if t is ast.Expr:
        return " " + e(s.value)
    if t is ast.Global:
        return "".join(" " + x for x in s.names)
    return ""


def stmts(body, depth, lines, out):
    for s in body:
        col = len(lines[s.lineno - 1][:s.col_offset].decode("utf-8")) + 1
        out.append("\n%s(%s %d:%d%s" % ("  " * depth, type(s).__name__, s.lineno, col, head(s)))
        stmts(getattr(s, "body", []), depth + 1, lines, out)
        if isinstance(s, (ast.If, ast.For, ast.While)) and s.orelse:
            out.append("\n%selse" % ("  " * (depth + 1)))
            stmts(s.orelse, depth + 1, lines, out)
        out.append(")")


def main():
    with open(sys.argv[1], "rb") as f:
        src = f.read()
    out = ["(Module"]
    stmts(ast.parse(src, sys.argv[1]).body, 1, src.splitlines(), out)
    out.append(")")
    sys.stdout.write("".join(out) + "\n")


main()
