/*
 * xalloc.c - allocation wrappers that abort on out-of-memory.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "xalloc.h"

static void die_oom(size_t size)
{
	char buf[96];
	int n = snprintf(buf, sizeof(buf), "sf: out of memory (%zu bytes)\n", size);

	/* write(2) is safe even when stdio cannot allocate. */
	if (n > 0 && write(2, buf, (size_t)n) < 0)
		n = 0;
	abort();
}

void *sf_xmalloc(size_t size)
{
	void *p = malloc(size ? size : 1);

	if (!p)
		die_oom(size);
	return p;
}

void *sf_xcalloc(size_t n, size_t size)
{
	void *p = calloc(n ? n : 1, size ? size : 1);

	if (!p)
		die_oom(n * size);
	return p;
}

void *sf_xrealloc(void *p, size_t size)
{
	void *q = realloc(p, size ? size : 1);

	if (!q)
		die_oom(size);
	return q;
}

char *sf_xstrdup(const char *s)
{
	char *p = strdup(s);

	if (!p)
		die_oom(strlen(s) + 1);
	return p;
}

char *sf_xstrndup(const char *s, size_t n)
{
	char *p = strndup(s, n);

	if (!p)
		die_oom(n + 1);
	return p;
}

char *sf_xasprintf(const char *fmt, ...)
{
	va_list ap;
	char *p;

	va_start(ap, fmt);
	if (vasprintf(&p, fmt, ap) < 0)
		die_oom(strlen(fmt));
	va_end(ap);
	return p;
}
