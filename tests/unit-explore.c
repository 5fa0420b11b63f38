/*
 * unit-explore.c: the model of the ops (src/model.c) against the real
 * engine, on every bundled lesson and every scenario of tests/good/.
 *
 * --explore searches on the model, so the model must be the engine: for
 * a sample of schedules per scenario (random walks the model picks among
 * the workers it says can move), the same workers are stepped on real
 * processes with engine_step(e, w), and after every step the two must
 * agree on everything a step can change: the outcome, the virtual clock,
 * each worker's state, pc, register, what it waits on and holds, each
 * object's values, count, holders, owner, flag, items and queue of
 * waiters in order.  And at every step the same workers can move: the
 * one the walk picks is accepted, every one the model says cannot move
 * is refused.  Also: a packed state unpacks to itself.
 */
#include "config.h"

#include <dirent.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "engine.h"
#include "model.h"
#include "scenario.h"
#include "testlib.h"

#define WALKS 3          /* schedules per scenario */
#define WALK_STEPS 300   /* steps of one schedule at most */

static int differ(const struct engine_view *v, const struct model *m,
                  const struct model_state *st, char *why, size_t len)
{
	const struct scenario *s = v->scenario;
	if ((int)v->outcome != st->outcome)
		return snprintf(why, len, "outcome %s, model %d", outcome_name(v->outcome),
		                st->outcome);
	if (v->clock_ms != st->clock)
		return snprintf(why, len, "clock %ld, model %ld", v->clock_ms, st->clock);
	for (int w = 0; w < model_workers(m); w++) {
		const struct worker_view *a = &v->workers[w];
		const struct model_worker *b = &st->w[w];
		if ((int)a->state != b->state || a->pc != b->pc || a->waits_on != b->waits_on ||
		    a->reg != b->reg)
			return snprintf(why, len, "%s: state %s pc %d waits %d reg %ld, model "
			                "state %s pc %d waits %d reg %ld", a->name,
			                worker_state_name(a->state), a->pc, a->waits_on, a->reg,
			                worker_state_name((enum worker_state)b->state), b->pc,
			                b->waits_on, b->reg);
		for (int o = 0; o < s->n_objects; o++)
			if (a->holds[o] != b->pholds[o])
				return snprintf(why, len, "%s holds %d of %s, model %d", a->name,
				                a->holds[o], s->objects[o].name, b->pholds[o]);
	}
	for (int o = 0; o < s->n_objects; o++) {
		const struct object_view *a = &v->objects[o];
		const struct model_object *b = &st->o[o];
		const char *name = s->objects[o].name;
		for (int k = 0; k < s->objects[o].n_elems; k++)
			if (a->elems[k] != b->elems[k])
				return snprintf(why, len, "%s[%d] = %ld, model %ld", name, k,
				                a->elems[k], b->elems[k]);
		if (kind_is(s->objects[o].kind, KF_VALUELIKE))
			continue;
		if (a->value != b->value || a->holders != b->holders || a->owner != b->owner ||
		    a->flag != b->flag || a->n_items != b->n_items)
			return snprintf(why, len, "%s: value %ld holders %d owner %d flag %d items %d, "
			                "model %ld %d %d %d %d", name, a->value, a->holders, a->owner,
			                a->flag, a->n_items, b->value, b->holders, b->owner, b->flag,
			                b->n_items);
		for (int i = 0; i < a->n_items && i < MODEL_MAX_ITEMS; i++)
			if (a->items[i] != b->items[i])
				return snprintf(why, len, "%s item %d: %ld, model %ld", name, i,
				                a->items[i], b->items[i]);
		int queued = 0;
		for (int w = 0; w < model_workers(m); w++)
			queued += st->w[w].qobj == o;
		if (queued != a->queue_len)
			return snprintf(why, len, "%s: %d queued, model %d", name, a->queue_len, queued);
		for (int i = 0; i < a->queue_len; i++)
			if (st->w[a->queue[i]].qobj != o || st->w[a->queue[i]].qpos != i)
				return snprintf(why, len, "%s: queue place %d is worker %d, not in the "
				                "model's", name, i, a->queue[i]);
	}
	return 0;
}

static uint64_t next_rand(uint64_t *x)
{
	*x ^= *x << 13;
	*x ^= *x >> 7;
	*x ^= *x << 17;
	return *x;
}

/* One random walk of the model, stepped on real processes alongside. */
static void walk(const struct scenario *s, uint64_t seed, const char *what)
{
	struct model *m = model_new(s, seed);
	assert_non_null(m);
	struct model_state *st = model_state_new(m), *back = model_state_new(m);
	int *movable = calloc((size_t)model_workers(m), sizeof *movable);
	unsigned char *buf = malloc(model_pack_max(m));
	assert_true(st && back && movable && buf);
	struct engine *e = start(s, SCHED_ROUND_ROBIN, seed);
	char why[512];
	uint64_t r = seed * 2654435761u + 1;
	model_initial(m, st);
	for (int k = 0; k <= WALK_STEPS; k++) {
		if (differ(engine_view(e), m, st, why, sizeof why))
			fail_msg("%s, seed %llu, after %d steps: %s", what, (unsigned long long)seed,
			         k, why);
		model_pack(m, st, buf);
		model_unpack(m, back, buf);
		if (differ(engine_view(e), m, back, why, sizeof why))
			fail_msg("%s: unpacked state after %d steps: %s", what, k, why);
		int n = model_movable(m, st, movable);
		if (n == 0 || k == WALK_STEPS) {
			if (getenv("EXPLORE_DEBUG"))
				fprintf(stderr, "%s seed %llu: %d steps, %s\n", what,
				        (unsigned long long)seed, k, outcome_name(engine_view(e)->outcome));
			break;
		}
		/* Who can move: every worker the model says cannot is refused
		 * by the engine too (a refusal changes nothing but the clock's
		 * move, which the step that follows makes anyway). */
		for (int x = 0, i = 0; x < model_workers(m); x++) {
			if (i < n && movable[i] == x) {
				i++;
				continue;
			}
			if (engine_step(e, x, why, sizeof why) >= 0)
				fail_msg("%s, seed %llu, step %d: the engine lets worker %d move, "
				         "the model does not", what, (unsigned long long)seed, k + 1, x);
		}
		int w = movable[next_rand(&r) % (uint64_t)n];
		if (engine_step(e, w, why, sizeof why) != w)
			fail_msg("%s, seed %llu, step %d: the model moves worker %d, the engine "
			         "says: %s", what, (unsigned long long)seed, k + 1, w, why);
		assert_int_equal(model_step(m, st, w), 0);
	}
	finish(e, what);
	model_state_free(st);
	model_state_free(back);
	free(movable);
	free(buf);
	model_free(m);
}

static void walk_dir(const char *dir)
{
	DIR *d = opendir(dir);
	if (!d)
		fail_msg("cannot open %s", dir);
	struct dirent *de;
	int n = 0;
	while ((de = readdir(d))) {
		size_t len = strlen(de->d_name);
		if (len < 6 || strcmp(de->d_name + len - 5, ".yaml") != 0)
			continue;
		char path[4096];
		snprintf(path, sizeof path, "%s/%s", dir, de->d_name);
		struct scenario *s = load_path(path);
		if (scenario_worker_count(s) > 200) {   /* the model is for small runs */
			drop(s);
			continue;
		}
		/* As written, then with every process started at once, where
		 * far more interleavings are possible. */
		for (uint64_t seed = 1; seed <= WALKS; seed++)
			walk(s, seed, de->d_name);
		s->process_start_ms = 0;
		for (uint64_t seed = 1; seed <= WALKS; seed++)
			walk(s, seed, de->d_name);
		drop(s);
		n++;
	}
	closedir(d);
	assert_true(n > 0);
}

static void test_model_agrees_lessons(void **state)
{
	(void)state;
	const char *dir = getenv("SCENARIOS");
	walk_dir(dir ? dir : ABS_TOP_SRCDIR "/scenarios");
}

static void test_model_agrees_good(void **state)
{
	(void)state;
	const char *dir = getenv("TESTDIR");
	char path[4096];
	snprintf(path, sizeof path, "%s/good", dir ? dir : ABS_TOP_SRCDIR "/tests");
	walk_dir(path);
}

int main(void)
{
	if (testlib_init("unit-explore", 50.0) != 0)
		return 1;
	const struct CMUnitTest tests[] = {
		T(test_model_agrees_lessons),
		T(test_model_agrees_good),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
