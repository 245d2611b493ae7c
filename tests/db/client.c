/*
 * client.c - the HTTP client library (lib/client.h) against a real
 * "sf serve" on a unix socket, started by this test on its own database:
 * login, the typed calls, errors coming back as their codes and
 * messages, the token refresh with its saver, and logout.
 */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "client.h"
#include "db.h"
#include "error.h"
#include "tap.h"
#include "testdb.h"

static char dir[4096], sock[4200], server[4300];
static pid_t serve_pid;

/* Runs sf with args, the password on standard input; 0 on success. */
static int sf(const char *args)
{
	char cmd[8192];

	snprintf(cmd, sizeof(cmd), "echo Secret123 | '%s' %s >/dev/null", getenv("SF_BIN"), args);
	return system(cmd);
}

static int start_server(void)
{
	struct sf_client *c = NULL;
	int rc = -1;

	serve_pid = fork();
	if (serve_pid == 0) {
		char listen[4300];

		snprintf(listen, sizeof(listen), "unix:%s", sock);
		char log[4300];

		snprintf(log, sizeof(log), "%s/serve.log", dir);
		if (!freopen(log, "w", stdout) || !freopen(log, "a", stderr))
			_exit(127);
		execl(getenv("SF_BIN"), "sf", "serve", "--listen", listen, "--threads", "2",
		      (char *)NULL);
		_exit(127);
	}
	sf_client_open(server, NULL, NULL, &c);
	for (int i = 0; i < 400 && rc; i++) {
		rc = sf_client_call(c, "GET", "/healthz", NULL, NULL);
		if (rc)
			usleep(50 * 1000);
	}
	sf_client_free(c);
	return rc;
}

static int saves;
static int count_save(void *arg, const char *access, const char *refresh)
{
	(void)arg;
	saves += access && refresh;
	return 0;
}

int main(void)
{
	struct sf_db *db = test_db_open("client");
	struct sf_client *c = NULL, *cm = NULL, *other = NULL, *stale = NULL;
	struct sf_client_progress p = { .position = 600, .duration = 6000,
					.at = "2026-11-22T08:00:00Z" };
	json_t *j = NULL, *body;
	char title[32], refresh[256], profile[32], other_profile[32];
	const char *tmp = getenv("SF_TEST_TMP");
	int status;

	snprintf(dir, sizeof(dir), "%s/client.XXXXXX", tmp ? tmp : "/tmp");
	if (!mkdtemp(dir))
		return 1;
	snprintf(sock, sizeof(sock), "%s/sock", dir);
	snprintf(server, sizeof(server), "unix:%s", sock);
	setenv("SF_DATABASE_URL", test_db_conninfo(), 1);
	setenv("SF_HOME", dir, 1);
	setenv("SF_SECRET", "client-test-secret-client-test-secret-0123", 1);
	ok(!sf("user add --email v@example.com --username v --password-stdin") &&
	   !sf("user add --email w@example.com --username w --password-stdin") &&
	   !sf("user add --email cm@example.com --username cm --role content_manager "
	       "--password-stdin"), "accounts made with the CLI");
	snprintf(profile, sizeof(profile), "%lld", test_db_count(db,
		 "SELECT p.id FROM profiles p JOIN accounts a ON a.id = p.account_id "
		 "WHERE a.email = 'v@example.com'"));
	snprintf(other_profile, sizeof(other_profile), "%lld", test_db_count(db,
		 "SELECT p.id FROM profiles p JOIN accounts a ON a.id = p.account_id "
		 "WHERE a.email = 'w@example.com'"));
	is_int(start_server(), 0, "sf serve answers /healthz through the client");

	is_int(sf_client_open("ftp://x", NULL, NULL, &c), SF_EINVAL, "a bad server URL is refused");
	ok(strstr(sf_error_message(), "ftp://x") != NULL, "naming it: %s", sf_error_message());
	sf_client_open(server, NULL, NULL, &c);
	sf_client_open(server, NULL, NULL, &cm);
	sf_client_open(server, NULL, NULL, &other);
	is_int(sf_client_login(c, "v@example.com", "Wrong123"), SF_EUNAUTH, "a wrong password is 401");
	is_str(sf_error_message(), "invalid email or password", "with the server's message");
	is_int(sf_client_login(c, "v@example.com", "Secret123"), 0, "login");
	is_int(sf_client_login(cm, "cm@example.com", "Secret123"), 0, "login as content manager");
	is_int(sf_client_login(other, "w@example.com", "Secret123"), 0, "login as another viewer");
	is_int(sf_client_account(c, &j), 0, "the account");
	is_str(json_string_value(json_object_get(j, "email")), "v@example.com", "is the caller's");
	json_decref(j);

	body = json_pack("{s:s, s:s, s:s, s:i}", "kind", "movie", "title", "Heat", "status",
			 "published", "runtime_minutes", 100);
	is_int(sf_client_call(cm, "POST", "/api/v1/admin/titles", body, &j), 0, "a title made");
	json_decref(body);
	snprintf(title, sizeof(title), "%lld", (long long)json_integer_value(json_object_get(j, "id")));
	json_decref(j);
	is_int(sf_client_call(c, "POST", "/api/v1/admin/titles", NULL, NULL), SF_EFORBIDDEN,
	       "a viewer may not make titles: 403");

	is_int(sf_client_list_add(c, NULL, title, &j), 0, "My List add");
	json_decref(j);
	is_int(sf_client_list_add(c, profile, title, NULL), SF_ECONFLICT, "again: 409");
	ok(strstr(sf_error_message(), "already in your list") != NULL, "%s", sf_error_message());
	is_int(sf_client_list(c, NULL, &j), 0, "My List");
	is_int(json_array_size(json_object_get(j, "items")), 1, "holds the title");
	json_decref(j);
	is_int(sf_client_list(c, other_profile, &j), SF_ENOTFOUND,
	       "another account's profile is 404");
	is_int(sf_client_rate(c, NULL, title, 4, &j), 0, "rate 4 stars");
	json_decref(j);
	is_int(sf_client_rate(c, NULL, title, 9, NULL), SF_EINVAL, "9 stars is 400");
	is_int(sf_client_progress(c, NULL, title, &p, &j), 0, "progress");
	json_decref(j);
	is_int(sf_client_progress(c, NULL, title, &p, &j), 0, "the same progress again");
	ok(json_is_true(json_object_get(j, "duplicate")), "is a duplicate: idempotent");
	json_decref(j);
	is_int(sf_client_title(c, title, profile, &j), 0, "title detail");
	ok(json_is_true(json_object_get(j, "in_my_list")) &&
	   json_integer_value(json_object_get(j, "my_rating")) == 4 &&
	   json_integer_value(json_object_get(json_object_get(j, "resume"), "start")) == 600,
	   "with in_my_list, my_rating and resume");
	json_decref(j);
	is_int(sf_client_continue(c, NULL, &j), 0, "Continue Watching");
	is_int(json_array_size(json_object_get(j, "items")), 1, "has the title");
	json_decref(j);
	is_int(sf_client_search(c, "heat & co", NULL, &j), 0, "search with a query to escape");
	json_decref(j);
	is_int(sf_client_title(c, "1/../2", NULL, &j), SF_EINVAL, "a ref with a slash is refused");
	is_int(sf_client_list_remove(c, NULL, title), 0, "My List remove");
	is_int(sf_client_list_remove(c, NULL, title), SF_ENOTFOUND, "again: 404");

	/* A dead access token: the client refreshes once, saves, and goes on. */
	snprintf(refresh, sizeof(refresh), "%s", sf_client_refresh_token(c));
	sf_client_open(server, "not-a-token", refresh, &stale);
	sf_client_set_saver(stale, count_save, NULL, NULL);
	is_int(sf_client_account(stale, &j), 0, "a call with a dead access token refreshes");
	json_decref(j);
	is_int(saves, 1, "and hands the new pair to the saver");
	ok(strcmp(sf_client_refresh_token(stale), refresh) != 0, "a new refresh token");
	is_int(sf_client_refresh(c), SF_EUNAUTH, "the used refresh token no longer works");

	is_int(sf_client_logout(other), 0, "logout");
	is_int(sf_client_account(other, NULL), SF_EUNAUTH, "after logout: 401");

	sf_client_free(c);
	sf_client_free(cm);
	sf_client_free(other);
	sf_client_free(stale);
	kill(serve_pid, SIGTERM);
	waitpid(serve_pid, &status, 0);
	ok(WIFEXITED(status) && WEXITSTATUS(status) == 0, "sf serve stops cleanly");
	test_db_close(db);
	return done_testing();
}
