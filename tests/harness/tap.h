/*
 * tap.h - a small TAP producer for C tests, run by prove.
 *
 *	ok(x > 0, "x is positive");
 *	is_int(rc, SF_ECONFLICT, "a second add conflicts");
 *	is_str(a.email, "a@example.com", "email kept as typed");
 *	return done_testing();
 *
 * Every check prints "ok N - name" or "not ok N - name" with a diagnostic
 * showing what was got and what was wanted; done_testing prints the plan
 * and returns the exit status (0 when every check passed).
 */
#ifndef SF_TAP_H
#define SF_TAP_H

int tap_ok(int pass, const char *file, int line, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
int tap_is_int(long long got, long long want, const char *file, int line,
	       const char *fmt, ...) __attribute__((format(printf, 5, 6)));
int tap_is_str(const char *got, const char *want, const char *file, int line,
	       const char *fmt, ...) __attribute__((format(printf, 5, 6)));
void diag(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
int done_testing(void);

#define ok(pass, ...) tap_ok(!!(pass), __FILE__, __LINE__, __VA_ARGS__)
#define is_int(got, want, ...) tap_is_int((got), (want), __FILE__, __LINE__, __VA_ARGS__)
#define is_str(got, want, ...) tap_is_str((got), (want), __FILE__, __LINE__, __VA_ARGS__)

#endif
