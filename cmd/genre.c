/*
 * genre.c - "sf genre": the managed list of genres titles take theirs from.
 *
 * Parses and prints only; lib/genre.c does the work.
 */
#include <stdio.h>

#include "cmd.h"
#include "error.h"
#include "genre.h"
#include "text.h"

static const struct sf_column cols[] = {
	{ "ID", "id" }, { "NAME", "name" }, { "TITLES", "titles" }, { NULL },
};

static int genre_add(struct sf_ctx *ctx)
{
	json_t *g = NULL;
	int rc = sf_genre_add(ctx->db, &ctx->actor, ctx->argv[0], &g);

	if (!rc)
		sf_print(ctx, g, cols);
	json_decref(g);
	return rc;
}

static int genre_list(struct sf_ctx *ctx)
{
	json_t *list = NULL;
	int rc = sf_genre_list(ctx->db, &list);

	if (!rc)
		sf_print(ctx, list, cols);
	json_decref(list);
	return rc;
}

static int genre_rename(struct sf_ctx *ctx)
{
	json_t *g = NULL;
	int rc = sf_genre_rename(ctx->db, &ctx->actor, ctx->argv[0], ctx->argv[1], &g);

	if (!rc)
		sf_print(ctx, g, cols);
	json_decref(g);
	return rc;
}

static int genre_delete(struct sf_ctx *ctx)
{
	json_t *g = NULL;
	int rc = sf_genre_delete(ctx->db, &ctx->actor, ctx->argv[0], &g);

	if (rc)
		return rc;
	if (ctx->json)
		sf_print_json(g);
	else
		printf("deleted genre '%s' (id %lld)\n",
		       sf_text_quote(json_string_value(json_object_get(g, "name"))),
		       (long long)json_integer_value(json_object_get(g, "id")));
	json_decref(g);
	return 0;
}

#define DBJ (CMD_DB | CMD_JSON)

const struct sf_command sf_cmd_genre = {
	.name = "genre",
	.summary = "manage the list of genres",
	.verbs = (const struct sf_verb[]){
		{ "add", NULL, "<name>", "add a genre", genre_add, DBJ, NULL, 1, 1 },
		{ "list", NULL, "", "list the genres and how many titles have each", genre_list, DBJ,
		  NULL, 0, 0 },
		{ "rename", NULL, "<genre> <name>", "rename a genre (on every title that has it)",
		  genre_rename, DBJ, NULL, 2, 2 },
		{ "delete", NULL, "<genre>", "delete a genre no title has", genre_delete, DBJ, NULL,
		  1, 1 },
		{ 0 },
	},
};
