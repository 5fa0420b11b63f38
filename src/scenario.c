/*
 * scenario.c: load a scenario file into struct scenario, and the small
 * helpers the engine and the UI use on it: the public functions of
 * scenario.h.
 *
 * Loading is three passes, so that every message points at the exact
 * token (see scenario_doc.h for why libcyaml alone cannot):
 *   1. scenario_doc.c: libyaml tree, syntax, and a check of the tree
 *      against the cyaml schema (keys, types, integer syntax, limits);
 *   2. scenario_schema.c: libcyaml loads the typed raw structs;
 *   3. meaning (names, kinds of objects per op, ranges, totals), with
 *      positions looked up in the libyaml tree, then conversion: the
 *      top-level keys and the worker groups here, the objects in
 *      scenario_objects.c, the programs in scenario_ops.c.
 *
 * This file also holds the few checks and words those three share
 * (names, ranges, positions, "a"/"an"); scenario_priv.h lists them.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "i18n.h"
#include "scenario.h"
#include "scenario_priv.h"
#include "py_compile.h"

#define MAX_FIRST       1000000L
#define MAX_ORDER       9999L
#define DEFAULT_ORDER   9999

static const char *const sections[] = {
	"data-sharing", "semaphore", "event", "pool", "deadlock", "messages",
	"more", NULL
};

/* ---- checks and words the loader shares ------------------------------- */

char *load_strdup(struct load_ctx *c, const char *s)
{
	char *d;

	if (s == NULL)
		return NULL;
	d = strdup(s);
	if (d == NULL)
		load_env_error(c, "load", ENOMEM);
	return d;
}

static void dup_text(struct load_ctx *c, struct scenario_text *t,
		     const struct raw_text *raw)
{
	if (raw == NULL)
		return;
	t->en = load_strdup(c, raw->en);
	t->zh = load_strdup(c, raw->zh);
}

/* Object and group names: [A-Za-z_][A-Za-z0-9_-]* (length is the schema's). */
int load_valid_name(const char *s)
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

void load_node_pos(const yaml_node_t *n, int *line, int *col)
{
	*line = n ? (int)n->start_mark.line + 1 : 1;
	*col = n ? (int)n->start_mark.column + 1 : 1;
}

/* A bounded integer; the message names the key and the range. */
int load_check_range(struct load_ctx *c, yaml_node_t *n, const char *key,
		     long v, long lo, long hi)
{
	if (v >= lo && v <= hi)
		return 0;
	load_error_node(c, n, "'%s' must be from %ld to %ld, not %ld", key,
			lo, hi, v);
	return -1;
}

/* "a" or "an", for "'x' is an rlock". */
const char *load_kind_article(enum object_kind k)
{
	return _(kind_info(k)->article);
}

/* Append to a NUL-terminated buffer, truncating quietly. */
void load_append(char *out, size_t outlen, const char *fmt, ...)
{
	size_t n = strlen(out);
	va_list ap;

	if (n + 1 >= outlen)
		return;
	va_start(ap, fmt);
	vsnprintf(out + n, outlen - n, fmt, ap);
	va_end(ap);
}

/* "count, lock, rooms" or "none": for "names no object" messages. */
void load_objects_text(char *out, size_t outlen, const struct scenario *s)
{
	int j;

	snprintf(out, outlen, "%s", s->n_objects ? "" : _("none"));
	for (j = 0; j < s->n_objects; j++)
		load_append(out, outlen, "%s%s", j ? ", " : "",
			    s->objects[j].name);
}

/* ---- worker groups ------------------------------------------------------ */

static int convert_group(struct load_ctx *c, struct scenario *s, int i,
			 const struct raw_group *rg, yaml_node_t *gn,
			 long *total)
{
	struct scenario_group *g = &s->groups[i];
	char q[64];
	int k;

	doc_quote(q, sizeof q, rg->name, strlen(rg->name));
	if (!load_valid_name(rg->name)) {
		load_error_node(c, doc_get(c, gn, "name"), "worker group name "
				"%s must be a letter or '_' followed by letters, "
				"digits, '_' or '-'", q);
		return -1;
	}
	snprintf(g->name, sizeof g->name, "%s", rg->name);
	load_node_pos(gn, &g->line, &g->col);
	if (load_check_range(c, doc_get(c, gn, "count"), "count", rg->count, 1,
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
		if (load_check_range(c, doc_get(c, gn, "first"), "first",
				     *rg->first, 0, MAX_FIRST))
			return -1;
		g->first_index = (int)*rg->first;
	}
	/* Groups may share a name when their workers' numbers do not
	 * (a compiled program's Process-2 and Process-3 with programs of
	 * their own): worker names stay unique. */
	for (k = 0; k < i; k++) {
		const struct scenario_group *o = &s->groups[k];
		if (strcmp(o->name, g->name) == 0 &&
		    g->first_index < o->first_index + o->count &&
		    o->first_index < g->first_index + g->count) {
			load_error_node(c, doc_get(c, gn, "name"), "duplicate "
					"worker group name %s (first defined at "
					"line %d)", q, o->line);
			return -1;
		}
	}
	if (rg->parent != NULL && *rg->parent) {
		if (rg->count != 1) {
			load_error_node(c, doc_get(c, gn, "parent"), "a parent "
					"group has one worker (the main process), "
					"not %ld", rg->count);
			return -1;
		}
		g->parent = 1;
	}
	return load_program(c, s, g, rg, doc_get(c, gn, "program"));
}

/* ---- the whole scenario ------------------------------------------------- */

/* after: the main process's prints once it has joined everyone. */
static int convert_after(struct load_ctx *c, struct scenario *s,
			 const struct raw_scenario *raw)
{
	yaml_node_t *list = doc_get(c, doc_root(c), "after");
	int lines = 0;

	for (const char *p = s->python; p && *p; p++)
		if (*p == '\n' || p[1] == '\0')
			lines++;
	for (unsigned i = 0; i < raw->after_count; i++) {
		const struct raw_after *ra = &raw->after[i];
		yaml_node_t *n = doc_item(c, list, i);
		if (ra->line != NULL) {
			if (s->python == NULL) {
				load_error_node(c, doc_get(c, n, "line"), "'line' "
						"points into the python source, but "
						"there is no 'python'");
				return -1;
			}
			if (load_check_range(c, doc_get(c, n, "line"), "line",
					     *ra->line, 1, lines))
				return -1;
			s->after[i].py_line = (int)*ra->line;
		}
		s->after[i].text = load_strdup(c, ra->print);
		if (s->after[i].text == NULL)
			return -1;
		s->n_after++;
	}
	return 0;
}

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
		if (load_check_range(c, doc_get(c, root, "order"), "order",
				     *raw->order, 0, MAX_ORDER))
			return -1;
		s->order = (int)*raw->order;
	}
	s->id = load_strdup(c, raw->id);
	s->section = load_strdup(c, raw->section);
	/* An empty `python:` means no source, as if the key were absent. */
	if (raw->python != NULL && raw->python[0] != '\0')
		s->python = load_strdup(c, raw->python);
	dup_text(c, &s->title, &raw->title);
	dup_text(c, &s->summary, raw->summary);
	for (i = 0; i < (int)raw->pages_count; i++)
		dup_text(c, &s->pages[i], &raw->pages[i]);
	s->n_pages = (int)raw->pages_count;
	s->expect_outcome = raw->expect ? raw->expect->outcome : OUTCOME_ANY;
	if (convert_after(c, s, raw) < 0)
		return -1;
	s->process_start_ms = SCENARIO_DEFAULT_START_MS;
	if (raw->process_start_ms != NULL) {
		if (load_check_range(c, doc_get(c, root, "process-start-ms"),
				     "process-start-ms", *raw->process_start_ms,
				     0, SCENARIO_MAX_START_MS))
			return -1;
		s->process_start_ms = *raw->process_start_ms;
	}
	return c->failed ? -1 : 0;
}

/* Where line 1, column 1 of the `python` text is in the file: the line
 * after a literal block's indicator, at its indentation.  0 when the
 * text is written another way (then errors point at the key). */
static int python_origin(struct load_ctx *c, yaml_node_t *n, int *line, int *col)
{
	const unsigned char *p = c->buf, *end = c->buf + c->len;
	size_t lines = 0;
	int indent = 0;

	if (n->data.scalar.style != YAML_LITERAL_SCALAR_STYLE)
		return 0;
	/* The mark's index counts characters, its line is exact: go to the
	 * line after the indicator's by lines. */
	while (p < end && lines <= n->start_mark.line)
		if (*p++ == '\n')
			lines++;
	for (;;) {   /* blank lines before the first line of text */
		const unsigned char *q = p;
		for (indent = 0; q < end && *q == ' '; q++)
			indent++;
		if (q >= end || *q != '\n')
			break;
		p = q + 1;
	}
	*line = (int)n->start_mark.line + 2;
	*col = indent;
	return 1;
}

/* The compiler's "NAME:L:C: error: MSG" for the python text, as an error
 * at that place in the file. */
static void python_error(struct load_ctx *c, yaml_node_t *n, const char *msg)
{
	int l, k, line, col;
	const char *rest = strstr(msg, ": error: ");
	const char *pos = rest;

	/* Back over ":L:C" before ": error: ". */
	for (int colons = 0; pos && pos > msg && colons < 2; )
		if (*--pos == ':')
			colons++;
	if (rest == NULL || pos == NULL || sscanf(pos, ":%d:%d", &l, &k) != 2) {
		load_error_node(c, n, "%s", msg);
		return;
	}
	rest += strlen(": error: ");
	if (python_origin(c, n, &line, &col))
		load_error_at(c, line + l - 1, col + k, "%s", rest);
	else
		load_error_node(c, n, "in 'python' at line %d, column %d: %s", l, k, rest);
}

/* No objects and no workers: the python program makes them.  The
 * file's own title, pages, expect and the like stay. */
static int convert_python(struct load_ctx *c, struct scenario *s)
{
	yaml_node_t *n = doc_get(c, doc_root(c), "python");
	char err[1024];
	struct scenario *p;

	if (s->python == NULL) {
		load_error_node(c, doc_root(c), "a scenario needs 'objects' and "
				"'workers', or a 'python' program to make them");
		return -1;
	}
	p = py_compile_buffer(c->path, s->python, strlen(s->python), err, sizeof err);
	if (p == NULL) {
		if (errno != 0)
			load_env_error(c, "load", errno);
		else
			python_error(c, n, err);
		return -1;
	}
	memcpy(s->objects, p->objects, sizeof s->objects);
	s->n_objects = p->n_objects;
	memcpy(s->groups, p->groups, sizeof s->groups);
	s->n_groups = p->n_groups;
	p->n_groups = 0;            /* their ops are s's now */
	memcpy(s->after, p->after, sizeof s->after);
	s->n_after = p->n_after;
	p->n_after = 0;
	if (doc_get(c, doc_root(c), "process-start-ms") == NULL)
		s->process_start_ms = p->process_start_ms;
	scenario_free(p);
	return 0;
}

static struct scenario *convert(struct load_ctx *c,
				const struct raw_scenario *raw)
{
	struct scenario *s = calloc(1, sizeof *s);
	yaml_node_t *root = doc_root(c);
	long total = 0;
	char why[256];
	int i, line, col;

	if (s == NULL) {
		load_env_error(c, "load", ENOMEM);
		return NULL;
	}
	s->path = load_strdup(c, c->path);
	if (s->path == NULL || convert_top(c, s, raw) < 0)
		goto fail;
	/* An empty list is no pointer: ask the document what is written. */
	int has_objects = doc_get(c, root, "objects") != NULL;
	int has_workers = doc_get(c, root, "workers") != NULL;
	if (!has_objects && !has_workers) {
		if (convert_python(c, s) < 0 || load_figures(c, s, raw) < 0)
			goto fail;
		return s;
	}
	if (!has_objects || !has_workers) {
		load_error_node(c, root, "missing required key '%s' in the "
				"scenario (only with neither 'objects' nor 'workers' "
				"does 'python' make them)", has_objects ? "workers" :
				"objects");
		goto fail;
	}
	for (i = 0; i < (int)raw->objects_count; i++, s->n_objects++)
		if (load_object(c, s, i, &raw->objects[i],
				doc_item(c, doc_get(c, root, "objects"),
					 (size_t)i)) < 0)
			goto fail;
	/* A condition may name a lock defined after it. */
	for (i = 0; i < s->n_objects; i++)
		if (kind_info(s->objects[i].kind)->keys & KK_LOCK &&
		    load_condition_lock(c, s, i, &raw->objects[i],
					doc_item(c, doc_get(c, root, "objects"),
						 (size_t)i)) < 0)
			goto fail;
	if (load_figures(c, s, raw) < 0)
		goto fail;
	for (i = 0; i < (int)raw->workers_count; i++) {
		s->n_groups++;
		if (convert_group(c, s, i, &raw->workers[i],
				  doc_item(c, doc_get(c, root, "workers"),
					   (size_t)i), &total) < 0)
			goto fail;
	}
	if (load_goals(c, s, raw) < 0)
		goto fail;
	if (scenario_eval_workers(s, (int)total, why, sizeof why, &line,
				  &col) < 0) {
		load_error_at(c, line, col, "%s", why);
		goto fail;
	}
	return s;
fail:
	scenario_free(s);
	return NULL;
}

/*
 * A newer file is told by its version, not by the first key this lockstep
 * does not know yet: look at 'lockstep' before the schema check.
 */
static int check_version(struct load_ctx *c)
{
	yaml_node_t *n = doc_get(c, doc_root(c), "lockstep");
	const char *v;
	char *end;
	long version;

	if (n == NULL || n->type != YAML_SCALAR_NODE)
		return 0;     /* the schema check says what is wrong */
	v = (const char *)n->data.scalar.value;
	if (v[0] < '1' || v[0] > '9')
		return 0;
	errno = 0;
	version = strtol(v, &end, 10);
	if (*end != '\0' || errno != 0 || version <= SCENARIO_FORMAT_VERSION)
		return 0;
	load_error_node(c, n, "format version %ld is newer than this lockstep "
			"reads (version %d)", version, SCENARIO_FORMAT_VERSION);
	return -1;
}

/* The passes, once c->buf holds the file. */
static struct scenario *load(struct load_ctx *c)
{
	struct raw_scenario *raw = NULL;
	struct scenario *s = NULL;
	char msg[256];
	int line = 0, col = 0;

	if (doc_parse(c) == 0 && check_version(c) == 0 &&
	    doc_check_schema(c, &raw_scenario_schema) == 0) {
		/* The tree check should leave libcyaml nothing to reject;
		 * if it does, its own position is the best there is. */
		if (raw_load(c->buf, c->len, &raw, msg, sizeof msg, &line,
			     &col) < 0)
			load_error_at(c, line ? line : 1, col ? col : 1, "%s",
				      msg);
		else
			s = convert(c, raw);
	}
	raw_free(raw);
	return s;
}

static struct scenario *load_end(struct load_ctx *c, struct scenario *s)
{
	doc_free(c);
	errno = s == NULL ? c->env_errno : 0;
	return s;
}

/* A .py file is a Python program: the compiler makes its scenario. */
static int is_python(const char *path)
{
	size_t n = path ? strlen(path) : 0;

	return n > 3 && strcmp(path + n - 3, ".py") == 0;
}

struct scenario *scenario_load(const char *path, char *err, size_t errlen)
{
	struct load_ctx c = { .path = path ? path : "(null)",
			      .err = err, .errlen = errlen };

	if (is_python(path))
		return py_compile_file(path, err, errlen);

	if (err != NULL && errlen > 0)
		err[0] = '\0';
	return load_end(&c, doc_read_file(&c) == 0 ? load(&c) : NULL);
}

struct scenario *scenario_load_buffer(const char *name, const void *data,
				      size_t len, char *err, size_t errlen)
{
	struct load_ctx c = { .path = name ? name : "(null)",
			      .err = err, .errlen = errlen };

	if (err != NULL && errlen > 0)
		err[0] = '\0';
	return load_end(&c, doc_read_buffer(&c, data, len) == 0 ? load(&c)
							       : NULL);
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
	for (i = 0; i < s->n_after; i++)
		free(s->after[i].text);
	for (i = 0; i < s->n_pages; i++) {
		free(s->pages[i].en);
		free(s->pages[i].zh);
	}
	for (i = 0; i < s->n_goals; i++) {
		free(s->goals[i].text.en);
		free(s->goals[i].text.zh);
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
	int line, col;

	if (s->n_groups != 1) {
		snprintf(err, errlen, _("--workers works only with one worker "
			 "group, and %s has %d"), s->id, s->n_groups);
		return -1;
	}
	if (s->groups[0].parent) {
		snprintf(err, errlen, _("--workers does not apply to %s: its one "
			 "group is the main process"), s->id);
		return -1;
	}
	if (n < 1 || n > SCENARIO_MAX_WORKERS) {
		snprintf(err, errlen, _("--workers must be from 1 to %d, not %d"),
			 SCENARIO_MAX_WORKERS, n);
		return -1;
	}
	if (scenario_eval_workers(s, n, err, errlen, &line, &col) < 0) {
		scenario_eval_workers(s, s->groups[0].count, err, 0, &line,
				      &col);
		return -1;
	}
	s->groups[0].count = n;
	s->workers_set = 1;
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
