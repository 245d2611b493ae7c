/*
 * playback.c - one answer for a player: where to start, what to fetch,
 * what comes next (playback.h).
 *
 * The resume rule decides the playable and the start (and refuses a
 * title the profile may not watch); media.c signs the asset's URLs; one
 * query finds the episode after it.  Nothing is written.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db.h"
#include "error.h"
#include "exp_param.h"
#include "media.h"
#include "playback.h"
#include "text.h"
#include "viewer.h"
#include "watch.h"
#include "xalloc.h"

/* The episode after the playable's, in season and episode order, or null. */
static int next_episode(struct sf_db *db, long long title, long long season, long long number,
			json_t **out)
{
	char t[SF_INT_STR_MAX], s[SF_INT_STR_MAX], n[SF_INT_STR_MAX];
	PGresult *res = NULL;
	int rc = sf_db_query(db, &res,
		"SELECT e.id, s.number AS season, e.number, e.name FROM episodes e"
		"  JOIN seasons s ON s.id = e.season_id WHERE e.id = sf_watch_after($1, $2, $3)",
		SF_ARGS(sf_db_fmt_int(t, title), sf_db_fmt_int(s, season), sf_db_fmt_int(n, number)));

	*out = json_null();
	if (!rc && PQntuples(res) == 1) {
		json_decref(*out);
		*out = json_pack("{s:I, s:I, s:I, s:s?}", "id", (json_int_t)sf_db_int(res, 0, "id"),
				 "season", (json_int_t)sf_db_int(res, 0, "season"),
				 "number", (json_int_t)sf_db_int(res, 0, "number"), "name",
				 sf_db_str(res, 0, "name"));
	}
	PQclear(res);
	return rc;
}

/* Puts base in front of the string at key. */
static void prefix(json_t *o, const char *key, const char *base)
{
	const char *path = json_string_value(json_object_get(o, key));
	char *u;

	if (!path)
		return;
	u = sf_xasprintf("%s%s", base, path);
	json_object_set_new(o, key, json_string(u));
	free(u);
}

/* r's "abr": the abr.algorithm of the viewer's experiment, or null. */
static int set_abr(struct sf_db *db, const struct sf_actor *actor,
		   const struct sf_playback_query *q, json_t *r)
{
	struct sf_viewer v;
	char *abr = NULL;
	int rc = sf_viewer_open(db, actor, q->profile, q->region, 0, &v);

	if (rc)
		return rc;
	rc = sf_exp_param(db, &v, "abr.algorithm", &abr);
	json_object_set_new(r, "abr", abr ? json_string(abr) : json_null());
	free(abr);
	sf_viewer_release(&v);
	return rc;
}

int sf_playback(struct sf_db *db, const struct sf_actor *actor,
		const struct sf_playback_query *q, json_t **out)
{
	struct sf_watch_query wq = { .profile = q->profile, .title = q->title, .season = q->season,
				     .episode = q->episode, .region = q->region };
	struct sf_media_playable_ref p = { q->title };
	json_t *r = NULL, *m = NULL, *ep, *next = NULL, *v;
	char season[SF_INT_STR_MAX], number[SF_INT_STR_MAX], title[SF_INT_STR_MAX];
	const char *base = q->base ? q->base : "", *key;
	size_t i;
	int rc;

	*out = NULL;
	if ((rc = sf_watch_resume(db, actor, &wq, &r)))
		return rc;
	ep = json_object_get(r, "episode");
	snprintf(title, sizeof(title), "%" JSON_INTEGER_FORMAT,
		 json_integer_value(json_object_get(r, "title_id")));
	p.title = title;
	if (json_is_object(ep)) {
		snprintf(season, sizeof(season), "%" JSON_INTEGER_FORMAT,
			 json_integer_value(json_object_get(ep, "season")));
		snprintf(number, sizeof(number), "%" JSON_INTEGER_FORMAT,
			 json_integer_value(json_object_get(ep, "number")));
		p.season = season;
		p.episode = number;
	}
	rc = sf_media_playback(db, actor, &p, q->secret, q->now, q->ttl, &m);
	if (rc == SF_ENOTFOUND && json_is_object(ep))
		rc = sf_error(SF_ENOTFOUND, "title '%s' season %s episode %s: no media ready to play",
			      sf_text_quote(q->title), season, number);
	else if (rc == SF_ENOTFOUND)
		rc = sf_error(SF_ENOTFOUND, "title '%s': no media ready to play",
			      sf_text_quote(q->title));
	if (!rc && json_is_object(ep))
		rc = next_episode(db, json_integer_value(json_object_get(r, "title_id")),
				  json_integer_value(json_object_get(ep, "season")),
				  json_integer_value(json_object_get(ep, "number")), &next);
	if (rc) {
		json_decref(r);
		json_decref(m);
		return rc;
	}
	json_object_del(r, "completed_at");
	json_object_set_new(r, "asset_id", json_incref(json_object_get(m, "asset_id")));
	json_object_set_new(r, "media_duration", json_incref(json_object_get(m, "duration")));
	json_object_set_new(r, "expires", json_incref(json_object_get(m, "expires")));
	for (key = "master_url", i = 0; i < 3; i++) {
		prefix(m, key, base);
		json_object_set_new(r, key, json_incref(json_object_get(m, key)));
		key = i == 0 ? "poster_url" : "thumbnails_url";
	}
	json_array_foreach(json_object_get(m, "renditions"), i, v)
		prefix(v, "url", base);
	json_array_foreach(json_object_get(m, "subtitles"), i, v)
		prefix(v, "url", base);
	json_object_set_new(r, "renditions", json_incref(json_object_get(m, "renditions")));
	json_object_set_new(r, "subtitles", json_incref(json_object_get(m, "subtitles")));
	json_object_set_new(r, "next", next ? next : json_null());
	json_decref(m);
	if ((rc = set_abr(db, actor, q, r))) {
		json_decref(r);
		return rc;
	}
	*out = r;
	return 0;
}
