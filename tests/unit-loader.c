/*
 * unit-loader.c: cmocka tests of the scenario loader (src/scenario*.c).
 *
 * Good files (tests/good) are loaded and checked field by field.  Bad files
 * (tests/bad) carry their expected error on the first line,
 *     # expect: LINE:COL: SUBSTRING-OF-MESSAGE
 * so adding a case is adding a file; the test also insists on a fixed list
 * of cases, so deleting one is noticed.  Inputs that would be silly to
 * commit (a 64 KiB text, 160,000 brackets, an 8 MiB file) are generated.
 * The bundled scenarios must load.
 *
 * The libcyaml stage is also tested on its own: the tree check in front of
 * it should leave it nothing to reject, so its error path (captured log,
 * position parsed from it) is otherwise hard to reach.
 *
 * Environment (exported by make check): TESTDIR = abs path of tests/,
 * SCENARIOS = abs path of scenarios/.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "catalog.h"
#include "scenario.h"
#include "scenario_schema.h"

/* The bad-input classes the format promises to reject, one file each. */
static const char *const required_bad[] = {
	"syntax-error", "unknown-top-key", "unknown-op-key",
	"unknown-object-key", "wrong-type", "int-trailing-garbage",
	"int-fraction", "int-hex", "int-octal", "negative-count",
	"too-many-workers", "missing-required-key", "unknown-object",
	"acquire-value", "update-lock", "bad-object-type", "two-op-keys",
	"zero-op-keys", "line-past-python", "sleep-too-long",
	"sleep-random-min-over-max", "duplicate-object", "version-2", "empty",
	"top-level-list", "too-many-ops",
	/* the whole-lesson extension */
	"goto-unknown-label", "timeout-unknown-label", "duplicate-label",
	"if-register-not-goto", "wait-lock", "set-queue", "notify-event",
	"put-pipe", "recv-queue", "timeout-event", "index-missing",
	"index-out-of-range", "key-on-array", "key-missing", "key-unknown",
	"index-on-dict", "key-on-value", "condition-unknown-lock",
	"condition-semaphore-lock", "condition-without-lock",
	"queue-capacity-zero", "queue-without-capacity",
	"barrier-parties-too-many", "array-size-too-big",
	"array-size-and-entries", "array-without-size", "entries-with-initial",
	"entry-key-missing", "entry-key-on-list", "entry-key-duplicate",
	"entries-empty", "dict-without-entries", "queue-with-initial",
	"event-initial-two", "timeout-zero", "timeout-precision",
	"bsem-without-initial", "max-holders-event", "label-bad-name",
	"crash-too-long", "expect-on-array", "expr-nonlinear",
	"expr-unknown-word", "expr-semaphore", "expr-out-of-range",
	/* hostile inputs (issue 7) */
	"nesting-too-deep", "nesting-too-deep-block", "anchor", "anchor-scalar",
	"control-osc-title", "control-csi-summary", "control-osc52-print",
	"control-c1-escape", "control-c1-raw", "control-c1-crash",
	"control-bel-python", "control-in-key", "control-del",
	"control-multiline-page", "version-2-new-keys",
	"unterminated-last-line",
	"parent-two", "parent-yes", "start-ms-range", NULL
};

static const char *testdir(void)
{
	const char *d = getenv("TESTDIR");

	return d ? d : "tests";
}

static void path_of(char *out, size_t outlen, const char *sub,
		    const char *name)
{
	snprintf(out, outlen, "%s/%s/%s", testdir(), sub, name);
}

static struct scenario *load_good(const char *name)
{
	char path[4096], err[1024] = "";
	struct scenario *s;

	path_of(path, sizeof path, "good", name);
	s = scenario_load(path, err, sizeof err);
	if (s == NULL)
		fail_msg("%s did not load: %s", path, err);
	return s;
}

/* Write TEXT to a fresh temporary file; its name goes into path. */
static void write_temp(char *path, size_t pathlen, const char *text)
{
	const char *tmp = getenv("TMPDIR");
	size_t len = strlen(text);
	int fd;

	snprintf(path, pathlen, "%s/unit-loader-XXXXXX", tmp ? tmp : "/tmp");
	fd = mkstemp(path);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, text, len), (ssize_t)len);
	close(fd);
}

/* ---- good files --------------------------------------------------------- */

static void test_full(void **state)
{
	struct scenario *s = load_good("full.yaml");
	const struct scenario_group *g;
	const struct scenario_op *op;
	int idx = 99;

	(void)state;
	assert_string_equal(s->id, "full-tour");
	assert_string_equal(s->title.en, "Every op, once");
	assert_string_equal(s->title.zh, "每种操作各一次");
	assert_string_equal(s->summary.zh, "测试用");
	assert_string_equal(s->section, "more");
	assert_int_equal(s->order, 42);
	assert_int_equal(s->expect_outcome, OUTCOME_FINISHED);

	assert_int_equal(s->n_objects, 4);
	assert_string_equal(s->objects[0].name, "count");
	assert_int_equal(s->objects[0].kind, OBJ_VALUE);
	assert_int_equal(s->objects[0].initial, 100);
	assert_true(s->objects[0].has_expect);
	assert_int_equal(s->objects[0].expect, 0);
	assert_int_equal(s->objects[0].line, 10);
	assert_int_equal(s->objects[0].col, 5);
	assert_int_equal(s->objects[1].kind, OBJ_LOCK);
	assert_int_equal(s->objects[1].initial, 1);   /* a semaphore of max 1 */
	assert_int_equal(s->expect_max_holders[1], 1);
	assert_int_equal(s->objects[2].kind, OBJ_SEMAPHORE);
	assert_int_equal(s->objects[2].initial, 4);
	assert_int_equal(s->expect_max_holders[2], 4);
	assert_int_equal(s->objects[2].line, 12);
	assert_int_equal(s->objects[3].initial, 0);
	assert_false(s->objects[3].has_expect);
	assert_int_equal(s->expect_max_holders[0], 0);
	assert_int_equal(s->expect_max_holders[3], 0);

	assert_int_equal(s->n_groups, 2);
	g = &s->groups[0];
	assert_string_equal(g->name, "user");
	assert_int_equal(g->count, 13);
	assert_int_equal(g->first_index, 1);
	assert_int_equal(g->line, 18);
	assert_int_equal(g->col, 5);
	/* 10 entries, one of them an update: 11 steps. */
	assert_int_equal(g->n_ops, 11);
	op = g->ops;
	assert_int_equal(op[0].kind, OP_ACQUIRE);
	assert_int_equal(op[0].object, 2);
	assert_int_equal(op[0].py_line, 5);
	assert_int_equal(op[0].line, 22);
	assert_int_equal(op[0].col, 9);
	assert_int_equal(op[1].kind, OP_PRINT);
	assert_string_equal(op[1].text, "{name} sings");
	assert_int_equal(op[1].object, -1);
	assert_int_equal(op[2].kind, OP_SLEEP);
	assert_int_equal(op[2].sleep_min_ms, 0);
	assert_int_equal(op[2].sleep_max_ms, 3000);
	assert_int_equal(op[2].sleep_step_ms, 1000);
	assert_int_equal(op[3].kind, OP_RELEASE);
	assert_int_equal(op[3].object, 2);
	/* update: two steps, same object, line and position; amount on STORE. */
	assert_int_equal(op[4].kind, OP_LOAD);
	assert_int_equal(op[5].kind, OP_STORE);
	assert_int_equal(op[4].object, 0);
	assert_int_equal(op[5].object, 0);
	assert_int_equal(op[5].amount, -1);
	assert_int_equal(op[4].py_line, 8);
	assert_int_equal(op[5].py_line, 8);
	assert_int_equal(op[4].line, op[5].line);
	assert_int_equal(op[4].col, op[5].col);
	assert_int_equal(op[6].kind, OP_ATOMIC_ADD);
	assert_int_equal(op[6].object, 3);
	assert_int_equal(op[6].amount, 2);
	assert_int_equal(op[6].py_line, 0);
	assert_int_equal(op[7].kind, OP_SLEEP);
	assert_int_equal(op[7].sleep_min_ms, 250);
	assert_int_equal(op[7].sleep_max_ms, 250);
	assert_int_equal(op[7].sleep_step_ms, 1);
	assert_int_equal(op[8].sleep_min_ms, 2000);
	assert_int_equal(op[8].sleep_max_ms, 2000);
	assert_int_equal(op[8].sleep_step_ms, 1);
	assert_int_equal(op[9].kind, OP_ACQUIRE);
	assert_int_equal(op[9].object, 1);
	assert_int_equal(op[10].kind, OP_RELEASE);
	assert_null(op[10].text);

	assert_string_equal(s->groups[1].name, "watcher");
	assert_int_equal(s->groups[1].n_ops, 1);
	assert_non_null(s->python);
	assert_non_null(strstr(s->python, "d['count'] -= 1"));
	assert_int_equal(s->n_pages, 2);
	assert_string_equal(s->pages[0].zh, "第一页。");
	assert_string_equal(s->pages[1].en, "Page two.");
	assert_null(s->pages[1].zh);

	assert_int_equal(scenario_worker_count(s), 14);
	assert_int_equal(scenario_worker_group(s, 0, &idx), 0);
	assert_int_equal(idx, 0);
	assert_int_equal(scenario_worker_group(s, 12, &idx), 0);
	assert_int_equal(idx, 12);
	assert_int_equal(scenario_worker_group(s, 13, &idx), 1);
	assert_int_equal(idx, 0);
	assert_int_equal(scenario_worker_group(s, 14, &idx), -1);
	assert_int_equal(scenario_worker_group(s, -1, &idx), -1);
	scenario_free(s);
}

static void test_minimal_defaults(void **state)
{
	struct scenario *s = load_good("minimal.yaml");

	(void)state;
	assert_string_equal(s->title.en, "Minimal");
	assert_null(s->title.zh);
	assert_null(s->summary.en);
	assert_null(s->summary.zh);
	assert_null(s->section);
	assert_null(s->python);
	assert_int_equal(s->order, 9999);
	assert_int_equal(s->n_objects, 0);
	assert_int_equal(s->n_pages, 0);
	assert_int_equal(s->expect_outcome, OUTCOME_ANY);
	assert_int_equal(s->groups[0].first_index, 0);
	assert_int_equal(s->groups[0].ops[0].py_line, 0);
	assert_string_equal(s->path + strlen(s->path) - 12, "minimal.yaml");
	scenario_free(s);
}

static void test_deadlock(void **state)
{
	struct scenario *s = load_good("deadlock.yaml");

	(void)state;
	assert_int_equal(s->expect_outcome, OUTCOME_DEADLOCK);
	assert_null(s->summary.en);
	assert_string_equal(s->summary.zh, "只有中文摘要");
	assert_int_equal(s->groups[1].first_index, 7);
	assert_int_equal(s->groups[1].ops[0].object,
			 scenario_find_object(s, "B"));
	assert_int_equal(s->groups[0].ops[1].sleep_min_ms, 500);
	scenario_free(s);
}

/* The whole-lesson extension, field by field. */
static void test_whole_lesson(void **state)
{
	struct scenario *s = load_good("whole-lesson.yaml");
	const struct scenario_object *o = s->objects;
	const struct scenario_op *op;
	int i;

	(void)state;
	assert_string_equal(s->section, "messages");
	assert_int_equal(s->n_objects, 16);

	/* The condition names a lock defined after it. */
	assert_string_equal(o[0].name, "cond");
	assert_int_equal(o[0].kind, OBJ_CONDITION);
	assert_int_equal(o[0].lock, 1);
	assert_int_equal(o[0].n_elems, 0);
	assert_int_equal(o[0].line, 8);
	assert_int_equal(o[0].col, 5);
	assert_int_equal(o[1].kind, OBJ_RLOCK);
	assert_int_equal(o[1].lock, -1);
	assert_int_equal(o[1].initial, 1);
	assert_int_equal(s->expect_max_holders[1], 1);
	assert_int_equal(o[2].kind, OBJ_BOUNDED_SEMAPHORE);
	assert_int_equal(o[2].initial, 2);
	assert_int_equal(s->expect_max_holders[2], 2);
	assert_int_equal(o[3].kind, OBJ_EVENT);
	assert_int_equal(o[3].initial, 1);
	assert_int_equal(o[4].kind, OBJ_EVENT);
	assert_int_equal(o[4].initial, 0);
	assert_int_equal(o[5].kind, OBJ_BARRIER);
	assert_int_equal(o[5].capacity, 3);
	assert_int_equal(o[6].kind, OBJ_QUEUE);
	assert_int_equal(o[6].capacity, 4);
	assert_int_equal(o[6].n_elems, 0);
	assert_int_equal(o[7].kind, OBJ_PIPE);
	assert_int_equal(o[7].capacity, 0);
	assert_int_equal(o[7].lock, -1);

	/* array with size + initial: every element starts there. */
	assert_int_equal(o[8].kind, OBJ_ARRAY);
	assert_int_equal(o[8].n_elems, 3);
	for (i = 0; i < 3; i++) {
		assert_string_equal(o[8].elems[i].key, "");
		assert_int_equal(o[8].elems[i].initial, 7);
		assert_false(o[8].elems[i].has_expect);
	}
	assert_int_equal(o[8].initial, 0);
	assert_false(o[8].has_expect);
	/* list with entries, one of them empty (all defaults). */
	assert_int_equal(o[9].kind, OBJ_LIST);
	assert_int_equal(o[9].n_elems, 2);
	assert_int_equal(o[9].elems[0].initial, 1);
	assert_true(o[9].elems[0].has_expect);
	assert_int_equal(o[9].elems[0].expect, 5);
	assert_int_equal(o[9].elems[1].initial, 0);
	assert_false(o[9].elems[1].has_expect);
	assert_string_equal(o[9].elems[1].key, "");
	assert_int_equal(o[9].line, 17);
	/* dict and namespace: named entries, in order. */
	assert_int_equal(o[10].kind, OBJ_DICT);
	assert_int_equal(o[10].n_elems, 2);
	assert_string_equal(o[10].elems[0].key, "count");
	assert_int_equal(o[10].elems[0].initial, 100);
	assert_true(o[10].elems[0].has_expect);
	assert_int_equal(o[10].elems[0].expect, 0);
	assert_string_equal(o[10].elems[1].key, "total");
	assert_int_equal(o[10].elems[1].initial, 0);
	assert_false(o[10].elems[1].has_expect);
	assert_int_equal(o[11].kind, OBJ_NAMESPACE);
	assert_int_equal(o[11].n_elems, 1);
	assert_string_equal(o[11].elems[0].key, "done");
	assert_int_equal(o[11].elems[0].initial, -1);
	/* A plain value is one element with an empty key, old fields kept. */
	assert_int_equal(o[12].kind, OBJ_VALUE);
	assert_int_equal(o[12].initial, 5);
	assert_true(o[12].has_expect);
	assert_int_equal(o[12].expect, 9);
	assert_int_equal(o[12].n_elems, 1);
	assert_string_equal(o[12].elems[0].key, "");
	assert_int_equal(o[12].elems[0].initial, 5);
	assert_true(o[12].elems[0].has_expect);
	assert_int_equal(o[12].elems[0].expect, 9);
	assert_int_equal(o[12].lock, -1);
	assert_int_equal(o[13].kind, OBJ_LOCK);
	assert_int_equal(o[13].n_elems, 0);
	assert_int_equal(o[14].kind, OBJ_CONDITION);
	assert_int_equal(o[14].lock, 13);
	assert_int_equal(o[15].n_elems, SCENARIO_MAX_ELEMS);
	assert_int_equal(o[15].elems[63].initial, 0);
	assert_true(kind_is(o[10].kind, KF_MANAGED));
	assert_true(kind_is(o[11].kind, KF_MANAGED));
	assert_false(kind_is(o[8].kind, KF_MANAGED));

	/* producer: 15 entries, 3 of them updates: 18 steps. */
	assert_int_equal(s->groups[0].n_ops, 18);
	op = s->groups[0].ops;
	assert_int_equal(op[0].kind, OP_SET_REGISTER);
	assert_int_equal(op[0].amount, 3);
	assert_int_equal(op[0].object, -1);
	assert_string_equal(op[0].label, "top");
	assert_int_equal(op[0].line, 39);
	assert_int_equal(op[0].col, 9);
	assert_int_equal(op[1].kind, OP_PUT);
	assert_int_equal(op[1].object, 6);
	assert_true(op[1].use_register);
	assert_string_equal(op[1].label, "");
	assert_int_equal(op[2].kind, OP_PUT);
	assert_false(op[2].use_register);
	assert_int_equal(op[2].amount, -2);
	assert_int_equal(op[3].kind, OP_SEND);
	assert_int_equal(op[3].object, 7);
	assert_true(op[3].use_register);
	assert_int_equal(op[4].kind, OP_SEND);
	assert_false(op[4].use_register);
	assert_int_equal(op[4].amount, 42);
	/* update on a dict entry: the label is on the load only. */
	assert_int_equal(op[5].kind, OP_LOAD);
	assert_int_equal(op[5].object, 10);
	assert_int_equal(op[5].elem, 1);
	assert_string_equal(op[5].label, "upd");
	assert_int_equal(op[6].kind, OP_STORE);
	assert_int_equal(op[6].elem, 1);
	assert_int_equal(op[6].amount, 1);
	assert_string_equal(op[6].label, "");
	assert_int_equal(op[7].kind, OP_ATOMIC_ADD);
	assert_int_equal(op[7].object, 8);
	assert_int_equal(op[7].elem, 2);
	assert_int_equal(op[7].amount, -1);
	assert_int_equal(op[8].kind, OP_LOAD);
	assert_int_equal(op[8].object, 9);
	assert_int_equal(op[8].elem, 1);
	assert_int_equal(op[9].kind, OP_STORE);
	assert_int_equal(op[9].amount, 2);
	assert_int_equal(op[10].kind, OP_ATOMIC_ADD);
	assert_int_equal(op[10].object, 11);
	assert_int_equal(op[10].elem, 0);
	assert_int_equal(op[11].kind, OP_LOAD);
	assert_int_equal(op[11].object, 12);
	assert_int_equal(op[11].elem, 0);
	assert_int_equal(op[12].kind, OP_STORE);
	assert_int_equal(op[12].amount, 4);
	/* Targets are op indexes after expansion, backwards and forwards. */
	assert_int_equal(op[13].kind, OP_GOTO);
	assert_int_equal(op[13].target, 5);
	assert_true(op[13].has_if);
	assert_int_equal(op[13].if_value, 3);
	assert_int_equal(op[13].object, -1);
	assert_int_equal(op[14].kind, OP_GOTO);
	assert_int_equal(op[14].target, 17);
	assert_false(op[14].has_if);
	assert_int_equal(op[15].kind, OP_CRASH);
	assert_string_equal(op[15].text, "{name} dies holding {reg}");
	assert_int_equal(op[16].target, 0);
	assert_true(op[16].has_if);
	assert_int_equal(op[16].if_value, -7);
	assert_int_equal(op[17].kind, OP_PRINT);
	assert_string_equal(op[17].text, "{name} has {reg}");
	assert_string_equal(op[17].label, "end");
	assert_int_equal(op[17].line, 54);

	assert_int_equal(s->groups[1].count, 2);
	assert_int_equal(s->groups[1].n_ops, 14);
	op = s->groups[1].ops;
	assert_int_equal(op[0].kind, OP_ACQUIRE);
	assert_int_equal(op[0].object, 2);
	assert_int_equal(op[0].timeout_ms, 250);
	assert_int_equal(op[0].target, 6);
	assert_string_equal(op[0].label, "again");
	assert_int_equal(op[1].kind, OP_ACQUIRE);
	assert_int_equal(op[1].object, 1);
	assert_int_equal(op[1].timeout_ms, 0);
	assert_int_equal(op[2].kind, OP_WAIT);
	assert_int_equal(op[2].object, 0);
	assert_int_equal(op[3].kind, OP_NOTIFY);
	assert_false(op[3].notify_all);
	assert_int_equal(op[4].kind, OP_NOTIFY);
	assert_true(op[4].notify_all);
	assert_int_equal(op[4].object, 0);
	assert_int_equal(op[5].kind, OP_RELEASE);
	assert_int_equal(op[5].object, 1);
	assert_int_equal(op[6].kind, OP_GET);
	assert_int_equal(op[6].object, 6);
	assert_string_equal(op[6].label, "late");
	assert_int_equal(op[7].kind, OP_RECV);
	assert_int_equal(op[7].object, 7);
	assert_int_equal(op[8].kind, OP_WAIT);
	assert_int_equal(op[8].object, 3);
	assert_int_equal(op[9].kind, OP_SET);
	assert_int_equal(op[9].object, 4);
	assert_int_equal(op[10].kind, OP_CLEAR);
	assert_int_equal(op[10].object, 3);
	assert_int_equal(op[11].kind, OP_WAIT);
	assert_int_equal(op[11].object, 5);
	assert_int_equal(op[12].kind, OP_ACQUIRE);
	assert_int_equal(op[12].timeout_ms, 600000);
	assert_int_equal(op[12].target, 0);
	assert_int_equal(op[13].kind, OP_GOTO);
	assert_int_equal(op[13].target, 0);
	scenario_free(s);
}

/* The old files fill the new fields too. */
static void test_old_files_new_fields(void **state)
{
	struct scenario *s = load_good("full.yaml");
	int i, g, j;

	(void)state;
	for (i = 0; i < s->n_objects; i++) {
		assert_int_equal(s->objects[i].lock, -1);
		assert_int_equal(s->objects[i].capacity, 0);
		assert_int_equal(s->objects[i].n_elems,
				 s->objects[i].kind == OBJ_VALUE ? 1 : 0);
	}
	assert_int_equal(s->objects[0].elems[0].initial, 100);
	assert_true(s->objects[0].elems[0].has_expect);
	assert_int_equal(s->objects[0].elems[0].expect, 0);
	for (g = 0; g < s->n_groups; g++) {
		for (j = 0; j < s->groups[g].n_ops; j++) {
			const struct scenario_op *op = &s->groups[g].ops[j];

			assert_int_equal(op->elem, 0);
			assert_int_equal(op->timeout_ms, 0);
			assert_false(op->has_if);
			assert_false(op->use_register);
			assert_string_equal(op->label, "");
		}
	}
	scenario_free(s);
}

static void test_helpers(void **state)
{
	struct scenario *s = load_good("full.yaml");
	char err[256];

	(void)state;
	assert_int_equal(scenario_find_object(s, "rooms"), 2);
	assert_int_equal(scenario_find_object(s, "nope"), -1);
	/* Two groups: --workers does not apply. */
	assert_int_equal(scenario_set_workers(s, 5, err, sizeof err), -1);
	assert_non_null(strstr(err, "one worker group"));
	scenario_free(s);

	s = load_good("minimal.yaml");
	assert_int_equal(s->process_start_ms, SCENARIO_DEFAULT_START_MS);
	assert_int_equal(scenario_set_workers(s, 0, err, sizeof err), -1);
	assert_non_null(strstr(err, "from 1 to 4096"));
	assert_int_equal(scenario_set_workers(s, 4097, err, sizeof err), -1);
	assert_int_equal(scenario_set_workers(s, 4096, err, sizeof err), 0);
	assert_int_equal(scenario_worker_count(s), 4096);
	scenario_free(s);

	assert_string_equal(object_kind_name(OBJ_VALUE), "value");
	assert_string_equal(object_kind_name(OBJ_LOCK), "lock");
	assert_string_equal(object_kind_name(OBJ_SEMAPHORE), "semaphore");
	assert_string_equal(op_kind_name(OP_ACQUIRE), "acquire");
	assert_string_equal(op_kind_name(OP_RELEASE), "release");
	assert_string_equal(op_kind_name(OP_LOAD), "load");
	assert_string_equal(op_kind_name(OP_STORE), "store");
	assert_string_equal(op_kind_name(OP_ATOMIC_ADD), "atomic-add");
	assert_string_equal(op_kind_name(OP_SLEEP), "sleep");
	assert_string_equal(op_kind_name(OP_PRINT), "print");
	assert_string_equal(object_kind_name(OBJ_RLOCK), "rlock");
	assert_string_equal(object_kind_name(OBJ_BOUNDED_SEMAPHORE),
			    "bounded-semaphore");
	assert_string_equal(object_kind_name(OBJ_EVENT), "event");
	assert_string_equal(object_kind_name(OBJ_CONDITION), "condition");
	assert_string_equal(object_kind_name(OBJ_BARRIER), "barrier");
	assert_string_equal(object_kind_name(OBJ_QUEUE), "queue");
	assert_string_equal(object_kind_name(OBJ_PIPE), "pipe");
	assert_string_equal(object_kind_name(OBJ_ARRAY), "array");
	assert_string_equal(object_kind_name(OBJ_DICT), "dict");
	assert_string_equal(object_kind_name(OBJ_LIST), "list");
	assert_string_equal(object_kind_name(OBJ_NAMESPACE), "namespace");
	assert_string_equal(object_kind_name(OBJ_ROBUST_LOCK), "robust-lock");
	assert_true(kind_is(OBJ_ROBUST_LOCK, KF_OWNED | KF_ROBUST | KF_LOCKLIKE));
	assert_false(kind_is(OBJ_LOCK, KF_RECURSIVE));
	assert_int_equal(kind_find("robust-lock"), OBJ_ROBUST_LOCK);
	assert_int_equal(kind_find("mutex"), -1);
	assert_string_equal(object_kind_name(OBJ_KIND_COUNT), "?");
	assert_string_equal(op_kind_name(OP_SET), "set");
	assert_string_equal(op_kind_name(OP_CLEAR), "clear");
	assert_string_equal(op_kind_name(OP_WAIT), "wait");
	assert_string_equal(op_kind_name(OP_NOTIFY), "notify");
	assert_string_equal(op_kind_name(OP_PUT), "put");
	assert_string_equal(op_kind_name(OP_GET), "get");
	assert_string_equal(op_kind_name(OP_SEND), "send");
	assert_string_equal(op_kind_name(OP_RECV), "recv");
	assert_string_equal(op_kind_name(OP_SET_REGISTER), "set-register");
	assert_string_equal(op_kind_name(OP_GOTO), "goto");
	assert_string_equal(op_kind_name(OP_CRASH), "crash");
	assert_string_equal(op_kind_name(OP_KIND_COUNT), "?");
	scenario_free(NULL);
}

/* A value's initial and expect written over `workers` follow the worker
 * count, at load time and again after --workers. */
static void test_workers_expressions(void **state)
{
	struct scenario *s = load_good("workers-expr.yaml");
	const struct scenario_object *o;
	char err[256];

	(void)state;
	o = &s->objects[scenario_find_object(s, "count")];
	assert_int_equal(o->initial, 10);
	assert_int_equal(o->elems[0].initial, 10);
	assert_true(o->has_expect);
	assert_int_equal(o->expect, 0);
	o = &s->objects[scenario_find_object(s, "left")];
	assert_int_equal(o->initial, 100);
	assert_int_equal(o->expect, 90);
	o = &s->objects[scenario_find_object(s, "plain")];
	assert_int_equal(o->initial, -7);
	assert_int_equal(o->expect, 3);
	o = &s->objects[scenario_find_object(s, "arr")];
	assert_int_equal(o->elems[0].initial, 21);
	assert_int_equal(o->elems[1].initial, 21);
	o = &s->objects[scenario_find_object(s, "ns")];
	assert_int_equal(o->elems[0].initial, 5);
	assert_int_equal(o->elems[0].expect, 35);
	assert_false(o->elems[1].has_expect);
	assert_int_equal(s->objects[scenario_find_object(s, "rooms")].initial, 4);

	assert_int_equal(scenario_set_workers(s, 1000, err, sizeof err), 0);
	o = &s->objects[scenario_find_object(s, "count")];
	assert_int_equal(o->initial, 1000);
	assert_int_equal(o->elems[0].initial, 1000);
	assert_int_equal(o->expect, 0);
	o = &s->objects[scenario_find_object(s, "left")];
	assert_int_equal(o->expect, -900);
	assert_int_equal(s->objects[scenario_find_object(s, "arr")].elems[1].initial, 2001);
	assert_int_equal(s->objects[scenario_find_object(s, "ns")].elems[0].expect, 3005);
	scenario_free(s);
}

/* A scenario's own start cost and a parent group. */
static void test_parent_and_start_cost(void **state)
{
	struct scenario *s = load_good("parent.yaml");
	char err[256];

	(void)state;
	assert_int_equal(s->process_start_ms, 5);
	assert_false(s->groups[0].parent);
	assert_true(s->groups[1].parent);
	assert_int_equal(scenario_set_workers(s, 3, err, sizeof err), -1);
	scenario_free(s);
}

/* ---- bad files ---------------------------------------------------------- */

/* Load PATH with stdout and stderr captured: the loader must say nothing. */
static struct scenario *load_silently(const char *path, char *err,
				      size_t errlen)
{
	char tmp[4096];
	struct scenario *s;
	struct stat st;
	int fd, save1, save2;

	write_temp(tmp, sizeof tmp, "");
	fd = open(tmp, O_WRONLY | O_APPEND);
	assert_true(fd >= 0);
	fflush(stdout);
	fflush(stderr);
	save1 = dup(1);
	save2 = dup(2);
	dup2(fd, 1);
	dup2(fd, 2);
	s = scenario_load(path, err, errlen);
	fflush(stdout);
	fflush(stderr);
	dup2(save1, 1);
	dup2(save2, 2);
	close(save1);
	close(save2);
	close(fd);
	assert_int_equal(stat(tmp, &st), 0);
	unlink(tmp);
	if (st.st_size != 0)
		fail_msg("loading %s printed %lld bytes", path,
			 (long long)st.st_size);
	return s;
}

/* Check one bad file against its "# expect: L:C: TEXT" line. */
static void check_bad_file(const char *path)
{
	char line[512], err[1024], want[4500], *text, *nl;
	struct scenario *s;
	int l, c, n = 0;
	FILE *f = fopen(path, "r");

	if (f == NULL)
		fail_msg("cannot open %s: %s", path, strerror(errno));
	if (fgets(line, sizeof line, f) == NULL)
		line[0] = '\0';
	fclose(f);
	nl = strchr(line, '\n');
	if (nl)
		*nl = '\0';
	if (sscanf(line, "# expect: %d:%d: %n", &l, &c, &n) != 2 || n == 0)
		fail_msg("%s: first line is not '# expect: L:C: TEXT'", path);
	text = line + n;

	s = load_silently(path, err, sizeof err);
	if (s != NULL) {
		scenario_free(s);
		fail_msg("%s loaded, but should fail with %s", path, line);
	}
	snprintf(want, sizeof want, "%s:%d:%d: error: ", path, l, c);
	if (strncmp(err, want, strlen(want)) != 0 || strstr(err, text) == NULL)
		fail_msg("%s:\n  want %s...%s\n  got  %s", path, want, text, err);
	/* Exactly one line. */
	assert_null(strchr(err, '\n'));
}

static int is_yaml(const char *name)
{
	size_t n = strlen(name);

	return n > 5 && strcmp(name + n - 5, ".yaml") == 0;
}

static void test_bad_files(void **state)
{
	char dir[4096], path[4400];
	struct dirent *e;
	DIR *d;
	int i, count = 0;

	(void)state;
	path_of(dir, sizeof dir, "bad", "");
	for (i = 0; required_bad[i] != NULL; i++) {
		snprintf(path, sizeof path, "%s%s.yaml", dir, required_bad[i]);
		if (access(path, R_OK) != 0)
			fail_msg("required bad case missing: %s", path);
	}
	d = opendir(dir);
	assert_non_null(d);
	while ((e = readdir(d)) != NULL) {
		if (!is_yaml(e->d_name))
			continue;
		snprintf(path, sizeof path, "%s%s", dir, e->d_name);
		check_bad_file(path);
		count++;
	}
	closedir(d);
	assert_true(count >= i);
}

/* A scenario whose title is LEN bytes of 'x'. */
static char *scenario_with_title(size_t len)
{
	const char *head = "lockstep: 1\nid: long-text\ntitle:\n  en: \"";
	const char *tail = "\"\nobjects: []\nworkers:\n"
			   "  - {name: w, count: 1, program: [{print: hi}]}\n";
	char *text = malloc(strlen(head) + len + strlen(tail) + 1);

	assert_non_null(text);
	strcpy(text, head);
	memset(text + strlen(head), 'x', len);
	strcpy(text + strlen(head) + len, tail);
	return text;
}

static void test_text_limit(void **state)
{
	char path[4096], err[1024], want[4200];
	struct scenario *s;
	char *text;

	(void)state;
	text = scenario_with_title(SCENARIO_MAX_TEXT);
	write_temp(path, sizeof path, text);
	free(text);
	s = scenario_load(path, err, sizeof err);
	unlink(path);
	assert_non_null(s);
	assert_int_equal(strlen(s->title.en), SCENARIO_MAX_TEXT);
	scenario_free(s);

	text = scenario_with_title(SCENARIO_MAX_TEXT + 1);
	write_temp(path, sizeof path, text);
	free(text);
	s = scenario_load(path, err, sizeof err);
	unlink(path);
	assert_null(s);
	snprintf(want, sizeof want, "%s:4:7: error: 'en' is too long: 65537 "
		 "bytes (at most 65536)", path);
	assert_string_equal(err, want);
}

/* An empty `python:` is no source at all, so `line` cannot point into it. */
static void test_empty_python(void **state)
{
	char path[4096], err[1024];
	struct scenario *s;

	(void)state;
	write_temp(path, sizeof path, "lockstep: 1\nid: p\ntitle: {en: x}\n"
		   "python:\nobjects: []\nworkers:\n  - name: w\n"
		   "    count: 1\n    program: [{print: hi}]\n");
	s = scenario_load(path, err, sizeof err);
	unlink(path);
	assert_non_null(s);
	assert_null(s->python);
	scenario_free(s);
}

static void test_cannot_open(void **state)
{
	char err[1024], path[4096];

	(void)state;
	assert_null(scenario_load("/nonexistent/x.yaml", err, sizeof err));
	assert_string_equal(err, "/nonexistent/x.yaml:1:1: error: cannot "
			    "open: No such file or directory");
	/* A directory is not a scenario file. */
	path_of(path, sizeof path, "good", "");
	assert_null(scenario_load(path, err, sizeof err));
	assert_non_null(strstr(err, ":1:1: error: not a regular file"));
}

static void test_small_error_buffer(void **state)
{
	char path[4096], err[16];

	(void)state;
	path_of(path, sizeof path, "bad", "version-2.yaml");
	memset(err, 'z', sizeof err);
	assert_null(scenario_load(path, err, sizeof err));
	assert_int_equal(strlen(err), sizeof err - 1);
	assert_null(scenario_load(path, NULL, 0));
}

/* Inputs the committed files do not show: the edges of every bound. */
static void test_bounds(void **state)
{
	static const struct {
		const char *yaml;
		const char *want; /* NULL: loads */
	} cases[] = {
		{ "count: 4096", NULL },
		{ "count: 4097", "'count' must be from 1 to 4096, not 4097" },
		{ "count: 0", "'count' must be from 1 to 4096, not 0" },
		{ "count: +3", NULL },
		{ "count: 1e3", "plain decimal integer, not '1e3'" },
		{ "count: 99999999999999999999", "'count' is out of range" },
		{ "count: \"7\"", NULL },
		{ "count: [1]", "'count' must be an integer, not a list" },
		{ "count:", "'count' must be an integer, not an empty value" },
		{ "first: 1000001", "'first' must be from 0 to 1000000" },
		{ "program: []", "'program' needs at least 1 entry" },
		{ "program: [{print: hi, line: 1}]", "there is no 'python'" },
		{ "program: [{sleep: 1e3}]", "plain decimal number" },
		{ "program: [{sleep: -1}]", "from 0 to 600 seconds" },
		{ "program: [{sleep: 600.000}]", NULL },
		{ "program: [{sleep-random: {min: 0, max: 601}}]",
		  "'max' must be from 0 to 600, not 601" },
		{ "program: [{update: {value: v, add: 1000000001}}]",
		  "'add' must be from -1000000000 to 1000000000" },
		{ "program: [{atomic-add: {value: v}}]",
		  "missing required key 'add'" },
		{ "program: [{release: v}]",
		  "release needs a lock, a semaphore, an rlock, a "
		  "bounded-semaphore or a robust-lock, but 'v' is a value" },
		{ "program: [{print: x, print: y}]", "duplicate key 'print'" },
		/* the whole-lesson ops */
		{ "program: [{acquire-timeout: {object: l, seconds: 600.000, "
		  "else: x}, label: x}]", NULL },
		{ "program: [{acquire-timeout: {object: l, seconds: 0.001, "
		  "else: x}, label: x}]", NULL },
		{ "program: [{acquire-timeout: {object: l, seconds: 600.001, "
		  "else: x}, label: x}]",
		  "'seconds' must be more than 0 and at most 600 seconds, not "
		  "'600.001'" },
		{ "program: [{acquire-timeout: {object: l, seconds: -1, "
		  "else: x}, label: x}]", "more than 0 and at most 600" },
		{ "program: [{acquire-timeout: {object: l, seconds: 1}}]",
		  "missing required key 'else' in 'acquire-timeout'" },
		{ "program: [{acquire-timeout: {object: q, seconds: 1, "
		  "else: x}, label: x}]",
		  "acquire-timeout needs a lock, a semaphore, an rlock, a "
		  "bounded-semaphore or a robust-lock, but 'q' is a queue" },
		{ "program: [{put: {queue: q, value: 1000000000}}]", NULL },
		{ "program: [{put: {queue: q, value: -1000000001}}]",
		  "'value' must be from -1000000000 to 1000000000" },
		{ "program: [{put: {queue: q, pipe: q}}]",
		  "unknown key 'pipe' in 'put' (valid keys: queue, value)" },
		{ "program: [{send: {queue: q}}]",
		  "unknown key 'queue' in 'send' (valid keys: pipe, value)" },
		{ "program: [{send: {pipe: q}}]",
		  "send needs a pipe, but 'q' is a queue" },
		{ "program: [{get: p}]", "get needs a queue, but 'p' is a pipe" },
		{ "program: [{wait: q}]",
		  "wait needs an event, a condition or a barrier, but 'q' is "
		  "a queue" },
		{ "program: [{clear: v}]", "clear needs an event, but 'v' is a "
		  "value" },
		{ "program: [{notify: l}]", "notify needs a condition, but 'l' "
		  "is a lock" },
		{ "program: [{set-register: -1000000000}]", NULL },
		{ "program: [{set-register: 1000000001}]",
		  "'set-register' must be from -1000000000 to 1000000000" },
		{ "program: [{set-register: 1.5}]",
		  "'set-register' must be a plain decimal integer" },
		{ "program: [{goto: x, label: x}]", NULL },
		{ "program: [{goto: x, label: x, if-register: 1000000001}]",
		  "'if-register' must be from -1000000000 to 1000000000" },
		{ "program: [{goto: \"\", label: x}]",
		  "no op labelled '' in this program (labels: x)" },
		{ "program: [{label: x}]", "an op needs one of acquire, release, "
		  "update, atomic-add, read, write, sleep, sleep-random, print, "
		  "acquire-timeout, set, clear, wait, notify, notify-all, put, "
		  "get, send, recv, set-register, goto, crash" },
		{ "program: [{set: v, clear: v}]", "an op does one thing, but "
		  "'set' and 'clear' are both here" },
		{ "program: [{print: hi, label: "
		  "abcdefghijabcdefghijabcdefghijk}]", NULL },
		{ "program: [{print: hi, label: "
		  "abcdefghijabcdefghijabcdefghijkl}]",
		  "'label' is too long: 32 bytes (at most 31)" },
		{ "program: [{print: hi, label: \"\"}]",
		  "'label' must not be empty" },
		{ "program: [{crash: \"\"}]", NULL },
		{ "program: [{print: \"{name}: {reg}\"}]", NULL },
		{ "program: [{atomic-add: {value: a, index: 2, add: 1}}]", NULL },
		{ "program: [{atomic-add: {value: a, index: -1, add: 1}}]",
		  "'index' must be from 0 to 2, not -1" },
		{ "program: [{atomic-add: {value: a, index: x, add: 1}}]",
		  "'index' must be a plain decimal integer, not 'x'" },
		{ "program: [{update: {value: d, key: k, add: 1}}]", NULL },
		{ "program: [{update: {value: d, key: k, index: 0, add: 1}}]",
		  "'d' is a dict: say which entry with 'key', not 'index'" },
		{ "program: [{update: {value: v, index: 0, add: 1}}]",
		  "'v' is a value: it has no elements, so no 'index'" },
		{ "program: [{update: {value: v, index: 0, key: k, add: 1}}]",
		  "'v' is a value: it has no elements, so no 'index'" },
		{ "program: [{update: {value: a, add: 1}}]",
		  "'a' is an array: say which element with 'index' (0 to 2)" },
		{ "program: [{update: {value: q, add: 1}}]",
		  "update needs a value, an array, a dict, a list or a "
		  "namespace, but 'q' is a queue" },
	};
	char path[4096], err[1024], text[1024];
	struct scenario *s;
	size_t i;
	int prog;

	(void)state;
	for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		/* The case's key is on line 7; count and program are
		 * added unless the case gives them itself. */
		prog = strncmp(cases[i].yaml, "program", 7) == 0;
		snprintf(text, sizeof text, "lockstep: 1\nid: b\ntitle: {en: "
			 "x}\nobjects: [{name: v, type: value}, {name: l, type: "
			 "lock}, {name: q, type: queue, capacity: 2}, {name: p, "
			 "type: pipe}, {name: a, type: array, size: 3}, {name: "
			 "d, type: dict, entries: [{key: k}]}]\nworkers:\n"
			 "  - name: w\n    %s\n%s%s", cases[i].yaml,
			 strncmp(cases[i].yaml, "count", 5) ? "    count: 1\n"
							    : "",
			 prog ? "" : "    program: [{print: hi}]\n");
		write_temp(path, sizeof path, text);
		s = scenario_load(path, err, sizeof err);
		unlink(path);
		if (cases[i].want == NULL && s == NULL)
			fail_msg("%s: %s", cases[i].yaml, err);
		if (cases[i].want != NULL &&
		    (s != NULL || strstr(err, cases[i].want) == NULL ||
		     strstr(err, ":7:") == NULL))
			fail_msg("%s: want line 7 and '%s', got %s",
				 cases[i].yaml, cases[i].want,
				 s ? "success" : err);
		scenario_free(s);
	}
}

/* A list of N empty entries, "[{}, {}, ...]", for the entries limit. */
static char *empty_entries(int n)
{
	char *text = malloc(4 * (size_t)n + 3);
	int i;

	assert_non_null(text);
	strcpy(text, "[");
	for (i = 0; i < n; i++)
		strcat(text, i ? ",{}" : "{}");
	strcat(text, "]");
	return text;
}

/* The edges of every object bound of the whole-lesson extension. */
static void test_object_bounds(void **state)
{
	static const struct {
		const char *yaml; /* the objects list, on line 4 */
		const char *want; /* NULL: loads */
	} cases[] = {
		{ "[{name: q, type: queue, capacity: 1}]", NULL },
		{ "[{name: q, type: queue, capacity: 64}]", NULL },
		{ "[{name: q, type: queue, capacity: 65}]",
		  "'capacity' must be from 1 to 64, not 65" },
		{ "[{name: b, type: barrier, parties: 1}]", NULL },
		{ "[{name: b, type: barrier, parties: 4096}]", NULL },
		{ "[{name: b, type: barrier, parties: 0}]",
		  "'parties' must be from 1 to 4096, not 0" },
		{ "[{name: b, type: barrier}]",
		  "missing required key 'parties' in a barrier" },
		{ "[{name: a, type: array, size: 1}]", NULL },
		{ "[{name: a, type: list, size: 64, initial: -1000000000}]",
		  NULL },
		{ "[{name: a, type: list, size: 0}]",
		  "'size' must be from 1 to 64, not 0" },
		{ "[{name: a, type: list, size: 2, initial: 1000000001}]",
		  "'initial' must be from -1000000000 to 1000000000" },
		{ "[{name: a, type: list}]", "a list needs 'size'" },
		{ "[{name: a, type: array, entries: [{expect: 1000000001}]}]",
		  "'expect' must be from -1000000000 to 1000000000" },
		{ "[{name: d, type: dict, size: 2}]",
		  "a dict has no 'size' (it takes name, type, entries)" },
		{ "[{name: d, type: namespace, entries: [{key: 1x}]}]",
		  "entry key '1x' must be a letter or '_'" },
		{ "[{name: d, type: dict, entries: [{key: "
		  "abcdefghijabcdefghijabcdefghijkl}]}]",
		  "'key' is too long: 32 bytes (at most 31)" },
		{ "[{name: d, type: dict, entries: [{key: k, value: 1}]}]",
		  "unknown key 'value' in an entry (valid keys: key, initial, "
		  "expect)" },
		{ "[{name: d, type: dict, entries: {key: k}}]",
		  "'entries' must be a list, not a mapping" },
		{ "[{name: e, type: event, initial: 0}]", NULL },
		{ "[{name: e, type: event, initial: 1}]", NULL },
		{ "[{name: e, type: event, initial: -1}]",
		  "'initial' must be from 0 to 1, not -1" },
		{ "[{name: s, type: bounded-semaphore, initial: 1000000}]", NULL },
		{ "[{name: s, type: bounded-semaphore, initial: 1000001}]",
		  "'initial' must be from 0 to 1000000, not 1000001" },
		{ "[{name: s, type: bounded-semaphore, initial: 1, "
		  "max-holders: 0}]", "'max-holders' must be from 1 to 4096" },
		{ "[{name: r, type: rlock, max-holders: 4096}]", NULL },
		{ "[{name: r, type: rlock, initial: 1}]",
		  "an rlock has no 'initial' (it starts free)" },
		{ "[{name: p, type: pipe, capacity: 1}]",
		  "a pipe has no 'capacity' (it takes name, type)" },
		{ "[{name: q, type: queue, capacity: 2, max-holders: 1}]",
		  "a queue has no 'max-holders' (it takes name, type, "
		  "capacity)" },
		{ "[{name: v, type: value, size: 2}]",
		  "a value has no 'size' (it takes name, type, initial, "
		  "expect, limit)" },
		{ "[{name: v, type: value, limit: 2000000000}]",
		  "'limit' must be from -1000000000 to 1000000000" },
		{ "[{name: v, type: value, max-holders: 2}]",
		  "a value has no 'max-holders'" },
		{ "[{name: l, type: lock, expect: 2}]",
		  "a lock has no 'expect' (it takes name, type, max-holders)" },
		{ "[{name: c, type: condition, lock: c}]",
		  "a condition's 'lock' must be a lock or an rlock, but 'c' is "
		  "a condition" },
		{ "[{name: c, type: condition, lock: r}, {name: r, type: rlock}]",
		  NULL },
		{ "[{name: c, type: condition, lock: x, parties: 2}]",
		  "a condition has no 'parties' (it takes name, type, lock)" },
		{ "[{name: c, type: condition, lock: \"\"}]",
		  "'lock' names no object '' (objects: c)" },
		{ "[{name: x, type: mutex}]", "'type' must be one of value, "
		  "lock, semaphore, rlock, bounded-semaphore, event, condition, "
		  "barrier, queue, pipe, array, dict, list, namespace, "
		  "robust-lock; not 'mutex'" },
		{ "[{name: m, type: robust-lock, max-holders: 1}]", NULL },
		{ "[{name: m, type: robust-lock, initial: 1}]",
		  "a robust-lock has no 'initial' (it starts free)" },
		{ "[{name: c, type: condition, lock: m}, "
		  "{name: m, type: robust-lock}]", NULL },
		{ "64 entries", NULL },
		{ "65 entries", "too many entries in 'entries' (at most 64)" },
	};
	char path[4096], err[1024], *text, *list, *objects;
	struct scenario *s;
	size_t i;
	int n;

	(void)state;
	for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		list = NULL;
		n = 0;
		objects = (char *)cases[i].yaml;
		if (sscanf(cases[i].yaml, "%d entries", &n) == 1) {
			list = empty_entries(n);
			objects = malloc(strlen(list) + 64);
			assert_non_null(objects);
			sprintf(objects, "[{name: l, type: list, entries: %s}]",
				list);
		}
		text = malloc(strlen(objects) + 256);
		assert_non_null(text);
		sprintf(text, "lockstep: 1\nid: b\ntitle: {en: x}\nobjects: %s\n"
			"workers:\n  - {name: w, count: 1, program: "
			"[{print: hi}]}\n", objects);
		write_temp(path, sizeof path, text);
		free(text);
		if (list != NULL) {
			free(list);
			free(objects);
		}
		s = scenario_load(path, err, sizeof err);
		unlink(path);
		if (cases[i].want == NULL && s == NULL)
			fail_msg("%s: %s", cases[i].yaml, err);
		if (cases[i].want != NULL &&
		    (s != NULL || strstr(err, cases[i].want) == NULL ||
		     strstr(err, ":4:") == NULL))
			fail_msg("%s: want line 4 and '%s', got %s",
				 cases[i].yaml, cases[i].want,
				 s ? "success" : err);
		if (s != NULL && n > 0)
			assert_int_equal(s->objects[0].n_elems, n);
		scenario_free(s);
	}
}

/* libcyaml's own errors: captured (nothing printed), position parsed. */
static void test_cyaml_log_captured(void **state)
{
	static const char yaml[] = "lockstep: 1\nbogus: 2\n";
	struct raw_scenario *raw = (struct raw_scenario *)1;
	char tmp[4096], msg[256];
	struct stat st;
	int fd, save, line = -1, col = -1;

	(void)state;
	write_temp(tmp, sizeof tmp, "");
	fd = open(tmp, O_WRONLY | O_APPEND);
	assert_true(fd >= 0);
	fflush(stderr);
	save = dup(2);
	dup2(fd, 2);
	assert_int_equal(raw_load((const unsigned char *)yaml,
				  sizeof yaml - 1, &raw, msg, sizeof msg,
				  &line, &col), -1);
	fflush(stderr);
	dup2(save, 2);
	close(save);
	close(fd);
	assert_int_equal(stat(tmp, &st), 0);
	unlink(tmp);
	assert_int_equal(st.st_size, 0);
	assert_null(raw);
	assert_non_null(strstr(msg, "bogus"));
	assert_true(line >= 1);
	assert_true(col >= 1);
}

/* ---- hostile inputs (issue 7) ------------------------------------------- */

/* Load TEXT (LEN bytes) from a temporary file; the message must start
 * with "PATH:WANT" (WANT is "L:C: error: ..." or a prefix of it). */
static void expect_refused(const char *text, size_t len, const char *want)
{
	char path[4096], err[1024], head[4200];
	struct scenario *s;
	int fd;

	write_temp(path, sizeof path, "");
	fd = open(path, O_WRONLY | O_TRUNC);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, text, len), (ssize_t)len);
	close(fd);
	s = scenario_load(path, err, sizeof err);
	unlink(path);
	if (s != NULL) {
		scenario_free(s);
		fail_msg("loaded, but should fail with %s", want);
	}
	snprintf(head, sizeof head, "%s:%s", path, want);
	if (strncmp(err, head, strlen(head)) != 0)
		fail_msg("want %s...\n  got  %s", head, err);
	assert_null(strchr(err, '\n'));
}

/* "a: " and N copies of OPEN, then N of CLOSE (may be empty). */
static char *nested(const char *open_s, const char *close_s, size_t n,
		    size_t *len)
{
	size_t lo = strlen(open_s), lc = strlen(close_s), i;
	char *t = malloc(3 + n * (lo + lc) + 2), *p = t;

	assert_non_null(t);
	memcpy(p, "a: ", 3);
	p += 3;
	for (i = 0; i < n; i++, p += lo)
		memcpy(p, open_s, lo);
	for (i = 0; i < n; i++, p += lc)
		memcpy(p, close_s, lc);
	*p++ = '\n';
	*p = '\0';
	*len = (size_t)(p - t);
	return t;
}

/*
 * libyaml's scanner walks its whole stack of flow levels for every token,
 * so 160,000 '[' took a minute.  The loader must stop at the depth limit;
 * what is tested is that the limit is what fires (a hang guard, alarm,
 * ends a run that went quadratic; time decides nothing).
 */
static void test_deep_nesting(void **state)
{
	static const struct {
		const char *open_s, *close_s, *want;
	} cases[] = {
		{ "[", "", "1:35: error: nesting deeper than 32 levels" },
		{ "[", "]", "1:35: error: nesting deeper than 32 levels" },
		{ "{a: ", "}", "1:128: error: nesting deeper than 32 levels" },
		{ "- ", "", "1:4: error: syntax error" },
	};
	size_t i, len;
	char *t;

	(void)state;
	alarm(60);
	for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		t = nested(cases[i].open_s, cases[i].close_s, 160000, &len);
		expect_refused(t, len, cases[i].want);
		free(t);
	}
	/* Block nesting on one line: "- - - - ... x" at the top. */
	t = nested("- ", "", 160000, &len);
	expect_refused(t + 3, len - 3, "1:65: error: nesting deeper than 32 "
		       "levels");
	free(t);
	alarm(0);
}

/* libyaml compares each anchor with every earlier one: refused at the
 * first, so 160,000 of them cost nothing. */
static void test_many_anchors(void **state)
{
	size_t n = 160000, i, o = 0;
	char *t = malloc(n * 24);

	(void)state;
	assert_non_null(t);
	for (i = 0; i < n; i++)
		o += (size_t)sprintf(t + o, "k%zu: &a%zu 1\n", i, i);
	alarm(60);
	expect_refused(t, o, "1:5: error: anchors (&a0) are not supported");
	alarm(0);
	free(t);
}

/* A huge flat list is refused before libyaml builds its tree (700 MB for
 * an 8 MiB "[1,1,1,..."). */
static void test_many_nodes(void **state)
{
	size_t n = 100001, i, o = 0;
	char *t = malloc(16 + n * 2);

	(void)state;
	assert_non_null(t);
	o += (size_t)sprintf(t, "a: [");
	for (i = 0; i < n; i++)
		o += (size_t)sprintf(t + o, "1,");
	t[o - 1] = ']';
	/* Node 100001: after the mapping, 'a', the list and 99998 ones. */
	expect_refused(t, o, "1:199999: error: more than 100000 values, lists "
		       "and mappings in one file");
	free(t);
}

/* The minimal good scenario padded with a comment to exactly LEN bytes. */
static char *padded_scenario(size_t len)
{
	const char *head = "lockstep: 1\nid: big\ntitle: {en: x}\nobjects: []\n"
			   "workers:\n  - {name: w, count: 1, program: "
			   "[{print: hi}]}\n#";
	char *t = malloc(len + 1);

	assert_non_null(t);
	memset(t, 'x', len);
	memcpy(t, head, strlen(head));
	t[len - 1] = '\n';
	t[len] = '\0';
	return t;
}

static void test_size_cap(void **state)
{
	size_t cap = (size_t)8 << 20;
	char path[4096], err[1024];
	struct scenario *s;
	char *t;

	(void)state;
	t = padded_scenario(cap);
	write_temp(path, sizeof path, t);
	free(t);
	s = scenario_load(path, err, sizeof err);
	unlink(path);
	if (s == NULL)
		fail_msg("a file of exactly 8 MiB is refused: %s", err);
	scenario_free(s);

	t = padded_scenario(cap + 1);
	expect_refused(t, cap + 1, "1:1: error: file is too large (at most "
		       "8 MiB)");
	free(t);
	/* The in-memory entry point has the same cap. */
	t = padded_scenario(cap);
	s = scenario_load_buffer("mem.yaml", t, cap, err, sizeof err);
	assert_non_null(s);
	scenario_free(s);
	assert_null(scenario_load_buffer("mem.yaml", t, cap + 1, err,
					 sizeof err));
	assert_string_equal(err, "mem.yaml:1:1: error: file is too large (at "
			    "most 8 MiB)");
	free(t);
}

/* libyaml puts the end of "lockstep: [1" (no newline) on line 2. */
static void test_last_line_unterminated(void **state)
{
	(void)state;
	expect_refused("lockstep: [1", 12, "1:13: error: syntax error");
	expect_refused("lockstep: 1\nid: [x", 18, "2:7: error: syntax error");
	/* Lines end as libyaml ends them: CR alone is a line break too. */
	expect_refused("a: 1\r\rb: [1", 11, "3:6: error: syntax error");
}

/* A FIFO would block open() until a writer comes: never wait on it. */
static void test_not_regular(void **state)
{
	char dir[4096], path[4200], err[1024];
	const char *tmp = getenv("TMPDIR");

	(void)state;
	snprintf(dir, sizeof dir, "%s/unit-loader-XXXXXX", tmp ? tmp : "/tmp");
	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof path, "%s/fifo.yaml", dir);
	assert_int_equal(mkfifo(path, 0600), 0);
	alarm(10);
	assert_null(scenario_load(path, err, sizeof err));
	alarm(0);
	assert_int_equal(errno, 0);
	snprintf(dir + strlen(dir), 64, "/fifo.yaml:1:1: error: not a "
		 "regular file");
	assert_string_equal(err, dir);
	*strrchr(dir, '/') = '\0';
	assert_null(scenario_load(dir, err, sizeof err));
	assert_non_null(strstr(err, ":1:1: error: not a regular file"));
	unlink(path);
	rmdir(dir);
}

/* In a directory holding a directory named like a lesson and a FIFO: the
 * name is still the bundled lesson (in DIR), and the FIFO is a path, for
 * the loader to refuse without blocking. */
static void resolve_beside(const char *dir)
{
	char here[4096], cwd[4096], want[4200], err[1024], *p;
	const char *tmp = getenv("TMPDIR");

	assert_non_null(getcwd(cwd, sizeof cwd));
	snprintf(here, sizeof here, "%s/unit-loader-XXXXXX", tmp ? tmp : "/tmp");
	assert_non_null(mkdtemp(here));
	assert_int_equal(chdir(here), 0);
	assert_int_equal(mkdir("counter-locked", 0700), 0);
	assert_int_equal(mkfifo("pipe.yaml", 0600), 0);
	p = catalog_resolve("counter-locked", err, sizeof err);
	snprintf(want, sizeof want, "%s/counter-locked.yaml", dir);
	assert_non_null(p);
	assert_string_equal(p, want);
	free(p);
	p = catalog_resolve("pipe.yaml", err, sizeof err);
	assert_non_null(p);
	assert_string_equal(p, "pipe.yaml");
	free(p);
	alarm(10);
	assert_null(scenario_load("pipe.yaml", err, sizeof err));
	alarm(0);
	assert_string_equal(err, "pipe.yaml:1:1: error: not a regular file");
	unlink("pipe.yaml");
	rmdir("counter-locked");
	assert_int_equal(chdir(cwd), 0);
	rmdir(here);
}

/* A FIFO named x.yaml among the bundled scenarios must not hang --list or
 * the menu, and the real lessons are still listed. */
static void test_catalog_fifo(void **state)
{
	const char *tmp = getenv("TMPDIR"), *scen = getenv("SCENARIOS");
	char dir[4096], path[4200], err[1024];
	struct catalog_entry *list;
	int n;

	(void)state;
	if (scen == NULL)
		skip();
	snprintf(dir, sizeof dir, "%s/unit-loader-XXXXXX", tmp ? tmp : "/tmp");
	assert_non_null(mkdtemp(dir));
	snprintf(err, sizeof err, "%s/counter-locked.yaml", scen);
	snprintf(path, sizeof path, "%s/counter-locked.yaml", dir);
	assert_int_equal(symlink(err, path), 0);
	snprintf(path, sizeof path, "%s/fifo.yaml", dir);
	assert_int_equal(mkfifo(path, 0600), 0);
	setenv("LOCKSTEP_SCENARIOS", dir, 1);
	alarm(10);
	n = catalog_list(&list, err, sizeof err);
	alarm(0);
	assert_int_equal(n, 1);
	assert_string_equal(list[0].scenario->id, "counter-locked");
	assert_non_null(strstr(err, "fifo.yaml:1:1: error: not a regular "
			       "file"));
	catalog_free(list, n);
	resolve_beside(dir);
	unlink(path);
	snprintf(path, sizeof path, "%s/counter-locked.yaml", dir);
	unlink(path);
	rmdir(dir);
}

/* A bad name gets a message in the loader's form, as a bad file does. */
static void test_resolve_unknown(void **state)
{
	char err[1024];

	(void)state;
	assert_null(catalog_resolve("no-such-lesson", err, sizeof err));
	assert_non_null(strstr(err, "no-such-lesson:1:1: error: no scenario "
			       "named 'no-such-lesson'"));
	assert_null(catalog_resolve("two\nlines", err, sizeof err));
	assert_non_null(strstr(err, "two\\nlines:1:1: error: no scenario "
			       "named 'two\\nlines'"));
	assert_null(strchr(err, '\n'));
}

/* A file name is printed escaped: one line, nothing a terminal acts on. */
static void test_name_escaped(void **state)
{
	char dir[4096], path[4200], err[1024], want[4400];
	const char *tmp = getenv("TMPDIR");
	FILE *f;

	(void)state;
	snprintf(dir, sizeof dir, "%s/unit-loader-XXXXXX", tmp ? tmp : "/tmp");
	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof path, "%s/a\nb\x1b[2J\xc2\x9b.yaml", dir);
	f = fopen(path, "w");
	assert_non_null(f);
	fputs("lockstep: 1\nid: x\nbad: 1\n", f);
	fclose(f);
	assert_null(scenario_load(path, err, sizeof err));
	assert_null(strchr(err, '\n'));
	assert_null(strchr(err, '\x1b'));
	snprintf(want, sizeof want, "%s/a\\nb\\x1b[2J\\u009b.yaml:3:1: error: "
		 "unknown key 'bad'", dir);
	assert_int_equal(strncmp(err, want, strlen(want)), 0);
	unlink(path);
	rmdir(dir);
}

/* Out of descriptors is the environment's fault, not the file's. */
static void test_env_error(void **state)
{
	char path[4096], err[1024], want[4200];
	struct rlimit old, low;
	int fds[256], n = 0, e;
	struct scenario *s;

	(void)state;
	path_of(path, sizeof path, "good", "minimal.yaml");
	assert_int_equal(getrlimit(RLIMIT_NOFILE, &old), 0);
	low = old;
	low.rlim_cur = 256;
	assert_int_equal(setrlimit(RLIMIT_NOFILE, &low), 0);
	while (n < 256 && (fds[n] = dup(0)) >= 0)
		n++;
	s = scenario_load(path, err, sizeof err);
	e = errno;
	while (n > 0)
		close(fds[--n]);
	assert_int_equal(setrlimit(RLIMIT_NOFILE, &old), 0);
	assert_null(s);
	assert_int_equal(e, EMFILE);
	snprintf(want, sizeof want, "cannot open %s: %s", path,
		 strerror(EMFILE));
	assert_string_equal(err, want);
	/* And a file that is at fault says so with errno 0. */
	assert_null(scenario_load("/nonexistent/x.yaml", err, sizeof err));
	assert_int_equal(errno, 0);
}

/* ---- the bundled lessons ------------------------------------------------ */

static void test_bundled_scenarios(void **state)
{
	const char *dir = getenv("SCENARIOS");
	char path[4096], err[1024];
	struct scenario *s;
	struct dirent *e;
	DIR *d;

	(void)state;
	if (dir == NULL)
		skip();
	d = opendir(dir);
	if (d == NULL)
		skip();
	while ((e = readdir(d)) != NULL) {
		if (!is_yaml(e->d_name))
			continue;
		snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
		s = scenario_load(path, err, sizeof err);
		if (s == NULL) {
			closedir(d);
			fail_msg("bundled scenario does not load: %s", err);
		}
		/* The id should be the file name. */
		if (strncmp(e->d_name, s->id, strlen(s->id)) != 0 ||
		    strcmp(e->d_name + strlen(s->id), ".yaml") != 0) {
			closedir(d);
			fail_msg("%s: id '%s' is not the file name", path,
				 s->id);
		}
		scenario_free(s);
	}
	closedir(d);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_full),
		cmocka_unit_test(test_minimal_defaults),
		cmocka_unit_test(test_deadlock),
		cmocka_unit_test(test_whole_lesson),
		cmocka_unit_test(test_old_files_new_fields),
		cmocka_unit_test(test_helpers),
		cmocka_unit_test(test_bad_files),
		cmocka_unit_test(test_text_limit),
		cmocka_unit_test(test_empty_python),
		cmocka_unit_test(test_cannot_open),
		cmocka_unit_test(test_small_error_buffer),
		cmocka_unit_test(test_bounds),
		cmocka_unit_test(test_object_bounds),
		cmocka_unit_test(test_cyaml_log_captured),
		cmocka_unit_test(test_deep_nesting),
		cmocka_unit_test(test_many_anchors),
		cmocka_unit_test(test_many_nodes),
		cmocka_unit_test(test_size_cap),
		cmocka_unit_test(test_last_line_unterminated),
		cmocka_unit_test(test_not_regular),
		cmocka_unit_test(test_catalog_fifo),
		cmocka_unit_test(test_resolve_unknown),
		cmocka_unit_test(test_name_escaped),
		cmocka_unit_test(test_env_error),
		cmocka_unit_test(test_bundled_scenarios),
		cmocka_unit_test(test_workers_expressions),
		cmocka_unit_test(test_parent_and_start_cost),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
