/*
 * scenario_schema.h: the raw, typed form of a scenario file as libcyaml
 * loads it, before any semantic check.  Internal to the loader.
 *
 * The raw structs mirror the YAML one to one (optional keys are pointers,
 * so "absent" and "0" differ).  scenario.c, scenario_objects.c and
 * scenario_ops.c check them and convert them
 * into struct scenario.  The same cyaml schema also drives the exact-
 * position pre-check on the libyaml tree (scenario_doc.c), so the set of
 * keys, their types and their limits are written down once, here.
 */
#ifndef LOCKSTEP_SCENARIO_SCHEMA_H
#define LOCKSTEP_SCENARIO_SCHEMA_H

#include <cyaml/cyaml.h>

#include "scenario.h"

/* Byte limits of strings, checked by the schema (so before loading). */
#define RAW_MAX_ID      (SCENARIO_MAX_NAME - 1)

struct raw_text {
	char *en;
	char *zh;
};

/* One element of an array, dict, list or namespace. */
struct raw_entry {
	char *key;
	char *initial;          /* an integer, or an expression over workers */
	char *expect;
};

struct raw_object {
	char *name;
	enum object_kind type;
	char *initial;          /* an integer, or an expression over workers */
	char *expect;
	long *max_holders;
	char *lock;             /* condition: the name of its lock */
	long *capacity;         /* queue */
	long *parties;          /* barrier */
	long *size;             /* array, list */
	long *limit;            /* value: the most it should ever be */
	struct raw_entry *entries;
	unsigned entries_count;
};

/* Arguments of update and atomic-add; key/index address an element. */
struct raw_amount {
	char *value;
	char *key;
	long *index;
	long add;
};

/* Arguments of acquire-timeout. */
struct raw_timeout {
	char *object;
	double seconds;
	char *else_label;
};

/* Arguments of put (queue) and send (pipe); no value: the register. */
struct raw_put {
	char *object;
	long *value;
};

struct raw_range {
	long min;
	long max;
};

/* One list entry of a program: at most one op key is set (checked later). */
struct raw_op {
	char *acquire;
	char *release;
	struct raw_amount *update;
	struct raw_amount *atomic_add;
	struct raw_amount *read;     /* add unused */
	struct raw_amount *write;
	double *sleep;
	struct raw_range *sleep_random;
	char *print;
	struct raw_timeout *acquire_timeout;
	char *set;
	char *clear;
	char *wait;
	char *notify;
	char *notify_all;
	struct raw_put *put;
	char *get;
	struct raw_put *send;
	char *recv;
	long *set_register;
	char *goto_label;
	char *crash;
	long *line;
	char *label;
	long *if_register;
};

struct raw_group {
	char *name;
	long count;
	long *first;
	int *parent;            /* 1: the program's main process */
	struct raw_op *program;
	unsigned program_count;
};

struct raw_after {
	char *print;
	long *line;
};

struct raw_expect {
	enum scenario_outcome outcome;
};

/* A goal's condition: scenario_goals.c checks that it is one of the forms. */
struct raw_when {
	char *outcome;
	char *value;            /* ends-at / ends-not: the value */
	char *key;              /* ... and its entry (dict, namespace) */
	long *index;            /* ... or element (array, list) */
	char *ends_at;          /* an integer, or "expect" */
	char *ends_not;
	char *peak;             /* the object whose peak is watched */
	long *above;
	long *at_line;          /* a line of `python` */
	char *worker;           /* who is at it: a worker or a group name */
	char *while_held;       /* ... while another worker holds this */
	char *waits;            /* a worker waits for this object */
	char *broken;           /* this object's limit is broken */
};

struct raw_goal {
	char *id;
	struct raw_text text;
	struct raw_when when;
	long *within;
};

struct raw_scenario {
	long lockstep;
	char *id;
	struct raw_text title;
	struct raw_text *summary;
	char *section;
	long *order;
	struct raw_object *objects;
	unsigned objects_count;
	struct raw_group *workers;
	unsigned workers_count;
	char *python;
	struct raw_text *pages;
	unsigned pages_count;
	struct raw_expect *expect;
	long *process_start_ms;
	struct raw_after *after;
	unsigned after_count;
	char **big;             /* the figures --big shows ("inside.highest") */
	unsigned big_count;
	struct raw_goal *goals;
	unsigned goals_count;
};

/* The top-level schema (a pointer to struct raw_scenario). */
extern const cyaml_schema_value_t raw_scenario_schema;

/* A noun for messages about a mapping of this schema ("an object"). */
const char *raw_mapping_noun(const cyaml_schema_field_t *fields);

/* The names of the op keys, in schema order, NULL-terminated. */
extern const char *const raw_op_keys[];

/*
 * Load BUF with libcyaml.  0 and *out on success; -1 on failure, with
 * libcyaml's first error message (position stripped) in msg and the
 * position it gave in *line and *col (1-based, 0 when it gave none).  Prints
 * nothing: libcyaml's log is captured.
 */
int raw_load(const unsigned char *buf, size_t len, struct raw_scenario **out,
	     char *msg, size_t msglen, int *line, int *col);
void raw_free(struct raw_scenario *raw);

#endif
