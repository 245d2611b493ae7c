/*
 * profile.c - "sf profile": manage the profiles of an account.
 *
 * Parses and prints only; lib/profile.c does the work.
 */
#include <stdio.h>

#include "cmd.h"
#include "error.h"
#include "maturity.h"
#include "profile.h"

static const struct sf_column cols[] = {
	{ "ID", "id" }, { "NAME", "name" }, { "MATURITY", "maturity" }, { "KIDS", "kids" },
	{ "LANGUAGE", "language" }, { "PIN", "has_pin" }, { "CREATED", "created_at" },
	{ NULL },
};

/* One profile shows its My List setting too. */
static const struct sf_column one_cols[] = {
	{ "ID", "id" }, { "NAME", "name" }, { "MATURITY", "maturity" }, { "KIDS", "kids" },
	{ "LANGUAGE", "language" }, { "PIN", "has_pin" }, { "ON FINISH", "list_on_finish" },
	{ "CREATED", "created_at" },
	{ NULL },
};

static int print_profile(struct sf_ctx *ctx, const struct sf_profile *p)
{
	json_t *j = sf_profile_json(p);

	sf_print(ctx, j, one_cols);
	json_decref(j);
	return 0;
}

/* Fills in the change from the options; reads a PIN if one is asked for. */
static int read_change(struct sf_ctx *ctx, struct sf_profile_change *c, char **pin)
{
	bool ask = sf_flag(ctx, "pin"), from_stdin = sf_flag(ctx, "pin-stdin");

	*pin = NULL;
	c->maturity = sf_opt(ctx, "maturity");
	c->language = sf_opt(ctx, "language");
	if (sf_flag(ctx, "kids"))
		c->kids = 1;
	if (ask && from_stdin)
		return sf_error(SF_EINVAL, "give --pin or --pin-stdin, not both");
	if (ask || from_stdin) {
		int rc = sf_read_secret("PIN", from_stdin, true, pin);

		if (rc)
			return rc;
		c->pin = *pin;
	}
	return 0;
}

static int profile_add(struct sf_ctx *ctx)
{
	struct sf_profile_change c = SF_PROFILE_CHANGE_INIT;
	struct sf_profile p;
	char *pin;
	int rc;

	c.name = ctx->argv[1];
	rc = read_change(ctx, &c, &pin);
	if (!rc)
		rc = sf_profile_add(ctx->db, &ctx->actor, ctx->argv[0], &c, &p);
	sf_secret_free(pin);
	if (rc)
		return rc;
	print_profile(ctx, &p);
	sf_profile_release(&p);
	return 0;
}

static int profile_list(struct sf_ctx *ctx)
{
	json_t *list;
	int rc = sf_profile_list(ctx->db, &ctx->actor, ctx->argv[0], &list);

	if (rc)
		return rc;
	sf_print(ctx, list, cols);
	json_decref(list);
	return 0;
}

static int profile_show(struct sf_ctx *ctx)
{
	struct sf_profile p;
	int rc = sf_profile_get(ctx->db, ctx->argv[0], &p);

	/* An account may see its own profiles; others' take a manager. */
	if (!rc && ctx->actor.account_id && ctx->actor.account_id != p.account_id)
		rc = sf_actor_require(&ctx->actor, SF_PERM_MANAGE_ACCOUNTS);
	if (rc) {
		sf_profile_release(&p);
		return rc;
	}
	print_profile(ctx, &p);
	sf_profile_release(&p);
	return 0;
}

static int profile_set(struct sf_ctx *ctx)
{
	struct sf_profile_change c = SF_PROFILE_CHANGE_INIT;
	struct sf_profile p;
	char *pin;
	int rc;

	c.name = sf_opt(ctx, "name");
	c.clear_pin = sf_flag(ctx, "clear-pin");
	c.list_on_finish = sf_opt(ctx, "on-finish");
	if (sf_flag(ctx, "kids") && sf_flag(ctx, "no-kids"))
		return sf_error(SF_EINVAL, "give --kids or --no-kids, not both");
	rc = read_change(ctx, &c, &pin);
	if (!rc && sf_flag(ctx, "no-kids"))
		c.kids = 0;
	if (!rc)
		rc = sf_profile_update(ctx->db, &ctx->actor, ctx->argv[0], &c, &p);
	sf_secret_free(pin);
	if (rc)
		return rc;
	print_profile(ctx, &p);
	sf_profile_release(&p);
	return 0;
}

static int profile_delete(struct sf_ctx *ctx)
{
	struct sf_profile p;
	int rc = sf_profile_delete(ctx->db, &ctx->actor, ctx->argv[0], &p);

	if (rc)
		return rc;
	if (ctx->json)
		print_profile(ctx, &p);
	else
		printf("deleted profile '%s' (id %lld)\n", p.name, p.id);
	sf_profile_release(&p);
	return 0;
}

static const struct sf_opt add_opts[] = {
	{ "maturity", "<rating>", "the highest rating it may watch (default NC-17; PG for kids)",
	  false, sf_maturity_names },
	{ "kids", NULL, "a kids profile: a simpler home, ratings up to PG" },
	{ "language", "<tag>", "its language, such as en, fr or pt-BR (default en)" },
	{ "pin", NULL, "protect it with a 4-digit PIN, asked for on the terminal" },
	{ "pin-stdin", NULL, "read the PIN from the first line of standard input" },
	{ NULL },
};

static const struct sf_opt set_opts[] = {
	{ "name", "<name>", "a new name, unique within the account" },
	{ "maturity", "<rating>", "the highest rating it may watch", false, sf_maturity_names },
	{ "kids", NULL, "make it a kids profile (lowers a higher rating limit to PG)" },
	{ "no-kids", NULL, "make it a regular profile" },
	{ "language", "<tag>", "its language, such as en, fr or pt-BR" },
	{ "pin", NULL, "set a 4-digit PIN, asked for on the terminal" },
	{ "pin-stdin", NULL, "read a new PIN from the first line of standard input" },
	{ "clear-pin", NULL, "remove the PIN" },
	{ "on-finish", "<action>", "what a finished title's My List entry does: keep, remove or "
	  "watched", false, sf_profile_on_finish },
	{ NULL },
};

#define DBJ (CMD_DB | CMD_JSON)

const struct sf_command sf_cmd_profile = {
	.name = "profile",
	.summary = "manage the profiles of an account",
	.verbs = (const struct sf_verb[]){
		{ "add", NULL, "<account> <name>", "add a profile to an account", profile_add, DBJ,
		  add_opts, 2, 2 },
		{ "list", NULL, "<account>", "list an account's profiles", profile_list, DBJ, NULL, 1, 1 },
		{ "show", NULL, "<profile>", "show a profile", profile_show, DBJ, NULL, 1, 1 },
		{ "set", NULL, "<profile>", "change a profile", profile_set, DBJ, set_opts, 1, 1 },
		{ "delete", NULL, "<profile>", "delete a profile", profile_delete, DBJ, NULL, 1, 1 },
		{ 0 },
	},
};
