/*
 * replay.c: reading, checking and writing replay files (see replay.h).
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "i18n.h"
#include "replay.h"
#include "trace.h"
#include "worker.h"

__attribute__((format(printf, 6, 7)))
static int fail_at(const struct replay *r, int line, int col, char *err, size_t errlen,
                   const char *fmt, ...)
{
	char msg[600];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	snprintf(err, errlen, "%s:%d:%d: %s %s", r->path, line, col, "error:", msg);
	errno = 0;
	return -1;
}

/* Text from the file, for a message: escaped, and cut at 40 bytes. */
static const char *shown(const char *s, char *buf, size_t len)
{
	char cut[41];
	snprintf(cut, sizeof cut, "%s", s);
	scenario_escape(buf, len, cut);
	return buf;
}

static int slurp(const char *path, struct replay *r, char *err, size_t errlen)
{
	int fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	struct stat st;
	if (fd < 0 || fstat(fd, &st) < 0) {
		int saved = errno;
		if (fd >= 0)
			close(fd);
		if (saved == EMFILE || saved == ENFILE || saved == ENOMEM) {
			snprintf(err, errlen, _("cannot open %s: %s"), r->path, strerror(saved));
			errno = saved;
			return -1;
		}
		return fail_at(r, 1, 1, err, errlen, _("cannot open: %s"), strerror(saved));
	}
	if (!S_ISREG(st.st_mode)) {
		close(fd);
		return fail_at(r, 1, 1, err, errlen, _("not a regular file"));
	}
	if (st.st_size > REPLAY_MAX_BYTES) {
		close(fd);
		return fail_at(r, 1, 1, err, errlen, _("a replay file is at most %ld bytes; this one has %lld"),
		               REPLAY_MAX_BYTES, (long long)st.st_size);
	}
	r->text = malloc((size_t)st.st_size + 1);
	size_t got = 0;
	while (r->text && got < (size_t)st.st_size) {
		ssize_t n = read(fd, r->text + got, (size_t)st.st_size - got);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		got += (size_t)n;
	}
	close(fd);
	if (!r->text) {
		snprintf(err, errlen, _("cannot load %s: %s"), r->path, strerror(ENOMEM));
		errno = ENOMEM;
		return -1;
	}
	r->text[got] = 0;
	/* A NUL byte would cut a line short unseen: say where it is. */
	char *nul = memchr(r->text, 0, got);
	if (nul) {
		int line = 1;
		char *bol = r->text;
		for (char *q = r->text; q < nul; q++)
			if (*q == '\n') {
				line++;
				bol = q + 1;
			}
		return fail_at(r, line, (int)(nul - bol) + 1, err, errlen, _("control character \\x%02x"), 0);
	}
	return 0;
}

static int is_name_char(char c, int first)
{
	return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '_' ||
	       (!first && ((c >= '0' && c <= '9') || c == '-'));
}

static int parse_seed(const char *s, uint64_t *out)
{
	uint64_t v = 0;
	if (!*s)
		return -1;
	for (; *s; s++) {
		if (*s < '0' || *s > '9' || v > (UINT64_MAX - (uint64_t)(*s - '0')) / 10)
			return -1;
		v = v * 10 + (uint64_t)(*s - '0');
	}
	*out = v;
	return 0;
}

/* "# switch: P": 0 < P <= 1, as --switch takes it (up to 6 decimals). */
static int parse_switch(struct replay *r, const char *v, int line, int col,
                        char *err, size_t errlen)
{
	char buf[128];
	double p = 0, scale = 1;
	const char *q = v;
	int whole = 0, frac = 0;
	for (; *q >= '0' && *q <= '9'; q++, whole++)
		p = p * 10 + (*q - '0');
	if (*q == '.')
		for (q++; *q >= '0' && *q <= '9'; q++, frac++)
			p += (*q - '0') * (scale /= 10);
	if (*q || whole + frac == 0 || whole > 1 || frac > 6 || p <= 0 || p > 1)
		return fail_at(r, line, col, err, errlen,
		               _("switch: '%s' is not a number above 0 and at most 1"),
		               shown(v, buf, sizeof buf));
	r->switch_p = p;
	r->has_switch = 1;
	return 0;
}

/* "# key: value" before the first choice; other comments are comments. */
static int header(struct replay *r, char *s, int line, int col, char *err, size_t errlen)
{
	static const char *const keys[] = { "scenario:", "schedule:", "seed:", "workers:", "switch:" };
	char buf[128];
	while (*s == ' ' || *s == '\t')
		s++, col++;
	int k = 0;
	while (k < 5 && strncmp(s, keys[k], strlen(keys[k])) != 0)
		k++;
	if (k == 5 || r->n > 0)
		return 0;
	char *v = s + strlen(keys[k]);
	while (*v == ' ' || *v == '\t')
		v++;
	size_t len = strlen(v);
	while (len && (v[len - 1] == ' ' || v[len - 1] == '\t'))
		v[--len] = 0;
	col += (int)(v - s);
	uint64_t n;
	if (k == 4)
		return parse_switch(r, v, line, col, err, errlen);
	if (k == 0) {
		snprintf(r->scenario, sizeof r->scenario, "%s", v);
	} else if (k == 1) {
		if (schedule_parse(v, &r->schedule) < 0 || r->schedule == SCHED_OS)
			return fail_at(r, line, col, err, errlen,
			               _("schedule: '%s' is not random or round-robin"), shown(v, buf, sizeof buf));
		r->has_schedule = 1;
	} else if (parse_seed(v, &n) < 0 || (k == 3 && (n < 1 || n > SCENARIO_MAX_WORKERS))) {
		return k == 2 ? fail_at(r, line, col, err, errlen, _("seed: '%s' is not a whole number"),
		                        shown(v, buf, sizeof buf))
		              : fail_at(r, line, col, err, errlen, _("workers: '%s' is not a whole number from 1 to %d"),
		                        shown(v, buf, sizeof buf), SCENARIO_MAX_WORKERS);
	} else if (k == 2) {
		r->seed = n;
		r->has_seed = 1;
	} else {
		r->workers = (int)n;
	}
	return 0;
}

static int add_item(struct replay *r, char *name, int kill, int line, int col,
                    long *cap, char *err, size_t errlen)
{
	if (r->n >= ENGINE_BACK_STEPS)
		return fail_at(r, line, col, err, errlen, _("more than %ld choices"), ENGINE_BACK_STEPS);
	if (r->n == *cap) {
		long ncap = *cap ? *cap * 2 : 256;
		struct replay_item *n = realloc(r->items, (size_t)ncap * sizeof *n);
		if (!n) {
			snprintf(err, errlen, _("cannot load %s: %s"), r->path, strerror(ENOMEM));
			errno = ENOMEM;
			return -1;
		}
		r->items = n;
		*cap = ncap;
	}
	r->items[r->n++] = (struct replay_item){ line, col, kill, name };
	return 0;
}

/* One line, cut out in place (its '\n' is already a NUL). */
static int one_line(struct replay *r, char *s, int line, long *cap, char *err, size_t errlen)
{
	char buf[128];
	size_t len = strlen(s);
	if (len && s[len - 1] == '\r')
		s[--len] = 0;
	if (len > REPLAY_MAX_LINE)
		return fail_at(r, line, REPLAY_MAX_LINE + 1, err, errlen,
		               _("a line is at most %d bytes"), REPLAY_MAX_LINE);
	for (size_t i = 0; i < len; i++)
		if (((unsigned char)s[i] < 0x20 && s[i] != '\t') || s[i] == 0x7f)
			return fail_at(r, line, (int)i + 1, err, errlen, _("control character \\x%02x"),
			               (unsigned char)s[i]);
	char *p = s;
	while (*p == ' ' || *p == '\t')
		p++;
	char *hash = strchr(p, '#');
	if (hash == p)
		return header(r, p + 1, line, (int)(p - s) + 2, err, errlen);
	if (hash)
		*hash = 0;
	char *words[3];
	int cols[3], n = 0;
	for (char *q = p; *q && n < 3;) {
		while (*q == ' ' || *q == '\t')
			q++;
		if (!*q)
			break;
		words[n] = q;
		cols[n++] = (int)(q - s) + 1;
		while (*q && *q != ' ' && *q != '\t')
			q++;
		if (*q)
			*q++ = 0;
	}
	if (n == 0)
		return 0;
	int kill = n == 2 && strcmp(words[0], "kill") == 0;
	if (n > 1 + kill)
		return fail_at(r, line, cols[1 + kill], err, errlen,
		               _("one worker name a line (or kill NAME), not '%s' too"),
		               shown(words[1 + kill], buf, sizeof buf));
	char *name = words[kill];
	int col = cols[kill];
	for (char *q = name; *q; q++)
		if (!is_name_char(*q, q == name) || q - name >= SCENARIO_MAX_NAME + 11)
			return fail_at(r, line, col, err, errlen, _("'%s' is not a worker name"),
			               shown(name, buf, sizeof buf));
	return add_item(r, name, kill, line, col, cap, err, errlen);
}

int replay_read(const char *path, struct replay *r, char *err, size_t errlen)
{
	memset(r, 0, sizeof *r);
	scenario_escape(r->path, sizeof r->path, path);
	if (slurp(path, r, err, errlen) < 0)
		return -1;
	long cap = 0;
	int line = 1;
	for (char *s = r->text; s;) {
		char *nl = strchr(s, '\n');
		if (nl)
			*nl = 0;
		if (one_line(r, s, line, &cap, err, errlen) < 0)
			return -1;
		s = nl ? nl + 1 : NULL;
		line++;
	}
	return 0;
}

/* Worker index of NAME (group name, then its number), or -1. */
static int find_worker(const struct scenario *s, const char *name)
{
	int base = 0;
	for (int g = 0; g < s->n_groups; base += s->groups[g].count, g++) {
		const struct scenario_group *gr = &s->groups[g];
		size_t gl = strlen(gr->name);
		const char *d = name + gl;
		if (strncmp(name, gr->name, gl) != 0 || !*d || (d[0] == '0' && d[1]))
			continue;
		long num = 0;
		for (; *d >= '0' && *d <= '9' && num < 1000000; d++)
			num = num * 10 + (*d - '0');
		if (*d)
			continue;
		long idx = num - gr->first_index;
		if (idx >= 0 && idx < gr->count)
			return base + (int)idx;
	}
	return -1;
}

/* "work0...work99, main0": the names there are, for a message. */
static void names_hint(const struct scenario *s, char *buf, size_t len)
{
	size_t o = 0;
	buf[0] = 0;
	for (int g = 0; g < s->n_groups && o + 1 < len; g++) {
		const struct scenario_group *gr = &s->groups[g];
		int first = gr->first_index, last = gr->first_index + gr->count - 1;
		int n = gr->count == 1
		        ? snprintf(buf + o, len - o, "%s%s%d", g ? ", " : "", gr->name, first)
		        : snprintf(buf + o, len - o, "%s%s%d...%s%d", g ? ", " : "", gr->name, first,
		                   gr->name, last);
		if (n < 0 || (size_t)n >= len - o)
			break;
		o += (size_t)n;
	}
}

/* The step an item stands for (a kill: the step it comes before). */
static long step_of(const struct replay *r, long i)
{
	long step = 1;
	for (long k = 0; k < i; k++)
		step += !r->items[k].kill;
	return step;
}

int replay_resolve(struct replay *r, const struct scenario *s, char *err, size_t errlen)
{
	free(r->plan);
	r->plan = calloc((size_t)(r->n ? r->n : 1), sizeof *r->plan);
	if (!r->plan) {
		snprintf(err, errlen, _("cannot load %s: %s"), r->path, strerror(ENOMEM));
		errno = ENOMEM;
		return -1;
	}
	long step = 0;
	for (long i = 0; i < r->n; i++) {
		const struct replay_item *it = &r->items[i];
		int w = find_worker(s, it->name);
		if (w < 0) {
			char hint[200], buf[128];
			names_hint(s, hint, sizeof hint);
			return fail_at(r, it->line, it->col, err, errlen,
			               _("step %ld: %s has no worker named '%s' (its workers: %s)"),
			               step + 1, s->id, shown(it->name, buf, sizeof buf), hint);
		}
		r->plan[i] = (struct engine_choice){ w, it->kill, step };
		step += !it->kill;
	}
	return 0;
}

void replay_where(const struct replay *r, long i, const char *why, char *err, size_t errlen)
{
	char buf[300];
	scenario_escape(buf, sizeof buf, why);
	if (i < 0 || i >= r->n) {
		snprintf(err, errlen, "%s: %s %s", r->path, "error:", buf);
		return;
	}
	const struct replay_item *it = &r->items[i];
	snprintf(err, errlen, "%s:%d:%d: %s ", r->path, it->line, it->col, "error:");
	size_t o = strlen(err);
	if (it->kill)
		snprintf(err + o, errlen - o, _("before step %ld: %s"), step_of(r, i), buf);
	else
		snprintf(err + o, errlen - o, _("step %ld: %s"), step_of(r, i), buf);
}

void replay_free(struct replay *r)
{
	free(r->text);
	free(r->items);
	free(r->plan);
	r->text = NULL;
	r->items = NULL;
	r->plan = NULL;
	r->n = 0;
}

int replay_write(const char *path, const struct replay_header *h, const struct scenario *s,
                 const struct engine_choice *c, long n, char *err, size_t errlen)
{
	char shown_path[512];
	scenario_escape(shown_path, sizeof shown_path, path);
	FILE *f = fopen(path, "w");
	if (!f) {
		snprintf(err, errlen, _("cannot write %s: %s"), shown_path, strerror(errno));
		return -1;
	}
	long steps = 0;
	for (long i = 0; i < n; i++)
		steps += !c[i].kill;
	/* The header is comments: a reader may delete it, and it still replays. */
	fprintf(f, "# lockstep replay: %s, %ld steps, %s\n", h->scenario, steps, h->outcome);
	fprintf(f, "# One worker a line, in the order they step (kill NAME: killed before the next step).\n");
	fprintf(f, "# When the list ends, the schedule goes on from the seed.\n");
	fprintf(f, "# scenario: %s\n# schedule: %s\n# seed: %llu\n", h->scenario,
	        schedule_name(h->schedule), (unsigned long long)h->seed);
	if (h->switch_p > 0 && h->switch_p < 1) {
		char p[32];
		trace_switch_text(h->switch_p, p, sizeof p);
		fprintf(f, "# switch: %s\n", p);
	}
	if (h->workers)
		fprintf(f, "# workers: %d\n", h->workers);
	for (long i = 0; i < n; i++) {
		char name[SCENARIO_MAX_NAME + 12];
		int idx, g = scenario_worker_group(s, c[i].worker, &idx);
		if (g < 0)
			continue;
		worker_name(s, g, s->groups[g].first_index + idx, name, sizeof name);
		fprintf(f, "%s%s\n", c[i].kill ? "kill " : "", name);
	}
	int bad = ferror(f);
	if (fclose(f) != 0 || bad) {
		snprintf(err, errlen, _("cannot write %s: %s"), shown_path, strerror(errno ? errno : EIO));
		return -1;
	}
	return 0;
}

int replay_write_run(const char *path, const struct replay_header *h,
                     const struct engine *e, char *err, size_t errlen)
{
	long n = engine_choices(e, NULL, 0);
	if (n < 0) {
		snprintf(err, errlen, _("cannot record this run: only its first %ld steps are kept"),
		         ENGINE_BACK_STEPS);
		return -1;
	}
	struct engine_choice *c = calloc((size_t)(n ? n : 1), sizeof *c);
	if (!c) {
		snprintf(err, errlen, _("cannot record this run: %s"), strerror(ENOMEM));
		return -1;
	}
	engine_choices(e, c, n);
	int rc = replay_write(path, h, engine_view(e)->scenario, c, n, err, errlen);
	free(c);
	return rc;
}
