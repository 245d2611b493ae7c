/*
 * log.c - leveled logging to stderr.
 *
 * One line per call, written with a single fprintf so lines from several
 * threads (sf serve) do not interleave.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "error.h"
#include "log.h"

static enum sf_log_level current = SF_LOG_WARN;
static const char *names[] = { "error", "warn", "info", "debug" };

int sf_log_init(void)
{
	const char *v = getenv("SF_LOG");

	if (!v || !*v)
		return 0;
	for (int i = 0; i < 4; i++) {
		if (!strcmp(v, names[i])) {
			current = (enum sf_log_level)i;
			return 0;
		}
	}
	return sf_error(SF_EINVAL, "SF_LOG '%s': not one of error, warn, info, debug", v);
}

void sf_log_set_level(enum sf_log_level level)
{
	current = level;
}

int sf_log_enabled(enum sf_log_level level)
{
	return level <= current;
}

void sf_log(enum sf_log_level level, const char *fmt, ...)
{
	char msg[2048], stamp[32];
	struct timespec ts;
	struct tm tm;
	va_list ap;

	if (!sf_log_enabled(level))
		return;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	clock_gettime(CLOCK_REALTIME, &ts);
	gmtime_r(&ts.tv_sec, &tm);
	strftime(stamp, sizeof(stamp), "%Y-%m-%dT%H:%M:%S", &tm);
	fprintf(stderr, "%s.%03ldZ sf %s: %s\n", stamp, ts.tv_nsec / 1000000,
		names[level], msg);
}
