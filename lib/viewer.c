/*
 * viewer.c - resolve a profile acting as a viewer, check who may act for
 * it, find the titles it sees, and run the changes it makes.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "actor.h"
#include "db.h"
#include "error.h"
#include "profile.h"
#include "text.h"
#include "title.h"
#include "viewer.h"
#include "xalloc.h"

static int check_region(const char *s, char out[3])
{
	out[0] = '\0';
	if (!s)
		return 0;
	if (strlen(s) != 2 || !isalpha((unsigned char)s[0]) || !isalpha((unsigned char)s[1]))
		return sf_error(SF_EINVAL, "--region '%s': not a two-letter country code such as "
				"US or FR", sf_text_quote(s));
	out[0] = (char)toupper((unsigned char)s[0]);
	out[1] = (char)toupper((unsigned char)s[1]);
	out[2] = '\0';
	return 0;
}

int sf_viewer_open(struct sf_db *db, const struct sf_actor *actor, const char *profile_ref,
		   const char *region, unsigned flags, struct sf_viewer *v)
{
	struct sf_profile p;
	char id[SF_INT_STR_MAX];
	PGresult *res = NULL;
	int rc;

	memset(v, 0, sizeof(*v));
	rc = check_region(region, v->region);
	if (rc)
		return rc;
	rc = sf_profile_get(db, profile_ref, &p);
	if (rc)
		return rc;
	/* An account acts for its own profiles; others' take a manager. */
	if (actor->account_id && actor->account_id != p.account_id)
		rc = sf_actor_require(actor, SF_PERM_MANAGE_ACCOUNTS);
	if (!rc && (flags & SF_VIEWER_CHANGE)) {
		rc = sf_db_query(db, &res, "SELECT a.deleted_at IS NOT NULL AS deleted, a.email"
				 " FROM profiles p JOIN accounts a ON a.id = p.account_id"
				 " WHERE p.id = $1 FOR NO KEY UPDATE OF p",
				 SF_ARGS(sf_db_fmt_int(id, p.id)));
		if (!rc && PQntuples(res) == 0)
			rc = sf_error(SF_ENOTFOUND, "profile '%s': not found",
				      sf_text_quote(profile_ref));
		else if (!rc && sf_db_bool(res, 0, "deleted"))
			rc = sf_error(SF_ECONFLICT, "account '%s' is deleted; restore it first",
				      sf_db_str(res, 0, "email"));
		PQclear(res);
	}
	if (!rc) {
		v->profile_id = p.id;
		v->account_id = p.account_id;
		v->maturity = p.maturity;
		v->name = p.name;
		p.name = NULL;
	}
	sf_profile_release(&p);
	return rc;
}

void sf_viewer_release(struct sf_viewer *v)
{
	free(v->name);
	memset(v, 0, sizeof(*v));
}

const char *sf_viewer_maturity(const struct sf_viewer *v, char buf[24])
{
	return sf_db_fmt_int(buf, v->maturity);
}

const char *sf_viewer_region(const struct sf_viewer *v)
{
	return v->region[0] ? v->region : NULL;
}

int sf_viewer_title(struct sf_db *db, const struct sf_viewer *v, const char *ref,
		    long long *id)
{
	char tid[SF_INT_STR_MAX], mat[SF_INT_STR_MAX];
	PGresult *res = NULL;
	int rc = sf_title_find(db, ref, id);

	if (rc)
		return rc;
	rc = sf_db_query(db, &res, "SELECT sf_title_viewable(t, $2, $3) AS sees FROM titles t"
			 " WHERE t.id = $1",
			 SF_ARGS(sf_db_fmt_int(tid, *id), sf_viewer_maturity(v, mat),
				 sf_viewer_region(v)));
	if (!rc && (PQntuples(res) == 0 || !sf_db_bool(res, 0, "sees")))
		rc = sf_error(SF_ENOTFOUND, "title '%s': not found", sf_text_quote(ref));
	PQclear(res);
	if (rc)
		*id = 0;
	return rc;
}

int sf_viewer_open_title(struct sf_db *db, const struct sf_actor *actor,
			 const char *profile_ref, unsigned flags, const char *title_ref,
			 struct sf_viewer *v, long long *title_id)
{
	int rc = sf_viewer_open(db, actor, profile_ref, NULL, flags, v);

	*title_id = 0;
	if (!rc)
		rc = sf_viewer_title(db, v, title_ref, title_id);
	if (rc)
		sf_viewer_release(v);
	return rc;
}

struct viewer_tx {
	int (*fn)(struct sf_db *, void *);
	void *arg;
	json_t **result;
};

/* One run of the transaction: what an earlier run made is dropped. */
static int viewer_tx(struct sf_db *db, void *arg)
{
	struct viewer_tx *t = arg;

	json_decref(*t->result);
	*t->result = NULL;
	return t->fn(db, t->arg);
}

int sf_viewer_tx(struct sf_db *db, int (*fn)(struct sf_db *db, void *arg), void *arg,
		 json_t **result)
{
	struct viewer_tx t = { fn, arg, result };
	int rc = sf_db_tx(db, 0, viewer_tx, &t);

	if (rc) {
		json_decref(*result);
		*result = NULL;
	}
	return rc;
}
