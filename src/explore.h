/*
 * explore.h: every interleaving of a scenario (--explore).  One run shows
 * one interleaving and --runs a sample of them; this walks all of them
 * under the controlled schedules' rules (virtual time, start costs,
 * blocking as the engine does it), on the model of the ops (model.h),
 * and says what can happen at all: each reachable outcome, each final
 * value, and the shortest schedule to each outcome and to each of the
 * scenario's goals (judged by goals_holds() on the model's view of each
 * state, the same judge as a run's; a goal's schedule is replayed on
 * real processes, which must meet the goal).
 *
 * The search is breadth first over states, each state seen once (state
 * caching), so the first schedule found to an outcome is a shortest one.
 * With reduction (the default) a worker whose next step touches only its
 * own process (a print, setting its register) takes it before anyone else
 * is tried: it commutes with every other step, so no outcome and no value
 * is lost (tests/explore.sh compares with the full search); the schedules
 * found are then cut of steps they do not need, and may in rare cases be
 * a step or two longer than the full search's.  A budget of states (and
 * of memory: under 160 MB, and of time: a minute) bounds the search: past it, the report says it
 * is incomplete, and what it lists is only some of what can happen.
 *
 * Every schedule printed has been replayed on real processes first
 * (engine_step(e, w) with the schedule's workers): the run must end as
 * the model said, with the same values, or explore fails (exit 1).
 *
 * Contract: explore_run() returns the exit status: 0 when the search
 * happened (complete or not), 1 when it could not (memory, fork) or the
 * processes disagreed with the model or a write failed, 2 for a schedule
 * it cannot explore (os).  No worker outlives it.
 */
#ifndef LOCKSTEP_EXPLORE_H
#define LOCKSTEP_EXPLORE_H

#include "engine.h"
#include "replay.h"
#include "scenario.h"

#define EXPLORE_DEFAULT_STATES 2000000L
#define EXPLORE_MAX_STATES 50000000L
#define EXPLORE_MAX_SECONDS 60          /* and at most a minute of search */

struct explore_options {
	struct engine_options engine;   /* seed: random sleeps' */
	long max_states;                /* the budget, 1..EXPLORE_MAX_STATES */
	int json;
	int full;                       /* 1: no reduction */
	const char *record;             /* write the shortest deadlock (or
	                                   else finished) schedule here, as a
	                                   replay file (replay.h) */
	int goal;                       /* --goal: record the shortest
	                                   schedule to this goal (its index
	                                   in s->goals) instead; -1 */
	struct replay_header header;    /* its header (outcome: set here) */
};

int explore_run(const struct scenario *s, const struct explore_options *o);

/* For the TUI's hint (h): from the state a run reached by stepping the
 * workers prefix[0..n_prefix-1] from its start, the shortest way on to a
 * deadlock, or when none can be reached, to a finish with a value not as
 * expected (a lost update): *goal says which.  Bounded: at most
 * max_states states and about max_ms of wall-clock time.  The schedule
 * (worker numbers, *n of them, malloc'd: free it), or NULL when none was
 * found (*complete: the whole space was seen, so there is none). */
enum explore_goal { EXPLORE_DEADLOCK, EXPLORE_WRONG };
int *explore_hint(const struct scenario *s, uint64_t seed, const int *prefix, long n_prefix,
                  long max_states, long max_ms, enum explore_goal *goal, long *n,
                  int *complete);

/* Step the workers p[0..n-1] from the start on real processes and check
 * that the run ends as the model says, with the same values: 0, or -1
 * with why in err.  Every schedule explore reports has passed this. */
int explore_check(const struct scenario *s, uint64_t seed, const int *p, long n, char *err,
                  size_t len);

#endif
