/*
 * py_parse_priv.h: what the parts of the Python parser share.
 *
 * py_parse.c reads statements, py_parse_expr.c expressions and
 * py_parse_str.c string literals and f-strings.  Every function that
 * makes a node returns it, or NULL after an error was recorded in the
 * diagnostic (p->diag->failed is then set); callers pass NULL up.
 */
#ifndef LOCKSTEP_PY_PARSE_PRIV_H
#define LOCKSTEP_PY_PARSE_PRIV_H

#include "py_ast.h"
#include "py_lex.h"
#include "py_parse.h"

#define PY_MAX_TREE_BYTES PY_MAX_TREE

struct py_parser {
	struct py_lexer lx;
	struct py_diag *diag;
	struct py_ast *ast;
	struct py_token tok;        /* the current token */
	struct py_token ahead;      /* the one after, when have_ahead */
	int have_ahead;
	int *depth;                 /* nesting, shared with f-string parsers */
	int lex_failed;             /* the error came from the tokenizer */
	int indent_error;           /* "unexpected indent": no later check */
};

/* A list being built: nodes chained by next. */
struct py_list {
	struct py_node *head, *tail;
	int n;
};

void *py_ast_alloc(struct py_ast *ast, size_t n);

/* py_parse.c */
int py_next(struct py_parser *p);
const struct py_token *py_peek_ahead(struct py_parser *p);
int py_is_op(const struct py_parser *p, enum py_op op);
int py_is_kw(const struct py_parser *p, enum py_kw kw);
struct py_node *py_new(struct py_parser *p, enum py_kind kind, int line, int col);
struct py_node *py_new_at(struct py_parser *p, enum py_kind kind, const struct py_token *t);
/* LEN bytes and a NUL in the tree, zeroed; a copy of S[0..LEN). */
char *py_new_str(struct py_parser *p, size_t len);
char *py_strdup_tok(struct py_parser *p, const char *s, size_t len);
void py_list_add(struct py_list *l, struct py_node *n);
struct py_node *py_syntax(struct py_parser *p);
struct py_node *py_unsupported(struct py_parser *p, int line, int col, const char *what);
struct py_node *py_fail(struct py_parser *p, int line, int col, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
int py_enter(struct py_parser *p);
void py_leave(struct py_parser *p);

/* py_parse_expr.c */
struct py_node *py_parse_expr(struct py_parser *p);
struct py_node *py_parse_exprlist(struct py_parser *p);
struct py_node *py_parse_targets(struct py_parser *p, int tuple);
const char *py_target_error(const struct py_node *n);
int py_starts_expr(const struct py_token *t);

/* py_parse_str.c */
struct py_node *py_parse_strings(struct py_parser *p);

#endif
