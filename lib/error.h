/*
 * error.h - sf's error codes, their one-line messages, and the table that
 * maps each code to a CLI exit status and an HTTP status.
 *
 * Every lib function that can fail returns 0 or a negative SF_E* code and,
 * on failure, leaves a one-line message (lowercase, no full stop, the
 * subject quoted: "title '42': not found") in a thread-local buffer.  The
 * front ends (cmd/, the HTTP server) print or send that message and turn
 * the code into an exit status or HTTP status through this one table.
 */
#ifndef SF_ERROR_H
#define SF_ERROR_H

enum sf_err {
	SF_OK = 0,
	SF_EINVAL = -1,       /* bad usage or invalid input: exit 2, HTTP 400 */
	SF_EUNAUTH = -2,      /* not authenticated: exit 77, HTTP 401 */
	SF_EFORBIDDEN = -3,   /* authenticated but not allowed: exit 77, HTTP 403 */
	SF_ENOTFOUND = -4,    /* no such object: exit 3, HTTP 404 */
	SF_ECONFLICT = -5,    /* duplicate or state conflict: exit 4, HTTP 409 */
	SF_ERATELIMIT = -6,   /* too many requests: exit 75, HTTP 429 */
	SF_EUNAVAIL = -7,     /* database or service unreachable: exit 69, HTTP 503 */
	SF_EINTERNAL = -8,    /* a bug or an unexpected failure: exit 1, HTTP 500 */
};

/* Sets the thread's error message (printf-style) and returns code, so a
 * failing function can end with "return sf_error(SF_EINVAL, ...)". */
int sf_error(int code, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* Prefixes the current message with "prefix: " and returns code; used to
 * add context on the way up ("migration '0002_x.sql': syntax error"). */
int sf_error_wrap(int code, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* The thread's last message; never NULL, valid until the next sf_error. */
const char *sf_error_message(void);

/* Table lookups.  An unknown code maps like SF_EINTERNAL. */
int sf_error_exit_status(int code);
int sf_error_http_status(int code);
const char *sf_error_name(int code);  /* "conflict", "not_found", ... */

#endif
