/*
 * signals.c: self-pipes for the poll() loop, and the fatal-signal path
 * (see signals.h).
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <string.h>
#include <unistd.h>

#include "engine.h"
#include "signals.h"

static int child_pipe[2] = { -1, -1 };
static int stop_pipe[2] = { -1, -1 };
static void (*volatile fatal_hook)(void);

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

static void on_stop(int sig)
{
	put(stop_pipe[1], sig);
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

int signals_take_stop(void)
{
	unsigned char c;
	if (stop_pipe[0] >= 0 && read(stop_pipe[0], &c, 1) == 1)
		return c;
	return 0;
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
