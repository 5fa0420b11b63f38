/*
 * tui_columns.c: each worker's code with its own cursor (c), as jBACI and
 * the Little Book of Semaphores simulator show a few threads: side by
 * side, one column per worker, each showing the Python lines its group's
 * ops stand for (the function it runs) with a cursor at the line of the
 * op it will do next.  Two processes at the same line of the same code
 * are two cursors, in two columns, where the single pane can only count
 * them.
 *
 * For scenarios of 2 to TUI_COLUMNS_MAX workers (more would leave no
 * room to read); the columns take the width of the screen above the
 * panes.  The selected worker's column and cursor are highlighted.
 */
#include <string.h>

#include "tui_priv.h"

/* Its group's Python lines: from the first to the last its ops stand
 * for.  0 when the group has no line. */
static int group_lines(const struct scenario *s, int g, int *lo, int *hi)
{
	const struct scenario_group *gr = &s->groups[g];
	*lo = 0;
	*hi = 0;
	for (int i = 0; i < gr->n_ops; i++) {
		int l = gr->ops[i].py_line;
		if (l <= 0)
			continue;
		if (!*lo || l < *lo)
			*lo = l;
		if (l > *hi)
			*hi = l;
	}
	return *lo > 0;
}

int tui_columns_fit(const struct tui *t, const struct engine_view *v)
{
	if (!t->sc || !t->sc->python || v->n_workers < 2 || v->n_workers > TUI_COLUMNS_MAX)
		return 0;
	int lo, hi;
	for (int g = 0; g < t->sc->n_groups; g++)
		if (group_lines(t->sc, g, &lo, &hi))
			return 1;
	return 0;
}

int tui_columns_toggle(struct tui *t, int ch)
{
	(void)ch;
	const struct engine_view *v = engine_view(t->eng);
	if (!t->columns && !tui_columns_fit(t, v)) {
		tui_message(t, EL_MSG, _("Code columns are for 2 to %d workers with Python lines; "
		                         "this lesson has %d workers"), TUI_COLUMNS_MAX, v->n_workers);
		return TUI_REDRAW;
	}
	t->columns = !t->columns;
	return TUI_REDRAW;
}

/* Line `line` (1-based) of the source, its length in *len; NULL past it. */
static const char *source_line(const char *src, int line, size_t *len)
{
	for (int l = 1; l < line && src; l++) {
		src = strchr(src, '\n');
		if (src)
			src++;
	}
	if (!src || !*src)
		return NULL;
	*len = strcspn(src, "\n");
	return src;
}

/* The indentation all the lines lo..hi share, to leave out. */
static size_t common_indent(const char *src, int lo, int hi)
{
	size_t best = (size_t)-1, len;
	for (int l = lo; l <= hi; l++) {
		const char *p = source_line(src, l, &len);
		if (!p)
			break;
		size_t in = strspn(p, " ");
		if (in < len && in < best)
			best = in;
	}
	return best == (size_t)-1 ? 0 : best;
}

int tui_columns_height(const struct tui *t, const struct engine_view *v, int maxh)
{
	int most = 0, lo, hi;
	for (int w = 0; w < v->n_workers; w++)
		if (group_lines(t->sc, v->workers[w].group, &lo, &hi) && hi - lo + 1 > most)
			most = hi - lo + 1;
	int h = most + 2;   /* the column heads, the lines, a rule under them */
	return h < maxh ? h : maxh;
}

static void draw_head(struct tui *t, const struct engine_view *v, int w, int y, int x, int cw)
{
	const struct worker_view *wv = &v->workers[w];
	enum tui_el el = w == t->sel ? EL_SELECTED : EL_TITLE;
	tui_fill(y, x, cw, el);
	int cx = x;
	if (w < 9)
		cx += tui_putf(y, cx, cw, el, "%d ", w + 1);
	cx += tui_putf(y, cx, x + cw - cx, el, "%s ", tui_state_symbol(t, wv->state));
	tui_put(y, cx, x + cw - cx, el, wv->name);
}

/* Worker w's column: its group's lines, its cursor at its next op's. */
static void draw_column(struct tui *t, const struct engine_view *v, int w, struct rect r)
{
	int lo, hi;
	draw_head(t, v, w, r.y, r.x, r.w);
	if (!group_lines(t->sc, v->workers[w].group, &lo, &hi))
		return;
	const struct scenario_op *op = tui_worker_op(v, w);
	enum worker_state st = v->workers[w].state;
	int cur = op && st != WS_DONE && st != WS_KILLED ? op->py_line : 0;
	int rows = r.h - 1, first = lo;
	if (hi - lo + 1 > rows && cur > 0) {   /* keep the cursor in sight */
		first = cur - rows / 2;
		if (first < lo)
			first = lo;
		if (first > hi - rows + 1)
			first = hi - rows + 1;
	}
	size_t indent = common_indent(t->sc->python, lo, hi), len;
	int numw = hi >= 100 ? 3 : hi >= 10 ? 2 : 1;
	for (int row = 0; row < rows && first + row <= hi; row++) {
		int line = first + row, y = r.y + 1 + row;
		const char *p = source_line(t->sc->python, line, &len);
		if (!p)
			break;
		int here = line == cur;
		enum tui_el el = here ? (w == t->sel ? EL_SRC_CURRENT : EL_SRC_MARK) : EL_NORMAL;
		if (here)
			tui_fill(y, r.x, r.w, el);
		tui_put(y, r.x, 1, here ? el : EL_NORMAL, here ? (t->utf8 ? "\u25b8" : ">") : " ");
		tui_putf(y, r.x + 1, numw, here ? el : EL_DIM, "%*d", numw, line);
		size_t skip = indent < len ? indent : len;
		tui_putn(y, r.x + 2 + numw, r.w - 2 - numw, el, p + skip, len - skip);
	}
}

void tui_draw_columns(struct tui *t, const struct engine_view *v, struct rect r)
{
	int n = v->n_workers;
	if (n < 1 || r.h < 3)
		return;
	int cw = (r.w - (n - 1)) / n;
	if (cw < 8)
		return;
	for (int w = 0; w < n; w++) {
		int x = r.x + w * (cw + 1);
		draw_column(t, v, w, (struct rect){ r.y, x, r.h - 1, cw });
		if (w + 1 < n) {
			attron(tui_attr(EL_BORDER));
			mvvline(r.y, x + cw, ACS_VLINE, r.h - 1);
			attroff(tui_attr(EL_BORDER));
		}
	}
	attron(tui_attr(EL_BORDER));
	mvhline(r.y + r.h - 1, r.x, ACS_HLINE, r.w);
	attroff(tui_attr(EL_BORDER));
}
