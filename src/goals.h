/*
 * goals.h: a lesson's goals (scenario->goals), judged on a run.
 *
 * A goal is met the first time its condition holds in the engine's view
 * (engine_view: what the workers reported, never shared memory), and stays
 * met, with the step it was met at.  Conditions on how a value ends are
 * judged once the run is over (finished, deadlock or timeout); the others
 * at any moment.  `within` N: only by step N.
 *
 * Call goals_check() after anything that may have changed the view (each
 * event, each step) and once when the run is over; it is cheap (at most
 * SCENARIO_MAX_GOALS conditions, each a look at the view).  Nothing here
 * includes curses; the printers write the summary's goal lines.
 */
#ifndef LOCKSTEP_GOALS_H
#define LOCKSTEP_GOALS_H

#include <stdio.h>

#include "engine.h"
#include "scenario.h"

struct goal_status {
	int met;
	long step;      /* the step it was met at */
};

struct goals {
	const struct scenario *s;
	int n;
	struct goal_status st[SCENARIO_MAX_GOALS];
	int n_met;
};

void goals_reset(struct goals *g, const struct scenario *s);
/* Judge the view now: returns the index of a goal met just now (the first
 * of them when several are), or -1. */
int goals_check(struct goals *g, const struct engine_view *v);
/* Does goal i of s hold in v now (its `within` counted on v->steps)?
 * goals_check() is this and the memory of what was met; --explore asks
 * it of the model's view of each state (model_view). */
int goals_holds(const struct scenario *s, int i, const struct engine_view *v);
/* The goal's text in the language asked for ("zh": Chinese when there is). */
const char *goals_text(const struct scenario_goal *goal, const char *lang);

/* "  goals      2 of 3 met" and a line per goal ("[x] its text (step 6)"),
 * for the text summary. */
void goals_print_text(FILE *f, const struct goals *g, const char *lang);
/* "[{"id": ..., "met": true, "step": 12}, ...]" for the JSON summary. */
void goals_print_json(FILE *f, const struct goals *g);

#endif
