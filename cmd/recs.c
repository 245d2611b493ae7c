/*
 * recs.c - "sf recs": build the recommendation models, and look at them:
 * the titles similar to a title, a profile's ranked picks, and (pure C,
 * no database) an offline evaluation of the models on a ratings file.
 *
 * Parses and prints only; lib/recs_build.c, lib/recs_read.c and
 * lib/recs_eval.c do the work (the models are described in lib/recs.h).
 */
#include <stdio.h>
#include <unistd.h>

#include "cmd.h"
#include "progress.h"
#include "recs.h"
#include "recs_eval.h"

struct build_progress {
	struct sf_progress bar;
	char what[64];
};

static void show_progress(void *arg, const char *step, long long done, long long total)
{
	struct build_progress *b = arg;

	snprintf(b->what, sizeof(b->what), "building %s", step);
	b->bar.what = b->what;
	sf_progress_update(&b->bar, done, total);
}

static int recs_build(struct sf_ctx *ctx)
{
	static const struct sf_column cols[] = {
		{ "INCREMENTAL", "incremental" }, { "TOUCHED", "touched" },
		{ "TITLES", "titles" }, { "PROFILES", "profiles" },
		{ "INTERACTIONS", "interactions" }, { "CF NEIGHBOURS", "cf_neighbours" },
		{ "CONTENT NEIGHBOURS", "content_neighbours" }, { "TRENDING", "trending" },
		{ "TOP 10", "top10" }, { "TOP RATED", "top_rated" },
		{ "MILLISECONDS", "milliseconds" }, { NULL },
	};
	struct build_progress b;
	json_t *out;
	int rc;

	sf_progress_init(&b.bar, "building", "steps");
	rc = sf_recs_build(ctx->db, &ctx->actor, sf_flag(ctx, "incremental"), show_progress, &b,
			   &out);
	sf_progress_done(&b.bar);
	if (rc)
		return rc;
	sf_print(ctx, out, cols);
	json_decref(out);
	return 0;
}

static int recs_similar(struct sf_ctx *ctx)
{
	static const struct sf_column cols[] = {
		{ "ID", "title_id" }, { "TITLE", "title" }, { "KIND", "kind" }, { "YEAR", "year" },
		{ "SOURCE", "source" }, { "SCORE", "score" }, { NULL },
	};
	json_t *out;
	int rc = sf_recs_similar(ctx->db, &ctx->actor, ctx->argv[0], sf_opt(ctx, "limit"), &out);

	if (rc)
		return rc;
	if (ctx->json)
		sf_print_json(out);
	else if (json_array_size(json_object_get(out, "items")) == 0)
		printf("no similar titles (run 'sf recs build' after some viewing)\n");
	else
		sf_print_table(json_object_get(out, "items"), cols);
	json_decref(out);
	return 0;
}

static int recs_for(struct sf_ctx *ctx)
{
	static const struct sf_column cols[] = {
		{ "ID", "title_id" }, { "TITLE", "title" }, { "YEAR", "year" }, { "SCORE", "score" },
		{ "CF", "cf" }, { "CONTENT", "content" }, { "POPULARITY", "popularity" },
		{ "AFFINITY", "affinity" }, { NULL },
	};
	json_t *out;
	int rc = sf_recs_for(ctx->db, &ctx->actor, ctx->argv[0], sf_opt(ctx, "ranker"),
			     sf_opt(ctx, "region"), sf_opt(ctx, "limit"), &out);

	if (rc)
		return rc;
	if (ctx->json)
		sf_print_json(out);
	else if (json_array_size(json_object_get(out, "items")) == 0)
		printf("nothing to recommend\n");
	else
		sf_print_table(json_object_get(out, "items"), cols);
	json_decref(out);
	return 0;
}

static int recs_eval(struct sf_ctx *ctx)
{
	static const struct sf_column cols[] = {
		{ "MODEL", "model" }, { "K", "k" }, { "RECALL", "recall" }, { "NDCG", "ndcg" },
		{ "COVERAGE", "coverage" }, { "POPULARITY BIAS", "popularity_bias" }, { NULL },
	};
	struct sf_recs_eval_spec spec = {
		.ratings = sf_opt(ctx, "ratings"), .format = sf_opt(ctx, "format"),
		.split = sf_opt(ctx, "split"), .k = sf_opt(ctx, "k"), .items = sf_opt(ctx, "items"),
		.seed = sf_opt(ctx, "seed"),
	};
	json_t *out;
	size_t i;
	int rc = sf_recs_eval(&spec, &out);

	if (rc)
		return rc;
	if (ctx->json) {
		sf_print_json(out);
	} else {
		json_t *rows = json_deep_copy(json_object_get(out, "models"));
		json_t *r;

		json_array_foreach(rows, i, r) {
			static const char *const keys[] = { "recall", "ndcg", "coverage",
							    "popularity_bias" };
			for (size_t k = 0; k < 4; k++) {
				char buf[32];

				snprintf(buf, sizeof(buf), "%.4f",
					 json_real_value(json_object_get(r, keys[k])));
				json_object_set_new(r, keys[k], json_string(buf));
			}
		}
		printf("%lld users, %lld items, %lld training and %lld test interactions\n\n",
		       (long long)json_integer_value(json_object_get(out, "users")),
		       (long long)json_integer_value(json_object_get(out, "items")),
		       (long long)json_integer_value(json_object_get(out, "train")),
		       (long long)json_integer_value(json_object_get(out, "test")));
		sf_print_table(rows, cols);
		json_decref(rows);
	}
	json_decref(out);
	return 0;
}

static const char *const formats[] = { "movielens", "csv", NULL };
static const char *const splits[] = { "time", "random", NULL };

static const struct sf_opt eval_opts[] = {
	{ "ratings", "<file>", "the ratings: user, item, rating, timestamp a line", true },
	{ "format", "<format>", "movielens (tab, :: or comma; the default) or csv", false, formats },
	{ "split", "<kind>", "hold out each user's last 20% (time, the default) or a random 20%",
	  false, splits },
	{ "k", "<list>", "the cut-offs, such as 10,20 (the default)" },
	{ "items", "<file>", "item genres for the content model (movies.dat, movies.csv, u.item)" },
	{ "seed", "<n>", "the seed of the random split (default 1)" },
	{ NULL },
};

static const struct sf_opt build_opts[] = {
	{ "incremental", NULL, "recompute only the neighbours of titles touched since the last build" },
	{ NULL },
};

static const struct sf_opt similar_opts[] = {
	{ "limit", "<n>", "at most this many titles (default 20, at most 100)" },
	{ NULL },
};

static const struct sf_opt for_opts[] = {
	{ "ranker", "<name>", "how to rank (default hybrid)", false, sf_recs_rankers },
	{ "region", "<country>", "availability as seen from this country, such as FR" },
	{ "limit", "<n>", "at most this many titles (default 20, at most 100)" },
	{ NULL },
};

#define DBJ (CMD_DB | CMD_JSON)

const struct sf_command sf_cmd_recs = {
	.name = "recs",
	.summary = "recommendation models: build them, look at them, evaluate them",
	.verbs = (const struct sf_verb[]){
		{ "build", NULL, "", "precompute neighbours, popularity, trending and top rated",
		  recs_build, DBJ, build_opts, 0, 0 },
		{ "similar", NULL, "<title>", "show the titles most similar to a title",
		  recs_similar, DBJ, similar_opts, 1, 1 },
		{ "for", NULL, "<profile>", "show a profile's ranked picks with their scores",
		  recs_for, DBJ, for_opts, 1, 1 },
		{ "eval", NULL, "", "evaluate the models offline on a ratings file", recs_eval,
		  CMD_JSON, eval_opts, 0, 0 },
		{ 0 },
	},
};
