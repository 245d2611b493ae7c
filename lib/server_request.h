/*
 * server_request.h - one API request from arrival to response, apart
 * from libmicrohttpd: route it, check the body and the token, get the
 * worker's database connection, run the handler, and turn a failure into
 * the one error shape.  server.c feeds it what the connection carried.
 */
#ifndef SF_SERVER_REQUEST_H
#define SF_SERVER_REQUEST_H

#include <jansson.h>
#include <stddef.h>

#include "http.h"
#include "server.h"

struct sf_server_call {
	const char *method;
	const char *path;           /* decoded */
	const char *authorization;  /* the header, or NULL */
	const char *content_type;
	const char *address;        /* the client */
	const char *body;
	size_t body_len;
	json_t *query;              /* object of strings */
	const char *range;          /* the Range and If-None-Match headers, or NULL */
	const char *if_none_match;
	const char *origin;         /* "http://host:port" as the client named it */
	int query_rc;               /* non-zero: the query was bad (message set) */
};

struct sf_server_result {
	int route;                  /* index in sf_routes, or -1 */
	long long account;          /* the caller, 0 if anonymous */
	int code;                   /* the SF_E* code answered, 0 on success */
	char allow[64];             /* for a path known under other methods */
};

void sf_server_handle(const struct sf_server_config *cfg, const struct sf_server_call *call,
		      struct sf_http_resp *resp, struct sf_server_result *res);

/* The error body of code with message ({"error": {code, message}}). */
json_t *sf_server_error_json(const char *code, const char *message);

#endif
