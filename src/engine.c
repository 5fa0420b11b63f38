/*
 * engine.c: the controller's life cycle: fork the workers (and the
 * manager), read their reports, reap them, kill them; the poll interface
 * for the UI and the headless run loop (see engine.h for the contract,
 * engine_priv.h for how the controller is split).
 */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include "i18n.h"
#include "engine_priv.h"
#include "manager.h"
#include "signals.h"

/* ---- the registry the fatal-signal path kills from ---------------------- */

#define REGISTRY_SIZE 16
static volatile pid_t registry[REGISTRY_SIZE];

static void registry_add(struct engine *e)
{
	for (int i = 0; i < REGISTRY_SIZE; i++)
		if (registry[i] == 0) {
			registry[i] = e->pgid;
			e->registry_slot = i;
			return;
		}
	e->registry_slot = -1;
}

static void registry_remove(struct engine *e)
{
	if (e->registry_slot >= 0)
		registry[e->registry_slot] = 0;
	e->registry_slot = -1;
}

void engine_kill_all_async(void)
{
	for (int i = 0; i < REGISTRY_SIZE; i++)
		if (registry[i] > 0)
			kill(-registry[i], SIGKILL);
}

/* ---- names ---------------------------------------------------------------- */

static const char *const state_names[WS_COUNT] = {
	"ready", "running", "blocked", "sleeping", "done", "killed"
};
static const char *const event_names[EV_COUNT] = {
	"start", "wait", "acquired", "recovered", "released", "load", "store",
	"add", "sleep", "wake", "print", "error", "exit", "killed", "deadlock",
	"timeout", "set", "clear", "passed", "notify", "put", "get", "register",
	"jump", "request"
};
static const char *const outcome_names[] = {
	"running", "finished", "deadlock", "timeout", "stopped"
};

const char *worker_state_name(enum worker_state s) { return s < WS_COUNT ? state_names[s] : "?"; }
const char *event_kind_name(enum event_kind k) { return k < EV_COUNT ? event_names[k] : "?"; }
const char *outcome_name(enum run_outcome o) { return o <= RUN_STOPPED ? outcome_names[o] : "?"; }

void engine_set_err(struct engine *e, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	/* Every caller's format is a catalogue msgid (an xgettext keyword). */
	if (e->err && e->errlen)
		vsnprintf(e->err, e->errlen, gettext(fmt), ap);
	va_end(ap);
}

const char *engine_exit_reason(int code)
{
	switch (code) {
	case WORKER_EXIT_OP_FAILED: return N_("an op failed");
	case WORKER_EXIT_REPORT: return N_("could not report to the controller");
	case WORKER_EXIT_GATE: return N_("could not wait at its gate");
	case WORKER_EXIT_ORPHAN: return N_("found the controller gone as it started");
	case WORKER_EXIT_FDS: return N_("could not set up its descriptors");
	case WORKER_EXIT_MEMORY: return N_("ran out of memory as it started");
	case WORKER_EXIT_POLL: return N_("could not wait for requests");
	case WORKER_EXIT_CRASH: return N_("survived its own crash");
	default: return NULL;
	}
}

void engine_fail(struct engine *e, const char *fmt, ...)
{
	if (!e->failed) {
		va_list ap;
		va_start(ap, fmt);
		vsnprintf(e->failure, sizeof e->failure, gettext(fmt), ap);
		va_end(ap);
		e->failed = 1;
	}
	e->pic.view.outcome = RUN_STOPPED;
}

const char *engine_error(const struct engine *e)
{
	if (e->failed)
		return e->failure;
	return e->pic.failed ? "out of memory for the event log" : NULL;
}

void engine_set_stop_fd(struct engine *e, int fd)
{
	e->stop_fd = fd;
}

void engine_check_setup(struct engine *e, int w, int status)
{
	if (!WIFEXITED(status) || WEXITSTATUS(status) < WORKER_EXIT_SETUP_FIRST ||
	    WEXITSTATUS(status) > WORKER_EXIT_SETUP_LAST)
		return;
	int code = WEXITSTATUS(status);
	if (w >= 0)
		engine_fail(e, "worker %s %s (exit status %d): the run cannot go on",
		            e->wv[w].name, gettext(engine_exit_reason(code)), code);
	else
		engine_fail(e, "the manager process %s (exit status %d): the run cannot go on",
		            gettext(engine_exit_reason(code)), code);
}



/* ---- reading the event pipe -------------------------------------------- */

/* What the engine itself does about a report, before the picture has it:
 * an exit or an error means a process to reap; a recovery in the os
 * schedule may come before the dead owner is reaped: reap it now, so its
 * death comes first in the trace.  A worker killed already says nothing
 * that matters here. */
static void before_report(struct engine *e, const struct wire_event *we)
{
	int w = we->worker;
	if (we->kind == EV_REQUEST || w < 0 || w >= e->n_workers || e->wv[w].state == WS_KILLED)
		return;
	if (we->kind == EV_EXIT)
		e->exiting[e->n_exiting++] = w;
	else if (we->kind == EV_ERROR)
		e->error_worker = w;   /* it exits next: see settle_exit() */
	int obj = we->object;
	if (obj < 0 || obj >= e->s->n_objects)
		return;
	if (we->kind == EV_RECOVERED && e->ov[obj].owner >= 0 && e->ov[obj].owner != w)
		engine_reap_worker(e, e->ov[obj].owner, 0);
	/* os: reports of different workers come out of order, so the value
	 * shown is the one in shared memory now (the manager's objects: what
	 * its requests, in the order it served them, left). */
	if (!engine_controlled(e) && (we->kind == EV_STORE || we->kind == EV_ADD) &&
	    !kind_is(e->s->objects[obj].kind, KF_MANAGED) && we->elem < SCENARIO_MAX_ELEMS)
		picture_observe(&e->pic, obj, we->elem, e->arena->objects[obj].elems[we->elem]);
}

/* Apply every complete report in the buffer.  `*done_who` is set when the
 * step of worker `who` is complete. */
static void parse_reports(struct engine *e, int who, int *done_who)
{
	size_t off = 0;
	while (e->rlen - off >= sizeof(struct wire_event)) {
		struct wire_event we;
		memcpy(&we, e->rbuf + off, sizeof we);
		size_t need = sizeof we + we.text_len;
		if (e->rlen - off < need)
			break;
		before_report(e, &we);
		engine_tick(e);
		picture_apply(&e->pic, &we, we.text_len ? e->rbuf + off + sizeof we : NULL);
		off += need;
		/* A controlled step is one write (worker.h), so its reports
		 * arrive together: the first one from `who` completes it. */
		if (who >= 0 && we.worker == who && we.kind != EV_REQUEST && done_who)
			*done_who = 1;
	}
	memmove(e->rbuf, e->rbuf + off, e->rlen - off);
	e->rlen -= off;
}

/* Read what the pipe holds now (it is non-blocking), and no more: with
 * workers that write as fast as we read (prints in a loop, os schedule),
 * "until it is empty" would never end, and the caller would never look at
 * the stop pipe or the deadline again.  What was written before the call
 * (a dead worker's last words) is all read. */
void engine_drain_pipe(struct engine *e, int who, int *done_who)
{
	int avail = 0;
	if (ioctl(e->ev_rd, FIONREAD, &avail) < 0 || avail < 1)
		avail = 1;
	size_t got = 0;
	for (;;) {
		ssize_t n = read(e->ev_rd, e->rbuf + e->rlen, sizeof e->rbuf - e->rlen);
		if (n > 0) {
			size_t room = sizeof e->rbuf - e->rlen;
			e->rlen += (size_t)n;
			got += (size_t)n;
			parse_reports(e, who, done_who);
			/* A short read emptied the pipe: another read would only
			 * say EAGAIN.  poll() tells when there is more. */
			if ((size_t)n < room || got >= (size_t)avail)
				return;
			continue;
		}
		if (n < 0 && errno == EINTR)
			continue;
		if (n == 0)   /* every writer is gone: POLLHUP for ever after */
			e->ev_eof = 1;
		return;   /* EAGAIN, or EOF once every worker is gone */
	}
}

static int find_worker(const struct engine *e, pid_t pid)
{
	for (int w = 0; w < e->n_workers; w++)
		if (e->wv[w].pid == pid)
			return w;
	return -1;
}

void engine_reaped(struct engine *e, int w, int status, int who, int *done_who)
{
	e->live--;
	e->reaped[w] = 1;
	engine_tick(e);
	picture_died(&e->pic, w, status);
	engine_check_setup(e, w, status);
	if (w == who && done_who)
		*done_who = 1;
}

void engine_reap_worker(struct engine *e, int w, int wait)
{
	int st;
	pid_t got;
	if (e->dying == w) {   /* killed and reaped, its death not recorded yet */
		e->dying = -1;
		engine_reaped(e, w, e->dying_status, -1, NULL);
		return;
	}
	while ((got = waitpid(e->wv[w].pid, &st, wait ? 0 : WNOHANG)) < 0 && errno == EINTR)
		;
	if (got != e->wv[w].pid)
		return;   /* still running, or reaped already */
	for (int k = 0; k < e->n_exiting; k++)
		if (e->exiting[k] == w)
			e->exiting[k] = e->exiting[--e->n_exiting];
	engine_reaped(e, w, st, -1, NULL);
}

/* Reap every child of the run that has ended: those that said EV_EXIT
 * by pid, then a walk over the whole group, every time, so that a death
 * nobody announced (a SIGKILL from outside) is noticed at the SIGCHLD
 * that told of it: the self-pipe byte is drained first, so a death after
 * the walk writes a new one.  A worker writes its last reports before it
 * exits, so the pipe is drained before judging how one ended. */
void engine_reap(struct engine *e, int who, int *done_who)
{
	if (e->live <= 0)
		return;
	signals_drain_child();
	for (int i = 0; i < e->n_exiting; ) {
		int w = e->exiting[i], st;
		if (waitpid(e->wv[w].pid, &st, WNOHANG) == e->wv[w].pid) {
			e->exiting[i] = e->exiting[--e->n_exiting];
			engine_reaped(e, w, st, who, done_who);
		} else {
			i++;
		}
	}
	pid_t pids[64];
	int status[64];
	for (;;) {
		int n = 0;
		pid_t pid;
		int st;
		while (n < 64 && (pid = waitpid(-e->pgid, &st, WNOHANG)) > 0) {
			pids[n] = pid;
			status[n++] = st;
		}
		if (n == 0)
			return;
		engine_drain_pipe(e, who, done_who);
		for (int i = 0; i < n; i++) {
			int w = find_worker(e, pids[i]);
			if (w < 0) {
				if (pids[i] == e->pic.view.manager_pid) {
					e->live--;
					e->pic.view.manager_alive = 0;
					engine_check_setup(e, -1, status[i]);
				}
				continue;
			}
			for (int k = 0; k < e->n_exiting; k++)
				if (e->exiting[k] == w)
					e->exiting[k] = e->exiting[--e->n_exiting];
			engine_reaped(e, w, status[i], who, done_who);
		}
	}
}

/* ---- life cycle ------------------------------------------------------------ */

struct engine *engine_new(const struct scenario *s, const struct engine_options *o,
                          char *err, size_t errlen)
{
	struct engine *e = calloc(1, sizeof *e);
	if (!e) {
		snprintf(err, errlen, _("out of memory"));
		return NULL;
	}
	e->s = s;
	e->o = *o;
	if (e->o.speed <= 0)
		e->o.speed = 1;
	if (!(e->o.switch_p > 0 && e->o.switch_p <= 1))
		e->o.switch_p = 1;
	e->err = err;
	e->errlen = errlen;
	e->ev_rd = e->ev_wr = e->devnull = -1;
	e->registry_slot = -1;
	e->stop_fd = -1;
	e->reach = LONG_MAX;
	e->dying = -1;
	e->n_workers = scenario_worker_count(s);
	int n = e->n_workers;
	int pic = picture_init(&e->pic, s, &e->o);
	e->wv = e->pic.wv;
	e->ov = e->pic.ov;
	e->exiting = calloc((size_t)n, sizeof(int));
	e->reaped = calloc((size_t)n, 1);
	e->pipe_fds = calloc(2 * SCENARIO_MAX_OBJECTS, sizeof(int));
	if (pic < 0 || !e->exiting || !e->reaped || !e->pipe_fds) {
		snprintf(err, errlen, _("out of memory for %d workers"), n);
		engine_free(e);
		return NULL;
	}
	return e;
}

static int open_channels(struct engine *e)
{
	int p[2];
	if (pipe2(p, O_CLOEXEC) < 0) {
		engine_set_err(e, "cannot make the event pipe: %s", strerror(errno));
		return -1;
	}
	e->ev_rd = p[0];
	e->ev_wr = p[1];
	e->ev_eof = 0;
	fcntl(e->ev_rd, F_SETFL, O_NONBLOCK);
	/* A larger pipe lets 1000 workers report without waiting for us. */
	fcntl(e->ev_wr, F_SETPIPE_SZ, 1 << 20);
	e->devnull = open("/dev/null", O_RDWR | O_CLOEXEC);
	if (e->devnull < 0) {
		engine_set_err(e, "cannot open /dev/null: %s", strerror(errno));
		return -1;
	}
	return 0;
}

static int open_pipes(struct engine *e)
{
	e->n_pipes = 0;
	for (int i = 0; i < e->s->n_objects; i++)
		if (kind_takes(e->s->objects[i].kind, OP_SEND)) {
			if (pipe2(e->pipe_fds + 2 * e->n_pipes, O_CLOEXEC) < 0) {
				engine_set_err(e, "cannot make a pipe: %s", strerror(errno));
				return -1;
			}
			/* The size the picture counts with (the default, made
			 * sure); controlled: a send never blocks (worker_ops.c). */
			int wr = e->pipe_fds[2 * e->n_pipes + 1];
			fcntl(wr, F_SETPIPE_SZ, ENGINE_PIPE_BYTES);
			if (engine_controlled(e))
				fcntl(wr, F_SETFL, O_NONBLOCK);
			e->n_pipes++;
		}
	return 0;
}

static void close_channels(struct engine *e)
{
	for (int i = 0; i < 2 * e->n_pipes; i++)
		close(e->pipe_fds[i]);
	e->n_pipes = 0;
	if (e->ev_rd >= 0)
		close(e->ev_rd);
	if (e->ev_wr >= 0)
		close(e->ev_wr);
	if (e->devnull >= 0)
		close(e->devnull);
	e->ev_rd = e->ev_wr = e->devnull = -1;
}

static void kill_and_reap(struct engine *e)
{
	if (e->pgid > 0) {
		/* Every process of the group, counted or not: SIGKILL also
		 * ends one stopped from outside, so this wait is certain. */
		kill(-e->pgid, SIGKILL);
		for (;;) {
			int st;
			pid_t pid = waitpid(-e->pgid, &st, 0);
			if (pid < 0 && errno == EINTR)
				continue;
			if (pid < 0)
				break;   /* ECHILD: nobody left */
		}
	}
	e->live = 0;
	registry_remove(e);
	e->pgid = 0;
}

void engine_teardown(struct engine *e)
{
	kill_and_reap(e);
	if (e->arena)
		arena_destroy(e->arena, e->s, e->arena_size);
	e->arena = NULL;
	close_channels(e);
}

/* In the controlled schedules exactly one process runs at a time, so
 * keeping the controller and its workers on one CPU turns every hand-off
 * into a local context switch instead of a cross-CPU wake-up (measured:
 * it halves the time per step with 1000 workers).  The os schedule gets
 * every CPU we were given: there, parallelism is the point. */
static void place_processes(struct engine *e)
{
	if (!e->have_cpus) {
		e->have_cpus = sched_getaffinity(0, sizeof e->cpus, &e->cpus) == 0;
		if (!e->have_cpus)
			return;
	}
	if (!engine_controlled(e)) {
		sched_setaffinity(0, sizeof e->cpus, &e->cpus);
		return;
	}
	int cpu = sched_getcpu();
	if (cpu < 0 || !CPU_ISSET(cpu, &e->cpus))
		return;
	cpu_set_t one;
	CPU_ZERO(&one);
	CPU_SET(cpu, &one);
	sched_setaffinity(0, sizeof one, &one);
}

/* How many descriptors are open now.  The limit bounds the numbers of
 * new ones, which take the lowest free numbers: so the count is what
 * matters, not the highest number (an inherited fd 255 does no harm). */
static long fds_open(void)
{
	DIR *d = opendir("/proc/self/fd");
	if (!d)
		return 64;   /* cannot tell: a generous guess */
	long n = -1;     /* the directory's own */
	struct dirent *de;
	while ((de = readdir(d)))
		n += de->d_name[0] != '.';
	closedir(d);
	return n;
}

/* Make sure every process of the run can open what it needs, before any
 * is forked: raise the soft limit where the hard one allows, else refuse.
 * The most any process needs: the controller's descriptors now, the event
 * pipe, /dev/null and each pipe object's two ends; with a manager, one
 * socket per worker (all held by the controller until the manager is
 * forked, which then keeps them); and a child's copies of the descriptors
 * it keeps, made above all of those before they are moved into place. */
static int ensure_fds(struct engine *e, int with_manager)
{
	long pipes = 0;
	for (int i = 0; i < e->s->n_objects; i++)
		pipes += e->s->objects[i].kind == OBJ_PIPE;
	long controller = fds_open() + 3 + 2 * pipes + (with_manager ? e->n_workers + 2L : 0);
	long keep = with_manager ? e->n_workers + 1L : 2 + 2 * pipes;
	long need = controller + keep + 8;
	struct rlimit rl;
	if (getrlimit(RLIMIT_NOFILE, &rl) < 0 || rl.rlim_cur == RLIM_INFINITY ||
	    rl.rlim_cur >= (rlim_t)need)
		return 0;
	if (rl.rlim_max == RLIM_INFINITY || rl.rlim_max >= (rlim_t)need) {
		rl.rlim_cur = (rlim_t)need;
		if (setrlimit(RLIMIT_NOFILE, &rl) == 0)
			return 0;
	}
	engine_set_err(e, "%d workers need %ld open files, but the limit is %ld "
	               "(ulimit -n): raise it, or run fewer workers",
	               e->n_workers, need, (long)rl.rlim_max);
	return -1;
}

/* A fresh start: the picture's, and the engine's own bookkeeping (a
 * failure was the old run's). */
static void reset_run(struct engine *e)
{
	picture_reset(&e->pic);
	e->failed = 0;
	e->rlen = 0;
	e->rr_next = 0;
	e->n_exiting = 0;
	e->error_worker = -1;
	for (int w = 0; w < e->n_workers; w++)
		e->reaped[w] = 0;
}

/* Fork worker w, with its socket to the manager in *server when it has
 * one (server NULL: no manager).  No handler may run in a child before it
 * resets them: everything is blocked across the fork (only across it:
 * between two, a stop signal must be able to end a start of 4096 workers
 * at once).  0, or the errno of what failed. */
static int fork_worker(struct engine *e, int w, pid_t me, int *server)
{
	struct worker_start ws = {
		.scenario = e->s, .arena = e->arena, .index = w,
		.group = e->pic.group[w], .number = e->pic.number[w],
		.controller = me, .pgid = e->pgid,
		.event_fd = e->ev_wr, .devnull_fd = e->devnull,
		.manager_fd = -1, .pipe_fds = e->pipe_fds, .n_pipes = e->n_pipes,
	};
	int sv[2] = { -1, -1 };
	if (server && socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv) < 0)
		return errno;
	ws.manager_fd = sv[0];
	sigset_t all, old;
	sigfillset(&all);
	sigprocmask(SIG_SETMASK, &all, &old);
	pid_t pid = fork();
	if (pid < 0) {
		int err = errno;
		sigprocmask(SIG_SETMASK, &old, NULL);
		if (sv[0] >= 0) {
			close(sv[0]);
			close(sv[1]);
		}
		return err;
	}
	if (pid == 0)
		worker_main(&ws);
	if (sv[0] >= 0) {
		close(sv[0]);
		*server = sv[1];
	}
	/* Also here, so the group is right whichever side runs first. */
	if (e->pgid == 0) {
		e->pgid = pid;
		setpgid(pid, pid);
		registry_add(e);
	} else {
		setpgid(pid, e->pgid);
	}
	e->live++;
	e->wv[w].pid = pid;
	e->pic.view.started++;
	sigprocmask(SIG_SETMASK, &old, NULL);   /* it is in the group now */
	return 0;
}

/* Fork the manager, which keeps the servers' ends of the workers'
 * sockets.  0, or fork's errno. */
static int fork_manager(struct engine *e, pid_t me, const int *servers)
{
	sigset_t all, old;
	sigfillset(&all);
	sigprocmask(SIG_SETMASK, &all, &old);
	pid_t pid = fork();
	int err = errno;
	if (pid != 0)
		sigprocmask(SIG_SETMASK, &old, NULL);
	if (pid == 0)
		manager_main(e->s, me, e->pgid, e->ev_wr, e->devnull, servers, e->n_workers);
	if (pid < 0)
		return err;
	setpgid(pid, e->pgid);
	e->live++;
	e->pic.view.manager_pid = pid;
	e->pic.view.manager_alive = 1;
	e->pic.view.started++;
	return 0;
}

/* Fork every worker, then the manager if the scenario has one.  0, or -1
 * with the reason set (what was forked is for engine_teardown). */
static int fork_all(struct engine *e)
{
	int *servers = NULL;
	if (manager_needed(e->s)) {
		servers = calloc((size_t)e->n_workers, sizeof *servers);
		if (!servers) {
			engine_set_err(e, "out of memory");
			return -1;
		}
	}
	pid_t me = getpid();
	int failed = 0, err = 0;
	for (int w = 0; w < e->n_workers && !failed; w++)
		if ((err = fork_worker(e, w, me, servers ? &servers[w] : NULL)) != 0)
			failed = w + 1;
	if (servers && !failed && (err = fork_manager(e, me, servers)) != 0)
		failed = e->n_workers + 1;
	if (servers) {
		for (int w = 0; w < e->n_workers; w++)
			if (servers[w] > 0)
				close(servers[w]);
		free(servers);
	}
	if (failed)
		engine_set_err(e, "cannot start worker %d of %d: %s", failed, e->n_workers,
		               strerror(err));
	return failed ? -1 : 0;
}

int engine_start(struct engine *e)
{
	const struct scenario *s = e->s;
	reset_run(e);
	if (ensure_fds(e, manager_needed(s)) < 0)
		return -1;
	e->arena = arena_create(s, e->n_workers, engine_controlled(e), e->o.speed, e->o.seed,
	                        &e->arena_size);
	if (!e->arena) {
		engine_set_err(e, "cannot make shared memory: %s", strerror(errno));
		return -1;
	}
	if (open_channels(e) < 0 || open_pipes(e) < 0) {
		engine_teardown(e);
		return -1;
	}
	clock_gettime(CLOCK_MONOTONIC, &e->t0);
	e->deadline_ms = e->o.timeout_s > 0 ? (long)(e->o.timeout_s * 1000.0) : -1;
	place_processes(e);   /* workers inherit it */
	if (fork_all(e) < 0) {
		engine_teardown(e);
		return -1;
	}
	/* Only the workers write to the pipe: with our copy closed, EOF
	 * means every worker is gone. */
	close(e->ev_wr);
	e->ev_wr = -1;
	schedule_start_workers(e);
	return 0;
}

void engine_free(struct engine *e)
{
	if (!e)
		return;
	engine_teardown(e);
	if (e->have_cpus)
		sched_setaffinity(0, sizeof e->cpus, &e->cpus);
	picture_free(&e->pic);
	free(e->choices);
	free(e->replay);
	free(e->exiting);
	free(e->reaped);
	free(e->pipe_fds);
	free(e);
}

/* ---- polling -------------------------------------------------------------- */

int engine_pollfds(struct engine *e, struct pollfd *fds, int max)
{
	int n = 0;
	if (n < max && e->ev_rd >= 0 && !e->ev_eof)
		fds[n++] = (struct pollfd){ .fd = e->ev_rd, .events = POLLIN };
	if (n < max)
		fds[n++] = (struct pollfd){ .fd = signals_child_fd(), .events = POLLIN };
	return n;
}

int engine_timeout_ms(struct engine *e)
{
	if (e->deadline_ms < 0 || e->pic.view.outcome != RUN_RUNNING)
		return -1;
	long left = e->deadline_ms - engine_now_ms(e);
	return left < 0 ? 0 : (left > INT_MAX ? INT_MAX : (int)left);
}

static void engine_check_deadline(struct engine *e)
{
	if (e->deadline_ms >= 0 && e->pic.view.outcome == RUN_RUNNING && !e->replay &&
	    engine_now_ms(e) >= e->deadline_ms)
		e->pic.view.outcome = RUN_TIMEOUT;
}

static int stop_requested(int stop_fd)
{
	if (stop_fd < 0)
		return 0;
	struct pollfd p = { .fd = stop_fd, .events = POLLIN };
	return poll(&p, 1, 0) > 0;
}

int engine_interrupted(struct engine *e)
{
	if (stop_requested(e->stop_fd))
		e->pic.view.outcome = RUN_STOPPED;
	else
		engine_check_deadline(e);
	return e->pic.view.outcome == RUN_STOPPED || e->pic.view.outcome == RUN_TIMEOUT;
}

void engine_dispatch(struct engine *e, const struct pollfd *fds, int n)
{
	(void)fds;
	(void)n;
	/* Cheap either way, and a worker's exit must be judged after its
	 * last reports: so always both, in this order. */
	if (e->ev_rd >= 0)
		engine_drain_pipe(e, -1, NULL);
	engine_reap(e, -1, NULL);
	if (!engine_controlled(e) && e->pic.view.outcome == RUN_RUNNING)
		e->pic.view.clock_ms = engine_now_ms(e);   /* frozen once decided */
	engine_tick(e);
	picture_judge(&e->pic);
	engine_check_deadline(e);
}

/* ---- the controlled schedules (schedule.c) --------------------------------- */

int engine_step(struct engine *e, int w, char *why, size_t whylen)
{
	return schedule_step(e, w, why, whylen);
}

int engine_can_step(const struct engine *e)
{
	return schedule_can_step(e);
}

int engine_kill_worker(struct engine *e, int w)
{
	return schedule_kill(e, w);
}

int engine_rewind(struct engine *e, long steps, char *why, size_t whylen)
{
	return schedule_rewind(e, steps, why, whylen);
}

long engine_replay_some(struct engine *e, long budget)
{
	return schedule_replay_some(e, budget);
}

int engine_replaying(const struct engine *e, long *done, long *total)
{
	return schedule_replaying(e, done, total);
}

int engine_restart(struct engine *e, long steps, char *why, size_t whylen)
{
	return schedule_restart(e, steps, why, whylen);
}

/* ---- headless ------------------------------------------------------------- */

enum run_outcome engine_run(struct engine *e,
                            void (*on_event)(void *ctx, const struct event *ev),
                            void *ctx, int stop_fd)
{
	e->pic.on_event = on_event;
	e->pic.ctx = ctx;
	if (stop_fd >= 0)
		e->stop_fd = stop_fd;
	/* Events recorded before we were given the callback (the starts). */
	if (on_event)
		for (long i = 0; i < e->pic.n_events; i++)
			on_event(ctx, &e->pic.events[i]);
	if (engine_controlled(e)) {
		long failed_at = -1;   /* the step count at the last failed step */
		/* A plan may go on past a deadlock: a kill can end it. */
		while (e->pic.view.outcome == RUN_RUNNING ||
		       (e->pic.view.outcome == RUN_DEADLOCK && plan_pending(e))) {
			/* Steps take microseconds: a stop check every 64 is plenty. */
			if ((e->pic.view.steps & 63) == 0 && engine_interrupted(e))
				break;
			if (engine_step(e, -1, NULL, 0) < 0) {
				if (e->plan_broken)
					break;   /* the caller says where: engine_plan_state */
				/* Before a verdict, make sure no death went unseen. */
				engine_reap(e, -1, NULL);
				e->pic.blocked_changed = 1;
				picture_judge(&e->pic);
				/* A death from outside seen only now (a worker killed
				 * while the step waited for it) can let the others go
				 * on: try again, once, before giving up. */
				if (e->pic.view.outcome == RUN_RUNNING &&
				    (failed_at == e->pic.view.steps || !engine_can_step(e)))
					break;   /* nobody can run and no cycle: cannot happen */
				failed_at = e->pic.view.steps;
			}
		}
	} else {
		while (e->pic.view.outcome == RUN_RUNNING) {
			struct pollfd fds[4];
			int n = engine_pollfds(e, fds, 3);
			int k = n;
			if (stop_fd >= 0)
				fds[k++] = (struct pollfd){ .fd = stop_fd, .events = POLLIN };
			int rc = poll(fds, (nfds_t)k, engine_timeout_ms(e));
			if (rc < 0 && errno != EINTR)
				break;
			if (stop_fd >= 0 && (fds[n].revents & POLLIN)) {
				e->pic.view.outcome = RUN_STOPPED;
				break;
			}
			engine_dispatch(e, fds, n);
			if (e->ev_rd >= 0 && e->live == 0) {
				engine_drain_pipe(e, -1, NULL);
				engine_tick(e);
				picture_judge(&e->pic);
				if (e->pic.view.outcome == RUN_RUNNING)
					break;
			}
		}
	}
	e->pic.on_event = NULL;
	e->pic.ctx = NULL;
	return e->pic.view.outcome;
}

const struct engine_view *engine_view(const struct engine *e)
{
	return &e->pic.view;
}

const struct event *engine_events(const struct engine *e, long *count)
{
	*count = e->pic.n_events;
	return e->pic.events;
}

enum run_outcome engine_outcome(const struct engine *e)
{
	return e->pic.view.outcome;
}
