/*
 * py_ast.c: the memory of a syntax tree, and its dumps (py_ast.h).
 */
#include "config.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "py_ast.h"
#include "py_lex.h"
#include "py_parse_priv.h"

#define PY_KIND_STR(id, s) s,
static const char *const py_kind_names[] = { PY_NODE_KINDS(PY_KIND_STR) };
#undef PY_KIND_STR
#define PY_CMP_STR(id, s) s,
static const char *const py_cmp_names[] = { PY_CMPS(PY_CMP_STR) };
#undef PY_CMP_STR

const char *py_kind_name(enum py_kind kind)
{
	return (unsigned)kind < PY_KIND_COUNT ? py_kind_names[kind] : "?";
}

const char *py_cmp_str(enum py_cmp cmp)
{
	return (unsigned)cmp < PY_CMP_COUNT ? py_cmp_names[cmp] : "?";
}

/* ---- the arena ------------------------------------------------------------ */

/* Chunks of at least 64 KiB; a tree is freed with its chunks, never a
 * node at a time. */
struct py_chunk {
	struct py_chunk *next;
	size_t size, used;
	max_align_t data[];
};

#define PY_CHUNK_MIN (64u << 10)

void *py_ast_alloc(struct py_ast *ast, size_t n)
{
	struct py_chunk *c = ast->chunks;
	void *mem;

	n = (n + sizeof(max_align_t) - 1) / sizeof(max_align_t) * sizeof(max_align_t);
	if (c == NULL || c->size - c->used < n) {
		size_t size = n > PY_CHUNK_MIN ? n : PY_CHUNK_MIN;
		if (ast->bytes + size > PY_MAX_TREE_BYTES)
			return NULL;
		c = malloc(sizeof *c + size);
		if (c == NULL)
			return NULL;
		c->size = size;
		c->used = 0;
		c->next = ast->chunks;
		ast->chunks = c;
		ast->bytes += size;
	}
	mem = (char *)c->data + c->used;
	c->used += n;
	memset(mem, 0, n);
	return mem;
}

void py_ast_free(struct py_ast *ast)
{
	struct py_chunk *c, *next;

	if (ast == NULL)
		return;
	for (c = ast->chunks; c != NULL; c = next) {
		next = c->next;
		free(c);
	}
	free(ast);
}

/* ---- the dump ------------------------------------------------------------- */

static void py_dump_str(FILE *f, const char *s, size_t len)
{
	fputc('\'', f);
	for (size_t i = 0; i < len; i++) {
		unsigned char ch = (unsigned char)s[i];
		unsigned char next = i + 1 < len ? (unsigned char)s[i + 1] : 0;
		if (ch == '\\' || ch == '\'')
			fprintf(f, "\\%c", ch);
		else if (ch == '\n')
			fputs("\\n", f);
		else if (ch < 0x20 || ch == 0x7f)
			fprintf(f, "\\x%02x", ch);
		else if (ch == 0xc2 && next >= 0x80 && next <= 0x9f)
			fprintf(f, "\\x%02x", next), i++;   /* C1 controls */
		else
			fputc(ch, f);
	}
	fputc('\'', f);
}

static void py_dump_expr(FILE *f, const struct py_node *n);

static void py_dump_list(FILE *f, const struct py_node *n)
{
	for (; n != NULL; n = n->next) {
		fputc(' ', f);
		py_dump_expr(f, n);
	}
}

/* The single children a, b, c that are there. */
static void py_dump_kids(FILE *f, const struct py_node *n)
{
	const struct py_node *kids[3] = { n->a, n->b, n->c };

	for (int i = 0; i < 3; i++) {
		if (kids[i] != NULL) {
			fputc(' ', f);
			py_dump_expr(f, kids[i]);
		}
	}
}

static const char *py_node_op(const struct py_node *n)
{
	if (n->kind == PY_BOOL_OP)
		return py_kw_str((enum py_kw)n->op);
	if (n->kind == PY_CMPOP)
		return py_cmp_str((enum py_cmp)n->op);
	return py_op_str((enum py_op)n->op);
}

static void py_dump_expr(FILE *f, const struct py_node *n)
{
	const struct py_node *k, *v;

	switch (n->kind) {
	case PY_NAME: fputs(n->str, f); return;
	case PY_INT: fprintf(f, "%lld", n->ival); return;
	case PY_FLOAT: fprintf(f, "%.17g", n->fval); return;
	case PY_STR: py_dump_str(f, n->str, n->len); return;
	case PY_BOOL: fputs(n->ival ? "True" : "False", f); return;
	case PY_NONE: fputs("None", f); return;
	default: break;
	}
	fputc('(', f);
	switch (n->kind) {
	case PY_UNARY_OP: case PY_BIN_OP: case PY_BOOL_OP: case PY_CMPOP:
		fputs(py_node_op(n), f);
		break;
	case PY_NOT:
		fputs("not", f);
		break;
	default:
		fputs(py_kind_name(n->kind), f);
	}
	if (n->kind == PY_FORMATTED_VALUE && n->op != 0)
		fprintf(f, " !%c", n->op);
	if (n->kind == PY_ALIAS || n->kind == PY_ARG || n->kind == PY_KEYWORD)
		fprintf(f, " %s", n->str);
	if (n->kind == PY_ALIAS && n->str2 != NULL)
		fprintf(f, " as %s", n->str2);
	py_dump_kids(f, n);
	if (n->kind == PY_ATTRIBUTE)
		fprintf(f, " %s", n->str);
	if (n->kind == PY_DICT) {
		for (k = n->items, v = n->items2; k != NULL && v != NULL; k = k->next, v = v->next) {
			fputs(" (", f);
			py_dump_expr(f, k);
			fputc(' ', f);
			py_dump_expr(f, v);
			fputc(')', f);
		}
	} else {
		py_dump_list(f, n->items);
		py_dump_list(f, n->items2);
	}
	fputc(')', f);
}

static int py_is_stmt(enum py_kind k)
{
	return k >= PY_IMPORT && k <= PY_GLOBAL && k != PY_ALIAS && k != PY_ARG
		&& k != PY_WITHITEM;
}

/* Kinds whose orelse is a list of statements (not items2). */
static int py_has_orelse(enum py_kind k)
{
	return k == PY_IF || k == PY_FOR || k == PY_WHILE;
}

static void py_dump_stmts(FILE *f, const struct py_node *n, int depth);

static void py_dump_stmt(FILE *f, const struct py_node *n, int depth)
{
	fprintf(f, "\n%*s(%s %d:%d", depth * 2, "", py_kind_name(n->kind), n->line, n->col);
	switch (n->kind) {
	case PY_IMPORT_FROM: case PY_FUNCTION_DEF: case PY_CLASS_DEF:
		fprintf(f, " %s", n->str);
		break;
	case PY_AUG_ASSIGN:
		fprintf(f, " %s=", py_op_str((enum py_op)n->op));
		break;
	default:
		break;
	}
	if (n->kind == PY_ASSIGN)
		py_dump_list(f, n->items);
	py_dump_kids(f, n);
	if (n->kind != PY_ASSIGN)
		py_dump_list(f, n->items);
	py_dump_stmts(f, n->body, depth + 1);
	if (py_has_orelse(n->kind) && n->orelse != NULL) {
		fprintf(f, "\n%*selse", depth * 2 + 2, "");
		py_dump_stmts(f, n->orelse, depth + 1);
	}
	fputc(')', f);
}

static void py_dump_stmts(FILE *f, const struct py_node *n, int depth)
{
	for (; n != NULL; n = n->next)
		py_dump_stmt(f, n, depth);
}

void py_ast_dump(FILE *f, const struct py_node *node)
{
	if (node == NULL) {
		fputs("NULL\n", f);
	} else if (node->kind == PY_MODULE) {
		fputs("(Module", f);
		py_dump_stmts(f, node->body, 1);
		fputs(")\n", f);
	} else if (py_is_stmt(node->kind)) {
		py_dump_stmt(f, node, 0);
		fputc('\n', f);
	} else {
		py_dump_expr(f, node);
		fputc('\n', f);
	}
}

void py_ast_lines(FILE *f, const struct py_node *n)
{
	if (n != NULL && n->kind == PY_MODULE)
		n = n->body;
	for (; n != NULL; n = n->next) {
		if (!py_is_stmt(n->kind))
			continue;
		fprintf(f, "%d:%d %s\n", n->line, n->col, py_kind_name(n->kind));
		py_ast_lines(f, n->body);
		if (py_has_orelse(n->kind))
			py_ast_lines(f, n->orelse);
	}
}
