/*
 * user.c - "sf user": manage accounts.
 *
 * Parses and prints only; lib/account.c does the work.
 */
#include <stdio.h>
#include <string.h>

#include "account.h"
#include "cmd.h"
#include "error.h"
#include "role.h"

static const struct sf_column account_cols[] = {
	{ "ID", "id" }, { "EMAIL", "email" }, { "USERNAME", "username" }, { "ROLE", "role" },
	{ "STATUS", "status" }, { "CREATED", "created_at" }, { "UPDATED", "updated_at" },
	{ "DELETED", "deleted_at" }, { NULL },
};

static const struct sf_column list_cols[] = {
	{ "ID", "id" }, { "EMAIL", "email" }, { "USERNAME", "username" }, { "ROLE", "role" },
	{ "STATUS", "status" }, { "CREATED", "created_at" }, { NULL },
};

/* With deleted accounts in the list, say which they are. */
static const struct sf_column list_deleted_cols[] = {
	{ "ID", "id" }, { "EMAIL", "email" }, { "USERNAME", "username" }, { "ROLE", "role" },
	{ "STATUS", "status" }, { "CREATED", "created_at" }, { "DELETED", "deleted_at" },
	{ NULL },
};

static const char *const statuses[] = { "active", "suspended", "deleted", NULL };

static int print_account(struct sf_ctx *ctx, const struct sf_account *a)
{
	json_t *j = sf_account_json(a);

	sf_print(ctx, j, account_cols);
	json_decref(j);
	return 0;
}

static int user_add(struct sf_ctx *ctx)
{
	struct sf_account_new in = {
		.email = sf_opt(ctx, "email"), .username = sf_opt(ctx, "username"),
		.role = sf_opt(ctx, "role"),
	};
	struct sf_account a;
	char *password = NULL;
	int rc;

	/* Check the cheap things before asking for a password. */
	if ((rc = sf_actor_require(&ctx->actor, SF_PERM_MANAGE_ACCOUNTS)) ||
	    (rc = sf_email_check(in.email)) || (rc = sf_username_check(in.username)))
		return rc;
	rc = sf_read_secret("password", sf_flag(ctx, "password-stdin"), true, &password);
	if (rc)
		return rc;
	in.password = password;
	rc = sf_account_add(ctx->db, &ctx->actor, &in, &a);
	sf_secret_free(password);
	if (rc)
		return rc;
	print_account(ctx, &a);
	sf_account_release(&a);
	return 0;
}

static int user_list(struct sf_ctx *ctx)
{
	struct sf_account_filter f = {
		.role = sf_opt(ctx, "role"), .status = sf_opt(ctx, "status"),
		.all = sf_flag(ctx, "all"),
	};
	json_t *list;
	int rc = sf_actor_require(&ctx->actor, SF_PERM_MANAGE_ACCOUNTS);

	if (!rc)
		rc = sf_account_list(ctx->db, &f, &list);
	if (rc)
		return rc;
	sf_print(ctx, list, f.all || (f.status && !strcmp(f.status, "deleted"))
		 ? list_deleted_cols : list_cols);
	json_decref(list);
	return 0;
}

static int user_show(struct sf_ctx *ctx)
{
	struct sf_account a;
	int rc = sf_account_get(ctx->db, ctx->argv[0], &a);

	/* An account may see itself; seeing others takes a manager. */
	if (!rc && ctx->actor.account_id != a.id)
		rc = sf_actor_require(&ctx->actor, SF_PERM_MANAGE_ACCOUNTS);
	if (rc) {
		sf_account_release(&a);
		return rc;
	}
	print_account(ctx, &a);
	sf_account_release(&a);
	return 0;
}

static int user_set(struct sf_ctx *ctx)
{
	struct sf_account a;
	int rc = sf_account_update(ctx->db, &ctx->actor, ctx->argv[0], sf_opt(ctx, "email"),
				   sf_opt(ctx, "username"), &a);

	if (rc)
		return rc;
	print_account(ctx, &a);
	sf_account_release(&a);
	return 0;
}

static int user_passwd(struct sf_ctx *ctx)
{
	struct sf_account a;
	char *password = NULL;
	int rc;

	/* Fail on an unknown account or a refusal before asking for a password. */
	rc = sf_account_get(ctx->db, ctx->argv[0], &a);
	if (rc)
		return rc;
	sf_account_release(&a);
	rc = sf_actor_require(&ctx->actor, SF_PERM_MANAGE_ACCOUNTS);
	if (rc)
		return rc;
	rc = sf_read_secret("password", sf_flag(ctx, "password-stdin"), true, &password);
	if (rc)
		return rc;
	rc = sf_account_set_password(ctx->db, &ctx->actor, ctx->argv[0], password);
	sf_secret_free(password);
	if (!rc)
		fprintf(stderr, "password changed for account '%s'\n", ctx->argv[0]);
	return rc;
}

static int user_role(struct sf_ctx *ctx)
{
	struct sf_account a;
	int rc = sf_account_set_role(ctx->db, &ctx->actor, ctx->argv[0], ctx->argv[1], &a);

	if (rc)
		return rc;
	print_account(ctx, &a);
	sf_account_release(&a);
	return 0;
}

/* suspend, unsuspend, delete, restore: one account in, the account out. */
static int state_change(struct sf_ctx *ctx)
{
	const char *v = ctx->verb->name;
	struct sf_account a;
	int rc;

	if (!strcmp(v, "suspend") || !strcmp(v, "unsuspend"))
		rc = sf_account_set_suspended(ctx->db, &ctx->actor, ctx->argv[0],
					      !strcmp(v, "suspend"), &a);
	else if (!strcmp(v, "delete"))
		rc = sf_account_delete(ctx->db, &ctx->actor, ctx->argv[0], &a);
	else
		rc = sf_account_restore(ctx->db, &ctx->actor, ctx->argv[0], &a);
	if (rc)
		return rc;
	print_account(ctx, &a);
	sf_account_release(&a);
	return 0;
}

static int user_purge(struct sf_ctx *ctx)
{
	struct sf_account a;
	bool yes = sf_flag(ctx, "yes");
	int rc;

	rc = sf_account_get(ctx->db, ctx->argv[0], &a);
	if (rc)
		return rc;
	if (!yes) {
		char prompt[400];

		snprintf(prompt, sizeof(prompt), "Purge account '%s' and everything that belongs "
			 "to it, for good?", a.email);
		rc = sf_confirm(prompt, "purge an account", &yes);
		if (!rc && !yes)
			rc = sf_error(SF_EINVAL, "purge of account '%s' not confirmed", a.email);
	}
	sf_account_release(&a);
	if (rc)
		return rc;
	rc = sf_account_purge(ctx->db, &ctx->actor, ctx->argv[0], &a);
	if (rc)
		return rc;
	if (ctx->json)
		print_account(ctx, &a);
	else
		printf("purged account '%s' (id %lld)\n", a.email, a.id);
	sf_account_release(&a);
	return 0;
}

static const struct sf_opt add_opts[] = {
	{ "email", "<email>", "the account's email address (unique, any case)", true },
	{ "username", "<name>", "a unique name: letters, digits, '.', '_', '-'", true },
	{ "role", "<role>", "viewer (default), moderator, content_manager, user_manager or admin",
	  false, sf_roles },
	{ "password-stdin", NULL, "read the password from the first line of standard input" },
	{ NULL },
};

static const struct sf_opt list_opts[] = {
	{ "role", "<role>", "only accounts with this role", false, sf_roles },
	{ "status", "<status>", "only active, suspended or deleted accounts", false, statuses },
	{ "all", NULL, "include deleted accounts" },
	{ NULL },
};

static const struct sf_opt set_opts[] = {
	{ "email", "<email>", "a new email address" },
	{ "username", "<name>", "a new username" },
	{ NULL },
};

static const struct sf_opt passwd_opts[] = {
	{ "password-stdin", NULL, "read the password from the first line of standard input" },
	{ NULL },
};

static const struct sf_opt purge_opts[] = {
	{ "yes", NULL, "do not ask for confirmation" },
	{ NULL },
};

#define DBJ (CMD_DB | CMD_JSON)

const struct sf_command sf_cmd_user = {
	.name = "user",
	.summary = "manage accounts",
	.verbs = (const struct sf_verb[]){
		{ "add", NULL, "", "create an account and its first profile", user_add, DBJ, add_opts, 0, 0 },
		{ "list", NULL, "", "list accounts", user_list, DBJ, list_opts, 0, 0 },
		{ "show", NULL, "<account>", "show an account", user_show, DBJ, NULL, 1, 1 },
		{ "set", NULL, "<account>", "change an account's email or username", user_set, DBJ,
		  set_opts, 1, 1 },
		{ "passwd", NULL, "<account>", "set an account's password", user_passwd, CMD_DB,
		  passwd_opts, 1, 1 },
		{ "role", NULL, "<account> <role>", "give an account a role", user_role, DBJ, NULL, 2, 2 },
		{ "suspend", NULL, "<account>", "stop an account from signing in", state_change, DBJ,
		  NULL, 1, 1 },
		{ "unsuspend", NULL, "<account>", "let a suspended account sign in again", state_change,
		  DBJ, NULL, 1, 1 },
		{ "delete", NULL, "<account>", "delete an account (it can be restored)", state_change, DBJ,
		  NULL, 1, 1 },
		{ "restore", NULL, "<account>", "undo the deletion of an account", state_change, DBJ,
		  NULL, 1, 1 },
		{ "purge", NULL, "<account>", "remove an account and everything it owns, for good",
		  user_purge, DBJ, purge_opts, 1, 1 },
		{ 0 },
	},
};
