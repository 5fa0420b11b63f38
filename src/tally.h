/*
 * tally.h: the spread of many runs' results: how many runs ended
 * finished, in a deadlock or by the timeout, and for each element of a
 * value-like object how often each final value came up, with the seed of
 * the first run that gave it.  One home for it, shared by --runs
 * (runs.c, headless) and the TUI's many runs (the m key, tui_runs.c), so
 * the histogram a class sees and the one a script reads never differ.
 *
 * Use: tally_init; after each run that ended (not stopped), tally_add
 * with its view; print with tally_print_text or tally_print_json;
 * tally_free.  Run i (0-based) uses seed tally_seed(t, i): the first
 * run's seed plus i, so a controlled run can be replayed from its row.
 *
 * Contract: nothing here runs a process; tally_add copies what it needs
 * from the view.  Memory grows with the distinct final values only.
 */
#ifndef LOCKSTEP_TALLY_H
#define LOCKSTEP_TALLY_H

#include <stdint.h>
#include <stdio.h>

#include "engine.h"
#include "scenario.h"

/* How often one final value came up, and the first run that gave it. */
struct tally_count {
	long value;
	long count;
	uint64_t seed;
};

/* One element of a value-like object ("count", "arr[2]", "d['n']"). */
struct tally_elem {
	char name[96];
	int obj, index;
	struct tally_count *t;   /* sorted by value */
	int n, cap;
};

struct tally {
	const struct scenario *s;
	struct engine_options engine;   /* seed: the first run's */
	long done;                      /* runs counted */
	long outcomes[RUN_STOPPED + 1];
	struct tally_elem *el;
	int n_el;
};

/* 0, or -1 when out of memory. */
int tally_init(struct tally *t, const struct scenario *s, const struct engine_options *o);
void tally_free(struct tally *t);
/* The seed of run i (0-based). */
uint64_t tally_seed(const struct tally *t, long i);
/* Count one run that ended, with seed, from its final view: 0, or -1
 * when out of memory. */
int tally_add(struct tally *t, const struct engine_view *v, uint64_t seed);

/* The tally as text: a heading, the outcomes, a histogram per element.
 * width 0: the --runs layout (bars of 40 columns, each row with its
 * --seed); width > 0: for a panel of the TUI, whose title says the
 * schedule: the outcomes and rows that fit in width columns, no seeds. */
void tally_print_text(FILE *f, const struct tally *t, int width);
/* One line {"type":"runs",...}. */
void tally_print_json(FILE *f, const struct tally *t);

#endif
