/*
 * tui.c: the terminal's one owner: setting it up, the poll() loop, and
 * giving it back on every way out.
 *
 * The loop sleeps in one poll() on the engine's fds, stdin and the stop
 * self-pipe (signals.h), with a timeout only when something is due (the
 * engine's timer, the run timer): a paused lesson costs no CPU.  Each wake
 * drains every key (nodelay), lets the engine dispatch, and redraws once.
 *
 * Ways out: q/Esc, Ctrl-C/SIGTERM/SIGHUP (they arrive on signals_stop_fd
 * and we leave through the same teardown), a hung-up terminal, and a crash
 * (the fatal hook below puts the terminal back with async-signal-safe
 * calls; signals.c kills the workers).  engine_free on every normal path
 * leaves no worker behind.
 */
#include <errno.h>
#include <langinfo.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include "signals.h"
#include "tui_priv.h"

static struct termios saved_tio;
static volatile sig_atomic_t tty_armed;

/* What endwin() would send, for the terminal we have: built when the
 * screen opens, written from a signal handler. */
static char reset_seq[512];
static size_t reset_len;

/* Append terminfo capability cap (or fallback when the terminal has none,
 * or cap is NULL). */
static void reset_add(const char *cap, const char *fallback)
{
	char *v = cap ? tigetstr((char *)cap) : NULL;
	const char *s = v && v != (char *)-1 ? v : fallback;
	size_t n = strlen(s);
	if (reset_len + n < sizeof reset_seq) {
		memcpy(reset_seq + reset_len, s, n);
		reset_len += n;
	}
}

/* Stop mouse reports, reset attributes, leave keypad-transmit mode (or
 * arrows send ESC O A to the shell), leave the alternate screen, show the
 * cursor. */
static void reset_build(void)
{
	reset_len = 0;
	reset_add(NULL, "\033[?1000l\033[?1002l\033[?1006l");
	reset_add("sgr0", "\033[0m");
	reset_add("rmkx", "\033[?1l\033>");
	reset_add("rmcup", "\033[?1049l");
	reset_add("cnorm", "\033[?25h");
	reset_add(NULL, "\r\n");
}

/* Run from a fatal signal handler: only async-signal-safe calls.  Undo
 * what the screen did (reset_build) and put back the terminal modes we
 * found. */
static void restore_tty_async(void)
{
	if (!tty_armed)
		return;
	tty_armed = 0;
	tcsetattr(STDIN_FILENO, TCSANOW, &saved_tio);
	ssize_t r = write(STDOUT_FILENO, reset_seq, reset_len);
	(void)r;
}

static int is_utf8(void)
{
	const char *cs = nl_langinfo(CODESET);
	return cs && (strcmp(cs, "UTF-8") == 0 || strcmp(cs, "utf8") == 0);
}

static SCREEN *screen_open(void)
{
	SCREEN *scr = newterm(NULL, stdout, stdin);
	if (!scr)
		return NULL;
	set_term(scr);
	reset_build();
	tty_armed = 1;
	cbreak();          /* ISIG stays on: Ctrl-C is SIGINT, seen on the stop fd */
	noecho();
	nonl();
	keypad(stdscr, TRUE);
	nodelay(stdscr, TRUE);
	set_escdelay(25);
	curs_set(0);
	return scr;
}

static void screen_close(SCREEN *scr)
{
	endwin();
	tty_armed = 0;
	delscreen(scr);
}

/* The fds of one poll(): the engine's first, then stdin, the stop pipe
 * and the --watch notifications. */
#define MAX_FDS (SCENARIO_MAX_WORKERS + 16)

/* --watch: the file was saved.  Load it again; when it loads, start the
 * new lesson on the same page; when it does not, keep the one running and
 * say why in the status line, so the author fixes it and saves again. */
static void reload(struct tui *t)
{
	char err[1024], shown[1024];
	struct scenario *s = scenario_load(t->opt->watch, err, sizeof err);
	if (s && t->opt->workers &&
	    scenario_set_workers(s, t->opt->workers, err, sizeof err) < 0) {
		scenario_free(s);
		s = NULL;
	}
	if (!s) {
		tui_message(t, EL_ERROR, "%s", err);
		return;
	}
	int page = t->page;
	if (t->eng)
		engine_free(t->eng);
	t->eng = NULL;
	if (t->reloaded)
		scenario_free(t->reloaded);
	t->reloaded = s;
	if (tui_open(t, s) < 0)
		return;   /* tui_open said why */
	if (page < s->n_pages)
		t->page = page;
	scenario_escape(shown, sizeof shown, t->opt->watch);
	tui_message(t, EL_MSG, _("%s was saved: the lesson starts again from it"), shown);
}

static int loop(struct tui *t)
{
	struct pollfd *fds = calloc(MAX_FDS, sizeof *fds);
	if (!fds)
		return 1;
	int dirty = 1;
	signals_watch(1);
	while (!t->quit) {
		if (dirty)
			tui_draw(t);
		dirty = 0;
		int n = t->eng ? engine_pollfds(t->eng, fds, MAX_FDS - 3) : 0;
		if (n < 0)
			n = 0;
		int in_i = n, stop_i = n + 1, watch_i = n + 2;
		fds[in_i] = (struct pollfd){ .fd = STDIN_FILENO, .events = POLLIN };
		fds[stop_i] = (struct pollfd){ .fd = signals_stop_fd(), .events = POLLIN };
		fds[watch_i] = (struct pollfd){ .fd = t->watch ? watch_fd(t->watch) : -1,
		                                .events = POLLIN };
		/* Many runs (m): their run's fds too, so its reports wake us. */
		int runs_i = n + 3, rn = tui_runs_pollfds(t, fds + runs_i, MAX_FDS - runs_i);
		int timeout = t->eng ? engine_timeout_ms(t->eng) : -1;
		/* os: the clock and the sleep countdowns move by themselves. */
		if (t->eng && engine_view(t->eng)->schedule == SCHED_OS &&
		    engine_outcome(t->eng) == RUN_RUNNING && (timeout < 0 || timeout > 200))
			timeout = 200;
		int run = tui_timer_ms(t);
		if (run >= 0 && (timeout < 0 || run < timeout))
			timeout = run;
		run = tui_runs_timeout_ms(t);
		if (run >= 0 && (timeout < 0 || run < timeout))
			timeout = run;

		int r = poll(fds, (nfds_t)(n + 3 + rn), timeout);
		if (r < 0 && errno != EINTR)
			break;
		if (r < 0)   /* a signal (SIGWINCH, SIGCHLD): nothing is readable */
			for (int i = 0; i < n + 3 + rn; i++)
				fds[i].revents = 0;

		if (t->eng) {
			engine_dispatch(t->eng, fds, n);
			for (int i = 0; i < n && !dirty; i++)
				dirty = fds[i].revents != 0;
			if (r == 0)
				dirty = 1;
		}
		if (fds[stop_i].revents & POLLIN) {
			int sig = signals_take_stop();
			if (sig) {
				t->exit_status = 128 + sig;
				break;
			}
		}
		if ((fds[watch_i].revents & POLLIN) && watch_changed(t->watch)) {
			reload(t);
			dirty = 1;
		}
		if (fds[in_i].revents & (POLLHUP | POLLERR | POLLNVAL)) {
			t->exit_status = 1;    /* the terminal went away */
			break;
		}
		int ch;
		while (!t->quit && (ch = getch()) != ERR) {
			if (ch == KEY_RESIZE)
				dirty = 1;
			else if (tui_key(t, ch) & TUI_REDRAW)
				dirty = 1;
		}
		if (r < 0)
			dirty = 1;    /* SIGWINCH may have changed the size */
		if (t->running || t->replaying) {
			tui_tick(t);
			dirty = 1;
		}
		if (tui_runs_active(t)) {   /* a slice of the many runs */
			tui_runs_tick(t, fds + runs_i, rn);
			dirty = 1;
		}
		if (t->eng)
			tui_check_failed(t);
	}
	signals_watch(0);
	free(fds);
	return t->exit_status;
}

int tui_run(struct scenario *scenario, const struct tui_options *o)
{
	if (!isatty(STDIN_FILENO) || !isatty(STDOUT_FILENO)) {
		fprintf(stderr, "lockstep: %s\n", _("the interface needs a terminal on stdin and "
		        "stdout (use --headless to run without one)"));
		return 2;
	}
	static struct tui t;
	memset(&t, 0, sizeof t);
	t.opt = o;
	t.zh = o->lang && strcmp(o->lang, "zh") == 0;
	t.big = o->big;
	t.utf8 = is_utf8();

	if (tcgetattr(STDIN_FILENO, &saved_tio) < 0) {
		fprintf(stderr, _("lockstep: cannot read the terminal modes: %s\n"), strerror(errno));
		return 2;
	}
	if (o->watch && !(t.watch = watch_open(o->watch))) {
		char shown[1024];
		scenario_escape(shown, sizeof shown, o->watch);
		fprintf(stderr, _("lockstep: cannot watch %s: %s\n"), shown, strerror(errno));
		return 1;
	}
	signals_set_fatal_hook(restore_tty_async);
	SCREEN *scr = screen_open();
	if (!scr) {
		const char *term = getenv("TERM");
		fprintf(stderr, _("lockstep: cannot use the terminal (TERM=%s)\n"),
		        term ? term : "");
		return 2;
	}
	const char *nc = getenv("NO_COLOR");
	/* A projector needs contrast: --big takes the high-contrast scheme
	 * unless --theme names one. */
	tui_theme_init(o->theme ? o->theme : o->big ? "high-contrast" : NULL, !(nc && *nc));
	bkgdset(' ' | tui_attr(EL_NORMAL));
	t.mouse = mousemask(BUTTON1_CLICKED | BUTTON1_PRESSED
#ifdef BUTTON5_PRESSED
	                    | BUTTON4_PRESSED | BUTTON5_PRESSED
#endif
	                    , NULL) != 0;
	mouseinterval(0);

	char fatal[600] = "";
	if (scenario) {
		if (tui_open(&t, scenario) < 0)
			snprintf(fatal, sizeof fatal, "lockstep: %s\n", t.msg);
	} else {
		tui_menu_load(&t);
	}
	int status = fatal[0] ? 1 : loop(&t);
	tui_runs_free(&t);
	if (t.eng)
		engine_free(t.eng);
	t.eng = NULL;
	screen_close(scr);
	if (t.cat)
		catalog_free(t.cat, t.n_cat);
	if (t.reloaded)
		scenario_free(t.reloaded);
	watch_close(t.watch);
	fputs(fatal, stderr);
	if (t.failed)
		fprintf(stderr, "lockstep: %s\n", t.msg);
	return status;
}
