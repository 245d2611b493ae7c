/*
 * media.c - "sf media": ingest video for movies and episodes, list and
 * manage the encoded assets, add subtitles, and hand out signed playback
 * URLs (lib/media.c, lib/media_ingest.c, lib/media_sign.c).
 *
 * A playable is named as "sf watch" names one: a title and, for a
 * series, --season and --episode.  "add" queues a job for "sf worker";
 * with --wait it runs the job here, with a progress line on a terminal.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cmd.h"
#include "error.h"
#include "job.h"
#include "media.h"
#include "media_progress.h"
#include "media_sign.h"
#include "text.h"
#include "xalloc.h"

static const char *const ladders[] = { "standard", "auto", NULL };
static const char *const statuses[] = { "queued", "encoding", "ready", "failed", NULL };

/* The asset as a person reads it: playable, renditions joined. */
static json_t *human(const json_t *a)
{
	json_t *h = json_deep_copy(a), *r;
	char *names = NULL;
	size_t i;

	if (json_is_integer(json_object_get(a, "season")))
		json_object_set_new(h, "playable", json_sprintf("%s S%02lldE%02lld",
				    json_string_value(json_object_get(a, "title")),
				    (long long)json_integer_value(json_object_get(a, "season")),
				    (long long)json_integer_value(json_object_get(a, "episode"))));
	else
		json_object_set(h, "playable", json_object_get(a, "title"));
	json_array_foreach(json_object_get(a, "renditions"), i, r) {
		char *n = sf_xasprintf("%s%s%s (%lld kb/s)", names ? names : "", names ? ", " : "",
				       json_string_value(json_object_get(r, "name")),
				       (long long)json_integer_value(json_object_get(r, "average_bandwidth"))
				       / 1000);

		free(names);
		names = n;
	}
	json_object_set_new(h, "renditions", names ? json_string(names) : json_null());
	free(names);
	if (json_is_number(json_object_get(a, "duration")))
		json_object_set_new(h, "duration", json_sprintf("%.1f s",
				    json_number_value(json_object_get(a, "duration"))));
	json_object_set_new(h, "subtitles", json_array_size(json_object_get(a, "subtitles"))
			    ? json_sprintf("%zu", json_array_size(json_object_get(a, "subtitles")))
			    : json_null());
	if (json_object_get(a, "job") && !json_is_null(json_object_get(a, "job")))
		json_object_set_new(h, "job", json_sprintf("%lld (%s, attempt %lld of %lld)",
				    (long long)json_integer_value(json_object_get(json_object_get(a, "job"), "id")),
				    json_string_value(json_object_get(json_object_get(a, "job"), "state")),
				    (long long)json_integer_value(json_object_get(json_object_get(a, "job"), "attempts")),
				    (long long)json_integer_value(json_object_get(json_object_get(a, "job"), "max_attempts"))));
	return h;
}

static const struct sf_column show_cols[] = {
	{ "ID", "id" }, { "PLAYABLE", "playable" }, { "STATUS", "status" },
	{ "ERROR", "error" }, { "SOURCE", "source" }, { "LADDER", "ladder" },
	{ "COMPLEXITY", "complexity" }, { "SIZE", "size" }, { "DURATION", "duration" },
	{ "SEGMENTS", "segment_count" }, { "RENDITIONS", "renditions" },
	{ "SUBTITLES", "subtitles" }, { "FILES", "files" }, { "DIR", "dir" }, { "JOB", "job" },
	{ "CREATED", "created_at" }, { "READY", "ready_at" }, { NULL },
};

static const struct sf_column list_cols[] = {
	{ "ID", "id" }, { "PLAYABLE", "playable" }, { "STATUS", "status" },
	{ "LADDER", "ladder" }, { "DURATION", "duration" }, { "RENDITIONS", "renditions" },
	{ "ERROR", "error" }, { NULL },
};

static void print_asset(const struct sf_ctx *ctx, const json_t *a)
{
	json_t *h;

	if (ctx->json) {
		sf_print_json(a);
		return;
	}
	h = human(a);
	if (json_is_integer(json_object_get(a, "width")))
		json_object_set_new(h, "size", json_sprintf("%lldx%lld",
				    (long long)json_integer_value(json_object_get(a, "width")),
				    (long long)json_integer_value(json_object_get(a, "height"))));
	sf_print_object(h, show_cols);
	json_decref(h);
}

static struct sf_media_playable_ref playable(const struct sf_ctx *ctx)
{
	return (struct sf_media_playable_ref){ ctx->argv[0], sf_opt(ctx, "season"),
					       sf_opt(ctx, "episode") };
}

/* Runs job id here, drawing progress; the asset's state is the result. */
static int run_inline(struct sf_ctx *ctx, long long job_id, long long asset)
{
	struct sf_media_bar bar;
	struct sf_job job;
	char label[48], *err = NULL, worker[64];
	json_t *a = NULL;
	int rc;

	snprintf(label, sizeof(label), "asset %lld", asset);
	snprintf(worker, sizeof(worker), "sf-media-wait:%ld", (long)getpid());
	sf_media_bar_init(&bar, label);
	for (;;) {
		rc = sf_media_work(ctx->db, worker, job_id, sf_media_bar_update, &bar, &job, &err);
		sf_media_bar_done(&bar);
		if (rc < 0)
			return rc;
		free(err);
		err = NULL;
		rc = sf_media_asset_json(ctx->db, asset, &a);
		if (rc)
			return rc;
		if (!strcmp(json_string_value(json_object_get(a, "status")), "ready") ||
		    !strcmp(json_string_value(json_object_get(a, "status")), "failed"))
			break;
		/* Queued for a retry after its back-off, or taken by a worker:
		 * wait and look again. */
		json_decref(a);
		a = NULL;
		sleep(1);
	}
	if (!strcmp(json_string_value(json_object_get(a, "status")), "failed")) {
		rc = sf_error(SF_EINVAL, "asset '%lld': %s", asset,
			      json_string_value(json_object_get(a, "error")));
	} else {
		print_asset(ctx, a);
	}
	json_decref(a);
	return rc;
}

static int media_add(struct sf_ctx *ctx)
{
	struct sf_media_playable_ref p = playable(ctx);
	json_t *a = NULL;
	long long job = 0, id;
	int rc = sf_media_add(ctx->db, &ctx->actor, &p, ctx->argv[1], sf_opt(ctx, "ladder"), &a,
			      &job);

	if (rc)
		return rc;
	id = json_integer_value(json_object_get(a, "id"));
	if (sf_flag(ctx, "wait")) {
		json_decref(a);
		return run_inline(ctx, job, id);
	}
	print_asset(ctx, a);
	if (!ctx->json)
		fprintf(stderr, "queued as job %lld; 'sf worker' encodes it\n", job);
	json_decref(a);
	return 0;
}

static int media_list(struct sf_ctx *ctx)
{
	json_t *list = NULL, *rows, *a;
	size_t i;
	int rc = sf_media_list(ctx->db, &ctx->actor, sf_opt(ctx, "title"), sf_opt(ctx, "status"),
			       &list);

	if (rc)
		return rc;
	if (ctx->json) {
		sf_print_json(list);
	} else {
		rows = json_array();
		json_array_foreach(list, i, a)
			json_array_append_new(rows, human(a));
		sf_print_table(rows, list_cols);
		json_decref(rows);
	}
	json_decref(list);
	return 0;
}

static int media_show(struct sf_ctx *ctx)
{
	json_t *a = NULL;
	int rc = sf_media_get(ctx->db, &ctx->actor, ctx->argv[0], &a);

	if (!rc)
		print_asset(ctx, a);
	json_decref(a);
	return rc;
}

static int media_remove(struct sf_ctx *ctx)
{
	json_t *a = NULL;
	bool yes = sf_flag(ctx, "yes");
	int rc;

	if (!yes) {
		char prompt[160];

		snprintf(prompt, sizeof(prompt), "Remove asset '%s' and its files, for good?",
			 sf_text_quote(ctx->argv[0]));
		rc = sf_confirm(prompt, "remove an asset", &yes);
		if (!rc && !yes)
			rc = sf_error(SF_EINVAL, "removal of asset '%s' not confirmed",
				      sf_text_quote(ctx->argv[0]));
		if (rc)
			return rc;
	}
	rc = sf_media_remove(ctx->db, &ctx->actor, ctx->argv[0], &a);
	if (rc)
		return rc;
	if (ctx->json)
		sf_print_json(a);
	else
		printf("removed asset %lld of '%s'\n",
		       (long long)json_integer_value(json_object_get(a, "id")),
		       sf_text_quote(json_string_value(json_object_get(a, "title"))));
	json_decref(a);
	return 0;
}

static int media_retry(struct sf_ctx *ctx)
{
	json_t *a = NULL, *job;
	int rc = sf_media_retry(ctx->db, &ctx->actor, ctx->argv[0], &a);

	if (rc)
		return rc;
	job = json_object_get(a, "job");
	if (sf_flag(ctx, "wait")) {
		long long id = json_integer_value(json_object_get(a, "id"));

		rc = run_inline(ctx, json_integer_value(json_object_get(job, "id")), id);
		json_decref(a);
		return rc;
	}
	print_asset(ctx, a);
	json_decref(a);
	return 0;
}

static int media_playback(struct sf_ctx *ctx)
{
	struct sf_media_playable_ref p = playable(ctx);
	char secret[SF_MEDIA_SECRET_LEN + 1];
	long long ttl = SF_MEDIA_URL_TTL;
	json_t *o = NULL;
	int rc = sf_opt_int(ctx, "ttl", -31536000, 31536000, &ttl);

	if (!rc)
		rc = sf_media_secret(secret);
	if (!rc)
		rc = sf_media_playback(ctx->db, &ctx->actor, &p, secret, (long long)time(NULL), ttl,
				       &o);
	if (!rc)
		sf_print_json(o);
	json_decref(o);
	return rc;
}

static int media_nginx(struct sf_ctx *ctx)
{
	char secret[SF_MEDIA_SECRET_LEN + 1];
	char *root = sf_media_root();
	int rc = sf_media_secret(secret);

	(void)ctx;
	if (!rc)
		printf("# sf media: serve signed HLS from the media root (sf-media(1)).\n"
		       "# This block holds the media signing secret: keep the file 0600.\n"
		       "location ~ \"^/media/(?<sf_md5>[A-Za-z0-9_-]{22})/(?<sf_expires>[0-9]+)"
		       "(?<sf_dir>/[0-9]+-[0-9a-f]+/)(?<sf_file>[^?]+)$\" {\n"
		       "    secure_link $sf_md5,$sf_expires;\n"
		       "    secure_link_md5 \"${sf_expires}/media${sf_dir}%s\";\n"
		       "    if ($secure_link = \"\") { return 403; }\n"
		       "    if ($secure_link = \"0\") { return 410; }\n"
		       "    types { application/vnd.apple.mpegurl m3u8; video/mp2t ts;"
		       " text/vtt vtt; image/jpeg jpg; }\n"
		       "    alias %s$sf_dir$sf_file;\n"
		       "}\n", secret, root);
	free(root);
	return rc;
}

static int subtitle_add(struct sf_ctx *ctx)
{
	struct sf_media_playable_ref p = playable(ctx);
	json_t *o = NULL;
	int rc = sf_media_subtitle_add(ctx->db, &ctx->actor, &p, sf_opt(ctx, "lang"), ctx->argv[1],
				       &o);

	if (rc)
		return rc;
	if (ctx->json)
		sf_print_json(o);
	else
		printf("added %s subtitles (%lld cues) to '%s'; written into %zu ready asset%s\n",
		       sf_opt(ctx, "lang"), (long long)json_integer_value(json_object_get(o, "cues")),
		       sf_text_quote(ctx->argv[0]), json_array_size(json_object_get(o, "assets")),
		       json_array_size(json_object_get(o, "assets")) == 1 ? "" : "s");
	json_decref(o);
	return 0;
}

#define PLAYABLE_OPTS \
	{ "season", "<n>", "the episode's season (a series)" }, \
	{ "episode", "<n>", "the episode's number in its season (a series)" }

static const struct sf_opt add_opts[] = {
	PLAYABLE_OPTS,
	{ "ladder", "<ladder>", "standard (default) or auto: bitrates from the source's "
	  "complexity", false, ladders },
	{ "wait", NULL, "encode now, here, instead of queueing for sf worker" },
	{ NULL },
};

static const struct sf_opt list_opts[] = {
	{ "title", "<title>", "only the assets of this title" },
	{ "status", "<status>", "only queued, encoding, ready or failed assets", false, statuses },
	{ NULL },
};

static const struct sf_opt remove_opts[] = {
	{ "yes", NULL, "do not ask for confirmation" },
	{ NULL },
};

static const struct sf_opt retry_opts[] = {
	{ "wait", NULL, "encode now, here, instead of queueing for sf worker" },
	{ NULL },
};

static const struct sf_opt playback_opts[] = {
	PLAYABLE_OPTS,
	{ "ttl", "<seconds>", "how long the signed URLs last (default 21600, 6 hours)" },
	{ NULL },
};

static const struct sf_opt subtitle_opts[] = {
	PLAYABLE_OPTS,
	{ "lang", "<tag>", "the subtitles' language, such as en or pt-BR", true },
	{ NULL },
};

#define DBJ (CMD_DB | CMD_JSON)

static const struct sf_command sf_cmd_media_subtitle = {
	.name = "media subtitle",
	.summary = "manage the subtitles of movies and episodes",
	.page = "media",
	.verbs = (const struct sf_verb[]){
		{ "add", NULL, "<title> <file>", "add or replace subtitles from a WebVTT or SRT file",
		  subtitle_add, DBJ, subtitle_opts, 2, 2 },
		{ 0 },
	},
};

const struct sf_command sf_cmd_media = {
	.name = "media",
	.summary = "ingest and manage the video of movies and episodes",
	.verbs = (const struct sf_verb[]){
		{ "add", NULL, "<title> <file>", "queue a video file for encoding to HLS",
		  media_add, DBJ, add_opts, 2, 2 },
		{ "list", NULL, "", "list the encoded and queued assets", media_list, DBJ,
		  list_opts, 0, 0 },
		{ "show", NULL, "<asset>", "show an asset", media_show, DBJ, NULL, 1, 1 },
		{ "remove", NULL, "<asset>", "delete an asset and its files", media_remove, DBJ,
		  remove_opts, 1, 1 },
		{ "retry", NULL, "<asset>", "queue a failed asset's encoding again", media_retry, DBJ,
		  retry_opts, 1, 1 },
		{ "playback", NULL, "<title>", "print signed playback URLs of a movie or episode",
		  media_playback, CMD_DB, playback_opts, 1, 1 },
		{ "nginx", NULL, "", "print an nginx location that serves signed media URLs",
		  media_nginx, 0, NULL, 0, 0 },
		{ "subtitle", &sf_cmd_media_subtitle },
		{ 0 },
	},
};
