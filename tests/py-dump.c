/*
 * py-dump.c: the Python front end's parser, from the command line, for
 * the shell tests (tests/python.sh) and for looking at a tree by hand:
 *
 *     py-dump [--tree | --lines | --time N | --compile-time N] FILE
 *
 * --tree (default) prints py_ast_dump's S-expression, --lines one
 * "LINE:COL Kind" per statement (compared with tests/python/astlines.py),
 * --time N parses the file N times and prints the mean parse time in
 * microseconds of this process's CPU time (the machine may be shared:
 * wall time would measure the neighbours), the wall time, and the bytes
 * the tree took.  --compile-time N does the same for the whole front end,
 * source to scenario (py_compile_buffer), and prints the workers and ops
 * it made.  A file the parser refuses prints its one message on
 * stderr and exits 2; a file that cannot be read exits 1.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "py_compile.h"
#include "py_parse.h"

static char *py_dump_read(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	size_t cap = PY_MAX_SOURCE + 1;
	char *buf = f ? malloc(cap) : NULL;

	if (buf == NULL) {
		if (f)
			fclose(f);
		perror(path);
		return NULL;
	}
	*len = fread(buf, 1, cap, f);
	fclose(f);
	return buf;
}

static double py_dump_now(clockid_t clock)
{
	struct timespec ts;
	clock_gettime(clock, &ts);
	return (double)ts.tv_sec * 1e6 + (double)ts.tv_nsec / 1e3;
}

int main(int argc, char **argv)
{
	const char *mode = "--tree", *path;
	char err[512];
	struct py_ast *ast;
	size_t len;
	char *buf;
	long times = 1;

	if (argc == 4 && (!strcmp(argv[1], "--time") || !strcmp(argv[1], "--compile-time"))) {
		mode = argv[1];
		times = strtol(argv[2], NULL, 10);
		path = argv[3];
	} else if (argc == 3) {
		mode = argv[1];
		path = argv[2];
	} else if (argc == 2) {
		path = argv[1];
	} else {
		fprintf(stderr, "usage: py-dump [--tree | --lines | --time N | --compile-time N] FILE\n");
		return 1;
	}
	if ((buf = py_dump_read(path, &len)) == NULL)
		return 1;
	if (!strcmp(mode, "--compile-time")) {
		double c0 = py_dump_now(CLOCK_PROCESS_CPUTIME_ID), w0 = py_dump_now(CLOCK_MONOTONIC);
		double n = (double)(times > 0 ? times : 1);
		int workers = 0, ops = 0;
		for (long i = 0; i < times; i++) {
			struct scenario *s = py_compile_buffer(path, buf, len, err, sizeof err);
			if (s == NULL) {
				fprintf(stderr, "%s\n", err);
				free(buf);
				return 2;
			}
			workers = scenario_worker_count(s);
			ops = 0;
			for (int g = 0; g < s->n_groups; g++)
				ops += s->groups[g].n_ops;
			scenario_free(s);
		}
		printf("cpu %.1f us, wall %.1f us, %d workers, %d ops\n",
		       (py_dump_now(CLOCK_PROCESS_CPUTIME_ID) - c0) / n,
		       (py_dump_now(CLOCK_MONOTONIC) - w0) / n, workers, ops);
		free(buf);
		return 0;
	}
	if (!strcmp(mode, "--time")) {
		double c0 = py_dump_now(CLOCK_PROCESS_CPUTIME_ID), w0 = py_dump_now(CLOCK_MONOTONIC);
		double n = (double)(times > 0 ? times : 1);
		size_t tree = 0;
		for (long i = 0; i < times; i++) {
			ast = py_parse_buffer(path, buf, len, err, sizeof err);
			tree = ast ? ast->bytes : 0;
			py_ast_free(ast);
		}
		printf("cpu %.1f us, wall %.1f us, tree %zu bytes\n",
		       (py_dump_now(CLOCK_PROCESS_CPUTIME_ID) - c0) / n,
		       (py_dump_now(CLOCK_MONOTONIC) - w0) / n, tree);
		free(buf);
		return 0;
	}
	ast = py_parse_buffer(path, buf, len, err, sizeof err);
	free(buf);
	if (ast == NULL) {
		fprintf(stderr, "%s\n", err);
		return 2;
	}
	if (!strcmp(mode, "--lines"))
		py_ast_lines(stdout, ast->root);
	else
		py_ast_dump(stdout, ast->root);
	py_ast_free(ast);
	return 0;
}
