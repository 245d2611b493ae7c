/*
 * watch_target.c - find and check the profile, title and episode a watch
 * request names (watch_target.h).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "actor.h"
#include "db.h"
#include "error.h"
#include "maturity.h"
#include "profile.h"
#include "text.h"
#include "title.h"
#include "title_field.h"
#include "watch.h"
#include "watch_target.h"

int sf_watch_target_profile(struct sf_db *db, const struct sf_actor *actor, const char *ref,
			    struct sf_watch_target *t)
{
	char acct[SF_INT_STR_MAX];
	struct sf_profile p;
	PGresult *res = NULL;
	int rc;

	if (!ref)
		return sf_error(SF_EINVAL, "profile: missing; give an id or ACCOUNT/NAME");
	rc = sf_profile_get(db, ref, &p);
	/* An account may act for its own profiles; others' take a manager. */
	if (!rc && actor->account_id && actor->account_id != p.account_id)
		rc = sf_actor_require(actor, SF_PERM_MANAGE_ACCOUNTS);
	if (!rc)
		rc = sf_db_query(db, &res, "SELECT deleted_at IS NOT NULL AS deleted FROM accounts"
				 " WHERE id = $1", SF_ARGS(sf_db_fmt_int(acct, p.account_id)));
	if (!rc) {
		t->profile_id = p.id;
		t->maturity = p.maturity;
		t->account_deleted = PQntuples(res) == 0 || sf_db_bool(res, 0, "deleted");
	}
	PQclear(res);
	sf_profile_release(&p);
	return rc;
}

int sf_watch_target_region(const char *region, struct sf_watch_target *t)
{
	t->region[0] = '\0';
	return region ? sf_country_check("region", region, t->region) : 0;
}

int sf_watch_target_title(struct sf_db *db, const struct sf_actor *actor, const char *ref,
			  struct sf_watch_target *t)
{
	char id[SF_INT_STR_MAX];
	PGresult *res = NULL;
	int rc;

	if (!ref)
		return sf_error(SF_EINVAL, "title: missing; give an id or an external id");
	rc = sf_title_find(db, ref, &t->title_id);
	if (!rc)
		rc = sf_db_query(db, &res, "SELECT t.kind, t.maturity, t.runtime_minutes,"
				 " sf_title_visible(t, $2) AS available, sf_title_visible(t) AS visible"
				 " FROM titles t WHERE t.id = $1",
				 SF_ARGS(sf_db_fmt_int(id, t->title_id),
					 t->region[0] ? t->region : NULL));
	if (!rc && PQntuples(res) == 0)   /* deleted since it was found */
		rc = sf_error(SF_ENOTFOUND, "title '%s': not found", sf_text_quote(ref));
	if (!rc && !sf_db_bool(res, 0, "visible") && !sf_title_operator(actor))
		rc = sf_error(SF_ENOTFOUND, "title '%s': not found", sf_text_quote(ref));
	if (!rc) {
		t->series = !strcmp(sf_db_str(res, 0, "kind"), "series");
		t->title_maturity = (int)sf_db_int(res, 0, "maturity");
		t->available = sf_db_bool(res, 0, "available");
		t->runtime_s = sf_db_int(res, 0, "runtime_minutes") * 60;
	}
	PQclear(res);
	return rc;
}

int sf_watch_target_episode(struct sf_db *db, const char *ref, const char *season,
			    const char *number, int need, struct sf_watch_target *t)
{
	char id[SF_INT_STR_MAX], s[SF_INT_STR_MAX], n[SF_INT_STR_MAX];
	PGresult *res = NULL;
	int rc;

	t->episode_id = 0;
	if (!season && !number) {
		if (need && t->series)
			return sf_error(SF_EINVAL, "title '%s' is a series: name an episode by its "
					"season and number", sf_text_quote(ref));
		return 0;
	}
	if (!t->series)
		return sf_error(SF_EINVAL, "title '%s' is a movie: it has no seasons or episodes",
				sf_text_quote(ref));
	if (!season || !number)
		return sf_error(SF_EINVAL, "title '%s': give both the season and the episode "
				"number", sf_text_quote(ref));
	rc = sf_number_parse("season", season, 0, 1000, &t->season);
	if (!rc)
		rc = sf_number_parse("episode", number, 1, 10000, &t->number);
	if (!rc)
		rc = sf_db_query(db, &res, "SELECT e.id, e.runtime_minutes FROM episodes e"
				 " JOIN seasons s ON s.id = e.season_id"
				 " WHERE e.title_id = $1 AND s.number = $2 AND e.number = $3",
				 SF_ARGS(sf_db_fmt_int(id, t->title_id), sf_db_fmt_int(s, t->season),
					 sf_db_fmt_int(n, t->number)));
	if (!rc && PQntuples(res) == 0)
		rc = sf_error(SF_ENOTFOUND, "episode %lld of season %lld of title '%s': not found",
			      t->number, t->season, sf_text_quote(ref));
	if (!rc) {
		t->episode_id = sf_db_int(res, 0, "id");
		t->runtime_s = sf_db_int(res, 0, "runtime_minutes") * 60;
	}
	PQclear(res);
	return rc;
}

int sf_watch_target_may_watch(const struct sf_watch_target *t, const char *profile,
			      const char *title)
{
	if (t->title_maturity > t->maturity)
		return sf_error(SF_ENOTFOUND, "title '%s': not found for profile '%s' (rated %s, "
				"above its limit %s)", sf_text_quote(title), sf_text_quote(profile),
				sf_maturity_label(t->title_maturity), sf_maturity_label(t->maturity));
	if (!t->available)
		return sf_error(SF_ENOTFOUND, "title '%s': not available%s%s", sf_text_quote(title),
				t->region[0] ? " in " : "", t->region);
	return 0;
}

int sf_watch_seconds(const char *label, const char *text, long long *out)
{
	char *end;
	long long n;

	errno = 0;
	n = strtoll(text, &end, 10);
	if (!*text || *end || errno || strspn(text, "-0123456789") != strlen(text))
		return sf_error(SF_EINVAL, "%s '%s': not a whole number of seconds", label,
				sf_text_quote(text));
	if (n < 0)
		return sf_error(SF_EINVAL, "%s '%s': below 0", label, sf_text_quote(text));
	if (n > SF_WATCH_SECONDS_MAX)
		return sf_error(SF_EINVAL, "%s '%s': more than %d seconds", label,
				sf_text_quote(text), SF_WATCH_SECONDS_MAX);
	*out = n;
	return 0;
}

int sf_watch_limit(const char *text, long long *out)
{
	return text ? sf_number_parse("limit", text, 1, SF_WATCH_LIMIT_MAX, out) : 0;
}
