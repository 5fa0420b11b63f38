/*
 * deadlock.c: the stuck set and its cycle (see deadlock.h).
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "deadlock.h"

void deadlock_last_releases(const struct scenario *s, int *last_release)
{
	for (int g = 0; g < s->n_groups; g++) {
		int *row = last_release + g * SCENARIO_MAX_OBJECTS;
		for (int o = 0; o < SCENARIO_MAX_OBJECTS; o++)
			row[o] = -1;
		for (int i = 0; i < s->groups[g].n_ops; i++)
			if (s->groups[g].ops[i].kind == OP_RELEASE)
				row[s->groups[g].ops[i].object] = i;
	}
}

static int alive(const struct worker_view *w)
{
	return w->state != WS_DONE && w->state != WS_KILLED;
}

static int available(const struct scenario *s, const struct object_view *ov, int obj)
{
	if (s->objects[obj].kind == OBJ_LOCK)
		return ov[obj].owner < 0;
	return ov[obj].value > 0;
}

/* Could worker h, if it keeps moving, make obj available to others? */
static int can_release(const struct scenario *s, const int *last_release,
                       const struct worker_view *h, int hi, int obj, const struct object_view *ov)
{
	if (s->objects[obj].kind == OBJ_LOCK)
		return ov[obj].owner == hi;
	return last_release[h->group * SCENARIO_MAX_OBJECTS + obj] >= h->pc;
}

int deadlock_find(const struct scenario *s, const int *last_release,
                  const struct worker_view *wv, int n_workers,
                  const struct object_view *ov,
                  struct cycle_link *out, int max)
{
	char *stuck = calloc((size_t)n_workers, 1);
	int n_stuck = 0;
	if (!stuck)
		return 0;
	/* A blocked worker is in the queue of what it waits for: looking
	 * there, not at every worker, keeps this cheap with 1000 workers. */
	for (int o = 0; o < s->n_objects; o++) {
		if (s->objects[o].kind == OBJ_VALUE || available(s, ov, o))
			continue;
		for (int i = 0; i < ov[o].queue_len; i++) {
			int w = ov[o].queue[i];
			if (wv[w].state == WS_BLOCKED && wv[w].waits_on == o && !stuck[w]) {
				stuck[w] = 1;
				n_stuck++;
			}
		}
	}
	/* rescuer[obj]: some live worker that is not stuck can free obj.
	 * Only objects someone stuck waits for matter; a lock has one
	 * possible rescuer, its owner, so the common case is linear. */
	char rescuer[SCENARIO_MAX_OBJECTS], waited[SCENARIO_MAX_OBJECTS];
	int changed = n_stuck > 0;
	while (changed) {
		changed = 0;
		memset(waited, 0, sizeof waited);
		memset(rescuer, 0, sizeof rescuer);
		for (int w = 0; w < n_workers; w++)
			if (stuck[w])
				waited[wv[w].waits_on] = 1;
		for (int o = 0; o < s->n_objects; o++) {
			if (!waited[o])
				continue;
			if (s->objects[o].kind == OBJ_LOCK) {
				int h = ov[o].owner;
				rescuer[o] = h >= 0 && !stuck[h] && alive(&wv[h]);
				continue;
			}
			for (int h = 0; h < n_workers && !rescuer[o]; h++)
				if (!stuck[h] && alive(&wv[h]) &&
				    can_release(s, last_release, &wv[h], h, o, ov))
					rescuer[o] = 1;
		}
		for (int w = 0; w < n_workers; w++)
			if (stuck[w] && rescuer[wv[w].waits_on]) {
				stuck[w] = 0;
				n_stuck--;
				changed = 1;
			}
	}
	if (n_stuck == 0) {
		free(stuck);
		return 0;
	}

	/* Walk from the first stuck worker to a stuck holder of what it
	 * waits for, until a worker repeats: that loop is the cycle. */
	int *seen_at = malloc((size_t)n_workers * sizeof *seen_at);
	int *path = malloc((size_t)n_workers * sizeof *path);
	int len = 0, start = -1, cur = -1;
	if (!seen_at || !path)
		goto out_free;
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
	int n = 0;
	if (cur >= 0) {
		start = seen_at[cur];
		for (int i = start; i < len && n < max; i++) {
			int w = path[i];
			int prev = path[i == start ? len - 1 : i - 1];
			out[n].worker = w;
			out[n].holds = wv[prev].waits_on;
			out[n].waits = wv[w].waits_on;
			n++;
		}
	} else {
		/* No cycle: list the stuck, each with something it holds. */
		for (int w = 0; w < n_workers && n < max; w++) {
			if (!stuck[w])
				continue;
			int held = -1;
			for (int o = 0; o < s->n_objects && held < 0; o++)
				if (wv[w].holds[o])
					held = o;
			out[n].worker = w;
			out[n].holds = held;
			out[n].waits = wv[w].waits_on;
			n++;
		}
	}
	free(stuck);
	free(seen_at);
	free(path);
	return n;
out_free:
	free(stuck);
	free(seen_at);
	free(path);
	return 0;
}

void deadlock_describe(const struct scenario *s, const struct worker_view *wv,
                       const struct cycle_link *c, int n, char *buf, size_t len)
{
	size_t o = 0;
	buf[0] = '\0';
	for (int i = 0; i < n && o < len; i++) {
		int k;
		if (c[i].holds >= 0)
			k = snprintf(buf + o, len - o, "%s%s holds %s and waits for %s",
			             i ? "; " : "", wv[c[i].worker].name,
			             s->objects[c[i].holds].name, s->objects[c[i].waits].name);
		else
			k = snprintf(buf + o, len - o, "%s%s waits for %s",
			             i ? "; " : "", wv[c[i].worker].name,
			             s->objects[c[i].waits].name);
		if (k < 0)
			break;
		o += (size_t)k;
	}
}
