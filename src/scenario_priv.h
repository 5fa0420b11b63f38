/*
 * scenario_priv.h: the loader's third pass (meaning and conversion),
 * shared by its three files and by nothing else.
 *
 *  - scenario.c:         the public functions of scenario.h, the order of
 *                        the passes, the top-level keys, the worker groups,
 *                        and the checks and words below that all three use;
 *  - scenario_objects.c: the objects, and a condition's lock;
 *  - scenario_ops.c:     a worker group's program: its ops and their jumps.
 *
 * Contract of every function here that takes a load_ctx: it returns 0 (or
 * an index >= 0) on success, or -1 with the error recorded in c, at the
 * token that is wrong (only the first error counts).  Raw structs and tree
 * nodes belong to the caller; what is converted goes into struct scenario,
 * which scenario_free frees even half built.
 */
#ifndef LOCKSTEP_SCENARIO_PRIV_H
#define LOCKSTEP_SCENARIO_PRIV_H

#include <stddef.h>
#include <yaml.h>

#include "scenario.h"
#include "scenario_doc.h"
#include "scenario_schema.h"

/* ---- checks and words (scenario.c) -------------------------------------- */

/* strdup that records "out of memory"; NULL for NULL. */
char *load_strdup(struct load_ctx *c, const char *s);

/* Object, group, entry key and label names: [A-Za-z_][A-Za-z0-9_-]*. */
int load_valid_name(const char *s);

/* N's 1-based line and column (1:1 when N is NULL). */
void load_node_pos(const yaml_node_t *n, int *line, int *col);

/* V within LO..HI, or -1 with a message at N that names KEY and the range. */
int load_check_range(struct load_ctx *c, yaml_node_t *n, const char *key,
		     long v, long lo, long hi);

/* "a" or "an" before the kind's name. */
const char *load_kind_article(enum object_kind k);

/* Append to a NUL-terminated buffer, truncating quietly. */
void load_append(char *out, size_t outlen, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* "count, lock, rooms" or "none": the objects, for "names no object". */
void load_objects_text(char *out, size_t outlen, const struct scenario *s);

/* ---- numbers that follow the worker count (scenario_expr.c) ------------ */

#define LOAD_EXPR_WORKERS 1u   /* `workers` may appear */
#define LOAD_EXPR_INITIAL 2u   /* `initial` may appear (it is *initial) */

/* TEXT, the value of KEY at node N: a plain integer (its range is the
 * caller's to check) or, when ALLOW says so, an expression.  0 and *out,
 * or -1 with the error at N. */
int load_expr(struct load_ctx *c, yaml_node_t *n, const char *key,
	      const char *text, unsigned allow,
	      const struct scenario_linear *initial, struct scenario_linear *out);

/* Set every value's initial and expect for WORKERS workers.  0, or -1 with
 * what is out of range in why and where it is written in *line, *col. */
int scenario_eval_workers(struct scenario *s, int workers, char *why,
			  size_t whylen, int *line, int *col);

/* ---- objects (scenario_objects.c) --------------------------------------- */

/* Object I of S from RO (node ON).  A condition's lock is left at -1. */
int load_object(struct load_ctx *c, struct scenario *s, int i,
		const struct raw_object *ro, yaml_node_t *on);

/* Object I, a condition: its lock, which may be defined after it. */
int load_condition_lock(struct load_ctx *c, struct scenario *s, int i,
			const struct raw_object *ro, yaml_node_t *on);

/* ---- figures (scenario_figures.c) --------------------------------------- */

/* `big`: the figures --big shows, once every object is known. */
int load_figures(struct load_ctx *c, struct scenario *s, const struct raw_scenario *raw);

/* ---- programs (scenario_ops.c) ------------------------------------------ */

/* Which element of value-like OBJECT a mapping AN means: 'index' for an
 * array or list, 'key' for a dict or namespace, neither for a plain value
 * (then 0).  0 and *elem, or -1 with the error at the key. */
int load_elem(struct load_ctx *c, const struct scenario *s, int object,
	      const char *key, const long *index, yaml_node_t *an, int *elem);

/* G's ops from RG's program (node PROG), once every object is known.
 * g->ops is allocated here, and is G's to free even on error. */
int load_program(struct load_ctx *c, struct scenario *s,
		 struct scenario_group *g, const struct raw_group *rg,
		 yaml_node_t *prog);

/* ---- goals (scenario_goals.c) ------------------------------------------- */

/* The goals of RAW, once objects and groups are known. */
int load_goals(struct load_ctx *c, struct scenario *s,
	       const struct raw_scenario *raw);

#endif
