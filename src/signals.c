/*
 * signals.c: self-pipes for the poll() loop, and the fatal-signal path
 * (see signals.h).
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

#include "engine.h"
#include "signals.h"

static int child_pipe[2] = { -1, -1 };
static int stop_pipe[2] = { -1, -1 };
static void (*volatile fatal_hook)(void);
static volatile sig_atomic_t watching;  /* a poll() loop reads stop_pipe */
static int taken;                       /* the stop signal a loop took */
static pid_t owner;                     /* the process that installed us */

static void put(int fd, int sig)
{
	int saved = errno;
	unsigned char c = (unsigned char)sig;
	/* Non-blocking: when the pipe is full, a wake-up is pending anyway. */
	ssize_t n = write(fd, &c, 1);
	(void)n;
	errno = saved;
}

static void on_child(int sig)
{
	put(child_pipe[1], sig);
}

/* Die of sig itself, as if we had never caught it, so that a shell sees
 * 128 + sig (and a script looping over lockstep stops on Ctrl-C).  A stop
 * is not a crash: SIGQUIT leaves no core file.  Async-signal-safe. */
void signals_die_of(int sig)
{
	if (sig == SIGQUIT) {
		struct rlimit none = { 0, 0 };
		setrlimit(RLIMIT_CORE, &none);
	}
	signal(sig, SIG_DFL);
	sigset_t set;
	sigemptyset(&set);
	sigaddset(&set, sig);
	sigprocmask(SIG_UNBLOCK, &set, NULL);
	raise(sig);
	_exit(128 + sig);
}

/* Outside a poll() loop nobody would read the pipe: put the terminal
 * back, kill every worker, and die at once.  A child between fork() and
 * resetting its handlers only dies (the workers are not its to kill). */
static void on_stop(int sig)
{
	if (getpid() != owner)
		signals_die_of(sig);
	if (watching) {
		put(stop_pipe[1], sig);
		return;
	}
	if (fatal_hook)
		fatal_hook();
	engine_kill_all_async();
	signals_die_of(sig);
}

static void on_fatal(int sig)
{
	if (fatal_hook)
		fatal_hook();
	engine_kill_all_async();
	signal(sig, SIG_DFL);
	raise(sig);
}

static int make_pipe(int p[2])
{
	if (pipe2(p, O_CLOEXEC | O_NONBLOCK) < 0)
		return -1;
	return 0;
}

int signals_install(void)
{
	if (child_pipe[0] >= 0)
		return 0;
	if (make_pipe(child_pipe) < 0 || make_pipe(stop_pipe) < 0)
		return -1;
	owner = getpid();

	struct sigaction sa;
	memset(&sa, 0, sizeof sa);
	sigemptyset(&sa.sa_mask);
	sa.sa_flags = SA_RESTART | SA_NOCLDSTOP;
	sa.sa_handler = on_child;
	if (sigaction(SIGCHLD, &sa, NULL) < 0)
		return -1;

	sa.sa_flags = SA_RESTART;
	sa.sa_handler = on_stop;
	const int stops[] = { SIGINT, SIGTERM, SIGHUP, SIGQUIT };
	for (size_t i = 0; i < sizeof stops / sizeof *stops; i++)
		if (sigaction(stops[i], &sa, NULL) < 0)
			return -1;

	sa.sa_flags = SA_RESETHAND | SA_NODEFER;
	sa.sa_handler = on_fatal;
	const int fatals[] = { SIGSEGV, SIGBUS, SIGFPE, SIGILL, SIGABRT };
	for (size_t i = 0; i < sizeof fatals / sizeof *fatals; i++)
		if (sigaction(fatals[i], &sa, NULL) < 0)
			return -1;

	/* A closed stdout (lockstep --headless | head) is an error to
	 * notice, not a death that leaves the run half printed. */
	signal(SIGPIPE, SIG_IGN);
	return 0;
}

int signals_child_fd(void)
{
	return child_pipe[0];
}

int signals_stop_fd(void)
{
	return stop_pipe[0];
}

void signals_watch(int on)
{
	watching = on;
}

void signals_wake_stop(void)
{
	put(stop_pipe[1], 0);
}

int signals_take_stop(void)
{
	unsigned char c;
	/* Zero bytes are wake-ups (signals_wake_stop), not signals. */
	while (!taken && stop_pipe[0] >= 0 && read(stop_pipe[0], &c, 1) == 1)
		taken = c;
	return taken;
}

void signals_exit_if_stopped(void)
{
	int sig = signals_take_stop();
	if (sig)
		signals_die_of(sig);
}

void signals_drain_child(void)
{
	unsigned char buf[64];
	if (child_pipe[0] < 0)
		return;
	while (read(child_pipe[0], buf, sizeof buf) > 0)
		;
}

void signals_set_fatal_hook(void (*hook)(void))
{
	fatal_hook = hook;
}
