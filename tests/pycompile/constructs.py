# Every construct of the compiled subset, in one process whose prints
# do not depend on the schedule: python3 prints the same lines.
from multiprocessing import Process, Lock, Value, Array, Manager
import time


def scale(x, k=3):
    return x * k + 1


def work(name, n, total, arr, lock, d, ns):
    i = 0
    while i < n:
        i += 1
        if i % 2 == 0 and not i == 4:
            print('%s: %d is even' % (name, i))
        elif i == 3 or i > 100:
            print(f'{name}: {i} is three, {scale(i)} scaled')
        else:
            print('{}: {} is odd, // {} and % {}'.format(name, i, -7 // 2, -7 % 3))
    for k in range(2, 8, 3):
        with lock:
            total.value += k
        arr[k % 3] -= 1
    time.sleep(0.001)
    x = d['count']
    d['count'] = x + 5
    print(x)
    ns.hits += 2
    t = (1, 'two', [3])
    a, b = t[0], t[1]
    print(name, a, b, t, len(t), str(a) + b, 1 < 2 <= 2, 'no' if a else 'yes')
    for q in [1, 2, 3]:
        if q == 2:
            continue
        if q == 3:
            break
        print('q', q)


if __name__ == '__main__':
    lock = Lock()
    total = Value('i', 10)
    arr = Array('i', [5, 6, 7])
    with Manager() as m:
        d = m.dict({'count': 100})
        ns = m.Namespace()
        ns.hits = 0
        p = Process(target=work, args=('w', 5, total, arr, lock, d, ns))
        p.start()
        p.join()
        print(total.value, arr[0], arr[1], arr[2])
        print(d, d['count'], ns.hits)
