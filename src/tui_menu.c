/*
 * tui_menu.c: the lesson menu shown by `lockstep` alone: the bundled
 * scenarios grouped by section, in their `order`, each with its title and
 * one-line summary in the chosen language.  Enter opens one; q or Esc in
 * the scenario comes back here.
 */
#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "tui_priv.h"

void tui_menu_load(struct tui *t)
{
	t->cat_err[0] = 0;
	t->n_cat = catalog_list(&t->cat, t->cat_err, sizeof t->cat_err);
	if (t->n_cat < 0)
		t->cat = NULL;
}

static int same_section(const char *a, const char *b)
{
	return (!a && !b) || (a && b && strcmp(a, b) == 0);
}

/* Entries in display order: sections in the order their first lesson
 * comes, the lessons of a section together.  Returns the count. */
static int menu_order(const struct tui *t, int *order)
{
	int n = 0;
	for (int i = 0; i < t->n_cat; i++) {
		int seen = 0;
		for (int j = 0; j < i && !seen; j++)
			seen = same_section(t->cat[j].scenario->section,
			                    t->cat[i].scenario->section);
		if (seen)
			continue;
		for (int j = i; j < t->n_cat; j++)
			if (same_section(t->cat[j].scenario->section,
			                 t->cat[i].scenario->section))
				order[n++] = j;
	}
	return n;
}

/* "data-sharing" -> "Data sharing" (translated); a section lockstep does
 * not know is shown as its own words. */
static void section_title(const char *s, char *buf, size_t n)
{
	static const char *const known[][2] = {
		{ "data-sharing", N_("Data sharing") }, { "semaphore", N_("Semaphore") },
		{ "event", N_("Event") }, { "pool", N_("Pool") }, { "deadlock", N_("Deadlock") },
		{ "messages", N_("Messages") }, { "more", N_("More") },
	};
	for (size_t i = 0; s && i < sizeof known / sizeof known[0]; i++)
		if (strcmp(s, known[i][0]) == 0) {
			snprintf(buf, n, "%s", _(known[i][1]));
			return;
		}
	snprintf(buf, n, "%s", s && *s ? s : _("Other lessons"));
	for (char *p = buf; *p; p++)
		if (*p == '-' || *p == '_')
			*p = ' ';
	buf[0] = (char)toupper((unsigned char)buf[0]);
}

void tui_draw_menu(struct tui *t)
{
	tui_fill(0, 0, COLS, EL_HEADER);
	tui_putf(0, 0, COLS, EL_HEADER, " lockstep  %s",
	         _("lessons in multiprocessing: pick a scenario"));
	if (t->n_cat <= 0) {
		if (catalog_only_dir())
			tui_putf(2, 2, COLS - 4, EL_ERROR, _("No lessons in %s"), catalog_only_dir());
		else
			tui_putf(2, 2, COLS - 4, EL_ERROR, _("No bundled scenarios in %s"),
			         catalog_dir());
		if (t->cat_err[0])
			tui_put(3, 2, COLS - 4, EL_DIM, t->cat_err);
		return;
	}
	int order[t->n_cat];
	int n = menu_order(t, order);
	if (t->menu_sel >= n)
		t->menu_sel = n - 1;
	if (t->menu_sel < 0)
		t->menu_sel = 0;

	/* Lay out every line first, then scroll so the selection shows. */
	int total = 0, sel_line = 0;
	for (int i = 0; i < n; i++) {
		if (i == 0 || !same_section(t->cat[order[i]].scenario->section,
		                            t->cat[order[i - 1]].scenario->section))
			total += i ? 2 : 1;
		if (i == t->menu_sel)
			sel_line = total;
		total += 2;
	}
	int rows = LINES - 4, first = 0;
	if (total > rows && sel_line + 2 > rows)
		first = sel_line + 2 - rows;
	int line = 0;
	for (int i = 0; i < n; i++) {
		const struct scenario *sc = t->cat[order[i]].scenario;
		if (i == 0 || !same_section(sc->section, t->cat[order[i - 1]].scenario->section)) {
			if (i)
				line++;
			char title[128];
			section_title(sc->section, title, sizeof title);
			if (line >= first && line - first < rows)
				tui_put(2 + line - first, 2, COLS - 4, EL_TITLE, title);
			line++;
		}
		int y = 2 + line - first;
		int sel = i == t->menu_sel;
		if (line >= first && line - first < rows) {
			if (sel)
				tui_fill(y, 2, COLS - 4, EL_SELECTED);
			tui_putf(y, 4, COLS - 6, sel ? EL_SELECTED : EL_KEY, "%s",
			         tui_lang(t, &sc->title));
			int tw = tui_width(tui_lang(t, &sc->title));
			tui_putf(y, 6 + tw, COLS - 8 - tw, sel ? EL_SELECTED : EL_DIM, "(%s)",
			         sc->id ? sc->id : "");
		}
		if (line + 1 >= first && line + 1 - first < rows)
			tui_put(y + 1, 6, COLS - 8, EL_NORMAL, tui_lang(t, &sc->summary));
		line += 2;
	}
	/* Say that the list goes on, above or below. */
	if (first > 0)
		tui_putf(1, COLS - 12, 10, EL_DIM, _("%s more"), t->utf8 ? "\u2191" : "^");
	if (total - first > rows)
		tui_putf(LINES - 2, COLS - 12, 10, EL_DIM, _("%s more"), t->utf8 ? "\u2193" : "v");
	if (t->msg[0])   /* e.g. a lesson that could not start */
		tui_put(LINES - 2, 2, COLS - 4, t->msg_el, t->msg);
}

static int menu_quit(struct tui *t, int ch)
{
	(void)ch;
	t->quit = 1;
	return TUI_REDRAW;
}

static int menu_move(struct tui *t, int ch)
{
	switch (ch) {
	case KEY_UP: case 'k': t->menu_sel--; break;
	case KEY_HOME:         t->menu_sel = 0; break;
	case KEY_END:          t->menu_sel = t->n_cat; break;
	default:               t->menu_sel++; break;   /* down, j, Tab */
	}
	return TUI_REDRAW;
}

static int menu_open(struct tui *t, int ch)
{
	(void)ch;
	t->msg[0] = 0;
	if (t->n_cat <= 0)
		return TUI_REDRAW;
	int order[t->n_cat];
	int n = menu_order(t, order);
	if (t->menu_sel < 0 || t->menu_sel >= n)
		return TUI_REDRAW;
	struct scenario *sc = t->cat[order[t->menu_sel]].scenario;
	if (t->opt->workers > 0) {
		char err[256];
		scenario_set_workers(sc, t->opt->workers, err, sizeof err);
	}
	t->from_menu = 1;
	tui_open(t, sc);
	return TUI_REDRAW;
}

/* The menu's keys, read like the scenario's (see tui_keytab.c). */
static const struct tui_key menu_keys[] = {
	{ { '\n', '\r', KEY_ENTER }, N_("Enter"), N_("Open"), NULL, menu_open },
	{ { KEY_UP, KEY_DOWN, 'k', 'j', '\t', KEY_HOME, KEY_END }, N_("arrows"), N_("Choose"),
	  NULL, menu_move },
	{ { 'q', 'Q', 27 }, "q", N_("Quit"), NULL, menu_quit },
};

const struct tui_key *tui_menu_keytab(int *n)
{
	*n = (int)(sizeof menu_keys / sizeof menu_keys[0]);
	return menu_keys;
}

int tui_menu_key(struct tui *t, int ch)
{
	int r = tui_keytab_run(menu_keys, (int)(sizeof menu_keys / sizeof menu_keys[0]), t, ch);
	if (t->menu_sel >= t->n_cat)
		t->menu_sel = t->n_cat - 1;
	if (t->menu_sel < 0)
		t->menu_sel = 0;
	return r;
}
