# 5:11: error: os.getpid is not supported by lockstep
from multiprocessing import Process
import os
def work():
    print(os.getpid())
if __name__ == '__main__':
    Process(target=work).start()
