/*
 * manager.h: the manager server process, as in Python's
 * multiprocessing.Manager(): it holds the scenario's dict, list and
 * namespace objects in its own memory (not in shared memory) and lets
 * workers read and change them through requests.
 *
 * Each worker has its own SOCK_SEQPACKET socket to the manager; a request
 * (struct manager_request, protocol.h) gets exactly one reply.  The manager
 * serves one request at a time, reports each one to the controller's event
 * pipe (EV_REQUEST, with the requesting worker), and exits when every
 * worker's socket is closed.  `d['count'] -= 1` is two requests, a get and
 * a set: between them another worker's get and set can happen, which is
 * exactly how the lesson's unlocked Manager dict loses updates.
 */
#ifndef LOCKSTEP_MANAGER_H
#define LOCKSTEP_MANAGER_H

#include <sys/types.h>

#include "scenario.h"

/* In the child right after fork().  worker_fds[w] is worker w's socket. */
__attribute__((noreturn)) void manager_main(const struct scenario *s, pid_t controller,
                                            pid_t pgid, int event_fd, int devnull_fd,
                                            const int *worker_fds, int n_workers);

/* Does the scenario have objects the manager holds? */
int manager_needed(const struct scenario *s);

#endif
