/*
 * watch.c: inotify on a lesson file's folder (see watch.h).
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/inotify.h>
#include <unistd.h>

#include "watch.h"

struct watch {
	int fd;
	char name[NAME_MAX + 1];   /* the file's name in its folder */
};

struct watch *watch_open(const char *path)
{
	struct watch *w = calloc(1, sizeof *w);
	if (!w)
		return NULL;
	char dir[PATH_MAX];
	const char *slash = strrchr(path, '/');
	size_t dlen = slash ? (size_t)(slash - path) : 0;
	if (dlen >= sizeof dir || strlen(slash ? slash + 1 : path) > NAME_MAX) {
		free(w);
		errno = ENAMETOOLONG;
		return NULL;
	}
	memcpy(dir, path, dlen);
	dir[dlen] = '\0';
	if (!slash)
		strcpy(dir, ".");
	else if (dlen == 0)
		strcpy(dir, "/");
	strcpy(w->name, slash ? slash + 1 : path);
	w->fd = inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
	if (w->fd < 0 ||
	    inotify_add_watch(w->fd, dir, IN_CLOSE_WRITE | IN_MOVED_TO | IN_CREATE) < 0) {
		int e = errno;
		if (w->fd >= 0)
			close(w->fd);
		free(w);
		errno = e;
		return NULL;
	}
	return w;
}

int watch_fd(const struct watch *w)
{
	return w->fd;
}

int watch_changed(struct watch *w)
{
	/* Aligned as inotify(7) asks: events are read whole into it. */
	char buf[4096] __attribute__((aligned(__alignof__(struct inotify_event))));
	int changed = 0;
	ssize_t n;
	while ((n = read(w->fd, buf, sizeof buf)) > 0) {
		for (char *p = buf; p < buf + n;) {
			const struct inotify_event *ev = (const struct inotify_event *)p;
			if (ev->len && strcmp(ev->name, w->name) == 0)
				changed = 1;
			p += sizeof *ev + ev->len;
		}
	}
	return changed;
}

void watch_close(struct watch *w)
{
	if (!w)
		return;
	close(w->fd);
	free(w);
}
