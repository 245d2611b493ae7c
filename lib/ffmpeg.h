/*
 * ffmpeg.h - running ffprobe and ffmpeg as child processes.
 *
 * sf never links the codec libraries: ffmpeg is a program it runs, as
 * ARCHITECTURE.md says.  ffprobe's JSON describes a source; ffmpeg runs
 * with "-progress pipe:1", whose key=value lines become a progress
 * callback (seconds done and speed, hence percent and ETA), and with
 * "-v error", so what it says on standard error is its reason when it
 * fails: the last line of it becomes sf's one-line message.  The child
 * dies with its parent (PR_SET_PDEATHSIG), so a worker killed with -9
 * leaves no encoder running behind it.
 */
#ifndef SF_FFMPEG_H
#define SF_FFMPEG_H

/* A growing argv, NULL-terminated. */
struct sf_argv {
	char **v;
	int n, cap;
};
void sf_argv_add(struct sf_argv *a, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
void sf_argv_release(struct sf_argv *a);

struct sf_probe {
	double duration;      /* seconds */
	int width, height;    /* of the first video stream */
	double fps;           /* its average frame rate; 0 if unknown */
	int has_audio;
};

/* Describes the media file at path.  A file ffprobe cannot read, or one
 * with no video stream or no duration, is SF_EINVAL with the reason in
 * one line: "source 'x.mp4': Invalid data found when processing input". */
int sf_ffmpeg_probe(const char *path, struct sf_probe *out);

/* Called as ffmpeg reports: done seconds of output written, at speed
 * times real time (0 if not known yet). */
typedef void sf_ffmpeg_progress_fn(void *arg, double done, double speed);

/* Runs "ffmpeg -hide_banner -nostdin -v error -progress pipe:1 -nostats"
 * followed by args.  Returns 0 when it exited 0; otherwise SF_EINTERNAL
 * with ffmpeg's last error line prefixed by what (or how it was killed),
 * or SF_EUNAVAIL when there is no ffmpeg. */
int sf_ffmpeg_run(const char *what, const struct sf_argv *args,
		  sf_ffmpeg_progress_fn *progress, void *arg);

#endif
