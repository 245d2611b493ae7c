/*
 * secret.c - reading passwords and PINs, and asking for confirmation.
 *
 * Secrets never come from the command line, where other users can read
 * them in the process list: scripts pipe them in (--password-stdin), people
 * type them at the terminal with echo off.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include "cmd.h"
#include "error.h"
#include "xalloc.h"

#define SECRET_MAX 4096

static int tty_fd = -1;
static struct termios saved;

static void restore_echo(void)
{
	if (tty_fd >= 0)
		tcsetattr(tty_fd, TCSAFLUSH, &saved);
}

static void on_signal(int sig)
{
	restore_echo();
	signal(sig, SIG_DFL);
	raise(sig);
}

/* Reads one line from fd into buf (without the newline); -1 at EOF with
 * nothing read, -2 when the line does not fit. */
static int read_line(int fd, char *buf, size_t size)
{
	size_t n = 0;
	int overflow = 0;
	char c;

	for (;;) {
		ssize_t k = read(fd, &c, 1);

		if (k < 0 && errno == EINTR)
			continue;
		if (k <= 0)
			return n ? 0 : -1;
		if (c == '\n')
			break;
		if (n + 1 < size)
			buf[n++] = c;
		else
			overflow = 1;
	}
	if (overflow)
		return -2;
	if (n > 0 && buf[n - 1] == '\r')
		n--;
	buf[n] = '\0';
	return 0;
}

static int ask(int fd, const char *prompt, char *buf, size_t size)
{
	struct termios quiet;
	int rc;

	if (tcgetattr(fd, &saved) < 0)
		return sf_error(SF_EINVAL, "cannot turn off echo on the terminal: %s",
				strerror(errno));
	quiet = saved;
	quiet.c_lflag &= ~(tcflag_t)ECHO;
	quiet.c_lflag |= ECHONL;
	tty_fd = fd;
	signal(SIGINT, on_signal);
	signal(SIGTERM, on_signal);
	/* Echo goes off before the prompt appears, so nothing typed after
	 * the prompt is shown or flushed away. */
	if (tcsetattr(fd, TCSAFLUSH, &quiet) < 0 || write(fd, prompt, strlen(prompt)) < 0) {
		int err = errno;

		restore_echo();
		tty_fd = -1;
		return sf_error(SF_EINVAL, "cannot use the terminal: %s", strerror(err));
	}
	rc = read_line(fd, buf, size);
	restore_echo();
	tty_fd = -1;
	signal(SIGINT, SIG_DFL);
	signal(SIGTERM, SIG_DFL);
	if (rc == -2)
		return sf_error(SF_EINVAL, "what was typed is longer than %d bytes", SECRET_MAX - 1);
	return rc < 0 ? sf_error(SF_EINVAL, "nothing typed") : 0;
}

int sf_read_secret(const char *what, bool from_stdin, bool confirm, char **out)
{
	char *a = sf_xcalloc(1, SECRET_MAX), *b = NULL, *prompt = NULL;
	int fd = -1, rc = 0;

	*out = NULL;
	if (from_stdin) {
		rc = read_line(0, a, SECRET_MAX);
		if (rc == -1)
			rc = sf_error(SF_EINVAL, "no %s on standard input", what);
		else if (rc == -2)
			rc = sf_error(SF_EINVAL, "%s on standard input: longer than %d bytes", what,
				      SECRET_MAX - 1);
		goto out;
	}
	if (!isatty(0)) {
		rc = sf_error(SF_EINVAL, "standard input is not a terminal to ask for the %s on; "
			      "use --%s-stdin", what, strcmp(what, "PIN") ? "password" : "pin");
		goto out;
	}
	fd = open("/dev/tty", O_RDWR | O_CLOEXEC);
	if (fd < 0) {
		rc = sf_error(SF_EINVAL, "cannot open the terminal: %s", strerror(errno));
		goto out;
	}
	prompt = sf_xasprintf("New %s: ", what);
	rc = ask(fd, prompt, a, SECRET_MAX);
	if (!rc && confirm) {
		free(prompt);
		prompt = sf_xasprintf("Retype the new %s: ", what);
		b = sf_xcalloc(1, SECRET_MAX);
		rc = ask(fd, prompt, b, SECRET_MAX);
		if (!rc && strcmp(a, b) != 0)
			rc = sf_error(SF_EINVAL, "the two %ss differ", what);
	}
out:
	if (fd >= 0)
		close(fd);
	free(prompt);
	sf_secret_free(b);
	if (rc)
		sf_secret_free(a);
	else
		*out = a;
	return rc;
}

void sf_secret_free(char *s)
{
	if (!s)
		return;
	explicit_bzero(s, SECRET_MAX);
	free(s);
}

int sf_confirm(const char *prompt, const char *what, bool *yes)
{
	char answer[16];
	FILE *tty;

	*yes = false;
	if (!isatty(0) || !(tty = fopen("/dev/tty", "r+e")))
		return sf_error(SF_EINVAL, "refusing to %s without --yes (no terminal to confirm on)",
				what);
	fprintf(tty, "%s [y/N] ", prompt);
	fflush(tty);
	if (fgets(answer, sizeof(answer), tty))
		*yes = answer[0] == 'y' || answer[0] == 'Y';
	fclose(tty);
	return 0;
}
