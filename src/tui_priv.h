/*
 * tui_priv.h: what the TUI's own files share, and nothing else includes:
 * the state of one session (struct tui), the named UI elements the theme
 * colours, and one drawing function per pane.
 *
 * Call order: tui.c owns the terminal and the poll() loop; tui_keytab.c
 * maps keys to handlers, and tui_keys.c turns them into engine calls; tui_draw.c lays out one frame and calls the pane
 * drawers (tui_workers.c, tui_objects.c, tui_source.c, tui_lesson.c,
 * tui_big.c, tui_overlay.c); tui_menu.c is the lesson menu.  Every drawer
 * reads the engine only through engine_view()/engine_events() and colours
 * only through tui_attr().
 */
#ifndef LOCKSTEP_TUI_PRIV_H
#define LOCKSTEP_TUI_PRIV_H

#include <curses.h>

#include "catalog.h"
#include "watch.h"
#include "engine.h"
#include "goals.h"
#include "i18n.h"
#include "tui.h"

/* The minimum the layout is designed for; below it we show a message. */
#define TUI_MIN_W 80
#define TUI_MIN_H 24

/* Named UI elements: drawing code asks for these, never for a colour. */
enum tui_el {
	EL_NORMAL,
	EL_DIM,          /* secondary text: pids, hints */
	EL_HEADER,       /* the top line */
	EL_TITLE,        /* a pane's title line */
	EL_KEY,          /* a key in the key bar / help */
	EL_KEYLABEL,     /* what the key does */
	EL_SELECTED,     /* the selected worker / menu entry */
	EL_ST_RUNNING,
	EL_ST_READY,
	EL_ST_BLOCKED,
	EL_ST_SLEEPING,
	EL_ST_DONE,
	EL_ST_KILLED,
	EL_GOOD,         /* value matches, outcome finished */
	EL_BAD,          /* lost updates, deadlock, lost counts */
	EL_HOLDER,       /* who holds a lock / a room */
	EL_WAITER,       /* who waits in a queue */
	EL_CYCLE,        /* the deadlock cycle */
	EL_MSG,          /* status message */
	EL_ERROR,        /* a refused step, a failure */
	EL_SRC_MARK,     /* source line where some worker is */
	EL_SRC_CURRENT,  /* source line of the selected worker */
	EL_BIG,          /* projector digits */
	EL_BORDER,       /* overlay frames */
	EL_COUNT
};

struct rect { int y, x, h, w; };

enum tui_overlay { OV_NONE, OV_HELP, OV_GRAPH };

struct tui_runs;

struct tui {
	const struct tui_options *opt;
	int zh;                   /* narrative in Chinese */
	int utf8;                 /* the locale can show non-ASCII glyphs */
	int big;                  /* projector digits on */
	int mouse;                /* the terminal reports clicks */
	int quit;                 /* leave the loop */
	int exit_status;

	/* The open scenario (NULL: the menu). */
	struct scenario *sc;
	struct scenario *reloaded; /* --watch: the last reload (ours to free;
	                              the first scenario is the caller's) */
	struct watch *watch;      /* --watch, or NULL */
	struct engine *eng;
	struct engine_options eopt;
	int from_menu;            /* q goes back to the menu, not out */
	int running;              /* r: timer-driven steps */
	int replaying;            /* b, R: a replay in slices is under way */
	long replay_to;           /* the step it goes back to */
	int failed;               /* the engine failed: t->msg says why */
	int resume;               /* a deadlock paused the run: k resumes it */
	int speed_i;              /* index into tui_speeds */
	long next_tick_ms;        /* monotonic ms of the next timed step */
	int sel;                  /* selected worker */
	int page;                 /* lesson page shown */
	int page_top;             /* its first line shown (a long page scrolls) */
	int page_rows;            /* lines the last frame showed of it */
	int page_more;            /* the last frame left lines below */
	int log_back;             /* log lines scrolled back from the newest */
	enum tui_overlay overlay;
	struct goals goals;       /* the lesson's goals, judged on its runs */
	int goal_flash;           /* 1 + the goal met just now (--big banner), 0 */
	char msg[512];            /* status line; empty: a hint is shown */
	enum tui_el msg_el;

	/* Where the last frame put the workers, for mouse clicks and arrows. */
	int wk_grid;              /* 1: one cell per worker; 0: one row each */
	struct rect wk_area;
	int wk_first;             /* first worker shown */
	int wk_cols;              /* grid: cells per row */
	int wk_cellw;             /* grid: columns per cell */

	struct tui_runs *runs;    /* many runs (m, tui_runs.c), NULL: none */
	int columns;              /* each worker's code in a column (c) */

	/* The timeline view (t, tui_timeline.c). */
	int timeline;             /* shown instead of the panes */
	long tl_first;            /* first step shown; -1: follow the newest */
	long tl_shown;            /* first step the last frame showed */
	int tl_top;               /* first worker shown */
	int tl_rows, tl_cols;     /* workers and steps the last frame had room for */

	/* The lesson menu. */
	struct catalog_entry *cat;
	int n_cat;                /* -1: the catalog could not be read */
	int menu_sel;
	char cat_err[256];
};

/* Speeds the +/- keys walk through (multiples of the base pace). */
extern const double tui_speeds[];
extern const int tui_n_speeds;

/* tui_theme.c */
int tui_theme_init(const char *name, int colour_ok);
attr_t tui_attr(enum tui_el el);
/* --big: nothing is drawn dim (a projector loses dim grey). */
void tui_theme_projector(int on);
enum tui_el tui_state_el(enum worker_state s);

/* tui_text.c: UTF-8 text measured and cut by display columns. */
int tui_width(const char *s);
int tui_put(int y, int x, int maxw, enum tui_el el, const char *s);
int tui_putn(int y, int x, int maxw, enum tui_el el, const char *s, size_t n);
int tui_putf(int y, int x, int maxw, enum tui_el el, const char *fmt, ...)
	__attribute__((format(printf, 5, 6)));
void tui_fill(int y, int x, int w, enum tui_el el);
/* Cut text into lines of at most width columns (hard breaks at '\n',
 * soft at spaces or around wide characters).  Writes up to max (start,
 * length) byte pairs; returns the total line count, which may exceed max. */
struct tui_line { const char *s; size_t n; };
int tui_wrap(const char *text, int width, struct tui_line *lines, int max);
/* Glyphs with an ASCII fallback when the locale is not UTF-8. */
enum tui_glyph { G_ARROW, G_TIMES, G_BLOCK, G_MIDDOT, G_ELLIPSIS, G_COUNT };
const char *tui_glyph(const struct tui *t, enum tui_glyph g);
const char *tui_state_symbol(const struct tui *t, enum worker_state s);
const char *tui_lang(const struct tui *t, const struct scenario_text *x);
long tui_now_ms(void);

/* tui_draw.c */
void tui_draw(struct tui *t);
const char *tui_outcome_word(enum run_outcome o);

/* Pane drawers: each draws only inside its rectangle. */
void tui_draw_workers(struct tui *t, const struct engine_view *v, struct rect r);
int tui_workers_width(const struct engine_view *v);
int tui_workers_height(const struct engine_view *v, int w, int maxh);
int tui_objects_height(const struct tui *t, const struct engine_view *v, int w);
void tui_draw_objects(struct tui *t, const struct engine_view *v, struct rect r);
void tui_elem_label(const struct scenario *sc, int o, int e, char *buf, size_t n);
int tui_source_height(const struct tui *t);
void tui_draw_source(struct tui *t, const struct engine_view *v, struct rect r);
void tui_draw_page(struct tui *t, struct rect r);
void tui_draw_log(struct tui *t, struct rect r);
/* tui_timeline.c: the timeline view (t) in the body of the screen. */
void tui_draw_timeline(struct tui *t, const struct engine_view *v, struct rect r);
int tui_timeline_toggle(struct tui *t, int ch);
/* Arrows, Home, End, PgUp, PgDn while it shows: TUI_REDRAW, or 0 when
 * the key is not one of them. */
int tui_timeline_key(struct tui *t, int ch);
/* tui_runs.c: many runs (m), in slices from the poll loop; the Result
 * panel shows their tally while there is one. */
int tui_runs_key(struct tui *t, int ch);
int tui_runs_stop(struct tui *t);
int tui_runs_active(const struct tui *t);
int tui_runs_pollfds(struct tui *t, struct pollfd *fds, int max);
int tui_runs_timeout_ms(struct tui *t);    /* -1: nothing due */
void tui_runs_tick(struct tui *t, const struct pollfd *fds, int n);
void tui_runs_free(struct tui *t);
void tui_runs_title(const struct tui *t, char *buf, size_t n);
char *tui_runs_text(const struct tui *t, int w);   /* caller frees; NULL: no runs */
/* tui_columns.c: each worker's code in a column with its cursor (c), for
 * 2..TUI_COLUMNS_MAX workers, above the panes. */
#define TUI_COLUMNS_MAX 5
int tui_columns_fit(const struct tui *t, const struct engine_view *v);
int tui_columns_toggle(struct tui *t, int ch);
int tui_columns_height(const struct tui *t, const struct engine_view *v, int maxh);
void tui_draw_columns(struct tui *t, const struct engine_view *v, struct rect r);
/* tui_summary.c: the run's result, once it has ended (0 rows before). */
int tui_summary_height(const struct tui *t, const struct engine_view *v, int w);
void tui_draw_summary(struct tui *t, const struct engine_view *v, struct rect r);
void tui_event_text(const struct tui *t, const struct event *ev, char *buf, size_t n);
int tui_big_height(const struct tui *t, const struct engine_view *v, int w);
void tui_draw_big(struct tui *t, const struct engine_view *v, struct rect r);
void tui_draw_help(struct tui *t);
void tui_draw_graph(struct tui *t, const struct engine_view *v);

/* Names and descriptions shared by several panes (tui_workers.c). */
const char *tui_worker_name(const struct engine_view *v, int w);
const struct scenario_op *tui_worker_op(const struct engine_view *v, int w);
void tui_holds_text(const struct engine_view *v, int w, char *buf, size_t n);
int tui_in_cycle(const struct engine_view *v, int w);

/* tui_keytab.c: the one table of keys (how to add one: its header).
 * Handlers return reaction flags; the loop redraws when TUI_REDRAW is
 * set. */
enum { TUI_REDRAW = 1 << 0 };
#define TUI_KEY_CODES 12
struct tui_key {
	int codes[TUI_KEY_CODES];  /* the key codes it answers, 0 ends them */
	const char *name;          /* N_(): the key as help names it; NULL: unnamed */
	const char *bar;           /* N_(): its word in the key bar; NULL: help only */
	const char *help;          /* N_(): what it does, in the help (?); NULL: none */
	int (*run)(struct tui *t, int ch);   /* returns TUI_* flags */
};
const struct tui_key *tui_keytab(int *n);   /* the scenario screen's keys */
const struct tui_key *tui_keytab_find(const struct tui_key *tab, int n, int ch);
int tui_keytab_run(const struct tui_key *tab, int n, struct tui *t, int ch);
const char *tui_key_name(const struct tui_key *k);   /* translated */
int tui_keybar_rows(const struct tui_key *tab, int n);
void tui_draw_keybar(const struct tui_key *tab, int n, int rows);
int tui_key(struct tui *t, int ch);

/* tui_goals.c: the goals pane, and --big's banner for a goal met (its rows). */
int tui_goals_height(const struct tui *t);
void tui_draw_goals(struct tui *t, struct rect r);
int tui_goal_banner(struct tui *t, int y);

/* tui_keys.c: what keys do to the run.  Each returns TUI_* flags. */
int tui_step(struct tui *t, int w);    /* w = -1: the schedule picks */
int tui_run_pause(struct tui *t, int ch);
int tui_speed(struct tui *t, int ch);
int tui_new_schedule(struct tui *t, int ch);
int tui_new_seed(struct tui *t, int ch);
int tui_switch_dial(struct tui *t, int ch);
int tui_step_back(struct tui *t, int ch);
int tui_restart_key(struct tui *t, int ch);
int tui_kill_selected(struct tui *t, int ch);
int tui_save_choices(struct tui *t, int ch);   /* w: a replay file */
int tui_hint(struct tui *t, int ch);           /* h: the way to a deadlock */
int tui_quit(struct tui *t, int ch);
int tui_open(struct tui *t, struct scenario *sc);
void tui_tick(struct tui *t);
int tui_timer_ms(struct tui *t);
/* The engine failed (engine_error): leave with status 1 and the reason. */
void tui_check_failed(struct tui *t);
/* Judge the lesson's goals on the run now; say so when one is met. */
void tui_goals_check(struct tui *t);
void tui_message(struct tui *t, enum tui_el el, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* tui_menu.c */
void tui_menu_load(struct tui *t);
void tui_draw_menu(struct tui *t);
int tui_menu_key(struct tui *t, int ch);
const struct tui_key *tui_menu_keytab(int *n);

#endif
