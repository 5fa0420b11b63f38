/*
 * scenario_ops.c: check and convert a worker group's 'program', one list
 * entry at a time, then resolve its jumps to labels.
 *
 * Each entry is one op: exactly one op key, naming an object of the kinds
 * that op takes (and, for a value-like object, which element), plus the
 * fields that go with any op (line, label, if-register).  An update is
 * two steps, a load then a store of the register, so that a lost update
 * can happen between them; jumps resolve after that expansion, so a label
 * on an update names its load.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "i18n.h"
#include "scenario.h"
#include "scenario_priv.h"

#define MAX_SLEEP_S     (SCENARIO_MAX_SLEEP_MS / 1000)

#define KIND(k) (1u << (k))

/* Lines of the python text, as an editor numbers them. */
static int count_lines(const char *s)
{
	int n = 0;

	for (; *s; s++)
		if (*s == '\n' || s[1] == '\0')
			n++;
	return n;
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
		/* TRANSLATORS: joining kinds: "a lock, a semaphore or
		 * an rlock". */
		load_append(out, outlen, "%s%s %s",
			    n == 1 ? "" : n == total ? _(" or ") : _(", "),
			    load_kind_article((enum object_kind)k),
			    object_kind_name((enum object_kind)k));
	}
}

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
		load_objects_text(list, sizeof list, s);
		load_error_node(c, name_node, "%s names no object %s "
				"(objects: %s)", op, q, list);
		return -1;
	}
	if ((mask & KIND(s->objects[i].kind)) == 0) {
		kinds_text(want, sizeof want, mask);
		load_error_node(c, name_node, "%s needs %s, but %s is %s %s", op,
				want, q, load_kind_article(s->objects[i].kind),
				object_kind_name(s->objects[i].kind));
		return -1;
	}
	return i;
}

int load_elem(struct load_ctx *c, const struct scenario *s, int object,
	      const char *key, const long *index, yaml_node_t *an, int *elem)
{
	const struct scenario_object *o = &s->objects[object];
	const char *kind = object_kind_name(o->kind);
	const char *art = load_kind_article(o->kind);
	char q[64], keys[SCENARIO_MAX_ELEMS * 34];
	yaml_node_t *kk = doc_key(c, an, "key"), *ik = doc_key(c, an, "index");
	int j;

	keys[0] = '\0';
	for (j = 0; j < o->n_elems; j++)
		load_append(keys, sizeof keys, "%s%s", j ? ", " : "",
			    o->elems[j].key);
	switch (kind_is(o->kind, KF_INDEXED) ? 1 : kind_is(o->kind, KF_KEYED) ? 2 : 0) {
	case 0: /* a plain value */
		if (kk != NULL || ik != NULL) {
			if (kk == NULL || (ik != NULL && ik->start_mark.index <
					   kk->start_mark.index))
				kk = ik;
			load_error_node(c, kk, "'%s' is a value: it has no "
					"elements, so no '%s'", o->name,
					(const char *)kk->data.scalar.value);
			return -1;
		}
		*elem = 0;
		return 0;
	case 1: /* array, list */
		if (kk != NULL) {
			load_error_node(c, kk, "'%s' is %s %s: say which element "
					"with 'index', not 'key'", o->name,
					art, kind);
			return -1;
		}
		if (index == NULL) {
			load_error_node(c, an, "'%s' is %s %s: say which element "
					"with 'index' (0 to %d)", o->name, art,
					kind, o->n_elems - 1);
			return -1;
		}
		if (load_check_range(c, doc_get(c, an, "index"), "index",
				     *index, 0, o->n_elems - 1))
			return -1;
		*elem = (int)*index;
		return 0;
	default: /* dict, namespace */
		if (ik != NULL) {
			load_error_node(c, ik, "'%s' is %s %s: say which entry "
					"with 'key', not 'index'", o->name, art,
					kind);
			return -1;
		}
		if (key == NULL) {
			load_error_node(c, an, "'%s' is %s %s: say which entry "
					"with 'key' (keys: %s)", o->name, art,
					kind, keys);
			return -1;
		}
		for (j = 0; j < o->n_elems; j++)
			if (strcmp(o->elems[j].key, key) == 0)
				break;
		if (j == o->n_elems) {
			doc_quote(q, sizeof q, key, strlen(key));
			load_error_node(c, doc_get(c, an, "key"), "'%s' has no "
					"key %s (keys: %s)", o->name, q, keys);
			return -1;
		}
		*elem = j;
		return 0;
	}
}

static int op_elem(struct load_ctx *c, const struct scenario *s,
		   struct scenario_op *op, const struct raw_amount *ra,
		   yaml_node_t *an)
{
	return load_elem(c, s, op->object, ra->key, ra->index, an, &op->elem);
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
			load_append(keys, sizeof keys, "%s%s", i ? ", " : "",
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
	if (load_check_range(c, doc_get(c, n, "min"), "min",
			     ro->sleep_random->min, 0, MAX_SLEEP_S) ||
	    load_check_range(c, doc_get(c, n, "max"), "max",
			     ro->sleep_random->max, 0, MAX_SLEEP_S))
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
	const struct raw_amount *ra = ro->update ? ro->update : ro->atomic_add ?
		ro->atomic_add : ro->read ? ro->read : ro->write;
	const char *key = ro->update ? "update" : ro->atomic_add ? "atomic-add" :
		ro->read ? "read" : "write";
	yaml_node_t *an = doc_get(c, on, key);

	op->object = op_object(c, s, doc_get(c, an, "value"), ra->value, key,
			       kind_mask_of_op(OP_ATOMIC_ADD));
	if (op->object < 0 || op_elem(c, s, op, ra, an) < 0 ||
	    (!ro->read && load_check_range(c, doc_get(c, an, "add"), "add", ra->add,
					   -SCENARIO_MAX_VALUE, SCENARIO_MAX_VALUE)))
		return -1;
	op->amount = ro->read ? 0 : ra->add;
	/* read: the first step of an update alone; write: its second. */
	op->kind = ro->read ? OP_LOAD : ro->write ? OP_STORE : OP_ATOMIC_ADD;
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
			       kind_mask_of_op(ro->put ? OP_PUT : OP_SEND));
	if (op->object < 0)
		return -1;
	if (rp->value == NULL) {
		op->use_register = 1;
		return 0;
	}
	if (load_check_range(c, doc_get(c, an, "value"), "value", *rp->value,
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
		if (load_check_range(c, doc_get(c, on, "if-register"),
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
	if (!load_valid_name(ro->label)) {
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
	/* The ops that name one object (kinds.c says which kinds each takes). */
	const struct {
		const char *name;
		const char *key;
		enum op_kind kind;
	} named[] = {
		{ ro->acquire, "acquire", OP_ACQUIRE },
		{ ro->release, "release", OP_RELEASE },
		{ ro->set, "set", OP_SET },
		{ ro->clear, "clear", OP_CLEAR },
		{ ro->wait, "wait", OP_WAIT },
		{ ro->notify, "notify", OP_NOTIFY },
		{ ro->notify_all, "notify-all", OP_NOTIFY },
		{ ro->get, "get", OP_GET },
		{ ro->recv, "recv", OP_RECV },
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
	load_node_pos(on, &op->line, &op->col);
	if (ro->line != NULL) {
		if (s->python == NULL) {
			load_error_node(c, doc_get(c, on, "line"), "'line' "
					"points into the python source, but "
					"there is no 'python'");
			return -1;
		}
		if (load_check_range(c, doc_get(c, on, "line"), "line",
				     *ro->line, 1, py_lines))
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
				       kind_mask_of_op(named[i].kind));
		if (op->object < 0)
			return -1;
	} else if (ro->update || ro->atomic_add || ro->read || ro->write) {
		if (convert_amount(c, s, op, ro, on) < 0)
			return -1;
	} else if (ro->sleep || ro->sleep_random) {
		op->kind = OP_SLEEP;
		if (convert_sleep(c, op, ro, on) < 0)
			return -1;
	} else if (ro->print || ro->crash) {
		op->kind = ro->print ? OP_PRINT : OP_CRASH;
		op->text = load_strdup(c, ro->print ? ro->print : ro->crash);
		if (op->text == NULL)
			return -1;
	} else if (ro->acquire_timeout) {
		an = doc_get(c, on, "acquire-timeout");
		op->kind = OP_ACQUIRE;
		op->object = op_object(c, s, doc_get(c, an, "object"),
				       ro->acquire_timeout->object,
				       "acquire-timeout", kind_mask_of_op(OP_ACQUIRE));
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
		if (load_check_range(c, doc_get(c, on, "set-register"),
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
				load_append(labels, sizeof labels, "%s%s",
					    labels[0] ? ", " : "",
					    g->ops[j].label);
		doc_quote(q, sizeof q, r->name, strlen(r->name));
		if (labels[0])
			load_error_node(c, r->node, "no op labelled %s in this "
					"program (labels: %s)", q, labels);
		else
			load_error_node(c, r->node, "no op labelled %s in this "
					"program (it has no labels)", q);
		return -1;
	}
	return 0;
}

/* The program of group G: its steps, each checked, then its jumps. */
int load_program(struct load_ctx *c, struct scenario *s,
		 struct scenario_group *g, const struct raw_group *rg,
		 yaml_node_t *prog)
{
	struct program_build pb = { .n_refs = 0 };
	int py_lines = s->python ? count_lines(s->python) : 0;
	unsigned j;

	/* Room for every entry being an update; the step limit is checked
	 * per op so the error points at the op that crosses it. */
	g->ops = calloc(2 * (size_t)rg->program_count, sizeof *g->ops);
	if (g->ops == NULL) {
		load_env_error(c, "load", ENOMEM);
		return -1;
	}
	for (j = 0; j < rg->program_count; j++)
		if (convert_op(c, s, g, &rg->program[j], doc_item(c, prog, j),
			       py_lines, &pb) < 0)
			return -1;
	return resolve_labels(c, g, &pb);
}
