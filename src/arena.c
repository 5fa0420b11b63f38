/*
 * arena.c: make and unmake the shared memory (see arena.h).
 */
#include "config.h"

#include <errno.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>

#include "arena.h"
#include "engine.h"

static int init_mutex(pthread_mutex_t *m, int type)
{
	pthread_mutexattr_t at;
	int rc = pthread_mutexattr_init(&at);
	if (rc)
		return rc;
	/* Shared between processes, and robust: when a holder dies the next
	 * locker gets EOWNERDEAD instead of waiting for ever (a robust-lock,
	 * and the guards of events, barriers, queues and conditions).
	 * Error-checking, so an unlock by a non-owner fails (EPERM). */
	if (!(rc = pthread_mutexattr_setpshared(&at, PTHREAD_PROCESS_SHARED)) &&
	    !(rc = pthread_mutexattr_setrobust(&at, PTHREAD_MUTEX_ROBUST)) &&
	    !(rc = pthread_mutexattr_settype(&at, type)))
		rc = pthread_mutex_init(m, &at);
	pthread_mutexattr_destroy(&at);
	return rc;
}

static int init_cond(pthread_cond_t *c)
{
	pthread_condattr_t at;
	int rc = pthread_condattr_init(&at);
	if (rc)
		return rc;
	if (!(rc = pthread_condattr_setpshared(&at, PTHREAD_PROCESS_SHARED)) &&
	    !(rc = pthread_condattr_setclock(&at, CLOCK_MONOTONIC)))
		rc = pthread_cond_init(c, &at);
	pthread_condattr_destroy(&at);
	return rc;
}

static int init_object(struct arena_object *o, const struct scenario_object *so)
{
	int rc = 0;
	for (int i = 0; i < so->n_elems && i < SCENARIO_MAX_ELEMS; i++)
		o->elems[i] = so->elems[i].initial;
	switch (kind_info(so->kind)->primitive) {
	case KP_MUTEX:
		rc = init_mutex(&o->mutex, PTHREAD_MUTEX_ERRORCHECK);
		break;
	case KP_SEM:
		rc = sem_init(&o->sem, 1, (unsigned)so->initial) ? errno : 0;
		break;
	case KP_GUARDED:
		if (kind_info(so->kind)->wait == KW_FLAG)
			o->flag = so->initial != 0;
		rc = init_mutex(&o->mutex, PTHREAD_MUTEX_ERRORCHECK);
		if (!rc)
			rc = init_cond(&o->cond);
		if (!rc && kind_info(so->kind)->keys & KK_CAPACITY)
			rc = init_cond(&o->cond2);   /* a queue's "not full" */
		break;
	default:
		break;
	}
	return rc;
}

struct arena *arena_create(const struct scenario *s, int n_workers,
                           int controlled, double speed, uint64_t seed,
                           size_t *size_out)
{
	size_t size = sizeof(struct arena) + (size_t)n_workers * sizeof(struct worker_slot);
	struct arena *a = mmap(NULL, size, PROT_READ | PROT_WRITE,
	                       MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (a == MAP_FAILED)
		return NULL;
	/* Anonymous mappings come zeroed. */
	a->controlled = controlled;
	a->speed = speed;
	a->seed = seed;
	a->n_objects = s->n_objects;
	a->n_workers = n_workers;
	for (int i = 0; i < s->n_objects; i++) {
		int rc = init_object(&a->objects[i], &s->objects[i]);
		if (rc) {
			munmap(a, size);
			errno = rc;
			return NULL;
		}
	}
	for (int w = 0; w < n_workers; w++) {
		struct worker_slot *sl = &a->slots[w];
		if (sem_init(&sl->gate, 1, 0)) {
			int e = errno;
			munmap(a, size);
			errno = e;
			return NULL;
		}
		sl->waits_on = -1;
		sl->state = WS_READY;
	}
	*size_out = size;
	return a;
}

void arena_destroy(struct arena *a, const struct scenario *s, size_t size)
{
	(void)s;
	/* No *_destroy calls: every process that used these is dead, and
	 * pthread_cond_destroy can wait for ever on a condition whose waiter
	 * was killed inside pthread_cond_wait.  Unmapping frees them all. */
	if (a)
		munmap(a, size);
}
