# Lock.release() of a free Lock is an error.
from multiprocessing import Process, Lock
def bad(lock):
    lock.release()
if __name__ == '__main__':
    lock = Lock()
    p = Process(target=bad, args=(lock,))
    p.start(); p.join()
