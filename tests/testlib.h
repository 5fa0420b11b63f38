/*
 * testlib.h: what the cmocka tests that drive the real engine share
 * (tests/unit-engine.c, tests/unit-types.c).
 *
 * What it is for: loading real scenarios, starting and running real
 * engines, and checking afterwards that no process a run started is left,
 * with the bookkeeping that makes a failed assertion safe.  cmocka leaves a
 * failing test with longjmp, so every scenario and engine made here is
 * tracked, and the per-test teardown frees whatever the test did not:
 * engine_free kills and reaps its workers, so no worker outlives its test.
 *
 * Contract:
 *   - main() calls testlib_init() once, before cmocka_run_group_tests, and
 *     registers every test with T(f) (testlib_setup / testlib_teardown).
 *   - testlib_setup gives each test a directory of its own (mkdtemp under
 *     $TMPDIR, else /tmp); load_text writes there, and testlib_teardown
 *     frees what is still tracked, removes the files and the directory.
 *   - Every helper that can fail fails the running test (fail_msg or a
 *     cmocka assertion), never returns an error; so they are only called
 *     from inside a test.
 *   - A scenario from load/load_text is dropped with drop(); an engine from
 *     start/start_opts ends with finish(), which frees it and then asserts
 *     that every pid of the run (its workers' and the manager's) is
 *     gone with ESRCH: neither running nor an unreaped zombie.
 *   - Nothing here waits on a timer: GUARD_S is only the timeout that turns
 *     a hung engine into a failed test, never a measurement.
 */
#ifndef LOCKSTEP_TESTLIB_H
#define LOCKSTEP_TESTLIB_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include <cmocka.h>

#include "engine.h"
#include "scenario.h"

/* ---- the test program ------------------------------------------------------ */

/* Install the engine's signal handling; NAME prefixes the tests' temporary
 * directories ("NAME.XXXXXX"); OS_SPEED is the speed start() gives a
 * SCHED_OS run (real sleep = sleep / OS_SPEED).  0 on success, else -1
 * with a message on stderr. */
int testlib_init(const char *name, double os_speed);

/* cmocka setup and teardown: the test's directory, and the cleanup of what
 * a (failed) test left tracked. */
int testlib_setup(void **state);
int testlib_teardown(void **state);

#define T(f) cmocka_unit_test_setup_teardown(f, testlib_setup, testlib_teardown)

/* ---- scenarios --------------------------------------------------------------- */

/* The scenario file PATH, loaded for real; a load error fails the test. */
struct scenario *load_path(const char *path);

/* A bundled scenario by id, from $SCENARIOS (else the source tree's). */
struct scenario *load(const char *id);

/* Write TEXT to a new file in this test's directory and load it for real;
 * a load error fails the test, with the text. */
struct scenario *load_text(const char *text);

/* Free a scenario from load or load_text (and stop tracking it). */
void drop(struct scenario *s);

/* The index of object NAME in S; there must be one. */
int obj(const struct scenario *s, const char *name);

/* ---- engines ----------------------------------------------------------------- */

/* A wall-clock guard against a hung engine, never a measurement. */
#define GUARD_S 120.0

/* engine_new + engine_start, tracked: every worker (and the manager, if
 * any) started, and the run is RUN_RUNNING. */
struct engine *start_opts(const struct scenario *s, const struct engine_options *o);

/* start_opts with SCHED and SEED, speed 1 (testlib_init's OS_SPEED under
 * SCHED_OS) and GUARD_S. */
struct engine *start(const struct scenario *s, enum schedule sched, uint64_t seed);

/* engine_run to the end; the outcome it returns is the engine's and the
 * view's. */
enum run_outcome run(struct engine *e);

#define assert_outcome(got, want, what) do { \
		enum run_outcome got_ = (got), want_ = (want); \
		if (got_ != want_) \
			fail_msg("%s: outcome %s, expected %s", (what), outcome_name(got_), \
			         outcome_name(want_)); \
	} while (0)

/* The pid of every worker the run started (malloc'd, their number in *n). */
pid_t *start_pids(const struct engine *e, int *n);

/* PID is gone for good: kill(pid, 0) fails with ESRCH (kill succeeds on a
 * zombie, so this also says the engine reaped it). */
void assert_gone(pid_t pid, const char *what);

/* engine_free, then no process the run started may exist. */
void finish(struct engine *e, const char *what);

/* Start S under SCHED/SEED, run it, assert the outcome WANT, call CHECK
 * (when not NULL) on the ended run, and finish it.  WHAT names the run in
 * every message. */
typedef void check_fn(struct engine *e, const struct scenario *s, const char *what);
void run_checked(const struct scenario *s, enum schedule sched, uint64_t seed,
                 enum run_outcome want, check_fn *check, const char *what);

/* How many workers are in state ST. */
int count_state(const struct engine *e, enum worker_state st);

/* How many events of KIND on object O (-1: any) by worker W (-1: any). */
long count_events(const struct engine *e, enum event_kind kind, int o, int w);

/* ---- traces, copied so they outlive a restart or a free ---------------------- */

struct rec {
	long step, t_ms, value, extra;
	int worker, pc, object, elem;
	enum event_kind kind;
	char text[256];
};

/* EV as a record; a start's value (its pid, different in every run) is 0. */
void rec_from_event(struct rec *r, const struct event *ev);

/* The engine's trace as records (malloc'd, the caller frees; n in *n). */
struct rec *copy_trace(const struct engine *e, long *n);

/* Field by field: 0 when equal, else 1 with the first difference in WHY. */
int rec_diff(const struct rec *a, const struct rec *b, char *why, size_t len);

/* Both traces are the same, event by event (the caller still owns both). */
void assert_same_trace(const struct rec *a, long na, const struct rec *b, long nb,
                       const char *what);

#endif
