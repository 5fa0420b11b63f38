# 4:5: error: name 'lok' is not defined (NameError)
from multiprocessing import Process, Lock
def work(lock):
    lok.acquire()
if __name__ == '__main__':
    Process(target=work, args=(Lock(),)).start()
