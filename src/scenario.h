/*
 * scenario.h: the model of one lesson, loaded from a YAML scenario file.
 *
 * A scenario names shared objects (values, locks, semaphores, ...), worker
 * groups that each run a program (a list of ops), the lesson's Python
 * source, narrative pages in English and Chinese, and what a run is expected
 * to end with.
 *
 * Contract:
 *  - scenario_load() reads and validates a file.  On success it returns a
 *    scenario that owns all its memory (free it with scenario_free()).  On
 *    failure it returns NULL and writes exactly one message of the form
 *    "FILE:LINE:COL: error: what is wrong" into err (no trailing newline).
 *  - A loaded scenario is valid: every op names an existing object of a kind
 *    that op accepts, every number is within the bounds below, every group
 *    has at least one worker.  The engine relies on that and checks nothing.
 *  - A non-atomic update (`update:` in the file, the lesson's
 *    d['count'] -= 1) is stored as two ops, OP_LOAD then OP_STORE, because
 *    it is two steps of the worker; every other op is one step.
 *  - scenario_set_workers() overrides the worker count of a one-group
 *    scenario (the --workers option); it fails on a multi-group scenario.
 *    A value's initial and expect that the file writes in terms of
 *    `workers` follow the new count (scenario_elem.initial_is, expect_is).
 *
 * This header includes nothing from curses or libcyaml: the engine and the
 * UI both read it.
 */
#ifndef LOCKSTEP_SCENARIO_H
#define LOCKSTEP_SCENARIO_H

#include <stddef.h>

#include "kinds.h"

#define SCENARIO_FORMAT_VERSION 1

/* Bounds.  A file past one gets a clear error, not a slow or huge run. */
#define SCENARIO_MAX_NAME      32      /* bytes in an object or group name */
#define SCENARIO_MAX_OBJECTS   32
#define SCENARIO_MAX_GROUPS    16
#define SCENARIO_MAX_WORKERS   4096    /* processes in one run, all groups */
#define SCENARIO_MAX_OPS       256     /* steps in one program, after expansion */
#define SCENARIO_MAX_SLEEP_MS  600000  /* 10 minutes of (virtual) sleep */
#define SCENARIO_MAX_TEXT      65536   /* bytes in one text (source, page) */
#define SCENARIO_MAX_PRINT     160     /* bytes in one print message */
#define SCENARIO_MAX_PAGES     32
#define SCENARIO_MAX_VALUE     1000000000L /* |initial|, |add|, counts */
#define SCENARIO_MAX_START_MS  60000   /* process-start-ms */

/*
 * What one multiprocessing.Process.start() costs, in virtual milliseconds,
 * when a scenario does not say (process-start-ms).  Measured on the
 * development machine (Debian 12, CPython 3.11.7, 2 cores): the median of
 * 200 p.start() calls with the fork start method, each timed with
 * time.perf_counter() around start() alone (bench/process_start.py;
 * docs/scenario-format.md, "Starting a process").
 */
#define SCENARIO_DEFAULT_START_MS 20

#define SCENARIO_MAX_AFTER     32      /* lines the main process prints after its joins */
#define SCENARIO_MAX_ELEMS     64      /* elements of an array/dict/list/namespace */
#define SCENARIO_MAX_CAPACITY  64      /* items a queue holds */

/* A number that follows the worker count: base + per_worker * workers
 * (docs/scenario-format.md, "Numbers that follow --workers"). */
struct scenario_linear {
	long base;
	long per_worker;
};

/* One element of a value-like object (value, array, dict, list,
 * namespace).  A plain value has exactly one, with an empty key.
 * initial and expect are the numbers for the current worker count;
 * initial_is and expect_is say how they follow it. */
struct scenario_elem {
	char key[SCENARIO_MAX_NAME];  /* dict/namespace: its key; else "" */
	long initial;
	int has_expect;
	long expect;
	struct scenario_linear initial_is, expect_is;
	int initial_line, initial_col; /* where they are written (0: not) */
	int expect_line, expect_col;
};

struct scenario_object {
	char name[SCENARIO_MAX_NAME];
	enum object_kind kind;
	long initial;       /* value: its start; (bounded) semaphore: its count;
	                       lock, rlock, robust-lock: 1; event: its flag
	                       (0/1); others: 0 */
	int has_expect;     /* the file says what the value should end at */
	long expect;        /* value only: the end a correct program reaches */
	int has_limit;      /* value: the file says the most it should be */
	long limit;         /* value: that most (4 rooms: 4 people inside) */
	int lock;           /* condition: index of its lock/rlock; else -1 */
	int capacity;       /* queue: most items; barrier: parties; else 0 */
	struct scenario_elem elems[SCENARIO_MAX_ELEMS]; /* value-like kinds */
	int n_elems;        /* value: 1; array/list/dict/namespace: 1..64; else 0 */
	int line, col;      /* where the object is defined in the file (1-based) */
};

enum op_kind {
	OP_ACQUIRE,      /* lock-like: take it, blocking if unavailable;
	                    with timeout_ms > 0: give up then, goto target */
	OP_RELEASE,      /* lock-like: give it back */
	OP_LOAD,         /* value-like: register = value (first half of `update`) */
	OP_STORE,        /* value-like: value = register + amount (second half) */
	OP_ATOMIC_ADD,   /* value-like: value += amount, in one indivisible step */
	OP_SLEEP,        /* sleep sleep_min_ms..sleep_max_ms (equal: fixed) */
	OP_PRINT,        /* print text: {name} the worker's name, {reg} its register */
	OP_SET,          /* event: flag up */
	OP_CLEAR,        /* event: flag down */
	OP_WAIT,         /* event, condition or barrier: see the format doc */
	OP_NOTIFY,       /* condition: wake one waiter (notify_all: every one) */
	OP_PUT,          /* queue: put amount (use_register: the register) */
	OP_GET,          /* queue: register = oldest item */
	OP_SEND,         /* pipe: send amount (use_register: the register) */
	OP_RECV,         /* pipe: register = next integer */
	OP_SET_REGISTER, /* register = amount */
	OP_GOTO,         /* jump to target (has_if: only when register == if_value) */
	OP_CRASH,        /* die on the spot (text: why) */
	OP_KIND_COUNT
};

struct scenario_op {
	enum op_kind kind;
	int object;         /* index into scenario.objects, -1 when none */
	int elem;           /* value-like ops: element index (key/index), else 0 */
	long amount;        /* OP_STORE, OP_ATOMIC_ADD, OP_PUT, OP_SEND, OP_SET_REGISTER */
	int use_register;   /* OP_PUT, OP_SEND: send the register, not amount */
	int notify_all;     /* OP_NOTIFY: notify-all */
	long timeout_ms;    /* OP_ACQUIRE: > 0 for acquire-timeout */
	int target;         /* OP_GOTO, timed-out OP_ACQUIRE: op index to jump to */
	int has_if;         /* OP_GOTO: conditional */
	long if_value;      /* OP_GOTO: jump when register == if_value */
	char label[SCENARIO_MAX_NAME]; /* "" when the op has no label */
	long sleep_min_ms;  /* OP_SLEEP: a random whole number of seconds in */
	long sleep_max_ms;  /*   [min,max] like random.randint, or fixed     */
	int sleep_step_ms;  /* OP_SLEEP: granularity: 1000 for randint seconds, 1 otherwise */
	char *text;         /* OP_PRINT: the message template; OP_CRASH: why; NULL otherwise */
	int py_line;        /* 1-based line of `python` this op stands for, 0 none */
	int line, col;      /* where the op is written in the file (1-based) */
};

struct scenario_group {
	char name[SCENARIO_MAX_NAME]; /* workers are named name0, name1, ... */
	int count;                    /* how many workers run this program */
	int first_index;              /* number of the first worker (default 0) */
	int parent;                   /* the program's main process: not started
	                                 by Process.start(), it starts the others */
	struct scenario_op *ops;
	int n_ops;
	int line, col;
};

/* Text in both languages; either may be NULL when the file omits it. */
struct scenario_text {
	char *en;
	char *zh;
};

/* A line the main process prints once every process it started has
 * ended (a Python program's prints after its joins; `after` in the
 * file).  {=NAME} in text is object NAME's final value, as Python prints
 * it: {'count': 0} for a dict, 0 for a value. */
struct scenario_after {
	char *text;
	int py_line;        /* 1-based line of `python`, 0 none */
};

enum scenario_outcome { OUTCOME_FINISHED, OUTCOME_DEADLOCK, OUTCOME_ANY };

/* A figure the projector shows (`big`): a number about the run or about
 * one object (its first element, for value-like kinds with several). */
#define SCENARIO_MAX_FIGURES 6
enum figure_what {
	FIG_VALUE,      /* OBJ or OBJ.value: a value's current value */
	FIG_LOST,       /* OBJ.lost: a value's updates lost */
	FIG_HIGHEST,    /* OBJ.highest: the highest it has been (against its limit) */
	FIG_TAKEN,      /* OBJ.taken: a semaphore or lock's holders now, of its count */
	FIG_PEAK,       /* OBJ.peak: the most holders at once, of its count */
	FIG_STARTED,    /* started: processes started */
	FIG_FINISHED,   /* finished: workers that ran to their end */
	FIG_WAITING,    /* waiting: workers blocked now */
	FIG_TIME,       /* time: seconds of the run (virtual, or real under os) */
};
struct scenario_figure {
	enum figure_what what;
	int object;                   /* -1 for started, finished, waiting */
};

#define SCENARIO_MAX_GOALS     16
#define SCENARIO_MAX_WITHIN    1000000  /* a goal's `within` steps */

/* What a goal asks of a run (docs/scenario-format.md, "goals"). */
enum goal_kind {
	GOAL_OUTCOME,    /* the run ends so (deadlock: the moment it forms) */
	GOAL_ENDS_AT,    /* when the run is over, a value is at a number */
	GOAL_ENDS_NOT,   /* ... or is not */
	GOAL_PEAK,       /* an object's peak (holders, or a value's highest)
	                    goes above a number */
	GOAL_AT_LINE,    /* a worker is at a Python line while another holds
	                    an object */
	GOAL_WAITS,      /* a worker waits for an object */
	GOAL_BROKEN      /* an object's limit is broken: its peak goes above
	                    a value's `limit` or a lock's `max-holders` */
};

struct scenario_goal {
	char id[SCENARIO_MAX_NAME];
	struct scenario_text text;    /* en required */
	enum goal_kind kind;
	enum scenario_outcome outcome; /* GOAL_OUTCOME */
	int object;         /* ENDS_*, PEAK, WAITS, BROKEN: its object; AT_LINE: the one held */
	int elem;           /* ENDS_*: the element (0 for a plain value) */
	int vs_expect;      /* ENDS_*: the number is the element's expect */
	long number;        /* ENDS_*: the number; PEAK, BROKEN: the limit */
	int py_line;        /* AT_LINE: the line of `python` */
	int group;          /* AT_LINE, WAITS: who: -1 anyone, else a group */
	int number_in_group; /* ... and -1 for all of it, or one worker's number */
	long within;        /* met only by this step; 0: any time */
	int line, col;      /* where the goal is written */
};

struct scenario {
	char *path;                   /* as given to scenario_load */
	char *id;                     /* e.g. "counter-locked" */
	struct scenario_text title;
	struct scenario_text summary; /* one line, for the lesson menu */
	char *section;                /* lesson section, e.g. "data-sharing"; may be NULL */
	int order;                    /* position in the lesson menu */

	struct scenario_object objects[SCENARIO_MAX_OBJECTS];
	int n_objects;

	struct scenario_group groups[SCENARIO_MAX_GROUPS];
	int n_groups;

	char *python;                 /* the lesson's Python source; may be NULL */
	struct scenario_text pages[SCENARIO_MAX_PAGES]; /* narrative, paged */
	int n_pages;

	struct scenario_after after[SCENARIO_MAX_AFTER];
	int n_after;

	int workers_set;              /* --workers gave the count, not the file */
	long process_start_ms;        /* virtual cost of one Process.start() */

	/* `big`: the figures --big shows, in order; n_figures 0: chosen
	 * from the objects' kinds (tui_big.c). */
	struct scenario_figure figures[SCENARIO_MAX_FIGURES];
	int n_figures;

	enum scenario_outcome expect_outcome;  /* OUTCOME_ANY when not said */
	struct scenario_goal goals[SCENARIO_MAX_GOALS]; /* optional challenges */
	int n_goals;
	long expect_max_holders[SCENARIO_MAX_OBJECTS]; /* 0 = not said */
};

/*
 * Load and validate PATH.  NULL and one message in err on failure; then
 * errno tells whose fault it was:
 *  - 0: the file's.  err is "PATH:LINE:COL: error: ...", the caller exits
 *    with 2.  A path that is not a regular file (a FIFO, a directory, a
 *    device) is refused without being read, and never blocks.
 *  - EMFILE, ENFILE, ENOMEM, ...: the environment's (out of descriptors or
 *    memory).  err is "cannot open PATH: Too many open files" (or "cannot
 *    load PATH: ..."), no position; the caller exits with 1.
 * PATH appears in messages with control characters escaped (\n, \x1b), so
 * a message is always one line.
 */
struct scenario *scenario_load(const char *path, char *err, size_t errlen);
/* The same from LEN bytes in memory, named NAME in messages (the fuzz
 * target uses it; the size cap still applies). */
struct scenario *scenario_load_buffer(const char *name, const void *data,
				      size_t len, char *err, size_t errlen);

/* S with every control character and non-UTF-8 byte written as an escape
 * (\n, \x1b, \u009b), so that a file name prints on one line and does
 * nothing to a terminal.  Truncated to fit OUTLEN. */
void scenario_escape(char *out, size_t outlen, const char *s);
void scenario_free(struct scenario *s);

/* Total workers over all groups. */
int scenario_worker_count(const struct scenario *s);

/* Find which group worker number W (0-based over all groups) belongs to,
 * and its number within that group.  Returns the group index. */
int scenario_worker_group(const struct scenario *s, int w, int *index_in_group);

/* Override the worker count (--workers=N).  0 on success; -1 and a message
 * in err when the scenario has several groups or N is out of bounds. */
int scenario_set_workers(struct scenario *s, int n, char *err, size_t errlen);

/* Find an object by name; -1 when there is none. */
int scenario_find_object(const struct scenario *s, const char *name);

/* Names for messages, traces and JSON ("acquire", ...); a kind's name
 * is object_kind_name() in kinds.h. */
const char *op_kind_name(enum op_kind k);

#endif
