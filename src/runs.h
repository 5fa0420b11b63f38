/*
 * runs.h: many runs of one scenario, and the spread of what they ended
 * with (--runs=N).  One run shows one interleaving; a class needs to see
 * that 100 unlocked processes lose updates in some runs and not in
 * others, and how often.
 *
 * The runs go one after the other, each on fresh processes: with a
 * controlled schedule run i uses seed + i (so any run can be replayed from
 * its seed), under os each run is a new one of the kernel's.  Printed at
 * the end: how many runs ended finished, in a deadlock or by the timeout,
 * and for each value-like element a histogram of its final values (text),
 * or one JSON line {"type": "runs", ...} (--json).  While the runs take
 * more than a second and stderr is a terminal, a progress bar is drawn
 * there.
 *
 * Contract: returns the exit status, as headless_run(): 0 when the runs
 * happened (a stop signal ends them early: what was gathered is printed,
 * and main then dies of the signal), 1 when a run could not happen (fork,
 * memory) or a write failed.  No worker outlives a run.
 */
#ifndef LOCKSTEP_RUNS_H
#define LOCKSTEP_RUNS_H

#include "engine.h"
#include "scenario.h"

#define RUNS_MAX 100000

struct runs_options {
	struct engine_options engine;   /* seed: the first run's */
	long runs;                      /* 1..RUNS_MAX */
	int json;
};

int runs_run(const struct scenario *s, const struct runs_options *o);

#endif
