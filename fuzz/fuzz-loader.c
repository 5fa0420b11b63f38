/*
 * fuzz-loader.c: a libFuzzer target for the scenario loader.
 *
 * Each input goes through the loader's real passes (scenario_load_buffer:
 * the same reading cap, event pass, tree check, libcyaml and meaning
 * checks as a file), built with AddressSanitizer and UBSan.  Beyond
 * crashes, leaks and slow inputs (-timeout=1), it checks the loader's
 * promises and aborts when one is broken:
 *  - a refused input gets exactly one message: "fuzz.yaml:L:C: error: "
 *    (or "cannot load ...": out of memory), one line, no control bytes,
 *    on a line the input has;
 *  - a loaded scenario holds no control character in any text a terminal
 *    will show;
 *  - no input takes more than a second of CPU.  libFuzzer's -timeout is
 *    wall time, which a busy machine stretches; CPU time is what the input
 *    costs, so this catches a slow input whatever the load.
 * Build: ./configure --enable-fuzzing && make fuzz/fuzz-loader; see README.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "scenario.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* C0 but newline and tab, DEL, and C1 (C2 80..9F). */
static int has_control(const char *s, int allow_newline)
{
	const unsigned char *p = (const unsigned char *)s;

	for (; s != NULL && *p; p++) {
		if (*p == '\n' && allow_newline)
			continue;
		if ((*p < 0x20 && *p != '\t') || *p == 0x7f ||
		    (*p == 0xc2 && p[1] >= 0x80 && p[1] < 0xa0))
			return 1;
	}
	return 0;
}

/* Lines as libyaml counts them (CR LF, CR, LF, NEL, LS, PS end one); a
 * last line without a break counts. */
static int count_lines(const uint8_t *d, size_t n)
{
	size_t i = 0, k;
	int lines = 0, open = 0;

	while (i < n) {
		k = 0;
		if (d[i] == '\r' && i + 1 < n && d[i + 1] == '\n')
			k = 2;
		else if (d[i] == '\r' || d[i] == '\n')
			k = 1;
		else if (d[i] == 0xc2 && i + 1 < n && d[i + 1] == 0x85)
			k = 2;
		else if (d[i] == 0xe2 && i + 2 < n && d[i + 1] == 0x80 &&
			 (d[i + 2] == 0xa8 || d[i + 2] == 0xa9))
			k = 3;
		if (k) {
			lines++;
			open = 0;
			i += k;
		} else {
			open = 1;
			i++;
		}
	}
	return lines + open > 0 ? lines + open : 1;
}

static void check_message(const char *err, const uint8_t *d, size_t n)
{
	int l, c, k = 0;

	if (has_control(err, 0))
		abort();      /* a second line, or an escape sequence */
	if (strncmp(err, "cannot load ", 12) == 0)
		return;
	if (sscanf(err, "fuzz.yaml:%d:%d: error: %n", &l, &c, &k) != 2 ||
	    k == 0 || l < 1 || c < 1 || err[k] == '\0')
		abort();
	if (l > count_lines(d, n))
		abort();      /* a line the file does not have */
}

static void check_text(const struct scenario_text *t)
{
	if (has_control(t->en, 1) || has_control(t->zh, 1))
		abort();
}

static void check_scenario(const struct scenario *s)
{
	int i, j;

	check_text(&s->title);
	check_text(&s->summary);
	for (i = 0; i < s->n_pages; i++)
		check_text(&s->pages[i]);
	if (has_control(s->python, 1) || has_control(s->id, 0) ||
	    has_control(s->section, 0))
		abort();
	for (i = 0; i < s->n_objects; i++)
		if (has_control(s->objects[i].name, 0))
			abort();
	for (i = 0; i < s->n_groups; i++) {
		if (has_control(s->groups[i].name, 0))
			abort();
		for (j = 0; j < s->groups[i].n_ops; j++)
			if (has_control(s->groups[i].ops[j].text, 1) ||
			    has_control(s->groups[i].ops[j].label, 0))
				abort();
	}
}

static double cpu_seconds(void)
{
	struct timespec t;

	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char err[1024];
	struct scenario *s;
	double start = cpu_seconds();

	s = scenario_load_buffer("fuzz.yaml", data, size, err, sizeof err);
	if (cpu_seconds() - start > 1.0) {
		fprintf(stderr, "fuzz-loader: %.2f s of CPU for one input\n",
			cpu_seconds() - start);
		abort();
	}
	if (s == NULL) {
		check_message(err, data, size);
		return 0;
	}
	check_scenario(s);
	scenario_free(s);
	return 0;
}
