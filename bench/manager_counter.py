#!/usr/bin/env python3
# bench/manager_counter.py: the lesson's Manager example (一、数据共享),
# copied faithfully, for bench/run.sh to time against lockstep.
#
# The only change: the number of processes comes from the command line
# (default 100, as in the lesson), and the count starts at that number so a
# correct run still prints {'count': 0}.
#
# Usage: python3 bench/manager_counter.py [N]
import sys
from multiprocessing import Manager,Process,Lock
def work(d,lock):
    with lock: #不加锁而操作共享的数据,肯定会出现数据错乱
        d['count']-=1
if __name__ == '__main__':
    n=int(sys.argv[1]) if len(sys.argv)>1 else 100
    lock=Lock()
    with Manager() as m:
        dic=m.dict({'count':n})
        p_l=[]
        for i in range(n):
            p=Process(target=work,args=(dic,lock))
            p_l.append(p)
            p.start()
        for p in p_l:
            p.join()
        print(dic) #0,加了锁后
#100减100次1这么慢? 不是减操作造成的 而是开启进程 管理进程 销毁进程拖慢了程序的执行速度
