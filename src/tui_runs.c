/*
 * tui_runs.c: many runs from the terminal UI (m): TUI_RUNS runs of the
 * lesson, each on fresh processes, with the schedule and seed on screen
 * (a controlled schedule's run i uses seed + i, as --runs does; under os
 * each run is a new one of the kernel's), and the Result panel draws
 * their histogram as it fills (the tally of tally.c, the same as --runs
 * prints), so a class sees 100 unlocked processes lose updates in some
 * runs and not in others.
 *
 * The runs go in slices from the poll loop, never in one go: a run's
 * engine has its fds in the loop's poll() (an os run's reports wake it),
 * a controlled run takes steps for about a frame per wake, and between
 * slices the loop reads keys and redraws.  So the screen shows the
 * progress, and m or q stops the runs at once (what was gathered stays
 * on screen), Ctrl-C ends the program as always.  No run's worker
 * outlives its run: each engine is freed when its run ends or is
 * stopped, and tui_runs_free() frees the one under way.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "signals.h"
#include "tally.h"
#include "tui_priv.h"
#include "words.h"

#define TUI_RUNS 100
#define SLICE_MS 16

struct tui_runs {
	struct tally tally;
	struct engine_options eopt;   /* every run's; seed: the first run's */
	struct engine *eng;           /* the run under way, NULL between runs */
	long started;                 /* runs started (the next one's index) */
	long total;
	int active;                   /* runs still to come */
	char err[512];                /* engine_new's, kept as long as it */
};

int tui_runs_active(const struct tui *t)
{
	return t->runs && t->runs->active;
}

static void drop_engine(struct tui_runs *r)
{
	if (r->eng)
		engine_free(r->eng);
	r->eng = NULL;
}

void tui_runs_free(struct tui *t)
{
	if (!t->runs)
		return;
	drop_engine(t->runs);
	tally_free(&t->runs->tally);
	free(t->runs);
	t->runs = NULL;
}

static int start_runs(struct tui *t)
{
	struct tui_runs *r = calloc(1, sizeof *r);
	if (!r)
		return -1;
	const struct engine_view *v = engine_view(t->eng);
	r->eopt = t->eopt;
	r->eopt.schedule = v->schedule;
	r->eopt.seed = v->seed;
	r->total = TUI_RUNS;
	if (tally_init(&r->tally, t->sc, &r->eopt) < 0) {
		free(r);
		return -1;
	}
	r->active = 1;
	t->runs = r;
	return 0;
}

/* m: start the runs; while they go, stop them (what they gathered stays
 * on screen); once they are over, put the lesson's own result back. */
int tui_runs_key(struct tui *t, int ch)
{
	(void)ch;
	if (tui_runs_active(t))
		return tui_runs_stop(t);
	if (t->runs) {
		tui_runs_free(t);
		return TUI_REDRAW;
	}
	if (start_runs(t) < 0) {
		tui_message(t, EL_ERROR, "%s", _("out of memory for the runs' values"));
		return TUI_REDRAW;
	}
	tui_message(t, EL_MSG, _("%ld runs of %s, each on fresh processes (m or q: stop)"),
	            t->runs->total, t->sc->id);
	return TUI_REDRAW;
}

int tui_runs_stop(struct tui *t)
{
	struct tui_runs *r = t->runs;
	drop_engine(r);
	r->active = 0;
	tui_message(t, EL_MSG, _("Runs stopped after %ld of %ld (m: back to the lesson's result)"),
	            r->tally.done, r->total);
	return TUI_REDRAW;
}

static int start_next(struct tui *t)
{
	struct tui_runs *r = t->runs;
	struct engine_options eo = r->eopt;
	eo.seed = tally_seed(&r->tally, r->started);
	r->eng = engine_new(t->sc, &eo, r->err, sizeof r->err);
	if (!r->eng)
		return -1;
	engine_set_stop_fd(r->eng, signals_stop_fd());   /* Ctrl-C ends a step */
	if (engine_start(r->eng) < 0) {
		drop_engine(r);
		return -1;
	}
	r->started++;
	return 0;
}

/* A run that ended: count it, and go on or say they are all done. */
static void end_run(struct tui *t)
{
	struct tui_runs *r = t->runs;
	const struct engine_view *v = engine_view(r->eng);
	if (engine_error(r->eng)) {
		tui_message(t, EL_ERROR, _("the runs stopped: %s"), engine_error(r->eng));
		drop_engine(r);
		r->active = 0;
		return;
	}
	if (v->outcome != RUN_STOPPED &&
	    tally_add(&r->tally, v, tally_seed(&r->tally, r->started - 1)) < 0) {
		tui_message(t, EL_ERROR, "%s", _("out of memory for the runs' values"));
		r->active = 0;
	}
	drop_engine(r);
	if (r->active && r->started >= r->total) {
		r->active = 0;
		tui_message(t, EL_GOOD, _("%ld runs done (m: back to the lesson's result)"),
		            r->tally.done);
	}
}

/* Controlled: steps until the run ends or the slice is used up.  1 when
 * nobody can step and yet the run has no verdict (engine_run gives up on
 * such a run too: it cannot happen). */
static int step_some(struct engine *e, long start)
{
	while (engine_outcome(e) == RUN_RUNNING && tui_now_ms() - start < SLICE_MS) {
		if (engine_step(e, -1, NULL, 0) >= 0)
			continue;
		engine_dispatch(e, NULL, 0);   /* a death unseen: judge again */
		if (engine_outcome(e) == RUN_RUNNING)
			return 1;
	}
	return 0;
}

void tui_runs_tick(struct tui *t, const struct pollfd *fds, int n)
{
	struct tui_runs *r = t->runs;
	long start = tui_now_ms();
	while (r && r->active && tui_now_ms() - start < SLICE_MS) {
		if (!r->eng && start_next(t) < 0) {
			tui_message(t, EL_ERROR, _("the runs stopped: %s"), r->err);
			r->active = 0;
			return;
		}
		if (r->eopt.schedule != SCHED_OS && step_some(r->eng, start)) {
			drop_engine(r);   /* not counted: it has no outcome */
			continue;
		}
		if (r->eopt.schedule == SCHED_OS)
			engine_dispatch(r->eng, fds, n);
		if (engine_outcome(r->eng) == RUN_RUNNING && r->eopt.schedule == SCHED_OS)
			return;   /* the kernel runs it: its reports wake the loop */
		if (engine_outcome(r->eng) != RUN_RUNNING)
			end_run(t);
	}
}

int tui_runs_pollfds(struct tui *t, struct pollfd *fds, int max)
{
	if (!tui_runs_active(t) || !t->runs->eng)
		return 0;
	int n = engine_pollfds(t->runs->eng, fds, max);
	return n < 0 ? 0 : n;
}

int tui_runs_timeout_ms(struct tui *t)
{
	if (!tui_runs_active(t))
		return -1;
	struct tui_runs *r = t->runs;
	if (!r->eng || r->eopt.schedule != SCHED_OS)
		return 0;   /* more to do at once */
	int ms = engine_timeout_ms(r->eng);
	return ms < 0 || ms > 200 ? 200 : ms;
}

/* The panel's title: how far the runs are, under which schedule (the
 * status line says what m does now). */
void tui_runs_title(const struct tui *t, char *buf, size_t n)
{
	const struct tui_runs *r = t->runs;
	char sched[96];
	if (r->eopt.schedule == SCHED_OS)
		snprintf(sched, sizeof sched, "%s", words_schedule(SCHED_OS));
	else
		snprintf(sched, sizeof sched, _("%s, seeds %llu+"), words_schedule(r->eopt.schedule),
		         (unsigned long long)r->eopt.seed);
	if (r->active)
		snprintf(buf, n, _(" Runs: %ld of %ld, %s"), r->tally.done, r->total, sched);
	else
		snprintf(buf, n, _(" Runs: %ld, %s"), r->tally.done, sched);
}

/* The tally as the panel shows it, w columns wide.  Caller frees; NULL
 * when there are no runs. */
char *tui_runs_text(const struct tui *t, int w)
{
	if (!t->runs)
		return NULL;
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	if (!f)
		return NULL;
	tally_print_text(f, &t->runs->tally, w);
	if (fclose(f) != 0) {
		free(buf);
		return NULL;
	}
	return buf;
}
