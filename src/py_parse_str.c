/*
 * py_parse_str.c: string literals and f-strings.
 *
 * Adjacent literals are one string ('a' "b" is 'ab'); with an f-string
 * among them they are one JoinedStr.  Escapes are decoded to UTF-8 (\n,
 * \x41, \101, \u4e2d, \U0001F600; an unknown escape keeps its backslash,
 * as CPython does); raw strings keep every backslash.  Line ends inside
 * a string read as \n whatever the file uses.
 *
 * F-strings follow CPython 3.11: `{expr!c:spec}` fields, `{{` and `}}`
 * for braces, no backslash or '#' inside a field, format specs nested
 * at most twice.  A field's expression is parsed by a parser of its own
 * over that slice of the file, so its positions are exact.
 *
 * Errors in the literal itself (a bad escape, a lone '}', a missing '}')
 * are reported where CPython 3.11 reports them: just past the last of the
 * adjacent literals.  Errors inside a field's expression are reported at
 * their own position (CPython 3.11's are relative to the field; 3.12 is
 * exact, as here).
 */
#include "config.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "i18n.h"
#include "py_parse_priv.h"

/* Where a literal is read: the rest of it, its position, its flags. */
struct py_fcur {
	const char *s, *end;
	int line, col;
	int raw;
	char pending[256];          /* the first literal error, for the end */
};

static int py_str_error(struct py_fcur *c, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static int py_str_error(struct py_fcur *c, const char *fmt, ...)
{
	va_list ap;

	if (c->pending[0] == '\0') {
		va_start(ap, fmt);
		/* py_str_error is an xgettext keyword; py_fail passes the text on. */
		vsnprintf(c->pending, sizeof c->pending, _(fmt), ap);
		va_end(ap);
	}
	return -1;
}

/* One character on, counting lines and columns as the lexer does. */
static void py_fstep(struct py_fcur *c)
{
	if (*c->s == '\n' || *c->s == '\r') {
		if (*c->s == '\r' && c->s + 1 < c->end && c->s[1] == '\n')
			c->s++;
		c->s++;
		c->line++;
		c->col = 1;
		return;
	}
	c->s++;
	while (c->s < c->end && ((unsigned char)*c->s & 0xc0) == 0x80)
		c->s++;
	c->col++;
}

static size_t py_put_utf8(char *out, uint32_t c)
{
	if (c < 0x80) {
		out[0] = (char)c;
		return 1;
	}
	if (c < 0x800) {
		out[0] = (char)(0xc0 | (c >> 6));
		out[1] = (char)(0x80 | (c & 0x3f));
		return 2;
	}
	if (c < 0x10000) {
		out[0] = (char)(0xe0 | (c >> 12));
		out[1] = (char)(0x80 | ((c >> 6) & 0x3f));
		out[2] = (char)(0x80 | (c & 0x3f));
		return 3;
	}
	out[0] = (char)(0xf0 | (c >> 18));
	out[1] = (char)(0x80 | ((c >> 12) & 0x3f));
	out[2] = (char)(0x80 | ((c >> 6) & 0x3f));
	out[3] = (char)(0x80 | (c & 0x3f));
	return 4;
}

static int py_hex(char ch)
{
	if (ch >= '0' && ch <= '9')
		return ch - '0';
	ch = (char)(ch | 0x20);
	return ch >= 'a' && ch <= 'f' ? ch - 'a' + 10 : -1;
}

/* The escape after a backslash at S (S[0] is the character after it).
 * Writes its UTF-8 into OUT, returns the source bytes it took, or -1. */
static int py_escape(struct py_fcur *c, const char *s, const char *end, char *out, size_t *o)
{
	static const char simple[] = "\\\\''\"\"a\ab\bf\fn\nr\rt\tv\v";
	int want = s[0] == 'x' ? 2 : s[0] == 'u' ? 4 : s[0] == 'U' ? 8 : 0;
	uint32_t v = 0;
	int n;

	for (const char *k = simple; *k; k += 2)
		if (s[0] == k[0]) {
			out[(*o)++] = k[1];
			return 1;
		}
	if (s[0] >= '0' && s[0] <= '7') {
		for (n = 0; n < 3 && s + n < end && s[n] >= '0' && s[n] <= '7'; n++)
			v = v * 8 + (uint32_t)(s[n] - '0');
		*o += py_put_utf8(out + *o, v);
		return n;
	}
	if (s[0] == 'N')
		return py_str_error(c, "a \\N{...} escape is not supported by lockstep");
	if (want == 0) {
		out[(*o)++] = '\\';     /* unknown: kept, as CPython does */
		return 0;
	}
	for (n = 1; n <= want; n++) {
		int d = s + n < end ? py_hex(s[n]) : -1;
		if (d < 0)
			return py_str_error(c, "truncated \\%c escape: it needs %d hex digits",
					    s[0], want);
		v = v * 16 + (uint32_t)d;
	}
	if (v > 0x10ffff)
		return py_str_error(c, "illegal Unicode character in a \\U escape");
	if (v >= 0xd800 && v <= 0xdfff)
		return py_str_error(c, "a surrogate (\\u%04x) in a string is not supported by lockstep",
				    (unsigned)v);
	*o += py_put_utf8(out + *o, v);
	return want + 1;
}

/* A Str node for the literal text [S, END), decoded, at LINE:COL.
 * Decoding never makes the text longer, so one buffer of its length
 * does. */
static struct py_node *py_str_piece(struct py_parser *p, struct py_fcur *c,
				    const char *s, const char *end, int line, int col)
{
	struct py_node *n = py_new(p, PY_STR, line, col);
	char *out = n ? py_new_str(p, (size_t)(end - s) + 4) : NULL;
	size_t o = 0;

	if (out == NULL)
		return NULL;
	while (s < end) {
		if (*s == '\r') {
			out[o++] = '\n';
			s += s + 1 < end && s[1] == '\n' ? 2 : 1;
		} else if (*s == '\\' && !c->raw && s + 1 < end) {
			int k;
			if (s[1] == '\n' || s[1] == '\r') {
				s += 2 + (s[1] == '\r' && s + 2 < end && s[2] == '\n');
				continue;       /* a continued line */
			}
			if ((k = py_escape(c, s + 1, end, out, &o)) < 0)
				return NULL;
			s += 1 + k;
		} else {
			out[o++] = *s++;
		}
	}
	out[o] = '\0';
	n->str = out;
	n->len = o;
	return n;
}

/* ---- f-strings --------------------------------------------------------------- */

static int py_fscan(struct py_parser *p, struct py_fcur *c, int nest, int in_spec,
		    struct py_list *parts);
static struct py_node *py_join(struct py_parser *p, struct py_node *parts, int keep_empty);

/* Find the end of a field's expression: '}', '!' (not '!='), or ':' at
 * bracket depth 0. */
static int py_field_end(struct py_fcur *c)
{
	int depth = 0;
	char quote = 0;

	while (c->s < c->end) {
		char ch = *c->s;
		if (quote) {
			if (ch == quote)
				quote = 0;
		} else if (ch == '\'' || ch == '"') {
			quote = ch;
		} else if (ch == '\\') {
			return py_str_error(c, "f-string expression part cannot include a backslash");
		} else if (ch == '#') {
			return py_str_error(c, "f-string expression part cannot include '#'");
		} else if (ch == '(' || ch == '[' || ch == '{') {
			depth++;
		} else if (depth > 0 && (ch == ')' || ch == ']' || ch == '}')) {
			depth--;
		} else if (depth == 0 && (ch == '}' || ch == ':'
					  || (ch == '!' && (c->s + 1 >= c->end || c->s[1] != '=')))) {
			return 0;
		}
		py_fstep(c);
	}
	return py_str_error(c, "f-string: expecting '}'");
}

/* The expression [S, END) at LINE:COL, by a parser of its own. */
static struct py_node *py_field_expr(struct py_parser *p, const char *s, const char *end,
				     int line, int col)
{
	struct py_parser q;
	struct py_node *e;

	memset(&q, 0, sizeof q);
	q.diag = p->diag;
	q.ast = p->ast;
	q.depth = p->depth;
	py_lex_init_at(&q.lx, p->diag, s, (size_t)(end - s), line, col);
	if (py_next(&q) < 0)
		return NULL;
	if ((e = py_parse_exprlist(&q)) == NULL)
		return NULL;
	if (py_is_op(&q, PY_OP_ASSIGN))
		return py_unsupported(&q, q.tok.line, q.tok.col,
				      "the `=` specifier of an f-string field");
	if (q.tok.kind != PY_T_END)
		return py_syntax(&q);
	return e;
}

/* One `{...}` field, C at its '{'. */
static struct py_node *py_field(struct py_parser *p, struct py_fcur *c, int nest)
{
	struct py_node *n = py_new(p, PY_FORMATTED_VALUE, c->line, c->col);
	const char *start;
	int line, col;

	if (n == NULL)
		return NULL;
	if (nest >= 2) {
		py_str_error(c, "f-string: expressions nested too deeply");
		return NULL;
	}
	py_fstep(c);
	start = c->s;
	line = c->line;
	col = c->col;
	if (py_field_end(c) < 0)
		return NULL;
	while (start < c->s && strchr(" \t\n\r\f", *start))
		start++;
	if (start == c->s) {
		py_str_error(c, "f-string: empty expression not allowed");
		return NULL;
	}
	if ((n->a = py_field_expr(p, start, c->s, line, col)) == NULL)
		return NULL;
	if (*c->s == '!') {
		py_fstep(c);
		if (c->s >= c->end || !strchr("sra", *c->s) || *c->s == '\0') {
			py_str_error(c, "f-string: invalid conversion character: expected 's', 'r', or 'a'");
			return NULL;
		}
		n->op = *c->s;
		py_fstep(c);
	}
	if (c->s < c->end && *c->s == ':') {
		struct py_list spec = { 0 };
		if ((n->b = py_new(p, PY_JOINED_STR, c->line, c->col)) == NULL)
			return NULL;
		py_fstep(c);
		if (py_fscan(p, c, nest + 1, 1, &spec) < 0)
			return NULL;
		n->b->items = py_join(p, spec.head, 0);
		if (p->diag->failed)
			return NULL;
	}
	if (c->s >= c->end || *c->s != '}') {
		py_str_error(c, "f-string: expecting '}'");
		return NULL;
	}
	py_fstep(c);
	return n;
}

/* Literal text and fields up to the end (or, in a format spec, up to its
 * closing '}'), appended to PARTS. */
static int py_fscan(struct py_parser *p, struct py_fcur *c, int nest, int in_spec,
		    struct py_list *parts)
{
	const char *lit = c->s;
	int line = c->line, col = c->col;
	struct py_node *n;

	while (c->s < c->end) {
		char ch = *c->s;
		int doubled = c->s + 1 < c->end && c->s[1] == ch && !in_spec;
		if (ch != '{' && ch != '}') {
			if (ch == '\\' && !c->raw && c->s + 1 < c->end && c->s[1] != '{' && c->s[1] != '}')
				py_fstep(c);
			py_fstep(c);
			continue;
		}
		if (ch == '}' && in_spec)
			break;
		if (ch == '}' && !doubled)
			return py_str_error(c, "f-string: single '}' is not allowed");
		if ((n = py_str_piece(p, c, lit, c->s + doubled, line, col)) == NULL)
			return -1;
		py_list_add(parts, n);
		if (doubled) {
			py_fstep(c);
			py_fstep(c);
		} else if ((n = py_field(p, c, nest)) == NULL) {
			return -1;
		} else {
			py_list_add(parts, n);
		}
		lit = c->s;
		line = c->line;
		col = c->col;
	}
	if ((n = py_str_piece(p, c, lit, c->s, line, col)) == NULL)
		return -1;
	py_list_add(parts, n);
	return 0;
}

/* ---- the run of literals -------------------------------------------------------- */

/* Join every run of Str nodes in PARTS into one, dropping empty ones
 * unless KEEP_EMPTY (linear: each run is copied once).  NULL is an empty
 * list, or an error when p->diag->failed. */
static struct py_node *py_join(struct py_parser *p, struct py_node *parts, int keep_empty)
{
	struct py_list out = { 0 };

	while (parts != NULL) {
		struct py_node *run = parts, *q, *next;
		size_t len = 0, o = 0;
		char *buf;

		if (run->kind != PY_STR) {
			next = run->next;
			run->next = NULL;
			py_list_add(&out, run);
			parts = next;
			continue;
		}
		for (q = run; q != NULL && q->kind == PY_STR; q = q->next)
			len += q->len;
		if ((buf = py_new_str(p, len)) == NULL)
			return NULL;
		for (q = run; q != NULL && q->kind == PY_STR; q = q->next) {
			memcpy(buf + o, q->str, q->len);
			o += q->len;
		}
		buf[o] = '\0';
		run->str = buf;
		run->len = len;
		parts = q;
		run->next = NULL;
		if (len > 0 || keep_empty)
			py_list_add(&out, run);
	}
	return out.head;
}

/* One literal token: its Str, or its f-string parts, onto PARTS. */
static int py_one_literal(struct py_parser *p, struct py_fcur *c, struct py_list *parts)
{
	const struct py_token *t = &p->tok;
	struct py_node *n;

	c->s = t->body;
	c->end = t->body + t->body_len;
	c->line = t->body_line;
	c->col = t->body_col;
	c->raw = (t->str_flags & PY_STR_RAW) != 0;
	if (t->str_flags & PY_STR_FORMAT)
		return py_fscan(p, c, 0, 0, parts);
	if ((n = py_str_piece(p, c, c->s, c->end, t->line, t->col)) == NULL)
		return -1;
	py_list_add(parts, n);
	return 0;
}

struct py_node *py_parse_strings(struct py_parser *p)
{
	struct py_fcur c;
	struct py_list parts = { 0 };
	struct py_node *n;
	int line = p->tok.line, col = p->tok.col, end_line = line, end_col = col;
	int fstring = 0, failed = 0, bytes = 0, text = 0;

	memset(&c, 0, sizeof c);
	while (p->tok.kind == PY_T_STRING) {
		if (p->tok.str_flags & PY_STR_BYTES)
			bytes = 1;
		else
			text = 1;
		fstring |= (p->tok.str_flags & PY_STR_FORMAT) != 0;
		if (bytes && text && !failed) {
			py_str_error(&c, "cannot mix bytes and nonbytes literals");
			failed = 1;
		}
		if (!failed && !bytes && py_one_literal(p, &c, &parts) < 0) {
			if (p->diag->failed)
				return NULL;
			failed = 1;
		}
		end_line = p->tok.end_line;
		end_col = p->tok.end_col;
		if (py_next(p) < 0)
			return NULL;
	}
	if (failed)
		return py_fail(p, end_line, end_col, "%s", c.pending);
	if (bytes)
		return py_unsupported(p, line, col, "a bytes literal (b'...')");
	parts.head = py_join(p, parts.head, !fstring);
	if (p->diag->failed)
		return NULL;
	if (!fstring) {
		parts.head->line = line;
		parts.head->col = col;
		return parts.head;
	}
	if ((n = py_new(p, PY_JOINED_STR, line, col)) == NULL)
		return NULL;
	n->items = parts.head;
	return n;
}
