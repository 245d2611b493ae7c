/*
 * tap.c - TAP output for C tests.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "tap.h"

static int count, failed;

static void line(int pass, const char *fmt, va_list ap)
{
	count++;
	if (!pass)
		failed++;
	printf("%sok %d - ", pass ? "" : "not ", count);
	vprintf(fmt, ap);
	putchar('\n');
	fflush(stdout);
}

int tap_ok(int pass, const char *file, int ln, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	line(pass, fmt, ap);
	va_end(ap);
	if (!pass)
		fprintf(stderr, "#   failed at %s:%d\n", file, ln);
	return pass;
}

int tap_is_int(long long got, long long want, const char *file, int ln, const char *fmt, ...)
{
	int pass = got == want;
	va_list ap;

	va_start(ap, fmt);
	line(pass, fmt, ap);
	va_end(ap);
	if (!pass)
		fprintf(stderr, "#   failed at %s:%d\n#          got: %lld\n#     expected: %lld\n",
		       file, ln, got, want);
	return pass;
}

int tap_is_str(const char *got, const char *want, const char *file, int ln,
	       const char *fmt, ...)
{
	int pass = (!got && !want) || (got && want && !strcmp(got, want));
	va_list ap;

	va_start(ap, fmt);
	line(pass, fmt, ap);
	va_end(ap);
	if (!pass)
		fprintf(stderr, "#   failed at %s:%d\n#          got: %s%s%s\n#     expected: %s%s%s\n",
		       file, ln, got ? "'" : "", got ? got : "NULL", got ? "'" : "",
		       want ? "'" : "", want ? want : "NULL", want ? "'" : "");
	return pass;
}

void diag(const char *fmt, ...)
{
	va_list ap;

	fputs("# ", stdout);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
}

int done_testing(void)
{
	printf("1..%d\n", count);
	fflush(stdout);
	return failed ? 1 : 0;
}
