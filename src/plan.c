/*
 * plan.c: a controlled run that follows a plan, a list of choices given
 * in advance (a --replay file), then goes on with its schedule (see
 * engine_options.plan in engine.h).
 *
 * The plan is followed by counting the choices the run makes: each one
 * passes through plan_note(), whether the plan made it, the student made
 * it by hand, or a rewind replayed it.  While they agree with the plan its
 * index moves on; the first that differs leaves it.  A rewind starts
 * counting again from the first choice, so stepping back to before the
 * point where a student left the plan takes it up again.
 */
#include "config.h"

#include <limits.h>
#include <stdio.h>

#include "engine_priv.h"
#include "i18n.h"

void plan_reset(struct engine *e)
{
	e->plan_i = 0;
	e->plan_left = 0;
	e->plan_broken = 0;
	e->plan_why[0] = 0;
}

static int following(const struct engine *e)
{
	return e->o.plan && !e->plan_left && !e->plan_broken && engine_controlled(e);
}

int plan_pending(const struct engine *e)
{
	return following(e) && e->plan_i < e->o.plan_len;
}

void plan_note(struct engine *e, int w, int kill)
{
	if (!plan_pending(e))
		return;   /* no plan, or it is over: what comes next is the schedule's */
	const struct engine_choice *c = &e->o.plan[e->plan_i];
	if (c->worker == w && c->kill == kill)
		e->plan_i++;
	else
		e->plan_left = 1;
}

/* The plan cannot be followed at its entry plan_i: say why, stop. */
static int broken(struct engine *e, const char *why, char *out, size_t outlen)
{
	e->plan_broken = 1;
	snprintf(e->plan_why, sizeof e->plan_why, "%s", why);
	snprintf(out, outlen, "%s", why);
	return -2;
}

int plan_kills(struct engine *e, char *why, size_t whylen)
{
	while (plan_pending(e) && e->o.plan[e->plan_i].kill) {
		int w = e->o.plan[e->plan_i].worker;
		char text[160];
		if (w < 0 || w >= e->n_workers) {
			snprintf(text, sizeof text, _("there is no worker %d"), w + 1);
			broken(e, text, why, whylen);
			return -1;
		}
		if (engine_kill_worker(e, w) < 0) {
			snprintf(text, sizeof text, _("%s cannot be killed: it has ended"),
			         e->wv[w].name);
			broken(e, text, why, whylen);
			return -1;
		}
	}
	return 0;
}

int plan_next(struct engine *e, char *why, size_t whylen)
{
	if (!plan_pending(e))
		return -1;
	int w = e->o.plan[e->plan_i].worker;
	char text[200];
	if (w < 0 || w >= e->n_workers) {
		snprintf(text, sizeof text, _("there is no worker %d"), w + 1);
		return broken(e, text, why, whylen);
	}
	if (e->wv[w].state != WS_READY) {
		char reason[100];
		if (e->wv[w].starting == 1)
			snprintf(reason, sizeof reason, _("its Process.start() is not over until %.3f s"),
			         (double)e->wv[w].wake_ms / 1000.0);
		else
			schedule_why_not(e, w, reason, sizeof reason);
		snprintf(text, sizeof text, _("%s cannot move: %s"), e->wv[w].name, reason);
		return broken(e, text, why, whylen);
	}
	return w;
}

long engine_plan_state(const struct engine *e, int *broken_out, int *left,
                       char *why, size_t whylen)
{
	if (broken_out)
		*broken_out = e->plan_broken;
	if (left)
		*left = e->plan_left;
	if (why && whylen)
		snprintf(why, whylen, "%s", e->plan_why);
	return e->o.plan ? e->plan_i : 0;
}

long engine_choices(const struct engine *e, struct engine_choice *out, long max)
{
	if (e->reach != LONG_MAX && e->reach < e->pic.view.steps)
		return -1;
	for (long i = 0; i < e->n_choices && i < max; i++)
		out[i] = (struct engine_choice){ e->choices[i].worker, e->choices[i].kill,
		                                 e->choices[i].at_step };
	return e->n_choices;
}
