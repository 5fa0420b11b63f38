/*
 * worker.h: the child process: it runs one program of ops on the real
 * shared objects and reports every event to the controller.
 *
 * What it says to the controller, and how (the event pipe, the order of
 * its reports, its exit status), is protocol.h.
 *
 * worker_main() never returns.  It is called in the child right after
 * fork(); it sets up the child's hygiene (process group, death signal,
 * signals, fds, stdio on /dev/null) first.
 */
#ifndef LOCKSTEP_WORKER_H
#define LOCKSTEP_WORKER_H

#include <stdint.h>
#include <sys/types.h>

#include "arena.h"
#include "protocol.h"
#include "scenario.h"

struct worker_start {
	const struct scenario *scenario;
	struct arena *arena;
	int index;               /* worker number over all groups */
	int group;
	int number;              /* its number in its name (first + index in group) */
	pid_t controller;        /* to notice the controller died before prctl */
	pid_t pgid;              /* 0: lead a new process group */
	int event_fd;            /* write end of the event pipe */
	int devnull_fd;
	int manager_fd;          /* its socket to the manager, -1: none */
	const int *pipe_fds;     /* read, write end of each OBJ_PIPE, in order */
	int n_pipes;
};

__attribute__((noreturn)) void worker_main(const struct worker_start *ws);

/* The child's set-up, shared with the manager process: process group,
 * death signal, default signals, stdio on /dev/null, and only the listed
 * descriptors kept, moved to 3, 4, 5... in that order (-1: skip a slot). */
void worker_hygiene(pid_t controller, pid_t pgid, int devnull_fd,
                    const int *keep, int n_keep);

/* The per-worker random sequence (splitmix64): the same seed and worker
 * give the same sleeps in every schedule and every replay. */
uint64_t worker_rng_next(uint64_t *state);
uint64_t worker_rng_seed(uint64_t seed, int worker);

/* Format a worker's name, e.g. "user3", into buf. */
void worker_name(const struct scenario *s, int group, int number, char *buf, size_t len);

#endif
