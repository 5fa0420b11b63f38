/*
 * picture.c: the controller's picture of a run, a reducer of the reports
 * and the controller's decisions (see picture.h for the contract).
 */
#include "config.h"

#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

#include "deadlock.h"
#include "picture.h"
#include "words.h"
#include "worker.h"

/* ---- the trace ---------------------------------------------------------- */

/* The log keeps the newest events only (engine.h): once it holds twice
 * ENGINE_EVENTS_KEPT, the older half goes, so the newest stay one array
 * (what engine_events() returns) at a cost of one move per
 * ENGINE_EVENTS_KEPT events.  on_event has seen every one already. */
static void forget_events(struct picture *p)
{
	long drop = p->n_events - ENGINE_EVENTS_KEPT;
	for (long i = 0; i < drop; i++)
		free(p->events[i].text);
	memmove(p->events, p->events + drop, (size_t)ENGINE_EVENTS_KEPT * sizeof *p->events);
	p->n_events = ENGINE_EVENTS_KEPT;
	p->events_dropped += drop;
}

/* A run whose trace cannot be kept cannot be shown or replayed: it stops. */
static struct event *out_of_memory(struct picture *p)
{
	p->failed = 1;
	p->view.outcome = RUN_STOPPED;
	return NULL;
}

static struct event *new_event(struct picture *p)
{
	if (p->n_events == 2 * ENGINE_EVENTS_KEPT)
		forget_events(p);
	if (p->n_events == p->cap_events) {
		long cap = p->cap_events ? p->cap_events * 2 : 1024;
		if (cap > 2 * ENGINE_EVENTS_KEPT)
			cap = 2 * ENGINE_EVENTS_KEPT;
		struct event *n = realloc(p->events, (size_t)cap * sizeof *n);
		if (!n)
			return out_of_memory(p);
		p->events = n;
		p->cap_events = cap;
	}
	return &p->events[p->n_events++];
}

static struct event *record_full(struct picture *p, int worker, int pc, enum event_kind kind,
                                 int object, long value, long extra, int elem,
                                 const char *text, size_t text_len)
{
	struct event *ev = new_event(p);
	if (!ev)
		return NULL;
	/* os: an event is numbered in the order it was read, and timed by
	 * the real clock the engine last gave. */
	long step = p->controlled ? p->view.steps : p->events_dropped + p->n_events;
	if (!p->controlled)
		p->view.clock_ms = p->now_ms;
	*ev = (struct event){
		.step = step, .t_ms = p->view.clock_ms, .worker = worker, .pc = pc,
		.kind = kind, .object = object, .value = value, .extra = extra, .elem = elem,
	};
	if (text) {
		ev->text = malloc(text_len + 1);
		if (!ev->text) {
			p->n_events--;
			return out_of_memory(p);
		}
		memcpy(ev->text, text, text_len);
		ev->text[text_len] = '\0';
	}
	if (p->on_event)
		p->on_event(p->ctx, ev);
	return ev;
}

struct event *picture_record(struct picture *p, int worker, int pc, enum event_kind kind,
                             int object, long value, long extra,
                             const char *text, size_t text_len)
{
	return record_full(p, worker, pc, kind, object, value, extra, 0, text, text_len);
}

void picture_set_time(struct picture *p, long now_ms)
{
	p->now_ms = now_ms;
}

/* ---- workers' states and the queues -------------------------------------- */

/* Every state change goes through here so the set of READY workers is
 * always at hand: picking and the clock then cost O(1), not a walk over
 * 1000 workers per step. */
void picture_set_state(struct picture *p, int w, enum worker_state st)
{
	struct worker_view *v = &p->wv[w];
	if (v->state == st)
		return;
	if (v->state == WS_READY) {
		int at = p->ready_pos[w], last = p->ready[--p->n_ready];
		p->ready[at] = last;
		p->ready_pos[last] = at;
	}
	if (st == WS_READY) {
		p->ready_pos[w] = p->n_ready;
		p->ready[p->n_ready++] = w;
	}
	int ended_before = v->state == WS_DONE || v->state == WS_KILLED;
	int ended_now = st == WS_DONE || st == WS_KILLED;
	p->n_ended += ended_now - ended_before;
	v->state = st;
}

/* 1 when w was not queued yet. */
static int enqueue(struct picture *p, int obj, int w)
{
	struct object_view *o = &p->ov[obj];
	for (int i = 0; i < o->queue_len; i++)
		if (o->queue[i] == w)
			return 0;
	o->queue[o->queue_len++] = w;
	return 1;
}

static void dequeue(struct picture *p, int obj, int w)
{
	struct object_view *o = &p->ov[obj];
	for (int i = 0; i < o->queue_len; i++)
		if (o->queue[i] == w) {
			memmove(&o->queue[i], &o->queue[i + 1],
			        (size_t)(o->queue_len - i - 1) * sizeof(int));
			o->queue_len--;
			return;
		}
}

static const struct scenario_op *op_of(const struct picture *p, int w, int pc)
{
	static const struct scenario_op none = { .kind = OP_KIND_COUNT, .object = -1 };
	const struct scenario_group *g = &p->s->groups[p->wv[w].group];
	return pc >= 0 && pc < g->n_ops ? &g->ops[pc] : &none;
}

static enum kind_wait wait_of(const struct picture *p, int obj)
{
	return kind_info(p->s->objects[obj].kind)->wait;
}

/* Something changed for obj's waiters: up to n of them (-1: all), in
 * arrival order, blocked on obj at an op of kind want (-1: any), may go
 * on.  Controlled schedules: they become READY and try again at their
 * next step (a notified condition waiter leaves the queue: it now wants
 * the lock).  os: the kernel wakes them; they report it.  Returns how
 * many waiters that concerns. */
static int wake_waiters(struct picture *p, int obj, int n, int want)
{
	struct object_view *o = &p->ov[obj];
	int woken = 0, notify = wait_of(p, obj) == KW_NOTIFY;
	for (int i = 0; i < o->queue_len && (n < 0 || woken < n); ) {
		int w = o->queue[i];
		if (p->wv[w].state != WS_BLOCKED || p->wv[w].waits_on != obj ||
		    (want >= 0 && op_of(p, w, p->wv[w].pc)->kind != (enum op_kind)want)) {
			i++;
			continue;
		}
		woken++;
		if (p->controlled) {
			picture_set_state(p, w, WS_READY);
			if (notify) {
				p->wv[w].waits_on = -1;
				dequeue(p, obj, w);
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
static void released_all_os(struct picture *p, int obj)
{
	struct object_view *o = &p->ov[obj];
	const struct scenario_object *so = &p->s->objects[obj];
	if (p->controlled)
		return;
	for (int i = 0; i < o->queue_len; ) {
		int w = o->queue[i];
		struct worker_view *v = &p->wv[w];
		if (v->state != WS_BLOCKED || v->waits_on != obj) {
			i++;
			continue;
		}
		dequeue(p, obj, w);
		if (wait_of(p, obj) == KW_NOTIFY) {
			v->waits_on = so->lock;
			enqueue(p, so->lock, w);
		} else {
			v->waits_on = -1;
			picture_set_state(p, w, WS_RUNNING);
		}
	}
}

/* ---- values and items ------------------------------------------------------ */

/* A worker wrote `wrote` (its store, or its atomic add's result).  In the
 * os schedule reports of different workers can come out of order, so the
 * value shown is the real one: what the engine observed in shared memory
 * just before (picture_observe), or, for the manager's objects, what its
 * requests (reported in the order it served them) left.  The highest
 * comes from the writes themselves, each of which really was the value at
 * some moment. */
static void update_value(struct picture *p, int obj, int elem, long wrote, long amount)
{
	struct object_view *o = &p->ov[obj];
	if (elem < 0 || elem >= SCENARIO_MAX_ELEMS)
		return;
	long now = p->controlled ? wrote : o->elems[elem];
	o->elems[elem] = now;
	o->elem_intended[elem] += amount;
	long gap = o->elem_intended[elem] - now;
	o->elem_lost[elem] = (gap < 0 ? -gap : gap) / p->unit[obj];
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

void picture_observe(struct picture *p, int obj, int elem, long value)
{
	if (obj >= 0 && obj < p->s->n_objects && elem >= 0 && elem < SCENARIO_MAX_ELEMS)
		p->ov[obj].elems[elem] = value;
}

static void put_item(struct picture *p, int obj, long item)
{
	struct object_view *o = &p->ov[obj];
	if (o->n_items < SCENARIO_MAX_CAPACITY)
		o->items[o->n_items] = item;
	o->n_items++;
	o->moved++;
	o->value = o->n_items;
	if (o->n_items > o->peak)
		o->peak = o->n_items;
}

static void take_item(struct picture *p, int obj)
{
	struct object_view *o = &p->ov[obj];
	if (o->n_items <= 0)
		return;
	int shown = o->n_items < SCENARIO_MAX_CAPACITY ? o->n_items : SCENARIO_MAX_CAPACITY;
	memmove(o->items, o->items + 1, (size_t)(shown - 1) * sizeof *o->items);
	o->n_items--;
	o->value = o->n_items;
}

/* ---- holding ------------------------------------------------------------------ */

/* A Lock or semaphore has no owner: what is taken is its start minus
 * its count, never a sum over processes (one may release what another
 * took, and a Semaphore may grow above its start). */
static int taken(const struct picture *p, int obj)
{
	long t = p->s->objects[obj].initial - p->ov[obj].value;
	return t > 0 ? (int)t : 0;
}

/* Whom a release of an ownerless obj by w counts down: w when it took
 * some, else who took it last, else anyone who took some. */
static int counted_holder(const struct picture *p, int w, int obj)
{
	if (p->wv[w].holds[obj])
		return w;
	int last = p->ov[obj].owner;
	if (last >= 0 && p->wv[last].holds[obj])
		return last;
	for (int h = 0; h < p->n_workers; h++)
		if (p->wv[h].holds[obj])
			return h;
	return -1;
}

static void took(struct picture *p, int w, int obj)
{
	struct object_view *o = &p->ov[obj];
	enum object_kind k = p->s->objects[obj].kind;
	if (kind_is(k, KF_ROBUST) && o->owner >= 0 && o->owner != w) {
		/* os: EOWNERDEAD reached us before the dead owner was reaped
		 * (the kernel frees robust mutexes before the process is a
		 * zombie): its hold is over; its holds[] stays as a record,
		 * and picture_died() sees it is no longer the owner. */
		o->holders--;
		o->owner = -1;
	}
	if (kind_is(k, KF_COUNTING)) {
		o->value--;
		o->holders = taken(p, obj);
	} else if (!(kind_is(k, KF_RECURSIVE) && p->wv[w].holds[obj])) {
		/* An RLock taken again by its owner is still one holder. */
		o->holders++;
	}
	p->wv[w].holds[obj]++;
	if (o->holders > o->peak)
		o->peak = o->holders;
	/* owned: its owner; ownerless: who took it last (the screen says
	 * "taken by", never that only it may release). */
	o->owner = w;
	o->owner_died = 0;
	dequeue(p, obj, w);
}

static void gave_count(struct picture *p, int w, int obj)
{
	struct object_view *o = &p->ov[obj];
	int from = counted_holder(p, w, obj);
	if (from >= 0) {
		p->wv[from].holds[obj]--;
		if (p->wv[from].state == WS_KILLED && o->count_lost > 0)
			o->count_lost--;   /* a dead taker's count, given back */
	}
	o->value++;
	o->holders = taken(p, obj);
	if (!o->holders) {
		o->owner = -1;
		o->owner_died = 0;
	}
	wake_waiters(p, obj, 1, -1);
}

static void gave(struct picture *p, int w, int obj)
{
	struct object_view *o = &p->ov[obj];
	if (kind_is(p->s->objects[obj].kind, KF_COUNTING)) {
		gave_count(p, w, obj);
		return;
	}
	if (p->wv[w].holds[obj]) {
		p->wv[w].holds[obj]--;
		if (!p->wv[w].holds[obj])
			o->holders--;
	}
	if (!p->wv[w].holds[obj]) {
		o->owner = -1;
		wake_waiters(p, obj, 1, -1);
	}
}

/* What a worker that died holding obj leaves: a robust-lock is free again
 * (its next taker gets EOWNERDEAD); an RLock stays taken by its dead
 * owner; a Lock's or semaphore's count stays taken (CPython's SemLock
 * has no recovery). */
static void dead_holder(struct picture *p, int w, int obj, int finished)
{
	struct object_view *o = &p->ov[obj];
	enum object_kind k = p->s->objects[obj].kind;
	if (kind_is(k, KF_ROBUST)) {
		if (o->owner != w)
			return;   /* os: the next owner recovered it already */
		o->holders--;
		o->owner = -1;
		o->owner_died = 1;
		wake_waiters(p, obj, 1, -1);
	} else if (kind_is(k, KF_COUNTING)) {
		if (!finished)
			o->count_lost += p->wv[w].holds[obj];
		if (o->owner == w)
			o->owner_died = !finished;
	} else if (!finished) {
		o->owner_died = 1;   /* an RLock: its owner is gone */
	}
}

void picture_died(struct picture *p, int w, int status)
{
	if (w < 0 || w >= p->n_workers)
		return;
	struct worker_view *v = &p->wv[w];
	v->exit_status = status;
	if (v->state == WS_KILLED)
		return;
	/* A program may also end holding something: its exit lets go the
	 * same way a death does. */
	int finished = v->state == WS_DONE;
	if (!finished)
		picture_set_state(p, w, WS_KILLED);
	for (int obj = 0; obj < p->s->n_objects; obj++) {
		dequeue(p, obj, w);
		if (v->holds[obj])
			dead_holder(p, w, obj, finished);
	}
	v->waits_on = -1;
	p->blocked_changed = 1;
	if (finished) {
		/* What it still held is taken, but no longer by a process;
		 * an RLock keeps its (ended) owner. */
		for (int obj = 0; obj < p->s->n_objects; obj++)
			if (!kind_is(p->s->objects[obj].kind, KF_OWNED) ||
			    kind_is(p->s->objects[obj].kind, KF_ROBUST))
				v->holds[obj] = 0;
		return;
	}
	long how = WIFSIGNALED(status) ? WTERMSIG(status) : WEXITSTATUS(status);
	picture_record(p, w, v->pc, EV_KILLED, -1, how, WIFSIGNALED(status), NULL, 0);
}

/* ---- one report, kind by kind -------------------------------------------------- */

/* One report as its kind's function sees it.  value and extra start as
 * the report's and are what the trace records: some kinds record what
 * the picture knows better (a waiter's place in the queue, the holders
 * after a take). */
struct report {
	int w, pc, obj, elem;
	struct worker_view *v;
	const struct scenario_op *op;
	long value, extra;
	enum worker_state running;   /* going on: READY (controlled), RUNNING (os) */
};

/* Controlled: the waiter tried just now and found no count, whatever the
 * picture says.  Only a worker killed from outside between taking a count
 * and saying so can have taken it: believe the try, so that the waiter is
 * seen stuck (a deadlock) instead of free to go on while nobody can. */
static void count_is_gone(struct picture *p, int obj)
{
	struct object_view *o = &p->ov[obj];
	if (!p->controlled || wait_of(p, obj) != KW_COUNT || o->value <= 0)
		return;
	o->count_lost += o->value;
	o->value = 0;
	o->holders = taken(p, obj);
	if (o->holders > o->peak)
		o->peak = o->holders;
}

static void on_wait(struct picture *p, struct report *r)
{
	struct worker_view *v = r->v;
	struct object_view *o = &p->ov[r->obj];
	v->pc = r->pc;   /* it will try the same op again */
	count_is_gone(p, r->obj);
	picture_set_state(p, r->w, WS_BLOCKED);
	v->waits_on = r->obj;
	if (enqueue(p, r->obj, r->w) && r->op->kind == OP_ACQUIRE && r->op->timeout_ms > 0) {
		/* acquire-timeout: the deadline counts from the first try */
		v->has_deadline = 1;
		v->wake_ms = p->controlled ? p->view.clock_ms + r->op->timeout_ms
		                           : p->now_ms + (long)(r->op->timeout_ms / p->speed);
	}
	r->value = o->queue_len;   /* its place in the queue */
	r->extra = o->owner;       /* lock: who it waits for */
	if (wait_of(p, r->obj) == KW_PARTIES)
		o->arrived = o->queue_len;
	p->blocked_changed = 1;
}

static void on_acquired(struct picture *p, struct report *r)
{
	took(p, r->w, r->obj);
	picture_set_state(p, r->w, r->running);
	r->v->waits_on = -1;
	r->v->has_deadline = 0;
	r->value = p->ov[r->obj].holders;
	p->blocked_changed = 1;
}

static void on_released(struct picture *p, struct report *r)
{
	gave(p, r->w, r->obj);
	picture_set_state(p, r->w, r->running);
	r->value = p->ov[r->obj].holders;
	p->blocked_changed = 1;
}

/* It gave up waiting: value is the op it goes on at. */
static void on_timeout(struct picture *p, struct report *r)
{
	dequeue(p, r->obj, r->w);
	picture_set_state(p, r->w, r->running);
	r->v->waits_on = -1;
	r->v->has_deadline = 0;
	r->v->pc = (int)r->value;
	p->blocked_changed = 1;
}

/* A load, a register set, a get's item: the worker's private register. */
static void set_register(struct picture *p, struct report *r)
{
	r->v->reg = r->value;
	r->v->has_reg = 1;
	picture_set_state(p, r->w, r->running);
}

static void on_store(struct picture *p, struct report *r)
{
	update_value(p, r->obj, r->elem, r->value, r->op->amount);
	picture_set_state(p, r->w, r->running);
}

static void on_set(struct picture *p, struct report *r)
{
	p->ov[r->obj].flag = 1;
	r->value = wake_waiters(p, r->obj, -1, OP_WAIT);
	released_all_os(p, r->obj);
	picture_set_state(p, r->w, r->running);
	p->blocked_changed = 1;
}

static void on_clear(struct picture *p, struct report *r)
{
	p->ov[r->obj].flag = 0;
	picture_set_state(p, r->w, r->running);
}

/* A barrier: who still waits in this round (extra 1: this arrival
 * tripped it, and the round is over). */
static void passed_barrier(struct picture *p, struct report *r)
{
	struct object_view *o = &p->ov[r->obj];
	if (r->extra == 1) {
		o->rounds++;
		wake_waiters(p, r->obj, -1, OP_WAIT);
		released_all_os(p, r->obj);
	}
	o->arrived = 0;
	for (int i = 0; i < o->queue_len; i++)
		o->arrived += p->wv[o->queue[i]].state == WS_BLOCKED;
}

static void on_passed(struct picture *p, struct report *r)
{
	struct object_view *o = &p->ov[r->obj];
	dequeue(p, r->obj, r->w);
	picture_set_state(p, r->w, r->running);
	r->v->waits_on = -1;
	if (wait_of(p, r->obj) == KW_NOTIFY && o->value > 0)
		o->value--;   /* os: one pending notify used */
	if (wait_of(p, r->obj) == KW_PARTIES)
		passed_barrier(p, r);
	p->blocked_changed = 1;
}

/* Controlled: the notified leave the condition's queue and try its lock
 * at their next step.  os: the kernel picks whom it wakes; they say so
 * themselves (EV_PASSED).  value: how many (-1: all). */
static void on_notify(struct picture *p, struct report *r)
{
	struct object_view *o = &p->ov[r->obj];
	if (p->controlled)
		r->value = wake_waiters(p, r->obj, r->value < 0 ? -1 : (int)r->value, OP_WAIT);
	else if (r->value < 0)
		released_all_os(p, r->obj);
	else if (o->value < o->queue_len)
		o->value++;   /* pending until a waiter says it passed */
	picture_set_state(p, r->w, r->running);
	p->blocked_changed = 1;
}

static void on_put(struct picture *p, struct report *r)
{
	dequeue(p, r->obj, r->w);   /* a blocked put that went through */
	put_item(p, r->obj, r->value);
	wake_waiters(p, r->obj, 1,
	             kind_takes(p->s->objects[r->obj].kind, OP_RECV) ? OP_RECV : OP_GET);
	picture_set_state(p, r->w, r->running);
	p->blocked_changed = 1;
}

static void on_get(struct picture *p, struct report *r)
{
	dequeue(p, r->obj, r->w);
	take_item(p, r->obj);
	r->v->reg = r->value;
	r->v->has_reg = 1;
	wake_waiters(p, r->obj, 1,
	             kind_takes(p->s->objects[r->obj].kind, OP_SEND) ? OP_SEND : OP_PUT);
	picture_set_state(p, r->w, r->running);
	p->blocked_changed = 1;
}

static void on_jump(struct picture *p, struct report *r)
{
	if (r->value >= 0)
		r->v->pc = (int)r->value;
	picture_set_state(p, r->w, r->running);
}

static void on_sleep(struct picture *p, struct report *r)
{
	picture_set_state(p, r->w, WS_SLEEPING);
	r->v->wake_ms = (p->controlled ? p->view.clock_ms : p->now_ms) + r->value;
}

static void goes_on(struct picture *p, struct report *r)
{
	picture_set_state(p, r->w, r->running);
}

/* An op failed; the worker exits next (the engine waits for it). */
static void on_error(struct picture *p, struct report *r)
{
	if (r->obj >= 0 && r->obj < p->s->n_objects)
		p->ov[r->obj].errors++;
	p->blocked_changed = 1;
}

static void on_exited(struct picture *p, struct report *r)
{
	r->v->pc = p->s->groups[r->v->group].n_ops;
	picture_set_state(p, r->w, WS_DONE);
	r->v->waits_on = -1;
	p->blocked_changed = 1;
}

/* What each kind of report does.  OBJ: it names an object, which must be
 * one of the scenario's (else only the trace has it); STEP: it ends its
 * op, so the worker's pc moves past it (a wait, a wake, an exit or an
 * error leaves it). */
enum { OBJ = 1, STEP = 2 };
static const struct {
	void (*apply)(struct picture *, struct report *);
	unsigned flags;
} appliers[EV_COUNT] = {
	[EV_START]     = { NULL,           STEP },
	[EV_WAIT]      = { on_wait,        OBJ },
	[EV_ACQUIRED]  = { on_acquired,    OBJ | STEP },
	[EV_RECOVERED] = { on_acquired,    OBJ | STEP },
	[EV_RELEASED]  = { on_released,    OBJ | STEP },
	[EV_LOAD]      = { set_register,   STEP },
	[EV_STORE]     = { on_store,       OBJ | STEP },
	[EV_ADD]       = { on_store,       OBJ | STEP },
	[EV_SLEEP]     = { on_sleep,       STEP },
	[EV_WAKE]      = { goes_on,        0 },
	[EV_PRINT]     = { goes_on,        STEP },
	[EV_ERROR]     = { on_error,       0 },
	[EV_EXIT]      = { on_exited,        0 },
	[EV_KILLED]    = { NULL,           STEP },
	[EV_DEADLOCK]  = { NULL,           STEP },
	[EV_TIMEOUT]   = { on_timeout,     OBJ | STEP },
	[EV_SET]       = { on_set,         OBJ | STEP },
	[EV_CLEAR]     = { on_clear,       OBJ | STEP },
	[EV_PASSED]    = { on_passed,      OBJ | STEP },
	[EV_NOTIFY]    = { on_notify,      OBJ | STEP },
	[EV_PUT]       = { on_put,         OBJ | STEP },
	[EV_GET]       = { on_get,         OBJ | STEP },
	[EV_REGISTER]  = { set_register,   STEP },
	[EV_JUMP]      = { on_jump,        STEP },
	[EV_REQUEST]   = { NULL,           0 },
};

/* The manager reports in the order it serves: its sets and adds are the
 * true history of its objects. */
static void apply_request(struct picture *p, const struct wire_event *we)
{
	p->view.manager_requests++;
	if (we->extra != MANAGER_GET && we->object >= 0 && we->object < p->s->n_objects &&
	    we->elem < SCENARIO_MAX_ELEMS)
		p->ov[we->object].elems[we->elem] = (long)we->value;
	record_full(p, we->worker, we->pc, EV_REQUEST, we->object,
	            (long)we->value, (long)we->extra, we->elem, NULL, 0);
}

void picture_apply(struct picture *p, const struct wire_event *we, const char *text)
{
	if (we->worker < 0 || we->worker >= p->n_workers)
		return;
	if (we->kind == EV_REQUEST) {
		apply_request(p, we);
		return;
	}
	struct report r = {
		.w = we->worker, .pc = we->pc, .obj = we->object, .elem = we->elem, .v = &p->wv[we->worker],
		.op = op_of(p, we->worker, we->pc), .value = (long)we->value,
		.extra = (long)we->extra, .running = p->controlled ? WS_READY : WS_RUNNING,
	};
	enum event_kind kind = we->kind < EV_COUNT ? (enum event_kind)we->kind : EV_COUNT;
	/* Written just before it was killed, read after: it belongs in the
	 * trace, but the death already settled what it held. */
	if (kind < EV_COUNT && r.v->state != WS_KILLED &&
	    (!(appliers[kind].flags & OBJ) || (r.obj >= 0 && r.obj < p->s->n_objects))) {
		if (appliers[kind].flags & STEP) {
			r.v->pc = we->pc + 1;
			if (!p->controlled)
				p->view.steps++;   /* os: count ops done, as a step count */
		}
		if (appliers[kind].apply)
			appliers[kind].apply(p, &r);
	}
	record_full(p, r.w, we->pc, (enum event_kind)we->kind, r.obj, r.value, r.extra, r.elem,
	            text, we->text_len);
}

/* ---- the controller's decisions ---------------------------------------------- */

void picture_stepping(struct picture *p, int w)
{
	picture_set_state(p, w, WS_RUNNING);
}

void picture_starting(struct picture *p, int w, long wake_ms, int how)
{
	picture_set_state(p, w, WS_SLEEPING);
	if (how == 1 && p->wv[w].starting != 1)
		p->view.started--;   /* forked, but its start() is not over */
	p->wv[w].starting = how;
	p->wv[w].wake_ms = wake_ms;
}

enum picture_wake picture_wake(struct picture *p, int w)
{
	struct worker_view *v = &p->wv[w];
	if (v->state == WS_SLEEPING && v->starting == 1) {
		/* Its Process.start() is over: it starts now. */
		v->starting = 0;
		p->view.started++;
		picture_set_state(p, w, WS_READY);
		picture_record(p, w, 0, EV_START, -1, v->pid, 0, NULL, 0);
		return PW_STARTED;
	}
	if (v->state == WS_SLEEPING) {
		picture_set_state(p, w, WS_READY);
		picture_record(p, w, v->pc, EV_WAKE, -1, 0, v->starting, NULL, 0);
		v->starting = 0;
		return PW_WOKE;
	}
	if (v->state == WS_BLOCKED && v->has_deadline) {
		dequeue(p, v->waits_on, w);
		v->waits_on = -1;
		v->has_deadline = 0;
		picture_set_state(p, w, WS_READY);
		p->blocked_changed = 1;
		return PW_TIMED_OUT;
	}
	return PW_NONE;
}

/* ---- the verdict ------------------------------------------------------------------ */

/* Look for a deadlock again; say it once, when it forms (or changes
 * after a kill). */
static void find_deadlock(struct picture *p)
{
	struct cycle_link found[PICTURE_MAX_CYCLE];
	int n = deadlock_find(p->s, p->last_release, p->wv, p->n_workers, p->ov,
	                      found, PICTURE_MAX_CYCLE);
	int same = n == p->view.cycle_len &&
	           memcmp(found, p->cycle, sizeof *found * (size_t)n) == 0;
	memcpy(p->cycle, found, sizeof *found * (size_t)n);
	p->view.cycle_len = n;
	if (n > 0 && !same) {
		/* English for the JSON, then the student's words after a NUL
		 * (struct event): a kill changes the cycle, and the log must
		 * still say this one in the class's language. */
		char text[4096];
		words_deadlock_en(p->s, p->wv, p->n_workers, p->cycle, n, text, sizeof text / 2);
		size_t en = strlen(text);
		words_deadlock(p->s, p->wv, p->n_workers, p->cycle, n, text + en + 1,
		               sizeof text - en - 1);
		picture_record(p, -1, 0, EV_DEADLOCK, -1, n, 0, text, en + 1 + strlen(text + en + 1));
	}
}

void picture_judge(struct picture *p)
{
	if (p->view.outcome == RUN_TIMEOUT || p->view.outcome == RUN_STOPPED)
		return;
	if (p->blocked_changed) {
		p->blocked_changed = 0;
		find_deadlock(p);
	}
	if (p->view.cycle_len > 0)
		p->view.outcome = RUN_DEADLOCK;
	else if (p->n_ended == p->n_workers)
		p->view.outcome = RUN_FINISHED;
	else
		p->view.outcome = RUN_RUNNING;
}

/* ---- life cycle ---------------------------------------------------------------------- */

/* Lost updates are counted in units of the updates' own size, so a
 * counter moved by -1 reports "37 updates lost", not "-37". */
static long update_unit(const struct scenario *s, int obj)
{
	long unit = 0;
	for (int g = 0; g < s->n_groups; g++)
		for (int i = 0; i < s->groups[g].n_ops; i++) {
			const struct scenario_op *op = &s->groups[g].ops[i];
			if (op->object != obj || (op->kind != OP_STORE && op->kind != OP_ATOMIC_ADD))
				continue;
			long a = op->amount < 0 ? -op->amount : op->amount;
			unit = unit == 0 ? a : (unit == a ? unit : 1);
		}
	return unit > 0 ? unit : 1;
}

int picture_init(struct picture *p, const struct scenario *s, const struct engine_options *o)
{
	memset(p, 0, sizeof *p);
	p->s = s;
	p->controlled = o->schedule != SCHED_OS;
	p->speed = o->speed > 0 ? o->speed : 1;
	p->view.schedule = o->schedule;
	p->view.seed = o->seed;
	int n = p->n_workers = scenario_worker_count(s);
	p->wv = calloc((size_t)n, sizeof *p->wv);
	p->ov = calloc(SCENARIO_MAX_OBJECTS, sizeof *p->ov);
	p->group = calloc((size_t)n, sizeof(int));
	p->number = calloc((size_t)n, sizeof(int));
	p->queues = calloc((size_t)n * (size_t)(s->n_objects ? s->n_objects : 1), sizeof(int));
	p->ready = calloc((size_t)n, sizeof(int));
	p->ready_pos = calloc((size_t)n, sizeof(int));
	p->last_release = calloc((size_t)s->n_groups * SCENARIO_MAX_OBJECTS * 2, sizeof(int));
	if (!p->wv || !p->ov || !p->group || !p->number || !p->queues || !p->ready ||
	    !p->ready_pos || !p->last_release)
		return -1;
	for (int w = 0; w < n; w++) {
		int idx;
		p->group[w] = scenario_worker_group(s, w, &idx);
		p->number[w] = s->groups[p->group[w]].first_index + idx;
	}
	deadlock_last_releases(s, p->last_release);
	for (int obj = 0; obj < s->n_objects; obj++)
		p->unit[obj] = update_unit(s, obj);
	picture_reset(p);
	return 0;
}

void picture_free(struct picture *p)
{
	for (long i = 0; i < p->n_events; i++)
		free(p->events[i].text);
	free(p->events);
	free(p->wv);
	free(p->ov);
	free(p->group);
	free(p->number);
	free(p->queues);
	free(p->ready);
	free(p->ready_pos);
	free(p->last_release);
	memset(p, 0, sizeof *p);
}

static void reset_object(struct picture *p, int obj)
{
	struct object_view *o = &p->ov[obj];
	memset(o, 0, sizeof *o);
	o->owner = -1;
	if (obj >= p->s->n_objects)
		return;
	const struct scenario_object *so = &p->s->objects[obj];
	o->value = kind_info(so->kind)->wait == KW_ITEMS ? 0 : so->initial;
	o->intended = o->value;
	o->flag = kind_info(so->kind)->wait == KW_FLAG && so->initial;
	o->n_elems = so->n_elems;
	for (int i = 0; i < so->n_elems && i < SCENARIO_MAX_ELEMS; i++)
		o->elems[i] = o->elem_intended[i] = so->elems[i].initial;
	if (kind_is_plain_value(so->kind))
		o->peak = (int)o->value;
	o->queue = p->queues + (size_t)obj * (size_t)p->n_workers;
}

void picture_reset(struct picture *p)
{
	for (long i = 0; i < p->n_events; i++)
		free(p->events[i].text);
	p->n_events = 0;
	p->events_dropped = 0;
	p->failed = 0;
	p->blocked_changed = 0;
	p->now_ms = 0;
	enum schedule sched = p->view.schedule;
	uint64_t seed = p->view.seed;
	memset(&p->view, 0, sizeof p->view);
	p->view.scenario = p->s;
	p->view.schedule = sched;
	p->view.seed = seed;
	p->view.n_workers = p->n_workers;
	p->view.workers = p->wv;
	p->view.objects = p->ov;
	p->view.cycle = p->cycle;
	for (int w = 0; w < p->n_workers; w++) {
		struct worker_view *v = &p->wv[w];
		memset(v, 0, sizeof *v);
		worker_name(p->s, p->group[w], p->number[w], v->name, sizeof v->name);
		v->group = p->group[w];
		v->waits_on = -1;
		v->state = WS_READY;
		p->ready[w] = w;
		p->ready_pos[w] = w;
	}
	p->n_ready = p->n_workers;
	p->n_ended = 0;
	for (int obj = 0; obj < SCENARIO_MAX_OBJECTS; obj++)
		reset_object(p, obj);
}
