/*
 * tui_timeline.c: the timeline view (t): the run as swimlanes, a row per
 * worker and a column per step, drawn from the same cells as --timeline
 * (timeline.h) in the body of the screen, while every other key goes on
 * working (space steps, r runs: the picture grows as you watch).
 *
 * It follows the newest step until the arrows scroll it back (End
 * follows again); Up and Down pick the worker (the rows scroll to keep it
 * in sight), PgUp and PgDn scroll a page of rows.  Each frame builds the
 * window it shows afresh from engine_events(): the timeline is a pure
 * reducer, and a rebuilt engine (step back, a new seed) needs no care.
 * The glyphs carry the meaning (mono reads it); colour only helps.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "timeline.h"
#include "tui_priv.h"

#define NAME_MAX_W 16

static int has_holds_row(const struct scenario *s)
{
	for (int i = 0; i < s->n_objects; i++)
		if (kind_is(s->objects[i].kind, KF_LOCKLIKE))
			return 1;
	return 0;
}

int tui_timeline_toggle(struct tui *t, int ch)
{
	(void)ch;
	t->timeline = !t->timeline;
	t->tl_first = -1;   /* follow the newest step */
	t->tl_top = 0;
	return TUI_REDRAW;
}

/* Keep the selected worker's rows in sight. */
static void follow_sel(struct tui *t)
{
	if (t->sel < t->tl_top)
		t->tl_top = t->sel;
	if (t->tl_rows > 0 && t->sel >= t->tl_top + t->tl_rows)
		t->tl_top = t->sel - t->tl_rows + 1;
	if (t->tl_top < 0)
		t->tl_top = 0;
}

/* The arrows, Home, End, PgUp and PgDn while the timeline shows. */
int tui_timeline_key(struct tui *t, int ch)
{
	const struct engine_view *v = engine_view(t->eng);
	int page = t->tl_cols > 4 ? t->tl_cols / 4 : 1;
	long first = t->tl_first >= 0 ? t->tl_first : t->tl_shown;
	switch (ch) {
	case KEY_LEFT:  t->tl_first = first - page < 0 ? 0 : first - page; break;
	case KEY_RIGHT: t->tl_first = first + page; break;
	case KEY_HOME:  t->tl_first = 0; break;
	case KEY_END:   t->tl_first = -1; break;
	case KEY_UP:    t->sel = t->sel > 0 ? t->sel - 1 : 0; break;
	case KEY_DOWN:  t->sel = t->sel < v->n_workers - 1 ? t->sel + 1 : t->sel; break;
	case KEY_PPAGE: t->sel -= t->tl_rows > 1 ? t->tl_rows - 1 : 1; break;
	case KEY_NPAGE: t->sel += t->tl_rows > 1 ? t->tl_rows - 1 : 1; break;
	default: return 0;
	}
	if (t->sel >= v->n_workers)
		t->sel = v->n_workers - 1;
	if (t->sel < 0)
		t->sel = 0;
	follow_sel(t);
	return TUI_REDRAW;
}

static enum tui_el mark_el(enum tl_mark m)
{
	switch (m) {
	case TL_ACQUIRE: case TL_RECOVER: return EL_HOLDER;
	case TL_WAIT: case TL_TIMEOUT:    return EL_WAITER;
	case TL_KILLED: case TL_ERROR:    return EL_BAD;
	case TL_RELEASE: case TL_PASSED:  return EL_GOOD;
	case TL_START: case TL_END:       return EL_DIM;
	default:                          return EL_NORMAL;
	}
}

static enum tui_el fill_el(enum tl_fill f)
{
	return f == TF_WAITING ? EL_WAITER : f == TF_SLEEPING ? EL_ST_SLEEPING : EL_DIM;
}

/* The first step the window shows: the newest ones while following. */
static long window_first(struct tui *t, long newest, long oldest, int cols)
{
	long follow = newest - cols + 1 > oldest ? newest - cols + 1 : oldest;
	long first = t->tl_first < 0 ? follow : t->tl_first;
	if (first > follow)
		first = follow;
	if (first < oldest)
		first = oldest;
	if (t->tl_first >= 0)
		t->tl_first = first;
	t->tl_shown = first;
	return first;
}

static struct timeline *build(struct tui *t, const struct engine_view *v, int cols, long *first)
{
	long n = 0;
	const struct event *evs = engine_events(t->eng, &n);
	long newest = n ? evs[n - 1].step : 0, oldest = n ? evs[0].step : 0;
	*first = window_first(t, newest, oldest, cols);
	struct timeline *tl = timeline_new(t->sc, v->n_workers, cols);
	if (!tl)
		return NULL;
	timeline_reset(tl, *first);
	for (long i = 0; i < n; i++)
		timeline_add(tl, &evs[i]);
	timeline_finish(tl, v);
	return tl;
}

static void ruler(struct rect r, int x0, long first, long last, int cycle_x)
{
	for (long s = first; s <= last; s++) {
		int x = x0 + (int)(s - first);
		if (s % 10 == 0 && x + 6 < r.x + r.w)
			tui_putf(r.y, x, r.x + r.w - x, EL_DIM, "%ld", s);
	}
	if (cycle_x >= 0)
		tui_putf(r.y, cycle_x, 1, EL_CYCLE, "%c", TL_CYCLE_GLYPH);
}

/* One worker: its name, its lane, and what it holds under it. */
static void draw_row(struct tui *t, const struct timeline *tl, const struct engine_view *v,
                     int row, int y, int x0, long first, long last, int holds_y, int cycle_x)
{
	const struct tl_row *tr = &tl->rows[row];
	enum tui_el name_el = row == t->sel ? EL_SELECTED : tr->cycle ? EL_CYCLE : EL_NORMAL;
	tui_putf(y, 0, x0 - 1, name_el, "%s%s", row == t->sel ? ">" : " ",
	         timeline_row_name(tl, v, row));
	for (long s = first; s <= last; s++) {
		const struct tl_cell *c = timeline_cell(tl, row, s);
		if (!c)
			continue;
		int x = x0 + (int)(s - first);
		char g = c->mark != TL_NONE ? timeline_mark_glyph(c->mark) : timeline_fill_glyph(c->fill);
		enum tui_el el = c->mark != TL_NONE ? mark_el(c->mark) : fill_el(c->fill);
		if (g != ' ')
			tui_putf(y, x, 1, el, "%c", g);
		char h = timeline_hold_glyph(tl, c);
		if (holds_y >= 0 && h != ' ')
			tui_putf(holds_y, x, 1, EL_HOLDER, "%c", h);
	}
	if (cycle_x >= 0 && tr->cycle) {
		char what[2 * SCENARIO_MAX_NAME + 128];
		timeline_cycle_words(tl, row, what, sizeof what);
		tui_putf(y, cycle_x, COLS - cycle_x, EL_CYCLE, "%c  %s", TL_CYCLE_GLYPH, what);
	}
}

/* The legend of what the window shows, under the rows. */
static int legend_lines(const struct timeline *tl, long first, long last, int w, char **out)
{
	struct tl_used used = { 0 };
	timeline_used(tl, first, last, &used);
	size_t len = 0;
	*out = NULL;
	FILE *f = open_memstream(out, &len);
	if (!f)
		return 0;
	timeline_legend(f, tl, &used, w, "");
	if (fclose(f) != 0)
		return 0;
	int n = 0;
	for (size_t i = 0; i < len; i++)
		n += (*out)[i] == '\n';
	return n;
}

static void draw_legend(const char *text, int y, struct rect r)
{
	for (const char *p = text; p && *p && y < r.y + r.h; y++) {
		size_t n = strcspn(p, "\n");
		tui_putn(y, r.x + 1, r.w - 1, EL_DIM, p, n);
		p += n + (p[n] == '\n');
	}
}

/* The title, and on its right how to move, when there is room. */
static void draw_title(struct tui *t, struct rect r, long first, long seen_from)
{
	tui_fill(r.y, r.x, r.w, EL_TITLE);
	int x = tui_put(r.y, r.x, r.w, EL_TITLE, _(" Timeline: a row per worker, a column per step"));
	if (seen_from > 0 && first <= seen_from)
		x += tui_putf(r.y, r.x + x, r.w - x, EL_TITLE, _(" (kept from step %ld)"), seen_from);
	char hint[160];
	snprintf(hint, sizeof hint, _("%s End: scroll  t: back "), t->utf8 ? "\u2190\u2192" : "<- ->");
	int hw = tui_width(hint);
	if (x + 2 + hw <= r.w)
		tui_put(r.y, r.x + r.w - hw, hw, EL_TITLE, hint);
}

static int name_width(const struct scenario *sc, const struct engine_view *v)
{
	int w = 4;
	for (int i = 0; i < sc->n_objects; i++)
		if (kind_is(sc->objects[i].kind, KF_MANAGED))
			w = 7;   /* "manager" */
	for (int r = 0; r < v->n_workers; r++) {
		int n = tui_width(v->workers[r].name);
		w = n > w ? n : w;
	}
	return w > NAME_MAX_W ? NAME_MAX_W : w;
}

void tui_draw_timeline(struct tui *t, const struct engine_view *v, struct rect r)
{
	t->wk_area = (struct rect){ 0, 0, 0, 0 };   /* clicks pick nothing here */
	if (r.h < 6 || r.w < 30)
		return;
	int per = has_holds_row(t->sc) ? 2 : 1;
	int x0 = 2 + name_width(t->sc, v) + 1;
	int cols = r.w - x0 - 2;   /* one column kept for the cycle's mark */
	long first = 0;
	struct timeline *tl = build(t, v, cols, &first);
	if (!tl)
		return;
	long last = timeline_window_end(tl);
	t->tl_cols = cols;
	char *legend = NULL;
	int nl = legend_lines(tl, first, last, r.w - 2, &legend);
	draw_title(t, r, first, tl->seen_from);
	int cycle = 0;
	for (int i = 0; i < tl->n_rows; i++)
		cycle |= tl->rows[i].cycle;
	/* The cycle's mark goes past the last step, once the window shows it. */
	int cycle_x = cycle && tl->last <= last ? x0 + (int)(last - first) + 1 : -1;
	ruler((struct rect){ r.y + 1, r.x, 1, r.w }, x0, first, last, cycle_x);
	int body = r.h - 2 - nl;
	t->tl_rows = body / per > 0 ? body / per : 1;
	follow_sel(t);
	int y = r.y + 2;
	for (int row = t->tl_top; row < tl->n_rows && y + per - 1 < r.y + 2 + body; row++) {
		draw_row(t, tl, v, row, y, x0, first, last, per > 1 ? y + 1 : -1, cycle_x);
		y += per;
	}
	draw_legend(legend, r.y + r.h - nl, r);
	free(legend);
	timeline_free(tl);
}
