/*
 * tui.h: the live terminal interface (ncursesw).
 *
 * The TUI drives the engine (engine.h) and draws what engine_view() and
 * engine_events() say; it never touches shared memory or workers itself.
 * It is the only module that includes curses.
 *
 * Contract:
 *  - tui_run() takes over the terminal and gives it back as it found it on
 *    every way out (q, Ctrl-C, SIGTERM, SIGHUP, a crash: see signals.h).
 *  - scenario == NULL opens the lesson menu (catalog.h); otherwise the
 *    given, already validated scenario opens paused at step 0.  tui_run
 *    does not free it.
 *  - Returns the process exit status: 0 normally, 2 when the terminal
 *    cannot be used (not a tty, smaller than the minimum and never
 *    enlarged is NOT an error: it shows a message and waits).
 */
#ifndef LOCKSTEP_TUI_H
#define LOCKSTEP_TUI_H

#include "engine.h"
#include "scenario.h"

struct tui_options {
	struct engine_options engine; /* schedule, seed, speed, timeout */
	int workers;                  /* --workers override, 0 when not given */
	const char *lang;             /* "en" or "zh" */
	int big;                      /* --big: projector digits */
	const char *theme;            /* --theme=NAME, NULL for default */
	const char *watch;            /* --watch: reload this file when it is
	                                 saved (the scenario's path), or NULL */
	const char *record;           /* --record=FILE: where w writes, NULL:
	                                 ID-SEED.replay in the current folder */
	const char *scenario_arg;     /* how the command line named the
	                                 scenario (for a replay file's header) */
};

int tui_run(struct scenario *scenario, const struct tui_options *o);

/* Names accepted by --theme (NULL-terminated), for main's validation. */
extern const char *const tui_theme_names[];

#endif
