/*
 * http.h - one API request and its response, as the route handlers see
 * them, independent of libmicrohttpd (server.c fills them in).
 *
 * A handler reads its path parameters, query and JSON body from the
 * request, does its work through the domain modules as req->actor, and
 * either sets resp (status and JSON body) and returns 0, or returns a
 * negative SF_E* code with a message: the server turns that into
 *	{"error": {"code": "not_found", "message": "profile '9': not found"}}
 * with the HTTP status of the error table (error.h).
 *
 * Bodies and queries are checked against a list of the fields a route
 * accepts (sf_http_fields): an unknown field, a wrong type or a missing
 * required field is SF_EINVAL naming the field, so a client can never set
 * what the route does not offer ("role" on the account).
 */
#ifndef SF_HTTP_H
#define SF_HTTP_H

#include <jansson.h>

#include "actor.h"
#include "jwt.h"

struct sf_db;

#define SF_HTTP_PARAMS_MAX 4
#define SF_HTTP_BODY_MAX (64 * 1024)   /* bytes; a larger body is 413 */
#define SF_HTTP_PAGE_MAX 100           /* items per page, at most */

struct sf_http_req {
	const char *method;
	const char *path;
	const char *params[SF_HTTP_PARAMS_MAX];  /* the {…} parts of the path, in order */
	json_t *query;             /* object of strings: the query arguments */
	json_t *body;              /* the JSON body (an object), or NULL */
	const char *address;       /* the client: "192.0.2.7", "unix" */
	struct sf_db *db;          /* this worker's connection */
	const struct sf_jwt_key *key;
	struct sf_actor actor;     /* the caller, when authenticated */
	long long session;         /* the caller's session */
	int authenticated;
	/* Headers the media routes read, or NULL. */
	const char *range;         /* Range */
	const char *if_none_match; /* If-None-Match */
	const char *origin;        /* scheme://host[:port] the client used */
	const struct sf_http_media *media;  /* how the server hands out media */
};

/* How sf serve signs and serves media (route_media.c, route_playback.c). */
struct sf_http_media {
	const char *secret;        /* the media secret (media_sign.h); NULL: none */
	const char *base;          /* put before signed paths ("https://cdn.example"); NULL: the origin */
	long long ttl;             /* seconds a signed URL lasts */
};

#define SF_HTTP_HEADERS_MAX 6
struct sf_http_header {
	const char *name;          /* a string constant */
	char value[96];
};

struct sf_http_resp {
	int status;                /* 200 unless set */
	json_t *body;              /* sent as JSON; NULL: no body (204) */
	char *text;                /* or a text body (metrics), freed by the server */
	const char *content_type;  /* for text */
	long long retry_after;     /* seconds, for 429; 0: none */
	/* Or a file: length bytes of fd from offset, sent zero-copy; the
	 * server closes fd.  Set with sf_http_reply_file. */
	int file;
	int fd;
	long long offset, length;
	const char *cache_control; /* instead of "no-store" */
	struct sf_http_header headers[SF_HTTP_HEADERS_MAX];
	int nheaders;
};

/* Field types of sf_http_fields. */
enum sf_http_type { SF_HTTP_STRING, SF_HTTP_INT, SF_HTTP_BOOL, SF_HTTP_ANY,
		    SF_HTTP_STRING_OR_NULL };

struct sf_http_field {
	const char *name;
	enum sf_http_type type;
	int required;
};

/* Checks obj (a body, or NULL for none) against fields (terminated by a
 * NULL name) and stores each field's value (or NULL) in vals, parallel to
 * fields.  where is "body" or "query", for messages. */
int sf_http_fields(const json_t *obj, const struct sf_http_field *fields,
		   const json_t **vals, const char *where);

/* The query argument's text, or NULL. */
const char *sf_http_query(const struct sf_http_req *req, const char *name);

/* Sets the response: status and body (the reference is taken). */
int sf_http_reply(struct sf_http_resp *resp, int status, json_t *body);

/* Adds a response header (silently ignored past SF_HTTP_HEADERS_MAX). */
void sf_http_header(struct sf_http_resp *resp, const char *name, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* The string value, NULL for an absent field or JSON null. */
const char *sf_http_str(const json_t *v);

#endif
