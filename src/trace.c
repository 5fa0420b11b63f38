/*
 * trace.c: events and summaries in words and in JSON (see trace.h).
 */
#include "config.h"

#include <errno.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

#include "deadlock.h"
#include "i18n.h"
#include "signals.h"
#include "trace.h"
#include "worker.h"
#include "catalog.h"

static const char *obj_name(const struct engine_view *v, int obj)
{
	return obj >= 0 && obj < v->scenario->n_objects ? v->scenario->objects[obj].name : "-";
}

/* count, arr[2], d['count'], ns.x: an element the way Python writes it. */
static const char *elem_name(const struct engine_view *v, int obj, int elem, char *buf, size_t len)
{
	if (obj < 0 || obj >= v->scenario->n_objects)
		return "-";
	const struct scenario_object *o = &v->scenario->objects[obj];
	kind_elem_name(o->kind, o->name, elem,
	               elem >= 0 && elem < o->n_elems ? o->elems[elem].key : NULL, buf, len);
	return buf;
}

static const char *worker_label(const struct engine_view *v, int w)
{
	return w >= 0 && w < v->n_workers ? v->workers[w].name : "-";
}

static const struct scenario_op *event_op(const struct engine_view *v, const struct event *ev)
{
	if (ev->worker < 0 || ev->worker >= v->n_workers)
		return NULL;
	const struct scenario_group *g = &v->scenario->groups[v->workers[ev->worker].group];
	return ev->pc >= 0 && ev->pc < g->n_ops ? &g->ops[ev->pc] : NULL;
}

void trace_op(const struct engine_view *v, const struct event *ev, char *buf, size_t len)
{
	const struct scenario_op *op = event_op(v, ev);
	buf[0] = '\0';
	if (ev->kind == EV_START || ev->kind == EV_EXIT || ev->kind == EV_KILLED ||
	    ev->kind == EV_DEADLOCK || ev->kind == EV_WAKE || !op)
		return;
	switch (op->kind) {
	case OP_ACQUIRE:
	case OP_RELEASE:
		snprintf(buf, len, "%s %s", op_kind_name(op->kind), obj_name(v, op->object));
		break;
	case OP_LOAD:
	case OP_STORE:
		snprintf(buf, len, "update %s (%s)", obj_name(v, op->object),
		         op->kind == OP_LOAD ? "read" : "write");
		break;
	case OP_ATOMIC_ADD:
		snprintf(buf, len, "atomic-add %s", obj_name(v, op->object));
		break;
	default:
		snprintf(buf, len, "%s", op_kind_name(op->kind));
		break;
	}
}

static void taken_text(const struct engine_view *v, int obj, long holders, char *buf, size_t len)
{
	const struct scenario_object *o = &v->scenario->objects[obj];
	/* Every counting kind says it one way: "2 of 4 taken". */
	if (kind_is(o->kind, KF_COUNTING) && (kind_info(o->kind)->keys & KK_INITIAL))
		snprintf(buf, len, "%ld of %ld taken", holders, o->initial);
	else
		snprintf(buf, len, "%s", holders ? "held" : "free");
}

/* Where a jump lands, in the Python's words (a loop goes back to a line,
 * a break goes on at one), never by an op number or label: those are the
 * scenario file's, not the lesson's. */
static void jump_text(const struct engine_view *v, const struct event *ev, char *buf, size_t len)
{
	const struct scenario_group *g = ev->worker >= 0 && ev->worker < v->n_workers
	        ? &v->scenario->groups[v->workers[ev->worker].group] : NULL;
	long to = ev->value;
	int line = g && to >= 0 && to < g->n_ops ? g->ops[to].py_line : 0;
	int back = to <= ev->pc;
	if (line)
		snprintf(buf, len, back ? "goes back to line %d" : "goes on at line %d", line);
	else if (g && to >= g->n_ops)
		snprintf(buf, len, "goes to the end of its program");
	else
		snprintf(buf, len, back ? "goes back" : "skips ahead");
}

/* Why a worker waits, in the words of what it waits for. */
static void describe_wait(const struct engine_view *v, const struct event *ev,
                          const struct scenario_op *op, const char *on, char *buf, size_t len)
{
	const struct kind_info *ki = kind_info(ev->object >= 0 ? (int)v->scenario->objects[ev->object].kind : -1);
	long n = ev->value;
	if (ki->show == KS_BARRIER)
		snprintf(buf, len, "waits at %s (%ld of %d here)", on, n,
		         v->scenario->objects[ev->object].capacity);
	else if (ki->wait == KW_ITEMS)   /* a queue, a pipe: full or empty */
		snprintf(buf, len, op && (op->kind == OP_PUT || op->kind == OP_SEND)
		                   ? "%s is full: waits (%ld waiting)"
		                   : "%s is empty: waits (%ld waiting)", on, n);
	else if (ki->waits_held && ev->extra >= 0 && ev->extra < v->n_workers)
		kind_say(buf, len, ki->waits_held, on, v->workers[ev->extra].name, n);
	else if (ki->waits)
		kind_say(buf, len, ki->waits, on, n);
	else
		snprintf(buf, len, "waits for %s", on);
}

void trace_describe(const struct engine_view *v, const struct event *ev, char *buf, size_t len)
{
	const struct scenario_op *op = event_op(v, ev);
	char elem[96];
	const char *on = ev->kind == EV_LOAD || ev->kind == EV_STORE || ev->kind == EV_ADD ||
	                 ev->kind == EV_REQUEST
	                 ? elem_name(v, ev->object, ev->elem, elem, sizeof elem)
	                 : obj_name(v, ev->object);
	char extra[64];
	switch (ev->kind) {
	case EV_START:
		snprintf(buf, len, "started (pid %ld)", ev->value);
		break;
	case EV_WAIT:
		describe_wait(v, ev, op, on, buf, len);
		break;
	case EV_ACQUIRED:
		taken_text(v, ev->object, ev->value, extra, sizeof extra);
		snprintf(buf, len, "acquired %s (%s)", on, extra);
		break;
	case EV_RECOVERED:
		snprintf(buf, len, "recovered %s from its dead holder (EOWNERDEAD: made consistent)", on);
		break;
	case EV_RELEASED:
		taken_text(v, ev->object, ev->value, extra, sizeof extra);
		snprintf(buf, len, "released %s (%s)", on, extra);
		break;
	case EV_LOAD:
		snprintf(buf, len, "read %s = %ld into its register", on, ev->value);
		break;
	case EV_STORE: {
		/* extra is what the worker found just before writing: if it is
		 * not what it read, others wrote meanwhile and this write wipes
		 * their updates out. */
		long amount = op ? op->amount : 0;
		long reg = ev->value - amount;
		if (ev->extra != reg)
			snprintf(buf, len, "wrote %s = %ld (register %ld %+ld) over %ld: "
			         "the updates since its read are lost", on, ev->value, reg, amount, ev->extra);
		else
			snprintf(buf, len, "wrote %s = %ld (register %ld %+ld)", on, ev->value, reg, amount);
		break;
	}
	case EV_ADD:
		snprintf(buf, len, "added %+ld atomically: %s = %ld", op ? op->amount : 0, on, ev->value);
		break;
	case EV_SLEEP:
		snprintf(buf, len, "sleeps %.3g s", (double)ev->value / 1000.0);
		break;
	case EV_WAKE:
		if (ev->extra == 2)
			snprintf(buf, len, "has started the other processes and goes on");
		else
			snprintf(buf, len, "wakes up");
		break;
	case EV_PRINT:
		snprintf(buf, len, "prints \"%s\"", ev->text ? ev->text : "");
		break;
	case EV_ERROR:
		snprintf(buf, len, "%s: %s", ev->extra ? "crashes" : "error", ev->text ? ev->text : "?");
		break;
	case EV_EXIT:
		snprintf(buf, len, "finished its program");
		break;
	case EV_KILLED:
		if (ev->extra)
			snprintf(buf, len, "died: killed by signal %ld%s", ev->value,
			         ev->value == 9 ? " (SIGKILL)" : "");
		else if (ev->value == WORKER_EXIT_OP_FAILED || !engine_exit_reason((int)ev->value))
			/* Its error was said just before: not a death. */
			snprintf(buf, len, "stopped with an error (exit status %ld)", ev->value);
		else
			snprintf(buf, len, "died: exited with status %ld (%s)", ev->value,
			         engine_exit_reason((int)ev->value));
		break;
	case EV_DEADLOCK:
		snprintf(buf, len, "DEADLOCK: %s", ev->text ? ev->text : "");
		break;
	case EV_TIMEOUT:
		jump_text(v, ev, extra, sizeof extra);
		snprintf(buf, len, "gave up waiting for %s (timeout): %s", on, extra);
		break;
	case EV_SET:
		if (ev->value == 1)
			snprintf(buf, len, "set %s: the flag is up (1 waiter goes on)", on);
		else
			snprintf(buf, len, "set %s: the flag is up (%ld waiters go on)", on, ev->value);
		break;
	case EV_CLEAR:
		snprintf(buf, len, "cleared %s: the flag is down", on);
		break;
	case EV_PASSED:
		if (ev->object >= 0 && kind_info(v->scenario->objects[ev->object].kind)->show == KS_BARRIER)
			snprintf(buf, len, ev->extra ? "arrived last at %s: it trips, all %ld go on"
			                             : "passes %s", on, ev->value);
		else if (ev->object >= 0 &&
		         kind_info(v->scenario->objects[ev->object].kind)->show == KS_CONDITION)
			snprintf(buf, len, "was notified on %s and holds its lock again", on);
		else
			snprintf(buf, len, "%s is set: goes on", on);
		break;
	case EV_NOTIFY:
		if (v->schedule == SCHED_OS)
			snprintf(buf, len, "notified %s (%s)", on, ev->value < 0 ? "all" : "one");
		else
			snprintf(buf, len, "notified %s: %ld waiter%s woken", on, ev->value,
			         ev->value == 1 ? "" : "s");
		break;
	case EV_PUT:
		if (ev->object >= 0 && kind_info(v->scenario->objects[ev->object].kind)->show == KS_PIPE)
			snprintf(buf, len, "sent %ld into %s", ev->value, on);
		else
			snprintf(buf, len, "put %ld into %s (%ld in it)", ev->value, on, ev->extra);
		break;
	case EV_GET:
		if (ev->object >= 0 && kind_info(v->scenario->objects[ev->object].kind)->show == KS_PIPE)
			snprintf(buf, len, "received %ld from %s into its register", ev->value, on);
		else
			snprintf(buf, len, "got %ld from %s into its register (%ld left)", ev->value,
			         on, ev->extra);
		break;
	case EV_REGISTER:
		snprintf(buf, len, "register = %ld", ev->value);
		break;
	case EV_JUMP:
		if (ev->value >= 0)
			jump_text(v, ev, buf, len);
		else
			snprintf(buf, len, "goes on");
		break;
	case EV_REQUEST: {
		static const char *const what[] = { "get", "set", "add" };
		long k = ev->extra >= 0 && ev->extra < 3 ? ev->extra : 0;
		snprintf(buf, len, "manager serves %s: %s %s = %ld", worker_label(v, ev->worker),
		         what[k], on, ev->value);
		break;
	}
	default:
		snprintf(buf, len, "%s", event_kind_name(ev->kind));
		break;
	}
}

void trace_print_text(FILE *f, const struct engine_view *v, const struct event *ev)
{
	char op[96], what[512];
	trace_op(v, ev, op, sizeof op);
	trace_describe(v, ev, what, sizeof what);
	fprintf(f, "%9.3fs %6ld  %-12s %-20s %s\n", (double)ev->t_ms / 1000.0, ev->step,
	        ev->kind == EV_REQUEST ? "manager" : worker_label(v, ev->worker), op, what);
}

void trace_json_string(FILE *f, const char *s)
{
	fputc('"', f);
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		switch (*p) {
		case '"': fputs("\\\"", f); break;
		case '\\': fputs("\\\\", f); break;
		case '\n': fputs("\\n", f); break;
		case '\t': fputs("\\t", f); break;
		case '\r': fputs("\\r", f); break;
		default:
			if (*p < 0x20)
				fprintf(f, "\\u%04x", *p);
			else
				fputc(*p, f);
		}
	}
	fputc('"', f);
}

void trace_print_json(FILE *f, const struct engine_view *v, const struct event *ev)
{
	const struct scenario_op *op = event_op(v, ev);
	char what[512];
	trace_describe(v, ev, what, sizeof what);
	fprintf(f, "{\"type\":\"event\",\"step\":%ld,\"t\":%.3f,\"event\":\"%s\",\"worker\":",
	        ev->step, (double)ev->t_ms / 1000.0, event_kind_name(ev->kind));
	trace_json_string(f, worker_label(v, ev->worker));
	if (ev->worker >= 0)
		fprintf(f, ",\"pid\":%ld,\"pc\":%d", (long)v->workers[ev->worker].pid, ev->pc);
	if (op && ev->kind != EV_START && ev->kind != EV_EXIT && ev->kind != EV_KILLED) {
		fprintf(f, ",\"op\":\"%s\"", op_kind_name(op->kind));
		if (op->py_line)
			fprintf(f, ",\"line\":%d", op->py_line);
	}
	if (ev->object >= 0) {
		fputs(",\"object\":", f);
		trace_json_string(f, obj_name(v, ev->object));
	}
	fprintf(f, ",\"value\":%ld", ev->value);
	if (ev->kind == EV_STORE)
		fprintf(f, ",\"found\":%ld", ev->extra);
	if (ev->text) {
		fputs(",\"text\":", f);
		trace_json_string(f, ev->text);
	}
	fputs(",\"says\":", f);
	trace_json_string(f, what);
	fputs("}\n", f);
}

/* ---- summary ---------------------------------------------------------------- */

static int count_state(const struct engine_view *v, enum worker_state st)
{
	int n = 0;
	for (int w = 0; w < v->n_workers; w++)
		n += v->workers[w].state == st;
	return n;
}

int trace_error_exit(const struct worker_view *w)
{
	return w->state == WS_KILLED && WIFEXITED(w->exit_status) &&
	       WEXITSTATUS(w->exit_status) != 0;
}

const char *trace_worker_state(const struct worker_view *w)
{
	return trace_error_exit(w) ? "stopped with an error" : worker_state_name(w->state);
}

static int count_error_exits(const struct engine_view *v)
{
	int n = 0;
	for (int w = 0; w < v->n_workers; w++)
		n += trace_error_exit(&v->workers[w]);
	return n;
}

static void summary_values(FILE *f, const struct engine_view *v, int i)
{
	const struct scenario_object *o = &v->scenario->objects[i];
	const struct object_view *ov = &v->objects[i];
	for (int k = 0; k < o->n_elems; k++) {
		char name[96];
		const struct scenario_elem *el = &o->elems[k];
		long lost = ov->elem_lost[k];
		fprintf(f, "  %-10s = %ld", elem_name(v, i, k, name, sizeof name), ov->elems[k]);
		if (el->has_expect) {
			fprintf(f, "   (expected %ld", el->expect);
			if (lost)
				fprintf(f, ": %ld update%s lost", lost, lost == 1 ? "" : "s");
			fputs(")", f);
		} else if (lost) {
			fprintf(f, "   (%ld update%s lost)", lost, lost == 1 ? "" : "s");
		}
		if (kind_is_plain_value(o->kind) && ov->peak > o->initial)
			fprintf(f, ", highest %d", ov->peak);
		if (kind_is(o->kind, KF_MANAGED) && k == 0)
			fputs(", held by the manager process", f);
		fputc('\n', f);
	}
}

static void summary_object(FILE *f, const struct engine_view *v, int i)
{
	const struct scenario *s = v->scenario;
	const struct scenario_object *o = &s->objects[i];
	const struct object_view *ov = &v->objects[i];
	if (kind_is(o->kind, KF_VALUELIKE)) {
		summary_values(f, v, i);
		return;
	}
	fprintf(f, "  %-10s %s", o->name, object_kind_name(o->kind));
	switch (kind_info(o->kind)->show) {
	case KS_EVENT:
		fprintf(f, ", flag %s", ov->flag ? "up (set)" : "down (clear)");
		break;
	case KS_CONDITION:
		fprintf(f, " on %s", s->objects[o->lock].name);
		break;
	case KS_BARRIER:
		fprintf(f, " of %d, tripped %ld time%s", o->capacity, ov->rounds,
		        ov->rounds == 1 ? "" : "s");
		break;
	case KS_QUEUE:
		fprintf(f, " of %d, %ld put in all, at most %d in it at once, %d left",
		        o->capacity, ov->moved, ov->peak, ov->n_items);
		break;
	case KS_PIPE:
		fprintf(f, ", %ld sent, %d not received", ov->moved, ov->n_items);
		break;
	default: {
		fprintf(f, ", at most %d holder%s at once", ov->peak, ov->peak == 1 ? "" : "s");
		long limit = s->expect_max_holders[i];
		if (limit)
			fprintf(f, " (limit %ld: %s)", limit, ov->peak <= limit ? "kept" : "BROKEN");
		/* A semaphore's counts taken by processes that died; a
		 * lock's taker or owner that died (kinds.c's words). */
		if (ov->count_lost && (kind_info(o->kind)->keys & KK_INITIAL))
			fprintf(f, ", %ld count%s taken by processes that died", ov->count_lost,
			        ov->count_lost == 1 ? "" : "s");
		if (ov->owner_died && kind_info(o->kind)->summary_died)
			fputs(kind_info(o->kind)->summary_died, f);
		break;
	}
	}
	if (ov->queue_len)
		fprintf(f, ", %d still waiting", ov->queue_len);
	if (ov->errors)
		fprintf(f, ", %ld error%s caught", ov->errors, ov->errors == 1 ? "" : "s");
	fputc('\n', f);
}

void trace_summary_text(FILE *f, const struct engine_view *v)
{
	const struct scenario *s = v->scenario;
	fprintf(f, "\n== %s: %s ==\n", s->id, outcome_name(v->outcome));
	fprintf(f, "  outcome    %s after %ld %s, %.3f s of %s time\n", outcome_name(v->outcome),
	        v->steps, v->schedule == SCHED_OS ? "ops" : "steps",
	        (double)v->clock_ms / 1000.0, v->schedule == SCHED_OS ? "real" : "virtual");
	fprintf(f, "  schedule   %s", schedule_name(v->schedule));
	if (v->schedule != SCHED_OS)
		fprintf(f, ", seed %llu", (unsigned long long)v->seed);
	if (v->schedule == SCHED_RANDOM && v->switch_p < 1) {
		char p[16];
		trace_switch_text(v->switch_p, p, sizeof p);
		fprintf(f, _(", switch %s"), p);
	}
	int errors = count_error_exits(v);
	if (errors)
		fprintf(f, "\n  processes  %d started, %d finished, %d stopped with an error, %d killed\n",
		        v->started, count_state(v, WS_DONE), errors,
		        count_state(v, WS_KILLED) - errors);
	else
		fprintf(f, "\n  processes  %d started, %d finished, %d died\n", v->started,
		        count_state(v, WS_DONE), count_state(v, WS_KILLED));
	if (v->manager_pid)
		fprintf(f, "  manager    a server process of its own (pid %ld): %ld requests served\n",
		        (long)v->manager_pid, v->manager_requests);
	for (int i = 0; i < s->n_objects; i++)
		summary_object(f, v, i);
	if (v->cycle_len > 0) {
		char text[2048];
		deadlock_describe(s, v->workers, v->n_workers, v->cycle, v->cycle_len,
		                  text, sizeof text);
		fprintf(f, "  deadlock  %s\n", text);
	}
	char replay[PATH_MAX + 160];
	trace_replay_command(v, replay, sizeof replay);
	if (replay[0])
		fprintf(f, "  replay     %s\n", replay);
}

/* 1 when `lockstep ID` loads the file PATH itself and PATH is a bundled
 * scenario: a lesson found through LOCKSTEP_PATH or a teacher's folder is
 * replayed by its path, which resolves in any shell. */
static int replay_by_id(const char *id, const char *path)
{
	char err[256], a[PATH_MAX], b[PATH_MAX], dir[PATH_MAX];
	char *found = catalog_resolve(id, err, sizeof err);
	int same = found != NULL && realpath(found, a) != NULL &&
	           realpath(path, b) != NULL && strcmp(a, b) == 0 &&
	           realpath(catalog_dir(), dir) != NULL;
	char *slash = same ? strrchr(a, '/') : NULL;
	if (slash)
		*slash = '\0';
	free(found);
	return slash && strcmp(a, dir) == 0;
}

/* PATH as one shell word: as it is when it is plain, else in '...'. */
static void replay_quote(char *out, size_t len, const char *path)
{
	size_t n = 0;
	if (path[strspn(path, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
	                      "0123456789_./-+,:@%")] == '\0' && path[0] != '-') {
		snprintf(out, len, "%s", path);
		return;
	}
	for (const char *p = path; *p && n + 5 < len; p++) {
		if (n == 0)
			out[n++] = '\'';
		if (*p == '\'') {
			memcpy(out + n, "'\\''", 4);
			n += 4;
		} else {
			out[n++] = *p;
		}
	}
	if (n == 0)
		out[n++] = '\'';
	out[n++] = '\'';
	out[n] = '\0';
}

void trace_replay_command(const struct engine_view *v, char *buf, size_t len)
{
	const struct scenario *s = v->scenario;
	char workers[48] = "", where[PATH_MAX + 8];
	buf[0] = '\0';
	if (v->schedule == SCHED_OS)
		return;
	if (s->workers_set)
		snprintf(workers, sizeof workers, " --workers=%d", v->n_workers);
	if (replay_by_id(s->id, s->path))
		snprintf(where, sizeof where, "%s", s->id);
	else
		replay_quote(where, sizeof where, s->path);
	char dial[32] = "";
	if (v->schedule == SCHED_RANDOM && v->switch_p < 1) {
		char p[16];
		trace_switch_text(v->switch_p, p, sizeof p);
		snprintf(dial, sizeof dial, " --switch=%s", p);
	}
	snprintf(buf, len, "lockstep --headless --schedule=%s --seed=%llu%s%s %s",
	         schedule_name(v->schedule), (unsigned long long)v->seed, dial, workers, where);
}

void trace_switch_text(double p, char *buf, size_t len)
{
	snprintf(buf, len, "%.6f", p);
	char *end = buf + strlen(buf);
	while (end > buf && end[-1] == '0')
		*--end = '\0';
	if (end > buf && end[-1] == '.')
		*--end = '\0';
}

/* "values", "intended", "lost", "expected": one key per element of the
 * value-like objects ("count", "arr[2]", "d['count']"). */
static void json_elements(FILE *f, const struct engine_view *v, const char *key, int what)
{
	const struct scenario *s = v->scenario;
	fprintf(f, ",\"%s\":{", key);
	int first = 1;
	for (int i = 0; i < s->n_objects; i++) {
		const struct scenario_object *o = &s->objects[i];
		if (!kind_is(o->kind, KF_VALUELIKE))
			continue;
		for (int k = 0; k < o->n_elems; k++) {
			const struct object_view *ov = &v->objects[i];
			long x;
			switch (what) {
			case 0: x = ov->elems[k]; break;
			case 1: x = ov->elem_intended[k]; break;
			case 2: x = ov->elem_lost[k]; break;
			default:
				if (!o->elems[k].has_expect)
					continue;
				x = o->elems[k].expect;
				break;
			}
			char name[96];
			fputs(first ? "" : ",", f);
			first = 0;
			trace_json_string(f, elem_name(v, i, k, name, sizeof name));
			fprintf(f, ":%ld", x);
		}
	}
	fputc('}', f);
}

static void json_key(FILE *f, int *first, const char *name)
{
	fputs(*first ? "" : ",", f);
	*first = 0;
	trace_json_string(f, name);
	fputc(':', f);
}

/* "peak": most holders at once (locks, semaphores), most items (queues);
 * "highest": the highest a value has been; "objects": the rest's state. */
static void json_objects(FILE *f, const struct engine_view *v)
{
	const struct scenario *s = v->scenario;
	int first = 1;
	fputs(",\"peak\":{", f);
	for (int i = 0; i < s->n_objects; i++)
		if (kind_is(s->objects[i].kind, KF_LOCKLIKE) ||
		    kind_info(s->objects[i].kind)->show == KS_QUEUE) {
			json_key(f, &first, s->objects[i].name);
			fprintf(f, "%d", v->objects[i].peak);
		}
	fputs("},\"highest\":{", f);
	first = 1;
	for (int i = 0; i < s->n_objects; i++)
		if (kind_is_plain_value(s->objects[i].kind)) {
			json_key(f, &first, s->objects[i].name);
			fprintf(f, "%d", v->objects[i].peak);
		}
	fputs("},\"objects\":{", f);
	first = 1;
	for (int i = 0; i < s->n_objects; i++) {
		const struct scenario_object *o = &s->objects[i];
		const struct object_view *ov = &v->objects[i];
		if (kind_is(o->kind, KF_VALUELIKE))
			continue;
		json_key(f, &first, o->name);
		fprintf(f, "{\"type\":\"%s\",\"waiting\":%d,\"errors\":%ld",
		        object_kind_name(o->kind), ov->queue_len, ov->errors);
		switch (kind_info(o->kind)->show) {
		case KS_EVENT:
			fprintf(f, ",\"flag\":%d", ov->flag);
			break;
		case KS_BARRIER:
			fprintf(f, ",\"parties\":%d,\"rounds\":%ld", o->capacity, ov->rounds);
			break;
		case KS_QUEUE:
		case KS_PIPE:
			fprintf(f, ",\"moved\":%ld,\"items\":[", ov->moved);
			for (int k = 0; k < ov->n_items && k < SCENARIO_MAX_CAPACITY; k++)
				fprintf(f, "%s%ld", k ? "," : "", ov->items[k]);
			fputc(']', f);
			break;
		case KS_CONDITION:
			break;
		default:
			fprintf(f, ",\"holders\":%d,\"peak\":%d,\"count_lost\":%ld,\"owner_died\":%d",
			        ov->holders, ov->peak, ov->count_lost, ov->owner_died);
			break;
		}
		fputc('}', f);
	}
	fputc('}', f);
}

void trace_summary_json(FILE *f, const struct engine_view *v)
{
	const struct scenario *s = v->scenario;
	fputs("{\"type\":\"summary\",\"scenario\":", f);
	trace_json_string(f, s->id);
	fprintf(f, ",\"outcome\":\"%s\",\"schedule\":\"%s\",\"seed\":%llu,\"steps\":%ld,"
	        "\"time\":%.3f,\"workers\":%d,\"processes\":%d,\"finished\":%d,\"died\":%d",
	        outcome_name(v->outcome), schedule_name(v->schedule),
	        (unsigned long long)v->seed, v->steps, (double)v->clock_ms / 1000.0,
	        v->n_workers, v->started, count_state(v, WS_DONE), count_state(v, WS_KILLED));
	fprintf(f, ",\"error_exits\":%d", count_error_exits(v));
	char p[16];
	trace_switch_text(v->switch_p, p, sizeof p);
	fprintf(f, ",\"switch\":%s", p);
	if (v->manager_pid)
		fprintf(f, ",\"manager\":{\"pid\":%ld,\"requests\":%ld}", (long)v->manager_pid,
		        v->manager_requests);
	json_elements(f, v, "values", 0);
	json_elements(f, v, "intended", 1);
	json_elements(f, v, "lost", 2);
	json_elements(f, v, "expected", 3);
	json_objects(f, v);
	char replay[PATH_MAX + 160];
	trace_replay_command(v, replay, sizeof replay);
	if (replay[0]) {
		fputs(",\"replay\":", f);
		trace_json_string(f, replay);
	}
	fputs(",\"deadlock\":[", f);
	for (int i = 0; i < v->cycle_len; i++) {
		const struct cycle_link *c = &v->cycle[i];
		fputs(i ? ",{\"worker\":" : "{\"worker\":", f);
		trace_json_string(f, v->workers[c->worker].name);
		fputs(",\"holds\":", f);
		if (c->holds >= 0)
			trace_json_string(f, s->objects[c->holds].name);
		else
			fputs("null", f);
		fputs(",\"waits\":", f);
		trace_json_string(f, s->objects[c->waits].name);
		fputc('}', f);
	}
	fputs("]}\n", f);
}

/* ---- output errors -------------------------------------------------------- */

static int stdout_errno;   /* the first failed write's, 0 while all went */

int trace_stdout_check(void)
{
	/* Right after the failed call, errno still says why. */
	if (!stdout_errno && ferror(stdout))
		stdout_errno = errno ? errno : EIO;
	return stdout_errno;
}

int trace_stdout_flush(void)
{
	errno = 0;
	if (!stdout_errno && (fflush(stdout) != 0 || ferror(stdout)))
		stdout_errno = errno ? errno : EIO;
	return stdout_errno;
}

int trace_output_failed(int err)
{
	/* The reader left (lockstep ... | head): end as a program that never
	 * ignored SIGPIPE would, silently, so the pipeline sees why. */
	static int said;
	if (err == EPIPE)
		signals_die_of(SIGPIPE);
	if (said++)
		return 1;
	fprintf(stderr, "lockstep: cannot write output: %s\n", strerror(err));
	return 1;
}
