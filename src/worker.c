/*
 * worker.c: the child process (see worker.h).
 *
 * A worker is deliberately dumb: it does the op it is at on the real
 * primitive and says what happened.  All bookkeeping (queues, holders,
 * the clock, deadlock) is the controller's.
 *
 * Controlled schedules: before each op the worker waits on its gate; then
 * it does the op without ever blocking (trylock / sem_trywait: "busy" is a
 * report, and the controller lets it try again when the object is freed),
 * and a sleep is only announced (the controller's virtual clock parks it).
 * The os schedule: the worker waits on its gate once, to start with the
 * others, then runs its whole program, blocking in the kernel for real.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
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
	char name[SCENARIO_MAX_NAME + 12];
	uint64_t rng;
	/* A report being built: header, text, and maybe an EV_EXIT after it. */
	char buf[2 * sizeof(struct wire_event) + WIRE_TEXT_MAX];
	size_t len;
	/* Controlled schedules: gather a step's reports and send them in one
	 * write at its end (with the EV_EXIT after a last op), one wake-up
	 * of the controller per step. */
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

static void add_event(struct worker *w, enum event_kind kind, int object,
                      long value, long extra, const char *text, size_t text_len)
{
	struct wire_event ev;
	memset(&ev, 0, sizeof ev);
	ev.worker = w->ws->index;
	ev.pc = (int16_t)w->slot->pc;
	ev.kind = (uint8_t)kind;
	ev.object = (int8_t)object;
	ev.value = value;
	ev.extra = extra;
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

/* Send what add_event() gathered in one write: atomic up to PIPE_BUF. */
static void flush_events(struct worker *w)
{
	size_t off = 0;
	while (off < w->len) {
		ssize_t n = write(w->ws->event_fd, w->buf + off, w->len - off);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			_exit(3);   /* the controller is gone */
		}
		off += (size_t)n;
	}
	w->len = 0;
}

static void report(struct worker *w, enum event_kind kind, int object, long value, long extra)
{
	add_event(w, kind, object, value, extra, NULL, 0);
	if (!w->hold)
		flush_events(w);
}

__attribute__((noreturn)) static void fail(struct worker *w, const char *msg)
{
	add_event(w, EV_ERROR, w->s->groups[w->ws->group].ops[w->slot->pc].object,
	          0, 0, msg, strlen(msg));
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

/* ---- the ops ------------------------------------------------------------ */

/* Try to take OBJ without blocking: 1 taken, 0 busy.  EOWNERDEAD (the
 * last holder died holding the lock) is a success: make the mutex
 * consistent, or it becomes unusable for ever. */
static int try_acquire(struct worker *w, int obj, int *recovered)
{
	struct arena_object *o = &w->a->objects[obj];
	*recovered = 0;
	if (w->s->objects[obj].kind == OBJ_LOCK) {
		int rc = pthread_mutex_trylock(&o->mutex);
		if (rc == EOWNERDEAD) {
			pthread_mutex_consistent(&o->mutex);
			*recovered = 1;
			return 1;
		}
		if (rc == EBUSY)
			return 0;
		if (rc == EDEADLK)
			fail(w, "acquire of a lock it already holds (a Lock is not re-entrant)");
		if (rc)
			fail(w, strerror(rc));
		return 1;
	}
	if (sem_trywait(&o->sem) == 0)
		return 1;
	if (errno == EAGAIN || errno == EINTR)
		return 0;
	fail(w, strerror(errno));
}

static void acquire_blocking(struct worker *w, int obj, int *recovered)
{
	struct arena_object *o = &w->a->objects[obj];
	*recovered = 0;
	if (w->s->objects[obj].kind == OBJ_LOCK) {
		int rc = pthread_mutex_lock(&o->mutex);
		if (rc == EOWNERDEAD) {
			pthread_mutex_consistent(&o->mutex);
			*recovered = 1;
		} else if (rc == EDEADLK) {
			fail(w, "acquire of a lock it already holds (a Lock is not re-entrant)");
		} else if (rc) {
			fail(w, strerror(rc));
		}
		return;
	}
	while (sem_wait(&o->sem) != 0)
		if (errno != EINTR)
			fail(w, strerror(errno));
}

static void do_acquire(struct worker *w, int obj, int may_block)
{
	int recovered;
	if (!try_acquire(w, obj, &recovered)) {
		/* Say so before blocking: the controller draws the queue and
		 * looks for cycles from these reports. */
		set_state(w, WS_BLOCKED, obj);
		report(w, EV_WAIT, obj, 0, 0);
		if (!may_block)
			return;
		acquire_blocking(w, obj, &recovered);
	}
	w->slot->holds[obj]++;
	set_state(w, WS_RUNNING, -1);
	report(w, recovered ? EV_RECOVERED : EV_ACQUIRED, obj, 0, 0);
	w->slot->pc++;
}

/* os: report, then release, so nobody is seen taking what is still held.
 * Controlled: release, then report, so the next step (which the
 * controller starts only after this report) finds the object free. */
static void do_release(struct worker *w, int obj, int controlled)
{
	struct arena_object *o = &w->a->objects[obj];
	int is_lock = w->s->objects[obj].kind == OBJ_LOCK;
	if (is_lock && !w->slot->holds[obj])
		fail(w, "release of a lock it does not hold (Python: RuntimeError: release unlocked lock)");
	/* A semaphore may be released by anyone, as in Python. */
	if (w->slot->holds[obj])
		w->slot->holds[obj]--;
	if (!controlled)
		report(w, EV_RELEASED, obj, 0, 0);
	if (is_lock) {
		int rc = pthread_mutex_unlock(&o->mutex);
		if (rc)
			fail(w, strerror(rc));
	} else if (sem_post(&o->sem)) {
		fail(w, strerror(errno));
	}
	if (controlled)
		report(w, EV_RELEASED, obj, 0, 0);
	w->slot->pc++;
}

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
	double secs = (double)ms / 1000.0 / (w->a->speed > 0 ? w->a->speed : 1.0);
	struct timespec ts = { (time_t)secs, (long)((secs - (double)(time_t)secs) * 1e9) };
	while (nanosleep(&ts, &ts) != 0 && errno == EINTR)
		;
}

static void expand_print(struct worker *w, const char *tmpl, char *out, size_t len)
{
	size_t o = 0;
	for (const char *p = tmpl; *p && o + 1 < len; ) {
		if (strncmp(p, "{name}", 6) == 0) {
			size_t n = strlen(w->name);
			if (o + n >= len)
				break;
			memcpy(out + o, w->name, n);
			o += n;
			p += 6;
		} else {
			out[o++] = *p++;
		}
	}
	out[o] = '\0';
}

/* Do the op at pc once.  Controlled: never blocks. */
static void do_op(struct worker *w, int controlled)
{
	const struct scenario_op *op = &w->g->ops[w->slot->pc];
	volatile long *value = op->object >= 0 ? &w->a->objects[op->object].value : NULL;
	set_state(w, WS_RUNNING, -1);
	switch (op->kind) {
	case OP_ACQUIRE:
		do_acquire(w, op->object, !controlled);
		return;
	case OP_RELEASE:
		do_release(w, op->object, controlled);
		return;
	case OP_LOAD:
		w->slot->reg = *value;
		report(w, EV_LOAD, op->object, w->slot->reg, 0);
		break;
	case OP_STORE: {
		/* The lesson's write-back: whatever happened since the load is
		 * overwritten.  extra carries the value found, for the trace. */
		long found = *value;
		*value = w->slot->reg + op->amount;
		report(w, EV_STORE, op->object, w->slot->reg + op->amount, found);
		break;
	}
	case OP_ATOMIC_ADD: {
		long now = __atomic_add_fetch(value, op->amount, __ATOMIC_SEQ_CST);
		report(w, EV_ADD, op->object, now, 0);
		break;
	}
	case OP_SLEEP: {
		long ms = pick_sleep(w, op);
		set_state(w, WS_SLEEPING, -1);
		report(w, EV_SLEEP, -1, ms, 0);
		if (!controlled) {
			real_sleep(w, ms);
			report(w, EV_WAKE, -1, ms, 0);
		}
		break;
	}
	case OP_PRINT: {
		char text[WIRE_TEXT_MAX];
		expand_print(w, op->text, text, sizeof text);
		add_event(w, EV_PRINT, -1, 0, 0, text, strlen(text));
		if (!w->hold)
			flush_events(w);
		break;
	}
	default:
		fail(w, "unknown op");
	}
	w->slot->pc++;
}

/* ---- the process -------------------------------------------------------- */

/* Everything a child must do before running anything else (DESIGN.md,
 * "Processes"), in an order that leaves no window where the controller
 * could die unnoticed. */
static void child_hygiene(const struct worker_start *ws)
{
	/* Own process group: the terminal's Ctrl-C goes to the controller,
	 * which decides; the controller kills the whole group at once. */
	setpgid(0, ws->pgid);
	prctl(PR_SET_PDEATHSIG, SIGKILL);
	if (getppid() != ws->controller)
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

	/* Never touch the terminal; keep only the event pipe (as fd 3). */
	dup2(ws->devnull_fd, 0);
	dup2(ws->devnull_fd, 1);
	dup2(ws->devnull_fd, 2);
	if (ws->event_fd != 3) {
		if (dup2(ws->event_fd, 3) < 0)
			_exit(6);
	}
	fcntl(3, F_SETFD, 0);
	close_range(4, ~0U, 0);
}

void worker_main(const struct worker_start *ws)
{
	child_hygiene(ws);

	struct worker w;
	memset(&w, 0, sizeof w);
	struct worker_start local = *ws;
	local.event_fd = 3;
	w.ws = &local;
	w.s = ws->scenario;
	w.g = &w.s->groups[ws->group];
	w.a = ws->arena;
	w.slot = &w.a->slots[ws->index];
	w.rng = worker_rng_seed(w.a->seed, ws->index);
	worker_name(w.s, ws->group, ws->number, w.name, sizeof w.name);
	w.slot->pid = getpid();

	int controlled = w.a->controlled;
	w.hold = controlled;
	set_state(&w, WS_READY, -1);
	wait_gate(&w);   /* os: start together with the others */
	for (;;) {
		if (w.slot->pc < w.g->n_ops)
			do_op(&w, controlled);
		if (w.slot->pc >= w.g->n_ops) {
			set_state(&w, WS_DONE, -1);
			add_event(&w, EV_EXIT, -1, 0, 0, NULL, 0);
			flush_events(&w);
			_exit(0);
		}
		if (controlled) {
			flush_events(&w);
			if (w.slot->state == WS_RUNNING)
				set_state(&w, WS_READY, -1);
			wait_gate(&w);
		}
	}
}
