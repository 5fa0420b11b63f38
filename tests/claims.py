"""tests/claims.py: the claims the bundled lessons' pages make, checked
against what the real binary does (run by tests/claims.sh, speaks TAP).

A lesson page says things like "never more than 4 inside", "20 processes
started, where the pool said 5", "the count ends at 0 for any --workers".
Each such claim is a check here, on the --headless --json summaries of
runs under several seeds and schedules: the page's text is never grepped,
the run is.  tests/lesson.sh checks what every scenario file says of
itself (its expect outcome, its max-holders, no stray deaths, no leaked
process); this file checks what the pages tell the student on top of that.

Also here: the replay line a summary prints runs the same run again, and
every bundled `python:` block is valid Python (the deterministic ones are
run, and their output checked against the page's claim).

Nothing sleeps in place of synchronising and nothing is timed; every run
has --timeout as a hang guard only.
"""
import json
import os
import re
import shlex
import subprocess
import sys
import tempfile

LOCKSTEP = os.environ["LOCKSTEP"]
SCENARIOS = os.environ["SCENARIOS"]

N = 0
FAILED = 0


def ok(desc):
    global N
    N += 1
    print("ok %d - %s" % (N, desc), flush=True)


def not_ok(desc, *lines):
    global N, FAILED
    N += 1
    FAILED += 1
    print("not ok %d - %s" % (N, desc), flush=True)
    for line in lines:
        for part in str(line).splitlines():
            print("#   " + part)


def check(desc, cond, *lines):
    if cond:
        ok(desc)
    else:
        not_ok(desc, *lines)


def check_eq(desc, got, want):
    check(desc, got == want, "got:  %r" % (got,), "want: %r" % (want,))


def run(args, timeout=60):
    """Run lockstep with ARGS; (exit status, stdout, stderr)."""
    p = subprocess.run([LOCKSTEP] + args, capture_output=True, text=True,
                       timeout=timeout)
    return p.returncode, p.stdout, p.stderr


def summary(scenario, *opts):
    """The JSON summary and events of one headless run of SCENARIO."""
    rc, out, err = run(["--headless", "--json", "--timeout=30"] + list(opts)
                       + [scenario])
    events, summ = [], None
    for line in out.splitlines():
        d = json.loads(line)
        if d.get("type") == "summary":
            summ = d
        else:
            events.append(d)
    if rc != 0 or summ is None:
        raise RuntimeError("lockstep %s %s: exit %d: %s" %
                           (" ".join(opts), scenario, rc, err.strip()[:300]))
    summ["events"] = events
    return summ


# The controlled schedules the claims must hold under; "os" is added where
# a claim holds whatever the kernel does.
CONTROLLED = [["--schedule=random", "--seed=1"],
              ["--schedule=random", "--seed=2"],
              ["--schedule=random", "--seed=3"],
              ["--schedule=round-robin"]]
ALL = CONTROLLED + [["--schedule=os", "--speed=50"]]


def runs(scenario, schedules=ALL, extra=()):
    """[(label, summary)] for SCENARIO under each schedule."""
    out = []
    for opts in schedules:
        label = " ".join(o.replace("--schedule=", "") for o in
                         list(opts) + list(extra))
        out.append((label, summary(scenario, *(list(opts) + list(extra)))))
    return out


def claim(scenario, desc, pred, schedules=ALL, extra=()):
    """PRED(summary) must hold in every run of SCENARIO."""
    for label, s in runs(scenario, schedules, extra):
        try:
            good = pred(s)
        except (KeyError, TypeError, ValueError, IndexError) as e:
            good = False
            s = dict(s, error=repr(e))
        shown = {k: v for k, v in s.items() if k != "events"}
        check("%s (%s): %s" % (scenario, label, desc), good,
              json.dumps(shown)[:900])


# ---- the replay line ------------------------------------------------------

def trace_without_pids(text):
    """A text trace and summary with the pids (the manager's) taken out."""
    return re.sub(r"pid \d+", "pid N", text)


def replay_reproduces(desc, args):
    rc, first, err = run(["--headless"] + args)
    line = [l for l in first.splitlines() if l.startswith("  replay ")]
    if rc != 0 or len(line) != 1:
        not_ok(desc, "exit %d, replay lines %r" % (rc, line), err[:300])
        return
    words = shlex.split(line[0].split(None, 1)[1])
    if words[0] != "lockstep":
        not_ok(desc, "the replay line does not start with lockstep", line[0])
        return
    rc, again, err = run(words[1:])
    check(desc + ": " + line[0].split(None, 1)[1],
          rc == 0 and trace_without_pids(again) == trace_without_pids(first),
          "exit %d" % rc, err[:300])


def test_replay():
    replay_reproduces("replay of a bundled lesson with --workers",
                      ["--schedule=random", "--seed=11", "--workers=7",
                       "counter-unlocked"])
    replay_reproduces("replay of round-robin with --workers",
                      ["--schedule=round-robin", "--workers=3",
                       "manager"])
    # A file of one's own whose id is a bundled lesson's: the replay must
    # name the file, not the bundled lesson.
    with tempfile.TemporaryDirectory() as d:
        src = open(os.path.join(SCENARIOS, "counter-unlocked.yaml"),
                   encoding="utf-8").read()
        mine = src.replace("add: -1", "add: -3")
        assert mine != src
        path = os.path.join(d, "my counter's copy.yaml")
        with open(path, "w", encoding="utf-8") as f:
            f.write(mine)
        replay_reproduces("replay of a file that is not bundled",
                          ["--schedule=random", "--seed=5", "--workers=9",
                           path])


# ---- every lesson's pages --------------------------------------------------

def total_lost(s):
    return sum(s["lost"].values())


def events(s, kind=None, worker=None, obj=None):
    return [e for e in s["events"]
            if (kind is None or e.get("event") == kind)
            and (worker is None or e.get("worker") == worker)
            and (obj is None or e.get("object") == obj)]


def lessons_data_sharing():
    # counter-unlocked: updates get lost, the summary counts them, and a
    # seed replays the same loss; --workers=1000 should still end at 0.
    claim("counter-unlocked", "updates are lost, and the count is off by "
          "exactly the lost ones", lambda s: s["lost"]["count"] > 0 and
          s["values"]["count"] == s["lost"]["count"], CONTROLLED)
    claim("counter-unlocked", "the count is off by exactly the lost ones",
          lambda s: s["values"]["count"] == s["lost"]["count"],
          [["--schedule=os", "--speed=50"]])
    a = summary("counter-unlocked", "--seed=7")
    b = summary("counter-unlocked", "--seed=7")
    check_eq("counter-unlocked: --seed=7 loses the same updates every time",
             (a["values"], a["lost"]), (b["values"], b["lost"]))
    claim("counter-unlocked", "--workers=1000 starts at 1000 and should "
          "end at 0", lambda s: s["expected"]["count"] == 0 and
          s["intended"]["count"] == 0 and s["workers"] == 1000,
          [["--schedule=random", "--seed=1"]], ["--workers=1000"])
    # counter-locked: 0, no update lost, for any number of workers.
    for w in ("1", "7", "100"):
        claim("counter-locked", "ends at 0 with no update lost",
              lambda s: s["values"]["count"] == 0 and
              s["lost"]["count"] == 0 and s["expected"]["count"] == 0,
              ALL, ["--workers=" + w])
    claim("counter-locked", "ends at 0 with no update lost",
          lambda s: s["values"]["count"] == 0 and s["lost"]["count"] == 0
          and s["expected"]["count"] == 0,
          [["--schedule=random", "--seed=1"]], ["--workers=1000"])
    # manager: 101 processes, 200 requests, d['count'] ends above 0.
    claim("manager", "101 processes, 200 requests, d['count'] above 0 by "
          "the lost updates", lambda s: s["processes"] == 101 and
          s["manager"]["requests"] == 200 and
          s["values"]["d['count']"] > 0 and
          s["values"]["d['count']"] == s["lost"]["d['count']"], CONTROLLED)
    claim("manager", "101 processes (the workers and the manager), 200 "
          "requests", lambda s: s["processes"] == 101 and
          s["manager"]["requests"] == 200, [["--schedule=os", "--speed=50"]])
    claim("manager-locked", "d['count'] ends at 0; 101 processes, 200 "
          "requests", lambda s: s["values"]["d['count']"] == 0 and
          s["lost"]["d['count']"] == 0 and s["processes"] == 101 and
          s["manager"]["requests"] == 200)
    claim("manager-locked", "--workers=100: 100 processes and the "
          "manager, a count of 100, and it ends at 0",
          lambda s: s["values"]["d['count']"] == 0 and
          s["expected"]["d['count']"] == 0 and s["processes"] == 101,
          [["--schedule=random", "--seed=1"]], ["--workers=100"])
    claim("manager-locked", "--workers=9: 9 processes and the manager, a "
          "count of 9, and it ends at 0",
          lambda s: s["values"]["d['count']"] == 0 and
          s["expected"]["d['count']"] == 0 and s["processes"] == 10 and
          s["manager"]["requests"] == 18,
          [["--schedule=random", "--seed=1"]], ["--workers=9"])
    # manager-list: 9 voters and the manager, 4 requests a vote; without
    # a lock votes and the total get lost, and the summary says how many.
    def votes_lost(s):
        return (s["processes"] == 10 and s["manager"]["requests"] == 36 and
                all(s["values"][k] + s["lost"][k] == s["expected"][k]
                    for k in s["expected"]) and total_lost(s) > 0)
    claim("manager-list", "10 processes, 36 requests, votes and total "
          "short by exactly the lost updates, some lost", votes_lost,
          CONTROLLED)
    claim("manager-list", "10 processes, 36 requests, short by exactly "
          "the lost updates", lambda s: s["processes"] == 10 and
          s["manager"]["requests"] == 36 and
          all(s["values"][k] + s["lost"][k] == s["expected"][k]
              for k in s["expected"]), [["--schedule=os", "--speed=50"]])
    # value-array: the child's writes are in shared memory: 42, and -i.
    want = dict({"num": 42}, **{"arr[%d]" % i: -i for i in range(10)})
    claim("value-array", "num is 42 and arr[i] is -i, one process, no "
          "manager", lambda s: s["values"] == want and s["processes"] == 1
          and "manager" not in s)


def lessons_semaphore():
    claim("ktv", "at most 4 inside at once, and 4 at some point",
          lambda s: s["peak"]["sem"] == 4, CONTROLLED)
    claim("ktv-rush", "with nothing to stop them, all 6 get in at once, "
          "and inside ends at 0", lambda s: s["highest"]["inside"] == 6
          and s["values"]["inside"] == 0, CONTROLLED)
    claim("ktv-six", "inside never passes 4, the semaphore is held 4 at "
          "once, and inside ends at 0", lambda s: s["highest"]["inside"] == 4
          and s["peak"]["sem"] == 4 and s["values"]["inside"] == 0,
          CONTROLLED)
    claim("ktv-six", "inside never passes 4", lambda s:
          s["highest"]["inside"] <= 4, [["--schedule=os", "--speed=50"]])
    rush = summary("ktv-rush", "--seed=7")["highest"]["inside"]
    six = summary("ktv-six", "--seed=7")["highest"]["inside"]
    check("ktv-rush vs ktv-six (--seed=7): the rush has more inside "
          "(%d > %d)" % (rush, six), rush > six > 0 and six <= 4)
    claim("bounded-semaphore", "the extra release is one error; buggy0 "
          "stops with an error, nobody is killed; 2 rooms at most",
          lambda s: s["objects"]["sem"]["errors"] == 1 and
          s["error_exits"] == 1 and s["died"] == 1 and
          s["finished"] == 4 and s["peak"]["sem"] <= 2 and
          all("stopped with an error" in e["says"]
              for e in events(s, "killed", "buggy0")) and
          len(events(s, "killed", "buggy0")) == 1, CONTROLLED)


def lessons_rest():
    claim("event", "the light ends with the flag up (green for good)",
          lambda s: s["objects"]["green"]["flag"] == 1)
    # Pools: the same 20 quick tasks; 4 starts against 20.
    claim("pool", "5 processes (main0 and the 4 it starts); done after 4 "
          "starts: 0.080 s", lambda s: s["processes"] == 5 and
          abs(s["time"] - 0.080) < 1e-9, CONTROLLED)
    claim("pool-per-task", "20 processes; the last starts after 20 "
          "starts: 0.400 s", lambda s: s["processes"] == 20 and
          abs(s["time"] - 0.400) < 1e-9, CONTROLLED)
    for opts in CONTROLLED:
        p = summary("pool", *opts)["time"]
        q = summary("pool-per-task", *opts)["time"]
        check("pool is done before pool-per-task (%s): %.3f s < %.3f s" %
              (" ".join(opts), p, q), p < q)
    claim("pool", "5 processes", lambda s: s["processes"] == 5,
          [["--schedule=os", "--speed=50"]])
    claim("pool-per-task", "20 processes", lambda s: s["processes"] == 20,
          [["--schedule=os", "--speed=50"]])
    # Deadlock: a cycle of two, each holding the lock the other wants.
    def ab_cycle(s):
        links = {(c["holds"], c["waits"]) for c in s["deadlock"]}
        return (s["outcome"] == "deadlock" and len(s["deadlock"]) == 2 and
                links == {("mutexA", "mutexB"), ("mutexB", "mutexA")})
    claim("deadlock", "a deadlock whose cycle is named: one holds A and "
          "waits for B, the other holds B and waits for A", ab_cycle,
          CONTROLLED + [["--schedule=random", "--seed=7"]])
    claim("deadlock-timeout", "the cycle forms and one side gives up "
          "(a timeout on mutexA), then all finish",
          lambda s: len(events(s, "timeout", obj="mutexA")) >= 1,
          CONTROLLED)
    claim("deadlock-rlock", "one lock: at most 1 holder at once",
          lambda s: s["peak"]["rlock"] == 1)
    claim("queue", "8 buns made, 8 eaten, none left", lambda s:
          s["objects"]["buns"]["moved"] == 8 and
          s["objects"]["buns"]["items"] == [])
    claim("queue", "someone waits on buns", lambda s:
          len(events(s, "wait", obj="buns")) >= 1,
          [["--schedule=random", "--seed=7"]])
    claim("pipe", "the conversation is 1, 2, 3, 4, 5, 6 under every "
          "schedule", lambda s: [e["value"] for e in events(s, "get")] ==
          [1, 2, 3, 4, 5, 6])
    claim("barrier", "two races: the barrier trips twice", lambda s:
          s["objects"]["start"]["rounds"] == 2)
    claim("condition", "three buns, three eaten: items ends at 0",
          lambda s: s["values"]["items"] == 0 and s["lost"]["items"] == 0)
    waits = []
    for opts in CONTROLLED + [["--schedule=random", "--seed=7"]]:
        s = summary("condition", *opts)
        waits.append(max(len(events(s, "wait", w, "cond"))
                         for w in ("eater0", "eater1", "eater2")))
    check("condition: with notify_all some eater waits more than once "
          "(most waits per run: %s)" % waits, max(waits) >= 2)


def test_words():
    """No event is told by an op number: a jump says where in the Python."""
    for f in sorted(os.listdir(SCENARIOS)):
        if not f.endswith(".yaml"):
            continue
        s = summary(os.path.join(SCENARIOS, f), "--seed=1")
        bad = [e["says"] for e in s["events"]
               if re.search(r"\bop \d+", e.get("says", ""))]
        check("%s: no event is told by an op number" % f[:-5], not bad,
              *bad[:3])


# ---- the Python of every lesson ---------------------------------------------

# What a deterministic lesson's Python prints, as its pages say.
PYTHON_OUTPUT = {
    "value-array": "42\n[0, -1, -2, -3, -4, -5, -6, -7, -8, -9]\n",
    "counter-locked": "{'count': 0}\n",
}


def python_of(path):
    """The `python:` block of a scenario file, read without a YAML library:
    the indented lines after `python: |`."""
    lines = open(path, encoding="utf-8").read().split("\n")
    start = lines.index("python: |") + 1
    out = []
    for line in lines[start:]:
        if line and not line.startswith("  "):
            break
        out.append(line[2:])
    return "\n".join(out).rstrip("\n") + "\n"


def test_python():
    for f in sorted(os.listdir(SCENARIOS)):
        if not f.endswith(".yaml"):
            continue
        lesson = f[:-5]
        src = python_of(os.path.join(SCENARIOS, f))
        try:
            compile(src, f + ":python", "exec")
            ok("%s: its Python compiles" % lesson)
        except SyntaxError as e:
            not_ok("%s: its Python compiles" % lesson, repr(e))
            continue
        # Every name it uses is defined or imported (a missing import of
        # Value is a NameError only when the line runs).
        p = subprocess.run([sys.executable, "-c", CHECK_NAMES], input=src,
                           capture_output=True, text=True, timeout=60)
        check("%s: every name its Python uses is defined or imported" %
              lesson, p.returncode == 0 and p.stdout == "", p.stdout,
              p.stderr[-300:])
        if lesson not in PYTHON_OUTPUT:
            continue   # manager-locked's is counter-locked's, word for word
        with tempfile.TemporaryDirectory() as d:
            path = os.path.join(d, lesson + ".py")
            with open(path, "w", encoding="utf-8") as out:
                out.write(src)
            p = subprocess.run([sys.executable, path], capture_output=True,
                               text=True, timeout=300, cwd=d)
        check_eq("%s: its Python prints what the page says" % lesson,
                 p.stdout, PYTHON_OUTPUT[lesson])


# Names read but never bound nor built in nor imported: printed one a line.
CHECK_NAMES = r"""
import ast, builtins, sys
tree = ast.parse(sys.stdin.read())
bound = set(dir(builtins))
for node in ast.walk(tree):
    if isinstance(node, (ast.Import, ast.ImportFrom)):
        for a in node.names:
            bound.add((a.asname or a.name).split(".")[0])
    elif isinstance(node, (ast.FunctionDef, ast.ClassDef)):
        bound.add(node.name)
    elif isinstance(node, ast.arg):
        bound.add(node.arg)
    elif isinstance(node, ast.Name) and isinstance(node.ctx, (ast.Store, ast.Del)):
        bound.add(node.id)
for node in ast.walk(tree):
    if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Load) \
            and node.id not in bound:
        print(node.id)
"""


def main():
    test_replay()
    lessons_data_sharing()
    lessons_semaphore()
    lessons_rest()
    test_words()
    test_python()
    print("1..%d" % N)
    return 0


if __name__ == "__main__":
    sys.exit(main())
