/*
 * engine.h: the controller.  It forks one real process per worker, puts
 * the scenario's objects in shared memory as real process-shared
 * primitives, decides (or lets the kernel decide) the interleaving, keeps
 * the trace, and finds deadlocks.
 *
 * Schedules:
 *  - SCHED_OS: every worker runs freely; blocking is real blocking in the
 *    kernel, sleeps are real (divided by speed).  The engine only watches.
 *  - SCHED_RANDOM, SCHED_ROUND_ROBIN (the "controlled" schedules): a worker
 *    does one op only when the controller opens its gate, so the controller
 *    chooses the interleaving and a run is reproducible from its seed.  Time
 *    is virtual: a sleep parks the worker until the virtual clock reaches its
 *    wake time, and the clock jumps forward when nobody else can run.
 *
 * Life cycle (the UI and the headless runner both follow it):
 *
 *   e = engine_new(scenario, &options, err, sizeof err);
 *   engine_start(e);                 forks the workers, step 0
 *   loop:
 *     n = engine_pollfds(e, fds, max);   add your own fds (keys) after them
 *     poll(fds, n + yours, engine_timeout_ms(e));
 *     engine_dispatch(e, fds, n);    drains worker events, reaps children
 *     engine_step(e, -1) / engine_step(e, w)   controlled schedules only
 *     read engine_view(e), engine_events(e, &count) to draw (the newest)
 *   until engine_outcome(e) != RUN_RUNNING
 *   engine_free(e);                  kills and reaps every worker
 *
 * engine_run() does that loop without a UI (the headless runner).
 *
 * Contract:
 *  - The engine never blocks on a shared primitive and never busy-waits:
 *    engine_step() posts one gate and waits in poll() for that worker's
 *    report (microseconds), everything else happens from engine_dispatch().
 *  - No worker can hang the controller.  In a controlled step no op blocks
 *    inside the worker (a full queue or pipe is a wait the controller
 *    retries); every wait of the controller also watches the stop fd
 *    (engine_set_stop_fd) and the --timeout deadline; every child death is
 *    noticed, whoever caused it; and a stepped worker that neither reports
 *    nor dies within ENGINE_ANSWER_MS (2 s: stopped from outside, say) is
 *    reported (an EV_ERROR naming it) and killed.
 *  - A run that cannot go on for a reason that is not the lesson's (a
 *    worker or the manager could not set itself up, out of memory for the
 *    step-back record) stops (RUN_STOPPED) and engine_error() says why:
 *    callers report it as an error (exit 1), never as an outcome.
 *  - Memory stays bounded on long runs: engine_events() holds the newest
 *    ENGINE_EVENTS_KEPT events at least (on_event sees every one), and
 *    step back reaches the first ENGINE_BACK_STEPS steps of a run.
 *  - Workers never touch the terminal; their prints arrive as events.
 *  - engine_free() (and every outcome) leaves no worker alive and none
 *    unreaped.  Workers also die within a second when the controller is
 *    killed (parent-death signal).
 *  - engine_kill_all_async() may be called from a signal handler: it only
 *    uses async-signal-safe calls.
 *  - Pointers returned by engine_view()/engine_events() stay valid until the
 *    next call that changes the engine (step, dispatch, restart, free).
 *  - Nothing here includes curses.
 */
#ifndef LOCKSTEP_ENGINE_H
#define LOCKSTEP_ENGINE_H

#include <poll.h>
#include <stdint.h>
#include <sys/types.h>

#include "scenario.h"

/* A pipe object is a real pipe of this many bytes (16 pages).  In the
 * controlled schedules a send finds it full at ENGINE_PIPE_ITEMS unread
 * items and waits (EV_WAIT) like a put to a full queue, tried again when
 * an item is received.  Not at 8192: the kernel frees a page only once it
 * is read to its end, so one page is kept for the reader's partly read
 * one, and a write below that count never blocks. */
#define ENGINE_PIPE_BYTES 65536
#define ENGINE_PIPE_ITEMS ((ENGINE_PIPE_BYTES - 4096) / 8)

enum schedule { SCHED_OS, SCHED_RANDOM, SCHED_ROUND_ROBIN, SCHED_COUNT };

/* One choice of a controlled run: worker stepped, or (kill) was killed
 * after at_step steps.  What step back keeps, --record saves and a plan
 * (a --replay file) prescribes. */
struct engine_choice {
	int worker;
	int kill;
	long at_step;
};

struct engine_options {
	enum schedule schedule;
	uint64_t seed;          /* controlled schedules: picks and random sleeps */
	double switch_p;        /* SCHED_RANDOM: the chance, at each step, that
	                           any ready worker may be picked (1: every step,
	                           the default; lower: the worker that ran last
	                           goes on, when it can, with chance 1 - switch_p,
	                           as on a machine that switches now and then).
	                           0 or out of (0, 1] counts as 1. */
	double speed;           /* SCHED_OS: real sleep = sleep / speed (default 1) */
	double timeout_s;       /* wall-clock limit; 0: none */
	/* Controlled schedules: a plan (a --replay file), kept by the caller.
	 * engine_step(e, -1) follows it, then the schedule goes on; a step
	 * or kill chosen by hand that differs from it leaves it (a rewind
	 * to before that point takes it up again).  Kills in it happen
	 * before the next step.  An entry that cannot be followed (its
	 * worker cannot move) breaks it: see engine_plan_state(). */
	const struct engine_choice *plan;
	long plan_len;
	const char *plan_file;  /* the --replay file the plan came from, for
	                           the replay line; NULL: none */
};

enum worker_state {
	WS_READY,       /* can do its next op */
	WS_RUNNING,     /* doing an op now (os: between ops) */
	WS_BLOCKED,     /* waiting for an object (view.waits_on) */
	WS_SLEEPING,    /* until view.wake_ms */
	WS_DONE,        /* ran its whole program and exited */
	WS_KILLED,      /* died before the end (killed, or crashed) */
	WS_COUNT
};

/* What the UI and the printer read about one worker. */
struct worker_view {
	char name[SCENARIO_MAX_NAME + 12];
	int group;
	pid_t pid;
	int pc;                 /* index of the op it will do next (n_ops: done) */
	enum worker_state state;
	int waits_on;           /* object index while WS_BLOCKED, else -1 */
	long wake_ms;           /* virtual (os: real, since start) wake time */
	long reg;               /* its private register (from OP_LOAD) */
	int has_reg;
	unsigned char holds[SCENARIO_MAX_OBJECTS]; /* how many of each it holds
	                           (WS_KILLED: what it held when it died) */
	int has_deadline;       /* blocked in an acquire-timeout until wake_ms */
	int starting;           /* WS_SLEEPING until wake_ms because it is not
	                           started yet (1), or, the main process, is
	                           busy starting the others (2) */
	int exit_status;        /* wait status once DONE or KILLED */
};

/* What the UI and the printer read about one object. */
struct object_view {
	long value;             /* value: current; semaphore: current count;
	                           queue, pipe: items in it; condition (os):
	                           notifies sent that no waiter has taken yet */
	long intended;          /* value: initial + every update's amount */
	long updates;           /* value: updates completed */
	long lost;              /* value: updates that vanished */
	int holders;            /* lock/semaphore: holders now */
	int peak;               /* lock/semaphore: most holders at once;
	                           value: the highest it has been */
	int owner;              /* lock: worker holding it, -1 when free */
	int owner_died;         /* lock: its holder died holding it (robust) */
	long count_lost;        /* semaphore: counts lost with dead holders */
	int *queue;             /* workers waiting, in arrival order (a queue
	                           object: getters and putters both; a
	                           worker's op says which) */
	int queue_len;
	int flag;               /* event: 1 when set */
	int arrived;            /* barrier: workers waiting in this round */
	long rounds;            /* barrier: times it tripped */
	long items[SCENARIO_MAX_CAPACITY]; /* queue/pipe: oldest first */
	int n_items;            /* queue/pipe: items in it (pipe: up to 64 shown) */
	long moved;             /* queue/pipe: items put/sent so far */
	long elems[SCENARIO_MAX_ELEMS];          /* value-like: current values */
	long elem_intended[SCENARIO_MAX_ELEMS];  /* value-like: initial + updates */
	long elem_lost[SCENARIO_MAX_ELEMS];      /* value-like: updates lost */
	int n_elems;            /* value-like: how many (a value: 1, = value) */
	long errors;            /* over-releases and other op errors on it */
};

enum event_kind {
	EV_START,       /* worker started (value: pid) */
	EV_WAIT,        /* tried object, unavailable: now waits
	                   (value: place in queue; extra: a lock's owner or -1) */
	EV_ACQUIRED,    /* took object (value: holders after) */
	EV_RECOVERED,   /* took a lock whose holder died (EOWNERDEAD) */
	EV_RELEASED,    /* gave object back (value: holders after) */
	EV_LOAD,        /* register = value */
	EV_STORE,       /* value = register + amount (value: new value; extra: old) */
	EV_ADD,         /* atomic add (value: new value) */
	EV_SLEEP,       /* starts sleeping (value: ms) */
	EV_WAKE,        /* wakes up */
	EV_PRINT,       /* text */
	EV_ERROR,       /* an op failed (text says why); the worker exits */
	EV_EXIT,        /* worker ran its whole program */
	EV_KILLED,      /* worker died before the end (value: signal or status) */
	EV_DEADLOCK,    /* the engine found a deadlock (text names the cycle) */
	EV_TIMEOUT,     /* acquire-timeout gave up (object), jumps */
	EV_SET,         /* event set (value: waiters released) */
	EV_CLEAR,       /* event cleared */
	EV_PASSED,      /* wait done: event was set / barrier tripped / notified */
	EV_NOTIFY,      /* condition notified (value: waiters woken) */
	EV_PUT,         /* queue put / pipe send (value: item; extra: items now) */
	EV_GET,         /* queue get / pipe recv (value: item; extra: items now) */
	EV_REGISTER,    /* register set (value) */
	EV_JUMP,        /* goto taken (value: target op index) or not (-1) */
	EV_REQUEST,     /* manager served a request (worker: requester;
	                   object, value: the value; extra: 0 get, 1 set, 2 add;
	                   pc: element) */
	EV_COUNT
};

struct event {
	long step;              /* controlled: step number; os: event number */
	long t_ms;              /* virtual time (os: real ms since start) */
	int worker;             /* -1 for engine events */
	int pc;                 /* op index the event belongs to */
	enum event_kind kind;
	int object;             /* -1 when none */
	long value;
	long extra;
	int elem;               /* value-like objects: which element */
	char *text;             /* EV_PRINT, EV_ERROR, EV_DEADLOCK; else NULL.
	                         * EV_DEADLOCK: the cycle in English (JSON), a
	                         * NUL, then in the student's words (the log) */
};

enum run_outcome { RUN_RUNNING, RUN_FINISHED, RUN_DEADLOCK, RUN_TIMEOUT, RUN_STOPPED };

/* One link of a deadlock cycle: worker holds `holds` and waits for `waits`. */
struct cycle_link { int worker; int holds; int waits; };

struct engine_view {
	const struct scenario *scenario;
	enum schedule schedule;
	uint64_t seed;
	double switch_p;        /* as in engine_options (1 unless random) */
	const char *plan_file;  /* as in engine_options */
	long clock_ms;          /* virtual clock (os: real ms since start) */
	long steps;             /* steps taken so far */
	int n_workers;
	struct worker_view *workers;
	struct object_view *objects;     /* scenario->n_objects of them */
	enum run_outcome outcome;
	struct cycle_link *cycle;        /* the deadlock cycle, when found */
	int cycle_len;
	int started;                     /* processes forked in this run
	                                    (workers and the manager) */
	pid_t manager_pid;               /* the manager server process, 0: none */
	long manager_requests;           /* requests it has served */
	int manager_alive;
};

struct engine;

struct engine *engine_new(const struct scenario *s,
                          const struct engine_options *o,
                          char *err, size_t errlen);
/* Fork the workers.  0, or -1 with a message in err given to engine_new. */
int engine_start(struct engine *e);
/* Kill every worker, reap them, free everything. */
void engine_free(struct engine *e);

/* The fds the engine needs watched (POLLIN), written to fds[0..n-1]. */
int engine_pollfds(struct engine *e, struct pollfd *fds, int max);
/* How long poll() may sleep before the engine needs a call (-1: forever). */
int engine_timeout_ms(struct engine *e);
/* After poll(): read worker events, reap exits, check timeout, deadlock. */
void engine_dispatch(struct engine *e, const struct pollfd *fds, int n);

/* Controlled schedules: let one worker do one op.  w = -1: the schedule
 * picks.  Returns the worker that stepped, or -1 with a reason in why
 * (e.g. "user3 is blocked on rooms") when no step happened.  A step the
 * stop fd or the deadline interrupts ends at once (see the outcome). */
int engine_step(struct engine *e, int w, char *why, size_t whylen);
/* Can anyone step now (controlled, running, someone ready or sleeping)? */
int engine_can_step(const struct engine *e);
/* Kill worker w for real (SIGKILL) and record what it held. 0 or -1. */
int engine_kill_worker(struct engine *e, int w);

/* Start over: kill everything and fork again with the same options.  With
 * steps >= 0, replay the recorded choices up to that many steps (the
 * controlled schedules are deterministic, so this is exact): step back is
 * engine_restart(e, view->steps - 1).  0, or -1 with why (also when steps
 * is beyond what step back reaches: the first ENGINE_BACK_STEPS steps).
 * Synchronous: a long replay takes a while (about 0.5 ms a step). */
int engine_restart(struct engine *e, long steps, char *why, size_t whylen);

/* The same in slices, for a UI that must keep answering: engine_rewind()
 * starts over and arms the replay (0, or -1 with why); then call
 * engine_replay_some() from the poll loop until it returns 0: it replays
 * up to budget steps and returns how many are left.  budget <= 0 abandons
 * the replay where it got to.  While a replay is under way engine_step
 * refuses, engine_replaying() says how far it got (done of total steps),
 * and the --timeout clock starts again when it ends. */
int engine_rewind(struct engine *e, long steps, char *why, size_t whylen);
long engine_replay_some(struct engine *e, long budget);
int engine_replaying(const struct engine *e, long *done, long *total);

/* Step back reaches the first this many steps of a run (a choice is 16
 * bytes: at most 1.6 MB), and a replay of them takes under a minute. */
#define ENGINE_BACK_STEPS 100000L
/* engine_events() keeps at least the newest this many (and at most twice
 * as many) events: older ones are let go. */
#define ENGINE_EVENTS_KEPT 10000L

/* The fd whose readability means "stop now" (a signal arrived: e.g.
 * signals_stop_fd()), watched by every wait of engine_step, engine_restart
 * and engine_replay_some; they then end at once with RUN_STOPPED.  -1
 * (the default): none.  engine_run() sets it to its own stop_fd. */
void engine_set_stop_fd(struct engine *e, int fd);

/* Why the run failed, or NULL.  A failed run's outcome is RUN_STOPPED;
 * it is an error, not a lesson outcome. */
const char *engine_error(const struct engine *e);

/* A worker's exit code in words ("could not set up its descriptors"), or
 * NULL for a code with no name (0). */
const char *engine_exit_reason(int code);

/* Run to the end without a UI.  on_event (may be NULL) is called for every
 * event as it is recorded.  stop_fd (or -1): readable means stop now
 * (a signal arrived); the outcome is then RUN_STOPPED. */
enum run_outcome engine_run(struct engine *e,
                            void (*on_event)(void *ctx, const struct event *ev),
                            void *ctx, int stop_fd);

/* The choices of this run so far, as step back keeps them: copies up to
 * max of them to out and returns how many there are, or -1 when the run
 * is longer than what is kept (ENGINE_BACK_STEPS). */
long engine_choices(const struct engine *e, struct engine_choice *out, long max);

/* How far the plan got: returns the index of the entry it is at (the
 * next to follow, plan_len when all were followed; the one that could not
 * be followed when broken), *broken 1 with why set when an entry could
 * not be followed, *left 1 when a choice by hand left it.  With no plan:
 * 0, both 0. */
long engine_plan_state(const struct engine *e, int *broken, int *left,
                       char *why, size_t whylen);

const struct engine_view *engine_view(const struct engine *e);
const struct event *engine_events(const struct engine *e, long *count);
enum run_outcome engine_outcome(const struct engine *e);

/* Async-signal-safe: SIGKILL every worker of every live engine.  For fatal
 * signal handlers; the engine is unusable afterwards. */
void engine_kill_all_async(void);

const char *schedule_name(enum schedule s);
int schedule_parse(const char *name, enum schedule *out); /* 0 or -1 */
const char *worker_state_name(enum worker_state s);
const char *event_kind_name(enum event_kind k);
const char *outcome_name(enum run_outcome o);

#endif
