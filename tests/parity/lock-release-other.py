# A Lock has no owner: a process may release a Lock another one took.
from multiprocessing import Process, Lock, Event
def taker(lock, taken):
    lock.acquire()
    taken.set()
def releaser(lock, taken):
    taken.wait()
    lock.release()
if __name__ == '__main__':
    lock, taken = Lock(), Event()
    ps = [Process(target=taker, args=(lock, taken)), Process(target=releaser, args=(lock, taken))]
    for p in ps: p.start()
    for p in ps: p.join()
