/*
 * moderation.c - report reviews, list the queue, approve or remove.
 *
 * A decision locks the review row first, so two moderators deciding at
 * once queue up, and the second sees the first's result (approved: no
 * open reports left, a conflict; removed: not found).
 */
#include <stdlib.h>
#include <string.h>

#include "actor.h"
#include "audit.h"
#include "db.h"
#include "error.h"
#include "moderation.h"
#include "review.h"
#include "text.h"
#include "viewer.h"

static int reason_check(const char *reason)
{
	return sf_text_check("reason", reason, 1, SF_REPORT_REASON_MAX);
}

struct report {
	const struct sf_actor *actor;
	const char *profile, *ref, *reason;
	long long id;
	json_t *out;
};

static int report_tx(struct sf_db *db, void *arg)
{
	struct report *c = arg;
	char id[SF_INT_STR_MAX], pid[SF_INT_STR_MAX];
	struct sf_viewer v;
	PGresult *res = NULL;
	json_t *r = NULL;
	int rc;

	json_decref(c->out);
	c->out = NULL;
	rc = sf_viewer_open(db, c->actor, c->profile, NULL, SF_VIEWER_CHANGE, &v);
	if (!rc)
		rc = sf_review_load(db, &v, c->id, c->ref, &r);
	if (!rc && json_integer_value(json_object_get(r, "profile_id")) == v.profile_id)
		rc = sf_error(SF_EINVAL, "review '%s' is your own; you cannot report it",
			      sf_text_quote(c->ref));
	if (!rc)
		rc = sf_db_query(db, &res, "INSERT INTO review_reports (review_id, profile_id, reason)"
				 " VALUES ($1, $2, $3) RETURNING id, sf_iso(created_at) AS created_at",
				 SF_ARGS(sf_db_fmt_int(id, c->id), sf_db_fmt_int(pid, v.profile_id),
					 c->reason));
	if (rc == SF_ECONFLICT && !strcmp(sf_db_constraint(db),
					  "review_reports_review_id_profile_id_key"))
		rc = sf_error(SF_ECONFLICT, "review '%s': you have already reported it",
			      sf_text_quote(c->ref));
	if (!rc) {
		c->out = json_object();
		json_object_set_new(c->out, "id", json_integer(sf_db_int(res, 0, "id")));
		json_object_set_new(c->out, "review_id", json_integer(c->id));
		json_object_set_new(c->out, "profile_id", json_integer(v.profile_id));
		json_object_set_new(c->out, "reason", json_string(c->reason));
		json_object_set_new(c->out, "created_at",
				    json_string(sf_db_str(res, 0, "created_at")));
	}
	PQclear(res);
	json_decref(r);
	sf_viewer_release(&v);
	return rc;
}

int sf_moderation_report(struct sf_db *db, const struct sf_actor *actor, const char *profile,
			 const char *id, const char *reason, json_t **out)
{
	struct report c = { actor, profile, id, reason, 0, NULL };
	int rc;

	*out = NULL;
	if ((rc = sf_review_parse_id(id, &c.id)) || (rc = reason_check(reason)))
		return rc;
	rc = sf_db_tx(db, 0, report_tx, &c);
	if (rc) {
		json_decref(c.out);
		c.out = NULL;
	}
	*out = c.out;
	return rc;
}

int sf_moderation_queue(struct sf_db *db, const struct sf_actor *actor, long long limit,
			json_t **out)
{
	char n[SF_INT_STR_MAX];
	PGresult *res = NULL;
	int rc;

	*out = NULL;
	if (!limit)
		limit = SF_QUEUE_LIMIT_DEFAULT;
	rc = sf_actor_require(actor, SF_PERM_MODERATE);
	if (!rc && (limit < 1 || limit > SF_QUEUE_LIMIT_MAX))
		rc = sf_error(SF_EINVAL, "--limit '%lld': not a whole number from 1 to %d", limit,
			      SF_QUEUE_LIMIT_MAX);
	if (!rc)
		rc = sf_db_query(db, &res,
			"SELECT r.id, r.title_id, t.title, r.profile_id, p.name AS author,"
			"  a.email AS account, r.body, count(*) AS reports,"
			"  json_agg(o.reason ORDER BY o.created_at, o.id)::text AS reasons,"
			"  sf_iso(min(o.created_at)) AS first_reported_at"
			" FROM review_reports o JOIN reviews r ON r.id = o.review_id"
			" JOIN titles t ON t.id = r.title_id JOIN profiles p ON p.id = r.profile_id"
			" JOIN accounts a ON a.id = p.account_id"
			" WHERE o.resolved_at IS NULL"
			" GROUP BY r.id, t.title, p.name, a.email"
			" ORDER BY min(o.created_at), r.id LIMIT $1",
			SF_ARGS(sf_db_fmt_int(n, limit)));
	if (rc)
		return rc;
	*out = json_array();
	for (int i = 0; i < PQntuples(res); i++) {
		json_t *o = json_object();

		json_object_set_new(o, "review_id", json_integer(sf_db_int(res, i, "id")));
		json_object_set_new(o, "title_id", json_integer(sf_db_int(res, i, "title_id")));
		json_object_set_new(o, "title", json_string(sf_db_str(res, i, "title")));
		json_object_set_new(o, "profile_id", json_integer(sf_db_int(res, i, "profile_id")));
		json_object_set_new(o, "author", json_string(sf_db_str(res, i, "author")));
		json_object_set_new(o, "account", json_string(sf_db_str(res, i, "account")));
		json_object_set_new(o, "body", json_string(sf_db_str(res, i, "body")));
		json_object_set_new(o, "reports", json_integer(sf_db_int(res, i, "reports")));
		json_object_set_new(o, "reasons", json_loads(sf_db_str(res, i, "reasons"), 0, NULL));
		json_object_set_new(o, "first_reported_at",
				    json_string(sf_db_str(res, i, "first_reported_at")));
		json_array_append_new(*out, o);
	}
	PQclear(res);
	return 0;
}

struct decide {
	const struct sf_actor *actor;
	const char *ref, *reason;
	long long id;
	int approve;
	json_t *out;
};

static int decide_tx(struct sf_db *db, void *arg)
{
	struct decide *c = arg;
	char id[SF_INT_STR_MAX];
	PGresult *res = NULL;
	json_t *r = NULL, *old = NULL, *new = NULL, *reasons;
	long long open;
	int rc;

	json_decref(c->out);
	c->out = NULL;
	sf_db_fmt_int(id, c->id);
	rc = sf_db_query(db, &res, "SELECT id FROM reviews WHERE id = $1 FOR UPDATE", SF_ARGS(id));
	if (!rc && PQntuples(res) == 0)
		rc = sf_error(SF_ENOTFOUND, "review '%s': not found", sf_text_quote(c->ref));
	PQclear(res);
	res = NULL;
	if (!rc)
		rc = sf_review_load(db, NULL, c->id, c->ref, &r);
	if (!rc)
		rc = sf_db_query(db, &res, "SELECT count(*) AS n, coalesce(json_agg(reason ORDER BY"
				 " created_at, id), '[]')::text AS reasons FROM review_reports"
				 " WHERE review_id = $1 AND resolved_at IS NULL", SF_ARGS(id));
	if (rc)
		goto out;
	open = sf_db_int(res, 0, "n");
	reasons = json_loads(sf_db_str(res, 0, "reasons"), 0, NULL);
	PQclear(res);
	res = NULL;
	old = json_deep_copy(r);
	json_object_set_new(old, "reports", reasons);
	if (c->approve && open == 0) {
		rc = sf_error(SF_ECONFLICT, "review '%s' has no open reports to approve",
			      sf_text_quote(c->ref));
		goto out;
	}
	if (c->approve)
		rc = sf_db_query(db, NULL, "UPDATE review_reports SET resolved_at = now(),"
				 " resolved_by = $2 WHERE review_id = $1 AND resolved_at IS NULL",
				 SF_ARGS(id, c->actor->name));
	else
		rc = sf_db_query(db, NULL, "DELETE FROM reviews WHERE id = $1", SF_ARGS(id));
	if (rc)
		goto out;
	new = json_object();
	json_object_set_new(new, "decision", json_string(c->approve ? "approve" : "remove"));
	json_object_set_new(new, "reason", json_string(c->reason));
	json_object_set_new(new, "reports", json_integer(open));
	rc = sf_audit_record(db, c->actor, c->approve ? "review.approve" : "review.remove",
			     "review", c->id, old, new);
	if (rc)
		goto out;
	c->out = json_object();
	json_object_set_new(c->out, "review_id", json_integer(c->id));
	json_object_set_new(c->out, "decision", json_string(c->approve ? "approve" : "remove"));
	json_object_set_new(c->out, "reason", json_string(c->reason));
	json_object_set_new(c->out, "reports", json_integer(open));
	json_object_set(c->out, "review", r);
out:
	PQclear(res);
	json_decref(r);
	json_decref(old);
	json_decref(new);
	return rc;
}

int sf_moderation_decide(struct sf_db *db, const struct sf_actor *actor, const char *id,
			 int approve, const char *reason, json_t **out)
{
	struct decide c = { actor, id, reason, 0, approve, NULL };
	int rc;

	*out = NULL;
	/* Who may moderate comes first: a refusal says nothing of the review. */
	if ((rc = sf_actor_require(actor, SF_PERM_MODERATE)) ||
	    (rc = sf_review_parse_id(id, &c.id)) || (rc = reason_check(reason)))
		return rc;
	rc = sf_db_tx(db, 0, decide_tx, &c);
	if (rc) {
		json_decref(c.out);
		c.out = NULL;
	}
	*out = c.out;
	return rc;
}
