/*
 * goals.c: judging a lesson's goals on the engine's view (see goals.h).
 */
#include "config.h"

#include <string.h>

#include "goals.h"
#include "i18n.h"
#include "trace.h"

void goals_reset(struct goals *g, const struct scenario *s)
{
	memset(g, 0, sizeof *g);
	g->s = s;
	g->n = s ? s->n_goals : 0;
}

static int run_over(const struct engine_view *v)
{
	return v->outcome == RUN_FINISHED || v->outcome == RUN_DEADLOCK ||
	       v->outcome == RUN_TIMEOUT;
}

static long elem_value(const struct engine_view *v, int obj, int elem)
{
	const struct object_view *o = &v->objects[obj];
	return o->n_elems > 0 ? o->elems[elem] : o->value;
}

/* Is worker w the goal's (any, its group, or that one worker)? */
static int goal_worker(const struct scenario *s, const struct scenario_goal *goal, int w,
                       int group)
{
	if (goal->group < 0)
		return 1;
	if (group != goal->group)
		return 0;
	if (goal->number_in_group < 0)
		return 1;
	int base = 0;
	for (int i = 0; i < group; i++)
		base += s->groups[i].count;
	return s->groups[group].first_index + (w - base) == goal->number_in_group;
}

/* A worker of the goal's at its line while another holds the object. */
static int at_line(const struct scenario *s, const struct scenario_goal *goal,
                   const struct engine_view *v)
{
	int holders = 0, holder = -1;
	for (int w = 0; w < v->n_workers; w++)
		if (v->workers[w].holds[goal->object]) {
			holders++;
			holder = w;
		}
	if (holders == 0)
		return 0;
	for (int w = 0; w < v->n_workers; w++) {
		const struct worker_view *wv = &v->workers[w];
		const struct scenario_group *gr = &s->groups[wv->group];
		if (wv->state == WS_DONE || wv->state == WS_KILLED || wv->pc < 0 ||
		    wv->pc >= gr->n_ops || gr->ops[wv->pc].py_line != goal->py_line)
			continue;
		if ((holders > 1 || holder != w) && goal_worker(s, goal, w, wv->group))
			return 1;
	}
	return 0;
}

static int holds(const struct scenario *s, const struct scenario_goal *goal,
                 const struct engine_view *v)
{
	long want;
	switch (goal->kind) {
	case GOAL_OUTCOME:
		return v->outcome == (goal->outcome == OUTCOME_DEADLOCK ? RUN_DEADLOCK : RUN_FINISHED);
	case GOAL_ENDS_AT:
	case GOAL_ENDS_NOT:
		if (!run_over(v))
			return 0;
		want = goal->vs_expect ? s->objects[goal->object].elems[goal->elem].expect
		                       : goal->number;
		return (elem_value(v, goal->object, goal->elem) == want) ==
		       (goal->kind == GOAL_ENDS_AT);
	case GOAL_PEAK:
	case GOAL_BROKEN:
		return v->objects[goal->object].peak > goal->number;
	case GOAL_AT_LINE:
		return at_line(s, goal, v);
	case GOAL_WAITS:
		for (int w = 0; w < v->n_workers; w++)
			if (v->workers[w].state == WS_BLOCKED &&
			    v->workers[w].waits_on == goal->object &&
			    goal_worker(s, goal, w, v->workers[w].group))
				return 1;
		return 0;
	}
	return 0;
}

int goals_holds(const struct scenario *s, int i, const struct engine_view *v)
{
	const struct scenario_goal *goal = &s->goals[i];
	if (goal->within && v->steps > goal->within)
		return 0;
	return holds(s, goal, v);
}

int goals_check(struct goals *g, const struct engine_view *v)
{
	int first = -1;
	if (!g->s || v->scenario != g->s)
		return -1;
	for (int i = 0; i < g->n; i++) {
		if (g->st[i].met || !goals_holds(g->s, i, v))
			continue;
		g->st[i].met = 1;
		g->st[i].step = v->steps;
		g->n_met++;
		if (first < 0)
			first = i;
	}
	return first;
}

const char *goals_text(const struct scenario_goal *goal, const char *lang)
{
	if (lang && strcmp(lang, "zh") == 0 && goal->text.zh)
		return goal->text.zh;
	return goal->text.en ? goal->text.en : goal->id;
}

void goals_print_text(FILE *f, const struct goals *g, const char *lang)
{
	if (!g->s || g->n == 0)
		return;
	fprintf(f, _("  goals      %d of %d met\n"), g->n_met, g->n);
	for (int i = 0; i < g->n; i++) {
		const struct scenario_goal *goal = &g->s->goals[i];
		/* The text only: the id is for the JSON (an English word in a
		 * Chinese summary otherwise). */
		fprintf(f, "    [%c] %s", g->st[i].met ? 'x' : ' ', goals_text(goal, lang));
		if (g->st[i].met)
			fprintf(f, _(" (step %ld)"), g->st[i].step);
		fputc('\n', f);
	}
}

void goals_print_json(FILE *f, const struct goals *g)
{
	fputc('[', f);
	for (int i = 0; g->s && i < g->n; i++) {
		fputs(i ? ",{\"id\":" : "{\"id\":", f);
		trace_json_string(f, g->s->goals[i].id);
		if (g->st[i].met)
			fprintf(f, ",\"met\":true,\"step\":%ld}", g->st[i].step);
		else
			fputs(",\"met\":false,\"step\":null}", f);
	}
	fputc(']', f);
}
