/*
 * py_parse.c: statements, and the entry point (py_parse.h).
 *
 * A recursive-descent parser over py_lex's tokens with one token of
 * lookahead (two for `not in` and `is not`).  Statement nesting is bounded
 * by the tokenizer's 100 indentation levels, expression nesting by its
 * 200 brackets and by PY_MAX_NESTING, so the C stack stays small.
 */
#include "config.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "i18n.h"
#include "py_parse_priv.h"

/* ---- tokens and nodes ---------------------------------------------------- */

int py_next(struct py_parser *p)
{
	if (p->have_ahead) {
		p->tok = p->ahead;
		p->have_ahead = 0;
		return 0;
	}
	if (py_lex_next(&p->lx, &p->tok) < 0) {
		p->lex_failed = 1;
		return -1;
	}
	return 0;
}

const struct py_token *py_peek_ahead(struct py_parser *p)
{
	if (!p->have_ahead) {
		if (py_lex_next(&p->lx, &p->ahead) < 0) {
			p->lex_failed = 1;
			return NULL;
		}
		p->have_ahead = 1;
	}
	return &p->ahead;
}

int py_is_op(const struct py_parser *p, enum py_op op)
{
	return p->tok.kind == PY_T_OP && p->tok.op == op;
}

int py_is_kw(const struct py_parser *p, enum py_kw kw)
{
	return p->tok.kind == PY_T_NAME && p->tok.kw == kw;
}

struct py_node *py_new(struct py_parser *p, enum py_kind kind, int line, int col)
{
	struct py_node *n = py_ast_alloc(p->ast, sizeof *n);

	if (n == NULL) {
		py_error_at(p->diag, line, col,
			    "the program is too large for lockstep (its syntax tree passed %u MiB)",
			    PY_MAX_TREE >> 20);
		return NULL;
	}
	n->kind = kind;
	n->line = line;
	n->col = col;
	return n;
}

struct py_node *py_new_at(struct py_parser *p, enum py_kind kind, const struct py_token *t)
{
	return py_new(p, kind, t->line, t->col);
}

char *py_new_str(struct py_parser *p, size_t len)
{
	char *d = py_ast_alloc(p->ast, len + 1);

	if (d == NULL)
		py_error_at(p->diag, p->tok.line, p->tok.col,
			    "the program is too large for lockstep (its syntax tree passed %u MiB)",
			    PY_MAX_TREE >> 20);
	return d;
}

char *py_strdup_tok(struct py_parser *p, const char *s, size_t len)
{
	char *d = py_new_str(p, len);

	if (d != NULL)
		memcpy(d, s, len);
	return d;
}

void py_list_add(struct py_list *l, struct py_node *n)
{
	if (l->tail != NULL)
		l->tail->next = n;
	else
		l->head = n;
	l->tail = n;
	l->n++;
}

struct py_node *py_fail(struct py_parser *p, int line, int col, const char *fmt, ...)
{
	char msg[400];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	py_error_text(p->diag, line, col, msg);
	return NULL;
}

/* "invalid syntax" at the current token, naming it. */
struct py_node *py_syntax(struct py_parser *p)
{
	char shown[48];
	const struct py_token *t = &p->tok;

	switch (t->kind) {
	case PY_T_NEWLINE:
		return py_fail(p, t->line, t->col, _("invalid syntax: unexpected end of line"));
	case PY_T_END:
		return py_fail(p, t->line, t->col, _("invalid syntax: unexpected end of file"));
	case PY_T_INDENT:
		return py_fail(p, t->line, t->col, _("unexpected indent"));
	case PY_T_DEDENT:
		return py_fail(p, t->line, t->col, _("invalid syntax: unexpected end of block"));
	default:
		py_quote(shown, sizeof shown, t->text, t->len, 20);
		return py_fail(p, t->line, t->col, _("invalid syntax: unexpected '%s'"), shown);
	}
}

struct py_node *py_unsupported(struct py_parser *p, int line, int col, const char *what)
{
	return py_fail(p, line, col, "%s is not supported by lockstep", what);
}

int py_enter(struct py_parser *p)
{
	if (++*p->depth > PY_MAX_NESTING) {
		py_fail(p, p->tok.line, p->tok.col,
			"the expression is nested too deeply (more than %d levels)", PY_MAX_NESTING);
		return -1;
	}
	return 0;
}

void py_leave(struct py_parser *p)
{
	--*p->depth;
}

/* Take the expected operator, or fail with MSG at the current token. */
static int py_expect_op(struct py_parser *p, enum py_op op, const char *msg)
{
	if (!py_is_op(p, op)) {
		py_fail(p, p->tok.line, p->tok.col, "%s", msg);
		return -1;
	}
	return py_next(p);
}

/* A name token (not a keyword) as an arena string. */
static const char *py_take_name(struct py_parser *p, const char *msg)
{
	const char *s;

	if (p->tok.kind != PY_T_NAME || p->tok.kw != PY_KW_NONE_) {
		if (p->tok.kind == PY_T_NAME || p->tok.kind == PY_T_OP || p->tok.kind == PY_T_NUMBER
		    || p->tok.kind == PY_T_STRING)
			py_fail(p, p->tok.line, p->tok.col, "%s", msg);
		else
			py_syntax(p);
		return NULL;
	}
	s = py_strdup_tok(p, p->tok.text, p->tok.len);
	if (s == NULL || py_next(p) < 0)
		return NULL;
	return s;
}

/* ---- blocks ---------------------------------------------------------------- */

static struct py_node *py_parse_simple(struct py_parser *p, struct py_list *out);

/* A token that starts a compound statement. */
static int py_is_compound(const struct py_parser *p)
{
	static const enum py_kw kws[] = {
		PY_KW_IF, PY_KW_WHILE, PY_KW_FOR, PY_KW_WITH, PY_KW_DEF, PY_KW_CLASS,
		PY_KW_TRY, PY_KW_ASYNC, PY_KW_ELIF, PY_KW_ELSE, PY_KW_EXCEPT, PY_KW_FINALLY,
	};
	if (py_is_op(p, PY_OP_AT))
		return 1;
	for (size_t i = 0; i < sizeof kws / sizeof kws[0]; i++)
		if (py_is_kw(p, kws[i]))
			return 1;
	return 0;
}

static struct py_node *py_parse_stmt(struct py_parser *p, struct py_list *out);

/* ':' then a block: an indented suite or simple statements on the line.
 * COLON is the message when the ':' is missing, WHAT names the statement
 * that began on LINE for the message when the block is ("'if' statement",
 * CPython's words). */
static struct py_node *py_parse_block(struct py_parser *p, const char *colon,
				      const char *what, int line)
{
	struct py_list body = { 0 };

	if (!py_is_op(p, PY_OP_COLON))
		return py_fail(p, p->tok.line, p->tok.col, "%s", colon);
	if (py_next(p) < 0)
		return NULL;
	if (p->tok.kind != PY_T_NEWLINE) {
		/* On the header's line only simple statements: `if x: for ...`
		 * is not Python. */
		if (py_is_compound(p))
			return py_syntax(p);
		if (py_parse_simple(p, &body) == NULL)
			return NULL;
		return body.head;
	}
	if (py_next(p) < 0)
		return NULL;
	if (p->tok.kind != PY_T_INDENT)
		return py_fail(p, p->tok.line, p->tok.col,
			       "expected an indented block after %s on line %d", what, line);
	if (py_next(p) < 0)
		return NULL;
	while (p->tok.kind != PY_T_DEDENT && p->tok.kind != PY_T_END)
		if (py_parse_stmt(p, &body) == NULL)
			return NULL;
	if (p->tok.kind == PY_T_DEDENT && py_next(p) < 0)
		return NULL;
	return body.head;
}

/* An `else` that loops may not have, in lockstep. */
static struct py_node *py_no_loop_else(struct py_parser *p, const char *loop)
{
	if (py_is_kw(p, PY_KW_ELSE)) {
		char what[64];
		snprintf(what, sizeof what, "`else` after a `%s` loop", loop);
		return py_unsupported(p, p->tok.line, p->tok.col, what);
	}
	return (struct py_node *)p;     /* anything not NULL: fine */
}

/* ---- compound statements ----------------------------------------------------- */

static struct py_node *py_parse_if(struct py_parser *p)
{
	struct py_node *n = py_new_at(p, PY_IF, &p->tok);
	int elif = py_is_kw(p, PY_KW_ELIF);
	int line = p->tok.line;

	if (n == NULL || py_next(p) < 0 || (n->a = py_parse_expr(p)) == NULL)
		return NULL;
	n->body = py_parse_block(p, elif ? "expected ':' after the 'elif' condition"
				 : "expected ':' after the 'if' condition",
				 elif ? "'elif' statement" : "'if' statement", line);
	if (n->body == NULL)
		return NULL;
	if (py_is_kw(p, PY_KW_ELIF)) {
		n->orelse = py_parse_if(p);
		return n->orelse ? n : NULL;
	}
	if (py_is_kw(p, PY_KW_ELSE)) {
		line = p->tok.line;
		if (py_next(p) < 0 || (n->orelse = py_parse_block(p, "expected ':' after 'else'",
							       "'else' statement", line)) == NULL)
			return NULL;
	}
	return n;
}

static struct py_node *py_parse_while(struct py_parser *p)
{
	struct py_node *n = py_new_at(p, PY_WHILE, &p->tok);
	int line = p->tok.line;

	if (n == NULL || py_next(p) < 0 || (n->a = py_parse_expr(p)) == NULL)
		return NULL;
	if ((n->body = py_parse_block(p, "expected ':' after the 'while' condition",
					  "'while' statement", line)) == NULL)
		return NULL;
	return py_no_loop_else(p, "while") ? n : NULL;
}

static struct py_node *py_parse_for(struct py_parser *p)
{
	struct py_node *n = py_new_at(p, PY_FOR, &p->tok);
	int line = p->tok.line;

	if (n == NULL || py_next(p) < 0 || (n->a = py_parse_targets(p, 1)) == NULL)
		return NULL;
	if (!py_is_kw(p, PY_KW_IN))
		return py_fail(p, p->tok.line, p->tok.col, _("expected 'in' after the 'for' target"));
	if (py_next(p) < 0 || (n->b = py_parse_exprlist(p)) == NULL)
		return NULL;
	if ((n->body = py_parse_block(p, "expected ':' after the iterable of the 'for' statement",
					  "'for' statement", line)) == NULL)
		return NULL;
	return py_no_loop_else(p, "for") ? n : NULL;
}

static struct py_node *py_parse_with(struct py_parser *p)
{
	struct py_node *n = py_new_at(p, PY_WITH, &p->tok);
	struct py_list items = { 0 };
	int line = p->tok.line;

	if (n == NULL || py_next(p) < 0)
		return NULL;
	do {
		struct py_node *it;
		if (items.n > 0 && py_next(p) < 0)
			return NULL;
		if ((it = py_new_at(p, PY_WITHITEM, &p->tok)) == NULL
		    || (it->a = py_parse_expr(p)) == NULL)
			return NULL;
		if (py_is_kw(p, PY_KW_AS)) {
			if (py_next(p) < 0 || (it->b = py_parse_targets(p, 0)) == NULL)
				return NULL;
		}
		py_list_add(&items, it);
	} while (py_is_op(p, PY_OP_COMMA));
	n->items = items.head;
	if ((n->body = py_parse_block(p, "expected ':' after the items of the 'with' statement",
					  "'with' statement", line)) == NULL)
		return NULL;
	return n;
}

/* def NAME(a, b=1): only positional parameters, with defaults. */
static struct py_node *py_parse_params(struct py_parser *p)
{
	struct py_list params = { 0 };
	int defaults = 0;

	while (!py_is_op(p, PY_OP_RPAR)) {
		struct py_node *arg;
		if (py_is_op(p, PY_OP_STAR) || py_is_op(p, PY_OP_POW))
			return py_unsupported(p, p->tok.line, p->tok.col,
					      py_is_op(p, PY_OP_STAR) ? "`*args` (or a bare `*`) in a definition"
					      : "`**kwargs` in a definition");
		if (py_is_op(p, PY_OP_SLASH))
			return py_unsupported(p, p->tok.line, p->tok.col, "a `/` (positional-only marker)");
		if ((arg = py_new_at(p, PY_ARG, &p->tok)) == NULL
		    || (arg->str = py_take_name(p, "expected a parameter name")) == NULL)
			return NULL;
		if (py_is_op(p, PY_OP_COLON))
			return py_unsupported(p, p->tok.line, p->tok.col, "an annotation of a parameter");
		if (py_is_op(p, PY_OP_ASSIGN)) {
			if (py_next(p) < 0 || (arg->a = py_parse_expr(p)) == NULL)
				return NULL;
			defaults = 1;
		} else if (defaults) {
			return py_fail(p, arg->line, arg->col,
				       "non-default argument follows default argument");
		}
		py_list_add(&params, arg);
		if (!py_is_op(p, PY_OP_COMMA))
			break;
		if (py_next(p) < 0)
			return NULL;
	}
	if (py_expect_op(p, PY_OP_RPAR, "expected ',' or ')' after a parameter") < 0)
		return NULL;
	return params.head ? params.head : (struct py_node *)p;
}

static struct py_node *py_parse_def(struct py_parser *p)
{
	struct py_node *n = py_new_at(p, PY_FUNCTION_DEF, &p->tok), *params;
	int line = p->tok.line;

	if (n == NULL || py_next(p) < 0
	    || (n->str = py_take_name(p, "expected a function name after 'def'")) == NULL)
		return NULL;
	if (py_expect_op(p, PY_OP_LPAR, "expected '(' after the function name") < 0)
		return NULL;
	if ((params = py_parse_params(p)) == NULL)
		return NULL;
	n->items = params == (struct py_node *)p ? NULL : params;
	if (py_is_op(p, PY_OP_ARROW))
		return py_unsupported(p, p->tok.line, p->tok.col, "a return annotation (`->`)");
	if ((n->body = py_parse_block(p, "expected ':' after the parameters of the function",
					  "function definition", line)) == NULL)
		return NULL;
	return n;
}

static struct py_node *py_parse_bases(struct py_parser *p, struct py_node *n)
{
	struct py_list bases = { 0 };

	if (py_next(p) < 0)
		return NULL;
	while (!py_is_op(p, PY_OP_RPAR)) {
		struct py_node *b;
		if (p->tok.kind == PY_T_NAME && p->tok.kw == PY_KW_NONE_) {
			const struct py_token *t = py_peek_ahead(p);
			if (t == NULL)
				return NULL;
			if (t->kind == PY_T_OP && t->op == PY_OP_ASSIGN)
				return py_unsupported(p, p->tok.line, p->tok.col,
						      "a keyword in a class definition (metaclass=...)");
		}
		if ((b = py_parse_expr(p)) == NULL)
			return NULL;
		py_list_add(&bases, b);
		if (!py_is_op(p, PY_OP_COMMA))
			break;
		if (py_next(p) < 0)
			return NULL;
	}
	n->items = bases.head;
	return py_expect_op(p, PY_OP_RPAR, "expected ',' or ')' after a base class") < 0 ? NULL : n;
}

static struct py_node *py_parse_class(struct py_parser *p)
{
	struct py_node *n = py_new_at(p, PY_CLASS_DEF, &p->tok);
	int line = p->tok.line;

	if (n == NULL || py_next(p) < 0
	    || (n->str = py_take_name(p, "expected a class name after 'class'")) == NULL)
		return NULL;
	if (py_is_op(p, PY_OP_LPAR) && py_parse_bases(p, n) == NULL)
		return NULL;
	if ((n->body = py_parse_block(p, "expected ':' after the class name and its bases",
					  "class definition", line)) == NULL)
		return NULL;
	return n;
}

/* ---- imports ------------------------------------------------------------------ */

/* a.b.c as one arena string (a . b is legal Python: blanks dropped). */
static const char *py_dotted(struct py_parser *p, const char *msg)
{
	const char *start = p->tok.text, *end = p->tok.text + p->tok.len;
	char *s, *w;

	if (py_take_name(p, msg) == NULL)
		return NULL;
	while (py_is_op(p, PY_OP_DOT)) {
		if (py_next(p) < 0)
			return NULL;
		end = p->tok.text + p->tok.len;
		if (py_take_name(p, "expected a name after '.'") == NULL)
			return NULL;
	}
	if ((s = py_strdup_tok(p, start, (size_t)(end - start))) == NULL)
		return NULL;
	w = s;
	for (const char *r = s; *r; r++)
		if (!strchr(" \t\f\r\n\\", *r))
			*w++ = *r;
	*w = '\0';
	return s;
}

static struct py_node *py_parse_alias(struct py_parser *p, int dotted)
{
	struct py_node *a = py_new_at(p, PY_ALIAS, &p->tok);

	if (a == NULL)
		return NULL;
	a->str = dotted ? py_dotted(p, "expected a module name")
		: py_take_name(p, "expected a name to import");
	if (a->str == NULL)
		return NULL;
	if (py_is_kw(p, PY_KW_AS)) {
		if (py_next(p) < 0
		    || (a->str2 = py_take_name(p, "expected a name after 'as'")) == NULL)
			return NULL;
	}
	return a;
}

static struct py_node *py_parse_import(struct py_parser *p)
{
	struct py_node *n = py_new_at(p, PY_IMPORT, &p->tok), *a;
	struct py_list names = { 0 };

	if (n == NULL || py_next(p) < 0)
		return NULL;
	do {
		if (names.n > 0 && py_next(p) < 0)
			return NULL;
		if ((a = py_parse_alias(p, 1)) == NULL)
			return NULL;
		py_list_add(&names, a);
	} while (py_is_op(p, PY_OP_COMMA));
	n->items = names.head;
	return n;
}

static struct py_node *py_parse_from(struct py_parser *p)
{
	struct py_node *n = py_new_at(p, PY_IMPORT_FROM, &p->tok), *a;
	struct py_list names = { 0 };
	int paren = 0;

	if (n == NULL || py_next(p) < 0)
		return NULL;
	if (py_is_op(p, PY_OP_DOT) || py_is_op(p, PY_OP_ELLIPSIS))
		return py_unsupported(p, p->tok.line, p->tok.col, "a relative import");
	if ((n->str = py_dotted(p, "expected a module name after 'from'")) == NULL)
		return NULL;
	if (!py_is_kw(p, PY_KW_IMPORT))
		return py_fail(p, p->tok.line, p->tok.col, _("expected 'import' after the module name"));
	if (py_next(p) < 0)
		return NULL;
	if (py_is_op(p, PY_OP_STAR)) {
		if ((a = py_new_at(p, PY_ALIAS, &p->tok)) == NULL || py_next(p) < 0)
			return NULL;
		a->str = "*";
		n->items = a;
		return n;
	}
	if (py_is_op(p, PY_OP_LPAR)) {
		paren = 1;
		if (py_next(p) < 0)
			return NULL;
	}
	for (;;) {
		if ((a = py_parse_alias(p, 0)) == NULL)
			return NULL;
		py_list_add(&names, a);
		if (!py_is_op(p, PY_OP_COMMA))
			break;
		if (py_next(p) < 0)
			return NULL;
		if (paren && py_is_op(p, PY_OP_RPAR))
			break;
	}
	if (paren && py_expect_op(p, PY_OP_RPAR, "expected ',' or ')' after a name to import") < 0)
		return NULL;
	n->items = names.head;
	return n;
}

/* ---- simple statements ---------------------------------------------------------- */

static struct py_node *py_parse_global(struct py_parser *p)
{
	struct py_node *n = py_new_at(p, PY_GLOBAL, &p->tok), *name;
	struct py_list names = { 0 };

	if (n == NULL || py_next(p) < 0)
		return NULL;
	do {
		if (names.n > 0 && py_next(p) < 0)
			return NULL;
		if ((name = py_new_at(p, PY_NAME, &p->tok)) == NULL
		    || (name->str = py_take_name(p, "expected a name after 'global'")) == NULL)
			return NULL;
		py_list_add(&names, name);
	} while (py_is_op(p, PY_OP_COMMA));
	n->items = names.head;
	return n;
}

static struct py_node *py_parse_return(struct py_parser *p)
{
	struct py_node *n = py_new_at(p, PY_RETURN, &p->tok);

	if (n == NULL || py_next(p) < 0)
		return NULL;
	if (p->tok.kind == PY_T_NEWLINE || py_is_op(p, PY_OP_SEMI))
		return n;
	return (n->a = py_parse_exprlist(p)) ? n : NULL;
}

static int py_aug_op(const struct py_parser *p)
{
	static const enum py_op aug[][2] = {
		{ PY_OP_PLUS_EQ, PY_OP_PLUS }, { PY_OP_MINUS_EQ, PY_OP_MINUS },
		{ PY_OP_STAR_EQ, PY_OP_STAR }, { PY_OP_SLASH_EQ, PY_OP_SLASH },
		{ PY_OP_FLOORDIV_EQ, PY_OP_FLOORDIV }, { PY_OP_PERCENT_EQ, PY_OP_PERCENT },
		{ PY_OP_POW_EQ, PY_OP_POW },
	};
	for (size_t i = 0; i < sizeof aug / sizeof aug[0]; i++)
		if (py_is_op(p, aug[i][0]))
			return aug[i][1];
	return 0;
}

static int py_bitwise_aug(const struct py_parser *p)
{
	return py_is_op(p, PY_OP_AMP_EQ) || py_is_op(p, PY_OP_PIPE_EQ)
		|| py_is_op(p, PY_OP_CARET_EQ) || py_is_op(p, PY_OP_LSHIFT_EQ)
		|| py_is_op(p, PY_OP_RSHIFT_EQ) || py_is_op(p, PY_OP_AT_EQ);
}

static struct py_node *py_parse_aug(struct py_parser *p, struct py_node *target)
{
	struct py_node *n = py_new(p, PY_AUG_ASSIGN, target->line, target->col);

	if (n == NULL)
		return NULL;
	if (target->kind != PY_NAME && target->kind != PY_ATTRIBUTE && target->kind != PY_SUBSCRIPT)
		return py_fail(p, target->line, target->col,
			       "'%s' is an illegal expression for augmented assignment",
			       target->kind == PY_TUPLE ? "tuple" : target->kind == PY_LIST ? "list"
			       : "expression");
	n->op = py_aug_op(p);
	n->a = target;
	if (py_next(p) < 0)
		return NULL;
	if (py_is_kw(p, PY_KW_YIELD))
		return py_unsupported(p, p->tok.line, p->tok.col, "`yield`");
	return (n->b = py_parse_exprlist(p)) ? n : NULL;
}

/* EXPR, or TARGET = ... = VALUE, or TARGET op= VALUE. */
static struct py_node *py_parse_expr_stmt(struct py_parser *p)
{
	struct py_node *first = py_parse_exprlist(p), *n, *value;
	struct py_list targets = { 0 };
	const char *bad;

	if (first == NULL)
		return NULL;
	if (py_aug_op(p))
		return py_parse_aug(p, first);
	if (py_bitwise_aug(p))
		return py_fail(p, p->tok.line, p->tok.col, _("the operator '%s' is not supported by lockstep"),
			       py_op_str(p->tok.op));
	if (py_is_op(p, PY_OP_COLON))
		return py_unsupported(p, p->tok.line, p->tok.col, "a variable annotation");
	if (!py_is_op(p, PY_OP_ASSIGN)) {
		if ((n = py_new(p, PY_EXPR, first->line, first->col)) == NULL)
			return NULL;
		n->a = first;
		return n;
	}
	value = first;
	while (py_is_op(p, PY_OP_ASSIGN)) {
		if ((bad = py_target_error(value)) != NULL)
			return py_fail(p, value->line, value->col, "cannot assign to %s", bad);
		py_list_add(&targets, value);
		if (py_next(p) < 0)
			return NULL;
		if (py_is_kw(p, PY_KW_YIELD))
			return py_unsupported(p, p->tok.line, p->tok.col, "`yield`");
		if ((value = py_parse_exprlist(p)) == NULL)
			return NULL;
	}
	if ((n = py_new(p, PY_ASSIGN, first->line, first->col)) == NULL)
		return NULL;
	n->items = targets.head;
	n->a = value;
	return n;
}

static struct py_node *py_parse_keyword_stmt(struct py_parser *p)
{
	static const struct { enum py_kw kw; const char *what; } refused[] = {
		{ PY_KW_TRY, "`try`" }, { PY_KW_RAISE, "`raise`" }, { PY_KW_DEL, "`del`" },
		{ PY_KW_ASSERT, "`assert`" }, { PY_KW_YIELD, "`yield`" },
		{ PY_KW_NONLOCAL, "`nonlocal`" }, { PY_KW_LAMBDA, "`lambda`" },
		{ PY_KW_AWAIT, "`await`" },
	};
	struct py_node *n;

	switch (p->tok.kw) {
	case PY_KW_PASS: case PY_KW_BREAK: case PY_KW_CONTINUE:
		n = py_new_at(p, p->tok.kw == PY_KW_PASS ? PY_PASS
			      : p->tok.kw == PY_KW_BREAK ? PY_BREAK : PY_CONTINUE, &p->tok);
		return n != NULL && py_next(p) == 0 ? n : NULL;
	case PY_KW_RETURN: return py_parse_return(p);
	case PY_KW_IMPORT: return py_parse_import(p);
	case PY_KW_FROM: return py_parse_from(p);
	case PY_KW_GLOBAL: return py_parse_global(p);
	default: break;
	}
	for (size_t i = 0; i < sizeof refused / sizeof refused[0]; i++)
		if (p->tok.kw == refused[i].kw)
			return py_unsupported(p, p->tok.line, p->tok.col, refused[i].what);
	return py_parse_expr_stmt(p);
}

/* simple (';' simple)* [';'] NEWLINE */
static struct py_node *py_parse_simple(struct py_parser *p, struct py_list *out)
{
	struct py_node *n;

	for (;;) {
		if ((n = py_parse_keyword_stmt(p)) == NULL)
			return NULL;
		py_list_add(out, n);
		if (!py_is_op(p, PY_OP_SEMI))
			break;
		if (py_next(p) < 0)
			return NULL;
		if (p->tok.kind == PY_T_NEWLINE)
			break;
	}
	if (py_is_kw(p, PY_KW_NOT)) {
		/* `x not` waits for `in`: CPython fails at the token after. */
		if (py_next(p) < 0)
			return NULL;
		return py_syntax(p);
	}
	if (p->tok.kind != PY_T_NEWLINE)
		return py_syntax(p);
	return py_next(p) < 0 ? NULL : n;
}

static struct py_node *py_parse_stmt(struct py_parser *p, struct py_list *out)
{
	struct py_node *n = NULL;

	if (p->tok.kind == PY_T_INDENT) {
		p->indent_error = 1;
		return py_fail(p, p->tok.line, p->tok.col, _("unexpected indent"));
	}
	if (p->tok.kind == PY_T_OP && p->tok.op == PY_OP_AT)
		return py_unsupported(p, p->tok.line, p->tok.col, "a decorator");
	if (p->tok.kind != PY_T_NAME)
		return py_parse_simple(p, out);
	switch (p->tok.kw) {
	case PY_KW_IF: n = py_parse_if(p); break;
	case PY_KW_WHILE: n = py_parse_while(p); break;
	case PY_KW_FOR: n = py_parse_for(p); break;
	case PY_KW_WITH: n = py_parse_with(p); break;
	case PY_KW_DEF: n = py_parse_def(p); break;
	case PY_KW_CLASS: n = py_parse_class(p); break;
	case PY_KW_ASYNC:
		return py_unsupported(p, p->tok.line, p->tok.col,
				      "`async` (coroutines, `async def`, `async for`, `async with`)");
	case PY_KW_ELIF: case PY_KW_ELSE: case PY_KW_EXCEPT: case PY_KW_FINALLY:
		return py_fail(p, p->tok.line, p->tok.col,
			       _("invalid syntax: '%s' without a statement it belongs to"),
			       py_kw_str(p->tok.kw));
	default:
		return py_parse_simple(p, out);
	}
	if (n != NULL)
		py_list_add(out, n);
	return n;
}

/* ---- the entry point -------------------------------------------------------------- */

/* After a parser error: a tokenizer error later in the file wins, as in
 * CPython (_PyPegen_tokenize_full_source_to_check_for_errors); a bracket
 * left open wins only when it was opened on a line before the error's. */
static void py_check_rest(struct py_parser *p, const char *name, char *err, size_t errlen)
{
	char later[512];
	struct py_diag d = { name, later, sizeof later, 0 };
	struct py_token t;
	int line = p->tok.line;

	if ((p->lex_failed && !p->lx.soft) || p->indent_error)
		return;
	p->lx.diag = &d;
	for (;;) {
		if (p->lx.soft) {       /* CPython reads on past it */
			p->lx.soft = p->lx.failed = 0;
			d.failed = 0;
			py_lex_skip(&p->lx);
		}
		if (py_lex_next(&p->lx, &t) == 0) {
			if (t.kind == PY_T_END)
				return;
			continue;
		}
		if (p->lx.soft)
			continue;
		if (p->lx.quiet)
			return;
		if (!p->lx.unclosed || p->lx.bracket_line[p->lx.n_brackets - 1] < line)
			snprintf(err, errlen, "%s", later);
		return;
	}
}

struct py_ast *py_parse_buffer(const char *name, const char *buf, size_t len,
			       char *err, size_t errlen)
{
	struct py_diag diag = { name, err, errlen, 0 };
	struct py_parser p;
	struct py_list body = { 0 };
	int depth = 0;

	if (errlen > 0)
		err[0] = '\0';
	if (len > PY_MAX_SOURCE) {
		py_error_at(&diag, 1, 1, "the file is too large for lockstep (more than %u MiB)",
			    PY_MAX_SOURCE >> 20);
		return NULL;
	}
	memset(&p, 0, sizeof p);
	p.diag = &diag;
	p.depth = &depth;
	p.ast = calloc(1, sizeof *p.ast);
	if (p.ast == NULL) {
		py_error_at(&diag, 1, 1, "out of memory");
		return NULL;
	}
	py_lex_init(&p.lx, &diag, buf == NULL ? "" : buf, buf == NULL ? 0 : len);
	if (py_next(&p) == 0 && (p.ast->root = py_new(&p, PY_MODULE, 1, 1)) != NULL) {
		while (p.tok.kind != PY_T_END)
			if (py_parse_stmt(&p, &body) == NULL)
				break;
		p.ast->root->body = body.head;
	}
	if (!diag.failed)
		return p.ast;
	py_check_rest(&p, name, err, errlen);
	py_ast_free(p.ast);
	return NULL;
}
