/*
 * unit-picture.c: the picture (src/picture.h) as the reducer it is.
 *
 * Each test loads a real scenario, makes a picture of it, and feeds it
 * made-up reports (struct wire_event, as the workers write them) and the
 * controller's own inputs (a step, a death with its wait status), in the
 * order the engine would; then it reads the view.  Nothing is forked:
 * every test checks that this process has no child at all (waitpid says
 * ECHILD), so what the picture shows came from the events alone.
 *
 * The made-up reports follow the scenario's programs (the pc of each is
 * the op it reports on), since the picture asks the program what a
 * waiter waits to do.
 */
#include "config.h"

#include <errno.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <sys/wait.h>

#include "picture.h"
#include "scenario.h"
#include "testlib.h"

#define HEAD "lockstep: 1\nid: t\ntitle: {en: t}\n"

/* ---- feeding a picture ------------------------------------------------------ */

/* No process of ours exists: the picture was fed, never forked for. */
static void assert_no_child(void)
{
	errno = 0;
	assert_int_equal(waitpid(-1, NULL, WNOHANG), -1);
	assert_int_equal(errno, ECHILD);
}

/* A controlled picture of S (a seeded random schedule). */
static void make(struct picture *p, const struct scenario *s)
{
	struct engine_options o = { .schedule = SCHED_RANDOM, .seed = 1, .speed = 1 };
	assert_int_equal(picture_init(p, s, &o), 0);
	assert_no_child();
}

/* Worker W's report of kind K at op PC. */
static void report(struct picture *p, int w, int pc, enum event_kind k, int obj,
                   long value, long extra)
{
	struct wire_event we = {
		.worker = w, .pc = (int16_t)pc, .kind = (uint8_t)k, .object = (int8_t)obj,
		.value = value, .extra = extra,
	};
	picture_apply(p, &we, NULL);
}

/* What the engine does for one controlled step: count it, let W go,
 * and apply the report W then writes. */
static void step(struct picture *p, int w, int pc, enum event_kind k, int obj,
                 long value, long extra)
{
	assert_int_equal(p->wv[w].state, WS_READY);
	p->view.steps++;
	picture_stepping(p, w);
	report(p, w, pc, k, obj, value, extra);
}

/* W ran its program (EV_EXIT) and its process ended with status 0. */
static void finishes(struct picture *p, int w)
{
	report(p, w, p->s->groups[p->wv[w].group].n_ops, EV_EXIT, -1, 0, 0);
	picture_died(p, w, 0);
}

static const struct event *last_event(const struct picture *p)
{
	assert_true(p->n_events > 0);
	return &p->events[p->n_events - 1];
}

static int idx(const struct scenario *s, const char *name)
{
	return obj(s, name);
}

/* ---- a Lock: its holder and its queue ----------------------------------------- */

static const char lock_yaml[] = HEAD
	"objects:\n"
	"  - {name: lock, type: lock}\n"
	"workers:\n"
	"  - name: a\n"
	"    count: 3\n"
	"    program:\n"
	"      - acquire: lock\n"
	"      - release: lock\n";

static void test_lock_queue(void **state)
{
	(void)state;
	struct scenario *s = load_text(lock_yaml);
	struct picture p;
	make(&p, s);
	int lock = idx(s, "lock");
	const struct object_view *o = &p.ov[lock];

	step(&p, 0, 0, EV_ACQUIRED, lock, 1, 0);
	assert_int_equal(o->holders, 1);
	assert_int_equal(o->owner, 0);
	assert_int_equal(o->value, 0);
	assert_int_equal(p.wv[0].holds[lock], 1);
	assert_int_equal(p.wv[0].pc, 1);
	assert_int_equal(last_event(&p)->value, 1);   /* holders after */

	step(&p, 1, 0, EV_WAIT, lock, 0, 0);
	assert_int_equal(last_event(&p)->value, 1);   /* first in the queue */
	assert_int_equal(last_event(&p)->extra, 0);   /* waits for a0 */
	step(&p, 2, 0, EV_WAIT, lock, 0, 0);
	assert_int_equal(last_event(&p)->value, 2);
	assert_int_equal(o->queue_len, 2);
	assert_int_equal(o->queue[0], 1);
	assert_int_equal(o->queue[1], 2);
	assert_int_equal(p.wv[1].state, WS_BLOCKED);
	assert_int_equal(p.wv[1].waits_on, lock);
	assert_int_equal(p.wv[1].pc, 0);
	assert_int_equal(p.n_ready, 1);
	picture_judge(&p);
	assert_outcome(p.view.outcome, RUN_RUNNING, "a0 can still release");

	/* The release lets the first waiter try again, and only it. */
	step(&p, 0, 1, EV_RELEASED, lock, 0, 0);
	assert_int_equal(o->holders, 0);
	assert_int_equal(o->owner, -1);
	assert_int_equal(o->value, 1);
	assert_int_equal(p.wv[1].state, WS_READY);
	assert_int_equal(p.wv[2].state, WS_BLOCKED);

	step(&p, 1, 0, EV_ACQUIRED, lock, 1, 0);
	assert_int_equal(o->owner, 1);
	assert_int_equal(o->queue_len, 1);
	assert_int_equal(o->queue[0], 2);
	assert_int_equal(o->peak, 1);

	finishes(&p, 0);
	assert_int_equal(p.wv[0].state, WS_DONE);
	assert_int_equal(p.n_ended, 1);
	picture_judge(&p);
	assert_outcome(p.view.outcome, RUN_RUNNING, "a1 holds, a2 waits");
	assert_no_child();
	picture_free(&p);
	drop(s);
}

/* ---- a lost update ------------------------------------------------------------ */

static const char counter_yaml[] = HEAD
	"objects:\n"
	"  - {name: count, type: value, initial: 0}\n"
	"workers:\n"
	"  - name: a\n"
	"    count: 2\n"
	"    program:\n"
	"      - update: {value: count, add: 1}\n";

static void test_lost_update(void **state)
{
	(void)state;
	struct scenario *s = load_text(counter_yaml);
	assert_int_equal(s->groups[0].ops[0].kind, OP_LOAD);
	assert_int_equal(s->groups[0].ops[1].kind, OP_STORE);
	struct picture p;
	make(&p, s);
	int count = idx(s, "count");
	const struct object_view *o = &p.ov[count];

	/* Both read 0, then both write back 0 + 1. */
	step(&p, 0, 0, EV_LOAD, count, 0, 0);
	step(&p, 1, 0, EV_LOAD, count, 0, 0);
	assert_int_equal(p.wv[1].reg, 0);
	assert_true(p.wv[1].has_reg);
	step(&p, 0, 1, EV_STORE, count, 1, 0);
	assert_int_equal(o->value, 1);
	assert_int_equal(o->lost, 0);
	step(&p, 1, 1, EV_STORE, count, 1, 0);
	assert_int_equal(o->value, 1);
	assert_int_equal(o->intended, 2);
	assert_int_equal(o->lost, 1);
	assert_int_equal(o->updates, 2);
	assert_int_equal(o->peak, 1);

	finishes(&p, 0);
	finishes(&p, 1);
	picture_judge(&p);
	assert_outcome(p.view.outcome, RUN_FINISHED, "both done");
	assert_no_child();
	picture_free(&p);
	drop(s);
}

/* os schedule: reports come out of order, so the value shown is what the
 * engine read in shared memory (picture_observe), not the report's. */
static void test_os_value_observed(void **state)
{
	(void)state;
	struct scenario *s = load_text(counter_yaml);
	struct picture p;
	struct engine_options os = { .schedule = SCHED_OS, .speed = 1 };
	assert_int_equal(picture_init(&p, s, &os), 0);
	int count = idx(s, "count");
	picture_set_time(&p, 5);
	picture_observe(&p, count, 0, 2);
	report(&p, 1, 1, EV_STORE, count, 1, 0);   /* read before a0's, written after */
	assert_int_equal(p.ov[count].value, 2);
	assert_int_equal(p.ov[count].intended, 1);
	assert_int_equal(p.ov[count].peak, 1);
	assert_int_equal(last_event(&p)->t_ms, 5);
	assert_int_equal(p.view.steps, 1);   /* os: ops done */
	assert_no_child();
	picture_free(&p);
	drop(s);
}

/* ---- a semaphore released by another worker ---------------------------------- */

static const char signal_yaml[] = HEAD
	"objects:\n"
	"  - {name: sem, type: semaphore, initial: 2, max-holders: 2}\n"
	"workers:\n"
	"  - name: taker\n"
	"    count: 3\n"
	"    program:\n"
	"      - acquire: sem\n"
	"  - name: giver\n"
	"    count: 1\n"
	"    program:\n"
	"      - release: sem\n"
	"      - release: sem\n"
	"      - release: sem\n"
	"      - release: sem\n";

static void test_semaphore_taken_not_owned(void **state)
{
	(void)state;
	struct scenario *s = load_text(signal_yaml);
	struct picture p;
	make(&p, s);
	int sem = idx(s, "sem");
	const struct object_view *o = &p.ov[sem];
	const int giver = 3;

	step(&p, 0, 0, EV_ACQUIRED, sem, 0, 0);
	step(&p, 1, 0, EV_ACQUIRED, sem, 0, 0);
	assert_int_equal(o->value, 0);
	assert_int_equal(o->holders, 2);   /* taken = initial - value */
	step(&p, 2, 0, EV_WAIT, sem, 0, 0);
	assert_int_equal(p.wv[2].state, WS_BLOCKED);

	/* The giver took nothing, and gives: the count goes up, the waiter
	 * may try again, and nobody is short of anything. */
	step(&p, giver, 0, EV_RELEASED, sem, 0, 0);
	assert_int_equal(o->value, 1);
	assert_int_equal(o->holders, 1);
	assert_int_equal(last_event(&p)->value, 1);
	assert_int_equal(p.wv[2].state, WS_READY);
	step(&p, 2, 0, EV_ACQUIRED, sem, 0, 0);
	assert_int_equal(o->value, 0);
	assert_int_equal(o->holders, 2);
	for (int w = 0; w < 3; w++)
		finishes(&p, w);

	step(&p, giver, 1, EV_RELEASED, sem, 0, 0);
	step(&p, giver, 2, EV_RELEASED, sem, 0, 0);
	assert_int_equal(o->value, 2);
	assert_int_equal(o->holders, 0);
	step(&p, giver, 3, EV_RELEASED, sem, 0, 0);   /* a Semaphore may grow */
	assert_int_equal(o->value, 3);
	assert_int_equal(o->holders, 0);
	finishes(&p, giver);

	assert_int_equal(o->count_lost, 0);
	assert_int_equal(o->owner_died, 0);
	assert_int_equal(s->expect_max_holders[sem], 2);
	assert_true(o->peak <= s->expect_max_holders[sem]);   /* the limit holds */
	for (int w = 0; w < p.n_workers; w++)
		assert_int_equal(p.wv[w].holds[sem], 0);
	picture_judge(&p);
	assert_outcome(p.view.outcome, RUN_FINISHED, "all done");
	assert_no_child();
	picture_free(&p);
	drop(s);
}

/* ---- a dead holder ------------------------------------------------------------- */

static const char crash_yaml[] = HEAD
	"objects:\n"
	"  - {name: lock, type: %s}\n"
	"workers:\n"
	"  - name: crash\n"
	"    count: 1\n"
	"    program:\n"
	"      - acquire: lock\n"
	"      - crash: dies holding it\n"
	"      - release: lock\n"
	"  - name: work\n"
	"    count: 1\n"
	"    program:\n"
	"      - acquire: lock\n"
	"      - release: lock\n";

static struct scenario *load_crash(const char *type)
{
	char text[sizeof crash_yaml + 32];
	snprintf(text, sizeof text, crash_yaml, type);
	return load_text(text);
}

/* crash0 takes the lock, work0 waits for it, crash0 is killed. */
static void crash_with_waiter(struct picture *p, int lock)
{
	step(p, 0, 0, EV_ACQUIRED, lock, 1, 0);
	step(p, 1, 0, EV_WAIT, lock, 0, 0);
	picture_judge(p);
	assert_outcome(p->view.outcome, RUN_RUNNING, "crash0 may still release");
	picture_died(p, 0, SIGKILL);   /* a wait status: killed by SIGKILL */
	assert_int_equal(p->wv[0].state, WS_KILLED);
	assert_int_equal(last_event(p)->kind, EV_KILLED);
	assert_int_equal(last_event(p)->value, SIGKILL);
	assert_int_equal(last_event(p)->extra, 1);   /* by a signal */
}

static void test_dead_lock_holder(void **state)
{
	(void)state;
	struct scenario *s = load_crash("lock");
	struct picture p;
	make(&p, s);
	int lock = idx(s, "lock");
	const struct object_view *o = &p.ov[lock];
	crash_with_waiter(&p, lock);

	/* CPython: a Lock whose holder died stays taken for ever. */
	assert_int_equal(o->value, 0);
	assert_int_equal(o->holders, 1);
	assert_int_equal(o->owner, 0);
	assert_int_equal(o->owner_died, 1);
	assert_int_equal(p.wv[1].state, WS_BLOCKED);
	picture_judge(&p);
	assert_outcome(p.view.outcome, RUN_DEADLOCK, "work0 waits for a dead holder");
	assert_int_equal(p.view.cycle_len, 1);
	assert_int_equal(p.view.cycle[0].worker, 1);
	assert_int_equal(p.view.cycle[0].waits, lock);
	assert_int_equal(last_event(&p)->kind, EV_DEADLOCK);
	assert_string_equal(last_event(&p)->text,
	                    "work0 waits for lock, held by crash0, which died");
	long n = p.n_events;
	picture_judge(&p);
	assert_int_equal(p.n_events, n);   /* said once */
	assert_no_child();
	picture_free(&p);
	drop(s);
}

static void test_robust_lock_recovered(void **state)
{
	(void)state;
	struct scenario *s = load_crash("robust-lock");
	struct picture p;
	make(&p, s);
	int lock = idx(s, "lock");
	const struct object_view *o = &p.ov[lock];
	crash_with_waiter(&p, lock);

	/* The kernel frees a robust mutex of a dead owner: the next taker
	 * gets EOWNERDEAD and makes it consistent. */
	assert_int_equal(o->holders, 0);
	assert_int_equal(o->owner, -1);
	assert_int_equal(o->owner_died, 1);
	assert_int_equal(p.wv[1].state, WS_READY);
	picture_judge(&p);
	assert_outcome(p.view.outcome, RUN_RUNNING, "work0 may take it");

	step(&p, 1, 0, EV_RECOVERED, lock, 1, 0);
	assert_int_equal(o->owner, 1);
	assert_int_equal(o->holders, 1);
	assert_int_equal(o->owner_died, 0);
	assert_int_equal(o->queue_len, 0);
	assert_int_equal(last_event(&p)->kind, EV_RECOVERED);
	assert_int_equal(last_event(&p)->value, 1);
	step(&p, 1, 1, EV_RELEASED, lock, 0, 0);
	finishes(&p, 1);
	picture_judge(&p);
	assert_outcome(p.view.outcome, RUN_FINISHED, "work0 done, crash0 dead");
	assert_no_child();
	picture_free(&p);
	drop(s);
}

/* A worker killed from outside after it took the Lock but before it said
 * so: the picture thinks the Lock free, but the next taker's try says it
 * is not.  The try wins, so the waiter is seen stuck: a deadlock, not a
 * run where nobody moves and nothing is said. */
static void test_count_taken_unsaid(void **state)
{
	(void)state;
	struct scenario *s = load_crash("lock");
	struct picture p;
	make(&p, s);
	int lock = idx(s, "lock");
	const struct object_view *o = &p.ov[lock];
	p.view.steps++;
	picture_stepping(&p, 0);       /* crash0 steps, takes it, and is killed */
	picture_died(&p, 0, SIGKILL);
	assert_int_equal(o->value, 1);
	step(&p, 1, 0, EV_WAIT, lock, 0, 0);
	assert_int_equal(o->value, 0);
	assert_int_equal(o->holders, 1);
	assert_int_equal(o->count_lost, 1);
	assert_int_equal(p.wv[1].state, WS_BLOCKED);
	picture_judge(&p);
	assert_outcome(p.view.outcome, RUN_DEADLOCK, "work0 waits for a count nobody has");
	assert_string_equal(last_event(&p)->text, "work0 waits for lock");
	assert_no_child();
	picture_free(&p);
	drop(s);
}

/* ---- an event, a barrier, a queue ---------------------------------------------- */

static const char items_yaml[] = HEAD
	"objects:\n"
	"  - {name: go, type: event}\n"
	"  - {name: meet, type: barrier, parties: 2}\n"
	"  - {name: q, type: queue, capacity: 1}\n"
	"workers:\n"
	"  - name: a\n"
	"    count: 1\n"
	"    program:\n"
	"      - wait: go\n"
	"      - wait: meet\n"
	"      - put: {queue: q, value: 5}\n"
	"      - put: {queue: q, value: 6}\n"
	"  - name: b\n"
	"    count: 1\n"
	"    program:\n"
	"      - set: go\n"
	"      - wait: meet\n"
	"      - get: q\n"
	"      - get: q\n";

static void test_event_barrier_queue(void **state)
{
	(void)state;
	struct scenario *s = load_text(items_yaml);
	struct picture p;
	make(&p, s);
	int go = idx(s, "go"), meet = idx(s, "meet"), q = idx(s, "q");
	const int a = 0, b = 1;

	step(&p, a, 0, EV_WAIT, go, 0, 0);
	assert_int_equal(p.ov[go].flag, 0);
	step(&p, b, 0, EV_SET, go, 0, 0);
	assert_int_equal(p.ov[go].flag, 1);
	assert_int_equal(last_event(&p)->value, 1);   /* one waiter released */
	assert_int_equal(p.wv[a].state, WS_READY);
	step(&p, a, 0, EV_PASSED, go, 0, 0);
	assert_int_equal(p.wv[a].waits_on, -1);
	assert_int_equal(p.ov[go].queue_len, 0);

	step(&p, a, 1, EV_WAIT, meet, 0, 0);
	assert_int_equal(p.ov[meet].arrived, 1);
	step(&p, b, 1, EV_PASSED, meet, 0, 1);   /* the second arrival trips it */
	assert_int_equal(p.ov[meet].rounds, 1);
	assert_int_equal(p.wv[a].state, WS_READY);
	step(&p, a, 1, EV_PASSED, meet, 0, 0);
	assert_int_equal(p.ov[meet].arrived, 0);
	assert_int_equal(p.ov[meet].queue_len, 0);

	step(&p, a, 2, EV_PUT, q, 5, 1);
	assert_int_equal(p.ov[q].n_items, 1);
	assert_int_equal(p.ov[q].items[0], 5);
	assert_int_equal(p.ov[q].value, 1);
	step(&p, a, 3, EV_WAIT, q, 0, 0);   /* full: the putter waits */
	assert_int_equal(p.wv[a].state, WS_BLOCKED);
	step(&p, b, 2, EV_GET, q, 5, 0);
	assert_int_equal(p.wv[b].reg, 5);
	assert_int_equal(p.ov[q].n_items, 0);
	assert_int_equal(p.wv[a].state, WS_READY);   /* room again */
	step(&p, a, 3, EV_PUT, q, 6, 1);
	assert_int_equal(p.ov[q].items[0], 6);
	assert_int_equal(p.ov[q].queue_len, 0);
	step(&p, b, 3, EV_GET, q, 6, 0);
	assert_int_equal(p.ov[q].moved, 2);
	assert_int_equal(p.ov[q].peak, 1);
	finishes(&p, a);
	finishes(&p, b);
	picture_judge(&p);
	assert_outcome(p.view.outcome, RUN_FINISHED, "both done");
	assert_no_child();
	picture_free(&p);
	drop(s);
}

/* A barrier nobody else will reach: everyone alive waits, a deadlock. */
static void test_barrier_alone_deadlocks(void **state)
{
	(void)state;
	struct scenario *s = load_text(items_yaml);
	struct picture p;
	make(&p, s);
	int go = idx(s, "go"), meet = idx(s, "meet");
	step(&p, 1, 0, EV_SET, go, 0, 0);
	step(&p, 1, 1, EV_WAIT, meet, 0, 0);
	picture_died(&p, 0, SIGKILL);
	picture_judge(&p);
	assert_outcome(p.view.outcome, RUN_DEADLOCK, "b0 waits alone at the barrier");
	assert_int_equal(p.view.cycle[0].worker, 1);
	assert_no_child();
	picture_free(&p);
	drop(s);
}

int main(void)
{
	if (testlib_init("unit-picture", 1.0) != 0)
		return 1;
	const struct CMUnitTest tests[] = {
		T(test_lock_queue),
		T(test_lost_update),
		T(test_os_value_observed),
		T(test_semaphore_taken_not_owned),
		T(test_dead_lock_holder),
		T(test_robust_lock_recovered),
		T(test_count_taken_unsaid),
		T(test_event_barrier_queue),
		T(test_barrier_alone_deadlocks),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
