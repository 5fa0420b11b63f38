# Event: waiters go on once it is set.
from multiprocessing import Process, Event, Value
def waiter(e, n):
    e.wait()
    with n.get_lock():
        n.value += 1
def setter(e, n):
    e.set()
if __name__ == '__main__':
    e, n = Event(), Value('i', 0)
    ps = [Process(target=waiter, args=(e, n)) for i in range(2)] + [Process(target=setter, args=(e, n))]
    for p in ps: p.start()
    for p in ps: p.join()
    print('value n=%d' % n.value)
