/*
 * deadlock.c: the stuck set and its cycle (see deadlock.h).
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "deadlock.h"

enum { FREES, EMPTIES };   /* what an op does for waiters: see below */

/* Which op makes obj available to its waiters (FREES), and, for a queue,
 * which one makes room for blocked putters (EMPTIES). */
static int op_helps(const struct scenario *s, const struct scenario_op *op, int obj, int dir)
{
	if (op->object != obj)
		return 0;
	enum object_kind k = s->objects[obj].kind;
	if (dir == EMPTIES)
		return kind_info(k)->wait == KW_ITEMS &&
		       (op->kind == OP_GET || op->kind == OP_RECV);
	return kind_frees(k, op->kind);
}

void deadlock_last_releases(const struct scenario *s, int *last_release)
{
	for (int g = 0; g < s->n_groups; g++) {
		const struct scenario_group *gr = &s->groups[g];
		/* A program that jumps back may do any of its ops again. */
		int loops = 0;
		for (int i = 0; i < gr->n_ops; i++)
			if ((gr->ops[i].kind == OP_GOTO || gr->ops[i].timeout_ms > 0) &&
			    gr->ops[i].target <= i)
				loops = 1;
		for (int o = 0; o < SCENARIO_MAX_OBJECTS; o++)
			for (int dir = 0; dir < 2; dir++) {
				int *at = &last_release[(g * SCENARIO_MAX_OBJECTS + o) * 2 + dir];
				*at = -1;
				if (o >= s->n_objects)
					continue;
				for (int i = 0; i < gr->n_ops; i++)
					if (op_helps(s, &gr->ops[i], o, dir))
						*at = loops ? gr->n_ops : i;
			}
	}
}

static int alive(const struct worker_view *w)
{
	return w->state != WS_DONE && w->state != WS_KILLED;
}

static enum op_kind waiting_op(const struct scenario *s, const struct worker_view *w)
{
	const struct scenario_group *g = &s->groups[w->group];
	return w->pc >= 0 && w->pc < g->n_ops ? g->ops[w->pc].kind : OP_KIND_COUNT;
}

/* Which help a waiter needs: a blocked putter needs a get, a sender
 * waiting on a full pipe a recv. */
static int needs(const struct scenario *s, const struct worker_view *w)
{
	enum op_kind op = waiting_op(s, w);
	return kind_info(s->objects[w->waits_on].kind)->wait == KW_ITEMS &&
	       (op == OP_PUT || op == OP_SEND) ? EMPTIES : FREES;
}

static int available(const struct scenario *s, const struct object_view *ov,
                     const struct worker_view *w)
{
	int obj = w->waits_on;
	switch (kind_info(s->objects[obj].kind)->wait) {
	case KW_OWNER: return ov[obj].owner < 0;
	case KW_COUNT: return ov[obj].value > 0;
	case KW_FLAG: return ov[obj].flag;
	case KW_ITEMS:
		if (needs(s, w) == FREES)
			return ov[obj].n_items > 0;
		/* Room: a queue's capacity, or what a real pipe holds. */
		return ov[obj].n_items < (kind_info(s->objects[obj].kind)->keys & KK_CAPACITY
		                          ? s->objects[obj].capacity : ENGINE_PIPE_ITEMS);
	case KW_NOTIFY: return ov[obj].value > 0;   /* os: notifies pending */
	default: return 0;   /* a barrier: only others can help */
	}
}

/* A Lock has no owner, so anyone whose program releases it may help,
 * unless, going straight, it must first acquire it itself: it would wait
 * with the rest (two Locks taken in opposite orders by two workers are a
 * deadlock even while a third, yet to take the first, is free, as when
 * the Locks had owners).  -1: a jump comes first, so it cannot tell.  A
 * semaphore's waiters are called stuck only once every worker that could
 * still release it waits too, so a lesson's latecomers are seen to
 * arrive. */
static int acquires_first(const struct scenario *s, const struct worker_view *h, int obj)
{
	const struct scenario_group *g = &s->groups[h->group];
	for (int i = h->pc; i < g->n_ops; i++) {
		const struct scenario_op *op = &g->ops[i];
		if (op->kind == OP_GOTO || op->timeout_ms > 0)
			return -1;
		if (op->object == obj && op->kind == OP_ACQUIRE)
			return 1;
		if (op->object == obj && op->kind == OP_RELEASE)
			return 0;
	}
	return 0;
}

/* Could worker h, if it keeps moving, give obj's waiters what they need? */
static int can_help(const struct scenario *s, const int *last_release,
                    const struct worker_view *h, int hi, int obj, int dir,
                    const struct object_view *ov)
{
	if (kind_is(s->objects[obj].kind, KF_OWNED))
		return ov[obj].owner == hi;
	if (last_release[(h->group * SCENARIO_MAX_OBJECTS + obj) * 2 + dir] < h->pc)
		return 0;
	int a_lock = kind_is(s->objects[obj].kind, KF_COUNTING) &&
	             !(kind_info(s->objects[obj].kind)->keys & KK_INITIAL);
	return !(a_lock && dir == FREES && acquires_first(s, h, obj) == 1);
}

/* Mark in stuck[] every blocked worker whose object is unavailable and
 * who waits without a timeout: the candidates.  Returns how many. */
static int blocked_unavailable(const struct scenario *s, const struct worker_view *wv,
                               const struct object_view *ov, char *stuck)
{
	int n_stuck = 0;
	/* A blocked worker is in the queue of what it waits for: looking
	 * there, not at every worker, keeps this cheap with 1000 workers.
	 * One that waits with a timeout will move on by itself. */
	for (int o = 0; o < s->n_objects; o++)
		for (int i = 0; i < ov[o].queue_len; i++) {
			int w = ov[o].queue[i];
			if (wv[w].state == WS_BLOCKED && wv[w].waits_on == o && !wv[w].has_deadline &&
			    !stuck[w] && !available(s, ov, &wv[w])) {
				stuck[w] = 1;
				n_stuck++;
			}
		}
	return n_stuck;
}

/* One round of rescue: unmark every stuck worker that some live worker
 * not stuck could help.  Returns how many were unmarked.
 * rescuer[obj][dir]: some live worker that is not stuck can help.  Only
 * what someone stuck waits for matters; a lock has one possible rescuer,
 * its owner, so the common case is linear. */
static int rescue(const struct scenario *s, const int *last_release,
                  const struct worker_view *wv, int n_workers,
                  const struct object_view *ov, char *stuck)
{
	char rescuer[SCENARIO_MAX_OBJECTS][2], waited[SCENARIO_MAX_OBJECTS][2];
	memset(waited, 0, sizeof waited);
	memset(rescuer, 0, sizeof rescuer);
	for (int w = 0; w < n_workers; w++)
		if (stuck[w])
			waited[wv[w].waits_on][needs(s, &wv[w])] = 1;
	for (int o = 0; o < s->n_objects; o++)
		for (int dir = 0; dir < 2; dir++) {
			if (!waited[o][dir])
				continue;
			if (kind_is(s->objects[o].kind, KF_OWNED)) {
				int h = ov[o].owner;
				rescuer[o][dir] = h >= 0 && !stuck[h] && alive(&wv[h]);
				continue;
			}
			for (int h = 0; h < n_workers && !rescuer[o][dir]; h++)
				if (!stuck[h] && alive(&wv[h]) &&
				    can_help(s, last_release, &wv[h], h, o, dir, ov))
					rescuer[o][dir] = 1;
		}
	int freed = 0;
	for (int w = 0; w < n_workers; w++)
		if (stuck[w] && rescuer[wv[w].waits_on][needs(s, &wv[w])]) {
			stuck[w] = 0;
			freed++;
		}
	return freed;
}

/* No cycle: list the stuck, each with something it holds. */
static int list_stuck(const struct scenario *s, const struct worker_view *wv, int n_workers,
                      const char *stuck, struct cycle_link *out, int max)
{
	int n = 0;
	for (int w = 0; w < n_workers && n < max; w++) {
		if (!stuck[w])
			continue;
		int held = -1;
		for (int o = 0; o < s->n_objects && held < 0; o++)
			if (wv[w].holds[o])
				held = o;
		out[n++] = (struct cycle_link){ .worker = w, .holds = held, .waits = wv[w].waits_on };
	}
	return n;
}

/* Walk from the first stuck worker to a stuck holder of what it waits
 * for, until a worker repeats: that loop is the cycle.  With none, the
 * stuck themselves.  0 when out of memory. */
static int name_cycle(const struct scenario *s, const struct worker_view *wv, int n_workers,
                      const char *stuck, struct cycle_link *out, int max)
{
	int *seen_at = malloc((size_t)n_workers * sizeof *seen_at);
	int *path = malloc((size_t)n_workers * sizeof *path);
	int len = 0, cur = -1, n = 0;
	if (!seen_at || !path)
		goto out;
	for (int w = 0; w < n_workers; w++)
		seen_at[w] = -1;
	for (int w = 0; w < n_workers && cur < 0; w++)
		if (stuck[w])
			cur = w;
	while (cur >= 0 && seen_at[cur] < 0) {
		seen_at[cur] = len;
		path[len++] = cur;
		int obj = wv[cur].waits_on, next = -1;
		for (int h = 0; h < n_workers && next < 0; h++)
			if (h != cur && stuck[h] && wv[h].holds[obj])
				next = h;
		cur = next;
	}
	if (cur < 0) {
		n = list_stuck(s, wv, n_workers, stuck, out, max);
		goto out;
	}
	int start = seen_at[cur];
	for (int i = start; i < len && n < max; i++) {
		int w = path[i];
		int prev = path[i == start ? len - 1 : i - 1];
		out[n++] = (struct cycle_link){
			.worker = w, .holds = wv[prev].waits_on, .waits = wv[w].waits_on,
		};
	}
out:
	free(seen_at);
	free(path);
	return n;
}

int deadlock_find(const struct scenario *s, const int *last_release,
                  const struct worker_view *wv, int n_workers,
                  const struct object_view *ov,
                  struct cycle_link *out, int max)
{
	char *stuck = calloc((size_t)n_workers, 1);
	if (!stuck)
		return 0;
	/* Start from every candidate stuck and free those someone free can
	 * rescue, until nobody more is freed. */
	int n_stuck = blocked_unavailable(s, wv, ov, stuck), freed = n_stuck;
	while (n_stuck > 0 && freed > 0) {
		freed = rescue(s, last_release, wv, n_workers, ov, stuck);
		n_stuck -= freed;
	}
	int n = n_stuck > 0 ? name_cycle(s, wv, n_workers, stuck, out, max) : 0;
	free(stuck);
	return n;
}
