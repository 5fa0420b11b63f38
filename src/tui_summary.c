/*
 * tui_summary.c: the result of a run, on the screen once it has ended
 * (finished, deadlock, timeout): the values against what was expected and
 * the updates lost, the peaks against their limits, the processes
 * started, the deadlock, the time it took.
 *
 * The lines are the headless summary's own (trace_summary_text), so what
 * a class sees on the projector and what a printed run says never differ,
 * and the pages can point at "the summary" in both.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "trace.h"
#include "tui_priv.h"

/* The summary as text, without its first lines (a blank one and the
 * "== id: outcome ==" heading: the panel's title says that).  Caller
 * frees.  NULL while the run goes on. */
static char *summary_body(const struct engine_view *v)
{
	if (v->outcome == RUN_RUNNING)
		return NULL;
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	if (!f)
		return NULL;
	trace_summary_text(f, v);
	if (fclose(f) != 0) {
		free(buf);
		return NULL;
	}
	const char *body = buf;
	for (int skip = 0; skip < 2 && body; skip++) {
		const char *nl = strchr(body, '\n');
		body = nl ? nl + 1 : NULL;
	}
	if (!body) {
		free(buf);
		return NULL;
	}
	memmove(buf, body, strlen(body) + 1);
	return buf;
}

/* The summary's lines are "  label      value": a long value wraps under
 * itself, not under the label.  Where the value starts, in bytes (0 when
 * the line has no such label). */
static size_t value_start(const char *line, size_t n)
{
	size_t i = 0;
	while (i < n && line[i] == ' ')
		i++;
	while (i < n && line[i] != ' ')
		i++;
	size_t gap = i;
	while (i < n && line[i] == ' ')
		i++;
	return i - gap >= 2 && i < n ? i : 0;
}

/* Lay the summary out in rows of w columns: each row is a (start, length)
 * piece of text drawn at column indent[i].  Returns the row count (which
 * may exceed max: only max are written). */
static int summary_rows(const char *text, int w, struct tui_line *rows, int *indent, int max)
{
	int n = 0;
	for (const char *p = text; *p;) {
		size_t len = strcspn(p, "\n");
		size_t vs = value_start(p, len);
		char label[64];
		snprintf(label, sizeof label, "%.*s", (int)(vs < sizeof label ? vs : 0), p);
		int hang = vs ? tui_width(label) : 0;
		if (hang > w / 2)
			hang = 0, vs = 0;
		char *value = strndup(p + vs, len - vs);
		struct tui_line parts[32];
		int k = value ? tui_wrap(value, w - hang, parts, 32) : 0;
		for (int j = 0; j < k && j < 32; j++, n++) {
			if (n >= max)
				continue;
			/* Row pieces point into text, not into the copy. */
			rows[n].s = p + vs + (size_t)(parts[j].s - value);
			rows[n].n = parts[j].n;
			indent[n] = hang;
			if (j == 0 && vs) {
				rows[n].s = p;
				rows[n].n += vs;
				indent[n] = 0;
			}
		}
		free(value);
		p += len;
		if (*p == '\n')
			p++;
	}
	return n;
}

/* The panel's text: the many runs' tally (m) while there is one, else
 * the run's summary once it has ended. */
static char *panel_text(const struct tui *t, const struct engine_view *v, int w)
{
	return t->runs ? tui_runs_text(t, w) : summary_body(v);
}

int tui_summary_height(const struct tui *t, const struct engine_view *v, int w)
{
	char *text = panel_text(t, v, w - 2);
	if (!text)
		return 0;
	struct tui_line rows[128];
	int indent[128];
	int n = summary_rows(text, w - 2, rows, indent, 128);
	free(text);
	return n + 1;
}

void tui_draw_summary(struct tui *t, const struct engine_view *v, struct rect r)
{
	if (r.h < 2 || r.w < 10)
		return;
	char *text = panel_text(t, v, r.w - 2);
	if (!text)
		return;
	enum tui_el el = t->runs ? EL_TITLE : v->outcome == RUN_FINISHED ? EL_GOOD
	               : v->outcome == RUN_DEADLOCK ? EL_CYCLE : EL_BAD;
	tui_fill(r.y, r.x, r.w, el);
	if (t->runs) {
		char title[160];
		tui_runs_title(t, title, sizeof title);
		tui_put(r.y, r.x, r.w, el, title);
	} else {
		tui_putf(r.y, r.x, r.w, el, _(" Result: %s"), tui_outcome_word(v->outcome));
	}
	struct tui_line rows[128];
	int indent[128];
	int n = summary_rows(text, r.w - 2, rows, indent, 128);
	for (int i = 0; i < n && i < 128 && i < r.h - 1; i++)
		tui_putn(r.y + 1 + i, r.x + 1 + indent[i], r.w - 1 - indent[i], EL_NORMAL,
		         rows[i].s, rows[i].n);
	free(text);
}
