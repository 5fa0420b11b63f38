/*
 * scenario_objects.c: check and convert the 'objects' of a scenario, one
 * at a time, then a condition's lock once every object is known.
 *
 * Each kind takes its own keys (a lock has no 'initial': it starts free),
 * and some kinds require one (a semaphore's count, a barrier's parties, a
 * queue's capacity); a value-like object gets its elements here, so that
 * ops in scenario_ops.c can name them by index or key.  Every error is at
 * the token that is wrong, looked up in the libyaml tree.
 */
#include <stdio.h>
#include <string.h>

#include "i18n.h"
#include "scenario.h"
#include "scenario_priv.h"

#define MAX_SEMAPHORE   1000000L

static const struct {
	const char *key;
	unsigned bit;
} object_keys[] = {
	{ "initial", KK_INITIAL }, { "expect", KK_EXPECT },
	{ "max-holders", KK_MAX_HOLDERS }, { "lock", KK_LOCK },
	{ "capacity", KK_CAPACITY }, { "parties", KK_PARTIES },
	{ "size", KK_SIZE }, { "entries", KK_ENTRIES }, { "limit", KK_LIMIT },
};

/* Every key of the object mapping must suit its kind; the error is at the
 * first one in the file that does not. */
static int check_object_keys(struct load_ctx *c, yaml_node_t *on,
			     enum object_kind kind)
{
	const char *name = object_kind_name(kind), *key;
	yaml_node_pair_t *pair;
	yaml_node_t *k;
	char hint[160];
	size_t j, m;

	for (pair = on->data.mapping.pairs.start;
	     pair < on->data.mapping.pairs.top; pair++) {
		k = yaml_document_get_node(&c->doc, pair->key);
		key = (const char *)k->data.scalar.value;
		for (j = 0; j < sizeof object_keys / sizeof object_keys[0]; j++)
			if (strcmp(object_keys[j].key, key) == 0)
				break;
		if (j == sizeof object_keys / sizeof object_keys[0] ||
		    (kind_info(kind)->keys & object_keys[j].bit) != 0)
			continue;
		if (kind_is(kind, KF_OWNED) &&
		    object_keys[j].bit == KK_INITIAL) {
			snprintf(hint, sizeof hint, _("it starts free"));
		} else if (kind_is(kind, KF_INDEXED) &&
			   object_keys[j].bit == KK_EXPECT) {
			snprintf(hint, sizeof hint, _("give an element its "
				 "'expect' in 'entries'"));
		} else {
			snprintf(hint, sizeof hint, _("it takes name, type"));
			for (m = 0; m < sizeof object_keys / sizeof object_keys[0];
			     m++)
				if (kind_info(kind)->keys & object_keys[m].bit)
					load_append(hint, sizeof hint, ", %s",
						    object_keys[m].key);
		}
		load_error_node(c, k, "%s %s has no '%s' (%s)",
				load_kind_article(kind), name, key, hint);
		return -1;
	}
	return 0;
}

static int missing_key(struct load_ctx *c, yaml_node_t *on,
		       enum object_kind kind, const char *key, const char *why)
{
	load_error_node(c, on, "missing required key '%s' in %s %s (%s)", key,
			load_kind_article(kind), object_kind_name(kind), _(why));
	return -1;
}

/* A plain integer written as text (a semaphore's or an event's initial):
 * 0 and *v, or -1 with the error. */
static int plain_number(struct load_ctx *c, yaml_node_t *on, const char *key,
			const char *text, long *v)
{
	struct scenario_linear lin;

	if (load_expr(c, doc_get(c, on, key), key, text, 0, NULL, &lin) < 0)
		return -1;
	*v = lin.base;
	return 0;
}

/* An element's initial and expect from their texts (either may be NULL)
 * in mapping MN: integers, or expressions over workers (scenario_expr.c),
 * whose range is checked once the worker count is known. */
static int elem_numbers(struct load_ctx *c, struct scenario_elem *e,
			yaml_node_t *mn, const char *initial,
			const char *expect)
{
	yaml_node_t *n;

	if (initial != NULL) {
		n = doc_get(c, mn, "initial");
		if (load_expr(c, n, "initial", initial, LOAD_EXPR_WORKERS,
			      NULL, &e->initial_is) < 0)
			return -1;
		if (e->initial_is.per_worker == 0 &&
		    load_check_range(c, n, "initial", e->initial_is.base,
				     -SCENARIO_MAX_VALUE, SCENARIO_MAX_VALUE))
			return -1;
		load_node_pos(n, &e->initial_line, &e->initial_col);
	}
	if (expect != NULL) {
		n = doc_get(c, mn, "expect");
		if (load_expr(c, n, "expect", expect,
			      LOAD_EXPR_WORKERS | LOAD_EXPR_INITIAL,
			      &e->initial_is, &e->expect_is) < 0)
			return -1;
		if (e->expect_is.per_worker == 0 &&
		    load_check_range(c, n, "expect", e->expect_is.base,
				     -SCENARIO_MAX_VALUE, SCENARIO_MAX_VALUE))
			return -1;
		load_node_pos(n, &e->expect_line, &e->expect_col);
		e->has_expect = 1;
	}
	e->initial = e->initial_is.base;
	e->expect = e->expect_is.base;
	return 0;
}

/* A plain value: one element with an empty key. */
static int convert_value(struct load_ctx *c, struct scenario_object *o,
			 const struct raw_object *ro, yaml_node_t *on)
{
	if (elem_numbers(c, &o->elems[0], on, ro->initial, ro->expect) < 0)
		return -1;
	o->n_elems = 1;
	o->initial = o->elems[0].initial;
	o->has_expect = o->elems[0].has_expect;
	o->expect = o->elems[0].expect;
	if (ro->limit != NULL) {
		if (load_check_range(c, doc_get(c, on, "limit"), "limit", *ro->limit,
				     -SCENARIO_MAX_VALUE, SCENARIO_MAX_VALUE))
			return -1;
		o->has_limit = 1;
		o->limit = *ro->limit;
	}
	return 0;
}

/* The entries of a dict or namespace (named) or an array or list. */
static int convert_entries(struct load_ctx *c, struct scenario_object *o,
			   const struct raw_object *ro, yaml_node_t *on)
{
	const char *kind = object_kind_name(o->kind);
	int keyed = kind_is(o->kind, KF_KEYED);
	yaml_node_t *list = doc_get(c, on, "entries"), *en;
	const struct raw_entry *re;
	struct scenario_elem *e;
	char q[64];
	int j, k;

	for (j = 0; j < (int)ro->entries_count; j++) {
		re = &ro->entries[j];
		e = &o->elems[j];
		en = doc_item(c, list, (size_t)j);
		if (keyed && re->key == NULL) {
			load_error_node(c, en, "missing required key 'key' in "
					"an entry (%s %s's entries are named)",
					load_kind_article(o->kind), kind);
			return -1;
		}
		if (!keyed && re->key != NULL) {
			load_error_node(c, doc_key(c, en, "key"), "the entries "
					"of %s %s have no 'key' (they are "
					"numbered from 0; ops use 'index')",
					load_kind_article(o->kind), kind);
			return -1;
		}
		if (re->key != NULL) {
			doc_quote(q, sizeof q, re->key, strlen(re->key));
			if (!load_valid_name(re->key)) {
				load_error_node(c, doc_get(c, en, "key"),
						"entry key %s must be a letter "
						"or '_' followed by letters, "
						"digits, '_' or '-'", q);
				return -1;
			}
			for (k = 0; k < j; k++) {
				if (strcmp(o->elems[k].key, re->key) != 0)
					continue;
				load_error_node(c, doc_get(c, en, "key"),
						"duplicate entry key %s in '%s' "
						"(first at line %d)", q,
						o->name, (int)doc_item(c, list,
						(size_t)k)->start_mark.line + 1);
				return -1;
			}
			snprintf(e->key, sizeof e->key, "%s", re->key);
		}
		if (elem_numbers(c, e, en, re->initial, re->expect) < 0)
			return -1;
	}
	o->n_elems = (int)ro->entries_count;
	return 0;
}

/* array, list (size + initial, or entries); dict, namespace (entries). */
static int convert_elems(struct load_ctx *c, struct scenario_object *o,
			 const struct raw_object *ro, yaml_node_t *on)
{
	const char *kind = object_kind_name(o->kind);
	yaml_node_t *sk, *ek;
	int j;

	if (kind_is(o->kind, KF_KEYED)) {
		if (ro->entries == NULL)
			return missing_key(c, on, o->kind, "entries",
					   N_("its keys and their values"));
		return convert_entries(c, o, ro, on);
	}
	if (ro->size != NULL && ro->entries != NULL) {
		sk = doc_key(c, on, "size");
		ek = doc_key(c, on, "entries");
		load_error_node(c, sk->start_mark.index > ek->start_mark.index
				? sk : ek, "%s %s takes 'size' or 'entries', "
				"not both", load_kind_article(o->kind), kind);
		return -1;
	}
	if (ro->entries != NULL) {
		if (ro->initial != NULL) {
			load_error_node(c, doc_key(c, on, "initial"), "with "
					"'entries', each entry has its own "
					"'initial'");
			return -1;
		}
		return convert_entries(c, o, ro, on);
	}
	if (ro->size == NULL) {
		load_error_node(c, on, "%s %s needs 'size' (every element "
				"starts at 'initial', default 0) or 'entries'",
				load_kind_article(o->kind), kind);
		return -1;
	}
	if (load_check_range(c, doc_get(c, on, "size"), "size", *ro->size, 1,
			     SCENARIO_MAX_ELEMS))
		return -1;
	o->n_elems = (int)*ro->size;
	for (j = 0; j < o->n_elems; j++)
		if (elem_numbers(c, &o->elems[j], on, ro->initial, NULL) < 0)
			return -1;
	return 0;
}

/* A bounded count that this kind requires (semaphore initial, barrier
 * parties, queue capacity): the value, or -1 with the error. */
static long required_count(struct load_ctx *c, yaml_node_t *on,
			   enum object_kind kind, const long *v,
			   const char *key, const char *why, long lo, long hi)
{
	if (v == NULL)
		return missing_key(c, on, kind, key, why);
	if (load_check_range(c, doc_get(c, on, key), key, *v, lo, hi))
		return -1;
	return *v;
}

/* The keys that give the kind its shape (kinds.c says which it takes):
 * a count, a flag, a lock, parties, a capacity, or elements. */
static int convert_kind_keys(struct load_ctx *c, struct scenario_object *o,
			     const struct raw_object *ro, yaml_node_t *on)
{
	const struct kind_info *ki = kind_info(o->kind);
	long v;

	if (kind_is(o->kind, KF_LOCKLIKE) && !(ki->keys & KK_INITIAL))
		o->initial = KIND_LOCK_COUNT;   /* a Lock is a semaphore of max 1 */
	if (ki->keys & KK_ENTRIES)
		return convert_elems(c, o, ro, on);
	if (kind_is(o->kind, KF_VALUELIKE))
		return convert_value(c, o, ro, on);
	if (kind_is(o->kind, KF_COUNTING) && (ki->keys & KK_INITIAL)) {
		if (ro->initial != NULL &&
		    plain_number(c, on, "initial", ro->initial, &v) < 0)
			return -1;
		v = required_count(c, on, o->kind, ro->initial ? &v : NULL,
				   "initial", N_("its count"), 0, MAX_SEMAPHORE);
		if (v < 0)
			return -1;
		o->initial = v;
	} else if ((ki->keys & KK_INITIAL) && ro->initial != NULL) {
		/* an event's flag */
		if (plain_number(c, on, "initial", ro->initial, &v) < 0 ||
		    load_check_range(c, doc_get(c, on, "initial"),
				     "initial", v, 0, 1))
			return -1;
		o->initial = v;
	}
	/* A condition's lock is resolved once every object is known
	 * (load_condition_lock). */
	if ((ki->keys & KK_LOCK) && ro->lock == NULL)
		return missing_key(c, on, o->kind, "lock", N_("the name "
				   "of a lock or an rlock it goes with"));
	if (ki->keys & KK_PARTIES) {
		v = required_count(c, on, o->kind, ro->parties, "parties",
				   N_("how many workers meet"), 1,
				   SCENARIO_MAX_WORKERS);
		if (v < 0)
			return -1;
		o->capacity = (int)v;
	}
	if (ki->keys & KK_CAPACITY) {
		v = required_count(c, on, o->kind, ro->capacity, "capacity",
				   N_("how many items it holds"), 1,
				   SCENARIO_MAX_CAPACITY);
		if (v < 0)
			return -1;
		o->capacity = (int)v;
	}
	return 0;
}

int load_object(struct load_ctx *c, struct scenario *s, int i,
		const struct raw_object *ro, yaml_node_t *on)
{
	struct scenario_object *o = &s->objects[i];
	char q[64];
	int j;

	doc_quote(q, sizeof q, ro->name, strlen(ro->name));
	if (!load_valid_name(ro->name)) {
		load_error_node(c, doc_get(c, on, "name"), "object name %s must "
				"be a letter or '_' followed by letters, digits, "
				"'_' or '-'", q);
		return -1;
	}
	for (j = 0; j < i; j++) {
		if (strcmp(s->objects[j].name, ro->name) == 0) {
			load_error_node(c, doc_get(c, on, "name"), "duplicate "
					"object name %s (first defined at line "
					"%d)", q, s->objects[j].line);
			return -1;
		}
	}
	snprintf(o->name, sizeof o->name, "%s", ro->name);
	o->kind = ro->type;
	o->lock = -1;
	load_node_pos(on, &o->line, &o->col);
	if (check_object_keys(c, on, ro->type) < 0)
		return -1;

	if (convert_kind_keys(c, o, ro, on) < 0)
		return -1;
	if (ro->max_holders != NULL) {
		if (load_check_range(c, doc_get(c, on, "max-holders"),
				     "max-holders", *ro->max_holders, 1,
				     SCENARIO_MAX_WORKERS))
			return -1;
		s->expect_max_holders[i] = *ro->max_holders;
	}
	return 0;
}

/* A condition's lock, by name, among all objects (any order). */
int load_condition_lock(struct load_ctx *c, struct scenario *s, int i,
			const struct raw_object *ro, yaml_node_t *on)
{
	struct scenario_object *o = &s->objects[i];
	yaml_node_t *n = doc_get(c, on, "lock");
	char q[64], list[SCENARIO_MAX_OBJECTS * 34];
	int j = scenario_find_object(s, ro->lock);

	doc_quote(q, sizeof q, ro->lock, strlen(ro->lock));
	if (j < 0) {
		load_objects_text(list, sizeof list, s);
		load_error_node(c, n, "'lock' names no object %s (objects: %s)",
				q, list);
		return -1;
	}
	if (!kind_is(s->objects[j].kind, KF_COND_LOCK)) {
		load_error_node(c, n, "a condition's 'lock' must be a lock or "
				"an rlock, but %s is %s %s", q,
				load_kind_article(s->objects[j].kind),
				object_kind_name(s->objects[j].kind));
		return -1;
	}
	o->lock = j;
	return 0;
}
