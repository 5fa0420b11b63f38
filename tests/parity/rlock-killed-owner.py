# A process killed while it owns an RLock leaves it taken for ever.
import os, signal
from multiprocessing import Process, RLock, Event
def crash(rlock, taken):
    rlock.acquire()
    rlock.acquire()
    taken.set()
    os.kill(os.getpid(), signal.SIGKILL)
def work(rlock, taken):
    taken.wait()
    with rlock:
        pass
if __name__ == '__main__':
    rlock, taken = RLock(), Event()
    ps = [Process(target=f, args=(rlock, taken)) for f in (crash, work)]
    for p in ps: p.start()
    for p in ps: p.join()
