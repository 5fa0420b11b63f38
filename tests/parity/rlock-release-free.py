# RLock.release() when nobody holds it.
from multiprocessing import Process, RLock
def bad(rlock):
    rlock.release()
if __name__ == '__main__':
    rlock = RLock()
    p = Process(target=bad, args=(rlock,))
    p.start(); p.join()
