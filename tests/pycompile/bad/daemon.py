# 7:5: error: daemon processes are not supported by lockstep yet
from multiprocessing import Process
def work():
    pass
if __name__ == '__main__':
    p = Process(target=work)
    p.daemon = True
    p.start()
