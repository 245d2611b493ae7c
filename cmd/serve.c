/*
 * serve.c - "sf serve": run the HTTP JSON API (lib/server.c).
 *
 * Parses the options, loads the token secret, makes the database ready,
 * starts the server and waits for SIGTERM or SIGINT, then stops
 * gracefully and exits 0.  The access log goes to standard output, one
 * line per request; problems go to standard error.  --routes prints the
 * router table instead of serving (the tests compare it with the OpenAPI
 * document and the authorization table).
 */
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cmd.h"
#include "error.h"
#include "media_sign.h"
#include "role.h"
#include "route.h"
#include "server.h"
#include "text.h"
#include "token.h"

#define GRACE_SECONDS 10

static pthread_mutex_t log_lock = PTHREAD_MUTEX_INITIALIZER;

/* One line, with the time, written whole. */
static void log_line(void *arg, const char *line)
{
	char ts[32];
	time_t now = time(NULL);
	struct tm tm;

	(void)arg;
	gmtime_r(&now, &tm);
	strftime(ts, sizeof(ts), "%Y-%m-%dT%H:%M:%SZ", &tm);
	pthread_mutex_lock(&log_lock);
	fprintf(stdout, "ts=%s %s\n", ts, line);
	fflush(stdout);
	pthread_mutex_unlock(&log_lock);
}

/* "METHOD PATH WHO": WHO is public, token (any account), or the roles
 * that hold the route's permission ("user_manager,admin"). */
static int print_routes(void)
{
	for (const struct sf_route *r = sf_routes; r->method; r++) {
		/* as the OpenAPI document names it: "{path*}" is "{path}" */
		printf("%s %.*s", r->method, (int)strcspn(r->pattern, "*"), r->pattern);
		if (strchr(r->pattern, '*'))
			fputs(strchr(r->pattern, '*') + 1, stdout);
		putchar(' ');
		if (r->access == SF_ROUTE_PUBLIC) {
			printf("public");
		} else if (r->access == SF_ROUTE_TOKEN) {
			printf("token");
		} else {
			const char *sep = "";

			for (int i = 0; sf_roles[i]; i++)
				if (sf_role_can(sf_roles[i], r->perm)) {
					printf("%s%s", sep, sf_roles[i]);
					sep = ",";
				}
		}
		putchar('\n');
	}
	return 0;
}

static int serve(struct sf_ctx *ctx)
{
	struct sf_server_config cfg = { .log = log_line };
	struct sf_server *srv = NULL;
	long long threads = sysconf(_SC_NPROCESSORS_ONLN), timeout = 30, per = 32;
	long long ttl = SF_MEDIA_URL_TTL;
	char *conninfo = NULL, secret[SF_MEDIA_SECRET_LEN + 1];
	const char *base = sf_opt(ctx, "media-base");
	sigset_t set;
	int rc, sig;

	if (sf_flag(ctx, "routes"))
		return print_routes();
	if (threads < 1)
		threads = 1;
	if ((rc = sf_opt_int(ctx, "threads", 1, 256, &threads)) ||
	    (rc = sf_opt_int(ctx, "timeout", 1, 3600, &timeout)) ||
	    (rc = sf_opt_int(ctx, "max-connections-per-address", 1, 10000, &per)) ||
	    (rc = sf_opt_int(ctx, "media-ttl", 60, 7 * 86400, &ttl)))
		return rc;
	if (base && ((strncmp(base, "http://", 7) && strncmp(base, "https://", 8)) ||
		     base[strlen(base) - 1] == '/' || strpbrk(base, " \t\n\"?#")))
		return sf_error(SF_EINVAL, "media base '%s': give http(s)://host[:port][/path] "
				"with no trailing slash", sf_text_quote(base));
	cfg.listen = sf_opt(ctx, "listen") ? sf_opt(ctx, "listen") : "127.0.0.1:8080";
	cfg.threads = (int)threads;
	cfg.timeout = (int)timeout;
	cfg.per_address = (int)per;
	if ((rc = sf_token_secret_load(&cfg.key)) || (rc = sf_media_secret(secret)) ||
	    (rc = sf_server_conninfo(ctx->db_url, &conninfo)))
		return rc;
	cfg.conninfo = conninfo;
	cfg.media = (struct sf_http_media){ secret, base, ttl };
	/* Workers inherit this mask: only sigwait below sees the signals. */
	sigemptyset(&set);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGHUP);
	pthread_sigmask(SIG_BLOCK, &set, NULL);
	signal(SIGPIPE, SIG_IGN);
	rc = sf_server_start(&cfg, &srv);
	if (rc)
		goto out;
	fprintf(stderr, "sf: serving on %s with %d threads\n", sf_server_address(srv),
		cfg.threads);
	do
		sigwait(&set, &sig);
	while (sig == SIGHUP);
	fprintf(stderr, "sf: stopping (finishing requests for up to %d s)\n", GRACE_SECONDS);
	sf_server_stop(srv, GRACE_SECONDS);
out:
	free(conninfo);
	return rc;
}

static const struct sf_opt serve_opts[] = {
	{ "listen", "<address>", "HOST:PORT or unix:PATH (default 127.0.0.1:8080)" },
	{ "threads", "<n>", "worker threads, each with a database connection (default: cores)" },
	{ "timeout", "<seconds>", "close a connection idle or stalled this long (default 30)" },
	{ "max-connections-per-address", "<n>", "connections one client address may hold "
	  "(default 32)" },
	{ "media-base", "<url>", "put this origin (a CDN or nginx edge) before media URLs "
	  "(default: the server's own)" },
	{ "media-ttl", "<seconds>", "how long signed media URLs last (default 21600)" },
	{ "routes", NULL, "print the API's routes and who may call them, and exit" },
	{ NULL },
};

const struct sf_command sf_cmd_serve = {
	.name = "serve",
	.summary = "run the HTTP JSON API",
	.verbs = (const struct sf_verb[]){
		{ NULL, NULL, "", "run the HTTP JSON API", serve, CMD_DBURL, serve_opts, 0, 0 },
		{ 0 },
	},
};
