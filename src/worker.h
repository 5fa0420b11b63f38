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
	uint16_t pad[3];
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
};

__attribute__((noreturn)) void worker_main(const struct worker_start *ws);

/* The per-worker random sequence (splitmix64): the same seed and worker
 * give the same sleeps in every schedule and every replay. */
uint64_t worker_rng_next(uint64_t *state);
uint64_t worker_rng_seed(uint64_t seed, int worker);

/* Format a worker's name, e.g. "user3", into buf. */
void worker_name(const struct scenario *s, int group, int number, char *buf, size_t len);

#endif
