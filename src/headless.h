/*
 * headless.h: run a scenario to its end without a terminal UI, printing
 * the trace (a line per event) and a summary, as text or JSON lines.
 *
 * Contract: returns the process exit status: 0 when the run happened,
 * whatever its outcome (finished, deadlock, timeout, stopped by a signal:
 * main then dies of that signal, see signals.h), 1 when the engine could
 * not run it (fork or memory failure) or a write to stdout failed (the
 * first failed write stops the run; a closed pipe ends the program by
 * SIGPIPE, see trace_output_failed).  Every worker is killed and reaped
 * before it returns.  With a replay: 2 and one line
 * "FILE:LINE:COL: error: step N: ..." on stderr (instead of the summary)
 * when the run cannot follow it (a worker that cannot move, a run over
 * before the file).  With record: 1 when the file cannot be written.
 * With timeline, the run is printed as a timeline (timeline.h) instead of
 * a line per event; with svg, the timeline is also written to that file
 * as an SVG picture (a file that cannot be opened: one line on stderr and
 * 2, before anything runs; one that cannot be written: 1).
 * The summary reports the lesson's goals (goals.h); with goals set, a run
 * that did not meet every one returns HEADLESS_GOALS_UNMET (3).
 */
#ifndef LOCKSTEP_HEADLESS_H
#define LOCKSTEP_HEADLESS_H

#include "engine.h"
#include "replay.h"
#include "scenario.h"

struct headless_options {
	struct engine_options engine;  /* .plan: replay's, when given */
	int json;
	int quiet;   /* summary only */
	const struct replay *replay;   /* --replay: its file, for messages */
	const char *record;            /* --record=FILE, NULL: none */
	struct replay_header header;   /* what --record's file says */
	int timeline;                  /* the timeline as text, not the trace */
	const char *svg;               /* --svg=FILE, NULL: none */
	int goals;                     /* --goals: exit 3 unless every goal is met */
};

/* The exit status of --goals when a goal of the lesson was not met. */
#define HEADLESS_GOALS_UNMET 3

int headless_run(const struct scenario *s, const struct headless_options *o);

#endif
