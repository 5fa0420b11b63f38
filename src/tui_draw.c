/*
 * tui_draw.c: one frame: the header, the layout of the panes, the status
 * line and the key bar, and the message for a terminal that is too small.
 *
 * The layout is recomputed from LINES x COLS on every frame, so a resize
 * at any moment only needs a redraw.  Left column: workers, then shared
 * objects (the state of the run).  Right column: Python source, lesson
 * page, event log (what it means).  --big puts the block-digit panel above
 * both, full width.
 */
#include <stdio.h>
#include <string.h>

#include "trace.h"
#include "tui_priv.h"
#include "words.h"

static void tui_draw_small(const struct tui *t, int w, int h)
{
	char line[128];
	const char *x_ = tui_glyph(t, G_TIMES);
	snprintf(line, sizeof line, _("enlarge the terminal to %d%s%d (now %d%s%d)"),
	         TUI_MIN_W, x_, TUI_MIN_H, w, x_, h);
	int len = tui_width(line);
	int x = len < w ? (w - len) / 2 : 0;
	tui_put(h / 2, x, w - x, EL_MSG, line);
	if (h / 2 + 1 < h)
		tui_put(h / 2 + 1, w > 8 ? (w - 8) / 2 : 0, w, EL_DIM, _("q: quit"));
}

/* How a run ended, in the student's language (outcome_name() is the
 * JSON's English word). */
const char *tui_outcome_word(enum run_outcome o)
{
	switch (o) {
	case RUN_FINISHED: return _("finished");
	case RUN_DEADLOCK: return _("deadlock");
	case RUN_TIMEOUT:  return _("timeout");
	case RUN_STOPPED:  return _("stopped");
	default:           return _("running");
	}
}

/* Title on the left, the run's numbers on the right; when they do not
 * both fit, the seed and then the program name give way to the title. */
static void draw_header(struct tui *t, const struct engine_view *v)
{
	tui_fill(0, 0, COLS, EL_HEADER);
	const char *sep = tui_glyph(t, G_MIDDOT);
	const char *state;
	enum tui_el sel = EL_HEADER;
	switch (v->outcome) {
	case RUN_FINISHED: state = tui_outcome_word(v->outcome); sel = EL_GOOD; break;
	case RUN_DEADLOCK: state = tui_outcome_word(v->outcome); sel = EL_CYCLE; break;
	case RUN_TIMEOUT:
	case RUN_STOPPED:  state = tui_outcome_word(v->outcome); sel = EL_BAD; break;
	default:
		state = v->schedule == SCHED_OS ? _("live") : t->running ? _("running") : _("paused");
	}
	char speed[32], seed[64] = "", right[256], clock[48], steps[48];
	double sp = v->schedule == SCHED_OS ? t->eopt.speed : tui_speeds[t->speed_i];
	if (sp < 1)
		snprintf(speed, sizeof speed, "1/%gx", 1 / sp);
	else
		snprintf(speed, sizeof speed, "%gx", sp);
	const char *title = tui_lang(t, &t->sc->title);
	int tw = tui_width(title);
	for (int pass = 0; pass < 2; pass++) {
		if (pass == 0 && v->schedule != SCHED_OS) {
			int n = snprintf(seed, sizeof seed, _(" seed %llu"), (unsigned long long)v->seed);
			if (v->schedule == SCHED_RANDOM && v->switch_p < 1) {
				char p[16];
				trace_switch_text(v->switch_p, p, sizeof p);
				snprintf(seed + n, sizeof seed - (size_t)n, _(" switch %s"), p);
			}
		} else
			seed[0] = 0;
		snprintf(clock, sizeof clock, _("t %ld.%03lds"), v->clock_ms / 1000, v->clock_ms % 1000);
		snprintf(steps, sizeof steps, _("step %ld"), v->steps);
		snprintf(right, sizeof right, " %s %s%s %s %s %s %s %s %s ", sep,
		         words_schedule(v->schedule), seed, sep, speed, sep, clock, sep, steps);
		if (tui_width(right) + tui_width(state) + 2 + tw + 1 <= COLS)
			break;
	}
	int rw = tui_width(right) + tui_width(state) + 2;
	int x = 0;
	if (10 + tw + rw <= COLS)
		x = tui_put(0, 0, COLS, EL_HEADER, " lockstep ");
	else
		x = tui_put(0, 0, COLS, EL_HEADER, " ");
	int title_w = COLS - x - rw;
	if (title_w > 0)
		tui_put(0, x, title_w, EL_HEADER, title);
	int rx = COLS - rw;
	if (rx < x)
		rx = x;
	rx += tui_put(0, rx, COLS - rx, EL_HEADER, right);
	tui_putf(0, rx, COLS - rx, sel, " %s ", state);
}

/* The status line's text and element: the last message, else a hint for
 * where the run is. */
static const char *status_text(struct tui *t, const struct engine_view *v, char *hint,
                               size_t len, enum tui_el *el)
{
	*el = EL_DIM;
	if (t->msg[0]) {
		*el = t->msg_el;
		return t->msg;
	}
	if (v->outcome == RUN_DEADLOCK)
		snprintf(hint, len,
		         _("Deadlock: k kills the selected worker (%s) and the rest go on; g: wait-for graph"),
		         tui_worker_name(v, t->sel));
	else if (v->outcome == RUN_FINISHED)
		snprintf(hint, len, "%s", _("Finished. R: run again   b: step back   n: a new interleaving"));
	else if (v->outcome != RUN_RUNNING)
		snprintf(hint, len, _("Stopped (%s). R: run again"), tui_outcome_word(v->outcome));
	else if (v->schedule == SCHED_OS)
		snprintf(hint, len,
		         "%s", _("os schedule: the kernel runs the workers by itself. Watch, or s: a controlled schedule"));
	else if (t->running)
		snprintf(hint, len, "%s", _("Running. r: pause   + -: speed"));
	else
		snprintf(hint, len,
		         _("Paused at step %ld. space: step   1-9: step that worker   r: run   ?: help"),
		         v->steps);
	return hint;
}

/* Rows the status line needs: a long message wraps onto a second row
 * rather than being cut (at 80 columns most do). */
static int status_rows(struct tui *t, const struct engine_view *v)
{
	char hint[256];
	enum tui_el el;
	struct tui_line lines[2];
	return tui_wrap(status_text(t, v, hint, sizeof hint, &el), COLS - 1, lines, 2) > 1 ? 2 : 1;
}

static void draw_status(struct tui *t, const struct engine_view *v, int y, int rows)
{
	char hint[256];
	enum tui_el el;
	struct tui_line lines[2];
	int n = tui_wrap(status_text(t, v, hint, sizeof hint, &el), COLS - 1, lines, 2);
	for (int i = 0; i < n && i < rows; i++)
		tui_putn(y + i, 1, COLS - 1, el, lines[i].s, lines[i].n);
}

/* The cycle in one line under the header, so nobody misses it. */
static void draw_deadlock_banner(struct tui *t, const struct engine_view *v, int y)
{
	tui_fill(y, 0, COLS, EL_CYCLE);
	const char *arrow = tui_glyph(t, G_ARROW);
	int x = tui_putf(y, 0, COLS, EL_CYCLE, " %s ", _("DEADLOCK:"));
	for (int i = 0; i < v->cycle_len && x < COLS; i++) {
		const struct cycle_link *l = &v->cycle[i];
		int o = l->waits;
		x += tui_putf(y, x, COLS - x, EL_CYCLE, "%s %s %s %s ",
		              tui_worker_name(v, l->worker), arrow,
		              o >= 0 && o < v->scenario->n_objects ? v->scenario->objects[o].name : "?",
		              arrow);
	}
	if (v->cycle_len > 0)
		x += tui_put(y, x, COLS - x, EL_CYCLE, tui_worker_name(v, v->cycle[0].worker));
	else
		x += tui_put(y, x, COLS - x, EL_CYCLE, _("every live worker is blocked"));
	tui_putf(y, x, COLS - x, EL_CYCLE, "   %s", _("(k: kill a victim)"));
}

static int min_i(int a, int b) { return a < b ? a : b; }
static int max_i(int a, int b) { return a > b ? a : b; }

static void draw_panes(struct tui *t, const struct engine_view *v, int top, int bh);

static void draw_scenario(struct tui *t)
{
	tui_goals_check(t);   /* whatever moved the run: a step, a kill, the os schedule */
	const struct engine_view *v = engine_view(t->eng);
	if (t->sel >= v->n_workers)
		t->sel = v->n_workers - 1;
	if (t->sel < 0)
		t->sel = 0;
	int nkeys;
	const struct tui_key *keys = tui_keytab(&nkeys);
	int kb = tui_keybar_rows(keys, nkeys);
	draw_header(t, v);
	int sr = status_rows(t, v);
	int top = 1, bottom = LINES - sr - kb;   /* body is rows [top, bottom) */
	if (v->outcome == RUN_DEADLOCK)
		draw_deadlock_banner(t, v, top++);
	top += tui_goal_banner(t, top);
	if (t->big) {
		int bh = min_i(tui_big_height(t, v, COLS), bottom - top - 8);
		if (bh > 0) {
			tui_draw_big(t, v, (struct rect){ top, 0, bh, COLS });
			top += bh;
		}
	}
	if (t->columns && !t->timeline && tui_columns_fit(t, v)) {
		int ch = tui_columns_height(t, v, (bottom - top) / 2);
		tui_draw_columns(t, v, (struct rect){ top, 0, ch, COLS });
		top += ch;
	}
	if (t->timeline)
		tui_draw_timeline(t, v, (struct rect){ top, 0, bottom - top, COLS });
	else
		draw_panes(t, v, top, bottom - top);
	draw_status(t, v, bottom, sr);
	tui_draw_keybar(keys, nkeys, kb);

	if (t->overlay == OV_HELP)
		tui_draw_help(t);
	else if (t->overlay == OV_GRAPH)
		tui_draw_graph(t, v);
}

/* The panes, in rows [top, top + bh). */
static void draw_panes(struct tui *t, const struct engine_view *v, int top, int bh)
{
	/* Left: workers, then the objects.  The left column takes what the
	 * worker list wants, within bounds: a grid of many workers needs
	 * little width, a list needs its columns. */
	int oh = min_i(tui_objects_height(t, v, 0), max_i(bh - 4, 1));
	int lw = COLS >= 140 ? COLS * 45 / 100 : COLS * 52 / 100;
	int list = v->n_workers <= bh - oh - 1;
	if (list)
		lw = max_i(lw, min_i(tui_workers_width(v), COLS * 58 / 100));
	int rw = COLS - lw - 1, rx = lw + 1;
	int wh = list ? min_i(v->n_workers + 2, bh - oh) : tui_workers_height(v, lw, bh - oh);
	/* A tall screen has room left under them: the lesson goes there, and
	 * the right column keeps the source and the log. */
	int left_rest = bh - wh - oh;
	int page_left = t->sc->n_pages > 0 && left_rest >= 8;
	if (!page_left)
		wh = bh - oh;
	tui_draw_workers(t, v, (struct rect){ top, 0, wh, lw });
	tui_draw_objects(t, v, (struct rect){ top + wh, 0, oh, lw });
	if (page_left)
		tui_draw_page(t, (struct rect){ top + wh + oh + 1, 0, left_rest - 1, lw });

	/* Right: source, lesson page (unless it went left), event log. */
	int sh = min_i(tui_source_height(t), bh * (page_left ? 60 : 45) / 100);
	if (sh < 3)
		sh = min_i(tui_source_height(t), 3);
	if (t->runs)   /* many runs (m): their histogram is what the class looks at */
		sh = min_i(sh, max_i(3, bh - tui_summary_height(t, v, rw) - 3));
	int rest = bh - sh;
	/* The goals are about the lesson's own run: while many runs (m) are
	 * shown, their histogram takes the room. */
	int gh = t->runs ? 0 : min_i(tui_goals_height(t), max_i(rest - 8, 0));
	rest -= gh;
	/* Once the run has ended its result comes first: it is what the
	 * lesson was about (6 people in 4 rooms, 99 updates lost). */
	int uh = min_i(tui_summary_height(t, v, rw), max_i(page_left ? rest - 4 : rest / 2, 4));
	if (t->runs)   /* many runs (m): their histogram is what the class looks at */
		uh = min_i(tui_summary_height(t, v, rw), max_i(rest - 3, 4));
	rest -= uh;
	int ph = 0;
	if (t->sc->n_pages > 0 && !page_left) {
		struct tui_line lines[256];
		int n = tui_wrap(tui_lang(t, &t->sc->pages[min_i(t->page, t->sc->n_pages - 1)]),
		                 rw - 2, lines, 256);
		ph = min_i(n + 1, rest - 4);
		if (ph < 3)
			ph = min_i(3, rest - 2);
	}
	if (sh > 0)
		tui_draw_source(t, v, (struct rect){ top, rx, sh, rw });
	if (gh > 0)
		tui_draw_goals(t, (struct rect){ top + sh, rx, gh, rw });
	sh += gh;   /* the panes below start under the goals */
	if (uh > 0)
		tui_draw_summary(t, v, (struct rect){ top + sh, rx, uh, rw });
	if (ph > 0)
		tui_draw_page(t, (struct rect){ top + sh + uh, rx, ph, rw });
	tui_draw_log(t, (struct rect){ top + sh + uh + ph, rx, bh - sh - uh - ph, rw });
}

void tui_draw(struct tui *t)
{
	erase();
	tui_theme_projector(t->big && t->sc != NULL);
	if (COLS < TUI_MIN_W || LINES < TUI_MIN_H) {
		tui_draw_small(t, COLS, LINES);
	} else if (t->sc && t->eng) {
		draw_scenario(t);
	} else {
		tui_draw_menu(t);
		int nkeys;
		const struct tui_key *keys = tui_menu_keytab(&nkeys);
		tui_draw_keybar(keys, nkeys, 1);
	}
	refresh();
}
