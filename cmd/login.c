/*
 * login.c - "sf login" and "sf logout": a session with an sf serve,
 * near or far, kept in the credentials file (lib/client_store.c) for
 * the commands that talk to a server (the browser, the player).
 *
 * Logging in checks the pair at once by fetching the account, and saves
 * only then.  --status shows the saved session, refreshing the access
 * token if it expired (the refreshed pair is saved).  Logging out
 * revokes the session on the server and removes the file; when the
 * server cannot be reached the file is removed all the same and the exit
 * status says the session may still be open there.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "client.h"
#include "cmd.h"
#include "error.h"

static void say(const struct sf_ctx *ctx, const char *what, const char *server, json_t *account)
{
	if (ctx->json) {
		json_t *j = json_pack("{s:s, s:O}", "server", server, "account", account);

		sf_print_json(j);
		json_decref(j);
		return;
	}
	printf("%s %s as %s (%s)\n", what, server,
	       json_string_value(json_object_get(account, "email")),
	       json_string_value(json_object_get(account, "role")));
}

static int status(struct sf_ctx *ctx)
{
	struct sf_client *c = NULL;
	json_t *account = NULL;
	int rc = sf_client_store_open(&c);

	if (!rc)
		rc = sf_client_account(c, &account);
	if (!rc)
		say(ctx, "logged in to", sf_client_server(c), account);
	json_decref(account);
	sf_client_free(c);
	return rc;
}

static int login(struct sf_ctx *ctx)
{
	const char *server = sf_opt(ctx, "server"), *email = sf_opt(ctx, "email");
	struct sf_client *c = NULL;
	json_t *saved = NULL, *account = NULL, *creds = NULL;
	char *password = NULL;
	int rc;

	if (sf_flag(ctx, "status"))
		return status(ctx);
	if (!server && !sf_client_store_load(&saved))
		server = json_string_value(json_object_get(saved, "server"));
	if (!server) {
		rc = sf_error(SF_EINVAL, "--server is required (no saved server)");
		goto out;
	}
	if (!email) {
		rc = sf_error(SF_EINVAL, "--email is required");
		goto out;
	}
	if ((rc = sf_client_open(server, NULL, NULL, &c)) ||
	    (rc = sf_read_secret("password", sf_flag(ctx, "password-stdin"), false, &password)) ||
	    (rc = sf_client_login(c, email, password)) ||
	    (rc = sf_client_account(c, &account)))
		goto out;
	creds = json_pack("{s:s, s:O, s:s, s:s}", "server", server, "email",
			  json_object_get(account, "email"), "access_token", sf_client_access(c),
			  "refresh_token", sf_client_refresh_token(c));
	rc = sf_client_store_save(creds);
	if (!rc)
		say(ctx, "logged in to", server, account);
out:
	sf_secret_free(password);
	json_decref(creds);
	json_decref(account);
	json_decref(saved);
	sf_client_free(c);
	return rc;
}

static int logout(struct sf_ctx *ctx)
{
	struct sf_client *c = NULL;
	json_t *creds = NULL;
	int rc = sf_client_store_load(&creds), rm;

	(void)ctx;
	if (rc == SF_ENOTFOUND)
		return sf_error(SF_ENOTFOUND, "not logged in");
	json_decref(creds);
	if (!rc)
		rc = sf_client_store_open(&c);
	if (!rc)
		rc = sf_client_logout(c);
	rm = sf_client_store_remove();
	if (!rc && !rm)
		printf("logged out of %s\n", sf_client_server(c));
	else if (!rm)
		sf_error_wrap(rc, "credentials removed, but the session may still be open");
	sf_client_free(c);
	return rc ? rc : rm;
}

static const struct sf_opt login_opts[] = {
	{ "server", "<url>", "the sf serve: http://HOST:PORT, https://HOST or unix:PATH "
	  "(default: the saved one)" },
	{ "email", "<email>", "the account to log in as" },
	{ "password-stdin", NULL, "read the password from the first line of standard input" },
	{ "status", NULL, "show the saved session (refreshing its token) and exit" },
	{ NULL },
};

const struct sf_command sf_cmd_login = {
	.name = "login",
	.summary = "log in to an sf serve and keep the session",
	.verbs = (const struct sf_verb[]){
		{ NULL, NULL, "", "log in to an sf serve and keep the session", login, CMD_JSON,
		  login_opts, 0, 0 },
		{ 0 },
	},
};

const struct sf_command sf_cmd_logout = {
	.name = "logout",
	.summary = "end the saved session and forget it",
	.verbs = (const struct sf_verb[]){
		{ NULL, NULL, "", "end the saved session and forget it", logout, 0, NULL, 0, 0 },
		{ 0 },
	},
};
