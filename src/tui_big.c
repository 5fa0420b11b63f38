/*
 * tui_big.c: the projector panel (--big, or B): the key numbers in block
 * digits a classroom can read from the back row: each value, the rooms in
 * use of each semaphore, and how many workers are waiting.
 *
 * Digits are a 3x5 font with each pixel two columns wide, so they look
 * square on a terminal's tall cells; a projector-sized terminal (160x50
 * and up) gets them twice as large.
 */
#include <stdio.h>
#include <string.h>

#include "tui_priv.h"

#define GLYPH_H 5
#define ITEM_GAP 6

/* 1, or 2 on a screen big enough for double-size digits. */
static int scale(void)
{
	return COLS >= 160 && LINES >= 50 ? 2 : 1;
}

static int digit_w(void) { return 3 * 2 * scale() + 2; }   /* with its gap */
static int row_h(void) { return GLYPH_H * scale() + 2; }    /* label, digits, blank */

static const char *const font[11][GLYPH_H] = {
	{ "###", "# #", "# #", "# #", "###" },
	{ " # ", "## ", " # ", " # ", "###" },
	{ "###", "  #", "###", "#  ", "###" },
	{ "###", "  #", "###", "  #", "###" },
	{ "# #", "# #", "###", "  #", "  #" },
	{ "###", "#  ", "###", "  #", "###" },
	{ "###", "#  ", "###", "# #", "###" },
	{ "###", "  #", "  #", "  #", "  #" },
	{ "###", "# #", "###", "# #", "###" },
	{ "###", "# #", "###", "  #", "###" },
	{ "   ", "   ", "###", "   ", "   " },  /* minus */
};

struct big_item {
	char label[SCENARIO_MAX_NAME * 2 + 24];
	long number;
	enum tui_el el;
};

static int collect(const struct engine_view *v, struct big_item *items, int max)
{
	int n = 0, waiting = 0;
	const struct scenario *sc = v->scenario;
	for (int o = 0; o < sc->n_objects && n < max - 1; o++) {
		const struct object_view *ov = &v->objects[o];
		enum kind_show show = kind_info(sc->objects[o].kind)->show;
		if (show == KS_VALUE) {
			/* A few elements at most: the projector shows the point. */
			int ne = ov->n_elems > 0 ? ov->n_elems : 1;
			for (int e = 0; e < ne && e < 4 && n < max - 1; e++, n++) {
				tui_elem_label(sc, o, e, items[n].label, sizeof items[n].label);
				long value = ov->n_elems > 0 ? ov->elems[e] : ov->value;
				long intended = ov->n_elems > 0 ? ov->elem_intended[e] : ov->intended;
				long lost = ov->n_elems > 0 ? ov->elem_lost[e] : ov->lost;
				items[n].number = value;
				items[n].el = value == intended && !lost ? EL_BIG : EL_BAD;
			}
		} else if (show == KS_SEMAPHORE) {
			snprintf(items[n].label, sizeof items[n].label, _("%s in use (of %ld)"),
			         sc->objects[o].name, sc->objects[o].initial);
			items[n].number = ov->holders;
			items[n].el = EL_HOLDER;
			n++;
		}
	}
	for (int w = 0; w < v->n_workers; w++)
		waiting += v->workers[w].state == WS_BLOCKED;
	snprintf(items[n].label, sizeof items[n].label, "%s", _("waiting"));
	items[n].number = waiting;
	items[n].el = waiting ? EL_ST_BLOCKED : EL_BIG;
	return n + 1;
}

static int item_width(const struct big_item *it)
{
	char digits[32];
	int nd = snprintf(digits, sizeof digits, "%ld", it->number);
	int w = nd * digit_w();
	int lw = tui_width(it->label);
	return lw > w ? lw : w;
}

int tui_big_height(const struct tui *t, const struct engine_view *v, int w)
{
	struct big_item items[SCENARIO_MAX_OBJECTS + 1];
	int n = collect(v, items, SCENARIO_MAX_OBJECTS + 1);
	int rows = 1, x = 0;
	for (int i = 0; i < n; i++) {
		int iw = item_width(&items[i]);
		if (x && x + iw > w - 2) {
			rows++;
			x = 0;
		}
		x += iw + ITEM_GAP;
	}
	(void)t;
	return rows * row_h();
}

static void draw_number(struct tui *t, long number, int y, int x, int maxx,
                        enum tui_el el)
{
	char digits[32];
	snprintf(digits, sizeof digits, "%ld", number);
	const char *block = tui_glyph(t, G_BLOCK);
	attr_t a = tui_attr(el);
	int k = scale(), pw = 2 * k, dw = digit_w();
	for (const char *d = digits; *d; d++, x += dw) {
		int g = *d == '-' ? 10 : *d - '0';
		if (x + dw - 2 > maxx)
			return;
		attron(a);
		for (int row = 0; row < GLYPH_H * k; row++)
			for (int col = 0; col < 3; col++) {
				if (font[g][row / k][col] != '#')
					continue;
				for (int p = 0; p < pw; p++)
					mvaddstr(y + row, x + col * pw + p, block);
			}
		attroff(a);
	}
}

void tui_draw_big(struct tui *t, const struct engine_view *v, struct rect r)
{
	struct big_item items[SCENARIO_MAX_OBJECTS + 1];
	int n = collect(v, items, SCENARIO_MAX_OBJECTS + 1);
	int y = r.y, x = r.x + 2;
	for (int i = 0; i < n; i++) {
		int iw = item_width(&items[i]);
		if (x > r.x + 2 && x + iw > r.x + r.w - 2) {
			y += row_h();
			x = r.x + 2;
		}
		if (y + row_h() - 1 > r.y + r.h)
			break;
		tui_put(y, x, iw, EL_TITLE, items[i].label);
		draw_number(t, items[i].number, y + 1, x, r.x + r.w, items[i].el);
		x += iw + ITEM_GAP;
	}
}
