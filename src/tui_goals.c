/*
 * tui_goals.c: the lesson's goals, a line each, ticked the moment they
 * are met (goals.h judges them; tui_keys.c calls goals_check after each
 * step and before each frame), and, in --big, a banner when one is.
 * "[x]" and "[ ]" say it without colour, for mono and NO_COLOR.
 */
#include <stdio.h>

#include "goals.h"
#include "tui_priv.h"

int tui_goals_height(const struct tui *t)
{
	return t->sc && t->sc->n_goals ? t->sc->n_goals + 1 : 0;
}

void tui_draw_goals(struct tui *t, struct rect r)
{
	const struct goals *g = &t->goals;
	if (r.h <= 0 || !t->sc)
		return;
	tui_fill(r.y, r.x, r.w, EL_TITLE);
	/* TRANSLATORS: the goals pane's title: "Goals: 1 of 3 met". */
	tui_putf(r.y, r.x, r.w, EL_TITLE, _(" Goals: %d of %d met"), g->n_met, t->sc->n_goals);
	for (int i = 0; i < t->sc->n_goals && i + 1 < r.h; i++) {
		const struct goal_status *st = &g->st[i];
		enum tui_el el = st->met ? EL_GOOD : EL_NORMAL;
		int x = r.x + tui_putf(r.y + 1 + i, r.x, r.w, el, " [%c] ", st->met ? 'x' : ' ');
		/* The step first: a long text is cut at the pane's edge. */
		if (st->met)
			x += tui_putf(r.y + 1 + i, x, r.w - (x - r.x), EL_DIM, _("(step %ld) "), st->step);
		tui_put(r.y + 1 + i, x, r.w - (x - r.x), el,
		        tui_lang(t, &t->sc->goals[i].text));
	}
}

/* --big: a goal met just now, in a band the back row can read. */
int tui_goal_banner(struct tui *t, int y)
{
	if (!t->big || t->goal_flash <= 0 || !t->sc || t->goal_flash > t->sc->n_goals)
		return 0;
	const struct scenario_goal *goal = &t->sc->goals[t->goal_flash - 1];
	for (int i = 0; i < 3; i++)
		tui_fill(y + i, 0, COLS, EL_BIG);
	int x = tui_putf(y + 1, 2, COLS - 2, EL_BIG, "%s %s ", "***", _("GOAL MET:"));
	tui_putf(y + 1, 2 + x, COLS - 2 - x, EL_BIG, "%s  ***",
	         tui_lang(t, &goal->text));
	return 3;
}
