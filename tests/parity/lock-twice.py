# A Lock is not re-entrant: taking it again waits for ever.
from multiprocessing import Process, Lock
def twice(lock):
    lock.acquire()
    lock.acquire()
if __name__ == '__main__':
    lock = Lock()
    p = Process(target=twice, args=(lock,))
    p.start(); p.join()
