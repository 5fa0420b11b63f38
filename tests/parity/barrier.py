# A Barrier lets its parties go on together.
from multiprocessing import Process, Barrier, Value
def party(b, n):
    with n.get_lock():
        n.value += 1
    b.wait()
if __name__ == '__main__':
    b, n = Barrier(3), Value('i', 0)
    ps = [Process(target=party, args=(b, n)) for i in range(3)]
    for p in ps: p.start()
    for p in ps: p.join()
    print('value n=%d' % n.value)
