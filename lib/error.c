/*
 * error.c - the thread-local error message and the code table.
 *
 * The table is the single place where an error code becomes an exit status
 * or an HTTP status (ARCHITECTURE.md, "Errors").
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "error.h"

#define SF_ERROR_MAX 1024

static _Thread_local char message[SF_ERROR_MAX];

static const struct {
	int code;
	const char *name;
	int exit_status;
	int http_status;
} table[] = {
	{ SF_OK,         "ok",            0,  200 },
	{ SF_EINVAL,     "invalid",       2,  400 },
	{ SF_EUNAUTH,    "unauthenticated", 77, 401 },
	{ SF_EFORBIDDEN, "forbidden",     77, 403 },
	{ SF_ENOTFOUND,  "not_found",     3,  404 },
	{ SF_ECONFLICT,  "conflict",      4,  409 },
	{ SF_ERATELIMIT, "rate_limited",  75, 429 },
	{ SF_EUNAVAIL,   "unavailable",   69, 503 },
	{ SF_EINTERNAL,  "internal",      1,  500 },
};

static int find(int code)
{
	for (size_t i = 0; i < sizeof(table) / sizeof(table[0]); i++)
		if (table[i].code == code)
			return (int)i;
	return (int)(sizeof(table) / sizeof(table[0])) - 1;
}

/* Messages are single lines: control characters become '?', so a bad
 * value quoted in a message can never forge a second line. */
static void sanitize(char *s)
{
	for (; *s; s++)
		if ((unsigned char)*s < 0x20 || *s == 0x7f)
			*s = '?';
}

int sf_error(int code, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(message, sizeof(message), fmt, ap);
	va_end(ap);
	sanitize(message);
	return code;
}

int sf_error_wrap(int code, const char *fmt, ...)
{
	char both[2 * SF_ERROR_MAX + 2];
	size_t n;
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(both, SF_ERROR_MAX, fmt, ap);
	va_end(ap);
	n = strlen(both);
	memcpy(both + n, ": ", 2);
	memcpy(both + n + 2, message, strlen(message) + 1);
	snprintf(message, sizeof(message), "%.*s", SF_ERROR_MAX - 1, both);
	sanitize(message);
	return code;
}

const char *sf_error_message(void)
{
	return message[0] ? message : "unknown error";
}

int sf_error_exit_status(int code)
{
	return table[find(code)].exit_status;
}

int sf_error_http_status(int code)
{
	return table[find(code)].http_status;
}

const char *sf_error_name(int code)
{
	return table[find(code)].name;
}
