/*
 * tui_lesson.c: the two panes of words: the lesson narrative (paged with
 * l / L, in the chosen language, wrapped by display width) and the event
 * log (engine_events, newest at the bottom, scrolled with PgUp / PgDn).
 */
#include <stdio.h>
#include <string.h>

#include "trace.h"
#include "words.h"
#include "tui_priv.h"

void tui_draw_page(struct tui *t, struct rect r)
{
	if (r.h < 2 || r.w < 10)
		return;
	const struct scenario *sc = t->sc;
	tui_fill(r.y, r.x, r.w, EL_TITLE);
	if (sc->n_pages <= 0) {
		tui_put(r.y, r.x, r.w, EL_TITLE, _(" Lesson"));
		return;
	}
	if (t->page >= sc->n_pages)
		t->page = sc->n_pages - 1;
	const char *text = tui_lang(t, &sc->pages[t->page]);
	struct tui_line lines[256];
	int n = tui_wrap(text, r.w - 2, lines, 256);
	if (n > 256)
		n = 256;
	int rows = r.h - 1;
	/* A page longer than its pane scrolls (l, L): the last row then says
	 * there is more, so no text is ever out of reach. */
	int more_row = n > rows;
	int shown = more_row ? rows - 1 : rows;
	if (shown < 1)
		shown = 1;
	if (t->page_top > n - shown)
		t->page_top = n - shown > 0 ? n - shown : 0;
	t->page_rows = shown;
	t->page_more = t->page_top + shown < n;
	if (n > rows)
		tui_putf(r.y, r.x, r.w, EL_TITLE, _(" Page %d/%d, lines %d-%d of %d   l more  L back"),
		         t->page + 1, sc->n_pages, t->page_top + 1,
		         t->page_top + shown < n ? t->page_top + shown : n, n);
	else
		tui_putf(r.y, r.x, r.w, EL_TITLE, _(" Page %d/%d   l next  L previous"),
		         t->page + 1, sc->n_pages);
	for (int i = 0; i < shown && t->page_top + i < n; i++) {
		const struct tui_line *l = &lines[t->page_top + i];
		tui_putn(r.y + 1 + i, r.x + 1, r.w - 1, EL_NORMAL, l->s, l->n);
	}
	if (more_row && rows > 1)
		tui_putf(r.y + rows, r.x + 1, r.w - 1, EL_KEY, "%s %s", tui_glyph(t, G_ARROW),
		         t->page_more ? _("l: read on") : t->page < sc->n_pages - 1
		                      ? _("l: next page") : _("end of the lesson"));
}

/* One event in words: the same words as the headless trace (trace.c),
 * so a student reads the same story in both. */
void tui_event_text(const struct tui *t, const struct event *ev, char *buf, size_t n)
{
	words_event(engine_view(t->eng), ev, buf, n);
}

static enum tui_el event_el(const struct event *ev)
{
	switch (ev->kind) {
	case EV_WAIT:     return EL_ST_BLOCKED;
	case EV_ACQUIRED: return EL_HOLDER;
	case EV_RECOVERED:
	case EV_ERROR:
	case EV_KILLED:
	case EV_DEADLOCK: return EL_BAD;
	case EV_PRINT:    return EL_MSG;
	case EV_TIMEOUT:  return EL_ST_BLOCKED;
	case EV_EXIT:     return EL_ST_DONE;
	default:          return EL_NORMAL;
	}
}

#define LOG_WRAP 6   /* rows one event may take at most */

/* One event from row y on, its text wrapped under itself (under the
 * time, when the name leaves too little room); with draw 0 only counts
 * the rows it takes. */
static int log_event(struct tui *t, const struct engine_view *v, const struct event *ev,
                     int y, struct rect r, int draw)
{
	char text[512], head[48];
	tui_event_text(t, ev, text, sizeof text);
	snprintf(head, sizeof head, "%4ld %3ld.%03lds ", ev->step, ev->t_ms / 1000, ev->t_ms % 1000);
	/* TRANSLATORS: who did an event: the Manager's server process,
	 * or lockstep itself (a deadlock found, a timeout). */
	const char *who = ev->kind == EV_REQUEST ? _("manager")
	                : ev->worker >= 0 ? tui_worker_name(v, ev->worker) : _("engine");
	int hw = tui_width(head), at = hw + tui_width(who) + 1;
	int indent = at <= r.w / 2 ? at : hw;
	struct tui_line first[1], rest[LOG_WRAP];
	int n = tui_wrap(text, r.w - at, first, 1);
	const char *more = n > 1 ? first[0].s + first[0].n : NULL;
	while (more && *more == ' ')
		more++;
	int k = more && *more ? tui_wrap(more, r.w - indent, rest, LOG_WRAP - 1) : 0;
	if (k > LOG_WRAP - 1)
		k = LOG_WRAP - 1;
	if (!draw)
		return 1 + k;
	int x = r.x + tui_put(y, r.x, r.w, EL_DIM, head);
	enum tui_el wel = ev->worker == t->sel ? EL_SELECTED : EL_NORMAL;
	x += tui_put(y, x, r.x + r.w - x, wel, who) + 1;
	if (n > 0)
		tui_putn(y, x, r.x + r.w - x, event_el(ev), first[0].s, first[0].n);
	for (int i = 0; i < k; i++)
		tui_putn(y + 1 + i, r.x + indent, r.w - indent, event_el(ev), rest[i].s, rest[i].n);
	return 1 + k;
}

void tui_draw_log(struct tui *t, struct rect r)
{
	if (r.h < 2 || r.w < 10 || !t->eng)
		return;
	long count = 0;
	const struct event *evs = engine_events(t->eng, &count);
	const struct engine_view *v = engine_view(t->eng);
	int rows = r.h - 1;
	long max_back = count > rows ? count - rows : 0;
	if (t->log_back > max_back)
		t->log_back = (int)max_back;
	if (t->log_back < 0)
		t->log_back = 0;
	tui_fill(r.y, r.x, r.w, EL_TITLE);
	tui_putf(r.y, r.x, r.w, EL_TITLE, _(" Events (%ld)%s"), count,
	         t->log_back ? _("   PgDn: newer") : max_back ? _("   PgUp: older") : "");
	/* From the newest shown back, as many as their wrapped rows fit. */
	long last = count - t->log_back, first = last;
	int used = 0;
	while (first > 0) {
		int h = log_event(t, v, &evs[first - 1], 0, r, 0);
		if (used + h > rows)
			break;
		used += h;
		first--;
	}
	int y = r.y + 1;
	for (long i = first; i < last; i++)
		y += log_event(t, v, &evs[i], y, r, 1);
}
