/*
 * trace.c: events and summaries in words and in JSON (see trace.h).
 */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "trace.h"

static const char *obj_name(const struct engine_view *v, int obj)
{
	return obj >= 0 && obj < v->scenario->n_objects ? v->scenario->objects[obj].name : "-";
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
	if (o->kind == OBJ_SEMAPHORE)
		snprintf(buf, len, "%ld of %ld taken", holders, o->initial);
	else
		snprintf(buf, len, "%s", holders ? "held" : "free");
}

void trace_describe(const struct engine_view *v, const struct event *ev, char *buf, size_t len)
{
	const struct scenario_op *op = event_op(v, ev);
	const char *on = obj_name(v, ev->object);
	char extra[64];
	switch (ev->kind) {
	case EV_START:
		snprintf(buf, len, "started (pid %ld)", ev->value);
		break;
	case EV_WAIT:
		if (ev->extra >= 0 && ev->extra < v->n_workers)
			snprintf(buf, len, "%s is held by %s: waits (%ld in the queue)", on,
			         v->workers[ev->extra].name, ev->value);
		else if (ev->object >= 0 && v->scenario->objects[ev->object].kind == OBJ_SEMAPHORE)
			snprintf(buf, len, "%s is at 0: waits (%ld in the queue)", on, ev->value);
		else
			snprintf(buf, len, "%s is taken: waits (%ld in the queue)", on, ev->value);
		break;
	case EV_ACQUIRED:
		taken_text(v, ev->object, ev->value, extra, sizeof extra);
		snprintf(buf, len, "acquired %s (%s)", on, extra);
		break;
	case EV_RECOVERED:
		snprintf(buf, len, "acquired %s, whose holder died (EOWNERDEAD: made consistent)", on);
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
		snprintf(buf, len, "wakes up");
		break;
	case EV_PRINT:
		snprintf(buf, len, "prints \"%s\"", ev->text ? ev->text : "");
		break;
	case EV_ERROR:
		snprintf(buf, len, "error: %s", ev->text ? ev->text : "?");
		break;
	case EV_EXIT:
		snprintf(buf, len, "finished its program");
		break;
	case EV_KILLED:
		if (ev->extra)
			snprintf(buf, len, "died: killed by signal %ld%s", ev->value,
			         ev->value == 9 ? " (SIGKILL)" : "");
		else
			snprintf(buf, len, "died: exited with status %ld", ev->value);
		break;
	case EV_DEADLOCK:
		snprintf(buf, len, "DEADLOCK: %s", ev->text ? ev->text : "");
		break;
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
	        worker_label(v, ev->worker), op, what);
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

void trace_summary_text(FILE *f, const struct engine_view *v)
{
	const struct scenario *s = v->scenario;
	fprintf(f, "\n== %s: %s ==\n", s->id, outcome_name(v->outcome));
	fprintf(f, "  outcome    %s after %ld %s, %.3f s of %s time\n", outcome_name(v->outcome),
	        v->steps, v->schedule == SCHED_OS ? "events" : "steps",
	        (double)v->clock_ms / 1000.0, v->schedule == SCHED_OS ? "real" : "virtual");
	fprintf(f, "  schedule   %s", schedule_name(v->schedule));
	if (v->schedule != SCHED_OS)
		fprintf(f, ", seed %llu", (unsigned long long)v->seed);
	fprintf(f, "\n  processes  %d started, %d finished, %d died\n", v->started,
	        count_state(v, WS_DONE), count_state(v, WS_KILLED));
	for (int i = 0; i < s->n_objects; i++) {
		const struct scenario_object *o = &s->objects[i];
		const struct object_view *ov = &v->objects[i];
		if (o->kind == OBJ_VALUE) {
			fprintf(f, "  %-10s = %ld", o->name, ov->value);
			if (o->has_expect) {
				fprintf(f, "   (expected %ld", o->expect);
				if (ov->lost)
					fprintf(f, ": %ld update%s lost", ov->lost, ov->lost == 1 ? "" : "s");
				fputs(")", f);
			} else if (ov->lost) {
				fprintf(f, "   (%ld update%s lost)", ov->lost, ov->lost == 1 ? "" : "s");
			}
			if (ov->peak > o->initial)
				fprintf(f, ", highest %d", ov->peak);
			fputc('\n', f);
		} else {
			fprintf(f, "  %-10s %s, at most %d holder%s at once", o->name,
			        object_kind_name(o->kind), ov->peak, ov->peak == 1 ? "" : "s");
			long limit = s->expect_max_holders[i];
			if (limit)
				fprintf(f, " (limit %ld: %s)", limit, ov->peak <= limit ? "kept" : "BROKEN");
			if (ov->count_lost)
				fprintf(f, ", %ld count%s lost with dead holders", ov->count_lost,
				        ov->count_lost == 1 ? "" : "s");
			fputc('\n', f);
		}
	}
	if (v->cycle_len > 0) {
		fputs("  deadlock  ", f);
		for (int i = 0; i < v->cycle_len; i++) {
			const struct cycle_link *c = &v->cycle[i];
			if (c->holds >= 0)
				fprintf(f, "%s%s holds %s and waits for %s", i ? "; " : "",
				        v->workers[c->worker].name, s->objects[c->holds].name,
				        s->objects[c->waits].name);
			else
				fprintf(f, "%s%s waits for %s", i ? "; " : "",
				        v->workers[c->worker].name, s->objects[c->waits].name);
		}
		fputc('\n', f);
	}
	if (v->schedule != SCHED_OS)
		fprintf(f, "  replay     lockstep --headless --schedule=%s --seed=%llu %s\n",
		        schedule_name(v->schedule), (unsigned long long)v->seed, s->id);
}

static void json_object_map(FILE *f, const struct engine_view *v, const char *key,
                            int values, long (*get)(const struct engine_view *, int))
{
	const struct scenario *s = v->scenario;
	fprintf(f, ",\"%s\":{", key);
	int first = 1;
	for (int i = 0; i < s->n_objects; i++) {
		if ((s->objects[i].kind == OBJ_VALUE) != values)
			continue;
		fputs(first ? "" : ",", f);
		first = 0;
		trace_json_string(f, s->objects[i].name);
		fprintf(f, ":%ld", get(v, i));
	}
	fputc('}', f);
}

static long get_value(const struct engine_view *v, int i) { return v->objects[i].value; }
static long get_lost(const struct engine_view *v, int i) { return v->objects[i].lost; }
static long get_intended(const struct engine_view *v, int i) { return v->objects[i].intended; }
static long get_peak(const struct engine_view *v, int i) { return v->objects[i].peak; }

void trace_summary_json(FILE *f, const struct engine_view *v)
{
	const struct scenario *s = v->scenario;
	fputs("{\"type\":\"summary\",\"scenario\":", f);
	trace_json_string(f, s->id);
	fprintf(f, ",\"outcome\":\"%s\",\"schedule\":\"%s\",\"seed\":%llu,\"steps\":%ld,"
	        "\"time\":%.3f,\"workers\":%d,\"finished\":%d,\"died\":%d",
	        outcome_name(v->outcome), schedule_name(v->schedule),
	        (unsigned long long)v->seed, v->steps, (double)v->clock_ms / 1000.0,
	        v->started, count_state(v, WS_DONE), count_state(v, WS_KILLED));
	json_object_map(f, v, "values", 1, get_value);
	json_object_map(f, v, "intended", 1, get_intended);
	json_object_map(f, v, "lost", 1, get_lost);
	json_object_map(f, v, "peak", 0, get_peak);
	fputs(",\"expected\":{", f);
	int first = 1;
	for (int i = 0; i < s->n_objects; i++)
		if (s->objects[i].has_expect) {
			fputs(first ? "" : ",", f);
			first = 0;
			trace_json_string(f, s->objects[i].name);
			fprintf(f, ":%ld", s->objects[i].expect);
		}
	fputs("},\"deadlock\":[", f);
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
