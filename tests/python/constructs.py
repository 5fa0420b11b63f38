# Every construct of lockstep's Python subset (docs/python.md), for
# tests/python.sh to compare lockstep's tree with python3's.  It is read,
# never run.
import os, os.path as osp
import multiprocessing as mp
from multiprocessing import (Process, Lock,
                             Semaphore as Sem,)
from threading import *
from time import sleep

哲学家 = 5
N, M = 3, 4
precise = 0.94688221709006926 + 1.7976931348623157e308 + 5e-324
total = counter = 0
data = {'count': 100, 2: [1, 2.5, .5, 5., 1e-3, 1_000, 0x_ff, 0o17, 0b101], 'e': {}}
t = (1,)
empty = ()
names = ['a', "b", '''c''', """d""", r'\d', u'x', 'j' "oin" 'ed']
ansi = '\033[41m%s\t\x41\101\u4e2d\U0001F600\\\'' % 'ok'
multi = """line one
line two \
continued"""


def work(d, lock, n=1, name=None):
    global total, counter
    with lock:
        d['count'] -= n
        d['count'] += -n ** 2
    with lock as l, mp.Lock():
        total *= 2; counter //= 3
        counter /= 1
        counter %= 7
        counter **= 2
    return d['count'], total


def nothing():
    pass


class Worker(Process):
    def __init__(self, i, sem):
        Process.__init__(self)
        self.i = i
        self.sem = sem

    def run(self):
        if self.i % 2 == 0 and not self.i > 3 or self.i in (1, 5):
            print('even %s' % self.i)
        elif self.i is not None and self.i not in [7]:
            print(f'{self.i}: {self.sem!r:>10} {{literal}} {self.i * 2:{N}d}')
        elif 0 < self.i <= 3 != 4 >= 1:
            pass
        else:
            return
        x = 1 if self.i else 2 if N else 3
        while x < 10:
            x = x + 1 - 2 * 3 / 4 // 5 % 6
            if x == 5:
                break
            continue
        for i, j in enumerate(range(3)):
            self.sem.acquire()
            data[2][0], data['e'][i] = i, j
        for k in (1, 2), [3, 4]:
            sleep(0.5)
        return (-x + +x) ** -2 ** 2


class Plain:
    pass


class Two(Worker, Plain):
    counter = 0


if __name__ == '__main__':
    lock = Lock()
    ps = []
    for i in range(N):
        p = Process(target=work, args=(data, lock), kwargs={'n': i}, daemon=True)
        ps.append(p)
        p.start()
    for p in ps: p.join()
    print(data, total, sep=', ', end='\n')
    print("%d%%" % 50, f"{total}" f'{counter!s}' 'tail', f'')
    a = b = c = [x, ()] if False else []
