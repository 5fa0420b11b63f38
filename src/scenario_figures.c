/*
 * scenario_figures.c: the scenario's `big` key, the figures the projector
 * (--big) shows: "started", "finished", "waiting", "time", or an object's
 * figure, OBJECT or OBJECT.FIELD, where the field must suit the object's
 * kind (a value: value, lost, highest; a lock or semaphore: taken,
 * peak).  Read once every object is known (see scenario_priv.h).
 */
#include <stdio.h>
#include <string.h>

#include "i18n.h"
#include "scenario.h"
#include "scenario_priv.h"

static const struct {
	const char *word;
	enum figure_what what;
	int of_object;     /* 1: OBJECT.word; 0: the word alone */
} figure_words[] = {
	{ "value", FIG_VALUE, 1 }, { "lost", FIG_LOST, 1 },
	{ "highest", FIG_HIGHEST, 1 }, { "taken", FIG_TAKEN, 1 },
	{ "peak", FIG_PEAK, 1 }, { "started", FIG_STARTED, 0 },
	{ "finished", FIG_FINISHED, 0 }, { "waiting", FIG_WAITING, 0 },
	{ "time", FIG_TIME, 0 },
};
#define N_WORDS (sizeof figure_words / sizeof figure_words[0])

/* The field suits the kind: values count, locks and semaphores hold. */
static int figure_suits(enum figure_what what, enum object_kind kind)
{
	enum kind_show show = kind_info(kind)->show;
	if (what == FIG_VALUE || what == FIG_LOST || what == FIG_HIGHEST)
		return show == KS_VALUE;
	return show == KS_LOCK || show == KS_SEMAPHORE;
}

static int find_object(const struct scenario *s, const char *name, size_t len)
{
	for (int i = 0; i < s->n_objects; i++)
		if (strlen(s->objects[i].name) == len && !strncmp(s->objects[i].name, name, len))
			return i;
	return -1;
}

static int load_figure(struct load_ctx *c, struct scenario *s, const char *text,
		       yaml_node_t *n, struct scenario_figure *f)
{
	char q[96], names[256];
	const char *dot = strchr(text, '.');
	size_t len = dot ? (size_t)(dot - text) : strlen(text);
	const char *field = dot ? dot + 1 : "value";
	for (size_t w = 0; !dot && w < N_WORDS; w++)
		if (!figure_words[w].of_object && !strcmp(text, figure_words[w].word)) {
			*f = (struct scenario_figure){ figure_words[w].what, -1 };
			return 0;
		}
	doc_quote(q, sizeof q, text, strlen(text));
	f->object = find_object(s, text, len);
	if (f->object < 0) {
		load_objects_text(names, sizeof names, s);
		load_error_node(c, n, _("'big': %s is not started, finished, waiting, "
				"time or an object (%s)"), q, names);
		return -1;
	}
	enum object_kind kind = s->objects[f->object].kind;
	for (size_t w = 0; w < N_WORDS; w++)
		if (figure_words[w].of_object && !strcmp(field, figure_words[w].word) &&
		    figure_suits(figure_words[w].what, kind)) {
			f->what = figure_words[w].what;
			return 0;
		}
	load_error_node(c, n, _("'big': %s: the figures of a %s are %s"), q,
			object_kind_name(kind),
			kind_info(kind)->show == KS_VALUE ? _("value, lost or highest")
			: figure_suits(FIG_TAKEN, kind) ? _("taken or peak") : _("no figure"));
	return -1;
}

int load_figures(struct load_ctx *c, struct scenario *s, const struct raw_scenario *raw)
{
	yaml_node_t *seq = doc_get(c, doc_root(c), "big");
	for (unsigned i = 0; i < raw->big_count && i < SCENARIO_MAX_FIGURES; i++) {
		if (load_figure(c, s, raw->big[i], doc_item(c, seq, i), &s->figures[i]) < 0)
			return -1;
		s->n_figures++;
	}
	return 0;
}
