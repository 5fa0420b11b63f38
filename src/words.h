/*
 * words.h: lockstep's vocabulary, in one place.  The words for ops,
 * objects, worker states, outcomes and schedules, the sentence that says
 * what an event did ("work1 wrote count = 99 ... the updates since its
 * read are lost") and the deadlock sentence ("work0 waits for lock, held
 * by crash0, which died").  The headless trace and summary (trace.c,
 * runs.c) and the TUI (status line, event log, worker and object panes)
 * all say things through here, so a student reads one story in the same
 * words everywhere, and the classroom's language is chosen in one place.
 *
 * Contract: every function returns or writes the words in the student's
 * language (gettext, see i18n.h), except the *_en ones, which always say
 * it in English: JSON is an interface, and its values stay English.
 * Functions that write into buf write one line without a newline,
 * truncated to len.  Nothing here changes the engine; only the view and
 * the event given are read.  Kind words come from the kind table
 * (kinds.c), which marks them N_(); they are translated here, at use.
 */
#ifndef LOCKSTEP_WORDS_H
#define LOCKSTEP_WORDS_H

#include <stddef.h>

#include "engine.h"

/* "acquire rooms" / "update count (read)" / "sleep" ...: the op an event
 * is about; "" for events that are not an op's (start, exit, ...). */
void words_op(const struct engine_view *v, const struct event *ev, char *buf, size_t len);

/* What happened: "acquired rooms (3 of 4 taken)", "wrote count = 99 ...". */
void words_event(const struct engine_view *v, const struct event *ev, char *buf, size_t len);
void words_event_en(const struct engine_view *v, const struct event *ev, char *buf,
                    size_t len);

/* The deadlock sentence: "work2 holds A and waits for B; work1 holds B and
 * waits for A", or "work0 waits for lock, held by crash0, which died" when
 * what it waits for is held by a process that is gone (a Lock or RLock of
 * a dead holder stays taken for ever, as in CPython). */
void words_deadlock(const struct scenario *s, const struct worker_view *wv, int n_workers,
                    const struct cycle_link *c, int n, char *buf, size_t len);
void words_deadlock_en(const struct scenario *s, const struct worker_view *wv,
                       int n_workers, const struct cycle_link *c, int n, char *buf,
                       size_t len);

/* A worker state: "ready", ..., "killed". */
const char *words_state(enum worker_state s);
/* W's state in a word or two: words_state(), or "stopped with an error"
 * for an error exit (trace_error_exit): an error exit is not a kill. */
const char *words_worker_state(const struct worker_view *w);
/* How a run ended: "finished", "deadlock", ... */
const char *words_outcome(enum run_outcome o);
/* A schedule for a person ("random"); --schedule takes schedule_name(). */
const char *words_schedule(enum schedule s);
/* An op, as a verb: "acquire", "release", "sleep" ... */
const char *words_op_kind(int op_kind);
/* An object kind as a noun: "lock", "semaphore", "Manager dict" ... */
const char *words_kind(int kind);
/* A kind table's sentence (kind_info()->waits, ->killed ...): translated. */
const char *words_of_kind(const char *kind_words);

/* How many terminal columns s takes (a Chinese character takes two). */
int words_width(const char *s);
/* Copy s into out padded with spaces to width terminal columns (a
 * Chinese character takes two): printf's %-20s counts bytes. */
void words_pad(char *out, size_t len, const char *s, int width);


/* Names in an event, "-" when there is none: an object, an element the way
 * Python writes it (count, arr[2], d['count'], ns.x; buf holds it), a
 * worker, and the op an event belongs to (NULL when none). */
const char *words_obj_name(const struct engine_view *v, int obj);
const char *words_elem_name(const struct engine_view *v, int obj, int elem, char *buf,
                            size_t len);
const char *words_worker_label(const struct engine_view *v, int w);
const struct scenario_op *words_event_op(const struct engine_view *v, const struct event *ev);

#endif
