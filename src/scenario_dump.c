/*
 * scenario_dump.c: a scenario as a scenario file (scenario_dump.h).
 *
 * Strings are written double-quoted with YAML's escapes, so any text
 * comes back byte for byte; the Python source is a literal block when
 * that keeps it exact (no carriage return, no line of spaces only), and
 * double-quoted otherwise.  A jump's target gets a label of its own
 * ("L7": the op's index), unless it has one.
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "scenario_dump.h"

static void dump_quoted(FILE *f, const char *s)
{
	fputc('"', f);
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		if (*p == '"' || *p == '\\')
			fprintf(f, "\\%c", *p);
		else if (*p == '\n')
			fputs("\\n", f);
		else if (*p == '\t')
			fputs("\\t", f);
		else if (*p < 0x20 || *p == 0x7f)
			fprintf(f, "\\x%02x", *p);
		else
			fputc(*p, f);
	}
	fputc('"', f);
}

/* A literal block keeps S exactly when no line is spaces only and it
 * has no carriage return. */
static int block_ok(const char *s)
{
	const char *line = s;
	for (const char *p = s;; p++) {
		if (*p == '\r')
			return 0;
		if (*p == '\n' || *p == '\0') {
			int blank = p > line;
			for (const char *q = line; q < p; q++)
				if (*q != ' ' && *q != '\t')
					blank = 0;
			if (blank)
				return 0;
			if (*p == '\0')
				return 1;
			line = p + 1;
		}
	}
}

static void dump_python(FILE *f, const char *s)
{
	size_t n = strlen(s), trailing = 0;
	if (!block_ok(s) || n == 0) {
		fputs("python: ", f);
		dump_quoted(f, s);
		fputc('\n', f);
		return;
	}
	while (trailing < n && s[n - 1 - trailing] == '\n')
		trailing++;
	/* |2: the indentation is 2 whatever the first line starts with;
	 * -, (clip), +: no final newline, one, several. */
	fprintf(f, "python: |2%s\n", trailing == 0 ? "-" : trailing == 1 ? "" : "+");
	const char *line = s;
	for (const char *p = s; *p; p++) {
		if (*p != '\n')
			continue;
		if (p > line)
			fprintf(f, "  %.*s\n", (int)(p - line), line);
		else
			fputc('\n', f);
		line = p + 1;
	}
	if (*line)
		fprintf(f, "  %s\n", line);
}

static void dump_text(FILE *f, const char *key, const struct scenario_text *t, const char *lead)
{
	if (t->en == NULL && t->zh == NULL)
		return;
	fprintf(f, "%s%s{", lead, key);
	if (t->en) {
		fputs("en: ", f);
		dump_quoted(f, t->en);
	}
	if (t->zh) {
		fputs(t->en ? ", zh: " : "zh: ", f);
		dump_quoted(f, t->zh);
	}
	fputs("}\n", f);
}

static void dump_object(FILE *f, const struct scenario *s, int i)
{
	const struct scenario_object *o = &s->objects[i];
	fprintf(f, "  - {name: %s, type: %s", o->name, object_kind_name(o->kind));
	if (kind_is(o->kind, KF_VALUELIKE) && kind_is_plain_value(o->kind)) {
		fprintf(f, ", initial: %ld", o->elems[0].initial);
		if (o->elems[0].has_expect)
			fprintf(f, ", expect: %ld", o->elems[0].expect);
		if (o->has_limit)
			fprintf(f, ", limit: %ld", o->limit);
	} else if (kind_is(o->kind, KF_VALUELIKE)) {
		fputs(", entries: [", f);
		for (int k = 0; k < o->n_elems; k++) {
			const struct scenario_elem *e = &o->elems[k];
			fprintf(f, "%s{", k ? ", " : "");
			if (kind_is(o->kind, KF_KEYED))
				fprintf(f, "key: %s, ", e->key);
			fprintf(f, "initial: %ld", e->initial);
			if (e->has_expect)
				fprintf(f, ", expect: %ld", e->expect);
			fputc('}', f);
		}
		fputc(']', f);
	} else if (o->kind == OBJ_SEMAPHORE || o->kind == OBJ_BOUNDED_SEMAPHORE ||
		   (o->kind == OBJ_EVENT && o->initial)) {
		fprintf(f, ", initial: %ld", o->initial);
	} else if (o->kind == OBJ_CONDITION) {
		fprintf(f, ", lock: %s", s->objects[o->lock].name);
	} else if (o->kind == OBJ_BARRIER) {
		fprintf(f, ", parties: %d", o->capacity);
	} else if (o->kind == OBJ_QUEUE) {
		fprintf(f, ", capacity: %d", o->capacity);
	}
	if (s->expect_max_holders[i] > 0)
		fprintf(f, ", max-holders: %ld", s->expect_max_holders[i]);
	fputs("}\n", f);
}

/* {value: d, key: count} and the like, without the closing brace. */
static void dump_elem(FILE *f, const struct scenario *s, const struct scenario_op *op)
{
	const struct scenario_object *o = &s->objects[op->object];
	fprintf(f, "{value: %s", o->name);
	if (kind_is(o->kind, KF_KEYED))
		fprintf(f, ", key: %s", o->elems[op->elem].key);
	else if (kind_is(o->kind, KF_INDEXED))
		fprintf(f, ", index: %d", op->elem);
}

static void dump_seconds(FILE *f, long ms)
{
	if (ms % 1000 == 0)
		fprintf(f, "%ld", ms / 1000);
	else
		fprintf(f, "%ld.%03ld", ms / 1000, ms % 1000);
}

static int is_target(const struct scenario_group *g, int i)
{
	for (int j = 0; j < g->n_ops; j++) {
		const struct scenario_op *op = &g->ops[j];
		if ((op->kind == OP_GOTO || op->timeout_ms > 0) && op->target == i)
			return 1;
	}
	return 0;
}

static void dump_label(FILE *f, const struct scenario_group *g, int i)
{
	if (g->ops[i].label[0])
		fprintf(f, "%s", g->ops[i].label);
	else
		fprintf(f, "L%d", i);
}

/* One op (two for an update: the return says how many it took). */
static int dump_op(FILE *f, const struct scenario *s, const struct scenario_group *g, int i)
{
	const struct scenario_op *op = &g->ops[i], *next = i + 1 < g->n_ops ? op + 1 : NULL;
	int steps = 1;
	const char *name = op->object >= 0 ? s->objects[op->object].name : "";
	fputs("      - {", f);
	switch (op->kind) {
	case OP_ACQUIRE:
		if (op->timeout_ms > 0) {
			fprintf(f, "acquire-timeout: {object: %s, seconds: ", name);
			dump_seconds(f, op->timeout_ms);
			fputs(", else: ", f);
			dump_label(f, g, op->target);
			fputc('}', f);
		} else {
			fprintf(f, "acquire: %s", name);
		}
		break;
	case OP_LOAD:
		if (next && next->kind == OP_STORE && next->object == op->object &&
		    next->elem == op->elem && next->py_line == op->py_line &&
		    !next->label[0] && !is_target(g, i + 1)) {
			fputs("update: ", f);
			dump_elem(f, s, op);
			fprintf(f, ", add: %ld}", next->amount);
			steps = 2;
		} else {
			fputs("read: ", f);
			dump_elem(f, s, op);
			fputc('}', f);
		}
		break;
	case OP_STORE:
	case OP_ATOMIC_ADD:
		fputs(op->kind == OP_STORE ? "write: " : "atomic-add: ", f);
		dump_elem(f, s, op);
		fprintf(f, ", add: %ld}", op->amount);
		break;
	case OP_SLEEP:
		if (op->sleep_step_ms == 1000 && op->sleep_min_ms != op->sleep_max_ms) {
			fprintf(f, "sleep-random: {min: %ld, max: %ld}", op->sleep_min_ms / 1000,
			        op->sleep_max_ms / 1000);
		} else {
			fputs("sleep: ", f);
			dump_seconds(f, op->sleep_min_ms);
		}
		break;
	case OP_PRINT:
	case OP_CRASH:
		fputs(op->kind == OP_PRINT ? "print: " : "crash: ", f);
		dump_quoted(f, op->text ? op->text : "");
		break;
	case OP_PUT:
	case OP_SEND:
		fprintf(f, "%s: {%s: %s", op->kind == OP_PUT ? "put" : "send",
		        op->kind == OP_PUT ? "queue" : "pipe", name);
		if (!op->use_register)
			fprintf(f, ", value: %ld", op->amount);
		fputc('}', f);
		break;
	case OP_SET_REGISTER:
		fprintf(f, "set-register: %ld", op->amount);
		break;
	case OP_GOTO:
		fputs("goto: ", f);
		dump_label(f, g, op->target);
		if (op->has_if)
			fprintf(f, ", if-register: %ld", op->if_value);
		break;
	case OP_NOTIFY:
		fprintf(f, "%s: %s", op->notify_all ? "notify-all" : "notify", name);
		break;
	default:
		fprintf(f, "%s: %s", op_kind_name(op->kind), name);
		break;
	}
	if (op->label[0] || is_target(g, i)) {
		fputs(", label: ", f);
		dump_label(f, g, i);
	}
	if (op->py_line)
		fprintf(f, ", line: %d", op->py_line);
	fputs("}\n", f);
	return steps;
}

static void dump_groups(FILE *f, const struct scenario *s)
{
	fputs("workers:\n", f);
	for (int g = 0; g < s->n_groups; g++) {
		const struct scenario_group *gr = &s->groups[g];
		fprintf(f, "  - name: %s\n    count: %d\n", gr->name, gr->count);
		if (gr->first_index)
			fprintf(f, "    first: %d\n", gr->first_index);
		if (gr->parent)
			fputs("    parent: true\n", f);
		fputs("    program:\n", f);
		for (int i = 0; i < gr->n_ops; )
			i += dump_op(f, s, gr, i);
	}
}

/* big: the projector's figures, as the file names them. */
static void dump_figures(FILE *f, const struct scenario *s)
{
	static const char *const words[] = {
		[FIG_VALUE] = "value", [FIG_LOST] = "lost", [FIG_HIGHEST] = "highest",
		[FIG_TAKEN] = "taken", [FIG_PEAK] = "peak", [FIG_STARTED] = "started",
		[FIG_FINISHED] = "finished", [FIG_WAITING] = "waiting", [FIG_TIME] = "time",
	};
	if (s->n_figures == 0)
		return;
	fputs("big: [", f);
	for (int k = 0; k < s->n_figures; k++) {
		const struct scenario_figure *g = &s->figures[k];
		fputs(k ? ", " : "", f);
		if (g->object >= 0)
			fprintf(f, "%s.", s->objects[g->object].name);
		fputs(words[g->what], f);
	}
	fputs("]\n", f);
}

/* A goal's `when`, in the form the loader reads (scenario_goals.c). */
static void dump_when(FILE *f, const struct scenario *s, const struct scenario_goal *g)
{
	static const char *const outcomes[] = {
		[OUTCOME_FINISHED] = "finished", [OUTCOME_DEADLOCK] = "deadlock",
	};
	const char *obj = g->object >= 0 ? s->objects[g->object].name : "";
	fputs("    when: {", f);
	switch (g->kind) {
	case GOAL_OUTCOME:
		fprintf(f, "outcome: %s", outcomes[g->outcome == OUTCOME_DEADLOCK]);
		break;
	case GOAL_ENDS_AT:
	case GOAL_ENDS_NOT:
		fprintf(f, "value: %s", obj);
		if (kind_is(s->objects[g->object].kind, KF_KEYED))
			fprintf(f, ", key: %s", s->objects[g->object].elems[g->elem].key);
		else if (kind_is(s->objects[g->object].kind, KF_INDEXED))
			fprintf(f, ", index: %d", g->elem);
		fprintf(f, ", %s: ", g->kind == GOAL_ENDS_AT ? "ends-at" : "ends-not");
		if (g->vs_expect)
			fputs("expect", f);
		else
			fprintf(f, "%ld", g->number);
		break;
	case GOAL_PEAK:
		fprintf(f, "peak: %s, above: %ld", obj, g->number);
		break;
	case GOAL_BROKEN:
		fprintf(f, "broken: %s", obj);
		break;
	case GOAL_AT_LINE:
	case GOAL_WAITS:
		if (g->kind == GOAL_AT_LINE)
			fprintf(f, "at-line: %d, while-held: %s", g->py_line, obj);
		else
			fprintf(f, "waits: %s", obj);
		if (g->group >= 0 && g->number_in_group >= 0)
			fprintf(f, ", worker: %s%d", s->groups[g->group].name, g->number_in_group);
		else if (g->group >= 0)
			fprintf(f, ", worker: %s", s->groups[g->group].name);
		break;
	}
	fputs("}\n", f);
}

static void dump_goals(FILE *f, const struct scenario *s)
{
	if (s->n_goals)
		fputs("goals:\n", f);
	for (int i = 0; i < s->n_goals; i++) {
		const struct scenario_goal *g = &s->goals[i];
		fprintf(f, "  - id: %s\n", g->id);
		dump_text(f, "text: ", &g->text, "    ");
		dump_when(f, s, g);
		if (g->within)
			fprintf(f, "    within: %ld\n", g->within);
	}
}

int scenario_dump(FILE *f, const struct scenario *s)
{
	static const char *const outcomes[] = {
		[OUTCOME_FINISHED] = "finished", [OUTCOME_DEADLOCK] = "deadlock",
	};
	fprintf(f, "lockstep: %d\nid: %s\n", SCENARIO_FORMAT_VERSION, s->id);
	dump_text(f, "title: ", &s->title, "");
	dump_text(f, "summary: ", &s->summary, "");
	if (s->section)
		fprintf(f, "section: %s\n", s->section);
	if (s->order != 9999)
		fprintf(f, "order: %d\n", s->order);
	fprintf(f, "process-start-ms: %ld\n", s->process_start_ms);
	fputs(s->n_objects ? "objects:\n" : "objects: []\n", f);
	for (int i = 0; i < s->n_objects; i++)
		dump_object(f, s, i);
	dump_groups(f, s);
	dump_figures(f, s);
	if (s->n_after) {
		fputs("after:\n", f);
		for (int k = 0; k < s->n_after; k++) {
			fputs("  - {print: ", f);
			dump_quoted(f, s->after[k].text);
			if (s->after[k].py_line)
				fprintf(f, ", line: %d", s->after[k].py_line);
			fputs("}\n", f);
		}
	}
	if (s->expect_outcome != OUTCOME_ANY)
		fprintf(f, "expect: {outcome: %s}\n", outcomes[s->expect_outcome]);
	if (s->n_pages) {
		fputs("pages:\n", f);
		for (int k = 0; k < s->n_pages; k++)
			dump_text(f, "", &s->pages[k], "  - ");
	}
	dump_goals(f, s);
	if (s->python)
		dump_python(f, s->python);
	fflush(f);
	return ferror(f) ? -1 : 0;
}
