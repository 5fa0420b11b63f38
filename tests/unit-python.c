/*
 * unit-python.c: the Python front end's tokenizer and parser.
 *
 * Tokens with their exact positions; trees (py_ast_dump) for every
 * construct of the subset; the lesson's own programs; one message at the
 * right place for each error, valid Python outside the subset refused by
 * name; and robustness: control bytes, NUL, bad UTF-8, nesting past the
 * limits, every prefix of the lesson's programs and seeded random
 * mutations of them never crash or leak (run it under --enable-sanitizers
 * to make that mean something).  Where an error is a genuine syntax
 * error its position is python3's (tests/python.sh checks the same
 * positions against the python3 it finds; these are written down here so
 * the unit test needs no python).
 *
 * make check exports TESTDIR (the lesson's programs are in
 * $TESTDIR/python).
 */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "py_lex.h"
#include "py_parse.h"

/* ---- helpers ------------------------------------------------------------- */

/* The dump of SRC's tree, or its error message; free() it. */
static char *parse_dump(const char *src, size_t len)
{
	char err[512], *out = NULL;
	size_t n = 0;
	struct py_ast *ast = py_parse_buffer("t.py", src, len, err, sizeof err);
	FILE *f = open_memstream(&out, &n);

	assert_non_null(f);
	if (ast == NULL)
		fputs(err, f);
	else
		py_ast_dump(f, ast->root);
	fclose(f);
	py_ast_free(ast);
	return out;
}

#define assert_tree(src, want) do { \
		char *got_ = parse_dump(src, strlen(src)); \
		assert_string_equal(got_, want); \
		free(got_); \
	} while (0)

/* The first statement's expression (or value) of SRC, dumped. */
static char *expr_dump(const char *src)
{
	char err[512], *out = NULL;
	size_t n = 0;
	struct py_ast *ast = py_parse_buffer("t.py", src, strlen(src), err, sizeof err);
	FILE *f = open_memstream(&out, &n);

	assert_non_null(f);
	if (ast == NULL)
		fputs(err, f);
	else
		py_ast_dump(f, ast->root->body->a);
	fclose(f);
	py_ast_free(ast);
	if (n > 0 && out[n - 1] == '\n')
		out[n - 1] = '\0';
	return out;
}

#define assert_expr(src, want) do { \
		char *got_ = expr_dump(src); \
		assert_string_equal(got_, want); \
		free(got_); \
	} while (0)

/* The error for SRC ("" if it parses). */
static char *error_of(const char *src, size_t len)
{
	char err[512];
	struct py_ast *ast = py_parse_buffer("t.py", src, len, err, sizeof err);

	if (ast != NULL) {
		py_ast_free(ast);
		return strdup("");
	}
	return strdup(err);
}

#define assert_error(src, want) do { \
		char *got_ = error_of(src, strlen(src)); \
		assert_string_equal(got_, "t.py:" want); \
		free(got_); \
	} while (0)

/* Every token of SRC as "KIND@LINE:COL[=text]", space-separated. */
static char *tokens(const char *src)
{
	static const char *const kinds[] = { "END", "NL", "IN", "DE", "NAME", "NUM", "STR", "OP" };
	struct py_diag d = { "t.py", NULL, 0, 0 };
	char err[256], *out = NULL;
	size_t n = 0;
	struct py_lexer lx;
	struct py_token t;
	FILE *f = open_memstream(&out, &n);

	d.err = err;
	d.errlen = sizeof err;
	py_lex_init(&lx, &d, src, strlen(src));
	for (int i = 0; i < 1000; i++) {
		if (py_lex_next(&lx, &t) < 0) {
			fprintf(f, "ERROR %s", err);
			break;
		}
		fprintf(f, "%s%s@%d:%d", i ? " " : "", kinds[t.kind], t.line, t.col);
		if (t.kind >= PY_T_NAME)
			fprintf(f, "=%.*s", (int)t.len, t.text);
		if (t.kind == PY_T_END)
			break;
	}
	fclose(f);
	return out;
}

#define assert_tokens(src, want) do { \
		char *got_ = tokens(src); \
		assert_string_equal(got_, want); \
		free(got_); \
	} while (0)

static char *read_lesson(const char *name, size_t *len)
{
	const char *dir = getenv("TESTDIR");
	char path[4096];
	FILE *f;
	char *buf = malloc(1 << 20);

	snprintf(path, sizeof path, "%s/python/%s", dir ? dir : "tests", name);
	f = fopen(path, "rb");
	if (f == NULL)
		fail_msg("cannot open %s (is TESTDIR set?)", path);
	*len = fread(buf, 1, (1 << 20) - 1, f);
	buf[*len] = '\0';
	fclose(f);
	return buf;
}

static const char *const lessons[] = {
	"manager_counter.py", "ktv13.py", "ktv6_rush.py", "ktv6_semaphore.py", "deadlock.py",
};

/* ---- the tokenizer ------------------------------------------------------------ */

static void test_tokens_indent(void **state)
{
	/* Blank and comment lines make no token; DEDENT comes before the
	 * first token of the line that closes the block. */
	assert_tokens("if x:\n    y = 1\n\n  # c\nz\n",
		      "NAME@1:1=if NAME@1:4=x OP@1:5=: NL@1:6 IN@2:4 NAME@2:5=y OP@2:7== "
		      "NUM@2:9=1 NL@2:10 DE@5:1 NAME@5:1=z NL@5:2 END@6:1");
	/* Dedents at the end; a missing last newline is supplied. */
	assert_tokens("def f():\n\tif a:\n\t\tb",
		      "NAME@1:1=def NAME@1:5=f OP@1:6=( OP@1:7=) OP@1:8=: NL@1:9 "
		      "IN@2:1 NAME@2:2=if NAME@2:5=a OP@2:6=: NL@2:7 IN@3:2 NAME@3:3=b "
		      "NL@3:4 DE@3:4 DE@3:4 END@3:4");
}

static void test_tokens_joining(void **state)
{
	/* Inside brackets newlines and indentation mean nothing; a backslash
	 * joins lines too. */
	assert_tokens("f(a,\n      b)\nx = 1 + \\\n  2\n",
		      "NAME@1:1=f OP@1:2=( NAME@1:3=a OP@1:4=, NAME@2:7=b OP@2:8=) NL@2:9 "
		      "NAME@3:1=x OP@3:3== NUM@3:5=1 OP@3:7=+ NUM@4:3=2 NL@4:4 END@5:1");
}

static void test_tokens_columns_are_characters(void **state)
{
	/* 哲学家 is three characters (nine bytes). */
	assert_tokens("哲学家 = '中' + é\n",
		      "NAME@1:1=哲学家 OP@1:5== STR@1:7='中' OP@1:11=+ NAME@1:13=é NL@1:14 END@2:1");
}

static void test_tokens_numbers(void **state)
{
	assert_tokens("0x_1F 0o17 0b1_0 1_000 0.5 .5 5. 1e-3 00\n",
		      "NUM@1:1=0x_1F NUM@1:7=0o17 NUM@1:12=0b1_0 NUM@1:18=1_000 NUM@1:24=0.5 "
		      "NUM@1:28=.5 NUM@1:31=5. NUM@1:34=1e-3 NUM@1:39=00 NL@1:41 END@2:1");
}

static void test_tokens_strings(void **state)
{
	assert_tokens("r'\\'' b\"x\" f'{a}' '''a\nb''' u'x'\n",
		      "STR@1:1=r'\\'' STR@1:7=b\"x\" STR@1:12=f'{a}' STR@1:19='''a\nb''' "
		      "STR@2:6=u'x' NL@2:10 END@3:1");
}

static void test_tokens_operators(void **state)
{
	assert_tokens("a**=b//c->d!=e<=f:=g...\n",
		      "NAME@1:1=a OP@1:2=**= NAME@1:5=b OP@1:6=// NAME@1:8=c OP@1:9=-> NAME@1:11=d "
		      "OP@1:12=!= NAME@1:14=e OP@1:15=<= NAME@1:17=f OP@1:18=:= NAME@1:20=g "
		      "OP@1:21=... NL@1:24 END@2:1");
}

static void test_tokens_crlf_and_bom(void **state)
{
	/* The byte order mark is no column; CRLF is one line end. */
	assert_tokens("\xef\xbb\xbfx = 1\r\nif x:\r\n  y\r\n",
		      "NAME@1:1=x OP@1:3== NUM@1:5=1 NL@1:6 NAME@2:1=if NAME@2:4=x OP@2:5=: "
		      "NL@2:6 IN@3:2 NAME@3:3=y NL@3:4 DE@4:1 END@4:1");
}

/* ---- trees ----------------------------------------------------------------------- */

static void test_lesson_programs_parse(void **state)
{
	for (size_t i = 0; i < sizeof lessons / sizeof lessons[0]; i++) {
		size_t len;
		char *src = read_lesson(lessons[i], &len);
		char *got = parse_dump(src, len);
		if (strncmp(got, "(Module", 7) != 0)
			fail_msg("%s: %s", lessons[i], got);
		free(got);
		free(src);
	}
}

static void test_lesson_manager_tree(void **state)
{
	size_t len;
	char *src = read_lesson("manager_counter.py", &len);
	char *got = parse_dump(src, len);

	assert_string_equal(got,
		"(Module\n"
		"  (ImportFrom 1:1 multiprocessing (alias Manager) (alias Process) (alias Lock))\n"
		"  (FunctionDef 2:1 work (arg d) (arg lock)\n"
		"    (With 3:5 (withitem lock)\n"
		"      (AugAssign 4:9 -= (Subscript d 'count') 1)))\n"
		"  (If 5:1 (Compare __name__ (== '__main__'))\n"
		"    (Assign 6:5 lock (Call Lock))\n"
		"    (With 7:5 (withitem (Call Manager) m)\n"
		"      (Assign 8:9 dic (Call (Attribute m dict) (Dict ('count' 100))))\n"
		"      (Assign 9:9 p_l (List))\n"
		"      (For 10:9 i (Call range 100)\n"
		"        (Assign 11:13 p (Call Process (keyword target work) (keyword args (Tuple dic lock))))\n"
		"        (Expr 12:13 (Call (Attribute p_l append) p))\n"
		"        (Expr 13:13 (Call (Attribute p start))))\n"
		"      (For 14:9 p p_l\n"
		"        (Expr 15:13 (Call (Attribute p join))))\n"
		"      (Expr 16:9 (Call print dic)))))\n");
	free(got);
	free(src);
}

static void test_statements(void **state)
{
	assert_tree("import os, os.path as p\nfrom a.b import (c, d as e,)\nfrom m import *\n",
		    "(Module\n  (Import 1:1 (alias os) (alias os.path as p))\n"
		    "  (ImportFrom 2:1 a.b (alias c) (alias d as e))\n"
		    "  (ImportFrom 3:1 m (alias *)))\n");
	assert_tree("class A(Thread):\n    def run(self, n=3, m=None):\n        global g\n"
		    "        return n\n",
		    "(Module\n  (ClassDef 1:1 A Thread\n    (FunctionDef 2:5 run (arg self) (arg n 3) (arg m None)\n"
		    "      (Global 3:9 g)\n      (Return 4:9 n))))\n");
	assert_tree("if a:\n    pass\nelif b: break\nelse:\n    continue\n",
		    "(Module\n  (If 1:1 a\n    (Pass 2:5)\n    else\n    (If 3:1 b\n      (Break 3:9)\n"
		    "      else\n      (Continue 5:5))))\n");
	assert_tree("while n < 3:\n    n += 1\nfor i, x in enumerate(y): f(x)\n",
		    "(Module\n  (While 1:1 (Compare n (< 3))\n    (AugAssign 2:5 += n 1))\n"
		    "  (For 3:1 (Tuple i x) (Call enumerate y)\n    (Expr 3:27 (Call f x))))\n");
	assert_tree("with a as b, c:\n    a.b[1], c = d = 1, 2; x\n",
		    "(Module\n  (With 1:1 (withitem a b) (withitem c)\n"
		    "    (Assign 2:5 (Tuple (Subscript (Attribute a b) 1) c) d (Tuple 1 2))\n"
		    "    (Expr 2:27 x)))\n");
	assert_tree("", "(Module)\n");
	assert_tree("# only a comment", "(Module)\n");
}

static void test_expressions(void **state)
{
	assert_expr("1 + 2 * 3 ** -4 ** 5 // 6 % 7 - 8\n",
		    "(- (+ 1 (% (// (* 2 (** 3 (- (** 4 5)))) 6) 7)) 8)");
	assert_expr("not a == b < c and d or e if f else g\n",
		    "(IfExp f (or (and (not (Compare a (== b) (< c))) d) e) g)");
	assert_expr("a not in b is not c in d is e != f >= g <= h > i\n",
		    "(Compare a (not in b) (is not c) (in d) (is e) (!= f) (>= g) (<= h) (> i))");
	assert_expr("(a or b or c) and not not d\n", "(and (or a b c) (not (not d)))");
	assert_expr("Process(target=work, args=(d, lock)).start()\n",
		    "(Call (Attribute (Call Process (keyword target work) (keyword args (Tuple d lock))) start))");
	assert_expr("[1, (2,), (), {'a': [3], 4: 0.5}, True, False, None]\n",
		    "(List 1 (Tuple 2) (Tuple) (Dict ('a' (List 3)) (4 0.5)) True False None)");
	assert_expr("'%s 占到 %d' % (user, 3)\n", "(% '%s 占到 %d' (Tuple user 3))");
	assert_expr("d[a, b][c,]\n", "(Subscript (Subscript d (Tuple a b)) (Tuple c))");
	assert_expr("0x_ff + 0o17 + 0b101 + 1_000 + 9223372036854775807\n",
		    "(+ (+ (+ (+ 255 15) 5) 1000) 9223372036854775807)");
	assert_expr("0.5 + 1e3 + 2.5e-1 + 1_0.0_1\n", "(+ (+ (+ 0.5 1000) 0.25) 10.01)");
	/* CPython 3.11 only warns about a number run into these keywords. */
	assert_expr("1if x else 2\n", "(IfExp x 1 2)");
}

static void test_strings(void **state)
{
	assert_expr("'a' \"b\" '''c\nd'''\n", "'abc\\nd'");
	assert_expr("'\\x41\\101\\u4e2d\\U0001F600\\n\\t\\\\\\'\\q'\n", "'AA中😀\\n\\x09\\\\\\'\\\\q'");
	assert_expr("r'\\n\\'' u'x'\n", "'\\\\n\\\\\\'x'");
	assert_expr("'\\033[41m%s\\033[0m' % n\n", "(% '\\x1b[41m%s\\x1b[0m' n)");
	assert_expr("'a\\\nb'\n", "'ab'");
	assert_expr("f'{a}-{b!r:>{w}}{{x}}' 'z'\n",
		    "(JoinedStr (FormattedValue a) '-' (FormattedValue !r b (JoinedStr '>' (FormattedValue w))) '{x}z')");
	assert_expr("f'{d[\"k\"] + 1:5d} {x, y}'\n",
		    "(JoinedStr (FormattedValue (+ (Subscript d 'k') 1) (JoinedStr '5d')) ' ' (FormattedValue (Tuple x y)))");
	assert_expr("f''\n", "(JoinedStr)");
	assert_expr("rf'\\{a}'\n", "(JoinedStr '\\\\' (FormattedValue a))");
}

/* ---- errors ------------------------------------------------------------------------ */

static void test_syntax_errors(void **state)
{
	/* Positions are python3.11's SyntaxError.lineno:offset. */
	assert_error("if x\n    pass\n", "1:5: error: expected ':' after the 'if' condition");
	assert_error("while x:\nprint(x)\n",
		     "2:1: error: expected an indented block after 'while' statement on line 1");
	assert_error("x = (1,\n", "1:5: error: '(' was never closed");
	assert_error("x = [1, 2\ny = 3\n", "1:5: error: '[' was never closed");
	assert_error("x = 1)\n", "1:6: error: unmatched ')'");
	assert_error("x = (\n]\n",
		     "2:1: error: closing parenthesis ']' does not match opening parenthesis '(' on line 1");
	assert_error("s = 'abc\n", "1:5: error: unterminated string literal (detected at line 1)");
	assert_error("s = '''a\nb\n\n",
		     "1:5: error: unterminated triple-quoted string literal (detected at line 3)");
	assert_error("if x\n  pass\ns='abc\n",
		     "3:3: error: unterminated string literal (detected at line 3)");
	assert_error("x = 1\n  y = 2\n", "2:2: error: unexpected indent");
	assert_error("if x:\n    a\n  b\n",
		     "3:4: error: unindent does not match any outer indentation level");
	assert_error("if x:\n\ta\n        b\n",
		     "3:1: error: inconsistent use of tabs and spaces in indentation");
	assert_error("x = 1 +\n", "1:8: error: invalid syntax: unexpected end of line");
	assert_error("é = 'ü' + $\n", "1:11: error: invalid character '$' (U+0024)");
	assert_error("x = ，\n", "1:5: error: invalid character '，' (U+FF0C)");
	assert_error("x = 09\n",
		     "1:5: error: leading zeros in decimal integer literals are not permitted; use an 0o prefix for octal integers");
	assert_error("x = 0b12\n", "1:8: error: invalid digit '2' in binary literal");
	assert_error("f(a=1, 2)\n", "1:9: error: positional argument follows keyword argument");
	assert_error("def f(x=1, y): pass\n", "1:12: error: non-default argument follows default argument");
	assert_error("a, b += 1\n", "1:1: error: 'tuple' is an illegal expression for augmented assignment");
	assert_error("f() = 1\n", "1:1: error: cannot assign to function call");
	assert_error("x = (1 2)\n", "1:6: error: invalid syntax. Perhaps you forgot a comma?");
	assert_error("x = 1 if y\n", "1:5: error: expected 'else' after 'if' expression");
	assert_error("x = 1\\\n", "1:7: error: unexpected EOF while parsing");
	assert_error("x = f'{a!z}'\n",
		     "1:13: error: f-string: invalid conversion character: expected 's', 'r', or 'a'");
	assert_error("x = 'ab\\x1'\n", "1:12: error: truncated \\x escape: it needs 2 hex digits");
}

static void test_unsupported(void **state)
{
	assert_error("async def f():\n    pass\n",
		     "1:1: error: `async` (coroutines, `async def`, `async for`, `async with`) is not supported by lockstep");
	assert_error("f = lambda x: x\n", "1:5: error: `lambda` is not supported by lockstep");
	assert_error("try:\n    pass\nfinally:\n    pass\n", "1:1: error: `try` is not supported by lockstep");
	assert_error("x = [p for p in ps]\n", "1:8: error: a list comprehension is not supported by lockstep");
	assert_error("f(p for p in ps)\n", "1:5: error: a generator expression is not supported by lockstep");
	assert_error("x = a[1:2]\n", "1:8: error: a slice (`a[i:j]`) is not supported by lockstep");
	assert_error("def f(*args):\n    pass\n",
		     "1:7: error: `*args` (or a bare `*`) in a definition is not supported by lockstep");
	assert_error("x = a << 2\n", "1:7: error: the operator '<<' is not supported by lockstep");
	assert_error("@d\ndef f(): pass\n", "1:1: error: a decorator is not supported by lockstep");
	assert_error("for i in x:\n    pass\nelse:\n    pass\n",
		     "3:1: error: `else` after a `for` loop is not supported by lockstep");
	assert_error("x: int = 1\n", "1:2: error: a variable annotation is not supported by lockstep");
	assert_error("x = f'{y=}'\n",
		     "1:9: error: the `=` specifier of an f-string field is not supported by lockstep");
	assert_error("x = f'{(lambda: 1)()}'\n", "1:9: error: `lambda` is not supported by lockstep");
	assert_error("x = 99999999999999999999\n",
		     "1:5: error: the integer 99999999999999999999 is not supported by lockstep: it needs more than 64 bits");
	assert_error("x = b'a'\n", "1:5: error: a bytes literal (b'...') is not supported by lockstep");
}

/* ---- robustness ---------------------------------------------------------------------- */

static void test_control_bytes_never_reach_a_message(void **state)
{
	char *got;

	/* A raw escape byte outside a string, and in the file name. */
	assert_error("x = \x1b[31m\n", "1:5: error: invalid non-printable character U+001B");
	got = error_of("x = 'a\x00'\n", 10);
	assert_string_equal(got, "t.py:1:7: error: source code cannot contain null bytes");
	free(got);
	assert_error("x = '\xff'\n", "1:6: error: the file is not valid UTF-8 (byte 0xff)");
	got = error_of("x = '\xc2\x9b'\n", 8);       /* a C1 control in a string: fine */
	assert_string_equal(got, "");
	free(got);
	assert_error("\xc2\x9b = 1\n", "1:1: error: invalid non-printable character U+009B");
	{
		char err[256];
		struct py_ast *a = py_parse_buffer("bad\x1b]name\n.py", "(", 1, err, sizeof err);
		assert_null(a);
		assert_string_equal(err, "bad\\x1b]name\\x0a.py:1:1: error: '(' was never closed");
	}
	/* Unknown text quoted in a message is escaped too. */
	assert_error("x = 1 \x7f\n", "1:7: error: invalid non-printable character U+007F");
}

static void test_limits(void **state)
{
	size_t n = 300000;
	char *src = malloc(n + 16), *got;
	size_t i;

	/* Nesting past the limits: one message, no deep recursion. */
	memset(src, '(', n);
	src[n] = '\0';
	got = error_of(src, n);
	assert_string_equal(got, "t.py:1:201: error: too many nested parentheses");
	free(got);
	for (i = 0; i < n; i++)
		src[i] = i % 2 ? ' ' : '-';
	memcpy(src + n, "1\n", 3);
	got = error_of(src, n + 2);
	assert_string_equal(got, "t.py:1:401: error: the expression is nested too deeply (more than 200 levels)");
	free(got);
	for (i = 0; i < n; i++)
		src[i] = "not "[i % 4];
	memcpy(src + n, "1\n", 3);
	got = error_of(src, n + 2);
	assert_string_equal(got, "t.py:1:801: error: the expression is nested too deeply (more than 200 levels)");
	free(got);
	/* 2 ** 2 ** 2 ... recurses on the right. */
	for (i = 0; i + 5 < n; i += 5)
		memcpy(src + i, "2 ** ", 5);
	memcpy(src + i, "2\n", 3);
	got = error_of(src, i + 2);
	assert_string_equal(got, "t.py:1:1001: error: the expression is nested too deeply (more than 200 levels)");
	free(got);
	/* Too large a file, without reading it. */
	got = error_of(src, PY_MAX_SOURCE + 1);
	assert_string_equal(got, "t.py:1:1: error: the file is too large for lockstep (more than 4 MiB)");
	free(got);
	free(src);
	/* NULL, empty and zero-length error buffers are all fine. */
	py_ast_free(py_parse_buffer(NULL, NULL, 0, NULL, 0));
	assert_null(py_parse_buffer(NULL, "(", 1, NULL, 0));
}

/* Every prefix of every lesson program, and seeded random mutations:
 * the parser answers (a tree or one message) and never crashes. */
static void test_prefixes_and_mutations(void **state)
{
	uint32_t seed = 12345;
	static const char pool[] = "()[]{}:'\"\\\n\t #=,.f{}!0xe_\x01\xe4\xb8\xad\xff";

	for (size_t i = 0; i < sizeof lessons / sizeof lessons[0]; i++) {
		size_t len;
		char *src = read_lesson(lessons[i], &len), err[512];
		char *copy = malloc(len + 1);
		for (size_t k = 0; k <= len; k++) {
			memcpy(copy, src, k);       /* exact length: no NUL after */
			struct py_ast *a = py_parse_buffer("t.py", copy, k, err, sizeof err);
			if (a == NULL)
				assert_true(strncmp(err, "t.py:", 5) == 0 && strchr(err, '\n') == NULL);
			py_ast_free(a);
		}
		for (int m = 0; m < 3000; m++) {
			memcpy(copy, src, len);
			for (int e = 0; e < 1 + m % 4; e++) {
				seed = seed * 1103515245u + 12345u;
				copy[(seed >> 8) % len] = pool[(seed >> 20) % (sizeof pool - 1)];
			}
			struct py_ast *a = py_parse_buffer("t.py", copy, len, err, sizeof err);
			if (a == NULL)
				assert_true(strncmp(err, "t.py:", 5) == 0 && strchr(err, '\n') == NULL);
			py_ast_free(a);
		}
		free(copy);
		free(src);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_tokens_indent),
		cmocka_unit_test(test_tokens_joining),
		cmocka_unit_test(test_tokens_columns_are_characters),
		cmocka_unit_test(test_tokens_numbers),
		cmocka_unit_test(test_tokens_strings),
		cmocka_unit_test(test_tokens_operators),
		cmocka_unit_test(test_tokens_crlf_and_bom),
		cmocka_unit_test(test_lesson_programs_parse),
		cmocka_unit_test(test_lesson_manager_tree),
		cmocka_unit_test(test_statements),
		cmocka_unit_test(test_expressions),
		cmocka_unit_test(test_strings),
		cmocka_unit_test(test_syntax_errors),
		cmocka_unit_test(test_unsupported),
		cmocka_unit_test(test_control_bytes_never_reach_a_message),
		cmocka_unit_test(test_limits),
		cmocka_unit_test(test_prefixes_and_mutations),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
