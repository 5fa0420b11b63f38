/*
 * arena.c: make and unmake the shared memory (see arena.h).
 */
#include "config.h"

#include <errno.h>
#include <string.h>
#include <sys/mman.h>

#include "arena.h"
#include "engine.h"

static int init_lock(pthread_mutex_t *m)
{
	pthread_mutexattr_t at;
	int rc = pthread_mutexattr_init(&at);
	if (rc)
		return rc;
	/* Shared between processes, and robust: when a holder dies the next
	 * locker gets EOWNERDEAD instead of waiting for ever.  Error checking
	 * makes an unlock by a non-owner fail (EPERM) like Python's
	 * "release unlocked lock" instead of corrupting the lock. */
	if (!(rc = pthread_mutexattr_setpshared(&at, PTHREAD_PROCESS_SHARED)) &&
	    !(rc = pthread_mutexattr_setrobust(&at, PTHREAD_MUTEX_ROBUST)) &&
	    !(rc = pthread_mutexattr_settype(&at, PTHREAD_MUTEX_ERRORCHECK)))
		rc = pthread_mutex_init(m, &at);
	pthread_mutexattr_destroy(&at);
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
		struct arena_object *o = &a->objects[i];
		int rc = 0;
		switch (s->objects[i].kind) {
		case OBJ_VALUE:
			o->value = s->objects[i].initial;
			break;
		case OBJ_LOCK:
			rc = init_lock(&o->mutex);
			break;
		case OBJ_SEMAPHORE:
			rc = sem_init(&o->sem, 1, (unsigned)s->objects[i].initial) ? errno : 0;
			break;
		default:
			break;
		}
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
	if (!a)
		return;
	for (int i = 0; i < s->n_objects; i++) {
		if (s->objects[i].kind == OBJ_LOCK)
			pthread_mutex_destroy(&a->objects[i].mutex);
		else if (s->objects[i].kind == OBJ_SEMAPHORE)
			sem_destroy(&a->objects[i].sem);
	}
	for (int w = 0; w < a->n_workers; w++)
		sem_destroy(&a->slots[w].gate);
	munmap(a, size);
}
