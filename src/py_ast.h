/*
 * py_ast.h: the syntax tree of a Python program, as lockstep's Python
 * front end reads it (py_parse.h makes it).
 *
 * One struct py_node for every kind; what each field holds depends on the
 * kind, listed below.  The names of the kinds are CPython's ast class
 * names, so a tree can be compared with python3's `ast` (tests/python.sh).
 * Lists (a module's statements, a call's arguments) are chains of nodes
 * linked by `next`, in source order.
 *
 * Positions: LINE and COL of the node's first character, 1-based, COL in
 * characters (see py_lex.h).  For `elif` the nested If starts at `elif`,
 * as in CPython.
 *
 * Memory: every node and every string of one tree lives in the tree's
 * arena (struct py_ast), freed at once by py_ast_free().
 *
 *   kind             fields
 *   Module           body
 *   Import           items: alias...
 *   ImportFrom       str: module (dotted), items: alias... (name "*" for *)
 *   alias            str: name (dotted), str2: asname or NULL
 *   FunctionDef      str: name, items: arg..., body
 *   arg              str: name, a: default or NULL
 *   ClassDef         str: name, items: bases..., body
 *   If               a: test, body, orelse (an elif is one If in orelse)
 *   For              a: target, b: iterable, body
 *   While            a: test, body
 *   With             items: withitem..., body
 *   withitem         a: context expression, b: target or NULL
 *   Return           a: value or NULL
 *   Pass, Break, Continue
 *   Assign           items: targets... (a = b = 1 has two), a: value
 *   AugAssign        a: target, op: the operator (PY_OP_PLUS...), b: value
 *   Expr             a: the expression
 *   Global           items: Name...
 *   Name             str
 *   Int              ival (fits in 64 bits, or the file is refused)
 *   Float            fval
 *   Str              str, len (UTF-8, escapes decoded, NUL-terminated;
 *                    adjacent literals are joined, as in Python)
 *   Bool             ival: 1 for True, 0 for False
 *   NoneConst        -
 *   JoinedStr        items: Str and FormattedValue parts (an f-string)
 *   FormattedValue   a: expression, op: conversion 's', 'r', 'a' or 0,
 *                    b: format spec (a JoinedStr) or NULL
 *   Call             a: function, items: positional args,
 *                    items2: keyword...
 *   keyword          str: name, a: value
 *   Attribute        a: value, str: attribute name
 *   Subscript        a: value, b: index
 *   Tuple, List      items
 *   Dict             items: keys, items2: values (same count)
 *   UnaryOp          op: PY_OP_MINUS or PY_OP_PLUS, a: operand
 *   Not              a: operand
 *   BinOp            op: PY_OP_PLUS, MINUS, STAR, SLASH, FLOORDIV,
 *                    PERCENT or POW, a: left, b: right
 *   BoolOp           op: PY_KW_AND or PY_KW_OR, items: operands (2 or more)
 *   Compare          a: left, items: cmpop... (a < b < c has two)
 *   cmpop            op: enum py_cmp, a: the right operand
 *   IfExp            a: test, b: value if true, c: value if false
 */
#ifndef LOCKSTEP_PY_AST_H
#define LOCKSTEP_PY_AST_H

#include <stddef.h>
#include <stdio.h>

#define PY_NODE_KINDS(X) \
	X(PY_MODULE, "Module") X(PY_IMPORT, "Import") \
	X(PY_IMPORT_FROM, "ImportFrom") X(PY_ALIAS, "alias") \
	X(PY_FUNCTION_DEF, "FunctionDef") X(PY_ARG, "arg") \
	X(PY_CLASS_DEF, "ClassDef") X(PY_IF, "If") X(PY_FOR, "For") \
	X(PY_WHILE, "While") X(PY_WITH, "With") X(PY_WITHITEM, "withitem") \
	X(PY_RETURN, "Return") X(PY_PASS, "Pass") X(PY_BREAK, "Break") \
	X(PY_CONTINUE, "Continue") X(PY_ASSIGN, "Assign") \
	X(PY_AUG_ASSIGN, "AugAssign") X(PY_EXPR, "Expr") X(PY_GLOBAL, "Global") \
	X(PY_NAME, "Name") X(PY_INT, "Int") X(PY_FLOAT, "Float") \
	X(PY_STR, "Str") X(PY_BOOL, "Bool") X(PY_NONE, "NoneConst") \
	X(PY_JOINED_STR, "JoinedStr") X(PY_FORMATTED_VALUE, "FormattedValue") \
	X(PY_CALL, "Call") X(PY_KEYWORD, "keyword") X(PY_ATTRIBUTE, "Attribute") \
	X(PY_SUBSCRIPT, "Subscript") X(PY_TUPLE, "Tuple") X(PY_LIST, "List") \
	X(PY_DICT, "Dict") X(PY_UNARY_OP, "UnaryOp") X(PY_NOT, "Not") \
	X(PY_BIN_OP, "BinOp") X(PY_BOOL_OP, "BoolOp") X(PY_COMPARE, "Compare") \
	X(PY_CMPOP, "cmpop") X(PY_IF_EXP, "IfExp")

#define PY_KIND_ENUM(id, s) id,
enum py_kind { PY_NODE_KINDS(PY_KIND_ENUM) PY_KIND_COUNT };
#undef PY_KIND_ENUM

#define PY_CMPS(X) \
	X(PY_CMP_EQ, "==") X(PY_CMP_NE, "!=") X(PY_CMP_LT, "<") X(PY_CMP_LE, "<=") \
	X(PY_CMP_GT, ">") X(PY_CMP_GE, ">=") X(PY_CMP_IN, "in") \
	X(PY_CMP_NOT_IN, "not in") X(PY_CMP_IS, "is") X(PY_CMP_IS_NOT, "is not")

#define PY_CMP_ENUM(id, s) id,
enum py_cmp { PY_CMPS(PY_CMP_ENUM) PY_CMP_COUNT };
#undef PY_CMP_ENUM

struct py_node {
	enum py_kind kind;
	int line, col;
	int op;                  /* see the table: an enum py_op, py_kw, py_cmp
	                          * or a conversion character */
	const char *str;
	const char *str2;
	size_t len;              /* bytes in str */
	union {
		long long ival;
		double fval;
	};
	struct py_node *a, *b, *c;
	struct py_node *body;        /* statements */
	struct py_node *items;       /* expressions and the like */
	union {
		struct py_node *orelse;
		struct py_node *items2;
	};
	struct py_node *next;
};

/* A parsed program: the Module node and the memory of the whole tree. */
struct py_chunk;
struct py_ast {
	struct py_node *root;
	struct py_chunk *chunks;
	size_t bytes;            /* allocated so far, all chunks */
};

const char *py_kind_name(enum py_kind kind);
const char *py_cmp_str(enum py_cmp cmp);

/* Free a tree and all it holds (NULL is fine). */
void py_ast_free(struct py_ast *ast);

/* Write NODE and its children as an S-expression, one line per
 * statement, indented by nesting:
 *   (FunctionDef work 2:1 (arg d) (arg lock)
 *     (With 3:5 (withitem (Name lock)) ...
 * Strings are quoted with control characters and non-ASCII bytes
 * escaped, so the dump is plain ASCII. */
void py_ast_dump(FILE *f, const struct py_node *node);

/* Write "LINE:COL Kind" for every statement, in source order (the list
 * tests/python/astlines.py makes from python3's ast). */
void py_ast_lines(FILE *f, const struct py_node *node);

#endif
