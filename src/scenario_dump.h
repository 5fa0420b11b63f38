/*
 * scenario_dump.h: a loaded scenario written back as a scenario file
 * (lockstep --dump), so that what the Python compiler made can be read,
 * kept and edited.
 *
 * Contract: scenario_dump() writes YAML of format version 1 that
 * scenario_load() reads back to the same objects, groups and ops (the
 * same kinds, objects, elements, amounts, sleeps, texts, jumps and
 * lines): the same seed then gives the same trace.  Numbers that follow
 * --workers in the original file are written as their values for the
 * current worker count.  Returns 0, or -1 when writing failed (errno).
 */
#ifndef LOCKSTEP_SCENARIO_DUMP_H
#define LOCKSTEP_SCENARIO_DUMP_H

#include <stdio.h>

#include "scenario.h"

int scenario_dump(FILE *f, const struct scenario *s);

#endif
