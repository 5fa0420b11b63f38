/*
 * picture.c: the controller's picture of the run (struct engine_view):
 * the trace, who waits in which queue, who holds what, the values, and
 * the verdict.  Built only from the workers' reports (pic_apply) and the
 * exits the controller reaps (pic_died); see engine_priv.h.
 */
#include "config.h"

#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

#include "deadlock.h"
#include "words.h"
#include "engine_priv.h"

/* ---- the trace ---------------------------------------------------------- */

/* The log keeps the newest events only (engine.h): once it holds twice
 * ENGINE_EVENTS_KEPT, the older half goes, so the newest stay one array
 * (what engine_events() returns) at a cost of one move per
 * ENGINE_EVENTS_KEPT events.  on_event has seen every one already. */
static void forget_events(struct engine *e)
{
	long drop = e->n_events - ENGINE_EVENTS_KEPT;
	for (long i = 0; i < drop; i++)
		free(e->events[i].text);
	memmove(e->events, e->events + drop, (size_t)ENGINE_EVENTS_KEPT * sizeof *e->events);
	e->n_events = ENGINE_EVENTS_KEPT;
	e->events_dropped += drop;
}

struct event *pic_record_full(struct engine *e, int worker, int pc, enum event_kind kind,
                              int object, long value, long extra, int elem,
                              const char *text, size_t text_len)
{
	if (e->n_events == 2 * ENGINE_EVENTS_KEPT)
		forget_events(e);
	if (e->n_events == e->cap_events) {
		long cap = e->cap_events ? e->cap_events * 2 : 1024;
		if (cap > 2 * ENGINE_EVENTS_KEPT)
			cap = 2 * ENGINE_EVENTS_KEPT;
		struct event *n = realloc(e->events, (size_t)cap * sizeof *n);
		if (!n) {
			engine_fail(e, "out of memory for the event log");
			return NULL;
		}
		e->events = n;
		e->cap_events = cap;
	}
	struct event *ev = &e->events[e->n_events++];
	ev->step = engine_controlled(e) ? e->view.steps : e->events_dropped + e->n_events;
	if (!engine_controlled(e))
		e->view.clock_ms = engine_now_ms(e);
	ev->t_ms = e->view.clock_ms;
	ev->worker = worker;
	ev->pc = pc;
	ev->kind = kind;
	ev->object = object;
	ev->value = value;
	ev->extra = extra;
	ev->elem = elem;
	ev->text = NULL;
	if (text) {
		ev->text = malloc(text_len + 1);
		if (!ev->text) {
			e->n_events--;
			engine_fail(e, "out of memory for the event log");
			return NULL;
		}
		memcpy(ev->text, text, text_len);
		ev->text[text_len] = '\0';
	}
	if (e->on_event)
		e->on_event(e->ctx, ev);
	return ev;
}

struct event *pic_record(struct engine *e, int worker, int pc, enum event_kind kind,
                         int object, long value, long extra, const char *text, size_t text_len)
{
	return pic_record_full(e, worker, pc, kind, object, value, extra, 0, text, text_len);
}

static struct event *pic_record_elem(struct engine *e, int worker, int pc, enum event_kind kind,
                              int object, long value, long extra, int elem)
{
	return pic_record_full(e, worker, pc, kind, object, value, extra, elem, NULL, 0);
}

/* ---- the picture: queues, holders, values ------------------------------ */

/* Every state change goes through here so the set of READY workers is
 * always at hand: picking and the clock then cost O(1), not a walk over
 * 1000 workers per step. */
void pic_set_state(struct engine *e, int w, enum worker_state st)
{
	struct worker_view *v = &e->wv[w];
	if (v->state == st)
		return;
	if (v->state == WS_READY) {
		int at = e->ready_pos[w], last = e->ready[--e->n_ready];
		e->ready[at] = last;
		e->ready_pos[last] = at;
	}
	if (st == WS_READY) {
		e->ready_pos[w] = e->n_ready;
		e->ready[e->n_ready++] = w;
	}
	int ended_before = v->state == WS_DONE || v->state == WS_KILLED;
	int ended_now = st == WS_DONE || st == WS_KILLED;
	e->n_ended += ended_now - ended_before;
	v->state = st;
}

static int *queue_row(struct engine *e, int obj)
{
	return e->queues + (size_t)obj * (size_t)e->n_workers;
}

/* 1 when w was not queued yet. */
static int enqueue(struct engine *e, int obj, int w)
{
	struct object_view *o = &e->ov[obj];
	for (int i = 0; i < o->queue_len; i++)
		if (o->queue[i] == w)
			return 0;
	o->queue[o->queue_len++] = w;
	return 1;
}

void pic_dequeue(struct engine *e, int obj, int w)
{
	struct object_view *o = &e->ov[obj];
	for (int i = 0; i < o->queue_len; i++)
		if (o->queue[i] == w) {
			memmove(&o->queue[i], &o->queue[i + 1],
			        (size_t)(o->queue_len - i - 1) * sizeof(int));
			o->queue_len--;
			return;
		}
}

static enum op_kind op_at(const struct engine *e, int w)
{
	const struct scenario_group *g = &e->s->groups[e->wv[w].group];
	int pc = e->wv[w].pc;
	return pc >= 0 && pc < g->n_ops ? g->ops[pc].kind : OP_KIND_COUNT;
}

/* Something changed for obj's waiters: up to n of them (-1: all), in
 * arrival order, blocked on obj at an op of kind want (-1: any), may go
 * on.  Controlled schedules: they become READY and try again at their
 * next step (a notified condition waiter leaves the queue: it now wants
 * the lock).  os: the kernel wakes them; they report it.  Returns how
 * many waiters that concerns. */
static int wake_waiters(struct engine *e, int obj, int n, int want)
{
	struct object_view *o = &e->ov[obj];
	int woken = 0, notify = kind_info(e->s->objects[obj].kind)->wait == KW_NOTIFY;
	for (int i = 0; i < o->queue_len && (n < 0 || woken < n); ) {
		int w = o->queue[i];
		if (e->wv[w].state != WS_BLOCKED || e->wv[w].waits_on != obj ||
		    (want >= 0 && op_at(e, w) != (enum op_kind)want)) {
			i++;
			continue;
		}
		woken++;
		if (engine_controlled(e)) {
			pic_set_state(e, w, WS_READY);
			if (notify) {
				e->wv[w].waits_on = -1;
				pic_dequeue(e, obj, w);
				continue;
			}
		}
		i++;
	}
	return woken;
}

/* os schedule: an event's set or a barrier's trip broadcasts, so every
 * worker waiting on obj is already on its way, before it says so itself;
 * a notify-all sends every condition waiter to wait for the lock.  Drawn
 * at once, so no stale waiter looks stuck. */
static void released_all_os(struct engine *e, int obj)
{
	struct object_view *o = &e->ov[obj];
	const struct scenario_object *so = &e->s->objects[obj];
	if (engine_controlled(e))
		return;
	for (int i = 0; i < o->queue_len; ) {
		int w = o->queue[i];
		struct worker_view *v = &e->wv[w];
		if (v->state != WS_BLOCKED || v->waits_on != obj) {
			i++;
			continue;
		}
		pic_dequeue(e, obj, w);
		if (kind_info(so->kind)->wait == KW_NOTIFY) {
			v->waits_on = so->lock;
			enqueue(e, so->lock, w);
		} else {
			v->waits_on = -1;
			pic_set_state(e, w, WS_RUNNING);
		}
	}
}

/* A worker wrote `wrote` (its store, or its atomic add's result).  In the
 * os schedule reports of different workers can come out of order, so the
 * value shown is the real one: shared memory read now, or, for the
 * manager's objects, what its requests (reported in the order it served
 * them) left.  The highest comes from the writes themselves, each of
 * which really was the value at some moment. */
static void update_value(struct engine *e, int obj, int elem, long wrote, long amount)
{
	struct object_view *o = &e->ov[obj];
	if (elem < 0 || elem >= SCENARIO_MAX_ELEMS)
		return;
	long now = wrote;
	if (!engine_controlled(e))
		now = kind_is(e->s->objects[obj].kind, KF_MANAGED)
		      ? o->elems[elem] : e->arena->objects[obj].elems[elem];
	o->elems[elem] = now;
	o->elem_intended[elem] += amount;
	long gap = o->elem_intended[elem] - now;
	o->elem_lost[elem] = (gap < 0 ? -gap : gap) / e->unit[obj];
	o->updates++;
	if (elem == 0) {
		/* The element a plain value is: also in value/intended/lost. */
		o->value = now;
		if (wrote > o->peak)
			o->peak = (int)(wrote > INT_MAX ? INT_MAX : wrote);
		o->intended = o->elem_intended[0];
		o->lost = o->elem_lost[0];
	}
}

static void put_item(struct engine *e, int obj, long item)
{
	struct object_view *o = &e->ov[obj];
	if (o->n_items < SCENARIO_MAX_CAPACITY)
		o->items[o->n_items] = item;
	o->n_items++;
	o->moved++;
	o->value = o->n_items;
	if (o->n_items > o->peak)
		o->peak = o->n_items;
}

static void take_item(struct engine *e, int obj)
{
	struct object_view *o = &e->ov[obj];
	if (o->n_items <= 0)
		return;
	int shown = o->n_items < SCENARIO_MAX_CAPACITY ? o->n_items : SCENARIO_MAX_CAPACITY;
	memmove(o->items, o->items + 1, (size_t)(shown - 1) * sizeof *o->items);
	o->n_items--;
	o->value = o->n_items;
}

/* A Lock or semaphore has no owner: what is taken is its start minus
 * its count, never a sum over processes (one may release what another
 * took, and a Semaphore may grow above its start). */
static int taken(const struct engine *e, int obj)
{
	long t = e->s->objects[obj].initial - e->ov[obj].value;
	return t > 0 ? (int)t : 0;
}

/* Whom a release of an ownerless obj by w counts down: w when it took
 * some, else who took it last, else anyone who took some. */
static int counted_holder(const struct engine *e, int w, int obj)
{
	if (e->wv[w].holds[obj])
		return w;
	int last = e->ov[obj].owner;
	if (last >= 0 && e->wv[last].holds[obj])
		return last;
	for (int h = 0; h < e->n_workers; h++)
		if (e->wv[h].holds[obj])
			return h;
	return -1;
}

static void took(struct engine *e, int w, int obj)
{
	struct object_view *o = &e->ov[obj];
	enum object_kind k = e->s->objects[obj].kind;
	if (kind_is(k, KF_ROBUST) && o->owner >= 0 && o->owner != w) {
		/* os: EOWNERDEAD reached us before we could reap the dead
		 * owner (the kernel frees robust mutexes before the process is
		 * a zombie): its hold is over; its holds[] stays as a record,
		 * and pic_died() sees it is no longer the owner. */
		o->holders--;
		o->owner = -1;
	}
	if (kind_is(k, KF_COUNTING)) {
		o->value--;
		o->holders = taken(e, obj);
	} else if (!(kind_is(k, KF_RECURSIVE) && e->wv[w].holds[obj])) {
		/* An RLock taken again by its owner is still one holder. */
		o->holders++;
	}
	e->wv[w].holds[obj]++;
	if (o->holders > o->peak)
		o->peak = o->holders;
	/* owned: its owner; ownerless: who took it last (the screen says
	 * "taken by", never that only it may release). */
	o->owner = w;
	o->owner_died = 0;
	pic_dequeue(e, obj, w);
}

static void gave(struct engine *e, int w, int obj)
{
	struct object_view *o = &e->ov[obj];
	if (kind_is(e->s->objects[obj].kind, KF_COUNTING)) {
		int from = counted_holder(e, w, obj);
		if (from >= 0) {
			e->wv[from].holds[obj]--;
			if (e->wv[from].state == WS_KILLED && o->count_lost > 0)
				o->count_lost--;   /* a dead taker's count, given back */
		}
		o->value++;
		o->holders = taken(e, obj);
		if (!o->holders) {
			o->owner = -1;
			o->owner_died = 0;
		}
		wake_waiters(e, obj, 1, -1);
		return;
	}
	if (e->wv[w].holds[obj]) {
		e->wv[w].holds[obj]--;
		if (!e->wv[w].holds[obj])
			o->holders--;
	}
	if (!e->wv[w].holds[obj]) {
		o->owner = -1;
		wake_waiters(e, obj, 1, -1);
	}
}

/* What a worker that died holding obj leaves: a robust-lock is free again
 * (its next taker gets EOWNERDEAD); an RLock stays taken by its dead
 * owner; a Lock's or semaphore's count stays taken (CPython's SemLock
 * has no recovery). */
static void dead_holder(struct engine *e, int w, int obj, int finished)
{
	struct object_view *o = &e->ov[obj];
	enum object_kind k = e->s->objects[obj].kind;
	if (kind_is(k, KF_ROBUST)) {
		if (o->owner != w)
			return;   /* os: the next owner recovered it already */
		o->holders--;
		o->owner = -1;
		o->owner_died = 1;
		wake_waiters(e, obj, 1, -1);
	} else if (kind_is(k, KF_COUNTING)) {
		if (!finished)
			o->count_lost += e->wv[w].holds[obj];
		if (o->owner == w)
			o->owner_died = !finished;
	} else if (!finished) {
		o->owner_died = 1;   /* an RLock: its owner is gone */
	}
}

/* A worker died before the end: what it held is now the lesson. */
void pic_died(struct engine *e, int w, int status)
{
	struct worker_view *v = &e->wv[w];
	v->exit_status = status;
	if (v->state == WS_KILLED)
		return;
	/* A program may also end holding something: its exit lets go the
	 * same way a death does. */
	int finished = v->state == WS_DONE;
	if (!finished)
		pic_set_state(e, w, WS_KILLED);
	for (int obj = 0; obj < e->s->n_objects; obj++) {
		pic_dequeue(e, obj, w);
		if (v->holds[obj])
			dead_holder(e, w, obj, finished);
	}
	v->waits_on = -1;
	e->blocked_changed = 1;
	if (finished) {
		/* What it still held is taken, but no longer by a process;
		 * an RLock keeps its (ended) owner. */
		for (int obj = 0; obj < e->s->n_objects; obj++)
			if (!kind_is(e->s->objects[obj].kind, KF_OWNED) ||
			    kind_is(e->s->objects[obj].kind, KF_ROBUST))
				v->holds[obj] = 0;
		return;
	}
	long how = WIFSIGNALED(status) ? WTERMSIG(status) : WEXITSTATUS(status);
	pic_record(e, w, v->pc, EV_KILLED, -1, how, WIFSIGNALED(status), NULL, 0);
}

static void apply_request(struct engine *e, const struct wire_event *we)
{
	e->view.manager_requests++;
	/* The manager reports in the order it serves: its sets and adds
	 * are the true history of its objects. */
	if (we->extra != MANAGER_GET && we->object >= 0 && we->object < e->s->n_objects &&
	    we->elem < SCENARIO_MAX_ELEMS)
		e->ov[we->object].elems[we->elem] = (long)we->value;
	pic_record_elem(e, we->worker, we->pc, EV_REQUEST, we->object,
	                (long)we->value, (long)we->extra, we->elem);
}

void pic_apply(struct engine *e, const struct wire_event *we, const char *text)
{
	if (we->worker < 0 || we->worker >= e->n_workers)
		return;
	if (we->kind == EV_REQUEST) {
		apply_request(e, we);
		return;
	}
	int w = we->worker, obj = we->object;
	struct worker_view *v = &e->wv[w];
	const struct scenario_group *g = &e->s->groups[v->group];
	const struct scenario_op *op = &g->ops[we->pc < g->n_ops ? we->pc : 0];
	enum event_kind kind = (enum event_kind)we->kind;
	long value = (long)we->value, extra = (long)we->extra;
	enum worker_state running = engine_controlled(e) ? WS_READY : WS_RUNNING;

	if (v->state == WS_KILLED) {
		/* Written just before it was killed, read after: it belongs in
		 * the trace, but the death already settled what it held. */
		pic_record_full(e, w, we->pc, kind, obj, value, extra, we->elem, text, we->text_len);
		return;
	}
	if (kind == EV_RECOVERED && e->ov[obj].owner >= 0 && e->ov[obj].owner != w)
		/* os: the owner's death let us in before we reaped it: reap
		 * it now, so its death comes first in the trace. */
		engine_reap_worker(e, e->ov[obj].owner, 0);

	if (kind != EV_EXIT && kind != EV_ERROR && kind != EV_WAIT && kind != EV_WAKE) {
		v->pc = we->pc + 1;
		if (!engine_controlled(e))
			e->view.steps++;   /* os: count ops done, as a step count */
	}
	switch (kind) {
	case EV_WAIT:
		v->pc = we->pc;
		pic_set_state(e, w, WS_BLOCKED);
		v->waits_on = obj;
		if (enqueue(e, obj, w) && op->kind == OP_ACQUIRE && op->timeout_ms > 0) {
			/* acquire-timeout: the deadline counts from the first try */
			v->has_deadline = 1;
			v->wake_ms = (engine_controlled(e) ? e->view.clock_ms : engine_now_ms(e)) +
			             (engine_controlled(e) ? op->timeout_ms : (long)(op->timeout_ms / e->o.speed));
		}
		value = e->ov[obj].queue_len;   /* its place in the queue */
		extra = e->ov[obj].owner;       /* lock: who it waits for */
		if (kind_info(e->s->objects[obj].kind)->wait == KW_PARTIES)
			e->ov[obj].arrived = e->ov[obj].queue_len;
		e->blocked_changed = 1;
		break;
	case EV_ACQUIRED:
	case EV_RECOVERED:
		took(e, w, obj);
		pic_set_state(e, w, running);
		v->waits_on = -1;
		v->has_deadline = 0;
		value = e->ov[obj].holders;
		e->blocked_changed = 1;
		break;
	case EV_RELEASED:
		gave(e, w, obj);
		pic_set_state(e, w, running);
		value = e->ov[obj].holders;
		e->blocked_changed = 1;
		break;
	case EV_TIMEOUT:
		pic_dequeue(e, obj, w);
		pic_set_state(e, w, running);
		v->waits_on = -1;
		v->has_deadline = 0;
		v->pc = (int)value;
		e->blocked_changed = 1;
		break;
	case EV_LOAD:
		v->reg = value;
		v->has_reg = 1;
		pic_set_state(e, w, running);
		break;
	case EV_STORE:
	case EV_ADD:
		update_value(e, obj, we->elem, value, op->amount);
		pic_set_state(e, w, running);
		break;
	case EV_SET:
		e->ov[obj].flag = 1;
		value = wake_waiters(e, obj, -1, OP_WAIT);
		released_all_os(e, obj);
		pic_set_state(e, w, running);
		e->blocked_changed = 1;
		break;
	case EV_CLEAR:
		e->ov[obj].flag = 0;
		pic_set_state(e, w, running);
		break;
	case EV_PASSED:
		pic_dequeue(e, obj, w);
		pic_set_state(e, w, running);
		v->waits_on = -1;
		if (kind_info(e->s->objects[obj].kind)->wait == KW_NOTIFY && e->ov[obj].value > 0)
			e->ov[obj].value--;   /* os: one pending notify used */
		if (kind_info(e->s->objects[obj].kind)->wait == KW_PARTIES) {
			if (extra == 1) {   /* this arrival tripped it */
				e->ov[obj].rounds++;
				wake_waiters(e, obj, -1, OP_WAIT);
				released_all_os(e, obj);
			}
			e->ov[obj].arrived = 0;
			for (int i = 0; i < e->ov[obj].queue_len; i++)
				e->ov[obj].arrived += e->wv[e->ov[obj].queue[i]].state == WS_BLOCKED;
		}
		e->blocked_changed = 1;
		break;
	case EV_NOTIFY:
		/* Controlled: the notified leave the condition's queue and try
		 * its lock at their next step.  os: the kernel picks whom it
		 * wakes; they say so themselves (EV_PASSED). */
		if (engine_controlled(e)) {
			value = wake_waiters(e, obj, value < 0 ? -1 : (int)value, OP_WAIT);
		} else if (value < 0) {
			released_all_os(e, obj);
		} else {
			/* The kernel picks whom one notify wakes: count it as
			 * pending until a waiter says it passed. */
			struct object_view *o = &e->ov[obj];
			if (o->value < o->queue_len)
				o->value++;
		}
		pic_set_state(e, w, running);
		e->blocked_changed = 1;
		break;
	case EV_PUT:
		pic_dequeue(e, obj, w);   /* a blocked put that went through */
		put_item(e, obj, value);
		wake_waiters(e, obj, 1, kind_takes(e->s->objects[obj].kind, OP_RECV) ? OP_RECV : OP_GET);
		pic_set_state(e, w, running);
		e->blocked_changed = 1;
		break;
	case EV_GET:
		pic_dequeue(e, obj, w);
		take_item(e, obj);
		v->reg = value;
		v->has_reg = 1;
		wake_waiters(e, obj, 1, e->s->objects[obj].kind == OBJ_PIPE ? OP_SEND : OP_PUT);
		pic_set_state(e, w, running);
		e->blocked_changed = 1;
		break;
	case EV_REGISTER:
		v->reg = value;
		v->has_reg = 1;
		pic_set_state(e, w, running);
		break;
	case EV_JUMP:
		if (value >= 0)
			v->pc = (int)value;
		pic_set_state(e, w, running);
		break;
	case EV_SLEEP:
		pic_set_state(e, w, WS_SLEEPING);
		v->wake_ms = (engine_controlled(e) ? e->view.clock_ms : engine_now_ms(e)) + value;
		break;
	case EV_WAKE:
	case EV_PRINT:
		pic_set_state(e, w, running);
		break;
	case EV_ERROR:
		if (obj >= 0 && obj < e->s->n_objects)
			e->ov[obj].errors++;
		e->error_worker = w;   /* it exits next: see settle_exit() */
		e->blocked_changed = 1;
		break;
	case EV_EXIT:
		e->exiting[e->n_exiting++] = w;
		v->pc = g->n_ops;
		pic_set_state(e, w, WS_DONE);
		v->waits_on = -1;
		e->blocked_changed = 1;
		break;
	default:
		break;
	}
	pic_record_full(e, w, we->pc, kind, obj, value, extra, we->elem, text, we->text_len);
}

/* ---- outcome ------------------------------------------------------------ */

void pic_judge(struct engine *e)
{
	if (e->view.outcome == RUN_TIMEOUT || e->view.outcome == RUN_STOPPED)
		return;
	int alive = e->n_workers - e->n_ended;
	if (e->blocked_changed) {
		e->blocked_changed = 0;
		struct cycle_link found[MAX_CYCLE];
		int n = deadlock_find(e->s, e->last_release, e->wv, e->n_workers,
		                      e->ov, found, MAX_CYCLE);
		int same = n == e->view.cycle_len &&
		           memcmp(found, e->cycle, sizeof *found * (size_t)n) == 0;
		memcpy(e->cycle, found, sizeof *found * (size_t)n);
		e->view.cycle_len = n;
		if (n > 0 && !same) {
			/* Say it once, when it forms (or changes after a kill). */
			char text[2048];
			words_deadlock_en(e->s, e->wv, e->n_workers, e->cycle, n, text, sizeof text);
			pic_record(e, -1, 0, EV_DEADLOCK, -1, n, 0, text, strlen(text));
		}
	}
	if (e->view.cycle_len > 0)
		e->view.outcome = RUN_DEADLOCK;
	else if (alive == 0)
		e->view.outcome = RUN_FINISHED;
	else
		e->view.outcome = RUN_RUNNING;
}

/* Fresh picture for a new run (engine_start and engine_restart). */
void pic_reset(struct engine *e)
{
	const struct scenario *s = e->s;
	for (long i = 0; i < e->n_events; i++)
		free(e->events[i].text);
	e->n_events = 0;
	e->events_dropped = 0;
	e->failed = 0;   /* a new run: a failure was the old one's */
	e->rlen = 0;
	e->rr_next = 0;
	e->n_exiting = 0;
	e->error_worker = -1;
	e->blocked_changed = 0;
	memset(&e->view, 0, sizeof e->view);
	e->view.scenario = s;
	e->view.schedule = e->o.schedule;
	e->view.seed = e->o.seed;
	e->view.n_workers = e->n_workers;
	e->view.workers = e->wv;
	e->view.objects = e->ov;
	e->view.cycle = e->cycle;
	for (int w = 0; w < e->n_workers; w++) {
		struct worker_view *v = &e->wv[w];
		memset(v, 0, sizeof *v);
		worker_name(s, e->w_group[w], e->w_number[w], v->name, sizeof v->name);
		v->group = e->w_group[w];
		v->waits_on = -1;
		v->state = WS_READY;
		e->reaped[w] = 0;
		e->ready[w] = w;
		e->ready_pos[w] = w;
	}
	e->n_ready = e->n_workers;
	e->n_ended = 0;
	for (int obj = 0; obj < SCENARIO_MAX_OBJECTS; obj++) {
		struct object_view *o = &e->ov[obj];
		memset(o, 0, sizeof *o);
		o->owner = -1;
		if (obj < s->n_objects) {
			const struct scenario_object *so = &s->objects[obj];
			o->value = kind_info(so->kind)->wait == KW_ITEMS ? 0 : so->initial;
			o->intended = o->value;
			o->flag = kind_info(so->kind)->wait == KW_FLAG && so->initial;
			o->n_elems = so->n_elems;
			for (int i = 0; i < so->n_elems && i < SCENARIO_MAX_ELEMS; i++)
				o->elems[i] = o->elem_intended[i] = so->elems[i].initial;
			if (kind_is_plain_value(so->kind))
				o->peak = (int)o->value;
			o->queue = queue_row(e, obj);
		}
	}
}
