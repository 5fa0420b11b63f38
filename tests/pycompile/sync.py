# Queue, Event, Barrier, Condition, RLock and BoundedSemaphore from one
# program: the lines it prints are the same set under python3 and lockstep.
from multiprocessing import Process, Queue, Event, Barrier, Condition, Lock, RLock
from multiprocessing import BoundedSemaphore
import time


def producer(q, n):
    for i in range(n):
        q.put(i * 10)
    print('produced', n)


def consumer(q, n, ready):
    for i in range(n):
        item = q.get()
        print('got', item)
    ready.set()


def waiter(ready, b, name):
    ready.wait()
    b.wait()
    print(name, 'passed the barrier')


def signaller(cond, r, s):
    with r:
        with r:
            print('rlock twice')
    s.acquire()
    time.sleep(0.5)
    s.release()
    with cond:
        cond.notify_all()


if __name__ == '__main__':
    q = Queue(2)
    ready = Event()
    b = Barrier(2)
    lock = Lock()
    cond = Condition(lock)
    r = RLock()
    s = BoundedSemaphore(1)
    ps = [Process(target=producer, args=(q, 4)),
          Process(target=consumer, args=(q, 4, ready)),
          Process(target=waiter, args=(ready, b, 'a')),
          Process(target=waiter, args=(ready, b, 'b')),
          Process(target=signaller, args=(cond, r, s))]
    for p in ps:
        p.start()
    for p in ps:
        p.join()
    print('all done')
