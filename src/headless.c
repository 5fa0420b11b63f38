/*
 * headless.c: the runner without a UI (see headless.h).
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "engine.h"
#include "goals.h"
#include "headless.h"
#include "i18n.h"
#include "signals.h"
#include "timeline.h"
#include "trace.h"
#include "words.h"

struct printer {
	struct engine *engine;
	const struct headless_options *o;
	int err;     /* errno of the first failed write, 0 while all went */
	struct timeline_text *text;   /* --timeline */
	struct timeline *svg;         /* --svg */
	struct goals goals;   /* judged at every event, and at the end */
};

/* A failed write (a full disk, a reader that left) ends the run: nobody
 * will read the rest.  The stop pipe tells the engine, as a signal would. */
static void print_event(void *ctx, const struct event *ev)
{
	struct printer *p = ctx;
	const struct engine_view *v = engine_view(p->engine);
	if (p->svg)
		timeline_svg_event(p->svg, ev);
	goals_check(&p->goals, v);
	if (p->o->quiet || p->err)
		return;
	if (p->text)
		timeline_text_event(p->text, v, ev);
	else if (p->o->json)
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
		         words_outcome(v->outcome));
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

/* --svg: the file is opened before the run, so a wrong path costs
 * nothing; written once the run is over. */
static FILE *svg_open(const char *path)
{
	FILE *f = fopen(path, "w");
	if (!f) {
		char shown[1024];
		scenario_escape(shown, sizeof shown, path);
		fprintf(stderr, _("lockstep: --svg: cannot write '%s': %s\n"), shown, strerror(errno));
	}
	return f;
}

static int svg_close(FILE *f, struct timeline *tl, const struct engine_view *v,
                     const char *path)
{
	int bad = timeline_svg_write(f, tl, v) < 0;
	bad |= fclose(f) != 0;
	if (bad) {
		char shown[1024];
		scenario_escape(shown, sizeof shown, path);
		fprintf(stderr, _("lockstep: --svg: cannot write '%s': %s\n"), shown, strerror(errno));
	}
	return bad;
}

static int printers_new(struct printer *p, const struct scenario *s)
{
	const struct headless_options *o = p->o;
	int n = scenario_worker_count(s);
	if (o->timeline && !o->quiet && !(p->text = timeline_text_new(stdout, s, n)))
		return -1;
	if (o->svg && !(p->svg = timeline_svg_new(s, n)))
		return -1;
	return 0;
}

static void printers_free(struct printer *p)
{
	timeline_text_free(p->text);
	timeline_free(p->svg);
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

/* What the run ended with: the timeline's last block, the summary. */
/* The main process's prints after its joins (a Python program's): only
 * once every process it joined has ended, as in Python. */
static void print_after(const struct headless_options *o, const struct engine_view *v)
{
	const struct scenario *s = v->scenario;
	for (int k = 0; !o->json && !o->quiet && v->outcome == RUN_FINISHED &&
	     k < s->n_after; k++) {
		char line[1024], says[1200], who[64], op[64];
		trace_after_line(v, k, line, sizeof line);
		/* Python's name for the main process: a name, not a word. */
		words_pad(who, sizeof who, "MainProcess", 12);
		words_pad(op, sizeof op, words_op_kind(OP_PRINT), 20);
		snprintf(says, sizeof says, _("prints \"%s\""), line);
		printf("%10s %6s  %s %s %s\n", "", "", who, op, says);
	}
}

static void print_end(struct printer *p, const struct engine_view *v, int sig)
{
	const struct headless_options *o = p->o;
	if (!p->err && p->text) {
		timeline_text_end(p->text, v);
		p->err = trace_stdout_check();
	}
	if (!p->err && !o->timeline)
		print_after(o, v);
	goals_check(&p->goals, v);
	if (!p->err && o->json) {
		trace_summary_json(stdout, v, &p->goals);
	} else if (!p->err) {
		trace_summary_text(stdout, v);
		goals_print_text(stdout, &p->goals, i18n_lang());
	}
	if (!p->err && sig && !o->json)
		printf(_("  stopped by signal %d (%s)\n"), sig, strsignal(sig));
	if (!p->err)
		p->err = trace_stdout_flush();
}

/* After the run: its checks, its summary, its files.  The exit status. */
static int finish_run(struct printer *p, struct engine *e, enum run_outcome outcome,
                      FILE **svg)
{
	const struct headless_options *o = p->o;
	if (engine_error(e)) {
		/* Not a lesson outcome: the run could not happen as it should. */
		fflush(stdout);
		fprintf(stderr, "lockstep: %s\n", engine_error(e));
		return 1;
	}
	int bad = check_replay(e, o);
	if (bad)
		return bad;
	int sig = outcome == RUN_STOPPED ? signals_take_stop() : 0;
	print_end(p, engine_view(e), sig);
	if (p->err)
		return trace_output_failed(p->err);
	int rec = record(e, o);
	if (*svg) {
		FILE *f = *svg;
		*svg = NULL;
		if (svg_close(f, p->svg, engine_view(e), o->svg))
			return 1;
	}
	/* --goals: a grader's check, after the run and its files. */
	return rec ? rec : o->goals && p->goals.n_met < p->goals.n ? HEADLESS_GOALS_UNMET : 0;
}

int headless_run(const struct scenario *s, const struct headless_options *o)
{
	char err[512] = "";
	FILE *svg = NULL;
	if (o->svg && !(svg = svg_open(o->svg)))
		return 2;
	struct engine *e = engine_new(s, &o->engine, err, sizeof err);
	struct printer p = { e, o, 0, NULL, NULL, { 0 } };
	goals_reset(&p.goals, s);
	if (e && printers_new(&p, s) < 0)
		snprintf(err, sizeof err, "%s", _("out of memory for the timeline"));
	if (!e || err[0] || engine_start(e) < 0) {
		fprintf(stderr, "lockstep: %s\n", err);
		printers_free(&p);
		if (e)
			engine_free(e);
		if (svg)
			fclose(svg);
		return 1;
	}
	if (!o->json && !o->quiet && !o->timeline)
		headless_heading(s, o);
	signals_watch(1);
	enum run_outcome outcome = engine_run(e, print_event, &p, signals_stop_fd());
	signals_watch(0);
	int status = finish_run(&p, e, outcome, &svg);
	if (svg)   /* the run ended before its picture could be drawn */
		fclose(svg);
	printers_free(&p);
	engine_free(e);
	return status;
}
