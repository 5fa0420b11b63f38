# A process killed holding a Semaphore's last count: the count is gone,
# and the next acquire waits for ever.
import os, signal
from multiprocessing import Process, Semaphore, Event
def crash(sem, taken):
    sem.acquire()
    taken.set()
    os.kill(os.getpid(), signal.SIGKILL)
def work(sem, taken):
    taken.wait()
    with sem:
        pass
if __name__ == '__main__':
    sem, taken = Semaphore(1), Event()
    ps = [Process(target=f, args=(sem, taken)) for f in (crash, work)]
    for p in ps: p.start()
    for p in ps: p.join()
