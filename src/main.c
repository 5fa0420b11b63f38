/*
 * main.c: options in, one of four things out: run the TUI, run headless,
 * check files, or list the bundled scenarios.
 */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <locale.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "catalog.h"
#include "engine.h"
#include "headless.h"
#include "explore.h"
#include "replay.h"
#include "runs.h"
#include "i18n.h"
#include "scenario.h"
#include "signals.h"
#include "scenario_dump.h"
#include "trace.h"
#include "tui.h"

#define EXIT_USAGE 2

/* --help, a part a msgid (an option and its lines), so that adding an
 * option adds one entry to translate.  "\n" is a blank line. */
static const char *const usage_parts[] = {
	N_("Usage: lockstep [OPTIONS] [SCENARIO | FOLDER]\n"
	   "       lockstep --check FILE|FOLDER...\n"
	   "       lockstep --list [FOLDER]\n"),
	"\n",
	N_("Teach multiprocessing with real processes: each worker of a scenario is a\n"
	   "forked process, each lock and semaphore a real process-shared primitive.\n"
	   "SCENARIO is a file or the name of a lesson (try --list): the bundled ones,\n"
	   "then those in $LOCKSTEP_PATH's folders and ~/.local/share/lockstep/scenarios.\n"
	   "Without one the terminal UI opens the lesson menu; with a FOLDER, the menu\n"
	   "of the lessons in it.\n"),
	N_("A FILE.py is a Python program: lockstep compiles it to a scenario\n"
	   "(docs/python.md).\n"),
	"\n",
	N_("  --headless          run to the end without the UI; print a trace and a summary\n"),
	N_("  --json              with --headless: one JSON object per line, the last a summary\n"),
	N_("  --schedule=NAME     os (the kernel interleaves), random (default), round-robin\n"),
	N_("  --seed=N            seed of the random schedule and random sleeps (default:\n"
	   "                      from the clock; the summary prints it)\n"),
	N_("  --switch=P          random: the chance (0 < P <= 1, default 1) that a step may\n"
	   "                      switch to another worker; lower keeps one running longer\n"),
	N_("  --speed=X           os: real sleep = sleep / X; UI: run speed (default 1)\n"),
	N_("  --timeout=SECONDS   stop after that long (outcome \"timeout\")\n"),
	N_("  --workers=N         run N workers instead of the scenario's count\n"),
	N_("  --lang=en|zh        the language of pages, interface, trace and messages\n"
	   "                      (default from the locale; JSON stays English)\n"),
	N_("  --big               UI, for a projector: the lesson's figures in large digits,\n"
	   "                      high contrast, nothing dim\n"),
	N_("  --theme=NAME        UI: default, high-contrast, colorblind, mono\n"),
	N_("  --check             validate the files given (a folder: each lesson in it)\n"),
	N_("  --list              list the lessons (a folder given: its lessons)\n"),
	N_("  -q, --quiet         with --headless: the summary only\n"),
	N_("  --watch             start the lesson again each time its file is saved\n"),
	N_("  --timeline          run headless and print a timeline: a row per worker, a\n"
	   "                      column per step (instead of a line per event)\n"),
	N_("  --svg=FILE          run headless and write the timeline to FILE as SVG\n"),
	N_("  --runs=N            run it N times (headless; controlled: seeds SEED, SEED+1...)\n"
	   "                      and print how the outcomes and final values spread\n"),
	N_("  --record=FILE       controlled schedules: write the run's choices to FILE, a\n"
	   "                      replay file (the UI's w key writes there)\n"),
	N_("  --replay=FILE       run the interleaving FILE lists (one worker a line), then\n"
	   "                      go on with the schedule; its header gives the scenario,\n"
	   "                      schedule, seed, switch and workers the command line\n"
	   "                      leaves out\n"),
	N_("  --explore[=STATES]  try every interleaving (up to STATES states, default 2000000):\n"
	   "                      every reachable outcome and final value, and the shortest\n"
	   "                      schedule to each outcome, replayed on real processes;\n"
	   "                      with --record, the shortest deadlock (else finish) is saved;\n"
	   "                      each goal of the lesson: reached or not, and how soonest\n"),
	N_("  --goal=ID           with --explore --record: save the shortest schedule to goal ID\n"),
	N_("  --full              with --explore: no partial-order reduction (slower)\n"),
	N_("  --dump              print the scenario file the file given loads to (a .py:\n"
	   "                      what lockstep compiled it to)\n"),
	N_("  --goals             with --headless: exit 3 unless the run meets every goal\n"
	   "                      of the lesson (the summary lists them either way)\n"),
	N_("  -h, --help          this text\n"),
	N_("  -V, --version       the version\n"),
	"\n",
	N_("Exit status: 0 the run happened (whatever its outcome) or the files are valid;\n"
	   "2 a usage or scenario error; 1 an internal error or a failed write;\n"
	   "3 with --goals, a goal not met; 128+N stopped by signal N (130 for Ctrl-C).\n"),
	N_("Examples:\n"
	   "  lockstep counter-unlocked\n"
	   "  lockstep --headless --seed=7 counter-unlocked\n"
	   "  lockstep --headless --schedule=os --workers=1000 counter-locked\n"),
};

enum { OPT_HEADLESS = 256, OPT_JSON, OPT_SCHEDULE, OPT_SEED, OPT_SPEED, OPT_TIMEOUT,
       OPT_WORKERS, OPT_LANG, OPT_BIG, OPT_THEME, OPT_CHECK, OPT_LIST, OPT_RUNS,
       OPT_SWITCH, OPT_WATCH, OPT_RECORD, OPT_REPLAY, OPT_TIMELINE, OPT_SVG,
       OPT_EXPLORE, OPT_FULL, OPT_DUMP, OPT_GOALS, OPT_GOAL };

static const struct option long_options[] = {
	{ "headless", no_argument, NULL, OPT_HEADLESS },
	{ "json", no_argument, NULL, OPT_JSON },
	{ "schedule", required_argument, NULL, OPT_SCHEDULE },
	{ "seed", required_argument, NULL, OPT_SEED },
	{ "switch", required_argument, NULL, OPT_SWITCH },
	{ "speed", required_argument, NULL, OPT_SPEED },
	{ "timeout", required_argument, NULL, OPT_TIMEOUT },
	{ "workers", required_argument, NULL, OPT_WORKERS },
	{ "lang", required_argument, NULL, OPT_LANG },
	{ "big", no_argument, NULL, OPT_BIG },
	{ "theme", required_argument, NULL, OPT_THEME },
	{ "check", no_argument, NULL, OPT_CHECK },
	{ "list", no_argument, NULL, OPT_LIST },
	{ "runs", required_argument, NULL, OPT_RUNS },
	{ "watch", no_argument, NULL, OPT_WATCH },
	{ "record", required_argument, NULL, OPT_RECORD },
	{ "replay", required_argument, NULL, OPT_REPLAY },
	{ "timeline", no_argument, NULL, OPT_TIMELINE },
	{ "svg", required_argument, NULL, OPT_SVG },
	{ "explore", optional_argument, NULL, OPT_EXPLORE },
	{ "full", no_argument, NULL, OPT_FULL },
	{ "dump", no_argument, NULL, OPT_DUMP },
	{ "goals", no_argument, NULL, OPT_GOALS },
	{ "goal", required_argument, NULL, OPT_GOAL },
	{ "quiet", no_argument, NULL, 'q' },
	{ "help", no_argument, NULL, 'h' },
	{ "version", no_argument, NULL, 'V' },
	{ NULL, 0, NULL, 0 },
};

struct cli {
	int headless, json, quiet, check, list, big, goals;
	int dump;           /* --dump */
	struct engine_options engine;
	int seed_given, schedule_given, switch_given;
	int workers;
	const char *record, *replay;   /* --record, --replay: NULL when not given */
	int timeline;       /* --timeline */
	const char *svg;    /* --svg=FILE, or NULL */
	long explore;       /* --explore: its budget of states, 0 when not given */
	int full;           /* --full */
	const char *goal;   /* --goal=ID: NULL when not given */
	long runs;          /* --runs: 0 when not given */
	int watch;          /* --watch: reload the file when it is saved */
	const char *lang;
	const char *theme;
};

/* The length of the UTF-8 sequence at p: 1 for ASCII, 2..4, or 0 when
 * the bytes there are not UTF-8 (overlong, surrogate, cut short). */
static int utf8_len(const unsigned char *p)
{
	int len = p[0] < 0x80 ? 1 : p[0] < 0xC2 ? 0 : p[0] < 0xE0 ? 2 : p[0] < 0xF0 ? 3 :
	          p[0] < 0xF5 ? 4 : 0;
	unsigned char lo = 0x80, hi = 0xBF;   /* the second byte's range */
	if (p[0] == 0xE0) lo = 0xA0;
	if (p[0] == 0xED) hi = 0x9F;
	if (p[0] == 0xF0) lo = 0x90;
	if (p[0] == 0xF4) hi = 0x8F;
	for (int i = 1; i < len; i++)
		if (p[i] < (i == 1 ? lo : 0x80) || p[i] > (i == 1 ? hi : 0xBF))
			return 0;
	return len;
}

/* Copy s into out (size n) so that no byte of it can act on a terminal:
 * C0 controls, DEL, C1 controls (U+0080..U+009F) and bytes that are not
 * UTF-8 become \n, \t or \xNN; everything else (UTF-8 text) stays. */
static void escape_text(const char *s, char *out, size_t n)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t o = 0;
	while (*p && o + 5 < n) {
		int len = utf8_len(p);
		if (len > 1 && !(p[0] == 0xC2 && p[1] < 0xA0)) {
			memcpy(out + o, p, (size_t)len);
			o += (size_t)len;
			p += len;
		} else if (len == 1 && *p >= 0x20 && *p != 0x7F) {
			out[o++] = (char)*p++;
		} else {
			o += (size_t)snprintf(out + o, n - o, *p == '\n' ? "\\n" :
			                      *p == '\t' ? "\\t" : "\\x%02x", *p);
			p++;
		}
	}
	out[o] = 0;
}

/* Print one line to stderr: prefix, the formatted message with anything a
 * terminal would act on escaped (an option's value, a file's name), suffix. */
__attribute__((format(printf, 3, 0)))
static void say(const char *prefix, const char *suffix, const char *fmt, va_list ap)
{
	char msg[1600], safe[4 * sizeof msg];
	vsnprintf(msg, sizeof msg, fmt, ap);
	escape_text(msg, safe, sizeof safe);
	fprintf(stderr, "%s%s%s\n", prefix, safe, suffix);
}

__attribute__((format(printf, 1, 2)))
static int usage_error(const char *fmt, ...)
{
	va_list ap;
	char suffix[256];
	snprintf(suffix, sizeof suffix, " %s", _("(see lockstep --help)"));
	va_start(ap, fmt);
	/* Every caller's format is a catalogue msgid (an xgettext keyword). */
	say("lockstep: ", suffix, gettext(fmt), ap);
	va_end(ap);
	return EXIT_USAGE;
}

/* A message that already says where: "FILE:LINE:COL: error: ...". */
__attribute__((format(printf, 1, 2)))
static void error_line(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	say("", "", fmt, ap);
	va_end(ap);
}

/* Numbers on the command line are plain decimal, nothing else: no sign,
 * no spaces, no hex, no exponent ("0x10", " 5", "1e3" are refused).  By
 * hand, so that the locale's decimal point does not matter. */
static int all_digits(const char *s, size_t len)
{
	if (len == 0)
		return 0;
	for (size_t i = 0; i < len; i++)
		if (s[i] < '0' || s[i] > '9')
			return 0;
	return 1;
}

static int parse_ull(const char *s, unsigned long long max, unsigned long long *out)
{
	unsigned long long v = 0;
	if (!all_digits(s, strlen(s)))
		return -1;
	for (; *s; s++) {
		unsigned d = (unsigned)(*s - '0');
		if (v > (max - d) / 10)
			return -1;
		v = v * 10 + d;
	}
	*out = v;
	return 0;
}

static int parse_long(const char *s, long lo, long hi, long *out)
{
	unsigned long long v;
	if (parse_ull(s, (unsigned long long)hi, &v) < 0 || (long)v < lo)
		return -1;
	*out = (long)v;
	return 0;
}

/* DIGITS, DIGITS.DIGITS, .DIGITS or DIGITS. in [lo, hi]. */
static int parse_double(const char *s, double lo, double hi, double *out)
{
	const char *dot = strchr(s, '.');
	size_t whole = dot ? (size_t)(dot - s) : strlen(s);
	size_t frac = dot ? strlen(dot + 1) : 0;
	if ((whole && !all_digits(s, whole)) || (frac && !all_digits(dot + 1, frac)) ||
	    whole + frac == 0 || whole > 12)
		return -1;
	double v = 0, scale = 1;
	for (size_t i = 0; i < whole; i++)
		v = v * 10 + (s[i] - '0');
	for (size_t i = 0; i < frac; i++) {
		scale /= 10;
		v += (dot[1 + i] - '0') * scale;
	}
	if (v < lo || v > hi)
		return -1;
	*out = v;
	return 0;
}

/* --switch: above 0, at most 1, and at most 6 decimals, so that the
 * replay line (trace_switch_text) says exactly the same number. */
static int parse_switch(const char *s, double *out)
{
	const char *dot = strchr(s, '.');
	if (dot && strlen(dot + 1) > 6)
		return -1;
	if (parse_double(s, 0, 1, out) < 0 || *out <= 0)
		return -1;
	return 0;
}

static int known_theme(const char *name)
{
	for (int i = 0; tui_theme_names[i]; i++)
		if (strcmp(tui_theme_names[i], name) == 0)
			return 1;
	return 0;
}

/* What getopt_long refused, in one line. */
static int bad_option(const char *arg)
{
	if (strncmp(arg, "--", 2) != 0)
		return usage_error("unknown option '-%c'", optopt ? optopt : '?');
	size_t len = strcspn(arg + 2, "=");
	for (const struct option *lo = long_options; optopt && lo->name; lo++)
		if (lo->val == optopt)
			return lo->has_arg == required_argument
			       ? usage_error("option '--%s' needs a value", lo->name)
			       : usage_error("option '--%s' takes no value", lo->name);
	return usage_error("unknown option '--%.*s'", (int)len, arg + 2);
}

static int parse_cli(int argc, char **argv, struct cli *c)
{
	int opt;
	long n;
	memset(c, 0, sizeof *c);
	opterr = 0;
	c->engine.schedule = SCHED_RANDOM;
	c->engine.speed = 1;
	c->engine.switch_p = 1;
	c->lang = i18n_lang();
	while ((opt = getopt_long(argc, argv, "qhV", long_options, NULL)) != -1) {
		switch (opt) {
		case OPT_HEADLESS: c->headless = 1; break;
		case OPT_JSON: c->json = 1; break;
		case 'q': c->quiet = 1; break;
		case OPT_BIG: c->big = 1; break;
		case OPT_CHECK: c->check = 1; break;
		case OPT_DUMP: c->dump = 1; break;
		case OPT_LIST: c->list = 1; break;
		case OPT_SCHEDULE:
			if (schedule_parse(optarg, &c->engine.schedule) < 0)
				return usage_error("--schedule: '%s' is not os, random or round-robin", optarg);
			c->schedule_given = 1;
			break;
		case OPT_RECORD:
			if (!*optarg)
				return usage_error(_("%s needs a file name"), "--record");
			c->record = optarg;
			break;
		case OPT_REPLAY:
			c->replay = optarg;
			break;
		case OPT_EXPLORE:
			c->explore = EXPLORE_DEFAULT_STATES;
			if (optarg && parse_long(optarg, 1, EXPLORE_MAX_STATES, &c->explore) < 0)
				return usage_error(_("--explore: '%s' is not a whole number from 1 to %ld"),
				                   optarg, EXPLORE_MAX_STATES);
			c->headless = 1;   /* a report, not a show */
			break;
		case OPT_FULL:
			c->full = 1;
			break;
		case OPT_GOAL:
			c->goal = optarg;
			break;
		case OPT_GOALS:
			c->goals = 1;
			break;
		case OPT_SEED: {
			unsigned long long v;
			if (parse_ull(optarg, ULLONG_MAX, &v) < 0)
				return usage_error("--seed: '%s' is not a whole number from 0 to %llu",
				                   optarg, ULLONG_MAX);
			c->engine.seed = v;
			c->seed_given = 1;
			break;
		}
		case OPT_SWITCH:
			if (parse_switch(optarg, &c->engine.switch_p) < 0)
				return usage_error(_("--switch: '%s' is not a number above 0 and at most 1, "
				                     "with up to 6 decimals"), optarg);
			c->switch_given = 1;
			break;
		case OPT_SPEED:
			if (parse_double(optarg, 0.01, 1000, &c->engine.speed) < 0)
				return usage_error("--speed: '%s' is not a number from 0.01 to 1000", optarg);
			break;
		case OPT_TIMEOUT:
			if (parse_double(optarg, 0.001, 86400, &c->engine.timeout_s) < 0)
				return usage_error("--timeout: '%s' is not a number of seconds from 0.001 to 86400", optarg);
			break;
		case OPT_WORKERS:
			if (parse_long(optarg, 1, SCENARIO_MAX_WORKERS, &n) < 0)
				return usage_error("--workers: '%s' is not a whole number from 1 to %d",
				                   optarg, SCENARIO_MAX_WORKERS);
			c->workers = (int)n;
			break;
		case OPT_TIMELINE:
			c->timeline = c->headless = 1;   /* a picture of one run, printed */
			break;
		case OPT_SVG:
			if (!*optarg)
				return usage_error(_("%s needs a file name"), "--svg");
			c->svg = optarg;
			c->headless = 1;
			break;
		case OPT_WATCH:
			c->watch = 1;
			break;
		case OPT_RUNS:
			if (parse_long(optarg, 1, RUNS_MAX, &c->runs) < 0)
				return usage_error("--runs: '%s' is not a whole number from 1 to %d",
				                   optarg, RUNS_MAX);
			c->headless = 1;   /* many runs are a table, not a show */
			break;
		case OPT_LANG:
			if (strcmp(optarg, "en") && strcmp(optarg, "zh"))
				return usage_error("--lang: '%s' is not en or zh", optarg);
			c->lang = i18n_init(optarg);   /* later messages too */
			break;
		case OPT_THEME:
			if (!known_theme(optarg))
				return usage_error("--theme: no theme named '%s' (default, high-contrast, colorblind, mono)", optarg);
			c->theme = optarg;
			break;
		case 'h':
			for (size_t i = 0; i < sizeof usage_parts / sizeof usage_parts[0]; i++)
				fputs(_(usage_parts[i]), stdout);
			return -1;
		case 'V':
			printf("lockstep %s\n", PACKAGE_VERSION);
			return -1;
		default:
			/* getopt's own messages would add a second line: one
			 * line says what is wrong, as for every bad input. */
			return bad_option(argv[optind - 1]);
		}
	}
	if (c->json && !c->headless)
		return usage_error("%s goes with --headless", "--json");
	if (c->goal && (!c->explore || !c->record))
		return usage_error(_("%s goes with --explore --record"), "--goal");
	if (c->full && !c->explore)
		return usage_error(_("%s goes with --explore"), "--full");
	if (c->explore && (c->runs || c->replay || c->timeline || c->svg))
		return usage_error(_("%s does not go with --explore"),
		                   c->runs ? "--runs" : c->replay ? "--replay"
		                   : c->timeline ? "--timeline" : "--svg");
	if (c->goals && (!c->headless || c->runs || c->explore))
		return usage_error(_("%s goes with --headless (one run)"), "--goals");
	if (c->runs && (c->record || c->replay || c->timeline || c->svg))
		return usage_error(_("%s is one run: it does not go with --runs"),
		                   c->record ? "--record" : c->replay ? "--replay"
		                   : c->timeline ? "--timeline" : "--svg");
	if (c->json && c->timeline)
		return usage_error(_("%s prints text: it does not go with %s"), "--timeline", "--json");
	return 0;
}

/* Seed from the clock when neither the command line nor a replay file
 * gave one. */
static void pick_seed(struct cli *c)
{
	if (!c->seed_given) {
		struct timespec t;
		clock_gettime(CLOCK_REALTIME, &t);
		c->engine.seed = ((unsigned long long)t.tv_nsec ^ (unsigned long long)getpid()) % 1000000;
	}
}

/* Is ARG a folder (of lessons)?  Never opens it. */
static int is_folder(const char *arg)
{
	struct stat st;
	return stat(arg, &st) == 0 && S_ISDIR(st.st_mode);
}

/* Check one file; a bad one sets *bad, an environment failure *env. */
static void check_one(const char *path, int *bad, int *env);

/* --check on a folder: every lesson file in it, in name order. */
static void check_folder(const char *dir, int *bad, int *env)
{
	struct dirent **names;
	int n = scandir(dir, &names, NULL, alphasort);
	if (n < 0) {
		char shown[1024];
		scenario_escape(shown, sizeof shown, dir);
		error_line(_("%s:1:1: error: cannot read the folder: %s"), shown, strerror(errno));
		*bad = 1;
		return;
	}
	for (int i = 0; i < n; i++) {
		char path[PATH_MAX + 256];
		snprintf(path, sizeof path, "%s/%s", dir, names[i]->d_name);
		if (catalog_is_lesson(names[i]->d_name) && !trace_stdout_check())
			check_one(path, bad, env);
		free(names[i]);
	}
	free(names);
}

static int check_files(int argc, char **argv)
{
	int bad = 0, env = 0;
	if (argc == 0)
		return usage_error("%s needs at least one file", "--check");
	for (int i = 0; i < argc && !trace_stdout_check(); i++) {
		char rerr[1024];
		if (is_folder(argv[i])) {
			check_folder(argv[i], &bad, &env);
			continue;
		}
		char *path = catalog_resolve(argv[i], rerr, sizeof rerr);
		if (!path) {
			error_line("%s", rerr);
			bad = 1;
			continue;
		}
		check_one(path, &bad, &env);
		free(path);
	}
	return env ? 1 : bad ? EXIT_USAGE : 0;
}

static void check_one(const char *path, int *bad, int *env)
{
	char err[1024], shown[1024];
	struct scenario *s = scenario_load(path, err, sizeof err);
	if (s) {
		scenario_escape(shown, sizeof shown, path);   /* one line, always */
		printf(_("%s: ok (%s: %d workers, %d objects)\n"), shown, s->id,
		       scenario_worker_count(s), s->n_objects);
		scenario_free(s);
	} else if (errno != 0) {
		/* Out of descriptors or memory: not the file's fault. */
		error_line("lockstep: %s", err);
		*env = 1;
	} else {
		error_line("%s", err);
		*bad = 1;
	}
}

static int list_scenarios(const char *lang)
{
	struct catalog_entry *list;
	char err[512];
	int n = catalog_list(&list, err, sizeof err);
	if (n < 0) {
		error_line("lockstep: %s", err);
		return 1;
	}
	const char *section = NULL;
	for (int i = 0; i < n && !trace_stdout_check(); i++) {
		const struct scenario *s = list[i].scenario;
		const char *title = strcmp(lang, "zh") == 0 && s->title.zh ? s->title.zh : s->title.en;
		/* The lesson's order, under the lesson's section headings. */
		if (s->section && (!section || strcmp(section, s->section) != 0)) {
			section = s->section;
			printf("%s%s\n", i ? "\n" : "", section);
		} else if (!s->section && i && section) {
			/* A lesson of no section is not one of the last section's. */
			section = NULL;
			printf("\n%s\n", _("other lessons"));
		}
		printf("  %-20s %s\n", s->id, title ? title : "");
	}
	catalog_free(list, n);
	return 0;
}

static struct scenario *load_arg(const char *arg, int workers, int *status)
{
	char err[1024];
	char *path = catalog_resolve(arg, err, sizeof err);
	if (!path) {
		error_line("%s", err);
		*status = EXIT_USAGE;
		return NULL;
	}
	struct scenario *s = scenario_load(path, err, sizeof err);
	int env = s ? 0 : errno;
	free(path);
	if (!s) {
		/* errno != 0: out of descriptors or memory, not a bad file. */
		if (env)
			error_line("lockstep: %s", err);
		else
			error_line("%s", err);
		*status = env ? 1 : EXIT_USAGE;
		return NULL;
	}
	if (workers && scenario_set_workers(s, workers, err, sizeof err) < 0) {
		error_line("lockstep: %s", err);
		scenario_free(s);
		*status = EXIT_USAGE;
		return NULL;
	}
	return s;
}

/* --replay: read the file, and take from its header what the command
 * line left out (the scenario in *arg, the schedule, seed and workers). */
static int open_replay(struct cli *c, struct replay *r, const char **arg)
{
	char err[1024];
	if (replay_read(c->replay, r, err, sizeof err) < 0) {
		if (errno)
			error_line("lockstep: %s", err);
		else
			error_line("%s", err);
		return errno ? 1 : EXIT_USAGE;
	}
	if (!*arg && r->scenario[0])
		*arg = r->scenario;
	if (!c->schedule_given && r->has_schedule)
		c->engine.schedule = r->schedule;
	if (!c->seed_given && r->has_seed) {
		c->engine.seed = r->seed;
		c->seed_given = 1;
	}
	if (!c->workers && r->workers)
		c->workers = r->workers;
	if (!c->switch_given && r->has_switch)
		c->engine.switch_p = r->switch_p;
	return 0;
}

/* The run the options ask for, once the scenario is loaded. */
static int run_loaded(struct cli *c, struct scenario *s, const char *arg,
                      const struct replay *r)
{
	char err[1024];
	if (r && replay_resolve((struct replay *)r, s, err, sizeof err) < 0) {
		error_line("%s", err);
		return errno ? 1 : EXIT_USAGE;
	}
	if (r) {
		c->engine.plan = r->plan;
		c->engine.plan_len = r->n;
		c->engine.plan_file = c->replay;
	}
	if (c->explore) {
		int goal = -1;
		for (int g = 0; c->goal && g < s->n_goals; g++)
			if (strcmp(s->goals[g].id, c->goal) == 0)
				goal = g;
		if (c->goal && goal < 0)
			return usage_error(_("--goal: %s has no goal '%s'"), s->id, c->goal);
		struct explore_options xo = {
			.engine = c->engine, .max_states = c->explore, .json = c->json,
			.full = c->full, .record = c->record, .goal = goal,
			.header = { .scenario = arg, .schedule = c->engine.schedule,
			            .seed = c->engine.seed, .workers = c->workers,
			            .switch_p = c->engine.switch_p },
		};
		return explore_run(s, &xo);
	}
	if (c->runs) {
		struct runs_options ro = { .engine = c->engine, .runs = c->runs, .json = c->json };
		return runs_run(s, &ro);
	}
	if (c->headless) {
		struct headless_options h = {
			.engine = c->engine, .json = c->json, .quiet = c->quiet,
			.replay = r, .record = c->record, .goals = c->goals,
			.timeline = c->timeline, .svg = c->svg,
			.header = { .scenario = arg, .schedule = c->engine.schedule,
			            .seed = c->engine.seed, .workers = c->workers,
			            .switch_p = c->engine.switch_p },
		};
		return headless_run(s, &h);
	}
	struct tui_options t = { .engine = c->engine, .workers = c->workers, .lang = c->lang,
	                         .big = c->big, .theme = c->theme, .record = c->record,
	                         .scenario_arg = arg, .watch = c->watch ? s->path : NULL };
	return tui_run(s, &t);
}

/* --dump FILE: the scenario it loads (a .py file: what the compiler
 * made) as a scenario file on stdout. */
static int dump_file(const struct cli *c, int argc, char **argv)
{
	int status = 0;
	if (argc != 1)
		return usage_error("%s needs one file", "--dump");
	struct scenario *s = load_arg(argv[0], c->workers, &status);
	if (s == NULL)
		return status;
	if (scenario_dump(stdout, s) < 0)
		status = trace_output_failed(errno ? errno : EIO);
	scenario_free(s);
	return status;
}

/* What the program does, once the options are read: its exit status. */
static int run(struct cli *c, int argc, char **argv)
{
	int status = 0;
	if (c->check)
		return check_files(argc, argv);
	if (c->dump)
		return dump_file(c, argc, argv);
	if (argc == 1 && is_folder(argv[0]) && !c->check) {
		/* A teacher's folder of lessons: its menu, its list. */
		if (c->headless || c->runs)
			return usage_error("'%s' is a folder of lessons: name one of its files",
			                   argv[0]);
		catalog_only(argv[0]);
		argc = 0;
	}
	if (c->list && argc > 0)
		return usage_error("--list takes a folder of lessons, not '%s'", argv[0]);
	if (c->list)
		return list_scenarios(c->lang);
	if (argc > 1)
		return usage_error("one scenario at a time (got '%s' too)", argv[1]);
	const char *arg = argc == 1 ? argv[0] : NULL;
	struct replay r;
	memset(&r, 0, sizeof r);
	if (c->replay && (status = open_replay(c, &r, &arg)) != 0) {
		replay_free(&r);
		return status;
	}
	pick_seed(c);
	if (c->replay && !arg)
		status = usage_error(_("%s needs a scenario: name one, or a '# scenario:' line in the file"),
		                     "--replay");
	else if (c->headless && !arg)
		status = usage_error("%s needs a scenario: a file, or a name from lockstep --list",
		                     "--headless");
	else if (c->watch && (!arg || c->headless || c->runs))
		status = usage_error("%s goes with a lesson file shown in the interface", "--watch");
	else if ((c->record || c->replay) && c->engine.schedule == SCHED_OS)
		status = usage_error(_("%s: the os schedule cannot be recorded or replayed: the kernel decides"),
		                     c->record ? "--record" : "--replay");
	struct scenario *s = NULL;
	if (status == 0 && arg && !(s = load_arg(arg, c->workers, &status))) {
		replay_free(&r);
		return status;
	}
	if (status == 0)
		status = run_loaded(c, s, arg, c->replay ? &r : NULL);
	scenario_free(s);
	replay_free(&r);
	return status;
}

int main(int argc, char **argv)
{
	struct cli c;
	i18n_init(NULL);          /* before any message: usage errors too */
	/* First: from here on a stop signal ends the program in every phase
	 * (signals.h). */
	if (signals_install() < 0) {
		fprintf(stderr, _("lockstep: cannot set up the signal handlers: %s\n"),
		        strerror(errno));
		return 1;
	}
	int status = parse_cli(argc, argv, &c);
	if (status > 0)
		return status;
	if (status == 0)
		status = run(&c, argc - optind, argv + optind);
	else
		status = 0;   /* --help, --version: printed */
	/* Whatever was printed must have reached its reader (a full disk, a
	 * closed pipe); the engine and its workers are gone by now. */
	int err = trace_stdout_flush();
	if (err)
		status = trace_output_failed(err);
	signals_exit_if_stopped();
	return status;
}
