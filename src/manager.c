/*
 * manager.c: the manager server process (see manager.h).
 */
#include "config.h"

#include <errno.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "engine.h"
#include "manager.h"
#include "protocol.h"
#include "worker.h"

int manager_needed(const struct scenario *s)
{
	for (int i = 0; i < s->n_objects; i++)
		if (kind_is(s->objects[i].kind, KF_MANAGED))
			return 1;
	return 0;
}

static void report(int worker, const struct manager_request *rq, long value)
{
	struct wire_event ev;
	memset(&ev, 0, sizeof ev);
	ev.worker = worker;
	ev.pc = (int16_t)rq->pc;
	ev.kind = EV_REQUEST;
	ev.object = (int8_t)rq->object;
	ev.elem = (uint16_t)rq->elem;
	ev.value = value;
	ev.extra = rq->op;
	while (write(WORKER_EVENT_FD, &ev, sizeof ev) < 0)
		if (errno != EINTR)
			_exit(WORKER_EXIT_REPORT);
}

void manager_main(const struct scenario *s, pid_t controller, pid_t pgid,
                  int event_fd, int devnull_fd, const int *worker_fds, int n_workers)
{
	int *keep = malloc((size_t)(n_workers + 1) * sizeof *keep);
	struct pollfd *fds = malloc((size_t)n_workers * sizeof *fds);
	if (!keep || !fds)
		_exit(WORKER_EXIT_MEMORY);
	keep[0] = event_fd;
	memcpy(keep + 1, worker_fds, (size_t)n_workers * sizeof *keep);
	worker_hygiene(controller, pgid, devnull_fd, keep, n_workers + 1);
	free(keep);

	/* The objects live here, in this process's own memory. */
	static long values[SCENARIO_MAX_OBJECTS][SCENARIO_MAX_ELEMS];
	for (int o = 0; o < s->n_objects; o++)
		for (int i = 0; i < s->objects[o].n_elems; i++)
			values[o][i] = s->objects[o].elems[i].initial;

	for (int w = 0; w < n_workers; w++)
		fds[w] = (struct pollfd){ .fd = 4 + w, .events = POLLIN };
	int open_sockets = n_workers;
	while (open_sockets > 0) {
		if (poll(fds, (nfds_t)n_workers, -1) < 0) {
			if (errno == EINTR)
				continue;
			_exit(WORKER_EXIT_POLL);
		}
		for (int w = 0; w < n_workers; w++) {
			if (!fds[w].revents)
				continue;
			struct manager_request rq;
			ssize_t n = read(fds[w].fd, &rq, sizeof rq);
			if (n <= 0) {
				if (n < 0 && errno == EINTR)
					continue;
				/* The worker is gone: stop listening to it. */
				close(fds[w].fd);
				fds[w].fd = -1;
				open_sockets--;
				continue;
			}
			if (n != (ssize_t)sizeof rq || rq.object < 0 || rq.object >= s->n_objects ||
			    rq.elem < 0 || rq.elem >= SCENARIO_MAX_ELEMS)
				continue;
			long *v = &values[rq.object][rq.elem];
			struct manager_reply rp = { .value = *v };
			if (rq.op == MANAGER_SET)
				*v = (long)rq.value;          /* reply: the old value */
			else if (rq.op == MANAGER_ADD)
				rp.value = *v += (long)rq.value;
			report(w, &rq, *v);
			while (write(fds[w].fd, &rp, sizeof rp) < 0 && errno == EINTR)
				;
		}
	}
	_exit(WORKER_EXIT_OK);
}
