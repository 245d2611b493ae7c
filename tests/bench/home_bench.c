/*
 * home_bench.c - homepage latency in-process: the time sf_homepage()
 * takes inside one process with one open connection, i.e. what "sf
 * serve" adds to a request, without process start-up or printing.
 * tests/bench/home.sh runs it and turns its samples into percentiles
 * beside the CLI's and sf serve's.
 *
 * usage: home_bench.t PROFILES ROUNDS
 *
 * PROFILES has one profile reference a line.  Each round asks every
 * profile's homepage twice: computed ("uncached": --fresh, the path of
 * the first request after the profile's own change) and then from the
 * cache.  Every profile is asked once first to warm up.  Output: one
 * line a sample, "uncached|cached microseconds", tab-separated.  The
 * database is SF_DATABASE_URL (or the embedded one), asked as the
 * operating-system user (the operator, who may see every profile).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "actor.h"
#include "db.h"
#include "error.h"
#include "homepage.h"
#include "store.h"
#include "xalloc.h"

static double now_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e6 + (double)ts.tv_nsec / 1e3;
}

/* One homepage; its time in microseconds, or -1 (reported) if it failed. */
static double run(struct sf_db *db, const struct sf_actor *actor, const char *profile,
		  bool fresh)
{
	struct sf_homepage_query q = { .profile = profile, .fresh = fresh };
	json_t *out = NULL;
	double t0 = now_us(), t;
	int rc = sf_homepage(db, actor, &q, &out);

	t = now_us() - t0;
	json_decref(out);
	if (rc) {
		fprintf(stderr, "home_bench: %s: %s\n", profile, sf_error_message());
		return -1;
	}
	return t;
}

int main(int argc, char **argv)
{
	struct sf_db *db = NULL;
	struct sf_actor actor = { 0 };
	char line[256], **refs = NULL;
	int n = 0, rounds, status = 0;
	FILE *fp;

	if (argc != 3 || (rounds = atoi(argv[2])) < 1) {
		fprintf(stderr, "usage: home_bench.t PROFILES ROUNDS\n");
		return 2;
	}
	if (!(fp = fopen(argv[1], "r"))) {
		perror(argv[1]);
		return 2;
	}
	while (fgets(line, sizeof(line), fp)) {
		line[strcspn(line, "\n")] = '\0';
		if (!*line)
			continue;
		refs = sf_xrealloc(refs, (size_t)(n + 1) * sizeof(*refs));
		refs[n++] = sf_xstrdup(line);
	}
	fclose(fp);
	if (sf_store_open(NULL, &db)) {
		fprintf(stderr, "home_bench: %s\n", sf_error_message());
		status = 1;
		goto out;
	}
	sf_actor_os(&actor);
	for (int i = 0; i < n; i++)
		if (run(db, &actor, refs[i], true) < 0)
			status = 1;
	for (int r = 0; r < rounds && !status; r++) {
		for (int i = 0; i < n; i++) {
			double fresh = run(db, &actor, refs[i], true);
			double cached = run(db, &actor, refs[i], false);

			if (fresh < 0 || cached < 0) {
				status = 1;
				break;
			}
			printf("uncached\t%.0f\ncached\t%.0f\n", fresh, cached);
		}
	}
out:
	sf_db_free(db);
	for (int i = 0; i < n; i++)
		free(refs[i]);
	free(refs);
	sf_actor_release(&actor);
	return status;
}
