/*
 * timeline.c: events in, a grid of cells out (see timeline.h).
 *
 * What a worker holds is followed the way the picture does it
 * (picture.c): an acquire counts one more, a release one less, and a Lock
 * or semaphore, which has no owner, may be released by another process:
 * then the count of whoever took it last goes down.  A worker that dies
 * keeps what it held (a Lock's count stays taken for ever: the lesson of
 * crash-in-lock), except a robust lock, which the kernel frees.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "i18n.h"
#include "kinds.h"
#include "timeline.h"
#include "words.h"

/* Which of a worker's events at one step its cell shows: the higher. */
static const unsigned char mark_rank[TL_MARK_COUNT] = {
	[TL_NONE] = 0, [TL_START] = 1, [TL_END] = 2, [TL_JUMP] = 3,
	[TL_REGISTER] = 3, [TL_READ] = 4, [TL_WRITE] = 4, [TL_ADD] = 4,
	[TL_SLEEP] = 4, [TL_PRINT] = 4, [TL_SET] = 4, [TL_CLEAR] = 4,
	[TL_NOTIFY] = 4, [TL_PUT] = 4, [TL_GET] = 4, [TL_PASSED] = 5,
	[TL_RELEASE] = 5, [TL_ACQUIRE] = 6, [TL_RECOVER] = 6, [TL_TIMEOUT] = 6,
	[TL_WAIT] = 7, [TL_ERROR] = 8, [TL_KILLED] = 9,
};

static const char mark_glyphs[TL_MARK_COUNT] = {
	[TL_NONE] = ' ', [TL_START] = '*', [TL_ACQUIRE] = 'A', [TL_RECOVER] = '@',
	[TL_RELEASE] = 'R', [TL_WAIT] = 'W', [TL_TIMEOUT] = 'T', [TL_PASSED] = 'P',
	[TL_READ] = 'r', [TL_WRITE] = 'w', [TL_ADD] = '+', [TL_SLEEP] = 'Z',
	[TL_PRINT] = 'p', [TL_SET] = 'S', [TL_CLEAR] = 'C', [TL_NOTIFY] = 'N',
	[TL_PUT] = '>', [TL_GET] = '<', [TL_REGISTER] = '=', [TL_JUMP] = 'j',
	[TL_ERROR] = 'E', [TL_END] = '|', [TL_KILLED] = 'X',
};

static const char *const mark_words[TL_MARK_COUNT] = {
	[TL_NONE] = "", [TL_START] = N_("starts"), [TL_ACQUIRE] = N_("acquires"),
	[TL_RECOVER] = N_("acquires a lock its dead holder left"),
	[TL_RELEASE] = N_("releases"), [TL_WAIT] = N_("must wait"),
	[TL_TIMEOUT] = N_("gives up waiting"), [TL_PASSED] = N_("its wait is over"),
	[TL_READ] = N_("reads"), [TL_WRITE] = N_("writes"), [TL_ADD] = N_("adds atomically"),
	[TL_SLEEP] = N_("sleeps"), [TL_PRINT] = N_("prints"), [TL_SET] = N_("sets an event"),
	[TL_CLEAR] = N_("clears an event"), [TL_NOTIFY] = N_("notifies"),
	[TL_PUT] = N_("puts or sends"), [TL_GET] = N_("gets or receives"),
	[TL_REGISTER] = N_("sets its register"), [TL_JUMP] = N_("goto"),
	[TL_ERROR] = N_("an error"), [TL_END] = N_("ends"), [TL_KILLED] = N_("dies"),
};

static const char fill_glyphs[TF_COUNT] = {
	[TF_ABSENT] = ' ', [TF_READY] = '.', [TF_WAITING] = '~', [TF_SLEEPING] = 'z',
	[TF_ENDED] = ' ',
};

static const char *const fill_words[TF_COUNT] = {
	[TF_ABSENT] = N_("not started"), [TF_READY] = N_("can go on"),
	[TF_WAITING] = N_("waiting"), [TF_SLEEPING] = N_("sleeping"), [TF_ENDED] = N_("ended"),
};

char timeline_mark_glyph(enum tl_mark m)
{
	return m < TL_MARK_COUNT ? mark_glyphs[m] : '?';
}

char timeline_fill_glyph(enum tl_fill f)
{
	return f < TF_COUNT ? fill_glyphs[f] : '?';
}

const char *timeline_mark_word(enum tl_mark m)
{
	return m < TL_MARK_COUNT ? mark_words[m] : "";
}

const char *timeline_fill_word(enum tl_fill f)
{
	return f < TF_COUNT ? fill_words[f] : "";
}

char timeline_hold_glyph(const struct timeline *tl, const struct tl_cell *c)
{
	if (c->hold == TL_HOLD_MANY)
		return '+';
	if (c->hold < 0 || c->hold >= tl->s->n_objects)
		return ' ';
	return tl->letter[(int)c->hold];
}

static int has_manager(const struct scenario *s)
{
	for (int i = 0; i < s->n_objects; i++)
		if (kind_is(s->objects[i].kind, KF_MANAGED))
			return 1;
	return 0;
}

struct timeline *timeline_new(const struct scenario *s, int n_workers, int n_cols)
{
	if (n_workers < 0 || n_cols < 1)
		return NULL;
	struct timeline *tl = calloc(1, sizeof *tl);
	if (!tl)
		return NULL;
	tl->s = s;
	tl->n_workers = n_workers;
	tl->manager_row = has_manager(s) ? n_workers : -1;
	tl->n_rows = n_workers + (tl->manager_row >= 0);
	tl->n_cols = n_cols;
	tl->cells = calloc((size_t)n_cols * (size_t)(tl->n_rows ? tl->n_rows : 1), sizeof *tl->cells);
	tl->rows = calloc((size_t)(tl->n_rows ? tl->n_rows : 1), sizeof *tl->rows);
	if (!tl->cells || !tl->rows) {
		timeline_free(tl);
		return NULL;
	}
	int k = 0;
	for (int i = 0; i < s->n_objects; i++)
		tl->letter[i] = !kind_is(s->objects[i].kind, KF_LOCKLIKE) ? ' '
		              : k < 26 ? (char)('a' + k++) : '?';
	timeline_reset(tl, 0);
	return tl;
}

void timeline_free(struct timeline *tl)
{
	if (!tl)
		return;
	free(tl->cells);
	free(tl->rows);
	free(tl);
}

void timeline_reset(struct timeline *tl, long first)
{
	tl->first = first < 0 ? 0 : first;
	tl->last = -1;
	tl->filled = -1;
	tl->deadlock_step = -1;
	tl->seen_from = -1;
	for (int r = 0; r < tl->n_rows; r++) {
		memset(&tl->rows[r], 0, sizeof tl->rows[r]);
		/* The manager serves from before the first worker starts. */
		tl->rows[r].fill = r == tl->manager_row ? TF_READY : TF_ABSENT;
		tl->rows[r].waits = -1;
	}
	for (int i = 0; i < SCENARIO_MAX_OBJECTS; i++)
		tl->last_taker[i] = -1;
}

static struct tl_cell *cell_at(struct timeline *tl, int row, long step)
{
	if (step < tl->first || step >= tl->first + tl->n_cols || row < 0 || row >= tl->n_rows)
		return NULL;
	return &tl->cells[(size_t)(step - tl->first) * (size_t)tl->n_rows + (size_t)row];
}

static int row_hold(const struct tl_row *r)
{
	if (r->n_held == 0)
		return TL_HOLD_NONE;
	if (r->n_held > 1)
		return TL_HOLD_MANY;
	for (int i = 0; i < SCENARIO_MAX_OBJECTS; i++)
		if (r->holds[i])
			return i;
	return TL_HOLD_NONE;
}

/* The cell shows the row's state as it is now. */
static void cell_state(struct tl_cell *c, const struct tl_row *r)
{
	c->fill = (unsigned char)r->fill;
	c->hold = (signed char)row_hold(r);
}

/* Give the window's columns up to step the states they had: a row with
 * no event at a step keeps its state through it. */
static void advance(struct timeline *tl, long step)
{
	long from = tl->filled + 1 > tl->first ? tl->filled + 1 : tl->first;
	long to = step < tl->first + tl->n_cols ? step : tl->first + tl->n_cols - 1;
	for (long s = from; s <= to; s++)
		for (int r = 0; r < tl->n_rows; r++) {
			struct tl_cell *c = cell_at(tl, r, s);
			c->mark = TL_NONE;
			c->obj = -1;
			cell_state(c, &tl->rows[r]);
		}
	if (step > tl->filled)
		tl->filled = step;
}

void timeline_slide(struct timeline *tl, long first)
{
	if (first <= tl->first)
		return;
	long keep = tl->first + tl->n_cols - first;   /* columns still inside */
	if (keep > 0) {
		size_t row_bytes = (size_t)tl->n_rows * sizeof *tl->cells;
		memmove(tl->cells, tl->cells + (size_t)(first - tl->first) * (size_t)tl->n_rows,
		        (size_t)keep * row_bytes);
	}
	tl->first = first;
}

static void hold_add(struct timeline *tl, int w, int obj, int n)
{
	struct tl_row *r = &tl->rows[w];
	int before = r->holds[obj] > 0;
	int now = r->holds[obj] + n;
	r->holds[obj] = (unsigned char)(now < 0 ? 0 : now > 255 ? 255 : now);
	r->n_held += (r->holds[obj] > 0) - before;
	/* Another row's hold may change too (a release of what it took):
	 * its cell at this step shows it. */
	struct tl_cell *c = cell_at(tl, w, tl->last);
	if (c && tl->filled >= tl->last)
		cell_state(c, r);
}

/* Whom a release of obj by w counts down (picture.c's counted_holder):
 * w when it took some, else (a Lock or semaphore, ownerless) who took it
 * last, else anyone who holds some. */
static int release_from(const struct timeline *tl, int w, int obj)
{
	if (tl->rows[w].holds[obj] || !kind_is(tl->s->objects[obj].kind, KF_COUNTING))
		return w;
	int last = tl->last_taker[obj];
	if (last >= 0 && tl->rows[last].holds[obj])
		return last;
	for (int h = 0; h < tl->n_workers; h++)
		if (tl->rows[h].holds[obj])
			return h;
	return w;
}

/* An ended worker lets go what a process's end lets go: a finished one
 * everything but an RLock (it keeps its ended owner); a dead one only a
 * robust lock (the kernel frees it; a Lock's count stays taken). */
static void ended(struct timeline *tl, int w, int finished)
{
	struct tl_row *r = &tl->rows[w];
	r->fill = TF_ENDED;
	r->waits = -1;
	for (int obj = 0; obj < tl->s->n_objects; obj++) {
		int k = tl->s->objects[obj].kind;
		int owned = kind_is(k, KF_OWNED) && !kind_is(k, KF_ROBUST);
		if (r->holds[obj] && (finished ? !owned : kind_is(k, KF_ROBUST)))
			hold_add(tl, w, obj, -r->holds[obj]);
	}
}

static void took(struct timeline *tl, int w, int obj, int recovered)
{
	if (recovered)   /* the dead holder's hold is over */
		for (int h = 0; h < tl->n_workers; h++)
			if (h != w && tl->rows[h].holds[obj])
				hold_add(tl, h, obj, -tl->rows[h].holds[obj]);
	hold_add(tl, w, obj, 1);
	tl->last_taker[obj] = w;
}

static int valid_obj(const struct timeline *tl, int obj)
{
	return obj >= 0 && obj < tl->s->n_objects;
}

/* A worker's event: its new state, and its mark. */
static enum tl_mark apply(struct timeline *tl, int w, const struct event *ev)
{
	struct tl_row *r = &tl->rows[w];
	int obj = valid_obj(tl, ev->object) ? ev->object : -1;
	enum tl_fill after = TF_READY;
	enum tl_mark m = TL_NONE;
	switch (ev->kind) {
	case EV_START: m = TL_START; break;
	case EV_WAIT: m = TL_WAIT; after = TF_WAITING; break;
	case EV_ACQUIRED: m = TL_ACQUIRE; break;
	case EV_RECOVERED: m = TL_RECOVER; break;
	case EV_RELEASED: m = TL_RELEASE; break;
	case EV_LOAD: m = TL_READ; break;
	case EV_STORE: m = TL_WRITE; break;
	case EV_ADD: m = TL_ADD; break;
	case EV_SLEEP: m = TL_SLEEP; after = TF_SLEEPING; break;
	case EV_WAKE: break;
	case EV_PRINT: m = TL_PRINT; break;
	case EV_ERROR: m = TL_ERROR; after = r->fill; break;
	case EV_TIMEOUT: m = TL_TIMEOUT; break;
	case EV_SET: m = TL_SET; break;
	case EV_CLEAR: m = TL_CLEAR; break;
	case EV_PASSED: m = TL_PASSED; break;
	case EV_NOTIFY: m = TL_NOTIFY; break;
	case EV_PUT: m = TL_PUT; break;
	case EV_GET: m = TL_GET; break;
	case EV_REGISTER: m = TL_REGISTER; break;
	case EV_JUMP: m = TL_JUMP; break;
	case EV_EXIT: ended(tl, w, 1); return TL_END;
	case EV_KILLED: ended(tl, w, 0); return TL_KILLED;
	default: return TL_NONE;
	}
	if ((m == TL_ACQUIRE || m == TL_RECOVER) && obj >= 0)
		took(tl, w, obj, m == TL_RECOVER);
	else if (m == TL_RELEASE && obj >= 0)
		hold_add(tl, release_from(tl, w, obj), obj, -1);
	if (r->fill != TF_ENDED)
		r->fill = after;
	r->waits = after == TF_WAITING ? obj : -1;
	return m;
}

/* The manager's row: what it served (get, set, add). */
static enum tl_mark served(const struct event *ev)
{
	return ev->extra == 0 ? TL_READ : ev->extra == 1 ? TL_WRITE : TL_ADD;
}

static void put_mark(struct timeline *tl, int row, long step, enum tl_mark m, int obj)
{
	struct tl_cell *c = cell_at(tl, row, step);
	if (!c)
		return;
	if (m != TL_NONE && mark_rank[m] >= mark_rank[c->mark]) {
		c->mark = (unsigned char)m;
		c->obj = (signed char)obj;
	}
	cell_state(c, &tl->rows[row]);
}

void timeline_add(struct timeline *tl, const struct event *ev)
{
	long step = ev->step < tl->last ? tl->last : ev->step;
	if (tl->seen_from < 0)
		tl->seen_from = step;
	advance(tl, step);
	tl->last = step;
	if (ev->kind == EV_DEADLOCK) {
		tl->deadlock_step = step;
		return;
	}
	int obj = valid_obj(tl, ev->object) ? ev->object : -1;
	if (ev->kind == EV_REQUEST) {
		if (tl->manager_row >= 0)
			put_mark(tl, tl->manager_row, step, served(ev), obj);
		return;
	}
	if (ev->worker < 0 || ev->worker >= tl->n_workers)
		return;
	enum tl_mark m = apply(tl, ev->worker, ev);
	put_mark(tl, ev->worker, step, m, obj);
}

void timeline_finish(struct timeline *tl, const struct engine_view *v)
{
	if (tl->last >= 0)
		advance(tl, tl->last);
	for (int r = 0; r < tl->n_rows; r++)
		tl->rows[r].cycle = 0;
	if (!v || v->outcome != RUN_DEADLOCK)
		return;
	for (int i = 0; i < v->cycle_len; i++) {
		const struct cycle_link *l = &v->cycle[i];
		if (l->worker < 0 || l->worker >= tl->n_workers)
			continue;
		tl->rows[l->worker].cycle = 1;
		tl->rows[l->worker].cycle_holds = l->holds;
		tl->rows[l->worker].cycle_waits = l->waits;
	}
}

const struct tl_cell *timeline_cell(const struct timeline *tl, int row, long step)
{
	if (step > tl->last || step > tl->filled)
		return NULL;
	return cell_at((struct timeline *)tl, row, step);
}

long timeline_window_end(const struct timeline *tl)
{
	long end = tl->first + tl->n_cols - 1;
	return tl->last < end ? tl->last : end;
}

void timeline_cycle_words(const struct timeline *tl, int row, char *buf, size_t len)
{
	const struct scenario *s = tl->s;
	int h = tl->rows[row].cycle_holds, w = tl->rows[row].cycle_waits;
	const char *waits = w >= 0 && w < s->n_objects ? s->objects[w].name : "?";
	if (h >= 0 && h < s->n_objects)
		snprintf(buf, len, _("in the cycle: holds %s, waits for %s"), s->objects[h].name,
		         waits);
	else   /* its lock's holder died: it holds nothing of the cycle */
		snprintf(buf, len, _("in the cycle: waits for %s"), waits);
}

const char *timeline_row_name(const struct timeline *tl, const struct engine_view *v, int row)
{
	if (row == tl->manager_row)
		return "manager";
	if (v && row >= 0 && row < v->n_workers)
		return v->workers[row].name;
	return "?";
}

/* ---- the legend ---------------------------------------------------------- */

struct legend_line {
	FILE *f;
	const char *indent;
	int width, at;
};

/* One "G words" entry, on this line or the next. */
static void legend_item(struct legend_line *l, char glyph, const char *words)
{
	int need = 2 + words_width(words);
	int first = l->at == 0;
	if (!first && l->at + 2 + need > l->width) {
		fputc('\n', l->f);
		first = 1;
	}
	if (first) {
		fputs(l->indent, l->f);
		l->at = words_width(l->indent);
	} else {
		fputs("  ", l->f);
		l->at += 2;
	}
	fprintf(l->f, "%c %s", glyph, words);
	l->at += need;
}

void timeline_used(const struct timeline *tl, long from, long to, struct tl_used *u)
{
	for (int r = 0; r < tl->n_rows; r++) {
		u->cycle |= tl->rows[r].cycle;
		for (long s = from; s <= to; s++) {
			const struct tl_cell *c = timeline_cell(tl, r, s);
			if (!c)
				continue;
			if (c->mark != TL_NONE)
				u->marks |= 1u << c->mark;
			else
				u->fills |= 1u << c->fill;
			if (c->hold >= 0)
				u->holds |= 1u << c->hold;
			else if (c->hold == TL_HOLD_MANY)
				u->several = 1;
		}
	}
}

void timeline_legend(FILE *f, const struct timeline *tl, const struct tl_used *u, int width,
                     const char *indent)
{
	struct legend_line l = { f, indent, width, 0 };
	for (int m = TL_NONE + 1; m < TL_MARK_COUNT; m++)
		if (u->marks & (1u << m))
			legend_item(&l, mark_glyphs[m], _(mark_words[m]));
	for (int fl = TF_READY; fl < TF_ENDED; fl++)
		if (u->fills & (1u << fl))
			legend_item(&l, fill_glyphs[fl], _(fill_words[fl]));
	for (int obj = 0; obj < tl->s->n_objects; obj++)
		if (u->holds & (1u << obj)) {
			char words[SCENARIO_MAX_NAME + 64];
			snprintf(words, sizeof words, _("holds %s"), tl->s->objects[obj].name);
			legend_item(&l, tl->letter[obj], words);
		}
	if (u->several)
		legend_item(&l, '+', _("holds several"));
	if (u->cycle)
		legend_item(&l, TL_CYCLE_GLYPH, _("in the deadlock's cycle"));
	if (l.at > 0)
		fputc('\n', f);
}
