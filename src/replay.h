/*
 * replay.h: saved interleavings.  A replay file is the list of choices of
 * a controlled run, one a line: a worker's name (it takes the next step)
 * or `kill NAME` (it is killed before the next step).  Blank lines and
 * `#` comments are allowed anywhere; a header of comments before the
 * first choice may say `# scenario: ID`, `# schedule: NAME`, `# seed: N`,
 * `# switch: P` and `# workers: N`, which --replay takes as defaults for the options
 * the command line does not give.  --record and the TUI's `w` write one;
 * a hand-written list of names is one too.
 *
 * Contract:
 *  - replay_read() reads and checks a file's syntax in bounded memory and
 *    time: at most REPLAY_MAX_BYTES, lines of at most REPLAY_MAX_LINE
 *    bytes, at most ENGINE_BACK_STEPS choices; no control characters
 *    outside a line break and tabs.  Errors are one line,
 *    "FILE:LINE:COL: error: ...", with the file name and any quoted text
 *    escaped (scenario_escape), so a message never acts on a terminal.
 *  - replay_resolve() turns the names into workers of a loaded scenario
 *    (the run's plan, r->plan); a name it does not have is an error at
 *    its line, naming the step.
 *  - replay_where() says, as such an error, why the plan's entry i could
 *    not be followed at run time (see engine_plan_state).
 *  - replay_write() writes a file that replay_read() reads back to the
 *    same choices.  0, or -1 with a message (the file's fault: errno).
 * A struct replay is zeroed by replay_read and freed by replay_free, also
 * after a failed read.
 */
#ifndef LOCKSTEP_REPLAY_H
#define LOCKSTEP_REPLAY_H

#include <stddef.h>
#include <stdint.h>

#include "engine.h"
#include "scenario.h"

#define REPLAY_MAX_BYTES (4L << 20)
#define REPLAY_MAX_LINE 256

struct replay_item {
	int line, col;       /* where its name is */
	int kill;
	char *name;          /* into the file's text */
};

struct replay {
	char path[512];                 /* escaped, for messages */
	char *text;                     /* the file, names cut out in place */
	struct replay_item *items;
	long n;
	struct engine_choice *plan;     /* replay_resolve: n of them */
	char scenario[REPLAY_MAX_LINE]; /* the header's, "" when not said */
	int has_schedule, has_seed, has_switch;
	double switch_p;                /* the --switch dial, in (0, 1] */
	enum schedule schedule;
	uint64_t seed;
	int workers;                    /* 0: not said */
};

/* 0, or -1 with err; errno != 0 when it was not the file's fault (out of
 * memory), as for scenario_load. */
int replay_read(const char *path, struct replay *r, char *err, size_t errlen);
int replay_resolve(struct replay *r, const struct scenario *s, char *err, size_t errlen);
/* "FILE:LINE:COL: error: step N: WHY" for plan entry i; i == r->n: the
 * file ended first (never an error: the schedule goes on). */
void replay_where(const struct replay *r, long i, const char *why, char *err, size_t errlen);
void replay_free(struct replay *r);

/* What the header of a written file says. */
struct replay_header {
	const char *scenario;   /* how to name it again: a bundled id or a path */
	enum schedule schedule;
	uint64_t seed;
	int workers;            /* --workers, 0: the scenario's count */
	double switch_p;        /* --switch (written when below 1) */
	const char *outcome;    /* how the run ended so far, e.g. "deadlock" */
};

int replay_write(const char *path, const struct replay_header *h, const struct scenario *s,
                 const struct engine_choice *c, long n, char *err, size_t errlen);

/* The choices of engine e's run so far into a file (replay_write). */
int replay_write_run(const char *path, const struct replay_header *h,
                     const struct engine *e, char *err, size_t errlen);

#endif
