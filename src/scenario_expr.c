/*
 * scenario_expr.c: the numbers of a value that follow the worker count.
 *
 * A value's `initial` and `expect` (and an element's) may be a plain
 * integer, as in every version 1 file, or a tiny expression over the
 * worker count: `workers`, `initial - workers`, `2 * workers + 1`.  That is
 * what lets `--workers=1000 counter-locked` start at 1000 and expect 0
 * instead of expecting the file's 0 from a count that started at 100.
 *
 * Grammar (spaces anywhere between tokens):
 *     expr   := ['+' | '-'] term (('+' | '-') term)*
 *     term   := factor ('*' factor)*
 *     factor := INTEGER | 'workers' | 'initial'
 * `workers` is the number of workers over all groups; `initial` (in an
 * `expect` only) is the element's own start.  Every expression is linear
 * in the worker count (`workers * workers` is refused), so it is kept as
 * base + per_worker * workers and evaluated again when --workers changes
 * it.  Integers follow the format's rules (no leading zero, |n| <= 10^9).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "i18n.h"
#include "scenario.h"
#include "scenario_priv.h"

struct expr_parser {
	const char *p;
	unsigned allow;              /* LOAD_EXPR_WORKERS, LOAD_EXPR_INITIAL */
	struct scenario_linear initial;
	int bad;                     /* 1: malformed, 2: too big, 3: not linear */
};

static void expr_skip(struct expr_parser *e)
{
	while (*e->p == ' ' || *e->p == '\t')
		e->p++;
}

static int expr_word(struct expr_parser *e, const char *w)
{
	size_t n = strlen(w);
	char next;

	if (strncmp(e->p, w, n) != 0)
		return 0;
	next = e->p[n];
	if ((next >= 'a' && next <= 'z') || (next >= '0' && next <= '9') ||
	    next == '_' || next == '-')
		return 0;
	e->p += n;
	return 1;
}

static int expr_fits(struct expr_parser *e, struct scenario_linear v)
{
	if (v.base < -SCENARIO_MAX_VALUE * SCENARIO_MAX_WORKERS ||
	    v.base > SCENARIO_MAX_VALUE * SCENARIO_MAX_WORKERS ||
	    v.per_worker < -SCENARIO_MAX_VALUE ||
	    v.per_worker > SCENARIO_MAX_VALUE) {
		e->bad = 2;
		return 0;
	}
	return 1;
}

static struct scenario_linear expr_factor(struct expr_parser *e)
{
	struct scenario_linear v = { 0, 0 };
	long n = 0;

	expr_skip(e);
	if ((e->allow & LOAD_EXPR_WORKERS) && expr_word(e, "workers")) {
		v.per_worker = 1;
		return v;
	}
	if ((e->allow & LOAD_EXPR_INITIAL) && expr_word(e, "initial"))
		return e->initial;
	if (*e->p < '0' || *e->p > '9' || (e->p[0] == '0' &&
	    e->p[1] >= '0' && e->p[1] <= '9')) {
		e->bad = 1;
		return v;
	}
	for (; *e->p >= '0' && *e->p <= '9'; e->p++) {
		n = n * 10 + (*e->p - '0');
		if (n > SCENARIO_MAX_VALUE) {
			e->bad = 2;
			return v;
		}
	}
	v.base = n;
	return v;
}

static struct scenario_linear expr_term(struct expr_parser *e)
{
	struct scenario_linear v = expr_factor(e), f;

	for (expr_skip(e); !e->bad && *e->p == '*'; expr_skip(e)) {
		e->p++;
		f = expr_factor(e);
		if (v.per_worker != 0 && f.per_worker != 0) {
			e->bad = 3;
			break;
		}
		v = (struct scenario_linear){ v.base * f.base,
			v.base * f.per_worker + v.per_worker * f.base };
		if (!expr_fits(e, v))
			break;
	}
	return v;
}

static struct scenario_linear expr_sum(struct expr_parser *e)
{
	struct scenario_linear v = { 0, 0 }, t;
	int sign = 1;

	expr_skip(e);
	if (*e->p == '+' || *e->p == '-')
		sign = *e->p++ == '-' ? -1 : 1;
	for (;;) {
		t = expr_term(e);
		if (e->bad)
			break;
		v.base += sign * t.base;
		v.per_worker += sign * t.per_worker;
		if (!expr_fits(e, v))
			break;
		expr_skip(e);
		if (*e->p != '+' && *e->p != '-')
			break;
		sign = *e->p++ == '-' ? -1 : 1;
	}
	return v;
}

/* A version 1 integer: sign, digits, no leading zero.  1 when TEXT is
 * one (its value in *v; *v = 0 and 2 when it does not fit in a long). */
static int expr_plain(const char *text, long *v)
{
	const char *p = text + (*text == '+' || *text == '-');
	long long n;
	char *end;

	if (*p < '0' || *p > '9' || (p[0] == '0' && p[1] != '\0'))
		return 0;
	errno = 0;
	n = strtoll(text, &end, 10);
	if (*end != '\0')
		return 0;
	*v = (long)n;
	return errno == ERANGE ? 2 : 1;
}

int load_expr(struct load_ctx *c, yaml_node_t *n, const char *key,
	      const char *text, unsigned allow,
	      const struct scenario_linear *initial, struct scenario_linear *out)
{
	struct expr_parser e = { .p = text, .allow = allow };
	char q[64];
	int plain;

	doc_quote(q, sizeof q, text, strlen(text));
	*out = (struct scenario_linear){ 0, 0 };
	plain = expr_plain(text, &out->base);
	if (plain == 2) {
		load_error_node(c, n, "'%s' is out of range: %s", key, q);
		return -1;
	}
	if (plain == 1)
		return 0;   /* the caller checks its range, as before */
	if (initial != NULL)
		e.initial = *initial;
	if (allow != 0) {
		*out = expr_sum(&e);
		if (!e.bad && *e.p != '\0')
			e.bad = 1;
		if (!e.bad)
			return 0;
	}
	if (allow == 0 || (strstr(text, "workers") == NULL &&
	    strstr(text, "initial") == NULL)) {
		load_error_node(c, n, "'%s' must be a plain decimal integer, "
				"not %s", key, q);
	} else if (e.bad == 1) {
		load_error_node(c, n, "'%s' must be an integer, or integers "
				"and %s joined by +, - and * (such as %s), "
				"not %s", key, (allow & LOAD_EXPR_INITIAL) ?
				_("workers and initial") : "workers",
				(allow & LOAD_EXPR_INITIAL) ?
				"initial - workers" : "2 * workers", q);
	} else if (e.bad == 3) {
		load_error_node(c, n, "'%s' must be an integer plus workers "
				"times an integer (workers times workers is "
				"not), not %s", key, q);
	} else {
		load_error_node(c, n, "'%s' has a number out of range (each "
				"at most %ld in size): %s", key,
				SCENARIO_MAX_VALUE, q);
	}
	return -1;
}


static int eval_one(const struct scenario_object *o, int k, const char *key,
		    struct scenario_linear v, int workers, long *out,
		    char *why, size_t whylen)
{
	long x = v.base + v.per_worker * workers;
	char name[2 * SCENARIO_MAX_NAME + 8];

	if (o->kind == OBJ_VALUE)
		snprintf(name, sizeof name, "%s", o->name);
	else if (o->kind == OBJ_DICT)
		snprintf(name, sizeof name, "%s['%s']", o->name, o->elems[k].key);
	else if (o->kind == OBJ_NAMESPACE)
		snprintf(name, sizeof name, "%s.%s", o->name, o->elems[k].key);
	else
		snprintf(name, sizeof name, "%s[%d]", o->name, k);
	if (x >= -SCENARIO_MAX_VALUE && x <= SCENARIO_MAX_VALUE) {
		*out = x;
		return 0;
	}
	snprintf(why, whylen, _("with %d workers, the '%s' of %s is %ld, "
		 "outside -%ld..%ld"), workers, key, name, x,
		 SCENARIO_MAX_VALUE, SCENARIO_MAX_VALUE);
	return -1;
}

int scenario_eval_workers(struct scenario *s, int workers, char *why,
			  size_t whylen, int *line, int *col)
{
	for (int i = 0; i < s->n_objects; i++) {
		struct scenario_object *o = &s->objects[i];
		if (!kind_is(o->kind, KF_VALUELIKE))
			continue;
		for (int k = 0; k < o->n_elems; k++) {
			struct scenario_elem *e = &o->elems[k];
			if (eval_one(o, k, "initial", e->initial_is, workers,
				     &e->initial, why, whylen) < 0) {
				*line = e->initial_line;
				*col = e->initial_col;
				return -1;
			}
			if (e->has_expect &&
			    eval_one(o, k, "expect", e->expect_is, workers,
				     &e->expect, why, whylen) < 0) {
				*line = e->expect_line;
				*col = e->expect_col;
				return -1;
			}
		}
		if (o->kind == OBJ_VALUE) {
			o->initial = o->elems[0].initial;
			o->expect = o->elems[0].expect;
		}
	}
	return 0;
}
