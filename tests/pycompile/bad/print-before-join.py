# 7:5: error: a print in the main process is supported by lockstep only after it has joined every process it started
from multiprocessing import Process
def work():
    pass
if __name__ == '__main__':
    Process(target=work).start()
    print('started')
