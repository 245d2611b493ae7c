/*
 * search.c - "sf search": search the catalog, complete a title
 * (--suggest), and show what people search for ("sf search stats").
 *
 * One command without verbs, three modes: words (or none) search; a
 * --suggest prefix completes; the single word "stats" reads the search
 * log ("sf search -- stats" searches for the word).  Each mode refuses the
 * options of the others.  Parses and prints only; lib/search.c does the
 * work.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "error.h"
#include "search.h"
#include "text.h"
#include "xalloc.h"

static const char *const sort_names[] = { "relevance", "newest", "oldest", "rating", "popular",
					  NULL };
static const char *const type_names[] = { "movie", "series", NULL };

/* The options of each mode, by name. */
static const char *const search_only[] = { "genre", "year", "min-rating", "type", "lang",
					   "sort", "page", NULL };
static const char *const viewer_opts[] = { "profile", "region", NULL };
static const char *const stats_only[] = { "zero-results", "since", NULL };

/* SF_EINVAL naming the first option of names that was given. */
static int refuse(const struct sf_ctx *ctx, const char *const *names, const char *why)
{
	for (int i = 0; names[i]; i++)
		if (sf_opt(ctx, names[i]))
			return sf_error(SF_EINVAL, "search: --%s %s", names[i], why);
	return 0;
}

/* 12345 -> "12,345". */
static const char *thousands(long long n, char buf[32])
{
	char digits[32];
	size_t len, j = 0;

	snprintf(digits, sizeof(digits), "%lld", n);
	len = strlen(digits);
	for (size_t i = 0; i < len; i++) {
		if (i && (len - i) % 3 == 0)
			buf[j++] = ',';
		buf[j++] = digits[i];
	}
	buf[j] = '\0';
	return buf;
}

/* The items as table rows, with the cells made readable. */
static json_t *display_rows(const json_t *items)
{
	json_t *rows = json_array(), *it;
	size_t i;

	json_array_foreach(items, i, it) {
		json_t *row = json_deep_copy(it), *g, *ep = json_object_get(it, "episode");
		json_t *rating = json_object_get(it, "rating");
		char *genres = sf_xstrdup(""), *title, buf[32];
		size_t k;

		json_array_foreach(json_object_get(it, "genres"), k, g) {
			char *next = sf_xasprintf("%s%s%s", genres, k ? ", " : "", json_string_value(g));

			free(genres);
			genres = next;
		}
		if (json_is_object(ep))
			title = sf_xasprintf("%s (episode S%02lldE%02lld %s)",
					     json_string_value(json_object_get(it, "title")),
					     (long long)json_integer_value(json_object_get(ep, "season")),
					     (long long)json_integer_value(json_object_get(ep, "number")),
					     json_string_value(json_object_get(ep, "name")));
		else
			title = sf_xstrdup(json_string_value(json_object_get(it, "title")));
		if (json_is_number(rating)) {
			snprintf(buf, sizeof(buf), "%.1f", json_number_value(rating));
			json_object_set_new(row, "rating", json_string(buf));
		}
		json_object_set_new(row, "title", json_string(title));
		json_object_set_new(row, "genres", json_string(*genres ? genres : "-"));
		json_array_append_new(rows, row);
		free(genres);
		free(title);
	}
	return rows;
}

static void print_results(const struct sf_ctx *ctx, const json_t *r)
{
	static const struct sf_column viewer_cols[] = {
		{ "#", "rank" }, { "ID", "id" }, { "KIND", "kind" }, { "TITLE", "title" },
		{ "YEAR", "year" }, { "RATING", "rating" }, { "GENRES", "genres" }, { NULL },
	};
	static const struct sf_column operator_cols[] = {
		{ "#", "rank" }, { "ID", "id" }, { "KIND", "kind" }, { "TITLE", "title" },
		{ "YEAR", "year" }, { "RATING", "rating" }, { "STATUS", "status" },
		{ "GENRES", "genres" }, { NULL },
	};
	const json_t *items = json_object_get(r, "items");
	long long total = json_integer_value(json_object_get(r, "total"));
	long long page = json_integer_value(json_object_get(r, "page"));
	long long pages = json_integer_value(json_object_get(r, "pages"));
	long long limit = json_integer_value(json_object_get(r, "limit"));
	const char *query = json_string_value(json_object_get(r, "query"));
	size_t n = json_array_size(items);
	char a[32], b[32], c[32];
	json_t *rows;

	if (total == 0) {
		if (*query)
			printf("no titles match '%s'\n", query);
		else
			printf("no titles match these filters\n");
		return;
	}
	if (n == 0) {
		printf("page %lld is past the end: %s results on %lld page%s\n", page,
		       thousands(total, a), pages, pages == 1 ? "" : "s");
		return;
	}
	if (json_is_string(json_object_get(r, "corrected")))
		printf("no titles match '%s'; showing results for '%s':\n\n", query,
		       json_string_value(json_object_get(r, "corrected")));
	else if (json_is_true(json_object_get(r, "fuzzy")))
		printf("no titles match '%s'; these come close:\n\n", query);
	rows = display_rows(items);
	sf_print_table(rows, sf_opt(ctx, "profile") ? viewer_cols : operator_cols);
	json_decref(rows);
	printf("\nshowing %s\u2013%s of %s%s (page %lld of %lld", thousands((page - 1) * limit + 1, a),
	       thousands((page - 1) * limit + (long long)n, b),
	       json_is_true(json_object_get(r, "total_exact")) ? "" : "more than ",
	       thousands(total, c), page, pages);
	if (total > SF_SEARCH_WINDOW)
		printf("; only the first %d can be paged through", SF_SEARCH_WINDOW);
	printf(")\n");
}

static int do_search(struct sf_ctx *ctx)
{
	struct sf_search_request req = {
		.profile = sf_opt(ctx, "profile"), .region = sf_opt(ctx, "region"),
		.genre = sf_opt(ctx, "genre"), .year = sf_opt(ctx, "year"),
		.min_rating = sf_opt(ctx, "min-rating"), .type = sf_opt(ctx, "type"),
		.lang = sf_opt(ctx, "lang"), .sort = sf_opt(ctx, "sort"),
		.page = sf_opt(ctx, "page"), .limit = sf_opt(ctx, "limit"),
	};
	char *words = sf_xstrdup("");
	json_t *r = NULL;
	int rc;

	/* The words may come as one argument or many. */
	for (int i = 0; i < ctx->argc; i++) {
		char *next = sf_xasprintf("%s%s%s", words, i ? " " : "", ctx->argv[i]);

		free(words);
		words = next;
	}
	req.query = words;
	rc = refuse(ctx, stats_only, "is for 'sf search stats'");
	if (!rc)
		rc = sf_search(ctx->db, &ctx->actor, &req, &r);
	free(words);
	if (rc)
		return rc;
	if (ctx->json)
		sf_print_json(r);
	else
		print_results(ctx, r);
	json_decref(r);
	return 0;
}

static int do_suggest(struct sf_ctx *ctx)
{
	json_t *list = NULL, *it;
	size_t i;
	int rc;

	if (ctx->argc > 0)
		return sf_error(SF_EINVAL, "search: give --suggest a prefix or words to search, "
				"not both");
	rc = refuse(ctx, search_only, "does not go with --suggest");
	if (!rc)
		rc = refuse(ctx, stats_only, "is for 'sf search stats'");
	if (!rc)
		rc = sf_search_suggest(ctx->db, &ctx->actor, sf_opt(ctx, "suggest"),
				       sf_opt(ctx, "profile"), sf_opt(ctx, "region"),
				       sf_opt(ctx, "limit"), &list);
	if (rc)
		return rc;
	if (ctx->json) {
		sf_print_json(list);
	} else {
		json_array_foreach(list, i, it) {
			const json_t *year = json_object_get(it, "year");

			if (json_is_integer(year))
				printf("%s (%lld)\n", json_string_value(json_object_get(it, "title")),
				       (long long)json_integer_value(year));
			else
				printf("%s\n", json_string_value(json_object_get(it, "title")));
		}
	}
	json_decref(list);
	return 0;
}

static void print_stats_list(const char *heading, const json_t *list, int zero)
{
	static const struct sf_column top_cols[] = {
		{ "QUERY", "query" }, { "SEARCHES", "searches" }, { "PROFILES", "profiles" },
		{ "RESULTS", "results" }, { "LAST", "last_at" }, { NULL },
	};
	static const struct sf_column zero_cols[] = {
		{ "QUERY", "query" }, { "SEARCHES", "searches" }, { "PROFILES", "profiles" },
		{ "LAST", "last_at" }, { NULL },
	};

	printf("\n%s\n", heading);
	if (json_array_size(list) == 0)
		printf("(none)\n");
	else
		sf_print_table(list, zero ? zero_cols : top_cols);
}

static int do_stats(struct sf_ctx *ctx)
{
	struct sf_search_stats_request req = {
		.since = sf_opt(ctx, "since"), .zero_only = sf_flag(ctx, "zero-results"),
		.limit = sf_opt(ctx, "limit"),
	};
	json_t *r = NULL;
	char a[32], b[32];
	int rc;

	rc = refuse(ctx, search_only, "is for searches, not 'sf search stats'");
	if (!rc)
		rc = refuse(ctx, viewer_opts, "is for searches, not 'sf search stats'");
	if (!rc && sf_opt(ctx, "suggest"))
		rc = sf_error(SF_EINVAL, "search: --suggest is for completing, not 'sf search stats'");
	if (!rc)
		rc = sf_search_stats(ctx->db, &ctx->actor, &req, &r);
	if (rc)
		return rc;
	if (ctx->json) {
		sf_print_json(r);
	} else {
		long long n = json_integer_value(json_object_get(r, "searches"));

		printf("%s search%s since %s; %s found nothing\n", thousands(n, a), n == 1 ? "" : "es",
		       json_string_value(json_object_get(r, "since")),
		       thousands(json_integer_value(json_object_get(r, "zero_results")), b));
		if (!req.zero_only)
			print_stats_list("MOST FREQUENT", json_object_get(r, "top"), 0);
		print_stats_list("FOUND NOTHING", json_object_get(r, "zero"), 1);
	}
	json_decref(r);
	return 0;
}

static int search(struct sf_ctx *ctx)
{
	/* "stats" alone is the stats; after "--" it is a word to search for
	 * (getopt leaves the "--" just before the arguments). */
	if (ctx->argc == 1 && !strcmp(ctx->argv[0], "stats") && strcmp(ctx->argv[-1], "--"))
		return do_stats(ctx);
	if (sf_opt(ctx, "suggest"))
		return do_suggest(ctx);
	return do_search(ctx);
}

static const struct sf_opt opts[] = {
	{ "profile", "<profile>", "search as this profile: only titles it may watch now" },
	{ "region", "<country>", "only titles available in this country, such as US or FR" },
	{ "genre", "<genre>", "only titles of this genre" },
	{ "year", "<years>", "only titles of these years: 1994, 1990..1999, 1990.., ..1999, 1990s" },
	{ "min-rating", "<rating>", "only titles rated at least this, from 0 to 10" },
	{ "type", "<type>", "only movies or only series", false, type_names },
	{ "lang", "<language>", "only titles in this language, such as en or fr" },
	{ "sort", "<order>", "relevance (the default), newest, oldest, rating or popular", false,
	  sort_names },
	{ "page", "<n>", "show this page of the results (default 1)" },
	{ "limit", "<n>", "results per page, 1 to 100 (default 20); with --suggest, titles (5)" },
	{ "suggest", "<prefix>", "complete a title: up to 5 titles with a word starting so" },
	{ "zero-results", NULL, "stats: only the queries that found nothing" },
	{ "since", "<when>", "stats: since a date (2026-11-01) or an age (7d); default 30d" },
	{ NULL },
};

const struct sf_command sf_cmd_search = {
	.name = "search",
	.summary = "search the catalog, complete titles, and see what people search for",
	.verbs = (const struct sf_verb[]){
		{ NULL, NULL, "[<words>... | stats]",
		  "search the catalog, complete titles, and see what people search for",
		  search, CMD_DB | CMD_JSON, opts, 0, -1 },
		{ 0 },
	},
};
