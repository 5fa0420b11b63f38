from multiprocessing import Manager,Process,Lock
def work(d,lock):
    if True: # 不加锁而操作共享的数据,肯定会出现数据错乱
        d['count']-=1
if __name__ == '__main__':
    lock=Lock()
    with Manager() as m:
        dic=m.dict({'count':100})
        p_l=[]
        for i in range(100):
            p=Process(target=work,args=(dic,lock))
            p_l.append(p)
            p.start()
        for p in p_l:
            p.join()
        print(dic) #不加锁: 不一定是0
#100减100次1这么慢? 不是减操作造成的 而是开启进程 管理进程 销毁进程拖慢了程序的执行速度
# 为什么在这里出现了数据不安全的现象?
# 什么情况下会出现数据不安全 : Manager类当中对字典\列表 += -= *= /=
# 如何解决 : 加锁
