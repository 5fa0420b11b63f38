/*
 * catalog.h: the bundled scenarios: where they are and which exist.
 *
 * A scenario argument is either a path to a file or the name of a bundled
 * scenario ("counter-locked", with or without ".yaml").  Bundled scenarios
 * are looked for, in order, in: $LOCKSTEP_SCENARIOS (a directory), the
 * build tree's scenarios/ when the program runs from its build tree,
 * ../share/lockstep/scenarios beside the executable (an install moved
 * with prefix=), and $(pkgdatadir)/scenarios where `make install` puts
 * them.
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

/* Resolve ARG to a path: ARG itself when it names an existing file or
 * contains '/', else the bundled scenario of that name.  NULL (and a
 * message in err) when there is no such scenario. */
char *catalog_resolve(const char *arg, char *err, size_t errlen);

struct catalog_entry {
	char *path;
	struct scenario *scenario;   /* loaded and valid */
};

/* Load every bundled scenario, sorted by their `order` then id.  Files that
 * fail to load are skipped (their message goes to err_out if non-NULL,
 * the first one only).  Returns the count, or -1 when the directory cannot
 * be read. */
int catalog_list(struct catalog_entry **out, char *err, size_t errlen);
void catalog_free(struct catalog_entry *list, int n);

#endif
