/*
 * timeline.h: who did what at each step, as a swimlane picture: one row
 * per worker (and one for the manager process when the scenario has one),
 * one column per step.  A cell says what the worker did at that step (a
 * mark: acquire, release, read, write, waits, ...), what state it was in
 * after it (a fill: ready, waiting, sleeping, not started or ended) and
 * what it held (one object, or several).  The deadlock's cycle is marked
 * on its rows.
 *
 * It is a pure reducer of the engine's events (struct event), the same
 * list the trace prints: no process, no terminal, no shared memory, so
 * the unit tests feed it made-up events.  Three drawers share it: the TUI's
 * view (tui_timeline.c), the text printer and the SVG printer
 * (timeline_print.c, --timeline and --svg).
 *
 * Only a window of columns is stored (steps first .. first + n_cols - 1),
 * so a long run costs bounded memory: the state of every row is followed
 * through all events, but cells are kept only inside the window.  A
 * printer slides the window along as its blocks fill; the TUI builds the
 * window it shows afresh from engine_events() on each frame.
 *
 * Use:
 *   tl = timeline_new(scenario, n_workers, n_cols);   NULL: out of memory
 *   timeline_reset(tl, first);            optional: another window start
 *   for each event in order: timeline_add(tl, ev);
 *   timeline_finish(tl, view);            the cycle, from the view
 *   timeline_cell(tl, row, step) for every row and step in the window
 *   timeline_free(tl);
 *
 * Steps: under the controlled schedules an op is one step and its events
 * carry its number (starts and wakes carry the step before them); under
 * os every event has a number of its own.  Either way columns are the
 * events' step numbers, in order.
 */
#ifndef LOCKSTEP_TIMELINE_H
#define LOCKSTEP_TIMELINE_H

#include <stdio.h>

#include "engine.h"
#include "scenario.h"

/* What a worker did at a step (one per cell: the most telling of its
 * events there, e.g. "must wait" over "release" for a condition's wait). */
enum tl_mark {
	TL_NONE, TL_START, TL_ACQUIRE, TL_RECOVER, TL_RELEASE, TL_WAIT,
	TL_TIMEOUT, TL_PASSED, TL_READ, TL_WRITE, TL_ADD, TL_SLEEP, TL_PRINT,
	TL_SET, TL_CLEAR, TL_NOTIFY, TL_PUT, TL_GET, TL_REGISTER, TL_JUMP,
	TL_ERROR, TL_END, TL_KILLED, TL_MARK_COUNT
};

/* Its state after the step. */
enum tl_fill { TF_ABSENT, TF_READY, TF_WAITING, TF_SLEEPING, TF_ENDED, TF_COUNT };

#define TL_HOLD_NONE (-1)
#define TL_HOLD_MANY (-2)     /* holds two objects or more */

struct tl_cell {
	unsigned char mark;   /* enum tl_mark */
	unsigned char fill;   /* enum tl_fill */
	signed char hold;     /* the object it holds, TL_HOLD_NONE, TL_HOLD_MANY */
	signed char obj;      /* the object the mark is about, or -1 */
};

/* One row's state, followed through every event. */
struct tl_row {
	enum tl_fill fill;
	int waits;            /* the object it waits on, -1 */
	int n_held;           /* objects it holds some of */
	unsigned char holds[SCENARIO_MAX_OBJECTS];
	int cycle;            /* in the deadlock's cycle (timeline_finish) */
	int cycle_holds, cycle_waits;   /* its link of the cycle (objects) */
};

struct timeline {
	const struct scenario *s;
	int n_workers;
	int n_rows;           /* the workers, then the manager's row */
	int manager_row;      /* -1: the scenario has no manager */
	long first;           /* the window: steps first .. first + n_cols - 1 */
	int n_cols;
	long last;            /* the newest step seen; -1 before any event */
	long filled;          /* window columns up to here have their fills */
	long deadlock_step;   /* where the newest deadlock formed, -1 */
	long seen_from;       /* the first event's step: earlier ones not seen */
	struct tl_cell *cells;   /* n_cols columns of n_rows cells */
	struct tl_row *rows;
	int last_taker[SCENARIO_MAX_OBJECTS];
	char letter[SCENARIO_MAX_OBJECTS];   /* lock-like objects: a, b, ... */
};

struct timeline *timeline_new(const struct scenario *s, int n_workers, int n_cols);
void timeline_free(struct timeline *tl);
/* Forget every event; the window starts at step first. */
void timeline_reset(struct timeline *tl, long first);
/* Move the window on to start at step first (>= the current first):
 * the columns it still covers are kept, the state goes on. */
void timeline_slide(struct timeline *tl, long first);
void timeline_add(struct timeline *tl, const struct event *ev);
/* The run as the view has it now: fill the window up to the newest step
 * and mark the deadlock's cycle (v->cycle) on its rows. */
void timeline_finish(struct timeline *tl, const struct engine_view *v);

/* The cell of row at step, or NULL when the window does not hold it. */
const struct tl_cell *timeline_cell(const struct timeline *tl, int row, long step);
/* The last step the window holds a column for (-1: none). */
long timeline_window_end(const struct timeline *tl);
/* A row's name: the worker's (from the view) or "manager". */
const char *timeline_row_name(const struct timeline *tl, const struct engine_view *v, int row);

/* What a row of the cycle holds and waits for, in words. */
void timeline_cycle_words(const struct timeline *tl, int row, char *buf, size_t len);

/* Glyphs: one ASCII character each, the same on every drawer, so the
 * picture reads without colour. */
char timeline_mark_glyph(enum tl_mark m);
char timeline_fill_glyph(enum tl_fill f);
/* The letter of the object a cell holds ('a' for the first lock-like
 * object, ...), '+' for several, ' ' for none. */
char timeline_hold_glyph(const struct timeline *tl, const struct tl_cell *c);
/* The glyph of the deadlock's cycle, in the column after the last. */
#define TL_CYCLE_GLYPH '#'
/* What a mark or fill means, untranslated (N_): the legend. */
const char *timeline_mark_word(enum tl_mark m);
const char *timeline_fill_word(enum tl_fill f);

/* What a stretch of the window shows, for its legend. */
struct tl_used {
	unsigned marks;       /* 1u << mark */
	unsigned fills;       /* 1u << fill */
	unsigned holds;       /* 1u << object held */
	int several;          /* several held at once */
	int cycle;            /* a row is in the deadlock's cycle */
};
/* Add what steps from..to show to u. */
void timeline_used(const struct timeline *tl, long from, long to, struct tl_used *u);
/* The legend of what u says is shown, translated, as lines of at most
 * width columns ("A acquires  R releases ..."), each ending in '\n'. */
void timeline_legend(FILE *f, const struct timeline *tl, const struct tl_used *u, int width,
                     const char *indent);

/* ---- printers (timeline_print.c) ---------------------------------------- */

/* --timeline: the timeline as text, printed in blocks of
 * TIMELINE_TEXT_BLOCK columns as the run goes, so a long run costs no
 * more memory than a block.  Feed every event, then call _end with the
 * final view: it prints the last block, the cycle and the legend. */
#define TIMELINE_TEXT_BLOCK 60
struct timeline_text;
struct timeline_text *timeline_text_new(FILE *f, const struct scenario *s, int n_workers);
void timeline_text_event(struct timeline_text *p, const struct engine_view *v,
                         const struct event *ev);
void timeline_text_end(struct timeline_text *p, const struct engine_view *v);
void timeline_text_free(struct timeline_text *p);

/* --svg=FILE: the same picture for slides.  It keeps the newest
 * TIMELINE_SVG_STEPS steps at most (fewer with many workers, so that it
 * stays under TIMELINE_SVG_CELLS cells).  Every text that comes from the
 * scenario is escaped for XML.  0, or -1 with errno (a failed write). */
#define TIMELINE_SVG_STEPS 2000
#define TIMELINE_SVG_CELLS 2000000L
struct timeline *timeline_svg_new(const struct scenario *s, int n_workers);
/* Feed one event, sliding the window on by half when it is full. */
void timeline_svg_event(struct timeline *tl, const struct event *ev);
int timeline_svg_write(FILE *f, struct timeline *tl, const struct engine_view *v);

#endif
