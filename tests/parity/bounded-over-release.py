# A BoundedSemaphore may not go above its start.
from multiprocessing import Process, BoundedSemaphore
def bad(sem):
    sem.acquire()
    sem.release()
    sem.release()
if __name__ == '__main__':
    sem = BoundedSemaphore(2)
    p = Process(target=bad, args=(sem,))
    p.start(); p.join()
