/*
 * model.h: a pure interpreter of a scenario's ops under the controlled
 * schedules, for the search of every interleaving (explore.c).
 *
 * A model state is what a controlled run is made of at one step: each
 * worker's pc, register, lifecycle (ready, blocked and on what, asleep
 * until when, starting), what it holds (both as its own process counts it
 * and as the controller's picture does: for an ownerless Lock the two may
 * differ), the progress of its two-gate waits (condition, barrier,
 * event), its random generator for sleeps; and every object's real
 * primitive (a semaphore's count, a robust mutex's owner, an event's flag
 * and generation, a barrier's arrivals, a queue's or pipe's items, the
 * values) with the picture of it (holders, owner, waiters in arrival
 * order); the virtual clock; and the verdict so far.
 *
 * model_step(m, st, w) is exactly what engine_step(e, w) does to a run of
 * the same scenario and seed: first the clock moves when nobody is ready
 * (wake-ups, starts, acquire timeouts), then worker w does the op at its
 * pc as worker_do_op() does it in a controlled step, the picture takes
 * its reports as pic_apply() does, a worker that ends is settled as
 * settle_exit()/pic_died() settle it, and the verdict is pic_judge()'s
 * (deadlock_find(), only when the step changed who waits).  Tests prove
 * the two agree on every bundled lesson (tests/unit-explore.c).
 *
 * Contract:
 *  - Nothing here forks, touches a process, allocates per step, or
 *    includes curses.  A state is plain memory: copy it with
 *    model_state_copy(); model_pack() writes it canonically (two states
 *    that behave alike pack to the same bytes; steps taken are not part
 *    of it), model_unpack() reads it back.
 *  - What the model cannot follow exactly (a pipe holding more than
 *    MODEL_MAX_ITEMS items) makes the state's outcome MODEL_UNSUPPORTED,
 *    never a wrong answer.
 */
#ifndef LOCKSTEP_MODEL_H
#define LOCKSTEP_MODEL_H

#include <stddef.h>
#include <stdint.h>

#include "engine.h"
#include "scenario.h"

#define MODEL_MAX_ITEMS 64
/* A state's outcome besides enum run_outcome's: the model cannot say. */
#define MODEL_UNSUPPORTED (-1)

struct model_worker {
	int pc, state, waits_on;
	int starting, has_deadline, timed_out, phase, depth;
	int qobj, qpos;               /* the queue it is in, its place; -1 none */
	long reg, wake_ms, waited_gen;
	uint64_t rng;
	unsigned char wholds[SCENARIO_MAX_OBJECTS];   /* its process's count */
	unsigned char pholds[SCENARIO_MAX_OBJECTS];   /* the picture's */
};

struct model_object {
	long value;                   /* the picture's (object_view.value) */
	long sem;                     /* the real semaphore's count (a barrier:
	                                 its arrivals in this round) */
	int holders, owner, owner_died, flag;
	long gen, count_lost;
	int n_items;
	long items[MODEL_MAX_ITEMS];
	long elems[SCENARIO_MAX_ELEMS];
};

struct model_state {
	long clock;
	int outcome;                  /* enum run_outcome or MODEL_UNSUPPORTED */
	int cycle_len;
	struct model_worker *w;       /* n_workers of them */
	struct model_object o[SCENARIO_MAX_OBJECTS];
};

struct model;

/* The model of s for the seed (random sleeps), or NULL (out of memory). */
struct model *model_new(const struct scenario *s, uint64_t seed);
void model_free(struct model *m);
int model_workers(const struct model *m);
const struct scenario *model_scenario(const struct model *m);

/* States: made for m, freed with model_state_free. */
struct model_state *model_state_new(const struct model *m);
void model_state_free(struct model_state *st);
void model_state_copy(const struct model *m, struct model_state *to,
                      const struct model_state *from);
/* The state right after engine_start(). */
void model_initial(const struct model *m, struct model_state *st);

/* The workers engine_step(e, w) accepts now (ready once the clock has
 * moved), written to out (n_workers ints); returns how many. */
int model_movable(const struct model *m, const struct model_state *st, int *out);
/* engine_step(e, w): 0, or -1 when w cannot move (the clock may have
 * moved, as engine_step moves it). */
int model_step(const struct model *m, struct model_state *st, int w);
/* Nobody can move and the run is not over: engine_run() judges once
 * more (deadlock, or still running: stuck for a reason it cannot name). */
void model_stuck(const struct model *m, struct model_state *st);
/* 1 when worker w's next step only touches its own process (a print,
 * setting its register): it commutes with every other worker's. */
int model_local(const struct model *m, const struct model_state *st, int w);

/* The engine's view of st for the goals (goals_holds), st reached in
 * `steps` steps: it lives in m until the next call. */
const struct engine_view *model_view(struct model *m, const struct model_state *st, long steps);

/* Canonical bytes of st into buf (at most model_pack_max(m) bytes);
 * returns how many. */
size_t model_pack_max(const struct model *m);
size_t model_pack(const struct model *m, const struct model_state *st, unsigned char *buf);
void model_unpack(const struct model *m, struct model_state *st, const unsigned char *buf);

#endif
