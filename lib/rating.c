/*
 * rating.c - set, clear and show a profile's rating of a title.
 *
 * The write is one statement (an upsert or a delete); the trigger on
 * ratings adds its difference to the title's count, sum and average under
 * the title's row lock, so ratings made at once by many profiles queue on
 * that row and the average stays exact.
 */
#include <stdlib.h>
#include <string.h>

#include "db.h"
#include "error.h"
#include "json.h"
#include "rating.h"
#include "text.h"
#include "viewer.h"

int sf_rating_parse(const char *text, int *stars)
{
	if (strlen(text) != 1 || text[0] < '0' + SF_RATING_MIN || text[0] > '0' + SF_RATING_MAX)
		return sf_error(SF_EINVAL, "stars '%s': not a whole number from %d to %d",
				sf_text_quote(text), SF_RATING_MIN, SF_RATING_MAX);
	*stars = text[0] - '0';
	return 0;
}

static int rating_json(struct sf_db *db, long long profile_id, long long title_id,
		       json_t **out)
{
	char pid[SF_INT_STR_MAX], tid[SF_INT_STR_MAX];
	PGresult *res = NULL;
	int rc;

	rc = sf_db_query(db, &res, "SELECT t.id, t.title, r.stars, sf_iso(r.updated_at) AS rated_at,"
			 " t.rating_avg::float8 AS rating_avg, t.rating_count FROM titles t"
			 " LEFT JOIN ratings r ON r.title_id = t.id AND r.profile_id = $1"
			 " WHERE t.id = $2",
			 SF_ARGS(sf_db_fmt_int(pid, profile_id), sf_db_fmt_int(tid, title_id)));
	if (!rc && PQntuples(res) == 0)
		rc = sf_error(SF_ENOTFOUND, "title '%lld': not found", title_id);
	if (!rc) {
		*out = json_object();
		json_object_set_new(*out, "profile_id", json_integer(profile_id));
		json_object_set_new(*out, "title_id", json_integer(title_id));
		json_object_set_new(*out, "title", json_string(sf_db_str(res, 0, "title")));
		json_object_set_new(*out, "stars", sf_db_isnull(res, 0, "stars") ? json_null()
				    : json_integer(sf_db_int(res, 0, "stars")));
		json_object_set_new(*out, "rated_at", sf_json_str(sf_db_str(res, 0, "rated_at")));
		json_object_set_new(*out, "rating_avg", sf_db_isnull(res, 0, "rating_avg")
				    ? json_null()
				    : json_real(strtod(sf_db_str(res, 0, "rating_avg"), NULL)));
		json_object_set_new(*out, "rating_count",
				    json_integer(sf_db_int(res, 0, "rating_count")));
	}
	PQclear(res);
	return rc;
}

struct change {
	const struct sf_actor *actor;
	const char *profile, *title;
	int stars;               /* 0: clear */
	json_t *out;
};

static int change_tx(struct sf_db *db, void *arg)
{
	struct change *c = arg;
	char pid[SF_INT_STR_MAX], tid[SF_INT_STR_MAX], stars[SF_INT_STR_MAX];
	struct sf_viewer v;
	PGresult *res = NULL;
	long long title_id;
	int rc;

	rc = sf_viewer_open_title(db, c->actor, c->profile, SF_VIEWER_CHANGE, c->title, &v,
				  &title_id);
	if (rc)
		goto out;
	sf_db_fmt_int(pid, v.profile_id);
	sf_db_fmt_int(tid, title_id);
	if (c->stars)
		rc = sf_db_query(db, NULL, "INSERT INTO ratings (profile_id, title_id, stars)"
				 " VALUES ($1, $2, $3) ON CONFLICT (profile_id, title_id) DO UPDATE"
				 " SET stars = excluded.stars, updated_at = now()"
				 " WHERE ratings.stars <> excluded.stars",
				 SF_ARGS(pid, tid, sf_db_fmt_int(stars, c->stars)));
	else
		rc = sf_db_query(db, &res, "DELETE FROM ratings WHERE profile_id = $1"
				 " AND title_id = $2 RETURNING stars", SF_ARGS(pid, tid));
	if (!rc && !c->stars && PQntuples(res) == 0)
		rc = sf_error(SF_ENOTFOUND, "title '%s': you have not rated it",
			      sf_text_quote(c->title));
	if (!rc)
		rc = rating_json(db, v.profile_id, title_id, &c->out);
out:
	PQclear(res);
	sf_viewer_release(&v);
	return rc;
}

static int change(struct sf_db *db, struct change *c, json_t **out)
{
	int rc = sf_viewer_tx(db, change_tx, c, &c->out);

	*out = c->out;
	return rc;
}

int sf_rating_set(struct sf_db *db, const struct sf_actor *actor, const char *profile,
		  const char *title, int stars, json_t **out)
{
	struct change c = { actor, profile, title, stars, NULL };

	*out = NULL;
	if (stars < SF_RATING_MIN || stars > SF_RATING_MAX)
		return sf_error(SF_EINVAL, "stars '%d': not a whole number from %d to %d", stars,
				SF_RATING_MIN, SF_RATING_MAX);
	return change(db, &c, out);
}

int sf_rating_clear(struct sf_db *db, const struct sf_actor *actor, const char *profile,
		    const char *title, json_t **out)
{
	struct change c = { actor, profile, title, 0, NULL };

	*out = NULL;
	return change(db, &c, out);
}

int sf_rating_get(struct sf_db *db, const struct sf_actor *actor, const char *profile,
		  const char *title, json_t **out)
{
	struct sf_viewer v;
	long long title_id;
	int rc;

	*out = NULL;
	rc = sf_viewer_open_title(db, actor, profile, 0, title, &v, &title_id);
	if (!rc)
		rc = rating_json(db, v.profile_id, title_id, out);
	sf_viewer_release(&v);
	return rc;
}
