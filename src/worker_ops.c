/*
 * worker_ops.c: a worker's data ops (queues, pipes, values in shared
 * memory or in the manager process), its sleeps, prints, jumps and
 * crashes, and worker_do_op(), which runs the op at pc.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/prctl.h>
#include <time.h>
#include <unistd.h>

#include "engine.h"
#include "worker_priv.h"

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
	sync_guard_lock(w, obj);
	if (o->count >= cap) {
		wk_announce_wait(w, obj);
		if (w->controlled) {
			sync_guard_unlock(w, obj);
			return;
		}
		while (o->count >= cap)
			sync_cond_wait(w, &o->cond2, obj);
	}
	long item = item_of(w, op);
	o->ring[(o->head + o->count) % cap] = item;
	o->count++;
	pthread_cond_signal(&o->cond);
	wk_report(w, EV_PUT, obj, item, o->count);   /* under the guard: in order */
	sync_guard_unlock(w, obj);
	wk_done_op(w);
}

static void do_get(struct worker *w, int obj)
{
	struct arena_object *o = &w->a->objects[obj];
	int cap = w->s->objects[obj].capacity;
	sync_guard_lock(w, obj);
	if (o->count == 0) {
		wk_announce_wait(w, obj);
		if (w->controlled) {
			sync_guard_unlock(w, obj);
			return;
		}
		while (o->count == 0)
			sync_cond_wait(w, &o->cond, obj);
	}
	long item = o->ring[o->head];
	o->head = (o->head + 1) % cap;
	o->count--;
	pthread_cond_signal(&o->cond2);
	w->slot->reg = item;
	wk_report(w, EV_GET, obj, item, o->count);
	sync_guard_unlock(w, obj);
	wk_done_op(w);
}

static int pipe_ordinal(const struct worker *w, int obj)
{
	int k = 0;
	for (int i = 0; i < obj; i++)
		k += w->s->objects[i].kind == w->s->objects[obj].kind;
	return k;
}

/* Room for one more item in the pipe whose write end is fd (engine.h:
 * ENGINE_PIPE_ITEMS)?  Only one worker acts at a time in the controlled
 * schedules, so the answer holds until the write; the write end is
 * non-blocking there too (engine.c), so a wrong answer is a wait, never
 * a hang. */
static int pipe_has_room(int fd)
{
	int queued = 0;
	if (ioctl(fd, FIONREAD, &queued) < 0)
		return 1;   /* cannot tell: let the write say */
	return queued / (int)sizeof(int64_t) < ENGINE_PIPE_ITEMS;
}

static void do_send(struct worker *w, const struct scenario_op *op)
{
	int fd = WORKER_PIPE_FD(pipe_ordinal(w, op->object), 1);
	int64_t item = item_of(w, op);
	/* Controlled: a full pipe is a wait, like a full queue; the
	 * controller lets the sender try again when an item is taken. */
	if (w->controlled && !pipe_has_room(fd)) {
		wk_announce_wait(w, op->object);
		return;
	}
	/* os: said before written, so no receiver is seen taking it first. */
	if (!w->controlled)
		wk_report(w, EV_PUT, op->object, item, 0);
	ssize_t n;
	while ((n = write(fd, &item, sizeof item)) < 0 && errno == EINTR)
		;
	if (n < 0 && errno == EAGAIN && w->controlled) {
		wk_announce_wait(w, op->object);
		return;
	}
	if (n != (ssize_t)sizeof item)
		wk_fail(w, op->object, "write to the pipe failed");
	if (w->controlled)
		wk_report(w, EV_PUT, op->object, item, 0);
	wk_done_op(w);
}

static void do_recv(struct worker *w, int obj)
{
	int fd = WORKER_PIPE_FD(pipe_ordinal(w, obj), 0);
	struct pollfd p = { .fd = fd, .events = POLLIN };
	if (poll(&p, 1, 0) <= 0) {
		wk_announce_wait(w, obj);
		if (w->controlled)
			return;
	}
	int64_t item;
	ssize_t n;
	while ((n = read(fd, &item, sizeof item)) < 0 && errno == EINTR)
		;
	if (n != (ssize_t)sizeof item)
		wk_fail(w, obj, "read from the pipe failed");
	w->slot->reg = item;
	wk_report(w, EV_GET, obj, item, 0);
	wk_done_op(w);
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
		wk_fail(w, op->object, "the manager process is gone");
	ssize_t n;
	while ((n = read(WORKER_MANAGER_FD, &rp, sizeof rp)) < 0 && errno == EINTR)
		;
	if (n != (ssize_t)sizeof rp)
		wk_fail(w, op->object, "the manager process is gone");
	return (long)rp.value;
}

static void do_value_op(struct worker *w, const struct scenario_op *op)
{
	int managed = kind_is(w->s->objects[op->object].kind, KF_MANAGED);
	volatile long *v = &w->a->objects[op->object].elems[op->elem];
	switch (op->kind) {
	case OP_LOAD:
		w->slot->reg = managed ? manager_call(w, op, MANAGER_GET, 0) : *v;
		wk_report(w, EV_LOAD, op->object, w->slot->reg, 0);
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
		wk_report(w, EV_STORE, op->object, now, found);
		break;
	}
	default: {
		long now = managed ? manager_call(w, op, MANAGER_ADD, op->amount)
		                   : __atomic_add_fetch(v, op->amount, __ATOMIC_SEQ_CST);
		wk_report(w, EV_ADD, op->object, now, 0);
		break;
	}
	}
	wk_done_op(w);
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
	struct timespec t = wk_deadline_after(w, ms);
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
	wk_set_state(w, WS_SLEEPING, -1);
	wk_report(w, EV_SLEEP, -1, ms, 0);
	if (!w->controlled) {
		real_sleep(w, ms);
		wk_report(w, EV_WAKE, -1, ms, 0);
	}
	w->slot->pc++;
}

/* Do the op at pc once.  Controlled: never blocks. */
void worker_do_op(struct worker *w)
{
	const struct scenario_op *op = &w->g->ops[w->slot->pc];
	wk_set_state(w, WS_RUNNING, -1);
	switch (op->kind) {
	case OP_ACQUIRE: sync_acquire(w, op); return;
	case OP_RELEASE: sync_release(w, op->object); return;
	case OP_LOAD:
	case OP_STORE:
	case OP_ATOMIC_ADD: do_value_op(w, op); return;
	case OP_SET: sync_set(w, op->object, 1); return;
	case OP_CLEAR: sync_set(w, op->object, 0); return;
	case OP_NOTIFY: sync_notify(w, op); return;
	case OP_PUT: do_put(w, op); return;
	case OP_GET: do_get(w, op->object); return;
	case OP_SEND: do_send(w, op); return;
	case OP_RECV: do_recv(w, op->object); return;
	case OP_SLEEP: do_sleep(w, op); return;
	case OP_WAIT:
		switch (kind_info(w->s->objects[op->object].kind)->wait) {
		case KW_FLAG: sync_wait_event(w, op->object); return;
		case KW_PARTIES: sync_wait_barrier(w, op->object); return;
		default: sync_wait_condition(w, op->object); return;
		}
	case OP_PRINT: {
		char text[WIRE_TEXT_MAX];
		expand_print(w, op->text, text, sizeof text);
		wk_add_event(w, EV_PRINT, -1, 0, 0, text, strlen(text));
		if (!w->hold)
			wk_flush(w);
		wk_done_op(w);
		return;
	}
	case OP_SET_REGISTER:
		w->slot->reg = op->amount;
		wk_report(w, EV_REGISTER, -1, op->amount, 0);
		wk_done_op(w);
		return;
	case OP_GOTO: {
		int jump = !op->has_if || w->slot->reg == op->if_value;
		wk_report(w, EV_JUMP, -1, jump ? op->target : -1, 0);
		wk_done_op(w);
		if (jump)
			w->slot->pc = op->target;
		return;
	}
	case OP_CRASH: {
		const char *why = op->text ? op->text : "crash";
		wk_add_event(w, EV_ERROR, -1, 0, 1, why, strlen(why));
		wk_flush(w);
		raise(SIGKILL);
		_exit(WORKER_EXIT_CRASH);
	}
	default:
		wk_fail(w, op->object, "unknown op");
	}
}
