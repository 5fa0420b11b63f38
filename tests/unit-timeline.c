/*
 * unit-timeline.c: the timeline (src/timeline.c) from made-up events.
 *
 * The timeline is a pure reducer of the engine's events, so these tests
 * feed it events written by hand (what the engine would report, step by
 * step) and read its cells: no process runs.  The scenarios are real
 * ones, loaded from text by the real loader, so the objects' kinds are
 * what the table says.  The view a printer reads (names, the cycle) is
 * made here too: the timeline reads only those fields of it.
 */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "engine.h"
#include "scenario.h"
#include "timeline.h"

/* Objects: 0 L (a Lock), 1 S (a Semaphore of 2), 2 v (a value), 3 R (an
 * RLock), 4 M (a robust lock); two workers, w0 and w1. */
static const char scenario_text[] =
	"lockstep: 1\nid: t\ntitle: {en: t}\n"
	"objects:\n"
	"  - {name: L, type: lock}\n"
	"  - {name: S, type: semaphore, initial: 2}\n"
	"  - {name: v, type: value, initial: 0}\n"
	"  - {name: R, type: rlock}\n"
	"  - {name: M, type: robust-lock}\n"
	"workers:\n"
	"  - name: w\n    count: 2\n    program:\n      - {acquire: L}\n      - {release: L}\n";

static struct scenario *load(void)
{
	char err[512];
	struct scenario *s = scenario_load_buffer("t.yaml", scenario_text, strlen(scenario_text),
	                                          err, sizeof err);
	if (!s)
		fail_msg("%s", err);
	return s;
}

static struct event ev(long step, int w, enum event_kind k, int obj)
{
	return (struct event){ .step = step, .worker = w, .kind = k, .object = obj, .pc = 0 };
}

static void feed(struct timeline *tl, const struct event *evs, size_t n)
{
	for (size_t i = 0; i < n; i++)
		timeline_add(tl, &evs[i]);
}

static const struct tl_cell *cell(const struct timeline *tl, int row, long step)
{
	const struct tl_cell *c = timeline_cell(tl, row, step);
	if (!c)
		fail_msg("no cell for row %d at step %ld", row, step);
	return c;
}

/* A worker's lane as text, steps from..to, as the text printer draws it. */
static void lane(const struct timeline *tl, int row, long from, long to, char *buf)
{
	for (long s = from; s <= to; s++) {
		const struct tl_cell *c = cell(tl, row, s);
		*buf++ = c->mark != TL_NONE ? timeline_mark_glyph(c->mark)
		       : timeline_fill_glyph(c->fill);
	}
	*buf = '\0';
}

static void holds(const struct timeline *tl, int row, long from, long to, char *buf)
{
	for (long s = from; s <= to; s++)
		*buf++ = timeline_hold_glyph(tl, cell(tl, row, s));
	*buf = '\0';
}

/* A wait shows as a wait until the worker gets the lock; a hold as a bar
 * from its acquire to its release. */
static void test_waits_and_holds(void **state)
{
	(void)state;
	struct scenario *s = load();
	struct timeline *tl = timeline_new(s, 2, 20);
	assert_non_null(tl);
	const struct event evs[] = {
		ev(0, 0, EV_START, -1), ev(0, 1, EV_START, -1),
		ev(1, 0, EV_ACQUIRED, 0), ev(2, 1, EV_WAIT, 0), ev(3, 0, EV_LOAD, 2),
		ev(4, 0, EV_STORE, 2), ev(5, 0, EV_RELEASED, 0), ev(6, 1, EV_ACQUIRED, 0),
		ev(7, 1, EV_RELEASED, 0), ev(7, 1, EV_EXIT, -1), ev(8, 0, EV_EXIT, -1),
	};
	feed(tl, evs, sizeof evs / sizeof evs[0]);
	timeline_finish(tl, NULL);
	char buf[32];
	lane(tl, 0, 0, 8, buf);
	assert_string_equal(buf, "*A.rwR..|");
	lane(tl, 1, 0, 8, buf);
	assert_string_equal(buf, "*.W~~~AR ");
	holds(tl, 0, 0, 8, buf);
	assert_string_equal(buf, " aaaa    ");
	holds(tl, 1, 0, 8, buf);
	assert_string_equal(buf, "      a  ");
	assert_int_equal(cell(tl, 1, 3)->fill, TF_WAITING);
	assert_int_equal(cell(tl, 0, 1)->obj, 0);
	assert_int_equal(cell(tl, 0, 1)->hold, 0);
	assert_int_equal(tl->last, 8);
	assert_null(timeline_cell(tl, 0, 9));   /* nothing happened there yet */
	timeline_free(tl);
	scenario_free(s);
}

/* One cell, several events: the most telling shows (a condition's wait
 * releases its lock and waits; being notified takes it back). */
static void test_one_mark_per_cell(void **state)
{
	(void)state;
	struct scenario *s = load();
	struct timeline *tl = timeline_new(s, 2, 10);
	const struct event evs[] = {
		ev(0, 0, EV_START, -1), ev(1, 0, EV_ACQUIRED, 0), ev(2, 0, EV_RELEASED, 0),
		ev(2, 0, EV_WAIT, 1), ev(3, 0, EV_ACQUIRED, 0), ev(3, 0, EV_PASSED, 1),
		ev(4, 0, EV_PRINT, -1), ev(4, 0, EV_EXIT, -1),
	};
	feed(tl, evs, sizeof evs / sizeof evs[0]);
	timeline_finish(tl, NULL);
	char buf[16];
	lane(tl, 0, 0, 4, buf);
	assert_string_equal(buf, "*AWAp");
	assert_int_equal(cell(tl, 0, 4)->fill, TF_ENDED);
	timeline_free(tl);
	scenario_free(s);
}

/* Two objects at once are '+'; a semaphore's count released by another
 * process counts down who took it; a Lock held at death stays held (its
 * count is lost), a robust lock does not, and a finished worker's RLock
 * stays with its ended owner. */
static void test_what_is_held(void **state)
{
	(void)state;
	struct scenario *s = load();
	struct timeline *tl = timeline_new(s, 2, 20);
	const struct event evs[] = {
		ev(0, 0, EV_START, -1), ev(0, 1, EV_START, -1),
		ev(1, 0, EV_ACQUIRED, 0), ev(2, 0, EV_ACQUIRED, 1), ev(3, 1, EV_RELEASED, 1),
		ev(4, 0, EV_ACQUIRED, 4), ev(5, 1, EV_ACQUIRED, 3), ev(6, 0, EV_KILLED, -1),
		ev(7, 1, EV_EXIT, -1), ev(8, 1, EV_PRINT, -1),
	};
	feed(tl, evs, sizeof evs / sizeof evs[0]);
	timeline_finish(tl, NULL);
	char buf[16];
	holds(tl, 0, 0, 8, buf);
	assert_string_equal(buf, " a+a++aaa");
	assert_int_equal(cell(tl, 0, 2)->hold, TL_HOLD_MANY);
	assert_int_equal(cell(tl, 0, 3)->hold, 0);          /* S given back for it */
	assert_int_equal(cell(tl, 0, 6)->mark, TL_KILLED);
	assert_int_equal(cell(tl, 0, 6)->hold, 0);          /* L stays, M is free */
	holds(tl, 1, 0, 8, buf);
	assert_string_equal(buf, "     cccc");
	timeline_free(tl);
	scenario_free(s);
}

/* The window keeps only its columns; the state goes on through the steps
 * before it, and across a slide. */
static void test_window(void **state)
{
	(void)state;
	struct scenario *s = load();
	struct timeline *tl = timeline_new(s, 2, 4);
	const struct event evs[] = {
		ev(0, 0, EV_START, -1), ev(1, 0, EV_ACQUIRED, 0), ev(2, 0, EV_SLEEP, -1),
		ev(3, 1, EV_START, -1),
	};
	feed(tl, evs, sizeof evs / sizeof evs[0]);
	struct event later = ev(4, 1, EV_WAIT, 0);
	timeline_slide(tl, 2);   /* keeps steps 2 and 3 */
	timeline_add(tl, &later);
	timeline_finish(tl, NULL);
	assert_null(timeline_cell(tl, 0, 1));
	assert_int_equal(cell(tl, 0, 2)->mark, TL_SLEEP);
	assert_int_equal(cell(tl, 1, 3)->mark, TL_START);
	assert_int_equal(cell(tl, 0, 4)->fill, TF_SLEEPING);
	assert_int_equal(cell(tl, 0, 4)->hold, 0);
	assert_int_equal(cell(tl, 1, 4)->mark, TL_WAIT);
	assert_int_equal(timeline_window_end(tl), 4);

	/* A window that starts later than the run: the same state there. */
	timeline_reset(tl, 3);
	feed(tl, evs, sizeof evs / sizeof evs[0]);
	timeline_add(tl, &later);
	timeline_finish(tl, NULL);
	assert_null(timeline_cell(tl, 0, 2));
	assert_int_equal(cell(tl, 0, 3)->fill, TF_SLEEPING);
	assert_int_equal(cell(tl, 0, 3)->hold, 0);
	assert_int_equal(cell(tl, 1, 4)->fill, TF_WAITING);
	timeline_free(tl);
	scenario_free(s);
}

/* The two-lock deadlock, as the engine reports it, and the view's cycle. */
static const struct event deadlock_events[] = {
	{ .step = 0, .worker = 0, .kind = EV_START, .object = -1 },
	{ .step = 0, .worker = 1, .kind = EV_START, .object = -1 },
	{ .step = 1, .worker = 0, .kind = EV_ACQUIRED, .object = 0 },
	{ .step = 2, .worker = 1, .kind = EV_ACQUIRED, .object = 1 },
	{ .step = 3, .worker = 0, .kind = EV_WAIT, .object = 1 },
	{ .step = 4, .worker = 1, .kind = EV_WAIT, .object = 0 },
	{ .step = 4, .worker = -1, .kind = EV_DEADLOCK, .object = -1 },
};

static void deadlock_view(struct engine_view *v, struct worker_view *wv, struct cycle_link *cy)
{
	memset(v, 0, sizeof *v);
	memset(wv, 0, 2 * sizeof *wv);
	snprintf(wv[0].name, sizeof wv[0].name, "w0");
	snprintf(wv[1].name, sizeof wv[1].name, "w1");
	cy[0] = (struct cycle_link){ .worker = 0, .holds = 0, .waits = 1 };
	cy[1] = (struct cycle_link){ .worker = 1, .holds = 1, .waits = 0 };
	v->n_workers = 2;
	v->workers = wv;
	v->outcome = RUN_DEADLOCK;
	v->cycle = cy;
	v->cycle_len = 2;
	v->steps = 4;
}

static void test_cycle_marked(void **state)
{
	(void)state;
	struct scenario *s = load();
	struct timeline *tl = timeline_new(s, 2, 10);
	struct engine_view v;
	struct worker_view wv[2];
	struct cycle_link cy[2];
	deadlock_view(&v, wv, cy);
	feed(tl, deadlock_events, sizeof deadlock_events / sizeof deadlock_events[0]);
	timeline_finish(tl, &v);
	assert_int_equal(tl->deadlock_step, 4);
	assert_true(tl->rows[0].cycle && tl->rows[1].cycle);
	assert_int_equal(tl->rows[1].cycle_holds, 1);
	assert_int_equal(tl->rows[1].cycle_waits, 0);
	/* Once the deadlock is gone (a kill), nothing is marked. */
	v.outcome = RUN_FINISHED;
	timeline_finish(tl, &v);
	assert_false(tl->rows[0].cycle || tl->rows[1].cycle);
	timeline_free(tl);
	scenario_free(s);
}

static char *print_text(const struct scenario *s, const struct engine_view *v,
                        const struct event *evs, size_t n)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	assert_non_null(f);
	struct timeline_text *p = timeline_text_new(f, s, v->n_workers);
	assert_non_null(p);
	for (size_t i = 0; i < n; i++)
		timeline_text_event(p, v, &evs[i]);
	timeline_text_end(p, v);
	timeline_text_free(p);
	assert_int_equal(fclose(f), 0);
	return buf;
}

/* The text: a ruler, a lane and a holds line per worker, the cycle's '#'
 * past the last step with each link in words, and the legend. */
static void test_text_cycle(void **state)
{
	(void)state;
	struct scenario *s = load();
	struct engine_view v;
	struct worker_view wv[2];
	struct cycle_link cy[2];
	deadlock_view(&v, wv, cy);
	char *out = print_text(s, &v, deadlock_events,
	                       sizeof deadlock_events / sizeof deadlock_events[0]);
	assert_non_null(strstr(out, "\n  step  0    #\n"));
	assert_non_null(strstr(out, "\n  w0    *A.W~#  in the cycle: holds L, waits for S\n"
	                            "         aaaa\n"));
	assert_non_null(strstr(out, "\n  w1    *.A.W#  in the cycle: holds S, waits for L\n"
	                            "          bbb\n"));
	assert_non_null(strstr(out, "W must wait"));
	assert_non_null(strstr(out, "# in the deadlock's cycle"));
	assert_null(strstr(out, "r reads"));   /* the legend says only what is shown */
	free(out);
	scenario_free(s);
}

/* A long run comes out in blocks of TIMELINE_TEXT_BLOCK steps. */
static void test_text_blocks(void **state)
{
	(void)state;
	struct scenario *s = load();
	struct engine_view v;
	struct worker_view wv[2];
	struct cycle_link cy[2];
	deadlock_view(&v, wv, cy);
	v.outcome = RUN_FINISHED;
	v.cycle_len = 0;
	enum { N = 2 * TIMELINE_TEXT_BLOCK + 10 };
	struct event *evs = calloc(N, sizeof *evs);
	for (int i = 0; i < N; i++)
		evs[i] = ev(i, i % 2, i < 2 ? EV_START : EV_PRINT, -1);
	char *out = print_text(s, &v, evs, N);
	int rulers = 0;
	for (const char *p = out; (p = strstr(p, "\n  step  ")); p++)
		rulers++;
	assert_int_equal(rulers, 3);
	char want[64];
	snprintf(want, sizeof want, "\n  step  %d ", TIMELINE_TEXT_BLOCK);
	assert_non_null(strstr(out, want));
	assert_null(strstr(out, "#"));
	free(out);
	free(evs);
	scenario_free(s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_waits_and_holds),
		cmocka_unit_test(test_one_mark_per_cell),
		cmocka_unit_test(test_what_is_held),
		cmocka_unit_test(test_window),
		cmocka_unit_test(test_cycle_marked),
		cmocka_unit_test(test_text_cycle),
		cmocka_unit_test(test_text_blocks),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
