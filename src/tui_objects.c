/*
 * tui_objects.c: the shared objects pane.
 *
 * A value shows what it is, what it would be had no update been lost, what
 * the scenario expects at the end, and how many updates vanished: the
 * lesson's point about d['count'] -= 1.  A lock shows its owner and its
 * queue in arrival order (the kernel wakes whom it likes; the queue is who
 * came first).  A semaphore draws its count as slots, one per room, with
 * the holder's name in each, then its queue.  A dead holder's share is
 * drawn as lost, because a POSIX semaphore never gets it back.
 */
#include <stdio.h>
#include <string.h>

#include "tui_priv.h"

static int object_lines(const struct scenario_object *o)
{
	switch (o->kind) {
	case OBJ_VALUE:     return 1;
	case OBJ_LOCK:      return 2;
	case OBJ_SEMAPHORE: return 3;
	default:            return 2;   /* name and kind, then its queue */
	}
}

int tui_objects_height(const struct tui *t, const struct engine_view *v, int w)
{
	(void)t;
	(void)w;
	int h = 1;
	for (int o = 0; o < v->scenario->n_objects; o++)
		h += object_lines(&v->scenario->objects[o]);
	return h;
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
	x += tui_putf(y, x, end - x, EL_DIM, "waiting (%d):", ov->queue_len);
	if (!ov->queue_len) {
		tui_put(y, x, end - x, EL_DIM, " nobody");
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

static void draw_value(struct tui *t, const struct engine_view *v, int o,
                       int y, int x, int w, int namew)
{
	const struct scenario_object *so = &v->scenario->objects[o];
	const struct object_view *ov = &v->objects[o];
	int end = x + w;
	tui_put(y, x, namew, EL_NORMAL, so->name);
	x += namew + 1;
	enum tui_el vel = ov->value == ov->intended && !ov->lost ? EL_GOOD : EL_BAD;
	x += tui_putf(y, x, end - x, vel, "= %ld", ov->value);
	x += tui_putf(y, x, end - x, EL_NORMAL, " intended %ld", ov->intended);
	if (so->has_expect)
		x += tui_putf(y, x, end - x, EL_DIM, " expect %ld", so->expect);
	tui_putf(y, x, end - x, ov->lost ? EL_BAD : EL_NORMAL, " lost %ld", ov->lost);
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
	if (ov->owner >= 0) {
		cx += tui_put(y, cx, end - cx, EL_DIM, "owner ");
		cx += tui_put(y, cx, end - cx, EL_HOLDER, tui_worker_name(v, ov->owner));
	} else {
		cx += tui_put(y, cx, end - cx, EL_GOOD, "free");
	}
	if (ov->owner_died)
		tui_put(y, cx, end - cx, EL_BAD,
		        "  owner died holding it: next acquire recovers it");
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
	cx += tui_putf(y, cx, end - cx, EL_NORMAL, "in use %d/%ld", ov->holders,
	               so->initial);
	cx += tui_putf(y, cx, end - cx, EL_DIM, "  count %ld  peak %d", ov->value,
	               ov->peak);
	if (ov->count_lost)
		tui_putf(y, cx, end - cx, EL_BAD, "  lost %ld", ov->count_lost);

	int slotw = 4;
	/* A dead holder's room is drawn as lost (count_lost), not as his. */
	for (int i = 0; i < v->n_workers; i++)
		if (v->workers[i].holds[o] && v->workers[i].state != WS_KILLED &&
		    tui_width(v->workers[i].name) > slotw)
			slotw = tui_width(v->workers[i].name);
	slotw += 2;
	long free_n = ov->value > 0 ? ov->value : 0;
	long slots = ov->holders + free_n + ov->count_lost;
	cx = x + 2;
	int y1 = y + 1;
	if ((long)(slotw + 1) * slots > end - cx) {
		cx += tui_putf(y1, cx, end - cx, EL_HOLDER, "%d held, %ld free", ov->holders,
		               free_n);
		if (ov->count_lost)
			tui_putf(y1, cx, end - cx, EL_BAD, ", %ld lost", ov->count_lost);
	} else {
		for (int i = 0; i < v->n_workers; i++)
			for (int k = 0; k < v->workers[i].holds[o] &&
			     v->workers[i].state != WS_KILLED; k++) {
				draw_slot(y1, cx, slotw, EL_HOLDER, v->workers[i].name);
				cx += slotw + 1;
			}
		for (long k = 0; k < free_n; k++, cx += slotw + 1)
			draw_slot(y1, cx, slotw, EL_DIM, "free");
		for (long k = 0; k < ov->count_lost; k++, cx += slotw + 1)
			draw_slot(y1, cx, slotw, EL_BAD, "lost");
	}
	draw_queue(t, v, ov, y + 2, x + 2, w - 2);
}

void tui_draw_objects(struct tui *t, const struct engine_view *v, struct rect r)
{
	if (r.h < 1 || r.w < 10)
		return;
	tui_fill(r.y, r.x, r.w, EL_TITLE);
	tui_put(r.y, r.x, r.w, EL_TITLE, " Shared objects");
	int namew = 4;
	for (int o = 0; o < v->scenario->n_objects; o++) {
		int k = tui_width(v->scenario->objects[o].name);
		if (k > namew)
			namew = k;
	}
	if (namew > 16)
		namew = 16;
	int y = r.y + 1;
	for (int o = 0; o < v->scenario->n_objects; o++) {
		const struct scenario_object *so = &v->scenario->objects[o];
		int need = object_lines(so);
		if (y + need > r.y + r.h)
			break;
		switch (so->kind) {
		case OBJ_VALUE:     draw_value(t, v, o, y, r.x + 1, r.w - 1, namew); break;
		case OBJ_LOCK:      draw_lock(t, v, o, y, r.x + 1, r.w - 1, namew); break;
		case OBJ_SEMAPHORE: draw_semaphore(t, v, o, y, r.x + 1, r.w - 1, namew); break;
		default: {
			tui_put(y, r.x + 1, namew, EL_NORMAL, so->name);
			tui_putf(y, r.x + 2 + namew, r.w - 2 - namew, EL_DIM, "%s  %ld",
			         object_kind_name(so->kind), v->objects[o].value);
			draw_queue(t, v, &v->objects[o], y + 1, r.x + 3, r.w - 3);
			break;
		}
		}
		y += need;
	}
}
