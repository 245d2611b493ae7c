/*
 * http.c - checking request fields and building responses.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "error.h"
#include "http.h"
#include "text.h"

static const char *type_name(enum sf_http_type t)
{
	switch (t) {
	case SF_HTTP_STRING: return "a string";
	case SF_HTTP_INT: return "an integer";
	case SF_HTTP_BOOL: return "true or false";
	case SF_HTTP_STRING_OR_NULL: return "a string or null";
	case SF_HTTP_ANY: break;
	}
	return "a value";
}

static int type_ok(enum sf_http_type t, const json_t *v)
{
	switch (t) {
	case SF_HTTP_STRING: return json_is_string(v);
	case SF_HTTP_INT: return json_is_integer(v);
	case SF_HTTP_BOOL: return json_is_boolean(v);
	case SF_HTTP_STRING_OR_NULL: return json_is_string(v) || json_is_null(v);
	case SF_HTTP_ANY: return 1;
	}
	return 0;
}

int sf_http_fields(const json_t *obj, const struct sf_http_field *fields,
		   const json_t **vals, const char *where)
{
	const char *key;
	json_t *v;
	int i;

	json_object_foreach((json_t *)obj, key, v) {
		for (i = 0; fields[i].name && strcmp(fields[i].name, key); i++)
			;
		if (!fields[i].name)
			return sf_error(SF_EINVAL, "%s: unknown field '%s'", where,
					sf_text_quote(key));
		if (!type_ok(fields[i].type, v))
			return sf_error(SF_EINVAL, "%s: field '%s' must be %s", where, key,
					type_name(fields[i].type));
	}
	for (i = 0; fields[i].name; i++) {
		vals[i] = obj ? json_object_get(obj, fields[i].name) : NULL;
		if (fields[i].required && !vals[i])
			return sf_error(SF_EINVAL, "%s: field '%s' is required", where,
					fields[i].name);
	}
	return 0;
}

const char *sf_http_query(const struct sf_http_req *req, const char *name)
{
	return json_string_value(json_object_get(req->query, name));
}

int sf_http_reply(struct sf_http_resp *resp, int status, json_t *body)
{
	resp->status = status;
	json_decref(resp->body);
	resp->body = body;
	return 0;
}

void sf_http_header(struct sf_http_resp *resp, const char *name, const char *fmt, ...)
{
	struct sf_http_header *h;
	va_list ap;

	if (resp->nheaders == SF_HTTP_HEADERS_MAX)
		return;
	h = &resp->headers[resp->nheaders++];
	h->name = name;
	va_start(ap, fmt);
	vsnprintf(h->value, sizeof(h->value), fmt, ap);
	va_end(ap);
}

const char *sf_http_str(const json_t *v)
{
	return json_string_value(v);
}
