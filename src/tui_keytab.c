/*
 * tui_keytab.c: the one table of keys (htop's Action_setBindings, tmux's
 * cmd_entry).  Each key is in it once, with the name the key bar and the
 * help show, its word in the key bar, its line in the help (?) and its
 * handler; the key bar (tui_draw_keybar), the help overlay (tui_draw_help)
 * and the dispatch (tui_key) all read it, so they cannot disagree.
 *
 * To add a key:
 *   1. write its handler, `static int key_xxx(struct tui *t, int ch)`,
 *      here (pane keys) or as an exported tui_* function in the file
 *      that owns what it changes (tui_keys.c for the run); it returns
 *      TUI_REDRAW when the screen changed, 0 when nothing did;
 *   2. add one row to scenario_keys[] below, where it should show: the
 *      key bar and the help follow the table's order (most used first);
 *   3. give the row's words a Chinese translation in po/zh_CN.po
 *      (tests/i18n.sh fails until you do).
 * A row's name is how the help shows the key ("l L", "PgUp PgDn"); the
 * key bar shows its first word ("l"), or nothing when bar is NULL.  A
 * code must be in one row only (tests/unit-keytab checks it).
 *
 * The lesson menu has its own, smaller table (menu_keys in tui_menu.c)
 * with the same struct, dispatch and key bar.
 */
#include <string.h>

#include "tui_priv.h"

/* ---- the pane keys' handlers (the run's are in tui_keys.c) ----------- */

static int key_move(struct tui *t, int ch)
{
	const struct engine_view *v = engine_view(t->eng);
	if (t->timeline && tui_timeline_key(t, ch))
		return TUI_REDRAW;
	int d = 0;
	switch (ch) {
	case KEY_UP:    d = t->wk_grid ? -t->wk_cols : -1; break;
	case KEY_DOWN:  d = t->wk_grid ? t->wk_cols : 1; break;
	case KEY_LEFT:  d = -1; break;
	case KEY_RIGHT: d = 1; break;
	case KEY_HOME:  d = -t->sel; break;
	case KEY_END:   d = v->n_workers - 1 - t->sel; break;
	default:        return tui_step(t, t->sel);   /* Enter */
	}
	int s = t->sel + d;
	if (s >= 0 && s < v->n_workers)
		t->sel = s;
	return TUI_REDRAW;
}

static int key_mouse(struct tui *t, int ch)
{
	(void)ch;
	MEVENT me;
	if (getmouse(&me) != OK)
		return 0;
#ifdef BUTTON5_PRESSED
	if (me.bstate & BUTTON4_PRESSED) {
		t->log_back += 3;
		return TUI_REDRAW;
	}
	if (me.bstate & BUTTON5_PRESSED) {
		t->log_back -= 3;
		return TUI_REDRAW;
	}
#endif
	if (!(me.bstate & (BUTTON1_CLICKED | BUTTON1_PRESSED | BUTTON1_RELEASED)))
		return 0;
	struct rect a = t->wk_area;
	if (me.y < a.y || me.y >= a.y + a.h || me.x < a.x || me.x >= a.x + a.w)
		return 0;
	int w = t->wk_grid ? t->wk_first + (me.y - a.y) * t->wk_cols + (me.x - a.x) / t->wk_cellw
	                   : t->wk_first + (me.y - a.y);
	if (w >= 0 && w < engine_view(t->eng)->n_workers)
		t->sel = w;
	return TUI_REDRAW;
}

/* l reads on: the rest of a page too long for its pane (at 80x24 most
 * are), then the next page.  L goes back the same way. */
static int key_page(struct tui *t, int ch)
{
	int step = t->page_rows > 1 ? t->page_rows - 1 : 1;
	if (ch == 'l' && t->page_more) {
		t->page_top += step;
	} else if (ch == 'l' && t->page < t->sc->n_pages - 1) {
		t->page++;
		t->page_top = 0;
	} else if (ch == 'L' && t->page_top > 0) {
		t->page_top -= step;
		if (t->page_top < 0)
			t->page_top = 0;
	} else if (ch == 'L' && t->page > 0) {
		t->page--;
	}
	return TUI_REDRAW;
}

static int key_log(struct tui *t, int ch)
{
	if (t->timeline)
		return tui_timeline_key(t, ch);
	t->log_back += ch == KEY_PPAGE ? 10 : -10;
	return TUI_REDRAW;
}

static int key_step(struct tui *t, int ch)
{
	(void)ch;
	return tui_step(t, -1);
}

static int key_pick(struct tui *t, int ch)
{
	int w = ch - '1';
	if (w >= engine_view(t->eng)->n_workers) {
		tui_message(t, EL_ERROR, _("There is no worker %d"), w + 1);
		return TUI_REDRAW;
	}
	t->sel = w;
	return tui_step(t, w);
}

static int key_graph(struct tui *t, int ch)
{
	(void)ch;
	t->overlay = OV_GRAPH;
	return TUI_REDRAW;
}

static int key_help(struct tui *t, int ch)
{
	(void)ch;
	t->overlay = OV_HELP;
	return TUI_REDRAW;
}

static int key_big(struct tui *t, int ch)
{
	(void)ch;
	t->big = !t->big;
	return TUI_REDRAW;
}

/* ---- the table -------------------------------------------------------- */

#define DIGITS '1', '2', '3', '4', '5', '6', '7', '8', '9'

static const struct tui_key scenario_keys[] = {
	{ { ' ' }, N_("space"), N_("Step"),
	  N_("step once (the schedule picks who)"), key_step },
	{ { DIGITS }, "1-9", N_("Pick"),
	  N_("step the worker shown with that key (Nth from the top)"), key_pick },
	{ { KEY_UP, KEY_DOWN, KEY_LEFT, KEY_RIGHT, KEY_HOME, KEY_END, '\n', '\r', KEY_ENTER },
	  N_("arrows Enter"), NULL,
	  N_("pick a worker, step it (a click picks too)"), key_move },
	{ { 'r' }, "r", N_("Run"), N_("run / pause"), tui_run_pause },
	{ { 'b' }, "b", N_("Back"), N_("step back one step (replays the run)"), tui_step_back },
	{ { 'k' }, "k", N_("Kill"), N_("kill the selected worker for real (SIGKILL)"),
	  tui_kill_selected },
	{ { 'g' }, "g", N_("Graph"), N_("wait-for graph: who waits for whom"), key_graph },
	{ { 'm' }, "m", N_("Runs"),
	  N_("100 runs and how their results spread (m, q: stop)"), tui_runs_key },
	{ { 't' }, "t", N_("Timeline"),
	  N_("timeline: a row per worker, a column per step (t: back)"),
	  tui_timeline_toggle },
	{ { 'w' }, "w", N_("Save"), N_("write this run's choices to a replay file"),
	  tui_save_choices },
	{ { 'h' }, "h", N_("Hint"),
	  N_("hint: the shortest way from here to a deadlock (or a lost update)"), tui_hint },
	{ { '?', KEY_F(1) }, "?", N_("Help"), N_("this help"), key_help },
	{ { 'q', 27 }, N_("q Esc"), N_("Quit"), N_("back to the lesson menu, or quit"), tui_quit },
	{ { '+', '=', '-', '_' }, "+-", N_("Speed"), N_("faster / slower"), tui_speed },
	{ { 'n' }, "n", N_("New seed"), N_("a new interleaving: the next seed (restarts)"),
	  tui_new_seed },
	{ { 'i' }, "i", N_("Switch"), N_("switch dial: how often workers switch (restarts)"),
	  tui_switch_dial },
	{ { 's' }, "s", N_("Sched"), N_("schedule: os, random, round-robin (restarts)"),
	  tui_new_schedule },
	{ { 'R' }, "R", N_("Restart"), N_("restart with the same seed"), tui_restart_key },
	{ { 'l', 'L' }, "l L", N_("Page"), N_("read on / back in the lesson (a long page scrolls)"),
	  key_page },
	{ { 'c' }, "c", N_("Columns"),
	  N_("each worker's code in a column with its own cursor (2 to 5 workers)"),
	  tui_columns_toggle },
	{ { 'B' }, "B", N_("Big"), N_("big digits for a projector"), key_big },
	{ { KEY_PPAGE, KEY_NPAGE }, "PgUp PgDn", NULL,
	  N_("scroll the event log (the timeline's rows)"), key_log },
	{ { KEY_MOUSE }, NULL, NULL, NULL, key_mouse },
};

const struct tui_key *tui_keytab(int *n)
{
	*n = (int)(sizeof scenario_keys / sizeof scenario_keys[0]);
	return scenario_keys;
}

/* ---- reading a table ---------------------------------------------------- */

const struct tui_key *tui_keytab_find(const struct tui_key *tab, int n, int ch)
{
	for (int i = 0; i < n; i++)
		for (int c = 0; c < TUI_KEY_CODES && tab[i].codes[c]; c++)
			if (tab[i].codes[c] == ch)
				return &tab[i];
	return NULL;
}

const char *tui_key_name(const struct tui_key *k)
{
	return k->name ? _(k->name) : "";
}

/* The key bar's name of a key: the first word of its (translated) name. */
static int bar_name(const struct tui_key *k, char *buf, size_t n)
{
	const char *s = tui_key_name(k);
	size_t len = strcspn(s, " ");
	if (len >= n)
		len = n - 1;
	memcpy(buf, s, len);
	buf[len] = 0;
	return tui_width(buf);
}

static int bar_width(const struct tui_key *k)
{
	char name[64];
	return bar_name(k, name, sizeof name) + tui_width(_(k->bar)) + 2;
}

/* As many rows as the keys take laid out as tui_draw_keybar lays them
 * (a key never split across rows), so every key is on the screen. */
int tui_keybar_rows(const struct tui_key *tab, int n)
{
	int rows = 1, x = 0;
	for (int i = 0; i < n; i++) {
		if (!tab[i].bar)
			continue;
		int need = bar_width(&tab[i]);
		if (x && x + need > COLS) {
			rows++;
			x = 0;
		}
		x += need;
	}
	return rows < 4 ? rows : 4;
}

void tui_draw_keybar(const struct tui_key *tab, int n, int rows)
{
	int y = LINES - rows, x = 0;
	for (int r = 0; r < rows; r++)
		tui_fill(LINES - rows + r, 0, COLS, EL_KEYLABEL);
	for (int i = 0; i < n; i++) {
		if (!tab[i].bar)
			continue;
		int need = bar_width(&tab[i]);
		if (x + need > COLS && y < LINES - 1) {
			y++;
			x = 0;
		}
		if (x + need > COLS)
			break;
		char name[64];
		bar_name(&tab[i], name, sizeof name);
		x += tui_put(y, x, COLS - x, EL_KEY, name);
		x += tui_putf(y, x, COLS - x, EL_KEYLABEL, " %s ", _(tab[i].bar));
	}
}

int tui_keytab_run(const struct tui_key *tab, int n, struct tui *t, int ch)
{
	const struct tui_key *k = tui_keytab_find(tab, n, ch);
	return k ? k->run(t, ch) : 0;
}

int tui_key(struct tui *t, int ch)
{
	if (!t->sc)
		return tui_menu_key(t, ch);
	if (ch == KEY_MOUSE)
		return key_mouse(t, ch);
	if (t->overlay != OV_NONE) {   /* any key closes an overlay */
		t->overlay = OV_NONE;
		return TUI_REDRAW;
	}
	int had_msg = t->msg[0] != 0 || t->goal_flash;  /* a key press clears the status line */
	t->msg[0] = 0;
	t->goal_flash = 0;
	int n;
	const struct tui_key *tab = tui_keytab(&n);
	return tui_keytab_run(tab, n, t, ch) | (had_msg ? TUI_REDRAW : 0);
}
