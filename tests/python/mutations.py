"""Random mutations of the lesson's programs, read by python3 and by
lockstep's parser (tests/py-dump), which must agree on what is Python.

Usage: python3 mutations.py PY_DUMP COUNT FILE...

Each case inserts, deletes or replaces one or two characters (a fixed seed:
the same cases every run).  Whatever python3 says, py-dump must answer
with a tree (exit 0) or exactly one message (exit 2), never crash; a file
python3 accepts must never be refused as a syntax error (only as "not
supported by lockstep"); a file python3 refuses must never be accepted.
Prints "ok|CHECK" or "not ok|CHECK|details" lines for tests/python.sh, and
a "#|..." line with how often the error positions agree (information, not
a check: CPython's second pass sometimes points elsewhere, see
docs/python.md).
"""
import collections
import os
import random
import subprocess
import sys
import tempfile
import warnings

warnings.simplefilter("ignore")


def mutate(rnd, s, pool):
    for _ in range(rnd.randint(1, 2)):
        i = rnd.randrange(len(s))
        op = rnd.random()
        if op < 0.4:
            s = s[:i] + rnd.choice(pool) + s[i:]
        elif op < 0.7:
            s = s[:i] + s[i + 1:]
        else:
            s = s[:i] + rnd.choice(pool) + s[i + 1:]
    return s


def main():
    dump, count, files = sys.argv[1], int(sys.argv[2]), sys.argv[3:]
    rnd = random.Random(7)
    pool = list("()[]{}:'\"\\\n\t #=,.f!0x_e+-*%<>") + [
        "if ", "else", "    ", "\n    ", "not ", " in ", "lambda", "for", "\u00e9", "\uff0c"]
    srcs = [open(f, encoding="utf-8").read() for f in files]
    bad = collections.defaultdict(list)
    stats = collections.Counter()
    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, "m.py")
        for _ in range(count):
            s = mutate(rnd, rnd.choice(srcs), pool)
            with open(path, "w", encoding="utf-8") as f:
                f.write(s)
            try:
                compile(s, path, "exec")
                want = None
            except SyntaxError as e:
                want = "%s:%s" % (e.lineno, e.offset)
            r = subprocess.run([dump, "--lines", path], capture_output=True)
            err = r.stderr.decode("utf-8", "replace").strip()
            if r.returncode not in (0, 2) or (r.returncode == 2 and "\n" in err):
                bad["crash"].append("exit %d: %r" % (r.returncode, s[:200]))
            elif want is None and r.returncode == 2 and "not supported by lockstep" not in err:
                bad["false"].append("%s\n%r" % (err, s[:200]))
            elif want is not None and r.returncode == 0:
                bad["accepts"].append("python3: %s\n%r" % (want, s[:200]))
            elif want is not None:
                got = err[len(path) + 1:].split(": error: ")[0]
                stats["same" if got == want else "other"] += 1
    checks = [("crash", "py-dump answers every mutation with a tree or one message"),
              ("false", "no file python3 accepts is refused as a syntax error"),
              ("accepts", "no file python3 refuses is accepted")]
    for key, desc in checks:
        if bad[key]:
            print("not ok|%s|%s" % (desc, bad[key][0].replace("\n", " ")))
        else:
            print("ok|%s" % desc)
    print("#|of %d mutations python3 refuses, lockstep points at the same LINE:COL in %d"
          % (stats["same"] + stats["other"], stats["same"]))


main()
