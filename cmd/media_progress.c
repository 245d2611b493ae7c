/*
 * media_progress.c - draw and erase the ingest progress line.
 */
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "media_progress.h"

#define BAR 24

static long long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000LL + ts.tv_nsec / 1000000;
}

void sf_media_bar_init(struct sf_media_bar *b, const char *label)
{
	memset(b, 0, sizeof(*b));
	b->label = label;
	b->on = isatty(STDERR_FILENO);
}

void sf_media_bar_update(void *arg, const char *phase, double done, double total, double speed)
{
	struct sf_media_bar *b = arg;
	char bar[BAR + 1], eta[32] = "";
	long long t = now_ms();
	int pct, fill;

	if (!b->on || (b->drawn && t - b->last_ms < 100 && done < total))
		return;
	b->last_ms = t;
	b->drawn = 1;
	if (total <= 0) {
		fprintf(stderr, "\r%s: %s\033[K", b->label, phase);
		return;
	}
	pct = (int)(done * 100 / total);
	if (pct > 100)
		pct = 100;
	fill = pct * BAR / 100;
	memset(bar, '#', (size_t)fill);
	memset(bar + fill, '-', (size_t)(BAR - fill));
	bar[BAR] = '\0';
	if (speed > 0) {
		int left = (int)((total - done) / speed + 0.5);

		snprintf(eta, sizeof(eta), "  %.2fx  ETA %d:%02d", speed, left / 60, left % 60);
	}
	fprintf(stderr, "\r%s: %s [%s] %3d%%%s\033[K", b->label, phase, bar, pct, eta);
}

void sf_media_bar_done(struct sf_media_bar *b)
{
	if (b->on && b->drawn)
		fprintf(stderr, "\r\033[K");
	b->drawn = 0;
}
