/*
 * testlib.c: the helpers tests/unit-engine.c and tests/unit-types.c share,
 * one implementation of each (the contract is in testlib.h).
 *
 * The bookkeeping: cmocka leaves a failed test with longjmp, so whatever a
 * test made (scenarios, engines, scenario files) is recorded here, and
 * testlib_teardown frees, kills and removes what the test did not.
 */
#include "config.h"

#include <errno.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "testlib.h"
#include "signals.h"

/* ---- bookkeeping ------------------------------------------------------------ */

#define MAX_LIVE 16
#define MAX_FILES 32
static struct engine *live_engines[MAX_LIVE];
static struct scenario *live_scenarios[MAX_LIVE];
static char tmpdir[PATH_MAX];          /* this test's own, from mkdtemp */
static char files[MAX_FILES][PATH_MAX];
static int n_files;
static char engine_err[1024];          /* engine_new keeps a pointer to it */
static char prog_name[64] = "unit";
static double os_speed_of_start = 1;

static void track(void **slots, void *p)
{
	for (int i = 0; i < MAX_LIVE; i++)
		if (!slots[i]) {
			slots[i] = p;
			return;
		}
	fail_msg("more than %d live objects in one test", MAX_LIVE);
}

static void untrack(void **slots, void *p)
{
	for (int i = 0; i < MAX_LIVE; i++)
		if (slots[i] == p)
			slots[i] = NULL;
}

int testlib_init(const char *name, double os_speed)
{
	snprintf(prog_name, sizeof prog_name, "%s", name);
	os_speed_of_start = os_speed;
	if (signals_install() != 0) {
		perror("signals_install");
		return -1;
	}
	return 0;
}

int testlib_setup(void **state)
{
	(void)state;
	const char *base = getenv("TMPDIR");
	snprintf(tmpdir, sizeof tmpdir, "%.*s/%s.XXXXXX", PATH_MAX - 80,
	         base && *base ? base : "/tmp", prog_name);
	if (!mkdtemp(tmpdir)) {
		perror("mkdtemp");
		tmpdir[0] = '\0';
		return -1;
	}
	n_files = 0;
	return 0;
}

int testlib_teardown(void **state)
{
	(void)state;
	for (int i = 0; i < MAX_LIVE; i++) {
		if (live_engines[i])
			engine_free(live_engines[i]);
		live_engines[i] = NULL;
	}
	for (int i = 0; i < MAX_LIVE; i++) {
		if (live_scenarios[i])
			scenario_free(live_scenarios[i]);
		live_scenarios[i] = NULL;
	}
	for (int i = 0; i < n_files; i++)
		unlink(files[i]);
	n_files = 0;
	if (tmpdir[0] && rmdir(tmpdir) != 0)
		fprintf(stderr, "# rmdir %s: %s\n", tmpdir, strerror(errno));
	tmpdir[0] = '\0';
	return 0;
}

/* ---- scenarios ------------------------------------------------------------ */

struct scenario *load_path(const char *path)
{
	char err[1024] = "";
	struct scenario *s = scenario_load(path, err, sizeof err);
	if (!s)
		fail_msg("cannot load %s: %s", path, err);
	track((void **)live_scenarios, s);
	return s;
}

struct scenario *load(const char *id)
{
	const char *dir = getenv("SCENARIOS");
	char path[PATH_MAX];
	if (!dir || !*dir)
		dir = ABS_TOP_SRCDIR "/scenarios";
	if (snprintf(path, sizeof path, "%s/%s.yaml", dir, id) >= (int)sizeof path)
		fail_msg("path too long: %s", dir);
	return load_path(path);
}

struct scenario *load_text(const char *text)
{
	if (!tmpdir[0])
		fail_msg("load_text outside a test (no testlib_setup)");
	if (n_files >= MAX_FILES)
		fail_msg("too many scenario files in one test");
	char *path = files[n_files];
	if (snprintf(path, PATH_MAX, "%.*s/s%d.yaml", PATH_MAX - 32, tmpdir, n_files) >= PATH_MAX)
		fail_msg("path too long");
	n_files++;
	FILE *f = fopen(path, "w");
	assert_non_null(f);
	fputs(text, f);
	assert_int_equal(fclose(f), 0);
	char err[1024] = "";
	struct scenario *s = scenario_load(path, err, sizeof err);
	if (!s)
		fail_msg("cannot load %s: %s\n%s", path, err, text);
	/* The tests' own scenarios time their steps from 0: a start cost
	 * only where a test asks for one. */
	if (!strstr(text, "process-start-ms:"))
		s->process_start_ms = 0;
	track((void **)live_scenarios, s);
	return s;
}

void drop(struct scenario *s)
{
	untrack((void **)live_scenarios, s);
	scenario_free(s);
}

int obj(const struct scenario *s, const char *name)
{
	int i = scenario_find_object(s, name);
	if (i < 0)
		fail_msg("scenario %s has no object %s", s->id, name);
	return i;
}

/* ---- engines -------------------------------------------------------------- */

struct engine *start_opts(const struct scenario *s, const struct engine_options *o)
{
	engine_err[0] = '\0';
	struct engine *e = engine_new(s, o, engine_err, sizeof engine_err);
	if (!e)
		fail_msg("engine_new(%s): %s", s->id, engine_err);
	track((void **)live_engines, e);
	if (engine_start(e) != 0)
		fail_msg("engine_start(%s): %s", s->id, engine_err);
	const struct engine_view *v = engine_view(e);
	/* every worker is forked, and the manager server when the scenario
	 * has one; a worker whose Process.start() costs virtual time counts
	 * as started once that time has passed (process-start-ms) */
	assert_int_equal(v->n_workers, scenario_worker_count(s));
	for (int w = 0; w < v->n_workers; w++)
		assert_true(v->workers[w].pid > 0);
	if (s->process_start_ms == 0 || o->schedule == SCHED_OS)
		assert_int_equal(v->started, scenario_worker_count(s) + (v->manager_pid > 0));
	assert_int_equal(v->outcome, RUN_RUNNING);
	return e;
}

struct engine *start(const struct scenario *s, enum schedule sched, uint64_t seed)
{
	struct engine_options o = {
		.schedule = sched, .seed = seed,
		.speed = sched == SCHED_OS ? os_speed_of_start : 1, .timeout_s = GUARD_S,
	};
	return start_opts(s, &o);
}

enum run_outcome run(struct engine *e)
{
	enum run_outcome r = engine_run(e, NULL, NULL, -1);
	assert_int_equal(r, engine_outcome(e));
	assert_int_equal(r, engine_view(e)->outcome);
	return r;
}

pid_t *start_pids(const struct engine *e, int *n)
{
	/* From the workers' views: a long run's log no longer holds its
	 * starts (engine.h: only the newest events are kept). */
	const struct engine_view *v = engine_view(e);
	pid_t *pids = malloc(sizeof *pids * (size_t)(v->n_workers ? v->n_workers : 1));
	assert_non_null(pids);
	int k = 0;
	for (int w = 0; w < v->n_workers; w++)
		if (v->workers[w].pid > 0)
			pids[k++] = v->workers[w].pid;
	*n = k;
	return pids;
}

void assert_gone(pid_t pid, const char *what)
{
	errno = 0;
	int rc = kill(pid, 0);
	int err = errno;
	if (rc == 0 || err != ESRCH) {
		char path[64], stat[256] = "";
		snprintf(path, sizeof path, "/proc/%ld/stat", (long)pid);
		FILE *f = fopen(path, "r");
		if (f) {
			if (!fgets(stat, sizeof stat, f))
				stat[0] = '\0';
			fclose(f);
		}
		fail_msg("%s: pid %ld still exists (kill: %s; %s)", what, (long)pid,
		         rc == 0 ? "ok" : strerror(err), stat);
	}
}

void finish(struct engine *e, const char *what)
{
	int n;
	pid_t *pids = start_pids(e, &n);
	const struct engine_view *v = engine_view(e);
	pid_t manager = v->manager_pid;
	/* Every started process has a pid; a worker forked but whose start
	 * has not yet come in virtual time has one too. */
	if (n + (manager > 0) < v->started) {
		free(pids);
		fail_msg("%s: %d worker pids and manager %ld, but %d started", what, n,
		         (long)manager, v->started);
	}
	/* Every worker forked, started or not yet (a start costs virtual
	 * time: one freed midway may not have its start event yet). */
	int nw = v->n_workers;
	pid_t *forked = calloc((size_t)nw + 1, sizeof *forked);
	assert_non_null(forked);
	for (int w = 0; w < nw; w++)
		forked[w] = v->workers[w].pid;
	untrack((void **)live_engines, e);
	engine_free(e);
	for (int i = 0; i < nw; i++)
		if (forked[i] > 0)
			assert_gone(forked[i], what);
	free(forked);
	for (int i = 0; i < n; i++)
		assert_gone(pids[i], what);
	if (manager > 0)
		assert_gone(manager, what);
	free(pids);
}

void run_checked(const struct scenario *s, enum schedule sched, uint64_t seed,
                 enum run_outcome want, check_fn *check, const char *what)
{
	struct engine *e = start(s, sched, seed);
	assert_outcome(run(e), want, what);
	if (check)
		check(e, s, what);
	finish(e, what);
}

int count_state(const struct engine *e, enum worker_state st)
{
	const struct engine_view *v = engine_view(e);
	int n = 0;
	for (int w = 0; w < v->n_workers; w++)
		n += v->workers[w].state == st;
	return n;
}

long count_events(const struct engine *e, enum event_kind kind, int o, int w)
{
	long count, n = 0;
	const struct event *ev = engine_events(e, &count);
	for (long i = 0; i < count; i++)
		if (ev[i].kind == kind && (o < 0 || ev[i].object == o) &&
		    (w < 0 || ev[i].worker == w))
			n++;
	return n;
}

/* ---- traces ----------------------------------------------------------------- */

void rec_from_event(struct rec *r, const struct event *ev)
{
	memset(r, 0, sizeof *r);
	r->step = ev->step;
	r->t_ms = ev->t_ms;
	r->value = ev->kind == EV_START ? 0 : ev->value;
	r->extra = ev->extra;
	r->worker = ev->worker;
	r->pc = ev->pc;
	r->object = ev->object;
	r->elem = ev->elem;
	r->kind = ev->kind;
	snprintf(r->text, sizeof r->text, "%s", ev->text ? ev->text : "");
}

struct rec *copy_trace(const struct engine *e, long *n)
{
	long count;
	const struct event *ev = engine_events(e, &count);
	struct rec *r = calloc((size_t)(count ? count : 1), sizeof *r);
	assert_non_null(r);
	for (long i = 0; i < count; i++)
		rec_from_event(&r[i], &ev[i]);
	*n = count;
	return r;
}

int rec_diff(const struct rec *a, const struct rec *b, char *why, size_t len)
{
#define FIELD(f) if (a->f != b->f) { \
		snprintf(why, len, #f " %ld != %ld (%s/%s)", (long)a->f, (long)b->f, \
		         event_kind_name(a->kind), event_kind_name(b->kind)); \
		return 1; }
	FIELD(kind)
	FIELD(worker)
	FIELD(pc)
	FIELD(object)
	FIELD(elem)
	FIELD(value)
	FIELD(extra)
	FIELD(t_ms)
	FIELD(step)
#undef FIELD
	if (strcmp(a->text, b->text)) {
		snprintf(why, len, "text '%.100s' != '%.100s'", a->text, b->text);
		return 1;
	}
	return 0;
}

void assert_same_trace(const struct rec *a, long na, const struct rec *b, long nb,
                       const char *what)
{
	char why[512];
	long n = na < nb ? na : nb;
	for (long i = 0; i < n; i++)
		if (rec_diff(&a[i], &b[i], why, sizeof why))
			fail_msg("%s: event %ld differs: %s", what, i, why);
	if (na != nb)
		fail_msg("%s: %ld events, then %ld", what, na, nb);
}
