/*
 * scenario_doc.h: the libyaml side of the loader.  Internal.
 *
 * libcyaml reports positions badly (syntax errors at 1:1, unknown keys at
 * the previous value), so the loader first parses the file into a libyaml
 * document tree, whose nodes carry exact marks.  That pass catches syntax
 * errors, then checks the tree against the same cyaml schema libcyaml will
 * use (keys, types, required keys, limits, integer syntax), so that by the
 * time libcyaml runs, it has nothing left to complain about, and every
 * message points at the exact token.  The semantic checks (scenario.c,
 * scenario_objects.c, scenario_ops.c)
 * look positions up in the same tree.
 */
#ifndef LOCKSTEP_SCENARIO_DOC_H
#define LOCKSTEP_SCENARIO_DOC_H

#include <stddef.h>
#include <yaml.h>
#include <cyaml/cyaml.h>

/* The state of one load: the file, its tree and the one error message. */
struct load_ctx {
	const char *path;
	char *err;
	size_t errlen;
	int failed;              /* an error has been written; later ones are dropped */
	unsigned char *buf;      /* the whole file */
	size_t len;
	yaml_document_t doc;
	int have_doc;
	int env_errno;           /* the error was the environment's (errno) */
};

/* Record the error (only the first one counts).  line/col are 1-based. */
void load_error_at(struct load_ctx *c, int line, int col, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
void load_error_node(struct load_ctx *c, const yaml_node_t *n,
		     const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* An error that is not the file's (out of memory, out of descriptors):
 * "cannot VERB PATH: strerror(E)", no position; c->env_errno = E.
 * Returns -1. */
int load_env_error(struct load_ctx *c, const char *verb, int e);

/* Read c->path into c->buf, without ever blocking: anything but a regular
 * file is refused.  0, or -1 with the error recorded. */
int doc_read_file(struct load_ctx *c);

/* Copy LEN bytes at DATA into c->buf, under the same size cap. */
int doc_read_buffer(struct load_ctx *c, const void *data, size_t len);

/* Parse c->buf into c->doc: syntax, aliases, one non-empty mapping
 * document.  0, or -1 with the error recorded. */
int doc_parse(struct load_ctx *c);

/* Check the tree against a cyaml schema.  0, or -1 with the error. */
int doc_check_schema(struct load_ctx *c, const cyaml_schema_value_t *schema);

void doc_free(struct load_ctx *c);

/* Lookups in the tree; NULL when absent (or when n is NULL). */
yaml_node_t *doc_root(struct load_ctx *c);
yaml_node_t *doc_get(struct load_ctx *c, yaml_node_t *map, const char *key);
yaml_node_t *doc_key(struct load_ctx *c, yaml_node_t *map, const char *key);
yaml_node_t *doc_item(struct load_ctx *c, yaml_node_t *seq, size_t i);

/* A scalar's text for a message: quoted, shortened, control chars hidden. */
void doc_quote(char *out, size_t outlen, const char *s, size_t len);


#endif
