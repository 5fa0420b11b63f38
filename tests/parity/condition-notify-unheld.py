# Condition.notify() without its lock is an error.
from multiprocessing import Process, Condition
def bad(c):
    c.notify()
if __name__ == '__main__':
    c = Condition()
    p = Process(target=bad, args=(c,))
    p.start(); p.join()
