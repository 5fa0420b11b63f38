/*
 * worker_priv.h: the worker process's insides, shared by its files only.
 *
 *  - worker.c:      the process: hygiene, the gate loop, reports;
 *  - worker_sync.c: locks, semaphores, events, conditions, barriers;
 *  - worker_ops.c:  queues, pipes, values (in shared memory or in the
 *                   manager), sleep, print, goto, crash, and do_op.
 *
 * Every op follows one rule: in the controlled schedules it never blocks
 * (it tries, and "not now" is a report); in the os schedule it blocks in
 * the kernel for real, saying so first.
 */
#ifndef LOCKSTEP_WORKER_PRIV_H
#define LOCKSTEP_WORKER_PRIV_H

#include <pthread.h>
#include <stddef.h>
#include <time.h>

#include "engine.h"
#include "worker.h"

struct worker {
	const struct worker_start *ws;
	const struct scenario *s;
	const struct scenario_group *g;
	struct worker_slot *slot;
	struct arena *a;
	int controlled;
	char name[SCENARIO_MAX_NAME + 12];
	uint64_t rng;
	/* A wait that takes two gates in the controlled schedules (condition:
	 * released, then retaking the lock; barrier and event: the round or
	 * set it waits for). */
	int phase;
	long waited_generation;
	int depth;               /* condition wait: how deep it held the lock */
	/* Reports being gathered: see flush_events(). */
	char buf[4 * sizeof(struct wire_event) + WIRE_TEXT_MAX];
	size_t len;
	int hold;
};

/* worker.c: reports and state */
void wk_flush(struct worker *w);
void wk_add_event(struct worker *w, enum event_kind kind, int object,
                  long value, long extra, const char *text, size_t text_len);
void wk_report(struct worker *w, enum event_kind kind, int object, long value, long extra);
__attribute__((noreturn)) void wk_fail(struct worker *w, int object, const char *msg);
void wk_set_state(struct worker *w, int state, int waits_on);
void wk_announce_wait(struct worker *w, int obj);
void wk_done_op(struct worker *w);
struct timespec wk_deadline_after(struct worker *w, long ms);

/* worker_sync.c */
void sync_acquire(struct worker *w, const struct scenario_op *op);
void sync_release(struct worker *w, int obj);
void sync_set(struct worker *w, int obj, int up);
void sync_wait_event(struct worker *w, int obj);
void sync_wait_barrier(struct worker *w, int obj);
void sync_wait_condition(struct worker *w, int obj);
void sync_notify(struct worker *w, const struct scenario_op *op);
void sync_guard_lock(struct worker *w, int obj);
void sync_guard_unlock(struct worker *w, int obj);
void sync_cond_wait(struct worker *w, pthread_cond_t *c, int mutex_obj);

/* worker_ops.c: do the op at pc once (controlled: never blocks). */
void worker_do_op(struct worker *w);

#endif
