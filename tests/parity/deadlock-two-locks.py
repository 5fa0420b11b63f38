# The lesson's two-lock deadlock: each holds one lock and wants the other.
from multiprocessing import Process, Lock, Event
def one(a, b, e1, e2):
    with a:
        e1.set(); e2.wait()
        with b:
            pass
def two(a, b, e1, e2):
    with b:
        e2.set(); e1.wait()
        with a:
            pass
if __name__ == '__main__':
    a, b, e1, e2 = Lock(), Lock(), Event(), Event()
    ps = [Process(target=f, args=(a, b, e1, e2)) for f in (one, two)]
    for p in ps: p.start()
    for p in ps: p.join()
