/*
 * tui_overlay.c: the boxes drawn over the panes: the key help (?) and the
 * wait-for graph (g): worker -> object it waits for -> who holds it -> ...
 * which is how a deadlock is found by hand, and what the engine finds.
 */
#include <stdio.h>
#include <string.h>

#include "tui_priv.h"

/* A framed box in the middle of the screen; returns its inside. */
static struct rect open_box(int h, int w, const char *title)
{
	if (w > COLS - 2)
		w = COLS - 2;
	/* A box taller than the screen's middle may cover the header and
	 * the key bar too: at 80x24 the help needs every row. */
	if (h > LINES)
		h = LINES;
	struct rect r = { (LINES - h) / 2, (COLS - w) / 2, h, w };
	for (int y = r.y; y < r.y + r.h; y++)
		tui_fill(y, r.x, r.w, EL_NORMAL);
	attr_t a = tui_attr(EL_BORDER);
	attron(a);
	mvhline(r.y, r.x, ACS_HLINE, r.w);
	mvhline(r.y + r.h - 1, r.x, ACS_HLINE, r.w);
	mvvline(r.y, r.x, ACS_VLINE, r.h);
	mvvline(r.y, r.x + r.w - 1, ACS_VLINE, r.h);
	mvaddch(r.y, r.x, ACS_ULCORNER);
	mvaddch(r.y, r.x + r.w - 1, ACS_URCORNER);
	mvaddch(r.y + r.h - 1, r.x, ACS_LLCORNER);
	mvaddch(r.y + r.h - 1, r.x + r.w - 1, ACS_LRCORNER);
	attroff(a);
	tui_putf(r.y, r.x + 2, r.w - 4, EL_BORDER, " %s ", title);
	return (struct rect){ r.y + 1, r.x + 2, r.h - 2, r.w - 4 };
}

/* The keys' own help lines, in the table's order (tui_keytab.c). */
void tui_draw_help(struct tui *t)
{
	int nk, n = 0;
	const struct tui_key *keys = tui_keytab(&nk);
	for (int i = 0; i < nk; i++)
		n += keys[i].help != NULL;
	struct rect r = open_box(n + 4, 74, _("Keys (any key closes)"));
	int y = r.y;
	for (int i = 0; i < nk && y < r.y + r.h; i++) {
		if (!keys[i].help)
			continue;
		tui_put(y, r.x, 13, EL_KEY, tui_key_name(&keys[i]));
		tui_put(y, r.x + 14, r.w - 14, EL_NORMAL, _(keys[i].help));
		y++;
	}
	if (r.h > n + 1)
		tui_putf(r.y + n + 1, r.x, r.w, EL_DIM,
		         _("States: %s ready  %s running  %s blocked  %s sleeping  %s done  %s killed"),
		         tui_state_symbol(t, WS_READY), tui_state_symbol(t, WS_RUNNING),
		         tui_state_symbol(t, WS_BLOCKED), tui_state_symbol(t, WS_SLEEPING),
		         tui_state_symbol(t, WS_DONE), tui_state_symbol(t, WS_KILLED));
}

/* Who holds object o: "user1,user4" or "nobody". */
static void holders_text(const struct engine_view *v, int o, char *buf, size_t n)
{
	size_t used = 0;
	buf[0] = 0;
	for (int w = 0; w < v->n_workers && used + 1 < n; w++) {
		if (!v->workers[w].holds[o])
			continue;
		int k = snprintf(buf + used, n - used, "%s%s", used ? "," : "",
		                 v->workers[w].name);
		if (k < 0 || (size_t)k >= n - used)
			break;
		used += (size_t)k;
	}
	if (!used)
		snprintf(buf, n, "%s", _("nobody"));
}

void tui_draw_graph(struct tui *t, const struct engine_view *v)
{
	int blocked = 0;
	for (int w = 0; w < v->n_workers; w++)
		blocked += v->workers[w].state == WS_BLOCKED;
	int cyc = v->outcome == RUN_DEADLOCK && v->cycle_len > 0;
	int h = 2 + (cyc ? 4 : 0) + (blocked ? blocked + 1 : 1);
	struct rect r = open_box(h, COLS - 8, _("Wait-for graph (any key closes)"));
	const char *arrow = tui_glyph(t, G_ARROW);
	int y = r.y;
	const struct scenario *sc = v->scenario;
	if (cyc) {
		tui_put(y++, r.x, r.w, EL_BAD,
		        _("Deadlock: each waits for a lock the next one holds; none can go on"));
		int x = r.x;
		for (int i = 0; i < v->cycle_len && x < r.x + r.w; i++) {
			const struct cycle_link *l = &v->cycle[i];
			x += tui_put(y, x, r.x + r.w - x, EL_CYCLE, tui_worker_name(v, l->worker));
			x += tui_putf(y, x, r.x + r.w - x, EL_NORMAL, " %s ", arrow);
			x += tui_put(y, x, r.x + r.w - x, EL_BAD,
			             l->waits >= 0 && l->waits < sc->n_objects
			             ? sc->objects[l->waits].name : "?");
			x += tui_putf(y, x, r.x + r.w - x, EL_NORMAL, " %s ", arrow);
		}
		tui_put(y++, x, r.x + r.w - x, EL_CYCLE, tui_worker_name(v, v->cycle[0].worker));
		tui_put(y++, r.x, r.w, EL_DIM, _("k kills the selected worker: a Python "
		        "Lock it holds stays taken for ever; a robust-lock goes to the next"));
		y++;
	}
	if (!blocked) {
		tui_put(y++, r.x, r.w, EL_DIM, _("Nobody is waiting."));
		return;
	}
	tui_putf(y++, r.x, r.w, EL_DIM, _("worker %s object it waits for %s who holds it"), arrow, arrow);
	for (int w = 0; w < v->n_workers && y < r.y + r.h; w++) {
		if (v->workers[w].state != WS_BLOCKED)
			continue;
		int o = v->workers[w].waits_on;
		char holders[256];
		if (o >= 0 && o < sc->n_objects)
			holders_text(v, o, holders, sizeof holders);
		else
			snprintf(holders, sizeof holders, "?");
		int x = r.x;
		enum tui_el el = tui_in_cycle(v, w) ? EL_CYCLE : EL_ST_BLOCKED;
		x += tui_put(y, x, r.w, el, v->workers[w].name);
		x += tui_putf(y, x, r.x + r.w - x, EL_NORMAL, " %s %s %s ", arrow,
		              o >= 0 && o < sc->n_objects ? sc->objects[o].name : "?", arrow);
		tui_put(y, x, r.x + r.w - x, EL_HOLDER, holders);
		y++;
	}
}
