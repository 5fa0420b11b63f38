/*
 * picture.h: the controller's picture of a run: who holds what, who waits
 * in which queue, the values and their lost updates, the peaks, the trace
 * and the verdict (struct engine_view, engine.h).
 *
 * A reducer, and only that: it changes only when it is fed, by
 *  - the children's reports (picture_apply, one struct wire_event of
 *    protocol.h each, in the order they were read from the event pipe);
 *  - what the controller learnt or decided itself: a worker's process
 *    ended with a wait status (picture_died), a start or a sleep is over
 *    (picture_wake), a worker was let do one op (picture_stepping), the
 *    real clock (picture_set_time, os schedule), what shared memory says
 *    now (picture_observe, os schedule);
 * and it never forks, reaps, reads shared memory, sleeps or calls back
 * into the engine.  So a test feeds it made-up events and reads the view
 * (tests/unit-picture.c), and the engine (engine.c, schedule.c) owns the
 * processes and feeds it.
 *
 * Contract:
 *  - picture_init() then picture_free(); picture_reset() starts a new run
 *    of the same scenario (the engine's restart).  picture_init() returns
 *    0, or -1 when out of memory (then picture_free() is still right).
 *  - view is what engine_view() returns.  Its controller's own fields
 *    the engine writes: steps in the controlled schedules (os: the
 *    picture counts the ops done), clock_ms in the controlled schedules
 *    (os: the picture_set_time clock), started (the forks; a delayed
 *    start is counted by picture_starting and picture_wake), manager_pid,
 *    manager_alive, and the outcomes RUN_TIMEOUT and RUN_STOPPED, over
 *    which the picture never judges.
 *  - view.workers[w] / view.objects[o] are wv[w] / ov[o].  A worker's
 *    state changes only through picture_set_state(), so the ready set
 *    (ready[0..n_ready-1]) and n_ended are always right.
 *  - Every event the picture records goes to the trace (events, the
 *    newest ENGINE_EVENTS_KEPT at least) and to on_event when set.  When
 *    memory for it runs out, failed is set and the outcome is RUN_STOPPED.
 *  - In the controlled schedules one worker acts at a time, so the
 *    picture is exact; in the os schedule it follows the order in which
 *    the kernel let the reports through, which the workers arrange to be
 *    safe for queues and deadlock finding (protocol.h).
 */
#ifndef LOCKSTEP_PICTURE_H
#define LOCKSTEP_PICTURE_H

#include <stddef.h>

#include "engine.h"
#include "protocol.h"
#include "scenario.h"

/* The longest deadlock cycle the picture keeps (and names). */
#define PICTURE_MAX_CYCLE 64

struct picture {
	const struct scenario *s;
	int n_workers;
	int controlled;                    /* not SCHED_OS: one acts at a time */
	double speed;                      /* os: real sleep = sleep / speed */
	long now_ms;                       /* os: the real clock (picture_set_time) */

	struct engine_view view;
	struct worker_view *wv;            /* n_workers */
	struct object_view *ov;            /* SCENARIO_MAX_OBJECTS */
	int *group, *number;               /* per worker: its group, its number */
	int *queues;                       /* n_objects rows of n_workers */
	int *ready, *ready_pos;            /* the READY workers, as a set */
	int n_ready;
	int n_ended;                       /* DONE or KILLED */
	int *last_release;                 /* deadlock.h: deadlock_find's */
	long unit[SCENARIO_MAX_OBJECTS];   /* |amount| shared by a value's updates */
	struct cycle_link cycle[PICTURE_MAX_CYCLE];
	int blocked_changed;               /* picture_judge must look again */

	struct event *events;              /* the trace, its newest events */
	long n_events, cap_events;
	long events_dropped;               /* older ones let go */
	void (*on_event)(void *ctx, const struct event *ev);
	void *ctx;
	int failed;                        /* out of memory for the trace */
};

int picture_init(struct picture *p, const struct scenario *s, const struct engine_options *o);
void picture_free(struct picture *p);
/* A fresh picture for a new run: everyone READY, nothing held, no trace. */
void picture_reset(struct picture *p);

/* os schedule: the real milliseconds since the run started, for the
 * events recorded next and for the deadlines they start. */
void picture_set_time(struct picture *p, long now_ms);

/* One report of a worker or of the manager; text is its text_len bytes
 * (or NULL). */
void picture_apply(struct picture *p, const struct wire_event *we, const char *text);

/* os schedule, just before the report of a store or an atomic add to
 * obj's element elem is applied: shared memory holds value now.  Reports
 * of different workers come out of order, so this, not the report, is
 * the value shown. */
void picture_observe(struct picture *p, int obj, int elem, long value);

/* Worker w's process ended with wait status (waitpid's): a death before
 * its program's end is recorded (EV_KILLED); what it held is let go the
 * way its object's kind says (a Lock stays taken, a robust-lock is free
 * for its next taker to recover). */
void picture_died(struct picture *p, int w, int status);

/* Is the run finished, a deadlock (recorded once when it forms), or still
 * running?  Sets view.outcome, unless it is RUN_TIMEOUT or RUN_STOPPED. */
void picture_judge(struct picture *p);

/* Controlled schedules: worker w is let do its next op now. */
void picture_stepping(struct picture *p, int w);

/* Worker w does not start (1), or, as the main process starting the
 * others, goes on (2), before wake_ms: it sleeps until then. */
void picture_starting(struct picture *p, int w, long wake_ms, int how);

/* What picture_wake() found for a worker whose wake time came. */
enum picture_wake { PW_NONE, PW_STARTED, PW_WOKE, PW_TIMED_OUT };
/* The clock reached w's wake time: its start is over (EV_START), its
 * sleep is (EV_WAKE), or its acquire's timeout (it leaves the queue and
 * says EV_TIMEOUT itself at its next step): it is READY. */
enum picture_wake picture_wake(struct picture *p, int w);

void picture_set_state(struct picture *p, int w, enum worker_state st);

/* An event of the controller's own (a start, an unanswered step). */
struct event *picture_record(struct picture *p, int worker, int pc, enum event_kind kind,
                             int object, long value, long extra,
                             const char *text, size_t text_len);

#endif
