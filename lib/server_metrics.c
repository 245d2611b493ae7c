/*
 * server_metrics.c - counters and latency histograms behind one mutex.
 *
 * Requests are few enough per second that one lock costs nothing next to
 * a database round trip, and it keeps every histogram consistent.
 */
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "error.h"
#include "route.h"
#include "server_metrics.h"
#include "xalloc.h"

static const double buckets[] = { 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10 };
#define NBUCKETS (sizeof(buckets) / sizeof(buckets[0]))
#define NCLASSES 5     /* 1xx .. 5xx */
#define MAX_ROUTES 128 /* the last slot counts requests that matched no route */
#define NCODES 9       /* error codes 0 .. -8 */

struct route_stats {
	unsigned long long count[NCLASSES];
	unsigned long long bucket[NBUCKETS];
	unsigned long long n;
	double sum;
};

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static struct route_stats routes[MAX_ROUTES + 1];
static unsigned long long errors[NCODES];
static unsigned long long db_connects, db_connect_fails, db_lost;
static long long db_open;

void sf_metrics_request(int route, int status, double seconds)
{
	struct route_stats *r;
	int cls = status / 100 - 1;

	if (route < 0 || route >= MAX_ROUTES)
		route = MAX_ROUTES;
	if (cls < 0 || cls >= NCLASSES)
		cls = NCLASSES - 1;
	pthread_mutex_lock(&lock);
	r = &routes[route];
	r->count[cls]++;
	r->n++;
	r->sum += seconds;
	for (size_t i = 0; i < NBUCKETS; i++)
		if (seconds <= buckets[i])
			r->bucket[i]++;
	pthread_mutex_unlock(&lock);
}

void sf_metrics_error(int code)
{
	if (code > 0 || code <= -NCODES)
		code = SF_EINTERNAL;
	pthread_mutex_lock(&lock);
	errors[-code]++;
	pthread_mutex_unlock(&lock);
}

void sf_metrics_db(enum sf_metrics_db what)
{
	pthread_mutex_lock(&lock);
	switch (what) {
	case SF_METRICS_DB_CONNECT: db_connects++; db_open++; break;
	case SF_METRICS_DB_CONNECT_FAIL: db_connect_fails++; break;
	case SF_METRICS_DB_LOST: db_lost++; db_open--; break;
	case SF_METRICS_DB_CLOSE: db_open--; break;
	}
	pthread_mutex_unlock(&lock);
}

struct buf {
	char *s;
	size_t len, cap;
};

static void add(struct buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void add(struct buf *b, const char *fmt, ...)
{
	va_list ap;
	int n;

	for (;;) {
		va_start(ap, fmt);
		n = vsnprintf(b->s + b->len, b->cap - b->len, fmt, ap);
		va_end(ap);
		if ((size_t)n < b->cap - b->len)
			break;
		b->cap = 2 * b->cap + (size_t)n;
		b->s = sf_xrealloc(b->s, b->cap);
	}
	b->len += (size_t)n;
}

static void route_label(int i, char *out, size_t size)
{
	if (i < sf_route_count && i < MAX_ROUTES)
		snprintf(out, size, "%s %s", sf_routes[i].method, sf_routes[i].pattern);
	else
		snprintf(out, size, "unmatched");
}

char *sf_metrics_text(void)
{
	struct buf b = { sf_xmalloc(4096), 0, 4096 };
	char label[200];
	int n = sf_route_count < MAX_ROUTES ? sf_route_count : MAX_ROUTES;

	b.s[0] = 0;
	pthread_mutex_lock(&lock);
	add(&b, "# HELP sf_http_requests_total Requests answered, by route and status class.\n"
		"# TYPE sf_http_requests_total counter\n");
	for (int i = 0; i <= MAX_ROUTES; i++) {
		if (i == n)
			i = MAX_ROUTES;
		route_label(i, label, sizeof(label));
		for (int c = 0; c < NCLASSES; c++)
			if (routes[i].count[c] || (c == 1 && i < n))
				add(&b, "sf_http_requests_total{route=\"%s\",status=\"%dxx\"} %llu\n",
				    label, c + 1, routes[i].count[c]);
	}
	add(&b, "# HELP sf_http_request_duration_seconds Time from request to response, by route.\n"
		"# TYPE sf_http_request_duration_seconds histogram\n");
	for (int i = 0; i <= MAX_ROUTES; i++) {
		if (i == n)
			i = MAX_ROUTES;
		route_label(i, label, sizeof(label));
		for (size_t k = 0; k < NBUCKETS; k++)
			add(&b, "sf_http_request_duration_seconds_bucket{route=\"%s\",le=\"%g\"} %llu\n",
			    label, buckets[k], routes[i].bucket[k]);
		add(&b, "sf_http_request_duration_seconds_bucket{route=\"%s\",le=\"+Inf\"} %llu\n"
			"sf_http_request_duration_seconds_sum{route=\"%s\"} %.6f\n"
			"sf_http_request_duration_seconds_count{route=\"%s\"} %llu\n",
		    label, routes[i].n, label, routes[i].sum, label, routes[i].n);
	}
	add(&b, "# HELP sf_http_errors_total Error responses, by error code.\n"
		"# TYPE sf_http_errors_total counter\n");
	for (int c = 1; c < NCODES; c++)
		add(&b, "sf_http_errors_total{code=\"%s\"} %llu\n", sf_error_name(-c), errors[c]);
	add(&b, "# HELP sf_db_connections Open database connections (one per worker thread).\n"
		"# TYPE sf_db_connections gauge\nsf_db_connections %lld\n"
		"# HELP sf_db_connects_total Database connections made.\n"
		"# TYPE sf_db_connects_total counter\nsf_db_connects_total %llu\n"
		"# HELP sf_db_connect_failures_total Failed attempts to connect.\n"
		"# TYPE sf_db_connect_failures_total counter\nsf_db_connect_failures_total %llu\n"
		"# HELP sf_db_connections_lost_total Connections dropped after an error.\n"
		"# TYPE sf_db_connections_lost_total counter\nsf_db_connections_lost_total %llu\n",
	    db_open, db_connects, db_connect_fails, db_lost);
	pthread_mutex_unlock(&lock);
	return b.s;
}
