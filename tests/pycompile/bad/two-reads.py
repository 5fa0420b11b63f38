# 7:5: error: this uses a value read from a shared object before another read: lockstep keeps one such value at a time
from multiprocessing import Process, Manager
def work(d):
    a = d['a']
    b = d['b']
    print(b)
    print(a)
if __name__ == '__main__':
    with Manager() as m:
        d = m.dict({'a': 1, 'b': 2})
        p = Process(target=work, args=(d,))
        p.start()
        p.join()
