/*
 * explore.c: the search of every interleaving, its report, and the replay
 * of what it reports on real processes (see explore.h).
 */
#include "config.h"

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "explore.h"
#include "goals.h"
#include "i18n.h"
#include "kinds.h"
#include "model.h"
#include "signals.h"
#include "trace.h"
#include "words.h"
#include "worker.h"

#define EXPLORE_MEMORY (160L << 20)   /* bytes the search may keep */
#define N_OUTCOMES (RUN_DEADLOCK + 1)  /* running (stuck), finished, deadlock */

/* One state seen: how it was first reached, and where its bytes are. */
struct node {
	uint32_t parent;
	int32_t worker;
	uint32_t depth;
	uint32_t len;
	uint64_t off;
};

struct elem_set {
	char name[96];
	int obj, index;
	long *v;          /* sorted, distinct */
	int n, cap;
};

struct search {
	const struct scenario *s;
	struct model *m;
	long max_states;
	int full;
	struct node *nodes;
	long n_nodes, cap_nodes;
	unsigned char *bytes;
	size_t n_bytes, cap_bytes;
	uint32_t *table;            /* node index + 1, 0: empty */
	size_t table_size;          /* a power of two */
	int complete;
	int out_of_memory;
	int out_of_time;
	long ends[N_OUTCOMES];      /* end states of each outcome */
	long first[N_OUTCOMES];     /* the first (shortest) one's node, -1 */
	long first_wrong;           /* the first finish with a value not as
	                               expected (a lost update), -1 */
	long max_ms;                /* wall-clock bound, 0: none */
	int unsupported;
	long goal_first[SCENARIO_MAX_GOALS];   /* the first node each goal
	                                          holds at (goals.h), -1 */
	struct elem_set *el;
	int n_el;
};

/* ---- the store of states seen ------------------------------------------------- */

static uint64_t hash_bytes(const unsigned char *p, size_t n)
{
	uint64_t h = 0xcbf29ce484222325ULL;
	for (size_t i = 0; i < n; i++)
		h = (h ^ p[i]) * 0x100000001b3ULL;
	return h ^ (h >> 29);
}

static size_t search_memory(const struct search *x)
{
	return x->cap_bytes + (size_t)x->cap_nodes * sizeof *x->nodes +
	       x->table_size * sizeof *x->table;
}

static int grow_table(struct search *x)
{
	size_t size = x->table_size ? x->table_size * 2 : 1 << 12;
	uint32_t *t = calloc(size, sizeof *t);
	if (!t)
		return -1;
	for (long i = 0; i < x->n_nodes; i++) {
		uint64_t h = hash_bytes(x->bytes + x->nodes[i].off, x->nodes[i].len);
		size_t at = h & (size - 1);
		while (t[at])
			at = (at + 1) & (size - 1);
		t[at] = (uint32_t)i + 1;
	}
	free(x->table);
	x->table = t;
	x->table_size = size;
	return 0;
}

static int reserve(struct search *x, size_t len)
{
	if (x->n_nodes == x->cap_nodes) {
		long cap = x->cap_nodes ? x->cap_nodes * 2 : 4096;
		struct node *n = realloc(x->nodes, (size_t)cap * sizeof *n);
		if (!n)
			return -1;
		x->nodes = n;
		x->cap_nodes = cap;
	}
	if (x->n_bytes + len > x->cap_bytes) {
		size_t cap = x->cap_bytes ? x->cap_bytes * 2 : 1 << 16;
		while (cap < x->n_bytes + len)
			cap *= 2;
		unsigned char *b = realloc(x->bytes, cap);
		if (!b)
			return -1;
		x->bytes = b;
		x->cap_bytes = cap;
	}
	if ((size_t)(x->n_nodes + 1) * 2 > x->table_size && grow_table(x) < 0)
		return -1;
	return search_memory(x) > (size_t)EXPLORE_MEMORY ? -1 : 0;
}

/* Add the packed state unless it was seen: 1 added, 0 seen, -1 no room. */
static int store_add(struct search *x, const unsigned char *p, size_t len,
                     long parent, int worker, uint32_t depth)
{
	if (reserve(x, len) < 0)
		return -1;
	uint64_t h = hash_bytes(p, len);
	size_t at = h & (x->table_size - 1);
	while (x->table[at]) {
		const struct node *n = &x->nodes[x->table[at] - 1];
		if (n->len == len && memcmp(x->bytes + n->off, p, len) == 0)
			return 0;
		at = (at + 1) & (x->table_size - 1);
	}
	struct node *n = &x->nodes[x->n_nodes];
	*n = (struct node){ (uint32_t)parent, worker, depth, (uint32_t)len, x->n_bytes };
	memcpy(x->bytes + x->n_bytes, p, len);
	x->n_bytes += len;
	x->table[at] = (uint32_t)++x->n_nodes;
	return 1;
}

/* ---- final values --------------------------------------------------------------- */

static int elems_init(struct search *x)
{
	const struct scenario *s = x->s;
	int n = 0;
	for (int i = 0; i < s->n_objects; i++)
		if (kind_is(s->objects[i].kind, KF_VALUELIKE))
			n += s->objects[i].n_elems;
	if (!(x->el = calloc((size_t)n + 1, sizeof *x->el)))
		return -1;
	for (int i = 0; i < s->n_objects; i++) {
		const struct scenario_object *o = &s->objects[i];
		if (!kind_is(o->kind, KF_VALUELIKE))
			continue;
		for (int k = 0; k < o->n_elems; k++) {
			struct elem_set *el = &x->el[x->n_el++];
			el->obj = i;
			el->index = k;
			kind_elem_name(o->kind, o->name, k, o->elems[k].key, el->name, sizeof el->name);
		}
	}
	return 0;
}

static int elem_add(struct elem_set *el, long value)
{
	int lo = 0, hi = el->n;
	while (lo < hi) {
		int mid = (lo + hi) / 2;
		if (el->v[mid] < value)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo < el->n && el->v[lo] == value)
		return 0;
	if (el->n == el->cap) {
		int cap = el->cap ? el->cap * 2 : 16;
		long *v = realloc(el->v, (size_t)cap * sizeof *v);
		if (!v)
			return -1;
		el->v = v;
		el->cap = cap;
	}
	memmove(&el->v[lo + 1], &el->v[lo], (size_t)(el->n - lo) * sizeof *el->v);
	el->v[lo] = value;
	el->n++;
	return 0;
}

/* ---- the search ------------------------------------------------------------------- */

static int end_state(struct search *x, const struct model_state *st, long node)
{
	if (st->outcome == MODEL_UNSUPPORTED) {
		x->unsupported = 1;
		return 0;
	}
	int o = st->outcome;
	if (o < 0 || o >= N_OUTCOMES)
		return 0;
	if (!x->ends[o]++)
		x->first[o] = node;
	for (int k = 0; k < x->n_el && o == RUN_FINISHED && x->first_wrong < 0; k++) {
		const struct scenario_elem *se = &x->s->objects[x->el[k].obj].elems[x->el[k].index];
		if (se->has_expect && st->o[x->el[k].obj].elems[x->el[k].index] != se->expect)
			x->first_wrong = node;
	}
	for (int k = 0; k < x->n_el; k++)
		if (elem_add(&x->el[k], st->o[x->el[k].obj].elems[x->el[k].index]) < 0)
			return -1;
	return 0;
}

/* Which goals hold at node i's state st (judged as goals_check judges a
 * run, on the model's view): breadth first, the first node is nearest. */
static void goals_see(struct search *x, const struct model_state *st, long i)
{
	const struct engine_view *v = NULL;   /* built once, when a goal asks */
	for (int g = 0; g < x->s->n_goals; g++) {
		if (x->goal_first[g] >= 0)
			continue;
		if (!v)
			v = model_view(x->m, st, x->nodes[i].depth);
		if (goals_holds(x->s, g, v))
			x->goal_first[g] = i;
	}
}

/* Worker w is at a line a goal watches (at-line): its states there are
 * part of what the goal reads, so it does not go first even when its step
 * is its own business. */
static int on_goal_line(const struct search *x, const struct model_state *st, int w)
{
	int in, g = scenario_worker_group(x->s, w, &in);
	const struct scenario_group *gr = &x->s->groups[g];
	int pc = st->w[w].pc;
	for (int k = 0; k < x->s->n_goals && pc >= 0 && pc < gr->n_ops; k++)
		if (x->s->goals[k].kind == GOAL_AT_LINE &&
		    x->s->goals[k].py_line == gr->ops[pc].py_line)
			return 1;
	return 0;
}

/* The workers to try from st: one whose step is its own business when
 * there is one (and reduction is on), else every one that can move. */
static int choices(struct search *x, const struct model_state *st, int *out)
{
	int n = model_movable(x->m, st, out);
	if (x->full)
		return n;
	for (int i = 0; i < n; i++)
		if (model_local(x->m, st, out[i]) && !on_goal_line(x, st, out[i])) {
			out[0] = out[i];
			return 1;
		}
	return n;
}

/* Expand node i: 0, or -1 when the budget or memory ran out. */
static int expand(struct search *x, long i, struct model_state *st, struct model_state *next,
                  int *movable, unsigned char *buf)
{
	model_unpack(x->m, st, x->bytes + x->nodes[i].off);
	goals_see(x, st, i);
	if (st->outcome != RUN_RUNNING)
		return end_state(x, st, i);
	int n = choices(x, st, movable);
	if (n == 0) {
		model_stuck(x->m, st);
		goals_see(x, st, i);
		return end_state(x, st, i);
	}
	for (int k = 0; k < n; k++) {
		model_state_copy(x->m, next, st);
		if (model_step(x->m, next, movable[k]) < 0)
			continue;
		if (x->n_nodes >= x->max_states)
			return -1;
		size_t len = model_pack(x->m, next, buf);
		int rc = store_add(x, buf, len, i, movable[k], x->nodes[i].depth + 1);
		if (rc < 0) {
			x->out_of_memory = 1;
			return -1;
		}
	}
	return 0;
}

static void search_free(struct search *x)
{
	model_free(x->m);
	free(x->nodes);
	free(x->bytes);
	free(x->table);
	for (int k = 0; k < x->n_el; k++)
		free(x->el[k].v);
	free(x->el);
}

static long elapsed_ms(const struct timespec *t0)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (t.tv_sec - t0->tv_sec) * 1000 + (t.tv_nsec - t0->tv_nsec) / 1000000;
}

/* Breadth first from the state after the prefix (workers stepped since
 * the start): 0 (x->complete says whether it saw everything), -1 out of
 * memory before it could begin, or a prefix the model cannot follow. */
static int search_run(struct search *x, const struct scenario *s, uint64_t seed,
                      long max_states, int full, const int *prefix, long n_prefix)
{
	long max_ms = x->max_ms;
	struct timespec t0;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	memset(x, 0, sizeof *x);
	x->s = s;
	x->max_states = max_states;
	x->full = full;
	x->max_ms = max_ms;
	x->first_wrong = -1;
	for (int o = 0; o < N_OUTCOMES; o++)
		x->first[o] = -1;
	for (int g = 0; g < SCENARIO_MAX_GOALS; g++)
		x->goal_first[g] = -1;
	if (!(x->m = model_new(s, seed)) || elems_init(x) < 0)
		return -1;
	struct model_state *st = model_state_new(x->m), *next = model_state_new(x->m);
	int *movable = calloc((size_t)model_workers(x->m), sizeof *movable);
	unsigned char *buf = malloc(model_pack_max(x->m));
	int rc = -1;
	if (st && next && movable && buf) {
		model_initial(x->m, st);
		long k = 0;
		while (k < n_prefix && model_step(x->m, st, prefix[k]) == 0)
			k++;
		size_t len = model_pack(x->m, st, buf);
		if (k == n_prefix && store_add(x, buf, len, 0, -1, 0) == 1) {
			rc = 0;
			x->complete = 1;
			for (long i = 0; i < x->n_nodes; i++)
				if (expand(x, i, st, next, movable, buf) < 0 ||
				    (x->max_ms > 0 && (i & 255) == 255 && elapsed_ms(&t0) > x->max_ms &&
				     (x->out_of_time = 1))) {
					x->complete = 0;
					break;
				}
		}
	}
	model_state_free(st);
	model_state_free(next);
	free(movable);
	free(buf);
	return rc;
}

/* The schedule to node i (worker numbers), malloc'd; *n its length. */
static int *path_to(const struct search *x, long i, long *n)
{
	*n = x->nodes[i].depth;
	int *p = malloc(((size_t)*n + 1) * sizeof *p);
	if (!p)
		return NULL;
	for (long k = *n; k > 0; k--, i = x->nodes[i].parent)
		p[k - 1] = x->nodes[i].worker;
	return p;
}

/* Run prefix then path in the model: its end state's outcome, or -2 when
 * a step cannot be taken. */
static int model_run(struct model *m, struct model_state *st, const int *prefix,
                     long n_prefix, const int *p, long n, int *movable)
{
	model_initial(m, st);
	for (long k = 0; k < n_prefix; k++)
		if (model_step(m, st, prefix[k]) < 0)
			return -2;
	for (long k = 0; k < n; k++)
		if (model_step(m, st, p[k]) < 0)
			return -2;
	if (st->outcome == RUN_RUNNING && model_movable(m, st, movable) == 0)
		model_stuck(m, st);
	return st->outcome;
}

/* Run path p in the model: 1 when goal g holds at some state along it
 * (the start, after each step, once more when nobody can move). */
static int model_reaches(struct model *m, struct model_state *st, const int *p, long n,
                         int g, int *movable)
{
	const struct scenario *s = model_scenario(m);
	model_initial(m, st);
	if (goals_holds(s, g, model_view(m, st, 0)))
		return 1;
	for (long k = 0; k < n; k++) {
		if (model_step(m, st, p[k]) < 0)
			return 0;
		if (goals_holds(s, g, model_view(m, st, k + 1)))
			return 1;
	}
	if (st->outcome == RUN_RUNNING && model_movable(m, st, movable) == 0) {
		model_stuck(m, st);
		return goals_holds(s, g, model_view(m, st, n));
	}
	return 0;
}

/* Does the cut schedule still do what the whole one did: end as want
 * (goal < 0), or reach the goal? */
static int still(struct model *m, struct model_state *st, const int *prefix, long n_prefix,
                 const int *q, long n, int want, int goal, int *movable)
{
	if (goal >= 0)
		return model_reaches(m, st, q, n, goal, movable);
	return model_run(m, st, prefix, n_prefix, q, n, movable) == want;
}

/* Drop the steps a schedule does not need (a reduced search takes a
 * print first that a deadlock does not wait for): the last step of a
 * worker goes when the rest still ends the same. */
static void trim_prefixed(struct model *m, const int *prefix, long n_prefix, int *p,
                          long *n, int want, int goal)
{
	struct model_state *st = model_state_new(m);
	int *movable = calloc((size_t)model_workers(m), sizeof *movable);
	int *q = malloc(((size_t)*n + 1) * sizeof *q);
	if (st && movable && q)
		for (long k = *n - 1; k >= 0; k--) {
			int later = 0;
			for (long j = k + 1; j < *n; j++)
				later |= p[j] == p[k];
			if (later)
				continue;
			memcpy(q, p, (size_t)k * sizeof *q);
			memcpy(q + k, p + k + 1, (size_t)(*n - k - 1) * sizeof *q);
			if (still(m, st, prefix, n_prefix, q, *n - 1, want, goal, movable)) {
				memcpy(p, q, (size_t)(*n - 1) * sizeof *p);
				(*n)--;
			}
		}
	model_state_free(st);
	free(movable);
	free(q);
}

static void trim(struct model *m, int *p, long *n, int want)
{
	trim_prefixed(m, NULL, 0, p, n, want, -1);
}

/* ---- replay on real processes ---------------------------------------------------- */

/* Run schedule p on real processes and check that it ends as the model
 * says (outcome and every value).  0, or -1 with why in err. */
static int verify(const struct scenario *s, const struct engine_options *eo, struct model *m,
                  const int *p, long n, char *err, size_t len)
{
	struct model_state *st = model_state_new(m);
	int *movable = calloc((size_t)model_workers(m), sizeof *movable);
	struct engine_options o = *eo;
	o.schedule = SCHED_ROUND_ROBIN;
	o.timeout_s = 0;
	o.plan = NULL;   /* the schedule to check is p */
	o.plan_len = 0;
	struct engine *e = NULL;
	int rc = -1;
	char why[256];
	if (!st || !movable) {
		snprintf(err, len, "%s", _("out of memory for the search"));
		goto out;
	}
	int want = model_run(m, st, NULL, 0, p, n, movable);
	if (!(e = engine_new(s, &o, err, len)) || engine_start(e) < 0)
		goto out;
	engine_set_stop_fd(e, signals_stop_fd());
	for (long k = 0; k < n; k++)
		if (engine_step(e, p[k], why, sizeof why) < 0) {
			snprintf(err, len, _("the real processes went another way than the model at "
			                     "step %ld: %s"), k + 1, why);
			goto out;
		}
	if (engine_outcome(e) == RUN_RUNNING && !engine_can_step(e))
		engine_run(e, NULL, NULL, signals_stop_fd());
	if (engine_error(e)) {
		snprintf(err, len, "%s", engine_error(e));
		goto out;
	}
	const struct engine_view *v = engine_view(e);
	if (v->outcome == RUN_STOPPED) {
		snprintf(err, len, "%s", _("stopped"));
		goto out;
	}
	if ((int)v->outcome != want) {
		snprintf(err, len, _("the real processes ended %s where the model said %s"),
		         words_outcome(v->outcome), words_outcome((enum run_outcome)want));
		goto out;
	}
	for (int obj = 0; obj < s->n_objects; obj++)
		for (int k = 0; k < s->objects[obj].n_elems; k++)
			if (v->objects[obj].elems[k] != st->o[obj].elems[k]) {
				snprintf(err, len, _("the real processes left %s at %ld where the model "
				                     "said %ld"), s->objects[obj].name,
				         v->objects[obj].elems[k], st->o[obj].elems[k]);
				goto out;
			}
	rc = 0;
out:
	engine_free(e);
	model_state_free(st);
	free(movable);
	return rc;
}

/* Run schedule p on real processes, judging the goals after each step as
 * a run does (headless.c): 0 when goal g is met, or -1 with why in err. */
static int verify_goal(const struct scenario *s, const struct engine_options *eo,
                       const int *p, long n, int g, char *err, size_t len)
{
	struct engine_options o = *eo;
	o.schedule = SCHED_ROUND_ROBIN;
	o.timeout_s = 0;
	o.plan = NULL;
	o.plan_len = 0;
	struct goals gs;
	struct engine *e = NULL;
	char why[256];
	int rc = -1;
	goals_reset(&gs, s);
	if (!(e = engine_new(s, &o, err, len)) || engine_start(e) < 0)
		goto out;
	engine_set_stop_fd(e, signals_stop_fd());
	goals_check(&gs, engine_view(e));
	why[0] = '\0';
	for (long k = 0; k < n && !gs.st[g].met; k++) {
		if (engine_step(e, p[k], why, sizeof why) < 0)
			break;
		goals_check(&gs, engine_view(e));
	}
	if (!gs.st[g].met && engine_outcome(e) == RUN_RUNNING && !engine_can_step(e)) {
		engine_run(e, NULL, NULL, signals_stop_fd());
		goals_check(&gs, engine_view(e));
	}
	if (engine_error(e))
		snprintf(err, len, "%s", engine_error(e));
	else if (engine_outcome(e) == RUN_STOPPED)
		snprintf(err, len, "%s", _("stopped"));
	else if (!gs.st[g].met && why[0])
		snprintf(err, len, _("goal %s: the real processes went another way than the model: "
		                     "%s"), s->goals[g].id, why);
	else if (!gs.st[g].met)
		snprintf(err, len, _("goal %s: the model reaches it in %ld steps, but the real "
		                     "processes did not meet it on that schedule"), s->goals[g].id, n);
	else
		rc = 0;
out:
	engine_free(e);
	return rc;
}

/* ---- the report ---------------------------------------------------------------------- */

struct found {
	int *path[N_OUTCOMES];
	long len[N_OUTCOMES];
	int *goal_path[SCENARIO_MAX_GOALS];    /* NULL: no interleaving seen reaches it */
	long goal_len[SCENARIO_MAX_GOALS];
};

static const char *worker_label(const struct scenario *s, int w, char *buf, size_t len)
{
	int in;
	int g = scenario_worker_group(s, w, &in);
	worker_name(s, g, s->groups[g].first_index + in, buf, len);
	return buf;
}

/* RUN_RUNNING at an end: nobody can move, yet no deadlock is named. */
static const char *outcome_word(int o)
{
	return o == RUN_RUNNING ? _("stuck") : words_outcome((enum run_outcome)o);
}

static void print_text(const struct search *x, const struct found *f, uint64_t seed)
{
	char name[SCENARIO_MAX_NAME + 12];
	printf(_("== %s: every interleaving ==\n"), x->s->id);
	printf(_("  states     %ld visited (seed %llu for random sleeps)\n"), x->n_nodes,
	       (unsigned long long)seed);
	if (!x->complete)
		printf(_("  INCOMPLETE: %s; what follows is only part of what can happen\n"),
		       x->out_of_memory ? _("the search reached its memory budget (160 MB)") :
		       x->out_of_time ? _("the search ran out of time (a minute)") :
		                        _("the search reached its budget of states (--explore=N)"));
	if (x->unsupported)
		printf("%s", _("  INCOMPLETE: a pipe held more items than the model follows\n"));
	long ends = 0;
	for (int o = 0; o < N_OUTCOMES; o++)
		ends += x->ends[o];
	if (!x->complete && ends == 0)
		printf("%s", _("  no interleaving reached its end within the budget: fewer workers "
		               "(--workers=3) make a space that can be seen whole\n"));
	printf("%s", _("  outcomes  "));
	for (int o = RUN_FINISHED; o < N_OUTCOMES; o++)
		printf(_(" %s: %ld"), outcome_word(o), x->ends[o]);
	if (x->ends[RUN_RUNNING])
		printf(_(" %s: %ld"), outcome_word(RUN_RUNNING), x->ends[RUN_RUNNING]);
	printf("%s", _("  (end states)\n"));
	for (int k = 0; k < x->n_el; k++) {
		const struct elem_set *el = &x->el[k];
		const struct scenario_elem *se = &x->s->objects[el->obj].elems[el->index];
		printf(_("  %s: every final value:"), el->name);
		for (int i = 0; i < el->n; i++)
			printf(" %ld", el->v[i]);
		if (se->has_expect)
			printf(_(" (expected %ld)"), se->expect);
		printf("\n");
	}
	for (int o = 0; o < N_OUTCOMES; o++) {
		if (!f->path[o])
			continue;
		printf(ngettext("  shortest %s: %ld step, replayed on real processes:",
		                "  shortest %s: %ld steps, replayed on real processes:",
		                (unsigned long)f->len[o]), outcome_word(o), f->len[o]);
		for (long k = 0; k < f->len[o]; k++)
			printf(" %s", worker_label(x->s, f->path[o][k], name, sizeof name));
		printf("\n");
	}
	for (int g = 0; g < x->s->n_goals; g++) {
		const char *id = x->s->goals[g].id;
		if (!f->goal_path[g]) {
			printf(x->complete && !x->unsupported ? _("  goal %s: no interleaving reaches it\n")
			       : _("  goal %s: not reached within the search's budget\n"), id);
			continue;
		}
		printf(ngettext("  goal %s: reached in %ld step, replayed on real processes:",
		                "  goal %s: reached in %ld steps, replayed on real processes:",
		                (unsigned long)f->goal_len[g]), id, f->goal_len[g]);
		for (long k = 0; k < f->goal_len[g]; k++)
			printf(" %s", worker_label(x->s, f->goal_path[g][k], name, sizeof name));
		printf("\n");
	}
}

static void print_json(const struct search *x, const struct found *f, uint64_t seed)
{
	char name[SCENARIO_MAX_NAME + 12];
	printf("{\"type\":\"explore\",\"scenario\":");
	trace_json_string(stdout, x->s->id);
	printf(",\"seed\":%llu,\"states\":%ld,\"complete\":%s,\"outcomes\":{",
	       (unsigned long long)seed, x->n_nodes,
	       x->complete && !x->unsupported ? "true" : "false");
	printf("\"finished\":%ld,\"deadlock\":%ld", x->ends[RUN_FINISHED], x->ends[RUN_DEADLOCK]);
	if (x->ends[RUN_RUNNING])
		printf(",\"stuck\":%ld", x->ends[RUN_RUNNING]);
	printf("},\"values\":{");
	for (int k = 0; k < x->n_el; k++) {
		printf("%s", k ? "," : "");
		trace_json_string(stdout, x->el[k].name);
		printf(":[");
		for (int i = 0; i < x->el[k].n; i++)
			printf("%s%ld", i ? "," : "", x->el[k].v[i]);
		printf("]");
	}
	printf("},\"shortest\":{");
	for (int o = 0, c = 0; o < N_OUTCOMES; o++)
		if (f->path[o])
			printf("%s\"%s\":%ld", c++ ? "," : "",
			       o == RUN_RUNNING ? "stuck" : outcome_name((enum run_outcome)o), f->len[o]);
	printf("},\"schedules\":{");
	for (int o = 0, c = 0; o < N_OUTCOMES; o++) {
		if (!f->path[o])
			continue;
		printf("%s\"%s\":[", c++ ? "," : "",
		       o == RUN_RUNNING ? "stuck" : outcome_name((enum run_outcome)o));
		for (long k = 0; k < f->len[o]; k++) {
			printf("%s", k ? "," : "");
			trace_json_string(stdout, worker_label(x->s, f->path[o][k], name, sizeof name));
		}
		printf("]");
	}
	printf("},\"goals\":{");
	for (int g = 0; g < x->s->n_goals; g++) {
		printf("%s", g ? "," : "");
		trace_json_string(stdout, x->s->goals[g].id);
		if (f->goal_path[g])
			printf(":%ld", f->goal_len[g]);
		else
			printf(":%s", "null");
	}
	printf("},\"goal_schedules\":{");
	for (int g = 0, c = 0; g < x->s->n_goals; g++) {
		if (!f->goal_path[g])
			continue;
		printf("%s", c++ ? "," : "");
		trace_json_string(stdout, x->s->goals[g].id);
		printf(":[");
		for (long k = 0; k < f->goal_len[g]; k++) {
			printf("%s", k ? "," : "");
			trace_json_string(stdout, worker_label(x->s, f->goal_path[g][k], name, sizeof name));
		}
		printf("]");
	}
	printf("}}\n");
}

/* The shortest deadlock (else finish) as a replay file (replay.h). */
/* With --goal, the shortest schedule to that goal: its header says
 * "goal ID" where an outcome would be. */
static int write_record(const struct search *x, const struct found *f,
                        const struct explore_options *o, char *err, size_t len)
{
	int k = f->path[RUN_DEADLOCK] ? RUN_DEADLOCK : RUN_FINISHED;
	const int *p = f->path[k];
	long n = f->len[k];
	char what[SCENARIO_MAX_NAME + 8];
	snprintf(what, sizeof what, "%s", outcome_name((enum run_outcome)k));
	if (o->goal >= 0) {
		p = f->goal_path[o->goal];
		n = f->goal_len[o->goal];
		snprintf(what, sizeof what, "goal %s", x->s->goals[o->goal].id);
	}
	if (!p) {
		if (o->goal >= 0)
			snprintf(err, len, _("--record: no interleaving found reaches goal %s"),
			         x->s->goals[o->goal].id);
		else
			snprintf(err, len, "%s", _("--record: no schedule was found to write"));
		return -1;
	}
	struct engine_choice *c = calloc((size_t)n + 1, sizeof *c);
	if (!c) {
		snprintf(err, len, "%s", _("out of memory for the search"));
		return -1;
	}
	for (long i = 0; i < n; i++)
		c[i] = (struct engine_choice){ .worker = p[i], .at_step = i };
	struct replay_header h = o->header;
	h.outcome = what;
	if (!h.scenario)
		h.scenario = x->s->id;
	int rc = replay_write(o->record, &h, x->s, c, n, err, len);
	free(c);
	return rc;
}

/* The shortest schedule to each outcome found, cut and replayed. */
static int find_paths(struct search *x, const struct explore_options *o, struct found *f,
                      char *err, size_t len)
{
	for (int k = 0; k < N_OUTCOMES; k++) {
		if (x->first[k] < 0)
			continue;
		if (!(f->path[k] = path_to(x, x->first[k], &f->len[k]))) {
			snprintf(err, len, "%s", _("out of memory for the search"));
			return -1;
		}
		if (!x->full)
			trim(x->m, f->path[k], &f->len[k], k);
		if (verify(x->s, &o->engine, x->m, f->path[k], f->len[k], err, len) < 0)
			return -1;
	}
	for (int g = 0; g < x->s->n_goals; g++) {
		if (x->goal_first[g] < 0)
			continue;
		if (!(f->goal_path[g] = path_to(x, x->goal_first[g], &f->goal_len[g]))) {
			snprintf(err, len, "%s", _("out of memory for the search"));
			return -1;
		}
		if (!x->full)
			trim_prefixed(x->m, NULL, 0, f->goal_path[g], &f->goal_len[g], 0, g);
		if (verify_goal(x->s, &o->engine, f->goal_path[g], f->goal_len[g], g, err, len) < 0)
			return -1;
	}
	return 0;
}

int explore_run(const struct scenario *s, const struct explore_options *o)
{
	struct search x;
	struct found f;
	memset(&f, 0, sizeof f);
	char err[512] = "";
	int status = 0;
	if (o->engine.schedule == SCHED_OS) {
		fprintf(stderr, "lockstep: %s\n", _("--explore needs a controlled schedule "
		        "(random or round-robin): the os schedule is the kernel's, not lockstep's"));
		return 2;
	}
	/* The search forks nothing: a stop signal ends it at once (the
	 * handler's default).  The replays that follow watch for it. */
	x.max_ms = EXPLORE_MAX_SECONDS * 1000L;
	int rc = search_run(&x, s, o->engine.seed, o->max_states, o->full, NULL, 0);
	signals_watch(1);
	if (rc < 0) {
		snprintf(err, sizeof err, "%s", _("out of memory for the search"));
		status = 1;
	} else if (find_paths(&x, o, &f, err, sizeof err) < 0) {
		status = 1;
	} else if (o->record && write_record(&x, &f, o, err, sizeof err) < 0) {
		status = 1;
	}
	signals_watch(0);
	if (status)
		fprintf(stderr, "lockstep: %s\n", err);
	else if (o->json)
		print_json(&x, &f, o->engine.seed);
	else
		print_text(&x, &f, o->engine.seed);
	for (int k = 0; k < N_OUTCOMES; k++)
		free(f.path[k]);
	for (int g = 0; g < SCENARIO_MAX_GOALS; g++)
		free(f.goal_path[g]);
	search_free(&x);
	int werr = trace_stdout_flush();
	return status ? status : werr ? trace_output_failed(werr) : 0;
}

int *explore_hint(const struct scenario *s, uint64_t seed, const int *prefix, long n_prefix,
                  long max_states, long max_ms, enum explore_goal *goal, long *n,
                  int *complete)
{
	struct search x;
	int *p = NULL;
	*n = 0;
	*complete = 0;
	x.max_ms = max_ms;
	if (search_run(&x, s, seed, max_states, 0, prefix, n_prefix) == 0) {
		*complete = x.complete && !x.unsupported;
		long node = x.first[RUN_DEADLOCK];
		int want = RUN_DEADLOCK;
		*goal = EXPLORE_DEADLOCK;
		if (node < 0) {
			node = x.first_wrong;
			want = RUN_FINISHED;
			*goal = EXPLORE_WRONG;
		}
		if (node >= 0 && (p = path_to(&x, node, n)) && want == RUN_DEADLOCK)
			trim_prefixed(x.m, prefix, n_prefix, p, n, want, -1);
	}
	search_free(&x);
	return p;
}

int explore_check(const struct scenario *s, uint64_t seed, const int *p, long n, char *err,
                  size_t len)
{
	struct engine_options o = { .schedule = SCHED_ROUND_ROBIN, .seed = seed, .speed = 1,
	                            .switch_p = 1 };
	struct model *m = model_new(s, seed);
	if (!m) {
		snprintf(err, len, "%s", _("out of memory for the search"));
		return -1;
	}
	int rc = verify(s, &o, m, p, n, err, len);
	model_free(m);
	return rc;
}
