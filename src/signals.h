/*
 * signals.h: the process's signal handling, one place for it.
 *
 * Handlers do almost nothing: they write the signal number into a
 * self-pipe and return, and the poll() loop does the work.  Two pipes, so
 * that the engine and the UI each read only what is theirs:
 *  - signals_child_fd(): SIGCHLD (a worker exited); the engine polls it.
 *  - signals_stop_fd():  SIGINT, SIGTERM, SIGHUP, SIGQUIT (stop now); the
 *    headless runner or the TUI polls it and reads which signal came.
 * Fatal signals (SIGSEGV, SIGBUS, SIGFPE, SIGILL, SIGABRT) run the
 * registered fatal hook (e.g. restore the terminal with tcsetattr), kill
 * every worker with engine_kill_all_async(), then re-raise with the
 * default action.  Everything on that path is async-signal-safe.
 *
 * Call signals_install() once, early, before forking and before initscr()
 * (ncurses only installs its own SIGINT/SIGTERM handlers when none exist).
 * Workers reset every handler to the default after fork (worker.c).
 */
#ifndef LOCKSTEP_SIGNALS_H
#define LOCKSTEP_SIGNALS_H

int signals_install(void);                 /* 0, or -1 with errno */
int signals_child_fd(void);                /* read end, non-blocking */
int signals_stop_fd(void);                 /* read end, non-blocking */
/* Read one pending stop signal number, 0 when none. */
int signals_take_stop(void);
/* Drain the child pipe (call before reaping). */
void signals_drain_child(void);
/* Hook run from fatal-signal handlers and before re-raising stop signals
 * the caller did not handle; must be async-signal-safe. */
void signals_set_fatal_hook(void (*hook)(void));

#endif
