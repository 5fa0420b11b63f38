# A process killed while it holds a Lock leaves it taken for ever: the
# next acquire waits for ever (this program never ends).
import os, signal
from multiprocessing import Process, Lock, Event
def crash(lock, taken):
    with lock:
        taken.set()
        os.kill(os.getpid(), signal.SIGKILL)
def work(lock, taken):
    taken.wait()
    with lock:
        pass
if __name__ == '__main__':
    lock, taken = Lock(), Event()
    ps = [Process(target=f, args=(lock, taken)) for f in (crash, work)]
    for p in ps: p.start()
    for p in ps: p.join()
