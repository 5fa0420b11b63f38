/*
 * py_compile.h: a Python program (py_parse.h's tree) to a scenario
 * (scenario.h): lockstep runs the program the teacher teaches.
 *
 * The compiler runs the main program at compile time, as CPython would,
 * up to the point where it starts processes: it creates the shared
 * objects (Lock(), Semaphore(4), Manager().dict({...}), Value('i', 0),
 * ...), and every Process(...).start() or Thread(...).start() becomes one
 * worker whose program is its target compiled with the arguments it was
 * given.  What a worker does to shared objects, to time and to the screen
 * becomes ops (acquire, the two steps of `d['count'] -= 1`, sleep, print),
 * each with py_line set to its source line; what it does to its own
 * locals, loops over range() and branches on known values are worked out
 * while compiling.  Workers whose programs come out the same share one
 * group.  The main process's prints after it has joined every process it
 * started are the scenario's epilogue (scenario.h: after).
 *
 * Contract:
 *  - py_compile_buffer() returns a valid scenario (as scenario_load()
 *    would: every op names an object of a kind it takes, bounds hold) or
 *    NULL with exactly one message "NAME:LINE:COL: error: ..." in err,
 *    the syntax error or the construct lockstep does not support, named.
 *    It never runs half of a program it does not understand.
 *  - Bounded: the parser's bounds, SCENARIO_MAX_OPS steps per worker,
 *    SCENARIO_MAX_WORKERS workers, call depth PYC_MAX_DEPTH.
 *  - The document of the subset, and what each construct becomes, is
 *    docs/python.md.
 */
#ifndef LOCKSTEP_PY_COMPILE_H
#define LOCKSTEP_PY_COMPILE_H

#include <stddef.h>

#include "scenario.h"

#define PYC_MAX_DEPTH 32

/* Compile LEN bytes of Python named NAME (used in messages and for the
 * scenario's id) into a scenario; its path is NAME. */
struct scenario *py_compile_buffer(const char *name, const char *src,
				   size_t len, char *err, size_t errlen);

/* The same from a file (at most PY_MAX_SOURCE bytes, a regular file).
 * errno as scenario_load() sets it: 0 for the file's fault. */
struct scenario *py_compile_file(const char *path, char *err, size_t errlen);

#endif
