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
#include "i18n.h"

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

/* The folders lessons come from, in lookup order: the bundled one, then
 * each LOCKSTEP_PATH entry, then $XDG_DATA_HOME/lockstep/scenarios (a
 * teacher's own lessons); or only the folder given to catalog_only().
 * Folders that do not exist are left out, except the bundled one. */
static char only_dir[PATH_MAX];
static char dirs_buf[CATALOG_MAX_DIRS][PATH_MAX];
static int n_dirs = -1;

void catalog_only(const char *dir)
{
	snprintf(only_dir, sizeof only_dir, "%s", dir);
	n_dirs = -1;
}

const char *catalog_only_dir(void)
{
	return only_dir[0] ? only_dir : NULL;
}

static void add_dir(const char *d, size_t len)
{
	if (n_dirs >= CATALOG_MAX_DIRS || len == 0 || len >= PATH_MAX)
		return;
	char path[PATH_MAX];
	memcpy(path, d, len);
	path[len] = '\0';
	if (!is_dir(path))
		return;
	for (int i = 0; i < n_dirs; i++)   /* the same folder twice: once */
		if (strcmp(dirs_buf[i], path) == 0)
			return;
	memcpy(dirs_buf[n_dirs++], path, len + 1);
}

static void dirs_init(void)
{
	n_dirs = 0;
	if (only_dir[0]) {
		snprintf(dirs_buf[n_dirs++], PATH_MAX, "%s", only_dir);
		return;
	}
	snprintf(dirs_buf[n_dirs++], PATH_MAX, "%s", catalog_dir());
	const char *p = getenv("LOCKSTEP_PATH");
	while (p && *p) {
		size_t len = strcspn(p, ":");
		add_dir(p, len);
		p += len + (p[len] == ':');
	}
	char xdg[PATH_MAX];
	const char *data = getenv("XDG_DATA_HOME"), *home = getenv("HOME");
	if (data && data[0] == '/')
		snprintf(xdg, sizeof xdg, "%s/" PACKAGE "/scenarios", data);
	else if (home && *home)
		snprintf(xdg, sizeof xdg, "%s/.local/share/" PACKAGE "/scenarios", home);
	else
		xdg[0] = '\0';
	add_dir(xdg, strlen(xdg));
}

int catalog_dirs(const char *const **out)
{
	static const char *ptrs[CATALOG_MAX_DIRS];
	if (n_dirs < 0)
		dirs_init();
	for (int i = 0; i < n_dirs; i++)
		ptrs[i] = dirs_buf[i];
	*out = ptrs;
	return n_dirs;
}

static int ends_with(const char *s, const char *tail)
{
	size_t n = strlen(s), t = strlen(tail);
	return n > t && strcmp(s + n - t, tail) == 0;
}

int catalog_is_lesson(const char *name)
{
	return name[0] != '.' && (ends_with(name, ".yaml") || ends_with(name, ".py"));
}

char *catalog_resolve(const char *arg, char *err, size_t errlen)
{
	if (strchr(arg, '/') || exists(arg)) {
		/* A path: the loader says what is wrong with it, with position. */
		return strdup(arg);
	}
	const char *const *dirs;
	int n = catalog_dirs(&dirs);
	/* NAME is NAME.yaml, else NAME.py (a Python program), in each folder. */
	static const char *const exts[] = { ".yaml", ".py" };
	int named = catalog_is_lesson(arg);
	char where[1024] = "";
	for (int i = 0; i < n; i++) {
		char path[PATH_MAX + 64], dir[PATH_MAX + 64];
		for (int e = 0; e < (named ? 1 : 2); e++) {
			snprintf(path, sizeof path, "%s/%s%s", dirs[i], arg, named ? "" : exts[e]);
			if (is_file(path))
				return strdup(path);
		}
		scenario_escape(dir, sizeof dir, dirs[i]);
		size_t w = strlen(where), d = strlen(dir);
		if (w + d + 3 < sizeof where) {   /* else the list ends here */
			memcpy(where + w, i ? ", " : "", i ? 2 : 0);
			memcpy(where + w + (i ? 2 : 0), dir, d + 1);
		}
	}
	char name[1024];
	scenario_escape(name, sizeof name, arg);
	snprintf(err, errlen,
	         _("%s:1:1: error: no scenario named '%s' (not a file, and not in %s); "
	           "try lockstep --list"),
	         name, name, where);
	return NULL;
}

static int by_order(const void *a, const void *b)
{
	const struct catalog_entry *x = a, *y = b;
	if (x->scenario->order != y->scenario->order)
		return x->scenario->order < y->scenario->order ? -1 : 1;
	return strcmp(x->scenario->id, y->scenario->id);
}

/* Append list entry for PATH, loaded.  0, or -1 when the environment
 * failed (errno set, message in err): the list would be wrong. */
static int list_add(struct catalog_entry **list, int *n, int *cap, const char *path,
                    char *err, size_t errlen)
{
	char msg[512];
	struct scenario *s = scenario_load(path, msg, sizeof msg);
	if (!s && errno != 0) {
		if (err)
			snprintf(err, errlen, "%s", msg);
		return -1;
	}
	if (!s) {
		/* A teacher's broken lesson: say which, keep the others. */
		if (err && errlen && !err[0])
			snprintf(err, errlen, "%s", msg);
		return 0;
	}
	if (*n == *cap) {
		int c = *cap ? *cap * 2 : 16;
		struct catalog_entry *l = realloc(*list, (size_t)c * sizeof *l);
		if (!l) {
			scenario_free(s);
			errno = ENOMEM;
			if (err)
				snprintf(err, errlen, "%s", strerror(errno));
			return -1;
		}
		*list = l;
		*cap = c;
	}
	(*list)[*n].path = strdup(path);
	(*list)[*n].scenario = s;
	(*n)++;
	return 0;
}

/* Every lesson file of one folder, in no order.  0, or -1 as list_add. */
static int list_dir(const char *dir, int first, struct catalog_entry **list, int *n,
                    int *cap, char *err, size_t errlen)
{
	DIR *d = opendir(dir);
	if (!d) {
		/* The bundled folder (or the one asked for) must be readable;
		 * an added folder that is not is left out. */
		if (!first)
			return 0;
		if (err)
			snprintf(err, errlen, "%s: %s", dir, strerror(errno));
		return -1;
	}
	struct dirent *de;
	int rc = 0;
	while (rc == 0 && (de = readdir(d))) {
		if (!catalog_is_lesson(de->d_name))
			continue;
		char path[PATH_MAX + 256];
		snprintf(path, sizeof path, "%s/%s", dir, de->d_name);
		/* The loader refuses a FIFO named x.yaml without opening it
		 * for reading: listed as a bad file, it never hangs the list. */
		rc = list_add(list, n, cap, path, err, errlen);
	}
	closedir(d);
	return rc;
}

int catalog_list(struct catalog_entry **out, char *err, size_t errlen)
{
	*out = NULL;
	if (err && errlen)
		err[0] = '\0';
	const char *const *dirs;
	int nd = catalog_dirs(&dirs);
	struct catalog_entry *list = NULL;
	int n = 0, cap = 0;
	for (int i = 0; i < nd; i++)
		if (list_dir(dirs[i], i == 0, &list, &n, &cap, err, errlen) < 0) {
			catalog_free(list, n);
			return -1;
		}
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
