/*
 * engine.c: the controller (see engine.h for the contract).
 *
 * The controller's picture of the run (struct engine_view) is built only
 * from the reports workers write to the event pipe, applied in pipe order,
 * plus the exits it reaps.  In the controlled schedules that picture is
 * exact, since one worker acts at a time; in the os schedule it is the
 * order the kernel let the reports through, which worker.c arranges to be
 * safe for queues and deadlock detection.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <sched.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "arena.h"
#include "deadlock.h"
#include "engine.h"
#include "manager.h"
#include "signals.h"
#include "worker.h"

#define MAX_CYCLE 64

struct choice {
	int worker;
	int kill;       /* 1: engine_kill_worker, 0: engine_step */
	long at_step;   /* view.steps when it was made */
};

struct engine {
	const struct scenario *s;
	struct engine_options o;
	int n_workers;
	int *w_group, *w_number;
	int *last_release;
	long unit[SCENARIO_MAX_OBJECTS];   /* |amount| shared by a value's updates */

	struct arena *arena;
	size_t arena_size;
	int ev_rd, ev_wr, devnull;
	int *pipe_fds;                     /* each OBJ_PIPE's read, write end */
	int n_pipes;
	pid_t pgid;
	int registry_slot;
	int live;                          /* forked, not yet reaped */

	struct engine_view view;
	struct worker_view *wv;
	struct object_view *ov;
	int *queues;                       /* n_objects rows of n_workers */
	int *ready, *ready_pos;            /* the READY workers, as a set */
	int n_ready;
	int n_ended;                       /* DONE or KILLED */
	int error_worker;                  /* said EV_ERROR, not reaped yet */
	int *exiting;                      /* said EV_EXIT, not yet reaped */
	int n_exiting;
	struct cycle_link cycle[MAX_CYCLE];
	int blocked_changed;               /* re-run deadlock_find */

	struct event *events;
	long n_events, cap_events;
	struct choice *choices;
	long n_choices, cap_choices;
	int rr_next;

	char rbuf[1 << 16];
	size_t rlen;
	struct timespec t0;
	long deadline_ms;                  /* wall clock, -1: none */

	cpu_set_t cpus;                    /* the affinity we were given */
	int have_cpus;

	void (*on_event)(void *, const struct event *);
	void *ctx;
	char *err;
	size_t errlen;
};

/* ---- the registry the fatal-signal path kills from ---------------------- */

#define REGISTRY_SIZE 16
static volatile pid_t registry[REGISTRY_SIZE];

static void registry_add(struct engine *e)
{
	for (int i = 0; i < REGISTRY_SIZE; i++)
		if (registry[i] == 0) {
			registry[i] = e->pgid;
			e->registry_slot = i;
			return;
		}
	e->registry_slot = -1;
}

static void registry_remove(struct engine *e)
{
	if (e->registry_slot >= 0)
		registry[e->registry_slot] = 0;
	e->registry_slot = -1;
}

void engine_kill_all_async(void)
{
	for (int i = 0; i < REGISTRY_SIZE; i++)
		if (registry[i] > 0)
			kill(-registry[i], SIGKILL);
}

/* ---- names ---------------------------------------------------------------- */

static const char *const schedule_names[SCHED_COUNT] = { "os", "random", "round-robin" };
static const char *const state_names[WS_COUNT] = {
	"ready", "running", "blocked", "sleeping", "done", "killed"
};
static const char *const event_names[EV_COUNT] = {
	"start", "wait", "acquired", "recovered", "released", "load", "store",
	"add", "sleep", "wake", "print", "error", "exit", "killed", "deadlock",
	"timeout", "set", "clear", "passed", "notify", "put", "get", "register",
	"jump", "request"
};
static const char *const outcome_names[] = {
	"running", "finished", "deadlock", "timeout", "stopped"
};

const char *schedule_name(enum schedule s) { return s < SCHED_COUNT ? schedule_names[s] : "?"; }
const char *worker_state_name(enum worker_state s) { return s < WS_COUNT ? state_names[s] : "?"; }
const char *event_kind_name(enum event_kind k) { return k < EV_COUNT ? event_names[k] : "?"; }
const char *outcome_name(enum run_outcome o) { return o <= RUN_STOPPED ? outcome_names[o] : "?"; }

int schedule_parse(const char *name, enum schedule *out)
{
	for (int i = 0; i < SCHED_COUNT; i++)
		if (strcmp(name, schedule_names[i]) == 0) {
			*out = (enum schedule)i;
			return 0;
		}
	if (strcmp(name, "roundrobin") == 0 || strcmp(name, "rr") == 0) {
		*out = SCHED_ROUND_ROBIN;
		return 0;
	}
	return -1;
}

static void set_err(struct engine *e, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	if (e->err && e->errlen)
		vsnprintf(e->err, e->errlen, fmt, ap);
	va_end(ap);
}

static int controlled(const struct engine *e)
{
	return e->o.schedule != SCHED_OS;
}

static long now_ms(const struct engine *e)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (t.tv_sec - e->t0.tv_sec) * 1000 + (t.tv_nsec - e->t0.tv_nsec) / 1000000;
}

/* ---- the trace ---------------------------------------------------------- */

static struct event *record_full(struct engine *e, int worker, int pc, enum event_kind kind,
                                 int object, long value, long extra, int elem,
                                 const char *text, size_t text_len)
{
	if (e->n_events == e->cap_events) {
		long cap = e->cap_events ? e->cap_events * 2 : 1024;
		struct event *n = realloc(e->events, (size_t)cap * sizeof *n);
		if (!n)
			return NULL;   /* out of memory: the trace loses the event */
		e->events = n;
		e->cap_events = cap;
	}
	struct event *ev = &e->events[e->n_events++];
	ev->step = controlled(e) ? e->view.steps : e->n_events;
	if (!controlled(e))
		e->view.clock_ms = now_ms(e);
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
		if (ev->text) {
			memcpy(ev->text, text, text_len);
			ev->text[text_len] = '\0';
		}
	}
	if (e->on_event)
		e->on_event(e->ctx, ev);
	return ev;
}

static struct event *record(struct engine *e, int worker, int pc, enum event_kind kind,
                            int object, long value, long extra, const char *text, size_t text_len)
{
	return record_full(e, worker, pc, kind, object, value, extra, 0, text, text_len);
}

static struct event *record_elem(struct engine *e, int worker, int pc, enum event_kind kind,
                                 int object, long value, long extra, int elem)
{
	return record_full(e, worker, pc, kind, object, value, extra, elem, NULL, 0);
}

/* ---- the picture: queues, holders, values ------------------------------ */

/* Every state change goes through here so the set of READY workers is
 * always at hand: picking and the clock then cost O(1), not a walk over
 * 1000 workers per step. */
static void set_state(struct engine *e, int w, enum worker_state st)
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

static void dequeue(struct engine *e, int obj, int w)
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
	int woken = 0, notify = e->s->objects[obj].kind == OBJ_CONDITION;
	for (int i = 0; i < o->queue_len && (n < 0 || woken < n); ) {
		int w = o->queue[i];
		if (e->wv[w].state != WS_BLOCKED || e->wv[w].waits_on != obj ||
		    (want >= 0 && op_at(e, w) != (enum op_kind)want)) {
			i++;
			continue;
		}
		woken++;
		if (controlled(e)) {
			set_state(e, w, WS_READY);
			if (notify) {
				e->wv[w].waits_on = -1;
				dequeue(e, obj, w);
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
	if (controlled(e))
		return;
	for (int i = 0; i < o->queue_len; ) {
		int w = o->queue[i];
		struct worker_view *v = &e->wv[w];
		if (v->state != WS_BLOCKED || v->waits_on != obj) {
			i++;
			continue;
		}
		dequeue(e, obj, w);
		if (so->kind == OBJ_CONDITION) {
			v->waits_on = so->lock;
			enqueue(e, so->lock, w);
		} else {
			v->waits_on = -1;
			set_state(e, w, WS_RUNNING);
		}
	}
}

static void update_value(struct engine *e, int obj, int elem, long now, long amount)
{
	struct object_view *o = &e->ov[obj];
	if (elem < 0 || elem >= SCENARIO_MAX_ELEMS)
		return;
	o->elems[elem] = now;
	o->elem_intended[elem] += amount;
	long gap = o->elem_intended[elem] - now;
	o->elem_lost[elem] = (gap < 0 ? -gap : gap) / e->unit[obj];
	o->updates++;
	if (elem == 0) {
		/* The element a plain value is: also in value/intended/lost. */
		o->value = now;
		if (now > o->peak)
			o->peak = (int)(now > INT_MAX ? INT_MAX : now);
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

static int is_mutex_kind(enum object_kind k)
{
	return k == OBJ_LOCK || k == OBJ_RLOCK;
}

static void took(struct engine *e, int w, int obj)
{
	struct object_view *o = &e->ov[obj];
	if (is_mutex_kind(e->s->objects[obj].kind) && o->owner >= 0 && o->owner != w) {
		/* os: EOWNERDEAD reached us before the owner's death did: the
		 * dead owner's hold is over. */
		e->wv[o->owner].holds[obj] = 0;
		o->holders--;
		o->owner = -1;
	}
	/* An RLock taken again by its owner is still one holder. */
	if (!(e->s->objects[obj].kind == OBJ_RLOCK && e->wv[w].holds[obj]))
		o->holders++;
	e->wv[w].holds[obj]++;
	if (o->holders > o->peak)
		o->peak = o->holders;
	if (is_mutex_kind(e->s->objects[obj].kind)) {
		o->owner = w;
		o->owner_died = 0;
	} else {
		o->value--;
	}
	dequeue(e, obj, w);
}

static void gave(struct engine *e, int w, int obj)
{
	struct object_view *o = &e->ov[obj];
	int mutex = is_mutex_kind(e->s->objects[obj].kind);
	if (e->wv[w].holds[obj]) {
		e->wv[w].holds[obj]--;
		if (!mutex || !e->wv[w].holds[obj])
			o->holders--;
	}
	if (mutex) {
		if (!e->wv[w].holds[obj]) {
			o->owner = -1;
			wake_waiters(e, obj, 1, -1);
		}
	} else {
		o->value++;
		wake_waiters(e, obj, 1, -1);
	}
}

/* A worker died before the end: what it held is now the lesson.  A robust
 * lock is free again (its next taker gets EOWNERDEAD); a semaphore's count
 * is gone for good. */
static void died(struct engine *e, int w, int status)
{
	struct worker_view *v = &e->wv[w];
	v->exit_status = status;
	if (v->state == WS_KILLED)
		return;
	/* A program may also end holding something: its exit lets go the
	 * same way a death does. */
	int finished = v->state == WS_DONE;
	if (!finished)
		set_state(e, w, WS_KILLED);
	for (int obj = 0; obj < e->s->n_objects; obj++) {
		struct object_view *o = &e->ov[obj];
		dequeue(e, obj, w);
		if (!v->holds[obj])
			continue;
		if (is_mutex_kind(e->s->objects[obj].kind)) {
			if (o->owner != w)
				continue;   /* os: the next owner recovered it already */
			o->holders--;
			o->owner = -1;
			o->owner_died = 1;
			wake_waiters(e, obj, 1, -1);
		} else {
			o->holders -= v->holds[obj];
			o->count_lost += v->holds[obj];
		}
	}
	v->waits_on = -1;
	e->blocked_changed = 1;
	if (finished) {
		memset(v->holds, 0, sizeof v->holds);   /* let go at its exit */
		return;
	}
	long how = WIFSIGNALED(status) ? WTERMSIG(status) : WEXITSTATUS(status);
	record(e, w, v->pc, EV_KILLED, -1, how, WIFSIGNALED(status), NULL, 0);
}

static void apply_request(struct engine *e, const struct wire_event *we)
{
	e->view.manager_requests++;
	record_elem(e, we->worker, we->pc, EV_REQUEST, we->object,
	            (long)we->value, (long)we->extra, we->elem);
}

static void apply(struct engine *e, const struct wire_event *we, const char *text)
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
	enum worker_state running = controlled(e) ? WS_READY : WS_RUNNING;

	if (kind != EV_EXIT && kind != EV_ERROR && kind != EV_WAIT && kind != EV_WAKE) {
		v->pc = we->pc + 1;
		if (!controlled(e))
			e->view.steps++;   /* os: count ops done, as a step count */
	}
	switch (kind) {
	case EV_WAIT:
		v->pc = we->pc;
		set_state(e, w, WS_BLOCKED);
		v->waits_on = obj;
		if (enqueue(e, obj, w) && op->kind == OP_ACQUIRE && op->timeout_ms > 0) {
			/* acquire-timeout: the deadline counts from the first try */
			v->has_deadline = 1;
			v->wake_ms = (controlled(e) ? e->view.clock_ms : now_ms(e)) +
			             (controlled(e) ? op->timeout_ms : (long)(op->timeout_ms / e->o.speed));
		}
		value = e->ov[obj].queue_len;   /* its place in the queue */
		extra = e->ov[obj].owner;       /* lock: who it waits for */
		if (e->s->objects[obj].kind == OBJ_BARRIER)
			e->ov[obj].arrived = e->ov[obj].queue_len;
		e->blocked_changed = 1;
		break;
	case EV_ACQUIRED:
	case EV_RECOVERED:
		took(e, w, obj);
		set_state(e, w, running);
		v->waits_on = -1;
		v->has_deadline = 0;
		value = e->ov[obj].holders;
		e->blocked_changed = 1;
		break;
	case EV_RELEASED:
		gave(e, w, obj);
		set_state(e, w, running);
		value = e->ov[obj].holders;
		e->blocked_changed = 1;
		break;
	case EV_TIMEOUT:
		dequeue(e, obj, w);
		set_state(e, w, running);
		v->waits_on = -1;
		v->has_deadline = 0;
		v->pc = (int)value;
		e->blocked_changed = 1;
		break;
	case EV_LOAD:
		v->reg = value;
		v->has_reg = 1;
		set_state(e, w, running);
		break;
	case EV_STORE:
	case EV_ADD:
		update_value(e, obj, we->elem, value, op->amount);
		set_state(e, w, running);
		break;
	case EV_SET:
		e->ov[obj].flag = 1;
		value = wake_waiters(e, obj, -1, OP_WAIT);
		released_all_os(e, obj);
		set_state(e, w, running);
		e->blocked_changed = 1;
		break;
	case EV_CLEAR:
		e->ov[obj].flag = 0;
		set_state(e, w, running);
		break;
	case EV_PASSED:
		dequeue(e, obj, w);
		set_state(e, w, running);
		v->waits_on = -1;
		if (e->s->objects[obj].kind == OBJ_CONDITION && e->ov[obj].value > 0)
			e->ov[obj].value--;   /* os: one pending notify used */
		if (e->s->objects[obj].kind == OBJ_BARRIER) {
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
		if (controlled(e)) {
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
		set_state(e, w, running);
		e->blocked_changed = 1;
		break;
	case EV_PUT:
		dequeue(e, obj, w);   /* a blocked put that went through */
		put_item(e, obj, value);
		wake_waiters(e, obj, 1, e->s->objects[obj].kind == OBJ_PIPE ? OP_RECV : OP_GET);
		set_state(e, w, running);
		e->blocked_changed = 1;
		break;
	case EV_GET:
		dequeue(e, obj, w);
		take_item(e, obj);
		v->reg = value;
		v->has_reg = 1;
		wake_waiters(e, obj, 1, OP_PUT);
		set_state(e, w, running);
		e->blocked_changed = 1;
		break;
	case EV_REGISTER:
		v->reg = value;
		v->has_reg = 1;
		set_state(e, w, running);
		break;
	case EV_JUMP:
		if (value >= 0)
			v->pc = (int)value;
		set_state(e, w, running);
		break;
	case EV_SLEEP:
		set_state(e, w, WS_SLEEPING);
		v->wake_ms = (controlled(e) ? e->view.clock_ms : now_ms(e)) + value;
		break;
	case EV_WAKE:
	case EV_PRINT:
		set_state(e, w, running);
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
		set_state(e, w, WS_DONE);
		v->waits_on = -1;
		e->blocked_changed = 1;
		break;
	default:
		break;
	}
	record_full(e, w, we->pc, kind, obj, value, extra, we->elem, text, we->text_len);
}

/* ---- reading the event pipe -------------------------------------------- */

/* Apply every complete report in the buffer.  Returns how many were from
 * worker `who` and `*done_who` is set when its step is complete. */
static void parse_reports(struct engine *e, int who, int *done_who)
{
	size_t off = 0;
	while (e->rlen - off >= sizeof(struct wire_event)) {
		struct wire_event we;
		memcpy(&we, e->rbuf + off, sizeof we);
		size_t need = sizeof we + we.text_len;
		if (e->rlen - off < need)
			break;
		apply(e, &we, we.text_len ? e->rbuf + off + sizeof we : NULL);
		off += need;
		/* A controlled step is one write (worker.h), so its reports
		 * arrive together: the first one from `who` completes it. */
		if (who >= 0 && we.worker == who && we.kind != EV_REQUEST && done_who)
			*done_who = 1;
	}
	memmove(e->rbuf, e->rbuf + off, e->rlen - off);
	e->rlen -= off;
}

/* Read what the pipe holds now (it is non-blocking). */
static void drain_pipe(struct engine *e, int who, int *done_who)
{
	for (;;) {
		ssize_t n = read(e->ev_rd, e->rbuf + e->rlen, sizeof e->rbuf - e->rlen);
		if (n > 0) {
			size_t room = sizeof e->rbuf - e->rlen;
			e->rlen += (size_t)n;
			parse_reports(e, who, done_who);
			/* A short read emptied the pipe: another read would only
			 * say EAGAIN.  poll() tells when there is more. */
			if ((size_t)n < room)
				return;
			continue;
		}
		if (n < 0 && errno == EINTR)
			continue;
		return;   /* EAGAIN, or EOF once every worker is gone */
	}
}

static int find_worker(const struct engine *e, pid_t pid)
{
	for (int w = 0; w < e->n_workers; w++)
		if (e->wv[w].pid == pid)
			return w;
	return -1;
}

static void reaped(struct engine *e, int w, int status, int who, int *done_who)
{
	e->live--;
	died(e, w, status);
	if (w == who && done_who)
		*done_who = 1;
}

/* Reap exited workers.  Those that said EV_EXIT are reaped by pid: a
 * waitpid on the whole group walks every child, which 1000 workers make
 * slow.  The group-wide walk still runs when asked (full), or when a
 * SIGCHLD came and no announced exit explains it, so a worker killed from
 * outside is noticed too.  A worker writes its last reports before it
 * exits, so the pipe is drained before judging how one ended. */
static void reap(struct engine *e, int who, int *done_who, int full)
{
	if (e->live <= 0)
		return;
	signals_drain_child();
	int by_pid = 0;
	for (int i = 0; i < e->n_exiting; ) {
		int w = e->exiting[i], st;
		if (waitpid(e->wv[w].pid, &st, WNOHANG) == e->wv[w].pid) {
			e->exiting[i] = e->exiting[--e->n_exiting];
			reaped(e, w, st, who, done_who);
			by_pid++;
		} else {
			i++;
		}
	}
	if (by_pid && !full)
		return;
	pid_t pids[64];
	int status[64];
	for (;;) {
		int n = 0;
		pid_t pid;
		int st;
		while (n < 64 && (pid = waitpid(-e->pgid, &st, WNOHANG)) > 0) {
			pids[n] = pid;
			status[n++] = st;
		}
		if (n == 0)
			return;
		drain_pipe(e, who, done_who);
		for (int i = 0; i < n; i++) {
			int w = find_worker(e, pids[i]);
			if (w < 0) {
				if (pids[i] == e->view.manager_pid) {
					e->live--;
					e->view.manager_alive = 0;
				}
				continue;
			}
			for (int k = 0; k < e->n_exiting; k++)
				if (e->exiting[k] == w)
					e->exiting[k] = e->exiting[--e->n_exiting];
			reaped(e, w, status[i], who, done_who);
		}
	}
}

/* ---- outcome ------------------------------------------------------------ */

static void judge(struct engine *e)
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
			deadlock_describe(e->s, e->wv, e->cycle, n, text, sizeof text);
			record(e, -1, 0, EV_DEADLOCK, -1, n, 0, text, strlen(text));
		}
	}
	if (e->view.cycle_len > 0)
		e->view.outcome = RUN_DEADLOCK;
	else if (alive == 0)
		e->view.outcome = RUN_FINISHED;
	else
		e->view.outcome = RUN_RUNNING;
}

/* ---- life cycle ------------------------------------------------------------ */

struct engine *engine_new(const struct scenario *s, const struct engine_options *o,
                          char *err, size_t errlen)
{
	struct engine *e = calloc(1, sizeof *e);
	if (!e) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	e->s = s;
	e->o = *o;
	if (e->o.speed <= 0)
		e->o.speed = 1;
	e->err = err;
	e->errlen = errlen;
	e->ev_rd = e->ev_wr = e->devnull = -1;
	e->registry_slot = -1;
	e->n_workers = scenario_worker_count(s);
	int n = e->n_workers;
	e->w_group = calloc((size_t)n, sizeof(int));
	e->w_number = calloc((size_t)n, sizeof(int));
	e->wv = calloc((size_t)n, sizeof *e->wv);
	e->ov = calloc(SCENARIO_MAX_OBJECTS, sizeof *e->ov);
	e->queues = calloc((size_t)n * (size_t)(s->n_objects ? s->n_objects : 1), sizeof(int));
	e->exiting = calloc((size_t)n, sizeof(int));
	e->ready = calloc((size_t)n, sizeof(int));
	e->ready_pos = calloc((size_t)n, sizeof(int));
	e->last_release = calloc((size_t)s->n_groups * SCENARIO_MAX_OBJECTS * 2, sizeof(int));
	e->pipe_fds = calloc(2 * SCENARIO_MAX_OBJECTS, sizeof(int));
	if (!e->w_group || !e->w_number || !e->wv || !e->ov || !e->queues || !e->exiting ||
	    !e->ready || !e->ready_pos || !e->last_release || !e->pipe_fds) {
		snprintf(err, errlen, "out of memory for %d workers", n);
		engine_free(e);
		return NULL;
	}
	for (int w = 0; w < n; w++) {
		int idx;
		e->w_group[w] = scenario_worker_group(s, w, &idx);
		e->w_number[w] = s->groups[e->w_group[w]].first_index + idx;
	}
	deadlock_last_releases(s, e->last_release);
	/* Lost updates are counted in units of the updates' own size, so a
	 * counter moved by -1 reports "37 updates lost", not "-37". */
	for (int obj = 0; obj < s->n_objects; obj++) {
		long unit = 0;
		for (int g = 0; g < s->n_groups; g++)
			for (int i = 0; i < s->groups[g].n_ops; i++) {
				const struct scenario_op *op = &s->groups[g].ops[i];
				if (op->object != obj || (op->kind != OP_STORE && op->kind != OP_ATOMIC_ADD))
					continue;
				long a = op->amount < 0 ? -op->amount : op->amount;
				unit = unit == 0 ? a : (unit == a ? unit : 1);
			}
		e->unit[obj] = unit > 0 ? unit : 1;
	}
	return e;
}

/* Fresh picture for a new run (engine_start and engine_restart). */
static void reset_view(struct engine *e)
{
	const struct scenario *s = e->s;
	for (long i = 0; i < e->n_events; i++)
		free(e->events[i].text);
	e->n_events = 0;
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
			o->value = so->kind == OBJ_QUEUE || so->kind == OBJ_PIPE ? 0 : so->initial;
			o->intended = o->value;
			o->flag = so->kind == OBJ_EVENT && so->initial;
			o->n_elems = so->n_elems;
			for (int i = 0; i < so->n_elems && i < SCENARIO_MAX_ELEMS; i++)
				o->elems[i] = o->elem_intended[i] = so->elems[i].initial;
			if (so->kind == OBJ_VALUE)
				o->peak = (int)o->value;
			o->queue = queue_row(e, obj);
		}
	}
}

static int open_channels(struct engine *e)
{
	int p[2];
	if (pipe2(p, O_CLOEXEC) < 0) {
		set_err(e, "cannot make the event pipe: %s", strerror(errno));
		return -1;
	}
	e->ev_rd = p[0];
	e->ev_wr = p[1];
	fcntl(e->ev_rd, F_SETFL, O_NONBLOCK);
	/* A larger pipe lets 1000 workers report without waiting for us. */
	fcntl(e->ev_wr, F_SETPIPE_SZ, 1 << 20);
	e->devnull = open("/dev/null", O_RDWR | O_CLOEXEC);
	if (e->devnull < 0) {
		set_err(e, "cannot open /dev/null: %s", strerror(errno));
		return -1;
	}
	return 0;
}

static int open_pipes(struct engine *e)
{
	e->n_pipes = 0;
	for (int i = 0; i < e->s->n_objects; i++)
		if (e->s->objects[i].kind == OBJ_PIPE) {
			if (pipe2(e->pipe_fds + 2 * e->n_pipes, O_CLOEXEC) < 0) {
				set_err(e, "cannot make a pipe: %s", strerror(errno));
				return -1;
			}
			e->n_pipes++;
		}
	return 0;
}

static void close_channels(struct engine *e)
{
	for (int i = 0; i < 2 * e->n_pipes; i++)
		close(e->pipe_fds[i]);
	e->n_pipes = 0;
	if (e->ev_rd >= 0)
		close(e->ev_rd);
	if (e->ev_wr >= 0)
		close(e->ev_wr);
	if (e->devnull >= 0)
		close(e->devnull);
	e->ev_rd = e->ev_wr = e->devnull = -1;
}

static void kill_and_reap(struct engine *e)
{
	if (e->live > 0 && e->pgid > 0)
		kill(-e->pgid, SIGKILL);
	while (e->live > 0) {
		int st;
		pid_t pid = waitpid(-e->pgid, &st, 0);
		if (pid < 0) {
			if (errno == EINTR)
				continue;
			break;   /* ECHILD: nobody left */
		}
		e->live--;
	}
	e->live = 0;
	registry_remove(e);
	e->pgid = 0;
}

static void teardown_run(struct engine *e)
{
	kill_and_reap(e);
	if (e->arena)
		arena_destroy(e->arena, e->s, e->arena_size);
	e->arena = NULL;
	close_channels(e);
}

/* In the controlled schedules exactly one process runs at a time, so
 * keeping the controller and its workers on one CPU turns every hand-off
 * into a local context switch instead of a cross-CPU wake-up (measured:
 * it halves the time per step with 1000 workers).  The os schedule gets
 * every CPU we were given: there, parallelism is the point. */
static void place_processes(struct engine *e)
{
	if (!e->have_cpus) {
		e->have_cpus = sched_getaffinity(0, sizeof e->cpus, &e->cpus) == 0;
		if (!e->have_cpus)
			return;
	}
	if (!controlled(e)) {
		sched_setaffinity(0, sizeof e->cpus, &e->cpus);
		return;
	}
	int cpu = sched_getcpu();
	if (cpu < 0 || !CPU_ISSET(cpu, &e->cpus))
		return;
	cpu_set_t one;
	CPU_ZERO(&one);
	CPU_SET(cpu, &one);
	sched_setaffinity(0, sizeof one, &one);
}

int engine_start(struct engine *e)
{
	const struct scenario *s = e->s;
	reset_view(e);
	e->arena = arena_create(s, e->n_workers, controlled(e), e->o.speed, e->o.seed,
	                        &e->arena_size);
	if (!e->arena) {
		set_err(e, "cannot make shared memory: %s", strerror(errno));
		return -1;
	}
	if (open_channels(e) < 0 || open_pipes(e) < 0) {
		teardown_run(e);
		return -1;
	}
	int with_manager = manager_needed(s);
	int *servers = NULL;
	if (with_manager) {
		/* One socket per worker, all held by the manager at once. */
		struct rlimit rl;
		if (getrlimit(RLIMIT_NOFILE, &rl) == 0 &&
		    rl.rlim_cur < (rlim_t)e->n_workers + 64 && rl.rlim_max > rl.rlim_cur) {
			rl.rlim_cur = rl.rlim_max;
			setrlimit(RLIMIT_NOFILE, &rl);
		}
		servers = calloc((size_t)e->n_workers, sizeof *servers);
		if (!servers) {
			set_err(e, "out of memory");
			teardown_run(e);
			return -1;
		}
	}
	clock_gettime(CLOCK_MONOTONIC, &e->t0);
	e->deadline_ms = e->o.timeout_s > 0 ? (long)(e->o.timeout_s * 1000.0) : -1;

	place_processes(e);   /* workers inherit it */

	/* No handler may run in a child before it resets them: block
	 * everything across the forks. */
	sigset_t all, old;
	sigfillset(&all);
	sigprocmask(SIG_SETMASK, &all, &old);
	pid_t me = getpid();
	int failed = 0, fork_errno = 0;
	for (int w = 0; w < e->n_workers; w++) {
		struct worker_start ws = {
			.scenario = s, .arena = e->arena, .index = w,
			.group = e->w_group[w], .number = e->w_number[w],
			.controller = me, .pgid = e->pgid,
			.event_fd = e->ev_wr, .devnull_fd = e->devnull,
			.manager_fd = -1, .pipe_fds = e->pipe_fds, .n_pipes = e->n_pipes,
		};
		int sv[2] = { -1, -1 };
		if (with_manager &&
		    socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv) < 0) {
			failed = w + 1;
			fork_errno = errno;
			break;
		}
		ws.manager_fd = sv[0];
		pid_t pid = fork();
		if (pid < 0) {
			failed = w + 1;
			fork_errno = errno;
			if (sv[0] >= 0) {
				close(sv[0]);
				close(sv[1]);
			}
			break;
		}
		if (pid == 0)
			worker_main(&ws);
		if (sv[0] >= 0) {
			close(sv[0]);
			servers[w] = sv[1];
		}
		/* Also here, so the group is right whichever side runs first. */
		if (e->pgid == 0) {
			e->pgid = pid;
			setpgid(pid, pid);
			registry_add(e);
		} else {
			setpgid(pid, e->pgid);
		}
		e->live++;
		e->wv[w].pid = pid;
		e->view.started++;
	}
	if (with_manager && !failed) {
		pid_t pid = fork();
		if (pid == 0)
			manager_main(s, me, e->pgid, e->ev_wr, e->devnull, servers, e->n_workers);
		if (pid < 0) {
			failed = e->n_workers + 1;
			fork_errno = errno;
		} else {
			setpgid(pid, e->pgid);
			e->live++;
			e->view.manager_pid = pid;
			e->view.manager_alive = 1;
			e->view.started++;
		}
	}
	if (servers) {
		for (int w = 0; w < e->n_workers; w++)
			if (servers[w] > 0)
				close(servers[w]);
		free(servers);
	}
	sigprocmask(SIG_SETMASK, &old, NULL);
	if (failed) {
		set_err(e, "cannot start worker %d of %d: %s", failed, e->n_workers,
		        strerror(fork_errno));
		teardown_run(e);
		return -1;
	}
	/* Only the workers write to the pipe: with our copy closed, EOF
	 * means every worker is gone. */
	close(e->ev_wr);
	e->ev_wr = -1;
	for (int w = 0; w < e->n_workers; w++)
		record(e, w, 0, EV_START, -1, e->wv[w].pid, 0, NULL, 0);
	if (!controlled(e))
		for (int w = 0; w < e->n_workers; w++) {
			set_state(e, w, WS_RUNNING);
			sem_post(&e->arena->slots[w].gate);
		}
	return 0;
}

void engine_free(struct engine *e)
{
	if (!e)
		return;
	teardown_run(e);
	if (e->have_cpus)
		sched_setaffinity(0, sizeof e->cpus, &e->cpus);
	for (long i = 0; i < e->n_events; i++)
		free(e->events[i].text);
	free(e->events);
	free(e->choices);
	free(e->w_group);
	free(e->w_number);
	free(e->wv);
	free(e->ov);
	free(e->queues);
	free(e->exiting);
	free(e->ready);
	free(e->ready_pos);
	free(e->last_release);
	free(e->pipe_fds);
	free(e);
}

/* ---- polling -------------------------------------------------------------- */

int engine_pollfds(struct engine *e, struct pollfd *fds, int max)
{
	int n = 0;
	if (n < max && e->ev_rd >= 0)
		fds[n++] = (struct pollfd){ .fd = e->ev_rd, .events = POLLIN };
	if (n < max)
		fds[n++] = (struct pollfd){ .fd = signals_child_fd(), .events = POLLIN };
	return n;
}

int engine_timeout_ms(struct engine *e)
{
	if (e->deadline_ms < 0 || e->view.outcome != RUN_RUNNING)
		return -1;
	long left = e->deadline_ms - now_ms(e);
	return left < 0 ? 0 : (left > INT_MAX ? INT_MAX : (int)left);
}

static void check_deadline(struct engine *e)
{
	if (e->deadline_ms >= 0 && e->view.outcome == RUN_RUNNING && now_ms(e) >= e->deadline_ms)
		e->view.outcome = RUN_TIMEOUT;
}

void engine_dispatch(struct engine *e, const struct pollfd *fds, int n)
{
	(void)fds;
	(void)n;
	/* Cheap either way, and a worker's exit must be judged after its
	 * last reports: so always both, in this order. */
	if (e->ev_rd >= 0)
		drain_pipe(e, -1, NULL);
	reap(e, -1, NULL, 1);
	if (!controlled(e))
		e->view.clock_ms = now_ms(e);
	judge(e);
	check_deadline(e);
}

/* ---- stepping (controlled schedules) ------------------------------------------ */

static int waits_with_deadline(const struct worker_view *v)
{
	return v->state == WS_BLOCKED && v->has_deadline;
}

/* Nobody can run but someone sleeps, or waits with a timeout: move the
 * clock to the first wake-up or deadline. */
static void advance_clock(struct engine *e)
{
	if (e->n_ready > 0)
		return;
	long next = LONG_MAX;
	for (int w = 0; w < e->n_workers; w++) {
		const struct worker_view *v = &e->wv[w];
		if ((v->state == WS_SLEEPING || waits_with_deadline(v)) && v->wake_ms < next)
			next = v->wake_ms;
	}
	if (next == LONG_MAX)
		return;
	if (next > e->view.clock_ms)
		e->view.clock_ms = next;
	for (int w = 0; w < e->n_workers; w++) {
		struct worker_view *v = &e->wv[w];
		if (v->wake_ms > e->view.clock_ms)
			continue;
		if (v->state == WS_SLEEPING) {
			set_state(e, w, WS_READY);
			record(e, w, v->pc, EV_WAKE, -1, 0, 0, NULL, 0);
		} else if (waits_with_deadline(v)) {
			/* The worker says EV_TIMEOUT at its next step. */
			e->arena->slots[w].timed_out = 1;
			dequeue(e, v->waits_on, w);
			v->waits_on = -1;
			v->has_deadline = 0;
			set_state(e, w, WS_READY);
			e->blocked_changed = 1;
		}
	}
}

static uint64_t mix(uint64_t x)
{
	x ^= x >> 33;
	x *= 0xff51afd7ed558ccdULL;
	x ^= x >> 33;
	x *= 0xc4ceb9fe1a85ec53ULL;
	return x ^ (x >> 33);
}

static int pick(struct engine *e)
{
	if (e->n_ready == 0)
		return -1;
	if (e->o.schedule == SCHED_ROUND_ROBIN) {
		for (int i = 0; i < e->n_workers; i++) {
			int w = (e->rr_next + i) % e->n_workers;
			if (e->wv[w].state == WS_READY) {
				e->rr_next = (w + 1) % e->n_workers;
				return w;
			}
		}
		return -1;
	}
	/* Stateless in the step number, and the ready set evolves the same
	 * way in a replay: the same step picks the same worker. */
	uint64_t r = mix(e->o.seed * 0x9e3779b97f4a7c15ULL + (uint64_t)e->view.steps + 1);
	return e->ready[r % (uint64_t)e->n_ready];
}

static void remember(struct engine *e, int w, int kill)
{
	if (e->n_choices == e->cap_choices) {
		long cap = e->cap_choices ? e->cap_choices * 2 : 1024;
		struct choice *n = realloc(e->choices, (size_t)cap * sizeof *n);
		if (!n)
			return;
		e->choices = n;
		e->cap_choices = cap;
	}
	e->choices[e->n_choices++] = (struct choice){ w, kill, e->view.steps };
}

static int holds_any(const struct engine *e, int w)
{
	for (int obj = 0; obj < e->s->n_objects; obj++)
		if (e->wv[w].holds[obj])
			return 1;
	return 0;
}

/* A step that ended its worker (an error, a crash, or the end of its
 * program while holding something) is not over until the process is:
 * only then has the kernel marked its robust mutexes owner-dead, and the
 * next step must find them so, every time, for a replay to be exact.
 * The process is already in _exit or SIGKILL: this wait is short. */
static void settle_exit(struct engine *e, int w)
{
	struct worker_view *v = &e->wv[w];
	int errored = e->error_worker == w;
	int ended_holding = v->state == WS_DONE && holds_any(e, w);
	if (v->state == WS_KILLED || !(errored || ended_holding))
		return;
	e->error_worker = -1;
	int st;
	pid_t got;
	while ((got = waitpid(v->pid, &st, 0)) < 0 && errno == EINTR)
		;
	if (got != v->pid)
		return;   /* reaped already */
	for (int k = 0; k < e->n_exiting; k++)
		if (e->exiting[k] == w)
			e->exiting[k] = e->exiting[--e->n_exiting];
	drain_pipe(e, -1, NULL);
	reaped(e, w, st, -1, NULL);
}

/* Open w's gate and wait (in poll, never on a primitive) for its report. */
static void do_step(struct engine *e, int w)
{
	remember(e, w, 0);
	e->view.steps++;
	set_state(e, w, WS_RUNNING);
	sem_post(&e->arena->slots[w].gate);
	int done = 0;
	while (!done) {
		struct pollfd fds[2] = {
			{ .fd = e->ev_rd, .events = POLLIN },
			{ .fd = signals_child_fd(), .events = POLLIN },
		};
		if (poll(fds, 2, -1) < 0) {
			if (errno == EINTR)
				continue;
			break;
		}
		if (fds[0].revents)
			drain_pipe(e, w, &done);
		if (fds[1].revents || (fds[0].revents & POLLHUP))
			reap(e, w, &done, 0);
		if ((fds[0].revents & POLLHUP) && e->live == 0)
			break;
	}
	settle_exit(e, w);
	judge(e);
}

static void why_not(struct engine *e, int w, char *why, size_t len)
{
	const struct worker_view *v = &e->wv[w];
	switch (v->state) {
	case WS_BLOCKED:
		snprintf(why, len, "%s is blocked on %s", v->name, e->s->objects[v->waits_on].name);
		break;
	case WS_SLEEPING:
		snprintf(why, len, "%s sleeps until %.1f s", v->name, (double)v->wake_ms / 1000.0);
		break;
	case WS_DONE:
		snprintf(why, len, "%s has finished", v->name);
		break;
	case WS_KILLED:
		snprintf(why, len, "%s is dead", v->name);
		break;
	default:
		snprintf(why, len, "%s cannot step now", v->name);
		break;
	}
}

int engine_can_step(const struct engine *e)
{
	if (!controlled(e) || !e->arena)
		return 0;
	if (e->view.outcome != RUN_RUNNING && e->view.outcome != RUN_DEADLOCK)
		return 0;
	if (e->n_ready > 0)
		return 1;
	for (int w = 0; w < e->n_workers; w++)
		if (e->wv[w].state == WS_SLEEPING || waits_with_deadline(&e->wv[w]))
			return 1;
	return 0;
}

int engine_step(struct engine *e, int w, char *why, size_t whylen)
{
	char dummy[8];
	if (!why) {
		why = dummy;
		whylen = sizeof dummy;
	}
	why[0] = '\0';
	if (!controlled(e)) {
		snprintf(why, whylen, "the os schedule runs by itself: the kernel decides");
		return -1;
	}
	if (!e->arena || (e->view.outcome != RUN_RUNNING && e->view.outcome != RUN_DEADLOCK)) {
		snprintf(why, whylen, "the run is over (%s)", outcome_name(e->view.outcome));
		return -1;
	}
	if (w >= e->n_workers) {
		snprintf(why, whylen, "there is no worker %d", w + 1);
		return -1;
	}
	advance_clock(e);
	if (w < 0) {
		w = pick(e);
		if (w < 0) {
			snprintf(why, whylen, "nobody can run: %s",
			         e->view.outcome == RUN_DEADLOCK ? "deadlock" : "everyone waits");
			return -1;
		}
	} else if (e->wv[w].state != WS_READY) {
		why_not(e, w, why, whylen);
		return -1;
	}
	do_step(e, w);
	return w;
}

int engine_kill_worker(struct engine *e, int w)
{
	if (w < 0 || w >= e->n_workers || !e->arena)
		return -1;
	struct worker_view *v = &e->wv[w];
	if (v->state == WS_DONE || v->state == WS_KILLED || v->pid <= 0)
		return -1;
	remember(e, w, 1);
	kill(v->pid, SIGKILL);
	/* SIGKILL cannot be caught: this wait is short and certain. */
	int st;
	pid_t got;
	while ((got = waitpid(v->pid, &st, 0)) < 0 && errno == EINTR)
		;
	if (got == v->pid) {
		drain_pipe(e, -1, NULL);
		reaped(e, w, st, -1, NULL);
	}
	judge(e);
	return 0;
}

int engine_restart(struct engine *e, long steps, char *why, size_t whylen)
{
	char dummy[8];
	if (!why) {
		why = dummy;
		whylen = sizeof dummy;
	}
	if (steps > 0 && !controlled(e)) {
		snprintf(why, whylen, "the os schedule cannot be replayed");
		return -1;
	}
	if (steps < 0)
		steps = 0;
	long n = e->n_choices;
	struct choice *saved = NULL;
	if (n) {
		saved = malloc((size_t)n * sizeof *saved);
		if (!saved) {
			snprintf(why, whylen, "out of memory");
			return -1;
		}
		memcpy(saved, e->choices, (size_t)n * sizeof *saved);
	}
	teardown_run(e);
	e->n_choices = 0;
	if (engine_start(e) < 0) {
		snprintf(why, whylen, "%s", e->err ? e->err : "cannot restart");
		free(saved);
		return -1;
	}
	for (long i = 0; i < n && saved[i].at_step < steps; i++) {
		if (saved[i].kill) {
			engine_kill_worker(e, saved[i].worker);
		} else {
			advance_clock(e);
			if (e->wv[saved[i].worker].state != WS_READY)
				break;   /* cannot happen in a deterministic replay */
			do_step(e, saved[i].worker);
		}
	}
	free(saved);
	return 0;
}

/* ---- headless ------------------------------------------------------------- */

static int stop_requested(int stop_fd)
{
	if (stop_fd < 0)
		return 0;
	struct pollfd p = { .fd = stop_fd, .events = POLLIN };
	return poll(&p, 1, 0) > 0;
}

enum run_outcome engine_run(struct engine *e,
                            void (*on_event)(void *ctx, const struct event *ev),
                            void *ctx, int stop_fd)
{
	e->on_event = on_event;
	e->ctx = ctx;
	/* Events recorded before we were given the callback (the starts). */
	if (on_event)
		for (long i = 0; i < e->n_events; i++)
			on_event(ctx, &e->events[i]);
	if (controlled(e)) {
		while (e->view.outcome == RUN_RUNNING) {
			/* Steps take microseconds: a stop check every 64 is plenty. */
			if ((e->view.steps & 63) == 0) {
				if (stop_requested(stop_fd)) {
					e->view.outcome = RUN_STOPPED;
					break;
				}
				check_deadline(e);
				if (e->view.outcome != RUN_RUNNING)
					break;
			}
			if (engine_step(e, -1, NULL, 0) < 0) {
				/* Before a verdict, make sure no death went unseen. */
				reap(e, -1, NULL, 1);
				e->blocked_changed = 1;
				judge(e);
				if (e->view.outcome == RUN_RUNNING)
					break;   /* nobody can run and no cycle: cannot happen */
			}
		}
	} else {
		while (e->view.outcome == RUN_RUNNING) {
			struct pollfd fds[4];
			int n = engine_pollfds(e, fds, 3);
			int k = n;
			if (stop_fd >= 0)
				fds[k++] = (struct pollfd){ .fd = stop_fd, .events = POLLIN };
			int rc = poll(fds, (nfds_t)k, engine_timeout_ms(e));
			if (rc < 0 && errno != EINTR)
				break;
			if (stop_fd >= 0 && (fds[n].revents & POLLIN)) {
				e->view.outcome = RUN_STOPPED;
				break;
			}
			engine_dispatch(e, fds, n);
			if (e->ev_rd >= 0 && e->live == 0) {
				drain_pipe(e, -1, NULL);
				judge(e);
				if (e->view.outcome == RUN_RUNNING)
					break;
			}
		}
	}
	e->on_event = NULL;
	e->ctx = NULL;
	return e->view.outcome;
}

const struct engine_view *engine_view(const struct engine *e)
{
	return &e->view;
}

const struct event *engine_events(const struct engine *e, long *count)
{
	*count = e->n_events;
	return e->events;
}

enum run_outcome engine_outcome(const struct engine *e)
{
	return e->view.outcome;
}
