# 3:5: error: `lambda` is not supported by lockstep
from multiprocessing import Process
f = lambda: 1
