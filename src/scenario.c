/*
 * scenario.c: load a scenario file into struct scenario, and the small
 * helpers the engine and the UI use on it.
 *
 * Loading is three passes, so that every message points at the exact
 * token (see scenario_doc.h for why libcyaml alone cannot):
 *   1. scenario_doc.c: libyaml tree, syntax, and a check of the tree
 *      against the cyaml schema (keys, types, integer syntax, limits);
 *   2. scenario_schema.c: libcyaml loads the typed raw structs;
 *   3. here: meaning (names, kinds of objects per op, ranges, totals),
 *      with positions looked up in the libyaml tree, then conversion.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "scenario.h"
#include "scenario_doc.h"
#include "scenario_schema.h"

#define MAX_SEMAPHORE   1000000L
#define MAX_FIRST       1000000L
#define MAX_ORDER       9999L
#define DEFAULT_ORDER   9999
#define MAX_SLEEP_S     (SCENARIO_MAX_SLEEP_MS / 1000)

static const char *const sections[] = {
	"data-sharing", "semaphore", "event", "pool", "deadlock", "messages",
	"more", NULL
};

/* ---- small helpers ------------------------------------------------------ */

static char *dup_str(struct load_ctx *c, const char *s)
{
	char *d;

	if (s == NULL)
		return NULL;
	d = strdup(s);
	if (d == NULL)
		load_error_at(c, 1, 1, "out of memory");
	return d;
}

static void dup_text(struct load_ctx *c, struct scenario_text *t,
		     const struct raw_text *raw)
{
	if (raw == NULL)
		return;
	t->en = dup_str(c, raw->en);
	t->zh = dup_str(c, raw->zh);
}

/* Object and group names: [A-Za-z_][A-Za-z0-9_-]* (length is the schema's). */
static int valid_name(const char *s)
{
	if (!((*s >= 'A' && *s <= 'Z') || (*s >= 'a' && *s <= 'z') || *s == '_'))
		return 0;
	for (s++; *s; s++)
		if (!((*s >= 'A' && *s <= 'Z') || (*s >= 'a' && *s <= 'z') ||
		      (*s >= '0' && *s <= '9') || *s == '_' || *s == '-'))
			return 0;
	return 1;
}

static int valid_id(const char *s)
{
	for (; *s; s++)
		if (!((*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9') ||
		      *s == '-'))
			return 0;
	return 1;
}

static void set_pos(const yaml_node_t *n, int *line, int *col)
{
	*line = n ? (int)n->start_mark.line + 1 : 1;
	*col = n ? (int)n->start_mark.column + 1 : 1;
}

/* A bounded integer; the message names the key and the range. */
static int check_range(struct load_ctx *c, yaml_node_t *n, const char *key,
		       long v, long lo, long hi)
{
	if (v >= lo && v <= hi)
		return 0;
	load_error_node(c, n, "'%s' must be from %ld to %ld, not %ld", key,
			lo, hi, v);
	return -1;
}

/* Lines of the python text, as an editor numbers them. */
static int count_lines(const char *s)
{
	int n = 0;

	for (; *s; s++)
		if (*s == '\n' || s[1] == '\0')
			n++;
	return n;
}

/* ---- object kinds ------------------------------------------------------- */

#define KIND(k) (1u << (k))
#define KINDS_LOCKLIKE (KIND(OBJ_LOCK) | KIND(OBJ_SEMAPHORE) | \
			KIND(OBJ_RLOCK) | KIND(OBJ_BOUNDED_SEMAPHORE))
#define KINDS_VALUELIKE (KIND(OBJ_VALUE) | KIND(OBJ_ARRAY) | KIND(OBJ_DICT) | \
			 KIND(OBJ_LIST) | KIND(OBJ_NAMESPACE))

/* "a" or "an", for "'x' is an rlock". */
static const char *article(enum object_kind k)
{
	return k == OBJ_RLOCK || k == OBJ_EVENT || k == OBJ_ARRAY ? "an" : "a";
}

/* Append to a NUL-terminated buffer, truncating quietly. */
static void append(char *out, size_t outlen, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void append(char *out, size_t outlen, const char *fmt, ...)
{
	size_t n = strlen(out);
	va_list ap;

	if (n + 1 >= outlen)
		return;
	va_start(ap, fmt);
	vsnprintf(out + n, outlen - n, fmt, ap);
	va_end(ap);
}

/* "an event, a condition or a barrier": the kinds in MASK. */
static void kinds_text(char *out, size_t outlen, unsigned mask)
{
	int k, n = 0, total = 0;

	out[0] = '\0';
	for (k = 0; k < OBJ_KIND_COUNT; k++)
		total += (mask & KIND(k)) != 0;
	for (k = 0; k < OBJ_KIND_COUNT; k++) {
		if ((mask & KIND(k)) == 0)
			continue;
		n++;
		append(out, outlen, "%s%s %s",
		       n == 1 ? "" : n == total ? " or " : ", ",
		       article((enum object_kind)k),
		       object_kind_name((enum object_kind)k));
	}
}

/* "count, lock, rooms" or "none": for "names no object" messages. */
static void objects_text(char *out, size_t outlen, const struct scenario *s)
{
	int j;

	snprintf(out, outlen, "%s", s->n_objects ? "" : "none");
	for (j = 0; j < s->n_objects; j++)
		append(out, outlen, "%s%s", j ? ", " : "", s->objects[j].name);
}

/* The keys an object may have besides name and type, per kind. */
enum {
	K_INITIAL = 1 << 0, K_EXPECT = 1 << 1, K_MAX_HOLDERS = 1 << 2,
	K_LOCK = 1 << 3, K_CAPACITY = 1 << 4, K_PARTIES = 1 << 5,
	K_SIZE = 1 << 6, K_ENTRIES = 1 << 7
};

static const struct {
	const char *key;
	unsigned bit;
} object_keys[] = {
	{ "initial", K_INITIAL }, { "expect", K_EXPECT },
	{ "max-holders", K_MAX_HOLDERS }, { "lock", K_LOCK },
	{ "capacity", K_CAPACITY }, { "parties", K_PARTIES },
	{ "size", K_SIZE }, { "entries", K_ENTRIES },
};

static const unsigned kind_keys[OBJ_KIND_COUNT] = {
	[OBJ_VALUE] = K_INITIAL | K_EXPECT,
	[OBJ_LOCK] = K_MAX_HOLDERS,
	[OBJ_SEMAPHORE] = K_INITIAL | K_MAX_HOLDERS,
	[OBJ_RLOCK] = K_MAX_HOLDERS,
	[OBJ_BOUNDED_SEMAPHORE] = K_INITIAL | K_MAX_HOLDERS,
	[OBJ_EVENT] = K_INITIAL,
	[OBJ_CONDITION] = K_LOCK,
	[OBJ_BARRIER] = K_PARTIES,
	[OBJ_QUEUE] = K_CAPACITY,
	[OBJ_PIPE] = 0,
	[OBJ_ARRAY] = K_SIZE | K_INITIAL | K_ENTRIES,
	[OBJ_DICT] = K_ENTRIES,
	[OBJ_LIST] = K_SIZE | K_INITIAL | K_ENTRIES,
	[OBJ_NAMESPACE] = K_ENTRIES,
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
		    (kind_keys[kind] & object_keys[j].bit) != 0)
			continue;
		if ((kind == OBJ_LOCK || kind == OBJ_RLOCK) &&
		    object_keys[j].bit == K_INITIAL) {
			snprintf(hint, sizeof hint, "it starts free");
		} else if ((kind == OBJ_ARRAY || kind == OBJ_LIST) &&
			   object_keys[j].bit == K_EXPECT) {
			snprintf(hint, sizeof hint, "give an element its "
				 "'expect' in 'entries'");
		} else {
			snprintf(hint, sizeof hint, "it takes name, type");
			for (m = 0; m < sizeof object_keys / sizeof object_keys[0];
			     m++)
				if (kind_keys[kind] & object_keys[m].bit)
					append(hint, sizeof hint, ", %s",
					       object_keys[m].key);
		}
		load_error_node(c, k, "%s %s has no '%s' (%s)", article(kind),
				name, key, hint);
		return -1;
	}
	return 0;
}

static int missing_key(struct load_ctx *c, yaml_node_t *on,
		       enum object_kind kind, const char *key, const char *why)
{
	load_error_node(c, on, "missing required key '%s' in %s %s (%s)", key,
			article(kind), object_kind_name(kind), why);
	return -1;
}

/* A plain value: one element with an empty key. */
static int convert_value(struct load_ctx *c, struct scenario_object *o,
			 const struct raw_object *ro, yaml_node_t *on)
{
	if (ro->initial != NULL) {
		if (check_range(c, doc_get(c, on, "initial"), "initial",
				*ro->initial, -SCENARIO_MAX_VALUE,
				SCENARIO_MAX_VALUE))
			return -1;
		o->initial = *ro->initial;
	}
	if (ro->expect != NULL) {
		if (check_range(c, doc_get(c, on, "expect"), "expect",
				*ro->expect, -SCENARIO_MAX_VALUE,
				SCENARIO_MAX_VALUE))
			return -1;
		o->has_expect = 1;
		o->expect = *ro->expect;
	}
	o->n_elems = 1;
	o->elems[0].initial = o->initial;
	o->elems[0].has_expect = o->has_expect;
	o->elems[0].expect = o->expect;
	return 0;
}

/* The entries of a dict or namespace (named) or an array or list. */
static int convert_entries(struct load_ctx *c, struct scenario_object *o,
			   const struct raw_object *ro, yaml_node_t *on)
{
	const char *kind = object_kind_name(o->kind);
	int keyed = o->kind == OBJ_DICT || o->kind == OBJ_NAMESPACE;
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
					article(o->kind), kind);
			return -1;
		}
		if (!keyed && re->key != NULL) {
			load_error_node(c, doc_key(c, en, "key"), "the entries "
					"of %s %s have no 'key' (they are "
					"numbered from 0; ops use 'index')",
					article(o->kind), kind);
			return -1;
		}
		if (re->key != NULL) {
			doc_quote(q, sizeof q, re->key, strlen(re->key));
			if (!valid_name(re->key)) {
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
		if (re->initial != NULL) {
			if (check_range(c, doc_get(c, en, "initial"),
					"initial", *re->initial,
					-SCENARIO_MAX_VALUE,
					SCENARIO_MAX_VALUE))
				return -1;
			e->initial = *re->initial;
		}
		if (re->expect != NULL) {
			if (check_range(c, doc_get(c, en, "expect"), "expect",
					*re->expect, -SCENARIO_MAX_VALUE,
					SCENARIO_MAX_VALUE))
				return -1;
			e->has_expect = 1;
			e->expect = *re->expect;
		}
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
	long v = 0;
	int j;

	if (o->kind == OBJ_DICT || o->kind == OBJ_NAMESPACE) {
		if (ro->entries == NULL)
			return missing_key(c, on, o->kind, "entries",
					   "its keys and their values");
		return convert_entries(c, o, ro, on);
	}
	if (ro->size != NULL && ro->entries != NULL) {
		sk = doc_key(c, on, "size");
		ek = doc_key(c, on, "entries");
		load_error_node(c, sk->start_mark.index > ek->start_mark.index
				? sk : ek, "%s %s takes 'size' or 'entries', "
				"not both", article(o->kind), kind);
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
				article(o->kind), kind);
		return -1;
	}
	if (check_range(c, doc_get(c, on, "size"), "size", *ro->size, 1,
			SCENARIO_MAX_ELEMS))
		return -1;
	if (ro->initial != NULL) {
		if (check_range(c, doc_get(c, on, "initial"), "initial",
				*ro->initial, -SCENARIO_MAX_VALUE,
				SCENARIO_MAX_VALUE))
			return -1;
		v = *ro->initial;
	}
	o->n_elems = (int)*ro->size;
	for (j = 0; j < o->n_elems; j++)
		o->elems[j].initial = v;
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
	if (check_range(c, doc_get(c, on, key), key, *v, lo, hi))
		return -1;
	return *v;
}

static int convert_object(struct load_ctx *c, struct scenario *s, int i,
			  const struct raw_object *ro, yaml_node_t *on)
{
	struct scenario_object *o = &s->objects[i];
	char q[64];
	long v;
	int j;

	doc_quote(q, sizeof q, ro->name, strlen(ro->name));
	if (!valid_name(ro->name)) {
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
	set_pos(on, &o->line, &o->col);
	if (check_object_keys(c, on, ro->type) < 0)
		return -1;

	switch (ro->type) {
	case OBJ_VALUE:
		if (convert_value(c, o, ro, on) < 0)
			return -1;
		break;
	case OBJ_SEMAPHORE:
	case OBJ_BOUNDED_SEMAPHORE:
		v = required_count(c, on, ro->type, ro->initial, "initial",
				   "its count", 0, MAX_SEMAPHORE);
		if (v < 0)
			return -1;
		o->initial = v;
		break;
	case OBJ_EVENT:
		if (ro->initial != NULL) {
			if (check_range(c, doc_get(c, on, "initial"),
					"initial", *ro->initial, 0, 1))
				return -1;
			o->initial = *ro->initial;
		}
		break;
	case OBJ_CONDITION:
		/* Resolved once every object is known (resolve_lock). */
		if (ro->lock == NULL)
			return missing_key(c, on, ro->type, "lock", "the name "
					   "of a lock or an rlock it goes with");
		break;
	case OBJ_BARRIER:
		v = required_count(c, on, ro->type, ro->parties, "parties",
				   "how many workers meet", 1,
				   SCENARIO_MAX_WORKERS);
		if (v < 0)
			return -1;
		o->capacity = (int)v;
		break;
	case OBJ_QUEUE:
		v = required_count(c, on, ro->type, ro->capacity, "capacity",
				   "how many items it holds", 1,
				   SCENARIO_MAX_CAPACITY);
		if (v < 0)
			return -1;
		o->capacity = (int)v;
		break;
	case OBJ_ARRAY:
	case OBJ_DICT:
	case OBJ_LIST:
	case OBJ_NAMESPACE:
		if (convert_elems(c, o, ro, on) < 0)
			return -1;
		break;
	default:
		break;
	}
	if (ro->max_holders != NULL) {
		if (check_range(c, doc_get(c, on, "max-holders"),
				"max-holders", *ro->max_holders, 1,
				SCENARIO_MAX_WORKERS))
			return -1;
		s->expect_max_holders[i] = *ro->max_holders;
	}
	return 0;
}

/* A condition's lock, by name, among all objects (any order). */
static int resolve_lock(struct load_ctx *c, struct scenario *s, int i,
			const struct raw_object *ro, yaml_node_t *on)
{
	struct scenario_object *o = &s->objects[i];
	yaml_node_t *n = doc_get(c, on, "lock");
	char q[64], list[SCENARIO_MAX_OBJECTS * 34];
	int j = scenario_find_object(s, ro->lock);

	doc_quote(q, sizeof q, ro->lock, strlen(ro->lock));
	if (j < 0) {
		objects_text(list, sizeof list, s);
		load_error_node(c, n, "'lock' names no object %s (objects: %s)",
				q, list);
		return -1;
	}
	if (s->objects[j].kind != OBJ_LOCK && s->objects[j].kind != OBJ_RLOCK) {
		load_error_node(c, n, "a condition's 'lock' must be a lock or "
				"an rlock, but %s is %s %s", q,
				article(s->objects[j].kind),
				object_kind_name(s->objects[j].kind));
		return -1;
	}
	o->lock = j;
	return 0;
}

/* ---- ops ---------------------------------------------------------------- */

/* A jump in a program to a label, resolved once the program is read. */
struct label_ref {
	int op;                 /* the op that jumps */
	const char *name;       /* the label it names (raw, until raw_free) */
	yaml_node_t *node;      /* where it names it */
};

struct program_build {
	struct label_ref refs[SCENARIO_MAX_OPS];
	int n_refs;
};

/* The object an op names, of a kind in MASK; -1 with the error at the name. */
static int op_object(struct load_ctx *c, const struct scenario *s,
		     yaml_node_t *name_node, const char *name, const char *op,
		     unsigned mask)
{
	char q[64], list[SCENARIO_MAX_OBJECTS * 34], want[256];
	int i = scenario_find_object(s, name);

	doc_quote(q, sizeof q, name, strlen(name));
	if (i < 0) {
		objects_text(list, sizeof list, s);
		load_error_node(c, name_node, "%s names no object %s "
				"(objects: %s)", op, q, list);
		return -1;
	}
	if ((mask & KIND(s->objects[i].kind)) == 0) {
		kinds_text(want, sizeof want, mask);
		load_error_node(c, name_node, "%s needs %s, but %s is %s %s", op,
				want, q, article(s->objects[i].kind),
				object_kind_name(s->objects[i].kind));
		return -1;
	}
	return i;
}

/* Which element of a value-like object an update/atomic-add means:
 * 'index' for an array or list, 'key' for a dict or namespace, neither
 * for a plain value.  AN is the op's argument mapping. */
static int op_elem(struct load_ctx *c, const struct scenario *s,
		   struct scenario_op *op, const struct raw_amount *ra,
		   yaml_node_t *an)
{
	const struct scenario_object *o = &s->objects[op->object];
	const char *kind = object_kind_name(o->kind), *art = article(o->kind);
	char q[64], keys[SCENARIO_MAX_ELEMS * 34];
	yaml_node_t *kk = doc_key(c, an, "key"), *ik = doc_key(c, an, "index");
	int j;

	keys[0] = '\0';
	for (j = 0; j < o->n_elems; j++)
		append(keys, sizeof keys, "%s%s", j ? ", " : "",
		       o->elems[j].key);
	switch (o->kind) {
	case OBJ_VALUE:
		if (kk != NULL || ik != NULL) {
			if (kk == NULL || (ik != NULL && ik->start_mark.index <
					   kk->start_mark.index))
				kk = ik;
			load_error_node(c, kk, "'%s' is a value: it has no "
					"elements, so no '%s'", o->name,
					(const char *)kk->data.scalar.value);
			return -1;
		}
		return 0;
	case OBJ_ARRAY:
	case OBJ_LIST:
		if (kk != NULL) {
			load_error_node(c, kk, "'%s' is %s %s: say which element "
					"with 'index', not 'key'", o->name,
					art, kind);
			return -1;
		}
		if (ra->index == NULL) {
			load_error_node(c, an, "'%s' is %s %s: say which element "
					"with 'index' (0 to %d)", o->name, art,
					kind, o->n_elems - 1);
			return -1;
		}
		if (check_range(c, doc_get(c, an, "index"), "index", *ra->index,
				0, o->n_elems - 1))
			return -1;
		op->elem = (int)*ra->index;
		return 0;
	default: /* dict, namespace */
		if (ik != NULL) {
			load_error_node(c, ik, "'%s' is %s %s: say which entry "
					"with 'key', not 'index'", o->name, art,
					kind);
			return -1;
		}
		if (ra->key == NULL) {
			load_error_node(c, an, "'%s' is %s %s: say which entry "
					"with 'key' (keys: %s)", o->name, art,
					kind, keys);
			return -1;
		}
		for (j = 0; j < o->n_elems; j++)
			if (strcmp(o->elems[j].key, ra->key) == 0)
				break;
		if (j == o->n_elems) {
			doc_quote(q, sizeof q, ra->key, strlen(ra->key));
			load_error_node(c, doc_get(c, an, "key"), "'%s' has no "
					"key %s (keys: %s)", o->name, q, keys);
			return -1;
		}
		op->elem = j;
		return 0;
	}
}

/* Exactly one op key per op; the error is at the second one. */
static int check_op_keys(struct load_ctx *c, yaml_node_t *on)
{
	yaml_node_pair_t *pair;
	yaml_node_t *k, *first = NULL;
	char keys[512] = "";
	int i;

	for (pair = on->data.mapping.pairs.start;
	     pair < on->data.mapping.pairs.top; pair++) {
		k = yaml_document_get_node(&c->doc, pair->key);
		for (i = 0; raw_op_keys[i] != NULL; i++)
			if (strcmp(raw_op_keys[i],
				   (const char *)k->data.scalar.value) == 0)
				break;
		if (raw_op_keys[i] == NULL)
			continue;
		if (first != NULL) {
			load_error_node(c, k, "an op does one thing, but '%s' "
					"and '%s' are both here (write them as "
					"two list entries)",
					(const char *)first->data.scalar.value,
					raw_op_keys[i]);
			return -1;
		}
		first = k;
	}
	if (first == NULL) {
		for (i = 0; raw_op_keys[i] != NULL; i++)
			append(keys, sizeof keys, "%s%s", i ? ", " : "",
			       raw_op_keys[i]);
		load_error_node(c, on, "an op needs one of %s", keys);
		return -1;
	}
	return 0;
}

/* A number of seconds N (text already checked as a decimal number) as
 * milliseconds: at most 3 decimals, at most 600 s, and above 0 unless
 * ZERO_OK.  0, or -1 with the error at N. */
static int seconds_ms(struct load_ctx *c, yaml_node_t *n, const char *key,
		      double v, int zero_ok, long *ms)
{
	const char *dot = strchr((const char *)n->data.scalar.value, '.');
	char q[64];

	doc_quote(q, sizeof q, (const char *)n->data.scalar.value,
		  n->data.scalar.length);
	if (dot != NULL && strlen(dot + 1) > 3) {
		load_error_node(c, n, "'%s' counts milliseconds at most (3 "
				"decimals), not %s", key, q);
		return -1;
	}
	if (v < 0 || v > MAX_SLEEP_S || (!zero_ok && v == 0)) {
		if (zero_ok)
			load_error_node(c, n, "'%s' must be from 0 to %d "
					"seconds, not %s", key, MAX_SLEEP_S, q);
		else
			load_error_node(c, n, "'%s' must be more than 0 and at "
					"most %d seconds, not %s", key,
					MAX_SLEEP_S, q);
		return -1;
	}
	/* Exact: the text has at most 3 decimals. */
	*ms = (long)(v * 1000.0 + 0.5);
	return 0;
}

static int convert_sleep(struct load_ctx *c, struct scenario_op *op,
			 const struct raw_op *ro, yaml_node_t *on)
{
	yaml_node_t *n;

	if (ro->sleep != NULL) {
		if (seconds_ms(c, doc_get(c, on, "sleep"), "sleep", *ro->sleep,
			       1, &op->sleep_min_ms) < 0)
			return -1;
		op->sleep_max_ms = op->sleep_min_ms;
		op->sleep_step_ms = 1;
		return 0;
	}
	n = doc_get(c, on, "sleep-random");
	if (check_range(c, doc_get(c, n, "min"), "min", ro->sleep_random->min,
			0, MAX_SLEEP_S) ||
	    check_range(c, doc_get(c, n, "max"), "max", ro->sleep_random->max,
			0, MAX_SLEEP_S))
		return -1;
	if (ro->sleep_random->min > ro->sleep_random->max) {
		load_error_node(c, doc_get(c, n, "min"), "sleep-random min %ld "
				"is greater than max %ld",
				ro->sleep_random->min, ro->sleep_random->max);
		return -1;
	}
	op->sleep_min_ms = ro->sleep_random->min * 1000;
	op->sleep_max_ms = ro->sleep_random->max * 1000;
	op->sleep_step_ms = 1000;
	return 0;
}

/* update / atomic-add on an element of a value-like object. */
static int convert_amount(struct load_ctx *c, struct scenario *s,
			  struct scenario_op *op, const struct raw_op *ro,
			  yaml_node_t *on)
{
	const struct raw_amount *ra = ro->update ? ro->update : ro->atomic_add;
	const char *key = ro->update ? "update" : "atomic-add";
	yaml_node_t *an = doc_get(c, on, key);

	op->object = op_object(c, s, doc_get(c, an, "value"), ra->value, key,
			       KINDS_VALUELIKE);
	if (op->object < 0 || op_elem(c, s, op, ra, an) < 0 ||
	    check_range(c, doc_get(c, an, "add"), "add", ra->add,
			-SCENARIO_MAX_VALUE, SCENARIO_MAX_VALUE))
		return -1;
	op->amount = ra->add;
	op->kind = OP_ATOMIC_ADD;
	if (ro->update) {
		/* Two steps: the read, then the write of the register. */
		op[1] = op[0];
		op[0].kind = OP_LOAD;
		op[0].amount = 0;
		op[1].kind = OP_STORE;
	}
	return 0;
}

/* put (queue) and send (pipe): a value, or the register. */
static int convert_put(struct load_ctx *c, struct scenario *s,
		       struct scenario_op *op, const struct raw_op *ro,
		       yaml_node_t *on)
{
	const struct raw_put *rp = ro->put ? ro->put : ro->send;
	const char *key = ro->put ? "put" : "send";
	yaml_node_t *an = doc_get(c, on, key);

	op->kind = ro->put ? OP_PUT : OP_SEND;
	op->object = op_object(c, s, doc_get(c, an, ro->put ? "queue" : "pipe"),
			       rp->object, key,
			       KIND(ro->put ? OBJ_QUEUE : OBJ_PIPE));
	if (op->object < 0)
		return -1;
	if (rp->value == NULL) {
		op->use_register = 1;
		return 0;
	}
	if (check_range(c, doc_get(c, an, "value"), "value", *rp->value,
			-SCENARIO_MAX_VALUE, SCENARIO_MAX_VALUE))
		return -1;
	op->amount = *rp->value;
	return 0;
}

/* The op fields that are not the op: label and if-register. */
static int convert_op_fields(struct load_ctx *c, struct scenario_group *g,
			     struct scenario_op *op, const struct raw_op *ro,
			     yaml_node_t *on)
{
	yaml_node_t *n;
	char q[64];
	int j;

	if (ro->if_register != NULL) {
		if (op->kind != OP_GOTO) {
			load_error_node(c, doc_key(c, on, "if-register"),
					"'if-register' goes only on a goto (it "
					"makes the jump conditional)");
			return -1;
		}
		if (check_range(c, doc_get(c, on, "if-register"),
				"if-register", *ro->if_register,
				-SCENARIO_MAX_VALUE, SCENARIO_MAX_VALUE))
			return -1;
		op->has_if = 1;
		op->if_value = *ro->if_register;
	}
	if (ro->label == NULL)
		return 0;
	n = doc_get(c, on, "label");
	doc_quote(q, sizeof q, ro->label, strlen(ro->label));
	if (!valid_name(ro->label)) {
		load_error_node(c, n, "label %s must be a letter or '_' "
				"followed by letters, digits, '_' or '-'", q);
		return -1;
	}
	for (j = 0; j < g->n_ops; j++) {
		if (strcmp(g->ops[j].label, ro->label) == 0) {
			load_error_node(c, n, "duplicate label %s (the op at "
					"line %d has it already)", q,
					g->ops[j].line);
			return -1;
		}
	}
	/* On the first step only: a jump to an update starts at its load. */
	snprintf(op->label, sizeof op->label, "%s", ro->label);
	return 0;
}

static void add_ref(struct program_build *pb, int op, const char *name,
		    yaml_node_t *node)
{
	pb->refs[pb->n_refs].op = op;
	pb->refs[pb->n_refs].name = name;
	pb->refs[pb->n_refs].node = node;
	pb->n_refs++;
}

/* One list entry of a program: one step, or two for update. */
static int convert_op(struct load_ctx *c, struct scenario *s,
		      struct scenario_group *g, const struct raw_op *ro,
		      yaml_node_t *on, int py_lines, struct program_build *pb)
{
	/* The ops that name one object, and the kinds each takes. */
	const struct {
		const char *name;
		const char *key;
		enum op_kind kind;
		unsigned mask;
	} named[] = {
		{ ro->acquire, "acquire", OP_ACQUIRE, KINDS_LOCKLIKE },
		{ ro->release, "release", OP_RELEASE, KINDS_LOCKLIKE },
		{ ro->set, "set", OP_SET, KIND(OBJ_EVENT) },
		{ ro->clear, "clear", OP_CLEAR, KIND(OBJ_EVENT) },
		{ ro->wait, "wait", OP_WAIT, KIND(OBJ_EVENT) |
		  KIND(OBJ_CONDITION) | KIND(OBJ_BARRIER) },
		{ ro->notify, "notify", OP_NOTIFY, KIND(OBJ_CONDITION) },
		{ ro->notify_all, "notify-all", OP_NOTIFY, KIND(OBJ_CONDITION) },
		{ ro->get, "get", OP_GET, KIND(OBJ_QUEUE) },
		{ ro->recv, "recv", OP_RECV, KIND(OBJ_PIPE) },
	};
	struct scenario_op *op = &g->ops[g->n_ops];
	int steps = ro->update ? 2 : 1;
	yaml_node_t *an;
	size_t i;

	if (check_op_keys(c, on) < 0)
		return -1;
	if (g->n_ops + steps > SCENARIO_MAX_OPS) {
		load_error_node(c, on, "program is too long: more than %d steps "
				"(update counts as 2)", SCENARIO_MAX_OPS);
		return -1;
	}
	memset(op, 0, sizeof *op);
	op->object = -1;
	set_pos(on, &op->line, &op->col);
	if (ro->line != NULL) {
		if (s->python == NULL) {
			load_error_node(c, doc_get(c, on, "line"), "'line' "
					"points into the python source, but "
					"there is no 'python'");
			return -1;
		}
		if (check_range(c, doc_get(c, on, "line"), "line", *ro->line, 1,
				py_lines))
			return -1;
		op->py_line = (int)*ro->line;
	}

	for (i = 0; i < sizeof named / sizeof named[0]; i++)
		if (named[i].name != NULL)
			break;
	if (i < sizeof named / sizeof named[0]) {
		op->kind = named[i].kind;
		op->notify_all = ro->notify_all != NULL;
		op->object = op_object(c, s, doc_get(c, on, named[i].key),
				       named[i].name, named[i].key,
				       named[i].mask);
		if (op->object < 0)
			return -1;
	} else if (ro->update || ro->atomic_add) {
		if (convert_amount(c, s, op, ro, on) < 0)
			return -1;
	} else if (ro->sleep || ro->sleep_random) {
		op->kind = OP_SLEEP;
		if (convert_sleep(c, op, ro, on) < 0)
			return -1;
	} else if (ro->print || ro->crash) {
		op->kind = ro->print ? OP_PRINT : OP_CRASH;
		op->text = dup_str(c, ro->print ? ro->print : ro->crash);
		if (op->text == NULL)
			return -1;
	} else if (ro->acquire_timeout) {
		an = doc_get(c, on, "acquire-timeout");
		op->kind = OP_ACQUIRE;
		op->object = op_object(c, s, doc_get(c, an, "object"),
				       ro->acquire_timeout->object,
				       "acquire-timeout", KINDS_LOCKLIKE);
		if (op->object < 0 ||
		    seconds_ms(c, doc_get(c, an, "seconds"), "seconds",
			       ro->acquire_timeout->seconds, 0,
			       &op->timeout_ms) < 0)
			return -1;
		add_ref(pb, g->n_ops, ro->acquire_timeout->else_label,
			doc_get(c, an, "else"));
	} else if (ro->put || ro->send) {
		if (convert_put(c, s, op, ro, on) < 0)
			return -1;
	} else if (ro->set_register) {
		op->kind = OP_SET_REGISTER;
		if (check_range(c, doc_get(c, on, "set-register"),
				"set-register", *ro->set_register,
				-SCENARIO_MAX_VALUE, SCENARIO_MAX_VALUE))
			return -1;
		op->amount = *ro->set_register;
	} else {
		op->kind = OP_GOTO;
		add_ref(pb, g->n_ops, ro->goto_label, doc_get(c, on, "goto"));
	}
	if (convert_op_fields(c, g, op, ro, on) < 0) {
		/* Not counted yet, so scenario_free would not see it. */
		free(op->text);
		op->text = NULL;
		return -1;
	}
	g->n_ops += steps;
	return 0;
}

/* Every jump's label names an op of the same program (after expansion). */
static int resolve_labels(struct load_ctx *c, struct scenario_group *g,
			  const struct program_build *pb)
{
	const struct label_ref *r;
	char q[64], labels[512];
	int i, j;

	for (i = 0; i < pb->n_refs; i++) {
		r = &pb->refs[i];
		for (j = 0; j < g->n_ops; j++)
			if (strcmp(g->ops[j].label, r->name) == 0 &&
			    g->ops[j].label[0] != '\0')
				break;
		if (j < g->n_ops) {
			g->ops[r->op].target = j;
			continue;
		}
		labels[0] = '\0';
		for (j = 0; j < g->n_ops; j++)
			if (g->ops[j].label[0] != '\0')
				append(labels, sizeof labels, "%s%s",
				       labels[0] ? ", " : "", g->ops[j].label);
		doc_quote(q, sizeof q, r->name, strlen(r->name));
		load_error_node(c, r->node, "no op labelled %s in this program "
				"(%s%s)", q, labels[0] ? "labels: " : "it has "
				"no labels", labels);
		return -1;
	}
	return 0;
}

/* ---- worker groups ------------------------------------------------------ */

static int convert_group(struct load_ctx *c, struct scenario *s, int i,
			 const struct raw_group *rg, yaml_node_t *gn,
			 long *total)
{
	struct scenario_group *g = &s->groups[i];
	yaml_node_t *prog = doc_get(c, gn, "program");
	struct program_build pb = { .n_refs = 0 };
	int py_lines = s->python ? count_lines(s->python) : 0;
	char q[64];
	unsigned j;
	int k;

	doc_quote(q, sizeof q, rg->name, strlen(rg->name));
	if (!valid_name(rg->name)) {
		load_error_node(c, doc_get(c, gn, "name"), "worker group name "
				"%s must be a letter or '_' followed by letters, "
				"digits, '_' or '-'", q);
		return -1;
	}
	for (k = 0; k < i; k++) {
		if (strcmp(s->groups[k].name, rg->name) == 0) {
			load_error_node(c, doc_get(c, gn, "name"), "duplicate "
					"worker group name %s (first defined at "
					"line %d)", q, s->groups[k].line);
			return -1;
		}
	}
	snprintf(g->name, sizeof g->name, "%s", rg->name);
	set_pos(gn, &g->line, &g->col);
	if (check_range(c, doc_get(c, gn, "count"), "count", rg->count, 1,
			SCENARIO_MAX_WORKERS))
		return -1;
	*total += rg->count;
	if (*total > SCENARIO_MAX_WORKERS) {
		load_error_node(c, doc_get(c, gn, "count"), "too many workers: "
				"%ld in all groups (at most %d)", *total,
				SCENARIO_MAX_WORKERS);
		return -1;
	}
	g->count = (int)rg->count;
	if (rg->first != NULL) {
		if (check_range(c, doc_get(c, gn, "first"), "first", *rg->first,
				0, MAX_FIRST))
			return -1;
		g->first_index = (int)*rg->first;
	}
	/* Room for every entry being an update; the step limit is checked
	 * per op so the error points at the op that crosses it. */
	g->ops = calloc(2 * (size_t)rg->program_count, sizeof *g->ops);
	if (g->ops == NULL) {
		load_error_at(c, 1, 1, "out of memory");
		return -1;
	}
	for (j = 0; j < rg->program_count; j++)
		if (convert_op(c, s, g, &rg->program[j], doc_item(c, prog, j),
			       py_lines, &pb) < 0)
			return -1;
	return resolve_labels(c, g, &pb);
}

/* ---- the whole scenario ------------------------------------------------- */

static int convert_top(struct load_ctx *c, struct scenario *s,
		       const struct raw_scenario *raw)
{
	yaml_node_t *root = doc_root(c), *n;
	char q[64];
	int i;

	if (raw->lockstep != SCENARIO_FORMAT_VERSION) {
		load_error_node(c, doc_get(c, root, "lockstep"), "unsupported "
				"format version %ld (this lockstep reads version "
				"%d)", raw->lockstep, SCENARIO_FORMAT_VERSION);
		return -1;
	}
	if (!valid_id(raw->id)) {
		n = doc_get(c, root, "id");
		doc_quote(q, sizeof q, raw->id, strlen(raw->id));
		load_error_node(c, n, "'id' must use only a-z, 0-9 and '-', "
				"not %s", q);
		return -1;
	}
	if (raw->section != NULL) {
		for (i = 0; sections[i] != NULL; i++)
			if (strcmp(sections[i], raw->section) == 0)
				break;
		if (sections[i] == NULL) {
			doc_quote(q, sizeof q, raw->section,
				  strlen(raw->section));
			load_error_node(c, doc_get(c, root, "section"),
					"'section' must be one of data-sharing, "
					"semaphore, event, pool, deadlock, "
					"messages, more; not %s", q);
			return -1;
		}
	}
	s->order = DEFAULT_ORDER;
	if (raw->order != NULL) {
		if (check_range(c, doc_get(c, root, "order"), "order",
				*raw->order, 0, MAX_ORDER))
			return -1;
		s->order = (int)*raw->order;
	}
	s->id = dup_str(c, raw->id);
	s->section = dup_str(c, raw->section);
	/* An empty `python:` means no source, as if the key were absent. */
	if (raw->python != NULL && raw->python[0] != '\0')
		s->python = dup_str(c, raw->python);
	dup_text(c, &s->title, &raw->title);
	dup_text(c, &s->summary, raw->summary);
	for (i = 0; i < (int)raw->pages_count; i++)
		dup_text(c, &s->pages[i], &raw->pages[i]);
	s->n_pages = (int)raw->pages_count;
	s->expect_outcome = raw->expect ? raw->expect->outcome : OUTCOME_ANY;
	return c->failed ? -1 : 0;
}

static struct scenario *convert(struct load_ctx *c,
				const struct raw_scenario *raw)
{
	struct scenario *s = calloc(1, sizeof *s);
	yaml_node_t *root = doc_root(c);
	long total = 0;
	int i;

	if (s == NULL) {
		load_error_at(c, 1, 1, "out of memory");
		return NULL;
	}
	s->path = dup_str(c, c->path);
	if (s->path == NULL || convert_top(c, s, raw) < 0)
		goto fail;
	for (i = 0; i < (int)raw->objects_count; i++, s->n_objects++)
		if (convert_object(c, s, i, &raw->objects[i],
				   doc_item(c, doc_get(c, root, "objects"),
					    (size_t)i)) < 0)
			goto fail;
	/* A condition may name a lock defined after it. */
	for (i = 0; i < s->n_objects; i++)
		if (s->objects[i].kind == OBJ_CONDITION &&
		    resolve_lock(c, s, i, &raw->objects[i],
				 doc_item(c, doc_get(c, root, "objects"),
					  (size_t)i)) < 0)
			goto fail;
	for (i = 0; i < (int)raw->workers_count; i++) {
		s->n_groups++;
		if (convert_group(c, s, i, &raw->workers[i],
				  doc_item(c, doc_get(c, root, "workers"),
					   (size_t)i), &total) < 0)
			goto fail;
	}
	return s;
fail:
	scenario_free(s);
	return NULL;
}

struct scenario *scenario_load(const char *path, char *err, size_t errlen)
{
	struct load_ctx c = { .path = path ? path : "(null)",
			      .err = err, .errlen = errlen };
	struct raw_scenario *raw = NULL;
	struct scenario *s = NULL;
	char msg[256];
	int line = 0, col = 0;

	if (err != NULL && errlen > 0)
		err[0] = '\0';
	if (doc_read_file(&c) == 0 && doc_parse(&c) == 0 &&
	    doc_check_schema(&c, &raw_scenario_schema) == 0) {
		/* The tree check should leave libcyaml nothing to reject;
		 * if it does, its own position is the best there is. */
		if (raw_load(c.buf, c.len, &raw, msg, sizeof msg, &line,
			     &col) < 0)
			load_error_at(&c, line ? line : 1, col ? col : 1, "%s",
				      msg);
		else
			s = convert(&c, raw);
	}
	raw_free(raw);
	doc_free(&c);
	return s;
}

void scenario_free(struct scenario *s)
{
	int i, j;

	if (s == NULL)
		return;
	for (i = 0; i < s->n_groups; i++) {
		for (j = 0; j < s->groups[i].n_ops; j++)
			free(s->groups[i].ops[j].text);
		free(s->groups[i].ops);
	}
	for (i = 0; i < s->n_pages; i++) {
		free(s->pages[i].en);
		free(s->pages[i].zh);
	}
	free(s->title.en);
	free(s->title.zh);
	free(s->summary.en);
	free(s->summary.zh);
	free(s->python);
	free(s->section);
	free(s->id);
	free(s->path);
	free(s);
}

/* ---- queries ------------------------------------------------------------ */

int scenario_worker_count(const struct scenario *s)
{
	int i, n = 0;

	for (i = 0; i < s->n_groups; i++)
		n += s->groups[i].count;
	return n;
}

int scenario_worker_group(const struct scenario *s, int w, int *index_in_group)
{
	int i;

	for (i = 0; w >= 0 && i < s->n_groups; i++) {
		if (w < s->groups[i].count) {
			if (index_in_group != NULL)
				*index_in_group = w;
			return i;
		}
		w -= s->groups[i].count;
	}
	if (index_in_group != NULL)
		*index_in_group = -1;
	return -1;
}

int scenario_set_workers(struct scenario *s, int n, char *err, size_t errlen)
{
	if (s->n_groups != 1) {
		snprintf(err, errlen, "--workers works only with one worker "
			 "group, and %s has %d", s->id, s->n_groups);
		return -1;
	}
	if (n < 1 || n > SCENARIO_MAX_WORKERS) {
		snprintf(err, errlen, "--workers must be from 1 to %d, not %d",
			 SCENARIO_MAX_WORKERS, n);
		return -1;
	}
	s->groups[0].count = n;
	return 0;
}

int scenario_find_object(const struct scenario *s, const char *name)
{
	int i;

	for (i = 0; i < s->n_objects; i++)
		if (strcmp(s->objects[i].name, name) == 0)
			return i;
	return -1;
}

const char *object_kind_name(enum object_kind k)
{
	static const char *const names[OBJ_KIND_COUNT] = {
		[OBJ_VALUE] = "value",
		[OBJ_LOCK] = "lock",
		[OBJ_SEMAPHORE] = "semaphore",
		[OBJ_RLOCK] = "rlock",
		[OBJ_BOUNDED_SEMAPHORE] = "bounded-semaphore",
		[OBJ_EVENT] = "event",
		[OBJ_CONDITION] = "condition",
		[OBJ_BARRIER] = "barrier",
		[OBJ_QUEUE] = "queue",
		[OBJ_PIPE] = "pipe",
		[OBJ_ARRAY] = "array",
		[OBJ_DICT] = "dict",
		[OBJ_LIST] = "list",
		[OBJ_NAMESPACE] = "namespace",
	};

	return (unsigned)k < OBJ_KIND_COUNT ? names[k] : "?";
}

const char *op_kind_name(enum op_kind k)
{
	static const char *const names[OP_KIND_COUNT] = {
		[OP_ACQUIRE] = "acquire",
		[OP_RELEASE] = "release",
		[OP_LOAD] = "load",
		[OP_STORE] = "store",
		[OP_ATOMIC_ADD] = "atomic-add",
		[OP_SLEEP] = "sleep",
		[OP_PRINT] = "print",
		[OP_SET] = "set",
		[OP_CLEAR] = "clear",
		[OP_WAIT] = "wait",
		[OP_NOTIFY] = "notify",
		[OP_PUT] = "put",
		[OP_GET] = "get",
		[OP_SEND] = "send",
		[OP_RECV] = "recv",
		[OP_SET_REGISTER] = "set-register",
		[OP_GOTO] = "goto",
		[OP_CRASH] = "crash",
	};

	return (unsigned)k < OP_KIND_COUNT ? names[k] : "?";
}
