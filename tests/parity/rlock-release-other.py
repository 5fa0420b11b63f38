# An RLock is owned: another process may not release it.
from multiprocessing import Process, RLock, Event
def owner(rlock, taken, done):
    rlock.acquire()
    taken.set()
    done.wait()
    rlock.release()
def other(rlock, taken, done):
    taken.wait()
    try:
        rlock.release()
    finally:
        done.set()
if __name__ == '__main__':
    rlock, taken, done = RLock(), Event(), Event()
    ps = [Process(target=owner, args=(rlock, taken, done)),
          Process(target=other, args=(rlock, taken, done))]
    for p in ps: p.start()
    for p in ps: p.join()
