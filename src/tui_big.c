/*
 * tui_big.c: the projector panel (--big, or B): the figures that matter
 * for the lesson, in block digits a classroom can read from the back row.
 *
 * Which figures: the scenario's `big` list when it has one (scenario.h,
 * struct scenario_figure), else chosen from the objects' kinds: a value's
 * value and its updates lost (or, with a `limit`, the highest it has been
 * against it), a semaphore's holders and its peak against its count.  A
 * deadlock is always shown, as the word DEADLOCK with the cycle above it.
 *
 * Digits are a 3x5 font with each pixel two columns wide, so they look
 * square on a terminal's tall cells; a projector-sized terminal (160x50
 * and up) gets them twice as large.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#include "tui_priv.h"

#define GLYPH_H 5
#define ITEM_GAP 6
#define MAX_ITEMS (SCENARIO_MAX_OBJECTS * 2 + 2)

/* 1, or 2 on a screen big enough for double-size digits. */
static int scale(void)
{
	return COLS >= 160 && LINES >= 50 ? 2 : 1;
}

static int digit_w(void) { return 3 * 2 * scale() + 2; }   /* with its gap */
static int row_h(void) { return GLYPH_H * scale() + 2; }    /* label, digits, blank */

/* The glyphs: digits, minus, and the letters of DEADLOCK. */
static const struct { char c; const char *rows[GLYPH_H]; } font[] = {
	{ '0', { "###", "# #", "# #", "# #", "###" } },
	{ '1', { " # ", "## ", " # ", " # ", "###" } },
	{ '2', { "###", "  #", "###", "#  ", "###" } },
	{ '3', { "###", "  #", "###", "  #", "###" } },
	{ '4', { "# #", "# #", "###", "  #", "  #" } },
	{ '5', { "###", "#  ", "###", "  #", "###" } },
	{ '6', { "###", "#  ", "###", "# #", "###" } },
	{ '7', { "###", "  #", "  #", "  #", "  #" } },
	{ '8', { "###", "# #", "###", "# #", "###" } },
	{ '9', { "###", "# #", "###", "  #", "###" } },
	{ '-', { "   ", "   ", "###", "   ", "   " } },
	{ '.', { "   ", "   ", "   ", "   ", " # " } },
	{ 'D', { "## ", "# #", "# #", "# #", "## " } },
	{ 'E', { "###", "#  ", "## ", "#  ", "###" } },
	{ 'A', { " # ", "# #", "###", "# #", "# #" } },
	{ 'L', { "#  ", "#  ", "#  ", "#  ", "###" } },
	{ 'O', { "###", "# #", "# #", "# #", "###" } },
	{ 'C', { "###", "#  ", "#  ", "#  ", "###" } },
	{ 'K', { "# #", "# #", "## ", "# #", "# #" } },
};

static const char *const *glyph(char c)
{
	for (size_t i = 0; i < sizeof font / sizeof font[0]; i++)
		if (font[i].c == c)
			return font[i].rows;
	return NULL;
}

/* Can the font draw every character of text?  A translated word (死锁)
 * cannot: it is drawn as a banner instead (draw_banner). */
static int in_font(const char *text)
{
	for (const char *c = text; *c; c++)
		if (!glyph(*c))
			return 0;
	return 1;
}

/* Columns of a banner: the word with a space between its characters and
 * two on each side, so it stands out as a block on a projector. */
static int banner_w(const char *text)
{
	return 2 * tui_width(text) + 4;
}

struct big_item {
	char label[SCENARIO_MAX_NAME * 4 + 64];
	char text[24];          /* what is drawn big: digits, or DEADLOCK */
	enum tui_el el;
};

static void put_number(struct big_item *it, long number, enum tui_el el)
{
	snprintf(it->text, sizeof it->text, "%ld", number);
	it->el = el;
}

/* The first element of a value-like object: its value, lost, highest. */
static long elem_of(const struct object_view *ov, const long *per_elem, long single)
{
	return ov->n_elems > 0 ? per_elem[0] : single;
}

/* One figure of the `big` list (or of the defaults) into *it. */
static void figure_item(const struct engine_view *v, const struct scenario_figure *f,
                        struct big_item *it)
{
	const struct scenario *sc = v->scenario;
	int n = 0;
	switch (f->what) {
	case FIG_STARTED:
		snprintf(it->label, sizeof it->label, "%s", _("processes started"));
		put_number(it, v->started, EL_BIG);
		return;
	case FIG_FINISHED:
		for (int w = 0; w < v->n_workers; w++)
			n += v->workers[w].state == WS_DONE;
		snprintf(it->label, sizeof it->label, "%s", _("finished"));
		put_number(it, n, EL_GOOD);
		return;
	case FIG_WAITING:
		for (int w = 0; w < v->n_workers; w++)
			n += v->workers[w].state == WS_BLOCKED;
		snprintf(it->label, sizeof it->label, "%s", _("waiting"));
		put_number(it, n, n ? EL_ST_BLOCKED : EL_BIG);
		return;
	case FIG_TIME:
		snprintf(it->label, sizeof it->label, "%s", v->schedule == SCHED_OS
		         ? _("seconds (real time)") : _("seconds (virtual time)"));
		snprintf(it->text, sizeof it->text, "%.3f", (double)v->clock_ms / 1000.0);
		it->el = EL_BIG;
		return;
	default:
		break;
	}
	const struct scenario_object *o = &sc->objects[f->object];
	const struct object_view *ov = &v->objects[f->object];
	char name[SCENARIO_MAX_NAME * 2 + 8];
	tui_elem_label(sc, f->object, 0, name, sizeof name);
	long value = elem_of(ov, ov->elems, ov->value);
	long lost = elem_of(ov, ov->elem_lost, ov->lost);
	switch (f->what) {
	case FIG_VALUE:
		snprintf(it->label, sizeof it->label, "%s", name);
		put_number(it, value, value == elem_of(ov, ov->elem_intended, ov->intended) && !lost
		           ? EL_BIG : EL_BAD);
		break;
	case FIG_LOST:
		snprintf(it->label, sizeof it->label, _("%s: updates lost"), name);
		put_number(it, lost, lost ? EL_BAD : EL_GOOD);
		break;
	case FIG_HIGHEST:
		if (o->has_limit)
			snprintf(it->label, sizeof it->label, _("%s: highest (limit %ld)"), name, o->limit);
		else
			snprintf(it->label, sizeof it->label, _("%s: highest"), name);
		put_number(it, ov->peak, o->has_limit && ov->peak > o->limit ? EL_BAD : EL_BIG);
		break;
	case FIG_TAKEN:
		snprintf(it->label, sizeof it->label, _("%s: taken (of %ld)"), name, o->initial);
		put_number(it, ov->holders, EL_HOLDER);
		break;
	default:   /* FIG_PEAK */
		snprintf(it->label, sizeof it->label, _("%s: most at once (of %ld)"), name, o->initial);
		put_number(it, ov->peak, ov->peak > o->initial ? EL_BAD : EL_BIG);
		break;
	}
}

/* The figures a scenario that names none gets, from its objects' kinds. */
static int default_figures(const struct scenario *sc, struct scenario_figure *f, int max)
{
	int n = 0;
	for (int o = 0; o < sc->n_objects && n + 2 <= max; o++) {
		enum kind_show show = kind_info(sc->objects[o].kind)->show;
		if (show == KS_VALUE) {
			f[n++] = (struct scenario_figure){ FIG_VALUE, o };
			f[n++] = (struct scenario_figure){
				sc->objects[o].has_limit ? FIG_HIGHEST : FIG_LOST, o };
		} else if (show == KS_SEMAPHORE) {
			f[n++] = (struct scenario_figure){ FIG_TAKEN, o };
			f[n++] = (struct scenario_figure){ FIG_PEAK, o };
		}
	}
	return n;
}

/* DEADLOCK, with the cycle as its label: "Thread-1 → Thread-2 → Thread-1". */
static void deadlock_item(struct tui *t, const struct engine_view *v, struct big_item *it)
{
	size_t used = (size_t)snprintf(it->label, sizeof it->label, "%s", _("deadlock: "));
	for (int i = 0; i <= v->cycle_len && used < sizeof it->label; i++) {
		int w = v->cycle[i % v->cycle_len].worker;
		used += (size_t)snprintf(it->label + used, sizeof it->label - used, "%s%s",
		                         i ? " " : "", i ? tui_glyph(t, G_ARROW) : "");
		if (used < sizeof it->label)
			used += (size_t)snprintf(it->label + used, sizeof it->label - used, "%s%s",
			                         i ? " " : "", tui_worker_name(v, w));
	}
	/* The word in the class's language: block letters when the font has
	 * them (DEADLOCK), else a banner (死锁). */
	snprintf(it->text, sizeof it->text, "%s", _("DEADLOCK"));
	it->el = EL_CYCLE;
}

static int collect(struct tui *t, const struct engine_view *v, struct big_item *items, int max)
{
	const struct scenario *sc = v->scenario;
	struct scenario_figure defaults[MAX_ITEMS];
	const struct scenario_figure *f = sc->figures;
	int nf = sc->n_figures, n = 0;
	if (nf == 0) {
		nf = default_figures(sc, defaults, MAX_ITEMS - 1);
		f = defaults;
	}
	if (v->outcome == RUN_DEADLOCK && v->cycle_len > 0)
		deadlock_item(t, v, &items[n++]);
	for (int i = 0; i < nf && n < max; i++)
		figure_item(v, &f[i], &items[n++]);
	return n;
}

static int item_width(const struct big_item *it)
{
	int w = in_font(it->text) ? (int)strlen(it->text) * digit_w() : banner_w(it->text);
	int lw = tui_width(it->label);
	return lw > w ? lw : w;
}

int tui_big_height(const struct tui *t, const struct engine_view *v, int w)
{
	struct big_item items[MAX_ITEMS];
	int n = collect((struct tui *)t, v, items, MAX_ITEMS);
	if (n == 0)
		return 0;
	int rows = 1, x = 0;
	for (int i = 0; i < n; i++) {
		int iw = item_width(&items[i]);
		if (x && x + iw > w - 2) {
			rows++;
			x = 0;
		}
		x += iw + ITEM_GAP;
	}
	return rows * row_h() + (v->outcome != RUN_RUNNING);
}

/* Once the run is over the figures are its result: say so above them,
 * in the outcome's colour, as the Result panel does. */
static int draw_result_heading(const struct engine_view *v, struct rect r)
{
	if (v->outcome == RUN_RUNNING || r.h < 1)
		return 0;
	enum tui_el el = v->outcome == RUN_FINISHED ? EL_GOOD
	               : v->outcome == RUN_DEADLOCK ? EL_CYCLE : EL_BAD;
	tui_putf(r.y, r.x + 2, r.w - 2, el, _(" Result: %s "), tui_outcome_word(v->outcome));
	return 1;
}

/* A word the font cannot draw, as big as the terminal allows: a block
 * of the glyphs' height in reverse video, the word in its middle row with
 * its characters spaced out. */
static void draw_banner(const char *text, int y, int x, int maxx, enum tui_el el)
{
	int w = banner_w(text), h = GLYPH_H * scale();
	if (x + w > maxx)
		w = maxx - x;
	if (w <= 0)
		return;
	char spaced[96];
	size_t n = 0;
	mbstate_t st = { 0 };
	for (const char *p = text; *p && n + 8 < sizeof spaced;) {
		size_t len = mbrlen(p, MB_CUR_MAX, &st);
		if (len == 0 || len > 4)
			break;
		if (n)
			spaced[n++] = ' ';
		memcpy(spaced + n, p, len);
		n += len;
		p += len;
	}
	spaced[n] = '\0';
	attr_t a = tui_attr(el) | A_REVERSE | A_BOLD;
	attron(a);
	for (int row = 0; row < h; row++)
		mvprintw(y + row, x, "%*s", w, "");
	attroff(a);
	int tw = tui_width(spaced);
	tui_put(y + h / 2, x + (w - tw) / 2, tw, el, spaced);
	mvchgat(y + h / 2, x + (w - tw) / 2, tw, a, 0, NULL);
}

static void draw_text(struct tui *t, const char *digits, int y, int x, int maxx,
                      enum tui_el el)
{
	if (!in_font(digits)) {
		draw_banner(digits, y, x, maxx, el);
		return;
	}
	const char *block = tui_glyph(t, G_BLOCK);
	attr_t a = tui_attr(el);
	int k = scale(), pw = 2 * k, dw = digit_w();
	for (const char *d = digits; *d; d++, x += dw) {
		const char *const *g = glyph(*d);
		if (x + dw - 2 > maxx)
			return;
		attron(a);
		for (int row = 0; row < GLYPH_H * k; row++)
			for (int col = 0; col < 3; col++) {
				if (g[row / k][col] != '#')
					continue;
				for (int p = 0; p < pw; p++)
					mvaddstr(y + row, x + col * pw + p, block);
			}
		attroff(a);
	}
}

void tui_draw_big(struct tui *t, const struct engine_view *v, struct rect r)
{
	struct big_item items[MAX_ITEMS];
	int n = collect(t, v, items, MAX_ITEMS);
	int y = r.y + draw_result_heading(v, r), x = r.x + 2;
	for (int i = 0; i < n; i++) {
		int iw = item_width(&items[i]);
		if (x > r.x + 2 && x + iw > r.x + r.w - 2) {
			y += row_h();
			x = r.x + 2;
		}
		if (y + row_h() - 1 > r.y + r.h)
			break;
		tui_put(y, x, iw, EL_TITLE, items[i].label);
		draw_text(t, items[i].text, y + 1, x, r.x + r.w, items[i].el);
		x += iw + ITEM_GAP;
	}
}
