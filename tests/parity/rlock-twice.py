# An RLock's owner may take it again, and must release it as often.
from multiprocessing import Process, RLock, Value
def twice(rlock, n):
    with rlock:
        with rlock:
            n.value += 1
def other(rlock, n):
    with rlock:
        n.value += 1
if __name__ == '__main__':
    rlock, n = RLock(), Value('i', 0)
    ps = [Process(target=twice, args=(rlock, n)), Process(target=other, args=(rlock, n))]
    for p in ps: p.start()
    for p in ps: p.join()
    print('value n=%d' % n.value)
