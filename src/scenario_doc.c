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
#include <fcntl.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "i18n.h"
#include "scenario.h"
#include "scenario_doc.h"
#include "scenario_schema.h"

/* No real scenario comes near this; it keeps a wrong path from eating RAM. */
#define DOC_MAX_FILE (8u << 20)
/* Collections inside collections; a scenario needs about 6. */
#define DOC_MAX_DEPTH 32
/* Values, lists and mappings in one file.  The largest scenario the bounds
 * allow (16 groups of 256 ops, 32 objects of 64 entries) has under 70,000;
 * this keeps the libyaml tree of a file at the size cap small and quick. */
#define DOC_MAX_NODES 100000

/* The length of the UTF-8 character at P (1 for ASCII, 1 for NUL), or 0
 * when P does not start a valid one.  Overlong forms and surrogates count
 * as valid here: this only decides what to escape. */
static size_t utf8_len(const unsigned char *p)
{
	size_t n, i;

	if (p[0] < 0x80)
		return 1;
	if (p[0] >= 0xc2 && p[0] <= 0xdf)
		n = 2;
	else if (p[0] >= 0xe0 && p[0] <= 0xef)
		n = 3;
	else if (p[0] >= 0xf0 && p[0] <= 0xf4)
		n = 4;
	else
		return 0;
	for (i = 1; i < n; i++)
		if ((p[i] & 0xc0) != 0x80)
			return 0;
	return n;
}

/* ---- errors ------------------------------------------------------------- */

/* Append S to OUT at *O with every byte a terminal could act on written
 * as an escape: C0 controls and DEL as \n, \t, \xHH; C1 controls (U+0080
 * to U+009F) as \uHHHH; bytes that are not UTF-8 as \xHH. */
static void esc_append(char *out, size_t outlen, size_t *o, const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	char tmp[8];
	size_t n, k;

	while (*p && *o + 1 < outlen) {
		n = utf8_len(p);
		if (*p == '\n' || *p == '\t')
			snprintf(tmp, sizeof tmp, "\\%c", *p == '\n' ? 'n' : 't');
		else if (*p < 0x20 || *p == 0x7f || n == 0)
			snprintf(tmp, sizeof tmp, "\\x%02x", *p);
		else if (n == 2 && p[0] == 0xc2 && p[1] < 0xa0)
			snprintf(tmp, sizeof tmp, "\\u%04x", p[1]);
		else
			tmp[0] = '\0';
		if (tmp[0] == '\0') {
			if (*o + n >= outlen)
				break;     /* never half a character */
			for (k = 0; k < n; k++)
				out[(*o)++] = (char)p[k];
			p += n;
			continue;
		}
		if (*o + strlen(tmp) >= outlen)
			break;             /* nor half an escape */
		for (k = 0; tmp[k]; k++)
			out[(*o)++] = tmp[k];
		p += n ? n : 1;
	}
	out[*o < outlen ? *o : outlen - 1] = '\0';
}

void scenario_escape(char *out, size_t outlen, const char *s)
{
	size_t o = 0;

	if (outlen == 0)
		return;
	out[0] = '\0';
	esc_append(out, outlen, &o, s);
}

/* The bytes of the line break at I, 0 when there is none: libyaml's line
 * breaks are CR LF, CR, LF, NEL, LS and PS. */
static size_t break_len(const struct load_ctx *c, size_t i)
{
	const unsigned char *b = c->buf + i;
	size_t left = c->len - i;

	if (left >= 2 && b[0] == '\r' && b[1] == '\n')
		return 2;
	if (left >= 1 && (b[0] == '\r' || b[0] == '\n'))
		return 1;
	if (left >= 2 && b[0] == 0xc2 && b[1] == 0x85)
		return 2;
	if (left >= 3 && b[0] == 0xe2 && b[1] == 0x80 &&
	    (b[2] == 0xa8 || b[2] == 0xa9))
		return 3;
	return 0;
}

/* Move one character (or line break) on from byte I, as libyaml moves its
 * mark M (0-based line, column in characters).  Returns the next byte. */
static size_t step(const struct load_ctx *c, size_t i, yaml_mark_t *m)
{
	size_t n = break_len(c, i);

	if (n > 0) {
		m->line++;
		m->column = 0;
		return i + n;
	}
	m->column++;
	for (i++; i < c->len && (c->buf[i] & 0xC0) == 0x80; i++)
		;
	return i;
}

/* libyaml puts the end of a file without a final newline on a line after
 * it; messages name only lines that exist. */
static void clamp_pos(const struct load_ctx *c, int *line, int *col)
{
	yaml_mark_t m = { 0, 0, 0 };
	size_t i = 0, last_cols = 0;

	if (c->buf == NULL)
		return;
	while (i < c->len) {
		if (break_len(c, i) > 0)
			last_cols = m.column;
		i = step(c, i, &m);
	}
	if (m.column == 0 && m.line > 0)
		m.column = last_cols;    /* the file ends with a line break */
	else
		m.line++;
	if ((size_t)*line <= m.line)
		return;
	*line = (int)m.line;
	*col = (int)m.column + 1;
}

static void verror_at(struct load_ctx *c, int line, int col, const char *fmt,
		      va_list ap)
	__attribute__((format(printf, 4, 0)));

static void verror_at(struct load_ctx *c, int line, int col, const char *fmt,
		      va_list ap)
{
	size_t n = 0;
	int k;

	if (c->failed)
		return;
	c->failed = 1;
	if (c->err == NULL || c->errlen == 0)
		return;
	clamp_pos(c, &line, &col);
	c->err[0] = '\0';
	esc_append(c->err, c->errlen, &n, c->path);
	k = snprintf(c->err + n, c->errlen - n, ":%d:%d: error: ", line, col);
	if (k < 0)
		return;
	n += (size_t)k;
	/* The place stays as compilers say it; the message is the
	 * student's language (every caller's format is a catalogue msgid:
	 * load_error_at and load_error_node are xgettext keywords). */
	if (n < c->errlen)
		vsnprintf(c->err + n, c->errlen - n, gettext(fmt), ap);
}

int load_env_error(struct load_ctx *c, const char *verb, int e)
{
	size_t n = 0;

	if (c->failed)
		return -1;
	c->failed = 1;
	c->env_errno = e;
	if (c->err == NULL || c->errlen == 0)
		return -1;
	char shown[1024];
	esc_append(shown, sizeof shown, &n, c->path);
	int opening = strcmp(verb, "open") == 0;
	snprintf(c->err, c->errlen, opening ? _("cannot open %s: %s") : _("cannot load %s: %s"),
	         shown, strerror(e));
	return -1;
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
		/* C1 controls (U+0080..U+009F) are two bytes: C2 80..9F. */
		if (ch == 0xc2 && i + 1 < n &&
		    (unsigned char)s[i + 1] < 0xa0) {
			out[o++] = '?';
			i++;
			continue;
		}
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

/* open(2) errors that say nothing about the file: the process or the
 * system is out of something. */
static int env_errno(int e)
{
	return e == EMFILE || e == ENFILE || e == ENOMEM || e == ENOBUFS ||
	       e == EAGAIN || e == EINTR;
}

/* Take ownership of BUF (LEN bytes, room for a NUL after them). */
static int doc_take(struct load_ctx *c, unsigned char *buf, size_t len)
{
	if (len > DOC_MAX_FILE) {
		free(buf);
		load_error_at(c, 1, 1, "file is too large (at most %u MiB)",
			      DOC_MAX_FILE >> 20);
		return -1;
	}
	buf[len] = '\0';
	c->buf = buf;
	c->len = len;
	return 0;
}

/* Read FD to its end, or up to one byte past the cap (which is refused). */
static int read_all(struct load_ctx *c, int fd, size_t hint)
{
	size_t cap = hint < 4096 ? 4096 : hint + 1, len = 0;
	unsigned char *buf, *bigger;
	ssize_t got;

	if (cap > DOC_MAX_FILE + 1)
		cap = DOC_MAX_FILE + 1;
	buf = malloc(cap + 1);
	if (buf == NULL)
		return load_env_error(c, "load", ENOMEM);
	for (;;) {
		got = read(fd, buf + len, cap - len);
		if (got < 0 && errno == EINTR)
			continue;
		if (got < 0) {
			free(buf);
			load_error_at(c, 1, 1, "cannot read: %s",
				      strerror(errno));
			return -1;
		}
		len += (size_t)got;
		if (got == 0 || len > DOC_MAX_FILE)
			break;
		if (len == cap) {
			cap = cap * 2 > DOC_MAX_FILE + 1 ? DOC_MAX_FILE + 1
							 : cap * 2;
			bigger = realloc(buf, cap + 1);
			if (bigger == NULL) {
				free(buf);
				return load_env_error(c, "load", ENOMEM);
			}
			buf = bigger;
		}
	}
	return doc_take(c, buf, len);
}

/*
 * Never block on a path the user gave: a FIFO or a terminal would wait for
 * ever in open() or read().  stat() first, so that a device is not even
 * opened; O_NONBLOCK and fstat() again, in case the path changed between.
 */
int doc_read_file(struct load_ctx *c)
{
	struct stat st;
	int fd, rc;

	if (stat(c->path, &st) == 0 && !S_ISREG(st.st_mode)) {
		load_error_at(c, 1, 1, "not a regular file");
		return -1;
	}
	fd = open(c->path, O_RDONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY);
	if (fd < 0) {
		if (env_errno(errno))
			return load_env_error(c, "open", errno);
		load_error_at(c, 1, 1, "cannot open: %s", strerror(errno));
		return -1;
	}
	if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
		close(fd);
		load_error_at(c, 1, 1, "not a regular file");
		return -1;
	}
	rc = read_all(c, fd, (size_t)st.st_size);
	close(fd);
	return rc;
}

/* A file already in memory: copied, so the caller keeps its buffer. */
int doc_read_buffer(struct load_ctx *c, const void *data, size_t len)
{
	unsigned char *buf;

	if (len > DOC_MAX_FILE)
		return doc_take(c, NULL, len);
	buf = malloc(len + 1);
	if (buf == NULL)
		return load_env_error(c, "load", ENOMEM);
	if (len)
		memcpy(buf, data, len);
	return doc_take(c, buf, len);
}

/* ---- parsing ------------------------------------------------------------ */

/* libyaml gives reader (encoding) errors as a byte offset, not a mark. */
static void offset_to_mark(const struct load_ctx *c, size_t off, yaml_mark_t *m)
{
	size_t i = 0;

	m->line = 0;
	m->column = 0;
	while (i < off && i < c->len)
		i = step(c, i, m);
}

static void parser_error(struct load_ctx *c, const yaml_parser_t *p)
{
	yaml_mark_t m;
	size_t off;

	switch (p->error) {
	case YAML_MEMORY_ERROR:
		load_env_error(c, "load", ENOMEM);
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

/* The first control character in a scalar: C0 but newline and tab, DEL,
 * C1 (U+0080..U+009F, C2 80..C2 9F in UTF-8).  -1 when there is none. */
static long first_control(const unsigned char *s, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++) {
		if ((s[i] < 0x20 && s[i] != '\n' && s[i] != '\t') || s[i] == 0x7f)
			return s[i];
		if (s[i] == 0xc2 && i + 1 < len && s[i + 1] >= 0x80 &&
		    s[i + 1] < 0xa0)
			return s[i + 1];
	}
	return -1;
}

/* The byte offset of mark M (0-based line and column in characters). */
static size_t mark_offset(const struct load_ctx *c, yaml_mark_t m)
{
	yaml_mark_t at = { 0, 0, 0 };
	size_t i = 0;

	while (i < c->len && (at.line < m.line ||
			      (at.line == m.line && at.column < m.column)))
		i = step(c, i, &at);
	return i;
}

/* The character a double-quoted escape stands for (after the backslash
 * at P), or -1 when it is none this check cares about. */
static long escape_value(const unsigned char *p, const unsigned char *end)
{
	static const char from[] = "0abvfreN", to[] = { 0, 7, 8, 11, 12, 13,
							  27, 0 };
	const char *k = memchr(from, p[0], sizeof from - 1);
	int digits = p[0] == 'x' ? 2 : p[0] == 'u' ? 4 : p[0] == 'U' ? 8 : 0;
	long v = 0;
	int i;

	if (k != NULL)
		return p[0] == 'N' ? 0x85 : to[k - from];
	if (digits == 0 || end - p <= digits)
		return -1;
	for (i = 1; i <= digits; i++) {
		int ch = p[i];
		v = v * 16 + (ch >= '0' && ch <= '9' ? ch - '0' :
			      ch >= 'a' && ch <= 'f' ? ch - 'a' + 10 :
			      ch >= 'A' && ch <= 'F' ? ch - 'A' + 10 : 0);
	}
	return v;
}

/* A control character can only come from an escape of a double-quoted
 * scalar (libyaml refuses them raw): point at the escape itself. */
static yaml_mark_t control_mark(const struct load_ctx *c,
				const yaml_event_t *ev)
{
	yaml_mark_t m = ev->start_mark;
	size_t i = mark_offset(c, m), end = mark_offset(c, ev->end_mark);
	long v;

	if (ev->data.scalar.style != YAML_DOUBLE_QUOTED_SCALAR_STYLE ||
	    i >= end || c->buf[i] != '"')
		return ev->start_mark;
	for (i = step(c, i, &m); i + 1 < end; i = step(c, i, &m)) {
		if (c->buf[i] != '\\')
			continue;
		v = escape_value(c->buf + i + 1, c->buf + end);
		if ((v >= 0 && v < 0x20 && v != '\t' && v != '\n') ||
		    (v >= 0x7f && v < 0xa0))
			return m;
		i = step(c, i, &m);     /* the backslash; the loop steps over
					   what it escapes */
	}
	return ev->start_mark;
}

static const yaml_char_t *event_anchor(const yaml_event_t *ev)
{
	switch (ev->type) {
	case YAML_SCALAR_EVENT:
		return ev->data.scalar.anchor;
	case YAML_SEQUENCE_START_EVENT:
		return ev->data.sequence_start.anchor;
	case YAML_MAPPING_START_EVENT:
		return ev->data.mapping_start.anchor;
	default:
		return NULL;
	}
}

/*
 * What the event pass refuses, each at its event.  Aliases and anchors:
 * an alias is resolved to its anchor's node (and can even make a cycle),
 * and libyaml compares each anchor with every earlier one (quadratic).
 * Nesting: libyaml's scanner walks its whole stack of flow levels for
 * every token (quadratic too), and its lookahead is short, so stopping
 * at the event keeps the stack small.  Nodes: the tree of an 8 MiB file
 * of "[1,1,1,..." would take 700 MB and seconds.  Control characters: no
 * text from a file may reach a terminal as an escape sequence.
 */
static void check_event(struct load_ctx *c, const yaml_event_t *ev, int *depth,
			long *nodes)
{
	const yaml_char_t *anchor = event_anchor(ev);
	long ch;

	if ((ev->type == YAML_SCALAR_EVENT || ev->type == YAML_ALIAS_EVENT ||
	     ev->type == YAML_SEQUENCE_START_EVENT ||
	     ev->type == YAML_MAPPING_START_EVENT) && ++*nodes > DOC_MAX_NODES)
		error_mark(c, ev->start_mark, "more than %d values, lists and "
			   "mappings in one file (no scenario needs that many)",
			   DOC_MAX_NODES);

	if (ev->type == YAML_ALIAS_EVENT)
		error_mark(c, ev->start_mark, "aliases (*%s) are not "
			   "supported in scenario files",
			   (const char *)ev->data.alias.anchor);
	else if (anchor != NULL)
		error_mark(c, ev->start_mark, "anchors (&%s) are not "
			   "supported in scenario files", (const char *)anchor);
	if (ev->type == YAML_SEQUENCE_START_EVENT ||
	    ev->type == YAML_MAPPING_START_EVENT) {
		if (++*depth > DOC_MAX_DEPTH)
			error_mark(c, ev->start_mark, "nesting deeper than %d "
				   "levels", DOC_MAX_DEPTH);
	} else if (ev->type == YAML_SEQUENCE_END_EVENT ||
		   ev->type == YAML_MAPPING_END_EVENT) {
		--*depth;
	} else if (ev->type == YAML_SCALAR_EVENT &&
		   (ch = first_control(ev->data.scalar.value,
				       ev->data.scalar.length)) >= 0) {
		error_mark(c, control_mark(c, ev), "control character U+%04lX in "
			   "a string: scenario text holds only printable "
			   "characters, newlines and tabs", ch);
	}
}

/* The event pass: see check_event; also, a second document would be
 * silently ignored by one yaml_parser_load(). */
static int scan_events(struct load_ctx *c)
{
	yaml_parser_t p;
	yaml_event_t ev;
	yaml_event_type_t type;
	int docs = 0, depth = 0;
	long nodes = 0;

	if (!yaml_parser_initialize(&p)) {
		load_env_error(c, "load", ENOMEM);
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
		check_event(c, &ev, &depth, &nodes);
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
		load_env_error(c, "load", ENOMEM);
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
		snprintf(out, outlen, "%s", _("a list"));
	else if (n->type == YAML_MAPPING_NODE)
		snprintf(out, outlen, "%s", _("a mapping"));
	else if (n->data.scalar.length == 0 &&
		 n->data.scalar.style == YAML_PLAIN_SCALAR_STYLE)
		snprintf(out, outlen, "%s", _("an empty value"));
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
		char msg[512];
		snprintf(msg, sizeof msg, ngettext("%s needs at least %u entry",
						   "%s needs at least %u entries",
						   s->sequence.min),
			 what, s->sequence.min);
		load_error_node(c, n, "%s", msg);
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
			 _(raw_mapping_noun(entry->mapping.fields)));
	else
		snprintf(sub, sizeof sub, _("an entry of %s"), what);
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
	return check_value(c, root, schema, _(raw_mapping_noun(
				   schema->mapping.fields)));
}
