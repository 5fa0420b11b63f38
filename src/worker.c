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
#include "worker_priv.h"

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

/* Send what wk_add_event() gathered in one write: atomic up to PIPE_BUF. */
void wk_flush(struct worker *w)
{
	size_t off = 0;
	while (off < w->len) {
		ssize_t n = write(WORKER_EVENT_FD, w->buf + off, w->len - off);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			_exit(WORKER_EXIT_REPORT);   /* the controller is gone */
		}
		off += (size_t)n;
	}
	w->len = 0;
}

void wk_add_event(struct worker *w, enum event_kind kind, int object,
                      long value, long extra, const char *text, size_t text_len)
{
	struct wire_event ev;
	if (w->len + sizeof ev + WIRE_TEXT_MAX > sizeof w->buf)
		wk_flush(w);
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
void wk_report(struct worker *w, enum event_kind kind, int object, long value, long extra)
{
	wk_add_event(w, kind, object, value, extra, NULL, 0);
	if (!w->hold)
		wk_flush(w);
}

__attribute__((noreturn)) void wk_fail(struct worker *w, int object, const char *msg)
{
	wk_add_event(w, EV_ERROR, object, 0, 0, msg, strlen(msg));
	wk_flush(w);
	_exit(WORKER_EXIT_OP_FAILED);
}

static void wk_wait_gate(struct worker *w)
{
	while (sem_wait(&w->slot->gate) != 0)
		if (errno != EINTR)
			_exit(WORKER_EXIT_GATE);
}

void wk_set_state(struct worker *w, int state, int waits_on)
{
	w->slot->waits_on = waits_on;
	w->slot->state = state;
}

/* Say "waiting for obj"; in the os schedule that goes out before the
 * worker really blocks, so queues and cycles are drawn from it. */
void wk_announce_wait(struct worker *w, int obj)
{
	wk_set_state(w, WS_BLOCKED, obj);
	wk_report(w, EV_WAIT, obj, 0, 0);
}

void wk_done_op(struct worker *w)
{
	wk_set_state(w, WS_RUNNING, -1);
	w->slot->pc++;
	w->phase = 0;
}

struct timespec wk_deadline_after(struct worker *w, long ms)
{
	double secs = (double)ms / 1000.0 / (w->a->speed > 0 ? w->a->speed : 1.0);
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	long ns = (long)((secs - (double)(long)secs) * 1e9);
	t.tv_sec += (time_t)secs + (t.tv_nsec + ns) / 1000000000L;
	t.tv_nsec = (t.tv_nsec + ns) % 1000000000L;
	return t;
}

/* ---- the process -------------------------------------------------------- */

void worker_hygiene(pid_t controller, pid_t pgid, int devnull_fd, const int *keep, int n_keep)
{
	/* Own process group: the terminal's Ctrl-C goes to the controller,
	 * which decides; the controller kills the whole group at once. */
	setpgid(0, pgid);
	prctl(PR_SET_PDEATHSIG, SIGKILL);
	if (getppid() != controller)
		_exit(WORKER_EXIT_ORPHAN);   /* the controller died before prctl took effect */

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
		_exit(WORKER_EXIT_MEMORY);
	for (int i = 0; i < n_keep; i++) {
		moved[i] = keep[i] < 0 ? -1 : fcntl(keep[i], F_DUPFD_CLOEXEC, 3 + n_keep);
		if (keep[i] >= 0 && moved[i] < 0)
			_exit(WORKER_EXIT_FDS);
	}
	for (int i = 0; i < n_keep; i++)
		if (moved[i] >= 0 && dup2(moved[i], 3 + i) < 0)
			_exit(WORKER_EXIT_FDS);
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

	wk_set_state(&w, WS_READY, -1);
	wk_wait_gate(&w);   /* os: start together with the others */
	for (;;) {
		int last = 0;
		if (w.slot->pc < w.g->n_ops) {
			worker_do_op(&w);
			/* A program that ends in a sleep must still take that
			 * (virtual) time: the controller wakes it for its exit. */
			last = w.slot->pc >= w.g->n_ops &&
			       !(w.controlled && w.slot->state == WS_SLEEPING);
		} else {
			last = 1;
		}
		if (last) {
			wk_set_state(&w, WS_DONE, -1);
			wk_add_event(&w, EV_EXIT, -1, 0, 0, NULL, 0);
			wk_flush(&w);
			_exit(WORKER_EXIT_OK);
		}
		if (w.controlled) {
			wk_flush(&w);
			if (w.slot->state == WS_RUNNING)
				wk_set_state(&w, WS_READY, -1);
			wk_wait_gate(&w);
		}
	}
}
