/*
 * scenario_schema.c: the libcyaml schema of a scenario file and the typed
 * load through libcyaml.
 *
 * libcyaml 1.3.1 has no defaults, no validation callbacks and no unions, so
 * the schema only says which keys exist, their types, which are required
 * and the byte/entry limits; every op kind is an optional key of one op
 * mapping, and scenario_ops.c checks that exactly one is set.  libcyaml's
 * messages would go to stderr by default; here they are captured, because
 * the loader must print nothing itself.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "i18n.h"
#include "scenario_schema.h"

#define OPT (CYAML_FLAG_OPTIONAL)
#define OPT_PTR (CYAML_FLAG_OPTIONAL | CYAML_FLAG_POINTER)

/* ---- text: {en: ..., zh: ...} ------------------------------------------ */

/* A required text needs English; an optional one (summary) may be zh only. */
static const cyaml_schema_field_t text_fields[] = {
	CYAML_FIELD_STRING_PTR("en", CYAML_FLAG_POINTER, struct raw_text, en,
			       0, SCENARIO_MAX_TEXT),
	CYAML_FIELD_STRING_PTR("zh", OPT_PTR, struct raw_text, zh,
			       0, SCENARIO_MAX_TEXT),
	CYAML_FIELD_END
};

static const cyaml_schema_field_t opt_text_fields[] = {
	CYAML_FIELD_STRING_PTR("en", OPT_PTR, struct raw_text, en,
			       0, SCENARIO_MAX_TEXT),
	CYAML_FIELD_STRING_PTR("zh", OPT_PTR, struct raw_text, zh,
			       0, SCENARIO_MAX_TEXT),
	CYAML_FIELD_END
};

/* A figure of `big`: "started", "inside", "inside.highest". */
static const cyaml_schema_value_t figure_entry = {
	CYAML_VALUE_STRING(CYAML_FLAG_POINTER, char, 1, SCENARIO_MAX_NAME + 16),
};

static const cyaml_schema_value_t page_entry = {
	CYAML_VALUE_MAPPING(CYAML_FLAG_DEFAULT, struct raw_text, text_fields),
};

/* ---- objects ------------------------------------------------------------ */

/* Indexed by enum object_kind; STRICT so a number is not taken as a kind. */
static const cyaml_strval_t object_kind_strings[] = {
#define KIND_STRVAL(id, name) { name, id },
	KIND_LIST(KIND_STRVAL)
#undef KIND_STRVAL
};

/*
 * Object names in ops (and labels in jumps) get a generous byte limit: a
 * too-long name is not a format error but a name that matches nothing,
 * which scenario_objects.c and scenario_ops.c report with the list of what
 * does exist.
 */
#define REF_MAX 256

/* An `initial` or `expect`: an integer or a short expression over workers
 * (scenario_expr.c), parsed after the tree check. */
#define RAW_MAX_EXPR 128

/* An element of an array/dict/list/namespace: {key, initial, expect}. */
static const cyaml_schema_field_t entry_fields[] = {
	CYAML_FIELD_STRING_PTR("key", OPT_PTR, struct raw_entry, key,
			       1, SCENARIO_MAX_NAME - 1),
	CYAML_FIELD_STRING_PTR("initial", OPT_PTR, struct raw_entry, initial,
			       0, RAW_MAX_EXPR),
	CYAML_FIELD_STRING_PTR("expect", OPT_PTR, struct raw_entry, expect,
			       0, RAW_MAX_EXPR),
	CYAML_FIELD_END
};

static const cyaml_schema_value_t entry_entry = {
	CYAML_VALUE_MAPPING(CYAML_FLAG_DEFAULT, struct raw_entry,
			    entry_fields),
};

static const cyaml_schema_field_t object_fields[] = {
	CYAML_FIELD_STRING_PTR("name", CYAML_FLAG_POINTER, struct raw_object,
			       name, 1, SCENARIO_MAX_NAME - 1),
	CYAML_FIELD_ENUM("type", CYAML_FLAG_STRICT, struct raw_object, type,
			 object_kind_strings,
			 CYAML_ARRAY_LEN(object_kind_strings)),
	CYAML_FIELD_STRING_PTR("initial", OPT_PTR, struct raw_object, initial,
			       0, RAW_MAX_EXPR),
	CYAML_FIELD_STRING_PTR("expect", OPT_PTR, struct raw_object, expect,
			       0, RAW_MAX_EXPR),
	CYAML_FIELD_INT_PTR("max-holders", OPT_PTR, struct raw_object,
			    max_holders),
	CYAML_FIELD_STRING_PTR("lock", OPT_PTR, struct raw_object, lock,
			       0, REF_MAX),
	CYAML_FIELD_INT_PTR("capacity", OPT_PTR, struct raw_object, capacity),
	CYAML_FIELD_INT_PTR("parties", OPT_PTR, struct raw_object, parties),
	CYAML_FIELD_INT_PTR("size", OPT_PTR, struct raw_object, size),
	CYAML_FIELD_INT_PTR("limit", OPT_PTR, struct raw_object, limit),
	CYAML_FIELD_SEQUENCE("entries", OPT_PTR, struct raw_object, entries,
			     &entry_entry, 1, SCENARIO_MAX_ELEMS),
	CYAML_FIELD_END
};

static const cyaml_schema_value_t object_entry = {
	CYAML_VALUE_MAPPING(CYAML_FLAG_DEFAULT, struct raw_object,
			    object_fields),
};

/* ---- ops ---------------------------------------------------------------- */

static const cyaml_schema_field_t amount_fields[] = {
	CYAML_FIELD_STRING_PTR("value", CYAML_FLAG_POINTER, struct raw_amount,
			       value, 1, SCENARIO_MAX_NAME - 1),
	CYAML_FIELD_STRING_PTR("key", OPT_PTR, struct raw_amount, key,
			       0, REF_MAX),
	CYAML_FIELD_INT_PTR("index", OPT_PTR, struct raw_amount, index),
	CYAML_FIELD_INT("add", CYAML_FLAG_DEFAULT, struct raw_amount, add),
	CYAML_FIELD_END
};

/* read: an element, no amount. */
static const cyaml_schema_field_t elem_fields[] = {
	CYAML_FIELD_STRING_PTR("value", CYAML_FLAG_POINTER, struct raw_amount,
			       value, 1, SCENARIO_MAX_NAME - 1),
	CYAML_FIELD_STRING_PTR("key", OPT_PTR, struct raw_amount, key,
			       0, REF_MAX),
	CYAML_FIELD_INT_PTR("index", OPT_PTR, struct raw_amount, index),
	CYAML_FIELD_END
};

static const cyaml_schema_field_t timeout_fields[] = {
	CYAML_FIELD_STRING_PTR("object", CYAML_FLAG_POINTER,
			       struct raw_timeout, object, 0, REF_MAX),
	CYAML_FIELD_FLOAT("seconds", CYAML_FLAG_DEFAULT, struct raw_timeout,
			  seconds),
	CYAML_FIELD_STRING_PTR("else", CYAML_FLAG_POINTER, struct raw_timeout,
			       else_label, 0, REF_MAX),
	CYAML_FIELD_END
};

static const cyaml_schema_field_t put_fields[] = {
	CYAML_FIELD_STRING_PTR("queue", CYAML_FLAG_POINTER, struct raw_put,
			       object, 0, REF_MAX),
	CYAML_FIELD_INT_PTR("value", OPT_PTR, struct raw_put, value),
	CYAML_FIELD_END
};

static const cyaml_schema_field_t send_fields[] = {
	CYAML_FIELD_STRING_PTR("pipe", CYAML_FLAG_POINTER, struct raw_put,
			       object, 0, REF_MAX),
	CYAML_FIELD_INT_PTR("value", OPT_PTR, struct raw_put, value),
	CYAML_FIELD_END
};

static const cyaml_schema_field_t range_fields[] = {
	CYAML_FIELD_INT("min", CYAML_FLAG_DEFAULT, struct raw_range, min),
	CYAML_FIELD_INT("max", CYAML_FLAG_DEFAULT, struct raw_range, max),
	CYAML_FIELD_END
};

static const cyaml_schema_field_t op_fields[] = {
	CYAML_FIELD_STRING_PTR("acquire", OPT_PTR, struct raw_op, acquire,
			       0, REF_MAX),
	CYAML_FIELD_STRING_PTR("release", OPT_PTR, struct raw_op, release,
			       0, REF_MAX),
	CYAML_FIELD_MAPPING_PTR("update", OPT_PTR, struct raw_op, update,
				amount_fields),
	CYAML_FIELD_MAPPING_PTR("atomic-add", OPT_PTR, struct raw_op,
				atomic_add, amount_fields),
	CYAML_FIELD_MAPPING_PTR("read", OPT_PTR, struct raw_op, read,
				elem_fields),
	CYAML_FIELD_MAPPING_PTR("write", OPT_PTR, struct raw_op, write,
				amount_fields),
	CYAML_FIELD_FLOAT_PTR("sleep", OPT_PTR, struct raw_op, sleep),
	CYAML_FIELD_MAPPING_PTR("sleep-random", OPT_PTR, struct raw_op,
				sleep_random, range_fields),
	CYAML_FIELD_STRING_PTR("print", OPT_PTR, struct raw_op, print,
			       0, SCENARIO_MAX_PRINT),
	CYAML_FIELD_MAPPING_PTR("acquire-timeout", OPT_PTR, struct raw_op,
				acquire_timeout, timeout_fields),
	CYAML_FIELD_STRING_PTR("set", OPT_PTR, struct raw_op, set, 0, REF_MAX),
	CYAML_FIELD_STRING_PTR("clear", OPT_PTR, struct raw_op, clear,
			       0, REF_MAX),
	CYAML_FIELD_STRING_PTR("wait", OPT_PTR, struct raw_op, wait,
			       0, REF_MAX),
	CYAML_FIELD_STRING_PTR("notify", OPT_PTR, struct raw_op, notify,
			       0, REF_MAX),
	CYAML_FIELD_STRING_PTR("notify-all", OPT_PTR, struct raw_op,
			       notify_all, 0, REF_MAX),
	CYAML_FIELD_MAPPING_PTR("put", OPT_PTR, struct raw_op, put,
				put_fields),
	CYAML_FIELD_STRING_PTR("get", OPT_PTR, struct raw_op, get, 0, REF_MAX),
	CYAML_FIELD_MAPPING_PTR("send", OPT_PTR, struct raw_op, send,
				send_fields),
	CYAML_FIELD_STRING_PTR("recv", OPT_PTR, struct raw_op, recv,
			       0, REF_MAX),
	CYAML_FIELD_INT_PTR("set-register", OPT_PTR, struct raw_op,
			    set_register),
	CYAML_FIELD_STRING_PTR("goto", OPT_PTR, struct raw_op, goto_label,
			       0, REF_MAX),
	CYAML_FIELD_STRING_PTR("crash", OPT_PTR, struct raw_op, crash,
			       0, SCENARIO_MAX_PRINT),
	CYAML_FIELD_INT_PTR("line", OPT_PTR, struct raw_op, line),
	CYAML_FIELD_STRING_PTR("label", OPT_PTR, struct raw_op, label,
			       1, SCENARIO_MAX_NAME - 1),
	CYAML_FIELD_INT_PTR("if-register", OPT_PTR, struct raw_op,
			    if_register),
	CYAML_FIELD_END
};

/* The keys of op_fields that say what the op does (all but line, label
 * and if-register), in schema order. */
const char *const raw_op_keys[] = {
	"acquire", "release", "update", "atomic-add", "read", "write", "sleep",
	"sleep-random",
	"print", "acquire-timeout", "set", "clear", "wait", "notify",
	"notify-all", "put", "get", "send", "recv", "set-register", "goto",
	"crash", NULL
};

static const cyaml_schema_value_t op_entry = {
	CYAML_VALUE_MAPPING(CYAML_FLAG_DEFAULT, struct raw_op, op_fields),
};

/* ---- worker groups ------------------------------------------------------ */

static const cyaml_strval_t bool_strings[] = {
	{ "false", 0 },
	{ "true", 1 },
};

static const cyaml_schema_field_t group_fields[] = {
	CYAML_FIELD_STRING_PTR("name", CYAML_FLAG_POINTER, struct raw_group,
			       name, 1, SCENARIO_MAX_NAME - 1),
	CYAML_FIELD_INT("count", CYAML_FLAG_DEFAULT, struct raw_group, count),
	CYAML_FIELD_INT_PTR("first", OPT_PTR, struct raw_group, first),
	CYAML_FIELD_ENUM_PTR("parent", OPT_PTR | CYAML_FLAG_STRICT,
			     struct raw_group, parent, bool_strings,
			     CYAML_ARRAY_LEN(bool_strings)),
	CYAML_FIELD_SEQUENCE("program", CYAML_FLAG_POINTER, struct raw_group,
			     program, &op_entry, 1, SCENARIO_MAX_OPS),
	CYAML_FIELD_END
};

static const cyaml_schema_value_t group_entry = {
	CYAML_VALUE_MAPPING(CYAML_FLAG_DEFAULT, struct raw_group, group_fields),
};

/* ---- top level ---------------------------------------------------------- */

static const cyaml_strval_t outcome_strings[] = {
	{ "finished", OUTCOME_FINISHED },
	{ "deadlock", OUTCOME_DEADLOCK },
};

static const cyaml_schema_field_t expect_fields[] = {
	CYAML_FIELD_ENUM("outcome", CYAML_FLAG_STRICT, struct raw_expect,
			 outcome, outcome_strings,
			 CYAML_ARRAY_LEN(outcome_strings)),
	CYAML_FIELD_END
};

static const cyaml_schema_field_t after_fields[] = {
	CYAML_FIELD_STRING_PTR("print", CYAML_FLAG_POINTER, struct raw_after,
			       print, 0, SCENARIO_MAX_PRINT),
	CYAML_FIELD_INT_PTR("line", OPT_PTR, struct raw_after, line),
	CYAML_FIELD_END
};

static const cyaml_schema_value_t after_entry = {
	CYAML_VALUE_MAPPING(CYAML_FLAG_DEFAULT, struct raw_after, after_fields),
};

/* ---- goals -------------------------------------------------------------- */

static const cyaml_schema_field_t when_fields[] = {
	CYAML_FIELD_STRING_PTR("outcome", OPT_PTR, struct raw_when, outcome, 1, REF_MAX),
	CYAML_FIELD_STRING_PTR("value", OPT_PTR, struct raw_when, value, 1, REF_MAX),
	CYAML_FIELD_STRING_PTR("key", OPT_PTR, struct raw_when, key, 1, REF_MAX),
	CYAML_FIELD_INT_PTR("index", OPT_PTR, struct raw_when, index),
	CYAML_FIELD_STRING_PTR("ends-at", OPT_PTR, struct raw_when, ends_at, 1, REF_MAX),
	CYAML_FIELD_STRING_PTR("ends-not", OPT_PTR, struct raw_when, ends_not, 1, REF_MAX),
	CYAML_FIELD_STRING_PTR("peak", OPT_PTR, struct raw_when, peak, 1, REF_MAX),
	CYAML_FIELD_INT_PTR("above", OPT_PTR, struct raw_when, above),
	CYAML_FIELD_INT_PTR("at-line", OPT_PTR, struct raw_when, at_line),
	CYAML_FIELD_STRING_PTR("worker", OPT_PTR, struct raw_when, worker, 1, REF_MAX),
	CYAML_FIELD_STRING_PTR("while-held", OPT_PTR, struct raw_when, while_held, 1, REF_MAX),
	CYAML_FIELD_STRING_PTR("waits", OPT_PTR, struct raw_when, waits, 1, REF_MAX),
	CYAML_FIELD_STRING_PTR("broken", OPT_PTR, struct raw_when, broken, 1, REF_MAX),
	CYAML_FIELD_END
};

static const cyaml_schema_field_t goal_fields[] = {
	CYAML_FIELD_STRING_PTR("id", CYAML_FLAG_POINTER, struct raw_goal, id, 1, RAW_MAX_ID),
	CYAML_FIELD_MAPPING("text", CYAML_FLAG_DEFAULT, struct raw_goal, text, text_fields),
	CYAML_FIELD_MAPPING("when", CYAML_FLAG_DEFAULT, struct raw_goal, when, when_fields),
	CYAML_FIELD_INT_PTR("within", OPT_PTR, struct raw_goal, within),
	CYAML_FIELD_END
};

static const cyaml_schema_value_t goal_entry = {
	CYAML_VALUE_MAPPING(CYAML_FLAG_DEFAULT, struct raw_goal, goal_fields),
};

static const cyaml_schema_field_t scenario_fields[] = {
	CYAML_FIELD_INT("lockstep", CYAML_FLAG_DEFAULT, struct raw_scenario,
			lockstep),
	CYAML_FIELD_STRING_PTR("id", CYAML_FLAG_POINTER, struct raw_scenario,
			       id, 1, RAW_MAX_ID),
	CYAML_FIELD_MAPPING("title", CYAML_FLAG_DEFAULT, struct raw_scenario,
			    title, text_fields),
	CYAML_FIELD_MAPPING_PTR("summary", OPT_PTR, struct raw_scenario,
				summary, opt_text_fields),
	CYAML_FIELD_STRING_PTR("section", OPT_PTR, struct raw_scenario,
			       section, 1, RAW_MAX_ID),
	CYAML_FIELD_INT_PTR("order", OPT_PTR, struct raw_scenario, order),
	/* Both may be left out when `python` is given: the compiler makes
	 * them (scenario.c checks that one or the other is there). */
	CYAML_FIELD_SEQUENCE("objects", OPT_PTR,
			     struct raw_scenario, objects, &object_entry,
			     0, SCENARIO_MAX_OBJECTS),
	CYAML_FIELD_SEQUENCE("workers", OPT_PTR,
			     struct raw_scenario, workers, &group_entry,
			     1, SCENARIO_MAX_GROUPS),
	CYAML_FIELD_STRING_PTR("python", OPT_PTR, struct raw_scenario, python,
			       0, SCENARIO_MAX_TEXT),
	CYAML_FIELD_SEQUENCE("pages", OPT_PTR, struct raw_scenario, pages,
			     &page_entry, 0, SCENARIO_MAX_PAGES),
	CYAML_FIELD_MAPPING_PTR("expect", OPT_PTR, struct raw_scenario,
				expect, expect_fields),
	CYAML_FIELD_INT_PTR("process-start-ms", OPT_PTR, struct raw_scenario,
			    process_start_ms),
	CYAML_FIELD_SEQUENCE("after", OPT_PTR, struct raw_scenario, after,
			     &after_entry, 0, SCENARIO_MAX_AFTER),
	CYAML_FIELD_SEQUENCE("big", OPT_PTR, struct raw_scenario, big,
			     &figure_entry, 1, SCENARIO_MAX_FIGURES),
	CYAML_FIELD_SEQUENCE("goals", OPT_PTR, struct raw_scenario, goals,
			     &goal_entry, 0, SCENARIO_MAX_GOALS),
	CYAML_FIELD_END
};

const cyaml_schema_value_t raw_scenario_schema = {
	CYAML_VALUE_MAPPING(CYAML_FLAG_POINTER, struct raw_scenario,
			    scenario_fields),
};

const char *raw_mapping_noun(const cyaml_schema_field_t *fields)
{
	if (fields == scenario_fields)
		return N_("the scenario");
	if (fields == object_fields)
		return N_("an object");
	if (fields == group_fields)
		return N_("a worker group");
	if (fields == op_fields)
		return N_("an op");
	if (fields == amount_fields || fields == elem_fields)
		return N_("the op's arguments");
	if (fields == after_fields)
		return "after";
	if (fields == range_fields)
		return "sleep-random";
	if (fields == entry_fields)
		return N_("an entry");
	if (fields == timeout_fields)
		return "acquire-timeout";
	if (fields == put_fields)
		return "put";
	if (fields == send_fields)
		return "send";
	if (fields == expect_fields)
		return "expect";
	if (fields == goal_fields)
		return N_("a goal");
	if (fields == when_fields)
		return N_("a goal's 'when'");
	return N_("a text");
}

/* ---- loading with a captured log ---------------------------------------- */

/*
 * libcyaml logs an error as several calls: "Load: <what>\n", then a
 * backtrace whose first "(line: N, column: M)" is the innermost place.
 */
struct log_capture {
	char msg[512];
	int line, col;
};

static void capture_log(cyaml_log_t level, void *ctx, const char *fmt,
			va_list args)
	__attribute__((format(printf, 3, 0)));

static void capture_log(cyaml_log_t level, void *ctx, const char *fmt,
			va_list args)
{
	struct log_capture *cap = ctx;
	char text[512];
	const char *at;
	size_t n;

	if (level < CYAML_LOG_ERROR)
		return;
	vsnprintf(text, sizeof text, fmt, args);
	n = strcspn(text, "\n");
	text[n] = '\0';
	/* libcyaml may quote the file's text: no control byte in a message. */
	for (n = 0; text[n]; n++)
		if ((unsigned char)text[n] < 0x20 || text[n] == 0x7f)
			text[n] = '?';
	if (cap->msg[0] == '\0') {
		at = strncmp(text, "Load: ", 6) == 0 ? text + 6 : text;
		snprintf(cap->msg, sizeof cap->msg, "%s", at);
		return;
	}
	at = strstr(text, "(line: ");
	if (cap->line == 0 && at != NULL &&
	    sscanf(at, "(line: %d, column: %d)", &cap->line, &cap->col) != 2)
		cap->line = cap->col = 0;
}

static const cyaml_config_t base_config = {
	.log_fn = capture_log,
	.mem_fn = cyaml_mem,
	.log_level = CYAML_LOG_ERROR,
	.flags = CYAML_CFG_NO_ALIAS,
};

int raw_load(const unsigned char *buf, size_t len, struct raw_scenario **out,
	     char *msg, size_t msglen, int *line, int *col)
{
	struct log_capture cap = { .msg = "" };
	cyaml_config_t config = base_config;
	cyaml_err_t rc;

	config.log_ctx = &cap;
	*out = NULL;
	rc = cyaml_load_data(buf, len, &config, &raw_scenario_schema,
			     (cyaml_data_t **)out, NULL);
	if (rc == CYAML_OK)
		return 0;
	snprintf(msg, msglen, "%s", cap.msg[0] ? cap.msg : cyaml_strerror(rc));
	*line = cap.line;
	*col = cap.col;
	*out = NULL;
	return -1;
}

void raw_free(struct raw_scenario *raw)
{
	cyaml_config_t config = base_config;
	struct log_capture cap = { .msg = "" };

	if (raw == NULL)
		return;
	config.log_ctx = &cap;
	cyaml_free(&config, &raw_scenario_schema, raw, 0);
}
