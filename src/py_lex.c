/*
 * py_lex.c: Python 3 source to tokens, as CPython 3.11's tokenizer does
 * it for the programs lessons are written in (see py_lex.h).
 */
#include "config.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "i18n.h"
#include "py_lex.h"

#define PY_OP_STR(id, s) s,
static const char *const py_op_names[] = { "", PY_OPS(PY_OP_STR) };
#undef PY_OP_STR
#define PY_KW_STR(id, s) s,
static const char *const py_kw_names[] = { "", PY_KEYWORDS(PY_KW_STR) };
#undef PY_KW_STR

const char *py_op_str(enum py_op op)
{
	return op > PY_OP_NONE && op < PY_OP_COUNT ? py_op_names[op] : "?";
}

const char *py_kw_str(enum py_kw kw)
{
	return kw > PY_KW_NONE_ && kw < PY_KW_COUNT ? py_kw_names[kw] : "?";
}

/* ---- messages ----------------------------------------------------------- */

int py_chars(const char *s, size_t len)
{
	int n = 0;
	for (size_t i = 0; i < len; i++)
		n += ((unsigned char)s[i] & 0xc0) != 0x80;
	return n;
}

/* Append S to OUT (at *o), control characters as \xNN. */
static void py_put_escaped(char *out, size_t outlen, size_t *o, const char *s)
{
	for (; *s != '\0' && *o + 5 < outlen; s++) {
		unsigned char ch = (unsigned char)*s;
		if (ch < 0x20 || ch == 0x7f)
			*o += (size_t)snprintf(out + *o, outlen - *o, "\\x%02x", ch);
		else
			out[(*o)++] = (char)ch;
	}
	out[*o] = '\0';
}

int py_error_at(struct py_diag *d, int line, int col, const char *fmt, ...)
{
	char msg[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, _(fmt), ap);   /* py_error_at is an xgettext keyword */
	va_end(ap);
	return py_error_text(d, line, col, msg);
}

int py_error_text(struct py_diag *d, int line, int col, const char *msg)
{
	char head[64];
	size_t o = 0;

	if (d->failed || d->err == NULL || d->errlen == 0) {
		d->failed = 1;
		return -1;
	}
	d->failed = 1;
	d->err[0] = '\0';
	py_put_escaped(d->err, d->errlen, &o, d->name ? d->name : "<input>");
	snprintf(head, sizeof head, ":%d:%d: error: ", line, col);
	py_put_escaped(d->err, d->errlen, &o, head);
	py_put_escaped(d->err, d->errlen, &o, msg);
	return -1;
}

void py_quote(char *out, size_t outlen, const char *s, size_t len, size_t max)
{
	size_t o = 0, i = 0, chars = 0;

	if (outlen < 8) {
		if (outlen > 0)
			out[0] = '\0';
		return;
	}
	for (; i < len && chars < max && o + 8 < outlen; i++) {
		unsigned char ch = (unsigned char)s[i];
		chars += (ch & 0xc0) != 0x80;
		if (ch < 0x20 || ch == 0x7f)
			o += (size_t)snprintf(out + o, outlen - o, "\\x%02x", ch);
		else
			out[o++] = (char)ch;
	}
	/* Never cut a character in two. */
	while (i < len && ((unsigned char)s[i] & 0xc0) == 0x80 && o + 4 < outlen)
		out[o++] = s[i++];
	if (i < len)
		o += (size_t)snprintf(out + o, outlen - o, "...");
	out[o] = '\0';
}

/* ---- characters ---------------------------------------------------------- */

/* Decode the UTF-8 sequence at P (valid: checked once up front). */
static uint32_t py_utf8(const char *p, const char *end, int *n)
{
	const unsigned char *u = (const unsigned char *)p;
	int len = u[0] < 0x80 ? 1 : u[0] < 0xe0 ? 2 : u[0] < 0xf0 ? 3 : 4;
	uint32_t c = len == 1 ? u[0] : len == 2 ? u[0] & 0x1f
		: len == 3 ? u[0] & 0x0f : u[0] & 0x07;

	if (p + len > end)
		len = (int)(end - p);
	for (int i = 1; i < len; i++)
		c = (c << 6) | (u[i] & 0x3f);
	*n = len;
	return c;
}

/* The length of a valid UTF-8 sequence at P, or 0. */
static int py_utf8_valid(const unsigned char *p, const unsigned char *end)
{
	int len;
	uint32_t c;

	if (p[0] < 0x80)
		return 1;
	if (p[0] < 0xc2 || p[0] > 0xf4)
		return 0;
	len = p[0] < 0xe0 ? 2 : p[0] < 0xf0 ? 3 : 4;
	if (end - p < len)
		return 0;
	for (int i = 1; i < len; i++)
		if ((p[i] & 0xc0) != 0x80)
			return 0;
	c = py_utf8((const char *)p, (const char *)end, &len);
	if ((len == 3 && c < 0x800) || (len == 4 && (c < 0x10000 || c > 0x10ffff))
	    || (c >= 0xd800 && c <= 0xdfff))
		return 0;
	return len;
}

/* Characters that may go on a name.  ASCII as Python; beyond it, every
 * letter-like code point: without Unicode tables lockstep refuses only
 * the blocks of spaces and punctuation a Chinese or European keyboard
 * slips in (，。：（） and no-break spaces), as CPython refuses them. */
static int py_name_char(uint32_t c, int first)
{
	if (c < 0x80)
		return c == '_' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')
			|| (!first && c >= '0' && c <= '9');
	if ((c >= 0x80 && c <= 0xbf && c != 0xaa && c != 0xb5 && c != 0xba)
	    || c == 0xd7 || c == 0xf7
	    || (c >= 0x2000 && c <= 0x206f) || (c >= 0x2190 && c <= 0x2bff)
	    || (c >= 0x3000 && c <= 0x3004) || (c >= 0x3008 && c <= 0x3020)
	    || (c >= 0xfe30 && c <= 0xfe4f) || c == 0xfeff
	    || (c >= 0xff00 && c <= 0xff0f) || (c >= 0xff1a && c <= 0xff20)
	    || (c >= 0xff3b && c <= 0xff40) || (c >= 0xff5b && c <= 0xff65))
		return 0;
	return 1;
}

/* ---- the cursor ---------------------------------------------------------- */

static int py_more(const struct py_lexer *lx)
{
	return lx->p < lx->end;
}

static char py_peek(const struct py_lexer *lx, size_t ahead)
{
	return lx->p + ahead < lx->end ? lx->p[ahead] : '\0';
}

/* Step over one character (a whole UTF-8 sequence; \r\n as one newline). */
static void py_advance(struct py_lexer *lx)
{
	unsigned char ch = (unsigned char)*lx->p;

	if (ch == '\n' || ch == '\r') {
		if (ch == '\r' && py_peek(lx, 1) == '\n')
			lx->p++;
		lx->p++;
		lx->line++;
		lx->col = 1;
		return;
	}
	lx->p++;
	while (lx->p < lx->end && ((unsigned char)*lx->p & 0xc0) == 0x80)
		lx->p++;
	lx->col++;
}

static int py_is_newline(char ch)
{
	return ch == '\n' || ch == '\r';
}

void py_lex_init(struct py_lexer *lx, struct py_diag *diag,
		 const char *buf, size_t len)
{
	memset(lx, 0, sizeof *lx);
	lx->diag = diag;
	lx->buf = lx->p = buf;
	lx->end = buf + len;
	lx->line = lx->col = 1;
	lx->at_bol = 1;
	/* A UTF-8 byte order mark is allowed, as in CPython; not a column. */
	if (len >= 3 && !memcmp(buf, "\xef\xbb\xbf", 3))
		lx->p += 3;
}

void py_lex_init_at(struct py_lexer *lx, struct py_diag *diag,
		    const char *buf, size_t len, int line, int col)
{
	memset(lx, 0, sizeof *lx);
	lx->diag = diag;
	lx->buf = lx->p = buf;
	lx->end = buf + len;
	lx->line = line;
	lx->col = col;
	lx->fragment = 1;
}

/* A NUL byte or a bad UTF-8 sequence anywhere refuses the whole file,
 * before any token: CPython does the same when it decodes the source. */
static int py_check_bytes(struct py_lexer *lx)
{
	const unsigned char *p = (const unsigned char *)lx->p;
	const unsigned char *end = (const unsigned char *)lx->end;
	int line = 1, col = 1;

	while (p < end) {
		int n = *p == 0 ? 0 : py_utf8_valid(p, end);
		if (*p == 0)
			return py_error_at(lx->diag, line, col,
					   "source code cannot contain null bytes");
		if (n == 0)
			return py_error_at(lx->diag, line, col,
					   "the file is not valid UTF-8 (byte 0x%02x)", *p);
		if (*p == '\n' || (*p == '\r' && (p + 1 == end || p[1] != '\n'))) {
			line++;
			col = 1;
		} else if (*p != '\r') {
			col++;
		}
		p += n;
	}
	return 0;
}

/* ---- indentation ---------------------------------------------------------- */

static int py_tab_error(struct py_lexer *lx)
{
	lx->quiet = 1;
	return py_error_at(lx->diag, lx->line, 1,
			   "inconsistent use of tabs and spaces in indentation");
}

/* The line's indentation is COL (tabs to 8) and ALT (tabs as 1): push a
 * level (returns 1: an INDENT is due) or queue DEDENTs (returns 0). */
static int py_indent_to(struct py_lexer *lx, int col, int alt)
{
	int n = lx->n_indents;

	if (col == lx->indents[n])
		return alt == lx->altindents[n] ? 0 : py_tab_error(lx);
	if (col > lx->indents[n]) {
		if (n + 1 >= PY_MAX_INDENT) {   /* CPython counts the base level */
			lx->quiet = 1;
			return py_error_at(lx->diag, lx->line, 1,
					   "too many levels of indentation");
		}
		if (alt <= lx->altindents[n])
			return py_tab_error(lx);
		lx->n_indents++;
		lx->indents[n + 1] = col;
		lx->altindents[n + 1] = alt;
		return 1;
	}
	while (lx->n_indents > 0 && col < lx->indents[lx->n_indents]) {
		lx->n_indents--;
		lx->pending_dedents++;
	}
	if (col != lx->indents[lx->n_indents]) {
		/* CPython points just past the end of the line. */
		const char *e = lx->p;
		while (e < lx->end && !py_is_newline(*e))
			e++;
		lx->quiet = 1;
		return py_error_at(lx->diag, lx->line, lx->col + py_chars(lx->p, (size_t)(e - lx->p)),
				   "unindent does not match any outer indentation level");
	}
	return alt == lx->altindents[lx->n_indents] ? 0 : py_tab_error(lx);
}

/* At the start of a line outside brackets: measure the indentation, skip
 * blank and comment lines, and queue INDENT or DEDENTs.  Returns 1 when an
 * INDENT is due, 0 otherwise, -1 on error. */
static int py_indentation(struct py_lexer *lx)
{
	for (;;) {
		int col = 0, alt = 0;
		while (py_more(lx) && (*lx->p == ' ' || *lx->p == '\t' || *lx->p == '\f')) {
			if (*lx->p == ' ') {
				col++;
				alt++;
			} else if (*lx->p == '\t') {
				col = (col / 8 + 1) * 8;
				alt++;
			} else {
				col = alt = 0;
			}
			py_advance(lx);
		}
		if (py_more(lx) && *lx->p == '#')
			while (py_more(lx) && !py_is_newline(*lx->p))
				py_advance(lx);
		if (py_more(lx) && py_is_newline(*lx->p)) {
			py_advance(lx);
			continue;       /* a blank line: no token, no indentation */
		}
		lx->at_bol = 0;
		if (!py_more(lx))
			return 0;       /* trailing blanks at the end of the file */
		return py_indent_to(lx, col, alt);
	}
}

/* ---- tokens -------------------------------------------------------------- */

static void py_tok_start(struct py_lexer *lx, struct py_token *t,
			 enum py_tok_kind kind)
{
	t->kind = kind;
	t->line = t->end_line = lx->line;
	t->col = t->end_col = lx->col;
	t->text = lx->p;
	t->len = 0;
}

static void py_tok_end(struct py_lexer *lx, struct py_token *t)
{
	t->end_line = lx->line;
	t->end_col = lx->col;
	t->len = (size_t)(lx->p - t->text);
}

static int py_is_digit(char c, int base)
{
	if (base == 16)
		return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
	return c >= '0' && c < '0' + base;
}

/* Digits of BASE with single underscores between them; returns the count
 * of digits, or -1 after an error. */
static int py_digits(struct py_lexer *lx, int base, const char *what)
{
	int n = 0;

	for (;;) {
		if (py_more(lx) && py_is_digit(*lx->p, base)) {
			py_advance(lx);
			n++;
		} else if (py_more(lx) && *lx->p == '_') {
			py_advance(lx);
			if (!py_more(lx) || !py_is_digit(*lx->p, base))
				return py_error_at(lx->diag, lx->line, lx->col - 1,
						   "invalid %s literal", what);
		} else {
			return n;
		}
	}
}

/* A number must not run into a name: `12abc`, `0x` (CPython points at the
 * character before the culprit). */
static int py_number_end(struct py_lexer *lx, const char *what)
{
	/* CPython 3.11 only warns before these keywords (`1if x else 2`). */
	static const char *const kws[] = { "and", "else", "for", "if", "in", "is", "not", "or" };
	for (size_t i = 0; i < sizeof kws / sizeof kws[0]; i++) {
		size_t n = strlen(kws[i]);
		if ((size_t)(lx->end - lx->p) >= n && !memcmp(lx->p, kws[i], n))
			return 0;
	}
	if (py_more(lx) && ((unsigned char)*lx->p >= 0x80
			    || py_name_char((unsigned char)*lx->p, 0)))
		return py_error_at(lx->diag, lx->line, lx->col - 1, "invalid %s literal", what);
	return 0;
}

static int py_prefixed_number(struct py_lexer *lx, struct py_token *t)
{
	char k = (char)(py_peek(lx, 1) | 0x20);
	int base = k == 'x' ? 16 : k == 'o' ? 8 : 2;
	/* The kind of number, inside "invalid %s literal". */
	const char *what = _(base == 16 ? N_("hexadecimal") : base == 8 ? N_("octal") : N_("binary"));

	py_advance(lx);
	py_advance(lx);
	if (py_more(lx) && *lx->p == '_')
		py_advance(lx);
	switch (py_digits(lx, base, what)) {
	case -1:
		return -1;
	case 0:
		if (base < 16 && py_more(lx) && *lx->p >= '0' && *lx->p <= '9')
			break;          /* 0b2: the digit's own message below */
		return py_error_at(lx->diag, lx->line, lx->col - 1, "invalid %s literal", what);
	default:
		break;
	}
	if (base < 16 && py_more(lx) && *lx->p >= '0' && *lx->p <= '9')
		return py_error_at(lx->diag, lx->line, lx->col,
				   "invalid digit '%c' in %s literal", *lx->p, what);
	t->num = PY_NUM_INT;
	return py_number_end(lx, what);
}

static int py_exponent(struct py_lexer *lx, struct py_token *t)
{
	char s = py_peek(lx, 1);
	size_t digit_at = (s == '+' || s == '-') ? 2 : 1;

	if (!py_is_digit(py_peek(lx, digit_at), 10)) {
		if ((size_t)(lx->end - lx->p) >= 4 && !memcmp(lx->p, "else", 4))
			return 0;       /* `1else`: a warning in CPython 3.11 */
		return py_error_at(lx->diag, lx->line, lx->col - 1,
				   "invalid decimal literal");
	}
	py_advance(lx);
	if (digit_at == 2)
		py_advance(lx);
	t->num = PY_NUM_FLOAT;
	return py_digits(lx, 10, "decimal") < 0 ? -1 : 0;
}

static int py_number(struct py_lexer *lx, struct py_token *t)
{
	int int_digits = 0;
	const char *start = lx->p;

	if (*lx->p == '0' && strchr("xXoObB", py_peek(lx, 1)) && py_peek(lx, 1))
		return py_prefixed_number(lx, t);
	t->num = PY_NUM_INT;
	if (*lx->p != '.' && (int_digits = py_digits(lx, 10, "decimal")) < 0)
		return -1;
	if (py_more(lx) && *lx->p == '.') {
		py_advance(lx);
		t->num = PY_NUM_FLOAT;
		if (py_more(lx) && py_is_digit(*lx->p, 10) && py_digits(lx, 10, "decimal") < 0)
			return -1;
	}
	if (py_more(lx) && (*lx->p == 'e' || *lx->p == 'E') && py_exponent(lx, t) < 0)
		return -1;
	if (py_more(lx) && (*lx->p == 'j' || *lx->p == 'J')) {
		py_advance(lx);
		t->num = PY_NUM_IMAG;
	}
	if (t->num == PY_NUM_INT && start[0] == '0' && int_digits > 1) {
		for (const char *q = start; q < lx->p; q++)
			if (*q != '0' && *q != '_')
				return py_error_at(lx->diag, t->line, t->col,
						   "leading zeros in decimal integer literals are not permitted; use an 0o prefix for octal integers");
	}
	return py_number_end(lx, "decimal");
}

/* The string prefix at P (LEN letters): its flags, or 0 if not one. */
static unsigned py_prefix_flags(const char *p, size_t len)
{
	unsigned f = 0;

	if (len == 0 || len > 2)
		return 0;
	for (size_t i = 0; i < len; i++) {
		unsigned bit;
		switch (p[i] | 0x20) {
		case 'r': bit = PY_STR_RAW; break;
		case 'b': bit = PY_STR_BYTES; break;
		case 'f': bit = PY_STR_FORMAT; break;
		case 'u': bit = 0x100; break;
		default: return 0;
		}
		if (f & bit)
			return 0;
		f |= bit;
	}
	if ((f & 0x100) && len > 1)
		return 0;                       /* ur'' is not Python 3 */
	if ((f & PY_STR_BYTES) && (f & PY_STR_FORMAT))
		return 0;
	return f | 0x200;                       /* nonzero even for u'' */
}

static int py_string(struct py_lexer *lx, struct py_token *t, unsigned flags)
{
	char q = *lx->p;
	int triple = py_peek(lx, 1) == q && py_peek(lx, 2) == q;

	t->kind = PY_T_STRING;
	t->str_flags = (flags & (PY_STR_RAW | PY_STR_BYTES | PY_STR_FORMAT))
		| (triple ? PY_STR_TRIPLE : 0);
	t->quote = q;
	for (int i = 0; i < (triple ? 3 : 1); i++)
		py_advance(lx);
	t->body = lx->p;
	t->body_line = lx->line;
	t->body_col = lx->col;
	for (;;) {
		/* CPython names the line of the last character read. */
		int last = lx->col == 1 && lx->line > t->line ? lx->line - 1 : lx->line;
		if (!py_more(lx) || (!triple && py_is_newline(*lx->p)))
			return triple ? py_error_at(lx->diag, t->line, t->col,
						    "unterminated triple-quoted string literal"
						    " (detected at line %d)", last)
				      : py_error_at(lx->diag, t->line, t->col,
						    "unterminated string literal (detected at line %d)",
						    lx->line);
		if (*lx->p == q && (!triple || (py_peek(lx, 1) == q && py_peek(lx, 2) == q)))
			break;
		if (*lx->p == '\\' && lx->p + 1 < lx->end)
			py_advance(lx);         /* the escaped character, even a quote */
		py_advance(lx);
	}
	t->body_len = (size_t)(lx->p - t->body);
	for (int i = 0; i < (triple ? 3 : 1); i++)
		py_advance(lx);
	return 0;
}

static int py_bad_char(struct py_lexer *lx)
{
	int n;
	uint32_t c = py_utf8(lx->p, lx->end, &n);
	char shown[8];

	if (c < 0x20 || (c >= 0x7f && c <= 0xa0) || (c >= 0x2000 && c <= 0x200f)
	    || (c >= 0x2028 && c <= 0x202f) || (c >= 0x205f && c <= 0x206f)
	    || c == 0x3000 || c == 0xfeff)
		return py_error_at(lx->diag, lx->line, lx->col,
				   "invalid non-printable character U+%04X", (unsigned)c);
	memcpy(shown, lx->p, (size_t)n);
	shown[n] = '\0';
	lx->soft = c < 0x80;
	return py_error_at(lx->diag, lx->line, lx->col,
			   "invalid character '%s' (U+%04X)", shown, (unsigned)c);
}

static int py_name(struct py_lexer *lx, struct py_token *t)
{
	int n;

	t->kind = PY_T_NAME;
	if (!py_name_char(py_utf8(lx->p, lx->end, &n), 1))
		return py_bad_char(lx);
	while (py_more(lx) && py_name_char(py_utf8(lx->p, lx->end, &n), 0))
		py_advance(lx);
	for (int k = 1; k < PY_KW_COUNT; k++)
		if (strlen(py_kw_names[k]) == (size_t)(lx->p - t->text)
		    && !memcmp(py_kw_names[k], t->text, (size_t)(lx->p - t->text)))
			t->kw = (enum py_kw)k;
	return 0;
}

static int py_open_bracket(struct py_lexer *lx, char ch)
{
	if (lx->n_brackets == PY_MAX_BRACKETS)
		return py_error_at(lx->diag, lx->line, lx->col, "too many nested parentheses");
	lx->brackets[lx->n_brackets] = ch;
	lx->bracket_line[lx->n_brackets] = lx->line;
	lx->bracket_col[lx->n_brackets] = lx->col;
	lx->n_brackets++;
	return 0;
}

static int py_close_bracket(struct py_lexer *lx, char ch)
{
	char want = ch == ')' ? '(' : ch == ']' ? '[' : '{';
	int n = lx->n_brackets;

	if (n == 0)
		return py_error_at(lx->diag, lx->line, lx->col, "unmatched '%c'", ch);
	if (lx->brackets[n - 1] != want) {
		if (lx->bracket_line[n - 1] != lx->line)
			return py_error_at(lx->diag, lx->line, lx->col,
					   "closing parenthesis '%c' does not match opening parenthesis '%c' on line %d",
					   ch, lx->brackets[n - 1], lx->bracket_line[n - 1]);
		return py_error_at(lx->diag, lx->line, lx->col,
				   "closing parenthesis '%c' does not match opening parenthesis '%c'",
				   ch, lx->brackets[n - 1]);
	}
	lx->n_brackets--;
	return 0;
}

static int py_operator(struct py_lexer *lx, struct py_token *t)
{
	t->kind = PY_T_OP;
	for (int k = 1; k < PY_OP_COUNT; k++) {
		size_t n = strlen(py_op_names[k]);
		if ((size_t)(lx->end - lx->p) >= n && !memcmp(lx->p, py_op_names[k], n)) {
			char ch = *lx->p;
			if (strchr("([{", ch) && py_open_bracket(lx, ch) < 0)
				return -1;
			if (strchr(")]}", ch) && py_close_bracket(lx, ch) < 0)
				return -1;
			t->op = (enum py_op)k;
			for (size_t i = 0; i < n; i++)
				py_advance(lx);
			return 0;
		}
	}
	return py_bad_char(lx);
}

/* Spaces, comments and backslash continuations between tokens.  Returns 1
 * at a newline that ends a logical line, 0 before a token or the end. */
static int py_skip_space(struct py_lexer *lx)
{
	while (py_more(lx)) {
		char ch = *lx->p;
		if (ch == ' ' || ch == '\t' || ch == '\f') {
			py_advance(lx);
		} else if (ch == '#') {
			lx->comment_line = lx->line;
			lx->comment_col = lx->col;
			while (py_more(lx) && !py_is_newline(*lx->p))
				py_advance(lx);
		} else if (ch == '\\') {
			int line = lx->line, col = lx->col + 1;
			py_advance(lx);
			lx->quiet = 1;
			if (py_more(lx) && !py_is_newline(*lx->p))
				return py_error_at(lx->diag, lx->line, lx->col,
						   "unexpected character after line continuation character");
			if (py_more(lx))
				py_advance(lx);
			if (!py_more(lx))       /* CPython: just past the backslash */
				return py_error_at(lx->diag, line, col,
						   "unexpected EOF while parsing");
			lx->quiet = 0;
		} else if (py_is_newline(ch)) {
			if (lx->n_brackets == 0 && !lx->fragment && lx->line_has_tokens)
				return 1;
			py_advance(lx);
		} else {
			return 0;
		}
	}
	return 0;
}

/* The end of the input: the last NEWLINE, then one DEDENT per level. */
static int py_at_end(struct py_lexer *lx, struct py_token *t)
{
	if (lx->fragment) {
		py_tok_start(lx, t, PY_T_END);
		lx->done = 1;
		return 0;
	}
	if (lx->n_brackets > 0) {
		int n = lx->n_brackets - 1;
		lx->unclosed = 1;
		return py_error_at(lx->diag, lx->bracket_line[n], lx->bracket_col[n],
				   "'%c' was never closed", lx->brackets[n]);
	}
	if (lx->line_has_tokens) {
		lx->line_has_tokens = 0;
		py_tok_start(lx, t, PY_T_NEWLINE);
		return 0;
	}
	if (lx->n_indents > 0) {
		lx->n_indents--;
		py_tok_start(lx, t, PY_T_DEDENT);
		return 0;
	}
	py_tok_start(lx, t, PY_T_END);
	lx->done = 1;
	return 0;
}

static int py_token(struct py_lexer *lx, struct py_token *t)
{
	unsigned char ch;
	int r = py_skip_space(lx);
	const char *q;

	if (r < 0)
		return -1;
	if (r == 1) {
		py_tok_start(lx, t, PY_T_NEWLINE);
		if (lx->comment_line == lx->line)
			t->col = lx->comment_col;       /* CPython: where the comment starts */
		py_advance(lx);
		py_tok_end(lx, t);
		lx->at_bol = 1;
		lx->line_has_tokens = 0;
		return 0;
	}
	if (!py_more(lx))
		return py_at_end(lx, t);
	py_tok_start(lx, t, PY_T_OP);
	lx->line_has_tokens = 1;
	ch = (unsigned char)*lx->p;
	if ((ch >= '0' && ch <= '9') || (ch == '.' && py_is_digit(py_peek(lx, 1), 10))) {
		t->kind = PY_T_NUMBER;
		r = py_number(lx, t);
	} else if (ch == '\'' || ch == '"') {
		r = py_string(lx, t, 0);
	} else if (ch >= 0x80 || py_name_char(ch, 1)) {
		for (q = lx->p; q < lx->end && q - lx->p < 3 && ((*q | 0x20) >= 'a' && (*q | 0x20) <= 'z'); q++)
			;
		if (q < lx->end && (*q == '\'' || *q == '"')
		    && py_prefix_flags(lx->p, (size_t)(q - lx->p))) {
			unsigned f = py_prefix_flags(lx->p, (size_t)(q - lx->p));
			while (lx->p < q)
				py_advance(lx);
			r = py_string(lx, t, f);
		} else {
			r = py_name(lx, t);
		}
	} else {
		r = py_operator(lx, t);
	}
	py_tok_end(lx, t);
	return r;
}

void py_lex_skip(struct py_lexer *lx)
{
	if (py_more(lx))
		py_advance(lx);
	lx->line_has_tokens = 1;
}

int py_lex_next(struct py_lexer *lx, struct py_token *t)
{
	int r;

	memset(t, 0, sizeof *t);
	if (lx->failed)
		return -1;
	if (lx->done) {
		py_tok_start(lx, t, PY_T_END);
		return 0;
	}
	r = 0;
	if (!lx->checked && !lx->fragment) {
		lx->checked = 1;
		r = py_check_bytes(lx);
	}
	if (r == 0 && lx->pending_dedents > 0) {
		lx->pending_dedents--;
		py_tok_start(lx, t, PY_T_DEDENT);
		return 0;
	}
	if (r == 0 && lx->at_bol && !lx->fragment && lx->n_brackets == 0) {
		r = py_indentation(lx);
		if (r == 1) {
			py_tok_start(lx, t, PY_T_INDENT);
			t->col = lx->col - 1;     /* CPython: the last blank */
			return 0;
		}
		if (r == 0 && lx->pending_dedents > 0) {
			lx->pending_dedents--;
			py_tok_start(lx, t, PY_T_DEDENT);
			return 0;
		}
	}
	if (r == 0)
		r = py_token(lx, t);
	if (r < 0)
		lx->failed = 1;
	return r;
}
