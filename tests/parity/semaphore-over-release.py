# A Semaphore released more often than taken grows above its start.
from multiprocessing import Process, Semaphore
def more(sem):
    sem.release()
    sem.release()
    for i in range(3):
        sem.acquire()
if __name__ == '__main__':
    sem = Semaphore(1)
    p = Process(target=more, args=(sem,))
    p.start(); p.join()
