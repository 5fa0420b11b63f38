/*
 * model.c: the controlled schedules' semantics without processes (see
 * model.h).  Each function names the engine or worker code it mirrors:
 * when that code changes, this must change with it, and
 * tests/unit-explore.c says so when it does not.
 */
#include "config.h"

#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "deadlock.h"
#include "manager.h"
#include "model.h"
#include "worker.h"

struct model {
	const struct scenario *s;
	uint64_t seed;
	int n_workers;
	int *w_group;
	int *last_release;
	struct worker_view *wv;       /* scratch for deadlock_find */
	struct object_view *ov;
	int *queues;
	int changed;                  /* this step changed who waits */
	struct model_state *scratch;  /* model_movable's */
	int *order;                   /* wake_waiters' queue */
	struct engine_view view;      /* model_view's */
};

/* ---- set up ---------------------------------------------------------------- */

struct model *model_new(const struct scenario *s, uint64_t seed)
{
	struct model *m = calloc(1, sizeof *m);
	if (!m)
		return NULL;
	m->s = s;
	m->seed = seed;
	m->n_workers = scenario_worker_count(s);
	size_t n = (size_t)m->n_workers;
	m->w_group = calloc(n, sizeof *m->w_group);
	m->last_release = calloc(2 * (size_t)s->n_groups * SCENARIO_MAX_OBJECTS, sizeof(int));
	m->wv = calloc(n, sizeof *m->wv);
	m->ov = calloc(SCENARIO_MAX_OBJECTS, sizeof *m->ov);
	m->queues = calloc(n * SCENARIO_MAX_OBJECTS, sizeof *m->queues);
	m->scratch = model_state_new(m);
	m->order = calloc(n + 1, sizeof *m->order);
	if (!m->w_group || !m->last_release || !m->wv || !m->ov || !m->queues || !m->scratch || !m->order) {
		model_free(m);
		return NULL;
	}
	for (int w = 0; w < m->n_workers; w++) {
		int in;
		m->w_group[w] = scenario_worker_group(s, w, &in);
	}
	deadlock_last_releases(s, m->last_release);
	return m;
}

void model_free(struct model *m)
{
	if (!m)
		return;
	free(m->w_group);
	free(m->last_release);
	free(m->wv);
	free(m->ov);
	free(m->queues);
	model_state_free(m->scratch);
	free(m->order);
	free(m);
}

const struct scenario *model_scenario(const struct model *m)
{
	return m->s;
}

int model_workers(const struct model *m)
{
	return m->n_workers;
}

struct model_state *model_state_new(const struct model *m)
{
	struct model_state *st = calloc(1, sizeof *st);
	if (st && !(st->w = calloc((size_t)m->n_workers, sizeof *st->w))) {
		free(st);
		return NULL;
	}
	return st;
}

void model_state_free(struct model_state *st)
{
	if (st)
		free(st->w);
	free(st);
}

void model_state_copy(const struct model *m, struct model_state *to,
                      const struct model_state *from)
{
	struct model_worker *w = to->w;
	*to = *from;
	to->w = w;
	memcpy(w, from->w, (size_t)m->n_workers * sizeof *w);
}

/* picture_reset() and schedule_start_workers(), controlled. */
void model_initial(const struct model *m, struct model_state *st)
{
	const struct scenario *s = m->s;
	struct model_worker *w = st->w;
	memset(st, 0, sizeof *st);
	st->w = w;
	memset(w, 0, (size_t)m->n_workers * sizeof *w);
	for (int i = 0; i < m->n_workers; i++) {
		w[i].state = WS_READY;
		w[i].waits_on = w[i].qobj = w[i].qpos = -1;
		w[i].rng = worker_rng_seed(m->seed, i);
	}
	for (int i = 0; i < s->n_objects; i++) {
		const struct scenario_object *so = &s->objects[i];
		struct model_object *o = &st->o[i];
		o->owner = -1;
		o->value = kind_info(so->kind)->wait == KW_ITEMS ? 0 : so->initial;
		o->sem = so->initial;
		o->flag = kind_info(so->kind)->wait == KW_FLAG && so->initial;
		for (int k = 0; k < so->n_elems && k < SCENARIO_MAX_ELEMS; k++)
			o->elems[k] = so->elems[k].initial;
	}
	long cost = s->process_start_ms;
	if (cost <= 0)
		return;
	long k = manager_needed(s) ? 1 : 0;
	for (int i = 0; i < m->n_workers; i++)
		if (!s->groups[m->w_group[i]].parent) {
			w[i].state = WS_SLEEPING;
			w[i].starting = 1;
			w[i].wake_ms = ++k * cost;
		}
	for (int i = 0; i < m->n_workers && k > 0; i++)
		if (s->groups[m->w_group[i]].parent) {
			w[i].state = WS_SLEEPING;
			w[i].starting = 2;
			w[i].wake_ms = k * cost;
		}
}

/* ---- the picture's queues (picture.c) ---------------------------------------- */

static int queue_len(const struct model *m, const struct model_state *st, int obj)
{
	int n = 0;
	for (int i = 0; i < m->n_workers; i++)
		n += st->w[i].qobj == obj;
	return n;
}

/* enqueue(): 1 when w was not queued on obj yet. */
static int enqueue(const struct model *m, struct model_state *st, int obj, int w)
{
	struct model_worker *v = &st->w[w];
	if (v->qobj == obj)
		return 0;
	if (v->qobj >= 0)   /* in two queues: the engine never does that */
		st->outcome = MODEL_UNSUPPORTED;
	v->qpos = queue_len(m, st, obj);
	v->qobj = obj;
	return 1;
}

static void dequeue(const struct model *m, struct model_state *st, int obj, int w)
{
	struct model_worker *v = &st->w[w];
	if (v->qobj != obj)
		return;
	for (int i = 0; i < m->n_workers; i++)
		if (st->w[i].qobj == obj && st->w[i].qpos > v->qpos)
			st->w[i].qpos--;
	v->qobj = v->qpos = -1;
}

static const struct scenario_op *op_of(const struct model *m, const struct model_state *st,
                                       int w)
{
	const struct scenario_group *g = &m->s->groups[m->w_group[w]];
	int pc = st->w[w].pc;
	return pc >= 0 && pc < g->n_ops ? &g->ops[pc] : NULL;
}

/* obj's queue in arrival order into out (n_workers ints): its length.
 * O(workers), so a step costs no more. */
static int queue_of(const struct model *m, const struct model_state *st, int obj, int *out)
{
	int n = 0;
	for (int i = 0; i < m->n_workers; i++)
		if (st->w[i].qobj == obj)
			out[st->w[i].qpos] = i, n++;
	return n;
}

/* wake_waiters(), controlled: over the queue as it was when the wake
 * began (a notified waiter leaves it, and the walk goes on after it). */
static int wake_waiters(const struct model *cm, struct model_state *st, int obj, int n, int want)
{
	struct model *m = (struct model *)cm;   /* only its scratch changes */
	int woken = 0, notify = kind_info(m->s->objects[obj].kind)->wait == KW_NOTIFY;
	int len = queue_of(m, st, obj, m->order);
	for (int i = 0; i < len && (n < 0 || woken < n); i++) {
		int w = m->order[i];
		struct model_worker *v = &st->w[w];
		const struct scenario_op *op = op_of(m, st, w);
		if (v->state != WS_BLOCKED || v->waits_on != obj ||
		    (want >= 0 && (!op || (int)op->kind != want)))
			continue;
		woken++;
		v->state = WS_READY;
		if (notify) {
			v->waits_on = -1;
			dequeue(m, st, obj, w);
		}
	}
	return woken;
}

/* ---- holding (picture.c: took, gave, dead_holder) ------------------------------ */

static int taken(const struct model *m, const struct model_state *st, int obj)
{
	long t = m->s->objects[obj].initial - st->o[obj].value;
	return t > 0 ? (int)t : 0;
}

static int counted_holder(const struct model *m, const struct model_state *st, int w, int obj)
{
	if (st->w[w].pholds[obj])
		return w;
	int last = st->o[obj].owner;
	if (last >= 0 && st->w[last].pholds[obj])
		return last;
	for (int h = 0; h < m->n_workers; h++)
		if (st->w[h].pholds[obj])
			return h;
	return -1;
}

static void took(const struct model *m, struct model_state *st, int w, int obj)
{
	struct model_object *o = &st->o[obj];
	enum object_kind k = m->s->objects[obj].kind;
	if (kind_is(k, KF_COUNTING)) {
		o->value--;
		o->holders = taken(m, st, obj);
	} else if (!(kind_is(k, KF_RECURSIVE) && st->w[w].pholds[obj])) {
		o->holders++;
	}
	st->w[w].pholds[obj]++;
	o->owner = w;
	o->owner_died = 0;
	dequeue(m, st, obj, w);
}

static void gave(const struct model *m, struct model_state *st, int w, int obj)
{
	struct model_object *o = &st->o[obj];
	struct model_worker *v = &st->w[w];
	if (kind_is(m->s->objects[obj].kind, KF_COUNTING)) {
		int from = counted_holder(m, st, w, obj);
		if (from >= 0) {
			st->w[from].pholds[obj]--;
			if (st->w[from].state == WS_KILLED && o->count_lost > 0)
				o->count_lost--;
		}
		o->value++;
		o->holders = taken(m, st, obj);
		if (!o->holders) {
			o->owner = -1;
			o->owner_died = 0;
		}
		wake_waiters(m, st, obj, 1, -1);
		return;
	}
	if (v->pholds[obj]) {
		v->pholds[obj]--;
		if (!v->pholds[obj])
			o->holders--;
	}
	if (!v->pholds[obj]) {
		o->owner = -1;
		wake_waiters(m, st, obj, 1, -1);
	}
}

static void dead_holder(const struct model *m, struct model_state *st, int w, int obj,
                        int finished)
{
	struct model_object *o = &st->o[obj];
	enum object_kind k = m->s->objects[obj].kind;
	if (kind_is(k, KF_ROBUST)) {
		if (o->owner != w)
			return;
		o->holders--;
		o->owner = -1;
		o->owner_died = 1;
		wake_waiters(m, st, obj, 1, -1);
	} else if (kind_is(k, KF_COUNTING)) {
		if (!finished)
			o->count_lost += st->w[w].pholds[obj];
		if (o->owner == w)
			o->owner_died = !finished;
	} else if (!finished) {
		o->owner_died = 1;
	}
}

/* picture_died(): the process of w is gone (finished: it ran to its end). */
static void died(const struct model *m, struct model_state *st, int w, int finished)
{
	struct model_worker *v = &st->w[w];
	if (!finished)
		v->state = WS_KILLED;
	for (int obj = 0; obj < m->s->n_objects; obj++) {
		dequeue(m, st, obj, w);
		if (v->pholds[obj])
			dead_holder(m, st, w, obj, finished);
	}
	v->waits_on = -1;
	if (finished)
		for (int obj = 0; obj < m->s->n_objects; obj++)
			if (!kind_is(m->s->objects[obj].kind, KF_OWNED) ||
			    kind_is(m->s->objects[obj].kind, KF_ROBUST))
				v->pholds[obj] = 0;
}

/* ---- one op (worker_sync.c, worker_ops.c, and their reports) ------------------- */

/* EV_WAIT: pc stays, blocked on obj. */
static void wait_on(const struct model *m, struct model_state *st, int w, int obj,
                    const struct scenario_op *op)
{
	struct model_worker *v = &st->w[w];
	v->state = WS_BLOCKED;
	v->waits_on = obj;
	if (enqueue(m, st, obj, w) && op->kind == OP_ACQUIRE && op->timeout_ms > 0) {
		v->has_deadline = 1;
		v->wake_ms = st->clock + op->timeout_ms;
	}
}

/* An op that failed (wk_fail): EV_ERROR, then the process exits. */
static void fail(struct model *m, struct model_state *st, int w)
{
	m->changed = 1;
	died(m, st, w, 0);
}

/* take(), not blocking: 1 taken (*recovered: from a dead owner). */
static int take(const struct model *m, struct model_state *st, int w, int obj, int *recovered)
{
	struct model_object *o = &st->o[obj];
	enum object_kind k = m->s->objects[obj].kind;
	*recovered = 0;
	if (kind_info(k)->primitive == KP_MUTEX) {
		if (o->owner >= 0)
			return 0;
		*recovered = o->owner_died;
		return 1;
	}
	if (kind_is(k, KF_RECURSIVE) && st->w[w].wholds[obj])
		return 1;
	if (o->sem > 0) {
		o->sem--;
		return 1;
	}
	return 0;
}

static void give(const struct model *m, struct model_state *st, int obj)
{
	if (kind_info(m->s->objects[obj].kind)->primitive != KP_MUTEX)
		st->o[obj].sem++;
}

/* The picture's EV_ACQUIRED / EV_RECOVERED. */
static void acquired(struct model *m, struct model_state *st, int w, int obj)
{
	struct model_worker *v = &st->w[w];
	took(m, st, w, obj);
	v->state = WS_READY;
	v->waits_on = -1;
	v->has_deadline = 0;
	m->changed = 1;
}

static void do_acquire(struct model *m, struct model_state *st, int w,
                       const struct scenario_op *op)
{
	struct model_worker *v = &st->w[w];
	int obj = op->object, recovered;
	m->changed = 1;
	if (v->timed_out) {
		v->timed_out = 0;
		dequeue(m, st, obj, w);
		v->state = WS_READY;
		v->waits_on = -1;
		v->has_deadline = 0;
		v->pc = op->target;
		return;
	}
	if (!take(m, st, w, obj, &recovered)) {
		wait_on(m, st, w, obj, op);
		return;
	}
	v->wholds[obj]++;
	acquired(m, st, w, obj);
	v->pc++;
}

static void do_release(struct model *m, struct model_state *st, int w, int obj)
{
	const struct scenario_object *so = &m->s->objects[obj];
	struct model_worker *v = &st->w[w];
	if ((kind_is(so->kind, KF_OWNED) && !v->wholds[obj]) ||
	    (kind_is(so->kind, KF_BOUNDED) && st->o[obj].sem >= so->initial)) {
		fail(m, st, w);
		return;
	}
	if (v->wholds[obj])
		v->wholds[obj]--;
	if (!(kind_is(so->kind, KF_RECURSIVE) && v->wholds[obj])) {
		give(m, st, obj);
		if (kind_info(so->kind)->primitive == KP_MUTEX)
			st->o[obj].owner = -1;   /* the picture's gave() says so too */
	}
	gave(m, st, w, obj);
	v->state = WS_READY;
	v->pc++;
	m->changed = 1;
}

static void do_value(struct model_state *st, int w, const struct scenario_op *op)
{
	struct model_worker *v = &st->w[w];
	long *e = &st->o[op->object].elems[op->elem];
	if (op->kind == OP_LOAD)
		v->reg = *e;
	else if (op->kind == OP_STORE)
		*e = v->reg + op->amount;
	else
		*e += op->amount;
	v->pc++;
}

/* pick_sleep() with the worker's own generator. */
static void do_sleep(struct model_state *st, int w, const struct scenario_op *op)
{
	struct model_worker *v = &st->w[w];
	long ms = op->sleep_min_ms, span = op->sleep_max_ms - op->sleep_min_ms;
	long step = op->sleep_step_ms > 0 ? op->sleep_step_ms : 1;
	if (span > 0) {
		uint64_t choices = (uint64_t)(span / step) + 1;
		ms += (long)(worker_rng_next(&v->rng) % choices) * step;
	}
	v->state = WS_SLEEPING;
	v->wake_ms = st->clock + ms;
	v->pc++;
}

/* A wait passed (EV_PASSED): out of obj's queue, on to the next op. */
static void passed(struct model *m, struct model_state *st, int w, int obj)
{
	struct model_worker *v = &st->w[w];
	dequeue(m, st, obj, w);
	v->state = WS_READY;
	v->waits_on = -1;
	v->phase = 0;
	v->pc++;
	m->changed = 1;
}

static void do_event_wait(struct model *m, struct model_state *st, int w,
                          const struct scenario_op *op)
{
	struct model_worker *v = &st->w[w];
	struct model_object *o = &st->o[op->object];
	if (v->phase == 0)
		v->waited_gen = o->gen;
	if (!o->flag && o->gen == v->waited_gen) {
		v->phase = 1;
		wait_on(m, st, w, op->object, op);
		m->changed = 1;
		return;
	}
	passed(m, st, w, op->object);
}

static void do_barrier(struct model *m, struct model_state *st, int w,
                       const struct scenario_op *op)
{
	struct model_worker *v = &st->w[w];
	int obj = op->object;
	struct model_object *o = &st->o[obj];
	m->changed = 1;
	if (v->phase == 0) {
		v->waited_gen = o->gen;
		if (++o->sem >= m->s->objects[obj].capacity) {   /* sem: arrivals */
			o->sem = 0;
			o->gen++;
			passed(m, st, w, obj);
			wake_waiters(m, st, obj, -1, OP_WAIT);
			return;
		}
		v->phase = 1;
		wait_on(m, st, w, obj, op);
		return;
	}
	if (o->gen == v->waited_gen) {
		wait_on(m, st, w, obj, op);
		return;
	}
	passed(m, st, w, obj);
}

static void do_cond_wait(struct model *m, struct model_state *st, int w,
                         const struct scenario_op *op)
{
	struct model_worker *v = &st->w[w];
	int obj = op->object, lock = m->s->objects[obj].lock, recovered;
	m->changed = 1;
	if (v->phase == 0) {
		if (!v->wholds[lock]) {
			fail(m, st, w);
			return;
		}
		v->depth = v->wholds[lock];
		while (v->wholds[lock]) {
			v->wholds[lock]--;
			gave(m, st, w, lock);
		}
		give(m, st, lock);
		if (kind_info(m->s->objects[lock].kind)->primitive == KP_MUTEX)
			st->o[lock].owner = -1;
		v->phase = 1;
		wait_on(m, st, w, obj, op);
		return;
	}
	if (!take(m, st, w, lock, &recovered)) {
		wait_on(m, st, w, lock, op);
		return;
	}
	for (int i = 0; i < v->depth; i++) {
		v->wholds[lock]++;
		acquired(m, st, w, lock);
	}
	passed(m, st, w, obj);
}

static void do_notify(struct model *m, struct model_state *st, int w,
                      const struct scenario_op *op)
{
	int lock = m->s->objects[op->object].lock;
	if (!st->w[w].wholds[lock]) {
		fail(m, st, w);
		return;
	}
	wake_waiters(m, st, op->object, op->notify_all ? -1 : 1, OP_WAIT);
	st->w[w].pc++;
	m->changed = 1;
}

/* Put (queue, pipe): full is a wait.  A pipe the model cannot hold
 * is a state it cannot follow. */
static void do_put(struct model *m, struct model_state *st, int w,
                   const struct scenario_op *op)
{
	struct model_worker *v = &st->w[w];
	int obj = op->object;
	struct model_object *o = &st->o[obj];
	int pipe = kind_takes(m->s->objects[obj].kind, OP_RECV);
	int cap = pipe ? ENGINE_PIPE_ITEMS : m->s->objects[obj].capacity;
	m->changed = 1;
	if (o->n_items >= cap) {
		wait_on(m, st, w, obj, op);
		return;
	}
	if (o->n_items >= MODEL_MAX_ITEMS) {
		st->outcome = MODEL_UNSUPPORTED;
		return;
	}
	dequeue(m, st, obj, w);
	o->items[o->n_items++] = op->use_register ? v->reg : op->amount;
	o->value = o->n_items;
	wake_waiters(m, st, obj, 1, pipe ? OP_RECV : OP_GET);
	v->state = WS_READY;
	v->pc++;
}

static void do_get(struct model *m, struct model_state *st, int w,
                   const struct scenario_op *op)
{
	struct model_worker *v = &st->w[w];
	int obj = op->object;
	struct model_object *o = &st->o[obj];
	int pipe = kind_takes(m->s->objects[obj].kind, OP_RECV);
	m->changed = 1;
	if (o->n_items == 0) {
		wait_on(m, st, w, obj, op);
		return;
	}
	dequeue(m, st, obj, w);
	v->reg = o->items[0];
	memmove(o->items, o->items + 1, (size_t)(o->n_items - 1) * sizeof *o->items);
	o->items[--o->n_items] = 0;
	o->value = o->n_items;
	wake_waiters(m, st, obj, 1, pipe ? OP_SEND : OP_PUT);
	v->state = WS_READY;
	v->pc++;
}

static void do_set(struct model *m, struct model_state *st, int w, int obj, int up)
{
	st->o[obj].flag = up;
	if (up) {
		st->o[obj].gen++;
		wake_waiters(m, st, obj, -1, OP_WAIT);
		m->changed = 1;
	}
	st->w[w].pc++;
}

/* worker_do_op(), then the reports it sends. */
static void do_op(struct model *m, struct model_state *st, int w, const struct scenario_op *op)
{
	struct model_worker *v = &st->w[w];
	switch (op->kind) {
	case OP_ACQUIRE: do_acquire(m, st, w, op); return;
	case OP_RELEASE: do_release(m, st, w, op->object); return;
	case OP_LOAD:
	case OP_STORE:
	case OP_ATOMIC_ADD: do_value(st, w, op); return;
	case OP_SET: do_set(m, st, w, op->object, 1); return;
	case OP_CLEAR: do_set(m, st, w, op->object, 0); return;
	case OP_NOTIFY: do_notify(m, st, w, op); return;
	case OP_PUT:
	case OP_SEND: do_put(m, st, w, op); return;
	case OP_GET:
	case OP_RECV: do_get(m, st, w, op); return;
	case OP_SLEEP: do_sleep(st, w, op); return;
	case OP_WAIT:
		switch (kind_info(m->s->objects[op->object].kind)->wait) {
		case KW_FLAG: do_event_wait(m, st, w, op); return;
		case KW_PARTIES: do_barrier(m, st, w, op); return;
		default: do_cond_wait(m, st, w, op); return;
		}
	case OP_PRINT: v->pc++; return;
	case OP_SET_REGISTER: v->reg = op->amount; v->pc++; return;
	case OP_GOTO:
		v->pc = !op->has_if || v->reg == op->if_value ? op->target : v->pc + 1;
		return;
	case OP_CRASH: fail(m, st, w); return;
	default: st->outcome = MODEL_UNSUPPORTED; return;
	}
}

/* ---- the clock and the verdict (schedule.c, picture.c) -------------------------- */

static int n_ready(const struct model *m, const struct model_state *st)
{
	int n = 0;
	for (int i = 0; i < m->n_workers; i++)
		n += st->w[i].state == WS_READY;
	return n;
}

static int waits_with_deadline(const struct model_worker *v)
{
	return v->state == WS_BLOCKED && v->has_deadline;
}

/* advance_clock(). */
static void advance_clock(struct model *m, struct model_state *st)
{
	if (n_ready(m, st) > 0)
		return;
	long next = LONG_MAX;
	for (int i = 0; i < m->n_workers; i++) {
		const struct model_worker *v = &st->w[i];
		if ((v->state == WS_SLEEPING || waits_with_deadline(v)) && v->wake_ms < next)
			next = v->wake_ms;
	}
	if (next == LONG_MAX)
		return;
	if (next > st->clock)
		st->clock = next;
	for (int pass = 0; pass < 2; pass++)
	for (int i = 0; i < m->n_workers; i++) {
		struct model_worker *v = &st->w[i];
		if (v->wake_ms > st->clock || (v->starting == 2) != pass)
			continue;
		if (v->state == WS_SLEEPING) {
			v->state = WS_READY;
			v->starting = 0;
		} else if (waits_with_deadline(v)) {
			v->timed_out = 1;
			dequeue(m, st, v->waits_on, i);
			v->waits_on = -1;
			v->has_deadline = 0;
			v->state = WS_READY;
			m->changed = 1;
		}
	}
}

/* The views deadlock_find() reads. */
static void fill_views(struct model *m, const struct model_state *st)
{
	const struct scenario *s = m->s;
	for (int i = 0; i < m->n_workers; i++) {
		struct worker_view *wv = &m->wv[i];
		const struct model_worker *v = &st->w[i];
		wv->group = m->w_group[i];
		wv->pc = v->pc;
		wv->state = (enum worker_state)v->state;
		wv->waits_on = v->waits_on;
		wv->has_deadline = v->has_deadline;
		memcpy(wv->holds, v->pholds, sizeof wv->holds);
	}
	for (int obj = 0; obj < s->n_objects; obj++) {
		struct object_view *ov = &m->ov[obj];
		const struct model_object *o = &st->o[obj];
		ov->owner = o->owner;
		ov->value = o->value;
		ov->flag = o->flag;
		ov->n_items = o->n_items;
		ov->queue = m->queues + (size_t)obj * (size_t)m->n_workers;
		ov->queue_len = queue_of(m, st, obj, ov->queue);
	}
}

/* The engine's view of st, as far as the goals read it (goals.h): the
 * views deadlock_find() reads, and each object's values and holders.
 * An object's peak is its level now: a goal on a peak is met the first
 * time the level passes it, so along a schedule the two agree. */
const struct engine_view *model_view(struct model *m, const struct model_state *st, long steps)
{
	const struct scenario *s = m->s;
	fill_views(m, st);
	for (int obj = 0; obj < s->n_objects; obj++) {
		struct object_view *ov = &m->ov[obj];
		const struct model_object *o = &st->o[obj];
		unsigned f = kind_info(s->objects[obj].kind)->flags;
		ov->holders = o->holders;
		ov->owner_died = o->owner_died;
		ov->n_elems = s->objects[obj].n_elems;
		memcpy(ov->elems, o->elems, sizeof ov->elems);
		long level = f & KF_LOCKLIKE ? o->holders : f & KF_VALUELIKE ? o->value : o->n_items;
		ov->peak = level > INT_MAX ? INT_MAX : level < INT_MIN ? INT_MIN : (int)level;
	}
	for (int i = 0; i < m->n_workers; i++)
		m->wv[i].reg = st->w[i].reg;
	m->view = (struct engine_view){
		.scenario = s, .seed = m->seed, .clock_ms = st->clock, .steps = steps,
		.n_workers = m->n_workers, .workers = m->wv, .objects = m->ov,
		.outcome = st->outcome < 0 ? RUN_RUNNING : (enum run_outcome)st->outcome,
	};
	return &m->view;
}

/* picture_judge(). */
static void judge(struct model *m, struct model_state *st)
{
	if (st->outcome == MODEL_UNSUPPORTED)
		return;
	int alive = 0;
	for (int i = 0; i < m->n_workers; i++)
		alive += st->w[i].state != WS_DONE && st->w[i].state != WS_KILLED;
	if (m->changed) {
		struct cycle_link found[64];
		m->changed = 0;
		fill_views(m, st);
		st->cycle_len = deadlock_find(m->s, m->last_release, m->wv, m->n_workers,
		                              m->ov, found, 64);
	}
	st->outcome = st->cycle_len > 0 ? RUN_DEADLOCK : alive == 0 ? RUN_FINISHED : RUN_RUNNING;
}

/* ---- a step --------------------------------------------------------------------- */

int model_movable(const struct model *m, const struct model_state *st, int *out)
{
	if (st->outcome != RUN_RUNNING)
		return 0;
	struct model *mm = (struct model *)m;   /* only its scratch changes */
	struct model_state *t = mm->scratch;
	int n = 0;
	model_state_copy(m, t, st);
	advance_clock(mm, t);
	for (int i = 0; i < m->n_workers; i++)
		if (t->w[i].state == WS_READY)
			out[n++] = i;
	return n;
}

int model_local(const struct model *m, const struct model_state *st, int w)
{
	const struct scenario_op *op = op_of(m, st, w);
	const struct scenario_group *g = &m->s->groups[m->w_group[w]];
	return st->w[w].state == WS_READY && op &&
	       (op->kind == OP_PRINT || op->kind == OP_SET_REGISTER) &&
	       st->w[w].pc + 1 < g->n_ops;
}

void model_stuck(const struct model *cm, struct model_state *st)
{
	struct model *m = (struct model *)cm;
	m->changed = 1;
	judge(m, st);
}

int model_step(const struct model *cm, struct model_state *st, int w)
{
	struct model *m = (struct model *)cm;   /* only its scratch changes */
	if (st->outcome != RUN_RUNNING || w < 0 || w >= m->n_workers)
		return -1;
	m->changed = 0;
	advance_clock(m, st);
	struct model_worker *v = &st->w[w];
	if (v->state != WS_READY)
		return -1;   /* the clock's move is what engine_step also keeps */
	const struct scenario_group *g = &m->s->groups[m->w_group[w]];
	v->state = WS_RUNNING;
	if (v->pc < g->n_ops)
		do_op(m, st, w, &g->ops[v->pc]);
	if (v->state == WS_RUNNING)
		v->state = WS_READY;
	/* worker_main(): the program's end, unless it ends asleep */
	if (v->state != WS_KILLED && v->pc >= g->n_ops && v->state != WS_SLEEPING) {
		int holds = 0;
		v->pc = g->n_ops;
		v->state = WS_DONE;
		v->waits_on = -1;
		for (int obj = 0; obj < m->s->n_objects; obj++)
			holds |= v->pholds[obj];
		if (holds)
			died(m, st, w, 1);
		m->changed = 1;
	}
	judge(m, st);
	return 0;
}

/* ---- packing ---------------------------------------------------------------------- */

/* Zigzag LEB128: small numbers in one byte, every number canonical. */
static unsigned char *put(unsigned char *p, long x)
{
	uint64_t z = ((uint64_t)x << 1) ^ (uint64_t)(x >> 63);
	while (z >= 0x80) {
		*p++ = (unsigned char)(z | 0x80);
		z >>= 7;
	}
	*p++ = (unsigned char)z;
	return p;
}

static const unsigned char *get(const unsigned char *p, long *x)
{
	uint64_t z = 0;
	int shift = 0;
	while (*p & 0x80) {
		z |= (uint64_t)(*p++ & 0x7f) << shift;
		shift += 7;
	}
	z |= (uint64_t)*p++ << shift;
	*x = (long)((z >> 1) ^ -(z & 1));
	return p;
}

/* One list of fields for both directions: IO(x) writes x, or reads it. */
struct codec {
	unsigned char *out;
	const unsigned char *in;
};

static void codec_io(struct codec *c, long *x)
{
	if (c->out)
		c->out = put(c->out, *x);
	else
		c->in = get(c->in, x);
}

#define IO(c, x) do { long t_ = (long)(x); codec_io((c), &t_); (x) = t_; } while (0)

static void codec_worker(const struct model *m, struct codec *c, struct model_worker *v)
{
	IO(c, v->pc); IO(c, v->state); IO(c, v->waits_on); IO(c, v->starting);
	IO(c, v->has_deadline); IO(c, v->timed_out); IO(c, v->phase); IO(c, v->depth);
	IO(c, v->qobj); IO(c, v->qpos); IO(c, v->reg); IO(c, v->wake_ms);
	IO(c, v->waited_gen);
	long lo = (long)(uint32_t)v->rng, hi = (long)(uint32_t)(v->rng >> 32);
	IO(c, lo); IO(c, hi);
	v->rng = (uint64_t)(uint32_t)lo | (uint64_t)(uint32_t)hi << 32;
	for (int obj = 0; obj < m->s->n_objects; obj++)
		if (kind_is(m->s->objects[obj].kind, KF_LOCKLIKE)) {
			IO(c, v->wholds[obj]);
			IO(c, v->pholds[obj]);
		}
}

static void codec_object(const struct model *m, struct codec *c, int i, struct model_object *o)
{
	const struct scenario_object *so = &m->s->objects[i];
	IO(c, o->value); IO(c, o->sem); IO(c, o->holders); IO(c, o->owner);
	IO(c, o->owner_died); IO(c, o->flag); IO(c, o->gen);
	IO(c, o->count_lost); IO(c, o->n_items);
	for (int k = 0; k < o->n_items && k < MODEL_MAX_ITEMS; k++)
		IO(c, o->items[k]);
	for (int k = 0; k < so->n_elems && k < SCENARIO_MAX_ELEMS; k++)
		IO(c, o->elems[k]);
}

static void codec_state(const struct model *m, struct codec *c, struct model_state *st)
{
	IO(c, st->clock); IO(c, st->outcome); IO(c, st->cycle_len);
	for (int i = 0; i < m->n_workers; i++)
		codec_worker(m, c, &st->w[i]);
	for (int i = 0; i < m->s->n_objects; i++)
		codec_object(m, c, i, &st->o[i]);
}

size_t model_pack_max(const struct model *m)
{
	/* 10 bytes a number at most */
	size_t per_worker = 15 + 2 * SCENARIO_MAX_OBJECTS;
	size_t per_object = 10 + MODEL_MAX_ITEMS + SCENARIO_MAX_ELEMS;
	return 10 * (3 + per_worker * (size_t)m->n_workers + per_object * SCENARIO_MAX_OBJECTS);
}

size_t model_pack(const struct model *m, const struct model_state *st, unsigned char *buf)
{
	struct codec c = { .out = buf };
	codec_state(m, &c, (struct model_state *)st);   /* writing leaves it as it is */
	return (size_t)(c.out - buf);
}

void model_unpack(const struct model *m, struct model_state *st, const unsigned char *buf)
{
	struct codec c = { .in = buf };
	struct model_worker *w = st->w;
	memset(st, 0, sizeof *st);
	st->w = w;
	memset(w, 0, (size_t)m->n_workers * sizeof *w);
	codec_state(m, &c, st);
}
