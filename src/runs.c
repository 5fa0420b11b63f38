/*
 * runs.c: many runs of one scenario and the spread of their results (see
 * runs.h).
 */
#include "config.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "i18n.h"
#include "kinds.h"
#include "runs.h"
#include "signals.h"
#include "trace.h"
#include "words.h"

#define RUNS_BAR 40        /* the histogram's longest bar, in columns */
#define RUNS_ROWS 20       /* more distinct values than this: ranges */

/* How often one final value came up, and the first run that gave it. */
struct runs_tally {
	long value;
	long count;
	uint64_t seed;
};

/* One element of a value-like object ("count", "arr[2]", "d['n']"). */
struct runs_elem {
	char name[96];
	int obj, index;
	struct runs_tally *t;   /* sorted by value */
	int n, cap;
};

struct runs {
	const struct scenario *s;
	const struct runs_options *o;
	long done;
	long outcomes[RUN_STOPPED + 1];
	struct runs_elem *el;
	int n_el;
	struct timespec start;
	int bar;                /* the progress bar is on stderr */
	long bar_at;            /* runs it showed last */
};

static int runs_controlled(const struct runs *r)
{
	return r->o->engine.schedule != SCHED_OS;
}

static int runs_elems_init(struct runs *r)
{
	const struct scenario *s = r->s;
	int n = 0;
	for (int i = 0; i < s->n_objects; i++)
		if (kind_is(s->objects[i].kind, KF_VALUELIKE))
			n += s->objects[i].n_elems;
	r->el = calloc((size_t)n + 1, sizeof *r->el);
	if (!r->el)
		return -1;
	for (int i = 0; i < s->n_objects; i++) {
		const struct scenario_object *o = &s->objects[i];
		if (!kind_is(o->kind, KF_VALUELIKE))
			continue;
		for (int k = 0; k < o->n_elems; k++) {
			struct runs_elem *el = &r->el[r->n_el++];
			el->obj = i;
			el->index = k;
			kind_elem_name(o->kind, o->name, k, o->elems[k].key, el->name,
			               sizeof el->name);
		}
	}
	return 0;
}

/* Count value once more for el, keeping the tallies sorted. */
static int runs_count(struct runs_elem *el, long value, uint64_t seed)
{
	int lo = 0, hi = el->n;
	while (lo < hi) {
		int mid = (lo + hi) / 2;
		if (el->t[mid].value < value)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo < el->n && el->t[lo].value == value) {
		el->t[lo].count++;
		return 0;
	}
	if (el->n == el->cap) {
		int cap = el->cap ? el->cap * 2 : 16;
		struct runs_tally *t = realloc(el->t, (size_t)cap * sizeof *t);
		if (!t)
			return -1;
		el->t = t;
		el->cap = cap;
	}
	memmove(&el->t[lo + 1], &el->t[lo], (size_t)(el->n - lo) * sizeof *el->t);
	el->t[lo] = (struct runs_tally){ value, 1, seed };
	el->n++;
	return 0;
}

static long runs_elapsed_ms(const struct runs *r)
{
	struct timespec now;
	clock_gettime(CLOCK_MONOTONIC, &now);
	return (now.tv_sec - r->start.tv_sec) * 1000 + (now.tv_nsec - r->start.tv_nsec) / 1000000;
}

/* A bar on stderr once the runs take more than a second, and only for a
 * person watching: a log file gets no carriage returns. */
static void runs_progress(struct runs *r)
{
	if (!r->bar && (!isatty(STDERR_FILENO) || runs_elapsed_ms(r) < 1000))
		return;
	long total = r->o->runs;
	if (r->bar && r->done * RUNS_BAR / total == r->bar_at * RUNS_BAR / total &&
	    r->done != total)
		return;
	char bar[RUNS_BAR + 1];
	long filled = r->done * RUNS_BAR / total;
	for (int i = 0; i < RUNS_BAR; i++)
		bar[i] = i < filled ? '#' : '.';
	bar[RUNS_BAR] = '\0';
	fprintf(stderr, "\r%s [%s] %ld/%ld", _("runs"), bar, r->done, total);
	r->bar = 1;
	r->bar_at = r->done;
}

static void runs_progress_end(struct runs *r)
{
	if (r->bar)
		fprintf(stderr, "\r%*s\r", RUNS_BAR + 40, "");
}

/* One run on fresh processes: 0, 1 when stopped by a signal, -1 when it
 * could not happen (err says why). */
static int runs_one(struct runs *r, long i, char *err, size_t len)
{
	struct engine_options eo = r->o->engine;
	eo.seed = r->o->engine.seed + (uint64_t)i;
	struct engine *e = engine_new(r->s, &eo, err, len);
	if (!e)
		return -1;
	if (engine_start(e) < 0) {
		engine_free(e);
		return -1;
	}
	enum run_outcome outcome = engine_run(e, NULL, NULL, signals_stop_fd());
	if (engine_error(e)) {
		snprintf(err, len, "%s", engine_error(e));
		engine_free(e);
		return -1;
	}
	int stopped = outcome == RUN_STOPPED;
	if (!stopped) {
		const struct engine_view *v = engine_view(e);
		r->outcomes[outcome]++;
		for (int k = 0; k < r->n_el; k++) {
			struct runs_elem *el = &r->el[k];
			if (runs_count(el, v->objects[el->obj].elems[el->index], eo.seed) < 0) {
				snprintf(err, len, "%s", _("out of memory for the runs' values"));
				engine_free(e);
				return -1;
			}
		}
		r->done++;
	}
	engine_free(e);
	return stopped;
}

static void runs_text_head(const struct runs *r)
{
	printf(_("== %s: %ld runs ==\n"), r->s->id, r->done);
	if (runs_controlled(r))
		printf(_("  schedule   %s, seeds %llu to %llu, one per run\n"),
		       words_schedule(r->o->engine.schedule),
		       (unsigned long long)r->o->engine.seed,
		       (unsigned long long)(r->o->engine.seed + (uint64_t)(r->done ? r->done - 1 : 0)));
	else
		printf("%s", _("  schedule   os (the kernel interleaves: each run is a new one)\n"));
	if (r->o->engine.schedule == SCHED_RANDOM && r->o->engine.switch_p < 1) {
		char p[16];
		trace_switch_text(r->o->engine.switch_p, p, sizeof p);
		printf(_("  switch     %s (the chance that a step may switch workers)\n"), p);
	}
	printf("%s", _("  outcomes  "));
	for (int o = RUN_FINISHED; o < RUN_STOPPED; o++)
		if (r->outcomes[o])
			printf(_(" %s %ld"), words_outcome((enum run_outcome)o), r->outcomes[o]);
	printf("\n");
}

/* One histogram row: label, bar, count, and where to see it again. */
static void runs_row(const struct runs *r, const char *label, long count, long most,
                     const struct runs_tally *t)
{
	char bar[RUNS_BAR + 1];
	long len = most ? (count * RUNS_BAR + most - 1) / most : 0;
	memset(bar, '#', (size_t)len);
	bar[len] = '\0';
	printf("  %12s  %-*s %6ld", label, RUNS_BAR, bar, count);
	if (t && runs_controlled(r)) {
		printf(_("   first with --seed=%llu"), (unsigned long long)t->seed);
		if (r->o->engine.schedule == SCHED_RANDOM && r->o->engine.switch_p < 1) {
			char p[16];
			trace_switch_text(r->o->engine.switch_p, p, sizeof p);
			printf(" --switch=%s", p);
		}
	}
	printf("\n");
}

/* Few distinct values: one row each.  Many: RUNS_ROWS ranges of equal
 * width, so the shape still fits a screen. */
static void runs_histogram(const struct runs *r, const struct runs_elem *el)
{
	long most = 0;
	char label[48];
	if (el->n <= RUNS_ROWS) {
		for (int i = 0; i < el->n; i++)
			most = el->t[i].count > most ? el->t[i].count : most;
		for (int i = 0; i < el->n; i++) {
			snprintf(label, sizeof label, "%ld", el->t[i].value);
			runs_row(r, label, el->t[i].count, most, &el->t[i]);
		}
		return;
	}
	long lo = el->t[0].value, hi = el->t[el->n - 1].value;
	long width = (hi - lo) / RUNS_ROWS + 1;
	long counts[RUNS_ROWS + 1] = { 0 };
	for (int i = 0; i < el->n; i++)
		counts[(el->t[i].value - lo) / width] += el->t[i].count;
	for (int b = 0; b <= RUNS_ROWS; b++)
		most = counts[b] > most ? counts[b] : most;
	for (int b = 0; b <= RUNS_ROWS && lo + b * width <= hi; b++) {
		snprintf(label, sizeof label, "%ld..%ld", lo + b * width, lo + (b + 1) * width - 1);
		runs_row(r, label, counts[b], most, NULL);
	}
}

static void runs_print_text(const struct runs *r)
{
	runs_text_head(r);
	for (int k = 0; k < r->n_el && r->done; k++) {
		const struct runs_elem *el = &r->el[k];
		const struct scenario_elem *se = &r->s->objects[el->obj].elems[el->index];
		if (se->has_expect)
			printf(_("  %s: final value in %ld runs (expected %ld)\n"), el->name, r->done,
			       se->expect);
		else
			printf(_("  %s: final value in %ld runs\n"), el->name, r->done);
		runs_histogram(r, el);
	}
}

static void runs_print_json(const struct runs *r)
{
	printf("{\"type\":\"runs\",\"scenario\":");
	trace_json_string(stdout, r->s->id);
	char p[16];
	trace_switch_text(r->o->engine.switch_p > 0 ? r->o->engine.switch_p : 1, p, sizeof p);
	printf(",\"schedule\":\"%s\",\"seed\":%llu,\"switch\":%s,\"runs\":%ld,\"outcomes\":{",
	       schedule_name(r->o->engine.schedule), (unsigned long long)r->o->engine.seed, p, r->done);
	for (int o = RUN_FINISHED; o < RUN_STOPPED; o++)
		printf("%s\"%s\":%ld", o == RUN_FINISHED ? "" : ",", outcome_name((enum run_outcome)o),
		       r->outcomes[o]);
	printf("},\"values\":{");
	for (int k = 0; k < r->n_el; k++) {
		const struct runs_elem *el = &r->el[k];
		printf("%s", k ? "," : "");
		trace_json_string(stdout, el->name);
		printf(":{");
		for (int i = 0; i < el->n; i++)
			printf("%s\"%ld\":%ld", i ? "," : "", el->t[i].value, el->t[i].count);
		printf("}");
	}
	printf("}}\n");
}

static void runs_free(struct runs *r)
{
	for (int k = 0; k < r->n_el; k++)
		free(r->el[k].t);
	free(r->el);
}

int runs_run(const struct scenario *s, const struct runs_options *o)
{
	struct runs r = { .s = s, .o = o };
	char err[512] = "";
	int status = 0;
	if (runs_elems_init(&r) < 0) {
		fprintf(stderr, "lockstep: %s\n", _("out of memory for the runs' values"));
		return 1;
	}
	clock_gettime(CLOCK_MONOTONIC, &r.start);
	/* Watched for the whole loop: a stop signal between two runs waits
	 * for the next engine_run, which sees it at once. */
	signals_watch(1);
	for (long i = 0; i < o->runs; i++) {
		int rc = runs_one(&r, i, err, sizeof err);
		if (rc < 0)
			status = 1;
		if (rc != 0)
			break;
		runs_progress(&r);
	}
	signals_watch(0);
	runs_progress_end(&r);
	if (status) {
		fprintf(stderr, "lockstep: %s\n", err);
	} else if (o->json) {
		runs_print_json(&r);
	} else {
		runs_print_text(&r);
		if (r.done < o->runs)
			printf(_("  stopped after %ld of %ld runs\n"), r.done, o->runs);
	}
	runs_free(&r);
	int werr = trace_stdout_flush();
	return status ? status : werr ? trace_output_failed(werr) : 0;
}
