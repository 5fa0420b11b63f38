/*
 * catalog.c: find bundled scenarios (see catalog.h).
 */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "catalog.h"

static int is_dir(const char *p)
{
	struct stat st;
	return stat(p, &st) == 0 && S_ISDIR(st.st_mode);
}

static int is_file(const char *p)
{
	struct stat st;
	return stat(p, &st) == 0 && S_ISREG(st.st_mode);
}

/* Something that is not a directory is there (a file, a FIFO, a device):
 * the loader, which never blocks on it, says what is wrong with it.  A
 * directory named like a lesson does not hide the bundled lesson. */
static int exists(const char *p)
{
	struct stat st;
	return stat(p, &st) == 0 && !S_ISDIR(st.st_mode);
}

/* The directory the executable is in, "" when unknown. */
static const char *exe_dir(void)
{
	static char dir[PATH_MAX];
	ssize_t n = readlink("/proc/self/exe", dir, sizeof dir - 1);
	if (n <= 0)
		return "";
	dir[n] = '\0';
	char *slash = strrchr(dir, '/');
	if (slash)
		*slash = '\0';
	return dir;
}

int catalog_in_build_tree(void)
{
	char want[PATH_MAX];
	if (!realpath(ABS_TOP_BUILDDIR "/src", want))
		return 0;
	return strcmp(exe_dir(), want) == 0;
}

const char *catalog_dir(void)
{
	static char dir[PATH_MAX];
	if (dir[0])
		return dir;
	const char *env = getenv("LOCKSTEP_SCENARIOS");
	if (env && *env && is_dir(env))
		snprintf(dir, sizeof dir, "%s", env);
	else if (catalog_in_build_tree() && is_dir(ABS_TOP_SRCDIR "/scenarios"))
		snprintf(dir, sizeof dir, "%s", ABS_TOP_SRCDIR "/scenarios");
	else if (snprintf(dir, sizeof dir, "%s/../share/" PACKAGE "/scenarios", exe_dir()) > 0 &&
	         is_dir(dir))
		;   /* installed somewhere else than configured (make install prefix=) */
	else
		snprintf(dir, sizeof dir, "%s", PKGDATADIR "/scenarios");
	return dir;
}

char *catalog_resolve(const char *arg, char *err, size_t errlen)
{
	if (strchr(arg, '/') || exists(arg)) {
		/* A path: the loader says what is wrong with it, with position. */
		return strdup(arg);
	}
	char path[PATH_MAX];
	size_t len = strlen(arg);
	const char *ext = len > 5 && strcmp(arg + len - 5, ".yaml") == 0 ? "" : ".yaml";
	snprintf(path, sizeof path, "%s/%s%s", catalog_dir(), arg, ext);
	if (is_file(path))
		return strdup(path);
	char name[1024], dir[PATH_MAX + 64];
	scenario_escape(name, sizeof name, arg);
	scenario_escape(dir, sizeof dir, catalog_dir());
	snprintf(err, errlen,
	         "%s:1:1: error: no scenario named '%s' (not a file, and not in %s); "
	         "try lockstep --list",
	         name, name, dir);
	return NULL;
}

static int by_order(const void *a, const void *b)
{
	const struct catalog_entry *x = a, *y = b;
	if (x->scenario->order != y->scenario->order)
		return x->scenario->order < y->scenario->order ? -1 : 1;
	return strcmp(x->scenario->id, y->scenario->id);
}

int catalog_list(struct catalog_entry **out, char *err, size_t errlen)
{
	*out = NULL;
	if (err && errlen)
		err[0] = '\0';
	DIR *d = opendir(catalog_dir());
	if (!d) {
		if (err)
			snprintf(err, errlen, "%s: %s", catalog_dir(), strerror(errno));
		return -1;
	}
	struct catalog_entry *list = NULL;
	int n = 0, cap = 0;
	struct dirent *de;
	while ((de = readdir(d))) {
		size_t len = strlen(de->d_name);
		if (len < 6 || strcmp(de->d_name + len - 5, ".yaml") != 0)
			continue;
		char path[PATH_MAX], msg[512];
		snprintf(path, sizeof path, "%s/%s", catalog_dir(), de->d_name);
		struct scenario *s = scenario_load(path, msg, sizeof msg);
		if (!s && errno != 0) {
			/* Not the file's fault: the list would be wrong. */
			if (err)
				snprintf(err, errlen, "%s", msg);
			closedir(d);
			catalog_free(list, n);
			return -1;
		}
		if (!s) {
			if (err && errlen && !err[0])
				snprintf(err, errlen, "%s", msg);
			continue;
		}
		if (n == cap) {
			cap = cap ? cap * 2 : 16;
			struct catalog_entry *l = realloc(list, (size_t)cap * sizeof *l);
			if (!l) {
				scenario_free(s);
				break;
			}
			list = l;
		}
		list[n].path = strdup(path);
		list[n].scenario = s;
		n++;
	}
	closedir(d);
	if (n)
		qsort(list, (size_t)n, sizeof *list, by_order);
	*out = list;
	return n;
}

void catalog_free(struct catalog_entry *list, int n)
{
	for (int i = 0; i < n; i++) {
		free(list[i].path);
		scenario_free(list[i].scenario);
	}
	free(list);
}
