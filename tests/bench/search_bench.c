/*
 * search_bench.c - search and suggest latency in-process: the time
 * sf_search() and sf_search_suggest() take inside one process with one
 * open connection, i.e. what "sf serve" would add to a request, without
 * process start-up or printing.  tests/bench/catalog.sh runs it and turns
 * its samples into percentiles beside the CLI's and the raw SQL's.
 *
 * usage: search_bench.t MIX ROUNDS
 *
 * MIX has one query a line, tab-separated: kind (search or suggest),
 * category, the words (or the prefix), and options as name=value pairs
 * separated by ';' (genre=Drama;year=1990..1999; the names of the
 * sf_search_request fields, plus profile, region and limit for suggest).
 * Every query runs once to warm up, then ROUNDS rounds run the whole mix
 * in its order.  Output: one line a sample, "kind category index round
 * microseconds", tab-separated; a query that fails is reported once on
 * standard error and left out.  The database is SF_DATABASE_URL (or the
 * embedded one), searched as the operating-system user (the operator's
 * view) unless the query names a profile.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "actor.h"
#include "db.h"
#include "error.h"
#include "search.h"
#include "store.h"
#include "xalloc.h"

struct query {
	char *kind, *category, *words, *options;
	struct sf_search_request req;
	const char *suggest_limit;
	int failed;
};

static double now_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e6 + (double)ts.tv_nsec / 1e3;
}

/* Points the request's fields at the values of "name=value;...", which
 * it cuts up in place. */
static int parse_options(struct query *q)
{
	char *save = NULL;

	for (char *o = strtok_r(q->options, ";", &save); o; o = strtok_r(NULL, ";", &save)) {
		char *eq = strchr(o, '=');
		const char **field = NULL;

		if (!eq)
			return -1;
		*eq = '\0';
		if (!strcmp(o, "profile"))
			field = &q->req.profile;
		else if (!strcmp(o, "region"))
			field = &q->req.region;
		else if (!strcmp(o, "genre"))
			field = &q->req.genre;
		else if (!strcmp(o, "year"))
			field = &q->req.year;
		else if (!strcmp(o, "min_rating"))
			field = &q->req.min_rating;
		else if (!strcmp(o, "type"))
			field = &q->req.type;
		else if (!strcmp(o, "lang"))
			field = &q->req.lang;
		else if (!strcmp(o, "sort"))
			field = &q->req.sort;
		else if (!strcmp(o, "page"))
			field = &q->req.page;
		else if (!strcmp(o, "limit"))
			field = !strcmp(q->kind, "suggest") ? &q->suggest_limit : &q->req.limit;
		if (!field)
			return -1;
		*field = eq + 1;
	}
	return 0;
}

static void free_queries(struct query *qs, int n)
{
	for (int i = 0; i < n; i++) {
		free(qs[i].kind);
		free(qs[i].category);
		free(qs[i].words);
		free(qs[i].options);
	}
	free(qs);
}

/* Reads the mix; on failure *out holds what was read, for free_queries. */
static int load(const char *path, struct query **out, int *n)
{
	FILE *fp = fopen(path, "r");
	char line[2048];

	*out = NULL;
	*n = 0;
	if (!fp)
		return -1;
	while (fgets(line, sizeof(line), fp)) {
		char *f[4] = { 0 }, *p = line;
		struct query *q;

		line[strcspn(line, "\n")] = '\0';
		if (!*line || *line == '#')
			continue;
		for (int i = 0; i < 4; i++) {
			f[i] = p;
			p = p ? strchr(p, '\t') : NULL;
			if (p)
				*p++ = '\0';
		}
		if (!f[2] || (strcmp(f[0], "search") && strcmp(f[0], "suggest"))) {
			fprintf(stderr, "search_bench: %s: bad line '%s'\n", path, line);
			fclose(fp);
			return -1;
		}
		*out = sf_xrealloc(*out, (size_t)(*n + 1) * sizeof(**out));
		q = &(*out)[(*n)++];
		memset(q, 0, sizeof(*q));
		q->kind = sf_xstrdup(f[0]);
		q->category = sf_xstrdup(f[1]);
		q->words = sf_xstrdup(f[2]);
		q->options = sf_xstrdup(f[3] ? f[3] : "");
		if (parse_options(q)) {
			fprintf(stderr, "search_bench: %s: bad options in line %d\n", path, *n);
			fclose(fp);
			return -1;
		}
		q->req.query = *q->words ? q->words : NULL;
	}
	fclose(fp);
	return 0;
}

/* Runs one query; returns its time in microseconds, or -1 if it failed. */
static double run(struct sf_db *db, const struct sf_actor *actor, struct query *q)
{
	json_t *out = NULL;
	double t0 = now_us(), t;
	int rc;

	if (!strcmp(q->kind, "search"))
		rc = sf_search(db, actor, &q->req, &out);
	else
		rc = sf_search_suggest(db, actor, q->words, q->req.profile, q->req.region,
				       q->suggest_limit, &out);
	t = now_us() - t0;
	json_decref(out);
	if (rc) {
		if (!q->failed)
			fprintf(stderr, "search_bench: %s '%s' failed: %s\n", q->kind, q->words,
				sf_error_message());
		q->failed = 1;
		return -1;
	}
	return t;
}

int main(int argc, char **argv)
{
	struct sf_db *db = NULL;
	struct sf_actor actor = { 0 };
	struct query *qs = NULL;
	int n = 0, rounds, status = 0;

	if (argc != 3 || (rounds = atoi(argv[2])) < 1) {
		fprintf(stderr, "usage: search_bench.t MIX ROUNDS\n");
		return 2;
	}
	if (load(argv[1], &qs, &n)) {
		status = 2;
		goto out;
	}
	if (sf_store_open(NULL, &db)) {
		fprintf(stderr, "search_bench: %s\n", sf_error_message());
		status = 1;
		goto out;
	}
	sf_actor_os(&actor);
	for (int i = 0; i < n; i++)
		run(db, &actor, &qs[i]);
	for (int r = 0; r < rounds; r++) {
		for (int i = 0; i < n; i++) {
			double us;

			if (qs[i].failed || (us = run(db, &actor, &qs[i])) < 0)
				continue;
			printf("%s\t%s\t%d\t%d\t%.0f\n", qs[i].kind, qs[i].category, i, r, us);
		}
	}
out:
	free_queries(qs, n);
	sf_actor_release(&actor);
	sf_db_free(db);
	return status;
}
