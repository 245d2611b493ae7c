/*
 * list.c - "sf list": a profile's My List.
 *
 * Parses and prints only; lib/list.c does the work.  A list prints as a
 * table of its titles by position and, when the profile has finished some
 * of them (see "sf profile set --on-finish"), a second table headed
 * "watched:"; --json prints the list's one JSON form.
 */
#include <stdio.h>

#include "cmd.h"
#include "error.h"
#include "list.h"
#include "text.h"

static const struct sf_column item_cols[] = {
	{ "#", "position" }, { "ID", "title_id" }, { "TITLE", "title" }, { "KIND", "kind" },
	{ "YEAR", "year" }, { "MATURITY", "maturity" }, { "ADDED", "added_at" },
	{ NULL },
};

static const struct sf_column watched_cols[] = {
	{ "ID", "title_id" }, { "TITLE", "title" }, { "KIND", "kind" }, { "YEAR", "year" },
	{ "MATURITY", "maturity" }, { "WATCHED", "watched_at" },
	{ NULL },
};

static void print_list(const struct sf_ctx *ctx, const json_t *list)
{
	const json_t *watched = json_object_get(list, "watched");

	if (ctx->json) {
		sf_print_json(list);
		return;
	}
	sf_print_table(json_object_get(list, "items"), item_cols);
	if (json_array_size(watched) > 0) {
		printf("\nwatched:\n");
		sf_print_table(watched, watched_cols);
	}
}

static const char *title_of(const json_t *item)
{
	return sf_text_quote(json_string_value(json_object_get(item, "title")));
}

static int list_show(struct sf_ctx *ctx)
{
	json_t *list = NULL;
	int rc = sf_list_show(ctx->db, &ctx->actor, ctx->argv[0], sf_opt(ctx, "region"),
			      sf_opt(ctx, "filter"), &list);

	if (rc)
		return rc;
	print_list(ctx, list);
	json_decref(list);
	return 0;
}

static int list_add(struct sf_ctx *ctx)
{
	json_t *item = NULL;
	int rc = sf_list_add(ctx->db, &ctx->actor, ctx->argv[0], ctx->argv[1], &item);

	if (rc)
		return rc;
	sf_print(ctx, item, item_cols);
	json_decref(item);
	return 0;
}

static int list_remove(struct sf_ctx *ctx)
{
	json_t *item = NULL;
	int rc = sf_list_remove(ctx->db, &ctx->actor, ctx->argv[0], ctx->argv[1], &item);

	if (rc)
		return rc;
	if (ctx->json)
		sf_print_json(item);
	else
		printf("removed '%s' (id %lld) from the list\n", title_of(item),
		       (long long)json_integer_value(json_object_get(item, "title_id")));
	json_decref(item);
	return 0;
}

static int list_move(struct sf_ctx *ctx)
{
	json_t *list = NULL;
	long long to = 0;
	int rc = sf_opt_int(ctx, "to", 1, 1000000, &to);

	if (!rc)
		rc = sf_list_move(ctx->db, &ctx->actor, ctx->argv[0], ctx->argv[1], to, &list);
	if (rc)
		return rc;
	print_list(ctx, list);
	json_decref(list);
	return 0;
}

static int list_reorder(struct sf_ctx *ctx)
{
	json_t *list = NULL;
	int rc = sf_list_reorder(ctx->db, &ctx->actor, ctx->argv[0],
				 (const char *const *)ctx->argv + 1, ctx->argc - 1, &list);

	if (rc)
		return rc;
	print_list(ctx, list);
	json_decref(list);
	return 0;
}

static int list_clear(struct sf_ctx *ctx)
{
	bool yes = sf_flag(ctx, "yes");
	long long removed = 0;
	int rc;

	if (!yes) {
		char prompt[200];

		snprintf(prompt, sizeof(prompt), "Remove every title from the list of profile "
			 "'%s', watched ones too?", sf_text_quote(ctx->argv[0]));
		rc = sf_confirm(prompt, "clear a list", &yes);
		if (!rc && !yes)
			rc = sf_error(SF_EINVAL, "clearing the list of profile '%s' not confirmed",
				      sf_text_quote(ctx->argv[0]));
		if (rc)
			return rc;
	}
	rc = sf_list_clear(ctx->db, &ctx->actor, ctx->argv[0], &removed);
	if (rc)
		return rc;
	if (ctx->json) {
		json_t *j = json_pack("{sI}", "removed", (json_int_t)removed);

		sf_print_json(j);
		json_decref(j);
	} else {
		printf("removed %lld title%s from the list\n", removed, removed == 1 ? "" : "s");
	}
	return 0;
}

static const struct sf_opt show_opts[] = {
	{ "filter", "<text>", "only titles whose name contains the text (any case or accents)" },
	{ "region", "<country>", "as seen from this country, such as US or FR" },
	{ NULL },
};

static const struct sf_opt move_opts[] = {
	{ "to", "<position>", "the new position, 1 being the top", true },
	{ NULL },
};

static const struct sf_opt clear_opts[] = {
	{ "yes", NULL, "do not ask for confirmation" },
	{ NULL },
};

#define DBJ (CMD_DB | CMD_JSON)

const struct sf_command sf_cmd_list = {
	.name = "list",
	.summary = "keep a profile's list of titles to watch (My List)",
	.verbs = (const struct sf_verb[]){
		{ "show", NULL, "<profile>", "show a profile's list and its watched section",
		  list_show, DBJ, show_opts, 1, 1 },
		{ "add", NULL, "<profile> <title>", "add a title to the top of the list", list_add,
		  DBJ, NULL, 2, 2 },
		{ "remove", NULL, "<profile> <title>", "remove a title from the list", list_remove,
		  DBJ, NULL, 2, 2 },
		{ "move", NULL, "<profile> <title>", "move a title to another position", list_move,
		  DBJ, move_opts, 2, 2 },
		{ "reorder", NULL, "<profile> <title>...", "put the whole list in a new order",
		  list_reorder, DBJ, NULL, 2, -1 },
		{ "clear", NULL, "<profile>", "remove every title from the list", list_clear, DBJ,
		  clear_opts, 1, 1 },
		{ 0 },
	},
};
