/*
 * py_parse_expr.c: expressions, with Python's precedence (lowest first):
 *
 *   x if c else y · or · and · not · comparisons (chained) ·
 *   [| ^ & << >>: refused] · + - · * / // % · unary + - · ** · primary
 *   (calls, attributes, subscripts) · atoms
 *
 * A composite node starts where its first token starts, parentheses
 * included (`(a + b) * c` starts at the '('), as CPython's ast does.
 */
#include "config.h"

#include <locale.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "i18n.h"
#include "py_parse_priv.h"

static struct py_node *py_parse_or(struct py_parser *p);
static struct py_node *py_parse_factor(struct py_parser *p);

/* A binary node at LINE:COL. */
static struct py_node *py_binary(struct py_parser *p, enum py_kind kind, int op,
				 int line, int col, struct py_node *a, struct py_node *b)
{
	struct py_node *n = py_new(p, kind, line, col);

	if (n == NULL)
		return NULL;
	n->op = op;
	n->a = a;
	n->b = b;
	return n;
}

int py_starts_expr(const struct py_token *t)
{
	switch (t->kind) {
	case PY_T_NAME:
		return t->kw == PY_KW_NONE_ || t->kw == PY_KW_NONE || t->kw == PY_KW_TRUE
			|| t->kw == PY_KW_FALSE || t->kw == PY_KW_NOT || t->kw == PY_KW_LAMBDA
			|| t->kw == PY_KW_AWAIT;
	case PY_T_NUMBER: case PY_T_STRING:
		return 1;
	case PY_T_OP:
		return t->op == PY_OP_LPAR || t->op == PY_OP_LSQB || t->op == PY_OP_LBRACE
			|| t->op == PY_OP_MINUS || t->op == PY_OP_PLUS || t->op == PY_OP_TILDE
			|| t->op == PY_OP_ELLIPSIS;
	default:
		return 0;
	}
}

/* After an element that started at LINE:COL inside brackets, something
 * else than ',' or the closing bracket.  Two expressions side by side
 * read as a forgotten comma, once the second one parses (CPython reads it
 * too, and an unclosed bracket found on the way wins). */
static struct py_node *py_after_element(struct py_parser *p, const struct py_node *e,
					int line, int col)
{
	(void)e;
	if (!py_starts_expr(&p->tok))
		return py_syntax(p);
	if (py_parse_expr(p) == NULL)
		return NULL;
	return py_fail(p, line, col, _("invalid syntax. Perhaps you forgot a comma?"));
}

/* ---- numbers ----------------------------------------------------------------- */

/* strtod's decimal point is the locale's, and lockstep runs under the
 * user's locale (for ncurses): read the digits in the C locale, which
 * also rounds correctly.  Only without a C locale object, an
 * approximation (exact for the short decimals lessons sleep for). */
static double py_float_approx(const char *s, size_t len)
{
	double m = 0, scale = 1;
	int exp = 0, frac = 0, eneg = 0;
	size_t i = 0;

	for (; i < len && s[i] != 'e' && s[i] != 'E'; i++) {
		if (s[i] == '.')
			frac = 1;
		else if (s[i] >= '0' && s[i] <= '9') {
			m = m * 10 + (s[i] - '0');
			exp -= frac;
		}
	}
	if (i < len) {
		int e = 0;
		i++;
		if (i < len && (s[i] == '-' || s[i] == '+'))
			eneg = s[i++] == '-';
		for (; i < len; i++)
			if (s[i] >= '0' && s[i] <= '9' && e < 10000)
				e = e * 10 + (s[i] - '0');
		exp += eneg ? -e : e;
	}
	for (int k = exp < 0 ? -exp : exp; k > 0 && scale < 1e308; k--)
		scale *= 10;
	return exp < 0 ? m / scale : m * scale;
}

static double py_float_value(const char *s, size_t len)
{
	char digits[400];
	size_t n = 0;
	locale_t c;
	double v;

	for (size_t i = 0; i < len && n + 1 < sizeof digits; i++)
		if (s[i] != '_')
			digits[n++] = s[i];
	digits[n] = '\0';
	c = newlocale(LC_NUMERIC_MASK, "C", (locale_t)0);
	if (c == (locale_t)0 || n + 1 >= sizeof digits) {
		if (c != (locale_t)0)
			freelocale(c);
		return py_float_approx(s, len);
	}
	v = strtod_l(digits, NULL, c);
	freelocale(c);
	return v;
}

static struct py_node *py_number_node(struct py_parser *p)
{
	const struct py_token *t = &p->tok;
	struct py_node *n;
	unsigned long long v = 0;
	int base = 10, overflow = 0;
	size_t i = 0;

	if (t->num == PY_NUM_IMAG)
		return py_unsupported(p, t->line, t->col, "a complex number");
	if (t->num == PY_NUM_FLOAT) {
		if ((n = py_new_at(p, PY_FLOAT, t)) == NULL)
			return NULL;
		n->fval = py_float_value(t->text, t->len);
		return py_next(p) < 0 ? NULL : n;
	}
	if (t->len > 1 && t->text[0] == '0' && strchr("xXoObB", t->text[1])) {
		base = (t->text[1] | 0x20) == 'x' ? 16 : (t->text[1] | 0x20) == 'o' ? 8 : 2;
		i = 2;
	}
	for (; i < t->len; i++) {
		char c = (char)(t->text[i] | 0x20);
		int d = c >= 'a' ? c - 'a' + 10 : c - '0';
		if (t->text[i] == '_')
			continue;
		if (v > (UINT64_C(0x7fffffffffffffff) - (unsigned)d) / (unsigned)base)
			overflow = 1;
		else
			v = v * (unsigned)base + (unsigned)d;
	}
	if (overflow) {
		char shown[40];
		py_quote(shown, sizeof shown, t->text, t->len, 30);
		return py_fail(p, t->line, t->col,
			       "the integer %s is not supported by lockstep: it needs more than 64 bits",
			       shown);
	}
	if ((n = py_new_at(p, PY_INT, t)) == NULL)
		return NULL;
	n->ival = (long long)v;
	return py_next(p) < 0 ? NULL : n;
}

/* ---- atoms ------------------------------------------------------------------- */

static struct py_node *py_refuse_comprehension(struct py_parser *p, const char *what)
{
	return py_unsupported(p, p->tok.line, p->tok.col, what);
}

/* Elements up to CLOSE after the first one (already in L), for tuples
 * and lists.  The opening bracket was at LINE:COL. */
static int py_elements(struct py_parser *p, struct py_list *l, enum py_op close)
{
	while (py_is_op(p, PY_OP_COMMA)) {
		struct py_node *e;
		int line, col;
		if (py_next(p) < 0)
			return -1;
		if (py_is_op(p, close))
			break;
		line = p->tok.line;
		col = p->tok.col;
		if (py_is_op(p, PY_OP_STAR)) {
			py_unsupported(p, line, col, "a starred expression (`*x`)");
			return -1;
		}
		if ((e = py_parse_expr(p)) == NULL)
			return -1;
		py_list_add(l, e);
		if (!py_is_op(p, PY_OP_COMMA) && !py_is_op(p, close)) {
			py_after_element(p, e, line, col);
			return -1;
		}
	}
	return 0;
}

/* ( ... ): a group, a tuple, or a refused generator expression. */
static struct py_node *py_parse_paren(struct py_parser *p)
{
	struct py_node *n, *first;
	struct py_list l = { 0 };
	int line = p->tok.line, col = p->tok.col, eline, ecol;

	if (py_next(p) < 0)
		return NULL;
	if (py_is_op(p, PY_OP_RPAR)) {
		n = py_new(p, PY_TUPLE, line, col);
		return n != NULL && py_next(p) == 0 ? n : NULL;
	}
	if (py_is_kw(p, PY_KW_YIELD))
		return py_unsupported(p, p->tok.line, p->tok.col, "`yield`");
	if (py_is_op(p, PY_OP_STAR))
		return py_unsupported(p, p->tok.line, p->tok.col, "a starred expression (`*x`)");
	eline = p->tok.line;
	ecol = p->tok.col;
	if ((first = py_parse_expr(p)) == NULL)
		return NULL;
	if (py_is_kw(p, PY_KW_FOR) || py_is_kw(p, PY_KW_ASYNC))
		return py_refuse_comprehension(p, "a generator expression");
	if (py_is_op(p, PY_OP_RPAR))
		return py_next(p) < 0 ? NULL : first;     /* a group */
	if (!py_is_op(p, PY_OP_COMMA))
		return py_after_element(p, first, eline, ecol);
	py_list_add(&l, first);
	if (py_elements(p, &l, PY_OP_RPAR) < 0)
		return NULL;
	if ((n = py_new(p, PY_TUPLE, line, col)) == NULL)
		return NULL;
	n->items = l.head;
	return py_next(p) < 0 ? NULL : n;
}

static struct py_node *py_parse_list(struct py_parser *p)
{
	struct py_node *n = py_new_at(p, PY_LIST, &p->tok), *first;
	struct py_list l = { 0 };
	int line, col;

	if (n == NULL || py_next(p) < 0)
		return NULL;
	if (py_is_op(p, PY_OP_RSQB))
		return py_next(p) < 0 ? NULL : n;
	line = p->tok.line;
	col = p->tok.col;
	if (py_is_op(p, PY_OP_STAR))
		return py_unsupported(p, line, col, "a starred expression (`*x`)");
	if ((first = py_parse_expr(p)) == NULL)
		return NULL;
	if (py_is_kw(p, PY_KW_FOR) || py_is_kw(p, PY_KW_ASYNC))
		return py_refuse_comprehension(p, "a list comprehension");
	py_list_add(&l, first);
	if (!py_is_op(p, PY_OP_COMMA) && !py_is_op(p, PY_OP_RSQB))
		return py_after_element(p, first, line, col);
	if (py_elements(p, &l, PY_OP_RSQB) < 0)
		return NULL;
	n->items = l.head;
	return py_next(p) < 0 ? NULL : n;
}

/* { k: v, ... }; sets and comprehensions are refused. */
static struct py_node *py_parse_dict(struct py_parser *p)
{
	struct py_node *n = py_new_at(p, PY_DICT, &p->tok), *k, *v;
	struct py_list keys = { 0 }, values = { 0 };

	if (n == NULL || py_next(p) < 0)
		return NULL;
	while (!py_is_op(p, PY_OP_RBRACE)) {
		int line = p->tok.line, col = p->tok.col;
		if (py_is_op(p, PY_OP_POW) || py_is_op(p, PY_OP_STAR))
			return py_unsupported(p, line, col, "unpacking (`**d` or `*s`) in a literal");
		if ((k = py_parse_expr(p)) == NULL)
			return NULL;
		if (!py_is_op(p, PY_OP_COLON)) {
			if (py_is_kw(p, PY_KW_FOR) || py_is_kw(p, PY_KW_ASYNC))
				return py_refuse_comprehension(p, "a set comprehension");
			if (py_is_op(p, PY_OP_COMMA) || py_is_op(p, PY_OP_RBRACE))
				return py_unsupported(p, n->line, n->col, "a set literal");
			return py_after_element(p, k, line, col);
		}
		if (py_next(p) < 0)
			return NULL;
		line = p->tok.line;
		col = p->tok.col;
		if ((v = py_parse_expr(p)) == NULL)
			return NULL;
		if (py_is_kw(p, PY_KW_FOR) || py_is_kw(p, PY_KW_ASYNC))
			return py_refuse_comprehension(p, "a dict comprehension");
		py_list_add(&keys, k);
		py_list_add(&values, v);
		if (py_is_op(p, PY_OP_COMMA)) {
			if (py_next(p) < 0)
				return NULL;
		} else if (!py_is_op(p, PY_OP_RBRACE)) {
			return py_after_element(p, v, line, col);
		}
	}
	n->items = keys.head;
	n->items2 = values.head;
	return py_next(p) < 0 ? NULL : n;
}

static struct py_node *py_parse_name_atom(struct py_parser *p)
{
	const struct py_token *t = &p->tok;
	struct py_node *n;

	switch (t->kw) {
	case PY_KW_NONE_:
		if ((n = py_new_at(p, PY_NAME, t)) == NULL
		    || (n->str = py_strdup_tok(p, t->text, t->len)) == NULL)
			return NULL;
		n->len = t->len;
		break;
	case PY_KW_TRUE: case PY_KW_FALSE:
		if ((n = py_new_at(p, PY_BOOL, t)) == NULL)
			return NULL;
		n->ival = t->kw == PY_KW_TRUE;
		break;
	case PY_KW_NONE:
		if ((n = py_new_at(p, PY_NONE, t)) == NULL)
			return NULL;
		break;
	case PY_KW_LAMBDA:
		return py_unsupported(p, t->line, t->col, "`lambda`");
	case PY_KW_YIELD:
		return py_unsupported(p, t->line, t->col, "`yield`");
	case PY_KW_AWAIT:
		return py_unsupported(p, t->line, t->col, "`await`");
	default:
		return py_syntax(p);
	}
	return py_next(p) < 0 ? NULL : n;
}

static struct py_node *py_parse_atom(struct py_parser *p)
{
	struct py_node *n;

	if (py_enter(p) < 0)
		return NULL;
	switch (p->tok.kind) {
	case PY_T_NAME: n = py_parse_name_atom(p); break;
	case PY_T_NUMBER: n = py_number_node(p); break;
	case PY_T_STRING: n = py_parse_strings(p); break;
	case PY_T_OP:
		switch (p->tok.op) {
		case PY_OP_LPAR: n = py_parse_paren(p); break;
		case PY_OP_LSQB: n = py_parse_list(p); break;
		case PY_OP_LBRACE: n = py_parse_dict(p); break;
		case PY_OP_ELLIPSIS:
			n = py_unsupported(p, p->tok.line, p->tok.col, "`...` (Ellipsis)");
			break;
		case PY_OP_STAR:
			n = py_unsupported(p, p->tok.line, p->tok.col, "a starred expression (`*x`)");
			break;
		default: n = py_syntax(p); break;
		}
		break;
	default: n = py_syntax(p); break;
	}
	py_leave(p);
	return n;
}

/* ---- primaries ---------------------------------------------------------------- */

static struct py_node *py_parse_call(struct py_parser *p, struct py_node *call)
{
	struct py_list args = { 0 }, kws = { 0 };
	int positional_after_keyword = 0;

	if (py_next(p) < 0)
		return NULL;
	while (!py_is_op(p, PY_OP_RPAR)) {
		int line = p->tok.line, col = p->tok.col;
		struct py_node *e, *kw;
		if (py_is_op(p, PY_OP_STAR) || py_is_op(p, PY_OP_POW))
			return py_unsupported(p, line, col, py_is_op(p, PY_OP_STAR)
					      ? "`*args` in a call" : "`**kwargs` in a call");
		if ((e = py_parse_expr(p)) == NULL)
			return NULL;
		if (py_is_kw(p, PY_KW_FOR) || py_is_kw(p, PY_KW_ASYNC))
			return py_refuse_comprehension(p, "a generator expression");
		if (py_is_op(p, PY_OP_ASSIGN)) {
			if (e->kind != PY_NAME)
				return py_fail(p, line, col,
					       "expression cannot contain assignment, perhaps you meant \"==\"?");
			if ((kw = py_new(p, PY_KEYWORD, line, col)) == NULL || py_next(p) < 0
			    || (kw->a = py_parse_expr(p)) == NULL)
				return NULL;
			kw->str = e->str;
			py_list_add(&kws, kw);
		} else if (kws.n > 0) {
			positional_after_keyword = 1;
		} else {
			py_list_add(&args, e);
		}
		if (py_is_op(p, PY_OP_COMMA)) {
			if (py_next(p) < 0)
				return NULL;
		} else if (!py_is_op(p, PY_OP_RPAR)) {
			return py_after_element(p, e, line, col);
		}
	}
	if (positional_after_keyword)   /* CPython: at the last token read */
		return py_fail(p, p->tok.line, p->tok.col,
			       "positional argument follows keyword argument");
	call->items = args.head;
	call->items2 = kws.head;
	return py_next(p) < 0 ? NULL : call;
}

static struct py_node *py_parse_subscript(struct py_parser *p, struct py_node *s)
{
	struct py_list l = { 0 };
	int line, col, comma = 0;

	if (py_next(p) < 0)
		return NULL;
	line = p->tok.line;
	col = p->tok.col;
	for (;;) {
		struct py_node *e;
		if (py_is_op(p, PY_OP_COLON))
			return py_unsupported(p, p->tok.line, p->tok.col, "a slice (`a[i:j]`)");
		if ((e = py_parse_expr(p)) == NULL)
			return NULL;
		if (py_is_op(p, PY_OP_COLON))
			return py_unsupported(p, p->tok.line, p->tok.col, "a slice (`a[i:j]`)");
		py_list_add(&l, e);
		if (!py_is_op(p, PY_OP_COMMA))
			break;
		comma = 1;
		if (py_next(p) < 0)
			return NULL;
		if (py_is_op(p, PY_OP_RSQB))
			break;
	}
	if (!py_is_op(p, PY_OP_RSQB))
		return py_after_element(p, l.tail, line, col);
	if (!comma) {
		s->b = l.head;
	} else {
		if ((s->b = py_new(p, PY_TUPLE, line, col)) == NULL)
			return NULL;
		s->b->items = l.head;
	}
	return py_next(p) < 0 ? NULL : s;
}

/* atom ('.' NAME | '(' args ')' | '[' index ']')* */
static struct py_node *py_parse_primary(struct py_parser *p)
{
	int line = p->tok.line, col = p->tok.col;
	struct py_node *n = py_parse_atom(p), *t;

	while (n != NULL && p->tok.kind == PY_T_OP) {
		if (py_is_op(p, PY_OP_DOT)) {
			if ((t = py_new(p, PY_ATTRIBUTE, line, col)) == NULL || py_next(p) < 0)
				return NULL;
			if (p->tok.kind != PY_T_NAME || p->tok.kw != PY_KW_NONE_)
				return py_syntax(p);
			if ((t->str = py_strdup_tok(p, p->tok.text, p->tok.len)) == NULL
			    || py_next(p) < 0)
				return NULL;
			t->a = n;
			n = t;
		} else if (py_is_op(p, PY_OP_LPAR)) {
			if ((t = py_new(p, PY_CALL, line, col)) == NULL)
				return NULL;
			t->a = n;
			n = py_parse_call(p, t);
		} else if (py_is_op(p, PY_OP_LSQB)) {
			if ((t = py_new(p, PY_SUBSCRIPT, line, col)) == NULL)
				return NULL;
			t->a = n;
			n = py_parse_subscript(p, t);
		} else {
			break;
		}
	}
	return n;
}

/* ---- operators ------------------------------------------------------------------ */

static struct py_node *py_parse_power(struct py_parser *p)
{
	int line = p->tok.line, col = p->tok.col;
	struct py_node *n;

	if (py_is_kw(p, PY_KW_AWAIT))
		return py_unsupported(p, line, col, "`await`");
	if ((n = py_parse_primary(p)) == NULL || !py_is_op(p, PY_OP_POW))
		return n;
	if (py_enter(p) < 0 || py_next(p) < 0)
		return NULL;
	n = py_binary(p, PY_BIN_OP, PY_OP_POW, line, col, n, py_parse_factor(p));
	py_leave(p);
	return n != NULL && n->b != NULL ? n : NULL;
}

static struct py_node *py_parse_factor(struct py_parser *p)
{
	int line = p->tok.line, col = p->tok.col;
	enum py_op op = p->tok.op;
	struct py_node *n;

	if (py_is_op(p, PY_OP_TILDE))
		return py_fail(p, line, col, _("the operator '~' is not supported by lockstep"));
	if (!py_is_op(p, PY_OP_MINUS) && !py_is_op(p, PY_OP_PLUS))
		return py_parse_power(p);
	if (py_enter(p) < 0 || py_next(p) < 0)
		return NULL;
	n = py_binary(p, PY_UNARY_OP, op, line, col, py_parse_factor(p), NULL);
	py_leave(p);
	return n != NULL && n->a != NULL ? n : NULL;
}

static struct py_node *py_parse_term(struct py_parser *p)
{
	int line = p->tok.line, col = p->tok.col;
	struct py_node *n = py_parse_factor(p);

	while (n != NULL && p->tok.kind == PY_T_OP) {
		enum py_op op = p->tok.op;
		if (op == PY_OP_AT)
			return py_fail(p, p->tok.line, p->tok.col,
				       "the operator '@' is not supported by lockstep");
		if (op != PY_OP_STAR && op != PY_OP_SLASH && op != PY_OP_FLOORDIV
		    && op != PY_OP_PERCENT)
			break;
		if (py_next(p) < 0)
			return NULL;
		n = py_binary(p, PY_BIN_OP, op, line, col, n, py_parse_factor(p));
		if (n != NULL && n->b == NULL)
			return NULL;
	}
	return n;
}

static struct py_node *py_parse_arith(struct py_parser *p)
{
	int line = p->tok.line, col = p->tok.col;
	struct py_node *n = py_parse_term(p);

	while (n != NULL && (py_is_op(p, PY_OP_PLUS) || py_is_op(p, PY_OP_MINUS))) {
		enum py_op op = p->tok.op;
		if (py_next(p) < 0)
			return NULL;
		n = py_binary(p, PY_BIN_OP, op, line, col, n, py_parse_term(p));
		if (n != NULL && n->b == NULL)
			return NULL;
	}
	if (n != NULL && p->tok.kind == PY_T_OP
	    && (p->tok.op == PY_OP_PIPE || p->tok.op == PY_OP_CARET || p->tok.op == PY_OP_AMP
		|| p->tok.op == PY_OP_LSHIFT || p->tok.op == PY_OP_RSHIFT))
		return py_fail(p, p->tok.line, p->tok.col,
			       "the operator '%s' is not supported by lockstep", py_op_str(p->tok.op));
	return n;
}

/* The comparison operator at the current token, consumed; -1 if none. */
static int py_take_cmp(struct py_parser *p)
{
	static const struct { enum py_op op; enum py_cmp cmp; } ops[] = {
		{ PY_OP_EQ, PY_CMP_EQ }, { PY_OP_NE, PY_CMP_NE }, { PY_OP_LT, PY_CMP_LT },
		{ PY_OP_LE, PY_CMP_LE }, { PY_OP_GT, PY_CMP_GT }, { PY_OP_GE, PY_CMP_GE },
	};
	const struct py_token *t;

	for (size_t i = 0; i < sizeof ops / sizeof ops[0]; i++)
		if (py_is_op(p, ops[i].op))
			return py_next(p) < 0 ? -2 : (int)ops[i].cmp;
	if (py_is_kw(p, PY_KW_IN))
		return py_next(p) < 0 ? -2 : PY_CMP_IN;
	if (py_is_kw(p, PY_KW_IS)) {
		if (py_next(p) < 0)
			return -2;
		if (!py_is_kw(p, PY_KW_NOT))
			return PY_CMP_IS;
		return py_next(p) < 0 ? -2 : PY_CMP_IS_NOT;
	}
	if (py_is_kw(p, PY_KW_NOT)) {
		if ((t = py_peek_ahead(p)) == NULL)
			return -2;
		if (t->kind != PY_T_NAME || t->kw != PY_KW_IN)
			return -1;
		if (py_next(p) < 0 || py_next(p) < 0)
			return -2;
		return PY_CMP_NOT_IN;
	}
	return -1;
}

static struct py_node *py_parse_comparison(struct py_parser *p)
{
	int line = p->tok.line, col = p->tok.col;
	struct py_node *left = py_parse_arith(p), *n = NULL, *c;
	struct py_list ops = { 0 };

	while (left != NULL) {
		int cline = p->tok.line, ccol = p->tok.col;
		int cmp = py_take_cmp(p);
		if (cmp == -2)
			return NULL;
		if (cmp == -1)
			break;
		if ((c = py_new(p, PY_CMPOP, cline, ccol)) == NULL
		    || (c->a = py_parse_arith(p)) == NULL)
			return NULL;
		c->op = cmp;
		py_list_add(&ops, c);
	}
	if (left == NULL || ops.n == 0)
		return left;
	if ((n = py_new(p, PY_COMPARE, line, col)) == NULL)
		return NULL;
	n->a = left;
	n->items = ops.head;
	return n;
}

static struct py_node *py_parse_not(struct py_parser *p)
{
	struct py_node *n;

	if (!py_is_kw(p, PY_KW_NOT))
		return py_parse_comparison(p);
	if ((n = py_new_at(p, PY_NOT, &p->tok)) == NULL || py_enter(p) < 0)
		return NULL;
	if (py_next(p) < 0 || (n->a = py_parse_not(p)) == NULL)
		n = NULL;
	py_leave(p);
	return n;
}

/* and / or: one BoolOp with every operand, as CPython makes it. */
static struct py_node *py_parse_bool(struct py_parser *p, enum py_kw kw)
{
	int line = p->tok.line, col = p->tok.col;
	struct py_node *first = kw == PY_KW_OR ? py_parse_bool(p, PY_KW_AND) : py_parse_not(p);
	struct py_node *n, *e;
	struct py_list l = { 0 };

	if (first == NULL || !py_is_kw(p, kw))
		return first;
	py_list_add(&l, first);
	while (py_is_kw(p, kw)) {
		if (py_next(p) < 0)
			return NULL;
		e = kw == PY_KW_OR ? py_parse_bool(p, PY_KW_AND) : py_parse_not(p);
		if (e == NULL)
			return NULL;
		py_list_add(&l, e);
	}
	if ((n = py_new(p, PY_BOOL_OP, line, col)) == NULL)
		return NULL;
	n->op = kw;
	n->items = l.head;
	return n;
}

static struct py_node *py_parse_or(struct py_parser *p)
{
	return py_parse_bool(p, PY_KW_OR);
}

struct py_node *py_parse_expr(struct py_parser *p)
{
	int line = p->tok.line, col = p->tok.col;
	struct py_node *body, *n;

	if (py_is_kw(p, PY_KW_LAMBDA))
		return py_unsupported(p, line, col, "`lambda`");
	if (py_is_kw(p, PY_KW_YIELD))
		return py_unsupported(p, line, col, "`yield`");
	if ((body = py_parse_or(p)) == NULL)
		return NULL;
	if (py_is_op(p, PY_OP_WALRUS))
		return py_unsupported(p, p->tok.line, p->tok.col, "the assignment expression `:=`");
	if (!py_is_kw(p, PY_KW_IF))
		return body;
	if ((n = py_new(p, PY_IF_EXP, line, col)) == NULL || py_next(p) < 0)
		return NULL;
	n->b = body;
	if ((n->a = py_parse_or(p)) == NULL)
		return NULL;
	if (!py_is_kw(p, PY_KW_ELSE))
		return py_fail(p, line, col, _("expected 'else' after 'if' expression"));
	if (py_next(p) < 0 || (n->c = py_parse_expr(p)) == NULL)
		return NULL;
	return n;
}

/* expr (',' expr)* [','] — a Tuple when there is a comma. */
struct py_node *py_parse_exprlist(struct py_parser *p)
{
	int line = p->tok.line, col = p->tok.col;
	struct py_node *first, *n, *e;
	struct py_list l = { 0 };

	if (py_is_op(p, PY_OP_STAR))
		return py_unsupported(p, line, col, "a starred expression (`*x`)");
	if ((first = py_parse_expr(p)) == NULL || !py_is_op(p, PY_OP_COMMA))
		return first;
	py_list_add(&l, first);
	while (py_is_op(p, PY_OP_COMMA)) {
		if (py_next(p) < 0)
			return NULL;
		if (py_is_op(p, PY_OP_STAR))
			return py_unsupported(p, p->tok.line, p->tok.col, "a starred expression (`*x`)");
		if (!py_starts_expr(&p->tok))
			break;
		if ((e = py_parse_expr(p)) == NULL)
			return NULL;
		py_list_add(&l, e);
	}
	if ((n = py_new(p, PY_TUPLE, line, col)) == NULL)
		return NULL;
	n->items = l.head;
	return n;
}

/* ---- targets ---------------------------------------------------------------------- */

const char *py_target_error(const struct py_node *n)
{
	const char *bad;

	switch (n->kind) {
	case PY_NAME: case PY_ATTRIBUTE: case PY_SUBSCRIPT:
		return NULL;
	case PY_TUPLE: case PY_LIST:
		for (const struct py_node *e = n->items; e != NULL; e = e->next)
			if ((bad = py_target_error(e)) != NULL)
				return bad;
		return NULL;
	case PY_CALL: return "function call";
	case PY_BOOL: return n->ival ? "True" : "False";
	case PY_NONE: return "None";
	case PY_INT: case PY_FLOAT: case PY_STR: case PY_DICT: return "literal";
	case PY_JOINED_STR: return "f-string expression";
	case PY_COMPARE: return "comparison";
	case PY_IF_EXP: return "conditional expression";
	default: return "expression";
	}
}

/* The target of `for` (primaries separated by commas, when TUPLE) or of
 * `with ... as` (one): not full expressions, since `for x in y` must not
 * read `x in y`, nor `with a as b, c` take `b, c`. */
struct py_node *py_parse_targets(struct py_parser *p, int tuple)
{
	int line = p->tok.line, col = p->tok.col;
	struct py_node *first, *n, *e;
	struct py_list l = { 0 };
	const char *bad;

	if (py_is_op(p, PY_OP_STAR))
		return py_unsupported(p, line, col, "a starred target (`*x`)");
	if ((first = py_parse_primary(p)) == NULL)
		return NULL;
	if (tuple && py_is_op(p, PY_OP_COMMA)) {
		py_list_add(&l, first);
		while (py_is_op(p, PY_OP_COMMA)) {
			if (py_next(p) < 0)
				return NULL;
			if (!py_starts_expr(&p->tok))
				break;
			if ((e = py_parse_primary(p)) == NULL)
				return NULL;
			py_list_add(&l, e);
		}
		if ((first = py_new(p, PY_TUPLE, line, col)) == NULL)
			return NULL;
		first->items = l.head;
	}
	n = first;
	if ((bad = py_target_error(n)) != NULL)
		return py_fail(p, n->line, n->col, "cannot assign to %s", bad);
	return n;
}
