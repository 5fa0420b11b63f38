/*
 * schedule.c: the controlled schedules (random, round-robin, and the
 * student's own picks): the virtual clock, who steps next, one step,
 * killing a worker, and replaying a run to a given step (see engine.h).
 */
#include "config.h"

#include <errno.h>
#include <limits.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

#include "i18n.h"
#include "words.h"
#include "engine_priv.h"
#include "signals.h"

/* ---- names ---------------------------------------------------------------- */

static const char *const schedule_names[SCHED_COUNT] = { "os", "random", "round-robin" };

const char *schedule_name(enum schedule s) { return s < SCHED_COUNT ? schedule_names[s] : "?"; }

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

/* ---- stepping (controlled schedules) ------------------------------------------ */

static int waits_with_deadline(const struct worker_view *v)
{
	return v->state == WS_BLOCKED && v->has_deadline;
}

/* Nobody can run but someone sleeps, or waits with a timeout: move the
 * clock to the first wake-up or deadline. */
static void advance_clock(struct engine *e)
{
	if (e->pic.n_ready > 0)
		return;
	long next = LONG_MAX;
	for (int w = 0; w < e->n_workers; w++) {
		const struct worker_view *v = &e->wv[w];
		if ((v->state == WS_SLEEPING || waits_with_deadline(v)) && v->wake_ms < next)
			next = v->wake_ms;
	}
	if (next == LONG_MAX)
		return;
	if (next > e->pic.view.clock_ms)
		e->pic.view.clock_ms = next;
	/* A main process busy starting the others goes on after the last
	 * start it made (pass 1), whatever its number. */
	for (int pass = 0; pass < 2; pass++)
		for (int w = 0; w < e->n_workers; w++) {
			const struct worker_view *v = &e->wv[w];
			if (v->wake_ms > e->pic.view.clock_ms || (v->starting == 2) != pass)
				continue;
			/* A worker whose acquire timed out says EV_TIMEOUT at
			 * its next step: its slot tells it so. */
			if (picture_wake(&e->pic, w) == PW_TIMED_OUT)
				e->arena->slots[w].timed_out = 1;
		}
}

void schedule_start_workers(struct engine *e)
{
	e->last_stepped = -1;
	e->pic.view.switch_p = e->o.schedule == SCHED_RANDOM ? e->o.switch_p : 1;
	e->pic.view.plan_file = e->o.plan_len > 0 ? e->o.plan_file : NULL;
	long cost = e->s->process_start_ms;
	engine_tick(e);
	if (!engine_controlled(e) || cost <= 0) {
		for (int w = 0; w < e->n_workers; w++)
			picture_record(&e->pic, w, 0, EV_START, -1, e->wv[w].pid, 0, NULL, 0);
		if (!engine_controlled(e))
			for (int w = 0; w < e->n_workers; w++) {
				picture_set_state(&e->pic, w, WS_RUNNING);
				sem_post(&e->arena->slots[w].gate);
			}
		return;
	}
	/* The parent starts its processes one after another (the manager
	 * first: `with Manager() as m:` comes before them), so the k-th can
	 * begin only once k starts are over.  A parent group stands for the
	 * main process itself: running from the first moment, but busy until
	 * it has started them all. */
	long k = e->pic.view.manager_pid ? 1 : 0;
	for (int w = 0; w < e->n_workers; w++) {
		struct worker_view *v = &e->wv[w];
		if (e->s->groups[v->group].parent)
			continue;
		picture_starting(&e->pic, w, ++k * cost, 1);
	}
	for (int w = 0; w < e->n_workers; w++) {
		struct worker_view *v = &e->wv[w];
		if (!e->s->groups[v->group].parent)
			continue;
		picture_record(&e->pic, w, 0, EV_START, -1, v->pid, 0, NULL, 0);
		if (k == 0)
			continue;
		picture_starting(&e->pic, w, k * cost, 2);
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
	if (e->pic.n_ready == 0)
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
	uint64_t r = mix(e->o.seed * 0x9e3779b97f4a7c15ULL + (uint64_t)e->pic.view.steps + 1);
	/* The switch dial: with chance 1 - switch_p the worker that ran last
	 * goes on (when it can), as if no interrupt came.  A second draw, so
	 * that at 1 the picks are the ones they always were. */
	int last = e->last_stepped;
	if (e->o.switch_p < 1 && last >= 0 && e->wv[last].state == WS_READY) {
		uint64_t u = mix(r ^ 0x5851f42d4c957f2dULL) >> 11;   /* 53 bits */
		if ((double)u / 9007199254740992.0 >= e->o.switch_p)
			return last;
	}
	return e->pic.ready[r % (uint64_t)e->pic.n_ready];
}

/* Keep each choice for step back, up to ENGINE_BACK_STEPS steps: past
 * them the run goes on, and step back reaches what was kept (e->reach).
 * A choice that cannot be kept fails the run: a replay without it would
 * replay something else. */
static void keep_choice(struct engine *e, int w, int kill, long at_step)
{
	plan_note(e, w, kill);
	if (at_step > e->reach)
		return;
	if (at_step >= ENGINE_BACK_STEPS) {
		e->reach = at_step;   /* the steps before this one are all kept */
		return;
	}
	if (e->n_choices == e->cap_choices) {
		long cap = e->cap_choices ? e->cap_choices * 2 : 1024;
		struct choice *n = realloc(e->choices, (size_t)cap * sizeof *n);
		if (!n) {
			engine_fail(e, "out of memory for step %ld's choice (kept for step back)",
			            e->pic.view.steps + 1);
			return;
		}
		e->choices = n;
		e->cap_choices = cap;
	}
	e->choices[e->n_choices++] = (struct choice){ w, kill, at_step };
}

static void remember(struct engine *e, int w, int kill)
{
	if (!e->replay)   /* a replay keeps the choices it replays */
		keep_choice(e, w, kill, e->pic.view.steps);
}

static int holds_any(const struct engine *e, int w)
{
	for (int obj = 0; obj < e->s->n_objects; obj++)
		if (e->wv[w].holds[obj])
			return 1;
	return 0;
}

/* Worker w neither answered nor died in time (stopped from outside,
 * say): say so, and kill it, so the step ends. */
static void unanswered(struct engine *e, int w)
{
	char text[160];
	engine_reap(e, -1, NULL);   /* a death whose SIGCHLD we missed? */
	if (e->wv[w].pid <= 0 || e->reaped[w])
		return;
	snprintf(text, sizeof text, _("%s did not answer for %d s: stopped from outside? "
	         "It is killed."), e->wv[w].name, ENGINE_ANSWER_MS / 1000);
	engine_tick(e);
	picture_record(&e->pic, w, e->wv[w].pc, EV_ERROR, -1, 0, 0, text, strlen(text));
	engine_drain_pipe(e, -1, NULL);
	kill(e->wv[w].pid, SIGKILL);
	engine_reap_worker(e, w, 1);   /* SIGKILL ends even a stopped process */
}

/* Wait in poll() until *done (w's report came, or w was reaped), the
 * stop fd or the deadline interrupts (the outcome says which), or
 * ENGINE_ANSWER_MS pass without either (then unanswered()).  Blocks on
 * nothing else, so no worker can hang the controller. */
static void await_worker(struct engine *e, int w, int *done)
{
	long give_up = engine_now_ms(e) + ENGINE_ANSWER_MS;
	while (!*done && !engine_failed(e)) {
		long now = engine_now_ms(e), left = give_up - now;
		if (!e->replay && e->deadline_ms >= 0 && e->deadline_ms - now < left)
			left = e->deadline_ms - now;
		struct pollfd fds[3] = {
			{ .fd = e->ev_rd, .events = POLLIN },
			{ .fd = signals_child_fd(), .events = POLLIN },
			{ .fd = e->stop_fd, .events = POLLIN },
		};
		int rc = poll(fds, 3, left < 0 ? 0 : (int)left);
		if (rc < 0 && errno != EINTR)
			break;
		if (rc > 0 && fds[0].revents)
			engine_drain_pipe(e, w, done);
		if (rc > 0 && (fds[1].revents || (fds[0].revents & POLLHUP)))
			engine_reap(e, w, done);
		/* A stop that came with the report counts too: else a replay
		 * whose workers answer at once would never see it. */
		if (rc > 0 && fds[2].revents)
			engine_interrupted(e);
		if (*done || engine_interrupted(e))
			return;
		if (engine_now_ms(e) >= give_up) {
			unanswered(e, w);
			return;
		}
	}
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
	engine_drain_pipe(e, -1, NULL);
	engine_reap_worker(e, w, 0);
	while (!e->reaped[w] && !engine_failed(e) && !engine_interrupted(e)) {
		int reaped = 0;
		await_worker(e, w, &reaped);
	}
}

/* Open w's gate and wait (in poll, never on a primitive) for its report. */
static void do_step(struct engine *e, int w)
{
	remember(e, w, 0);
	e->last_stepped = w;
	/* Round-robin goes on after whoever stepped last, picked or not, so
	 * that a replay (step back, a --replay file) leaves it where the run
	 * it replays left it. */
	e->rr_next = (w + 1) % e->n_workers;
	e->pic.view.steps++;
	picture_stepping(&e->pic, w);
	sem_post(&e->arena->slots[w].gate);
	int done = 0;
	await_worker(e, w, &done);
	if (done)
		settle_exit(e, w);
	picture_judge(&e->pic);
}

void schedule_why_not(struct engine *e, int w, char *why, size_t len)
{
	const struct worker_view *v = &e->wv[w];
	switch (v->state) {
	case WS_BLOCKED:
		snprintf(why, len, _("%s is blocked on %s"), v->name, e->s->objects[v->waits_on].name);
		break;
	case WS_SLEEPING:
		/* Millisecond precision: a Process.start() costs 0.020 s, and
		 * "until 0.0 s" would read as "now". */
		if (v->starting == 1)
			snprintf(why, len, _("%s is not started yet: it starts at %.3f s"), v->name,
			         (double)v->wake_ms / 1000.0);
		else if (v->starting == 2)
			snprintf(why, len, _("%s is starting the other processes until %.3f s"),
			         v->name, (double)v->wake_ms / 1000.0);
		else
			snprintf(why, len, _("%s sleeps until %.3f s"), v->name,
			         (double)v->wake_ms / 1000.0);
		break;
	case WS_DONE:
		snprintf(why, len, _("%s has finished"), v->name);
		break;
	case WS_KILLED:
		snprintf(why, len, _("%s is dead"), v->name);
		break;
	default:
		snprintf(why, len, _("%s cannot step now"), v->name);
		break;
	}
}

int schedule_can_step(const struct engine *e)
{
	if (!engine_controlled(e) || !e->arena)
		return 0;
	if (e->pic.view.outcome != RUN_RUNNING && e->pic.view.outcome != RUN_DEADLOCK)
		return 0;
	if (e->pic.n_ready > 0)
		return 1;
	for (int w = 0; w < e->n_workers; w++)
		if (e->wv[w].state == WS_SLEEPING || waits_with_deadline(&e->wv[w]))
			return 1;
	return 0;
}

int schedule_step(struct engine *e, int w, char *why, size_t whylen)
{
	char dummy[8];
	if (!why) {
		why = dummy;
		whylen = sizeof dummy;
	}
	why[0] = '\0';
	if (!engine_controlled(e)) {
		snprintf(why, whylen, _("the os schedule runs by itself: the kernel decides"));
		return -1;
	}
	if (!e->arena || (e->pic.view.outcome != RUN_RUNNING && e->pic.view.outcome != RUN_DEADLOCK)) {
		snprintf(why, whylen, _("the run is over (%s)"), words_outcome(e->pic.view.outcome));
		return -1;
	}
	if (w >= e->n_workers) {
		snprintf(why, whylen, _("there is no worker %d"), w + 1);
		return -1;
	}
	if (e->replay) {
		snprintf(why, whylen, _("a replay is under way"));
		return -1;
	}
	if (w < 0 && plan_kills(e, why, whylen) < 0)
		return -1;
	advance_clock(e);
	if (w < 0 && (w = plan_next(e, why, whylen)) == -2)
		return -1;
	if (w < 0) {
		w = pick(e);
		if (w < 0) {
			snprintf(why, whylen, _("nobody can run: %s"),
			         e->pic.view.outcome == RUN_DEADLOCK ? _("deadlock") : _("everyone waits"));
			return -1;
		}
	} else if (e->wv[w].state != WS_READY) {
		schedule_why_not(e, w, why, whylen);
		return -1;
	}
	do_step(e, w);
	return w;
}

int schedule_kill(struct engine *e, int w)
{
	if (w < 0 || w >= e->n_workers || !e->arena)
		return -1;
	struct worker_view *v = &e->wv[w];
	if (v->state == WS_DONE || v->state == WS_KILLED || v->pid <= 0)
		return -1;
	remember(e, w, 1);
	/* What it said before it dies comes before its death in the trace;
	 * what others say after it (a recovery) comes after. */
	engine_drain_pipe(e, -1, NULL);
	kill(v->pid, SIGKILL);
	/* SIGKILL cannot be caught: this wait is short and certain. */
	int st;
	pid_t got;
	while ((got = waitpid(v->pid, &st, 0)) < 0 && errno == EINTR)
		;
	if (got == v->pid) {
		/* Dead now, it writes nothing more: what it wrote between our
		 * drain and the kill is read before its death is recorded
		 * (or when a recovery by another worker asks for it). */
		e->dying = w;
		e->dying_status = st;
		engine_drain_pipe(e, -1, NULL);
		if (e->dying == w) {
			e->dying = -1;
			engine_reaped(e, w, st, -1, NULL);
		}
		engine_drain_pipe(e, -1, NULL);
	}
	picture_judge(&e->pic);
	return 0;
}

int schedule_rewind(struct engine *e, long steps, char *why, size_t whylen)
{
	char dummy[8];
	if (!why) {
		why = dummy;
		whylen = sizeof dummy;
	}
	if (steps > 0 && !engine_controlled(e)) {
		snprintf(why, whylen, _("the os schedule cannot be replayed"));
		return -1;
	}
	if (steps < 0)
		steps = 0;
	if (e->replay) {
		snprintf(why, whylen, _("a replay is under way"));
		return -1;
	}
	if (steps > e->reach) {
		snprintf(why, whylen, _("step back reaches only the first %ld steps of a run"),
		         e->reach);
		return -1;
	}
	/* The kept choices become the replay's; new ones are kept as the
	 * replayed run makes them again (remember() skips a replay's). */
	free(e->replay);
	e->replay = e->choices;
	e->replay_n = e->n_choices;
	e->replay_i = 0;
	e->replay_to = steps;
	e->choices = NULL;
	e->n_choices = e->cap_choices = 0;
	e->reach = LONG_MAX;
	engine_teardown(e);
	if (engine_start(e) < 0) {
		snprintf(why, whylen, "%s", e->err ? e->err : _("cannot restart"));
		schedule_replay_some(e, 0);   /* drop the replay */
		return -1;
	}
	return 0;
}

/* One recorded choice, again. */
static void replay_one(struct engine *e, const struct choice *c)
{
	if (c->kill) {
		schedule_kill(e, c->worker);
		return;
	}
	advance_clock(e);
	if (e->wv[c->worker].state != WS_READY) {
		engine_fail(e, "the replay went another way at step %ld", c->at_step + 1);
		return;   /* cannot happen in a deterministic replay */
	}
	do_step(e, c->worker);
}

long schedule_replay_some(struct engine *e, long budget)
{
	if (!e->replay)
		return 0;
	long done = 0;
	while (e->replay_i < e->replay_n && e->replay[e->replay_i].at_step < e->replay_to &&
	       done < budget && !engine_failed(e) && e->arena && e->pic.view.outcome != RUN_STOPPED) {
		/* A step whose report comes at once never looks at the stop
		 * fd (await_worker returns first): look between steps, so a
		 * stop ends a long replay at once, however the steps went. */
		if (engine_interrupted(e))
			break;
		const struct choice *c = &e->replay[e->replay_i++];
		keep_choice(e, c->worker, c->kill, c->at_step);
		replay_one(e, c);
		done += !c->kill;
	}
	int over = e->replay_i >= e->replay_n || e->replay[e->replay_i].at_step >= e->replay_to ||
	           engine_failed(e) || !e->arena || e->pic.view.outcome == RUN_STOPPED;
	if (!over && budget > 0)
		return e->replay_to - e->pic.view.steps;
	free(e->replay);
	e->replay = NULL;
	e->replay_n = e->replay_i = 0;
	if (over) {
		/* The timeout counts from here: the replay was not the run. */
		clock_gettime(CLOCK_MONOTONIC, &e->t0);
		picture_judge(&e->pic);
	}
	return 0;
}

int schedule_replaying(const struct engine *e, long *done, long *total)
{
	if (done)
		*done = e->pic.view.steps;
	if (total)
		*total = e->replay ? e->replay_to : e->pic.view.steps;
	return e->replay != NULL;
}

int schedule_restart(struct engine *e, long steps, char *why, size_t whylen)
{
	if (schedule_rewind(e, steps, why, whylen) < 0)
		return -1;
	schedule_replay_some(e, LONG_MAX);
	return 0;
}
