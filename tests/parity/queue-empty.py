# Queue.get() on a queue nobody puts into waits for ever.
from multiprocessing import Process, Queue
def consumer(q):
    q.get()
if __name__ == '__main__':
    q = Queue(2)
    p = Process(target=consumer, args=(q,))
    p.start(); p.join()
