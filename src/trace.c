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
#include "goals.h"
#include "trace.h"
#include "worker.h"
#include "catalog.h"
#include "words.h"

void trace_print_text(FILE *f, const struct engine_view *v, const struct event *ev)
{
	char op[96], what[512], who[96], opcol[128];
	words_op(v, ev, op, sizeof op);
	words_event(v, ev, what, sizeof what);
	/* TRANSLATORS: the trace's worker column for the manager process. */
	words_pad(who, sizeof who, ev->kind == EV_REQUEST ? _("manager")
	                           : words_worker_label(v, ev->worker), 12);
	words_pad(opcol, sizeof opcol, op, 20);
	fprintf(f, "%9.3fs %6ld  %s %s %s\n", (double)ev->t_ms / 1000.0, ev->step, who, opcol,
	        what);
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
	const struct scenario_op *op = words_event_op(v, ev);
	char what[512];
	words_event_en(v, ev, what, sizeof what);
	fprintf(f, "{\"type\":\"event\",\"step\":%ld,\"t\":%.3f,\"event\":\"%s\",\"worker\":",
	        ev->step, (double)ev->t_ms / 1000.0, event_kind_name(ev->kind));
	trace_json_string(f, words_worker_label(v, ev->worker));
	if (ev->worker >= 0)
		fprintf(f, ",\"pid\":%ld,\"pc\":%d", (long)v->workers[ev->worker].pid, ev->pc);
	if (op && ev->kind != EV_START && ev->kind != EV_EXIT && ev->kind != EV_KILLED) {
		fprintf(f, ",\"op\":\"%s\"", op_kind_name(op->kind));
		if (op->py_line)
			fprintf(f, ",\"line\":%d", op->py_line);
	}
	if (ev->object >= 0) {
		fputs(",\"object\":", f);
		trace_json_string(f, words_obj_name(v, ev->object));
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
		char name[96], col[128];
		const struct scenario_elem *el = &o->elems[k];
		long lost = ov->elem_lost[k];
		words_pad(col, sizeof col, words_elem_name(v, i, k, name, sizeof name), 10);
		fprintf(f, "  %s = %ld", col, ov->elems[k]);
		if (el->has_expect && lost)
			fprintf(f, ngettext("   (expected %ld: %ld update lost)",
			                    "   (expected %ld: %ld updates lost)", (unsigned long)lost),
			        el->expect, lost);
		else if (el->has_expect)
			fprintf(f, _("   (expected %ld)"), el->expect);
		else if (lost)
			fprintf(f, ngettext("   (%ld update lost)", "   (%ld updates lost)",
			                    (unsigned long)lost), lost);
		if (kind_is_plain_value(o->kind) && (ov->peak > o->initial || o->has_limit))
			fprintf(f, _(", highest %d"), ov->peak);
		if (o->has_limit)   /* the same words as a semaphore's limit */
			fprintf(f, ov->peak <= o->limit ? _(" (limit %ld: kept)")
			        : _(" (limit %ld: BROKEN)"), o->limit);
		if (kind_is(o->kind, KF_MANAGED) && k == 0)
			fputs(_(", held by the manager process"), f);
		fputc('\n', f);
	}
}

/* A lock's or semaphore's line: peak against its limit, counts lost. */
static void summary_holders(FILE *f, const struct engine_view *v, int i)
{
	const struct scenario_object *o = &v->scenario->objects[i];
	const struct object_view *ov = &v->objects[i];
	fprintf(f, ngettext(", at most %d holder at once", ", at most %d holders at once",
	                    (unsigned long)ov->peak), ov->peak);
	long limit = v->scenario->expect_max_holders[i];
	if (limit)
		fprintf(f, ov->peak <= limit ? _(" (limit %ld: kept)") : _(" (limit %ld: BROKEN)"),
		        limit);
	/* A semaphore's counts taken by processes that died; a lock's taker
	 * or owner that died (kinds.c's words). */
	if (ov->count_lost && (kind_info(o->kind)->keys & KK_INITIAL))
		fprintf(f, ngettext(", %ld count taken by processes that died",
		                    ", %ld counts taken by processes that died",
		                    (unsigned long)ov->count_lost), ov->count_lost);
	if (ov->owner_died && kind_info(o->kind)->summary_died)
		fputs(words_of_kind(kind_info(o->kind)->summary_died), f);
}

static void summary_object(FILE *f, const struct engine_view *v, int i)
{
	const struct scenario *s = v->scenario;
	const struct scenario_object *o = &s->objects[i];
	const struct object_view *ov = &v->objects[i];
	char col[128];
	if (kind_is(o->kind, KF_VALUELIKE)) {
		summary_values(f, v, i);
		return;
	}
	words_pad(col, sizeof col, o->name, 10);
	fprintf(f, "  %s %s", col, words_kind(o->kind));
	switch (kind_info(o->kind)->show) {
	case KS_EVENT:
		fputs(ov->flag ? _(", flag up (set)") : _(", flag down (clear)"), f);
		break;
	case KS_CONDITION:
		fprintf(f, _(" on %s"), s->objects[o->lock].name);
		break;
	case KS_BARRIER:
		fprintf(f, ngettext(" of %d, tripped %ld time", " of %d, tripped %ld times",
		                    (unsigned long)ov->rounds), o->capacity, ov->rounds);
		break;
	case KS_QUEUE:
		fprintf(f, _(" of %d, %ld put in all, at most %d in it at once, %d left"),
		        o->capacity, ov->moved, ov->peak, ov->n_items);
		break;
	case KS_PIPE:
		fprintf(f, _(", %ld sent, %d not received"), ov->moved, ov->n_items);
		break;
	default:
		summary_holders(f, v, i);
		break;
	}
	if (ov->queue_len)
		fprintf(f, _(", %d still waiting"), ov->queue_len);
	if (ov->errors)
		fprintf(f, ngettext(", %ld error caught", ", %ld errors caught",
		                    (unsigned long)ov->errors), ov->errors);
	fputc('\n', f);
}

static void summary_processes(FILE *f, const struct engine_view *v)
{
	int errors = count_error_exits(v);
	if (errors)
		fprintf(f, _("  processes  %d started, %d finished, %d stopped with an error, "
		             "%d killed\n"),
		        v->started, count_state(v, WS_DONE), errors,
		        count_state(v, WS_KILLED) - errors);
	else
		fprintf(f, _("  processes  %d started, %d finished, %d died\n"), v->started,
		        count_state(v, WS_DONE), count_state(v, WS_KILLED));
	if (v->manager_pid)
		fprintf(f, _("  manager    a server process of its own (pid %ld): "
		             "%ld requests served\n"),
		        (long)v->manager_pid, v->manager_requests);
}

void trace_summary_text(FILE *f, const struct engine_view *v)
{
	const struct scenario *s = v->scenario;
	/* TRANSLATORS: the summary's heading: scenario id, outcome. */
	fprintf(f, _("\n== %s: %s ==\n"), s->id, words_outcome(v->outcome));
	if (v->schedule == SCHED_OS)
		fprintf(f, _("  outcome    %s after %ld ops, %.3f s of real time\n"),
		        words_outcome(v->outcome), v->steps, (double)v->clock_ms / 1000.0);
	else
		fprintf(f, _("  outcome    %s after %ld steps, %.3f s of virtual time\n"),
		        words_outcome(v->outcome), v->steps, (double)v->clock_ms / 1000.0);
	fprintf(f, _("  schedule   %s"), words_schedule(v->schedule));
	if (v->schedule != SCHED_OS)
		fprintf(f, _(", seed %llu"), (unsigned long long)v->seed);
	if (v->schedule == SCHED_RANDOM && v->switch_p < 1) {
		char p[16];
		trace_switch_text(v->switch_p, p, sizeof p);
		fprintf(f, _(", switch %s"), p);
	}
	fputc('\n', f);
	summary_processes(f, v);
	for (int i = 0; i < s->n_objects; i++)
		summary_object(f, v, i);
	if (v->cycle_len > 0) {
		char text[2048];
		words_deadlock(s, v->workers, v->n_workers, v->cycle, v->cycle_len,
		               text, sizeof text);
		fprintf(f, _("  deadlock  %s\n"), text);
	}
	char replay[PATH_MAX + 160];
	trace_replay_command(v, replay, sizeof replay);
	if (replay[0])
		fprintf(f, _("  replay     %s\n"), replay);
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
	/* A run that followed a --replay file is that file's interleaving, not
	 * the seed's: the line must name it to reproduce the run. */
	char plan[PATH_MAX + 32] = "";
	if (v->plan_file) {
		char q[PATH_MAX + 8];
		replay_quote(q, sizeof q, v->plan_file);
		snprintf(plan, sizeof plan, " --replay=%s", q);
	}
	snprintf(buf, len, "lockstep --headless --schedule=%s --seed=%llu%s%s%s %s",
	         schedule_name(v->schedule), (unsigned long long)v->seed, dial, workers, plan,
	         where);
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
			trace_json_string(f, words_elem_name(v, i, k, name, sizeof name));
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
 * "highest": the highest a value has been; "limit": the most a value
 * should be, when its `limit` says; "objects": the rest's state. */
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
	fputs("},\"limit\":{", f);   /* a value's `limit`, when it has one */
	first = 1;
	for (int i = 0; i < s->n_objects; i++)
		if (s->objects[i].has_limit) {
			json_key(f, &first, s->objects[i].name);
			fprintf(f, "%ld", s->objects[i].limit);
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

/* One element as Python prints it inside a repr: 'count': 0, or 0. */
static size_t repr_elem(char *out, size_t len, const struct scenario_object *o,
                        const struct object_view *ov, int k)
{
	if (o->kind == OBJ_DICT)
		return (size_t)snprintf(out, len, "'%s': %ld", o->elems[k].key, ov->elems[k]);
	if (o->kind == OBJ_NAMESPACE)
		return (size_t)snprintf(out, len, "%s=%ld", o->elems[k].key, ov->elems[k]);
	return (size_t)snprintf(out, len, "%ld", ov->elems[k]);
}

/* The whole object NAME as print() shows it: {'count': 0}, [1, 2],
 * Namespace(x=1), a value's number. */
static size_t repr_object(char *out, size_t len, const struct scenario_object *o,
                          const struct object_view *ov)
{
	const char *open = o->kind == OBJ_DICT ? "{" : o->kind == OBJ_NAMESPACE ? "Namespace(" :
	                   kind_is_plain_value(o->kind) ? "" : "[";
	const char *close = o->kind == OBJ_DICT ? "}" : o->kind == OBJ_NAMESPACE ? ")" :
	                    kind_is_plain_value(o->kind) ? "" : "]";
	size_t n = (size_t)snprintf(out, len, "%s", open);
	for (int k = 0; k < o->n_elems && n < len; k++) {
		if (k)
			n += (size_t)snprintf(out + n, len - n, ", ");
		if (n < len)
			n += repr_elem(out + n, len - n, o, ov, k);
	}
	if (n < len)
		n += (size_t)snprintf(out + n, len - n, "%s", close);
	return n;
}

void trace_after_line(const struct engine_view *v, int k, char *out, size_t len)
{
	const struct scenario *s = v->scenario;
	size_t n = 0;
	for (const char *p = s->after[k].text; *p && n + 1 < len; ) {
		const char *end = p[0] == '{' && p[1] == '=' ? strchr(p, '}') : NULL;
		if (end == NULL) {
			out[n++] = *p++;
			continue;
		}
		char name[2 * SCENARIO_MAX_NAME];
		size_t m = (size_t)(end - p - 2) < sizeof name ? (size_t)(end - p - 2) : sizeof name - 1;
		memcpy(name, p + 2, m);
		name[m] = '\0';
		char *dot = strrchr(name, '.');
		int elem = -1;
		if (dot != NULL) {
			*dot = '\0';
			elem = atoi(dot + 1);
		}
		int obj = scenario_find_object(s, name);
		if (obj < 0 || elem >= s->objects[obj].n_elems) {
			out[n++] = *p++;
			continue;
		}
		if (elem >= 0)
			n += (size_t)snprintf(out + n, len - n, "%ld", v->objects[obj].elems[elem]);
		else
			n += repr_object(out + n, len - n, &s->objects[obj], &v->objects[obj]);
		if (n >= len)
			n = len - 1;
		p = end + 1;
	}
	out[n] = '\0';
}

void trace_summary_json(FILE *f, const struct engine_view *v, const struct goals *goals)
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
	if (v->outcome == RUN_FINISHED && s->n_after > 0) {
		/* What the main process prints once it has joined everyone. */
		char line[1024];
		fputs(",\"printed_after\":[", f);
		for (int k = 0; k < s->n_after; k++) {
			trace_after_line(v, k, line, sizeof line);
			if (k)
				fputc(',', f);
			trace_json_string(f, line);
		}
		fputc(']', f);
	}
	if (goals) {
		fputs(",\"goals\":", f);
		goals_print_json(f, goals);
	}
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
	fprintf(stderr, _("lockstep: cannot write output: %s\n"), strerror(err));
	return 1;
}
