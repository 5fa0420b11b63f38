/*
 * py_lex.h: the tokenizer of lockstep's Python front end.
 *
 * It turns Python 3 source (UTF-8, as the lesson's programs are written)
 * into the tokens CPython's tokenizer makes: NEWLINE at the end of each
 * logical line, INDENT and DEDENT from a stack of indentation columns,
 * names, numbers, strings and operators.  Newlines inside brackets and
 * after a backslash join lines; blank and comment-only lines make no
 * token; a file that does not end in a newline gets one.
 *
 * Positions: every token carries its 1-based LINE and COL, and the
 * position just past its end.  COL counts characters (UTF-8 code points),
 * not bytes: that is what CPython's SyntaxError.offset reports (checked
 * with python3.11: `é = 'ü' + $` fails at offset 11), and what libyaml's
 * marks count, so a lesson's messages point at the same column whichever
 * file they come from.  (CPython's ast col_offset counts UTF-8 bytes from
 * 0; tests/python/astlines.py converts.)  A tab is one character.
 *
 * Indentation follows CPython: a tab goes to the next multiple of 8, and
 * the same lines are measured again with a tab as 1; when the two
 * measures disagree on the order of two indentation levels the file is
 * refused with "inconsistent use of tabs and spaces in indentation" (so a
 * file indented with tabs only, or spaces only, is fine).  A form feed at
 * the start of a line resets the column.
 *
 * Contract:
 *  - py_lex_init() never fails; errors come from py_lex_next().
 *  - py_lex_next() fills one token and returns 0, or returns -1 after
 *    writing exactly one message into the diagnostic (see struct py_diag).
 *    After PY_T_END or an error it keeps returning the same.
 *  - A token's text points into the caller's buffer, which must outlive the
 *    lexer.  Nothing is allocated: memory is the lexer struct alone.
 *  - Time is linear in the input; nesting is bounded (200 brackets, 100
 *    indentation levels, CPython's limits and messages).
 *
 * Strings are not decoded here: a PY_T_STRING token gives its prefix
 * flags and the raw body between the quotes with the body's position;
 * py_parse.c decodes escapes and parses f-string replacement fields by
 * starting a lexer on a slice of the body (py_lex_init_at).
 */
#ifndef LOCKSTEP_PY_LEX_H
#define LOCKSTEP_PY_LEX_H

#include <stdarg.h>
#include <stddef.h>

#define PY_MAX_BRACKETS 200   /* CPython's MAXLEVEL */
#define PY_MAX_INDENT   100   /* CPython's MAXINDENT */

/* Where errors go: the first one is kept, later ones are dropped. */
struct py_diag {
	const char *name;   /* file name, as given */
	char *err;          /* "FILE:LINE:COL: error: ..." (no newline) */
	size_t errlen;
	int failed;
};

enum py_tok_kind {
	PY_T_END,
	PY_T_NEWLINE,
	PY_T_INDENT,
	PY_T_DEDENT,
	PY_T_NAME,      /* also keywords: see kw */
	PY_T_NUMBER,    /* integer, float or imaginary: see num */
	PY_T_STRING,
	PY_T_OP,        /* operator or delimiter: see op */
};

/* Operators and delimiters, longest first where they share a prefix. */
#define PY_OPS(X) \
	X(PY_OP_POW_EQ, "**=") X(PY_OP_FLOORDIV_EQ, "//=") X(PY_OP_LSHIFT_EQ, "<<=") \
	X(PY_OP_RSHIFT_EQ, ">>=") X(PY_OP_ELLIPSIS, "...") \
	X(PY_OP_POW, "**") X(PY_OP_FLOORDIV, "//") X(PY_OP_LSHIFT, "<<") \
	X(PY_OP_RSHIFT, ">>") X(PY_OP_EQ, "==") X(PY_OP_NE, "!=") \
	X(PY_OP_LE, "<=") X(PY_OP_GE, ">=") X(PY_OP_ARROW, "->") \
	X(PY_OP_WALRUS, ":=") X(PY_OP_PLUS_EQ, "+=") X(PY_OP_MINUS_EQ, "-=") \
	X(PY_OP_STAR_EQ, "*=") X(PY_OP_SLASH_EQ, "/=") X(PY_OP_PERCENT_EQ, "%=") \
	X(PY_OP_AMP_EQ, "&=") X(PY_OP_PIPE_EQ, "|=") X(PY_OP_CARET_EQ, "^=") \
	X(PY_OP_AT_EQ, "@=") \
	X(PY_OP_PLUS, "+") X(PY_OP_MINUS, "-") X(PY_OP_STAR, "*") \
	X(PY_OP_SLASH, "/") X(PY_OP_PERCENT, "%") X(PY_OP_AMP, "&") \
	X(PY_OP_PIPE, "|") X(PY_OP_CARET, "^") X(PY_OP_TILDE, "~") \
	X(PY_OP_LT, "<") X(PY_OP_GT, ">") X(PY_OP_LPAR, "(") X(PY_OP_RPAR, ")") \
	X(PY_OP_LSQB, "[") X(PY_OP_RSQB, "]") X(PY_OP_LBRACE, "{") \
	X(PY_OP_RBRACE, "}") X(PY_OP_COMMA, ",") X(PY_OP_COLON, ":") \
	X(PY_OP_DOT, ".") X(PY_OP_SEMI, ";") X(PY_OP_ASSIGN, "=") X(PY_OP_AT, "@")

#define PY_OP_ENUM(id, s) id,
enum py_op { PY_OP_NONE, PY_OPS(PY_OP_ENUM) PY_OP_COUNT };
#undef PY_OP_ENUM

/* Python's keywords (soft keywords such as match are names). */
#define PY_KEYWORDS(X) \
	X(PY_KW_FALSE, "False") X(PY_KW_NONE, "None") X(PY_KW_TRUE, "True") \
	X(PY_KW_AND, "and") X(PY_KW_AS, "as") X(PY_KW_ASSERT, "assert") \
	X(PY_KW_ASYNC, "async") X(PY_KW_AWAIT, "await") X(PY_KW_BREAK, "break") \
	X(PY_KW_CLASS, "class") X(PY_KW_CONTINUE, "continue") X(PY_KW_DEF, "def") \
	X(PY_KW_DEL, "del") X(PY_KW_ELIF, "elif") X(PY_KW_ELSE, "else") \
	X(PY_KW_EXCEPT, "except") X(PY_KW_FINALLY, "finally") X(PY_KW_FOR, "for") \
	X(PY_KW_FROM, "from") X(PY_KW_GLOBAL, "global") X(PY_KW_IF, "if") \
	X(PY_KW_IMPORT, "import") X(PY_KW_IN, "in") X(PY_KW_IS, "is") \
	X(PY_KW_LAMBDA, "lambda") X(PY_KW_NONLOCAL, "nonlocal") X(PY_KW_NOT, "not") \
	X(PY_KW_OR, "or") X(PY_KW_PASS, "pass") X(PY_KW_RAISE, "raise") \
	X(PY_KW_RETURN, "return") X(PY_KW_TRY, "try") X(PY_KW_WHILE, "while") \
	X(PY_KW_WITH, "with") X(PY_KW_YIELD, "yield")

#define PY_KW_ENUM(id, s) id,
enum py_kw { PY_KW_NONE_, PY_KEYWORDS(PY_KW_ENUM) PY_KW_COUNT };
#undef PY_KW_ENUM

/* String prefix flags. */
#define PY_STR_RAW    1u
#define PY_STR_BYTES  2u
#define PY_STR_FORMAT 4u
#define PY_STR_TRIPLE 8u

enum py_num_kind { PY_NUM_INT, PY_NUM_FLOAT, PY_NUM_IMAG };

struct py_token {
	enum py_tok_kind kind;
	int line, col;          /* start, 1-based, col in characters */
	int end_line, end_col;  /* just past the end */
	const char *text;       /* the source of the token */
	size_t len;
	enum py_op op;          /* PY_T_OP */
	enum py_kw kw;          /* PY_T_NAME: a keyword, or PY_KW_NONE_ */
	enum py_num_kind num;   /* PY_T_NUMBER */
	unsigned str_flags;     /* PY_T_STRING: PY_STR_* */
	char quote;             /* PY_T_STRING: ' or " */
	const char *body;       /* PY_T_STRING: raw text between the quotes */
	size_t body_len;
	int body_line, body_col;
};

struct py_lexer {
	struct py_diag *diag;
	const char *buf, *end, *p;
	int line, col;               /* of *p */
	int at_bol;                  /* at the start of a logical line */
	int line_has_tokens;         /* a NEWLINE is due at the next newline */
	int pending_dedents;
	int indents[PY_MAX_INDENT + 1], altindents[PY_MAX_INDENT + 1];
	int n_indents;               /* entries above the base 0 */
	char brackets[PY_MAX_BRACKETS];
	int bracket_line[PY_MAX_BRACKETS], bracket_col[PY_MAX_BRACKETS];
	int n_brackets;
	int fragment;                /* an f-string field: no lines, no indents */
	int checked;                 /* the bytes were checked (NUL, UTF-8) */
	int done;                    /* PY_T_END given */
	int failed;
	/* What kind of error it was, for the check of the rest of the file
	 * after a parser error (py_parse.c), which follows CPython 3.11:
	 * its tokenizer raises some errors itself (these override a parser
	 * error), reports others only to the parser (indentation, a bad
	 * continuation: these do not), and passes an unknown ASCII character
	 * on as a token (soft: the parser's "invalid syntax"). */
	int unclosed;                /* "'(' was never closed" */
	int quiet;                   /* indentation or continuation */
	int soft;                    /* an unknown ASCII character */
	int comment_line, comment_col; /* a comment before the newline */
};

void py_lex_init(struct py_lexer *lx, struct py_diag *diag,
		 const char *buf, size_t len);
/* A lexer over a slice of a file that starts at LINE:COL, for an f-string
 * replacement field: it makes no NEWLINE, INDENT or DEDENT tokens. */
void py_lex_init_at(struct py_lexer *lx, struct py_diag *diag,
		    const char *buf, size_t len, int line, int col);
int py_lex_next(struct py_lexer *lx, struct py_token *tok);
/* Step over the character a soft error stopped at, to read on. */
void py_lex_skip(struct py_lexer *lx);

/* The spelling of an operator or a keyword. */
const char *py_op_str(enum py_op op);
const char *py_kw_str(enum py_kw kw);

/* Record an error at LINE:COL: "NAME:LINE:COL: error: " and the message
 * (FMT translated), with every control character of the file name and of
 * the message written as an escape (\x1b), so no byte from a file reaches
 * a terminal raw.  Returns -1.  Only the first error is kept. */
int py_error_at(struct py_diag *d, int line, int col, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
/* py_error_at with MSG as it is: a message already translated (py_fail's),
 * while py_error_at translates its FMT (an xgettext keyword). */
int py_error_text(struct py_diag *d, int line, int col, const char *msg);
/* Copy at most MAX characters of S (LEN bytes) into OUT as printable text:
 * control characters become \xNN escapes, a cut is marked with "...". */
void py_quote(char *out, size_t outlen, const char *s, size_t len,
	      size_t max);
/* Columns: the number of characters (UTF-8 lead bytes) in S[0..LEN). */
int py_chars(const char *s, size_t len);

#endif
