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

/* ---- objects ------------------------------------------------------------ */

static int convert_object(struct load_ctx *c, struct scenario *s, int i,
			  const struct raw_object *ro, yaml_node_t *on)
{
	struct scenario_object *o = &s->objects[i];
	const char *kind = object_kind_name(ro->type);
	char q[64];
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
	set_pos(on, &o->line, &o->col);

	if (ro->type == OBJ_LOCK && ro->initial != NULL) {
		load_error_node(c, doc_key(c, on, "initial"), "a lock has no "
				"'initial' (it starts free)");
		return -1;
	}
	if (ro->type == OBJ_SEMAPHORE && ro->initial == NULL) {
		load_error_node(c, on, "missing required key 'initial' in a "
				"semaphore (its count)");
		return -1;
	}
	if (ro->initial != NULL) {
		if (ro->type == OBJ_SEMAPHORE ?
		    check_range(c, doc_get(c, on, "initial"), "initial",
				*ro->initial, 0, MAX_SEMAPHORE) :
		    check_range(c, doc_get(c, on, "initial"), "initial",
				*ro->initial, -SCENARIO_MAX_VALUE,
				SCENARIO_MAX_VALUE))
			return -1;
		o->initial = *ro->initial;
	}
	if (ro->expect != NULL) {
		if (ro->type != OBJ_VALUE) {
			load_error_node(c, doc_key(c, on, "expect"), "a %s has "
					"no 'expect' (only a value does)", kind);
			return -1;
		}
		if (check_range(c, doc_get(c, on, "expect"), "expect",
				*ro->expect, -SCENARIO_MAX_VALUE,
				SCENARIO_MAX_VALUE))
			return -1;
		o->has_expect = 1;
		o->expect = *ro->expect;
	}
	if (ro->max_holders != NULL) {
		if (ro->type == OBJ_VALUE) {
			load_error_node(c, doc_key(c, on, "max-holders"), "a "
					"value has no 'max-holders' (only locks "
					"and semaphores do)");
			return -1;
		}
		if (check_range(c, doc_get(c, on, "max-holders"),
				"max-holders", *ro->max_holders, 1,
				SCENARIO_MAX_WORKERS))
			return -1;
		s->expect_max_holders[i] = *ro->max_holders;
	}
	return 0;
}

/* ---- ops ---------------------------------------------------------------- */

/* The object an op names, or -1 with the error at the name. */
static int op_object(struct load_ctx *c, const struct scenario *s,
		     yaml_node_t *name_node, const char *name, const char *op,
		     int want_value)
{
	char q[64], list[SCENARIO_MAX_OBJECTS * 34] = "";
	int i = scenario_find_object(s, name), j;

	doc_quote(q, sizeof q, name, strlen(name));
	if (i < 0) {
		for (j = 0; j < s->n_objects; j++)
			snprintf(list + strlen(list), sizeof list - strlen(list),
				 "%s%s", j ? ", " : "", s->objects[j].name);
		load_error_node(c, name_node, "%s names no object %s "
				"(objects: %s)", op, q,
				s->n_objects ? list : "none");
		return -1;
	}
	if (want_value != (s->objects[i].kind == OBJ_VALUE)) {
		load_error_node(c, name_node, "%s needs %s, but %s is a %s", op,
				want_value ? "a value" : "a lock or a semaphore",
				q, object_kind_name(s->objects[i].kind));
		return -1;
	}
	return i;
}

/* Exactly one op key per op; the error is at the second one. */
static int check_op_keys(struct load_ctx *c, yaml_node_t *on)
{
	yaml_node_pair_t *pair;
	yaml_node_t *k, *first = NULL;
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
		load_error_node(c, on, "an op needs one of acquire, release, "
				"update, atomic-add, sleep, sleep-random, print");
		return -1;
	}
	return 0;
}

static int convert_sleep(struct load_ctx *c, struct scenario_op *op,
			 const struct raw_op *ro, yaml_node_t *on)
{
	yaml_node_t *n;
	const char *dot;
	char q[64];

	if (ro->sleep != NULL) {
		n = doc_get(c, on, "sleep");
		doc_quote(q, sizeof q, (const char *)n->data.scalar.value,
			  n->data.scalar.length);
		dot = strchr((const char *)n->data.scalar.value, '.');
		if (dot != NULL && strlen(dot + 1) > 3) {
			load_error_node(c, n, "'sleep' counts milliseconds at "
					"most (3 decimals), not %s", q);
			return -1;
		}
		if (*ro->sleep < 0 || *ro->sleep > MAX_SLEEP_S) {
			load_error_node(c, n, "'sleep' must be from 0 to %d "
					"seconds, not %s", MAX_SLEEP_S, q);
			return -1;
		}
		/* Exact: the text has at most 3 decimals. */
		op->sleep_min_ms = (long)(*ro->sleep * 1000.0 + 0.5);
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

/* One list entry of a program: one step, or two for update. */
static int convert_op(struct load_ctx *c, struct scenario *s,
		      struct scenario_group *g, const struct raw_op *ro,
		      yaml_node_t *on, int py_lines)
{
	struct scenario_op *op = &g->ops[g->n_ops];
	const struct raw_amount *amount = ro->update ? ro->update
						     : ro->atomic_add;
	const char *key = ro->update ? "update" : "atomic-add";
	yaml_node_t *an;

	if (check_op_keys(c, on) < 0)
		return -1;
	if (g->n_ops + (ro->update ? 2 : 1) > SCENARIO_MAX_OPS) {
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

	if (ro->acquire || ro->release) {
		op->kind = ro->acquire ? OP_ACQUIRE : OP_RELEASE;
		key = ro->acquire ? "acquire" : "release";
		op->object = op_object(c, s, doc_get(c, on, key),
				       ro->acquire ? ro->acquire : ro->release,
				       key, 0);
		if (op->object < 0)
			return -1;
	} else if (amount != NULL) {
		an = doc_get(c, on, key);
		op->object = op_object(c, s, doc_get(c, an, "value"),
				       amount->value, key, 1);
		if (op->object < 0 ||
		    check_range(c, doc_get(c, an, "add"), "add", amount->add,
				-SCENARIO_MAX_VALUE, SCENARIO_MAX_VALUE))
			return -1;
		op->amount = amount->add;
		op->kind = OP_ATOMIC_ADD;
		if (ro->update) {
			/* Two steps: the read, then the write of the register. */
			op[1] = op[0];
			op[0].kind = OP_LOAD;
			op[0].amount = 0;
			op[1].kind = OP_STORE;
			g->n_ops++;
		}
	} else if (ro->sleep || ro->sleep_random) {
		op->kind = OP_SLEEP;
		if (convert_sleep(c, op, ro, on) < 0)
			return -1;
	} else {
		op->kind = OP_PRINT;
		op->text = dup_str(c, ro->print);
		if (op->text == NULL)
			return -1;
	}
	g->n_ops++;
	return 0;
}

/* ---- worker groups ------------------------------------------------------ */

static int convert_group(struct load_ctx *c, struct scenario *s, int i,
			 const struct raw_group *rg, yaml_node_t *gn,
			 long *total)
{
	struct scenario_group *g = &s->groups[i];
	yaml_node_t *prog = doc_get(c, gn, "program");
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
			       py_lines) < 0)
			return -1;
	return 0;
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
	};

	return (unsigned)k < OP_KIND_COUNT ? names[k] : "?";
}
