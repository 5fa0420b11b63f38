"""Compare where lockstep's Python parser and python3 put syntax errors.

Usage: python3 syntax_errors.py PY_DUMP

For every case of SYNTAX (not Python: python3 must refuse it) the line and
column of tests/py-dump's "FILE:LINE:COL: error: ..." must be python3's
SyntaxError lineno and offset.  For every case of UNSUPPORTED (valid Python
outside lockstep's subset) python3 must accept it and py-dump must refuse
it with a message that says "not supported by lockstep".  Prints one line
per case: "ok|CASE" or "not ok|CASE|got ...|want ...", for tests/python.sh.
"""
import os
import subprocess
import sys
import tempfile
import warnings

# "invalid decimal literal" is only a SyntaxWarning before some keywords.
warnings.simplefilter("ignore")

SYNTAX = [
    "if x\n    pass\n",
    "if x == 1\n    pass\n",
    "x = (1,\n",
    "x = 1)\n",
    "s = 'abc\n",
    "s = '''abc\n",
    "def f():\npass\n",
    "x = 1\n  y = 2\n",
    "if x:\n    a\n  b\n",
    "if x:\n    a\n  bcd = 5\n",
    "if x:\n\ta\n        b\n",
    "if x:\n  y\n\tz\n",
    "x = 1 +\n",
    "x = $\n",
    "\u00e9 = '\u00fc' + $\n",
    "x = '\u00e9' ; y = (\n",
    "x = 0x\n",
    "x = 1__0\n",
    "x = 09\n",
    "x = 12abc\n",
    "x = 1a\n",
    "x = 0b12\n",
    "x = 0o8\n",
    "x = 1.5e\n",
    "x = 1_\n",
    "for i in range(3) print(i)\n",
    "with a as b c: pass\n",
    "f(a=1, 2)\n",
    "x = \x01\n",
    "def f(x=1, y): pass\n",
    "a, b += 1\n",
    "f() = 1\n",
    "x = [1, 2\ny = 3\n",
    "class A(B:\n pass\n",
    "x = 1 if y\n",
    "while x:\nprint(x)\n",
    "x = 1 \\ 2\n",
    "x = 1\\\n",
    "x = \\\n",
    "return 1 2\n",
    "x = 'a' 'b\n",
    "x = rb'abc\n",
    "x = 'a\\\n",
    "x = '''a\nb\n\n",
    "  x = 1\n",
    "x ==\n",
    "import\n",
    "from x import\n",
    "from x import (a, b\n",
    "elif x: pass\n",
    "x = (1 2)\n",
    "x = [1,, 2]\n",
    "pass\n\n\n   \n  # c\nx = )\n",
    "x = 1\n\tif y: pass\n",
    "if x:\n    pass\nelse\n    pass\n",
    "def f(:\n pass\n",
    "x = (1 2\n",
    "if x\n  pass\ns='abc\n",
    "x = \uff0c\n",
    "x = \u00a0\n",
    "a = 1 if b else\n",
    "x = ([)]\n",
    "x = (\n]\n",
    "x = 5 ` 3\n",
    "x = 1.2.3\n",
    "x = !a\n",
    "x = 'ab\\x1'\n",
    "x = 'ab\\u12'\n",
    "x = f'{'\n",
    "x = f'{}'\n",
    "x = f'{x!}'\n",
    "x = f'{a!z}'\n",
    "x = f'{x'\n",
    "x = f'}'\n",
    "x = f'{a:{b:{c}}}'\n",
    "x = f'{a#}'\n",
    "x = f'{\\n}'\n",
    "x = b'a' 'b'\n",
    "x = [" + "(" * 200 + ")" * 200 + "]\n",
    "if x:\n" + "".join(" " * (i + 1) + "if x:\n" for i in range(99)) + " " * 101 + "pass\n",
    "def f(a, b):\n    with a:\n        b[0] -= 1\n    return\n  x = 1\n",
    "x = {'a': 1 'b': 2}\n",
    "print(1 2)\n",
    "x = 'unterminated\n\n\n",
    "x = 1\ny = \"\"\"never\nends\n",
    # Found by comparing random mutations of the lesson with python3:
    "if x: for y in z: pass\n",
    "class A(B):    def f(self): pass\n",
    "sem = Semaphore(4)not # comment\n",
    "for i in p_l# comment\n    pass\n",
    "x = 1 !\ny = 2\ns = 'abc\n",
    "p.start()        p_l.append(p)\nx = 1 \\ 2\n",
    "from m import a,b=c,d\nif x:\n    y\n  z\n",
    "sem = Semaphore(4else\n",
]

UNSUPPORTED = [
    "async def f():\n    pass\n",
    "f = lambda x: x\n",
    "try:\n    pass\nfinally:\n    pass\n",
    "raise ValueError\n",
    "del x\n",
    "assert x\n",
    "def f():\n    yield 1\n",
    "@dec\ndef f():\n    pass\n",
    "x = [i for i in range(3)]\n",
    "x = (i for i in range(3))\n",
    "x = {i: i for i in y}\n",
    "x = {1, 2}\n",
    "x = a[1:2]\n",
    "def f(*args):\n    pass\n",
    "def f(**kw):\n    pass\n",
    "def f(a: int):\n    pass\n",
    "def f() -> int:\n    pass\n",
    "x: int = 1\n",
    "f(*a)\n",
    "f(**k)\n",
    "x = a | b\n",
    "x = a << 2\n",
    "x = ~a\n",
    "x |= 1\n",
    "x = b'abc'\n",
    "x = 1j\n",
    "x = ...\n",
    "from . import x\n",
    "class A(metaclass=M):\n    pass\n",
    "for i in x:\n    pass\nelse:\n    pass\n",
    "while x:\n    pass\nelse:\n    pass\n",
    "a, *b = c\n",
    "if (n := 10) > 5:\n    pass\n",
    "x = f'{a=}'\n",
    "x = '\\N{EM DASH}'\n",
    "def f():\n    x = 1\n    def g():\n        nonlocal x\n",
    "x = 99999999999999999999\n",
    "x = f'{(lambda: 1)()}'\n",
    "x = a @ b\n",
]


def py_position(src):
    try:
        compile(src, "case.py", "exec")
    except SyntaxError as e:
        return "%s:%s" % (e.lineno, e.offset)
    return None


def lockstep(dump, path):
    r = subprocess.run([dump, "--lines", path], capture_output=True)
    return r.returncode, r.stderr.decode("utf-8", "replace").strip()


def main():
    dump = sys.argv[1]
    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, "case.py")
        for src in SYNTAX + UNSUPPORTED:
            with open(path, "w", encoding="utf-8") as f:
                f.write(src)
            name = ascii(src)[:70]
            code, msg = lockstep(dump, path)
            where = msg.split(": error: ")[0][len(path) + 1:] if msg.startswith(path) else msg
            if src in SYNTAX:
                want = py_position(src)
                if want is None:
                    print("not ok|%s|python3 accepts it" % name)
                elif code != 2 or where != want:
                    print("not ok|%s|got %s (exit %d): %s|want %s" % (name, where, code, msg, want))
                else:
                    print("ok|%s" % name)
            else:
                if py_position(src) is not None:
                    print("not ok|%s|python3 refuses it: %s" % (name, py_position(src)))
                elif code != 2 or "not supported by lockstep" not in msg:
                    print("not ok|%s|got (exit %d): %s|want: not supported by lockstep" % (name, code, msg))
                else:
                    print("ok|%s" % name)


main()
