/*
 * tui_workers.c: the workers pane, and the words used for a worker
 * everywhere else (its state, the op it is at, what it holds).
 *
 * Few workers get one row each: symbol, name, real pid, state, op, holds,
 * register.  Many workers (the 100-worker counter) do not fit, so they get
 * a grid of one symbol per worker and the selected one in detail below:
 * the class sees the whole crowd and one process up close.
 */
#include <stdio.h>
#include <string.h>

#include "trace.h"
#include "words.h"
#include "tui_priv.h"

const char *tui_worker_name(const struct engine_view *v, int w)
{
	return w >= 0 && w < v->n_workers ? v->workers[w].name : "?";
}

const struct scenario_op *tui_worker_op(const struct engine_view *v, int w)
{
	if (w < 0 || w >= v->n_workers || !v->scenario)
		return NULL;
	const struct worker_view *wv = &v->workers[w];
	if (wv->group < 0 || wv->group >= v->scenario->n_groups)
		return NULL;
	const struct scenario_group *g = &v->scenario->groups[wv->group];
	if (wv->pc < 0 || wv->pc >= g->n_ops)
		return NULL;
	return &g->ops[wv->pc];
}

static const char *obj_name(const struct engine_view *v, int o)
{
	return o >= 0 && o < v->scenario->n_objects ? v->scenario->objects[o].name : "?";
}

/* A goto's target by the Python line it stands for ("goto line 8"), else
 * by its label ("goto again"): the lesson's words before the file's. */
static void target_text(const struct engine_view *v, int w_group, int target,
                        char *buf, size_t n)
{
	const struct scenario_group *g = w_group >= 0 && w_group < v->scenario->n_groups
	                                 ? &v->scenario->groups[w_group] : NULL;
	if (g && target >= 0 && target < g->n_ops && g->ops[target].py_line)
		snprintf(buf, n, _("line %d"), g->ops[target].py_line);
	else if (g && target >= 0 && target < g->n_ops && g->ops[target].label[0])
		snprintf(buf, n, "%s", g->ops[target].label);
	else
		snprintf(buf, n, _("op %d"), target + 1);
}

/* The op in a few words.  The group is needed for goto labels (-1: none). */
static void op_text(const struct engine_view *v, int group, const struct scenario_op *op,
                    char *buf, size_t n)
{
	if (!op) {
		snprintf(buf, n, "%s", _("(end)"));
		return;
	}
	char o[SCENARIO_MAX_NAME * 2 + 8], to[SCENARIO_MAX_NAME + 8];
	if (op->object >= 0 && op->object < v->scenario->n_objects)
		tui_elem_label(v->scenario, op->object, op->elem, o, sizeof o);
	else
		snprintf(o, sizeof o, "?");
	switch (op->kind) {
	case OP_ACQUIRE:
		if (op->timeout_ms > 0)
			snprintf(buf, n, _("acquire %s, %lds"), o, op->timeout_ms / 1000);
		else
			snprintf(buf, n, _("acquire %s"), o);
		break;
	case OP_RELEASE:    snprintf(buf, n, _("release %s"), o); break;
	case OP_LOAD:       snprintf(buf, n, _("read %s"), o); break;
	case OP_STORE:      snprintf(buf, n, _("write %s=r%+ld"), o, op->amount); break;
	case OP_ATOMIC_ADD: snprintf(buf, n, "%s %s= %ld", o,
	                             op->amount < 0 ? "-" : "+",
	                             op->amount < 0 ? -op->amount : op->amount); break;
	case OP_SLEEP:
		if (op->sleep_min_ms == op->sleep_max_ms)
			snprintf(buf, n, _("sleep %ldms"), op->sleep_min_ms);
		else if (op->sleep_step_ms >= 1000)
			snprintf(buf, n, _("sleep %ld-%lds"), op->sleep_min_ms / 1000,
			         op->sleep_max_ms / 1000);
		else
			snprintf(buf, n, _("sleep %ld-%ldms"), op->sleep_min_ms,
			         op->sleep_max_ms);
		break;
	case OP_PRINT:      snprintf(buf, n, "%s", _("print")); break;
	case OP_SET:        snprintf(buf, n, _("set %s"), o); break;
	case OP_CLEAR:      snprintf(buf, n, _("clear %s"), o); break;
	case OP_WAIT:       snprintf(buf, n, _("wait %s"), o); break;
	case OP_NOTIFY:     snprintf(buf, n, op->notify_all ? _("notify_all %s") : _("notify %s"), o); break;
	case OP_PUT:
	case OP_SEND:
		if (op->use_register)
			snprintf(buf, n, op->kind == OP_PUT ? _("put %s r") : _("send %s r"), o);
		else
			snprintf(buf, n, op->kind == OP_PUT ? _("put %s %ld") : _("send %s %ld"), o,
			         op->amount);
		break;
	case OP_GET:        snprintf(buf, n, _("get %s"), o); break;
	case OP_RECV:       snprintf(buf, n, _("recv %s"), o); break;
	case OP_SET_REGISTER: snprintf(buf, n, "r = %ld", op->amount); break;
	case OP_GOTO:
		target_text(v, group, op->target, to, sizeof to);
		if (op->has_if)
			snprintf(buf, n, _("if r==%ld goto %s"), op->if_value, to);
		else
			snprintf(buf, n, _("goto %s"), to);
		break;
	case OP_CRASH:      snprintf(buf, n, "%s", _("crash")); break;
	default:            /* kinds this pane has no words for yet */
		if (op->object >= 0)
			snprintf(buf, n, "%s %s", op_kind_name(op->kind), o);
		else
			snprintf(buf, n, "%s", op_kind_name(op->kind));
		break;
	}
}

/* The op worker w is at, in words. */
static void tui_worker_op_text(const struct engine_view *v, int w, char *buf, size_t n)
{
	int g = w >= 0 && w < v->n_workers ? v->workers[w].group : -1;
	op_text(v, g, tui_worker_op(v, w), buf, n);
}

static void tui_state_text(const struct engine_view *v, int w, char *buf, size_t n)
{
	const struct worker_view *wv = &v->workers[w];
	switch (wv->state) {
	case WS_BLOCKED:
		if (wv->has_deadline) {   /* acquire with a timeout */
			long left = wv->wake_ms - v->clock_ms;
			snprintf(buf, n, _("blocked on %s %ld.%lds"), obj_name(v, wv->waits_on),
			         left > 0 ? left / 1000 : 0, left > 0 ? left % 1000 / 100 : 0);
		} else {
			snprintf(buf, n, _("blocked on %s"), obj_name(v, wv->waits_on));
		}
		break;
	case WS_SLEEPING: {
		long left = wv->wake_ms - v->clock_ms;
		if (left < 0)
			left = 0;
		if (wv->starting == 1)   /* its Process.start() is not over */
			snprintf(buf, n, _("starts in %ld.%03lds"), left / 1000, left % 1000);
		else if (wv->starting == 2)
			snprintf(buf, n, _("starting the others %ld.%03lds"), left / 1000, left % 1000);
		else
			snprintf(buf, n, _("sleeping %ld.%lds"), left / 1000, left % 1000 / 100);
		break;
	}
	default:
		snprintf(buf, n, "%s", words_worker_state(wv));
	}
}

void tui_holds_text(const struct engine_view *v, int w, char *buf, size_t n)
{
	size_t used = 0;
	buf[0] = 0;
	for (int o = 0; o < v->scenario->n_objects && used + 1 < n; o++) {
		int k = v->workers[w].holds[o];
		if (!k)
			continue;
		int r = k > 1 ? snprintf(buf + used, n - used, "%s%s*%d",
		                         used ? "," : "", obj_name(v, o), k)
		              : snprintf(buf + used, n - used, "%s%s",
		                         used ? "," : "", obj_name(v, o));
		if (r < 0 || (size_t)r >= n - used)
			break;
		used += (size_t)r;
	}
	if (!used) {
		snprintf(buf, n, "-");
	} else if (v->workers[w].state == WS_KILLED) {
		/* What a dead worker held is history: say so. */
		char held[256];
		snprintf(held, sizeof held, "%s", buf);
		snprintf(buf, n, _("had %s"), held);
	}
}

int tui_in_cycle(const struct engine_view *v, int w)
{
	if (v->outcome != RUN_DEADLOCK || !v->cycle)
		return 0;
	for (int i = 0; i < v->cycle_len; i++)
		if (v->cycle[i].worker == w)
			return 1;
	return 0;
}

/* A worker between the two halves of a non-atomic update: it has read
 * the value into its register and will write it back.  That is where
 * updates get lost, so the grid shows it apart from the merely ready. */
static int mid_update(const struct engine_view *v, int w)
{
	const struct worker_view *wv = &v->workers[w];
	const struct scenario_group *g = &v->scenario->groups[wv->group];
	return (wv->state == WS_READY || wv->state == WS_RUNNING) &&
	       wv->pc >= 0 && wv->pc < g->n_ops && g->ops[wv->pc].kind == OP_STORE;
}

/* The pane title counts workers per state: "13 workers: 4 ready 9 blocked". */
static void draw_title(struct tui *t, const struct engine_view *v, struct rect r)
{
	int count[WS_COUNT] = { 0 }, errors = 0;
	for (int i = 0; i < v->n_workers; i++)
		if (trace_error_exit(&v->workers[i]))
			errors++;   /* not killed: counted apart */
		else if ((int)v->workers[i].state >= 0 && v->workers[i].state < WS_COUNT)
			count[v->workers[i].state]++;
	tui_fill(r.y, r.x, r.w, EL_TITLE);
	int x = r.x + tui_putf(r.y, r.x, r.w, EL_TITLE, _(" Workers (%d)"), v->n_workers);
	for (int s = 0; s < WS_COUNT && x < r.x + r.w; s++) {
		if (!count[s])
			continue;
		x += tui_putf(r.y, x, r.x + r.w - x, EL_TITLE, "  %s %d %s",
		              tui_state_symbol(t, (enum worker_state)s), count[s],
		              words_state((enum worker_state)s));
	}
	if (errors && x < r.x + r.w)
		x += tui_putf(r.y, x, r.x + r.w - x, EL_TITLE, _("  %s %d stopped with an error"),
		              tui_state_symbol(t, WS_KILLED), errors);
	int mid = 0;
	for (int i = 0; i < v->n_workers; i++)
		mid += mid_update(v, i);
	if (mid && x < r.x + r.w)
		tui_putf(r.y, x, r.x + r.w - x, EL_TITLE, _("  r %d have read, not written"), mid);
}

/* Column widths of the list, measured on what is on screen now. */
struct cols { int name, pid, state, op; };

static int max_i(int a, int b) { return a > b ? a : b; }

/* The list's first column: the digit key that steps the worker on that
 * row (1-9, top to bottom), so the keys follow what the class sees. */
#define TUI_KEY_COL 2

static struct cols measure(const struct engine_view *v)
{
	/* At least as wide as their names. */
	struct cols c = { tui_width(_("name")), tui_width(_("pid")), tui_width(_("state")),
	                  tui_width(_("next op")) };
	for (int w = 0; w < v->n_workers; w++) {
		char buf[160];
		c.name = max_i(c.name, tui_width(v->workers[w].name));
		c.pid = max_i(c.pid, snprintf(buf, sizeof buf, "%ld", (long)v->workers[w].pid));
		tui_state_text(v, w, buf, sizeof buf);
		c.state = max_i(c.state, tui_width(buf));
		if (v->workers[w].state == WS_BLOCKED)
			continue;   /* its op is the acquire its state names */
		tui_worker_op_text(v, w, buf, sizeof buf);
		c.op = max_i(c.op, tui_width(buf));
	}
	if (c.name > 14)
		c.name = 14;
	return c;
}

/* How wide the list wants to be (holds and register need about 12). */
int tui_workers_width(const struct engine_view *v)
{
	struct cols c = measure(v);
	return TUI_KEY_COL + 2 + c.name + 1 + c.pid + 1 + c.state + 1 + max_i(c.op, 7) + 1 + 12;
}

/* One worker on one row, columns cut to what fits. */
static void draw_row(struct tui *t, const struct engine_view *v, int w,
                     int y, int x, int width, const struct cols *c)
{
	const struct worker_view *wv = &v->workers[w];
	int sel = w == t->sel;
	enum tui_el base = sel ? EL_SELECTED : EL_NORMAL;
	char state[64], op[64], holds[128];
	tui_state_text(v, w, state, sizeof state);
	tui_worker_op_text(v, w, op, sizeof op);
	tui_holds_text(v, w, holds, sizeof holds);
	if (sel)
		tui_fill(y, x, width, EL_SELECTED);
	int end = x + width, cx = x;
	if (w < 9)   /* the key that steps it: the list's order is the keys' */
		tui_putf(y, cx, end - cx, sel ? base : EL_KEY, "%d", w + 1);
	cx += TUI_KEY_COL;
	cx += tui_put(y, cx, end - cx, tui_state_el(wv->state),
	              tui_state_symbol(t, wv->state));
	cx += 1;
	enum tui_el nel = tui_in_cycle(v, w) ? EL_CYCLE : base;
	tui_put(y, cx, end - cx, nel, wv->name);
	cx += c->name + 1;
	tui_putf(y, cx, end - cx, sel ? base : EL_DIM, "%*ld", c->pid, (long)wv->pid);
	cx += c->pid + 1;
	tui_put(y, cx, end - cx, sel ? base : tui_state_el(wv->state), state);
	cx += c->state + 1;
	if (wv->state != WS_BLOCKED)
		tui_put(y, cx, end - cx, base, op);
	cx += c->op + 1;
	if (cx >= end)
		return;
	enum tui_el hel = wv->state == WS_KILLED ? EL_DIM
	                : strcmp(holds, "-") ? EL_HOLDER : base;
	cx += tui_put(y, cx, end - cx, hel, holds);
	if (wv->has_reg)
		tui_putf(y, cx + 1, end - cx - 1, base, "r=%ld", wv->reg);
}

/* The selected worker in full, for the grid view. */
static void draw_detail(struct tui *t, const struct engine_view *v,
                        int y, int x, int width)
{
	int w = t->sel;
	if (w < 0 || w >= v->n_workers)
		return;
	const struct worker_view *wv = &v->workers[w];
	char state[64], op[64], holds[128];
	tui_state_text(v, w, state, sizeof state);
	tui_worker_op_text(v, w, op, sizeof op);
	tui_holds_text(v, w, holds, sizeof holds);
	int cx = x;
	cx += tui_put(y, cx, width, tui_state_el(wv->state), tui_state_symbol(t, wv->state));
	cx += 1 + tui_put(y, cx + 1, x + width - cx - 1, EL_SELECTED, wv->name);
	cx += tui_putf(y, cx, x + width - cx, EL_DIM, _(" pid %ld "), (long)wv->pid);
	if (w < 9)
		cx += tui_putf(y, cx, x + width - cx, EL_KEY, _("key %d "), w + 1);
	tui_put(y, cx, x + width - cx, tui_state_el(wv->state), state);
	tui_putf(y + 1, x, width, EL_NORMAL, _("  at: %s   holds: %s"), op, holds);
	if (wv->has_reg)
		tui_putf(y + 2, x, width, EL_NORMAL, _("  register: %ld"), wv->reg);
	else
		tui_put(y + 2, x, width, EL_DIM, _("  register: empty"));
}

/* Rows the grid wants at width w: title, cells, blank, legend, detail. */
int tui_workers_height(const struct engine_view *v, int w, int maxh)
{
	int cols = (w - 1) / 3;
	if (cols < 1)
		return maxh;
	int h = 1 + (v->n_workers + cols - 1) / cols + 1 + 1 + 3;
	return h < maxh ? h : maxh;
}

static void draw_grid(struct tui *t, const struct engine_view *v, struct rect r)
{
	int detail = r.h >= 6 ? 3 : 0;
	int legend = r.h >= 7 ? 1 : 0;
	int rows = r.h - 1 - detail - legend;
	int cellw = 2;
	int cols = (r.w - 1) / cellw;
	if (cols < 1 || rows < 1)
		return;
	/* Wider cells read better when the crowd is small enough. */
	while (cellw < 4 && (v->n_workers + (r.w - 1) / (cellw + 1) - 1) /
	       ((r.w - 1) / (cellw + 1)) <= rows) {
		cellw++;
		cols = (r.w - 1) / cellw;
	}
	int total_rows = (v->n_workers + cols - 1) / cols;
	int first_row = 0;
	if (total_rows > rows) {
		int sel_row = t->sel / cols;
		first_row = sel_row - rows / 2;
		if (first_row < 0)
			first_row = 0;
		if (first_row > total_rows - rows)
			first_row = total_rows - rows;
	}
	t->wk_grid = 1;
	t->wk_area = (struct rect){ r.y + 1, r.x + 1, rows, cols * cellw };
	t->wk_first = first_row * cols;
	t->wk_cols = cols;
	t->wk_cellw = cellw;
	for (int row = 0; row < rows; row++)
		for (int c = 0; c < cols; c++) {
			int w = (first_row + row) * cols + c;
			if (w >= v->n_workers)
				break;
			enum worker_state s = v->workers[w].state;
			enum tui_el el = w == t->sel ? EL_SELECTED
			               : tui_in_cycle(v, w) ? EL_CYCLE : tui_state_el(s);
			tui_put(r.y + 1 + row, r.x + 1 + c * cellw, 1, el,
			        mid_update(v, w) ? "r" : tui_state_symbol(t, s));
			if (w < 9 && cellw >= 3)   /* its key, as in the list */
				tui_putf(r.y + 1 + row, r.x + 2 + c * cellw, 1, EL_KEY, "%d", w + 1);
		}
	int used = total_rows < rows ? total_rows : rows;
	int y = r.y + 1 + used + (used < rows);
	if (legend) {
		int x = r.x + 1;
		for (int s = 0; s < WS_COUNT && x < r.x + r.w; s++) {
			x += tui_put(y, x, r.x + r.w - x, tui_state_el((enum worker_state)s),
			             tui_state_symbol(t, (enum worker_state)s));
			x += tui_putf(y, x, r.x + r.w - x, EL_DIM, " %s  ",
			              words_state((enum worker_state)s));
		}
		y++;
	}
	if (detail)
		draw_detail(t, v, y, r.x + 1, r.w - 1);
}

void tui_draw_workers(struct tui *t, const struct engine_view *v, struct rect r)
{
	if (r.h < 2 || r.w < 10)
		return;
	draw_title(t, v, r);
	if (v->n_workers > r.h - 1) {
		draw_grid(t, v, r);
		return;
	}
	struct cols c = measure(v);
	int y = r.y + 1;
	if (v->n_workers < r.h - 1) {   /* room for the column names */
		int x = r.x + TUI_KEY_COL + 2;
		tui_put(y, r.x, r.w, EL_DIM, _("key"));
		tui_put(y, x, r.w - 2, EL_DIM, _("name"));
		x += c.name + 1;
		tui_put(y, x + c.pid - tui_width(_("pid")), r.w - (x - r.x), EL_DIM, _("pid"));
		x += c.pid + 1;
		tui_put(y, x, r.w - (x - r.x), EL_DIM, _("state"));
		x += c.state + 1;
		tui_put(y, x, r.w - (x - r.x), EL_DIM, _("next op"));
		x += c.op + 1;
		tui_put(y, x, r.w - (x - r.x), EL_DIM, _("holds r=register"));
		y++;
	}
	t->wk_grid = 0;
	t->wk_area = (struct rect){ y, r.x, v->n_workers, r.w };
	t->wk_first = 0;
	for (int w = 0; w < v->n_workers; w++)
		draw_row(t, v, w, y + w, r.x, r.w, &c);
}
