# v.value += 1 is a read, then a write: both read before either writes,
# so one update is lost.  (The events force the interleaving that
# lockstep's round-robin schedule gives.)
from multiprocessing import Process, Value, Event
def first(v, r1, r2, w1):
    reg = v.value
    r1.set(); r2.wait()
    v.value = reg + 1
    w1.set()
def second(v, r1, r2, w1):
    r1.wait()
    reg = v.value
    r2.set(); w1.wait()
    v.value = reg + 1
if __name__ == '__main__':
    v, r1, r2, w1 = Value('i', 0), Event(), Event(), Event()
    ps = [Process(target=f, args=(v, r1, r2, w1)) for f in (first, second)]
    for p in ps: p.start()
    for p in ps: p.join()
    print('value v=%d' % v.value)
