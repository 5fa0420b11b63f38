# A Semaphore has no owner: one process takes a count, another gives it back.
from multiprocessing import Process, Semaphore, Event
def taker(sem, taken):
    sem.acquire()
    taken.set()
def giver(sem, taken):
    taken.wait()
    sem.release()
if __name__ == '__main__':
    sem, taken = Semaphore(1), Event()
    ps = [Process(target=taker, args=(sem, taken)), Process(target=giver, args=(sem, taken))]
    for p in ps: p.start()
    for p in ps: p.join()
