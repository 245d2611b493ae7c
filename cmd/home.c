/*
 * home.c - "sf home": a profile's personalized homepage, its rows and
 * hero title (lib/homepage.c; the rules are in lib/homepage.h).
 *
 * Human output is one block a row: its title, its reason, and its
 * items, numbered; --json prints the homepage's JSON form.
 */
#include <stdio.h>

#include "cmd.h"
#include "homepage.h"
#include "recs.h"

static void show_item(int n, const json_t *it)
{
	const json_t *ep = json_object_get(it, "episode"), *rank = json_object_get(it, "rank");
	const json_t *year = json_object_get(it, "year");

	printf("  %2d. ", n);
	if (rank)
		printf("#%lld ", (long long)json_integer_value(rank));
	printf("%s", json_string_value(json_object_get(it, "title")));
	if (json_is_integer(year))
		printf(" (%lld)", (long long)json_integer_value(year));
	if (json_is_object(ep))
		printf(" S%02lldE%02lld %s",
		       (long long)json_integer_value(json_object_get(ep, "season")),
		       (long long)json_integer_value(json_object_get(ep, "number")),
		       json_string_value(json_object_get(ep, "name")));
	if (json_object_get(it, "state"))
		printf(" [%s]", json_string_value(json_object_get(it, "state")));
	putchar('\n');
}

static int home(struct sf_ctx *ctx)
{
	struct sf_homepage_query q = {
		.profile = ctx->argv[0], .ranker = sf_opt(ctx, "ranker"),
		.region = sf_opt(ctx, "region"), .fresh = sf_flag(ctx, "fresh"),
	};
	const json_t *row, *it, *hero;
	json_t *out;
	size_t i, j;
	int rc = sf_homepage(ctx->db, &ctx->actor, &q, &out);

	if (rc)
		return rc;
	if (ctx->json) {
		sf_print_json(out);
		json_decref(out);
		return 0;
	}
	hero = json_object_get(out, "hero");
	if (json_is_object(hero))
		printf("%s\n  %s\n\n", json_string_value(json_object_get(hero, "title")),
		       json_string_value(json_object_get(hero, "reason")));
	json_array_foreach(json_object_get(out, "rows"), i, row) {
		const char *reason = json_string_value(json_object_get(row, "reason"));

		printf("%s%s%s\n", json_string_value(json_object_get(row, "title")),
		       reason ? " - " : "", reason ? reason : "");
		json_array_foreach(json_object_get(row, "items"), j, it)
			show_item((int)j + 1, it);
		putchar('\n');
	}
	if (json_array_size(json_object_get(out, "rows")) == 0)
		printf("nothing to show yet\n");
	json_decref(out);
	return 0;
}

static const struct sf_opt opts[] = {
	{ "ranker", "<name>", "how to rank the personal rows (home.ranker; default hybrid)", false,
	  sf_recs_rankers },
	{ "region", "<country>", "availability as seen from this country, such as FR" },
	{ "fresh", NULL, "compute the rows even when the cached ones are still valid" },
	{ NULL },
};

const struct sf_command sf_cmd_home = {
	.name = "home",
	.summary = "show a profile's personalized homepage",
	.verbs = (const struct sf_verb[]){
		{ NULL, NULL, "<profile>", "show a profile's personalized homepage", home,
		  CMD_DB | CMD_JSON, opts, 1, 1 },
		{ 0 },
	},
};
