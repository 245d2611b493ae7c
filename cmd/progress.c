/*
 * progress.c - draw and erase the progress bar.
 */
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "progress.h"

#define BAR 30

static long long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000LL + ts.tv_nsec / 1000000;
}

void sf_progress_init(struct sf_progress *p, const char *what, const char *unit)
{
	memset(p, 0, sizeof(*p));
	p->what = what;
	p->unit = unit;
	p->on = isatty(STDERR_FILENO);
}

static void amount(char *buf, size_t size, const char *unit, long long n)
{
	if (strcmp(unit, "bytes"))
		snprintf(buf, size, "%lld", n);
	else if (n >= 1000000)
		snprintf(buf, size, "%.1f MB", (double)n / 1e6);
	else
		snprintf(buf, size, "%.1f kB", (double)n / 1e3);
}

void sf_progress_update(void *arg, long long done, long long total)
{
	struct sf_progress *p = arg;
	char bar[BAR + 1], a[32], b[32];
	long long t = now_ms();
	int fill;

	if (!p->on || (p->drawn && t - p->last_ms < 100 && done < total))
		return;
	p->last_ms = t;
	p->drawn = 1;
	if (total <= 0) {
		amount(a, sizeof(a), p->unit, done);
		fprintf(stderr, "\r%s  %s%s%s\033[K", p->what, a, strcmp(p->unit, "bytes") ? " " : "",
			strcmp(p->unit, "bytes") ? p->unit : "");
		return;
	}
	if (done > total)
		done = total;
	fill = (int)(done * BAR / total);
	memset(bar, '#', (size_t)fill);
	memset(bar + fill, '-', (size_t)(BAR - fill));
	bar[BAR] = '\0';
	amount(a, sizeof(a), p->unit, done);
	amount(b, sizeof(b), p->unit, total);
	fprintf(stderr, "\r%s [%s] %3d%%  %s of %s%s%s\033[K", p->what, bar,
		(int)(done * 100 / total), a, b, strcmp(p->unit, "bytes") ? " " : "",
		strcmp(p->unit, "bytes") ? p->unit : "");
}

void sf_progress_done(struct sf_progress *p)
{
	if (p->on && p->drawn)
		fprintf(stderr, "\r\033[K");
	p->drawn = 0;
}
