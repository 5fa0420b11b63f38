/*
 * trace.h: events and run summaries as text a person reads, and as JSON
 * lines a program reads.  Shared by the headless runner and the TUI's
 * event log, so both say the same thing in the same words.
 *
 * The words themselves (what an event did, the deadlock sentence, states,
 * outcomes) are words.h's; the text printers say them in the student's
 * language, the JSON printers in English (JSON is an interface).
 *
 * Contract: nothing here changes the engine; every function only reads
 * the view and the event it is given; the print functions write whole
 * lines to FILE.
 */
#ifndef LOCKSTEP_TRACE_H
#define LOCKSTEP_TRACE_H

#include <stdio.h>

#include "engine.h"

/* One line: "   0.000s  #12    work3        acquire lock   acquired ..." */
void trace_print_text(FILE *f, const struct engine_view *v, const struct event *ev);
void trace_print_json(FILE *f, const struct engine_view *v, const struct event *ev);

/* The summary: outcome, values (expected, lost), peaks, the deadlock. */
void trace_summary_text(FILE *f, const struct engine_view *v);
/* goals: the lesson's goals as judged on the run (goals.h), or NULL. */
struct goals;
void trace_summary_json(FILE *f, const struct engine_view *v, const struct goals *goals);
/* Line K of the scenario's `after` (what the main process prints once it
 * has joined every process), with {=NAME} and {=NAME.K} replaced by the
 * objects' values in V, as Python prints them ({'count': 0}). */
void trace_after_line(const struct engine_view *v, int k, char *out, size_t len);

/* Call right after writing to stdout: 0 while every write went through,
 * else the errno of the first that failed (remembered: ferror is sticky
 * but errno is not). */
int trace_stdout_check(void);
/* Flush stdout, then the same as trace_stdout_check(). */
int trace_stdout_flush(void);
/* Report a failed write of stdout: one line on stderr, and return the
 * exit status 1.  EPIPE (the reader went away) is not an error to report:
 * the program dies of SIGPIPE, silently, as a pipeline expects.  Call it
 * after the workers are gone. */
int trace_output_failed(int err);

/* The command that runs the same run again, event for event: every option
 * that changes it (--schedule, --seed, --switch, --workers) and the scenario as
 * `lockstep ID` finds it, or its file's path when ID would find another
 * file.  "" for the os schedule, which cannot be replayed. */
void trace_replay_command(const struct engine_view *v, char *buf, size_t len);

/* The switch dial as --switch takes it: "1", "0.1", "0.000001" (at most
 * six decimals, no trailing zeros). */
void trace_switch_text(double p, char *buf, size_t len);

/* 1 when W ended before its program did by exiting on its own with an
 * error (a release too many: Python's exit code 1), not by a signal: an
 * error exit is not a kill, and no word for it may say so. */
int trace_error_exit(const struct worker_view *w);

/* Write s as a JSON string literal (quotes included). */
void trace_json_string(FILE *f, const char *s);

#endif
