# Manager().dict(): d['count'] -= 1 is a get, then a set: both get before
# either sets, so one update is lost.  (The events force the interleaving
# that lockstep's round-robin schedule gives.)
from multiprocessing import Process, Manager, Event
def first(d, r1, r2, w1):
    reg = d['count']
    r1.set(); r2.wait()
    d['count'] = reg - 1
    w1.set()
def second(d, r1, r2, w1):
    r1.wait()
    reg = d['count']
    r2.set(); w1.wait()
    d['count'] = reg - 1
if __name__ == '__main__':
    with Manager() as m:
        d = m.dict(count=10)
        r1, r2, w1 = Event(), Event(), Event()
        ps = [Process(target=f, args=(d, r1, r2, w1)) for f in (first, second)]
        for p in ps: p.start()
        for p in ps: p.join()
        print("value d['count']=%d" % d['count'])
