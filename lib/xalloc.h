/*
 * xalloc.h - allocation wrappers that never return NULL.
 *
 * Running out of memory is not an error sf can recover from in any useful
 * way, so these abort with a message instead of making every caller check.
 * Everything they return is released with free().
 */
#ifndef SF_XALLOC_H
#define SF_XALLOC_H

#include <stddef.h>

void *sf_xmalloc(size_t size);
void *sf_xcalloc(size_t n, size_t size);
void *sf_xrealloc(void *p, size_t size);
char *sf_xstrdup(const char *s);
char *sf_xstrndup(const char *s, size_t n);
char *sf_xasprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif
