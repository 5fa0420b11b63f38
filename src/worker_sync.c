/*
 * worker_sync.c: a worker's synchronisation ops on the real primitives:
 * acquire and release (locks, rlocks, semaphores, bounded semaphores),
 * set / clear / wait on an event, wait on a barrier, wait and notify on a
 * condition (see worker_priv.h for the rule every op follows).
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <time.h>
#include <unistd.h>

#include "engine.h"
#include "worker_priv.h"

/* ---- locks and semaphores ---------------------------------------------------- */

static int is_mutex(const struct worker *w, int obj)
{
	return kind_info(w->s->objects[obj].kind)->primitive == KP_MUTEX;
}

/* A robust mutex whose holder died comes back as EOWNERDEAD: it is ours,
 * but must be made consistent, or it becomes unusable for ever. */
static int mutex_result(struct worker *w, int obj, int rc, int *recovered)
{
	if (rc == EOWNERDEAD) {
		pthread_mutex_consistent(&w->a->objects[obj].mutex);
		*recovered = 1;
		return 1;
	}
	if (rc == EBUSY || rc == ETIMEDOUT)
		return 0;
	if (rc == EDEADLK)
		wk_fail(w, obj, "acquire of a robust-lock it already holds: it is not re-entrant");
	if (rc)
		wk_fail(w, obj, strerror(rc));
	return 1;
}

/* Take obj: without blocking (controlled), or blocking up to the op's
 * timeout, or for good.  1 taken, 0 not.  A Lock, RLock or semaphore is a
 * semaphore, as CPython's SemLock: an RLock its owner holds is taken again
 * without touching it; a Lock taken twice by one process waits for ever,
 * as in Python. */
static int take(struct worker *w, int obj, int may_block, long timeout_ms, int *recovered)
{
	struct arena_object *o = &w->a->objects[obj];
	*recovered = 0;
	if (is_mutex(w, obj)) {
		int rc = pthread_mutex_trylock(&o->mutex);
		if (rc == EBUSY && may_block) {
			wk_announce_wait(w, obj);
			if (timeout_ms > 0) {
				struct timespec t = wk_deadline_after(w, timeout_ms);
				rc = pthread_mutex_clocklock(&o->mutex, CLOCK_MONOTONIC, &t);
			} else {
				rc = pthread_mutex_lock(&o->mutex);
			}
		}
		return mutex_result(w, obj, rc, recovered);
	}
	if (kind_is(w->s->objects[obj].kind, KF_RECURSIVE) && w->slot->holds[obj])
		return 1;
	if (sem_trywait(&o->sem) == 0)
		return 1;
	if (errno != EAGAIN && errno != EINTR)
		wk_fail(w, obj, strerror(errno));
	if (!may_block)
		return 0;
	wk_announce_wait(w, obj);
	struct timespec t = wk_deadline_after(w, timeout_ms);
	for (;;) {
		int rc = timeout_ms > 0 ? sem_clockwait(&o->sem, CLOCK_MONOTONIC, &t)
		                        : sem_wait(&o->sem);
		if (rc == 0)
			return 1;
		if (errno == ETIMEDOUT)
			return 0;
		if (errno != EINTR)
			wk_fail(w, obj, strerror(errno));
	}
}

/* Give obj back for real (its holds are already counted down). */
static void give(struct worker *w, int obj)
{
	struct arena_object *o = &w->a->objects[obj];
	if (is_mutex(w, obj)) {
		int rc = pthread_mutex_unlock(&o->mutex);
		if (rc)
			wk_fail(w, obj, strerror(rc));
	} else if (sem_post(&o->sem)) {
		wk_fail(w, obj, strerror(errno));
	}
}

/* May this worker release obj now?  CPython's rules: an RLock only by
 * its owner; a Lock (max 1) or BoundedSemaphore not above its start, by
 * anyone (checked with sem_getvalue, as CPython does, which is not a
 * guarantee when two release at once); a Semaphore always.  A
 * robust-lock only by its owner (the mutex would say EPERM). */
static void check_release(struct worker *w, int obj)
{
	const struct scenario_object *so = &w->s->objects[obj];
	if (kind_is(so->kind, KF_OWNED) && !w->slot->holds[obj])
		wk_fail(w, obj, kind_info(so->kind)->err_release);
	if (kind_is(so->kind, KF_BOUNDED)) {
		int now = 0;
		sem_getvalue(&w->a->objects[obj].sem, &now);
		if (now >= so->initial)
			wk_fail(w, obj, kind_info(so->kind)->err_release);
	}
}

void sync_acquire(struct worker *w, const struct scenario_op *op)
{
	int obj = op->object, recovered;
	if (w->controlled && w->slot->timed_out) {
		/* The controller's clock passed our deadline while we waited. */
		w->slot->timed_out = 0;
		wk_report(w, EV_TIMEOUT, obj, op->target, 0);
		wk_set_state(w, WS_RUNNING, -1);
		w->slot->pc = op->target;
		return;
	}
	if (!take(w, obj, !w->controlled, op->timeout_ms, &recovered)) {
		if (w->controlled) {
			wk_announce_wait(w, obj);
			return;
		}
		/* os: the real timeout expired */
		wk_report(w, EV_TIMEOUT, obj, op->target, 0);
		wk_set_state(w, WS_RUNNING, -1);
		w->slot->pc = op->target;
		return;
	}
	w->slot->holds[obj]++;
	wk_set_state(w, WS_RUNNING, -1);
	wk_report(w, recovered ? EV_RECOVERED : EV_ACQUIRED, obj, 0, 0);
	wk_done_op(w);
}

/* os: report, then release, so nobody is seen taking what is still held.
 * Controlled: release, then report, so the next step (which the
 * controller starts only after this report) finds the object free. */
void sync_release(struct worker *w, int obj)
{
	check_release(w, obj);
	/* Anyone may release a Lock or a semaphore, as in Python: the
	 * picture counts down whoever took it. */
	if (w->slot->holds[obj])
		w->slot->holds[obj]--;
	/* An RLock held again is only counted down. */
	int still = kind_is(w->s->objects[obj].kind, KF_RECURSIVE) && w->slot->holds[obj];
	if (!w->controlled)
		wk_report(w, EV_RELEASED, obj, 0, 0);
	if (!still)
		give(w, obj);
	if (w->controlled)
		wk_report(w, EV_RELEASED, obj, 0, 0);
	wk_done_op(w);
}

/* ---- events, conditions, barriers ---------------------------------------- */

/* The guard mutex of an event, barrier or queue: robust too, so a worker
 * killed while inside does not wedge the rest. */
void sync_guard_lock(struct worker *w, int obj)
{
	int recovered = 0;
	mutex_result(w, obj, pthread_mutex_lock(&w->a->objects[obj].mutex), &recovered);
}

void sync_guard_unlock(struct worker *w, int obj)
{
	pthread_mutex_unlock(&w->a->objects[obj].mutex);
}

void sync_cond_wait(struct worker *w, pthread_cond_t *c, int mutex_obj)
{
	int rc = pthread_cond_wait(c, &w->a->objects[mutex_obj].mutex);
	if (rc == EOWNERDEAD)
		pthread_mutex_consistent(&w->a->objects[mutex_obj].mutex);
}

void sync_set(struct worker *w, int obj, int up)
{
	struct arena_object *o = &w->a->objects[obj];
	sync_guard_lock(w, obj);
	o->flag = up;
	if (up) {
		o->generation++;
		pthread_cond_broadcast(&o->cond);
	}
	/* Reported under the guard: the os schedule's waiters report after
	 * it, so the controller sees the set first. */
	wk_report(w, up ? EV_SET : EV_CLEAR, obj, 0, 0);
	sync_guard_unlock(w, obj);
	wk_done_op(w);
}

/* Python's Event.wait() returns for every waiter of a set(), even if the
 * flag is cleared again at once: a waiter passes when the flag is up or
 * a set happened since it began to wait. */
void sync_wait_event(struct worker *w, int obj)
{
	struct arena_object *o = &w->a->objects[obj];
	sync_guard_lock(w, obj);
	if (w->phase == 0)
		w->waited_generation = o->generation;
	if (!o->flag && o->generation == w->waited_generation) {
		w->phase = 1;
		wk_announce_wait(w, obj);
		if (w->controlled) {
			sync_guard_unlock(w, obj);
			return;
		}
		while (!o->flag && o->generation == w->waited_generation)
			sync_cond_wait(w, &o->cond, obj);
	}
	wk_report(w, EV_PASSED, obj, 0, 0);
	sync_guard_unlock(w, obj);
	wk_done_op(w);
}

void sync_wait_barrier(struct worker *w, int obj)
{
	struct arena_object *o = &w->a->objects[obj];
	int parties = w->s->objects[obj].capacity;
	sync_guard_lock(w, obj);
	if (w->phase == 0) {
		w->waited_generation = o->generation;
		if (++o->arrived >= parties) {
			o->arrived = 0;
			o->generation++;
			pthread_cond_broadcast(&o->cond);
			wk_report(w, EV_PASSED, obj, parties, 1);   /* extra 1: it tripped */
			sync_guard_unlock(w, obj);
			wk_done_op(w);
			return;
		}
		w->phase = 1;
		wk_announce_wait(w, obj);
		if (w->controlled) {
			sync_guard_unlock(w, obj);
			return;
		}
	}
	while (o->generation == w->waited_generation) {
		if (w->controlled) {   /* woken too early: cannot happen */
			wk_announce_wait(w, obj);
			sync_guard_unlock(w, obj);
			return;
		}
		sync_cond_wait(w, &o->cond, obj);
	}
	wk_report(w, EV_PASSED, obj, 0, 0);
	sync_guard_unlock(w, obj);
	wk_done_op(w);
}

/* Condition.wait(): give the lock up (all of an RLock's depth, as
 * CPython does), wait for a notify, take the lock again.  Controlled: two
 * gates (the controller opens the second after a notify), then as many
 * tries of the lock as it takes.  os: the condition's guard keeps count
 * of sleepers and of notifies not yet taken, like CPython's semaphores,
 * so a notify between giving the lock up and sleeping is not lost, and
 * any kind of lock will do. */
void sync_wait_condition(struct worker *w, int obj)
{
	int lock = w->s->objects[obj].lock, recovered = 0;
	struct arena_object *co = &w->a->objects[obj];
	if (w->phase == 0) {
		if (!w->slot->holds[lock])
			wk_fail(w, obj, kind_info(w->s->objects[obj].kind)->err_wait);
		w->depth = w->slot->holds[lock];
		if (!w->controlled) {
			sync_guard_lock(w, obj);
			co->sleepers++;
		}
		while (w->slot->holds[lock]) {
			w->slot->holds[lock]--;
			wk_report(w, EV_RELEASED, lock, 0, 0);
		}
		give(w, lock);
		w->phase = 1;
		wk_announce_wait(w, obj);
		if (w->controlled)
			return;
		while (!co->wakeups)
			sync_cond_wait(w, &co->cond, obj);
		co->wakeups--;
		sync_guard_unlock(w, obj);
		take(w, lock, 1, 0, &recovered);
	} else if (!take(w, lock, 0, 0, &recovered)) {
		wk_announce_wait(w, lock);   /* notified, the lock is busy */
		return;
	}
	for (int i = 0; i < w->depth; i++) {
		w->slot->holds[lock]++;
		wk_report(w, recovered ? EV_RECOVERED : EV_ACQUIRED, lock, 0, 0);
		recovered = 0;
	}
	wk_report(w, EV_PASSED, obj, 0, 0);
	wk_done_op(w);
}

void sync_notify(struct worker *w, const struct scenario_op *op)
{
	int obj = op->object, lock = w->s->objects[obj].lock;
	struct arena_object *co = &w->a->objects[obj];
	if (!w->slot->holds[lock])
		wk_fail(w, obj, kind_info(w->s->objects[obj].kind)->err_notify);
	if (!w->controlled) {
		sync_guard_lock(w, obj);
		int n = op->notify_all ? co->sleepers : co->sleepers > 0;
		co->sleepers -= n;
		co->wakeups += n;
		pthread_cond_broadcast(&co->cond);
		sync_guard_unlock(w, obj);
	}
	wk_report(w, EV_NOTIFY, obj, op->notify_all ? -1 : 1, 0);
	wk_done_op(w);
}
