/*
 * tui_keys.c: what keys do to the run: stepping (the schedule's pick or
 * the student's), the run timer, speed, schedule changes, step back,
 * restart, killing a worker.  Which key calls which is the table in
 * tui_keytab.c; the handlers here return its TUI_* flags.
 *
 * All engine calls live here, so the contract with engine.h is in one
 * place: engine_step for steps, engine_rewind + engine_replay_some for
 * back/restart (replay is exact in the controlled schedules; it runs in
 * slices from the timer, so keys and Ctrl-C act at once), engine_free + engine_new +
 * engine_start for a new schedule, engine_kill_worker for k.
 */
#include <stdarg.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>

#include "explore.h"
#include "replay.h"
#include "signals.h"
#include "trace.h"
#include "tui_priv.h"
#include "words.h"

const double tui_speeds[] = { 0.25, 0.5, 1, 2, 4, 8, 16, 32, 64, 128, 256, 512 };
const int tui_n_speeds = (int)(sizeof tui_speeds / sizeof tui_speeds[0]);

/* At speed 1 a timed run takes one step every BASE_PACE_MS; a virtual
 * sleep takes its own length divided by the speed. */
#define BASE_PACE_MS 250.0
#define FRAME_MS 16        /* faster paces do several steps per frame */
#define MAX_SLEEP_WAIT_MS 3000

void tui_message(struct tui *t, enum tui_el el, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(t->msg, sizeof t->msg, fmt, ap);
	va_end(ap);
	t->msg_el = el;
}

static char engine_err[512];  /* engine_new's err buffer must outlive it */

static int start_engine(struct tui *t)
{
	engine_err[0] = 0;
	t->eng = engine_new(t->sc, &t->eopt, engine_err, sizeof engine_err);
	if (!t->eng)
		return -1;
	engine_set_stop_fd(t->eng, signals_stop_fd());   /* Ctrl-C ends a step */
	if (engine_start(t->eng) < 0) {
		engine_free(t->eng);
		t->eng = NULL;
		return -1;
	}
	return 0;
}

int tui_open(struct tui *t, struct scenario *sc)
{
	t->sc = sc;
	t->eopt = t->opt->engine;
	if (t->eopt.speed <= 0)
		t->eopt.speed = 1;
	t->speed_i = 2;
	for (int i = 0; i < tui_n_speeds; i++)
		if (tui_speeds[i] <= t->eopt.speed)
			t->speed_i = i;
	t->sel = 0;
	t->page = 0;
	t->page_top = 0;
	t->running = 0;
	t->resume = 0;
	t->log_back = 0;
	t->overlay = OV_NONE;
	t->timeline = 0;
	t->msg[0] = 0;
	t->goal_flash = 0;
	/* Goals met stay met while the lesson is open: a restart or a new
	 * seed does not take back what the student did. */
	goals_reset(&t->goals, sc);
	if (start_engine(t) < 0) {
		tui_message(t, EL_ERROR, _("cannot start %s: %s"), sc->id ? sc->id : _("the scenario"),
		            engine_err);
		t->sc = NULL;
		return -1;
	}
	return 0;
}

static void tui_close(struct tui *t)
{
	tui_runs_free(t);
	if (t->eng)
		engine_free(t->eng);
	t->eng = NULL;
	t->sc = NULL;
	t->running = 0;
	t->replaying = 0;
	t->overlay = OV_NONE;
	t->msg[0] = 0;
	if (!t->from_menu)
		t->quit = 1;
}

static int controlled(const struct tui *t)
{
	return engine_view(t->eng)->schedule != SCHED_OS;
}

/* After a step by hand, the status line says what it did, in words:
 * "work3 read count = 98 into its register".  The worker's own event wins
 * over the manager's serving it: "wrote d['count'] = 99 ...: 1 update
 * lost" is the lesson, "manager serves work1: set ..." only its means. */
static void say_step(struct tui *t, int w)
{
	long count = 0;
	const struct event *evs = engine_events(t->eng, &count);
	const struct engine_view *v = engine_view(t->eng);
	const struct event *first = NULL;   /* the op itself, not its exit */
	const struct event *served = NULL;  /* the manager serving it */
	for (long i = count - 1; i >= 0 && evs[i].step == v->steps; i--) {
		if (evs[i].worker != w || evs[i].kind == EV_WAKE)
			continue;
		if (evs[i].kind == EV_REQUEST)
			served = &evs[i];
		else
			first = &evs[i];
	}
	if (!first)
		first = served;
	if (!first)
		return;
	char text[400];
	tui_event_text(t, first, text, sizeof text);
	tui_message(t, EL_MSG, _("Step %ld: %s %s"), v->steps, tui_worker_name(v, w), text);
}

/* One step: w = -1 lets the schedule pick.  Returns 0 when a step happened. */
static int do_step(struct tui *t, int w)
{
	const struct engine_view *v = engine_view(t->eng);
	if (v->schedule == SCHED_OS) {
		tui_message(t, EL_MSG, "%s", _("The os schedule runs by itself: nothing to step. "
		            "s: switch to a controlled schedule"));
		return -1;
	}
	if (v->outcome == RUN_DEADLOCK) {
		tui_message(t, EL_MSG, "%s", _("Deadlock: nobody can step. k kills the selected "
		            "worker, b steps back, R restarts"));
		return -1;
	}
	if (v->outcome != RUN_RUNNING) {
		tui_message(t, EL_MSG, _("The run is over (%s). R: restart   b: step back"),
		            tui_outcome_word(v->outcome));
		return -1;
	}
	char why[256] = "";
	int r = engine_step(t->eng, w, why, sizeof why);
	int broken = 0;
	long at = engine_plan_state(t->eng, &broken, NULL, NULL, 0);
	if (r < 0 && broken) {
		tui_message(t, EL_ERROR, _("The replay stops at its step %ld: %s. Space: the schedule goes on"),
		            at + 1, why);
		return -1;
	}
	if (r < 0) {
		tui_message(t, EL_ERROR, "%s", why[0] ? why : _("nobody can step now"));
		return -1;
	}
	t->sel = r;
	t->log_back = 0;
	if (!t->running)
		say_step(t, r);
	tui_goals_check(t);
	return 0;
}

void tui_goals_check(struct tui *t)
{
	if (!t->eng || !t->sc)
		return;
	int i = goals_check(&t->goals, engine_view(t->eng));
	if (i < 0)
		return;
	char said[sizeof t->msg + 4];
	/* What the step did stays first: it is how the goal was met. */
	snprintf(said, sizeof said, "%.*s%s", (int)sizeof t->msg - 1, t->msg, t->msg[0] ? "   " : "");
	tui_message(t, EL_GOOD, _("%sGoal met: %s (step %ld)"), said,
	            tui_lang(t, &t->sc->goals[i].text), t->goals.st[i].step);
	t->goal_flash = i + 1;
}

/* How long the timer waits before the next step: the pace, or the virtual
 * sleep everybody is in, scaled by the speed. */
static long next_delay(struct tui *t)
{
	const struct engine_view *v = engine_view(t->eng);
	double speed = tui_speeds[t->speed_i];
	long pace = (long)(BASE_PACE_MS / speed);
	int ready = 0;
	long wake = -1;
	for (int w = 0; w < v->n_workers; w++) {
		const struct worker_view *wv = &v->workers[w];
		if (wv->state == WS_READY || wv->state == WS_RUNNING)
			ready = 1;
		else if (wv->state == WS_SLEEPING && (wake < 0 || wv->wake_ms < wake))
			wake = wv->wake_ms;
	}
	if (!ready && wake > v->clock_ms) {
		long d = (long)((double)(wake - v->clock_ms) / speed);
		if (d > MAX_SLEEP_WAIT_MS)
			d = MAX_SLEEP_WAIT_MS;
		if (d > pace)
			pace = d;
	}
	return pace;
}

int tui_timer_ms(struct tui *t)
{
	if (t->replaying && t->eng)
		return 0;
	if (!t->running || !t->eng)
		return -1;
	long d = t->next_tick_ms - tui_now_ms();
	return d < 0 ? 0 : d > 60000 ? 60000 : (int)d;
}

void tui_check_failed(struct tui *t)
{
	const char *why = engine_error(t->eng);
	if (!why || t->failed)
		return;
	tui_message(t, EL_ERROR, "%s", why);
	t->failed = 1;
	t->exit_status = 1;
	t->quit = 1;
}

/* One slice of a replay (about a frame), then the loop reads keys. */
static void replay_slice(struct tui *t)
{
	long start = tui_now_ms(), left = 1;
	while (left > 0 && tui_now_ms() - start < FRAME_MS)
		left = engine_replay_some(t->eng, 20);
	long done = 0, total = 0;
	if (left > 0) {
		engine_replaying(t->eng, &done, &total);
		tui_message(t, EL_MSG, _("Replaying %ld/%ld steps (q: quit)"), done, total);
		return;
	}
	t->replaying = 0;
	if (t->replay_to > 0)
		tui_message(t, EL_MSG, _("Back to step %ld"), t->replay_to);
	else
		tui_message(t, EL_MSG, "%s", _("Restarted with the same seed"));
}

void tui_tick(struct tui *t)
{
	if (t->replaying && t->eng) {
		replay_slice(t);
		return;
	}
	if (!t->running || !t->eng)
		return;
	long now = tui_now_ms();
	if (now < t->next_tick_ms)
		return;
	double speed = tui_speeds[t->speed_i];
	long pace = (long)(BASE_PACE_MS / speed);
	int batch = pace < FRAME_MS ? (int)(FRAME_MS * speed / BASE_PACE_MS) : 1;
	if (batch < 1)
		batch = 1;
	for (int i = 0; i < batch; i++) {
		if (do_step(t, -1) < 0 || engine_view(t->eng)->outcome != RUN_RUNNING) {
			t->running = 0;
			t->resume = engine_view(t->eng)->outcome == RUN_DEADLOCK;
			break;
		}
		if (i + 1 < batch && next_delay(t) > pace)
			break;    /* everybody sleeps: let the clock show it */
	}
	long d = next_delay(t);
	if (batch > 1 && d < FRAME_MS)
		d = FRAME_MS;
	t->next_tick_ms = now + d;
}

/* A new engine with t->eopt (a new schedule, or an os speed): the only
 * way to change options, since engine_restart keeps the old ones. */
static int rebuild(struct tui *t)
{
	engine_free(t->eng);
	t->eng = NULL;
	t->running = 0;
	t->replaying = 0;
	t->log_back = 0;
	if (start_engine(t) == 0)
		return 0;
	/* Fall back to what worked, so the screen always has a run. */
	char why[sizeof engine_err];
	snprintf(why, sizeof why, "%s", engine_err);
	t->eopt = t->opt->engine;
	if (t->eopt.speed <= 0)
		t->eopt.speed = 1;
	if (start_engine(t) < 0) {
		tui_close(t);
		return -1;
	}
	tui_message(t, EL_ERROR, _("cannot start that run: %s"), why);
	return -1;
}

/* A new schedule or seed is a new interleaving: a replay file's is left. */
static void leave_plan(struct tui *t)
{
	t->eopt.plan = NULL;
	t->eopt.plan_len = 0;
}

int tui_new_schedule(struct tui *t, int ch)
{
	(void)ch;
	leave_plan(t);
	t->eopt.schedule = (enum schedule)((engine_view(t->eng)->schedule + 1) % SCHED_COUNT);
	if (rebuild(t) < 0)
		return TUI_REDRAW;
	tui_message(t, EL_MSG, t->eopt.schedule == SCHED_OS
	            ? _("Schedule: %s (the kernel decides; just watch)")
	            : _("Schedule: %s (restarted at step 0)"), words_schedule(t->eopt.schedule));
	return TUI_REDRAW;
}

/* n: the same lesson, another interleaving.  The next seed rather than a
 * random one, so a class can say "seed 5 lost 3 updates" and find it
 * again (the header shows it, the replay line carries it). */
int tui_new_seed(struct tui *t, int ch)
{
	(void)ch;
	const struct engine_view *v = engine_view(t->eng);
	enum schedule sched = v->schedule;   /* rebuild frees the view */
	leave_plan(t);
	t->eopt.seed = v->seed + 1;
	if (rebuild(t) < 0)
		return TUI_REDRAW;
	if (sched == SCHED_OS)
		tui_message(t, EL_MSG, "%s", _("A new run: the kernel decides again"));
	else
		tui_message(t, EL_MSG, _("A new interleaving: seed %llu (restarted at step 0)"),
		            (unsigned long long)t->eopt.seed);
	return TUI_REDRAW;
}

/* i: the switch dial (x86.py's -i), from 1 (any ready worker may be
 * picked at every step) down to 0.01 (a worker mostly runs on), and
 * round again.  Same seed, restarted, so the class sees what the dial
 * alone changes. */
int tui_switch_dial(struct tui *t, int ch)
{
	(void)ch;
	static const double dial[] = { 1, 0.5, 0.2, 0.1, 0.05, 0.02, 0.01 };
	const int n = (int)(sizeof dial / sizeof dial[0]);
	if (engine_view(t->eng)->schedule != SCHED_RANDOM) {
		tui_message(t, EL_MSG, "%s", _("The switch dial is for the random schedule (s: schedule)"));
		return TUI_REDRAW;
	}
	int i = 0;
	while (i < n && dial[i] > t->eopt.switch_p + 1e-9)
		i++;
	t->eopt.switch_p = dial[(i + 1) % n];
	if (rebuild(t) < 0)
		return TUI_REDRAW;
	char p[16];
	trace_switch_text(t->eopt.switch_p, p, sizeof p);
	tui_message(t, EL_MSG, _("Switch dial %s: the lower, the longer a worker runs "
	                         "before a switch (restarted at step 0)"), p);
	return TUI_REDRAW;
}

static void restart(struct tui *t, long steps)
{
	char why[256] = "";
	t->running = 0;
	if (steps < 0) {   /* os: a fresh engine, which also takes a new speed */
		if (rebuild(t) == 0)
			tui_message(t, EL_MSG, "%s", _("Restarted"));
		return;
	}
	if (engine_rewind(t->eng, steps, why, sizeof why) < 0) {
		tui_message(t, EL_ERROR, "%s", why[0] ? why : _("cannot restart"));
		return;
	}
	t->replaying = 1;
	t->replay_to = steps;
	replay_slice(t);
	t->log_back = 0;
}

/* w: this run's choices so far, as a replay file (replay.h). */
int tui_save_choices(struct tui *t, int ch)
{
	(void)ch;
	const struct engine_view *v = engine_view(t->eng);
	char path[600], err[1024];
	if (v->schedule == SCHED_OS) {
		tui_message(t, EL_MSG, _("The os schedule cannot be saved: the kernel decides who runs"));
		return TUI_REDRAW;
	}
	if (t->replaying) {
		tui_message(t, EL_MSG, _("A replay is under way: save once it is done"));
		return TUI_REDRAW;
	}
	if (t->opt->record)
		snprintf(path, sizeof path, "%s", t->opt->record);
	else
		snprintf(path, sizeof path, "%s-%llu.replay", v->scenario->id,
		         (unsigned long long)v->seed);
	struct replay_header h = {
		.scenario = !t->from_menu && t->opt->scenario_arg ? t->opt->scenario_arg
		                                                  : v->scenario->id,
		.schedule = v->schedule, .seed = v->seed, .workers = t->opt->workers,
		.switch_p = v->switch_p, .outcome = outcome_name(v->outcome),
	};
	if (replay_write_run(path, &h, t->eng, err, sizeof err) < 0) {
		tui_message(t, EL_ERROR, "%s", err);
		return TUI_REDRAW;
	}
	char shown[600];
	scenario_escape(shown, sizeof shown, path);
	tui_message(t, EL_MSG, _("Saved %ld steps to %s (lockstep --replay=%s plays them again)"),
	            v->steps, shown, shown);
	return TUI_REDRAW;
}

int tui_step_back(struct tui *t, int ch)
{
	(void)ch;
	const struct engine_view *v = engine_view(t->eng);
	if (v->schedule == SCHED_OS)
		tui_message(t, EL_MSG, "%s", _("The os schedule cannot be replayed: no step back"));
	else if (v->steps <= 0)
		tui_message(t, EL_MSG, "%s", _("Already at step 0"));
	else
		restart(t, v->steps - 1);
	return TUI_REDRAW;
}

int tui_restart_key(struct tui *t, int ch)
{
	(void)ch;
	restart(t, controlled(t) ? 0 : -1);
	return TUI_REDRAW;
}

/* k: kill the selected worker for real and say what it leaves behind. */
int tui_kill_selected(struct tui *t, int ch)
{
	(void)ch;
	const struct engine_view *v = engine_view(t->eng);
	int w = t->sel;
	if (w < 0 || w >= v->n_workers)
		return 0;
	const struct worker_view *wv = &v->workers[w];
	if (wv->state == WS_DONE || wv->state == WS_KILLED) {
		tui_message(t, EL_MSG, _("%s has already ended"), wv->name);
		return TUI_REDRAW;
	}
	char name[sizeof wv->name], what[400] = "";
	long pid = (long)wv->pid;
	snprintf(name, sizeof name, "%s", wv->name);
	/* What will really happen, in the words of each kind it holds. */
	size_t at = 0;
	for (int o = 0; o < v->scenario->n_objects && at < sizeof what; o++) {
		const char *words = kind_info(v->scenario->objects[o].kind)->killed;
		if (!wv->holds[o] || !words)
			continue;
		if (at)
			at += (size_t)snprintf(what + at, sizeof what - at, "%s", _("; "));
		if (at < sizeof what)
			kind_say(what + at, sizeof what - at, words_of_kind(words), name,
			         v->scenario->objects[o].name);
		at = strlen(what);
	}
	if (engine_kill_worker(t->eng, w) < 0) {
		tui_message(t, EL_ERROR, _("could not kill %s"), name);
		return TUI_REDRAW;
	}
	if (at)
		tui_message(t, EL_BAD, _("Killed %s (pid %ld): %s"), name, pid, what);
	else
		tui_message(t, EL_BAD, _("Killed %s (pid %ld): it held nothing"), name, pid);
	/* A run the deadlock stopped goes on by itself, as the lesson says. */
	if (t->resume && engine_view(t->eng)->outcome == RUN_RUNNING) {
		t->running = 1;
		t->next_tick_ms = tui_now_ms();
	}
	t->resume = 0;
	return TUI_REDRAW;
}

/* One step by the schedule (w = -1) or of worker w, as a key handler. */
int tui_step(struct tui *t, int w)
{
	do_step(t, w);
	return TUI_REDRAW;
}

int tui_run_pause(struct tui *t, int ch)
{
	(void)ch;
	if (!controlled(t)) {
		tui_message(t, EL_MSG, "%s", _("The os schedule is always running"));
		return TUI_REDRAW;
	}
	t->running = !t->running;
	t->next_tick_ms = tui_now_ms();
	if (t->running && engine_view(t->eng)->outcome != RUN_RUNNING) {
		t->running = 0;
		tui_message(t, EL_MSG, "%s", _("The run is over. R: restart"));
	}
	return TUI_REDRAW;
}

/* + and = go faster, - and _ slower.  The os schedule's speed is an
 * engine option: it takes effect when the run starts again. */
int tui_speed(struct tui *t, int ch)
{
	if ((ch == '+' || ch == '=') && t->speed_i < tui_n_speeds - 1)
		t->speed_i++;
	else if ((ch == '-' || ch == '_') && t->speed_i > 0)
		t->speed_i--;
	if (!controlled(t)) {
		t->eopt.speed = tui_speeds[t->speed_i];
		tui_message(t, EL_MSG, _("os speed %gx applies from the next restart (R)"),
		            t->eopt.speed);
	}
	return TUI_REDRAW;
}

int tui_quit(struct tui *t, int ch)
{
	(void)ch;
	if (tui_runs_active(t))   /* q stops the many runs first */
		return tui_runs_stop(t);
	tui_close(t);
	return TUI_REDRAW;
}

/* h: a hint.  From where the run is now, the shortest way on to a
 * deadlock (or, when none can be reached, to a lost update), found by
 * the search of every interleaving (explore.h) on the run's own choices
 * so far; the first worker to step is selected.  Bounded (TUI_HINT_STATES
 * states, TUI_HINT_MS) so the screen keeps answering. */
#define TUI_HINT_STATES 30000L
#define TUI_HINT_MS 300L
#define TUI_HINT_NAMES 12

static void hint_names(const struct engine_view *v, const int *p, long n, char *buf,
                       size_t len)
{
	size_t o = 0;
	buf[0] = 0;
	for (long k = 0; k < n && k < TUI_HINT_NAMES && o + 1 < len; k++)
		o += (size_t)snprintf(buf + o, len - o, "%s%s", k ? " " : "", tui_worker_name(v, p[k]));
	if (n > TUI_HINT_NAMES && o + 4 < len)
		snprintf(buf + o, len - o, " ...");
}

/* The workers stepped so far, or NULL (a kill: the search cannot
 * follow it; *why says so). */
static int *hint_prefix(struct tui *t, long *n, const char **why)
{
	long total = engine_choices(t->eng, NULL, 0);
	*why = NULL;
	if (total < 0) {
		*why = _("The run is too long for a hint: R restarts it");
		return NULL;
	}
	struct engine_choice *c = calloc((size_t)total + 1, sizeof *c);
	int *p = calloc((size_t)total + 1, sizeof *p);
	if (!c || !p) {
		free(c);
		free(p);
		*why = _("out of memory for the search");
		return NULL;
	}
	*n = engine_choices(t->eng, c, total);
	for (long i = 0; i < *n; i++) {
		if (c[i].kill)
			*why = _("No hint after a kill: the search follows steps only (R restarts)");
		p[i] = c[i].worker;
	}
	free(c);
	if (*why) {
		free(p);
		return NULL;
	}
	return p;
}

/* The hint, replayed on real processes before it is shown (the run so
 * far, then the hint's steps): -1, and the status line says why, when
 * they do not end as the search said. */
static int hint_check(struct tui *t, const struct engine_view *v, const int *prefix,
                      long n_prefix, const int *p, long n)
{
	char err[512];
	int *all = malloc(((size_t)(n_prefix + n) + 1) * sizeof *all);
	if (!all) {
		tui_message(t, EL_ERROR, "%s", _("out of memory for the search"));
		return -1;
	}
	memcpy(all, prefix, (size_t)n_prefix * sizeof *all);
	memcpy(all + n_prefix, p, (size_t)n * sizeof *all);
	int rc = explore_check(v->scenario, v->seed, all, n_prefix + n, err, sizeof err);
	free(all);
	if (rc < 0)
		tui_message(t, EL_ERROR, _("No hint: %s"), err);
	return rc;
}

int tui_hint(struct tui *t, int ch)
{
	(void)ch;
	const struct engine_view *v = engine_view(t->eng);
	const char *why;
	long n_prefix = 0, n = 0;
	if (!controlled(t) || t->replaying || v->outcome != RUN_RUNNING) {
		tui_message(t, EL_MSG, "%s", !controlled(t) ?
		            _("Hints need a controlled schedule: under os the kernel decides") :
		            t->replaying ? _("A replay is under way: ask once it is done") :
		            _("The run is over: R restarts it, then h gives a hint"));
		return TUI_REDRAW;
	}
	int *prefix = hint_prefix(t, &n_prefix, &why);
	if (!prefix) {
		tui_message(t, EL_MSG, "%s", why);
		return TUI_REDRAW;
	}
	enum explore_goal goal;
	int complete;
	int *p = explore_hint(v->scenario, v->seed, prefix, n_prefix, TUI_HINT_STATES,
	                      TUI_HINT_MS, &goal, &n, &complete);
	if (p && hint_check(t, v, prefix, n_prefix, p, n) < 0) {
		free(prefix);
		free(p);
		return TUI_REDRAW;
	}
	free(prefix);
	if (!p) {
		tui_message(t, EL_MSG, "%s", complete ?
		            _("Hint: from here no interleaving deadlocks or loses an update") :
		            _("Hint: too many interleavings from here to search in a moment"));
		return TUI_REDRAW;
	}
	char names[TUI_HINT_NAMES * (SCENARIO_MAX_NAME + 13) + 8];
	hint_names(v, p, n, names, sizeof names);
	if (n > 0)
		t->sel = p[0];
	tui_message(t, EL_MSG, goal == EXPLORE_DEADLOCK ?
	            _("Hint: one way to reach a deadlock in %ld steps from here: %s") :
	            _("Hint: one way to lose an update in %ld steps from here: %s"), n, names);
	free(p);
	return TUI_REDRAW;
}
