/*
 * unit-types.c: every kind of shared object, tested on the real engine.
 *
 * Each test writes a small scenario into a temporary directory of its own,
 * loads it with the real loader and runs it on the real engine: real
 * forked workers on real process-shared primitives (robust and recursive
 * mutexes, semaphores, condition variables guarding an event flag, a
 * barrier count or a queue ring, real pipes, a real manager process).
 * Under a controlled schedule the test chooses the interleaving step by
 * step (engine_step with a named worker) or runs a seeded random or a
 * round-robin schedule; under `os` the kernel interleaves and the test
 * only checks what must hold whatever it chose.  Order is made by the
 * scenario itself (an event, a queue), never by a timer; nothing is timed.
 * Every run ends with engine_free and a check that none of the processes
 * it started (the workers of its start events, and the manager) exists.
 *
 * make check exports SCENARIOS and TESTDIR; TMPDIR picks where the
 * temporary directories go; UNIT_TYPES_TRACE=1 names, on stderr, each
 * schedule a test runs its scenario under (which one failed).
 *
 * Two tests fail on purpose until the engine is fixed: they are marked
 * ENGINE BUG (test_os_atomic_add_view, test_os_dead_holder_record), and
 * the tests whose os runs can meet the same bugs say so.
 */
#include "config.h"

#include <errno.h>
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
#include <sys/types.h>
#include <unistd.h>

#include "engine.h"
#include "scenario.h"
#include "testlib.h"

#define HEAD "lockstep: 1\nid: t\ntitle: {en: t}\n"

/* Under os, sleeps run 20 times faster (testlib_init). */
#define OS_SPEED 20.0

/* ---- engines -------------------------------------------------------------- */

/* Worker index by name ("a0"). */
static int wk(const struct engine *e, const char *name)
{
	const struct engine_view *v = engine_view(e);
	for (int w = 0; w < v->n_workers; w++)
		if (!strcmp(v->workers[w].name, name))
			return w;
	fail_msg("no worker %s", name);
	return -1;
}

/* Let worker W do one op: it must be able to. */
static void step(struct engine *e, int w)
{
	char why[256] = "";
	int got = engine_step(e, w, why, sizeof why);
	if (got != w)
		fail_msg("step of %s refused: %s", engine_view(e)->workers[w].name, why);
}

/* Worker W must not be able to step (it is blocked). */
static void refused(struct engine *e, int w)
{
	char why[256] = "";
	long steps = engine_view(e)->steps;
	if (engine_step(e, w, why, sizeof why) != -1)
		fail_msg("%s stepped, but should be blocked", engine_view(e)->workers[w].name);
	assert_int_equal(engine_view(e)->steps, steps);
}

static void assert_blocked_on(const struct engine *e, int w, int o)
{
	const struct worker_view *wv = &engine_view(e)->workers[w];
	if (wv->state != WS_BLOCKED || wv->waits_on != o)
		fail_msg("%s: state %s waits_on %d, expected blocked on %d", wv->name,
		         worker_state_name(wv->state), wv->waits_on, o);
}

/* The index of the Nth (0-based) such event, or -1. */
static long find_ev(const struct engine *e, enum event_kind kind, int o, int w, int nth)
{
	long count;
	const struct event *ev = engine_events(e, &count);
	for (long i = 0; i < count; i++)
		if (ev[i].kind == kind && (o < 0 || ev[i].object == o) &&
		    (w < 0 || ev[i].worker == w) && nth-- == 0)
			return i;
	return -1;
}

static const struct event *ev_at(const struct engine *e, long i)
{
	long count;
	const struct event *ev = engine_events(e, &count);
	assert_true(i >= 0 && i < count);
	return &ev[i];
}

/* The trace, as # lines on stderr: for a failure's message. */
static void dump_trace(const struct engine *e)
{
	long count;
	const struct event *ev = engine_events(e, &count);
	const struct engine_view *v = engine_view(e);
	for (long i = 0; i < count; i++)
		fprintf(stderr, "#   %4ld %6ld %-6s %-9s obj %2d value %ld extra %ld %s\n",
		        ev[i].step, ev[i].t_ms,
		        ev[i].worker >= 0 ? v->workers[ev[i].worker].name : "-",
		        event_kind_name(ev[i].kind), ev[i].object, ev[i].value, ev[i].extra,
		        ev[i].text ? ev[i].text : "");
}

/* Worker W said EV_ERROR (on object O) with NEEDLE in its text, and died. */
static void assert_error_death(const struct engine *e, int w, int o, const char *needle,
                               const char *what)
{
	long i = find_ev(e, EV_ERROR, -1, w, 0);
	if (i < 0)
		fail_msg("%s: %s said no EV_ERROR", what, engine_view(e)->workers[w].name);
	const struct event *ev = ev_at(e, i);
	assert_int_equal(ev->object, o);
	if (!ev->text || !strstr(ev->text, needle))
		fail_msg("%s: EV_ERROR text '%s' lacks '%s'", what, ev->text ? ev->text : "",
		         needle);
	if (engine_view(e)->workers[w].state != WS_KILLED)
		fail_msg("%s: %s is %s after its error, not killed", what,
		         engine_view(e)->workers[w].name,
		         worker_state_name(engine_view(e)->workers[w].state));
	assert_int_equal(count_events(e, EV_EXIT, -1, w), 0);
}

/* Run S under random seeds 1..4, round-robin and os; CHECK each end. */
static void each_schedule(const struct scenario *s, enum run_outcome want, check_fn *check)
{
	struct { enum schedule sched; uint64_t seed; } runs[] = {
		{ SCHED_RANDOM, 1 }, { SCHED_RANDOM, 2 }, { SCHED_RANDOM, 3 },
		{ SCHED_RANDOM, 4 }, { SCHED_ROUND_ROBIN, 0 }, { SCHED_OS, 0 },
	};
	for (size_t k = 0; k < sizeof runs / sizeof *runs; k++) {
		char what[96];
		snprintf(what, sizeof what, "%s seed %llu", schedule_name(runs[k].sched),
		         (unsigned long long)runs[k].seed);
		if (getenv("UNIT_TYPES_TRACE"))
			fprintf(stderr, "# run %s\n", what);
		run_checked(s, runs[k].sched, runs[k].seed, want, check, what);
	}
}

/* ---- rlock and lock ---------------------------------------------------------- */

static const char rlock_yaml[] = HEAD
	"objects:\n"
	"  - {name: r, type: rlock}\n"
	"workers:\n"
	"  - name: a\n"
	"    count: 1\n"
	"    program:\n"
	"      - acquire: r\n"
	"      - acquire: r\n"
	"      - release: r\n"
	"      - release: r\n"
	"  - name: b\n"
	"    count: 1\n"
	"    program:\n"
	"      - acquire: r\n"
	"      - release: r\n";

static void test_rlock_reentrant_steps(void **state)
{
	(void)state;
	struct scenario *s = load_text(rlock_yaml);
	int r = obj(s, "r");
	struct engine *e = start(s, SCHED_RANDOM, 1);
	int a = wk(e, "a0"), b = wk(e, "b0");
	const struct engine_view *v;

	step(e, a);
	v = engine_view(e);
	assert_int_equal(v->objects[r].holders, 1);
	assert_int_equal(v->workers[a].holds[r], 1);
	assert_int_equal(v->objects[r].owner, a);
	step(e, a);                       /* again: re-entrant, no block */
	v = engine_view(e);
	assert_int_equal(v->objects[r].holders, 1);
	assert_int_equal(v->workers[a].holds[r], 2);
	assert_int_equal(count_events(e, EV_ACQUIRED, r, a), 2);
	step(e, b);                       /* b tries: held by a */
	assert_blocked_on(e, b, r);
	step(e, a);                       /* first release: a still holds it */
	v = engine_view(e);
	assert_int_equal(v->workers[a].holds[r], 1);
	assert_int_equal(v->objects[r].holders, 1);
	assert_int_equal(v->objects[r].owner, a);
	refused(e, b);
	assert_blocked_on(e, b, r);
	step(e, a);                       /* second release: free */
	v = engine_view(e);
	assert_int_equal(v->workers[a].holds[r], 0);
	assert_int_equal(v->objects[r].holders, 0);
	step(e, b);
	v = engine_view(e);
	assert_int_equal(v->objects[r].owner, b);
	assert_int_equal(v->workers[b].holds[r], 1);
	assert_outcome(run(e), RUN_FINISHED, "rlock steps");
	v = engine_view(e);
	assert_int_equal(v->objects[r].peak, 1);
	assert_int_equal(v->objects[r].errors, 0);
	assert_int_equal(count_state(e, WS_DONE), 2);
	finish(e, "rlock steps");
	drop(s);
}

static void check_rlock(struct engine *e, const struct scenario *s, const char *what)
{
	int r = obj(s, "r");
	const struct engine_view *v = engine_view(e);
	if (v->objects[r].peak != 1)
		fail_msg("%s: rlock peak %d", what, v->objects[r].peak);
	assert_int_equal(count_state(e, WS_DONE), 2);
	assert_int_equal(count_events(e, EV_ACQUIRED, r, -1), 3);
	assert_int_equal(count_events(e, EV_RELEASED, r, -1), 3);
	assert_int_equal(count_events(e, EV_ERROR, -1, -1), 0);
	assert_int_equal(v->objects[r].holders, 0);
}

static void test_rlock_schedules(void **state)
{
	(void)state;
	struct scenario *s = load_text(rlock_yaml);
	each_schedule(s, RUN_FINISHED, check_rlock);
	drop(s);
}

/* A plain Lock is not re-entrant: its taker's second acquire waits for
 * ever, as in CPython (a Lock is a semaphore of one count), and the run
 * ends as a deadlock. */
static const char lock_twice_yaml[] = HEAD
	"objects:\n"
	"  - {name: l, type: lock}\n"
	"workers:\n"
	"  - name: a\n"
	"    count: 1\n"
	"    program:\n"
	"      - acquire: l\n"
	"      - acquire: l\n"
	"      - release: l\n"
	"  - name: b\n"
	"    count: 1\n"
	"    program:\n"
	"      - print: \"{name} is here\"\n";

static void check_lock_twice(struct engine *e, const struct scenario *s, const char *what)
{
	int l = obj(s, "l");
	int a = wk(e, "a0");
	const struct engine_view *v = engine_view(e);
	if (v->workers[a].state != WS_BLOCKED || v->workers[a].waits_on != l)
		fail_msg("%s: a0 is %s, not waiting for l", what,
		         worker_state_name(v->workers[a].state));
	assert_int_equal(count_events(e, EV_ERROR, -1, -1), 0);
	assert_int_equal(count_state(e, WS_KILLED), 0);
	assert_int_equal(v->objects[l].holders, 1);
}

static void test_lock_not_reentrant(void **state)
{
	(void)state;
	struct scenario *s = load_text(lock_twice_yaml);
	each_schedule(s, RUN_DEADLOCK, check_lock_twice);
	drop(s);
}

/* A Lock has no owner (CPython): c0 may release the lock b0 took; a
 * release of a free lock is CPython's ValueError: a0 releases l, which
 * nobody took, and b0, whose lock c0 released, releases it again. */
static const char release_unheld_yaml[] = HEAD
	"objects:\n"
	"  - {name: l, type: lock}\n"
	"  - {name: m, type: lock}\n"
	"  - {name: held, type: event}\n"
	"  - {name: tried, type: event}\n"
	"workers:\n"
	"  - name: a\n"
	"    count: 1\n"
	"    program:\n"
	"      - release: l\n"
	"      - print: never\n"
	"  - name: b\n"
	"    count: 1\n"
	"    program:\n"
	"      - acquire: m\n"
	"      - set: held\n"
	"      - wait: tried\n"
	"      - release: m\n"
	"      - print: never\n"
	"  - name: c\n"
	"    count: 1\n"
	"    program:\n"
	"      - wait: held\n"
	"      - release: m\n"
	"      - set: tried\n"
	"      - print: \"{name} released what b0 took\"\n";

static void check_release_unheld(struct engine *e, const struct scenario *s, const char *what)
{
	int l = obj(s, "l"), m = obj(s, "m");
	const struct engine_view *v = engine_view(e);
	const char *py = "ValueError: semaphore or lock released too many times";
	assert_error_death(e, wk(e, "a0"), l, py, what);
	assert_error_death(e, wk(e, "b0"), m, py, what);
	assert_int_equal(count_events(e, EV_PRINT, -1, -1), 1);
	assert_int_equal(count_events(e, EV_PRINT, -1, wk(e, "c0")), 1);
	assert_int_equal(count_state(e, WS_KILLED), 2);
	assert_int_equal(v->workers[wk(e, "c0")].state, WS_DONE);
	assert_int_equal(v->objects[l].errors, 1);
	assert_int_equal(v->objects[m].errors, 1);
	assert_int_equal(v->objects[m].peak, 1);
	assert_int_equal(v->objects[m].holders, 0);
	assert_int_equal(v->objects[m].count_lost, 0);
	assert_int_equal(v->objects[m].value, 1);
}

static void test_release_unheld(void **state)
{
	(void)state;
	struct scenario *s = load_text(release_unheld_yaml);
	each_schedule(s, RUN_FINISHED, check_release_unheld);
	drop(s);
}

/* An RLock is owned (CPython): c0's release of the rlock b0 holds, and
 * a0's release of one nobody holds, are CPython's AssertionError. */
static void check_rlock_not_owner(struct engine *e, const struct scenario *s, const char *what)
{
	int r = obj(s, "r"), q = obj(s, "q");
	const char *py = "AssertionError: attempt to release recursive lock not owned by thread";
	assert_error_death(e, wk(e, "a0"), q, py, what);
	assert_error_death(e, wk(e, "c0"), r, py, what);
	assert_int_equal(engine_view(e)->workers[wk(e, "b0")].state, WS_DONE);
	assert_int_equal(engine_view(e)->objects[r].holders, 0);
}

static void test_rlock_not_owner(void **state)
{
	(void)state;
	struct scenario *s = load_text(HEAD
		"objects:\n"
		"  - {name: r, type: rlock}\n"
		"  - {name: q, type: rlock}\n"
		"  - {name: held, type: event}\n"
		"  - {name: tried, type: event}\n"
		"workers:\n"
		"  - {name: a, count: 1, program: [release: q]}\n"
		"  - name: b\n"
		"    count: 1\n"
		"    program: [acquire: r, set: held, wait: tried, release: r]\n"
		"  - name: c\n"
		"    count: 1\n"
		"    program: [wait: held, set: tried, release: r]\n");
	each_schedule(s, RUN_FINISHED, check_rlock_not_owner);
	drop(s);
}

/* A Lock whose taker is killed stays taken for ever (CPython has no
 * recovery): the waiter is stuck, and the deadlock names the dead. */
static void check_lock_dead_taker(struct engine *e, const struct scenario *s, const char *what)
{
	int l = obj(s, "l");
	const struct engine_view *v = engine_view(e);
	long d = find_ev(e, EV_DEADLOCK, -1, -1, 0);
	if (d < 0 || !ev_at(e, d)->text ||
	    !strstr(ev_at(e, d)->text, "y0 waits for l, held by x0, which died"))
		fail_msg("%s: deadlock says '%s'", what, d >= 0 && ev_at(e, d)->text
		         ? ev_at(e, d)->text : "nothing");
	assert_int_equal(count_events(e, EV_RECOVERED, -1, -1), 0);
	assert_int_equal(v->objects[l].holders, 1);
	assert_int_equal(v->objects[l].owner_died, 1);
	assert_int_equal(v->workers[wk(e, "y0")].waits_on, l);
}

static void test_lock_dead_taker(void **state)
{
	(void)state;
	struct scenario *s = load_text(HEAD
		"objects:\n"
		"  - {name: l, type: lock}\n"
		"  - {name: in, type: event}\n"
		"workers:\n"
		"  - {name: x, count: 1, program: [acquire: l, set: in, crash: dies, release: l]}\n"
		"  - {name: y, count: 1, program: [wait: in, acquire: l, release: l]}\n");
	each_schedule(s, RUN_DEADLOCK, check_lock_dead_taker);
	drop(s);
}

/* A Semaphore has no owner: signalling (one takes, another gives back)
 * loses no count and breaks no limit; taken = start - count; and a
 * release above the start grows the count, as in CPython. */
static void check_sem_signal(struct engine *e, const struct scenario *s, const char *what)
{
	int sem = obj(s, "sem"), up = obj(s, "up");
	const struct engine_view *v = engine_view(e);
	assert_int_equal(count_events(e, EV_ERROR, -1, -1), 0);
	assert_int_equal(v->objects[sem].count_lost, 0);
	assert_int_equal(v->objects[sem].holders, 0);
	assert_true(v->objects[sem].peak <= 1);
	assert_int_equal(v->objects[sem].value, 1);
	assert_int_equal(v->objects[up].value, 2);   /* 1, released once more */
	assert_int_equal(v->objects[up].holders, 0);
	(void)what;
}

static void test_semaphore_signalling(void **state)
{
	(void)state;
	struct scenario *s = load_text(HEAD
		"objects:\n"
		"  - {name: sem, type: semaphore, initial: 1, max-holders: 1}\n"
		"  - {name: up, type: semaphore, initial: 1}\n"
		"  - {name: in, type: event}\n"
		"workers:\n"
		"  - {name: x, count: 1, program: [acquire: sem, set: in]}\n"
		"  - {name: y, count: 1, program: [wait: in, release: sem, release: up]}\n");
	each_schedule(s, RUN_FINISHED, check_sem_signal);
	drop(s);
}

/* Condition.wait and notify without the lock: CPython's AssertionErrors. */
static void check_cond_misuse(struct engine *e, const struct scenario *s, const char *what)
{
	int c = obj(s, "c");
	assert_error_death(e, wk(e, "w0"), c,
	                   "AssertionError: must acquire() condition before using wait()", what);
	assert_error_death(e, wk(e, "n0"), c, "AssertionError: lock is not owned", what);
}

static void test_condition_misuse(void **state)
{
	(void)state;
	struct scenario *s = load_text(HEAD
		"objects:\n"
		"  - {name: l, type: lock}\n"
		"  - {name: c, type: condition, lock: l}\n"
		"workers:\n"
		"  - {name: w, count: 1, program: [wait: c]}\n"
		"  - {name: n, count: 1, program: [notify: c]}\n");
	each_schedule(s, RUN_FINISHED, check_cond_misuse);
	drop(s);
}

/* ---- bounded semaphore ------------------------------------------------------- */

/* over0 over-releases only after the three others are done with bs (the
 * barrier trips once they all released), so the count is then at its
 * bound and the second release is surely one too many. */
static const char bounded_yaml[] = HEAD
	"objects:\n"
	"  - {name: bs, type: bounded-semaphore, initial: 2}\n"
	"  - {name: done, type: barrier, parties: 4}\n"
	"workers:\n"
	"  - name: over\n"
	"    count: 1\n"
	"    program:\n"
	"      - wait: done\n"
	"      - acquire: bs\n"
	"      - release: bs\n"
	"      - release: bs\n"
	"      - print: never\n"
	"  - name: ok\n"
	"    count: 3\n"
	"    program:\n"
	"      - acquire: bs\n"
	"      - release: bs\n"
	"      - wait: done\n";

static void check_bounded(struct engine *e, const struct scenario *s, const char *what)
{
	int bs = obj(s, "bs");
	const struct engine_view *v = engine_view(e);
	assert_error_death(e, wk(e, "over0"), bs, "too many", what);
	assert_int_equal(v->objects[bs].errors, 1);
	assert_int_equal(v->objects[bs].value, 2);   /* never above its bound */
	assert_int_equal(v->objects[bs].holders, 0);
	assert_true(v->objects[bs].peak >= 1 && v->objects[bs].peak <= 2);
	assert_int_equal(count_state(e, WS_DONE), 3);
	assert_int_equal(count_state(e, WS_KILLED), 1);
	assert_int_equal(count_events(e, EV_PRINT, -1, -1), 0);
	assert_int_equal(count_events(e, EV_RELEASED, bs, -1), 4);
}

static void test_bounded_over_release(void **state)
{
	(void)state;
	struct scenario *s = load_text(bounded_yaml);
	each_schedule(s, RUN_FINISHED, check_bounded);
	drop(s);
}

static void check_bounded_fine(struct engine *e, const struct scenario *s, const char *what)
{
	(void)what;
	int bs = obj(s, "bs");
	const struct engine_view *v = engine_view(e);
	assert_int_equal(v->objects[bs].errors, 0);
	assert_int_equal(v->objects[bs].value, 2);
	assert_int_equal(count_state(e, WS_DONE), 3);
	assert_int_equal(count_events(e, EV_ERROR, -1, -1), 0);
}

static void test_bounded_within_bound(void **state)
{
	(void)state;
	struct scenario *s = load_text(HEAD
		"objects:\n"
		"  - {name: bs, type: bounded-semaphore, initial: 2}\n"
		"workers:\n"
		"  - name: ok\n"
		"    count: 3\n"
		"    program:\n"
		"      - acquire: bs\n"
		"      - release: bs\n"
		"      - acquire: bs\n"
		"      - release: bs\n");
	each_schedule(s, RUN_FINISHED, check_bounded_fine);
	drop(s);
}

/* ---- event ------------------------------------------------------------------- */

static const char event_yaml[] = HEAD
	"objects:\n"
	"  - {name: ev, type: event}\n"
	"workers:\n"
	"  - name: w\n"
	"    count: 3\n"
	"    program:\n"
	"      - wait: ev\n"
	"      - print: \"{name} passed\"\n"
	"  - name: s\n"
	"    count: 1\n"
	"    program:\n"
	"      - sleep: 1\n"
	"      - set: ev\n";

static void test_event_steps(void **state)
{
	(void)state;
	struct scenario *s = load_text(event_yaml);
	int ev = obj(s, "ev");
	struct engine *e = start(s, SCHED_RANDOM, 3);
	int w[3] = { wk(e, "w0"), wk(e, "w1"), wk(e, "w2") }, setter = wk(e, "s0");
	for (int i = 0; i < 3; i++) {
		step(e, w[i]);
		assert_blocked_on(e, w[i], ev);
		assert_int_equal(engine_view(e)->objects[ev].flag, 0);
	}
	assert_int_equal(count_events(e, EV_WAIT, ev, -1), 3);
	for (int i = 0; i < 3; i++)
		refused(e, w[i]);
	assert_int_equal(count_events(e, EV_PASSED, ev, -1), 0);
	assert_outcome(run(e), RUN_FINISHED, "event steps");
	const struct engine_view *v = engine_view(e);
	assert_int_equal(v->objects[ev].flag, 1);
	assert_int_equal(count_events(e, EV_SET, ev, setter), 1);
	long set_at = find_ev(e, EV_SET, ev, -1, 0);
	for (int i = 0; i < 3; i++) {
		long p = find_ev(e, EV_PASSED, ev, w[i], 0);
		assert_true(p > set_at);
	}
	assert_int_equal(count_events(e, EV_PASSED, ev, -1), 3);
	finish(e, "event steps");
	drop(s);
}

static void check_event(struct engine *e, const struct scenario *s, const char *what)
{
	int ev = obj(s, "ev");
	long set_at = find_ev(e, EV_SET, ev, -1, 0);
	if (set_at < 0)
		fail_msg("%s: no set", what);
	assert_int_equal(count_events(e, EV_PASSED, ev, -1), 3);
	/* nobody passes before the flag goes up */
	for (int k = 0; k < 3; k++)
		if (find_ev(e, EV_PASSED, ev, -1, k) < set_at)
			fail_msg("%s: a waiter passed before the set", what);
	assert_int_equal(count_state(e, WS_DONE), 4);
	assert_int_equal(engine_view(e)->objects[ev].flag, 1);
}

static void test_event_schedules(void **state)
{
	(void)state;
	struct scenario *s = load_text(event_yaml);
	each_schedule(s, RUN_FINISHED, check_event);
	drop(s);
}

/* set, clear: a wait that starts after the clear blocks again. */
static void test_event_clear_blocks(void **state)
{
	(void)state;
	struct scenario *s = load_text(HEAD
		"objects:\n"
		"  - {name: ev, type: event}\n"
		"workers:\n"
		"  - name: s\n"
		"    count: 1\n"
		"    program:\n"
		"      - set: ev\n"
		"      - clear: ev\n"
		"      - set: ev\n"
		"  - name: w\n"
		"    count: 1\n"
		"    program:\n"
		"      - wait: ev\n");
	int ev = obj(s, "ev");
	struct engine *e = start(s, SCHED_ROUND_ROBIN, 0);
	int setter = wk(e, "s0"), w = wk(e, "w0");
	step(e, setter);
	assert_int_equal(engine_view(e)->objects[ev].flag, 1);
	step(e, setter);
	assert_int_equal(engine_view(e)->objects[ev].flag, 0);
	assert_int_equal(count_events(e, EV_CLEAR, ev, setter), 1);
	step(e, w);
	assert_blocked_on(e, w, ev);
	refused(e, w);
	assert_int_equal(count_events(e, EV_PASSED, ev, w), 0);
	step(e, setter);
	assert_outcome(run(e), RUN_FINISHED, "clear then wait");
	assert_int_equal(count_events(e, EV_PASSED, ev, w), 1);
	assert_true(find_ev(e, EV_PASSED, ev, w, 0) > find_ev(e, EV_SET, ev, -1, 1));
	finish(e, "clear then wait");
	drop(s);
}

/* initial: 1: the flag is up from the start, a wait passes at once. */
static void check_event_up(struct engine *e, const struct scenario *s, const char *what)
{
	(void)what;
	int ev = obj(s, "ev");
	assert_int_equal(count_events(e, EV_WAIT, ev, -1), 0);
	assert_int_equal(count_events(e, EV_PASSED, ev, -1), 2);
	assert_int_equal(count_state(e, WS_DONE), 2);
}

static void test_event_initially_set(void **state)
{
	(void)state;
	struct scenario *s = load_text(HEAD
		"objects:\n"
		"  - {name: ev, type: event, initial: 1}\n"
		"workers:\n"
		"  - name: w\n"
		"    count: 2\n"
		"    program:\n"
		"      - wait: ev\n");
	int ev = obj(s, "ev");
	struct engine *e = start(s, SCHED_RANDOM, 9);
	int w0 = wk(e, "w0");
	assert_int_equal(engine_view(e)->objects[ev].flag, 1);
	step(e, w0);
	assert_int_equal(count_events(e, EV_PASSED, ev, w0), 1);
	assert_int_equal(count_events(e, EV_WAIT, ev, w0), 0);
	assert_outcome(run(e), RUN_FINISHED, "initial 1");
	finish(e, "initial 1");
	each_schedule(s, RUN_FINISHED, check_event_up);
	drop(s);
}

/* ---- condition ------------------------------------------------------------- */

static void check_cond_unheld(struct engine *e, const struct scenario *s, const char *what)
{
	int c = obj(s, "c");
	assert_error_death(e, wk(e, "a0"), c, "without holding", what);
	assert_error_death(e, wk(e, "n0"), c, "without holding", what);
	assert_int_equal(engine_view(e)->objects[c].errors, 2);
	assert_int_equal(count_events(e, EV_PRINT, -1, -1), 0);
}

static void test_condition_needs_lock(void **state)
{
	(void)state;
	struct scenario *s = load_text(HEAD
		"objects:\n"
		"  - {name: l, type: lock}\n"
		"  - {name: c, type: condition, lock: l}\n"
		"workers:\n"
		"  - name: a\n"
		"    count: 1\n"
		"    program:\n"
		"      - wait: c\n"
		"      - print: never\n"
		"  - name: n\n"
		"    count: 1\n"
		"    program:\n"
		"      - notify: c\n"
		"      - print: never\n");
	each_schedule(s, RUN_FINISHED, check_cond_unheld);
	drop(s);
}

static const char cond_yaml_fmt[] = HEAD
	"objects:\n"
	"  - {name: l, type: lock}\n"
	"  - {name: c, type: condition, lock: l}\n"
	"workers:\n"
	"  - name: w\n"
	"    count: 2\n"
	"    program:\n"
	"      - acquire: l\n"
	"      - wait: c\n"
	"      - release: l\n"
	"  - name: n\n"
	"    count: 1\n"
	"    program:\n"
	"      - acquire: l\n"
	"      - %s: c\n"
	"      - release: l\n"
	"      - acquire: l\n"
	"      - %s: c\n"
	"      - release: l\n";

/* Step the waiters (only they) until neither can; return how many passed
 * the condition meanwhile, checking each holds the lock as it passes. */
static int step_waiters(struct engine *e, const int *w, int n, int c, int l)
{
	int passed = 0;
	for (int progress = 1; progress;) {
		progress = 0;
		for (int i = 0; i < n; i++) {
			char why[256];
			long before = count_events(e, EV_PASSED, c, w[i]);
			if (engine_step(e, w[i], why, sizeof why) != w[i])
				continue;
			progress = 1;
			if (count_events(e, EV_PASSED, c, w[i]) > before) {
				passed++;
				/* the woken waiter holds the lock again */
				const struct engine_view *v = engine_view(e);
				assert_int_equal(v->workers[w[i]].holds[l], 1);
				assert_int_equal(v->objects[l].owner, w[i]);
			}
		}
	}
	return passed;
}

static void cond_case(int all)
{
	char text[2048];
	const char *op = all ? "notify-all" : "notify";
	snprintf(text, sizeof text, cond_yaml_fmt, op, op);
	struct scenario *s = load_text(text);
	int l = obj(s, "l"), c = obj(s, "c");
	struct engine *e = start(s, SCHED_RANDOM, 5);
	int w[2] = { wk(e, "w0"), wk(e, "w1") }, n = wk(e, "n0");
	const struct engine_view *v;

	step(e, w[0]);                  /* takes l */
	step(e, w[0]);                  /* waits: gives l up */
	assert_blocked_on(e, w[0], c);
	v = engine_view(e);
	assert_int_equal(v->workers[w[0]].holds[l], 0);
	assert_int_equal(v->objects[l].holders, 0);
	step(e, w[1]);                  /* so w1 can take l meanwhile */
	v = engine_view(e);
	assert_int_equal(v->objects[l].owner, w[1]);
	assert_int_equal(v->workers[w[1]].holds[l], 1);
	step(e, w[1]);
	assert_blocked_on(e, w[1], c);
	refused(e, w[0]);
	refused(e, w[1]);
	step(e, n);                     /* acquire l */
	step(e, n);                     /* notify / notify-all */
	assert_int_equal(count_events(e, EV_NOTIFY, c, n), 1);
	step(e, n);                     /* release l */
	int passed = step_waiters(e, w, 2, c, l);
	if (all) {
		assert_int_equal(passed, 2);
	} else {
		/* notify wakes exactly one; the other still waits on c */
		assert_int_equal(passed, 1);
		int other = count_events(e, EV_PASSED, c, w[0]) ? w[1] : w[0];
		assert_blocked_on(e, other, c);
		step(e, n);
		step(e, n);             /* second notify */
		step(e, n);
		assert_int_equal(step_waiters(e, w, 2, c, l), 1);
	}
	assert_outcome(run(e), RUN_FINISHED, op);
	v = engine_view(e);
	assert_int_equal(count_events(e, EV_PASSED, c, -1), 2);
	assert_int_equal(v->objects[l].peak, 1);
	assert_int_equal(count_state(e, WS_DONE), 3);
	finish(e, op);
	drop(s);
}

static void test_condition_notify_one(void **state)
{
	(void)state;
	cond_case(0);
}

static void test_condition_notify_all(void **state)
{
	(void)state;
	cond_case(1);
}

/* The right way to use a condition (a predicate checked under the lock, a
 * wait in a loop) finishes under every schedule, os included. */
static void check_cond_pattern(struct engine *e, const struct scenario *s, const char *what)
{
	(void)what;
	int ready = obj(s, "ready"), l = obj(s, "l"), c = obj(s, "c");
	const struct engine_view *v = engine_view(e);
	assert_int_equal(v->objects[ready].value, 1);
	assert_int_equal(v->objects[l].peak, 1);
	assert_int_equal(count_state(e, WS_DONE), 4);
	assert_int_equal(count_events(e, EV_ERROR, -1, -1), 0);
	/* every pass of the wait comes after the notify-all */
	long nt = find_ev(e, EV_NOTIFY, c, -1, 0);
	assert_true(nt >= 0);
	assert_true(count_events(e, EV_PASSED, c, -1) <= 3);
	for (int k = 0; k < count_events(e, EV_PASSED, c, -1); k++)
		assert_true(find_ev(e, EV_PASSED, c, -1, k) > nt);
}

static void test_condition_pattern(void **state)
{
	(void)state;
	struct scenario *s = load_text(HEAD
		"objects:\n"
		"  - {name: l, type: lock}\n"
		"  - {name: c, type: condition, lock: l}\n"
		"  - {name: ready, type: value}\n"
		"workers:\n"
		"  - name: w\n"
		"    count: 3\n"
		"    program:\n"
		"      - acquire: l\n"
		"      - {update: {value: ready, add: 0}, label: check}\n"
		"      - {goto: go, if-register: 1}\n"
		"      - wait: c\n"
		"      - goto: check\n"
		"      - {release: l, label: go}\n"
		"  - name: n\n"
		"    count: 1\n"
		"    program:\n"
		"      - acquire: l\n"
		"      - atomic-add: {value: ready, add: 1}\n"
		"      - notify-all: c\n"
		"      - release: l\n");
	each_schedule(s, RUN_FINISHED, check_cond_pattern);
	drop(s);
}

/* ---- barrier ------------------------------------------------------------------- */

static const char barrier_yaml[] = HEAD
	"objects:\n"
	"  - {name: b, type: barrier, parties: 3}\n"
	"workers:\n"
	"  - name: w\n"
	"    count: 3\n"
	"    program:\n"
	"      - wait: b\n"
	"      - print: \"{name} round 1\"\n"
	"      - wait: b\n";

static void test_barrier_steps(void **state)
{
	(void)state;
	struct scenario *s = load_text(barrier_yaml);
	int b = obj(s, "b");
	struct engine *e = start(s, SCHED_RANDOM, 2);
	int w[3] = { wk(e, "w0"), wk(e, "w1"), wk(e, "w2") };
	step(e, w[0]);
	assert_blocked_on(e, w[0], b);
	assert_int_equal(engine_view(e)->objects[b].arrived, 1);
	step(e, w[1]);
	assert_blocked_on(e, w[1], b);
	assert_int_equal(engine_view(e)->objects[b].arrived, 2);
	assert_int_equal(engine_view(e)->objects[b].rounds, 0);
	refused(e, w[0]);
	refused(e, w[1]);
	assert_int_equal(count_events(e, EV_PASSED, b, -1), 0);
	step(e, w[2]);                  /* the third trips it */
	assert_int_equal(engine_view(e)->objects[b].rounds, 1);
	long t = find_ev(e, EV_PASSED, b, w[2], 0);
	assert_true(t >= 0);
	assert_int_equal(ev_at(e, t)->extra, 1);
	step(e, w[0]);
	step(e, w[1]);
	assert_int_equal(count_events(e, EV_PASSED, b, -1), 3);
	assert_int_equal(engine_view(e)->objects[b].arrived, 0);
	assert_outcome(run(e), RUN_FINISHED, "barrier steps");
	assert_int_equal(engine_view(e)->objects[b].rounds, 2);
	assert_int_equal(count_events(e, EV_PASSED, b, -1), 6);
	finish(e, "barrier steps");
	drop(s);
}

static void check_barrier(struct engine *e, const struct scenario *s, const char *what)
{
	int b = obj(s, "b");
	const struct engine_view *v = engine_view(e);
	if (v->objects[b].rounds != 2)
		fail_msg("%s: rounds %ld", what, v->objects[b].rounds);
	assert_int_equal(count_events(e, EV_PASSED, b, -1), 6);
	assert_int_equal(count_state(e, WS_DONE), 3);
	/* nobody starts round 2 before all three did round 1: every round-1
	 * print comes after the first trip */
	long trip = -1;
	long count;
	const struct event *ev = engine_events(e, &count);
	for (long i = 0; i < count && trip < 0; i++)
		if (ev[i].kind == EV_PASSED && ev[i].object == b && ev[i].extra == 1)
			trip = i;
	assert_true(trip >= 0);
	for (int k = 0; k < 3; k++)
		assert_true(find_ev(e, EV_PRINT, -1, -1, k) > trip);
	assert_int_equal(count_events(e, EV_WAIT, b, -1) + 2, 6);   /* all but the trippers wait */
}

static void test_barrier_schedules(void **state)
{
	(void)state;
	struct scenario *s = load_text(barrier_yaml);
	each_schedule(s, RUN_FINISHED, check_barrier);
	drop(s);
}

/* ---- queue ------------------------------------------------------------------ */

static const char queue_yaml[] = HEAD
	"objects:\n"
	"  - {name: q, type: queue, capacity: 2}\n"
	"workers:\n"
	"  - name: c\n"
	"    count: 1\n"
	"    program:\n"
	"      - get: q\n"
	"      - get: q\n"
	"      - get: q\n"
	"      - get: q\n"
	"  - name: p\n"
	"    count: 1\n"
	"    program:\n"
	"      - put: {queue: q, value: 10}\n"
	"      - put: {queue: q, value: 20}\n"
	"      - put: {queue: q, value: 30}\n"
	"      - set-register: 40\n"
	"      - put: {queue: q}\n";

static const long queue_items[] = { 10, 20, 30, 40 };

static void test_queue_steps(void **state)
{
	(void)state;
	struct scenario *s = load_text(queue_yaml);
	int q = obj(s, "q");
	struct engine *e = start(s, SCHED_RANDOM, 4);
	int c = wk(e, "c0"), p = wk(e, "p0");
	const struct engine_view *v;

	step(e, c);                               /* empty: get blocks */
	assert_blocked_on(e, c, q);
	assert_int_equal(count_events(e, EV_WAIT, q, c), 1);
	refused(e, c);
	step(e, p);                               /* put 10 */
	v = engine_view(e);
	assert_int_equal(v->objects[q].n_items, 1);
	assert_int_equal(v->objects[q].items[0], 10);
	assert_int_equal(v->objects[q].moved, 1);
	step(e, c);                               /* the get goes through */
	v = engine_view(e);
	assert_int_equal(v->workers[c].reg, 10);
	assert_int_equal(v->objects[q].n_items, 0);
	step(e, p);                               /* put 20 */
	step(e, p);                               /* put 30: full */
	v = engine_view(e);
	assert_int_equal(v->objects[q].n_items, 2);
	assert_int_equal(v->objects[q].items[0], 20);
	assert_int_equal(v->objects[q].items[1], 30);
	assert_int_equal(v->objects[q].value, 2);
	step(e, p);                               /* register = 40 */
	step(e, p);                               /* put on a full queue blocks */
	assert_blocked_on(e, p, q);
	refused(e, p);
	v = engine_view(e);
	assert_int_equal(v->objects[q].moved, 3);
	step(e, c);                               /* get 20: room again */
	assert_int_equal(engine_view(e)->workers[c].reg, 20);
	step(e, p);                               /* the put goes through */
	v = engine_view(e);
	assert_int_equal(v->objects[q].n_items, 2);
	assert_int_equal(v->objects[q].items[0], 30);
	assert_int_equal(v->objects[q].items[1], 40);
	assert_int_equal(v->objects[q].moved, 4);
	step(e, c);
	assert_int_equal(engine_view(e)->workers[c].reg, 30);
	step(e, c);
	assert_int_equal(engine_view(e)->workers[c].reg, 40);
	assert_outcome(run(e), RUN_FINISHED, "queue steps");
	v = engine_view(e);
	assert_int_equal(v->objects[q].n_items, 0);
	assert_int_equal(v->objects[q].moved, 4);
	finish(e, "queue steps");
	drop(s);
}

static void check_queue(struct engine *e, const struct scenario *s, const char *what)
{
	int q = obj(s, "q");
	const struct engine_view *v = engine_view(e);
	int c = wk(e, "c0");
	assert_int_equal(count_events(e, EV_GET, q, c), 4);
	for (int k = 0; k < 4; k++) {
		long i = find_ev(e, EV_GET, q, c, k);
		if (ev_at(e, i)->value != queue_items[k])
			fail_msg("%s: get %d gave %ld, not %ld (FIFO)", what, k,
			         ev_at(e, i)->value, queue_items[k]);
		assert_true(ev_at(e, i)->extra >= 0 && ev_at(e, i)->extra <= 1);
		long put = find_ev(e, EV_PUT, q, -1, k);
		assert_int_equal(ev_at(e, put)->value, queue_items[k]);
		assert_true(put < i);
		assert_true(ev_at(e, put)->extra >= 1 && ev_at(e, put)->extra <= 2);
	}
	assert_int_equal(v->workers[c].reg, 40);
	assert_int_equal(v->objects[q].moved, 4);
	assert_int_equal(v->objects[q].n_items, 0);
	assert_int_equal(count_state(e, WS_DONE), 2);
}

static void test_queue_schedules(void **state)
{
	(void)state;
	struct scenario *s = load_text(queue_yaml);
	each_schedule(s, RUN_FINISHED, check_queue);
	drop(s);
}

/* ---- pipe ------------------------------------------------------------------- */

static const char pipe_yaml[] = HEAD
	"objects:\n"
	"  - {name: p, type: pipe}\n"
	"workers:\n"
	"  - name: r\n"
	"    count: 1\n"
	"    program:\n"
	"      - recv: p\n"
	"      - recv: p\n"
	"      - recv: p\n"
	"  - name: s\n"
	"    count: 1\n"
	"    program:\n"
	"      - send: {pipe: p, value: 5}\n"
	"      - send: {pipe: p, value: -7}\n"
	"      - set-register: 42\n"
	"      - send: {pipe: p}\n";

static const long pipe_items[] = { 5, -7, 42 };

static void test_pipe_steps(void **state)
{
	(void)state;
	struct scenario *s = load_text(pipe_yaml);
	int p = obj(s, "p");
	struct engine *e = start(s, SCHED_RANDOM, 6);
	int r = wk(e, "r0"), snd = wk(e, "s0");
	step(e, r);
	assert_blocked_on(e, r, p);
	refused(e, r);
	step(e, snd);
	assert_int_equal(engine_view(e)->objects[p].n_items, 1);
	step(e, snd);
	assert_int_equal(engine_view(e)->objects[p].n_items, 2);
	step(e, r);
	assert_int_equal(engine_view(e)->workers[r].reg, 5);
	step(e, r);
	assert_int_equal(engine_view(e)->workers[r].reg, -7);
	step(e, r);                         /* empty again: blocks */
	assert_blocked_on(e, r, p);
	step(e, snd);                       /* register = 42 */
	assert_int_equal(engine_view(e)->workers[snd].reg, 42);
	step(e, snd);                       /* sends the register */
	step(e, r);
	assert_int_equal(engine_view(e)->workers[r].reg, 42);
	assert_outcome(run(e), RUN_FINISHED, "pipe steps");
	assert_int_equal(engine_view(e)->objects[p].moved, 3);
	assert_int_equal(engine_view(e)->objects[p].n_items, 0);
	finish(e, "pipe steps");
	drop(s);
}

static void check_pipe(struct engine *e, const struct scenario *s, const char *what)
{
	int p = obj(s, "p");
	int r = wk(e, "r0");
	assert_int_equal(count_events(e, EV_GET, p, r), 3);
	for (int k = 0; k < 3; k++) {
		long i = find_ev(e, EV_GET, p, r, k);
		if (ev_at(e, i)->value != pipe_items[k])
			fail_msg("%s: recv %d gave %ld, not %ld", what, k, ev_at(e, i)->value,
			         pipe_items[k]);
		assert_true(find_ev(e, EV_PUT, p, -1, k) < i);
	}
	assert_int_equal(engine_view(e)->workers[r].reg, 42);
	assert_int_equal(count_state(e, WS_DONE), 2);
}

static void test_pipe_schedules(void **state)
{
	(void)state;
	struct scenario *s = load_text(pipe_yaml);
	each_schedule(s, RUN_FINISHED, check_pipe);
	drop(s);
}

/* ---- array ------------------------------------------------------------------ */

/* ENGINE BUG (os only, intermittent): see test_os_atomic_add_view below;
 * the two atomic-adds on arr[2] can show one of them as lost. */
static void check_array(struct engine *e, const struct scenario *s, const char *what)
{
	(void)what;
	int a = obj(s, "arr");
	const struct object_view *o = &engine_view(e)->objects[a];
	const long want[4] = { 0, 3 * 2, 5 * 2, 0 };
	assert_int_equal(o->n_elems, 4);
	for (int k = 0; k < 4; k++) {
		assert_int_equal(o->elems[k], want[k]);
		assert_int_equal(o->elem_intended[k], want[k]);
		assert_int_equal(o->elem_lost[k], 0);
	}
}

static void test_array_elements(void **state)
{
	(void)state;
	struct scenario *s = load_text(HEAD
		"objects:\n"
		"  - {name: arr, type: array, size: 4, initial: 0}\n"
		"  - {name: l, type: lock}\n"
		"workers:\n"
		"  - name: w\n"
		"    count: 2\n"
		"    program:\n"
		"      - atomic-add: {value: arr, index: 2, add: 5}\n"
		"      - acquire: l\n"
		"      - update: {value: arr, index: 1, add: 3}\n"
		"      - release: l\n");
	int a = obj(s, "arr");
	/* one op at a time: exactly that element moves */
	struct engine *e = start(s, SCHED_RANDOM, 1);
	int w0 = wk(e, "w0");
	step(e, w0);
	const struct object_view *o = &engine_view(e)->objects[a];
	assert_int_equal(o->elems[0], 0);
	assert_int_equal(o->elems[1], 0);
	assert_int_equal(o->elems[2], 5);
	assert_int_equal(o->elems[3], 0);
	step(e, w0);
	step(e, w0);                                /* load */
	assert_int_equal(engine_view(e)->objects[a].elems[1], 0);
	step(e, w0);                                /* store */
	o = &engine_view(e)->objects[a];
	assert_int_equal(o->elems[1], 3);
	assert_int_equal(o->elems[2], 5);
	assert_int_equal(o->elems[0] + o->elems[3], 0);
	assert_outcome(run(e), RUN_FINISHED, "array steps");
	finish(e, "array steps");
	each_schedule(s, RUN_FINISHED, check_array);
	drop(s);
}

/* A non-atomic update without a lock loses updates, element by element. */
static void test_array_lost_updates(void **state)
{
	(void)state;
	struct scenario *s = load_text(HEAD
		"objects:\n"
		"  - {name: arr, type: array, size: 3, initial: 0}\n"
		"workers:\n"
		"  - name: w\n"
		"    count: 10\n"
		"    program:\n"
		"      - update: {value: arr, index: 1, add: 1}\n"
		"      - atomic-add: {value: arr, index: 2, add: 1}\n");
	int a = obj(s, "arr");
	int seeds_losing = 0;
	for (uint64_t seed = 1; seed <= 10; seed++) {
		struct engine *e = start(s, SCHED_RANDOM, seed);
		assert_outcome(run(e), RUN_FINISHED, "array lost");
		const struct object_view *o = &engine_view(e)->objects[a];
		assert_int_equal(o->elems[0], 0);
		assert_int_equal(o->elem_lost[0], 0);
		assert_int_equal(o->elem_intended[1], 10);
		assert_int_equal(o->elems[1] + o->elem_lost[1], 10);
		assert_true(o->elems[1] >= 1);
		assert_int_equal(o->elems[2], 10);          /* atomic: never lost */
		assert_int_equal(o->elem_lost[2], 0);
		seeds_losing += o->elem_lost[1] > 0;
		finish(e, "array lost");
	}
	if (seeds_losing == 0)
		fail_msg("no seed of 10 lost an unlocked update");
	drop(s);
}

/* ---- manager: dict, list, namespace ------------------------------------------------ */

static const char dict_fmt[] = HEAD
	"objects:\n"
	"  - name: d\n"
	"    type: dict\n"
	"    entries:\n"
	"      - {key: other, initial: 7}\n"
	"      - {key: count, initial: 10, expect: 0}\n"
	"  - {name: l, type: lock}\n"
	"workers:\n"
	"  - name: w\n"
	"    count: 10\n"
	"    program:\n"
	"%s";

static void dict_case(int locked)
{
	char text[2048];
	snprintf(text, sizeof text, dict_fmt, locked ?
	         "      - acquire: l\n"
	         "      - update: {value: d, key: count, add: -1}\n"
	         "      - release: l\n" :
	         "      - update: {value: d, key: count, add: -1}\n");
	struct scenario *s = load_text(text);
	int d = obj(s, "d");
	int lossy = 0;
	for (uint64_t seed = 1; seed <= 10; seed++) {
		struct engine *e = start(s, SCHED_RANDOM, seed);
		const struct engine_view *v = engine_view(e);
		pid_t m = v->manager_pid;
		assert_true(m > 0);
		assert_int_equal(kill(m, 0), 0);        /* a real process */
		assert_int_equal(v->manager_alive, 1);
		assert_outcome(run(e), RUN_FINISHED, "dict");
		v = engine_view(e);
		const struct object_view *o = &v->objects[d];
		assert_int_equal(v->manager_requests, 2 * 10);   /* get + set each */
		assert_int_equal(count_events(e, EV_REQUEST, d, -1), 2 * 10);
		assert_int_equal(o->elems[0], 7);
		assert_int_equal(o->elem_intended[1], 0);
		assert_int_equal(o->elems[1] - o->elem_lost[1], 0);
		if (locked)
			assert_int_equal(o->elems[1], 0);
		lossy += o->elems[1] != 0;
		finish(e, "dict");
		assert_gone(m, "the manager");
	}
	if (!locked && lossy < 6)
		fail_msg("only %d of 10 seeds lost an unlocked dict update", lossy);
	/* os: the same, by the kernel's choice */
	struct engine *e = start(s, SCHED_OS, 0);
	assert_outcome(run(e), RUN_FINISHED, "dict os");
	assert_int_equal(engine_view(e)->manager_requests, 20);
	if (locked)
		assert_int_equal(engine_view(e)->objects[d].elems[1], 0);
	finish(e, "dict os");
	drop(s);
}

static void test_dict_unlocked(void **state)
{
	(void)state;
	dict_case(0);
}

static void test_dict_locked(void **state)
{
	(void)state;
	dict_case(1);
}

/* ENGINE BUG (os only, intermittent): see test_os_atomic_add_view below;
 * the two workers' atomic-adds on lst[2] can show one of them as lost. */
static void check_managed(struct engine *e, const struct scenario *s, const char *what)
{
	(void)what;
	int l = obj(s, "lst"), ns = obj(s, "ns");
	const struct engine_view *v = engine_view(e);
	const long want_l[3] = { 1, 1, 1 + 4 * 2 };
	for (int k = 0; k < 3; k++)
		assert_int_equal(v->objects[l].elems[k], want_l[k]);
	assert_int_equal(v->objects[ns].elems[0], 2 * 2);
	assert_int_equal(v->objects[ns].elems[1], 100 - 1 * 2);
	/* atomic-add: 1 request, update: 2; two workers */
	assert_int_equal(v->manager_requests, (1 + 2 + 1) * 2);
	assert_int_equal(count_events(e, EV_REQUEST, -1, -1), 8);
	assert_true(v->manager_pid > 0);
}

static void test_list_namespace(void **state)
{
	(void)state;
	struct scenario *s = load_text(HEAD
		"objects:\n"
		"  - {name: lst, type: list, size: 3, initial: 1}\n"
		"  - name: ns\n"
		"    type: namespace\n"
		"    entries:\n"
		"      - {key: a}\n"
		"      - {key: b, initial: 100}\n"
		"  - {name: l, type: lock}\n"
		"workers:\n"
		"  - name: w\n"
		"    count: 2\n"
		"    program:\n"
		"      - atomic-add: {value: lst, index: 2, add: 4}\n"
		"      - acquire: l\n"
		"      - update: {value: ns, key: b, add: -1}\n"
		"      - release: l\n"
		"      - atomic-add: {value: ns, key: a, add: 2}\n");
	each_schedule(s, RUN_FINISHED, check_managed);
	drop(s);
}

/* ---- acquire-timeout -------------------------------------------------------- */

/* h0 holds l until t0 has given up on it (t0 sets `gaveup` only on its
 * timeout path), so the timeout is the only way on: no timer race. */
static const char timeout_yaml[] = HEAD
	"objects:\n"
	"  - {name: l, type: lock}\n"
	"  - {name: held, type: event}\n"
	"  - {name: gaveup, type: event}\n"
	"workers:\n"
	"  - name: h\n"
	"    count: 1\n"
	"    program:\n"
	"      - acquire: l\n"
	"      - set: held\n"
	"      - wait: gaveup\n"
	"      - sleep: 3\n"
	"      - release: l\n"
	"  - name: t\n"
	"    count: 1\n"
	"    program:\n"
	"      - wait: held\n"
	"      - {acquire-timeout: {object: l, seconds: 1.5, else: late}}\n"
	"      - print: got it\n"
	"      - release: l\n"
	"      - goto: out\n"
	"      - {set: gaveup, label: late}\n"
	"      - print: timed out\n"
	"      - {print: out, label: out}\n";

static void check_timeout(struct engine *e, const struct scenario *s, const char *what)
{
	int l = obj(s, "l");
	int t = wk(e, "t0");
	assert_int_equal(count_events(e, EV_TIMEOUT, l, t), 1);
	long to = find_ev(e, EV_TIMEOUT, l, t, 0);
	long w = find_ev(e, EV_WAIT, l, t, 0);
	assert_true(w >= 0 && w < to);
	const struct event *ev = ev_at(e, to);
	/* the jump goes to the op labelled late (index 5 of t's program) */
	assert_int_equal(ev->value, 5);
	if (engine_view(e)->schedule != SCHED_OS) {
		/* virtual time: exactly the timeout after the wait began */
		if (ev->t_ms - ev_at(e, w)->t_ms != 1500)
			fail_msg("%s: timed out %ld ms after the wait", what,
			         ev->t_ms - ev_at(e, w)->t_ms);
	}
	assert_int_equal(count_events(e, EV_ACQUIRED, l, t), 0);
	assert_int_equal(count_events(e, EV_PRINT, -1, t), 2);
	long p = find_ev(e, EV_PRINT, -1, t, 0);
	assert_string_equal(ev_at(e, p)->text, "timed out");
	assert_int_equal(count_state(e, WS_DONE), 2);
	assert_int_equal(engine_view(e)->workers[t].has_deadline, 0);
}

static void test_acquire_timeout(void **state)
{
	(void)state;
	struct scenario *s = load_text(timeout_yaml);
	each_schedule(s, RUN_FINISHED, check_timeout);
	/* stepped by hand: the clock moves by the timeout while t0 waits */
	struct engine *e = start(s, SCHED_ROUND_ROBIN, 0);
	int h = wk(e, "h0"), t = wk(e, "t0"), l = obj(s, "l");
	step(e, h);
	step(e, h);
	step(e, t);                 /* wait held: set, passes */
	long clock0 = engine_view(e)->clock_ms;
	step(e, t);                 /* acquire-timeout: waits */
	assert_blocked_on(e, t, l);
	assert_int_equal(engine_view(e)->workers[t].has_deadline, 1);
	assert_int_equal(engine_view(e)->workers[t].wake_ms, clock0 + 1500);
	assert_outcome(run(e), RUN_FINISHED, "timeout steps");
	check_timeout(e, s, "timeout steps");
	assert_true(engine_view(e)->clock_ms >= clock0 + 1500 + 3000);
	finish(e, "timeout steps");
	drop(s);
}

/* ---- goto ------------------------------------------------------------------- */

#define LOOP_N 7

static void check_loop(struct engine *e, const struct scenario *s, const char *what)
{
	int iters = obj(s, "iters"), left = obj(s, "left");
	const struct engine_view *v = engine_view(e);
	if (v->objects[iters].value != LOOP_N)
		fail_msg("%s: the loop ran %ld times, not %d", what, v->objects[iters].value, LOOP_N);
	assert_int_equal(v->objects[left].value, 0);
	assert_int_equal(count_events(e, EV_ADD, iters, -1), LOOP_N);
	/* the back jump taken N-1 times, the exit once; the exit test fails N-1 times */
	long taken = 0, not_taken = 0, count;
	const struct event *ev = engine_events(e, &count);
	for (long i = 0; i < count; i++)
		if (ev[i].kind == EV_JUMP)
			*(ev[i].value >= 0 ? &taken : &not_taken) += 1;
	assert_int_equal(taken, LOOP_N - 1 + 1 + 1);   /* + the set-register skip */
	assert_int_equal(not_taken, LOOP_N - 1 + 1);
	assert_int_equal(count_events(e, EV_PRINT, -1, -1), 1);
	assert_int_equal(v->workers[0].reg, 1);
}

static void test_goto_loop(void **state)
{
	(void)state;
	char text[2048];
	snprintf(text, sizeof text, HEAD
		"objects:\n"
		"  - {name: iters, type: value}\n"
		"  - {name: left, type: value, initial: %d}\n"
		"workers:\n"
		"  - name: w\n"
		"    count: 1\n"
		"    program:\n"
		"      - set-register: 3\n"
		"      - {goto: skip, if-register: 4}\n"    /* not taken */
		"      - {goto: top, if-register: 3}\n"     /* taken */
		"      - {print: never, label: skip}\n"
		"      - {atomic-add: {value: iters, add: 1}, label: top}\n"
		"      - update: {value: left, add: -1}\n"
		"      - {goto: done, if-register: 1}\n"
		"      - goto: top\n"
		"      - {print: \"{name} done\", label: done}\n", LOOP_N);
	struct scenario *s = load_text(text);
	each_schedule(s, RUN_FINISHED, check_loop);
	drop(s);
}

/* ---- crash ------------------------------------------------------------------- */

/* x0 dies holding a robust-lock and a semaphore count: the next to take
 * the robust-lock recovers it (EOWNERDEAD); the count is gone. */
static const char crash_yaml[] = HEAD
	"objects:\n"
	"  - {name: l, type: robust-lock}\n"
	"  - {name: sem, type: semaphore, initial: 2}\n"
	"  - {name: in, type: event}\n"
	"workers:\n"
	"  - name: x\n"
	"    count: 1\n"
	"    program:\n"
	"      - acquire: l\n"
	"      - acquire: sem\n"
	"      - set: in\n"
	"      - crash: dies holding l and sem\n"
	"      - release: l\n"
	"  - name: y\n"
	"    count: 2\n"
	"    program:\n"
	"      - wait: in\n"
	"      - acquire: l\n"
	"      - acquire: sem\n"
	"      - release: sem\n"
	"      - release: l\n";

/* ENGINE BUG (os only, intermittent): see test_os_dead_holder_record
 * below; x0's holds[l] can read 0 after its death. */
static void check_crash(struct engine *e, const struct scenario *s, const char *what)
{
	int l = obj(s, "l"), sem = obj(s, "sem");
	const struct engine_view *v = engine_view(e);
	int x = wk(e, "x0");
	if (v->workers[x].state != WS_KILLED)
		fail_msg("%s: x0 is %s", what, worker_state_name(v->workers[x].state));
	assert_int_equal(count_events(e, EV_KILLED, -1, x), 1);
	if (v->workers[x].holds[l] != 1 || v->workers[x].holds[sem] != 1) {
		/* what it died with: it had acquired both (its set of `in`
		 * came after, and y0 waited for that set) */
		dump_trace(e);
		fail_msg("%s: x0 died holding l %d times and sem %d times, not once each",
		         what, v->workers[x].holds[l], v->workers[x].holds[sem]);
	}
	/* the next to take l finds its holder dead: exactly one recovery */
	assert_int_equal(count_events(e, EV_RECOVERED, l, -1), 1);
	assert_int_equal(count_events(e, EV_ACQUIRED, l, -1), 1 + 1);
	long rec = find_ev(e, EV_RECOVERED, l, -1, 0);
	assert_true(ev_at(e, rec)->worker != x);
	assert_true(rec > find_ev(e, EV_SET, -1, x, 0));
	/* the other y acquires plainly, after the recovery */
	assert_true(find_ev(e, EV_ACQUIRED, l, -1, 1) > rec);
	assert_int_equal(v->objects[sem].count_lost, 1);
	assert_int_equal(v->objects[sem].value, 1);
	assert_int_equal(v->objects[l].peak, 1);
	assert_int_equal(count_state(e, WS_DONE), 2);
	assert_int_equal(count_state(e, WS_KILLED), 1);
}

static void test_crash_holding(void **state)
{
	(void)state;
	struct scenario *s = load_text(crash_yaml);
	each_schedule(s, RUN_FINISHED, check_crash);
	drop(s);
}

/* ---- engine bugs found here, each made to show every time ------------- */

/* ENGINE BUG (os): an object's view (value, elems, lost) follows the last
 * EV_ADD report the controller reads, but in os the workers' reports come
 * through separate channels and may arrive in another order than the adds
 * happened.  The real value is right (the manager's EV_REQUEST replies
 * count 5, 9, ... 81 in order, and a later read gets 81), yet the view and
 * the summary end at an earlier report's value (e.g. lst[2] = 49, lost 8)
 * and claim that atomic-adds were lost, which is the lesson's opposite.
 * CLI: 20 workers of `atomic-add: {value: lst, index: 2, add: 4}` on a
 * `list` of size 3, initial 1; `lockstep --headless --json -q
 * --schedule=os --speed=20` shows lost > 0 in most runs.  The same happens
 * with an `array` (shared memory), less often.  This test fails until it
 * is fixed (ten runs, so that it shows nearly every time). */
static void test_os_atomic_add_view(void **state)
{
	(void)state;
	struct scenario *s = load_text(HEAD
		"objects:\n"
		"  - {name: lst, type: list, size: 3, initial: 1}\n"
		"  - {name: arr, type: array, size: 3, initial: 1}\n"
		"workers:\n"
		"  - name: w\n"
		"    count: 20\n"
		"    program:\n"
		"      - atomic-add: {value: lst, index: 2, add: 4}\n"
		"      - atomic-add: {value: arr, index: 2, add: 4}\n");
	int lst = obj(s, "lst"), arr = obj(s, "arr");
	for (int k = 0; k < 10; k++) {
		struct engine *e = start(s, SCHED_OS, 0);
		assert_outcome(run(e), RUN_FINISHED, "atomic-add os");
		const struct engine_view *v = engine_view(e);
		/* the manager's own replies, in the order it served them */
		long last = -1;
		for (int i = 0; i < 20; i++) {
			long r = find_ev(e, EV_REQUEST, lst, -1, i);
			assert_true(r >= 0);
			last = ev_at(e, r)->value;
		}
		assert_int_equal(last, 1 + 20 * 4);
		assert_int_equal(v->manager_requests, 20);
		const int objs[2] = { lst, arr };
		for (int j = 0; j < 2; j++) {
			const struct object_view *o = &v->objects[objs[j]];
			if (o->elems[2] != 1 + 20 * 4 || o->elem_lost[2] != 0)
				fail_msg("os run %d: %s[2] is %ld with %ld lost, but atomic-add "
				         "never loses (the manager served 81)", k,
				         s->objects[objs[j]].name, o->elems[2], o->elem_lost[2]);
			assert_int_equal(o->elem_intended[2], 1 + 20 * 4);
		}
		finish(e, "atomic-add os");
	}
	drop(s);
}

/* ENGINE BUG (os): a worker killed holding a lock should keep, in its
 * view, what it held when it died (engine.h: holds, "WS_KILLED: what it
 * held when it died").  In os the next acquirer's EV_RECOVERED can be read
 * before the controller reaps the dead holder; the recovery then clears the
 * dead worker's holds[l], and when its death is processed the record says
 * it held nothing.  Seen: x0 acquired l and sem, set `in`, crashed; y0's
 * `recovered l` came before `x0 killed`; x0's holds: l 0, sem 1.  The
 * scenario is crash_yaml above, under --schedule=os; it shows about once
 * in 15 runs, so this test runs it 100 times. */
static void test_os_dead_holder_record(void **state)
{
	(void)state;
	struct scenario *s = load_text(crash_yaml);
	int l = obj(s, "l"), sem = obj(s, "sem");
	for (int k = 0; k < 100; k++) {
		struct engine *e = start(s, SCHED_OS, 0);
		assert_outcome(run(e), RUN_FINISHED, "dead holder os");
		const struct engine_view *v = engine_view(e);
		int x = wk(e, "x0");
		assert_int_equal(v->workers[x].state, WS_KILLED);
		assert_int_equal(count_events(e, EV_RECOVERED, l, -1), 1);
		if (v->workers[x].holds[l] != 1 || v->workers[x].holds[sem] != 1) {
			dump_trace(e);
			fail_msg("os run %d: x0 died holding l and sem, its record says l %d, sem %d",
			         k, v->workers[x].holds[l], v->workers[x].holds[sem]);
		}
		finish(e, "dead holder os");
	}
	drop(s);
}

/* ---- deadlock detection on the new kinds ----------------------------------- */

/* Stuck, not a cycle: deadlock_find then lists the stuck workers
 * themselves, each holding nothing (-1) and waiting for the object. */
static void check_stuck(struct engine *e, const struct scenario *s, const char *what)
{
	int o = obj(s, "x");
	const struct engine_view *v = engine_view(e);
	assert_int_equal(count_events(e, EV_DEADLOCK, -1, -1), 1);
	if (v->cycle_len < 1)
		fail_msg("%s: a deadlock with no stuck worker named", what);
	for (int i = 0; i < v->cycle_len; i++) {
		const struct cycle_link *c = &v->cycle[i];
		if (c->holds != -1 || c->waits != o)
			fail_msg("%s: link %d holds %d waits %d, expected -1 and %d", what, i,
			         c->holds, c->waits, o);
		assert_blocked_on(e, c->worker, o);
	}
	assert_int_equal(count_state(e, WS_KILLED), 0);
}

static void test_deadlock_event(void **state)
{
	(void)state;
	struct scenario *s = load_text(HEAD
		"objects:\n"
		"  - {name: x, type: event}\n"
		"workers:\n"
		"  - name: w\n"
		"    count: 2\n"
		"    program:\n"
		"      - wait: x\n");
	each_schedule(s, RUN_DEADLOCK, check_stuck);
	drop(s);
}

static void test_deadlock_queue(void **state)
{
	(void)state;
	struct scenario *s = load_text(HEAD
		"objects:\n"
		"  - {name: x, type: queue, capacity: 2}\n"
		"workers:\n"
		"  - name: p\n"
		"    count: 1\n"
		"    program:\n"
		"      - put: {queue: x, value: 1}\n"
		"  - name: c\n"
		"    count: 1\n"
		"    program:\n"
		"      - get: x\n"
		"      - get: x\n");
	each_schedule(s, RUN_DEADLOCK, check_stuck);
	drop(s);
}

static void test_deadlock_barrier(void **state)
{
	(void)state;
	struct scenario *s = load_text(HEAD
		"objects:\n"
		"  - {name: x, type: barrier, parties: 3}\n"
		"workers:\n"
		"  - name: w\n"
		"    count: 2\n"
		"    program:\n"
		"      - wait: x\n");
	each_schedule(s, RUN_DEADLOCK, check_stuck);
	drop(s);
}

/* A producer still alive (asleep) will put: that is not a deadlock. */
static void check_not_stuck(struct engine *e, const struct scenario *s, const char *what)
{
	(void)what;
	int q = obj(s, "q"), ev = obj(s, "ev");
	assert_int_equal(count_events(e, EV_DEADLOCK, -1, -1), 0);
	assert_int_equal(count_events(e, EV_GET, q, -1), 1);
	assert_int_equal(count_events(e, EV_PASSED, ev, -1), 1);
	assert_int_equal(count_state(e, WS_DONE), 3);
}

static void test_sleeping_producer_not_deadlock(void **state)
{
	(void)state;
	struct scenario *s = load_text(HEAD
		"objects:\n"
		"  - {name: q, type: queue, capacity: 1}\n"
		"  - {name: ev, type: event}\n"
		"workers:\n"
		"  - name: p\n"
		"    count: 1\n"
		"    program:\n"
		"      - sleep: 2\n"
		"      - put: {queue: q, value: 1}\n"
		"      - sleep: 1\n"
		"      - set: ev\n"
		"  - name: c\n"
		"    count: 1\n"
		"    program:\n"
		"      - get: q\n"
		"  - name: w\n"
		"    count: 1\n"
		"    program:\n"
		"      - wait: ev\n");
	each_schedule(s, RUN_FINISHED, check_not_stuck);
	drop(s);
}

/* ---- engine_free in the middle: no process survives, whatever it waits in */

/* Seven workers each blocked in a different kind of wait, a rescuer that
 * could free them all asleep for ten minutes holding l, and the manager:
 * the run is not a deadlock (the rescuer will free everyone), and
 * engine_free must still kill and reap every one of them where it is. */
static const char blocked_yaml[] = HEAD
	"objects:\n"
	"  - {name: l, type: lock}\n"
	"  - {name: ev, type: event}\n"
	"  - {name: b, type: barrier, parties: 2}\n"
	"  - {name: q, type: queue, capacity: 1}\n"
	"  - {name: p, type: pipe}\n"
	"  - {name: cl, type: lock}\n"
	"  - {name: c, type: condition, lock: cl}\n"
	"  - {name: sem, type: semaphore, initial: 0}\n"
	"  - {name: d, type: dict, entries: [{key: n}]}\n"
	"  - {name: hasl, type: event}\n"
	"workers:\n"
	"  - name: rescuer\n"
	"    count: 1\n"
	"    program:\n"
	"      - acquire: l\n"
	"      - set: hasl\n"
	"      - sleep: 600\n"
	"      - set: ev\n"
	"      - wait: b\n"
	"      - put: {queue: q, value: 1}\n"
	"      - send: {pipe: p, value: 1}\n"
	"      - acquire: cl\n"
	"      - notify-all: c\n"
	"      - release: cl\n"
	"      - release: sem\n"
	"      - release: l\n"
	"  - name: ew\n"
	"    count: 1\n"
	"    program:\n"
	"      - atomic-add: {value: d, key: n, add: 1}\n"
	"      - wait: ev\n"
	"  - name: bw\n"
	"    count: 1\n"
	"    program:\n"
	"      - wait: b\n"
	"  - name: qw\n"
	"    count: 1\n"
	"    program:\n"
	"      - get: q\n"
	"  - name: pw\n"
	"    count: 1\n"
	"    program:\n"
	"      - recv: p\n"
	"  - name: cw\n"
	"    count: 1\n"
	"    program:\n"
	"      - acquire: cl\n"
	"      - wait: c\n"
	"      - release: cl\n"
	"  - name: sw\n"
	"    count: 1\n"
	"    program:\n"
	"      - acquire: sem\n"
	"  - name: lw\n"
	"    count: 1\n"
	"    program:\n"
	"      - wait: hasl\n"
	"      - acquire: l\n"
	"      - release: l\n";

static const char *const blocked_on[][2] = {
	{ "ew0", "ev" }, { "bw0", "b" }, { "qw0", "q" }, { "pw0", "p" },
	{ "cw0", "c" }, { "sw0", "sem" }, { "lw0", "l" },
};
#define N_BLOCKED (int)(sizeof blocked_on / sizeof *blocked_on)

static void check_all_blocked(struct engine *e, const struct scenario *s)
{
	for (int i = 0; i < N_BLOCKED; i++)
		assert_blocked_on(e, wk(e, blocked_on[i][0]), obj(s, blocked_on[i][1]));
	assert_int_equal(engine_view(e)->workers[wk(e, "rescuer0")].state, WS_SLEEPING);
	assert_int_equal(engine_outcome(e), RUN_RUNNING);
	assert_int_equal(count_events(e, EV_DEADLOCK, -1, -1), 0);
	const struct engine_view *v = engine_view(e);
	assert_true(v->manager_pid > 0);
	assert_int_equal(kill(v->manager_pid, 0), 0);
	long count;
	const struct event *ev = engine_events(e, &count);
	for (long i = 0; i < count; i++)
		if (ev[i].kind == EV_START)
			assert_int_equal(kill((pid_t)ev[i].value, 0), 0);   /* alive now */
}

static void test_free_while_blocked_os(void **state)
{
	(void)state;
	struct scenario *s = load_text(blocked_yaml);
	struct engine *e = start(s, SCHED_OS, 0);
	/* the engine's own loop, until its picture has everyone in place */
	for (;;) {
		int blocked = count_state(e, WS_BLOCKED);
		if (blocked == N_BLOCKED &&
		    engine_view(e)->workers[wk(e, "rescuer0")].state == WS_SLEEPING)
			break;
		if (engine_outcome(e) != RUN_RUNNING)
			fail_msg("the run ended (%s) with %d blocked", outcome_name(engine_outcome(e)),
			         blocked);
		struct pollfd fds[64];
		int n = engine_pollfds(e, fds, 64);
		assert_true(poll(fds, (nfds_t)n, engine_timeout_ms(e)) >= 0 || errno == EINTR);
		engine_dispatch(e, fds, n);
	}
	check_all_blocked(e, s);
	finish(e, "free while blocked, os");
	drop(s);
}

static void test_free_while_blocked_controlled(void **state)
{
	(void)state;
	struct scenario *s = load_text(blocked_yaml);
	struct engine *e = start(s, SCHED_RANDOM, 8);
	step(e, wk(e, "rescuer0"));          /* takes l */
	step(e, wk(e, "rescuer0"));          /* says so */
	step(e, wk(e, "rescuer0"));          /* sleeps */
	step(e, wk(e, "lw0"));               /* passes hasl */
	step(e, wk(e, "ew0"));               /* the manager's add */
	step(e, wk(e, "cw0"));               /* takes cl */
	for (int i = 0; i < N_BLOCKED; i++)
		step(e, wk(e, blocked_on[i][0]));
	check_all_blocked(e, s);
	finish(e, "free while blocked, controlled");
	drop(s);
}

/* ---- reproducibility ------------------------------------------------------------ */

/* A random run of the mixed scenario under SEED: its trace, and how many
 * requests its manager served. */
static struct rec *trace_of(const struct scenario *s, uint64_t seed, long *n, long *requests)
{
	struct engine *e = start(s, SCHED_RANDOM, seed);
	assert_outcome(run(e), RUN_FINISHED, "mixed");
	struct rec *r = copy_trace(e, n);
	*requests = engine_view(e)->manager_requests;
	finish(e, "mixed");
	return r;
}

static void test_same_seed_same_trace(void **state)
{
	(void)state;
	struct scenario *s = load_text(HEAD
		"objects:\n"
		"  - {name: q, type: queue, capacity: 2}\n"
		"  - {name: go, type: event}\n"
		"  - {name: b, type: barrier, parties: 3}\n"
		"  - {name: d, type: dict, entries: [{key: n, initial: 0}]}\n"
		"workers:\n"
		"  - name: p\n"
		"    count: 1\n"
		"    program:\n"
		"      - sleep-random: {min: 0, max: 2}\n"
		"      - set: go\n"
		"      - put: {queue: q, value: 1}\n"
		"      - put: {queue: q, value: 2}\n"
		"      - put: {queue: q, value: 3}\n"
		"      - wait: b\n"
		"  - name: c\n"
		"    count: 2\n"
		"    program:\n"
		"      - wait: go\n"
		"      - get: q\n"
		"      - update: {value: d, key: n, add: 1}\n"
		"      - print: \"{name} got {reg}\"\n"
		"      - sleep-random: {min: 0, max: 3}\n"
		"      - wait: b\n"
		"      - atomic-add: {value: d, key: n, add: 10}\n");
	for (uint64_t seed = 7; seed <= 9; seed++) {
		long na, nb, ra, rb;
		struct rec *a = trace_of(s, seed, &na, &ra);
		struct rec *b = trace_of(s, seed, &nb, &rb);
		assert_int_equal(ra, rb);
		assert_int_equal(ra, 2 * 2 + 2);
		char what[64];
		snprintf(what, sizeof what, "seed %llu twice", (unsigned long long)seed);
		assert_same_trace(a, na, b, nb, what);
		free(a);
		free(b);
	}
	drop(s);
}

/* ---- main ------------------------------------------------------------------ */

int main(void)
{
	if (testlib_init("unit-types", OS_SPEED) != 0)
		return 1;
	const struct CMUnitTest tests[] = {
		T(test_rlock_reentrant_steps),
		T(test_rlock_schedules),
		T(test_rlock_not_owner),
		T(test_lock_dead_taker),
		T(test_semaphore_signalling),
		T(test_condition_misuse),
		T(test_lock_not_reentrant),
		T(test_release_unheld),
		T(test_bounded_over_release),
		T(test_bounded_within_bound),
		T(test_event_steps),
		T(test_event_schedules),
		T(test_event_clear_blocks),
		T(test_event_initially_set),
		T(test_condition_needs_lock),
		T(test_condition_notify_one),
		T(test_condition_notify_all),
		T(test_condition_pattern),
		T(test_barrier_steps),
		T(test_barrier_schedules),
		T(test_queue_steps),
		T(test_queue_schedules),
		T(test_pipe_steps),
		T(test_pipe_schedules),
		T(test_array_elements),
		T(test_array_lost_updates),
		T(test_dict_unlocked),
		T(test_dict_locked),
		T(test_list_namespace),
		T(test_acquire_timeout),
		T(test_goto_loop),
		T(test_crash_holding),
		T(test_os_atomic_add_view),
		T(test_os_dead_holder_record),
		T(test_deadlock_event),
		T(test_deadlock_queue),
		T(test_deadlock_barrier),
		T(test_sleeping_producer_not_deadlock),
		T(test_free_while_blocked_os),
		T(test_free_while_blocked_controlled),
		T(test_same_seed_same_trace),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
