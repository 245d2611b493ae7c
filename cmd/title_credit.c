/*
 * title_credit.c - "sf title credit": the cast, directors and writers of
 * a title.
 *
 * Parses and prints only; lib/credit.c does the work.  A credit prints as
 * the object it is in the title's JSON form.
 */
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "cmd.h"
#include "credit.h"
#include "error.h"
#include "text.h"
#include "title.h"
#include "title_cmd.h"
#include "title_field.h"

static const char *const roles[] = { "cast", "director", "writer", NULL };

static const struct sf_column cols[] = {
	{ "NAME", "name" }, { "ROLE", "role" }, { "CHARACTER", "character" },
	{ "ORDER", "order" }, { NULL },
};

/* The credits of title matching name (any case, NULL: all) and role. */
static json_t *matching(const json_t *title, const char *name, const char *role)
{
	json_t *out = json_array(), *c;
	size_t i;

	json_array_foreach(json_object_get(title, "credits"), i, c)
		if ((!name || !strcasecmp(json_string_value(json_object_get(c, "name")), name)) &&
		    (!role || !strcmp(json_string_value(json_object_get(c, "role")), role)))
			json_array_append(out, c);
	return out;
}

static int credit_add(struct sf_ctx *ctx)
{
	static const struct { const char *opt, *field; } map[] = {
		{ "role", "role" }, { "character", "character" }, { "order", "order" },
	};
	json_t *credit = json_object(), *t = NULL, *v = NULL;
	int rc = sf_title_part_text(SF_PART_CREDIT, "name", ctx->argv[1], "person", &v);

	if (!rc)
		json_object_set_new(credit, "name", v);
	for (size_t i = 0; !rc && i < sizeof(map) / sizeof(map[0]); i++) {
		const char *s = sf_opt(ctx, map[i].opt);
		char label[24];

		if (!s)
			continue;
		snprintf(label, sizeof(label), "--%s", map[i].opt);
		rc = sf_title_part_text(SF_PART_CREDIT, map[i].field, s, label, &v);
		if (!rc)
			json_object_set_new(credit, map[i].field, v);
	}
	if (!rc)
		rc = sf_credit_add(ctx->db, &ctx->actor, ctx->argv[0], credit, &t);
	if (!rc) {
		json_t *m = matching(t, json_string_value(json_object_get(credit, "name")),
				     json_string_value(json_object_get(credit, "role")));

		if (ctx->json)
			sf_print_json(json_array_get(m, 0));
		else
			sf_print_object(json_array_get(m, 0), cols);
		json_decref(m);
	}
	json_decref(credit);
	json_decref(t);
	return rc;
}

static int credit_list(struct sf_ctx *ctx)
{
	json_t *t = NULL, *m;
	int rc = sf_title_get(ctx->db, &ctx->actor, ctx->argv[0], &t);

	if (rc)
		return rc;
	m = matching(t, NULL, sf_opt(ctx, "role"));
	sf_print(ctx, m, cols);
	json_decref(m);
	json_decref(t);
	return 0;
}

static int credit_remove(struct sf_ctx *ctx)
{
	const char *role = sf_opt(ctx, "role");
	json_t *t = NULL, *m, *c;
	size_t i;
	int rc = sf_credit_remove(ctx->db, &ctx->actor, ctx->argv[0], ctx->argv[1], role, &t);

	if (rc)
		return rc;
	m = matching(t, ctx->argv[1], role);
	if (ctx->json)
		sf_print_json(m);
	else
		json_array_foreach(m, i, c)
			printf("removed '%s' (%s) from '%s'\n",
			       sf_text_quote(json_string_value(json_object_get(c, "name"))),
			       json_string_value(json_object_get(c, "role")), sf_title_name(t));
	json_decref(m);
	json_decref(t);
	return 0;
}

static const struct sf_opt add_opts[] = {
	{ "role", "<role>", "cast, director or writer", true, roles },
	{ "character", "<name>", "the character played (cast only)" },
	{ "order", "<n>", "billing order within the role (default: after the others)" },
	{ NULL },
};

static const struct sf_opt list_opts[] = {
	{ "role", "<role>", "only the cast, the directors or the writers", false, roles },
	{ NULL },
};

static const struct sf_opt remove_opts[] = {
	{ "role", "<role>", "only this role (default: every credit of the person)", false,
	  roles },
	{ NULL },
};

#define DBJ (CMD_DB | CMD_JSON)

const struct sf_command sf_cmd_title_credit = {
	.name = "title credit",
	.summary = "manage who made a title: cast, directors, writers",
	.page = "title",
	.verbs = (const struct sf_verb[]){
		{ "add", NULL, "<title> <person>", "credit a person on a title", credit_add, DBJ,
		  add_opts, 2, 2 },
		{ "list", NULL, "<title>", "list a title's credits", credit_list, DBJ, list_opts, 1, 1 },
		{ "remove", NULL, "<title> <person>", "take a person's credit off a title",
		  credit_remove, DBJ, remove_opts, 2, 2 },
		{ 0 },
	},
};
