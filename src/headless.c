/*
 * headless.c: the runner without a UI (see headless.h).
 */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "engine.h"
#include "headless.h"
#include "i18n.h"
#include "signals.h"
#include "trace.h"
#include "words.h"

struct printer {
	struct engine *engine;
	const struct headless_options *o;
	int err;     /* errno of the first failed write, 0 while all went */
};

/* A failed write (a full disk, a reader that left) ends the run: nobody
 * will read the rest.  The stop pipe tells the engine, as a signal would. */
static void print_event(void *ctx, const struct event *ev)
{
	struct printer *p = ctx;
	const struct engine_view *v = engine_view(p->engine);
	if (p->o->quiet || p->err)
		return;
	if (p->o->json)
		trace_print_json(stdout, v, ev);
	else
		trace_print_text(stdout, v, ev);
	if ((p->err = trace_stdout_check()) != 0)
		signals_wake_stop();
}

/* Did the run follow the replay file?  0, or 2 with the message said. */
static int check_replay(struct engine *e, const struct headless_options *o)
{
	if (!o->replay)
		return 0;
	char why[256], err[1024];
	int broken, left;
	long i = engine_plan_state(e, &broken, &left, why, sizeof why);
	const struct engine_view *v = engine_view(e);
	if (!broken && i < o->replay->n &&
	    (v->outcome == RUN_FINISHED || v->outcome == RUN_DEADLOCK)) {
		snprintf(why, sizeof why, _("the run is over after %ld steps (%s)"), v->steps,
		         outcome_name(v->outcome));
		broken = 1;
	}
	if (!broken)
		return 0;
	fflush(stdout);
	replay_where(o->replay, i, why, err, sizeof err);
	fprintf(stderr, "%s\n", err);
	return 2;
}

static int record(struct engine *e, const struct headless_options *o)
{
	char err[1024];
	if (!o->record)
		return 0;
	struct replay_header h = o->header;
	h.outcome = outcome_name(engine_view(e)->outcome);
	if (replay_write_run(o->record, &h, e, err, sizeof err) == 0)
		return 0;
	fflush(stdout);
	fprintf(stderr, "lockstep: %s\n", err);
	return 1;
}

/* "ktv: 13 processes, random schedule", then the columns' names. */
static void headless_heading(const struct scenario *s, const struct headless_options *o)
{
	char worker[64], op[64];
	const char *time = _("time"), *step = _("step");
	int n = scenario_worker_count(s);
	if (o->engine.schedule == SCHED_OS)
		printf(ngettext("%s: %d process, os schedule (the kernel interleaves)\n",
		                "%s: %d processes, os schedule (the kernel interleaves)\n",
		                (unsigned long)n), s->id, n);
	else
		printf(ngettext("%s: %d process, %s schedule\n", "%s: %d processes, %s schedule\n",
		                (unsigned long)n), s->id, n, words_schedule(o->engine.schedule));
	/* The trace's columns (trace_print_text): time, step, worker, op. */
	words_pad(worker, sizeof worker, _("worker"), 12);
	words_pad(op, sizeof op, _("op"), 20);
	printf("%*s%s %*s%s  %s %s %s\n", 10 - words_width(time), "", time,
	       6 - words_width(step), "", step, worker, op, _("what happened"));
}

int headless_run(const struct scenario *s, const struct headless_options *o)
{
	char err[512] = "";
	struct engine *e = engine_new(s, &o->engine, err, sizeof err);
	if (!e) {
		fprintf(stderr, "lockstep: %s\n", err);
		return 1;
	}
	if (engine_start(e) < 0) {
		fprintf(stderr, "lockstep: %s\n", err);
		engine_free(e);
		return 1;
	}
	if (!o->json && !o->quiet)
		headless_heading(s, o);
	struct printer p = { e, o, 0 };
	signals_watch(1);
	enum run_outcome outcome = engine_run(e, print_event, &p, signals_stop_fd());
	signals_watch(0);
	if (engine_error(e)) {
		/* Not a lesson outcome: the run could not happen as it should. */
		fflush(stdout);
		fprintf(stderr, "lockstep: %s\n", engine_error(e));
		engine_free(e);
		return 1;
	}
	int bad = check_replay(e, o);
	if (bad) {
		engine_free(e);
		return bad;
	}
	int sig = outcome == RUN_STOPPED ? signals_take_stop() : 0;
	const struct engine_view *v = engine_view(e);
	if (!p.err && o->json)
		trace_summary_json(stdout, v);
	else if (!p.err)
		trace_summary_text(stdout, v);
	if (!p.err && sig && !o->json)
		printf(_("  stopped by signal %d (%s)\n"), sig, strsignal(sig));
	if (!p.err)
		p.err = trace_stdout_flush();
	int rec = record(e, o);
	engine_free(e);
	return p.err ? trace_output_failed(p.err) : rec;
}
