/*
 * arena.h: the shared memory every worker and the controller map.
 *
 * One anonymous MAP_SHARED mapping, made before the first fork, holds:
 *  - one struct arena_object per scenario object: the real primitive
 *    (a robust process-shared mutex, a process-shared POSIX semaphore, a
 *    process-shared condition variable with its mutex) and the state it
 *    guards (an event's flag, a barrier's count, a queue's ring), or the
 *    integers of a value or an array.  Pipes are real pipe(2)s and the
 *    manager's objects live in the manager process, not here;
 *  - one struct worker_slot per worker: the gate the controller posts to
 *    let the worker do one op (controlled schedules) or start (os), and the
 *    status the worker publishes (pid, op index, state, register, holds).
 *
 * Contract: arena_create() initialises every primitive for the scenario's
 * objects; arena_destroy() destroys them and unmaps.  Only the controller
 * calls either, and only while no worker is alive.  Workers read the
 * header and their own slot, and operate on the objects.
 */
#ifndef LOCKSTEP_ARENA_H
#define LOCKSTEP_ARENA_H

#include <pthread.h>
#include <semaphore.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "scenario.h"

struct arena_object {
	/* OBJ_ROBUST_LOCK: the lock itself (robust, process-shared).
	 * OBJ_EVENT, OBJ_BARRIER, OBJ_QUEUE, OBJ_CONDITION: the mutex that
	 * guards the fields below. */
	pthread_mutex_t mutex;
	/* OBJ_LOCK, OBJ_RLOCK (from 1), OBJ_SEMAPHORE, OBJ_BOUNDED_SEMAPHORE:
	 * like CPython's SemLock (an RLock's owner and depth are its own
	 * slot's holds, as SemLock keeps them in the owner process). */
	sem_t sem;
	/* OBJ_EVENT: waiters; OBJ_CONDITION: its sleepers; OBJ_BARRIER:
	 * waiters; OBJ_QUEUE: "not empty". */
	pthread_cond_t cond;
	pthread_cond_t cond2;    /* OBJ_QUEUE: "not full" */
	volatile long elems[SCENARIO_MAX_ELEMS]; /* OBJ_VALUE (elems[0]), OBJ_ARRAY */
	volatile int flag;       /* OBJ_EVENT */
	volatile long generation;/* OBJ_EVENT: sets; OBJ_BARRIER: trips */
	volatile int arrived;    /* OBJ_BARRIER */
	volatile int head, count;/* OBJ_QUEUE: the ring */
	volatile int sleepers;   /* OBJ_CONDITION (os): waiting, not yet notified */
	volatile int wakeups;    /* OBJ_CONDITION (os): notifies not yet taken */
	volatile long ring[SCENARIO_MAX_CAPACITY];
};

/* Written by its worker, read by the controller at any time. */
struct worker_slot {
	sem_t gate;              /* posted by the controller */
	volatile pid_t pid;
	volatile int pc;         /* op index it is at */
	volatile int state;      /* enum worker_state */
	volatile int waits_on;   /* object index, -1 */
	volatile long reg;       /* its register */
	volatile unsigned char holds[SCENARIO_MAX_OBJECTS];
	volatile int timed_out;  /* set by the controller: an acquire-timeout
	                            expired while it waited (virtual time) */
};

struct arena {
	int controlled;          /* 1: one op per gate post; 0: os schedule */
	double speed;            /* os: real sleep = sleep / speed */
	uint64_t seed;
	int n_objects;
	int n_workers;
	struct arena_object objects[SCENARIO_MAX_OBJECTS];
	struct worker_slot slots[];   /* n_workers of them */
};

/* Map and initialise.  NULL with errno on failure. */
struct arena *arena_create(const struct scenario *s, int n_workers,
                           int controlled, double speed, uint64_t seed,
                           size_t *size_out);
void arena_destroy(struct arena *a, const struct scenario *s, size_t size);

#endif
