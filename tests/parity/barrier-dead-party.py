# A Barrier whose party died before it arrived: the others wait for ever.
import os, signal
from multiprocessing import Process, Barrier
def crash(b):
    os.kill(os.getpid(), signal.SIGKILL)
    b.wait()
def party(b):
    b.wait()
if __name__ == '__main__':
    b = Barrier(3)
    ps = [Process(target=crash, args=(b,))] + [Process(target=party, args=(b,)) for i in range(2)]
    for p in ps: p.start()
    for p in ps: p.join()
