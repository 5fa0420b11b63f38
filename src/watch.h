/*
 * watch.h: notice when a lesson file is saved (--watch), with inotify:
 * the poll loop sleeps on one more fd, nothing polls the disk.
 *
 * The file's folder is watched, not the file itself: editors save by
 * writing a new file and renaming it over the old one (vim, emacs, most
 * IDEs), which a watch on the old file's inode would never see again.
 *
 * Contract: watch_open() returns an fd for poll() (POLLIN: something
 * happened in the folder) or -1 with errno; watch_changed() drains every
 * pending notification without blocking and says whether one was about
 * the file (written and closed, renamed onto, created).  watch_close()
 * closes the fd.  Nothing here includes curses or loads a scenario.
 */
#ifndef LOCKSTEP_WATCH_H
#define LOCKSTEP_WATCH_H

struct watch;

struct watch *watch_open(const char *path);
int watch_fd(const struct watch *w);
int watch_changed(struct watch *w);
void watch_close(struct watch *w);

#endif
