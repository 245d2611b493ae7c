/*
 * watch_view.c - what a profile sees of its viewing: where to resume, next
 * up, Continue Watching and its history (watch.h has the rules).
 *
 * Each read finds the profile first (and checks the actor may act for
 * it), then asks the SQL of sql/0011_watch.sql, which filters by the
 * profile's maturity limit and the titles' availability; playables come
 * back in their one JSON form, built by sf_watch_item().
 */
#include <stdlib.h>
#include <string.h>

#include "db.h"
#include "error.h"
#include "text.h"
#include "title.h"
#include "watch.h"
#include "watch_target.h"

/* Parses one column of JSON text; NULL (SF_EINTERNAL set) if it is not. */
static json_t *json_col(const PGresult *res, int row, const char *col)
{
	const char *s = sf_db_str(res, row, col);
	json_t *j = s ? json_loads(s, JSON_DECODE_ANY, NULL) : NULL;

	if (!j)
		sf_error(SF_EINTERNAL, "watch: the database sent bad JSON");
	return j;
}

/* Adds start and resume to a playable's JSON form: resume is offered
 * past SF_WATCH_RESUME_MIN seconds when it is not complete. */
static void add_start(json_t *item)
{
	json_int_t pos = json_integer_value(json_object_get(item, "position"));
	int resume = pos > SF_WATCH_RESUME_MIN && !json_is_true(json_object_get(item, "completed"));

	json_object_set_new(item, "start", json_integer(resume ? pos : 0));
	json_object_set_new(item, "resume", json_boolean(resume));
}

static int item(struct sf_db *db, const struct sf_watch_target *t, long long episode,
		json_t **out)
{
	char prof[SF_INT_STR_MAX], title[SF_INT_STR_MAX], ep[SF_INT_STR_MAX];
	PGresult *res = NULL;
	int rc;

	rc = sf_db_query(db, &res, "SELECT sf_watch_item($1, $2, $3)::text AS j",
			 SF_ARGS(sf_db_fmt_int(prof, t->profile_id),
				 sf_db_fmt_int(title, t->title_id),
				 episode ? sf_db_fmt_int(ep, episode) : NULL));
	if (!rc && !(*out = json_col(res, 0, "j")))
		rc = SF_EINTERNAL;
	PQclear(res);
	return rc;
}

/* The profile, region and title of q, and whether the profile may watch
 * the title now. */
static int find(struct sf_db *db, const struct sf_actor *actor, const struct sf_watch_query *q,
		struct sf_watch_target *t)
{
	int rc;

	memset(t, 0, sizeof(*t));
	if ((rc = sf_watch_target_profile(db, actor, q->profile, t)) ||
	    (rc = sf_watch_target_region(q->region, t)))
		return rc;
	if (!q->title)
		return 0;
	if ((rc = sf_watch_target_title(db, actor, q->title, t)) ||
	    (rc = sf_watch_target_episode(db, q->title, q->season, q->episode, 0, t)))
		return rc;
	return sf_watch_target_may_watch(t, q->profile, q->title);
}

/* ---- resume ---- */

/* For a series: whether it is finished, and (unless one was named) the
 * episode to play: the last touched if resume is offered there, else
 * next up, else the first. */
static int series_episode(struct sf_db *db, const struct sf_watch_target *t, long long *episode,
			  int *finished)
{
	char prof[SF_INT_STR_MAX], title[SF_INT_STR_MAX], min[SF_INT_STR_MAX];
	PGresult *res = NULL;
	int rc;

	rc = sf_db_query(db, &res,
		"SELECT l.episode_id AS last, coalesce(l.position_s > $3 AND NOT l.completed, false)"
		"       AS resumable, sf_watch_next($1, $2) AS next, sf_watch_after($2, NULL, NULL)"
		"       AS first"
		"  FROM (SELECT 1) one LEFT JOIN LATERAL ("
		"       SELECT w.* FROM watch_progress w JOIN episodes e ON e.id = w.episode_id"
		"         JOIN seasons s ON s.id = e.season_id"
		"        WHERE w.profile_id = $1 AND w.title_id = $2"
		"        ORDER BY w.at DESC, s.number DESC, e.number DESC LIMIT 1) l ON true",
		SF_ARGS(sf_db_fmt_int(prof, t->profile_id), sf_db_fmt_int(title, t->title_id),
			sf_db_fmt_int(min, SF_WATCH_RESUME_MIN)));
	if (rc)
		return rc;
	*finished = sf_db_isnull(res, 0, "next") && !sf_db_isnull(res, 0, "first");
	if (!*episode)
		*episode = sf_db_bool(res, 0, "resumable") ? sf_db_int(res, 0, "last")
			 : !sf_db_isnull(res, 0, "next") ? sf_db_int(res, 0, "next")
			 : sf_db_int(res, 0, "first");
	PQclear(res);
	return 0;
}

int sf_watch_resume(struct sf_db *db, const struct sf_actor *actor,
		    const struct sf_watch_query *q, json_t **out)
{
	struct sf_watch_target t;
	long long episode;
	int finished = 0, rc;

	*out = NULL;
	rc = q->title ? 0 : sf_error(SF_EINVAL, "title: missing; give an id or an external id");
	if (!rc)
		rc = find(db, actor, q, &t);
	if (rc)
		return rc;
	episode = t.episode_id;
	if (t.series && (rc = series_episode(db, &t, &episode, &finished)))
		return rc;
	if (t.series && !episode)
		return sf_error(SF_ENOTFOUND, "title '%s': a series with no episodes to play",
				sf_text_quote(q->title));
	rc = item(db, &t, episode, out);
	if (rc)
		return rc;
	add_start(*out);
	if (t.series)
		json_object_set_new(*out, "finished", json_boolean(finished));
	return 0;
}

/* ---- next up ---- */

int sf_watch_next(struct sf_db *db, const struct sf_actor *actor,
		  const struct sf_watch_query *q, json_t **out)
{
	char prof[SF_INT_STR_MAX], title[SF_INT_STR_MAX];
	struct sf_watch_target t;
	PGresult *res = NULL;
	json_t *ep;
	int rc;

	*out = NULL;
	rc = q->title ? 0 : sf_error(SF_EINVAL, "title: missing; give an id or an external id");
	if (!rc && (q->season || q->episode))
		rc = sf_error(SF_EINVAL, "next up is for a whole series: name no episode");
	if (!rc)
		rc = find(db, actor, q, &t);
	if (!rc && !t.series)
		rc = sf_error(SF_EINVAL, "title '%s' is a movie: only a series has a next episode",
			      sf_text_quote(q->title));
	if (rc)
		return rc;
	rc = sf_db_query(db, &res,
		"SELECT t.title, n.id, s.number AS season, e.number, e.name, e.runtime_minutes,"
		"       sf_watch_after(t.id, NULL, NULL) IS NOT NULL AS has_episodes"
		"  FROM titles t"
		"  CROSS JOIN LATERAL (SELECT sf_watch_next($1, t.id) AS id) n"
		"  LEFT JOIN episodes e ON e.id = n.id"
		"  LEFT JOIN seasons s ON s.id = e.season_id"
		" WHERE t.id = $2",
		SF_ARGS(sf_db_fmt_int(prof, t.profile_id), sf_db_fmt_int(title, t.title_id)));
	if (rc)
		return rc;
	if (PQntuples(res) == 0) {
		PQclear(res);
		return sf_error(SF_ENOTFOUND, "title '%s': not found", sf_text_quote(q->title));
	}
	ep = sf_db_isnull(res, 0, "id") ? json_null() : json_pack("{sIsIsIssso}",
		"id", (json_int_t)sf_db_int(res, 0, "id"),
		"season", (json_int_t)sf_db_int(res, 0, "season"),
		"number", (json_int_t)sf_db_int(res, 0, "number"),
		"name", sf_db_str(res, 0, "name"),
		"runtime_minutes", sf_db_isnull(res, 0, "runtime_minutes") ? json_null()
			: json_integer(sf_db_int(res, 0, "runtime_minutes")));
	*out = json_pack("{sIsssosb}", "title_id", (json_int_t)t.title_id,
			 "title", sf_db_str(res, 0, "title"), "episode", ep,
			 "finished", json_is_null(ep) && sf_db_bool(res, 0, "has_episodes"));
	PQclear(res);
	return 0;
}

/* ---- Continue Watching ---- */

int sf_watch_continue(struct sf_db *db, const struct sf_actor *actor,
		      const struct sf_watch_query *q, json_t **out)
{
	char prof[SF_INT_STR_MAX], mat[SF_INT_STR_MAX], lim[SF_INT_STR_MAX];
	struct sf_watch_target t;
	long long limit = SF_WATCH_LIMIT_DEFAULT;
	PGresult *res = NULL;
	int rc;

	*out = NULL;
	rc = sf_watch_limit(q->limit, &limit);
	if (!rc && (q->title || q->season || q->episode))
		rc = sf_error(SF_EINVAL, "continue watching is for a whole profile: name no title");
	if (!rc)
		rc = find(db, actor, q, &t);
	if (!rc)
		rc = sf_db_query(db, &res,
			"SELECT c.state, sf_iso(c.last_at) AS last_at,"
			"       sf_watch_item($1, c.title_id, c.episode_id)::text AS j"
			"  FROM sf_watch_continue($1, $2, $3, $4) c",
			SF_ARGS(sf_db_fmt_int(prof, t.profile_id), sf_db_fmt_int(mat, t.maturity),
				t.region[0] ? t.region : NULL, sf_db_fmt_int(lim, limit)));
	if (rc)
		return rc;
	*out = json_array();
	for (int i = 0; i < PQntuples(res); i++) {
		json_t *it = json_col(res, i, "j");

		if (!it) {
			json_decref(*out);
			*out = NULL;
			rc = SF_EINTERNAL;
			break;
		}
		json_object_set_new(it, "state", json_string(sf_db_str(res, i, "state")));
		json_object_set_new(it, "last_at", json_string(sf_db_str(res, i, "last_at")));
		add_start(it);
		json_array_append_new(*out, it);
	}
	PQclear(res);
	return rc;
}

/* ---- history ---- */

int sf_watch_history(struct sf_db *db, const struct sf_actor *actor,
		     const struct sf_watch_query *q, json_t **out)
{
	char prof[SF_INT_STR_MAX], title[SF_INT_STR_MAX], mat[SF_INT_STR_MAX];
	char lim[SF_INT_STR_MAX];
	struct sf_watch_target t = { 0 };
	long long limit = SF_WATCH_LIMIT_DEFAULT;
	PGresult *res = NULL;
	int rc;

	*out = NULL;
	rc = sf_watch_limit(q->limit, &limit);
	if (!rc && (q->season || q->episode || q->region))
		rc = sf_error(SF_EINVAL, "history takes a profile, a title and a limit only");
	if (!rc)
		rc = sf_watch_target_profile(db, actor, q->profile, &t);
	/* A title the profile watched may have left the catalog since. */
	if (!rc && q->title)
		rc = sf_title_find(db, q->title, &t.title_id);
	if (!rc)
		rc = sf_db_query(db, &res,
			"SELECT coalesce(json_agg(json_build_object("
			"         'id', v.id, 'at', sf_iso(v.at), 'event', v.kind,"
			"         'title_id', t.id, 'title', t.title, 'kind', t.kind,"
			"         'episode', CASE WHEN e.id IS NOT NULL THEN json_build_object("
			"             'id', e.id, 'season', s.number, 'number', e.number, 'name', e.name)"
			"             END,"
			"         'position', v.position_s, 'duration', v.duration_s)"
			"         ORDER BY v.at DESC, v.id DESC), '[]')::text AS j"
			"  FROM (SELECT v.* FROM watch_events v JOIN titles t ON t.id = v.title_id"
			"         WHERE v.profile_id = $1 AND ($2::bigint IS NULL OR v.title_id = $2)"
			"           AND t.maturity <= $3"
			"         ORDER BY v.at DESC, v.id DESC LIMIT $4) v"
			"  JOIN titles t ON t.id = v.title_id"
			"  LEFT JOIN episodes e ON e.id = v.episode_id"
			"  LEFT JOIN seasons s ON s.id = e.season_id",
			SF_ARGS(sf_db_fmt_int(prof, t.profile_id),
				q->title ? sf_db_fmt_int(title, t.title_id) : NULL,
				sf_db_fmt_int(mat, t.maturity), sf_db_fmt_int(lim, limit)));
	if (!rc && !(*out = json_col(res, 0, "j")))
		rc = SF_EINTERNAL;
	PQclear(res);
	return rc;
}
