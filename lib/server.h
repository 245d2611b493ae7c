/*
 * server.h - sf serve: the HTTP JSON API on libmicrohttpd.
 *
 * libmicrohttpd runs a pool of worker threads, each with its own epoll
 * loop; a request is handled start to finish on one worker, and each
 * worker keeps one database connection of its own, opened on first use.
 * When a query finds the database gone, that request gets 503 and the
 * connection is dropped; the next request on that worker connects again,
 * so the server recovers by itself when PostgreSQL returns.
 *
 * Stopping (sf_server_stop) closes the listening socket at once, lets the
 * requests in flight finish for up to the grace period, then closes every
 * connection.  The server never prints: the access log and its own
 * troubles go to the log callback, one line each.
 */
#ifndef SF_SERVER_H
#define SF_SERVER_H

#include "http.h"
#include "jwt.h"

struct sf_server;

struct sf_server_config {
	const char *listen;    /* "127.0.0.1:8080", "[::1]:8080", "unix:/path/sock" */
	int threads;           /* worker threads, 1 or more */
	const char *conninfo;  /* what each worker connects to */
	struct sf_jwt_key key; /* signs access tokens */
	int timeout;           /* seconds a connection may stay idle or slow */
	int per_address;       /* connections one client address may hold (TCP) */
	struct sf_http_media media;  /* signing and serving media (/media/...) */
	/* Called with one line (no newline) per request and per problem. */
	void (*log)(void *arg, const char *line);
	void *log_arg;
};

/* The connection string for the database that db_url (or SF_DATABASE_URL,
 * or the embedded cluster) names, after making it ready as sf_store_open
 * does (starting and migrating the embedded cluster).  Caller frees. */
int sf_server_conninfo(const char *db_url, char **out);

/* Binds and starts serving.  A listen address that cannot be parsed is
 * SF_EINVAL; one in use or not permitted SF_EUNAVAIL. */
int sf_server_start(const struct sf_server_config *cfg, struct sf_server **out);

/* Where it listens, with the real port ("127.0.0.1:41234"). */
const char *sf_server_address(const struct sf_server *s);

/* Stops as described above and frees s. */
void sf_server_stop(struct sf_server *s, int grace_seconds);

#endif
