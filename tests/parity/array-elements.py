# Array: each process writes its own element.
from multiprocessing import Process, Array
def w(arr, i):
    arr[i] += i + 1
if __name__ == '__main__':
    arr = Array('i', 3)
    ps = [Process(target=w, args=(arr, i)) for i in range(3)]
    for p in ps: p.start()
    for p in ps: p.join()
    print('value arr[0]=%d' % arr[0]); print('value arr[1]=%d' % arr[1]); print('value arr[2]=%d' % arr[2])
