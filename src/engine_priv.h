/*
 * engine_priv.h: the controller's insides, shared by its files and by
 * nothing else.
 *
 *  - engine.c:   life cycle (fork, kill, reap), the event pipe, polling,
 *                the headless run loop, and the public engine_* calls of
 *                the controlled schedules, which it passes on;
 *  - schedule.c: the controlled schedules (schedule_*): the virtual clock,
 *                who steps next, one step, kill, replay;
 *  - plan.c:     following a plan of choices given in advance (plan_*).
 *
 * They feed the picture (picture.h: struct engine_view, the trace, the
 * verdict) with what the workers report and what they learn or decide
 * themselves; the picture owns no process and calls none of them.
 */
#ifndef LOCKSTEP_ENGINE_PRIV_H
#define LOCKSTEP_ENGINE_PRIV_H

#include <sched.h>
#include <stddef.h>
#include <time.h>

#include "arena.h"
#include "engine.h"
#include "picture.h"
#include "worker.h"

struct choice {
	int worker;
	int kill;       /* 1: engine_kill_worker, 0: engine_step */
	long at_step;   /* view.steps when it was made */
};

struct engine {
	const struct scenario *s;
	struct engine_options o;
	int n_workers;
	struct picture pic;                /* the view, the trace, the verdict */
	struct worker_view *wv;            /* pic.wv and pic.ov, for short */
	struct object_view *ov;

	struct arena *arena;
	size_t arena_size;
	int ev_rd, ev_wr, devnull;
	int ev_eof;                        /* ev_rd said EOF: poll it no more */
	int *pipe_fds;                     /* each OBJ_PIPE's read, write end */
	int n_pipes;
	pid_t pgid;
	int registry_slot;
	int live;                          /* forked, not yet reaped */

	int error_worker;                  /* said EV_ERROR, not reaped yet */
	int *exiting;                      /* said EV_EXIT, not yet reaped */
	unsigned char *reaped;             /* per worker: its process is */
	int dying, dying_status;           /* engine_kill_worker: reaped, death
	                                      not recorded yet (-1: none) */
	int n_exiting;

	struct choice *choices;
	long n_choices, cap_choices;
	long reach;                        /* step back reaches steps <= this */
	int rr_next;
	int last_stepped;                  /* who stepped last (-1: nobody) */

	long plan_i;                       /* the plan's next entry */
	int plan_left, plan_broken;        /* see engine_plan_state */
	char plan_why[200];

	struct choice *replay;             /* a replay under way: its choices */
	long replay_n, replay_i, replay_to;

	int stop_fd;                       /* readable: stop now (-1: none) */
	int failed;                        /* the run failed: see engine_error */
	char failure[256];

	char rbuf[1 << 16];
	size_t rlen;
	struct timespec t0;
	long deadline_ms;                  /* wall clock, -1: none */

	cpu_set_t cpus;                    /* the affinity we were given */
	int have_cpus;

	char *err;
	size_t errlen;
};

static inline int engine_controlled(const struct engine *e)
{
	return e->o.schedule != SCHED_OS;
}

/* Has the run failed (engine_fail, or the picture out of memory)? */
static inline int engine_failed(const struct engine *e)
{
	return e->failed || e->pic.failed;
}

/* Real milliseconds since the run started. */
static inline long engine_now_ms(const struct engine *e)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (t.tv_sec - e->t0.tv_sec) * 1000 + (t.tv_nsec - e->t0.tv_nsec) / 1000000;
}

/* os schedule: give the picture the real clock, for what it records next. */
static inline void engine_tick(struct engine *e)
{
	if (!engine_controlled(e))
		picture_set_time(&e->pic, engine_now_ms(e));
}

/* engine.c */
__attribute__((format(printf, 2, 3)))
void engine_set_err(struct engine *e, const char *fmt, ...);
/* Read what the event pipe holds now; who/done_who: see parse_reports. */
void engine_drain_pipe(struct engine *e, int who, int *done_who);
/* Reap every ended child of the run (see engine.c). */
void engine_reap(struct engine *e, int who, int *done_who);
/* Worker w's process is reaped with status: update the picture. */
void engine_reaped(struct engine *e, int w, int status, int who, int *done_who);
/* Reap worker w: now if its process has ended, or (wait) once it has:
 * only for a process that is already on its way out. */
void engine_reap_worker(struct engine *e, int w, int wait);
/* Kill and reap every process, unmap, close: the run is over. */
void engine_teardown(struct engine *e);
/* The run cannot go on for a reason that is not the lesson's (out of
 * memory, a worker that could not set itself up): say why once, stop. */
__attribute__((format(printf, 2, 3)))
void engine_fail(struct engine *e, const char *fmt, ...);
/* Has the process that ended with status (w: a worker, -1: the manager)
 * failed to set itself up?  Then the run fails. */
void engine_check_setup(struct engine *e, int w, int status);
/* Is the stop fd readable, or the deadline past?  Then set the outcome
 * (RUN_STOPPED, RUN_TIMEOUT) and return 1. */
int engine_interrupted(struct engine *e);
/* How long a step may wait for the stepped worker's report before the
 * worker is reported and killed (stopped from outside, say). */
#define ENGINE_ANSWER_MS 2000

/* plan.c: following engine_options.plan.  plan_reset() at each start;
 * plan_note() for every choice made (by the plan, by hand or replayed);
 * plan_kills() does the kills due before the next step; plan_next()
 * gives the plan's worker for the next step (-1: no plan, the schedule
 * picks; -2: it could not be followed, why says why). */
void plan_reset(struct engine *e);
void plan_note(struct engine *e, int w, int kill);
int plan_kills(struct engine *e, char *why, size_t whylen);
int plan_next(struct engine *e, char *why, size_t whylen);
/* Is there a plan entry still to follow? */
int plan_pending(const struct engine *e);

/* schedule.c: the controlled schedules.  The workers just forked are
 * started: at once in the os schedule; in a controlled one, one
 * Process.start() after another, each costing the scenario's
 * process-start-ms of virtual time. */
void schedule_start_workers(struct engine *e);
/* What engine.h's engine_step, engine_can_step, engine_kill_worker,
 * engine_rewind, engine_replay_some, engine_replaying and engine_restart
 * do (engine.c passes them on: the public names stay the engine's). */
int schedule_step(struct engine *e, int w, char *why, size_t whylen);
int schedule_can_step(const struct engine *e);
int schedule_kill(struct engine *e, int w);
int schedule_rewind(struct engine *e, long steps, char *why, size_t whylen);
long schedule_replay_some(struct engine *e, long budget);
int schedule_replaying(const struct engine *e, long *done, long *total);
int schedule_restart(struct engine *e, long steps, char *why, size_t whylen);
/* Why worker w cannot step now ("user3 is blocked on rooms"). */
void schedule_why_not(struct engine *e, int w, char *why, size_t len);

#endif
