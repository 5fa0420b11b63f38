/*
 * unit-engine.c: the engine, tested for real.
 *
 * Every test loads a real scenario (a bundled one, or a small file written
 * to a temporary directory here), lets the real engine fork real worker
 * processes onto real process-shared primitives, and checks what the
 * engine's view and trace say against what the lesson says must happen:
 * a locked counter ends at 0, an unlocked one loses updates, a semaphore
 * of 4 never has a fifth holder, two locks taken in opposite orders
 * deadlock.  Nothing is mocked and nothing waits on a timer: a run ends
 * when the engine says so, and every test ends by freeing its engine and
 * checking that none of the processes it started still exists.
 *
 * make check exports SCENARIOS (the bundled scenarios' directory); run by
 * hand, the source tree's scenarios/ is used.
 */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "deadlock.h"
#include "engine.h"
#include "words.h"
#include "scenario.h"
#include "testlib.h"

/* ---- traces ------------------------------------------------------------------ */

static struct rec *trace_of_run(const struct scenario *s, enum schedule sched, uint64_t seed,
                                long *n, enum run_outcome want)
{
	struct engine *e = start(s, sched, seed);
	assert_outcome(run(e), want, "trace run");
	struct rec *r = copy_trace(e, n);
	finish(e, "trace run");
	return r;
}

/* Eight workers asleep for ten minutes each (then a print). */
static const char long_sleep_yaml[] =
	"lockstep: 1\n"
	"id: long-sleep\n"
	"title: {en: Ten minutes of sleep}\n"
	"objects: []\n"
	"workers:\n"
	"  - name: sleeper\n"
	"    count: 8\n"
	"    program:\n"
	"      - sleep: 600\n"
	"      - print: \"{name} woke up\"\n";

/* ---- the locked counter ------------------------------------------------------ */

/* The end of a counter-locked run: all 100 workers took the lock once each
 * and the count is exact (a check_fn; WHAT is not needed). */
static void check_locked_end(struct engine *e, const struct scenario *s, const char *what)
{
	(void)what;
	const int workers = 100;
	const struct engine_view *v = engine_view(e);
	int count = obj(s, "count"), lock = obj(s, "lock");
	assert_int_equal(v->n_workers, workers);
	assert_int_equal(count_state(e, WS_DONE), workers);
	assert_int_equal(v->objects[count].value, 100 - workers);
	assert_int_equal(v->objects[count].intended, 100 - workers);
	assert_int_equal(v->objects[count].updates, workers);
	assert_int_equal(v->objects[count].lost, 0);
	assert_int_equal(v->objects[lock].peak, 1);
	assert_int_equal(v->objects[lock].holders, 0);
	assert_int_equal(v->objects[lock].owner, -1);
	assert_int_equal(v->objects[lock].queue_len, 0);
	assert_int_equal(v->cycle_len, 0);
	assert_true(v->steps > 0);
	assert_int_equal(count_events(e, EV_ACQUIRED, lock, -1), workers);
	assert_int_equal(count_events(e, EV_RELEASED, lock, -1), workers);
	assert_int_equal(count_events(e, EV_EXIT, -1, -1), workers);
	assert_int_equal(count_events(e, EV_KILLED, -1, -1), 0);
	assert_int_equal(count_events(e, EV_ERROR, -1, -1), 0);
	for (int w = 0; w < v->n_workers; w++) {
		assert_int_equal(v->workers[w].pc, s->groups[0].n_ops);
		assert_int_equal(v->workers[w].holds[lock], 0);
		assert_true(WIFEXITED(v->workers[w].exit_status));
		assert_int_equal(WEXITSTATUS(v->workers[w].exit_status), 0);
	}
}

static void test_locked_os(void **state)
{
	(void)state;
	struct scenario *s = load("counter-locked");
	run_checked(s, SCHED_OS, 1, RUN_FINISHED, check_locked_end, "counter-locked os");
	drop(s);
}

static void test_locked_random_seeds(void **state)
{
	(void)state;
	struct scenario *s = load("counter-locked");
	for (uint64_t seed = 1; seed <= 10; seed++) {
		struct engine *e = start(s, SCHED_RANDOM, seed);
		assert_outcome(run(e), RUN_FINISHED, "counter-locked random");
		assert_int_equal(engine_view(e)->seed, seed);
		check_locked_end(e, s, "counter-locked random");
		finish(e, "counter-locked random");
	}
	drop(s);
}

static void test_locked_round_robin(void **state)
{
	(void)state;
	struct scenario *s = load("counter-locked");
	run_checked(s, SCHED_ROUND_ROBIN, 0, RUN_FINISHED, check_locked_end,
	            "counter-locked round-robin");
	drop(s);
}

/* Step by hand and look at every intermediate picture: one holder at most,
 * it is the owner, the waiters are queued, and the count only moves under
 * the lock. */
static void test_locked_every_step(void **state)
{
	(void)state;
	struct scenario *s = load("counter-locked");
	int count = obj(s, "count"), lock = obj(s, "lock");
	struct engine *e = start(s, SCHED_RANDOM, 42);
	const struct engine_view *v = engine_view(e);
	int max_queue = 0;
	long last_value = 100;
	while (engine_outcome(e) == RUN_RUNNING) {
		char why[256] = "";
		int w = engine_step(e, -1, why, sizeof why);
		if (w < 0)
			fail_msg("no step while running: %s", why);
		v = engine_view(e);
		const struct object_view *l = &v->objects[lock];
		assert_true(l->holders <= 1);
		int holders = 0, blocked = 0;
		for (int i = 0; i < v->n_workers; i++) {
			holders += v->workers[i].holds[lock];
			if (v->workers[i].state == WS_BLOCKED) {
				assert_int_equal(v->workers[i].waits_on, lock);
				blocked++;
			}
		}
		assert_int_equal(holders, l->holders);
		if (l->holders)
			assert_int_equal(v->workers[l->owner].holds[lock], 1);
		else
			assert_int_equal(l->owner, -1);
		/* Every blocked worker is in the queue. */
		assert_true(l->queue_len >= blocked);
		if (l->queue_len > max_queue)
			max_queue = l->queue_len;
		if (v->objects[count].value != last_value) {
			/* Only the owner writes, by exactly one. */
			assert_int_equal(v->objects[count].value, last_value - 1);
			assert_int_equal(l->owner, w);
			last_value = v->objects[count].value;
		}
	}
	assert_outcome(engine_outcome(e), RUN_FINISHED, "counter-locked by steps");
	assert_true(max_queue > 0);   /* somebody did wait at the door */
	assert_true(count_events(e, EV_WAIT, lock, -1) > 0);
	check_locked_end(e, s, "counter-locked by steps");
	finish(e, "counter-locked by steps");
	drop(s);
}

/* ---- the unlocked counter ----------------------------------------------------- */

/* The end of a counter-unlocked run: 100 decrements attempted, and every
 * one the count does not show is counted lost (a check_fn). */
static void check_unlocked_end(struct engine *e, const struct scenario *s, const char *what)
{
	(void)what;
	const struct engine_view *v = engine_view(e);
	int count = obj(s, "count");
	const struct object_view *c = &v->objects[count];
	assert_int_equal(count_state(e, WS_DONE), 100);
	assert_int_equal(c->updates, 100);               /* 100 decrements attempted */
	assert_int_equal(c->intended, 0);                /* 100 - 100 */
	assert_true(s->objects[count].has_expect);
	assert_int_equal(s->objects[count].expect, 0);
	assert_true(c->value >= 0 && c->value < 100);
	assert_int_equal(c->lost, c->value - s->objects[count].expect);
	/* The trace agrees: the last write is the final value. */
	long n;
	const struct event *ev = engine_events(e, &n);
	long last = LONG_MIN, stores = 0;
	for (long i = 0; i < n; i++)
		if (ev[i].kind == EV_STORE) {
			last = ev[i].value;
			stores++;
		}
	assert_int_equal(stores, 100);
	assert_int_equal(last, c->value);
}

static void test_unlocked_loses_updates(void **state)
{
	(void)state;
	struct scenario *s = load("counter-unlocked");
	int count = obj(s, "count"), lossy = 0;
	for (uint64_t seed = 1; seed <= 20; seed++) {
		struct engine *e = start(s, SCHED_RANDOM, seed);
		assert_outcome(run(e), RUN_FINISHED, "counter-unlocked random");
		check_unlocked_end(e, s, "counter-unlocked random");
		if (engine_view(e)->objects[count].value > 0)
			lossy++;
		finish(e, "counter-unlocked random");
	}
	if (lossy < 15)
		fail_msg("only %d of 20 seeds lost an update", lossy);
	drop(s);
}

static void test_unlocked_os_counts_lost(void **state)
{
	(void)state;
	struct scenario *s = load("counter-unlocked");
	run_checked(s, SCHED_OS, 1, RUN_FINISHED, check_unlocked_end, "counter-unlocked os");
	drop(s);
}

/* A lost update, made by hand: two loads, then two stores. */
static void test_unlocked_lost_by_hand(void **state)
{
	(void)state;
	struct scenario *s = load("counter-unlocked");
	int count = obj(s, "count");
	struct engine *e = start(s, SCHED_RANDOM, 1);
	const struct engine_view *v = engine_view(e);
	char why[256];
	assert_int_equal(engine_step(e, 0, why, sizeof why), 0);   /* work0 loads 100 */
	assert_int_equal(engine_step(e, 1, why, sizeof why), 1);   /* work1 loads 100 */
	v = engine_view(e);
	assert_int_equal(v->workers[0].reg, 100);
	assert_int_equal(v->workers[1].reg, 100);
	assert_int_equal(engine_step(e, 0, why, sizeof why), 0);   /* stores 99 */
	v = engine_view(e);
	assert_int_equal(v->objects[count].value, 99);
	assert_int_equal(v->objects[count].lost, 0);
	assert_int_equal(v->workers[0].state, WS_DONE);
	assert_int_equal(engine_step(e, 1, why, sizeof why), 1);   /* stores 99 again */
	v = engine_view(e);
	assert_int_equal(v->objects[count].value, 99);
	assert_int_equal(v->objects[count].intended, 98);
	assert_int_equal(v->objects[count].lost, 1);
	long n;
	const struct event *ev = engine_events(e, &n);
	assert_int_equal(ev[n - 2].kind, EV_STORE);   /* then work1's EV_EXIT */
	assert_int_equal(ev[n - 2].value, 99);
	assert_int_equal(ev[n - 2].extra, 99);        /* it wrote over work0's 99 */
	assert_outcome(run(e), RUN_FINISHED, "lost update by hand");
	assert_int_equal(engine_view(e)->objects[count].lost,
	                 engine_view(e)->objects[count].value);
	assert_true(engine_view(e)->objects[count].value >= 1);
	finish(e, "lost update by hand");
	drop(s);
}

/* ---- reproducibility ------------------------------------------------------ */

static void test_same_seed_same_trace(void **state)
{
	(void)state;
	const char *ids[] = { "counter-unlocked", "counter-locked", "ktv", "deadlock" };
	const enum run_outcome want[] = { RUN_FINISHED, RUN_FINISHED, RUN_FINISHED, RUN_DEADLOCK };
	for (size_t i = 0; i < sizeof ids / sizeof *ids; i++) {
		struct scenario *s = load(ids[i]);
		for (int sched = SCHED_RANDOM; sched <= SCHED_ROUND_ROBIN; sched++) {
			long na, nb;
			struct rec *a = trace_of_run(s, (enum schedule)sched, 11, &na, want[i]);
			struct rec *b = trace_of_run(s, (enum schedule)sched, 11, &nb, want[i]);
			char what[128];
			snprintf(what, sizeof what, "%s %s seed 11 twice", ids[i],
			         schedule_name((enum schedule)sched));
			assert_same_trace(a, na, b, nb, what);
			free(a);
			free(b);
		}
		drop(s);
	}
}

static void test_other_seed_other_trace(void **state)
{
	(void)state;
	struct scenario *s = load("counter-unlocked");
	long na, nb;
	struct rec *a = trace_of_run(s, SCHED_RANDOM, 11, &na, RUN_FINISHED);
	struct rec *b = trace_of_run(s, SCHED_RANDOM, 12, &nb, RUN_FINISHED);
	char why[512];
	int differ = na != nb;
	for (long i = 0; i < na && i < nb && !differ; i++)
		differ = rec_diff(&a[i], &b[i], why, sizeof why);
	assert_true(differ);
	free(a);
	free(b);
	drop(s);
}

/* ---- the semaphore: KTV --------------------------------------------------- */

static void test_ktv(void **state)
{
	(void)state;
	struct scenario *s = load("ktv");
	int sem = obj(s, "sem");
	int saw_four = 0, saw_wait = 0;
	for (uint64_t seed = 1; seed <= 10; seed++) {
		struct engine *e = start(s, SCHED_RANDOM, seed);
		assert_outcome(run(e), RUN_FINISHED, "ktv random");
		const struct engine_view *v = engine_view(e);
		const struct object_view *o = &v->objects[sem];
		assert_int_equal(v->n_workers, 13);
		assert_int_equal(count_state(e, WS_DONE), 13);
		assert_true(o->peak <= 4);
		assert_true(o->peak >= 1);
		saw_four |= o->peak == 4;
		assert_int_equal(o->holders, 0);
		assert_int_equal(o->value, 4);        /* every room given back */
		assert_int_equal(o->count_lost, 0);
		assert_int_equal(o->queue_len, 0);
		assert_true(v->clock_ms > 0);         /* the sleeps took virtual time */
		assert_int_equal(count_events(e, EV_ACQUIRED, sem, -1), 13);
		assert_int_equal(count_events(e, EV_RELEASED, sem, -1), 13);
		assert_int_equal(count_events(e, EV_PRINT, -1, -1), 13);
		assert_int_equal(count_events(e, EV_SLEEP, -1, -1), 13);
		saw_wait |= count_events(e, EV_WAIT, sem, -1) > 0;
		/* No acquire ever reported a fifth holder. */
		long n;
		const struct event *ev = engine_events(e, &n);
		for (long i = 0; i < n; i++) {
			if (ev[i].kind == EV_ACQUIRED)
				assert_true(ev[i].value >= 1 && ev[i].value <= 4);
			if (ev[i].kind == EV_WAIT)
				assert_true(ev[i].value >= 1);   /* its place in the queue */
			if (ev[i].kind == EV_SLEEP)
				assert_true(ev[i].value >= 0 && ev[i].value <= 3000 &&
				            ev[i].value % 1000 == 0);   /* randint(0,3) s */
		}
		finish(e, "ktv random");
	}
	assert_true(saw_four);
	assert_true(saw_wait);
	drop(s);
}

/* Step by hand: the queue is visible, in arrival order, and the count plus
 * the holders is always the 4 rooms. */
static void test_ktv_queue_every_step(void **state)
{
	(void)state;
	struct scenario *s = load("ktv");
	int sem = obj(s, "sem");
	struct engine *e = start(s, SCHED_ROUND_ROBIN, 0);
	const struct engine_view *v;
	int max_queue = 0;
	while (engine_outcome(e) == RUN_RUNNING) {
		char why[256] = "";
		if (engine_step(e, -1, why, sizeof why) < 0)
			fail_msg("no step while running: %s", why);
		v = engine_view(e);
		const struct object_view *o = &v->objects[sem];
		assert_true(o->holders >= 0 && o->holders <= 4);
		assert_int_equal(o->value + o->holders, 4);
		int blocked = 0;
		for (int w = 0; w < v->n_workers; w++)
			if (v->workers[w].state == WS_BLOCKED) {
				assert_int_equal(v->workers[w].waits_on, sem);
				blocked++;
				int queued = 0;
				for (int q = 0; q < o->queue_len; q++)
					queued |= o->queue[q] == w;
				assert_true(queued);
			}
		assert_true(o->queue_len >= blocked);
		if (o->queue_len > max_queue)
			max_queue = o->queue_len;
	}
	assert_outcome(engine_outcome(e), RUN_FINISHED, "ktv by steps");
	/* Round-robin: the first four take the rooms, so the others queue. */
	assert_true(max_queue > 0);
	assert_int_equal(engine_view(e)->objects[sem].peak, 4);
	finish(e, "ktv by steps");
	drop(s);
}

static void test_ktv_os(void **state)
{
	(void)state;
	struct scenario *s = load("ktv");
	int sem = obj(s, "sem");
	struct engine_options o = {
		.schedule = SCHED_OS, .seed = 3, .speed = 100, .timeout_s = GUARD_S,
	};
	struct engine *e = start_opts(s, &o);
	assert_outcome(run(e), RUN_FINISHED, "ktv os");
	const struct engine_view *v = engine_view(e);
	assert_int_equal(count_state(e, WS_DONE), 13);
	assert_true(v->objects[sem].peak >= 1 && v->objects[sem].peak <= 4);
	assert_int_equal(v->objects[sem].holders, 0);
	finish(e, "ktv os");
	drop(s);
}

/* ---- deadlock --------------------------------------------------------------- */

/* The end of a deadlock.yaml run: a cycle of two workers, each holding the
 * lock the other waits for, and no step possible (a check_fn). */
static void check_deadlock(struct engine *e, const struct scenario *s, const char *what)
{
	const struct engine_view *v = engine_view(e);
	int a = obj(s, "mutexA"), b = obj(s, "mutexB");
	assert_int_equal(v->cycle_len, 2);
	assert_non_null(v->cycle);
	const struct cycle_link *c = v->cycle;
	assert_true(c[0].worker != c[1].worker);
	assert_int_equal(c[0].holds, c[1].waits);
	assert_int_equal(c[1].holds, c[0].waits);
	assert_true((c[0].holds == a && c[0].waits == b) || (c[0].holds == b && c[0].waits == a));
	for (int i = 0; i < 2; i++) {
		assert_true(c[i].worker >= 0 && c[i].worker < v->n_workers);
		const struct worker_view *w = &v->workers[c[i].worker];
		if (w->state != WS_BLOCKED)
			fail_msg("%s: %s is in the cycle but %s", what, w->name,
			         worker_state_name(w->state));
		assert_int_equal(w->waits_on, c[i].waits);
		assert_true(w->holds[c[i].holds] > 0);
		/* and the lock it waits for is really owned by the other one */
		assert_int_equal(v->objects[c[i].waits].owner, c[1 - i].worker);
	}
	/* Nobody finished: each of the five needs both locks again. */
	assert_int_equal(count_state(e, WS_DONE), 0);
	assert_int_equal(count_events(e, EV_DEADLOCK, -1, -1) >= 1, 1);
	long n;
	const struct event *ev = engine_events(e, &n);
	int found = 0;
	for (long i = 0; i < n; i++)
		if (ev[i].kind == EV_DEADLOCK) {
			assert_int_equal(ev[i].worker, -1);
			assert_non_null(ev[i].text);
			assert_non_null(strstr(ev[i].text, v->workers[c[0].worker].name));
			assert_non_null(strstr(ev[i].text, v->workers[c[1].worker].name));
			found = 1;
		}
	assert_true(found);
	/* A deadlocked run cannot go on. */
	char why[256] = "";
	assert_int_equal(engine_step(e, -1, why, sizeof why), -1);
	assert_true(why[0] != '\0');
}

static void test_deadlock_random(void **state)
{
	(void)state;
	struct scenario *s = load("deadlock");
	for (uint64_t seed = 1; seed <= 8; seed++)
		run_checked(s, SCHED_RANDOM, seed, RUN_DEADLOCK, check_deadlock, "deadlock random");
	drop(s);
}

static void test_deadlock_round_robin(void **state)
{
	(void)state;
	struct scenario *s = load("deadlock");
	run_checked(s, SCHED_ROUND_ROBIN, 0, RUN_DEADLOCK, check_deadlock, "deadlock round-robin");
	drop(s);
}

static void test_deadlock_os(void **state)
{
	(void)state;
	struct scenario *s = load("deadlock");
	struct engine_options o = {
		.schedule = SCHED_OS, .seed = 1, .speed = 20, .timeout_s = GUARD_S,
	};
	struct engine *e = start_opts(s, &o);
	assert_outcome(run(e), RUN_DEADLOCK, "deadlock os");
	check_deadlock(e, s, "deadlock os");
	finish(e, "deadlock os");
	drop(s);
}

/* ---- stepping ------------------------------------------------------------- */

static void test_step_chosen_worker(void **state)
{
	(void)state;
	struct scenario *s = load("counter-unlocked");
	struct engine *e = start(s, SCHED_RANDOM, 5);
	const int order[] = { 3, 3, 57, 0, 99, 57, 3 };
	for (size_t k = 0; k < sizeof order / sizeof *order; k++) {
		const struct engine_view *v = engine_view(e);
		int n = v->n_workers;
		int *pc = malloc(sizeof *pc * (size_t)n);
		assert_non_null(pc);
		for (int w = 0; w < n; w++)
			pc[w] = v->workers[w].pc;
		long steps = v->steps;
		char why[256] = "";
		int chosen = order[k];
		if (v->workers[chosen].state == WS_DONE) {
			/* 3 and 57 did their two ops: refused, and nothing moves. */
			assert_int_equal(engine_step(e, chosen, why, sizeof why), -1);
			assert_non_null(strstr(why, "finished"));
			v = engine_view(e);
			assert_int_equal(v->steps, steps);
		} else {
			assert_int_equal(engine_step(e, chosen, why, sizeof why), chosen);
			v = engine_view(e);
			assert_int_equal(v->steps, steps + 1);
			assert_int_equal(v->workers[chosen].pc, pc[chosen] + 1);
		}
		for (int w = 0; w < n; w++)
			if (w != chosen)
				assert_int_equal(v->workers[w].pc, pc[w]);
		free(pc);
	}
	const struct engine_view *v = engine_view(e);
	assert_int_equal(v->workers[3].state, WS_DONE);
	assert_int_equal(v->workers[57].state, WS_DONE);
	assert_int_equal(v->workers[0].pc, 1);
	assert_int_equal(v->workers[0].has_reg, 1);
	char why[256] = "";
	assert_int_equal(engine_step(e, 100, why, sizeof why), -1);   /* no such worker */
	finish(e, "step chosen");
	drop(s);
}

static void test_step_blocked_refused(void **state)
{
	(void)state;
	struct scenario *s = load("counter-locked");
	int lock = obj(s, "lock");
	struct engine *e = start(s, SCHED_RANDOM, 5);
	char why[256] = "";
	assert_int_equal(engine_step(e, 0, why, sizeof why), 0);   /* work0 takes the lock */
	const struct engine_view *v = engine_view(e);
	assert_int_equal(v->objects[lock].owner, 0);
	assert_int_equal(v->workers[0].pc, 1);
	assert_int_equal(engine_step(e, 1, why, sizeof why), 1);   /* work1 tries: waits */
	v = engine_view(e);
	assert_int_equal(v->workers[1].state, WS_BLOCKED);
	assert_int_equal(v->workers[1].waits_on, lock);
	assert_int_equal(v->workers[1].pc, 0);
	assert_int_equal(v->objects[lock].queue_len, 1);
	assert_int_equal(v->objects[lock].queue[0], 1);
	long steps = v->steps;
	why[0] = '\0';
	assert_int_equal(engine_step(e, 1, why, sizeof why), -1);  /* refused */
	assert_non_null(strstr(why, "blocked"));
	assert_non_null(strstr(why, "work1"));
	v = engine_view(e);
	assert_int_equal(v->steps, steps);
	assert_int_equal(v->workers[1].state, WS_BLOCKED);
	/* work0 finishes its critical section: work1 may try again, and gets it. */
	assert_int_equal(engine_step(e, 0, why, sizeof why), 0);   /* load */
	assert_int_equal(engine_step(e, 0, why, sizeof why), 0);   /* store */
	assert_int_equal(engine_step(e, 0, why, sizeof why), 0);   /* release */
	v = engine_view(e);
	assert_int_equal(v->workers[0].state, WS_DONE);
	assert_int_equal(v->workers[1].state, WS_READY);
	assert_int_equal(engine_step(e, 1, why, sizeof why), 1);
	v = engine_view(e);
	assert_int_equal(v->objects[lock].owner, 1);
	assert_int_equal(v->workers[1].pc, 1);
	assert_int_equal(v->objects[lock].queue_len, 0);
	assert_outcome(run(e), RUN_FINISHED, "step blocked");
	check_locked_end(e, s, "step blocked");
	/* Over: no more steps. */
	assert_int_equal(engine_step(e, -1, why, sizeof why), -1);
	assert_int_equal(engine_can_step(e), 0);
	finish(e, "step blocked");
	drop(s);
}

static void test_step_os_refused(void **state)
{
	(void)state;
	struct scenario *s = load("counter-locked");
	struct engine *e = start(s, SCHED_OS, 1);
	char why[256] = "";
	assert_int_equal(engine_can_step(e), 0);
	assert_int_equal(engine_step(e, -1, why, sizeof why), -1);
	assert_true(why[0] != '\0');
	why[0] = '\0';
	assert_int_equal(engine_step(e, 0, why, sizeof why), -1);
	assert_true(why[0] != '\0');
	why[0] = '\0';
	assert_int_equal(engine_restart(e, 5, why, sizeof why), -1);   /* no replay of os */
	assert_true(why[0] != '\0');
	assert_outcome(run(e), RUN_FINISHED, "step os");
	check_locked_end(e, s, "step os");
	finish(e, "step os");
	drop(s);
}

/* ---- step back ------------------------------------------------------------ */

struct snap {
	long steps, clock_ms;
	int *pc, *state;
	long values[SCENARIO_MAX_OBJECTS];
	int holders[SCENARIO_MAX_OBJECTS];
};

static void snap_take(const struct engine *e, struct snap *sn)
{
	const struct engine_view *v = engine_view(e);
	sn->steps = v->steps;
	sn->clock_ms = v->clock_ms;
	sn->pc = malloc(sizeof(int) * (size_t)v->n_workers);
	sn->state = malloc(sizeof(int) * (size_t)v->n_workers);
	assert_non_null(sn->pc);
	assert_non_null(sn->state);
	for (int w = 0; w < v->n_workers; w++) {
		sn->pc[w] = v->workers[w].pc;
		sn->state[w] = v->workers[w].state;
	}
	for (int o = 0; o < v->scenario->n_objects; o++) {
		sn->values[o] = v->objects[o].value;
		sn->holders[o] = v->objects[o].holders;
	}
}

static void snap_check(const struct engine *e, const struct snap *sn)
{
	const struct engine_view *v = engine_view(e);
	assert_int_equal(v->steps, sn->steps);
	assert_int_equal(v->clock_ms, sn->clock_ms);
	for (int w = 0; w < v->n_workers; w++) {
		assert_int_equal(v->workers[w].pc, sn->pc[w]);
		assert_int_equal(v->workers[w].state, sn->state[w]);
	}
	for (int o = 0; o < v->scenario->n_objects; o++) {
		assert_int_equal(v->objects[o].value, sn->values[o]);
		assert_int_equal(v->objects[o].holders, sn->holders[o]);
	}
}

static void snap_free(struct snap *sn)
{
	free(sn->pc);
	free(sn->state);
}

/* Take N steps, remembering the picture after N-1; restart to N-1 and
 * compare the picture and the trace (up to step N-1).  A replay stops
 * right after step N-1, before the clock moves for step N, so the first
 * run may have more EV_WAKE events stamped N-1: those alone may be missing. */
static void step_back_case(const char *id, uint64_t seed, long n_steps)
{
	struct scenario *s = load(id);
	struct engine *e = start(s, SCHED_RANDOM, seed);
	struct snap before = { 0 };
	for (long i = 0; i < n_steps; i++) {
		if (i == n_steps - 1)
			snap_take(e, &before);
		char why[256] = "";
		if (engine_step(e, -1, why, sizeof why) < 0)
			fail_msg("%s: step %ld refused: %s", id, i + 1, why);
	}
	assert_int_equal(engine_view(e)->steps, n_steps);
	long na;
	struct rec *a = copy_trace(e, &na);
	int n_old;
	pid_t *old = start_pids(e, &n_old);

	char why[256] = "";
	if (engine_restart(e, n_steps - 1, why, sizeof why) != 0)
		fail_msg("%s: restart: %s", id, why);
	/* The first run's processes are gone: a restart forks new ones. */
	for (int i = 0; i < n_old; i++)
		assert_gone(old[i], "replaced by a restart");
	free(old);
	snap_check(e, &before);
	snap_free(&before);

	long nb;
	struct rec *b = copy_trace(e, &nb);
	char msg[512];
	assert_true(nb <= na);
	for (long i = 0; i < nb; i++)
		if (rec_diff(&a[i], &b[i], msg, sizeof msg))
			fail_msg("%s: replayed event %ld differs: %s", id, i, msg);
	for (long i = nb; i < na; i++)
		if (a[i].step <= n_steps - 1 && a[i].kind != EV_WAKE)
			fail_msg("%s: event %ld (%s, step %ld) missing after the replay", id, i,
			         event_kind_name(a[i].kind), a[i].step);
	for (long i = 0; i < nb; i++)
		assert_true(b[i].step <= n_steps - 1);

	/* And going on from there gives the same run as before. */
	char w2[256];
	assert_true(engine_step(e, -1, w2, sizeof w2) >= 0);
	long nc;
	struct rec *c = copy_trace(e, &nc);
	assert_same_trace(a, na, c, nc, "stepping forward again");
	free(a);
	free(b);
	free(c);
	finish(e, "step back");
	drop(s);
}

static void test_step_back_counter(void **state)
{
	(void)state;
	step_back_case("counter-unlocked", 3, 37);
	step_back_case("counter-locked", 9, 120);
}

static void test_step_back_sleeps(void **state)
{
	(void)state;
	step_back_case("ktv", 4, 30);
	step_back_case("deadlock", 2, 12);
}

static void test_step_back_to_zero(void **state)
{
	(void)state;
	struct scenario *s = load("counter-locked");
	struct engine *e = start(s, SCHED_RANDOM, 8);
	char why[256] = "";
	assert_int_equal(engine_step(e, -1, why, sizeof why) >= 0, 1);
	assert_int_equal(engine_restart(e, 0, why, sizeof why), 0);
	const struct engine_view *v = engine_view(e);
	assert_int_equal(v->steps, 0);
	assert_int_equal(count_events(e, EV_START, -1, -1), 100);
	long n;
	engine_events(e, &n);
	assert_int_equal(n, 100);   /* only the starts */
	assert_outcome(run(e), RUN_FINISHED, "step back to 0");
	check_locked_end(e, s, "step back to 0");
	finish(e, "step back to 0");
	drop(s);
}

/* ---- kill ---------------------------------------------------------------------- */

static void assert_killed_for_real(const struct engine *e, int w)
{
	const struct engine_view *v = engine_view(e);
	pid_t pid = v->workers[w].pid;
	assert_true(pid > 0);
	assert_int_equal(v->workers[w].state, WS_KILLED);
	assert_true(WIFSIGNALED(v->workers[w].exit_status));
	assert_int_equal(WTERMSIG(v->workers[w].exit_status), SIGKILL);
	assert_gone(pid, "killed worker");
	/* Reaped by the engine: not our child to wait for any more. */
	int st;
	errno = 0;
	assert_int_equal(waitpid(pid, &st, WNOHANG), -1);
	assert_int_equal(errno, ECHILD);
	long n;
	const struct event *ev = engine_events(e, &n);
	int found = 0;
	for (long i = 0; i < n; i++)
		if (ev[i].kind == EV_KILLED && ev[i].worker == w) {
			assert_int_equal(ev[i].value, SIGKILL);
			found++;
		}
	assert_int_equal(found, 1);
}

static void test_kill_lock_holder(void **state)
{
	(void)state;
	struct scenario *s = load("counter-locked");
	int lock = obj(s, "lock"), count = obj(s, "count");
	/* A robust-lock: its next acquirer recovers it (a Python Lock
	 * would stay taken: unit-types' test_lock_dead_taker). */
	s->objects[lock].kind = OBJ_ROBUST_LOCK;
	struct engine *e = start(s, SCHED_RANDOM, 17);
	const struct engine_view *v = engine_view(e);
	char why[256] = "";
	/* Step until someone holds the lock (it has just acquired it), then let
	 * a few others pile up in the queue. */
	while (v->objects[lock].owner < 0) {
		assert_true(engine_step(e, -1, why, sizeof why) >= 0);
		v = engine_view(e);
	}
	int holder = v->objects[lock].owner;
	assert_int_equal(v->workers[holder].pc, 1);   /* before its LOAD */
	for (int w = 0, k = 0; w < v->n_workers && k < 3; w++)
		if (w != holder && v->workers[w].state == WS_READY && v->workers[w].pc == 0) {
			assert_int_equal(engine_step(e, w, why, sizeof why), w);
			v = engine_view(e);
			assert_int_equal(v->workers[w].state, WS_BLOCKED);
			k++;
		}
	assert_true(v->objects[lock].queue_len >= 1);
	long events_before = 0;
	engine_events(e, &events_before);

	assert_int_equal(engine_kill_worker(e, holder), 0);
	v = engine_view(e);
	assert_killed_for_real(e, holder);
	assert_int_equal(v->objects[lock].owner, -1);
	assert_int_equal(v->objects[lock].owner_died, 1);
	assert_int_equal(v->objects[lock].holders, 0);
	assert_int_equal(engine_kill_worker(e, holder), -1);   /* dead already */
	assert_outcome(engine_outcome(e), RUN_RUNNING, "kill lock holder");

	assert_outcome(run(e), RUN_FINISHED, "kill lock holder");
	v = engine_view(e);
	/* The next acquirer found the lock's owner dead (EOWNERDEAD) and
	 * recovered it; nobody else did. */
	long n;
	const struct event *ev = engine_events(e, &n);
	int first_acquire = -1;
	for (long i = events_before; i < n; i++)
		if (ev[i].object == lock && (ev[i].kind == EV_ACQUIRED || ev[i].kind == EV_RECOVERED)) {
			if (first_acquire < 0)
				first_acquire = (int)i;
			else
				assert_int_equal(ev[i].kind, EV_ACQUIRED);
		}
	assert_true(first_acquire >= 0);
	assert_int_equal(ev[first_acquire].kind, EV_RECOVERED);
	assert_int_equal(count_events(e, EV_RECOVERED, lock, -1), 1);
	assert_int_equal(count_state(e, WS_DONE), 99);
	assert_int_equal(count_state(e, WS_KILLED), 1);
	assert_int_equal(v->objects[lock].peak, 1);
	assert_int_equal(v->objects[lock].owner_died, 0);
	/* It died before its LOAD: 99 updates, none lost. */
	assert_int_equal(v->objects[count].value, 1);
	assert_int_equal(v->objects[count].updates, 99);
	assert_int_equal(v->objects[count].lost, 0);
	finish(e, "kill lock holder");
	drop(s);
}

/* The os schedule: wait (in poll, for the workers' reports) until the
 * lock's holder is asleep inside its critical section.  Every picture on
 * the way must be consistent: the live workers' holds add up to the
 * holders, and a held lock names its holder as owner. */
static int wait_sleeping_holder(struct engine *e, int lock)
{
	const struct engine_view *v = engine_view(e);
	for (;;) {
		int holders = 0, holding = -1;
		for (int w = 0; w < v->n_workers; w++)
			if (v->workers[w].state != WS_KILLED && v->workers[w].holds[lock]) {
				holders += v->workers[w].holds[lock];
				holding = w;
			}
		if (holders != v->objects[lock].holders || holders > 1 ||
		    (holders == 1 && v->objects[lock].owner != holding) ||
		    (holders == 0 && v->objects[lock].owner != -1))
			fail_msg("inconsistent picture of the lock: the live workers hold it %d "
			         "times (last %s), the object says %d holders, owner %d%s%s",
			         holders, holding >= 0 ? v->workers[holding].name : "-",
			         v->objects[lock].holders, v->objects[lock].owner,
			         v->objects[lock].owner_died ? ", owner died" : "",
			         holding >= 0 && v->objects[lock].owner != holding ?
			         " (the holder is not the owner)" : "");
		if (holding >= 0 && v->workers[holding].state == WS_SLEEPING)
			return holding;
		if (engine_outcome(e) != RUN_RUNNING)
			fail_msg("run ended (%s) before a holder slept", outcome_name(engine_outcome(e)));
		struct pollfd fds[8];
		int n = engine_pollfds(e, fds, 8);
		assert_true(poll(fds, (nfds_t)n, engine_timeout_ms(e)) >= 0 || errno == EINTR);
		engine_dispatch(e, fds, n);
		v = engine_view(e);
	}
}

/* Five workers, each asleep for ten minutes inside the critical section
 * of a robust-lock (a killed holder's lock is recovered by the next). */
static const char slow_locked_yaml[] =
	"lockstep: 1\n"
	"id: slow-locked\n"
	"title: {en: Slow critical section}\n"
	"objects:\n"
	"  - {name: count, type: value, initial: 5, expect: 0}\n"
	"  - {name: lock, type: robust-lock}\n"
	"workers:\n"
	"  - name: w\n"
	"    count: 5\n"
	"    program:\n"
	"      - acquire: lock\n"
	"      - update: {value: count, add: -1}\n"
	"      - sleep: 600\n"
	"      - release: lock\n";

/* Killed asleep inside the critical section, in the os schedule, five
 * times over: each time a waiter blocked in the kernel gets the lock with
 * EOWNERDEAD, and the picture stays right. */
static void test_kill_lock_holder_os(void **state)
{
	(void)state;
	struct scenario *s = load_text(slow_locked_yaml);
	int lock = obj(s, "lock"), count = obj(s, "count");
	struct engine_options o = {
		.schedule = SCHED_OS, .seed = 1, .speed = 1, .timeout_s = 30,
	};
	struct engine *e = start_opts(s, &o);
	for (int round = 0; round < 5; round++) {
		int holder = wait_sleeping_holder(e, lock);
		assert_int_equal(engine_kill_worker(e, holder), 0);
		assert_killed_for_real(e, holder);
		const struct engine_view *v = engine_view(e);
		assert_int_equal(v->workers[holder].holds[lock] && v->objects[lock].owner == holder, 0);
	}
	assert_outcome(run(e), RUN_FINISHED, "kill lock holder os");
	const struct engine_view *v = engine_view(e);
	assert_int_equal(count_state(e, WS_KILLED), 5);
	assert_int_equal(count_events(e, EV_RECOVERED, lock, -1), 4);
	assert_int_equal(count_events(e, EV_ACQUIRED, lock, -1), 1);
	assert_int_equal(v->objects[lock].peak, 1);
	assert_int_equal(v->objects[lock].holders, 0);
	assert_int_equal(v->objects[count].value, 0);   /* each stored before it slept */
	finish(e, "kill lock holder os");
	drop(s);
}

/* Kill a worker whose last reports are still in the pipe, unread: they
 * happened before its death, so they count, and it stays dead. */
static void test_kill_with_reports_unread(void **state)
{
	(void)state;
	struct scenario *s = load_text("lockstep: 1\n"
		"id: one-holder\n"
		"title: {en: One holder}\n"
		"objects:\n"
		"  - {name: lock, type: robust-lock}\n"
		"workers:\n"
		"  - name: w\n"
		"    count: 1\n"
		"    program:\n"
		"      - acquire: lock\n"
		"      - sleep: 600\n"
		"      - release: lock\n");
	int lock = obj(s, "lock");
	struct engine_options o = {
		.schedule = SCHED_OS, .seed = 1, .speed = 1, .timeout_s = 10,
	};
	struct engine *e = start_opts(s, &o);
	/* Wait until the worker has reported (the pipe is readable), without
	 * letting the engine read it. */
	struct pollfd fds[8];
	int n = engine_pollfds(e, fds, 8);
	assert_true(n >= 1);
	struct pollfd pipe_fd = fds[0];
	assert_int_equal(poll(&pipe_fd, 1, 10000), 1);
	assert_int_equal(engine_kill_worker(e, 0), 0);
	const struct engine_view *v = engine_view(e);
	assert_int_equal(v->workers[0].state, WS_KILLED);
	assert_int_equal(v->objects[lock].holders, 0);
	assert_int_equal(v->objects[lock].owner, -1);
	assert_int_equal(count_events(e, EV_ACQUIRED, lock, -1), 1);   /* it did take it */
	assert_outcome(run(e), RUN_FINISHED, "kill with reports unread");
	v = engine_view(e);
	assert_int_equal(v->workers[0].state, WS_KILLED);
	assert_int_equal(count_events(e, EV_KILLED, -1, -1), 1);
	/* its own reports come before its death in the trace */
	long count;
	const struct event *ev = engine_events(e, &count);
	int died_at = -1;
	for (long i = 0; i < count; i++) {
		if (ev[i].kind == EV_KILLED)
			died_at = (int)i;
		else if (ev[i].worker == 0 && ev[i].kind != EV_START && died_at >= 0) {
			for (long j = 0; j < count; j++)
				print_message("#   %ld: %s w%d step %ld\n", j, event_kind_name(ev[j].kind),
				              ev[j].worker, ev[j].step);
			fail_msg("w0's %s comes after its death in the trace", event_kind_name(ev[i].kind));
		}
	}
	finish(e, "kill with reports unread");
	drop(s);
}

/* The trace a student reads says the holder died before it says the next
 * one recovered the lock from the dead: in the os schedule too, where the
 * waiter, woken by the kernel, may report before the death is reaped. */
static void test_kill_lock_holder_os_trace_order(void **state)
{
	(void)state;
	struct scenario *s = load_text(slow_locked_yaml);
	int lock = obj(s, "lock");
	struct engine_options o = {
		.schedule = SCHED_OS, .seed = 1, .speed = 1, .timeout_s = 30,
	};
	struct engine *e = start_opts(s, &o);
	for (int round = 0; round < 5; round++) {
		int holder = wait_sleeping_holder(e, lock);
		assert_int_equal(engine_kill_worker(e, holder), 0);
	}
	assert_outcome(run(e), RUN_FINISHED, "kill lock holder os, trace order");
	long n;
	const struct event *ev = engine_events(e, &n);
	int dead[16] = { 0 }, last_owner = -1;
	for (long i = 0; i < n; i++) {
		if (ev[i].kind == EV_KILLED)
			dead[ev[i].worker] = 1;
		if (ev[i].object == lock && (ev[i].kind == EV_ACQUIRED || ev[i].kind == EV_RECOVERED)) {
			if (ev[i].kind == EV_RECOVERED && (last_owner < 0 || !dead[last_owner]))
				fail_msg("event %ld: w%d recovered the lock from w%d, whose death the "
				         "trace has not told yet", i, ev[i].worker, last_owner);
			last_owner = ev[i].worker;
		}
	}
	finish(e, "kill lock holder os, trace order");
	drop(s);
}

static void test_kill_semaphore_holder(void **state)
{
	(void)state;
	struct scenario *s = load("ktv");
	int sem = obj(s, "sem");
	struct engine *e = start(s, SCHED_RANDOM, 6);
	const struct engine_view *v = engine_view(e);
	char why[256] = "";
	/* Until all four rooms are taken. */
	while (v->objects[sem].holders < 4) {
		assert_true(engine_step(e, -1, why, sizeof why) >= 0);
		v = engine_view(e);
		assert_outcome(engine_outcome(e), RUN_RUNNING, "kill semaphore holder");
	}
	int victim = -1;
	for (int w = 0; w < v->n_workers && victim < 0; w++)
		if (v->workers[w].holds[sem])
			victim = w;
	assert_true(victim >= 0);
	int peak = v->objects[sem].peak;
	assert_int_equal(peak, 4);
	long events_before;
	engine_events(e, &events_before);

	assert_int_equal(engine_kill_worker(e, victim), 0);
	v = engine_view(e);
	assert_killed_for_real(e, victim);
	assert_int_equal(v->objects[sem].count_lost, 1);
	assert_int_equal(v->objects[sem].holders, 4);  /* taken: 4 - 0, the dead's too */
	assert_int_equal(v->objects[sem].value, 0);   /* the room did not come back */
	assert_int_equal(v->objects[sem].peak, 4);    /* the past stays */

	assert_outcome(run(e), RUN_FINISHED, "kill semaphore holder");
	v = engine_view(e);
	assert_int_equal(count_state(e, WS_DONE), 12);
	assert_int_equal(count_state(e, WS_KILLED), 1);
	assert_int_equal(v->objects[sem].count_lost, 1);
	assert_int_equal(v->objects[sem].holders, 1);  /* the dead's count, taken for ever */
	assert_int_equal(v->objects[sem].value, 3);   /* three rooms left for ever */
	/* From the kill on, never more than three inside: 4 taken at most,
	 * one of them the dead's. */
	long n;
	const struct event *ev = engine_events(e, &n);
	for (long i = events_before; i < n; i++)
		if (ev[i].kind == EV_ACQUIRED && ev[i].object == sem)
			assert_true(ev[i].value <= 4);
	finish(e, "kill semaphore holder");
	drop(s);
}

/* Kill every holder of the semaphore: the others wait for ever, with no
 * cycle; the engine calls it a deadlock and names the stuck. */
static void test_kill_all_semaphore_holders(void **state)
{
	(void)state;
	struct scenario *s = load("ktv");
	int sem = obj(s, "sem");
	struct engine *e = start(s, SCHED_RANDOM, 2);
	const struct engine_view *v = engine_view(e);
	char why[256] = "";
	while (v->objects[sem].count_lost < 4) {
		for (int w = 0; w < v->n_workers; w++)
			if (v->workers[w].holds[sem] && v->workers[w].state != WS_KILLED) {
				assert_int_equal(engine_kill_worker(e, w), 0);
				v = engine_view(e);
			}
		if (v->objects[sem].count_lost < 4) {
			assert_true(engine_step(e, -1, why, sizeof why) >= 0);
			v = engine_view(e);
		}
	}
	assert_int_equal(count_state(e, WS_KILLED), 4);
	assert_outcome(run(e), RUN_DEADLOCK, "kill all semaphore holders");
	v = engine_view(e);
	assert_int_equal(v->cycle_len, 9);
	for (int i = 0; i < v->cycle_len; i++) {
		const struct cycle_link *c = &v->cycle[i];
		assert_int_equal(c->holds, -1);
		assert_int_equal(c->waits, sem);
		assert_int_equal(v->workers[c->worker].state, WS_BLOCKED);
		assert_int_equal(v->workers[c->worker].waits_on, sem);
	}
	assert_int_equal(v->objects[sem].queue_len, 9);
	assert_true(count_events(e, EV_DEADLOCK, -1, -1) >= 1);
	finish(e, "kill all semaphore holders");
	drop(s);
}

/* A kill is part of the recorded run: stepping back past it replays it. */
static void test_step_back_replays_kill(void **state)
{
	(void)state;
	struct scenario *s = load("ktv");
	int sem = obj(s, "sem");
	struct engine *e = start(s, SCHED_RANDOM, 6);
	const struct engine_view *v = engine_view(e);
	char why[256] = "";
	while (v->objects[sem].holders < 2) {
		assert_true(engine_step(e, -1, why, sizeof why) >= 0);
		v = engine_view(e);
	}
	int victim = -1;
	for (int w = 0; w < v->n_workers && victim < 0; w++)
		if (v->workers[w].holds[sem])
			victim = w;
	assert_int_equal(engine_kill_worker(e, victim), 0);
	for (int i = 0; i < 5; i++)
		assert_true(engine_step(e, -1, why, sizeof why) >= 0);
	long steps = engine_view(e)->steps;
	long na;
	struct rec *a = copy_trace(e, &na);
	assert_int_equal(engine_restart(e, steps - 1, why, sizeof why), 0);
	assert_true(engine_step(e, -1, why, sizeof why) >= 0);
	v = engine_view(e);
	assert_int_equal(v->steps, steps);
	assert_int_equal(v->workers[victim].state, WS_KILLED);
	assert_int_equal(v->objects[sem].count_lost, 1);
	long nb;
	struct rec *b = copy_trace(e, &nb);
	assert_same_trace(a, na, b, nb, "replay with a kill");
	free(a);
	free(b);
	finish(e, "step back over a kill");
	drop(s);
}

/* A worker that crashes (crash-in-lock: SIGKILL inside its critical
 * section) is, in a controlled schedule, one step like any other: the run
 * stays reproducible from its seed, no lock shows two holders, the
 * robust-lock is recovered once, and the Python Lock stays taken: the run
 * ends as a deadlock. */
static void test_crash_controlled(void **state)
{
	(void)state;
	struct scenario *s = load("crash-in-lock");
	int lock = obj(s, "lock"), rooms = obj(s, "rooms"), mutex = obj(s, "mutex");
	for (uint64_t seed = 1; seed <= 12; seed++) {
		struct rec *first = NULL;
		long n_first = 0;
		for (int twice = 0; twice < 2; twice++) {
			struct engine *e = start(s, SCHED_RANDOM, seed);
			enum run_outcome r = run(e);
			const struct engine_view *v = engine_view(e);
			if (r != RUN_DEADLOCK)
				fail_msg("crash-in-lock seed %llu: outcome %s", (unsigned long long)seed,
				         outcome_name(r));
			if (v->objects[lock].peak > 1 || v->objects[mutex].peak > 1)
				fail_msg("crash-in-lock seed %llu: lock peak %d, mutex peak %d",
				         (unsigned long long)seed, v->objects[lock].peak,
				         v->objects[mutex].peak);
			assert_true(v->objects[rooms].peak <= 2);
			assert_int_equal(v->objects[rooms].count_lost, 1);
			assert_int_equal(count_state(e, WS_KILLED), 3);
			assert_int_equal(count_state(e, WS_DONE), 5);
			assert_int_equal(count_events(e, EV_RECOVERED, mutex, -1), 1);
			assert_int_equal(count_events(e, EV_RECOVERED, lock, -1), 0);
			assert_int_equal(v->objects[lock].holders, 1);
			long n;
			struct rec *t = copy_trace(e, &n);
			if (twice == 0) {
				first = t;
				n_first = n;
			} else {
				char what[128];
				snprintf(what, sizeof what, "crash-in-lock seed %llu twice",
				         (unsigned long long)seed);
				assert_same_trace(first, n_first, t, n, what);
				free(t);
				free(first);
			}
			finish(e, "crash-in-lock");
		}
	}
	drop(s);
}

/* Kill a worker that waits in the lock's queue: it leaves the queue, it
 * held nothing, so nothing is recovered and nothing is lost. */
static void test_kill_waiter(void **state)
{
	(void)state;
	struct scenario *s = load("counter-locked");
	int lock = obj(s, "lock"), count = obj(s, "count");
	struct engine *e = start(s, SCHED_ROUND_ROBIN, 0);
	char why[256];
	assert_int_equal(engine_step(e, 0, why, sizeof why), 0);   /* work0 takes the lock */
	assert_int_equal(engine_step(e, 1, why, sizeof why), 1);   /* work1 waits */
	assert_int_equal(engine_step(e, 2, why, sizeof why), 2);   /* work2 waits */
	const struct engine_view *v = engine_view(e);
	assert_int_equal(v->objects[lock].queue_len, 2);
	assert_int_equal(engine_kill_worker(e, 1), 0);
	assert_killed_for_real(e, 1);
	v = engine_view(e);
	assert_int_equal(v->objects[lock].queue_len, 1);
	assert_int_equal(v->objects[lock].queue[0], 2);
	assert_int_equal(v->objects[lock].owner, 0);
	assert_int_equal(v->objects[lock].owner_died, 0);
	assert_int_equal(v->workers[1].waits_on, -1);
	assert_int_equal(engine_kill_worker(e, 1), -1);
	assert_int_equal(engine_kill_worker(e, 100), -1);
	assert_int_equal(engine_kill_worker(e, -1), -1);
	assert_outcome(run(e), RUN_FINISHED, "kill a waiter");
	v = engine_view(e);
	assert_int_equal(count_events(e, EV_RECOVERED, -1, -1), 0);
	assert_int_equal(v->objects[count].value, 1);
	assert_int_equal(v->objects[count].updates, 99);
	assert_int_equal(v->objects[count].lost, 0);
	assert_int_equal(count_state(e, WS_DONE), 99);
	assert_int_equal(engine_kill_worker(e, 0), -1);   /* done: nothing to kill */
	finish(e, "kill a waiter");
	drop(s);
}

/* The os schedule cannot replay, but it can start over. */
static void test_restart_os(void **state)
{
	(void)state;
	struct scenario *s = load_text(long_sleep_yaml);
	struct engine *e = start(s, SCHED_OS, 1);
	int n_old;
	pid_t *old = start_pids(e, &n_old);
	char why[256] = "";
	if (engine_restart(e, 0, why, sizeof why) != 0)
		fail_msg("restart: %s", why);
	for (int i = 0; i < n_old; i++)
		assert_gone(old[i], "os run started over");
	free(old);
	const struct engine_view *v = engine_view(e);
	assert_outcome(v->outcome, RUN_RUNNING, "os restart");
	assert_int_equal(v->started, 8);
	for (int w = 0; w < v->n_workers; w++)
		assert_int_equal(kill(v->workers[w].pid, 0), 0);   /* the new ones run */
	int p[2];
	assert_int_equal(pipe(p), 0);
	assert_int_equal(write(p[1], "x", 1), 1);
	assert_outcome(engine_run(e, NULL, NULL, p[0]), RUN_STOPPED, "os restart");
	close(p[0]);
	close(p[1]);
	finish(e, "os restart");
	drop(s);
}

/* Kill one worker of a deadlock's cycle: its lock is recovered (robust),
 * the others move on, and either the run finishes or the engine finds
 * the next deadlock, whose cycle is consistent again.  Five workers: four
 * kills at most leave one, which must finish. */
static void kill_out_of_deadlocks(enum schedule sched)
{
	struct scenario *s = load("deadlock");
	/* Robust-locks: a kill frees the victim's lock (Python's Locks
	 * would stay taken, and the deadlock with them). */
	s->objects[obj(s, "mutexA")].kind = OBJ_ROBUST_LOCK;
	s->objects[obj(s, "mutexB")].kind = OBJ_ROBUST_LOCK;
	struct engine_options o = {
		.schedule = sched, .seed = 1, .speed = 20, .timeout_s = 10,
	};
	struct engine *e = start_opts(s, &o);
	int kills = 0;
	for (;;) {
		enum run_outcome r = run(e);
		if (r == RUN_FINISHED)
			break;
		if (r != RUN_DEADLOCK)
			fail_msg("%s, after %d kills: outcome %s, not a deadlock or the end",
			         schedule_name(sched), kills, outcome_name(r));
		const struct engine_view *v = engine_view(e);
		assert_int_equal(v->cycle_len, 2);
		for (int i = 0; i < 2; i++) {
			const struct cycle_link *c = &v->cycle[i];
			const struct worker_view *w = &v->workers[c->worker];
			if (w->state != WS_BLOCKED || w->waits_on != c->waits || !w->holds[c->holds] ||
			    v->objects[c->waits].owner != v->cycle[1 - i].worker)
				fail_msg("%s, after %d kills: link %s holds %d waits %d, but it is %s "
				         "waiting on %d, and %d's owner is %d", schedule_name(sched), kills,
				         w->name, c->holds, c->waits, worker_state_name(w->state),
				         w->waits_on, c->waits, v->objects[c->waits].owner);
		}
		assert_true(kills < 4);
		int victim = v->cycle[0].worker;
		assert_int_equal(engine_kill_worker(e, victim), 0);
		assert_killed_for_real(e, victim);
		kills++;
	}
	assert_int_equal(count_state(e, WS_KILLED), kills);
	assert_int_equal(count_state(e, WS_DONE), 5 - kills);
	assert_true(kills >= 1);
	const struct engine_view *v = engine_view(e);
	assert_true(v->objects[obj(s, "mutexA")].peak <= 1);
	assert_true(v->objects[obj(s, "mutexB")].peak <= 1);
	finish(e, "killed out of deadlocks");
	drop(s);
}

static void test_kill_breaks_deadlock(void **state)
{
	(void)state;
	kill_out_of_deadlocks(SCHED_RANDOM);
	kill_out_of_deadlocks(SCHED_ROUND_ROBIN);
}

static void test_kill_breaks_deadlock_os(void **state)
{
	(void)state;
	kill_out_of_deadlocks(SCHED_OS);
}

/* ---- stop, timeout, no survivors ------------------------------------------------- */


static void test_stop_fd_os(void **state)
{
	(void)state;
	struct scenario *s = load_text(long_sleep_yaml);
	struct engine *e = start(s, SCHED_OS, 1);
	int p[2];
	assert_int_equal(pipe(p), 0);
	assert_int_equal(write(p[1], "x", 1), 1);
	assert_outcome(engine_run(e, NULL, NULL, p[0]), RUN_STOPPED, "stopped os run");
	assert_outcome(engine_outcome(e), RUN_STOPPED, "stopped os run");
	close(p[0]);
	close(p[1]);
	finish(e, "stopped os run");
	drop(s);
}

/* Stopped in the middle: the workers are asleep for real. */
static void test_stop_fd_os_asleep(void **state)
{
	(void)state;
	struct scenario *s = load_text(long_sleep_yaml);
	struct engine *e = start(s, SCHED_OS, 1);
	int p[2];
	assert_int_equal(pipe(p), 0);
	/* Drive the loop until every worker reported its sleep; then stop. */
	while (count_state(e, WS_SLEEPING) < 8) {
		struct pollfd fds[8];
		int n = engine_pollfds(e, fds, 8);
		assert_true(poll(fds, (nfds_t)n, engine_timeout_ms(e)) >= 0 || errno == EINTR);
		engine_dispatch(e, fds, n);
		assert_outcome(engine_outcome(e), RUN_RUNNING, "stopped sleeping os run");
	}
	assert_int_equal(write(p[1], "x", 1), 1);
	assert_outcome(engine_run(e, NULL, NULL, p[0]), RUN_STOPPED, "stopped sleeping os run");
	close(p[0]);
	close(p[1]);
	finish(e, "stopped sleeping os run");
	drop(s);
}

static void test_stop_fd_controlled(void **state)
{
	(void)state;
	struct scenario *s = load("counter-locked");
	struct engine *e = start(s, SCHED_RANDOM, 1);
	int p[2];
	assert_int_equal(pipe(p), 0);
	assert_int_equal(write(p[1], "x", 1), 1);
	assert_outcome(engine_run(e, NULL, NULL, p[0]), RUN_STOPPED, "stopped controlled run");
	assert_true(count_state(e, WS_DONE) < 100);
	close(p[0]);
	close(p[1]);
	finish(e, "stopped controlled run");
	drop(s);
}

static void test_timeout_os(void **state)
{
	(void)state;
	struct scenario *s = load_text(long_sleep_yaml);
	struct engine_options o = {
		.schedule = SCHED_OS, .seed = 1, .speed = 1, .timeout_s = 0.2,
	};
	struct engine *e = start_opts(s, &o);
	assert_outcome(run(e), RUN_TIMEOUT, "timed-out os run");
	assert_int_equal(count_state(e, WS_DONE), 0);
	finish(e, "timed-out os run");
	drop(s);
}

/* Controlled time is virtual: ten minutes of sleep take no time at all. */
static void test_virtual_sleep(void **state)
{
	(void)state;
	struct scenario *s = load_text(long_sleep_yaml);
	struct engine *e = start(s, SCHED_RANDOM, 1);
	assert_outcome(run(e), RUN_FINISHED, "virtual sleep");
	assert_int_equal(engine_view(e)->clock_ms, 600000);
	assert_int_equal(count_state(e, WS_DONE), 8);
	assert_int_equal(count_events(e, EV_WAKE, -1, -1), 8);
	finish(e, "virtual sleep");
	drop(s);
}

/* A sleep that is a program's last op still takes its time, as Python's
 * time.sleep() at the end of a process does: the worker is done only
 * when it wakes. */
static void test_trailing_sleep(void **state)
{
	(void)state;
	struct scenario *s = load_text("lockstep: 1\n"
		"id: trailing-sleep\n"
		"title: {en: Sleep last}\n"
		"objects: []\n"
		"workers:\n"
		"  - name: w\n"
		"    count: 2\n"
		"    program:\n"
		"      - print: \"{name} goes to sleep\"\n"
		"      - sleep: 1\n");
	struct engine *e = start(s, SCHED_RANDOM, 1);
	assert_outcome(run(e), RUN_FINISHED, "trailing sleep");
	assert_int_equal(count_state(e, WS_DONE), 2);
	assert_int_equal(count_events(e, EV_SLEEP, -1, -1), 2);
	assert_int_equal(count_events(e, EV_WAKE, -1, -1), 2);
	assert_int_equal(engine_view(e)->clock_ms, 1000);
	/* and no worker is done before it woke */
	long n;
	const struct event *ev = engine_events(e, &n);
	int awake[2] = { 0, 0 };
	for (long i = 0; i < n; i++) {
		if (ev[i].kind == EV_WAKE)
			awake[ev[i].worker] = 1;
		if (ev[i].kind == EV_EXIT && !awake[ev[i].worker])
			fail_msg("w%d finished at %.3f s without waking from its sleep",
			         ev[i].worker, (double)ev[i].t_ms / 1000.0);
	}
	finish(e, "trailing sleep");
	drop(s);
}

/* A program that never ends: the controlled schedules stop it at the
 * wall-clock limit, as the os schedule does. */
static const char spin_yaml[] =
	"lockstep: 1\n"
	"id: spin\n"
	"title: {en: For ever}\n"
	"objects:\n"
	"  - {name: n, type: value, initial: 0}\n"
	"workers:\n"
	"  - name: w\n"
	"    count: 3\n"
	"    program:\n"
	"      - {atomic-add: {value: n, add: 1}, label: again}\n"
	"      - goto: again\n";

static void test_timeout_controlled(void **state)
{
	(void)state;
	struct scenario *s = load_text(spin_yaml);
	const enum schedule scheds[] = { SCHED_RANDOM, SCHED_ROUND_ROBIN, SCHED_OS };
	for (size_t i = 0; i < 3; i++) {
		struct engine_options o = {
			.schedule = scheds[i], .seed = 1, .speed = 1, .timeout_s = 0.2,
		};
		struct engine *e = start_opts(s, &o);
		assert_outcome(run(e), RUN_TIMEOUT, "timed-out endless run");
		assert_int_equal(count_state(e, WS_DONE), 0);
		assert_true(engine_view(e)->steps > 0);
		if (scheds[i] != SCHED_OS) {
			char why[256] = "";
			assert_int_equal(engine_step(e, -1, why, sizeof why), -1);   /* over */
			assert_non_null(strstr(why, "over"));
		}
		finish(e, "timed-out endless run");
	}
	drop(s);
}

/* Stopped from outside in the middle of a controlled run that would never
 * end by itself. */
static void test_stop_fd_controlled_endless(void **state)
{
	(void)state;
	struct scenario *s = load_text(spin_yaml);
	struct engine *e = start(s, SCHED_RANDOM, 3);
	char why[256];
	for (int i = 0; i < 100; i++)
		assert_true(engine_step(e, -1, why, sizeof why) >= 0);
	int p[2];
	assert_int_equal(pipe(p), 0);
	assert_int_equal(write(p[1], "x", 1), 1);
	assert_outcome(engine_run(e, NULL, NULL, p[0]), RUN_STOPPED, "stopped endless run");
	assert_true(engine_view(e)->steps >= 100);
	close(p[0]);
	close(p[1]);
	finish(e, "stopped endless run");
	drop(s);
}


/* ---- no worker can hang the controller (issue 7, item 6) -------------------- */

/* A sender that fills a real pipe while its receiver takes one item: the
 * 8193rd send finds the pipe full and waits, as a put to a full queue
 * does, instead of blocking in write(); with the receiver gone, nobody can
 * ever make room: a deadlock, found and reported. */
static const char fill_yaml[] =
	"lockstep: 1\n"
	"id: fill\n"
	"title: {en: Fill a pipe}\n"
	"objects:\n"
	"  - {name: chan, type: pipe}\n"
	"workers:\n"
	"  - name: sender\n"
	"    count: 1\n"
	"    program:\n"
	"      - {send: {pipe: chan, value: 7}, label: again}\n"
	"      - goto: again\n"
	"  - name: taker\n"
	"    count: 1\n"
	"    program:\n"
	"      - recv: chan\n";

static void test_full_pipe_waits(void **state)
{
	(void)state;
	struct scenario *s = load_text(fill_yaml);
	int chan = obj(s, "chan");
	const enum schedule scheds[] = { SCHED_ROUND_ROBIN, SCHED_RANDOM };
	for (size_t i = 0; i < 2; i++) {
		struct engine_options o = { .schedule = scheds[i], .seed = 5, .speed = 1,
		                            .timeout_s = GUARD_S };
		struct engine *e = start_opts(s, &o);
		assert_outcome(run(e), RUN_DEADLOCK, "sender on a full pipe");
		const struct engine_view *v = engine_view(e);
		assert_int_equal(v->workers[0].state, WS_BLOCKED);
		assert_int_equal(v->workers[0].waits_on, chan);
		assert_int_equal(v->objects[chan].n_items, ENGINE_PIPE_ITEMS);
		assert_int_equal(v->objects[chan].moved, ENGINE_PIPE_ITEMS + 1);
		assert_int_equal(v->workers[1].state, WS_DONE);
		assert_int_equal(v->cycle_len, 1);
		assert_int_equal(v->cycle[0].worker, 0);
		finish(e, "sender on a full pipe");
	}
	drop(s);
}

/* The pipe-filling sender with a receiver that also loops, but sleeps
 * between items (virtual time moves only when nobody can run, so it wakes
 * once the sender waits on the full pipe): the sender waits and is let go
 * at every recv, for ever, and --timeout ends it. */
static void test_full_pipe_timeout(void **state)
{
	(void)state;
	static const char yaml[] =
		"lockstep: 1\n"
		"id: fill2\n"
		"title: {en: Fill a pipe}\n"
		"objects:\n"
		"  - {name: chan, type: pipe}\n"
		"workers:\n"
		"  - name: sender\n"
		"    count: 1\n"
		"    program:\n"
		"      - {send: {pipe: chan, value: 7}, label: again}\n"
		"      - goto: again\n"
		"  - name: taker\n"
		"    count: 1\n"
		"    program:\n"
		"      - {sleep: 1, label: again}\n"
		"      - recv: chan\n"
		"      - goto: again\n";
	struct scenario *s = load_text(yaml);
	struct engine_options o = { .schedule = SCHED_ROUND_ROBIN, .seed = 1, .speed = 1,
	                            .timeout_s = 3 };
	struct engine *e = start_opts(s, &o);
	assert_outcome(run(e), RUN_TIMEOUT, "looping sender and taker");
	const struct engine_view *v = engine_view(e);
	assert_true(v->clock_ms > 0);   /* the sender has waited */
	assert_true(v->objects[obj(s, "chan")].n_items >= ENGINE_PIPE_ITEMS - 1);
	assert_int_equal(count_events(e, EV_ERROR, -1, -1), 0);
	finish(e, "looping sender and taker");
	drop(s);
}

/* PID has ended (a zombie, or already reaped by the engine): a bounded
 * poll on /proc, never a sleep standing in for it. */
static int is_zombie(pid_t pid)
{
	char path[64], buf[256];
	snprintf(path, sizeof path, "/proc/%ld/stat", (long)pid);
	FILE *f = fopen(path, "r");
	if (!f)
		return 0;
	size_t n = fread(buf, 1, sizeof buf - 1, f);
	fclose(f);
	buf[n] = '\0';
	const char *close_paren = strrchr(buf, ')');
	return close_paren && close_paren[1] == ' ' && close_paren[2] == 'Z';
}

static void wait_zombie(pid_t pid)
{
	struct timespec t0, t;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	while (!is_zombie(pid) && !(kill(pid, 0) < 0 && errno == ESRCH)) {   /* or reaped */
		clock_gettime(CLOCK_MONOTONIC, &t);
		if (t.tv_sec - t0.tv_sec > 30)
			fail_msg("pid %ld never ended", (long)pid);
		poll(NULL, 0, 1);
	}
}

static const char quick_spin_yaml[] =
	"lockstep: 1\n"
	"id: quickspin\n"
	"title: {en: One quick and two for ever}\n"
	"objects:\n"
	"  - {name: n, type: value, initial: 0}\n"
	"workers:\n"
	"  - name: quick\n"
	"    count: 1\n"
	"    program:\n"
	"      - {atomic-add: {value: n, add: 1}}\n"
	"  - name: spin\n"
	"    count: 2\n"
	"    program:\n"
	"      - {atomic-add: {value: n, add: 1}, label: again}\n"
	"      - goto: again\n";

/* A worker SIGKILLed from outside at the moment another one exits, both
 * reaped from one SIGCHLD: the death nobody announced is noticed too, and
 * a step of the dead worker ends (it used to wait for its report for
 * ever). */
static void test_killed_from_outside(void **state)
{
	(void)state;
	struct scenario *s = load_text(quick_spin_yaml);
	struct engine *e = start(s, SCHED_ROUND_ROBIN, 1);
	const struct engine_view *v = engine_view(e);
	char why[256];
	assert_int_equal(engine_step(e, 0, why, sizeof why), 0);   /* quick0 ends */
	assert_int_equal(v->workers[0].state, WS_DONE);
	assert_int_equal(kill(v->workers[1].pid, SIGKILL), 0);
	wait_zombie(v->workers[0].pid);
	wait_zombie(v->workers[1].pid);
	for (int i = 0; i < 4 && v->workers[1].state != WS_KILLED; i++)
		assert_true(engine_step(e, -1, why, sizeof why) >= 0);
	assert_int_equal(v->workers[1].state, WS_KILLED);
	assert_true(WIFSIGNALED(v->workers[1].exit_status));
	assert_int_equal(count_events(e, EV_KILLED, -1, 1), 1);
	assert_null(engine_error(e));
	/* The survivor goes on. */
	for (int i = 0; i < 10; i++)
		assert_int_equal(engine_step(e, -1, why, sizeof why), 2);
	finish(e, "killed from outside");
	drop(s);
}

/* A worker stopped from outside (SIGSTOP) cannot answer its step: after
 * ENGINE_ANSWER_MS the step ends, the trace says what happened, and the
 * worker is killed; the others go on. */
static void test_stopped_from_outside(void **state)
{
	(void)state;
	struct scenario *s = load_text(spin_yaml);
	struct engine *e = start(s, SCHED_ROUND_ROBIN, 1);
	const struct engine_view *v = engine_view(e);
	char why[256];
	for (int i = 0; i < 6; i++)
		assert_true(engine_step(e, -1, why, sizeof why) >= 0);
	assert_int_equal(kill(v->workers[1].pid, SIGSTOP), 0);
	assert_int_equal(engine_step(e, 1, why, sizeof why), 1);
	assert_int_equal(v->workers[1].state, WS_KILLED);
	assert_true(WIFSIGNALED(v->workers[1].exit_status));
	assert_int_equal(WTERMSIG(v->workers[1].exit_status), SIGKILL);
	long n;
	const struct event *ev = engine_events(e, &n);
	int said = 0;
	for (long i = 0; i < n; i++)
		said |= ev[i].kind == EV_ERROR && ev[i].worker == 1 && ev[i].text &&
		        strstr(ev[i].text, "did not answer") && strstr(ev[i].text, "w1");
	assert_true(said);
	assert_int_equal(v->outcome, RUN_RUNNING);
	assert_true(engine_step(e, -1, why, sizeof why) >= 0);
	finish(e, "stopped from outside");
	drop(s);
}

/* A step waiting for a worker that cannot answer still obeys the stop fd
 * at once, and the deadline. */
static void test_step_obeys_stop_and_deadline(void **state)
{
	(void)state;
	struct scenario *s = load_text(spin_yaml);
	char why[256];
	int p[2];
	assert_int_equal(pipe(p), 0);
	struct engine *e = start(s, SCHED_ROUND_ROBIN, 1);
	assert_int_equal(kill(engine_view(e)->workers[0].pid, SIGSTOP), 0);
	assert_int_equal(write(p[1], "x", 1), 1);
	engine_set_stop_fd(e, p[0]);
	engine_step(e, 0, why, sizeof why);
	assert_outcome(engine_outcome(e), RUN_STOPPED, "stop during a step");
	assert_int_equal(count_events(e, EV_ERROR, -1, -1), 0);   /* did not wait 2 s */
	finish(e, "stop during a step");
	close(p[0]);
	close(p[1]);

	struct engine_options o = { .schedule = SCHED_RANDOM, .seed = 1, .speed = 1,
	                            .timeout_s = 0.5 };
	e = start_opts(s, &o);
	for (int w = 0; w < 3; w++)
		assert_int_equal(kill(engine_view(e)->workers[w].pid, SIGSTOP), 0);
	assert_outcome(run(e), RUN_TIMEOUT, "deadline during a step");
	assert_int_equal(count_events(e, EV_ERROR, -1, -1), 0);   /* 0.5 s < 2 s */
	finish(e, "deadline during a step");
	drop(s);
}

/* ---- bounded memory and replay in slices (issue 7, items 8, 9) --------------- */

/* A long run keeps only the newest events and the steps step back can
 * reach; beyond them, step back says so instead of replaying. */
static void test_long_run_bounded(void **state)
{
	(void)state;
	struct scenario *s = load_text(spin_yaml);
	struct engine *e = start(s, SCHED_ROUND_ROBIN, 1);
	char why[256];
	long want = ENGINE_BACK_STEPS + 100;
	while (engine_view(e)->steps < want)
		assert_true(engine_step(e, -1, why, sizeof why) >= 0);
	long n;
	const struct event *ev = engine_events(e, &n);
	assert_true(n >= ENGINE_EVENTS_KEPT && n <= 2 * ENGINE_EVENTS_KEPT);
	assert_int_equal(ev[n - 1].step, want);   /* the newest are kept */
	why[0] = '\0';
	assert_int_equal(engine_restart(e, want - 1, why, sizeof why), -1);
	assert_non_null(strstr(why, "first"));
	assert_int_equal(engine_view(e)->steps, want);   /* nothing happened */
	assert_int_equal(engine_outcome(e), RUN_RUNNING);
	assert_null(engine_error(e));
	finish(e, "long run");
	drop(s);
}

/* engine_rewind + engine_replay_some in slices replays the same run as
 * engine_restart, says how far it got, and stops at once on the stop fd. */
static void test_replay_in_slices(void **state)
{
	(void)state;
	struct scenario *s = load("counter-locked");
	struct engine *e = start(s, SCHED_RANDOM, 9);
	char why[256];
	for (int i = 0; i < 300; i++)
		assert_true(engine_step(e, -1, why, sizeof why) >= 0);
	long na;
	struct rec *a = copy_trace(e, &na);
	assert_int_equal(engine_rewind(e, 300, why, sizeof why), 0);
	long done = -1, total = -1, left, slices = 0;
	while ((left = engine_replay_some(e, 7)) > 0) {
		assert_true(engine_replaying(e, &done, &total));
		assert_int_equal(total, 300);
		assert_int_equal(done + left, 300);
		assert_int_equal(engine_step(e, -1, why, sizeof why), -1);   /* not now */
		slices++;
	}
	assert_false(engine_replaying(e, NULL, NULL));
	assert_true(slices >= 300 / 7 - 1);
	long nb;
	struct rec *b = copy_trace(e, &nb);
	assert_same_trace(a, na, b, nb, "replayed in slices");
	free(b);

	/* Ctrl-C in the middle of a replay: it ends at once. */
	int p[2];
	assert_int_equal(pipe(p), 0);
	engine_set_stop_fd(e, p[0]);
	assert_int_equal(engine_rewind(e, 300, why, sizeof why), 0);
	assert_true(engine_replay_some(e, 10) > 0);
	assert_int_equal(write(p[1], "x", 1), 1);
	assert_int_equal(engine_replay_some(e, 1000), 0);
	assert_outcome(engine_outcome(e), RUN_STOPPED, "stopped replay");
	assert_true(engine_view(e)->steps < 300);
	close(p[0]);
	close(p[1]);
	free(a);
	finish(e, "replay in slices");
	drop(s);
}

/* Step back out of a deadlock: the run is live again, and the same step
 * makes the same deadlock. */
static void test_step_back_from_deadlock(void **state)
{
	(void)state;
	struct scenario *s = load("deadlock");
	struct engine *e = start(s, SCHED_RANDOM, 4);
	assert_outcome(run(e), RUN_DEADLOCK, "step back from deadlock");
	long steps = engine_view(e)->steps;
	struct cycle_link cycle[2];
	assert_int_equal(engine_view(e)->cycle_len, 2);
	memcpy(cycle, engine_view(e)->cycle, sizeof cycle);
	long na;
	struct rec *a = copy_trace(e, &na);
	char why[256] = "";
	if (engine_restart(e, steps - 1, why, sizeof why) != 0)
		fail_msg("restart: %s", why);
	assert_outcome(engine_outcome(e), RUN_RUNNING, "step back from deadlock");
	assert_int_equal(engine_view(e)->cycle_len, 0);
	assert_true(engine_can_step(e));
	assert_true(engine_step(e, -1, why, sizeof why) >= 0);
	assert_outcome(engine_outcome(e), RUN_DEADLOCK, "step back from deadlock");
	assert_int_equal(engine_view(e)->cycle_len, 2);
	assert_memory_equal(engine_view(e)->cycle, cycle, sizeof cycle);
	check_deadlock(e, s, "step back from deadlock");
	long nb;
	struct rec *b = copy_trace(e, &nb);
	/* check_deadlock's refused step added nothing */
	assert_same_trace(a, na, b, nb, "deadlock again after a step back");
	free(a);
	free(b);
	finish(e, "step back from deadlock");
	drop(s);
}

/* engine_run's callback sees every event, once, in the trace's order. */
struct seen { long n, cap; struct rec *r; };

static void on_event(void *ctx, const struct event *ev)
{
	struct seen *s = ctx;
	if (s->n == s->cap) {
		s->cap = s->cap ? s->cap * 2 : 256;
		s->r = realloc(s->r, (size_t)s->cap * sizeof *s->r);
		if (!s->r)
			abort();
	}
	rec_from_event(&s->r[s->n++], ev);
}

static void test_run_callback(void **state)
{
	(void)state;
	const char *ids[] = { "ktv", "deadlock" };
	for (size_t i = 0; i < 2; i++) {
		struct scenario *s = load(ids[i]);
		const enum schedule scheds[] = { SCHED_RANDOM, SCHED_OS };
		for (size_t k = 0; k < 2; k++) {
			struct engine_options o = {
				.schedule = scheds[k], .seed = 9, .speed = 100, .timeout_s = GUARD_S,
			};
			struct engine *e = start_opts(s, &o);
			char why[256];
			if (scheds[k] != SCHED_OS)   /* some before, some during the run */
				for (int j = 0; j < 5; j++)
					assert_true(engine_step(e, -1, why, sizeof why) >= 0);
			struct seen seen = { 0, 0, NULL };
			enum run_outcome r = engine_run(e, on_event, &seen, -1);
			assert_true(r == RUN_FINISHED || r == RUN_DEADLOCK);
			long n;
			struct rec *all = copy_trace(e, &n);
			assert_same_trace(all, n, seen.r, seen.n, "callback vs trace");
			free(all);
			free(seen.r);
			finish(e, "callback");
		}
		drop(s);
	}
}

/* Freed in the middle of a run, with workers ready, blocked, asleep. */
static void test_free_midway(void **state)
{
	(void)state;
	struct scenario *s = load("ktv");
	struct engine *e = start(s, SCHED_RANDOM, 1);
	char why[256];
	for (int i = 0; i < 20; i++)
		assert_true(engine_step(e, -1, why, sizeof why) >= 0);
	assert_outcome(engine_outcome(e), RUN_RUNNING, "freed midway");
	finish(e, "freed midway");
	drop(s);
}

/* ---- deadlock_find on hand-made pictures ------------------------------------------- */

struct picture {
	struct worker_view wv[16];
	struct object_view ov[SCENARIO_MAX_OBJECTS];
	int last_release[2 * SCENARIO_MAX_GROUPS * SCENARIO_MAX_OBJECTS];   /* deadlock.h */
	struct cycle_link out[16];
	int queues[SCENARIO_MAX_OBJECTS][16];
};

static void picture_init(struct picture *p, const struct scenario *s, int n)
{
	memset(p, 0, sizeof *p);
	for (int w = 0; w < n; w++) {
		snprintf(p->wv[w].name, sizeof p->wv[w].name, "w%d", w);
		p->wv[w].group = 0;
		p->wv[w].state = WS_READY;
		p->wv[w].waits_on = -1;
	}
	for (int o = 0; o < SCENARIO_MAX_OBJECTS; o++) {
		p->ov[o].owner = -1;
		p->ov[o].queue = p->queues[o];
		if (o < s->n_objects)
			p->ov[o].value = s->objects[o].initial;
	}
	deadlock_last_releases(s, p->last_release);
}

static void hold(struct picture *p, const struct scenario *s, int w, int o)
{
	p->wv[w].holds[o]++;
	p->ov[o].holders++;
	p->ov[o].owner = w;
	if (kind_is(s->objects[o].kind, KF_COUNTING))
		p->ov[o].value--;
}

/* Blocked: waits for o, and (as in the engine's view) stands in its queue. */
static void block(struct picture *p, int w, int o, int pc)
{
	struct object_view *ov = &p->ov[o];
	int queued = 0;
	for (int i = 0; i < ov->queue_len; i++)
		queued |= ov->queue[i] == w;
	if (!queued)
		ov->queue[ov->queue_len++] = w;
	p->wv[w].state = WS_BLOCKED;
	p->wv[w].waits_on = o;
	p->wv[w].pc = pc;
}

/* A Lock whose taker died stays taken (CPython): its waiter is stuck
 * though nobody living holds it, and the sentence names the dead taker.
 * Pure: a hand-made picture, nothing forked. */
static void test_deadlock_dead_taker(void **state)
{
	(void)state;
	struct scenario *s = load_text("lockstep: 1\nid: t\ntitle: {en: t}\n"
		"objects:\n  - {name: l, type: lock}\n"
		"workers:\n  - name: w\n    count: 2\n"
		"    program: [acquire: l, release: l]\n");
	int l = obj(s, "l");
	struct picture p;
	picture_init(&p, s, 2);
	hold(&p, s, 0, l);
	p.wv[0].state = WS_KILLED;   /* what it held when it died */
	block(&p, 1, l, 0);
	int n = deadlock_find(s, p.last_release, p.wv, 2, p.ov, p.out, 16);
	assert_int_equal(n, 1);
	assert_int_equal(p.out[0].worker, 1);
	char text[512];
	words_deadlock_en(s, p.wv, 2, p.out, n, text, sizeof text);
	assert_string_equal(text, "w1 waits for l, held by w0, which died");
	/* The same Lock, its taker alive and able to go on: no deadlock. */
	p.wv[0].state = WS_READY;
	p.wv[0].pc = 1;
	assert_int_equal(deadlock_find(s, p.last_release, p.wv, 2, p.ov, p.out, 16), 0);
	drop(s);
}

static void test_deadlock_find_lock_cycle(void **state)
{
	(void)state;
	struct scenario *s = load("deadlock");
	int a = obj(s, "mutexA"), b = obj(s, "mutexB");
	assert_int_equal(s->groups[0].ops[2].kind, OP_ACQUIRE);   /* func1: B */
	assert_int_equal(s->groups[0].ops[2].object, b);
	assert_int_equal(s->groups[0].ops[9].kind, OP_ACQUIRE);   /* func2: A */
	assert_int_equal(s->groups[0].ops[9].object, a);
	struct picture p;
	picture_init(&p, s, 3);
	hold(&p, s, 0, a);
	block(&p, 0, b, 2);        /* holds A, waits for B */
	hold(&p, s, 1, b);
	block(&p, 1, a, 9);        /* holds B, waits for A */
	p.wv[2].pc = 0;            /* a third one, free to run: cannot help */
	int n = deadlock_find(s, p.last_release, p.wv, 3, p.ov, p.out, 16);
	assert_int_equal(n, 2);
	assert_true(p.out[0].worker != p.out[1].worker);
	for (int i = 0; i < 2; i++) {
		const struct cycle_link *c = &p.out[i];
		assert_true(c->worker == 0 || c->worker == 1);
		assert_int_equal(c->waits, p.wv[c->worker].waits_on);
		assert_int_equal(c->holds, c->worker == 0 ? a : b);
		assert_int_equal(p.out[1 - i].waits, c->holds);
	}
	char text[512];
	words_deadlock_en(s, p.wv, 3, p.out, n, text, sizeof text);
	assert_non_null(strstr(text, "w0 holds mutexA and waits for mutexB"));
	assert_non_null(strstr(text, "w1 holds mutexB and waits for mutexA"));

	/* The third worker is not in it even when blocked behind them. */
	block(&p, 2, a, 0);
	n = deadlock_find(s, p.last_release, p.wv, 3, p.ov, p.out, 16);
	assert_int_equal(n, 2);
	assert_true(p.out[0].worker != 2 && p.out[1].worker != 2);
	drop(s);
}

static void test_deadlock_find_lock_holder_running(void **state)
{
	(void)state;
	struct scenario *s = load("deadlock");
	int a = obj(s, "mutexA"), b = obj(s, "mutexB");
	struct picture p;
	picture_init(&p, s, 3);
	hold(&p, s, 0, a);
	block(&p, 0, b, 2);
	hold(&p, s, 1, b);
	p.wv[1].state = WS_SLEEPING;   /* holds B, asleep: it will move again */
	p.wv[1].pc = 8;
	block(&p, 2, a, 0);
	assert_int_equal(deadlock_find(s, p.last_release, p.wv, 3, p.ov, p.out, 16), 0);
	p.wv[1].state = WS_READY;
	assert_int_equal(deadlock_find(s, p.last_release, p.wv, 3, p.ov, p.out, 16), 0);
	/* Once it blocks on A, held by w0: the cycle. */
	block(&p, 1, a, 9);
	assert_int_equal(deadlock_find(s, p.last_release, p.wv, 3, p.ov, p.out, 16), 2);
	/* A lock that is free is no reason to be stuck. */
	picture_init(&p, s, 2);
	block(&p, 0, a, 0);
	block(&p, 1, b, 6);
	assert_int_equal(deadlock_find(s, p.last_release, p.wv, 2, p.ov, p.out, 16), 0);
	drop(s);
}

static void test_deadlock_find_dead_semaphore_holder(void **state)
{
	(void)state;
	struct scenario *s = load("ktv");
	int sem = obj(s, "sem");
	struct picture p;
	picture_init(&p, s, 6);
	assert_int_equal(p.ov[sem].value, 4);
	for (int w = 0; w < 4; w++) {
		hold(&p, s, w, sem);
		p.wv[w].pc = 2;
	}
	assert_int_equal(p.ov[sem].value, 0);
	/* Holders asleep: they will release, so waiting is no deadlock. */
	for (int w = 0; w < 4; w++)
		p.wv[w].state = WS_SLEEPING;
	block(&p, 4, sem, 0);
	block(&p, 5, sem, 0);
	assert_int_equal(deadlock_find(s, p.last_release, p.wv, 6, p.ov, p.out, 16), 0);
	/* Three die holding a room: one holder still runs, still no deadlock. */
	for (int w = 0; w < 3; w++)
		p.wv[w].state = WS_KILLED;
	assert_int_equal(deadlock_find(s, p.last_release, p.wv, 6, p.ov, p.out, 16), 0);
	/* The last one dies too: nobody left who releases sem.  Stuck, no cycle. */
	p.wv[3].state = WS_KILLED;
	int n = deadlock_find(s, p.last_release, p.wv, 6, p.ov, p.out, 16);
	assert_int_equal(n, 2);
	for (int i = 0; i < n; i++) {
		assert_true(p.out[i].worker == 4 || p.out[i].worker == 5);
		assert_int_equal(p.out[i].holds, -1);
		assert_int_equal(p.out[i].waits, sem);
	}
	assert_true(p.out[0].worker != p.out[1].worker);
	/* A holder past its release (it already gave back all it will) cannot
	 * rescue anyone either: done is done. */
	p.wv[3].state = WS_DONE;
	assert_int_equal(deadlock_find(s, p.last_release, p.wv, 6, p.ov, p.out, 16), 2);
	/* And a free room means nobody is stuck. */
	p.ov[sem].value = 1;
	assert_int_equal(deadlock_find(s, p.last_release, p.wv, 6, p.ov, p.out, 16), 0);
	drop(s);
}

/* ---- --workers ------------------------------------------------------------- */

static void test_thousand_workers(void **state)
{
	(void)state;
	struct scenario *s = load("counter-locked");
	char err[512] = "";
	if (scenario_set_workers(s, 1000, err, sizeof err) != 0)
		fail_msg("scenario_set_workers: %s", err);
	assert_int_equal(scenario_worker_count(s), 1000);
	const enum schedule scheds[] = { SCHED_OS, SCHED_RANDOM };
	for (size_t i = 0; i < 2; i++) {
		struct engine *e = start(s, scheds[i], 1000);
		assert_outcome(run(e), RUN_FINISHED, "1000 workers");
		const struct engine_view *v = engine_view(e);
		int count = obj(s, "count"), lock = obj(s, "lock");
		assert_int_equal(v->started, 1000);
		assert_int_equal(count_state(e, WS_DONE), 1000);
		/* The count starts at the worker count (initial: workers) and
		 * 1000 workers subtract 1 each. */
		assert_int_equal(v->objects[count].value, 0);
		assert_int_equal(s->objects[count].expect, 0);
		assert_int_equal(v->objects[count].lost, 0);
		assert_int_equal(v->objects[lock].peak, 1);
		finish(e, "1000 workers");
	}
	drop(s);
}

/* ---- every bundled scenario ------------------------------------------------ */

/* Each bundled scenario says how a run must end (expect: outcome) and how
 * many may hold an object at once (max-holders): hold it to that in every
 * schedule, and leave no process behind. */
static void test_every_bundled_scenario(void **state)
{
	(void)state;
	const char *dir = getenv("SCENARIOS");
	if (!dir || !*dir)
		dir = ABS_TOP_SRCDIR "/scenarios";
	DIR *d = opendir(dir);
	if (!d)
		fail_msg("cannot open %s: %s", dir, strerror(errno));
	int n_files = 0;
	struct dirent *de;
	while ((de = readdir(d))) {
		size_t len = strlen(de->d_name);
		if (len < 6 || strcmp(de->d_name + len - 5, ".yaml") != 0)
			continue;
		char path[PATH_MAX];
		if (snprintf(path, sizeof path, "%s/%s", dir, de->d_name) >= (int)sizeof path)
			continue;
		struct scenario *s = load_path(path);
		n_files++;
		struct { enum schedule sched; uint64_t seed; } runs[] = {
			{ SCHED_RANDOM, 1 }, { SCHED_RANDOM, 2 }, { SCHED_RANDOM, 3 },
			{ SCHED_ROUND_ROBIN, 0 }, { SCHED_OS, 1 },
		};
		for (size_t r = 0; r < sizeof runs / sizeof *runs; r++) {
			struct engine_options o = {
				.schedule = runs[r].sched, .seed = runs[r].seed,
				.speed = 100, .timeout_s = 60,
			};
			struct engine *e = start_opts(s, &o);
			enum run_outcome got = run(e);
			char what[256];
			snprintf(what, sizeof what, "%s, %s schedule, seed %llu", s->id,
			         schedule_name(runs[r].sched), (unsigned long long)runs[r].seed);
			if (s->expect_outcome == OUTCOME_FINISHED && got != RUN_FINISHED)
				fail_msg("%s: ended %s, the scenario expects finished", what, outcome_name(got));
			if (s->expect_outcome == OUTCOME_DEADLOCK && got != RUN_DEADLOCK)
				fail_msg("%s: ended %s, the scenario expects deadlock", what, outcome_name(got));
			if (got != RUN_FINISHED && got != RUN_DEADLOCK)
				fail_msg("%s: ended %s", what, outcome_name(got));
			const struct engine_view *v = engine_view(e);
			for (int i = 0; i < s->n_objects; i++)
				if (s->expect_max_holders[i] > 0 && v->objects[i].peak > s->expect_max_holders[i])
					fail_msg("%s: %s had %d holders at once, max-holders is %ld", what,
					         s->objects[i].name, v->objects[i].peak, s->expect_max_holders[i]);
			if (got == RUN_FINISHED)
				for (int w = 0; w < v->n_workers; w++)
					if (v->workers[w].state != WS_DONE && v->workers[w].state != WS_KILLED)
						fail_msg("%s: finished, but %s is %s", what, v->workers[w].name,
						         worker_state_name(v->workers[w].state));
			finish(e, what);
		}
		drop(s);
	}
	closedir(d);
	assert_true(n_files >= 6);
}

/* The picture after every step of every bundled scenario: an owned lock
 * (rlock, robust-lock) has one holder at most and it is the owner; a Lock
 * or semaphore counts as taken its start minus its count (CPython: no
 * owner), at least what the live workers hold; a queue stays within its
 * capacity; a blocked worker stands in the queue of what it waits for,
 * once. */
static void check_picture(const struct engine *e, const char *what)
{
	const struct engine_view *v = engine_view(e);
	const struct scenario *s = v->scenario;
	for (int o = 0; o < s->n_objects; o++) {
		const struct object_view *ov = &v->objects[o];
		enum object_kind k = s->objects[o].kind;
		int held = 0, holders = 0, holder = -1;
		for (int w = 0; w < v->n_workers; w++)
			if (v->workers[w].state != WS_KILLED && v->workers[w].holds[o]) {
				held += v->workers[w].holds[o];
				holders++;
				holder = w;
			}
		if (kind_is(k, KF_OWNED)) {
			if (holders > 1 || (holders == 1 && ov->owner != holder) ||
			    (holders == 0 && ov->owner != -1 && !ov->owner_died))
				fail_msg("%s, step %ld: %s: %d live holders (last %d), owner %d", what,
				         v->steps, s->objects[o].name, holders, holder, ov->owner);
		}
		long taken = s->objects[o].initial - ov->value;
		if (kind_is(k, KF_COUNTING) &&
		    (ov->holders != (taken > 0 ? taken : 0) || held > ov->holders))
			fail_msg("%s, step %ld: %s says %d taken (count %ld of %ld), the live "
			         "workers hold it %d times", what, v->steps, s->objects[o].name,
			         ov->holders, ov->value, s->objects[o].initial, held);
		if ((k == OBJ_SEMAPHORE || k == OBJ_BOUNDED_SEMAPHORE) && ov->value < 0)
			fail_msg("%s, step %ld: %s at %ld", what, v->steps, s->objects[o].name, ov->value);
		if (k == OBJ_QUEUE && (ov->n_items < 0 || ov->n_items > s->objects[o].capacity))
			fail_msg("%s, step %ld: %s has %d items, capacity %d", what, v->steps,
			         s->objects[o].name, ov->n_items, s->objects[o].capacity);
		for (int i = 0; i < ov->queue_len; i++)
			for (int j = i + 1; j < ov->queue_len; j++)
				if (ov->queue[i] == ov->queue[j])
					fail_msg("%s, step %ld: %s is twice in %s's queue", what, v->steps,
					         v->workers[ov->queue[i]].name, s->objects[o].name);
	}
	for (int w = 0; w < v->n_workers; w++) {
		const struct worker_view *wv = &v->workers[w];
		if (wv->state != WS_BLOCKED)
			continue;
		if (wv->waits_on < 0 || wv->waits_on >= s->n_objects)
			fail_msg("%s, step %ld: %s is blocked on nothing", what, v->steps, wv->name);
		const struct object_view *ov = &v->objects[wv->waits_on];
		int queued = 0;
		for (int i = 0; i < ov->queue_len; i++)
			queued |= ov->queue[i] == w;
		if (!queued)
			fail_msg("%s, step %ld: %s is blocked on %s but not in its queue", what,
			         v->steps, wv->name, s->objects[wv->waits_on].name);
	}
}

static void test_every_bundled_scenario_by_steps(void **state)
{
	(void)state;
	const char *dir = getenv("SCENARIOS");
	if (!dir || !*dir)
		dir = ABS_TOP_SRCDIR "/scenarios";
	DIR *d = opendir(dir);
	if (!d)
		fail_msg("cannot open %s: %s", dir, strerror(errno));
	struct dirent *de;
	while ((de = readdir(d))) {
		size_t len = strlen(de->d_name);
		if (len < 6 || strcmp(de->d_name + len - 5, ".yaml") != 0)
			continue;
		char path[PATH_MAX];
		if (snprintf(path, sizeof path, "%s/%s", dir, de->d_name) >= (int)sizeof path)
			continue;
		struct scenario *s = load_path(path);
		for (uint64_t seed = 1; seed <= 2; seed++) {
			struct engine *e = start(s, seed == 1 ? SCHED_RANDOM : SCHED_ROUND_ROBIN, seed);
			char what[160];
			snprintf(what, sizeof what, "%s seed %llu", s->id, (unsigned long long)seed);
			check_picture(e, what);
			while (engine_outcome(e) == RUN_RUNNING) {
				char why[256] = "";
				if (engine_step(e, -1, why, sizeof why) < 0)
					fail_msg("%s: no step while running: %s", what, why);
				check_picture(e, what);
				assert_true(engine_view(e)->steps < 1000000);
			}
			finish(e, what);
		}
		drop(s);
	}
	closedir(d);
}

/* ---- main ------------------------------------------------------------------ */

int main(void)
{
	if (testlib_init("unit-engine", 1) != 0)
		return 1;
	const struct CMUnitTest tests[] = {
		T(test_locked_os),
		T(test_locked_random_seeds),
		T(test_locked_round_robin),
		T(test_locked_every_step),
		T(test_unlocked_loses_updates),
		T(test_unlocked_os_counts_lost),
		T(test_unlocked_lost_by_hand),
		T(test_same_seed_same_trace),
		T(test_other_seed_other_trace),
		T(test_ktv),
		T(test_ktv_queue_every_step),
		T(test_ktv_os),
		T(test_deadlock_random),
		T(test_deadlock_round_robin),
		T(test_deadlock_os),
		T(test_step_chosen_worker),
		T(test_step_blocked_refused),
		T(test_step_os_refused),
		T(test_step_back_counter),
		T(test_step_back_sleeps),
		T(test_step_back_to_zero),
		T(test_kill_lock_holder),
		T(test_kill_lock_holder_os),
		T(test_kill_lock_holder_os_trace_order),
		T(test_kill_with_reports_unread),
		T(test_kill_semaphore_holder),
		T(test_kill_all_semaphore_holders),
		T(test_step_back_replays_kill),
		T(test_crash_controlled),
		T(test_kill_waiter),
		T(test_restart_os),
		T(test_kill_breaks_deadlock),
		T(test_kill_breaks_deadlock_os),
		T(test_stop_fd_os),
		T(test_stop_fd_os_asleep),
		T(test_stop_fd_controlled),
		T(test_timeout_os),
		T(test_virtual_sleep),
		T(test_trailing_sleep),
		T(test_free_midway),
		T(test_timeout_controlled),
		T(test_stop_fd_controlled_endless),
		T(test_step_back_from_deadlock),
		T(test_full_pipe_waits),
		T(test_full_pipe_timeout),
		T(test_killed_from_outside),
		T(test_stopped_from_outside),
		T(test_step_obeys_stop_and_deadline),
		T(test_long_run_bounded),
		T(test_replay_in_slices),
		T(test_run_callback),
		T(test_deadlock_find_lock_cycle),
		T(test_deadlock_dead_taker),
		T(test_deadlock_find_lock_holder_running),
		T(test_deadlock_find_dead_semaphore_holder),
		T(test_thousand_workers),
		T(test_every_bundled_scenario),
		T(test_every_bundled_scenario_by_steps),
	};
	/* UNIT_FILTER=pattern runs only the tests whose names match. */
	if (getenv("UNIT_FILTER"))
		cmocka_set_test_filter(getenv("UNIT_FILTER"));
	return cmocka_run_group_tests(tests, NULL, NULL);
}
