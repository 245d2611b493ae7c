/*
 * progress.h - a progress bar on standard error, for long verbs (title
 * import and export).
 *
 * It draws only when standard error is a terminal, so scripts, pipes and
 * logs never see it; it redraws at most ten times a second and erases
 * itself when done, leaving the terminal as it was.
 */
#ifndef SF_PROGRESS_H
#define SF_PROGRESS_H

struct sf_progress {
	const char *what;      /* "importing" */
	const char *unit;      /* "bytes" (shown as kB, MB) or a noun ("titles") */
	int on;
	int drawn;
	long long last_ms;
};

void sf_progress_init(struct sf_progress *p, const char *what, const char *unit);
/* Takes (struct sf_progress *) as arg, to serve as a lib callback. */
void sf_progress_update(void *arg, long long done, long long total);
void sf_progress_done(struct sf_progress *p);

#endif
