/*
 * log.h - diagnostic logging to stderr, filtered by SF_LOG.
 *
 * SF_LOG is one of error, warn, info, debug (default warn).  Logging is the
 * one way lib/ may write to the terminal: it is for operators debugging sf,
 * never for a command's output or its error message.
 */
#ifndef SF_LOG_H
#define SF_LOG_H

enum sf_log_level { SF_LOG_ERROR, SF_LOG_WARN, SF_LOG_INFO, SF_LOG_DEBUG };

/* Reads SF_LOG; returns SF_EINVAL (with a message) for an unknown value,
 * leaving the level at warn. */
int sf_log_init(void);
void sf_log_set_level(enum sf_log_level level);
int sf_log_enabled(enum sf_log_level level);
void sf_log(enum sf_log_level level, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

#define sf_debug(...) sf_log(SF_LOG_DEBUG, __VA_ARGS__)
#define sf_info(...) sf_log(SF_LOG_INFO, __VA_ARGS__)
#define sf_warn(...) sf_log(SF_LOG_WARN, __VA_ARGS__)

#endif
