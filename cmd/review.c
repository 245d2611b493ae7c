/*
 * review.c - "sf review": ratings, reviews, votes, reports and moderation.
 *
 * Parses and prints only; lib/rating.c, lib/review.c and lib/moderation.c
 * do the work.  A review's text is an argument, or "-" to read it from
 * standard input (for text with line breaks, or longer than a shell
 * line should be).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "error.h"
#include "moderation.h"
#include "rating.h"
#include "review.h"
#include "text.h"
#include "xalloc.h"

static const char *const sorts[] = { "helpful", "newest", NULL };

static const struct sf_column review_cols[] = {
	{ "ID", "id" }, { "TITLE", "title" }, { "AUTHOR", "author" }, { "STARS", "stars" },
	{ "HELPFUL", "helpful" }, { "UNHELPFUL", "unhelpful" }, { "SCORE", "score" },
	{ "HIDDEN", "hidden" }, { "MY VOTE", "my_vote" }, { "CREATED", "created_at" },
	{ "UPDATED", "updated_at" }, { "REVIEW", "body" },
	{ NULL },
};

static const struct sf_column list_cols[] = {
	{ "ID", "id" }, { "TITLE", "title" }, { "AUTHOR", "author" }, { "STARS", "stars" },
	{ "HELPFUL", "helpful" }, { "UNHELPFUL", "unhelpful" }, { "SCORE", "score" },
	{ "CREATED", "created_at" }, { "REVIEW", "excerpt" },
	{ NULL },
};

static const struct sf_column rating_cols[] = {
	{ "TITLE", "title" }, { "TITLE ID", "title_id" }, { "STARS", "stars" },
	{ "RATED", "rated_at" }, { "AVERAGE", "rating_avg" }, { "RATINGS", "rating_count" },
	{ NULL },
};

static const struct sf_column report_cols[] = {
	{ "ID", "id" }, { "REVIEW", "review_id" }, { "REASON", "reason" },
	{ "REPORTED", "created_at" },
	{ NULL },
};

static const struct sf_column queue_cols[] = {
	{ "REVIEW", "review_id" }, { "TITLE", "title" }, { "AUTHOR", "author" },
	{ "REPORTS", "reports" }, { "FIRST REPORTED", "first_reported_at" },
	{ "REASONS", "reasons" }, { "TEXT", "excerpt" },
	{ NULL },
};

/* The first 60 characters of a text, on one line. */
static json_t *excerpt(const char *s)
{
	size_t chars = 0, i = 0;
	char *copy;
	json_t *j;

	while (s[i] && chars < 60) {
		i++;
		while (((unsigned char)s[i] & 0xc0) == 0x80)
			i++;
		chars++;
	}
	copy = sf_xasprintf("%.*s%s", (int)i, s, s[i] ? "..." : "");
	j = json_string(copy);
	free(copy);
	return j;
}

/* A review as a person reads it: the score to three places. */
static json_t *human(const json_t *r)
{
	json_t *h = json_deep_copy(r);

	json_object_set_new(h, "score", json_sprintf("%.3f", json_number_value(
				    json_object_get(r, "score"))));
	json_object_set_new(h, "excerpt", excerpt(json_string_value(json_object_get(r, "body"))));
	return h;
}

static void print_review(const struct sf_ctx *ctx, const json_t *r)
{
	json_t *h;

	if (ctx->json) {
		sf_print_json(r);
		return;
	}
	h = human(r);
	sf_print_object(h, review_cols);
	json_decref(h);
}

/* The ends of the verbs that make a rating (done_rating) or a review
 * (done_review) r: print it unless rc is an error, free it, return rc. */
static int done_rating(const struct sf_ctx *ctx, int rc, json_t *r)
{
	if (!rc)
		sf_print(ctx, r, rating_cols);
	json_decref(r);
	return rc;
}

static int done_review(const struct sf_ctx *ctx, int rc, json_t *r)
{
	if (!rc)
		print_review(ctx, r);
	json_decref(r);
	return rc;
}

/* The text argument, or standard input for "-"; *buf keeps what was read. */
static int review_text(const char *arg, char **buf, const char **text)
{
	size_t cap = 4 * SF_REVIEW_MAX + 2, n;

	*buf = NULL;
	*text = arg;
	if (strcmp(arg, "-"))
		return 0;
	*buf = sf_xmalloc(cap + 1);
	n = fread(*buf, 1, cap, stdin);
	(*buf)[n] = '\0';
	if (ferror(stdin))
		return sf_error(SF_EINVAL, "review: cannot read standard input");
	if (memchr(*buf, '\0', n))
		return sf_error(SF_EINVAL, "review: standard input holds a NUL byte");
	/* One final line break is the end of the line, not of the review. */
	if (n > 0 && (*buf)[n - 1] == '\n')
		(*buf)[--n] = '\0';
	if (n > 0 && (*buf)[n - 1] == '\r')
		(*buf)[--n] = '\0';
	*text = *buf;
	return 0;
}

/* ---- ratings ---- */

static int review_rate(struct sf_ctx *ctx)
{
	json_t *r = NULL;
	int stars, rc = sf_rating_parse(ctx->argv[2], &stars);

	if (!rc)
		rc = sf_rating_set(ctx->db, &ctx->actor, ctx->argv[0], ctx->argv[1], stars, &r);
	return done_rating(ctx, rc, r);
}

static int review_unrate(struct sf_ctx *ctx)
{
	json_t *r = NULL;
	int rc = sf_rating_clear(ctx->db, &ctx->actor, ctx->argv[0], ctx->argv[1], &r);

	return done_rating(ctx, rc, r);
}

static int review_rating(struct sf_ctx *ctx)
{
	json_t *r = NULL;
	int rc = sf_rating_get(ctx->db, &ctx->actor, ctx->argv[0], ctx->argv[1], &r);

	return done_rating(ctx, rc, r);
}

/* ---- reviews ---- */

static int review_list(struct sf_ctx *ctx)
{
	struct sf_review_query q = {
		.profile = ctx->argv[0], .title = ctx->argc > 1 ? ctx->argv[1] : NULL,
		.region = sf_opt(ctx, "region"), .sort = sf_opt(ctx, "sort"),
	};
	json_t *page = NULL, *rows, *r;
	size_t i;
	int rc;

	if ((rc = sf_opt_int(ctx, "limit", 1, SF_REVIEW_LIMIT_MAX, &q.limit)) ||
	    (rc = sf_opt_int(ctx, "page", 1, 1000000, &q.page)))
		return rc;
	rc = sf_review_list(ctx->db, &ctx->actor, &q, &page);
	if (rc)
		return rc;
	if (ctx->json) {
		sf_print_json(page);
		json_decref(page);
		return 0;
	}
	rows = json_array();
	json_array_foreach(json_object_get(page, "items"), i, r)
		json_array_append_new(rows, human(r));
	sf_print_table(rows, list_cols);
	if (json_integer_value(json_object_get(page, "pages")) > 1)
		printf("page %lld of %lld (%lld reviews)\n",
		       (long long)json_integer_value(json_object_get(page, "page")),
		       (long long)json_integer_value(json_object_get(page, "pages")),
		       (long long)json_integer_value(json_object_get(page, "total")));
	json_decref(rows);
	json_decref(page);
	return 0;
}

static int review_show(struct sf_ctx *ctx)
{
	json_t *r = NULL;
	int rc = sf_review_show(ctx->db, &ctx->actor, ctx->argv[0], sf_opt(ctx, "region"),
				ctx->argv[1], &r);

	return done_review(ctx, rc, r);
}

static int review_add(struct sf_ctx *ctx)
{
	json_t *r = NULL;
	const char *text;
	char *buf;
	int created, rc = review_text(ctx->argv[2], &buf, &text);

	if (!rc)
		rc = sf_review_write(ctx->db, &ctx->actor, ctx->argv[0], ctx->argv[1], text, &r,
				     &created);
	free(buf);
	return done_review(ctx, rc, r);
}

static int review_edit(struct sf_ctx *ctx)
{
	json_t *r = NULL;
	const char *text;
	char *buf;
	int rc = review_text(ctx->argv[2], &buf, &text);

	if (!rc)
		rc = sf_review_edit(ctx->db, &ctx->actor, ctx->argv[0], ctx->argv[1], text, &r);
	free(buf);
	return done_review(ctx, rc, r);
}

static int review_delete(struct sf_ctx *ctx)
{
	json_t *r = NULL;
	int rc = sf_review_delete(ctx->db, &ctx->actor, ctx->argv[0], ctx->argv[1], &r);

	if (rc)
		return rc;
	if (ctx->json)
		sf_print_json(r);
	else
		printf("deleted review %lld of '%s'\n",
		       (long long)json_integer_value(json_object_get(r, "id")),
		       sf_text_quote(json_string_value(json_object_get(r, "title"))));
	json_decref(r);
	return 0;
}

static int review_vote(struct sf_ctx *ctx)
{
	json_t *r = NULL;
	int rc = sf_review_vote(ctx->db, &ctx->actor, ctx->argv[0], ctx->argv[1], ctx->argv[2],
				&r);

	return done_review(ctx, rc, r);
}

/* ---- reports and moderation ---- */

static int review_report(struct sf_ctx *ctx)
{
	json_t *r = NULL;
	int rc = sf_moderation_report(ctx->db, &ctx->actor, ctx->argv[0], ctx->argv[1],
				      sf_opt(ctx, "reason"), &r);

	if (rc)
		return rc;
	sf_print(ctx, r, report_cols);
	json_decref(r);
	return 0;
}

static int review_queue(struct sf_ctx *ctx)
{
	json_t *q = NULL, *rows, *e;
	long long limit = 0;
	size_t i;
	int rc = sf_opt_int(ctx, "limit", 1, SF_QUEUE_LIMIT_MAX, &limit);

	if (!rc)
		rc = sf_moderation_queue(ctx->db, &ctx->actor, limit, &q);
	if (rc)
		return rc;
	if (ctx->json) {
		sf_print_json(q);
		json_decref(q);
		return 0;
	}
	rows = json_array();
	json_array_foreach(q, i, e) {
		json_t *h = json_deep_copy(e), *reason;
		char *joined = sf_xstrdup("");
		size_t k;

		json_array_foreach(json_object_get(e, "reasons"), k, reason) {
			char *old = joined;

			joined = sf_xasprintf("%s%s%s", old, k ? "; " : "", json_string_value(reason));
			free(old);
		}
		json_object_set_new(h, "reasons", json_string(joined));
		json_object_set_new(h, "excerpt",
				    excerpt(json_string_value(json_object_get(e, "body"))));
		json_array_append_new(rows, h);
		free(joined);
	}
	sf_print_table(rows, queue_cols);
	json_decref(rows);
	json_decref(q);
	return 0;
}

static int review_moderate(struct sf_ctx *ctx)
{
	bool approve = sf_flag(ctx, "approve"), remove = sf_flag(ctx, "remove");
	json_t *d = NULL;
	int rc;

	if (approve == remove)
		return sf_error(SF_EINVAL, "review moderate: give --approve or --remove (one of them)");
	rc = sf_moderation_decide(ctx->db, &ctx->actor, ctx->argv[0], approve,
				  sf_opt(ctx, "reason"), &d);
	if (rc)
		return rc;
	if (ctx->json) {
		sf_print_json(d);
	} else {
		long long n = (long long)json_integer_value(json_object_get(d, "reports"));

		printf("%s review %lld of '%s' (%lld open report%s)\n",
		       approve ? "approved" : "removed",
		       (long long)json_integer_value(json_object_get(d, "review_id")),
		       sf_text_quote(json_string_value(json_object_get(
				json_object_get(d, "review"), "title"))), n, n == 1 ? "" : "s");
	}
	json_decref(d);
	return 0;
}

static const struct sf_opt list_opts[] = {
	{ "sort", "<order>", "helpful (by the Wilson bound of helpful votes; the default) or "
	  "newest", false, sorts },
	{ "region", "<country>", "as seen from this country, such as US or FR" },
	{ "limit", "<n>", "reviews per page, 1 to 100 (default 20)" },
	{ "page", "<n>", "which page, from 1 (default 1)" },
	{ NULL },
};

static const struct sf_opt show_opts[] = {
	{ "region", "<country>", "as seen from this country, such as US or FR" },
	{ NULL },
};

static const struct sf_opt report_opts[] = {
	{ "reason", "<text>", "why, in 1 to 500 characters", true },
	{ NULL },
};

static const struct sf_opt queue_opts[] = {
	{ "limit", "<n>", "at most this many reviews, 1 to 1000 (default 50)" },
	{ NULL },
};

static const struct sf_opt moderate_opts[] = {
	{ "approve", NULL, "keep the review and close its reports" },
	{ "remove", NULL, "delete the review with its votes and reports" },
	{ "reason", "<text>", "why, in 1 to 500 characters (kept in the audit log)", true },
	{ NULL },
};

#define DBJ (CMD_DB | CMD_JSON)

const struct sf_command sf_cmd_review = {
	.name = "review",
	.summary = "rate and review titles, vote on reviews, report and moderate them",
	.verbs = (const struct sf_verb[]){
		{ "rate", NULL, "<profile> <title> <stars>", "rate a title from 1 to 5 stars",
		  review_rate, DBJ, NULL, 3, 3 },
		{ "unrate", NULL, "<profile> <title>", "take a rating back", review_unrate, DBJ,
		  NULL, 2, 2 },
		{ "rating", NULL, "<profile> <title>", "show a profile's rating and the average",
		  review_rating, DBJ, NULL, 2, 2 },
		{ "list", NULL, "<profile> [<title>]",
		  "list a title's reviews as a profile sees them, or the profile's own",
		  review_list, DBJ, list_opts, 1, 2 },
		{ "show", NULL, "<profile> <review>", "show a review", review_show, DBJ, show_opts,
		  2, 2 },
		{ "add", NULL, "<profile> <title> <text>",
		  "review a title (again: replace the review's text)", review_add, DBJ, NULL, 3, 3 },
		{ "edit", NULL, "<profile> <review> <text>", "replace the text of your review",
		  review_edit, DBJ, NULL, 3, 3 },
		{ "delete", NULL, "<profile> <review>", "delete your review", review_delete, DBJ,
		  NULL, 2, 2 },
		{ "vote", NULL, "<profile> <review> helpful|unhelpful|none",
		  "vote on another profile's review, or take the vote back", review_vote, DBJ,
		  NULL, 3, 3 },
		{ "report", NULL, "<profile> <review>", "report a review to the moderators",
		  review_report, DBJ, report_opts, 2, 2 },
		{ "queue", NULL, "", "list the reported reviews waiting for a moderator",
		  review_queue, DBJ, queue_opts, 0, 0 },
		{ "moderate", NULL, "<review>", "approve or remove a reported review",
		  review_moderate, DBJ, moderate_opts, 1, 1 },
		{ 0 },
	},
};
