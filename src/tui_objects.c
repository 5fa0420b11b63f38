/*
 * tui_objects.c: the shared objects pane.
 *
 * A value shows what it is, what it would be had no update been lost, what
 * the scenario expects at the end, and how many updates vanished: the
 * lesson's point about d['count'] -= 1.  A lock shows its owner and its
 * queue in arrival order (the kernel wakes whom it likes; the queue is who
 * came first).  A semaphore draws its count as slots, one per room, with
 * the taker's name in each, then its queue.  A dead taker's share is
 * drawn as lost: only another process's release gives it back.
 * The other kinds show the one number that explains them (an event's
 * flag, a barrier's arrivals, a queue's items) and who waits on them.
 */
#include <stdio.h>
#include <string.h>

#include "tui_priv.h"
#include "words.h"

#define MAX_ELEM_LINES 8   /* elements shown per object before "+N more" */

static int is_value_like(enum object_kind k)
{
	return kind_is(k, KF_VALUELIKE);
}

static int elem_count(const struct object_view *ov)
{
	return ov->n_elems > 0 ? ov->n_elems : 1;
}

static int object_lines(const struct scenario_object *so, const struct object_view *ov)
{
	if (is_value_like(so->kind)) {
		int n = elem_count(ov);
		return n > MAX_ELEM_LINES ? MAX_ELEM_LINES + 1 : n;
	}
	switch (kind_info(so->kind)->show) {
	case KS_SEMAPHORE: return 3;   /* numbers, rooms, queue */
	default:           return 2;   /* its state, then its queue */
	}
}

int tui_objects_height(const struct tui *t, const struct engine_view *v, int w)
{
	(void)t;
	(void)w;
	int h = 1 + (v->manager_pid > 0);
	for (int o = 0; o < v->scenario->n_objects; o++)
		h += object_lines(&v->scenario->objects[o], &v->objects[o]);
	return h;
}

/* "count", "arr[3]", "d['count']", "ns.x": how the Python names it. */
void tui_elem_label(const struct scenario *sc, int o, int e, char *buf, size_t n)
{
	const struct scenario_object *so = &sc->objects[o];
	const char *key = e >= 0 && e < so->n_elems ? so->elems[e].key : "";
	kind_elem_name(so->kind, so->name, e, key, buf, n);
}

static int in_cycle_object(const struct engine_view *v, int o)
{
	if (v->outcome != RUN_DEADLOCK || !v->cycle)
		return 0;
	for (int i = 0; i < v->cycle_len; i++)
		if (v->cycle[i].waits == o || v->cycle[i].holds == o)
			return 1;
	return 0;
}

/* "waiting (3): user5 user7 user1", cut with "+N" when it does not fit. */
static void draw_queue(struct tui *t, const struct engine_view *v,
                       const struct object_view *ov, int y, int x, int w)
{
	int end = x + w;
	x += tui_putf(y, x, end - x, EL_DIM, _("waiting (%d):"), ov->queue_len);
	if (!ov->queue_len) {
		tui_put(y, x, end - x, EL_DIM, _(" nobody"));
		return;
	}
	for (int i = 0; i < ov->queue_len; i++) {
		const char *name = tui_worker_name(v, ov->queue[i]);
		int need = 1 + tui_width(name);
		int rest = ov->queue_len - i - 1;
		if (x + need + (rest ? 6 : 0) > end) {
			tui_putf(y, x, end - x, EL_WAITER, " +%d", ov->queue_len - i);
			return;
		}
		enum tui_el el = tui_in_cycle(v, ov->queue[i]) ? EL_CYCLE : EL_WAITER;
		x += 1 + tui_put(y, x + 1, end - x - 1, el, name);
	}
	(void)t;
}

/* One line per element: value, intended, expect, lost. */
static void draw_value(struct tui *t, const struct engine_view *v, int o,
                       int y, int x, int w, int namew)
{
	const struct scenario_object *so = &v->scenario->objects[o];
	const struct object_view *ov = &v->objects[o];
	int n = elem_count(ov), end = x + w;
	for (int e = 0; e < n && e < MAX_ELEM_LINES; e++, y++) {
		long value = ov->n_elems > 0 ? ov->elems[e] : ov->value;
		long intended = ov->n_elems > 0 ? ov->elem_intended[e] : ov->intended;
		long lost = ov->n_elems > 0 ? ov->elem_lost[e] : ov->lost;
		int has_expect = so->has_expect;
		long expect = so->expect;
		if (e < so->n_elems && so->elems[e].has_expect) {
			has_expect = 1;
			expect = so->elems[e].expect;
		}
		char label[SCENARIO_MAX_NAME * 2 + 8];
		tui_elem_label(v->scenario, o, e, label, sizeof label);
		int cx = x + tui_put(y, x, namew, EL_NORMAL, label);
		if (cx < x + namew)
			cx = x + namew;
		cx += 1;
		enum tui_el vel = value == intended && !lost ? EL_GOOD : EL_BAD;
		cx += tui_putf(y, cx, end - cx, vel, "= %ld", value);
		cx += tui_putf(y, cx, end - cx, EL_NORMAL, _(" intended %ld"), intended);
		if (has_expect)
			cx += tui_putf(y, cx, end - cx, EL_DIM, _(" expect %ld"), expect);
		tui_putf(y, cx, end - cx, lost ? EL_BAD : EL_NORMAL, _(" lost %ld"), lost);
	}
	if (n > MAX_ELEM_LINES)
		tui_putf(y, x + 2, w - 2, EL_DIM, _("+%d more"), n - MAX_ELEM_LINES);
	(void)t;
}

static void draw_lock(struct tui *t, const struct engine_view *v, int o,
                      int y, int x, int w, int namew)
{
	const struct scenario_object *so = &v->scenario->objects[o];
	const struct object_view *ov = &v->objects[o];
	int end = x + w;
	tui_put(y, x, namew, in_cycle_object(v, o) ? EL_CYCLE : EL_NORMAL, so->name);
	int cx = x + namew + 1;
	if (ov->owner >= 0 && ov->holders > 0) {
		/* "owner" for an RLock; a Lock is only "taken by": anyone may
		 * release it. */
		cx += tui_put(y, cx, end - cx, EL_DIM, words_of_kind(kind_info(so->kind)->held_by));
		cx += tui_put(y, cx, end - cx, EL_HOLDER, tui_worker_name(v, ov->owner));
		/* An rlock is held as many times as it was acquired. */
		int depth = ov->owner < v->n_workers ? v->workers[ov->owner].holds[o] : 0;
		if (kind_is(so->kind, KF_RECURSIVE) && depth > 1)
			cx += tui_putf(y, cx, end - cx, EL_HOLDER, _(" (%d times)"), depth);
	} else {
		cx += tui_put(y, cx, end - cx, EL_GOOD, _("free"));
	}
	if (ov->owner_died && kind_info(so->kind)->owner_died)
		tui_put(y, cx, end - cx, EL_BAD, words_of_kind(kind_info(so->kind)->owner_died));
	draw_queue(t, v, ov, y + 1, x + 2, w - 2);
}

/* One room: "[user10]", padded by display width (names may be Chinese). */
static void draw_slot(int y, int x, int slotw, enum tui_el el, const char *label)
{
	tui_fill(y, x, slotw, el);
	tui_put(y, x, 1, el, "[");
	tui_put(y, x + 1, slotw - 2, el, label);
	tui_put(y, x + slotw - 1, 1, el, "]");
}

/* Rooms as slots: holders first, then free rooms, then rooms lost with
 * dead holders. */
static void draw_semaphore(struct tui *t, const struct engine_view *v, int o,
                           int y, int x, int w, int namew)
{
	const struct scenario_object *so = &v->scenario->objects[o];
	const struct object_view *ov = &v->objects[o];
	int end = x + w;
	tui_put(y, x, namew, in_cycle_object(v, o) ? EL_CYCLE : EL_NORMAL, so->name);
	int cx = x + namew + 1;
	cx += tui_putf(y, cx, end - cx, EL_NORMAL, _("in use %d/%ld"), ov->holders,
	               so->initial);
	cx += tui_putf(y, cx, end - cx, EL_DIM, _("  count %ld  peak %d"), ov->value,
	               ov->peak);
	if (ov->count_lost)
		cx += tui_putf(y, cx, end - cx, EL_BAD, _("  lost %ld"), ov->count_lost);
	if (ov->errors)
		tui_putf(y, cx, end - cx, EL_BAD, _("  %ld released too many times"), ov->errors);

	/* Taken = start - count, not a sum over processes: the rooms of
	 * live takers carry their names, a dead taker's room is lost, and a
	 * count taken by one process but given back by another, or by one
	 * that ended, is just "taken". */
	int slotw = 5;
	long named = 0;
	for (int i = 0; i < v->n_workers; i++)
		if (v->workers[i].holds[o] && v->workers[i].state != WS_KILLED) {
			named += v->workers[i].holds[o];
			if (tui_width(v->workers[i].name) > slotw)
				slotw = tui_width(v->workers[i].name);
		}
	slotw += 2;
	long lost = ov->count_lost < ov->holders ? ov->count_lost : ov->holders;
	if (named > ov->holders - lost)
		named = ov->holders - lost;
	long anon = ov->holders - lost - named;
	long free_n = ov->value > 0 ? ov->value : 0;
	long slots = ov->holders + free_n;
	cx = x + 2;
	int y1 = y + 1;
	if ((long)(slotw + 1) * slots > end - cx) {
		cx += tui_putf(y1, cx, end - cx, EL_HOLDER, _("%d taken, %ld free"), ov->holders,
		               free_n);
		if (lost)
			tui_putf(y1, cx, end - cx, EL_BAD, _(", %ld lost"), lost);
	} else {
		long k = 0;
		for (int i = 0; i < v->n_workers && k < named; i++)
			for (int j = 0; j < v->workers[i].holds[o] && k < named &&
			     v->workers[i].state != WS_KILLED; j++, k++) {
				draw_slot(y1, cx, slotw, EL_HOLDER, v->workers[i].name);
				cx += slotw + 1;
			}
		for (k = 0; k < anon; k++, cx += slotw + 1)
			draw_slot(y1, cx, slotw, EL_HOLDER, _("taken"));
		for (k = 0; k < free_n; k++, cx += slotw + 1)
			draw_slot(y1, cx, slotw, EL_DIM, _("free"));
		for (k = 0; k < lost; k++, cx += slotw + 1)
			draw_slot(y1, cx, slotw, EL_BAD, _("lost"));
	}
	draw_queue(t, v, ov, y + 2, x + 2, w - 2);
}

/* The first line of the other kinds: the number that explains them. */
static void draw_other(struct tui *t, const struct engine_view *v, int o,
                       int y, int x, int w, int namew)
{
	const struct scenario *sc = v->scenario;
	const struct scenario_object *so = &sc->objects[o];
	const struct object_view *ov = &v->objects[o];
	int end = x + w;
	tui_put(y, x, namew, in_cycle_object(v, o) ? EL_CYCLE : EL_NORMAL, so->name);
	int cx = x + namew + 1;
	cx += tui_putf(y, cx, end - cx, EL_DIM, "%s ", words_kind(so->kind));
	switch (kind_info(so->kind)->show) {
	case KS_EVENT:
		cx += ov->flag ? tui_put(y, cx, end - cx, EL_GOOD, _("set (flag up)"))
		               : tui_put(y, cx, end - cx, EL_BAD, _("clear (flag down)"));
		break;
	case KS_CONDITION:
		if (so->lock >= 0 && so->lock < sc->n_objects)
			cx += tui_putf(y, cx, end - cx, EL_NORMAL, _("on %s"), sc->objects[so->lock].name);
		break;
	case KS_BARRIER:
		cx += tui_putf(y, cx, end - cx, EL_HOLDER, _("arrived %d/%d"), ov->arrived,
		               so->capacity);
		cx += tui_putf(y, cx, end - cx, EL_DIM, _("  rounds %ld"), ov->rounds);
		break;
	case KS_QUEUE:
	case KS_PIPE: {
		if (kind_info(so->kind)->show == KS_QUEUE)
			cx += tui_putf(y, cx, end - cx, EL_NORMAL, "%d/%d ", ov->n_items,
			               so->capacity);
		cx += tui_put(y, cx, end - cx, EL_DIM, "[");
		int shown = ov->n_items < SCENARIO_MAX_CAPACITY ? ov->n_items : SCENARIO_MAX_CAPACITY;
		for (int i = 0; i < shown && cx < end - 8; i++)
			cx += tui_putf(y, cx, end - cx, EL_HOLDER, i ? " %ld" : "%ld", ov->items[i]);
		cx += tui_put(y, cx, end - cx, EL_DIM, "]");
		cx += tui_putf(y, cx, end - cx, EL_DIM, _("  moved %ld"), ov->moved);
		break;
	}
	default:
		cx += tui_putf(y, cx, end - cx, EL_NORMAL, "%ld", ov->value);
		break;
	}
	if (ov->errors)
		tui_putf(y, cx, end - cx, EL_BAD, _("  errors %ld"), ov->errors);
	draw_queue(t, v, ov, y + 1, x + 2, w - 2);
}

/* The manager server process the dict, list and namespace live in. */
static void draw_manager(const struct engine_view *v, int y, int x, int w)
{
	int cx = x + tui_put(y, x, w, EL_NORMAL, _("manager "));
	cx += tui_putf(y, cx, x + w - cx, EL_DIM, _("pid %ld "), (long)v->manager_pid);
	cx += v->manager_alive ? tui_put(y, cx, x + w - cx, EL_GOOD, _("serving"))
	                       : tui_put(y, cx, x + w - cx, EL_BAD, _("gone"));
	tui_putf(y, cx, x + w - cx, EL_DIM, _("  %ld requests served"), v->manager_requests);
}

void tui_draw_objects(struct tui *t, const struct engine_view *v, struct rect r)
{
	if (r.h < 1 || r.w < 10)
		return;
	tui_fill(r.y, r.x, r.w, EL_TITLE);
	tui_put(r.y, r.x, r.w, EL_TITLE, _(" Shared objects"));
	const struct scenario *sc = v->scenario;
	int namew = 4;
	for (int o = 0; o < sc->n_objects; o++) {
		int k = tui_width(sc->objects[o].name);
		if (is_value_like(sc->objects[o].kind))
			for (int e = 0; e < elem_count(&v->objects[o]) && e < MAX_ELEM_LINES; e++) {
				char label[SCENARIO_MAX_NAME * 2 + 8];
				tui_elem_label(sc, o, e, label, sizeof label);
				if (tui_width(label) > k)
					k = tui_width(label);
			}
		if (k > namew)
			namew = k;
	}
	if (namew > 18)
		namew = 18;
	int y = r.y + 1;
	if (v->manager_pid > 0 && y < r.y + r.h)
		draw_manager(v, y++, r.x + 1, r.w - 1);
	for (int o = 0; o < sc->n_objects; o++) {
		const struct scenario_object *so = &sc->objects[o];
		int need = object_lines(so, &v->objects[o]);
		if (y + need > r.y + r.h)
			break;
		switch (kind_info(so->kind)->show) {
		case KS_VALUE: draw_value(t, v, o, y, r.x + 1, r.w - 1, namew); break;
		case KS_LOCK: draw_lock(t, v, o, y, r.x + 1, r.w - 1, namew); break;
		case KS_SEMAPHORE: draw_semaphore(t, v, o, y, r.x + 1, r.w - 1, namew); break;
		default: draw_other(t, v, o, y, r.x + 1, r.w - 1, namew); break;
		}
		y += need;
	}
}
