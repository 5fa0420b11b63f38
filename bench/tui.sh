#!/bin/sh
# bench/tui.sh: how fast the terminal interface answers (a benchmark, not a
# test: it prints numbers and whether the targets were met, and exits 0
# either way; non-zero only when lockstep cannot be run).
#
#   bench/tui.sh [BUILD_DIR]        uses BUILD_DIR/src/lockstep (default .)
#   LOCKSTEP=/usr/bin/lockstep bench/tui.sh
#   BENCH_ARGS="--lang=zh --big" bench/tui.sh    the same, in Chinese, for a projector
#
# lockstep runs on a pseudo-terminal of 100x30 owned by a small python3
# driver that reads everything the program writes, so the times are the
# program's own, not a terminal emulator's.
#
#  first frame   start -> the header "step 0 ... paused" has been written
#                (the 100-worker counter: forking 100 processes included);
#                target 50 ms
#  step redraw   space pressed -> the program starts writing the new
#                frame, median of 50 steps with 100 workers; target 20 ms
#  idle CPU      utime+stime of the paused program over 10 s
#                (/proc/PID/stat); target under 0.5% of one core
#  finished CPU  the same once a run has finished (r, then nothing), and
#                the bytes it wrote meanwhile; targets 0.5% and 0 bytes
set -u
BUILD=${1:-.}
LOCKSTEP=${LOCKSTEP:-$BUILD/src/lockstep}
PYTHON=${PYTHON:-python3}
IDLE_S=${IDLE_S:-10}
[ -x "$LOCKSTEP" ] || { echo "bench/tui.sh: no lockstep at $LOCKSTEP" >&2; exit 1; }
command -v "$PYTHON" >/dev/null || { echo "bench/tui.sh: needs $PYTHON" >&2; exit 1; }

exec "$PYTHON" - "$LOCKSTEP" "$IDLE_S" <<'EOF'
import fcntl, os, pty, re, select, signal, struct, sys, termios, time

lockstep, idle_s = sys.argv[1], float(sys.argv[2])
ticks = os.sysconf("SC_CLK_TCK")

def spawn():
    pid, fd = pty.fork()
    if pid == 0:
        os.environ.update(TERM="xterm-256color", LC_ALL="C.UTF-8")
        os.environ.pop("NO_COLOR", None)
        extra = os.environ.get("BENCH_ARGS", "").split()   # --lang=zh, --big
        os.execv(lockstep, [lockstep, "--seed=1", "--speed=512"] + extra + ["counter-locked"])
    fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", 30, 100, 0, 0))
    return pid, fd

def read_until(fd, pattern, timeout=10.0):
    """Read output until pattern (bytes regex) appears; time it took."""
    t0, buf = time.monotonic(), b""
    while True:
        left = timeout - (time.monotonic() - t0)
        if left <= 0:
            raise TimeoutError(pattern)
        r, _, _ = select.select([fd], [], [], left)
        if r:
            try:
                buf += os.read(fd, 65536)
            except OSError:
                raise TimeoutError(pattern)
            if re.search(pattern, buf):
                return time.monotonic() - t0

def drain(fd):
    while select.select([fd], [], [], 0.02)[0]:
        os.read(fd, 65536)

def cpu(pid):
    f = open(f"/proc/{pid}/stat").read().rsplit(")", 1)[1].split()
    return (int(f[11]) + int(f[12])) / ticks

def at_rest(pid, fd):
    """CPU (% of a core) and bytes written over idle_s, the pty drained."""
    c0, wrote = cpu(pid), 0
    end = time.monotonic() + idle_s
    while time.monotonic() < end:       # keep the pty drained, wake rarely
        if select.select([fd], [], [], 1.0)[0]:
            wrote += len(os.read(fd, 65536))
    return (cpu(pid) - c0) / idle_s * 100, wrote

def verdict(ok):
    return "ok" if ok else "MISSED"

t0 = time.monotonic()
pid, fd = spawn()
try:
    read_until(fd, rb"step 0 +\S*paused|" + "第 0 步".encode())
    first = (time.monotonic() - t0) * 1000
    print(f"first frame      {first:8.1f} ms   target 50 ms   {verdict(first < 50)}")

    # curses sends only what changed ("1" over "0"), so a redraw is timed
    # from the key to the first byte of the program's answer: it computes
    # the whole frame before it writes any of it.
    lat = []
    for step in range(1, 51):
        drain(fd)
        t = time.monotonic()
        os.write(fd, b" ")
        select.select([fd], [], [], 5.0)
        lat.append((time.monotonic() - t) * 1000)
        time.sleep(0.01)
    lat.sort()
    med, worst = lat[len(lat) // 2], lat[-1]
    print(f"step redraw      {med:8.2f} ms   target 20 ms   {verdict(med < 20)}"
          f"   (worst {worst:.2f} ms, 100 workers)")

    time.sleep(0.5)
    used, _ = at_rest(pid, fd)
    print(f"idle CPU         {used:8.3f} %    target 0.5 %   {verdict(used < 0.5)}"
          f"   ({idle_s:g} s paused)")

    os.write(fd, b"r")
    # The Result panel, not the word: "finished its program" is in the
    # event log long before the run ends.
    read_until(fd, rb"Result: finished|" + "结果：已结束".encode(), 120)
    time.sleep(0.5)
    drain(fd)   # the rest of the frame that said it
    used, wrote = at_rest(pid, fd)
    print(f"finished CPU     {used:8.3f} %    target 0.5 %   {verdict(used < 0.5)}"
          f"   ({idle_s:g} s after the end)")
    print(f"finished output  {wrote:8d} B    target 0 B     {verdict(wrote == 0)}")
finally:
    os.write(fd, b"q")
    deadline = time.monotonic() + 5
    while time.monotonic() < deadline:
        if os.waitpid(pid, os.WNOHANG)[0]:
            break
        select.select([fd], [], [], 0.05)
        try:
            os.read(fd, 65536)
        except OSError:
            pass
    else:
        os.kill(pid, signal.SIGTERM)
        os.waitpid(pid, 0)
EOF
