/*
 * tui_source.c: the lesson's Python source, with the workers on it.
 *
 * Each op carries the Python line it stands for (py_line), so the pane
 * counts the live workers at each line and highlights the selected
 * worker's line: the student sees that 100 processes are all at
 * `d['count'] -= 1`, which is where updates get lost.
 */
#include <stdlib.h>
#include <string.h>

#include "tui_priv.h"

static int count_lines(const char *s)
{
	if (!s || !*s)
		return 0;
	int n = 1;
	for (; *s; s++)
		if (*s == '\n' && s[1])
			n++;
	return n;
}

int tui_source_height(const struct tui *t)
{
	return t->sc && t->sc->python ? count_lines(t->sc->python) + 1 : 0;
}

void tui_draw_source(struct tui *t, const struct engine_view *v, struct rect r)
{
	if (r.h < 2 || r.w < 12 || !t->sc->python)
		return;
	int n = count_lines(t->sc->python);
	int *at = calloc((size_t)n + 1, sizeof *at);
	if (!at)
		return;
	for (int w = 0; w < v->n_workers; w++) {
		enum worker_state s = v->workers[w].state;
		if (s == WS_DONE || s == WS_KILLED)
			continue;
		const struct scenario_op *op = tui_worker_op(v, w);
		if (op && op->py_line >= 1 && op->py_line <= n)
			at[op->py_line]++;
	}
	const struct scenario_op *selop = tui_worker_op(v, t->sel);
	int cur = selop ? selop->py_line : 0;

	tui_fill(r.y, r.x, r.w, EL_TITLE);
	if (cur > 0)
		/* TRANSLATORS: the Python pane's title: "· work3 is at line 7". */
		tui_putf(r.y, r.x, r.w, EL_TITLE, _(" Python %s %s is at line %d"),
		         tui_glyph(t, G_MIDDOT), tui_worker_name(v, t->sel), cur);
	else
		tui_put(r.y, r.x, r.w, EL_TITLE, _(" Python"));

	int rows = r.h - 1;
	int numw = n >= 100 ? 3 : n >= 10 ? 2 : 1;
	int first = 1;
	if (n > rows && cur > 0) {
		first = cur - rows / 2;
		if (first < 1)
			first = 1;
		if (first > n - rows + 1)
			first = n - rows + 1;
	}
	const char *p = t->sc->python;
	for (int line = 1; line < first && *p; line++) {
		const char *nl = strchr(p, '\n');
		p = nl ? nl + 1 : p + strlen(p);
	}
	for (int row = 0; row < rows && first + row <= n; row++) {
		int line = first + row;
		const char *nl = strchr(p, '\n');
		size_t len = nl ? (size_t)(nl - p) : strlen(p);
		int y = r.y + 1 + row;
		enum tui_el el = line == cur ? EL_SRC_CURRENT : EL_NORMAL;
		if (line == cur)
			tui_fill(y, r.x, r.w, el);
		/* Gutter: how many workers stand here, then the line number. */
		if (at[line])
			tui_putf(y, r.x, 4, line == cur ? el : EL_SRC_MARK, "%3d%s", at[line],
			         t->utf8 ? "\u25b8" : ">");
		tui_putf(y, r.x + 4, numw, line == cur ? el : EL_DIM, "%*d", numw, line);
		tui_putn(y, r.x + 5 + numw, r.w - 5 - numw, el, p, len);
		p = nl ? nl + 1 : p + len;
	}
	free(at);
}
