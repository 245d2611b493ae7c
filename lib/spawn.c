/*
 * spawn.c - fork, drop privileges if asked, redirect, exec, wait.
 */
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <signal.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "error.h"
#include "spawn.h"

static void close_inherited(void)
{
	if (close_range(3, ~0U, 0) == 0)
		return;
	for (int fd = 3; fd < 1024; fd++)
		close(fd);
}

static void child(const struct sf_spawn *sp)
{
	int devnull = open("/dev/null", O_RDWR);
	int out = sp->log_fd >= 0 ? sp->log_fd : devnull;

	if (devnull < 0 || dup2(devnull, 0) < 0 || dup2(out, 1) < 0 || dup2(out, 2) < 0)
		_exit(126);
	close_inherited();
	if (sp->as_user) {
		if (initgroups(sp->user, sp->gid) < 0 || setgid(sp->gid) < 0 ||
		    setuid(sp->uid) < 0)
			_exit(126);
	}
	signal(SIGPIPE, SIG_DFL);
	execvp(sp->argv[0], (char *const *)sp->argv);
	_exit(127);
}

int sf_spawn_run(const struct sf_spawn *sp, int *exit_status)
{
	int status;
	pid_t pid = fork();

	if (pid < 0)
		return sf_error(SF_EINTERNAL, "%s: cannot start: %s", sp->argv[0], strerror(errno));
	if (pid == 0)
		child(sp);
	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR)
			return sf_error(SF_EINTERNAL, "%s: %s", sp->argv[0], strerror(errno));
	if (exit_status)
		*exit_status = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
	if (WIFEXITED(status) && WEXITSTATUS(status) == 0)
		return 0;
	if (WIFEXITED(status) && WEXITSTATUS(status) == 127)
		return sf_error(SF_EUNAVAIL, "%s: program not found", sp->argv[0]);
	if (WIFEXITED(status))
		return sf_error(SF_EINTERNAL, "%s: exited with status %d", sp->argv[0],
				WEXITSTATUS(status));
	return sf_error(SF_EINTERNAL, "%s: killed by signal %d", sp->argv[0], WTERMSIG(status));
}
