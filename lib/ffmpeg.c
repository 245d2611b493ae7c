/*
 * ffmpeg.c - run ffprobe and ffmpeg, read their progress and reasons
 * (ffmpeg.h).
 */
#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include "error.h"
#include "ffmpeg.h"
#include "text.h"
#include "xalloc.h"

void sf_argv_add(struct sf_argv *a, const char *fmt, ...)
{
	va_list ap;
	char *s;

	va_start(ap, fmt);
	if (vasprintf(&s, fmt, ap) < 0)
		abort();
	va_end(ap);
	if (a->n + 2 > a->cap) {
		a->cap = a->cap ? 2 * a->cap : 32;
		a->v = sf_xrealloc(a->v, (size_t)a->cap * sizeof(*a->v));
	}
	a->v[a->n++] = s;
	a->v[a->n] = NULL;
}

void sf_argv_release(struct sf_argv *a)
{
	for (int i = 0; i < a->n; i++)
		free(a->v[i]);
	free(a->v);
	memset(a, 0, sizeof(*a));
}

/* Starts argv with stdout to a pipe (*out) and stderr to the file errfd. */
static int start(char *const *argv, int errfd, int *out, pid_t *pid)
{
	int p[2];

	if (pipe2(p, O_CLOEXEC) < 0)
		return sf_error(SF_EINTERNAL, "%s: cannot start: %s", argv[0], strerror(errno));
	*pid = fork();
	if (*pid < 0) {
		close(p[0]);
		close(p[1]);
		return sf_error(SF_EINTERNAL, "%s: cannot start: %s", argv[0], strerror(errno));
	}
	if (*pid == 0) {
		int devnull = open("/dev/null", O_RDONLY);

		prctl(PR_SET_PDEATHSIG, SIGKILL);
		if (devnull < 0 || dup2(devnull, 0) < 0 || dup2(p[1], 1) < 0 || dup2(errfd, 2) < 0)
			_exit(126);
		signal(SIGPIPE, SIG_DFL);
		execvp(argv[0], argv);
		_exit(127);
	}
	close(p[1]);
	*out = p[0];
	return 0;
}

/* The last non-empty line of the file fd, at most size - 1 bytes. */
static void last_line(int fd, char *buf, size_t size)
{
	char tail[4096];
	off_t end = lseek(fd, 0, SEEK_END), from = end > (off_t)sizeof(tail) - 1
		? end - (off_t)sizeof(tail) + 1 : 0;
	ssize_t n = pread(fd, tail, sizeof(tail) - 1, from);
	char *line, *save = NULL, *last = NULL;

	buf[0] = '\0';
	if (n <= 0)
		return;
	tail[n] = '\0';
	for (line = strtok_r(tail, "\r\n", &save); line; line = strtok_r(NULL, "\r\n", &save))
		if (strspn(line, " \t") < strlen(line))
			last = line;
	if (last)
		snprintf(buf, size, "%s", last + strspn(last, " \t"));
}

/* prefix: a file name that ffmpeg puts before its reason, dropped. */
static int wait_child(pid_t pid, const char *prog, int errfd, const char *what,
		      const char *prefix)
{
	char reason[400], *r = reason;
	int status;

	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR)
			return sf_error(SF_EINTERNAL, "%s: %s", prog, strerror(errno));
	if (WIFEXITED(status) && WEXITSTATUS(status) == 0)
		return 0;
	if (WIFEXITED(status) && WEXITSTATUS(status) == 127)
		return sf_error(SF_EUNAVAIL, "%s: program not found (install ffmpeg)", prog);
	if (WIFSIGNALED(status))
		return sf_error(SF_EINTERNAL, "%s: %s killed by signal %d", what, prog,
				WTERMSIG(status));
	last_line(errfd, reason, sizeof(reason));
	if (prefix && !strncmp(r, prefix, strlen(prefix)) && !strncmp(r + strlen(prefix), ": ", 2))
		r += strlen(prefix) + 2;
	/* ffprobe cannot read the source: it is bad, retrying will not help.
	 * ffmpeg failing on a source ffprobe read may be passing trouble. */
	return sf_error(prefix ? SF_EINVAL : SF_EINTERNAL, "%s: %s", what,
			r[0] ? r : "failed");
}

/* Reads all of fd into a string (caller frees). */
static char *slurp(int fd)
{
	size_t len = 0, cap = 8192;
	char *s = sf_xmalloc(cap);
	ssize_t n;

	for (;;) {
		if (len + 4096 > cap)
			s = sf_xrealloc(s, cap *= 2);
		n = read(fd, s + len, cap - len - 1);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		len += (size_t)n;
	}
	s[len] = '\0';
	return s;
}

static double rate(const char *r)
{
	int num = 0, den = 0;

	if (!r || sscanf(r, "%d/%d", &num, &den) != 2 || den <= 0)
		return 0;
	return (double)num / den;
}

int sf_ffmpeg_probe(const char *path, struct sf_probe *out)
{
	char *argv[] = { "ffprobe", "-v", "error", "-show_entries",
		"format=duration:stream=codec_type,width,height,avg_frame_rate,r_frame_rate",
		"-of", "json", "--", (char *)path, NULL };
	char what[600];
	FILE *err = tmpfile();
	json_t *j = NULL, *s;
	char *text = NULL;
	size_t i;
	pid_t pid;
	int fd, rc;

	memset(out, 0, sizeof(*out));
	snprintf(what, sizeof(what), "source '%s'", sf_text_quote(path));
	if (!err)
		return sf_error(SF_EINTERNAL, "ffprobe: no temporary file: %s", strerror(errno));
	rc = start(argv, fileno(err), &fd, &pid);
	if (!rc) {
		text = slurp(fd);
		close(fd);
		rc = wait_child(pid, "ffprobe", fileno(err), what, path);
	}
	if (!rc && !(j = json_loads(text, 0, NULL)))
		rc = sf_error(SF_EINTERNAL, "%s: ffprobe wrote no JSON", what);
	if (rc)
		goto out;
	out->duration = atof(json_string_value(json_object_get(json_object_get(j, "format"),
							       "duration")) ?: "0");
	json_array_foreach(json_object_get(j, "streams"), i, s) {
		const char *type = json_string_value(json_object_get(s, "codec_type"));

		if (type && !strcmp(type, "video") && !out->width) {
			out->width = (int)json_integer_value(json_object_get(s, "width"));
			out->height = (int)json_integer_value(json_object_get(s, "height"));
			out->fps = rate(json_string_value(json_object_get(s, "avg_frame_rate")));
			if (out->fps <= 0 || out->fps > 240)
				out->fps = rate(json_string_value(json_object_get(s, "r_frame_rate")));
		} else if (type && !strcmp(type, "audio")) {
			out->has_audio = 1;
		}
	}
	if (out->width <= 0 || out->height <= 0)
		rc = sf_error(SF_EINVAL, "%s: no video stream", what);
	else if (!(out->duration > 0))
		rc = sf_error(SF_EINVAL, "%s: no duration (not a video file?)", what);
out:
	json_decref(j);
	free(text);
	fclose(err);
	return rc;
}

/* Feeds the "key=value" lines of -progress to the callback. */
static void read_progress(int fd, sf_ffmpeg_progress_fn *progress, void *arg)
{
	FILE *fp = fdopen(fd, "r");
	char line[512];
	double done = 0, speed = 0;

	if (!fp) {
		close(fd);
		return;
	}
	while (fgets(line, sizeof(line), fp)) {
		if (!strncmp(line, "out_time_us=", 12))
			done = atof(line + 12) / 1e6;
		else if (!strncmp(line, "speed=", 6))
			speed = atof(line + 6);
		else if (!strncmp(line, "progress=", 9) && progress)
			progress(arg, done < 0 ? 0 : done, speed);
	}
	fclose(fp);
}

int sf_ffmpeg_run(const char *what, const struct sf_argv *args,
		  sf_ffmpeg_progress_fn *progress, void *arg)
{
	struct sf_argv a = { 0 };
	FILE *err = tmpfile();
	pid_t pid;
	int fd, rc;

	if (!err)
		return sf_error(SF_EINTERNAL, "ffmpeg: no temporary file: %s", strerror(errno));
	sf_argv_add(&a, "ffmpeg");
	sf_argv_add(&a, "-hide_banner");
	sf_argv_add(&a, "-nostdin");
	sf_argv_add(&a, "-v");
	sf_argv_add(&a, "error");
	sf_argv_add(&a, "-progress");
	sf_argv_add(&a, "pipe:1");
	sf_argv_add(&a, "-nostats");
	for (int i = 0; i < args->n; i++)
		sf_argv_add(&a, "%s", args->v[i]);
	rc = start(a.v, fileno(err), &fd, &pid);
	if (!rc) {
		read_progress(fd, progress, arg);
		rc = wait_child(pid, "ffmpeg", fileno(err), what, NULL);
	}
	sf_argv_release(&a);
	fclose(err);
	return rc;
}
