/*
 * py_parse.h: Python source to a syntax tree (py_ast.h), for the subset
 * of Python that lessons about processes are written in.
 *
 * The subset and the messages for what is outside it are documented in
 * docs/python.md.  In short: imports, def with positional parameters and
 * defaults, classes with methods, if/elif/else, for, while, with, return,
 * pass, break, continue, global, assignment (names, attributes,
 * subscripts, tuples), augmented assignment, expression statements; in
 * expressions: names, numbers, strings and f-strings, calls with keyword
 * arguments, attributes, subscripts, tuples, lists, dicts, arithmetic,
 * comparisons, and/or/not and the conditional expression.
 *
 * Contract:
 *  - py_parse_buffer() never crashes, whatever the bytes: it returns a
 *    tree (free it with py_ast_free) or NULL after writing exactly one
 *    message "NAME:LINE:COL: error: ..." into err (no trailing newline;
 *    control characters escaped).  It does not print.
 *  - A genuine syntax error is reported where python3 reports it (the
 *    same LINE and COL as SyntaxError.lineno and .offset) in the cases
 *    tests/unit-python.c lists; the wording may be clearer than CPython's.
 *    Valid Python outside the subset is refused at the construct, naming
 *    it ("`lambda` is not supported by lockstep").  As in CPython, an
 *    error the tokenizer finds later in the file (an unclosed bracket, an
 *    unterminated string) wins over a parser error before it.
 *  - Bounded: at most PY_MAX_SOURCE bytes of source, 200 nested
 *    brackets, 100 indentation levels, PY_MAX_NESTING nested operators
 *    (`- - - x`); time and memory linear in the length.
 *  - name is only used in messages (NULL reads "<input>"); buf need not
 *    be NUL-terminated and may contain anything.
 */
#ifndef LOCKSTEP_PY_PARSE_H
#define LOCKSTEP_PY_PARSE_H

#include <stddef.h>

#include "py_ast.h"

#define PY_MAX_SOURCE   (4u << 20)    /* 4 MiB of source */
#define PY_MAX_NESTING  200           /* nested unary operators, powers */
#define PY_MAX_TREE     (64u << 20)   /* bytes of tree: about 3 MiB of dense code */

struct py_ast *py_parse_buffer(const char *name, const char *buf, size_t len,
			       char *err, size_t errlen);

#endif
