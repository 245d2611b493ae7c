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
	char *s = json_dumps(j, JSON_COMPACT | JSON_PRESERVE_ORDER | JSON_ENCODE_ANY);

	return s ? s : sf_xstrdup("null");
}
