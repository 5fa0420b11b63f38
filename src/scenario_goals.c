/*
 * scenario_goals.c: the loader's checks of a scenario's goals (see
 * docs/scenario-format.md, "goals"), once its objects and worker groups
 * are known.  Every error is at the key or value that is wrong.
 */
#include <stdio.h>
#include <string.h>

#include "i18n.h"
#include "kinds.h"
#include "scenario_priv.h"

/* The keys of each form of a goal's `when`; the first names the form. */
static const char *const forms[][6] = {
	{ "outcome", NULL },
	{ "value", "key", "index", "ends-at", "ends-not", NULL },
	{ "peak", "above", NULL },
	{ "at-line", "worker", "while-held", NULL },
	{ "waits", "worker", NULL },
	{ "broken", NULL },
};
#define N_FORMS 6

static int in_form(int f, const char *key)
{
	for (int k = 0; forms[f][k]; k++)
		if (strcmp(forms[f][k], key) == 0)
			return 1;
	return 0;
}

/* Which form WN is: exactly one form key, and only that form's keys. */
static int when_form(struct load_ctx *c, yaml_node_t *wn)
{
	int form = -1;
	yaml_node_t *first = NULL;
	for (int f = 0; f < N_FORMS; f++) {
		yaml_node_t *k = doc_key(c, wn, forms[f][0]);
		if (!k)
			continue;
		if (form >= 0) {
			if (k->start_mark.index < first->start_mark.index)
				k = first;
			load_error_node(c, k, "a goal's 'when' is one condition: "
					"not both '%s' and '%s'", forms[form][0],
					forms[f][0]);
			return -1;
		}
		form = f;
		first = k;
	}
	if (form < 0) {
		load_error_node(c, wn, "a goal's 'when' needs one of 'outcome', "
				"'value', 'peak', 'at-line', 'waits' or 'broken'");
		return -1;
	}
	for (yaml_node_pair_t *p = wn->data.mapping.pairs.start;
	     p < wn->data.mapping.pairs.top; p++) {
		yaml_node_t *k = yaml_document_get_node(&c->doc, p->key);
		const char *key = (const char *)k->data.scalar.value;
		if (!in_form(form, key)) {
			load_error_node(c, k, "'%s' does not go with '%s' in a "
					"goal's 'when'", key, forms[form][0]);
			return -1;
		}
	}
	return form;
}

/* The object NAME (at node N) of a kind that FLAGS_OK accepts. */
static int goal_object(struct load_ctx *c, const struct scenario *s,
		       yaml_node_t *n, const char *name, const char *key,
		       int (*ok)(int kind), const char *want)
{
	char q[64], list[SCENARIO_MAX_OBJECTS * 34];
	int i = scenario_find_object(s, name);
	doc_quote(q, sizeof q, name, strlen(name));
	if (i < 0) {
		load_objects_text(list, sizeof list, s);
		load_error_node(c, n, "'%s' names no object %s (objects: %s)",
				key, q, list);
		return -1;
	}
	if (!ok(s->objects[i].kind)) {
		load_error_node(c, n, "'%s' needs %s, but %s is %s %s", key,
				_(want), q, load_kind_article(s->objects[i].kind),
				object_kind_name(s->objects[i].kind));
		return -1;
	}
	return i;
}

static int valuelike(int k) { return kind_is(k, KF_VALUELIKE); }
static int has_peak(int k) { return kind_is(k, KF_LOCKLIKE) || kind_is_plain_value(k); }
static int any_kind(int k) { (void)k; return 1; }

/* ends-at / ends-not: an integer, or `expect`. */
static int goal_ends(struct load_ctx *c, struct scenario_goal *g,
		     const struct scenario *s, yaml_node_t *wn,
		     const struct raw_when *w)
{
	const char *key = w->ends_at ? "ends-at" : "ends-not";
	const char *text = w->ends_at ? w->ends_at : w->ends_not;
	yaml_node_t *n = doc_get(c, wn, key);
	struct scenario_linear v;
	char q[64];
	if (w->ends_at && w->ends_not) {
		load_error_node(c, doc_key(c, wn, "ends-not"), "a goal's 'when' "
				"takes 'ends-at' or 'ends-not', not both");
		return -1;
	}
	g->kind = w->ends_at ? GOAL_ENDS_AT : GOAL_ENDS_NOT;
	if (strcmp(text, "expect") == 0) {
		if (!s->objects[g->object].elems[g->elem].has_expect) {
			load_error_node(c, n, "'%s: expect', but '%s' has no "
					"'expect'", key, s->objects[g->object].name);
			return -1;
		}
		g->vs_expect = 1;
		return 0;
	}
	doc_quote(q, sizeof q, text, strlen(text));
	if (strspn(text, "+-0123456789") != strlen(text)) {
		load_error_node(c, n, "'%s' must be an integer or expect, not %s",
				key, q);
		return -1;
	}
	if (load_expr(c, n, key, text, 0, NULL, &v) < 0 ||
	    load_check_range(c, n, key, v.base, -SCENARIO_MAX_VALUE, SCENARIO_MAX_VALUE))
		return -1;
	g->number = v.base;
	return 0;
}

/* worker: a group's name (any of it) or one worker's (group + number). */
static int goal_worker(struct load_ctx *c, struct scenario_goal *g,
		       const struct scenario *s, yaml_node_t *n, const char *name)
{
	char q[64], list[SCENARIO_MAX_GROUPS * 34] = "";
	for (int i = 0; i < s->n_groups; i++) {
		const struct scenario_group *gr = &s->groups[i];
		size_t len = strlen(gr->name);
		load_append(list, sizeof list, "%s%s", i ? ", " : "", gr->name);
		if (strncmp(name, gr->name, len) != 0)
			continue;
		const char *d = name + len;
		if (!*d) {
			g->group = i;
			return 0;
		}
		if (strspn(d, "0123456789") != strlen(d) || strlen(d) > 6 ||
		    (d[0] == '0' && d[1]))
			continue;
		long num = 0;
		for (; *d; d++)
			num = num * 10 + (*d - '0');
		if (num >= gr->first_index && num < gr->first_index + gr->count) {
			g->group = i;
			g->number_in_group = (int)num;
			return 0;
		}
	}
	doc_quote(q, sizeof q, name, strlen(name));
	load_error_node(c, n, "'worker' names no worker or group %s (groups: %s)",
			q, list);
	return -1;
}

/* at-line: some op (of the worker's group, when one is named) stands for it. */
static int goal_line(struct load_ctx *c, const struct scenario_goal *g,
		     const struct scenario *s, yaml_node_t *n, long line)
{
	for (int i = 0; i < s->n_groups; i++)
		for (int k = 0; k < s->groups[i].n_ops; k++)
			if ((g->group < 0 || g->group == i) && s->groups[i].ops[k].py_line == line)
				return 0;
	if (g->group >= 0)
		load_error_node(c, n, "no op of that worker stands for line %ld of "
				"'python' (an op says which with 'line')", line);
	else
		load_error_node(c, n, "no op stands for line %ld of 'python' (an op "
				"says which with 'line')", line);
	return -1;
}

/* broken: a value's `limit`, or a lock's or semaphore's `max-holders`. */
static int goal_broken(struct load_ctx *c, const struct scenario *s,
		       struct scenario_goal *g, const struct raw_when *w, yaml_node_t *wn)
{
	yaml_node_t *n = doc_get(c, wn, "broken");
	g->kind = GOAL_BROKEN;
	g->object = goal_object(c, s, n, w->broken, "broken", any_kind, "");
	if (g->object < 0)
		return -1;
	const struct scenario_object *o = &s->objects[g->object];
	if (kind_is_plain_value(o->kind) && o->has_limit)
		g->number = o->limit;
	else if (kind_is(o->kind, KF_LOCKLIKE) && s->expect_max_holders[g->object] > 0)
		g->number = s->expect_max_holders[g->object];
	else {
		load_error_node(c, n, "'%s' has no limit to break (a value's 'limit', "
				"a lock's or semaphore's 'max-holders')", o->name);
		return -1;
	}
	return 0;
}

static int load_when(struct load_ctx *c, const struct scenario *s,
		     struct scenario_goal *g, const struct raw_when *w,
		     yaml_node_t *wn)
{
	char q[64];
	switch (when_form(c, wn)) {
	case 0:
		g->kind = GOAL_OUTCOME;
		if (strcmp(w->outcome, "finished") == 0 || strcmp(w->outcome, "deadlock") == 0) {
			g->outcome = w->outcome[0] == 'f' ? OUTCOME_FINISHED : OUTCOME_DEADLOCK;
			return 0;
		}
		doc_quote(q, sizeof q, w->outcome, strlen(w->outcome));
		load_error_node(c, doc_get(c, wn, "outcome"), "'outcome' must be "
				"finished or deadlock, not %s", q);
		return -1;
	case 1:
		g->object = goal_object(c, s, doc_get(c, wn, "value"), w->value, "value",
					valuelike, N_("a value, array, list, dict or namespace"));
		if (g->object < 0 ||
		    load_elem(c, s, g->object, w->key, w->index, wn, &g->elem) < 0)
			return -1;
		if (!w->ends_at && !w->ends_not) {
			load_error_node(c, wn, "a goal on a value needs 'ends-at' "
					"or 'ends-not'");
			return -1;
		}
		return goal_ends(c, g, s, wn, w);
	case 2:
		g->kind = GOAL_PEAK;
		g->object = goal_object(c, s, doc_get(c, wn, "peak"), w->peak, "peak",
					has_peak, N_("a lock, semaphore or value"));
		if (g->object < 0)
			return -1;
		if (!w->above) {
			load_error_node(c, wn, "a goal on a peak needs 'above'");
			return -1;
		}
		g->number = *w->above;
		return load_check_range(c, doc_get(c, wn, "above"), "above", *w->above,
					-SCENARIO_MAX_VALUE, SCENARIO_MAX_VALUE);
	case 3:
		g->kind = GOAL_AT_LINE;
		if (!w->while_held) {
			load_error_node(c, wn, "a goal on a line needs 'while-held': "
					"the object another worker holds meanwhile");
			return -1;
		}
		g->py_line = (int)*w->at_line;
		if (load_check_range(c, doc_get(c, wn, "at-line"), "at-line", *w->at_line,
				     1, 100000) ||
		    (w->worker && goal_worker(c, g, s, doc_get(c, wn, "worker"), w->worker) < 0) ||
		    goal_line(c, g, s, doc_get(c, wn, "at-line"), *w->at_line) < 0)
			return -1;
		g->object = goal_object(c, s, doc_get(c, wn, "while-held"), w->while_held,
					"while-held", any_kind, "");
		if (g->object >= 0 && !kind_is(s->objects[g->object].kind, KF_LOCKLIKE)) {
			load_error_node(c, doc_get(c, wn, "while-held"), "'while-held' needs "
					"a lock or semaphore, but '%s' is %s %s",
					w->while_held, load_kind_article(s->objects[g->object].kind),
					object_kind_name(s->objects[g->object].kind));
			return -1;
		}
		return g->object < 0 ? -1 : 0;
	case 4:
		g->kind = GOAL_WAITS;
		if (w->worker && goal_worker(c, g, s, doc_get(c, wn, "worker"), w->worker) < 0)
			return -1;
		g->object = goal_object(c, s, doc_get(c, wn, "waits"), w->waits, "waits",
					any_kind, "");
		return g->object < 0 ? -1 : 0;
	case 5:
		return goal_broken(c, s, g, w, wn);
	default:
		return -1;
	}
}

static int valid_goal_id(const char *s)
{
	return *s && strspn(s, "abcdefghijklmnopqrstuvwxyz0123456789-") == strlen(s);
}

static int load_goal(struct load_ctx *c, struct scenario *s, int i,
		     const struct raw_goal *rg, yaml_node_t *gn)
{
	struct scenario_goal *g = &s->goals[i];
	char q[64];
	doc_quote(q, sizeof q, rg->id, strlen(rg->id));
	if (!valid_goal_id(rg->id)) {
		load_error_node(c, doc_get(c, gn, "id"), "a goal's 'id' must use "
				"only a-z, 0-9 and '-', not %s", q);
		return -1;
	}
	for (int k = 0; k < i; k++)
		if (strcmp(s->goals[k].id, rg->id) == 0) {
			load_error_node(c, doc_get(c, gn, "id"), "duplicate goal id "
					"%s (first at line %d)", q, s->goals[k].line);
			return -1;
		}
	snprintf(g->id, sizeof g->id, "%s", rg->id);
	load_node_pos(gn, &g->line, &g->col);
	g->text.en = load_strdup(c, rg->text.en);
	g->text.zh = load_strdup(c, rg->text.zh);
	g->group = g->number_in_group = -1;
	g->object = -1;
	if (rg->within) {
		if (load_check_range(c, doc_get(c, gn, "within"), "within", *rg->within,
				     1, SCENARIO_MAX_WITHIN))
			return -1;
		g->within = *rg->within;
	}
	return load_when(c, s, g, &rg->when, doc_get(c, gn, "when"));
}

int load_goals(struct load_ctx *c, struct scenario *s,
	       const struct raw_scenario *raw)
{
	yaml_node_t *list = doc_get(c, doc_root(c), "goals");
	for (int i = 0; i < (int)raw->goals_count; i++) {
		s->n_goals++;   /* so that scenario_free frees its texts */
		if (load_goal(c, s, i, &raw->goals[i], doc_item(c, list, (size_t)i)) < 0)
			return -1;
	}
	return c->failed ? -1 : 0;
}
