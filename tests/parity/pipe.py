# Pipe: what one end sends, the other receives, in order.
from multiprocessing import Process, Pipe
def sender(a):
    a.send(7)
    a.send(8)
def receiver(b):
    assert b.recv() == 7
    assert b.recv() == 8
if __name__ == '__main__':
    a, b = Pipe()
    ps = [Process(target=sender, args=(a,)), Process(target=receiver, args=(b,))]
    for p in ps: p.start()
    for p in ps: p.join()
