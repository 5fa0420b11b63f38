"""bench/process_start.py: what one multiprocessing.Process.start() costs.

lockstep's controlled schedules charge each Process.start() a virtual
cost (a scenario's process-start-ms; SCENARIO_DEFAULT_START_MS in
src/scenario.h when it says nothing).  This measures the real one: N starts
(default 200) with the fork start method, each timed with
time.perf_counter() around p.start() alone (the child does nothing; it is
joined before the next start, outside the timing).  It prints the median
and a spread, in milliseconds.

    python3 bench/process_start.py [N]
"""
import multiprocessing as mp
import statistics
import sys
import time


def child():
    pass


def main():
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 200
    mp.set_start_method("fork")
    times = []
    for _ in range(n):
        p = mp.Process(target=child)
        t0 = time.perf_counter()
        p.start()
        times.append((time.perf_counter() - t0) * 1000.0)
        p.join()
    times.sort()
    print("Process.start() with fork, %d starts: median %.1f ms "
          "(10%% %.1f, 90%% %.1f, fastest %.1f)" %
          (n, statistics.median(times), times[n // 10],
           times[n * 9 // 10], times[0]))


if __name__ == "__main__":
    main()
