/*
 * timeline_print.c: the timeline as text (--timeline) and as an SVG
 * picture (--svg=FILE), both drawn from the cells of timeline.c.
 *
 * Text: blocks of TIMELINE_TEXT_BLOCK steps, each a ruler and, for every
 * row, its lane (what it did, and its state between) and, when it held
 * something in the block, a line of what it held under it.  The block
 * that ends the run marks the deadlock's cycle: a '#' past the last step
 * and, after the row, what the worker holds and waits for.
 *
 * SVG: the same grid, drawn as text in a monospace font on coloured
 * bands (waits, sleeps, holds, the cycle), so it reads on a slide in
 * colour and in grey alike.  Hand-written: no library.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#include "i18n.h"
#include "timeline.h"
#include "words.h"

#define LABEL_MAX 24      /* columns a row's name may take */

struct timeline_text {
	FILE *f;
	struct timeline *tl;
	int label_w;          /* 0 until the first block */
	struct tl_used used;  /* what the blocks showed: the legend */
};

/* Write s cut to w display columns, and padded to w when pad. */
static void put_fit(FILE *f, const char *s, int w, int pad)
{
	mbstate_t st;
	memset(&st, 0, sizeof st);
	int used = 0;
	size_t left = strlen(s);
	while (left > 0) {
		wchar_t wc;
		size_t n = mbrtowc(&wc, s, left, &st);
		char one[8];
		if (n == (size_t)-1 || n == (size_t)-2 || n == 0) {
			unsigned char b = (unsigned char)*s;
			n = b >= 0xF0 ? 4 : b >= 0xE0 ? 3 : b >= 0xC0 ? 2 : 1;
			n = n < left ? n : left;
			memset(&st, 0, sizeof st);
		}
		snprintf(one, sizeof one, "%.*s", (int)n, s);
		int cw = words_width(one);
		if (used + cw > w)
			break;
		fputs(one, f);
		used += cw;
		s += n;
		left -= n;
	}
	if (pad)
		fprintf(f, "%*s", w - used, "");
}

static int label_width(const struct timeline *tl, const struct engine_view *v)
{
	int w = words_width(_("step"));
	for (int r = 0; r < tl->n_rows; r++) {
		int n = words_width(timeline_row_name(tl, v, r));
		w = n > w ? n : w;
	}
	return w > LABEL_MAX ? LABEL_MAX : w;
}

/* The step numbers, every tenth step, where they fit. */
static void ruler(FILE *f, long from, long to, int cycle_col)
{
	long n = to - from + 1 + cycle_col;
	char *line = malloc((size_t)n + 1);
	if (!line)
		return;
	memset(line, ' ', (size_t)n);
	line[n] = '\0';
	for (long s = from; s <= to; s++) {
		char num[24];
		int len = snprintf(num, sizeof num, "%ld", s);
		if (s % 10 == 0 && s - from + len <= n)
			memcpy(line + (s - from), num, (size_t)len);
	}
	if (cycle_col)
		line[n - 1] = TL_CYCLE_GLYPH;
	long end = n;
	while (end > 0 && line[end - 1] == ' ')
		end--;
	fprintf(f, "%.*s\n", (int)end, line);
	free(line);
}

static int row_held_in(const struct timeline *tl, int r, long from, long to)
{
	for (long s = from; s <= to; s++) {
		const struct tl_cell *c = timeline_cell(tl, r, s);
		if (c && c->hold != TL_HOLD_NONE)
			return 1;
	}
	return 0;
}

/* One row's lane, and its holds under it when it held anything. */
static void text_row(struct timeline_text *p, const struct engine_view *v, int r,
                     long from, long to, int cycle_col)
{
	const struct timeline *tl = p->tl;
	const struct tl_row *row = &tl->rows[r];
	size_t n = (size_t)(to - from + 1 + cycle_col);
	char *lane = malloc(n + 1), *held = malloc(n + 1);
	if (!lane || !held) {
		free(lane);
		free(held);
		return;
	}
	for (long s = from; s <= to; s++) {
		const struct tl_cell *c = timeline_cell(tl, r, s);
		lane[s - from] = !c ? ' ' : c->mark != TL_NONE ? timeline_mark_glyph(c->mark)
		                 : timeline_fill_glyph(c->fill);
		held[s - from] = c ? timeline_hold_glyph(tl, c) : ' ';
	}
	if (cycle_col) {
		lane[n - 1] = row->cycle ? TL_CYCLE_GLYPH : ' ';
		held[n - 1] = ' ';
	}
	size_t end = n;
	while (end > 0 && lane[end - 1] == ' ')
		end--;
	fputs("  ", p->f);
	put_fit(p->f, timeline_row_name(tl, v, r), p->label_w, end > 0);
	if (end > 0)
		fprintf(p->f, "  %.*s", (int)end, lane);
	if (cycle_col && row->cycle) {
		char what[2 * SCENARIO_MAX_NAME + 128];
		timeline_cycle_words(tl, r, what, sizeof what);
		fprintf(p->f, "  %s", what);
	}
	fputc('\n', p->f);
	if (row_held_in(tl, r, from, to)) {
		end = n;
		while (end > 0 && held[end - 1] == ' ')
			end--;
		fprintf(p->f, "  %*s  %.*s\n", p->label_w, "", (int)end, held);
	}
	free(lane);
	free(held);
}

static void text_block(struct timeline_text *p, const struct engine_view *v, long from,
                       long to, int final)
{
	const struct timeline *tl = p->tl;
	int cycle_col = 0;
	for (int r = 0; final && r < tl->n_rows; r++)
		cycle_col |= tl->rows[r].cycle;
	if (!p->label_w) {
		p->label_w = label_width(tl, v);
		fprintf(p->f, _("timeline of %s: a row per worker, a column per step\n"),
		        tl->s->id);
	}
	timeline_used(tl, from, to, &p->used);
	fputs("\n  ", p->f);
	put_fit(p->f, _("step"), p->label_w, 1);
	fputs("  ", p->f);
	ruler(p->f, from, to, cycle_col);
	for (int r = 0; r < tl->n_rows; r++)
		text_row(p, v, r, from, to, cycle_col);
}

struct timeline_text *timeline_text_new(FILE *f, const struct scenario *s, int n_workers)
{
	struct timeline_text *p = calloc(1, sizeof *p);
	if (!p)
		return NULL;
	p->f = f;
	p->tl = timeline_new(s, n_workers, TIMELINE_TEXT_BLOCK);
	if (!p->tl) {
		free(p);
		return NULL;
	}
	return p;
}

void timeline_text_event(struct timeline_text *p, const struct engine_view *v,
                         const struct event *ev)
{
	struct timeline *tl = p->tl;
	/* A full block goes out before the event that starts the next. */
	while (ev->step >= tl->first + tl->n_cols && tl->last >= tl->first) {
		long end = tl->first + tl->n_cols - 1;
		text_block(p, v, tl->first, tl->last < end ? tl->last : end, 0);
		timeline_slide(tl, tl->first + tl->n_cols);
	}
	timeline_add(tl, ev);
}

void timeline_text_end(struct timeline_text *p, const struct engine_view *v)
{
	struct timeline *tl = p->tl;
	timeline_finish(tl, v);
	if (tl->last >= tl->first)
		text_block(p, v, tl->first, timeline_window_end(tl), 1);
	fputc('\n', p->f);
	timeline_legend(p->f, tl, &p->used, 78, "  ");
}

void timeline_text_free(struct timeline_text *p)
{
	if (!p)
		return;
	timeline_free(p->tl);
	free(p);
}

/* ---- SVG -------------------------------------------------------------- */

#define SVG_CW 12          /* a step's width, px */
#define SVG_RH 18          /* a lane's height */
#define SVG_HH 12          /* a holds line's height */
#define SVG_CH 9           /* a display column of a name, px */
#define SVG_PAD 12

/* Text for XML: & < > " ' escaped (scenario names may hold any of them). */
static void xml_text(FILE *f, const char *s)
{
	for (; *s; s++) {
		switch (*s) {
		case '&': fputs("&amp;", f); break;
		case '<': fputs("&lt;", f); break;
		case '>': fputs("&gt;", f); break;
		case '"': fputs("&quot;", f); break;
		case '\'': fputs("&apos;", f); break;
		default: fputc(*s, f);
		}
	}
}

static void xml_char(FILE *f, char c)
{
	char s[2] = { c, 0 };
	xml_text(f, s);
}

struct timeline *timeline_svg_new(const struct scenario *s, int n_workers)
{
	long rows = n_workers + 1;
	long cols = TIMELINE_SVG_CELLS / rows;
	if (cols > TIMELINE_SVG_STEPS)
		cols = TIMELINE_SVG_STEPS;
	if (cols < 10)
		cols = 10;
	return timeline_new(s, n_workers, (int)cols);
}

void timeline_svg_event(struct timeline *tl, const struct event *ev)
{
	if (ev->step >= tl->first + tl->n_cols)
		timeline_slide(tl, ev->step - tl->n_cols / 2);
	timeline_add(tl, ev);
}

static const char *const svg_colours[] = {
	"#4477aa", "#228833", "#aa3377", "#66ccee", "#ccbb44", "#ee6677", "#bbbbbb",
};

static const char *hold_colour(int obj)
{
	return obj == TL_HOLD_MANY ? "#555555"
	       : svg_colours[obj % (int)(sizeof svg_colours / sizeof svg_colours[0])];
}

/* Bands behind a row: a run of equal state (or of one hold) is one rect. */
static void svg_bands(FILE *f, const struct timeline *tl, int r, long from, long to, int x0,
                      int y, int holds)
{
	long s = from;
	while (s <= to) {
		const struct tl_cell *c = timeline_cell(tl, r, s);
		int key = !c ? -100 : holds ? c->hold : c->fill;
		long e = s;
		while (e + 1 <= to) {
			const struct tl_cell *d = timeline_cell(tl, r, e + 1);
			if ((!d ? -100 : holds ? d->hold : d->fill) != key)
				break;
			e++;
		}
		const char *colour = holds ? (key == TL_HOLD_NONE || key == -100 ? NULL : hold_colour(key))
		                   : key == TF_WAITING ? "#f6c85f" : key == TF_SLEEPING ? "#cfe3f5"
		                   : NULL;
		if (colour)
			fprintf(f, "<rect x=\"%ld\" y=\"%d\" width=\"%ld\" height=\"%d\" fill=\"%s\"/>\n",
			        x0 + (s - from) * SVG_CW, y + 1, (e - s + 1) * SVG_CW,
			        (holds ? SVG_HH : SVG_RH) - 2, colour);
		s = e + 1;
	}
}

/* The glyphs of a line, each placed in its cell (spaces left out). */
static void svg_glyphs(FILE *f, const struct timeline *tl, int r, long from, long to, int x0,
                       int y, int holds)
{
	int any = 0;
	for (long s = from; s <= to; s++) {
		const struct tl_cell *c = timeline_cell(tl, r, s);
		char g = !c ? ' ' : holds ? timeline_hold_glyph(tl, c)
		         : c->mark != TL_NONE ? timeline_mark_glyph(c->mark) : timeline_fill_glyph(c->fill);
		if (g == ' ')
			continue;
		if (!any)
			fprintf(f, "<g class=\"%s\">", holds ? "h" : "g");
		any = 1;
		fprintf(f, "<text x=\"%ld\" y=\"%d\">", x0 + (s - from) * SVG_CW + SVG_CW / 2,
		        y + (holds ? SVG_HH : SVG_RH) - (holds ? 3 : 5));
		xml_char(f, g);
		fputs("</text>", f);
	}
	if (any)
		fputs("</g>\n", f);
}

static int svg_row_height(const struct timeline *tl, int r, long from, long to)
{
	return SVG_RH + (row_held_in(tl, r, from, to) ? SVG_HH : 0);
}

static void svg_ruler(FILE *f, long from, long to, int x0, int y)
{
	for (long s = from; s <= to; s++)
		if (s % 10 == 0)
			fprintf(f, "<text class=\"n\" x=\"%ld\" y=\"%d\">%ld</text>\n",
			        x0 + (s - from) * SVG_CW, y, s);
}

static void svg_legend(FILE *f, const struct timeline *tl, const struct tl_used *u, int cols,
                       int y)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *m = open_memstream(&buf, &len);
	if (!m)
		return;
	timeline_legend(m, tl, u, cols, "");
	if (fclose(m) != 0) {
		free(buf);
		return;
	}
	for (char *line = buf, *nl; line && *line; line = nl ? nl + 1 : NULL) {
		nl = strchr(line, '\n');
		if (nl)
			*nl = '\0';
		fprintf(f, "<text xml:space=\"preserve\" x=\"%d\" y=\"%d\">", SVG_PAD, y);
		xml_text(f, line);
		fputs("</text>\n", f);
		y += 16;
	}
	free(buf);
}

static int svg_legend_lines(const struct timeline *tl, const struct tl_used *u, int cols)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *m = open_memstream(&buf, &len);
	if (!m)
		return 0;
	timeline_legend(m, tl, u, cols, "");
	int n = 0;
	if (fclose(m) == 0)
		for (size_t i = 0; i < len; i++)
			n += buf[i] == '\n';
	free(buf);
	return n;
}

static void svg_head(FILE *f, const struct timeline *tl, const struct engine_view *v, int w,
                     int h, long from)
{
	fprintf(f, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
	        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" "
	        "viewBox=\"0 0 %d %d\">\n<title>", w, h, w, h);
	xml_text(f, tl->s->id);
	fputs("</title>\n<style>text{font-family:monospace;font-size:13px;fill:#111}"
	      ".g,.h{text-anchor:middle}.h{font-size:10px;fill:#fff}.n{font-size:10px;fill:#555}"
	      ".c{fill:#b00000;font-weight:bold}</style>\n", f);
	fprintf(f, "<rect width=\"%d\" height=\"%d\" fill=\"#ffffff\"/>\n", w, h);
	const char *title = strcmp(i18n_lang(), "zh") == 0 && tl->s->title.zh ? tl->s->title.zh
	                  : tl->s->title.en ? tl->s->title.en : tl->s->id;
	fprintf(f, "<text x=\"%d\" y=\"%d\" font-weight=\"bold\">", SVG_PAD, SVG_PAD + 10);
	xml_text(f, title);
	fprintf(f, "</text>\n<text x=\"%d\" y=\"%d\">", SVG_PAD, SVG_PAD + 28);
	xml_text(f, tl->s->id);
	char what[256];
	if (v->schedule != SCHED_OS)
		snprintf(what, sizeof what, _(": %s after %ld steps (%s schedule, seed %llu)"),
		         words_outcome(v->outcome), v->steps, words_schedule(v->schedule),
		         (unsigned long long)v->seed);
	else
		snprintf(what, sizeof what, _(": %s (os schedule)"), words_outcome(v->outcome));
	xml_text(f, what);
	if (from > 0) {
		snprintf(what, sizeof what, _(", from step %ld"), from);
		xml_text(f, what);
	}
	fputs("</text>\n", f);
}

/* One row: name, bands, glyphs, holds, and its link of the cycle. */
static int svg_row(FILE *f, const struct timeline *tl, const struct engine_view *v, int r,
                   long from, long to, int x0, int y)
{
	const struct tl_row *row = &tl->rows[r];
	if (r % 2 == 0)
		fprintf(f, "<rect x=\"0\" y=\"%d\" width=\"%ld\" height=\"%d\" fill=\"#f2f2f2\"/>\n",
		        y, x0 + (to - from + 2) * SVG_CW + SVG_PAD, svg_row_height(tl, r, from, to));
	fprintf(f, "<text x=\"%d\" y=\"%d\"%s>", SVG_PAD, y + SVG_RH - 4,
	        row->cycle ? " class=\"c\"" : "");
	xml_text(f, timeline_row_name(tl, v, r));
	fputs("</text>\n", f);
	svg_bands(f, tl, r, from, to, x0, y, 0);
	svg_glyphs(f, tl, r, from, to, x0, y, 0);
	if (row->cycle) {
		long cx = x0 + (to - from + 1) * SVG_CW;
		fprintf(f, "<text class=\"c\" x=\"%ld\" y=\"%d\">%c ", cx + 2, y + SVG_RH - 4,
		        TL_CYCLE_GLYPH);
		char what[2 * SCENARIO_MAX_NAME + 128];
		timeline_cycle_words(tl, r, what, sizeof what);
		xml_text(f, what);
		fputs("</text>\n", f);
	}
	int h = SVG_RH;
	if (row_held_in(tl, r, from, to)) {
		svg_bands(f, tl, r, from, to, x0, y + SVG_RH, 1);
		svg_glyphs(f, tl, r, from, to, x0, y + SVG_RH, 1);
		h += SVG_HH;
	}
	return h;
}

int timeline_svg_write(FILE *f, struct timeline *tl, const struct engine_view *v)
{
	timeline_finish(tl, v);
	long from = tl->first, to = timeline_window_end(tl);
	int cycle = 0;
	for (int r = 0; r < tl->n_rows; r++)
		cycle |= tl->rows[r].cycle;
	int x0 = SVG_PAD + label_width(tl, v) * SVG_CH + SVG_PAD;
	int top = SVG_PAD + 52, rows_h = 0;
	for (int r = 0; r < tl->n_rows; r++)
		rows_h += svg_row_height(tl, r, from, to);
	int w = x0 + (int)(to - from + 1) * SVG_CW + SVG_PAD + (cycle ? 48 * SVG_CH : 0);
	struct tl_used used = { 0 };
	timeline_used(tl, from, to, &used);
	if (w < 60 * SVG_CH + 2 * SVG_PAD)
		w = 60 * SVG_CH + 2 * SVG_PAD;   /* room for the legend and the heading */
	int cols = (w - 2 * SVG_PAD) / SVG_CH;
	int h = top + rows_h + SVG_PAD + 16 * svg_legend_lines(tl, &used, cols) + SVG_PAD;
	svg_head(f, tl, v, w, h, from);
	svg_ruler(f, from, to, x0, top - 6);
	int y = top;
	for (int r = 0; r < tl->n_rows; r++)
		y += svg_row(f, tl, v, r, from, to, x0, y);
	svg_legend(f, tl, &used, cols, y + SVG_PAD + 10);
	fputs("</svg>\n", f);
	return ferror(f) ? -1 : 0;
}
