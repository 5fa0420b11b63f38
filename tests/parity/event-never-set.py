# Event.wait() on an Event nobody sets waits for ever.
from multiprocessing import Process, Event
def waiter(e):
    e.wait()
if __name__ == '__main__':
    e = Event()
    p = Process(target=waiter, args=(e,))
    p.start(); p.join()
