#使用semaphore来设置一次进去的人数,KTV 4个人
import time
import random
from multiprocessing import Process,Semaphore
def ktv(i,sem):
    sem.acquire() #取得锁
    print('person %s 进来唱歌了'%i)
    time.sleep(random.randint(1,5))
    print('person %s 从ktv出去了'%i)
    sem.release() #释放锁
if __name__ == '__main__':
    sem = Semaphore(4) #初始化信号量,数量为4
    for i in range(6): # 模拟6个人
        Process(target=ktv,args=(i,sem)).start()
#在同一时间,最多有4个人进去
