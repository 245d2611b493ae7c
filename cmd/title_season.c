/*
 * title_season.c - "sf title season" and "sf title episode": the seasons
 * of a series and their episodes.
 *
 * Parses and prints only; lib/season.c does the work.  A season or episode
 * prints as the object it is in the title's JSON form (an episode listed
 * with its season's number in front).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "error.h"
#include "season.h"
#include "text.h"
#include "title.h"
#include "title_cmd.h"
#include "title_field.h"

/* Option -> field of a season or an episode. */
struct map {
	const char *opt, *field;
};

static const struct map season_map[] = {
	{ "number", "number" }, { "name", "name" }, { "overview", "overview" },
	{ "release-date", "release_date" }, { NULL },
};

static const struct map episode_map[] = {
	{ "number", "number" }, { "name", "name" }, { "overview", "overview" },
	{ "runtime", "runtime_minutes" }, { "release-date", "release_date" }, { NULL },
};

static int has_opt(const struct sf_ctx *ctx, const char *name)
{
	for (const struct sf_opt *o = ctx->verb->opts; o && o->name; o++)
		if (!strcmp(o->name, name))
			return 1;
	return 0;
}

/* The options given, as a JSON object of the part's fields. */
static int read_part(struct sf_ctx *ctx, enum sf_title_part part, const struct map *m,
		     json_t *obj)
{
	for (; m->opt; m++) {
		const char *v = has_opt(ctx, m->opt) ? sf_opt(ctx, m->opt) : NULL;
		char label[32];
		json_t *val = NULL;
		int rc;

		if (!v)
			continue;
		snprintf(label, sizeof(label), "--%s", m->opt);
		rc = sf_title_part_text(part, m->field, v, label, &val);
		if (rc)
			return rc;
		json_object_set_new(obj, m->field, val);
	}
	return 0;
}

static int season_arg(const char *text, long long *n)
{
	return sf_title_number_arg("season", text, 0, 1000, n);
}

static int episode_arg(const char *text, long long *n)
{
	return sf_title_number_arg("episode", text, 1, 10000, n);
}

static json_t *find_number(const json_t *arr, long long n)
{
	size_t i;
	json_t *e;

	json_array_foreach(arr, i, e)
		if (json_integer_value(json_object_get(e, "number")) == n)
			return e;
	return NULL;
}

/* ---- seasons ---- */

static const struct sf_column season_cols[] = {
	{ "NUMBER", "number" }, { "NAME", "name" }, { "RELEASED", "release_date" },
	{ "EPISODES", "episode_count" }, { NULL },
};

static const struct sf_column season_show_cols[] = {
	{ "NUMBER", "number" }, { "NAME", "name" }, { "RELEASED", "release_date" },
	{ "EPISODES", "episode_count" }, { "OVERVIEW", "overview" }, { NULL },
};

static json_t *season_human(const json_t *s)
{
	json_t *h = json_deep_copy(s);

	json_object_set_new(h, "episode_count",
			    json_integer((json_int_t)json_array_size(json_object_get(s, "episodes"))));
	return h;
}

static void print_season(const struct sf_ctx *ctx, const json_t *title, long long n)
{
	json_t *s = find_number(json_object_get(title, "seasons"), n), *h;

	if (!s)
		return;
	if (ctx->json) {
		sf_print_json(s);
		return;
	}
	h = season_human(s);
	sf_print_object(h, season_show_cols);
	json_decref(h);
}

static int season_add(struct sf_ctx *ctx)
{
	json_t *obj = json_object(), *t = NULL, *num = NULL;
	int rc = sf_title_part_text(SF_PART_SEASON, "number", ctx->argv[1], "season", &num);

	if (!rc) {
		json_object_set_new(obj, "number", num);
		rc = read_part(ctx, SF_PART_SEASON, season_map + 1, obj);
	}
	if (!rc)
		rc = sf_season_add(ctx->db, &ctx->actor, ctx->argv[0], obj, &t);
	if (!rc)
		print_season(ctx, t, json_integer_value(num));
	json_decref(obj);
	json_decref(t);
	return rc;
}

static int season_edit(struct sf_ctx *ctx)
{
	json_t *obj = json_object(), *t = NULL;
	long long n;
	int changed = 0, rc = season_arg(ctx->argv[1], &n);

	if (!rc)
		rc = read_part(ctx, SF_PART_SEASON, season_map, obj);
	if (!rc)
		rc = sf_season_edit(ctx->db, &ctx->actor, ctx->argv[0], n, obj, &t, &changed);
	if (!rc) {
		long long now = json_object_get(obj, "number")
			? json_integer_value(json_object_get(obj, "number")) : n;

		print_season(ctx, t, now);
		if (!changed)
			fprintf(stderr, "season %lld unchanged: it already was so\n", now);
	}
	json_decref(obj);
	json_decref(t);
	return rc;
}

static int season_list(struct sf_ctx *ctx)
{
	json_t *t = NULL, *rows, *s;
	size_t i;
	int rc = sf_title_get(ctx->db, &ctx->actor, ctx->argv[0], &t);

	if (rc)
		return rc;
	if (!json_object_get(t, "seasons")) {
		rc = sf_error(SF_ECONFLICT, "title '%s' is a movie; only a series has seasons",
			      sf_title_name(t));
		json_decref(t);
		return rc;
	}
	if (ctx->json) {
		sf_print_json(json_object_get(t, "seasons"));
	} else {
		rows = json_array();
		json_array_foreach(json_object_get(t, "seasons"), i, s)
			json_array_append_new(rows, season_human(s));
		sf_print_table(rows, season_cols);
		json_decref(rows);
	}
	json_decref(t);
	return 0;
}

static int season_delete(struct sf_ctx *ctx)
{
	json_t *t = NULL, *s;
	long long n;
	int rc = season_arg(ctx->argv[1], &n);

	if (!rc)
		rc = sf_season_delete(ctx->db, &ctx->actor, ctx->argv[0], n, &t);
	if (rc)
		return rc;
	s = find_number(json_object_get(t, "seasons"), n);
	if (ctx->json)
		sf_print_json(s);
	else
		printf("deleted season %lld of '%s' (%zu episode%s)\n", n, sf_title_name(t),
		       json_array_size(json_object_get(s, "episodes")),
		       json_array_size(json_object_get(s, "episodes")) == 1 ? "" : "s");
	json_decref(t);
	return 0;
}

/* ---- episodes ---- */

static const struct sf_column episode_cols[] = {
	{ "SEASON", "season" }, { "NUMBER", "number" }, { "NAME", "name" },
	{ "RUNTIME", "runtime_minutes" }, { "RELEASED", "release_date" }, { NULL },
};

static const struct sf_column episode_show_cols[] = {
	{ "SEASON", "season" }, { "NUMBER", "number" }, { "NAME", "name" },
	{ "RUNTIME", "runtime_minutes" }, { "RELEASED", "release_date" },
	{ "OVERVIEW", "overview" }, { NULL },
};

/* The episode with its season's number in front. */
static json_t *with_season(const json_t *e, long long season)
{
	json_t *o = json_object();

	json_object_set_new(o, "season", json_integer(season));
	json_object_update(o, (json_t *)e);
	return o;
}

static void print_episode(const struct sf_ctx *ctx, const json_t *title, long long season,
			  long long n)
{
	json_t *s = find_number(json_object_get(title, "seasons"), season), *e, *o;

	e = s ? find_number(json_object_get(s, "episodes"), n) : NULL;
	if (!e)
		return;
	o = with_season(e, season);
	if (ctx->json)
		sf_print_json(o);
	else
		sf_print_object(o, episode_show_cols);
	json_decref(o);
}

static int episode_add(struct sf_ctx *ctx)
{
	json_t *obj = json_object(), *t = NULL, *num = NULL;
	long long season;
	int rc = season_arg(ctx->argv[1], &season);

	if (!rc)
		rc = sf_title_part_text(SF_PART_EPISODE, "number", ctx->argv[2], "episode", &num);
	if (!rc) {
		json_object_set_new(obj, "number", num);
		rc = read_part(ctx, SF_PART_EPISODE, episode_map + 1, obj);
	}
	if (!rc)
		rc = sf_episode_add(ctx->db, &ctx->actor, ctx->argv[0], season, obj, &t);
	if (!rc)
		print_episode(ctx, t, season, json_integer_value(num));
	json_decref(obj);
	json_decref(t);
	return rc;
}

static int episode_edit(struct sf_ctx *ctx)
{
	json_t *obj = json_object(), *t = NULL;
	long long season, n;
	int changed = 0, rc = season_arg(ctx->argv[1], &season);

	if (!rc)
		rc = episode_arg(ctx->argv[2], &n);
	if (!rc)
		rc = read_part(ctx, SF_PART_EPISODE, episode_map, obj);
	if (!rc)
		rc = sf_episode_edit(ctx->db, &ctx->actor, ctx->argv[0], season, n, obj, &t,
				     &changed);
	if (!rc) {
		long long now = json_object_get(obj, "number")
			? json_integer_value(json_object_get(obj, "number")) : n;

		print_episode(ctx, t, season, now);
		if (!changed)
			fprintf(stderr, "season %lld episode %lld unchanged: it already was so\n",
				season, now);
	}
	json_decref(obj);
	json_decref(t);
	return rc;
}

static int episode_list(struct sf_ctx *ctx)
{
	json_t *t = NULL, *rows = NULL, *s, *e;
	long long only = -1;
	size_t i, k;
	int rc = 0;

	if (sf_opt(ctx, "season"))
		rc = season_arg(sf_opt(ctx, "season"), &only);
	if (!rc)
		rc = sf_title_get(ctx->db, &ctx->actor, ctx->argv[0], &t);
	if (!rc && !json_object_get(t, "seasons"))
		rc = sf_error(SF_ECONFLICT, "title '%s' is a movie; only a series has episodes",
			      sf_title_name(t));
	if (!rc && only >= 0 && !find_number(json_object_get(t, "seasons"), only))
		rc = sf_error(SF_ENOTFOUND, "title '%s': season %lld: not found", sf_title_name(t),
			      only);
	if (rc) {
		json_decref(t);
		return rc;
	}
	rows = json_array();
	json_array_foreach(json_object_get(t, "seasons"), i, s) {
		long long sn = json_integer_value(json_object_get(s, "number"));

		if (only >= 0 && sn != only)
			continue;
		json_array_foreach(json_object_get(s, "episodes"), k, e)
			json_array_append_new(rows, with_season(e, sn));
	}
	sf_print(ctx, rows, episode_cols);
	json_decref(rows);
	json_decref(t);
	return 0;
}

static int episode_delete(struct sf_ctx *ctx)
{
	json_t *t = NULL, *s, *e;
	long long season, n;
	int rc = season_arg(ctx->argv[1], &season);

	if (!rc)
		rc = episode_arg(ctx->argv[2], &n);
	if (!rc)
		rc = sf_episode_delete(ctx->db, &ctx->actor, ctx->argv[0], season, n, &t);
	if (rc)
		return rc;
	s = find_number(json_object_get(t, "seasons"), season);
	e = find_number(json_object_get(s, "episodes"), n);
	if (ctx->json) {
		json_t *o = with_season(e, season);

		sf_print_json(o);
		json_decref(o);
	} else {
		printf("deleted season %lld episode %lld of '%s' ('%s')\n", season, n,
		       sf_title_name(t), sf_text_quote(json_string_value(json_object_get(e, "name"))));
	}
	json_decref(t);
	return 0;
}

/* ---- the tables ---- */

static const struct sf_opt season_add_opts[] = {
	{ "name", "<name>", "the season's name, such as 'Book One: Water'" },
	{ "overview", "<text>", "what happens in it" },
	{ "release-date", "<date>", "when it was first released, YYYY-MM-DD" },
	{ NULL },
};

static const struct sf_opt season_edit_opts[] = {
	{ "number", "<n>", "a new number for the season" },
	{ "name", "<name>", "a new name ('' for none)" },
	{ "overview", "<text>", "a new overview ('' for none)" },
	{ "release-date", "<date>", "a new release date ('' for none)" },
	{ NULL },
};

static const struct sf_opt episode_add_opts[] = {
	{ "name", "<name>", "the episode's name", true },
	{ "overview", "<text>", "what happens in it" },
	{ "runtime", "<minutes>", "its running time in minutes, 1 to 2000" },
	{ "release-date", "<date>", "when it was first aired, YYYY-MM-DD" },
	{ NULL },
};

static const struct sf_opt episode_edit_opts[] = {
	{ "number", "<n>", "a new number for the episode" },
	{ "name", "<name>", "a new name" },
	{ "overview", "<text>", "a new overview ('' for none)" },
	{ "runtime", "<minutes>", "a new running time ('' for none)" },
	{ "release-date", "<date>", "a new release date ('' for none)" },
	{ NULL },
};

static const struct sf_opt episode_list_opts[] = {
	{ "season", "<n>", "only the episodes of this season" },
	{ NULL },
};

#define DBJ (CMD_DB | CMD_JSON)

const struct sf_command sf_cmd_title_season = {
	.name = "title season",
	.summary = "manage the seasons of a series",
	.page = "title",
	.verbs = (const struct sf_verb[]){
		{ "add", NULL, "<title> <season>", "add a season to a series", season_add, DBJ,
		  season_add_opts, 2, 2 },
		{ "edit", NULL, "<title> <season>", "change a season", season_edit, DBJ,
		  season_edit_opts, 2, 2 },
		{ "list", NULL, "<title>", "list the seasons of a series", season_list, DBJ, NULL, 1, 1 },
		{ "delete", NULL, "<title> <season>", "delete a season and its episodes",
		  season_delete, DBJ, NULL, 2, 2 },
		{ 0 },
	},
};

const struct sf_command sf_cmd_title_episode = {
	.name = "title episode",
	.summary = "manage the episodes of a series",
	.page = "title",
	.verbs = (const struct sf_verb[]){
		{ "add", NULL, "<title> <season> <episode>", "add an episode to a season",
		  episode_add, DBJ, episode_add_opts, 3, 3 },
		{ "edit", NULL, "<title> <season> <episode>", "change an episode", episode_edit, DBJ,
		  episode_edit_opts, 3, 3 },
		{ "list", NULL, "<title>", "list the episodes of a series", episode_list, DBJ,
		  episode_list_opts, 1, 1 },
		{ "delete", NULL, "<title> <season> <episode>", "delete an episode", episode_delete,
		  DBJ, NULL, 3, 3 },
		{ 0 },
	},
};
