/*
 * watch.c - "sf watch": a profile's watch progress and history, where to
 * resume, next up, Continue Watching, and forgetting a title.
 *
 * Parses and prints only; lib/watch.c and lib/watch_view.c do the work
 * (the rules are in lib/watch.h).  Human output is the JSON form with an
 * episode shown as "S01E02 Name"; --json prints the JSON form itself.
 */
#include <stdio.h>
#include <stdlib.h>

#include "cmd.h"
#include "error.h"
#include "watch.h"
#include "xalloc.h"

/* Shows an item's episode as "S01E02 Name" (left alone when null). */
static void flatten(json_t *item)
{
	json_t *ep = json_object_get(item, "episode");
	char *s;

	if (!json_is_object(ep))
		return;
	s = sf_xasprintf("S%02lldE%02lld %s",
			 (long long)json_integer_value(json_object_get(ep, "season")),
			 (long long)json_integer_value(json_object_get(ep, "number")),
			 json_string_value(json_object_get(ep, "name")));
	json_object_set_new(item, "episode", json_string(s));
	free(s);
}

static void show(const struct sf_ctx *ctx, const json_t *j, const struct sf_column *cols)
{
	json_t *d;

	if (ctx->json) {
		sf_print_json(j);
		return;
	}
	d = json_deep_copy(j);
	if (json_is_array(d)) {
		json_t *it;
		size_t i;

		json_array_foreach(d, i, it)
			flatten(it);
	} else {
		flatten(d);
	}
	sf_print(ctx, d, cols);
	json_decref(d);
}

static int watch_progress(struct sf_ctx *ctx)
{
	static const struct sf_column cols[] = {
		{ "TITLE", "title" }, { "EPISODE", "episode" }, { "POSITION", "position" },
		{ "DURATION", "duration" }, { "COMPLETED", "completed" },
		{ "UPDATED", "updated_at" }, { "APPLIED", "applied" }, { "FINISHED", "finished" },
		{ NULL },
	};
	struct sf_watch_write w = {
		.profile = ctx->argv[0], .title = ctx->argv[1],
		.season = sf_opt(ctx, "season"), .episode = sf_opt(ctx, "episode"),
		.event = sf_opt(ctx, "event"), .position = sf_opt(ctx, "position"),
		.duration = sf_opt(ctx, "duration"), .credits = sf_opt(ctx, "credits"),
		.at = sf_opt(ctx, "at"),
	};
	json_t *out;
	int rc = sf_watch_record(ctx->db, &ctx->actor, &w, &out);

	if (rc)
		return rc;
	show(ctx, out, cols);
	json_decref(out);
	return 0;
}

static int watch_resume(struct sf_ctx *ctx)
{
	static const struct sf_column cols[] = {
		{ "TITLE", "title" }, { "EPISODE", "episode" }, { "START", "start" },
		{ "RESUME", "resume" }, { "POSITION", "position" }, { "DURATION", "duration" },
		{ "COMPLETED", "completed" }, { NULL },
	};
	struct sf_watch_query q = {
		.profile = ctx->argv[0], .title = ctx->argv[1], .season = sf_opt(ctx, "season"),
		.episode = sf_opt(ctx, "episode"), .region = sf_opt(ctx, "region"),
	};
	json_t *out;
	int rc = sf_watch_resume(ctx->db, &ctx->actor, &q, &out);

	if (rc)
		return rc;
	show(ctx, out, cols);
	json_decref(out);
	return 0;
}

static int watch_next(struct sf_ctx *ctx)
{
	static const struct sf_column cols[] = {
		{ "TITLE", "title" }, { "SEASON", "season" }, { "EPISODE", "number" },
		{ "NAME", "name" }, { "RUNTIME", "runtime_minutes" }, { NULL },
	};
	struct sf_watch_query q = {
		.profile = ctx->argv[0], .title = ctx->argv[1], .region = sf_opt(ctx, "region"),
	};
	json_t *out, *ep, *row;
	int rc = sf_watch_next(ctx->db, &ctx->actor, &q, &out);

	if (rc)
		return rc;
	ep = json_object_get(out, "episode");
	if (ctx->json) {
		sf_print_json(out);
	} else if (!json_is_object(ep)) {
		printf("no next episode: '%s' %s\n", json_string_value(json_object_get(out, "title")),
		       json_is_true(json_object_get(out, "finished")) ? "is finished"
		       : "has no episodes");
	} else {
		row = json_deep_copy(ep);
		json_object_set(row, "title", json_object_get(out, "title"));
		sf_print_object(row, cols);
		json_decref(row);
	}
	json_decref(out);
	return 0;
}

static int watch_continue(struct sf_ctx *ctx)
{
	static const struct sf_column cols[] = {
		{ "TITLE", "title" }, { "EPISODE", "episode" }, { "STATE", "state" },
		{ "START", "start" }, { "DURATION", "duration" }, { "LAST", "last_at" }, { NULL },
	};
	struct sf_watch_query q = {
		.profile = ctx->argv[0], .region = sf_opt(ctx, "region"), .limit = sf_opt(ctx, "limit"),
	};
	json_t *out;
	int rc = sf_watch_continue(ctx->db, &ctx->actor, &q, &out);

	if (rc)
		return rc;
	if (!ctx->json && json_array_size(out) == 0)
		printf("nothing to continue\n");
	else
		show(ctx, out, cols);
	json_decref(out);
	return 0;
}

static int watch_history(struct sf_ctx *ctx)
{
	static const struct sf_column cols[] = {
		{ "AT", "at" }, { "EVENT", "event" }, { "TITLE", "title" }, { "EPISODE", "episode" },
		{ "POSITION", "position" }, { "DURATION", "duration" }, { NULL },
	};
	struct sf_watch_query q = {
		.profile = ctx->argv[0], .title = ctx->argc > 1 ? ctx->argv[1] : NULL,
		.limit = sf_opt(ctx, "limit"),
	};
	json_t *out;
	int rc = sf_watch_history(ctx->db, &ctx->actor, &q, &out);

	if (rc)
		return rc;
	if (!ctx->json && json_array_size(out) == 0)
		printf("no history\n");
	else
		show(ctx, out, cols);
	json_decref(out);
	return 0;
}

static int watch_forget(struct sf_ctx *ctx)
{
	struct sf_watch_query q = { .profile = ctx->argv[0], .title = ctx->argv[1] };
	json_t *out;
	long long events, progress;
	int rc = sf_watch_forget(ctx->db, &ctx->actor, &q, &out);

	if (rc)
		return rc;
	events = json_integer_value(json_object_get(out, "events"));
	progress = json_integer_value(json_object_get(out, "progress"));
	if (ctx->json)
		sf_print_json(out);
	else
		printf("forgot %lld event%s and %lld progress record%s of title '%s' for "
		       "profile '%s'\n", events, events == 1 ? "" : "s", progress,
		       progress == 1 ? "" : "s", ctx->argv[1], ctx->argv[0]);
	json_decref(out);
	return 0;
}

static const struct sf_opt progress_opts[] = {
	{ "position", "<seconds>", "where playback is, in seconds (a complete event: default "
	  "the end)" },
	{ "season", "<n>", "the episode's season (a series)" },
	{ "episode", "<n>", "the episode's number in its season (a series)" },
	{ "duration", "<seconds>", "the playable's length (default: as last written, else its runtime)" },
	{ "event", "<kind>", "what happened (default progress)", false, sf_watch_events },
	{ "credits", "<seconds>", "where the end credits start: complete from there, not at 95%" },
	{ "at", "<time>", "the client's time of the write, such as 2026-11-22T10:00:00.250Z "
	  "(default now)" },
	{ NULL },
};

static const struct sf_opt resume_opts[] = {
	{ "season", "<n>", "an episode's season (default: the series' current episode)" },
	{ "episode", "<n>", "the episode's number in its season" },
	{ "region", "<country>", "availability as seen from this country, such as FR" },
	{ NULL },
};

static const struct sf_opt next_opts[] = {
	{ "region", "<country>", "availability as seen from this country, such as FR" },
	{ NULL },
};

static const struct sf_opt continue_opts[] = {
	{ "region", "<country>", "availability as seen from this country, such as FR" },
	{ "limit", "<n>", "at most this many titles (default 20)" },
	{ NULL },
};

static const struct sf_opt history_opts[] = {
	{ "limit", "<n>", "at most this many events, newest first (default 20)" },
	{ NULL },
};

#define DBJ (CMD_DB | CMD_JSON)

const struct sf_command sf_cmd_watch = {
	.name = "watch",
	.summary = "watch progress, history, resume, next up and Continue Watching",
	.verbs = (const struct sf_verb[]){
		{ "progress", NULL, "<profile> <title>", "record where a profile is in a movie or "
		  "episode", watch_progress, DBJ, progress_opts, 2, 2 },
		{ "history", NULL, "<profile> [<title>]", "show a profile's viewing history",
		  watch_history, DBJ, history_opts, 1, 2 },
		{ "resume", NULL, "<profile> <title>", "show where to start playing a title",
		  watch_resume, DBJ, resume_opts, 2, 2 },
		{ "next", NULL, "<profile> <title>", "show the next episode of a series",
		  watch_next, DBJ, next_opts, 2, 2 },
		{ "continue", NULL, "<profile>", "show a profile's Continue Watching row",
		  watch_continue, DBJ, continue_opts, 1, 1 },
		{ "forget", NULL, "<profile> <title>", "delete a title's history and progress "
		  "for a profile", watch_forget, DBJ, NULL, 2, 2 },
		{ 0 },
	},
};
