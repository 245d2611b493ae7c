/*
 * json.c - jansson helpers.
 */
#include <stdlib.h>

#include "json.h"
#include "xalloc.h"

json_t *sf_json_str(const char *s)
{
	return s ? json_string(s) : json_null();
}

char *sf_json_dump(const json_t *j)
{
	/* 15 significant digits: 7.3 stays 7.3 (jansson's default of 17 shows
	 * 7.2999999999999998). */
	char *s = json_dumps(j, JSON_COMPACT | JSON_PRESERVE_ORDER | JSON_ENCODE_ANY |
			     JSON_REAL_PRECISION(15));

	return s ? s : sf_xstrdup("null");
}
