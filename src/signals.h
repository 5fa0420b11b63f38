/*
 * signals.h: the process's signal handling, one place for it.
 *
 * Handlers do almost nothing: they write the signal number into a
 * self-pipe and return, and the poll() loop does the work.  Two pipes, so
 * that the engine and the UI each read only what is theirs:
 *  - signals_child_fd(): SIGCHLD (a worker exited); the engine polls it.
 *  - signals_stop_fd():  SIGINT, SIGTERM, SIGHUP, SIGQUIT (stop now); the
 *    headless runner or the TUI polls it and reads which signal came.
 *
 * A stop signal is obeyed within a second in every phase, by construction:
 * the stop handler writes to the pipe only while a poll() loop says it
 * reads it (signals_watch(1)).  In every other phase (options, loading,
 * --check, forking the workers, teardown) the handler runs the fatal hook,
 * kills every worker and dies of the signal at once.  After a loop took a
 * stop signal, the caller cleans up and calls signals_exit_if_stopped(),
 * which dies of that signal too: the exit status is 128 + the signal
 * number in every phase (SIGQUIT without a core file).
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
/* A poll() loop watching signals_stop_fd() begins (1) or ends (0). */
void signals_watch(int on);
/* Make signals_stop_fd() readable without a signal (e.g. the output
 * failed: the run must stop).  Async-signal-safe. */
void signals_wake_stop(void);
/* The stop signal taken so far (reading the pipe), 0 when none. */
int signals_take_stop(void);
/* Die of sig with its default action (no core file for SIGQUIT); exit
 * 128 + sig should that fail.  Async-signal-safe; never returns. */
void signals_die_of(int sig) __attribute__((noreturn));
/* When a stop signal was taken or is pending: die of it (never returns). */
void signals_exit_if_stopped(void);
/* Drain the child pipe (call before reaping). */
void signals_drain_child(void);
/* Hook run from fatal-signal handlers and before re-raising stop signals
 * the caller did not handle; must be async-signal-safe. */
void signals_set_fatal_hook(void (*hook)(void));

#endif
