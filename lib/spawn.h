/*
 * spawn.h - running helper programs (initdb, pg_ctl, later ffmpeg) as
 * child processes, optionally as another user, with their output going to
 * a log file instead of the terminal.
 */
#ifndef SF_SPAWN_H
#define SF_SPAWN_H

#include <sys/types.h>

struct sf_spawn {
	const char *const *argv;   /* argv[0] is looked up in PATH */
	int log_fd;                /* child's stdout and stderr; -1: /dev/null */
	uid_t uid;                 /* run as this user when as_user is set */
	gid_t gid;
	const char *user;          /* for initgroups */
	int as_user;
};

/* Runs the program and waits for it.  Returns 0 when it exited 0;
 * otherwise SF_EINTERNAL with a message naming the program and how it
 * ended.  The child gets /dev/null as stdin and no other inherited file
 * descriptors, so a daemon it leaves behind (postgres) holds no pipe of
 * ours open. */
int sf_spawn_run(const struct sf_spawn *sp, int *exit_status);

#endif
