/*
 * forkwait.c: the floor under every multiprocessing run: fork N children
 * that exit at once, then wait for all of them.  bench/run.sh compares
 * lockstep's headless run of N workers with this.
 *
 * Usage: forkwait N      (1 <= N <= 100000)
 *
 * All children are forked before any is waited for, as lockstep keeps all
 * its workers alive at once.  Exit status 0, or 1 when fork or wait fails.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	char *end;
	long n, i;

	if (argc != 2) {
		fprintf(stderr, "usage: %s N\n", argv[0]);
		return 2;
	}
	errno = 0;
	n = strtol(argv[1], &end, 10);
	if (errno || *end || end == argv[1] || n < 1 || n > 100000) {
		fprintf(stderr, "%s: N must be a number from 1 to 100000\n", argv[0]);
		return 2;
	}
	for (i = 0; i < n; i++) {
		pid_t pid = fork();
		if (pid < 0) {
			perror("fork");
			break;
		}
		if (pid == 0)
			_exit(0);
	}
	int failed = i < n;
	for (;;) {
		int status;
		pid_t pid = wait(&status);
		if (pid < 0) {
			if (errno == EINTR)
				continue;
			if (errno != ECHILD) {
				perror("wait");
				failed = 1;
			}
			break;
		}
		if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
			failed = 1;
	}
	return failed;
}
