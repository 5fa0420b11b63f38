/*
 * protocol.h: what the controller and its child processes (the workers,
 * the manager) say to each other, and nothing else: the reports on the
 * event pipe, the manager's requests and answers, where a child finds its
 * descriptors, and what its exit status means.  Both sides include it;
 * the picture (picture.h) reads the reports without knowing any process.
 *
 * The event pipe.  Reports travel through one pipe shared by all workers
 * and the manager.  Each report is a struct wire_event followed by
 * text_len bytes of text (not NUL-terminated, at most WIRE_TEXT_MAX),
 * sent with a single write() of at most PIPE_BUF bytes, so reports of
 * different processes never interleave.  In the controlled schedules a
 * worker writes exactly one report per gate post, and after its last op's
 * report an EV_EXIT (or, when an op fails, EV_ERROR and exit status
 * WORKER_EXIT_OP_FAILED).
 *
 * In the os schedule a worker writes EV_RELEASED *before* it really
 * releases, and EV_WAIT before it really blocks: so the controller, reading
 * the pipe in order, never sees an object taken twice, and a wait-for cycle
 * it sees is a real one.  In the controlled schedules it releases first and
 * then reports, so the next step, which starts only after the report,
 * finds the object free: that is what makes a seeded run reproducible.
 */
#ifndef LOCKSTEP_PROTOCOL_H
#define LOCKSTEP_PROTOCOL_H

#include <stdint.h>

#include "scenario.h"

/* One report.  Fixed-size fields, so both sides agree on the layout
 * whatever the compiler makes of the enums. */
struct wire_event {
	int32_t worker;          /* the worker it concerns (the manager: the
	                            requester) */
	int16_t pc;              /* the op it belongs to */
	uint8_t kind;            /* enum event_kind (engine.h) */
	int8_t object;           /* -1 when none */
	int64_t value;
	int64_t extra;
	uint16_t text_len;       /* bytes of text that follow */
	uint16_t elem;           /* value-like ops, manager requests */
	uint16_t pad[2];
};

#define WIRE_TEXT_MAX (SCENARIO_MAX_PRINT + SCENARIO_MAX_NAME * 4 + 64)

/* Where a child finds its descriptors after worker_hygiene(): the event
 * pipe, its manager socket, then each pipe object's two ends. */
#define WORKER_EVENT_FD   3
#define WORKER_MANAGER_FD 4
#define WORKER_PIPE_FD(k, end) (5 + 2 * (k) + (end))   /* end 0 read, 1 write */

/* A request to the manager process and its answer (see manager.h): one
 * answer per request, on the worker's own SOCK_SEQPACKET socket. */
struct manager_request {
	int32_t object, elem;
	int32_t op;              /* MANAGER_GET, MANAGER_SET, MANAGER_ADD */
	int32_t pc;
	int64_t value;
};
struct manager_reply {
	int64_t value;           /* get: the value; set: the old one; add: the new */
};
/* Also the extra of the manager's EV_REQUEST report. */
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

#endif
