# 2:8: error: the module 'socket' is not supported by lockstep
import socket
