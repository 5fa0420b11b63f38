#模拟6个人去ktv唱歌
import time
import random
from multiprocessing import Process,Semaphore
def ktv(i):
    print('person %s 进来唱歌了'%i)
    time.sleep(random.randint(1,5))
    print('person %s 从ktv出去了'%i)
if __name__ == '__main__':
    for i in range(6): # 模拟6个人
        Process(target=ktv,args=(i,)).start() #结果发现有问题,6个人一拥而入,没有次序乱了
