/*
 * review.c - write, edit, delete, list and show reviews, and vote on them.
 *
 * One query (SELECT_SQL) reads reviews for every purpose, as a profile
 * sees them or, with no profile, as a moderator does; its parameters pick
 * one review, one title's reviews or a profile's own, and the order.
 * Changes run in one transaction that opens the viewer with
 * SF_VIEWER_CHANGE; the counts of votes on a review are kept by a trigger
 * (sql/0010_reviews.sql), so concurrent votes are never lost.
 */
#include <stdlib.h>
#include <string.h>

#include "db.h"
#include "error.h"
#include "json.h"
#include "review.h"
#include "text.h"
#include "viewer.h"
#include "xalloc.h"

/* $1 the viewing profile (NULL: a moderator, who sees every review), $2
 * its maturity limit, $3 its region; $4 one review, $5 one title's, $6
 * only the viewer's own; $7 the order (helpful or newest), $8 and $9
 * limit and offset. */
#define SELECT_SQL \
	"SELECT r.id, r.title_id, t.title, r.profile_id, p.name AS author, rt.stars, r.body," \
	"  r.helpful, r.unhelpful, r.score," \
	"  EXISTS (SELECT 1 FROM review_reports o WHERE o.review_id = r.id" \
	"          AND o.resolved_at IS NULL) AS hidden," \
	"  CASE v.helpful WHEN true THEN 'helpful' WHEN false THEN 'unhelpful' END AS my_vote," \
	"  sf_iso(r.created_at) AS created_at, sf_iso(r.updated_at) AS updated_at," \
	"  count(*) OVER () AS total" \
	" FROM reviews r JOIN titles t ON t.id = r.title_id" \
	" JOIN profiles p ON p.id = r.profile_id JOIN accounts a ON a.id = p.account_id" \
	" LEFT JOIN ratings rt ON rt.profile_id = r.profile_id AND rt.title_id = r.title_id" \
	" LEFT JOIN review_votes v ON v.review_id = r.id AND v.profile_id = $1::bigint" \
	" WHERE ($1::bigint IS NULL OR (sf_title_viewable(t, $2::integer, $3::text)" \
	"        AND (r.profile_id = $1::bigint OR (a.deleted_at IS NULL" \
	"             AND NOT EXISTS (SELECT 1 FROM review_reports o WHERE o.review_id = r.id" \
	"                             AND o.resolved_at IS NULL)))))" \
	"   AND ($4::bigint IS NULL OR r.id = $4::bigint)" \
	"   AND ($5::bigint IS NULL OR r.title_id = $5::bigint)" \
	"   AND (NOT $6::boolean OR r.profile_id = $1::bigint)" \
	" ORDER BY CASE WHEN $7::text = 'helpful' THEN r.score END DESC," \
	"   CASE WHEN $7::text = 'helpful' THEN r.helpful END DESC, r.created_at DESC, r.id DESC" \
	" LIMIT $8::integer OFFSET $9::integer"

struct select {
	const struct sf_viewer *v;
	long long id, title_id;
	int own;
	const char *sort;
	long long limit, offset;
};

static int run_select(struct sf_db *db, const struct select *s, PGresult **res)
{
	char pid[SF_INT_STR_MAX], mat[SF_INT_STR_MAX], id[SF_INT_STR_MAX], tid[SF_INT_STR_MAX];
	char limit[SF_INT_STR_MAX], offset[SF_INT_STR_MAX];

	return sf_db_query(db, res, SELECT_SQL,
			   SF_ARGS(s->v ? sf_db_fmt_int(pid, s->v->profile_id) : NULL,
				   s->v ? sf_viewer_maturity(s->v, mat) : NULL,
				   s->v ? sf_viewer_region(s->v) : NULL,
				   s->id ? sf_db_fmt_int(id, s->id) : NULL,
				   s->title_id ? sf_db_fmt_int(tid, s->title_id) : NULL,
				   s->own ? "true" : "false", s->sort ? s->sort : "newest",
				   sf_db_fmt_int(limit, s->limit ? s->limit : 1),
				   sf_db_fmt_int(offset, s->offset)));
}

static json_t *review_json(const PGresult *res, int row)
{
	json_t *o = json_object();

	json_object_set_new(o, "id", json_integer(sf_db_int(res, row, "id")));
	json_object_set_new(o, "title_id", json_integer(sf_db_int(res, row, "title_id")));
	json_object_set_new(o, "title", json_string(sf_db_str(res, row, "title")));
	json_object_set_new(o, "profile_id", json_integer(sf_db_int(res, row, "profile_id")));
	json_object_set_new(o, "author", json_string(sf_db_str(res, row, "author")));
	json_object_set_new(o, "stars", sf_db_isnull(res, row, "stars") ? json_null()
			    : json_integer(sf_db_int(res, row, "stars")));
	json_object_set_new(o, "body", json_string(sf_db_str(res, row, "body")));
	json_object_set_new(o, "helpful", json_integer(sf_db_int(res, row, "helpful")));
	json_object_set_new(o, "unhelpful", json_integer(sf_db_int(res, row, "unhelpful")));
	json_object_set_new(o, "score", json_real(strtod(sf_db_str(res, row, "score"), NULL)));
	json_object_set_new(o, "hidden", json_boolean(sf_db_bool(res, row, "hidden")));
	json_object_set_new(o, "my_vote", sf_json_str(sf_db_str(res, row, "my_vote")));
	json_object_set_new(o, "created_at", json_string(sf_db_str(res, row, "created_at")));
	json_object_set_new(o, "updated_at", json_string(sf_db_str(res, row, "updated_at")));
	return o;
}

int sf_review_load(struct sf_db *db, const struct sf_viewer *v, long long id, const char *ref,
		   json_t **out)
{
	struct select s = { .v = v, .id = id, .limit = 1 };
	PGresult *res = NULL;
	int rc = run_select(db, &s, &res);

	*out = NULL;
	if (!rc && PQntuples(res) == 0)
		rc = sf_error(SF_ENOTFOUND, "review '%s': not found", sf_text_quote(ref));
	if (!rc)
		*out = review_json(res, 0);
	PQclear(res);
	return rc;
}

int sf_review_parse_id(const char *text, long long *id)
{
	if (!sf_text_parse_id(text, id))
		return sf_error(SF_EINVAL, "review '%s': not a review id (a positive number)",
				sf_text_quote(text));
	return 0;
}

int sf_review_check(const char *body)
{
	char *copy = sf_xstrdup(body);
	int rc, blank = 1;

	for (char *p = copy; *p; p++) {
		if (*p == '\n' || *p == '\r' || *p == '\t')
			*p = ' ';
		if (*p != ' ')
			blank = 0;
	}
	rc = sf_text_check("review", copy, 1, SF_REVIEW_MAX);
	if (!rc && blank)
		rc = sf_error(SF_EINVAL, "review '%s': must not be blank", sf_text_quote(copy));
	free(copy);
	return rc;
}

/* ---- reading ---- */

int sf_review_list(struct sf_db *db, const struct sf_actor *actor,
		   const struct sf_review_query *q, json_t **out)
{
	struct select s = { 0 };
	struct sf_viewer v;
	PGresult *res = NULL;
	long long limit = q->limit ? q->limit : SF_REVIEW_LIMIT_DEFAULT, page = q->page ? q->page : 1;
	long long total = 0;
	json_t *items;
	int rc;

	*out = NULL;
	if (q->sort && strcmp(q->sort, "helpful") && strcmp(q->sort, "newest"))
		return sf_error(SF_EINVAL, "--sort '%s': not one of helpful, newest",
				sf_text_quote(q->sort));
	if (limit < 1 || limit > SF_REVIEW_LIMIT_MAX)
		return sf_error(SF_EINVAL, "--limit '%lld': not a whole number from 1 to %d", limit,
				SF_REVIEW_LIMIT_MAX);
	if (page < 1 || page > 1000000)
		return sf_error(SF_EINVAL, "--page '%lld': not a whole number from 1 to 1000000",
				page);
	rc = sf_viewer_open(db, actor, q->profile, q->region, 0, &v);
	if (!rc && q->title)
		rc = sf_viewer_title(db, &v, q->title, &s.title_id);
	if (rc)
		goto out;
	s.v = &v;
	s.own = !q->title;
	s.sort = q->title && q->sort ? q->sort : q->title ? "helpful" : "newest";
	s.limit = limit;
	s.offset = (page - 1) * limit;
	rc = run_select(db, &s, &res);
	if (rc)
		goto out;
	items = json_array();
	for (int i = 0; i < PQntuples(res); i++)
		json_array_append_new(items, review_json(res, i));
	if (PQntuples(res) > 0)
		total = sf_db_int(res, 0, "total");
	else if (page > 1) {
		/* Past the end: count what there is. */
		struct select all = s;

		PQclear(res);
		res = NULL;
		all.offset = 0;
		all.limit = 1;
		if (!(rc = run_select(db, &all, &res)) && PQntuples(res) > 0)
			total = sf_db_int(res, 0, "total");
	}
	*out = json_object();
	json_object_set_new(*out, "title_id", s.title_id ? json_integer(s.title_id) : json_null());
	json_object_set_new(*out, "sort", json_string(s.sort));
	json_object_set_new(*out, "total", json_integer(total));
	json_object_set_new(*out, "page", json_integer(page));
	json_object_set_new(*out, "pages", json_integer((total + limit - 1) / limit));
	json_object_set_new(*out, "items", items);
	if (rc) {
		json_decref(*out);
		*out = NULL;
	}
out:
	PQclear(res);
	sf_viewer_release(&v);
	return rc;
}

int sf_review_show(struct sf_db *db, const struct sf_actor *actor, const char *profile,
		   const char *region, const char *id, json_t **out)
{
	struct sf_viewer v;
	long long rid;
	int rc;

	*out = NULL;
	rc = sf_review_parse_id(id, &rid);
	if (!rc)
		rc = sf_viewer_open(db, actor, profile, region, 0, &v);
	else
		return rc;
	if (!rc)
		rc = sf_review_load(db, &v, rid, id, out);
	sf_viewer_release(&v);
	return rc;
}

/* ---- changes ---- */

struct change {
	const struct sf_actor *actor;
	const char *profile;
	const char *title;       /* write */
	const char *ref;         /* edit, delete, vote: the review id as given */
	long long id;
	const char *body;
	int vote;                /* 1 helpful, 0 unhelpful, -1 none */
	int created;
	json_t *out;
};

/* Opens the viewer for a change and loads review c->id as it sees it. */
static int open_review(struct sf_db *db, struct change *c, struct sf_viewer *v, json_t **r)
{
	int rc = sf_viewer_open(db, c->actor, c->profile, NULL, SF_VIEWER_CHANGE, v);

	*r = NULL;
	if (!rc)
		rc = sf_review_load(db, v, c->id, c->ref, r);
	return rc;
}

static long long author_of(const json_t *r)
{
	return (long long)json_integer_value(json_object_get(r, "profile_id"));
}

static int write_tx(struct sf_db *db, void *arg)
{
	struct change *c = arg;
	char pid[SF_INT_STR_MAX], tid[SF_INT_STR_MAX];
	struct sf_viewer v;
	PGresult *res = NULL;
	long long title_id;
	int rc;

	rc = sf_viewer_open_title(db, c->actor, c->profile, SF_VIEWER_CHANGE, c->title, &v,
				  &title_id);
	if (!rc)
		rc = sf_db_query(db, &res, "INSERT INTO reviews (profile_id, title_id, body)"
				 " VALUES ($1, $2, $3) ON CONFLICT (profile_id, title_id) DO UPDATE"
				 " SET body = excluded.body, updated_at = now()"
				 " RETURNING id, xmax = 0 AS created",
				 SF_ARGS(sf_db_fmt_int(pid, v.profile_id),
					 sf_db_fmt_int(tid, title_id), c->body));
	if (!rc) {
		c->created = sf_db_bool(res, 0, "created");
		rc = sf_review_load(db, &v, sf_db_int(res, 0, "id"), c->title, &c->out);
	}
	PQclear(res);
	sf_viewer_release(&v);
	return rc;
}

static int edit_tx(struct sf_db *db, void *arg)
{
	struct change *c = arg;
	char id[SF_INT_STR_MAX];
	struct sf_viewer v;
	json_t *r = NULL;
	int rc;

	rc = open_review(db, c, &v, &r);
	if (!rc && author_of(r) != v.profile_id)
		rc = sf_error(SF_EFORBIDDEN, "review '%s' is another profile's; only its author "
			      "may %s it", sf_text_quote(c->ref), c->body ? "edit" : "delete");
	if (!rc && c->body)
		rc = sf_db_query(db, NULL, "UPDATE reviews SET body = $2, updated_at = now()"
				 " WHERE id = $1", SF_ARGS(sf_db_fmt_int(id, c->id), c->body));
	else if (!rc)
		rc = sf_db_query(db, NULL, "DELETE FROM reviews WHERE id = $1",
				 SF_ARGS(sf_db_fmt_int(id, c->id)));
	if (!rc && c->body)
		rc = sf_review_load(db, &v, c->id, c->ref, &c->out);
	else if (!rc) {
		c->out = r;
		r = NULL;
	}
	json_decref(r);
	sf_viewer_release(&v);
	return rc;
}

static int vote_tx(struct sf_db *db, void *arg)
{
	struct change *c = arg;
	char id[SF_INT_STR_MAX], pid[SF_INT_STR_MAX];
	struct sf_viewer v;
	json_t *r = NULL;
	int rc;

	rc = open_review(db, c, &v, &r);
	if (!rc && author_of(r) == v.profile_id)
		rc = sf_error(SF_EINVAL, "review '%s' is your own; you cannot vote on it",
			      sf_text_quote(c->ref));
	if (rc)
		goto out;
	sf_db_fmt_int(id, c->id);
	sf_db_fmt_int(pid, v.profile_id);
	if (c->vote < 0)
		rc = sf_db_query(db, NULL, "DELETE FROM review_votes WHERE review_id = $1"
				 " AND profile_id = $2", SF_ARGS(id, pid));
	else
		rc = sf_db_query(db, NULL, "INSERT INTO review_votes (review_id, profile_id, helpful)"
				 " VALUES ($1, $2, $3) ON CONFLICT (review_id, profile_id) DO UPDATE"
				 " SET helpful = excluded.helpful, voted_at = now()"
				 " WHERE review_votes.helpful <> excluded.helpful",
				 SF_ARGS(id, pid, c->vote ? "true" : "false"));
	if (!rc)
		rc = sf_review_load(db, &v, c->id, c->ref, &c->out);
out:
	json_decref(r);
	sf_viewer_release(&v);
	return rc;
}

static int run(struct sf_db *db, int (*fn)(struct sf_db *, void *), struct change *c,
	       json_t **out)
{
	int rc = sf_viewer_tx(db, fn, c, &c->out);

	*out = c->out;
	return rc;
}

int sf_review_write(struct sf_db *db, const struct sf_actor *actor, const char *profile,
		    const char *title, const char *body, json_t **out, int *created)
{
	struct change c = { .actor = actor, .profile = profile, .title = title, .body = body };
	int rc;

	*out = NULL;
	*created = 0;
	if ((rc = sf_review_check(body)))
		return rc;
	rc = run(db, write_tx, &c, out);
	*created = !rc && c.created;
	return rc;
}

int sf_review_edit(struct sf_db *db, const struct sf_actor *actor, const char *profile,
		   const char *id, const char *body, json_t **out)
{
	struct change c = { .actor = actor, .profile = profile, .ref = id, .body = body };
	int rc;

	*out = NULL;
	if ((rc = sf_review_parse_id(id, &c.id)) || (rc = sf_review_check(body)))
		return rc;
	return run(db, edit_tx, &c, out);
}

int sf_review_delete(struct sf_db *db, const struct sf_actor *actor, const char *profile,
		     const char *id, json_t **old)
{
	struct change c = { .actor = actor, .profile = profile, .ref = id };
	int rc;

	*old = NULL;
	if ((rc = sf_review_parse_id(id, &c.id)))
		return rc;
	return run(db, edit_tx, &c, old);
}

int sf_review_vote(struct sf_db *db, const struct sf_actor *actor, const char *profile,
		   const char *id, const char *vote, json_t **out)
{
	struct change c = { .actor = actor, .profile = profile, .ref = id };
	int rc;

	*out = NULL;
	if ((rc = sf_review_parse_id(id, &c.id)))
		return rc;
	if (!strcmp(vote, "helpful"))
		c.vote = 1;
	else if (!strcmp(vote, "unhelpful"))
		c.vote = 0;
	else if (!strcmp(vote, "none"))
		c.vote = -1;
	else
		return sf_error(SF_EINVAL, "vote '%s': not one of helpful, unhelpful, none",
				sf_text_quote(vote));
	return run(db, vote_tx, &c, out);
}
