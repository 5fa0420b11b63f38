# Run a lesson's Python program under python3 with its sleeps scaled
# down 100 times (tests/pycompile.sh): the same program, the same prints,
# in a fraction of the time.  Processes are forked, so they inherit both
# patches.  Each print is one write(2), so that the lines of processes
# printing at once do not mix in the pipe.
import builtins
import multiprocessing
import os
import runpy
import sys
import time

_sleep = time.sleep
time.sleep = lambda s: _sleep(s / 100.0)


def _print(*args, sep=' ', end='\n', file=None, flush=False):
    os.write(1, (sep.join(str(a) for a in args) + end).encode())


builtins.print = _print
multiprocessing.set_start_method('fork')
sys.argv = sys.argv[1:]
runpy.run_path(sys.argv[0], run_name='__main__')
