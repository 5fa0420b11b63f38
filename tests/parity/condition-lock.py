# A Condition on a Lock: the waiter gives the lock up while it waits.
from multiprocessing import Process, Condition, Lock, Value
def waiter(c, ready, n):
    with c:
        ready.value = 1
        c.wait()
        n.value += 1
def notifier(c, ready, n):
    while True:
        with c:
            if ready.value:
                c.notify()
                n.value += 10
                return
if __name__ == '__main__':
    c, ready, n = Condition(Lock()), Value('i', 0), Value('i', 0)
    ps = [Process(target=f, args=(c, ready, n)) for f in (waiter, notifier)]
    for p in ps: p.start()
    for p in ps: p.join()
    print('value n=%d' % n.value)
