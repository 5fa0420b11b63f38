/*
 * worker.c: the child process (see worker.h).
 *
 * A worker is deliberately dumb: it does the op it is at on the real
 * primitive and says what happened.  All bookkeeping (queues, holders,
 * the clock, deadlock) is the controller's.
 *
 * Controlled schedules: before each op the worker waits on its gate; then
 * it does the op without ever blocking (trylock, sem_trywait, a look at
 * the flag or the ring: "not now" is a report, and the controller lets it
 * try again when things change), and a sleep is only announced (the
 * controller's virtual clock parks it).  The os schedule: the worker
 * waits on its gate once, to start with the others, then runs its whole
 * program, blocking in the kernel for real.
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
	/* Reports being gathered: see flush_events(). */
	char buf[4 * sizeof(struct wire_event) + WIRE_TEXT_MAX];
	size_t len;
	int hold;
};

uint64_t worker_rng_next(uint64_t *state)
{
	uint64_t z = (*state += 0x9e3779b97f4a7c15ULL);
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

uint64_t worker_rng_seed(uint64_t seed, int worker)
{
	uint64_t st = seed ^ ((uint64_t)(worker + 1) * 0xd1b54a32d192ed03ULL);
	return worker_rng_next(&st);
}

void worker_name(const struct scenario *s, int group, int number, char *buf, size_t len)
{
	snprintf(buf, len, "%s%d", s->groups[group].name, number);
}

/* ---- reports --------------------------------------------------------------- */

/* Send what add_event() gathered in one write: atomic up to PIPE_BUF. */
static void flush_events(struct worker *w)
{
	size_t off = 0;
	while (off < w->len) {
		ssize_t n = write(WORKER_EVENT_FD, w->buf + off, w->len - off);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			_exit(3);   /* the controller is gone */
		}
		off += (size_t)n;
	}
	w->len = 0;
}

static void add_event(struct worker *w, enum event_kind kind, int object,
                      long value, long extra, const char *text, size_t text_len)
{
	struct wire_event ev;
	if (w->len + sizeof ev + WIRE_TEXT_MAX > sizeof w->buf)
		flush_events(w);
	memset(&ev, 0, sizeof ev);
	ev.worker = w->ws->index;
	ev.pc = (int16_t)w->slot->pc;
	ev.kind = (uint8_t)kind;
	ev.object = (int8_t)object;
	ev.value = value;
	ev.extra = extra;
	if (w->slot->pc >= 0 && w->slot->pc < w->g->n_ops)
		ev.elem = (uint16_t)w->g->ops[w->slot->pc].elem;
	if (text_len > WIRE_TEXT_MAX)
		text_len = WIRE_TEXT_MAX;
	ev.text_len = (uint16_t)text_len;
	memcpy(w->buf + w->len, &ev, sizeof ev);
	w->len += sizeof ev;
	if (text_len) {
		memcpy(w->buf + w->len, text, text_len);
		w->len += text_len;
	}
}

/* Controlled schedules gather a step's reports and send them in one write
 * at its end; the os schedule sends each at once, since its order against
 * other workers' reports is what the controller reads. */
static void report(struct worker *w, enum event_kind kind, int object, long value, long extra)
{
	add_event(w, kind, object, value, extra, NULL, 0);
	if (!w->hold)
		flush_events(w);
}

__attribute__((noreturn)) static void fail(struct worker *w, int object, const char *msg)
{
	add_event(w, EV_ERROR, object, 0, 0, msg, strlen(msg));
	flush_events(w);
	_exit(1);
}

static void wait_gate(struct worker *w)
{
	while (sem_wait(&w->slot->gate) != 0)
		if (errno != EINTR)
			_exit(4);
}

static void set_state(struct worker *w, int state, int waits_on)
{
	w->slot->waits_on = waits_on;
	w->slot->state = state;
}

/* Say "waiting for obj"; in the os schedule that goes out before the
 * worker really blocks, so queues and cycles are drawn from it. */
static void announce_wait(struct worker *w, int obj)
{
	set_state(w, WS_BLOCKED, obj);
	report(w, EV_WAIT, obj, 0, 0);
}

static void done_op(struct worker *w)
{
	set_state(w, WS_RUNNING, -1);
	w->slot->pc++;
	w->phase = 0;
}

static struct timespec deadline_after(struct worker *w, long ms)
{
	double secs = (double)ms / 1000.0 / (w->a->speed > 0 ? w->a->speed : 1.0);
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	long ns = (long)((secs - (double)(long)secs) * 1e9);
	t.tv_sec += (time_t)secs + (t.tv_nsec + ns) / 1000000000L;
	t.tv_nsec = (t.tv_nsec + ns) % 1000000000L;
	return t;
}

/* ---- locks and semaphores ---------------------------------------------------- */

static int is_mutex(const struct worker *w, int obj)
{
	enum object_kind k = w->s->objects[obj].kind;
	return k == OBJ_LOCK || k == OBJ_RLOCK;
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
		fail(w, obj, "acquire of a Lock it already holds: a Lock is not re-entrant "
		     "(Python would wait for ever)");
	if (rc)
		fail(w, obj, strerror(rc));
	return 1;
}

/* Take obj: without blocking (controlled), or blocking up to the op's
 * timeout, or for good.  1 taken, 0 not. */
static int take(struct worker *w, int obj, int may_block, long timeout_ms, int *recovered)
{
	struct arena_object *o = &w->a->objects[obj];
	*recovered = 0;
	if (is_mutex(w, obj)) {
		int rc = pthread_mutex_trylock(&o->mutex);
		if (rc == EBUSY && may_block) {
			announce_wait(w, obj);
			if (timeout_ms > 0) {
				struct timespec t = deadline_after(w, timeout_ms);
				rc = pthread_mutex_clocklock(&o->mutex, CLOCK_MONOTONIC, &t);
			} else {
				rc = pthread_mutex_lock(&o->mutex);
			}
		}
		return mutex_result(w, obj, rc, recovered);
	}
	if (sem_trywait(&o->sem) == 0)
		return 1;
	if (errno != EAGAIN && errno != EINTR)
		fail(w, obj, strerror(errno));
	if (!may_block)
		return 0;
	announce_wait(w, obj);
	struct timespec t = deadline_after(w, timeout_ms);
	for (;;) {
		int rc = timeout_ms > 0 ? sem_clockwait(&o->sem, CLOCK_MONOTONIC, &t)
		                        : sem_wait(&o->sem);
		if (rc == 0)
			return 1;
		if (errno == ETIMEDOUT)
			return 0;
		if (errno != EINTR)
			fail(w, obj, strerror(errno));
	}
}

static void do_acquire(struct worker *w, const struct scenario_op *op)
{
	int obj = op->object, recovered;
	if (w->controlled && w->slot->timed_out) {
		/* The controller's clock passed our deadline while we waited. */
		w->slot->timed_out = 0;
		report(w, EV_TIMEOUT, obj, op->target, 0);
		set_state(w, WS_RUNNING, -1);
		w->slot->pc = op->target;
		return;
	}
	if (!take(w, obj, !w->controlled, op->timeout_ms, &recovered)) {
		if (w->controlled) {
			announce_wait(w, obj);
			return;
		}
		/* os: the real timeout expired */
		report(w, EV_TIMEOUT, obj, op->target, 0);
		set_state(w, WS_RUNNING, -1);
		w->slot->pc = op->target;
		return;
	}
	w->slot->holds[obj]++;
	set_state(w, WS_RUNNING, -1);
	report(w, recovered ? EV_RECOVERED : EV_ACQUIRED, obj, 0, 0);
	done_op(w);
}

/* os: report, then release, so nobody is seen taking what is still held.
 * Controlled: release, then report, so the next step (which the
 * controller starts only after this report) finds the object free. */
static void do_release(struct worker *w, int obj)
{
	struct arena_object *o = &w->a->objects[obj];
	const struct scenario_object *so = &w->s->objects[obj];
	if (is_mutex(w, obj) && !w->slot->holds[obj])
		fail(w, obj, "release of a lock it does not hold "
		     "(Python: RuntimeError: release unlocked lock)");
	if (so->kind == OBJ_BOUNDED_SEMAPHORE) {
		int now = 0;
		sem_getvalue(&o->sem, &now);
		if (now >= so->initial)
			fail(w, obj, "BoundedSemaphore released too many times "
			     "(Python: ValueError)");
	}
	/* A semaphore may be released by anyone, as in Python. */
	if (w->slot->holds[obj])
		w->slot->holds[obj]--;
	if (!w->controlled)
		report(w, EV_RELEASED, obj, 0, 0);
	if (is_mutex(w, obj)) {
		int rc = pthread_mutex_unlock(&o->mutex);
		if (rc)
			fail(w, obj, strerror(rc));
	} else if (sem_post(&o->sem)) {
		fail(w, obj, strerror(errno));
	}
	if (w->controlled)
		report(w, EV_RELEASED, obj, 0, 0);
	done_op(w);
}

/* ---- events, conditions, barriers ---------------------------------------- */

/* The guard mutex of an event, barrier or queue: robust too, so a worker
 * killed while inside does not wedge the rest. */
static void guard_lock(struct worker *w, int obj)
{
	int recovered = 0;
	mutex_result(w, obj, pthread_mutex_lock(&w->a->objects[obj].mutex), &recovered);
}

static void guard_unlock(struct worker *w, int obj)
{
	pthread_mutex_unlock(&w->a->objects[obj].mutex);
}

static void cond_wait_robust(struct worker *w, pthread_cond_t *c, int mutex_obj)
{
	int rc = pthread_cond_wait(c, &w->a->objects[mutex_obj].mutex);
	if (rc == EOWNERDEAD)
		pthread_mutex_consistent(&w->a->objects[mutex_obj].mutex);
}

static void do_set(struct worker *w, int obj, int up)
{
	struct arena_object *o = &w->a->objects[obj];
	guard_lock(w, obj);
	o->flag = up;
	if (up) {
		o->generation++;
		pthread_cond_broadcast(&o->cond);
	}
	/* Reported under the guard: the os schedule's waiters report after
	 * it, so the controller sees the set first. */
	report(w, up ? EV_SET : EV_CLEAR, obj, 0, 0);
	guard_unlock(w, obj);
	done_op(w);
}

/* Python's Event.wait() returns for every waiter of a set(), even if the
 * flag is cleared again at once: a waiter passes when the flag is up or
 * a set happened since it began to wait. */
static void wait_event(struct worker *w, int obj)
{
	struct arena_object *o = &w->a->objects[obj];
	guard_lock(w, obj);
	if (w->phase == 0)
		w->waited_generation = o->generation;
	if (!o->flag && o->generation == w->waited_generation) {
		w->phase = 1;
		announce_wait(w, obj);
		if (w->controlled) {
			guard_unlock(w, obj);
			return;
		}
		while (!o->flag && o->generation == w->waited_generation)
			cond_wait_robust(w, &o->cond, obj);
	}
	report(w, EV_PASSED, obj, 0, 0);
	guard_unlock(w, obj);
	done_op(w);
}

static void wait_barrier(struct worker *w, int obj)
{
	struct arena_object *o = &w->a->objects[obj];
	int parties = w->s->objects[obj].capacity;
	guard_lock(w, obj);
	if (w->phase == 0) {
		w->waited_generation = o->generation;
		if (++o->arrived >= parties) {
			o->arrived = 0;
			o->generation++;
			pthread_cond_broadcast(&o->cond);
			report(w, EV_PASSED, obj, parties, 1);   /* extra 1: it tripped */
			guard_unlock(w, obj);
			done_op(w);
			return;
		}
		w->phase = 1;
		announce_wait(w, obj);
		if (w->controlled) {
			guard_unlock(w, obj);
			return;
		}
	}
	while (o->generation == w->waited_generation) {
		if (w->controlled) {   /* woken too early: cannot happen */
			announce_wait(w, obj);
			guard_unlock(w, obj);
			return;
		}
		cond_wait_robust(w, &o->cond, obj);
	}
	report(w, EV_PASSED, obj, 0, 0);
	guard_unlock(w, obj);
	done_op(w);
}

/* Condition.wait(): give the lock up, wait for a notify, take it again.
 * Controlled: two gates (the controller opens the second after a notify),
 * then as many tries of the lock as it takes. */
static void wait_condition(struct worker *w, int obj)
{
	int lock = w->s->objects[obj].lock, recovered = 0;
	struct arena_object *lo = &w->a->objects[lock];
	if (w->phase == 0) {
		if (!w->slot->holds[lock])
			fail(w, obj, "wait on a condition without holding its lock "
			     "(Python: RuntimeError: cannot wait on un-acquired lock)");
		w->slot->holds[lock]--;
		report(w, EV_RELEASED, lock, 0, 0);
		w->phase = 1;
		if (w->controlled) {
			pthread_mutex_unlock(&lo->mutex);
			announce_wait(w, obj);
			return;
		}
		announce_wait(w, obj);
		cond_wait_robust(w, &w->a->objects[obj].cond, lock);
	} else if (!take(w, lock, 0, 0, &recovered)) {
		announce_wait(w, lock);   /* notified, the lock is busy */
		return;
	}
	w->slot->holds[lock]++;
	report(w, recovered ? EV_RECOVERED : EV_ACQUIRED, lock, 0, 0);
	report(w, EV_PASSED, obj, 0, 0);
	done_op(w);
}

static void do_notify(struct worker *w, const struct scenario_op *op)
{
	int obj = op->object, lock = w->s->objects[obj].lock;
	if (!w->slot->holds[lock])
		fail(w, obj, "notify without holding the condition's lock "
		     "(Python: RuntimeError: cannot notify on un-acquired lock)");
	if (op->notify_all)
		pthread_cond_broadcast(&w->a->objects[obj].cond);
	else
		pthread_cond_signal(&w->a->objects[obj].cond);
	report(w, EV_NOTIFY, obj, op->notify_all ? -1 : 1, 0);
	done_op(w);
}

/* ---- queues and pipes ------------------------------------------------------ */

static long item_of(struct worker *w, const struct scenario_op *op)
{
	return op->use_register ? w->slot->reg : op->amount;
}

static void do_put(struct worker *w, const struct scenario_op *op)
{
	int obj = op->object;
	struct arena_object *o = &w->a->objects[obj];
	int cap = w->s->objects[obj].capacity;
	guard_lock(w, obj);
	if (o->count >= cap) {
		announce_wait(w, obj);
		if (w->controlled) {
			guard_unlock(w, obj);
			return;
		}
		while (o->count >= cap)
			cond_wait_robust(w, &o->cond2, obj);
	}
	long item = item_of(w, op);
	o->ring[(o->head + o->count) % cap] = item;
	o->count++;
	pthread_cond_signal(&o->cond);
	report(w, EV_PUT, obj, item, o->count);   /* under the guard: in order */
	guard_unlock(w, obj);
	done_op(w);
}

static void do_get(struct worker *w, int obj)
{
	struct arena_object *o = &w->a->objects[obj];
	int cap = w->s->objects[obj].capacity;
	guard_lock(w, obj);
	if (o->count == 0) {
		announce_wait(w, obj);
		if (w->controlled) {
			guard_unlock(w, obj);
			return;
		}
		while (o->count == 0)
			cond_wait_robust(w, &o->cond, obj);
	}
	long item = o->ring[o->head];
	o->head = (o->head + 1) % cap;
	o->count--;
	pthread_cond_signal(&o->cond2);
	w->slot->reg = item;
	report(w, EV_GET, obj, item, o->count);
	guard_unlock(w, obj);
	done_op(w);
}

static int pipe_ordinal(const struct worker *w, int obj)
{
	int k = 0;
	for (int i = 0; i < obj; i++)
		k += w->s->objects[i].kind == OBJ_PIPE;
	return k;
}

static void do_send(struct worker *w, const struct scenario_op *op)
{
	int fd = WORKER_PIPE_FD(pipe_ordinal(w, op->object), 1);
	int64_t item = item_of(w, op);
	/* os: said before written, so no receiver is seen taking it first. */
	if (!w->controlled)
		report(w, EV_PUT, op->object, item, 0);
	if (write(fd, &item, sizeof item) != (ssize_t)sizeof item)
		fail(w, op->object, "write to the pipe failed");
	if (w->controlled)
		report(w, EV_PUT, op->object, item, 0);
	done_op(w);
}

static void do_recv(struct worker *w, int obj)
{
	int fd = WORKER_PIPE_FD(pipe_ordinal(w, obj), 0);
	struct pollfd p = { .fd = fd, .events = POLLIN };
	if (poll(&p, 1, 0) <= 0) {
		announce_wait(w, obj);
		if (w->controlled)
			return;
	}
	int64_t item;
	ssize_t n;
	while ((n = read(fd, &item, sizeof item)) < 0 && errno == EINTR)
		;
	if (n != (ssize_t)sizeof item)
		fail(w, obj, "read from the pipe failed");
	w->slot->reg = item;
	report(w, EV_GET, obj, item, 0);
	done_op(w);
}

/* ---- values --------------------------------------------------------------- */

static long manager_call(struct worker *w, const struct scenario_op *op, int what, long value)
{
	struct manager_request rq = {
		.object = op->object, .elem = op->elem, .op = what,
		.pc = w->slot->pc, .value = value,
	};
	struct manager_reply rp;
	if (write(WORKER_MANAGER_FD, &rq, sizeof rq) != (ssize_t)sizeof rq)
		fail(w, op->object, "the manager process is gone");
	ssize_t n;
	while ((n = read(WORKER_MANAGER_FD, &rp, sizeof rp)) < 0 && errno == EINTR)
		;
	if (n != (ssize_t)sizeof rp)
		fail(w, op->object, "the manager process is gone");
	return (long)rp.value;
}

static void do_value_op(struct worker *w, const struct scenario_op *op)
{
	int managed = OBJECT_IS_MANAGED(w->s->objects[op->object].kind);
	volatile long *v = &w->a->objects[op->object].elems[op->elem];
	switch (op->kind) {
	case OP_LOAD:
		w->slot->reg = managed ? manager_call(w, op, MANAGER_GET, 0) : *v;
		report(w, EV_LOAD, op->object, w->slot->reg, 0);
		break;
	case OP_STORE: {
		/* The lesson's write-back: whatever happened since the load is
		 * overwritten.  extra carries the value found, for the trace. */
		long now = w->slot->reg + op->amount, found;
		if (managed) {
			found = manager_call(w, op, MANAGER_SET, now);
		} else {
			found = *v;
			*v = now;
		}
		report(w, EV_STORE, op->object, now, found);
		break;
	}
	default: {
		long now = managed ? manager_call(w, op, MANAGER_ADD, op->amount)
		                   : __atomic_add_fetch(v, op->amount, __ATOMIC_SEQ_CST);
		report(w, EV_ADD, op->object, now, 0);
		break;
	}
	}
	done_op(w);
}

/* ---- the rest ---------------------------------------------------------------- */

static long pick_sleep(struct worker *w, const struct scenario_op *op)
{
	long span = op->sleep_max_ms - op->sleep_min_ms;
	long step = op->sleep_step_ms > 0 ? op->sleep_step_ms : 1;
	if (span <= 0)
		return op->sleep_min_ms;
	uint64_t choices = (uint64_t)(span / step) + 1;
	return op->sleep_min_ms + (long)(worker_rng_next(&w->rng) % choices) * step;
}

static void real_sleep(struct worker *w, long ms)
{
	struct timespec t = deadline_after(w, ms);
	while (clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &t, NULL) == EINTR)
		;
}

static void expand_print(struct worker *w, const char *tmpl, char *out, size_t len)
{
	char reg[24];
	snprintf(reg, sizeof reg, "%ld", (long)w->slot->reg);
	size_t o = 0;
	for (const char *p = tmpl; *p && o + 1 < len; ) {
		const char *put = NULL;
		if (strncmp(p, "{name}", 6) == 0)
			put = w->name;
		else if (strncmp(p, "{reg}", 5) == 0)
			put = reg;
		if (!put) {
			out[o++] = *p++;
			continue;
		}
		size_t n = strlen(put);
		if (o + n >= len)
			break;
		memcpy(out + o, put, n);
		o += n;
		p += put == reg ? 5 : 6;
	}
	out[o] = '\0';
}

static void do_sleep(struct worker *w, const struct scenario_op *op)
{
	long ms = pick_sleep(w, op);
	set_state(w, WS_SLEEPING, -1);
	report(w, EV_SLEEP, -1, ms, 0);
	if (!w->controlled) {
		real_sleep(w, ms);
		report(w, EV_WAKE, -1, ms, 0);
	}
	w->slot->pc++;
}

/* Do the op at pc once.  Controlled: never blocks. */
static void do_op(struct worker *w)
{
	const struct scenario_op *op = &w->g->ops[w->slot->pc];
	set_state(w, WS_RUNNING, -1);
	switch (op->kind) {
	case OP_ACQUIRE: do_acquire(w, op); return;
	case OP_RELEASE: do_release(w, op->object); return;
	case OP_LOAD:
	case OP_STORE:
	case OP_ATOMIC_ADD: do_value_op(w, op); return;
	case OP_SET: do_set(w, op->object, 1); return;
	case OP_CLEAR: do_set(w, op->object, 0); return;
	case OP_NOTIFY: do_notify(w, op); return;
	case OP_PUT: do_put(w, op); return;
	case OP_GET: do_get(w, op->object); return;
	case OP_SEND: do_send(w, op); return;
	case OP_RECV: do_recv(w, op->object); return;
	case OP_SLEEP: do_sleep(w, op); return;
	case OP_WAIT:
		switch (w->s->objects[op->object].kind) {
		case OBJ_EVENT: wait_event(w, op->object); return;
		case OBJ_BARRIER: wait_barrier(w, op->object); return;
		default: wait_condition(w, op->object); return;
		}
	case OP_PRINT: {
		char text[WIRE_TEXT_MAX];
		expand_print(w, op->text, text, sizeof text);
		add_event(w, EV_PRINT, -1, 0, 0, text, strlen(text));
		if (!w->hold)
			flush_events(w);
		done_op(w);
		return;
	}
	case OP_SET_REGISTER:
		w->slot->reg = op->amount;
		report(w, EV_REGISTER, -1, op->amount, 0);
		done_op(w);
		return;
	case OP_GOTO: {
		int jump = !op->has_if || w->slot->reg == op->if_value;
		report(w, EV_JUMP, -1, jump ? op->target : -1, 0);
		done_op(w);
		if (jump)
			w->slot->pc = op->target;
		return;
	}
	case OP_CRASH: {
		const char *why = op->text ? op->text : "crash";
		add_event(w, EV_ERROR, -1, 0, 1, why, strlen(why));
		flush_events(w);
		raise(SIGKILL);
		_exit(9);
	}
	default:
		fail(w, op->object, "unknown op");
	}
}

/* ---- the process -------------------------------------------------------- */

void worker_hygiene(pid_t controller, pid_t pgid, int devnull_fd, const int *keep, int n_keep)
{
	/* Own process group: the terminal's Ctrl-C goes to the controller,
	 * which decides; the controller kills the whole group at once. */
	setpgid(0, pgid);
	prctl(PR_SET_PDEATHSIG, SIGKILL);
	if (getppid() != controller)
		_exit(5);   /* the controller died before prctl took effect */

	/* Only the signals the controller (or curses) may have caught need a
	 * reset: a fork keeps handlers, and a worker must die of a signal the
	 * default way.  (Resetting all 64 costs 1000 workers 64000 calls.) */
	static const int handled[] = {
		SIGCHLD, SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGPIPE, SIGSEGV, SIGBUS,
		SIGFPE, SIGILL, SIGABRT, SIGWINCH, SIGTSTP, SIGCONT, SIGTTIN, SIGTTOU,
		SIGALRM, SIGUSR1, SIGUSR2,
	};
	struct sigaction sa;
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = SIG_DFL;
	for (size_t i = 0; i < sizeof handled / sizeof *handled; i++)
		sigaction(handled[i], &sa, NULL);
	sigset_t none;
	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);

	/* Never touch the terminal.  Keep only the listed descriptors, moved
	 * to 3, 4, ... in order: first out of the way (above anything they
	 * could land on), then into place. */
	dup2(devnull_fd, 0);
	dup2(devnull_fd, 1);
	dup2(devnull_fd, 2);
	int moved_small[3 + 2 * SCENARIO_MAX_OBJECTS];
	int *moved = moved_small;
	/* The manager keeps one socket per worker: up to 4096 of them. */
	if (n_keep > (int)(sizeof moved_small / sizeof *moved_small) &&
	    !(moved = malloc((size_t)n_keep * sizeof *moved)))
		_exit(6);
	for (int i = 0; i < n_keep; i++) {
		moved[i] = keep[i] < 0 ? -1 : fcntl(keep[i], F_DUPFD_CLOEXEC, 3 + n_keep);
		if (keep[i] >= 0 && moved[i] < 0)
			_exit(6);
	}
	for (int i = 0; i < n_keep; i++)
		if (moved[i] >= 0 && dup2(moved[i], 3 + i) < 0)
			_exit(6);
	close_range((unsigned)(3 + n_keep), ~0U, 0);
}

void worker_main(const struct worker_start *ws)
{
	int keep[3 + 2 * SCENARIO_MAX_OBJECTS];
	int n = 0;
	keep[n++] = ws->event_fd;
	keep[n++] = ws->manager_fd;
	for (int i = 0; i < 2 * ws->n_pipes; i++)
		keep[n++] = ws->pipe_fds[i];
	worker_hygiene(ws->controller, ws->pgid, ws->devnull_fd, keep, n);

	struct worker w;
	memset(&w, 0, sizeof w);
	w.ws = ws;
	w.s = ws->scenario;
	w.g = &w.s->groups[ws->group];
	w.a = ws->arena;
	w.slot = &w.a->slots[ws->index];
	w.rng = worker_rng_seed(w.a->seed, ws->index);
	worker_name(w.s, ws->group, ws->number, w.name, sizeof w.name);
	w.slot->pid = getpid();
	w.controlled = w.a->controlled;
	w.hold = w.controlled;

	set_state(&w, WS_READY, -1);
	wait_gate(&w);   /* os: start together with the others */
	for (;;) {
		int last = 0;
		if (w.slot->pc < w.g->n_ops) {
			do_op(&w);
			/* A program that ends in a sleep must still take that
			 * (virtual) time: the controller wakes it for its exit. */
			last = w.slot->pc >= w.g->n_ops &&
			       !(w.controlled && w.slot->state == WS_SLEEPING);
		} else {
			last = 1;
		}
		if (last) {
			set_state(&w, WS_DONE, -1);
			add_event(&w, EV_EXIT, -1, 0, 0, NULL, 0);
			flush_events(&w);
			_exit(0);
		}
		if (w.controlled) {
			flush_events(&w);
			if (w.slot->state == WS_RUNNING)
				set_state(&w, WS_READY, -1);
			wait_gate(&w);
		}
	}
}
