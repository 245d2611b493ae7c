/*
 * demo.c - "sf demo": demo data.  "sf demo generate" fills the catalog
 * with a deterministic, plausible catalog of any size (lib/demo.c);
 * "sf demo load" loads a small catalog with real media to play
 * (lib/media_demo.c), encoding it with workers (worker.h).
 *
 * On a terminal it shows which step it is at on standard error, on one
 * line that it clears when done; the summary goes to standard output.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cmd.h"
#include "demo.h"
#include "error.h"
#include "media.h"
#include "media_demo.h"
#include "worker.h"

static const struct sf_column cols[] = {
	{ "SEED", "seed" }, { "TITLES", "titles" }, { "MOVIES", "movies" },
	{ "SERIES", "series" }, { "SEASONS", "seasons" }, { "EPISODES", "episodes" },
	{ "PEOPLE", "people" }, { "CREDITS", "credits" }, { "GENRES", "genres" },
	{ "VIEWERS", "viewers" }, { "PLAYS", "plays" }, { "RATINGS", "ratings" },
	{ "REPLACED", "replaced_titles" }, { "MILLISECONDS", "milliseconds" }, { NULL },
};

static void show_progress(void *arg, const char *step, long long done, long long total)
{
	(void)arg;
	fprintf(stderr, "\r\033[Kgenerating %s: %lld%%", step, total ? done * 100 / total : 100);
	fflush(stderr);
}

static int demo_generate(struct sf_ctx *ctx)
{
	struct sf_demo_spec spec = SF_DEMO_SPEC_INIT;
	struct sf_demo_summary sum;
	bool tty = isatty(STDERR_FILENO);
	json_t *j;
	int rc;

	if ((rc = sf_opt_int(ctx, "titles", 1, SF_DEMO_MAX_TITLES, &spec.titles)) ||
	    (rc = sf_opt_int(ctx, "series", 0, SF_DEMO_MAX_TITLES, &spec.series)) ||
	    (rc = sf_opt_int(ctx, "episodes", 0, SF_DEMO_MAX_EPISODES, &spec.episodes)) ||
	    (rc = sf_opt_int(ctx, "people", 1, SF_DEMO_MAX_PEOPLE, &spec.people)) ||
	    (rc = sf_opt_int(ctx, "seed", 0, SF_DEMO_MAX_SEED, &spec.seed)) ||
	    (rc = sf_opt_int(ctx, "viewers", 0, SF_DEMO_MAX_VIEWERS, &spec.viewers)) ||
	    (rc = sf_opt_int(ctx, "plays", 0, SF_DEMO_MAX_VIEWERS * SF_DEMO_MAX_PLAYS_PER_VIEWER,
			     &spec.plays)))
		return rc;
	spec.replace = sf_flag(ctx, "replace");
	rc = sf_demo_generate(ctx->db, &ctx->actor, &spec, tty ? show_progress : NULL, NULL,
			      &sum);
	if (tty)
		fputs("\r\033[K", stderr);
	if (rc)
		return rc;
	j = sf_demo_summary_json(&sum);
	sf_print(ctx, j, cols);
	json_decref(j);
	return 0;
}

static void load_progress(void *arg, const char *step, long long done, long long total)
{
	(void)arg;
	if (!strcmp(step, "catalog"))
		fprintf(stderr, "\r\033[Kloading the catalog");
	else
		fprintf(stderr, "\r\033[Kmaking clips: %lld of %lld", done, total);
	fflush(stderr);
}

static const struct sf_column load_cols[] = {
	{ "TITLES", "titles" }, { "MOVIES", "movies" }, { "SERIES", "series" },
	{ "EPISODES", "episodes" }, { "ENCODED", "encoded" }, { "FAILED", "failed" },
	{ "SKIPPED", "skipped" }, { "SECONDS", "seconds" }, { NULL },
};

struct load {
	struct sf_ctx *ctx;
	int titles;
	bool tty;
	json_t **sum;
};

static int produce(void *arg)
{
	struct load *l = arg;

	return sf_media_demo_load(l->ctx->db, &l->ctx->actor, l->titles,
				  l->tty ? load_progress : NULL, NULL, l->sum);
}

static int demo_load(struct sf_ctx *ctx)
{
	long long titles = SF_MEDIA_DEMO_TITLES, jobs = 2;
	bool tty = isatty(STDERR_FILENO);
	struct timespec t0, t1;
	json_t *sum = NULL, *failed = NULL;
	int rc, status;

	clock_gettime(CLOCK_MONOTONIC, &t0);
	if ((rc = sf_opt_int(ctx, "titles", 1, SF_MEDIA_DEMO_TITLES, &titles)) ||
	    (rc = sf_opt_int(ctx, "concurrency", 1, 64, &jobs)))
		return rc;
	/* Synthetic clips need no slow preset; the operator's choice wins. */
	setenv("SF_MEDIA_PRESET", getenv("SF_MEDIA_PRESET") ? getenv("SF_MEDIA_PRESET")
	       : "superfast", 1);
	/* The workers encode each clip as soon as it is queued, while the
	 * next ones are made; they stop when the queue is empty after that. */
	struct load l = { ctx, (int)titles, tty, &sum };
	status = sf_worker_run(ctx->db_url, ctx->db, (int)jobs, true, true, produce, &l);
	if (tty)
		fputs("\r\033[K", stderr);
	/* A clip whose encode failed once waits for its retry (10 s, then
	 * 40 s): the drained workers left it queued, so wait for it here
	 * rather than count it encoded. */
	for (int waited = 0; !status && waited < 120; waited += 2) {
		json_t *queued = NULL;
		size_t n;

		if ((rc = sf_media_list(ctx->db, &ctx->actor, NULL, "queued", &queued))) {
			json_decref(sum);
			return rc;
		}
		n = json_array_size(queued);
		json_decref(queued);
		if (!n)
			break;
		sleep(2);
		status = sf_worker_run(ctx->db_url, ctx->db, 1, true, true, NULL, NULL);
	}
	if (status) {
		json_decref(sum);
		return status;
	}
	rc = sf_media_list(ctx->db, &ctx->actor, NULL, "failed", &failed);
	if (!rc) {
		clock_gettime(CLOCK_MONOTONIC, &t1);
		json_object_set_new(sum, "encoded", json_integer(
			json_integer_value(json_object_get(sum, "queued"))
			- (json_int_t)json_array_size(failed)));
		json_object_set_new(sum, "failed", json_integer((json_int_t)json_array_size(failed)));
		json_object_set_new(sum, "seconds", json_integer(llround(
			(double)(t1.tv_sec - t0.tv_sec) + (t1.tv_nsec - t0.tv_nsec) / 1e9)));
		json_object_del(sum, "queued");
		sf_print(ctx, sum, load_cols);
		if (json_array_size(failed))
			rc = sf_error(SF_EINTERNAL, "%zu demo clip%s failed to encode; see 'sf media "
				      "list --status failed'", json_array_size(failed),
				      json_array_size(failed) == 1 ? "" : "s");
	}
	json_decref(failed);
	json_decref(sum);
	return rc ? rc : status;
}

static const struct sf_opt load_opts[] = {
	{ "titles", "<n>", "load only the first n of the 40 titles (default all)" },
	{ "concurrency", "<n>", "encode n clips at once (default 2)" },
	{ NULL },
};

static const struct sf_opt generate_opts[] = {
	{ "titles", "<n>", "how many titles, movies and series (default 1000, at most 1000000)" },
	{ "series", "<n>", "how many of them are series (default a fifth)" },
	{ "episodes", "<n>", "episodes of all series together (default 50 a series, "
	  "at most 10000000)" },
	{ "people", "<n>", "people to credit (default as many as titles, at least 100)" },
	{ "seed", "<n>", "the seed: the same seed and sizes give the same catalog (default 1)" },
	{ "viewers", "<n>", "synthetic viewers with hidden tastes who watch the catalog "
	  "(default 0, at most 1000000)" },
	{ "plays", "<n>", "plays of all viewers together, each a start and an end event "
	  "(default 25 a viewer)" },
	{ "replace", NULL, "delete the catalog and demo viewers that are there first" },
	{ NULL },
};

const struct sf_command sf_cmd_demo = {
	.name = "demo",
	.summary = "generate demo data: a plausible catalog of any size",
	.verbs = (const struct sf_verb[]){
		{ "generate", NULL, "", "fill the catalog with generated titles, series and people, "
		  "and viewers who watch them",
		  demo_generate, CMD_DB | CMD_JSON, generate_opts, 0, 0 },
		{ "load", NULL, "", "load a small catalog with real media to play", demo_load,
		  CMD_DB | CMD_JSON, load_opts, 0, 0 },
		{ 0 },
	},
};
