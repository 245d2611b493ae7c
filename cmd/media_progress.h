/*
 * media_progress.h - the progress line of an ingest on standard error
 * (sf media add --wait, sf media retry --wait, sf worker): phase, bar,
 * percent, speed and ETA, drawn only on a terminal, as progress.h does.
 */
#ifndef SF_MEDIA_PROGRESS_H
#define SF_MEDIA_PROGRESS_H

struct sf_media_bar {
	int on, drawn;
	long long last_ms;
	const char *label;     /* "asset 7" */
};

void sf_media_bar_init(struct sf_media_bar *b, const char *label);
/* An sf_media_progress_fn (media.h); arg is the bar. */
void sf_media_bar_update(void *arg, const char *phase, double done, double total, double speed);
void sf_media_bar_done(struct sf_media_bar *b);

#endif
