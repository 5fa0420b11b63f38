/*
 * tally.c: the spread of many runs' results (see tally.h).
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "i18n.h"
#include "kinds.h"
#include "tally.h"
#include "trace.h"
#include "words.h"

#define TALLY_BAR 40       /* the --runs histogram's longest bar, in columns */
#define TALLY_ROWS 20      /* more distinct values than this: ranges */

static int controlled(const struct tally *t)
{
	return t->engine.schedule != SCHED_OS;
}

int tally_init(struct tally *t, const struct scenario *s, const struct engine_options *o)
{
	memset(t, 0, sizeof *t);
	t->s = s;
	t->engine = *o;
	int n = 0;
	for (int i = 0; i < s->n_objects; i++)
		if (kind_is(s->objects[i].kind, KF_VALUELIKE))
			n += s->objects[i].n_elems;
	t->el = calloc((size_t)n + 1, sizeof *t->el);
	if (!t->el)
		return -1;
	for (int i = 0; i < s->n_objects; i++) {
		const struct scenario_object *so = &s->objects[i];
		if (!kind_is(so->kind, KF_VALUELIKE))
			continue;
		for (int k = 0; k < so->n_elems; k++) {
			struct tally_elem *el = &t->el[t->n_el++];
			el->obj = i;
			el->index = k;
			kind_elem_name(so->kind, so->name, k, so->elems[k].key, el->name,
			               sizeof el->name);
		}
	}
	return 0;
}

void tally_free(struct tally *t)
{
	for (int k = 0; k < t->n_el; k++)
		free(t->el[k].t);
	free(t->el);
	t->el = NULL;
	t->n_el = 0;
}

uint64_t tally_seed(const struct tally *t, long i)
{
	return t->engine.seed + (uint64_t)i;
}

/* Count value once more for el, keeping the counts sorted. */
static int count_value(struct tally_elem *el, long value, uint64_t seed)
{
	int lo = 0, hi = el->n;
	while (lo < hi) {
		int mid = (lo + hi) / 2;
		if (el->t[mid].value < value)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo < el->n && el->t[lo].value == value) {
		el->t[lo].count++;
		return 0;
	}
	if (el->n == el->cap) {
		int cap = el->cap ? el->cap * 2 : 16;
		struct tally_count *c = realloc(el->t, (size_t)cap * sizeof *c);
		if (!c)
			return -1;
		el->t = c;
		el->cap = cap;
	}
	memmove(&el->t[lo + 1], &el->t[lo], (size_t)(el->n - lo) * sizeof *el->t);
	el->t[lo] = (struct tally_count){ value, 1, seed };
	el->n++;
	return 0;
}

int tally_add(struct tally *t, const struct engine_view *v, uint64_t seed)
{
	for (int k = 0; k < t->n_el; k++) {
		struct tally_elem *el = &t->el[k];
		if (count_value(el, v->objects[el->obj].elems[el->index], seed) < 0)
			return -1;
	}
	if (v->outcome >= 0 && v->outcome <= RUN_STOPPED)
		t->outcomes[v->outcome]++;
	t->done++;
	return 0;
}

static void outcomes_line(FILE *f, const struct tally *t)
{
	fprintf(f, "%s", _("  outcomes  "));
	for (int k = RUN_FINISHED; k < RUN_STOPPED; k++)
		if (t->outcomes[k])
			fprintf(f, _(" %s %ld"), words_outcome((enum run_outcome)k), t->outcomes[k]);
	fprintf(f, "\n");
}

static void text_head(FILE *f, const struct tally *t)
{
	const struct engine_options *o = &t->engine;
	fprintf(f, _("== %s: %ld runs ==\n"), t->s->id, t->done);
	if (controlled(t))
		fprintf(f, _("  schedule   %s, seeds %llu to %llu, one per run\n"),
		        words_schedule(o->schedule), (unsigned long long)o->seed,
		        (unsigned long long)tally_seed(t, t->done ? t->done - 1 : 0));
	else
		fprintf(f, "%s", _("  schedule   os (the kernel interleaves: each run is a new one)\n"));
	if (o->schedule == SCHED_RANDOM && o->switch_p < 1) {
		char p[16];
		trace_switch_text(o->switch_p, p, sizeof p);
		fprintf(f, _("  switch     %s (the chance that a step may switch workers)\n"), p);
	}
	outcomes_line(f, t);
}

/* How a histogram's rows are laid out. */
struct layout {
	int label_w, bar_w, count_w;
	int seeds;              /* each row says the --seed that gives it */
};

/* One histogram row: label, bar, count, and where to see it again. */
static void row(FILE *f, const struct tally *t, const struct layout *l, const char *label,
                long count, long most, const struct tally_count *c)
{
	char bar[TALLY_BAR + 1];
	long len = most ? (count * l->bar_w + most - 1) / most : 0;
	memset(bar, '#', (size_t)len);
	bar[len] = '\0';
	fprintf(f, "  %*s  %-*s %*ld", l->label_w, label, l->bar_w, bar, l->count_w, count);
	if (c && l->seeds && controlled(t)) {
		fprintf(f, _("   first with --seed=%llu"), (unsigned long long)c->seed);
		if (t->engine.schedule == SCHED_RANDOM && t->engine.switch_p < 1) {
			char p[16];
			trace_switch_text(t->engine.switch_p, p, sizeof p);
			fprintf(f, " --switch=%s", p);
		}
	}
	fprintf(f, "\n");
}

/* The rows of el: one per value when there are few, else TALLY_ROWS
 * ranges of equal width, so the shape still fits a screen.  Fills
 * counts and labels (TALLY_ROWS + 1 of each at most); returns how many. */
static int rows_of(const struct tally_elem *el, long *counts, char (*labels)[48],
                   const struct tally_count **first)
{
	if (el->n <= TALLY_ROWS) {
		for (int i = 0; i < el->n; i++) {
			counts[i] = el->t[i].count;
			first[i] = &el->t[i];
			snprintf(labels[i], sizeof labels[i], "%ld", el->t[i].value);
		}
		return el->n;
	}
	long lo = el->t[0].value, hi = el->t[el->n - 1].value;
	long width = (hi - lo) / TALLY_ROWS + 1;
	memset(counts, 0, (TALLY_ROWS + 1) * sizeof *counts);
	for (int i = 0; i < el->n; i++)
		counts[(el->t[i].value - lo) / width] += el->t[i].count;
	int n = 0;
	for (int b = 0; b <= TALLY_ROWS && lo + b * width <= hi; b++, n++) {
		first[b] = NULL;
		snprintf(labels[b], sizeof labels[b], "%ld..%ld", lo + b * width,
		         lo + (b + 1) * width - 1);
	}
	return n;
}

static void histogram(FILE *f, const struct tally *t, const struct tally_elem *el, int width)
{
	long counts[TALLY_ROWS + 1], most = 0;
	char labels[TALLY_ROWS + 1][48];
	const struct tally_count *first[TALLY_ROWS + 1];
	int n = rows_of(el, counts, labels, first);
	struct layout l = { 12, TALLY_BAR, 6, 1 };
	if (width > 0) {   /* fit the panel: as wide as the labels and counts are */
		char num[24];
		l.label_w = 1;
		for (int i = 0; i < n; i++)
			l.label_w = (int)strlen(labels[i]) > l.label_w ? (int)strlen(labels[i]) : l.label_w;
		l.count_w = snprintf(num, sizeof num, "%ld", t->done);
		l.bar_w = width - 2 - l.label_w - 2 - 1 - l.count_w;
		l.bar_w = l.bar_w < 1 ? 1 : l.bar_w > TALLY_BAR ? TALLY_BAR : l.bar_w;
		l.seeds = 0;
	}
	for (int i = 0; i < n; i++)
		most = counts[i] > most ? counts[i] : most;
	for (int i = 0; i < n; i++)
		row(f, t, &l, labels[i], counts[i], most, first[i]);
}

void tally_print_text(FILE *f, const struct tally *t, int width)
{
	if (width > 0)
		outcomes_line(f, t);   /* a panel: its title says the rest */
	else
		text_head(f, t);
	for (int k = 0; k < t->n_el && t->done; k++) {
		const struct tally_elem *el = &t->el[k];
		const struct scenario_elem *se = &t->s->objects[el->obj].elems[el->index];
		if (se->has_expect)
			fprintf(f, _("  %s: final value in %ld runs (expected %ld)\n"), el->name, t->done,
			        se->expect);
		else
			fprintf(f, _("  %s: final value in %ld runs\n"), el->name, t->done);
		histogram(f, t, el, width);
	}
}

void tally_print_json(FILE *f, const struct tally *t)
{
	const struct engine_options *o = &t->engine;
	fprintf(f, "{\"type\":\"runs\",\"scenario\":");
	trace_json_string(f, t->s->id);
	char p[16];
	trace_switch_text(o->switch_p > 0 ? o->switch_p : 1, p, sizeof p);
	fprintf(f, ",\"schedule\":\"%s\",\"seed\":%llu,\"switch\":%s,\"runs\":%ld,\"outcomes\":{",
	        schedule_name(o->schedule), (unsigned long long)o->seed, p, t->done);
	for (int k = RUN_FINISHED; k < RUN_STOPPED; k++)
		fprintf(f, "%s\"%s\":%ld", k == RUN_FINISHED ? "" : ",",
		        outcome_name((enum run_outcome)k), t->outcomes[k]);
	fprintf(f, "},\"values\":{");
	for (int k = 0; k < t->n_el; k++) {
		const struct tally_elem *el = &t->el[k];
		fprintf(f, "%s", k ? "," : "");
		trace_json_string(f, el->name);
		fprintf(f, ":{");
		for (int i = 0; i < el->n; i++)
			fprintf(f, "%s\"%ld\":%ld", i ? "," : "", el->t[i].value, el->t[i].count);
		fprintf(f, "}");
	}
	fprintf(f, "}}\n");
}
