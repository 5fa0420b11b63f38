/*
 * worker.h: the child process: it runs one program of ops on the real
 * shared objects and reports every event to the controller.
 *
 * Reports travel through one pipe shared by all workers (the "event
 * pipe").  Each report is a struct wire_event followed by text_len bytes
 * of text, sent with a single write() of at most PIPE_BUF bytes, so reports
 * of different workers never interleave.  In the controlled schedules a
 * worker writes exactly one report per gate post, and after its last op's
 * report an EV_EXIT (or, when an op fails, EV_ERROR and exit status 1).
 *
 * In the os schedule a worker writes EV_RELEASED *before* it really
 * releases, and EV_WAIT before it really blocks: so the controller, reading
 * the pipe in order, never sees an object taken twice, and a wait-for cycle
 * it sees is a real one.  In the controlled schedules it releases first and
 * then reports, so the next step, which starts only after the report,
 * finds the object free: that is what makes a seeded run reproducible.
 *
 * worker_main() never returns.  It is called in the child right after
 * fork(); it sets up the child's hygiene (process group, death signal,
 * signals, fds, stdio on /dev/null) first.
 */
#ifndef LOCKSTEP_WORKER_H
#define LOCKSTEP_WORKER_H

#include <stdint.h>
#include <sys/types.h>

#include "arena.h"
#include "scenario.h"

struct wire_event {
	int32_t worker;
	int16_t pc;
	uint8_t kind;            /* enum event_kind */
	int8_t object;           /* -1 when none */
	int64_t value;
	int64_t extra;
	uint16_t text_len;
	uint16_t elem;           /* value-like ops, manager requests */
	uint16_t pad[2];
};

#define WIRE_TEXT_MAX (SCENARIO_MAX_PRINT + SCENARIO_MAX_NAME * 4 + 64)

struct worker_start {
	const struct scenario *scenario;
	struct arena *arena;
	int index;               /* worker number over all groups */
	int group;
	int number;              /* its number in its name (first + index in group) */
	pid_t controller;        /* to notice the controller died before prctl */
	pid_t pgid;              /* 0: lead a new process group */
	int event_fd;            /* write end of the event pipe */
	int devnull_fd;
	int manager_fd;          /* its socket to the manager, -1: none */
	const int *pipe_fds;     /* read, write end of each OBJ_PIPE, in order */
	int n_pipes;
};

/* Where a worker finds its descriptors after child_hygiene(): the event
 * pipe, its manager socket, then each pipe object's two ends. */
#define WORKER_EVENT_FD   3
#define WORKER_MANAGER_FD 4
#define WORKER_PIPE_FD(k, end) (5 + 2 * (k) + (end))   /* end 0 read, 1 write */

/* A request to the manager process and its answer (see manager.h). */
struct manager_request {
	int32_t object, elem;
	int32_t op;              /* MANAGER_GET, MANAGER_SET, MANAGER_ADD */
	int32_t pc;
	int64_t value;
};
struct manager_reply {
	int64_t value;           /* get: the value; set: the old one; add: the new */
};
enum { MANAGER_GET, MANAGER_SET, MANAGER_ADD };

/* A worker's (or the manager's) exit status says why it ended.  Only
 * WORKER_EXIT_OK and WORKER_EXIT_OP_FAILED (and WORKER_EXIT_CRASH) belong
 * to the lesson; the others mean the process could not do its job at all
 * (WORKER_EXIT_SETUP_FIRST..LAST), which makes the run fail (engine_error)
 * instead of ending as a lesson.  engine_exit_reason() names them. */
enum worker_exit {
	WORKER_EXIT_OK = 0,
	WORKER_EXIT_OP_FAILED = 1,      /* an op failed; it said why (EV_ERROR) */
	WORKER_EXIT_REPORT = 3,         /* could not write to the event pipe */
	WORKER_EXIT_GATE = 4,           /* could not wait on its gate */
	WORKER_EXIT_ORPHAN = 5,         /* the controller died before it started */
	WORKER_EXIT_FDS = 6,            /* could not set up its descriptors */
	WORKER_EXIT_MEMORY = 7,         /* out of memory while starting */
	WORKER_EXIT_POLL = 8,           /* the manager could not wait for requests */
	WORKER_EXIT_CRASH = 9,          /* a crash op's SIGKILL did not end it */
};
#define WORKER_EXIT_SETUP_FIRST WORKER_EXIT_REPORT
#define WORKER_EXIT_SETUP_LAST WORKER_EXIT_POLL

__attribute__((noreturn)) void worker_main(const struct worker_start *ws);

/* The child's set-up, shared with the manager process: process group,
 * death signal, default signals, stdio on /dev/null, and only the listed
 * descriptors kept, moved to 3, 4, 5... in that order (-1: skip a slot). */
void worker_hygiene(pid_t controller, pid_t pgid, int devnull_fd,
                    const int *keep, int n_keep);

/* The per-worker random sequence (splitmix64): the same seed and worker
 * give the same sleeps in every schedule and every replay. */
uint64_t worker_rng_next(uint64_t *state);
uint64_t worker_rng_seed(uint64_t seed, int worker);

/* Format a worker's name, e.g. "user3", into buf. */
void worker_name(const struct scenario *s, int group, int number, char *buf, size_t len);

#endif
