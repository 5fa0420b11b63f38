/*
 * tests/failalloc.c: an LD_PRELOAD shim for tests/limits.sh.  Every
 * malloc, calloc or realloc asking for more than LOCKSTEP_FAIL_OVER bytes
 * fails with ENOMEM, as it would on a machine out of memory, so that the
 * test can watch what lockstep does when its growing tables cannot grow.
 * Smaller requests go to glibc as usual.
 */
#include <errno.h>
#include <stdlib.h>

extern void *__libc_malloc(size_t);
extern void *__libc_calloc(size_t, size_t);
extern void *__libc_realloc(void *, size_t);

static size_t failalloc_limit(void)
{
	static size_t limit;
	static int known;
	if (!known) {
		const char *s = getenv("LOCKSTEP_FAIL_OVER");
		limit = s ? strtoull(s, NULL, 10) : 0;
		known = 1;
	}
	return limit;
}

static int failalloc_refuse(size_t n)
{
	size_t limit = failalloc_limit();
	if (limit && n > limit) {
		errno = ENOMEM;
		return 1;
	}
	return 0;
}

void *malloc(size_t n)
{
	return failalloc_refuse(n) ? NULL : __libc_malloc(n);
}

void *calloc(size_t m, size_t n)
{
	if (n && m > (size_t)-1 / n)
		return __libc_calloc(m, n);   /* glibc reports the overflow */
	return failalloc_refuse(m * n) ? NULL : __libc_calloc(m, n);
}

void *realloc(void *p, size_t n)
{
	return failalloc_refuse(n) ? NULL : __libc_realloc(p, n);
}
