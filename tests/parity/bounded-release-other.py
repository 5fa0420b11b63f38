# A BoundedSemaphore has no owner either: another process may give a count back.
from multiprocessing import Process, BoundedSemaphore, Event
def taker(sem, taken):
    sem.acquire()
    taken.set()
def giver(sem, taken):
    taken.wait()
    sem.release()
if __name__ == '__main__':
    sem, taken = BoundedSemaphore(1), Event()
    ps = [Process(target=taker, args=(sem, taken)), Process(target=giver, args=(sem, taken))]
    for p in ps: p.start()
    for p in ps: p.join()
