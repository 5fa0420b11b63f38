/*
 * words.c: lockstep's vocabulary (see words.h).
 *
 * Every sentence is said through a `struct say`: in the student's
 * language (gettext), or in English for JSON.  tr() and trn() are the
 * only two places that choose; xgettext knows trn (po/Makevars).
 */
#include "config.h"

#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <wchar.h>

#include "i18n.h"
#include "trace.h"
#include "worker.h"
#include "words.h"

struct say {
	int en;   /* 1: English whatever the language (JSON) */
};

static const struct say student = { 0 }, english = { 1 };

__attribute__((format_arg(2)))
static const char *tr(const struct say *sy, const char *msgid)
{
	return sy->en || !msgid || !*msgid ? msgid : gettext(msgid);
}

__attribute__((format_arg(2), format_arg(3)))
static const char *trn(const struct say *sy, const char *one, const char *many, long n)
{
	if (sy->en)
		return n == 1 ? one : many;
	return ngettext(one, many, (unsigned long)n);
}

/* ---- single words ------------------------------------------------------- */

static const char *const state_words[WS_COUNT] = {
	N_("ready"), N_("running"), N_("blocked"), N_("sleeping"), N_("done"), N_("killed")
};
static const char *const outcome_words[] = {
	N_("running"), N_("finished"), N_("deadlock"), N_("timeout"), N_("stopped")
};
static const char *const schedule_words[SCHED_COUNT] = {
	/* TRANSLATORS: the schedules: the kernel decides; lockstep draws
	 * who runs from the seed; each worker in turn. */
	N_("os"), N_("random"), N_("round-robin")
};
static const char *const op_words[OP_KIND_COUNT] = {
	[OP_ACQUIRE] = N_("acquire"), [OP_RELEASE] = N_("release"),
	[OP_LOAD] = N_("load"), [OP_STORE] = N_("store"),
	[OP_ATOMIC_ADD] = N_("atomic-add"), [OP_SLEEP] = N_("sleep"),
	[OP_PRINT] = N_("print"), [OP_SET] = N_("set"), [OP_CLEAR] = N_("clear"),
	[OP_WAIT] = N_("wait"), [OP_NOTIFY] = N_("notify"), [OP_PUT] = N_("put"),
	[OP_GET] = N_("get"), [OP_SEND] = N_("send"), [OP_RECV] = N_("recv"),
	[OP_SET_REGISTER] = N_("set-register"), [OP_GOTO] = N_("goto"),
	[OP_CRASH] = N_("crash"),
};

const char *words_state(enum worker_state s)
{
	return (unsigned)s < WS_COUNT ? _(state_words[s]) : "?";
}

const char *words_worker_state(const struct worker_view *w)
{
	return trace_error_exit(w) ? _("stopped with an error") : words_state(w->state);
}

const char *words_outcome(enum run_outcome o)
{
	return o <= RUN_STOPPED ? _(outcome_words[o]) : "?";
}

const char *words_schedule(enum schedule s)
{
	return (unsigned)s < SCHED_COUNT ? _(schedule_words[s]) : "?";
}

static const char *op_word(const struct say *sy, int k)
{
	return k >= 0 && k < OP_KIND_COUNT && op_words[k] ? tr(sy, op_words[k]) : "?";
}

const char *words_op_kind(int op_kind)
{
	return op_word(&student, op_kind);
}

const char *words_kind(int kind)
{
	const char *noun = kind_info(kind)->noun;
	return noun ? _(noun) : object_kind_name(kind);
}

const char *words_of_kind(const char *kind_words)
{
	return kind_words && *kind_words ? _(kind_words) : kind_words;
}

int words_width(const char *s)
{
	mbstate_t st;
	memset(&st, 0, sizeof st);
	int cols = 0;
	size_t n = strlen(s);
	for (size_t i = 0; i < n;) {
		wchar_t wc;
		size_t k = mbrtowc(&wc, s + i, n - i, &st);
		if (k == (size_t)-1 || k == (size_t)-2 || k == 0) {
			cols++;   /* not text of this locale: a column a byte */
			memset(&st, 0, sizeof st);
			i++;
			continue;
		}
		int w = wcwidth(wc);
		cols += w > 0 ? w : 0;
		i += k;
	}
	return cols;
}

void words_pad(char *out, size_t len, const char *s, int width)
{
	int cols = words_width(s);
	snprintf(out, len, "%s%*s", s, cols < width ? width - cols : 0, "");
}

/* ---- names in an event ---------------------------------------------------- */

const char *words_obj_name(const struct engine_view *v, int obj)
{
	return obj >= 0 && obj < v->scenario->n_objects ? v->scenario->objects[obj].name : "-";
}

/* count, arr[2], d['count'], ns.x: an element the way Python writes it. */
const char *words_elem_name(const struct engine_view *v, int obj, int elem, char *buf, size_t len)
{
	if (obj < 0 || obj >= v->scenario->n_objects)
		return "-";
	const struct scenario_object *o = &v->scenario->objects[obj];
	kind_elem_name(o->kind, o->name, elem,
	               elem >= 0 && elem < o->n_elems ? o->elems[elem].key : NULL, buf, len);
	return buf;
}

const char *words_worker_label(const struct engine_view *v, int w)
{
	return w >= 0 && w < v->n_workers ? v->workers[w].name : "-";
}

const struct scenario_op *words_event_op(const struct engine_view *v, const struct event *ev)
{
	if (ev->worker < 0 || ev->worker >= v->n_workers)
		return NULL;
	const struct scenario_group *g = &v->scenario->groups[v->workers[ev->worker].group];
	return ev->pc >= 0 && ev->pc < g->n_ops ? &g->ops[ev->pc] : NULL;
}

static int event_show(const struct engine_view *v, const struct event *ev)
{
	return ev->object >= 0 ? (int)kind_info(v->scenario->objects[ev->object].kind)->show : -1;
}

void words_op(const struct engine_view *v, const struct event *ev, char *buf, size_t len)
{
	const struct say *sy = &student;
	const struct scenario_op *op = words_event_op(v, ev);
	buf[0] = '\0';
	if (ev->kind == EV_START || ev->kind == EV_EXIT || ev->kind == EV_KILLED ||
	    ev->kind == EV_DEADLOCK || ev->kind == EV_WAKE || !op)
		return;
	switch (op->kind) {
	case OP_ACQUIRE:
	case OP_RELEASE:
	case OP_ATOMIC_ADD:
		/* TRANSLATORS: an op and its object: "acquire rooms". */
		snprintf(buf, len, tr(sy, N_("%s %s")), op_word(sy, op->kind),
		         words_obj_name(v, op->object));
		break;
	case OP_LOAD:
		snprintf(buf, len, tr(sy, N_("update %s (read)")), words_obj_name(v, op->object));
		break;
	case OP_STORE:
		snprintf(buf, len, tr(sy, N_("update %s (write)")), words_obj_name(v, op->object));
		break;
	default:
		snprintf(buf, len, "%s", op_word(sy, op->kind));
		break;
	}
}

/* ---- what an event did ------------------------------------------------------ */

static void taken_text(const struct say *sy, const struct engine_view *v, int obj,
                       long holders, char *buf, size_t len)
{
	const struct scenario_object *o = &v->scenario->objects[obj];
	/* Every counting kind says it one way: "2 of 4 taken". */
	if (kind_is(o->kind, KF_COUNTING) && (kind_info(o->kind)->keys & KK_INITIAL))
		snprintf(buf, len, tr(sy, N_("%ld of %ld taken")), holders, o->initial);
	else
		snprintf(buf, len, "%s", holders ? tr(sy, N_("held")) : tr(sy, N_("free")));
}

/* Where a jump lands, in the Python's words (a loop goes back to a line,
 * a break goes on at one), never by an op number or label: those are the
 * scenario file's, not the lesson's. */
static void jump_text(const struct say *sy, const struct engine_view *v,
                      const struct event *ev, char *buf, size_t len)
{
	const struct scenario_group *g = ev->worker >= 0 && ev->worker < v->n_workers
	        ? &v->scenario->groups[v->workers[ev->worker].group] : NULL;
	long to = ev->value;
	int line = g && to >= 0 && to < g->n_ops ? g->ops[to].py_line : 0;
	int back = to <= ev->pc;
	if (line)
		snprintf(buf, len, back ? tr(sy, N_("goes back to line %d"))
		                        : tr(sy, N_("goes on at line %d")), line);
	else if (g && to >= g->n_ops)
		snprintf(buf, len, "%s", tr(sy, N_("goes to the end of its program")));
	else
		snprintf(buf, len, "%s", back ? tr(sy, N_("goes back")) : tr(sy, N_("skips ahead")));
}

/* Why a worker waits, in the words of what it waits for. */
static void describe_wait(const struct say *sy, const struct engine_view *v,
                          const struct event *ev, const struct scenario_op *op,
                          const char *on, char *buf, size_t len)
{
	const struct kind_info *ki = kind_info(ev->object >= 0 ? (int)v->scenario->objects[ev->object].kind : -1);
	long n = ev->value;
	if (ki->show == KS_BARRIER)
		snprintf(buf, len, tr(sy, N_("waits at %s (%ld of %d here)")), on, n,
		         v->scenario->objects[ev->object].capacity);
	else if (ki->wait == KW_ITEMS && op && (op->kind == OP_PUT || op->kind == OP_SEND))
		snprintf(buf, len, tr(sy, N_("%s is full: waits (%ld waiting)")), on, n);
	else if (ki->wait == KW_ITEMS)   /* a queue, a pipe: empty */
		snprintf(buf, len, tr(sy, N_("%s is empty: waits (%ld waiting)")), on, n);
	else if (ki->waits_held && ev->extra >= 0 && ev->extra < v->n_workers)
		kind_say(buf, len, tr(sy, ki->waits_held), on, v->workers[ev->extra].name, n);
	else if (ki->waits)
		kind_say(buf, len, tr(sy, ki->waits), on, n);
	else
		snprintf(buf, len, tr(sy, N_("waits for %s")), on);
}

static void describe_store(const struct say *sy, const struct event *ev,
                           const struct scenario_op *op, const char *on, char *buf, size_t len)
{
	/* extra is what the worker found just before writing: if it is not
	 * what it read, others wrote meanwhile and this write wipes their
	 * updates out. */
	long amount = op ? op->amount : 0;
	long reg = ev->value - amount;
	if (ev->extra != reg)
		snprintf(buf, len, tr(sy, N_("wrote %s = %ld (register %ld %+ld) over %ld: "
		                             "the updates since its read are lost")),
		         on, ev->value, reg, amount, ev->extra);
	else
		snprintf(buf, len, tr(sy, N_("wrote %s = %ld (register %ld %+ld)")), on, ev->value,
		         reg, amount);
}

static void describe_end(const struct say *sy, const struct event *ev, char *buf, size_t len)
{
	if (ev->extra)
		snprintf(buf, len, ev->value == 9 ? tr(sy, N_("died: killed by signal %ld (SIGKILL)"))
		                                  : tr(sy, N_("died: killed by signal %ld")),
		         ev->value);
	else if (ev->value == WORKER_EXIT_OP_FAILED || !engine_exit_reason((int)ev->value))
		/* Its error was said just before: not a death. */
		snprintf(buf, len, tr(sy, N_("stopped with an error (exit status %ld)")), ev->value);
	else
		snprintf(buf, len, tr(sy, N_("died: exited with status %ld (%s)")), ev->value,
		         tr(sy, engine_exit_reason((int)ev->value)));
}

/* The deadlock event says the cycle as it was found, in English (the
 * event's text, JSON's "text").  While the view's cycle is still that one
 * (the usual case: a deadlock ends the run), say it in the student's
 * language; after a kill changed the cycle, the old text is all there is. */
/* The sentence the picture stored when the cycle formed (struct event:
 * English, a NUL, the student's), not today's cycle: a kill changes it. */
static void describe_deadlock(const struct say *sy, const struct engine_view *v,
                              const struct event *ev, char *buf, size_t len)
{
	(void)v;
	const char *text = ev->text ? ev->text : "";
	if (!sy->en && ev->text)
		text = ev->text + strlen(ev->text) + 1;
	snprintf(buf, len, tr(sy, N_("DEADLOCK: %s")), text);
}

static void describe_passed(const struct say *sy, const struct engine_view *v,
                            const struct event *ev, const char *on, char *buf, size_t len)
{
	int show = event_show(v, ev);
	if (show == KS_BARRIER && ev->extra)
		snprintf(buf, len, tr(sy, N_("arrived last at %s: it trips, all %ld go on")), on,
		         ev->value);
	else if (show == KS_BARRIER)
		snprintf(buf, len, tr(sy, N_("passes %s")), on);
	else if (show == KS_CONDITION)
		snprintf(buf, len, tr(sy, N_("was notified on %s and holds its lock again")), on);
	else
		snprintf(buf, len, tr(sy, N_("%s is set: goes on")), on);
}

static void describe_items(const struct say *sy, const struct engine_view *v,
                           const struct event *ev, const char *on, char *buf, size_t len)
{
	int pipe = event_show(v, ev) == KS_PIPE;
	if (ev->kind == EV_PUT && pipe)
		snprintf(buf, len, tr(sy, N_("sent %ld into %s")), ev->value, on);
	else if (ev->kind == EV_PUT)
		snprintf(buf, len, tr(sy, N_("put %ld into %s (%ld in it)")), ev->value, on, ev->extra);
	else if (pipe)
		snprintf(buf, len, tr(sy, N_("received %ld from %s into its register")), ev->value, on);
	else
		snprintf(buf, len, tr(sy, N_("got %ld from %s into its register (%ld left)")),
		         ev->value, on, ev->extra);
}

static void describe_request(const struct say *sy, const struct engine_view *v,
                             const struct event *ev, const char *on, char *buf, size_t len)
{
	const char *who = words_worker_label(v, ev->worker);
	if (ev->extra == 1)
		snprintf(buf, len, tr(sy, N_("manager serves %s: set %s = %ld")), who, on, ev->value);
	else if (ev->extra == 2)
		snprintf(buf, len, tr(sy, N_("manager serves %s: add %s = %ld")), who, on, ev->value);
	else
		snprintf(buf, len, tr(sy, N_("manager serves %s: get %s = %ld")), who, on, ev->value);
}

static void describe_flag(const struct say *sy, const struct engine_view *v,
                          const struct event *ev, const char *on, char *buf, size_t len)
{
	if (ev->kind == EV_SET)
		snprintf(buf, len, trn(sy, "set %s: the flag is up (%ld waiter goes on)",
		                       "set %s: the flag is up (%ld waiters go on)", ev->value),
		         on, ev->value);
	else if (ev->kind == EV_CLEAR)
		snprintf(buf, len, tr(sy, N_("cleared %s: the flag is down")), on);
	else if (v->schedule == SCHED_OS)
		snprintf(buf, len, ev->value < 0 ? tr(sy, N_("notified %s (all)"))
		                                 : tr(sy, N_("notified %s (one)")), on);
	else
		snprintf(buf, len, trn(sy, "notified %s: %ld waiter woken",
		                       "notified %s: %ld waiters woken", ev->value),
		         on, ev->value);
}

static void describe_misc(const struct say *sy, const struct engine_view *v,
                          const struct event *ev, const char *on, char *buf, size_t len)
{
	char extra[128];
	switch (ev->kind) {
	case EV_START:
		snprintf(buf, len, tr(sy, N_("started (pid %ld)")), ev->value);
		break;
	case EV_RECOVERED:
		snprintf(buf, len, tr(sy, N_("recovered %s from its dead holder "
		                             "(EOWNERDEAD: made consistent)")), on);
		break;
	case EV_LOAD:
		snprintf(buf, len, tr(sy, N_("read %s = %ld into its register")), on, ev->value);
		break;
	case EV_SLEEP:
		snprintf(buf, len, tr(sy, N_("sleeps %.3g s")), (double)ev->value / 1000.0);
		break;
	case EV_WAKE:
		snprintf(buf, len, "%s", ev->extra == 2
		         ? tr(sy, N_("has started the other processes and goes on"))
		         : tr(sy, N_("wakes up")));
		break;
	case EV_PRINT:
		snprintf(buf, len, tr(sy, N_("prints \"%s\"")), ev->text ? ev->text : "");
		break;
	case EV_ERROR:
		/* The worker said it in English; a catalogue word is said
		 * again in the student's (kinds.c's errors, worker_ops.c's). */
		snprintf(buf, len, ev->extra ? tr(sy, N_("crashes: %s")) : tr(sy, N_("error: %s")),
		         ev->text ? tr(sy, ev->text) : "?");
		break;
	case EV_EXIT:
		snprintf(buf, len, "%s", tr(sy, N_("finished its program")));
		break;
	case EV_TIMEOUT:
		jump_text(sy, v, ev, extra, sizeof extra);
		snprintf(buf, len, tr(sy, N_("gave up waiting for %s (timeout): %s")), on, extra);
		break;
	case EV_REGISTER:
		snprintf(buf, len, tr(sy, N_("register = %ld")), ev->value);
		break;
	case EV_JUMP:
		if (ev->value >= 0)
			jump_text(sy, v, ev, buf, len);
		else
			snprintf(buf, len, "%s", tr(sy, N_("goes on")));
		break;
	default:
		snprintf(buf, len, "%s", event_kind_name(ev->kind));
		break;
	}
}

static void describe(const struct say *sy, const struct engine_view *v,
                     const struct event *ev, char *buf, size_t len)
{
	const struct scenario_op *op = words_event_op(v, ev);
	char elem[96], extra[128];
	const char *on = ev->kind == EV_LOAD || ev->kind == EV_STORE || ev->kind == EV_ADD ||
	                 ev->kind == EV_REQUEST
	                 ? words_elem_name(v, ev->object, ev->elem, elem, sizeof elem)
	                 : words_obj_name(v, ev->object);
	switch (ev->kind) {
	case EV_WAIT:
		describe_wait(sy, v, ev, op, on, buf, len);
		break;
	case EV_ACQUIRED:
		taken_text(sy, v, ev->object, ev->value, extra, sizeof extra);
		snprintf(buf, len, tr(sy, N_("acquired %s (%s)")), on, extra);
		break;
	case EV_RELEASED:
		taken_text(sy, v, ev->object, ev->value, extra, sizeof extra);
		snprintf(buf, len, tr(sy, N_("released %s (%s)")), on, extra);
		break;
	case EV_STORE:
		describe_store(sy, ev, op, on, buf, len);
		break;
	case EV_ADD:
		snprintf(buf, len, tr(sy, N_("added %+ld atomically: %s = %ld")),
		         op ? op->amount : 0, on, ev->value);
		break;
	case EV_KILLED:
		describe_end(sy, ev, buf, len);
		break;
	case EV_DEADLOCK:
		describe_deadlock(sy, v, ev, buf, len);
		break;
	case EV_SET:
	case EV_CLEAR:
	case EV_NOTIFY:
		describe_flag(sy, v, ev, on, buf, len);
		break;
	case EV_PASSED:
		describe_passed(sy, v, ev, on, buf, len);
		break;
	case EV_PUT:
	case EV_GET:
		describe_items(sy, v, ev, on, buf, len);
		break;
	case EV_REQUEST:
		describe_request(sy, v, ev, on, buf, len);
		break;
	default:
		describe_misc(sy, v, ev, on, buf, len);
		break;
	}
}

void words_event(const struct engine_view *v, const struct event *ev, char *buf, size_t len)
{
	describe(&student, v, ev, buf, len);
}

void words_event_en(const struct engine_view *v, const struct event *ev, char *buf, size_t len)
{
	describe(&english, v, ev, buf, len);
}

/* ---- the deadlock sentence ------------------------------------------------ */

/* A process that ended holding obj (the one that died, first), or -1. */
static int gone_holder(const struct worker_view *wv, int n_workers, int obj)
{
	int ended = -1;
	for (int h = 0; h < n_workers; h++) {
		if (!wv[h].holds[obj])
			continue;
		if (wv[h].state == WS_KILLED)
			return h;
		if (wv[h].state == WS_DONE && ended < 0)
			ended = h;
	}
	return ended;
}

static void deadlock_say(const struct say *sy, const struct scenario *s,
                         const struct worker_view *wv, int n_workers,
                         const struct cycle_link *c, int n, char *buf, size_t len)
{
	size_t o = 0;
	buf[0] = '\0';
	for (int i = 0; i < n && o < len; i++) {
		int k, gone = gone_holder(wv, n_workers, c[i].waits);
		const char *who = wv[c[i].worker].name, *waits = s->objects[c[i].waits].name;
		/* TRANSLATORS: between two links of a deadlock cycle. */
		const char *sep = i ? tr(sy, N_("; ")) : "";
		if (c[i].holds >= 0)
			k = snprintf(buf + o, len - o, tr(sy, N_("%s%s holds %s and waits for %s")),
			             sep, who, s->objects[c[i].holds].name, waits);
		else if (gone >= 0)
			k = snprintf(buf + o, len - o, wv[gone].state == WS_KILLED
			             ? tr(sy, N_("%s%s waits for %s, held by %s, which died"))
			             : tr(sy, N_("%s%s waits for %s, held by %s, which has ended")),
			             sep, who, waits, wv[gone].name);
		else
			k = snprintf(buf + o, len - o, tr(sy, N_("%s%s waits for %s")), sep, who, waits);
		if (k < 0)
			break;
		o += (size_t)k;
	}
}

void words_deadlock(const struct scenario *s, const struct worker_view *wv, int n_workers,
                    const struct cycle_link *c, int n, char *buf, size_t len)
{
	deadlock_say(&student, s, wv, n_workers, c, n, buf, len);
}

void words_deadlock_en(const struct scenario *s, const struct worker_view *wv,
                       int n_workers, const struct cycle_link *c, int n, char *buf,
                       size_t len)
{
	deadlock_say(&english, s, wv, n_workers, c, n, buf, len);
}
