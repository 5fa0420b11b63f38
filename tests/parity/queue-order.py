# Queue: items come out in the order they went in; a full queue blocks put.
from multiprocessing import Process, Queue
def producer(q):
    for i in (1, 2, 3):
        q.put(i)
def consumer(q):
    for i in (1, 2, 3):
        assert q.get() == i, 'out of order'
if __name__ == '__main__':
    q = Queue(2)
    ps = [Process(target=producer, args=(q,)), Process(target=consumer, args=(q,))]
    for p in ps: p.start()
    for p in ps: p.join()
