/*
 * deadlock.h: find the workers that can never move again.
 *
 * A pure function of the engine's view, so it is the same in every
 * schedule and easy to test.  A blocked worker is *stuck* when the object
 * it waits for is unavailable and nobody who could make it available can
 * still move: for a lock, only its owner can release it; for a semaphore
 * (an event, a condition, a barrier, a queue, a pipe), any live worker
 * whose program still has a release (a set, a notify, an arrival, a put or
 * get, a send) of it.  Starting from "every blocked worker is stuck" and
 * removing those that someone free can rescue gives the stuck set; it is
 * empty exactly when there is no deadlock.  This covers both a wait-for
 * cycle between locks and "every live worker is blocked and none sleeps"
 * (semaphores).  A worker waiting with a timeout is never stuck.
 *
 * Blocked workers are found through the queues of the objects they wait
 * for (object_view.queue), not by walking every worker: a view built by
 * hand must queue each blocked worker on its object.
 *
 * deadlock_find() returns the length of the cycle it writes to out (at
 * most max links): each link is a worker, the object it holds that the
 * previous link waits for, and the object it waits for.  When the stuck
 * workers form no cycle (they wait for a semaphore whose holders died),
 * the links are the stuck workers themselves.  0: no deadlock.
 */
#ifndef LOCKSTEP_DEADLOCK_H
#define LOCKSTEP_DEADLOCK_H

#include "engine.h"
#include "scenario.h"

/* last_release[(g * SCENARIO_MAX_OBJECTS + obj) * 2 + dir]: the last op
 * index of group g that helps obj's waiters (dir 0: releases, sets,
 * notifies, arrives, puts, sends; dir 1: gets, for blocked putters), -1
 * when none, the program's length when it loops back (see
 * deadlock_last_releases).  2 * n_groups * SCENARIO_MAX_OBJECTS ints. */
int deadlock_find(const struct scenario *s, const int *last_release,
                  const struct worker_view *wv, int n_workers,
                  const struct object_view *ov,
                  struct cycle_link *out, int max);

/* Fill last_release. */
void deadlock_last_releases(const struct scenario *s, int *last_release);

/* The deadlock in words: words_deadlock() (words.h). */

#endif
