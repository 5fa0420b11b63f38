# Manager().list() and Namespace(): with a lock, no update is lost.
from multiprocessing import Process, Manager, Lock
def w(l, ns, lock):
    with lock:
        l[1] = l[1] + 1
    with lock:
        ns.x = ns.x + 2
if __name__ == '__main__':
    with Manager() as m:
        l, ns, lock = m.list([0, 0]), m.Namespace(), Lock()
        ns.x = 0
        ps = [Process(target=w, args=(l, ns, lock)) for i in range(3)]
        for p in ps: p.start()
        for p in ps: p.join()
        print('value l[1]=%d' % l[1]); print('value ns.x=%d' % ns.x)
