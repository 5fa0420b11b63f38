/*
 * scenario_doc.c: the libyaml pass of the scenario loader.
 *
 * Reads the file, parses it into a libyaml document tree (exact 0-based
 * marks on every node), reports syntax errors at libyaml's problem mark,
 * and checks the tree against the cyaml schema so that unknown keys, wrong
 * types, missing keys, too-long strings, too-long lists and non-decimal
 * integers are all reported at the exact offending token.  libcyaml alone
 * would report some of these at 1:1 or at the previous value, and would
 * accept "3abc", "0x10" and "010" as integers (strtoll with base 0).
 */
#include <errno.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "scenario_doc.h"
#include "scenario_schema.h"

/* No real scenario comes near this; it keeps a wrong path from eating RAM. */
#define DOC_MAX_FILE (8u << 20)

/* ---- errors ------------------------------------------------------------- */

static void verror_at(struct load_ctx *c, int line, int col, const char *fmt,
		      va_list ap)
{
	size_t n;
	int k;

	if (c->failed)
		return;
	c->failed = 1;
	if (c->err == NULL || c->errlen == 0)
		return;
	k = snprintf(c->err, c->errlen, "%s:%d:%d: error: ", c->path, line, col);
	if (k < 0)
		return;
	n = (size_t)k;
	if (n < c->errlen)
		vsnprintf(c->err + n, c->errlen - n, fmt, ap);
}

void load_error_at(struct load_ctx *c, int line, int col, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	verror_at(c, line, col, fmt, ap);
	va_end(ap);
}

void load_error_node(struct load_ctx *c, const yaml_node_t *n,
		     const char *fmt, ...)
{
	va_list ap;
	int line = 1, col = 1;

	if (n != NULL) {
		line = (int)n->start_mark.line + 1;
		col = (int)n->start_mark.column + 1;
	}
	va_start(ap, fmt);
	verror_at(c, line, col, fmt, ap);
	va_end(ap);
}

static void error_mark(struct load_ctx *c, yaml_mark_t m, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void error_mark(struct load_ctx *c, yaml_mark_t m, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	verror_at(c, (int)m.line + 1, (int)m.column + 1, fmt, ap);
	va_end(ap);
}

void doc_quote(char *out, size_t outlen, const char *s, size_t len)
{
	const size_t max = 40;
	size_t i, o = 0, n = len < max ? len : max;

	if (outlen < 8) {
		if (outlen)
			out[0] = '\0';
		return;
	}
	/* Do not cut a UTF-8 sequence in half. */
	while (n < len && n > 0 && ((unsigned char)s[n] & 0xC0) == 0x80)
		n--;
	out[o++] = '\'';
	for (i = 0; i < n && o + 5 < outlen; i++) {
		unsigned char ch = (unsigned char)s[i];
		out[o++] = (ch < 0x20 || ch == 0x7f) ? '?' : (char)ch;
	}
	if (i < len && o + 5 < outlen) {
		memcpy(out + o, "...", 3);
		o += 3;
	}
	out[o++] = '\'';
	out[o] = '\0';
}

/* ---- reading ------------------------------------------------------------ */

int doc_read_file(struct load_ctx *c)
{
	size_t cap = 4096, len = 0, got;
	unsigned char *buf, *bigger;
	FILE *f;

	f = fopen(c->path, "rb");
	if (f == NULL) {
		load_error_at(c, 1, 1, "cannot open: %s", strerror(errno));
		return -1;
	}
	buf = malloc(cap + 1);
	if (buf == NULL)
		goto oom;
	for (;;) {
		got = fread(buf + len, 1, cap - len, f);
		len += got;
		if (len < cap)
			break;
		if (cap >= DOC_MAX_FILE) {
			load_error_at(c, 1, 1, "file is too large (at most %u MiB)",
				      DOC_MAX_FILE >> 20);
			goto fail;
		}
		cap *= 2;
		bigger = realloc(buf, cap + 1);
		if (bigger == NULL)
			goto oom;
		buf = bigger;
	}
	if (ferror(f)) {
		load_error_at(c, 1, 1, "cannot read: %s", strerror(errno));
		goto fail;
	}
	fclose(f);
	buf[len] = '\0';
	c->buf = buf;
	c->len = len;
	return 0;
oom:
	load_error_at(c, 1, 1, "out of memory");
fail:
	free(buf);
	fclose(f);
	return -1;
}

/* ---- parsing ------------------------------------------------------------ */

/* libyaml gives reader (encoding) errors as a byte offset, not a mark. */
static void offset_to_mark(const struct load_ctx *c, size_t off, yaml_mark_t *m)
{
	size_t i;

	m->line = 0;
	m->column = 0;
	for (i = 0; i < off && i < c->len; i++) {
		if (c->buf[i] == '\n') {
			m->line++;
			m->column = 0;
		} else if ((c->buf[i] & 0xC0) != 0x80) {
			m->column++;
		}
	}
}

static void parser_error(struct load_ctx *c, const yaml_parser_t *p)
{
	yaml_mark_t m;
	size_t off;

	switch (p->error) {
	case YAML_MEMORY_ERROR:
		load_error_at(c, 1, 1, "out of memory");
		break;
	case YAML_READER_ERROR:
		/* libyaml points at the bad trailing byte; the character
		 * that is broken starts at its leading byte. */
		off = p->problem_offset;
		while (off > 0 && off < c->len && off + 4 > p->problem_offset &&
		       (c->buf[off] & 0xC0) != 0xC0 && c->buf[off - 1] >= 0x80)
			off--;
		offset_to_mark(c, off, &m);
		error_mark(c, m, "invalid text: %s", p->problem);
		break;
	default:
		if (p->context != NULL)
			error_mark(c, p->problem_mark,
				   "syntax error: %s (%s at %d:%d)", p->problem,
				   p->context, (int)p->context_mark.line + 1,
				   (int)p->context_mark.column + 1);
		else
			error_mark(c, p->problem_mark, "syntax error: %s",
				   p->problem ? p->problem : "unknown");
		break;
	}
}

/*
 * An event pass catches what the tree would hide: an alias is resolved to
 * its anchor's node (and can even make a cycle), and a second document is
 * silently ignored by one yaml_parser_load().
 */
static int scan_events(struct load_ctx *c)
{
	yaml_parser_t p;
	yaml_event_t ev;
	yaml_event_type_t type;
	int docs = 0;

	if (!yaml_parser_initialize(&p)) {
		load_error_at(c, 1, 1, "out of memory");
		return -1;
	}
	yaml_parser_set_input_string(&p, c->buf, c->len);
	do {
		if (!yaml_parser_parse(&p, &ev)) {
			parser_error(c, &p);
			break;
		}
		type = ev.type;
		if (type == YAML_DOCUMENT_START_EVENT && ++docs == 2)
			error_mark(c, ev.start_mark, "a scenario file holds "
				   "one YAML document; a second one starts here");
		if (type == YAML_ALIAS_EVENT)
			error_mark(c, ev.start_mark, "aliases (*%s) are not "
				   "supported in scenario files",
				   (const char *)ev.data.alias.anchor);
		yaml_event_delete(&ev);
	} while (type != YAML_STREAM_END_EVENT && !c->failed);
	yaml_parser_delete(&p);
	if (!c->failed && docs == 0)
		load_error_at(c, 1, 1, "the file is empty: a scenario is a "
			      "YAML mapping that starts with 'lockstep: 1'");
	return c->failed ? -1 : 0;
}

int doc_parse(struct load_ctx *c)
{
	yaml_parser_t p;
	yaml_node_t *root;
	int ok;

	if (scan_events(c) < 0)
		return -1;
	if (!yaml_parser_initialize(&p)) {
		load_error_at(c, 1, 1, "out of memory");
		return -1;
	}
	yaml_parser_set_input_string(&p, c->buf, c->len);
	ok = yaml_parser_load(&p, &c->doc);
	if (!ok)
		parser_error(c, &p);
	yaml_parser_delete(&p);
	if (!ok)
		return -1;
	c->have_doc = 1;
	root = yaml_document_get_root_node(&c->doc);
	if (root == NULL || (root->type == YAML_SCALAR_NODE &&
			     root->data.scalar.length == 0)) {
		load_error_at(c, 1, 1, "the file is empty: a scenario is a "
			      "YAML mapping that starts with 'lockstep: 1'");
		return -1;
	}
	if (root->type != YAML_MAPPING_NODE) {
		load_error_node(c, root, "a scenario must be a YAML mapping "
				"(key: value lines), not %s",
				root->type == YAML_SEQUENCE_NODE ? "a list"
								 : "a scalar");
		return -1;
	}
	return 0;
}

void doc_free(struct load_ctx *c)
{
	if (c->have_doc)
		yaml_document_delete(&c->doc);
	c->have_doc = 0;
	free(c->buf);
	c->buf = NULL;
}

/* ---- lookups ------------------------------------------------------------ */

yaml_node_t *doc_root(struct load_ctx *c)
{
	return c->have_doc ? yaml_document_get_root_node(&c->doc) : NULL;
}

static yaml_node_pair_t *find_pair(struct load_ctx *c, yaml_node_t *map,
				   const char *key)
{
	yaml_node_pair_t *pair;
	yaml_node_t *k;

	if (map == NULL || map->type != YAML_MAPPING_NODE)
		return NULL;
	for (pair = map->data.mapping.pairs.start;
	     pair < map->data.mapping.pairs.top; pair++) {
		k = yaml_document_get_node(&c->doc, pair->key);
		if (k != NULL && k->type == YAML_SCALAR_NODE &&
		    strcmp((const char *)k->data.scalar.value, key) == 0)
			return pair;
	}
	return NULL;
}

yaml_node_t *doc_get(struct load_ctx *c, yaml_node_t *map, const char *key)
{
	yaml_node_pair_t *pair = find_pair(c, map, key);

	return pair ? yaml_document_get_node(&c->doc, pair->value) : NULL;
}

yaml_node_t *doc_key(struct load_ctx *c, yaml_node_t *map, const char *key)
{
	yaml_node_pair_t *pair = find_pair(c, map, key);

	return pair ? yaml_document_get_node(&c->doc, pair->key) : NULL;
}

yaml_node_t *doc_item(struct load_ctx *c, yaml_node_t *seq, size_t i)
{
	if (seq == NULL || seq->type != YAML_SEQUENCE_NODE ||
	    i >= (size_t)(seq->data.sequence.items.top -
			  seq->data.sequence.items.start))
		return NULL;
	return yaml_document_get_node(&c->doc,
				      seq->data.sequence.items.start[i]);
}

/* ---- the schema check --------------------------------------------------- */

/* Integers as the format allows them: optional sign, decimal digits, no
 * leading zero (010 would be octal to strtoll).  0, or -1 when malformed,
 * -2 when it does not fit in 64 bits. */
static int check_int_text(const char *s, size_t len)
{
	size_t i = 0;
	uint64_t v = 0, limit;

	if (i < len && (s[i] == '+' || s[i] == '-'))
		i++;
	limit = s[0] == '-' ? (uint64_t)INT64_MAX + 1 : (uint64_t)INT64_MAX;
	if (i == len || (s[i] == '0' && i + 1 < len))
		return -1;
	for (; i < len; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		if (v > (limit - (uint64_t)(s[i] - '0')) / 10)
			return -2;
		v = v * 10 + (uint64_t)(s[i] - '0');
	}
	return 0;
}

/* Decimal numbers: an integer as above, optionally with a fraction. */
static int check_number_text(const char *s, size_t len)
{
	const char *dot = memchr(s, '.', len);
	size_t i;

	if (dot == NULL)
		return check_int_text(s, len) == 0 ? 0 : -1;
	if (check_int_text(s, (size_t)(dot - s)) != 0 || dot + 1 == s + len)
		return -1;
	for (i = (size_t)(dot - s) + 1; i < len; i++)
		if (s[i] < '0' || s[i] > '9')
			return -1;
	return 0;
}

/* "a list", "a mapping", "'abc'" or "an empty value", for "not ..." */
static void describe(char *out, size_t outlen, const yaml_node_t *n)
{
	if (n->type == YAML_SEQUENCE_NODE)
		snprintf(out, outlen, "a list");
	else if (n->type == YAML_MAPPING_NODE)
		snprintf(out, outlen, "a mapping");
	else if (n->data.scalar.length == 0 &&
		 n->data.scalar.style == YAML_PLAIN_SCALAR_STYLE)
		snprintf(out, outlen, "an empty value");
	else
		doc_quote(out, outlen, (const char *)n->data.scalar.value,
			  n->data.scalar.length);
}

static int check_value(struct load_ctx *c, yaml_node_t *n,
		       const cyaml_schema_value_t *s, const char *what);

static int check_scalar(struct load_ctx *c, yaml_node_t *n,
			const cyaml_schema_value_t *s, const char *what)
{
	const char *text = (const char *)n->data.scalar.value;
	size_t len = n->data.scalar.length;
	char got[64], valid[256] = "";
	uint32_t i;
	int rc;

	describe(got, sizeof got, n);
	switch (s->type) {
	case CYAML_INT:
		if (n->type != YAML_SCALAR_NODE || len == 0) {
			load_error_node(c, n, "%s must be an integer, not %s",
					what, got);
			return -1;
		}
		rc = check_int_text(text, len);
		if (rc == -1)
			load_error_node(c, n, "%s must be a plain decimal "
					"integer, not %s", what, got);
		else if (rc == -2)
			load_error_node(c, n, "%s is out of range: %s", what,
					got);
		return rc == 0 ? 0 : -1;
	case CYAML_FLOAT:
		if (n->type != YAML_SCALAR_NODE ||
		    check_number_text(text, len) != 0) {
			load_error_node(c, n, "%s must be a plain decimal "
					"number such as 2 or 0.5, not %s",
					what, got);
			return -1;
		}
		return 0;
	case CYAML_STRING:
		if (n->type != YAML_SCALAR_NODE) {
			load_error_node(c, n, "%s must be a string, not %s",
					what, got);
			return -1;
		}
		if (memchr(text, '\0', len) != NULL) {
			load_error_node(c, n, "%s contains a NUL character",
					what);
			return -1;
		}
		if (len < s->string.min) {
			load_error_node(c, n, "%s must not be empty", what);
			return -1;
		}
		if (len > s->string.max) {
			load_error_node(c, n, "%s is too long: %zu bytes (at "
					"most %u)", what, len, s->string.max);
			return -1;
		}
		return 0;
	case CYAML_ENUM:
		for (i = 0; i < s->enumeration.count; i++) {
			if (n->type == YAML_SCALAR_NODE &&
			    strcmp(text, s->enumeration.strings[i].str) == 0)
				return 0;
			snprintf(valid + strlen(valid),
				 sizeof valid - strlen(valid), "%s%s",
				 i ? ", " : "", s->enumeration.strings[i].str);
		}
		load_error_node(c, n, "%s must be one of %s; not %s", what,
				valid, got);
		return -1;
	default:
		return 0;
	}
}

static void list_keys(char *out, size_t outlen, const cyaml_schema_field_t *f)
{
	size_t o = 0;

	out[0] = '\0';
	for (; f->key != NULL && o < outlen; f++)
		o += (size_t)snprintf(out + o, outlen - o, "%s%s",
				      o ? ", " : "", f->key);
}

static int check_mapping(struct load_ctx *c, yaml_node_t *n,
			 const cyaml_schema_value_t *s, const char *what)
{
	const cyaml_schema_field_t *f, *fields = s->mapping.fields;
	yaml_node_pair_t *pair, *prev;
	yaml_node_t *k, *pk;
	char got[64], keys[512], sub[80];

	if (n->type != YAML_MAPPING_NODE) {
		describe(got, sizeof got, n);
		load_error_node(c, n, "%s must be a mapping, not %s", what, got);
		return -1;
	}
	for (pair = n->data.mapping.pairs.start;
	     pair < n->data.mapping.pairs.top; pair++) {
		k = yaml_document_get_node(&c->doc, pair->key);
		if (k->type != YAML_SCALAR_NODE) {
			load_error_node(c, k, "a key must be a plain word");
			return -1;
		}
		for (prev = n->data.mapping.pairs.start; prev < pair; prev++) {
			pk = yaml_document_get_node(&c->doc, prev->key);
			if (strcmp((const char *)pk->data.scalar.value,
				   (const char *)k->data.scalar.value) == 0) {
				load_error_node(c, k, "duplicate key '%s' (first "
						"at line %d)",
						(const char *)k->data.scalar.value,
						(int)pk->start_mark.line + 1);
				return -1;
			}
		}
		for (f = fields; f->key != NULL; f++)
			if (strcmp(f->key, (const char *)k->data.scalar.value) == 0)
				break;
		if (f->key == NULL) {
			doc_quote(got, sizeof got,
				  (const char *)k->data.scalar.value,
				  k->data.scalar.length);
			list_keys(keys, sizeof keys, fields);
			load_error_node(c, k, "unknown key %s in %s (valid keys: "
					"%s)", got, what, keys);
			return -1;
		}
		snprintf(sub, sizeof sub, "'%s'", f->key);
		if (check_value(c, yaml_document_get_node(&c->doc, pair->value),
				&f->value, sub) < 0)
			return -1;
	}
	for (f = fields; f->key != NULL; f++) {
		if ((f->value.flags & CYAML_FLAG_OPTIONAL) == 0 &&
		    find_pair(c, n, f->key) == NULL) {
			load_error_node(c, n, "missing required key '%s' in %s",
					f->key, what);
			return -1;
		}
	}
	return 0;
}

static int check_sequence(struct load_ctx *c, yaml_node_t *n,
			  const cyaml_schema_value_t *s, const char *what)
{
	const cyaml_schema_value_t *entry = s->sequence.entry;
	char got[64], sub[80];
	size_t i, count;

	if (n->type != YAML_SEQUENCE_NODE) {
		describe(got, sizeof got, n);
		load_error_node(c, n, "%s must be a list, not %s", what, got);
		return -1;
	}
	count = (size_t)(n->data.sequence.items.top -
			 n->data.sequence.items.start);
	if (count < s->sequence.min) {
		load_error_node(c, n, "%s needs at least %u entr%s", what,
				s->sequence.min,
				s->sequence.min == 1 ? "y" : "ies");
		return -1;
	}
	if (count > s->sequence.max) {
		load_error_node(c, doc_item(c, n, s->sequence.max),
				"too many entries in %s (at most %u)", what,
				s->sequence.max);
		return -1;
	}
	if (entry->type == CYAML_MAPPING)
		snprintf(sub, sizeof sub, "%s",
			 raw_mapping_noun(entry->mapping.fields));
	else
		snprintf(sub, sizeof sub, "an entry of %s", what);
	for (i = 0; i < count; i++)
		if (check_value(c, doc_item(c, n, i), entry, sub) < 0)
			return -1;
	return 0;
}

static int check_value(struct load_ctx *c, yaml_node_t *n,
		       const cyaml_schema_value_t *s, const char *what)
{
	switch (s->type) {
	case CYAML_MAPPING:
		return check_mapping(c, n, s, what);
	case CYAML_SEQUENCE:
		return check_sequence(c, n, s, what);
	default:
		return check_scalar(c, n, s, what);
	}
}

int doc_check_schema(struct load_ctx *c, const cyaml_schema_value_t *schema)
{
	yaml_node_t *root = doc_root(c);

	if (root == NULL)
		return -1;
	return check_value(c, root, schema, raw_mapping_noun(
				   schema->mapping.fields));
}
