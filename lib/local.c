/*
 * local.c - a private sf serve on loopback with a session of its own
 * (local.h).  Its access log is dropped: the process that owns it is a
 * client, and its own errors are what the user sees.  Its session is
 * deleted at the end, not revoked: a local run leaves no trace in the
 * database but what the user did through it.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "client.h"
#include "db.h"
#include "error.h"
#include "local.h"
#include "media_sign.h"
#include "profile.h"
#include "server.h"
#include "token.h"
#include "xalloc.h"

struct sf_local {
	struct sf_server *server;
	char *conninfo;
	char secret[SF_MEDIA_SECRET_LEN + 1];
	long long session;
};

static void quiet(void *arg, const char *line)
{
	(void)arg, (void)line;
}

int sf_local_open(const char *db_url, const char *profile, struct sf_local **out,
		  struct sf_client **client, long long *profile_id)
{
	struct sf_local *l = sf_xcalloc(1, sizeof(*l));
	struct sf_server_config cfg = { .listen = "127.0.0.1:0", .threads = 2, .timeout = 30,
					.per_address = 64, .log = quiet };
	struct sf_token_pair pair = { 0 };
	struct sf_profile prof = { 0 };
	struct sf_db *db = NULL;
	char *url = NULL;
	int rc;

	*out = NULL;
	*client = NULL;
	if ((rc = sf_server_conninfo(db_url, &l->conninfo)) ||
	    (rc = sf_db_connect(l->conninfo, &db)) ||
	    (rc = sf_profile_get(db, profile, &prof)) ||
	    (rc = sf_token_secret_load(&cfg.key)) || (rc = sf_media_secret(l->secret)) ||
	    (rc = sf_token_login(db, &cfg.key, prof.account_id, "local", &pair)))
		goto out;
	*profile_id = prof.id;
	l->session = pair.session_id;
	cfg.conninfo = l->conninfo;
	cfg.media = (struct sf_http_media){ l->secret, NULL, SF_MEDIA_URL_TTL };
	if ((rc = sf_server_start(&cfg, &l->server)))
		goto out;
	url = sf_xasprintf("http://%s", sf_server_address(l->server));
	rc = sf_client_open(url, pair.access, pair.refresh, client);
out:
	free(url);
	sf_profile_release(&prof);
	sf_token_pair_release(&pair);
	sf_db_free(db);
	if (rc) {
		sf_local_close(l);
		return rc;
	}
	*out = l;
	return 0;
}

void sf_local_close(struct sf_local *l)
{
	struct sf_db *db = NULL;

	if (!l)
		return;
	if (l->server)
		sf_server_stop(l->server, 2);
	if (l->session && !sf_db_connect(l->conninfo, &db))
		sf_token_delete_session(db, l->session);
	sf_db_free(db);
	free(l->conninfo);
	free(l);
}
