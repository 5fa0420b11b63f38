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
#include "tally.h"
#include "trace.h"

#define RUNS_BAR 40        /* the progress bar's width, in columns */

struct runs {
	const struct scenario *s;
	const struct runs_options *o;
	struct tally tally;
	struct timespec start;
	int bar;                /* the progress bar is on stderr */
	long bar_at;            /* runs it showed last */
};

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
	if (r->bar && r->tally.done * RUNS_BAR / total == r->bar_at * RUNS_BAR / total &&
	    r->tally.done != total)
		return;
	char bar[RUNS_BAR + 1];
	long filled = r->tally.done * RUNS_BAR / total;
	for (int i = 0; i < RUNS_BAR; i++)
		bar[i] = i < filled ? '#' : '.';
	bar[RUNS_BAR] = '\0';
	fprintf(stderr, "\r%s [%s] %ld/%ld", _("runs"), bar, r->tally.done, total);
	r->bar = 1;
	r->bar_at = r->tally.done;
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
	eo.seed = tally_seed(&r->tally, i);
	struct engine *e = engine_new(r->s, &eo, err, len);
	if (!e)
		return -1;
	if (engine_start(e) < 0) {
		engine_free(e);
		return -1;
	}
	enum run_outcome outcome = engine_run(e, NULL, NULL, signals_stop_fd());
	int rc = outcome == RUN_STOPPED;
	if (engine_error(e)) {
		snprintf(err, len, "%s", engine_error(e));
		rc = -1;
	} else if (!rc && tally_add(&r->tally, engine_view(e), eo.seed) < 0) {
		snprintf(err, len, "%s", _("out of memory for the runs' values"));
		rc = -1;
	}
	engine_free(e);
	return rc;
}

int runs_run(const struct scenario *s, const struct runs_options *o)
{
	struct runs r = { .s = s, .o = o };
	char err[512] = "";
	int status = 0;
	if (tally_init(&r.tally, s, &o->engine) < 0) {
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
		tally_print_json(stdout, &r.tally);
	} else {
		tally_print_text(stdout, &r.tally, 0);
		if (r.tally.done < o->runs)
			printf(_("  stopped after %ld of %ld runs\n"), r.tally.done, o->runs);
	}
	tally_free(&r.tally);
	int werr = trace_stdout_flush();
	return status ? status : werr ? trace_output_failed(werr) : 0;
}
