/*
 * server_metrics.h - what sf serve counts, for GET /metrics (Prometheus
 * text format 0.0.4): requests and their latency per route and status,
 * errors per code, and the database connections of the worker threads.
 * Safe to call from any thread.
 */
#ifndef SF_SERVER_METRICS_H
#define SF_SERVER_METRICS_H

enum sf_metrics_db { SF_METRICS_DB_CONNECT, SF_METRICS_DB_CONNECT_FAIL, SF_METRICS_DB_LOST,
		     SF_METRICS_DB_CLOSE };

/* One finished request: route is an index of sf_routes, or -1. */
void sf_metrics_request(int route, int status, double seconds);
/* One API error answered, by code (error.h). */
void sf_metrics_error(int code);
void sf_metrics_db(enum sf_metrics_db what);

/* The exposition text; the caller frees it. */
char *sf_metrics_text(void);

#endif
