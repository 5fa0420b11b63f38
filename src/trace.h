/*
 * trace.h: events and run summaries as text a person reads, and as JSON
 * lines a program reads.  Shared by the headless runner and the TUI's
 * event log, so both say the same thing in the same words.
 *
 * Contract: nothing here changes the engine; every function only reads
 * the view and the event it is given.  trace_describe() writes one line
 * without a newline; the print functions write whole lines to FILE.
 */
#ifndef LOCKSTEP_TRACE_H
#define LOCKSTEP_TRACE_H

#include <stdio.h>

#include "engine.h"

/* "acquire rooms" / "update count" / "sleep" ...: the op an event is about. */
void trace_op(const struct engine_view *v, const struct event *ev, char *buf, size_t len);

/* What happened: "acquired rooms (3 of 4 taken)", "wrote count = 99 ...". */
void trace_describe(const struct engine_view *v, const struct event *ev, char *buf, size_t len);

/* One line: "   0.000s  #12    work3        acquire lock   acquired ..." */
void trace_print_text(FILE *f, const struct engine_view *v, const struct event *ev);
void trace_print_json(FILE *f, const struct engine_view *v, const struct event *ev);

/* The summary: outcome, values (expected, lost), peaks, the deadlock. */
void trace_summary_text(FILE *f, const struct engine_view *v);
void trace_summary_json(FILE *f, const struct engine_view *v);

/* Write s as a JSON string literal (quotes included). */
void trace_json_string(FILE *f, const char *s);

#endif
