# tests/parity-run.py: run CPython programs and tell which of them hang.
#
#   python3 parity-run.py OUTDIR PROGRAM.py...
#
# Each program runs in a session of its own (python3 -I, so the test
# directory's files shadow nothing); its stdout and stderr go to
# OUTDIR/NAME.out and NAME.err, and OUTDIR/NAME.rc gets its exit status,
# or "hang".  A program hangs when every process of its session sleeps
# (no process runnable or in the kernel) and none of them uses any CPU
# for HANG_S seconds in a row: with no sleeps and no timeouts in the
# programs, nothing can wake them any more.  That is a property of the
# processes, not of how fast the machine is: a slow, loaded machine only
# makes the programs that finish take longer.  A program still running
# after LIMIT_S seconds is killed and counted as a hang too (a guard).
# Every session is killed (SIGKILL) before this exits.
import os, signal, subprocess, sys, time

HANG_S = float(os.environ.get("PARITY_IDLE_S", "2"))
LIMIT_S = float(os.environ.get("PARITY_LIMIT_S", "120"))
PARALLEL = int(os.environ.get("PARITY_JOBS", "6"))
TICK = 0.2


def tree(pid):
    """(state, cpu ticks) of pid and its descendants (all the program's
    processes: they are forked, never re-parented while it runs)."""
    out, todo = [], [pid]
    while todo:
        p = todo.pop()
        try:
            with open("/proc/%d/stat" % p) as f:
                stat = f.read()
            with open("/proc/%d/task/%d/children" % (p, p)) as f:
                todo.extend(int(c) for c in f.read().split())
        except OSError:
            continue
        fields = stat[stat.rindex(")") + 2:].split()
        # fields[0] is field 3 (state); utime, stime are fields 14, 15
        out.append((fields[0], int(fields[11]) + int(fields[12])))
    return out


def main():
    outdir, programs = sys.argv[1], sys.argv[2:]
    pending = list(programs)
    running = {}   # name -> [popen, start, last cpu, idle since]
    try:
        while pending or running:
            while pending and len(running) < PARALLEL:
                prog = pending.pop(0)
                name = os.path.basename(prog)[:-3]
                p = subprocess.Popen([sys.executable, "-I", prog], cwd=outdir,
                                     stdin=subprocess.DEVNULL,
                                     stdout=open(os.path.join(outdir, name + ".out"), "w"),
                                     stderr=open(os.path.join(outdir, name + ".err"), "w"),
                                     start_new_session=True)
                running[name] = [p, time.monotonic(), -1, None]
            time.sleep(TICK)
            now = time.monotonic()
            for name, r in list(running.items()):
                p = r[0]
                rc = p.poll()
                verdict = None
                if rc is not None:
                    verdict = str(rc)
                else:
                    procs = tree(p.pid)
                    cpu = sum(t for _, t in procs)
                    busy = any(s in "RD" for s, _ in procs)
                    if busy or cpu != r[2]:
                        r[2], r[3] = cpu, None
                    elif r[3] is None:
                        r[3] = now
                    if (r[3] is not None and now - r[3] >= HANG_S) or now - r[1] > LIMIT_S:
                        verdict = "hang"
                if verdict is None:
                    continue
                try:
                    os.killpg(p.pid, signal.SIGKILL)
                except OSError:
                    pass
                p.wait()
                with open(os.path.join(outdir, name + ".rc"), "w") as f:
                    f.write(verdict + "\n")
                del running[name]
    finally:
        for r in running.values():
            try:
                os.killpg(r[0].pid, signal.SIGKILL)
            except OSError:
                pass


if __name__ == "__main__":
    main()
