# 5:8: error: a decision on a value read from a shared object is not supported by lockstep yet
from multiprocessing import Process, Value
def work(v):
    x = v.value
    if x > 0:
        v.value = x - 1
if __name__ == '__main__':
    v = Value('i', 3)
    Process(target=work, args=(v,)).start()
