# Semaphore(2): never more than 2 inside at once.
from multiprocessing import Process, Semaphore, Value, Lock
def user(sem, inside, most, lock):
    with sem:
        with lock:
            inside.value += 1
            most.value = max(most.value, inside.value)
        with lock:
            inside.value -= 1
if __name__ == '__main__':
    sem, inside, most, lock = Semaphore(2), Value('i', 0), Value('i', 0), Lock()
    ps = [Process(target=user, args=(sem, inside, most, lock)) for i in range(4)]
    for p in ps: p.start()
    for p in ps: p.join()
    print('value inside=%d' % inside.value)
