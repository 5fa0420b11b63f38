/*
 * catalog.h: the bundled scenarios: where they are and which exist.
 *
 * A scenario argument is either a path to a file or the name of a lesson
 * ("counter-locked", with or without ".yaml"; NAME.py when there is no
 * NAME.yaml) in one of the catalog's
 * folders, looked up in this order (the first that has it wins):
 *  1. the bundled folder: $LOCKSTEP_SCENARIOS when set (it replaces the
 *     bundled lessons), else the build tree's scenarios/ when the program
 *     runs from its build tree, else ../share/lockstep/scenarios beside
 *     the executable (an install moved with prefix=), else
 *     $(pkgdatadir)/scenarios where `make install` puts them;
 *  2. each folder of $LOCKSTEP_PATH (colon-separated), in order;
 *  3. $XDG_DATA_HOME/lockstep/scenarios (default
 *     ~/.local/share/lockstep/scenarios): a teacher's own lessons.
 * Folders 2 and 3 add lessons: a bundled name always means the bundled
 * lesson.  catalog_only(DIR) makes DIR the only folder (`lockstep DIR`).
 *
 * Contract: returned strings and lists are malloc'd; free them with free()
 * and catalog_free().  Nothing here loads a scenario's objects or forks.
 */
#ifndef LOCKSTEP_CATALOG_H
#define LOCKSTEP_CATALOG_H

#include <stddef.h>

#include "scenario.h"

/* Does this program run from its build tree (the executable sits in
 * ABS_TOP_BUILDDIR/src)?  Then its data is read from the tree, not from
 * where `make install` would put it. */
int catalog_in_build_tree(void);

/* The directory bundled scenarios come from (never NULL). */
const char *catalog_dir(void);

#define CATALOG_MAX_DIRS 16

/* Make DIR the catalog's only folder (lockstep DIR, --list DIR). */
void catalog_only(const char *dir);
/* The folder given to catalog_only(), or NULL. */
const char *catalog_only_dir(void);
/* The folders, in lookup order (the first is the bundled one, or the
 * only one); the count.  The strings stay valid. */
int catalog_dirs(const char *const **out);
/* Is a directory entry NAME a lesson file (x.yaml or a Python program
 * x.py, not hidden)? */
int catalog_is_lesson(const char *name);

/* Resolve ARG to a path: ARG itself when it contains '/' or something other
 * than a directory is there (a FIFO too, which the loader then refuses
 * without blocking), else the bundled scenario of that name.  NULL when there
 * is no such scenario, and in err a whole message in the loader's form,
 * "ARG:1:1: error: no scenario named 'ARG' ..." (ARG escaped as by
 * scenario_escape), to print as it is. */
char *catalog_resolve(const char *arg, char *err, size_t errlen);

struct catalog_entry {
	char *path;
	struct scenario *scenario;   /* loaded and valid */
};

/* Load every lesson of every folder, sorted by their `order` then id.  Files that
 * fail to load are skipped (their message goes to err_out if non-NULL,
 * the first one only); so is anything that is not a regular file (a FIFO
 * named x.yaml), which is never opened for reading.  Returns the count, or
 * -1 when the bundled (or only) folder cannot be read or the environment failed while
 * loading (scenario_load set errno: out of descriptors or memory), with
 * the reason in err. */
int catalog_list(struct catalog_entry **out, char *err, size_t errlen);
void catalog_free(struct catalog_entry *list, int n);

#endif
